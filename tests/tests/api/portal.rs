//! The residents' portal over HTTP, without a browser (the browser tests are in web-tests/):
//! every page in Swedish under a strict Content-Security-Policy, fingerprinted static files
//! cached for a year, compressed HTML, the Swedish 404 page, and the region's branding from
//! `[portal]`.

use vuxnav_tests::{StatusCode, TestApp, fresh_databases};

/// A page of each template of the portal, and a path nothing answers.
const PAGES: [(&str, StatusCode); 13] = [
    ("/", StatusCode::OK),
    ("/sok?q=svenska", StatusCode::OK),
    ("/sok?q=svenska&sida=999", StatusCode::NOT_FOUND),
    ("/kommun/0127", StatusCode::OK),
    ("/yrken?q=undersk%C3%B6terska", StatusCode::OK),
    ("/yrken/Y3QA_5pk_uXd?kommun=0127", StatusCode::OK),
    ("/validering?kommun=0127", StatusCode::OK),
    ("/vagledning?kommun=0127", StatusCode::OK),
    ("/om-tjansten", StatusCode::OK),
    ("/tillganglighet", StatusCode::OK),
    ("/en", StatusCode::OK),
    ("/utbildning/00000000-0000-0000-0000-000000000000", StatusCode::NOT_FOUND),
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

/// The `href` of the first link to an offering on the page.
fn first_offering(html: &str) -> String {
    html.split("href=\"/utbildning/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/utbildning/{id}"))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_search_with_a_typo_finds_the_course_and_filters_with_facet_counts() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let page = app.get("/sok?q=svneska+som+andraspr%C3%A5k&studietid=kvall&kommun=0181", &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{backend}");
        let status =
            page.body.split("role=\"status\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default();
        assert!(status.contains("matchar sökningen"), "{backend}: {status}");
        assert!(!status.starts_with("Inga"), "{backend}: {status}");
        assert!(page.body.contains("id=\"studietid-kvall\" name=\"studietid\" value=\"kvall\" checked"), "{backend}");
        assert!(
            page.body.contains("<option value=\"0181\" selected>Södertälje ("),
            "{backend}: the municipality's count"
        );
        let offering = app.get(&first_offering(&page.body), &[]).await;
        assert_eq!(offering.status, StatusCode::OK, "{backend}");
        assert!(offering.body.contains("Svenska som andraspråk"), "{backend}");
    }
}

#[tokio::test]
async fn an_offering_page_carries_its_facts_and_schema_org_json_ld() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let search = app.get("/sok?q=svenska+som+andraspr%C3%A5k", &[]).await;
        let page = app.get(&first_offering(&search.body), &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{backend}");
        for fact in [
            "<dt>Start</dt>",
            "<dt>Studietakt</dt>",
            "<dt>Vem kan söka</dt>",
            "<dt>Ansökan</dt>",
            "Andra tillfällen av kursen",
        ] {
            assert!(page.body.contains(fact), "{backend}: {fact}");
        }
        let json = page
            .body
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .expect("JSON-LD in the page");
        let ld: serde_json::Value = serde_json::from_str(json).expect("the JSON-LD parses");
        assert_eq!(ld["@type"], "Course", "{backend}");
        assert_eq!(ld["hasCourseInstance"][0]["@type"], "CourseInstance", "{backend}");
        assert_eq!(ld["hasCourseInstance"][0]["location"]["address"]["addressCountry"], "SE", "{backend}");
    }
}

#[tokio::test]
async fn a_ten_thousand_character_search_is_refused_in_swedish_without_a_server_error() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let page = app.get(&format!("/sok?q={}", "a".repeat(10_000)), &[]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", app.backend);
        assert!(page.body.contains("högst 200 tecken"), "{}", app.backend);
    }
}

