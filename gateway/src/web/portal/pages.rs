//! The portal's pages that read nothing but the configuration: the landing page, "om
//! tjänsten" and the accessibility statement the accessibility law asks for.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::web::{Frame, Web, render};

#[derive(Template)]
#[template(path = "portal/home.html")]
struct Home<'a> {
    frame: Frame<'a>,
    intro: &'a str,
}

pub async fn home(State(web): State<Web>) -> Response {
    let page = Home { frame: web.portal_frame("Sök vuxenutbildning", ""), intro: &web.layout.portal.intro };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "portal/about.html")]
struct About<'a> {
    frame: Frame<'a>,
    paragraphs: Vec<&'a str>,
}

pub async fn about(State(web): State<Web>) -> Response {
    let paragraphs =
        web.layout.portal.about.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()).collect();
    render(StatusCode::OK, &About { frame: web.portal_frame("Om tjänsten", ""), paragraphs })
}

#[derive(Template)]
#[template(path = "portal/accessibility.html")]
struct Accessibility<'a> {
    frame: Frame<'a>,
    reviewed: String,
}

pub async fn accessibility(State(web): State<Web>) -> Response {
    let reviewed = web.layout.portal.accessibility_reviewed.format("%Y-%m-%d").to_string();
    render(StatusCode::OK, &Accessibility { frame: web.portal_frame("Tillgänglighetsredogörelse", ""), reviewed })
}
