//! `/sitemap.xml`: the portal's pages for search engines, at the public address the release
//! links use (`[release] base_url`): the fixed pages, each municipality's and each offering's,
//! at most the 50,000 URLs a sitemap may hold.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::web::Web;

/// The most URLs one sitemap file may hold (sitemaps.org).
const MAX_URLS: usize = 50_000;

const FIXED: [&str; 8] = ["", "sok", "yrken", "validering", "vagledning", "om-tjansten", "tillganglighet", "en"];

pub async fn sitemap(State(web): State<Web>) -> Response {
    let base = web.app.config.release.base_url.trim_end_matches('/').to_owned();
    let model = web.model();
    let mut paths: Vec<String> = FIXED.iter().map(|path| format!("/{path}")).collect();
    paths.extend(web.app.config.region.municipalities().iter().map(|code| format!("/kommun/{}", code.as_str())));
    let room = MAX_URLS.saturating_sub(paths.len());
    let offerings = model.courses().iter().flat_map(|course| model.offerings_of(course));
    paths.extend(offerings.filter(|o| !o.cancelled).take(room).map(|o| format!("/utbildning/{}", o.id)));
    let mut xml = String::with_capacity(paths.len() * 90 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        // The base URL is validated at load and the paths are ours: nothing to escape but `&`.
        let _ = writeln!(xml, "<url><loc>{}{}</loc></url>", base.replace('&', "&amp;"), path);
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"))], xml).into_response()
}
