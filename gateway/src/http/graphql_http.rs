//! GraphQL over HTTP: one endpoint, `/graphql`, that serves any async-graphql [`Executor`] by
//! the GraphQL-over-HTTP spec and passes all 61 audits of the npm package `graphql-http`.
//!
//! async-graphql's own axum integration is not used: it answers
//! `application/graphql-response+json` to `Accept: application/json` and gives parse and
//! validation errors as `200` with `"data": null`. This module does the transport itself and
//! leaves only execution to async-graphql:
//!
//! 1. Method: `GET` and `POST`; anything else is `405` with `Allow: GET, POST`. A browser's
//!    `GET` (`Accept` prefers `text/html`) gets GraphiQL when it is enabled
//!    ([`graphiql`](super::graphiql): served by vuxnav itself under a strict
//!    Content-Security-Policy). A URL longer than [`HttpLimits::max_url_bytes`] is `414`.
//! 2. `Accept` picks the response type: `application/graphql-response+json` when it is listed
//!    (q-values respected), `application/json` for `application/json`, `*/*`, `application/*`
//!    or no `Accept`; nothing acceptable is `406`. Every JSON response says `charset=utf-8`.
//! 3. Parameters: `GET` takes `query`, `operationName`, `variables` and `extensions` from the
//!    query string (the last two as URL-encoded JSON); `POST` takes a JSON object with
//!    `Content-Type: application/json` (a `charset` other than utf-8, any other type, or none
//!    is `415`). The body is read up to [`HttpLimits::max_body_bytes`] and no further (`413`).
//!    A malformed request is `400`.
//! 4. Before the document is parsed, its text is measured ([`DocumentLimits::scan`]: size,
//!    tokens, nesting of brackets; linear, no recursion); after, its fragments
//!    ([`DocumentLimits::check_expansion`]: selections and nesting with every spread
//!    expanded, computed per fragment, and fragment cycles). A document over a limit is a
//!    request error `QUERY_TOO_COMPLEX` naming the limit and the figures. async-graphql's
//!    parser and validation recurse and follow spreads, so nothing reaches them unmeasured.
//! 5. The document is parsed here, and the operation selected by `operationName`, before
//!    anything runs: a mutation or subscription over `GET` is `405` with `Allow: POST`.
//! 6. GraphQL request errors (parse, validation, variable coercion, operation selection, a
//!    refused limit) have no `data` entry and are `400` for
//!    `application/graphql-response+json`, `200` for `application/json`. Execution (field)
//!    errors are `200` with `data`.
//!
//! Error policy: every error response, whatever its status, has a GraphQL-style body
//! `{"errors":[{"message":…,"extensions":{"code":…}}]}` and no `data`. Transport errors are
//! [`HttpError`] and carry a [`Code`]; messages are lowercase and name the header, parameter
//! or limit at fault. Errors from the executor keep the code they carry; request errors
//! without one get [`Code::GraphqlValidationFailed`].

use std::fmt;
use std::sync::Arc;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Executor, ServerError, Value, Variables};
use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Serialize;

use super::graphiql;
use crate::graphql::codes::{Code, has_code};
use crate::graphql::limits::{DocumentLimits, MAX_NESTING};

/// The path the router serves, and the endpoint GraphiQL talks to.
pub const ENDPOINT: &str = "/graphql";

/// The media type of GraphQL responses (GraphQL-over-HTTP).
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// Limits the transport enforces before anything is executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpLimits {
    /// Largest request body read, in bytes; a larger one is answered `413` without being
    /// read whole. Default 1 MiB.
    pub max_body_bytes: usize,
    /// Longest request URL (path and query string), in bytes; a longer one is answered `414`
    /// with a JSON error body. Default 16 KiB. hyper answers a URL over 65,534 bytes with an
    /// empty `414` before any handler runs, so a larger value has no effect past that.
    pub max_url_bytes: usize,
    /// The limits on the GraphQL document, checked before and after parsing.
    pub document: DocumentLimits,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self { max_body_bytes: 1024 * 1024, max_url_bytes: 16 * 1024, document: DocumentLimits::default() }
    }
}

