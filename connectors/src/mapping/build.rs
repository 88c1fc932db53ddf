//! One record's values to its provider, course and offering, or to a rejection.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use vuxnav_schema::{
    Application, ConfiguredField, Course, CourseConfiguration, Credits, CreditsSystem, Language, Location,
    MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider, ProviderKind, PublicId, Schedule, SchoolForm,
};

use super::values::{parse_date, parse_decimal};
use super::{Field, Prepared, Values, parse_mode, parse_time_of_study};
use crate::identity::{self, CourseRecord};
use crate::readings::{mode_in, provider_kind_of, time_of_study_in};
use crate::text::{paragraphs, plain};
use crate::{HarvestContext, Item, Rejection};

/// Turns the records of one run into items: each provider and course once, before the first
/// offering that uses it, and each offering once.
pub(crate) struct Mapper<'a> {
    prepared: Prepared,
    ctx: &'a HarvestContext,
    /// Canonical field → the upstream's name for it, to name the field in rejections.
    names: BTreeMap<Field, String>,
    values: ValueMaps,
    providers: HashSet<PublicId>,
    courses: HashSet<PublicId>,
    /// Upstream id → (where it was first seen, content hash) of the offering yielded for it.
    offerings: HashMap<String, (String, String)>,
}

impl<'a> Mapper<'a> {
    /// A mapper for one run. `names` gives the upstream's name of every mapped field (a
    /// header, a pointer); `values` the value maps as configured.
    pub fn new(
        prepared: Prepared,
        ctx: &'a HarvestContext,
        names: BTreeMap<Field, String>,
        values: &BTreeMap<Field, BTreeMap<String, String>>,
    ) -> Self {
        Self {
            prepared,
            ctx,
            names,
            values: ValueMaps::new(values),
            providers: HashSet::new(),
            courses: HashSet::new(),
            offerings: HashMap::new(),
        }
    }

    /// The upstream's name of a field, or the field's own name when it has none.
    pub fn name(&self, field: Field) -> String {
        self.names.get(&field).cloned().unwrap_or_else(|| field.name().to_owned())
    }

    /// The record's upstream id after its value map, or `fallback` (`row 3`, `record 7`).
    pub fn id_or(&self, values: &Values, fallback: &str) -> String {
        self.record(values, fallback.to_owned()).text(Field::UpstreamId).unwrap_or_else(|| fallback.to_owned())
    }

    /// The items of one record at `position` (`row 3`, `record 7`, which also stands for its
    /// id when it has none), pushed onto `items`. A record repeated with the same upstream id
    /// and the same content is yielded once; with other content it is rejected.
    pub fn push(&mut self, position: &str, values: &Values, items: &mut Vec<Item>) {
        let record = self.record(values, self.id_or(values, position));
        match self.build(&record) {
            Err(rejection) => items.push(Item::Rejected(rejection)),
            Ok((provider, course, offering)) => {
                let upstream_id = offering.provenance.upstream_id.clone();
                if let Some((first, hash)) = self.offerings.get(&upstream_id) {
                    if *hash != offering.provenance.content_hash {
                        let reason =
                            format!("repeats the upstream id of {first} with different content; {first} is kept");
                        items.push(Item::Rejected(record.reject(Field::UpstreamId, reason)));
                    }
                    return;
                }
                self.offerings.insert(upstream_id, (position.to_owned(), offering.provenance.content_hash.clone()));
                if self.providers.insert(provider.id) {
                    items.push(Item::Provider(provider));
                }
                if self.courses.insert(course.id) {
                    items.push(Item::Course(course));
                }
                items.push(Item::Offering(offering));
            }
        }
    }

    fn record<'r>(&'r self, values: &'r Values, id: String) -> Record<'r> {
        Record { values, mapper: self, id }
    }

