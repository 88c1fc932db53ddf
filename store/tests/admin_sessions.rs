//! Sessions of the admin pages in the store: found by the hash of their id until they expire,
//! ended by signing out and by revoking their key, each audited. Every test runs on SQLite
//! and, when `VUXNAV_TEST_DATABASE_URL` is set, on PostgreSQL.

mod common;

use common::{at, huddinge};
use vuxnav_schema::Role;
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{AdminSession, AuditContext, AuditQuery, NewApiKey, StoreError, TokenHash};

fn session(hours: i64) -> AdminSession {
    AdminSession {
        key: vuxnav_store::KeyId::new(0),
        csrf_secret: "c".repeat(43),
        created_at: at(0),
        expires_at: at(hours),
    }
}

#[tokio::test]
async fn a_session_is_found_by_its_hash_until_it_expires_or_its_key_is_revoked() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let new = NewApiKey {
            name: "huddinge-admin".to_owned(),
            role: Role::MunicipalAdmin,
            municipalities: vec![huddinge()],
            token_hash: TokenHash::from_bytes([1; 32]),
            hint: "vx_AbCd".to_owned(),
            expires_at: None,
        };
        let key = db.create_api_key(new, at(0), &AuditContext::cli()).await?;
        let id = TokenHash::from_bytes([7; 32]);
        let stored = AdminSession { key: key.id, ..session(8) };
        db.create_admin_session(&id, &key, &stored, &AuditContext::cli()).await?;

        assert_eq!(db.admin_session(&id, at(1)).await?, Some(stored.clone()), "{}", db.backend);
        assert_eq!(db.admin_session(&TokenHash::from_bytes([8; 32]), at(1)).await?, None, "{}", db.backend);
        assert_eq!(db.admin_session(&id, at(8)).await?, None, "{}: expired", db.backend);

        db.revoke_api_key(key.id, at(2), &AuditContext::cli()).await?;
        assert_eq!(db.admin_session(&id, at(3)).await?, None, "{}: revoked with its key", db.backend);

        let events = db
            .audit_events(&AuditQuery { action: Some("session.".to_owned()), first: 10, ..AuditQuery::default() })
            .await?;
        assert_eq!(events.len(), 1, "{}", db.backend);
        assert_eq!(events[0].action, "session.create", "{}", db.backend);
        assert_eq!(events[0].target_id, key.id.to_string(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn signing_out_ends_the_session_and_is_audited_once() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let new = NewApiKey {
            name: "region".to_owned(),
            role: Role::RegionAdmin,
            municipalities: Vec::new(),
            token_hash: TokenHash::from_bytes([2; 32]),
            hint: "vx_AbCd".to_owned(),
            expires_at: None,
        };
        let key = db.create_api_key(new, at(0), &AuditContext::cli()).await?;
        let id = TokenHash::from_bytes([9; 32]);
        db.create_admin_session(&id, &key, &AdminSession { key: key.id, ..session(8) }, &AuditContext::cli()).await?;

        db.end_admin_session(&id, Some(&key), at(1), &AuditContext::cli()).await?;
        db.end_admin_session(&id, Some(&key), at(1), &AuditContext::cli()).await?;

        assert_eq!(db.admin_session(&id, at(1)).await?, None, "{}", db.backend);
        let ends = db
            .audit_events(&AuditQuery { action: Some("session.end".to_owned()), first: 10, ..AuditQuery::default() })
            .await?;
        assert_eq!(ends.len(), 1, "{}", db.backend);
    }
    Ok(())
}
