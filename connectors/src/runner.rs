//! The harvest runner: runs sources' connectors and hands what they read to a [`Sink`], the
//! persistence port the gateway implements over the store (connectors never write to the
//! store themselves, and this crate does not depend on it).
//!
//! One run ([`run_once`]) records its start, drains the connector's stream into a [`Harvest`]
//! ([`collect`]: duplicates merged, a per-run item limit), commits the harvest in one call to
//! the sink only when the stream ended without an error, and records its end with counts and
//! rejections. A run that fails (the connector lost its source, the item limit was reached, the
//! sink could not store the harvest) never commits, so the source's last good data stays in
//! service; every failure ends in a [`RunReport`], never in a panic.
//!
//! A [`Runner`] runs many sources: now ([`Runner::run_now`]) or when their schedule says so
//! ([`Runner::run_due`], asked by the gateway's harvest job), never more than a configured
//! number at once, with a
//! [`CircuitBreaker`] per source that stops running a source that keeps failing until a
//! cool-down has passed. A kind that can ask its upstream for what changed
//! ([`Connector::incremental`]) runs incrementally between full runs: from a little before the
//! start of its last successful run, until its last successful full run is
//! [`RunnerOptions::full_every`] old ([`since_for`]). A full run withdraws what disappeared; an
//! incremental one withdraws what the upstream says is gone.
//!
//! Errors: [`SinkError`] (the sink could not record or store) and [`HarvestError`] (the run
//! could not read its source); both end in a report's `error` text, lowercase.

use std::any::Any;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::{FutureExt, StreamExt};
use tokio::sync::Semaphore;
use vuxnav_schema::{
    Catalogue, MunicipalityCode, PublicId, RunCounts, RunEnd, RunHistory, RunId, RunRejection, SourceId,
};

use crate::config::ValidSource;
use crate::events::{RecordRejected, RunFinished};
use crate::guard::GuardPolicy;
use crate::{Connector, ConnectorError, HarvestContext, Item, Rejection};

/// Items one run may yield by default before it is stopped: far above any municipality's
/// catalogue (the whole country is about 300,000 offerings), low enough that a runaway
/// upstream cannot exhaust memory.
pub const DEFAULT_MAX_ITEMS: u64 = 2_000_000;

/// Sources run at once by default.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// How long an incremental kind runs incrementally after a full run, by default: a full run a
/// day finds what disappeared without a deletion notice.
pub const DEFAULT_FULL_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// How far before the last successful run's start an incremental run asks for changes: room
/// for a clock that differs between the upstream and vuxnav.
pub const SINCE_OVERLAP: Duration = Duration::from_secs(15 * 60);

/// The `since` of a source's next run: `None` (a full run) when the kind cannot ask for
/// changes, `full_every` is zero, the source has no successful full run, or its last one
/// started `full_every` or longer before `now`; otherwise [`SINCE_OVERLAP`] before the start
/// of its last successful run.
pub fn since_for(
    history: RunHistory,
    incremental: bool,
    full_every: Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let full_every = chrono::Duration::from_std(full_every).ok()?;
    let last_full = history.last_full_success?;
    if !incremental || full_every.is_zero() || now - last_full >= full_every {
        return None;
    }
    let overlap = chrono::Duration::from_std(SINCE_OVERLAP).ok()?;
    Some(history.last_success.unwrap_or(last_full).max(last_full) - overlap)
}

/// The sink could not record a run or store a harvest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SinkError {
    pub message: String,
}

impl SinkError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

/// The future a [`Sink`] method returns.
pub type SinkFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, SinkError>> + Send + 'a>>;

/// Where runs are recorded and harvests stored: the gateway implements it over the store.
pub trait Sink: Send + Sync {
    /// Records that a run of `source` started (`full`: no `since`, absent offerings will be
    /// withdrawn) and returns its id.
    fn start_run<'a>(&'a self, source: &'a SourceId, started: DateTime<Utc>, full: bool) -> SinkFuture<'a, RunId>;

