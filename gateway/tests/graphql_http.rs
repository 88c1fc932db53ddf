//! The GraphQL-over-HTTP transport against a tiny schema: negotiation, parameters, status
//! codes, error bodies, limits and GraphiQL, all in-process through `tower::ServiceExt`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::{Context, EmptySubscription, ErrorExtensions, Object, Schema};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use vuxnav_gateway::graphql::limits::DocumentLimits;
use vuxnav_gateway::http::graphql_http::{GraphQlHttp, HttpLimits, router};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

struct QueryRoot;

#[Object]
impl QueryRoot {
    async fn greet(&self, name: String) -> String {
        format!("hej {name}")
    }

    async fn missing(&self) -> async_graphql::Result<i32> {
        Err(async_graphql::Error::new("no such thing").extend_with(|_, extensions| extensions.set("code", "NOT_FOUND")))
    }

    async fn caller(&self, context: &Context<'_>) -> Option<String> {
        context.data_opt::<Caller>().map(|caller| caller.0.clone())
    }
}

struct MutationRoot;

#[Object]
impl MutationRoot {
    async fn touch(&self) -> bool {
        true
    }
}

/// Request data the hook attaches, read from a header.
struct Caller(String);

type TestSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

fn schema() -> TestSchema {
    Schema::new(QueryRoot, MutationRoot, EmptySubscription)
}

fn app() -> Router {
    router(schema(), HttpLimits::default(), true)
}

fn app_with_limit(max_body_bytes: usize) -> Router {
    router(schema(), HttpLimits { max_body_bytes, ..HttpLimits::default() }, false)
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text))
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(&name).and_then(|value| value.to_str().ok()).unwrap_or_default()
    }

    fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE)
    }

    /// Asserts a GraphQL-style error body without `data` whose first error has `code` and a
    /// lowercase-first message containing `mentions`.
    fn assert_error(&self, status: StatusCode, code: &str, mentions: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        let body = self.json();
        assert!(body.get("data").is_none(), "error body has data: {body}");
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], code, "{body}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(mentions), "message {message:?} does not mention {mentions:?}");
        assert!(message.starts_with(|c: char| !c.is_uppercase()), "message {message:?} is not lowercase-first");
    }
}

async fn send(app: Router, request: Request<Body>) -> Reply {
    let response = app.oneshot(request).await.expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the body is readable");
    Reply { status, headers, text: String::from_utf8(bytes.to_vec()).expect("the body is utf-8") }
}

fn post(body: impl Into<Body>, accept: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(body.into()).expect("a valid request")
}

fn post_json(body: &Value, accept: Option<&str>) -> Request<Body> {
    post(body.to_string(), accept)
}

fn get(params: &[(&str, &str)], accept: Option<&str>) -> Request<Body> {
    let url = reqwest::Url::parse_with_params("http://localhost/graphql", params).expect("a valid url");
    let mut request = Request::get(format!("/graphql?{}", url.query().unwrap_or_default()));
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(Body::empty()).expect("a valid request")
}

// Content negotiation

#[tokio::test]
async fn accept_application_json_answers_application_json_in_utf8() {
    let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some("application/json"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "application/json; charset=utf-8");
    assert_eq!(reply.json(), json!({"data": {"__typename": "QueryRoot"}}));
}

#[tokio::test]
async fn accept_graphql_response_json_answers_graphql_response_json_in_utf8() {
    let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some(GRAPHQL_RESPONSE_JSON))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type(), "application/graphql-response+json; charset=utf-8");
}

#[tokio::test]
async fn a_wildcard_or_missing_accept_means_application_json() {
    for accept in [Some("*/*"), Some("application/*"), None, Some("")] {
        let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), accept)).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
        assert_eq!(reply.content_type(), "application/json; charset=utf-8", "{accept:?}");
    }
}

