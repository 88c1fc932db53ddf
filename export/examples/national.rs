//! Writes a release of generated records and reports the time and the peak memory: the
//! export's benchmark (see docs/performance.md, Open-data release).
//!
//! ```text
//! cargo run --release -p vuxnav-export --example national -- load DB [OFFERINGS]
//! cargo run --release -p vuxnav-export --example national -- export DB OUT [NIGHT]
//! cargo run --release -p vuxnav-export --example national -- memory OUT [OFFERINGS]
//! cargo run --release -p vuxnav-export --example national -- read DB
//! ```
//!
//! `load` fills a SQLite store at `DB` with `OFFERINGS` (default 300,000) offerings of the
//! store's sample catalogue over 290 sources, one per municipality. `export` writes a release
//! of that store into `OUT` through the store's release reader, as the gateway does; run it
//! twice (`NIGHT` 0, then 1) for a release with a delta. `memory` writes a release of records
//! generated on the fly, without a store; `read` only reads the store's offerings. Each reports its wall time and the process's peak
//! resident memory (`VmHWM`), so load and export are measured apart.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::future::BoxFuture;
use futures::{FutureExt as _, StreamExt as _, TryStreamExt as _, stream};
use vuxnav_export::{LocalFolder, Publisher, RecordStream, Records, RecordsError, ReleaseOptions, publish};
use vuxnav_schema::{
    Course, Municipality, Offering, Provider, Region, RunCounts, Seen, SourceId, SourceReport, SourceState,
    SourceStatus, StampedRegistries,
};
use vuxnav_store::{ReleaseReader, Store, testing};

fn at(night: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).single().expect("a valid instant") + Duration::days(night)
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn options() -> ReleaseOptions {
    let mut options = ReleaseOptions::new(
        "https://vuxnav.example/",
        Publisher {
            name: "Exempelregionen".into(),
            org_number: "2220000000".into(),
            kind: "RegionalAuthority".into(),
            contact_email: "opendata@vuxnav.example".into(),
        },
    );
    options.region = Region::national();
    options
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["load", db, rest @ ..] => {
            let offerings: usize = rest.first().map_or(Ok(300_000), |n| n.parse())?;
            let store = Store::connect(&format!("sqlite://{db}?mode=rwc")).await?;
            let municipalities: Vec<Municipality> = Municipality::all().collect();
            for (i, municipality) in municipalities.iter().enumerate() {
                let source = SourceId::parse(&format!("{}-sample", municipality.code))?;
                store.register_source(&source, municipality.code, "csv", true).await?;
                let share = offerings / municipalities.len() + usize::from(i < offerings % municipalities.len());
                let catalogue = testing::sample_catalogue(&source, municipality.code, share, at(0));
                store.replace_source(&source, &catalogue, at(0)).await?;
                let run = store.start_run(&source, at(0), true).await?;
                let counts = RunCounts { fetched: share as u64 + 2, rejected: 2, ..RunCounts::default() };
                store.finish_run(run, at(0), Ok(()), counts, &[]).await?;
            }
            println!("loaded {offerings} offerings into {db} in {:.1} s", started.elapsed().as_secs_f64());
        }
        ["export", db, out, rest @ ..] => {
            let night: i64 = rest.first().map_or(Ok(0), |n| n.parse())?;
            let store = Store::connect(&format!("sqlite://{db}?mode=rw")).await?;
            let records = StoreRecords(store.release_reader().await?);
            let summary = publish(&records, Arc::new(LocalFolder::new(out)), &options(), at(night)).await?;
            report(&summary, started);
        }
        ["read", db] => {
            let store = Store::connect(&format!("sqlite://{db}?mode=rw")).await?;
            let reader = store.release_reader().await?;
            let offerings = reader.offerings().try_fold(0u64, |n, _| async move { Ok(n + 1) }).await?;
            println!("read {offerings} offerings in {:.2} s", started.elapsed().as_secs_f64());
        }
        ["memory", out, rest @ ..] => {
            let offerings: usize = rest.first().map_or(Ok(300_000), |n| n.parse())?;
            let records = Generated::new(offerings);
            let summary = publish(&records, Arc::new(LocalFolder::new(out)), &options(), at(0)).await?;
            report(&summary, started);
        }
        _ => {
            return Err(
                "usage: national load DB [OFFERINGS] | export DB OUT [NIGHT] | memory OUT [OFFERINGS] | read DB".into(),
            );
        }
    }
    Ok(())
}

