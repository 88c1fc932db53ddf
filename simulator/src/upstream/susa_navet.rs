//! A simulated Susa-navet (EMIL 3 JSON) serving one demo source.
//!
//! The records are written from the canonical model once, at start, as EMIL 3 JSON the way
//! FORMATS.md section 1 describes it: `{id, status: "ACTIVE", content}` wrappers, LangStrings
//! `{strings: [{lang: "swe", value}]}`, `areaCode` as the four-digit kommunkod, execution
//! condition `2` for continuous intake and `1` otherwise, `paceOfStudy.percentage`,
//! `application {first, last, continuous, url}`, a `distance` object for distance and hybrid
//! study (hybrid with mandatory on-site sessions), `timeOfStudy` as a `C_TimeOfStudy` code,
//! `places`, the `KVEventExtension` and local date-times without a zone.
//!
//! How the canonical model is written so that the `susa_navet` connector reads it back:
//!
//! - An event's provider is the municipality's own unit (`providers` and `orderers`); when an
//!   entreprenör runs the occasion, the komvux extension names it as `contractor`, and its own
//!   provider record is served too, so the connector matches the contractor to it by name.
//! - An education's id is `i.IST.<kommunkod><code>` for a national course; a local course (a
//!   yrkesvux package) is identified by its local code, as the connector names local courses
//!   by the education's id.
//! - EMIL 3 has no field for who may apply, so it is not served (the connector takes the
//!   region); providers' e-mail addresses are served, and the connector never reads them.
//! - `lastEdited` is the offering's last change in Swedish time; an education's or a
//!   provider's is the latest of the events that use it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::Europe::Stockholm;
use serde_json::{Map, Value, json};
use vuxnav_schema::{
    Course, CourseConfiguration, MunicipalityCode, Offering, Provider, ProviderKind, PublicId, SchoolForm, StudyMode,
    TimeOfStudy,
};

use super::super::DemoSource;

/// The three list resources of EMIL 3.
pub(super) const RESOURCES: [&str; 3] = ["educationProviders", "educationInfos", "educationEvents"];

/// Susa-navet's default page size and its largest.
const DEFAULT_SIZE: u64 = 100;
const MAX_SIZE: u64 = 2000;

/// One served record: its wrapper and what the list filters look at.
#[derive(Debug)]
pub(super) struct Row {
    id: String,
    /// Swedish local time, as `lastEdited` says it.
    last_edited: NaiveDateTime,
    /// The `C_SchoolType` codes the record belongs to (`schoolType` filter).
    school_types: HashSet<&'static str>,
    /// Provider ids an event lists (`providerId` filter); empty for infos and providers.
    providers: Vec<String>,
    record: Value,
}

/// Everything one source serves, by resource.
#[derive(Debug)]
pub(super) struct Data {
    providers: Vec<Row>,
    infos: Vec<Row>,
    events: Vec<Row>,
}

/// Why a request cannot be answered: an HTTP status and an EMIL 3 error body.
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: u16,
    pub message: String,
}

/// The query of a list request.
#[derive(Debug, Default)]
pub(super) struct ListQuery {
    pub page: u64,
    pub size: u64,
    pub school_types: Vec<String>,
    pub updated_since: Option<NaiveDateTime>,
    pub provider_id: Option<String>,
}

impl ListQuery {
    /// Reads `page`, `size`, `schoolType` (repeated or comma-separated), `updatedSince` (a
    /// date or a local date-time) and `providerId`.
    pub(super) fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let bad = |message: String| ApiError { status: 400, message };
        let mut query = ListQuery { size: DEFAULT_SIZE, ..ListQuery::default() };
        for (key, value) in pairs {
            let value = value.trim();
            match key.as_str() {
                "page" => query.page = value.parse().map_err(|_| bad(format!("page `{value}` is not a number")))?,
                "size" => {
                    query.size = value
                        .parse()
                        .ok()
                        .filter(|size| (1..=MAX_SIZE).contains(size))
                        .ok_or_else(|| bad(format!("size `{value}` is not 1 to {MAX_SIZE}")))?;
                }
                "schoolType" => query.school_types.extend(
                    value.split(',').map(str::trim).filter(|code| !code.is_empty()).map(str::to_ascii_uppercase),
                ),
                "updatedSince" => {
                    query.updated_since = Some(
                        parse_local(value)
                            .ok_or_else(|| bad(format!("updatedSince `{value}` is not a date or local date-time")))?,
                    );
                }
                "providerId" => query.provider_id = Some(value.to_owned()),
                _ => {}
            }
        }
        Ok(query)
    }
}

fn parse_local(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
}

