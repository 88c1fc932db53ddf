//! A simulated Skolverket Planned Educations API v4 serving one demo source's adult-education
//! events at `/<source-id>/v4/adult-education-events`.
//!
//! The events are written from the canonical model once, at start, as FORMATS.md section 2
//! describes the list: the `{status, message, body}` envelope around a HAL page
//! (`_embedded.listedAdultEducationEvents`, `_links`, `page {size, totalElements, totalPages,
//! number}`), with the real API's quirks where they cost nothing, so the connector must handle
//! them: titles wrapped in CDATA, `credits` as a string, `typeOfSchool` as a display name,
//! grundläggande courses that say `gy` (as Klippan's do), pace as the string `"null"` for
//! full-time continuous intake, `2099-12-31T00:00:00` as the last application date of
//! continuous application, closing dates that alternate between `2026-06-15T23:59:59` and
//! `2026-06-15T00:00:00.000+02:00`, `_links` pointing at `/v3/`, and no `_embedded` on an
//! empty page.
//!
//! The list answers `geographicalAreaCode` (the source's kommunkod or its länskod; any other
//! code lists nothing), `typeOfSchool` (comma-separated codes), `distance`, `page` and `size`
//! (1 to 200, else `400`); other filters are accepted and ignored.
//!
//! How the canonical model is written:
//!
//! - An event's `providerName` is the municipality's own unit; when an entreprenör runs the
//!   occasion, `contractor` names it (the connector takes the contractor as the provider).
//! - A yrkesvux package is listed under `komvuxcoursepackage` with its points (800 and more),
//!   which the connector reads as a package.
//!
//! What the format cannot carry, and the connector therefore does not read back: course codes
//! and descriptions (courses come back local to the source, by title), provider ids,
//! organisation numbers and contact details (providers come back local, by name), the end
//! date, when application opens, the application's address, seats, time of study, hybrid study
//! (served as distance), the language, addresses and coordinates, cancellation,
//! apprenticeship and the offering's web page.

use chrono::{NaiveDate, TimeZone as _};
use chrono_tz::Europe::Stockholm;
use serde_json::{Value, json};
use vuxnav_schema::{
    Course, CourseConfiguration, CreditsSystem, MunicipalityCode, Offering, Provider, ProviderKind, SchoolForm,
    StudyMode,
};

use super::super::DemoSource;

/// The one resource served, below the source's prefix.
pub(super) const EVENTS_PATH: &str = "v4/adult-education-events";

/// The media type of API v4.
pub(super) const MEDIA_TYPE: &str = "application/vnd.skolverket.plannededucations.api.v4.hal+json";

/// The API's default page size and its largest.
const DEFAULT_SIZE: u64 = 20;
const MAX_SIZE: u64 = 200;

/// One served event and what the list filters look at.
#[derive(Debug)]
struct Row {
    /// The `typeOfSchool` filter code it is listed under.
    type_code: &'static str,
    distance: bool,
    record: Value,
}

/// Everything one source serves.
#[derive(Debug)]
pub(super) struct Data {
    municipality: MunicipalityCode,
    events: Vec<Row>,
}

/// Why a request cannot be answered: an HTTP status and a message for the error envelope.
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: u16,
    pub message: String,
}

impl Data {
    /// Writes the source's offerings as listed adult-education events.
    pub(super) fn new(source: &DemoSource, base_url: &str) -> Self {
        let catalogue = &source.catalogue;
        let kommunkod = source.municipality;
        let own_unit = catalogue
            .providers
            .iter()
            .find(|p| p.kind == Some(ProviderKind::Kommunal) && p.municipality == Some(kommunkod));
        let mut events = Vec::with_capacity(catalogue.offerings.len());
        for (index, offering) in catalogue.offerings.iter().enumerate() {
            let Some(course) = catalogue.courses.iter().find(|c| c.id == offering.course) else { continue };
            let Some(provider) = catalogue.providers.iter().find(|p| p.id == offering.provider) else { continue };
            // An entreprenör's occasion is listed under the municipality's own unit.
            let (listed, contractor) = match own_unit {
                Some(unit) if unit.id != provider.id && provider.kind != Some(ProviderKind::Kommunal) => {
                    (unit, Some(provider))
                }
                _ => (provider, None),
            };
            let href = format!("{base_url}/{}/v3/adult-education-events", source.id.as_str());
            events.push(Row {
                type_code: type_code(course),
                distance: offering.mode.is_some_and(|mode| mode != StudyMode::OnSite),
                record: event(offering, course, listed, contractor, index, &href),
            });
        }
        Self { municipality: kommunkod, events }
    }

