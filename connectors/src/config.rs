//! The configuration of sources: one `[[source]]` entry per configured instance of a kind.
//!
//! ```toml
//! [[source]]
//! id = "huddinge-susa"
//! municipality = "0126"          # a kommunkod, as a string with its leading zero
//! schedule = "0 0 3 * * *"        # cron with seconds, evaluated in Europe/Stockholm
//! enabled = true                  # default true
//! allow_private_network = false   # default false
//!
//! [source.connector]
//! kind = "susa_navet"
//! school_types = ["VUXGY"]
//! ```
//!
//! Every table is strict: an unknown key is an error. [`parse_sources`] deserialises each entry
//! on its own and then validates all of them ([`validate_sources`]), so every problem of a file
//! is reported at once, each naming the source and the field path
//! (`source[2].connector.base_url`).
//!
//! Secrets are never written in the config: a kind names the environment variable that holds
//! one ([`SecretRef`], `token_env = "HUDDINGE_TOKEN"`), and the gateway, which alone reads the
//! environment, resolves it into a [`SecretValue`].

use std::collections::HashMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use vuxnav_schema::{MunicipalityCode, Secret, SourceId};

use crate::guard::GuardOverrides;
use crate::schedule::Schedule;

/// One `[[source]]` entry, as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// The source's id: 1 to 64 lowercase letters, digits, `-` or `_`, unique in the file.
    #[schemars(title = "Id")]
    pub id: String,
    /// The municipality the source serves: a kommunkod written as a string with its leading
    /// zero (`"0180"`, not `180`).
    #[serde(deserialize_with = "kommunkod_text")]
    #[schemars(with = "String", regex(pattern = r"^[0-9]{4}$"))]
    #[schemars(title = "Kommunkod")]
    pub municipality: String,
    /// When the source is harvested: a cron expression with seconds
    /// (`sec min hour day-of-month month day-of-week [year]`), evaluated in Europe/Stockholm.
    #[schemars(title = "Schema (cron)")]
    pub schedule: String,
    /// Whether the source is harvested at all. Default `true`.
    #[serde(default = "yes")]
    #[schemars(title = "Aktiv")]
    pub enabled: bool,
    /// Allow the connector to reach loopback, link-local and private addresses. Default
    /// `false`.
    #[serde(default)]
    #[schemars(title = "Får nå privat nätverk")]
    pub allow_private_network: bool,
    /// This source's own limits of the harvest guard (`[source.guard]`); each unset one is
    /// `[harvest]`'s.
    #[serde(default)]
    #[schemars(title = "Skördespärr")]
    pub guard: GuardTable,
    /// The nested `[source.connector]` table, with `kind` naming the connector kind.
    #[schemars(title = "Koppling")]
    pub connector: ConnectorConfig,
}

/// The `[source.guard]` table: when a run of this source is held instead of committed
/// ([`crate::guard`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardTable {
    /// Hold a run that rejects more than this share of the records it read, in percent (0 to
    /// 100). Default: `[harvest] guard_max_rejected_percent` (50).
    #[serde(default)]
    #[schemars(title = "Högsta andel avvisade (%)")]
    pub max_rejected_percent: Option<u8>,
    /// Hold a run that would withdraw more than this share of the source's offerings, in
    /// percent (0 to 100). Default: `[harvest] guard_max_withdrawn_percent` (50).
    #[serde(default)]
    #[schemars(title = "Högsta andel borttagna (%)")]
    pub max_withdrawn_percent: Option<u8>,
}

/// One `[[source]]` entry with its connector table still as written, so that the kind's own
/// table is read with its full key path (`connector.columns.titel`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    #[serde(deserialize_with = "kommunkod_text")]
    municipality: String,
    schedule: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    allow_private_network: bool,
    #[serde(default)]
    guard: GuardTable,
    connector: toml::Table,
}

fn yes() -> bool {
    true
}

/// Accepts the kommunkod as a string; a number (which lost its leading zero) is an error that
/// says how to write it.
fn kommunkod_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Text(String),
        Number(i64),
    }
    match Written::deserialize(deserializer) {
        Ok(Written::Text(text)) => Ok(text),
        Ok(Written::Number(number)) => {
            Err(serde::de::Error::custom(MunicipalityCode::written_as_number(number).reason))
        }
        Err(_) => Err(serde::de::Error::custom("expected a kommunkod as a string, such as \"0180\"")),
    }
}