#[tokio::test]
async fn graphql_response_json_is_preferred_when_listed_with_equal_weight() {
    for accept in [
        "application/json, application/graphql-response+json",
        "application/graphql-response+json, application/json;q=0.9",
        "*/*, application/graphql-response+json",
    ] {
        let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some(accept))).await;
        assert!(reply.content_type().starts_with(GRAPHQL_RESPONSE_JSON), "{accept}: {}", reply.content_type());
    }
}

#[tokio::test]
async fn q_values_decide_between_the_two_json_types() {
    let accept = "application/graphql-response+json;q=0.5, application/json";
    let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some(accept))).await;
    assert!(reply.content_type().starts_with("application/json"), "{}", reply.content_type());

    let accept = "application/json;q=0, application/graphql-response+json;q=0.1";
    let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some(accept))).await;
    assert!(reply.content_type().starts_with(GRAPHQL_RESPONSE_JSON), "{}", reply.content_type());
}

#[tokio::test]
async fn an_accept_with_nothing_servable_is_406_with_a_graphql_error() {
    for accept in ["text/plain", "application/xml, text/*", "application/json;q=0", "application/json; charset=latin1"]
    {
        let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some(accept))).await;
        reply.assert_error(StatusCode::NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "`Accept`");
        assert_eq!(reply.content_type(), "application/json; charset=utf-8");
    }
}

#[tokio::test]
async fn responses_vary_on_accept() {
    let reply = send(app(), get(&[("query", "{ __typename }")], None)).await;
    assert_eq!(reply.header(header::VARY), "accept");
}

// GET

#[tokio::test]
async fn a_get_with_url_encoded_variables_runs_the_query() {
    let params = [
        ("query", "query Greet($name: String!) { greet(name: $name) }"),
        ("variables", r#"{"name":"Åsa"}"#),
        ("operationName", "Greet"),
        ("extensions", r#"{"some":"value"}"#),
    ];
    let reply = send(app(), get(&params, Some("application/json"))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json(), json!({"data": {"greet": "hej Åsa"}}));
}

#[tokio::test]
async fn a_get_without_query_is_400_naming_query() {
    let reply = send(app(), get(&[("variables", "{}")], None)).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`query`");
}

#[tokio::test]
async fn a_get_with_variables_that_are_not_json_or_not_an_object_is_400_naming_variables() {
    for variables in ["{not json", "[1]", "\"name\""] {
        let reply = send(app(), get(&[("query", "{ __typename }"), ("variables", variables)], None)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`variables`");
    }
}

#[tokio::test]
async fn a_get_with_a_repeated_parameter_is_400_naming_it() {
    let reply = send(app(), get(&[("query", "{ __typename }"), ("query", "{ __typename }")], None)).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`query`");
}

#[tokio::test]
async fn a_mutation_over_get_is_405_allowing_post() {
    let reply = send(app(), get(&[("query", "mutation { touch }")], Some(GRAPHQL_RESPONSE_JSON))).await;
    reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "mutation");
    assert_eq!(reply.header(header::ALLOW), "POST");
}

#[tokio::test]
async fn a_subscription_over_get_is_405_allowing_post() {
    let reply = send(app(), get(&[("query", "subscription { __typename }")], None)).await;
    reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "subscription");
    assert_eq!(reply.header(header::ALLOW), "POST");
}

#[tokio::test]
async fn a_get_selects_the_operation_by_name_before_deciding_on_mutations() {
    let document = "query Read { greet(name: \"x\") } mutation Write { touch }";
    let reply = send(app(), get(&[("query", document), ("operationName", "Read")], None)).await;
    assert_eq!(reply.json(), json!({"data": {"greet": "hej x"}}));

    let reply = send(app(), get(&[("query", document), ("operationName", "Write")], None)).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
}

// POST

#[tokio::test]
async fn a_mutation_over_post_runs() {
    let reply = send(app(), post_json(&json!({"query": "mutation { touch }"}), None)).await;
    assert_eq!(reply.json(), json!({"data": {"touch": true}}));
}

#[tokio::test]
async fn a_post_with_a_utf8_charset_is_accepted() {
    for content_type in ["application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""] {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(json!({"query": "{ greet(name: \"Run🏃Swim🏊\") }"}).to_string()))
            .expect("a valid request");
        let reply = send(app(), request).await;
        assert_eq!(reply.json(), json!({"data": {"greet": "hej Run🏃Swim🏊"}}), "{content_type}");
    }
}

