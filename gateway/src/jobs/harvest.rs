//! Harvesting into the store: the runner's persistence port ([`StoreSink`]), the runner built
//! from the configuration and the store ([`build_runner`]), the harvest schedule
//! ([`run_on_schedule`]) and dry runs ([`dry_run`]).
//!
//! The connectors crate knows nothing of the store; this module is where the two meet. A full
//! run replaces what its source holds (withdrawing what disappeared), an incremental one
//! applies its changes; either way in one transaction, and only after a complete run.
//!
//! Sources come from two places: the config file's `[[source]]` entries, and the sources
//! managed through the admin API, which the store keeps. The schedule reads the managed ones
//! again on every tick ([`SourceSync`]), so a source created, changed, disabled or deleted
//! there takes effect without a restart; a run under way finishes as it started.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use vuxnav_connectors::HarvestContext;
use vuxnav_connectors::config::ValidSource;
use vuxnav_connectors::fetch::Fetcher;
use vuxnav_connectors::guard::{GuardPolicy, Proposal, Verdict, judge};
use vuxnav_connectors::runner::{
    BuiltSource, Committed, DEFAULT_MAX_ITEMS, Harvest, ReportOutcome, RunReport, Runner, RunnerOptions, Sink,
    SinkError, SinkFuture, SystemClock, collect,
};
use vuxnav_schema::{RunCounts, RunEnd, RunHistory, RunId, RunRejection, SourceId};
use vuxnav_store::{Proposed, ReplaceOutcome, Store, Written};

use crate::config::{Config, parse_source_json};
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
/// and builds the runner over them and over the sources managed in the store: one [`Fetcher`]
/// per source with the `[harvest]` limits and the source's `allow_private_network`, writing
/// through a [`StoreSink`].
pub async fn build_runner(config: &Config, store: &Store) -> anyhow::Result<Runner> {
    for source in &config.sources {
        store
            .register_source(&source.id, source.municipality, source.connector.kind().as_str(), source.enabled)
            .await
            .with_context(|| format!("registering the source {}", source.id))?;
    }
    let options = RunnerOptions {
        concurrency: config.harvest.concurrency,
        full_every: config.harvest.full_every,
        guard: config.harvest.guard,
        ..RunnerOptions::default()
    };
    let runner = Runner::new(Vec::new(), Arc::new(StoreSink::new(store.clone())), Arc::new(SystemClock), options);
    SourceSync::new(config).sync(&runner, store).await?;
    Ok(runner)
}

/// Keeps a runner's sources in step with the config file and the store: the config file's
/// sources are built once; a managed source is built again only when its revision changes.
pub struct SourceSync {
    config: Arc<Config>,
    fixed: Vec<BuiltSource>,
    managed: HashMap<SourceId, (u32, BuiltSource)>,
}

impl SourceSync {
    pub fn new(config: &Config) -> Self {
        let fixed = config
            .sources
            .iter()
            .filter_map(|source| match fetcher(config, source) {
                Ok(fetcher) => {
                    Some(BuiltSource { source: source.clone(), connector: Arc::from(source.connector.build(fetcher)) })
                }
                Err(error) => {
                    tracing::error!(source = %source.id, error = format!("{error:#}"), "source not built");
                    None
                }
            })
            .collect();
        Self { config: Arc::new(config.clone()), fixed, managed: HashMap::new() }
    }

    /// Reads the managed sources from the store and hands the runner the config file's and
    /// theirs. A managed source whose stored configuration no longer validates (a kind's rules
    /// changed since it was saved) is logged and left out. On a store error the runner keeps
    /// the sources it has.
    pub async fn sync(&mut self, runner: &Runner, store: &Store) -> anyhow::Result<()> {
        let stored = store.managed_sources().await.context("reading the managed sources")?;
        let mut managed = HashMap::with_capacity(stored.len());
        for saved in stored {
            if self.config.sources.iter().any(|fixed| fixed.id == saved.id) {
                tracing::warn!(source = %saved.id, "a managed source has the id of a configured one; the file wins");
                continue;
            }
            if let Some((revision, built)) = self.managed.remove(&saved.id)
                && revision == saved.revision
            {
                managed.insert(saved.id, (revision, built));
                continue;
            }
            let source = match parse_source_json(&saved.config) {
                Ok(source) => source,
                Err(problems) => {
                    let problems: Vec<String> =
                        problems.iter().map(|p| format!("{}: {}", p.field, p.problem)).collect();
                    tracing::error!(source = %saved.id, revision = saved.revision, problems = problems.join("; "), "a managed source no longer validates; it is not run");
                    continue;
                }
            };
            let connector = Arc::from(source.connector.build(fetcher(&self.config, &source)?));
            managed.insert(saved.id, (saved.revision, BuiltSource { source, connector }));
        }
        self.managed = managed;
        let mut sources = self.fixed.clone();
        let mut ids: Vec<&SourceId> = self.managed.keys().collect();
        ids.sort();
        sources.extend(ids.into_iter().filter_map(|id| self.managed.get(id)).map(|(_, built)| built.clone()));
        runner.replace_sources(sources);
        Ok(())
    }
}

