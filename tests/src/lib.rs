//! Test support for the end-to-end tests in `tests/`: [`TestApp`] starts the real app (store,
//! read model, GraphQL over HTTP) on a free port over a fresh database holding the regional
//! demo data set, and talks to it over HTTP as a partner would.
//!
//! ```text
//! for db in vuxnav_store::testing::fresh_databases().await {
//!     let app = TestApp::spawn(&db).await;
//!     let data = app.data("{ municipalities { code } }", Value::Null).await;
//!     assert_eq!(data["municipalities"].as_array().map(Vec::len), Some(26), "{}", app.backend);
//! }
//! ```
//!
//! Everything is fixed, so every run (and every backend) sees the same data: the seed, the
//! date the API takes as today and the time the demo sources were harvested. The helpers panic
//! when the app cannot be started or answered: that is a broken test setup, not a result.

use std::net::SocketAddr;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
pub use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use vuxnav_gateway::app::App;
use vuxnav_gateway::config::Config;
use vuxnav_gateway::demo::{self, Scale};
pub use vuxnav_store::testing::{TestDatabase, fresh_databases};

/// The seed of the demo data set every test loads.
pub const SEED: u64 = 2026;

/// The kommunkoder of the 26 municipalities of Stockholm County, in order.
pub const STOCKHOLM_COUNTY: [&str; 26] = [
    "0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136", "0138", "0139", "0140", "0160",
    "0162", "0163", "0180", "0181", "0182", "0183", "0184", "0186", "0187", "0188", "0191", "0192",
];

/// The date the API takes as today, and the demo data is generated around.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date")
}

/// When the demo sources count as harvested: the night's run of [`today`]. Whole seconds, so
/// that every backend stores it exactly.
pub fn harvested_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).single().expect("a valid time")
}

/// The real app over a fresh database, serving HTTP on a free port of 127.0.0.1 until dropped.
pub struct TestApp {
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub backend: &'static str,
    pub address: SocketAddr,
    client: reqwest::Client,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for TestApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestApp").field("backend", &self.backend).field("address", &self.address).finish()
    }
}

/// An HTTP answer, for tests at the transport level.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON; panics (showing the body) when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("the body is not JSON ({error}): {}", self.body))
    }

    /// A header's value, or `""`.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
    }
}

impl TestApp {
    /// Connects to `db` (running the migrations), loads the regional demo data set of
    /// [`SEED`] as harvested at [`harvested_at`], starts the app with [`today`] fixed and
    /// serves its router on 127.0.0.1 on a free port.
    pub async fn spawn(db: &TestDatabase) -> TestApp {
        let store = db.connect().await;
        demo::load(&store, SEED, Scale::Regional, today(), harvested_at())
            .await
            .unwrap_or_else(|error| panic!("{}: loading the demo data failed: {error}", db.backend));
        let config = Config::default();
        let app = App::start(&config, store, Some(today()))
            .await
            .unwrap_or_else(|error| panic!("{}: the app did not start: {error:#}", db.backend));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding 127.0.0.1:0");
        let address = listener.local_addr().expect("the bound address");
        let router = app.router();
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serving the test app");
        });
        // No proxy from the environment: the app is on the loopback interface. Every HTTP
        // client of the process needs the TLS provider installed first.
        vuxnav_connectors::fetch::install_crypto_provider();
        let client = reqwest::Client::builder().no_proxy().build().expect("an HTTP client");
        TestApp { backend: db.backend, address, client, server }
    }

    /// The GraphQL endpoint.
    pub fn graphql_url(&self) -> String {
        format!("http://{}/graphql", self.address)
    }

    /// POSTs a GraphQL request as `application/json` and returns the status and the body as
    /// JSON. `variables` may be `Value::Null`.
    pub async fn graphql(&self, query: &str, variables: Value) -> (StatusCode, Value) {
        let reply = self.graphql_reply(query, variables).await;
        (reply.status, reply.json())
    }

    /// [`TestApp::graphql`], keeping the body as text (for byte-for-byte comparisons).
    pub async fn graphql_reply(&self, query: &str, variables: Value) -> Reply {
        let body = json!({ "query": query, "variables": variables });
        self.post(body.to_string(), &[("content-type", "application/json")]).await
    }

    /// Runs a query that must succeed (HTTP 200, no `errors`) and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let (status, body) = self.graphql(query, variables.clone()).await;
        assert!(
            status == StatusCode::OK && body.get("errors").is_none() && body.get("data").is_some_and(Value::is_object),
            "{}: expected data without errors, got HTTP {status} and {body}\nquery: {query}\nvariables: {variables}",
            self.backend
        );
        body["data"].clone()
    }

    /// POSTs `body` to the GraphQL endpoint with exactly these headers (and the ones reqwest
    /// always sends, such as `content-length`).
    pub async fn post(&self, body: impl Into<reqwest::Body>, headers: &[(&str, &str)]) -> Reply {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
                HeaderValue::from_str(value).expect("a valid header value"),
            );
        }
        let response = self
            .client
            .post(self.graphql_url())
            .headers(map)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|error| panic!("{}: the request failed: {error}", self.backend));
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_else(|error| panic!("{}: reading the body: {error}", self.backend));
        Reply { status, headers, body }
    }
}

impl TestApp {
    /// GETs `path` (with its query string, such as `/readyz` or `/graphql?query=…`) with
    /// exactly these headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.get(format!("http://{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response =
            request.send().await.unwrap_or_else(|error| panic!("{}: the request failed: {error}", self.backend));
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_else(|error| panic!("{}: reading the body: {error}", self.backend));
        Reply { status, headers, body }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Asserts that `body` is an error answer whose first error has `extensions.code` = `code`
/// and a message naming `names` (an argument path such as `filter.paceMin`, or a field).
#[track_caller]
pub fn assert_error(backend: &str, body: &Value, code: &str, names: &str) {
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{backend}: expected {code} naming `{names}`, got {body}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(names), "{backend}: the message does not name `{names}`: {body}");
}

/// The sum of the `count`s of one facet list.
pub fn facet_sum(facet: &Value) -> u64 {
    facet.as_array().unwrap_or_else(|| panic!("not a facet list: {facet}")).iter().map(|f| count(&f["count"])).sum()
}

/// A JSON number as `u64`, panicking on anything else.
pub fn count(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("not a count: {value}"))
}

/// A JSON string as `&str`, panicking on anything else.
pub fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value}"))
}
