//! The configuration of `vuxnav`: one TOML file, overridden by environment variables, read in
//! this module and nowhere else.
//!
//! Every key has a default, so an empty file (or none) is a valid configuration; the annotated
//! example is `config/vuxnav.example.toml`. [`Config::load`] parses the file, applies the
//! overrides and validates every value into a typed one: a [`Config`] that exists is valid. It
//! reports every problem at once ([`ConfigErrors`]): unknown keys at any level, wrong types,
//! invalid values, each with the file and line or the environment variable it came from.
//!
//! # Environment overrides
//!
//! `VUXNAV_` followed by the key in capitals, with `__` between a table and its key:
//! `VUXNAV_LISTEN=0.0.0.0:9000`, `VUXNAV_DATABASE_URL=postgres://…`,
//! `VUXNAV_GRAPHQL__MAX_DEPTH=20`, `VUXNAV_REGION__MUNICIPALITIES='["0114", "0180"]'`. A
//! value is read as a TOML value when it parses as one (`20`, `true`, `["0114"]`), else as a
//! string; a key that wants a string takes the text as given either way. An override beats
//! the file. A `VUXNAV_` variable without `__` that names no top-level key is left alone: the
//! prefix is shared with secrets that sources reference by name and with test settings such as
//! `VUXNAV_TEST_DATABASE_URL`. A misspelt nested one (`VUXNAV_GRAPHQL__MAX_DEPHT`) is an
//! unknown key like any other.
//!
//! # Sources
//!
//! Each `[[source]]` entry configures one municipality's course system (its nested
//! `[source.connector]` table names the connector `kind`); the entries are parsed by
//! [`vuxnav_connectors::config::parse_sources`], and every problem of every entry is reported
//! together with the rest of the file's, keyed like `source[2].connector.url`. The `[harvest]`
//! table sets how sources are fetched: [`HarvestConfig`].
//!
//! # Secrets
//!
//! `database_url` may hold a password: it is a [`Secret`], which prints as `[REDACTED]`, and a
//! message about it shows the URL with the password masked (`postgres://user:***@host/db`).
//! Sources never hold a secret: a connector names the environment variable that holds one.

mod access;
mod error;
mod portal;
mod reader;
mod sources;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use vuxnav_connectors::config::{ValidSource, parse_sources};
use vuxnav_connectors::fetch::{FetchOptions, SecretLookup};
use vuxnav_connectors::guard::GuardPolicy;
use vuxnav_connectors::schedule::Schedule;
use vuxnav_schema::{MunicipalityCode, Region};

use crate::graphql::limits::{DocumentLimits, MAX_NESTING};
use crate::http::graphql_http::HttpLimits;

pub use access::{AccessConfig, RateLimit, RateLimits, TrustedDocuments};
pub use error::{ConfigError, ConfigErrors, Origin};
pub use portal::{Colour, Colours, Logo, PortalConfig};
pub use reader::{ENV_PREFIX, ENV_SEPARATOR};
pub use sources::{MAX_SOURCE_CONFIG_BYTES, Problem, parse_source_json};
pub use vuxnav_schema::Secret;
use vuxnav_schema::secret::mask_url;

use reader::{Reader, Table};

/// The variable that sets the log filter, as `tracing_subscriber` names it.
pub const LOG_FILTER_VAR: &str = "RUST_LOG";

/// The default of `shutdown_timeout`, in seconds.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS: u64 = 30;
/// The default of `release.schedule`: 03:00 in Stockholm, before dataportal.se harvests.
pub const DEFAULT_RELEASE_SCHEDULE: &str = "0 0 3 * * *";
/// The default of `listen`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The default of `data_dir`.
pub const DEFAULT_DATA_DIR: &str = "./vuxnav-data";
/// The name of the embedded SQLite file in `data_dir`.
pub const SQLITE_FILE_NAME: &str = "vuxnav.db";
/// The default of `read_model.refresh`: every two seconds. Each check is one indexed lookup
/// of the newest succeeded run (`Store::last_change`, docs/performance.md); the read model is
/// rebuilt only when another process committed since.
pub const DEFAULT_REFRESH: &str = "*/2 * * * * *";
/// The largest `graphql.max_page_size` allowed.
pub const MAX_PAGE_SIZE_LIMIT: usize = 10_000;
/// The largest `graphql.max_url_bytes` allowed: hyper answers a longer request target with an
/// empty `414` before any handler sees it.
pub const MAX_URL_BYTES_LIMIT: usize = 65_534;

