//! The `planned_educations` kind's fetching half against a simulated API: a real HTTP server on
//! loopback that serves the fixture cases under `tests/fixtures/planned_educations/` the way
//! `/v4/adult-education-events` does (HAL pages with `page.number` and `page.totalPages`, no
//! `_embedded` on an empty page), re-paged to whatever `size` the connector asks for, and that
//! can be told to fail.

mod conformance;
mod fixture;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use conformance::{Upstream, fetcher, run_and_assert_compliance, test_options};
use serde_json::{Value, json};
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_connectors::planned_educations::fetch::{ACCEPT_V4, PlannedEducationsConnector};
use vuxnav_connectors::planned_educations::{self, normalize};
use vuxnav_connectors::{ConnectorError, HarvestContext, Item};

const EVENTS: &str = "/planned-educations/v4/adult-education-events";

fn context(case: &str) -> HarvestContext {
    fixture::susa_context(&fixture::folder("planned_educations").join(case))
}

/// The records of every page of `case`, in order.
fn records(case: &str) -> Vec<Value> {
    let dir = fixture::folder("planned_educations").join(case);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the case folder")
        .map(|entry| entry.expect("a case entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let page: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("a page")).expect("JSON");
        if let Some(events) = page["body"]["_embedded"]["listedAdultEducationEvents"].as_array() {
            all.extend(events.iter().cloned());
        }
    }
    all
}

/// What the pure half makes of the whole case at once: what a run must yield.
fn expected(case: &str, ctx: &HarvestContext) -> Vec<Item> {
    normalize(ctx, &records(case))
}

/// How the simulated API misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The first `n` requests answer 503 with `Retry-After: 0`.
    Unavailable(u32),
    /// A body that is not JSON.
    Malformed,
    /// `_embedded` names its list otherwise (`adultEducationEvents`).
    WrongShape,
    /// An error envelope in a 200 answer.
    ErrorEnvelope,
    /// Every page says more pages follow.
    Endless,
}

#[derive(Clone)]
struct Api {
    events: Arc<Vec<Value>>,
    fault: Fault,
    unavailable_left: Arc<AtomicU32>,
    /// The `Accept` header of every request, in order.
    accepts: Arc<Mutex<Vec<Option<String>>>>,
}

fn number(params: &HashMap<String, String>, name: &str) -> Option<usize> {
    params.get(name).and_then(|value| value.parse().ok())
}

/// One page of `records` as the API renders it.
fn list_page(records: &[Value], params: &HashMap<String, String>) -> Value {
    let page = number(params, "page").unwrap_or(0);
    let size = number(params, "size").unwrap_or(20).max(1);
    let start = page.saturating_mul(size).min(records.len());
    let end = start.saturating_add(size).min(records.len());
    let mut body = json!({
        "_links": {"self": {"href": format!("http://localhost:9007/planned-educations/v3/adult-education-events?page={page}&size={size}")}},
        "page": {"size": size, "totalElements": records.len(), "totalPages": records.len().div_ceil(size), "number": page},
    });
    if start < end {
        body["_embedded"] = json!({"listedAdultEducationEvents": &records[start..end]});
    }
    json!({"status": "OK", "message": "Success", "body": body})
}

fn hal(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, ACCEPT_V4)], body).into_response()
}

async fn events(State(api): State<Api>, headers: HeaderMap, Query(params): Query<HashMap<String, String>>) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    api.accepts.lock().unwrap_or_else(PoisonError::into_inner).push(accept);
    let page = list_page(&api.events, &params);
    let body = serde_json::to_vec(&page).expect("JSON");
    match api.fault {
        Fault::None => hal(body),
        Fault::Unavailable(_) => {
            let left = api.unavailable_left.load(Ordering::SeqCst);
            if left > 0 {
                api.unavailable_left.store(left - 1, Ordering::SeqCst);
                return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "0")], "Service Unavailable")
                    .into_response();
            }
            hal(body)
        }
        Fault::Malformed => hal(b"{\"status\": \"OK\", \"body\": {\"_embedded\": [}".to_vec()),
        Fault::WrongShape => {
            let mut drifted = page.clone();
            drifted["body"]["_embedded"] =
                json!({"adultEducationEvents": page["body"]["_embedded"]["listedAdultEducationEvents"]});
            hal(serde_json::to_vec(&drifted).expect("JSON"))
        }
        Fault::ErrorEnvelope => {
            hal(serde_json::to_vec(&json!({"status": "500 INTERNAL_SERVER_ERROR", "message": "Index unavailable"}))
                .expect("JSON"))
        }
        Fault::Endless => {
            let mut page = list_page(&api.events, &HashMap::new());
            page["body"]["page"]["totalPages"] = json!(1_000_000);
            page["body"]["page"]["number"] = json!(number(&params, "page").unwrap_or(0));
            hal(serde_json::to_vec(&page).expect("JSON"))
        }
    }
}

struct Simulated {
    upstream: Upstream,
    accepts: Arc<Mutex<Vec<Option<String>>>>,
}

