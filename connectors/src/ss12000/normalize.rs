//! The pure half of the `ss12000` kind: SS 12000 records in, canonical items out. No clock, no
//! I/O; the provenance time is the run's start ([`HarvestContext::started`]).
//!
//! The rules, besides the obvious field-for-field ones:
//!
//! - **Offerings are activities.** An Activity of type `Undervisning` (or without a type) whose
//!   syllabus is of a configured school type is one offering; activities of other types
//!   (mentorstid, prov, …) and of other school types (`GR`, `GY`, …) are skipped silently: an
//!   SS 12000 API serves all of a municipality's school forms.
//! - **School types** of every version of the standard are read ([`wire::school_type`]):
//!   `VUXGY`/`GYVUX`, `VUXGR`/`GRVUX`, `VUXSFI`/`SFI`, `VUXSARGR`/`SARVUXGR`/`VUXSARTR`,
//!   `VUXSARGY`/`SARVUXGY`. The level-less `VUX`, `KOMVUX` and `SARVUX` are read from the
//!   course: an `SFI` code or name is SFI, a `GRS` code anpassad grundläggande nivå, a `GRN`
//!   code or an `Lgr` curriculum grundläggande nivå, a gymnasial curriculum (`Gy11`, `GY2011`,
//!   `Gysär13`) or a gymnasial code (`MATMAT01c`) gymnasial nivå; otherwise a rejection. An unknown
//!   code is a rejection naming `syllabus.schoolType`.
//! - **Course** from the activity's Syllabus: national ([`PublicId::course_by_code`]) when its
//!   `courseCode` is a course code and the syllabus is not marked `official: false`, else local
//!   to the source. `points` are gymnasiepoäng at gymnasial nivå, verksamhetspoäng at
//!   grundläggande nivå, none for SFI. The subject is `subjectName`.
//! - **Provider.** From the activity's `organisation` (a school unit), up its
//!   `parentOrganisation`s, the first organisation whose `organisationNumber` is valid (Luhn):
//!   usually the huvudman, or the entreprenör's own company. Its kind follows the number
//!   (`212…` a municipality, `232…` a region, `202…` the state, else enskild). When no
//!   organisation up the chain has a valid number, the school unit itself is the provider,
//!   local to the source and `kommunal` (it is in the municipality's own system). An
//!   organisation number that fails its check digit is dropped, not a rejection. No e-mail address is copied (it may be a named person's).
//! - **Offering.** Dates are the activity's `startDate`/`endDate`, else those of the
//!   SchoolUnitOffering that offers the syllabus at the unit. The place is the school unit
//!   (its name and address). SS 12000 has no fields for pace, time of study, study mode,
//!   language, continuous intake, seats, fees or application: the activity's name tells what it
//!   can, as komvux names its groups (`distans`, `delvis distans`, `dagtid`, `kvällstid`,
//!   `helg`, `50 %`, `halvfart`, `på engelska`, `löpande antagning`); the rest is full time,
//!   mixed time of day, on site, Swedish, no application period. Offerings are open to the
//!   region (the county agreement on komvux).
//! - **Deletions.** An activity id listed by `/deletedEntities` is [`Item::Withdrawn`], unless
//!   the same run still listed the activity itself: what `/activities` lists exists.
//! - **Rejections** name the activity's id and the field as SS 12000 names it; a field of the
//!   linked syllabus or organisation is named `syllabus.<field>` or `organisation.<field>`.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use serde_json::Value;
use vuxnav_schema::{
    Application, Course, CourseConfiguration, Credits, CreditsSystem, Eligibility, Language, Location,
    MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider, PublicId, Schedule, SchoolForm, StudyMode,
    TimeOfStudy,
};

use super::wire::{self, Activity, DecodeError, Organisation, SchoolType, SchoolUnitOffering, Syllabus, record_id};
use crate::identity::{self, CourseRecord};
use crate::readings::{mode_in, provider_kind_of, time_of_study_in};
use crate::text::plain_present;
use crate::{HarvestContext, Item, Rejection};

/// Records by id: decoded, or why they could not be.
pub type Lookup<T> = HashMap<String, Result<T, DecodeError>>;

