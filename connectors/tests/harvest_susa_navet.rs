//! The `susa_navet` kind's fetching half against a simulated hub: a real HTTP server on
//! loopback that serves the fixture cases under `tests/fixtures/susa_navet/` the way EMIL 3
//! does (`page`/`size` paging with `page.pageNumber` and `page.totalPages`), re-paged to
//! whatever `size` the connector asks for, and that can be told to fail.

mod conformance;
mod fixture;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use conformance::{Upstream, fetcher, run_and_assert_compliance, test_options};
use serde_json::{Value, json};
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_connectors::susa_navet::fetch::SusaNavetConnector;
use vuxnav_connectors::susa_navet::wire::{RawPage, RawRecord, updated_since_param};
use vuxnav_connectors::susa_navet::{self, lookup, normalize};
use vuxnav_connectors::{ConnectorError, HarvestContext, Item};

const EVENTS: &str = "/emil3/educationEvents";
const INFOS: &str = "/emil3/educationInfos";
const PROVIDERS: &str = "/emil3/educationProviders";

fn fixtures() -> PathBuf {
    fixture::folder("susa_navet")
}

fn context(case: &str) -> HarvestContext {
    fixture::susa_context(&fixtures().join(case))
}

/// The records of every page file of `case` whose name starts with `prefix`, in name order,
/// as JSON values.
fn records(case: &str, prefix: &str) -> Vec<Value> {
    let dir = fixtures().join(case);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the case folder")
        .map(|entry| entry.expect("a case entry").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with(prefix) && name.ends_with(".json")
        })
        .collect();
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let page: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("a page")).expect("JSON");
        let key = ["educationEvents", "educationInfos", "educationProviders"]
            .into_iter()
            .find(|key| page.get(key).is_some())
            .expect("a list page");
        all.extend(page[key].as_array().expect("a record array").iter().cloned());
    }
    all
}

fn raw(values: &[Value]) -> Vec<RawRecord> {
    let page: RawPage = serde_json::from_value(json!({ "educationEvents": values })).expect("EMIL 3 records");
    page.records
}

/// What the pure half makes of the whole case at once: what a run must yield.
fn expected(case: &str, ctx: &HarvestContext) -> Vec<Item> {
    let infos = lookup(&raw(&records(case, "infos")));
    let providers = lookup(&raw(&records(case, "providers")));
    normalize(ctx, &raw(&records(case, "events")), &infos, &providers)
}

/// How the simulated hub misbehaves on `/educationEvents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The first `n` requests answer 503, as while the hub updates.
    Unavailable(u32),
    /// A body that is not JSON.
    Malformed,
    /// The page's JSON cut in half, sent with a length that matches.
    TruncatedJson,
    /// Half the page, then the connection is dropped.
    CutOff,
    /// JSON of another shape (the legacy `content` list).
    WrongShape,
    /// Every page says more pages follow.
    Endless,
}

#[derive(Clone)]
struct Hub {
    events: Arc<Vec<Value>>,
    infos: Arc<Vec<Value>>,
    providers: Arc<Vec<Value>>,
    fault: Fault,
    unavailable_left: Arc<AtomicU32>,
}

type Params = Query<HashMap<String, String>>;

fn number(params: &HashMap<String, String>, name: &str) -> Option<usize> {
    params.get(name).and_then(|value| value.parse().ok())
}

/// One EMIL 3 list page of `records` as the hub renders it.
fn list_page(key: &str, records: &[Value], params: &HashMap<String, String>) -> Value {
    let page = number(params, "page").unwrap_or(0);
    let size = number(params, "size").unwrap_or(100).max(1);
    let start = page.saturating_mul(size).min(records.len());
    let end = start.saturating_add(size).min(records.len());
    json!({
        "links": [],
        key: &records[start..end],
        "page": {
            "size": size,
            "totalElements": records.len(),
            "totalPages": records.len().div_ceil(size),
            "pageNumber": page,
        },
    })
}

