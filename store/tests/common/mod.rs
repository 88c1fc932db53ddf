//! Shared by the store's tests: fixed instants, sources and catalogues.

#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use vuxnav_schema::{Catalogue, MunicipalityCode, SourceId};
use vuxnav_store::{Store, StoreError, testing};

/// The `hour`-th hour after a fixed morning; whole seconds, so every backend keeps it exactly.
pub fn at(hour: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 6, 0, 0).single().expect("a valid instant") + Duration::hours(hour)
}

pub fn huddinge() -> MunicipalityCode {
    MunicipalityCode::parse("0126").expect("Huddinge's kommunkod")
}

pub fn source(id: &str) -> SourceId {
    SourceId::parse(id).expect("a valid source id")
}

/// Registers an enabled `csv` source of Huddinge.
pub async fn registered(store: &Store, id: &str) -> Result<SourceId, StoreError> {
    let id = source(id);
    store.register_source(&id, huddinge(), "csv", true).await?;
    Ok(id)
}

/// A sample catalogue of `offerings` offerings, with every provenance timestamp at `at(hour)`.
pub fn catalogue(source: &SourceId, offerings: usize, hour: i64) -> Catalogue {
    testing::sample_catalogue(source, huddinge(), offerings, at(hour))
}

/// The catalogue as `Store::catalogue` orders it: by id, without courses and providers that
/// no offering references.
pub fn as_served(mut catalogue: Catalogue) -> Catalogue {
    catalogue.offerings.sort_by_key(|o| o.id);
    catalogue.courses.retain(|c| catalogue.offerings.iter().any(|o| o.course == c.id));
    catalogue.courses.sort_by_key(|c| c.id);
    catalogue.providers.retain(|p| catalogue.offerings.iter().any(|o| o.provider == p.id));
    catalogue.providers.sort_by_key(|p| p.id);
    catalogue
}
