//! A seeded fuzzer against the real app over HTTP: 10,000 mutated requests (truncated and
//! spliced documents, random tokens, wrong variable types, values and selections nested
//! thousands deep, fragment chains, huge numbers, odd Unicode, wrong methods, content types
//! and bodies), sent eight at a time. Every answer must come (no reset, no timeout: a request
//! that stalls fails), with a status below 500, a JSON body whose errors carry a code and
//! never `INTERNAL`, and no `data` beside a refusal; afterwards `/readyz` answers and a query
//! still runs.
//!
//! The generator is a ChaCha8 stream from a fixed seed, so a failure is reproduced by its seed
//! and request number: `VUXNAV_FUZZ_SEED` (default 2026) and `VUXNAV_FUZZ_REQUESTS` (default
//! 10,000) change them. The corpus it mutates is every example of `docs/api.md`, the
//! introspection query GraphiQL sends, and a few requests with variables.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vuxnav_tests::{TestApp, Value, fresh_databases, json};

const DEFAULT_SEED: u64 = 2026;
const DEFAULT_REQUESTS: usize = 10_000;
const IN_FLIGHT: usize = 8;
/// A request that takes longer has stalled.
const STALL: Duration = Duration::from_secs(10);

/// One generated HTTP request.
#[derive(Debug, Clone)]
struct Probe {
    /// What the generator did, for the failure report.
    kind: &'static str,
    method: reqwest::Method,
    /// Path and query string.
    target: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
}

/// The documents the generator mutates, each with variables that fit it.
fn corpus() -> Vec<(String, Value)> {
    // Each ```graphql block of the guide, with the ```json block right after it as variables.
    let guide = include_str!("../../docs/api.md");
    let mut documents: Vec<(String, Value)> = guide
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| {
            let (query, rest) = block.split_once("\n```")?;
            let variables = rest
                .trim_start()
                .strip_prefix("```json\n")
                .and_then(|json| json.split_once("\n```"))
                .and_then(|(json, _)| serde_json::from_str(json).ok())
                .unwrap_or(Value::Null);
            Some((query.to_owned(), variables))
        })
        .collect();
    documents.push((include_str!("api/introspection.graphql").to_owned(), Value::Null));
    documents.extend([
        (
            "query($filter: OfferingFilterInput, $search: String, $first: Int, $after: String, $orderBy: OfferingOrderInput) \
             { offerings(filter: $filter, search: $search, first: $first, after: $after, orderBy: $orderBy) \
             { totalCount pageInfo { endCursor } facets { municipality { count } } nodes { id start course { title } } } }"
                .to_owned(),
            json!({ "filter": { "municipalities": ["0180"], "paceMin": 50, "startFrom": "2027-01-01", "schoolForms": ["VUXGY"] },
                    "search": "svenska", "first": 5, "orderBy": { "field": "TITLE", "direction": "DESC" } }),
        ),
        ("query($id: ID!) { node(id: $id) { id __typename } offering(id: $id) { id } }".to_owned(), json!({ "id": "x" })),
        (
            "query($forms: [SchoolForm!], $first: Int) { courses(schoolForms: $forms, first: $first) { nodes { title } } }"
                .to_owned(),
            json!({ "forms": ["VUXGR"], "first": 3 }),
        ),
        ("query($code: String) { course(code: $code) { title } }".to_owned(), json!({ "code": "MATMAT01c" })),
        (
            "query($source: String, $first: Int!) { harvestRuns(source: $source, first: $first) { edges { cursor } } }"
                .to_owned(),
            json!({ "first": 2 }),
        ),
        ("query A { __typename } query B { municipalities(inRegion: false) { code } }".to_owned(), Value::Null),
        ("{ sources { id status } }".to_owned(), Value::Null),
    ]);
    documents
}

