//! Harvesting through the real runner into a real store: a `csv` source read from a file,
//! runs recorded with counts and rejections, a failing source kept stale with its last good
//! data, the runs over GraphQL, the config's `[[source]]` problems, `vuxnav harvest --dry-run`
//! over the real binary, incremental runs between full ones, the scheduled refresh that
//! rebuilds only after a harvest, and an occasion two sources list served once.

use std::path::{Path, PathBuf};

use vuxnav_connectors::runner::ReportOutcome;
use vuxnav_gateway::app::App;
use vuxnav_gateway::config::{Config, ConfigErrors};
use vuxnav_gateway::jobs::harvest;
use vuxnav_schema::{CourseCode, OccupationLink, RunOutcome, SourceId, SourceState, Taxonomy};
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{AuditContext, RegistryRows, Store};

const SOURCE: &str = "huddinge-csv";

/// Two good rows and one without a title.
const EXPORT: &str = "\
Tillfalle,Kursnamn,Skolform,Anordnare,Startdatum,Studietakt
HU-1,Matematik 1c,gymnasial vuxenutbildning,Huddinge kommun,2026-08-17,100
HU-2,Svenska 1,gymnasial vuxenutbildning,Huddinge kommun,2026-08-24,50
HU-3,,gymnasial vuxenutbildning,Huddinge kommun,2026-08-17,100
";

/// A temporary folder holding the export and a config file with one `csv` source.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(extra: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("kurser.csv"), EXPORT).expect("the export is written");
        let setup = Self { dir };
        let toml = format!(
            r#"{extra}
[[source]]
id = "{SOURCE}"
municipality = "0126"
schedule = "0 0 3 * * *"

[source.connector]
kind = "csv"
path = "{}"

[source.connector.columns]
upstream_id = "Tillfalle"
title = "Kursnamn"
school_form = "Skolform"
provider_name = "Anordnare"
start = "Startdatum"
pace = "Studietakt"

[source.connector.values.school_form]
"gymnasial vuxenutbildning" = "VUXGY"
"#,
            setup.export().display()
        );
        std::fs::write(setup.config_path(), toml).expect("the config is written");
        setup
    }

    fn export(&self) -> PathBuf {
        self.dir.path().join("kurser.csv")
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("vuxnav.toml")
    }

    fn config(&self) -> Config {
        Config::load(Some(&self.config_path()), std::iter::empty::<(String, String)>())
            .unwrap_or_else(|e| panic!("the config loads: {e}"))
    }
}

fn source_id() -> SourceId {
    SourceId::parse(SOURCE).expect("a source id")
}

async fn harvest_once(config: &Config, store: &Store) -> vuxnav_connectors::runner::RunReport {
    let runner = harvest::build_runner(config, store).await.expect("the runner is built");
    let mut reports = runner.run_now(&[source_id()]).await;
    assert_eq!(reports.len(), 1);
    reports.remove(0)
}

#[tokio::test]
async fn a_csv_source_is_harvested_into_the_store_and_a_second_harvest_finds_everything_unchanged() {
    let setup = Setup::new("");
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        let first = harvest_once(&config, &store).await;
        assert_eq!(first.outcome, ReportOutcome::Succeeded, "{backend}: {:?}", first.error);
        assert_eq!((first.counts.new, first.counts.unchanged, first.counts.rejected), (2, 0, 1), "{backend}");

        let runs = store.runs(Some(&source_id()), 10, None).await.expect("the runs are read");
        assert_eq!(runs.len(), 1, "{backend}");
        assert_eq!(runs[0].outcome, RunOutcome::Succeeded, "{backend}");
        assert_eq!(runs[0].counts.new, 2, "{backend}");
        assert_eq!(runs[0].rejections.len(), 1, "{backend}");
        assert_eq!(runs[0].rejections[0].upstream_id, "HU-3", "{backend}");
        let sources = store.sources().await.expect("the sources are read");
        assert_eq!(sources[0].offering_count, 2, "{backend}");
        assert_eq!(sources[0].kind, "csv", "{backend}");
        assert_eq!(sources[0].state, SourceState::Ok, "{backend}");

        let second = harvest_once(&config, &store).await;
        assert_eq!(second.outcome, ReportOutcome::Succeeded, "{backend}: {:?}", second.error);
        let c = second.counts;
        assert_eq!((c.new, c.changed, c.unchanged, c.withdrawn), (0, 0, 2, 0), "{backend}");
    }
}

