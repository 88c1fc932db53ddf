//! `vuxnav check-config`: report every problem of a config file at once, and warn of each
//! secret a source names whose variable is not set.

use std::process::ExitCode;

use crate::config::Config;

use super::ConfigArg;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    config: ConfigArg,
}

pub fn run(args: Args) -> ExitCode {
    match Config::load_with_process_env(args.config.config.as_deref()) {
        Ok(config) => {
            println!(
                "config is valid: serving on {}, store {}, {} source(s)",
                config.listen,
                config.database,
                config.sources.len()
            );
            // Not a problem of the file: the variable may be set where it is served. Each such
            // source's runs fail, naming the variable, until it is.
            for (index, source) in config.sources.iter().enumerate() {
                for (field, secret) in source.connector.secrets() {
                    if let Err(reason) = secret.resolve(|name| config.environment.get(name)) {
                        println!("warning: source[{index}].connector.{field} (source `{}`): {reason}", source.id);
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
    }
}
