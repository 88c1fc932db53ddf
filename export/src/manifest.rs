//! `manifest.json` (written last into a release), `latest.json` and `state.txt`: what a
//! consumer reads first, and what the next export reads back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::holdback::{Explanation, Verdict};

/// Whether a release is complete and was published, or was held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Complete and published (made latest).
    Complete,
    /// Complete, but not made latest: see `hold_back`.
    HeldBack,
}

/// A file of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the release folder, such as `csv/offerings.csv.gz`.
    pub path: String,
    pub bytes: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// What happened to the delta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeltaStatus {
    /// `delta.jsonl.gz` turns release `base` into this one.
    Written { base: String, upserts: u64, deletes: u64 },
    /// There is no delta, and why.
    Omitted { reason: String },
}

/// A source's status and freshness, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceEntry {
    pub id: String,
    pub municipality_code: String,
    pub status: String,
    pub last_success: Option<String>,
    pub offering_count: u64,
    pub rejection_rate: Option<f64>,
}

/// A release that was written after the previous published one and not published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotPublished {
    pub release: String,
    pub reason: String,
}

/// The hold-back decision for this release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldBack {
    pub threshold: f64,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The sources that explained a fall.
    pub explanations: Vec<Explanation>,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub status: Status,
    pub release: String,
    /// One more than the previous published release's; `None` when held back.
    pub sequence: Option<u64>,
    pub schema_version: String,
    /// When the export started: RFC 3339.
    pub created: String,
    /// The program that wrote it: `vuxnav-export <version>`.
    pub generator: String,
    /// The published release this one follows, and the delta's base.
    pub previous_release: Option<String>,
    pub delta: DeltaStatus,
    pub hold_back: HoldBack,
    /// Releases written since `previous_release` that were not published.
    pub not_published: Vec<NotPublished>,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
    /// Every other file of the release, `SHA256SUMS` and `datapackage.json` included.
    pub files: Vec<FileEntry>,
    pub sources: Vec<SourceEntry>,
}

impl Manifest {
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// `latest.json`: the newest published release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latest {
    pub release: String,
    pub sequence: u64,
    pub created: String,
    /// The path of its manifest from the folder holding `latest.json`.
    pub manifest: String,
    /// The SHA-256 of that manifest.
    pub manifest_sha256: String,
}

/// `state.txt` in the form of OpenStreetMap's replication state: `sequenceNumber` increases
/// by one per published release, so a consumer sees a release it missed.
pub fn state_txt(latest: &Latest) -> String {
    format!(
        "# vuxnav open-data release state\nsequenceNumber={}\ntimestamp={}\nrelease={}\n",
        latest.sequence,
        latest.created.replace(':', "\\:"),
        latest.release
    )
}
