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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use sea_orm::{ConnectionTrait as _, EntityTrait as _};
    use sea_orm_migration::MigratorTrait as _;

    use crate::connect::connect_url;
    use crate::entity::occupation_link;
    use crate::migration::Migrator;
    use crate::testing::fresh_databases;
    use crate::{StoreError, StoreOptions};

    #[tokio::test]
    async fn rows_stored_before_the_migration_are_stamped_with_the_time_it_ran() -> Result<(), StoreError> {
        for database in fresh_databases().await {
            let db = connect_url(&database.url, &StoreOptions::default()).await?;
            Migrator::up(&db, Some(6)).await?;
            db.execute_unprepared(
                "INSERT INTO occupation_links (course_code, occupation_id) VALUES ('YVUSK', 'Y3QA_5pk_uXd')",
            )
            .await?;

            let before: DateTime<Utc> = Utc::now();
            Migrator::up(&db, None).await?;
            let after = Utc::now();

            let link = occupation_link::Entity::find().one(&db).await?;
            let link = link.unwrap_or_else(|| panic!("{}: the link is gone", database.backend));
            assert_eq!(link.first_seen, link.last_changed, "{}", database.backend);
            assert!(before <= link.first_seen && link.first_seen <= after, "{}: {}", database.backend, link.first_seen);
        }
        Ok(())
    }
}
