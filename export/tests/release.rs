//! Writing and publishing releases: the files, the pointers, the delta, the guard, and what
//! a failure at any step leaves behind.

mod support;

use std::path::Path;
use std::sync::Arc;

use support::{Fault, Faulty, Memory, apply_delta, json, jsonl_tables, latest, night, options, read, releases};
use vuxnav_export::manifest::DeltaStatus;
use vuxnav_export::{ExportError, LocalFolder, Outcome, Storage, StorageError, publish};
use vuxnav_schema::SourceState;

async fn release(records: &Memory, root: &Path, night_: i64) -> Result<vuxnav_export::ReleaseSummary, ExportError> {
    publish(records, Arc::new(LocalFolder::new(root)), &options(), night(night_)).await
}

#[tokio::test]
async fn a_first_release_has_every_file_checks_with_sha256sum_and_becomes_latest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let records = Memory::sample(3, 40, night(0));
    let summary = release(&records, root, 0).await.unwrap();
    assert_eq!(summary.release, "2026-11-20");
    assert_eq!(summary.outcome, Outcome::Published { sequence: 1, forced: false });
    assert!(matches!(&summary.delta, DeltaStatus::Omitted { reason } if reason.contains("no previous release")));
    let offerings = summary.tables.iter().find(|t| t.name == "offerings").unwrap();
    assert_eq!(offerings.rows, 120);

    let folder = root.join("releases/2026-11-20");
    for table in vuxnav_export::v1::TABLES.iter().map(|t| t.name) {
        for path in [format!("csv/{table}.csv.gz"), format!("excel/{table}.csv"), format!("jsonl/{table}.jsonl.gz")] {
            assert!(folder.join(&path).is_file(), "{path}");
        }
    }
    for path in ["jsonld/graph.jsonl.gz", "datapackage.json", "SHA256SUMS", "manifest.json"] {
        assert!(folder.join(path).is_file(), "{path}");
    }
    assert!(!folder.join("delta.jsonl.gz").exists());

    let check = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("--strict")
        .arg("SHA256SUMS")
        .current_dir(&folder)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // Three files per table, the JSON-LD graph and datapackage.json.
    let files = vuxnav_export::v1::TABLES.len() * 3 + 2;
    assert_eq!(String::from_utf8_lossy(&check.stdout).matches(": OK").count(), files);

    let manifest = json(root, "releases/2026-11-20/manifest.json");
    assert_eq!(manifest["status"], "complete");
    assert_eq!(manifest["sequence"], 1);
    assert_eq!(manifest["tables"]["municipalities"], 290);
    assert_eq!(manifest["sources"][0]["rejection_rate"], 0.0698);
    assert_eq!(latest(root).as_deref(), Some("2026-11-20"));
    assert_eq!(read(root, "state.txt").lines().nth(1), Some("sequenceNumber=1"));
    assert!(read(root, "releases.atom").contains("<id>https://vuxnav.example/releases/2026-11-20/</id>"));
    assert!(read(root, "datasets/dcat").contains("https://vuxnav.example/releases/2026-11-20/csv/offerings.csv.gz"));
    let pointer = json(root, "latest.json");
    let manifest_bytes = std::fs::read(folder.join("manifest.json")).unwrap();
    use sha2::Digest as _;
    assert_eq!(pointer["manifest_sha256"], hex::encode(sha2::Sha256::digest(&manifest_bytes)));
}

