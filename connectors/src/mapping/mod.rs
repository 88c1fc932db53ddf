//! What the `csv` and `json_api` kinds share: mapping a flat record's named fields to the
//! canonical model.
//!
//! Both kinds are declared the same way: which upstream field holds which canonical [`Field`]
//! (a CSV column, a JSON pointer), value maps from upstream spellings to the model's codes, date
//! formats, decimal comma, and defaults for what the upstream lacks. A kind reads its upstream
//! into records of text values by field ([`Values`]) and hands each to a [`Mapper`], which turns
//! it into its provider, course and offering, or into a rejection naming the upstream field.
//!
//! - [`Rules`]: the mapping part of a kind's config, checked once ([`Rules::prepare`]).
//! - [`Mapper`](build::Mapper): record values in, items out, each provider and course once.
//! - [`values`]: reading dates and decimals.

pub(crate) mod build;
pub mod defaults;
pub(crate) mod values;

use std::collections::BTreeMap;
use std::fmt;

use chrono::format::{Item, StrftimeItems};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use vuxnav_schema::{
    CourseConfiguration, CreditsSystem, Eligibility, Language, Pace, ProviderKind, SchoolForm, StudyMode, TimeOfStudy,
};

pub(crate) use build::Mapper;
pub use defaults::Defaults;

/// One record's values, as text by canonical field, before value maps.
pub(crate) type Values = BTreeMap<Field, String>;

/// A canonical field an upstream field can be mapped to: the keys of the `csv` kind's `columns`,
/// the `json_api` kind's `fields`, and both kinds' `values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Required: the upstream's id of the course occasion (kurstillfälle), unique per row or record.
    #[schemars(title = "Id för kurstillfället")]
    UpstreamId,
    /// The course code: a national one (`MATMAT01c`) gives the national course with its
    /// title and credits from the shipped lists; any other is the source's own.
    #[schemars(title = "Kurskod")]
    CourseCode,
    /// An upstream id of the course: a local course (one whose code no national list holds)
    /// is then known by it rather than by its form, code, title and credits.
    #[schemars(title = "Kursens id")]
    CourseId,
    /// Required: the course title.
    #[schemars(title = "Titel")]
    Title,
    /// A description of the course; HTML is reduced to text.
    #[schemars(title = "Beskrivning")]
    Description,
    /// The subject's name, such as `Matematik`.
    #[schemars(title = "Ämne")]
    Subject,
    /// The school form: a code such as `VUXGY`, or an upstream spelling mapped in `values`.
    /// Required unless `defaults.school_form` is set.
    #[schemars(title = "Skolform")]
    SchoolForm,
    /// The course's credits, such as `100.0`.
    #[schemars(title = "Poäng")]
    Credits,
    /// The provider's name. Required unless `defaults.provider_name` is set.
    #[schemars(title = "Anordnarens namn")]
    ProviderName,
    /// The provider's organisation number (`212000-0142`); with a valid one the provider is
    /// the same across sources.
    #[schemars(title = "Anordnarens organisationsnummer")]
    ProviderOrgNumber,
    /// An upstream id of the provider, used when there is no valid organisation number.
    #[schemars(title = "Anordnarens id")]
    ProviderId,
    /// The provider's web address.
    #[schemars(title = "Anordnarens webbadress")]
    ProviderUrl,
    /// The kind of provider (`kommunal`, `enskild`, `region`, `statlig`, `annan`). A value
    /// that is none of these after the value map is not read: the kind then comes from the
    /// organisation number or the name (`readings::provider_kind_of`), else
    /// `defaults.provider_kind`, else it is unknown. So this may name the provider name's
    /// column or pointer with a value map for the few providers the name does not show.
    #[schemars(title = "Typ av anordnare")]
    ProviderKind,
    /// The first day of the occasion.
    #[schemars(title = "Startdatum")]
    Start,
    /// The last day of the occasion.
    #[schemars(title = "Slutdatum")]
    End,
    /// The first day to apply.
    #[schemars(title = "Ansökan öppnar")]
    ApplicationOpens,
    /// The last day to apply.
    #[schemars(title = "Sista ansökningsdag")]
    ApplicationCloses,
    /// The study pace in percent of full time (`25.0` is 25 %). Required unless
    /// `defaults.pace` is set.
    #[schemars(title = "Studietakt")]
    Pace,
    /// The number of seats.
    #[schemars(title = "Platser")]
    Seats,
    /// The language of instruction (ISO 639-2, such as `swe`).
    #[schemars(title = "Undervisningsspråk")]
    Language,
    /// The town of study.
    #[schemars(title = "Ort")]
    Town,
    /// The name of the place of study.
    #[schemars(title = "Studieort")]
    LocationName,
    /// The street address of the place of study.
    #[schemars(title = "Gatuadress")]
    StreetAddress,
    /// The postal code of the place of study.
    #[schemars(title = "Postnummer")]
    PostalCode,
    /// Where teaching happens: `plats`, `distans` or `hybrid` (also named `distance`).
    #[serde(alias = "distance")]
    #[schemars(title = "Studieform")]
    Mode,
    /// When teaching happens: `dag`, `kväll`, `helg`, `blandat`.
    #[schemars(title = "Studietid")]
    TimeOfStudy,
    /// The occasion's web page.
    #[schemars(title = "Webbadress")]
    Url,
    /// The kommunkod of the place of study (`0180`, or `180` without its leading zero); the
    /// source's municipality when absent.
    #[schemars(title = "Kommunkod för studieorten")]
    MunicipalityCode,
}

