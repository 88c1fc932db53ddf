//! What the store hands the open-data release beyond the records themselves: when a course or
//! provider was first seen and last changed, the quality figures of a source, and the
//! region's registries with when each entry was first stored and last changed (the outlook
//! with its publication date).

use chrono::{DateTime, Utc};

use crate::{
    GuidanceService, OccupationLink, OutlookPublication, PriceListEntry, RunCounts, SourceStatus, ValidationOffer,
};

/// The region's registries, each entry with when the store first held it and last saw it
/// change. Small (entries per municipality, not per offering), so read at once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StampedRegistries {
    pub occupation_links: Vec<Seen<OccupationLink>>,
    pub validation_offers: Vec<Seen<ValidationOffer>>,
    pub guidance_services: Vec<Seen<GuidanceService>>,
    pub prices: Vec<Seen<PriceListEntry>>,
    /// The labour-market outlook in service: the newest publication. A publication is
    /// replaced whole, so it carries its date and no stamps.
    pub outlook: Option<OutlookPublication>,
}

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
