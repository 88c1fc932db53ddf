//! Sources managed through the admin API: the store is their system of record. Every saved
//! change is a new revision (the previous configuration is kept in `source_config_revisions`
//! and shown in the audit entry), and a save names the revision it changes, so of two
//! concurrent edits the second is refused ([`StoreError::RevisionConflict`]) and nothing is
//! lost.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use vuxnav_schema::{MunicipalityCode, RunOutcome, SourceId};

use super::audit::write;
use super::{AuditContext, AuditOutcome, AuditRecord, ManagedSource, SourceDraft};
use crate::entity::{harvest_run, offering, source, source_config, source_config_revision};
use crate::{Store, StoreError, stored};

/// The error of the run that records a deletion's withdrawals.
const DELETED: &str = "the source was deleted";

impl Store {
    /// Every managed source at its current revision, ordered by id.
    pub async fn managed_sources(&self) -> Result<Vec<ManagedSource>, StoreError> {
        let rows = source_config::Entity::find().order_by_asc(source_config::Column::Id).all(&self.db).await?;
        rows.into_iter().map(ManagedSource::try_from).collect()
    }

    /// One managed source, or `None`.
    pub async fn managed_source(&self, id: &SourceId) -> Result<Option<ManagedSource>, StoreError> {
        source_config::Entity::find_by_id(id.as_str()).one(&self.db).await?.map(ManagedSource::try_from).transpose()
    }

