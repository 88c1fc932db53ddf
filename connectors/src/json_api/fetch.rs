//! The fetching half of the `json_api` kind: pages through the API as its config says and hands
//! each page's records to the pure [`Normalizer`].
//!
//! A run GETs `url`, with
//!
//! - the configured headers: literal ones as written, secret ones read from their environment
//!   variable when the run starts (an unset variable fails the run with
//!   [`ConnectorError::Config`] naming the variable, never a value), and
//!   `Accept: application/json` unless an `Accept` is configured;
//! - on an incremental run, `since_param` set to the time of the last complete run in RFC 3339
//!   UTC (`2026-11-01T03:00:00Z`), when the config names the parameter; without it every run
//!   reads everything;
//! - the paging parameters of its style, added to the URL's own query:
//!   - `page`: `page_param` from `first_page` and `size_param`; the walk ends at an empty page,
//!     at the last page by `total_pages`, or when `total_count` records have been read;
//!   - `offset`: `offset_param` from 0, advanced by the records received, and `limit_param`;
//!     the walk ends at an empty page or at `total_count`;
//!   - for both, when the page states no total, at a page shorter than the first: APIs cap the
//!     page size below what is asked for without saying so, and the first page shows the size
//!     they really serve (so a run whose first page is its only one asks once more, for an
//!     empty page);
//!   - `next_link`: the next page's URL from the pointer `next` in the page (absolute or
//!     relative to the page's URL), or from the `Link` header's `rel="next"`; the walk ends
//!     when there is none or it is empty. A next link to another scheme, host or port (an API
//!     behind a proxy writes its internal address, or `http` for `https`) is taken as its path
//!     and query on the configured host: the source's headers, secrets included, go only to
//!     the configured host;
//!   - `none`: the one answer is everything.
//!
//! At most [`MAX_PAGES`] pages are read: an upstream that never says it is done fails the run
//! instead of looping (so does a next link that points at the page itself).
//!
//! Pages are streamed: the items of a page are yielded before the next page is asked for, a
//! run holds one page in memory, and dropping the stream stops the run.
//!
//! A body that is not JSON, cut off in the middle of its JSON, or JSON where the records are
//! not found at `records` (a changed shape), is [`ConnectorError::Shape`] naming the URL. 429,
//! 5xx (with `Retry-After`), timeouts and bodies cut off in transfer are retried by the
//! [`Fetcher`].
//!
//! Events: every record of a page emits [`RecordReceived`]; every rejection yielded emits
//! [`RecordRejected`].

use chrono::SecondsFormat;
use futures::{StreamExt as _, TryStreamExt as _, stream};
use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderMap, HeaderName, LINK};
use serde_json::Value;

use super::config::{Config, Header, Paging};
use super::normalize::Normalizer;
use super::wire;
use crate::events::{RecordReceived, RecordRejected};
use crate::fetch::Fetcher;
use crate::{Connector, ConnectorError, HarvestContext, Item, ItemStream};

/// The most pages read in one run.
pub const MAX_PAGES: u64 = 10_000;

/// The `json_api` kind, configured for one source.
#[derive(Debug, Clone)]
pub struct JsonApiConnector {
    config: Config,
    fetcher: Fetcher,
    max_pages: u64,
}

/// Where a run is: the next request, or the end.
enum Cursor {
    /// Numbered pages: the page number, how many records were read so far, and how many the
    /// first page held.
    Page { number: u64, read: u64, full: Option<u64> },
    /// Offsets: the next offset, and how many records the first page held.
    Offset { offset: u64, full: Option<u64> },
    /// The URL of the next page.
    Link(Url),
    /// The one request of a `none` run.
    Once,
}

struct Walk<'a> {
    normalizer: Normalizer<'a>,
    headers: Vec<(HeaderName, String)>,
    next: Option<Cursor>,
    pages: u64,
}

impl JsonApiConnector {
    pub fn new(config: Config, fetcher: Fetcher) -> Self {
        Self { config, fetcher, max_pages: MAX_PAGES }
    }

    /// Lowers the page cap (default [`MAX_PAGES`]); for tests of a lying upstream.
    #[must_use]
    pub fn with_max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    fn base_url(&self) -> Result<Url, ConnectorError> {
        let text = self.config.url.trim();
        Url::parse(text)
            .map_err(|error| ConnectorError::Upstream { url: text.to_owned(), reason: format!("not a URL: {error}") })
    }

