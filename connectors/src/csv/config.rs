//! The `csv` kind's configuration: where the export is, how it is written, which column holds
//! which canonical field, and how upstream values translate to the model's codes.
//!
//! ```toml
//! [source.connector]
//! kind = "csv"
//! url = "https://kommun.example/export/kurser.csv"
//! delimiter = ";"
//! encoding = "windows-1252"
//! decimal_comma = true
//!
//! [source.connector.defaults]
//! mode = "plats"
//!
//! [source.connector.columns]
//! upstream_id = "KurstillfalleId"
//! title = "Namn"
//! school_form = "Niva"
//! provider_name = "Utbildningsanordnare"
//! pace = "Omfattning"
//!
//! [source.connector.values.school_form]
//! "gymnasial vuxenutbildning" = "VUXGY"
//! "grundläggande vuxenutbildning" = "VUXGR"
//! "sfi" = "VUXSFI"
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::mapping::{self, Defaults, Field, Rules};

/// The `[source.connector]` table of a `kind = "csv"` source.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// A file to read the export from. Set exactly one of `path` and `url`.
    #[serde(default)]
    #[schemars(title = "Fil på servern")]
    pub path: Option<PathBuf>,
    /// An `http://` or `https://` address to fetch the export from. Set exactly one of `path`
    /// and `url`.
    #[serde(default)]
    #[schemars(title = "Adress (URL)")]
    pub url: Option<String>,
    /// The field separator, one ASCII character. Default `,`; `;` and `"\t"` are common.
    #[serde(default = "default_delimiter")]
    #[schemars(title = "Fältavgränsare")]
    pub delimiter: char,
    /// The quote character, one ASCII character. Default `"`.
    #[serde(default = "default_quote")]
    #[schemars(title = "Citattecken")]
    pub quote: char,
    /// The character encoding of the file. Default `utf-8` (a byte order mark is skipped);
    /// `windows-1252` for older Excel and Alvis exports.
    #[serde(default)]
    #[schemars(title = "Teckenkodning")]
    pub encoding: Encoding,
    /// chrono `strftime` formats tried in order for every date column; only the date part of a
    /// date-time is kept (the time is local and ignored). Default
    /// `["%Y-%m-%d", "%Y-%m-%d %H:%M:%S%.f"]`, which reads `2023-10-16 00:00:00.0000000`.
    #[serde(default = "default_date_formats")]
    #[schemars(title = "Datumformat (ett per rad)")]
    pub date_formats: Vec<String>,
    /// Whether decimals are written with a comma (`25,0`). Default `false`: `25.0`.
    #[serde(default)]
    #[schemars(title = "Decimalkomma")]
    pub decimal_comma: bool,
    /// Which header names the export uses for each canonical field. `upstream_id` and `title`
    /// are required; so are `school_form`, `provider_name` and `pace` unless their
    /// matching key of `defaults` is set.
    #[serde(default)]
    #[schemars(title = "Kolumner")]
    #[schemars(schema_with = "mapping::field_map::<String>")]
    pub columns: BTreeMap<Field, String>,
    /// Per canonical field, upstream values and what they mean (compared ignoring case and
    /// surrounding white space). A value mapped to `""` is treated as missing, which suits
    /// placeholders such as `Okänd`.
    #[serde(default)]
    #[schemars(title = "Värden")]
    #[schemars(schema_with = "mapping::field_map::<BTreeMap<String, String>>")]
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
    /// What a record that does not say is taken to be, and the values the upstream has no
    /// field for: the `[source.connector.defaults]` table ([`Defaults`]). Default: every key at
    /// its own default.
    #[serde(default)]
    #[schemars(title = "Standardvärden")]
    pub defaults: Defaults,
}

/// A character encoding of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    #[default]
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    /// Windows-1252 (the superset of ISO 8859-1 that Excel writes).
    #[serde(rename = "windows-1252", alias = "cp1252", alias = "latin1", alias = "iso-8859-1")]
    Windows1252,
}

fn default_delimiter() -> char {
    ','
}

fn default_quote() -> char {
    '"'
}

fn default_date_formats() -> Vec<String> {
    vec!["%Y-%m-%d".to_owned(), "%Y-%m-%d %H:%M:%S%.f".to_owned()]
}

/// A configuration checked and turned into the values normalisation works with.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub delimiter: u8,
    pub quote: u8,
    pub mapping: mapping::Prepared,
}

fn is_http_url(value: &str) -> bool {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|host| !host.is_empty() && !host.starts_with('/') && !host.contains(char::is_whitespace))
}

impl Config {
    /// Every problem of this configuration at once, as (field, problem); empty when it is
    /// fine. Field names are those of the `[source.connector]` table (`columns.title`).
    pub fn validate(&self) -> Vec<(String, String)> {
        self.prepare().err().unwrap_or_default()
    }

    /// Where the export is read from, for messages: the URL or the path.
    pub fn location(&self) -> String {
        match (&self.url, &self.path) {
            (Some(url), _) => url.clone(),
            (None, Some(path)) => path.display().to_string(),
            (None, None) => "csv export".to_owned(),
        }
    }

