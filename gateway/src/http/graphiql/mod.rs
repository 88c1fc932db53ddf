//! GraphiQL, served by vuxnav itself: the page a browser gets on `GET /graphql`, and the
//! files it loads, embedded in the binary at build time. Nothing comes from a CDN, so the page
//! works offline and under a strict Content-Security-Policy ([`CONTENT_SECURITY_POLICY`]: no
//! inline script, no other origin).
//!
//! The vendored files (GraphiQL 4.1.2, React and ReactDOM 18.3.1, their licences) are in
//! `gateway/assets/graphiql/`, reproduced from the pinned npm packages and checked against
//! their hashes by `scripts/vendor-graphiql`. The page (`index.html`), its start script
//! (`start.js`) and its style (`page.css`) are vuxnav's own, next to this file.
//!
//! The files are served under `/graphiql/<fingerprint>/<name>`, the fingerprint a hash of
//! every file's content, with `Cache-Control: public, max-age=31536000, immutable`: a new
//! build with other files has other URLs. The page itself is `no-cache`.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The path under which the files are served: `/graphiql/<fingerprint>/<name>`.
pub const ASSETS: &str = "/graphiql";

/// The page's policy: scripts, styles and connections only from vuxnav itself, fonts and
/// images also from `data:` URLs (GraphiQL's stylesheet embeds its fonts and icons), nothing
/// inline, no frames, no forms, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

/// One embedded file: its name in URLs, its media type and its bytes.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

macro_rules! vendored {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../../../assets/graphiql/", $name)),
        }
    };
}

static FILES: &[Asset] = &[
    vendored!("react.production.min.js", JS),
    vendored!("react-dom.production.min.js", JS),
    vendored!("graphiql.min.js", JS),
    vendored!("graphiql.min.css", CSS),
    vendored!("LICENSE.graphiql", TEXT),
    vendored!("LICENSE.react", TEXT),
    vendored!("LICENSE.react-dom", TEXT),
    Asset { name: "start.js", content_type: JS, bytes: include_bytes!("start.js") },
    Asset { name: "page.css", content_type: CSS, bytes: include_bytes!("page.css") },
];

/// A hash of every file's name and content, in hex: the version part of the files' URLs.
static FINGERPRINT: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = std::hash::DefaultHasher::new();
    for asset in FILES {
        asset.name.hash(&mut hasher);
        asset.bytes.hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
});

/// The URL prefix of the files of this build: `/graphiql/<fingerprint>`.
pub fn asset_prefix() -> String {
    format!("{ASSETS}/{}", *FINGERPRINT)
}

/// The GraphiQL page for `endpoint`, with its policy.
pub fn page(endpoint: &str) -> Response {
    let html = include_str!("index.html").replace("{assets}", &asset_prefix()).replace("{endpoint}", endpoint);
    let mut response = (StatusCode::OK, axum::response::Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// The routes of the page's files.
pub fn assets() -> Router {
    Router::new().route(&format!("{ASSETS}/{{fingerprint}}/{{name}}"), get(asset))
}

async fn asset(Path((fingerprint, name)): Path<(String, String)>) -> Response {
    let found = FILES.iter().find(|asset| asset.name == name).filter(|_| fingerprint == *FINGERPRINT);
    let Some(asset) = found else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let headers = [
        (header::CONTENT_TYPE, asset.content_type),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (headers, asset.bytes).into_response()
}
