//! HTTP: the routes of `vuxnav serve` and what they share. GraphQL over HTTP is
//! [`graphql_http`] (spec-tested, unaware of auth and of the rest of the app), wrapped in CORS
//! for browser apps on other origins, in [`access`] (an API key, if sent, becomes the request's
//! caller; `/admin/graphql` needs one) and in [`caching`] for CDNs and browsers; GraphiQL's
//! page and vendored files are [`graphiql`]; health and metrics are [`health`] and [`metrics`];
//! `/graphql` takes Apollo's automatic persisted queries ([`persisted`]); [`router`] puts them
//! together over the app's state.

pub mod access;
pub mod caching;
pub mod graphiql;
pub mod graphql_http;
pub mod health;
pub mod limits;
pub mod metrics;
pub mod persisted;
pub mod releases;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::app::App;
use crate::config::CorsOrigins;
use crate::telemetry;
use graphql_http::GraphQlHttp;

/// Every route: `/graphql`, `/admin/graphql`, `/healthz`, `/readyz`, `/metrics`, the open-data
/// releases and the web pages ([`crate::web`]: the portal at `/`), with HTTP metrics recorded
/// for each.
pub fn router(app: &App) -> Router {
    let access = access::Access {
        keys: app.keys.clone(),
        trusted_proxies: app.config.access.trusted_proxies.clone().into(),
        limits: std::sync::Arc::new(limits::RateLimiter::new(&app.config.access.rate_limits)),
    };
    let graphql = GraphQlHttp::new(app.schema.clone())
        .limits(app.config.graphql.http_limits())
        .graphiql(app.config.graphql.graphiql)
        .documents(std::sync::Arc::new(persisted::PersistedDocuments::new(
            std::sync::Arc::clone(&app.config.access.trusted_documents.manifest),
            app.config.access.trusted_documents.anonymous,
        )))
        .request_hook(access::attach)
        .into_router()
        .layer(axum::middleware::from_fn_with_state(app.clone(), caching::cache))
        .layer(axum::middleware::from_fn_with_state(access.clone(), access::identify))
        .layer(cors(&app.config.graphql.cors_origins));
    let admin = GraphQlHttp::new(app.admin_schema.clone())
        .path(crate::graphql::admin::ENDPOINT)
        .limits(app.config.graphql.http_limits())
        .request_hook(access::attach)
        .into_router()
        .layer(axum::middleware::from_fn(access::require_key))
        .layer(axum::middleware::from_fn_with_state(access, access::identify));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .with_state(app.clone())
        .merge(graphql)
        .merge(admin)
        .merge(releases::router(&app.config.release.folder))
        .merge(crate::web::router(app))
        .layer(axum::middleware::from_fn(telemetry::track_http_metrics))
}

/// CORS for the public read API: the configured origins, `GET` and `POST`, the headers a
/// GraphQL client sends, and never credentials (cookies): nothing public needs them.
fn cors(origins: &CorsOrigins) -> CorsLayer {
    let allow_origin = match origins {
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(origins) => {
            AllowOrigin::list(origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()))
        }
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            header::IF_NONE_MATCH,
            HeaderName::from_static("apollographql-client-name"),
            HeaderName::from_static("apollographql-client-version"),
        ])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            HeaderName::from_static("ratelimit"),
            HeaderName::from_static("ratelimit-policy"),
        ])
        .max_age(Duration::from_secs(600))
}
