//! The fetching half of the `csv` kind: reads the export from its file or URL, whole, and
//! hands the bytes to the pure [`normalize`].
//!
//! A file is held to the same size limit as a fetched body ([`FetchOptions::max_body_bytes`]):
//! a larger one is [`ConnectorError::TooLarge`] before it is read. A URL is fetched through the
//! source's [`Fetcher`] (retries, private-network guard, body limit).
//!
//! Events: every offering, withdrawal and rejection is one upstream row, so each emits
//! [`RecordReceived`]; a rejection also emits [`RecordRejected`]. Providers and courses are
//! derived from the rows and emit nothing of their own.
//!
//! [`FetchOptions::max_body_bytes`]: crate::fetch::FetchOptions::max_body_bytes

use futures::StreamExt as _;
use futures::stream;
use reqwest::Url;

use super::{Config, normalize};
use crate::events::{RecordReceived, RecordRejected};
use crate::fetch::Fetcher;
use crate::{Connector, ConnectorError, HarvestContext, Item, ItemStream};

/// The `csv` kind, configured for one source.
#[derive(Debug, Clone)]
pub struct CsvConnector {
    config: Config,
    fetcher: Fetcher,
}

impl CsvConnector {
    pub fn new(config: Config, fetcher: Fetcher) -> Self {
        Self { config, fetcher }
    }

    /// The export's bytes, from the file or the URL the config names.
    async fn read(&self) -> Result<Vec<u8>, ConnectorError> {
        let limit = self.fetcher.options().max_body_bytes;
        match (&self.config.path, &self.config.url) {
            (Some(path), None) => {
                let shown = path.display().to_string();
                let unreadable = |error: std::io::Error| ConnectorError::Upstream {
                    url: shown.clone(),
                    reason: format!("cannot read the file: {error}"),
                };
                let metadata = tokio::fs::metadata(path).await.map_err(unreadable)?;
                if metadata.len() > limit {
                    return Err(ConnectorError::TooLarge { url: shown, limit });
                }
                let bytes = tokio::fs::read(path).await.map_err(unreadable)?;
                // The file may have grown between the two looks.
                if bytes.len() as u64 > limit {
                    return Err(ConnectorError::TooLarge { url: shown, limit });
                }
                Ok(bytes)
            }
            (None, Some(url)) => {
                let parsed = Url::parse(url).map_err(|error| ConnectorError::Upstream {
                    url: url.clone(),
                    reason: format!("not a URL: {error}"),
                })?;
                Ok(self.fetcher.get(&parsed, &[]).await?.body)
            }
            _ => Err(ConnectorError::Shape {
                url: self.config.location(),
                reason: "the configuration is invalid: set exactly one of `path` and `url`".to_owned(),
            }),
        }
    }
}

impl Connector for CsvConnector {
    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a> {
        stream::once(async move {
            let bytes = self.read().await?;
            normalize(&self.config, ctx, &bytes)
        })
        .flat_map(move |result| {
            let results: Vec<Result<Item, ConnectorError>> = match result {
                Ok(items) => items.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(results)
        })
        .inspect(move |result| {
            if let Ok(item) = result {
                emit(ctx, item);
            }
        })
        .boxed()
    }
}

/// The events of one item as it is handed on.
fn emit(ctx: &HarvestContext, item: &Item) {
    match item {
        Item::Offering(_) | Item::Withdrawn { .. } => RecordReceived { source: &ctx.source }.emit(),
        Item::Rejected(rejection) => {
            RecordReceived { source: &ctx.source }.emit();
            RecordRejected::of(&ctx.source, rejection).emit();
        }
        Item::Provider(_) | Item::Course(_) => {}
    }
}
