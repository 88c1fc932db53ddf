//! Conversions between the model and the entities: `From` the model into a row, `TryFrom` a
//! row into the model. Reading validates every value through the schema's constructors, so a
//! row that the model would not accept is a [`StoreError::Corrupt`] naming its table and
//! column, never a value that breaks an invariant later.

use std::fmt::Display;

use vuxnav_schema::{
    Application, ConfiguredField, Coordinates, Course, CourseCode, CourseConfiguration, Credits, CreditsSystem,
    Eligibility, Language, Location, ModelError, MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider,
    ProviderKind, PublicId, Schedule, SchoolForm, SourceId, SourceState, SourceStatus, StudyMode, TimeOfStudy,
};
use vuxnav_schema::{HarvestRun, RunCounts, RunId, RunOutcome, RunRejection};

use crate::StoreError;
use crate::entity::{course, harvest_run, harvest_run_rejection, offering, provider, source};

/// Checks the columns of one row and names the row in what it reports.
struct Row {
    table: &'static str,
    id: String,
}

impl Row {
    fn new(table: &'static str, id: impl Display) -> Self {
        Self { table, id: id.to_string() }
    }

    fn corrupt(&self, column: &'static str, reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt { table: self.table, column, row: self.id.clone(), reason: reason.into() }
    }

    /// The value of `column`, or the model's objection to it.
    fn check<T>(&self, column: &'static str, value: Result<T, ModelError>) -> Result<T, StoreError> {
        value.map_err(|error| self.corrupt(column, error.reason))
    }

    fn optional<T>(
        &self,
        column: &'static str,
        value: Option<&str>,
        parse: impl Fn(&str) -> Result<T, ModelError>,
    ) -> Result<Option<T>, StoreError> {
        value.map(|v| self.check(column, parse(v))).transpose()
    }

    fn count(&self, column: &'static str, value: Option<i64>) -> Result<Option<u32>, StoreError> {
        value
            .map(|v| u32::try_from(v).map_err(|_| self.corrupt(column, format!("{v} is not a non-negative count"))))
            .transpose()
    }
}

impl From<&Provider> for provider::Model {
    fn from(p: &Provider) -> Self {
        Self {
            id: p.id.uuid(),
            name: p.name.clone(),
            org_number: p.org_number.as_ref().map(|o| o.as_str().to_owned()),
            kind: p.kind.map_or("", |k| k.code()).to_owned(),
            school_unit_code: p.school_unit_code.clone(),
            municipality: p.municipality.map(|m| m.as_str().to_owned()),
            web: p.web.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
        }
    }
}

impl TryFrom<provider::Model> for Provider {
    type Error = StoreError;

    fn try_from(m: provider::Model) -> Result<Self, StoreError> {
        let row = Row::new("providers", m.id);
        let provider = Provider {
            id: PublicId::from_uuid(m.id),
            org_number: row.optional("org_number", m.org_number.as_deref(), OrgNumber::parse)?,
            kind: row.optional("kind", Some(m.kind.as_str()).filter(|k| !k.is_empty()), ProviderKind::parse)?,
            school_unit_code: m.school_unit_code,
            municipality: row.optional("municipality", m.municipality.as_deref(), MunicipalityCode::parse)?,
            name: m.name,
            web: m.web,
            email: m.email,
            phone: m.phone,
        };
        row.check("name", provider.validate())?;
        Ok(provider)
    }
}

impl From<&Course> for course::Model {
    fn from(c: &Course) -> Self {
        Self {
            id: c.id.uuid(),
            code: c.code.as_ref().map(|code| code.as_str().to_owned()),
            title: c.title.clone(),
            description: c.description.clone(),
            school_form: c.school_form.code().to_owned(),
            credits_system: c.credits.map(|credits| credits.system.code().to_owned()),
            credits_value: c.credits.map(|credits| credits.value),
            subject: c.subject.clone(),
            sun_field: c.sun_field.clone(),
            vocational: c.vocational,
            configuration: c.configuration.code().to_owned(),
            local_code: c.local_code.clone(),
        }
    }
}

impl TryFrom<course::Model> for Course {
    type Error = StoreError;

