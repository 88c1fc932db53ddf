//! The harvest guard through the real runner into a real store: a run that rejects every
//! record (a wrong `decimal_comma`), one that reads nothing from a source with offerings, and
//! one that would withdraw most of a source are held (nothing stored, the last good data
//! served, the run and the source `held` with the reason), until a run passes or an operator
//! accepts what the source has (`harvest::accept`, which `vuxnav harvest --accept` calls).

use std::path::PathBuf;

use vuxnav_connectors::runner::{ReportOutcome, RunReport};
use vuxnav_gateway::config::Config;
use vuxnav_gateway::jobs::harvest;
use vuxnav_schema::{RunOutcome, SourceId, SourceState};
use vuxnav_store::Store;
use vuxnav_store::testing::fresh_stores;

const SOURCE: &str = "sundsvall-csv";

/// An export of `rows` occasions, with decimals written as `decimal` does (`.` or `,`).
fn export(rows: usize, decimal: char) -> String {
    let mut text = String::from("Tillfalle;Kursnamn;Skolform;Anordnare;Startdatum;Studietakt\n");
    for i in 0..rows {
        text.push_str(&format!(
            "SU-{i};Matematik 1c;gymnasial vuxenutbildning;Sundsvalls kommun;2026-08-17;50{decimal}0\n"
        ));
    }
    text
}

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let setup = Self { dir };
        let toml = format!(
            r#"[region]
municipalities = ["2281"]

[[source]]
id = "{SOURCE}"
municipality = "2281"
schedule = "0 0 3 * * *"

[source.connector]
kind = "csv"
path = "{}"
delimiter = ";"

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
            setup.export_path().display()
        );
        std::fs::write(setup.dir.path().join("vuxnav.toml"), toml).expect("the config is written");
        setup
    }

    fn export_path(&self) -> PathBuf {
        self.dir.path().join("kurser.csv")
    }

    fn write(&self, text: &str) {
        std::fs::write(self.export_path(), text).expect("the export is written");
    }

    fn config(&self) -> Config {
        Config::load(Some(&self.dir.path().join("vuxnav.toml")), std::iter::empty::<(String, String)>())
            .unwrap_or_else(|e| panic!("the config loads: {e}"))
    }
}

fn source_id() -> SourceId {
    SourceId::parse(SOURCE).expect("a source id")
}

async fn harvest_now(config: &Config, store: &Store) -> RunReport {
    let runner = harvest::build_runner(config, store).await.expect("the runner is built");
    runner.run_now(&[source_id()]).await.remove(0)
}

async fn held_offerings(store: &Store) -> u64 {
    store.sources().await.expect("the sources are read")[0].offering_count
}

#[tokio::test]
async fn a_run_that_rejects_every_record_is_held_and_the_last_good_data_keeps_serving() {
    let setup = Setup::new();
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        setup.write(&export(30, '.'));
        assert_eq!(harvest_now(&config, &store).await.outcome, ReportOutcome::Succeeded, "{backend}");

        // The export now writes `50,0`; `decimal_comma` is still false.
        setup.write(&export(30, ','));
        let held = harvest_now(&config, &store).await;
        assert_eq!(held.outcome, ReportOutcome::Held, "{backend}: {held:?}");
        assert!(!held.committed, "{backend}");
        let reason = held.error.clone().unwrap_or_default();
        assert!(reason.starts_with("rejected 30 of 30 records, more than 50 %"), "{backend}: {reason}");
        assert_eq!(held_offerings(&store).await, 30, "{backend}: nothing withdrawn");

        let status = &store.sources().await.expect("the sources are read")[0];
        assert_eq!(status.state, SourceState::Held, "{backend}");
        assert_eq!(status.held_reason.as_deref(), Some(reason.as_str()), "{backend}");
        let runs = store.runs(Some(&source_id()), 1, None).await.expect("the runs are read");
        assert_eq!(runs[0].outcome, RunOutcome::Held, "{backend}");
        assert_eq!(runs[0].error.as_deref(), Some(reason.as_str()), "{backend}");
        assert_eq!(runs[0].counts.rejected, 30, "{backend}");
        assert_eq!(runs[0].counts.withdrawn, 30, "{backend}: what committing would have done");

        // The export is fixed: the next run passes the guard and ends the held state.
        setup.write(&export(30, '.'));
        assert_eq!(harvest_now(&config, &store).await.outcome, ReportOutcome::Succeeded, "{backend}");
        let status = &store.sources().await.expect("the sources are read")[0];
        assert_eq!((status.state, status.held_reason.as_deref()), (SourceState::Ok, None), "{backend}");
    }
}

