//! A simulated SS 12000 API serving one demo source, as a municipality's school-administration
//! system exposes it: `/organisations`, `/syllabuses`, `/schoolUnitOfferings`, `/activities`
//! and `/deletedEntities`, each a `{data, pageToken}` page (`deletedEntities`: `data` is an
//! object of id lists), paged by `limit` (default 100) and an opaque `pageToken`; filters
//! (`meta.modified.after`, `after`) only on the first page, a `pageToken` together with a
//! filter is answered 400 as the standard says; errors as `{code, message}`. No
//! authentication is asked for.
//!
//! How the canonical model is written, and the quirks real APIs have that cost nothing here:
//!
//! - Each provider is an Organisation with its organisation number written with a hyphen
//!   (`212000-0184`), `Huvudman` for the municipality and `Övrigt` for an entreprenör. Each
//!   study place a provider teaches at is a `Skolenhet` under it (`parentOrganisation`) named
//!   after the place, with the town as its address's `locality` and no organisation number of
//!   its own; the connector walks up to the provider.
//! - A course is a Syllabus: a national course's id is the course's own id with `official:
//!   true`; a local course (a yrkesvux package) is identified by its local code with `official:
//!   false`, as the connector names local courses by the syllabus id. School types are written
//!   in the DNP set (`VUXSARGR`, `VUXSARGY` for the adapted forms); `courseName` is wrapped in
//!   CDATA, as some exports do.
//! - An offering is an Activity of type `Undervisning` at its place's unit, with its dates
//!   (none for continuous intake). What SS 12000 has no field for is in the activity's name, as
//!   komvux names its groups: `distans` or `delvis distans`, `dagtid`/`kvällstid`/`helg`, the
//!   pace as `50 %`, `på engelska`, `löpande antagning`.
//! - Not served, because the format cannot carry them: application dates and URL, seats, the
//!   offering's own web page, cancellation, apprenticeship, coordinates, who may apply, course
//!   descriptions and packages' configuration (a syllabus is one course).
//! - `meta.modified` of an activity is the offering's last change; of everything else, the
//!   demo's harvest time. Nothing is ever deleted, so `/deletedEntities` lists no ids (under
//!   the DNP interface's misspelt `activitites`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use vuxnav_schema::{
    Course, CourseConfiguration, Offering, Provider, ProviderKind, PublicId, SchoolForm, StudyMode, TimeOfStudy,
};

use super::super::DemoSource;
use super::susa_navet::local_code;

/// The list resources served.
pub(super) const RESOURCES: [&str; 4] = ["organisations", "syllabuses", "schoolUnitOfferings", "activities"];

/// The page size when `limit` is not given, and the largest served.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 10_000;

/// One served record and the time the `meta.modified.after` filter looks at.
#[derive(Debug)]
struct Row {
    modified: DateTime<Utc>,
    record: Value,
}

/// Everything one source serves, by resource.
#[derive(Debug)]
pub(super) struct Data {
    lists: HashMap<&'static str, Vec<Row>>,
}

/// Why a request cannot be answered: an HTTP status and a message for the `{code, message}`
/// error body.
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: u16,
    pub message: String,
}

fn bad(message: String) -> ApiError {
    ApiError { status: 400, message }
}

fn rfc3339(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn meta(instant: DateTime<Utc>) -> Value {
    json!({"created": rfc3339(instant), "modified": rfc3339(instant)})
}

/// A school unit: a provider at one study place, and the syllabuses (id, title) offered there.
struct Unit<'p> {
    provider: &'p Provider,
    place: String,
    town: String,
    syllabuses: Vec<(String, String)>,
}

/// The id of the unit for `provider` at a study place.
fn unit_id(provider: &Provider, place: &str, town: &str) -> String {
    Uuid::new_v5(&provider.id.uuid(), format!("{place}\u{1f}{town}").as_bytes()).to_string()
}

/// A national course's syllabus id is its own id; a local course's is its local code.
fn syllabus_id(course: &Course) -> (String, bool) {
    let national = course.configuration == CourseConfiguration::Course
        && course.code.as_ref().is_some_and(|code| PublicId::course_by_code(code) == course.id);
    if national { (course.id.to_string(), true) } else { (local_code(course), false) }
}

fn school_type(form: SchoolForm) -> &'static str {
    match form {
        SchoolForm::VuxGran => "VUXSARGR",
        SchoolForm::VuxGyan => "VUXSARGY",
        SchoolForm::Aub => "AU",
        other => other.code(),
    }
}