    /// The mapping part of this config.
    pub(crate) fn rules(&self) -> Rules<'_> {
        Rules {
            section: "columns",
            noun: "column",
            fields: &self.columns,
            values: &self.values,
            date_formats: &self.date_formats,
            decimal_comma: self.decimal_comma,
            defaults: &self.defaults,
        }
    }

    pub(crate) fn prepare(&self) -> Result<Prepared, Vec<(String, String)>> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut problem = |field: &str, text: String| problems.push((field.to_owned(), text));

        match (&self.path, &self.url) {
            (Some(_), Some(_)) | (None, None) => problem("path", "set exactly one of `path` and `url`".into()),
            (None, Some(url)) if !is_http_url(url) => {
                problem("url", format!("`{url}` is not an http:// or https:// address"));
            }
            (Some(path), None) if path.as_os_str().is_empty() => problem("path", "is empty".into()),
            _ => {}
        }

        let ascii = |c: char| u8::try_from(c).ok().filter(|b| b.is_ascii() && *b != b'\n' && *b != b'\r');
        let delimiter = ascii(self.delimiter);
        if delimiter.is_none() {
            problem("delimiter", format!("`{}` is not one ASCII character such as `,`, `;` or `\\t`", self.delimiter));
        }
        let quote = ascii(self.quote);
        if quote.is_none() {
            problem("quote", format!("`{}` is not one ASCII character such as `\"`", self.quote));
        }
        if delimiter.is_some() && delimiter == quote {
            problem("quote", "is the same character as the delimiter".into());
        }
        for (field, header) in &self.columns {
            if header.trim().is_empty() {
                problem(&format!("columns.{field}"), "names no column".into());
            }
        }

        let mapping = self.rules().prepare();
        if let Err(more) = &mapping {
            problems.extend(more.iter().cloned());
        }
        match (delimiter, quote, mapping) {
            (Some(delimiter), Some(quote), Ok(mapping)) if problems.is_empty() => {
                Ok(Prepared { delimiter, quote, mapping })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }

    const MINIMAL: &str = r#"
        path = "kurser.csv"
        [defaults]
        pace = 100
        [columns]
        upstream_id = "Id"
        title = "Namn"
        school_form = "Niva"
        provider_name = "Anordnare"
    "#;

    #[test]
    fn a_minimal_config_has_the_documented_defaults_and_no_problems() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.validate(), Vec::<(String, String)>::new());
        assert_eq!(config.delimiter, ',');
        assert_eq!(config.quote, '"');
        assert_eq!(config.encoding, Encoding::Utf8);
        assert_eq!(config.date_formats, ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S%.f"]);
        assert!(!config.decimal_comma);
        assert_eq!(config.defaults.mode, None, "unknown unless configured");
        assert_eq!(config.defaults.language, None);
        assert_eq!(config.defaults.eligibility, "region");
    }

    #[test]
    fn unknown_keys_are_rejected_at_every_level() {
        assert!(parse(&format!("colour = \"blue\"\n{MINIMAL}")).is_err());
        assert!(parse(&MINIMAL.replace("title = ", "titel = ")).is_err());
        assert!(parse(&format!("{MINIMAL}\n[values.skolform]\n\"x\" = \"VUXGY\"\n")).is_err());
        assert!(parse(&MINIMAL.replace("path = \"kurser.csv\"", "encoding = \"ebcdic\"")).is_err());
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let config = parse(
            r#"
            url = "ftp://kommun.example/kurser.csv"
            path = "kurser.csv"
            delimiter = "§"
            date_formats = ["%Y-%m-%d %Q"]
            [defaults]
            mode = "månen"
            [columns]
            upstream_id = ""
            [values.school_form]
            "folkhögskola" = "FOLK"
            "#,
        )
        .unwrap();
        let fields: Vec<String> = config.validate().into_iter().map(|(field, _)| field).collect();
        for expected in [
            "path",
            "delimiter",
            "date_formats[0]",
            "columns.upstream_id",
            "columns.title",
            "columns.school_form",
            "columns.provider_name",
            "columns.pace",
            "values.school_form",
            "values.school_form.\"folkhögskola\"",
            "defaults.mode",
        ] {
            assert!(fields.iter().any(|f| f == expected), "{expected} missing from {fields:?}");
        }
    }

    #[test]
    fn the_table_reads_the_same_inside_the_tagged_connector_enum() {
        #[derive(Debug, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        enum Connector {
            Csv(Config),
        }
        let text = format!("kind = \"csv\"\ndelimiter = \"\\t\"\n{MINIMAL}");
        let Connector::Csv(config) = toml::from_str::<Connector>(&text).unwrap();
        assert_eq!(config.delimiter, '\t');
        assert_eq!(config.defaults.pace, Some(100));
        assert_eq!(config.columns.get(&Field::Title).map(String::as_str), Some("Namn"));
        assert!(config.validate().is_empty());
        assert!(toml::from_str::<Connector>(&format!("extra = 1\n{text}")).is_err());
    }

    #[test]
    fn a_url_must_be_http() {
        let config = parse(&MINIMAL.replace("path = \"kurser.csv\"", "url = \"kommun.example/x.csv\"")).unwrap();
        assert_eq!(config.validate()[0].0, "url");
        let config =
            parse(&MINIMAL.replace("path = \"kurser.csv\"", "url = \"https://kommun.example/x.csv\"")).unwrap();
        assert!(config.validate().is_empty());
    }
}
