//! Objects by id: `node`, `offering` and their errors.

use vuxnav_tests::{TestApp, Value, assert_error, fresh_databases, json, text};

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";
const OFFERING: &str = "query($id: ID!) { offering(id: $id) { id } }";

/// Some offering's id with its course's and provider's.
async fn some_ids(app: &TestApp) -> (String, String, String) {
    let data = app.data("{ offerings(first: 1) { nodes { id course { id } provider { id } } } }", Value::Null).await;
    let node = &data["offerings"]["nodes"][0];
    (text(&node["id"]).to_owned(), text(&node["course"]["id"]).to_owned(), text(&node["provider"]["id"]).to_owned())
}

#[tokio::test]
async fn node_returns_the_offering_course_and_provider_of_their_ids() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (offering, course, provider) = some_ids(&app).await;
        for (id, typename) in [(&offering, "Offering"), (&course, "Course"), (&provider, "Provider")] {
            let data = app.data(NODE, json!({ "id": id })).await;
            assert_eq!(data["node"], json!({ "__typename": typename, "id": id }), "{}", app.backend);
        }
        let data = app.data(OFFERING, json!({ "id": offering })).await;
        assert_eq!(data["offering"]["id"], offering.as_str(), "{}", app.backend);
    }
}

const UNKNOWN: &str = "0b6f4a52-3f3e-4c9e-9a57-6d1f2a4e8c11";

#[tokio::test]
async fn an_unknown_id_is_not_found() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for (query, field) in [(OFFERING, "offering"), (NODE, "node")] {
            let (_, body) = app.graphql(query, json!({ "id": UNKNOWN })).await;
            assert_error(app.backend, &body, "NOT_FOUND", UNKNOWN);
            assert!(body["data"][field].is_null(), "{}: {body}", app.backend);
        }
    }
}

/// GraphQL's "handling field errors": a field error on a nullable field makes that field
/// null, and the rest of the answer stays.
#[tokio::test]
async fn an_unknown_id_answers_null_for_its_field_and_keeps_the_other_fields() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for (field, query) in [
            ("offering", format!("{{ offering(id: \"{UNKNOWN}\") {{ id }} region: municipalities {{ code }} }}")),
            ("node", format!("{{ node(id: \"{UNKNOWN}\") {{ id }} region: municipalities {{ code }} }}")),
            ("course", "{ course(code: \"MATMAT99x\") { id } region: municipalities { code } }".to_owned()),
        ] {
            let (_, body) = app.graphql(&query, Value::Null).await;
            assert_eq!(body["errors"][0]["path"], json!([field]), "{}: {body}", app.backend);
            assert_eq!(
                body["data"].get(field),
                Some(&Value::Null),
                "{}: `{field}` should be null: {body}",
                app.backend
            );
            assert!(body["data"]["region"].is_array(), "{}: the other field is lost: {body}", app.backend);
        }
        let (_, body) = app.graphql(OFFERING, json!({ "id": UNKNOWN })).await;
        assert_eq!(body["data"], json!({ "offering": null }), "{}: {body}", app.backend);
    }
}

#[tokio::test]
async fn a_malformed_id_is_bad_user_input_naming_id() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for query in [OFFERING, NODE] {
            for id in ["not-an-id", "", "0b6f4a52-3f3e-4c9e-9a57"] {
                let (_, body) = app.graphql(query, json!({ "id": id })).await;
                assert_error(app.backend, &body, "BAD_USER_INPUT", "id");
                assert_eq!(body["errors"][0]["extensions"]["argument"], "id", "{}: {body}", app.backend);
            }
        }
    }
}