/// The registry of connector kinds: the `[source.connector]` table, selected by `kind`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant, reason = "one value per configured source, built once at load")]
pub enum ConnectorConfig {
    Csv(crate::csv::Config),
    PlannedEducations(crate::planned_educations::Config),
    SusaNavet(crate::susa_navet::Config),
    Ss12000(crate::ss12000::Config),
    JsonApi(crate::json_api::Config),
}

/// A connector kind: the name of each variant of [`ConnectorConfig`], as written in `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnectorKind {
    SusaNavet,
    PlannedEducations,
    Ss12000,
    Csv,
    JsonApi,
}

impl ConnectorKind {
    /// Every kind, in the order they matter to the region (DESIGN.md, section 5).
    pub const ALL: [ConnectorKind; 5] =
        [Self::SusaNavet, Self::PlannedEducations, Self::Ss12000, Self::Csv, Self::JsonApi];

    /// The kind's name as written in `kind`, such as `susa_navet`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SusaNavet => "susa_navet",
            Self::PlannedEducations => "planned_educations",
            Self::Ss12000 => "ss12000",
            Self::Csv => "csv",
            Self::JsonApi => "json_api",
        }
    }
}

impl fmt::Display for ConnectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ConnectorConfig {
    /// The kind this table configures.
    pub fn kind(&self) -> ConnectorKind {
        match self {
            Self::Csv(_) => ConnectorKind::Csv,
            Self::PlannedEducations(_) => ConnectorKind::PlannedEducations,
            Self::SusaNavet(_) => ConnectorKind::SusaNavet,
            Self::Ss12000(_) => ConnectorKind::Ss12000,
            Self::JsonApi(_) => ConnectorKind::JsonApi,
        }
    }

    /// Every problem of the kind's own table, as (field inside the table, problem).
    pub fn validate(&self) -> Vec<(String, String)> {
        match self {
            Self::Csv(config) => config.validate(),
            Self::PlannedEducations(config) => config.validate(),
            Self::SusaNavet(config) => config.validate(),
            Self::Ss12000(config) => config.validate(),
            Self::JsonApi(config) => config.validate(),
        }
    }
}

impl ConnectorConfig {
    /// The secrets the kind's table names, as (field inside the table, secret), so that a check
    /// of the config can say which variable is not set before a run fails on it.
    pub fn secrets(&self) -> Vec<(String, &SecretRef)> {
        match self {
            Self::Ss12000(config) => config.token_env.iter().map(|secret| ("token_env".to_owned(), secret)).collect(),
            Self::JsonApi(config) => config
                .headers
                .iter()
                .filter_map(|(name, header)| match header {
                    crate::json_api::config::Header::Secret(secret) => {
                        Some((format!("headers.{name}.env"), &secret.env))
                    }
                    crate::json_api::config::Header::Literal(_) => None,
                })
                .collect(),
            Self::Csv(_) | Self::PlannedEducations(_) | Self::SusaNavet(_) => Vec::new(),
        }
    }

    /// The upstream URLs the kind's table names, as (field inside the table, URL): what is
    /// checked against server-side request forgery when a source is saved.
    pub fn urls(&self) -> Vec<(&'static str, &str)> {
        match self {
            Self::Csv(config) => config.url.iter().map(|url| ("url", url.as_str())).collect(),
            Self::PlannedEducations(config) => vec![("base_url", config.base_url.as_str())],
            Self::SusaNavet(config) => vec![("base_url", config.base_url.as_str())],
            Self::Ss12000(config) => vec![("base_url", config.base_url.as_str())],
            Self::JsonApi(config) => vec![("url", config.url.as_str())],
        }
    }

    /// A file on the server the kind reads, as (field inside the table, path): only the
    /// operator's config file may name one.
    pub fn local_path(&self) -> Option<(&'static str, &std::path::Path)> {
        match self {
            Self::Csv(config) => config.path.as_deref().map(|path| ("path", path)),
            Self::PlannedEducations(_) | Self::SusaNavet(_) | Self::Ss12000(_) | Self::JsonApi(_) => None,
        }
    }

