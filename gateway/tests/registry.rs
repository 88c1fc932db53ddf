//! `vuxnav registry import`: the file formats as data-driven cases (a folder per case under
//! `tests/registry_import/`, holding one file named after its kind, `prices.csv` say, and the
//! `expected.snap` of what reading it gives), and the command itself run as an operator runs
//! it, on every test database.

use std::path::{Path, PathBuf};
use std::process::Output;

use vuxnav_gateway::cli::registry::file::{self, Context, Format, RegistryKind};
use vuxnav_schema::{Region, Taxonomy};
use vuxnav_store::testing::fresh_databases;
use vuxnav_store::{AuditContext, RegistryRows, Store};

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/registry_import")
}

fn kind_of(stem: &str) -> RegistryKind {
    <RegistryKind as clap::ValueEnum>::from_str(stem, false).unwrap_or_else(|e| panic!("`{stem}` names no kind: {e}"))
}

/// What reading a case's file gives, as text: the rows, or every problem, one a line.
fn read_case(input: &Path) -> String {
    let kind = kind_of(input.file_stem().and_then(|s| s.to_str()).expect("a file name"));
    let format = Format::of(input).expect("a .csv or .json file");
    let bytes = std::fs::read(input).expect("the case's file");
    let context = Context { region: &Region::default(), taxonomy: Taxonomy::pinned().expect("the shipped snapshot") };
    match file::read(kind, format, &bytes, context) {
        Ok(rows) => {
            let json = serde_json::to_string_pretty(&file::to_json(&rows)).expect("JSON");
            let again = file::read(kind, Format::Json, json.as_bytes(), context).expect("what was read reads back");
            assert_eq!(again, rows, "{}: written and read again", input.display());
            format!("ok, as JSON:\n{json}\n")
        }
        Err(problems) => problems.iter().map(|p| format!("{p}\n")).collect(),
    }
}

#[test]
fn every_import_case_reads_as_its_expected_snapshot() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(cases())
        .expect("the cases folder")
        .map(|entry| entry.expect("a case").path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 9, "the cases are missing: {folders:?}");
    for folder in folders {
        let input = std::fs::read_dir(&folder)
            .expect("a case folder")
            .map(|entry| entry.expect("a file").path())
            .find(|p| Format::of(p).is_some())
            .unwrap_or_else(|| panic!("{} holds no .csv or .json file", folder.display()));
        let output = read_case(&input);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&folder);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(&input);
        settings.bind(|| insta::assert_snapshot!("expected", output));
    }
}

fn run(args: &[&str]) -> Output {
    vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), args).output().expect("the vuxnav binary runs")
}

/// A price file of `rows` rows, one course each, with `broken` (counted from 1) given a
/// negative amount.
fn price_file(dir: &Path, rows: usize, broken: Option<usize>) -> PathBuf {
    let mut text =
        "key,payer,provider,school_form,course_code,unit,amount_sek,valid_from,valid_to,decision,source\n".to_owned();
    for row in 1..=rows {
        let amount = if Some(row) == broken { "-120" } else { "120" };
        text.push_str(&format!("p{row},0127,*,VUXGY,KURS{row:05},PER_COURSE,{amount},2026-01-01,,,illustrative\n"));
    }
    let path = dir.join("prices.csv");
    std::fs::write(&path, text).expect("the price file is written");
    path
}

#[tokio::test]
async fn an_import_with_a_broken_row_4000_of_5000_names_it_and_imports_nothing() {
    for database in fresh_databases().await {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = dir.path().join("vuxnav.toml");
        std::fs::write(&config, format!("database_url = \"{}\"\n", database.url)).expect("the config is written");
        let config = config.to_str().expect("a UTF-8 path");
        let broken = price_file(dir.path(), 5_000, Some(4_000));

        let output = run(&["registry", "import", "prices", broken.to_str().expect("a path"), "--config", config]);

        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{}: {stderr}", database.backend);
        assert!(stderr.contains("row 4000, column `amount_sek`: -120 is negative"), "{}: {stderr}", database.backend);
        assert!(stderr.contains("1 problem(s) found; nothing was imported"), "{stderr}");
        let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
        let store = Store::connect(&database.url).await.expect("the test database");
        assert!(store.registries(taxonomy).await.expect("read").prices.entries().is_empty(), "{}", database.backend);

        let good = price_file(dir.path(), 5_000, None);
        let good = good.to_str().expect("a path");
        let dry = run(&["registry", "import", "prices", good, "--dry-run", "--config", config]);
        assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
        assert!(String::from_utf8_lossy(&dry.stdout).contains("would import 5000 new and 0 updated"));
        assert!(store.registries(taxonomy).await.expect("read").prices.entries().is_empty(), "{}", database.backend);

        let done = run(&["registry", "import", "prices", good, "--config", config]);
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
        assert_eq!(store.registries(taxonomy).await.expect("read").prices.entries().len(), 5_000);
    }
}