#[tokio::test]
async fn script_in_a_query_string_is_escaped_and_never_reflected() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let script = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E";
        for path in [
            format!("/sok?q={script}"),
            format!("/sok?kommun={script}&skolform={script}&ordning={script}&sida={script}&amne={script}"),
            format!("/yrken?q={script}&kommun={script}"),
            format!("/vagledning?kommun={script}&sprak={script}&kanal={script}"),
            format!("/validering?kommun={script}&sprak={script}"),
            format!("/utbildning/{script}"),
            format!("/kommun/{script}"),
        ] {
            let page = app.get(&path, &[]).await;
            assert!(page.status.as_u16() < 500, "{}: {path}: {}", app.backend, page.status);
            assert!(!page.body.contains("<script>alert"), "{}: {path} reflects the script", app.backend);
            assert!(!page.body.contains("<img src=x"), "{}: {path} reflects the markup", app.backend);
        }
        let search = app.get(&format!("/sok?q={script}"), &[]).await;
        assert!(
            search.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;") || search.body.contains("&lt;script&gt;"),
            "{}: the text is shown escaped",
            app.backend
        );
    }
}

#[tokio::test]
async fn an_unknown_offering_id_gets_the_swedish_404_page() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for path in [
            "/utbildning/00000000-0000-0000-0000-000000000000",
            "/utbildning/inte-ett-id",
            "/kommun/9999",
            "/yrken/inget-yrke",
        ] {
            let page = app.get(path, &[]).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{}: {path}", app.backend);
            assert!(page.body.contains("<h1>Sidan finns inte</h1>"), "{}: {path}", app.backend);
        }
    }
}

#[tokio::test]
async fn a_page_far_past_the_end_says_how_many_pages_there_are() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let page = app.get("/sok?q=svenska&sida=100000", &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", app.backend);
        assert!(page.body.contains("Sidan 100000 finns inte: sökningen ger"), "{}", app.backend);
        assert!(
            page.body.contains("rel=\"prev\"") || page.body.contains("href=\"/sok?q=svenska\""),
            "{}: a way back",
            app.backend
        );
        let huge = app.get("/sok?q=svenska&sida=99999999999999999999999", &[]).await;
        assert!(
            huge.status.as_u16() < 500 && huge.body.contains("Sidnumret ska vara"),
            "{}: {}",
            app.backend,
            huge.status
        );
    }
}

#[tokio::test]
async fn the_sitemap_lists_the_fixed_pages_the_municipalities_and_the_offerings() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let sitemap = app.get("/sitemap.xml", &[]).await;
        assert_eq!(sitemap.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(sitemap.header("content-type"), "application/xml; charset=utf-8", "{}", app.backend);
        assert!(sitemap.body.contains("/tillganglighet</loc>"), "{}", app.backend);
        assert!(sitemap.body.contains("/en</loc>"), "{}", app.backend);
        assert_eq!(sitemap.body.matches("/kommun/").count(), 26, "{}", app.backend);
        assert!(sitemap.body.matches("/utbildning/").count() > 1_000, "{}", app.backend);
    }
}

/// The way to undersköterska from Botkyrka says what each offering costs Botkyrka: nothing
/// between municipalities for its own, the price list's amount (marked as an example price in
/// the demo) for the rest, as the API's `pathway` answers.
#[tokio::test]
async fn the_pathway_page_says_what_each_offering_costs_the_home_municipality() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let page = app.get("/yrken/Y3QA_5pk_uXd?kommun=0127", &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        assert!(page.body.contains("Din kommun betalar "), "{}: no price in {}", app.backend, page.body);
        assert!(page.body.contains("52\u{a0}000 kr per kurs (exempelpris)."), "{}: {}", app.backend, page.body);
        assert!(page.body.contains("Ingen kostnad mellan kommuner"), "{}: {}", app.backend, page.body);
    }
}

/// The options of the `<select>` named `name`: each one's text, and whether it is selected.
fn options(html: &str, name: &str) -> Vec<(String, bool)> {
    let select = html.split(&format!("<select id=\"{name}\" name=\"{name}\">")).nth(1).unwrap_or_default();
    let select = select.split("</select>").next().unwrap_or_default();
    select
        .split("<option ")
        .skip(1)
        .map(|option| {
            let selected = option.split('>').next().unwrap_or_default().ends_with(" selected");
            let label = option.split('>').nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default();
            (label.to_owned(), selected)
        })
        .collect()
}

