//! Bounded work for every request: the requests that once crashed or stalled the server are
//! refused before anything recursive or exponential runs, every documented limit refuses a
//! request just over it with `QUERY_TOO_COMPLEX` naming the limit and both figures, and the
//! server keeps answering.

use std::time::{Duration, Instant};

use vuxnav_gateway::config::GraphqlLimits;
use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// POSTs `query` asking for `application/graphql-response+json`; returns the status, the body
/// and how long the answer took.
async fn ask(app: &TestApp, query: &str) -> (StatusCode, Value, Duration) {
    let started = Instant::now();
    let reply = app
        .post(
            json!({ "query": query }).to_string(),
            &[("content-type", "application/json"), ("accept", GRAPHQL_RESPONSE_JSON)],
        )
        .await;
    (reply.status, reply.json(), started.elapsed())
}

/// Asserts a refusal of `limit`: 400, no data, `QUERY_TOO_COMPLEX` with the limit's key and
/// figures, and a message naming both figures.
#[track_caller]
fn assert_refused(app: &TestApp, (status, body, _): &(StatusCode, Value, Duration), limit: &str, max: usize) {
    assert_eq!(*status, StatusCode::BAD_REQUEST, "{}: {body}", app.backend);
    assert!(body.get("data").is_none(), "{}: a refusal has no data: {body}", app.backend);
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    let error = errors.iter().find(|error| error["extensions"]["limit"] == limit);
    let Some(error) = error else { panic!("{}: no error names `{limit}`: {body}", app.backend) };
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{}: {body}", app.backend);
    assert_eq!(error["extensions"]["max"], max, "{}: {body}", app.backend);
    let measured = error["extensions"]["measured"].as_u64().unwrap_or_default();
    assert!(measured > max as u64, "{}: the measured figure is over the limit: {body}", app.backend);
    let message = error["message"].as_str().unwrap_or_default().replace(',', "");
    assert!(
        message.contains(&measured.to_string()) && message.contains(&max.to_string()),
        "{}: the message names both figures: {body}",
        app.backend
    );
}

async fn assert_ready(app: &TestApp) {
    let reply = app.get("/readyz", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}: /readyz after the refusals", app.backend);
}

/// `fragment F1 on Query { ...F0 ...F0 }` and so on: 2^links selections once expanded.
fn fragment_chain(links: usize) -> String {
    let mut query = format!("{{ ...F{links} }} fragment F0 on Query {{ __typename }}");
    for i in 1..=links {
        query.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i - 1, i - 1));
    }
    query
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_value_nested_800_levels_that_crashed_the_server_is_refused_and_it_keeps_answering() {
    let limits = GraphqlLimits::default();
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for depth in [800, 5_000] {
            let value = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
            let answer = ask(&app, &format!("{{ __typename(x: {value}) }}")).await;
            assert_refused(&app, &answer, "max_nesting", limits.max_nesting);
            let filter = format!(
                "{{ offerings(filter: {{municipalities: {}\"0180\"{}}}) {{ totalCount }} }}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            assert_refused(&app, &ask(&app, &filter).await, "max_nesting", limits.max_nesting);
        }
        assert_ready(&app).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fragment_chains_that_stalled_the_server_are_refused_at_once() {
    let limits = GraphqlLimits::default();
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for links in [26, 30, 60] {
            let answer = ask(&app, &fragment_chain(links)).await;
            assert_refused(&app, &answer, "max_expanded_selections", limits.max_expanded_selections);
            assert!(answer.2 < Duration::from_secs(2), "{}: {links} links took {:?}", app.backend, answer.2);
        }
        // A short chain is an ordinary query.
        let data = app.data(&fragment_chain(5), Value::Null).await;
        assert_eq!(data["__typename"], "Query", "{}", app.backend);
        assert_ready(&app).await;
    }
}

/// One request just over each limit of `docs/api.md` (the defaults), each refused naming it.
#[tokio::test]
async fn every_documented_limit_refuses_a_request_just_over_it_naming_the_limit() {
    let limits = GraphqlLimits::default();
    let fields = |n: usize| vec!["a"; n].join(" ");
    let cases: Vec<(&str, usize, String)> = vec![
        (
            "max_document_bytes",
            limits.max_document_bytes,
            format!("{{ __typename }}{}", " ".repeat(limits.max_document_bytes)),
        ),
        ("max_tokens", limits.max_tokens, format!("{{ {} }}", fields(limits.max_tokens))),
        (
            "max_nesting",
            limits.max_nesting,
            format!("{}{}", "{ ... ".repeat(limits.max_nesting + 1), "}".repeat(limits.max_nesting + 1)),
        ),
        (
            "max_expanded_selections",
            limits.max_expanded_selections,
            format!(
                "{{ {} }} fragment F on Query {{ {} }}",
                "...F ".repeat(60),
                fields(limits.max_expanded_selections / 60)
            ),
        ),
        (
            "max_aliases",
            limits.max_aliases,
            format!(
                "{{ {} }}",
                (0..=limits.max_aliases).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" ")
            ),
        ),
        (
            "max_depth",
            limits.max_depth,
            format!(
                "{{ {}__typename{} }}",
                "offerings { nodes { course { ".repeat(limits.max_depth / 3 + 1),
                " } } }".repeat(limits.max_depth / 3 + 1)
            ),
        ),
        (
            "max_complexity",
            limits.max_complexity,
            "{ offerings(first: 500) { nodes { id course { offerings(first: 500) { nodes { id } } } } } }".to_owned(),
        ),
    ];
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for (limit, max, query) in &cases {
            let answer = ask(&app, query).await;
            assert_refused(&app, &answer, limit, *max);
        }
        assert_ready(&app).await;
    }
}

#[tokio::test]
async fn a_get_url_over_the_limit_is_414_with_a_json_body_naming_the_limit() {
    let max = GraphqlLimits::default().max_url_bytes;
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let query = format!("{{ __typename }}{}", "+".repeat(max));
        let reply = app.get(&format!("/graphql?query={query}"), &[("accept", GRAPHQL_RESPONSE_JSON)]).await;
        assert_eq!(reply.status, StatusCode::URI_TOO_LONG, "{}", app.backend);
        let body = reply.json();
        assert_eq!(body["errors"][0]["extensions"]["code"], "URI_TOO_LONG", "{}: {body}", app.backend);
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("at most {max}")), "{}: {body}", app.backend);
    }
}
