//! The `vuxnav` command line: one file per command, and what the commands share (loading the
//! config, opening the store, binding the listener, progress bars and tables). `main.rs` only
//! parses the command line and calls [`run`].

mod check_config;
mod demo;
mod export;
mod harvest;
mod keys;
pub mod registry;
mod schema;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::net::TcpListener;
use vuxnav_store::Store;

use crate::app::App;
use crate::config::{Config, DatabaseLocation};
use crate::telemetry;

#[derive(Parser)]
#[command(name = "vuxnav", version, about = "The adult-education gateway of the Stockholm region")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the GraphQL API from the configured store.
    Serve(serve::Args),
    /// Load a generated regional data set into an embedded SQLite store and serve it.
    Demo(demo::Args),
    /// Harvest sources now: the named ones, or every enabled source when none is named. Shows
    /// progress, then a summary table; exits non-zero if any run failed.
    Harvest(harvest::Args),
    /// Write one open-data release of the store now (CSV, Excel, JSON Lines, JSON-LD, the
    /// DCAT catalogue, checksums and a delta), and make it the latest.
    Export(export::Args),
    /// Check a config file and report every problem at once.
    CheckConfig(check_config::Args),
    /// The region's registries: validation offers, guidance services, prices, occupation links.
    Registry {
        #[command(subcommand)]
        command: registry::Command,
    },
    /// API keys: create (the token is shown once), list, revoke.
    Keys {
        #[command(subcommand)]
        command: keys::Command,
    },
    /// The GraphQL schema.
    Schema {
        #[command(subcommand)]
        command: schema::Command,
    },
}

/// Runs one command. Errors end the process with a message naming what failed.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve::run(args).await,
        Command::Demo(args) => demo::run(args).await,
        Command::Harvest(args) => harvest::run(args).await,
        Command::Export(args) => export::run(args).await,
        Command::CheckConfig(args) => Ok(check_config::run(args)),
        Command::Registry { command } => registry::run(command).await,
        Command::Keys { command } => keys::run(command).await,
        Command::Schema { command } => Ok(schema::run(command)),
    }
}

/// The config file named by `--config` (every key has a default and `VUXNAV_…` variables
/// override it), read with the process environment.
#[derive(clap::Args)]
struct ConfigArg {
    /// The TOML config file; every key has a default and `VUXNAV_…` env vars override it.
    #[arg(long, short)]
    config: Option<PathBuf>,
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    Config::load_with_process_env(path).map_err(|errors| anyhow::anyhow!("the configuration has problems:\n{errors}"))
}

fn init_logging(config: &Config) {
    telemetry::init_logging(config.log_format, config.log_filter.as_deref());
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    if let DatabaseLocation::Sqlite { path } = &config.database
        && let Some(parent) = path.parent()
    {
        std::fs::create_dir_all(parent).with_context(|| format!("creating the data folder {}", parent.display()))?;
    }
    Ok(Store::connect(config.database.connection_url().expose()).await?)
}

async fn bind(app: &App, started: Instant) -> anyhow::Result<TcpListener> {
    let listen = app.config.listen;
    let listener = TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    tracing::info!(
        address = %listen,
        startup_ms = started.elapsed().as_millis() as u64,
        offerings = app.model().len(),
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