/// Tokens spliced into documents: punctuation, names of the schema, keywords, numbers out of
/// every range, strings with odd Unicode, directives, variables, spreads.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "!",
    "$",
    "=",
    "@",
    "|",
    "&",
    "...",
    ".",
    ",",
    "#",
    "\"",
    "\"\"\"",
    "\\",
    "query",
    "mutation",
    "subscription",
    "fragment",
    "on",
    "true",
    "false",
    "null",
    "offerings",
    "offering",
    "node",
    "courses",
    "course",
    "providers",
    "municipalities",
    "sources",
    "harvestRuns",
    "__typename",
    "__schema",
    "__type(name: \"Query\")",
    "first",
    "after",
    "filter",
    "search",
    "orderBy",
    "id",
    "edges",
    "nodes",
    "totalCount",
    "facets",
    "$v",
    "$filter",
    "...F",
    "... on Offering",
    "fragment F on Query { __typename }",
    "@skip(if: true)",
    "@include(if: $v)",
    "@deprecated",
    "0",
    "-0",
    "1.5e3",
    "1e400",
    "-1e-400",
    "99999999999999999999",
    "-2147483649",
    "2147483648",
    "0x10",
    "1.",
    ".5",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\u{202e}evil\"",
    "\"\u{feff}\"",
    "\"å ä ö\"",
    "\"🦀\"",
    "\"\u{0301}\"",
    "\u{feff}",
    "\u{0}",
    "å",
    "🦀",
    "\u{2028}",
    "\r",
    "\t",
];

/// JSON that fits no type or many: nested deep, huge, odd Unicode.
fn random_json(rng: &mut ChaCha8Rng, depth: u32) -> Value {
    match rng.random_range(0..14) {
        0 => Value::Null,
        1 => json!(rng.random_bool(0.5)),
        2 => json!(rng.random::<i64>()),
        3 => json!(rng.random::<f64>() * 1e300),
        4 => [json!(3e9), json!(2_147_483_648_i64), json!(-2_147_483_649_i64), json!(1.5), json!(-0.0)]
            [rng.random_range(0..5)]
        .clone(),
        5 => json!(
            ["", "0180", "VUXGY", "NOPE", "2027-02-30", "\u{0}", "\u{202e}", "🦀", "å", "x".repeat(300).as_str()]
                [rng.random_range(0..10)]
        ),
        6 => {
            let levels = rng.random_range(1..200);
            let text = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
            serde_json::from_str(&text).unwrap_or(Value::Null)
        }
        7 => {
            let levels = rng.random_range(1..150);
            let mut value = json!(1);
            for _ in 0..levels {
                value = json!({ "a": value });
            }
            value
        }
        8 if depth < 3 => Value::Array((0..rng.random_range(0..5)).map(|_| random_json(rng, depth + 1)).collect()),
        9 if depth < 3 => {
            let keys = ["municipalities", "paceMin", "schoolForms", "startFrom", "field", "direction", "x", "", "🦀"];
            let object = (0..rng.random_range(0..5))
                .map(|_| (keys[rng.random_range(0..keys.len())].to_owned(), random_json(rng, depth + 1)))
                .collect();
            Value::Object(object)
        }
        10 => json!(vec!["0180"; rng.random_range(0..2_000)]),
        _ => json!(rng.random_range(-5..600)),
    }
}

/// A char boundary of `text` at or below `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate_document(rng: &mut ChaCha8Rng, document: &str) -> (&'static str, String) {
    let mut text = document.to_owned();
    let kind = match rng.random_range(0..4) {
        0 => {
            text.truncate(boundary(&text, rng.random_range(0..=text.len())));
            "truncated"
        }
        1 => {
            for _ in 0..rng.random_range(1..8) {
                let at = boundary(&text, rng.random_range(0..=text.len()));
                let token = TOKENS.choose(rng).copied().unwrap_or("{");
                text.insert_str(at, &format!(" {token} "));
            }
            "random tokens"
        }
        2 => {
            let start = boundary(&text, rng.random_range(0..=text.len()));
            let end = boundary(&text, start + rng.random_range(0..40)).max(start);
            text.replace_range(start..end, "");
            "span deleted"
        }
        _ => {
            let start = boundary(&text, rng.random_range(0..=text.len()));
            let end = boundary(&text, start + rng.random_range(0..200)).max(start);
            let span = text[start..end].to_owned();
            let at = boundary(&text, rng.random_range(0..=text.len()));
            text.insert_str(at, &span.repeat(rng.random_range(1..20)));
            "span repeated"
        }
    };
    (kind, text)
}

