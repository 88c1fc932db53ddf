//! Shared by the export's tests: records in memory or read from a store, a storage that fails
//! on cue, and readers of the files a release holds.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::future::BoxFuture;
use futures::{FutureExt as _, StreamExt as _, TryStreamExt as _, stream};
use vuxnav_export::{
    LocalFolder, Publisher, RecordStream, Records, RecordsError, ReleaseOptions, StagedFile, Storage, StorageError,
    StorageLock,
};
use vuxnav_schema::{
    Catalogue, Course, MunicipalityCode, Offering, Provider, RunCounts, Seen, SourceId, SourceReport, SourceState,
    SourceStatus, StampedRegistries, Taxonomy,
};
use vuxnav_store::{ReleaseReader, testing};

/// The `n`-th night of the test calendar, 02:00 UTC (03:00 in Stockholm).
pub fn night(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).single().expect("a valid instant") + Duration::days(n)
}

pub fn options() -> ReleaseOptions {
    ReleaseOptions::new(
        "https://vuxnav.example/",
        Publisher {
            name: "Exempelregionen".into(),
            org_number: "2220000000".into(),
            kind: "RegionalAuthority".into(),
            contact_email: "opendata@vuxnav.example".into(),
        },
    )
}

/// Records held in memory, each table in id order; a table can be made to fail after some
/// rows, as a store that disappears mid-release does.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    pub sources: Vec<SourceReport>,
    pub providers: Vec<Seen<Provider>>,
    pub courses: Vec<Seen<Course>>,
    pub offerings: Vec<Offering>,
    pub registries: StampedRegistries,
    /// Fail the offerings after this many rows.
    pub fail_offerings_after: Option<usize>,
}

impl Memory {
    /// The sample catalogues of `sources` sources of Huddinge, `per_source` offerings each.
    pub fn sample(sources: usize, per_source: usize, at: DateTime<Utc>) -> Self {
        let mut catalogue = Catalogue::default();
        let mut reports = Vec::new();
        for i in 0..sources {
            let id = SourceId::parse(&format!("source-{i}")).expect("a source id");
            let part = testing::sample_catalogue(&id, huddinge(), per_source, at);
            reports.push(report(&id, per_source as u64, at));
            catalogue.providers.extend(part.providers);
            catalogue.courses.extend(part.courses);
            catalogue.offerings.extend(part.offerings);
        }
        let mut memory = Self { sources: reports, ..Self::default() };
        memory.set(catalogue);
        memory
    }

    /// Replaces the records with `catalogue`'s, dated by their offerings as the store dates them.
    pub fn set(&mut self, mut catalogue: Catalogue) {
        catalogue.offerings.sort_by_key(|o| o.id);
        catalogue.offerings.dedup_by_key(|o| o.id);
        let dates = |id, of: fn(&Offering) -> vuxnav_schema::PublicId| {
            let named: Vec<&Offering> = catalogue.offerings.iter().filter(|o| of(o) == id).collect();
            let first = named.iter().map(|o| o.provenance.first_seen).min();
            let last = named.iter().map(|o| o.provenance.last_changed).max();
            first.zip(last)
        };
        let mut courses: BTreeMap<_, Seen<Course>> = BTreeMap::new();
        for course in catalogue.courses {
            if let Some((first_seen, last_changed)) = dates(course.id, |o| o.course) {
                courses.insert(course.id, Seen { record: course, first_seen, last_changed });
            }
        }
        let mut providers: BTreeMap<_, Seen<Provider>> = BTreeMap::new();
        for provider in catalogue.providers {
            if let Some((first_seen, last_changed)) = dates(provider.id, |o| o.provider) {
                providers.insert(provider.id, Seen { record: provider, first_seen, last_changed });
            }
        }
        for source in &mut self.sources {
            source.status.offering_count =
                catalogue.offerings.iter().filter(|o| o.provenance.source == source.status.id).count() as u64;
        }
        self.courses = courses.into_values().collect();
        self.providers = providers.into_values().collect();
        self.offerings = catalogue.offerings;
    }

    pub fn catalogue(&self) -> Catalogue {
        Catalogue {
            providers: self.providers.iter().map(|p| p.record.clone()).collect(),
            courses: self.courses.iter().map(|c| c.record.clone()).collect(),
            offerings: self.offerings.clone(),
        }
    }
}

