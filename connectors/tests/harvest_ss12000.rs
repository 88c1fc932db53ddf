//! The `ss12000` kind's fetching half against a simulated SS 12000 API: a real HTTP server on
//! loopback that serves the fixture cases under `tests/fixtures/ss12000/` the way the standard
//! pages (`limit` and an opaque `pageToken`, answering 400 when a filter comes with a token),
//! re-paged to whatever `limit` the connector asks for, that checks the bearer token, and that
//! can be told to fail.

mod conformance;
mod fixture;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use conformance::{Upstream, run_and_assert_compliance, test_options};
use serde_json::{Value, json};
use vuxnav_connectors::config::{ConnectorConfig, SecretRef};
use vuxnav_connectors::fetch::Fetcher;
use vuxnav_connectors::ss12000::fetch::Ss12000Connector;
use vuxnav_connectors::ss12000::wire::{parse_deleted, parse_page};
use vuxnav_connectors::ss12000::{self, Catalogue, Normalizer};
use vuxnav_connectors::{ConnectorError, HarvestContext, Item};

const PREFIX: &str = "/ss12000/v2";
const ACTIVITIES: &str = "/ss12000/v2/activities";
const DELETED: &str = "/ss12000/v2/deletedEntities";
const TOKEN: &str = "t0ken-for-tests";
const LIST_RESOURCES: [&str; 4] = ["organisations", "syllabuses", "schoolUnitOfferings", "activities"];

fn case_dir(case: &str) -> std::path::PathBuf {
    fixture::folder("ss12000").join(case)
}

/// The files of `resource` in `case`, in name order.
fn files(case: &str, resource: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(case_dir(case))
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

/// Every record of `resource` in `case`, all pages.
fn records(case: &str, resource: &str) -> Vec<Value> {
    files(case, resource)
        .iter()
        .flat_map(|file| parse_page(&std::fs::read(file).expect("a page"), resource).expect("a list page").records)
        .collect()
}

/// Every deleted activity id of `case`.
fn deleted(case: &str) -> Vec<String> {
    files(case, "deletedEntities")
        .iter()
        .flat_map(|file| parse_deleted(&std::fs::read(file).expect("a page")).expect("a deletedEntities page").0)
        .collect()
}

/// The case's connector config pointed at `upstream`, and the context of its run.
fn setup(case: &str, upstream: &Upstream, limit: u32) -> (ss12000::Config, HarvestContext) {
    let (mut config, ctx) = fixture::ss12000(&case_dir(case));
    config.base_url = upstream.url(PREFIX);
    config.limit = limit;
    // The simulated API wants a token; a case that names no variable gets one.
    config.token_env.get_or_insert_with(|| SecretRef { env: "CASE_TOKEN".to_owned() });
    (config, ctx)
}

/// What the pure half makes of the whole case at once: what a run must yield.
fn expected(case: &str, config: &ss12000::Config, ctx: &HarvestContext) -> Vec<Item> {
    let catalogue = Catalogue::new(
        &records(case, "organisations"),
        &records(case, "syllabuses"),
        &records(case, "schoolUnitOfferings"),
    );
    let forms = config.school_forms();
    let mut normalizer = Normalizer::new(ctx, &forms, &catalogue);
    let mut items = normalizer.page(&records(case, "activities"));
    if ctx.since.is_some() {
        items.extend(normalizer.deleted(&deleted(case)));
    }
    items
}

/// A fetcher that knows the test token under every variable name a case may use.
fn fetcher(ctx: &HarvestContext) -> Fetcher {
    conformance::fetcher(ctx, test_options()).with_secrets(Arc::new(|_: &str| Some(TOKEN.to_owned())))
}

fn connector(config: ss12000::Config, ctx: &HarvestContext) -> Ss12000Connector {
    Ss12000Connector::new(config, fetcher(ctx))
}

/// How the simulated API misbehaves on `/activities`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The first `n` requests answer 503 with `Retry-After`.
    Unavailable(u32),
    /// A body that is not JSON.
    Malformed,
    /// The page's JSON cut in half, sent with a length that matches.
    TruncatedJson,
    /// Half the page, then the connection is dropped.
    CutOff,
    /// JSON of another shape (`items` and `nextPageToken`).
    WrongShape,
    /// Every page hands out another token.
    Endless,
    /// Every page hands back the token it was given (the first page a fixed one).
    SameToken,
    /// `/schoolUnitOfferings` and `/deletedEntities` answer 404, as in APIs without them.
    WithoutOptional,
}

