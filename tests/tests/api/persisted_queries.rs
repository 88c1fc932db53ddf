//! Automatic persisted queries on `/graphql`, as Apollo Client sends them: the hash alone
//! first (over GET, so a CDN can cache it), `PersistedQueryNotFound`, then the query with its
//! hash, and from then on the hash alone is enough. And trusted documents: a manifest the
//! server runs by `documentId`, which can be all that anonymous callers may run.

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

/// A config whose `[access.trusted_documents]` manifest (written beside the test) holds
/// [`QUERY`], with `anonymous` as given.
fn trusted_documents(dir: &std::path::Path, anonymous: &str) -> String {
    let manifest = dir.join("trusted-documents.json");
    let entries = json!({ format!("sha256:{}", sha256(QUERY)): QUERY });
    std::fs::write(&manifest, entries.to_string()).expect("the manifest is written");
    format!(
        "[access.trusted_documents]\nmanifest = {:?}\nanonymous = \"{anonymous}\"\n",
        manifest.display().to_string()
    )
}

#[tokio::test]
async fn under_require_anonymous_callers_run_only_the_manifests_documents_and_a_key_runs_any() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for db in fresh_databases().await {
        let app = TestApp::builder().config(&trusted_documents(dir.path(), "require")).spawn(&db).await;

        let by_id = format!("/graphql?documentId={}", encode(&format!("sha256:{}", sha256(QUERY))));
        let reply = app.get(&by_id, &[("accept", "application/graphql-response+json")]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", db.backend, reply.body);
        assert_eq!(reply.json()["data"]["municipalities"].as_array().map(Vec::len), Some(26), "{}", db.backend);
        assert!(reply.header("cache-control").starts_with("public"), "{}: {:?}", db.backend, reply.headers);

        let (_, body) = app.graphql(QUERY, Value::Null).await;
        assert!(body.get("errors").is_none(), "{}: the manifest's own text runs: {body}", db.backend);

        let other = "{ __typename }";
        let reply = app.graphql_reply(other, Value::Null).await;
        let body = reply.json();
        assert_eq!(body["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_IN_LIST", "{}: {body}", db.backend);
        assert!(body.get("data").is_none(), "{}: nothing ran: {body}", db.backend);

        let learn = json!({ "query": other, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": sha256(other) } } });
        let reply = app.post(learn.to_string(), &[("content-type", "application/json")]).await;
        assert_eq!(
            reply.json()["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_IN_LIST",
            "{}: APQ must not let an anonymous caller past the list: {}",
            db.backend,
            reply.body
        );

        let partner = app.key("partner", &[]).await;
        let (status, body) = app.graphql_as("/graphql", &partner, other, Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.backend);
        assert_eq!(body["data"]["__typename"], "Query", "{}: a key may send its own documents: {body}", db.backend);
    }
}

#[tokio::test]
async fn under_allow_any_document_runs_and_an_unknown_document_id_is_not_found() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for db in fresh_databases().await {
        let app = TestApp::builder().config(&trusted_documents(dir.path(), "allow")).spawn(&db).await;
        let (_, body) = app.graphql("{ __typename }", Value::Null).await;
        assert_eq!(body["data"]["__typename"], "Query", "{}: {body}", db.backend);

        let unknown = json!({ "documentId": format!("sha256:{}", "0".repeat(64)) }).to_string();
        let reply = app.post(unknown, &[("content-type", "application/json")]).await;
        assert_eq!(
            reply.json()["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND",
            "{}: {}",
            db.backend,
            reply.body
        );

        let malformed = json!({ "documentId": "md5:abc" }).to_string();
        let reply = app.post(malformed, &[("content-type", "application/json")]).await;
        let body = reply.json();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{}: {body}", db.backend);
        assert!(
            body["errors"][0]["message"].as_str().unwrap_or_default().contains("documentId"),
            "{}: {body}",
            db.backend
        );
    }
}
