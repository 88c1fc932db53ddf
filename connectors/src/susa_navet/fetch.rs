//! The fetching half of the `susa_navet` kind: pages through EMIL 3's list resources and hands
//! the records to the pure half.
//!
//! A run GETs `{base_url}/educationProviders`, then `/educationInfos`, then
//! `/educationEvents`, each with
//!
//! - `schoolType` as **one comma-separated list** (`schoolType=VUXGR,VUXGY`), the form the
//!   upstream's own `links` use, which its array parameter also accepts;
//! - `page`, from 0, and `size`, the config's `page_size`;
//! - for events only, `updatedSince` (Swedish local time, [`updated_since_param`]) when the run
//!   is incremental: providers and infos are few and read whole, since a changed event may use
//!   ones that did not change (an info or provider changed alone shows at the next full run);
//! - for events only, `providerId` when the config lists providers: the parameter takes one id,
//!   so the events are walked once per listed provider (an event seen twice is taken once).
//!
//! A resource is walked until the page is the last (`page.pageNumber + 1 >= page.totalPages`),
//! the page is empty, or, without `page` metadata, the page is shorter than `size`. At most
//! [`MAX_PAGES`] pages of one walk are read: an upstream that never says it is done fails the
//! run instead of looping.
//!
//! Providers and infos are read whole into lookups ([`lookup`]); events are streamed one page at
//! a time through a [`Normalizer`], so a run holds one page of events in memory, and the items of
//! a page are yielded before the next page is asked for. Dropping the stream stops the run: no
//! request is sent after that.
//!
//! A body that is not JSON, or JSON that is not an EMIL 3 list page, is
//! [`ConnectorError::Shape`] naming the URL. 503 (the hub updating), 429, other 5xx and bodies
//! cut off in transfer are retried by the [`Fetcher`].
//!
//! Events: every record read (provider, info, event) emits [`RecordReceived`]; every rejection
//! yielded emits [`RecordRejected`].

use futures::channel::mpsc;
use futures::{SinkExt as _, StreamExt as _, stream};
use reqwest::Url;

use super::normalize::{Normalizer, lookup};
use super::wire::{RawPage, RawRecord, updated_since_param};
use super::{Config, wire};
use crate::events::{RecordReceived, RecordRejected};
use crate::fetch::Fetcher;
use crate::{Connector, ConnectorError, HarvestContext, Item, ItemStream};

/// The most pages read in one walk of one resource.
pub const MAX_PAGES: u64 = 10_000;

/// The `susa_navet` kind, configured for one source.
#[derive(Debug, Clone)]
pub struct SusaNavetConnector {
    config: Config,
    fetcher: Fetcher,
    max_pages: u64,
}

type Sender = mpsc::Sender<Result<Item, ConnectorError>>;

impl SusaNavetConnector {
    pub fn new(config: Config, fetcher: Fetcher) -> Self {
        Self { config, fetcher, max_pages: MAX_PAGES }
    }

    /// Lowers the page cap of one walk (default [`MAX_PAGES`]); for tests of a lying upstream.
    #[must_use]
    pub fn with_max_pages(mut self, max_pages: u64) -> Self {
        self.max_pages = max_pages;
        self
    }

    /// The URL of page `page` of `resource`.
    fn page_url(
        &self,
        ctx: &HarvestContext,
        resource: &str,
        provider_id: Option<&str>,
        page: u64,
    ) -> Result<Url, ConnectorError> {
        let base = self.config.base_url.trim().trim_end_matches('/');
        let text = format!("{base}/{resource}");
        let mut url = Url::parse(&text)
            .map_err(|error| ConnectorError::Upstream { url: text.clone(), reason: format!("not a URL: {error}") })?;
        {
            let mut query = url.query_pairs_mut();
            let school_types: Vec<&str> = self.config.school_types.iter().map(|code| code.trim()).collect();
            query.append_pair("schoolType", &school_types.join(","));
            if let Some(id) = provider_id {
                query.append_pair("providerId", id.trim());
            }
            // Providers and infos are read whole: an event that changed may use ones that did not.
            if let Some(since) = ctx.since.filter(|_| resource == "educationEvents") {
                query.append_pair("updatedSince", &updated_since_param(since));
            }
            query.append_pair("page", &page.to_string());
            query.append_pair("size", &self.config.page_size.to_string());
        }
        Ok(url)
    }

