//! The harvest runner over a scripted connector and a recording sink: a run commits only a
//! complete harvest, every failure is recorded and reported, sources run concurrently up to a
//! limit, a source that keeps failing is held off by its circuit breaker, and one failing
//! source never stops the others.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use futures::StreamExt;
use futures::stream;
use tokio::sync::Notify;
use vuxnav_connectors::config::{ValidSource, parse_sources};
use vuxnav_connectors::runner::{
    Admission, BreakerPolicy, BreakerState, BuiltSource, CircuitBreaker, Clock, DUPLICATE_REASON, Harvest,
    HarvestError, ReportOutcome, RunPlan, RunReport, Runner, RunnerOptions, Sink, SinkError, SinkFuture, collect,
    run_once,
};
use vuxnav_connectors::{Connector, ConnectorError, HarvestContext, Item, ItemStream, Rejection};
use vuxnav_schema::{
    Application, Eligibility, Language, Location, MunicipalityCode, Offering, Pace, Provenance, PublicId, RunCounts,
    RunEnd, RunId, RunRejection, Schedule, SourceId, StudyMode, TimeOfStudy,
};

const URL: &str = "https://kurser.example.se/api";

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).single().expect("a time")
}

fn source_id(id: &str) -> SourceId {
    SourceId::parse(id).expect("a valid source id")
}

fn run_source(id: &str) -> RunPlan {
    RunPlan {
        id: source_id(id),
        municipality: MunicipalityCode::parse("0180").expect("a kommunkod"),
        since: None,
        max_items: 1_000,
        guard: None,
    }
}

fn offering(source: &SourceId, upstream_id: &str, seats: u32) -> Offering {
    let id = PublicId::offering(source, upstream_id);
    Offering {
        id,
        course: PublicId::local_course(source, "c1"),
        provider: PublicId::local_provider(source, "p1"),
        municipality: MunicipalityCode::parse("0180").expect("a kommunkod"),
        title: None,
        location: Location::default(),
        schedule: Schedule::new(None, None, true).expect("a schedule"),
        application: Application::new(None, None, true, None).expect("an application"),
        pace: Pace::new(100).expect("a pace"),
        time_of_study: Some(TimeOfStudy::ALL[0]),
        mode: Some(StudyMode::ALL[0]),
        language: Some(Language::SWEDISH),
        seats: Some(seats),
        cancelled: false,
        apprenticeship: false,
        fee_sek: None,
        eligibility: Eligibility::ALL[0],
        web: None,
        provenance: Provenance {
            configured: Default::default(),
            source: source.clone(),
            upstream_id: upstream_id.to_owned(),
            first_seen: at(),
            last_changed: at(),
            content_hash: String::new(),
            last_harvest: at(),
        },
    }
}

/// One step of a scripted connector's stream.
// Test scripts are short; boxing the item would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Step {
    Yield(Item),
    Fail(&'static str),
}

/// Counts the connectors harvesting at once and the most there ever were.
#[derive(Default)]
struct Gauge {
    active: AtomicUsize,
    max: AtomicUsize,
}

/// A connector that yields its script, then ends.
struct Scripted {
    steps: Vec<Step>,
    gauge: Option<Arc<Gauge>>,
}

impl Scripted {
    fn new(steps: Vec<Step>) -> Self {
        Self { steps, gauge: None }
    }

    /// Offerings `e.0` … of `source`.
    fn offerings(source: &SourceId, count: usize) -> Self {
        Self::new((0..count).map(|i| Step::Yield(Item::Offering(offering(source, &format!("e.{i}"), 10)))).collect())
    }
}

impl Connector for Scripted {
    fn harvest<'a>(&'a self, _ctx: &'a HarvestContext) -> ItemStream<'a> {
        stream::unfold(0usize, move |i| async move {
            if i == 0
                && let Some(gauge) = &self.gauge
            {
                let now = gauge.active.fetch_add(1, Ordering::SeqCst) + 1;
                gauge.max.fetch_max(now, Ordering::SeqCst);
                // Let every other run that may start, start.
                for _ in 0..50 {
                    tokio::task::yield_now().await;
                }
            }
            match self.steps.get(i) {
                Some(Step::Yield(item)) => Some((Ok(item.clone()), i + 1)),
                Some(Step::Fail(reason)) => {
                    Some((Err(ConnectorError::Upstream { url: URL.to_owned(), reason: (*reason).to_owned() }), i + 1))
                }
                None => {
                    if let Some(gauge) = &self.gauge {
                        gauge.active.fetch_sub(1, Ordering::SeqCst);
                    }
                    None
                }
            }
        })
        .boxed()
    }
}

