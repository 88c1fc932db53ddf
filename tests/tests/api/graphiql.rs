//! GraphiQL is served by vuxnav itself: the page a browser gets on `GET /graphql` loads only
//! files vuxnav serves, each with its media type and long-lived caching, under a
//! Content-Security-Policy that allows no inline script and no other origin.

use vuxnav_tests::{StatusCode, TestApp, fresh_databases};

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// The values of every `src="…"` and `href="…"` attribute in `html`.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            found.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    found
}

#[tokio::test]
async fn the_graphiql_page_loads_only_files_vuxnav_serves_under_a_strict_policy() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let page = app.get("/graphql", &[("accept", BROWSER_ACCEPT)]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{}: {}",
            app.backend,
            page.header("content-type")
        );

        let policy = page.header("content-security-policy");
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"] {
            assert!(policy.contains(directive), "{}: the policy lacks `{directive}`: {policy}", app.backend);
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "{}: {policy}", app.backend);
        assert!(!policy.contains("http"), "{}: the policy names another origin: {policy}", app.backend);

        assert!(!page.body.contains("http:") && !page.body.contains("https:"), "{}: {}", app.backend, page.body);
        assert!(!page.body.contains("\"//"), "{}: a protocol-relative URL: {}", app.backend, page.body);
        assert!(
            !page.body.contains("<script>") && !page.body.contains("style="),
            "{}: inline code: {}",
            app.backend,
            page.body
        );

        let files: Vec<String> = references(&page.body).into_iter().filter(|url| url != "data:,").collect();
        assert_eq!(files.len(), 6, "{}: four scripts and two stylesheets: {files:?}", app.backend);
        for url in &files {
            assert!(url.starts_with('/'), "{}: `{url}` is not served by vuxnav", app.backend);
            let file = app.get(url, &[]).await;
            assert_eq!(file.status, StatusCode::OK, "{}: {url}", app.backend);
            let expected = if url.ends_with(".js") { "text/javascript" } else { "text/css" };
            assert!(
                file.header("content-type").starts_with(expected),
                "{}: {url} is {}",
                app.backend,
                file.header("content-type")
            );
            assert!(file.header("cache-control").contains("immutable"), "{}: {url}", app.backend);
            assert_eq!(file.header("x-content-type-options"), "nosniff", "{}: {url}", app.backend);
            assert!(!file.body.is_empty(), "{}: {url} is empty", app.backend);
        }
        let script = files.iter().find(|url| url.ends_with("/start.js")).expect("the start script");
        let stale = script.rsplit_once('/').map(|(_, name)| format!("/graphiql/0000000000000000/{name}"));
        let stale = app.get(&stale.unwrap_or_default(), &[]).await;
        assert_eq!(stale.status, StatusCode::NOT_FOUND, "{}: a file of another build is not served", app.backend);
    }
}
