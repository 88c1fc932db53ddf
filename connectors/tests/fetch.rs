//! The shared HTTP rules, against a real HTTP server on loopback.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{TimeZone, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION};
use vuxnav_connectors::ConnectorError;
use vuxnav_connectors::events::{RecordReceived, RecordRejected};
use vuxnav_connectors::fetch::{FetchOptions, Fetcher, parse_retry_after, refused_range, retry_delay};
use vuxnav_schema::SourceId;

/// Starts `app` on 127.0.0.1 on a free port.
async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port on loopback");
    let address = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });
    address
}

fn test_options() -> FetchOptions {
    FetchOptions {
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(20),
        allow_private_network: true,
        ..FetchOptions::default()
    }
}

fn fetcher(options: FetchOptions) -> Fetcher {
    let source = SourceId::parse("test-source").expect("a valid source id");
    Fetcher::new(source, options).expect("the HTTP client builds")
}

fn url(address: SocketAddr, path: &str) -> Url {
    Url::parse(&format!("http://{address}{path}")).expect("a valid URL")
}

/// Answers the statuses in `script` in turn (the last one from then on) and counts the calls.
fn scripted(script: Vec<(StatusCode, Vec<(&'static str, &'static str)>)>) -> (Router, Arc<Mutex<Vec<Instant>>>) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    let app = Router::new().route(
        "/data",
        get(move || {
            let calls = calls.clone();
            let script = script.clone();
            async move {
                let index = {
                    let mut calls = calls.lock().expect("the call log");
                    calls.push(Instant::now());
                    calls.len() - 1
                };
                let (status, headers) = script[index.min(script.len() - 1)].clone();
                let mut response = (status, format!("answer {}", index + 1)).into_response();
                for (name, value) in headers {
                    response.headers_mut().insert(name, value.parse().expect("a valid header value"));
                }
                response
            }
        }),
    );
    (app, seen)
}

#[tokio::test]
async fn a_503_then_a_200_is_retried_and_succeeds() {
    let (app, calls) = scripted(vec![(StatusCode::SERVICE_UNAVAILABLE, vec![]), (StatusCode::OK, vec![])]);
    let address = serve(app).await;

    let response = fetcher(test_options()).get(&url(address, "/data"), &[]).await.unwrap();

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, b"answer 2");
    assert_eq!(calls.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_backoff_max() {
    let (app, calls) =
        scripted(vec![(StatusCode::TOO_MANY_REQUESTS, vec![("retry-after", "1")]), (StatusCode::OK, vec![])]);
    let address = serve(app).await;
    let options = FetchOptions { backoff_max: Duration::from_millis(300), ..test_options() };

    fetcher(options).get(&url(address, "/data"), &[]).await.unwrap();

    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 2);
    // Full jitter alone would wait at most backoff_base (1 ms); Retry-After asks for 1 s, capped
    // at backoff_max.
    assert!(calls[1] - calls[0] >= Duration::from_millis(300), "waited {:?}", calls[1] - calls[0]);
}

#[test]
fn the_retry_delay_follows_retry_after_capped_and_otherwise_full_jitter() {
    let options = FetchOptions {
        backoff_base: Duration::from_millis(100),
        backoff_max: Duration::from_secs(2),
        ..FetchOptions::default()
    };
    let mut rng = StdRng::seed_from_u64(7);

    assert_eq!(retry_delay(0, Some(Duration::from_secs(1)), &options, &mut rng), Duration::from_secs(1));
    assert_eq!(retry_delay(0, Some(Duration::from_secs(120)), &options, &mut rng), Duration::from_secs(2));
    for retry in 0..10 {
        let ceiling = (Duration::from_millis(100) * 2u32.pow(retry)).min(Duration::from_secs(2));
        for _ in 0..50 {
            assert!(retry_delay(retry, None, &options, &mut rng) <= ceiling);
        }
    }
    let waits: Vec<_> = (0..50).map(|_| retry_delay(5, None, &options, &mut rng)).collect();
    assert!(waits.iter().any(|wait| *wait != waits[0]), "the wait is jittered");
    assert!(retry_delay(u32::MAX, None, &options, &mut rng) <= options.backoff_max);
}

