//! The `[access]` table: what municipal admins may do beyond the default, which reverse
//! proxies are believed about the client's address, and the rate limits per role.
//!
//! ```toml
//! [access]
//! municipal_partner_keys = false      # municipal admins may create partner keys
//! trusted_proxies = ["10.0.0.0/8"]    # believe X-Forwarded-For only from these
//!
//! [access.rate_limits]                # per key, or per client address without one
//! anonymous = { requests = 600, window_seconds = 60 }
//! partner = { requests = 6000, window_seconds = 60 }
//! municipal_admin = { requests = 600, window_seconds = 60 }
//! region_admin = { requests = 6000, window_seconds = 60 }
//! failed_keys = { requests = 10, window_seconds = 60 }   # refused keys per client address
//!
//! [access.trusted_documents]          # documents /graphql runs by id (`http::persisted`)
//! manifest = "trusted-documents.json" # beside this file: Apollo's manifest, or hash to document
//! anonymous = "require"               # off | allow (default with a manifest) | require
//!
//! [access.admin_pages]                # the admin pages at /admin
//! session_hours = 8                   # a sign-in lasts this long at most
//! idle_minutes = 30                   # and ends this long after the last page the admin asked for
//! secure_cookie = true                # send the session cookie over HTTPS only
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use serde::Deserialize;
use vuxnav_schema::Role;

use super::reader::{Reader, Table};
use crate::auth::AccessSettings;
use crate::http::persisted::{DocumentPolicy, Manifest};

/// The `[access]` table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessConfig {
    pub settings: AccessSettings,
    /// The reverse proxies whose `X-Forwarded-For` is believed (`trusted_proxies`, addresses
    /// or CIDR ranges, default none: the client address is the peer's).
    pub trusted_proxies: Vec<IpNet>,
    pub rate_limits: RateLimits,
    pub trusted_documents: TrustedDocuments,
    pub admin_pages: AdminPages,
}

/// The `[access.admin_pages]` table: the sessions of the admin pages at `/admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminPages {
    /// How long a sign-in lasts (`session_hours`, 1 to 24, default 8): the session then ends,
    /// however busy it is.
    pub session: Duration,
    /// How long a session lasts without a request (`idle_minutes`, 5 to 480, default 30): each
    /// page the admin asks for moves the end this far ahead, never past `session_hours`.
    pub idle: Duration,
    /// Whether the session cookie is `Secure` (`secure_cookie`, default `true`): sent over
    /// HTTPS only. Browsers also send a `Secure` cookie to `http://localhost` and
    /// `http://127.0.0.1`; set `false` only to serve the admin pages over plain HTTP elsewhere.
    pub secure_cookie: bool,
}

impl Default for AdminPages {
    fn default() -> Self {
        Self { session: Duration::from_secs(8 * 3600), idle: Duration::from_secs(30 * 60), secure_cookie: true }
    }
}

/// The `[access.trusted_documents]` table: the documents `/graphql` runs by id, and what
/// anonymous callers may send besides them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustedDocuments {
    /// The documents of the `manifest` file, read and checked when the configuration is
    /// (default none).
    pub manifest: Arc<Manifest>,
    /// What anonymous callers may send (`anonymous`: `off`, `allow` or `require`; default
    /// `allow` with a manifest, `off` without).
    pub anonymous: DocumentPolicy,
}

/// The most problems of a manifest named in the configuration's error.
const MAX_MANIFEST_PROBLEMS: usize = 10;

/// A rate limit: `requests` in any `window`, as a bucket that refills evenly (GCRA): a full
/// bucket allows a burst of `requests` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub requests: u32,
    pub window: Duration,
}

impl RateLimit {
    const fn per_minute(requests: u32) -> Self {
        Self { requests, window: Duration::from_secs(60) }
    }
}

/// The `[access.rate_limits]` table: one limit per role, applied per key (per client address
/// for anonymous callers), and one for refused keys per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub anonymous: RateLimit,
    pub partner: RateLimit,
    pub municipal_admin: RateLimit,
    pub region_admin: RateLimit,
    /// Refused API keys (malformed, unknown, expired, revoked) per client address: what keeps
    /// a brute-force attempt at keys slow.
    pub failed_keys: RateLimit,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            anonymous: RateLimit::per_minute(600),
            partner: RateLimit::per_minute(6_000),
            municipal_admin: RateLimit::per_minute(600),
            region_admin: RateLimit::per_minute(6_000),
            failed_keys: RateLimit::per_minute(10),
        }
    }
}

impl RateLimits {
    /// The limit of a caller of `role` (`None`: anonymous).
    pub fn of(&self, role: Option<Role>) -> RateLimit {
        match role {
            None => self.anonymous,
            Some(Role::Partner) => self.partner,
            Some(Role::MunicipalAdmin) => self.municipal_admin,
            Some(Role::RegionAdmin) => self.region_admin,
        }
    }
}

