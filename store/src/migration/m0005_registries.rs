//! The region's registries: occupation links, validation offers, guidance services and the
//! price list for interkommunal ersättning. Lists are JSON arrays of codes; opening hours are
//! a JSON array of `{"weekday", "opens", "closes"}`. Occupations themselves are not stored:
//! they are the pinned taxonomy snapshot shipped with the schema.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, date, date_null, double_null, json, small_integer_null, string_len, text,
    text_null,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_registries"
    }
}

#[derive(DeriveIden)]
enum OccupationLinks {
    Table,
    CourseCode,
    OccupationId,
}

#[derive(DeriveIden)]
enum ValidationOffers {
    Table,
    Key,
    Kind,
    Title,
    CourseCodes,
    Occupations,
    IndustryModelName,
    IndustryModelOwner,
    SeqfLevel,
    Provider,
    Municipalities,
    Languages,
    CostSek,
    PaidBy,
    Contact,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
enum GuidanceServices {
    Table,
    Key,
    Kind,
    Name,
    Organiser,
    Municipalities,
    Channels,
    Languages,
    TargetGroups,
    LocationName,
    StreetAddress,
    PostalCode,
    Town,
    Latitude,
    Longitude,
    BookingUrl,
    Phone,
    OpeningHours,
    DrawsUpStudyPlan,
}

#[derive(DeriveIden)]
enum PriceListEntries {
    Table,
    Key,
    Payer,
    Provider,
    SchoolForm,
    CourseCode,
    Unit,
    AmountOre,
    ValidFrom,
    ValidTo,
    Decision,
    Source,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OccupationLinks::Table)
                    .col(string_len(OccupationLinks::CourseCode, 20))
                    .col(string_len(OccupationLinks::OccupationId, 12))
                    .primary_key(Index::create().col(OccupationLinks::CourseCode).col(OccupationLinks::OccupationId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ValidationOffers::Table)
                    .col(string_len(ValidationOffers::Key, 64).primary_key())
                    .col(string_len(ValidationOffers::Kind, 20))
                    .col(text(ValidationOffers::Title))
                    .col(json(ValidationOffers::CourseCodes))
                    .col(json(ValidationOffers::Occupations))
                    .col(text_null(ValidationOffers::IndustryModelName))
                    .col(text_null(ValidationOffers::IndustryModelOwner))
                    .col(
                        small_integer_null(ValidationOffers::SeqfLevel)
                            .check(Expr::col(ValidationOffers::SeqfLevel).between(1, 8)),
                    )
                    .col(text(ValidationOffers::Provider))
                    .col(json(ValidationOffers::Municipalities))
                    .col(json(ValidationOffers::Languages))
                    .col(big_integer_null(ValidationOffers::CostSek))
                    .col(string_len(ValidationOffers::PaidBy, 20))
                    .col(text(ValidationOffers::Contact))
                    .col(date(ValidationOffers::ValidFrom))
                    .col(date_null(ValidationOffers::ValidTo))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GuidanceServices::Table)
                    .col(string_len(GuidanceServices::Key, 64).primary_key())
                    .col(string_len(GuidanceServices::Kind, 20))
                    .col(text(GuidanceServices::Name))
                    .col(text(GuidanceServices::Organiser))
                    .col(json(GuidanceServices::Municipalities))
                    .col(json(GuidanceServices::Channels))
                    .col(json(GuidanceServices::Languages))
                    .col(json(GuidanceServices::TargetGroups))
                    .col(text_null(GuidanceServices::LocationName))
                    .col(text_null(GuidanceServices::StreetAddress))
                    .col(text_null(GuidanceServices::PostalCode))
                    .col(text_null(GuidanceServices::Town))
                    .col(double_null(GuidanceServices::Latitude))
                    .col(double_null(GuidanceServices::Longitude))
                    .col(text_null(GuidanceServices::BookingUrl))
                    .col(text_null(GuidanceServices::Phone))
                    .col(json(GuidanceServices::OpeningHours))
                    .col(boolean(GuidanceServices::DrawsUpStudyPlan))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PriceListEntries::Table)
                    .col(string_len(PriceListEntries::Key, 64).primary_key())
                    .col(string_len(PriceListEntries::Payer, 4))
                    .col(string_len(PriceListEntries::Provider, 4))
                    .col(string_len(PriceListEntries::SchoolForm, 10))
                    .col(string_len(PriceListEntries::CourseCode, 20).null())
                    .col(string_len(PriceListEntries::Unit, 20))
                    .col(big_integer(PriceListEntries::AmountOre).check(Expr::col(PriceListEntries::AmountOre).gte(0)))
                    .col(date(PriceListEntries::ValidFrom))
                    .col(date_null(PriceListEntries::ValidTo))
                    .col(text_null(PriceListEntries::Decision))
                    .col(string_len(PriceListEntries::Source, 20))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