/// The validated configuration of the service.
#[derive(Debug, Clone)]
pub struct Config {
    /// The address the HTTP server listens on (`listen`, default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// The folder for the SQLite file and, later, the releases (`data_dir`, default
    /// `./vuxnav-data`, relative to the working directory).
    pub data_dir: PathBuf,
    /// Where the store lives: the SQLite file `<data_dir>/vuxnav.db` unless `database_url` is
    /// set.
    pub database: DatabaseLocation,
    /// How log lines are written (`log_format`, default `text`).
    pub log_format: LogFormat,
    /// How long a shutdown may take: requests in flight and harvest runs under way get this
    /// long to finish before they are abandoned (`shutdown_timeout`, in seconds, default 30,
    /// from 1 to 3600).
    pub shutdown_timeout: Duration,
    /// The municipalities served (`[region]`, default the 26 of Stockholm County).
    pub region: Region,
    /// The protections of the GraphQL endpoint (`[graphql]`).
    pub graphql: GraphqlLimits,
    /// How the read model is kept up to date (`[read_model]`).
    pub read_model: ReadModelConfig,
    /// The configured sources (`[[source]]`), in file order, each valid.
    pub sources: Vec<ValidSource>,
    /// How sources are harvested (`[harvest]`).
    pub harvest: HarvestConfig,
    /// Keys, proxies and rate limits (`[access]`).
    pub access: AccessConfig,
    /// The nightly open-data release (`[release]`).
    pub release: ReleaseConfig,
    /// How the region brands the portal and the admin pages (`[portal]`).
    pub portal: PortalConfig,
    /// The log filter from `RUST_LOG`, when set (the default is
    /// [`crate::telemetry::DEFAULT_LOG_FILTER`]).
    pub log_filter: Option<String>,
    /// The environment the configuration was read with, where sources' secrets are looked up
    /// by variable name.
    pub environment: Environment,
}

/// The environment variables the configuration was read with: the one place secrets that
/// sources name (`token_env = "HUDDINGE_TOKEN"`) are looked up. It never prints a value.
#[derive(Clone, Default)]
pub struct Environment(Arc<HashMap<String, String>>);

impl Environment {
    /// The value of the variable `name`, unless it is unset or empty.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).filter(|value| !value.is_empty()).cloned()
    }

    /// [`Environment::get`] as a function, for a connector's fetcher.
    pub fn lookup(&self) -> SecretLookup {
        let environment = self.clone();
        Arc::new(move |name| environment.get(name))
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Environment({} variables)", self.0.len())
    }
}

/// How sources are harvested: the `[harvest]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HarvestConfig {
    /// Sources harvested at once (`concurrency`, default 4, at least 1).
    pub concurrency: usize,
    /// The limit of one request attempt, from connecting to the end of the body (`timeout`,
    /// in seconds, default 30, at least 1).
    pub timeout: Duration,
    /// How many times a failed request is retried, with backoff and jitter (`retries`,
    /// default 3).
    pub retries: u32,
    /// The largest response body read; a larger one fails the run (`max_body_bytes`, default
    /// 268435456, 256 MiB, at least 1).
    pub max_body_bytes: u64,
    /// How long a source whose kind can ask for changes (`susa_navet`) is harvested
    /// incrementally after a full run (`full_every_hours`, default 24, at most 8760; 0 makes
    /// every run full).
    pub full_every: Duration,
    /// The harvest guard of every source (`guard_max_rejected_percent`, default 50, and
    /// `guard_max_withdrawn_percent`, default 50, each 0 to 100); a source's `[source.guard]`
    /// sets its own.
    pub guard: GuardPolicy,
}

impl Default for HarvestConfig {
    fn default() -> Self {
        let fetch = FetchOptions::default();
        Self {
            concurrency: vuxnav_connectors::runner::DEFAULT_CONCURRENCY,
            timeout: fetch.timeout,
            retries: fetch.retries,
            max_body_bytes: fetch.max_body_bytes,
            full_every: vuxnav_connectors::runner::DEFAULT_FULL_EVERY,
            guard: GuardPolicy::default(),
        }
    }
}

