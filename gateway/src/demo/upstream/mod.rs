//! Simulated municipal course systems: the demo data set served over HTTP on loopback in the
//! real upstream formats, so the demo and the tests harvest it through the real connectors.
//!
//! [`Upstreams::start`] runs one HTTP server on `127.0.0.1` (a port from the OS) that serves
//! every source under its own path prefix, in the format of its kind:
//!
//! - `susa_navet`: Susa-navet's EMIL 3 JSON at `/<source-id>/educationProviders`,
//!   `/educationInfos` and `/educationEvents` (with `page`, `size`, `schoolType`,
//!   `updatedSince` and, for events, `providerId`), one record by id at
//!   `/<source-id>/<resource>/<id>`, and `/<source-id>/api-info`. The `susa_navet` submodule
//!   documents how the canonical model is written.
//! - `csv`: an Alvis-like export at `/<source-id>/kurser.csv` (the `csv` submodule documents
//!   its columns).
//! - `ss12000`, `planned_educations` and `json_api` have no connector yet, so their sources are
//!   served as `susa_navet` for now ([`served_kind`]); every demo source is served.
//!
//! [`Upstreams::connector_config`] and [`Upstreams::connector_toml`] give the
//! `[source.connector]` table a municipal admin would write to harvest a source from this
//! server. Faults are set per source at run time with [`Upstreams::set_fault`], also while
//! requests are in flight; each request reads the fault once, when it arrives.

mod csv;
mod susa_navet;

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::StreamExt as _;
use serde_json::Value;
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_schema::SourceId;

use super::{ConnectorKind, DemoSource};

/// How a simulated system misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Answers normally.
    #[default]
    None,
    /// Waits this long before answering (normally) each request.
    Slow(Duration),
    /// `503 Service Unavailable` with `Retry-After: 1` and Susa-navet's own error body ("The
    /// system is currently updating education resources").
    Unavailable,
    /// `200` with a body that is not what it claims to be: broken JSON for a `susa_navet`
    /// source, an HTML login page instead of the export for a `csv` source.
    MalformedJson,
    /// `200`, and the connection is dropped half-way through the body.
    TruncatedBody,
    /// The format changed: a `susa_navet` list envelope names its records `events`, `infos`
    /// or `providers` instead of `educationEvents`, …; a `csv` export renames its `Namn`
    /// column to `Kursnamn`.
    SchemaDrift,
    /// `200` with a body that declares [`HUGE_BODY_BYTES`] (2 GiB) in `Content-Length` and
    /// streams that many bytes of padding, one shared chunk at a time: never held in memory.
    HugeBody,
    /// `200` with a chunked body (no `Content-Length`) of padding that never ends, streamed
    /// like [`Fault::HugeBody`]'s.
    EndlessBody,
}

/// The size a [`Fault::HugeBody`] answer declares and streams: 2 GiB.
pub const HUGE_BODY_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The chunk an oversized body repeats: 64 KiB of spaces (JSON whitespace).
const PADDING_CHUNK: usize = 64 * 1024;

/// The upstream kind a source is served as: its own for the kinds that have a connector,
/// `susa_navet` for the others (`ss12000`, `planned_educations`, `json_api`) until theirs exist.
pub fn served_kind(source: &DemoSource) -> &'static str {
    match source.kind {
        ConnectorKind::Csv => ConnectorKind::Csv.code(),
        // No server of their own format yet: served as Susa-navet.
        ConnectorKind::SusaNavet
        | ConnectorKind::PlannedEducations
        | ConnectorKind::Ss12000
        | ConnectorKind::JsonApi => ConnectorKind::SusaNavet.code(),
    }
}

/// What one source serves, rendered once at start.
enum Content {
    SusaNavet(susa_navet::Data),
    /// The export, and the export with its drifted header.
    Csv {
        export: Bytes,
        drifted: Bytes,
    },
}