impl Field {
    /// The name used in the configuration (`upstream_id`).
    pub fn name(self) -> &'static str {
        match self {
            Self::UpstreamId => "upstream_id",
            Self::CourseCode => "course_code",
            Self::CourseId => "course_id",
            Self::Title => "title",
            Self::Description => "description",
            Self::Subject => "subject",
            Self::SchoolForm => "school_form",
            Self::Credits => "credits",
            Self::ProviderName => "provider_name",
            Self::ProviderOrgNumber => "provider_org_number",
            Self::ProviderId => "provider_id",
            Self::ProviderUrl => "provider_url",
            Self::ProviderKind => "provider_kind",
            Self::Start => "start",
            Self::End => "end",
            Self::ApplicationOpens => "application_opens",
            Self::ApplicationCloses => "application_closes",
            Self::Pace => "pace",
            Self::Seats => "seats",
            Self::Language => "language",
            Self::Town => "town",
            Self::LocationName => "location_name",
            Self::StreetAddress => "street_address",
            Self::PostalCode => "postal_code",
            Self::Mode => "mode",
            Self::TimeOfStudy => "time_of_study",
            Self::Url => "url",
            Self::MunicipalityCode => "municipality_code",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses a study mode, accepting the code and common spellings.
pub(crate) fn parse_mode(value: &str) -> Option<StudyMode> {
    match value.trim().to_lowercase().as_str() {
        "plats" | "på plats" | "närundervisning" | "campus" | "onsite" | "on site" => Some(StudyMode::OnSite),
        "distans" | "distance" | "online" | "webb" => Some(StudyMode::Distance),
        "hybrid" | "delvis distans" | "flex" | "blandat" => Some(StudyMode::Hybrid),
        _ => None,
    }
}

/// Parses a time of study, accepting the code and common spellings.
pub(crate) fn parse_time_of_study(value: &str) -> Option<TimeOfStudy> {
    TimeOfStudy::from_upstream(value).or_else(|| TimeOfStudy::parse(value).ok())
}

/// The JSON Schema of a table keyed by canonical field (`columns`, `fields`, `values`): its keys
/// are [`Field`]'s names (`propertyNames`), so the admin form offers one input per field.
pub(crate) fn field_map<V: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    let keys = generator.subschema_for::<Field>();
    let values = generator.subschema_for::<V>();
    json_schema!({ "type": "object", "propertyNames": keys, "additionalProperties": values })
}

/// The mapping part of a kind's config, borrowed from it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules<'a> {
    /// The key of the field map in the config (`columns`, `fields`), for problems' paths.
    pub section: &'static str,
    /// What the field map maps to (`column`, `JSON pointer`), for problems' wording.
    pub noun: &'static str,
    /// Canonical field → the upstream's name for it (a header, a pointer).
    pub fields: &'a BTreeMap<Field, String>,
    pub values: &'a BTreeMap<Field, BTreeMap<String, String>>,
    pub date_formats: &'a [String],
    pub decimal_comma: bool,
    pub defaults: &'a Defaults,
}

/// [`Rules`] checked and turned into the values normalisation works with. Each `default_…` is
/// what `[source.connector.defaults]` states, `None` where it states nothing.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub date_formats: Vec<String>,
    pub decimal_comma: bool,
    pub default_school_form: Option<SchoolForm>,
    pub default_provider_name: Option<String>,
    pub default_provider_kind: Option<ProviderKind>,
    pub default_pace: Option<Pace>,
    pub default_mode: Option<StudyMode>,
    pub default_time_of_study: Option<TimeOfStudy>,
    pub default_language: Option<Language>,
    pub eligibility: Eligibility,
    pub configuration: CourseConfiguration,
    pub credits_system: Option<CreditsSystem>,
}