/// A connector that never stops yielding offerings.
struct Runaway;

impl Connector for Runaway {
    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a> {
        let mut i = 0u64;
        stream::repeat_with(move || {
            i += 1;
            Ok(Item::Offering(offering(&ctx.source, &format!("e.{i}"), 1)))
        })
        .boxed()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Call {
    Start { source: String, full: bool },
    Commit { source: String, offerings: Vec<(String, Option<u32>)>, withdrawn: Vec<String> },
    Finish { run: RunId, outcome: Result<(), String>, counts: RunCounts, rejections: Vec<RunRejection> },
}

/// A sink that records every call; a commit reports every offering as new.
#[derive(Default)]
struct RecordingSink {
    calls: Mutex<Vec<Call>>,
    next_run: AtomicI64,
    fail_commit: bool,
    finished: Notify,
}

impl RecordingSink {
    fn failing_commits() -> Self {
        Self { fail_commit: true, ..Self::default() }
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("the calls").clone()
    }

    fn commits(&self) -> Vec<Call> {
        self.calls().into_iter().filter(|c| matches!(c, Call::Commit { .. })).collect()
    }

    fn record(&self, call: Call) {
        self.calls.lock().expect("the calls").push(call);
    }
}

impl Sink for RecordingSink {
    fn start_run<'a>(&'a self, source: &'a SourceId, _started: DateTime<Utc>, full: bool) -> SinkFuture<'a, RunId> {
        Box::pin(async move {
            self.record(Call::Start { source: source.to_string(), full });
            Ok(RunId::new(self.next_run.fetch_add(1, Ordering::SeqCst) + 1))
        })
    }

    fn commit<'a>(
        &'a self,
        source: &'a SourceId,
        harvest: &'a Harvest,
        _at: DateTime<Utc>,
    ) -> SinkFuture<'a, RunCounts> {
        Box::pin(async move {
            if self.fail_commit {
                return Err(SinkError::new("database is locked"));
            }
            self.record(Call::Commit {
                source: source.to_string(),
                offerings: harvest
                    .catalogue
                    .offerings
                    .iter()
                    .map(|o| (o.provenance.upstream_id.clone(), o.seats))
                    .collect(),
                withdrawn: harvest.withdrawn.clone(),
            });
            Ok(RunCounts {
                new: harvest.catalogue.offerings.len() as u64,
                withdrawn: harvest.withdrawn.len() as u64,
                ..RunCounts::default()
            })
        })
    }

    fn finish_run<'a>(
        &'a self,
        run: RunId,
        _finished: DateTime<Utc>,
        outcome: RunEnd,
        counts: RunCounts,
        rejections: &'a [RunRejection],
    ) -> SinkFuture<'a, ()> {
        let outcome = match outcome {
            RunEnd::Succeeded => Ok(()),
            RunEnd::Failed(reason) | RunEnd::Held(reason) => Err(reason),
        };
        Box::pin(async move {
            self.record(Call::Finish { run, outcome, counts, rejections: rejections.to_vec() });
            self.finished.notify_one();
            Ok(())
        })
    }
}