#[tokio::test]
async fn an_import_that_overlaps_a_stored_price_names_both_keys_and_imports_nothing() {
    for database in fresh_databases().await {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = dir.path().join("vuxnav.toml");
        std::fs::write(&config, format!("database_url = \"{}\"\n", database.url)).expect("the config is written");
        let config = config.to_str().expect("a UTF-8 path");
        let first = price_file(dir.path(), 2, None);
        assert!(
            run(&["registry", "import", "prices", first.to_str().expect("a path"), "--config", config])
                .status
                .success()
        );
        let other = dir.path().join("other.csv");
        std::fs::write(
            &other,
            "key,payer,provider,school_form,course_code,unit,amount_sek,valid_from,source\n\
             q1,0127,*,VUXGY,KURS00002,PER_COURSE,99,2026-09-01,illustrative\n\
             q2,0127,*,VUXGY,KURS00003,PER_COURSE,99,2026-09-01,illustrative\n",
        )
        .expect("written");

        let output = run(&["registry", "import", "prices", other.to_str().expect("a path"), "--config", config]);

        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{}: {stderr}", database.backend);
        assert!(stderr.contains("`p2`") && stderr.contains("`q1`"), "{}: {stderr}", database.backend);
        let store = Store::connect(&database.url).await.expect("the test database");
        let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
        assert_eq!(store.registries(taxonomy).await.expect("read").prices.entries().len(), 2, "{}", database.backend);
    }
}

/// The `csv <kind>` blocks of docs/registries.md: (line, kind, text).
fn documented_files() -> Vec<(usize, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/registries.md");
    let markdown = std::fs::read_to_string(&path).expect("docs/registries.md");
    let lines: Vec<&str> = markdown.lines().collect();
    let mut files = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(kind) = line.trim().strip_prefix("```csv ") {
            let end = (i + 1..lines.len()).find(|&j| lines[j].trim() == "```").expect("a closed block");
            files.push((i + 1, kind.trim().to_owned(), lines[i + 1..end].join("\n")));
        }
    }
    files
}

#[tokio::test]
async fn every_example_file_in_the_registries_guide_imports_on_every_database() {
    let files = documented_files();
    assert!(files.len() >= 2, "docs/registries.md shows {} example files", files.len());
    let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
    for database in fresh_databases().await {
        let store = database.connect().await;
        for (line, kind, text) in &files {
            let context = Context { region: &Region::default(), taxonomy };
            let rows = file::read(kind_of(kind), Format::Csv, text.as_bytes(), context)
                .unwrap_or_else(|problems| panic!("docs/registries.md:{line}: {problems:?}"));
            let outcome = store
                .import_registry(&rows, false, &AuditContext::cli(), "example")
                .await
                .expect("the example imports");
            assert!(outcome.new >= 2, "docs/registries.md:{line}: {outcome:?}");
        }
        let registries = store.registries(taxonomy).await.expect("read back");
        assert_eq!(registries.guidance_services.len(), 2, "{}", database.backend);
        assert!(registries.outlook.is_some(), "{}: the example outlook publication", database.backend);
    }
}

/// The demo's registries, one set of rows per kind.
fn demo_rows() -> Vec<RegistryRows> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day");
    let registries =
        vuxnav_simulator::registries(vuxnav_simulator::Scale::Regional, today).expect("the demo registries");
    RegistryRows::every(registries)
}

#[test]
fn every_registry_written_as_csv_or_json_reads_back_as_the_same_rows() {
    let context = Context { region: &Region::default(), taxonomy: Taxonomy::pinned().expect("the shipped snapshot") };
    for rows in demo_rows() {
        let kind = file::kind_of(&rows);
        let csv = file::to_csv(&rows).expect("CSV");
        let json = serde_json::to_vec(&file::to_json(&rows)).expect("JSON");

        let from_csv = file::read(kind, Format::Csv, &csv, context);
        let from_json = file::read(kind, Format::Json, &json, context);

        assert_eq!(from_csv.as_ref(), Ok(&rows), "{kind:?} as CSV:\n{}", String::from_utf8_lossy(&csv));
        assert_eq!(from_json.as_ref(), Ok(&rows), "{kind:?} as JSON");
    }
}

#[tokio::test]
async fn registry_export_writes_what_registry_import_reads_back_unchanged() {
    for database in fresh_databases().await {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = dir.path().join("vuxnav.toml");
        std::fs::write(&config, format!("database_url = \"{}\"\n", database.url)).expect("the config is written");
        let config = config.to_str().expect("a UTF-8 path");
        let store = database.connect().await;
        for rows in demo_rows() {
            store
                .import_registry(&rows, false, &AuditContext::cli(), "the demo")
                .await
                .expect("the demo registries import");
        }
        for (kind, format) in
            [("guidance-services", "csv"), ("validation-offers", "json"), ("prices", "csv"), ("outlook", "csv")]
        {
            let path = dir.path().join(format!("{kind}.{format}"));
            let path = path.to_str().expect("a UTF-8 path");

            let exported = run(&["registry", "export", kind, "--format", format, "--output", path, "--config", config]);
            let imported = run(&["registry", "import", kind, path, "--dry-run", "--config", config]);

            assert!(exported.status.success(), "{}: {}", database.backend, String::from_utf8_lossy(&exported.stderr));
            let stdout = String::from_utf8_lossy(&imported.stdout);
            assert!(
                imported.status.success(),
                "{}: {kind}: {}",
                database.backend,
                String::from_utf8_lossy(&imported.stderr)
            );
            assert!(
                stdout.contains("would import 0 new and"),
                "{}: {kind}: every row is a stored one: {stdout}",
                database.backend
            );
        }
        let listed = run(&["registry", "export", "occupation-links", "--config", config]);
        let text = String::from_utf8_lossy(&listed.stdout);
        assert!(text.starts_with("course_code,occupation_id\n"), "{}: {text}", database.backend);
        assert!(text.contains("YVUSK,Y3QA_5pk_uXd"), "{}: {text}", database.backend);
    }
}