    /// Stores a complete harvest in one transaction: a full one replaces what the source holds
    /// (withdrawing what is absent), an incremental one applies its upserts and
    /// `harvest.withdrawn`. Returns the `new`, `changed`, `unchanged` and `withdrawn` counts;
    /// the runner fills in the others.
    fn commit<'a>(&'a self, source: &'a SourceId, harvest: &'a Harvest, at: DateTime<Utc>)
    -> SinkFuture<'a, RunCounts>;

    /// [`Sink::commit`] behind the harvest guard: works out what committing would do (the
    /// offerings the source holds, those it would withdraw), asks [`judge`] with `policy`,
    /// and stores the harvest only on [`Verdict::Commit`], all in one transaction. Default:
    /// commits unguarded, for sinks that keep nothing to guard.
    fn commit_guarded<'a>(
        &'a self,
        source: &'a SourceId,
        harvest: &'a Harvest,
        at: DateTime<Utc>,
        policy: GuardPolicy,
    ) -> SinkFuture<'a, Committed> {
        let _ = policy;
        Box::pin(async move { self.commit(source, harvest, at).await.map(Committed::Stored) })
    }

    /// When `source` last harvested successfully, which decides whether its next run can be
    /// incremental ([`since_for`]). Default: no history, so every run is full.
    fn history<'a>(&'a self, source: &'a SourceId) -> SinkFuture<'a, RunHistory> {
        let _ = source;
        Box::pin(async { Ok(RunHistory::default()) })
    }

    /// Records the end of a run: succeeded, failed with its error, or held with its reason.
    fn finish_run<'a>(
        &'a self,
        run: RunId,
        finished: DateTime<Utc>,
        outcome: RunEnd,
        counts: RunCounts,
        rejections: &'a [RunRejection],
    ) -> SinkFuture<'a, ()>;
}

/// What a guarded commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// Stored, with the `new`, `changed`, `unchanged` and `withdrawn` counts.
    Stored(RunCounts),
    /// Held by the guard: nothing stored. The counts are what committing would have done.
    Held { reason: String, would: RunCounts },
}

/// The time, injectable so tests decide it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What one run read: its records merged by id, the upstream ids it was told are gone, and
/// the records it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Harvest {
    pub source: SourceId,
    /// Everything was read (no `since`): what is absent is withdrawn when committed.
    pub full: bool,
    /// Providers and courses once per id; offerings once per id, the last one read winning.
    pub catalogue: Catalogue,
    /// Upstream ids of offerings the upstream says are gone, each once, in the order met.
    pub withdrawn: Vec<String>,
    /// Records left out, in the order met: the connector's rejections and duplicate offerings.
    pub rejections: Vec<Rejection>,
    /// Items read from the connector, rejected and duplicate ones included.
    pub fetched: u64,
}

impl Harvest {
    fn empty(ctx: &HarvestContext) -> Self {
        Self {
            source: ctx.source.clone(),
            full: ctx.since.is_none(),
            catalogue: Catalogue::default(),
            withdrawn: Vec::new(),
            rejections: Vec::new(),
            fetched: 0,
        }
    }

    /// The counts the harvest itself knows: `fetched` and `rejected`.
    pub fn counts(&self) -> RunCounts {
        RunCounts { fetched: self.fetched, rejected: self.rejections.len() as u64, ..RunCounts::default() }
    }
}

/// Why a run could not read its source.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error(transparent)]
    Connector(#[from] ConnectorError),
    #[error("the upstream yielded more than {limit} items, the limit of one run")]
    TooManyItems { limit: u64 },
    /// A bug in the connector: it panicked while reading.
    #[error("the connector failed unexpectedly: {0}")]
    Panicked(String),
}

/// The reason given for an offering read twice in one run.
pub const DUPLICATE_REASON: &str = "appears more than once in this run; the last one is kept";

