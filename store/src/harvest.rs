//! Writing a harvest: [`Store::replace_source`] (a full run) and [`Store::apply_changes`] (an
//! incremental one), which share one code path.
//!
//! The cost is a fixed number of statements per chunk, never per record: one query reads what
//! the source holds, then multi-row upserts and `IN` updates in chunks sized to stay under
//! SQLite's limit of 32,766 bound values per statement, all in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, DbBackend, EntityTrait, IntoActiveModel, Iterable, PaginatorTrait, QueryFilter,
    QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use uuid::Uuid;
use vuxnav_schema::{Catalogue, Offering, SourceId};

use crate::entity::{course, offering, provider, source};
use crate::{Store, StoreError, stored};

/// Bound values per statement: under SQLite's 32,766 (and PostgreSQL's 65,535), with room.
const MAX_BOUND_VALUES: usize = 32_000;

/// How many rows of `columns` values fit in one statement.
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (MAX_BOUND_VALUES / columns.max(1)).max(1)
}

/// What a [`Store::replace_source`] did to the offerings of the source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplaceOutcome {
    /// Offerings not held before, including withdrawn ones that reappeared (restored, with
    /// their `first_seen` kept).
    pub new: u64,
    /// Held offerings whose content hash differs: updated, `last_changed` set.
    pub changed: u64,
    /// Held offerings with the same content hash: only `last_harvest` set.
    pub unchanged: u64,
    /// Held offerings absent from the snapshot: marked withdrawn.
    pub withdrawn: u64,
}

/// What committing a harvest would do, for a caller that decides whether to commit it
/// ([`Store::write_harvest`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proposed {
    /// Offerings the source holds (not withdrawn) before the harvest.
    pub held: u64,
    /// What the harvest would do to them.
    pub outcome: ReplaceOutcome,
}

/// What [`Store::write_harvest`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Committed.
    Stored(ReplaceOutcome),
    /// Declined by the caller's check: rolled back, nothing changed. What it would have done.
    Declined { reason: String, would: ReplaceOutcome },
}

/// What the store holds of one offering before the harvest.
struct Held {
    content_hash: String,
    withdrawn: bool,
}

/// What a write withdraws.
#[derive(Clone, Copy)]
enum Withdraw<'a> {
    /// A complete snapshot: every held offering of the source absent from it.
    Absent,
    /// An incremental run: the held offerings of the source with these upstream ids.
    Named(&'a [String]),
}

impl Store {
    /// Replaces what `source` holds with `snapshot`, in one transaction.
    ///
    /// Providers and courses are upserted by id. Offerings of the source are inserted (new),
    /// updated in full (content hash differs: `first_seen` kept, `last_changed = at`) or only
    /// touched (same hash: `last_harvest = at`); offerings of the source absent from the
    /// snapshot are marked withdrawn (`withdrawn_at = at`); a withdrawn offering that reappears
    /// is restored (`withdrawn_at` cleared, `last_changed = at`). The store owns the provenance
    /// timestamps: those in the snapshot are ignored. Offerings with the same id in one snapshot
    /// are stored once, the last one winning.
    ///
    /// The source must be registered, and every offering's provenance must name it.
    pub async fn replace_source(
        &self,
        source: &SourceId,
        snapshot: &Catalogue,
        at: DateTime<Utc>,
    ) -> Result<ReplaceOutcome, StoreError> {
        stored_only(self.write_changes(source, snapshot, Withdraw::Absent, at, &|_| Ok(())).await?)
    }

    /// [`Store::replace_source`] (`withdrawn` is `None`: a full run) or
    /// [`Store::apply_changes`] (`Some`: an incremental run's withdrawals), committed only if
    /// `admit` accepts what it would do: the writes are made in the transaction, `admit` is
    /// asked before it commits, and an `Err(reason)` rolls everything back. The harvest guard
    /// decides here, so nothing can change between its judgement and the commit.
    pub async fn write_harvest(
        &self,
        source: &SourceId,
        upserts: &Catalogue,
        withdrawn: Option<&[String]>,
        at: DateTime<Utc>,
        admit: &(dyn Fn(&Proposed) -> Result<(), String> + Sync),
    ) -> Result<Written, StoreError> {
        let withdraw = withdrawn.map_or(Withdraw::Absent, Withdraw::Named);
        self.write_changes(source, upserts, withdraw, at, admit).await
    }

