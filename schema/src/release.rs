//! What the store hands the open-data release beyond the records themselves: when a course or
//! provider was first seen and last changed, and the quality figures of a source.

use chrono::{DateTime, Utc};

use crate::{RunCounts, SourceStatus};

/// A record with the times the store knows for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen<T> {
    pub record: T,
    /// When the store first held the record.
    pub first_seen: DateTime<Utc>,
    /// When the store last saw the record change.
    pub last_changed: DateTime<Utc>,
}

/// A source's state with the figures a release publishes about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    pub status: SourceStatus,
    /// The start of the source's first recorded harvest run, if it has run.
    pub first_run: Option<DateTime<Utc>>,
    /// What the source's last successful run counted; `None` before one succeeded.
    pub last_success_counts: Option<RunCounts>,
}

impl SourceReport {
    /// The share of the records the last successful run read that it rejected, 0 to 1; `None`
    /// before a successful run or when that run read nothing.
    pub fn rejection_rate(&self) -> Option<f64> {
        let counts = self.last_success_counts?;
        (counts.fetched > 0).then(|| counts.rejected.min(counts.fetched) as f64 / counts.fetched as f64)
    }
}
