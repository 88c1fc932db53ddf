//! Data-driven tests of the `json_api` kind's pure half.
//!
//! Every folder under `tests/fixtures/json_api/` is a case: `config.toml` holds a `[source]`
//! entry as an admin writes it (with its `[source.connector]` table, and a `[run]` table with
//! `since` for an incremental run), `page-1.json`, `page-2.json`, … the API's pages in order,
//! and `expected.snap` the normalised items, one line each. A new case is a new folder; run
//! `INSTA_UPDATE=always cargo test -p vuxnav-connectors --test json_api` once, then read the
//! snapshot before committing it.

mod fixture;

use vuxnav_connectors::{ConnectorError, Item, json_api};

fn run(case: &std::path::Path) -> Result<Vec<Item>, ConnectorError> {
    let (config, ctx) = fixture::json_api(case);
    json_api::normalize(&config, &ctx, &fixture::json_pages(case))
}

#[test]
fn every_fixture_case_normalises_to_its_snapshot() {
    fixture::assert_snapshots("json_api", |case| match run(case) {
        Ok(items) => fixture::render(&items),
        Err(error) => format!("error: {error}\n"),
    });
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
fn every_case_keeps_the_invariants_of_every_kind() {
    for case in fixture::all("json_api") {
        let (_, ctx) = fixture::json_api(&case);
        let items = run(&case).unwrap_or_else(|error| panic!("{}: {error}", case.display()));
        fixture::check_invariants(&case, &ctx, &items);
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
