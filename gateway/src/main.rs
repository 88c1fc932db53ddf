//! `vuxnav`: one binary with subcommands. Errors end the process with a message naming what
//! failed and a non-zero exit code; nothing here panics on bad input.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use futures::StreamExt as _;
use futures::stream::FuturesUnordered;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::net::TcpListener;
use vuxnav_connectors::config::ValidSource;
use vuxnav_connectors::runner::Runner;
use vuxnav_connectors::runner::{ReportOutcome, RunReport};
use vuxnav_gateway::app::App;
use vuxnav_gateway::config::{Config, DatabaseLocation};
use vuxnav_gateway::harvest;
use vuxnav_gateway::telemetry;
use vuxnav_schema::SourceId;
use vuxnav_simulator::upstream::Upstreams;
use vuxnav_simulator::{self as demo, Scale};
use vuxnav_store::Store;

/// mimalloc rather than the system allocator: rows are allocated by the database driver's
/// thread and freed by the runtime's, which glibc's malloc serialises on its arena locks (a
/// third of start-up went to `malloc_consolidate` and lock hand-offs; docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "vuxnav", version, about = "The adult-education gateway of the Stockholm region")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API from the configured store.
    Serve {
        /// The TOML config file; every key has a default and `VUXNAV_…` env vars override it.
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// Load a generated regional data set into an embedded SQLite store and serve it.
    Demo {
        /// Where the SQLite store lives.
        #[arg(long, default_value = "./vuxnav-data")]
        data_dir: PathBuf,
        /// The address to serve on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The seed of the generated data set.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// `regional`: Stockholm County, about 6,000 offerings; `national`: all of Sweden,
        /// about 300,000 (for benchmarks).
        #[arg(long, value_enum, default_value_t = DemoScale::Regional)]
        scale: DemoScale,
        /// Load the data and exit without serving.
        #[arg(long)]
        load_only: bool,
        /// Only serve the simulated municipal systems: write the `[[source]]` entries that
        /// harvest them to this file, then serve until stopped (for `vuxnav harvest` runs and
        /// the harvest benchmark).
        #[arg(long, value_name = "CONFIG_FILE", conflicts_with = "load_only")]
        upstreams_only: Option<PathBuf>,
    },
    /// Harvest sources now: the named ones, or every enabled source when none is named. Shows
    /// progress, then a summary table; exits non-zero if any run failed.
    Harvest {
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
        /// The TOML config file with the `[[source]]` entries.
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// Check a config file and report every problem at once.
    CheckConfig {
        #[arg(long, short)]
        config: Option<PathBuf>,
    },
    /// The GraphQL schema.
    Schema {
        #[command(subcommand)]
        command: SchemaCommand,
    },
}

#[derive(Subcommand)]
enum SchemaCommand {
    /// Print the schema in SDL.
    Print,
}

#[derive(Clone, Copy, ValueEnum)]
enum DemoScale {
    Regional,
    National,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { config } => {
            let config = load_config(config.as_deref())?;
            telemetry::init_logging(config.log_format);
            let started = Instant::now();
            let process_started = chrono::Utc::now();
            let store = open_store(&config).await?;
            harvest::recover_interrupted_runs(&store, process_started).await?;
            let runner = harvest::build_runner(&config, &store).await?;
            let app = App::start(&config, store, None).await?;
            let listener = bind(&app, &config, started).await?;
            app.serve_harvesting(listener, &config.read_model, runner).await?;
        }
        Command::Harvest { sources, dry_run, full, config } => {
            let mut config = load_config(config.as_deref())?;
            if full {
                config.harvest.full_every = std::time::Duration::ZERO;
            }
            // Log lines would break up the progress bar: only when asked for with RUST_LOG.
            if std::env::var_os("RUST_LOG").is_some() {
                telemetry::init_logging(config.log_format);
            }
            let chosen = harvest::select_sources(&config, &sources)?;
            if chosen.is_empty() {
                println!("no source to harvest: the configuration has no enabled [[source]] entry");
                return Ok(ExitCode::SUCCESS);
            }
            let ok = if dry_run {
                dry_run_sources(&config, &chosen).await?
            } else {
                harvest_sources(&config, &chosen).await?
            };
            return Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE });
        }
        Command::Demo { data_dir, listen, seed, scale, load_only, upstreams_only } => {
            let config = Config { data_dir: data_dir.clone(), listen, ..Config::default() };
            let config = Config { database: DatabaseLocation::Sqlite { path: sqlite_path(&data_dir) }, ..config };
            telemetry::init_logging(config.log_format);
            let store = open_store(&config).await?;
            let scale = match scale {
                DemoScale::Regional => Scale::Regional,
                DemoScale::National => Scale::National,
            };
            let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Stockholm).date_naive();
            let generated = tokio::task::spawn_blocking(move || demo::generate(seed, scale, today)).await?;
            // Every municipality's system, simulated on loopback in its real format, and a
            // source configured for each, as a municipal admin would.
            let upstreams = Upstreams::start(&generated).context("starting the simulated municipal systems")?;
            if let Some(path) = upstreams_only {
                std::fs::write(&path, upstreams.sources_toml(&generated, "0 0 3 * * *"))
                    .with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "serving {} simulated systems at {}; sources in {}",
                    generated.len(),
                    upstreams.base_url(),
                    path.display()
                );
                telemetry::shutdown_signal().await;
                return Ok(ExitCode::SUCCESS);
            }
            let config = Config { sources: demo_sources(&generated, &upstreams)?, ..config };
            let started = Instant::now();
            let runner = harvest::build_runner(&config, &store).await?;
            let ids: Vec<SourceId> = config.sources.iter().map(|source| source.id.clone()).collect();
            harvest_with_progress(&runner, &ids).await;
            if load_only {
                return Ok(ExitCode::SUCCESS);
            }
            let app = App::start(&config, store, None).await?;
            print_welcome(&config);
            let listener = bind(&app, &config, started).await?;
            app.serve_harvesting(listener, &config.read_model, runner).await?;
            drop(upstreams);
        }
        Command::CheckConfig { config } => {
            return Ok(match Config::load_with_process_env(config.as_deref()) {
                Ok(config) => {
                    println!(
                        "config is valid: serving on {}, store {}, {} source(s)",
                        config.listen,
                        config.database,
                        config.sources.len()
                    );
                    // Not a problem of the file: the variable may be set where it is served.
                    // Each such source's runs fail, naming the variable, until it is.
                    for (index, source) in config.sources.iter().enumerate() {
                        for (field, secret) in source.connector.secrets() {
                            if let Err(reason) = secret.resolve(|name| std::env::var(name).ok()) {
                                println!(
                                    "warning: source[{index}].connector.{field} (source `{}`): {reason}",
                                    source.id
                                );
                            }
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    eprintln!("{errors}");
                    eprintln!("{} problem(s) found", errors.len());
                    ExitCode::FAILURE
                }
            });
        }
        Command::Schema { command: SchemaCommand::Print } => print!("{}", vuxnav_gateway::graphql::sdl()),
    }
    Ok(ExitCode::SUCCESS)
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    Config::load_with_process_env(path).map_err(|errors| anyhow::anyhow!("the configuration has problems:\n{errors}"))
}

