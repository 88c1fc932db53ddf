//! The open-data releases over HTTP, as an agency's data engineer downloads them: the pointers
//! and the files of the latest release with strong ETags, `304`, `HEAD`, `Range` (`206` and
//! `416`), the right content types and caching, and nothing outside the releases folder.

use vuxnav_gateway::jobs::release;
use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases};

const PUBLISHER: &str = r#"
[release]
base_url = "https://vuxnav.example/"

[release.publisher]
name = "Exempelregionen"
org_number = "222000-0315"
contact_email = "opendata@vuxnav.example"
"#;

async fn app_with_a_release(db: &vuxnav_tests::TestDatabase) -> (TestApp, String) {
    let app = TestApp::builder().config(PUBLISHER).demo_data().spawn(db).await;
    let summary = release::release(&app.config, &app.store, None, false, None).await.expect("a release is written");
    (app, summary.release)
}

#[tokio::test]
async fn the_latest_release_is_downloadable_with_validators_ranges_and_content_types() {
    for db in fresh_databases().await {
        let (app, name) = app_with_a_release(&db).await;
        let backend = app.backend;

        let latest = app.get("/latest.json", &[]).await;
        assert_eq!(latest.status, StatusCode::OK, "{backend}");
        assert_eq!(latest.json()["release"], Value::from(name.clone()), "{backend}: {}", latest.body);
        assert_eq!(latest.header("cache-control"), "public, max-age=300", "{backend}");
        let tag = latest.header("etag").to_owned();
        assert!(tag.starts_with('"'), "{backend}: a strong tag, got {tag:?}");
        assert!(!latest.header("last-modified").is_empty(), "{backend}");
        let again = app.get("/latest.json", &[("if-none-match", &tag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{backend}");
        let since = app.get("/latest.json", &[("if-modified-since", latest.header("last-modified"))]).await;
        assert_eq!(since.status, StatusCode::NOT_MODIFIED, "{backend}");

        let csv = format!("/releases/{name}/csv/offerings.csv.gz");
        let file = app.get(&csv, &[]).await;
        assert_eq!(file.status, StatusCode::OK, "{backend}");
        assert!(file.header("cache-control").contains("immutable"), "{backend}");
        let length: u64 = file.header("content-length").parse().expect("a length");
        let head = app.request(reqwest::Method::HEAD, &csv, &[], reqwest::Body::from("")).await;
        assert_eq!(head.status, StatusCode::OK, "{backend}");
        assert_eq!(head.header("content-length"), length.to_string(), "{backend}");
        assert_eq!(head.body, "", "{backend}");
        let part = app.get(&csv, &[("range", "bytes=0-9")]).await;
        assert_eq!(part.status, StatusCode::PARTIAL_CONTENT, "{backend}");
        assert_eq!(part.header("content-range"), format!("bytes 0-9/{length}"), "{backend}");
        let past = app.get(&csv, &[("range", &format!("bytes={}-", length + 10))]).await;
        assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE, "{backend}");

        let sums = app.get(&format!("/releases/{name}/SHA256SUMS"), &[]).await;
        assert!(sums.body.contains("csv/offerings.csv.gz"), "{backend}: {}", sums.body);
        let dcat = app.get("/datasets/dcat", &[]).await;
        assert_eq!(dcat.status, StatusCode::OK, "{backend}");
        assert!(dcat.header("content-type").starts_with("application/rdf+xml"), "{backend}");
        assert!(dcat.body.contains("dcat:Catalog"), "{backend}");
        let atom = app.get("/releases.atom", &[]).await;
        assert!(atom.header("content-type").starts_with("application/atom+xml"), "{backend}");
        assert_eq!(app.get("/state.txt", &[]).await.status, StatusCode::OK, "{backend}");
    }
}

#[tokio::test]
async fn nothing_outside_the_releases_is_served_however_the_path_is_written() {
    for db in fresh_databases().await {
        let (app, name) = app_with_a_release(&db).await;
        let backend = app.backend;
        for path in [
            "/releases/../vuxnav.db".to_owned(),
            "/releases/%2e%2e/vuxnav.db".to_owned(),
            "/releases/%2E%2E%2Flatest.json".to_owned(),
            "/releases/..%2f..%2fetc%2fpasswd".to_owned(),
            format!("/releases/{name}/../../.lock"),
            "/.lock".to_owned(),
            "/.staging/".to_owned(),
            "/releases/".to_owned(),
        ] {
            let reply = app.get(&path, &[]).await;
            assert!(
                matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
                "{backend}: {path} answered {}",
                reply.status
            );
        }
    }
}