/// The activity's name: the course title and what SS 12000 has no field for.
fn activity_name(offering: &Offering, course: &Course) -> String {
    let mut parts = vec![course.title.clone()];
    match offering.mode {
        Some(StudyMode::OnSite) | None => {}
        Some(StudyMode::Distance) => parts.push("distans".to_owned()),
        Some(StudyMode::Hybrid) => parts.push("delvis distans".to_owned()),
    }
    match offering.time_of_study {
        Some(TimeOfStudy::Day) => parts.push("dagtid".to_owned()),
        Some(TimeOfStudy::Evening) => parts.push("kvällstid".to_owned()),
        Some(TimeOfStudy::Weekend) => parts.push("helg".to_owned()),
        Some(TimeOfStudy::Mixed) | None => {}
    }
    if offering.pace.percent() != 100 {
        parts.push(format!("{} %", offering.pace.percent()));
    }
    if offering.language.is_some_and(|l| l.as_str() == "eng") {
        parts.push("på engelska".to_owned());
    }
    if offering.schedule.continuous_intake() {
        parts.push("löpande antagning".to_owned());
    }
    parts.join(", ")
}

impl Data {
    /// Writes the source's catalogue as SS 12000 records.
    pub(super) fn new(source: &DemoSource) -> Self {
        let catalogue = &source.catalogue;
        let courses: HashMap<PublicId, &Course> = catalogue.courses.iter().map(|c| (c.id, c)).collect();
        let providers: HashMap<PublicId, &Provider> = catalogue.providers.iter().map(|p| (p.id, p)).collect();
        let harvested = catalogue.offerings.iter().map(|o| o.provenance.last_harvest).max().unwrap_or_default();

        let mut activities = Vec::with_capacity(catalogue.offerings.len());
        let mut units: BTreeMap<String, Unit<'_>> = BTreeMap::new();
        for offering in &catalogue.offerings {
            let (Some(course), Some(provider)) = (courses.get(&offering.course), providers.get(&offering.provider))
            else {
                continue;
            };
            let place = offering.location.name.clone().unwrap_or_else(|| provider.name.clone());
            let town = offering.location.town.clone().unwrap_or_default();
            let unit = unit_id(provider, &place, &town);
            let (syllabus, _) = syllabus_id(course);
            let entry = units.entry(unit.clone()).or_insert_with(|| Unit {
                provider,
                place: place.clone(),
                town,
                syllabuses: Vec::new(),
            });
            if !entry.syllabuses.iter().any(|(id, _)| *id == syllabus) {
                entry.syllabuses.push((syllabus.clone(), course.title.clone()));
            }
            let modified = offering.provenance.last_changed;
            let id = &offering.provenance.upstream_id;
            let mut record = json!({
                "id": id,
                "meta": meta(modified),
                "displayName": activity_name(offering, course),
                "activityType": "Undervisning",
                "calendarEventsRequired": true,
                "groups": [{"id": Uuid::new_v5(&offering.id.uuid(), b"group").to_string()}],
                "syllabus": {"id": syllabus, "displayName": course.title},
                "organisation": {"id": unit, "displayName": place},
            });
            if let Some(start) = offering.schedule.start() {
                record["startDate"] = json!(start.format("%Y-%m-%d").to_string());
            }
            if let Some(end) = offering.schedule.end() {
                record["endDate"] = json!(end.format("%Y-%m-%d").to_string());
            }
            activities.push(Row { modified, record });
        }

        let mut organisations: Vec<Row> = catalogue
            .providers
            .iter()
            .map(|provider| {
                let mut record = json!({
                    "id": provider.id.to_string(),
                    "meta": meta(harvested),
                    "displayName": provider.name,
                    "organisationType": if provider.kind == Some(ProviderKind::Kommunal) { "Huvudman" } else { "Övrigt" },
                });
                if let Some(org) = &provider.org_number {
                    let digits = org.as_str();
                    let written = match (digits.get(..6), digits.get(6..)) {
                        (Some(head), Some(tail)) => format!("{head}-{tail}"),
                        _ => digits.to_owned(),
                    };
                    record["organisationNumber"] = json!(written);
                }
                if let Some(code) = provider.municipality {
                    record["municipalityCode"] = json!(code.as_str());
                }
                if let Some(web) = &provider.web {
                    record["url"] = json!(web);
                }
                if let Some(phone) = &provider.phone {
                    record["phoneNumber"] = json!(phone);
                }
                Row { modified: harvested, record }
            })
            .collect();
        let mut offerings = Vec::with_capacity(units.len());
        for (id, Unit { provider, place, town, syllabuses }) in &units {
            let school_types: Vec<&str> = syllabuses
                .iter()
                .filter_map(|(syllabus, _)| {
                    catalogue.courses.iter().find(|c| syllabus_id(c).0 == *syllabus).map(|c| school_type(c.school_form))
                })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            organisations.push(Row {
                modified: harvested,
                record: json!({
                    "id": id,
                    "meta": meta(harvested),
                    "displayName": place,
                    "organisationType": "Skolenhet",
                    "parentOrganisation": {"id": provider.id.to_string(), "displayName": provider.name},
                    "schoolTypes": school_types,
                    "municipalityCode": source.municipality.as_str(),
                    "address": {"locality": town},
                }),
            });
            let offered: Vec<Value> =
                syllabuses.iter().map(|(syllabus, title)| json!({"id": syllabus, "displayName": title})).collect();
            offerings.push(Row {
                modified: harvested,
                record: json!({
                    "id": Uuid::new_v5(&Uuid::parse_str(id).unwrap_or_default(), b"offering").to_string(),
                    "meta": meta(harvested),
                    "offeredAt": {"id": id, "displayName": place},
                    "offeredSyllabuses": offered,
                }),
            });
        }

        let syllabuses = catalogue
            .courses
            .iter()
            .map(|course| {
                let (id, official) = syllabus_id(course);
                let gymnasial = matches!(course.school_form, SchoolForm::VuxGy | SchoolForm::VuxGyan);
                let mut record = json!({
                    "id": id,
                    "meta": meta(harvested),
                    "schoolType": school_type(course.school_form),
                    "subjectName": course.subject.clone().unwrap_or_else(|| course.title.clone()),
                    "courseName": format!("<![CDATA[{}]]>", course.title),
                    "curriculum": if gymnasial { "Gy11" } else { "Lvux12" },
                    "official": official,
                });
                if let Some(code) = &course.code {
                    record["courseCode"] = json!(code.as_str());
                }
                if let Some(credits) = course.credits {
                    record["points"] = json!(credits.value.round() as i64);
                }
                Row { modified: harvested, record }
            })
            .collect();

        let lists = HashMap::from([
            ("organisations", organisations),
            ("syllabuses", syllabuses),
            ("schoolUnitOfferings", offerings),
            ("activities", activities),
        ]);
        Self { lists }
    }

