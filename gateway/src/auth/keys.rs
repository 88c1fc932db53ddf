//! The key check on the hot path: [`KeyCheck::authenticate`].
//!
//! A token is first checked for its form ([`Token::parse`]: prefix, length, checksum) without
//! asking anyone. A well-formed one is hashed (one SHA-256 of 41 bytes) and looked up, first in
//! a small in-memory cache of keys seen in the last [`CACHE_TTL`], then by one indexed query.
//! A revocation through this process takes effect at once ([`KeyCheck::forget`]); one made
//! elsewhere (the command line, another replica) within [`CACHE_TTL`].
//!
//! Every refusal of a well-formed token (unknown, expired, revoked) is audited as
//! `key.refused`; a key's first use as `key.first_use`. `last_used_at` is written in the
//! background, at most once per [`vuxnav_store::LAST_USED_EVERY`] per key.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::json;
use vuxnav_store::{
    Actor, ApiKey, AuditContext, AuditOutcome, AuditRecord, KeyId, LAST_USED_EVERY, Store, StoreError, TokenHash,
};

use super::token::Token;
use super::{AccessSettings, Caller};

/// How long a key read from the store is trusted without reading it again.
pub const CACHE_TTL: Duration = Duration::from_secs(10);

/// Why a key was refused. The answer to the client is the same for all (`UNAUTHENTICATED`,
/// naming no key); the audit log and the logs tell them apart.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("not a vuxnav API key")]
    Malformed,
    #[error("no such key")]
    Unknown,
    #[error("the key is {0}")]
    Unusable(&'static str),
    /// The store could not be asked: answered `INTERNAL`, not `UNAUTHENTICATED`.
    #[error("cannot check the key")]
    Store(#[source] StoreError),
}

/// Checks API keys against the store, with a short-lived cache. Cheap to clone.
#[derive(Clone)]
pub struct KeyCheck {
    store: Store,
    settings: AccessSettings,
    cache: Arc<RwLock<HashMap<TokenHash, Cached>>>,
}

#[derive(Clone)]
struct Cached {
    key: Arc<ApiKey>,
    read: Instant,
}

impl KeyCheck {
    pub fn new(store: Store, settings: AccessSettings) -> Self {
        Self { store, settings, cache: Arc::default() }
    }

    /// The caller a bearer token stands for, or why it is refused. `context` names the request
    /// for the audit log (its actor is ignored: the key found is the actor).
    pub async fn authenticate(&self, token: &str, context: &AuditContext) -> Result<Caller, Refused> {
        let token = Token::parse(token).map_err(|_| Refused::Malformed)?;
        let hash = token.hash();
        let now = Utc::now();
        let key = match self.cached(&hash) {
            Some(key) => key,
            None => match self.store.api_key_by_hash(&hash).await.map_err(Refused::Store)? {
                Some(key) => {
                    let key = Arc::new(key);
                    self.write_cache().insert(hash, Cached { key: Arc::clone(&key), read: Instant::now() });
                    key
                }
                None => {
                    self.refuse(Actor::anonymous(), None, "unknown", context, now).await;
                    return Err(Refused::Unknown);
                }
            },
        };
        if let Some(reason) = key.unusable(now) {
            self.refuse(Actor::key(&key), Some(key.id), reason, context, now).await;
            return Err(Refused::Unusable(reason));
        }
        if key.last_used_at.is_none_or(|used| now - used >= LAST_USED_EVERY) {
            self.record_use(hash, &key, context, now);
        }
        Ok(Caller::with_key(key, self.settings))
    }

    /// The caller a token stands for when its key is in the cache and usable, with no lookup
    /// and nothing audited: what a client refused too often may still use (`http::access`).
    pub fn known(&self, token: &str) -> Option<Caller> {
        let key = self.cached(&Token::parse(token).ok()?.hash())?;
        key.unusable(Utc::now()).is_none().then(|| Caller::with_key(key, self.settings))
    }

    /// Drops `key` from the cache: the next request with it reads the store (after a
    /// revocation through this process).
    pub fn forget(&self, key: KeyId) {
        self.write_cache().retain(|_, cached| cached.key.id != key);
    }

    fn cached(&self, hash: &TokenHash) -> Option<Arc<ApiKey>> {
        let cache = self.cache.read().unwrap_or_else(PoisonError::into_inner);
        cache.get(hash).filter(|cached| cached.read.elapsed() < CACHE_TTL).map(|cached| Arc::clone(&cached.key))
    }

    fn write_cache(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<TokenHash, Cached>> {
        let mut cache = self.cache.write().unwrap_or_else(PoisonError::into_inner);
        cache.retain(|_, cached| cached.read.elapsed() < CACHE_TTL);
        cache
    }

    /// Marks the key used now in the cache and writes it to the store in the background.
    fn record_use(&self, hash: TokenHash, key: &ApiKey, context: &AuditContext, now: DateTime<Utc>) {
        let used = Arc::new(ApiKey { last_used_at: Some(now), ..key.clone() });
        if let Some(cached) = self.write_cache().get_mut(&hash) {
            cached.key = Arc::clone(&used);
        }
        let store = self.store.clone();
        let context = AuditContext { actor: Actor::key(key), ..context.clone() };
        let id = key.id;
        tokio::spawn(async move {
            if let Err(error) = store.record_key_use(id, now, &context).await {
                tracing::warn!(key = %id, error = %error, "cannot record the use of an API key");
            }
        });
    }

    async fn refuse(&self, actor: Actor, key: Option<KeyId>, reason: &str, context: &AuditContext, now: DateTime<Utc>) {
        let record = AuditRecord {
            action: "key.refused".to_owned(),
            target_type: "key".to_owned(),
            target_id: key.map_or_else(|| "unknown".to_owned(), |key| key.to_string()),
            municipality: None,
            before: None,
            after: Some(json!({ "reason": reason })),
            outcome: AuditOutcome::Refused,
        };
        let context = AuditContext { actor, ..context.clone() };
        if let Err(error) = self.store.audit(&context, record, now).await {
            tracing::warn!(error = %error, "cannot audit a refused API key");
        }
        tracing::info!(reason, client = context.client_address.as_deref().unwrap_or("-"), "API key refused");
    }
}
