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
//! - `planned_educations`: Skolverket's Planned Educations API v4 at
//!   `/<source-id>/v4/adult-education-events` (with `geographicalAreaCode`, `typeOfSchool`,
//!   `distance`, `page` and `size`); the `planned_educations` submodule documents how the
//!   canonical model is written and which quirks of the real API it keeps.
//! - `csv`: an Alvis-like export at `/<source-id>/kurser.csv` (the `csv` submodule documents
//!   its columns).
//! - `ss12000`: an SS 12000 API at `/<source-id>/organisations`, `/syllabuses`,
//!   `/schoolUnitOfferings`, `/activities` and `/deletedEntities` (with `limit`, `pageToken`,
//!   `meta.modified.after`); the `ss12000` submodule documents how the model is written.
//! - `json_api`: a municipality's own "kurskatalog" REST API at
//!   `/<source-id>/api/v1/kurstillfallen`, paged by next links (the `json_api` submodule
//!   documents its shape).
//!
//! [`Upstreams::connector_toml`] gives the `[source.connector]` table a municipal admin would
//! write to harvest a source from this server ([`Upstreams::connector_config`] parsed), and
//! [`Upstreams::sources_toml`] the whole `[[source]]` entries, as the demo, the harvest benchmark
//! and the fault tests use them. Faults are set per source at run time with [`Upstreams::set_fault`], also while
//! requests are in flight; each request reads the fault once, when it arrives.

mod csv;
mod json_api;
mod planned_educations;
mod ss12000;
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
    /// `503 Service Unavailable` with `Retry-After: 1` and the format's own error body
    /// (Susa-navet's "The system is currently updating education resources"; the Planned
    /// Educations API's `{status, message}` envelope; SS 12000's `{code, message}`).
    Unavailable,
    /// `200` with a body that is not what it claims to be: broken JSON for a `susa_navet`,
    /// `planned_educations`, `ss12000` or `json_api` source, an HTML login page instead of the
    /// export for a `csv` source.
    MalformedJson,
    /// `200`, and the connection is dropped half-way through the body.
    TruncatedBody,
    /// The format changed: a `susa_navet` list envelope names its records `events`, `infos`
    /// or `providers` instead of `educationEvents`, …; a `planned_educations` page names its
    /// list `adultEducationEvents` instead of `listedAdultEducationEvents`; an `ss12000` page
    /// names its list `items` and its token `nextPageToken`; a `csv` export renames its `Namn`
    /// column to `Kursnamn`; a `json_api` page holds its records under `tillfallen` (the API's
    /// next version) instead of `kurstillfallen`.
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

/// What one source serves, rendered once at start.
enum Content {
    SusaNavet(susa_navet::Data),
    PlannedEducations(planned_educations::Data),
    Ss12000(ss12000::Data),
    /// The export, and the export with its drifted header.
    Csv {
        export: Bytes,
        drifted: Bytes,
    },
    JsonApi(json_api::Data),
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
                    ConnectorKind::PlannedEducations => {
                        Content::PlannedEducations(planned_educations::Data::new(source, &base_url))
                    }
                    ConnectorKind::Ss12000 => Content::Ss12000(ss12000::Data::new(source)),
                    ConnectorKind::JsonApi => Content::JsonApi(json_api::Data::new(source)),
                    ConnectorKind::SusaNavet => Content::SusaNavet(susa_navet::Data::new(source)),
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

    /// The `[source.connector]` table, with its header and the headers of its sub-tables
    /// (`[source.connector.columns]`), that a municipal admin would write under a `[[source]]`
    /// entry to harvest `source` from this server.
    pub fn connector_toml(&self, source: &DemoSource) -> String {
        let url = self.source_url(&source.id);
        // Each kind writes its table with sub-table headers relative to it (`[columns]`).
        let table = match source.kind {
            ConnectorKind::Csv => csv::connector_toml(&format!("{url}/kurser.csv")),
            ConnectorKind::PlannedEducations => format!(
                "kind = \"planned_educations\"\nbase_url = \"{url}\"\ntype_of_school = [\"vuxgr\", \"vuxgy\", \"vuxsfi\", \"vuxgran\", \"vuxgyan\", \"komvuxcoursepackage\"]\npage_size = 200\n"
            ),
            ConnectorKind::Ss12000 => ss12000::connector_toml(&url),
            ConnectorKind::JsonApi => json_api::connector_toml(&url),
            ConnectorKind::SusaNavet => format!(
                "kind = \"susa_navet\"\nbase_url = \"{url}\"\nschool_types = [\"VUXGR\", \"VUXGY\", \"VUXSFI\", \"VUXGRAN\", \"VUXGYAN\"]\npage_size = 500\n"
            ),
        };
        let mut text = String::from("[source.connector]\n");
        for line in table.lines() {
            match line.strip_prefix('[') {
                Some(header) if !header.starts_with('[') => text.push_str(&format!("[source.connector.{header}")),
                _ => text.push_str(line),
            }
            text.push('\n');
        }
        text
    }

