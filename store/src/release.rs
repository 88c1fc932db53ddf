//! Reading for the open-data release: [`Store::release_reader`] and [`Store::columns`].
//!
//! A [`ReleaseReader`] reads one consistent state of the store (one read transaction, as
//! [`Store::catalogue`] does on PostgreSQL) table by table, each as a stream in ascending order
//! of id, keyset-paged: a page of rows is read, handed on and dropped before the next, so
//! memory stays flat however many offerings the store holds. The region's registries are
//! small (entries per municipality, not per offering): [`ReleaseReader::registries`] reads them
//! at once, in the same transaction.

use std::collections::{HashMap, VecDeque};
use std::future::Future;

use chrono::{DateTime, Utc};
use futures::{Stream, TryStreamExt as _, stream};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;
use vuxnav_schema::{
    Course, Offering, Provider, RunCounts, RunOutcome, Seen, SourceReport, StampedRegistries, Taxonomy,
};

use crate::entity::{
    course, guidance_service, harvest_run, harvest_run_rejection, occupation_link, offering, outlook_assessment,
    outlook_publication, price_list_entry, provider, source, validation_offer,
};
use crate::registry::{link_from_row, offer_from_row, price_from_row, service_from_row};
use crate::sources::source_statuses;
use crate::{Store, StoreError};

/// Rows read per page.
const PAGE: u64 = 2_000;

impl Store {
    /// A reader of one consistent state of the store for a release. Close it with
    /// [`ReleaseReader::close`] when done.
    pub async fn release_reader(&self) -> Result<ReleaseReader, StoreError> {
        Ok(ReleaseReader { txn: self.begin_read().await?, page: PAGE })
    }

    /// Every column of every table, as `table.column`: what the release's privacy list must
    /// classify.
    pub fn columns() -> Vec<String> {
        fn of<E: EntityTrait + Default>() -> Vec<String> {
            let table = E::default().table_name().to_owned();
            E::Column::iter().map(|c| format!("{table}.{}", c.as_str())).collect()
        }
        [
            of::<source::Entity>(),
            of::<provider::Entity>(),
            of::<course::Entity>(),
            of::<offering::Entity>(),
            of::<harvest_run::Entity>(),
            of::<harvest_run_rejection::Entity>(),
            of::<occupation_link::Entity>(),
            of::<validation_offer::Entity>(),
            of::<guidance_service::Entity>(),
            of::<price_list_entry::Entity>(),
            of::<outlook_publication::Entity>(),
            of::<outlook_assessment::Entity>(),
        ]
        .concat()
    }
}

/// One consistent read of the store for a release; see the module docs.
#[derive(Debug)]
pub struct ReleaseReader {
    txn: DatabaseTransaction,
    page: u64,
}

impl ReleaseReader {
    /// Reads `rows` rows per page instead of the default; for tests of the paging.
    pub fn with_page_size(mut self, rows: u64) -> Self {
        self.page = Ord::max(rows, 1);
        self
    }

    /// Ends the read transaction.
    pub async fn close(self) -> Result<(), StoreError> {
        Ok(self.txn.commit().await?)
    }

    /// Every registry entry with its stamps, each registry ordered by key (a link by course
    /// code, then occupation id); occupation ids are checked against `taxonomy`.
    pub async fn registries(&self, taxonomy: &Taxonomy) -> Result<StampedRegistries, StoreError> {
        fn seen<T>(record: T, first_seen: DateTime<Utc>, last_changed: DateTime<Utc>) -> Seen<T> {
            Seen { record, first_seen, last_changed }
        }
        let mut registries = StampedRegistries::default();
        let links = occupation_link::Entity::find()
            .order_by_asc(occupation_link::Column::CourseCode)
            .order_by_asc(occupation_link::Column::OccupationId)
            .all(&self.txn)
            .await?;
        for row in links {
            let (first, last) = (row.first_seen, row.last_changed);
            registries.occupation_links.push(seen(link_from_row(row, taxonomy)?, first, last));
        }
        let offers =
            validation_offer::Entity::find().order_by_asc(validation_offer::Column::Key).all(&self.txn).await?;
        for row in offers {
            let (first, last) = (row.first_seen, row.last_changed);
            registries.validation_offers.push(seen(offer_from_row(row, taxonomy)?, first, last));
        }
        let services =
            guidance_service::Entity::find().order_by_asc(guidance_service::Column::Key).all(&self.txn).await?;
        for row in services {
            let (first, last) = (row.first_seen, row.last_changed);
            registries.guidance_services.push(seen(service_from_row(row)?, first, last));
        }
        let prices =
            price_list_entry::Entity::find().order_by_asc(price_list_entry::Column::Key).all(&self.txn).await?;
        for row in prices {
            let (first, last) = (row.first_seen, row.last_changed);
            registries.prices.push(seen(price_from_row(row)?, first, last));
        }
        registries.outlook = crate::outlook::newest_publication(&self.txn, taxonomy).await?;
        Ok(registries)
    }

