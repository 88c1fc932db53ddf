//! Operations: logs and Prometheus metrics.
//!
//! Logs go to stderr as text or JSON lines, filtered by `RUST_LOG` (default
//! [`DEFAULT_LOG_FILTER`]). Metrics are kept by one process-wide Prometheus recorder and
//! rendered by [`Metrics::render`] for `/metrics`. HTTP metrics are labelled by the route
//! template (`/files/{name}`), never the raw URI, so their cardinality stays bounded.

use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::TestWriter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

use crate::config::LogFormat;

/// The log filter when `RUST_LOG` is unset or invalid.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn,tantivy=warn";

/// Counter of HTTP requests answered, by `method`, `route` and `status`.
pub const HTTP_REQUESTS_TOTAL: &str = "vuxnav_http_requests_total";
/// Histogram of the time to answer an HTTP request (until the response head), by `method` and
/// `route`.
pub const HTTP_REQUEST_DURATION_SECONDS: &str = "vuxnav_http_request_duration_seconds";
/// The `route` label of a request that matched no route.
pub const UNMATCHED_ROUTE: &str = "unmatched";

const DURATION_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Installs the process-wide log subscriber: filtered by `filter` (`RUST_LOG`, read by the
/// config; default [`DEFAULT_LOG_FILTER`]), text or JSON lines, to stderr. Only the first call
/// in a process does anything; later calls, and a call when another subscriber is already
/// installed (as in tests), are no-ops.
pub fn init_logging(format: LogFormat, filter: Option<&str>) {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let (filter, invalid) = match filter.map(EnvFilter::try_new) {
            Some(Ok(filter)) => (filter, None),
            Some(Err(error)) => (EnvFilter::new(DEFAULT_LOG_FILTER), Some(error)),
            None => (EnvFilter::new(DEFAULT_LOG_FILTER), None),
        };
        // Under `cargo test` the lines go through libtest's capture, so they show only with a
        // failing test.
        let writer =
            if cfg!(test) { BoxMakeWriter::new(TestWriter::new()) } else { BoxMakeWriter::new(std::io::stderr) };
        let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
        let installed = match format {
            LogFormat::Text => builder.try_init(),
            LogFormat::Json => builder.json().flatten_event(true).try_init(),
        };
        if installed.is_ok()
            && let Some(error) = invalid
        {
            tracing::warn!(%error, default = DEFAULT_LOG_FILTER, "RUST_LOG is not a valid filter; using the default");
        }
    });
}

/// The process's metrics, rendered in the Prometheus text format.
///
/// Every `Metrics` shares one recorder, installed globally on first use, so building a second
/// one (in tests, in a second app) is cheap and records to the same place.
#[derive(Debug, Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
}

impl Metrics {
    pub fn new() -> Self {
        Self { handle: global_handle().clone() }
    }

    /// Every metric in the Prometheus text exposition format, for `GET /metrics`.
    pub fn render(&self) -> String {
        self.handle.run_upkeep();
        self.handle.render()
    }

    /// Drains histogram samples into their buckets every `every`, so that memory stays
    /// bounded when nobody scrapes `/metrics`. Runs until the task is aborted.
    pub fn spawn_upkeep(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let handle = self.handle.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                handle.run_upkeep();
            }
        })
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn global_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_REQUEST_DURATION_SECONDS.to_owned()), DURATION_BUCKETS)
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "cannot set the buckets of {HTTP_REQUEST_DURATION_SECONDS}; it is a summary");
                PrometheusBuilder::new()
            });
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if let Err(error) = metrics::set_global_recorder(recorder) {
            tracing::warn!(%error, "another metrics recorder is installed; /metrics shows nothing");
        }
        metrics::describe_counter!(HTTP_REQUESTS_TOTAL, "HTTP requests answered, by method, route and status");
        metrics::describe_histogram!(
            HTTP_REQUEST_DURATION_SECONDS,
            metrics::Unit::Seconds,
            "time to answer an HTTP request, by method and route"
        );
        handle
    })
}

/// Axum middleware (`axum::middleware::from_fn(track_http_metrics)`, added with
/// `Router::layer`) recording [`HTTP_REQUESTS_TOTAL`] and [`HTTP_REQUEST_DURATION_SECONDS`].
/// The `route` label is the matched route template, or [`UNMATCHED_ROUTE`]; the `method`
/// label is a standard method or `OTHER`.
pub async fn track_http_metrics(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| UNMATCHED_ROUTE.to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_REQUEST_DURATION_SECONDS, "method" => method, "route" => route.clone())
        .record(start.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS_TOTAL, "method" => method, "route" => route, "status" => status).increment(1);
    response
}

