//! The web pages' static files, fingerprinted: each is served at `/static/<name>.<hash>.<ext>`,
//! where the hash is of its content, with a year's `immutable` caching. A new build or a new
//! brand changes the hash and so the URL; a browser never sees a stale style sheet.
//!
//! The files are the one style sheet (`gateway/static/portal.css`, compiled in), the brand's
//! colours as CSS custom properties (generated from `[portal.colours]`), and the logo (the
//! region's file from `[portal] logo`, else vuxnav's mark, `gateway/static/logo.svg`).

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::config::PortalConfig;

/// The `Cache-Control` of a fingerprinted file: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// One fingerprinted file.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is served, `/static/portal.3f2a9c1be0d4.css`.
    pub path: String,
    content_type: &'static str,
    bytes: Bytes,
}

impl Asset {
    fn new(name: &str, extension: &str, content_type: &'static str, bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        let digest = Sha256::digest(&bytes);
        let hash: String = digest.iter().take(6).map(|byte| format!("{byte:02x}")).collect();
        Self { path: format!("/static/{name}.{hash}.{extension}"), content_type, bytes }
    }

    fn response(&self) -> impl IntoResponse + use<> {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(self.content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
            ],
            self.bytes.clone(),
        )
    }
}

/// The static files of the web pages.
#[derive(Debug, Clone)]
pub struct Assets {
    pub css: Asset,
    /// The brand's colours as CSS custom properties (`--primary`, `--link`).
    pub brand: Asset,
    pub logo: Asset,
}

impl Assets {
    /// The files for this branding.
    pub fn new(portal: &PortalConfig) -> Self {
        let css = Asset::new("portal", "css", "text/css; charset=utf-8", include_str!("../../static/portal.css"));
        let colours = &portal.colours;
        let brand = format!(":root{{--primary:{};--link:{}}}\n", colours.primary.css(), colours.link.css());
        let brand = Asset::new("brand", "css", "text/css; charset=utf-8", brand);
        let logo = match &portal.logo {
            Some(logo) => {
                let extension = if logo.content_type == "image/png" { "png" } else { "svg" };
                Asset::new("logo", extension, logo.content_type, Bytes::copy_from_slice(&logo.bytes))
            }
            None => Asset::new("logo", "svg", "image/svg+xml", include_str!("../../static/logo.svg")),
        };
        Self { css, brand, logo }
    }

    /// A route for each file.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        [&self.css, &self.brand, &self.logo].into_iter().fold(Router::new(), |router, asset| {
            let asset = asset.clone();
            router.route(&asset.path.clone(), get(move || std::future::ready(asset.response())))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_s_url_changes_with_its_content() {
        let a = Asset::new("brand", "css", "text/css", ":root{--primary:#000000}");
        let b = Asset::new("brand", "css", "text/css", ":root{--primary:#000001}");
        assert_ne!(a.path, b.path);
        assert!(a.path.starts_with("/static/brand.") && a.path.ends_with(".css"), "{}", a.path);
        assert_eq!(a.path.len(), "/static/brand.".len() + 12 + ".css".len());
    }
}
