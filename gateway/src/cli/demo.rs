//! `vuxnav demo`: simulate every municipality's course system on loopback in its real format,
//! configure a source for each as a municipal admin would, harvest them into an embedded SQLite
//! store and serve. The only command that uses the simulator.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use clap::ValueEnum;
use vuxnav_connectors::config::ValidSource;
use vuxnav_schema::SourceId;
use vuxnav_simulator::upstream::Upstreams;
use vuxnav_simulator::{DemoSource, Scale};
use vuxnav_store::{AuditContext, RegistryRows, Store};

use crate::app::{App, shutdown_signal};
use crate::config::{Config, DatabaseLocation, ReleaseConfig, SQLITE_FILE_NAME};
use crate::jobs::{harvest, release};
use vuxnav_export::Publisher;

use super::harvest::harvest_with_progress;
use super::{bind, init_logging, open_store};

#[derive(clap::Args)]
pub struct Args {
    /// Where the SQLite store lives.
    #[arg(long, default_value = "./vuxnav-data")]
    data_dir: PathBuf,
    /// The address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The seed of the generated data set.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// `regional`: Stockholm County, about 6,000 offerings; `national`: all of Sweden, about
    /// 300,000 (for benchmarks).
    #[arg(long, value_enum, default_value_t = DemoScale::Regional)]
    scale: DemoScale,
    /// Load the data and exit without serving.
    #[arg(long)]
    load_only: bool,
    /// Only serve the simulated municipal systems: write the `[[source]]` entries that harvest
    /// them to this file, then serve until stopped (for `vuxnav harvest` runs and the harvest
    /// benchmark).
    #[arg(long, value_name = "CONFIG_FILE", conflicts_with = "load_only")]
    upstreams_only: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DemoScale {
    Regional,
    National,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    // The process environment still sets what the flags do not (RUST_LOG, VUXNAV_…).
    let config = super::load_config(None)?;
    let database = DatabaseLocation::Sqlite { path: args.data_dir.join(SQLITE_FILE_NAME) };
    let mut config = Config { data_dir: args.data_dir.clone(), listen: args.listen, database, ..config };
    // Releases beside the demo's store, served by the demo, published by an example region
    // unless the environment names a publisher.
    let release = ReleaseConfig::defaults(&args.data_dir, args.listen);
    config.release.folder = release.folder;
    config.release.base_url = release.base_url;
    config.release.publisher.get_or_insert_with(|| Publisher {
        name: "vuxnav demo (an example region, not a real publisher)".to_owned(),
        org_number: "0000000000".to_owned(),
        kind: "LocalAuthority".to_owned(),
        contact_email: "opendata@vuxnav.example".to_owned(),
    });
    init_logging(&config);
    let store = open_store(&config).await?;
    let scale = match args.scale {
        DemoScale::Regional => Scale::Regional,
        DemoScale::National => Scale::National,
    };
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Stockholm).date_naive();
    let seed = args.seed;
    let generated = tokio::task::spawn_blocking(move || vuxnav_simulator::generate(seed, scale, today)).await?;
    // Every municipality's system, simulated on loopback in its real format, and a source
    // configured for each, as a municipal admin would.
    let upstreams = Upstreams::start(&generated).context("starting the simulated municipal systems")?;
    if let Some(path) = args.upstreams_only {
        std::fs::write(&path, upstreams.sources_toml(&generated, "0 0 3 * * *"))
            .with_context(|| format!("writing {}", path.display()))?;
        println!(
            "serving {} simulated systems at {}; sources in {}",
            generated.len(),
            upstreams.base_url(),
            path.display()
        );
        shutdown_signal().await;
        return Ok(ExitCode::SUCCESS);
    }
    let config = Config { sources: demo_sources(&generated, &upstreams)?, ..config };
    let started = Instant::now();
    let runner = harvest::build_runner(&config, &store).await?;
    let ids: Vec<SourceId> = config.sources.iter().map(|source| source.id.clone()).collect();
    harvest_with_progress(&runner, &ids).await;
    load_registries(&store, scale, today).await?;
    if args.load_only {
        return Ok(ExitCode::SUCCESS);
    }
    // A first open-data release of what was just harvested, so the demo serves one.
    if let Err(error) = release::release(&config, &store, None, false, None).await {
        tracing::warn!(error = format!("{error:#}"), "the demo's first release failed");
    }
    let app = App::start(&config, store, None).await?;
    print_welcome(&config);
    let listener = bind(&app, started).await?;
    app.serve(listener).await?;
    drop(upstreams);
    Ok(ExitCode::SUCCESS)
}

/// The demo's sources, read from the `[[source]]` entries an admin would write
/// ([`Upstreams::sources_toml`]), harvested every 15 minutes.
/// Imports the demo's registries (`vuxnav_simulator::registries`: guidance, validation,
/// occupation links, an illustrative price list and an illustrative labour-market outlook), one
/// import per registry.
async fn load_registries(store: &Store, scale: Scale, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let registries = vuxnav_simulator::registries(scale, today).context("generating the demo's registries")?;
    for rows in RegistryRows::every(registries) {
        store
            .import_registry(&rows, false, &AuditContext::cli(), "vuxnav demo")
            .await
            .context("importing the demo's registries")?;
    }
    Ok(())
}

fn demo_sources(generated: &[DemoSource], upstreams: &Upstreams) -> anyhow::Result<Vec<ValidSource>> {
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
         Open data: {base}/latest.json  {base}/datasets/dcat\n  \
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
