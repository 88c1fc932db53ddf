//! Privacy by list, checked where the store and the export are both visible: every store
//! column is classified, and a release written from a real store carries only public columns
//! and none of the private values it was given.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use support::{StoreRecords, night, options, read};
use vuxnav_export::privacy::{Class, classify};
use vuxnav_export::v1::TABLES;
use vuxnav_export::{LocalFolder, publish};
use vuxnav_schema::{MunicipalityCode, SourceId};
use vuxnav_store::{Store, testing};

#[test]
fn every_store_column_is_classified_public_or_private() {
    let unclassified: Vec<String> = Store::columns().into_iter().filter(|c| classify(c).is_none()).collect();
    assert!(unclassified.is_empty(), "classify these in export/src/privacy.rs: {unclassified:?}");
    let stale: Vec<&str> = vuxnav_export::privacy::STORE_COLUMNS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !Store::columns().iter().any(|c| c == name))
        .collect();
    assert!(stale.is_empty(), "the list names columns the store does not have: {stale:?}");
}

#[tokio::test]
async fn a_release_of_a_real_store_has_only_public_columns_and_no_private_value() {
    for db in testing::fresh_stores().await {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let source = SourceId::parse("huddinge-csv").unwrap();
        let huddinge = MunicipalityCode::parse("0126").unwrap();
        db.register_source(&source, huddinge, "csv", true).await.unwrap();
        let mut catalogue = testing::sample_catalogue(&source, huddinge, 40, night(0));
        for provider in &mut catalogue.providers {
            provider.email = Some("anna.andersson@skola.example.se".into());
            provider.phone = Some("070-123 45 67".into());
        }
        db.replace_source(&source, &catalogue, night(0)).await.unwrap();
        db.record_attempt(&source, night(0), Ok(())).await.unwrap();
        db.record_attempt(
            &source,
            night(0) + chrono::Duration::hours(1),
            Err("connect to secret-host.internal:5432 failed".into()),
        )
        .await
        .unwrap();

        let reader = db.release_reader().await.unwrap();
        let summary =
            publish(&StoreRecords(reader), Arc::new(LocalFolder::new(root)), &options(), night(1)).await.unwrap();
        let folder = format!("releases/{}", summary.release);

        for table in TABLES {
            let allowed: BTreeSet<&str> = table.columns.iter().map(|c| c.name).collect();
            for column in table.columns {
                for from in column.from {
                    assert_eq!(classify(from), Some(Class::Public), "{}.{}", table.name, column.name);
                }
            }
            let csv = read(root, &format!("{folder}/{}", table.csv_path()));
            let header: BTreeSet<&str> = csv.lines().next().unwrap_or_default().split(',').collect();
            assert_eq!(header, allowed, "{}: csv header", table.name);
            let excel = read(root, &format!("{folder}/{}", table.excel_path()));
            let header: BTreeSet<&str> =
                excel.trim_start_matches('\u{feff}').lines().next().unwrap_or_default().split(';').collect();
            assert_eq!(header, allowed, "{}: excel header", table.name);
            for line in read(root, &format!("{folder}/{}", table.jsonl_path())).lines() {
                let row: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
                let keys: BTreeSet<&str> = row.keys().map(String::as_str).collect();
                assert_eq!(keys, allowed, "{}: jsonl keys", table.name);
            }
        }

        let mut everything = String::new();
        for entry in walk(&root.join(&folder)) {
            let path = entry.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            everything.push_str(&read(root, &path));
        }
        for private in ["anna.andersson", "070-123 45 67", "secret-host", "e.17\""] {
            assert!(!everything.contains(private), "{}: `{private}` reached a release file", db.backend);
        }
        assert!(everything.contains("\"status\":\"stale\""), "{}: the state is published", db.backend);
    }
}

fn walk(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("a release folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}
