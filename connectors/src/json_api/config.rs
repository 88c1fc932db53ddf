//! The `json_api` kind's configuration: where the API is, how it pages, which headers it
//! needs, where the records are in a page, which JSON pointer holds which canonical field, and
//! how upstream values translate to the model's codes.
//!
//! ```toml
//! [source.connector]
//! kind = "json_api"
//! url = "https://kurser.kommun.example/api/v2/kurstillfallen"
//! records = "/data/items"
//! since_param = "andradEfter"
//!
//! [source.connector.paging]
//! style = "page"
//! page_param = "sida"
//! size_param = "antal"
//! size = 200
//! total_pages = "/meta/antalSidor"
//!
//! [source.connector.headers]
//! Authorization = { env = "KOMMUN_API_TOKEN", prefix = "Bearer " }
//! "Accept-Language" = "sv"
//!
//! [source.connector.fields]
//! upstream_id = "/id"
//! title = "/kurs/namn"
//! school_form = "/kurs/skolform"
//! provider_name = "/anordnare/namn"
//! pace = "/studietakt"
//!
//! [source.connector.values.school_form]
//! "gymnasial vuxenutbildning" = "VUXGY"
//! ```

use std::collections::BTreeMap;

use reqwest::header::{HeaderName, HeaderValue};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::SecretRef;
use crate::mapping::{self, Defaults, Field, Rules};

/// The largest page size or limit that may be asked for.
pub const MAX_PAGE_SIZE: u32 = 10_000;

/// The `[source.connector]` table of a `kind = "json_api"` source.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The `http://` or `https://` address of the list of course occasions (the first page);
    /// it may carry a query of its own (`?status=publicerad`).
    #[schemars(title = "Adress (URL)")]
    pub url: String,
    /// A JSON pointer (RFC 6901) to the array of records in a page, such as `/data/items`.
    /// Default `""`: the page is the array itself.
    #[serde(default)]
    #[schemars(title = "Pekare till posterna")]
    pub records: String,
    /// How the API pages. Default `style = "none"`: one request answers everything.
    #[serde(default)]
    #[schemars(title = "Sidindelning")]
    pub paging: Paging,
    /// The query parameter that asks for only what changed since the last complete run
    /// (sent as RFC 3339 in UTC, `2026-11-01T03:00:00Z`). Default: none, so every run reads
    /// everything.
    #[serde(default)]
    #[schemars(title = "Parameter för ändringar sedan")]
    pub since_param: Option<String>,
    /// Request headers: a name and a literal value (`"Accept-Language" = "sv"`), or a value
    /// read from an environment variable for secrets
    /// (`Authorization = { env = "TOKEN", prefix = "Bearer " }`). `Accept: application/json`
    /// is sent unless an `Accept` is given here.
    #[serde(default)]
    #[schemars(title = "Rubriker (headers)")]
    pub headers: BTreeMap<String, Header>,
    /// Records the upstream marks as deleted, to withdraw instead of reading. Default: none.
    #[serde(default)]
    #[schemars(title = "Borttagna poster")]
    pub deleted: Option<Deleted>,
    /// For each canonical field, a JSON pointer into a record (`/kurs/namn`). `upstream_id`
    /// and `title` are required; so are `school_form`, `provider_name` and `pace` unless their
    /// matching key of `defaults` is set.
    #[serde(default)]
    #[schemars(title = "Fält")]
    #[schemars(schema_with = "mapping::field_map::<String>")]
    pub fields: BTreeMap<Field, String>,
    /// Per canonical field, upstream values and what they mean (compared ignoring case and
    /// surrounding white space; JSON `true` and `false` are the texts `true` and `false`). A
    /// value mapped to `""` is treated as missing.
    #[serde(default)]
    #[schemars(title = "Värden")]
    #[schemars(schema_with = "mapping::field_map::<BTreeMap<String, String>>")]
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
    /// chrono `strftime` formats tried in order for every date field; only the date part of a
    /// local date-time is kept, and an instant with an offset (RFC 3339 always, other forms
    /// with `%z`) is the date it is in Sweden. Default
    /// `["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f%z"]`.
    #[serde(default = "default_date_formats")]
    #[schemars(title = "Datumformat (ett per rad)")]
    pub date_formats: Vec<String>,
    /// Whether decimals sent as text are written with a comma (`"25,0"`). Default `false`.
    /// JSON numbers are read as numbers either way.
    #[serde(default)]
    #[schemars(title = "Decimalkomma")]
    pub decimal_comma: bool,
    /// What a record that does not say is taken to be, and the values the upstream has no
    /// field for: the `[source.connector.defaults]` table ([`Defaults`]). Default: every key at
    /// its own default.
    #[serde(default)]
    #[schemars(title = "Standardvärden")]
    pub defaults: Defaults,
}

