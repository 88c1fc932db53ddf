//! The publication protocol: [`publish`] writes one release and makes it the latest, or
//! leaves everything as it was.
//!
//! 1. Take the export lock ([`Storage::lock`]); a second export at the same time is refused.
//! 2. Remove what a crashed export left in the staging area, and finish the publication of a
//!    release a crash left complete but not yet latest (roll forward).
//! 3. Read the latest release (`latest.json` and its manifest): the delta's base, the
//!    hold-back guard's baseline and the sequence number's predecessor.
//! 4. Write every table file into `.staging/<name>/` as the records stream in, then
//!    `datapackage.json`, `SHA256SUMS` and, last, `manifest.json`.
//! 5. Publish the staged folder as `releases/<name>/` in one step.
//! 6. Unless held back: replace `releases.atom` and `datasets/dcat`, then `latest.json`, then
//!    `state.txt`. Until `latest.json` is replaced, consumers see the previous release.
//! 7. Apply retention.
//!
//! A process killed at any step leaves the previous release as the latest and no half release
//! under `releases/`: the next run clears the staging area (step 2) and, if the kill came
//! between steps 5 and 6, announces the complete release it finds.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt as _;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use vuxnav_schema::{Region, Taxonomy};

use crate::dcat::{self, Publisher};
use crate::holdback::{self, SourceCount, Verdict};
use crate::manifest::{DeltaStatus, HoldBack, Latest, Manifest, NotPublished, SourceEntry, Status, state_txt};
use crate::retention::{self, Held};
use crate::storage::{Storage, StorageLock};
use crate::v1::{
    self, CourseRow, GuidanceServiceRow, MunicipalityRow, OccupationLinkRow, OccupationRow, OfferingRow,
    OpeningHoursRow, OutlookRow, PriceRow, ProviderRow, Record, SourceRow, ValidationOfferRow, rfc3339,
};
use crate::write::{Previous, Progress, Writers, Written, write_file};
use crate::{ExportError, Records, ReleaseName, SCHEMA_VERSION, atom, datapackage};

/// Rows sent to the writer at a time.
const BATCH: usize = 512;
/// Batches in flight between the reader and the writer: bounds the memory between them.
const BATCHES_IN_FLIGHT: usize = 4;

/// How to write and publish a release.
#[derive(Clone)]
pub struct ReleaseOptions {
    /// The public URL of the served folder, ending in `/`: the download URLs in the
    /// catalogue, the feed and the package are made from it.
    pub base_url: String,
    pub publisher: Publisher,
    /// The region's municipalities (`municipalities.in_region`).
    pub region: Region,
    /// The share a table's row count may fall by before the release is held back.
    pub hold_back_threshold: f64,
    /// Publish even when the guard would hold the release back.
    pub force: bool,
    /// Days a release is kept (see `retention`).
    pub keep_days: u32,
    /// Called as rows are written.
    pub progress: Option<Progress>,
}

impl std::fmt::Debug for ReleaseOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReleaseOptions")
            .field("base_url", &self.base_url)
            .field("publisher", &self.publisher)
            .field("hold_back_threshold", &self.hold_back_threshold)
            .field("force", &self.force)
            .field("keep_days", &self.keep_days)
            .finish_non_exhaustive()
    }
}

impl ReleaseOptions {
    /// The defaults: the Stockholm region, a 20 % threshold, 90 days.
    pub fn new(base_url: impl Into<String>, publisher: Publisher) -> Self {
        Self {
            base_url: base_url.into(),
            publisher,
            region: Region::default(),
            hold_back_threshold: holdback::DEFAULT_THRESHOLD,
            force: false,
            keep_days: retention::DEFAULT_KEEP_DAYS,
            progress: None,
        }
    }

    fn validate(&self) -> Result<(), ExportError> {
        let url = &self.base_url;
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || !url.ends_with('/')
            || url.contains(char::is_whitespace)
        {
            return Err(ExportError::Options {
                field: "base_url",
                reason: format!("`{url}` is not an absolute http(s) URL ending in `/`"),
            });
        }
        if !(0.0..=1.0).contains(&self.hold_back_threshold) {
            return Err(ExportError::Options {
                field: "hold_back_threshold",
                reason: format!("{} is not a share from 0 to 1", self.hold_back_threshold),
            });
        }
        let org = &self.publisher.org_number;
        if org.len() != 10 || !org.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ExportError::Options {
                field: "publisher.org_number",
                reason: format!("`{org}` is not ten digits without a hyphen"),
            });
        }
        Ok(())
    }
}