    /// The headers of every request, secrets resolved.
    fn headers(&self) -> Result<Vec<(HeaderName, String)>, ConnectorError> {
        let mut headers = Vec::with_capacity(self.config.headers.len() + 1);
        for (name, value) in &self.config.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| ConnectorError::Config(format!("`{name}` is not an HTTP header name")))?;
            let value = match value {
                Header::Literal(text) => text.clone(),
                Header::Secret(secret) => format!("{}{}", secret.prefix, self.fetcher.secret(&secret.env)?.expose()),
            };
            headers.push((header, value));
        }
        if !headers.iter().any(|(name, _)| *name == ACCEPT) {
            headers.push((ACCEPT, "application/json".to_owned()));
        }
        Ok(headers)
    }

    fn first(&self) -> Cursor {
        match &self.config.paging {
            Paging::None(_) => Cursor::Once,
            Paging::Page(page) => Cursor::Page { number: u64::from(page.first_page), read: 0, full: None },
            Paging::Offset(_) => Cursor::Offset { offset: 0, full: None },
            Paging::NextLink(_) => Cursor::Once,
        }
    }

    /// The URL of the request `cursor` stands for.
    fn url(&self, ctx: &HarvestContext, cursor: &Cursor) -> Result<Url, ConnectorError> {
        if let Cursor::Link(url) = cursor {
            return Ok(url.clone());
        }
        let mut url = self.base_url()?;
        {
            let mut query = url.query_pairs_mut();
            if let (Some(param), Some(since)) = (&self.config.since_param, ctx.since) {
                query.append_pair(param.trim(), &since.to_rfc3339_opts(SecondsFormat::Secs, true));
            }
            match (&self.config.paging, cursor) {
                (Paging::Page(page), Cursor::Page { number, .. }) => {
                    query.append_pair(page.page_param.trim(), &number.to_string());
                    query.append_pair(page.size_param.trim(), &page.size.to_string());
                }
                (Paging::Offset(offset), Cursor::Offset { offset: at, .. }) => {
                    query.append_pair(offset.offset_param.trim(), &at.to_string());
                    query.append_pair(offset.limit_param.trim(), &offset.limit.to_string());
                }
                _ => {}
            }
        }
        // No stray `?` when nothing was added to a URL without a query.
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }

    /// Reads the page `walk.next` stands for and returns its items, or `None` at the end.
    async fn step(&self, ctx: &HarvestContext, walk: &mut Walk<'_>) -> Result<Option<Vec<Item>>, ConnectorError> {
        let Some(cursor) = walk.next.take() else { return Ok(None) };
        let url = self.url(ctx, &cursor)?;
        let shape = |reason: String| ConnectorError::Shape { url: url.as_str().to_owned(), reason };
        if walk.pages >= self.max_pages {
            return Err(shape(format!("the upstream still has pages after {} pages: giving up", self.max_pages)));
        }
        walk.pages += 1;
        let response = self.fetcher.get(&url, &walk.headers).await?;
        // A byte order mark before the JSON, as some .NET APIs send, is not part of it.
        let body = response.body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&response.body);
        let page: Value = serde_json::from_slice(body).map_err(|error| {
            shape(if error.is_eof() {
                format!("the body is cut off in the middle of its JSON: {error}")
            } else {
                format!("the body is not JSON: {error}")
            })
        })?;
        let records = wire::records(&page, &self.config.records).map_err(shape)?;
        for _ in records {
            RecordReceived { source: &ctx.source }.emit();
        }
        let count = records.len() as u64;
        walk.next = self.next(&cursor, &url, &page, &response.headers, count).map_err(shape)?;
        let items = walk.normalizer.page(records);
        for item in &items {
            if let Item::Rejected(rejection) = item {
                RecordRejected::of(&ctx.source, rejection).emit();
            }
        }
        Ok(Some(items))
    }

    /// Where the walk goes after a page of `count` records.
    fn next(
        &self,
        cursor: &Cursor,
        url: &Url,
        page: &Value,
        headers: &HeaderMap,
        count: u64,
    ) -> Result<Option<Cursor>, String> {
        let number_at = |pointer: &Option<String>| -> Option<u64> {
            let value = page.pointer(pointer.as_deref()?)?;
            value
                .as_u64()
                .or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                .or_else(|| value.as_str().and_then(|text| text.trim().parse().ok()))
        };
        Ok(match (&self.config.paging, cursor) {
            (Paging::Page(paging), Cursor::Page { number, read, full }) => {
                let read = read + count;
                let full = full.unwrap_or(count);
                let done = match (number_at(&paging.total_pages), number_at(&paging.total_count)) {
                    _ if count == 0 => true,
                    (Some(total), _) => number.saturating_sub(u64::from(paging.first_page)) + 1 >= total,
                    (None, Some(total)) => read >= total,
                    (None, None) => count < full,
                };
                (!done).then_some(Cursor::Page { number: number + 1, read, full: Some(full) })
            }
            (Paging::Offset(paging), Cursor::Offset { offset, full }) => {
                let offset = offset + count;
                let full = full.unwrap_or(count);
                let done = match number_at(&paging.total_count) {
                    _ if count == 0 => true,
                    Some(total) => offset >= total,
                    None => count < full,
                };
                (!done).then_some(Cursor::Offset { offset, full: Some(full) })
            }
            (Paging::NextLink(paging), _) => {
                let link = match &paging.next {
                    Some(pointer) => wire::text(page, pointer, None).ok().flatten(),
                    None => next_from_link_header(headers),
                };
                match link.as_deref().map(str::trim).filter(|link| !link.is_empty()) {
                    None => None,
                    Some(link) => {
                        let joined =
                            url.join(link).map_err(|error| format!("the next link `{link}` is not a URL: {error}"))?;
                        // Only the path and query of the link: the host is the configured one.
                        let mut next = url.clone();
                        next.set_path(joined.path());
                        next.set_query(joined.query());
                        if next == *url {
                            return Err("the next link is the page itself".to_owned());
                        }
                        Some(Cursor::Link(next))
                    }
                }
            }
            _ => None,
        })
    }
}

