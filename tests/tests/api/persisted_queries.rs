//! Automatic persisted queries on `/graphql`, as Apollo Client sends them: the hash alone
//! first (over GET, so a CDN can cache it), `PersistedQueryNotFound`, then the query with its
//! hash, and from then on the hash alone is enough.

use sha2::{Digest, Sha256};
use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json};

const QUERY: &str = "{ municipalities { code } }";

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Percent-encodes everything but letters and digits.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn a_hash_alone_is_not_found_until_the_query_came_with_it_and_then_runs_over_get() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(QUERY) } });
        let get = format!("/graphql?extensions={}", encode(&extensions.to_string()));

        let reply = app.get(&get, &[("accept", "application/json")]).await;
        let body = reply.json();
        assert_eq!(reply.status, StatusCode::OK, "{}: {body}", db.backend);
        assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound", "{}: {body}", db.backend);
        assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND", "{}: {body}", db.backend);

        let post = json!({ "query": QUERY, "extensions": extensions }).to_string();
        let reply = app.post(post, &[("content-type", "application/json")]).await;
        assert_eq!(
            reply.json()["data"]["municipalities"].as_array().map(Vec::len),
            Some(26),
            "{}: {}",
            db.backend,
            reply.body
        );

        let reply = app.get(&get, &[("accept", "application/json")]).await;
        assert_eq!(
            reply.json()["data"]["municipalities"].as_array().map(Vec::len),
            Some(26),
            "{}: {}",
            db.backend,
            reply.body
        );
        assert!(
            reply.header("cache-control").starts_with("public"),
            "{}: not cacheable: {:?}",
            db.backend,
            reply.headers
        );
    }
}

#[tokio::test]
async fn a_query_that_does_not_match_its_hash_is_refused() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ __typename }") } });
        let body = json!({ "query": QUERY, "extensions": extensions }).to_string();
        let reply = app.post(body, &[("content-type", "application/json")]).await;
        let body: Value = reply.json();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{}: {body}", db.backend);
        assert!(body.get("data").is_none(), "{}: {body}", db.backend);
    }
}
