//! The labour-market outlook (Yrkesbarometern): one row per publication, keyed by its date,
//! and its assessments, one per barometer occupation and area (a county code or `riket`).
//! The related occupations are a JSON array of taxonomy concept ids. A publication is
//! replaced whole: its assessments are deleted with it in the same transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, date, json, string_len, text};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_outlook"
    }
}

#[derive(DeriveIden)]
enum OutlookPublications {
    Table,
    Published,
    Source,
    Illustrative,
}

#[derive(DeriveIden)]
enum OutlookAssessments {
    Table,
    Published,
    BarometerId,
    Area,
    BarometerLabel,
    Occupations,
    JobOpportunities,
    RecruitmentSituation,
    Forecast,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutlookPublications::Table)
                    .col(date(OutlookPublications::Published).primary_key())
                    .col(text(OutlookPublications::Source))
                    .col(boolean(OutlookPublications::Illustrative))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutlookAssessments::Table)
                    .col(date(OutlookAssessments::Published))
                    .col(string_len(OutlookAssessments::BarometerId, 32))
                    .col(string_len(OutlookAssessments::Area, 5))
                    .col(text(OutlookAssessments::BarometerLabel))
                    .col(json(OutlookAssessments::Occupations))
                    .col(string_len(OutlookAssessments::JobOpportunities, 20))
                    .col(string_len(OutlookAssessments::RecruitmentSituation, 20))
                    .col(string_len(OutlookAssessments::Forecast, 20))
                    .primary_key(
                        Index::create()
                            .col(OutlookAssessments::Published)
                            .col(OutlookAssessments::BarometerId)
                            .col(OutlookAssessments::Area),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outlook_assessments_published")
                            .from(OutlookAssessments::Table, OutlookAssessments::Published)
                            .to(OutlookPublications::Table, OutlookPublications::Published),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