/// The number in parentheses at the end of `label`: `Heltid, 100 % (12)` is 12.
fn count_in(label: &str) -> Option<u64> {
    label.strip_suffix(')')?.rsplit_once('(')?.1.parse().ok()
}

/// The number of offerings the status says the search found.
fn found(html: &str) -> u64 {
    let status = html.split("role=\"status\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default();
    status.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn subject_pace_start_and_admission_show_counts_that_the_chosen_search_finds() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let page = app.get("/sok?kommun=0126", &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{backend}");
        for name in ["amne", "takt", "start"] {
            let counted: Vec<(String, bool)> = options(&page.body, name).into_iter().skip(1).collect();
            assert!(counted.len() >= 3, "{backend}: {name}: {counted:?}");
            assert!(counted.iter().all(|(label, _)| count_in(label).is_some()), "{backend}: {name}: {counted:?}");
        }
        for (id, label) in [("lopande", "Löpande antagning"), ("oppen", "Går att söka nu")] {
            let shown = format!("<label for=\"{id}\">{label} <span class=\"count\">(");
            assert!(page.body.contains(&shown), "{backend}: {id} has its count");
        }

        let subjects = options(&page.body, "amne");
        let subject = subjects.iter().skip(1).max_by_key(|(label, _)| count_in(label)).expect("a subject");
        let (name, _) = subject.0.rsplit_once(" (").expect("a count");
        let encoded: String = name
            .bytes()
            .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
            .collect();
        let chosen = app.get(&format!("/sok?kommun=0126&amne={encoded}&takt=heltid&start=180&lopande=ja"), &[]).await;
        assert_eq!(chosen.status, StatusCode::OK, "{backend}");
        let total = found(&chosen.body);
        assert!(total > 0, "{backend}: the test chooses what some offerings are");
        for name in ["amne", "takt", "start"] {
            let selected = options(&chosen.body, name).into_iter().find(|(_, selected)| *selected);
            let count = selected.as_ref().and_then(|(label, _)| count_in(label));
            assert_eq!(count, Some(total), "{backend}: the chosen {name} counts what is found: {selected:?}");
        }
        assert!(chosen.body.contains(&format!("Löpande antagning <span class=\"count\">({total}<")), "{backend}");

        let old = app.get("/sok?amne=MAT&takt=deltid", &[]).await;
        assert_eq!(old.status, StatusCode::OK, "{backend}: an old URL with a subject code");
        let code = options(&old.body, "amne").into_iter().find(|(_, selected)| *selected);
        assert_eq!(code.map(|(label, _)| label), Some(format!("MAT ({})", found(&old.body))), "{backend}");
    }
}

/// The page in English is marked as English for screen readers, links from every page's
/// footer, and leads somewhere real: every link on it answers, and its search links and its
/// guidance in English find something in the demo.
#[tokio::test]
async fn the_page_in_english_is_marked_english_and_every_link_on_it_finds_something() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let page = app.get("/en", &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{backend}");
        assert!(page.body.contains("<div lang=\"en\">\n<h1>In English</h1>"), "{backend}");
        assert!(app.get("/sok", &[]).await.body.contains("<a href=\"/en\" lang=\"en\" hreflang=\"en\">"), "{backend}");
        let main = page.body.split("<main").nth(1).and_then(|main| main.split("</main>").next()).unwrap_or_default();
        let links: Vec<&str> = main.split("<a href=\"").skip(1).filter_map(|part| part.split('"').next()).collect();
        assert!(links.len() >= 8, "{backend}: {links:?}");
        for link in links {
            let linked = app.get(&link.replace("&amp;", "&"), &[("accept", "text/html")]).await;
            assert_eq!(linked.status, StatusCode::OK, "{backend}: {link}");
            if link.starts_with("/sok?") || link.starts_with("/vagledning?") {
                assert!(
                    linked.body.contains("<ul class=\"results\">") || linked.body.contains("<ol class=\"results\">"),
                    "{backend}: {link} finds nothing"
                );
            }
        }
    }
}