    /// Every offering not withdrawn, by id.
    pub fn offerings(&self) -> impl Stream<Item = Result<Offering, StoreError>> + Send + '_ {
        paged(self.page, move |after, limit| async move {
            let mut query = offering::Entity::find().filter(offering::Column::WithdrawnAt.is_null());
            if let Some(after) = after {
                query = query.filter(offering::Column::Id.gt(after));
            }
            let rows = query.order_by_asc(offering::Column::Id).limit(limit).all(&self.txn).await?;
            rows.into_iter().map(|row| Ok((row.id, Offering::try_from(row)?))).collect()
        })
    }

    /// Every course a held offering names, by id, with the earliest `first_seen` and the
    /// latest `last_changed` of its held offerings.
    pub fn courses(&self) -> impl Stream<Item = Result<Seen<Course>, StoreError>> + Send + '_ {
        paged(self.page, move |after, limit| async move {
            let query = named_by_offerings(
                course::Column::iter().map(|c| (course::Entity, c)).collect(),
                (course::Entity, course::Column::Id),
                offering::Column::CourseId,
                after,
                limit,
            );
            let mut page = Vec::new();
            for row in self.txn.query_all(&query).await? {
                let (first_seen, last_changed) = seen(&row)?;
                let model = course::Model::from_query_result(&row, "")?;
                page.push((model.id, Seen { record: Course::try_from(model)?, first_seen, last_changed }));
            }
            Ok(page)
        })
    }

    /// Every provider a held offering names, by id, dated as [`ReleaseReader::courses`].
    pub fn providers(&self) -> impl Stream<Item = Result<Seen<Provider>, StoreError>> + Send + '_ {
        paged(self.page, move |after, limit| async move {
            let query = named_by_offerings(
                provider::Column::iter().map(|c| (provider::Entity, c)).collect(),
                (provider::Entity, provider::Column::Id),
                offering::Column::ProviderId,
                after,
                limit,
            );
            let mut page = Vec::new();
            for row in self.txn.query_all(&query).await? {
                let (first_seen, last_changed) = seen(&row)?;
                let model = provider::Model::from_query_result(&row, "")?;
                page.push((model.id, Seen { record: Provider::try_from(model)?, first_seen, last_changed }));
            }
            Ok(page)
        })
    }

    /// Every registered source, in byte order of its id, with the start of its first run and
    /// the counts of its last successful one. Sources are few: they are read at once.
    pub fn sources(&self) -> impl Stream<Item = Result<SourceReport, StoreError>> + Send + '_ {
        stream::once(async move { self.source_reports().await })
            .map_ok(|reports| stream::iter(reports.into_iter().map(Ok)))
            .try_flatten()
    }

    async fn source_reports(&self) -> Result<Vec<SourceReport>, StoreError> {
        let mut statuses = source_statuses(&self.txn).await?;
        // The database's collation may not be byte order (PostgreSQL's often is not).
        statuses.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));

        let first_runs: Vec<(String, Option<DateTime<Utc>>)> = harvest_run::Entity::find()
            .select_only()
            .column(harvest_run::Column::SourceId)
            .column_as(harvest_run::Column::Started.min(), "first_run")
            .group_by(harvest_run::Column::SourceId)
            .into_tuple()
            .all(&self.txn)
            .await?;
        let first_runs: HashMap<String, Option<DateTime<Utc>>> = first_runs.into_iter().collect();

        let latest_successes = Query::select()
            .expr(Expr::col(harvest_run::Column::Id).max())
            .from(harvest_run::Entity)
            .and_where(Expr::col(harvest_run::Column::Outcome).eq(RunOutcome::Succeeded.code()))
            .group_by_col(harvest_run::Column::SourceId)
            .to_owned();
        let runs = harvest_run::Entity::find()
            .filter(harvest_run::Column::Id.in_subquery(latest_successes))
            .all(&self.txn)
            .await?;
        let mut counts: HashMap<String, RunCounts> = HashMap::new();
        for run in runs {
            let count = |value: i64| u64::try_from(value).unwrap_or(0);
            counts.insert(
                run.source_id.clone(),
                RunCounts {
                    fetched: count(run.fetched),
                    new: count(run.new),
                    changed: count(run.changed),
                    unchanged: count(run.unchanged),
                    withdrawn: count(run.withdrawn),
                    rejected: count(run.rejected),
                },
            );
        }

        Ok(statuses
            .into_iter()
            .map(|status| SourceReport {
                first_run: first_runs.get(status.id.as_str()).copied().flatten(),
                last_success_counts: counts.get(status.id.as_str()).copied(),
                status,
            })
            .collect())
    }
}