/// What a request names as its document, before anything is parsed.
#[derive(Debug)]
pub struct DocumentRequest<'a> {
    /// The `query` text; absent when the client sends only a hash or a `documentId`.
    pub query: Option<String>,
    /// The `documentId` (GraphQL-over-HTTP, persisted documents): `sha256:<hex>`.
    pub document_id: Option<String>,
    pub extensions: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// The HTTP request, with what earlier layers put in its extensions (the caller).
    pub parts: &'a Parts,
}

/// Turns what a request names ([`DocumentRequest`]) into the document to run, before anything
/// is parsed: persisted queries and trusted documents (`http::persisted`). `Ok(query)`
/// unchanged when it has nothing to do; `Err` is the request error to answer.
pub trait DocumentResolver: Send + Sync {
    fn resolve(&self, request: DocumentRequest<'_>) -> Result<Option<String>, ServerError>;
}

/// Adds per-request data (API key, role, today's date, …) to each GraphQL request, from the
/// HTTP request's parts (headers, URI, axum extensions set by earlier layers).
pub type RequestHook = Arc<dyn Fn(&Parts, async_graphql::Request) -> async_graphql::Request + Send + Sync>;

/// The GraphQL-over-HTTP endpoint around an executor (usually an `async_graphql::Schema`).
///
/// ```ignore
/// let app = GraphQlHttp::new(schema)
///     .limits(HttpLimits { max_body_bytes: 256 * 1024 })
///     .graphiql(true)
///     .request_hook(|parts, request| request.data(Today::from_headers(&parts.headers)))
///     .into_router();
/// ```
pub struct GraphQlHttp<E> {
    executor: E,
    limits: HttpLimits,
    graphiql: bool,
    hook: Option<RequestHook>,
    path: &'static str,
    documents: Option<Arc<dyn DocumentResolver>>,
}

impl<E> fmt::Debug for GraphQlHttp<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphQlHttp")
            .field("limits", &self.limits)
            .field("graphiql", &self.graphiql)
            .field("hook", &self.hook.is_some())
            .field("path", &self.path)
            .field("documents", &self.documents.is_some())
            .finish_non_exhaustive()
    }
}

/// The router serving `GET` and `POST` on [`ENDPOINT`]; shorthand for [`GraphQlHttp`] without
/// a request hook.
pub fn router<E: Executor>(executor: E, limits: HttpLimits, graphiql: bool) -> Router {
    GraphQlHttp::new(executor).limits(limits).graphiql(graphiql).into_router()
}

impl<E: Executor> GraphQlHttp<E> {
    /// Default limits, GraphiQL off, no request hook.
    pub fn new(executor: E) -> Self {
        Self { executor, limits: HttpLimits::default(), graphiql: false, hook: None, path: ENDPOINT, documents: None }
    }

    /// Resolves each request's document with `resolver` before parsing it (persisted queries).
    #[must_use]
    pub fn documents(mut self, resolver: Arc<dyn DocumentResolver>) -> Self {
        self.documents = Some(resolver);
        self
    }

    /// Serves on `path` instead of [`ENDPOINT`] (a second schema beside the first).
    #[must_use]
    pub fn path(mut self, path: &'static str) -> Self {
        self.path = path;
        self
    }