fn report(summary: &vuxnav_export::ReleaseSummary, started: Instant) {
    println!("release {} ({:?})", summary.release, summary.outcome);
    println!("{:<16} {:>9} {:>12}", "table", "rows", "bytes");
    for table in &summary.tables {
        println!("{:<16} {:>9} {:>12}", table.name, table.rows, table.bytes);
    }
    println!("all files: {} bytes; delta: {:?}", summary.bytes, summary.delta);
    println!("wall time {:.2} s, peak resident memory {:.0} MiB", started.elapsed().as_secs_f64(), peak_rss_mib());
}

struct StoreRecords(ReleaseReader);

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
            let taxonomy = vuxnav_schema::Taxonomy::pinned()?;
            Ok(self.0.registries(taxonomy).await?)
        }
        .boxed()
    }
}

/// Records made on the fly from one source's sample catalogue, re-keyed so that ids ascend:
/// nothing is held but one sample.
struct Generated {
    offerings: usize,
    sample: vuxnav_schema::Catalogue,
    source: SourceId,
}

impl Generated {
    fn new(offerings: usize) -> Self {
        let source = SourceId::parse("0180-sample").expect("a source id");
        let code = vuxnav_schema::MunicipalityCode::parse("0180").expect("a kommunkod");
        Self { offerings, sample: testing::sample_catalogue(&source, code, 1_000, at(0)), source }
    }

    fn id(kind: u128, i: usize) -> vuxnav_schema::PublicId {
        vuxnav_schema::PublicId::from_uuid(uuid::Uuid::from_u128((kind << 120) | i as u128))
    }
}

impl Records for Generated {
    /// The national scale is in the offerings; the registries are the region's few entries.
    fn registries(&self) -> BoxFuture<'_, Result<StampedRegistries, RecordsError>> {
        futures::future::ready(Ok(StampedRegistries::default())).boxed()
    }
    fn sources(&self) -> RecordStream<'_, SourceReport> {
        let code = vuxnav_schema::MunicipalityCode::parse("0180").expect("a kommunkod");
        let report = SourceReport {
            status: SourceStatus {
                id: self.source.clone(),
                municipality: code,
                kind: "csv".into(),
                state: SourceState::Ok,
                last_attempt: Some(at(0)),
                last_success: Some(at(0)),
                last_error: None,
                held_reason: None,
                offering_count: self.offerings as u64,
            },
            first_run: Some(at(0)),
            last_success_counts: None,
        };
        stream::iter([Ok(report)]).boxed()
    }
    fn providers(&self) -> RecordStream<'_, Seen<Provider>> {
        let n = self.sample.providers.len();
        stream::iter((0..n).map(move |i| {
            let mut record = self.sample.providers[i].clone();
            record.id = Self::id(1, i);
            Ok(Seen { record, first_seen: at(0), last_changed: at(0) })
        }))
        .boxed()
    }
    fn courses(&self) -> RecordStream<'_, Seen<Course>> {
        let n = self.sample.courses.len();
        stream::iter((0..n).map(move |i| {
            let mut record = self.sample.courses[i].clone();
            record.id = Self::id(2, i);
            Ok(Seen { record, first_seen: at(0), last_changed: at(0) })
        }))
        .boxed()
    }
    fn offerings(&self) -> RecordStream<'_, Offering> {
        let sample = &self.sample;
        stream::iter((0..self.offerings).map(move |i| {
            let mut offering = sample.offerings[i % sample.offerings.len()].clone();
            offering.id = Self::id(3, i);
            offering.course = Self::id(2, i % sample.courses.len());
            offering.provider = Self::id(1, i % sample.providers.len());
            offering.location.name = offering.location.name.map(|name| format!("{name} {}", i % 20_000));
            Ok(offering)
        }))
        .boxed()
    }
}