fn json_response(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn events(State(hub): State<Hub>, Query(params): Params) -> Response {
    let page = list_page("educationEvents", &hub.events, &params);
    let body = serde_json::to_vec(&page).expect("JSON");
    match hub.fault {
        Fault::None => json_response(body),
        Fault::Unavailable(_) => {
            let left = hub.unavailable_left.load(Ordering::SeqCst);
            if left > 0 {
                hub.unavailable_left.store(left - 1, Ordering::SeqCst);
                let error = json!({
                    "timestamp": "2026-11-01T03:00:00", "status": 503, "type": "Service Unavailable",
                    "message": "The system is currently updating education resources",
                });
                return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "0")], axum::Json(error))
                    .into_response();
            }
            json_response(body)
        }
        Fault::Malformed => json_response(b"{\"links\": [], \"educationEvents\": [}".to_vec()),
        Fault::TruncatedJson => json_response(body[..body.len() / 2].to_vec()),
        Fault::CutOff => {
            let half = Bytes::copy_from_slice(&body[..body.len() / 2]);
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(half), Err(std::io::Error::other("the hub went away"))];
            ([(header::CONTENT_TYPE, "application/json")], Body::from_stream(futures::stream::iter(chunks)))
                .into_response()
        }
        Fault::WrongShape => json_response(
            serde_json::to_vec(
                &json!({"content": [{"content": {"educationEvent": {}}}], "page": {"totalElements": 1}}),
            )
            .expect("JSON"),
        ),
        Fault::Endless => {
            let mut page = list_page("educationEvents", &hub.events, &HashMap::new());
            page["page"]["totalPages"] = json!(1_000_000);
            page["page"]["pageNumber"] = json!(number(&params, "page").unwrap_or(0));
            json_response(serde_json::to_vec(&page).expect("JSON"))
        }
    }
}

async fn infos(State(hub): State<Hub>, Query(params): Params) -> Response {
    json_response(serde_json::to_vec(&list_page("educationInfos", &hub.infos, &params)).expect("JSON"))
}

async fn providers(State(hub): State<Hub>, Query(params): Params) -> Response {
    json_response(serde_json::to_vec(&list_page("educationProviders", &hub.providers, &params)).expect("JSON"))
}

/// A hub serving `case` under `/emil3`, misbehaving as `fault` says.
async fn hub(case: &str, fault: Fault) -> Upstream {
    let state = Hub {
        events: Arc::new(records(case, "events")),
        infos: Arc::new(records(case, "infos")),
        providers: Arc::new(records(case, "providers")),
        fault,
        unavailable_left: Arc::new(AtomicU32::new(match fault {
            Fault::Unavailable(n) => n,
            _ => 0,
        })),
    };
    let router = Router::new()
        .route(EVENTS, get(events))
        .route(INFOS, get(infos))
        .route(PROVIDERS, get(providers))
        .with_state(state);
    Upstream::start(router).await
}

fn config(upstream: &Upstream, page_size: u32) -> susa_navet::Config {
    susa_navet::Config {
        base_url: upstream.url("/emil3/"),
        school_types: vec!["VUXGR".to_owned(), "VUXGY".to_owned()],
        page_size,
        provider_ids: None,
    }
}

fn connector(upstream: &Upstream, ctx: &HarvestContext, page_size: u32) -> SusaNavetConnector {
    SusaNavetConnector::new(config(upstream, page_size), fetcher(ctx, test_options()))
}

fn cases() -> Vec<String> {
    fixture::all("susa_navet").iter().map(|case| fixture::name(case)).collect()
}

#[tokio::test]
async fn every_fixture_case_harvested_page_by_page_yields_what_the_pure_normaliser_yields() {
    let cases = cases();
    assert!(cases.len() >= 3, "the susa_navet cases: {cases:?}");
    for case in cases {
        let ctx = context(&case);
        let upstream = hub(&case, Fault::None).await;
        let built = ConnectorConfig::SusaNavet(config(&upstream, 3)).build(fetcher(&ctx, test_options()));
        let items = run_and_assert_compliance(built.as_ref(), &ctx, Some(&upstream)).await;
        let items = items.unwrap_or_else(|error| panic!("{case}: {error}"));
        assert_eq!(items, expected(&case, &ctx), "{case}");
    }
}

