//! The admin pages at `/admin`, in Swedish, working without JavaScript: signing in with an API
//! key ([`session`]), the sources of the admin's municipalities with their status, runs and
//! rejections, adding and editing a source with a form generated from its kind's JSON Schema
//! ([`form`]), dry run, harvest now, accepting a held run, enabling, disabling and deleting
//! ([`sources`]), the region's registries with a form generated from their column description
//! ([`registries`]), and keys and the audit log ([`keys`]).
//!
//! Every page asks the admin API in this process ([`api::ask`]) with the session's caller, so
//! it goes through the same authorization, validation and audit as `/admin/graphql`: nothing
//! here decides who may do what. The status of sources (public data) comes from the public
//! schema the same way. Every post carries the session's CSRF token; every answer is
//! `Cache-Control: no-store`.

pub mod api;
pub mod form;
mod keys;
mod registries;
pub mod session;
mod sources;

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Frame, NavLink, Web, render};
use crate::config::RateLimits;
use crate::http::limits::RateLimiter;
use api::Refusal;
use session::{Signed, Visit};

/// The admin pages' menu.
pub const NAV: &[NavLink] = &[
    NavLink { href: "/admin", label: "Källor" },
    NavLink { href: "/admin/kallor/ny", label: "Ny källa" },
    NavLink { href: "/admin/register", label: "Register" },
    NavLink { href: "/admin/nycklar", label: "Nycklar" },
    NavLink { href: "/admin/logg", label: "Logg" },
];

/// The sign-in page's path.
pub const SIGN_IN: &str = "/admin/logga-in";

/// The admin pages' routes. Refused sign-ins are counted per client address against
/// `limits.failed_keys`, as refused keys on the API are (in a limiter of the pages' own).
pub fn router(limits: &RateLimits) -> Router<Web> {
    Router::new()
        .route("/admin", get(sources::overview))
        .route("/admin/", get(|| async { Redirect::permanent("/admin") }))
        .route(SIGN_IN, get(sign_in_page).post(sign_in))
        .route("/admin/logga-ut", post(sign_out))
        .route("/admin/kallor/ny", get(sources::new_source).post(sources::post_new_source))
        .route("/admin/kallor/{id}", get(sources::source_page))
        .route("/admin/kallor/{id}/andra", get(sources::edit_source).post(sources::post_edit_source))
        .route("/admin/kallor/{id}/skorda", post(sources::harvest_now))
        .route("/admin/kallor/{id}/godkann", post(sources::accept_held_run))
        .route("/admin/kallor/{id}/aktivera", post(sources::set_enabled))
        .route("/admin/kallor/{id}/ta-bort", get(sources::confirm_delete).post(sources::delete))
        .route("/admin/register", get(registries::index))
        .route("/admin/register/{registry}", get(registries::list))
        .route("/admin/register/{registry}/ny", get(registries::new_entry).post(registries::post_new_entry))
        .route("/admin/register/{registry}/andra", get(registries::edit_entry).post(registries::post_edit_entry))
        .route("/admin/register/{registry}/ta-bort", get(registries::confirm_delete).post(registries::delete))
        .route("/admin/nycklar", get(keys::keys_page).post(keys::create_key))
        .route("/admin/nycklar/{id}/aterkalla", post(keys::revoke_key))
        .route("/admin/logg", get(keys::audit_page))
        .layer(Extension(Arc::new(RateLimiter::new(limits))))
        .layer(axum::middleware::map_response(no_store))
}

/// Admin pages are never stored by a browser or a proxy: they show keys, configurations and
/// the audit log.
async fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An admin page's frame: the admin menu with `current` marked.
pub fn frame<'w>(web: &'w Web, title: impl Into<String>, current: &'static str) -> Frame<'w> {
    Frame { layout: &web.layout, title: format!("{} – administration", title.into()), nav: NAV, current }
}

/// Who is signed in and the sign-out form, at the top of every signed-in page.
#[derive(Debug, Clone)]
pub struct Bar {
    pub who: String,
    pub csrf: String,
}

impl Bar {
    pub fn of(signed: &Signed) -> Self {
        Self { who: signed.who(), csrf: signed.csrf.clone() }
    }
}

