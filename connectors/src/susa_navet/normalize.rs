//! The pure half of the `susa_navet` kind: EMIL 3 records in, canonical items out. No clock,
//! no I/O; the provenance time is the run's start ([`HarvestContext::started`]).
//!
//! The rules, besides the obvious field-for-field ones:
//!
//! - **Municipality.** Susa-navet has no municipality filter, so an event is kept only when one
//!   of its `locations` has the source's kommunkod as `areaCode` (read leniently: `126` is
//!   `0126`). Other events are skipped silently: they are another source's, not rejections.
//!   That location is the offering's place of study.
//! - **Deletions.** A row whose status is not `ACTIVE` is [`Item::Withdrawn`]: always when its
//!   content is `null` (nothing tells its municipality; the runner withdraws only what this
//!   source holds), and when its content still names this municipality.
//! - **Text.** Swedish (`swe`) is preferred, else the first language given; HTML (marked with
//!   `content: "HTML"` or plainly tagged) is reduced to text, entities decoded, one paragraph
//!   per line.
//! - **Course.** From the event's `education`. The id is the national one
//!   ([`PublicId::course_by_code`]) when a single course (`kurs`) has a code that is a course
//!   code; packages, programmes and courses without a code are local to the source. `VUX`
//!   (removed in API 3.0.3) is expanded to the komvux form its code, credits or education level
//!   show, and rejected when none does. The subject is the title without its level (`Matematik`
//!   of `Matematik 1c`).
//! - **Provider.** From the event's first `providers` id: national by organisation number
//!   when it is valid, else local to the source (an invalid number is dropped, not a
//!   rejection). `responsibleBody.type` gives the kind (`annan` when missing or unknown). The
//!   provider's e-mail addresses may be named people's, so none is copied. When the komvux
//!   extension names a `contractor` (an entreprenör) other than the provider, the contractor is
//!   the offering's provider: the provider record of that name when Susa-navet has one, else a
//!   provider local to the source, `enskild`, contracted by the municipality.
//! - **Offering.** Condition `2` means continuous intake; application is continuous when the
//!   upstream says so, and when it says nothing about an event with continuous intake. A missing
//!   pace is full time. A time of study that is missing, `ingen` or unknown is `blandat`
//!   (mixed): the event names no fixed time of day, and that is what `blandat` tells a student.
//!   A `distance` object means distance study, hybrid when it has mandatory on-site sessions.
//!   The language is the first of `languageOfInstructions`, Swedish when none is given.
//!   Susa-navet says nothing about who may apply; offerings are open to the region (the county
//!   agreement on komvux).
//! - **Rejections** name the event's upstream id and the field as EMIL 3 names it; a field of
//!   the linked education or provider is named `education.<field>` or `providers.<field>`.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use vuxnav_schema::{
    Application, Coordinates, Course, CourseCode, CourseConfiguration, Credits, CreditsSystem, Eligibility, Language,
    Location, MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider, ProviderKind, PublicId, Schedule,
    SchoolForm, StudyMode, TimeOfStudy,
};

use super::wire::{
    self, Address, Contractor, DecodeError, EducationEvent, EducationInfo, EducationProvider, EventExtension,
    LangString, LangUrl, RawRecord,
};
use crate::identity::{self, CourseRecord};
use crate::readings::{mode_in, provider_kind_of, time_of_study_in};
use crate::text::plain_present;
use crate::{HarvestContext, Item, Rejection};

/// Infos or providers by their id: decoded, or why they could not be.
pub type Lookup<T> = HashMap<String, Result<T, DecodeError>>;

/// Decodes the infos or providers of a run, keyed by id. A deleted row stays in the lookup as
/// the reason an event that still points at it is rejected.
pub fn lookup<T: DeserializeOwned>(records: &[RawRecord]) -> Lookup<T> {
    let mut map = HashMap::with_capacity(records.len());
    for record in records {
        let Some(id) = record_id(record) else { continue };
        let decoded = match (&record.content, record.is_active()) {
            (Some(content), true) => wire::decode(content),
            (None, true) => Err(DecodeError { field: "content".into(), reason: "is null in an active row".into() }),
            (_, false) => Err(DecodeError {
                field: "status".into(),
                reason: format!("is {}", record.status.as_deref().unwrap_or("not active")),
            }),
        };
        // The first page's row wins, as for events.
        map.entry(id).or_insert(decoded);
    }
    map
}