/// A document built to be heavy: deep values, deep selections, fragment chains, aliases.
fn heavy_document(rng: &mut ChaCha8Rng) -> (&'static str, String) {
    let levels = [3, 10, 31, 33, 64, 65, 200, 800, 3_000][rng.random_range(0..9)];
    match rng.random_range(0..7) {
        0 => ("deep object value", format!("{{ __typename(x: {}1{}) }}", "{a: ".repeat(levels), "}".repeat(levels))),
        1 => (
            "deep list in a filter",
            format!(
                "{{ offerings(filter: {{municipalities: {}\"0180\"{}}}) {{ totalCount }} }}",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
        ),
        2 => (
            "deep selections",
            format!(
                "{{ {}__typename{} }}",
                "offerings { edges { node { course { ".repeat(levels / 4 + 1),
                " } } } }".repeat(levels / 4 + 1)
            ),
        ),
        3 => {
            let links = rng.random_range(2..45);
            let mut text = format!("{{ ...F{links} }} fragment F0 on Query {{ __typename municipalities {{ code }} }}");
            let spreads = rng.random_range(1..4);
            for i in 1..=links {
                text.push_str(&format!(" fragment F{i} on Query {{ {} }}", format!("...F{} ", i - 1).repeat(spreads)));
            }
            ("fragment chain", text)
        }
        4 => (
            "fragment cycle",
            "{ ...A } fragment A on Query { ...B } fragment B on Query { offerings { totalCount } ...A }".to_owned(),
        ),
        5 => {
            let aliases = rng.random_range(1..200);
            let fields: Vec<String> =
                (0..aliases).map(|i| format!("a{i}: offerings(first: 500) {{ totalCount }}")).collect();
            ("aliases", format!("{{ {} }}", fields.join(" ")))
        }
        _ => {
            let count = rng.random_range(1..4_000);
            ("repeated fields and directives", format!("{{ {} }}", "__typename @skip(if: false) ".repeat(count)))
        }
    }
}

fn post(kind: &'static str, body: Vec<u8>, content_type: &str, accept: &str) -> Probe {
    Probe {
        kind,
        method: reqwest::Method::POST,
        target: "/graphql".to_owned(),
        headers: vec![("content-type", content_type.to_owned()), ("accept", accept.to_owned())],
        body: Some(body),
    }
}

fn generate(rng: &mut ChaCha8Rng, corpus: &[(String, Value)]) -> Probe {
    let accept = [
        "application/graphql-response+json",
        "application/json",
        "*/*",
        "application/graphql-response+json;q=0.5, application/json",
    ][rng.random_range(0..4)];
    let (document, variables) = corpus.choose(rng).cloned().unwrap_or_default();
    let (kind, document, variables) = match rng.random_range(0..20) {
        0 => ("unchanged", document, variables),
        1..=7 => {
            let (kind, document) = mutate_document(rng, &document);
            (kind, document, variables)
        }
        8..=10 => {
            let names = ["filter", "search", "first", "after", "orderBy", "id", "forms", "code", "source", "v"];
            let wrong = (0..rng.random_range(1..4))
                .map(|_| (names.choose(rng).copied().unwrap_or("v").to_owned(), random_json(rng, 0)));
            ("wrong variables", document, Value::Object(wrong.collect()))
        }
        11..=13 => {
            let (kind, document) = heavy_document(rng);
            (kind, document, Value::Null)
        }
        _ => return transport_probe(rng, &document, accept),
    };
    let mut body = json!({ "query": document, "variables": variables });
    if rng.random_bool(0.1) {
        body["operationName"] = json!(["A", "B", "", "Nope"][rng.random_range(0..4)]);
    }
    if rng.random_bool(0.05) {
        body["extensions"] = random_json(rng, 0);
    }
    post(kind, body.to_string().into_bytes(), "application/json", accept)
}

/// Requests wrong at the HTTP level: methods, content types, bodies, GET URLs.
fn transport_probe(rng: &mut ChaCha8Rng, document: &str, accept: &'static str) -> Probe {
    let json_body = json!({ "query": document }).to_string().into_bytes();
    match rng.random_range(0..9) {
        0 => {
            let method = [
                reqwest::Method::PUT,
                reqwest::Method::DELETE,
                reqwest::Method::PATCH,
                reqwest::Method::OPTIONS,
                reqwest::Method::HEAD,
            ][rng.random_range(0..5)]
            .clone();
            Probe {
                kind: "wrong method",
                method,
                target: "/graphql".to_owned(),
                headers: vec![("accept", accept.to_owned())],
                body: Some(json_body),
            }
        }
        1 => {
            let content_type = [
                "text/plain",
                "application/graphql",
                "multipart/form-data; boundary=x",
                "application/json; charset=latin1",
                "application/x-www-form-urlencoded",
                "",
            ][rng.random_range(0..6)];
            post("wrong content type", json_body, content_type, accept)
        }
        2 => {
            let bodies: [&[u8]; 9] = [
                b"",
                b"   ",
                b"null",
                b"[]",
                b"\"query\"",
                b"{\"query\": 1}",
                b"{\"query\": \"{}\", \"variables\": []}",
                b"{\"query\"",
                b"\xff\xfe{}",
            ];
            post("malformed body", bodies[rng.random_range(0..bodies.len())].to_vec(), "application/json", accept)
        }
        3 => {
            let mut body = json_body;
            body.truncate(rng.random_range(0..=body.len()));
            post("truncated body", body, "application/json", accept)
        }
        4 => post(
            "deeply nested JSON body",
            format!(
                "{{\"query\": \"{{ __typename }}\", \"variables\": {{\"v\": {}1{}}}}}",
                "[".repeat(5_000),
                "]".repeat(5_000)
            )
            .into_bytes(),
            "application/json",
            accept,
        ),
        5 => post(
            "lone surrogate in JSON",
            br#"{"query": "{ offerings(search: \"\ud800\") { totalCount } }"}"#.to_vec(),
            "application/json",
            accept,
        ),
        _ => {
            let mut target = String::from("/graphql?query=");
            let encoded: String = document.bytes().map(|b| format!("%{b:02X}")).collect();
            target.push_str(&encoded.repeat(rng.random_range(1..8)));
            if rng.random_bool(0.3) {
                target.push_str("&variables=%7B%22v%22%3A");
            }
            if rng.random_bool(0.1) {
                target.push_str("&query=x");
            }
            Probe {
                kind: "GET",
                method: reqwest::Method::GET,
                target,
                headers: vec![("accept", accept.to_owned())],
                body: None,
            }
        }
    }
}

/// Why an answer breaks the rules; `None` when it keeps them.
fn judge(probe: &Probe, status: reqwest::StatusCode, content_type: &str, body: &[u8]) -> Option<String> {
    if status.is_server_error() {
        return Some(format!("status {status}"));
    }
    // HEAD has no body; OPTIONS is the CORS preflight, answered with headers only (its answers
    // are tested in tests/tests/api/browsers.rs).
    if probe.method == reqwest::Method::HEAD || probe.method == reqwest::Method::OPTIONS {
        return None;
    }
    if !content_type.starts_with("application/json") && !content_type.starts_with("application/graphql-response+json") {
        return Some(format!("content type `{content_type}`"));
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return Some(format!("not a JSON object: {}", String::from_utf8_lossy(body)));
    };
    let errors = body.get("errors").and_then(Value::as_array);
    if status != reqwest::StatusCode::OK && (errors.is_none_or(Vec::is_empty) || body.contains_key("data")) {
        return Some("a refusal without errors or with data".to_owned());
    }
    for error in errors.into_iter().flatten() {
        match error["extensions"]["code"].as_str() {
            None => return Some(format!("an error without a code: {error}")),
            Some("INTERNAL") => return Some(format!("INTERNAL: {error}")),
            Some(_) => {}
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_mutated_requests_get_no_5xx_no_internal_and_no_reset() {
    let seed = std::env::var("VUXNAV_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED);
    let count = std::env::var("VUXNAV_FUZZ_REQUESTS").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_REQUESTS);
    let corpus = corpus();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let probes: Vec<Probe> = (0..count).map(|_| generate(&mut rng, &corpus)).collect();
    vuxnav_connectors::fetch::install_crypto_provider();
    let client = reqwest::Client::builder().no_proxy().timeout(STALL).build().expect("an HTTP client");

    for db in fresh_databases().await {
        // One client address sends every request: the anonymous rate limit would answer most
        // of them 429 before they reached what this test is about.
        let app = TestApp::builder()
            .config("[access.rate_limits]\nanonymous = { requests = 1000000, window_seconds = 60 }")
            .demo_data()
            .spawn(&db)
            .await;
        let base = format!("http://{}", app.address);
        let refused = AtomicUsize::new(0);
        let started = Instant::now();
        let failures: Vec<String> = futures::stream::iter(probes.iter().enumerate())
            .map(|(index, probe)| {
                let mut request = client.request(probe.method.clone(), format!("{base}{}", probe.target));
                for (name, value) in &probe.headers {
                    request = request.header(*name, value.as_str());
                }
                if let Some(body) = &probe.body {
                    request = request.body(body.clone());
                }
                let refused = &refused;
                async move {
                    let failure = match request.send().await {
                        Err(error) => Some(format!("no answer: {error}")),
                        Ok(response) => {
                            let status = response.status();
                            if status != reqwest::StatusCode::OK {
                                refused.fetch_add(1, Ordering::Relaxed);
                            }
                            let content_type = response
                                .headers()
                                .get("content-type")
                                .and_then(|value| value.to_str().ok())
                                .unwrap_or_default()
                                .to_owned();
                            match response.bytes().await {
                                Err(error) => Some(format!("the body broke off: {error}")),
                                Ok(body) => judge(probe, status, &content_type, &body),
                            }
                        }
                    };
                    failure.map(|why| {
                        let body = probe.body.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
                        let body: String = body.chars().take(300).collect();
                        let target: String = probe.target.chars().take(200).collect();
                        format!(
                            "#{index} ({}): {} {target} {:?} {body}\n    -> {why}",
                            probe.kind, probe.method, probe.headers
                        )
                    })
                }
            })
            .buffer_unordered(IN_FLIGHT)
            .filter_map(|failure| async move { failure })
            .collect()
            .await;
        let elapsed = started.elapsed();
        println!(
            "{}: {count} requests (seed {seed}) in {:.1} s, {:.0} requests/s, {} refused",
            app.backend,
            elapsed.as_secs_f64(),
            count as f64 / elapsed.as_secs_f64(),
            refused.load(Ordering::Relaxed)
        );
        assert!(
            failures.is_empty(),
            "{}: {} of {count} requests (seed {seed}) broke the rules; the first ten:\n{}",
            app.backend,
            failures.len(),
            failures.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
        );
        let ready = app.get("/readyz", &[]).await;
        assert_eq!(ready.status, reqwest::StatusCode::OK, "{}: /readyz after the fuzzing", app.backend);
        let data = app.data("{ offerings(first: 1) { totalCount } }", Value::Null).await;
        assert!(data["offerings"]["totalCount"].as_u64().is_some_and(|n| n > 0), "{}", app.backend);
    }
}
