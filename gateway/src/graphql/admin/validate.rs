//! Checking a source configuration that comes through the admin API, before anything is saved
//! or fetched.
//!
//! The entry is parsed by the same code as the config file's (`config::parse_source_json`,
//! which is `parse_sources`), and then held to what the API adds, because people other than
//! the operator write it: the kommunkod is one of the region's, a private network needs a
//! region admin, no file on the server is read, every URL is checked against server-side
//! request forgery (resolved now; the connection is checked again when it is made), and a
//! secret is only named, by a variable of the source's own municipality
//! ([`SECRET_PREFIX`]`<kommunkod>_…`), so no municipality can send another's secret, or the
//! service's, to a server of its choosing. Every problem is reported at once, each with its
//! path inside the entry.

use serde_json::Value;
use vuxnav_connectors::config::ValidSource;
use vuxnav_connectors::ssrf::{NetworkPolicy, check_url};
use vuxnav_schema::MunicipalityCode;

use crate::auth::{Caller, Operation, Reach};
use crate::config::{Config, Problem, parse_source_json};

/// What the environment variable of a secret named through the API starts with, followed by
/// the source's kommunkod and `_`: `VUXNAV_SECRET_0126_TOKEN`.
pub const SECRET_PREFIX: &str = "VUXNAV_SECRET_";

/// A problem of a draft, and whether it is one of permission (the caller may not ask for
/// this) rather than of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftProblem {
    pub problem: Problem,
    pub forbidden: bool,
}

impl DraftProblem {
    fn input(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { problem: Problem::new(field, problem), forbidden: false }
    }

    fn forbidden(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { problem: Problem::new(field, problem), forbidden: true }
    }
}

/// The municipality a draft names, when it names a valid kommunkod: what authorization is
/// decided on before the draft is checked.
pub fn draft_municipality(draft: &Value) -> Option<MunicipalityCode> {
    draft.get("municipality").and_then(Value::as_str).and_then(|code| MunicipalityCode::parse(code).ok())
}

/// Checks `draft` as `caller` would save it: every problem at once, or the valid source.
/// `previous` is the configuration it replaces (an update), whose id it must keep; a private
/// network a region admin allowed there may be kept by others as long as the URLs stay.
pub async fn check_draft(
    draft: &Value,
    caller: &Caller,
    config: &Config,
    previous: Option<&Value>,
) -> Result<ValidSource, Vec<DraftProblem>> {
    let id = previous.and_then(|previous| previous.get("id")).and_then(Value::as_str);
    let (parsed, mut problems) = match parse_source_json(draft) {
        Ok(source) => (Some(source), Vec::new()),
        Err(found) => (None, found.into_iter().map(|problem| DraftProblem { problem, forbidden: false }).collect()),
    };
    if let Some(id) = id
        && draft.get("id").and_then(Value::as_str).is_some_and(|written| written != id)
    {
        problems.push(DraftProblem::input("id", format!("a source's id cannot change; it is `{id}`")));
    }
    if id.is_none()
        && let Some(written) = draft.get("id").and_then(Value::as_str)
        && config.sources.iter().any(|source| source.id.as_str() == written)
    {
        problems.push(DraftProblem::input("id", format!("`{written}` is the id of a source in the config file")));
    }
    let municipality = draft_municipality(draft);
    if let Some(code) = municipality
        && !config.region.contains(code)
    {
        problems.push(DraftProblem::input(
            "municipality",
            format!("{} is not a municipality of the region", code.as_str()),
        ));
    }
    let private = draft.get("allow_private_network").and_then(Value::as_bool).unwrap_or(false);
    let kept = previous.is_some_and(|previous| {
        previous.get("allow_private_network").and_then(Value::as_bool) == Some(true)
            && urls(None, previous.get("connector")) == urls(None, draft.get("connector"))
    });
    let private_allowed = kept
        || match municipality {
            Some(code) => caller.may(Operation::AllowPrivateNetwork, code),
            None => caller.reach(Operation::AllowPrivateNetwork) == Reach::Any,
        };
    if private && !private_allowed {
        problems.push(DraftProblem::forbidden(
            "allow_private_network",
            "only a region admin may allow a source to reach a private network",
        ));
    }
    let policy = NetworkPolicy::of(private && private_allowed);
    let connector = draft.get("connector");
    if connector.and_then(|table| table.get("path")).is_some() {
        problems.push(DraftProblem::input(
            "connector.path",
            "a file on the server can only be named in the config file; give the export's `url`",
        ));
    }
    for (field, url) in urls(parsed.as_ref(), connector) {
        if let Err(problem) = check_url(&url, policy).await {
            problems.push(DraftProblem::input(format!("connector.{field}"), problem));
        }
    }
    if let Some(source) = &parsed {
        let prefix = format!("{SECRET_PREFIX}{}_", source.municipality.as_str());
        for (field, secret) in source.connector.secrets() {
            if !secret.env.starts_with(&prefix) || secret.env.len() == prefix.len() {
                problems.push(DraftProblem::input(
                    format!("connector.{field}"),
                    format!(
                        "a secret named through the API is a variable starting with `{prefix}`, such as `{prefix}TOKEN`"
                    ),
                ));
            }
        }
    }
    if let Some(headers) = connector.and_then(|table| table.get("headers")).and_then(Value::as_object) {
        for (name, value) in headers {
            if value.is_string() && looks_secret(name) {
                problems.push(DraftProblem::input(
                    format!("connector.headers.{name}"),
                    "a secret is never written in a source: give { env = \"VARIABLE\" } instead",
                ));
            }
        }
    }
    match parsed {
        Some(source) if problems.is_empty() => Ok(source),
        _ => Err(problems),
    }
}

/// The URLs a draft names: the kind's own list when it parsed, else the `url` and `base_url`
/// keys as written, so a broken draft still has its addresses checked.
fn urls(parsed: Option<&ValidSource>, connector: Option<&Value>) -> Vec<(String, String)> {
    match parsed {
        Some(source) => {
            source.connector.urls().into_iter().map(|(field, url)| (field.to_owned(), url.to_owned())).collect()
        }
        None => ["url", "base_url"]
            .into_iter()
            .filter_map(|field| {
                let url = connector?.get(field)?.as_str()?;
                Some((field.to_owned(), url.to_owned()))
            })
            .collect(),
    }
}

/// A header whose value is a credential when written literally.
fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "cookie"].contains(&name.as_str())
        || ["token", "key", "secret", "password", "auth"].iter().any(|part| name.contains(part))
}
