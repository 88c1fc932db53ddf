//! The audit log: [`write`] inside a caller's transaction, [`Store::audit`] for an entry that
//! records no change of its own (a refusal, a harvest asked for), [`Store::audit_events`] to
//! read it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{ActiveValue, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use vuxnav_schema::MunicipalityCode;

use super::{Actor, ActorRole, AuditContext, AuditEvent, AuditOutcome, AuditQuery, AuditRecord, KeyId};
use crate::entity::audit_event;
use crate::{Store, StoreError, stored};

/// The most entries one read returns.
pub const MAX_AUDIT_PAGE: u64 = 500;

impl Store {
    /// Writes one entry that records no change of its own: a refused key, a denied request, a
    /// harvest asked for.
    pub async fn audit(
        &self,
        context: &AuditContext,
        record: AuditRecord,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        write(&self.db, context, record, at).await
    }

    /// Entries of the audit log as `query` says, newest first, at most [`MAX_AUDIT_PAGE`].
    pub async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let mut select = audit_event::Entity::find();
        if let Some(scope) = &query.scope {
            let mut visible = Condition::any()
                .add(audit_event::Column::Municipality.is_in(scope.municipalities.iter().map(|code| code.as_str())));
            if let Some(key) = scope.own_key {
                visible = visible.add(audit_event::Column::ActorKeyId.eq(key.get()));
            }
            select = select.filter(visible);
        }
        if let Some(actor) = query.actor {
            select = select.filter(audit_event::Column::ActorKeyId.eq(actor.get()));
        }
        if let Some(municipality) = query.municipality {
            select = select.filter(audit_event::Column::Municipality.eq(municipality.as_str()));
        }
        if let Some(action) = &query.action {
            select = if action.ends_with('.') {
                select.filter(audit_event::Column::Action.starts_with(action.as_str()))
            } else {
                select.filter(audit_event::Column::Action.eq(action.as_str()))
            };
        }
        if let Some(since) = query.since {
            select = select.filter(audit_event::Column::At.gte(stored(since)));
        }
        if let Some(until) = query.until {
            select = select.filter(audit_event::Column::At.lt(stored(until)));
        }
        if let Some(before) = query.before_id {
            select = select.filter(audit_event::Column::Id.lt(before));
        }
        let rows =
            select.order_by_desc(audit_event::Column::Id).limit(query.first.min(MAX_AUDIT_PAGE)).all(&self.db).await?;
        rows.into_iter().map(event).collect()
    }
}

/// Writes one audit entry on `conn`: inside the transaction of the change it records.
pub(crate) async fn write(
    conn: &impl ConnectionTrait,
    context: &AuditContext,
    record: AuditRecord,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let json = |value: Option<serde_json::Value>| value.map(|value| value.to_string());
    let row = audit_event::ActiveModel {
        id: ActiveValue::NotSet,
        at: ActiveValue::Set(stored(at)),
        actor_key_id: ActiveValue::Set(context.actor.key.map(KeyId::get)),
        actor: ActiveValue::Set(context.actor.name.clone()),
        actor_role: ActiveValue::Set(context.actor.role.code().to_owned()),
        action: ActiveValue::Set(record.action),
        target_type: ActiveValue::Set(record.target_type),
        target_id: ActiveValue::Set(record.target_id),
        municipality: ActiveValue::Set(record.municipality.map(|code| code.as_str().to_owned())),
        before: ActiveValue::Set(json(record.before)),
        after: ActiveValue::Set(json(record.after)),
        outcome: ActiveValue::Set(record.outcome.code().to_owned()),
        request_id: ActiveValue::Set(context.request_id.clone()),
        client_address: ActiveValue::Set(context.client_address.clone()),
    };
    audit_event::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

fn event(row: audit_event::Model) -> Result<AuditEvent, StoreError> {
    let corrupt = |column: &'static str, reason: String| StoreError::Corrupt {
        table: "audit_events",
        column,
        row: row.id.to_string(),
        reason,
    };
    let role = ActorRole::parse(&row.actor_role)
        .ok_or_else(|| corrupt("actor_role", format!("`{}` is not a role", row.actor_role)))?;
    let outcome = AuditOutcome::parse(&row.outcome)
        .ok_or_else(|| corrupt("outcome", format!("`{}` is not an outcome", row.outcome)))?;
    let municipality = row
        .municipality
        .as_deref()
        .map(MunicipalityCode::parse)
        .transpose()
        .map_err(|error| corrupt("municipality", error.reason))?;
    let json = |column: &'static str, text: &Option<String>| {
        text.as_deref()
            .map(serde_json::from_str::<serde_json::Value>)
            .transpose()
            .map_err(|error| corrupt(column, format!("not JSON: {error}")))
    };
    let before = json("before", &row.before)?;
    let after = json("after", &row.after)?;
    Ok(AuditEvent {
        id: row.id,
        at: row.at,
        actor: Actor { key: row.actor_key_id.map(KeyId::new), name: row.actor, role },
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        municipality,
        before,
        after,
        outcome,
        request_id: row.request_id,
        client_address: row.client_address,
    })
}
