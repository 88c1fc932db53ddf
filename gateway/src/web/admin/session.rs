//! Signing in to the admin pages, and the session and CSRF token of every request after.
//!
//! An admin signs in with an API key, checked exactly as a Bearer key on `/admin/graphql`
//! (`auth::KeyCheck::authenticate`: form, checksum, hash, expiry, revocation, the refusal
//! audited). A signed-in browser then holds only a random session id (256 bits from the
//! operating system's generator through `rand`) in the cookie [`COOKIE`]: `HttpOnly`,
//! `SameSite=Strict`, `Path=/admin`, `Secure` unless `[access.admin_pages] secure_cookie =
//! false`, and `Max-Age` of the session's lifetime. The store keeps the session (its id only
//! as a SHA-256, the key it stands for, its CSRF secret, when it was made and when it ends),
//! so every replica knows it. A session ends `idle_minutes` after the last page the admin asked
//! for, and `session_hours` after sign-in however busy it is. Every request reads the key
//! again: an expired or revoked key ends its sessions. The API key itself never travels in a cookie.
//!
//! Every form carries the session's synchronizer token ([`CSRF_FIELD`]), compared in constant
//! time (`subtle`); a post without it, with a wrong one, or without a live session is refused
//! before anything is read or saved, and told why in Swedish. As defence in depth, a post a
//! browser marks as coming from another site (`Sec-Fetch-Site: cross-site` or `same-site`) is
//! refused too, which also covers the sign-in form.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;
use vuxnav_store::{Actor, AdminSession, ApiKey, AuditContext, StoreError, TokenHash};

use crate::auth::Caller;
use crate::http::access::client_address;
use crate::web::Web;

/// The session cookie's name.
pub const COOKIE: &str = "vuxnav_admin";

/// The name of the hidden field that carries the CSRF token in every form.
pub const CSRF_FIELD: &str = "csrf";

/// The longest `X-Request-Id` kept for the audit log, as on the API.
const MAX_REQUEST_ID_CHARS: usize = 100;

/// What every request to the admin pages brings: who it comes from, for the audit log, and
/// its session cookie, if any.
#[derive(Debug, Clone)]
pub struct Visit {
    pub context: AuditContext,
    pub client: Option<IpAddr>,
    cookie: Option<String>,
    /// `Sec-Fetch-Site`, when the browser sends it.
    fetch_site: Option<String>,
}

impl FromRequestParts<Web> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        let client = client_address(peer, &parts.headers, &web.app.config.access.trusted_proxies);
        let request_id =
            header_text(&parts.headers, "x-request-id").map(|id| id.chars().take(MAX_REQUEST_ID_CHARS).collect());
        Ok(Self {
            context: AuditContext {
                actor: Actor::anonymous(),
                request_id,
                client_address: client.map(|ip| ip.to_string()),
            },
            client,
            cookie: session_cookie(&parts.headers),
            fetch_site: header_text(&parts.headers, "sec-fetch-site").map(str::to_owned),
        })
    }
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The value of the session cookie in `Cookie` headers.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// A signed-in admin: the caller the API sees, the audit context naming its key, and the
/// session's CSRF token for the forms of the page.
#[derive(Debug, Clone)]
pub struct Signed {
    pub caller: Caller,
    pub context: AuditContext,
    pub csrf: String,
    id: TokenHash,
}

impl Signed {
    /// The key's name, as the pages show who is signed in.
    pub fn who(&self) -> String {
        self.caller.key().map(|key| key.name.clone()).unwrap_or_default()
    }

    /// Whether `token` (a form's [`CSRF_FIELD`]) is this session's, compared in constant time.
    pub fn accepts(&self, token: Option<&str>) -> bool {
        token.is_some_and(|token| bool::from(token.as_bytes().ct_eq(self.csrf.as_bytes())))
    }
}

