//! The labour-market outlook (Yrkesbarometern): dated publications, each replaced whole.
//!
//! An import writes its publications through [`Store::import_registry`]
//! ([`RegistryRows::Outlook`](crate::RegistryRows::Outlook)), in the same transaction and audit
//! as the other registries: a publication of a date already stored replaces it, assessments
//! the new one leaves out included. [`Store::registries`] carries the newest publication;
//! [`Store::outlook_publications`] reads them all (for the export).

use std::collections::BTreeSet;

use sea_orm::{ActiveValue, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use vuxnav_schema::{
    BarometerOccupation, JobOpportunities, OutlookArea, OutlookForecast, OutlookPublication, OutlookRow,
    RecruitmentSituation, Taxonomy,
};

use crate::entity::{outlook_assessment, outlook_publication};
use crate::harvest::rows_per_statement;
use crate::registry::{ImportOutcome, codes, corrupt, outcome, parsed};
use crate::{Store, StoreError};

impl Store {
    /// Every stored outlook publication, the newest first, in one consistent read.
    pub async fn outlook_publications(&self, taxonomy: &Taxonomy) -> Result<Vec<OutlookPublication>, StoreError> {
        let txn = self.begin_read().await?;
        let rows =
            outlook_publication::Entity::find().order_by_desc(outlook_publication::Column::Published).all(&txn).await?;
        let mut publications = Vec::with_capacity(rows.len());
        for row in rows {
            publications.push(publication_from_rows(&txn, row, taxonomy).await?);
        }
        txn.commit().await?;
        Ok(publications)
    }
}

/// The newest stored publication, read in `conn`.
pub(crate) async fn newest_publication(
    conn: &impl ConnectionTrait,
    taxonomy: &Taxonomy,
) -> Result<Option<OutlookPublication>, StoreError> {
    let newest =
        outlook_publication::Entity::find().order_by_desc(outlook_publication::Column::Published).one(conn).await?;
    match newest {
        Some(row) => Ok(Some(publication_from_rows(conn, row, taxonomy).await?)),
        None => Ok(None),
    }
}

/// Writes `publications`, each replacing the stored one of its date. An assessment (barometer
/// occupation and area) that the stored publication of the date held counts as updated, any
/// other as new.
pub(crate) async fn replace_publications(
    txn: &DatabaseTransaction,
    publications: &[OutlookPublication],
) -> Result<ImportOutcome, StoreError> {
    let (mut written, mut stored) = (0, 0);
    for publication in publications {
        let held: BTreeSet<(String, String)> = outlook_assessment::Entity::find()
            .filter(outlook_assessment::Column::Published.eq(publication.published))
            .all(txn)
            .await?
            .into_iter()
            .map(|row| (row.barometer_id, row.area))
            .collect();
        stored += publication
            .rows()
            .iter()
            .filter(|r| held.contains(&(r.barometer.id.clone(), r.area.code().to_owned())))
            .count();
        written += publication.rows().len();
        outlook_assessment::Entity::delete_many()
            .filter(outlook_assessment::Column::Published.eq(publication.published))
            .exec(txn)
            .await?;
        outlook_publication::Entity::delete_by_id(publication.published).exec(txn).await?;
        outlook_publication::Entity::insert(outlook_publication::ActiveModel {
            published: ActiveValue::Set(publication.published),
            source: ActiveValue::Set(publication.source.clone()),
            illustrative: ActiveValue::Set(publication.illustrative),
        })
        .exec_without_returning(txn)
        .await?;
        for chunk in publication.rows().chunks(rows_per_statement(8)) {
            let rows = chunk.iter().map(|row| outlook_assessment::ActiveModel {
                published: ActiveValue::Set(publication.published),
                barometer_id: ActiveValue::Set(row.barometer.id.clone()),
                area: ActiveValue::Set(row.area.code().to_owned()),
                barometer_label: ActiveValue::Set(row.barometer.label.clone()),
                occupations: ActiveValue::Set(codes(row.occupations.iter().map(|o| o.as_str()))),
                job_opportunities: ActiveValue::Set(row.job_opportunities.code().to_owned()),
                recruitment_situation: ActiveValue::Set(row.recruitment.code().to_owned()),
                forecast: ActiveValue::Set(row.forecast.code().to_owned()),
            });
            outlook_assessment::Entity::insert_many(rows).exec_without_returning(txn).await?;
        }
    }
    Ok(outcome(written, stored))
}

async fn publication_from_rows(
    conn: &impl ConnectionTrait,
    publication: outlook_publication::Model,
    taxonomy: &Taxonomy,
) -> Result<OutlookPublication, StoreError> {
    const TABLE: &str = "outlook_assessments";
    let assessments = outlook_assessment::Entity::find()
        .filter(outlook_assessment::Column::Published.eq(publication.published))
        .order_by_asc(outlook_assessment::Column::BarometerId)
        .order_by_asc(outlook_assessment::Column::Area)
        .all(conn)
        .await?;
    let mut rows = Vec::with_capacity(assessments.len());
    for row in assessments {
        let name = format!("{}/{}/{}", row.published, row.barometer_id, row.area);
        let field = |column: &'static str| {
            let name = name.clone();
            move |e| corrupt(TABLE, column, &name, e)
        };
        rows.push(OutlookRow {
            barometer: BarometerOccupation::new(&row.barometer_id, &row.barometer_label)
                .map_err(field("barometer_id"))?,
            occupations: parsed(&row.occupations, |id| taxonomy.occupation_id(id), (TABLE, "occupations", &name))?,
            area: OutlookArea::parse(&row.area).map_err(field("area"))?,
            job_opportunities: JobOpportunities::parse(&row.job_opportunities).map_err(field("job_opportunities"))?,
            recruitment: RecruitmentSituation::parse(&row.recruitment_situation)
                .map_err(field("recruitment_situation"))?,
            forecast: OutlookForecast::parse(&row.forecast).map_err(field("forecast"))?,
        });
    }
    let name = publication.published.to_string();
    OutlookPublication::new(publication.published, &publication.source, publication.illustrative, rows)
        .map_err(|(_, e)| corrupt("outlook_publications", "published", &name, e))
}
