//! `vuxnav`: one binary with subcommands. Errors end the process with a message naming what
//! failed and a non-zero exit code; nothing here panics on bad input.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use tokio::net::TcpListener;
use vuxnav_gateway::app::App;
use vuxnav_gateway::config::{Config, DatabaseLocation};
use vuxnav_gateway::demo::{self, Scale};
use vuxnav_gateway::telemetry;
use vuxnav_store::Store;

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
            let store = open_store(&config).await?;
            let app = App::start(&config, store, None).await?;
            serve(app, &config, started).await?;
        }
        Command::Demo { data_dir, listen, seed, scale, load_only } => {
            let config = Config { data_dir: data_dir.clone(), listen, ..Config::default() };
            let config = Config { database: DatabaseLocation::Sqlite { path: sqlite_path(&data_dir) }, ..config };
            telemetry::init_logging(config.log_format);
            let store = open_store(&config).await?;
            let scale = match scale {
                DemoScale::Regional => Scale::Regional,
                DemoScale::National => Scale::National,
            };
            load_demo(&store, seed, scale).await?;
            if load_only {
                return Ok(ExitCode::SUCCESS);
            }
            let started = Instant::now();
            let app = App::start(&config, store, None).await?;
            print_welcome(&config);
            serve(app, &config, started).await?;
        }
        Command::CheckConfig { config } => {
            return Ok(match Config::load_with_process_env(config.as_deref()) {
                Ok(config) => {
                    println!("config is valid: serving on {}, store {}", config.listen, config.database);
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

async fn serve(app: App, config: &Config, started: Instant) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.listen).await.with_context(|| format!("listening on {}", config.listen))?;
    tracing::info!(
        address = %config.listen,
        startup_ms = started.elapsed().as_millis() as u64,
        offerings = app.catalog.load().len(),
        "ready"
    );
    app.serve(listener, &config.read_model).await
}

/// Loads a generated data set as if each municipality's source had just been harvested.
async fn load_demo(store: &Store, seed: u64, scale: Scale) -> anyhow::Result<()> {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Stockholm).date_naive();
    demo::load(store, seed, scale, today, chrono::Utc::now()).await.context("loading the demo data")?;
    Ok(())
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