    fn try_from(m: course::Model) -> Result<Self, StoreError> {
        let row = Row::new("courses", m.id);
        let credits = match (m.credits_system.as_deref(), m.credits_value) {
            (Some(system), Some(value)) => {
                let system = row.check("credits_system", CreditsSystem::parse(system))?;
                Some(row.check("credits_value", Credits::new(system, value))?)
            }
            (None, None) => None,
            (Some(_), None) => return Err(row.corrupt("credits_value", "a credits system without a value")),
            (None, Some(_)) => return Err(row.corrupt("credits_system", "a credits value without a system")),
        };
        let course = Course {
            id: PublicId::from_uuid(m.id),
            code: row.optional("code", m.code.as_deref(), CourseCode::parse)?,
            local_code: m.local_code,
            title: m.title,
            description: m.description,
            school_form: row.check("school_form", SchoolForm::parse(&m.school_form))?,
            credits,
            subject: m.subject,
            sun_field: m.sun_field,
            vocational: m.vocational,
            configuration: row.check("configuration", CourseConfiguration::parse(&m.configuration))?,
        };
        row.check("title", course.validate())?;
        Ok(course)
    }
}

/// The row of an offering as the snapshot has it, not yet withdrawn. The harvest sets the
/// provenance timestamps it owns (`first_seen`, `last_changed`, `last_harvest`) itself.
impl From<&Offering> for offering::Model {
    fn from(o: &Offering) -> Self {
        let location = &o.location;
        let provenance = &o.provenance;
        Self {
            id: o.id.uuid(),
            source_id: provenance.source.as_str().to_owned(),
            upstream_id: provenance.upstream_id.clone(),
            course_id: o.course.uuid(),
            provider_id: o.provider.uuid(),
            municipality: o.municipality.as_str().to_owned(),
            location_name: location.name.clone(),
            street_address: location.street_address.clone(),
            postal_code: location.postal_code.clone(),
            town: location.town.clone(),
            latitude: location.coordinates.map(|c| c.latitude),
            longitude: location.coordinates.map(|c| c.longitude),
            start_date: o.schedule.start(),
            end_date: o.schedule.end(),
            continuous_intake: o.schedule.continuous_intake(),
            application_opens: o.application.opens(),
            application_closes: o.application.closes(),
            application_continuous: o.application.continuous(),
            application_url: o.application.url.clone(),
            pace: i16::from(o.pace.percent()),
            time_of_study: o.time_of_study.map_or("", |t| t.code()).to_owned(),
            mode: o.mode.map_or("", |m| m.code()).to_owned(),
            language: o.language.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            seats: o.seats.map(i64::from),
            cancelled: o.cancelled,
            apprenticeship: o.apprenticeship,
            fee_sek: o.fee_sek.map(i64::from),
            eligibility: o.eligibility.code().to_owned(),
            web: o.web.clone(),
            first_seen: provenance.first_seen,
            last_changed: provenance.last_changed,
            content_hash: provenance.content_hash.clone(),
            last_harvest: provenance.last_harvest,
            withdrawn_at: None,
            title: o.title.clone(),
            configured: provenance.configured.iter().map(|f| f.code()).collect::<Vec<_>>().join(","),
        }
    }
}

impl TryFrom<offering::Model> for Offering {
    type Error = StoreError;

