//! When each registry entry was first stored and last changed, as the harvested tables have
//! (`offerings.first_seen`, `offerings.last_changed`), so the open-data release can say so and
//! its delta means something. `Store::change_registry` and `Store::import_registry` set them;
//! `last_changed` moves only when an entry's content changes.
//!
//! Rows stored before this migration are stamped with the time it runs. The columns are
//! nullable only because SQLite cannot add a `NOT NULL` column without a constant default;
//! every row has a value: stamped here, and written by every write after.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone_null;

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_registry_stamps"
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Registry {
    OccupationLinks,
    ValidationOffers,
    GuidanceServices,
    PriceListEntries,
}

#[derive(DeriveIden, Clone, Copy)]
enum Stamp {
    FirstSeen,
    LastChanged,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let now = chrono::Utc::now();
        for table in [
            Registry::OccupationLinks,
            Registry::ValidationOffers,
            Registry::GuidanceServices,
            Registry::PriceListEntries,
        ] {
            // One column per statement: SQLite adds one column per ALTER TABLE.
            for stamp in [Stamp::FirstSeen, Stamp::LastChanged] {
                manager
                    .alter_table(
                        Table::alter().table(table).add_column(timestamp_with_time_zone_null(stamp)).to_owned(),
                    )
                    .await?;
            }
            manager
                .exec_stmt(
                    Query::update()
                        .table(table)
                        .values([(Stamp::FirstSeen, now.into()), (Stamp::LastChanged, now.into())])
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