/// What became of the release.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Made latest, with its sequence number.
    Published { sequence: u64, forced: bool },
    /// Written under `releases/` but not made latest.
    HeldBack { falls: Vec<holdback::Fall> },
}

/// One table of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    pub name: &'static str,
    pub rows: u64,
    /// Its `csv/`, `excel/` and `jsonl/` files together.
    pub bytes: u64,
}

/// What [`publish`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseSummary {
    pub release: String,
    pub outcome: Outcome,
    pub tables: Vec<TableSummary>,
    /// Every file of the release.
    pub bytes: u64,
    pub delta: DeltaStatus,
    /// Staged releases a crashed export left, removed.
    pub cleared_staging: Vec<String>,
    /// A complete release a crash left unannounced, made latest before this one.
    pub rolled_forward: Option<String>,
    /// Releases removed by retention.
    pub removed: Vec<String>,
}

/// Writes a release of `records` into `storage` and, unless the hold-back guard stops it,
/// makes it the latest. `now` names the release (its date in Sweden) and dates it.
pub async fn publish(
    records: &dyn Records,
    storage: Arc<dyn Storage>,
    options: &ReleaseOptions,
    now: DateTime<Utc>,
) -> Result<ReleaseSummary, ExportError> {
    options.validate()?;
    let created = rfc3339(now);
    let today = now.with_timezone(&chrono_tz::Europe::Stockholm).date_naive();

    let prepared = {
        let storage = storage.clone();
        let base_url = options.base_url.clone();
        let publisher = options.publisher.clone();
        tokio::task::spawn_blocking(move || prepare(storage.as_ref(), today, &base_url, &publisher))
            .await
            .map_err(|_| ExportError::WriterLost)??
    };
    let release = prepared.name.to_string();
    tracing::info!(%release, previous = ?prepared.latest.as_ref().map(|l| &l.release), "writing a release");

    let result = write_and_publish(records, &storage, options, &prepared, &release, &created, today).await;
    if result.is_err() {
        // Best effort: the next run clears the staging area anyway.
        let storage = storage.clone();
        let _ = tokio::task::spawn_blocking(move || storage.clear_staging()).await;
    }
    drop(prepared.lock);
    let mut summary = result?;
    summary.cleared_staging = prepared.cleared;
    summary.rolled_forward = prepared.rolled_forward;
    Ok(summary)
}

async fn write_and_publish(
    records: &dyn Records,
    storage: &Arc<dyn Storage>,
    options: &ReleaseOptions,
    prepared: &Prepared,
    release: &str,
    created: &str,
    today: NaiveDate,
) -> Result<ReleaseSummary, ExportError> {
    let previous = match (&prepared.previous, &prepared.latest) {
        (Ok(manifest), Some(latest)) => Ok(Previous { name: latest.release.clone(), manifest: manifest.clone() }),
        (Err(reason), _) => Err(reason.clone()),
        (Ok(_), None) => Err("there is no previous release".to_owned()),
    };
    let (sender, mut receiver) = mpsc::channel::<Job>(BATCHES_IN_FLIGHT);
    let writer = {
        let storage = storage.clone();
        let release = release.to_owned();
        let progress = options.progress.clone();
        tokio::task::spawn_blocking(move || -> Result<Written, ExportError> {
            let mut writers = Writers::new(storage, release, previous, progress)?;
            while let Some(job) = receiver.blocking_recv() {
                job(&mut writers)?;
            }
            writers.finish()
        })
    };
    let mut sources = Vec::new();
    let fed = feed_all(records, &sender, &options.region, &mut sources).await;
    drop(sender);
    let written = writer.await.map_err(|_| ExportError::WriterLost);
    let written = match (fed, written) {
        (Err(ExportError::WriterLost), Ok(Err(error)) | Err(error)) => return Err(error),
        (Err(error), _) => return Err(error),
        (Ok(()), Ok(written)) => written?,
        (Ok(()), Err(error)) => return Err(error),
    };

    let storage = storage.clone();
    let options = options.clone();
    let context = Finish {
        release: release.to_owned(),
        created: created.to_owned(),
        today,
        latest: prepared.latest.clone(),
        previous: prepared.previous.clone().ok(),
        next_sequence: prepared.next_sequence,
        not_published: prepared.not_published.clone(),
        sources,
    };
    tokio::task::spawn_blocking(move || finish(storage.as_ref(), &options, context, written))
        .await
        .map_err(|_| ExportError::WriterLost)?
}