#[tokio::test]
async fn a_run_that_reads_nothing_is_held_until_an_operator_accepts_the_empty_source() {
    let setup = Setup::new();
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        setup.write(&export(3, '.'));
        assert_eq!(harvest_now(&config, &store).await.outcome, ReportOutcome::Succeeded, "{backend}");

        setup.write(&export(0, '.'));
        let held = harvest_now(&config, &store).await;
        assert_eq!(held.outcome, ReportOutcome::Held, "{backend}");
        assert_eq!(held.error.as_deref(), Some("read no offerings, and the source holds 3"), "{backend}");
        assert_eq!(held_offerings(&store).await, 3, "{backend}");

        // The municipality really stopped listing: an operator accepts it.
        let runner = harvest::build_runner(&config, &store).await.expect("the runner is built");
        let accepted = harvest::accept(&runner, &source_id()).await;
        assert_eq!(accepted.outcome, ReportOutcome::Succeeded, "{backend}: {accepted:?}");
        assert_eq!(accepted.counts.withdrawn, 3, "{backend}");
        assert_eq!(held_offerings(&store).await, 0, "{backend}");
        assert_eq!(store.sources().await.expect("the sources are read")[0].state, SourceState::Ok, "{backend}");
    }
}

#[tokio::test]
async fn a_run_that_would_withdraw_most_of_a_source_is_held_and_a_legitimate_change_can_be_accepted() {
    let setup = Setup::new();
    let config = setup.config();
    for store in fresh_stores().await {
        let backend = store.backend;
        setup.write(&export(40, '.'));
        assert_eq!(harvest_now(&config, &store).await.outcome, ReportOutcome::Succeeded, "{backend}");

        setup.write(&export(10, '.'));
        let held = harvest_now(&config, &store).await;
        assert_eq!(held.outcome, ReportOutcome::Held, "{backend}");
        assert_eq!(
            held.error.as_deref(),
            Some("would withdraw 30 of the 40 offerings the source holds, more than 50 %"),
            "{backend}"
        );
        assert_eq!(held_offerings(&store).await, 40, "{backend}");

        let runner = harvest::build_runner(&config, &store).await.expect("the runner is built");
        let accepted = harvest::accept(&runner, &source_id()).await;
        assert_eq!(accepted.outcome, ReportOutcome::Succeeded, "{backend}");
        assert_eq!(held_offerings(&store).await, 10, "{backend}");
    }
}

#[tokio::test]
async fn a_source_s_own_guard_limits_replace_the_harvest_defaults() {
    let setup = Setup::new();
    let text = std::fs::read_to_string(setup.dir.path().join("vuxnav.toml")).expect("the config");
    let text =
        text.replace("[source.connector]\n", "[source.guard]\nmax_withdrawn_percent = 100\n\n[source.connector]\n");
    std::fs::write(setup.dir.path().join("vuxnav.toml"), text).expect("the config is written");
    let config = setup.config();
    for store in fresh_stores().await {
        setup.write(&export(40, '.'));
        assert_eq!(harvest_now(&config, &store).await.outcome, ReportOutcome::Succeeded);
        setup.write(&export(10, '.'));
        assert_eq!(harvest_now(&config, &store).await.outcome, ReportOutcome::Succeeded, "{}", store.backend);
    }
}
