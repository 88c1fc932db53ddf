//! The `json_api` kind's fetching half against a simulated municipal API: a real HTTP server on
//! loopback that serves each fixture case under `tests/fixtures/json_api/` in the case's own
//! envelope and paging style (page numbers with totals, offsets with a total, next links in the
//! body or in a `Link` header), re-paged to whatever size the connector asks for, and that can
//! be told to fail.

mod conformance;
mod fixture;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use conformance::{Upstream, fetcher, run_and_assert_compliance, test_options};
use serde_json::{Value, json};
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_connectors::fetch::Fetcher;
use vuxnav_connectors::json_api::fetch::JsonApiConnector;
use vuxnav_connectors::json_api::{self, Paging};
use vuxnav_connectors::{ConnectorError, HarvestContext, Item};

/// The secrets the cases' headers name, as the gateway would find them in the environment.
const SECRETS: [(&str, &str); 2] = [("TABY_API_KEY", "taby-nyckel-123"), ("NACKA_TOKEN", "nacka-token-456")];

fn case_dir(case: &str) -> PathBuf {
    fixture::folder("json_api").join(case)
}

fn cases() -> Vec<String> {
    fixture::all("json_api").iter().map(|case| fixture::name(case)).collect()
}

/// How the simulated API misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The first `n` requests answer 503 with `Retry-After: 0`.
    Unavailable(u32),
    /// A body that is not JSON.
    Malformed,
    /// The page's JSON cut in half, sent with a length that matches.
    TruncatedJson,
    /// The records are under another key (the API's v3 envelope).
    WrongShape,
    /// Every page says more follow.
    Endless,
    /// A UTF-8 byte order mark before the JSON.
    ByteOrderMark,
    /// The next link names another host, as an API behind a proxy writes its internal one.
    ForeignNextLink,
}

#[derive(Clone)]
struct Api {
    config: Arc<json_api::Config>,
    path: String,
    template: Arc<Value>,
    records: Arc<Vec<Value>>,
    /// Records per page for next-link paging, which the server decides.
    link_size: usize,
    /// Send the next link in a `Link` header instead of the body.
    link_header: bool,
    fault: Fault,
    unavailable_left: Arc<AtomicU32>,
    headers: Arc<Mutex<Vec<HeaderMap>>>,
    /// The most records a page holds, whatever is asked for.
    cap: Arc<AtomicUsize>,
}

fn number(params: &HashMap<String, String>, name: &str) -> Option<usize> {
    params.get(name).and_then(|value| value.parse().ok())
}

/// Sets the value at `pointer` in `page` (which has it, being a page of the case).
fn set(page: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *page = value;
    } else if let Some(slot) = page.pointer_mut(pointer) {
        *slot = value;
    } else {
        panic!("the case's page has no `{pointer}`");
    }
}

impl Api {
    /// One page in the case's envelope, its next link and how many records it holds.
    fn page(&self, params: &HashMap<String, String>, own_url: &str) -> (Value, Option<String>) {
        let total = self.records.len();
        let mut page = (*self.template).clone();
        let slice = |start: usize, size: usize| {
            let start = start.min(total);
            Value::Array(self.records[start..start.saturating_add(size).min(total)].to_vec())
        };
        let mut next = None;
        match &self.config.paging {
            Paging::None(_) => set(&mut page, &self.config.records, Value::Array(self.records.to_vec())),
            Paging::Page(paging) => {
                let first = paging.first_page as usize;
                let number = number(params, &paging.page_param).unwrap_or(first);
                let size = number_or(params, &paging.size_param, 20).min(self.cap.load(Ordering::SeqCst));
                let endless = self.fault == Fault::Endless;
                let start = if endless { 0 } else { number.saturating_sub(first) * size };
                set(&mut page, &self.config.records, slice(start, size));
                let pages = if endless { 1_000_000 } else { total.div_ceil(size) };
                if let Some(pointer) = &paging.total_pages {
                    set(&mut page, pointer, json!(pages));
                }
                if let Some(pointer) = &paging.total_count {
                    set(&mut page, pointer, json!(if endless { 1_000_000_000 } else { total }));
                }
            }
            Paging::Offset(paging) => {
                let offset =
                    if self.fault == Fault::Endless { 0 } else { number(params, &paging.offset_param).unwrap_or(0) };
                let limit = number_or(params, &paging.limit_param, 20).min(self.cap.load(Ordering::SeqCst));
                set(&mut page, &self.config.records, slice(offset, limit));
                if let Some(pointer) = &paging.total_count {
                    set(&mut page, pointer, json!(if self.fault == Fault::Endless { 1_000_000_000 } else { total }));
                }
            }
            Paging::NextLink(paging) => {
                let cursor = number(params, "cursor").unwrap_or(0);
                let start = if self.fault == Fault::Endless { 0 } else { cursor };
                set(&mut page, &self.config.records, slice(start, self.link_size));
                let after = cursor + self.link_size;
                let more = after < total || self.fault == Fault::Endless;
                let mut query: Vec<(String, String)> =
                    params.iter().filter(|(k, _)| *k != "cursor").map(|(k, v)| (k.clone(), v.clone())).collect();
                query.sort();
                query.push(("cursor".to_owned(), after.to_string()));
                let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", v.replace(':', "%3A"))).collect();
                let link = more.then(|| {
                    if self.fault == Fault::ForeignNextLink {
                        format!("https://api.internal.example:8443{}?{}", self.path, query.join("&"))
                    } else if self.link_header {
                        format!("{own_url}{}?{}", self.path, query.join("&"))
                    } else {
                        // Relative to the page, as many APIs write it.
                        format!("{}?{}", self.path.rsplit('/').next().unwrap_or_default(), query.join("&"))
                    }
                });
                match (&paging.next, self.link_header) {
                    (Some(pointer), false) => set(&mut page, pointer, link.map_or(Value::Null, Value::String)),
                    _ => next = link,
                }
            }
        }
        (page, next)
    }
}

