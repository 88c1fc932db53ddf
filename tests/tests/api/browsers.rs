//! What browser apps on other origins, browsers and CDNs need of the public API: CORS
//! (preflight and actual requests), and caching of `GET` answers with `Cache-Control`, an
//! `ETag` and `304 Not Modified`.

use vuxnav_tests::{StatusCode, TestApp, fresh_databases};

const ORIGIN: &str = "https://portal.example";

fn get_query(query: &str) -> String {
    let mut url = reqwest::Url::parse("http://x/graphql").expect("a URL");
    url.query_pairs_mut().append_pair("query", query);
    format!("/graphql?{}", url.query().expect("a query string"))
}

#[tokio::test]
async fn a_browser_app_on_another_origin_passes_the_preflight_and_reads_the_answer() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let preflight = app
            .request(
                reqwest::Method::OPTIONS,
                "/graphql",
                &[
                    ("origin", ORIGIN),
                    ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type"),
                ],
                reqwest::Body::from(""),
            )
            .await;
        assert_eq!(preflight.status, StatusCode::OK, "{backend}: {preflight:?}");
        assert_eq!(preflight.header("access-control-allow-origin"), "*", "{backend}");
        assert!(preflight.header("access-control-allow-methods").contains("POST"), "{backend}");
        assert!(preflight.header("access-control-allow-headers").contains("content-type"), "{backend}");
        assert_eq!(preflight.header("access-control-allow-credentials"), "", "{backend}: never credentials");

        let answer = app
            .post(
                r#"{"query":"{ municipalities { code } }"}"#,
                &[("origin", ORIGIN), ("content-type", "application/json")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{backend}");
        assert_eq!(answer.header("access-control-allow-origin"), "*", "{backend}");
        assert!(answer.header("access-control-expose-headers").to_lowercase().contains("etag"), "{backend}");
    }
}

#[tokio::test]
async fn only_the_configured_origins_are_allowed_when_a_list_is_set() {
    for db in fresh_databases().await {
        let app =
            TestApp::builder().config("[graphql]\ncors_origins = [\"https://portal.example\"]\n").spawn(&db).await;
        let backend = app.backend;
        let preflight = |origin: &'static str| {
            let app = &app;
            async move {
                app.request(
                    reqwest::Method::OPTIONS,
                    "/graphql",
                    &[("origin", origin), ("access-control-request-method", "POST")],
                    reqwest::Body::from(""),
                )
                .await
            }
        };
        assert_eq!(preflight(ORIGIN).await.header("access-control-allow-origin"), ORIGIN, "{backend}");
        assert_eq!(preflight("https://evil.example").await.header("access-control-allow-origin"), "", "{backend}");
    }
}

#[tokio::test]
async fn a_get_answer_is_cacheable_with_an_etag_and_a_repeat_with_it_is_not_modified() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let path = get_query(r#"{ offerings(search: "svenska", first: 3) { totalCount } }"#);

        let first = app.get(&path, &[]).await;
        assert_eq!(first.status, StatusCode::OK, "{backend}: {}", first.body);
        assert_eq!(first.header("cache-control"), "public, max-age=60", "{backend}");
        let tag = first.header("etag").to_owned();
        assert!(tag.starts_with('"') && tag.ends_with('"'), "{backend}: a strong tag, got {tag:?}");

        let again = app.get(&path, &[("if-none-match", &tag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{backend}");
        assert_eq!(again.body, "", "{backend}");
        assert_eq!(again.header("etag"), tag, "{backend}");

        let other = app.get(&get_query("{ municipalities { code } }"), &[("if-none-match", &tag)]).await;
        assert_eq!(other.status, StatusCode::OK, "{backend}: another query has another tag");
        assert_ne!(other.header("etag"), tag, "{backend}");
    }
}

#[tokio::test]
async fn a_new_read_model_changes_the_tag_so_a_cached_answer_is_fetched_again() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let path = get_query("{ municipalities { code offeringCount } }");
        let tag = app.get(&path, &[]).await.header("etag").to_owned();

        // Another harvest run recorded in the store: the next model is another version.
        let source = app.store.sources().await.expect("the sources")[0].id.clone();
        let run = app.store.start_run(&source, vuxnav_tests::harvested_at(), true).await.expect("a run");
        app.store
            .finish_run(run, vuxnav_tests::harvested_at(), Ok(()), Default::default(), &[])
            .await
            .expect("the run is finished");
        app.app.refresher.refresh().await.expect("the read model is rebuilt");

        let after = app.get(&path, &[("if-none-match", &tag)]).await;
        assert_eq!(after.status, StatusCode::OK, "{backend}");
        assert_ne!(after.header("etag"), tag, "{backend}");
    }
}

#[tokio::test]
async fn answers_read_live_from_the_store_errors_and_posts_are_never_marked_cacheable() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let live = app.get(&get_query("{ sources { id status } }"), &[]).await;
        assert_eq!(live.status, StatusCode::OK, "{backend}");
        assert_eq!(live.header("cache-control"), "no-cache", "{backend}");
        assert_eq!(live.header("etag"), "", "{backend}");

        let error = app.get(&get_query(r#"{ offering(id: "nope") { id } }"#), &[]).await;
        assert_eq!(error.header("etag"), "", "{backend}: {}", error.body);
        assert_eq!(error.header("cache-control"), "", "{backend}");

        let post =
            app.post(r#"{"query":"{ municipalities { code } }"}"#, &[("content-type", "application/json")]).await;
        assert_eq!(post.header("cache-control"), "", "{backend}");
        assert_eq!(post.header("etag"), "", "{backend}");
    }
}
