//! The `planned_educations` kind's configuration: the `[source.connector]` table of a source
//! that reads Skolverket's Planned Educations API v4 (`/v4/adult-education-events`).

use schemars::JsonSchema;
use serde::Deserialize;

/// The public Planned Educations API, without its `/v4/...` paths.
pub const DEFAULT_BASE_URL: &str = "https://api.skolverket.se/planned-educations";

/// The forms of kommunal vuxenutbildning, as the API's `typeOfSchool` codes: the five forms
/// and the yrkesvux course packages.
pub const KOMVUX_TYPES_OF_SCHOOL: [&str; 6] = ["vuxgr", "vuxgy", "vuxsfi", "vuxgran", "vuxgyan", "komvuxcoursepackage"];

/// Every `typeOfSchool` code the API's specification lists.
pub const TYPES_OF_SCHOOL: [&str; 22] = [
    "forutbildning",
    "coursebasic",
    "courseadvanced",
    "programbasic",
    "kku",
    "programadvanced",
    "fhs",
    "vuxgy",
    "vuxgr",
    "komvuxcoursepackage",
    "sfi",
    "vuxgyan",
    "vuxgran",
    "aub",
    "fhsaub",
    "forberutb",
    "testokartl",
    "yh",
    "ny",
    "yhkurskurspaket",
    "yhprogram",
    "vuxsfi",
];

/// The page size asked for when the config says nothing.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// The largest page the API serves (its `size` parameter is at most 200).
pub const MAX_PAGE_SIZE: u32 = 200;

/// How to read one municipality's adult-education events from the Planned Educations API.
///
/// ```toml
/// [source.connector]
/// kind = "planned_educations"
/// type_of_school = ["vuxgy", "vuxsfi"]
/// page_size = 200
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The API's base URL. Default `https://api.skolverket.se/planned-educations`. A URL that
    /// ends in `/v4` or `/v4/adult-education-events` is read as the base URL before it.
    #[serde(default = "default_base_url")]
    #[schemars(title = "Basadress (URL)")]
    pub base_url: String,
    /// The `typeOfSchool` codes to fetch (any case), sent lowercase as one comma-separated
    /// list. Default the komvux forms: `vuxgr`, `vuxgy`, `vuxsfi`, `vuxgran`, `vuxgyan`,
    /// `komvuxcoursepackage`.
    #[serde(default = "default_types_of_school")]
    #[schemars(title = "Skolformer (typeOfSchool)")]
    pub type_of_school: Vec<String>,
    /// Only distance (`true`) or only on-site (`false`) events (`distance`); leave it out for
    /// both.
    #[serde(default)]
    #[schemars(title = "Endast distans")]
    pub distance: Option<bool>,
    /// Only events in these towns of the municipality (`town`, such as `["Flemingsberg"]`);
    /// leave it out for every town.
    #[serde(default)]
    #[schemars(title = "Orter")]
    pub town: Option<Vec<String>>,
    /// Only events in these directions (`directionIds`, from `/v4/adult-education-events/areas`);
    /// leave it out for every direction.
    #[serde(default)]
    #[schemars(title = "Inriktningar")]
    pub direction_ids: Option<Vec<String>>,
    /// Only events that match this search term (`searchTerm`).
    #[serde(default)]
    #[schemars(title = "Sökord")]
    pub search_term: Option<String>,
    /// Only events that need no more than this prior knowledge (`recommendedPriorKnowledge`,
    /// `grundlaggande`).
    #[serde(default)]
    #[schemars(title = "Rekommenderade förkunskaper")]
    pub recommended_prior_knowledge: Option<String>,
    /// Records per page (`size`), 1 to 200. Default 100.
    #[serde(default = "default_page_size")]
    #[schemars(title = "Poster per sida")]
    pub page_size: u32,
}

fn default_base_url() -> String {
    DEFAULT_BASE_URL.to_owned()
}

fn default_types_of_school() -> Vec<String> {
    KOMVUX_TYPES_OF_SCHOOL.iter().map(|s| (*s).to_owned()).collect()
}

fn default_page_size() -> u32 {
    DEFAULT_PAGE_SIZE
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: default_base_url(),
            type_of_school: default_types_of_school(),
            distance: None,
            town: None,
            direction_ids: None,
            search_term: None,
            recommended_prior_knowledge: None,
            page_size: default_page_size(),
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

        if self.type_of_school.is_empty() {
            problem("type_of_school", "is empty: list at least one type of school, such as `vuxgy`".to_owned());
        }
        for (i, code) in self.type_of_school.iter().enumerate() {
            let field = format!("type_of_school[{i}]");
            let code = code.trim();
            if !TYPES_OF_SCHOOL.iter().any(|known| known.eq_ignore_ascii_case(code)) {
                problem(
                    &field,
                    format!(
                        "`{code}` is not a typeOfSchool code of the API: use one of {}",
                        TYPES_OF_SCHOOL.join(", ")
                    ),
                );
            } else if self.type_of_school[..i].iter().any(|earlier| earlier.trim().eq_ignore_ascii_case(code)) {
                problem(&field, format!("`{code}` is listed twice"));
            }
        }

        for (name, values) in [("town", &self.town), ("direction_ids", &self.direction_ids)] {
            let Some(values) = values else { continue };
            if values.is_empty() {
                problem(name, format!("is empty: leave `{name}` out for no filter"));
            }
            for (i, value) in values.iter().enumerate() {
                if value.trim().is_empty() || value.contains([',', ';', ':']) {
                    problem(&format!("{name}[{i}]"), format!("`{value}` is not one value: give one per entry"));
                }
            }
        }
        for (name, value) in
            [("search_term", &self.search_term), ("recommended_prior_knowledge", &self.recommended_prior_knowledge)]
        {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                problem(name, format!("is empty: leave `{name}` out for no filter"));
            }
        }

        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            problem("page_size", format!("{} is not a page size: it is 1 to {MAX_PAGE_SIZE}", self.page_size));
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
        assert_eq!(config.type_of_school, KOMVUX_TYPES_OF_SCHOOL);
        assert_eq!(config.distance, None);
        assert_eq!(config.page_size, 100);
        assert!(config.validate().is_empty(), "{:?}", config.validate());
    }

    #[test]
    fn an_unknown_key_is_rejected() {
        let error = parse("geographical_area_code = \"0126\"").unwrap_err();
        assert!(error.to_string().contains("geographical_area_code"), "{error}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let config = parse(
            r#"
            base_url = "https://api.skolverket.se/planned-educations?x=1"
            type_of_school = ["vuxgy", "Gymnasial vuxenutbildning", "VUXSFI", "VUXGY"]
            town = ["Huddinge", "Flemingsberg,Stuvsta"]
            direction_ids = []
            search_term = " "
            page_size = 500
            "#,
        )
        .unwrap();
        let fields: Vec<String> = config.validate().into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [
                "base_url",
                "type_of_school[1]",
                "type_of_school[3]",
                "town[1]",
                "direction_ids",
                "search_term",
                "page_size"
            ]
        );
    }

    #[test]
    fn an_empty_type_list_a_page_size_of_zero_and_a_bad_url_are_problems() {
        let config = parse("type_of_school = []\npage_size = 0\nbase_url = \"api.skolverket.se\"").unwrap();
        let fields: Vec<String> = config.validate().into_iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["base_url", "type_of_school", "page_size"]);
    }
}
