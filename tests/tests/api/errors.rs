//! The error cases a partner hits first: each has a stable `extensions.code` and a message
//! that names the argument or field at fault.

use vuxnav_tests::{StatusCode, TestApp, Value, assert_error, fresh_databases, json};

const BY_MUNICIPALITY: &str = "query($filter: OfferingFilterInput) { offerings(filter: $filter) { totalCount } }";

/// Asserts a request error: answered before anything ran, so no `data` at all.
fn assert_no_data(app: &TestApp, body: &Value) {
    assert!(body.get("data").is_none(), "{}: a request error has no data: {body}", app.backend);
}

#[tokio::test]
async fn a_kommunkod_that_is_not_four_digits_or_not_a_municipality_is_bad_user_input() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for code in ["999", "9999", "01800", "abcd"] {
            let (status, body) = app.graphql(BY_MUNICIPALITY, json!({ "filter": { "municipalities": [code] } })).await;
            assert_eq!(status, StatusCode::OK, "{}: {body}", app.backend);
            assert_error(app.backend, &body, "BAD_USER_INPUT", "filter.municipalities[0]");
            assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains(code)), "{}: {body}", app.backend);
        }
        let (_, body) = app.graphql(BY_MUNICIPALITY, json!({ "filter": { "municipalities": ["0180", "9999"] } })).await;
        assert_error(app.backend, &body, "BAD_USER_INPUT", "filter.municipalities[1]");
    }
}

#[tokio::test]
async fn a_kommunkod_given_as_an_int_is_an_error_without_data() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (_, body) = app.graphql("{ offerings(filter: {municipalities: [180]}) { totalCount } }", Value::Null).await;
        assert_error(app.backend, &body, "BAD_USER_INPUT", "filter.municipalities");
        assert_no_data(&app, &body);
        let (_, body) = app.graphql(BY_MUNICIPALITY, json!({ "filter": { "municipalities": [180] } })).await;
        assert!(body["errors"][0]["extensions"]["code"].is_string(), "{}: {body}", app.backend);
        assert!(
            body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("municipalities")),
            "{}: {body}",
            app.backend
        );
        assert_no_data(&app, &body);
    }
}

#[tokio::test]
async fn a_pace_above_100_is_bad_user_input_naming_filter_pace_min() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (_, body) = app.graphql(BY_MUNICIPALITY, json!({ "filter": { "paceMin": 300 } })).await;
        assert_error(app.backend, &body, "BAD_USER_INPUT", "filter.paceMin");
        assert_eq!(body["errors"][0]["extensions"]["argument"], "filter.paceMin", "{}", app.backend);
        let (_, body) = app.graphql(BY_MUNICIPALITY, json!({ "filter": { "paceMin": 75, "paceMax": 50 } })).await;
        assert_error(app.backend, &body, "BAD_USER_INPUT", "filter.paceMin");
    }
}

#[tokio::test]
async fn an_impossible_date_is_bad_user_input_naming_the_filter_field() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for (field, date) in
            [("startFrom", "2027-02-30"), ("startTo", "tomorrow"), ("openForApplicationOn", "2027-13-01")]
        {
            let (_, body) = app.graphql(BY_MUNICIPALITY, json!({ "filter": { field: date } })).await;
            assert_error(app.backend, &body, "BAD_USER_INPUT", field);
            let literal = format!("{{ offerings(filter: {{{field}: \"{date}\"}}) {{ totalCount }} }}");
            let (_, body) = app.graphql(&literal, Value::Null).await;
            assert_error(app.backend, &body, "BAD_USER_INPUT", field);
        }
    }
}

#[tokio::test]
async fn a_search_longer_than_200_characters_is_bad_user_input_naming_search() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let query = "query($search: String) { offerings(search: $search) { totalCount } }";
        let (_, body) = app.graphql(query, json!({ "search": "svenska ".repeat(40) })).await;
        assert_error(app.backend, &body, "BAD_USER_INPUT", "search");
        assert_eq!(body["errors"][0]["extensions"]["argument"], "search", "{}: {body}", app.backend);
    }
}

#[tokio::test]
async fn a_page_larger_than_the_limit_is_bad_user_input_naming_first() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for query in [
            "{ offerings(first: 100000) { totalCount } }",
            "{ offerings(first: -1) { totalCount } }",
            "{ courses(first: 100000) { totalCount } }",
        ] {
            let (_, body) = app.graphql(query, Value::Null).await;
            assert_error(app.backend, &body, "BAD_USER_INPUT", "first");
            assert_eq!(body["errors"][0]["extensions"]["argument"], "first", "{}: {body}", app.backend);
        }
    }
}

#[tokio::test]
async fn a_cursor_from_nowhere_is_bad_user_input_naming_after() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for cursor in ["bm93aGVyZQ", "not a cursor", ""] {
            for query in [
                "query($after: String) { offerings(after: $after) { totalCount } }",
                "query($after: String) { courses(after: $after) { totalCount } }",
            ] {
                let (_, body) = app.graphql(query, json!({ "after": cursor })).await;
                assert_error(app.backend, &body, "BAD_USER_INPUT", "after");
            }
        }
    }
}