fn number_or(params: &HashMap<String, String>, name: &str, default: usize) -> usize {
    number(params, name).unwrap_or(default).max(1)
}

fn json_response(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
}

async fn serve(State(api): State<Api>, headers: HeaderMap, Query(params): Query<HashMap<String, String>>) -> Response {
    // Absolute links name the host the request was sent to.
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let own_url = format!("http://{host}");
    api.headers.lock().unwrap_or_else(PoisonError::into_inner).push(headers.clone());
    if let Fault::Unavailable(_) = api.fault {
        let left = api.unavailable_left.load(Ordering::SeqCst);
        if left > 0 {
            api.unavailable_left.store(left - 1, Ordering::SeqCst);
            return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "0")], "Underhåll pågår").into_response();
        }
    }
    let (page, next) = api.page(&params, &own_url);
    let body = serde_json::to_vec(&page).expect("JSON");
    let mut response = match api.fault {
        Fault::Malformed => json_response(b"<html><body>Logga in</body></html>".to_vec()),
        Fault::TruncatedJson => json_response(body[..body.len() / 2].to_vec()),
        Fault::ByteOrderMark => json_response([b"\xEF\xBB\xBF".as_slice(), &body].concat()),
        Fault::WrongShape => json_response(serde_json::to_vec(&json!({"v3": {"courseOccasions": []}})).expect("JSON")),
        _ => json_response(body),
    };
    if let Some(next) = next {
        let value = format!("<{next}>; rel=\"next\"").parse().expect("a header value");
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

/// A simulated API serving `case` at the path of its configured URL; the config returned
/// points at it.
async fn api(
    case: &str,
    fault: Fault,
    link_size: usize,
    link_header: bool,
) -> (Upstream, Api, json_api::Config, HarvestContext) {
    let (mut config, ctx) = fixture::json_api(&case_dir(case));
    let pages = fixture::json_pages(&case_dir(case));
    let records: Vec<Value> = pages
        .iter()
        .flat_map(|page| json_api::wire::records(page, &config.records).expect("records").to_vec())
        .collect();
    let original = reqwest::Url::parse(&config.url).expect("the case's URL");
    let path = original.path().to_owned();
    if let (true, Paging::NextLink(paging)) = (link_header, &mut config.paging) {
        paging.next = None;
    }
    let state = Api {
        config: Arc::new(config.clone()),
        path: path.clone(),
        template: Arc::new(pages[0].clone()),
        records: Arc::new(records),
        link_size,
        link_header,
        fault,
        unavailable_left: Arc::new(AtomicU32::new(match fault {
            Fault::Unavailable(n) => n,
            _ => 0,
        })),
        headers: Arc::default(),
        cap: Arc::new(AtomicUsize::new(usize::MAX)),
    };
    let upstream = Upstream::start(Router::new().route(&path, get(serve)).with_state(state.clone())).await;
    config.url = match original.query() {
        Some(query) => upstream.url(&format!("{path}?{query}")),
        None => upstream.url(&path),
    };
    (upstream, state, config, ctx)
}

fn with_secrets(ctx: &HarvestContext) -> Fetcher {
    let secrets: HashMap<String, String> = SECRETS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    fetcher(ctx, test_options()).with_secrets(Arc::new(move |name| secrets.get(name).cloned()))
}

fn connector(config: &json_api::Config, ctx: &HarvestContext) -> JsonApiConnector {
    JsonApiConnector::new(config.clone(), with_secrets(ctx))
}

/// What the pure half makes of the case's own pages: what a run must yield.
fn expected(case: &str) -> Vec<Item> {
    let (config, ctx) = fixture::json_api(&case_dir(case));
    json_api::normalize(&config, &ctx, &fixture::json_pages(&case_dir(case))).expect("the case normalises")
}

/// Sets the page size of a page or offset style.
fn with_size(mut config: json_api::Config, size: u32) -> json_api::Config {
    match &mut config.paging {
        Paging::Page(paging) => paging.size = size,
        Paging::Offset(paging) => paging.limit = size,
        Paging::None(_) | Paging::NextLink(_) => {}
    }
    config
}

#[tokio::test]
async fn every_fixture_case_harvested_page_by_page_yields_what_the_pure_normaliser_yields() {
    let cases = cases();
    assert!(cases.len() >= 3, "the json_api cases: {cases:?}");
    for case in cases {
        let (upstream, _, config, ctx) = api(&case, Fault::None, 2, false).await;
        let built = ConnectorConfig::JsonApi(with_size(config, 2)).build(with_secrets(&ctx));
        let items = run_and_assert_compliance(built.as_ref(), &ctx, Some(&upstream)).await;
        let items = items.unwrap_or_else(|error| panic!("{case}: {error}"));
        assert_eq!(items, expected(&case), "{case}");
    }
}

#[tokio::test]
async fn every_paging_style_walks_to_the_end_whatever_the_page_size_asking_for_each_page_once() {
    for case in cases() {
        for size in [1_u32, 2, 3, 4, 5, 7, 100] {
            let (upstream, state, config, ctx) = api(&case, Fault::None, size as usize, false).await;
            let total = state.records.len();
            let connector = connector(&with_size(config, size), &ctx);
            let items = conformance::collect(&connector, &ctx).await;
            let items: Vec<Item> =
                items.into_iter().collect::<Result<_, _>>().unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(items, expected(&case), "{case} in pages of {size}");
            let requests = upstream.requests();
            // Each page once; one more only when the API cannot tell that a full page was the last.
            let pages = total.div_ceil(size as usize);
            let last_full = total % size as usize == 0;
            let allowed = if last_full { [pages, pages + 1] } else { [pages, pages] };
            assert!(allowed.contains(&requests.len()), "{case} in pages of {size}: {} requests", requests.len());
            let queries: std::collections::HashSet<&str> = requests.iter().map(|seen| seen.query.as_str()).collect();
            assert_eq!(queries.len(), requests.len(), "{case}: no page is asked for twice: {requests:?}");
        }
    }
}

#[tokio::test]
async fn page_and_offset_parameters_are_the_configured_names_added_to_the_urls_own_query() {
    let (upstream, _, config, ctx) = api("taby-page-numbers", Fault::None, 2, false).await;
    let _ = conformance::collect(&connector(&with_size(config, 2), &ctx), &ctx).await;
    let asked: Vec<(Option<String>, Option<String>, Option<String>)> = upstream
        .requests()
        .iter()
        .map(|seen| (seen.param("published"), seen.param("page"), seen.param("pageSize")))
        .collect();
    let expected: Vec<_> =
        (1..=3).map(|page| (Some("true".into()), Some(page.to_string()), Some("2".into()))).collect();
    assert_eq!(asked, expected);

    let (upstream, _, config, ctx) = api("nacka-offset-quirks", Fault::None, 4, false).await;
    let _ = conformance::collect(&connector(&with_size(config, 4), &ctx), &ctx).await;
    let asked: Vec<(Option<String>, Option<String>)> =
        upstream.requests().iter().map(|seen| (seen.param("start"), seen.param("antal"))).collect();
    assert_eq!(asked, [(Some("0".into()), Some("4".into())), (Some("4".into()), Some("4".into()))]);
}

#[tokio::test]
async fn an_incremental_run_asks_for_changes_since_the_last_run_and_a_full_run_does_not() {
    let case = "faults-next-link-deletions";
    let (upstream, _, config, ctx) = api(case, Fault::None, 4, false).await;
    assert!(ctx.since.is_some(), "the case is an incremental run");
    let items = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected(case));
    assert!(items.iter().any(|item| matches!(item, Item::Withdrawn { .. })), "deletions are withdrawn");

    upstream.forget_requests();
    let _ = conformance::collect(&connector(&config, &ctx), &ctx).await;
    let requests = upstream.requests();
    assert_eq!(requests.len(), 4, "14 records in pages of 4");
    for seen in &requests {
        assert_eq!(seen.param("updatedAfter").as_deref(), Some("2026-11-01T03:00:00Z"), "{seen:?}");
    }

    let full = HarvestContext { since: None, ..ctx.clone() };
    upstream.forget_requests();
    let _ = conformance::collect(&connector(&config, &full), &full).await;
    assert!(upstream.requests().iter().all(|seen| seen.param("updatedAfter").is_none()));
}