impl HarvestConfig {
    /// The fetch options of a source: these limits, and whether the source may reach private
    /// addresses.
    pub fn fetch_options(&self, allow_private_network: bool) -> FetchOptions {
        FetchOptions {
            timeout: self.timeout,
            retries: self.retries,
            max_body_bytes: self.max_body_bytes,
            allow_private_network,
            ..FetchOptions::default()
        }
    }
}

/// The nightly open-data release: the `[release]` table.
#[derive(Debug, Clone)]
pub struct ReleaseConfig {
    /// When `vuxnav serve` writes a release (`schedule`, cron with seconds in Europe/Stockholm,
    /// default `0 0 3 * * *`, before dataportal.se harvests at about 04:00; `""` disables it).
    pub schedule: Option<Schedule>,
    /// The folder releases are written to and served from (`folder`, default
    /// `<data_dir>/releases`).
    pub folder: PathBuf,
    /// The public URL the folder is served at, ending in `/` (`base_url`, default
    /// `http://<listen>/`): the download links in the catalogue, the feed and the package.
    pub base_url: String,
    /// Who publishes the release (`[release.publisher]`): `name`, `org_number` (ten digits),
    /// `kind` (default `LocalAuthority`) and `contact_email`. No default: a region says who it
    /// is. Without it, `vuxnav export` refuses and `serve` writes no release.
    pub publisher: Option<vuxnav_export::Publisher>,
    /// The share a table's row count may fall by, against the previous release, before the
    /// release is held back (`hold_back_threshold`, default 0.2, from 0 to 1).
    pub hold_back_threshold: f64,
    /// Days a dated release is kept; the first of each month is kept always (`keep_days`,
    /// default 90, at least 1).
    pub keep_days: u32,
}

impl ReleaseConfig {
    /// The export's options for this configuration and region, `force` or not.
    pub fn options(&self, region: &Region, force: bool) -> Result<vuxnav_export::ReleaseOptions, String> {
        let publisher = self.publisher.clone().ok_or_else(|| {
            "release.publisher: say who publishes the release: set name, org_number and contact_email under [release.publisher]".to_owned()
        })?;
        let mut options = vuxnav_export::ReleaseOptions::new(self.base_url.clone(), publisher);
        options.region = region.clone();
        options.hold_back_threshold = self.hold_back_threshold;
        options.keep_days = self.keep_days;
        options.force = force;
        Ok(options)
    }
}

/// Where the store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// The embedded SQLite file, `<data_dir>/vuxnav.db`.
    Sqlite { path: PathBuf },
    /// A database URL from `database_url`: PostgreSQL (`postgres://`, `postgresql://`) or an
    /// explicit SQLite URL (`sqlite:`). It may hold a password.
    Url(Secret),
}

