//! What a query asks and what it gets back: the filter, the order, the page and its facets,
//! and the errors that name the argument at fault.

use chrono::NaiveDate;
use vuxnav_schema::{
    CourseCode, Language, MunicipalityCode, Offering, Pace, PublicId, SchoolForm, StudyMode, TimeOfStudy,
};

/// Which offerings a query selects. Empty lists do not restrict; values within one list are
/// alternatives (OR); different fields all apply (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferingFilter {
    pub municipalities: Vec<MunicipalityCode>,
    /// Offerings of these courses (by id).
    pub courses: Vec<PublicId>,
    /// Offerings of these providers (by id).
    pub providers: Vec<PublicId>,
    pub school_forms: Vec<SchoolForm>,
    pub course_codes: Vec<CourseCode>,
    /// Subject names or codes (`Matematik` or `MAT`), compared without case.
    pub subjects: Vec<String>,
    pub modes: Vec<StudyMode>,
    pub times_of_study: Vec<TimeOfStudy>,
    pub languages: Vec<Language>,
    pub pace_min: Option<Pace>,
    pub pace_max: Option<Pace>,
    /// Offerings starting on or after this date (continuous intake always qualifies).
    pub start_from: Option<NaiveDate>,
    /// Offerings starting on or before this date (continuous intake always qualifies).
    pub start_to: Option<NaiveDate>,
    /// Offerings one can apply to on this date.
    pub open_for_application_on: Option<NaiveDate>,
    pub continuous_intake: Option<bool>,
    /// Cancelled offerings are left out unless asked for.
    pub include_cancelled: bool,
}

/// The order of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfferingOrder {
    /// Best text match first; without a text, the same as `StartDate`.
    #[default]
    Relevance,
    /// Earliest start first; continuous intake first of all, unknown starts last.
    StartDate,
    /// Course title in Swedish collation (å, ä, ö after z).
    Title,
    /// Municipality name in Swedish collation, then start date.
    Municipality,
}

/// One query against the read model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferingQuery {
    pub filter: OfferingFilter,
    /// Swedish free text; every word must match (stemmed, or within a small edit distance).
    pub text: Option<String>,
    pub order: OfferingOrder,
    pub descending: bool,
    /// How many offerings to return (the caller enforces the upper limit).
    pub first: usize,
    /// An opaque cursor from an earlier page of the same query.
    pub after: Option<String>,
    /// Whether to count facets (it costs a little, so only when asked).
    pub facets: bool,
    /// The date the start-window and open-now facets count from (the caller's today); without
    /// it they are not counted.
    pub today: Option<NaiveDate>,
}

/// Counts per value of each facet under the current filter, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub municipality: Vec<(MunicipalityCode, u64)>,
    pub school_form: Vec<(SchoolForm, u64)>,
    /// `None` counts the offerings whose value is unknown.
    pub mode: Vec<(Option<StudyMode>, u64)>,
    pub time_of_study: Vec<(Option<TimeOfStudy>, u64)>,
    pub language: Vec<(Option<Language>, u64)>,
    /// Offerings per subject, by the subject's name as the courses spell it (one spelling per
    /// name, ignoring case), largest count first; offerings whose course states no subject
    /// are not counted. A subject `filter.subjects` chose that is not among them (a subject
    /// code such as `MAT`, or a name no offering has) is added as written, with its count.
    pub subject: Vec<(String, u64)>,
    /// Offerings per pace band, every band in [`PaceBand::ALL`] order, zeros included.
    pub pace: Vec<(PaceBand, u64)>,
    /// Per window of [`START_WINDOWS`] (in days), cumulatively: the offerings that start from
    /// `today` to that many days later, or have continuous intake, as the filter
    /// `start_from: today, start_to: today + days` selects. Empty without `today`.
    pub start_within: Vec<(u16, u64)>,
    /// Offerings with continuous intake: what `continuous_intake: Some(true)` selects.
    pub continuous_intake: u64,
    /// Offerings one can apply to on `today`: what `open_for_application_on: today` selects.
    /// `None` without `today`.
    pub open_now: Option<u64>,
}

/// The start windows the `start_within` facet counts, in days from today.
pub const START_WINDOWS: [u16; 3] = [30, 90, 180];

/// A band of pace, as a resident chooses it: full time, part time (half or more), under half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaceBand {
    /// 100 %.
    FullTime,
    /// 50–99 %.
    PartTime,
    /// 1–49 %.
    UnderHalf,
}

impl PaceBand {
    pub const ALL: [PaceBand; 3] = [PaceBand::FullTime, PaceBand::PartTime, PaceBand::UnderHalf];

    /// The band an offering's pace falls in.
    pub fn of(pace: Pace) -> Self {
        match pace.percent() {
            100.. => PaceBand::FullTime,
            50..=99 => PaceBand::PartTime,
            _ => PaceBand::UnderHalf,
        }
    }

    /// The lowest and highest pace in the band: the filter's `pace_min` and `pace_max` that
    /// select it.
    pub fn bounds(self) -> (Pace, Pace) {
        let (min, max) = match self {
            PaceBand::FullTime => (100, 100),
            PaceBand::PartTime => (50, 99),
            PaceBand::UnderHalf => (1, 49),
        };
        (Pace::new(min).unwrap_or(Pace::FULL_TIME), Pace::new(max).unwrap_or(Pace::FULL_TIME))
    }
}

/// A page of offerings with the cursor of each.
#[derive(Debug, Clone)]
pub struct OfferingPage<'a> {
    pub items: Vec<(&'a Offering, String)>,
    pub total_count: u64,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub facets: Option<Facets>,
}

/// Why a query could not be answered; each names the argument at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("after: the cursor is not one this API gave out for this order")]
    BadCursor,
    #[error("search: {0}")]
    BadText(String),
    #[error("search: the text index failed")]
    Index,
}

/// Why a read model could not be built; the previous one then stays in service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("building the text index failed: {0}")]
    TextIndex(String),
}

/// The longest free text searched, in characters.
pub(crate) const MAX_TEXT_CHARS: usize = 200;