/// Drains `connector`'s stream for `ctx` into a [`Harvest`]: providers and courses merged by
/// id, offerings by id (the last one wins; each earlier one is a rejection naming its upstream
/// id), withdrawals once each. Stops with [`HarvestError::TooManyItems`] when the stream yields
/// more than `max_items` items, dropping the stream (which cancels the connector). On an error
/// the harvest read so far comes with it, for the run's counts; it must not be committed.
pub async fn collect(
    connector: &dyn Connector,
    ctx: &HarvestContext,
    max_items: u64,
) -> Result<Harvest, (HarvestError, Harvest)> {
    let mut harvest = Harvest::empty(ctx);
    let mut providers: HashMap<PublicId, usize> = HashMap::new();
    let mut courses: HashMap<PublicId, usize> = HashMap::new();
    let mut offerings: HashMap<PublicId, usize> = HashMap::new();
    let mut withdrawn: HashSet<String> = HashSet::new();
    let mut stream = connector.harvest(ctx);
    while let Some(item) = stream.next().await {
        let item = match item {
            Ok(item) => item,
            Err(error) => return Err((error.into(), harvest)),
        };
        if harvest.fetched >= max_items {
            return Err((HarvestError::TooManyItems { limit: max_items }, harvest));
        }
        harvest.fetched += 1;
        let catalogue = &mut harvest.catalogue;
        match item {
            Item::Provider(provider) => upsert(&mut providers, &mut catalogue.providers, provider.id, provider),
            Item::Course(course) => upsert(&mut courses, &mut catalogue.courses, course.id, course),
            Item::Offering(offering) => match offerings.entry(offering.id) {
                Entry::Occupied(at) => {
                    let earlier = std::mem::replace(&mut catalogue.offerings[*at.get()], offering);
                    let rejection = Rejection::new(earlier.provenance.upstream_id, "id", DUPLICATE_REASON);
                    RecordRejected::of(&ctx.source, &rejection).emit();
                    harvest.rejections.push(rejection);
                }
                Entry::Vacant(slot) => {
                    slot.insert(catalogue.offerings.len());
                    catalogue.offerings.push(offering);
                }
            },
            Item::Withdrawn { upstream_id } => {
                if withdrawn.insert(upstream_id.clone()) {
                    harvest.withdrawn.push(upstream_id);
                }
            }
            Item::Rejected(rejection) => harvest.rejections.push(rejection),
        }
    }
    Ok(harvest)
}

/// Keeps one record per id in `records`, the last one read winning.
fn upsert<T>(index: &mut HashMap<PublicId, usize>, records: &mut Vec<T>, id: PublicId, record: T) {
    match index.entry(id) {
        Entry::Occupied(at) => records[*at.get()] = record,
        Entry::Vacant(slot) => {
            slot.insert(records.len());
            records.push(record);
        }
    }
}

/// What one run needs to know about its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlan {
    pub id: SourceId,
    pub municipality: MunicipalityCode,
    /// Ask only for what changed since then (an incremental run); `None` for a full run.
    pub since: Option<DateTime<Utc>>,
    /// Items the run may read before it is stopped as a runaway: [`DEFAULT_MAX_ITEMS`].
    pub max_items: u64,
    /// The harvest guard's limits; `None` commits unguarded (an accepted run).
    pub guard: Option<GuardPolicy>,
}

impl RunPlan {
    /// A full, guarded run of `source` with the default item limit and guard.
    pub fn full(source: &ValidSource) -> Self {
        Self {
            id: source.id.clone(),
            municipality: source.municipality,
            since: None,
            max_items: DEFAULT_MAX_ITEMS,
            guard: Some(GuardPolicy::default().with(source.guard)),
        }
    }
}

/// How a run ended, as a [`RunReport`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    /// The harvest was stored and the run recorded as succeeded.
    Succeeded,
    /// The run failed; nothing of it was stored (unless `committed` says otherwise).
    Failed,
    /// The run read its source completely, but the harvest guard held it: nothing was stored
    /// (`error` says why) until a run passes the guard or the source is accepted.
    Held,
    /// Not run: the source's circuit breaker is open.
    Skipped,
}

/// What one run of one source did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub source: SourceId,
    /// The recorded run, when the sink recorded its start.
    pub run: Option<RunId>,
    pub outcome: ReportOutcome,
    pub counts: RunCounts,
    /// Why the run failed, was held or was skipped, lowercase.
    pub error: Option<String>,
    /// The harvest was stored: the source's data may have changed.
    pub committed: bool,
    /// Everything was read (no `since`), rather than only what changed.
    pub full: bool,
    pub duration: Duration,
}