/// Work for the writer thread.
type Job = Box<dyn FnOnce(&mut Writers) -> Result<(), ExportError> + Send>;

/// Streams every table to the writer, in [`v1::TABLES`] order.
async fn feed_all(
    records: &dyn Records,
    sender: &mpsc::Sender<Job>,
    region: &Region,
    sources: &mut Vec<SourceRow>,
) -> Result<(), ExportError> {
    feed_rows(sender, MunicipalityRow::all(region)).await?;
    feed::<_, SourceRow>(sender, records.sources(), |row| sources.push(row.clone())).await?;
    feed::<_, ProviderRow>(sender, records.providers(), |_| ()).await?;
    feed::<_, CourseRow>(sender, records.courses(), |_| ()).await?;
    feed::<_, OfferingRow>(sender, records.offerings(), |_| ()).await?;

    let taxonomy = Taxonomy::pinned()
        .map_err(|error| ExportError::Records { table: OccupationRow::TABLE.name, source: error.into() })?;
    feed_rows(sender, OccupationRow::all(taxonomy)).await?;
    let registries =
        records.registries().await.map_err(|source| ExportError::Records { table: "registries", source })?;
    feed_rows(sender, sorted::<_, OccupationLinkRow>(&registries.occupation_links)).await?;
    feed_rows(sender, sorted::<_, ValidationOfferRow>(&registries.validation_offers)).await?;
    feed_rows(sender, sorted::<_, GuidanceServiceRow>(&registries.guidance_services)).await?;
    feed_rows(sender, OpeningHoursRow::all(&registries.guidance_services)).await?;
    feed_rows(sender, sorted::<_, PriceRow>(&registries.prices)).await?;
    feed_rows(sender, OutlookRow::all(registries.outlook.as_ref())).await?;
    Ok(())
}

/// The rows of `records`, ordered by id as the writer needs them.
fn sorted<T, R>(records: &[T]) -> Vec<R>
where
    R: Record + for<'a> From<&'a T>,
{
    let mut rows: Vec<R> = records.iter().map(R::from).collect();
    rows.sort_by(|a, b| a.id().cmp(b.id()));
    rows
}

/// Writes a table whose rows are all in memory (a code list, a registry), already ordered by id.
async fn feed_rows<R: Record + Clone>(sender: &mpsc::Sender<Job>, rows: Vec<R>) -> Result<(), ExportError> {
    send(sender, Box::new(|w: &mut Writers| w.begin::<R>())).await?;
    for chunk in rows.chunks(BATCH) {
        let chunk = chunk.to_vec();
        send(sender, Box::new(move |w: &mut Writers| w.push(&chunk))).await?;
    }
    send(sender, Box::new(|w: &mut Writers| w.end())).await
}

async fn send(sender: &mpsc::Sender<Job>, job: Job) -> Result<(), ExportError> {
    // A closed channel means the writer stopped with an error, which the caller reports.
    sender.send(job).await.map_err(|_| ExportError::WriterLost)
}

async fn feed<T, R>(
    sender: &mpsc::Sender<Job>,
    mut stream: crate::records::RecordStream<'_, T>,
    mut inspect: impl FnMut(&R),
) -> Result<(), ExportError>
where
    R: Record + for<'a> From<&'a T> + Clone,
{
    send(sender, Box::new(|w: &mut Writers| w.begin::<R>())).await?;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(item) = stream.next().await {
        let record = item.map_err(|source| ExportError::Records { table: R::TABLE.name, source })?;
        let row = R::from(&record);
        inspect(&row);
        batch.push(row);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            send(sender, Box::new(move |w: &mut Writers| w.push(&full))).await?;
        }
    }
    send(sender, Box::new(move |w: &mut Writers| w.push(&batch))).await?;
    send(sender, Box::new(|w: &mut Writers| w.end())).await
}

/// What the export learns before it writes.
struct Prepared {
    lock: StorageLock,
    cleared: Vec<String>,
    rolled_forward: Option<String>,
    /// The latest published release, after any roll forward.
    latest: Option<Latest>,
    /// Its manifest, or why it cannot serve as the delta's base.
    previous: Result<Manifest, String>,
    next_sequence: u64,
    name: ReleaseName,
    not_published: Vec<NotPublished>,
}

