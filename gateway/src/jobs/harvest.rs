//! Harvesting into the store: the runner's persistence port ([`StoreSink`]), the runner built
//! from the configuration ([`build_runner`]), the harvest schedule ([`run_on_schedule`]) and
//! dry runs ([`dry_run`]).
//!
//! The connectors crate knows nothing of the store; this module is where the two meet. A full
//! run replaces what its source holds (withdrawing what disappeared), an incremental one
//! applies its changes; either way in one transaction, and only after a complete run.

use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use vuxnav_connectors::HarvestContext;
use vuxnav_connectors::config::ValidSource;
use vuxnav_connectors::fetch::Fetcher;
use vuxnav_connectors::guard::{GuardPolicy, Proposal, Verdict, judge};
use vuxnav_connectors::runner::{
    BuiltSource, Committed, DEFAULT_MAX_ITEMS, Harvest, Runner, RunnerOptions, Sink, SinkError, SinkFuture,
    SystemClock, collect,
};
use vuxnav_schema::{RunCounts, RunEnd, RunHistory, RunId, RunRejection, SourceId};
use vuxnav_store::{Proposed, ReplaceOutcome, Store, Written};

use crate::config::Config;
use crate::jobs::{self, Stop};

/// The runner's [`Sink`] over the store.
#[derive(Debug, Clone)]
pub struct StoreSink {
    store: Store,
}

impl StoreSink {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn sink_error(error: impl std::fmt::Display) -> SinkError {
    SinkError::new(error.to_string())
}

fn counts(outcome: ReplaceOutcome) -> RunCounts {
    RunCounts {
        new: outcome.new,
        changed: outcome.changed,
        unchanged: outcome.unchanged,
        withdrawn: outcome.withdrawn,
        ..RunCounts::default()
    }
}

impl Sink for StoreSink {
    fn start_run<'a>(&'a self, source: &'a SourceId, started: DateTime<Utc>, full: bool) -> SinkFuture<'a, RunId> {
        Box::pin(async move { self.store.start_run(source, started, full).await.map_err(sink_error) })
    }

    fn commit<'a>(
        &'a self,
        source: &'a SourceId,
        harvest: &'a Harvest,
        at: DateTime<Utc>,
    ) -> SinkFuture<'a, RunCounts> {
        Box::pin(async move {
            let outcome = if harvest.full {
                self.store.replace_source(source, &harvest.catalogue, at).await
            } else {
                self.store.apply_changes(source, &harvest.catalogue, &harvest.withdrawn, at).await
            };
            outcome.map(counts).map_err(sink_error)
        })
    }

    fn commit_guarded<'a>(
        &'a self,
        source: &'a SourceId,
        harvest: &'a Harvest,
        at: DateTime<Utc>,
        policy: GuardPolicy,
    ) -> SinkFuture<'a, Committed> {
        Box::pin(async move {
            let rejected = harvest.rejections.len() as u64;
            let offerings = harvest.catalogue.offerings.len() as u64;
            let admit = |proposed: &Proposed| {
                let proposal = Proposal {
                    offerings,
                    rejected,
                    held: proposed.held,
                    withdrawn: proposed.outcome.withdrawn,
                    full: harvest.full,
                };
                match judge(policy, &proposal) {
                    Verdict::Commit => Ok(()),
                    Verdict::Hold(reason) => Err(reason),
                }
            };
            let withdrawn = (!harvest.full).then_some(harvest.withdrawn.as_slice());
            match self.store.write_harvest(source, &harvest.catalogue, withdrawn, at, &admit).await {
                Ok(Written::Stored(outcome)) => Ok(Committed::Stored(counts(outcome))),
                Ok(Written::Declined { reason, would }) => Ok(Committed::Held { reason, would: counts(would) }),
                Err(error) => Err(sink_error(error)),
            }
        })
    }

    fn history<'a>(&'a self, source: &'a SourceId) -> SinkFuture<'a, RunHistory> {
        Box::pin(async move { self.store.run_history(source).await.map_err(sink_error) })
    }

    fn finish_run<'a>(
        &'a self,
        run: RunId,
        finished: DateTime<Utc>,
        outcome: RunEnd,
        counts: RunCounts,
        rejections: &'a [RunRejection],
    ) -> SinkFuture<'a, ()> {
        Box::pin(
            async move { self.store.finish_run(run, finished, outcome, counts, rejections).await.map_err(sink_error) },
        )
    }
}