#[derive(Clone)]
struct Api {
    lists: Arc<HashMap<&'static str, Vec<Value>>>,
    deleted: Arc<Vec<String>>,
    fault: Fault,
    unavailable_left: Arc<AtomicU32>,
    /// The `Accept` and `Authorization` of every request, in order.
    headers: Arc<Mutex<Vec<Headers>>>,
}

/// The `Accept` and `Authorization` of one request.
type Headers = (Option<String>, Option<String>);

impl Api {
    fn headers_seen(&self) -> Vec<Headers> {
        self.headers.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

type Params = Query<HashMap<String, String>>;

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"code": status.as_u16().to_string(), "message": message}).to_string(),
    )
        .into_response()
}

/// Why a page request is refused: its status and message.
type Refusal = (StatusCode, &'static str);

/// One page of `items` from the offset a token names, and the next token.
fn slice<T: Clone>(items: &[T], params: &HashMap<String, String>) -> Result<(Vec<T>, Option<String>), Refusal> {
    let limit: usize = params
        .get("limit")
        .and_then(|l| l.parse().ok())
        .filter(|l| *l >= 1)
        .ok_or((StatusCode::BAD_REQUEST, "limit is 1 or more"))?;
    let offset = match params.get("pageToken") {
        None => 0,
        Some(token) => {
            let filtered = params.keys().any(|key| key.starts_with("meta.") || key == "after" || key == "entities");
            if filtered {
                return Err((StatusCode::BAD_REQUEST, "filters cannot be combined with pageToken"));
            }
            token
                .strip_prefix("offset-")
                .and_then(|o| o.parse().ok())
                .ok_or((StatusCode::BAD_REQUEST, "not a page token"))?
        }
    };
    let start = usize::min(offset, items.len());
    let end = usize::min(start.saturating_add(limit), items.len());
    let next = (end < items.len()).then(|| format!("offset-{end}"));
    Ok((items[start..end].to_vec(), next))
}

fn json_body(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn resource(
    State(api): State<Api>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Query(params): Params,
) -> Response {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let authorization = text(header::AUTHORIZATION);
    api.headers.lock().unwrap_or_else(PoisonError::into_inner).push((text(header::ACCEPT), authorization.clone()));
    if authorization.as_deref() != Some(&format!("Bearer {TOKEN}")) {
        return error(StatusCode::UNAUTHORIZED, "a bearer token is required");
    }
    if api.fault == Fault::WithoutOptional && (name == "deletedEntities" || name == "schoolUnitOfferings") {
        return error(StatusCode::NOT_FOUND, "no such resource");
    }
    if name == "deletedEntities" {
        return match slice(&api.deleted, &params) {
            // The DNP interface's spelling.
            Ok((ids, next)) => json_body(
                json!({"data": {"activitites": ids, "persons": []}, "pageToken": next}).to_string().into_bytes(),
            ),
            Err((status, message)) => error(status, message),
        };
    }
    let Some(list) = api.lists.get(name.as_str()) else { return error(StatusCode::NOT_FOUND, "no such resource") };
    let (page, next) = match slice(list, &params) {
        Ok(page) => page,
        Err((status, message)) => return error(status, message),
    };
    let fault = if name == "activities" { api.fault } else { Fault::None };
    let body = json!({"data": page, "pageToken": next}).to_string().into_bytes();
    match fault {
        Fault::None | Fault::WithoutOptional => json_body(body),
        Fault::Unavailable(_) if api.unavailable_left.load(Ordering::SeqCst) > 0 => {
            api.unavailable_left.fetch_sub(1, Ordering::SeqCst);
            let mut response = error(StatusCode::SERVICE_UNAVAILABLE, "maintenance");
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            response
        }
        Fault::Unavailable(_) => json_body(body),
        Fault::Malformed => json_body(b"<html><body>Inloggning kr\xc3\xa4vs</body></html>".to_vec()),
        Fault::TruncatedJson => json_body(body[..body.len() / 2].to_vec()),
        Fault::CutOff => {
            let half = Bytes::from(body[..body.len() / 2].to_vec());
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(half), Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut off"))];
            Response::new(Body::from_stream(futures::stream::iter(chunks)))
        }
        Fault::SameToken => {
            let token = params.get("pageToken").cloned().unwrap_or_else(|| "offset-1".to_owned());
            json_body(json!({"data": page, "pageToken": token}).to_string().into_bytes())
        }
        Fault::WrongShape => json_body(json!({"items": page, "nextPageToken": next}).to_string().into_bytes()),
        Fault::Endless => {
            let offset =
                params.get("pageToken").and_then(|t| t.strip_prefix("offset-")).and_then(|o| o.parse::<u64>().ok());
            let token = format!("offset-{}", offset.unwrap_or(0) + 1);
            let all = list.clone();
            json_body(json!({"data": all, "pageToken": token}).to_string().into_bytes())
        }
    }
}

async fn api(case: &str, fault: Fault) -> (Upstream, Api) {
    let lists: HashMap<&'static str, Vec<Value>> =
        LIST_RESOURCES.iter().map(|resource| (*resource, records(case, resource))).collect();
    let state = Api {
        lists: Arc::new(lists),
        deleted: Arc::new(deleted(case)),
        fault,
        unavailable_left: Arc::new(AtomicU32::new(match fault {
            Fault::Unavailable(n) => n,
            _ => 0,
        })),
        headers: Arc::new(Mutex::new(Vec::new())),
    };
    let router = Router::new().route("/ss12000/v2/{resource}", get(resource)).with_state(state.clone());
    (Upstream::start(router).await, state)
}

fn cases() -> Vec<String> {
    fixture::all("ss12000").iter().map(|case| fixture::name(case)).collect()
}

#[tokio::test]
async fn every_fixture_case_harvested_page_by_page_yields_what_the_pure_normaliser_yields() {
    let cases = cases();
    assert!(cases.len() >= 3, "the ss12000 cases: {cases:?}");
    for case in cases {
        let (upstream, _) = api(&case, Fault::None).await;
        let (config, ctx) = setup(&case, &upstream, 2);
        let built = ConnectorConfig::Ss12000(config.clone()).build(fetcher(&ctx));
        let items = run_and_assert_compliance(built.as_ref(), &ctx, Some(&upstream)).await;
        let items = items.unwrap_or_else(|error| panic!("{case}: {error}"));
        assert_eq!(items, expected(&case, &config, &ctx), "{case}");
    }
}

#[tokio::test]
async fn paging_reaches_the_end_whatever_the_limit_sending_the_token_without_the_filters() {
    for limit in [1, 2, 3, 5, 6, 500] {
        let (upstream, _) = api("solna_tidy", Fault::None).await;
        let (config, ctx) = setup("solna_tidy", &upstream, limit);
        let connector = connector(config.clone(), &ctx);
        // With one page of activities, the first item comes after the last request, so the
        // harness's check that dropping the stream saves requests does not apply.
        let items: Vec<Item> = if limit < 6 {
            run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a run")
        } else {
            conformance::collect(&connector, &ctx).await.into_iter().collect::<Result<_, _>>().expect("a run")
        };
        assert_eq!(items, expected("solna_tidy", &config, &ctx), "limit {limit}");

        upstream.forget_requests();
        let _ = conformance::collect(&connector, &ctx).await;
        // Six activities: pages of `limit`, each asked for once, the first without a token.
        let tokens: Vec<Option<String>> =
            upstream.requests_to(ACTIVITIES).iter().map(|seen| seen.param("pageToken")).collect();
        let pages = 6_usize.div_ceil(limit as usize);
        let want: Vec<Option<String>> =
            (0..pages).map(|page| (page > 0).then(|| format!("offset-{}", page * limit as usize))).collect();
        assert_eq!(tokens, want, "limit {limit}");
        for seen in upstream.requests() {
            assert_eq!(seen.param("limit"), Some(limit.to_string()), "{seen:?}");
            assert_eq!(seen.param("meta.modified.after"), None, "a full run: {seen:?}");
            assert_eq!(seen.status, 200, "{seen:?}");
        }
        // A full run does not ask for deletions; the catalogue comes before the activities.
        let paths: Vec<String> = upstream.requests().into_iter().map(|seen| seen.path).collect();
        assert!(!paths.iter().any(|path| path == DELETED), "{paths:?}");
        assert_eq!(paths.last().map(String::as_str), Some(ACTIVITIES));
        assert_eq!(paths.first().map(String::as_str), Some("/ss12000/v2/organisations"));
    }
}

#[tokio::test]
async fn an_incremental_run_asks_for_activities_modified_after_and_for_deleted_activities() {
    let (upstream, _) = api("faults_and_deletions", Fault::None).await;
    let (config, ctx) = setup("faults_and_deletions", &upstream, 1);
    let connector = connector(config.clone(), &ctx);
    let items = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected("faults_and_deletions", &config, &ctx));
    assert!(items.contains(&Item::Withdrawn { upstream_id: "act-deleted-2".to_owned() }));

    upstream.forget_requests();
    let _ = conformance::collect(&connector, &ctx).await;
    let requests = upstream.requests();
    let first_activities = requests.iter().find(|seen| seen.path == ACTIVITIES).expect("activities were read");
    assert_eq!(first_activities.param("meta.modified.after").as_deref(), Some("2026-11-01T03:00:00Z"));
    let deletions: Vec<_> = requests.iter().filter(|seen| seen.path == DELETED).collect();
    assert_eq!(deletions.len(), 3, "three deleted ids in pages of one");
    assert_eq!(deletions[0].param("after").as_deref(), Some("2026-11-01T03:00:00Z"));
    assert_eq!(deletions[0].param("entities").as_deref(), Some("Activity"));
    // The catalogue is read whole, also on an incremental run.
    for seen in requests.iter().filter(|seen| seen.path != ACTIVITIES && seen.path != DELETED) {
        assert_eq!(seen.param("meta.modified.after"), None, "{seen:?}");
    }
}

#[tokio::test]
async fn every_request_accepts_json_and_carries_the_bearer_token_of_the_named_variable() {
    let (upstream, api) = api("solna_tidy", Fault::None).await;
    let (config, ctx) = setup("solna_tidy", &upstream, 3);
    let asked = Arc::new(Mutex::new(Vec::new()));
    let lookup = {
        let asked = Arc::clone(&asked);
        move |name: &str| {
            asked.lock().unwrap_or_else(PoisonError::into_inner).push(name.to_owned());
            (name == "SOLNA_SS12000_TOKEN").then(|| TOKEN.to_owned())
        }
    };
    let connector = Ss12000Connector::new(
        config.clone(),
        conformance::fetcher(&ctx, test_options()).with_secrets(Arc::new(lookup)),
    );
    run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a run");
    let seen = api.headers_seen();
    assert!(!seen.is_empty());
    for (accept, authorization) in seen {
        assert_eq!(accept.as_deref(), Some("application/json"));
        assert_eq!(authorization, Some(format!("Bearer {TOKEN}")));
    }
    assert!(asked.lock().unwrap_or_else(PoisonError::into_inner).iter().all(|name| name == "SOLNA_SS12000_TOKEN"));
}

#[tokio::test]
async fn an_unset_token_variable_ends_the_run_naming_the_variable_before_any_request() {
    let (upstream, _) = api("solna_tidy", Fault::None).await;
    let (config, ctx) = setup("solna_tidy", &upstream, 500);
    let connector = Ss12000Connector::new(config, conformance::fetcher(&ctx, test_options()));
    let results = conformance::collect(&connector, &ctx).await;
    let [Err(error)] = results.as_slice() else { panic!("one error: {results:?}") };
    assert!(matches!(error, ConnectorError::Config(_)), "{error:?}");
    assert!(error.to_string().contains("SOLNA_SS12000_TOKEN"), "{error}");
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_and_the_run_completes() {
    let (upstream, _) = api("solna_tidy", Fault::Unavailable(2)).await;
    let (config, ctx) = setup("solna_tidy", &upstream, 3);
    let connector = connector(config.clone(), &ctx);
    let results = conformance::collect(&connector, &ctx).await;
    let items: Vec<Item> = results.into_iter().collect::<Result<_, _>>().expect("the run completes");
    assert_eq!(items, expected("solna_tidy", &config, &ctx));
    let statuses: Vec<u16> = upstream.requests_to(ACTIVITIES).iter().map(|seen| seen.status).collect();
    assert_eq!(statuses, [503, 503, 200, 200]);
    run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a later run");
}

/// Runs the tidy case against an API with `fault` and returns the run's error.
async fn failed_run(fault: Fault) -> (Upstream, ConnectorError) {
    let (upstream, _) = api("solna_tidy", fault).await;
    let (config, ctx) = setup("solna_tidy", &upstream, 3);
    let error =
        run_and_assert_compliance(&connector(config, &ctx), &ctx, Some(&upstream)).await.expect_err("the run fails");
    (upstream, error)
}

#[tokio::test]
async fn malformed_json_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::Malformed).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url(ACTIVITIES)), "{url}");
    assert!(url.contains("limit=3"), "{url}");
    assert!(reason.contains("not JSON"), "{reason}");
    assert!(error.to_string().contains(&upstream.url(ACTIVITIES)), "{error}");
}