pub fn huddinge() -> MunicipalityCode {
    MunicipalityCode::parse("0126").expect("a kommunkod")
}

pub fn report(id: &SourceId, offerings: u64, at: DateTime<Utc>) -> SourceReport {
    SourceReport {
        status: SourceStatus {
            id: id.clone(),
            municipality: huddinge(),
            kind: "csv".into(),
            state: SourceState::Ok,
            last_attempt: Some(at),
            last_success: Some(at),
            last_error: Some("secret-host.internal refused the connection".into()),
            held_reason: None,
            offering_count: offerings,
        },
        first_run: Some(at),
        last_success_counts: Some(RunCounts { fetched: offerings + 3, rejected: 3, ..RunCounts::default() }),
    }
}

impl Records for Memory {
    fn sources(&self) -> RecordStream<'_, SourceReport> {
        stream::iter(self.sources.clone().into_iter().map(Ok)).boxed()
    }

    fn providers(&self) -> RecordStream<'_, Seen<Provider>> {
        stream::iter(self.providers.clone().into_iter().map(Ok)).boxed()
    }

    fn courses(&self) -> RecordStream<'_, Seen<Course>> {
        stream::iter(self.courses.clone().into_iter().map(Ok)).boxed()
    }

    fn registries(&self) -> BoxFuture<'_, Result<StampedRegistries, RecordsError>> {
        futures::future::ready(Ok(self.registries.clone())).boxed()
    }

    fn offerings(&self) -> RecordStream<'_, Offering> {
        let fail_after = self.fail_offerings_after.unwrap_or(usize::MAX);
        stream::iter(
            self.offerings
                .clone()
                .into_iter()
                .enumerate()
                .map(move |(i, o)| if i >= fail_after { Err("the store went away".into()) } else { Ok(o) }),
        )
        .boxed()
    }
}

/// The store's release reader as the export's `Records`: what the gateway does.
pub struct StoreRecords(pub ReleaseReader);

impl Records for StoreRecords {
    fn sources(&self) -> RecordStream<'_, SourceReport> {
        self.0.sources().map_err(Into::into).boxed()
    }

    fn providers(&self) -> RecordStream<'_, Seen<Provider>> {
        self.0.providers().map_err(Into::into).boxed()
    }

    fn courses(&self) -> RecordStream<'_, Seen<Course>> {
        self.0.courses().map_err(Into::into).boxed()
    }

    fn offerings(&self) -> RecordStream<'_, Offering> {
        self.0.offerings().map_err(Into::into).boxed()
    }

    fn registries(&self) -> BoxFuture<'_, Result<StampedRegistries, RecordsError>> {
        async move {
            let taxonomy = Taxonomy::pinned()?;
            Ok(self.0.registries(taxonomy).await?)
        }
        .boxed()
    }
}

/// Where a [`Faulty`] storage fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Creating the n-th staged file (0-based).
    Create(usize),
    /// Writing into the staged file with this path, after its first bytes (a full disk).
    Write(&'static str),
    /// Publishing the staged folder.
    Publish,
    /// Replacing this pointer file.
    Replace(&'static str),
}

/// A [`LocalFolder`] that fails once at `fault`.
#[derive(Debug, Clone)]
pub struct Faulty {
    pub inner: LocalFolder,
    pub fault: Fault,
    created: Arc<Mutex<usize>>,
}

impl Faulty {
    pub fn new(root: &Path, fault: Fault) -> Self {
        Self { inner: LocalFolder::new(root), fault, created: Arc::default() }
    }
}

fn injected() -> StorageError {
    StorageError::Io {
        action: "write",
        path: PathBuf::from("injected"),
        source: std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left on device (injected)"),
    }
}

struct FullDisk {
    inner: Box<dyn StagedFile>,
    written: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = 20usize.saturating_sub(self.written).min(buf.len());
        if room == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left on device (injected)"));
        }
        self.written += room;
        self.inner.write(&buf[..room])
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A full disk fails at the latest when the file is synced.
impl StagedFile for FullDisk {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left on device (injected)"))
    }
}

impl Storage for Faulty {
    fn lock(&self) -> Result<StorageLock, StorageError> {
        self.inner.lock()
    }