    /// The `[[source]]` entries a municipal admin would write to harvest `sources` from this
    /// server on `schedule`, allowed to reach loopback.
    pub fn sources_toml(&self, sources: &[DemoSource], schedule: &str) -> String {
        let mut text = String::from("# The simulated municipal systems of `vuxnav demo`.\n");
        for source in sources {
            text.push_str(&format!(
                "\n[[source]]\nid = \"{}\"\nmunicipality = \"{}\"\nschedule = \"{schedule}\"\nallow_private_network = true\n\n{}",
                source.id.as_str(),
                source.municipality.as_str(),
                self.connector_toml(source)
            ));
        }
        text
    }

    /// [`connector_toml`](Self::connector_toml), parsed.
    ///
    /// # Panics
    ///
    /// Never: the tables written are valid (the tests parse and validate them for every demo
    /// source).
    pub fn connector_config(&self, source: &DemoSource) -> ConnectorConfig {
        let file: toml::Table =
            toml::from_str(&self.connector_toml(source)).expect("the simulated systems write valid TOML");
        let table = file.get("source").and_then(|source| source.get("connector")).cloned();
        table
            .expect("a [source.connector] table")
            .try_into()
            .expect("the simulated systems write valid connector tables")
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
    let error = |status: u16, message: &str| match &served.content {
        Content::Ss12000(_) => ss12000_error(status, message),
        Content::PlannedEducations(_) => planned_error(status, message),
        _ => json_error(status, message),
    };
    served.requests.fetch_add(1, Ordering::Relaxed);
    let fault = *served.fault.read().unwrap_or_else(PoisonError::into_inner);
    match fault {
        Fault::Slow(delay) => tokio::time::sleep(delay).await,
        Fault::Unavailable => {
            let mut response = error(503, "The system is currently updating education resources");
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
        Content::PlannedEducations(data) => {
            let answer = if path.trim_end_matches('/') == planned_educations::EVENTS_PATH {
                data.list(&query, drift).map_err(|error| (error.status, error.message))
            } else {
                Err((404, format!("No resource {path}")))
            };
            match json_answer(answer, fault, planned_educations::MEDIA_TYPE) {
                Ok(answer) => answer,
                Err((status, message)) => return error(status, &message),
            }
        }
        Content::JsonApi(data) => {
            let answer = if path.trim_end_matches('/') == json_api::PATH {
                data.page(&format!("/{source}/{}", json_api::PATH), &query, drift)
                    .map_err(|error| (error.status, error.message))
            } else {
                Err((404, format!("No resource {path}")))
            };
            match json_answer(answer, fault, "application/json; charset=utf-8") {
                Ok(answer) => answer,
                Err((status, message)) => return error(status, &message),
            }
        }
        Content::SusaNavet(data) => {
            let answer = susa_navet_answer(data, &shared.base_url, &source, &path, &query, drift)
                .map_err(|error| (error.status, error.message));
            match json_answer(answer, fault, "application/json") {
                Ok(answer) => answer,
                Err((status, message)) => return error(status, &message),
            }
        }
        Content::Ss12000(data) => {
            let answer = ss12000_answer(data, &path, &query, drift).map_err(|error| (error.status, error.message));
            match json_answer(answer, fault, "application/json") {
                Ok(answer) => answer,
                Err((status, message)) => return error(status, &message),
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

/// A JSON answer as sent with `content_type`, broken as `fault` says, or the status and
/// message of an error.
fn json_answer(
    answer: Result<Value, (u16, String)>,
    fault: Fault,
    content_type: &'static str,
) -> Result<(StatusCode, &'static str, Bytes), (u16, String)> {
    match answer {
        Ok(value) if fault == Fault::MalformedJson => {
            // A proxy's error page glued to the JSON: not JSON any more.
            let text = format!("{value}\n<html><body>502 Bad Gateway</body></html>");
            Ok((StatusCode::OK, content_type, Bytes::from(text)))
        }
        Ok(value) => Ok((StatusCode::OK, content_type, Bytes::from(value.to_string()))),
        Err(error) => Err(error),
    }
}

fn ss12000_answer(
    data: &ss12000::Data,
    path: &str,
    query: &[(String, String)],
    drift: bool,
) -> Result<Value, ss12000::ApiError> {
    let path = path.trim_end_matches('/');
    if !ss12000::RESOURCES.contains(&path) && path != "deletedEntities" {
        return Err(ss12000::ApiError { status: 404, message: format!("No resource {path}") });
    }
    data.page(path, query, drift)
}

fn ss12000_error(status: u16, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = ss12000::error_body(status, message).to_string();
    (code, [(header::CONTENT_TYPE, "application/json")], body).into_response()
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

/// An error in the Planned Educations API's envelope.
fn planned_error(status: u16, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = planned_educations::error_body(status, message).to_string();
    (code, [(header::CONTENT_TYPE, planned_educations::MEDIA_TYPE)], body).into_response()
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
