//! The fetching half of the `ss12000` kind: pages through the API's list resources and hands
//! the records to the pure half.
//!
//! A run GETs, in order, `{base_url}/organisations`, `/syllabuses`, `/schoolUnitOfferings`
//! (each read whole: activities point into them) and `/activities` (streamed), each with
//! `limit` (the config's page size). On an incremental run (`since` set) `/activities` also gets
//! `meta.modified.after` (RFC 3339, UTC), and after the activities the run reads
//! `/deletedEntities?after=…&entities=Activity`, whose activity ids are withdrawn. The three
//! resources activities point into are read whole on every run, so a changed activity always
//! finds its syllabus and school unit.
//!
//! **Paging.** The first page is asked for with the filters; every next page with `limit` and
//! the `pageToken` the previous page returned, and nothing else (SS 12000 answers 400 when
//! filters come with a `pageToken`). A resource is done when a page has no `pageToken` (absent,
//! `null` or empty) or no records. At most [`MAX_PAGES`] pages of one resource are read: an
//! upstream that never stops handing out tokens fails the run instead of looping, and so does
//! one that hands back the token it was given.
//!
//! Every request sends `Accept: application/json` and, when the config names `token_env`,
//! `Authorization: Bearer <token>`. The token is resolved when the run starts; an unset
//! variable is [`ConnectorError::Config`].
//!
//! Activities are normalised one page at a time and a page's items are yielded before the next
//! page is asked for; dropping the stream stops the run: no request is sent after that.
//!
//! `/schoolUnitOfferings` and `/deletedEntities` are optional: many implementations have
//! neither (Skolverket's DNP interface has no school-unit offerings). When the first page of
//! either answers 404 the run goes on without it: activities keep only their own dates, and an
//! incremental run withdraws nothing (a later full run withdraws what is gone). Every other
//! resource answering 404 fails the run.
//!
//! A body that is not JSON, or JSON that is not a list page ([`wire::parse_page`]), is
//! [`ConnectorError::Shape`] naming the URL. 503 (with its `Retry-After`), 429, other 5xx and
//! bodies cut off in transfer are retried by the [`Fetcher`].
//!
//! Events: every record read emits [`RecordReceived`]; every rejection yielded emits
//! [`RecordRejected`].

use chrono::SecondsFormat;
use futures::channel::mpsc;
use futures::{SinkExt as _, StreamExt as _, stream};
use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderName};
use serde_json::Value;
use vuxnav_schema::SchoolForm;

use super::normalize::{Catalogue, Normalizer};
use super::{Config, wire};
use crate::events::{RecordReceived, RecordRejected};
use crate::fetch::Fetcher;
use crate::{Connector, ConnectorError, HarvestContext, Item, ItemStream};

/// The most pages read of one resource in one run.
pub const MAX_PAGES: u64 = 10_000;

/// The `ss12000` kind, configured for one source.
#[derive(Debug, Clone)]
pub struct Ss12000Connector {
    config: Config,
    school_forms: Vec<SchoolForm>,
    fetcher: Fetcher,
    max_pages: u64,
}

type Sender = mpsc::Sender<Result<Item, ConnectorError>>;

/// What one page of a resource held.
enum Page {
    Records(Vec<Value>),
    Deleted(Vec<String>),
}

impl Ss12000Connector {
    pub fn new(config: Config, fetcher: Fetcher) -> Self {
        let school_forms = config.school_forms();
        Self { config, school_forms, fetcher, max_pages: MAX_PAGES }
    }