#[tokio::test]
async fn the_csv_and_excel_files_read_back_as_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let records = Memory::sample(1, 10, night(0));
    release(&records, root, 0).await.unwrap();
    let csv = read(root, "releases/2026-11-20/csv/offerings.csv.gz");
    let excel = read(root, "releases/2026-11-20/excel/offerings.csv");
    assert!(excel.starts_with('\u{feff}'), "the Excel file starts with a BOM");
    assert!(csv.contains("\r\n") && excel.contains("\r\n"), "CRLF line ends");
    let mut plain = csv::Reader::from_reader(csv.as_bytes());
    let mut semicolons =
        csv::ReaderBuilder::new().delimiter(b';').from_reader(excel.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(plain.headers().unwrap(), semicolons.headers().unwrap());
    let latitude = plain.headers().unwrap().iter().position(|h| h == "latitude").unwrap();
    let rows: Vec<_> = plain.records().map(Result::unwrap).zip(semicolons.records().map(Result::unwrap)).collect();
    assert_eq!(rows.len(), 10);
    for (a, b) in rows {
        assert_eq!(a.get(latitude).unwrap().replace('.', ","), b.get(latitude).unwrap());
        assert_eq!(a.get(0), b.get(0));
    }
}

#[tokio::test]
async fn applying_the_delta_to_the_previous_release_reproduces_the_next_through_changes_withdrawals_and_returns() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut records = Memory::sample(2, 30, night(0));
    release(&records, root, 0).await.unwrap();

    // Night 1: one offering changes, three are withdrawn, the second source reports a failure.
    let mut catalogue = records.catalogue();
    let returning: Vec<_> = catalogue.offerings.drain(5..8).collect();
    catalogue.offerings[0].seats = Some(1234);
    catalogue.offerings[0].provenance.last_changed = night(1);
    records.set(catalogue.clone());
    records.sources[1].status.state = SourceState::Stale;
    let second = release(&records, root, 1).await.unwrap();
    let DeltaStatus::Written { base, upserts, deletes } = &second.delta else { panic!("{:?}", second.delta) };
    assert_eq!(base, "2026-11-20");
    assert_eq!(*deletes, 3);
    assert!(*upserts >= 2, "the changed offering and the changed source at least: {upserts}");
    assert_eq!(apply_delta(root, "2026-11-20", "2026-11-21"), jsonl_tables(root, "2026-11-21"));

    // Night 2: the withdrawn offerings return; a course disappears with its only offerings.
    catalogue.offerings.extend(returning);
    let course = catalogue.offerings[1].course;
    catalogue.offerings.retain(|o| o.course != course);
    records.set(catalogue);
    let third = release(&records, root, 2).await.unwrap();
    assert!(matches!(third.delta, DeltaStatus::Written { .. }));
    assert_eq!(apply_delta(root, "2026-11-21", "2026-11-22"), jsonl_tables(root, "2026-11-22"));
    let delta = read(root, "releases/2026-11-22/delta.jsonl.gz");
    assert!(delta.contains(&format!("\"op\":\"delete\",\"table\":\"courses\",\"id\":\"{course}\"")), "{delta}");
    assert_eq!(json(root, "latest.json")["sequence"], 3);
}

#[tokio::test]
async fn an_unchanged_night_has_an_empty_delta() {
    let dir = tempfile::tempdir().unwrap();
    let records = Memory::sample(1, 20, night(0));
    release(&records, dir.path(), 0).await.unwrap();
    let again = release(&records, dir.path(), 0).await.unwrap();
    assert_eq!(again.release, "2026-11-20.2", "a second release the same day is numbered");
    assert_eq!(again.delta, DeltaStatus::Written { base: "2026-11-20".into(), upserts: 0, deletes: 0 });
}

