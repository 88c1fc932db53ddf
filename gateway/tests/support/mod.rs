//! Helpers shared by several test files: the regional demo set and the `vuxnav` binary in a
//! clean environment. Each test file uses only some of them.
#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::sync::OnceLock;

use chrono::NaiveDate;
use vuxnav_simulator::{DemoSource, Scale, generate};

/// The date the regional demo set is generated for, and the API's "today" over it.
pub fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 20).expect("a date")
}

/// The regional demo set (the 26 municipalities of Stockholm County), generated once per test
/// binary.
pub fn regional() -> &'static [DemoSource] {
    static SOURCES: OnceLock<Vec<DemoSource>> = OnceLock::new();
    SOURCES.get_or_init(|| generate(7, Scale::Regional, demo_today()))
}

/// The binary, with no `VUXNAV_` variable of the test's environment (they would override the
/// files the tests write) and no colours in its logs; stdout and stderr piped.
pub fn vuxnav(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vuxnav"));
    command.args(args).env("NO_COLOR", "1").stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("VUXNAV_") {
            command.env_remove(name);
        }
    }
    command
}
