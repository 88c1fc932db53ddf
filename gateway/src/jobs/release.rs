//! The nightly open-data release: the store's records handed to the export crate
//! ([`StoreRecords`]), one release written and published ([`release`], which `vuxnav export`
//! calls too), and the nightly job ([`release_on_schedule`]).
//!
//! The export crate owns the layout, the formats, the atomic publication, the hold-back guard
//! and retention; this module only reads the store for it and reports what happened in the log
//! and the metrics.

use std::sync::Arc;

use anyhow::Context as _;
use futures::future::BoxFuture;
use futures::{FutureExt as _, StreamExt as _, TryStreamExt as _};
use vuxnav_connectors::schedule::Schedule;
use vuxnav_export::{LocalFolder, Outcome, Progress, RecordStream, Records, RecordsError, ReleaseSummary, publish};
use vuxnav_schema::{Course, Offering, Provider, Seen, SourceReport, StampedRegistries, Taxonomy};
use vuxnav_store::{ReleaseReader, Store};

use crate::config::Config;
use crate::jobs::{self, Stop};

/// Counter of releases written, by `outcome` (`published`, `held_back`, `failed`).
pub const RELEASES_TOTAL: &str = "vuxnav_releases_total";
/// Gauge: when the last release was published, in seconds since 1970.
pub const RELEASE_PUBLISHED_SECONDS: &str = "vuxnav_release_last_published_timestamp_seconds";

/// The store's records, read in one transaction, as the export reads them.
struct StoreRecords(ReleaseReader);

impl Records for StoreRecords {
    fn sources(&self) -> RecordStream<'_, SourceReport> {
        self.0.sources().map_err(Into::into).boxed()
    }

    fn providers(&self) -> RecordStream<'_, Seen<Provider>> {
        self.0.providers().map_err(Into::into).boxed()
    }

    fn courses(&self) -> RecordStream<'_, Seen<Course>> {
        self.0.courses().map_err(Into::into).boxed()
    }

    fn offerings(&self) -> RecordStream<'_, Offering> {
        self.0.offerings().map_err(Into::into).boxed()
    }

    fn registries(&self) -> BoxFuture<'_, Result<StampedRegistries, RecordsError>> {
        async move {
            let taxonomy = Taxonomy::pinned()?;
            Ok(self.0.registries(taxonomy).await?)
        }
        .boxed()
    }
}

/// Writes one release of the store into the configured folder (or `folder`) and publishes it
/// unless the hold-back guard stops it (`force` publishes anyway). Logs and counts the outcome.
pub async fn release(
    config: &Config,
    store: &Store,
    folder: Option<&std::path::Path>,
    force: bool,
    progress: Option<Progress>,
) -> anyhow::Result<ReleaseSummary> {
    let mut options = config.release.options(&config.region, force).map_err(anyhow::Error::msg)?;
    options.progress = progress;
    let folder = folder.unwrap_or(&config.release.folder);
    let reader = store.release_reader().await.context("reading the store for the release")?;
    let records = StoreRecords(reader);
    let storage = Arc::new(LocalFolder::new(folder));
    let summary = publish(&records, storage, &options, chrono::Utc::now()).await;
    if let Err(error) = records.0.close().await {
        tracing::warn!(error = %error, "closing the release's read of the store failed");
    }
    let summary = match summary {
        Ok(summary) => summary,
        Err(error) => {
            metrics::counter!(RELEASES_TOTAL, "outcome" => "failed").increment(1);
            return Err(anyhow::Error::new(error).context(format!("writing a release into {}", folder.display())));
        }
    };
    match &summary.outcome {
        Outcome::Published { sequence, forced } => {
            metrics::counter!(RELEASES_TOTAL, "outcome" => "published").increment(1);
            metrics::gauge!(RELEASE_PUBLISHED_SECONDS).set(chrono::Utc::now().timestamp() as f64);
            tracing::info!(release = %summary.release, sequence, forced, bytes = summary.bytes, "release published");
        }
        Outcome::HeldBack { falls } => {
            metrics::counter!(RELEASES_TOTAL, "outcome" => "held_back").increment(1);
            tracing::warn!(release = %summary.release, ?falls, "release held back: a table's row count fell sharply without an explanation the store knows; `vuxnav export --force` publishes it");
        }
    }
    Ok(summary)
}

/// Writes a release at each time of `schedule` until `stop`. A failed release is logged and
/// counted; the previous release stays the latest.
pub async fn release_on_schedule(config: Arc<Config>, store: Store, schedule: Schedule, stop: Stop) {
    jobs::every("release", &schedule, &stop, || async {
        if let Err(error) = release(&config, &store, None, false, None).await {
            tracing::error!(
                error = format!("{error:#}"),
                "the nightly release failed; the previous release stays the latest"
            );
        }
    })
    .await;
}