#[tokio::test]
async fn a_source_whose_file_disappears_fails_keeps_its_last_good_data_and_becomes_stale() {
    let setup = Setup::new("");
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        std::fs::write(setup.export(), EXPORT).expect("the export is written");
        assert_eq!(harvest_once(&config, &store).await.outcome, ReportOutcome::Succeeded, "{backend}");
        std::fs::remove_file(setup.export()).expect("the export is removed");

        let failed = harvest_once(&config, &store).await;
        assert_eq!(failed.outcome, ReportOutcome::Failed, "{backend}");
        assert!(!failed.committed, "{backend}");
        let sources = store.sources().await.expect("the sources are read");
        assert_eq!(sources[0].state, SourceState::Stale, "{backend}");
        assert_eq!(sources[0].offering_count, 2, "{backend}: the last good data stays");
        let error = sources[0].last_error.as_deref().unwrap_or_default();
        assert!(error.contains("kurser.csv"), "{backend}: {error}");
        assert_eq!(store.catalogue().await.expect("the catalogue is read").offerings.len(), 2, "{backend}");
    }
}

#[tokio::test]
async fn harvest_runs_lists_both_runs_newest_first_over_graphql() {
    let setup = Setup::new("");
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        std::fs::write(setup.export(), EXPORT).expect("the export is written");
        harvest_once(&config, &store).await;
        std::fs::remove_file(setup.export()).expect("the export is removed");
        harvest_once(&config, &store).await;

        let app = App::start(&config, store.store.clone(), None).await.expect("the app starts");
        let query = format!(
            r#"{{
              harvestRuns(source: "{SOURCE}") {{
                edges {{ node {{ source outcome full error counts {{ fetched new unchanged rejected }}
                  rejections(first: 5) {{ upstreamId field reason }} rejectionsOmitted }} }}
                pageInfo {{ hasNextPage endCursor }}
              }}
              sources {{ id status lastError offeringCount lastRun {{ outcome }} }}
            }}"#
        );
        let response = app.schema.execute(query.as_str()).await;
        assert!(response.errors.is_empty(), "{backend}: {:?}", response.errors);
        let data = response.data.into_json().expect("json");
        let edges = data["harvestRuns"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), 2, "{backend}: {data}");
        assert_eq!(edges[0]["node"]["outcome"], "FAILED", "{backend}");
        assert!(edges[0]["node"]["error"].as_str().is_some_and(|e| e.contains("kurser.csv")), "{backend}");
        assert_eq!(edges[1]["node"]["outcome"], "SUCCEEDED", "{backend}");
        assert_eq!(edges[1]["node"]["counts"]["new"], 2, "{backend}");
        assert_eq!(edges[1]["node"]["counts"]["rejected"], 1, "{backend}");
        assert_eq!(edges[1]["node"]["rejections"][0]["upstreamId"], "HU-3", "{backend}");
        assert_eq!(data["harvestRuns"]["pageInfo"]["hasNextPage"], false, "{backend}");
        assert_eq!(data["sources"][0]["status"], "STALE", "{backend}");
        assert_eq!(data["sources"][0]["offeringCount"], 2, "{backend}");
        assert_eq!(data["sources"][0]["lastRun"]["outcome"], "FAILED", "{backend}");

        // Paging: one run per page, the second page holds the older run.
        let page = app
            .schema
            .execute(r#"{ harvestRuns(first: 1) { edges { node { outcome } } pageInfo { hasNextPage endCursor } } }"#)
            .await;
        let page = page.data.into_json().expect("json");
        assert_eq!(page["harvestRuns"]["pageInfo"]["hasNextPage"], true, "{backend}");
        let cursor = page["harvestRuns"]["pageInfo"]["endCursor"].as_str().expect("a cursor").to_owned();
        let next = app
            .schema
            .execute(
                format!(r#"{{ harvestRuns(first: 1, after: "{cursor}") {{ edges {{ node {{ outcome }} }} }} }}"#)
                    .as_str(),
            )
            .await;
        let next = next.data.into_json().expect("json");
        assert_eq!(next["harvestRuns"]["edges"][0]["node"]["outcome"], "SUCCEEDED", "{backend}");

        for bad in [
            r#"{ harvestRuns(source: "nowhere") { edges { cursor } } }"#,
            r#"{ harvestRuns(after: "not-a-cursor") { edges { cursor } } }"#,
        ] {
            let response = app.schema.execute(bad).await;
            let code = response.errors.first().and_then(|e| e.extensions.as_ref()).and_then(|x| x.get("code")).cloned();
            assert_eq!(code, Some(async_graphql::Value::from("BAD_USER_INPUT")), "{backend}: {bad}");
        }
    }
}

