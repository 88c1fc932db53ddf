//! HTTP caching of public GraphQL answers, so that a CDN or a browser can keep them safely.
//!
//! A `GET /graphql` query whose answer is cacheable gets `Cache-Control: public,
//! max-age=<[graphql] cache_max_age>` and a strong `ETag` derived from the version of the read
//! model that answered (the store's last change it was read with: equal on every replica that
//! read the same store), the date the API takes as today (`openForApplicationNow` depends on
//! it) and the request's query string. A later `GET` with that tag in `If-None-Match` is
//! answered `304 Not Modified` without running the query, as long as the read model has not
//! changed.
//!
//! What is cacheable is what the schema says: the query root hints `max-age` for everything it
//! answers from the read model, and fields read live from the store (`sources`, `harvestRuns`)
//! say `no-cache`, which wins for the whole response; an answer with errors carries no hint (the
//! transport sets `Cache-Control` only on answers without errors). `POST` answers are never
//! marked cacheable. An answer that a read-model swap may have crossed (the version changed
//! while it ran) gets no tag.

use std::hash::{Hash, Hasher};

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::App;

/// The middleware (`axum::middleware::from_fn_with_state(app, caching::cache)`) around the
/// GraphQL route.
pub async fn cache(State(app): State<App>, request: Request, next: Next) -> Response {
    let max_age = app.config.graphql.cache_max_age;
    if request.method() != Method::GET {
        let mut response = next.run(request).await;
        response.headers_mut().remove(header::CACHE_CONTROL);
        return response;
    }
    let version = app.refresher.version();
    let accept = request.headers().get(header::ACCEPT).map(HeaderValue::as_bytes).unwrap_or_default();
    let tag = entity_tag(version, app.today(), request.uri().query().unwrap_or_default(), accept);
    let matches = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| candidate.trim() == tag || candidate.trim() == "*");
    if matches && max_age > 0 {
        return with_tag(StatusCode::NOT_MODIFIED.into_response(), &tag, max_age);
    }
    let mut response = next.run(request).await;
    let cacheable = response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("max-age=") && !value.contains("private"));
    if cacheable && max_age > 0 && app.refresher.version() == version {
        with_tag(response, &tag, max_age)
    } else {
        if cacheable {
            response.headers_mut().remove(header::CACHE_CONTROL);
        }
        response
    }
}

/// A strong entity tag for an answer of the model `version` on `today` to `query` in the
/// representation `accept` asks for.
fn entity_tag(version: i64, today: chrono::NaiveDate, query: &str, accept: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    query.hash(&mut hasher);
    accept.hash(&mut hasher);
    format!("\"{version:x}-{}-{:016x}\"", today.format("%Y%m%d"), hasher.finish())
}

fn with_tag(mut response: Response, tag: &str, max_age: u32) -> Response {
    let headers = response.headers_mut();
    if let Ok(tag) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, tag);
    }
    if let Ok(control) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
        headers.insert(header::CACHE_CONTROL, control);
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    response
}
