//! `vuxnav registry`: bulk work on the region's registries from the command line.
//! `vuxnav registry import KIND FILE [--dry-run]` reads a CSV or JSON file (`file`), reports
//! every problem with its row and column, and writes the rows in one transaction only when
//! there is none; a dry run checks everything, against the stored registry too, and writes
//! nothing.

pub mod file;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use vuxnav_schema::Taxonomy;

use self::file::{Context, Format, RegistryKind};
use super::{ConfigArg, load_config, open_store};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import one registry from a CSV or JSON file (by its extension): every row is validated
    /// and every problem named by row and column; all rows are written, or none.
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Which registry the file holds.
    #[arg(value_enum)]
    kind: RegistryKind,
    /// The file, `.csv` or `.json`.
    file: PathBuf,
    /// Check the file against the stored registry without writing anything.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    config: ConfigArg,
}

pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import(args) => import(args).await,
    }
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.config.as_deref())?;
    let taxonomy = Taxonomy::pinned().context("loading the pinned occupation taxonomy")?;
    let path = &args.file;
    let format = Format::of(path)
        .with_context(|| format!("{}: the file name ends in neither .csv nor .json", path.display()))?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let rows = match file::read(args.kind, format, &bytes, Context { region: &config.region, taxonomy }) {
        Ok(rows) => rows,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{}: {problem}", path.display());
            }
            eprintln!("{} problem(s) found; nothing was imported", problems.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    let store = open_store(&config).await?;
    let outcome = store.import_registry(&rows, args.dry_run).await;
    store.close().await.ok();
    let outcome =
        outcome.map_err(|e| anyhow::Error::new(e).context(format!("{}: nothing was imported", path.display())))?;
    let verb = if args.dry_run { "dry run, nothing written: would import" } else { "imported" };
    println!("{verb} {} new and {} updated row(s) from {}", outcome.new, outcome.updated, path.display());
    Ok(ExitCode::SUCCESS)
}
