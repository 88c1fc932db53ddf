//! The pure half of the `planned_educations` kind: listed adult-education events in,
//! canonical items out. No clock, no I/O; the provenance time is the run's start
//! ([`HarvestContext::started`]).
//!
//! The rules, besides the obvious field-for-field ones:
//!
//! - **Municipality.** The run asks for the source's kommunkod (`geographicalAreaCode`); an
//!   event that still names another municipality's code (read leniently: `126` is `0126`, and
//!   a town's code `0126-Flemingsberg` is its municipality's) is
//!   another source's and is skipped silently. An event without a code is kept.
//! - **Text.** `titleSv` arrives wrapped in CDATA, sometimes with HTML or entities: all of it is
//!   reduced to plain text.
//! - **Course.** The API carries a title and no course code. A course is therefore local to
//!   the source, one per school form and title (`Matematik 1a` given twice is one course), and
//!   its subject is the title without its level (`Matematik`). A record that does carry a valid
//!   code (`courseCode` or `code`, outside the specification) gets the national course of
//!   that code. `typeOfSchool` is a display name (`Gymnasial vuxenutbildning`), read by its
//!   words or as a filter code (`vuxgy`); when it is missing or says only `Kommunal
//!   vuxenutbildning`, an SFI title or the credits system (`vp` grundläggande, `gy` gymnasial)
//!   gives the form, and nothing giving it is a rejection; a form outside adult education
//!   (`Högskoleutbildning`) is a rejection. `komvuxcoursepackage` and gymnasial events of more
//!   than 300 points (no single course is that large: `Bagare och konditor`, 1400) are
//!   packages. Credits are the number in `credits` (`"7.5 hp"` is 7.5); grundläggande events
//!   that say `gy` (as Klippan's do) are counted in verksamhetspoäng, the system of that
//!   level; without a system the form's own is taken. There is no description.
//! - **Provider.** The API names the provider (`providerName`) and has no id or organisation
//!   number, so a provider is local to the source, one per name. When `contractor` names
//!   someone other than the provider, the contractor runs the event and is its provider. The
//!   kind is read from the name: `… kommun` and `… stad` are `kommunal`, `Region …` is `region`, a company
//!   form (`AB`, `HB`, `KB`) is `enskild`, anything else `annan`.
//! - **Offering.** `semesterStartFrom` is the start; the API has no end. Execution condition
//!   `2` or `3` means continuous intake. `lastApplicationDate` is read in every format the API
//!   mixes (`2024-11-28T23:59:59`, `2024-10-15T00:00:00.000+02:00`, `+0200`, a plain date,
//!   milliseconds since 1970), zone-less
//!   times as Swedish time, and its date in Sweden is when the application closes; the
//!   sentinel `2099-12-31` (any year from 2099) means continuous application, as does a missing
//!   date on an event with continuous intake. A pace sent as `"null"` or not at all is full
//!   time. `distance: true` is distance study (the API cannot say hybrid). The API has no time
//!   of study (`blandat`), no seats, fee or web page for people (`_links` point at the API
//!   itself), and lists no language (Swedish, unless a record has `instructionLanguages`).
//!   A title with `lärling` is an apprenticeship. Offerings are open to the region (the county
//!   agreement on komvux).
//! - **Deletions.** The API lists what is planned now and has no deleted rows: an event that
//!   is gone is simply absent, and the runner withdraws it after the complete run.
//! - **Rejections** name the event's `educationEventId` (`(no id)` when it has none) and the
//!   field as the API names it.

use std::collections::HashSet;

use vuxnav_schema::{
    Application, Course, CourseConfiguration, Credits, CreditsSystem, Eligibility, Language, Location,
    MunicipalityCode, Offering, Pace, Provenance, Provider, PublicId, Schedule, SchoolForm, StudyMode,
};

use super::wire::{self, AdultEducationEvent, Scalar, present};
use crate::identity::{self, CourseRecord};
use crate::readings::{mode_in, provider_kind_of, time_of_study_in};
use crate::susa_navet::wire::parse_local_date_time;
use crate::{HarvestContext, Item, Rejection};

/// The largest single gymnasial course, in points: an event worth more is a package.
const LARGEST_COURSE_POINTS: f64 = 300.0;

/// From this year on, a last application date is the API's sentinel for continuous
/// application (`2099-12-31`).
const SENTINEL_YEAR: i32 = 2099;

/// Normalises a run's event records all at once: the same as one [`Normalizer`] given every
/// page.
pub fn normalize(ctx: &HarvestContext, events: &[serde_json::Value]) -> Vec<Item> {
    Normalizer::new(ctx).page(events)
}

