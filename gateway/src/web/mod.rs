//! The web pages: the residents' portal at `/` ([`portal`]) and what every page shares. Pages
//! are server-rendered HTML from askama templates (`gateway/templates/`, compiled in and
//! escaping every value), in Swedish, working without JavaScript. They read the read model in
//! this process, as the GraphQL resolvers do: there is one search.
//!
//! Every page extends `templates/base.html`, given a [`Frame`]: the [`Layout`] (the region's
//! name, logo, style sheets and contact, from `[portal]`), the page's title, its menu and which
//! entry is current. Every response of this router carries [`CONTENT_SECURITY_POLICY`] and the
//! other [`security_headers`], and is compressed when the client accepts gzip; the static files
//! are fingerprinted ([`assets`]). A path nothing answers gets the Swedish 404 page.

pub mod assets;
pub mod portal;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;

use crate::app::App;
use crate::config::PortalConfig;
use assets::Assets;

/// The Content-Security-Policy of every page: nothing from elsewhere, no inline script or
/// style, no framing. JSON-LD (`<script type="application/ld+json">`) is data, which the
/// browser does not execute, so it needs no exception.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What every page handler gets: the app and the layout.
#[derive(Clone)]
pub struct Web {
    pub app: App,
    pub layout: Arc<Layout>,
}

/// What the base template shows on every page, from `[portal]` and the fingerprinted files.
#[derive(Debug)]
pub struct Layout {
    pub name: String,
    pub region: String,
    /// The logo's URL.
    pub logo: String,
    pub logo_alt: String,
    /// The style sheets' URLs, in order.
    pub stylesheets: Vec<String>,
    pub contact_email: String,
    pub portal: PortalConfig,
    /// The region's municipalities by name in Swedish order, for the pages' choices.
    pub municipalities: Vec<vuxnav_schema::Municipality>,
}

/// An entry of a page's menu.
#[derive(Debug, Clone, Copy)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
}

/// What `base.html` needs of a page: the layout, the title (before the service's name), the
/// menu and the `href` of the current entry (`aria-current="page"`), if any.
#[derive(Debug)]
pub struct Frame<'a> {
    pub layout: &'a Layout,
    pub title: String,
    pub nav: &'static [NavLink],
    pub current: &'static str,
}

impl Web {
    fn new(app: &App, assets: &Assets) -> Self {
        let portal = app.config.portal.clone();
        let layout = Layout {
            name: portal.name.clone(),
            region: portal.region.clone(),
            logo: assets.logo.path.clone(),
            logo_alt: portal.logo_alt.clone(),
            stylesheets: vec![assets.css.path.clone(), assets.brand.path.clone()],
            contact_email: portal.contact_email.clone(),
            portal,
            municipalities: {
                let mut all: Vec<_> =
                    app.config.region.municipalities().iter().map(|code| code.municipality()).collect();
                all.sort_by_cached_key(|m| portal::swedish_key(m.name));
                all
            },
        };
        Self { app: app.clone(), layout: Arc::new(layout) }
    }

    /// A frame for a page of the portal titled `title`, with `current` the menu entry it is
    /// under (`""` for none).
    pub fn portal_frame(&self, title: impl Into<String>, current: &'static str) -> Frame<'_> {
        Frame { layout: &self.layout, title: title.into(), nav: portal::NAV, current }
    }
}

/// The web pages' routes: the portal, the static files and the 404 page, with the security
/// headers and compression.
pub fn router(app: &App) -> Router {
    let assets = Assets::new(&app.config.portal);
    let web = Web::new(app, &assets);
    Router::new()
        .merge(portal::router())
        .fallback(not_found)
        .with_state(web)
        .merge(assets.router())
        .layer(axum::middleware::map_response(security_headers))
        // gzip at its fastest level: repetitive HTML shrinks well at any level, and the CPU is
        // better spent serving pages.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
}

/// Adds the headers every page carries: the CSP, no MIME sniffing, no framing, and a referrer
/// policy that does not send the search in a query string to other sites.
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    response
}

/// The page rendered with `status`; a template that fails to render (a bug) is logged and
/// answered with a plain Swedish error page.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><html lang=\"sv\"><title>Fel</title><h1>Något gick fel</h1><p>Försök igen om en stund.</p></html>"),
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFound<'a> {
    frame: Frame<'a>,
}

/// The Swedish 404 page.
pub fn not_found_page(web: &Web) -> Response {
    render(StatusCode::NOT_FOUND, &NotFound { frame: web.portal_frame("Sidan finns inte", "") })
}

async fn not_found(State(web): State<Web>) -> Response {
    not_found_page(&web)
}
