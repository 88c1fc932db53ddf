//! The region, its offerings, the facets over them and the sources they come from.

use std::collections::{BTreeMap, BTreeSet};

use vuxnav_tests::{STOCKHOLM_COUNTY, TestApp, Value, count, facet_sum, fresh_databases, json, text};

const FACETS: &str = "query($filter: OfferingFilterInput, $search: String) {
  offerings(filter: $filter, search: $search, first: 1) {
    totalCount
    facets {
      municipality { municipality { code } count }
      schoolForm { value count }
      mode { value count }
      timeOfStudy { value count }
      language { value count }
    }
  }
}";

/// Each facet and the filter field that is its own.
const FACETS_AND_FILTERS: [(&str, &str); 5] = [
    ("municipality", "municipalities"),
    ("schoolForm", "schoolForms"),
    ("mode", "modes"),
    ("timeOfStudy", "timesOfStudy"),
    ("language", "languages"),
];

#[tokio::test]
async fn the_region_is_the_26_municipalities_of_stockholm_county_by_kommunkod() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data("{ municipalities { code name county { code name } } }", Value::Null).await;
        let municipalities = data["municipalities"].as_array().expect("a list");
        let codes: Vec<&str> = municipalities.iter().map(|m| text(&m["code"])).collect();
        assert_eq!(codes, STOCKHOLM_COUNTY, "{}: the region's kommunkoder", app.backend);
        for municipality in municipalities {
            assert_eq!(municipality["county"]["code"], "01", "{}: {municipality}", app.backend);
            assert!(!text(&municipality["name"]).is_empty(), "{}: {municipality}", app.backend);
        }
    }
}

#[tokio::test]
async fn every_municipality_of_the_region_has_offerings() {
    const ONE_MUNICIPALITY: &str =
        "query($code: String!) { offerings(filter: {municipalities: [$code]}, first: 0) { totalCount } }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data("{ municipalities { code offeringCount } }", Value::Null).await;
        let facets = app.data(FACETS, Value::Null).await;
        let by_facet: BTreeMap<&str, u64> = facets["offerings"]["facets"]["municipality"]
            .as_array()
            .expect("a facet list")
            .iter()
            .map(|f| (text(&f["municipality"]["code"]), count(&f["count"])))
            .collect();
        for municipality in data["municipalities"].as_array().expect("a list") {
            let code = text(&municipality["code"]);
            assert!(count(&municipality["offeringCount"]) > 0, "{}: {code} has no offerings", app.backend);
            let filtered = app.data(ONE_MUNICIPALITY, json!({ "code": code })).await;
            let total = count(&filtered["offerings"]["totalCount"]);
            assert!(total > 0, "{}: offerings in {code} has totalCount 0", app.backend);
            assert_eq!(
                total,
                count(&municipality["offeringCount"]),
                "{}: offeringCount of {code} and the totalCount of its offerings",
                app.backend
            );
            assert_eq!(by_facet.get(code), Some(&total), "{}: the facet count of {code}", app.backend);
        }
    }
}

#[tokio::test]
async fn the_offering_counts_of_the_municipalities_add_up_to_the_total_of_offerings_cancelled_left_out() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app
            .data(
                "{ municipalities { offeringCount } offerings(first: 0) { totalCount }
                   all: offerings(filter: {includeCancelled: true}, first: 0) { totalCount } }",
                Value::Null,
            )
            .await;
        let sum: u64 =
            data["municipalities"].as_array().expect("a list").iter().map(|m| count(&m["offeringCount"])).sum();
        assert_eq!(sum, count(&data["offerings"]["totalCount"]), "{}", app.backend);
        assert!(sum < count(&data["all"]["totalCount"]), "{}: the demo data has no cancelled offering", app.backend);
    }
}

#[tokio::test]
async fn all_290_municipalities_of_sweden_are_listed_outside_the_region() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data("{ municipalities(inRegion: false) { code name } }", Value::Null).await;
        let codes: Vec<&str> =
            data["municipalities"].as_array().expect("a list").iter().map(|m| text(&m["code"])).collect();
        assert_eq!(codes.len(), 290, "{}", app.backend);
        let unique: BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(unique.len(), 290, "{}: kommunkoder repeat", app.backend);
        for code in &codes {
            assert!(code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()), "{}: kommunkod {code}", app.backend);
        }
        for code in STOCKHOLM_COUNTY {
            assert!(unique.contains(code), "{}: {code} is missing", app.backend);
        }
        assert!(unique.contains("2584"), "{}: Kiruna (2584) is missing", app.backend);
    }
}

#[tokio::test]
async fn the_region_holds_at_least_5000_offerings() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data("{ offerings { totalCount } }", Value::Null).await;
        let total = count(&data["offerings"]["totalCount"]);
        assert!(total >= 5000, "{}: only {total} offerings", app.backend);
    }
}

