//! `Store::replace_source`: one transaction per snapshot, new, changed, unchanged, withdrawn
//! and restored offerings, and sources that never touch each other. Every test runs on SQLite
//! and, when `VUXNAV_TEST_DATABASE_URL` is set, on PostgreSQL.

mod common;

use common::{as_served, at, catalogue, registered, source};
use vuxnav_schema::PublicId;
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{ReplaceOutcome, StoreError};

#[tokio::test]
async fn a_snapshot_round_trips_every_field() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        let snapshot = catalogue(&id, 24, 0);

        let outcome = db.replace_source(&id, &snapshot, at(0)).await?;

        assert_eq!(outcome, ReplaceOutcome { new: 24, ..ReplaceOutcome::default() }, "{}", db.backend);
        assert_eq!(db.catalogue().await?, as_served(snapshot), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_second_identical_snapshot_counts_all_unchanged_and_only_touches_last_harvest() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 10, 0), at(0)).await?;

        let outcome = db.replace_source(&id, &catalogue(&id, 10, 5), at(5)).await?;

        assert_eq!(outcome, ReplaceOutcome { unchanged: 10, ..ReplaceOutcome::default() }, "{}", db.backend);
        for offering in db.catalogue().await?.offerings {
            let provenance = offering.provenance;
            assert_eq!((provenance.first_seen, provenance.last_changed), (at(0), at(0)), "{}", db.backend);
            assert_eq!(provenance.last_harvest, at(5), "{}", db.backend);
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_changed_offering_keeps_first_seen_and_updates_last_changed() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 4, 0), at(0)).await?;
        let mut next = catalogue(&id, 4, 3);
        let changed = next.offerings[1].id;
        next.offerings[1].seats = Some(7);
        next.offerings[1].location.town = Some("Flemingsberg".to_owned());
        let hash = next.offerings[1].content_hash();
        next.offerings[1].provenance.content_hash = hash.clone();

        let outcome = db.replace_source(&id, &next, at(3)).await?;

        assert_eq!(outcome, ReplaceOutcome { changed: 1, unchanged: 3, ..ReplaceOutcome::default() }, "{}", db.backend);
        let held = db.catalogue().await?;
        let offering = held.offerings.iter().find(|o| o.id == changed).expect("the changed offering is held");
        assert_eq!(offering.seats, Some(7), "{}", db.backend);
        assert_eq!(offering.location.town.as_deref(), Some("Flemingsberg"), "{}", db.backend);
        assert_eq!(offering.provenance.content_hash, hash, "{}", db.backend);
        assert_eq!(offering.provenance.first_seen, at(0), "{}", db.backend);
        assert_eq!(offering.provenance.last_changed, at(3), "{}", db.backend);
        assert_eq!(offering.provenance.last_harvest, at(3), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_missing_offering_is_withdrawn_and_left_out_of_the_catalogue() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 5, 0), at(0)).await?;
        let mut next = catalogue(&id, 5, 1);
        let gone = next.offerings.remove(2).id;

        let outcome = db.replace_source(&id, &next, at(1)).await?;

        assert_eq!(
            outcome,
            ReplaceOutcome { unchanged: 4, withdrawn: 1, ..ReplaceOutcome::default() },
            "{}",
            db.backend
        );
        let held = db.catalogue().await?;
        assert_eq!(held.offerings.len(), 4, "{}", db.backend);
        assert!(held.offerings.iter().all(|o| o.id != gone), "{}", db.backend);
        assert_eq!(db.sources().await?[0].offering_count, 4, "{}", db.backend);

        let again = db.replace_source(&id, &next, at(2)).await?;
        assert_eq!(again, ReplaceOutcome { unchanged: 4, ..ReplaceOutcome::default() }, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_reappearing_offering_is_restored_with_its_first_seen() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 3, 0), at(0)).await?;
        let mut without = catalogue(&id, 3, 1);
        let back = without.offerings.remove(0).id;
        db.replace_source(&id, &without, at(1)).await?;

        let outcome = db.replace_source(&id, &catalogue(&id, 3, 2), at(2)).await?;

        assert_eq!(outcome, ReplaceOutcome { new: 1, unchanged: 2, ..ReplaceOutcome::default() }, "{}", db.backend);
        let held = db.catalogue().await?;
        let offering = held.offerings.iter().find(|o| o.id == back).expect("the offering is back");
        assert_eq!(offering.provenance.first_seen, at(0), "{}", db.backend);
        assert_eq!(offering.provenance.last_changed, at(2), "{}", db.backend);
        assert_eq!(offering.provenance.last_harvest, at(2), "{}", db.backend);
        assert_eq!(held.offerings.len(), 3, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn replacing_one_source_never_touches_another() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let a = registered(&db, "huddinge-csv").await?;
        let b = registered(&db, "huddinge-susa").await?;
        db.replace_source(&a, &catalogue(&a, 5, 0), at(0)).await?;
        db.replace_source(&b, &catalogue(&b, 3, 0), at(0)).await?;
        let before = db.catalogue().await?;

        let outcome = db.replace_source(&a, &Default::default(), at(1)).await?;

        assert_eq!(outcome, ReplaceOutcome { withdrawn: 5, ..ReplaceOutcome::default() }, "{}", db.backend);
        let held = db.catalogue().await?;
        let of_b: Vec<_> = before.offerings.into_iter().filter(|o| o.provenance.source == b).collect();
        assert_eq!(held.offerings, of_b, "{}", db.backend);
        assert_eq!(as_served(held.clone()), held, "{}: only what B references is served", db.backend);
        let counts: Vec<_> = db.sources().await?.into_iter().map(|s| (s.id, s.offering_count)).collect();
        assert_eq!(counts, vec![(a, 0), (b, 3)], "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_source_withdrawing_everything_serves_an_empty_catalogue() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 3, 0), at(0)).await?;

        db.replace_source(&id, &Default::default(), at(1)).await?;

        assert_eq!(db.catalogue().await?, Default::default(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_snapshot_for_an_unregistered_source_is_refused() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = source("nowhere");

        let error = db.replace_source(&id, &catalogue(&id, 2, 0), at(0)).await.unwrap_err();

        assert!(matches!(&error, StoreError::UnknownSource(s) if s == "nowhere"), "{}: {error}", db.backend);
        assert_eq!(db.catalogue().await?, Default::default(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_snapshot_holding_another_sources_offering_is_refused_whole() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let a = registered(&db, "huddinge-csv").await?;
        let b = registered(&db, "huddinge-susa").await?;
        let mut snapshot = catalogue(&a, 3, 0);
        snapshot.offerings.extend(catalogue(&b, 1, 0).offerings);

        let error = db.replace_source(&a, &snapshot, at(0)).await.unwrap_err();

        assert!(matches!(error, StoreError::ForeignOffering { .. }), "{}: {error}", db.backend);
        assert_eq!(db.catalogue().await?, Default::default(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_snapshot_that_fails_halfway_leaves_the_previous_data() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 4, 0), at(0)).await?;
        let before = db.catalogue().await?;
        let mut broken = catalogue(&id, 6, 1);
        // An offering of a course that is nowhere breaks a foreign key, after the providers,
        // the courses and the other offerings were written.
        broken.offerings[5].course = PublicId::local_course(&id, "nowhere");

        let error = db.replace_source(&id, &broken, at(1)).await.unwrap_err();

        assert!(matches!(error, StoreError::Query(_)), "{}: {error}", db.backend);
        assert_eq!(db.catalogue().await?, before, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn applied_changes_upsert_and_withdraw_only_the_named_offerings() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 6, 0), at(0)).await?;
        let full = catalogue(&id, 8, 1);
        let mut changes = full.clone();
        // Offering 1 changed, offering 2 unchanged, offerings 6 and 7 new; 3 and 5 withdrawn.
        changes.offerings = vec![
            full.offerings[1].clone(),
            full.offerings[2].clone(),
            full.offerings[6].clone(),
            full.offerings[7].clone(),
        ];
        changes.offerings[0].seats = Some(3);
        changes.offerings[0].provenance.content_hash = changes.offerings[0].content_hash();
        let withdrawn = vec!["e.3".to_owned(), "e.5".to_owned(), "e.unknown".to_owned()];

        let outcome = db.apply_changes(&id, &changes, &withdrawn, at(1)).await?;

        assert_eq!(outcome, ReplaceOutcome { new: 2, changed: 1, unchanged: 1, withdrawn: 2 }, "{}", db.backend);
        let held = db.catalogue().await?;
        let mut upstream: Vec<_> = held.offerings.iter().map(|o| o.provenance.upstream_id.as_str()).collect();
        upstream.sort_unstable();
        assert_eq!(upstream, vec!["e.0", "e.1", "e.2", "e.4", "e.6", "e.7"], "{}", db.backend);
        let by_upstream = |u: &str| held.offerings.iter().find(|o| o.provenance.upstream_id == u).expect("held");
        assert_eq!(by_upstream("e.1").seats, Some(3), "{}", db.backend);
        assert_eq!(by_upstream("e.2").provenance.last_harvest, at(1), "{}: seen again", db.backend);
        assert_eq!(by_upstream("e.0").provenance.last_harvest, at(0), "{}: not delivered, left", db.backend);
        assert_eq!(by_upstream("e.6").provenance.first_seen, at(1), "{}", db.backend);
        assert_eq!(db.sources().await?[0].offering_count, 6, "{}", db.backend);

        let again = db.apply_changes(&id, &Default::default(), &withdrawn, at(2)).await?;
        assert_eq!(again, ReplaceOutcome::default(), "{}: already withdrawn", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn applied_changes_restore_a_withdrawn_offering_and_a_named_one_stays_withdrawn() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 3, 0), at(0)).await?;
        db.apply_changes(&id, &Default::default(), &["e.0".to_owned()], at(1)).await?;
        let next = catalogue(&id, 3, 2);
        let mut changes = next.clone();
        changes.offerings = vec![next.offerings[0].clone(), next.offerings[1].clone()];

        let outcome = db.apply_changes(&id, &changes, &["e.1".to_owned()], at(2)).await?;

        assert_eq!(outcome, ReplaceOutcome { new: 1, withdrawn: 1, ..ReplaceOutcome::default() }, "{}", db.backend);
        let held = db.catalogue().await?;
        let mut upstream: Vec<_> = held.offerings.iter().map(|o| o.provenance.upstream_id.as_str()).collect();
        upstream.sort_unstable();
        assert_eq!(upstream, vec!["e.0", "e.2"], "{}", db.backend);
        let restored = held.offerings.iter().find(|o| o.provenance.upstream_id == "e.0").expect("restored");
        assert_eq!(restored.provenance.first_seen, at(0), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn applied_changes_never_touch_another_source() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let a = registered(&db, "huddinge-csv").await?;
        let b = registered(&db, "huddinge-susa").await?;
        db.replace_source(&a, &catalogue(&a, 3, 0), at(0)).await?;
        db.replace_source(&b, &catalogue(&b, 3, 0), at(0)).await?;

        let outcome = db.apply_changes(&a, &Default::default(), &["e.0".to_owned(), "e.1".to_owned()], at(1)).await?;

        assert_eq!(outcome, ReplaceOutcome { withdrawn: 2, ..ReplaceOutcome::default() }, "{}", db.backend);
        let counts: Vec<_> = db.sources().await?.into_iter().map(|s| (s.id, s.offering_count)).collect();
        assert_eq!(counts, vec![(a, 1), (b, 3)], "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn applied_changes_that_fail_halfway_leave_the_previous_data() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 4, 0), at(0)).await?;
        let before = db.catalogue().await?;
        let mut broken = catalogue(&id, 6, 1);
        broken.offerings[5].course = PublicId::local_course(&id, "nowhere");

        let error = db.apply_changes(&id, &broken, &["e.0".to_owned()], at(1)).await.unwrap_err();

        assert!(matches!(error, StoreError::Query(_)), "{}: {error}", db.backend);
        assert_eq!(db.catalogue().await?, before, "{}", db.backend);
    }
    Ok(())
}
