//! The nightly open-data release of vuxnav.
//!
//! [`publish`] reads the store's records through [`Records`] (which the gateway implements),
//! writes every table of [`v1`] in every format into a [`Storage`] (a [`LocalFolder`] by
//! default), and makes the release the latest atomically, or not at all. The layout, what a
//! consumer finds in each file and how to follow releases are in `docs/open-data.md`.
//!
//! This crate knows no HTTP server, no store and no upstream: it depends on `vuxnav-schema`
//! only. The hold-back guard ([`holdback::judge`]) and retention ([`retention::plan`]) are pure
//! functions; [`publish`] applies them.

mod atom;
pub mod datapackage;
pub mod dcat;
pub mod docs;
mod error;
pub mod holdback;
pub mod jsonld;
pub mod manifest;
mod name;
pub mod privacy;
mod publish;
mod records;
pub mod retention;
pub mod storage;
pub mod v1;
mod write;

pub use dcat::Publisher;
pub use error::{ExportError, RecordsError, StorageError};
pub use name::ReleaseName;
pub use publish::{Outcome, ReleaseOptions, ReleaseSummary, TableSummary, publish};
pub use records::{RecordStream, Records};
pub use storage::{LocalFolder, StagedFile, Storage, StorageLock};
pub use v1::SCHEMA_VERSION;
pub use write::Progress;

/// An error and its causes, joined by `: `, for a reason that goes into a manifest.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
