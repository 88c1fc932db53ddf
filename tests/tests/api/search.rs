//! Swedish free-text search: stemming, typos, ranking, and course codes.

use std::collections::BTreeSet;

use vuxnav_connectors::runner::ReportOutcome;
use vuxnav_tests::{TestApp, TestDatabase, Value, count, fresh_databases, json, regional, text};

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

/// The total of `offerings` under a search (or none) and a filter.
async fn total(app: &TestApp, words: Option<&str>, filter: Value) -> u64 {
    const TOTAL: &str = "query($search: String, $filter: OfferingFilterInput) {
      offerings(search: $search, filter: $filter, first: 0) { totalCount }
    }";
    let data = app.data(TOTAL, json!({ "search": words, "filter": filter })).await;
    count(&data["offerings"]["totalCount"])
}

/// Asserts that `word` finds every offering `filter` selects, and nothing else.
async fn assert_word_finds_exactly(app: &TestApp, word: &str, filter: Value) {
    let selected = total(app, None, filter.clone()).await;
    assert!(selected > 0, "{}: the demo data has no offering of {filter}", app.backend);
    let found = total(app, Some(word), Value::Null).await;
    let found_of_kind = total(app, Some(word), filter.clone()).await;
    assert_eq!(found_of_kind, selected, "{}: {word:?} misses offerings of {filter}", app.backend);
    assert_eq!(found, selected, "{}: {word:?} finds offerings outside {filter}", app.backend);
}

/// Every offering of the demo data (cancelled ones left out) with the fields a keyword is about.
async fn every_offering(app: &TestApp) -> Vec<Value> {
    const PAGE: &str = "query($after: String) {
      offerings(first: 500, after: $after) {
        nodes { id apprenticeship course { komvux vocational configuration } }
        pageInfo { hasNextPage endCursor }
      }
    }";
    let mut all = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.data(PAGE, json!({ "after": after })).await;
        all.extend(data["offerings"]["nodes"].as_array().expect("a list").iter().cloned());
        let info = &data["offerings"]["pageInfo"];
        if info["hasNextPage"] != true {
            return all;
        }
        after = info["endCursor"].clone();
    }
}

/// The ids of every offering a search finds.
async fn found_ids(app: &TestApp, word: &str) -> BTreeSet<String> {
    const PAGE: &str = "query($search: String, $after: String) {
      offerings(search: $search, first: 500, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
    }";
    let mut ids = BTreeSet::new();
    let mut after = Value::Null;
    loop {
        let data = app.data(PAGE, json!({ "search": word, "after": after })).await;
        ids.extend(data["offerings"]["nodes"].as_array().expect("a list").iter().map(|n| text(&n["id"]).to_owned()));
        let info = &data["offerings"]["pageInfo"];
        if info["hasNextPage"] != true {
            return ids;
        }
        after = info["endCursor"].clone();
    }
}

#[tokio::test]
async fn komvux_finds_every_komvux_offering_not_only_providers_named_komvux() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let komvux = json!({ "schoolForms": ["VUXGR", "VUXGY", "VUXSFI", "VUXGRAN", "VUXGYAN"] });
        assert_word_finds_exactly(&app, "komvux", komvux).await;
    }
}

#[tokio::test]
async fn gymnasial_finds_every_offering_at_gymnasial_level() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        assert_word_finds_exactly(&app, "gymnasial", json!({ "schoolForms": ["VUXGY", "VUXGYAN"] })).await;
    }
}

#[tokio::test]
async fn grundlaggande_with_or_without_the_dots_finds_every_offering_at_grundlaggande_level() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for word in ["grundläggande", "grundlaggande"] {
            assert_word_finds_exactly(&app, word, json!({ "schoolForms": ["VUXGR", "VUXGRAN"] })).await;
        }
    }
}

#[tokio::test]
async fn sfi_finds_every_sfi_offering() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        assert_word_finds_exactly(&app, "sfi", json!({ "schoolForms": ["VUXSFI"] })).await;
    }
}

#[tokio::test]
async fn anpassad_finds_every_offering_of_anpassad_utbildning() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        assert_word_finds_exactly(&app, "anpassad", json!({ "schoolForms": ["VUXGRAN", "VUXGYAN"] })).await;
    }
}

#[tokio::test]
async fn distans_finds_every_distance_offering() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        assert_word_finds_exactly(&app, "distans", json!({ "modes": ["DISTANCE"] })).await;
    }
}

#[tokio::test]
async fn kvall_with_or_without_the_dots_finds_every_evening_offering() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for word in ["kväll", "kvall", "kvällstid"] {
            assert_word_finds_exactly(&app, word, json!({ "timesOfStudy": ["EVENING"] })).await;
        }
    }
}

#[tokio::test]
async fn larling_finds_every_apprenticeship_however_it_is_typed() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let expected: BTreeSet<String> = every_offering(&app)
            .await
            .iter()
            .filter(|o| o["apprenticeship"] == true)
            .map(|o| text(&o["id"]).to_owned())
            .collect();
        assert!(!expected.is_empty(), "{}: the demo data has no apprenticeship", app.backend);
        for word in ["lärling", "larling", "lärlingsutbildning", "lardling"] {
            assert_eq!(found_ids(&app, word).await, expected, "{}: {word:?}", app.backend);
        }
    }
}