/// Decodes the organisations or syllabuses of a run, keyed by id; the first of an id wins.
pub fn lookup<T: DeserializeOwned>(records: &[Value]) -> Lookup<T> {
    let mut map = HashMap::with_capacity(records.len());
    for record in records {
        if let Some(id) = record_id(record) {
            map.entry(id).or_insert_with(|| wire::decode(record));
        }
    }
    map
}

/// What activities are read against: organisations, syllabuses and the school units' offerings.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub organisations: Lookup<Organisation>,
    pub syllabuses: Lookup<Syllabus>,
    /// The SchoolUnitOfferings that could be decoded (a broken one only loses its dates).
    pub offerings: Vec<SchoolUnitOffering>,
}

impl Catalogue {
    /// Decodes the pages of the three resources read whole.
    pub fn new(organisations: &[Value], syllabuses: &[Value], offerings: &[Value]) -> Self {
        Self {
            organisations: lookup(organisations),
            syllabuses: lookup(syllabuses),
            offerings: offerings.iter().filter_map(|record| wire::decode(record).ok()).collect(),
        }
    }

    /// The period in which `unit` offers `syllabus`, if a SchoolUnitOffering says.
    fn offered(&self, unit: &str, syllabus: &str) -> Option<&SchoolUnitOffering> {
        self.offerings.iter().find(|offering| {
            offering.offered_at.as_ref().is_some_and(|at| at.id == unit)
                && offering.syllabuses().any(|reference| reference.id == syllabus)
        })
    }
}

/// Normalises a run's activities all at once: the same as one [`Normalizer`] given every page.
pub fn normalize(
    ctx: &HarvestContext,
    school_forms: &[SchoolForm],
    catalogue: &Catalogue,
    activities: &[Value],
) -> Vec<Item> {
    Normalizer::new(ctx, school_forms, catalogue).page(activities)
}

/// Normalises a run's activity pages one at a time. Each kept activity yields its provider and
/// course the first time the run sees them, then its offering, or one rejection. An activity id
/// seen twice in a run is taken the first time.
#[derive(Debug)]
pub struct Normalizer<'a> {
    ctx: &'a HarvestContext,
    school_forms: &'a [SchoolForm],
    catalogue: &'a Catalogue,
    seen_activities: HashSet<String>,
    seen_providers: HashSet<PublicId>,
    seen_courses: HashSet<PublicId>,
}

type FieldError = (String, String);

fn field_error(field: &str, reason: impl Into<String>) -> FieldError {
    (field.to_owned(), reason.into())
}

impl<'a> Normalizer<'a> {
    pub fn new(ctx: &'a HarvestContext, school_forms: &'a [SchoolForm], catalogue: &'a Catalogue) -> Self {
        Self {
            ctx,
            school_forms,
            catalogue,
            seen_activities: HashSet::new(),
            seen_providers: HashSet::new(),
            seen_courses: HashSet::new(),
        }
    }

