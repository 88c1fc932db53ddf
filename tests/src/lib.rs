//! The one test harness of the workspace: [`TestApp`] starts the real app (store, read model,
//! GraphQL over HTTP) on a free port over a fresh database, and talks to it over HTTP as a
//! partner would. [`TestApp::spawn`] gives the app over the regional demo data set;
//! [`TestApp::builder`] sets a config file, simulated municipal systems harvested by configured
//! sources, and the date. The gateway's own tests use it too, with [`regional`] and
//! [`vuxnav`] (the binary in a clean environment).
//!
//! ```text
//! for db in vuxnav_store::testing::fresh_databases().await {
//!     let app = TestApp::spawn(&db).await;
//!     let data = app.data("{ municipalities { code } }", Value::Null).await;
//!     assert_eq!(data["municipalities"].as_array().map(Vec::len), Some(26), "{}", app.backend);
//!
//!     let app = TestApp::builder().config("[harvest]\nretries = 1").upstreams(regional()).spawn(&db).await;
//!     let reports = app.runner().await.run_now(&[]).await;
//! }
//! ```
//!
//! Everything is fixed, so every run (and every backend) sees the same data: the seed, the
//! date the API takes as today and the time the demo sources were harvested. The helpers panic
//! when the app cannot be started or answered: that is a broken test setup, not a result.

mod load;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
pub use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use vuxnav_connectors::runner::Runner;
use vuxnav_gateway::app::App;
use vuxnav_gateway::config::Config;
use vuxnav_simulator::upstream::Upstreams;
use vuxnav_simulator::{DemoSource, Scale, generate};
use vuxnav_store::Store;
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

/// The regional demo set (the 26 municipalities of Stockholm County) of [`SEED`] for
/// [`today`], generated once per test binary: what the simulated municipal systems serve.
pub fn regional() -> &'static [DemoSource] {
    static SOURCES: OnceLock<Vec<DemoSource>> = OnceLock::new();
    SOURCES.get_or_init(|| generate(SEED, Scale::Regional, today()))
}

/// The `vuxnav` binary at `exe` (`env!("CARGO_BIN_EXE_vuxnav")` in the gateway's tests) with
/// `args`, with no `VUXNAV_` variable of the test's environment (they would override the
/// files the tests write) and no colours in its logs; stdout and stderr piped.
pub fn vuxnav(exe: impl AsRef<Path>, args: &[&str]) -> Command {
    let mut command = Command::new(exe.as_ref());
    command.args(args).env("NO_COLOR", "1").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("VUXNAV_") {
            command.env_remove(name);
        }
    }
    command
}

/// The real app over a fresh database, serving HTTP on a free port of 127.0.0.1 until dropped.
pub struct TestApp {
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub backend: &'static str,
    pub address: SocketAddr,
    /// The app itself, for what tests do in process (refresh the read model, say).
    pub app: App,
    /// The configuration the app was started with, read from its file as `vuxnav serve` does.
    pub config: Config,
    pub store: Store,
    /// The simulated municipal systems, when the builder was given some.
    pub upstreams: Option<Upstreams>,
    client: reqwest::Client,
    server: JoinHandle<()>,
    /// Holds the config file (and whatever else a test writes there) while the app runs.
    pub dir: tempfile::TempDir,
}

/// How to start a [`TestApp`]: see [`TestApp::builder`].
#[derive(Debug)]
pub struct TestAppBuilder {
    config: String,
    upstreams: Option<(&'static [DemoSource], String)>,
    demo_data: bool,
    registries: bool,
    today: NaiveDate,
}

impl TestAppBuilder {
    /// Top-level keys and tables of the config file (`[harvest]`, `[graphql]`, …), as TOML.
    #[must_use]
    pub fn config(mut self, toml: &str) -> Self {
        self.config = toml.to_owned();
        self
    }

    /// Simulates these municipalities' systems on loopback and configures a source for each
    /// (harvested at 03:00; the test runs them with [`TestApp::runner`]).
    #[must_use]
    pub fn upstreams(self, sources: &'static [DemoSource]) -> Self {
        self.upstreams_on(sources, "0 0 3 * * *")
    }