    fn try_from(m: offering::Model) -> Result<Self, StoreError> {
        let row = Row::new("offerings", m.id);
        let coordinates = match (m.latitude, m.longitude) {
            (Some(latitude), Some(longitude)) => Some(row.check("latitude", Coordinates::new(latitude, longitude))?),
            (None, None) => None,
            (Some(_), None) => return Err(row.corrupt("longitude", "a latitude without a longitude")),
            (None, Some(_)) => return Err(row.corrupt("latitude", "a longitude without a latitude")),
        };
        Ok(Offering {
            id: PublicId::from_uuid(m.id),
            course: PublicId::from_uuid(m.course_id),
            provider: PublicId::from_uuid(m.provider_id),
            municipality: row.check("municipality", MunicipalityCode::parse(&m.municipality))?,
            location: Location {
                name: m.location_name,
                street_address: m.street_address,
                postal_code: m.postal_code,
                town: m.town,
                coordinates,
            },
            schedule: row.check("end_date", Schedule::new(m.start_date, m.end_date, m.continuous_intake))?,
            application: row.check(
                "application_closes",
                Application::new(
                    m.application_opens,
                    m.application_closes,
                    m.application_continuous,
                    m.application_url,
                ),
            )?,
            pace: row.check("pace", Pace::new(i64::from(m.pace)))?,
            time_of_study: row.optional("time_of_study", known(&m.time_of_study), TimeOfStudy::parse)?,
            mode: row.optional("mode", known(&m.mode), StudyMode::parse)?,
            language: row.optional("language", known(&m.language), Language::parse)?,
            seats: row.count("seats", m.seats)?,
            cancelled: m.cancelled,
            apprenticeship: m.apprenticeship,
            fee_sek: row.count("fee_sek", m.fee_sek)?,
            eligibility: row.check("eligibility", Eligibility::parse(&m.eligibility))?,
            web: m.web,
            title: m.title,
            provenance: Provenance {
                configured: m
                    .configured
                    .split(',')
                    .filter(|code| !code.is_empty())
                    .map(|code| row.check("configured", ConfiguredField::parse(code)))
                    .collect::<Result<_, _>>()?,
                source: row.check("source_id", SourceId::parse(&m.source_id))?,
                upstream_id: m.upstream_id,
                first_seen: m.first_seen,
                last_changed: m.last_changed,
                content_hash: m.content_hash,
                last_harvest: m.last_harvest,
            },
        })
    }
}

/// A `sources` row with the number of offerings it holds, as `Store::sources` reads it.
pub(crate) struct SourceRow {
    pub(crate) source: source::Model,
    pub(crate) offering_count: i64,
}

impl TryFrom<SourceRow> for SourceStatus {
    type Error = StoreError;

    fn try_from(SourceRow { source: m, offering_count }: SourceRow) -> Result<Self, StoreError> {
        let row = Row::new("sources", &m.id);
        let state = if !m.enabled {
            SourceState::Disabled
        } else if m.held_reason.is_some() {
            SourceState::Held
        } else if m.last_success.is_none() {
            SourceState::Failing
        } else if m.last_error.is_some() {
            SourceState::Stale
        } else {
            SourceState::Ok
        };
        Ok(SourceStatus {
            id: row.check("id", SourceId::parse(&m.id))?,
            municipality: row.check("municipality", MunicipalityCode::parse(&m.municipality))?,
            kind: m.kind,
            state,
            last_attempt: m.last_attempt,
            last_success: m.last_success,
            last_error: m.last_error,
            held_reason: m.held_reason,
            offering_count: u64::try_from(offering_count).unwrap_or(0),
        })
    }
}

/// A code column's value, `None` for `""` (unknown).
fn known(value: &str) -> Option<&str> {
    Some(value).filter(|v| !v.is_empty())
}

/// A count as a column stores it: the database has signed 64-bit integers.
pub(crate) fn count_column(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// A run and the rejections it kept, in order.
pub(crate) struct RunRow {
    pub(crate) run: harvest_run::Model,
    pub(crate) rejections: Vec<harvest_run_rejection::Model>,
}

impl TryFrom<RunRow> for HarvestRun {
    type Error = StoreError;

    fn try_from(RunRow { run: m, rejections }: RunRow) -> Result<Self, StoreError> {
        let row = Row::new("harvest_runs", m.id);
        let count = |column: &'static str, value: i64| {
            u64::try_from(value).map_err(|_| row.corrupt(column, format!("{value} is not a non-negative count")))
        };
        let counts = RunCounts {
            fetched: count("fetched", m.fetched)?,
            new: count("new", m.new)?,
            changed: count("changed", m.changed)?,
            unchanged: count("unchanged", m.unchanged)?,
            withdrawn: count("withdrawn", m.withdrawn)?,
            rejected: count("rejected", m.rejected)?,
        };
        let rejections: Vec<RunRejection> = rejections
            .into_iter()
            .map(|r| RunRejection { upstream_id: r.upstream_id, field: r.field, reason: r.reason })
            .collect();
        Ok(HarvestRun {
            id: RunId::new(m.id),
            source: row.check("source_id", SourceId::parse(&m.source_id))?,
            started: m.started,
            finished: m.finished,
            outcome: row.check("outcome", RunOutcome::parse(&m.outcome))?,
            full: m.full,
            rejections_omitted: counts.rejected.saturating_sub(rejections.len() as u64),
            counts,
            error: m.error,
            rejections,
        })
    }
}
