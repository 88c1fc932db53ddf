//! Sessions of the admin pages: created at sign-in (audited `session.create`), read on every
//! request by the SHA-256 of the session id, kept alive by use ([`Store::extend_admin_session`]),
//! ended at sign-out (audited `session.end`), when they expire, and with their key: revoking a key deletes its sessions in the same
//! transaction.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue, ColumnTrait, EntityTrait, QueryFilter};

use super::audit::write;
use super::keys::key_record;
use super::{ApiKey, AuditContext, KeyId, TokenHash};
use crate::entity::admin_session;
use crate::{Store, StoreError, stored};

/// A session of the admin pages, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminSession {
    /// The key signed in with.
    pub key: KeyId,
    /// The synchronizer token every form of the session carries.
    pub csrf_secret: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Stores a session of `key` (only the hash of its id), clears expired sessions, and audits
    /// `session.create`.
    pub async fn create_admin_session(
        &self,
        id: &TokenHash,
        key: &ApiKey,
        session: &AdminSession,
        context: &AuditContext,
    ) -> Result<(), StoreError> {
        let at = stored(session.created_at);
        let txn = self.begin_write().await?;
        admin_session::Entity::delete_many().filter(admin_session::Column::ExpiresAt.lte(at)).exec(&txn).await?;
        let row = admin_session::ActiveModel {
            id_hash: ActiveValue::Set(id.hex()),
            key_id: ActiveValue::Set(key.id.get()),
            csrf_secret: ActiveValue::Set(session.csrf_secret.clone()),
            created_at: ActiveValue::Set(at),
            expires_at: ActiveValue::Set(stored(session.expires_at)),
        };
        admin_session::Entity::insert(row).exec_without_returning(&txn).await?;
        write(&txn, context, key_record("session.create", key, None, None), at).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The session whose id has this hash, if it exists and has not expired at `now`.
    pub async fn admin_session(&self, id: &TokenHash, now: DateTime<Utc>) -> Result<Option<AdminSession>, StoreError> {
        let row = admin_session::Entity::find_by_id(id.hex()).one(&self.db).await?;
        Ok(row.filter(|row| row.expires_at > now).map(|row| AdminSession {
            key: KeyId::new(row.key_id),
            csrf_secret: row.csrf_secret,
            created_at: row.created_at,
            expires_at: row.expires_at,
        }))
    }

    /// Moves the end of the session whose id has this hash to `expires_at`, when that is later
    /// than its stored end: an admin at work stays signed in. A session that is gone stays gone.
    pub async fn extend_admin_session(&self, id: &TokenHash, expires_at: DateTime<Utc>) -> Result<(), StoreError> {
        let expires_at = stored(expires_at);
        admin_session::Entity::update_many()
            .col_expr(admin_session::Column::ExpiresAt, expires_at.into())
            .filter(admin_session::Column::IdHash.eq(id.hex()))
            .filter(admin_session::Column::ExpiresAt.lt(expires_at))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Ends the session whose id has this hash (signing out), auditing `session.end` when
    /// there was one and `key` names its key. Ending a session that is gone changes nothing.
    pub async fn end_admin_session(
        &self,
        id: &TokenHash,
        key: Option<&ApiKey>,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<(), StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let deleted = admin_session::Entity::delete_by_id(id.hex()).exec(&txn).await?.rows_affected;
        if let Some(key) = key
            && deleted > 0
        {
            write(&txn, context, key_record("session.end", key, None, None), at).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

/// Deletes every session of `key`, inside the transaction that revokes it.
pub(super) async fn end_sessions_of(txn: &impl sea_orm::ConnectionTrait, key: KeyId) -> Result<(), StoreError> {
    admin_session::Entity::delete_many().filter(admin_session::Column::KeyId.eq(key.get())).exec(txn).await?;
    Ok(())
}