    /// The kind's [`Connector`](crate::Connector), fetching through `fetcher` (which carries
    /// the source's id and its HTTP rules).
    pub fn build(&self, fetcher: crate::fetch::Fetcher) -> Box<dyn crate::Connector> {
        match self {
            Self::Csv(config) => Box::new(crate::csv::fetch::CsvConnector::new(config.clone(), fetcher)),
            Self::PlannedEducations(config) => {
                Box::new(crate::planned_educations::fetch::PlannedEducationsConnector::new(config.clone(), fetcher))
            }
            Self::SusaNavet(config) => {
                Box::new(crate::susa_navet::fetch::SusaNavetConnector::new(config.clone(), fetcher))
            }
            Self::Ss12000(config) => Box::new(crate::ss12000::fetch::Ss12000Connector::new(config.clone(), fetcher)),
            Self::JsonApi(config) => Box::new(crate::json_api::fetch::JsonApiConnector::new(config.clone(), fetcher)),
        }
    }
}

/// A source whose configuration is valid.
#[derive(Debug, Clone)]
pub struct ValidSource {
    pub id: SourceId,
    pub municipality: MunicipalityCode,
    pub schedule: Schedule,
    pub enabled: bool,
    pub allow_private_network: bool,
    pub guard: GuardOverrides,
    pub connector: ConnectorConfig,
}

/// One problem in the sources' configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceProblem {
    /// The entry's position in the file, from 0.
    pub index: usize,
    /// The entry's `id` as written, when it has one.
    pub source: Option<String>,
    /// The key path from the top of the file: `source[2].connector.base_url`.
    pub field: String,
    /// What is wrong, lowercase, no trailing period.
    pub problem: String,
}

impl fmt::Display for SourceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(id) => write!(f, "{} (source `{id}`): {}", self.field, self.problem),
            None => write!(f, "{}: {}", self.field, self.problem),
        }
    }
}

impl SourceProblem {
    fn new(index: usize, source: Option<&str>, field: &str, problem: impl Into<String>) -> Self {
        let field = if field.is_empty() { format!("source[{index}]") } else { format!("source[{index}].{field}") };
        Self { index, source: source.map(str::to_owned), field, problem: problem.into() }
    }
}

/// Deserialises and validates the entries of the `source` array of a configuration file (the
/// value of `[[source]]`), reporting every problem of every entry at once, each with its full
/// key path (`source[0].connector.columns.titel`) and, for a misspelt key, the key meant.
pub fn parse_sources(entries: &[toml::Value]) -> Result<Vec<ValidSource>, Vec<SourceProblem>> {
    let mut problems = Vec::new();
    let mut parsed = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let id = entry.get("id").and_then(toml::Value::as_str);
        let mut problem = |path: &str, text: String| problems.push(SourceProblem::new(index, id, path, text));
        let entry = match serde_path_to_error::deserialize::<_, Entry>(entry.clone()) {
            Ok(entry) => entry,
            Err(error) => {
                problem(&error_path(&error, ""), serde_message(&error.inner().to_string()));
                continue;
            }
        };
        if let Some(connector) = connector_config(entry.connector, &mut problem) {
            let Entry { id, municipality, schedule, enabled, allow_private_network, guard, .. } = entry;
            parsed.push((
                index,
                SourceConfig { id, municipality, schedule, enabled, allow_private_network, guard, connector },
            ));
        }
    }
    let sources = validate_indexed(parsed.iter().map(|(index, config)| (*index, config)), &mut problems);
    // File order: deserialising and validating found them in two passes.
    problems.sort_by_key(|problem| problem.index);
    if problems.is_empty() { Ok(sources) } else { Err(problems) }
}

/// The kinds' names as written in `kind`.
const KINDS: [&str; 5] = ["susa_navet", "planned_educations", "ss12000", "csv", "json_api"];

