//! The `[source.connector.defaults]` table of the `csv` and `json_api` kinds: what a record
//! that does not say is taken to be, and the values the upstream has no field for.
//!
//! ```toml
//! [source.connector.defaults]
//! school_form = "VUXGY"          # default: none, so a record without one is rejected
//! provider_name = "Komvux Täby"  # default: none, so a record without one is rejected
//! provider_kind = "kommunal"     # default: none, so the kind is unknown (or read from the org number or name)
//! pace = 100                     # default: none, so a record without one is rejected
//! mode = "plats"                 # default: none, so the mode is unknown (or read from the title)
//! time_of_study = "dag"          # default: none, so the time of study is unknown (or read from the title)
//! language = "swe"               # default: none, so the language is unknown
//! eligibility = "region"         # default "region"
//! configuration = "kurs"         # default "kurs"
//! credits_system = "gy"          # default: the school form's own system
//! ```
//!
//! A default is a statement the admin makes about every record without the value, never a
//! reading of the record: the offering's provenance names each field that was configured
//! rather than read (`Provenance::configured`).

use schemars::JsonSchema;
use serde::Deserialize;

/// The keys that were once written at the top of `[source.connector]` as `default_…` (or
/// without the prefix) and now live in `[source.connector.defaults]`: (old key, new key).
pub const MOVED: [(&str, &str); 10] = [
    ("default_school_form", "school_form"),
    ("default_provider_name", "provider_name"),
    ("default_provider_kind", "provider_kind"),
    ("default_pace", "pace"),
    ("default_mode", "mode"),
    ("default_time_of_study", "time_of_study"),
    ("default_language", "language"),
    ("eligibility", "eligibility"),
    ("configuration", "configuration"),
    ("credits_system", "credits_system"),
];

/// The message for an old key found at the top of a `csv` or `json_api` connector table.
pub fn moved_message(old: &str, value: &toml::Value) -> Option<String> {
    let (_, new) = MOVED.iter().find(|(from, _)| *from == old)?;
    Some(format!("`{old}` moved: write `{new} = {value}` under [source.connector.defaults]"))
}

/// The `[source.connector.defaults]` table, shared by the `csv` and `json_api` kinds. Every
/// key is optional; see each for its default.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// The school form (`VUXGY`, `VUXGR`, `VUXSFI`, `VUXGRAN`, `VUXGYAN`, `YH`, `FHS`, `AUB`,
    /// `STF`) of records without one. Default: none, so such a record is rejected.
    #[serde(default)]
    #[schemars(title = "Skolform")]
    pub school_form: Option<String>,
    /// The provider name of records without one, typically the municipality's own komvux.
    /// Default: none, so such a record is rejected.
    #[serde(default)]
    #[schemars(title = "Anordnarens namn")]
    pub provider_name: Option<String>,
    /// The kind of provider (`kommunal`, `enskild`, `region`, `statlig`, `annan`) of records
    /// that do not say and whose organisation number or name does not show it. Default: none,
    /// so the kind is unknown.
    #[serde(default)]
    #[schemars(title = "Typ av anordnare")]
    pub provider_kind: Option<String>,
    /// The study pace in percent (1 to 100) of records without one. Default: none, so such a
    /// record is rejected.
    #[serde(default)]
    #[schemars(title = "Studietakt (%)")]
    pub pace: Option<u8>,
    /// The study mode (`plats`, `distans`, `hybrid`) of records that do not say and whose
    /// title does not show it. Default: none, so the mode is unknown.
    #[serde(default)]
    #[schemars(title = "Studieform")]
    pub mode: Option<String>,
    /// The time of study (`dag`, `kvall`, `helg`, `blandat`) of records that do not say and
    /// whose title does not show it. Default: none, so the time of study is unknown.
    #[serde(default)]
    #[schemars(title = "Studietid")]
    pub time_of_study: Option<String>,
    /// The language of instruction (ISO 639-2, such as `swe`) of records without one.
    /// Default: none, so the language is unknown.
    #[serde(default)]
    #[schemars(title = "Undervisningsspråk")]
    pub language: Option<String>,
    /// Who may apply (`kommun`, `region`, `nationell`); no upstream of these kinds has a
    /// field for it. Default `region` (the county agreement on komvux).
    #[serde(default = "default_eligibility")]
    #[schemars(title = "Vem får söka")]
    pub eligibility: String,
    /// What every record is (`kurs`, `kurspaket`, `program`). Default `kurs`.
    #[serde(default = "default_configuration")]
    #[schemars(title = "Typ av utbildning")]
    pub configuration: String,
    /// The credits system of the `credits` field (`gy`, `vp`, `yh`, `fup`, `hp`). Default:
    /// the school form's own (`gy` for gymnasial komvux, `vp` for grundläggande, `yh` for
    /// yrkeshögskola, `fup` for folkhögskola; none, so no credits, for sfi and the others).
    #[serde(default)]
    #[schemars(title = "Poängsystem")]
    pub credits_system: Option<String>,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            school_form: None,
            provider_name: None,
            provider_kind: None,
            pace: None,
            mode: None,
            time_of_study: None,
            language: None,
            eligibility: default_eligibility(),
            configuration: default_configuration(),
            credits_system: None,
        }
    }
}

fn default_eligibility() -> String {
    vuxnav_schema::Eligibility::Region.code().to_owned()
}

fn default_configuration() -> String {
    vuxnav_schema::CourseConfiguration::Course.code().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_table_has_the_documented_defaults() {
        let defaults: Defaults = toml::from_str("").unwrap();
        assert_eq!(defaults, Defaults::default());
        assert_eq!(defaults.eligibility, "region");
        assert_eq!(defaults.configuration, "kurs");
        assert_eq!(
            (defaults.mode, defaults.time_of_study, defaults.language, defaults.provider_kind),
            (None, None, None, None)
        );
    }

    #[test]
    fn an_unknown_key_in_the_table_is_rejected() {
        assert!(toml::from_str::<Defaults>("default_mode = \"plats\"").is_err());
    }

    #[test]
    fn a_moved_key_says_what_to_write_instead() {
        let message = moved_message("default_mode", &toml::Value::String("plats".into())).unwrap();
        assert_eq!(message, "`default_mode` moved: write `mode = \"plats\"` under [source.connector.defaults]");
        assert_eq!(moved_message("url", &toml::Value::Boolean(true)), None);
    }
}
