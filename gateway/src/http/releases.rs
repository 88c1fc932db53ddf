//! The open-data releases over HTTP: `/releases/…` (every release folder), and the pointers
//! `/latest.json`, `/state.txt`, `/releases.atom` and `/datasets/dcat`. tower-http's `ServeDir`
//! and `ServeFile` do the file serving (`HEAD`, `Range` with `206` and `416`, `Last-Modified`,
//! `If-Modified-Since`, content types, no path outside the folder); [`validators`] adds what
//! they lack: a strong `ETag` with `304` on `If-None-Match`, and `Cache-Control`
//! (`immutable` for a dated release's files, which never change, a short `max-age` for the
//! pointers, which change each night).
//!
//! Only those paths are served: the releases folder also holds the export's staging area and
//! lock, which never are.

use std::path::{Component, Path, PathBuf};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

/// How long browsers and CDNs may keep a pointer (`latest.json`, `state.txt`, the feed and the
/// catalogue), in seconds: new releases appear once a night.
const POINTER_MAX_AGE: u32 = 300;

/// The pointers at the top of the folder, with their media types.
const POINTERS: [(&str, &str); 4] = [
    ("latest.json", "application/json"),
    ("state.txt", "text/plain; charset=utf-8"),
    ("releases.atom", "application/atom+xml"),
    ("datasets/dcat", "application/rdf+xml"),
];

/// The routes serving the releases in `folder` (the export's folder, `[release] folder`).
pub fn router(folder: &Path) -> Router {
    let mut router = Router::new().nest_service("/releases", ServeDir::new(folder.join("releases")));
    for (path, media_type) in POINTERS {
        let media_type: mime::Mime = media_type.parse().unwrap_or(mime::TEXT_PLAIN_UTF_8);
        let file = ServeFile::new_with_mime(folder.join(path), &media_type);
        router = router.route_service(&format!("/{path}"), file);
    }
    router.layer(axum::middleware::from_fn_with_state(folder.to_path_buf(), validators))
}

/// Adds a strong `ETag` (the file's size and modification time: files are replaced whole, by
/// rename, never edited) and `Cache-Control` to what the file services answer, and answers
/// `304 Not Modified` to an `If-None-Match` that names the current tag.
async fn validators(State(folder): State<PathBuf>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let Some((file, cache_control)) = file_of(&folder, &path) else {
        return next.run(request).await;
    };
    let Ok(metadata) = tokio::fs::metadata(&file).await else {
        return next.run(request).await;
    };
    if !metadata.is_file() {
        return next.run(request).await;
    }
    let modified = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    let tag = format!("\"{:x}-{modified:x}\"", metadata.len());
    let matches = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| candidate.trim() == tag || candidate.trim() == "*");
    let mut response = if matches { StatusCode::NOT_MODIFIED.into_response() } else { next.run(request).await };
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        if let Ok(tag) = HeaderValue::from_str(&tag) {
            headers.insert(header::ETAG, tag);
        }
        if let Ok(value) = HeaderValue::from_str(&cache_control) {
            headers.insert(header::CACHE_CONTROL, value);
        }
    }
    response
}

/// The file a request path names and its `Cache-Control`, when it is a release file or a
/// pointer; `None` for anything else (which the file services answer, usually `404`).
fn file_of(folder: &Path, path: &str) -> Option<(PathBuf, String)> {
    if let Some((pointer, _)) = POINTERS.iter().find(|(pointer, _)| path.strip_prefix('/') == Some(pointer)) {
        return Some((folder.join(pointer), format!("public, max-age={POINTER_MAX_AGE}")));
    }
    let relative = Path::new(path.strip_prefix("/releases/")?);
    // Plain names only: nothing that climbs out, nothing encoded (the file service decodes
    // and refuses those itself).
    if path.contains('%') || !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    Some((folder.join("releases").join(relative), "public, max-age=31536000, immutable".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_release_files_and_pointers_are_mapped_to_files() {
        let folder = Path::new("/data/releases-root");
        let (file, cache) = file_of(folder, "/releases/2026-12-06/csv/offerings.csv.gz").expect("a release file");
        assert_eq!(file, folder.join("releases/2026-12-06/csv/offerings.csv.gz"));
        assert!(cache.contains("immutable"));
        let (file, cache) = file_of(folder, "/latest.json").expect("a pointer");
        assert_eq!(file, folder.join("latest.json"));
        assert_eq!(cache, "public, max-age=300");
        for outside in ["/releases/../vuxnav.db", "/releases/%2e%2e/vuxnav.db", "/.lock", "/.staging/x", "/releases/"] {
            assert!(
                file_of(folder, outside).is_none_or(|(file, _)| file.starts_with(folder.join("releases"))),
                "{outside}"
            );
        }
        assert!(file_of(folder, "/releases/../vuxnav.db").is_none());
    }
}