/// When each source is next due: a pure timetable over the times it is given. A source seen
/// for the first time, or with a changed schedule, is due at its schedule's next time after
/// then; a disabled or removed source is dropped.
#[derive(Debug, Default)]
pub struct Timetable {
    next: HashMap<SourceId, (String, Option<DateTime<Utc>>)>,
}

impl Timetable {
    /// The enabled sources among `sources` that are due at `now`, each once; their next time
    /// moves to after `now`.
    pub fn due(&mut self, sources: &[ValidSource], now: DateTime<Utc>) -> Vec<SourceId> {
        let enabled: Vec<&ValidSource> = sources.iter().filter(|source| source.enabled).collect();
        self.next.retain(|id, _| enabled.iter().any(|source| source.id == *id));
        let mut due = Vec::new();
        for source in enabled {
            let expression = source.schedule.expression();
            match self.next.get_mut(&source.id) {
                Some((known, next)) if known == expression => {
                    if next.is_some_and(|next| next <= now) {
                        due.push(source.id.clone());
                        *next = source.schedule.next_after(now);
                    }
                }
                _ => {
                    self.next.insert(source.id.clone(), (expression.to_owned(), source.schedule.next_after(now)));
                }
            }
        }
        due
    }
}

/// The runner of the service with its sources kept in step with the store: what the harvest
/// schedule and the admin API share. Cheap to clone.
#[derive(Clone)]
pub struct Harvester {
    runner: Runner,
    sync: Arc<tokio::sync::Mutex<SourceSync>>,
    store: Store,
}

impl Harvester {
    /// Builds the runner over the config file's and the store's sources ([`build_runner`]);
    /// `wrap` gets to set the runner's hooks first (the read-model rebuild after a commit).
    pub async fn start(config: &Config, store: &Store, wrap: impl FnOnce(Runner) -> Runner) -> anyhow::Result<Self> {
        let runner = wrap(build_runner(config, store).await?);
        let sync = Arc::new(tokio::sync::Mutex::new(SourceSync::new(config)));
        Ok(Self { runner, sync, store: store.clone() })
    }

    /// Reads the managed sources again and hands them to the runner ([`SourceSync::sync`]).
    pub async fn sync(&self) -> anyhow::Result<()> {
        self.sync.lock().await.sync(&self.runner, &self.store).await
    }

    /// [`Harvester::sync`] where a run must go on regardless: when the store cannot be read,
    /// the runner keeps the sources it has and the error is logged.
    async fn sync_or_keep(&self) {
        if let Err(error) = self.sync().await {
            tracing::warn!(error = format!("{error:#}"), "reading the managed sources failed; the known ones run");
        }
    }

    /// The runner, with the sources it had at the last [`Harvester::sync`].
    pub fn runner(&self) -> &Runner {
        &self.runner
    }

    /// Runs `source` now, with its configuration as the store holds it at this moment.
    pub async fn run_now(&self, source: &SourceId) -> RunReport {
        self.sync_or_keep().await;
        self.runner.run_now(std::slice::from_ref(source)).await.pop().unwrap_or_else(|| RunReport {
            source: source.clone(),
            run: None,
            outcome: ReportOutcome::Failed,
            counts: RunCounts::default(),
            error: Some("the run was not started".to_owned()),
            committed: false,
            full: true,
            duration: std::time::Duration::ZERO,
        })
    }