#[test]
fn a_config_with_two_bad_sources_reports_every_problem_at_once() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("vuxnav.toml");
    let toml = r#"
[graphql]
max_depth = 0

[[source]]
id = "huddinge-csv"
municipality = 126
schedule = "every night"
[source.connector]
kind = "csv"
path = "kurser.csv"
colour = "blue"

[[source]]
id = "Nacka Susa"
municipality = "0182"
schedule = "0 0 3 * * *"
[source.connector]
kind = "ftp"
"#;
    std::fs::write(&path, toml).expect("the config is written");
    let errors: ConfigErrors =
        Config::load(Some(&path), std::iter::empty::<(String, String)>()).expect_err("the config has problems");
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert!(keys.contains(&"graphql.max_depth"), "{errors}");
    assert!(keys.iter().any(|k| k.starts_with("source[0].")), "{errors}");
    assert!(keys.iter().any(|k| k.starts_with("source[1]")), "{errors}");
    assert!(errors.len() >= 3, "{errors}");
    assert!(errors.to_string().contains("huddinge-csv"), "{errors}");
}

fn vuxnav(args: &[&str], cwd: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vuxnav"))
        .args(args)
        .current_dir(cwd)
        .env_remove("VUXNAV_DATABASE_URL")
        .output()
        .expect("vuxnav runs")
}

#[tokio::test]
async fn harvest_dry_run_over_the_binary_prints_counts_and_samples_and_stores_nothing() {
    for database in vuxnav_store::testing::fresh_databases().await {
        let backend = database.backend;
        let setup = Setup::new(&format!("database_url = \"{}\"\n", database.url));
        let config = setup.config_path();
        let config = config.to_str().expect("a UTF-8 path");

        let output = vuxnav(&["harvest", "--dry-run", "--config", config], setup.dir.path());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{backend}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("fetched"), "{stdout}");
        assert!(stdout.contains("offerings 2"), "{stdout}");
        assert!(stdout.contains("rejected 1"), "{stdout}");
        assert!(stdout.contains("Matematik 1c | 2026-08-17 | Huddinge"), "{stdout}");
        assert!(stdout.contains("HU-3"), "{stdout}");

        let store = database.connect().await;
        assert!(store.catalogue().await.expect("the catalogue is read").offerings.is_empty(), "{backend}");
        assert!(store.runs(None, 10, None).await.expect("the runs are read").is_empty(), "{backend}");

        let unknown = vuxnav(&["harvest", "--dry-run", "--config", config, "nowhere"], setup.dir.path());
        assert!(!unknown.status.success(), "{backend}");
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("`nowhere`"), "{backend}");
    }
}

#[tokio::test]
async fn a_harvest_that_stores_something_rebuilds_the_read_model_in_service() {
    let setup = Setup::new("");
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        let runner = harvest::build_runner(&config, &store).await.expect("the runner is built");
        let app = App::start(&config, store.store.clone(), None).await.expect("the app starts");
        assert_eq!(app.model().len(), 0, "{backend}");
        let mut refreshes = app.refresher.refreshes();
        let (runner, rebuilder) = app.refresher.rebuild_after_harvests(runner);

        let reports = runner.run_now(&[source_id()]).await;
        assert_eq!(reports[0].outcome, ReportOutcome::Succeeded, "{backend}");
        tokio::time::timeout(std::time::Duration::from_secs(60), refreshes.wait_for(|n| *n >= 1))
            .await
            .expect("the read model is rebuilt in time")
            .expect("the app is alive");
        assert_eq!(app.model().len(), 2, "{backend}");
        rebuilder.abort();
    }
}

