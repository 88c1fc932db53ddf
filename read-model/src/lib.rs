//! The read model: an in-memory index derived from the store's catalogue that answers
//! filtered, faceted, sorted and paginated offering queries and Swedish free-text search
//! without scanning the store.
//!
//! It is immutable once built, but for a bounded cache of what the words searched last matched
//! (`filter::WordCache`) and the sets of the date searched last (`day::DayCache`: who can
//! apply that day, what starts within each window of it). When data changes, a new one is built from the store and swapped in
//! atomically (see `app::Catalog`); readers holding the old one finish on it.
//!
//! How it answers without scanning: each filterable value has a bitmap of the offerings that
//! carry it; a query intersects bitmaps. Free text is matched by tantivy (Swedish stemmer,
//! fuzzy terms, å ä ö folded) against the few thousand distinct courses, providers and places,
//! and the words for kinds of offering (`komvux`, `distans`, `kväll`, see `keywords.rs`); each
//! hit contributes the bitmap of its offerings. Sorting walks precomputed orders (Swedish
//! collation for titles), one per order and direction, and stops after `first` hits past the
//! cursor. Facets are disjunctive: each is counted under every filter but its own.
//!
//! An occasion listed by two sources is indexed once ([`occasion::merge_duplicates`]); the
//! other source's id still finds it, and [`ReadModel::also_listed`] says where else it is listed.

mod build;
mod collation;
mod cursor;
mod day;
mod dimension;
mod filter;
mod keywords;
mod page;
mod quality;
mod query;
mod registry;
mod statistics;
mod text;

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDate;
use roaring::RoaringBitmap;
use vuxnav_schema::{
    Coordinates, Course, CourseCode, Language, MunicipalityCode, Offering, Pace, Provenance, Provider, PublicId,
    SchoolForm, SourceId, StudyMode, TimeOfStudy,
};

use collation::Swedish;
use day::DayCache;
use dimension::Dimension;
use filter::WordCache;
use keywords::Keywords;
pub use quality::{OfferingQuality, SourceQuality, rejection_rate};
pub use query::{
    BuildError, Facets, OfferingFilter, OfferingOrder, OfferingPage, OfferingQuery, PaceBand, QueryError, START_WINDOWS,
};
pub use registry::{
    Cost, GuidanceFacets, GuidanceFilter, Near, Nearby, Outlook, Pathway, PathwayOffering, RegistryModel, Route,
    ValidationFacets, ValidationFilter,
};
pub use statistics::{Figures, GroupKey, Statistics, StatisticsDimension};
use text::TextIndex;

/// The read model. See the module documentation.
pub struct ReadModel {
    offerings: Vec<Offering>,
    /// Courses with offerings, by title in Swedish collation.
    courses: Vec<Course>,
    /// Providers with offerings, by name in Swedish collation.
    providers: Vec<Provider>,
    /// Every offering's id, and the id of each duplicate merged into one, to its position.
    offering_index: HashMap<PublicId, u32>,
    /// Per offering with duplicates: where the merged records came from.
    also_listed: HashMap<u32, Vec<Provenance>>,
    /// Per source, what the offerings served from its records lack (and how many there are):
    /// each offering counted under the source of the record served.
    quality: HashMap<SourceId, OfferingQuality>,
    /// Per source, its last harvest runs, newest first ([`ReadModel::with_harvest_runs`]).
    runs: HashMap<SourceId, Vec<vuxnav_schema::HarvestRun>>,
    course_index: HashMap<PublicId, u32>,
    course_by_code: HashMap<String, u32>,
    provider_index: HashMap<PublicId, u32>,

    all: RoaringBitmap,
    cancelled: RoaringBitmap,
    continuous: RoaringBitmap,
    municipality: Dimension<MunicipalityCode>,
    school_form: Dimension<SchoolForm>,
    /// `None` is the offerings whose value is unknown: a facet bucket of its own.
    mode: Dimension<Option<StudyMode>>,
    time_of_study: Dimension<Option<TimeOfStudy>>,
    language: Dimension<Option<Language>>,
    pace: Dimension<Pace>,
    pace_band: Dimension<PaceBand>,
    course: Dimension<u32>,
    provider: Dimension<u32>,
    place: Dimension<String>,
    /// Each offering's own title (empty when it has none), for text search.
    title: Dimension<String>,
    start: Dimension<Option<NaiveDate>>,
    /// The application window (opens, closes, continuous) and whether the intake is continuous.
    application: Dimension<(Option<NaiveDate>, Option<NaiveDate>, bool, bool)>,
    /// Offerings per kind a resident names in words (`komvux`, `distans`, `kväll`, …).
    keywords: Keywords,
    /// Offerings per subject name and subject code, lowercase: what the filter matches.
    subjects: HashMap<String, RoaringBitmap>,
    /// Each offering's subject, as an index into `subject_names`; `None` when its course
    /// states none. The subject facet counts it.
    subject: Dimension<Option<u32>>,
    /// The subjects' names, one spelling per name ignoring case, in Swedish collation.
    subject_names: Vec<String>,

    /// Per offering: continuous intake first, then by start date, unknown last.
    start_key: Vec<i64>,
    /// Per offering: the seats it states, for statistics without visiting the offerings.
    seats: Vec<Option<u32>>,
    /// Per kommunkod: the municipality's rank by name in Swedish collation.
    municipality_rank: HashMap<MunicipalityCode, u32>,
    /// Offerings sorted by each fixed order, ascending and descending (`[slot][descending]`),
    /// and each offering's position in it.
    sorted: [[Sorted; 2]; 3],
    text: TextIndex,
    /// What the words searched last match.
    words: WordCache,
    /// The date-dependent sets of the date searched last.
    days: DayCache,
    swedish: Swedish,
}