/// Normalises a run's pages one at a time. Each kept event yields its provider and course the
/// first time the run sees them, and then its offering, or one rejection; events of other
/// municipalities yield nothing. An event id seen twice in a run (a record that moved between
/// pages while they were read) is taken the first time.
#[derive(Debug)]
pub struct Normalizer<'a> {
    ctx: &'a HarvestContext,
    seen_events: HashSet<String>,
    seen_courses: HashSet<PublicId>,
    seen_providers: HashSet<PublicId>,
}

impl<'a> Normalizer<'a> {
    pub fn new(ctx: &'a HarvestContext) -> Self {
        Self { ctx, seen_events: HashSet::new(), seen_courses: HashSet::new(), seen_providers: HashSet::new() }
    }

    /// The items of one page of event records.
    pub fn page(&mut self, events: &[serde_json::Value]) -> Vec<Item> {
        let mut items = Vec::with_capacity(events.len());
        for record in events {
            self.record(record, &mut items);
        }
        items
    }

    fn record(&mut self, record: &serde_json::Value, items: &mut Vec<Item>) {
        // Read from the raw record, so that a broken event of another municipality is not this
        // source's rejection.
        if !in_municipality(record.get("geographicalAreaCode"), self.ctx.municipality) {
            return;
        }
        let id = record
            .get("educationEventId")
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        let Some(id) = id else {
            items.push(Item::Rejected(Rejection::new("(no id)", "educationEventId", "is missing")));
            return;
        };
        if !self.seen_events.insert(id.clone()) {
            return;
        }
        let event: AdultEducationEvent = match wire::decode(record) {
            Ok(event) => event,
            Err(error) => {
                items.push(Item::Rejected(Rejection::new(id, error.field, error.reason)));
                return;
            }
        };
        match event_items(self.ctx, &id, &event) {
            Ok((provider, course, offering)) => {
                if self.seen_providers.insert(provider.id) {
                    items.push(Item::Provider(provider));
                }
                if self.seen_courses.insert(course.id) {
                    items.push(Item::Course(course));
                }
                items.push(Item::Offering(offering));
            }
            Err((field, reason)) => items.push(Item::Rejected(Rejection::new(id, field, reason))),
        }
    }
}