#[tokio::test]
async fn a_truncated_json_body_ends_the_run_with_an_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::TruncatedJson).await;
    let ConnectorError::Shape { reason, .. } = &error else { panic!("a shape error: {error:?}") };
    assert!(reason.contains("cut off"), "{reason}");
    assert!(error.to_string().contains(&upstream.url(ACTIVITIES)), "{error}");
}

#[tokio::test]
async fn a_body_cut_off_in_transfer_is_retried_and_then_ends_the_run() {
    let (upstream, error) = failed_run(Fault::CutOff).await;
    let ConnectorError::Upstream { url, reason } = &error else { panic!("an upstream error: {error:?}") };
    assert!(url.starts_with(&upstream.url(ACTIVITIES)), "{url}");
    assert!(reason.contains("after 4 attempts"), "{reason}");
}

#[tokio::test]
async fn a_page_of_another_shape_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run(Fault::WrongShape).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url(ACTIVITIES)), "{url}");
    assert_eq!(reason, "not an SS 12000 list page of `activities`: it has no `data` list");
}

#[tokio::test]
async fn an_upstream_that_never_stops_handing_out_page_tokens_fails_at_the_page_cap() {
    let (upstream, _) = api("solna_tidy", Fault::Endless).await;
    let (config, ctx) = setup("solna_tidy", &upstream, 3);
    let connector = connector(config, &ctx).with_max_pages(5);
    let error = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect_err("the run gives up");
    assert!(matches!(error, ConnectorError::Shape { .. }), "{error:?}");
    assert!(error.to_string().contains("after 5 pages"), "{error}");

    upstream.forget_requests();
    let _ = conformance::collect(&connector, &ctx).await;
    assert_eq!(upstream.requests_to(ACTIVITIES).len(), 5);
}