#[test]
fn the_harvest_table_has_documented_defaults_and_bounds_and_env_overrides() {
    let defaults = Config::load(None, std::iter::empty::<(String, String)>()).expect("defaults load");
    assert_eq!(defaults.harvest.concurrency, 4);
    assert_eq!(defaults.harvest.timeout, std::time::Duration::from_secs(30));
    assert_eq!(defaults.harvest.retries, 3);
    assert_eq!(defaults.harvest.max_body_bytes, 256 * 1024 * 1024);
    assert_eq!(defaults.harvest.full_every, std::time::Duration::from_secs(24 * 3600));
    assert!(defaults.sources.is_empty());

    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("vuxnav.toml");
    std::fs::write(&path, "[harvest]\nconcurrency = 0\ntimeout = 10\nretires = 2\n").expect("the config is written");
    let env = [("VUXNAV_HARVEST__MAX_BODY_BYTES".to_owned(), "1024".to_owned())];
    let errors = Config::load(Some(&path), env.clone()).expect_err("the config has problems");
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["harvest.concurrency", "harvest.retires"], "{errors}");

    std::fs::write(&path, "[harvest]\nconcurrency = 2\ntimeout = 10\nfull_every_hours = 0\n")
        .expect("the config is written");
    let config = Config::load(Some(&path), env).expect("the config loads");
    assert_eq!(config.harvest.concurrency, 2);
    assert!(config.harvest.full_every.is_zero());
    assert_eq!(config.harvest.max_body_bytes, 1024);
    let options = config.harvest.fetch_options(true);
    assert_eq!(options.timeout, std::time::Duration::from_secs(10));
    assert!(options.allow_private_network);
}

#[tokio::test]
async fn a_susa_navet_source_runs_incrementally_after_a_full_run_and_in_full_when_forced() {
    use vuxnav_simulator::upstream::Upstreams;
    use vuxnav_simulator::{Scale, generate};

    let generated = generate(7, Scale::Regional, chrono::NaiveDate::from_ymd_opt(2026, 5, 20).expect("a date"));
    let demo = generated.iter().find(|source| source.kind.as_str() == "susa_navet").expect("a susa_navet source");
    let upstreams = Upstreams::start(std::slice::from_ref(demo)).expect("the simulated system starts");
    let source = vuxnav_connectors::config::ValidSource {
        id: demo.id.clone(),
        municipality: demo.municipality,
        schedule: vuxnav_connectors::schedule::Schedule::parse("0 0 3 * * *").expect("a schedule"),
        enabled: true,
        allow_private_network: true,
        guard: Default::default(),
        connector: upstreams.connector_config(demo),
    };
    let config = Config { sources: vec![source], ..Config::default() };
    let offerings = demo.catalogue.offerings.len() as u64;
    for store in fresh_stores().await {
        let backend = store.backend;
        let run = |config: Config| {
            let store = store.store.clone();
            let id = demo.id.clone();
            async move {
                let runner = harvest::build_runner(&config, &store).await.expect("the runner is built");
                let report = runner.run_now(&[id]).await.remove(0);
                assert_eq!(report.outcome, ReportOutcome::Succeeded, "{:?}", report.error);
                report
            }
        };
        let first = run(config.clone()).await;
        assert_eq!(first.counts.new, offerings, "{backend}");
        let events_before = upstreams.requests(&demo.id);

        // The records were last edited in May: asked for changes since the first run, the
        // system has none, and nothing is withdrawn.
        let second = run(config.clone()).await;
        assert_eq!((second.counts.new, second.counts.changed, second.counts.withdrawn), (0, 0, 0), "{backend}");
        assert!(second.counts.fetched < first.counts.fetched, "{backend}: {:?} vs {:?}", second.counts, first.counts);
        assert!(upstreams.requests(&demo.id) > events_before, "{backend}: the second run asked the system");
        let runs = store.store.runs(Some(&demo.id), 10, None).await.expect("the runs");
        assert_eq!(runs.iter().map(|run| run.full).collect::<Vec<_>>(), [false, true], "{backend}");
        assert_eq!(store.store.catalogue().await.expect("the catalogue").offerings.len() as u64, offerings);

        let mut forced = config.clone();
        forced.harvest.full_every = std::time::Duration::ZERO;
        let third = run(forced).await;
        assert_eq!(third.counts.unchanged, offerings, "{backend}: a full run reads everything again");
        let runs = store.store.runs(Some(&demo.id), 1, None).await.expect("the runs");
        assert!(runs[0].full, "{backend}");
    }
}