/// An API serving `case`, misbehaving as `fault` says.
async fn api(case: &str, fault: Fault) -> Simulated {
    let accepts = Arc::new(Mutex::new(Vec::new()));
    let state = Api {
        events: Arc::new(records(case)),
        fault,
        unavailable_left: Arc::new(AtomicU32::new(match fault {
            Fault::Unavailable(n) => n,
            _ => 0,
        })),
        accepts: Arc::clone(&accepts),
    };
    let router = Router::new().route(EVENTS, get(events)).with_state(state);
    Simulated { upstream: Upstream::start(router).await, accepts }
}

fn config(upstream: &Upstream, page_size: u32) -> planned_educations::Config {
    planned_educations::Config {
        base_url: upstream.url("/planned-educations/"),
        type_of_school: vec!["vuxgy".to_owned(), "vuxgr".to_owned(), "vuxsfi".to_owned()],
        page_size,
        ..planned_educations::Config::default()
    }
}

fn connector(upstream: &Upstream, ctx: &HarvestContext, page_size: u32) -> PlannedEducationsConnector {
    PlannedEducationsConnector::new(config(upstream, page_size), fetcher(ctx, test_options()))
}

#[tokio::test]
async fn every_fixture_case_harvested_page_by_page_yields_what_the_pure_normaliser_yields() {
    let cases: Vec<String> = fixture::all("planned_educations").iter().map(|case| fixture::name(case)).collect();
    assert!(cases.len() >= 3, "the planned_educations cases: {cases:?}");
    for case in cases {
        let ctx = context(&case);
        let api = api(&case, Fault::None).await;
        let built = ConnectorConfig::PlannedEducations(config(&api.upstream, 2)).build(fetcher(&ctx, test_options()));
        let items = run_and_assert_compliance(built.as_ref(), &ctx, Some(&api.upstream)).await;
        let items = items.unwrap_or_else(|error| panic!("{case}: {error}"));
        assert_eq!(items, expected(&case, &ctx), "{case}");
    }
}

#[tokio::test]
async fn a_run_walks_every_page_once_to_the_end_whatever_the_page_size() {
    let case = "klippan_quirks";
    let ctx = context(case);
    let total = records(case).len();
    assert_eq!(total, 9);
    let api = api(case, Fault::None).await;
    for size in [1_u32, 2, 4, 8, 9, 200] {
        let items = run_and_assert_compliance(&connector(&api.upstream, &ctx, size), &ctx, Some(&api.upstream))
            .await
            .expect("a run");
        assert_eq!(items, expected(case, &ctx), "size {size}");

        api.upstream.forget_requests();
        let _ = conformance::collect(&connector(&api.upstream, &ctx, size), &ctx).await;
        let pages: Vec<Option<String>> =
            api.upstream.requests_to(EVENTS).iter().map(|seen| seen.param("page")).collect();
        let wanted: Vec<Option<String>> =
            (0..total.div_ceil(size as usize)).map(|page| Some(page.to_string())).collect();
        assert_eq!(pages, wanted, "size {size}");
        for seen in api.upstream.requests() {
            assert_eq!(seen.param("size"), Some(size.to_string()), "{seen:?}");
            assert_eq!(seen.param("geographicalAreaCode").as_deref(), Some("1276"), "{seen:?}");
            assert_eq!(seen.param("typeOfSchool").as_deref(), Some("vuxgy,vuxgr,vuxsfi"), "{seen:?}");
            assert_eq!(seen.param("distance"), None, "{seen:?}");
        }
    }
}

#[tokio::test]
async fn every_request_asks_for_api_v4_with_its_accept_header() {
    let ctx = context("huddinge_tidy");
    let api = api("huddinge_tidy", Fault::None).await;
    let _ = conformance::collect(&connector(&api.upstream, &ctx, 2), &ctx).await;
    let accepts = api.accepts.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(accepts.len(), 3);
    for accept in accepts {
        assert_eq!(accept.as_deref(), Some("application/vnd.skolverket.plannededucations.api.v4.hal+json"));
    }
}

#[tokio::test]
async fn an_incremental_run_is_a_full_run_because_the_api_has_no_parameter_for_changes() {
    let case = "huddinge_tidy";
    let full = context(case);
    let incremental = HarvestContext { since: Some(fixture::instant("2026-05-01T03:00:00Z")), ..full.clone() };
    let api = api(case, Fault::None).await;
    let items =
        run_and_assert_compliance(&connector(&api.upstream, &incremental, 3), &incremental, Some(&api.upstream))
            .await
            .expect("a run");
    assert_eq!(items, expected(case, &full));
    let incremental_queries: Vec<String> = api.upstream.requests().into_iter().map(|seen| seen.query).collect();

    run_and_assert_compliance(&connector(&api.upstream, &full, 3), &full, Some(&api.upstream)).await.expect("a run");
    let full_queries: Vec<String> = api.upstream.requests().into_iter().map(|seen| seen.query).collect();
    assert_eq!(incremental_queries, full_queries);
}