    /// Every saved revision of a managed source, newest first, its deletions included (with no
    /// config).
    pub async fn source_revisions(
        &self,
        id: &SourceId,
    ) -> Result<Vec<(u32, Option<serde_json::Value>, DateTime<Utc>, String)>, StoreError> {
        let rows = source_config_revision::Entity::find()
            .filter(source_config_revision::Column::SourceId.eq(id.as_str()))
            .order_by_desc(source_config_revision::Column::Revision)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let config = row.config.as_deref().map(|text| parse_config(&row.source_id, text)).transpose()?;
                Ok((revision(&row.source_id, row.revision)?, config, row.saved_at, row.saved_by))
            })
            .collect()
    }

    /// Saves a new managed source at revision 1 (or one after the revision that deleted an
    /// earlier source of the same id and municipality), registers it for harvesting and audits
    /// `source.create`, in one transaction. An id in use, or held by a source this store does
    /// not manage (one from the config file, present or past), is
    /// [`StoreError::SourceExists`].
    pub async fn create_source(
        &self,
        draft: &SourceDraft,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<ManagedSource, StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let taken = || StoreError::SourceExists(draft.id.to_string());
        if source_config::Entity::find_by_id(draft.id.as_str()).one(&txn).await?.is_some() {
            return Err(taken());
        }
        let last = last_revision(&txn, &draft.id).await?;
        let registered = source::Entity::find_by_id(draft.id.as_str()).lock_exclusive().one(&txn).await?;
        match (&registered, &last) {
            (None, _) => {}
            // Deleted through the API: the id may come back, for the same municipality.
            (Some(row), Some(last)) if last.config.is_none() && row.municipality == draft.municipality.as_str() => {}
            _ => return Err(taken()),
        }
        let revision = match last {
            Some(last) => revision(draft.id.as_str(), last.revision)? + 1,
            None => 1,
        };
        let saved = save(&txn, draft, revision, at, context).await?;
        register(&txn, draft).await?;
        let record = source_record("source.create", draft.municipality, &draft.id, None, Some(&draft.config));
        write(&txn, context, record, at).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Saves a changed configuration of a managed source as its next revision, provided it is
    /// still at `expected_revision` (else [`StoreError::RevisionConflict`], nothing saved),
    /// updates its registration and audits `action` (`source.update`, `source.enable`,
    /// `source.disable`) with the configuration before and after, in one transaction.
    pub async fn update_source(
        &self,
        draft: &SourceDraft,
        expected_revision: u32,
        action: &str,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<ManagedSource, StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let current = current_locked(&txn, &draft.id).await?;
        if current.revision != expected_revision {
            return Err(StoreError::RevisionConflict {
                source_id: draft.id.to_string(),
                expected: expected_revision,
                current: current.revision,
            });
        }
        let saved = save(&txn, draft, current.revision + 1, at, context).await?;
        register(&txn, draft).await?;
        let mut record =
            source_record(action, draft.municipality, &draft.id, Some(&current.config), Some(&draft.config));
        if current.municipality != draft.municipality {
            // Moved: both municipalities' admins see the entry; the new one is named.
            record.before = Some(json!({ "municipality": current.municipality.as_str(), "config": current.config }));
        }
        write(&txn, context, record, at).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Deletes a managed source at `expected_revision`: keeps a revision without config,
    /// withdraws every offering it holds (recorded as a run of the source, so every process
    /// rebuilds its read model), disables its registration, and audits `source.delete` with
    /// the configuration it had, in one transaction. A run under way when it is deleted
    /// cannot store anything afterwards. Returns the number of offerings withdrawn.
    pub async fn delete_source(
        &self,
        id: &SourceId,
        expected_revision: u32,
        at: DateTime<Utc>,
        context: &AuditContext,
    ) -> Result<u64, StoreError> {
        let at = stored(at);
        let txn = self.begin_write().await?;
        let current = current_locked(&txn, id).await?;
        if current.revision != expected_revision {
            return Err(StoreError::RevisionConflict {
                source_id: id.to_string(),
                expected: expected_revision,
                current: current.revision,
            });
        }
        source_config::Entity::delete_by_id(id.as_str()).exec(&txn).await?;
        let deleted = source_config_revision::ActiveModel {
            source_id: ActiveValue::Set(id.as_str().to_owned()),
            revision: ActiveValue::Set(i32::try_from(current.revision + 1).unwrap_or(i32::MAX)),
            municipality: ActiveValue::Set(current.municipality.as_str().to_owned()),
            config: ActiveValue::Set(None),
            saved_at: ActiveValue::Set(at),
            saved_by: ActiveValue::Set(context.actor.name.clone()),
        };
        source_config_revision::Entity::insert(deleted).exec_without_returning(&txn).await?;
        let withdrawn = offering::Entity::update_many()
            .col_expr(offering::Column::WithdrawnAt, Expr::value(at))
            .filter(offering::Column::SourceId.eq(id.as_str()))
            .filter(offering::Column::WithdrawnAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        source::Entity::update_many()
            .col_expr(source::Column::Enabled, Expr::value(false))
            .filter(source::Column::Id.eq(id.as_str()))
            .exec(&txn)
            .await?;
        if withdrawn > 0 {
            record_withdrawal(&txn, id, withdrawn, at).await?;
        }
        let mut record = source_record("source.delete", current.municipality, id, Some(&current.config), None);
        record.after = Some(json!({ "withdrawn_offerings": withdrawn }));
        write(&txn, context, record, at).await?;
        txn.commit().await?;
        Ok(withdrawn)
    }
}

/// Refuses to store a harvest of a source deleted through the admin API: called inside the
/// harvest's transaction, after it locked the source's row, which a deletion locks too.
pub(crate) async fn ensure_not_deleted(txn: &DatabaseTransaction, id: &SourceId) -> Result<(), StoreError> {
    if source_config::Entity::find_by_id(id.as_str()).one(txn).await?.is_some() {
        return Ok(());
    }
    match last_revision(txn, id).await? {
        Some(last) if last.config.is_none() => Err(StoreError::SourceDeleted(id.to_string())),
        _ => Ok(()),
    }
}

/// The newest revision of `id`, its deletion included.
async fn last_revision(
    conn: &impl ConnectionTrait,
    id: &SourceId,
) -> Result<Option<source_config_revision::Model>, StoreError> {
    Ok(source_config_revision::Entity::find()
        .filter(source_config_revision::Column::SourceId.eq(id.as_str()))
        .order_by_desc(source_config_revision::Column::Revision)
        .one(conn)
        .await?)
}

/// The current revision of a managed source, locked for the transaction.
async fn current_locked(txn: &DatabaseTransaction, id: &SourceId) -> Result<ManagedSource, StoreError> {
    // The registration's lock is the one a harvest of the source takes.
    source::Entity::find_by_id(id.as_str()).lock_exclusive().one(txn).await?;
    let row = source_config::Entity::find_by_id(id.as_str()).lock_exclusive().one(txn).await?;
    row.map(ManagedSource::try_from).transpose()?.ok_or_else(|| StoreError::UnknownSource(id.to_string()))
}

/// Writes `draft` as the current config at `revision` and keeps it as that revision.
async fn save(
    txn: &DatabaseTransaction,
    draft: &SourceDraft,
    revision: u32,
    at: DateTime<Utc>,
    context: &AuditContext,
) -> Result<ManagedSource, StoreError> {
    let stored_revision = i32::try_from(revision).map_err(|_| StoreError::Corrupt {
        table: "source_configs",
        column: "revision",
        row: draft.id.to_string(),
        reason: format!("revision {revision} is out of range"),
    })?;
    let config = draft.config.to_string();
    let row = source_config::ActiveModel {
        id: ActiveValue::Set(draft.id.as_str().to_owned()),
        municipality: ActiveValue::Set(draft.municipality.as_str().to_owned()),
        revision: ActiveValue::Set(stored_revision),
        config: ActiveValue::Set(config.clone()),
        saved_at: ActiveValue::Set(at),
        saved_by: ActiveValue::Set(context.actor.name.clone()),
    };
    source_config::Entity::insert(row)
        .on_conflict(
            OnConflict::column(source_config::Column::Id)
                .update_columns([
                    source_config::Column::Municipality,
                    source_config::Column::Revision,
                    source_config::Column::Config,
                    source_config::Column::SavedAt,
                    source_config::Column::SavedBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let kept = source_config_revision::ActiveModel {
        source_id: ActiveValue::Set(draft.id.as_str().to_owned()),
        revision: ActiveValue::Set(stored_revision),
        municipality: ActiveValue::Set(draft.municipality.as_str().to_owned()),
        config: ActiveValue::Set(Some(config)),
        saved_at: ActiveValue::Set(at),
        saved_by: ActiveValue::Set(context.actor.name.clone()),
    };
    source_config_revision::Entity::insert(kept).exec_without_returning(txn).await?;
    Ok(ManagedSource {
        id: draft.id.clone(),
        municipality: draft.municipality,
        revision,
        config: draft.config.clone(),
        saved_at: at,
        saved_by: context.actor.name.clone(),
    })
}

/// Registers the source for harvesting, as `Store::register_source` does for the config
/// file's, inside the transaction.
async fn register(txn: &DatabaseTransaction, draft: &SourceDraft) -> Result<(), StoreError> {
    let row = source::ActiveModel {
        id: ActiveValue::Set(draft.id.as_str().to_owned()),
        municipality: ActiveValue::Set(draft.municipality.as_str().to_owned()),
        kind: ActiveValue::Set(draft.kind.clone()),
        enabled: ActiveValue::Set(draft.enabled),
        ..Default::default()
    };
    source::Entity::insert(row)
        .on_conflict(
            OnConflict::column(source::Column::Id)
                .update_columns([source::Column::Municipality, source::Column::Kind, source::Column::Enabled])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Records the withdrawals of a deletion as a finished run of the source: it shows in the
/// source's history, and it is the store's last change, so every process rebuilds its read
/// model (`Store::last_change`).
async fn record_withdrawal(
    txn: &DatabaseTransaction,
    id: &SourceId,
    withdrawn: u64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let run = harvest_run::ActiveModel {
        id: ActiveValue::NotSet,
        source_id: ActiveValue::Set(id.as_str().to_owned()),
        started: ActiveValue::Set(at),
        finished: ActiveValue::Set(Some(at)),
        outcome: ActiveValue::Set(RunOutcome::Succeeded.code().to_owned()),
        full: ActiveValue::Set(true),
        fetched: ActiveValue::Set(0),
        new: ActiveValue::Set(0),
        changed: ActiveValue::Set(0),
        unchanged: ActiveValue::Set(0),
        withdrawn: ActiveValue::Set(i64::try_from(withdrawn).unwrap_or(i64::MAX)),
        rejected: ActiveValue::Set(0),
        error: ActiveValue::Set(Some(DELETED.to_owned())),
    };
    harvest_run::Entity::insert(run).exec_without_returning(txn).await?;
    Ok(())
}

/// The audit entry of a change to a source's configuration.
fn source_record(
    action: &str,
    municipality: MunicipalityCode,
    id: &SourceId,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> AuditRecord {
    AuditRecord {
        action: action.to_owned(),
        target_type: "source".to_owned(),
        target_id: id.to_string(),
        municipality: Some(municipality),
        before: before.cloned(),
        after: after.cloned(),
        outcome: AuditOutcome::Ok,
    }
}

fn parse_config(id: &str, text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt {
        table: "source_configs",
        column: "config",
        row: id.to_owned(),
        reason: format!("not JSON: {error}"),
    })
}

fn revision(id: &str, revision: i32) -> Result<u32, StoreError> {
    u32::try_from(revision).map_err(|_| StoreError::Corrupt {
        table: "source_configs",
        column: "revision",
        row: id.to_owned(),
        reason: format!("{revision} is not a revision"),
    })
}

impl TryFrom<source_config::Model> for ManagedSource {
    type Error = StoreError;

    fn try_from(row: source_config::Model) -> Result<Self, StoreError> {
        let corrupt = |column: &'static str, reason: String| StoreError::Corrupt {
            table: "source_configs",
            column,
            row: row.id.clone(),
            reason,
        };
        Ok(ManagedSource {
            id: SourceId::parse(&row.id).map_err(|error| corrupt("id", error.reason))?,
            municipality: MunicipalityCode::parse(&row.municipality)
                .map_err(|error| corrupt("municipality", error.reason))?,
            revision: revision(&row.id, row.revision)?,
            config: parse_config(&row.id, &row.config)?,
            saved_at: row.saved_at,
            saved_by: row.saved_by,
        })
    }
}