impl RunReport {
    fn skipped(source: &SourceId, reason: String) -> Self {
        Self {
            source: source.clone(),
            run: None,
            outcome: ReportOutcome::Skipped,
            counts: RunCounts::default(),
            error: Some(reason),
            committed: false,
            full: true,
            duration: Duration::ZERO,
        }
    }
}

/// Runs `source` once with `connector`: records the start with `sink`, collects the harvest,
/// commits it only when it is complete, and records the end with the counts and rejections.
/// A failure at any step ends in a `Failed` report; the harvest is then never committed.
pub async fn run_once(source: &RunPlan, connector: &dyn Connector, sink: &dyn Sink, clock: &dyn Clock) -> RunReport {
    let started = clock.now();
    let full = source.since.is_none();
    let mut report = RunReport {
        source: source.id.clone(),
        run: None,
        outcome: ReportOutcome::Failed,
        counts: RunCounts::default(),
        error: None,
        committed: false,
        full,
        duration: Duration::ZERO,
    };
    let run = match sink.start_run(&source.id, started, full).await {
        Ok(run) => run,
        Err(error) => {
            report.error = Some(format!("cannot record the start of the run: {error}"));
            return finished(report, started, clock, full);
        }
    };
    report.run = Some(run);
    let ctx =
        HarvestContext { source: source.id.clone(), municipality: source.municipality, since: source.since, started };
    let collected = match AssertUnwindSafe(collect(connector, &ctx, source.max_items)).catch_unwind().await {
        Ok(collected) => collected,
        Err(panic) => Err(panicked(&*panic, &ctx)),
    };
    let (outcome, harvest) = match collected {
        Ok(harvest) => {
            report.counts = harvest.counts();
            let committed = match source.guard {
                Some(policy) => sink.commit_guarded(&source.id, &harvest, started, policy).await,
                None => sink.commit(&source.id, &harvest, started).await.map(Committed::Stored),
            };
            let merge = |report: &mut RunReport, stored: RunCounts| {
                report.counts = RunCounts {
                    new: stored.new,
                    changed: stored.changed,
                    unchanged: stored.unchanged,
                    withdrawn: stored.withdrawn,
                    ..report.counts
                };
            };
            match committed {
                Ok(Committed::Stored(stored)) => {
                    report.committed = true;
                    merge(&mut report, stored);
                    (RunEnd::Succeeded, harvest)
                }
                Ok(Committed::Held { reason, would }) => {
                    merge(&mut report, would);
                    (RunEnd::Held(reason), harvest)
                }
                Err(error) => (RunEnd::Failed(format!("cannot store the harvest: {error}")), harvest),
            }
        }
        Err((error, harvest)) => {
            report.counts = harvest.counts();
            (RunEnd::Failed(error.to_string()), harvest)
        }
    };
    let rejections: Vec<RunRejection> = harvest
        .rejections
        .into_iter()
        .map(|r| RunRejection { upstream_id: r.upstream_id, field: r.field, reason: r.reason })
        .collect();
    report.error = outcome.reason().map(str::to_owned);
    let held = matches!(outcome, RunEnd::Held(_));
    let recorded = sink.finish_run(run, clock.now(), outcome, report.counts, &rejections).await;
    match recorded {
        Ok(()) if report.error.is_none() => report.outcome = ReportOutcome::Succeeded,
        Ok(()) if held => report.outcome = ReportOutcome::Held,
        Ok(()) => {}
        Err(error) => {
            let stored = if report.committed { "the harvest was stored but " } else { "" };
            let cause = report.error.take().map(|e| format!(" (the run failed: {e})")).unwrap_or_default();
            report.error = Some(format!("{stored}cannot record the end of the run: {error}{cause}"));
        }
    }
    finished(report, started, clock, full)
}

/// A connector that panicked: a failed run with nothing read.
fn panicked(panic: &(dyn Any + Send), ctx: &HarvestContext) -> (HarvestError, Harvest) {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    (HarvestError::Panicked(message), Harvest::empty(ctx))
}

