//! Keeping the read model in service up to date: rebuilt from the store and swapped in
//! ([`Refresher::refresh`]), after a harvest of this process that stored something
//! ([`Refresher::rebuild_after_harvests`]), and on the `[read_model] refresh` schedule when a
//! harvest elsewhere (another process or replica) committed since ([`refresh_on_schedule`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use anyhow::Context as _;
use tokio::sync::{Mutex, watch};
use vuxnav_connectors::runner::Runner;
use vuxnav_connectors::schedule::Schedule;
use vuxnav_read_model::{ReadModel, RegistryModel};
use vuxnav_schema::{RunId, Taxonomy};
use vuxnav_store::Store;

use crate::graphql::{ReadModelSlot, RegistrySlot};
use crate::jobs::{self, Stop};

/// Rebuilds the read model in `slot` from the store. Cheap to clone.
#[derive(Clone)]
pub struct Refresher {
    store: Store,
    slot: ReadModelSlot,
    /// The registry snapshot's slot: rebuilt when the store's registry revision moved, and
    /// after this process changed a registry ([`Refresher::refresh_registries`]).
    registry_slot: RegistrySlot,
    /// Held for the whole of a registry rebuild: it holds the store's
    /// [`Store::registry_revision`] as it was when the snapshot in service was read.
    registry_revision: Arc<Mutex<i64>>,
    /// Held for the whole of a refresh: refreshes run one at a time. It holds the store's
    /// [`Store::last_change`] as it was when the model in service was read.
    refreshing: Arc<Mutex<Option<RunId>>>,
    /// Counts the read models swapped in since start-up.
    refreshed: Arc<watch::Sender<u64>>,
    /// The version of the model in the slot: the store's last change it was read with, the same
    /// on every replica that read the same store. Set just after the model is swapped in.
    version: Arc<AtomicI64>,
}

impl Refresher {
    /// Builds the first read model from the store and the slot that serves it.
    pub async fn start(store: Store) -> anyhow::Result<Self> {
        let last_change = store.last_change().await.context("reading the store's last change")?;
        let model = build(&store).await?;
        let revision = store.registry_revision().await.context("reading the registries' revision")?;
        let registries = build_registries(&store).await?;
        Ok(Self {
            store,
            slot: Arc::new(arc_swap::ArcSwap::from_pointee(model)),
            registry_slot: Arc::new(arc_swap::ArcSwap::from_pointee(registries)),
            registry_revision: Arc::new(Mutex::new(revision)),
            refreshing: Arc::new(Mutex::new(last_change)),
            refreshed: Arc::new(watch::Sender::new(0)),
            version: Arc::new(AtomicI64::new(version_of(last_change))),
        })
    }

    /// The slot holding the read model in service.
    pub fn slot(&self) -> &ReadModelSlot {
        &self.slot
    }

    /// The slot holding the registry snapshot in service.
    pub fn registry_slot(&self) -> &RegistrySlot {
        &self.registry_slot
    }

    /// Rebuilds the registry snapshot from the store and swaps it in, leaving the read model
    /// of the offerings alone, when the store's registry revision is not the one the snapshot
    /// in service was read at (after an edit of a registry here or elsewhere). Says whether it
    /// rebuilt. Rebuilds run one at a time; on failure the one in service stays.
    pub async fn refresh_registries(&self) -> anyhow::Result<bool> {
        let mut in_service = self.registry_revision.lock().await;
        // Read before the registries: a change committed during the read shows as newer later.
        let revision = self.store.registry_revision().await.context("reading the registries' revision")?;
        if revision == *in_service {
            return Ok(false);
        }
        self.registry_slot.store(Arc::new(build_registries(&self.store).await?));
        *in_service = revision;
        Ok(true)
    }

