//! The fetching half of the `planned_educations` kind: pages through
//! `/v4/adult-education-events` and hands each page to the pure half.
//!
//! A run GETs `{base_url}/v4/adult-education-events` with
//!
//! - the header `Accept: application/vnd.skolverket.plannededucations.api.v4.hal+json`, which
//!   selects API v4;
//! - `geographicalAreaCode`, the source's kommunkod (from the [`HarvestContext`]);
//! - `typeOfSchool` as **one comma-separated list** of the configured codes;
//! - `distance`, `town`, `directionIds`, `searchTerm` and `recommendedPriorKnowledge` when the
//!   config sets them;
//! - `page`, from 0, and `size`, the config's `page_size` (at most 200).
//!
//! Paging: the walk ends when the page is the last (`page.number + 1 >= page.totalPages`), the
//! page is empty, or, without `page` metadata, the page is shorter than `size`. At most
//! [`MAX_PAGES`] pages are read: an upstream that never says it is done fails the run instead
//! of looping. There are no incremental runs: the API has no parameter for changes since a
//! time, so a run with `since` set reads everything, as a full run does.
//!
//! A run holds one page in memory: the items of a page are yielded before the next page is
//! asked for, and dropping the stream stops the run (no request is sent after that).
//!
//! A body that is not JSON, JSON without the envelope's `body`, a page whose `_embedded` has no
//! `listedAdultEducationEvents` list, or a page without records and without `page` metadata
//! is [`ConnectorError::Shape`] naming the URL; an envelope whose `status` is not `OK` (or
//! `200 OK`) is [`ConnectorError::Upstream`] with its message. 503, 429, other 5xx, timeouts and
//! bodies cut off in transfer are retried by the [`Fetcher`] (honouring `Retry-After`).
//!
//! Events: every record read emits [`RecordReceived`]; every rejection yielded emits
//! [`RecordRejected`].

use futures::{StreamExt as _, stream};
use reqwest::Url;
use reqwest::header::ACCEPT;

use super::Config;
use super::normalize::Normalizer;
use super::wire::Envelope;
use crate::events::{RecordReceived, RecordRejected};
use crate::fetch::Fetcher;
use crate::{Connector, ConnectorError, HarvestContext, Item, ItemStream};

/// The most pages read in one run.
pub const MAX_PAGES: u64 = 10_000;

/// The media type that selects API v4.
pub const ACCEPT_V4: &str = "application/vnd.skolverket.plannededucations.api.v4.hal+json";

/// The resource read, below the base URL.
pub const EVENTS_PATH: &str = "v4/adult-education-events";

/// The `planned_educations` kind, configured for one source.
#[derive(Debug, Clone)]
pub struct PlannedEducationsConnector {
    config: Config,
    fetcher: Fetcher,
    max_pages: u64,
}

impl PlannedEducationsConnector {
    pub fn new(config: Config, fetcher: Fetcher) -> Self {
        Self { config, fetcher, max_pages: MAX_PAGES }
    }

