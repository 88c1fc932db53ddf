//! A simulated municipal "kurskatalog": a municipality's own REST API, as Täby's or Nacka's
//! web team might have written it, read by the `json_api` connector through a mapping.
//!
//! `GET /<source-id>/api/v1/kurstillfallen` answers
//!
//! ```json
//! {
//!   "antal": 231,
//!   "kurstillfallen": [ { "id": "matematik-1b-17", "kurs": { … }, "anordnare": { … }, … } ],
//!   "_links": { "self": { "href": "…" }, "next": { "href": "/0160-taby/api/v1/kurstillfallen?cursor=100&limit=100" } }
//! }
//! ```
//!
//! paged by next links in HAL style (`cursor` and `limit`, 100 by default, at most 500; the
//! last page has no `next`). A record has Swedish keys and nested objects: `kurs` (`kod`, or
//! `null` for a yrkesvux package, whose local code is its `id`; a national course's `id` is a
//! number), `anordnare`, `period`, `ansokan`, `studieort`; numbers are JSON numbers (`poang`,
//! `studietakt`, `platser`), and the quirks real APIs have where they cost nothing: the title
//! in CDATA, the description as HTML, `kommunkod` as a number that lost its leading zero,
//! application dates as local date-times, `null` for what is unknown, the school form spelled
//! out (`Gymnasial vuxenutbildning`) and the study form and time in words (`Delvis distans`,
//! `Kväll`).
//!
//! The catalogue is public, as most municipal course catalogues are: it needs no token, and
//! the demo's connector table sends only `Accept-Language`. (The demo process sets no
//! environment variables, so a secret header could not be resolved; a real source with a
//! token writes `Authorization = { env = "…", prefix = "Bearer " }`.)
//!
//! What this API cannot say, and the connector therefore does not read back: continuous intake
//! and continuous application (such occasions have `null` dates), cancellation, apprenticeship,
//! coordinates, and who may apply (the config says `region` for all).

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde_json::{Value, json};
use vuxnav_schema::{Course, CourseConfiguration, Provider, PublicId, StudyMode, TimeOfStudy};

use super::super::DemoSource;
use super::csv::LEVELS;
use super::susa_navet::{ApiError, local_code};

/// The list's path under the source's prefix.
pub(super) const PATH: &str = "api/v1/kurstillfallen";

/// The key of the records in a page, and what schema drift renames it to (the API's v2).
const RECORDS: &str = "kurstillfallen";
const DRIFTED: &str = "tillfallen";

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;

/// Every record of one source, rendered once.
#[derive(Debug)]
pub(super) struct Data {
    records: Vec<Value>,
}

impl Data {
    pub(super) fn new(source: &DemoSource) -> Self {
        let catalogue = &source.catalogue;
        let courses: HashMap<PublicId, (usize, &Course)> =
            catalogue.courses.iter().enumerate().map(|(i, c)| (c.id, (i, c))).collect();
        let providers: HashMap<PublicId, &Provider> = catalogue.providers.iter().map(|p| (p.id, p)).collect();
        let records = catalogue
            .offerings
            .iter()
            .filter_map(|offering| {
                let (index, course) = courses.get(&offering.course)?;
                let provider = providers.get(&offering.provider)?;
                let package = course.configuration != CourseConfiguration::Course;
                let level = LEVELS.iter().find(|(_, form)| *form == course.school_form).map(|(level, _)| capitalised(level));
                let location = &offering.location;
                Some(json!({
                    "id": offering.provenance.upstream_id,
                    "kurs": {
                        "id": if package { json!(local_code(course)) } else { json!(700 + index) },
                        "kod": if package { Value::Null } else { json!(local_code(course)) },
                        "namn": format!("<![CDATA[{}]]>", offering.title.as_deref().unwrap_or(&course.title)),
                        "beskrivning": course.description.as_deref().map(|text| format!("<p>{}</p>", html_escape(text))),
                        "amne": course.subject,
                        "skolform": level,
                        "poang": course.credits.map(|credits| credits.value),
                    },
                    "anordnare": {
                        "namn": provider.name,
                        "organisationsnummer": provider.org_number.as_ref().map(|number| number.as_str()),
                        "huvudman": provider.kind.map(|k| k.code()),
                        "webbplats": provider.web,
                    },
                    "kommunkod": offering.municipality.as_str().parse::<u32>().ok(),
                    "period": { "start": date(offering.schedule.start()), "slut": date(offering.schedule.end()) },
                    "ansokan": {
                        "oppnar": date_time(offering.application.opens()),
                        "stanger": date_time(offering.application.closes()),
                    },
                    "studietakt": offering.pace.percent(),
                    "platser": offering.seats,
                    "undervisningssprak": offering.language.map(|l| l.to_string()),
                    "studieort": {
                        "ort": location.town,
                        "skola": location.name,
                        "adress": location.street_address,
                        "postnummer": location.postal_code,
                    },
                    "studieform": offering.mode.map(|mode| match mode {
                        StudyMode::OnSite => "Närundervisning",
                        StudyMode::Distance => "Distans",
                        StudyMode::Hybrid => "Delvis distans",
                    }),
                    "studietid": offering.time_of_study.map(|time| match time {
                        TimeOfStudy::Day => "Dag",
                        TimeOfStudy::Evening => "Kväll",
                        TimeOfStudy::Weekend => "Helg",
                        TimeOfStudy::Mixed => "Blandat",
                    }),
                    "webb": offering.web,
                }))
            })
            .collect();
        Self { records }
    }

