//! `vuxnav`: one binary with subcommands (`gateway/src/cli/`). Errors end the process with a
//! message naming what failed and a non-zero exit code; nothing here panics on bad input.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use vuxnav_gateway::cli::{self, Cli};

/// mimalloc rather than the system allocator: rows are allocated by the database driver's
/// thread and freed by the runtime's, which glibc's malloc serialises on its arena locks (a
/// third of start-up went to `malloc_consolidate` and lock hand-offs; docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(cli::run(cli.command)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    };
    // Work abandoned at a shutdown deadline may still hold a blocking thread: do not wait on it.
    runtime.shutdown_timeout(Duration::from_secs(1));
    code
}
