//! Access and administration: API keys ([`keys`]), the audit log ([`audit`]), the sources
//! managed through the admin API ([`sources`]) and the admin pages' sessions ([`sessions`]).
//!
//! Every admin write is one function here that writes the change and its audit row in one
//! transaction: either both are in, or neither. The audit log is append-only: nothing here
//! updates or deletes a row of it, and triggers in the database refuse it to anyone else.
//!
//! A key's secret never reaches the store: the gateway hands over the SHA-256 of the token
//! ([`TokenHash`]), which is all the store keeps and all it looks a key up by.

mod audit;
mod keys;
mod sessions;
mod sources;

use std::fmt;

use chrono::{DateTime, Utc};
use vuxnav_schema::{MunicipalityCode, Role, SourceId};

pub use audit::MAX_AUDIT_PAGE;
pub(crate) use audit::write as write_audit;
pub use sessions::AdminSession;
pub(crate) use sources::ensure_not_deleted;

/// The id of an API key: a number, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(i64);

impl KeyId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The SHA-256 of a whole API token: what the store keeps instead of the secret. Its `Debug`
/// shows nothing of it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Lowercase hex, as stored.
    fn hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHash")
    }
}

/// An API key as stored: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: KeyId,
    pub name: String,
    pub role: Role,
    /// The kommunkoder a municipal admin's key acts for; empty for the region-wide roles.
    pub municipalities: Vec<MunicipalityCode>,
    /// The token's first characters (`vx_AbCd`), to recognise it in a list.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    /// Who created it, as the audit log names actors.
    pub created_by: String,
    /// The key it was created with; `None` from the command line.
    pub created_by_key: Option<KeyId>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Updated at most every [`LAST_USED_EVERY`] (`last_used_at` is a hint, not a log).
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// How often a key's `last_used_at` is written at most: a busy key costs one write per this
/// long, not one per request.
pub const LAST_USED_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

impl ApiKey {
    /// Why the key cannot be used at `now`, if it cannot: `revoked` or `expired`.
    pub fn unusable(&self, now: DateTime<Utc>) -> Option<&'static str> {
        if self.revoked_at.is_some() {
            Some("revoked")
        } else if self.expires_at.is_some_and(|expires| expires <= now) {
            Some("expired")
        } else {
            None
        }
    }
}

/// A key to create: the gateway made the token and passes only its hash.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub name: String,
    pub role: Role,
    pub municipalities: Vec<MunicipalityCode>,
    pub token_hash: TokenHash,
    pub hint: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Who did something, as the audit log names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The key used, if any.
    pub key: Option<KeyId>,
    /// A name that stays readable after the key is gone: `key 3 (huddinge-admin)`,
    /// `command line`, `anonymous`.
    pub name: String,
    pub role: ActorRole,
}

/// The role an actor acted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorRole {
    /// The operator at the command line (`vuxnav keys create`): no key.
    Cli,
    /// A request without a key.
    Anonymous,
    /// A request with a key of this role.
    Key(Role),
}

impl ActorRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Cli => "cli",
            Self::Anonymous => "anonymous",
            Self::Key(role) => role.code(),
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "cli" => Some(Self::Cli),
            "anonymous" => Some(Self::Anonymous),
            other => Role::parse(other).ok().map(Self::Key),
        }
    }
}

impl Actor {
    /// The operator at the command line.
    pub fn cli() -> Self {
        Self { key: None, name: "command line".to_owned(), role: ActorRole::Cli }
    }

    /// A request without a key.
    pub fn anonymous() -> Self {
        Self { key: None, name: "anonymous".to_owned(), role: ActorRole::Anonymous }
    }

    /// A request made with `key`.
    pub fn key(key: &ApiKey) -> Self {
        Self { key: Some(key.id), name: format!("key {} ({})", key.id, key.name), role: ActorRole::Key(key.role) }
    }
}

/// Who asks, and the request it came with: what every audit row records besides the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContext {
    pub actor: Actor,
    pub request_id: Option<String>,
    pub client_address: Option<String>,
}

impl AuditContext {
    /// The command line: no request.
    pub fn cli() -> Self {
        Self { actor: Actor::cli(), request_id: None, client_address: None }
    }
}

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    /// Done.
    Ok,
    /// Refused: the caller may not do it (`FORBIDDEN`).
    Denied,
    /// Refused: the key is missing, malformed, unknown, expired or revoked.
    Refused,
}

impl AuditOutcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Denied => "denied",
            Self::Refused => "refused",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Ok, Self::Denied, Self::Refused].into_iter().find(|outcome| outcome.code() == code)
    }
}

/// An entry of the audit log to write: what was done to what. `before` and `after` are JSON
/// with secrets already redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// `source.create`, `key.revoke`, …
    pub action: String,
    /// `source`, `key`, `run`, …
    pub target_type: String,
    pub target_id: String,
    pub municipality: Option<MunicipalityCode>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub outcome: AuditOutcome,
}

/// An entry of the audit log as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// Increasing: newer entries have larger ids.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub municipality: Option<MunicipalityCode>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub outcome: AuditOutcome,
    pub request_id: Option<String>,
    pub client_address: Option<String>,
}

/// Which audit entries to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only entries about these municipalities, or made with the key `own_key` (a municipal
    /// admin's view); `None` for every entry.
    pub scope: Option<AuditScope>,
    /// Only entries made with this key.
    pub actor: Option<KeyId>,
    pub municipality: Option<MunicipalityCode>,
    /// Only entries with this action (`source.update`) or, ending in `.`, this family
    /// (`source.`).
    pub action: Option<String>,
    /// Only entries at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only entries before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only entries older than this id (the next page).
    pub before_id: Option<i64>,
    pub first: u64,
}

/// What a scoped caller may read of the audit log.
#[derive(Debug, Clone)]
pub struct AuditScope {
    pub municipalities: Vec<MunicipalityCode>,
    pub own_key: Option<KeyId>,
}

/// A source managed through the admin API, at its current revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedSource {
    pub id: SourceId,
    pub municipality: MunicipalityCode,
    /// 1 when created, one more with every saved change.
    pub revision: u32,
    /// The `[[source]]` entry as JSON, as saved (it holds no secret: secrets are named by
    /// environment variable).
    pub config: serde_json::Value,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

/// A source configuration to save: the entry as JSON, and what the store indexes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDraft {
    pub id: SourceId,
    pub municipality: MunicipalityCode,
    /// The connector kind, for the `sources` table.
    pub kind: String,
    pub enabled: bool,
    pub config: serde_json::Value,
}
