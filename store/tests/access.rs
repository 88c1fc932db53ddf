//! Access and administration in the store: API keys stored as hashes and found by them, key
//! events and source changes audited in the same transaction, revisions of managed sources
//! with concurrent edits refused, deletions that withdraw and stay deleted, and an audit log
//! that nobody can edit. Every test runs on SQLite and, when `VUXNAV_TEST_DATABASE_URL` is
//! set, on PostgreSQL.

mod common;

use common::{at, catalogue, huddinge, source};
use serde_json::json;
use vuxnav_schema::{MunicipalityCode, Role};
use vuxnav_store::testing::{execute, fresh_stores};
use vuxnav_store::{
    Actor, ActorRole, AuditContext, AuditOutcome, AuditQuery, AuditScope, KeyId, NewApiKey, SourceDraft, StoreError,
    TokenHash,
};

fn botkyrka() -> MunicipalityCode {
    MunicipalityCode::parse("0127").expect("Botkyrka's kommunkod")
}

fn new_key(name: &str, role: Role, municipalities: Vec<MunicipalityCode>, seed: u8) -> NewApiKey {
    NewApiKey {
        name: name.to_owned(),
        role,
        municipalities,
        token_hash: TokenHash::from_bytes([seed; 32]),
        hint: "vx_AbCd".to_owned(),
        expires_at: None,
    }
}

fn draft(id: &str, municipality: MunicipalityCode, url: &str) -> SourceDraft {
    SourceDraft {
        id: source(id),
        municipality,
        kind: "csv".to_owned(),
        enabled: true,
        config: json!({
            "id": id, "municipality": municipality.as_str(), "schedule": "0 0 3 * * *",
            "connector": { "kind": "csv", "url": url },
        }),
    }
}

#[tokio::test]
async fn a_key_is_found_by_the_hash_of_its_token_and_its_creation_is_audited() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let created = db
            .create_api_key(
                new_key("huddinge-admin", Role::MunicipalAdmin, vec![huddinge()], 1),
                at(0),
                &AuditContext::cli(),
            )
            .await?;

        let found = db.api_key_by_hash(&TokenHash::from_bytes([1; 32])).await?;
        assert_eq!(found.as_ref(), Some(&created), "{}", db.backend);
        assert_eq!(created.municipalities, vec![huddinge()], "{}", db.backend);
        assert_eq!(created.created_by, "command line", "{}", db.backend);
        assert_eq!(db.api_key_by_hash(&TokenHash::from_bytes([2; 32])).await?, None, "{}", db.backend);

        let events = db.audit_events(&AuditQuery { first: 10, ..AuditQuery::default() }).await?;
        assert_eq!(events.len(), 1, "{}", db.backend);
        let event = &events[0];
        assert_eq!((event.action.as_str(), event.target_id.as_str()), ("key.create", "1"), "{}", db.backend);
        assert_eq!(event.actor.role, ActorRole::Cli, "{}", db.backend);
        assert_eq!(event.municipality, Some(huddinge()), "{}", db.backend);
        let after = event.after.as_ref().expect("the key as created");
        assert_eq!(after["role"], "municipal_admin", "{}", db.backend);
        assert!(!after.to_string().contains("0101010101"), "{}: the audit log never holds the hash", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_first_use_is_audited_once_and_later_uses_are_throttled() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let key = db.create_api_key(new_key("partner", Role::Partner, vec![], 3), at(0), &AuditContext::cli()).await?;
        let context = AuditContext { actor: Actor::key(&key), request_id: Some("r1".to_owned()), client_address: None };

        assert!(db.record_key_use(key.id, at(1), &context).await?, "{}: the first use is written", db.backend);
        let minute_later = at(1) + chrono::TimeDelta::minutes(1);
        assert!(!db.record_key_use(key.id, minute_later, &context).await?, "{}: throttled", db.backend);
        assert!(db.record_key_use(key.id, at(2), &context).await?, "{}: an hour later it is written", db.backend);

        let used = db.api_key(key.id).await?.expect("the key");
        assert_eq!(used.last_used_at, Some(at(2)), "{}", db.backend);
        let first_uses = db
            .audit_events(&AuditQuery { action: Some("key.first_use".to_owned()), first: 10, ..AuditQuery::default() })
            .await?;
        assert_eq!(first_uses.len(), 1, "{}", db.backend);
        assert_eq!(first_uses[0].actor.key, Some(key.id), "{}", db.backend);
        assert_eq!(first_uses[0].request_id.as_deref(), Some("r1"), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_revoked_key_is_still_found_and_says_why_it_cannot_be_used() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let key = db.create_api_key(new_key("partner", Role::Partner, vec![], 4), at(0), &AuditContext::cli()).await?;
        assert_eq!(key.unusable(at(1)), None, "{}", db.backend);

        let revoked = db.revoke_api_key(key.id, at(1), &AuditContext::cli()).await?;
        let again = db.revoke_api_key(key.id, at(2), &AuditContext::cli()).await?;

        assert_eq!(revoked.revoked_at, Some(at(1)), "{}", db.backend);
        assert_eq!(again.revoked_at, Some(at(1)), "{}: revoking twice keeps the first time", db.backend);
        let found = db.api_key_by_hash(&TokenHash::from_bytes([4; 32])).await?.expect("still found");
        assert_eq!(found.unusable(at(3)), Some("revoked"), "{}", db.backend);
        let revocations = db
            .audit_events(&AuditQuery { action: Some("key.revoke".to_owned()), first: 10, ..AuditQuery::default() })
            .await?;
        assert_eq!(revocations.len(), 1, "{}: audited once", db.backend);
        assert!(matches!(
            db.revoke_api_key(KeyId::new(99), at(2), &AuditContext::cli()).await,
            Err(StoreError::UnknownKey(99))
        ));
    }
    Ok(())
}