#[tokio::test]
async fn the_items_of_an_activity_page_arrive_before_the_next_page_is_asked_for() {
    use futures::StreamExt as _;

    let (upstream, _) = api("solna_tidy", Fault::None).await;
    let (config, ctx) = setup("solna_tidy", &upstream, 3);
    let connector = connector(config, &ctx);
    let mut stream = vuxnav_connectors::Connector::harvest(&connector, &ctx);
    let first = stream.next().await.expect("an item").expect("not an error");
    assert!(matches!(first, Item::Provider(_)), "a provider comes before its offering: {first:?}");
    upstream.barrier().await;
    assert_eq!(upstream.requests_to(ACTIVITIES).len(), 1, "only the first activity page has been read");
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(upstream.requests_to(ACTIVITIES).len(), 2, "then the second");
    assert!(rest.iter().all(Result::is_ok));
}

#[tokio::test]
async fn an_api_without_school_unit_offerings_or_deleted_entities_is_read_without_them() {
    let (upstream, _) = api("sundbyberg_quirks", Fault::WithoutOptional).await;
    let (mut config, mut ctx) = setup("sundbyberg_quirks", &upstream, 2);
    ctx.since = Some(ctx.started - chrono::Duration::days(1));
    let results = conformance::collect(&connector(config.clone(), &ctx), &ctx).await;
    let items: Vec<Item> = results.into_iter().collect::<Result<_, _>>().expect("the run completes");
    // The activities that took their dates from a school-unit offering now have none.
    let undated: Vec<&str> = items
        .iter()
        .filter_map(|item| match item {
            Item::Offering(o) if o.schedule.start().is_none() => Some(o.provenance.upstream_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(undated, ["act-ma1a-hermods", "act-sfi-d"]);
    assert!(!items.iter().any(|item| matches!(item, Item::Withdrawn { .. } | Item::Rejected(_))), "{items:?}");
    let statuses: Vec<(String, u16)> = upstream.requests().into_iter().map(|seen| (seen.path, seen.status)).collect();
    assert!(statuses.contains(&("/ss12000/v2/deletedEntities".to_owned(), 404)), "{statuses:?}");

    // Any other resource answering 404 is the source lost.
    config.base_url = upstream.url("/ss12000/v1");
    let results = conformance::collect(&connector(config, &ctx), &ctx).await;
    let [Err(error)] = results.as_slice() else { panic!("one error: {results:?}") };
    assert!(error.to_string().contains("/ss12000/v1/organisations"), "{error}");
}

#[tokio::test]
async fn an_upstream_that_hands_back_the_token_it_was_given_fails_at_once() {
    let (upstream, error) = failed_run(Fault::SameToken).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.contains("pageToken=offset-1"), "{url}");
    assert!(reason.contains("the `pageToken` it was given"), "{reason}");

    upstream.forget_requests();
    let (config, ctx) = setup("solna_tidy", &upstream, 3);
    let _ = conformance::collect(&connector(config, &ctx), &ctx).await;
    assert_eq!(upstream.requests_to(ACTIVITIES).len(), 2, "the first page, and the one asked for again");
}
