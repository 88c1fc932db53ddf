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
    /// Offerings currently held (not withdrawn) from this source.
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