impl Visit {
    /// The signed-in admin of this request: `None` without a session cookie, or when the
    /// session is unknown or has expired, or its key has since expired or been revoked (then
    /// the session is ended).
    pub async fn signed(&self, web: &Web) -> Result<Option<Signed>, StoreError> {
        let Some(cookie) = &self.cookie else { return Ok(None) };
        let id = hash(cookie);
        let store = &web.app.store;
        let now = Utc::now();
        let Some(session) = store.admin_session(&id, now).await? else { return Ok(None) };
        let key = store.api_key(session.key).await?;
        let Some(key) = key.filter(|key| key.unusable(now).is_none()) else {
            store.end_admin_session(&id, None, now, &self.context).await?;
            return Ok(None);
        };
        let settings = web.app.config.access.admin_pages;
        let end = idle_end(&session, now, settings.session, settings.idle);
        // Written at most once a minute per session, not on every request.
        if end - session.expires_at >= chrono::Duration::minutes(1) {
            store.extend_admin_session(&id, end).await?;
        }
        let caller = Caller::with_key(Arc::new(key), web.app.config.access.settings);
        let context = AuditContext { actor: caller.actor(), ..self.context.clone() };
        Ok(Some(Signed { caller, context, csrf: session.csrf_secret, id }))
    }

    /// Whether the browser says this post comes from another site.
    pub fn is_cross_site(&self) -> bool {
        matches!(self.fetch_site.as_deref(), Some("cross-site" | "same-site"))
    }
}

/// When a session used at `now` ends: `idle` later, but never past `lifetime` after sign-in.
fn idle_end(session: &AdminSession, now: DateTime<Utc>, lifetime: Duration, idle: Duration) -> DateTime<Utc> {
    let span = |duration: Duration| chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::zero());
    (now + span(idle)).min(session.created_at + span(lifetime))
}

/// A new session for `key` (signed in with just now): stored, and the `Set-Cookie` value that
/// hands its id to the browser.
pub async fn begin(web: &Web, key: &ApiKey, visit: &Visit) -> Result<HeaderValue, StoreError> {
    let id = random_token();
    let now = Utc::now();
    let settings = web.app.config.access.admin_pages;
    let mut session = AdminSession { key: key.id, csrf_secret: random_token(), created_at: now, expires_at: now };
    session.expires_at = idle_end(&session, now, settings.session, settings.idle);
    let context = AuditContext { actor: Actor::key(key), ..visit.context.clone() };
    web.app.store.create_admin_session(&hash(&id), key, &session, &context).await?;
    Ok(cookie_header(&id, settings.session.as_secs(), settings.secure_cookie))
}

/// Ends `signed`'s session (signing out): the store forgets it, and the `Set-Cookie` value
/// that makes the browser forget it.
pub async fn end(web: &Web, signed: &Signed) -> Result<HeaderValue, StoreError> {
    web.app.store.end_admin_session(&signed.id, signed.caller.key(), Utc::now(), &signed.context).await?;
    Ok(cookie_header("", 0, web.app.config.access.admin_pages.secure_cookie))
}

/// The `Set-Cookie` value of the session cookie.
fn cookie_header(value: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{COOKIE}={value}; Path=/admin; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("vuxnav_admin=; Path=/admin; Max-Age=0"))
}

/// 32 random bytes from the operating system's generator, as URL-safe base64 (43 characters).
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a session id, as the store keeps it.
fn hash(id: &str) -> TokenHash {
    TokenHash::from_bytes(Sha256::digest(id.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_http_only_strict_and_scoped_to_the_admin_pages() {
        let cookie = cookie_header("abc", 3600, true);
        assert_eq!(cookie, "vuxnav_admin=abc; Path=/admin; Max-Age=3600; HttpOnly; SameSite=Strict; Secure");
        assert!(!cookie_header("abc", 3600, false).to_str().unwrap_or_default().contains("Secure"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("theme=dark; vuxnav_admin=s3cr3t ; x=1"));
        assert_eq!(session_cookie(&headers).as_deref(), Some("s3cr3t"));
        headers.insert(header::COOKIE, HeaderValue::from_static("vuxnav_admin="));
        assert_eq!(session_cookie(&headers), None);
    }

    #[test]
    fn session_ids_are_long_and_never_repeat() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }
}