/// Reads a `[source.connector]` table: its `kind`, then the kind's own table with full key
/// paths. Keys of the `csv` and `json_api` kinds that moved into `defaults` are reported with
/// what to write instead.
fn connector_config(mut table: toml::Table, problem: &mut impl FnMut(&str, String)) -> Option<ConnectorConfig> {
    let kind = match table.remove("kind") {
        Some(toml::Value::String(kind)) => kind,
        Some(other) => {
            problem(
                "connector.kind",
                format!("expected the kind's name as text, such as \"csv\", found {}", other.type_str()),
            );
            return None;
        }
        None => {
            problem("connector.kind", format!("is missing: name the connector kind, one of {}", KINDS.join(", ")));
            return None;
        }
    };
    if matches!(kind.as_str(), "csv" | "json_api") {
        let mut moved = false;
        for (old, _) in crate::mapping::defaults::MOVED {
            if let Some(value) = table.remove(old)
                && let Some(message) = crate::mapping::defaults::moved_message(old, &value)
            {
                problem(&format!("connector.{old}"), message);
                moved = true;
            }
        }
        if moved {
            return None;
        }
    }
    fn read<T: serde::de::DeserializeOwned>(table: toml::Table, problem: &mut impl FnMut(&str, String)) -> Option<T> {
        serde_path_to_error::deserialize::<_, T>(toml::Value::Table(table))
            .map_err(|error| problem(&error_path(&error, "connector"), serde_message(&error.inner().to_string())))
            .ok()
    }
    Some(match kind.as_str() {
        "csv" => ConnectorConfig::Csv(read(table, problem)?),
        "json_api" => ConnectorConfig::JsonApi(read(table, problem)?),
        "susa_navet" => ConnectorConfig::SusaNavet(read(table, problem)?),
        "planned_educations" => ConnectorConfig::PlannedEducations(read(table, problem)?),
        "ss12000" => ConnectorConfig::Ss12000(read(table, problem)?),
        other => {
            let suggestion = nearest(other, &KINDS).map(|k| format!(": did you mean `{k}`?")).unwrap_or_default();
            problem(
                "connector.kind",
                format!("`{other}` is not a connector kind (one of {}){suggestion}", KINDS.join(", ")),
            );
            return None;
        }
    })
}

/// The key path of a deserialisation error under `prefix`: `connector.columns.titel`. For an
/// unknown key serde stops at the table that holds it, so the key itself is added.
fn error_path<E: std::fmt::Display>(error: &serde_path_to_error::Error<E>, prefix: &str) -> String {
    let path = error.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let message = error.inner().to_string();
    let unknown = unknown_key(&message).filter(|key| !path.ends_with(&format!(".{key}")) && path != *key);
    [prefix, &path, unknown.unwrap_or_default()].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(".")
}

/// The key an "unknown field" or "unknown variant" message names.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    rest.split('`').next()
}