impl DatabaseLocation {
    /// The URL to connect with: the configured one, or `sqlite://<path>?mode=rwc` (create the
    /// file when missing) for the embedded file.
    pub fn connection_url(&self) -> Secret {
        match self {
            Self::Sqlite { path } => Secret::new(format!("sqlite://{}?mode=rwc", path.display())),
            Self::Url(url) => url.clone(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Url(url) if url.expose().starts_with("postgres"))
    }
}

/// For logs: the SQLite path, or the URL with its password masked.
impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite { path } => write!(f, "sqlite file {}", path.display()),
            Self::Url(url) => f.write_str(&mask_url(url.expose())),
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The protections of the GraphQL endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlLimits {
    /// The deepest selection nesting a query may have (`max_depth`, default 15, at least 1).
    pub max_depth: usize,
    /// The highest complexity score a query may have (`max_complexity`, default 50000, at
    /// least 1): each field counts 1, a connection counts its selection `first` times, and
    /// an offering search 100 more. The default admits a page of 500 full result cards.
    pub max_complexity: usize,
    /// The most aliases a query may use (`max_aliases`, default 30).
    pub max_aliases: usize,
    /// The upper bound of `first` on a connection (`max_page_size`, default 500, from 1 to
    /// 10000).
    pub max_page_size: usize,
    /// The largest request body accepted, in bytes (`max_body_bytes`, default 1048576, at
    /// least 1).
    pub max_body_bytes: usize,
    /// The longest request URL accepted, path and query string, in bytes (`max_url_bytes`,
    /// default 16384, from 1 to 65534: hyper itself answers a longer one with an empty 414).
    pub max_url_bytes: usize,
    /// The longest GraphQL document (the `query` text), in bytes (`max_document_bytes`,
    /// default 32768, at least 1).
    pub max_document_bytes: usize,
    /// The most lexical tokens a document may have (`max_tokens`, default 2000, at least 1).
    pub max_tokens: usize,
    /// How deep brackets may nest in a document, and selection sets once its fragments are
    /// expanded (`max_nesting`, default 32, from 2 to 64, and above `max_depth`).
    pub max_nesting: usize,
    /// The most selections a document may have once its fragments are expanded, over all its
    /// operations and fragments (`max_expanded_selections`, default 2000, at least 1).
    pub max_expanded_selections: usize,
    /// Whether schema introspection is answered (`introspection`, default true).
    pub introspection: bool,
    /// Whether GraphiQL is served to browsers on `GET /graphql` (`graphiql`, default true).
    pub graphiql: bool,
    /// How long browsers and CDNs may keep a cacheable answer to a `GET` query, in seconds
    /// (`cache_max_age`, default 60, at most 86400; 0 sends no caching headers).
    pub cache_max_age: u32,
    /// The origins a browser app may call `/graphql` from (`cors_origins`, default `["*"]`,
    /// any origin, without credentials; `[]` allows none; or a list such as
    /// `["https://portal.example"]`).
    pub cors_origins: CorsOrigins,
}

/// The origins allowed to call the public API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Any origin (`["*"]`): the public API is read-only and sends no credentials.
    Any,
    /// Only these origins (`scheme://host[:port]`); none when empty.
    List(Vec<String>),
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 50_000,
            max_aliases: 30,
            max_page_size: 500,
            max_body_bytes: 1_048_576,
            max_url_bytes: 16_384,
            max_document_bytes: 32_768,
            max_tokens: 2_000,
            max_nesting: 32,
            max_expanded_selections: 2_000,
            introspection: true,
            graphiql: true,
            cache_max_age: 60,
            cors_origins: CorsOrigins::Any,
        }
    }
}

impl GraphqlLimits {
    /// The limits the HTTP transport enforces.
    pub fn http_limits(&self) -> HttpLimits {
        HttpLimits {
            max_body_bytes: self.max_body_bytes,
            max_url_bytes: self.max_url_bytes,
            document: DocumentLimits {
                max_document_bytes: self.max_document_bytes,
                max_tokens: self.max_tokens,
                max_nesting: self.max_nesting,
                max_expanded_selections: self.max_expanded_selections,
            },
        }
    }
}

/// How the read model is kept up to date.
#[derive(Debug, Clone)]
pub struct ReadModelConfig {
    /// When the read model is rebuilt from the store, so that replicas sharing PostgreSQL see
    /// each other's harvests (`refresh`, a cron expression with seconds, evaluated in
    /// Europe/Stockholm; default every two seconds: a harvest committed by another process is
    /// served within seconds, and a check that finds nothing new costs one indexed lookup). `None` when `refresh = ""`.
    pub refresh: Option<Schedule>,
}

impl Default for ReadModelConfig {
    fn default() -> Self {
        Self { refresh: Schedule::parse(DEFAULT_REFRESH).ok() }
    }
}

impl Default for Config {
    fn default() -> Self {
        let data_dir = PathBuf::from(DEFAULT_DATA_DIR);
        let listen = SocketAddr::from(([127, 0, 0, 1], 8080));
        let release = ReleaseConfig::defaults(&data_dir, listen);
        Self {
            listen,
            database: DatabaseLocation::Sqlite { path: data_dir.join(SQLITE_FILE_NAME) },
            data_dir,
            log_format: LogFormat::default(),
            shutdown_timeout: Duration::from_secs(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS),
            region: Region::default(),
            graphql: GraphqlLimits::default(),
            read_model: ReadModelConfig::default(),
            sources: Vec::new(),
            harvest: HarvestConfig::default(),
            access: AccessConfig::default(),
            release,
            portal: PortalConfig::default(),
            log_filter: None,
            environment: Environment::default(),
        }
    }
}

