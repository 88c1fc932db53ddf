//! What the serving processes' check for a newer harvest costs: `Store::last_change` against
//! a SQLite file holding many harvest runs, as every serving process asks it every few
//! seconds (`[read_model] refresh`).
//!
//! `cargo run --release -p vuxnav-store --example last_change -- [runs]` (default 20,000
//! runs; every tenth one failed, the rest succeeded). Prints the median and the slowest of
//! 2,000 checks.

use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use vuxnav_schema::{MunicipalityCode, RunCounts, RunEnd, SourceId};
use vuxnav_store::Store;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: u64 = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(20_000);
    let folder = tempfile::tempdir()?;
    let store = Store::open_in(folder.path()).await?;
    let source = SourceId::parse("huddinge-susa")?;
    store.register_source(&source, MunicipalityCode::parse("0126")?, "susa_navet", true).await?;
    let start = Utc::now() - TimeDelta::days(400);
    for n in 0..runs {
        let at = start + TimeDelta::minutes(n as i64);
        let run = store.start_run(&source, at, true).await?;
        let outcome = if n % 10 == 9 { RunEnd::Failed("timeout".into()) } else { RunEnd::Succeeded };
        store.finish_run(run, at, outcome, RunCounts::default(), &[]).await?;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(2_000);
    for _ in 0..2_000 {
        let began = Instant::now();
        std::hint::black_box(store.last_change().await?);
        times.push(began.elapsed());
    }
    times.sort();
    println!(
        "{runs} runs: last_change median {:?}, p99 {:?}, max {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1]
    );
    Ok(())
}