fn sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join(vuxnav_store::DATABASE_FILE)
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    if let DatabaseLocation::Sqlite { path } = &config.database
        && let Some(parent) = path.parent()
    {
        std::fs::create_dir_all(parent).with_context(|| format!("creating the data folder {}", parent.display()))?;
    }
    Ok(Store::connect(config.database.connection_url().expose()).await?)
}

async fn bind(app: &App, config: &Config, started: Instant) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(config.listen).await.with_context(|| format!("listening on {}", config.listen))?;
    tracing::info!(
        address = %config.listen,
        startup_ms = started.elapsed().as_millis() as u64,
        offerings = app.catalog.load().len(),
        "ready"
    );
    Ok(listener)
}

/// A progress bar over `len` sources on stderr (hidden when stderr is not a terminal).
fn progress(len: usize) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sources  {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
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
async fn harvest_with_progress(runner: &Runner, ids: &[SourceId]) -> bool {
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
    let failed = reports.iter().filter(|r| r.outcome != ReportOutcome::Succeeded).count();
    println!("\n{} source(s) harvested, {failed} failed", reports.len());
    failed == 0
}

fn outcome_text(outcome: ReportOutcome) -> &'static str {
    match outcome {
        ReportOutcome::Succeeded => "succeeded",
        ReportOutcome::Failed => "failed",
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
    let mut ok = true;
    println!("dry run: nothing is stored\n");
    for run in runs {
        let run = run?;
        let h = &run.harvest;
        let outcome = match &run.error {
            None => "would succeed".to_owned(),
            Some(error) => {
                ok = false;
                format!("would fail: {error}")
            }
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
        let groups = run.rejections_by_reason();
        if !groups.is_empty() {
            println!("  rejections by reason:");
            for (reason, entries) in groups {
                println!("    {reason} ({}):", entries.len());
                for (upstream_id, field) in entries.iter().take(10) {
                    println!("      {upstream_id} | {field}");
                }
                if entries.len() > 10 {
                    println!("      … and {} more", entries.len() - 10);
                }
            }
        }
        println!();
    }
    Ok(ok)
}

/// Prints `rows` under `header` with columns padded to their widest cell.
fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}", width = *width)).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    line(widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().iter().map(String::as_str).collect());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// One source per generated municipality, harvested from its simulated system every 15
/// minutes.
/// The demo's sources, read from the `[[source]]` entries an admin would write
/// ([`Upstreams::sources_toml`]), harvested every 15 minutes.
fn demo_sources(generated: &[demo::DemoSource], upstreams: &Upstreams) -> anyhow::Result<Vec<ValidSource>> {
    let text = upstreams.sources_toml(generated, "0 */15 * * * *");
    let file: toml::Table = toml::from_str(&text).context("the demo's sources")?;
    let entries = file.get("source").and_then(toml::Value::as_array).map_or(&[][..], Vec::as_slice);
    vuxnav_connectors::config::parse_sources(entries).map_err(|problems| {
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("the demo's sources have problems:\n{}", problems.join("\n"))
    })
}

fn print_welcome(config: &Config) {
    let base = format!("http://{}", config.listen);
    println!(
        "\nvuxnav demo: {sources} municipalities of Stockholm County\n\n  \
         GraphiQL:  {base}/graphql\n  \
         API:       POST {base}/graphql\n  \
         Health:    {base}/healthz  {base}/readyz  {base}/metrics\n\n\
         Try this query in GraphiQL:\n\n{SAMPLE_QUERY}\n",
        sources = config.region.municipalities().len()
    );
}

const SAMPLE_QUERY: &str = r#"{
  offerings(search: "svenska", filter: {municipalities: ["0126", "0127"]}, first: 5) {
    totalCount
    edges { node { course { title code schoolForm } municipality { name } start pace mode } }
    facets { schoolForm { value count } municipality { municipality { name } count } }
  }
}"#;