#[tokio::test]
async fn a_corrupt_or_missing_previous_release_omits_the_delta_and_the_manifest_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let records = Memory::sample(1, 20, night(0));
    release(&records, root, 0).await.unwrap();
    support::overwrite(&root.join("releases/2026-11-20/jsonl/offerings.jsonl.gz"), b"not gzip");
    let second = release(&records, root, 1).await.unwrap();
    let DeltaStatus::Omitted { reason } = &second.delta else { panic!("{:?}", second.delta) };
    assert!(reason.contains("does not match the SHA-256"), "{reason}");
    assert_eq!(json(root, "releases/2026-11-21/manifest.json")["delta"]["reason"], reason.as_str());
    assert!(!root.join("releases/2026-11-21/delta.jsonl.gz").exists());
    let sums = read(root, "releases/2026-11-21/SHA256SUMS");
    assert!(!sums.contains("delta"), "{sums}");

    std::fs::remove_dir_all(root.join("releases/2026-11-21")).unwrap();
    let third = release(&records, root, 2).await.unwrap();
    assert!(
        matches!(&third.delta, DeltaStatus::Omitted { reason } if reason.contains("2026-11-21 is missing")),
        "{:?}",
        third.delta
    );
    assert_eq!(third.outcome, Outcome::Published { sequence: 3, forced: false }, "the sequence goes on");

    support::overwrite(&root.join("latest.json"), b"{");
    let fourth = release(&records, root, 3).await.unwrap();
    assert!(
        matches!(&fourth.delta, DeltaStatus::Omitted { reason } if reason.contains("latest.json")),
        "{:?}",
        fourth.delta
    );
    assert_eq!(fourth.outcome, Outcome::Published { sequence: 4, forced: false }, "continued from the manifests");
}

#[tokio::test]
async fn a_sharp_fall_is_held_back_and_reported_by_the_next_release_and_force_publishes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut records = Memory::sample(1, 50, night(0));
    release(&records, root, 0).await.unwrap();
    let mut catalogue = records.catalogue();
    catalogue.offerings.truncate(20);
    records.set(catalogue);

    let held = release(&records, root, 1).await.unwrap();
    let Outcome::HeldBack { falls } = &held.outcome else { panic!("{:?}", held.outcome) };
    assert!(falls.iter().any(|f| f.table == "offerings" && f.previous == 50 && f.current == 20));
    assert_eq!(latest(root).as_deref(), Some("2026-11-20"), "not made latest");
    assert_eq!(json(root, "releases/2026-11-21/manifest.json")["status"], "held_back");
    assert_eq!(json(root, "releases/2026-11-21/manifest.json")["sequence"], serde_json::Value::Null);

    let mut forced_options = options();
    forced_options.force = true;
    let forced = publish(&records, Arc::new(LocalFolder::new(root)), &forced_options, night(1)).await.unwrap();
    assert_eq!(forced.release, "2026-11-21.2");
    assert_eq!(forced.outcome, Outcome::Published { sequence: 2, forced: true });
    let manifest = json(root, "releases/2026-11-21.2/manifest.json");
    assert_eq!(manifest["not_published"][0]["release"], "2026-11-21");
    assert!(manifest["not_published"][0]["reason"].as_str().unwrap().contains("offerings fell from 50 to 20"));
    assert_eq!(manifest["hold_back"]["verdict"], "forced");
    assert_eq!(manifest["previous_release"], "2026-11-20", "the delta is against what consumers have");
}

#[tokio::test]
async fn a_second_export_while_one_holds_the_lock_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let storage = LocalFolder::new(dir.path());
    let _held = storage.lock().unwrap();
    let error = release(&Memory::sample(1, 5, night(0)), dir.path(), 0).await.unwrap_err();
    assert!(matches!(error, ExportError::Storage(StorageError::Locked { .. })), "{error:?}");
    assert!(releases(dir.path()).is_empty());
}

#[tokio::test]
async fn records_out_of_order_stop_the_release() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = Memory::sample(1, 5, night(0));
    records.offerings.swap(1, 2);
    let error = release(&records, dir.path(), 0).await.unwrap_err();
    assert!(matches!(error, ExportError::Unsorted { table: "offerings", .. }), "{error}");
    assert!(releases(dir.path()).is_empty());
}

