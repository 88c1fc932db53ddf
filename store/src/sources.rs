//! Configured sources and their harvest state.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, JoinType, OnConflict, Order, Query};
use sea_orm::{ActiveValue, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Iterable, QueryFilter};
use vuxnav_schema::{MunicipalityCode, RunEnd, SourceId, SourceStatus};

use crate::convert::SourceRow;
use crate::entity::{offering, source};
use crate::{Store, StoreError, stored};

impl Store {
    /// Registers a configured source, or updates its municipality, kind and enabled flag,
    /// without touching its harvest state.
    pub async fn register_source(
        &self,
        id: &SourceId,
        municipality: MunicipalityCode,
        kind: &str,
        enabled: bool,
    ) -> Result<(), StoreError> {
        let row = source::ActiveModel {
            id: ActiveValue::Set(id.as_str().to_owned()),
            municipality: ActiveValue::Set(municipality.as_str().to_owned()),
            kind: ActiveValue::Set(kind.to_owned()),
            enabled: ActiveValue::Set(enabled),
            last_attempt: ActiveValue::NotSet,
            last_success: ActiveValue::NotSet,
            last_error: ActiveValue::NotSet,
            held_reason: ActiveValue::NotSet,
        };
        source::Entity::insert(row)
            .on_conflict(
                OnConflict::column(source::Column::Id)
                    .update_columns([source::Column::Municipality, source::Column::Kind, source::Column::Enabled])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }

    /// Records the end of a harvest attempt. Succeeded sets `last_success` and clears
    /// `last_error` and `held_reason`; failed keeps `last_success` and sets `last_error`; held
    /// sets `held_reason` and clears `last_error` (the source answered). The source's data is
    /// never touched here. [`Store::finish_run`] records the same, together with the run.
    pub async fn record_attempt(
        &self,
        id: &SourceId,
        at: DateTime<Utc>,
        outcome: impl Into<RunEnd>,
    ) -> Result<(), StoreError> {
        if apply_attempt(&self.db, id.as_str(), stored(at), outcome.into(), None).await? == 0 {
            return Err(StoreError::UnknownSource(id.to_string()));
        }
        Ok(())
    }

    /// Every registered source, ordered by id, with its state and the number of offerings it
    /// holds, in one grouped query.
    pub async fn sources(&self) -> Result<Vec<SourceStatus>, StoreError> {
        source_statuses(&self.db).await
    }
}

/// [`Store::sources`] on a connection or inside a transaction.
pub(crate) async fn source_statuses(conn: &impl ConnectionTrait) -> Result<Vec<SourceStatus>, StoreError> {
    let query = Query::select()
        .columns(source::Column::iter().map(|c| (source::Entity, c)))
        .expr_as(Expr::col((offering::Entity, offering::Column::Id)).count(), "offering_count")
        .from(source::Entity)
        .join(
            JoinType::LeftJoin,
            offering::Entity,
            Condition::all()
                .add(
                    Expr::col((offering::Entity, offering::Column::SourceId))
                        .equals((source::Entity, source::Column::Id)),
                )
                .add(Expr::col((offering::Entity, offering::Column::WithdrawnAt)).is_null()),
        )
        // Grouping by the primary key is enough: the other columns depend on it.
        .group_by_col((source::Entity, source::Column::Id))
        .order_by((source::Entity, source::Column::Id), Order::Asc)
        .to_owned();
    let mut statuses = Vec::new();
    for row in conn.query_all(&query).await? {
        let source = source::Model::from_query_result(&row, "")?;
        let offering_count: i64 = row.try_get("", "offering_count")?;
        statuses.push(SourceStatus::try_from(SourceRow { source, offering_count })?);
    }
    Ok(statuses)
}

/// The one place that records the end of an attempt in a source's state (see
/// [`Store::record_attempt`]), on a connection or inside a caller's transaction. With
/// `unless_attempted_since`, a source whose `last_attempt` is at or after that instant is left
/// alone. Returns the number of sources updated.
pub(crate) async fn apply_attempt(
    conn: &impl ConnectionTrait,
    id: &str,
    at: DateTime<Utc>,
    outcome: RunEnd,
    unless_attempted_since: Option<DateTime<Utc>>,
) -> Result<u64, StoreError> {
    let none = || Expr::value(Option::<String>::None);
    let update = source::Entity::update_many().col_expr(source::Column::LastAttempt, Expr::value(at));
    let update = match outcome {
        RunEnd::Succeeded => update
            .col_expr(source::Column::LastSuccess, Expr::value(at))
            .col_expr(source::Column::LastError, none())
            .col_expr(source::Column::HeldReason, none()),
        RunEnd::Failed(message) => update.col_expr(source::Column::LastError, Expr::value(message)),
        RunEnd::Held(reason) => {
            update.col_expr(source::Column::LastError, none()).col_expr(source::Column::HeldReason, Expr::value(reason))
        }
    };
    let mut update = update.filter(source::Column::Id.eq(id));
    if let Some(since) = unless_attempted_since {
        update = update.filter(
            Condition::any().add(source::Column::LastAttempt.is_null()).add(source::Column::LastAttempt.lt(since)),
        );
    }
    Ok(update.exec(conn).await?.rows_affected)
}
