//! Coordinated statistics over the catalogue: offerings, seats and the shares of distance and
//! evening study, in all and grouped by municipality, school form, subject, occupation, mode
//! and time of study, for the offerings a filter selects. Answered from the read model's own
//! indexes (the filter's bitmaps, each offering's course); grouping by occupation also reads
//! the registry snapshot's links. No query touches the store.

use std::collections::HashMap;

use vuxnav_schema::{CourseCode, MunicipalityCode, OccupationId, SchoolForm, StudyMode, TimeOfStudy};

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

impl ReadModel {
    /// Statistics of the offerings `filter` selects (cancelled ones left out unless it
    /// includes them), grouped by `group_by` (no groups when empty); `registries` gives the
    /// occupations of courses.
    pub fn statistics<'a>(
        &'a self,
        filter: &OfferingFilter,
        group_by: &[StatisticsDimension],
        registries: &'a RegistryModel,
    ) -> Result<Statistics<'a>, QueryError> {
        let selection = self.select(filter, None, false)?;
        let by = |dimension| group_by.contains(&dimension);
        // The occupations of each course, by the course's position, when grouped by them.
        let occupations: Vec<Vec<&OccupationId>> = if by(StatisticsDimension::Occupation) {
            self.courses
                .iter()
                .map(|course| {
                    let local = course.local_code.as_deref().and_then(|c| CourseCode::parse(c).ok());
                    course
                        .code
                        .as_ref()
                        .or(local.as_ref())
                        .map(|code| registries.occupations_of(code).into_iter().map(|o| &o.id).collect())
                        .unwrap_or_default()
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut total = Figures::default();
        let mut groups: HashMap<GroupKey<'a>, Figures> = HashMap::new();
        for doc in &selection.matches {
            let offering = &self.offerings[doc as usize];
            let course_index = *self.course.value_of(doc) as usize;
            let course = &self.courses[course_index];
            let add = |figures: &mut Figures| figures.add(offering.seats, offering.mode, offering.time_of_study);
            add(&mut total);
            if group_by.is_empty() {
                continue;
            }
            let key = GroupKey {
                municipality: by(StatisticsDimension::Municipality).then_some(offering.municipality),
                school_form: by(StatisticsDimension::SchoolForm).then_some(course.school_form),
                subject: by(StatisticsDimension::Subject).then_some(course.subject.as_deref()),
                occupation: None,
                mode: by(StatisticsDimension::Mode).then_some(offering.mode),
                time_of_study: by(StatisticsDimension::TimeOfStudy).then_some(offering.time_of_study),
            };
            if by(StatisticsDimension::Occupation) {
                let leads_to = &occupations[course_index];
                if leads_to.is_empty() {
                    add(groups.entry(GroupKey { occupation: Some(None), ..key.clone() }).or_default());
                }
                for occupation in leads_to {
                    add(groups.entry(GroupKey { occupation: Some(Some(occupation)), ..key.clone() }).or_default());
                }
            } else {
                add(groups.entry(key).or_default());
            }
        }
        let mut groups: Vec<(GroupKey<'a>, Figures)> = groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.offerings.cmp(&a.1.offerings).then_with(|| a.0.cmp(&b.0)));
        Ok(Statistics { total, groups })
    }
}