#[tokio::test]
async fn an_expired_key_says_so() {
    let mut key = new_key("partner", Role::Partner, vec![], 5);
    key.expires_at = Some(at(2));
    for db in fresh_stores().await {
        let key = db.create_api_key(key.clone(), at(0), &AuditContext::cli()).await.expect("created");
        assert_eq!(key.unusable(at(1)), None, "{}", db.backend);
        assert_eq!(key.unusable(at(2)), Some("expired"), "{}", db.backend);
    }
}

#[tokio::test]
async fn a_managed_source_is_saved_in_revisions_and_a_stale_revision_is_refused() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let admin = db
            .create_api_key(new_key("admin", Role::MunicipalAdmin, vec![huddinge()], 6), at(0), &AuditContext::cli())
            .await?;
        let context =
            AuditContext { actor: Actor::key(&admin), request_id: None, client_address: Some("192.0.2.7".to_owned()) };
        let first = draft("huddinge-csv", huddinge(), "https://export.huddinge.example/kurser.csv");

        let created = db.create_source(&first, at(1), &context).await?;
        assert_eq!(created.revision, 1, "{}", db.backend);
        assert_eq!(db.sources().await?.len(), 1, "{}: registered for harvesting", db.backend);

        let second = draft("huddinge-csv", huddinge(), "https://export.huddinge.example/v2.csv");
        let updated = db.update_source(&second, 1, "source.update", at(2), &context).await?;
        assert_eq!(updated.revision, 2, "{}", db.backend);

        let third = draft("huddinge-csv", huddinge(), "https://export.huddinge.example/v3.csv");
        let conflict = db.update_source(&third, 1, "source.update", at(3), &context).await;
        assert!(
            matches!(conflict, Err(StoreError::RevisionConflict { expected: 1, current: 2, .. })),
            "{}: {conflict:?}",
            db.backend
        );
        let current = db.managed_source(&first.id).await?.expect("still there");
        assert_eq!(current.config, second.config, "{}: the second save is kept, nothing lost", db.backend);

        let revisions = db.source_revisions(&first.id).await?;
        assert_eq!(revisions.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2, 1], "{}", db.backend);
        assert_eq!(revisions[1].1.as_ref(), Some(&first.config), "{}: the previous config is kept", db.backend);

        let updates = db
            .audit_events(&AuditQuery { action: Some("source.".to_owned()), first: 10, ..AuditQuery::default() })
            .await?;
        assert_eq!(updates.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["source.update", "source.create"]);
        assert_eq!(updates[0].before.as_ref(), Some(&first.config), "{}", db.backend);
        assert_eq!(updates[0].after.as_ref(), Some(&second.config), "{}", db.backend);
        assert_eq!(updates[0].client_address.as_deref(), Some("192.0.2.7"), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_id_in_use_or_held_by_an_unmanaged_source_cannot_be_created() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        db.register_source(&source("from-the-file"), huddinge(), "csv", true).await?;
        db.create_source(&draft("huddinge-csv", huddinge(), "https://a.example/x.csv"), at(0), &AuditContext::cli())
            .await?;

        let twice = db
            .create_source(&draft("huddinge-csv", huddinge(), "https://a.example/y.csv"), at(1), &AuditContext::cli())
            .await;
        let file = db
            .create_source(&draft("from-the-file", huddinge(), "https://a.example/z.csv"), at(1), &AuditContext::cli())
            .await;

        assert!(matches!(twice, Err(StoreError::SourceExists(_))), "{}: {twice:?}", db.backend);
        assert!(matches!(file, Err(StoreError::SourceExists(_))), "{}: {file:?}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_deleted_source_withdraws_its_offerings_and_a_late_harvest_of_it_is_not_stored() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let saved = draft("huddinge-csv", huddinge(), "https://a.example/x.csv");
        db.create_source(&saved, at(0), &AuditContext::cli()).await?;
        db.replace_source(&saved.id, &catalogue(&saved.id, 6, 1), at(1)).await?;
        let change_before = db.last_change().await?;

        let withdrawn = db.delete_source(&saved.id, 1, at(2), &AuditContext::cli()).await?;

        assert_eq!(withdrawn, 6, "{}", db.backend);
        assert!(db.catalogue().await?.offerings.is_empty(), "{}", db.backend);
        assert_ne!(db.last_change().await?, change_before, "{}: every process sees a change", db.backend);
        assert_eq!(db.managed_source(&saved.id).await?, None, "{}", db.backend);
        let late = db.replace_source(&saved.id, &catalogue(&saved.id, 6, 3), at(3)).await;
        assert!(matches!(late, Err(StoreError::SourceDeleted(_))), "{}: {late:?}", db.backend);
        assert!(db.catalogue().await?.offerings.is_empty(), "{}", db.backend);

        let deletion = &db.audit_events(&AuditQuery { first: 1, ..AuditQuery::default() }).await?[0];
        assert_eq!(deletion.action, "source.delete", "{}", db.backend);
        assert_eq!(deletion.before.as_ref(), Some(&saved.config), "{}", db.backend);
        assert_eq!(deletion.after, Some(json!({ "withdrawn_offerings": 6 })), "{}", db.backend);

        let again = db.create_source(&saved, at(4), &AuditContext::cli()).await?;
        assert_eq!(again.revision, 3, "{}: the id comes back after its deletion", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_in_the_database_itself() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        db.create_api_key(new_key("partner", Role::Partner, vec![], 7), at(0), &AuditContext::cli()).await?;

        let update = execute(&db, "UPDATE audit_events SET action = 'nothing'").await;
        let delete = execute(&db, "DELETE FROM audit_events").await;

        assert!(update.is_err(), "{}: an update is refused", db.backend);
        assert!(delete.is_err(), "{}: a delete is refused", db.backend);
        assert_eq!(db.audit_events(&AuditQuery { first: 10, ..AuditQuery::default() }).await?.len(), 1);
    }
    Ok(())
}

#[tokio::test]
async fn a_scoped_reader_sees_its_municipalities_entries_and_its_own_only() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let huddinge_admin = db
            .create_api_key(new_key("h", Role::MunicipalAdmin, vec![huddinge()], 8), at(0), &AuditContext::cli())
            .await?;
        db.create_api_key(new_key("b", Role::MunicipalAdmin, vec![botkyrka()], 9), at(0), &AuditContext::cli()).await?;
        db.create_source(&draft("botkyrka-csv", botkyrka(), "https://b.example/x.csv"), at(1), &AuditContext::cli())
            .await?;
        let own = AuditContext { actor: Actor::key(&huddinge_admin), request_id: None, client_address: None };
        db.create_source(&draft("huddinge-csv", huddinge(), "https://h.example/x.csv"), at(2), &own).await?;

        let scoped = AuditQuery {
            scope: Some(AuditScope { municipalities: vec![huddinge()], own_key: Some(huddinge_admin.id) }),
            first: 50,
            ..AuditQuery::default()
        };
        let seen = db.audit_events(&scoped).await?;

        let targets: Vec<&str> = seen.iter().map(|e| e.target_id.as_str()).collect();
        assert_eq!(targets, ["huddinge-csv", "1"], "{}", db.backend);
        assert!(seen.iter().all(|e| e.municipality != Some(botkyrka())), "{}", db.backend);
        let since = AuditQuery { since: Some(at(2)), first: 50, ..AuditQuery::default() };
        assert_eq!(db.audit_events(&since).await?.len(), 1, "{}: filtered by time", db.backend);
        let by_actor = AuditQuery { actor: Some(huddinge_admin.id), first: 50, ..AuditQuery::default() };
        assert_eq!(db.audit_events(&by_actor).await?.len(), 1, "{}: filtered by actor", db.backend);
        let outcome = seen[0].outcome;
        assert_eq!(outcome, AuditOutcome::Ok, "{}", db.backend);
    }
    Ok(())
}