impl Data {
    /// Writes the source's catalogue as EMIL 3 records.
    pub(super) fn new(source: &DemoSource) -> Self {
        let catalogue = &source.catalogue;
        let kommunkod = source.municipality;
        let courses: HashMap<PublicId, &Course> = catalogue.courses.iter().map(|c| (c.id, c)).collect();
        let providers: HashMap<PublicId, &Provider> = catalogue.providers.iter().map(|p| (p.id, p)).collect();
        let own_unit = catalogue
            .providers
            .iter()
            .find(|p| p.kind == Some(ProviderKind::Kommunal) && p.municipality == Some(kommunkod))
            .map(|p| p.id);

        // Events first: they decide the school types and times of the infos and providers.
        let mut events = Vec::with_capacity(catalogue.offerings.len());
        let mut info_meta: HashMap<PublicId, (NaiveDateTime, HashSet<&'static str>)> = HashMap::new();
        let mut provider_meta: HashMap<PublicId, (NaiveDateTime, HashSet<&'static str>)> = HashMap::new();
        for offering in &catalogue.offerings {
            let Some(course) = courses.get(&offering.course) else { continue };
            let Some(provider) = providers.get(&offering.provider) else { continue };
            let last_edited = local(offering.provenance.last_changed);
            let form = course.school_form.code();
            // An entreprenör's occasion is reported by the municipality's own unit.
            let (listed, contractor) = match own_unit {
                Some(unit) if unit != provider.id && provider.kind != Some(ProviderKind::Kommunal) => {
                    (providers.get(&unit).copied().unwrap_or(provider), Some(*provider))
                }
                _ => (*provider, None),
            };
            for used in [Some(listed), contractor].into_iter().flatten() {
                let meta = provider_meta.entry(used.id).or_insert((last_edited, HashSet::new()));
                meta.0 = meta.0.max(last_edited);
                meta.1.insert(form);
            }
            let meta = info_meta.entry(course.id).or_insert((last_edited, HashSet::new()));
            meta.0 = meta.0.max(last_edited);
            meta.1.insert(form);

            let id = offering.provenance.upstream_id.clone();
            let listed_id = provider_id(listed);
            let content = event(offering, course, &listed_id, contractor.map(|c| c.name.as_str()), kommunkod);
            events.push(Row {
                record: wrapper(&id, content),
                id,
                last_edited,
                school_types: HashSet::from([form]),
                providers: vec![listed_id],
            });
        }

        let infos = catalogue
            .courses
            .iter()
            .filter_map(|course| {
                let (last_edited, school_types) = info_meta.remove(&course.id)?;
                let id = info_id(course, kommunkod);
                Some(Row {
                    record: wrapper(&id, info(course, &id, last_edited)),
                    id,
                    last_edited,
                    school_types,
                    providers: Vec::new(),
                })
            })
            .collect();
        let providers = catalogue
            .providers
            .iter()
            .filter_map(|provider| {
                let (last_edited, school_types) = provider_meta.remove(&provider.id)?;
                let id = provider_id(provider);
                Some(Row {
                    record: wrapper(&id, provider_record(provider, &id, last_edited)),
                    id,
                    last_edited,
                    school_types,
                    providers: Vec::new(),
                })
            })
            .collect();
        Self { providers, infos, events }
    }

    fn rows(&self, resource: &str) -> Option<&[Row]> {
        match resource {
            "educationProviders" => Some(&self.providers),
            "educationInfos" => Some(&self.infos),
            "educationEvents" => Some(&self.events),
            _ => None,
        }
    }

    /// One record by id, as `/educationEvents/{id}` answers it.
    pub(super) fn one(&self, resource: &str, id: &str) -> Result<Value, ApiError> {
        self.rows(resource)
            .and_then(|rows| rows.iter().find(|row| row.id == id))
            .map(|row| row.record.clone())
            .ok_or_else(|| ApiError { status: 404, message: format!("No resource with id {id}") })
    }

    /// One list page. `records_key` is the name of the list in the envelope (the resource,
    /// unless schema drift renames it); `self_url` is the URL of the resource without query.
    pub(super) fn list(
        &self,
        resource: &str,
        query: &ListQuery,
        records_key: &str,
        self_url: &str,
    ) -> Result<Value, ApiError> {
        let rows = self.rows(resource).ok_or_else(|| ApiError { status: 404, message: "No such resource".into() })?;
        let wanted = |row: &&Row| {
            (query.school_types.is_empty() || query.school_types.iter().any(|t| row.school_types.contains(t.as_str())))
                && query.updated_since.is_none_or(|since| row.last_edited > since)
                && query.provider_id.as_ref().is_none_or(|id| row.providers.contains(id))
        };
        let matching: Vec<&Row> = rows.iter().filter(wanted).collect();
        let total = matching.len() as u64;
        let total_pages = total.div_ceil(query.size);
        let from = query.page.saturating_mul(query.size);
        let records: Vec<Value> = matching
            .iter()
            .skip(usize::try_from(from).unwrap_or(usize::MAX))
            .take(usize::try_from(query.size).unwrap_or(usize::MAX))
            .map(|row| row.record.clone())
            .collect();

        let link = |rel: &str, page: u64| {
            let mut params = Vec::new();
            if !query.school_types.is_empty() {
                params.push(format!("schoolType={}", query.school_types.join(",")));
            }
            if let Some(id) = &query.provider_id {
                params.push(format!("providerId={id}"));
            }
            if let Some(since) = query.updated_since {
                params.push(format!("updatedSince={}", since.format("%Y-%m-%dT%H:%M:%S")));
            }
            params.push(format!("page={page}"));
            params.push(format!("size={}", query.size));
            json!({"rel": rel, "href": format!("{self_url}?{}", params.join("&"))})
        };
        let mut links = vec![link("self", query.page)];
        if query.page + 1 < total_pages {
            links.push(link("next", query.page + 1));
        }
        let mut envelope = Map::new();
        envelope.insert("links".into(), Value::Array(links));
        envelope.insert(records_key.into(), Value::Array(records));
        envelope.insert(
            "page".into(),
            json!({"size": query.size, "totalElements": total, "totalPages": total_pages, "pageNumber": query.page}),
        );
        Ok(Value::Object(envelope))
    }
}

/// The `{id, status, content}` wrapper of every record.
fn wrapper(id: &str, content: Value) -> Value {
    json!({"id": id, "status": "ACTIVE", "content": content})
}

/// An instant as EMIL 3's `date-time-local`: Swedish wall-clock time without a zone.
fn local(instant: DateTime<Utc>) -> NaiveDateTime {
    Stockholm.from_utc_datetime(&instant.naive_utc()).naive_local()
}

fn local_text(time: NaiveDateTime) -> String {
    time.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn lang_string(text: &str) -> Value {
    json!({"strings": [{"lang": "swe", "value": text}]})
}

fn lang_url(url: &str) -> Value {
    json!({"urls": [{"lang": "swe", "value": url}]})
}

fn code(list: &str, value: &str) -> Value {
    json!({"type": list, "code": value})
}

/// Removes the keys whose value is `null`, at every level: EMIL 3 producers leave out what
/// they do not know.
fn prune(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(prune);
        }
        Value::Array(items) => items.iter_mut().for_each(prune),
        _ => {}
    }
}

/// `p.sv.<organisation number>`, or a local id for a provider without one.
fn provider_id(provider: &Provider) -> String {
    match &provider.org_number {
        Some(org) => format!("p.sv.{}", org.as_str()),
        None => format!("p.vuxnav.{}", provider.id.uuid().simple()),
    }
}

/// `i.IST.<kommunkod><code>` for a national course; a local course's own code otherwise, which
/// the connector turns into the same local course id as the demo's.
fn info_id(course: &Course, kommunkod: MunicipalityCode) -> String {
    let code = local_code(course);
    if course.configuration == CourseConfiguration::Course && course.code.is_some() {
        format!("i.IST.{}{code}", kommunkod.as_str())
    } else {
        code
    }
}

/// The course's code as its municipality writes it: the national code, or the provider's own
/// (a yrkesvux package's `YVUSK`); the title only for a course with neither.
pub(super) fn local_code(course: &Course) -> String {
    match (&course.code, &course.local_code) {
        (Some(code), _) => code.as_str().to_owned(),
        (None, Some(local)) => local.clone(),
        (None, None) => course.title.clone(),
    }
}

fn time_of_study_code(time: TimeOfStudy) -> &'static str {
    match time {
        TimeOfStudy::Day => "dag",
        TimeOfStudy::Evening => "kväll",
        TimeOfStudy::Weekend => "veckoslut",
        TimeOfStudy::Mixed => "blandat",
    }
}