    fn build(&self, record: &Record<'_>) -> Result<(Provider, Course, Offering), Rejection> {
        let (prepared, ctx) = (&self.prepared, self.ctx);
        let source = &ctx.source;
        let upstream_id = record.required(Field::UpstreamId)?;
        let title = record.required(Field::Title)?;
        let mut configured = BTreeSet::new();
        let mut stated = |field: ConfiguredField, read: bool| {
            if !read {
                configured.insert(field);
            }
        };

        let (school_form, read) = record.code(
            Field::SchoolForm,
            prepared.default_school_form,
            |v| SchoolForm::parse(v).ok(),
            &school_forms(),
        )?;
        let school_form = school_form.ok_or_else(|| record.reject(Field::SchoolForm, "is empty"))?;
        stated(ConfiguredField::SchoolForm, read);

        // The provider: one across sources when its organisation number is valid.
        let (provider_name, read) = match record.text(Field::ProviderName) {
            Some(name) => (name, true),
            None => (
                prepared
                    .default_provider_name
                    .as_deref()
                    .map(plain)
                    .ok_or_else(|| record.reject(Field::ProviderName, "is empty"))?,
                false,
            ),
        };
        stated(ConfiguredField::ProviderName, read);
        let org_number = record.text(Field::ProviderOrgNumber).and_then(|v| OrgNumber::parse(&v).ok());
        // What the record says, else what its organisation number or name shows, else the
        // configured default, else unknown.
        let stated_kind = record.text(Field::ProviderKind).and_then(|kind| ProviderKind::parse(&kind).ok());
        let provider_kind = match stated_kind.or_else(|| provider_kind_of(org_number.as_ref(), &provider_name)) {
            Some(kind) => Some(kind),
            None => {
                stated(ConfiguredField::ProviderKind, prepared.default_provider_kind.is_none());
                prepared.default_provider_kind
            }
        };
        let provider_id = match &org_number {
            Some(number) => PublicId::provider_by_org_number(number),
            None => PublicId::local_provider(source, &record.text(Field::ProviderId).unwrap_or(provider_name.clone())),
        };
        let provider = Provider {
            id: provider_id,
            name: provider_name,
            org_number,
            kind: provider_kind,
            school_unit_code: None,
            municipality: (provider_kind == Some(ProviderKind::Kommunal)).then_some(ctx.municipality),
            web: record.text(Field::ProviderUrl),
            email: None,
            phone: None,
        };
        provider.validate().map_err(|e| record.reject(Field::ProviderName, e.reason))?;

        let credits_system = prepared.credits_system.or_else(|| credits_system_of(school_form));
        let credits = match (record.decimal(Field::Credits)?, credits_system) {
            (Some(value), Some(system)) => {
                Some(Credits::new(system, value).map_err(|e| record.reject(Field::Credits, e.reason))?)
            }
            _ => None,
        };
        let course = identity::course(
            source,
            CourseRecord {
                form: school_form,
                code: record.text(Field::CourseCode),
                title: title.clone(),
                credits,
                configuration: prepared.configuration,
                upstream_id: record.text(Field::CourseId),
                description: record.text(Field::Description),
                subject: record.text(Field::Subject),
                sun_field: None,
                vocational: prepared.configuration == CourseConfiguration::Package,
            },
        );
        course.validate().map_err(|e| record.reject(Field::Title, e.reason))?;

        // The offering.
        let start = record.date(Field::Start)?;
        let end = record.date(Field::End)?;
        let schedule = Schedule::new(start, end, false).map_err(|e| record.reject(Field::End, e.reason))?;
        let opens = record.date(Field::ApplicationOpens)?;
        let closes = record.date(Field::ApplicationCloses)?;
        let application = Application::new(opens, closes, false, None)
            .map_err(|e| record.reject(Field::ApplicationCloses, e.reason))?;
        let pace = match record.decimal(Field::Pace)? {
            Some(percent) => Pace::from_percentage(percent).map_err(|e| record.reject(Field::Pace, e.reason))?,
            None => {
                stated(ConfiguredField::Pace, false);
                prepared.default_pace.ok_or_else(|| record.reject(Field::Pace, "is empty"))?
            }
        };
        let seats = match record.decimal(Field::Seats)? {
            Some(seats) if seats.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&seats) => Some(seats as u32),
            Some(seats) => return Err(record.reject(Field::Seats, format!("{seats} is not a number of seats"))),
            None => None,
        };
        let municipality = match record.text(Field::MunicipalityCode) {
            Some(code) => {
                MunicipalityCode::parse_lenient(&code).map_err(|e| record.reject(Field::MunicipalityCode, e.reason))?
            }
            None => ctx.municipality,
        };
        let (language, read) =
            record.code(Field::Language, None, |v| Language::parse(v).ok(), "an ISO 639-2 code such as `swe`")?;
        let language =
            read_or_default(language, read, prepared.default_language, ConfiguredField::Language, &mut stated);
        let (mode, read) = record.code(Field::Mode, None, parse_mode, "one of plats, distans, hybrid")?;
        let mode = read_or_default(
            mode.or_else(|| mode_in(&title)),
            read || mode_in(&title).is_some(),
            prepared.default_mode,
            ConfiguredField::Mode,
            &mut stated,
        );
        let (time_of_study, read) =
            record.code(Field::TimeOfStudy, None, parse_time_of_study, "one of dag, kväll, helg, blandat")?;
        let from_title = time_of_study_in(&title);
        let time_of_study = read_or_default(
            time_of_study.or(from_title),
            read || from_title.is_some(),
            prepared.default_time_of_study,
            ConfiguredField::TimeOfStudy,
            &mut stated,
        );

        let offering = Offering {
            id: PublicId::offering(source, &upstream_id),
            course: course.id,
            provider: provider.id,
            municipality,
            title: Some(title),
            location: Location {
                name: record.text(Field::LocationName),
                street_address: record.text(Field::StreetAddress),
                postal_code: record.text(Field::PostalCode),
                town: record.text(Field::Town),
                coordinates: None,
            },
            schedule,
            application,
            pace,
            time_of_study,
            mode,
            language,
            seats,
            cancelled: false,
            apprenticeship: false,
            fee_sek: None,
            eligibility: prepared.eligibility,
            web: record.text(Field::Url),
            provenance: Provenance { configured, ..Provenance::harvested(source.clone(), upstream_id, ctx.started) },
        }
        .sealed();
        Ok((provider, course, offering))
    }
}