/// The rows of a table that a held offering names through `reference`, after `after` by id,
/// with `first_seen` and `last_changed` over those offerings.
fn named_by_offerings<T: sea_orm::sea_query::IntoColumnRef + Clone>(
    columns: Vec<T>,
    id: (impl sea_orm::sea_query::IntoIden + Copy + 'static, impl sea_orm::sea_query::IntoIden + Copy + 'static),
    reference: offering::Column,
    after: Option<Uuid>,
    limit: u64,
) -> sea_orm::sea_query::SelectStatement {
    let mut query = Query::select();
    query
        .columns(columns)
        .expr_as(Expr::col((offering::Entity, offering::Column::FirstSeen)).min(), "release_first_seen")
        .expr_as(Expr::col((offering::Entity, offering::Column::LastChanged)).max(), "release_last_changed")
        .from(id.0)
        .inner_join(
            offering::Entity,
            Condition::all()
                .add(Expr::col((offering::Entity, reference)).equals(id))
                .add(Expr::col((offering::Entity, offering::Column::WithdrawnAt)).is_null()),
        );
    if let Some(after) = after {
        query.and_where(Expr::col(id).gt(after));
    }
    // Grouping by the primary key is enough: the other columns depend on it.
    query.group_by_col(id).order_by(id, Order::Asc).limit(limit).to_owned()
}

fn seen(row: &sea_orm::QueryResult) -> Result<(DateTime<Utc>, DateTime<Utc>), StoreError> {
    Ok((row.try_get("", "release_first_seen")?, row.try_get("", "release_last_changed")?))
}

/// The rows `fetch` reads page by page, `limit` at a time, each page after the last id of the
/// one before, as one stream; it ends after a page shorter than `limit`.
fn paged<'a, T, F, Fut>(limit: u64, fetch: F) -> impl Stream<Item = Result<T, StoreError>> + Send + 'a
where
    T: Send + 'a,
    F: FnMut(Option<Uuid>, u64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<(Uuid, T)>, StoreError>> + Send + 'a,
{
    stream::try_unfold((None, false, fetch), move |(after, done, mut fetch)| async move {
        if done {
            return Ok::<_, StoreError>(None);
        }
        let page = fetch(after, limit).await?;
        let done = (page.len() as u64) < limit;
        let after = page.last().map(|(id, _)| *id).or(after);
        let rows: VecDeque<T> = page.into_iter().map(|(_, row)| row).collect();
        Ok(Some((rows, (after, done, fetch))))
    })
    .map_ok(|rows| stream::iter(rows.into_iter().map(Ok)))
    .try_flatten()
}