impl Config {
    /// Loads the configuration from the file at `path` (none: defaults only) with the `VUXNAV_`
    /// variables of `env` as overrides, and validates it. Reports every problem at once.
    pub fn load(path: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigErrors> {
        let defaults = Self::default();
        let env: HashMap<String, String> = env.into_iter().collect();
        let log_filter = env.get(LOG_FILTER_VAR).filter(|spec| !spec.trim().is_empty()).cloned();
        let (mut r, mut root) = Reader::new(path, env.iter().map(|(name, value)| (name.clone(), value.clone())));

        let listen = r.parsed(&mut root, "listen", |value: String| parse_listen(&value));
        let data_dir = r.parsed(&mut root, "data_dir", |value: String| {
            if value.trim().is_empty() { Err("must not be empty".to_owned()) } else { Ok(PathBuf::from(value)) }
        });
        let database_url = r.secret(&mut root, "database_url");
        let log_format = r.field::<LogFormat>(&mut root, "log_format");
        let shutdown_timeout =
            r.bounded(&mut root, "shutdown_timeout", 1..=3_600).map(|seconds| Duration::from_secs(seconds as u64));

        let mut region_table = r.table(&mut root, "region");
        let region = read_region(&mut r, &mut region_table);
        r.finish(region_table);

        let mut graphql_table = r.table(&mut root, "graphql");
        let graphql = read_graphql(&mut r, &mut graphql_table);
        r.finish(graphql_table);

        let mut read_model_table = r.table(&mut root, "read_model");
        let read_model = read_read_model(&mut r, &mut read_model_table);
        r.finish(read_model_table);

        let mut harvest_table = r.table(&mut root, "harvest");
        let harvest = read_harvest(&mut r, &mut harvest_table);
        r.finish(harvest_table);

        let mut access_table = r.table(&mut root, "access");
        let access = access::read_access(&mut r, &mut access_table);
        r.finish(access_table);
        let data_dir = data_dir.unwrap_or(defaults.data_dir);
        let listen = listen.unwrap_or(defaults.listen);
        let mut release_table = r.table(&mut root, "release");
        let release = read_release(&mut r, &mut release_table, &data_dir, listen);
        r.finish(release_table);

        let mut portal_table = r.table(&mut root, "portal");
        let portal = portal::read_portal(&mut r, &mut portal_table);
        r.finish(portal_table);

        let sources = read_sources(&mut r, &mut root, region.as_ref().unwrap_or(&defaults.region));

        let database = match database_url.filter(|url| !url.trim().is_empty()) {
            None => Some(DatabaseLocation::Sqlite { path: data_dir.join(SQLITE_FILE_NAME) }),
            Some(url) => {
                parse_database_url(url).map_err(|message| r.problem(&root.key_path("database_url"), message)).ok()
            }
        };
        r.finish(root);

        r.into_result(Self {
            listen,
            database: database.unwrap_or(defaults.database),
            data_dir,
            log_format: log_format.unwrap_or(defaults.log_format),
            shutdown_timeout: shutdown_timeout.unwrap_or(defaults.shutdown_timeout),
            region: region.unwrap_or(defaults.region),
            graphql,
            read_model: read_model.unwrap_or(defaults.read_model),
            sources,
            harvest,
            access,
            release,
            portal,
            log_filter,
            environment: Environment(Arc::new(env)),
        })
    }

    /// [`Config::load`] with the process environment.
    pub fn load_with_process_env(path: Option<&Path>) -> Result<Self, ConfigErrors> {
        // `std::env::vars` panics on a variable that is not UTF-8; such a variable is not ours.
        // This is the one place the process environment is read.
        let env =
            std::env::vars_os().filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)));
        Self::load(path, env)
    }
}

fn parse_listen(value: &str) -> Result<SocketAddr, String> {
    value.trim().parse().map_err(|_| {
        format!("`{value}` is not a socket address: give an IP address and a port, such as 127.0.0.1:8080 or [::]:8080")
    })
}

