//! Recorded harvest runs: [`Store::start_run`], [`Store::finish_run`],
//! [`Store::finish_stale_runs`], [`Store::runs`], [`Store::run`], [`Store::run_history`] and
//! [`Store::last_change`].

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, Iterable, QueryFilter, QueryOrder,
    QuerySelect,
};
use vuxnav_schema::{HarvestRun, RunCounts, RunEnd, RunHistory, RunId, RunOutcome, RunRejection, SourceId};

use crate::convert::{RunRow, count_column};
use crate::entity::{harvest_run, harvest_run_rejection, source};
use crate::harvest::rows_per_statement;
use crate::sources::apply_attempt;
use crate::{Store, StoreError, stored};

/// Rejections kept per run; the others are only counted (`HarvestRun::rejections_omitted`).
pub const MAX_REJECTIONS_PER_RUN: usize = 1_000;

/// The error of a run whose process ended before it finished.
const INTERRUPTED: &str = "interrupted";

/// Run ids bound in one `IN` list: under SQLite's limit of 32,766 bound values.
const MAX_IDS_PER_QUERY: usize = 30_000;

impl Store {
    /// Records that a run of `source` started, as `Running`, and returns its id. A process
    /// that dies before [`Store::finish_run`] leaves the run visible as `Running` until
    /// [`Store::finish_stale_runs`].
    pub async fn start_run(&self, source: &SourceId, started: DateTime<Utc>, full: bool) -> Result<RunId, StoreError> {
        let txn = self.begin_write().await?;
        if source::Entity::find_by_id(source.as_str()).one(&txn).await?.is_none() {
            return Err(StoreError::UnknownSource(source.to_string()));
        }
        let row = harvest_run::ActiveModel {
            id: ActiveValue::NotSet,
            source_id: ActiveValue::Set(source.as_str().to_owned()),
            started: ActiveValue::Set(stored(started)),
            finished: ActiveValue::Set(None),
            outcome: ActiveValue::Set(RunOutcome::Running.code().to_owned()),
            full: ActiveValue::Set(full),
            fetched: ActiveValue::Set(0),
            new: ActiveValue::Set(0),
            changed: ActiveValue::Set(0),
            unchanged: ActiveValue::Set(0),
            withdrawn: ActiveValue::Set(0),
            rejected: ActiveValue::Set(0),
            error: ActiveValue::Set(None),
        };
        let id = harvest_run::Entity::insert(row).exec(&txn).await?.last_insert_id;
        txn.commit().await?;
        Ok(RunId::new(id))
    }