#[tokio::test]
async fn each_facet_adds_up_to_total_count_without_its_own_filter_with_and_without_a_search() {
    let cases = [
        json!({}),
        json!({ "filter": { "municipalities": ["0180", "0126"], "schoolForms": ["VUXGY"] } }),
        json!({ "filter": { "timesOfStudy": ["EVENING", "WEEKEND"], "paceMin": 50 } }),
        json!({ "search": "svenska" }),
        json!({ "search": "matematik", "filter": { "modes": ["DISTANCE", "HYBRID"] } }),
        json!({ "filter": { "includeCancelled": true, "languages": ["swe", "eng"] } }),
    ];
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for variables in &cases {
            let data = app.data(FACETS, variables.clone()).await;
            let offerings = &data["offerings"];
            assert!(count(&offerings["totalCount"]) > 0, "{}: nothing selected by {variables}", app.backend);
            for (name, own_filter) in FACETS_AND_FILTERS {
                let mut relaxed = variables.clone();
                if let Some(filter) = relaxed.get_mut("filter").and_then(Value::as_object_mut) {
                    filter.remove(own_filter);
                }
                let total = count(&app.data(FACETS, relaxed.clone()).await["offerings"]["totalCount"]);
                let facet = &offerings["facets"][name];
                assert_eq!(facet_sum(facet), total, "{}: facet {name} under {variables}: {facet}", app.backend);
                let values: Vec<String> = facet
                    .as_array()
                    .expect("a facet list")
                    .iter()
                    .map(|f| {
                        if name == "municipality" {
                            f["municipality"]["code"].to_string()
                        } else {
                            f["value"].to_string()
                        }
                    })
                    .collect();
                let unique: BTreeSet<&String> = values.iter().collect();
                assert_eq!(unique.len(), values.len(), "{}: facet {name} repeats a value: {facet}", app.backend);
            }
        }
    }
}

#[tokio::test]
async fn a_filtered_facet_shows_the_alternatives_to_the_chosen_values() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let variables = json!({ "filter": { "municipalities": ["0126"], "modes": ["DISTANCE"] }, "search": "svenska" });
        let data = app.data(FACETS, variables.clone()).await;
        let offerings = &data["offerings"];
        let total = count(&offerings["totalCount"]);
        let municipalities = offerings["facets"]["municipality"].as_array().expect("a facet list");
        assert!(municipalities.len() > 1, "{}: only the chosen municipality: {municipalities:?}", app.backend);
        let huddinge = municipalities.iter().find(|f| f["municipality"]["code"] == "0126");
        assert_eq!(
            huddinge.map(|f| count(&f["count"])),
            Some(total),
            "{}: the chosen value counts what is shown",
            app.backend
        );
        let modes = offerings["facets"]["mode"].as_array().expect("a facet list");
        assert!(modes.iter().any(|f| f["value"] == "ON_SITE"), "{}: {modes:?}", app.backend);
        let distance = modes.iter().find(|f| f["value"] == "DISTANCE");
        assert_eq!(distance.map(|f| count(&f["count"])), Some(total), "{}: {modes:?}", app.backend);
    }
}

#[tokio::test]
async fn a_bounded_municipality_facet_keeps_the_leading_ones_and_every_chosen_one() {
    const BOUNDED: &str = "query($filter: OfferingFilterInput, $first: Int) {
      offerings(filter: $filter, first: 0) {
        facets { all: municipality { municipality { code } count } top: municipality(first: $first) { municipality { code } count } }
      } }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        // Ekerö (0125) has fewer offerings than Stockholm and Huddinge: it is chosen, not leading.
        let variables = json!({ "filter": { "municipalities": ["0125"] }, "first": 2 });
        let data = app.data(BOUNDED, variables).await;
        let facets = &data["offerings"]["facets"];
        let all = facets["all"].as_array().expect("a facet list");
        let top = facets["top"].as_array().expect("a facet list");
        let ekero_rank = all.iter().position(|f| f["municipality"]["code"] == "0125").expect("Ekerö counted");
        assert!(ekero_rank >= 2, "{}: Ekerö leads, so the test shows nothing: {all:?}", app.backend);
        let mut expected: Vec<&Value> = all[..2].iter().collect();
        expected.push(&all[ekero_rank]);
        assert_eq!(top.iter().collect::<Vec<_>>(), expected, "{}: the two leading and the chosen one", app.backend);

        let (_, body) = app.graphql(BOUNDED, json!({ "first": -1 })).await;
        vuxnav_tests::assert_error(app.backend, &body, "BAD_USER_INPUT", "first");
    }
}

#[tokio::test]
async fn every_municipality_has_one_source_that_is_ok_and_harvested_with_its_cancelled_offerings_counted() {
    const SOURCES: &str =
        "{ sources { id kind status lastAttempt lastSuccess lastError municipality { code } offeringCount }
           offerings(filter: {includeCancelled: true}, first: 0) { facets { municipality { municipality { code } count } } } }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data(SOURCES, Value::Null).await;
        let sources = data["sources"].as_array().expect("a list");
        assert_eq!(sources.len(), 26, "{}: {sources:?}", app.backend);
        let held: BTreeMap<&str, u64> = data["offerings"]["facets"]["municipality"]
            .as_array()
            .expect("a facet list")
            .iter()
            .map(|f| (text(&f["municipality"]["code"]), count(&f["count"])))
            .collect();
        let mut codes = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for source in sources {
            assert_eq!(source["status"], "OK", "{}: {source}", app.backend);
            let last_success = text(&source["lastSuccess"]);
            assert!(last_success.starts_with("2026-11-27T03:00:00"), "{}: {source}", app.backend);
            assert_eq!(source["lastError"], Value::Null, "{}: {source}", app.backend);
            let code = text(&source["municipality"]["code"]);
            assert!(
                text(&source["id"]).starts_with(code),
                "{}: the source id names its kommunkod: {source}",
                app.backend
            );
            assert_eq!(Some(&count(&source["offeringCount"])), held.get(code), "{}: {source}", app.backend);
            codes.insert(code);
            kinds.insert(text(&source["kind"]));
        }
        assert_eq!(codes, STOCKHOLM_COUNTY.into_iter().collect(), "{}: one source per municipality", app.backend);
        assert!(kinds.len() >= 3, "{}: only the kinds {kinds:?}", app.backend);
    }
}