#[tokio::test]
async fn a_next_link_in_the_link_header_is_followed_like_one_in_the_body() {
    let case = "faults-next-link-deletions";
    let (upstream, _, config, ctx) = api(case, Fault::None, 3, true).await;
    assert!(matches!(&config.paging, Paging::NextLink(paging) if paging.next.is_none()));
    let items = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected(case));
    upstream.forget_requests();
    let _ = conformance::collect(&connector(&config, &ctx), &ctx).await;
    assert_eq!(upstream.requests().len(), 5, "14 records in pages of 3");
}

#[tokio::test]
async fn configured_headers_and_secrets_are_sent_with_every_request_and_json_is_accepted() {
    let (upstream, state, config, ctx) = api("nacka-offset-quirks", Fault::None, 4, false).await;
    let _ = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    let seen = state.headers.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert!(!seen.is_empty());
    for headers in seen {
        assert_eq!(headers["authorization"], "Bearer nacka-token-456");
        assert_eq!(headers["accept-language"], "sv");
        assert_eq!(headers["accept"], "application/json");
    }

    let (upstream, state, config, ctx) = api("taby-page-numbers", Fault::None, 4, false).await;
    let _ = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    for headers in state.headers.lock().unwrap_or_else(PoisonError::into_inner).iter() {
        assert_eq!(headers["x-api-key"], "taby-nyckel-123");
        assert!(headers.get("authorization").is_none());
    }
}