    /// Lowers the page cap of one resource (default [`MAX_PAGES`]); for tests of a lying
    /// upstream.
    #[must_use]
    pub fn with_max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// The URL of a page of `resource`: the first with `filters`, a next one with its token.
    fn page_url(&self, resource: &str, filters: &[(&str, String)], token: Option<&str>) -> Result<Url, ConnectorError> {
        let base = self.config.base_url.trim().trim_end_matches('/');
        let text = format!("{base}/{resource}");
        let mut url = Url::parse(&text)
            .map_err(|error| ConnectorError::Upstream { url: text.clone(), reason: format!("not a URL: {error}") })?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("limit", &self.config.limit.to_string());
            match token {
                Some(token) => {
                    query.append_pair("pageToken", token);
                }
                None => {
                    for (name, value) in filters {
                        query.append_pair(name, value);
                    }
                }
            }
        }
        Ok(url)
    }

    /// The headers of every request: `Accept`, and the bearer token when there is one.
    fn headers(&self) -> Result<Vec<(HeaderName, String)>, ConnectorError> {
        let mut headers = vec![(ACCEPT, "application/json".to_owned())];
        if let Some(secret) = &self.config.token_env {
            let token = self.fetcher.secret(secret)?;
            headers.push((AUTHORIZATION, format!("Bearer {}", token.expose())));
        }
        Ok(headers)
    }

    /// Reads every page of `resource`, handing each to `each` as it arrives.
    async fn walk<F>(
        &self,
        ctx: &HarvestContext,
        headers: &[(HeaderName, String)],
        resource: &str,
        filters: &[(&str, String)],
        mut each: F,
    ) -> Result<(), ConnectorError>
    where
        F: AsyncPageFn,
    {
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let url = self.page_url(resource, filters, token.as_deref())?;
            if pages >= self.max_pages {
                return Err(ConnectorError::Shape {
                    url: url.as_str().to_owned(),
                    reason: format!("the upstream still has pages after {} pages: giving up", self.max_pages),
                });
            }
            pages += 1;
            let response = self.fetcher.get(&url, headers).await?;
            let shape = |reason: String| ConnectorError::Shape { url: url.as_str().to_owned(), reason };
            let (page, next) = if resource == "deletedEntities" {
                let (ids, next) = wire::parse_deleted(&response.body).map_err(shape)?;
                (Page::Deleted(ids), next)
            } else {
                let page = wire::parse_page(&response.body, resource).map_err(shape)?;
                (Page::Records(page.records), page.page_token)
            };
            let empty = match &page {
                Page::Records(records) => records.is_empty(),
                Page::Deleted(ids) => ids.is_empty(),
            };
            if let Page::Records(records) = &page {
                for _ in records {
                    RecordReceived { source: &ctx.source }.emit();
                }
            }
            each.call(page).await?;
            match next {
                Some(next) if token.as_deref() == Some(next.as_str()) => {
                    return Err(ConnectorError::Shape {
                        url: url.as_str().to_owned(),
                        reason: format!(
                            "the upstream answered with the `pageToken` it was given (`{next}`): giving up"
                        ),
                    });
                }
                Some(next) if !empty => token = Some(next),
                _ => return Ok(()),
            }
        }
    }

    /// Every record of `resource`, all pages.
    async fn all(
        &self,
        ctx: &HarvestContext,
        headers: &[(HeaderName, String)],
        resource: &str,
    ) -> Result<Vec<Value>, ConnectorError> {
        let mut records = Vec::new();
        let mut collect = Collect(&mut records);
        self.walk(ctx, headers, resource, &[], &mut collect).await?;
        Ok(records)
    }

    /// The whole run, sending its items into `tx`; an error is sent as the last item.
    async fn run(&self, ctx: &HarvestContext, mut tx: Sender) {
        if let Err(error) = self.produce(ctx, &mut tx).await {
            // A closed channel means the stream was dropped; nothing is listening.
            let _ = tx.send(Err(error)).await;
        }
    }

    async fn produce(&self, ctx: &HarvestContext, tx: &mut Sender) -> Result<(), ConnectorError> {
        let headers = self.headers()?;
        let organisations = self.all(ctx, &headers, "organisations").await?;
        let syllabuses = self.all(ctx, &headers, "syllabuses").await?;
        // Optional: it only gives dates to activities without their own.
        let offerings = absent_as(self.all(ctx, &headers, "schoolUnitOfferings").await, Vec::new())?;
        let catalogue = Catalogue::new(&organisations, &syllabuses, &offerings);
        drop((organisations, syllabuses, offerings));
        let mut normalizer = Normalizer::new(ctx, &self.school_forms, &catalogue);

        let since = ctx.since.map(|since| since.to_rfc3339_opts(SecondsFormat::Secs, true));
        let filters: Vec<(&str, String)> = since.iter().map(|since| ("meta.modified.after", since.clone())).collect();
        let mut send = Send { ctx, tx, normalizer: &mut normalizer };
        self.walk(ctx, &headers, "activities", &filters, &mut send).await?;
        if let Some(since) = since {
            let filters = [("after", since), ("entities", "Activity".to_owned())];
            absent_as(self.walk(ctx, &headers, "deletedEntities", &filters, &mut send).await, ())?;
        }
        Ok(())
    }
}

/// `fallback` when the resource's first page answered 404 (an API without this optional
/// resource); the result as it is otherwise.
fn absent_as<T>(result: Result<T, ConnectorError>, fallback: T) -> Result<T, ConnectorError> {
    match result {
        Err(ConnectorError::Upstream { url, reason })
            if reason.starts_with("HTTP 404") && !url.contains("pageToken=") =>
        {
            Ok(fallback)
        }
        other => other,
    }
}

/// What [`Ss12000Connector::walk`] does with each page.
trait AsyncPageFn {
    async fn call(&mut self, page: Page) -> Result<(), ConnectorError>;
}

impl<T: AsyncPageFn> AsyncPageFn for &mut T {
    async fn call(&mut self, page: Page) -> Result<(), ConnectorError> {
        (**self).call(page).await
    }
}

/// Keeps the records of every page.
struct Collect<'c>(&'c mut Vec<Value>);

impl AsyncPageFn for Collect<'_> {
    async fn call(&mut self, page: Page) -> Result<(), ConnectorError> {
        if let Page::Records(records) = page {
            self.0.extend(records);
        }
        Ok(())
    }
}

/// Normalises each page and sends its items, waiting for the consumer to take them.
struct Send<'s, 'n> {
    ctx: &'s HarvestContext,
    tx: &'s mut Sender,
    normalizer: &'s mut Normalizer<'n>,
}

impl AsyncPageFn for Send<'_, '_> {
    async fn call(&mut self, page: Page) -> Result<(), ConnectorError> {
        let items = match page {
            Page::Records(records) => self.normalizer.page(&records),
            Page::Deleted(ids) => self.normalizer.deleted(&ids),
        };
        for item in items {
            if let Item::Rejected(rejection) = &item {
                RecordRejected::of(&self.ctx.source, rejection).emit();
            }
            self.tx.send(Ok(item)).await.map_err(|_| ConnectorError::Cancelled)?;
        }
        Ok(())
    }
}

impl Connector for Ss12000Connector {
    fn incremental(&self) -> bool {
        true
    }

    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a> {
        // The normaliser borrows the catalogue, so the run lives in one future that sends its
        // items through a channel with no slack: it fetches the next page only when the
        // consumer has taken the items before it, and it is dropped with the stream.
        let (tx, rx) = mpsc::channel(0);
        let producer = stream::once(self.run(ctx, tx)).filter_map(|()| async { None });
        stream::select(rx, producer).boxed()
    }
}