#[tokio::test]
async fn a_run_walks_every_page_once_asking_for_its_school_types_and_page_size() {
    let ctx = context("huddinge_komvux");
    let upstream = hub("huddinge_komvux", Fault::None).await;
    let items = run_and_assert_compliance(&connector(&upstream, &ctx, 2), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected("huddinge_komvux", &ctx));

    // Eight events in pages of two: four pages, each asked for once, in order.
    upstream.forget_requests();
    let _ = conformance::collect(&connector(&upstream, &ctx, 2), &ctx).await;
    let pages: Vec<Option<String>> = upstream.requests_to(EVENTS).iter().map(|seen| seen.param("page")).collect();
    let expected_pages: Vec<Option<String>> = (0..4).map(|page| Some(page.to_string())).collect();
    assert_eq!(pages, expected_pages);
    for seen in upstream.requests() {
        assert_eq!(seen.param("size").as_deref(), Some("2"), "{seen:?}");
        assert_eq!(seen.param("schoolType").as_deref(), Some("VUXGR,VUXGY"), "{seen:?}");
        assert_eq!(seen.param("updatedSince"), None, "a full run: {seen:?}");
        assert_eq!(seen.param("providerId"), None, "{seen:?}");
    }
    // Providers and infos are read before the first event page.
    let paths: Vec<String> = upstream.requests().into_iter().map(|seen| seen.path).collect();
    assert_eq!(paths, [PROVIDERS, PROVIDERS, INFOS, INFOS, EVENTS, EVENTS, EVENTS, EVENTS]);
}

#[tokio::test]
async fn an_incremental_run_asks_for_events_updated_since_in_swedish_local_time_and_reads_the_rest_whole() {
    let ctx = context("faults_and_deletions");
    let since = ctx.since.expect("the case is an incremental run");
    let upstream = hub("faults_and_deletions", Fault::None).await;
    let items = run_and_assert_compliance(&connector(&upstream, &ctx, 10), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected("faults_and_deletions", &ctx));

    upstream.forget_requests();
    let _ = conformance::collect(&connector(&upstream, &ctx, 10), &ctx).await;
    let requests = upstream.requests();
    for path in [PROVIDERS, INFOS, EVENTS] {
        assert!(requests.iter().any(|seen| seen.path == path), "{path} was asked for");
    }
    for seen in requests {
        if seen.path == EVENTS {
            // 03:00 UTC on 1 November is 04:00 in Stockholm (CET).
            assert_eq!(seen.param("updatedSince").as_deref(), Some("2026-11-01T04:00:00"), "{seen:?}");
            assert_eq!(seen.param("updatedSince"), Some(updated_since_param(since)));
        } else {
            // A changed event may use a provider or an info that did not change.
            assert_eq!(seen.param("updatedSince"), None, "{seen:?}");
        }
    }
}

#[tokio::test]
async fn a_503_while_the_hub_updates_is_retried_and_the_run_completes() {
    let ctx = context("huddinge_komvux");
    let upstream = hub("huddinge_komvux", Fault::Unavailable(2)).await;
    let connector = connector(&upstream, &ctx, 3);
    let results = conformance::collect(&connector, &ctx).await;
    let items: Vec<Item> = results.into_iter().collect::<Result<_, _>>().expect("the run completes");
    assert_eq!(items, expected("huddinge_komvux", &ctx));
    let statuses: Vec<u16> = upstream.requests_to(EVENTS).iter().map(|seen| seen.status).collect();
    assert_eq!(statuses, [503, 503, 200, 200, 200]);
    run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a later run");
}

/// Runs the huddinge case against a hub with `fault` and returns the run's error.
async fn failed_run(fault: Fault) -> (Upstream, ConnectorError) {
    let ctx = context("huddinge_komvux");
    let upstream = hub("huddinge_komvux", fault).await;
    let error = run_and_assert_compliance(&connector(&upstream, &ctx, 3), &ctx, Some(&upstream))
        .await
        .expect_err("the run fails");
    (upstream, error)
}