    /// Applies the changes of an incremental run to what `source` holds, in one transaction.
    ///
    /// `upserts` are written as [`Store::replace_source`] writes a snapshot (new, changed,
    /// unchanged and restored offerings counted and stamped the same way), but offerings absent
    /// from them are left as they are. Only the held offerings of `source` whose upstream ids
    /// are in `withdrawn_upstream_ids` are withdrawn; an upstream id both upserted and named
    /// there is withdrawn (and not upserted). Unknown or already withdrawn upstream ids are
    /// ignored.
    ///
    /// The source must be registered, and every offering's provenance must name it.
    pub async fn apply_changes(
        &self,
        source: &SourceId,
        upserts: &Catalogue,
        withdrawn_upstream_ids: &[String],
        at: DateTime<Utc>,
    ) -> Result<ReplaceOutcome, StoreError> {
        stored_only(
            self.write_changes(source, upserts, Withdraw::Named(withdrawn_upstream_ids), at, &|_| Ok(())).await?,
        )
    }

    /// [`Store::replace_source`] and [`Store::apply_changes`]: they differ only in what they
    /// withdraw and in which unchanged offerings they touch.
    async fn write_changes(
        &self,
        source: &SourceId,
        upserts: &Catalogue,
        withdraw: Withdraw<'_>,
        at: DateTime<Utc>,
        admit: &(dyn Fn(&Proposed) -> Result<(), String> + Sync),
    ) -> Result<Written, StoreError> {
        let at = stored(at);
        if let Some(foreign) = upserts.offerings.iter().find(|o| o.provenance.source != *source) {
            return Err(StoreError::ForeignOffering {
                source_id: source.to_string(),
                offering: foreign.id.to_string(),
                other: foreign.provenance.source.to_string(),
            });
        }

        let txn = self.begin_write().await?;
        // Also serialises harvests of the same source on PostgreSQL (SQLite has one writer).
        let registered = source::Entity::find_by_id(source.as_str()).lock_exclusive().one(&txn).await?;
        if registered.is_none() {
            return Err(StoreError::UnknownSource(source.to_string()));
        }
        crate::access::ensure_not_deleted(&txn, source).await?;

        // Sorted by id, so concurrent harvests on PostgreSQL lock rows in the same order.
        // Offerings named for withdrawal are not upserted: the withdrawal wins.
        let named: HashSet<&str> = match withdraw {
            Withdraw::Absent => HashSet::new(),
            Withdraw::Named(ids) => ids.iter().map(String::as_str).collect(),
        };
        let mut offerings: Vec<&Offering> = upserts
            .offerings
            .iter()
            .filter(|o| !named.contains(o.provenance.upstream_id.as_str()))
            .map(|o| (o.id.uuid(), o))
            .collect::<HashMap<_, _>>()
            .into_values()
            .collect();
        offerings.sort_unstable_by_key(|o| o.id);

        let held = match withdraw {
            Withdraw::Absent => held_offerings(&txn, source, None).await?,
            // An incremental run reads only what it upserts.
            Withdraw::Named(_) => {
                let ids: Vec<Uuid> = offerings.iter().map(|o| o.id.uuid()).collect();
                held_offerings(&txn, source, Some(&ids)).await?
            }
        };

        upsert_providers(&txn, upserts).await?;
        upsert_courses(&txn, upserts).await?;

        let mut outcome = ReplaceOutcome::default();
        let mut writes = Vec::new();
        let mut unchanged = Vec::new();
        for offering in &offerings {
            match held.get(&offering.id.uuid()) {
                None => outcome.new += 1,
                Some(h) if h.withdrawn => outcome.new += 1,
                Some(h) if h.content_hash != offering.provenance.content_hash => outcome.changed += 1,
                Some(_) => {
                    outcome.unchanged += 1;
                    unchanged.push(offering.id.uuid());
                    continue;
                }
            }
            writes.push(*offering);
        }
        upsert_offerings(&txn, &writes, at).await?;

        match withdraw {
            Withdraw::Absent => {
                let present: HashSet<Uuid> = offerings.iter().map(|o| o.id.uuid()).collect();
                let mut gone: Vec<Uuid> =
                    held.iter().filter(|(id, h)| !h.withdrawn && !present.contains(id)).map(|(id, _)| *id).collect();
                gone.sort_unstable();
                outcome.withdrawn = gone.len() as u64;
                for chunk in gone.chunks(MAX_BOUND_VALUES) {
                    offering::Entity::update_many()
                        .col_expr(offering::Column::WithdrawnAt, Expr::value(at))
                        .filter(offering::Column::Id.is_in(chunk.iter().copied()))
                        .exec(&txn)
                        .await?;
                }
                if outcome.unchanged > 0 {
                    // Every held offering of the source not yet written at `at` is an unchanged
                    // one: one statement touches them all.
                    offering::Entity::update_many()
                        .col_expr(offering::Column::LastHarvest, Expr::value(at))
                        .filter(offering::Column::SourceId.eq(source.as_str()))
                        .filter(offering::Column::WithdrawnAt.is_null())
                        .filter(offering::Column::LastHarvest.ne(at))
                        .exec(&txn)
                        .await?;
                }
            }
            Withdraw::Named(_) => {
                let mut named: Vec<&str> = named.into_iter().collect();
                named.sort_unstable();
                for chunk in named.chunks(MAX_BOUND_VALUES) {
                    let result = offering::Entity::update_many()
                        .col_expr(offering::Column::WithdrawnAt, Expr::value(at))
                        .filter(offering::Column::SourceId.eq(source.as_str()))
                        .filter(offering::Column::WithdrawnAt.is_null())
                        .filter(offering::Column::UpstreamId.is_in(chunk.iter().copied()))
                        .exec(&txn)
                        .await?;
                    outcome.withdrawn += result.rows_affected;
                }
                // Only the unchanged offerings this run delivered were seen again.
                unchanged.sort_unstable();
                for chunk in unchanged.chunks(MAX_BOUND_VALUES) {
                    offering::Entity::update_many()
                        .col_expr(offering::Column::LastHarvest, Expr::value(at))
                        .filter(offering::Column::Id.is_in(chunk.iter().copied()))
                        .exec(&txn)
                        .await?;
                }
            }
        }

        let held = match withdraw {
            Withdraw::Absent => held.values().filter(|h| !h.withdrawn).count() as u64,
            // Counted after the writes: the new ones are left out, the withdrawn ones put back.
            Withdraw::Named(_) => held_count(&txn, source).await? - outcome.new + outcome.withdrawn,
        };
        if let Err(reason) = admit(&Proposed { held, outcome }) {
            txn.rollback().await?;
            tracing::debug!(source = %source, ?outcome, %reason, "declined the changes of a source");
            return Ok(Written::Declined { reason, would: outcome });
        }
        txn.commit().await?;
        tracing::debug!(source = %source, ?outcome, "wrote the changes of a source");
        Ok(Written::Stored(outcome))
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so it waits for another writer instead of failing when it first writes.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        let txn = if self.db.get_database_backend() == DbBackend::Sqlite {
            self.db
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..TransactionOptions::default()
                })
                .await?
        } else {
            self.db.begin().await?
        };
        Ok(txn)
    }
}

