//! Coordinated statistics over the catalogue: offerings, seats and the shares of distance and
//! evening study, in all and grouped by municipality, school form, subject, occupation, mode
//! and time of study, for the offerings a filter selects. Answered from the read model's own
//! indexes (the filter's bitmaps, each offering's course); grouping by occupation also reads
//! the registry snapshot's links. No query touches the store.

use std::collections::HashMap;

use roaring::RoaringBitmap;

use vuxnav_schema::{CourseCode, MunicipalityCode, OccupationId, SchoolForm, StudyMode, TimeOfStudy};

use crate::dimension::Dimension;
use crate::{OfferingFilter, QueryError, ReadModel, RegistryModel};

/// What statistics can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatisticsDimension {
    Municipality,
    SchoolForm,
    /// The course's subject name; `None` groups the courses without one.
    Subject,
    /// The occupations the course or package leads to (the region's links): an offering
    /// leading to two occupations counts under each; `None` groups those leading to none.
    Occupation,
    Mode,
    TimeOfStudy,
}

/// The figures of a set of offerings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub offerings: u64,
    /// The seats stated, summed; offerings that state none add nothing.
    pub seats: u64,
    pub offerings_with_seats: u64,
    /// Offerings studied at a distance (`StudyMode::Distance`; hybrid is not counted).
    pub distance: u64,
    /// Offerings whose mode is known: the denominator of the distance share.
    pub mode_known: u64,
    /// Offerings studied in the evening.
    pub evening: u64,
    /// Offerings whose time of study is known: the denominator of the evening share.
    pub time_known: u64,
}

impl Figures {
    /// The share of distance study among the offerings whose mode is known, 0 to 1.
    pub fn distance_share(&self) -> Option<f64> {
        share(self.distance, self.mode_known)
    }

    /// The share of evening study among the offerings whose time of study is known, 0 to 1.
    pub fn evening_share(&self) -> Option<f64> {
        share(self.evening, self.time_known)
    }

    fn add(&mut self, seats: Option<u32>, mode: Option<StudyMode>, time: Option<TimeOfStudy>) {
        self.offerings += 1;
        if let Some(seats) = seats {
            self.seats += u64::from(seats);
            self.offerings_with_seats += 1;
        }
        self.mode_known += u64::from(mode.is_some());
        self.distance += u64::from(mode == Some(StudyMode::Distance));
        self.time_known += u64::from(time.is_some());
        self.evening += u64::from(time == Some(TimeOfStudy::Evening));
    }
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The values a group is keyed by: `None` for a dimension not grouped by, `Some(None)` for
/// the offerings whose value is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupKey<'a> {
    pub municipality: Option<MunicipalityCode>,
    pub school_form: Option<SchoolForm>,
    pub subject: Option<Option<&'a str>>,
    pub occupation: Option<Option<&'a OccupationId>>,
    pub mode: Option<Option<StudyMode>>,
    pub time_of_study: Option<Option<TimeOfStudy>>,
}

/// The statistics of the offerings a filter selects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statistics<'a> {
    /// Every selected offering once: `offerings` is the search's `totalCount` under the same
    /// filter.
    pub total: Figures,
    /// One per combination of the grouped values that has offerings, the most offerings first
    /// (ties by key). Without occupation the groups add up to `total`.
    pub groups: Vec<(GroupKey<'a>, Figures)>,
}

/// Not grouped by this dimension, in a compact key.
const NOT_GROUPED: u32 = u32::MAX;