    /// One page of `resource` (`deletedEntities` included), for the request's `query`. With
    /// `drift`, the page is written the way a changed API would: `items` and `nextPageToken`.
    pub(super) fn page(&self, resource: &str, query: &[(String, String)], drift: bool) -> Result<Value, ApiError> {
        let mut limit = DEFAULT_LIMIT;
        let mut token = None;
        let mut after = None;
        for (key, value) in query {
            let value = value.trim();
            match key.as_str() {
                "limit" => {
                    limit = value
                        .parse()
                        .ok()
                        .filter(|l| (1..=MAX_LIMIT).contains(l))
                        .ok_or_else(|| bad(format!("limit `{value}` is not 1 to {MAX_LIMIT}")))?;
                }
                "pageToken" => token = Some(value.to_owned()),
                "meta.modified.after" | "after" => {
                    let time = DateTime::parse_from_rfc3339(value)
                        .map_err(|_| bad(format!("{key} `{value}` is not an RFC 3339 time")))?;
                    after = Some(time.with_timezone(&Utc));
                }
                _ => {}
            }
        }
        // The filter travels in the token: a next page cannot repeat it.
        let (offset, after) = match token {
            Some(_) if after.is_some() => {
                return Err(bad("filters cannot be combined with pageToken".to_owned()));
            }
            Some(token) => parse_token(&token).ok_or_else(|| bad(format!("`{token}` is not a page token")))?,
            None => (0, after),
        };
        if resource == "deletedEntities" {
            return Ok(json!({"data": {"activitites": [], "organisations": []}, "pageToken": null}));
        }
        let rows = self
            .lists
            .get(resource)
            .ok_or_else(|| ApiError { status: 404, message: format!("No resource {resource}") })?;
        let matching: Vec<&Row> = rows.iter().filter(|row| after.is_none_or(|after| row.modified > after)).collect();
        let start = offset.min(matching.len());
        let end = start.saturating_add(limit).min(matching.len());
        let data: Vec<Value> = matching[start..end].iter().map(|row| row.record.clone()).collect();
        let next = (end < matching.len()).then(|| token_text(end, after));
        Ok(if drift { json!({"items": data, "nextPageToken": next}) } else { json!({"data": data, "pageToken": next}) })
    }
}

/// An opaque-looking token: the next offset and the filter's time.
fn token_text(offset: usize, after: Option<DateTime<Utc>>) -> String {
    format!("o{offset}a{}", after.map_or(-1, |a| a.timestamp()))
}

fn parse_token(token: &str) -> Option<(usize, Option<DateTime<Utc>>)> {
    let (offset, after) = token.strip_prefix('o')?.split_once('a')?;
    let after: i64 = after.parse().ok()?;
    let after = if after < 0 { None } else { Some(DateTime::from_timestamp(after, 0)?) };
    Some((offset.parse().ok()?, after))
}

/// The `{code, message}` body of an error.
pub(super) fn error_body(status: u16, message: &str) -> Value {
    json!({"code": status.to_string(), "message": message})
}

/// The `[source.connector]` table of a source served at `url`.
pub(super) fn connector_toml(url: &str) -> String {
    format!(
        "kind = \"ss12000\"\nbase_url = \"{url}\"\nlimit = 500\nschool_types = [\"VUXGR\", \"VUXGY\", \"VUXSFI\", \"VUXGRAN\", \"VUXGYAN\"]\n"
    )
}
