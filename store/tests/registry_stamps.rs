//! When registry entries were first stored and last changed (m0007_registry_stamps), as the
//! open-data release reads them: both writes stamp a new entry, `last_changed` moves only when
//! an entry's content changes, and an import of unchanged rows changes nothing.

use chrono::{Duration, NaiveTime, Utc, Weekday};
use vuxnav_schema::{
    Channel, CourseCode, GuidanceKind, GuidanceService, Language, Location, MunicipalityCode, OccupationLink,
    OpeningHours, RegistryKey, StampedRegistries, TargetGroup, Taxonomy,
};
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{AuditContext, ChangedBy, RegistryChange, RegistryEntry, RegistryRows, Store, StoreError};

fn taxonomy() -> &'static Taxonomy {
    Taxonomy::pinned().expect("the shipped snapshot")
}

fn centre(key: &str) -> GuidanceService {
    let time = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
    GuidanceService {
        key: RegistryKey::parse(key).expect("a key"),
        kind: GuidanceKind::GuidanceCentre,
        name: "Vägledningscentrum Botkyrka".to_owned(),
        organiser: "Botkyrka kommun".to_owned(),
        municipalities: vec![MunicipalityCode::parse("0127").expect("a kommunkod")],
        channels: vec![Channel::OnSite, Channel::Phone],
        languages: vec![Language::SWEDISH],
        target_groups: vec![TargetGroup::Sfi],
        address: Location { town: Some("Tumba".to_owned()), ..Location::default() },
        booking_url: None,
        phone: Some("08-530 610 00".to_owned()),
        opening_hours: OpeningHours::week([(Weekday::Mon, time(8), time(16))]).expect("a week"),
        draws_up_study_plan: true,
    }
}

fn link() -> OccupationLink {
    OccupationLink {
        course: CourseCode::parse("YVUSK").expect("a code"),
        occupation: taxonomy().occupation_id("Y3QA_5pk_uXd").expect("undersköterska"),
    }
}

async fn stamped(db: &Store) -> Result<StampedRegistries, StoreError> {
    let reader = db.release_reader().await?;
    let registries = reader.registries(taxonomy()).await;
    reader.close().await?;
    registries
}

async fn import(db: &Store, rows: RegistryRows) -> Result<(), StoreError> {
    db.import_registry(&rows, false, &AuditContext::cli(), "test").await.map(|_| ())
}

async fn update(db: &Store, service: GuidanceService, at: chrono::DateTime<Utc>) -> Result<(), StoreError> {
    let describe = |entry: &RegistryEntry| serde_json::json!({ "key": entry.id().key() });
    let may = |_: &[MunicipalityCode]| true;
    let by = ChangedBy { action: "test.update", may: &may, describe: &describe, context: &AuditContext::cli() };
    let change = RegistryChange::Update(RegistryEntry::GuidanceService(service));
    db.change_registry(&change, by, taxonomy(), at).await.map(|_| ())
}

#[tokio::test]
async fn a_new_entry_is_stamped_with_the_time_it_was_written() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let before = Utc::now();
        import(&db, RegistryRows::GuidanceServices(vec![centre("vagledning-botkyrka")])).await?;
        import(&db, RegistryRows::OccupationLinks(vec![link()])).await?;
        let after = Utc::now();

        let registries = stamped(&db).await?;

        for (first_seen, last_changed) in [
            (registries.guidance_services[0].first_seen, registries.guidance_services[0].last_changed),
            (registries.occupation_links[0].first_seen, registries.occupation_links[0].last_changed),
        ] {
            assert_eq!(first_seen, last_changed, "{}", db.backend);
            assert!(before <= first_seen && first_seen <= after, "{}: {first_seen}", db.backend);
        }
    }
    Ok(())
}

#[tokio::test]
async fn an_import_of_unchanged_rows_leaves_every_stamp_as_it_was() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let services = vec![centre("vagledning-botkyrka"), centre("vagledning-tumba")];
        import(&db, RegistryRows::GuidanceServices(services.clone())).await?;
        import(&db, RegistryRows::OccupationLinks(vec![link()])).await?;
        let first = stamped(&db).await?;

        import(&db, RegistryRows::GuidanceServices(services)).await?;
        import(&db, RegistryRows::OccupationLinks(vec![link()])).await?;

        assert_eq!(stamped(&db).await?, first, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_changed_entry_keeps_its_first_seen_and_moves_its_last_changed() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        import(&db, RegistryRows::GuidanceServices(vec![centre("vagledning-botkyrka"), centre("vagledning-tumba")]))
            .await?;
        let before = stamped(&db).await?;
        let later = Utc::now() + Duration::hours(1);

        let moved = GuidanceService { phone: Some("08-530 610 99".to_owned()), ..centre("vagledning-tumba") };
        update(&db, moved, later).await?;
        let after = stamped(&db).await?;

        let (untouched, changed) = (&after.guidance_services[0], &after.guidance_services[1]);
        assert_eq!(untouched, &before.guidance_services[0], "{}", db.backend);
        assert_eq!(changed.first_seen, before.guidance_services[1].first_seen, "{}", db.backend);
        assert_eq!(changed.last_changed.timestamp_micros(), later.timestamp_micros(), "{}", db.backend);
        assert_eq!(changed.record.phone.as_deref(), Some("08-530 610 99"), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_import_that_changes_one_row_moves_only_that_rows_last_changed() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let services = vec![centre("vagledning-botkyrka"), centre("vagledning-tumba")];
        import(&db, RegistryRows::GuidanceServices(services.clone())).await?;
        let before = stamped(&db).await?;

        let mut edited = services;
        edited[0].opening_hours = OpeningHours::week([(
            Weekday::Tue,
            NaiveTime::from_hms_opt(9, 0, 0).expect("a time"),
            NaiveTime::from_hms_opt(15, 0, 0).expect("a time"),
        )])
        .expect("a week");
        import(&db, RegistryRows::GuidanceServices(edited)).await?;
        let after = stamped(&db).await?;

        let (changed, untouched) = (&after.guidance_services[0], &after.guidance_services[1]);
        assert_eq!(untouched, &before.guidance_services[1], "{}", db.backend);
        assert_eq!(changed.first_seen, before.guidance_services[0].first_seen, "{}", db.backend);
        assert!(changed.last_changed > before.guidance_services[0].last_changed, "{}", db.backend);
    }
    Ok(())
}