/// The outcome of a write that nothing declines.
fn stored_only(written: Written) -> Result<ReplaceOutcome, StoreError> {
    match written {
        Written::Stored(outcome) => Ok(outcome),
        Written::Declined { reason, .. } => Err(StoreError::Declined(reason)),
    }
}

/// The offerings `source` holds (not withdrawn), by the (source_id, withdrawn_at) index.
async fn held_count(txn: &DatabaseTransaction, source: &SourceId) -> Result<u64, StoreError> {
    let count = offering::Entity::find()
        .filter(offering::Column::SourceId.eq(source.as_str()))
        .filter(offering::Column::WithdrawnAt.is_null())
        .count(txn)
        .await?;
    Ok(count)
}

/// What the store holds of the offerings of `source`: all of them, or only those with the
/// given ids.
async fn held_offerings(
    txn: &DatabaseTransaction,
    source: &SourceId,
    only: Option<&[Uuid]>,
) -> Result<HashMap<Uuid, Held>, StoreError> {
    let query = offering::Entity::find()
        .select_only()
        .columns([offering::Column::Id, offering::Column::ContentHash, offering::Column::WithdrawnAt])
        .filter(offering::Column::SourceId.eq(source.as_str()));
    let mut rows: Vec<(Uuid, String, Option<DateTime<Utc>>)> = Vec::new();
    match only {
        None => rows = query.into_tuple().all(txn).await?,
        Some(ids) => {
            for chunk in ids.chunks(MAX_BOUND_VALUES) {
                rows.extend(
                    query
                        .clone()
                        .filter(offering::Column::Id.is_in(chunk.iter().copied()))
                        .into_tuple::<(Uuid, String, Option<DateTime<Utc>>)>()
                        .all(txn)
                        .await?,
                );
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, content_hash, withdrawn_at)| (id, Held { content_hash, withdrawn: withdrawn_at.is_some() }))
        .collect())
}

