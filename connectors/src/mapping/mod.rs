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
pub(crate) mod values;

use std::collections::BTreeMap;
use std::fmt;

use chrono::format::{Item, StrftimeItems};
use serde::Deserialize;
use vuxnav_schema::{
    CourseConfiguration, CreditsSystem, Eligibility, Language, Pace, ProviderKind, SchoolForm, StudyMode, TimeOfStudy,
};

pub(crate) use build::Mapper;

/// One record's values, as text by canonical field, before value maps.
pub(crate) type Values = BTreeMap<Field, String>;

/// A canonical field an upstream field can be mapped to: the keys of the `csv` kind's `columns`,
/// the `json_api` kind's `fields`, and both kinds' `values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Required: the upstream's id of the course occasion (kurstillfälle), unique per row or record.
    UpstreamId,
    /// The Skolverket course code (`MATMAT01c`) or the provider's own code.
    CourseCode,
    /// An upstream id of the course, used for local courses that have no valid code.
    CourseId,
    /// Required: the course title.
    Title,
    /// A description of the course; HTML is reduced to text.
    Description,
    /// The subject's name, such as `Matematik`.
    Subject,
    /// The school form: a code such as `VUXGY`, or an upstream spelling mapped in `values`.
    /// Required unless `default_school_form` is set.
    SchoolForm,
    /// The course's credits, such as `100.0`.
    Credits,
    /// The provider's name. Required unless `default_provider_name` is set.
    ProviderName,
    /// The provider's organisation number (`212000-0142`); with a valid one the provider is
    /// the same across sources.
    ProviderOrgNumber,
    /// An upstream id of the provider, used when there is no valid organisation number.
    ProviderId,
    /// The provider's web address.
    ProviderUrl,
    /// The kind of provider (`kommunal`, `enskild`, `region`, `statlig`, `annan`). A value
    /// that is none of these after the value map means `default_provider_kind`, so this may
    /// name the provider name's column or pointer with a value map for the providers that are not
    /// kommunal.
    ProviderKind,
    /// The first day of the occasion.
    Start,
    /// The last day of the occasion.
    End,
    /// The first day to apply.
    ApplicationOpens,
    /// The last day to apply.
    ApplicationCloses,
    /// The study pace in percent of full time (`25.0` is 25 %). Required unless
    /// `default_pace` is set.
    Pace,
    /// The number of seats.
    Seats,
    /// The language of instruction (ISO 639-2, such as `swe`).
    Language,
    /// The town of study.
    Town,
    /// The name of the place of study.
    LocationName,
    /// The street address of the place of study.
    StreetAddress,
    /// The postal code of the place of study.
    PostalCode,
    /// Where teaching happens: `plats`, `distans` or `hybrid` (also named `distance`).
    #[serde(alias = "distance")]
    Mode,
    /// When teaching happens: `dag`, `kväll`, `helg`, `blandat`.
    TimeOfStudy,
    /// The occasion's web page.
    Url,
    /// The kommunkod of the place of study (`0180`, or `180` without its leading zero); the
    /// source's municipality when absent.
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

pub(crate) fn default_provider_kind() -> String {
    ProviderKind::Kommunal.code().to_owned()
}

pub(crate) fn default_mode() -> String {
    StudyMode::OnSite.code().to_owned()
}

pub(crate) fn default_time_of_study() -> String {
    TimeOfStudy::Day.code().to_owned()
}

pub(crate) fn default_language() -> String {
    Language::SWEDISH.as_str().to_owned()
}

pub(crate) fn default_eligibility() -> String {
    Eligibility::Region.code().to_owned()
}

pub(crate) fn default_configuration() -> String {
    CourseConfiguration::Course.code().to_owned()
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
    pub default_school_form: Option<&'a str>,
    pub default_provider_name: Option<&'a str>,
    pub default_provider_kind: &'a str,
    pub default_pace: Option<u8>,
    pub default_mode: &'a str,
    pub default_time_of_study: &'a str,
    pub default_language: &'a str,
    pub eligibility: &'a str,
    pub configuration: &'a str,
    pub credits_system: Option<&'a str>,
}

/// [`Rules`] checked and turned into the values normalisation works with.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub date_formats: Vec<String>,
    pub decimal_comma: bool,
    pub default_school_form: Option<SchoolForm>,
    pub default_provider_name: Option<String>,
    pub default_provider_kind: ProviderKind,
    pub default_pace: Option<Pace>,
    pub default_mode: StudyMode,
    pub default_time_of_study: TimeOfStudy,
    pub default_language: Language,
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
        let (section, noun) = (self.section, self.noun);

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
            (Field::SchoolForm, Some("default_school_form")),
            (Field::ProviderName, Some("default_provider_name")),
            (Field::Pace, Some("default_pace")),
        ] {
            let defaulted = match field {
                Field::SchoolForm => self.default_school_form.is_some(),
                Field::ProviderName => self.default_provider_name.is_some(),
                Field::Pace => self.default_pace.is_some(),
                _ => false,
            };
            if !self.fields.contains_key(&field) && !defaulted {
                let text = match default {
                    Some(default) => format!("is required: map a {noun} to `{field}` or set `{default}`"),
                    None => format!("is required: map the {noun} that holds the {}", field.name().replace('_', " ")),
                };
                problem(&format!("{section}.{field}"), text);
            }
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

        let default_school_form = self.default_school_form.and_then(|v| match SchoolForm::parse(v) {
            Ok(form) => Some(form),
            Err(e) => {
                problem("default_school_form", e.reason);
                None
            }
        });
        if self.default_provider_name.is_some_and(|name| name.trim().is_empty()) {
            problem("default_provider_name", "is empty".into());
        }
        let default_provider_kind = ProviderKind::parse(self.default_provider_kind)
            .map_err(|e| problem("default_provider_kind", e.reason))
            .ok();
        let default_pace =
            self.default_pace.and_then(|p| Pace::new(i64::from(p)).map_err(|e| problem("default_pace", e.reason)).ok());
        let default_mode = parse_mode(self.default_mode);
        if default_mode.is_none() {
            problem("default_mode", format!("`{}` is not one of plats, distans, hybrid", self.default_mode));
        }
        let default_time_of_study = parse_time_of_study(self.default_time_of_study);
        if default_time_of_study.is_none() {
            problem(
                "default_time_of_study",
                format!("`{}` is not one of dag, kvall, helg, blandat", self.default_time_of_study),
            );
        }
        let default_language =
            Language::parse(self.default_language).map_err(|e| problem("default_language", e.reason)).ok();
        let eligibility = Eligibility::parse(self.eligibility).map_err(|e| problem("eligibility", e.reason)).ok();
        let configuration =
            CourseConfiguration::parse(self.configuration).map_err(|e| problem("configuration", e.reason)).ok();
        let credits_system = self
            .credits_system
            .and_then(|v| CreditsSystem::parse(v).map_err(|e| problem("credits_system", e.reason)).ok());

        match (default_provider_kind, default_mode, default_time_of_study, default_language) {
            (Some(kind), Some(mode), Some(time), Some(language)) if problems.is_empty() => Ok(Prepared {
                date_formats: self.date_formats.to_vec(),
                decimal_comma: self.decimal_comma,
                default_school_form,
                default_provider_name: self.default_provider_name.map(str::to_owned),
                default_provider_kind: kind,
                default_pace,
                default_mode: mode,
                default_time_of_study: time,
                default_language: language,
                eligibility: eligibility.unwrap_or(Eligibility::Region),
                configuration: configuration.unwrap_or(CourseConfiguration::Course),
                credits_system,
            }),
            _ => Err(problems),
        }
    }
}
