//! `statistics` as a statistician reads it: figures that add up to the catalogue's own totals
//! (`offerings.totalCount`, `Municipality.offeringCount`) under the same filter.

use vuxnav_tests::{TestApp, fresh_databases, json, regional};

const STATISTICS: &str = "query($filter: OfferingFilterInput, $by: [StatisticsGroupBy!]) {
  statistics(filter: $filter, groupBy: $by) {
    total { offerings seats distanceOfferings distanceShare eveningShare }
    groups { municipality { code offeringCount } schoolForm figures { offerings seats distanceOfferings } }
  }
  offerings(filter: $filter, first: 0) { totalCount }
}";

#[tokio::test]
async fn statistics_by_municipality_and_school_form_add_up_to_the_catalogues_totals() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;

        let data = app.data(STATISTICS, json!({ "by": ["MUNICIPALITY", "SCHOOL_FORM"] })).await;

        let statistics = &data["statistics"];
        let total = statistics["total"]["offerings"].as_u64().expect("a total");
        assert_eq!(Some(total), data["offerings"]["totalCount"].as_u64(), "{}: {data}", app.backend);
        let groups = statistics["groups"].as_array().expect("groups");
        let sum = |field: &str| groups.iter().filter_map(|g| g["figures"][field].as_u64()).sum::<u64>();
        assert_eq!(sum("offerings"), total, "{}", app.backend);
        assert_eq!(Some(sum("seats")), statistics["total"]["seats"].as_u64(), "{}", app.backend);
        assert_eq!(
            Some(sum("distanceOfferings")),
            statistics["total"]["distanceOfferings"].as_u64(),
            "{}",
            app.backend
        );
        let mut per_municipality = std::collections::BTreeMap::<String, (u64, u64)>::new();
        for group in groups {
            let code = group["municipality"]["code"].as_str().expect("grouped by municipality").to_owned();
            assert!(group["schoolForm"].is_string(), "{}: grouped by school form: {group}", app.backend);
            let entry = per_municipality.entry(code).or_default();
            entry.0 += group["figures"]["offerings"].as_u64().unwrap_or_default();
            entry.1 = group["municipality"]["offeringCount"].as_u64().unwrap_or_default();
        }
        assert!(per_municipality.len() > 1, "{}: {data}", app.backend);
        for (code, (grouped, counted)) in per_municipality {
            assert_eq!(grouped, counted, "{}: municipality {code}", app.backend);
        }
    }
}

#[tokio::test]
async fn filtered_statistics_count_what_the_same_search_counts() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let filter = json!({ "schoolForms": ["VUXGY"], "modes": ["DISTANCE"] });

        let data = app.data(STATISTICS, json!({ "filter": filter, "by": [] })).await;

        let total = &data["statistics"]["total"];
        assert_eq!(total["offerings"], data["offerings"]["totalCount"], "{}: {data}", app.backend);
        assert_eq!(total["offerings"], total["distanceOfferings"], "{}: every one at a distance", app.backend);
        assert!(data["statistics"]["groups"].as_array().is_some_and(Vec::is_empty), "{}", app.backend);
    }
}

#[tokio::test]
async fn data_quality_matches_each_sources_offerings_and_harvest_runs() {
    const QUALITY: &str = "{
      dataQuality { source lastSuccess offerings missingApplicationLink { count share }
                    runs { id outcome fetched rejected rejectionRate } }
      sources { id offeringCount }
      harvestRuns(first: 500) { edges { node { id source outcome finished counts { fetched rejected } } } }
    }";
    for db in fresh_databases().await {
        let app = TestApp::builder().upstreams(regional()).spawn(&db).await;
        for _ in 0..2 {
            app.runner().await.run_now(&[]).await;
        }
        app.app.refresher.refresh().await.expect("the read model is rebuilt");

        let data = app.data(QUALITY, json!(null)).await;

        let quality = data["dataQuality"].as_array().expect("a list");
        let sources = data["sources"].as_array().expect("a list");
        assert_eq!(quality.len(), sources.len(), "{}: every demo source: {data}", app.backend);
        let runs: Vec<&serde_json::Value> =
            data["harvestRuns"]["edges"].as_array().expect("runs").iter().map(|e| &e["node"]).collect();
        for source in quality {
            let id = &source["source"];
            let listed = sources.iter().find(|s| &s["id"] == id).expect("a configured source");
            assert_eq!(source["offerings"], listed["offeringCount"], "{}: {id}", app.backend);
            let own: Vec<&&serde_json::Value> = runs.iter().filter(|r| &r["source"] == id).collect();
            let kept = source["runs"].as_array().expect("runs");
            assert_eq!(kept.len(), 2, "{}: {id} was harvested twice", app.backend);
            assert_eq!(kept.len(), own.len().min(10), "{}: {id}", app.backend);
            for (run, recorded) in kept.iter().zip(&own) {
                assert_eq!(run["id"], recorded["id"], "{}: newest first", app.backend);
                assert_eq!(run["rejected"], recorded["counts"]["rejected"], "{}", app.backend);
                assert_eq!(run["fetched"], recorded["counts"]["fetched"], "{}", app.backend);
            }
            let succeeded = own.iter().find(|r| r["outcome"] == "SUCCEEDED").map(|r| &r["finished"]);
            assert_eq!(Some(&source["lastSuccess"]), succeeded, "{}: {id}", app.backend);
            let share = source["missingApplicationLink"]["share"].as_f64().unwrap_or_default();
            assert!((0.0..=1.0).contains(&share), "{}: {source}", app.backend);
        }
    }
}
