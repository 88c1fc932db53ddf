//! The labour-market outlook in the store: publications read back as written, a publication
//! of a stored date replaces it whole, the newest one is what the registries carry, and an
//! import is audited like the other registries'.

use chrono::NaiveDate;
use vuxnav_schema::{
    BarometerOccupation, JobOpportunities, OutlookArea, OutlookForecast, OutlookPublication, OutlookRow,
    RecruitmentSituation, Taxonomy,
};
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{AuditContext, AuditQuery, ImportOutcome, RegistryRows, StoreError};

fn taxonomy() -> &'static Taxonomy {
    Taxonomy::pinned().expect("the shipped snapshot")
}

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).expect("a day")
}

fn row(id: &str, area: &str, opportunities: JobOpportunities) -> OutlookRow {
    OutlookRow {
        barometer: BarometerOccupation::new(id, "Undersköterskor, hemtjänst och äldreboende").expect("valid"),
        occupations: OutlookRow::occupations(taxonomy(), ["Y3QA_5pk_uXd", "4zLr_jP5_peZ"]).expect("pinned"),
        area: OutlookArea::parse(area).expect("an area"),
        job_opportunities: opportunities,
        recruitment: RecruitmentSituation::Shortage,
        forecast: OutlookForecast::Increase,
    }
}

fn publication(published: NaiveDate, rows: Vec<OutlookRow>) -> OutlookPublication {
    OutlookPublication::new(published, "Arbetsförmedlingen, Yrkesbarometern", false, rows).expect("valid")
}

#[tokio::test]
async fn a_publication_reads_back_as_written_and_the_newest_is_in_the_registries() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let older = publication(day(1, 15), vec![row("bar-5321", "riket", JobOpportunities::Medium)]);
        let newer = publication(
            day(5, 15),
            vec![row("bar-5321", "01", JobOpportunities::Large), row("bar-5321", "riket", JobOpportunities::Large)],
        );
        let rows = RegistryRows::Outlook(vec![older.clone(), newer.clone()]);
        let outcome = db.import_registry(&rows, false, &AuditContext::cli(), "outlook.csv").await?;
        assert_eq!(outcome, ImportOutcome { new: 3, updated: 0 }, "{}", db.backend);

        assert_eq!(db.outlook_publications(taxonomy()).await?, vec![newer.clone(), older], "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.outlook, Some(newer), "{}", db.backend);

        let query = AuditQuery { action: Some("registry.import".to_owned()), first: 10, ..AuditQuery::default() };
        let audited = db.audit_events(&query).await?;
        let import = audited.iter().find(|e| e.target_id == "outlook.csv").expect("the import is audited");
        assert_eq!(import.target_type, "outlook", "{}", db.backend);
        assert_eq!(import.after, Some(serde_json::json!({ "rows": 3, "new": 3, "updated": 0 })), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_publication_of_a_stored_date_replaces_it_whole_and_a_dry_run_writes_nothing() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let first = publication(
            day(5, 15),
            vec![row("bar-5321", "01", JobOpportunities::Small), row("bar-5321", "riket", JobOpportunities::Small)],
        );
        db.import_registry(&RegistryRows::Outlook(vec![first.clone()]), false, &AuditContext::cli(), "a").await?;

        // The correction leaves out the county row and changes the national one.
        let corrected = publication(day(5, 15), vec![row("bar-5321", "riket", JobOpportunities::Large)]);
        let rows = RegistryRows::Outlook(vec![corrected.clone()]);
        let dry = db.import_registry(&rows, true, &AuditContext::cli(), "b").await?;
        assert_eq!(dry, ImportOutcome { new: 0, updated: 1 }, "{}", db.backend);
        assert_eq!(db.outlook_publications(taxonomy()).await?, vec![first], "{}", db.backend);

        db.import_registry(&rows, false, &AuditContext::cli(), "b").await?;
        assert_eq!(db.outlook_publications(taxonomy()).await?, vec![corrected], "{}", db.backend);
    }
    Ok(())
}
