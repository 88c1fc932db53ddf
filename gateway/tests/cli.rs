//! The `vuxnav` binary as an operator runs it: each test starts the real executable with
//! `std::process::Command`, in a clean environment (no `VUXNAV_` variables), and bounds how
//! long it may run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

/// How long any one run of the binary may take before the test kills it and fails.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Runs `command` to its end; kills it and fails the test when it runs past [`TIME_LIMIT`].
fn run(mut command: Command) -> Output {
    let child = command.spawn().expect("the vuxnav binary starts");
    let pid = child.id();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(TIME_LIMIT) {
        Ok(output) => output.expect("waiting for vuxnav"),
        Err(_) => {
            // Still running: end it (by its id, as `wait_with_output` holds the `Child`), then
            // fail with what it printed.
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            let output = receiver.recv().ok().and_then(Result::ok);
            let stderr = output.map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_default();
            panic!("vuxnav ran for more than {TIME_LIMIT:?} and was killed; stderr:\n{stderr}");
        }
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A config file in a temporary folder that lives as long as the value.
struct ConfigFile {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl ConfigFile {
    fn new(toml: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("vuxnav.toml");
        std::fs::write(&path, toml).expect("the config file is written");
        Self { dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("a UTF-8 temporary path")
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }
}

#[test]
fn schema_print_prints_sdl_with_type_query_and_offerings() {
    let output = run(vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["schema", "print"]));
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, stderr(&output));
    let sdl = stdout(&output);
    let roots: Vec<&str> = sdl.lines().filter(|line| line.trim_start().starts_with("query:")).collect();
    assert!(
        sdl.lines().any(|line| line.trim() == "type Query {"),
        "the SDL has no `type Query {{`; its schema says {roots:?}"
    );
    assert!(sdl.contains("offerings("), "no `offerings(` in the SDL:\n{sdl}");
}

#[test]
fn schema_print_admin_prints_the_admin_schema_with_its_mutations() {
    let output = run(vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["schema", "print", "--admin"]));
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, stderr(&output));
    let sdl = stdout(&output);
    for field in ["createSource(", "dryRunSource(", "auditLog(", "revokeKey("] {
        assert!(sdl.contains(field), "no `{field}` in the admin SDL:\n{sdl}");
    }
    assert!(!sdl.contains("offerings("), "the admin SDL holds the public schema:\n{sdl}");
}

#[test]
fn check_config_accepts_a_valid_file() {
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let config = ConfigFile::new(&format!(
        "listen = \"127.0.0.1:0\"\ndata_dir = {:?}\n\n[region]\nmunicipalities = [\"0180\", \"0126\"]\n\n\
         [read_model]\nrefresh = \"0 0 3 * * *\"\n",
        data_dir.path().display().to_string()
    ));
    let output = run(vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["check-config", "--config", config.path()]));
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, stderr(&output));
}

#[test]
fn check_config_accepts_the_shipped_example() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/vuxnav.example.toml");
    let output = run(vuxnav_tests::vuxnav(
        env!("CARGO_BIN_EXE_vuxnav"),
        &["check-config", "--config", example.to_str().expect("a UTF-8 path")],
    ));
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, stderr(&output));
}

#[test]
fn check_config_warns_of_a_secret_whose_variable_is_not_set_without_failing_the_file() {
    let config = ConfigFile::new(
        "[[source]]\nid = \"solna-ss12000\"\nmunicipality = \"0184\"\nschedule = \"0 0 3 * * *\"\n\n\
         [source.connector]\nkind = \"ss12000\"\nbase_url = \"https://ss12000.solna.example/v2\"\n\
         token_env = \"VUXNAV_TEST_UNSET_SS12000_TOKEN\"\n",
    );
    let output = run(vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["check-config", "--config", config.path()]));
    let stdout = stdout(&output);
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, stderr(&output));
    assert!(
        stdout.contains("warning: source[0].connector.token_env (source `solna-ss12000`)")
            && stdout.contains("`VUXNAV_TEST_UNSET_SS12000_TOKEN`"),
        "{stdout}"
    );
}