#[tokio::test]
async fn a_cursor_of_one_order_is_refused_by_another() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data =
            app.data("{ offerings(first: 1, orderBy: {field: TITLE}) { pageInfo { endCursor } } }", Value::Null).await;
        let cursor = &data["offerings"]["pageInfo"]["endCursor"];
        let (_, body) = app
            .graphql(
                "query($after: String) { offerings(after: $after, orderBy: {field: START_DATE}) { totalCount } }",
                json!({ "after": cursor }),
            )
            .await;
        assert_error(app.backend, &body, "BAD_USER_INPUT", "after");
    }
}

#[tokio::test]
async fn malformed_graphql_is_a_parse_error_with_status_400_for_graphql_response_json() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let body = json!({ "query": "{ offerings { totalCount " }).to_string();
        let reply = app
            .post(body, &[("content-type", "application/json"), ("accept", "application/graphql-response+json")])
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}: {}", app.backend, reply.body);
        assert!(reply.header("content-type").starts_with("application/graphql-response+json"), "{}", app.backend);
        let body = reply.json();
        assert_eq!(body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED", "{}: {body}", app.backend);
        assert_no_data(&app, &body);
    }
}

#[tokio::test]
async fn an_unknown_field_is_a_validation_error_naming_it() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (_, body) = app.graphql("{ offerings { totalCount kommun } }", Value::Null).await;
        assert_error(app.backend, &body, "GRAPHQL_VALIDATION_FAILED", "kommun");
        assert_no_data(&app, &body);
        let reply = app
            .post(
                json!({ "query": "{ offerings { totalCount kommun } }" }).to_string(),
                &[("content-type", "application/json"), ("accept", "application/graphql-response+json")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}: {}", app.backend, reply.body);
    }
}

/// `{ offerings { edges { node { course { offerings { … } } } } } }`, `depth` fields deep.
fn nested_query(depth: usize) -> String {
    let fields = ["offerings", "edges", "node", "course"];
    let mut query = String::from("{ ");
    for field in fields.iter().cycle().take(depth) {
        query.push_str(field);
        query.push_str(" { ");
    }
    query.push_str("__typename");
    query.push_str(&" }".repeat(depth + 1));
    query
}

#[tokio::test]
async fn a_query_nested_50_levels_deep_is_too_complex() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (_, body) = app.graphql(&nested_query(50), Value::Null).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX", "{}: {body}", app.backend);
        assert_eq!(body["errors"][0]["extensions"]["limit"], "max_nesting", "{}: {body}", app.backend);
        assert_no_data(&app, &body);
        // Within the nesting limit, the limit is the configured depth (15).
        let (_, body) = app.graphql(&nested_query(16), Value::Null).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX", "{}: {body}", app.backend);
        assert_eq!(body["errors"][0]["extensions"]["limit"], "max_depth", "{}: {body}", app.backend);
        let data = app.data(&nested_query(8), Value::Null).await;
        assert!(data["offerings"].is_object(), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_query_with_too_many_aliases_is_too_complex() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let fields: Vec<String> = (0..40).map(|i| format!("m{i}: municipalities {{ code }}")).collect();
        let (_, body) = app.graphql(&format!("{{ {} }}", fields.join(" ")), Value::Null).await;
        assert_error(app.backend, &body, "QUERY_TOO_COMPLEX", "aliases");
        assert_no_data(&app, &body);
    }
}

#[tokio::test]
async fn a_query_asking_for_too_much_is_too_complex_naming_its_score_and_the_limit() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        // 500 × (1 + 1 + (500 × (1 + 1) + 100) + 1) + 100 = 551,600.
        let query = "{ offerings(first: 500) { nodes { id course { offerings(first: 500) { nodes { id } } } } } }";
        let (_, body) = app.graphql(query, Value::Null).await;
        assert_error(app.backend, &body, "QUERY_TOO_COMPLEX", "complexity is 551,600; at most 50,000 is allowed");
        assert_no_data(&app, &body);
    }
}

/// Every scalar field of an offering and of its course, provider and municipality.
const RESULT_CARD: &str = "id start end continuousIntake pace timeOfStudy mode language seats cancelled
  apprenticeship feeSek eligibility url
  course { id code title description schoolForm komvux subject sunField vocational configuration }
  provider { id name organisationNumber kind schoolUnitCode url email phone }
  municipality { code name offeringCount }";

#[tokio::test]
async fn the_largest_page_of_full_result_cards_is_not_too_complex() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let query = format!(
            "{{ offerings(first: 500) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {RESULT_CARD} }} }} }}"
        );
        let data = app.data(&query, Value::Null).await;
        let nodes = data["offerings"]["nodes"].as_array().expect("a list");
        assert_eq!(nodes.len(), 500, "{}", app.backend);
        assert!(nodes.iter().all(|n| n["course"]["title"].is_string()), "{}", app.backend);
        // A search under each of those 500 offerings is another matter.
        let nested = "{ offerings(first: 500) { nodes { course { offerings(first: 1) { totalCount } } } } }";
        let (_, body) = app.graphql(nested, Value::Null).await;
        assert_error(app.backend, &body, "QUERY_TOO_COMPLEX", "at most 50,000 is allowed");
    }
}

#[tokio::test]
async fn a_10_mb_body_is_refused_with_413() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let padding = "a".repeat(10 * 1024 * 1024);
        let body = json!({ "query": "{ __typename }", "variables": { "padding": padding } }).to_string();
        let reply = app.post(body, &[("content-type", "application/json")]).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}: {}", app.backend, reply.body);
        let body = reply.json();
        assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE", "{}: {body}", app.backend);
        assert_no_data(&app, &body);
    }
}