/// The page that asks before a source or a registry entry is deleted: its form posts to
/// `action` with the CSRF token (and a source's `revision`), or the admin goes `back`.
#[derive(Template)]
#[template(path = "admin/confirm_delete.html")]
pub struct ConfirmDelete<'a> {
    pub frame: Frame<'a>,
    pub bar: Option<Bar>,
    pub heading: String,
    pub text: String,
    pub action: String,
    pub revision: Option<u32>,
    pub confirm: String,
    pub back: String,
    pub back_text: String,
}

#[derive(Template)]
#[template(path = "admin/message.html")]
struct MessagePage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    heading: String,
    text: String,
    /// A link onwards: (href, text).
    onward: Option<(String, String)>,
}

/// A page that says one thing, with `status`.
pub fn message(web: &Web, status: StatusCode, bar: Option<Bar>, heading: &str, text: &str) -> Response {
    let onward = match bar {
        Some(_) => Some(("/admin".to_owned(), "Till källorna".to_owned())),
        None => Some((SIGN_IN.to_owned(), "Logga in".to_owned())),
    };
    let page =
        MessagePage { frame: frame(web, heading, ""), bar, heading: heading.to_owned(), text: text.to_owned(), onward };
    render(status, &page)
}

/// The page for a refusal of the API.
pub fn refused(web: &Web, signed: &Signed, refusal: &Refusal) -> Response {
    let (status, heading) = match refusal.code.as_str() {
        "FORBIDDEN" => (StatusCode::FORBIDDEN, "Ingen behörighet"),
        "NOT_FOUND" => (StatusCode::NOT_FOUND, "Finns inte"),
        "CONFLICT" => (StatusCode::CONFLICT, "Någon annan hann före"),
        "BAD_USER_INPUT" => (StatusCode::UNPROCESSABLE_ENTITY, "Kunde inte användas"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "Något gick fel"),
    };
    message(web, status, Some(Bar::of(signed)), heading, &refusal.swedish())
}

/// The page for a store that cannot be read.
fn unavailable(web: &Web, error: &dyn std::error::Error) -> Response {
    tracing::error!(error = %error, "the admin pages cannot read the session");
    message(
        web,
        StatusCode::SERVICE_UNAVAILABLE,
        None,
        "Tjänsten svarar inte",
        "Inloggningen kunde inte kontrolleras just nu. Försök igen om en stund.",
    )
}

/// For a page, as a handler's argument: the signed-in admin, or else a redirect to the sign-in
/// page.
impl axum::extract::FromRequestParts<Web> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, web: &Web) -> Result<Self, Response> {
        let Ok(visit) = Visit::from_request_parts(parts, web).await;
        match visit.signed(web).await {
            Ok(Some(signed)) => Ok(signed),
            Ok(None) => Err(Redirect::to(SIGN_IN).into_response()),
            Err(error) => Err(unavailable(web, &error)),
        }
    }
}

/// For a post: the signed-in admin whose form carried the session's CSRF token; otherwise the
/// refusal, saying why, with nothing read or saved.
pub async fn checked(web: &Web, visit: &Visit, token: Option<&str>) -> Result<Signed, Response> {
    if visit.is_cross_site() {
        return Err(message(
            web,
            StatusCode::FORBIDDEN,
            None,
            "Formuläret kom från en annan webbplats",
            "Webbläsaren skickade formuläret från en annan webbplats än administrationen. Inget sparades.",
        ));
    }
    let signed = match visit.signed(web).await {
        Ok(Some(signed)) => signed,
        Ok(None) => {
            return Err(sign_in_with(
                web,
                StatusCode::UNAUTHORIZED,
                "Du är inte inloggad, eller så har din inloggning gått ut. Inget sparades. Logga in igen och gör om det du höll på med.",
            ));
        }
        Err(error) => return Err(unavailable(web, &error)),
    };
    if !signed.accepts(token) {
        return Err(message(
            web,
            StatusCode::FORBIDDEN,
            Some(Bar::of(&signed)),
            "Formuläret saknade sin säkerhetskod",
            "Formuläret saknade sin säkerhetskod eller hade fel kod, till exempel för att sidan var gammal. Inget sparades. Gå tillbaka, läs in sidan igen och försök på nytt.",
        ));
    }
    Ok(signed)
}