#[test]
fn check_config_reports_an_unknown_key_a_bad_cron_and_a_bad_kommunkod_in_one_run() {
    let config = ConfigFile::new(
        "listne = \"127.0.0.1:8080\"\n\n[region]\nmunicipalities = [\"0114\", \"9999\"]\n\n\
         [read_model]\nrefresh = \"every night\"\n",
    );
    let output = run(vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["check-config", "--config", config.path()]));
    let stderr = stderr(&output);
    assert!(!output.status.success(), "a bad file was accepted:\n{}", stdout(&output));
    for problem in ["listne", "read_model.refresh", "every night", "region.municipalities[1]", "9999"] {
        assert!(stderr.contains(problem), "the report does not name `{problem}`:\n{stderr}");
    }
    assert!(stderr.contains("3 problem"), "the report should count three problems:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn serve_with_an_unreachable_database_fails_naming_it_without_its_password() {
    let config =
        ConfigFile::new("listen = \"127.0.0.1:0\"\ndatabase_url = \"postgres://vuxnav:secret@127.0.0.1:1/none\"\n");
    let mut command = vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["serve", "--config", config.path()]);
    command.current_dir(config.dir());
    let output = run(command);
    let (stdout, stderr) = (stdout(&output), stderr(&output));
    assert!(!output.status.success(), "serve started without its database; stderr:\n{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "the error does not name the database's host and port:\n{stderr}");
    assert!(!stderr.contains("secret") && !stdout.contains("secret"), "the password is printed:\n{stderr}{stdout}");
    assert!(!stderr.contains("panicked"), "serve panicked:\n{stderr}");
}

#[test]
fn demo_load_only_creates_the_database_and_exits() {
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let path = data_dir.path().to_str().expect("a UTF-8 temporary path");
    let output = run(vuxnav_tests::vuxnav(
        env!("CARGO_BIN_EXE_vuxnav"),
        &["demo", "--data-dir", path, "--listen", "127.0.0.1:0", "--load-only"],
    ));
    assert!(output.status.success(), "exit {}; stderr:\n{}", output.status, stderr(&output));
    let database = data_dir.path().join("vuxnav.db");
    let size = std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0, "{} was not created (stderr:\n{})", database.display(), stderr(&output));
}

#[test]
fn export_writes_a_release_of_the_demo_and_a_second_one_with_a_delta() {
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let path = data_dir.path().to_str().expect("a UTF-8 temporary path");
    let load = vuxnav_tests::vuxnav(
        env!("CARGO_BIN_EXE_vuxnav"),
        &["demo", "--data-dir", path, "--listen", "127.0.0.1:0", "--load-only"],
    );
    assert!(run(load).status.success());
    let export = || {
        let mut command = vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["export"]);
        command
            .env("VUXNAV_DATA_DIR", path)
            .env("VUXNAV_RELEASE__PUBLISHER__NAME", "Exempelregionen")
            .env("VUXNAV_RELEASE__PUBLISHER__ORG_NUMBER", "222000-0315")
            .env("VUXNAV_RELEASE__PUBLISHER__CONTACT_EMAIL", "opendata@vuxnav.example");
        run(command)
    };

    let first = export();
    let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(first.status.success(), "exit {}; stderr:\n{}", first.status, stderr(&first));
    assert!(
        stdout.contains("offerings") && stdout.contains("published as the latest release, sequence number 1"),
        "{stdout}"
    );
    assert!(stdout.contains("no delta"), "{stdout}");
    let second = export();
    let stdout = String::from_utf8_lossy(&second.stdout).into_owned();
    assert!(stdout.contains("sequence number 2") && stdout.contains("delta from"), "{stdout}");
    assert!(data_dir.path().join("releases/latest.json").is_file());
}

#[test]
fn export_without_a_publisher_refuses_naming_the_key() {
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let path = data_dir.path().to_str().expect("a UTF-8 temporary path");
    let mut command = vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &["export"]);
    command.env("VUXNAV_DATA_DIR", path);
    let output = run(command);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("release.publisher"), "{}", stderr(&output));
    assert!(!data_dir.path().join("releases/latest.json").exists());
}