async fn upsert_providers(txn: &DatabaseTransaction, snapshot: &Catalogue) -> Result<(), StoreError> {
    let mut rows: Vec<provider::Model> = snapshot
        .providers
        .iter()
        .map(|p| (p.id, provider::Model::from(p)))
        .collect::<HashMap<_, _>>()
        .into_values()
        .collect();
    rows.sort_unstable_by_key(|r| r.id);
    let update: Vec<provider::Column> =
        provider::Column::iter().filter(|c| !matches!(c, provider::Column::Id)).collect();
    for chunk in rows.chunks(rows_per_statement(provider::Column::iter().count())) {
        provider::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .on_conflict(OnConflict::column(provider::Column::Id).update_columns(update.iter().copied()).to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

async fn upsert_courses(txn: &DatabaseTransaction, snapshot: &Catalogue) -> Result<(), StoreError> {
    let mut rows: Vec<course::Model> = snapshot
        .courses
        .iter()
        .map(|c| (c.id, course::Model::from(c)))
        .collect::<HashMap<_, _>>()
        .into_values()
        .collect();
    rows.sort_unstable_by_key(|r| r.id);
    let update: Vec<course::Column> = course::Column::iter().filter(|c| !matches!(c, course::Column::Id)).collect();
    for chunk in rows.chunks(rows_per_statement(course::Column::iter().count())) {
        course::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .on_conflict(OnConflict::column(course::Column::Id).update_columns(update.iter().copied()).to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Inserts new offerings and updates changed or restored ones in full, keeping `first_seen`.
async fn upsert_offerings(
    txn: &DatabaseTransaction,
    offerings: &[&Offering],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let update: Vec<offering::Column> =
        offering::Column::iter().filter(|c| !matches!(c, offering::Column::Id | offering::Column::FirstSeen)).collect();
    for chunk in offerings.chunks(rows_per_statement(offering::Column::iter().count())) {
        let rows = chunk.iter().map(|o| {
            let mut row = offering::Model::from(*o);
            row.first_seen = at;
            row.last_changed = at;
            row.last_harvest = at;
            row.withdrawn_at = None;
            row.into_active_model()
        });
        offering::Entity::insert_many(rows)
            .on_conflict(OnConflict::column(offering::Column::Id).update_columns(update.iter().copied()).to_owned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