/// Sets the report's duration and writes the run's log line.
fn finished(mut report: RunReport, started: DateTime<Utc>, clock: &dyn Clock, full: bool) -> RunReport {
    report.duration = (clock.now() - started).to_std().unwrap_or(Duration::ZERO);
    let c = report.counts;
    let duration_ms = u64::try_from(report.duration.as_millis()).unwrap_or(u64::MAX);
    if let Some(outcome) = report_outcome_code(report.outcome) {
        RunFinished { source: &report.source, outcome }.emit();
    }
    match &report.error {
        None => tracing::info!(
            source = %report.source, full, fetched = c.fetched, new = c.new, changed = c.changed,
            unchanged = c.unchanged, withdrawn = c.withdrawn, rejected = c.rejected, duration_ms,
            "harvest run succeeded"
        ),
        Some(reason) if report.outcome == ReportOutcome::Held => tracing::warn!(
            source = %report.source, full, fetched = c.fetched, rejected = c.rejected, withdrawn = c.withdrawn,
            duration_ms, reason = %reason,
            "harvest run held by the guard: nothing stored"
        ),
        Some(error) => tracing::warn!(
            source = %report.source, full, fetched = c.fetched, rejected = c.rejected,
            committed = report.committed, duration_ms, error = %error,
            "harvest run failed"
        ),
    }
    report
}

/// The `outcome` label of a run's metric; a skipped run did not run.
fn report_outcome_code(outcome: ReportOutcome) -> Option<&'static str> {
    match outcome {
        ReportOutcome::Succeeded => Some("succeeded"),
        ReportOutcome::Failed => Some("failed"),
        ReportOutcome::Held => Some("held"),
        ReportOutcome::Skipped => None,
    }
}

/// When a source's circuit breaker opens and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerPolicy {
    /// Consecutive failed runs that open the breaker.
    pub failure_threshold: u32,
    /// How long an open breaker skips the source before one trial run.
    pub cool_down: Duration,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        Self { failure_threshold: 3, cool_down: Duration::from_secs(30 * 60) }
    }
}

/// The state of a source's circuit breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Runs go ahead; `failures` consecutive runs have failed.
    Closed { failures: u32 },
    /// Runs are skipped until `until`.
    Open { until: DateTime<Utc> },
    /// The cool-down has passed: one trial run decides.
    HalfOpen,
}

/// Whether a source may run now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Run,
    /// The one run after a cool-down: success closes the breaker, failure opens it again.
    Trial,
    /// The breaker is open until then.
    Skip {
        until: DateTime<Utc>,
    },
}

/// A per-source circuit breaker, as a pure state machine over the times it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircuitBreaker {
    policy: BreakerPolicy,
    state: BreakerState,
}

impl CircuitBreaker {
    pub fn new(policy: BreakerPolicy) -> Self {
        Self { policy, state: BreakerState::Closed { failures: 0 } }
    }

    pub fn state(&self) -> BreakerState {
        self.state
    }

    /// Whether a run may start at `now`; an open breaker whose cool-down has passed becomes
    /// half-open and admits one trial.
    pub fn admit(&mut self, now: DateTime<Utc>) -> Admission {
        match self.state {
            BreakerState::Closed { .. } => Admission::Run,
            BreakerState::Open { until } if now < until => Admission::Skip { until },
            BreakerState::Open { .. } | BreakerState::HalfOpen => {
                self.state = BreakerState::HalfOpen;
                Admission::Trial
            }
        }
    }

    /// Records how a run that ended at `now` went.
    pub fn record(&mut self, succeeded: bool, now: DateTime<Utc>) {
        self.state = match (self.state, succeeded) {
            (_, true) => BreakerState::Closed { failures: 0 },
            (BreakerState::Closed { failures }, false) if failures + 1 < self.policy.failure_threshold => {
                BreakerState::Closed { failures: failures + 1 }
            }
            (_, false) => BreakerState::Open { until: now + self.policy.cool_down },
        };
    }
}

