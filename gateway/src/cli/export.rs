//! `vuxnav export`: write one open-data release of the store now, with a progress bar and a
//! summary table (tables, rows, bytes, time).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use vuxnav_export::Outcome;
use vuxnav_export::manifest::DeltaStatus;

use crate::jobs::release;

use super::{ConfigArg, init_logging, load_config, open_store, print_table};

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write the release into (default `[release] folder`, `<data_dir>/releases`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Publish even when a table's row count fell sharply against the previous release (the
    /// hold-back guard would keep it from being made latest).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    config: ConfigArg,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.config.as_deref())?;
    // Log lines would break up the progress bar: only when asked for with RUST_LOG.
    if config.log_filter.is_some() {
        init_logging(&config);
    }
    let store = open_store(&config).await?;
    let started = Instant::now();
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    let progress = {
        let bar = bar.clone();
        Arc::new(move |table: &'static str, rows: u64| bar.set_message(format!("{table}: {rows} rows")))
    };
    let summary = release::release(&config, &store, args.out.as_deref(), args.force, Some(progress)).await;
    bar.finish_and_clear();
    store.close().await.ok();
    let summary = summary?;

    let rows: Vec<Vec<String>> = summary
        .tables
        .iter()
        .map(|table| vec![table.name.to_owned(), table.rows.to_string(), table.bytes.to_string()])
        .collect();
    print_table(&["table", "rows", "bytes"], &rows);
    let folder = args.out.as_deref().unwrap_or(&config.release.folder).display().to_string();
    println!(
        "\nrelease {} in {folder}: {} bytes in all, {:.1} s",
        summary.release,
        summary.bytes,
        started.elapsed().as_secs_f64()
    );
    match &summary.delta {
        DeltaStatus::Written { base, upserts, deletes } => {
            println!("delta from {base}: {upserts} upserts, {deletes} deletions");
        }
        DeltaStatus::Omitted { reason } => println!("no delta: {reason}"),
    }
    for removed in &summary.removed {
        println!("removed by retention: {removed}");
    }
    Ok(match &summary.outcome {
        Outcome::Published { sequence, .. } => {
            println!("published as the latest release, sequence number {sequence}");
            ExitCode::SUCCESS
        }
        Outcome::HeldBack { falls } => {
            for fall in falls {
                println!(
                    "held back: {} fell from {} to {} rows ({:.0} % unexplained)",
                    fall.table,
                    fall.previous,
                    fall.current,
                    fall.share * 100.0
                );
            }
            println!("the release is not the latest; rerun with --force to publish it anyway");
            ExitCode::FAILURE
        }
    })
}