/// Normalises a run's events with the infos and providers they point at, all at once: the
/// same as one [`Normalizer`] given every event page.
pub fn normalize(
    ctx: &HarvestContext,
    events: &[RawRecord],
    infos: &Lookup<EducationInfo>,
    providers: &Lookup<EducationProvider>,
) -> Vec<Item> {
    Normalizer::new(ctx, infos, providers).page(events)
}

/// Normalises a run's event pages one at a time, so a run holds one page of events (and all
/// infos and providers) in memory. Each kept event yields its provider and course the first
/// time the run sees them, and then its offering, or one rejection; events of other
/// municipalities yield nothing. An event id seen twice in a run (a record that moved between
/// pages while they were read) is taken the first time.
#[derive(Debug)]
pub struct Normalizer<'a> {
    ctx: &'a HarvestContext,
    infos: &'a Lookup<EducationInfo>,
    providers: &'a Lookup<EducationProvider>,
    /// Provider ids by lowercased name, to match a contractor to its provider record.
    by_name: HashMap<String, &'a str>,
    seen_events: HashSet<String>,
    seen_courses: HashSet<PublicId>,
    seen_providers: HashSet<PublicId>,
}

impl<'a> Normalizer<'a> {
    pub fn new(
        ctx: &'a HarvestContext,
        infos: &'a Lookup<EducationInfo>,
        providers: &'a Lookup<EducationProvider>,
    ) -> Self {
        Self {
            ctx,
            infos,
            providers,
            by_name: providers_by_name(providers),
            seen_events: HashSet::new(),
            seen_courses: HashSet::new(),
            seen_providers: HashSet::new(),
        }
    }

    /// The items of one page of event records.
    pub fn page(&mut self, events: &[RawRecord]) -> Vec<Item> {
        let mut items = Vec::with_capacity(events.len());
        for record in events {
            self.record(record, &mut items);
        }
        items
    }

    fn record(&mut self, record: &RawRecord, items: &mut Vec<Item>) {
        let Some(id) = record_id(record) else {
            items.push(Item::Rejected(Rejection::new("(no id)", "id", "the row has neither an id nor an identifier")));
            return;
        };
        if !self.seen_events.insert(id.clone()) {
            return;
        }
        let Some(content) = &record.content else {
            if record.is_active() {
                items.push(Item::Rejected(Rejection::new(id, "content", "is null in an active row")));
            } else {
                items.push(Item::Withdrawn { upstream_id: id });
            }
            return;
        };
        let Some(location_index) = location_in(content, self.ctx.municipality) else { return };
        if !record.is_active() {
            items.push(Item::Withdrawn { upstream_id: id });
            return;
        }
        let event: EducationEvent = match wire::decode(content) {
            Ok(event) => event,
            Err(error) => {
                items.push(Item::Rejected(Rejection::new(id, error.field, error.reason)));
                return;
            }
        };
        match self.event(&id, &event, location_index) {
            Ok((provider, course, offering)) => {
                if self.seen_providers.insert(provider.id) {
                    items.push(Item::Provider(provider));
                }
                if self.seen_courses.insert(course.id) {
                    items.push(Item::Course(course));
                }
                items.push(Item::Offering(offering));
            }
            Err(rejection) => items.push(Item::Rejected(rejection)),
        }
    }

