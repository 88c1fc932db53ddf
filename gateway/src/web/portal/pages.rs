//! The portal's pages that read nothing but the configuration: the landing page, "om
//! tjänsten", the accessibility statement the accessibility law asks for, and a page in
//! English that explains the Swedish service and its words.

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

#[derive(Template)]
#[template(path = "portal/english.html")]
struct English<'a> {
    frame: Frame<'a>,
    glossary: &'static [(&'static str, &'static str)],
}

/// The words of the search page, in Swedish as the page shows them, and in English.
const GLOSSARY: &[(&str, &str)] = &[
    ("Sökord", "Search words"),
    ("Kommun", "Municipality"),
    ("Skolform", "Kind of education"),
    ("Studieform: på plats, distans, delvis distans", "Where you study: on site, at a distance, partly at a distance"),
    ("Studietid: dagtid, kvällstid, helg", "When you study: daytime, evenings, weekends"),
    ("Undervisningsspråk", "Language of teaching"),
    ("Ämne", "Subject"),
    ("Studietakt: heltid, deltid", "Pace: full time, part time"),
    ("Börjar", "Starts"),
    ("Löpande antagning", "Continuous admission: start when there is a place"),
    ("Går att söka nu", "Open for applications now"),
    ("Visa resultat", "Show results"),
    ("Ansök", "Apply"),
];

pub async fn english(State(web): State<Web>) -> Response {
    render(StatusCode::OK, &English { frame: web.portal_frame("In English", ""), glossary: GLOSSARY })
}