/// The URL of `rel="next"` in an RFC 8288 `Link` header (`<https://…?page=2>; rel="next"`).
fn next_from_link_header(headers: &HeaderMap) -> Option<String> {
    headers.get_all(LINK).iter().filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(',')).find_map(
        |link| {
            let (target, params) = link.trim().split_once(';')?;
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let is_next = params.split(';').any(|param| {
                param.trim().split_once('=').is_some_and(|(key, value)| {
                    key.trim().eq_ignore_ascii_case("rel")
                        && value.trim().trim_matches('"').split_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
                })
            });
            is_next.then(|| target.to_owned())
        },
    )
}

impl Connector for JsonApiConnector {
    /// Only with a `since_param`: an API without one cannot be asked for changes.
    fn incremental(&self) -> bool {
        self.config.since_param.is_some()
    }

    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a> {
        let start = async move {
            let normalizer = Normalizer::new(&self.config, ctx)?;
            let headers = self.headers()?;
            let first = match self.first() {
                Cursor::Once => Cursor::Link(self.url(ctx, &Cursor::Once)?),
                other => other,
            };
            Ok::<_, ConnectorError>(Walk { normalizer, headers, next: Some(first), pages: 0 })
        };
        stream::once(start)
            .map_ok(move |walk| {
                stream::try_unfold(walk, move |mut walk| async move {
                    Ok(self.step(ctx, &mut walk).await?.map(|items| (items, walk)))
                })
                .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
                .try_flatten()
            })
            .try_flatten()
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn the_next_link_is_read_from_a_link_header_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static(
                r#"<https://api.example/k?page=1>; rel="first", <https://api.example/k?page=3>; rel="next""#,
            ),
        );
        assert_eq!(next_from_link_header(&headers).as_deref(), Some("https://api.example/k?page=3"));
        let mut headers = HeaderMap::new();
        headers.append(LINK, HeaderValue::from_static(r#"</k?page=2>; rel="prev next""#));
        assert_eq!(next_from_link_header(&headers).as_deref(), Some("/k?page=2"));
        let mut headers = HeaderMap::new();
        headers.append(LINK, HeaderValue::from_static(r#"<https://api.example/k?page=1>; rel="prev""#));
        assert_eq!(next_from_link_header(&headers), None);
        assert_eq!(next_from_link_header(&HeaderMap::new()), None);
    }
}
