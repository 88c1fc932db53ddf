//! Reading what the store serves: [`Store::catalogue`].

use std::collections::BTreeSet;

use futures::TryStreamExt as _;
use sea_orm::{
    AccessMode, ColumnTrait, DatabaseTransaction, EntityTrait, IsolationLevel, QueryFilter, TransactionTrait,
};
use uuid::Uuid;
use vuxnav_schema::{Catalogue, Course, Offering, Provider};

use crate::entity::{course, offering, provider};
use crate::{Store, StoreError};

/// Ids bound in one `IN` list: under SQLite's limit of 32,766 bound values.
const MAX_IDS_PER_QUERY: usize = 30_000;

impl Store {
    /// Everything currently held: the offerings not withdrawn, and the courses and providers
    /// they reference, each ordered by id. The three are read in one transaction, so they are
    /// consistent even while a harvest commits.
    pub async fn catalogue(&self) -> Result<Catalogue, StoreError> {
        let txn = self.begin_read().await?;
        // Streamed: each row is converted and freed as it arrives, so a large catalogue never
        // sits in memory twice (as driver rows and as offerings).
        let mut offerings = Vec::new();
        let mut rows = offering::Entity::find().filter(offering::Column::WithdrawnAt.is_null()).stream(&txn).await?;
        while let Some(row) = rows.try_next().await? {
            offerings.push(Offering::try_from(row)?);
        }
        drop(rows);
        // The ids come from the offerings just read: cheaper than a subquery that scans the
        // offerings again for each table.
        let course_ids: BTreeSet<Uuid> = offerings.iter().map(|o| o.course.uuid()).collect();
        let provider_ids: BTreeSet<Uuid> = offerings.iter().map(|o| o.provider.uuid()).collect();
        let mut courses = Vec::with_capacity(course_ids.len());
        for chunk in course_ids.into_iter().collect::<Vec<_>>().chunks(MAX_IDS_PER_QUERY) {
            for row in course::Entity::find().filter(course::Column::Id.is_in(chunk.iter().copied())).all(&txn).await? {
                courses.push(Course::try_from(row)?);
            }
        }
        let mut providers = Vec::with_capacity(provider_ids.len());
        for chunk in provider_ids.into_iter().collect::<Vec<_>>().chunks(MAX_IDS_PER_QUERY) {
            for row in
                provider::Entity::find().filter(provider::Column::Id.is_in(chunk.iter().copied())).all(&txn).await?
            {
                providers.push(Provider::try_from(row)?);
            }
        }
        txn.commit().await?;

        // Sorting here is cheaper than asking the database to walk an index in id order.
        offerings.sort_unstable_by_key(|o| o.id);
        courses.sort_unstable_by_key(|c| c.id);
        providers.sort_unstable_by_key(|p| p.id);
        Ok(Catalogue { providers, courses, offerings })
    }

    /// A transaction that reads one consistent snapshot: a deferred transaction on SQLite (its
    /// snapshot starts at the first read), `REPEATABLE READ, READ ONLY` on PostgreSQL.
    pub(crate) async fn begin_read(&self) -> Result<DatabaseTransaction, StoreError> {
        let txn = if self.is_postgres() {
            self.db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        } else {
            self.db.begin().await?
        };
        Ok(txn)
    }
}