/// After a failure: the previous release is still the latest, nothing new is visible, the
/// staging leftovers are gone, and the next run publishes.
async fn assert_failure_leaves_the_previous_release(fault: Fault) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let records = Memory::sample(2, 30, night(0));
    release(&records, root, 0).await.expect("the first release");
    let storage = Faulty::new(root, fault.clone());
    let error = publish(&records, Arc::new(storage), &options(), night(1)).await.expect_err("the faulty release fails");
    assert!(vuxnav_export_chain(&error).contains("injected"), "{fault:?}: {}", vuxnav_export_chain(&error));
    assert_eq!(latest(root).as_deref(), Some("2026-11-20"), "{fault:?}");
    assert_eq!(read(root, "state.txt").lines().nth(1), Some("sequenceNumber=1"), "{fault:?}");
    let visible = releases(root);
    if fault != Fault::Replace("latest.json")
        && fault != Fault::Replace("state.txt")
        && fault != Fault::Replace("releases.atom")
        && fault != Fault::Replace("datasets/dcat")
    {
        assert_eq!(visible, ["2026-11-20"], "{fault:?}");
    }
    let next = release(&records, root, 1).await.expect("the next release");
    assert!(matches!(next.outcome, Outcome::Published { .. }), "{fault:?}");
    assert_eq!(latest(root).as_deref(), Some(next.release.as_str()).or(next.rolled_forward.as_deref()), "{fault:?}");
    assert!(
        !root.join(".staging").exists()
            || std::fs::read_dir(root.join(".staging")).expect("the staging folder").next().is_none(),
        "{fault:?}"
    );
}

fn vuxnav_export_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn a_failure_at_any_step_leaves_the_previous_release_as_the_latest_and_the_next_run_recovers() {
    for fault in [
        Fault::Create(0),
        Fault::Create(7),
        Fault::Write("csv/offerings.csv.gz"),
        Fault::Write("delta.jsonl.gz"),
        Fault::Write("manifest.json"),
        Fault::Publish,
        Fault::Replace("releases.atom"),
        Fault::Replace("latest.json"),
    ] {
        assert_failure_leaves_the_previous_release(fault).await;
    }
}

#[tokio::test]
async fn a_release_left_complete_but_unannounced_is_made_latest_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let records = Memory::sample(1, 10, night(0));
    release(&records, root, 0).await.unwrap();
    let storage = Faulty::new(root, Fault::Replace("latest.json"));
    publish(&records, Arc::new(storage), &options(), night(1)).await.unwrap_err();
    assert_eq!(releases(root), ["2026-11-20", "2026-11-21"]);
    assert_eq!(latest(root).as_deref(), Some("2026-11-20"));
    let next = release(&records, root, 2).await.unwrap();
    assert_eq!(next.rolled_forward.as_deref(), Some("2026-11-21"));
    assert_eq!(next.outcome, Outcome::Published { sequence: 3, forced: false });
    assert_eq!(json(root, "releases/2026-11-22/manifest.json")["previous_release"], "2026-11-21");
}

#[tokio::test]
async fn a_store_that_fails_mid_release_leaves_no_release_and_names_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut records = Memory::sample(2, 30, night(0));
    release(&records, root, 0).await.unwrap();
    records.fail_offerings_after = Some(25);
    let error = release(&records, root, 1).await.unwrap_err();
    assert_eq!(error.to_string(), "reading the offerings for the release failed");
    assert_eq!(vuxnav_export_chain(&error), "reading the offerings for the release failed: the store went away");
    assert_eq!(releases(root), ["2026-11-20"]);
    assert_eq!(latest(root).as_deref(), Some("2026-11-20"));
}

#[tokio::test]
async fn an_unwritable_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let error = release(&Memory::sample(1, 1, night(0)), &file, 0).await.unwrap_err();
    assert!(matches!(error, ExportError::Storage(StorageError::Io { action: "create", .. })), "{error:?}");
}

#[tokio::test]
async fn retention_removes_old_releases_and_keeps_each_months_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let records = Memory::sample(1, 3, night(0));
    let mut short = options();
    short.keep_days = 5;
    for n in [0, 1, 2, 11, 12, 20] {
        publish(&records, Arc::new(LocalFolder::new(root)), &short, night(n)).await.unwrap();
    }
    // Nights 0-2 are 2026-11-20..22, 11-12 are 2026-12-01..02, 20 is 2026-12-10.
    assert_eq!(releases(root), ["2026-11-20", "2026-12-01", "2026-12-10"]);
    assert!(!root.join("releases/2026-12-01/delta.jsonl.gz").exists(), "its base is gone");
}
