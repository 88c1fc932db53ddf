//! `vuxnav registry`: bulk work on the region's registries from the command line.
//! `vuxnav registry import KIND FILE [--dry-run]` reads a CSV or JSON file (`file`), reports
//! every problem with its row and column, and writes the rows in one transaction only when
//! there is none; a dry run checks everything, against the stored registry too, and writes
//! nothing. `vuxnav registry export KIND [--format csv|json]` writes the stored registry as
//! exactly the file the import reads, by key.

pub mod columns;
pub mod file;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use vuxnav_schema::Taxonomy;
use vuxnav_store::{AuditContext, RegistryRows};

use self::file::{Context, Format, RegistryKind};
use super::{ConfigArg, load_config, open_store};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Import one registry from a CSV or JSON file (by its extension): every row is validated
    /// and every problem named by row and column; all rows are written, or none.
    Import(ImportArgs),
    /// Write one registry as the CSV or JSON file the import reads, to standard output or a
    /// file.
    Export(ExportArgs),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Which registry to write.
    #[arg(value_enum)]
    kind: RegistryKind,
    #[arg(long, value_enum, default_value = "csv")]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    config: ConfigArg,
}

/// The format `registry export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
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
        Command::Export(args) => export(args).await,
    }
}

async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.config.as_deref())?;
    let taxonomy = Taxonomy::pinned().context("loading the pinned occupation taxonomy")?;
    let store = open_store(&config).await?;
    let registries = store.registries(taxonomy).await;
    store.close().await.ok();
    let registries = registries.context("reading the registries")?;
    let rows = match args.kind {
        RegistryKind::OccupationLinks => RegistryRows::OccupationLinks(registries.occupation_links),
        RegistryKind::ValidationOffers => RegistryRows::ValidationOffers(registries.validation_offers),
        RegistryKind::GuidanceServices => RegistryRows::GuidanceServices(registries.guidance_services),
        RegistryKind::Prices => RegistryRows::Prices(registries.prices.entries().to_vec()),
    };
    let bytes = match args.format {
        ExportFormat::Csv => file::to_csv(&rows).context("writing CSV")?,
        ExportFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(&file::to_json(&rows)).context("writing JSON")?;
            bytes.push(b'\n');
            bytes
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?,
        None => {
            std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes).context("writing to standard output")?
        }
    }
    Ok(ExitCode::SUCCESS)
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
    let from = path.display().to_string();
    let outcome = store.import_registry(&rows, args.dry_run, &AuditContext::cli(), &from).await;
    store.close().await.ok();
    let outcome =
        outcome.map_err(|e| anyhow::Error::new(e).context(format!("{}: nothing was imported", path.display())))?;
    let verb = if args.dry_run { "dry run, nothing written: would import" } else { "imported" };
    println!("{verb} {} new and {} updated row(s) from {}", outcome.new, outcome.updated, path.display());
    Ok(ExitCode::SUCCESS)
}