/// The closest of `known` to `written`, when it is a near miss (a typo, not another word).
fn nearest<'k>(written: &str, known: &[&'k str]) -> Option<&'k str> {
    let written = written.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::levenshtein(&written, &k.to_lowercase()), *k))
        .filter(|(distance, k)| *distance > 0 && *distance <= (k.chars().count() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// Validates deserialised entries into typed ones, reporting every problem at once: ids,
/// kommunkoder, cron schedules, each kind's own table, and ids used twice.
pub fn validate_sources(raw: &[SourceConfig]) -> Result<Vec<ValidSource>, Vec<SourceProblem>> {
    let mut problems = Vec::new();
    let sources = validate_indexed(raw.iter().enumerate(), &mut problems);
    if problems.is_empty() { Ok(sources) } else { Err(problems) }
}

fn validate_indexed<'a>(
    raw: impl Iterator<Item = (usize, &'a SourceConfig)>,
    problems: &mut Vec<SourceProblem>,
) -> Vec<ValidSource> {
    let mut sources = Vec::new();
    let mut first_with_id: HashMap<&str, usize> = HashMap::new();
    for (index, config) in raw {
        let name = Some(config.id.as_str());
        let mut problem = |field: &str, text: String| problems.push(SourceProblem::new(index, name, field, text));

        let id = SourceId::parse(&config.id).map_err(|error| problem("id", error.reason)).ok();
        if let Some(earlier) = first_with_id.get(config.id.as_str()) {
            problem("id", format!("`{}` is also the id of source[{earlier}]: ids are unique", config.id));
        } else {
            first_with_id.insert(&config.id, index);
        }
        let municipality =
            MunicipalityCode::parse(&config.municipality).map_err(|error| problem("municipality", error.reason)).ok();
        let schedule = Schedule::parse(&config.schedule).map_err(|error| problem("schedule", error)).ok();
        for (key, percent) in [
            ("max_rejected_percent", config.guard.max_rejected_percent),
            ("max_withdrawn_percent", config.guard.max_withdrawn_percent),
        ] {
            if percent.is_some_and(|p| p > 100) {
                problem(
                    &format!("guard.{key}"),
                    format!("{} is not a share: it is 0 to 100 percent", percent.unwrap_or(0)),
                );
            }
        }
        let kind_problems = config.connector.validate();
        for (field, text) in &kind_problems {
            problem(&format!("connector.{field}"), text.clone());
        }
        if let (Some(id), Some(municipality), Some(schedule), true) =
            (id, municipality, schedule, kind_problems.is_empty())
        {
            sources.push(ValidSource {
                id,
                municipality,
                schedule,
                enabled: config.enabled,
                allow_private_network: config.allow_private_network,
                guard: GuardOverrides {
                    max_rejected_percent: config.guard.max_rejected_percent,
                    max_withdrawn_percent: config.guard.max_withdrawn_percent,
                },
                connector: config.connector.clone(),
            });
        }
    }
    sources
}

/// A serde message on one line, lowercase first, without a trailing period; an unknown key
/// or value that is a near miss of a known one says which was meant.
fn serde_message(message: &str) -> String {
    let line = message.lines().find(|line| !line.trim().is_empty()).unwrap_or(message);
    let line = lowercase_first(line.trim().trim_end_matches('.'));
    let Some(written) = unknown_key(&line) else { return line };
    let known: Vec<&str> = line
        .split_once("expected one of ")
        .or_else(|| line.split_once("expected "))
        .map(|(_, list)| list.split(", ").map(|k| k.trim_matches('`')).collect())
        .unwrap_or_default();
    match nearest(written, &known) {
        Some(meant) => format!("{line}: did you mean `{meant}`?"),
        None => line,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// What is wrong with an API's base URL, if anything: it is `http://` or `https://` with a
/// host, and has no query, fragment or white space.
pub fn base_url_problem(base_url: &str) -> Option<String> {
    let base = base_url.trim();
    let scheme_ok = base.starts_with("https://") || base.starts_with("http://");
    let host = base.split_once("://").map_or("", |(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""));
    if !scheme_ok || host.is_empty() {
        Some(format!("`{base}` is not an http or https URL"))
    } else if base.contains(['?', '#']) {
        Some(format!("`{base}` has a query or fragment: give the API's base URL only"))
    } else if base.contains(char::is_whitespace) {
        Some(format!("`{base}` contains white space"))
    } else {
        None
    }
}

/// A secret named by the environment variable that holds it (`token_env = "HUDDINGE_TOKEN"`),
/// for kinds to use in their config. The value is never in the config; this type holds and
/// prints only the variable's name.
#[derive(Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct SecretRef {
    /// The environment variable's name.
    pub env: String,
}

impl fmt::Debug for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretRef(env: {})", self.env)
    }
}

impl SecretRef {
    /// The problem with the variable's name, if any: it is letters, digits and `_`, and does
    /// not start with a digit.
    pub fn validate(&self) -> Option<String> {
        let name = self.env.as_str();
        let ok = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        (!ok).then(|| {
            format!(
                "`{name}` is not an environment variable name: use letters, digits and `_`, such as `HUDDINGE_TOKEN`"
            )
        })
    }

    /// The secret's value, looked up with `lookup` (the gateway passes the process
    /// environment); the error names the variable, never a value.
    pub fn resolve(&self, lookup: impl FnOnce(&str) -> Option<String>) -> Result<Secret, String> {
        lookup(&self.env)
            .filter(|value| !value.is_empty())
            .map(Secret::new)
            .ok_or_else(|| format!("the environment variable `{}` that holds this secret is not set", self.env))
    }
}