/// Registers every configured source in the store (its municipality, kind and enabled flag)
/// and builds the runner over them: one [`Fetcher`] per source with the `[harvest]` limits and
/// the source's `allow_private_network`, writing through a [`StoreSink`].
pub async fn build_runner(config: &Config, store: &Store) -> anyhow::Result<Runner> {
    let mut sources = Vec::with_capacity(config.sources.len());
    for source in &config.sources {
        store
            .register_source(&source.id, source.municipality, source.connector.kind().as_str(), source.enabled)
            .await
            .with_context(|| format!("registering the source {}", source.id))?;
        let connector = Arc::from(source.connector.build(fetcher(config, source)?));
        sources.push(BuiltSource { source: source.clone(), connector });
    }
    let options = RunnerOptions {
        concurrency: config.harvest.concurrency,
        full_every: config.harvest.full_every,
        guard: config.harvest.guard,
        ..RunnerOptions::default()
    };
    Ok(Runner::new(sources, Arc::new(StoreSink::new(store.clone())), Arc::new(SystemClock), options))
}

/// Runs every enabled source of `runner` at each time its schedule names, until `stop`: a
/// source whose circuit breaker is open is skipped and logged. Returns once every source's loop
/// has ended; a run under way when `stop` comes finishes first.
pub async fn run_on_schedule(runner: Runner, stop: Stop) {
    let loops = runner.sources().filter(|source| source.enabled).map(|source| {
        let (runner, stop) = (runner.clone(), stop.clone());
        let (id, schedule) = (source.id.clone(), source.schedule.clone());
        async move {
            jobs::every(id.as_str(), &schedule, &stop, || async {
                runner.run_due(&id).await;
            })
            .await;
        }
    });
    futures::future::join_all(loops).await;
}

/// Marks the runs that an earlier process left `Running` as interrupted: call it once at
/// start-up, before any run of this process starts, with the process's start time.
pub async fn recover_interrupted_runs(store: &Store, process_started: DateTime<Utc>) -> anyhow::Result<u64> {
    store.finish_stale_runs(process_started).await.context("marking interrupted harvest runs")
}

/// The sources `ids` names, in the order named; every enabled source when `ids` is empty. An
/// id that names no configured source is an error naming it (all such ids at once).
pub fn select_sources<'a>(config: &'a Config, ids: &[String]) -> anyhow::Result<Vec<&'a ValidSource>> {
    if ids.is_empty() {
        return Ok(config.sources.iter().filter(|s| s.enabled).collect());
    }
    let mut chosen = Vec::with_capacity(ids.len());
    let mut unknown = Vec::new();
    for id in ids {
        match config.sources.iter().find(|s| s.id.as_str() == id) {
            Some(source) if !chosen.iter().any(|c: &&ValidSource| c.id == source.id) => chosen.push(source),
            Some(_) => {}
            None => unknown.push(format!("`{id}`")),
        }
    }
    if !unknown.is_empty() {
        let configured: Vec<&str> = config.sources.iter().map(|s| s.id.as_str()).collect();
        let configured = if configured.is_empty() { "none".to_owned() } else { configured.join(", ") };
        anyhow::bail!("no source is configured with the id {} (configured: {configured})", unknown.join(", "));
    }
    Ok(chosen)
}

/// What a dry run of one source read, without storing anything.
#[derive(Debug)]
pub struct DryRun {
    pub source: SourceId,
    /// The harvest read: complete when `error` is `None`, else what was read before it.
    pub harvest: Harvest,
    /// Why the run would have failed.
    pub error: Option<String>,
    pub duration: std::time::Duration,
}