    /// The items of one page of activities.
    pub fn page(&mut self, activities: &[Value]) -> Vec<Item> {
        let mut items = Vec::new();
        for (index, record) in activities.iter().enumerate() {
            let Some(id) = record_id(record) else {
                let name = record.get("displayName").and_then(Value::as_str).map(crate::text::plain);
                let label = name.map_or_else(|| format!("activity {index} of its page"), |n| format!("activity `{n}`"));
                items.push(Item::Rejected(Rejection::new(label, "id", "is missing")));
                continue;
            };
            if !self.seen_activities.insert(id.clone()) {
                continue;
            }
            match self.activity(&id, record) {
                Ok(None) => {}
                Ok(Some((provider, course, offering))) => {
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
        items
    }

    /// The withdrawals of the activity ids `/deletedEntities` lists.
    pub fn deleted(&mut self, ids: &[String]) -> Vec<Item> {
        ids.iter()
            .filter(|id| self.seen_activities.insert((*id).clone()))
            .map(|id| Item::Withdrawn { upstream_id: id.clone() })
            .collect()
    }

    /// The activity's provider, course and offering; `None` when it is not an offering of this
    /// source's school types.
    fn activity(&self, id: &str, record: &Value) -> Result<Option<(Provider, Course, Offering)>, FieldError> {
        let activity: Activity = wire::decode(record).map_err(|e| (e.field, e.reason))?;
        if activity.activity_type.as_deref().is_some_and(|t| !t.trim().eq_ignore_ascii_case("undervisning")) {
            return Ok(None);
        }
        let syllabus_ref = activity.syllabus.as_ref().ok_or_else(|| field_error("syllabus", "is missing"))?;
        let syllabus = match (self.catalogue.syllabuses.get(&syllabus_ref.id), activity.embedded.as_ref()) {
            (None, Some(wire::Embedded { syllabus: Some(embedded) })) => embedded,
            _ => linked(&self.catalogue.syllabuses, "syllabus", &syllabus_ref.id)?,
        };
        let Some(form) = school_form(syllabus)? else { return Ok(None) };
        if !self.school_forms.contains(&form) {
            return Ok(None);
        }
        let course = course(self.ctx, &syllabus_ref.id, syllabus, form)?;

        let unit_ref = activity.organisation.as_ref().ok_or_else(|| field_error("organisation", "is missing"))?;
        let unit = linked(&self.catalogue.organisations, "organisation", &unit_ref.id)?;
        let provider = self.provider(&unit_ref.id, unit)?;

        let offered = self.catalogue.offered(&unit_ref.id, &syllabus_ref.id);
        let start = activity.start_date.or_else(|| offered.and_then(|o| o.start_date)).map(|d| d.0);
        let end = activity.end_date.or_else(|| offered.and_then(|o| o.end_date)).map(|d| d.0);
        let schedule = Schedule::new(start, end, false).map_err(|e| field_error("endDate", e.reason))?;
        let offering = offering(self.ctx, id, &activity, unit, schedule, &course, &provider)?;
        Ok(Some((provider, course, offering)))
    }

    /// The first organisation from `unit_id` up whose organisation number is valid, as the
    /// provider; the unit itself, local to the source, when none is.
    fn provider(&self, unit_id: &str, unit: &Organisation) -> Result<Provider, FieldError> {
        let mut at = (unit_id.to_owned(), unit);
        let mut visited = HashSet::new();
        loop {
            let (id, organisation) = &at;
            if let Some(org_number) = organisation.organisation_number.as_ref().and_then(|n| org_number(&n.0)) {
                let name = plain_present(organisation.display_name.as_deref())
                    .ok_or_else(|| field_error("organisation.displayName", format!("of `{id}` is missing")))?;
                let school_unit_code = if id == unit_id { school_unit_code(organisation) } else { None };
                return Ok(Provider {
                    id: PublicId::provider_by_org_number(&org_number),
                    kind: provider_kind_of(Some(&org_number), &name),
                    name,
                    org_number: Some(org_number),
                    school_unit_code,
                    municipality: municipality(organisation),
                    web: url(organisation.url.as_deref()),
                    email: None,
                    phone: organisation.phone_number.as_ref().and_then(|p| plain_present(Some(&p.0))),
                });
            }
            visited.insert(id.clone());
            let parent =
                organisation.parent_organisation.as_ref().filter(|parent| !visited.contains(&parent.id)).and_then(
                    |parent| match self.catalogue.organisations.get(&parent.id) {
                        Some(Ok(found)) => Some((parent.id.clone(), found)),
                        _ => None,
                    },
                );
            match parent {
                Some(next) => at = next,
                None => break,
            }
        }
        let name = plain_present(unit.display_name.as_deref())
            .ok_or_else(|| field_error("organisation.displayName", "is missing"))?;
        Ok(Provider {
            id: PublicId::local_provider(&self.ctx.source, unit_id),
            kind: provider_kind_of(None, &name),
            name,
            org_number: None,
            school_unit_code: school_unit_code(unit),
            municipality: municipality(unit),
            web: url(unit.url.as_deref()),
            email: None,
            phone: unit.phone_number.as_ref().and_then(|p| plain_present(Some(&p.0))),
        })
    }
}

/// The decoded record `id` of `lookup`, or the rejection of the activity that points at it.
fn linked<'l, T>(lookup: &'l Lookup<T>, field: &str, id: &str) -> Result<&'l T, FieldError> {
    match lookup.get(id) {
        Some(Ok(record)) => Ok(record),
        Some(Err(error)) => Err(field_error(&format!("{field}.{}", error.field), error.reason.clone())),
        None => Err(field_error(field, format!("`{id}` is not among the API's {field} records"))),
    }
}

/// The syllabus's form of adult education; `None` for a school type outside it.
fn school_form(syllabus: &Syllabus) -> Result<Option<SchoolForm>, FieldError> {
    const FIELD: &str = "syllabus.schoolType";
    let code = syllabus.school_type.as_deref().filter(|c| !c.trim().is_empty());
    let code = code.ok_or_else(|| field_error(FIELD, "is missing"))?;
    let generic = match wire::school_type(code).map_err(|reason| field_error(FIELD, reason))? {
        SchoolType::Form(form) => return Ok(Some(form)),
        SchoolType::Other(_) => return Ok(None),
        SchoolType::Generic(generic) => generic,
    };
    let adapted = generic == "SARVUX";
    let course_code = syllabus.course_code.as_deref().unwrap_or_default().trim().to_ascii_uppercase();
    let names = format!(
        "{} {}",
        syllabus.course_name.as_deref().unwrap_or_default(),
        syllabus.subject_name.as_deref().unwrap_or_default()
    )
    .to_lowercase();
    let curriculum = syllabus.curriculum.as_deref().unwrap_or_default().trim().to_lowercase();
    let inferred = if !adapted && (course_code.starts_with("SFI") || names.contains("svenska för invandrare")) {
        Some(SchoolForm::VuxSfi)
    } else if course_code.starts_with("GRS") {
        Some(SchoolForm::VuxGran)
    } else if course_code.starts_with("GRN") || curriculum.starts_with("lgr") {
        Some(if adapted { SchoolForm::VuxGran } else { SchoolForm::VuxGr })
    } else if curriculum.starts_with("gy") || is_gymnasial_code(&course_code) {
        Some(if adapted { SchoolForm::VuxGyan } else { SchoolForm::VuxGy })
    } else {
        None
    };
    inferred.map(Some).ok_or_else(|| {
        field_error(
            FIELD,
            format!(
                "`{generic}` does not say which level, and neither the course code, the name nor the curriculum shows it"
            ),
        )
    })
}

/// Whether a course code has the shape of a gymnasial one: six letters (subject and course)
/// and two digits, then perhaps a letter and a digit (`MATMAT01c`, `SVASVA01`, `HISHIS01a1`).
fn is_gymnasial_code(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    (8..=10).contains(&chars.len())
        && chars.iter().take(6).all(|c| c.is_alphabetic())
        && chars.iter().skip(6).take(2).all(char::is_ascii_digit)
        && chars.iter().skip(8).all(|c| c.is_alphanumeric())
}

fn course(
    ctx: &HarvestContext,
    syllabus_id: &str,
    syllabus: &Syllabus,
    form: SchoolForm,
) -> Result<Course, FieldError> {
    let title = plain_present(syllabus.course_name.as_deref())
        .or_else(|| plain_present(syllabus.subject_name.as_deref()))
        .ok_or_else(|| field_error("syllabus.courseName", "is missing, and so is `subjectName`"))?;
    let code = plain_present(syllabus.course_code.as_deref());
    // A syllabus marked `official: false` is the municipality's own, whatever its code.
    let code = code.filter(|_| syllabus.official != Some(false));
    let system = match form {
        SchoolForm::VuxGy | SchoolForm::VuxGyan => Some(CreditsSystem::Gy),
        SchoolForm::VuxGr | SchoolForm::VuxGran => Some(CreditsSystem::Vp),
        SchoolForm::Yh => Some(CreditsSystem::Yh),
        _ => None,
    };
    let credits = match (system, syllabus.points.filter(|p| p.0 > 0.0)) {
        (Some(system), Some(points)) => {
            Some(Credits::new(system, points.0).map_err(|e| field_error("syllabus.points", e.reason))?)
        }
        _ => None,
    };
    let subject = if form == SchoolForm::VuxSfi {
        Some("Svenska för invandrare".to_owned())
    } else {
        plain_present(syllabus.subject_name.as_deref())
    };
    Ok(identity::course(
        &ctx.source,
        CourseRecord {
            form,
            code,
            title,
            credits,
            configuration: CourseConfiguration::Course,
            upstream_id: Some(syllabus_id.to_owned()),
            description: None,
            subject,
            sun_field: None,
            vocational: false,
        },
    ))
}

/// A valid organisation number, written with or without a hyphen, and with or without the
/// century `16` that some registers put in front (`16212000-0209`).
fn org_number(text: &str) -> Option<OrgNumber> {
    let digits: String = text.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let digits = match digits.strip_prefix("16") {
        Some(rest) if digits.len() == 12 => rest,
        _ => digits.as_str(),
    };
    OrgNumber::parse(digits).ok()
}

fn municipality(organisation: &Organisation) -> Option<MunicipalityCode> {
    organisation.municipality_code.as_ref().and_then(|code| MunicipalityCode::parse_lenient(&code.0).ok())
}

fn school_unit_code(organisation: &Organisation) -> Option<String> {
    organisation.school_unit_code.as_ref().and_then(|code| plain_present(Some(&code.0)))
}

fn offering(
    ctx: &HarvestContext,
    id: &str,
    activity: &Activity,
    unit: &Organisation,
    schedule: Schedule,
    course: &Course,
    provider: &Provider,
) -> Result<Offering, FieldError> {
    let tags = NameTags::read(activity.display_name.as_deref().unwrap_or_default());
    let schedule = if tags.continuous_intake && schedule.start().is_none() && schedule.end().is_none() {
        Schedule::new(None, None, true).map_err(|e| field_error("startDate", e.reason))?
    } else {
        schedule
    };
    let address = unit.address.clone().unwrap_or_default();
    let location = Location {
        name: plain_present(unit.display_name.as_deref()),
        street_address: plain_present(address.street_address.as_deref()),
        postal_code: address.postal_code.as_ref().and_then(|c| plain_present(Some(&c.0))),
        town: plain_present(address.locality.as_deref()),
        coordinates: None,
    };
    let offering = Offering {
        id: PublicId::offering(&ctx.source, id),
        course: course.id,
        provider: provider.id,
        municipality: ctx.municipality,
        title: plain_present(activity.display_name.as_deref()),
        location,
        schedule,
        // SS 12000 says nothing about applying.
        application: Application::new(None, None, false, None).map_err(|e| field_error("application", e.reason))?,
        pace: tags.pace,
        time_of_study: tags.time_of_study,
        mode: tags.mode,
        language: tags.language,
        seats: None,
        cancelled: false,
        apprenticeship: false,
        fee_sek: None,
        eligibility: Eligibility::Region,
        web: url(unit.url.as_deref()),
        provenance: Provenance::harvested(ctx.source.clone(), id.to_owned(), ctx.started),
    }
    .sealed();
    Ok(offering)
}

/// What an activity's name tells about how it is taught, as komvux names its groups
/// (`Matematik 1c, distans, kvällstid, 50 %`): SS 12000 has no fields for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NameTags {
    /// As [`mode_in`] reads it; else unknown.
    mode: Option<StudyMode>,
    /// As [`time_of_study_in`] reads it; else unknown.
    time_of_study: Option<TimeOfStudy>,
    /// `NN %` (1 to 100), `halvfart` (50), `kvartsfart` (25); else full time.
    pace: Pace,
    /// `på engelska` is English, `på svenska` Swedish; else unknown.
    language: Option<Language>,
    /// `löpande` (löpande antagning) on an activity without dates.
    continuous_intake: bool,
}