#[tokio::test]
async fn a_post_without_content_type_is_415() {
    let request = Request::post("/graphql").body(Body::from(r#"{"query":"{ __typename }"}"#)).expect("a valid request");
    send(app(), request).await.assert_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
        "`Content-Type`",
    );
}

#[tokio::test]
async fn a_post_with_an_unsupported_content_type_or_charset_is_415() {
    for (content_type, mentions) in [
        ("text/plain", "text/plain"),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("application/json; charset=iso-8859-1", "iso-8859-1"),
    ] {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(r#"{"query":"{ __typename }"}"#))
            .expect("a valid request");
        send(app(), request).await.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", mentions);
    }
}

#[tokio::test]
async fn a_post_without_a_body_is_400() {
    let reply = send(app(), post(Body::empty(), None)).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "body");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_400_whatever_the_accept() {
    for accept in ["application/json", GRAPHQL_RESPONSE_JSON] {
        let reply = send(app(), post(r#"{ "not a JSON"#, Some(accept))).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "JSON");
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_400() {
    let reply = send(app(), post("[1, 2]", None)).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "JSON object");
}

#[tokio::test]
async fn a_missing_query_is_400_naming_query() {
    for body in [json!({"qeury": "{ __typename }"}), json!({"query": null})] {
        let reply = send(app(), post_json(&body, Some(GRAPHQL_RESPONSE_JSON))).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`query` is required");
    }
}

#[tokio::test]
async fn a_query_that_is_not_a_string_is_400_naming_query() {
    for query in [json!({"obj": "ect"}), json!(0), json!(false), json!(["array"])] {
        let reply = send(app(), post_json(&json!({"query": query}), None)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`query` must be a string");
    }
}

#[tokio::test]
async fn an_operation_name_that_is_not_a_string_is_400_naming_it() {
    for name in [json!({"obj": "ect"}), json!(0), json!(false), json!(["array"])] {
        let reply = send(app(), post_json(&json!({"query": "{ __typename }", "operationName": name}), None)).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`operationName` must be a string");
    }
}

#[tokio::test]
async fn variables_or_extensions_that_are_not_objects_are_400_naming_the_parameter() {
    for parameter in ["variables", "extensions"] {
        for value in [json!("string"), json!(0), json!(false), json!(["array"])] {
            let reply = send(app(), post_json(&json!({"query": "{ __typename }", parameter: value}), None)).await;
            reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", &format!("`{parameter}` must be a JSON object"));
        }
    }
}

#[tokio::test]
async fn null_variables_operation_name_and_extensions_are_allowed() {
    for parameter in ["variables", "operationName", "extensions"] {
        for accept in ["application/json", GRAPHQL_RESPONSE_JSON] {
            let body = json!({"query": "{ __typename }", parameter: null});
            let reply = send(app(), post_json(&body, Some(accept))).await;
            assert_eq!(reply.status, StatusCode::OK, "{parameter} {accept}");
            assert_eq!(reply.json(), json!({"data": {"__typename": "QueryRoot"}}));
        }
    }
}

// GraphQL request errors and execution errors

#[tokio::test]
async fn a_parse_error_with_graphql_response_json_is_400_without_data() {
    let reply = send(app(), post_json(&json!({"query": "{"}), Some(GRAPHQL_RESPONSE_JSON))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body = reply.json();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED");
    assert!(body["errors"][0]["locations"].is_array(), "{body}");
}

#[tokio::test]
async fn a_parse_error_with_application_json_is_200_without_data() {
    let reply = send(app(), post_json(&json!({"query": "{"}), Some("application/json"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED");
}

#[tokio::test]
async fn a_validation_error_with_graphql_response_json_is_400_without_data() {
    let reply = send(app(), post_json(&json!({"query": "{ nosuchfield }"}), Some(GRAPHQL_RESPONSE_JSON))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let body = reply.json();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_validation_error_with_application_json_is_200_without_data() {
    let reply = send(app(), post_json(&json!({"query": "{ nosuchfield }"}), Some("application/json"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
}

#[tokio::test]
async fn a_variable_coercion_failure_is_a_request_error() {
    let body = json!({"query": "query Greet($name: String!) { greet(name: $name) }", "variables": {"name": null}});
    let reply = send(app(), post_json(&body, Some(GRAPHQL_RESPONSE_JSON))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert!(reply.json().get("data").is_none(), "{}", reply.text);

    let reply = send(app(), post_json(&body, Some("application/json"))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.json().get("data").is_none(), "{}", reply.text);
}

#[tokio::test]
async fn an_unknown_or_missing_operation_name_is_a_request_error_naming_operation_name() {
    let document = "query A { __typename } query B { __typename }";
    for body in [json!({"query": document}), json!({"query": document, "operationName": "C"})] {
        let reply = send(app(), post_json(&body, Some(GRAPHQL_RESPONSE_JSON))).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`operationName`");
        let reply = send(app(), post_json(&body, Some("application/json"))).await;
        reply.assert_error(StatusCode::OK, "BAD_REQUEST", "`operationName`");
    }
}

#[tokio::test]
async fn an_execution_error_is_200_with_data_and_keeps_its_code() {
    for accept in ["application/json", GRAPHQL_RESPONSE_JSON] {
        let body = json!({"query": "{ greet(name: \"x\") missing }"});
        let reply = send(app(), post_json(&body, Some(accept))).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept}");
        let body = reply.json();
        // async-graphql leaves the failed field out of `data` rather than setting it to null.
        assert_eq!(body["data"]["greet"], "hej x", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
        assert_eq!(body["errors"][0]["path"], json!(["missing"]));
    }
}

// Methods

#[tokio::test]
async fn other_methods_are_405_allowing_get_and_post() {
    for method in [Method::HEAD, Method::PUT, Method::DELETE, Method::PATCH, Method::OPTIONS] {
        let request =
            Request::builder().method(method.clone()).uri("/graphql").body(Body::empty()).expect("a valid request");
        let reply = send(app(), request).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(reply.header(header::ALLOW), "GET, POST", "{method}");
        if method != Method::HEAD {
            reply.assert_error(StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", method.as_str());
        }
    }
}

// Body limit

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_payload_too_large() {
    let query = format!("{{ greet(name: \"{}\") }}", "a".repeat(200));
    let reply = send(app_with_limit(100), post_json(&json!({"query": query}), None)).await;
    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "100 bytes");
}

#[tokio::test]
async fn a_body_at_the_limit_is_read() {
    let body = json!({"query": "{ __typename }"}).to_string();
    let reply = send(app_with_limit(body.len()), post(body, None)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

/// A 10 MB body in 64 KiB chunks, counting the chunks the server pulls.
fn ten_megabytes(pulled: Arc<AtomicUsize>) -> Body {
    const CHUNK: usize = 64 * 1024;
    let chunks = (0..(10 * 1024 * 1024 / CHUNK)).map(move |_| {
        pulled.fetch_add(1, Ordering::SeqCst);
        Ok::<_, std::io::Error>(Bytes::from(vec![b' '; CHUNK]))
    });
    Body::from_stream(futures::stream::iter(chunks))
}

#[tokio::test]
async fn a_streamed_10_mb_body_is_413_after_reading_no_more_than_the_limit() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let reply = send(app(), post(ten_megabytes(Arc::clone(&pulled)), None)).await;
    reply.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "1048576 bytes");
    // 1 MiB is 16 chunks; the 17th crosses the limit and ends the read.
    assert!(pulled.load(Ordering::SeqCst) <= 17, "pulled {} chunks", pulled.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_declared_10_mb_body_is_413_before_any_of_it_is_read() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, 10 * 1024 * 1024)
        .body(ten_megabytes(Arc::clone(&pulled)))
        .expect("a valid request");
    send(app(), request).await.assert_error(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "limit");
    assert_eq!(pulled.load(Ordering::SeqCst), 0);
}

// Limits on the document and the URL

fn app_with_document_limits(document: DocumentLimits) -> Router {
    router(schema(), HttpLimits { document, ..HttpLimits::default() }, false)
}

const SMALL_LIMITS: DocumentLimits =
    DocumentLimits { max_document_bytes: 200, max_tokens: 25, max_nesting: 3, max_expanded_selections: 12 };

#[tokio::test]
async fn a_document_over_a_limit_is_a_request_error_naming_the_limit_and_both_figures() {
    let letters: Vec<String> = ('a'..='x').map(String::from).collect();
    // (query, limit key, measured, max)
    let cases = [
        (format!("{{ greet(name: \"x\") }}{}", " ".repeat(200)), "max_document_bytes", 220, 200),
        (format!("{{ {} }}", letters.join(" ")), "max_tokens", 26, 25),
        ("{ greet(name: [[\"x\"]]) }".to_owned(), "max_nesting", 4, 3),
        ("{ ...F ...F } fragment F on QueryRoot { a b c d e }".to_owned(), "max_expanded_selections", 17, 12),
        (
            "{ ...F } fragment F on QueryRoot { ... { ...G } } fragment G on QueryRoot { ... { a } }".to_owned(),
            "max_nesting",
            4,
            3,
        ),
    ];
    for (query, limit, measured, max) in cases {
        for (accept, status) in [(GRAPHQL_RESPONSE_JSON, StatusCode::BAD_REQUEST), ("application/json", StatusCode::OK)]
        {
            let reply =
                send(app_with_document_limits(SMALL_LIMITS), post_json(&json!({"query": query}), Some(accept))).await;
            reply.assert_error(status, "QUERY_TOO_COMPLEX", &format!("at most {max}"));
            let extensions = &reply.json()["errors"][0]["extensions"];
            assert_eq!(extensions["limit"], limit, "{query}: {}", reply.text);
            assert_eq!(
                (extensions["measured"].as_u64(), extensions["max"].as_u64()),
                (Some(measured), Some(max)),
                "{query}"
            );
            assert!(
                reply.text.contains(&format!(" {measured} ")),
                "{query}: the message names the figure: {}",
                reply.text
            );
        }
    }
}

#[tokio::test]
async fn a_document_within_every_limit_runs() {
    let reply =
        send(app_with_document_limits(SMALL_LIMITS), post_json(&json!({"query": "{ greet(name: \"x\") }"}), None))
            .await;
    assert_eq!(reply.json(), json!({"data": {"greet": "hej x"}}));
}

#[tokio::test]
async fn a_value_nested_800_levels_deep_is_refused_before_it_is_parsed() {
    let query = format!("{{ __typename(x: {}1{}) }}", "{a: ".repeat(800), "}".repeat(800));
    let reply = send(app(), post_json(&json!({"query": query}), Some(GRAPHQL_RESPONSE_JSON))).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "QUERY_TOO_COMPLEX", "tokens");
    let errors = reply.json()["errors"].clone();
    let nesting =
        errors.as_array().and_then(|errors| errors.iter().find(|e| e["extensions"]["limit"] == "max_nesting"));
    let message = nesting.map(|error| error["message"].to_string()).unwrap_or_default();
    assert!(message.contains("802 deep; at most 32"), "every limit it is over is named: {errors}");
}

#[tokio::test]
async fn a_chain_of_fragments_doubling_at_each_link_is_refused_without_expanding_it() {
    let mut query = String::from("{ ...F30 } fragment F0 on QueryRoot { __typename }");
    for i in 1..=30 {
        query.push_str(&format!(" fragment F{i} on QueryRoot {{ ...F{} ...F{} }}", i - 1, i - 1));
    }
    let started = std::time::Instant::now();
    let reply = send(app(), post_json(&json!({"query": query}), Some(GRAPHQL_RESPONSE_JSON))).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "QUERY_TOO_COMPLEX", "once its fragments are expanded");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_fragment_that_spreads_itself_is_a_validation_error_naming_the_chain() {
    let query = "{ ...A } fragment A on QueryRoot { ...B } fragment B on QueryRoot { ...A }";
    let reply = send(app(), post_json(&json!({"query": query}), Some(GRAPHQL_RESPONSE_JSON))).await;
    reply.assert_error(StatusCode::BAD_REQUEST, "GRAPHQL_VALIDATION_FAILED", "spreads itself");
    assert!(reply.text.contains("A → B → A") || reply.text.contains("B → A → B"), "{}", reply.text);
}

#[tokio::test]
async fn a_url_over_the_limit_is_414_with_a_json_error_naming_the_limit() {
    let app = router(schema(), HttpLimits { max_url_bytes: 1000, ..HttpLimits::default() }, false);
    let name = "x".repeat(1000);
    let query = format!("{{ greet(name: \"{name}\") }}");
    let reply = send(app.clone(), get(&[("query", &query)], Some(GRAPHQL_RESPONSE_JSON))).await;
    reply.assert_error(StatusCode::URI_TOO_LONG, "URI_TOO_LONG", "at most 1000");
    assert!(reply.content_type().starts_with(GRAPHQL_RESPONSE_JSON), "{}", reply.content_type());
    let reply = send(app, get(&[("query", "{ greet(name: \"x\") }")], None)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

// GraphiQL

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[tokio::test]
async fn a_browser_get_receives_graphiql_pointing_at_graphql() {
    let reply = send(app(), get(&[], Some(BROWSER_ACCEPT))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("text/html"), "{}", reply.content_type());
    assert!(reply.text.contains("graphiql"), "not GraphiQL");
    assert!(reply.text.contains(r#"data-endpoint="/graphql""#), "GraphiQL does not point at /graphql");
}

#[tokio::test]
async fn without_graphiql_a_browser_gets_json_or_406() {
    let reply = send(app_with_limit(1024), get(&[("query", "{ __typename }")], Some(BROWSER_ACCEPT))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.content_type().starts_with("application/json"), "{}", reply.content_type());

    let reply = send(app_with_limit(1024), get(&[("query", "{ __typename }")], Some("text/html"))).await;
    reply.assert_error(StatusCode::NOT_ACCEPTABLE, "NOT_ACCEPTABLE", "`Accept`");
}

#[tokio::test]
async fn a_post_never_receives_graphiql() {
    let reply = send(app(), post_json(&json!({"query": "{ __typename }"}), Some(BROWSER_ACCEPT))).await;
    assert!(reply.content_type().starts_with("application/json"), "{}", reply.content_type());
}

// Per-request data

#[tokio::test]
async fn the_request_hook_attaches_data_from_the_http_request() {
    let app = GraphQlHttp::new(schema())
        .request_hook(|parts, request| match parts.headers.get("x-caller").and_then(|value| value.to_str().ok()) {
            Some(caller) => request.data(Caller(caller.to_owned())),
            None => request,
        })
        .into_router();
    let mut request = post_json(&json!({"query": "{ caller }"}), None);
    request.headers_mut().insert("x-caller", "skolverket".parse().expect("a header value"));
    let reply = send(app.clone(), request).await;
    assert_eq!(reply.json(), json!({"data": {"caller": "skolverket"}}));

    let reply = send(app, get(&[("query", "{ caller }")], None)).await;
    assert_eq!(reply.json(), json!({"data": {"caller": null}}));
}