fn prepare(
    storage: &dyn Storage,
    today: NaiveDate,
    base_url: &str,
    publisher: &Publisher,
) -> Result<Prepared, ExportError> {
    let lock = storage.lock()?;
    let cleared = storage.clear_staging()?;
    if !cleared.is_empty() {
        tracing::warn!(?cleared, "removed the staging leftovers of an interrupted export");
    }
    let names = release_names(storage)?;
    let mut latest = read_latest(storage);
    let manifests: Vec<(ReleaseName, Result<Manifest, String>)> =
        names.iter().map(|name| (*name, read_manifest(storage, &name.to_string()))).collect();

    // Roll forward: a complete release that follows the latest and was never announced.
    let expected_sequence = match &latest {
        Ok(Some(l)) => l.sequence + 1,
        Ok(None) => 1,
        Err(_) => 0,
    };
    let mut rolled_forward = None;
    if expected_sequence > 0 {
        let latest_name = latest.as_ref().ok().and_then(|l| l.as_ref()).map(|l| l.release.clone());
        let candidate = manifests.iter().rev().find(|(name, manifest)| {
            manifest.as_ref().is_ok_and(|m| {
                m.status == Status::Complete
                    && m.sequence == Some(expected_sequence)
                    && m.previous_release == latest_name
                    && latest_name.as_deref() != Some(&name.to_string())
            })
        });
        if let Some((name, Ok(manifest))) = candidate {
            let pointer = announce(storage, base_url, publisher, manifest, &manifests)?;
            tracing::warn!(release = %name, "announced a complete release an interrupted export left unannounced");
            rolled_forward = Some(name.to_string());
            latest = Ok(Some(pointer));
        }
    }

    let (latest, previous, next_sequence) = match latest {
        Ok(Some(latest)) => {
            // A kill between the two pointers leaves state.txt behind latest.json: repair it.
            let state = state_txt(&latest);
            if read_text(storage, "state.txt").ok().flatten().as_deref() != Some(state.as_str()) {
                storage.replace("state.txt", state.as_bytes())?;
            }
            let previous = manifests
                .iter()
                .find(|(name, _)| name.to_string() == latest.release)
                .map(|(_, m)| m.clone())
                .unwrap_or_else(|| Err(format!("the previous release {} is missing", latest.release)))
                .map_err(|reason| format!("the previous release {} cannot be used: {reason}", latest.release));
            let next = latest.sequence + 1;
            (Some(latest), previous, next)
        }
        Ok(None) => (None, Err("there is no previous release".to_owned()), 1),
        Err(reason) => {
            // Without a readable pointer, continue the sequence from the releases themselves.
            let highest = manifests
                .iter()
                .filter_map(|(_, m)| m.as_ref().ok())
                .filter(|m| m.status == Status::Complete)
                .filter_map(|m| m.sequence)
                .max()
                .unwrap_or(0);
            (None, Err(format!("latest.json cannot be read: {reason}")), highest + 1)
        }
    };

    let after = latest.as_ref().and_then(|l| ReleaseName::parse(&l.release));
    let not_published = manifests
        .iter()
        .filter(|(name, _)| after.is_none_or(|after| *name > after))
        .map(|(name, manifest)| NotPublished {
            release: name.to_string(),
            reason: match manifest {
                Ok(m) if m.status == Status::HeldBack => held_back_reason(m),
                Ok(_) => "written but never made latest".to_owned(),
                Err(reason) => reason.clone(),
            },
        })
        .collect();

    let name = ReleaseName::next_free(today, &names);
    Ok(Prepared { lock, cleared, rolled_forward, latest, previous, next_sequence, name, not_published })
}

fn held_back_reason(manifest: &Manifest) -> String {
    match &manifest.hold_back.verdict {
        Verdict::HoldBack { falls } => {
            let falls: Vec<String> =
                falls.iter().map(|f| format!("{} fell from {} to {} rows", f.table, f.previous, f.current)).collect();
            format!("held back: {}", falls.join("; "))
        }
        _ => "held back".to_owned(),
    }
}

/// The published release folders with valid names, oldest first.
fn release_names(storage: &dyn Storage) -> Result<Vec<ReleaseName>, ExportError> {
    let mut names: Vec<ReleaseName> = storage.releases()?.iter().filter_map(|n| ReleaseName::parse(n)).collect();
    names.sort();
    Ok(names)
}