#[tokio::test]
async fn the_configured_filters_are_sent_and_a_copied_v4_url_is_read_as_its_base() {
    let ctx = context("huddinge_tidy");
    let api = api("huddinge_tidy", Fault::None).await;
    let mut config = config(&api.upstream, 200);
    config.base_url = api.upstream.url(EVENTS);
    config.type_of_school = vec!["VUXGY".to_owned()];
    config.distance = Some(true);
    config.town = Some(vec!["Huddinge".to_owned(), "Flemingsberg".to_owned()]);
    config.direction_ids = Some(vec!["20".to_owned()]);
    config.search_term = Some("matematik".to_owned());
    config.recommended_prior_knowledge = Some("grundlaggande".to_owned());
    assert!(config.validate().is_empty(), "{:?}", config.validate());
    let connector = PlannedEducationsConnector::new(config, fetcher(&ctx, test_options()));
    run_and_assert_compliance(&connector, &ctx, Some(&api.upstream)).await.expect("a run");
    let requests = api.upstream.requests_to(EVENTS);
    assert_eq!(requests.len(), 1);
    let seen = &requests[0];
    assert_eq!(seen.param("typeOfSchool").as_deref(), Some("vuxgy"));
    assert_eq!(seen.param("distance").as_deref(), Some("true"));
    assert_eq!(seen.param("town").as_deref(), Some("Huddinge,Flemingsberg"));
    assert_eq!(seen.param("directionIds").as_deref(), Some("20"));
    assert_eq!(seen.param("searchTerm").as_deref(), Some("matematik"));
    assert_eq!(seen.param("recommendedPriorKnowledge").as_deref(), Some("grundlaggande"));
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_and_the_run_completes() {
    let ctx = context("huddinge_tidy");
    let api = api("huddinge_tidy", Fault::Unavailable(2)).await;
    let connector = connector(&api.upstream, &ctx, 3);
    let results = conformance::collect(&connector, &ctx).await;
    let items: Vec<Item> = results.into_iter().collect::<Result<_, _>>().expect("the run completes");
    assert_eq!(items, expected("huddinge_tidy", &ctx));
    let statuses: Vec<u16> = api.upstream.requests_to(EVENTS).iter().map(|seen| seen.status).collect();
    assert_eq!(statuses, [503, 503, 200, 200]);
}

/// Runs the tidy case against an API with `fault` and returns the run's error.
async fn failed_run(fault: Fault) -> (Upstream, ConnectorError) {
    let ctx = context("huddinge_tidy");
    let api = api("huddinge_tidy", fault).await;
    let error = run_and_assert_compliance(&connector(&api.upstream, &ctx, 3), &ctx, Some(&api.upstream))
        .await
        .expect_err("the run fails");
    (api.upstream, error)
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
async fn a_page_of_another_shape_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::WrongShape).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url(EVENTS)), "{url}");
    assert_eq!(reason, "not a page of adult-education events: `_embedded` has no `listedAdultEducationEvents` list");
}

#[tokio::test]
async fn an_error_envelope_ends_the_run_with_its_status_and_message() {
    let (upstream, error) = failed_run(Fault::ErrorEnvelope).await;
    let ConnectorError::Upstream { url, reason } = &error else { panic!("an upstream error: {error:?}") };
    assert!(url.starts_with(&upstream.url(EVENTS)), "{url}");
    assert!(reason.contains("500 INTERNAL_SERVER_ERROR") && reason.contains("Index unavailable"), "{reason}");
}

#[tokio::test]
async fn an_upstream_that_never_runs_out_of_pages_fails_at_the_page_cap() {
    let ctx = context("huddinge_tidy");
    let api = api("huddinge_tidy", Fault::Endless).await;
    let connector = connector(&api.upstream, &ctx, 3).with_max_pages(5);
    let error = run_and_assert_compliance(&connector, &ctx, Some(&api.upstream)).await.expect_err("the run gives up");
    assert!(matches!(error, ConnectorError::Shape { .. }), "{error:?}");
    assert!(error.to_string().contains("after 5 pages"), "{error}");

    api.upstream.forget_requests();
    let _ = conformance::collect(&connector, &ctx).await;
    assert_eq!(api.upstream.requests_to(EVENTS).len(), 5);
}

#[tokio::test]
async fn the_items_of_a_page_arrive_before_the_next_page_is_asked_for() {
    use futures::StreamExt as _;

    let ctx = context("huddinge_tidy");
    let api = api("huddinge_tidy", Fault::None).await;
    let connector = connector(&api.upstream, &ctx, 3);
    let mut stream = vuxnav_connectors::Connector::harvest(&connector, &ctx);
    let first = stream.next().await.expect("an item").expect("not an error");
    assert!(matches!(first, Item::Provider(_)), "a provider comes before its offering: {first:?}");
    api.upstream.barrier().await;
    let pages: Vec<Option<String>> = api.upstream.requests_to(EVENTS).iter().map(|seen| seen.param("page")).collect();
    assert_eq!(pages, [Some("0".to_owned())], "only the first page has been read");
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(api.upstream.requests_to(EVENTS).len(), 2, "then the second");
    assert!(rest.iter().all(Result::is_ok));
}
