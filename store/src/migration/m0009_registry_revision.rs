//! The registries' revision: one row whose counter every write of a registry raises in its own
//! transaction. A replica compares it with the revision its registry snapshot was read at and
//! rebuilds only when they differ. The row lock orders the writers, so the revisions are in
//! commit order and no committed change hides behind a later one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, small_integer};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_registry_revision"
    }
}

#[derive(DeriveIden)]
enum RegistryRevision {
    Table,
    Id,
    Revision,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RegistryRevision::Table)
                    // Always 1: the table has one row.
                    .col(small_integer(RegistryRevision::Id).primary_key())
                    .col(big_integer(RegistryRevision::Revision))
                    .to_owned(),
            )
            .await?;
        let mut row = Query::insert();
        row.into_table(RegistryRevision::Table)
            .columns([RegistryRevision::Id, RegistryRevision::Revision])
            .values([1.into(), 0.into()])
            .map_err(|error| DbErr::Migration(error.to_string()))?;
        manager.exec_stmt(row).await
    }
}