fn read_text(storage: &dyn Storage, path: &str) -> Result<Option<String>, String> {
    let Some(mut reader) = storage.read(path).map_err(|e| crate::chain(&e))? else {
        return Ok(None);
    };
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|e| format!("cannot read {path}: {e}"))?;
    Ok(Some(text))
}

fn read_latest(storage: &dyn Storage) -> Result<Option<Latest>, String> {
    match read_text(storage, "latest.json")? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| format!("latest.json is not valid: {e}")),
    }
}

fn read_manifest(storage: &dyn Storage, release: &str) -> Result<Manifest, String> {
    let path = format!("releases/{release}/manifest.json");
    let text = read_text(storage, &path)?.ok_or_else(|| format!("{path} is missing"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path} is not a valid manifest: {e}"))
}

struct Finish {
    release: String,
    created: String,
    today: NaiveDate,
    latest: Option<Latest>,
    previous: Option<Manifest>,
    next_sequence: u64,
    not_published: Vec<NotPublished>,
    sources: Vec<SourceRow>,
}

fn finish(
    storage: &dyn Storage,
    options: &ReleaseOptions,
    context: Finish,
    written: Written,
) -> Result<ReleaseSummary, ExportError> {
    let Finish { release, created, today, latest, previous, next_sequence, not_published, sources } = context;
    let Written { mut files, tables: rows, delta } = written;

    let current_sources: Vec<SourceCount<'_>> =
        sources.iter().map(|s| SourceCount { id: &s.id, status: s.status, offerings: s.offering_count }).collect();
    let (baseline, explanations) = match &previous {
        Some(manifest) => {
            let before: Vec<SourceCount<'_>> = manifest
                .sources
                .iter()
                .map(|s| SourceCount { id: &s.id, status: &s.status, offerings: s.offering_count })
                .collect();
            (manifest.tables.clone(), holdback::explanations(&before, &current_sources))
        }
        None => (BTreeMap::new(), Vec::new()),
    };
    let verdict = holdback::judge(&baseline, &rows, options.hold_back_threshold, &explanations, options.force);
    let held_back = matches!(verdict, Verdict::HoldBack { .. });
    if let Verdict::HoldBack { falls } | Verdict::Forced { falls } = &verdict {
        tracing::warn!(%release, ?falls, forced = options.force, "row counts fell beyond the hold-back threshold");
    }

    let package = datapackage::descriptor(&release, &created, &options.base_url, &files);
    let package = serde_json::to_vec_pretty(&package).unwrap_or_default();
    files.push(write_file(storage, &release, "datapackage.json", &package)?);
    let sums: String = files.iter().map(|f| format!("{}  {}\n", f.sha256, f.path)).collect();
    files.push(write_file(storage, &release, "SHA256SUMS", sums.as_bytes())?);

    let manifest = Manifest {
        status: if held_back { Status::HeldBack } else { Status::Complete },
        release: release.clone(),
        sequence: (!held_back).then_some(next_sequence),
        schema_version: SCHEMA_VERSION.to_owned(),
        created: created.clone(),
        generator: format!("vuxnav-export {}", env!("CARGO_PKG_VERSION")),
        previous_release: latest.as_ref().map(|l| l.release.clone()),
        delta: delta.clone(),
        hold_back: HoldBack { threshold: options.hold_back_threshold, verdict: verdict.clone(), explanations },
        not_published,
        tables: rows.clone(),
        files: files.clone(),
        sources: sources
            .iter()
            .map(|s| SourceEntry {
                id: s.id.clone(),
                municipality_code: s.municipality_code.clone(),
                status: s.status.to_owned(),
                last_success: s.last_success.map(rfc3339),
                offering_count: s.offering_count,
                rejection_rate: s.rejection_rate,
            })
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    write_file(storage, &release, "manifest.json", &manifest_bytes)?;
    storage.publish(&release)?;

    let outcome = match verdict {
        Verdict::HoldBack { falls } => {
            tracing::warn!(%release, "the release is held back: it is not made latest");
            Outcome::HeldBack { falls }
        }
        verdict => {
            let names = release_names(storage)?;
            let manifests: Vec<(ReleaseName, Result<Manifest, String>)> =
                names.iter().map(|name| (*name, read_manifest(storage, &name.to_string()))).collect();
            announce(storage, &options.base_url, &options.publisher, &manifest, &manifests)?;
            Outcome::Published { sequence: next_sequence, forced: matches!(verdict, Verdict::Forced { .. }) }
        }
    };

    let removed = apply_retention(storage, today, options.keep_days)?;

    let tables = v1::TABLES
        .iter()
        .map(|table| TableSummary {
            name: table.name,
            rows: rows.get(table.name).copied().unwrap_or(0),
            bytes: [table.csv_path(), table.excel_path(), table.jsonl_path()]
                .iter()
                .filter_map(|path| files.iter().find(|f| &f.path == path))
                .map(|f| f.bytes)
                .sum(),
        })
        .collect();
    let bytes = files.iter().map(|f| f.bytes).sum::<u64>() + manifest_bytes.len() as u64;
    Ok(ReleaseSummary {
        release,
        outcome,
        tables,
        bytes,
        delta,
        cleared_staging: Vec::new(),
        rolled_forward: None,
        removed,
    })
}

/// Makes the published release of `manifest` the latest: the feed and the catalogue first,
/// then `latest.json`, then `state.txt`.
fn announce(
    storage: &dyn Storage,
    base_url: &str,
    publisher: &Publisher,
    manifest: &Manifest,
    manifests: &[(ReleaseName, Result<Manifest, String>)],
) -> Result<Latest, ExportError> {
    let sequence = manifest.sequence.unwrap_or(0);
    let bytes =
        read_text(storage, &format!("releases/{}/manifest.json", manifest.release)).ok().flatten().unwrap_or_default();
    let latest = Latest {
        release: manifest.release.clone(),
        sequence,
        created: manifest.created.clone(),
        manifest: format!("releases/{}/manifest.json", manifest.release),
        manifest_sha256: hex::encode(Sha256::digest(bytes.as_bytes())),
    };

    let mut entries: Vec<atom::Entry> = manifests
        .iter()
        .filter_map(|(_, m)| m.as_ref().ok())
        .filter(|m| m.status == Status::Complete && m.sequence.is_some_and(|s| s <= sequence))
        .map(entry)
        .collect();
    if !entries.iter().any(|e| e.release == manifest.release) {
        entries.push(entry(manifest));
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.sequence));
    storage.replace("releases.atom", &atom::feed(base_url, &entries))?;
    storage.replace("datasets/dcat", &dcat::catalogue(base_url, publisher, &manifest.release, &manifest.created))?;
    let pointer = serde_json::to_vec_pretty(&latest).unwrap_or_default();
    storage.replace("latest.json", &pointer)?;
    storage.replace("state.txt", state_txt(&latest).as_bytes())?;
    tracing::info!(release = %latest.release, sequence, "made the release the latest");
    Ok(latest)
}

fn entry(manifest: &Manifest) -> atom::Entry {
    atom::Entry {
        release: manifest.release.clone(),
        sequence: manifest.sequence.unwrap_or(0),
        created: manifest.created.clone(),
        rows: manifest.tables.iter().map(|(t, n)| (t.clone(), *n)).collect(),
    }
}

/// Removes what [`retention::plan`] says; returns the releases removed.
fn apply_retention(storage: &dyn Storage, today: NaiveDate, keep_days: u32) -> Result<Vec<String>, ExportError> {
    let latest = read_latest(storage).ok().flatten().and_then(|l| ReleaseName::parse(&l.release));
    let held: Vec<Held> = release_names(storage)?
        .into_iter()
        .map(|name| {
            let manifest = read_manifest(storage, &name.to_string()).ok();
            Held {
                name,
                published: manifest.as_ref().is_some_and(|m| m.status == Status::Complete)
                    && latest.is_some_and(|latest| name <= latest),
                delta_base: manifest.and_then(|m| match m.delta {
                    DeltaStatus::Written { base, .. } => ReleaseName::parse(&base),
                    DeltaStatus::Omitted { .. } => None,
                }),
            }
        })
        .collect();
    let plan = retention::plan(&held, today, keep_days, latest);
    for name in &plan.deltas {
        storage.remove(&format!("releases/{name}/{}", crate::write::DELTA_PATH))?;
    }
    for name in &plan.releases {
        storage.remove(&format!("releases/{name}"))?;
        tracing::info!(release = %name, "removed a release past retention");
    }
    Ok(plan.releases.iter().map(ToString::to_string).collect())
}
