//! Data-driven tests of the `susa_navet` kind's pure half.
//!
//! Each folder under `tests/fixtures/susa_navet/` is one case: the upstream's list pages
//! (`events*.json`, `infos*.json`, `providers*.json`, read in name order as the pages of one
//! run), a `context.toml` naming the source, municipality and run, and `expected.snap`, an
//! insta snapshot of the normalised items, one line per item. A new case is a new folder.
//! Review a changed snapshot with `cargo insta review`, or write it with
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test susa_navet` and read it.

mod fixture;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use vuxnav_connectors::susa_navet::wire::{RawPage, RawRecord};
use vuxnav_connectors::susa_navet::{Normalizer, lookup, normalize};
use vuxnav_connectors::{HarvestContext, Item};
use vuxnav_schema::PublicId;

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
    check_invariants(case, &ctx, &items);
    items
}

/// What holds for every run, whatever its records: unique keys, offerings after the course
/// and provider they name, provenance from the context, the content hash of the offering.
fn check_invariants(case: &Path, ctx: &HarvestContext, items: &[Item]) {
    let case = case.display();
    let mut providers = HashSet::new();
    let mut courses = HashSet::new();
    let mut offerings = HashSet::new();
    let mut withdrawn = HashSet::new();
    for item in items {
        match item {
            Item::Provider(p) => assert!(providers.insert(p.id), "{case}: provider {} twice", p.id),
            Item::Course(c) => assert!(courses.insert(c.id), "{case}: course {} twice", c.id),
            Item::Offering(o) => {
                assert!(offerings.insert(o.id), "{case}: offering {} twice", o.id);
                assert!(courses.contains(&o.course), "{case}: {} names a course not yielded", o.provenance.upstream_id);
                assert!(
                    providers.contains(&o.provider),
                    "{case}: {} names a provider not yielded",
                    o.provenance.upstream_id
                );
                assert_eq!(o.id, PublicId::offering(&ctx.source, &o.provenance.upstream_id));
                assert_eq!(o.municipality, ctx.municipality);
                assert_eq!(o.provenance.source, ctx.source);
                assert_eq!(o.provenance.content_hash, o.content_hash());
                assert_eq!(o.provenance.last_harvest, ctx.started);
            }
            Item::Withdrawn { upstream_id } => {
                assert!(withdrawn.insert(upstream_id.clone()), "{case}: {upstream_id} withdrawn twice");
            }
            Item::Rejected(r) => {
                assert!(!r.field.is_empty() && !r.reason.is_empty(), "{case}: {r:?}");
                assert!(!r.reason.ends_with('.'), "{case}: a reason has no trailing period: {}", r.reason);
            }
        }
    }
}

fn or_dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// One line per item; an offering names its course by code (or title) and its provider by
/// name, so a reader can check the links without decoding ids.
fn render(items: &[Item]) -> String {
    let mut course_names = HashMap::new();
    let mut provider_names = HashMap::new();
    for item in items {
        match item {
            Item::Course(c) => {
                course_names
                    .insert(c.id, c.code.as_ref().map_or_else(|| format!("{:?}", c.title), |c| c.as_str().to_owned()));
            }
            Item::Provider(p) => {
                provider_names.insert(p.id, format!("{:?}", p.name));
            }
            _ => {}
        }
    }
    let mut out = String::new();
    for item in items {
        let _ = match item {
            Item::Provider(p) => writeln!(
                out,
                "provider {} {:?} org={} kind={} municipality={} web={} email={} phone={}",
                p.id,
                p.name,
                or_dash(p.org_number.as_ref().map(|o| o.as_str())),
                p.kind.code(),
                or_dash(p.municipality),
                or_dash(p.web.as_deref()),
                or_dash(p.email.as_deref()),
                or_dash(p.phone.as_deref()),
            ),
            Item::Course(c) => writeln!(
                out,
                "course {} code={} {:?} form={} configuration={} credits={} subject={} sun={} vocational={} description={:?}",
                c.id,
                or_dash(c.code.as_ref().map(|c| c.as_str())),
                c.title,
                c.school_form.code(),
                c.configuration.code(),
                or_dash(c.credits.map(|c| format!("{} {}", c.value, c.system.code()))),
                or_dash(c.subject.as_ref().map(|s| format!("{s:?}"))),
                or_dash(c.sun_field.as_deref()),
                c.vocational,
                c.description.as_deref().unwrap_or("-"),
            ),
            Item::Offering(o) => {
                let l = &o.location;
                let place =
                    [l.name.as_deref(), l.street_address.as_deref(), l.postal_code.as_deref(), l.town.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ");
                let at = l.coordinates.map_or_else(String::new, |c| format!(" @{},{}", c.latitude, c.longitude));
                let s = &o.schedule;
                let a = &o.application;
                writeln!(
                    out,
                    "offering {} id={} course={} provider={} municipality={} place={:?}{} dates={}..{}{} apply={}..{}{} apply_url={} pace={} time={} mode={} language={} seats={} cancelled={} apprenticeship={} fee={} eligibility={} web={}",
                    o.provenance.upstream_id,
                    o.id,
                    course_names.get(&o.course).cloned().unwrap_or_else(|| o.course.to_string()),
                    provider_names.get(&o.provider).cloned().unwrap_or_else(|| o.provider.to_string()),
                    o.municipality,
                    place,
                    at,
                    or_dash(s.start()),
                    or_dash(s.end()),
                    if s.continuous_intake() { " continuous-intake" } else { "" },
                    or_dash(a.opens()),
                    or_dash(a.closes()),
                    if a.continuous() { " continuous" } else { "" },
                    or_dash(a.url.as_deref()),
                    o.pace.percent(),
                    o.time_of_study.code(),
                    o.mode.code(),
                    o.language,
                    or_dash(o.seats),
                    o.cancelled,
                    o.apprenticeship,
                    or_dash(o.fee_sek),
                    o.eligibility.code(),
                    or_dash(o.web.as_deref()),
                )
            }
            Item::Withdrawn { upstream_id } => writeln!(out, "withdrawn {upstream_id}"),
            Item::Rejected(r) => writeln!(out, "rejected {} field={} reason={:?}", r.upstream_id, r.field, r.reason),
        };
    }
    out
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    let cases = fixture::all("susa_navet");
    assert!(!cases.is_empty(), "no cases under {}", fixture::folder("susa_navet").display());
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let rendering = render(&run(&case));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&case);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!("susa_navet fixture case `{name}`"));
        settings.bind(|| insta::assert_snapshot!("expected", rendering));
    }
}

#[test]
fn a_run_is_the_same_however_often_it_is_repeated() {
    for case in fixture::all("susa_navet") {
        assert_eq!(run(&case), run(&case), "{}", case.display());
    }
}