#[tokio::test]
async fn a_scheduled_refresh_rebuilds_only_after_a_harvest_succeeded_since_the_model_was_read() {
    let setup = Setup::new("");
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        let app = App::start(&config, store.store.clone(), None).await.expect("the app starts");
        assert!(!app.refresher.refresh_if_changed().await.expect("a check"), "{backend}: nothing harvested yet");

        // Harvested by another process, say: the app learns of it only from the store.
        assert_eq!(harvest_once(&config, &store).await.outcome, ReportOutcome::Succeeded);
        assert!(app.refresher.refresh_if_changed().await.expect("a check"), "{backend}: two offerings are new");
        assert_eq!(app.model().len(), 2, "{backend}");
        assert!(!app.refresher.refresh_if_changed().await.expect("a check"), "{backend}: already in service");

        // A failed run stores nothing.
        std::fs::remove_file(setup.export()).expect("the export disappears");
        assert_eq!(harvest_once(&config, &store).await.outcome, ReportOutcome::Failed);
        assert!(!app.refresher.refresh_if_changed().await.expect("a check"), "{backend}: a failed run");

        std::fs::write(setup.export(), EXPORT.replace("Svenska 1", "Svenska 2")).expect("the export returns");
        assert_eq!(harvest_once(&config, &store).await.outcome, ReportOutcome::Succeeded);
        assert!(
            app.refresher.refresh_if_changed().await.expect("a check"),
            "{backend}: a course's title may have changed"
        );
    }
}

#[tokio::test]
async fn the_registry_snapshot_is_rebuilt_only_when_a_registry_write_committed_since_it_was_read() {
    let setup = Setup::new("");
    let config = setup.config();
    let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
    for store in fresh_stores().await {
        let backend = store.backend;
        let app = App::start(&config, store.store.clone(), None).await.expect("the app starts");
        assert!(!app.refresher.refresh_registries().await.expect("a check"), "{backend}: nothing written yet");

        // Imported from the command line, say: the app learns of it only from the store.
        let link = OccupationLink {
            course: CourseCode::parse("YVUSK").expect("a code"),
            occupation: taxonomy.occupation_id("Y3QA_5pk_uXd").expect("undersköterska"),
        };
        let rows = RegistryRows::OccupationLinks(vec![link]);
        store.store.import_registry(&rows, false, &AuditContext::cli(), "links.csv").await.expect("imported");

        assert!(app.refresher.refresh_registries().await.expect("a check"), "{backend}: a link is new");
        assert_eq!(app.refresher.registry_slot().load().registries().occupation_links.len(), 1, "{backend}");
        assert!(!app.refresher.refresh_registries().await.expect("a check"), "{backend}: already in service");
    }
}

#[tokio::test]
async fn an_occasion_two_sources_list_is_served_once_and_names_the_other_source() {
    let setup = Setup::new("");
    let mut config = setup.config();
    // The municipality's export, read a second time under another source: every occasion
    // arrives twice, with ids of two sources.
    let mut copy = config.sources[0].clone();
    copy.id = SourceId::parse("huddinge-csv-kopia").expect("a source id");
    config.sources.push(copy.clone());
    for store in fresh_stores().await {
        let backend = store.backend;
        let runner = harvest::build_runner(&config, &store).await.expect("the runner is built");
        let reports = runner.run_now(&[source_id(), copy.id.clone()]).await;
        assert!(reports.iter().all(|r| r.outcome == ReportOutcome::Succeeded), "{backend}: {reports:?}");

        let app = App::start(&config, store.store.clone(), None).await.expect("the app starts");
        let query = "{ offerings(first: 10) { totalCount edges { node { id provenance { source upstreamId } \
                     alsoListedBy { source upstreamId } } } } }";
        let response = app.schema.execute(query).await;
        assert!(response.errors.is_empty(), "{backend}: {:?}", response.errors);
        let data = response.data.into_json().expect("json");
        assert_eq!(data["offerings"]["totalCount"], 2, "{backend}: two occasions, each once: {data}");
        for edge in data["offerings"]["edges"].as_array().expect("edges") {
            let node = &edge["node"];
            let listed = node["provenance"]["source"].as_str().expect("a source");
            let also = node["alsoListedBy"].as_array().expect("a list");
            assert_eq!(also.len(), 1, "{backend}: {node}");
            assert_ne!(also[0]["source"].as_str(), Some(listed), "{backend}: {node}");
            assert_eq!(also[0]["upstreamId"], node["provenance"]["upstreamId"], "{backend}: {node}");

            // The other source's id finds the occasion as it is listed.
            let other = if listed == SOURCE { copy.id.clone() } else { source_id() };
            let upstream_id = node["provenance"]["upstreamId"].as_str().expect("an upstream id");
            let other_id = vuxnav_schema::PublicId::offering(&other, upstream_id);
            let found = app.schema.execute(format!(r#"{{ offering(id: "{other_id}") {{ id }} }}"#).as_str()).await;
            let found = found.data.into_json().expect("json");
            assert_eq!(found["offering"]["id"], node["id"], "{backend}");
        }
    }
}
