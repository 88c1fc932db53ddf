//! The `susa_navet` kind's configuration: the `[source.connector]` table of a source that reads
//! Skolverket's Susa-navet hub (EMIL 3).

use schemars::JsonSchema;
use serde::Deserialize;
use vuxnav_schema::SchoolForm;

/// The public EMIL 3 endpoint of Susa-navet.
pub const DEFAULT_BASE_URL: &str = "https://api.skolverket.se/susa-navet/emil3";

/// The page size asked for when the config says nothing.
pub const DEFAULT_PAGE_SIZE: u32 = 500;

/// The largest page Susa-navet serves (its `size` parameter is 1 to 2000).
pub const MAX_PAGE_SIZE: u32 = 2000;

/// How to read one municipality's offerings from Susa-navet.
///
/// ```toml
/// [source.connector]
/// kind = "susa_navet"
/// school_types = ["VUXGY", "VUXSFI"]
/// page_size = 1000
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The EMIL 3 API's base URL, without a trailing `/educationEvents`.
    /// Default `https://api.skolverket.se/susa-navet/emil3`.
    #[serde(default = "default_base_url")]
    #[schemars(title = "Basadress (URL)")]
    pub base_url: String,
    /// The `C_SchoolType` codes to fetch (`schoolType`). Default the five komvux forms:
    /// `VUXGR`, `VUXGY`, `VUXSFI`, `VUXGRAN`, `VUXGYAN`. `VUX` is not accepted: Susa-navet
    /// removed it in API 3.0.3.
    #[serde(default = "default_school_types")]
    #[schemars(title = "Skolformer")]
    pub school_types: Vec<String>,
    /// Records per page (`size`), 1 to 2000. Default 500.
    #[serde(default = "default_page_size")]
    #[schemars(title = "Poster per sida")]
    pub page_size: u32,
    /// Only events of these providers (`providerId`, such as `p.sv.2120000142`); leave it out
    /// to read every provider's events. Susa-navet has no municipality filter, so the
    /// municipality is selected on each event's `locations[].areaCode` in any case.
    #[serde(default)]
    #[schemars(title = "Anordnare (providerId)")]
    pub provider_ids: Option<Vec<String>>,
}

fn default_base_url() -> String {
    DEFAULT_BASE_URL.to_owned()
}

fn default_school_types() -> Vec<String> {
    SchoolForm::KOMVUX.iter().map(|form| form.code().to_owned()).collect()
}

fn default_page_size() -> u32 {
    DEFAULT_PAGE_SIZE
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: default_base_url(),
            school_types: default_school_types(),
            page_size: default_page_size(),
            provider_ids: None,
        }
    }
}

impl Config {
    /// Every problem of this config at once, as (field, problem); empty when it is valid.
    pub fn validate(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, text: String| problems.push((field.to_owned(), text));

        if let Some(reason) = crate::config::base_url_problem(&self.base_url) {
            problem("base_url", reason);
        }

        if self.school_types.is_empty() {
            problem("school_types", "is empty: list at least one school type, such as `VUXGY`".to_owned());
        }
        for (i, code) in self.school_types.iter().enumerate() {
            let field = format!("school_types[{i}]");
            if code.trim().eq_ignore_ascii_case("VUX") {
                problem(
                    &field,
                    format!(
                        "`VUX` was removed in Susa-navet API 3.0.3: list {} instead",
                        SchoolForm::KOMVUX.map(SchoolForm::code).join(", ")
                    ),
                );
            } else if let Err(error) = SchoolForm::parse(code) {
                problem(&field, error.reason);
            } else if self.school_types[..i].iter().any(|earlier| earlier.trim().eq_ignore_ascii_case(code.trim())) {
                problem(&field, format!("`{code}` is listed twice"));
            }
        }

        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            problem("page_size", format!("{} is not a page size: it is 1 to {MAX_PAGE_SIZE}", self.page_size));
        }

        if let Some(ids) = &self.provider_ids {
            if ids.is_empty() {
                problem("provider_ids", "is empty: leave it out to read every provider".to_owned());
            }
            for (i, id) in ids.iter().enumerate() {
                let id = id.trim();
                let ok = id.len() > 2 && id.starts_with("p.") && !id.contains(|c: char| c.is_whitespace() || c == ',');
                if !ok {
                    problem(
                        &format!("provider_ids[{i}]"),
                        format!("`{id}` is not a Susa-navet provider id such as `p.sv.2120000142`"),
                    );
                }
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
    fn an_empty_table_gets_the_documented_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.base_url, DEFAULT_BASE_URL);
        assert_eq!(config.school_types, SchoolForm::KOMVUX.map(SchoolForm::code));
        assert_eq!(config.page_size, 500);
        assert!(config.validate().is_empty(), "{:?}", config.validate());
    }

    #[test]
    fn an_unknown_key_is_rejected() {
        let error = parse("page_sise = 100").unwrap_err();
        assert!(error.to_string().contains("page_sise"), "{error}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let config = parse(
            r#"
            base_url = "ftp://example.se"
            school_types = ["VUX", "GYMNASIUM", "VUXGY", "vuxgy"]
            page_size = 5000
            provider_ids = ["2120000142"]
            "#,
        )
        .unwrap();
        let fields: Vec<String> = config.validate().into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            ["base_url", "school_types[0]", "school_types[1]", "school_types[3]", "page_size", "provider_ids[0]"]
        );
    }

    #[test]
    fn an_empty_provider_list_and_page_size_zero_are_problems() {
        let config = parse("page_size = 0\nprovider_ids = []\nschool_types = []").unwrap();
        let fields: Vec<String> = config.validate().into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["school_types", "page_size", "provider_ids"]);
    }
}