/// How a [`Runner`] runs its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunnerOptions {
    /// Runs at once, at least one: [`DEFAULT_CONCURRENCY`].
    pub concurrency: usize,
    /// Items one run may read: [`DEFAULT_MAX_ITEMS`].
    pub max_items: u64,
    /// How long a kind that can ask for changes runs incrementally after a full run
    /// ([`since_for`]): [`DEFAULT_FULL_EVERY`]; zero makes every run full.
    pub full_every: Duration,
    pub breaker: BreakerPolicy,
    /// The harvest guard of every source (`[harvest]`), each source's own limits
    /// (`[source.guard]`) in place of these.
    pub guard: GuardPolicy,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            max_items: DEFAULT_MAX_ITEMS,
            full_every: DEFAULT_FULL_EVERY,
            breaker: BreakerPolicy::default(),
            guard: GuardPolicy::default(),
        }
    }
}

/// A configured source and its built connector.
#[derive(Clone)]
pub struct BuiltSource {
    pub source: ValidSource,
    pub connector: Arc<dyn Connector>,
}

/// Called with a source's id after each successful commit, so the gateway can rebuild what
/// it derives from the store.
pub type OnCommitted = Arc<dyn Fn(&SourceId) + Send + Sync>;

/// Runs many sources: full runs, at most `concurrency` at once, each behind its own circuit
/// breaker.
#[derive(Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

struct Inner {
    /// The sources as last set: replaced whole ([`Runner::replace_sources`]); a run under way
    /// holds its own entry and is not affected.
    sources: std::sync::RwLock<Arc<Vec<BuiltSource>>>,
    sink: Arc<dyn Sink>,
    clock: Arc<dyn Clock>,
    options: RunnerOptions,
    permits: Semaphore,
    breakers: Mutex<HashMap<SourceId, CircuitBreaker>>,
    /// Sources with a run under way: a source never runs twice at once.
    running: Mutex<HashSet<SourceId>>,
    on_committed: Option<OnCommitted>,
}

impl Runner {
    pub fn new(sources: Vec<BuiltSource>, sink: Arc<dyn Sink>, clock: Arc<dyn Clock>, options: RunnerOptions) -> Self {
        let permits = Semaphore::new(options.concurrency.max(1));
        let inner = Inner {
            sources: std::sync::RwLock::new(Arc::new(sources)),
            sink,
            clock,
            options,
            permits,
            breakers: Mutex::default(),
            running: Mutex::default(),
            on_committed: None,
        };
        Self { inner: Arc::new(inner) }
    }

    /// Calls `hook` after each successful commit. Set it before the runner is cloned or run.
    pub fn on_committed(mut self, hook: OnCommitted) -> Self {
        match Arc::get_mut(&mut self.inner) {
            Some(inner) => inner.on_committed = Some(hook),
            None => tracing::error!("the runner's commit hook was set after the runner was shared; it is ignored"),
        }
        self
    }

    /// The circuit breaker of `source`, closed if it never ran.
    pub fn breaker(&self, source: &SourceId) -> BreakerState {
        self.inner.breakers().get(source).map_or(BreakerState::Closed { failures: 0 }, CircuitBreaker::state)
    }

    /// Runs the sources named by `ids` now (every configured source when `ids` is empty,
    /// disabled ones included: asking for a run is explicit), concurrently up to the limit,
    /// and returns their reports in the order asked. An explicit run ignores an open breaker,
    /// but its outcome updates it. An id not configured gets a `Failed` report.
    pub async fn run_now(&self, ids: &[SourceId]) -> Vec<RunReport> {
        let chosen: Vec<Result<BuiltSource, SourceId>> = if ids.is_empty() {
            self.inner.current().iter().cloned().map(Ok).collect()
        } else {
            let sources = self.inner.current();
            ids.iter()
                .map(|id| sources.iter().find(|s| s.source.id == *id).cloned().ok_or_else(|| id.clone()))
                .collect()
        };
        let handles: Vec<_> = chosen
            .into_iter()
            .map(|entry| match entry {
                Ok(entry) => {
                    let id = entry.source.id.clone();
                    (id, Some(tokio::spawn(Arc::clone(&self.inner).run_isolated(entry, Mode::Now))))
                }
                Err(id) => (id, None),
            })
            .collect();
        let mut reports = Vec::with_capacity(handles.len());
        for (id, handle) in handles {
            reports.push(match handle {
                // `run_isolated` reports a panicking run itself; this is only cancellation.
                Some(handle) => handle.await.unwrap_or_else(|e| failed(&id, format!("the run ended abnormally: {e}"))),
                None => failed(&id, "no such source is configured".to_owned()),
            });
        }
        reports
    }