    /// [`TestAppBuilder::upstreams`] with the sources harvested on `schedule`.
    #[must_use]
    pub fn upstreams_on(mut self, sources: &'static [DemoSource], schedule: &str) -> Self {
        self.upstreams = Some((sources, schedule.to_owned()));
        self
    }

    /// Loads the regional demo data set into the store before the app starts, as if every
    /// municipality had been harvested at [`harvested_at`].
    #[must_use]
    pub fn demo_data(mut self) -> Self {
        self.demo_data = true;
        self
    }

    /// Loads the demo's registries (validering, vägledning, occupation links, prices) into the
    /// store before the app starts; [`TestAppBuilder::demo_data`] loads them too.
    #[must_use]
    pub fn registries(mut self) -> Self {
        self.registries = true;
        self
    }

    /// The date the API takes as today (default [`today`]).
    #[must_use]
    pub fn today(mut self, today: NaiveDate) -> Self {
        self.today = today;
        self
    }

    /// Connects to `db` (running the migrations), writes and loads the config file, starts the
    /// simulated systems and the app, and serves its router on 127.0.0.1 on a free port.
    pub async fn spawn(self, db: &TestDatabase) -> TestApp {
        // Every HTTP client of the process needs the TLS provider installed first.
        vuxnav_connectors::fetch::install_crypto_provider();
        let store = db.connect().await;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let upstreams = self.upstreams.as_ref().map(|(sources, _)| {
            Upstreams::start(sources).unwrap_or_else(|error| panic!("the simulated systems start: {error}"))
        });
        let sources = match (&self.upstreams, &upstreams) {
            (Some((sources, schedule)), Some(upstreams)) => upstreams.sources_toml(sources, schedule),
            _ => String::new(),
        };
        let path = dir.path().join("vuxnav.toml");
        std::fs::write(&path, format!("{}\n{sources}", self.config)).expect("the config is written");
        let mut config = Config::load(Some(&path), std::iter::empty::<(String, String)>())
            .unwrap_or_else(|errors| panic!("{}: the config loads: {errors}", db.backend));
        // Releases go to the test's own folder, unless the config names one.
        if !self.config.contains("folder") {
            config.release.folder = dir.path().join("releases");
        }
        if self.demo_data {
            load::load(&store, SEED, Scale::Regional, today(), harvested_at())
                .await
                .unwrap_or_else(|error| panic!("{}: loading the demo data failed: {error}", db.backend));
        } else if self.registries {
            load::load_registries(&store, Scale::Regional, today())
                .await
                .unwrap_or_else(|error| panic!("{}: loading the demo registries failed: {error}", db.backend));
        }
        let app = App::start(&config, store.clone(), Some(self.today))
            .await
            .unwrap_or_else(|error| panic!("{}: the app did not start: {error:#}", db.backend));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding 127.0.0.1:0");
        let address = listener.local_addr().expect("the bound address");
        let router = app.router();
        let server = tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
                .await
                .expect("serving the test app");
        });
        // No proxy from the environment: the app is on the loopback interface.
        let client = reqwest::Client::builder().no_proxy().build().expect("an HTTP client");
        TestApp { backend: db.backend, address, app, config, store, upstreams, client, server, dir }
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
    /// A builder: no config keys, no simulated systems, an empty store, [`today`].
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder { config: String::new(), upstreams: None, demo_data: false, registries: false, today: today() }
    }

    /// The app over the regional demo data set of [`SEED`] as harvested at [`harvested_at`],
    /// with [`today`] fixed: `TestApp::builder().demo_data().spawn(db)`.
    pub async fn spawn(db: &TestDatabase) -> TestApp {
        Self::builder().demo_data().spawn(db).await
    }

    /// The app's runner over the configured sources and those managed in the store, as
    /// `vuxnav serve` runs them, with every harvest that stores something rebuilding the read
    /// model in service.
    pub async fn runner(&self) -> Runner {
        self.app
            .harvester
            .sync()
            .await
            .unwrap_or_else(|error| panic!("{}: the managed sources are read: {error:#}", self.backend));
        self.app.harvester.runner().clone()
    }

    /// The simulated municipal systems; panics when the builder was given none.
    pub fn upstreams(&self) -> &Upstreams {
        self.upstreams.as_ref().expect("the app was built with simulated systems")
    }

    /// Issues an API key of `role` (`partner`, `municipal_admin`, `region_admin`) for
    /// `municipalities` as the operator would at the command line, and returns its token.
    pub async fn key(&self, role: &str, municipalities: &[&str]) -> String {
        let request = vuxnav_gateway::auth::KeyRequest {
            name: format!("{role} {}", municipalities.join(" ")),
            role: vuxnav_schema::Role::parse(role).unwrap_or_else(|_| panic!("`{role}` is a role")),
            municipalities: municipalities
                .iter()
                .map(|code| vuxnav_schema::MunicipalityCode::parse(code).expect("a kommunkod"))
                .collect(),
            expires_at: None,
        };
        let (_, token) = vuxnav_gateway::auth::issue_key(
            &self.store,
            &self.config.region,
            request,
            Utc::now(),
            &vuxnav_store::AuditContext::cli(),
        )
        .await
        .unwrap_or_else(|error| panic!("{}: the key is issued: {error}", self.backend));
        token.expose().to_owned()
    }

    /// POSTs a GraphQL request to `path` (`/graphql` or `/admin/graphql`) with
    /// `Authorization: Bearer token` and returns the status and the body as JSON.
    pub async fn graphql_as(&self, path: &str, token: &str, query: &str, variables: Value) -> (StatusCode, Value) {
        let body = json!({ "query": query, "variables": variables });
        let authorization = format!("Bearer {token}");
        let headers = [("content-type", "application/json"), ("authorization", authorization.as_str())];
        let reply = self.request(reqwest::Method::POST, path, &headers, body.to_string().into()).await;
        (reply.status, reply.json())
    }

    /// An admin API request with `token`: [`TestApp::graphql_as`] on `/admin/graphql`.
    pub async fn admin(&self, token: &str, query: &str, variables: Value) -> (StatusCode, Value) {
        self.graphql_as("/admin/graphql", token, query, variables).await
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
        self.request(reqwest::Method::POST, "/graphql", headers, body.into()).await
    }

    /// Sends `method` to `path` (with its query string) with exactly these headers and `body`,
    /// and returns the answer whatever its status.
    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, &str)],
        body: reqwest::Body,
    ) -> Reply {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
                HeaderValue::from_str(value).expect("a valid header value"),
            );
        }
        let response = self
            .client
            .request(method, format!("http://{}{path}", self.address))
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

    /// GETs `path` (with its query string) with these headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.request(reqwest::Method::GET, path, headers, reqwest::Body::from("")).await
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

/// A `[[source]]` entry as JSON, as the admin API takes it, that harvests `source` from its
/// simulated system in `upstreams` under the id `id`; `allow_private_network` lets it reach
/// the loopback interface the simulated systems listen on.
pub fn source_config(upstreams: &Upstreams, source: &DemoSource, id: &str, allow_private_network: bool) -> Value {
    let table: toml::Value =
        toml::from_str(&upstreams.connector_toml(source)).expect("the simulated system's connector table parses");
    let connector = serde_json::to_value(&table["source"]["connector"]).expect("a TOML table is JSON");
    json!({
        "id": id,
        "municipality": source.municipality.as_str(),
        "schedule": "0 0 3 * * *",
        "allow_private_network": allow_private_network,
        "connector": connector,
    })
}

/// The regional demo sources of these kommunkoder, in the order of [`regional`] (kommunkod).
pub fn regional_of(codes: &[&str]) -> Vec<DemoSource> {
    regional().iter().filter(|source| codes.contains(&source.municipality.as_str())).cloned().collect()
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