    /// Accepts what `source` has now after the harvest guard held a run of it ([`accept`]),
    /// with its configuration as the store holds it at this moment.
    pub async fn accept(&self, source: &SourceId) -> RunReport {
        self.sync_or_keep().await;
        accept(&self.runner, source).await
    }
}

/// How often the schedule looks for due sources and changed ones: every second.
const TICK: &str = "* * * * * *";

/// Runs every enabled source of `harvester` at each time its schedule names, until `stop`: on
/// every tick the managed sources are read again, and each source that is due is run; one
/// whose circuit breaker is open, or whose previous run is still under way, is skipped and
/// logged. Returns once the runs under way when `stop` came have finished.
pub async fn run_on_schedule(harvester: Harvester, stop: Stop) {
    let Ok(tick) = vuxnav_connectors::schedule::Schedule::parse(TICK) else {
        tracing::error!("the harvest tick does not parse; no source runs on schedule");
        return;
    };
    let state = Arc::new(tokio::sync::Mutex::new((Timetable::default(), tokio::task::JoinSet::new())));
    jobs::every("harvest schedule", &tick, &stop, || {
        let (state, harvester) = (Arc::clone(&state), harvester.clone());
        async move {
            harvester.sync_or_keep().await;
            let mut state = state.lock().await;
            let (timetable, runs) = &mut *state;
            for id in timetable.due(&harvester.runner.sources(), Utc::now()) {
                let runner = harvester.runner.clone();
                runs.spawn(async move {
                    runner.run_due(&id).await;
                });
            }
            while runs.try_join_next().is_some() {}
        }
    })
    .await;
    let mut state = state.lock().await;
    while state.1.join_next().await.is_some() {}
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
/// the CLI (`vuxnav harvest --accept`) and the admin API (`acceptHeldRun`) call.
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

#[cfg(test)]
mod timetable_tests {
    use vuxnav_connectors::config::ConnectorConfig;
    use vuxnav_connectors::schedule::Schedule;
    use vuxnav_schema::MunicipalityCode;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    fn source(id: &str, schedule: &str, enabled: bool) -> ValidSource {
        let connector: ConnectorConfig =
            toml::from_str("kind = \"csv\"\nurl = \"https://example.org/x.csv\"").expect("a csv table");
        ValidSource {
            id: SourceId::parse(id).expect("an id"),
            municipality: MunicipalityCode::parse("0126").expect("a kommunkod"),
            schedule: Schedule::parse(schedule).expect("a schedule"),
            enabled,
            allow_private_network: false,
            guard: Default::default(),
            connector,
        }
    }

    #[test]
    fn a_new_source_is_due_at_its_next_time_and_then_at_the_one_after() {
        let mut timetable = Timetable::default();
        let sources = [source("a", "0 0 3 * * *", true)];

        assert!(timetable.due(&sources, at("2026-11-27T01:00:00Z")).is_empty(), "first seen: not due yet");
        assert!(timetable.due(&sources, at("2026-11-27T01:59:59Z")).is_empty());
        assert_eq!(timetable.due(&sources, at("2026-11-27T02:00:00Z")).len(), 1, "03:00 in Stockholm");
        assert!(timetable.due(&sources, at("2026-11-27T02:00:01Z")).is_empty(), "once per time");
        assert_eq!(timetable.due(&sources, at("2026-11-28T02:00:00Z")).len(), 1, "the next night");
    }

    #[test]
    fn a_changed_schedule_counts_from_the_change_and_a_disabled_or_removed_source_is_never_due() {
        let mut timetable = Timetable::default();
        timetable
            .due(&[source("a", "0 0 3 * * *", true), source("b", "0 0 3 * * *", true)], at("2026-11-27T01:00:00Z"));

        let changed = [source("a", "0 30 2 * * *", true), source("b", "0 0 3 * * *", false)];
        assert!(timetable.due(&changed, at("2026-11-27T01:10:00Z")).is_empty(), "the change is seen");
        let due = timetable.due(&changed, at("2026-11-27T02:00:00Z"));
        assert_eq!(due, vec![SourceId::parse("a").expect("an id")], "02:30 in Stockholm; b is disabled");
        assert!(timetable.due(&[], at("2026-11-28T02:00:00Z")).is_empty(), "removed sources are dropped");
        assert!(timetable.next.is_empty());
    }
}