    /// Lowers the page cap of a run (default [`MAX_PAGES`]); for tests of a lying upstream.
    #[must_use]
    pub fn with_max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// The URL of page `page`.
    fn page_url(&self, ctx: &HarvestContext, page: u64) -> Result<Url, ConnectorError> {
        let base = self.config.base_url.trim().trim_end_matches('/');
        // An admin may copy the resource's own URL: its base is what comes before `/v4`.
        let base = base.strip_suffix("/adult-education-events").unwrap_or(base);
        let base = base.strip_suffix("/v4").unwrap_or(base);
        let text = format!("{base}/{EVENTS_PATH}");
        let mut url = Url::parse(&text)
            .map_err(|error| ConnectorError::Upstream { url: text.clone(), reason: format!("not a URL: {error}") })?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("geographicalAreaCode", ctx.municipality.as_str());
            let types: Vec<String> = self.config.type_of_school.iter().map(|code| code.trim().to_lowercase()).collect();
            query.append_pair("typeOfSchool", &types.join(","));
            if let Some(distance) = self.config.distance {
                query.append_pair("distance", if distance { "true" } else { "false" });
            }
            let list = |values: &[String]| values.iter().map(|v| v.trim()).collect::<Vec<_>>().join(",");
            if let Some(towns) = &self.config.town {
                query.append_pair("town", &list(towns));
            }
            if let Some(ids) = &self.config.direction_ids {
                query.append_pair("directionIds", &list(ids));
            }
            if let Some(term) = &self.config.search_term {
                query.append_pair("searchTerm", term.trim());
            }
            if let Some(knowledge) = &self.config.recommended_prior_knowledge {
                query.append_pair("recommendedPriorKnowledge", knowledge.trim());
            }
            query.append_pair("page", &page.to_string());
            query.append_pair("size", &self.config.page_size.to_string());
        }
        Ok(url)
    }

    /// Page `page`, parsed, and whether another page follows.
    async fn page(&self, ctx: &HarvestContext, page: u64) -> Result<(Vec<serde_json::Value>, bool), ConnectorError> {
        let url = self.page_url(ctx, page)?;
        let headers = [(ACCEPT, ACCEPT_V4.to_owned())];
        let response = self.fetcher.get(&url, &headers).await?;
        let shape = |reason: String| ConnectorError::Shape { url: url.as_str().to_owned(), reason };
        let envelope: Envelope = serde_json::from_slice(&response.body).map_err(|error| {
            shape(if error.is_eof() {
                format!("the body is cut off in the middle of its JSON: {error}")
            } else if error.is_syntax() {
                format!("the body is not JSON: {error}")
            } else {
                format!("not a Planned Educations v4 response: {error}")
            })
        })?;
        if !envelope.is_ok() {
            return Err(ConnectorError::Upstream {
                url: url.as_str().to_owned(),
                reason: format!(
                    "the API answered status `{}`: {}",
                    envelope.status.as_deref().unwrap_or_default(),
                    envelope.message.as_deref().unwrap_or("no message")
                ),
            });
        }
        let body =
            envelope.body.ok_or_else(|| shape("not a Planned Educations v4 response: it has no `body`".into()))?;
        let records = match body.embedded {
            Some(embedded) => embedded.events.ok_or_else(|| {
                shape(
                    "not a page of adult-education events: `_embedded` has no `listedAdultEducationEvents` list".into(),
                )
            })?,
            // A page without records has no `_embedded`; without `page` either, it is no page.
            None if body.page.is_some() => Vec::new(),
            None => {
                return Err(shape(
                    "not a page of adult-education events: it has neither `_embedded` nor `page`".into(),
                ));
            }
        };
        for _ in &records {
            RecordReceived { source: &ctx.source }.emit();
        }
        let more = match body.page.and_then(|info| info.total_pages.map(|total| (info.number, total))) {
            _ if records.is_empty() => false,
            Some((number, total)) => number.unwrap_or(page).saturating_add(1) < total,
            None => (records.len() as u64) >= u64::from(self.config.page_size),
        };
        Ok((records, more))
    }
}

/// Where a run is: the page to read next, `None` once the last was read.
struct Walk<'a> {
    connector: &'a PlannedEducationsConnector,
    ctx: &'a HarvestContext,
    normalizer: Normalizer<'a>,
    next: Option<u64>,
}

impl Walk<'_> {
    /// The items of the next page, `None` when the run is done; an error ends the run.
    async fn next_items(&mut self) -> Option<Result<Vec<Item>, ConnectorError>> {
        let page = self.next?;
        if page >= self.connector.max_pages {
            self.next = None;
            let error = match self.connector.page_url(self.ctx, page) {
                Ok(url) => ConnectorError::Shape {
                    url: url.as_str().to_owned(),
                    reason: format!("the upstream still has pages after {} pages: giving up", self.connector.max_pages),
                },
                Err(error) => error,
            };
            return Some(Err(error));
        }
        match self.connector.page(self.ctx, page).await {
            Ok((records, more)) => {
                self.next = more.then_some(page + 1);
                let items = self.normalizer.page(&records);
                for item in &items {
                    if let Item::Rejected(rejection) = item {
                        RecordRejected::of(&self.ctx.source, rejection).emit();
                    }
                }
                Some(Ok(items))
            }
            Err(error) => {
                self.next = None;
                Some(Err(error))
            }
        }
    }
}

impl Connector for PlannedEducationsConnector {
    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a> {
        // One page at a time: the next page is asked for only once the items of this one have
        // been taken, and nothing more is asked once the stream is dropped.
        let walk = Walk { connector: self, ctx, normalizer: Normalizer::new(ctx), next: Some(0) };
        stream::unfold(walk, |mut walk| async move {
            let result = walk.next_items().await?;
            Some((result, walk))
        })
        .flat_map(|result| match result {
            Ok(items) => stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>()),
            Err(error) => stream::iter(vec![Err(error)]),
        })
        .boxed()
    }
}
