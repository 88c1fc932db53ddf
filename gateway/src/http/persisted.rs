//! Persisted queries and trusted documents on `/graphql`, resolved before anything is parsed
//! (the transport's [`DocumentResolver`] seam).
//!
//! - **Automatic persisted queries**, as Apollo clients send them: a request may carry only
//!   `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}` and no `query` (so a
//!   `GET` with the hash fits in a URL a CDN can cache). A hash the server has seen is run; an
//!   unknown one is answered `PersistedQueryNotFound` (`extensions.code =
//!   PERSISTED_QUERY_NOT_FOUND`), and the client sends it again with the query, which the
//!   server checks against the hash and keeps. The documents learned are bounded by
//!   [`MAX_BYTES`]; past it the oldest half is forgotten (a client then sends the query again).
//!   Anyone can teach the server any document this way, so it is a saving, not a boundary.
//! - **Trusted documents**: a [`Manifest`] of the documents the region's own clients send,
//!   loaded from a file (`[access.trusted_documents]`), by the SHA-256 of their text. A caller
//!   runs one by `documentId: "sha256:<hex>"` (GraphQL-over-HTTP, persisted documents) or by
//!   the APQ hash, without sending its text. What anonymous callers may send beyond that is
//!   [`DocumentPolicy`]: `off` ignores the manifest, `allow` takes any document too, `require`
//!   takes only the manifest's (`PERSISTED_QUERY_NOT_IN_LIST` otherwise, and nothing learned
//!   through APQ). A caller with an API key may always send its own documents.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::ServerError;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::graphql_http::{DocumentRequest, DocumentResolver};
use crate::auth::Caller;
use crate::graphql::codes::Code;

/// The most document bytes learned through APQ.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The prefix of a `documentId` that is a SHA-256 (GraphQL-over-HTTP, persisted documents).
const SHA256_PREFIX: &str = "sha256:";

/// What anonymous callers may send (`[access.trusted_documents] anonymous`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentPolicy {
    /// The manifest is not used; any document is run.
    #[default]
    Off,
    /// The manifest's documents can be run by id, and any other document is run too.
    Allow,
    /// Only the manifest's documents are run, by id or by their exact text.
    Require,
}

/// The trusted documents, by the SHA-256 of their text in lowercase hex.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    documents: HashMap<String, Arc<str>>,
}

/// Apollo's persisted query manifest (`generate-persisted-query-manifest`).
#[derive(Deserialize)]
struct ApolloManifest {
    format: String,
    version: u64,
    operations: Vec<ApolloOperation>,
}

#[derive(Deserialize)]
struct ApolloOperation {
    id: String,
    body: String,
}

impl Manifest {
    /// Reads a manifest: Apollo's persisted query manifest (`{"format":
    /// "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body", …}]}`) or
    /// an object of hash to document (GraphQL Code Generator's `persisted-documents.json`,
    /// Relay's `persisted_queries.json`); a hash may carry the `sha256:` prefix. Every hash is
    /// checked against its text, and every problem is named by its entry.
    pub fn parse(json: &str) -> Result<Self, Vec<String>> {
        let value: Value = serde_json::from_str(json).map_err(|error| vec![format!("not valid JSON: {error}")])?;
        let entries: Vec<(String, String, String)> = if value.get("format").is_some() {
            let manifest: ApolloManifest = serde_json::from_value(value)
                .map_err(|error| vec![format!("not an Apollo persisted query manifest: {error}")])?;
            if manifest.format != "apollo-persisted-query-manifest" || manifest.version != 1 {
                return Err(vec![format!(
                    "format `{}` version {} is not known: use \"apollo-persisted-query-manifest\" version 1, or an object of hash to document",
                    manifest.format, manifest.version
                )]);
            }
            manifest
                .operations
                .into_iter()
                .enumerate()
                .map(|(index, operation)| (format!("operations[{index}].id"), operation.id, operation.body))
                .collect()
        } else {
            let Value::Object(object) = value else {
                return Err(vec!["must be a JSON object".to_owned()]);
            };
            let mut entries = Vec::with_capacity(object.len());
            let mut problems = Vec::new();
            for (hash, document) in object {
                match document {
                    Value::String(document) => entries.push((format!("`{hash}`"), hash, document)),
                    _ => problems.push(format!("`{hash}`: the document must be a string")),
                }
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            entries
        };
        let mut problems = Vec::new();
        let mut documents = HashMap::with_capacity(entries.len());
        for (entry, hash, document) in entries {
            let hash = hash.strip_prefix(SHA256_PREFIX).unwrap_or(&hash).to_ascii_lowercase();
            let actual = sha256_hex(&document);
            if hash == actual {
                documents.insert(actual, Arc::from(document));
            } else {
                problems.push(format!("{entry}: `{hash}` is not the SHA-256 of its document, which is `{actual}`"));
            }
        }
        if problems.is_empty() { Ok(Self { documents }) } else { Err(problems) }
    }

    /// How many documents the manifest holds.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    fn get(&self, hash: &str) -> Option<&Arc<str>> {
        self.documents.get(hash)
    }
}