    /// Rebuilds the read model from the store and swaps it in. On failure the one in service
    /// stays. Refreshes run one at a time (the scheduled one, those after harvests, a caller's),
    /// so a model read from an older snapshot of the store never replaces a newer one.
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let mut in_service = self.refreshing.lock().await;
        // Read before the catalogue: a change committed during the read shows as newer later.
        let last_change = self.store.last_change().await.context("reading the store's last change")?;
        let model = build(&self.store).await?;
        self.refresh_registries().await?;
        self.slot.store(Arc::new(model));
        self.version.store(version_of(last_change), Ordering::SeqCst);
        *in_service = last_change;
        self.refreshed.send_modify(|n| *n += 1);
        Ok(())
    }

    /// [`refresh`](Self::refresh) when the store holds a change the model in service was not
    /// read with (a harvest by another process or replica, say); otherwise nothing. Says
    /// whether it rebuilt. The registry snapshot is looked at either way and rebuilt when its
    /// revision moved: a registry import by another process leaves no harvest run to compare.
    pub async fn refresh_if_changed(&self) -> anyhow::Result<bool> {
        self.refresh_registries().await?;
        let in_service = *self.refreshing.lock().await;
        let last_change = self.store.last_change().await.context("reading the store's last change")?;
        if last_change == in_service {
            tracing::debug!("the store has not changed since the read model was built");
            return Ok(false);
        }
        self.refresh().await?;
        Ok(true)
    }

    /// The version of the read model in service: equal versions hold the same data. A caller
    /// that must know which model answered reads it before and after (see `http::caching`).
    pub fn version(&self) -> i64 {
        self.version.load(Ordering::SeqCst)
    }

    /// The number of read models swapped in since start-up, to await a rebuild.
    pub fn refreshes(&self) -> watch::Receiver<u64> {
        self.refreshed.subscribe()
    }

    /// Makes every harvest of `runner` that stores something ask for a read-model rebuild, and
    /// spawns the task that rebuilds: commits that arrive while a rebuild is under way are
    /// covered by one more rebuild, not one each. Returns the runner to run (the hook must be
    /// set before it is shared) and the task, which ends when the runner is dropped.
    pub fn rebuild_after_harvests(&self, runner: Runner) -> (Runner, tokio::task::JoinHandle<()>) {
        let (committed, mut commits) = watch::channel(0u64);
        let runner = runner.on_committed(Arc::new(move |_| committed.send_modify(|n| *n += 1)));
        let refresher = self.clone();
        let task = tokio::spawn(async move {
            while commits.changed().await.is_ok() {
                commits.borrow_and_update();
                if let Err(error) = refresher.refresh().await {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "rebuilding the read model after a harvest failed; the old one stays"
                    );
                }
            }
        });
        (runner, task)
    }
}

/// Checks on `schedule` whether a harvest elsewhere changed the store, and rebuilds if so,
/// until `stop`.
pub async fn refresh_on_schedule(refresher: Refresher, schedule: Schedule, stop: Stop) {
    jobs::every("read-model refresh", &schedule, &stop, || async {
        if let Err(error) = refresher.refresh_if_changed().await {
            tracing::error!(error = format!("{error:#}"), "refreshing the read model failed; the old one stays");
        }
    })
    .await;
}

/// The version of a model read when the store's last change was `last_change`.
fn version_of(last_change: Option<RunId>) -> i64 {
    last_change.map_or(0, RunId::get)
}

/// Loads the registries and indexes them over the pinned taxonomy.
async fn build_registries(store: &Store) -> anyhow::Result<RegistryModel> {
    let taxonomy = Taxonomy::pinned().context("loading the pinned occupation taxonomy")?;
    let registries = store.registries(taxonomy).await.context("loading the registries from the store")?;
    let model = RegistryModel::build(taxonomy.clone(), registries);
    tracing::info!(counts = ?model.counts(), "registry snapshot built");
    Ok(model)
}

/// How many of each source's last runs the read model keeps for `dataQuality`.
const RUNS_PER_SOURCE: usize = 10;

/// Loads the catalogue and the sources' last runs, and builds the read model off the async
/// threads.
async fn build(store: &Store) -> anyhow::Result<ReadModel> {
    let started = Instant::now();
    let catalogue = store.catalogue().await.context("loading the catalogue from the store")?;
    let mut runs = Vec::new();
    for source in store.sources().await.context("loading the sources")? {
        runs.extend(
            store.runs(Some(&source.id), RUNS_PER_SOURCE, None).await.context("loading the sources' last runs")?,
        );
    }
    let loaded = started.elapsed();
    let model = tokio::task::spawn_blocking(move || ReadModel::build(catalogue).map(|m| m.with_harvest_runs(runs)))
        .await
        .context("building the read model")??;
    tracing::info!(
        offerings = model.len(),
        load_ms = loaded.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "read model built"
    );
    Ok(model)
}
