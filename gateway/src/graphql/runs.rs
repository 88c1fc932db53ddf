//! Recorded harvest runs: `harvestRuns`, newest first, paged by run id.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use vuxnav_schema::{self as model, RunId, SourceId};
use vuxnav_store::Store;

use super::connection::PageInfo;
use super::errors::ApiError;
use super::inputs::page_size;
use super::internal;

/// The prefix of a run cursor before base64: `run:<id>`.
const CURSOR_PREFIX: &str = "run:";

/// How a harvest run ended, or that it is still under way.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// Started and not yet finished.
    Running,
    /// Finished and its changes were stored.
    Succeeded,
    /// Ended by an error; the source's last good data was left as it was.
    Failed,
    /// Read completely but not stored: the harvest guard held it as a likely mistake (`error`
    /// says why); the source's last good data was left as it was.
    Held,
}

impl From<model::RunOutcome> for RunOutcome {
    fn from(outcome: model::RunOutcome) -> Self {
        match outcome {
            model::RunOutcome::Running => Self::Running,
            model::RunOutcome::Succeeded => Self::Succeeded,
            model::RunOutcome::Failed => Self::Failed,
            model::RunOutcome::Held => Self::Held,
        }
    }
}

/// What a run counted.
#[derive(SimpleObject)]
pub struct RunCounts {
    /// Records read from the upstream, rejected ones included.
    fetched: u64,
    /// Offerings not held before (or withdrawn and back).
    new: u64,
    /// Held offerings whose content changed.
    changed: u64,
    /// Held offerings with the same content.
    unchanged: u64,
    /// Offerings withdrawn by the run.
    withdrawn: u64,
    /// Upstream records left out.
    rejected: u64,
}

/// An upstream record a run left out.
#[derive(SimpleObject)]
pub struct RunRejection {
    /// The upstream's own id for the record, or `line 17` / `row 3` where it has none.
    upstream_id: String,
    /// The upstream field at fault, as the upstream names it.
    field: String,
    /// What is wrong.
    reason: String,
}

/// One recorded harvest run of one source.
pub struct HarvestRun(pub model::HarvestRun);

#[Object]
impl HarvestRun {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The source's id.
    async fn source(&self) -> &str {
        self.0.source.as_str()
    }

    async fn started(&self) -> DateTime<Utc> {
        self.0.started
    }

    /// Null while the run is under way.
    async fn finished(&self) -> Option<DateTime<Utc>> {
        self.0.finished
    }

    async fn outcome(&self) -> RunOutcome {
        self.0.outcome.into()
    }

    /// A full run (everything read, absent offerings withdrawn) rather than an incremental one.
    async fn full(&self) -> bool {
        self.0.full
    }

    async fn counts(&self) -> RunCounts {
        let c = self.0.counts;
        RunCounts {
            fetched: c.fetched,
            new: c.new,
            changed: c.changed,
            unchanged: c.unchanged,
            withdrawn: c.withdrawn,
            rejected: c.rejected,
        }
    }

    /// Why a failed run failed.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The first rejections the run met, in the order it met them.
    async fn rejections(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many, at most the configured page limit.")] first: i32,
    ) -> async_graphql::Result<Vec<RunRejection>> {
        let first = page_size(ctx, Some(first))?;
        Ok(self
            .0
            .rejections
            .iter()
            .take(first)
            .map(|r| RunRejection {
                upstream_id: r.upstream_id.clone(),
                field: r.field.clone(),
                reason: r.reason.clone(),
            })
            .collect())
    }

    /// Rejections counted in `counts.rejected` that the store did not keep (it keeps the first
    /// 1,000 of a run).
    async fn rejections_omitted(&self) -> u64 {
        self.0.rejections_omitted
    }
}

#[derive(SimpleObject)]
pub struct HarvestRunEdge {
    cursor: String,
    node: HarvestRun,
}

/// A page of harvest runs, newest first.
#[derive(SimpleObject)]
pub struct HarvestRunConnection {
    edges: Vec<HarvestRunEdge>,
    page_info: PageInfo,
}

fn cursor(id: RunId) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{id}"))
}

fn parse_cursor(cursor: &str) -> Result<RunId, ApiError> {
    let bad = || ApiError::bad_input("after", "not a cursor of harvestRuns");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let id = text.strip_prefix(CURSOR_PREFIX).and_then(|id| id.parse::<i64>().ok()).ok_or_else(bad)?;
    Ok(RunId::new(id))
}

/// The runs of `source` (of every source when `None`), newest first, after the cursor `after`.
pub(super) async fn harvest_runs(
    ctx: &Context<'_>,
    source: Option<String>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<HarvestRunConnection> {
    let first = page_size(ctx, first)?;
    let after = after.as_deref().map(parse_cursor).transpose()?;
    let store = ctx.data_unchecked::<Store>();
    let source = match source {
        None => None,
        Some(id) => {
            let unknown = || ApiError::bad_input("source", format!("no source has the id `{id}`"));
            let parsed = SourceId::parse(&id).map_err(|_| unknown())?;
            let sources = store.sources().await.map_err(internal)?;
            if !sources.iter().any(|s| s.id == parsed) {
                return Err(unknown().into());
            }
            Some(parsed)
        }
    };
    let mut runs = store.runs(source.as_ref(), first.saturating_add(1), after).await.map_err(internal)?;
    let has_next_page = runs.len() > first;
    runs.truncate(first);
    let edges: Vec<HarvestRunEdge> =
        runs.into_iter().map(|run| HarvestRunEdge { cursor: cursor(run.id), node: HarvestRun(run) }).collect();
    let page_info = PageInfo {
        has_next_page,
        has_previous_page: after.is_some(),
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(HarvestRunConnection { edges, page_info })
}

/// The latest run of `source`, if it ever ran.
pub(super) async fn last_run(ctx: &Context<'_>, source: &SourceId) -> async_graphql::Result<Option<HarvestRun>> {
    let store = ctx.data_unchecked::<Store>();
    let mut runs = store.runs(Some(source), 1, None).await.map_err(internal)?;
    Ok(runs.pop().map(HarvestRun))
}
