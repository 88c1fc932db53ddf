//! Who is asking, for every GraphQL request: [`identify`] reads `Authorization: Bearer vx_…`,
//! has `auth::KeyCheck` turn it into a [`Caller`], and puts the caller and its
//! [`AuditContext`] (client address, request id) into the request's extensions, where the
//! transport's request hook ([`attach`]) hands them to GraphQL. A request without the header is
//! anonymous and costs one header lookup; a header that is not a usable key is `401
//! UNAUTHENTICATED` before anything is parsed, with the same answer whatever was wrong, so the
//! answer never says which keys exist. [`require_key`] refuses anonymous callers (the admin
//! API). Every caller is then counted by [`RateLimiter`] (`http::limits`), and a refused key
//! by its client address; once an address is past its refused-key limit, a key not already
//! known good is answered `429` before it costs a lookup or an audit entry.
//!
//! The client address is the peer's, or, when the peer is one of the configured
//! `[access] trusted_proxies`, the last address in `X-Forwarded-For` that is not one of them:
//! a header from anyone else is ignored.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use serde_json::json;
use vuxnav_store::{Actor, AuditContext};

use super::limits::RateLimiter;
use crate::auth::{Caller, KeyCheck, Refused};
use crate::graphql::codes::Code;

/// What [`identify`] needs. Cheap to clone.
#[derive(Clone)]
pub struct Access {
    pub keys: KeyCheck,
    pub trusted_proxies: Arc<[IpNet]>,
    pub limits: Arc<RateLimiter>,
}

/// The longest `X-Request-Id` kept for the audit log.
const MAX_REQUEST_ID_CHARS: usize = 100;

/// The middleware (`from_fn_with_state(access, identify)`) in front of a GraphQL endpoint.
pub async fn identify(State(access): State<Access>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let client = client_address(peer, request.headers(), &access.trusted_proxies);
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(|id| id.chars().take(MAX_REQUEST_ID_CHARS).collect());
    let context =
        AuditContext { actor: Actor::anonymous(), request_id, client_address: client.map(|ip| ip.to_string()) };
    let caller = match bearer(request.headers()) {
        None => Caller::anonymous(),
        Some(None) => return access.limits.check_refused(client).unwrap_or_else(unauthenticated),
        Some(Some(token)) => match access.limits.blocked(client) {
            Some(too_many) => match access.keys.known(token) {
                Some(caller) => caller,
                None => return too_many,
            },
            None => match access.keys.authenticate(token, &context).await {
                Ok(caller) => caller,
                Err(Refused::Store(error)) => {
                    tracing::error!(error = &error as &dyn std::error::Error, "cannot check an API key");
                    return error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal error", Code::Internal);
                }
                Err(refused) => {
                    tracing::debug!(reason = %refused, "API key refused");
                    return access.limits.check_refused(client).unwrap_or_else(unauthenticated);
                }
            },
        },
    };
    if let Some(too_many) = access.limits.check(&caller, client) {
        return too_many;
    }
    let context = AuditContext { actor: caller.actor(), ..context };
    request.extensions_mut().insert(caller);
    request.extensions_mut().insert(context);
    next.run(request).await
}

/// The middleware in front of an endpoint that needs a key (after [`identify`]).
pub async fn require_key(request: Request, next: Next) -> Response {
    match request.extensions().get::<Caller>() {
        Some(caller) if !caller.is_anonymous() => next.run(request).await,
        _ => unauthenticated(),
    }
}

/// The transport's request hook: hands the caller and its audit context to GraphQL.
pub fn attach(parts: &Parts, request: async_graphql::Request) -> async_graphql::Request {
    let caller = parts.extensions.get::<Caller>().cloned().unwrap_or_else(Caller::anonymous);
    let context = parts.extensions.get::<AuditContext>().cloned().unwrap_or_else(|| AuditContext {
        actor: Actor::anonymous(),
        request_id: None,
        client_address: None,
    });
    request.data(caller).data(context)
}

/// The bearer token: `None` without an `Authorization` header, `Some(None)` when it is not
/// `Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Option<Option<&str>> {
    let value = headers.get(header::AUTHORIZATION)?;
    Some(value.to_str().ok().and_then(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }))
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map_while(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer))
}

/// `401` with `WWW-Authenticate: Bearer` and a GraphQL-style body naming no key.
pub fn unauthenticated() -> Response {
    let mut response = error_response(
        StatusCode::UNAUTHORIZED,
        "a valid API key is required: send `Authorization: Bearer vx_…` with a key that is neither expired nor revoked",
        Code::Unauthenticated,
    );
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// A GraphQL-style error body (`{"errors":[{"message","extensions":{"code"}}]}`) with `status`.
pub fn error_response(status: StatusCode, message: &str, code: Code) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(forwarded).expect("a header value"));
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("a range")];
        let spoofed = headers("203.0.113.9");
        assert_eq!(client_address(Some(ip("198.51.100.7")), &spoofed, &trusted), Some(ip("198.51.100.7")));
        let proxied = headers("203.0.113.9, 198.51.100.1, 10.0.0.2");
        assert_eq!(client_address(Some(ip("10.0.0.1")), &proxied, &trusted), Some(ip("198.51.100.1")));
        assert_eq!(client_address(Some(ip("10.0.0.1")), &HeaderMap::new(), &trusted), Some(ip("10.0.0.1")));
    }

    #[test]
    fn only_a_bearer_authorization_is_a_token() {
        let mut map = HeaderMap::new();
        assert_eq!(bearer(&map), None);
        map.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcjpwYXNz"));
        assert_eq!(bearer(&map), Some(None));
        map.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer vx_abc"));
        assert_eq!(bearer(&map), Some(Some("vx_abc")));
    }
}