/// A clock that stands still.
struct FixedClock(DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

fn finishes(sink: &RecordingSink) -> Vec<(Result<(), String>, RunCounts, Vec<RunRejection>)> {
    sink.calls()
        .into_iter()
        .filter_map(|c| match c {
            Call::Finish { outcome, counts, rejections, .. } => Some((outcome, counts, rejections)),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_successful_run_commits_once_and_finishes_succeeded_with_counts() {
    let source = run_source("huddinge-alvis");
    let mut steps: Vec<Step> =
        (0..3).map(|i| Step::Yield(Item::Offering(offering(&source.id, &format!("e.{i}"), 10)))).collect();
    steps.push(Step::Yield(Item::Rejected(Rejection::new("e.9", "execution.start", "is not a date"))));
    let sink = RecordingSink::default();

    let report = run_once(&source, &Scripted::new(steps), &sink, &FixedClock(at())).await;

    assert_eq!(report.outcome, ReportOutcome::Succeeded, "{report:?}");
    assert_eq!(report.error, None);
    assert!(report.committed);
    let expected = RunCounts { fetched: 4, new: 3, rejected: 1, ..RunCounts::default() };
    assert_eq!(report.counts, expected);
    assert_eq!(sink.commits().len(), 1);
    let calls = sink.calls();
    assert_eq!(calls[0], Call::Start { source: "huddinge-alvis".to_owned(), full: true });
    assert_eq!(
        calls.last(),
        Some(&Call::Finish {
            run: RunId::new(1),
            outcome: Ok(()),
            counts: expected,
            rejections: vec![RunRejection {
                upstream_id: "e.9".to_owned(),
                field: "execution.start".to_owned(),
                reason: "is not a date".to_owned(),
            }],
        })
    );
}

#[tokio::test]
async fn a_connector_error_after_some_items_finishes_failed_with_the_error_and_never_commits() {
    let source = run_source("huddinge-alvis");
    let steps = vec![
        Step::Yield(Item::Offering(offering(&source.id, "e.1", 10))),
        Step::Yield(Item::Offering(offering(&source.id, "e.2", 10))),
        Step::Fail("HTTP 503 Service Unavailable"),
        Step::Yield(Item::Offering(offering(&source.id, "e.3", 10))),
    ];
    let sink = RecordingSink::default();

    let report = run_once(&source, &Scripted::new(steps), &sink, &FixedClock(at())).await;

    let error = format!("{URL}: HTTP 503 Service Unavailable");
    assert_eq!(report.outcome, ReportOutcome::Failed);
    assert_eq!(report.error.as_deref(), Some(error.as_str()));
    assert!(!report.committed);
    assert_eq!(report.counts, RunCounts { fetched: 2, ..RunCounts::default() });
    assert!(sink.commits().is_empty(), "a failed run must not commit: {:?}", sink.calls());
    assert_eq!(finishes(&sink), vec![(Err(error), report.counts, vec![])]);
}

#[tokio::test]
async fn a_commit_error_finishes_failed() {
    let source = run_source("huddinge-alvis");
    let sink = RecordingSink::failing_commits();

    let report = run_once(&source, &Scripted::offerings(&source.id, 2), &sink, &FixedClock(at())).await;

    let error = "cannot store the harvest: database is locked".to_owned();
    assert_eq!(report.outcome, ReportOutcome::Failed);
    assert_eq!(report.error.as_ref(), Some(&error));
    assert!(!report.committed);
    assert_eq!(finishes(&sink), vec![(Err(error), RunCounts { fetched: 2, ..RunCounts::default() }, vec![])]);
}

#[tokio::test]
async fn duplicate_offerings_in_one_run_are_counted_and_the_last_wins() {
    let source = run_source("huddinge-alvis");
    let steps = vec![
        Step::Yield(Item::Offering(offering(&source.id, "e.1", 10))),
        Step::Yield(Item::Offering(offering(&source.id, "e.2", 20))),
        Step::Yield(Item::Offering(offering(&source.id, "e.1", 11))),
        Step::Yield(Item::Offering(offering(&source.id, "e.1", 12))),
        Step::Yield(Item::Withdrawn { upstream_id: "e.7".to_owned() }),
        Step::Yield(Item::Withdrawn { upstream_id: "e.7".to_owned() }),
    ];
    let sink = RecordingSink::default();

    let report = run_once(&source, &Scripted::new(steps), &sink, &FixedClock(at())).await;

    assert_eq!(report.outcome, ReportOutcome::Succeeded, "{report:?}");
    assert_eq!(report.counts.fetched, 6);
    assert_eq!(report.counts.rejected, 2);
    assert_eq!(
        sink.commits(),
        vec![Call::Commit {
            source: "huddinge-alvis".to_owned(),
            offerings: vec![("e.1".to_owned(), Some(12)), ("e.2".to_owned(), Some(20))],
            withdrawn: vec!["e.7".to_owned()],
        }]
    );
    let duplicate =
        RunRejection { upstream_id: "e.1".to_owned(), field: "id".to_owned(), reason: DUPLICATE_REASON.to_owned() };
    assert_eq!(finishes(&sink)[0].2, vec![duplicate.clone(), duplicate]);
}

#[tokio::test]
async fn providers_and_courses_read_twice_are_kept_once_without_a_rejection() {
    let source = run_source("huddinge-alvis");
    let course = vuxnav_schema::Course {
        id: PublicId::local_course(&source.id, "c1"),
        code: None,
        local_code: None,
        title: "Svenska 1".to_owned(),
        description: None,
        school_form: vuxnav_schema::SchoolForm::ALL[0],
        credits: None,
        subject: None,
        sun_field: None,
        vocational: false,
        configuration: vuxnav_schema::CourseConfiguration::ALL[0],
    };
    let renamed = vuxnav_schema::Course { title: "Svenska 1, distans".to_owned(), ..course.clone() };
    let steps = vec![Step::Yield(Item::Course(course)), Step::Yield(Item::Course(renamed.clone()))];
    let ctx =
        HarvestContext { source: source.id.clone(), municipality: source.municipality, since: None, started: at() };

    let harvest = collect(&Scripted::new(steps), &ctx, 10).await.expect("a complete harvest");

    assert_eq!(harvest.catalogue.courses, vec![renamed]);
    assert!(harvest.rejections.is_empty());
    assert_eq!(harvest.fetched, 2);
}

#[tokio::test]
async fn the_item_limit_stops_a_runaway_connector_with_a_clear_error() {
    let source = run_source("huddinge-alvis");
    let ctx =
        HarvestContext { source: source.id.clone(), municipality: source.municipality, since: None, started: at() };

    let Err((error, partial)) = collect(&Runaway, &ctx, 500).await else {
        panic!("a runaway upstream must not end in a complete harvest");
    };
    assert!(matches!(error, HarvestError::TooManyItems { limit: 500 }), "{error:?}");
    assert_eq!(partial.fetched, 500);

    let sink = RecordingSink::default();
    let report = run_once(&source, &Runaway, &sink, &FixedClock(at())).await;
    assert_eq!(report.outcome, ReportOutcome::Failed);
    assert_eq!(report.error.as_deref(), Some("the upstream yielded more than 1000 items, the limit of one run"));
    assert!(sink.commits().is_empty());
}

#[tokio::test]
async fn an_incremental_run_is_recorded_as_not_full() {
    let source = RunPlan { since: Some(at() - chrono::Duration::days(1)), ..run_source("huddinge-alvis") };
    let sink = RecordingSink::default();

    run_once(&source, &Scripted::offerings(&source.id, 1), &sink, &FixedClock(at())).await;

    assert_eq!(sink.calls()[0], Call::Start { source: "huddinge-alvis".to_owned(), full: false });
}

/// The 26 municipalities of Stockholms län.
const STOCKHOLM: [&str; 26] = [
    "0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138", "0139", "0140", "0160",
    "0162", "0163", "0180", "0181", "0182", "0183", "0184", "0186", "0187", "0188", "0191", "0192",
];

/// Valid sources `s0114` … for the municipalities, enabled, scheduled `schedule`.
fn valid_sources(municipalities: &[&str], schedule: &str) -> Vec<ValidSource> {
    let entries: Vec<toml::Value> = municipalities
        .iter()
        .map(|code| {
            let text = format!(
                "id = \"s{code}\"\nmunicipality = \"{code}\"\nschedule = \"{schedule}\"\n\
                 [connector]\nkind = \"csv\"\npath = \"kurser.csv\"\n\
                 [connector.columns]\nupstream_id = \"Id\"\nprovider_name = \"Anordnare\"\n\
                 title = \"Namn\"\nschool_form = \"Niva\"\npace = \"Omfattning\"\n"
            );
            toml::Value::Table(toml::from_str(&text).expect("a source entry"))
        })
        .collect();
    parse_sources(&entries).unwrap_or_else(|problems| panic!("valid sources: {problems:?}"))
}

#[tokio::test]
async fn run_now_respects_the_concurrency_limit() {
    let gauge = Arc::new(Gauge::default());
    let sources: Vec<BuiltSource> = valid_sources(&STOCKHOLM[..10], "0 0 3 * * *")
        .into_iter()
        .map(|source| {
            let mut connector = Scripted::offerings(&source.id, 3);
            connector.gauge = Some(Arc::clone(&gauge));
            BuiltSource { source, connector: Arc::new(connector) }
        })
        .collect();
    let sink = Arc::new(RecordingSink::default());
    let options = RunnerOptions { concurrency: 3, ..RunnerOptions::default() };
    let runner = Runner::new(sources, sink.clone(), Arc::new(FixedClock(at())), options);

    let reports = runner.run_now(&[]).await;

    assert_eq!(reports.len(), 10);
    assert!(reports.iter().all(|r| r.outcome == ReportOutcome::Succeeded), "{reports:?}");
    assert_eq!(gauge.max.load(Ordering::SeqCst), 3, "at most 3 runs at once, and the limit is used");
}

#[tokio::test]
async fn twenty_six_sources_where_several_fail_all_the_others_commit() {
    let failing = ["0120", "0138", "0180", "0187", "0192"];
    let sources: Vec<BuiltSource> = valid_sources(&STOCKHOLM, "0 0 3 * * *")
        .into_iter()
        .map(|source| {
            let connector = if failing.contains(&source.municipality.as_str()) {
                Scripted::new(vec![
                    Step::Yield(Item::Offering(offering(&source.id, "e.1", 1))),
                    Step::Fail("connection reset"),
                ])
            } else {
                Scripted::offerings(&source.id, 4)
            };
            BuiltSource { source, connector: Arc::new(connector) }
        })
        .collect();
    let sink = Arc::new(RecordingSink::default());
    let committed = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&committed);
    let runner = Runner::new(sources, sink.clone(), Arc::new(FixedClock(at())), RunnerOptions::default())
        .on_committed(Arc::new(move |id: &SourceId| seen.lock().expect("the hook's list").push(id.to_string())));

    let reports = runner.run_now(&[]).await;

    assert_eq!(reports.len(), 26);
    let (failed, succeeded): (Vec<&RunReport>, Vec<&RunReport>) =
        reports.iter().partition(|r| failing.iter().any(|code| r.source.as_str() == format!("s{code}")));
    assert!(failed.iter().all(|r| r.outcome == ReportOutcome::Failed && !r.committed), "{failed:?}");
    assert!(succeeded.iter().all(|r| r.outcome == ReportOutcome::Succeeded && r.counts.new == 4), "{succeeded:?}");
    let mut committed_sources: Vec<String> = sink
        .commits()
        .into_iter()
        .map(|c| match c {
            Call::Commit { source, .. } => source,
            other => panic!("not a commit: {other:?}"),
        })
        .collect();
    committed_sources.sort();
    let mut expected: Vec<String> = succeeded.iter().map(|r| r.source.to_string()).collect();
    expected.sort();
    assert_eq!(committed_sources, expected);
    let mut hooked = committed.lock().expect("the hook's list").clone();
    hooked.sort();
    assert_eq!(hooked, expected, "the commit hook is called once per committed source");
    assert_eq!(finishes(&sink).len(), 26, "every run is recorded");
    let failures = reports.iter().filter(|r| r.outcome == ReportOutcome::Failed).count();
    assert_eq!(failures, failing.len());
    let failed_source = source_id("s0120");
    assert_eq!(runner.breaker(&failed_source), BreakerState::Closed { failures: 1 });
}

#[tokio::test]
async fn run_now_reports_a_source_that_is_not_configured() {
    let runner = Runner::new(
        Vec::new(),
        Arc::new(RecordingSink::default()),
        Arc::new(FixedClock(at())),
        RunnerOptions::default(),
    );

    let reports = runner.run_now(&[source_id("nowhere")]).await;

    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].outcome, ReportOutcome::Failed);
    assert_eq!(reports[0].error.as_deref(), Some("no such source is configured"));
}

#[test]
fn the_breaker_opens_after_three_failures_skips_while_open_half_opens_after_the_cool_down_and_closes_on_success() {
    let policy = BreakerPolicy::default();
    assert_eq!(policy.failure_threshold, 3);
    assert_eq!(policy.cool_down, Duration::from_secs(30 * 60));
    let mut breaker = CircuitBreaker::new(policy);
    let t0 = at();

    for failures in 1..=2 {
        assert_eq!(breaker.admit(t0), Admission::Run);
        breaker.record(false, t0);
        assert_eq!(breaker.state(), BreakerState::Closed { failures });
    }
    assert_eq!(breaker.admit(t0), Admission::Run);
    breaker.record(false, t0);
    let until = t0 + chrono::Duration::minutes(30);
    assert_eq!(breaker.state(), BreakerState::Open { until });

    assert_eq!(breaker.admit(t0 + chrono::Duration::minutes(29)), Admission::Skip { until });
    assert_eq!(breaker.state(), BreakerState::Open { until });

    assert_eq!(breaker.admit(until), Admission::Trial);
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
    breaker.record(true, until);
    assert_eq!(breaker.state(), BreakerState::Closed { failures: 0 });
    assert_eq!(breaker.admit(until), Admission::Run);
}

#[test]
fn a_failed_trial_opens_the_breaker_again_for_a_whole_cool_down() {
    let policy = BreakerPolicy { failure_threshold: 1, cool_down: Duration::from_secs(60) };
    let mut breaker = CircuitBreaker::new(policy);
    let t0 = at();
    breaker.record(false, t0);
    let t1 = t0 + chrono::Duration::minutes(5);

    assert_eq!(breaker.admit(t1), Admission::Trial);
    breaker.record(false, t1);

    let until = t1 + chrono::Duration::minutes(1);
    assert_eq!(breaker.state(), BreakerState::Open { until });
    assert_eq!(breaker.admit(t1), Admission::Skip { until });
}

#[test]
fn a_success_resets_the_count_of_consecutive_failures() {
    let mut breaker = CircuitBreaker::new(BreakerPolicy::default());
    let t0 = at();
    breaker.record(false, t0);
    breaker.record(false, t0);
    breaker.record(true, t0);
    breaker.record(false, t0);
    breaker.record(false, t0);

    assert_eq!(breaker.state(), BreakerState::Closed { failures: 2 });
}

#[tokio::test]
async fn a_due_run_is_skipped_while_the_breaker_is_open_and_an_explicit_one_is_not() {
    let source = valid_sources(&STOCKHOLM[..1], "0 0 3 * * *").remove(0);
    let entries = vec![BuiltSource { source: source.clone(), connector: Arc::new(Panicking) }];
    let sink = Arc::new(RecordingSink::default());
    let runner = Runner::new(entries, sink.clone(), Arc::new(FixedClock(at())), RunnerOptions::default());
    for _ in 0..BreakerPolicy::default().failure_threshold {
        assert_eq!(runner.run_due(&source.id).await.outcome, ReportOutcome::Failed);
    }

    assert_eq!(runner.run_due(&source.id).await.outcome, ReportOutcome::Skipped);
    assert_eq!(runner.run_now(std::slice::from_ref(&source.id)).await[0].outcome, ReportOutcome::Failed);
    let unknown = SourceId::parse("nowhere").unwrap();
    assert_eq!(runner.run_due(&unknown).await.error.as_deref(), Some("no such source is configured"));
}

/// A connector whose harvest panics.
struct Panicking;

impl Connector for Panicking {
    fn harvest<'a>(&'a self, _ctx: &'a HarvestContext) -> ItemStream<'a> {
        panic!("a bug in a connector")
    }
}

#[tokio::test]
async fn a_connector_that_panics_fails_its_run_which_is_recorded_and_counted_by_the_breaker() {
    let mut sources = valid_sources(&STOCKHOLM[..2], "0 0 3 * * *").into_iter();
    let broken = sources.next().expect("a source");
    let healthy = sources.next().expect("a source");
    let healthy_connector = Arc::new(Scripted::offerings(&healthy.id, 2));
    let entries = vec![
        BuiltSource { source: broken.clone(), connector: Arc::new(Panicking) },
        BuiltSource { source: healthy.clone(), connector: healthy_connector },
    ];
    let sink = Arc::new(RecordingSink::default());
    let runner = Runner::new(entries, sink.clone(), Arc::new(FixedClock(at())), RunnerOptions::default());

    let reports = runner.run_now(&[]).await;

    assert_eq!(reports[0].source, broken.id);
    assert_eq!(reports[0].outcome, ReportOutcome::Failed);
    assert_eq!(reports[0].error.as_deref(), Some("the connector failed unexpectedly: a bug in a connector"));
    let recorded = finishes(&sink);
    let failure = Err("the connector failed unexpectedly: a bug in a connector".to_owned());
    assert!(recorded.iter().any(|(outcome, ..)| *outcome == failure), "the run is recorded as failed: {recorded:?}");
    assert_eq!(runner.breaker(&broken.id), BreakerState::Closed { failures: 1 });
    assert_eq!(reports[1].outcome, ReportOutcome::Succeeded);
    assert_eq!(sink.commits().len(), 1);
}

#[tokio::test]
async fn a_source_never_runs_twice_at_once() {
    let source = valid_sources(&STOCKHOLM[..1], "0 0 3 * * *").remove(0);
    let mut connector = Scripted::offerings(&source.id, 2);
    connector.gauge = Some(Arc::new(Gauge::default()));
    let entries = vec![BuiltSource { source: source.clone(), connector: Arc::new(connector) }];
    let sink = Arc::new(RecordingSink::default());
    let runner = Runner::new(entries, sink.clone(), Arc::new(FixedClock(at())), RunnerOptions::default());

    let reports = runner.run_now(&[source.id.clone(), source.id.clone()]).await;

    let outcomes: Vec<ReportOutcome> = reports.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, vec![ReportOutcome::Succeeded, ReportOutcome::Skipped]);
    assert_eq!(reports[1].error.as_deref(), Some("a run of this source is already under way"));
    assert_eq!(sink.commits().len(), 1);
}
