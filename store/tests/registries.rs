//! The region's registries in the store: round trips, upserts on keys, removal, bulk imports
//! that land whole or not at all, and prices that may not overlap what is stored.

use chrono::{NaiveDate, NaiveTime, Weekday};
use vuxnav_schema::{
    AmountSek, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService, IndustryModel, Language,
    Location, MunicipalityCode, OccupationLink, OpeningHours, Party, Payer, PriceListEntry, PriceScope, PriceUnit,
    RegistryKey, SchoolForm, SeqfLevel, TargetGroup, Taxonomy, ValidationKind, ValidationOffer, Validity,
};
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{ImportOutcome, RegistryRows, StoreError};

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

#[tokio::test]
async fn every_registry_reads_back_as_it_was_written() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        db.put_occupation_link(&link()).await?;
        db.put_validation_offer(&branschvalidering()).await?;
        db.put_guidance_service(&centre()).await?;
        db.put_price(&price("usk-2026", day(2026, 1, 1), None)).await?;

        let registries = db.registries(taxonomy()).await?;

        assert_eq!(registries.occupation_links, [link()], "{}", db.backend);
        assert_eq!(registries.validation_offers, [branschvalidering()], "{}", db.backend);
        assert_eq!(registries.guidance_services, [centre()], "{}", db.backend);
        assert_eq!(registries.prices.entries(), [price("usk-2026", day(2026, 1, 1), None)], "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn putting_an_entry_with_a_stored_key_replaces_it() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        db.put_guidance_service(&centre()).await?;
        let renamed = GuidanceService { name: "Vägledning Tumba".to_owned(), opening_hours: vec![], ..centre() };

        db.put_guidance_service(&renamed).await?;

        assert_eq!(db.registries(taxonomy()).await?.guidance_services, [renamed], "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn removing_an_entry_says_whether_there_was_one() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        db.put_validation_offer(&branschvalidering()).await?;

        assert!(db.remove_validation_offer(&branschvalidering().key).await?, "{}", db.backend);
        assert!(!db.remove_validation_offer(&branschvalidering().key).await?, "{}", db.backend);
        assert!(!db.remove_occupation_link(&link()).await?, "{}", db.backend);
        assert!(db.registries(taxonomy()).await?.validation_offers.is_empty(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_price_that_overlaps_a_stored_price_of_the_same_scope_is_rejected_and_not_written() -> Result<(), StoreError>
{
    for db in fresh_stores().await {
        db.put_price(&price("usk-2026", day(2026, 1, 1), Some(day(2026, 6, 30)))).await?;

        let error = db.put_price(&price("usk-2026-ht", day(2026, 6, 1), None)).await.expect_err("overlaps in June");

        let StoreError::RegistryConflict(reason) = &error else { panic!("{error:?}") };
        assert!(reason.reason.contains("`usk-2026`") && reason.reason.contains("`usk-2026-ht`"), "{reason}");
        assert_eq!(db.registries(taxonomy()).await?.prices.entries().len(), 1, "{}", db.backend);
        // Moving the stored price's end is an update of the same key, not an overlap.
        db.put_price(&price("usk-2026", day(2026, 1, 1), Some(day(2026, 5, 31)))).await?;
        db.put_price(&price("usk-2026-ht", day(2026, 6, 1), None)).await?;
        assert_eq!(db.registries(taxonomy()).await?.prices.entries().len(), 2, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_import_counts_new_and_updated_rows_and_a_dry_run_writes_nothing() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        db.put_guidance_service(&centre()).await?;
        let other = GuidanceService { key: key("larcentrum-nykvarn"), kind: GuidanceKind::LearningCentre, ..centre() };
        let rows = RegistryRows::GuidanceServices(vec![centre(), other]);

        let dry = db.import_registry(&rows, true).await?;
        assert_eq!(dry, ImportOutcome { new: 1, updated: 1 }, "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.guidance_services.len(), 1, "{}", db.backend);

        let done = db.import_registry(&rows, false).await?;
        assert_eq!(done, dry, "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.guidance_services.len(), 2, "{}", db.backend);
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

        let result = db.import_registry(&RegistryRows::Prices(rows), false).await;

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

        let outcome = db.import_registry(&RegistryRows::ValidationOffers(offers), false).await?;

        assert_eq!(outcome, ImportOutcome { new: 5_000, updated: 0 }, "{}", db.backend);
        assert_eq!(db.registries(taxonomy()).await?.validation_offers.len(), 5_000, "{}", db.backend);
    }
    Ok(())
}
