//! The conformance harness every connector kind passes (STYLE practice 17), after Vector's
//! `run_and_assert_source_compliance`, and the simulated upstream its tests run against.
//!
//! [`Upstream`] is a real axum server on `127.0.0.1:0` that records every request (its `Host`,
//! path, query and the status it answered). [`run_and_assert_compliance`] runs a connector to
//! the end and checks what holds for every kind and every upstream:
//!
//! - the stream ends;
//! - ids are unique, and every offering's course and provider were yielded before it;
//! - every offering's provenance names the context's source, carries the run's start and the
//!   offering's content hash;
//! - only the configured upstream was asked, and only for paths it serves (none answered 404);
//! - dropping the stream after its first item stops the run: at most the request in flight at
//!   that moment reaches the upstream afterwards, and fewer requests are made than in a full run.

// Each test binary uses its own part of the harness.
#![allow(dead_code)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use futures::StreamExt as _;
use vuxnav_connectors::fetch::{FetchOptions, Fetcher};
use vuxnav_connectors::{Connector, ConnectorError, HarvestContext, Item};

/// How long a run may take before the harness says the stream does not end.
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// One request the upstream received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub host: String,
    pub path: String,
    pub query: String,
    pub status: u16,
}

impl Seen {
    /// The value of query parameter `name`, decoded, if it was sent.
    pub fn param(&self, name: &str) -> Option<String> {
        url_params(&self.query).into_iter().find(|(key, _)| key == name).map(|(_, value)| value)
    }
}

