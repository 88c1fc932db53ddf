//! The catalogue (providers, courses, offerings) and the configured sources.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, date_null, double_null, pk_uuid, small_integer, string, string_len, string_len_null, string_null, text,
    text_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_initial"
    }
}

#[derive(DeriveIden)]
enum Sources {
    Table,
    Id,
    Municipality,
    Kind,
    Enabled,
    LastAttempt,
    LastSuccess,
    LastError,
}

#[derive(DeriveIden)]
enum Providers {
    Table,
    Id,
    Name,
    OrgNumber,
    Kind,
    SchoolUnitCode,
    Municipality,
    Web,
    Email,
    Phone,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Code,
    Title,
    Description,
    SchoolForm,
    CreditsSystem,
    CreditsValue,
    Subject,
    SunField,
    Vocational,
    Configuration,
}

#[derive(DeriveIden)]
enum Offerings {
    Table,
    Id,
    SourceId,
    UpstreamId,
    CourseId,
    ProviderId,
    Municipality,
    LocationName,
    StreetAddress,
    PostalCode,
    Town,
    Latitude,
    Longitude,
    StartDate,
    EndDate,
    ContinuousIntake,
    ApplicationOpens,
    ApplicationCloses,
    ApplicationContinuous,
    ApplicationUrl,
    Pace,
    TimeOfStudy,
    Mode,
    Language,
    Seats,
    Cancelled,
    Apprenticeship,
    FeeSek,
    Eligibility,
    Web,
    FirstSeen,
    LastChanged,
    ContentHash,
    LastHarvest,
    WithdrawnAt,
}

/// A kommunkod is text of four characters, never an integer: `0180` stays `0180`.
const KOMMUNKOD_LEN: u32 = 4;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Sources::Table)
                    .col(string_len(Sources::Id, 64).primary_key())
                    .col(string_len(Sources::Municipality, KOMMUNKOD_LEN))
                    .col(string(Sources::Kind))
                    .col(boolean(Sources::Enabled))
                    .col(timestamp_with_time_zone_null(Sources::LastAttempt))
                    .col(timestamp_with_time_zone_null(Sources::LastSuccess))
                    .col(text_null(Sources::LastError))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Providers::Table)
                    .col(pk_uuid(Providers::Id))
                    .col(text(Providers::Name))
                    .col(string_len_null(Providers::OrgNumber, 10))
                    .col(string(Providers::Kind))
                    .col(string_null(Providers::SchoolUnitCode))
                    .col(string_len_null(Providers::Municipality, KOMMUNKOD_LEN))
                    .col(text_null(Providers::Web))
                    .col(text_null(Providers::Email))
                    .col(text_null(Providers::Phone))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Courses::Table)
                    .col(pk_uuid(Courses::Id))
                    .col(string_null(Courses::Code))
                    .col(text(Courses::Title))
                    .col(text_null(Courses::Description))
                    .col(string(Courses::SchoolForm))
                    .col(string_null(Courses::CreditsSystem))
                    .col(double_null(Courses::CreditsValue))
                    .col(text_null(Courses::Subject))
                    .col(string_null(Courses::SunField))
                    .col(boolean(Courses::Vocational))
                    .col(string(Courses::Configuration))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Offerings::Table)
                    .col(pk_uuid(Offerings::Id))
                    .col(string_len(Offerings::SourceId, 64))
                    .col(text(Offerings::UpstreamId))
                    .col(uuid(Offerings::CourseId))
                    .col(uuid(Offerings::ProviderId))
                    .col(string_len(Offerings::Municipality, KOMMUNKOD_LEN))
                    .col(text_null(Offerings::LocationName))
                    .col(text_null(Offerings::StreetAddress))
                    .col(string_null(Offerings::PostalCode))
                    .col(text_null(Offerings::Town))
                    .col(double_null(Offerings::Latitude))
                    .col(double_null(Offerings::Longitude))
                    .col(date_null(Offerings::StartDate))
                    .col(date_null(Offerings::EndDate))
                    .col(boolean(Offerings::ContinuousIntake))
                    .col(date_null(Offerings::ApplicationOpens))
                    .col(date_null(Offerings::ApplicationCloses))
                    .col(boolean(Offerings::ApplicationContinuous))
                    .col(text_null(Offerings::ApplicationUrl))
                    .col(small_integer(Offerings::Pace))
                    .col(string(Offerings::TimeOfStudy))
                    .col(string(Offerings::Mode))
                    .col(string_len(Offerings::Language, 3))
                    .col(ColumnDef::new(Offerings::Seats).big_integer().null())
                    .col(boolean(Offerings::Cancelled))
                    .col(boolean(Offerings::Apprenticeship))
                    .col(ColumnDef::new(Offerings::FeeSek).big_integer().null())
                    .col(string(Offerings::Eligibility))
                    .col(text_null(Offerings::Web))
                    .col(timestamp_with_time_zone(Offerings::FirstSeen))
                    .col(timestamp_with_time_zone(Offerings::LastChanged))
                    .col(string(Offerings::ContentHash))
                    .col(timestamp_with_time_zone(Offerings::LastHarvest))
                    .col(timestamp_with_time_zone_null(Offerings::WithdrawnAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_offerings_source")
                            .from(Offerings::Table, Offerings::SourceId)
                            .to(Sources::Table, Sources::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_offerings_course")
                            .from(Offerings::Table, Offerings::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_offerings_provider")
                            .from(Offerings::Table, Offerings::ProviderId)
                            .to(Providers::Table, Providers::Id),
                    )
                    .to_owned(),
            )
            .await?;

        // A harvest reads and touches the offerings of one source; `Store::sources` counts the
        // held ones per source. Both are served by (source_id, withdrawn_at).
        manager
            .create_index(
                Index::create()
                    .name("idx_offerings_source_withdrawn")
                    .table(Offerings::Table)
                    .col(Offerings::SourceId)
                    .col(Offerings::WithdrawnAt)
                    .to_owned(),
            )
            .await?;

        // No index on `withdrawn_at` alone: `Store::catalogue` reads nearly every row, which a
        // table scan does faster than an index, and every index slows the harvest's inserts.
        Ok(())
    }
}