fn date(value: Option<NaiveDate>) -> Value {
    value.map_or(Value::Null, |d| Value::String(d.format("%Y-%m-%d").to_string()))
}

fn event(
    offering: &Offering,
    course: &Course,
    listed: &str,
    contractor: Option<&str>,
    kommunkod: MunicipalityCode,
) -> Value {
    let location = &offering.location;
    let last_edited = local(offering.provenance.last_changed);
    let expires = offering.schedule.end().unwrap_or(last_edited.date()) + Days::new(365);
    let distance = match offering.mode {
        Some(StudyMode::OnSite) | None => Value::Null,
        Some(StudyMode::Distance) => json!({"noOfMandatorySessions": 0, "noOfOptionalSessions": 2}),
        Some(StudyMode::Hybrid) => json!({"noOfMandatorySessions": 4, "noOfOptionalSessions": 2}),
    };
    let schedule = &offering.schedule;
    let application = &offering.application;
    let mut content = json!({
        "identifier": offering.provenance.upstream_id,
        "education": info_id(course, kommunkod),
        "providers": [listed],
        "orderers": [listed],
        "lastEdited": local_text(last_edited),
        "expires": local_text(expires.and_hms_opt(0, 0, 0).unwrap_or(last_edited)),
        "title": lang_string(offering.title.as_deref().unwrap_or(&course.title)),
        "url": offering.web.as_deref().map(lang_url),
        "locations": [{
            "country": "SE",
            "areaCode": offering.municipality.as_str(),
            "town": location.town,
            "streetAddress": location.street_address,
            "postalCode": location.postal_code,
            "wgs84": location.coordinates.map(|c| format!("{},{}", c.latitude, c.longitude)),
            "studyLocation": location.name.as_deref().map(lang_string),
        }],
        "languageOfInstructions": offering.language.map(|l| vec![l.to_string()]).unwrap_or_default(),
        "execution": {
            "condition": code("C_ExecutionCondition", if schedule.continuous_intake() { "2" } else { "1" }),
            "start": date(schedule.start()),
            "end": date(schedule.end()),
        },
        "isCancelled": offering.cancelled,
        "places": offering.seats,
        "timeOfStudy": offering.time_of_study.map(|time| code("C_TimeOfStudy", time_of_study_code(time))),
        "paceOfStudy": {"percentage": f64::from(offering.pace.percent())},
        "isApprenticeship": offering.apprenticeship,
        "distance": distance,
        "application": {
            "first": date(application.opens()),
            "last": date(application.closes()),
            "continuous": application.continuous(),
            "url": application.url.as_deref().map(lang_url),
        },
        "extensions": [{"type": "KVEventExtension", "id": "0", "contractor": contractor}],
    });
    prune(&mut content);
    content
}

