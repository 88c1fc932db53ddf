//! `dataQuality`: per source, what its served offerings lack and how its last harvest runs
//! went, answered from the read model (`ReadModel::data_quality`): as of the model's last
//! rebuild, which follows every harvest that stored something.

use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, Utc};
use vuxnav_read_model::{SourceQuality as ModelQuality, rejection_rate};

use super::runs::RunOutcome;
use super::types::snapshot;

/// A count of offerings that lack something, and its share of the source's offerings.
#[derive(SimpleObject)]
pub struct Shortfall {
    count: u64,
    /// `count` of the source's `offerings`, 0 to 1; null when it serves none.
    share: Option<f64>,
}

/// One of a source's last runs, as data quality reads it.
#[derive(SimpleObject)]
pub struct RunQuality {
    /// The run's id, as `harvestRuns` gives it.
    id: String,
    started: DateTime<Utc>,
    finished: Option<DateTime<Utc>>,
    outcome: RunOutcome,
    full: bool,
    /// Records read from the upstream, rejected ones included.
    fetched: u64,
    rejected: u64,
    /// `rejected` of `fetched`, 0 to 1; null when it read nothing.
    rejection_rate: Option<f64>,
}

/// The data quality of one source.
#[derive(SimpleObject)]
pub struct SourceQuality {
    /// The source's id.
    source: String,
    /// When its newest succeeded run among `runs` finished.
    last_success: Option<DateTime<Utc>>,
    /// Hours from `lastSuccess` to now.
    hours_since_last_success: Option<f64>,
    /// Offerings served from its records, cancelled ones included: the source's
    /// `offeringCount`.
    offerings: u64,
    /// Of a course with neither a national nor a local code.
    missing_course_code: Shortfall,
    /// Without a start date, and not with continuous intake.
    missing_start: Shortfall,
    /// Without coordinates and without a street address.
    missing_location: Shortfall,
    /// Without a link to apply.
    missing_application_link: Shortfall,
    /// Of a course whose national code is not in Skolverket's list for its school form.
    unknown_course_code: Shortfall,
    /// Its last runs (at most 10), newest first.
    runs: Vec<RunQuality>,
}

impl SourceQuality {
    fn of(quality: &ModelQuality<'_>, now: DateTime<Utc>) -> Self {
        let offerings = quality.offerings.offerings;
        let shortfall =
            |count: u64| Shortfall { count, share: (offerings > 0).then(|| count as f64 / offerings as f64) };
        let last_success = quality.last_success();
        Self {
            source: quality.source.to_string(),
            last_success,
            hours_since_last_success: last_success.map(|at| (now - at).num_seconds() as f64 / 3600.0),
            offerings,
            missing_course_code: shortfall(quality.offerings.missing_course_code),
            missing_start: shortfall(quality.offerings.missing_start),
            missing_location: shortfall(quality.offerings.missing_location),
            missing_application_link: shortfall(quality.offerings.missing_application_link),
            unknown_course_code: shortfall(quality.offerings.unknown_course_code),
            runs: quality
                .runs
                .iter()
                .map(|run| RunQuality {
                    id: run.id.to_string(),
                    started: run.started,
                    finished: run.finished,
                    outcome: run.outcome.into(),
                    full: run.full,
                    fetched: run.counts.fetched,
                    rejected: run.counts.rejected,
                    rejection_rate: rejection_rate(run),
                })
                .collect(),
        }
    }
}

/// `dataQuality`: every source that serves offerings or has runs, by id.
pub(crate) fn data_quality(ctx: &Context<'_>) -> Vec<SourceQuality> {
    let now = Utc::now();
    snapshot(ctx).data_quality().iter().map(|quality| SourceQuality::of(quality, now)).collect()
}