fn parse_database_url(url: String) -> Result<DatabaseLocation, String> {
    let supported = ["postgres://", "postgresql://", "sqlite:"];
    if supported.iter().any(|scheme| url.starts_with(scheme)) {
        Ok(DatabaseLocation::Url(Secret::new(url)))
    } else {
        Err(format!(
            "`{}` is not a supported database URL: use postgres://user:password@host/database, or leave database_url unset for the embedded SQLite file",
            mask_url(&url)
        ))
    }
}

fn read_region(r: &mut Reader, table: &mut Table) -> Option<Region> {
    let both = table.contains("county") && table.contains("municipalities");
    let county = r.field::<String>(table, "county");
    let listed = r.field::<Vec<toml::Value>>(table, "municipalities");
    if both {
        let path = table.path().to_owned();
        r.problem(&path, "set either `county` or `municipalities`, not both");
    }

    let county = county.and_then(|code| {
        Region::county(code.trim()).map_err(|error| r.problem(&table.key_path("county"), error.reason)).ok()
    });
    let listed = listed.and_then(|values| {
        let mut codes = Vec::with_capacity(values.len());
        let mut valid = true;
        for (i, value) in values.iter().enumerate() {
            let path = format!("{}[{i}]", table.key_path("municipalities"));
            match parse_kommunkod(value) {
                Ok(code) => codes.push(code),
                Err(message) => {
                    r.problem(&path, message);
                    valid = false;
                }
            }
        }
        if !valid {
            return None;
        }
        Region::new(codes).map_err(|error| r.problem(&table.key_path("municipalities"), error.reason)).ok()
    });
    if both { None } else { county.or(listed) }
}

fn parse_kommunkod(value: &toml::Value) -> Result<MunicipalityCode, String> {
    match value {
        toml::Value::String(code) => MunicipalityCode::parse(code).map_err(|error| error.reason),
        toml::Value::Integer(number) => Err(MunicipalityCode::written_as_number(*number).reason),
        other => Err(format!("expected a kommunkod such as \"0180\", found {}", other.type_str())),
    }
}

fn read_graphql(r: &mut Reader, table: &mut Table) -> GraphqlLimits {
    let defaults = GraphqlLimits::default();
    let limits = GraphqlLimits {
        max_depth: r.bounded(table, "max_depth", 1..=usize::MAX).unwrap_or(defaults.max_depth),
        max_complexity: r.bounded(table, "max_complexity", 1..=usize::MAX).unwrap_or(defaults.max_complexity),
        max_aliases: r.bounded(table, "max_aliases", 0..=usize::MAX).unwrap_or(defaults.max_aliases),
        max_page_size: r.bounded(table, "max_page_size", 1..=MAX_PAGE_SIZE_LIMIT).unwrap_or(defaults.max_page_size),
        max_body_bytes: r.bounded(table, "max_body_bytes", 1..=usize::MAX).unwrap_or(defaults.max_body_bytes),
        max_url_bytes: r.bounded(table, "max_url_bytes", 1..=MAX_URL_BYTES_LIMIT).unwrap_or(defaults.max_url_bytes),
        max_document_bytes: r
            .bounded(table, "max_document_bytes", 1..=usize::MAX)
            .unwrap_or(defaults.max_document_bytes),
        max_tokens: r.bounded(table, "max_tokens", 1..=usize::MAX).unwrap_or(defaults.max_tokens),
        max_nesting: r.bounded(table, "max_nesting", 2..=MAX_NESTING).unwrap_or(defaults.max_nesting),
        max_expanded_selections: r
            .bounded(table, "max_expanded_selections", 1..=usize::MAX)
            .unwrap_or(defaults.max_expanded_selections),
        introspection: r.field(table, "introspection").unwrap_or(defaults.introspection),
        graphiql: r.field(table, "graphiql").unwrap_or(defaults.graphiql),
        cache_max_age: r
            .bounded(table, "cache_max_age", 0..=86_400)
            .and_then(|seconds| u32::try_from(seconds).ok())
            .unwrap_or(defaults.cache_max_age),
        cors_origins: r.parsed(table, "cors_origins", parse_cors_origins).unwrap_or(defaults.cors_origins),
    };
    // Selection sets nest one level per field at least, and the operation's own braces count.
    if limits.max_nesting <= limits.max_depth {
        r.problem(
            &table.key_path("max_nesting"),
            format!(
                "must be above max_depth ({}): brackets nest at least one level per field, plus the operation's own",
                limits.max_depth
            ),
        );
    }
    limits
}

