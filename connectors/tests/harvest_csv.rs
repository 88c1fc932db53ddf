//! The `csv` kind's fetching half: the fixture exports under `tests/fixtures/csv/` read from
//! their file and fetched from a simulated student-administration system on loopback give the
//! same items as the pure normaliser, and a file or body over the size limit is refused.

mod conformance;
mod fixture;

use std::fs;
use std::path::PathBuf;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use conformance::{Upstream, fetcher, run_and_assert_compliance, test_options};
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_connectors::csv::{self, fetch::CsvConnector};
use vuxnav_connectors::fetch::FetchOptions;
use vuxnav_connectors::{ConnectorError, HarvestContext, Item};

const EXPORT: &str = "/alvis/export/kurser.csv";

fn fixtures() -> PathBuf {
    fixture::folder("csv")
}

fn cases() -> Vec<String> {
    fixture::all("csv").iter().map(|case| fixture::name(case)).collect()
}

/// The case's connector config, reading neither its file nor its URL yet, and a run's context.
fn load(case: &str) -> (csv::Config, HarvestContext) {
    let (mut config, ctx) = fixture::csv(&fixtures().join(case));
    config.path = None;
    config.url = None;
    (config, ctx)
}

fn input(case: &str) -> PathBuf {
    fixtures().join(case).join("input.csv")
}

/// The pure normaliser's answer for the case's bytes.
fn expected(case: &str, config: &csv::Config, ctx: &HarvestContext) -> Result<Vec<Item>, String> {
    let bytes = fs::read(input(case)).expect("input.csv");
    csv::normalize(config, ctx, &bytes).map_err(|error| error.to_string())
}

/// A simulated export server that serves `case`'s file at [`EXPORT`].
async fn export_server(case: &str) -> Upstream {
    let bytes = fs::read(input(case)).expect("input.csv");
    let router = Router::new().route(
        EXPORT,
        get(move || {
            let bytes = bytes.clone();
            async move { ([(header::CONTENT_TYPE, "text/csv")], bytes) }
        }),
    );
    Upstream::start(router).await
}

#[tokio::test]
async fn every_fixture_case_read_from_its_file_yields_what_the_pure_normaliser_yields() {
    let cases = cases();
    assert!(cases.len() >= 5, "the csv cases: {cases:?}");
    for case in cases {
        let (mut config, ctx) = load(&case);
        config.path = Some(input(&case));
        let built = ConnectorConfig::Csv(config.clone()).build(fetcher(&ctx, test_options()));
        let got = run_and_assert_compliance(built.as_ref(), &ctx, None).await.map_err(|error| error.to_string());
        assert_eq!(got, expected(&case, &config, &ctx), "{case}");
    }
}

#[tokio::test]
async fn every_fixture_case_fetched_from_a_url_yields_what_the_pure_normaliser_yields() {
    for case in cases() {
        let (mut config, ctx) = load(&case);
        let upstream = export_server(&case).await;
        config.url = Some(upstream.url(EXPORT));
        let connector = CsvConnector::new(config.clone(), fetcher(&ctx, test_options()));
        let got = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.map_err(|error| error.to_string());
        assert_eq!(got, expected(&case, &config, &ctx), "{case}");
        assert!(!upstream.requests_to(EXPORT).is_empty(), "{case}: the export was fetched");
    }
}

#[tokio::test]
async fn a_file_and_a_url_with_the_same_bytes_give_the_same_items() {
    let (config, ctx) = load("sundsvall-like");
    let upstream = export_server("sundsvall-like").await;
    let from_file = CsvConnector::new(
        csv::Config { path: Some(input("sundsvall-like")), ..config.clone() },
        fetcher(&ctx, test_options()),
    );
    let from_url =
        CsvConnector::new(csv::Config { url: Some(upstream.url(EXPORT)), ..config }, fetcher(&ctx, test_options()));
    let a = run_and_assert_compliance(&from_file, &ctx, None).await.expect("a run from the file");
    let b = run_and_assert_compliance(&from_url, &ctx, Some(&upstream)).await.expect("a run from the URL");
    assert!(a.iter().any(|item| matches!(item, Item::Offering(_))), "the case has offerings");
    assert_eq!(a, b);
}

#[tokio::test]
async fn a_file_larger_than_the_body_limit_is_refused_before_it_is_read() {
    let (mut config, ctx) = load("sundsvall-like");
    let path = input("sundsvall-like");
    config.path = Some(path.clone());
    let options = FetchOptions { max_body_bytes: 1024, ..test_options() };
    let connector = CsvConnector::new(config, fetcher(&ctx, options));
    let error = run_and_assert_compliance(&connector, &ctx, None).await.expect_err("the file is refused");
    let ConnectorError::TooLarge { url, limit } = &error else { panic!("too large: {error:?}") };
    assert_eq!(url, &path.display().to_string());
    assert_eq!(*limit, 1024);
}

#[tokio::test]
async fn a_body_larger_than_the_limit_is_refused() {
    let (mut config, ctx) = load("sundsvall-like");
    let upstream = export_server("sundsvall-like").await;
    config.url = Some(upstream.url(EXPORT));
    let options = FetchOptions { max_body_bytes: 1024, ..test_options() };
    let connector = CsvConnector::new(config, fetcher(&ctx, options));
    let error = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect_err("the body is refused");
    assert!(matches!(error, ConnectorError::TooLarge { limit: 1024, .. }), "{error:?}");
}

#[tokio::test]
async fn a_missing_file_ends_the_run_with_an_error_naming_it() {
    let (mut config, ctx) = load("tidy-utf8");
    let path = fixtures().join("tidy-utf8").join("no-such-export.csv");
    config.path = Some(path.clone());
    let connector = CsvConnector::new(config, fetcher(&ctx, test_options()));
    let error = run_and_assert_compliance(&connector, &ctx, None).await.expect_err("no file");
    assert!(matches!(error, ConnectorError::Upstream { .. }), "{error:?}");
    assert!(error.to_string().contains(&path.display().to_string()), "{error}");
}

#[tokio::test]
async fn an_export_that_is_not_there_ends_the_run_with_an_error_naming_the_url() {
    let (mut config, ctx) = load("tidy-utf8");
    let upstream = Upstream::start(Router::new()).await;
    let url = upstream.url("/moved.csv");
    config.url = Some(url.clone());
    let connector = CsvConnector::new(config, fetcher(&ctx, test_options()));
    let results = conformance::collect(&connector, &ctx).await;
    let [Err(error)] = results.as_slice() else { panic!("one error: {results:?}") };
    assert!(error.to_string().contains(&url) && error.to_string().contains("404"), "{error}");
}
