//! Automatic persisted queries, as Apollo clients send them: a request may carry only
//! `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}` and no `query` (so a
//! `GET` with the hash fits in a URL a CDN can cache). A hash the server has seen is run; an
//! unknown one is answered `PersistedQueryNotFound` (`extensions.code =
//! PERSISTED_QUERY_NOT_FOUND`), and the client sends it again with the query, which the server
//! checks against the hash and keeps. The documents kept are bounded by [`MAX_BYTES`]; past it
//! the oldest half is forgotten (a client then just sends the query again).
//!
//! The transport calls this through its [`DocumentResolver`] seam, before it parses anything.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use async_graphql::ServerError;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::graphql_http::DocumentResolver;
use crate::graphql::codes::Code;

/// The most document bytes kept.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The documents learned from clients, by their SHA-256 in lowercase hex.
#[derive(Debug, Default)]
pub struct PersistedQueries {
    known: Mutex<Known>,
}

#[derive(Debug, Default)]
struct Known {
    documents: HashMap<String, String>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Known {
    fn insert(&mut self, hash: String, document: String) {
        if self.documents.contains_key(&hash) || document.len() > MAX_BYTES / 2 {
            return;
        }
        while self.bytes + document.len() > MAX_BYTES {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some(removed) = self.documents.remove(&oldest) {
                self.bytes -= removed.len();
            }
        }
        self.bytes += document.len();
        self.order.push_back(hash.clone());
        self.documents.insert(hash, document);
    }
}

impl DocumentResolver for PersistedQueries {
    fn resolve(
        &self,
        query: Option<String>,
        extensions: Option<&Map<String, Value>>,
    ) -> Result<Option<String>, ServerError> {
        let Some(persisted) = extensions.and_then(|extensions| extensions.get("persistedQuery")) else {
            return Ok(query);
        };
        let bad = |message: &str| Code::BadRequest.error(message);
        if persisted.get("version").and_then(Value::as_u64) != Some(1) {
            return Err(bad("`extensions.persistedQuery.version` must be 1"));
        }
        let hash = persisted
            .get("sha256Hash")
            .and_then(Value::as_str)
            .filter(|hash| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_ascii_lowercase)
            .ok_or_else(|| bad("`extensions.persistedQuery.sha256Hash` must be a SHA-256 in hex (64 characters)"))?;
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        match query {
            Some(query) => {
                let actual: String =
                    Sha256::digest(query.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
                if actual != hash {
                    return Err(bad("`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`"));
                }
                known.insert(hash, query.clone());
                Ok(Some(query))
            }
            None => match known.documents.get(&hash) {
                Some(document) => Ok(Some(document.clone())),
                None => Err(Code::PersistedQueryNotFound.error("PersistedQueryNotFound")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn extensions(hash: &str) -> Map<String, Value> {
        json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_hash_is_unknown_until_it_comes_with_its_query() {
        let queries = PersistedQueries::default();
        let query = "{ __typename }";
        let hash: String = Sha256::digest(query.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
        let unknown = queries.resolve(None, Some(&extensions(&hash))).expect_err("unknown");
        assert_eq!(unknown.message, "PersistedQueryNotFound");
        assert_eq!(
            queries.resolve(Some(query.to_owned()), Some(&extensions(&hash))).ok(),
            Some(Some(query.to_owned()))
        );
        assert_eq!(queries.resolve(None, Some(&extensions(&hash))).ok(), Some(Some(query.to_owned())));
        let wrong = "0".repeat(64);
        assert!(queries.resolve(Some(query.to_owned()), Some(&extensions(&wrong))).is_err());
        assert_eq!(queries.resolve(None, None).ok(), Some(None));
    }
}