#[tokio::test]
async fn malformed_json_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::Malformed).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url(EVENTS)), "{url}");
    assert!(url.contains("page=0"), "{url}");
    assert!(reason.contains("not JSON"), "{reason}");
    assert!(error.to_string().contains(&upstream.url(EVENTS)), "{error}");
}

#[tokio::test]
async fn a_truncated_json_body_ends_the_run_with_an_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::TruncatedJson).await;
    let ConnectorError::Shape { reason, .. } = &error else { panic!("a shape error: {error:?}") };
    assert!(reason.contains("cut off"), "{reason}");
    assert!(error.to_string().contains(&upstream.url(EVENTS)), "{error}");
}

#[tokio::test]
async fn a_body_cut_off_in_transfer_is_retried_and_then_ends_the_run() {
    let (upstream, error) = failed_run(Fault::CutOff).await;
    let ConnectorError::Upstream { url, reason } = &error else { panic!("an upstream error: {error:?}") };
    assert!(url.starts_with(&upstream.url(EVENTS)), "{url}");
    assert!(reason.contains("after 4 attempts"), "{reason}");
}

#[tokio::test]
async fn an_envelope_of_another_shape_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::WrongShape).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url(EVENTS)), "{url}");
    assert_eq!(reason, "not an EMIL 3 list page: it has no `educationEvents` list");
}

#[tokio::test]
async fn an_upstream_that_never_runs_out_of_pages_fails_at_the_page_cap() {
    let ctx = context("huddinge_komvux");
    let upstream = hub("huddinge_komvux", Fault::Endless).await;
    let connector = connector(&upstream, &ctx, 3).with_max_pages(5);
    let error = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect_err("the run gives up");
    assert!(matches!(error, ConnectorError::Shape { .. }), "{error:?}");
    assert!(error.to_string().contains("after 5 pages"), "{error}");

    upstream.forget_requests();
    let _ = conformance::collect(&connector, &ctx).await;
    assert_eq!(upstream.requests_to(EVENTS).len(), 5);
}

#[tokio::test]
async fn listed_providers_are_asked_for_one_at_a_time_and_their_events_taken_once() {
    let ctx = context("huddinge_komvux");
    let upstream = hub("huddinge_komvux", Fault::None).await;
    let mut config = config(&upstream, 3);
    config.provider_ids = Some(vec!["p.sv.2120000142".to_owned(), "p.sv.5566778899".to_owned()]);
    let connector = SusaNavetConnector::new(config, fetcher(&ctx, test_options()));
    // The simulated hub ignores `providerId`, so both walks see every event: each is taken once.
    let items = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected("huddinge_komvux", &ctx));

    upstream.forget_requests();
    let _ = conformance::collect(&connector, &ctx).await;
    let asked: Vec<Option<String>> = upstream.requests_to(EVENTS).iter().map(|seen| seen.param("providerId")).collect();
    let mut expected_ids = vec![Some("p.sv.2120000142".to_owned()); 3];
    expected_ids.extend(vec![Some("p.sv.5566778899".to_owned()); 3]);
    assert_eq!(asked, expected_ids);
}

#[tokio::test]
async fn the_items_of_an_event_page_arrive_before_the_next_page_is_asked_for() {
    use futures::StreamExt as _;

    let ctx = context("huddinge_komvux");
    let upstream = hub("huddinge_komvux", Fault::None).await;
    let connector = connector(&upstream, &ctx, 3);
    let mut stream = vuxnav_connectors::Connector::harvest(&connector, &ctx);
    let first = stream.next().await.expect("an item").expect("not an error");
    assert!(matches!(first, Item::Provider(_)), "a provider comes before its offering: {first:?}");
    upstream.barrier().await;
    let pages: Vec<Option<String>> = upstream.requests_to(EVENTS).iter().map(|seen| seen.param("page")).collect();
    assert_eq!(pages, [Some("0".to_owned())], "only the first event page has been read");
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(upstream.requests_to(EVENTS).len(), 3, "then the other two");
    assert!(rest.iter().all(Result::is_ok));
}
