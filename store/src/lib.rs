//! The system of record: what every source last delivered, and the state of every source.
//!
//! [`Store`] speaks the model of `vuxnav-schema` and nothing else: the sea-orm entities, the
//! migrations and the SQL are private to this crate, and every row read back is validated
//! through the schema's constructors. The same code runs on SQLite (one file, the default)
//! and PostgreSQL.
//!
//! A harvest's writes for one source happen in one transaction ([`Store::replace_source`] for a
//! full run, [`Store::apply_changes`] for an incremental one): either all of them are in, or
//! nothing changed. Every run is recorded ([`Store::start_run`], [`Store::finish_run`],
//! [`Store::runs`]) with its counts and the rejections it met. Nothing here deletes an offering; one
//! that disappears from a complete snapshot is marked withdrawn and left out of what the
//! store serves, and comes back if it reappears.

mod access;
mod connect;
mod convert;
mod entity;
mod error;
mod harvest;
mod migration;
mod outlook;
mod read;
mod registry;
mod release;
mod runs;
mod sources;
#[cfg(feature = "test-support")]
pub mod testing;

use std::path::Path;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{DatabaseConnection, DbBackend};
use sea_orm_migration::MigratorTrait;

pub use access::{
    Actor, ActorRole, AdminSession, ApiKey, AuditContext, AuditEvent, AuditOutcome, AuditQuery, AuditRecord,
    AuditScope, KeyId, LAST_USED_EVERY, MAX_AUDIT_PAGE, ManagedSource, NewApiKey, SourceDraft, TokenHash,
};
pub use connect::StoreOptions;
pub use error::StoreError;
pub use harvest::{Proposed, ReplaceOutcome, Written};
pub use registry::{
    ChangedBy, Describe, ImportOutcome, May, RegistryChange, RegistryChanged, RegistryEntry, RegistryEntryId,
    RegistryRows,
};
pub use release::ReleaseReader;
pub use runs::MAX_REJECTIONS_PER_RUN;

/// The file name of the SQLite database in a data folder.
pub const DATABASE_FILE: &str = "vuxnav.db";

/// A connection pool to the database, with migrations applied. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Connects to `sqlite://path/to/file.db?mode=rwc`, `sqlite::memory:` or `postgres://...`
    /// and runs pending migrations. SQLite files run in WAL mode with foreign keys on and a
    /// busy timeout. An error names the URL with its password masked.
    pub async fn connect(database_url: &str) -> Result<Store, StoreError> {
        Self::connect_with(database_url, &StoreOptions::default()).await
    }

    /// [`Store::connect`] with other timeouts or pool sizes.
    pub async fn connect_with(database_url: &str, options: &StoreOptions) -> Result<Store, StoreError> {
        let db = connect::connect_url(database_url, options).await?;
        Self::migrated(db, vuxnav_schema::secret::mask_url(database_url)).await
    }

    /// Opens `<data_dir>/vuxnav.db`, creating the folder and the file on first run.
    pub async fn open_in(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.to_owned(), source })?;
        let path = data_dir.join(DATABASE_FILE);
        let db = connect::connect_file(&path, &StoreOptions::default()).await?;
        Self::migrated(db, path.display().to_string()).await
    }

    async fn migrated(db: DatabaseConnection, database: String) -> Result<Store, StoreError> {
        migration::Migrator::up(&db, None).await.map_err(|source| StoreError::Migrate { database, source })?;
        Ok(Store { db })
    }

    /// Checks that the database answers; for readiness probes.
    pub async fn ping(&self) -> Result<(), StoreError> {
        Ok(self.db.ping().await?)
    }

    /// Closes every connection, waiting for those in use to be returned.
    pub async fn close(self) -> Result<(), StoreError> {
        Ok(self.db.close().await?)
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        match self.db.get_database_backend() {
            DbBackend::Postgres => "postgres",
            DbBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    fn is_postgres(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Postgres
    }
}

/// A timestamp as every backend stores it: PostgreSQL keeps microseconds, so the store
/// truncates to them everywhere and a value reads back as it was written on either backend.
fn stored(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}