#[test]
fn retry_after_is_read_as_seconds_or_as_an_http_date() {
    let now = Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 0).unwrap();
    assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now), Some(Duration::from_secs(60)));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now), Some(Duration::ZERO));
    assert_eq!(parse_retry_after("soon", now), None);
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let (app, calls) = scripted(vec![(StatusCode::NOT_FOUND, vec![])]);
    let address = serve(app).await;
    let target = url(address, "/data");

    let error = fetcher(test_options()).get(&target, &[]).await.unwrap_err();

    assert_eq!(calls.lock().unwrap().len(), 1);
    let message = error.to_string();
    assert!(message.contains(target.as_str()) && message.contains("404") && message.contains("1 attempt"), "{message}");
}

#[tokio::test]
async fn a_server_error_that_persists_fails_naming_the_url_the_status_and_the_attempts() {
    let (app, calls) = scripted(vec![(StatusCode::BAD_GATEWAY, vec![])]);
    let address = serve(app).await;
    let target = url(address, "/data");

    let error = fetcher(FetchOptions { retries: 2, ..test_options() }).get(&target, &[]).await.unwrap_err();

    assert_eq!(calls.lock().unwrap().len(), 3);
    let message = error.to_string();
    assert!(
        message.contains(target.as_str()) && message.contains("502") && message.contains("3 attempts"),
        "{message}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_too_large_without_reading_it_all() {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let app = Router::new().route(
        "/endless",
        get(move || {
            let counter = counter.clone();
            async move {
                let chunks = futures::stream::repeat_with(move || {
                    counter.fetch_add(64 * 1024, Ordering::Relaxed);
                    Ok::<_, std::io::Error>(vec![b'x'; 64 * 1024])
                });
                Body::from_stream(chunks)
            }
        }),
    );
    let address = serve(app).await;
    let target = url(address, "/endless");
    let limit = 1024 * 1024;

    let error = fetcher(FetchOptions { max_body_bytes: limit, ..test_options() }).get(&target, &[]).await.unwrap_err();

    match error {
        ConnectorError::TooLarge { url, limit: reported } => {
            assert_eq!(url, target.as_str());
            assert_eq!(reported, limit);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // The server produced the limit plus what sits in socket buffers, not an endless body.
    assert!(sent.load(Ordering::Relaxed) < 64 * limit);
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_too_large_before_the_body_is_read() {
    let app = Router::new().route("/big", get(|| async { vec![b'x'; 4096] }));
    let address = serve(app).await;

    let error = fetcher(FetchOptions { max_body_bytes: 1000, ..test_options() })
        .get(&url(address, "/big"), &[])
        .await
        .unwrap_err();

    assert!(matches!(error, ConnectorError::TooLarge { limit: 1000, .. }), "{error:?}");
}

#[tokio::test]
async fn a_url_on_loopback_is_refused_unless_the_source_allows_private_networks() {
    let (app, calls) = scripted(vec![(StatusCode::OK, vec![])]);
    let address = serve(app).await;
    let target = url(address, "/data");

    let error =
        fetcher(FetchOptions { allow_private_network: false, ..test_options() }).get(&target, &[]).await.unwrap_err();

    let message = error.to_string();
    assert!(message.contains(target.as_str()) && message.contains("127.0.0.1"), "{message}");
    assert!(message.contains("loopback") && message.contains("allow_private_network"), "{message}");
    assert!(calls.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_host_name_that_resolves_to_loopback_is_refused() {
    let target = Url::parse("http://localhost:9/data").unwrap();

    let error =
        fetcher(FetchOptions { allow_private_network: false, ..test_options() }).get(&target, &[]).await.unwrap_err();

    let message = error.to_string();
    assert!(message.contains("`localhost` resolves to") && message.contains("loopback"), "{message}");
}

#[tokio::test]
async fn a_redirect_to_the_metadata_address_is_refused_even_where_private_networks_are_allowed() {
    let app = Router::new().route(
        "/data",
        get(|| async { (StatusCode::FOUND, [("location", "http://169.254.169.254/latest/meta-data/")]) }),
    );
    let address = serve(app).await;

    let error = fetcher(test_options()).get(&url(address, "/data"), &[]).await.unwrap_err();

    let message = error.to_string();
    assert!(message.contains("169.254.169.254") && message.contains("cloud metadata"), "{message}");
}

#[tokio::test]
async fn the_resolver_hands_over_only_checked_addresses_and_refuses_a_name_with_any_refused_one() {
    use reqwest::dns::Resolve as _;
    use vuxnav_connectors::ssrf::{GuardedResolver, NetworkPolicy};

    let name = |text: &str| text.parse::<reqwest::dns::Name>().expect("a name");
    let public = GuardedResolver { policy: NetworkPolicy::PublicOnly }.resolve(name("localhost")).await;
    let private = GuardedResolver { policy: NetworkPolicy::AllowPrivate }.resolve(name("localhost")).await;

    let refused = public.err().map(|error| error.to_string()).unwrap_or_default();
    assert!(refused.contains("`localhost` resolves to") && refused.contains("loopback"), "{refused}");
    let addresses: Vec<SocketAddr> = private.expect("allowed under the explicit policy").collect();
    assert!(!addresses.is_empty() && addresses.iter().all(|a| a.ip().is_loopback()), "{addresses:?}");
}

#[test]
fn refused_ranges_cover_loopback_link_local_private_unspecified_and_multicast() {
    let range = |ip: &str| refused_range(ip.parse().unwrap());
    assert_eq!(range("127.0.0.1"), Some("loopback"));
    assert_eq!(range("::1"), Some("loopback"));
    assert_eq!(range("169.254.169.254"), Some("link-local"));
    assert_eq!(range("fe80::1"), Some("link-local"));
    assert_eq!(range("10.1.2.3"), Some("private"));
    assert_eq!(range("172.16.0.1"), Some("private"));
    assert_eq!(range("192.168.1.1"), Some("private"));
    assert_eq!(range("fd12:3456::1"), Some("private"));
    assert_eq!(range("::ffff:10.0.0.1"), Some("private"));
    assert_eq!(range("0.0.0.0"), Some("unspecified"));
    assert_eq!(range("::"), Some("unspecified"));
    assert_eq!(range("224.0.0.1"), Some("multicast"));
    assert_eq!(range("ff02::1"), Some("multicast"));
    assert_eq!(range("93.184.216.34"), None);
    assert_eq!(range("2a00:1450:4001::1"), None);
}

#[tokio::test]
async fn a_timeout_is_retried_then_fails_naming_the_url() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Router::new().route(
        "/slow",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<&'static str>()
        }),
    );
    let address = serve(app).await;
    let target = url(address, "/slow");
    let options = FetchOptions { timeout: Duration::from_millis(100), retries: 2, ..test_options() };

    let error = fetcher(options).get(&target, &[]).await.unwrap_err();

    let message = error.to_string();
    assert!(message.contains(target.as_str()) && message.contains("timed out"), "{message}");
    assert!(message.contains("3 attempts"), "{message}");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn headers_are_sent_and_their_values_stay_out_of_errors() {
    let seen = Arc::new(Mutex::new(None));
    let store = seen.clone();
    let app = Router::new().route(
        "/auth",
        get(move |headers: HeaderMap| {
            let store = store.clone();
            async move {
                *store.lock().unwrap() = Some(headers);
                Response::builder().status(StatusCode::UNAUTHORIZED).body(Body::empty()).unwrap()
            }
        }),
    );
    let address = serve(app).await;
    let headers = [
        (ACCEPT, "application/vnd.skolverket.plannededucations.api.v4.hal+json".to_owned()),
        (AUTHORIZATION, "Bearer s3cr3t".to_owned()),
    ];

    let error = fetcher(test_options()).get(&url(address, "/auth"), &headers).await.unwrap_err();

    let seen = seen.lock().unwrap().clone().unwrap();
    assert_eq!(seen[ACCEPT], "application/vnd.skolverket.plannededucations.api.v4.hal+json");
    assert_eq!(seen[AUTHORIZATION], "Bearer s3cr3t");
    assert!(error.to_string().contains("401"), "{error}");
    assert!(!format!("{error} {error:?}").contains("s3cr3t"));
}

#[tokio::test]
async fn a_fetch_can_be_spawned_on_any_worker_thread() {
    fn is_send<T: Send>(_: &T) {}
    let fetcher = fetcher(test_options());
    let target = Url::parse("http://127.0.0.1:9/").unwrap();
    let future = fetcher.get(&target, &[]);
    is_send(&future);
}

/// Counts what is recorded, by `name{label=value,…}`.
#[derive(Clone, Default)]
struct CountingRecorder(Arc<Mutex<std::collections::BTreeMap<String, u64>>>);

struct CountHandle {
    key: String,
    counts: Arc<Mutex<std::collections::BTreeMap<String, u64>>>,
}

impl metrics::CounterFn for CountHandle {
    fn increment(&self, value: u64) {
        *self.counts.lock().expect("the counts").entry(self.key.clone()).or_default() += value;
    }

    fn absolute(&self, value: u64) {
        self.counts.lock().expect("the counts").insert(self.key.clone(), value);
    }
}

impl metrics::Recorder for CountingRecorder {
    fn describe_counter(&self, _: metrics::KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {}
    fn describe_gauge(&self, _: metrics::KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {}
    fn describe_histogram(&self, _: metrics::KeyName, _: Option<metrics::Unit>, _: metrics::SharedString) {}

    fn register_counter(&self, key: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Counter {
        let labels: Vec<String> = key.labels().map(|label| format!("{}={}", label.key(), label.value())).collect();
        let key = format!("{}{{{}}}", key.name(), labels.join(","));
        metrics::Counter::from_arc(Arc::new(CountHandle { key, counts: self.0.clone() }))
    }

    fn register_gauge(&self, _: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Gauge {
        metrics::Gauge::noop()
    }

    fn register_histogram(&self, _: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Histogram {
        metrics::Histogram::noop()
    }
}

#[test]
fn every_attempt_and_every_record_is_counted_by_source_and_outcome() {
    // The server runs on its own threads; the fetch runs on this one, where the recorder is.
    let server = tokio::runtime::Runtime::new().unwrap();
    let (app, _calls) = scripted(vec![(StatusCode::SERVICE_UNAVAILABLE, vec![]), (StatusCode::OK, vec![])]);
    let address = server.block_on(serve(app));
    let client = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let recorder = CountingRecorder::default();
    let source = SourceId::parse("test-source").unwrap();
    let rejection = vuxnav_connectors::Rejection::new("KT-17", "Startdatum", "`17/13/2026` is not a date");

    metrics::with_local_recorder(&recorder, || {
        client.block_on(fetcher(test_options()).get(&url(address, "/data"), &[])).unwrap();
        RecordReceived { source: &source }.emit();
        RecordReceived { source: &source }.emit();
        RecordRejected::of(&source, &rejection).emit();
    });

    let counts = recorder.0.lock().unwrap().clone();
    let expected: std::collections::BTreeMap<String, u64> = [
        ("vuxnav_connector_records_total{source=test-source,outcome=received}", 2),
        ("vuxnav_connector_records_total{source=test-source,outcome=rejected}", 1),
        ("vuxnav_connector_requests_total{source=test-source,outcome=error}", 1),
        ("vuxnav_connector_requests_total{source=test-source,outcome=ok}", 1),
    ]
    .into_iter()
    .map(|(key, count)| (key.to_owned(), count))
    .collect();
    assert_eq!(counts, expected);
}
