//! Faults at the level of the whole app, over the simulated municipal systems: several of the
//! 26 regional sources failing at once in different ways while GraphQL keeps answering from
//! their last good data, a 2 GB body stopped at `[harvest] max_body_bytes`, and a `vuxnav
//! serve` process killed in the middle of a harvest.
//!
//! How each fault fails one connector's run is shown in `upstream.rs`; here the runs go through
//! the runner built from a config file into a real store, as `vuxnav serve` does.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vuxnav_connectors::runner::{ReportOutcome, RunReport};
use vuxnav_gateway::config::Config;
use vuxnav_gateway::jobs::harvest;
use vuxnav_schema::{PublicId, RunOutcome, SourceId, SourceState};
use vuxnav_simulator::DemoSource;
use vuxnav_simulator::upstream::{Fault, HUGE_BODY_BYTES, Upstreams};
use vuxnav_store::Store;
use vuxnav_store::testing::{fresh_databases, fresh_stores};

use vuxnav_tests::{TestApp, regional};

/// How long any awaited condition may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(90);

/// A config file for `sources` served by `upstreams`: `head` (top-level keys and tables such
/// as `[harvest]`) and the `[[source]]` entries the simulator writes, harvested on `schedule`.
fn config_toml(upstreams: &Upstreams, sources: &[DemoSource], head: &str, schedule: &str) -> String {
    format!("{head}\n{}", upstreams.sources_toml(sources, schedule))
}

/// Writes `toml` as `<dir>/vuxnav.toml` and loads it as the binary would (no environment).
fn load(dir: &Path, toml: &str) -> Config {
    let path = dir.join("vuxnav.toml");
    std::fs::write(&path, toml).expect("the config is written");
    Config::load(Some(&path), std::iter::empty::<(String, String)>())
        .unwrap_or_else(|e| panic!("the config loads: {e}"))
}

/// Awaits a condition polled in a loop: each [`Waiting::tick`] pauses briefly, and fails the
/// test naming what it waits for once [`DEADLINE`] has passed.
struct Waiting {
    what: &'static str,
    started: Instant,
}

impl Waiting {
    fn on(what: &'static str) -> Waiting {
        Waiting { what, started: Instant::now() }
    }

    async fn tick(&self) {
        assert!(self.started.elapsed() < DEADLINE, "waited {DEADLINE:?} for {}", self.what);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An HTTP client for loopback servers: no proxy from the environment.
fn loopback_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("an HTTP client")
}

async fn query_over_http(client: &reqwest::Client, url: &str, query: &str) -> Value {
    let response = client
        .post(url)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("the server answers: {e}"));
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_else(|e| panic!("a JSON answer: {e}"));
    assert!(status.is_success(), "{status}: {body}");
    assert!(body.get("errors").is_none(), "the query {query} answered errors: {body}");
    body["data"].clone()
}

fn offering_total(data: &Value) -> u64 {
    data["offerings"]["totalCount"].as_u64().unwrap_or_else(|| panic!("a totalCount: {data}"))
}

fn sources_by_id(data: &Value) -> HashMap<String, Value> {
    let sources = data["sources"].as_array().unwrap_or_else(|| panic!("sources: {data}"));
    sources.iter().map(|s| (s["id"].as_str().expect("an id").to_owned(), s.clone())).collect()
}

fn report_of<'a>(reports: &'a [RunReport], source: &DemoSource) -> &'a RunReport {
    reports.iter().find(|r| r.source == source.id).unwrap_or_else(|| panic!("no report of {}", source.id))
}

/// A fault, the source it hits, and a part of the error every record of the failure names.
struct Failing {
    source: &'static DemoSource,
    fault: Fault,
    error: String,
}