    /// Records the end of a running run, in one transaction: succeeded, failed with its error
    /// or held with its reason (`Ok(())` and `Err(message)` convert to the first two). Stores `counts` and the first [`MAX_REJECTIONS_PER_RUN`] of
    /// `rejections`; `counts.rejected` is the total (raised to `rejections.len()` if lower),
    /// so those left out are still counted. Updates the source's state as
    /// [`Store::record_attempt`] does, at `finished`.
    pub async fn finish_run(
        &self,
        run: RunId,
        finished: DateTime<Utc>,
        outcome: impl Into<RunEnd>,
        counts: RunCounts,
        rejections: &[RunRejection],
    ) -> Result<(), StoreError> {
        let outcome: RunEnd = outcome.into();
        let finished = stored(finished);
        let txn = self.begin_write().await?;
        let Some(row) = harvest_run::Entity::find_by_id(run.get()).lock_exclusive().one(&txn).await? else {
            return Err(StoreError::UnknownRun(run));
        };
        if row.outcome != RunOutcome::Running.code() {
            return Err(StoreError::RunNotRunning(run));
        }
        let (run_outcome, error) = (outcome.outcome(), outcome.reason().map(str::to_owned));
        let rejected = counts.rejected.max(rejections.len() as u64);
        harvest_run::Entity::update_many()
            .col_expr(harvest_run::Column::Finished, Expr::value(Some(finished)))
            .col_expr(harvest_run::Column::Outcome, Expr::value(run_outcome.code()))
            .col_expr(harvest_run::Column::Fetched, Expr::value(count_column(counts.fetched)))
            .col_expr(harvest_run::Column::New, Expr::value(count_column(counts.new)))
            .col_expr(harvest_run::Column::Changed, Expr::value(count_column(counts.changed)))
            .col_expr(harvest_run::Column::Unchanged, Expr::value(count_column(counts.unchanged)))
            .col_expr(harvest_run::Column::Withdrawn, Expr::value(count_column(counts.withdrawn)))
            .col_expr(harvest_run::Column::Rejected, Expr::value(count_column(rejected)))
            .col_expr(harvest_run::Column::Error, Expr::value(error))
            .filter(harvest_run::Column::Id.eq(run.get()))
            .exec(&txn)
            .await?;

        let kept = &rejections[..rejections.len().min(MAX_REJECTIONS_PER_RUN)];
        let rows: Vec<harvest_run_rejection::Model> = kept
            .iter()
            .zip(0i32..)
            .map(|(r, position)| harvest_run_rejection::Model {
                run_id: run.get(),
                position,
                upstream_id: r.upstream_id.clone(),
                field: r.field.clone(),
                reason: r.reason.clone(),
            })
            .collect();
        for chunk in rows.chunks(rows_per_statement(harvest_run_rejection::Column::iter().count())) {
            harvest_run_rejection::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
                .exec_without_returning(&txn)
                .await?;
        }

        apply_attempt(&txn, &row.source_id, finished, outcome, None).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Marks every run still `Running` that started before `before` as `Failed` with the
    /// error `interrupted`, finished at `before`, and records the failed attempt in the state
    /// of its source unless the source has recorded an attempt since that run started. Call
    /// it at start-up with the process's start time: runs of this process start later and are
    /// left alone. Returns the number of runs marked.
    pub async fn finish_stale_runs(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let before = stored(before);
        let txn = self.begin_write().await?;
        let stale: Vec<(i64, String, DateTime<Utc>)> = harvest_run::Entity::find()
            .select_only()
            .columns([harvest_run::Column::Id, harvest_run::Column::SourceId, harvest_run::Column::Started])
            .filter(harvest_run::Column::Outcome.eq(RunOutcome::Running.code()))
            .filter(harvest_run::Column::Started.lt(before))
            .into_tuple()
            .all(&txn)
            .await?;
        let ids: Vec<i64> = stale.iter().map(|(id, _, _)| *id).collect();
        for chunk in ids.chunks(MAX_IDS_PER_QUERY) {
            harvest_run::Entity::update_many()
                .col_expr(harvest_run::Column::Finished, Expr::value(Some(before)))
                .col_expr(harvest_run::Column::Outcome, Expr::value(RunOutcome::Failed.code()))
                .col_expr(harvest_run::Column::Error, Expr::value(Some(INTERRUPTED)))
                .filter(harvest_run::Column::Id.is_in(chunk.iter().copied()))
                .exec(&txn)
                .await?;
        }
        // The latest interrupted run of each source decides whether its state is updated.
        let mut latest: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
        for (_, source, started) in &stale {
            let entry = latest.entry(source.as_str()).or_insert(*started);
            *entry = (*entry).max(*started);
        }
        for (source, started) in latest {
            apply_attempt(&txn, source, before, RunEnd::Failed(INTERRUPTED.to_owned()), Some(started)).await?;
        }
        txn.commit().await?;
        if !stale.is_empty() {
            tracing::warn!(runs = stale.len(), "marked harvest runs of an earlier process as interrupted");
        }
        Ok(stale.len() as u64)
    }

    /// Up to `first` runs, of `source` or of every source, newest first; `after` continues
    /// from a run of an earlier page (runs with smaller ids). Each run comes with the
    /// rejections it kept, read for the whole page in one query.
    pub async fn runs(
        &self,
        source: Option<&SourceId>,
        first: usize,
        after: Option<RunId>,
    ) -> Result<Vec<HarvestRun>, StoreError> {
        if first == 0 {
            return Ok(Vec::new());
        }
        let txn = self.begin_read().await?;
        let mut query = harvest_run::Entity::find();
        if let Some(source) = source {
            query = query.filter(harvest_run::Column::SourceId.eq(source.as_str()));
        }
        if let Some(after) = after {
            query = query.filter(harvest_run::Column::Id.lt(after.get()));
        }
        let rows = query
            .order_by_desc(harvest_run::Column::Id)
            .limit(u64::try_from(first).unwrap_or(u64::MAX))
            .all(&txn)
            .await?;
        let runs = with_rejections(&txn, rows).await?;
        txn.commit().await?;
        Ok(runs)
    }

    /// When `source` last harvested successfully, and last did so with a full run: two
    /// lookups that walk the (source, id) index from the newest run.
    pub async fn run_history(&self, source: &SourceId) -> Result<RunHistory, StoreError> {
        let last = |full_only: bool| {
            let mut query = harvest_run::Entity::find()
                .filter(harvest_run::Column::SourceId.eq(source.as_str()))
                .filter(harvest_run::Column::Outcome.eq(RunOutcome::Succeeded.code()));
            if full_only {
                query = query.filter(harvest_run::Column::Full.eq(true));
            }
            query.order_by_desc(harvest_run::Column::Id).one(&self.db)
        };
        let last_success = last(false).await?.map(|run| run.started);
        let last_full_success = last(true).await?.map(|run| run.started);
        Ok(RunHistory { last_success, last_full_success })
    }

    /// The newest succeeded run, or `None` before the first: only a succeeded run stores
    /// anything, so what the catalogue holds is the same while this is. (Its counts do not
    /// tell: they count offerings, and a run may change only a course or a provider.) A cheap
    /// check before rebuilding what is derived from the catalogue.
    pub async fn last_change(&self) -> Result<Option<RunId>, StoreError> {
        let run = harvest_run::Entity::find()
            .filter(harvest_run::Column::Outcome.eq(RunOutcome::Succeeded.code()))
            .order_by_desc(harvest_run::Column::Id)
            .one(&self.db)
            .await?;
        Ok(run.map(|run| RunId::new(run.id)))
    }

    /// One run with the rejections it kept, or `None` if no run has this id.
    pub async fn run(&self, id: RunId) -> Result<Option<HarvestRun>, StoreError> {
        let txn = self.begin_read().await?;
        let rows: Vec<harvest_run::Model> =
            harvest_run::Entity::find_by_id(id.get()).one(&txn).await?.into_iter().collect();
        let run = with_rejections(&txn, rows).await?.pop();
        txn.commit().await?;
        Ok(run)
    }
}

/// The runs, in the order given, each with its rejections: one query per
/// [`MAX_IDS_PER_QUERY`] runs.
async fn with_rejections(
    txn: &DatabaseTransaction,
    runs: Vec<harvest_run::Model>,
) -> Result<Vec<HarvestRun>, StoreError> {
    let ids: Vec<i64> = runs.iter().map(|r| r.id).collect();
    let mut rejections: HashMap<i64, Vec<harvest_run_rejection::Model>> = HashMap::new();
    for chunk in ids.chunks(MAX_IDS_PER_QUERY) {
        let rows = harvest_run_rejection::Entity::find()
            .filter(harvest_run_rejection::Column::RunId.is_in(chunk.iter().copied()))
            .order_by_asc(harvest_run_rejection::Column::RunId)
            .order_by_asc(harvest_run_rejection::Column::Position)
            .all(txn)
            .await?;
        for row in rows {
            rejections.entry(row.run_id).or_default().push(row);
        }
    }
    runs.into_iter()
        .map(|run| {
            let kept = rejections.remove(&run.id).unwrap_or_default();
            HarvestRun::try_from(RunRow { run, rejections: kept })
        })
        .collect()
}