    /// One page of the list, as `/v4/adult-education-events` answers it.
    pub(super) fn list(&self, query: &[(String, String)], drift: bool) -> Result<Value, ApiError> {
        let bad = |message: String| ApiError { status: 400, message };
        let mut page = 0_u64;
        let mut size = DEFAULT_SIZE;
        let mut area: Option<String> = None;
        let mut types: Vec<String> = Vec::new();
        let mut distance: Option<bool> = None;
        for (key, value) in query {
            let value = value.trim();
            match key.as_str() {
                "page" => page = value.parse().map_err(|_| bad(format!("page `{value}` is not a number")))?,
                "size" => {
                    size = value
                        .parse()
                        .ok()
                        .filter(|size| (1..=MAX_SIZE).contains(size))
                        .ok_or_else(|| bad(format!("size `{value}` is not 1 to {MAX_SIZE}")))?;
                }
                "geographicalAreaCode" => area = Some(value.to_owned()),
                "typeOfSchool" => types.extend(
                    value.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_ascii_lowercase),
                ),
                "distance" => match value {
                    "true" => distance = Some(true),
                    "false" => distance = Some(false),
                    "" => {}
                    _ => return Err(bad(format!("distance `{value}` is not true or false"))),
                },
                _ => {}
            }
        }
        let here = area
            .as_deref()
            .is_none_or(|code| code == self.municipality.as_str() || code == self.municipality.county_code());
        let matching: Vec<&Row> = self
            .events
            .iter()
            .filter(|_| here)
            .filter(|row| types.is_empty() || types.iter().any(|t| t == row.type_code))
            .filter(|row| distance.is_none_or(|d| d == row.distance))
            .collect();
        let total = matching.len() as u64;
        let records: Vec<Value> = matching
            .iter()
            .skip(usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX))
            .take(usize::try_from(size).unwrap_or(usize::MAX))
            .map(|row| row.record.clone())
            .collect();
        let mut body = json!({
            "_links": {"self": {"href": format!("/planned-educations/v3/adult-education-events?page={page}&size={size}")}},
            "page": {"size": size, "totalElements": total, "totalPages": total.div_ceil(size), "number": page},
        });
        if !records.is_empty() {
            // Drift: the list renamed, as a new API version might.
            let key = if drift { "adultEducationEvents" } else { "listedAdultEducationEvents" };
            body["_embedded"] = json!({ key: records });
        }
        Ok(json!({"status": "OK", "message": "Success", "body": body}))
    }
}

/// The `typeOfSchool` code an event is listed under.
fn type_code(course: &Course) -> &'static str {
    if course.configuration == CourseConfiguration::Package {
        return "komvuxcoursepackage";
    }
    match course.school_form {
        SchoolForm::VuxGr => "vuxgr",
        SchoolForm::VuxGy => "vuxgy",
        SchoolForm::VuxSfi => "vuxsfi",
        SchoolForm::VuxGran => "vuxgran",
        SchoolForm::VuxGyan => "vuxgyan",
        SchoolForm::Yh => "yh",
        SchoolForm::Fhs => "fhs",
        SchoolForm::Aub => "aub",
        SchoolForm::Stf => "ny",
    }
}

/// The display name the API lists as `typeOfSchool`.
fn type_name(form: SchoolForm) -> &'static str {
    match form {
        SchoolForm::VuxGr => "Grundläggande vuxenutbildning",
        SchoolForm::VuxGy => "Gymnasial vuxenutbildning",
        SchoolForm::VuxSfi => "Kommunal vuxenutbildning i svenska för invandrare",
        SchoolForm::VuxGran => "Kommunal vuxenutbildning som anpassad utbildning på grundläggande nivå",
        SchoolForm::VuxGyan => "Kommunal vuxenutbildning som anpassad utbildning på gymnasial nivå",
        SchoolForm::Yh => "Yrkeshögskoleutbildning",
        SchoolForm::Fhs => "Folkhögskoleutbildning",
        SchoolForm::Aub => "Arbetsmarknadsutbildning",
        SchoolForm::Stf => "Studieförbund",
    }
}

fn event(
    offering: &Offering,
    course: &Course,
    listed: &Provider,
    contractor: Option<&Provider>,
    index: usize,
    href: &str,
) -> Value {
    let id = &offering.provenance.upstream_id;
    let municipality = offering.municipality.municipality();
    let schedule = &offering.schedule;
    let application = &offering.application;
    let pace = if offering.pace.percent() == 100 && schedule.continuous_intake() {
        "null".to_owned()
    } else {
        format!("{}.0", offering.pace.percent())
    };
    let credits_system = course.credits.map(|c| match c.system {
        // Grundläggande courses say `gy`, as Klippan's do.
        CreditsSystem::Vp => "gy",
        other => other.code(),
    });
    let last_application = if application.continuous() {
        Value::String("2099-12-31T00:00:00".to_owned())
    } else {
        application.closes().map_or(Value::Null, |date| Value::String(closing(date, index)))
    };
    json!({
        "educationEventId": id,
        "providerName": listed.name,
        "county": municipality.county().name,
        "municipality": municipality.name,
        "geographicalAreaCode": offering.municipality.as_str(),
        "credits": course.credits.map(|c| c.value.to_string()),
        "creditsSystem": credits_system,
        "contractor": contractor.map(|c| c.name.clone()),
        "location": offering.location.name,
        "town": offering.location.town,
        "contactInfoAddressCity": offering.location.town,
        "typeOfSchool": type_name(course.school_form),
        "semesterStartFrom": schedule.start().map(|d| d.format("%Y-%m-%d").to_string()),
        "paceOfStudy": pace,
        "titleSv": format!("<![CDATA[{}]]>", offering.title.as_deref().unwrap_or(&course.title)),
        "extent": null,
        "distance": offering.mode.map(|mode| mode != StudyMode::OnSite),
        "recommendedPriorKnowledge": null,
        "lastApplicationDate": last_application,
        "executionCondition": if schedule.continuous_intake() { 2 } else { 1 },
        "_links": { id.as_str(): {"href": format!("{href}/{id}")} },
    })
}

/// A closing date in one of the two formats the API mixes: a local end of day, or midnight
/// with the Swedish offset and milliseconds.
fn closing(date: NaiveDate, index: usize) -> String {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    match Stockholm.from_local_datetime(&midnight).earliest() {
        Some(local) if index % 2 == 1 => local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
        _ => format!("{}T23:59:59", date.format("%Y-%m-%d")),
    }
}

/// The error envelope `{status, message}`.
pub(super) fn error_body(status: u16, message: &str) -> Value {
    let reason = match status {
        400 => "400 BAD_REQUEST",
        404 => "404 NOT_FOUND",
        503 => "503 SERVICE_UNAVAILABLE",
        _ => "500 INTERNAL_SERVER_ERROR",
    };
    json!({"status": reason, "message": message})
}
