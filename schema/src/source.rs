//! Sources (configured instances of a connector kind) and what they hold.

use chrono::{DateTime, Utc};

use crate::{Course, MunicipalityCode, Offering, Provider, SourceId};

code_list! {
    /// The health of a source, as partners and admins see it.
    SourceState, field = "source.status" {
        /// The last run succeeded.
        Ok => ("ok", "aktuell"),
        /// The last run failed; the last good data is still served.
        Stale => ("stale", "inaktuell"),
        /// No run has ever succeeded.
        Failing => ("failing", "fel"),
        /// Switched off in the configuration.
        Disabled => ("disabled", "avstängd"),
        /// The last complete run was held by the harvest guard (`held_reason` says why); the
        /// last good data is still served until a run passes the guard or is accepted.
        Held => ("held", "stoppad"),
    }
}

/// A source's configuration identity and its harvest state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    pub id: SourceId,
    pub municipality: MunicipalityCode,
    /// The connector kind, such as `susa_navet` or `csv`.
    pub kind: String,
    pub state: SourceState,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Why the last complete run was held by the harvest guard, while it is (state `Held`).
    pub held_reason: Option<String>,
    /// Offerings currently held (not withdrawn) from this source, read live from the store.
    pub offering_count: u64,
}

/// Providers, courses and offerings together: what one source yields in a run, or what the
/// whole store holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    pub providers: Vec<Provider>,
    pub courses: Vec<Course>,
    pub offerings: Vec<Offering>,
}

code_list! {
    /// How a harvest run ended, or that it has not yet. A dry run stores nothing, so it is
    /// never a recorded run.
    RunOutcome, field = "run.outcome" {
        /// Started and not yet finished (or its process died; see the store's
        /// `finish_stale_runs`).
        Running => ("running", "pågår"),
        /// Finished and its changes were stored.
        Succeeded => ("succeeded", "lyckad"),
        /// Ended by an error; the source's last good data was left as it was.
        Failed => ("failed", "misslyckad"),
        /// Read completely but not stored: the harvest guard held it as a likely mistake (its
        /// `error` says why); the source's last good data was left as it was.
        Held => ("held", "stoppad"),
    }
}

/// How a run ended, as it is recorded: the outcome and, for a failed or held run, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    Succeeded,
    Failed(String),
    Held(String),
}

impl RunEnd {
    pub fn outcome(&self) -> RunOutcome {
        match self {
            Self::Succeeded => RunOutcome::Succeeded,
            Self::Failed(_) => RunOutcome::Failed,
            Self::Held(_) => RunOutcome::Held,
        }
    }

    /// Why the run failed or was held.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Succeeded => None,
            Self::Failed(reason) | Self::Held(reason) => Some(reason),
        }
    }
}

/// `Ok` succeeded, `Err(message)` failed.
impl From<Result<(), String>> for RunEnd {
    fn from(result: Result<(), String>) -> Self {
        match result {
            Ok(()) => Self::Succeeded,
            Err(message) => Self::Failed(message),
        }
    }
}

/// When a source last harvested successfully: what decides whether its next run can be
/// incremental.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunHistory {
    /// The start of the last successful run, full or incremental.
    pub last_success: Option<DateTime<Utc>>,
    /// The start of the last successful full run.
    pub last_full_success: Option<DateTime<Utc>>,
}

/// The id of a recorded harvest run: assigned by the store, increasing with every run, so
/// newer runs have larger ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(i64);

impl RunId {
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a run counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Records read from the upstream, rejected ones included.
    pub fetched: u64,
    /// Offerings not held before (or withdrawn and back).
    pub new: u64,
    /// Held offerings whose content changed.
    pub changed: u64,
    /// Held offerings with the same content.
    pub unchanged: u64,
    /// Offerings withdrawn by the run.
    pub withdrawn: u64,
    /// Upstream records left out, all of them (not only those kept in `rejections`).
    pub rejected: u64,
}

/// One upstream record a run left out: its upstream id, the field at fault and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRejection {
    /// The upstream's own id for the record, or `line 17` / `row 3` where it has none.
    pub upstream_id: String,
    /// The upstream field, as the upstream names it.
    pub field: String,
    /// What is wrong, lowercase, no trailing period.
    pub reason: String,
}

/// One recorded harvest run of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarvestRun {
    pub id: RunId,
    pub source: SourceId,
    pub started: DateTime<Utc>,
    /// `None` while `Running`.
    pub finished: Option<DateTime<Utc>>,
    pub outcome: RunOutcome,
    /// A full run (everything read, absent offerings withdrawn) rather than an incremental one.
    pub full: bool,
    pub counts: RunCounts,
    /// Why a `Failed` run failed, or why a `Held` run was held.
    pub error: Option<String>,
    /// The rejections kept, in the order the run met them; at most the store's cap.
    pub rejections: Vec<RunRejection>,
    /// Rejections counted in `counts.rejected` but not kept.
    pub rejections_omitted: u64,
}
