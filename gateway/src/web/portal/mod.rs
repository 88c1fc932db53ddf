//! The residents' portal: the landing page, "om tjänsten" and the accessibility statement
//! ([`pages`]).

mod pages;

use axum::Router;
use axum::routing::get;

use super::{NavLink, Web};

/// The portal's menu.
pub const NAV: &[NavLink] = &[NavLink { href: "/", label: "Sök utbildning" }];

/// The portal's routes.
pub fn router() -> Router<Web> {
    Router::new()
        .route("/", get(pages::home))
        .route("/om-tjansten", get(pages::about))
        .route("/tillganglighet", get(pages::accessibility))
}