#[tokio::test]
async fn an_unset_secret_fails_the_run_naming_the_variable_before_anything_is_sent() {
    let (upstream, _, config, ctx) = api("nacka-offset-quirks", Fault::None, 4, false).await;
    let connector = JsonApiConnector::new(config, fetcher(&ctx, test_options()));
    let error = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect_err("no secret");
    let ConnectorError::Config(text) = &error else { panic!("a config error: {error:?}") };
    assert!(text.contains("NACKA_TOKEN"), "{text}");
    assert!(upstream.requests().is_empty());
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_and_the_run_completes() {
    let (upstream, _, config, ctx) = api("taby-page-numbers", Fault::Unavailable(2), 3, false).await;
    let connector = connector(&with_size(config, 3), &ctx);
    let results = conformance::collect(&connector, &ctx).await;
    let items: Vec<Item> = results.into_iter().collect::<Result<_, _>>().expect("the run completes");
    assert_eq!(items, expected("taby-page-numbers"));
    let statuses: Vec<u16> = upstream.requests().iter().map(|seen| seen.status).collect();
    assert_eq!(statuses, [503, 503, 200, 200]);
}

/// Runs `case` against an API with `fault` and returns the run's error.
async fn failed_run(case: &str, fault: Fault) -> (Upstream, ConnectorError) {
    let (upstream, _, config, ctx) = api(case, fault, 2, false).await;
    let connector = connector(&with_size(config, 2), &ctx).with_max_pages(5);
    let error = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect_err("the run fails");
    (upstream, error)
}

#[tokio::test]
async fn a_body_that_is_not_json_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run("taby-page-numbers", Fault::Malformed).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url("/api/v1/course-occasions?published=true")), "{url}");
    assert!(url.contains("page=1"), "{url}");
    assert!(reason.contains("not JSON"), "{reason}");
}

#[tokio::test]
async fn a_truncated_json_body_ends_the_run_with_a_shape_error_naming_the_url() {
    let (upstream, error) = failed_run("nacka-offset-quirks", Fault::TruncatedJson).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url("/kurskatalog/v2/kurstillfallen")), "{url}");
    assert!(reason.contains("cut off"), "{reason}");
}

