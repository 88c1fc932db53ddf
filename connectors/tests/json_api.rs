//! Data-driven tests of the `json_api` kind's pure half.
//!
//! Every folder under `tests/fixtures/json_api/` is a case: `config.toml` holds a `[source]`
//! entry as an admin writes it (with its `[source.connector]` table, and a `[run]` table with
//! `since` for an incremental run), `page-1.json`, `page-2.json`, … the API's pages in order,
//! and `expected.snap` the normalised items, one line each. A new case is a new folder; run
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test json_api` once, then read the
//! snapshot before committing it.

mod fixture;

use std::collections::HashSet;
use std::fmt::Write as _;

use vuxnav_connectors::{ConnectorError, Item, json_api};
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
                p.kind.code(),
                or_dash(p.municipality),
                or_dash(p.web.as_deref()),
            ),
            Item::Course(c) => writeln!(
                out,
                "course {} {} {:?} form={} credits={} subject={} description={}",
                short(c.id),
                or_dash(c.code.as_ref().map(|code| code.as_str())),
                c.title,
                c.school_form.code(),
                or_dash(c.credits.map(|k| format!("{} {}", k.value, k.system.code()))),
                or_dash(c.subject.as_deref()),
                or_dash(c.description.as_ref().map(|d| format!("{d:?}"))),
            ),
            Item::Offering(o) => writeln!(
                out,
                "offering {} upstream={} course={} provider={} kommun={} dates={}..{} apply={}..{} pace={} \
                 mode={} time={} lang={} seats={} town={} place={} street={} postal={} web={} hash={}",
                short(o.id),
                o.provenance.upstream_id,
                short(o.course),
                short(o.provider),
                o.municipality,
                or_dash(o.schedule.start()),
                or_dash(o.schedule.end()),
                or_dash(o.application.opens()),
                or_dash(o.application.closes()),
                o.pace.percent(),
                o.mode.code(),
                o.time_of_study.code(),
                o.language,
                or_dash(o.seats),
                or_dash(o.location.town.as_deref()),
                or_dash(o.location.name.as_deref().map(|n| format!("{n:?}"))),
                or_dash(o.location.street_address.as_deref().map(|n| format!("{n:?}"))),
                or_dash(o.location.postal_code.as_deref().map(|n| format!("{n:?}"))),
                or_dash(o.web.as_deref()),
                o.provenance.content_hash,
            ),
            Item::Withdrawn { upstream_id } => writeln!(out, "withdrawn {upstream_id}"),
            Item::Rejected(r) => writeln!(out, "rejected {} {}: {}", r.upstream_id, r.field, r.reason),
        };
    }
    out
}

fn run(case: &std::path::Path) -> Result<Vec<Item>, ConnectorError> {
    let (config, ctx) = fixture::json_api(case);
    json_api::normalize(&config, &ctx, &fixture::json_pages(case))
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    let cases = fixture::all("json_api");
    assert!(cases.len() >= 3, "expected the json_api fixture cases, found {cases:?}");
    for case in cases {
        let name = fixture::name(&case);
        let rendered = match run(&case) {
            Ok(items) => render(&items),
            Err(error) => format!("error: {error}\n"),
        };
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(fixture::folder("json_api").join(&name));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_description(format!("json_api case {name}"));
        settings.bind(|| insta::assert_snapshot!("expected", rendered));
    }
}

#[test]
fn normalising_the_same_pages_twice_gives_the_same_items() {
    for case in fixture::all("json_api") {
        let first = run(&case).map_err(|e| e.to_string());
        let second = run(&case).map_err(|e| e.to_string());
        assert_eq!(first, second, "{}", case.display());
    }
}

#[test]
fn every_record_is_yielded_once_and_an_offering_follows_its_provider_and_course() {
    for case in fixture::all("json_api") {
        let (_, ctx) = fixture::json_api(&case);
        let items = run(&case).unwrap_or_else(|error| panic!("{}: {error}", case.display()));
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
fn pages_normalised_one_at_a_time_give_what_all_pages_at_once_give() {
    for case in fixture::all("json_api") {
        let (config, ctx) = fixture::json_api(&case);
        let mut normalizer = json_api::Normalizer::new(&config, &ctx).expect("a valid config");
        let mut items = Vec::new();
        for page in fixture::json_pages(&case) {
            let records = json_api::wire::records(&page, &config.records).expect("a page of records");
            items.extend(normalizer.page(records));
        }
        assert_eq!(Ok(items), run(&case).map_err(|e| e.to_string()), "{}", case.display());
    }
}

#[test]
fn a_page_without_records_where_the_pointer_leads_is_a_shape_error_naming_the_pointer() {
    let case = fixture::folder("json_api").join("taby-page-numbers");
    let (mut config, ctx) = fixture::json_api(&case);
    config.records = "/items".to_owned();
    let error = json_api::normalize(&config, &ctx, &fixture::json_pages(&case)).expect_err("a changed shape");
    assert!(matches!(error, ConnectorError::Shape { .. }), "{error:?}");
    assert!(error.to_string().contains("`/items`"), "{error}");
}

#[test]
fn an_invalid_config_is_an_error_rather_than_a_guess() {
    let case = fixture::folder("json_api").join("taby-page-numbers");
    let (mut config, ctx) = fixture::json_api(&case);
    config.fields.remove(&json_api::Field::Title);
    assert_eq!(config.validate()[0].0, "fields.title");
    let error = json_api::normalize(&config, &ctx, &fixture::json_pages(&case)).expect_err("invalid config");
    assert!(error.to_string().contains("fields.title"), "{error}");
}

#[test]
fn an_instant_in_utc_is_the_date_it_is_in_sweden() {
    let case = fixture::folder("json_api").join("nacka-offset-quirks");
    let items = run(&case).expect("a run");
    let first = items.iter().find_map(|item| match item {
        Item::Offering(o) if o.provenance.upstream_id == "40711" => Some(o),
        _ => None,
    });
    let first = first.expect("record 40711 is an offering");
    // `2026-08-16T22:00:00Z` is midnight on 17 August in Stockholm.
    assert_eq!(first.schedule.start(), chrono::NaiveDate::from_ymd_opt(2026, 8, 17));
    assert_eq!(first.municipality.as_str(), "0182", "the kommunkod 182 got its leading zero back");
    assert_eq!(first.pace.percent(), 50, "\"50,0\" with decimal_comma");
}
