//! Loading a generated data set into the store, as if each municipality's source had just
//! been harvested: the source is registered, its snapshot replaces what it held, and the
//! attempt is recorded as a success.

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use vuxnav_store::{AuditContext, RegistryRows, Store, StoreError};

use vuxnav_simulator::{Scale, generate};

/// What a load did, summed over all sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadSummary {
    pub sources: usize,
    pub offerings: usize,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub withdrawn: u64,
}

/// Generates the data set of `(seed, scale, today)` and loads it, stamped `at`.
pub async fn load(
    store: &Store,
    seed: u64,
    scale: Scale,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<LoadSummary, StoreError> {
    let started = Instant::now();
    let sources = generate(seed, scale, today);
    let total = sources.len();
    let mut summary = LoadSummary { sources: total, ..LoadSummary::default() };
    for (done, source) in sources.iter().enumerate() {
        store.register_source(&source.id, source.municipality, source.kind.as_str(), true).await?;
        let outcome = store.replace_source(&source.id, &source.catalogue, at).await?;
        store.record_attempt(&source.id, at, Ok(())).await?;
        summary.offerings += source.catalogue.offerings.len();
        summary.new += outcome.new;
        summary.changed += outcome.changed;
        summary.unchanged += outcome.unchanged;
        summary.withdrawn += outcome.withdrawn;
        tracing::debug!(source = %source.id, progress = format!("{}/{total}", done + 1), "demo source loaded");
    }
    load_registries(store, scale, today).await?;
    tracing::info!(
        sources = summary.sources,
        offerings = summary.offerings,
        new = summary.new,
        changed = summary.changed,
        unchanged = summary.unchanged,
        withdrawn = summary.withdrawn,
        seconds = started.elapsed().as_secs_f64(),
        "demo data loaded"
    );
    Ok(summary)
}

/// Loads the demo's registries of `(scale, today)` (`vuxnav_simulator::registries`), one
/// import per registry, as `vuxnav demo` does.
pub async fn load_registries(store: &Store, scale: Scale, today: NaiveDate) -> Result<(), StoreError> {
    let registries = vuxnav_simulator::registries(scale, today)
        .unwrap_or_else(|error| panic!("the demo registries are invalid: {error}"));
    for rows in RegistryRows::every(registries) {
        store.import_registry(&rows, false, &AuditContext::cli(), "the demo's registries").await?;
    }
    Ok(())
}