/// The first test's `max_body_bytes`: far above any page the simulator serves.
const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_of_twenty_six_sources_failing_at_once_keep_serving_their_last_good_data_and_recover() {
    vuxnav_connectors::fetch::install_crypto_provider();
    let sources = regional();
    assert_eq!(sources.len(), 26);
    // One retry, and the least timeout (one second).
    let head = format!("[harvest]\nconcurrency = 8\ntimeout = 1\nretries = 1\nmax_body_bytes = {MAX_BODY_BYTES}\n");

    let csv: Vec<&'static DemoSource> = sources.iter().filter(|s| s.kind.as_str() == "csv").collect();
    let susa: Vec<&'static DemoSource> = sources.iter().filter(|s| s.kind.as_str() == "susa_navet").collect();
    assert!(!csv.is_empty() && susa.len() >= 5, "the regional set serves both formats");
    let shape = "the response is not what this connector understands";
    let failing = [
        Failing { source: csv[0], fault: Fault::SchemaDrift, error: shape.to_owned() },
        Failing {
            source: susa[0],
            fault: Fault::Unavailable,
            error: "HTTP 503 Service Unavailable after 2 attempts".to_owned(),
        },
        Failing { source: susa[1], fault: Fault::MalformedJson, error: shape.to_owned() },
        Failing { source: susa[2], fault: Fault::TruncatedBody, error: "after 2 attempts".to_owned() },
        Failing {
            source: susa[3],
            fault: Fault::Slow(Duration::from_secs(5)),
            error: "timed out (limit 1s)".to_owned(),
        },
        Failing {
            source: susa[4],
            fault: Fault::EndlessBody,
            error: format!("the response is larger than the limit of {MAX_BODY_BYTES} bytes"),
        },
    ];
    let is_failing = |id: &str| failing.iter().any(|f| f.source.id.as_str() == id);

    for db in fresh_databases().await {
        let served = TestApp::builder().config(&head).upstreams(sources).spawn(&db).await;
        let (backend, upstreams) = (served.backend, served.upstreams());
        let runner = served.runner().await;

        // Every source harvested once, completely.
        let reports = runner.run_now(&[]).await;
        assert_eq!(reports.len(), 26, "{backend}");
        for report in &reports {
            assert_eq!(report.outcome, ReportOutcome::Succeeded, "{backend}: {}: {:?}", report.source, report.error);
        }
        // Rebuilds after the harvests may still be under way; refreshes run one at a time, so
        // none of them can replace this one, which reads everything stored.
        served.app.refresher.refresh().await.expect("the read model is rebuilt");
        let query_data = |query: String| {
            let served = &served;
            async move { served.data(&query, Value::Null).await }
        };

        // What each failing source's municipality offers, asked by alias in every query below.
        let by_municipality: String = failing
            .iter()
            .enumerate()
            .map(|(i, f)| {
                format!(
                    "m{i}: offerings(filter: {{municipalities: [\"{}\"]}}) {{ totalCount }}\n",
                    f.source.municipality.as_str()
                )
            })
            .collect();
        let query = format!(
            "{{ offerings(first: 3) {{ totalCount edges {{ node {{ id }} }} }}\n{by_municipality} sources {{ id status offeringCount }} }}"
        );
        let good = query_data(query.clone()).await;
        let total = offering_total(&good);
        assert!(total > 0, "{backend}: {good}");
        for i in 0..failing.len() {
            assert!(good[format!("m{i}")]["totalCount"].as_u64() > Some(0), "{backend}: {good}");
        }

        // Six fail at once, each its own way, while queries run against the server; the
        // healthy sources' commits rebuild the read model meanwhile, and every answer is the
        // last good data.
        for f in &failing {
            upstreams.set_fault(&f.source.id, f.fault);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let querying = tokio::spawn({
            let (client, url, query, good, stop) =
                (loopback_client(), served.graphql_url(), query.clone(), good.clone(), Arc::clone(&stop));
            let failing_count = failing.len();
            async move {
                let mut answered = 0u32;
                loop {
                    let data = query_over_http(&client, &url, &query).await;
                    assert_eq!(offering_total(&data), offering_total(&good), "the offerings served changed: {data}");
                    for i in 0..failing_count {
                        let alias = format!("m{i}");
                        assert_eq!(data[&alias], good[&alias], "a failing municipality's offerings changed: {data}");
                    }
                    answered += 1;
                    if stop.load(Ordering::SeqCst) {
                        return answered;
                    }
                }
            }
        });
        let reports = runner.run_now(&[]).await;
        stop.store(true, Ordering::SeqCst);
        let answered = querying.await.expect("every concurrent query answered the last good data");
        assert!(answered >= 2, "{backend}: only {answered} queries ran during the harvest");

        for report in &reports {
            if !is_failing(report.source.as_str()) {
                assert_eq!(
                    report.outcome,
                    ReportOutcome::Succeeded,
                    "{backend}: {}: {:?}",
                    report.source,
                    report.error
                );
            }
        }
        for f in &failing {
            let report = report_of(&reports, f.source);
            let error = report.error.as_deref().unwrap_or_default();
            assert_eq!(report.outcome, ReportOutcome::Failed, "{backend}: {:?}", f.fault);
            assert!(!report.committed, "{backend}: {:?}", f.fault);
            assert!(error.contains(&f.error), "{backend}: {:?}: {error}", f.fault);
            assert!(
                error.contains(&upstreams.source_url(&f.source.id)),
                "{backend}: {:?} names the URL: {error}",
                f.fault
            );
        }

        // `sources`: the failed ones stale with their error and their last good data, the
        // rest ok; `harvestRuns`: each failed run with its reason.
        let after = query_data(
            "{ sources { id status lastError offeringCount lastRun { outcome } } harvestRuns(first: 100) { edges { node { source outcome error } } } }".to_owned(),
        )
        .await;
        let statuses = sources_by_id(&after);
        let before = sources_by_id(&good);
        assert_eq!(statuses.len(), 26, "{backend}");
        for (id, status) in &statuses {
            assert_eq!(status["offeringCount"], before[id]["offeringCount"], "{backend}: {id} keeps its offerings");
            if is_failing(id) {
                assert_eq!(status["status"], "STALE", "{backend}: {status}");
                assert_eq!(status["lastRun"]["outcome"], "FAILED", "{backend}: {status}");
            } else {
                assert_eq!(status["status"], "OK", "{backend}: {status}");
                assert_eq!(status["lastError"], Value::Null, "{backend}: {status}");
            }
        }
        let runs = after["harvestRuns"]["edges"].as_array().expect("edges");
        assert_eq!(runs.len(), 52, "{backend}: two runs of each source");
        for f in &failing {
            let status = &statuses[f.source.id.as_str()];
            assert!(status["lastError"].as_str().is_some_and(|e| e.contains(&f.error)), "{backend}: {status}");
            // Newest first: the first run of the source listed is the failed one.
            let latest = runs
                .iter()
                .map(|edge| &edge["node"])
                .find(|run| run["source"] == f.source.id.as_str())
                .expect("a run of the source");
            assert_eq!(latest["outcome"], "FAILED", "{backend}: {latest}");
            assert!(latest["error"].as_str().is_some_and(|e| e.contains(&f.error)), "{backend}: {latest}");
        }
        let still = query_data(query.clone()).await;
        assert_eq!(offering_total(&still), total, "{backend}");

        // The faults cleared, the next run makes every source ok again.
        for f in &failing {
            upstreams.set_fault(&f.source.id, Fault::None);
        }
        let reports = runner.run_now(&[]).await;
        for report in &reports {
            assert_eq!(report.outcome, ReportOutcome::Succeeded, "{backend}: {}: {:?}", report.source, report.error);
        }
        let healed = query_data("{ sources { id status lastError offeringCount } }".to_owned()).await;
        for (id, status) in sources_by_id(&healed) {
            assert_eq!(status["status"], "OK", "{backend}: {status}");
            assert_eq!(status["lastError"], Value::Null, "{backend}: {status}");
            assert_eq!(status["offeringCount"], before[&id]["offeringCount"], "{backend}: {status}");
        }
    }
}

#[tokio::test]
async fn a_two_gigabyte_body_declared_or_chunked_fails_its_run_at_once_naming_the_configured_limit() {
    vuxnav_connectors::fetch::install_crypto_provider();
    // The smallest Susa-navet source: its pages fit well within the limit.
    let source = regional()
        .iter()
        .filter(|s| s.kind.as_str() == "susa_navet")
        .min_by_key(|s| s.catalogue.offerings.len())
        .expect("a susa_navet source");
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the simulated systems start");
    let dir = tempfile::tempdir().expect("a temporary folder");
    // A timeout far above the time the test allows, so that only the limit can stop a read.
    let head = "[harvest]\ntimeout = 120\nretries = 1\nmax_body_bytes = 1048576\n";
    let config = load(dir.path(), &config_toml(&upstreams, std::slice::from_ref(source), head, "0 0 3 * * *"));
    let url = format!("{}/educationProviders", upstreams.source_url(&source.id));
    let client = loopback_client();

    for store in fresh_stores().await {
        let backend = store.backend;
        upstreams.set_fault(&source.id, Fault::None);
        let runner = harvest::build_runner(&config, &store).await.expect("the runner is built");
        let first = runner.run_now(std::slice::from_ref(&source.id)).await;
        assert_eq!(first[0].outcome, ReportOutcome::Succeeded, "{backend}: {:?}", first[0].error);

        for (fault, declared) in [(Fault::HugeBody, Some(HUGE_BODY_BYTES)), (Fault::EndlessBody, None)] {
            upstreams.set_fault(&source.id, fault);
            // What the simulator sends: 2 GiB declared, or no length at all (the body is
            // dropped unread).
            let response = client.get(&url).send().await.expect("the simulator answers");
            assert_eq!(response.content_length(), declared, "{fault:?}");
            drop(response);

            let before = upstreams.requests(&source.id);
            let started = Instant::now();
            let reports = runner.run_now(std::slice::from_ref(&source.id)).await;
            let elapsed = started.elapsed();
            let report = &reports[0];
            let error = report.error.as_deref().unwrap_or_default();
            assert_eq!(report.outcome, ReportOutcome::Failed, "{backend}: {fault:?}");
            assert!(error.contains("larger than the limit of 1048576 bytes"), "{backend}: {fault:?}: {error}");
            assert!(elapsed < Duration::from_secs(10), "{backend}: {fault:?} took {elapsed:?}");
            assert_eq!(upstreams.requests(&source.id) - before, 1, "{backend}: {fault:?}: too large is not retried");

            let status = store.sources().await.expect("the sources are read").remove(0);
            assert_eq!(status.state, SourceState::Stale, "{backend}: {fault:?}");
            assert_eq!(status.offering_count, source.catalogue.offerings.len() as u64, "{backend}: {fault:?}");
            assert!(status.last_error.as_deref().is_some_and(|e| e.contains("1048576")), "{backend}: {fault:?}");
        }
    }
}

/// A running `vuxnav serve`, killed (SIGKILL) when dropped so that a failing test leaves no
/// process behind.
struct ServeProcess {
    child: Child,
}

impl ServeProcess {
    /// Starts `vuxnav serve` on `config`, its logs appended to `<dir>/serve.log`.
    fn start(dir: &Path, config: &Path) -> ServeProcess {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("serve.log"))
            .expect("the log file opens");
        let mut command = vuxnav_tests::vuxnav(
            env!("CARGO_BIN_EXE_vuxnav"),
            &["serve", "--config", config.to_str().expect("a UTF-8 path")],
        );
        command.current_dir(dir).stdout(Stdio::from(log.try_clone().expect("the log file"))).stderr(Stdio::from(log));
        ServeProcess { child: command.spawn().expect("vuxnav serve starts") }
    }

    /// SIGKILL: no shutdown, no cleanup, as when the machine or the OOM killer ends it.
    fn kill(&mut self) {
        self.child.kill().expect("the process is killed");
        self.child.wait().expect("the killed process is reaped");
    }

    fn assert_running(&mut self, dir: &Path) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let log = std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default();
            panic!("vuxnav serve ended ({status}):\n{log}");
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

async fn latest_run(store: &Store, source: &SourceId) -> Option<vuxnav_schema::HarvestRun> {
    store.runs(Some(source), 1, None).await.expect("the runs are read").pop()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serve_process_killed_mid_harvest_leaves_the_store_consistent_and_the_next_process_recovers() {
    vuxnav_connectors::fetch::install_crypto_provider();
    let smallest = |kind: &str| {
        regional()
            .iter()
            .filter(|s| s.kind.as_str() == kind)
            .min_by_key(|s| s.catalogue.offerings.len())
            .expect("a source of the kind")
            .clone()
    };
    // The Susa-navet source hangs in its second harvest; the CSV source keeps harvesting
    // every second, so the kill may also land in the middle of its commit.
    let sources = [smallest("susa_navet"), smallest("csv")];
    let slow = &sources[0];
    let upstreams = Upstreams::start(&sources).expect("the simulated systems start");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data_dir = dir.path().join("data");
    let head = format!(
        "listen = \"127.0.0.1:0\"\ndata_dir = {:?}\n\n[harvest]\ntimeout = 300\nretries = 0\n",
        data_dir.to_str().expect("a UTF-8 path")
    );
    let config_path = dir.path().join("vuxnav.toml");
    load(dir.path(), &config_toml(&upstreams, &sources, &head, "* * * * * *"));
    // Created and migrated before the binary starts, so the two never migrate at once.
    let store = Store::open_in(&data_dir).await.expect("the store opens");
    let expected: BTreeSet<PublicId> =
        sources.iter().flat_map(|s| s.catalogue.offerings.iter().map(|o| o.id)).collect();

    let mut serve = ServeProcess::start(dir.path(), &config_path);
    let waiting = Waiting::on("a complete harvest of both sources");
    loop {
        serve.assert_running(dir.path());
        let statuses = store.sources().await.expect("the sources are read");
        if statuses.len() == 2 && statuses.iter().all(|s| s.state == SourceState::Ok) {
            break;
        }
        waiting.tick().await;
    }

    // Every request from now on waits ten minutes: a run that starts later cannot finish.
    let slowed = chrono::Utc::now();
    upstreams.set_fault(&slow.id, Fault::Slow(Duration::from_secs(600)));
    let waiting = Waiting::on("a harvest of the slow source under way");
    let hanging = loop {
        serve.assert_running(dir.path());
        if let Some(run) = latest_run(&store, &slow.id).await
            && run.outcome == RunOutcome::Running
            && run.started > slowed
        {
            break run.id;
        }
        waiting.tick().await;
    };
    serve.assert_running(dir.path());
    serve.kill();

    // Consistent: the complete harvests' data, nothing of a half-written one, and the
    // interrupted run still recorded as running by the dead process.
    let catalogue = store.catalogue().await.expect("the catalogue is read");
    let held: BTreeSet<PublicId> = catalogue.offerings.iter().map(|o| o.id).collect();
    assert_eq!(held.len(), catalogue.offerings.len(), "no offering is held twice");
    assert_eq!(held, expected, "the store holds exactly the complete harvests' offerings");
    for status in store.sources().await.expect("the sources are read") {
        let demo = sources.iter().find(|s| s.id == status.id).expect("a configured source");
        assert_eq!(status.offering_count, demo.catalogue.offerings.len() as u64, "{}", status.id);
    }
    let run = store.run(hanging).await.expect("the run is read").expect("the run is recorded");
    assert_eq!(run.outcome, RunOutcome::Running);
    assert_eq!(run.counts.new + run.counts.changed + run.counts.unchanged, 0);

    // The next process marks the interrupted run failed, and its own next run succeeds.
    upstreams.set_fault(&slow.id, Fault::None);
    let mut serve = ServeProcess::start(dir.path(), &config_path);
    let waiting = Waiting::on("the interrupted run marked failed and later runs of both sources succeeded");
    loop {
        serve.assert_running(dir.path());
        let interrupted = store.run(hanging).await.expect("the run is read").expect("the run is recorded");
        let latest = latest_run(&store, &slow.id).await.expect("a run");
        let statuses = store.sources().await.expect("the sources are read");
        if interrupted.outcome == RunOutcome::Failed
            && latest.id > hanging
            && latest.outcome == RunOutcome::Succeeded
            && statuses.iter().all(|s| s.state == SourceState::Ok)
        {
            break;
        }
        waiting.tick().await;
    }
    let interrupted = store.run(hanging).await.expect("the run is read").expect("the run is recorded");
    assert_eq!(interrupted.error.as_deref(), Some("interrupted"));
    assert!(interrupted.finished.is_some());
    serve.kill();

    let statuses = store.sources().await.expect("the sources are read");
    assert!(statuses.iter().all(|s| s.state == SourceState::Ok), "{statuses:?}");
    let held: BTreeSet<PublicId> =
        store.catalogue().await.expect("the catalogue is read").offerings.iter().map(|o| o.id).collect();
    assert_eq!(held, expected);
}
