//! `sources`: one row per configured source, with its state, freshness and rejection rate.

use chrono::{DateTime, Utc};
use vuxnav_schema::SourceReport;

use super::{
    CONTENT_HASH, Column, ForeignKey, Group, KOMMUNKOD_PATTERN, Kind, Record, Table, Value, column, datetime,
    first_seen, integer, last_changed, required,
};

pub(super) const TABLE: Table = Table {
    name: "sources",
    title: "Sources and their quality",
    description: "One row per configured source: a municipality's course system that vuxnav harvests, with its \
                  state, when it last succeeded and how many of its records the last successful run rejected. \
                  The error text of a failed run is not published: it can name internal hosts.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The source's id, such as `huddinge-susa`: lowercase letters, digits, `-` and `_`.",
            from: &["sources.id"],
            pattern: Some("^[a-z0-9][a-z0-9_-]{0,63}$"),
        },
        Column {
            name: "municipality_code",
            kind: Kind::String,
            required: true,
            description: "The municipality whose offerings the source holds: an `id` of municipalities.",
            from: &["sources.municipality"],
            pattern: Some(KOMMUNKOD_PATTERN),
        },
        required(
            "kind",
            Kind::String,
            &["sources.kind"],
            "The kind of system read: `susa_navet`, `planned_educations`, `ss12000`, `csv` or `json_api`.",
        ),
        required(
            "status",
            Kind::String,
            &["sources.enabled", "sources.last_success"],
            "`ok` (the last run succeeded), `stale` (the last run failed; the last good data is published), \
             `held` (the last run looked like a mistake and was held by the harvest guard; the last good data \
             is published), `failing` (no run has succeeded) or `disabled`.",
        ),
        column("last_attempt", Kind::Datetime, &["sources.last_attempt"], "When the last harvest attempt ended."),
        column(
            "last_success",
            Kind::Datetime,
            &["sources.last_success"],
            "When the last successful harvest ended: the freshness of the source's data.",
        ),
        required("offering_count", Kind::Integer, &["offerings.id"], "The source's occasions in offerings."),
        column(
            "last_run_fetched",
            Kind::Integer,
            &["harvest_runs.fetched"],
            "The records the last successful run read from the source, rejected ones included.",
        ),
        column(
            "last_run_rejected",
            Kind::Integer,
            &["harvest_runs.rejected"],
            "The records the last successful run rejected as invalid.",
        ),
        column(
            "rejection_rate",
            Kind::Number,
            &["harvest_runs.fetched", "harvest_runs.rejected"],
            "`last_run_rejected` divided by `last_run_fetched`, 0 to 1, rounded to four decimals.",
        ),
        first_seen(&["harvest_runs.started"], "When the source's first recorded harvest started."),
        last_changed(&["sources.last_attempt"], "When the last harvest attempt was recorded."),
        CONTENT_HASH,
    ],
    foreign_keys: &[ForeignKey { column: "municipality_code", table: "municipalities" }],
    group: Group::Quality,
};

/// A row of `sources`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub id: String,
    pub municipality_code: String,
    pub kind: String,
    pub status: &'static str,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub offering_count: u64,
    pub last_run_fetched: Option<u64>,
    pub last_run_rejected: Option<u64>,
    pub rejection_rate: Option<f64>,
    pub first_seen: Option<DateTime<Utc>>,
}

impl From<&SourceReport> for SourceRow {
    fn from(report: &SourceReport) -> Self {
        let s = &report.status;
        Self {
            id: s.id.as_str().to_owned(),
            municipality_code: s.municipality.as_str().to_owned(),
            kind: s.kind.clone(),
            status: s.state.code(),
            last_attempt: s.last_attempt,
            last_success: s.last_success,
            offering_count: s.offering_count,
            last_run_fetched: report.last_success_counts.map(|c| c.fetched),
            last_run_rejected: report.last_success_counts.map(|c| c.rejected),
            rejection_rate: report.rejection_rate().map(|rate| (rate * 10_000.0).round() / 10_000.0),
            first_seen: report.first_run,
        }
    }
}

/// A count as the release writes it: counts beyond `i64` do not happen, and saturate.
fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Record for SourceRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(&self.municipality_code),
            Value::Text(&self.kind),
            Value::Text(self.status),
            datetime(self.last_attempt),
            datetime(self.last_success),
            Value::Integer(count(self.offering_count)),
            integer(self.last_run_fetched.map(count)),
            integer(self.last_run_rejected.map(count)),
            self.rejection_rate.map_or(Value::Null, Value::Number),
            datetime(self.first_seen),
            datetime(self.last_attempt),
        ]
    }
}
