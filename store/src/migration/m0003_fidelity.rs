//! Real data read as a person reads it: the provider's own title and the configured fields of
//! an offering, a local course's own code, why a source's last run was held by the harvest
//! guard, and an index for the serving processes' cheap check for a newer harvest.
//!
//! Unknown time of study, mode, language and provider kind are stored as `""` in their existing
//! columns: SQLite cannot make a column nullable without rebuilding its table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, text_null};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_fidelity"
    }
}

#[derive(DeriveIden)]
enum Offerings {
    Table,
    Title,
    Configured,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    LocalCode,
}

#[derive(DeriveIden)]
enum Sources {
    Table,
    HeldReason,
}

#[derive(DeriveIden)]
enum HarvestRuns {
    Table,
    Outcome,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(Table::alter().table(Offerings::Table).add_column(text_null(Offerings::Title)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table(Offerings::Table).add_column(string(Offerings::Configured).default("")).to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(Courses::Table).add_column(text_null(Courses::LocalCode)).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(Sources::Table).add_column(text_null(Sources::HeldReason)).to_owned())
            .await?;
        // `Store::last_change`, which every serving process asks every few seconds: the newest
        // succeeded run, found at the end of this index.
        manager
            .create_index(
                Index::create()
                    .name("idx_harvest_runs_outcome_id")
                    .table(HarvestRuns::Table)
                    .col(HarvestRuns::Outcome)
                    .col(HarvestRuns::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