struct Served {
    content: Content,
    fault: RwLock<Fault>,
    requests: AtomicU64,
}

struct Shared {
    base_url: String,
    sources: HashMap<String, Served>,
}

/// The running simulated systems of a set of demo sources. Dropping it stops the server.
pub struct Upstreams {
    base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Upstreams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstreams")
            .field("base_url", &self.base_url)
            .field("sources", &self.shared.sources.len())
            .finish()
    }
}

impl Drop for Upstreams {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Upstreams {
    /// Renders every source in its served format and starts serving them on `127.0.0.1` at a
    /// port chosen by the OS. Must be called within a Tokio runtime (an error otherwise).
    pub fn start(sources: &[DemoSource]) -> io::Result<Upstreams> {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let base_url = format!("http://{}", listener.local_addr()?);

        let sources = sources
            .iter()
            .map(|source| {
                let content = match source.kind {
                    ConnectorKind::Csv => Content::Csv {
                        export: Bytes::from(csv::export(source, false)),
                        drifted: Bytes::from(csv::export(source, true)),
                    },
                    _ => Content::SusaNavet(susa_navet::Data::new(source)),
                };
                let served = Served { content, fault: RwLock::new(Fault::None), requests: AtomicU64::new(0) };
                (source.id.as_str().to_owned(), served)
            })
            .collect();
        let shared = Arc::new(Shared { base_url: base_url.clone(), sources });

        let router = Router::new().route("/{source}/{*path}", get(handle)).with_state(Arc::clone(&shared));
        let task = {
            let _entered = runtime.enter();
            let listener = tokio::net::TcpListener::from_std(listener)?;
            runtime.spawn(async move {
                if let Err(error) = axum::serve(listener, router).await {
                    tracing::warn!(%error, "the simulated municipal systems stopped");
                }
            })
        };
        Ok(Upstreams { base_url, shared, task })
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// Where a source's system answers: `<base_url>/<source-id>`.
    pub fn source_url(&self, source: &SourceId) -> String {
        format!("{}/{}", self.base_url, source.as_str())
    }

    /// Makes the source's system misbehave from its next request on ([`Fault::None`] heals
    /// it). A source this server does not serve is ignored.
    pub fn set_fault(&self, source: &SourceId, fault: Fault) {
        if let Some(served) = self.shared.sources.get(source.as_str()) {
            *served.fault.write().unwrap_or_else(PoisonError::into_inner) = fault;
        }
    }

    /// The requests the source's system has received so far, faulty answers included.
    pub fn requests(&self, source: &SourceId) -> u64 {
        self.shared.sources.get(source.as_str()).map_or(0, |served| served.requests.load(Ordering::Relaxed))
    }

    /// The `[source.connector]` table (without its header) a municipal admin would write to
    /// harvest `source` from this server.
    pub fn connector_toml(&self, source: &DemoSource) -> String {
        let url = self.source_url(&source.id);
        match served_kind(source) {
            "csv" => csv::connector_toml(&format!("{url}/kurser.csv")),
            _ => format!(
                "kind = \"susa_navet\"\nbase_url = \"{url}\"\nschool_types = [\"VUXGR\", \"VUXGY\", \"VUXSFI\", \"VUXGRAN\", \"VUXGYAN\"]\npage_size = 500\n"
            ),
        }
    }

    /// [`connector_toml`](Self::connector_toml), parsed.
    ///
    /// # Panics
    ///
    /// Never: the tables written are valid (the tests parse and validate them for every demo
    /// source).
    pub fn connector_config(&self, source: &DemoSource) -> ConnectorConfig {
        toml::from_str(&self.connector_toml(source)).expect("the simulated systems write valid connector tables")
    }
}

/// Every request: count it, apply the source's fault, answer in the source's format.
async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((source, path)): Path<(String, String)>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let Some(served) = shared.sources.get(&source) else {
        return json_error(404, &format!("No source {source} is served here"));
    };
    served.requests.fetch_add(1, Ordering::Relaxed);
    let fault = *served.fault.read().unwrap_or_else(PoisonError::into_inner);
    match fault {
        Fault::Slow(delay) => tokio::time::sleep(delay).await,
        Fault::Unavailable => {
            let mut response = json_error(503, "The system is currently updating education resources");
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return response;
        }
        Fault::HugeBody => return oversized_body(Some(HUGE_BODY_BYTES)),
        Fault::EndlessBody => return oversized_body(None),
        Fault::None | Fault::MalformedJson | Fault::TruncatedBody | Fault::SchemaDrift => {}
    }
    let drift = fault == Fault::SchemaDrift;
    let (status, content_type, body) = match &served.content {
        Content::Csv { export, drifted } => match path.as_str() {
            "kurser.csv" if fault == Fault::MalformedJson => {
                (StatusCode::OK, "text/html; charset=utf-8", Bytes::from_static(csv::LOGIN_PAGE.as_bytes()))
            }
            "kurser.csv" => (StatusCode::OK, "text/csv; charset=utf-8", if drift { drifted } else { export }.clone()),
            _ => return (StatusCode::NOT_FOUND, "Not found").into_response(),
        },
        Content::SusaNavet(data) => {
            let answer = susa_navet_answer(data, &shared.base_url, &source, &path, &query, drift);
            match answer {
                Ok(value) if fault == Fault::MalformedJson => {
                    // A proxy's error page glued to the JSON: not JSON any more.
                    let text = format!("{value}\n<html><body>502 Bad Gateway</body></html>");
                    (StatusCode::OK, "application/json", Bytes::from(text))
                }
                Ok(value) => (StatusCode::OK, "application/json", Bytes::from(value.to_string())),
                Err(error) => return json_error(error.status, &error.message),
            }
        }
    };
    if fault == Fault::TruncatedBody {
        let half = body.slice(..body.len() / 2);
        let chunks: Vec<Result<Bytes, io::Error>> =
            vec![Ok(half), Err(io::Error::new(io::ErrorKind::ConnectionReset, "simulated truncated body"))];
        let mut response = Response::new(Body::from_stream(futures::stream::iter(chunks)));
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        return response;
    }
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn susa_navet_answer(
    data: &susa_navet::Data,
    base_url: &str,
    source: &str,
    path: &str,
    query: &[(String, String)],
    drift: bool,
) -> Result<Value, susa_navet::ApiError> {
    let path = path.trim_end_matches('/');
    if path == "api-info" {
        return Ok(susa_navet::api_info());
    }
    if let Some((resource, id)) = path.split_once('/') {
        return data.one(resource, id);
    }
    if !susa_navet::RESOURCES.contains(&path) {
        return Err(susa_navet::ApiError { status: 404, message: format!("No resource {path}") });
    }
    let query = susa_navet::ListQuery::parse(query)?;
    // Drift: the legacy names (`events` for `educationEvents`).
    let key = if drift { path.trim_start_matches("education").to_ascii_lowercase() } else { path.to_owned() };
    data.list(path, &query, &key, &format!("{base_url}/{source}/{path}"))
}

/// A `200` whose body repeats one padding chunk: `length` bytes declared in `Content-Length`,
/// or without end (chunked) when `None`. Only the one chunk is ever allocated.
fn oversized_body(length: Option<u64>) -> Response {
    let chunk = Bytes::from(vec![b' '; PADDING_CHUNK]);
    let chunks = futures::stream::repeat(chunk).map(Ok::<Bytes, io::Error>);
    let mut response = match length {
        Some(length) => {
            let count = usize::try_from(length.div_ceil(PADDING_CHUNK as u64)).unwrap_or(usize::MAX);
            let mut response = Response::new(Body::from_stream(chunks.take(count)));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            response
        }
        None => Response::new(Body::from_stream(chunks)),
    };
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn json_error(status: u16, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = susa_navet::error_body(status, message).to_string();
    (code, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
