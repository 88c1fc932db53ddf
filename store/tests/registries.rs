//! The region's registries in the store: round trips, upserts on keys, removal, bulk imports
//! that land whole or not at all, and prices that may not overlap what is stored.

use chrono::{NaiveDate, NaiveTime, Utc, Weekday};
use vuxnav_schema::{
    AmountSek, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService, IndustryModel, Language,
    Location, MunicipalityCode, OccupationLink, OpeningHours, Party, Payer, PriceListEntry, PriceScope, PriceUnit,
    RegistryKey, SchoolForm, SeqfLevel, TargetGroup, Taxonomy, ValidationKind, ValidationOffer, Validity,
};
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{
    AuditContext, AuditQuery, ChangedBy, ImportOutcome, May, RegistryChange, RegistryChanged, RegistryEntry,
    RegistryEntryId, RegistryRows, Store, StoreError,
};

fn taxonomy() -> &'static Taxonomy {
    Taxonomy::pinned().expect("the shipped snapshot")
}

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).expect("a day")
}

fn kommun(code: &str) -> MunicipalityCode {
    MunicipalityCode::parse(code).expect("a kommunkod")
}

fn key(value: &str) -> RegistryKey {
    RegistryKey::parse(value).expect("a key")
}

fn branschvalidering() -> ValidationOffer {
    ValidationOffer {
        key: key("bygg-byn-sodertalje"),
        kind: ValidationKind::AgainstIndustry,
        title: "Branschvalidering för träarbetare".to_owned(),
        course_codes: vec![],
        occupations: vec![taxonomy().occupation_id("4Z7F_oBG_vMG").expect("träarbetare")],
        industry_model: Some(IndustryModel {
            name: "Byggindustrins valideringsmodell".to_owned(),
            owner: "BYN".to_owned(),
        }),
        seqf_level: Some(SeqfLevel::new(4).expect("a level")),
        provider: "Byggcentrum Södertälje".to_owned(),
        municipalities: vec![kommun("0181"), kommun("0192")],
        languages: vec![Language::SWEDISH, Language::parse("ara").expect("Arabic")],
        cost_sek: Some(0),
        paid_by: Payer::Industry,
        contact: "validering@example.se".to_owned(),
        validity: Validity::new(day(2026, 1, 1), Some(day(2026, 12, 31))).expect("valid"),
    }
}

fn centre() -> GuidanceService {
    let time = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
    GuidanceService {
        key: key("vagledning-botkyrka"),
        kind: GuidanceKind::GuidanceCentre,
        name: "Vägledningscentrum Botkyrka".to_owned(),
        organiser: "Botkyrka kommun".to_owned(),
        municipalities: vec![kommun("0127")],
        channels: vec![Channel::OnSite, Channel::Video],
        languages: vec![Language::SWEDISH],
        target_groups: vec![TargetGroup::Sfi, TargetGroup::Vocational],
        address: Location {
            name: Some("Kulturhuset".to_owned()),
            street_address: Some("Tumba torg 1".to_owned()),
            postal_code: Some("147 30".to_owned()),
            town: Some("Tumba".to_owned()),
            coordinates: Some(Coordinates::new(59.1997, 17.8326).expect("a position")),
        },
        booking_url: Some("https://boka.example.se/vagledning".to_owned()),
        phone: None,
        opening_hours: OpeningHours::week([(Weekday::Mon, time(8), time(16)), (Weekday::Thu, time(13), time(19))])
            .expect("a week"),
        draws_up_study_plan: true,
    }
}

fn price(name: &str, from: NaiveDate, to: Option<NaiveDate>) -> PriceListEntry {
    PriceListEntry {
        key: key(name),
        payer: Party::Municipality(kommun("0127")),
        provider: Party::WholeRegion,
        school_form: SchoolForm::VuxGy,
        scope: PriceScope::Course(CourseCode::parse("YVUSK").expect("a code")),
        unit: PriceUnit::PerPoint,
        amount: AmountSek::parse("52.50").expect("an amount"),
        validity: Validity::new(from, to).expect("valid"),
        decision: None,
        source: FigureSource::Illustrative,
    }
}

fn link() -> OccupationLink {
    OccupationLink {
        course: CourseCode::parse("YVUSK").expect("a code"),
        occupation: taxonomy().occupation_id("Y3QA_5pk_uXd").expect("undersköterska"),
    }
}

/// Writes `entry` as an import of one row would (added, or replacing its key).
async fn put(db: &Store, entry: RegistryEntry) -> Result<(), StoreError> {
    db.import_registry(&entry.into_rows(), false, &AuditContext::cli(), "test").await.map(|_| ())
}

/// Makes `change` as the command line, allowed everywhere, describing entries by key.
async fn change(db: &Store, change: RegistryChange, may: May<'_>) -> Result<RegistryChanged, StoreError> {
    let describe = |entry: &RegistryEntry| serde_json::json!({ "key": entry.id().key() });
    let by = ChangedBy { action: "test.change", may, describe: &describe, context: &AuditContext::cli() };
    db.change_registry(&change, by, taxonomy(), Utc::now()).await
}

