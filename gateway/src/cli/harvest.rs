//! `vuxnav harvest`: harvest sources now with a progress bar and a summary table, show what a
//! harvest would store (`--dry-run`), or accept what a source has now after the harvest guard
//! held a run of it (`--accept SOURCE`).

use std::process::ExitCode;

use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use vuxnav_connectors::config::ValidSource;
use vuxnav_connectors::runner::{ReportOutcome, RunReport, Runner};
use vuxnav_schema::SourceId;

use crate::config::Config;
use crate::jobs::harvest::{self, DryRun};

use super::{ConfigArg, init_logging, load_config, open_store, print_table, progress};

#[derive(clap::Args)]
pub struct Args {
    /// Ids of configured sources (`[[source]]` entries); every enabled source when none.
    sources: Vec<String>,
    /// Fetch and normalise, store nothing: show counts, sample records and rejections.
    #[arg(long)]
    dry_run: bool,
    /// Read everything, also from kinds that could ask for only what changed, and withdraw
    /// what disappeared (otherwise such kinds run incrementally between full runs
    /// `[harvest] full_every_hours` apart).
    #[arg(long, conflicts_with = "dry_run")]
    full: bool,
    /// Accept what the source has now, although the harvest guard held its last run: read it
    /// in full and store it unguarded (repeat for more sources). Read why it was held first
    /// (`sources { heldReason }` or the run history).
    #[arg(long, value_name = "SOURCE", conflicts_with_all = ["dry_run", "full"])]
    accept: Vec<String>,
    #[command(flatten)]
    config: ConfigArg,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.config.as_deref())?;
    if args.full {
        config.harvest.full_every = std::time::Duration::ZERO;
    }
    // Log lines would break up the progress bar: only when asked for with RUST_LOG.
    if config.log_filter.is_some() {
        init_logging(&config);
    }
    if !args.accept.is_empty() {
        let chosen = harvest::select_sources(&config, &args.accept)?;
        let store = open_store(&config).await?;
        let runner = harvest::build_runner(&config, &store).await?;
        let mut reports = Vec::with_capacity(chosen.len());
        for source in chosen {
            reports.push(harvest::accept(&runner, &source.id).await);
        }
        print_reports(&reports);
        store.close().await.ok();
        let ok = reports.iter().all(|r| r.outcome == ReportOutcome::Succeeded);
        return Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let chosen = harvest::select_sources(&config, &args.sources)?;
    if chosen.is_empty() {
        println!("no source to harvest: the configuration has no enabled [[source]] entry");
        return Ok(ExitCode::SUCCESS);
    }
    let ok =
        if args.dry_run { dry_run_sources(&config, &chosen).await? } else { harvest_sources(&config, &chosen).await? };
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Harvests `chosen` into the store now, concurrently up to `[harvest] concurrency`, and prints
/// a summary table. True when every run succeeded.
async fn harvest_sources(config: &Config, chosen: &[&ValidSource]) -> anyhow::Result<bool> {
    let store = open_store(config).await?;
    let runner = harvest::build_runner(config, &store).await?;
    let ids: Vec<SourceId> = chosen.iter().map(|source| source.id.clone()).collect();
    let ok = harvest_with_progress(&runner, &ids).await;
    store.close().await.ok();
    Ok(ok)
}

/// Runs the sources now with a progress bar, prints a summary table, and says whether every
/// run succeeded.
pub(super) async fn harvest_with_progress(runner: &Runner, ids: &[SourceId]) -> bool {
    let bar = progress(ids.len());
    bar.set_message("harvesting");
    let mut runs: FuturesUnordered<_> = ids
        .iter()
        .enumerate()
        .map(|(index, id)| async move { (index, runner.run_now(std::slice::from_ref(id)).await) })
        .collect();
    let mut reports: Vec<Option<RunReport>> = vec![None; ids.len()];
    while let Some((index, mut report)) = runs.next().await {
        if let Some(report) = report.pop() {
            bar.set_message(format!("{} {}", report.source, outcome_text(report.outcome)));
            reports[index] = Some(report);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let reports: Vec<RunReport> = reports.into_iter().flatten().collect();
    print_reports(&reports);
    let failed =
        reports.iter().filter(|r| !matches!(r.outcome, ReportOutcome::Succeeded | ReportOutcome::Held)).count();
    let held: Vec<&str> =
        reports.iter().filter(|r| r.outcome == ReportOutcome::Held).map(|r| r.source.as_str()).collect();
    println!("\n{} source(s) harvested, {failed} failed, {} held", reports.len(), held.len());
    if !held.is_empty() {
        println!(
            "a held run stored nothing: read its error, and if the change is real, run `vuxnav harvest --accept {}`",
            held.join(" --accept ")
        );
    }
    failed == 0 && held.is_empty()
}

fn print_reports(reports: &[RunReport]) {
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            let c = r.counts;
            vec![
                r.source.to_string(),
                outcome_text(r.outcome).to_owned(),
                if r.full { "full" } else { "incremental" }.to_owned(),
                c.fetched.to_string(),
                c.new.to_string(),
                c.changed.to_string(),
                c.unchanged.to_string(),
                c.withdrawn.to_string(),
                c.rejected.to_string(),
                format!("{:.1} s", r.duration.as_secs_f64()),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_table(
        &[
            "source",
            "outcome",
            "run",
            "fetched",
            "new",
            "changed",
            "unchanged",
            "withdrawn",
            "rejected",
            "duration",
            "error",
        ],
        &rows,
    );
}

fn outcome_text(outcome: ReportOutcome) -> &'static str {
    match outcome {
        ReportOutcome::Succeeded => "succeeded",
        ReportOutcome::Failed => "failed",
        ReportOutcome::Held => "held",
        ReportOutcome::Skipped => "skipped",
    }
}

/// Reads `chosen` as a harvest would and prints what it found; stores nothing. True when every
/// source could be read completely.
async fn dry_run_sources(config: &Config, chosen: &[&ValidSource]) -> anyhow::Result<bool> {
    let bar = progress(chosen.len());
    bar.set_message("reading (dry run)");
    let runs = futures::stream::iter(chosen.iter().map(|source| {
        let bar = bar.clone();
        async move {
            let run = harvest::dry_run(config, source).await;
            bar.inc(1);
            run
        }
    }))
    .buffered(config.harvest.concurrency.max(1))
    .collect::<Vec<_>>()
    .await;
    bar.finish_and_clear();
    println!("dry run: nothing is stored\n");
    let mut ok = true;
    for run in runs {
        let run = run?;
        ok &= run.error.is_none();
        print_dry_run(&run);
    }
    Ok(ok)
}

fn print_dry_run(run: &DryRun) {
    let h = &run.harvest;
    let outcome = match &run.error {
        None => "would succeed".to_owned(),
        Some(error) => format!("would fail: {error}"),
    };
    println!("{}: {outcome} ({:.1} s)", run.source, run.duration.as_secs_f64());
    println!(
        "  fetched {}, offerings {}, courses {}, providers {}, withdrawn {}, rejected {}",
        h.fetched,
        h.catalogue.offerings.len(),
        h.catalogue.courses.len(),
        h.catalogue.providers.len(),
        h.withdrawn.len(),
        h.rejections.len()
    );
    let samples = run.samples(5);
    if !samples.is_empty() {
        println!("  sample records:");
        for (title, start, municipality) in samples {
            let start = start.map_or_else(|| "no start date".to_owned(), |d| d.to_string());
            println!("    {title} | {start} | {municipality}");
        }
    }
    let groups = run.rejections_by_field();
    if !groups.is_empty() {
        println!("  rejections by field and reason:");
        for group in groups {
            println!("    {} | {} ({}):", group.field, group.reason, group.records.len());
            for (upstream_id, value) in group.records.iter().take(10) {
                match value {
                    Some(value) => println!("      {upstream_id} read `{value}`"),
                    None => println!("      {upstream_id}"),
                }
            }
            if group.records.len() > 10 {
                println!("      … and {} more", group.records.len() - 10);
            }
        }
    }
    println!();
}
