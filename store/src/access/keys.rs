//! API keys: created, looked up by the hash of their token, used, listed and revoked. Each
//! key event writes its audit entry in the same transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveValue, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use vuxnav_schema::{MunicipalityCode, Role};

use super::audit::write;
use super::{ApiKey, AuditContext, AuditOutcome, AuditRecord, KeyId, LAST_USED_EVERY, NewApiKey, TokenHash};
use crate::entity::api_key;
use crate::{Store, StoreError, stored};

impl Store {
    /// Stores a new key (only the hash of its token) and audits `key.create`.
    pub async fn create_api_key(
        &self,
        key: NewApiKey,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<ApiKey, StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let row = api_key::ActiveModel {
            id: ActiveValue::NotSet,
            name: ActiveValue::Set(key.name),
            role: ActiveValue::Set(key.role.code().to_owned()),
            municipalities: ActiveValue::Set(
                key.municipalities.iter().map(|code| code.as_str()).collect::<Vec<_>>().join(","),
            ),
            token_hash: ActiveValue::Set(key.token_hash.hex()),
            hint: ActiveValue::Set(key.hint),
            created_at: ActiveValue::Set(at),
            created_by: ActiveValue::Set(context.actor.name.clone()),
            created_by_key: ActiveValue::Set(context.actor.key.map(KeyId::get)),
            expires_at: ActiveValue::Set(key.expires_at.map(stored)),
            last_used_at: ActiveValue::Set(None),
            revoked_at: ActiveValue::Set(None),
        };
        let id = api_key::Entity::insert(row).exec(&txn).await?.last_insert_id;
        let row = api_key::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::UnknownKey(id))?;
        let created = ApiKey::try_from(row)?;
        let record = key_record("key.create", &created, None, Some(described(&created)));
        write(&txn, context, record, at).await?;
        txn.commit().await?;
        Ok(created)
    }

    /// The key whose token has this hash, revoked and expired ones included (the caller says
    /// why it refuses one), or `None`.
    pub async fn api_key_by_hash(&self, hash: &TokenHash) -> Result<Option<ApiKey>, StoreError> {
        let row = api_key::Entity::find().filter(api_key::Column::TokenHash.eq(hash.hex())).one(&self.db).await?;
        row.map(ApiKey::try_from).transpose()
    }

    /// One key, or `None`.
    pub async fn api_key(&self, id: KeyId) -> Result<Option<ApiKey>, StoreError> {
        api_key::Entity::find_by_id(id.get()).one(&self.db).await?.map(ApiKey::try_from).transpose()
    }

    /// Every key, newest first; with `scope`, only keys acting for one of those municipalities
    /// or created by the key `created_by`.
    pub async fn api_keys(
        &self,
        scope: Option<(&[MunicipalityCode], Option<KeyId>)>,
    ) -> Result<Vec<ApiKey>, StoreError> {
        let rows = api_key::Entity::find().order_by_desc(api_key::Column::Id).all(&self.db).await?;
        let keys = rows.into_iter().map(ApiKey::try_from).collect::<Result<Vec<_>, _>>()?;
        Ok(match scope {
            None => keys,
            Some((municipalities, own)) => keys
                .into_iter()
                .filter(|key| {
                    key.municipalities.iter().any(|code| municipalities.contains(code))
                        || own.is_some_and(|own| key.created_by_key == Some(own))
                })
                .collect(),
        })
    }

    /// Records that `key` was used at `at`: sets `last_used_at` when it is unset or older than
    /// [`LAST_USED_EVERY`], and audits `key.first_use` the first time, in one transaction.
    /// Returns whether it wrote.
    pub async fn record_key_use(
        &self,
        key: KeyId,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<bool, StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let Some(row) = api_key::Entity::find_by_id(key.get()).one(&txn).await? else {
            return Err(StoreError::UnknownKey(key.get()));
        };
        let first = row.last_used_at.is_none();
        let updated = api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(Some(at)))
            .filter(api_key::Column::Id.eq(key.get()))
            .filter(
                Condition::any()
                    .add(api_key::Column::LastUsedAt.is_null())
                    .add(api_key::Column::LastUsedAt.lt(at - LAST_USED_EVERY)),
            )
            .exec(&txn)
            .await?
            .rows_affected;
        if first && updated > 0 {
            let used = ApiKey::try_from(row)?;
            write(&txn, context, key_record("key.first_use", &used, None, None), at).await?;
        }
        txn.commit().await?;
        Ok(updated > 0)
    }

    /// Revokes `key` at `at` and audits `key.revoke`; a key already revoked stays as it was
    /// (and is not audited twice). Its admin pages' sessions end with it. Returns the key as it
    /// is now.
    pub async fn revoke_api_key(
        &self,
        key: KeyId,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<ApiKey, StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let Some(row) = api_key::Entity::find_by_id(key.get()).one(&txn).await? else {
            return Err(StoreError::UnknownKey(key.get()));
        };
        let before = ApiKey::try_from(row)?;
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        api_key::Entity::update_many()
            .col_expr(api_key::Column::RevokedAt, Expr::value(Some(at)))
            .filter(api_key::Column::Id.eq(key.get()))
            .exec(&txn)
            .await?;
        super::sessions::end_sessions_of(&txn, key).await?;
        let after = ApiKey { revoked_at: Some(at), ..before.clone() };
        let record = key_record("key.revoke", &after, Some(described(&before)), Some(described(&after)));
        write(&txn, context, record, at).await?;
        txn.commit().await?;
        Ok(after)
    }
}

/// What the audit log shows of a key: never its hash.
fn described(key: &ApiKey) -> serde_json::Value {
    json!({
        "id": key.id.get(),
        "name": key.name,
        "role": key.role.code(),
        "municipalities": key.municipalities.iter().map(|code| code.as_str()).collect::<Vec<_>>(),
        "hint": key.hint,
        "expires_at": key.expires_at.map(|at| at.to_rfc3339()),
        "revoked_at": key.revoked_at.map(|at| at.to_rfc3339()),
    })
}

/// The audit entry of a key event: the key's one municipality, if it has exactly one, so that
/// municipal admins see the events of their municipality's keys.
pub(super) fn key_record(
    action: &str,
    key: &ApiKey,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditRecord {
    AuditRecord {
        action: action.to_owned(),
        target_type: "key".to_owned(),
        target_id: key.id.to_string(),
        municipality: match key.municipalities.as_slice() {
            [one] => Some(*one),
            _ => None,
        },
        before,
        after,
        outcome: AuditOutcome::Ok,
    }
}

impl TryFrom<api_key::Model> for ApiKey {
    type Error = StoreError;

    fn try_from(row: api_key::Model) -> Result<Self, StoreError> {
        let corrupt = |column: &'static str, reason: String| StoreError::Corrupt {
            table: "api_keys",
            column,
            row: row.id.to_string(),
            reason,
        };
        let role = Role::parse(&row.role).map_err(|error| corrupt("role", error.reason))?;
        let municipalities = row
            .municipalities
            .split(',')
            .filter(|code| !code.is_empty())
            .map(MunicipalityCode::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| corrupt("municipalities", error.reason))?;
        Ok(ApiKey {
            id: KeyId::new(row.id),
            name: row.name,
            role,
            municipalities,
            hint: row.hint,
            created_at: row.created_at,
            created_by: row.created_by,
            created_by_key: row.created_by_key.map(KeyId::new),
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
    }
}
