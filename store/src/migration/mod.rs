//! Migrations, applied in order by `Store::connect`. A migration is frozen once released: it
//! names its tables and columns itself and never refers to the entities, so an entity can
//! change in a later migration without rewriting history.

mod m0001_initial;
mod m0002_harvest_runs;
mod m0003_fidelity;
mod m0004_access;
mod m0005_registries;
mod m0006_admin_sessions;
mod m0007_registry_stamps;
mod m0009_registry_revision;

use sea_orm_migration::{MigrationTrait, MigratorTrait};

pub(crate) struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_initial::Migration),
            Box::new(m0002_harvest_runs::Migration),
            Box::new(m0003_fidelity::Migration),
            Box::new(m0004_access::Migration),
            Box::new(m0005_registries::Migration),
            Box::new(m0006_admin_sessions::Migration),
            Box::new(m0007_registry_stamps::Migration),
            Box::new(m0009_registry_revision::Migration),
        ]
    }
}
