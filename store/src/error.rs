//! Errors of the store.
//!
//! Policy:
//! - One `thiserror` enum, [`StoreError`], for every public function; no `anyhow` here.
//! - Messages are lowercase with no trailing period. A variant that wraps a cause keeps it as
//!   `source()` and does not repeat it in its own message, so a caller that logs the cause
//!   chain prints each part once.
//! - A database is named by its URL or path with any password replaced by `***`; no message
//!   and no cause in the chain ever contains a password.
//! - A row that the schema's constructors reject is [`StoreError::Corrupt`], naming the table,
//!   the column, the row and the reason: the store was written by something other than this
//!   crate, or a migration went wrong. It is never silently skipped.
//! - A caller's mistake that the types cannot prevent (an unregistered source, a snapshot that
//!   holds another source's offering) has its own variant; everything the database reports
//!   otherwise is [`StoreError::Query`].

use sea_orm::DbErr;
use vuxnav_schema::RunId;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be opened or reached.
    #[error("cannot connect to database `{database}`: {reason}")]
    Connect {
        /// The URL or path, with any password masked.
        database: String,
        /// Why, with any password masked.
        reason: String,
    },
    /// The data folder cannot be created.
    #[error("cannot create the data folder `{path}`")]
    DataDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A pending migration failed; the database is left as the failed migration found it
    /// (on PostgreSQL a migration runs in a transaction).
    #[error("cannot migrate database `{database}`")]
    Migrate {
        /// The URL or path, with any password masked.
        database: String,
        #[source]
        source: DbErr,
    },
    /// A write was declined by the check its caller gave ([`crate::Store::write_harvest`]).
    #[error("the write was declined: {0}")]
    Declined(String),
    /// A query failed.
    #[error("database query failed")]
    Query(#[from] DbErr),
    /// A stored value that the model rejects.
    #[error("corrupt row {row} in table `{table}`: column `{column}`: {reason}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        /// The row's primary key.
        row: String,
        reason: String,
    },
    /// The source has not been registered with `Store::register_source`.
    #[error("source `{0}` is not registered")]
    UnknownSource(String),
    /// A snapshot for one source holds an offering whose provenance names another.
    #[error("the snapshot of source `{source_id}` holds offering {offering} of source `{other}`")]
    ForeignOffering { source_id: String, offering: String, other: String },
    /// No harvest run has this id.
    #[error("harvest run {0} does not exist")]
    UnknownRun(RunId),
    /// A registry change that contradicts what is stored, such as a price that overlaps a
    /// stored price of the same scope; nothing was written.
    #[error("the change conflicts with the stored registry")]
    RegistryConflict(#[source] vuxnav_schema::ModelError),
    /// A registry entry to create has a stored key: (its type, its key).
    #[error("a {0} with the key `{1}` exists already")]
    RegistryEntryExists(&'static str, String),
    /// No registry entry of the type has the key: (its type, its key).
    #[error("no {0} has the key `{1}`")]
    UnknownRegistryEntry(&'static str, String),
    /// The harvest run was already finished (or marked interrupted).
    #[error("harvest run {0} is not running")]
    RunNotRunning(RunId),
    /// No API key has this id.
    #[error("API key {0} does not exist")]
    UnknownKey(i64),
    /// A source with this id exists already, managed here or in the config file, or held
    /// data before.
    #[error("a source with the id `{0}` exists already")]
    SourceExists(String),
    /// A managed source was changed since the revision a save names; nothing was saved.
    #[error("source `{source_id}` is at revision {current}, not {expected}: it was changed meanwhile")]
    RevisionConflict { source_id: String, expected: u32, current: u32 },
    /// The source was deleted through the admin API; a harvest of it is not stored.
    #[error("source `{0}` was deleted")]
    SourceDeleted(String),
}