    /// One list page of `resource`, parsed, and whether another page follows.
    async fn page(
        &self,
        ctx: &HarvestContext,
        resource: &str,
        provider_id: Option<&str>,
        page: u64,
    ) -> Result<(Vec<RawRecord>, bool), ConnectorError> {
        let url = self.page_url(ctx, resource, provider_id, page)?;
        let response = self.fetcher.get(&url, &[]).await?;
        let parsed: RawPage = serde_json::from_slice(&response.body).map_err(|error| ConnectorError::Shape {
            url: url.as_str().to_owned(),
            reason: if error.is_eof() {
                format!("the body is cut off in the middle of its JSON: {error}")
            } else if error.is_syntax() {
                format!("the body is not JSON: {error}")
            } else if error.to_string().starts_with("missing field `records`") {
                format!("not an EMIL 3 list page: it has no `{resource}` list")
            } else {
                format!("not an EMIL 3 list page of `{resource}`: {error}")
            },
        })?;
        for _ in &parsed.records {
            RecordReceived { source: &ctx.source }.emit();
        }
        let more = match parsed.page.and_then(|info| info.total_pages.map(|total| (info.page_number, total))) {
            _ if parsed.records.is_empty() => false,
            Some((number, total)) => number.unwrap_or(page).saturating_add(1) < total,
            None => (parsed.records.len() as u64) >= u64::from(self.config.page_size),
        };
        Ok((parsed.records, more))
    }

    /// The next page of `walk`, or `None` when the walk is done; an error past the page cap.
    async fn next_page(
        &self,
        ctx: &HarvestContext,
        walk: &mut Walk<'_>,
    ) -> Result<Option<Vec<RawRecord>>, ConnectorError> {
        let Some(page) = walk.next else { return Ok(None) };
        if page >= self.max_pages {
            let url = self.page_url(ctx, walk.resource, walk.provider_id, page)?;
            return Err(ConnectorError::Shape {
                url: url.as_str().to_owned(),
                reason: format!("the upstream still has pages after {} pages: giving up", self.max_pages),
            });
        }
        let (records, more) = self.page(ctx, walk.resource, walk.provider_id, page).await?;
        walk.next = more.then_some(page + 1);
        Ok(Some(records))
    }

    /// Every record of `resource` (providers or infos), all pages.
    async fn all(&self, ctx: &HarvestContext, resource: &str) -> Result<Vec<RawRecord>, ConnectorError> {
        let mut records = Vec::new();
        let mut walk = Walk::new(resource, None);
        while let Some(page) = self.next_page(ctx, &mut walk).await? {
            records.extend(page);
        }
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
        let providers = lookup::<wire::EducationProvider>(&self.all(ctx, "educationProviders").await?);
        let infos = lookup::<wire::EducationInfo>(&self.all(ctx, "educationInfos").await?);
        let mut normalizer = Normalizer::new(ctx, &infos, &providers);
        let provider_ids: Vec<Option<&str>> = match &self.config.provider_ids {
            Some(ids) => ids.iter().map(|id| Some(id.as_str())).collect(),
            None => vec![None],
        };
        for provider_id in provider_ids {
            let mut walk = Walk::new("educationEvents", provider_id);
            while let Some(page) = self.next_page(ctx, &mut walk).await? {
                for item in normalizer.page(&page) {
                    if let Item::Rejected(rejection) = &item {
                        RecordRejected::of(&ctx.source, rejection).emit();
                    }
                    tx.send(Ok(item)).await.map_err(|_| ConnectorError::Cancelled)?;
                }
            }
        }
        Ok(())
    }
}

impl Connector for SusaNavetConnector {
    fn incremental(&self) -> bool {
        true
    }

    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a> {
        // The normaliser borrows the lookups, so the run lives in one future that sends its
        // items through a channel with no slack: it fetches the next page only when the
        // consumer has taken the items before it, and it is dropped with the stream.
        let (tx, rx) = mpsc::channel(0);
        let producer = stream::once(self.run(ctx, tx)).filter_map(|()| async { None });
        stream::select(rx, producer).boxed()
    }
}

/// Where a walk through the pages of one resource is.
struct Walk<'w> {
    resource: &'w str,
    provider_id: Option<&'w str>,
    /// The page to read next; `None` once the last was read.
    next: Option<u64>,
}

impl<'w> Walk<'w> {
    fn new(resource: &'w str, provider_id: Option<&'w str>) -> Self {
        Self { resource, provider_id, next: Some(0) }
    }
}
