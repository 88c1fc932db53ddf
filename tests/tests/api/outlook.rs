//! The labour-market outlook through the public API: an occupation's outlook in the region's
//! county by default, in another county with the national figures standing in, a pathway's in
//! its home county, the newest publication answering, and a bad county named.

use chrono::NaiveDate;
use vuxnav_schema::{
    BarometerOccupation, JobOpportunities, OutlookArea, OutlookForecast, OutlookPublication, OutlookRow,
    RecruitmentSituation, Taxonomy,
};
use vuxnav_store::{AuditContext, RegistryRows};
use vuxnav_tests::{StatusCode, TestApp, assert_error, fresh_databases, json};

const OUTLOOK: &str = "query($search: String!, $county: String) {
  occupations(search: $search) {
    id
    outlook(county: $county) {
      barometerOccupation { id label } area areaName nationalFallback
      jobOpportunities recruitmentSituation forecast published source illustrative
    }
  }
}";

/// A real-looking (not illustrative) publication of `published` assessing undersköterskor
/// nationally only.
fn publication(published: NaiveDate, opportunities: JobOpportunities) -> OutlookPublication {
    let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
    let row = OutlookRow {
        barometer: BarometerOccupation::new("bar-5321", "Undersköterskor").expect("valid"),
        occupations: OutlookRow::occupations(taxonomy, ["Y3QA_5pk_uXd"]).expect("pinned"),
        area: OutlookArea::National,
        job_opportunities: opportunities,
        recruitment: RecruitmentSituation::Balance,
        forecast: OutlookForecast::Decrease,
    };
    OutlookPublication::new(published, "Arbetsförmedlingen, Yrkesbarometern", false, vec![row]).expect("valid")
}

#[tokio::test]
async fn an_occupations_outlook_is_its_countys_by_default_and_the_national_one_stands_in_elsewhere() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let outlook = |body: &serde_json::Value| body["occupations"][0]["outlook"][0].clone();

        let home = app.data(OUTLOOK, json!({ "search": "underskoterska" })).await;
        let in_stockholm = outlook(&home);
        assert_eq!(in_stockholm["area"], "01", "{}: {home}", app.backend);
        assert_eq!(in_stockholm["areaName"], "Stockholms län", "{}", app.backend);
        assert_eq!(in_stockholm["nationalFallback"], false, "{}", app.backend);
        assert_eq!(in_stockholm["illustrative"], true, "{}: the demo's figures are made up", app.backend);
        assert_eq!(in_stockholm["barometerOccupation"]["id"], "demo-5321", "{}", app.backend);

        let elsewhere = app.data(OUTLOOK, json!({ "search": "underskoterska", "county": "03" })).await;
        let in_uppsala = outlook(&elsewhere);
        assert_eq!((&in_uppsala["area"], &in_uppsala["nationalFallback"]), (&json!("riket"), &json!(true)));

        let national = app.data(OUTLOOK, json!({ "search": "underskoterska", "county": "riket" })).await;
        assert_eq!(outlook(&national)["nationalFallback"], false, "{}: national was asked for", app.backend);

        let (status, body) = app.graphql(OUTLOOK, json!({ "search": "underskoterska", "county": "02" })).await;
        assert_eq!(status, StatusCode::OK, "{}", app.backend);
        assert_error(app.backend, &body, "BAD_USER_INPUT", "county");
    }
}

#[tokio::test]
async fn a_pathway_shows_its_home_countys_outlook_and_falls_back_to_the_national_one() {
    const PATHWAY: &str = "query($occupation: String!) {
      pathway(occupation: $occupation, municipality: \"0127\", first: 1) {
        outlook { area nationalFallback published illustrative }
      }
    }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;

        let usk = app.data(PATHWAY, json!({ "occupation": "Y3QA_5pk_uXd" })).await;
        assert_eq!(usk["pathway"]["outlook"][0]["area"], "01", "{}: {usk}", app.backend);
        assert_eq!(usk["pathway"]["outlook"][0]["nationalFallback"], false, "{}", app.backend);

        // The demo assesses barnskötare nationally only.
        let barnskotare = app.data(PATHWAY, json!({ "occupation": "rM7G_ge7_XhP" })).await;
        assert_eq!(barnskotare["pathway"]["outlook"][0]["area"], "riket", "{}: {barnskotare}", app.backend);
        assert_eq!(barnskotare["pathway"]["outlook"][0]["nationalFallback"], true, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_newer_publication_replaces_the_older_in_answers_and_an_older_import_does_not() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let newer = NaiveDate::from_ymd_opt(2026, 5, 15).expect("a day");
        let older = NaiveDate::from_ymd_opt(2025, 11, 20).expect("a day");
        for published in [newer, older] {
            let rows = RegistryRows::Outlook(vec![publication(published, JobOpportunities::Small)]);
            app.store.import_registry(&rows, false, &AuditContext::cli(), "test").await.expect("imported");
            app.app.refresher.refresh_registries().await.expect("the registry snapshot is rebuilt");
        }

        let body = app.data(OUTLOOK, json!({ "search": "underskoterska" })).await;

        let outlook = &body["occupations"][0]["outlook"];
        assert_eq!(outlook.as_array().map(Vec::len), Some(1), "{}: {body}", app.backend);
        assert_eq!(outlook[0]["published"], "2026-05-15", "{}", app.backend);
        assert_eq!(outlook[0]["source"], "Arbetsförmedlingen, Yrkesbarometern", "{}", app.backend);
        assert_eq!(outlook[0]["illustrative"], false, "{}", app.backend);
        assert_eq!(outlook[0]["jobOpportunities"], "SMALL", "{}", app.backend);
        // Only the national figures in this publication: they stand in for Stockholms län.
        assert_eq!((&outlook[0]["area"], &outlook[0]["nationalFallback"]), (&json!("riket"), &json!(true)));
    }
}

#[tokio::test]
async fn the_portal_says_the_outlook_in_swedish_with_its_source_and_that_the_figures_are_illustrative() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;

        let usk = app.get("/yrken/Y3QA_5pk_uXd?kommun=0127", &[]).await;
        assert_eq!(usk.status, StatusCode::OK, "{}", app.backend);
        for said in ["Möjligheter till arbete i Stockholms län: ", "Efterfrågan på arbetskraft på fem års sikt: "]
        {
            assert!(usk.body.contains(said), "{}: `{said}` is missing: {}", app.backend, usk.body);
        }
        assert!(usk.body.contains("Källa: vuxnavs demo"), "{}: {}", app.backend, usk.body);
        assert!(usk.body.contains("publicerad 1 januari 2026"), "{}: {}", app.backend, usk.body);
        assert!(usk.body.contains("<strong>Illustrativa siffror</strong>"), "{}: {}", app.backend, usk.body);

        let barnskotare = app.get("/yrken/rM7G_ge7_XhP?kommun=0127", &[]).await;
        assert!(
            barnskotare.body.contains("Det finns inga siffror för Stockholms län, så siffrorna gäller hela landet.")
                && barnskotare.body.contains("Möjligheter till arbete i hela landet: "),
            "{}: {}",
            app.backend,
            barnskotare.body
        );

        let list = app.get("/yrken?q=underskoterska", &[]).await;
        assert!(list.body.contains("Möjligheter till arbete i Stockholms län: "), "{}: {}", app.backend, list.body);
        assert!(list.body.contains("(illustrativa siffror)"), "{}: {}", app.backend, list.body);
    }
}
