//! Input types and their conversion to read-model queries. Every rejected value names its
//! argument path, such as `filter.municipalities[1]` or `filter.paceMin`.

use async_graphql::{Context, Enum, InputObject};
use vuxnav_schema::{CourseCode, Language, ModelError, MunicipalityCode, Pace};

use super::errors::ApiError;
use super::types::{Date, SchoolForm, StudyMode, TimeOfStudy};
use super::{Settings, today};
use vuxnav_read_model::{OfferingFilter, OfferingOrder};

/// The longest list any filter field takes.
const MAX_LIST: usize = 300;

/// Which offerings to select. Values in one list are alternatives; different fields all apply.
#[derive(InputObject, Default, Debug)]
pub struct OfferingFilterInput {
    /// Kommunkoder: four digits with a leading zero, such as `"0180"`.
    municipalities: Option<Vec<String>>,
    school_forms: Option<Vec<SchoolForm>>,
    /// Skolverket course codes, such as `"MATMAT01c"` (any case).
    course_codes: Option<Vec<String>>,
    /// Subject names or subject codes, such as `"Matematik"` or `"MAT"`.
    subjects: Option<Vec<String>>,
    modes: Option<Vec<StudyMode>>,
    times_of_study: Option<Vec<TimeOfStudy>>,
    /// Languages of instruction, ISO 639-2 such as `"swe"`.
    languages: Option<Vec<String>>,
    /// The lowest pace in percent (1 to 100).
    pace_min: Option<i32>,
    /// The highest pace in percent (1 to 100).
    pace_max: Option<i32>,
    /// Starting on or after this date; continuous intake always qualifies.
    start_from: Option<Date>,
    /// Starting on or before this date; continuous intake always qualifies.
    start_to: Option<Date>,
    /// One can apply on this date: it lies in the application window, or the application is
    /// continuous and has opened, or the intake is continuous and no window is stated.
    open_for_application_on: Option<Date>,
    /// One can apply today (Europe/Stockholm), as `openForApplicationOn` reads it.
    open_for_application_now: Option<bool>,
    continuous_intake: Option<bool>,
    /// Include cancelled offerings (left out by default).
    include_cancelled: Option<bool>,
}

pub(super) fn list<T>(
    name: &str,
    values: Option<Vec<String>>,
    parse: impl Fn(&str) -> Result<T, ModelError>,
) -> Result<Vec<T>, ApiError> {
    let values = values.unwrap_or_default();
    if values.len() > MAX_LIST {
        return Err(ApiError::bad_input(format!("filter.{name}"), format!("at most {MAX_LIST} values")));
    }
    values
        .iter()
        .enumerate()
        .map(|(i, v)| parse(v).map_err(|e| ApiError::bad_input(format!("filter.{name}[{i}]"), e.reason)))
        .collect()
}

pub(super) fn enums<G: Copy, M: From<G>>(name: &str, values: Option<Vec<G>>) -> Result<Vec<M>, ApiError> {
    let values = values.unwrap_or_default();
    if values.len() > MAX_LIST {
        return Err(ApiError::bad_input(format!("filter.{name}"), format!("at most {MAX_LIST} values")));
    }
    Ok(values.into_iter().map(M::from).collect())
}

fn pace(name: &str, value: Option<i32>) -> Result<Option<Pace>, ApiError> {
    value
        .map(|p| Pace::new(i64::from(p)).map_err(|e| ApiError::bad_input(format!("filter.{name}"), e.reason)))
        .transpose()
}

impl OfferingFilterInput {
    /// Validates the filter (absent means no restriction) and turns it into a read-model filter.
    pub(crate) fn to_model(input: Option<Self>, ctx: &Context<'_>) -> Result<OfferingFilter, ApiError> {
        let input = input.unwrap_or_default();
        let pace_min = pace("paceMin", input.pace_min)?;
        let pace_max = pace("paceMax", input.pace_max)?;
        if let (Some(min), Some(max)) = (pace_min, pace_max)
            && min > max
        {
            return Err(ApiError::bad_input("filter.paceMin", "is above filter.paceMax"));
        }
        let (start_from, start_to) = (input.start_from.map(|d| d.0), input.start_to.map(|d| d.0));
        if let (Some(from), Some(to)) = (start_from, start_to)
            && from > to
        {
            return Err(ApiError::bad_input("filter.startFrom", "is after filter.startTo"));
        }
        let open_for_application_on = match (input.open_for_application_on.map(|d| d.0), input.open_for_application_now)
        {
            (Some(_), Some(true)) => {
                return Err(ApiError::bad_input(
                    "filter.openForApplicationNow",
                    "give either openForApplicationOn or openForApplicationNow",
                ));
            }
            (Some(date), _) => Some(date),
            (None, Some(true)) => Some(today(ctx)),
            (None, _) => None,
        };
        Ok(OfferingFilter {
            municipalities: list("municipalities", input.municipalities, MunicipalityCode::parse)?,
            courses: Vec::new(),
            providers: Vec::new(),
            school_forms: enums("schoolForms", input.school_forms)?,
            course_codes: list("courseCodes", input.course_codes, CourseCode::parse)?,
            subjects: list("subjects", input.subjects, |s| Ok(s.to_owned()))?,
            modes: enums("modes", input.modes)?,
            times_of_study: enums("timesOfStudy", input.times_of_study)?,
            languages: list("languages", input.languages, Language::parse)?,
            pace_min,
            pace_max,
            start_from,
            start_to,
            open_for_application_on,
            continuous_intake: input.continuous_intake,
            include_cancelled: input.include_cancelled.unwrap_or(false),
        })
    }
}

/// What to sort offerings by.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OfferingOrderField {
    /// Best match for `search` first; without a search, by start date.
    #[default]
    Relevance,
    /// The earliest start first; continuous intake counts as the earliest start, and offerings
    /// whose start is not known come last in both directions.
    StartDate,
    /// Course title in Swedish collation (å, ä, ö after z).
    Title,
    /// Municipality name in Swedish collation, then start date.
    Municipality,
}

/// The direction of the order's field. Ties are broken by start date, earliest first and
/// unknown last, in both directions.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// The order of a list of offerings.
#[derive(InputObject, Debug, Default)]
pub struct OfferingOrderInput {
    #[graphql(default)]
    field: OfferingOrderField,
    #[graphql(default)]
    direction: OrderDirection,
}

impl OfferingOrderInput {
    pub(crate) fn to_model(input: Option<Self>) -> (OfferingOrder, bool) {
        let input = input.unwrap_or_default();
        let order = match input.field {
            OfferingOrderField::Relevance => OfferingOrder::Relevance,
            OfferingOrderField::StartDate => OfferingOrder::StartDate,
            OfferingOrderField::Title => OfferingOrder::Title,
            OfferingOrderField::Municipality => OfferingOrder::Municipality,
        };
        (order, input.direction == OrderDirection::Desc)
    }
}

/// Checks `first` against the configured page size limit; the default is 20.
pub(crate) fn page_size(ctx: &Context<'_>, first: Option<i32>) -> Result<usize, ApiError> {
    let max = ctx.data_unchecked::<Settings>().max_page_size;
    match first {
        None => Ok(20.min(max)),
        Some(n) if n < 0 => Err(ApiError::bad_input("first", "must not be negative")),
        Some(n) if n as usize > max => Err(ApiError::bad_input("first", format!("at most {max}"))),
        Some(n) => Ok(n as usize),
    }
}