impl DryRun {
    /// Up to `limit` offerings as (course title, start date, municipality name), in the
    /// order read.
    pub fn samples(&self, limit: usize) -> Vec<(String, Option<chrono::NaiveDate>, &'static str)> {
        let catalogue = &self.harvest.catalogue;
        catalogue
            .offerings
            .iter()
            .take(limit)
            .map(|offering| {
                let title = catalogue
                    .courses
                    .iter()
                    .find(|course| course.id == offering.course)
                    .map_or_else(|| "(unknown course)".to_owned(), |course| course.title.clone());
                (title, offering.schedule.start(), offering.municipality.municipality().name)
            })
            .collect()
    }

    /// The rejections grouped by field and by reason (the reason with the value it read
    /// taken out, so `` `25,0` is not a number `` and `` `50,0` is not a number `` are one
    /// group), the largest group first; each record with the value read, when the reason
    /// names one.
    pub fn rejections_by_field(&self) -> Vec<RejectionGroup> {
        let mut groups: Vec<RejectionGroup> = Vec::new();
        for rejection in &self.harvest.rejections {
            let (reason, value) = value_read(&rejection.reason);
            let record = (rejection.upstream_id.clone(), value);
            match groups.iter_mut().find(|g| g.field == rejection.field && g.reason == reason) {
                Some(group) => group.records.push(record),
                None => groups.push(RejectionGroup { field: rejection.field.clone(), reason, records: vec![record] }),
            }
        }
        groups.sort_by_key(|group| std::cmp::Reverse(group.records.len()));
        groups
    }
}

/// Rejections of one field for one reason, in a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectionGroup {
    /// The upstream field, as the upstream names it.
    pub field: String,
    /// The reason, with the value read shown as `…`.
    pub reason: String,
    /// Each record's upstream id and the value read, when the reason names one.
    pub records: Vec<(String, Option<String>)>,
}

/// A reason with its first backquoted value (the value read) taken out, and that value.
fn value_read(reason: &str) -> (String, Option<String>) {
    let mut parts = reason.splitn(3, '`');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(before), Some(value), Some(after)) => (format!("{before}`…`{after}"), Some(value.to_owned())),
        _ => (reason.to_owned(), None),
    }
}

/// Accepts what `source` has now after the harvest guard held a run of it: the one function
/// the CLI (`vuxnav harvest --accept`) and, later, the admin API call.
pub async fn accept(runner: &Runner, source: &SourceId) -> vuxnav_connectors::runner::RunReport {
    let report = runner.accept(source).await;
    tracing::info!(source = %source, outcome = ?report.outcome, "an operator accepted the source's harvest");
    report
}

/// The source's HTTP client: the `[harvest]` limits, its `allow_private_network`, and secrets
/// from the environment the configuration was read with.
fn fetcher(config: &Config, source: &ValidSource) -> anyhow::Result<Fetcher> {
    let options = config.harvest.fetch_options(source.allow_private_network);
    let fetcher = Fetcher::new(source.id.clone(), options)
        .with_context(|| format!("setting up the HTTP client of the source {}", source.id))?;
    Ok(fetcher.with_secrets(config.environment.lookup()))
}

/// Reads `source` as a full run would, storing nothing.
pub async fn dry_run(config: &Config, source: &ValidSource) -> anyhow::Result<DryRun> {
    let connector = source.connector.build(fetcher(config, source)?);
    let started = Utc::now();
    let ctx = HarvestContext { source: source.id.clone(), municipality: source.municipality, since: None, started };
    let clock = std::time::Instant::now();
    let (harvest, error) = match collect(connector.as_ref(), &ctx, DEFAULT_MAX_ITEMS).await {
        Ok(harvest) => (harvest, None),
        Err((error, harvest)) => (harvest, Some(error.to_string())),
    };
    Ok(DryRun { source: source.id.clone(), harvest, error, duration: clock.elapsed() })
}