struct Sorted {
    docs: Vec<u32>,
    rank: Vec<u32>,
}

impl Sorted {
    fn new(mut docs: Vec<u32>, key: impl Fn(&u32, &u32) -> Ordering) -> Self {
        docs.sort_by(key);
        Self::of(docs)
    }

    fn of(docs: Vec<u32>) -> Self {
        let mut rank = vec![0; docs.len()];
        for (position, &doc) in docs.iter().enumerate() {
            rank[doc as usize] = position as u32;
        }
        Self { docs, rank }
    }

    /// The descending order of an ascending one whose first key is `group`: the groups of
    /// equal first keys in reverse, each group's offerings in the order they had (the later
    /// keys still ascending), except that the group `last`, if any, stays last.
    fn descending<K: PartialEq>(&self, group: impl Fn(u32) -> K, last: Option<K>) -> Self {
        let mut runs: Vec<&[u32]> = self.docs.chunk_by(|&a, &b| group(a) == group(b)).collect();
        let pinned = match (&last, runs.last()) {
            (Some(last), Some(run)) if group(run[0]) == *last => runs.pop(),
            _ => None,
        };
        runs.reverse();
        Self::of(runs.into_iter().chain(pinned).flatten().copied().collect())
    }
}

impl ReadModel {
    /// The offering with this id; the id of a duplicate from another source names the
    /// offering it was merged into (see [`occasion`]).
    pub fn offering(&self, id: PublicId) -> Option<&Offering> {
        self.offering_index.get(&id).map(|&i| &self.offerings[i as usize])
    }

    /// Where the duplicates merged into this offering came from; empty when no other source
    /// lists it.
    pub fn also_listed(&self, id: PublicId) -> &[Provenance] {
        let doc = self.offering_index.get(&id);
        doc.and_then(|doc| self.also_listed.get(doc)).map_or(&[], Vec::as_slice)
    }

    pub fn course(&self, id: PublicId) -> Option<&Course> {
        self.course_index.get(&id).map(|&i| &self.courses[i as usize])
    }

    pub fn course_by_code(&self, code: &CourseCode) -> Option<&Course> {
        self.course_by_code.get(&code.as_str().to_uppercase()).map(|&i| &self.courses[i as usize])
    }

    pub fn provider(&self, id: PublicId) -> Option<&Provider> {
        self.provider_index.get(&id).map(|&i| &self.providers[i as usize])
    }

    /// All courses that have at least one offering, by title in Swedish collation.
    pub fn courses(&self) -> &[Course] {
        &self.courses
    }

    /// All providers that have at least one offering, by name in Swedish collation.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// Number of offerings in a municipality, cancelled ones left out: what a search with only
    /// this municipality as its filter counts.
    pub fn offering_count(&self, municipality: MunicipalityCode) -> u64 {
        self.municipality
            .values()
            .binary_search(&municipality)
            .map_or(0, |index| self.municipality.bitmap(index).difference_len(&self.cancelled))
    }

    /// The courses whose national code or provider's local code is `code` (ignoring case): a
    /// yrkesvux package such as `YVUSK` has a local code, and several providers may use it.
    pub fn courses_with_code(&self, code: &str) -> Vec<&Course> {
        self.courses
            .iter()
            .filter(|c| {
                c.code.as_ref().is_some_and(|n| n.as_str().eq_ignore_ascii_case(code))
                    || c.local_code.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(code))
            })
            .collect()
    }

    /// The offerings of a course, cancelled ones left out, in offering order.
    pub fn offerings_of(&self, course: &Course) -> impl Iterator<Item = &Offering> {
        let bitmap = self
            .course_index
            .get(&course.id)
            .and_then(|index| self.course.values().binary_search(index).ok())
            .map(|value| self.course.bitmap(value) - &self.cancelled)
            .unwrap_or_default();
        bitmap.into_iter().map(|doc| &self.offerings[doc as usize])
    }

    /// The centre of a municipality as its offerings place it: the mean position of those
    /// with coordinates; `None` when none has any.
    pub fn centre_of(&self, municipality: MunicipalityCode) -> Option<Coordinates> {
        let index = self.municipality.values().binary_search(&municipality).ok()?;
        let (mut latitude, mut longitude, mut count) = (0.0, 0.0, 0u32);
        for doc in self.municipality.bitmap(index) {
            if let Some(c) = self.offerings[doc as usize].location.coordinates {
                (latitude, longitude, count) = (latitude + c.latitude, longitude + c.longitude, count + 1);
            }
        }
        (count > 0).then(|| Coordinates::new(latitude / f64::from(count), longitude / f64::from(count)).ok()).flatten()
    }

    /// Number of offerings (cancelled ones included) served from a source's records: an
    /// occasion that two sources list is counted once, under the source whose record is
    /// served. Over all sources these add up to [`ReadModel::len`]: the same snapshot as every
    /// other count.
    pub fn source_offering_count(&self, source: &SourceId) -> u64 {
        self.quality.get(source).map_or(0, |quality| quality.offerings)
    }

    pub fn len(&self) -> usize {
        self.offerings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offerings.is_empty()
    }
}

fn municipality_rank_of(ranks: &HashMap<MunicipalityCode, u32>, code: MunicipalityCode) -> u32 {
    ranks.get(&code).copied().unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