    /// A scheduled run of the source `id` now, as the gateway's harvest schedule asks for one
    /// when it is due: skipped while the source's circuit breaker is open. An id not
    /// configured gets a `Failed` report.
    pub async fn run_due(&self, id: &SourceId) -> RunReport {
        match self.inner.current().iter().find(|s| s.source.id == *id).cloned() {
            Some(entry) => Arc::clone(&self.inner).run_isolated(entry, Mode::Scheduled).await,
            None => failed(id, "no such source is configured".to_owned()),
        }
    }

    /// Accepts what the source `id` has now, whatever the harvest guard would say: a full run
    /// now, committed unguarded, which ends the source's `held` state. What an operator does
    /// after reading why a run was held (`vuxnav harvest --accept SOURCE`, and later the admin
    /// API): the one place that accepts. The held run itself is not kept; the source is read
    /// again, so what is accepted is what the upstream serves at the time of accepting.
    pub async fn accept(&self, id: &SourceId) -> RunReport {
        match self.inner.current().iter().find(|s| s.source.id == *id).cloned() {
            Some(entry) => Arc::clone(&self.inner).run_isolated(entry, Mode::Accepted).await,
            None => failed(id, "no such source is configured".to_owned()),
        }
    }

    /// The sources this runner runs now.
    pub fn sources(&self) -> Vec<ValidSource> {
        self.inner.current().iter().map(|entry| entry.source.clone()).collect()
    }

    /// Runs these sources from now on: a source added is run when next asked for, one
    /// removed is no longer run, one changed runs with its new configuration from its next
    /// run. A run under way finishes with the configuration it started with. Breakers of
    /// sources that remain keep their state.
    pub fn replace_sources(&self, sources: Vec<BuiltSource>) {
        let ids: HashSet<SourceId> = sources.iter().map(|entry| entry.source.id.clone()).collect();
        *self.inner.sources.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(sources);
        self.inner.breakers().retain(|id, _| ids.contains(id));
    }
}