/// A value read from the record (or a reading of it), else the configured default (noted as
/// configured), else unknown.
fn read_or_default<T>(
    read_value: Option<T>,
    read: bool,
    default: Option<T>,
    field: ConfiguredField,
    stated: &mut impl FnMut(ConfiguredField, bool),
) -> Option<T> {
    match (read, read_value) {
        (true, Some(value)) => Some(value),
        _ => {
            if default.is_some() {
                stated(field, false);
            }
            default
        }
    }
}

/// The value maps, keyed by the lowercased upstream value.
struct ValueMaps(HashMap<Field, HashMap<String, String>>);

impl ValueMaps {
    fn new(values: &BTreeMap<Field, BTreeMap<String, String>>) -> Self {
        Self(
            values
                .iter()
                .map(|(field, map)| {
                    (*field, map.iter().map(|(from, to)| (plain(from).to_lowercase(), to.trim().to_owned())).collect())
                })
                .collect(),
        )
    }

    fn get(&self, field: Field, value: &str) -> Option<&str> {
        self.0.get(&field)?.get(&value.to_lowercase()).map(String::as_str)
    }
}

/// One record's values, read through the value maps.
struct Record<'r> {
    values: &'r Values,
    mapper: &'r Mapper<'r>,
    /// The upstream id, or the record's position until it is known.
    id: String,
}

impl Record<'_> {
    /// A field's value as plain text after the value map; `None` when the field is not
    /// mapped, the value is empty or it is mapped to `""`.
    fn text(&self, field: Field) -> Option<String> {
        let value = self.values.get(&field)?;
        let key = plain(value);
        let text = match self.mapper.values.get(field, &key) {
            Some(mapped) => plain(mapped),
            None if field == Field::Description => paragraphs(value),
            None => key,
        };
        (!text.is_empty()).then_some(text)
    }

    /// The value as plain text before the value map.
    fn raw(&self, field: Field) -> Option<String> {
        let text = plain(self.values.get(&field)?);
        (!text.is_empty()).then_some(text)
    }

    fn reject(&self, field: Field, reason: impl Into<String>) -> Rejection {
        Rejection::new(self.id.clone(), self.mapper.name(field), reason)
    }

    fn required(&self, field: Field) -> Result<String, Rejection> {
        self.text(field).ok_or_else(|| self.reject(field, "is empty"))
    }

    fn date(&self, field: Field) -> Result<Option<chrono::NaiveDate>, Rejection> {
        let Some(text) = self.text(field) else { return Ok(None) };
        let formats = &self.mapper.prepared.date_formats;
        parse_date(&text, formats).map(Some).ok_or_else(|| {
            let formats: Vec<String> = formats.iter().map(|f| format!("`{f}`")).collect();
            self.reject(field, format!("`{text}` is not a date in the format {}", formats.join(" or ")))
        })
    }

    fn decimal(&self, field: Field) -> Result<Option<f64>, Rejection> {
        let Some(text) = self.text(field) else { return Ok(None) };
        let decimal_comma = self.mapper.prepared.decimal_comma;
        parse_decimal(&text, decimal_comma).map(Some).ok_or_else(|| {
            let hint = if !decimal_comma && text.contains(',') { " (set decimal_comma = true)" } else { "" };
            self.reject(field, format!("`{text}` is not a number{hint}"))
        })
    }

    /// A code read through its parser, or the default when the value is empty, and whether
    /// it was read (rather than the default).
    fn code<T>(
        &self,
        field: Field,
        default: Option<T>,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Result<(Option<T>, bool), Rejection> {
        match self.text(field) {
            None => Ok((default, false)),
            Some(text) => parse(&text).map(|value| (Some(value), true)).ok_or_else(|| {
                let raw = self.raw(field).unwrap_or(text);
                self.reject(field, format!("`{raw}` is not {expected}: map it under [source.connector.values.{field}]"))
            }),
        }
    }
}

/// The credits system a school form's courses are counted in, when the config names none.
fn credits_system_of(form: SchoolForm) -> Option<CreditsSystem> {
    match form {
        SchoolForm::VuxGy | SchoolForm::VuxGyan => Some(CreditsSystem::Gy),
        SchoolForm::VuxGr | SchoolForm::VuxGran => Some(CreditsSystem::Vp),
        SchoolForm::Yh => Some(CreditsSystem::Yh),
        SchoolForm::Fhs => Some(CreditsSystem::Fup),
        SchoolForm::VuxSfi | SchoolForm::Aub | SchoolForm::Stf => None,
    }
}

fn school_forms() -> String {
    let codes: Vec<&str> = SchoolForm::ALL.iter().map(|f| f.code()).collect();
    format!("one of {}", codes.join(", "))
}