impl NameTags {
    fn read(name: &str) -> Self {
        let name = crate::text::plain(name).to_lowercase();
        let words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let has = |wanted: &[&str]| words.iter().any(|w| wanted.contains(w));
        let mode = mode_in(&name);
        let time_of_study = time_of_study_in(&name);
        let percent = name.split('%').next().filter(|_| name.contains('%')).and_then(|head| {
            let digits: String = head
                .trim_end()
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            digits.parse::<i64>().ok()
        });
        let pace = match percent {
            Some(percent) => Pace::new(percent).unwrap_or(Pace::FULL_TIME),
            None if has(&["halvfart"]) => Pace::new(50).unwrap_or(Pace::FULL_TIME),
            None if has(&["kvartsfart"]) => Pace::new(25).unwrap_or(Pace::FULL_TIME),
            None => Pace::FULL_TIME,
        };
        let language = if name.contains("på engelska") {
            Language::parse("eng").ok()
        } else if name.contains("på svenska") {
            Some(Language::SWEDISH)
        } else {
            None
        };
        Self { mode, time_of_study, pace, language, continuous_intake: has(&["löpande"]) }
    }
}

/// A URL as sent, with `https://` added when the upstream left the scheme out.
fn url(value: Option<&str>) -> Option<String> {
    let url = plain_present(value)?;
    if url.contains("://") { Some(url) } else { Some(format!("https://{}", url.trim_start_matches('/'))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syllabus(school_type: &str, code: &str, curriculum: &str) -> Syllabus {
        Syllabus {
            school_type: Some(school_type.to_owned()),
            course_code: Some(code.to_owned()),
            curriculum: Some(curriculum.to_owned()),
            ..Syllabus::default()
        }
    }

    #[test]
    fn a_level_less_school_type_is_read_from_the_course() {
        assert_eq!(school_form(&syllabus("KOMVUX", "SFIKURSC", "")), Ok(Some(SchoolForm::VuxSfi)));
        assert_eq!(school_form(&syllabus("VUX", "GRNMATa", "")), Ok(Some(SchoolForm::VuxGr)));
        assert_eq!(school_form(&syllabus("VUX", "MATMAT01c", "Gy11")), Ok(Some(SchoolForm::VuxGy)));
        assert_eq!(school_form(&syllabus("SARVUX", "X", "Gysär13")), Ok(Some(SchoolForm::VuxGyan)));
        assert_eq!(school_form(&syllabus("VUX", "HISHIS01a1", "")), Ok(Some(SchoolForm::VuxGy)));
        assert_eq!(school_form(&syllabus("SARVUX", "GRSSVE1", "")), Ok(Some(SchoolForm::VuxGran)));
        assert!(school_form(&syllabus("KOMVUX", "LOKAL1", "")).is_err());
    }

    #[test]
    fn school_types_outside_adult_education_are_skipped_and_unknown_ones_rejected() {
        assert_eq!(school_form(&syllabus("GY", "MATMAT01c", "Gy11")), Ok(None));
        let (field, reason) = school_form(&syllabus("VUXX", "MATMAT01c", "")).unwrap_err();
        assert_eq!(field, "syllabus.schoolType");
        assert!(reason.contains("VUXX"), "{reason}");
    }

    #[test]
    fn an_activity_name_tells_mode_time_pace_language_and_intake() {
        let tags = NameTags::read("Matematik 1c, delvis distans, kvällstid, 75 %, på engelska");
        assert_eq!(tags.mode, Some(StudyMode::Hybrid));
        assert_eq!(tags.time_of_study, Some(TimeOfStudy::Evening));
        assert_eq!(tags.pace.percent(), 75);
        assert_eq!(tags.language.map(|l| l.to_string()).as_deref(), Some("eng"));
        let tags = NameTags::read("<![CDATA[SFI D distans helg halvfart löpande antagning]]>");
        assert_eq!(
            (tags.mode, tags.time_of_study, tags.pace.percent()),
            (Some(StudyMode::Distance), Some(TimeOfStudy::Weekend), 50)
        );
        assert!(tags.continuous_intake);
        let tags = NameTags::read("Matematik 1c HT26");
        assert_eq!(
            (tags.mode, tags.time_of_study, tags.pace, tags.language),
            (None, None, Pace::FULL_TIME, None),
            "a name that says nothing leaves them unknown"
        );
    }

    #[test]
    fn an_organisation_number_is_read_with_or_without_hyphen_and_century() {
        for written in ["212000-0209", "2120000209", "16212000-0209", "162120000209", " 212000 0209 "] {
            assert_eq!(org_number(written).map(|n| n.as_str().to_owned()).as_deref(), Some("2120000209"), "{written}");
        }
        assert_eq!(org_number("212000-0208"), None);
        assert_eq!(org_number("16"), None);
    }
}
