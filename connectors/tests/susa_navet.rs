//! Data-driven tests of the `susa_navet` kind's pure half.
//!
//! Each folder under `tests/fixtures/susa_navet/` is one case: the upstream's list pages
//! (`events*.json`, `infos*.json`, `providers*.json`, read in name order as the pages of one
//! run), a `context.toml` naming the source, municipality and run, and `expected.snap`, an
//! insta snapshot of the normalised items, one line per item. A new case is a new folder.
//! Review a changed snapshot with `cargo insta review`, or write it with
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test susa_navet` and read it.

mod fixture;

use std::path::{Path, PathBuf};

use vuxnav_connectors::Item;
use vuxnav_connectors::susa_navet::wire::{RawPage, RawRecord};
use vuxnav_connectors::susa_navet::{Normalizer, lookup, normalize};

/// The pages whose file name starts with `prefix`, in name order.
fn pages(case: &Path, prefix: &str) -> Vec<Vec<RawRecord>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(case)
        .expect("the case folder")
        .map(|entry| entry.expect("a case entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with(prefix) && name.ends_with(".json")
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("a page");
            let page: RawPage = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{} is not an EMIL 3 list page: {error}", file.display()));
            page.records
        })
        .collect()
}

fn check_case_files(case: &Path) {
    for entry in std::fs::read_dir(case).expect("the case folder") {
        let path = entry.expect("a case entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let known = name == "context.toml"
            || name.starts_with("expected.snap")
            || (["events", "infos", "providers"].iter().any(|p| name.starts_with(p)) && name.ends_with(".json"));
        assert!(known, "{}: `{name}` is not a file a case has", case.display());
    }
}

fn run(case: &Path) -> Vec<Item> {
    check_case_files(case);
    let ctx = fixture::susa_context(case);
    let event_pages = pages(case, "events");
    assert!(!event_pages.is_empty(), "{}: a case has events", case.display());
    let infos = lookup(&pages(case, "infos").concat());
    let providers = lookup(&pages(case, "providers").concat());
    // Page by page, as a run streams them; all at once must come to the same.
    let mut normalizer = Normalizer::new(&ctx, &infos, &providers);
    let items: Vec<Item> = event_pages.iter().flat_map(|page| normalizer.page(page)).collect();
    assert_eq!(items, normalize(&ctx, &event_pages.concat(), &infos, &providers), "{}", case.display());
    fixture::check_invariants(case, &ctx, &items);
    items
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    fixture::assert_snapshots("susa_navet", |case| fixture::render(&run(case)));
}

#[test]
fn a_run_is_the_same_however_often_it_is_repeated() {
    for case in fixture::all("susa_navet") {
        assert_eq!(run(&case), run(&case), "{}", case.display());
    }
}