fn url_params(query: &str) -> Vec<(String, String)> {
    let url = reqwest::Url::parse(&format!("http://x/?{query}")).expect("a query string");
    url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A simulated upstream on loopback that records every request.
pub struct Upstream {
    pub addr: SocketAddr,
    log: Log,
    server: tokio::task::JoinHandle<()>,
}

impl Upstream {
    /// Serves `router` on `127.0.0.1:0`; paths it has no route for answer 404.
    pub async fn start(router: Router) -> Self {
        let log: Log = Arc::default();
        let app = router.layer(middleware::from_fn_with_state(log.clone(), record));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the test server runs");
        });
        Self { addr, log, server }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The `Host` the connector should send: `127.0.0.1:PORT`.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// Every request so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The requests so far for `path`.
    pub fn requests_to(&self, path: &str) -> Vec<Seen> {
        self.requests().into_iter().filter(|seen| seen.path == path).collect()
    }

    pub fn forget_requests(&self) {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// A request of the test's own, on a fresh connection, answered once the server has read
    /// whatever reached it before; it is left out of the log.
    pub async fn barrier(&self) {
        let source = vuxnav_schema::SourceId::parse("barrier").expect("a source id");
        let client = Fetcher::new(source, test_options()).expect("an HTTP client");
        let url = reqwest::Url::parse(&self.url("/__barrier")).expect("a URL");
        // The barrier path answers 404; only the round trip matters.
        let _ = client.get(&url, &[]).await;
        self.log.lock().unwrap_or_else(PoisonError::into_inner).retain(|seen| seen.path != "/__barrier");
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn record(State(log): State<Log>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    log.lock().unwrap_or_else(PoisonError::into_inner).push(Seen { host, path, query, status });
    response
}

/// The fetch options of a test: loopback allowed, retries without waiting long.
pub fn test_options() -> FetchOptions {
    FetchOptions {
        allow_private_network: true,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        ..FetchOptions::default()
    }
}

pub fn fetcher(ctx: &HarvestContext, options: FetchOptions) -> Fetcher {
    Fetcher::new(ctx.source.clone(), options).expect("an HTTP client")
}

/// Runs `connector` to its end and collects what it yields, failing the test when the stream
/// does not end.
pub async fn collect(connector: &dyn Connector, ctx: &HarvestContext) -> Vec<Result<Item, ConnectorError>> {
    tokio::time::timeout(RUN_LIMIT, connector.harvest(ctx).collect::<Vec<_>>())
        .await
        .unwrap_or_else(|_| panic!("the stream did not end within {RUN_LIMIT:?}"))
}

/// Runs `connector` to the end, asserts the contract every kind keeps (see the module
/// documentation), and returns the items of the run, or its error. `upstream` is the server
/// the connector reads from, `None` when it reads a file.
pub async fn run_and_assert_compliance(
    connector: &dyn Connector,
    ctx: &HarvestContext,
    upstream: Option<&Upstream>,
) -> Result<Vec<Item>, ConnectorError> {
    if let Some(upstream) = upstream {
        upstream.forget_requests();
    }
    let results = collect(connector, ctx).await;
    let error_at = results.iter().position(Result::is_err);
    if let Some(at) = error_at {
        assert_eq!(at + 1, results.len(), "nothing follows the error that ends a run: {results:?}");
    }
    let mut items = Vec::with_capacity(results.len());
    let mut error = None;
    for result in results {
        match result {
            Ok(item) => items.push(item),
            Err(e) => error = Some(e),
        }
    }
    assert_items(ctx, &items);

    if let Some(upstream) = upstream {
        let full = upstream.requests();
        assert_only_the_upstream_was_asked(upstream, &full);
        assert_dropping_the_stream_stops_the_run(connector, ctx, upstream, full.len()).await;
    }
    match error {
        Some(error) => Err(error),
        None => Ok(items),
    }
}

/// Unique ids, offerings after what they name, provenance from the context.
pub fn assert_items(ctx: &HarvestContext, items: &[Item]) {
    let mut providers = HashSet::new();
    let mut courses = HashSet::new();
    let mut offerings = HashSet::new();
    for item in items {
        match item {
            Item::Provider(p) => assert!(providers.insert(p.id), "provider {} yielded twice", p.id),
            Item::Course(c) => assert!(courses.insert(c.id), "course {} yielded twice", c.id),
            Item::Offering(o) => {
                let upstream_id = &o.provenance.upstream_id;
                assert!(offerings.insert(o.id), "offering {} ({upstream_id}) yielded twice", o.id);
                assert!(courses.contains(&o.course), "{upstream_id} names a course not yielded before it");
                assert!(providers.contains(&o.provider), "{upstream_id} names a provider not yielded before it");
                assert_eq!(o.provenance.source, ctx.source, "{upstream_id}: provenance names the run's source");
                assert_eq!(o.provenance.last_harvest, ctx.started, "{upstream_id}: provenance has the run's start");
                assert_eq!(o.provenance.content_hash, o.content_hash(), "{upstream_id}: the content hash is set");
            }
            Item::Withdrawn { upstream_id } => assert!(!upstream_id.is_empty(), "a withdrawal names its record"),
            Item::Rejected(r) => {
                assert!(!r.upstream_id.is_empty() && !r.field.is_empty() && !r.reason.is_empty(), "{r:?}");
            }
        }
    }
}

fn assert_only_the_upstream_was_asked(upstream: &Upstream, seen: &[Seen]) {
    let authority = upstream.authority();
    for request in seen {
        assert_eq!(request.host, authority, "only the configured host is asked: {request:?}");
        assert_ne!(request.status, 404, "only paths the upstream serves are asked: {request:?}");
    }
}

async fn assert_dropping_the_stream_stops_the_run(
    connector: &dyn Connector,
    ctx: &HarvestContext,
    upstream: &Upstream,
    full_run: usize,
) {
    upstream.forget_requests();
    let mut stream = connector.harvest(ctx);
    let first = tokio::time::timeout(RUN_LIMIT, stream.next()).await.expect("a first item or the end");
    let at_drop = upstream.requests().len();
    drop(stream);
    upstream.barrier().await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    let after = upstream.requests().len();
    assert!(after <= at_drop + 1, "requests went on after the stream was dropped: {at_drop} then {after}");
    if matches!(first, Some(Ok(_))) && full_run > 1 {
        assert!(after < full_run, "a run dropped after one item asked as much as a full run ({full_run} requests)");
    }
}
