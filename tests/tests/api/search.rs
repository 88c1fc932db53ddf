//! Swedish free-text search: stemming, typos, ranking, and course codes.

use vuxnav_tests::{TestApp, Value, count, fresh_databases, json, text};

const SEARCH: &str = "query($search: String, $filter: OfferingFilterInput) {
  offerings(search: $search, filter: $filter, first: 10) {
    totalCount
    nodes { course { title code } }
  }
}";

/// The total and the course titles of the first page of a search.
async fn search(app: &TestApp, words: &str, filter: Value) -> (u64, Vec<String>) {
    let data = app.data(SEARCH, json!({ "search": words, "filter": filter })).await;
    let offerings = &data["offerings"];
    let titles =
        offerings["nodes"].as_array().expect("a list").iter().map(|n| text(&n["course"]["title"]).to_owned()).collect();
    (count(&offerings["totalCount"]), titles)
}

#[tokio::test]
async fn svenskan_finds_the_svenska_courses_by_its_stem() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (total, titles) = search(&app, "svenskan", Value::Null).await;
        assert!(total > 0, "{}: svenskan finds nothing", app.backend);
        assert!(titles[0].starts_with("Svenska"), "{}: svenskan ranks {titles:?}", app.backend);
        let (svenska, _) = search(&app, "svenska", Value::Null).await;
        assert_eq!(total, svenska, "{}: svenskan and svenska share a stem and should find the same", app.backend);
    }
}

#[tokio::test]
async fn svenska_finds_svenska_som_andrasprak_1() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let sva1 = json!({ "courseCodes": ["SVASVA01"] });
        let (found, titles) = search(&app, "svenska", sva1.clone()).await;
        let data = app.data(SEARCH, json!({ "filter": sva1 })).await;
        let all = count(&data["offerings"]["totalCount"]);
        assert!(all > 0, "{}: the demo data has no Svenska som andraspråk 1", app.backend);
        assert_eq!(found, all, "{}: svenska misses some of Svenska som andraspråk 1", app.backend);
        assert_eq!(titles[0], "Svenska som andraspråk 1", "{}", app.backend);
    }
}

#[tokio::test]
async fn a_typo_still_finds_matematik() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (total, titles) = search(&app, "matematk", Value::Null).await;
        assert!(total > 0, "{}: matematk finds nothing", app.backend);
        assert!(titles.iter().all(|t| t.starts_with("Matematik")), "{}: matematk finds {titles:?}", app.backend);
        let (spelt_right, _) = search(&app, "matematik", Value::Null).await;
        assert_eq!(total, spelt_right, "{}: matematk and matematik should find the same", app.backend);
    }
}

#[tokio::test]
async fn matematik_1c_ranks_matematik_1c_first() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app
            .data(
                "{ offerings(search: \"Matematik 1c\", first: 3) { totalCount nodes { course { title code } } } }",
                Value::Null,
            )
            .await;
        let first = &data["offerings"]["nodes"][0]["course"];
        assert_eq!(first["code"], "MATMAT01c", "{}: the best match is {first}", app.backend);
        assert_eq!(first["title"], "Matematik 1c", "{}", app.backend);
    }
}

#[tokio::test]
async fn a_course_code_selects_its_offerings_and_finds_its_course() {
    const BY_CODE: &str = "query($codes: [String!]) {
      offerings(filter: {courseCodes: $codes}, first: 500) { totalCount nodes { course { code } } }
    }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data(BY_CODE, json!({ "codes": ["MATMAT01c"] })).await;
        let total = count(&data["offerings"]["totalCount"]);
        assert!(total > 0, "{}: no offerings of MATMAT01c", app.backend);
        let nodes = data["offerings"]["nodes"].as_array().expect("a list");
        assert_eq!(nodes.len() as u64, total, "{}: the page should hold them all", app.backend);
        for node in nodes {
            assert_eq!(node["course"]["code"], "MATMAT01c", "{}: {node}", app.backend);
        }
        let lower = app.data(BY_CODE, json!({ "codes": ["matmat01c"] })).await;
        assert_eq!(
            count(&lower["offerings"]["totalCount"]),
            total,
            "{}: course codes are read in any case",
            app.backend
        );

        let data = app.data("{ course(code: \"MATMAT01c\") { id code title } }", Value::Null).await;
        let course = &data["course"];
        assert_eq!(course["code"], "MATMAT01c", "{}", app.backend);
        assert_eq!(course["title"], "Matematik 1c", "{}", app.backend);
        let by_id = app.data("query($id: ID!) { course(id: $id) { code } }", json!({ "id": course["id"] })).await;
        assert_eq!(by_id["course"]["code"], "MATMAT01c", "{}", app.backend);
    }
}

/// Words as a Swedish user types them (inflected, misspelt, without å ä ö) and the title the
/// best match starts with.
const WORDS_AND_BEST_MATCHES: [(&str, &str); 10] = [
    ("svenskan", "Svenska"),
    ("matematiken", "Matematik"),
    ("matematk", "Matematik"),
    ("engelskan", "Engelska"),
    ("undersköterskor", "Undersköterska"),
    ("underskoterska", "Undersköterska"),
    ("kockar", "Kock"),
    ("Historia 1b", "Historia 1b"),
    ("Engelska 5", "Engelska 5"),
    ("Svenska som andraspråk 3", "Svenska som andraspråk 3"),
];

#[tokio::test]
async fn inflected_misspelt_and_unaccented_words_find_their_courses() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for (words, best) in WORDS_AND_BEST_MATCHES {
            let (total, titles) = search(&app, words, Value::Null).await;
            assert!(total > 0, "{}: {words:?} finds nothing", app.backend);
            assert!(titles[0].starts_with(best), "{}: {words:?} ranks {titles:?} first, not {best:?}", app.backend);
        }
    }
}
