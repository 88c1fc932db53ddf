//! `statistics(filter, groupBy)`: the region's coordinated statistics over the catalogue,
//! answered from the read model (`ReadModel::statistics`) and, for occupations, the registry
//! snapshot.

use async_graphql::{Context, Enum, SimpleObject};
use vuxnav_read_model::{Figures, QueryError, StatisticsDimension as By};

use super::errors::ApiError;
use super::inputs::OfferingFilterInput;
use super::internal;
use super::registry::{Occupation, registries};
use super::types::{Municipality, SchoolForm, StudyMode, TimeOfStudy, snapshot};

/// What statistics are grouped by.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum StatisticsGroupBy {
    Municipality,
    SchoolForm,
    /// The course's subject; null groups the courses without one.
    Subject,
    /// The occupations the course or package leads to (the region's links): an offering
    /// leading to two counts under each, so these groups may add up to more than the total;
    /// null groups those leading to none.
    Occupation,
    Mode,
    TimeOfStudy,
}

impl From<StatisticsGroupBy> for By {
    fn from(group: StatisticsGroupBy) -> Self {
        match group {
            StatisticsGroupBy::Municipality => By::Municipality,
            StatisticsGroupBy::SchoolForm => By::SchoolForm,
            StatisticsGroupBy::Subject => By::Subject,
            StatisticsGroupBy::Occupation => By::Occupation,
            StatisticsGroupBy::Mode => By::Mode,
            StatisticsGroupBy::TimeOfStudy => By::TimeOfStudy,
        }
    }
}

/// The figures of a set of offerings.
#[derive(SimpleObject)]
pub struct StatisticsFigures {
    offerings: u64,
    /// The seats the offerings state, summed.
    seats: u64,
    /// Offerings that state their seats.
    offerings_with_seats: u64,
    /// Offerings studied at a distance (hybrid not counted).
    distance_offerings: u64,
    /// `distanceOfferings` among the offerings whose mode is known, 0 to 1; null when none is.
    distance_share: Option<f64>,
    /// Offerings studied in the evening.
    evening_offerings: u64,
    /// `eveningOfferings` among the offerings whose time of study is known, 0 to 1; null when
    /// none is.
    evening_share: Option<f64>,
}

impl From<Figures> for StatisticsFigures {
    fn from(f: Figures) -> Self {
        Self {
            offerings: f.offerings,
            seats: f.seats,
            offerings_with_seats: f.offerings_with_seats,
            distance_offerings: f.distance,
            distance_share: f.distance_share(),
            evening_offerings: f.evening,
            evening_share: f.evening_share(),
        }
    }
}

/// One group: the values it is grouped by (null for a dimension not grouped by, and for the
/// offerings whose value is unknown) and its figures.
#[derive(SimpleObject)]
pub struct StatisticsGroup {
    municipality: Option<Municipality>,
    school_form: Option<SchoolForm>,
    subject: Option<String>,
    occupation: Option<Occupation>,
    mode: Option<StudyMode>,
    time_of_study: Option<TimeOfStudy>,
    figures: StatisticsFigures,
}

/// Statistics of the offerings a filter selects.
#[derive(SimpleObject)]
pub struct Statistics {
    /// Every selected offering once: `total.offerings` is the `totalCount` of `offerings` with
    /// the same filter.
    total: StatisticsFigures,
    /// One per combination of the grouped values that has offerings, the most offerings first.
    /// Except by occupation, the groups add up to `total`.
    groups: Vec<StatisticsGroup>,
}

/// `statistics(filter, groupBy)`.
pub(crate) fn statistics(
    ctx: &Context<'_>,
    filter: Option<OfferingFilterInput>,
    group_by: Vec<StatisticsGroupBy>,
) -> async_graphql::Result<Statistics> {
    let filter = OfferingFilterInput::to_model(filter, ctx)?;
    let group_by: Vec<By> = group_by.into_iter().map(Into::into).collect();
    let registries = registries(ctx);
    let found = snapshot(ctx).statistics(&filter, &group_by, registries).map_err(|error| match error {
        QueryError::BadText(reason) => ApiError::bad_input("filter", reason).into(),
        other => internal(other),
    })?;
    let taxonomy = registries.taxonomy();
    Ok(Statistics {
        total: found.total.into(),
        groups: found
            .groups
            .into_iter()
            .map(|(key, figures)| StatisticsGroup {
                municipality: key.municipality.map(|code| Municipality(code.municipality())),
                school_form: key.school_form.map(Into::into),
                subject: key.subject.flatten().map(str::to_owned),
                occupation: key
                    .occupation
                    .flatten()
                    .and_then(|id| taxonomy.occupation(id.as_str()).ok())
                    .cloned()
                    .map(Occupation),
                mode: key.mode.flatten().map(Into::into),
                time_of_study: key.time_of_study.flatten().map(Into::into),
                figures: figures.into(),
            })
            .collect(),
    })
}