/// The documents `/graphql` can run without their text: the trusted ones and those learned
/// through APQ.
#[derive(Debug, Default)]
pub struct PersistedDocuments {
    trusted: Arc<Manifest>,
    anonymous: DocumentPolicy,
    learned: Mutex<Learned>,
}

#[derive(Debug, Default)]
struct Learned {
    documents: HashMap<String, String>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Learned {
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

/// How a request names a document without its text.
enum Named {
    DocumentId(String),
    PersistedQuery(String),
}

impl PersistedDocuments {
    /// Trusted documents from `trusted`, with `anonymous` deciding what anonymous callers may
    /// send besides.
    pub fn new(trusted: Arc<Manifest>, anonymous: DocumentPolicy) -> Self {
        Self { trusted, anonymous, learned: Mutex::default() }
    }

    fn policy(&self, request: &DocumentRequest<'_>) -> DocumentPolicy {
        let anonymous = request.parts.extensions.get::<Caller>().is_none_or(Caller::is_anonymous);
        match self.anonymous {
            DocumentPolicy::Require if !anonymous => DocumentPolicy::Allow,
            policy => policy,
        }
    }

    fn trusted(&self, policy: DocumentPolicy, hash: &str) -> Option<String> {
        match policy {
            DocumentPolicy::Off => None,
            DocumentPolicy::Allow | DocumentPolicy::Require => {
                self.trusted.get(hash).map(|document| document.to_string())
            }
        }
    }
}

impl DocumentResolver for PersistedDocuments {
    fn resolve(&self, request: DocumentRequest<'_>) -> Result<Option<String>, ServerError> {
        let policy = self.policy(&request);
        let named = named(&request)?;
        let not_in_list = || {
            Code::PersistedQueryNotInList.error(
                "anonymous callers may only run this server's trusted documents: send the `documentId` of one, or an API key",
            )
        };
        let learned = || self.learned.lock().unwrap_or_else(PoisonError::into_inner);
        match (request.query, named) {
            (query, None) => match query {
                Some(query) if policy == DocumentPolicy::Require && self.trusted.get(&sha256_hex(&query)).is_none() => {
                    Err(not_in_list())
                }
                query => Ok(query),
            },
            (Some(_), Some(Named::DocumentId(_))) => {
                Err(Code::BadRequest.error("send either `query` or `documentId`, not both"))
            }
            (Some(query), Some(Named::PersistedQuery(hash))) => {
                if sha256_hex(&query) != hash {
                    return Err(
                        Code::BadRequest.error("`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`")
                    );
                }
                if self.trusted(policy, &hash).is_none() {
                    if policy == DocumentPolicy::Require {
                        return Err(not_in_list());
                    }
                    learned().insert(hash, query.clone());
                }
                Ok(Some(query))
            }
            (None, Some(named)) => {
                let (Named::DocumentId(hash) | Named::PersistedQuery(hash)) = &named;
                let found = self.trusted(policy, hash).or_else(|| match policy {
                    DocumentPolicy::Require => None,
                    DocumentPolicy::Off | DocumentPolicy::Allow => learned().documents.get(hash).cloned(),
                });
                match (found, named) {
                    (Some(document), _) => Ok(Some(document)),
                    (None, Named::PersistedQuery(_)) => {
                        Err(Code::PersistedQueryNotFound.error("PersistedQueryNotFound"))
                    }
                    (None, Named::DocumentId(hash)) => Err(Code::PersistedQueryNotFound
                        .error(format!("no document has the `documentId` `{SHA256_PREFIX}{hash}`"))),
                }
            }
        }
    }
}

/// The document a request names by hash, if it does: its `documentId` or its APQ extension.
fn named(request: &DocumentRequest<'_>) -> Result<Option<Named>, ServerError> {
    let bad = |message: &str| Code::BadRequest.error(message);
    if let Some(id) = &request.document_id {
        return id
            .strip_prefix(SHA256_PREFIX)
            .and_then(sha256_of)
            .map(|hash| Some(Named::DocumentId(hash)))
            .ok_or_else(|| {
                bad("`documentId` must be `sha256:` and the SHA-256 of the document in hex (64 characters)")
            });
    }
    let Some(persisted) = request.extensions.and_then(|extensions| extensions.get("persistedQuery")) else {
        return Ok(None);
    };
    if persisted.get("version").and_then(Value::as_u64) != Some(1) {
        return Err(bad("`extensions.persistedQuery.version` must be 1"));
    }
    persisted
        .get("sha256Hash")
        .and_then(Value::as_str)
        .and_then(sha256_of)
        .map(|hash| Some(Named::PersistedQuery(hash)))
        .ok_or_else(|| bad("`extensions.persistedQuery.sha256Hash` must be a SHA-256 in hex (64 characters)"))
}

/// `text` as a SHA-256 in lowercase hex, if it is one.
fn sha256_of(text: &str) -> Option<String> {
    (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| text.to_ascii_lowercase())
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::http::Request;
    use axum::http::request::Parts;
    use serde_json::{Map, json};

    use super::*;

    fn parts() -> Parts {
        Request::new(()).into_parts().0
    }

    fn extensions(hash: &str) -> Map<String, Value> {
        json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).as_object().cloned().unwrap_or_default()
    }

    fn resolve(
        documents: &PersistedDocuments,
        query: Option<&str>,
        document_id: Option<&str>,
        extensions: Option<&Map<String, Value>>,
    ) -> Result<Option<String>, String> {
        let parts = parts();
        let request = DocumentRequest {
            query: query.map(str::to_owned),
            document_id: document_id.map(str::to_owned),
            extensions,
            parts: &parts,
        };
        documents.resolve(request).map_err(|error| error.message)
    }

    #[test]
    fn a_hash_is_unknown_until_it_comes_with_its_query() {
        let documents = PersistedDocuments::default();
        let query = "{ __typename }";
        let hash = sha256_hex(query);
        assert_eq!(resolve(&documents, None, None, Some(&extensions(&hash))), Err("PersistedQueryNotFound".to_owned()));
        assert_eq!(resolve(&documents, Some(query), None, Some(&extensions(&hash))), Ok(Some(query.to_owned())));
        assert_eq!(resolve(&documents, None, None, Some(&extensions(&hash))), Ok(Some(query.to_owned())));
        assert!(resolve(&documents, Some(query), None, Some(&extensions(&"0".repeat(64)))).is_err());
        assert_eq!(resolve(&documents, None, None, None), Ok(None));
    }

    #[test]
    fn under_require_an_anonymous_caller_runs_only_the_manifests_documents() {
        let trusted = "query Kurser { offerings(first: 1) { totalCount } }";
        let manifest = Manifest::parse(&json!({ format!("sha256:{}", sha256_hex(trusted)): trusted }).to_string())
            .expect("a manifest");
        let documents = PersistedDocuments::new(Arc::new(manifest), DocumentPolicy::Require);
        let id = format!("sha256:{}", sha256_hex(trusted));
        assert_eq!(resolve(&documents, None, Some(&id), None), Ok(Some(trusted.to_owned())));
        assert_eq!(resolve(&documents, Some(trusted), None, None), Ok(Some(trusted.to_owned())));
        let other = "{ __typename }";
        let refused = resolve(&documents, Some(other), None, None).expect_err("not in the manifest");
        assert!(refused.contains("trusted documents"), "{refused}");
        let learning = resolve(&documents, Some(other), None, Some(&extensions(&sha256_hex(other))));
        assert!(learning.is_err(), "APQ must not teach the server a document under require");
    }

    #[test]
    fn a_manifest_names_every_entry_whose_hash_is_not_its_documents() {
        let apollo = json!({
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [
                { "id": sha256_hex("{ a }"), "body": "{ a }", "name": "A", "type": "query" },
                { "id": "0".repeat(64), "body": "{ b }", "name": "B", "type": "query" },
                { "id": "1".repeat(64), "body": "{ c }", "name": "C", "type": "query" },
            ],
        });
        let problems = Manifest::parse(&apollo.to_string()).expect_err("two wrong hashes");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("operations[1].id"), "{problems:?}");
        assert!(problems[1].starts_with("operations[2].id"), "{problems:?}");
        assert!(Manifest::parse("[]").is_err());
        assert!(Manifest::parse(r#"{"abc": 1}"#).is_err());
    }
}
