//! `vuxnav schema print`: the public GraphQL schema in SDL.

use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the schema in SDL.
    Print,
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Print => print!("{}", crate::graphql::sdl()),
    }
    ExitCode::SUCCESS
}
