//! HTTP: the routes of `vuxnav serve` and what they share. GraphQL over HTTP is
//! [`graphql_http`] (spec-tested, unaware of auth and of the rest of the app); health and
//! metrics are [`health`] and [`metrics`]; [`router`] puts them together over the app's state.

pub mod graphql_http;
pub mod health;
pub mod metrics;

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use crate::app::App;
use crate::telemetry;
use graphql_http::{GraphQlHttp, HttpLimits};

/// Every route: `/graphql`, `/healthz`, `/readyz`, `/metrics` and the landing page, with HTTP
/// metrics recorded for each.
pub fn router(app: &App) -> Router {
    let graphql = GraphQlHttp::new(app.schema.clone())
        .limits(HttpLimits { max_body_bytes: app.config.graphql.max_body_bytes })
        .graphiql(app.config.graphql.graphiql)
        .into_router();
    Router::new()
        .route("/", get(landing))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .with_state(app.clone())
        .merge(graphql)
        .layer(axum::middleware::from_fn(telemetry::track_http_metrics))
}

async fn landing() -> Html<&'static str> {
    Html(include_str!("../web/landing.html"))
}