/// How the API pages, selected by `style`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(tag = "style", rename_all = "snake_case")]
pub enum Paging {
    /// One request answers everything.
    None(NoPaging),
    /// Numbered pages: `?page=1&size=100`.
    Page(PagePaging),
    /// An offset and a limit: `?offset=200&limit=100`.
    Offset(OffsetPaging),
    /// Each page names the next one, in its body or in an HTTP `Link: <…>; rel="next"` header.
    NextLink(NextLinkPaging),
}

impl Default for Paging {
    fn default() -> Self {
        Self::None(NoPaging {})
    }
}

/// `style = "none"`: no keys of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoPaging {}

/// `style = "page"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PagePaging {
    /// The page number's query parameter. Default `page`.
    #[serde(default = "default_page_param")]
    pub page_param: String,
    /// The page size's query parameter. Default `size`.
    #[serde(default = "default_size_param")]
    pub size_param: String,
    /// The number of the first page. Default `1`; Spring-style APIs start at `0`.
    #[serde(default = "default_first_page")]
    pub first_page: u32,
    /// Records asked for per page, 1 to 10 000. Default 100.
    #[serde(default = "default_size")]
    pub size: u32,
    /// A JSON pointer to the number of pages in a page (`/meta/totalPages`), if the API says.
    #[serde(default)]
    pub total_pages: Option<String>,
    /// A JSON pointer to the number of records in all pages (`/meta/total`), if the API says.
    #[serde(default)]
    pub total_count: Option<String>,
}

/// `style = "offset"`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OffsetPaging {
    /// The offset's query parameter. Default `offset`.
    #[serde(default = "default_offset_param")]
    pub offset_param: String,
    /// The limit's query parameter. Default `limit`.
    #[serde(default = "default_limit_param")]
    pub limit_param: String,
    /// Records asked for per request, 1 to 10 000. Default 100.
    #[serde(default = "default_size")]
    pub limit: u32,
    /// A JSON pointer to the number of records in all pages (`/total`), if the API says.
    #[serde(default)]
    pub total_count: Option<String>,
}

/// `style = "next_link"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextLinkPaging {
    /// A JSON pointer to the next page's URL in a page (`/links/next`); absolute or relative to
    /// the page's own URL. Default: none, so the `Link` header's `rel="next"` is followed.
    #[serde(default)]
    pub next: Option<String>,
}

/// A request header's value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged, expecting = "a header value as text, or a secret as { env = \"VARIABLE\", prefix = \"Bearer \" }")]
pub enum Header {
    /// Written in the config as it is sent.
    Literal(String),
    /// Read from an environment variable when the run starts, never written in the config.
    Secret(SecretHeader),
}

/// `{ env = "VAR", prefix = "Bearer " }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretHeader {
    /// The environment variable that holds the value.
    pub env: SecretRef,
    /// Text sent before the variable's value, such as `Bearer `. Default none.
    #[serde(default)]
    pub prefix: String,
}

/// `deleted = { field = "/status", values = ["raderad"] }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deleted {
    /// A JSON pointer into a record to the value that says it is deleted.
    #[schemars(title = "Fält")]
    pub field: String,
    /// The values that mean deleted (compared ignoring case; JSON `true` is `true`).
    #[schemars(title = "Värden som betyder borttagen")]
    pub values: Vec<String>,
}

fn default_date_formats() -> Vec<String> {
    vec!["%Y-%m-%d".to_owned(), "%Y-%m-%dT%H:%M:%S%.f".to_owned(), "%Y-%m-%dT%H:%M:%S%.f%z".to_owned()]
}

fn default_page_param() -> String {
    "page".to_owned()
}