impl Inner {
    /// The sources as last set.
    fn current(&self) -> Arc<Vec<BuiltSource>> {
        Arc::clone(&self.sources.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// [`Inner::run`] in a task of its own, so that a run that panics is reported as failed,
    /// counted by the source's breaker, and does not end the source's schedule.
    async fn run_isolated(self: Arc<Self>, entry: BuiltSource, mode: Mode) -> RunReport {
        let id = entry.source.id.clone();
        let inner = Arc::clone(&self);
        match tokio::spawn(async move { inner.run(&entry, mode).await }).await {
            Ok(report) => report,
            Err(error) => {
                let report = failed(&id, format!("the run ended abnormally: {error}"));
                tracing::error!(source = %id, error = %error, "harvest run ended abnormally");
                self.record(&id, false);
                report
            }
        }
    }

    fn record(&self, source: &SourceId, succeeded: bool) {
        let policy = self.options.breaker;
        let now = self.clock.now();
        self.breakers().entry(source.clone()).or_insert_with(|| CircuitBreaker::new(policy)).record(succeeded, now);
    }

    fn breakers(&self) -> std::sync::MutexGuard<'_, HashMap<SourceId, CircuitBreaker>> {
        self.breakers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One run of `entry` under the concurrency limit, incremental when [`since_for`] says so
    /// (an accepted run is always full); a scheduled run is skipped while the source's breaker
    /// is open, and only an accepted one commits unguarded.
    async fn run(&self, entry: &BuiltSource, mode: Mode) -> RunReport {
        let id = &entry.source.id;
        if mode == Mode::Scheduled {
            let now = self.clock.now();
            let policy = self.options.breaker;
            let admission = self.breakers().entry(id.clone()).or_insert_with(|| CircuitBreaker::new(policy)).admit(now);
            if let Admission::Skip { until } = admission {
                let report = RunReport::skipped(id, format!("circuit open until {}", until.to_rfc3339()));
                tracing::info!(source = %id, until = %until.to_rfc3339(), "harvest run skipped: circuit open");
                return report;
            }
        }
        let Some(_busy) = Busy::claim(&self.running, id) else {
            let report = RunReport::skipped(id, "a run of this source is already under way".to_owned());
            tracing::info!(source = %id, "harvest run skipped: a run is already under way");
            return report;
        };
        let Ok(_permit) = self.permits.acquire().await else {
            return failed(id, "the runner is closed".to_owned());
        };
        let since = if mode != Mode::Accepted && entry.connector.incremental() && !self.options.full_every.is_zero() {
            match self.sink.history(id).await {
                Ok(history) => since_for(history, true, self.options.full_every, self.clock.now()),
                Err(error) => {
                    tracing::warn!(source = %id, %error, "no run history: running in full");
                    None
                }
            }
        } else {
            None
        };
        let guard = (mode != Mode::Accepted).then(|| self.options.guard.with(entry.source.guard));
        let source = RunPlan { since, max_items: self.options.max_items, guard, ..RunPlan::full(&entry.source) };
        let report = run_once(&source, entry.connector.as_ref(), self.sink.as_ref(), self.clock.as_ref()).await;
        // A held run read its source: the source is not failing, so the breaker is not opened.
        self.record(id, report.outcome != ReportOutcome::Failed);
        if report.committed
            && let Some(hook) = &self.on_committed
        {
            hook(id);
        }
        report
    }
}

/// Why a run is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// On the source's schedule: skipped while its breaker is open.
    Scheduled,
    /// Asked for now (`vuxnav harvest`): runs whatever the breaker says.
    Now,
    /// An operator accepts what the source has: full and unguarded.
    Accepted,
}

fn failed(source: &SourceId, error: String) -> RunReport {
    RunReport {
        source: source.clone(),
        run: None,
        outcome: ReportOutcome::Failed,
        counts: RunCounts::default(),
        error: Some(error),
        committed: false,
        full: true,
        duration: Duration::ZERO,
    }
}

/// A source's claim on running, released when dropped (also when its run panics).
struct Busy<'a> {
    running: &'a Mutex<HashSet<SourceId>>,
    source: SourceId,
}

impl<'a> Busy<'a> {
    fn claim(running: &'a Mutex<HashSet<SourceId>>, source: &SourceId) -> Option<Self> {
        let claimed = running.lock().unwrap_or_else(PoisonError::into_inner).insert(source.clone());
        claimed.then(|| Self { running, source: source.clone() })
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.running.lock().unwrap_or_else(PoisonError::into_inner).remove(&self.source);
    }
}

#[cfg(test)]
mod since_tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a time")
    }

    const DAY: Duration = Duration::from_secs(24 * 3600);

    #[test]
    fn an_incremental_kind_asks_for_changes_since_a_little_before_its_last_success() {
        let history = RunHistory {
            last_success: Some(at("2026-11-27T03:00:00Z")),
            last_full_success: Some(at("2026-11-26T22:00:00Z")),
        };
        assert_eq!(since_for(history, true, DAY, at("2026-11-27T09:00:00Z")), Some(at("2026-11-27T02:45:00Z")));
    }

    #[test]
    fn a_run_is_full_without_a_full_success_when_it_is_due_or_when_the_kind_cannot_ask_for_changes() {
        let now = at("2026-11-27T09:00:00Z");
        let recent = RunHistory { last_success: Some(now), last_full_success: Some(at("2026-11-27T03:00:00Z")) };
        assert_eq!(since_for(RunHistory::default(), true, DAY, now), None, "never harvested in full");
        let incremental_only = RunHistory { last_success: Some(now), last_full_success: None };
        assert_eq!(since_for(incremental_only, true, DAY, now), None, "no full run yet");
        assert_eq!(since_for(recent, false, DAY, now), None, "a kind that cannot ask for changes");
        assert_eq!(since_for(recent, true, Duration::ZERO, now), None, "full runs forced");
        let due = RunHistory { last_success: Some(now), last_full_success: Some(at("2026-11-26T09:00:00Z")) };
        assert_eq!(since_for(due, true, DAY, now), None, "the last full run is a day old");
    }
}