impl Rules<'_> {
    /// Every problem of the mapping at once, as (field, problem), or the prepared values.
    /// Whether a mapped name itself is well formed (a header is not empty, a pointer starts
    /// with `/`) is the kind's to check.
    pub fn prepare(&self) -> Result<Prepared, Vec<(String, String)>> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut problem = |field: &str, text: String| problems.push((field.to_owned(), text));
        let (section, noun, defaults) = (self.section, self.noun, self.defaults);

        if self.date_formats.is_empty() {
            problem("date_formats", "needs at least one format such as `%Y-%m-%d`".into());
        }
        for (i, format) in self.date_formats.iter().enumerate() {
            if format.trim().is_empty() || StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
                problem(&format!("date_formats[{i}]"), format!("`{format}` is not a chrono date format"));
            }
        }

        for (field, default) in [
            (Field::UpstreamId, None),
            (Field::Title, None),
            (Field::SchoolForm, Some(("school_form", defaults.school_form.is_some()))),
            (Field::ProviderName, Some(("provider_name", defaults.provider_name.is_some()))),
            (Field::Pace, Some(("pace", defaults.pace.is_some()))),
        ] {
            if self.fields.contains_key(&field) || default.is_some_and(|(_, set)| set) {
                continue;
            }
            let text = match default {
                Some((key, _)) => {
                    format!("is required: map a {noun} to `{field}` or set `{key}` under [source.connector.defaults]")
                }
                None => format!("is required: map the {noun} that holds the {}", field.name().replace('_', " ")),
            };
            problem(&format!("{section}.{field}"), text);
        }

        for (field, map) in self.values {
            if !self.fields.contains_key(field) {
                problem(&format!("values.{field}"), format!("no {noun} is mapped to `{field}`"));
            }
            for (from, to) in map {
                if to.trim().is_empty() {
                    continue;
                }
                let known = match field {
                    Field::SchoolForm => SchoolForm::parse(to).err().map(|e| e.reason),
                    Field::Mode => {
                        parse_mode(to).is_none().then(|| format!("`{to}` is not one of plats, distans, hybrid"))
                    }
                    Field::TimeOfStudy => parse_time_of_study(to)
                        .is_none()
                        .then(|| format!("`{to}` is not one of dag, kvall, helg, blandat")),
                    Field::Language => Language::parse(to).err().map(|e| e.reason),
                    Field::ProviderKind => ProviderKind::parse(to).err().map(|e| e.reason),
                    _ => None,
                };
                if let Some(reason) = known {
                    problem(&format!("values.{field}.\"{from}\""), reason);
                }
            }
        }

        let mut parsed = |key: &str, value: Option<&str>, parse: &dyn Fn(&str) -> Result<(), String>| {
            if let Some(value) = value
                && let Err(reason) = parse(value)
            {
                problem(&format!("defaults.{key}"), reason);
            }
        };
        parsed("school_form", defaults.school_form.as_deref(), &|v| {
            SchoolForm::parse(v).map(drop).map_err(|e| e.reason)
        });
        parsed("provider_name", defaults.provider_name.as_deref(), &|v| {
            if v.trim().is_empty() { Err("is empty".to_owned()) } else { Ok(()) }
        });
        parsed("provider_kind", defaults.provider_kind.as_deref(), &|v| {
            ProviderKind::parse(v).map(drop).map_err(|e| e.reason)
        });
        parsed("mode", defaults.mode.as_deref(), &|v| {
            parse_mode(v).map(drop).ok_or_else(|| format!("`{v}` is not one of plats, distans, hybrid"))
        });
        parsed("time_of_study", defaults.time_of_study.as_deref(), &|v| {
            parse_time_of_study(v).map(drop).ok_or_else(|| format!("`{v}` is not one of dag, kvall, helg, blandat"))
        });
        parsed("language", defaults.language.as_deref(), &|v| Language::parse(v).map(drop).map_err(|e| e.reason));
        parsed("eligibility", Some(&defaults.eligibility), &|v| Eligibility::parse(v).map(drop).map_err(|e| e.reason));
        parsed("configuration", Some(&defaults.configuration), &|v| {
            CourseConfiguration::parse(v).map(drop).map_err(|e| e.reason)
        });
        parsed("credits_system", defaults.credits_system.as_deref(), &|v| {
            CreditsSystem::parse(v).map(drop).map_err(|e| e.reason)
        });
        if let Some(pace) = defaults.pace
            && let Err(e) = Pace::new(i64::from(pace))
        {
            problem("defaults.pace", e.reason);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Prepared {
            date_formats: self.date_formats.to_vec(),
            decimal_comma: self.decimal_comma,
            default_school_form: defaults.school_form.as_deref().and_then(|v| SchoolForm::parse(v).ok()),
            default_provider_name: defaults.provider_name.clone(),
            default_provider_kind: defaults.provider_kind.as_deref().and_then(|v| ProviderKind::parse(v).ok()),
            default_pace: defaults.pace.and_then(|p| Pace::new(i64::from(p)).ok()),
            default_mode: defaults.mode.as_deref().and_then(parse_mode),
            default_time_of_study: defaults.time_of_study.as_deref().and_then(parse_time_of_study),
            default_language: defaults.language.as_deref().and_then(|v| Language::parse(v).ok()),
            eligibility: Eligibility::parse(&defaults.eligibility).unwrap_or(Eligibility::Region),
            configuration: CourseConfiguration::parse(&defaults.configuration).unwrap_or(CourseConfiguration::Course),
            credits_system: defaults.credits_system.as_deref().and_then(|v| CreditsSystem::parse(v).ok()),
        })
    }
}
