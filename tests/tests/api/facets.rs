//! The facets beside the portal's filters through the API: subject, pace, start window,
//! continuous intake and open now. Each value's count is the `totalCount` of the same query
//! with that value chosen.

use chrono::Days;
use vuxnav_tests::{TestApp, Value, count, fresh_databases, json, text, today};

const FACETS: &str = "query($filter: OfferingFilterInput, $search: String) {
  offerings(filter: $filter, search: $search, first: 0) {
    totalCount
    facets {
      subject { subject count }
      top: subject(first: 2) { subject count }
      pace { value count }
      startWithin { days count }
      continuousIntake
      openNow
    }
  }
}";

/// `variables` with `filter` extended by `fields`.
fn choose(variables: &Value, fields: Value) -> Value {
    let mut chosen = variables.clone();
    let filter = chosen.as_object_mut().expect("an object").entry("filter").or_insert_with(|| json!({}));
    for (key, value) in fields.as_object().expect("an object") {
        filter.as_object_mut().expect("an object").insert(key.clone(), value.clone());
    }
    chosen
}

#[tokio::test]
async fn each_new_facet_s_count_is_the_total_count_with_its_value_chosen() {
    let cases = [json!({}), json!({ "filter": { "municipalities": ["0126"] }, "search": "svenska" })];
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let backend = app.backend;
        let total = |variables: Value| {
            let app = &app;
            async move { count(&app.data(FACETS, variables).await["offerings"]["totalCount"]) }
        };
        for variables in &cases {
            let data = app.data(FACETS, variables.clone()).await;
            let facets = &data["offerings"]["facets"];
            let subjects = facets["subject"].as_array().expect("a facet list");
            assert!(subjects.len() > 2, "{backend}: {subjects:?}");
            assert_eq!(facets["top"].as_array().map(Vec::len), Some(2), "{backend}: subject(first: 2)");
            for entry in subjects.iter().take(5) {
                let chosen = choose(variables, json!({ "subjects": [text(&entry["subject"])] }));
                assert_eq!(count(&entry["count"]), total(chosen).await, "{backend}: {entry} under {variables}");
            }
            let bounds = [("FULL_TIME", 100, 100), ("PART_TIME", 50, 99), ("UNDER_HALF", 1, 49)];
            let paces = facets["pace"].as_array().expect("a facet list");
            assert_eq!(paces.len(), 3, "{backend}: every band: {paces:?}");
            for (entry, (band, min, max)) in paces.iter().zip(bounds) {
                assert_eq!(entry["value"], band, "{backend}");
                let chosen = choose(variables, json!({ "paceMin": min, "paceMax": max }));
                assert_eq!(count(&entry["count"]), total(chosen).await, "{backend}: {entry} under {variables}");
            }
            let windows = facets["startWithin"].as_array().expect("a facet list");
            assert_eq!(windows.iter().map(|w| count(&w["days"])).collect::<Vec<_>>(), [30, 90, 180], "{backend}");
            for entry in windows {
                let to = today().checked_add_days(Days::new(count(&entry["days"]))).expect("a date");
                let chosen = choose(variables, json!({ "startFrom": today().to_string(), "startTo": to.to_string() }));
                assert_eq!(count(&entry["count"]), total(chosen).await, "{backend}: {entry} under {variables}");
            }
            let continuous = choose(variables, json!({ "continuousIntake": true }));
            assert_eq!(count(&facets["continuousIntake"]), total(continuous).await, "{backend}: {variables}");
            let open = choose(variables, json!({ "openForApplicationNow": true }));
            let open_now = count(&facets["openNow"]);
            assert_eq!(open_now, total(open.clone()).await, "{backend}: {variables}");
            let ticked = app.data(FACETS, open).await;
            assert_eq!(count(&ticked["offerings"]["facets"]["openNow"]), open_now, "{backend}: its own filter set");
        }
    }
}

#[tokio::test]
async fn a_chosen_subject_code_stays_in_a_bounded_subject_facet_with_its_count() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data(FACETS, json!({ "filter": { "subjects": ["MAT"] } })).await;
        let offerings = &data["offerings"];
        let top = offerings["facets"]["top"].as_array().expect("a facet list");
        assert_eq!(top.len(), 3, "{}: the two leading and the chosen code: {top:?}", app.backend);
        let code = top.iter().find(|entry| entry["subject"] == "MAT").expect("the chosen code");
        assert_eq!(code["count"], offerings["totalCount"], "{}", app.backend);
        assert!(count(&code["count"]) > 0, "{}", app.backend);
    }
}
