//! Data-driven tests of the `ss12000` kind's pure half.
//!
//! Each folder under `tests/fixtures/ss12000/` is one case: the API's list pages
//! (`organisations*.json`, `syllabuses*.json`, `schoolUnitOfferings*.json`, `activities*.json`
//! and, for an incremental run, `deletedEntities*.json`, each read in name order as the pages of
//! one run), a `config.toml` holding the `[source]` entry an admin writes (and a `[run]` table
//! for an incremental run), and `expected.snap`, an insta snapshot of the normalised items, one
//! line per item. A new case is a new folder. Review a changed snapshot with
//! `cargo insta review`, or write it with
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test ss12000` and read it.

mod fixture;

use std::path::{Path, PathBuf};

use serde_json::Value;
use vuxnav_connectors::ss12000::wire::{parse_deleted, parse_page};
use vuxnav_connectors::ss12000::{Catalogue, Normalizer, normalize};
use vuxnav_connectors::{HarvestContext, Item};

const RESOURCES: [&str; 5] = ["organisations", "syllabuses", "schoolUnitOfferings", "activities", "deletedEntities"];

/// The files of `resource` in a case, in name order.
fn files(case: &Path, resource: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(case)
        .expect("the case folder")
        .map(|entry| entry.expect("a case entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(".json") && name.strip_prefix(resource).is_some_and(|rest| rest.starts_with(['.', '-']))
        })
        .collect();
    files.sort();
    files
}

/// The record pages of `resource`, as the wire reads them.
fn pages(case: &Path, resource: &str) -> Vec<Vec<Value>> {
    files(case, resource)
        .iter()
        .map(|file| {
            let body = std::fs::read(file).expect("a page");
            parse_page(&body, resource)
                .unwrap_or_else(|error| panic!("{} is not a list page: {error}", file.display()))
                .records
        })
        .collect()
}

/// The deleted activity ids of every `/deletedEntities` page.
fn deleted(case: &Path) -> Vec<Vec<String>> {
    files(case, "deletedEntities")
        .iter()
        .map(|file| {
            let body = std::fs::read(file).expect("a page");
            parse_deleted(&body).unwrap_or_else(|error| panic!("{}: {error}", file.display())).0
        })
        .collect()
}

fn check_case_files(case: &Path) {
    for entry in std::fs::read_dir(case).expect("the case folder") {
        let path = entry.expect("a case entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let known = name == "config.toml"
            || name.starts_with("expected.snap")
            || (RESOURCES.iter().any(|r| name.starts_with(r)) && name.ends_with(".json"));
        assert!(known, "{}: `{name}` is not a file a case has", case.display());
    }
}

fn run(case: &Path) -> Vec<Item> {
    check_case_files(case);
    let (config, ctx) = fixture::ss12000(case);
    let activity_pages = pages(case, "activities");
    assert!(!activity_pages.is_empty(), "{}: a case has activities", case.display());
    let catalogue = Catalogue::new(
        &pages(case, "organisations").concat(),
        &pages(case, "syllabuses").concat(),
        &pages(case, "schoolUnitOfferings").concat(),
    );
    let forms = config.school_forms();
    // Page by page, as a run streams them; all at once must come to the same.
    let mut normalizer = Normalizer::new(&ctx, &forms, &catalogue);
    let mut items: Vec<Item> = activity_pages.iter().flat_map(|page| normalizer.page(page)).collect();
    assert_eq!(items, normalize(&ctx, &forms, &catalogue, &activity_pages.concat()), "{}", case.display());
    let deletions = deleted(case);
    assert!(deletions.is_empty() || ctx.since.is_some(), "{}: only an incremental run reads deletions", case.display());
    items.extend(deletions.iter().flat_map(|ids| normalizer.deleted(ids)));
    fixture::check_invariants(case, &ctx, &items);
    items
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    fixture::assert_snapshots("ss12000", |case| fixture::render(&run(case)));
}

#[test]
fn a_run_is_the_same_however_often_it_is_repeated() {
    for case in fixture::all("ss12000") {
        assert_eq!(run(&case), run(&case), "{}", case.display());
    }
}

#[test]
fn a_deleted_activity_is_withdrawn_unless_the_same_run_still_lists_it() {
    let case = fixture::folder("ss12000").join("faults_and_deletions");
    let withdrawn: Vec<String> = run(&case)
        .into_iter()
        .filter_map(|item| match item {
            Item::Withdrawn { upstream_id } => Some(upstream_id),
            _ => None,
        })
        .collect();
    assert_eq!(withdrawn, ["act-deleted-1", "act-deleted-2"]);
}

#[test]
fn every_broken_activity_is_one_rejection_naming_its_id_and_field() {
    let case = fixture::folder("ss12000").join("faults_and_deletions");
    let rejected: Vec<(String, String)> = run(&case)
        .into_iter()
        .filter_map(|item| match item {
            Item::Rejected(r) => Some((r.upstream_id, r.field)),
            _ => None,
        })
        .collect();
    let expect = |id: &str, field: &str| (id.to_owned(), field.to_owned());
    assert!(rejected.contains(&expect("act-unknown-type", "syllabus.schoolType")), "{rejected:?}");
    assert!(rejected.contains(&expect("act-end-before-start", "endDate")), "{rejected:?}");
    assert!(rejected.contains(&expect("act-bad-date", "startDate")), "{rejected:?}");
    assert!(rejected.contains(&expect("act-missing-syllabus", "syllabus")), "{rejected:?}");
    assert!(rejected.contains(&expect("act-bad-points", "syllabus.points")), "{rejected:?}");
}

#[test]
fn an_unknown_or_missing_context_gives_no_offering_of_another_municipality() {
    for case in fixture::all("ss12000") {
        let (_, ctx): (_, HarvestContext) = fixture::ss12000(&case);
        for item in run(&case) {
            if let Item::Offering(offering) = item {
                assert_eq!(offering.municipality, ctx.municipality, "{}", case.display());
            }
        }
    }
}
