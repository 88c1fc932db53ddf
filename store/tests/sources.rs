//! Configured sources and their harvest state: registration, attempts and the derived state.

mod common;

use common::{at, catalogue, huddinge, registered, source};
use vuxnav_schema::{MunicipalityCode, SourceState};
use vuxnav_store::StoreError;
use vuxnav_store::testing::fresh_stores;

#[tokio::test]
async fn a_registered_source_that_never_succeeded_is_failing_and_holds_nothing() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;

        let sources = db.sources().await?;

        assert_eq!(sources.len(), 1, "{}", db.backend);
        let status = &sources[0];
        assert_eq!((&status.id, status.municipality, status.kind.as_str()), (&id, huddinge(), "csv"), "{}", db.backend);
        assert_eq!(status.state, SourceState::Failing, "{}", db.backend);
        assert_eq!(
            (status.last_attempt, status.last_success, status.offering_count),
            (None, None, 0),
            "{}",
            db.backend
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_successful_attempt_makes_a_source_ok() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.record_attempt(&id, at(0), Err("timed out".to_owned())).await?;

        db.record_attempt(&id, at(1), Ok(())).await?;

        let status = &db.sources().await?[0];
        assert_eq!(status.state, SourceState::Ok, "{}", db.backend);
        assert_eq!((status.last_attempt, status.last_success), (Some(at(1)), Some(at(1))), "{}", db.backend);
        assert_eq!(status.last_error, None, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_failed_attempt_leaves_last_success_and_data_intact_and_makes_the_state_stale() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 6, 0), at(0)).await?;
        db.record_attempt(&id, at(0), Ok(())).await?;
        let before = db.catalogue().await?;

        db.record_attempt(&id, at(1), Err("upstream answered 503".to_owned())).await?;

        let status = &db.sources().await?[0];
        assert_eq!(status.state, SourceState::Stale, "{}", db.backend);
        assert_eq!((status.last_attempt, status.last_success), (Some(at(1)), Some(at(0))), "{}", db.backend);
        assert_eq!(status.last_error.as_deref(), Some("upstream answered 503"), "{}", db.backend);
        assert_eq!(status.offering_count, 6, "{}", db.backend);
        assert_eq!(db.catalogue().await?, before, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_failed_attempt_without_an_earlier_success_is_failing() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;

        db.record_attempt(&id, at(0), Err("no such host".to_owned())).await?;

        assert_eq!(db.sources().await?[0].state, SourceState::Failing, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_disabled_source_is_disabled_whatever_its_attempts() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = source("huddinge-csv");
        db.register_source(&id, huddinge(), "csv", false).await?;

        db.record_attempt(&id, at(0), Ok(())).await?;

        assert_eq!(db.sources().await?[0].state, SourceState::Disabled, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn registering_again_updates_the_configuration_and_keeps_the_harvest_state() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.record_attempt(&id, at(0), Ok(())).await?;
        let botkyrka = MunicipalityCode::parse("0127").expect("Botkyrka's kommunkod");

        db.register_source(&id, botkyrka, "json_api", true).await?;

        let status = &db.sources().await?[0];
        assert_eq!((status.municipality, status.kind.as_str()), (botkyrka, "json_api"), "{}", db.backend);
        assert_eq!((status.state, status.last_success), (SourceState::Ok, Some(at(0))), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_attempt_of_an_unregistered_source_is_refused() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let error = db.record_attempt(&source("nowhere"), at(0), Ok(())).await.unwrap_err();

        assert!(matches!(&error, StoreError::UnknownSource(s) if s == "nowhere"), "{}: {error}", db.backend);
        assert_eq!(error.to_string(), "source `nowhere` is not registered");
    }
    Ok(())
}

#[tokio::test]
async fn sources_are_listed_by_id_with_the_offerings_each_holds() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let c = registered(&db, "c-csv").await?;
        let a = registered(&db, "a-csv").await?;
        let b = registered(&db, "b-csv").await?;
        db.replace_source(&a, &catalogue(&a, 7, 0), at(0)).await?;
        db.replace_source(&c, &catalogue(&c, 2, 0), at(0)).await?;
        let mut fewer = catalogue(&a, 7, 1);
        fewer.offerings.truncate(5);
        db.replace_source(&a, &fewer, at(1)).await?;

        let counts: Vec<_> = db.sources().await?.into_iter().map(|s| (s.id, s.offering_count)).collect();

        assert_eq!(counts, vec![(a, 5), (b, 0), (c, 2)], "{}", db.backend);
    }
    Ok(())
}