/// A bounded label for a method: the standard ones by name, any other as `OTHER`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    fn app() -> Router {
        Router::new()
            .route("/telemetry-test/offerings/{id}", get(|| async { "ok" }))
            .route("/telemetry-test/broken", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
            .layer(axum::middleware::from_fn(track_http_metrics))
    }

    async fn send(method: Method, uri: &str) -> StatusCode {
        let request = Request::builder().method(method).uri(uri).body(Body::empty());
        let response = app().oneshot(request.expect("a valid request")).await;
        response.map(|r| r.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The lines of `metric` (its samples, not its HELP and TYPE lines) that contain every one
    /// of `parts`.
    fn samples(rendered: &str, metric: &str, parts: &[&str]) -> Vec<String> {
        rendered
            .lines()
            .filter(|line| line.starts_with(&format!("{metric}{{")))
            .filter(|line| parts.iter().all(|part| line.contains(part)))
            .map(str::to_owned)
            .collect()
    }

    #[tokio::test]
    async fn a_request_is_counted_by_its_route_template_and_status() {
        let metrics = Metrics::new();
        assert_eq!(send(Method::GET, "/telemetry-test/offerings/42").await, StatusCode::OK);
        assert_eq!(send(Method::GET, "/telemetry-test/offerings/43").await, StatusCode::OK);
        assert_eq!(send(Method::GET, "/telemetry-test/broken").await, StatusCode::SERVICE_UNAVAILABLE);

        let rendered = metrics.render();
        let ok = samples(
            &rendered,
            HTTP_REQUESTS_TOTAL,
            &[r#"method="GET""#, r#"route="/telemetry-test/offerings/{id}""#, r#"status="200""#],
        );
        assert_eq!(ok.len(), 1, "{rendered}");
        assert!(ok[0].ends_with(" 2"), "{}", ok[0]);
        let broken = samples(&rendered, HTTP_REQUESTS_TOTAL, &[r#"route="/telemetry-test/broken""#, r#"status="503""#]);
        assert_eq!(broken.len(), 1, "{rendered}");
        assert!(!rendered.contains("/telemetry-test/offerings/42"), "the raw URI is never a label");

        let durations = samples(
            &rendered,
            &format!("{HTTP_REQUEST_DURATION_SECONDS}_bucket"),
            &[r#"route="/telemetry-test/offerings/{id}""#],
        );
        assert!(!durations.is_empty(), "{rendered}");
    }

    #[tokio::test]
    async fn a_request_that_matches_no_route_is_labelled_unmatched_not_by_its_uri() {
        let metrics = Metrics::new();
        assert_eq!(send(Method::GET, "/telemetry-test/nowhere/token-abc123").await, StatusCode::NOT_FOUND);
        let rendered = metrics.render();
        let unmatched =
            samples(&rendered, HTTP_REQUESTS_TOTAL, &[&format!(r#"route="{UNMATCHED_ROUTE}""#), r#"status="404""#]);
        assert_eq!(unmatched.len(), 1, "{rendered}");
        assert!(!rendered.contains("token-abc123"));
    }

    #[tokio::test]
    async fn an_unusual_method_is_labelled_other() {
        let metrics = Metrics::new();
        let method = Method::from_bytes(b"TELEMETRYTEST").expect("a valid method");
        assert_eq!(method_label(&method), "OTHER");
        send(method, "/telemetry-test/offerings/1").await;
        let rendered = metrics.render();
        assert!(!rendered.contains("TELEMETRYTEST"));
        let other = samples(&rendered, HTTP_REQUESTS_TOTAL, &[r#"method="OTHER""#]);
        assert_eq!(other.len(), 1, "{rendered}");
    }

    #[test]
    fn metrics_can_be_built_more_than_once() {
        let first = Metrics::new();
        let second = Metrics::default();
        metrics::counter!("vuxnav_telemetry_test_total").increment(1);
        assert!(first.render().contains("vuxnav_telemetry_test_total 1"));
        assert!(second.render().contains("vuxnav_telemetry_test_total 1"));
    }

    #[test]
    fn logging_can_be_initialised_twice() {
        init_logging(LogFormat::Json, None);
        init_logging(LogFormat::Text, Some("debug"));
        tracing::info!("logging works after two initialisations");
    }
}