/// Whether the event is the source's: its kommunkod is the source's, or it has none.
fn in_municipality(code: Option<&serde_json::Value>, municipality: MunicipalityCode) -> bool {
    let text = match code {
        Some(serde_json::Value::String(text)) => Some(text.clone()),
        Some(serde_json::Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("null")) {
        None => true,
        // A town's code is the kommunkod and the town's name: `2121-Alfta`.
        Some(code) => {
            let kommunkod = code.split('-').next().unwrap_or(code);
            MunicipalityCode::parse_lenient(kommunkod).is_ok_and(|code| code == municipality)
        }
    }
}

type FieldError = (&'static str, String);

fn event_items(
    ctx: &HarvestContext,
    id: &str,
    event: &AdultEducationEvent,
) -> Result<(Provider, Course, Offering), FieldError> {
    let course = course(ctx, event)?;
    let provider = provider(ctx, event)?;
    let offering = offering(ctx, id, event, &course, &provider)?;
    Ok((provider, course, offering))
}

fn text(value: Option<&str>) -> Option<String> {
    let cleaned = crate::text::plain(value?);
    (!cleaned.is_empty() && !cleaned.eq_ignore_ascii_case("null")).then_some(cleaned)
}

fn course(ctx: &HarvestContext, event: &AdultEducationEvent) -> Result<Course, FieldError> {
    let title = text(event.title_sv.as_deref()).ok_or(("titleSv", "is missing".to_owned()))?;
    let type_text = text(event.type_of_school.as_deref());
    let (school_form, package_type) = match type_text.as_deref().map(|t| (t, school_form(t))) {
        Some((_, Some(found))) => found,
        Some((t, None)) if !says_only_komvux(t) => {
            return Err((
                "typeOfSchool",
                format!("`{t}` is not a form of adult education vuxnav holds (komvux, yh, fhs, aub)"),
            ));
        }
        _ => (
            komvux_form_of(&title, event).ok_or_else(|| {
                let said = type_text
                    .map_or_else(|| "is missing".to_owned(), |t| format!("`{t}` does not say which komvux form"));
                ("typeOfSchool", format!("{said}, and neither the title nor the credits system shows it"))
            })?,
            false,
        ),
    };
    let credits = credits(event, school_form)?;
    let large = credits.is_some_and(|c| c.system == CreditsSystem::Gy && c.value > LARGEST_COURSE_POINTS);
    let configuration = if package_type || (large && school_form.is_komvux()) {
        CourseConfiguration::Package
    } else {
        CourseConfiguration::Course
    };
    Ok(identity::course(
        &ctx.source,
        CourseRecord {
            form: school_form,
            code: text(event.course_code.as_deref()),
            subject: crate::text::subject(&crate::readings::course_title(&title), school_form, configuration),
            title,
            credits,
            configuration,
            upstream_id: None,
            description: None,
            sun_field: None,
            vocational: configuration == CourseConfiguration::Package,
        },
    ))
}

/// The school form of a `typeOfSchool` display name or filter code, and whether it names a
/// course package.
fn school_form(value: &str) -> Option<(SchoolForm, bool)> {
    let text = value.trim().to_lowercase();
    let by_code = match text.as_str() {
        "vuxgy" | "komvuxgycourses" => Some((SchoolForm::VuxGy, false)),
        "vuxgr" | "komvuxbasiccourses" => Some((SchoolForm::VuxGr, false)),
        "vuxsfi" | "komvuxsfi" | "sfi" => Some((SchoolForm::VuxSfi, false)),
        "vuxgyan" | "komvuxgysar" => Some((SchoolForm::VuxGyan, false)),
        "vuxgran" | "komvuxgrsar" => Some((SchoolForm::VuxGran, false)),
        "komvuxcoursepackage" => Some((SchoolForm::VuxGy, true)),
        "yh" | "yhprogram" | "yhkurskurspaket" => Some((SchoolForm::Yh, false)),
        "fhs" => Some((SchoolForm::Fhs, false)),
        "aub" | "fhsaub" => Some((SchoolForm::Aub, false)),
        _ => None,
    };
    if by_code.is_some() {
        return by_code;
    }
    let has = |word: &str| text.contains(word);
    let package = has("kurspaket") || has("yrkespaket");
    let adapted = has("anpassad") || has("särskild utbildning") || has("särvux");
    let form = if has("svenska för invandrare") || text.split(|c: char| !c.is_alphanumeric()).any(|w| w == "sfi") {
        SchoolForm::VuxSfi
    } else if has("yrkeshögskol") {
        SchoolForm::Yh
    } else if has("folkhögskol") {
        SchoolForm::Fhs
    } else if has("arbetsmarknad") {
        SchoolForm::Aub
    } else if has("studieförbund") {
        SchoolForm::Stf
    } else if has("grundläggande") {
        if adapted { SchoolForm::VuxGran } else { SchoolForm::VuxGr }
    } else if has("gymnasial") || (package && has("vux")) {
        if adapted { SchoolForm::VuxGyan } else { SchoolForm::VuxGy }
    } else {
        return None;
    };
    Some((form, package))
}

/// Whether a type of school says komvux and no more (`Kommunal vuxenutbildning`).
fn says_only_komvux(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("vuxenutbildning") || lower.contains("komvux")
}

/// The komvux form an event's title or credits system shows, when its type of school does not:
/// SFI by its name, grundläggande by verksamhetspoäng, gymnasial by gymnasiepoäng.
fn komvux_form_of(title: &str, event: &AdultEducationEvent) -> Option<SchoolForm> {
    let lower = title.to_lowercase();
    if lower.contains("svenska för invandrare") || lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == "sfi") {
        return Some(SchoolForm::VuxSfi);
    }
    match credits_system(event.credits_system.as_deref()?) {
        Some(CreditsSystem::Vp) => Some(SchoolForm::VuxGr),
        Some(CreditsSystem::Gy) => Some(SchoolForm::VuxGy),
        _ => None,
    }
}

/// A credits system by its code (`gy`) or its name (`gymnasiepoäng`), in any case.
fn credits_system(text: &str) -> Option<CreditsSystem> {
    let text = text.trim();
    CreditsSystem::parse(text)
        .ok()
        .or_else(|| CreditsSystem::ALL.iter().copied().find(|system| system.label().eq_ignore_ascii_case(text)))
}

/// The credits system of a form when the record names none.
fn form_credits_system(form: SchoolForm) -> Option<CreditsSystem> {
    match form {
        SchoolForm::VuxGy | SchoolForm::VuxGyan => Some(CreditsSystem::Gy),
        SchoolForm::VuxGr | SchoolForm::VuxGran => Some(CreditsSystem::Vp),
        SchoolForm::Yh => Some(CreditsSystem::Yh),
        _ => None,
    }
}

fn credits(event: &AdultEducationEvent, form: SchoolForm) -> Result<Option<Credits>, FieldError> {
    let Some(raw) = present(event.credits.as_ref()) else { return Ok(None) };
    let number = raw.split_whitespace().next().unwrap_or(raw).replace(',', ".");
    let value: f64 =
        number.parse().map_err(|_| ("credits", format!("`{raw}` is not a number of credits such as `100`")))?;
    let named =
        event.credits_system.as_deref().map(str::trim).filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("null"));
    // `7.5 hp`: the unit written after the number counts as the system when none is named.
    let named = named.or_else(|| raw.split_whitespace().nth(1));
    let system = match named {
        None => match form_credits_system(form) {
            Some(system) => system,
            None => return Ok(None),
        },
        Some(system) => {
            let system = credits_system(system).ok_or_else(|| {
                let known: Vec<&str> = CreditsSystem::ALL.iter().map(|s| s.code()).collect();
                ("creditsSystem", format!("`{system}` is not one of {}", known.join(", ")))
            })?;
            // Grundläggande courses are counted in verksamhetspoäng; Klippan's say `gy`.
            if system == CreditsSystem::Gy && matches!(form, SchoolForm::VuxGr | SchoolForm::VuxGran) {
                CreditsSystem::Vp
            } else {
                system
            }
        }
    };
    Credits::new(system, value).map(Some).map_err(|e| ("credits", e.reason))
}

