//! `vuxnav schema print [--admin]`: the public GraphQL schema, or the admin API's, in SDL.

use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the schema in SDL.
    Print {
        /// The admin API's schema (`/admin/graphql`) instead of the public one.
        #[arg(long)]
        admin: bool,
    },
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Print { admin: false } => print!("{}", crate::graphql::sdl()),
        Command::Print { admin: true } => print!("{}", crate::graphql::admin::admin_sdl()),
    }
    ExitCode::SUCCESS
}