    /// Sets the transport limits.
    #[must_use]
    pub fn limits(mut self, limits: HttpLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Serves GraphiQL to browsers (`GET` preferring `text/html`) when `true`.
    #[must_use]
    pub fn graphiql(mut self, enabled: bool) -> Self {
        self.graphiql = enabled;
        self
    }

    /// Runs `hook` on every GraphQL request after its parameters are checked and before it
    /// executes, to attach data from the HTTP request (`request.data(…)`).
    #[must_use]
    pub fn request_hook(
        mut self,
        hook: impl Fn(&Parts, async_graphql::Request) -> async_graphql::Request + Send + Sync + 'static,
    ) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// The router serving `GET` and `POST` on its path (every other method is `405`), and
    /// GraphiQL's files under [`graphiql::ASSETS`] when GraphiQL is on.
    pub fn into_router(self) -> Router {
        let (path, graphiql) = (self.path, self.graphiql);
        let endpoint = Arc::new(Endpoint { http: self });
        let router = Router::new().route(
            path,
            axum::routing::any(move |request: Request| {
                let endpoint = Arc::clone(&endpoint);
                async move { endpoint.serve(request).await }
            }),
        );
        if graphiql { router.merge(graphiql::assets()) } else { router }
    }
}

/// A transport-level failure: answered before (or instead of) executing anything.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("method `{0}` is not allowed; use GET or POST")]
    MethodNotAllowed(Method),
    #[error("{0}s are not allowed over GET; use POST")]
    OperationNotAllowedOverGet(&'static str),
    #[error("no media type in `Accept` can be served; accept {GRAPHQL_RESPONSE_JSON} or application/json")]
    NotAcceptable,
    #[error("`Content-Type` is required on POST; send application/json")]
    MissingContentType,
    #[error("`Content-Type` `{0}` is not supported; send application/json")]
    UnsupportedContentType(String),
    #[error("charset `{0}` is not supported; send utf-8")]
    UnsupportedCharset(String),
    #[error("request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    #[error("the URL is {length} bytes long; at most {max} are allowed: send long queries with POST")]
    UriTooLong { length: usize, max: usize },
    #[error("request body could not be read")]
    UnreadableBody,
    #[error("request body is empty; send a JSON object with `query`")]
    EmptyBody,
    #[error("request body is not valid JSON: {0}")]
    InvalidJson(serde_json::Error),
    #[error("request body must be a JSON object")]
    BodyNotAnObject,
    #[error("query string could not be decoded")]
    InvalidQueryString,
    #[error("`{0}` must be given at most once")]
    RepeatedParameter(&'static str),
    #[error("`query` is required")]
    MissingQuery,
    #[error("`{0}` must be a string")]
    NotAString(&'static str),
    #[error("`documentId` is not served here; send `query`")]
    DocumentIdNotServed,
    #[error("`{0}` must be a JSON object")]
    NotAnObject(&'static str),
    #[error("`{0}` is not valid JSON: {1}")]
    InvalidJsonParameter(&'static str, serde_json::Error),
}

impl HttpError {
    /// The HTTP status this failure is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MethodNotAllowed(_) | Self::OperationNotAllowedOverGet(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Self::MissingContentType | Self::UnsupportedContentType(_) | Self::UnsupportedCharset(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The stable `extensions.code` of this failure.
    pub fn code(&self) -> Code {
        match self {
            Self::MethodNotAllowed(_) | Self::OperationNotAllowedOverGet(_) => Code::MethodNotAllowed,
            Self::NotAcceptable => Code::NotAcceptable,
            Self::MissingContentType | Self::UnsupportedContentType(_) | Self::UnsupportedCharset(_) => {
                Code::UnsupportedMediaType
            }
            Self::PayloadTooLarge(_) => Code::PayloadTooLarge,
            Self::UriTooLong { .. } => Code::UriTooLong,
            Self::UnreadableBody
            | Self::EmptyBody
            | Self::InvalidJson(_)
            | Self::BodyNotAnObject
            | Self::InvalidQueryString
            | Self::RepeatedParameter(_)
            | Self::MissingQuery
            | Self::NotAString(_)
            | Self::DocumentIdNotServed
            | Self::NotAnObject(_)
            | Self::InvalidJsonParameter(..) => Code::BadRequest,
        }
    }

    fn allow(&self) -> Option<&'static str> {
        match self {
            Self::MethodNotAllowed(_) => Some("GET, POST"),
            Self::OperationNotAllowedOverGet(_) => Some("POST"),
            _ => None,
        }
    }

    fn into_response(self, format: Format) -> Response {
        let mut response =
            json_response(self.status(), format, &ErrorsBody::new(vec![self.code().error(self.to_string())]));
        if let Some(allow) = self.allow() {
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

/// The response media type chosen from `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    GraphQlResponseJson,
    Json,
}

impl Format {
    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }

    /// The status of a GraphQL request error (a response without `data`).
    fn request_error_status(self) -> StatusCode {
        match self {
            Self::GraphQlResponseJson => StatusCode::BAD_REQUEST,
            Self::Json => StatusCode::OK,
        }
    }
}

/// The GraphQL request parameters, checked but not yet parsed.
#[derive(Debug, Default)]
struct Params {
    /// Absent when the client sends only a persisted query's hash or a `documentId`.
    query: Option<String>,
    document_id: Option<String>,
    operation_name: Option<String>,
    variables: Option<serde_json::Map<String, serde_json::Value>>,
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

struct Endpoint<E> {
    http: GraphQlHttp<E>,
}

impl<E: Executor> Endpoint<E> {
    async fn serve(&self, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let accept = Accept::parse(&parts.headers);
        let url_length = parts.uri.path_and_query().map_or(0, |url| url.as_str().len());
        if url_length > self.http.limits.max_url_bytes {
            let error = HttpError::UriTooLong { length: url_length, max: self.http.limits.max_url_bytes };
            return error.into_response(accept.negotiate().unwrap_or(Format::Json));
        }
        let is_get = match parts.method {
            Method::GET => true,
            Method::POST => false,
            ref other => return HttpError::MethodNotAllowed(other.clone()).into_response(Format::Json),
        };
        if is_get && self.http.graphiql && accept.prefers_html() {
            return with_vary(graphiql::page(self.http.path));
        }
        let Some(format) = accept.negotiate() else {
            return HttpError::NotAcceptable.into_response(Format::Json);
        };
        let params = if is_get {
            params_from_query_string(&parts.uri)
        } else {
            params_from_body(&parts.headers, body, self.http.limits.max_body_bytes).await
        };
        let params = match params {
            Ok(params) => params,
            Err(error) => return error.into_response(format),
        };
        let query = match &self.http.documents {
            Some(resolver) => {
                let request = DocumentRequest {
                    query: params.query,
                    document_id: params.document_id,
                    extensions: params.extensions.as_ref(),
                    parts: &parts,
                };
                match resolver.resolve(request) {
                    Ok(query) => query,
                    Err(error) => return request_errors(format, vec![error], None),
                }
            }
            None if params.document_id.is_some() => return HttpError::DocumentIdNotServed.into_response(format),
            None => params.query,
        };
        let Some(query) = query else {
            return HttpError::MissingQuery.into_response(format);
        };
        let limits = &self.http.limits.document;
        if let Err(refusals) = limits.scan(&query) {
            return request_errors(format, refusals.into_iter().map(ServerError::from).collect(), None);
        }
        let document = match async_graphql::parser::parse_query(&query) {
            Ok(document) => document,
            Err(error) => return request_errors(format, vec![parse_error(error)], None),
        };
        if let Err(refusals) = limits.check_expansion(&document) {
            return request_errors(format, refusals.into_iter().map(ServerError::from).collect(), None);
        }
        let operation_type = match select_operation(&document, params.operation_name.as_deref()) {
            Ok(operation_type) => operation_type,
            Err(message) => return request_errors(format, vec![Code::BadRequest.error(message)], None),
        };
        if is_get {
            match operation_type {
                OperationType::Query => {}
                OperationType::Mutation => {
                    return HttpError::OperationNotAllowedOverGet("mutation").into_response(format);
                }
                OperationType::Subscription => {
                    return HttpError::OperationNotAllowedOverGet("subscription").into_response(format);
                }
            }
        }
        let mut request = async_graphql::Request::new(query);
        request.operation_name = params.operation_name;
        if let Some(variables) = params.variables {
            request.variables = Variables::from_json(serde_json::Value::Object(variables));
        }
        if let Some(extensions) = params.extensions {
            for (name, value) in extensions {
                match Value::from_json(value) {
                    Ok(value) => {
                        request.extensions.insert(name, value);
                    }
                    Err(error) => return HttpError::InvalidJsonParameter("extensions", error).into_response(format),
                }
            }
        }
        request.set_parsed_query(document);
        if let Some(hook) = &self.http.hook {
            request = hook(&parts, request);
        }
        execution_response(format, self.http.executor.execute(request).await)
    }
}

/// Picks the operation the request names, as GraphQL's `GetOperation` does, and returns its
/// type; the message names `operationName` when the selection fails.
fn select_operation(document: &ExecutableDocument, operation_name: Option<&str>) -> Result<OperationType, String> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), None) => Ok(operation.node.ty),
        (DocumentOperations::Multiple(operations), None) => {
            let mut types = operations.values().map(|operation| operation.node.ty);
            match (types.next(), types.next()) {
                (Some(operation_type), None) => Ok(operation_type),
                _ => Err("`operationName` is required when the document has more than one operation".to_owned()),
            }
        }
        (DocumentOperations::Multiple(operations), Some(name)) => {
            operations.get(name).map(|operation| operation.node.ty).ok_or_else(|| unknown_operation(name))
        }
        (DocumentOperations::Single(_), Some(name)) => Err(unknown_operation(name)),
    }
}

/// A parse failure: `QUERY_TOO_COMPLEX` when the parser's own recursion limit stopped it
/// (selection sets nested deeper than 64, which [`DocumentLimits::scan`] normally refuses
/// first), `GRAPHQL_PARSE_FAILED` otherwise.
fn parse_error(error: async_graphql::parser::Error) -> ServerError {
    let too_deep = matches!(error, async_graphql::parser::Error::RecursionLimitExceeded);
    let mut error = ServerError::from(error);
    if too_deep {
        error.message = format!("the document nests selection sets deeper than {MAX_NESTING}");
        Code::QueryTooComplex.set(&mut error);
    } else {
        Code::GraphqlParseFailed.set(&mut error);
    }
    error
}

fn unknown_operation(name: &str) -> String {
    format!("`operationName` `{name}` does not name an operation in the document")
}

fn params_from_query_string(uri: &Uri) -> Result<Params, HttpError> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri).map_err(|_| HttpError::InvalidQueryString)?;
    let mut query = None;
    let mut document_id = None;
    let mut operation_name = None;
    let mut variables = None;
    let mut extensions = None;
    for (name, value) in pairs {
        let (slot, name) = match name.as_str() {
            "query" => (&mut query, "query"),
            "documentId" => (&mut document_id, "documentId"),
            "operationName" => (&mut operation_name, "operationName"),
            "variables" => (&mut variables, "variables"),
            "extensions" => (&mut extensions, "extensions"),
            _ => continue,
        };
        if slot.replace(value).is_some() {
            return Err(HttpError::RepeatedParameter(name));
        }
    }
    Ok(Params {
        query,
        document_id: document_id.filter(|id| !id.is_empty()),
        operation_name: operation_name.filter(|name| !name.is_empty()),
        variables: json_object_parameter("variables", variables)?,
        extensions: json_object_parameter("extensions", extensions)?,
    })
}

