//! Data-driven tests of the `csv` kind.
//!
//! Every folder under `tests/fixtures/csv/` is a case: `config.toml` holds a `[source]` entry
//! as an admin writes it (with its `[source.connector]` table), `input.csv` the export's bytes,
//! and `expected.snap` the normalised items, one line each. A new case is a new folder; run
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test csv` once, then read the
//! snapshot before committing it.

mod fixture;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;

use vuxnav_connectors::{Item, csv};
use vuxnav_schema::PublicId;

fn short(id: PublicId) -> String {
    id.to_string()[..8].to_owned()
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// One line per item: its kind, its id (the first 8 hex digits) and the fields that matter.
fn render(items: &[Item]) -> String {
    let mut out = String::new();
    for item in items {
        let _ = match item {
            Item::Provider(p) => writeln!(
                out,
                "provider {} {:?} orgnr={} kind={} kommun={} web={}",
                short(p.id),
                p.name,
                or_dash(p.org_number.as_ref().map(|n| n.as_str())),
                or_dash(p.kind.map(|k| k.code())),
                or_dash(p.municipality),
                or_dash(p.web.as_deref()),
            ),
            Item::Course(c) => writeln!(
                out,
                "course {} {} local={} {:?} form={} credits={} description={}",
                short(c.id),
                or_dash(c.code.as_ref().map(|code| code.as_str())),
                or_dash(c.local_code.as_deref()),
                c.title,
                c.school_form.code(),
                or_dash(c.credits.map(|k| format!("{} {}", k.value, k.system.code()))),
                or_dash(c.description.as_ref().map(|d| format!("{d:?}"))),
            ),
            Item::Offering(o) => writeln!(
                out,
                "offering {} upstream={} title={} course={} provider={} kommun={} dates={}..{} apply={}..{} pace={} \
                 mode={} time={} lang={} configured={} seats={} town={} place={} web={} hash={}",
                short(o.id),
                o.provenance.upstream_id,
                or_dash(o.title.as_ref().map(|t| format!("{t:?}"))),
                short(o.course),
                short(o.provider),
                o.municipality,
                or_dash(o.schedule.start()),
                or_dash(o.schedule.end()),
                or_dash(o.application.opens()),
                or_dash(o.application.closes()),
                o.pace.percent(),
                or_dash(o.mode.map(|m| m.code())),
                or_dash(o.time_of_study.map(|t| t.code())),
                or_dash(o.language),
                or_dash(
                    Some(o.provenance.configured.iter().map(|f| f.code()).collect::<Vec<_>>().join(","))
                        .filter(|c| !c.is_empty())
                ),
                or_dash(o.seats),
                or_dash(o.location.town.as_deref()),
                or_dash(o.location.name.as_deref().map(|n| format!("{n:?}"))),
                or_dash(o.web.as_deref()),
                o.provenance.content_hash,
            ),
            Item::Withdrawn { upstream_id } => writeln!(out, "withdrawn {upstream_id}"),
            Item::Rejected(r) => writeln!(out, "rejected {} {}: {}", r.upstream_id, r.field, r.reason),
        };
    }
    out
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    fixture::assert_snapshots("csv", |case| {
        let (config, ctx) = fixture::csv(case);
        let bytes = fs::read(case.join("input.csv")).expect("input.csv");
        match csv::normalize(&config, &ctx, &bytes) {
            Ok(items) => render(&items),
            Err(error) => format!("error: {error}\n"),
        }
    });
}

#[test]
fn normalising_the_same_bytes_twice_gives_the_same_items() {
    for case in fixture::all("csv") {
        let (config, ctx) = fixture::csv(&case);
        let bytes = fs::read(case.join("input.csv")).expect("input.csv");
        let first = csv::normalize(&config, &ctx, &bytes).map_err(|e| e.to_string());
        let second = csv::normalize(&config, &ctx, &bytes).map_err(|e| e.to_string());
        assert_eq!(first, second, "{}", case.display());
    }
}

#[test]
fn every_record_is_yielded_once_and_an_offering_follows_its_provider_and_course() {
    for case in fixture::all("csv") {
        let (config, ctx) = fixture::csv(&case);
        let bytes = fs::read(case.join("input.csv")).expect("input.csv");
        let Ok(items) = csv::normalize(&config, &ctx, &bytes) else { continue };
        let mut seen = HashSet::new();
        for item in &items {
            match item {
                Item::Provider(p) => assert!(seen.insert(p.id), "provider {} twice in {}", p.id, case.display()),
                Item::Course(c) => assert!(seen.insert(c.id), "course {} twice in {}", c.id, case.display()),
                Item::Offering(o) => {
                    assert!(seen.contains(&o.course) && seen.contains(&o.provider), "{}", case.display());
                    assert!(seen.insert(o.id), "offering {} twice in {}", o.id, case.display());
                    assert_eq!(o.provenance.content_hash, o.content_hash());
                    assert_eq!(o.provenance.last_harvest, ctx.started);
                }
                Item::Withdrawn { .. } | Item::Rejected(_) => {}
            }
        }
    }
}

#[test]
fn a_missing_mapped_header_is_one_error_that_names_the_header() {
    let case = fixture::folder("csv").join("missing-mapped-header");
    let (config, ctx) = fixture::csv(&case);
    let bytes = fs::read(case.join("input.csv")).expect("input.csv");
    let error = csv::normalize(&config, &ctx, &bytes).expect_err("the run fails");
    assert!(matches!(error, vuxnav_connectors::ConnectorError::Shape { .. }), "{error:?}");
    assert!(error.to_string().contains("`Namn`"), "{error}");
}

#[test]
fn a_windows_1252_export_read_as_utf_8_is_an_error_that_suggests_the_encoding() {
    let case = fixture::folder("csv").join("semicolon-decimal-comma-windows-1252");
    let (mut config, ctx) = fixture::csv(&case);
    config.encoding = csv::Encoding::Utf8;
    let bytes = fs::read(case.join("input.csv")).expect("input.csv");
    let error = csv::normalize(&config, &ctx, &bytes).expect_err("not UTF-8");
    assert!(error.to_string().contains("windows-1252"), "{error}");
}

#[test]
fn an_invalid_config_is_an_error_rather_than_a_guess() {
    let case = fixture::folder("csv").join("tidy-utf8");
    let (mut config, ctx) = fixture::csv(&case);
    config.columns.remove(&csv::Field::Title);
    assert_eq!(config.validate()[0].0, "columns.title");
    let bytes = fs::read(case.join("input.csv")).expect("input.csv");
    let error = csv::normalize(&config, &ctx, &bytes).expect_err("invalid config");
    assert!(error.to_string().contains("columns.title"), "{error}");
}
