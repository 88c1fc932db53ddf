//! Errors of the export.
//!
//! Policy:
//! - Two `thiserror` enums: [`StorageError`] for what the storage reports, and [`ExportError`]
//!   for everything [`crate::publish`] returns; no `anyhow` here.
//! - Messages are lowercase with no trailing period. A variant that wraps a cause keeps it as
//!   `source()` and does not repeat it in its own message, so a caller that logs the cause
//!   chain prints each part once.
//! - A path in a message is relative to the release folder (`releases/2026-11-27/csv/x.csv.gz`)
//!   or, for the local folder itself, the folder as configured: never a record's content.
//! - An error from the record streams (the store disappeared mid-release) is kept as the
//!   source of [`ExportError::Records`], naming the table being read.
//! - A broken previous release is not an error: the delta is omitted and the manifest says why
//!   (`manifest::DeltaStatus::Omitted`). Only what stops a release from being written and
//!   published whole is an error; whatever it is, the previous release stays the latest.

use std::path::PathBuf;

/// What a record stream's producer can fail with (the store's error, boxed).
pub type RecordsError = Box<dyn std::error::Error + Send + Sync>;

/// What can go wrong in a [`crate::Storage`].
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Another export holds the lock: it is writing a release now.
    #[error("another export is running: `{path}` is locked")]
    Locked { path: PathBuf },
    /// A file or folder cannot be read, written, renamed or removed.
    #[error("cannot {action} `{path}`")]
    Io {
        /// What was being done: `create`, `write`, `rename`, `read`, `remove`, `list`, `lock`.
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A path that is not a plain relative path inside the release folder (`..`, absolute,
    /// empty parts).
    #[error("`{0}` is not a path inside the release folder")]
    BadPath(String),
}

/// What can stop a release.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("release storage failed")]
    Storage(#[from] StorageError),
    /// A record stream failed: the store went away or returned a corrupt row.
    #[error("reading the {table} for the release failed")]
    Records {
        table: &'static str,
        #[source]
        source: RecordsError,
    },
    /// A record stream broke the order the release is written in (ascending public id, each
    /// id once), which the delta's merge relies on.
    #[error("the {table} did not arrive in ascending order of id: `{id}` came after `{previous}`")]
    Unsorted { table: &'static str, id: String, previous: String },
    /// A file of the new release cannot be written.
    #[error("cannot write `{path}`")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The options cannot describe a release (a base URL that is not an absolute `http(s)` URL
    /// ending in `/`, a threshold outside 0 to 1).
    #[error("invalid release option `{field}`: {reason}")]
    Options { field: &'static str, reason: String },
    /// The writer thread stopped without an answer (it panicked).
    #[error("the release writer stopped unexpectedly")]
    WriterLost,
}