/// A `GET` parameter holding URL-encoded JSON: absent, empty and `null` are all "not given".
fn json_object_parameter(
    name: &'static str,
    value: Option<String>,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, HttpError> {
    let Some(value) = value.filter(|value| !value.trim().is_empty()) else {
        return Ok(None);
    };
    match serde_json::from_str(&value).map_err(|error| HttpError::InvalidJsonParameter(name, error))? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Object(object) => Ok(Some(object)),
        _ => Err(HttpError::NotAnObject(name)),
    }
}

async fn params_from_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Params, HttpError> {
    check_content_type(headers)?;
    let bytes = read_body(headers, body, limit).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(HttpError::EmptyBody);
    }
    let serde_json::Value::Object(mut object) = serde_json::from_slice(&bytes).map_err(HttpError::InvalidJson)? else {
        return Err(HttpError::BodyNotAnObject);
    };
    let mut string_member = |name: &'static str| match object.remove(name) {
        Some(serde_json::Value::String(value)) => Ok(Some(value)),
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(_) => Err(HttpError::NotAString(name)),
    };
    let query = string_member("query")?;
    let document_id = string_member("documentId")?;
    let operation_name = string_member("operationName")?;
    let mut object_member = |name: &'static str| match object.remove(name) {
        Some(serde_json::Value::Object(value)) => Ok(Some(value)),
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(_) => Err(HttpError::NotAnObject(name)),
    };
    Ok(Params {
        query,
        document_id,
        operation_name,
        variables: object_member("variables")?,
        extensions: object_member("extensions")?,
    })
}