#[tokio::test]
async fn records_no_longer_where_the_pointer_leads_end_the_run_with_a_shape_error_naming_it() {
    let (upstream, error) = failed_run("faults-next-link-deletions", Fault::WrongShape).await;
    let ConnectorError::Shape { url, reason } = &error else { panic!("a shape error: {error:?}") };
    assert!(url.starts_with(&upstream.url("/api/kurser")), "{url}");
    assert!(reason.contains("`/items`"), "{reason}");
}

#[tokio::test]
async fn an_upstream_that_never_runs_out_of_pages_is_stopped_at_the_page_cap_in_every_style() {
    for case in cases() {
        let (_, error) = failed_run(&case, Fault::Endless).await;
        assert!(matches!(error, ConnectorError::Shape { .. }), "{case}: {error:?}");
        assert!(error.to_string().contains("after 5 pages"), "{case}: {error}");
        let (upstream, _, config, ctx) = api(&case, Fault::Endless, 2, false).await;
        let _ = conformance::collect(&connector(&with_size(config, 2), &ctx).with_max_pages(5), &ctx).await;
        assert_eq!(upstream.requests().len(), 5, "{case}: five pages, then the run stops asking");
    }
}

#[tokio::test]
async fn a_next_link_to_another_host_is_followed_on_the_configured_host_so_the_secrets_stay_there() {
    let case = "faults-next-link-deletions";
    let (upstream, _, config, ctx) = api(case, Fault::ForeignNextLink, 3, false).await;
    // `run_and_assert_compliance` checks that every request went to the configured host.
    let items = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected(case));
    upstream.forget_requests();
    let _ = conformance::collect(&connector(&config, &ctx), &ctx).await;
    let cursors: Vec<Option<String>> = upstream.requests().iter().map(|seen| seen.param("cursor")).collect();
    assert_eq!(cursors, [None, Some("3".into()), Some("6".into()), Some("9".into()), Some("12".into())]);
}

#[tokio::test]
async fn the_items_of_a_page_arrive_before_the_next_page_is_asked_for() {
    use futures::StreamExt as _;

    let (upstream, _, config, ctx) = api("taby-page-numbers", Fault::None, 2, false).await;
    let connector = connector(&with_size(config, 2), &ctx);
    let mut stream = vuxnav_connectors::Connector::harvest(&connector, &ctx);
    let first = stream.next().await.expect("an item").expect("not an error");
    assert!(matches!(first, Item::Provider(_)), "a provider comes before its offering: {first:?}");
    upstream.barrier().await;
    assert_eq!(upstream.requests().len(), 1, "only the first page has been read");
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(upstream.requests().len(), 3, "then the other two");
    assert!(rest.iter().all(Result::is_ok));
}

#[tokio::test]
async fn an_api_that_serves_fewer_records_than_asked_for_and_states_no_total_is_read_to_the_end() {
    for case in ["taby-page-numbers", "nacka-offset-quirks"] {
        let (upstream, state, mut config, ctx) = api(case, Fault::None, 2, false).await;
        match &mut config.paging {
            Paging::Page(paging) => (paging.total_pages, paging.total_count) = (None, None),
            Paging::Offset(paging) => paging.total_count = None,
            Paging::None(_) | Paging::NextLink(_) => unreachable!("{case} pages by number or offset"),
        }
        // Asked for 100, the API serves 2 at a time and says nothing of the rest.
        state.cap.store(2, Ordering::SeqCst);
        let connector = connector(&with_size(config, 100), &ctx);
        let items = run_and_assert_compliance(&connector, &ctx, Some(&upstream)).await.expect("a run");
        assert_eq!(items, expected(case), "{case}");
        upstream.forget_requests();
        let _ = conformance::collect(&connector, &ctx).await;
        // Five or six records in pages of two, then an empty page or a short one.
        let records = state.records.len();
        assert_eq!(upstream.requests().len(), records / 2 + 1, "{case}");
    }
}

#[tokio::test]
async fn an_api_without_paging_is_read_in_one_request() {
    let case = "taby-page-numbers";
    let (upstream, _, mut config, ctx) = api(case, Fault::None, 2, false).await;
    config.paging = Paging::default();
    let items = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected(case));
    upstream.forget_requests();
    let _ = conformance::collect(&connector(&config, &ctx), &ctx).await;
    let requests = upstream.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].query, "published=true");
}

#[tokio::test]
async fn a_byte_order_mark_before_the_json_is_skipped() {
    let case = "nacka-offset-quirks";
    let (upstream, _, config, ctx) = api(case, Fault::ByteOrderMark, 4, false).await;
    let items = run_and_assert_compliance(&connector(&config, &ctx), &ctx, Some(&upstream)).await.expect("a run");
    assert_eq!(items, expected(case));
}
