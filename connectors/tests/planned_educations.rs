//! Data-driven tests of the `planned_educations` kind's pure half.
//!
//! Each folder under `tests/fixtures/planned_educations/` is one case: the API's answers
//! (`page-*.json`, whole `{status, message, body}` envelopes, read in name order as the pages of
//! one run), a `context.toml` naming the source, municipality and run, and `expected.snap`, an
//! insta snapshot of the normalised items, one line per item. A new case is a new folder.
//! Review a changed snapshot with `cargo insta review`, or write it with
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test planned_educations` and read it.

mod fixture;

use std::path::{Path, PathBuf};

use vuxnav_connectors::Item;
use vuxnav_connectors::planned_educations::wire::Envelope;
use vuxnav_connectors::planned_educations::{Normalizer, normalize};

/// The records of each page of the case, in name order.
fn pages(case: &Path) -> Vec<Vec<serde_json::Value>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(case)
        .expect("the case folder")
        .map(|entry| entry.expect("a case entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with("page") && name.ends_with(".json")
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("a page");
            let envelope: Envelope = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{} is not an API v4 envelope: {error}", file.display()));
            assert!(envelope.is_ok(), "{}", file.display());
            let body = envelope.body.unwrap_or_else(|| panic!("{} has a body", file.display()));
            body.embedded
                .map(|embedded| embedded.events.expect("a listedAdultEducationEvents list"))
                .unwrap_or_default()
        })
        .collect()
}

fn check_case_files(case: &Path) {
    for entry in std::fs::read_dir(case).expect("the case folder") {
        let path = entry.expect("a case entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let known = name == "context.toml"
            || name.starts_with("expected.snap")
            || (name.starts_with("page") && name.ends_with(".json"));
        assert!(known, "{}: `{name}` is not a file a case has", case.display());
    }
}

fn run(case: &Path) -> Vec<Item> {
    check_case_files(case);
    let ctx = fixture::susa_context(case);
    let pages = pages(case);
    assert!(!pages.is_empty(), "{}: a case has pages", case.display());
    // Page by page, as a run streams them; all at once must come to the same.
    let mut normalizer = Normalizer::new(&ctx);
    let items: Vec<Item> = pages.iter().flat_map(|page| normalizer.page(page)).collect();
    assert_eq!(items, normalize(&ctx, &pages.concat()), "{}", case.display());
    fixture::check_invariants(case, &ctx, &items);
    items
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    fixture::assert_snapshots("planned_educations", |case| fixture::render(&run(case)));
}

#[test]
fn a_run_is_the_same_however_often_it_is_repeated() {
    for case in fixture::all("planned_educations") {
        assert_eq!(run(&case), run(&case), "{}", case.display());
    }
}

#[test]
fn the_quirks_read_as_a_person_reads_them() {
    let items = run(&fixture::folder("planned_educations").join("klippan_quirks"));
    let offering = |id: &str| {
        items
            .iter()
            .find_map(|item| match item {
                Item::Offering(o) if o.provenance.upstream_id == id => Some(o.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{id} is an offering"))
    };
    // Pace "null" is full time; the 2099 sentinel is continuous application without a date.
    let flex = offering("e.IST.518107VUXFLEXENG05");
    assert_eq!(flex.pace.percent(), 100);
    assert!(flex.application.continuous());
    assert_eq!(flex.application.closes(), None);
    assert!(flex.schedule.continuous_intake());
    // A date with an offset closes on its date in Sweden.
    let mekaniker = offering("e.IST.33046FTXAFRVUXY256MAS");
    assert_eq!(mekaniker.application.closes().map(|d| d.to_string()).as_deref(), Some("2024-10-15"));
    assert!(!mekaniker.application.continuous());
    // CDATA and entities are gone from titles.
    let titles: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Item::Course(c) => Some(c.title.as_str()),
            _ => None,
        })
        .collect();
    assert!(titles.contains(&"Matematik 1a"), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains("CDATA") && !t.contains('&')), "{titles:?}");
    assert!(!items.iter().any(|item| matches!(item, Item::Rejected(_))), "the quirks are no faults");
}
