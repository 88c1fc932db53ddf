//! `vuxnav keys`: API keys from the command line: the first region-admin key comes from here.
//!
//! ```text
//! vuxnav keys create --role region_admin --name operator
//! vuxnav keys create --role municipal_admin --name huddinge-admin --municipality 0126 --expires 2027-06-30
//! vuxnav keys list
//! vuxnav keys revoke 3
//! ```
//!
//! Every command works on the configured store and is audited with the actor `command line`.

use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use chrono_tz::Europe::Stockholm;
use vuxnav_schema::{MunicipalityCode, Role};
use vuxnav_store::{ApiKey, AuditContext, KeyId};

use super::{ConfigArg, load_config, open_store, print_table};
use crate::auth::{IssueError, KeyRequest, issue_key};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a key and print its token once: it is stored only as a hash.
    Create(CreateArgs),
    /// List every key (never their tokens).
    List(ListArgs),
    /// Revoke a key by its id: it is refused from then on (by a running server within seconds).
    Revoke(RevokeArgs),
}

#[derive(clap::Args)]
pub struct CreateArgs {
    /// `partner`, `municipal_admin` or `region_admin`.
    #[arg(long)]
    role: String,
    /// A name that says whose key it is, such as `huddinge-admin`.
    #[arg(long)]
    name: String,
    /// A kommunkod the key acts for (a municipal admin's key names at least one); repeat for
    /// several.
    #[arg(long = "municipality")]
    municipalities: Vec<String>,
    /// The key stops working at the start of this date in Europe/Stockholm (`2027-06-30`), or
    /// at this instant (RFC 3339). Default: never.
    #[arg(long)]
    expires: Option<String>,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(clap::Args)]
pub struct RevokeArgs {
    /// The key's id, as `vuxnav keys list` shows it.
    id: i64,
    #[command(flatten)]
    config: ConfigArg,
}

pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Create(CreateArgs { role, name, municipalities, expires, config }) => {
            let config = load_config(config.config.as_deref())?;
            let role = Role::parse(&role).map_err(|error| anyhow::anyhow!("--role: {}", error.reason))?;
            let municipalities = municipalities
                .iter()
                .map(|code| {
                    MunicipalityCode::parse(code).map_err(|error| anyhow::anyhow!("--municipality: {}", error.reason))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let expires_at = expires.as_deref().map(parse_expiry).transpose()?;
            let store = open_store(&config).await?;
            let request = KeyRequest { name, role, municipalities, expires_at };
            let (key, token) = match issue_key(&store, &config.region, request, Utc::now(), &AuditContext::cli()).await
            {
                Ok(issued) => issued,
                Err(IssueError::Invalid { problems }) => {
                    for (field, problem) in problems {
                        eprintln!("error: --{}: {problem}", flag(field));
                    }
                    return Ok(ExitCode::FAILURE);
                }
                Err(error) => return Err(error).context("creating the key"),
            };
            print_keys(std::slice::from_ref(&key));
            println!();
            println!("token (shown once, store it now): {}", token.expose());
            Ok(ExitCode::SUCCESS)
        }
        Command::List(ListArgs { config }) => {
            let config = load_config(config.config.as_deref())?;
            let store = open_store(&config).await?;
            let keys = store.api_keys(None).await.context("reading the keys")?;
            if keys.is_empty() {
                println!("no keys; create the first with `vuxnav keys create --role region_admin --name NAME`");
            } else {
                print_keys(&keys);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Revoke(RevokeArgs { id, config }) => {
            let config = load_config(config.config.as_deref())?;
            let store = open_store(&config).await?;
            let key = match store.revoke_api_key(KeyId::new(id), Utc::now(), &AuditContext::cli()).await {
                Ok(key) => key,
                Err(vuxnav_store::StoreError::UnknownKey(_)) => {
                    eprintln!("error: no key has the id {id}; `vuxnav keys list` shows them");
                    return Ok(ExitCode::FAILURE);
                }
                Err(error) => return Err(error).context("revoking the key"),
            };
            print_keys(std::slice::from_ref(&key));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The command-line flag of a request field.
fn flag(field: &str) -> &str {
    match field {
        "municipalities" => "municipality",
        "expiresAt" => "expires",
        other => other,
    }
}

/// `2027-06-30` (the start of that day in Stockholm) or an RFC 3339 instant.
fn parse_expiry(text: &str) -> anyhow::Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("--expires: `{text}` is not a date such as 2027-06-30 or an RFC 3339 instant"))?;
    let midnight = date.and_hms_opt(0, 0, 0).context("midnight")?;
    Stockholm
        .from_local_datetime(&midnight)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| anyhow::anyhow!("--expires: `{text}` has no midnight in Europe/Stockholm"))
}

fn print_keys(keys: &[ApiKey]) {
    let now = Utc::now();
    let time =
        |at: Option<DateTime<Utc>>| at.map_or_else(|| "-".to_owned(), |at| at.format("%Y-%m-%d %H:%M").to_string());
    let rows: Vec<Vec<String>> = keys
        .iter()
        .map(|key| {
            let municipalities: Vec<&str> = key.municipalities.iter().map(|code| code.as_str()).collect();
            vec![
                key.id.to_string(),
                key.name.clone(),
                key.role.code().to_owned(),
                if municipalities.is_empty() { "-".to_owned() } else { municipalities.join(",") },
                format!("{}…", key.hint),
                key.unusable(now).unwrap_or("active").to_owned(),
                time(Some(key.created_at)),
                time(key.expires_at),
                time(key.last_used_at),
            ]
        })
        .collect();
    print_table(&["id", "name", "role", "municipalities", "token", "state", "created", "expires", "last used"], &rows);
}