fn default_size_param() -> String {
    "size".to_owned()
}

fn default_first_page() -> u32 {
    1
}

fn default_size() -> u32 {
    100
}

fn default_offset_param() -> String {
    "offset".to_owned()
}

fn default_limit_param() -> String {
    "limit".to_owned()
}

/// The problem with a JSON pointer, if any. `whole` allows `""` (the whole document).
fn pointer_problem(pointer: &str, whole: bool) -> Option<String> {
    if pointer.is_empty() {
        return (!whole).then(|| "is empty: give a JSON pointer such as `/kurs/namn`".to_owned());
    }
    if !pointer.starts_with('/') {
        // `kurs.namn` and `kurs/namn` both mean `/kurs/namn`.
        let suggestion = pointer.replace('.', "/");
        return Some(format!("`{pointer}` is not a JSON pointer: it starts with `/`, such as `/{suggestion}`"));
    }
    let bad_escape = pointer.split('~').skip(1).any(|rest| !rest.starts_with(['0', '1']));
    bad_escape.then(|| format!("`{pointer}` has a `~` that is not `~0` or `~1`"))
}

fn is_http_url(value: &str) -> bool {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|host| !host.is_empty() && !host.starts_with('/') && !host.contains(char::is_whitespace))
}

impl Config {
    /// Every problem of this configuration at once, as (field, problem); empty when it is
    /// fine. Field names are those of the `[source.connector]` table (`fields.title`).
    pub fn validate(&self) -> Vec<(String, String)> {
        self.prepare().err().unwrap_or_default()
    }