fn provider(ctx: &HarvestContext, event: &AdultEducationEvent) -> Result<Provider, FieldError> {
    let provider_name = text(event.provider_name.as_deref());
    let contractor = text(event.contractor.as_deref())
        .filter(|c| provider_name.as_ref().is_none_or(|p| p.to_lowercase() != c.to_lowercase()));
    let name = contractor.or(provider_name).ok_or(("providerName", "is missing".to_owned()))?;
    let kind = provider_kind_of(None, &name);
    Ok(Provider {
        id: PublicId::local_provider(&ctx.source, &format!("name:{}", name.to_lowercase())),
        name,
        org_number: None,
        kind,
        school_unit_code: None,
        municipality: Some(ctx.municipality),
        web: None,
        email: None,
        phone: None,
    })
}

fn offering(
    ctx: &HarvestContext,
    id: &str,
    event: &AdultEducationEvent,
    course: &Course,
    provider: &Provider,
) -> Result<Offering, FieldError> {
    let condition = present(event.execution_condition.as_ref());
    let continuous_intake = matches!(condition, Some("2" | "3"));
    let start = date(event.semester_start_from.as_ref(), "semesterStartFrom")?;
    let schedule = Schedule::new(start, None, continuous_intake).map_err(|e| ("semesterStartFrom", e.reason))?;

    let last = date(event.last_application_date.as_ref(), "lastApplicationDate")?;
    let sentinel = last.is_some_and(|d| chrono::Datelike::year(&d) >= SENTINEL_YEAR);
    let closes = last.filter(|_| !sentinel);
    let continuous = sentinel || (last.is_none() && continuous_intake);
    let application =
        Application::new(None, closes, continuous, None).map_err(|e| ("lastApplicationDate", e.reason))?;

    let pace = match present(event.pace_of_study.as_ref()) {
        None => Pace::FULL_TIME,
        Some(text) => {
            let percent: f64 = text
                .trim_end_matches('%')
                .trim()
                .replace(',', ".")
                .parse()
                .map_err(|_| ("paceOfStudy", format!("`{text}` is not a percentage such as `100.0`")))?;
            Pace::from_percentage(percent).map_err(|e| ("paceOfStudy", e.reason))?
        }
    };
    let language = match first_language(event.instruction_languages.as_ref()) {
        None => None,
        Some(code) => {
            let code = match code.to_ascii_lowercase().as_str() {
                "sv" | "sve" => "swe".to_owned(),
                "en" => "eng".to_owned(),
                other => other.to_owned(),
            };
            Some(Language::parse(&code).map_err(|e| ("instructionLanguages", e.reason))?)
        }
    };
    let title = text(event.title_sv.as_deref());
    let location_name = match &event.location {
        Some(serde_json::Value::String(name)) => text(Some(name)),
        _ => None,
    };
    let offering = Offering {
        id: PublicId::offering(&ctx.source, id),
        course: course.id,
        provider: provider.id,
        municipality: ctx.municipality,
        title: title.clone(),
        location: Location {
            name: location_name,
            street_address: None,
            postal_code: None,
            town: text(event.town.as_deref()),
            coordinates: None,
        },
        schedule,
        application,
        pace,
        time_of_study: title.as_deref().and_then(time_of_study_in),
        // `distance` is the API's own yes or no; a title may say more (`flex`, hybrid).
        mode: match (event.distance, title.as_deref().and_then(mode_in)) {
            (Some(true), _) => Some(StudyMode::Distance),
            (_, Some(read)) => Some(read),
            (Some(false), None) => Some(StudyMode::OnSite),
            (None, None) => None,
        },
        language,
        seats: None,
        cancelled: false,
        apprenticeship: title.as_deref().unwrap_or(&course.title).to_lowercase().contains("lärling"),
        fee_sek: None,
        eligibility: Eligibility::Region,
        web: None,
        provenance: Provenance::harvested(ctx.source.clone(), id.to_owned(), ctx.started),
    }
    .sealed();
    Ok(offering)
}

