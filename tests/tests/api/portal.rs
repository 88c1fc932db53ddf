//! The residents' portal over HTTP, without a browser (the browser tests are in web-tests/):
//! every page in Swedish under a strict Content-Security-Policy, fingerprinted static files
//! cached for a year, compressed HTML, the Swedish 404 page, and the region's branding from
//! `[portal]`.

use vuxnav_tests::{StatusCode, TestApp, fresh_databases};

/// The pages of the portal that need no data, and a path nothing answers.
const PAGES: [(&str, StatusCode); 4] = [
    ("/", StatusCode::OK),
    ("/om-tjansten", StatusCode::OK),
    ("/tillganglighet", StatusCode::OK),
    ("/finns-inte", StatusCode::NOT_FOUND),
];

/// The `href`s of the page's `<link rel="stylesheet">`s and the `src` of its first image.
fn assets(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["<link rel=\"stylesheet\" href=\"", "<img src=\""] {
        for part in html.split(marker).skip(1) {
            found.push(part.split('"').next().unwrap_or_default().to_owned());
        }
    }
    found
}

#[tokio::test]
async fn every_portal_page_is_swedish_html_under_a_strict_content_security_policy() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        for (path, status) in PAGES {
            let page = app.get(path, &[]).await;
            assert_eq!(page.status, status, "{backend}: {path}");
            assert_eq!(page.header("content-type"), "text/html; charset=utf-8", "{backend}: {path}");
            assert!(page.body.starts_with("<!doctype html>\n<html lang=\"sv\">"), "{backend}: {path}");
            let csp = page.header("content-security-policy");
            assert!(csp.contains("default-src 'none'"), "{backend}: {path}: {csp}");
            assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{backend}: {path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{backend}: {path}: {csp}");
            assert_eq!(page.header("x-content-type-options"), "nosniff", "{backend}: {path}");
            for landmark in
                ["class=\"skip-link\" href=\"#innehall\"", "<main id=\"innehall\"", "href=\"/tillganglighet\""]
            {
                assert!(page.body.contains(landmark), "{backend}: {path} lacks {landmark}");
            }
            assert!(
                !page.body.contains("<script>") && !page.body.contains("style=\""),
                "{backend}: {path}: inline code"
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_path_gets_the_swedish_404_page() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let page = app.get("/utbildningar/finns-inte?x=1", &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", app.backend);
        assert!(page.body.contains("<h1>Sidan finns inte</h1>"), "{}: {}", app.backend, page.body);
    }
}

#[tokio::test]
async fn static_files_are_fingerprinted_and_cached_for_a_year() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let home = app.get("/", &[]).await;
        let files = assets(&home.body);
        assert_eq!(files.len(), 3, "{backend}: the style sheet, the brand's colours, the logo: {files:?}");
        for file in files {
            let asset = app.get(&file, &[]).await;
            assert_eq!(asset.status, StatusCode::OK, "{backend}: {file}");
            assert_eq!(asset.header("cache-control"), "public, max-age=31536000, immutable", "{backend}: {file}");
            assert!(!asset.body.is_empty(), "{backend}: {file}");
            let stale = file.replacen('.', ".0", 1);
            assert_eq!(app.get(&stale, &[]).await.status, StatusCode::NOT_FOUND, "{backend}: {stale}");
        }
    }
}

#[tokio::test]
async fn pages_are_compressed_for_a_client_that_accepts_gzip() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let page = app.get("/tillganglighet", &[("accept-encoding", "gzip")]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(page.header("content-encoding"), "gzip", "{}", app.backend);
    }
}

#[tokio::test]
async fn the_region_s_name_colours_and_texts_come_from_the_portal_table() {
    for db in fresh_databases().await {
        let app = TestApp::builder()
            .config(
                "[portal]\nname = \"Vux i Exempellän\"\nabout = \"Första stycket.\\n\\nAndra stycket.\"\ncontact_email = \"vux@exempel.se\"\n[portal.colours]\nprimary = \"#004400\"\n",
            )
            .demo_data()
            .spawn(&db)
            .await;
        let backend = app.backend;
        let about = app.get("/om-tjansten", &[]).await;
        assert!(about.body.contains("<title>Om tjänsten – Vux i Exempellän</title>"), "{backend}: {}", about.body);
        assert!(about.body.contains("<p>Första stycket.</p>\n<p>Andra stycket.</p>"), "{backend}: {}", about.body);
        assert!(about.body.contains("mailto:vux@exempel.se"), "{backend}");
        let brand =
            assets(&about.body).into_iter().find(|file| file.contains("/brand.")).expect("the brand's style sheet");
        assert!(app.get(&brand, &[]).await.body.contains("--primary:#004400"), "{backend}");
    }
}