/// One limit as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    requests: u32,
    window_seconds: u64,
}

pub(super) fn read_access(r: &mut Reader, table: &mut Table) -> AccessConfig {
    let defaults = AccessConfig::default();
    let municipal_partner_keys =
        r.field(table, "municipal_partner_keys").unwrap_or(defaults.settings.municipal_partner_keys);
    let trusted_proxies = r.parsed(table, "trusted_proxies", parse_proxies).unwrap_or_default();
    let mut limits_table = r.table(table, "rate_limits");
    let limits = read_limits(r, &mut limits_table);
    r.finish(limits_table);
    let mut pages_table = r.table(table, "admin_pages");
    let admin_pages = read_admin_pages(r, &mut pages_table);
    r.finish(pages_table);
    let mut documents_table = r.table(table, "trusted_documents");
    let trusted_documents = read_trusted_documents(r, &mut documents_table);
    r.finish(documents_table);
    AccessConfig {
        settings: AccessSettings { municipal_partner_keys },
        trusted_proxies,
        rate_limits: limits,
        admin_pages,
        trusted_documents,
    }
}

fn read_trusted_documents(r: &mut Reader, table: &mut Table) -> TrustedDocuments {
    let manifest = r.file(table, "manifest", read_manifest);
    let anonymous = r.field(table, "anonymous");
    if manifest.is_none() && matches!(anonymous, Some(DocumentPolicy::Allow | DocumentPolicy::Require)) {
        r.problem(&table.key_path("anonymous"), "needs a `manifest` of trusted documents");
    }
    let default = if manifest.is_some() { DocumentPolicy::Allow } else { DocumentPolicy::Off };
    TrustedDocuments { manifest: Arc::new(manifest.unwrap_or_default()), anonymous: anonymous.unwrap_or(default) }
}

fn read_manifest(path: &Path) -> Result<Manifest, String> {
    let path = path.display();
    let text = std::fs::read_to_string(path.to_string()).map_err(|error| format!("cannot read `{path}`: {error}"))?;
    Manifest::parse(&text).map_err(|problems| {
        let more = problems.len().saturating_sub(MAX_MANIFEST_PROBLEMS);
        let mut message = format!(
            "`{path}`: {}",
            problems.iter().take(MAX_MANIFEST_PROBLEMS).cloned().collect::<Vec<_>>().join("; ")
        );
        if more > 0 {
            message.push_str(&format!("; and {more} more"));
        }
        message
    })
}

fn read_admin_pages(r: &mut Reader, table: &mut Table) -> AdminPages {
    let defaults = AdminPages::default();
    let session = duration_in(r, table, "session_hours", ("hours", 3600), 1..=24).unwrap_or(defaults.session);
    let idle = duration_in(r, table, "idle_minutes", ("minutes", 60), 5..=480).unwrap_or(defaults.idle);
    let secure_cookie = r.field(table, "secure_cookie").unwrap_or(defaults.secure_cookie);
    AdminPages { session, idle, secure_cookie }
}

/// A whole number of `unit`s (named, and so many seconds each) within `range`.
fn duration_in(
    r: &mut Reader,
    table: &mut Table,
    key: &'static str,
    (unit, seconds): (&str, u64),
    range: std::ops::RangeInclusive<u64>,
) -> Option<Duration> {
    r.parsed(table, key, |count: u64| {
        if range.contains(&count) {
            Ok(Duration::from_secs(count * seconds))
        } else {
            Err(format!("must be from {} to {} {unit}, found {count}", range.start(), range.end()))
        }
    })
}

fn read_limits(r: &mut Reader, table: &mut Table) -> RateLimits {
    let defaults = RateLimits::default();
    let mut limit = |key: &'static str, default: RateLimit| {
        r.parsed(table, key, |written: Written| {
            if written.requests == 0 {
                return Err("`requests` must be at least 1".to_owned());
            }
            if !(1..=86_400).contains(&written.window_seconds) {
                return Err(format!("`window_seconds` must be from 1 to 86400, found {}", written.window_seconds));
            }
            Ok(RateLimit { requests: written.requests, window: Duration::from_secs(written.window_seconds) })
        })
        .unwrap_or(default)
    };
    RateLimits {
        anonymous: limit("anonymous", defaults.anonymous),
        partner: limit("partner", defaults.partner),
        municipal_admin: limit("municipal_admin", defaults.municipal_admin),
        region_admin: limit("region_admin", defaults.region_admin),
        failed_keys: limit("failed_keys", defaults.failed_keys),
    }
}

fn parse_proxies(written: Vec<String>) -> Result<Vec<IpNet>, String> {
    written
        .iter()
        .map(|text| {
            let text = text.trim();
            text.parse::<IpNet>()
                .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{text}` is not an IP address or a CIDR range such as 10.0.0.0/8"))
        })
        .collect()
}