/// Only `application/json` is a request type, with no charset or utf-8.
fn check_content_type(headers: &HeaderMap) -> Result<(), HttpError> {
    let value = headers.get(header::CONTENT_TYPE).ok_or(HttpError::MissingContentType)?;
    let value = value.to_str().map_err(|_| HttpError::UnsupportedContentType("(not ASCII)".to_owned()))?;
    let mut pieces = value.split(';');
    let essence = pieces.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(HttpError::UnsupportedContentType(essence.to_owned()));
    }
    for (name, value) in pieces.filter_map(|param| param.split_once('=')) {
        let value = value.trim().trim_matches('"');
        if name.trim().eq_ignore_ascii_case("charset")
            && !(value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8"))
        {
            return Err(HttpError::UnsupportedCharset(value.to_owned()));
        }
    }
    Ok(())
}

/// Reads the body up to `limit` bytes; stops at the first byte past it (or at once, when
/// `Content-Length` already says so).
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, HttpError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|declared| declared > limit as u64) {
        return Err(HttpError::PayloadTooLarge(limit));
    }
    let capacity = declared.and_then(|declared| usize::try_from(declared).ok()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| HttpError::UnreadableBody)?;
        if chunk.len() > limit - bytes.len() {
            return Err(HttpError::PayloadTooLarge(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The `Accept` header as media ranges with their weights.
#[derive(Debug)]
struct Accept {
    /// `None` when the request has no (non-empty) `Accept`.
    ranges: Option<Vec<MediaRange>>,
}

#[derive(Debug)]
struct MediaRange {
    essence: String,
    q: f32,
}

impl Accept {
    fn parse(headers: &HeaderMap) -> Self {
        let values: Vec<&str> =
            headers.get_all(header::ACCEPT).iter().filter_map(|value| value.to_str().ok()).collect();
        let ranges: Vec<MediaRange> =
            values.iter().flat_map(|value| value.split(',')).filter_map(MediaRange::parse).collect();
        if values.iter().all(|value| value.trim().is_empty()) {
            Self { ranges: None }
        } else {
            Self { ranges: Some(ranges) }
        }
    }

    /// The weight the client gives `essence`, from the most specific range matching it;
    /// `wildcards` says whether `*/*` and `type/*` count.
    fn weight(&self, essence: &str, wildcards: bool) -> f32 {
        let Some(ranges) = &self.ranges else { return 0.0 };
        let type_wildcard = essence.split_once('/').map(|(ty, _)| format!("{ty}/*")).unwrap_or_default();
        let by_specificity: [(&str, bool); 3] = [(essence, true), (&type_wildcard, wildcards), ("*/*", wildcards)];
        by_specificity
            .iter()
            .filter(|(_, allowed)| *allowed)
            .find_map(|(candidate, _)| ranges.iter().find(|range| range.essence == *candidate).map(|range| range.q))
            .unwrap_or(0.0)
    }

    /// `application/graphql-response+json` when explicitly listed with at least the weight
    /// of `application/json`; `application/json` for that type, wildcards or no `Accept`.
    fn negotiate(&self) -> Option<Format> {
        if self.ranges.is_none() {
            return Some(Format::Json);
        }
        let graphql_response = self.weight(GRAPHQL_RESPONSE_JSON, false);
        let json = self.weight("application/json", true);
        if graphql_response > 0.0 && graphql_response >= json {
            Some(Format::GraphQlResponseJson)
        } else if json > 0.0 {
            Some(Format::Json)
        } else {
            None
        }
    }

    /// A browser: `text/html` listed, and weighted at least as high as any JSON type.
    fn prefers_html(&self) -> bool {
        let html = self.weight("text/html", false);
        html > 0.0 && html >= self.weight(GRAPHQL_RESPONSE_JSON, false).max(self.weight("application/json", true))
    }
}

impl MediaRange {
    /// One range such as `application/json;q=0.9`; `None` for garbage, a bad q-value or a
    /// charset other than utf-8 (we only answer in utf-8).
    fn parse(text: &str) -> Option<Self> {
        let mut pieces = text.split(';');
        let essence = pieces.next()?.trim().to_ascii_lowercase();
        if essence.split('/').count() != 2 || essence.split('/').any(str::is_empty) {
            return None;
        }
        let mut q = 1.0;
        for (name, value) in pieces.filter_map(|param| param.split_once('=')) {
            let (name, value) = (name.trim(), value.trim().trim_matches('"'));
            if name.eq_ignore_ascii_case("q") {
                q = value.parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
            } else if name.eq_ignore_ascii_case("charset")
                && !(value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8"))
            {
                return None;
            }
        }
        Some(Self { essence, q })
    }
}

/// A response without `data`: `{"errors": […], "extensions"?: {…}}`.
#[derive(Serialize)]
struct ErrorsBody {
    errors: Vec<ServerError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extensions: Option<std::collections::BTreeMap<String, Value>>,
}

impl ErrorsBody {
    fn new(errors: Vec<ServerError>) -> Self {
        Self { errors, extensions: None }
    }
}

fn request_errors(
    format: Format,
    errors: Vec<ServerError>,
    extensions: Option<std::collections::BTreeMap<String, Value>>,
) -> Response {
    json_response(format.request_error_status(), format, &ErrorsBody { errors, extensions })
}

/// Maps what the executor answered to HTTP. A response whose `data` is null and whose errors
/// all lack a path never executed: it is a request error and loses its `data` entry. A response
/// that answered no field because every error is `FORBIDDEN` is `403`: the caller may not do
/// what it asked (a partial answer stays `200`).
fn execution_response(format: Format, mut response: async_graphql::Response) -> Response {
    let never_executed = response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty());
    let mut http_response = if never_executed {
        for error in response.errors.iter_mut().filter(|error| !has_code(error)) {
            Code::GraphqlValidationFailed.set(error);
        }
        let extensions = (!response.extensions.is_empty()).then(|| std::mem::take(&mut response.extensions));
        request_errors(format, std::mem::take(&mut response.errors), extensions)
    } else {
        let status = if refused_whole(&response, Code::Forbidden) { StatusCode::FORBIDDEN } else { StatusCode::OK };
        let mut http_response = json_response(status, format, &response);
        if response.is_ok()
            && let Some(cache_control) = response.cache_control.value()
            && let Ok(value) = HeaderValue::from_str(&cache_control)
        {
            http_response.headers_mut().insert(header::CACHE_CONTROL, value);
        }
        http_response
    };
    http_response.headers_mut().extend(response.http_headers);
    http_response
}

/// Whether `response` answered no field and every error of it has `code`.
fn refused_whole(response: &async_graphql::Response, code: Code) -> bool {
    let code = Value::from(code.as_str());
    let answered_nothing = match &response.data {
        Value::Null => true,
        Value::Object(fields) => fields.values().all(|value| *value == Value::Null),
        _ => false,
    };
    answered_nothing
        && !response.errors.is_empty()
        && response
            .errors
            .iter()
            .all(|error| error.extensions.as_ref().and_then(|extensions| extensions.get("code")) == Some(&code))
}

fn json_response(status: StatusCode, format: Format, body: &impl Serialize) -> Response {
    let (status, bytes) = match serde_json::to_vec(body) {
        Ok(bytes) => (status, bytes),
        Err(error) => {
            tracing::error!(error = &error as &dyn std::error::Error, "graphql response could not be serialized");
            let body = ErrorsBody::new(vec![Code::Internal.error("internal error")]);
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            (StatusCode::INTERNAL_SERVER_ERROR, bytes)
        }
    };
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, format.content_type());
    with_vary(response)
}

fn with_vary(mut response: Response) -> Response {
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept"));
    response
}