fn parse_cors_origins(origins: Vec<String>) -> Result<CorsOrigins, String> {
    if origins.iter().any(|origin| origin == "*") {
        return if origins.len() == 1 {
            Ok(CorsOrigins::Any)
        } else {
            Err("`*` allows every origin: give it alone, or list origins without it".to_owned())
        };
    }
    for origin in &origins {
        let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
        let host_ok = rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', '?', '#', ' ']));
        if !host_ok {
            return Err(format!(
                "`{origin}` is not an origin: give the scheme, host and port only, such as \"https://portal.example\""
            ));
        }
    }
    Ok(CorsOrigins::List(origins))
}

impl ReleaseConfig {
    /// The defaults for a service with `data_dir` listening on `listen`.
    pub fn defaults(data_dir: &Path, listen: SocketAddr) -> Self {
        let host = if listen.ip().is_unspecified() { "127.0.0.1".to_owned() } else { listen.ip().to_string() };
        let host = if listen.is_ipv6() && !listen.ip().is_unspecified() { format!("[{host}]") } else { host };
        Self {
            schedule: Schedule::parse(DEFAULT_RELEASE_SCHEDULE).ok(),
            folder: data_dir.join("releases"),
            base_url: format!("http://{host}:{}/", listen.port()),
            publisher: None,
            hold_back_threshold: vuxnav_export::holdback::DEFAULT_THRESHOLD,
            keep_days: vuxnav_export::retention::DEFAULT_KEEP_DAYS,
        }
    }
}

fn read_release(r: &mut Reader, table: &mut Table, data_dir: &Path, listen: SocketAddr) -> ReleaseConfig {
    let defaults = ReleaseConfig::defaults(data_dir, listen);
    let schedule = r.parsed(table, "schedule", |expression: String| {
        if expression.trim().is_empty() {
            Ok(None)
        } else {
            Schedule::parse(&expression).map(Some).map_err(|error| format!("{error}, or \"\" to disable"))
        }
    });
    let folder = r.parsed(table, "folder", |value: String| {
        if value.trim().is_empty() { Err("must not be empty".to_owned()) } else { Ok(PathBuf::from(value)) }
    });
    let base_url = r.parsed(table, "base_url", |url: String| {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.ends_with('/')
            && !url.contains(char::is_whitespace);
        if ok {
            Ok(url)
        } else {
            Err(format!("`{url}` is not an absolute http(s) URL ending in `/`, such as \"https://vuxnav.example/\""))
        }
    });
    let hold_back_threshold = r.parsed(table, "hold_back_threshold", |share: f64| {
        if (0.0..=1.0).contains(&share) {
            Ok(share)
        } else {
            Err(format!("must be a share from 0 to 1, found {share}"))
        }
    });
    let keep_days = r.bounded(table, "keep_days", 1..=36_500).and_then(|days| u32::try_from(days).ok());
    let present = table.contains("publisher");
    let mut publisher_table = r.table(table, "publisher");
    let publisher = present.then(|| read_publisher(r, &mut publisher_table)).flatten();
    r.finish(publisher_table);
    ReleaseConfig {
        schedule: schedule.unwrap_or(defaults.schedule),
        folder: folder.unwrap_or(defaults.folder),
        base_url: base_url.unwrap_or(defaults.base_url),
        publisher,
        hold_back_threshold: hold_back_threshold.unwrap_or(defaults.hold_back_threshold),
        keep_days: keep_days.unwrap_or(defaults.keep_days),
    }
}

fn read_publisher(r: &mut Reader, table: &mut Table) -> Option<vuxnav_export::Publisher> {
    let required = |r: &mut Reader, table: &mut Table, key: &'static str| {
        let value = r.field::<String>(table, key).filter(|value| !value.trim().is_empty());
        if value.is_none() && !r.has_problem(&table.key_path(key)) {
            r.problem(&table.key_path(key), "is required");
        }
        value
    };
    let name = required(r, table, "name");
    let org_number = required(r, table, "org_number").and_then(|number| {
        let digits: String = number.chars().filter(|c| *c != '-').collect();
        if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Some(digits)
        } else {
            r.problem(
                &table.key_path("org_number"),
                format!("`{number}` is not an organisationsnummer: ten digits, such as \"222000-0315\""),
            );
            None
        }
    });
    let contact_email = required(r, table, "contact_email").and_then(|email| {
        if email.contains('@') && !email.contains(char::is_whitespace) {
            Some(email)
        } else {
            r.problem(&table.key_path("contact_email"), format!("`{email}` is not an e-mail address"));
            None
        }
    });
    let kind = r.field::<String>(table, "kind").unwrap_or_else(|| "LocalAuthority".to_owned());
    Some(vuxnav_export::Publisher { name: name?, org_number: org_number?, kind, contact_email: contact_email? })
}