    /// The page `query` asks for (`cursor`, `limit`); `path` is the list's own path, for the
    /// links; with `drift` the records are under the v2 key.
    pub(super) fn page(&self, path: &str, query: &[(String, String)], drift: bool) -> Result<Value, ApiError> {
        let param =
            |name: &str, default: usize| -> Result<usize, ApiError> {
                match query.iter().rev().find(|(key, _)| key == name) {
                    None => Ok(default),
                    Some((_, value)) => value.trim().parse().map_err(|_| ApiError {
                        status: 400,
                        message: format!("Parametern {name} måste vara ett heltal"),
                    }),
                }
            };
        let cursor = param("cursor", 0)?;
        let limit = param("limit", DEFAULT_LIMIT)?;
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError { status: 400, message: format!("limit ska vara 1 till {MAX_LIMIT}") });
        }
        let start = cursor.min(self.records.len());
        let end = start.saturating_add(limit).min(self.records.len());
        let mut links = serde_json::Map::new();
        links.insert("self".into(), json!({ "href": format!("{path}?cursor={cursor}&limit={limit}") }));
        if end < self.records.len() {
            links.insert("next".into(), json!({ "href": format!("{path}?cursor={end}&limit={limit}") }));
        }
        let mut page = serde_json::Map::new();
        page.insert("antal".into(), json!(self.records.len()));
        page.insert(if drift { DRIFTED } else { RECORDS }.into(), Value::Array(self.records[start..end].to_vec()));
        page.insert("_links".into(), Value::Object(links));
        Ok(Value::Object(page))
    }
}

/// The `[source.connector]` table that reads this API at `url` (the source's prefix).
pub(super) fn connector_toml(url: &str) -> String {
    let mut text = format!(
        r#"kind = "json_api"
url = "{url}/{PATH}"
records = "/{RECORDS}"

[paging]
style = "next_link"
next = "/_links/next/href"

[headers]
"Accept-Language" = "sv"

[fields]
upstream_id = "/id"
course_id = "/kurs/id"
course_code = "/kurs/kod"
title = "/kurs/namn"
description = "/kurs/beskrivning"
subject = "/kurs/amne"
school_form = "/kurs/skolform"
credits = "/kurs/poang"
provider_name = "/anordnare/namn"
provider_org_number = "/anordnare/organisationsnummer"
provider_kind = "/anordnare/huvudman"
provider_url = "/anordnare/webbplats"
municipality_code = "/kommunkod"
start = "/period/start"
end = "/period/slut"
application_opens = "/ansokan/oppnar"
application_closes = "/ansokan/stanger"
pace = "/studietakt"
seats = "/platser"
language = "/undervisningssprak"
town = "/studieort/ort"
location_name = "/studieort/skola"
street_address = "/studieort/adress"
postal_code = "/studieort/postnummer"
mode = "/studieform"
time_of_study = "/studietid"
url = "/webb"

[values.school_form]
"#
    );
    for (level, form) in LEVELS {
        let _ = writeln!(text, "\"{}\" = \"{}\"", capitalised(level), form.code());
    }
    text
}

/// `gymnasial vuxenutbildning` as the API writes it: `Gymnasial vuxenutbildning`.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn date(value: Option<NaiveDate>) -> Value {
    value.map_or(Value::Null, |d| Value::String(d.format("%Y-%m-%d").to_string()))
}

fn date_time(value: Option<NaiveDate>) -> Value {
    value.map_or(Value::Null, |d| Value::String(d.format("%Y-%m-%dT00:00:00").to_string()))
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