    fn event(
        &self,
        id: &str,
        event: &EducationEvent,
        location_index: usize,
    ) -> Result<(Provider, Course, Offering), Rejection> {
        let ctx = self.ctx;
        let reject = |field: &str, reason: String| Rejection::new(id, field, reason);

        let info_id = non_empty(event.education.as_deref()).ok_or_else(|| reject("education", "is missing".into()))?;
        let info = match self.infos.get(info_id) {
            None => return Err(reject("education", format!("`{info_id}` is not among the educations read"))),
            Some(Err(error)) => return Err(reject("education", unreadable(info_id, error))),
            Some(Ok(info)) => info,
        };
        let provider_id = event
            .providers
            .iter()
            .find_map(|p| non_empty(Some(p)))
            .ok_or_else(|| reject("providers", "is empty".into()))?;
        let upstream_provider = match self.providers.get(provider_id) {
            None => return Err(reject("providers", format!("`{provider_id}` is not among the providers read"))),
            Some(Err(error)) => return Err(reject("providers", unreadable(provider_id, error))),
            Some(Ok(provider)) => provider,
        };

        let course = course(ctx, info_id, info, event)
            .map_err(|(field, reason)| reject(&format!("education.{field}"), format!("{reason} (in `{info_id}`)")))?;
        let from_record = |provider_id: &str, upstream: &EducationProvider| {
            provider(ctx, provider_id, upstream).map_err(|(field, reason)| {
                reject(&format!("providers.{field}"), format!("{reason} (in `{provider_id}`)"))
            })
        };
        let provider = match contractor(event, upstream_provider) {
            None => from_record(provider_id, upstream_provider)?,
            Some(name) => match self.known_provider(&name) {
                Some((contractor_id, upstream)) => from_record(contractor_id, upstream)?,
                None => contracted_provider(ctx, name),
            },
        };
        let offering = offering(ctx, id, event, location_index, info, &course, &provider)?;
        Ok((provider, course, offering))
    }

    /// The provider record of this name, when Susa-navet has one that could be read.
    fn known_provider(&self, name: &str) -> Option<(&'a str, &'a EducationProvider)> {
        let id = *self.by_name.get(&name.to_lowercase())?;
        match self.providers.get(id) {
            Some(Ok(provider)) => Some((id, provider)),
            _ => None,
        }
    }
}

/// The record's id, or its content's `identifier` when the wrapper has none.
fn record_id(record: &RawRecord) -> Option<String> {
    let id = record.id.trim();
    if !id.is_empty() {
        return Some(id.to_owned());
    }
    let identifier = record.content.as_ref()?.get("identifier")?.as_str()?.trim();
    (!identifier.is_empty()).then(|| identifier.to_owned())
}

/// The index of the first location in `municipality`, read from the raw content so that a
/// broken event of another municipality is not this source's rejection.
fn location_in(content: &serde_json::Value, municipality: MunicipalityCode) -> Option<usize> {
    let locations = content.get("locations")?.as_array()?;
    locations.iter().position(|location| {
        let code = match location.get("areaCode") {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(serde_json::Value::Number(number)) => number.to_string(),
            _ => return false,
        };
        MunicipalityCode::parse_lenient(&code).is_ok_and(|code| code == municipality)
    })
}

/// The providers read, by their lowercased name, so a contractor named in an event is matched
/// to its provider record (and its organisation number) when Susa-navet has one.
fn providers_by_name(providers: &Lookup<EducationProvider>) -> HashMap<String, &str> {
    let mut by_name = HashMap::new();
    let mut ids: Vec<&String> = providers.keys().collect();
    // The smallest id wins a shared name, whatever the map's order.
    ids.sort();
    for id in ids {
        if let Some(Ok(provider)) = providers.get(id)
            && let Some(name) = text(provider.name.as_ref())
        {
            by_name.entry(name.to_lowercase()).or_insert(id.as_str());
        }
    }
    by_name
}

/// Why a linked education or provider is of no use: gone upstream, or broken.
fn unreadable(id: &str, error: &DecodeError) -> String {
    if error.field == "status" {
        format!("`{id}` {} upstream", error.reason)
    } else {
        format!("`{id}` could not be read: {error}")
    }
}