    /// The mapping part of this config.
    pub(crate) fn rules(&self) -> Rules<'_> {
        Rules {
            section: "fields",
            noun: "JSON pointer",
            fields: &self.fields,
            values: &self.values,
            date_formats: &self.date_formats,
            decimal_comma: self.decimal_comma,
            defaults: &self.defaults,
        }
    }

    pub(crate) fn prepare(&self) -> Result<mapping::Prepared, Vec<(String, String)>> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut problem = |field: &str, text: String| problems.push((field.to_owned(), text));

        let url = self.url.trim();
        if !is_http_url(url) {
            problem("url", format!("`{url}` is not an http:// or https:// address"));
        } else if reqwest::Url::parse(url).is_err() {
            problem("url", format!("`{url}` is not a URL"));
        }
        if let Some(text) = pointer_problem(&self.records, true) {
            problem("records", text);
        }

        let param = |name: &str| !name.trim().is_empty() && !name.contains(['&', '=', '#', '?']);
        let mut params: Vec<(&str, &str)> = Vec::new();
        match &self.paging {
            Paging::None(_) => {}
            Paging::Page(page) => {
                params
                    .extend([("paging.page_param", page.page_param.as_str()), ("paging.size_param", &page.size_param)]);
                if !(1..=MAX_PAGE_SIZE).contains(&page.size) {
                    problem("paging.size", format!("{} is not a page size: it is 1 to {MAX_PAGE_SIZE}", page.size));
                }
                for (key, pointer) in
                    [("paging.total_pages", &page.total_pages), ("paging.total_count", &page.total_count)]
                {
                    if let Some(text) = pointer.as_deref().and_then(|p| pointer_problem(p, false)) {
                        problem(key, text);
                    }
                }
            }
            Paging::Offset(offset) => {
                params.extend([
                    ("paging.offset_param", offset.offset_param.as_str()),
                    ("paging.limit_param", &offset.limit_param),
                ]);
                if !(1..=MAX_PAGE_SIZE).contains(&offset.limit) {
                    problem("paging.limit", format!("{} is not a limit: it is 1 to {MAX_PAGE_SIZE}", offset.limit));
                }
                if let Some(text) = offset.total_count.as_deref().and_then(|p| pointer_problem(p, false)) {
                    problem("paging.total_count", text);
                }
            }
            Paging::NextLink(link) => {
                if let Some(text) = link.next.as_deref().and_then(|p| pointer_problem(p, false)) {
                    problem("paging.next", text);
                }
            }
        }
        if let Some(since) = &self.since_param {
            params.push(("since_param", since));
        }
        for (i, (key, name)) in params.iter().enumerate() {
            if !param(name) {
                problem(key, format!("`{name}` is not a query parameter name"));
            } else if params[..i].iter().any(|(_, earlier)| earlier == name) {
                problem(key, format!("`{name}` is also used for another parameter"));
            }
        }

        for (name, value) in &self.headers {
            let key = format!("headers.\"{name}\"");
            if HeaderName::from_bytes(name.as_bytes()).is_err() {
                problem(&key, format!("`{name}` is not an HTTP header name"));
                continue;
            }
            match value {
                Header::Literal(text) if name.eq_ignore_ascii_case("authorization") && !text.trim().is_empty() => {
                    problem(
                        &key,
                        "holds a credential written in the config: give it as { env = \"VARIABLE\", prefix = \"Bearer \" }"
                            .to_owned(),
                    );
                }
                Header::Literal(text) if HeaderValue::from_str(text).is_err() => {
                    problem(&key, "is not a valid header value".to_owned());
                }
                Header::Literal(_) => {}
                Header::Secret(secret) => {
                    if let Some(text) = secret.env.validate() {
                        problem(&format!("{key}.env"), text);
                    }
                    if HeaderValue::from_str(&secret.prefix).is_err() {
                        problem(&format!("{key}.prefix"), "is not a valid header value".to_owned());
                    }
                }
            }
        }

        if let Some(deleted) = &self.deleted {
            if let Some(text) = pointer_problem(&deleted.field, false) {
                problem("deleted.field", text);
            }
            if deleted.values.iter().all(|value| value.trim().is_empty()) {
                problem(
                    "deleted.values",
                    "is empty: list the values that mean deleted, such as \"raderad\"".to_owned(),
                );
            }
        }

        for (field, pointer) in &self.fields {
            if let Some(text) = pointer_problem(pointer, false) {
                problem(&format!("fields.{field}"), text);
            }
        }

        let mapping = self.rules().prepare();
        match mapping {
            Ok(prepared) if problems.is_empty() => Ok(prepared),
            Ok(_) => Err(problems),
            Err(more) => {
                problems.extend(more);
                Err(problems)
            }
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
        url = "https://kurser.kommun.example/api/kurstillfallen"
        [defaults]
        pace = 100
        [fields]
        upstream_id = "/id"
        title = "/namn"
        school_form = "/skolform"
        provider_name = "/anordnare/namn"
    "#;

    #[test]
    fn a_minimal_config_has_the_documented_defaults_and_no_problems() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.validate(), Vec::<(String, String)>::new());
        assert_eq!(config.records, "");
        assert_eq!(config.paging, Paging::None(NoPaging {}));
        assert_eq!(config.since_param, None);
        assert!(config.headers.is_empty());
        assert_eq!(config.deleted, None);
        assert_eq!(config.date_formats, ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f%z"]);
        assert!(!config.decimal_comma);
        assert_eq!(config.defaults.mode, None, "unknown unless configured");
        assert_eq!(config.defaults.language, None);
        assert_eq!(config.defaults.eligibility, "region");
    }

    #[test]
    fn each_paging_style_has_its_documented_defaults() {
        let page = parse(&format!("{MINIMAL}\n[paging]\nstyle = \"page\"\n")).unwrap();
        assert_eq!(
            page.paging,
            Paging::Page(PagePaging {
                page_param: "page".into(),
                size_param: "size".into(),
                first_page: 1,
                size: 100,
                total_pages: None,
                total_count: None,
            })
        );
        let offset = parse(&format!("{MINIMAL}\n[paging]\nstyle = \"offset\"\n")).unwrap();
        assert_eq!(
            offset.paging,
            Paging::Offset(OffsetPaging {
                offset_param: "offset".into(),
                limit_param: "limit".into(),
                limit: 100,
                total_count: None
            })
        );
        let link = parse(&format!("{MINIMAL}\n[paging]\nstyle = \"next_link\"\n")).unwrap();
        assert_eq!(link.paging, Paging::NextLink(NextLinkPaging { next: None }));
        for config in [page, offset, link] {
            assert!(config.validate().is_empty(), "{:?}", config.validate());
        }
    }

    #[test]
    fn headers_are_literal_or_read_from_an_environment_variable() {
        let config = parse(&format!(
            "{MINIMAL}\n[headers]\n\"Accept-Language\" = \"sv\"\nAuthorization = {{ env = \"TABY_TOKEN\", prefix = \"Bearer \" }}\n\"X-Api-Key\" = {{ env = \"TABY_KEY\" }}\n"
        ))
        .unwrap();
        assert_eq!(config.headers["Accept-Language"], Header::Literal("sv".into()));
        assert_eq!(
            config.headers["Authorization"],
            Header::Secret(SecretHeader { env: SecretRef { env: "TABY_TOKEN".into() }, prefix: "Bearer ".into() })
        );
        assert_eq!(
            config.headers["X-Api-Key"],
            Header::Secret(SecretHeader { env: SecretRef { env: "TABY_KEY".into() }, prefix: String::new() })
        );
        assert!(config.validate().is_empty(), "{:?}", config.validate());
    }

    #[test]
    fn unknown_keys_are_rejected_at_every_level() {
        assert!(parse(&format!("{MINIMAL}\n[paging]\nstyle = \"none\"\nsize = 10\n")).is_err());
        assert!(parse(&format!("colour = \"blue\"\n{MINIMAL}")).is_err());
        assert!(parse(&MINIMAL.replace("title = ", "titel = ")).is_err());
        assert!(parse(&format!("{MINIMAL}\n[paging]\nstyle = \"page\"\npage_size = 10\n")).is_err());
        assert!(parse(&format!("{MINIMAL}\n[paging]\nstyle = \"cursor\"\n")).is_err());
        assert!(parse(&format!("{MINIMAL}\n[headers]\nX = {{ env = \"A\", suffix = \"b\" }}\n")).is_err());
        assert!(parse(&format!("{MINIMAL}\n[deleted]\nfield = \"/s\"\nvalues = [\"x\"]\nwhen = 1\n")).is_err());
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_field() {
        let config = parse(
            r#"
            url = "ftp://kommun.example/kurser"
            records = "data/items"
            since_param = "page"
            date_formats = ["%Y-%m-%d %Q"]
            [defaults]
            mode = "månen"
            [paging]
            style = "page"
            size = 0
            total_pages = "meta.totalPages"
            [headers]
            Authorization = "Bearer hemligt"
            "Bad Header" = "x"
            "X-Key" = { env = "1BAD" }
            [deleted]
            field = ""
            values = []
            [fields]
            upstream_id = "id"
            [values.school_form]
            "folkhögskola" = "FOLK"
            "#,
        )
        .unwrap();
        let problems = config.validate();
        let fields: Vec<&str> = problems.iter().map(|(field, _)| field.as_str()).collect();
        for expected in [
            "url",
            "records",
            "paging.size",
            "paging.total_pages",
            "since_param",
            "headers.\"Authorization\"",
            "headers.\"Bad Header\"",
            "headers.\"X-Key\".env",
            "deleted.field",
            "deleted.values",
            "fields.upstream_id",
            "fields.title",
            "fields.school_form",
            "fields.provider_name",
            "fields.pace",
            "date_formats[0]",
            "values.school_form",
            "values.school_form.\"folkhögskola\"",
            "defaults.mode",
        ] {
            assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
        }
        let text = format!("{problems:?}");
        assert!(!text.contains("hemligt"), "a problem never repeats a credential: {text}");
        let total_pages = problems.iter().find(|(field, _)| field == "paging.total_pages").map(|(_, text)| text);
        assert!(total_pages.is_some_and(|text| text.contains("`/meta/totalPages`")), "{total_pages:?}");
    }

    #[test]
    fn the_table_reads_the_same_inside_the_tagged_connector_enum() {
        #[derive(Debug, Deserialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        enum Connector {
            JsonApi(Config),
        }
        let text =
            format!("kind = \"json_api\"\nrecords = \"/data\"\n{MINIMAL}\n[paging]\nstyle = \"offset\"\nlimit = 50\n");
        let Connector::JsonApi(config) = toml::from_str::<Connector>(&text).unwrap();
        assert_eq!(config.records, "/data");
        assert!(matches!(config.paging, Paging::Offset(OffsetPaging { limit: 50, .. })));
        assert!(config.validate().is_empty());
        assert!(toml::from_str::<Connector>(&format!("extra = 1\n{text}")).is_err());
    }
}