fn anyone(_: &[MunicipalityCode]) -> bool {
    true
}

#[tokio::test]
async fn every_registry_reads_back_as_it_was_written() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        put(&db, RegistryEntry::OccupationLink(link())).await?;
        put(&db, RegistryEntry::ValidationOffer(branschvalidering())).await?;
        put(&db, RegistryEntry::GuidanceService(centre())).await?;
        put(&db, RegistryEntry::Price(price("usk-2026", day(2026, 1, 1), None))).await?;

        let registries = db.registries(taxonomy()).await?;

        assert_eq!(registries.occupation_links, [link()], "{}", db.backend);
        assert_eq!(registries.validation_offers, [branschvalidering()], "{}", db.backend);
        assert_eq!(registries.guidance_services, [centre()], "{}", db.backend);
        assert_eq!(registries.prices.entries(), [price("usk-2026", day(2026, 1, 1), None)], "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_update_replaces_the_stored_entry_and_audits_it_before_and_after() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        change(&db, RegistryChange::Create(RegistryEntry::GuidanceService(centre())), &anyone).await?;
        let renamed = GuidanceService { name: "Vägledning Tumba".to_owned(), opening_hours: vec![], ..centre() };

        let done =
            change(&db, RegistryChange::Update(RegistryEntry::GuidanceService(renamed.clone())), &anyone).await?;

        let RegistryChanged::Done { before, after } = done else { panic!("{}: refused", db.backend) };
        assert_eq!(before, Some(RegistryEntry::GuidanceService(centre())), "{}", db.backend);
        assert_eq!(after, Some(RegistryEntry::GuidanceService(renamed.clone())), "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.guidance_services, [renamed], "{}", db.backend);
        let audit = db
            .audit_events(&AuditQuery { action: Some("test.".to_owned()), first: 10, ..AuditQuery::default() })
            .await?;
        assert_eq!(audit.len(), 2, "{}: a creation and an update", db.backend);
        assert_eq!(audit[0].target_type, "guidance_service", "{}", db.backend);
        assert_eq!(audit[0].before, Some(serde_json::json!({ "key": "vagledning-botkyrka" })), "{}", db.backend);
        assert_eq!(audit[1].before, None, "{}: created from nothing", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn creating_a_stored_key_or_deleting_a_missing_one_writes_nothing() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        change(&db, RegistryChange::Create(RegistryEntry::ValidationOffer(branschvalidering())), &anyone).await?;

        let again =
            change(&db, RegistryChange::Create(RegistryEntry::ValidationOffer(branschvalidering())), &anyone).await;
        let missing = change(&db, RegistryChange::Delete(RegistryEntryId::OccupationLink(link())), &anyone).await;

        assert!(
            matches!(again, Err(StoreError::RegistryEntryExists("validation_offer", _))),
            "{}: {again:?}",
            db.backend
        );
        assert!(
            matches!(missing, Err(StoreError::UnknownRegistryEntry("occupation_link", _))),
            "{}: {missing:?}",
            db.backend
        );
        let id = RegistryEntryId::ValidationOffer(branschvalidering().key);
        change(&db, RegistryChange::Delete(id), &anyone).await?;
        assert!(db.registries(taxonomy()).await?.validation_offers.is_empty(), "{}", db.backend);
        let audit = db.audit_events(&AuditQuery { first: 10, ..AuditQuery::default() }).await?;
        assert_eq!(audit.len(), 2, "{}: the creation and the deletion, not the failures", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_refused_change_is_asked_about_the_stored_and_the_new_municipalities_and_writes_nothing()
-> Result<(), StoreError> {
    for db in fresh_stores().await {
        put(&db, RegistryEntry::GuidanceService(centre())).await?;
        let huddinge = kommun("0126");
        let only_huddinge = move |touched: &[MunicipalityCode]| touched.iter().all(|m| *m == huddinge);
        let moved = GuidanceService { municipalities: vec![huddinge], ..centre() };

        let refused =
            change(&db, RegistryChange::Update(RegistryEntry::GuidanceService(moved)), &only_huddinge).await?;

        assert_eq!(
            refused,
            RegistryChanged::Refused { municipalities: vec![huddinge, kommun("0127")] },
            "{}",
            db.backend
        );
        assert_eq!(db.registries(taxonomy()).await?.guidance_services, [centre()], "{}", db.backend);
        let changes = AuditQuery { action: Some("test.".to_owned()), first: 10, ..AuditQuery::default() };
        assert!(db.audit_events(&changes).await?.is_empty(), "{}: the caller audits refusals", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_price_that_overlaps_a_stored_price_of_the_same_scope_is_rejected_and_not_written() -> Result<(), StoreError>
{
    for db in fresh_stores().await {
        let create = |entry| RegistryChange::Create(RegistryEntry::Price(entry));
        change(&db, create(price("usk-2026", day(2026, 1, 1), Some(day(2026, 6, 30)))), &anyone).await?;

        let error = change(&db, create(price("usk-2026-ht", day(2026, 6, 1), None)), &anyone)
            .await
            .expect_err("overlaps in June");

        let StoreError::RegistryConflict(reason) = &error else { panic!("{error:?}") };
        assert!(reason.reason.contains("`usk-2026`") && reason.reason.contains("`usk-2026-ht`"), "{reason}");
        assert_eq!(db.registries(taxonomy()).await?.prices.entries().len(), 1, "{}", db.backend);
        // Moving the stored price's end is an update of the same key, not an overlap.
        let shortened = price("usk-2026", day(2026, 1, 1), Some(day(2026, 5, 31)));
        change(&db, RegistryChange::Update(RegistryEntry::Price(shortened)), &anyone).await?;
        change(&db, create(price("usk-2026-ht", day(2026, 6, 1), None)), &anyone).await?;
        assert_eq!(db.registries(taxonomy()).await?.prices.entries().len(), 2, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_import_counts_new_and_updated_rows_is_audited_and_a_dry_run_writes_nothing() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        put(&db, RegistryEntry::GuidanceService(centre())).await?;
        let other = GuidanceService { key: key("larcentrum-nykvarn"), kind: GuidanceKind::LearningCentre, ..centre() };
        let rows = RegistryRows::GuidanceServices(vec![centre(), other]);

        let dry = db.import_registry(&rows, true, &AuditContext::cli(), "test").await?;
        assert_eq!(dry, ImportOutcome { new: 1, updated: 1 }, "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.guidance_services.len(), 1, "{}", db.backend);

        let done = db.import_registry(&rows, false, &AuditContext::cli(), "guidance.csv").await?;
        assert_eq!(done, dry, "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.guidance_services.len(), 2, "{}", db.backend);

        // The import is audited once, with what it came from and its counts; the dry run not.
        let query = AuditQuery { action: Some("registry.import".to_owned()), first: 10, ..AuditQuery::default() };
        let audited = db.audit_events(&query).await?;
        let imports: Vec<_> = audited.iter().filter(|event| event.target_id == "guidance.csv").collect();
        assert_eq!(imports.len(), 1, "{}: {audited:?}", db.backend);
        assert_eq!(imports[0].target_type, "guidance_service", "{}", db.backend);
        assert_eq!(imports[0].after, Some(serde_json::json!({ "rows": 2, "new": 1, "updated": 1 })), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn every_registry_write_raises_the_revision_and_a_dry_run_refusal_or_failure_does_not() -> Result<(), StoreError>
{
    for db in fresh_stores().await {
        let start = db.registry_revision().await?;
        let rows = RegistryRows::GuidanceServices(vec![centre()]);
        let huddinge_only = |touched: &[MunicipalityCode]| touched.iter().all(|m| m.as_str() == "0126");

        db.import_registry(&rows, true, &AuditContext::cli(), "dry.csv").await?;
        assert_eq!(db.registry_revision().await?, start, "{}: a dry run", db.backend);
        db.import_registry(&rows, false, &AuditContext::cli(), "guidance.csv").await?;
        assert_eq!(db.registry_revision().await?, start + 1, "{}: an import", db.backend);
        let renamed = GuidanceService { name: "Vägledning Tumba".to_owned(), ..centre() };
        change(&db, RegistryChange::Update(RegistryEntry::GuidanceService(renamed.clone())), &huddinge_only).await?;
        assert_eq!(db.registry_revision().await?, start + 1, "{}: a refused change", db.backend);
        let again = change(&db, RegistryChange::Create(RegistryEntry::GuidanceService(centre())), &anyone).await;
        assert!(again.is_err(), "{}: the key is taken", db.backend);
        assert_eq!(db.registry_revision().await?, start + 1, "{}: a failed change", db.backend);
        change(&db, RegistryChange::Update(RegistryEntry::GuidanceService(renamed)), &anyone).await?;
        assert_eq!(db.registry_revision().await?, start + 2, "{}: a change", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_price_import_with_one_overlap_writes_no_row() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let mut rows: Vec<PriceListEntry> = (0..3_000)
            .map(|i| PriceListEntry {
                scope: PriceScope::Course(CourseCode::parse(&format!("KURS{i:04}")).expect("a code")),
                ..price(&format!("p{i}"), day(2026, 1, 1), None)
            })
            .collect();
        rows.push(price("clash-a", day(2026, 1, 1), None));
        rows.push(price("clash-b", day(2026, 3, 1), None));

        let result = db.import_registry(&RegistryRows::Prices(rows), false, &AuditContext::cli(), "test").await;

        assert!(matches!(result, Err(StoreError::RegistryConflict(_))), "{}: {result:?}", db.backend);
        assert!(db.registries(taxonomy()).await?.prices.entries().is_empty(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_large_import_lands_whole_in_chunks() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let offers: Vec<ValidationOffer> =
            (0..5_000).map(|i| ValidationOffer { key: key(&format!("offer-{i:05}")), ..branschvalidering() }).collect();

        let outcome =
            db.import_registry(&RegistryRows::ValidationOffers(offers), false, &AuditContext::cli(), "test").await?;

        assert_eq!(outcome, ImportOutcome { new: 5_000, updated: 0 }, "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.validation_offers.len(), 5_000, "{}", db.backend);
    }
    Ok(())
}
