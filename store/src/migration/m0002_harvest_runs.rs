//! Harvest runs: one row per run of a source, with its counts, and the rejections it kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_pk_auto, boolean, integer, string, string_len, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_harvest_runs"
    }
}

#[derive(DeriveIden)]
enum Sources {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HarvestRuns {
    Table,
    Id,
    SourceId,
    Started,
    Finished,
    Outcome,
    Full,
    Fetched,
    New,
    Changed,
    Unchanged,
    Withdrawn,
    Rejected,
    Error,
}

#[derive(DeriveIden)]
enum HarvestRunRejections {
    Table,
    RunId,
    Position,
    UpstreamId,
    Field,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HarvestRuns::Table)
                    .col(big_pk_auto(HarvestRuns::Id))
                    .col(string_len(HarvestRuns::SourceId, 64))
                    .col(timestamp_with_time_zone(HarvestRuns::Started))
                    .col(timestamp_with_time_zone_null(HarvestRuns::Finished))
                    .col(string(HarvestRuns::Outcome))
                    .col(boolean(HarvestRuns::Full))
                    .col(big_integer(HarvestRuns::Fetched))
                    .col(big_integer(HarvestRuns::New))
                    .col(big_integer(HarvestRuns::Changed))
                    .col(big_integer(HarvestRuns::Unchanged))
                    .col(big_integer(HarvestRuns::Withdrawn))
                    .col(big_integer(HarvestRuns::Rejected))
                    .col(text_null(HarvestRuns::Error))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_harvest_runs_source")
                            .from(HarvestRuns::Table, HarvestRuns::SourceId)
                            .to(Sources::Table, Sources::Id),
                    )
                    .to_owned(),
            )
            .await?;

        // `Store::runs` of one source, newest first: (source_id, id). All sources' runs use the
        // primary key.
        manager
            .create_index(
                Index::create()
                    .name("idx_harvest_runs_source_id")
                    .table(HarvestRuns::Table)
                    .col(HarvestRuns::SourceId)
                    .col(HarvestRuns::Id)
                    .to_owned(),
            )
            .await?;
        // `Store::finish_stale_runs` looks for the few runs still running.
        manager
            .create_index(
                Index::create()
                    .name("idx_harvest_runs_outcome")
                    .table(HarvestRuns::Table)
                    .col(HarvestRuns::Outcome)
                    .to_owned(),
            )
            .await?;

        // The primary key (run_id, position) serves loading the rejections of a page of runs.
        manager
            .create_table(
                Table::create()
                    .table(HarvestRunRejections::Table)
                    .col(big_integer(HarvestRunRejections::RunId))
                    .col(integer(HarvestRunRejections::Position))
                    .col(text(HarvestRunRejections::UpstreamId))
                    .col(text(HarvestRunRejections::Field))
                    .col(text(HarvestRunRejections::Reason))
                    .primary_key(Index::create().col(HarvestRunRejections::RunId).col(HarvestRunRejections::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_harvest_run_rejections_run")
                            .from(HarvestRunRejections::Table, HarvestRunRejections::RunId)
                            .to(HarvestRuns::Table, HarvestRuns::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
