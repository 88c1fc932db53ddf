//! `vuxnav keys` as an operator runs it: the first region-admin key from the command line, its
//! token shown once and stored only as a hash, the list that never shows a token, revocation,
//! and bad input named flag by flag.

use std::path::PathBuf;
use std::process::Output;

use vuxnav_gateway::auth::Token;
use vuxnav_store::{AuditQuery, Store};

/// A data folder and a config file pointing at it, for one test.
struct Operator {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Operator {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = dir.path().join("vuxnav.toml");
        let toml = format!("data_dir = {:?}\n", dir.path().join("data").display().to_string());
        std::fs::write(&config, toml).expect("the config is written");
        Self { dir, config }
    }

    fn keys(&self, args: &[&str]) -> Output {
        let config = self.config.to_str().expect("a UTF-8 path");
        let mut all = vec!["keys"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--config", config]);
        vuxnav_tests::vuxnav(env!("CARGO_BIN_EXE_vuxnav"), &all).output().expect("vuxnav runs")
    }

    async fn store(&self) -> Store {
        Store::open_in(&self.dir.path().join("data")).await.expect("the store opens")
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The token line of `keys create`.
fn token(output: &Output) -> String {
    let out = stdout(output);
    out.lines()
        .find_map(|line| line.strip_prefix("token (shown once, store it now): "))
        .unwrap_or_else(|| panic!("no token line in:\n{out}"))
        .to_owned()
}

#[tokio::test]
async fn the_first_region_admin_key_comes_from_the_command_line_and_only_its_hash_is_stored() {
    let operator = Operator::new();

    let created = operator.keys(&["create", "--role", "region_admin", "--name", "operator"]);

    assert!(created.status.success(), "stderr:\n{}", stderr(&created));
    let token = token(&created);
    let parsed = Token::parse(&token).expect("the printed token is well-formed");
    let store = operator.store().await;
    let key = store.api_key_by_hash(&parsed.hash()).await.expect("a lookup").expect("found by the token's hash");
    assert_eq!(key.name, "operator");
    assert_eq!(key.role, vuxnav_schema::Role::RegionAdmin);
    let database = std::fs::read(operator.dir.path().join("data").join("vuxnav.db")).expect("the database file");
    let secret = &token.as_bytes()[3..35];
    assert!(!database.windows(secret.len()).any(|window| window == secret), "the token is not in the database");
    let events = store.audit_events(&AuditQuery { first: 10, ..AuditQuery::default() }).await.expect("the log");
    assert_eq!(events[0].action, "key.create");
    assert_eq!(events[0].actor.name, "command line");
}

#[tokio::test]
async fn keys_list_shows_every_key_without_its_token_and_revoke_marks_it_revoked() {
    let operator = Operator::new();
    let created =
        operator.keys(&["create", "--role", "municipal_admin", "--name", "huddinge-admin", "--municipality", "0126"]);
    assert!(created.status.success(), "stderr:\n{}", stderr(&created));
    let token = token(&created);

    let listed = operator.keys(&["list"]);
    let revoked = operator.keys(&["revoke", "1"]);
    let after = operator.keys(&["list"]);

    let list = stdout(&listed);
    assert!(list.contains("huddinge-admin") && list.contains("0126") && list.contains("active"), "{list}");
    assert!(!list.contains(&token[3..]), "the list never shows a token:\n{list}");
    assert!(list.contains(&token[..7]), "the list shows the token's hint:\n{list}");
    assert!(revoked.status.success(), "stderr:\n{}", stderr(&revoked));
    assert!(stdout(&after).contains("revoked"), "{}", stdout(&after));
    let key = operator.store().await.api_key_by_hash(&Token::parse(&token).expect("a token").hash()).await;
    assert!(key.expect("a lookup").expect("the key").revoked_at.is_some());
}

#[test]
fn a_key_request_with_problems_names_each_flag_and_creates_nothing() {
    let operator = Operator::new();

    let no_municipality = operator.keys(&["create", "--role", "municipal_admin", "--name", " "]);
    let outside = operator.keys(&[
        "create",
        "--role",
        "municipal_admin",
        "--name",
        "x",
        "--municipality",
        "1280",
        "--expires",
        "2001-01-01",
    ]);
    let bad_role = operator.keys(&["create", "--role", "owner", "--name", "x"]);
    let bad_date = operator.keys(&["create", "--role", "partner", "--name", "x", "--expires", "tomorrow"]);
    let unknown = operator.keys(&["revoke", "42"]);

    let errors = stderr(&no_municipality);
    assert!(!no_municipality.status.success());
    assert!(errors.contains("--name") && errors.contains("--municipality"), "{errors}");
    let errors = stderr(&outside);
    assert!(errors.contains("1280 is not a municipality of the region") && errors.contains("--expires"), "{errors}");
    assert!(stderr(&bad_role).contains("--role"), "{}", stderr(&bad_role));
    assert!(stderr(&bad_date).contains("--expires"), "{}", stderr(&bad_date));
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("no key has the id 42"), "{}", stderr(&unknown));
    assert!(stdout(&operator.keys(&["list"])).contains("no keys"), "nothing was created");
}