impl ReadModel {
    /// Statistics of the offerings `filter` selects (cancelled ones left out unless it
    /// includes them), grouped by `group_by` (no groups when empty); `registries` gives the
    /// occupations of courses. The total is counted on the dimensions' bitmaps; groups in one
    /// pass over the matches, keyed by the values' positions in the dimensions.
    pub fn statistics<'a>(
        &'a self,
        filter: &OfferingFilter,
        group_by: &[StatisticsDimension],
        registries: &'a RegistryModel,
    ) -> Result<Statistics<'a>, QueryError> {
        let matches = self.select(filter, None, false, None)?.matches;
        let by = |dimension| group_by.contains(&dimension);
        let seats_of = |doc: u32| self.seats[doc as usize];
        if group_by.is_empty() {
            return Ok(Statistics { total: self.total(&matches, seats_of), groups: Vec::new() });
        }
        // Per course: its subject's position among the subjects, and its occupations.
        let mut subjects: Vec<Option<&'a str>> = self.courses.iter().map(|c| c.subject.as_deref()).collect();
        subjects.sort();
        subjects.dedup();
        let subject_of: Vec<u32> = self
            .courses
            .iter()
            .map(|c| subjects.binary_search(&c.subject.as_deref()).map_or(NOT_GROUPED, |i| i as u32))
            .collect();
        let occupations: Vec<Vec<&'a OccupationId>> = if by(StatisticsDimension::Occupation) {
            self.courses.iter().map(|course| occupations_of(course, registries)).collect()
        } else {
            Vec::new()
        };
        let (modes, times) = (self.mode.values(), self.time_of_study.values());
        let mut total = Figures::default();
        // The positions of the grouped values, and of the occupation among `occupation_ids`.
        let occupation_ids: Vec<&'a OccupationId> = {
            let mut ids: Vec<&'a OccupationId> = occupations.iter().flatten().copied().collect();
            ids.sort();
            ids.dedup();
            ids
        };
        let occupation_index: Vec<Vec<u32>> = occupations
            .iter()
            .map(|ids| ids.iter().filter_map(|id| occupation_ids.binary_search(id).ok()).map(|i| i as u32).collect())
            .collect();
        let mut groups: HashMap<[u32; 6], Figures> = HashMap::new();
        for doc in &matches {
            let (mode, time) =
                (modes[self.mode.index_of(doc) as usize], times[self.time_of_study.index_of(doc) as usize]);
            let seats = seats_of(doc);
            total.add(seats, mode, time);
            let course_index = *self.course.value_of(doc) as usize;
            let mut key = [
                if by(StatisticsDimension::Municipality) { self.municipality.index_of(doc) } else { NOT_GROUPED },
                if by(StatisticsDimension::SchoolForm) { self.school_form.index_of(doc) } else { NOT_GROUPED },
                if by(StatisticsDimension::Subject) { subject_of[course_index] } else { NOT_GROUPED },
                if by(StatisticsDimension::Mode) { self.mode.index_of(doc) } else { NOT_GROUPED },
                if by(StatisticsDimension::TimeOfStudy) { self.time_of_study.index_of(doc) } else { NOT_GROUPED },
                NOT_GROUPED,
            ];
            match occupation_index.get(course_index).map(Vec::as_slice) {
                Some(leads_to) if !leads_to.is_empty() => {
                    for &occupation in leads_to {
                        key[5] = occupation;
                        groups.entry(key).or_default().add(seats, mode, time);
                    }
                }
                _ => groups.entry(key).or_default().add(seats, mode, time),
            }
        }
        let (municipalities, forms) = (self.municipality.values(), self.school_form.values());
        let grouped_by_occupation = by(StatisticsDimension::Occupation);
        let mut groups: Vec<(GroupKey<'a>, Figures)> = groups
            .into_iter()
            .map(|(key, figures)| {
                let at = |i: usize| (key[i] != NOT_GROUPED).then_some(key[i] as usize);
                let key = GroupKey {
                    municipality: at(0).map(|i| municipalities[i]),
                    school_form: at(1).map(|i| forms[i]),
                    subject: at(2).map(|i| subjects[i]),
                    occupation: grouped_by_occupation.then(|| at(5).map(|i| occupation_ids[i])),
                    mode: at(3).map(|i| modes[i]),
                    time_of_study: at(4).map(|i| times[i]),
                };
                (key, figures)
            })
            .collect();
        groups.sort_by(|a, b| b.1.offerings.cmp(&a.1.offerings).then_with(|| a.0.cmp(&b.0)));
        Ok(Statistics { total, groups })
    }

    /// The figures of `matches`, counted on the mode and time-of-study bitmaps; only the seats
    /// are summed offering by offering.
    fn total(&self, matches: &RoaringBitmap, seats_of: impl Fn(u32) -> Option<u32>) -> Figures {
        fn within<K: Ord + Clone>(dimension: &Dimension<K>, value: K, matches: &RoaringBitmap) -> u64 {
            dimension.values().binary_search(&value).map_or(0, |i| dimension.bitmap(i).intersection_len(matches))
        }
        let (mut seats, mut offerings_with_seats) = (0, 0);
        for doc in matches {
            if let Some(s) = seats_of(doc) {
                seats += u64::from(s);
                offerings_with_seats += 1;
            }
        }
        let offerings = matches.len();
        Figures {
            offerings,
            seats,
            offerings_with_seats,
            distance: within(&self.mode, Some(StudyMode::Distance), matches),
            mode_known: offerings - within(&self.mode, None, matches),
            evening: within(&self.time_of_study, Some(TimeOfStudy::Evening), matches),
            time_known: offerings - within(&self.time_of_study, None, matches),
        }
    }
}

/// The occupations the region links to a course's national code or, for a package, its local
/// code.
fn occupations_of<'a>(course: &vuxnav_schema::Course, registries: &'a RegistryModel) -> Vec<&'a OccupationId> {
    let local = course.local_code.as_deref().and_then(|c| CourseCode::parse(c).ok());
    course
        .code
        .as_ref()
        .or(local.as_ref())
        .map(|code| registries.occupations_of(code).into_iter().map(|o| &o.id).collect())
        .unwrap_or_default()
}