#[tokio::test]
async fn yrkesvux_finds_every_vocational_komvux_course_and_package() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let expected: BTreeSet<String> = every_offering(&app)
            .await
            .iter()
            .filter(|o| {
                let course = &o["course"];
                course["komvux"] == true && (course["vocational"] == true || course["configuration"] == "PACKAGE")
            })
            .map(|o| text(&o["id"]).to_owned())
            .collect();
        assert!(!expected.is_empty(), "{}: the demo data has no yrkesvux", app.backend);
        assert_eq!(found_ids(&app, "yrkesvux").await, expected, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_word_typed_without_a_ring_or_dots_finds_what_the_swedish_spelling_finds() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for (swedish, folded) in [
            ("vård", "vard"),
            ("undersköterska", "underskoterska"),
            ("lärling", "larling"),
            ("Södertälje", "sodertalje"),
        ] {
            let expected = found_ids(&app, swedish).await;
            assert!(!expected.is_empty(), "{}: {swedish:?} finds nothing", app.backend);
            let found = found_ids(&app, folded).await;
            assert!(expected.is_subset(&found), "{}: {folded:?} misses some of what {swedish:?} finds", app.backend);
        }
    }
}

#[tokio::test]
async fn a_word_of_a_kind_and_a_course_word_narrow_each_other() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (both, titles) = search(&app, "matematik distans", Value::Null).await;
        let distance = json!({ "modes": ["DISTANCE"] });
        assert_eq!(both, total(&app, Some("matematik"), distance).await, "{}", app.backend);
        assert!(titles.iter().all(|t| t.starts_with("Matematik")), "{}: {titles:?}", app.backend);
    }
}

#[tokio::test]
async fn open_for_application_now_includes_every_offering_with_continuous_intake() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        assert_open_now_includes_continuous_intake(&app).await;
    }
}

/// Harvested from the simulated municipal systems in their real formats, continuous intake
/// from the kinds that carry no application dates (`csv`, `json_api`, `ss12000`) has no
/// application window at all: the case residents found missing from `openForApplicationNow`.
#[tokio::test]
async fn open_for_application_now_includes_harvested_continuous_intake_without_an_application_window() {
    const CONTINUOUS: &str = "query($after: String) {
      offerings(filter: {continuousIntake: true}, first: 500, after: $after) {
        nodes { application { opens closes continuous } }
        pageInfo { hasNextPage endCursor }
      }
    }";
    for db in fresh_databases().await {
        let app = TestApp::builder().upstreams(regional()).spawn(&db).await;
        let reports = app.runner().await.run_now(&[]).await;
        for report in &reports {
            assert_eq!(
                report.outcome,
                ReportOutcome::Succeeded,
                "{}: {}: {:?}",
                app.backend,
                report.source,
                report.error
            );
        }
        app.app.refresher.refresh().await.expect("the read model is rebuilt");
        let (mut without_window, mut after) = (0, Value::Null);
        loop {
            let data = app.data(CONTINUOUS, json!({ "after": after })).await;
            without_window += data["offerings"]["nodes"]
                .as_array()
                .expect("a list")
                .iter()
                .filter(|n| n["application"] == json!({ "opens": null, "closes": null, "continuous": false }))
                .count();
            let info = &data["offerings"]["pageInfo"];
            if info["hasNextPage"] != true {
                break;
            }
            after = info["endCursor"].clone();
        }
        assert!(without_window > 0, "{}: no harvested continuous intake without an application window", app.backend);
        assert_open_now_includes_continuous_intake(&app).await;
    }
}

/// The app over the regional demo set harvested from the simulated municipal systems, each
/// source in its kind's real format.
async fn harvested(db: &TestDatabase) -> TestApp {
    let app = TestApp::builder().upstreams(regional()).spawn(db).await;
    let reports = app.runner().await.run_now(&[]).await;
    for report in &reports {
        assert_eq!(report.outcome, ReportOutcome::Succeeded, "{}: {}: {:?}", app.backend, report.source, report.error);
    }
    app.app.refresher.refresh().await.expect("the read model is rebuilt");
    app
}

#[tokio::test]
async fn the_words_for_kinds_find_every_offering_of_their_kind_when_harvested_in_every_format() {
    for db in fresh_databases().await {
        let app = harvested(&db).await;
        let komvux = json!({ "schoolForms": ["VUXGR", "VUXGY", "VUXSFI", "VUXGRAN", "VUXGYAN"] });
        assert_word_finds_exactly(&app, "komvux", komvux).await;
        assert_word_finds_exactly(&app, "distans", json!({ "modes": ["DISTANCE"] })).await;
        assert_word_finds_exactly(&app, "kvall", json!({ "timesOfStudy": ["EVENING"] })).await;
    }
}

async fn assert_open_now_includes_continuous_intake(app: &TestApp) {
    let continuous = total(app, None, json!({ "continuousIntake": true })).await;
    assert!(continuous > 0, "{}: no continuous intake", app.backend);
    let open_now = total(app, None, json!({ "continuousIntake": true, "openForApplicationNow": true })).await;
    assert_eq!(open_now, continuous, "{}: continuous intake left out of openForApplicationNow", app.backend);
    let today = total(app, None, json!({ "continuousIntake": true, "openForApplicationOn": "2026-11-27" })).await;
    assert_eq!(today, open_now, "{}: openForApplicationNow is openForApplicationOn today", app.backend);
}
