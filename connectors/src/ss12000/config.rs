//! The `ss12000` kind's configuration: the `[source.connector]` table of a source that reads a
//! municipality's SS 12000 API (its school-administration system's exchange interface).

use schemars::JsonSchema;
use serde::Deserialize;
use vuxnav_schema::SchoolForm;

use super::wire::SchoolType;
use crate::config::SecretRef;

/// The page size asked for when the config says nothing.
pub const DEFAULT_LIMIT: u32 = 500;

/// The largest `limit` this connector asks for: SS 12000 sets no maximum, and a bounded page
/// keeps a run's memory bounded.
pub const MAX_LIMIT: u32 = 5000;

/// How to read one municipality's offerings from its SS 12000 API.
///
/// ```toml
/// [source.connector]
/// kind = "ss12000"
/// base_url = "https://ss12000.example.se/v2"
/// token_env = "SOLNA_SS12000_TOKEN"
/// limit = 500
/// school_types = ["VUXGY", "VUXSFI"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The API's base URL, the part before `/organisations`. Required: SS 12000 has no public
    /// endpoint; each municipality's system has its own.
    #[schemars(title = "Basadress (URL)")]
    pub base_url: String,
    /// The environment variable holding the bearer token sent as `Authorization: Bearer …`.
    /// Leave it out for an API that needs none. OAuth2 client credentials are not fetched by
    /// the connector: a token is obtained out of band and put in the variable.
    #[serde(default)]
    #[schemars(title = "Miljövariabel med token")]
    pub token_env: Option<SecretRef>,
    /// Records per page (`limit`), 1 to 5000. Default 500.
    #[serde(default = "default_limit")]
    #[schemars(title = "Poster per sida")]
    pub limit: u32,
    /// The school types whose activities are offerings, in the model's codes or any version's
    /// spelling (`VUXGY`, `GYVUX`, `SARVUXGY`, `SFI`, …). Default the five komvux forms:
    /// `VUXGR`, `VUXGY`, `VUXSFI`, `VUXGRAN`, `VUXGYAN`.
    #[serde(default = "default_school_types")]
    #[schemars(title = "Skolformer")]
    pub school_types: Vec<String>,
}

fn default_limit() -> u32 {
    DEFAULT_LIMIT
}

fn default_school_types() -> Vec<String> {
    SchoolForm::KOMVUX.iter().map(|form| form.code().to_owned()).collect()
}

impl Config {
    /// A config reading `base_url` with every other key at its default.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self { base_url: base_url.into(), token_env: None, limit: DEFAULT_LIMIT, school_types: default_school_types() }
    }

    /// The configured school types as the model's forms; codes that are not one are left out
    /// (and reported by [`Config::validate`]).
    pub fn school_forms(&self) -> Vec<SchoolForm> {
        self.school_types
            .iter()
            .filter_map(|code| match super::wire::school_type(code) {
                Ok(SchoolType::Form(form)) => Some(form),
                _ => None,
            })
            .collect()
    }

    /// Every problem of this config at once, as (field, problem); empty when it is valid.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, text: String| problems.push((field.to_owned(), text));

        if let Some(reason) = crate::config::base_url_problem(&self.base_url) {
            problem("base_url", reason);
        }

        if let Some(reason) = self.token_env.as_ref().and_then(SecretRef::validate) {
            problem("token_env", reason);
        }

        if !(1..=MAX_LIMIT).contains(&self.limit) {
            problem("limit", format!("{} is not a page size: it is 1 to {MAX_LIMIT}", self.limit));
        }

        if self.school_types.is_empty() {
            problem("school_types", "is empty: list at least one school type, such as `VUXGY`".to_owned());
        }
        let mut seen = Vec::new();
        for (i, code) in self.school_types.iter().enumerate() {
            let field = format!("school_types[{i}]");
            match super::wire::school_type(code) {
                Err(reason) => problem(&field, reason),
                Ok(SchoolType::Other(_)) => {
                    problem(&field, format!("`{code}` is not a form of adult education"));
                }
                Ok(SchoolType::Generic(_)) => problem(
                    &field,
                    format!(
                        "`{code}` does not say which form of adult education: list {} instead",
                        SchoolForm::KOMVUX.map(SchoolForm::code).join(", ")
                    ),
                ),
                Ok(SchoolType::Form(form)) if seen.contains(&form) => {
                    problem(&field, format!("`{code}` is listed twice (as {})", form.code()));
                }
                Ok(SchoolType::Form(form)) => seen.push(form),
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }

    #[test]
    fn a_table_with_only_the_base_url_gets_the_documented_defaults() {
        let config = parse(r#"base_url = "https://ss12000.solna.se/v2""#).unwrap();
        assert_eq!(config, Config::new("https://ss12000.solna.se/v2"));
        assert_eq!(config.limit, 500);
        assert_eq!(config.token_env, None);
        assert_eq!(config.school_types, SchoolForm::KOMVUX.map(SchoolForm::code));
        assert_eq!(config.school_forms().len(), 5);
        assert!(config.validate().is_empty(), "{:?}", config.validate());
    }

    #[test]
    fn the_base_url_is_required() {
        let error = parse("limit = 100").unwrap_err();
        assert!(error.to_string().contains("base_url"), "{error}");
    }

    #[test]
    fn an_unknown_key_is_rejected() {
        let error = parse("base_url = \"https://x.se\"\npage_size = 100").unwrap_err();
        assert!(error.to_string().contains("page_size"), "{error}");
    }

    #[test]
    fn school_types_of_every_version_of_the_standard_are_accepted() {
        let config = parse(
            r#"
            base_url = "https://x.se"
            school_types = ["GRVUX", "GYVUX", "SFI", "SARVUXGR", "VUXSARGY"]
            "#,
        )
        .unwrap();
        assert!(config.validate().is_empty(), "{:?}", config.validate());
        assert_eq!(
            config.school_forms(),
            [SchoolForm::VuxGr, SchoolForm::VuxGy, SchoolForm::VuxSfi, SchoolForm::VuxGran, SchoolForm::VuxGyan]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let config = parse(
            r#"
            base_url = "ftp://example.se"
            token_env = "1TOKEN"
            limit = 0
            school_types = ["KOMVUX", "GYMNASIUM", "VUXGY", "GYVUX", "GR"]
            "#,
        )
        .unwrap();
        let problems = config.validate();
        let fields: Vec<&str> = problems.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "base_url",
                "token_env",
                "limit",
                "school_types[0]",
                "school_types[1]",
                "school_types[3]",
                "school_types[4]"
            ]
        );
        assert!(problems[4].1.contains("GYMNASIUM"), "{problems:?}");
    }

    #[test]
    fn an_empty_school_type_list_is_a_problem() {
        let config = parse("base_url = \"https://x.se\"\nschool_types = []").unwrap();
        let fields: Vec<String> = config.validate().into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["school_types"]);
    }
}