fn info(course: &Course, id: &str, last_edited: NaiveDateTime) -> Value {
    let national = course.configuration == CourseConfiguration::Course && course.code.is_some();
    let code_text = local_code(course);
    let subjects = if national { json!([code("SV_Subject", &code_text)]) } else { Value::Null };
    let level = match course.school_form {
        SchoolForm::VuxGr | SchoolForm::VuxGran | SchoolForm::VuxSfi => "ISCED_2",
        _ => "ISCED_3",
    };
    let mut content = json!({
        "identifier": id,
        "educationBase": id,
        "code": code_text,
        "lastEdited": local_text(last_edited),
        "title": lang_string(&course.title),
        "description": course.description.as_deref().map(lang_string),
        "type": code("C_SchoolType", course.school_form.code()),
        "educationLevels": [code("C_EducationLevel", level)],
        "configuration": code("C_Configuration", course.configuration.code()),
        "subjects": subjects,
        "isVocational": course.vocational,
        "resultIsDegree": false,
        "credits": course.credits.map(|credits| json!({
            "system": code("C_Credits", credits.system.code()),
            "credits": credits.value,
        })),
    });
    prune(&mut content);
    content
}

fn provider_record(provider: &Provider, id: &str, last_edited: NaiveDateTime) -> Value {
    let mut content = json!({
        "identifier": id,
        "lastEdited": local_text(last_edited),
        "name": lang_string(&provider.name),
        "url": provider.web.as_deref().map(lang_url),
        "contactAddress": {
            "country": "SE",
            "areaCode": provider.municipality.map(|m| m.as_str().to_owned()),
        },
        "emailAddresses": provider.email.as_ref().map(|email| vec![email.clone()]),
        "phones": provider.phone.as_deref().map(|phone| json!([{"number": lang_string(phone)}])),
        "responsibleBody": {
            "type": provider.kind.map(|kind| code("C_Body", kind.code())),
            "name": lang_string(&provider.name),
        },
        "organisationNumber": provider.org_number.as_ref().map(|org| org.as_str().to_owned()),
    });
    prune(&mut content);
    content
}

/// The `/api-info` answer.
pub(super) fn api_info() -> Value {
    json!({
        "apiPublisher": "vuxnav demo (simulated Skolverket Susa-navet)",
        "apiName": "susa-navet",
        "apiVersion": "3.0.2",
        "emilSchemaVersion": "3.0.2",
        "apiReleased": "2026-01-01",
        "apiDocumentation": "https://api.skolverket.se/susa-navet/emil3",
        "apiStatus": "ACTIVE",
    })
}

/// The EMIL 3 error body `{timestamp, status, type, message}`.
pub(super) fn error_body(status: u16, message: &str) -> Value {
    let kind = match status {
        400 => "Bad Request",
        404 => "Not Found",
        503 => "Service Unavailable",
        _ => "Error",
    };
    json!({
        "timestamp": Utc::now().format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
        "status": status,
        "type": kind,
        "message": message,
    })
}