    fn clear_staging(&self) -> Result<Vec<String>, StorageError> {
        self.inner.clear_staging()
    }

    fn create_staged(&self, release: &str, path: &str) -> Result<Box<dyn StagedFile>, StorageError> {
        let mut created = self.created.lock().expect("the counter");
        let n = *created;
        *created += 1;
        if self.fault == Fault::Create(n) {
            return Err(injected());
        }
        let file = self.inner.create_staged(release, path)?;
        if matches!(&self.fault, Fault::Write(target) if *target == path) {
            return Ok(Box::new(FullDisk { inner: file, written: 0 }));
        }
        Ok(file)
    }

    fn remove_staged(&self, release: &str, path: &str) -> Result<(), StorageError> {
        self.inner.remove_staged(release, path)
    }

    fn publish(&self, release: &str) -> Result<(), StorageError> {
        if self.fault == Fault::Publish {
            return Err(injected());
        }
        self.inner.publish(release)
    }

    fn read(&self, path: &str) -> Result<Option<Box<dyn Read + Send>>, StorageError> {
        self.inner.read(path)
    }

    fn replace(&self, path: &str, bytes: &[u8]) -> Result<(), StorageError> {
        if matches!(&self.fault, Fault::Replace(target) if *target == path) {
            return Err(injected());
        }
        self.inner.replace(path, bytes)
    }

    fn releases(&self) -> Result<Vec<String>, StorageError> {
        self.inner.releases()
    }

    fn remove(&self, path: &str) -> Result<(), StorageError> {
        self.inner.remove(path)
    }
}

/// A file of the folder, gunzipped when its name ends in `.gz`.
pub fn read(root: &Path, path: &str) -> String {
    let bytes = std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    if path.ends_with(".gz") {
        let mut text = String::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        text
    } else {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

pub fn json(root: &Path, path: &str) -> serde_json::Value {
    serde_json::from_str(&read(root, path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The release `latest.json` names.
pub fn latest(root: &Path) -> Option<String> {
    root.join("latest.json")
        .exists()
        .then(|| json(root, "latest.json")["release"].as_str().unwrap_or_default().to_owned())
}

/// The release folders under `releases/`, sorted.
pub fn releases(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("releases"))
        .map(|entries| entries.map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Applies `delta.jsonl.gz` of `release` to the `jsonl/` tables of its base: every table as
/// id → line.
pub fn apply_delta(root: &Path, base: &str, release: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut tables = jsonl_tables(root, base);
    for line in read(root, &format!("releases/{release}/delta.jsonl.gz")).lines() {
        let change: serde_json::Value = serde_json::from_str(line).expect("a delta line");
        let table = change["table"].as_str().expect("a table").to_owned();
        let id = change["id"].as_str().expect("an id").to_owned();
        let rows = tables.entry(table).or_default();
        match change["op"].as_str() {
            Some("upsert") => {
                assert_eq!(change["record"]["content_hash"], change["hash"], "{line}");
                rows.insert(id, change["record"].to_string());
            }
            Some("delete") => {
                let gone = rows.remove(&id).unwrap_or_else(|| panic!("a deletion of a row the base lacks: {line}"));
                let gone: serde_json::Value = serde_json::from_str(&gone).expect("a row");
                assert_eq!(gone["content_hash"], change["hash"], "{line}");
            }
            other => panic!("unknown op {other:?}"),
        }
    }
    tables
}

/// Every `jsonl/` table of a release: id → the line as compact JSON.
pub fn jsonl_tables(root: &Path, release: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut tables = BTreeMap::new();
    for table in vuxnav_export::v1::TABLES {
        let text = read(root, &format!("releases/{release}/{}", table.jsonl_path()));
        let rows = text
            .lines()
            .map(|line| {
                let row: serde_json::Value = serde_json::from_str(line).expect("a row");
                (row["id"].as_str().expect("an id").to_owned(), row.to_string())
            })
            .collect();
        tables.insert(table.name.to_owned(), rows);
    }
    tables
}

/// Writes `text` to `path`, for corrupting files.
pub fn overwrite(path: &Path, text: &[u8]) {
    let mut file = std::fs::File::create(path).expect("the file");
    file.write_all(text).expect("written");
}
