//! Reading what the store serves: [`Store::catalogue`].

use std::collections::BTreeSet;

use futures::TryStreamExt as _;
use sea_orm::{
    AccessMode, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, IsolationLevel, QueryFilter, TransactionTrait,
};
use uuid::Uuid;
use vuxnav_schema::{Catalogue, Course, Offering, Provider};

use crate::entity::{course, offering, provider};
use crate::{Store, StoreError};

/// Ids bound in one `IN` list: under SQLite's limit of 32,766 bound values.
const MAX_IDS_PER_QUERY: usize = 30_000;

/// How many id ranges of a SQLite file's offerings [`Store::catalogue`] reads at once: one per
/// core of the machines vuxnav is sized for, and fewer than the pool's connections.
const SQLITE_READERS: usize = 2;

/// `parts` consecutive ranges of ids, `[from, to)`, that together cover every id: split on
/// the first byte, as public ids are UUIDv5 hashes, spread evenly.
fn id_ranges(parts: usize) -> Vec<(Option<Uuid>, Option<Uuid>)> {
    let parts = parts.clamp(1, 256);
    let bound = |i: usize| {
        (i > 0 && i < parts).then(|| {
            let mut bytes = [0; 16];
            bytes[0] = u8::try_from(i * 256 / parts).unwrap_or(u8::MAX);
            Uuid::from_bytes(bytes)
        })
    };
    (0..parts).map(|i| (bound(i), bound(i + 1))).collect()
}

impl Store {
    /// Everything currently held: the offerings not withdrawn, and the courses and providers
    /// they reference, each ordered by id.
    ///
    /// On PostgreSQL the three are read in one transaction, so they are consistent even while a
    /// harvest commits. On a SQLite file the offerings are read in [`SQLITE_READERS`] id ranges
    /// at once, each in its own read transaction on its own connection: SQLite decodes rows on
    /// one worker thread per connection, and that thread is what bounds a large read. A harvest
    /// that commits between the reads' starts can leave an offering whose course or provider
    /// the courses' read no longer finds; the read model leaves such an offering out until its
    /// next rebuild.
    pub async fn catalogue(&self) -> Result<Catalogue, StoreError> {
        let (txn, mut offerings) = if self.is_postgres() {
            let txn = self.begin_read().await?;
            let offerings = offerings_between(&txn, None, None).await?;
            (txn, offerings)
        } else {
            let reads: Vec<_> = id_ranges(SQLITE_READERS)
                .into_iter()
                .map(|(from, to)| {
                    let store = self.clone();
                    tokio::spawn(async move {
                        let txn = store.begin_read().await?;
                        let offerings = offerings_between(&txn, from, to).await?;
                        txn.commit().await?;
                        Ok::<_, StoreError>(offerings)
                    })
                })
                .collect();
            let mut offerings = Vec::new();
            for read in reads {
                let part = read.await.map_err(|error| DbErr::Custom(format!("reading offerings: {error}")))??;
                offerings.extend(part);
            }
            (self.begin_read().await?, offerings)
        };
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

/// The offerings not withdrawn whose id is at least `from` and below `to`, streamed: each row
/// is converted and freed as it arrives, so a large catalogue never sits in memory twice (as
/// driver rows and as offerings).
async fn offerings_between(
    txn: &DatabaseTransaction,
    from: Option<Uuid>,
    to: Option<Uuid>,
) -> Result<Vec<Offering>, StoreError> {
    let mut query = offering::Entity::find().filter(offering::Column::WithdrawnAt.is_null());
    if let Some(from) = from {
        query = query.filter(offering::Column::Id.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(offering::Column::Id.lt(to));
    }
    let mut offerings = Vec::new();
    let mut rows = query.stream(txn).await?;
    while let Some(row) = rows.try_next().await? {
        offerings.push(Offering::try_from(row)?);
        // The driver's channel is not under tokio's cooperative budget: while rows are ready
        // this loop would never yield, and a rebuild under load would hold its runtime worker
        // (and the requests queued on it) for the whole read.
        tokio::task::consume_budget().await;
    }
    Ok(offerings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_ranges_cover_every_id_once_and_in_order() {
        let ids = [Uuid::nil(), Uuid::from_bytes([0x7f; 16]), Uuid::from_bytes([0x80; 16]), Uuid::max()];
        for parts in [1, 2, 3, 4, 256, 1000] {
            let ranges = id_ranges(parts);
            assert_eq!(ranges.len(), parts.min(256));
            assert_eq!((ranges[0].0, ranges[ranges.len() - 1].1), (None, None));
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].1, pair[1].0, "{parts} parts: consecutive");
            }
            for id in ids {
                let holding = ranges
                    .iter()
                    .filter(|(from, to)| from.is_none_or(|from| id >= from) && to.is_none_or(|to| id < to))
                    .count();
                assert_eq!(holding, 1, "{id} in {parts} parts");
            }
        }
    }
}