fn read_harvest(r: &mut Reader, table: &mut Table) -> HarvestConfig {
    let defaults = HarvestConfig::default();
    HarvestConfig {
        concurrency: r.bounded(table, "concurrency", 1..=usize::MAX).unwrap_or(defaults.concurrency),
        timeout: r
            .bounded(table, "timeout", 1..=86_400)
            .map(|seconds| Duration::from_secs(seconds as u64))
            .unwrap_or(defaults.timeout),
        retries: r
            .bounded(table, "retries", 0..=100)
            .and_then(|retries| u32::try_from(retries).ok())
            .unwrap_or(defaults.retries),
        max_body_bytes: r
            .bounded(table, "max_body_bytes", 1..=usize::MAX)
            .map(|bytes| bytes as u64)
            .unwrap_or(defaults.max_body_bytes),
        full_every: r
            .bounded(table, "full_every_hours", 0..=8_760)
            .map(|hours| Duration::from_secs(hours as u64 * 3_600))
            .unwrap_or(defaults.full_every),
        guard: GuardPolicy {
            max_rejected_percent: r
                .bounded(table, "guard_max_rejected_percent", 0..=100)
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(defaults.guard.max_rejected_percent),
            max_withdrawn_percent: r
                .bounded(table, "guard_max_withdrawn_percent", 0..=100)
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(defaults.guard.max_withdrawn_percent),
        },
    }
}

/// The `[[source]]` entries: every problem of every entry is recorded, keyed from the top of
/// the file (`source[2].connector.url`) and naming the source's id when it has one.
fn read_sources(r: &mut Reader, root: &mut Table, region: &Region) -> Vec<ValidSource> {
    let Some(entries) = r.field::<Vec<toml::Value>>(root, "source") else { return Vec::new() };
    match parse_sources(&entries) {
        Ok(sources) => {
            let outside: Vec<(usize, &ValidSource)> =
                sources.iter().enumerate().filter(|(_, s)| !region.contains(s.municipality)).collect();
            for (index, source) in &outside {
                let municipality = source.municipality.municipality();
                r.problem(
                    &format!("source[{index}].municipality"),
                    format!(
                        "`{}` ({}) is not in the configured region, {}: set [region] to include it (source `{}`)",
                        municipality.code.as_str(),
                        municipality.name,
                        region.describe(),
                        source.id
                    ),
                );
            }
            if outside.is_empty() { sources } else { Vec::new() }
        }
        Err(problems) => {
            for problem in problems {
                let message = match &problem.source {
                    Some(id) => format!("{} (source `{id}`)", problem.problem),
                    None => problem.problem,
                };
                r.problem(&problem.field, message);
            }
            Vec::new()
        }
    }
}

fn read_read_model(r: &mut Reader, table: &mut Table) -> Option<ReadModelConfig> {
    r.parsed(table, "refresh", |expression: String| {
        if expression.trim().is_empty() {
            return Ok(ReadModelConfig { refresh: None });
        }
        Schedule::parse(&expression)
            .map(|schedule| ReadModelConfig { refresh: Some(schedule) })
            .map_err(|error| format!("{error}, or \"\" to disable"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_database_connects_by_a_sqlite_url_that_creates_the_file() {
        let location = DatabaseLocation::Sqlite { path: PathBuf::from("./vuxnav-data/vuxnav.db") };
        assert_eq!(location.connection_url().expose(), "sqlite://./vuxnav-data/vuxnav.db?mode=rwc");
        assert!(!location.is_postgres());
        assert_eq!(location.to_string(), "sqlite file ./vuxnav-data/vuxnav.db");
    }
}
