//! Relay connections: offerings (with facets, from the read model) and plain lists (courses,
//! providers) paged by position.

use async_graphql::{ComplexObject, Context, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::errors::ApiError;
use super::inputs::{OfferingOrderInput, page_size};
use super::types::{Course, Municipality, Offering, PaceBand, Provider, SchoolForm, StudyMode, TimeOfStudy, snapshot};
use super::{internal, today};
use vuxnav_read_model::{OfferingFilter, OfferingQuery, QueryError};

#[derive(SimpleObject)]
pub struct PageInfo {
    pub(super) has_next_page: bool,
    pub(super) has_previous_page: bool,
    pub(super) start_cursor: Option<String>,
    pub(super) end_cursor: Option<String>,
}

#[derive(SimpleObject)]
pub struct OfferingEdge {
    cursor: String,
    node: Offering,
}

/// A page of offerings with the total and the facet counts.
#[derive(SimpleObject)]
pub struct OfferingConnection {
    edges: Vec<OfferingEdge>,
    /// The same offerings as `edges`, without cursors.
    nodes: Vec<Offering>,
    page_info: PageInfo,
    /// How many offerings the filter and search select in all (cancelled ones left out unless
    /// `filter.includeCancelled`).
    total_count: u64,
    /// Counts per value, each facet under the search and every filter but its own.
    facets: Facets,
}

/// Counts per value. Facets are disjunctive: each is counted under the search and every filter
/// except its own (`municipality` without `filter.municipalities`, `schoolForm` without
/// `filter.schoolForms`, `mode` without `filter.modes`, `timeOfStudy` without
/// `filter.timesOfStudy`, `language` without `filter.languages`, `subject` without
/// `filter.subjects`, `pace` without `filter.paceMin` and `filter.paceMax`, `startWithin`
/// without `filter.startFrom` and `filter.startTo`, `continuousIntake` without
/// `filter.continuousIntake`, `openNow` without `filter.openForApplicationOn` and
/// `filter.openForApplicationNow`), so a facet whose field is filtered still shows the
/// alternatives to the chosen values. Each count is what the same query finds with that value
/// chosen instead. Within `municipality`, `schoolForm`, `mode`, `timeOfStudy`, `language` and
/// `pace` the counts add up to the `totalCount` of the same query without that facet's own
/// filter: to `totalCount` itself when that filter is not set. Those facets list their values
/// with the most offerings first (`pace` in band order).
#[derive(SimpleObject, Default)]
#[graphql(complex)]
pub struct Facets {
    #[graphql(skip)]
    municipality: Vec<MunicipalityCount>,
    /// The municipalities `filter.municipalities` chose: kept by `municipality(first:)`.
    #[graphql(skip)]
    chosen_municipalities: Vec<vuxnav_schema::MunicipalityCode>,
    school_form: Vec<SchoolFormCount>,
    mode: Vec<ModeCount>,
    time_of_study: Vec<TimeOfStudyCount>,
    language: Vec<LanguageCount>,
    #[graphql(skip)]
    subject: Vec<SubjectCount>,
    /// The subjects `filter.subjects` chose, lowercase: kept by `subject(first:)`.
    #[graphql(skip)]
    chosen_subjects: Vec<String>,
    /// Offerings per pace band, every band in order (full time, part time, under half), zeros
    /// included: what `paceMin` and `paceMax` at the band's bounds select.
    pace: Vec<PaceCount>,
    /// Offerings that start from today (Europe/Stockholm) to within 30, 90 and 180 days, or
    /// have continuous intake: what `startFrom: today, startTo: today + days` selects. The
    /// windows are cumulative (the 90 days count the 30 days' offerings too), zeros included.
    start_within: Vec<StartWindowCount>,
    /// Offerings with continuous intake: what `continuousIntake: true` selects.
    continuous_intake: u64,
    /// Offerings one can apply to today: what `openForApplicationNow: true` selects.
    open_now: u64,
}

#[ComplexObject]
impl Facets {
    /// Offerings per municipality, the most first. With `first`, that many and every
    /// municipality `filter.municipalities` chose besides (a search page shows the leading
    /// alternatives without a list of every municipality in the country); then the counts add
    /// up only when no municipality is left out.
    async fn municipality(&self, first: Option<i32>) -> async_graphql::Result<Vec<&MunicipalityCount>> {
        let Some(first) = first else {
            return Ok(self.municipality.iter().collect());
        };
        let first = usize::try_from(first).map_err(|_| ApiError::bad_input("first", "must not be negative"))?;
        Ok(self
            .municipality
            .iter()
            .enumerate()
            .filter(|(rank, entry)| *rank < first || self.chosen_municipalities.contains(&entry.municipality.0.code))
            .map(|(_, entry)| entry)
            .collect())
    }

    /// Offerings per subject (ämne), by name as the courses spell it, the most first;
    /// offerings whose course states no subject are not counted, so the counts need not add
    /// up. A subject `filter.subjects` chose that no course is named (a subject code such as
    /// `MAT`) is listed as written, with its count, possibly 0. With `first`, that many and
    /// every subject `filter.subjects` chose besides.
    async fn subject(&self, first: Option<i32>) -> async_graphql::Result<Vec<&SubjectCount>> {
        let Some(first) = first else {
            return Ok(self.subject.iter().collect());
        };
        let first = usize::try_from(first).map_err(|_| ApiError::bad_input("first", "must not be negative"))?;
        Ok(self
            .subject
            .iter()
            .enumerate()
            .filter(|(rank, entry)| *rank < first || self.chosen_subjects.contains(&entry.subject.to_lowercase()))
            .map(|(_, entry)| entry)
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct SubjectCount {
    /// The subject's name (`Matematik`), or a chosen code as written.
    subject: String,
    count: u64,
}

#[derive(SimpleObject)]
pub struct PaceCount {
    value: PaceBand,
    count: u64,
}

#[derive(SimpleObject)]
pub struct StartWindowCount {
    /// The window, in days from today.
    days: u16,
    count: u64,
}

#[derive(SimpleObject)]
pub struct MunicipalityCount {
    pub(super) municipality: Municipality,
    pub(super) count: u64,
}

#[derive(SimpleObject)]
pub struct SchoolFormCount {
    value: SchoolForm,
    count: u64,
}

#[derive(SimpleObject)]
pub struct ModeCount {
    /// Null counts the offerings whose mode is unknown.
    value: Option<StudyMode>,
    count: u64,
}

#[derive(SimpleObject)]
pub struct TimeOfStudyCount {
    /// Null counts the offerings whose time of study is unknown.
    value: Option<TimeOfStudy>,
    count: u64,
}

#[derive(SimpleObject)]
pub struct LanguageCount {
    /// ISO 639-2; null counts the offerings whose language is unknown.
    pub(super) value: Option<String>,
    pub(super) count: u64,
}

/// Runs an offering query. Facets are counted only when the selection asks for them.
pub(crate) fn offerings_connection(
    ctx: &Context<'_>,
    filter: OfferingFilter,
    search: Option<String>,
    order_by: Option<OfferingOrderInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<OfferingConnection> {
    let (order, descending) = OfferingOrderInput::to_model(order_by);
    let chosen_municipalities = filter.municipalities.clone();
    let chosen_subjects = filter.subjects.iter().map(|s| s.trim().to_lowercase()).collect();
    let query = OfferingQuery {
        filter,
        text: search,
        order,
        descending,
        first: page_size(ctx, first)?,
        after,
        facets: ctx.look_ahead().field("facets").exists(),
        today: Some(today(ctx)),
    };
    let model = snapshot(ctx);
    let page = model.search(&query).map_err(|error| -> async_graphql::Error {
        match error {
            QueryError::BadCursor => {
                ApiError::bad_input("after", "the cursor is not one this API gave out for this order").into()
            }
            QueryError::BadText(reason) => ApiError::bad_input("search", reason).into(),
            QueryError::Index => internal(error),
        }
    })?;
    let edges: Vec<OfferingEdge> = page
        .items
        .into_iter()
        .map(|(offering, cursor)| OfferingEdge { cursor, node: Offering(offering.clone()) })
        .collect();
    let facets = page.facets.map(|f| Facets {
        municipality: f
            .municipality
            .into_iter()
            .map(|(code, count)| MunicipalityCount { municipality: Municipality(code.municipality()), count })
            .collect(),
        chosen_municipalities,
        school_form: f.school_form.into_iter().map(|(v, count)| SchoolFormCount { value: v.into(), count }).collect(),
        mode: f.mode.into_iter().map(|(v, count)| ModeCount { value: v.map(Into::into), count }).collect(),
        time_of_study: f
            .time_of_study
            .into_iter()
            .map(|(v, count)| TimeOfStudyCount { value: v.map(Into::into), count })
            .collect(),
        language: f
            .language
            .into_iter()
            .map(|(v, count)| LanguageCount { value: v.map(|l| l.to_string()), count })
            .collect(),
        subject: f.subject.into_iter().map(|(subject, count)| SubjectCount { subject, count }).collect(),
        chosen_subjects,
        pace: f.pace.into_iter().map(|(v, count)| PaceCount { value: v.into(), count }).collect(),
        start_within: f.start_within.into_iter().map(|(days, count)| StartWindowCount { days, count }).collect(),
        continuous_intake: f.continuous_intake,
        open_now: f.open_now.unwrap_or_default(),
    });
    Ok(OfferingConnection {
        page_info: PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        nodes: edges.iter().map(|e| e.node.clone()).collect(),
        edges,
        total_count: page.total_count,
        facets: facets.unwrap_or_default(),
    })
}

macro_rules! list_connection {
    ($(#[$meta:meta])* $connection:ident, $edge:ident, $node:ty) => {
        #[derive(SimpleObject)]
        pub struct $edge {
            cursor: String,
            node: $node,
        }

        $(#[$meta])*
        #[derive(SimpleObject)]
        pub struct $connection {
            edges: Vec<$edge>,
            nodes: Vec<$node>,
            page_info: PageInfo,
            total_count: u64,
        }

        impl $connection {
            pub(crate) fn page(
                ctx: &Context<'_>,
                items: impl ExactSizeIterator<Item = $node>,
                first: Option<i32>,
                after: Option<String>,
            ) -> Result<Self, ApiError> {
                let Page { edges, page_info, total_count } = page_by_position(ctx, items, first, after)?;
                let edges: Vec<$edge> = edges.into_iter().map(|(cursor, node)| $edge { cursor, node }).collect();
                Ok(Self {
                    nodes: edges.iter().map(|e| e.node.clone()).collect(),
                    edges,
                    page_info,
                    total_count,
                })
            }
        }
    };
}

list_connection!(
    /// A page of courses, by title in Swedish collation.
    CourseConnection, CourseEdge, Course
);
list_connection!(
    /// A page of providers, by name in Swedish collation.
    ProviderConnection, ProviderEdge, Provider
);

const POSITION_PREFIX: &str = "p1:";

/// A page of a plain list: each item with its cursor.
pub(super) struct Page<T> {
    pub(super) edges: Vec<(String, T)>,
    pub(super) page_info: PageInfo,
    pub(super) total_count: u64,
}

pub(super) fn page_by_position<T>(
    ctx: &Context<'_>,
    items: impl ExactSizeIterator<Item = T>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Page<T>, ApiError> {
    let total = items.len();
    let first = page_size(ctx, first)?;
    let start = match after {
        None => 0,
        Some(cursor) => URL_SAFE_NO_PAD
            .decode(cursor.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_prefix(POSITION_PREFIX)?.parse::<usize>().ok())
            .map(|position| position + 1)
            .ok_or_else(|| ApiError::bad_input("after", "the cursor is not one this API gave out for this list"))?,
    };
    let edges: Vec<(String, T)> = items
        .enumerate()
        .skip(start)
        .take(first)
        .map(|(i, item)| (URL_SAFE_NO_PAD.encode(format!("{POSITION_PREFIX}{i}")), item))
        .collect();
    let page_info = PageInfo {
        has_next_page: start + edges.len() < total,
        has_previous_page: start > 0,
        start_cursor: edges.first().map(|e| e.0.clone()),
        end_cursor: edges.last().map(|e| e.0.clone()),
    };
    Ok(Page { edges, page_info, total_count: total as u64 })
}