#[derive(Template)]
#[template(path = "admin/sign_in.html")]
struct SignInPage<'a> {
    frame: Frame<'a>,
    /// Why the admin is here, or what went wrong.
    notice: Option<String>,
    /// The key field's problem.
    problem: Option<String>,
}

fn sign_in_with(web: &Web, status: StatusCode, notice: &str) -> Response {
    let page = SignInPage { frame: frame(web, "Logga in", ""), notice: Some(notice.to_owned()), problem: None };
    render(status, &page)
}

#[derive(Deserialize)]
struct SignedOut {
    #[serde(default)]
    utloggad: Option<String>,
}

async fn sign_in_page(
    State(web): State<Web>,
    visit: Visit,
    axum::extract::Query(query): axum::extract::Query<SignedOut>,
) -> Response {
    if let Ok(Some(_)) = visit.signed(&web).await {
        return Redirect::to("/admin").into_response();
    }
    let notice = query.utloggad.map(|_| "Du är utloggad.".to_owned());
    render(StatusCode::OK, &SignInPage { frame: frame(&web, "Logga in", ""), notice, problem: None })
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    nyckel: String,
}

async fn sign_in(
    State(web): State<Web>,
    Extension(limiter): Extension<Arc<RateLimiter>>,
    visit: Visit,
    axum::Form(form): axum::Form<SignInForm>,
) -> Response {
    if visit.is_cross_site() {
        return sign_in_with(
            &web,
            StatusCode::FORBIDDEN,
            "Inloggningen kom från en annan webbplats och togs inte emot.",
        );
    }
    if let Some(limited) = limiter.blocked(visit.client) {
        return too_many(&web, &limited);
    }
    let refused = |problem: &str| {
        let page = SignInPage { frame: frame(&web, "Logga in", ""), notice: None, problem: Some(problem.to_owned()) };
        render(StatusCode::UNAUTHORIZED, &page)
    };
    let token = form.nyckel.trim();
    if token.is_empty() {
        return refused("Skriv in din API-nyckel. Den börjar med vx_.");
    }
    let caller = match web.app.keys.authenticate(token, &visit.context).await {
        Ok(caller) => caller,
        Err(crate::auth::Refused::Store(error)) => return unavailable(&web, &error),
        Err(_) => {
            if let Some(limited) = limiter.check_refused(visit.client) {
                return too_many(&web, &limited);
            }
            return refused(
                "Nyckeln gick inte att använda: den är felskriven, okänd, har gått ut eller har återkallats.",
            );
        }
    };
    let Some(key) = caller.key().filter(|key| key.role != vuxnav_schema::Role::Partner) else {
        return refused("Nyckeln är en partnernyckel och ger ingen behörighet till administrationen.");
    };
    // A new session at every sign-in; one the browser already had ends.
    if let Ok(Some(previous)) = visit.signed(&web).await
        && let Err(error) = session::end(&web, &previous).await
    {
        tracing::warn!(error = &error as &dyn std::error::Error, "cannot end the previous admin session");
    }
    match session::begin(&web, key, &visit).await {
        Ok(cookie) => {
            let mut response = Redirect::to("/admin").into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(error) => unavailable(&web, &error),
    }
}

/// The sign-in page answering `429`, with the limiter's `Retry-After`.
fn too_many(web: &Web, limited: &Response) -> Response {
    let mut page = sign_in_with(
        web,
        StatusCode::TOO_MANY_REQUESTS,
        "För många misslyckade inloggningar från din adress. Vänta en stund och försök igen.",
    );
    if let Some(retry) = limited.headers().get(header::RETRY_AFTER) {
        page.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    }
    page
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: Option<String>,
}

async fn sign_out(State(web): State<Web>, visit: Visit, axum::Form(form): axum::Form<CsrfOnly>) -> Response {
    let signed = match checked(&web, &visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    match session::end(&web, &signed).await {
        Ok(cookie) => {
            let mut response = Redirect::to(&format!("{SIGN_IN}?utloggad=1")).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(error) => unavailable(&web, &error),
    }
}

/// A time as the pages show it: local time in Sweden, to the minute.
pub fn local(at: &DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Stockholm).format("%Y-%m-%d %H:%M").to_string()
}