type FieldError = (&'static str, String);

fn course(
    ctx: &HarvestContext,
    info_id: &str,
    info: &EducationInfo,
    event: &EducationEvent,
) -> Result<Course, FieldError> {
    let title =
        text(info.title.as_ref()).or_else(|| text(event.title.as_ref())).ok_or(("title", "is missing".to_owned()))?;
    let configuration = match info.configuration.as_ref().and_then(|c| c.value()) {
        None => CourseConfiguration::Course,
        Some(code) => CourseConfiguration::parse(code).map_err(|e| ("configuration", e.reason))?,
    };
    let code_text = plain_present(info.code.as_ref().map(|c| c.as_str()));
    let code = code_text.as_deref().and_then(|c| CourseCode::parse(c).ok());
    let credits = credits(info)?;
    let school_form = school_form(info, code.as_ref(), credits, &title)?;
    let subject = crate::text::subject(&title, school_form, configuration);
    let sun_field = info.subjects.iter().find(|s| s.is("C_Subject_SUN")).and_then(|s| s.value()).map(str::to_owned);
    Ok(identity::course(
        &ctx.source,
        CourseRecord {
            form: school_form,
            code: code_text,
            title,
            credits,
            configuration,
            upstream_id: Some(info_id.to_owned()),
            description: text(info.description.as_ref()),
            subject,
            sun_field,
            vocational: info.is_vocational.unwrap_or(configuration == CourseConfiguration::Package),
        },
    ))
}

fn credits(info: &EducationInfo) -> Result<Option<Credits>, FieldError> {
    let Some(wire) = &info.credits else { return Ok(None) };
    let Some(value) = wire.credits else { return Ok(None) };
    let system = wire.system.as_ref().and_then(|s| s.value()).ok_or(("credits.system", "is missing".to_owned()))?;
    let system = CreditsSystem::parse(system).map_err(|e| ("credits.system", e.reason))?;
    Credits::new(system, value).map(Some).map_err(|e| ("credits.credits", e.reason))
}

fn school_form(
    info: &EducationInfo,
    code: Option<&CourseCode>,
    credits: Option<Credits>,
    title: &str,
) -> Result<SchoolForm, FieldError> {
    let sent = info.school_type.as_ref().and_then(|t| t.value()).ok_or(("type", "is missing".to_owned()))?;
    if !sent.eq_ignore_ascii_case("VUX") {
        return SchoolForm::parse(sent).map_err(|e| ("type", e.reason));
    }
    // `VUX` was removed in API 3.0.3; older records still carry it.
    let code = code.map(|c| c.as_str().to_ascii_uppercase()).unwrap_or_default();
    let level = |wanted: &[&str]| {
        info.education_levels
            .iter()
            .filter(|l| l.is("C_EducationLevel"))
            .any(|l| l.value().is_some_and(|v| wanted.contains(&v)))
    };
    let inferred = if code.starts_with("SFI") || title.to_lowercase().contains("svenska för invandrare") {
        Some(SchoolForm::VuxSfi)
    } else if code.starts_with("GRN") || credits.is_some_and(|c| c.system == CreditsSystem::Vp) {
        Some(SchoolForm::VuxGr)
    } else if credits.is_some_and(|c| c.system == CreditsSystem::Gy) || level(&["ISCED_3"]) {
        Some(SchoolForm::VuxGy)
    } else if level(&["ISCED_1", "ISCED_2"]) {
        Some(SchoolForm::VuxGr)
    } else {
        None
    };
    inferred.ok_or((
        "type",
        "`VUX` (removed in API 3.0.3) does not say which komvux form, and neither the code, the credits nor the \
         education level shows it"
            .to_owned(),
    ))
}

fn provider(ctx: &HarvestContext, provider_id: &str, upstream: &EducationProvider) -> Result<Provider, FieldError> {
    let name = text(upstream.name.as_ref()).ok_or(("name", "is missing".to_owned()))?;
    let org_number = upstream.organisation_number.as_ref().and_then(|n| OrgNumber::parse(n.as_str()).ok());
    let id = match &org_number {
        Some(org) => PublicId::provider_by_org_number(org),
        None => PublicId::local_provider(&ctx.source, provider_id),
    };
    let kind = upstream
        .responsible_body
        .as_ref()
        .and_then(|body| body.kind.as_ref())
        .and_then(|kind| kind.value())
        .and_then(|code| ProviderKind::parse(code).ok())
        .or_else(|| provider_kind_of(org_number.as_ref(), &name));
    let municipality =
        upstream.contact_address.iter().chain(&upstream.visit_addresses).find_map(|address| {
            address.area_code.as_ref().and_then(|c| MunicipalityCode::parse_lenient(c.as_str()).ok())
        });
    let phone = upstream.phones.iter().find_map(|phone| text(phone.number.as_ref()));
    Ok(Provider {
        id,
        name,
        org_number,
        kind,
        school_unit_code: None,
        municipality,
        web: url(upstream.url.as_ref()),
        email: None,
        phone,
    })
}

/// The contractor the komvux extension names, when it is not the provider itself.
fn contractor(event: &EducationEvent, provider: &EducationProvider) -> Option<String> {
    let provider_name = text(provider.name.as_ref()).unwrap_or_default();
    event.extensions.iter().find_map(|extension| {
        let EventExtension::Komvux(kv) = extension else { return None };
        let name = match kv.contractor.as_ref()? {
            Contractor::Text(name) => crate::text::plain(name),
            Contractor::Lang(text_in) => text(Some(text_in))?,
        };
        (!name.is_empty() && name.to_lowercase() != provider_name.to_lowercase()).then_some(name)
    })
}

fn contracted_provider(ctx: &HarvestContext, name: String) -> Provider {
    Provider {
        id: PublicId::local_provider(&ctx.source, &format!("contractor:{}", name.to_lowercase())),
        // An entreprenör is contracted, so not the municipality itself: a private body unless
        // its name shows otherwise.
        kind: provider_kind_of(None, &name).or(Some(ProviderKind::Enskild)),
        name,
        org_number: None,
        school_unit_code: None,
        municipality: Some(ctx.municipality),
        web: None,
        email: None,
        phone: None,
    }
}

fn offering(
    ctx: &HarvestContext,
    id: &str,
    event: &EducationEvent,
    location_index: usize,
    info: &EducationInfo,
    course: &Course,
    provider: &Provider,
) -> Result<Offering, Rejection> {
    let reject = |field: &str, reason: String| Rejection::new(id, field, reason);

    let execution = event.execution.clone().unwrap_or_default();
    let continuous_intake = execution.condition.as_ref().and_then(|c| c.value()) == Some("2");
    let schedule = Schedule::new(execution.start.map(|d| d.0), execution.end.map(|d| d.0), continuous_intake)
        .map_err(|e| reject("execution.end", e.reason))?;

    let application = event.application.clone().unwrap_or_default();
    let application = Application::new(
        application.first.map(|d| d.0),
        application.last.map(|d| d.0),
        application.continuous.unwrap_or(continuous_intake),
        url(application.url.as_ref()),
    )
    .map_err(|e| reject("application.last", e.reason))?;

    let pace = match event.pace_of_study.as_ref().and_then(|p| p.percentage) {
        None => Pace::FULL_TIME,
        Some(percent) => Pace::from_percentage(percent).map_err(|e| reject("paceOfStudy.percentage", e.reason))?,
    };
    let title = text(event.title.as_ref());
    let time_of_study = event
        .time_of_study
        .as_ref()
        .and_then(|t| t.value())
        .and_then(TimeOfStudy::from_upstream)
        .or_else(|| title.as_deref().and_then(time_of_study_in));
    let mode = match &event.distance {
        // EMIL 3 says distance study with the object: an event without one is studied at its
        // location, unless its title says otherwise (`flex`).
        None => title.as_deref().and_then(mode_in).or(Some(StudyMode::OnSite)),
        Some(distance) if distance.no_of_mandatory_sessions.is_some_and(|n| n > 0) => Some(StudyMode::Hybrid),
        Some(_) => Some(StudyMode::Distance),
    };
    let language = match event.language_of_instructions.iter().find_map(|l| non_empty(Some(l))) {
        None => None,
        Some(code) => {
            let code = match code.to_ascii_lowercase().as_str() {
                "sv" | "sve" => "swe".to_owned(),
                "en" => "eng".to_owned(),
                other => other.to_owned(),
            };
            Some(Language::parse(&code).map_err(|e| reject("languageOfInstructions", e.reason))?)
        }
    };
    let seats = event
        .places
        .map(|places| u32::try_from(places).map_err(|_| reject("places", format!("{places} is not a number of seats"))))
        .transpose()?;
    let fee_sek = event.fees.iter().find_map(|fee| {
        let sek = fee.currency.as_deref().is_none_or(|c| c.trim().eq_ignore_ascii_case("SEK"));
        let amount = fee.total_amount.filter(|a| a.is_finite() && *a > 0.0 && *a < f64::from(u32::MAX))?;
        sek.then_some(amount.round() as u32)
    });

    let offering = Offering {
        id: PublicId::offering(&ctx.source, id),
        course: course.id,
        provider: provider.id,
        municipality: ctx.municipality,
        title,
        location: event.locations.get(location_index).map(location).unwrap_or_default(),
        schedule,
        application,
        pace,
        time_of_study,
        mode,
        language,
        seats,
        cancelled: event.is_cancelled.unwrap_or(false),
        apprenticeship: event.is_apprenticeship.unwrap_or(false),
        fee_sek,
        eligibility: Eligibility::Region,
        web: url(event.url.as_ref()).or_else(|| url(info.url.as_ref())),
        provenance: Provenance::harvested(ctx.source.clone(), id.to_owned(), ctx.started),
    }
    .sealed();
    Ok(offering)
}

fn location(address: &Address) -> Location {
    Location {
        name: text(address.study_location.as_ref()).or_else(|| text(address.organization.as_ref())),
        street_address: plain_present(address.street_address.as_deref()),
        postal_code: plain_present(address.postal_code.as_ref().map(|c| c.as_str())),
        town: plain_present(address.town.as_deref()),
        coordinates: address.wgs84.as_ref().and_then(coordinates),
    }
}

/// A WGS 84 position from `"59.2203,17.9405"` (comma, semicolon or space between) or from an
/// object with `latitude`/`longitude` (or `lat`/`lon`). Anything else is no position.
fn coordinates(value: &serde_json::Value) -> Option<Coordinates> {
    let (latitude, longitude) = match value {
        serde_json::Value::String(text) => {
            let mut parts = text.split([',', ';', ' ']).filter(|p| !p.is_empty()).map(|p| p.trim().parse::<f64>());
            (parts.next()?.ok()?, parts.next()?.ok()?)
        }
        serde_json::Value::Object(map) => {
            let get = |keys: [&str; 2]| keys.iter().find_map(|k| map.get(*k)?.as_f64());
            (get(["latitude", "lat"])?, get(["longitude", "lon"])?)
        }
        _ => return None,
    };
    Coordinates::new(latitude, longitude).ok()
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The preferred text of a LangString, HTML reduced to text.
fn text(value: Option<&LangString>) -> Option<String> {
    // HTML or not (`content: "HTML"` is not always set), the text is cleaned the same way.
    let (raw, _) = value?.preferred()?;
    let cleaned = crate::text::paragraphs(raw);
    (!cleaned.is_empty()).then_some(cleaned)
}

/// A URL as sent, with `https://` added when the upstream left the scheme out.
fn url(value: Option<&LangUrl>) -> Option<String> {
    let url = value?.preferred()?;
    if url.contains("://") || url.starts_with("mailto:") {
        Some(url.to_owned())
    } else {
        Some(format!("https://{}", url.trim_start_matches('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_without_a_scheme_get_https() {
        let with = |value: &str| LangUrl { urls: vec![wire::UrlNode { lang: None, value: Some(value.into()) }] };
        assert_eq!(url(Some(&with("www.huddinge.se/vux"))).as_deref(), Some("https://www.huddinge.se/vux"));
        assert_eq!(url(Some(&with("http://x.se"))).as_deref(), Some("http://x.se"));
    }

    #[test]
    fn coordinates_are_read_from_text_or_an_object() {
        let text = serde_json::json!("59.2203,17.9405");
        assert_eq!(coordinates(&text).map(|c| (c.latitude, c.longitude)), Some((59.2203, 17.9405)));
        let object = serde_json::json!({"lat": 59.0, "lon": 18.0});
        assert!(coordinates(&object).is_some());
        assert!(coordinates(&serde_json::json!("north")).is_none());
    }
}
