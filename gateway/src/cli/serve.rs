//! `vuxnav serve`: serve the configured store and harvest the configured sources on schedule.

use std::process::ExitCode;
use std::time::Instant;

use crate::app::App;
use crate::jobs::harvest;

use super::{ConfigArg, bind, init_logging, load_config, open_store};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = load_config(args.config.config.as_deref())?;
    init_logging(&config);
    let started = Instant::now();
    let process_started = chrono::Utc::now();
    let store = open_store(&config).await?;
    harvest::recover_interrupted_runs(&store, process_started).await?;
    let app = App::start(&config, store, None).await?;
    let listener = bind(&app, started).await?;
    app.serve(listener).await?;
    Ok(ExitCode::SUCCESS)
}