/// A date in any format the API mixes, as its date in Sweden: a plain date, a zone-less
/// date-time (Swedish time), a date-time with an offset (`+02:00` or `+0200`), or milliseconds
/// since 1970 (as Java services write dates).
fn date(value: Option<&Scalar>, field: &'static str) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let Some(text) = present(value) else { return Ok(None) };
    let instant = parse_local_date_time(text)
        .or_else(|| {
            chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z").ok().map(|t| t.with_timezone(&chrono::Utc))
        })
        .or_else(|| {
            let millis: i64 = text.parse().ok().filter(|_| text.len() >= 11)?;
            chrono::DateTime::from_timestamp_millis(millis)
        })
        .ok_or_else(|| (field, format!("`{text}` is not a date such as `2026-08-17` or `2026-08-17T23:59:59`")))?;
    Ok(Some(instant.with_timezone(&chrono_tz::Europe::Stockholm).date_naive()))
}

/// The first language code of `instructionLanguages` (`"swe"`, `"swe,eng"` or a list).
fn first_language(value: Option<&serde_json::Value>) -> Option<String> {
    let first = match value? {
        serde_json::Value::String(text) => {
            text.split([',', ';', ' ']).map(str::trim).find(|s| !s.is_empty())?.to_owned()
        }
        serde_json::Value::Array(items) => {
            items.iter().filter_map(serde_json::Value::as_str).map(str::trim).find(|s| !s.is_empty())?.to_owned()
        }
        _ => return None,
    };
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_and_codes_give_the_school_form() {
        let form = |text: &str| school_form(text).map(|(form, package)| (form.code(), package));
        assert_eq!(form("Gymnasial vuxenutbildning"), Some(("VUXGY", false)));
        assert_eq!(form("Grundläggande vuxenutbildning"), Some(("VUXGR", false)));
        assert_eq!(form("Kommunal vuxenutbildning i svenska för invandrare"), Some(("VUXSFI", false)));
        assert_eq!(form("Komvux SFI"), Some(("VUXSFI", false)));
        assert_eq!(
            form("Kommunal vuxenutbildning som anpassad utbildning på grundläggande nivå"),
            Some(("VUXGRAN", false))
        );
        assert_eq!(form("Särskild utbildning för vuxna på gymnasial nivå"), Some(("VUXGYAN", false)));
        assert_eq!(form("Yrkeshögskoleutbildning"), Some(("YH", false)));
        assert_eq!(form("vuxgy"), Some(("VUXGY", false)));
        assert_eq!(form("komvuxcoursepackage"), Some(("VUXGY", true)));
        assert_eq!(form("Högskoleutbildning"), None);
    }

    #[test]
    fn dates_in_every_format_are_their_date_in_sweden() {
        let scalar = |text: &str| Scalar(text.to_owned());
        let day = |text: &str| date(Some(&scalar(text)), "x").unwrap().map(|d| d.to_string());
        assert_eq!(day("2024-11-28T23:59:59").as_deref(), Some("2024-11-28"));
        assert_eq!(day("2024-10-15T00:00:00.000+02:00").as_deref(), Some("2024-10-15"));
        assert_eq!(day("2024-10-14T23:30:00Z").as_deref(), Some("2024-10-15"));
        assert_eq!(day("2025-01-06").as_deref(), Some("2025-01-06"));
        assert_eq!(day("2024-10-15T00:00:00+0200").as_deref(), Some("2024-10-15"));
        assert_eq!(day("1732834799000").as_deref(), Some("2024-11-28"));
        assert_eq!(day("null"), None);
        assert!(date(Some(&scalar("28/11/2024")), "x").is_err());
    }
}
