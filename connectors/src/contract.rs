//! The contract between a connector kind and the harvest runner.

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use vuxnav_schema::{Course, ModelError, MunicipalityCode, Offering, Provider, SourceId};

/// What a connector yields while it reads its upstream.
// Items are moved along one at a time; boxing the large variants would only add allocations.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Provider(Provider),
    Course(Course),
    Offering(Offering),
    /// An offering the upstream says is gone (an incremental run's deletion).
    Withdrawn {
        upstream_id: String,
    },
    /// An upstream record that could not be normalised; the run goes on without it.
    Rejected(Rejection),
}

/// Why one upstream record was left out: its id, the field at fault and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The upstream's own id for the record, or `line 17` / `row 3` where it has none.
    pub upstream_id: String,
    /// The upstream field, as the upstream names it (`execution.start`, `Kurskod`).
    pub field: String,
    /// What is wrong, lowercase, no trailing period.
    pub reason: String,
}

impl Rejection {
    pub fn new(upstream_id: impl Into<String>, field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { upstream_id: upstream_id.into(), field: field.into(), reason: reason.into() }
    }

    /// A rejection from a model rule, keeping the upstream field name.
    pub fn from_model(upstream_id: impl Into<String>, field: impl Into<String>, error: ModelError) -> Self {
        Self::new(upstream_id, field, error.reason)
    }
}

/// Losing the source: the run ends and the source's last good data stays in service.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("{url}: {reason}")]
    Upstream { url: String, reason: String },
    #[error("{url}: the response is not what this connector understands: {reason}")]
    Shape { url: String, reason: String },
    #[error("{url}: the response is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("the run was cancelled")]
    Cancelled,
    /// The source's configuration cannot be used as it stands: a secret it names is not set.
    #[error("{0}")]
    Config(String),
}

/// What a run knows besides the connector's own configuration.
#[derive(Debug, Clone)]
pub struct HarvestContext {
    pub source: SourceId,
    pub municipality: MunicipalityCode,
    /// Ask only for what changed since then (an incremental run); `None` for a full run.
    pub since: Option<DateTime<Utc>>,
    /// When the run started: the harvest time stamped on every record's provenance.
    pub started: DateTime<Utc>,
}

/// The items of one run, in upstream order. An `Err` ends the run.
pub type ItemStream<'a> = BoxStream<'a, Result<Item, ConnectorError>>;

/// A configured connector kind, ready to run for one source.
pub trait Connector: Send + Sync {
    /// Reads the upstream: everything when `ctx.since` is `None`, otherwise what changed since
    /// then (kinds that cannot ask for changes read everything). Dropping the stream cancels
    /// the run.
    fn harvest<'a>(&'a self, ctx: &'a HarvestContext) -> ItemStream<'a>;

    /// Whether the kind can ask its upstream for only what changed (`ctx.since`); the runner
    /// then runs it incrementally between full runs. Default `false`: every run is full.
    fn incremental(&self) -> bool {
        false
    }
}
