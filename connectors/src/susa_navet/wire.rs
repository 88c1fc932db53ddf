//! Serde types for Susa-navet's EMIL 3 JSON, as the upstream sends it.
//!
//! Tolerant on purpose: unknown fields are ignored (Skolverket adds fields between versions),
//! every field is optional (the spec's `required` lists are not reliable), `null` reads as
//! absent, codes arrive as `{type, code}` objects or as bare values, numbers that are really
//! codes (`areaCode`, `postalCode`, `organisationNumber`) arrive as strings or numbers, and
//! local date-times without a zone are Swedish local time.
//!
//! A list page is read with its records left as JSON values ([`RawRecord`]); each record is then
//! decoded on its own with [`decode`], so one broken record becomes a rejection naming its field
//! instead of losing the page.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::Europe::Stockholm;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

/// A list page: `{links[], educationEvents[] | educationInfos[] | educationProviders[], page}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPage<T> {
    #[serde(default, deserialize_with = "nullable")]
    pub links: Vec<Link>,
    /// The page's records; the key names the resource and must be there.
    #[serde(alias = "educationEvents", alias = "educationInfos", alias = "educationProviders")]
    pub records: Vec<Record<T>>,
    pub page: Option<PageInfo>,
}

/// A list page with its records not yet decoded.
pub type RawPage = ListPage<serde_json::Value>;

/// A record not yet decoded.
pub type RawRecord = Record<serde_json::Value>;

/// Paging metadata. Note `pageNumber` (0-based), not `number`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub size: Option<u64>,
    pub total_elements: Option<u64>,
    pub total_pages: Option<u64>,
    pub page_number: Option<u64>,
}

/// A `{rel, href}` link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Link {
    pub rel: Option<String>,
    pub href: Option<String>,
}

/// The wrapper of every record: `{id, status, content}`. `content` is `null` for rows whose
/// status is not `ACTIVE` (deleted records in an `updatedSince` run).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Record<T> {
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    pub status: Option<String>,
    pub content: Option<T>,
}

impl<T> Record<T> {
    /// Whether the upstream says the record is live. A row without a status counts as active.
    pub fn is_active(&self) -> bool {
        self.status.as_deref().is_none_or(|status| status.trim().eq_ignore_ascii_case("ACTIVE"))
    }
}

/// Why a record could not be decoded: the upstream field path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The field as the upstream names it, such as `execution.start` or `locations[0].areaCode`.
    pub field: String,
    pub reason: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Decodes one record's content, naming the field at fault when it fails.
pub fn decode<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let reason = error.inner().to_string();
        // serde reports a missing field at the level of its parent; name the field itself.
        let missing = reason.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`'));
        let field = match (path.as_str(), missing) {
            (".", Some(name)) => name.to_owned(),
            (_, Some(name)) => format!("{path}.{name}"),
            (".", None) => "content".to_owned(),
            _ => path,
        };
        DecodeError { field, reason }
    })
}

/// An EMIL 3 error body: `{timestamp, status, type, message}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApiError {
    pub timestamp: Option<String>,
    pub status: Option<u16>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub message: Option<String>,
}

/// A code or number that some producers send as a string and others as a JSON number
/// (`"0126"` and `126`); kept as the text it was sent as.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scalar(pub String);

impl Scalar {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Scalar, E> {
                Ok(Scalar(value.to_owned()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Scalar, E> {
                Ok(Scalar(value.to_string()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Scalar, E> {
                Ok(Scalar(value.to_string()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Scalar, E> {
                if value.fract() == 0.0 && value.abs() < 1e15 {
                    Ok(Scalar(format!("{value:.0}")))
                } else {
                    Ok(Scalar(value.to_string()))
                }
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A code object `{type: "C_…", code: "…"}`; a bare string or number is read as its code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(from = "CodeRepr")]
pub struct Code {
    /// The code list, such as `C_SchoolType`.
    pub kind: Option<String>,
    pub code: Option<String>,
}

impl Code {
    /// The code, trimmed, when it is not empty.
    pub fn value(&self) -> Option<&str> {
        self.code.as_deref().map(str::trim).filter(|code| !code.is_empty())
    }

    /// Whether the code list is `kind`, ignoring case.
    pub fn is(&self, kind: &str) -> bool {
        self.kind.as_deref().is_some_and(|k| k.trim().eq_ignore_ascii_case(kind))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CodeRepr {
    Object {
        #[serde(rename = "type")]
        kind: Option<String>,
        code: Option<Scalar>,
    },
    Bare(Scalar),
}

impl From<CodeRepr> for Code {
    fn from(repr: CodeRepr) -> Self {
        match repr {
            CodeRepr::Object { kind, code } => Code { kind, code: code.map(|c| c.0) },
            CodeRepr::Bare(code) => Code { kind: None, code: Some(code.0) },
        }
    }
}

/// Text in several languages: `{strings: [{lang, value, content}]}`, where `content: "HTML"`
/// marks HTML in `value`. The legacy EMIL 2 rendering (`string: [{lang, content}]`, text in
/// `content`) is read too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LangString {
    #[serde(default, alias = "string", deserialize_with = "nullable")]
    pub strings: Vec<LangStringNode>,
}

/// One language's text of a [`LangString`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LangStringNode {
    /// ISO 639-2, such as `swe` or `eng`.
    pub lang: Option<String>,
    pub value: Option<String>,
    /// `HTML` when `value` is HTML (EMIL 3.0.4 and later); the text itself in EMIL 2.
    pub content: Option<String>,
}

impl LangStringNode {
    /// The text and whether it is marked as HTML.
    pub fn text(&self) -> Option<(&str, bool)> {
        let html = self.content.as_deref().is_some_and(|c| c.trim().eq_ignore_ascii_case("HTML"));
        match (&self.value, &self.content) {
            (Some(value), _) if !value.trim().is_empty() => Some((value, html)),
            // EMIL 2 put the text in `content`.
            (None, Some(content)) if !html && !content.trim().is_empty() => Some((content, false)),
            _ => None,
        }
    }
}

impl LangString {
    /// The Swedish text if there is one, else the first text in any language, with its HTML flag.
    pub fn preferred(&self) -> Option<(&str, bool)> {
        let swedish = |node: &&LangStringNode| {
            node.lang
                .as_deref()
                .is_some_and(|lang| matches!(lang.trim().to_ascii_lowercase().as_str(), "swe" | "sv" | "sve"))
        };
        self.strings
            .iter()
            .filter(swedish)
            .find_map(LangStringNode::text)
            .or_else(|| self.strings.iter().find_map(LangStringNode::text))
    }
}

/// URLs in several languages: `{urls: [{lang, value}]}`. Values may lack their scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LangUrl {
    #[serde(default, alias = "url", deserialize_with = "nullable")]
    pub urls: Vec<UrlNode>,
}

/// One language's URL of a [`LangUrl`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct UrlNode {
    pub lang: Option<String>,
    #[serde(alias = "content")]
    pub value: Option<String>,
}

impl LangUrl {
    /// The Swedish URL if there is one, else the first, as sent (scheme possibly missing).
    pub fn preferred(&self) -> Option<&str> {
        fn non_empty(node: &UrlNode) -> Option<&str> {
            node.value.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        self.urls
            .iter()
            .filter(|node| node.lang.as_deref().is_some_and(|lang| lang.trim().eq_ignore_ascii_case("swe")))
            .find_map(non_empty)
            .or_else(|| self.urls.iter().find_map(non_empty))
    }
}

/// An address. `areaCode` is the kommunkod, sent as `"0126"` or, by some producers, `126`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub country: Option<String>,
    pub area_code: Option<Scalar>,
    pub town: Option<String>,
    pub postal_code: Option<Scalar>,
    pub post_box: Option<String>,
    pub street_address: Option<String>,
    pub organization: Option<LangString>,
    pub department: Option<LangString>,
    /// WGS 84 position; a string in the spec (`"59.2203,17.9405"`), read as whatever arrives.
    pub wgs84: Option<serde_json::Value>,
    pub sweref99: Option<serde_json::Value>,
    pub study_location: Option<LangString>,
}

/// An education event (utbildningstillfälle): one occasion of a course.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EducationEvent {
    pub identifier: Option<String>,
    /// The id of the [`EducationInfo`] (`i.…`).
    pub education: Option<String>,
    /// Provider ids (`p.…`).
    #[serde(default, deserialize_with = "nullable")]
    pub providers: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub examining_bodies: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub orderers: Vec<String>,
    pub last_edited: Option<LocalDateTime>,
    pub expires: Option<LocalDateTime>,
    pub title: Option<LangString>,
    pub description: Option<LangString>,
    pub url: Option<LangUrl>,
    #[serde(default, deserialize_with = "nullable")]
    pub locations: Vec<Address>,
    #[serde(default, deserialize_with = "nullable")]
    pub language_of_instructions: Vec<String>,
    pub execution: Option<Execution>,
    pub is_cancelled: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub fees: Vec<Fee>,
    pub places: Option<i64>,
    pub time_of_study: Option<Code>,
    pub pace_of_study: Option<PaceOfStudy>,
    pub is_apprenticeship: Option<bool>,
    /// Present means distance education.
    pub distance: Option<Distance>,
    pub application: Option<Application>,
    pub keywords: Option<Keywords>,
    #[serde(default, deserialize_with = "nullable")]
    pub extensions: Vec<EventExtension>,
}

/// `{condition: C_ExecutionCondition, start, end}`. Condition `2`: the student sets start and
/// end (continuous intake).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Execution {
    pub condition: Option<Code>,
    pub start: Option<LocalDate>,
    pub end: Option<LocalDate>,
}

/// A fee.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fee {
    pub total_amount: Option<f64>,
    pub currency: Option<String>,
    pub first_installment: Option<f64>,
    pub condition: Option<LangString>,
}

/// The study pace in percent of full time.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PaceOfStudy {
    pub percentage: Option<f64>,
    pub individual: Option<bool>,
    pub note: Option<LangString>,
}

/// Distance education: the number of sessions on site and remote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Distance {
    pub no_of_mandatory_sessions: Option<i64>,
    pub no_of_optional_sessions: Option<i64>,
    pub no_of_mandatory_remote_sessions: Option<i64>,
    pub no_of_optional_remote_sessions: Option<i64>,
    pub description: Option<LangString>,
}

/// When and how to apply.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Application {
    pub code: Option<Scalar>,
    pub instruction: Option<LangString>,
    pub url: Option<LangUrl>,
    pub first: Option<LocalDate>,
    pub last: Option<LocalDate>,
    pub email: Option<String>,
    pub address: Option<Address>,
    pub continuous: Option<bool>,
}

/// Keywords: a list of LangStrings per the spec, a single LangString in practice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Keywords {
    Many(Vec<LangString>),
    One(LangString),
}

/// An event extension, discriminated by `type`. Only the komvux one is read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type")]
pub enum EventExtension {
    #[serde(rename = "KVEventExtension")]
    Komvux(KvEventExtension),
    /// `UHEventExtension` and whatever comes next.
    #[serde(other)]
    Other,
}

/// The komvux extension of an event: `contractor` names the entreprenör running it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct KvEventExtension {
    pub id: Option<Scalar>,
    pub contractor: Option<Contractor>,
}

/// A contractor's name, as text or, from some producers, as a LangString.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Contractor {
    Text(String),
    Lang(LangString),
}

/// An education (utbildning): what the course is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EducationInfo {
    pub identifier: Option<String>,
    pub education_base: Option<String>,
    /// The provider's course code; for komvux the Skolverket code, such as `MATMAT01c`.
    pub code: Option<Scalar>,
    pub last_edited: Option<LocalDateTime>,
    pub expires: Option<LocalDateTime>,
    pub title: Option<LangString>,
    pub description: Option<LangString>,
    pub url: Option<LangUrl>,
    /// `C_SchoolType`, such as `VUXGY`.
    #[serde(rename = "type")]
    pub school_type: Option<Code>,
    #[serde(default, deserialize_with = "nullable")]
    pub education_levels: Vec<Code>,
    pub orientation: Option<Code>,
    pub audience: Option<Code>,
    /// `kurs`, `kurspaket` or `program`.
    pub configuration: Option<Code>,
    #[serde(default, deserialize_with = "nullable")]
    pub subjects: Vec<Code>,
    pub is_vocational: Option<bool>,
    pub result_is_degree: Option<bool>,
    pub degrees: Option<LangString>,
    pub qualification_level: Option<Code>,
    pub credits: Option<CreditsWire>,
    pub extent: Option<Extent>,
    pub eligibility: Option<LangString>,
    pub recommended_prior_knowledge: Option<LangString>,
    pub eligible_for_student_aid: Option<Code>,
}

/// `{system: C_Credits, credits, min}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CreditsWire {
    pub system: Option<Code>,
    pub credits: Option<f64>,
    pub min: Option<f64>,
}

/// `{length, max, unit: C_TimeType, note}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Extent {
    pub length: Option<i64>,
    pub max: Option<i64>,
    pub unit: Option<Code>,
    pub note: Option<LangString>,
}

/// An education provider (utbildningsanordnare).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EducationProvider {
    pub identifier: Option<String>,
    pub last_edited: Option<LocalDateTime>,
    pub expires: Option<LocalDateTime>,
    pub name: Option<LangString>,
    pub description: Option<LangString>,
    pub owner: Option<LangString>,
    pub url: Option<LangUrl>,
    #[serde(default, deserialize_with = "nullable")]
    pub visit_addresses: Vec<Address>,
    pub contact_address: Option<Address>,
    /// May be a named person's address: personal data, never copied into the model.
    #[serde(default, alias = "emailAddress", deserialize_with = "nullable")]
    pub email_addresses: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub phones: Vec<Phone>,
    pub responsible_body: Option<ResponsibleBody>,
    #[serde(default, deserialize_with = "nullable")]
    pub years: Vec<Code>,
    /// Ten digits; the join key to Skolenhetsregistret.
    pub organisation_number: Option<Scalar>,
}

/// `{number: LangString, function: LangString}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Phone {
    pub number: Option<LangString>,
    pub function: Option<LangString>,
}

/// The huvudman: `{type: C_Body, name}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ResponsibleBody {
    #[serde(rename = "type")]
    pub kind: Option<Code>,
    pub name: Option<LangString>,
}

/// A date (`2026-08-17`). A date-time is accepted and its date kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDate(pub NaiveDate);

impl<'de> Deserialize<'de> for LocalDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let trimmed = text.trim();
        let date_part = trimmed.get(..10).unwrap_or(trimmed);
        let rest = trimmed.get(10..).unwrap_or("");
        if (rest.is_empty() || rest.starts_with(['T', ' ']))
            && let Ok(date) = NaiveDate::parse_from_str(date_part, "%Y-%m-%d")
        {
            return Ok(Self(date));
        }
        Err(de::Error::custom(format!("`{text}` is not a date such as `2026-08-17`")))
    }
}

/// A local date-time without a zone (`2026-05-04T06:12:00`), which EMIL 3 means as Swedish
/// time, held as the instant in UTC. A time with an offset or `Z` is taken as it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_local_date_time(&text)
            .map(Self)
            .ok_or_else(|| de::Error::custom(format!("`{text}` is not a date-time such as `2026-05-04T06:12:00`")))
    }
}

/// Parses an EMIL 3 `date-time-local`: a zone-less time is Europe/Stockholm local time.
pub fn parse_local_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.with_timezone(&Utc));
    }
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))?;
    Some(stockholm_to_utc(naive))
}

/// A Swedish wall-clock time as an instant. In the autumn hour that happens twice the first is
/// taken; a time in the spring hour that does not exist is read as one hour later.
pub fn stockholm_to_utc(naive: NaiveDateTime) -> DateTime<Utc> {
    let local = Stockholm
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| Stockholm.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest());
    // Every wall-clock time is at most one hour from an existing one, so this is never `None`.
    local.map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

/// The `updatedSince` parameter for an incremental run: the instant as a local date-time in
/// Swedish time, without a zone, as the API expects it.
pub fn updated_since_param(since: DateTime<Utc>) -> String {
    since.with_timezone(&Stockholm).format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Reads `null` as the type's default, so `"providers": null` is an empty list.
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_zoneless_time_is_swedish_time_in_summer_and_winter() {
        let summer = parse_local_date_time("2026-05-04T06:12:00").unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-05-04T04:12:00+00:00");
        let winter = parse_local_date_time("2026-01-15T06:12:00").unwrap();
        assert_eq!(winter.to_rfc3339(), "2026-01-15T05:12:00+00:00");
        assert_eq!(parse_local_date_time("2026-01-15T06:12:00Z").unwrap().to_rfc3339(), "2026-01-15T06:12:00+00:00");
    }

    #[test]
    fn daylight_saving_gaps_and_overlaps_are_resolved() {
        // 02:30 on the last Sunday of March does not exist in Stockholm.
        let gap = parse_local_date_time("2026-03-29T02:30:00").unwrap();
        assert_eq!(gap.to_rfc3339(), "2026-03-29T01:30:00+00:00");
        // 02:30 on the last Sunday of October happens twice; the first is taken.
        let overlap = parse_local_date_time("2026-10-25T02:30:00").unwrap();
        assert_eq!(overlap.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn updated_since_is_sent_as_swedish_local_time() {
        let since: DateTime<Utc> = "2026-11-01T03:00:00Z".parse().unwrap();
        assert_eq!(updated_since_param(since), "2026-11-01T04:00:00");
    }

    #[test]
    fn an_area_code_arrives_as_a_string_or_a_number() {
        let a: Address = decode(&json!({"areaCode": "0126"})).unwrap();
        let b: Address = decode(&json!({"areaCode": 126})).unwrap();
        assert_eq!(a.area_code.unwrap().as_str(), "0126");
        assert_eq!(b.area_code.unwrap().as_str(), "126");
    }

    #[test]
    fn a_broken_field_is_named_by_its_path() {
        let error = decode::<EducationEvent>(&json!({"execution": {"start": "17/8 2026"}})).unwrap_err();
        assert_eq!(error.field, "execution.start");
        let error = decode::<EducationEvent>(&json!({"places": "thirty"})).unwrap_err();
        assert_eq!(error.field, "places");
        let error = decode::<EducationEvent>(&json!({"locations": [{}, {"areaCode": [1]}]})).unwrap_err();
        assert_eq!(error.field, "locations[1].areaCode");
    }

    #[test]
    fn codes_keywords_and_extensions_are_read_in_every_shape() {
        let event: EducationEvent = decode(&json!({
            "timeOfStudy": "dag",
            "execution": {"condition": {"type": "C_ExecutionCondition", "code": 2}},
            "keywords": {"strings": [{"lang": "swe", "value": "matte"}]},
            "extensions": [
                {"type": "UHEventExtension", "id": "1", "startPeriod": {}},
                {"type": "KVEventExtension", "id": "0", "contractor": "Exempel AB"}
            ],
            "providers": null,
            "someFutureField": {"x": 1}
        }))
        .unwrap();
        assert_eq!(event.time_of_study.unwrap().value(), Some("dag"));
        assert_eq!(event.execution.unwrap().condition.unwrap().value(), Some("2"));
        assert!(matches!(event.keywords, Some(Keywords::One(_))));
        assert_eq!(event.extensions[0], EventExtension::Other);
        assert!(
            matches!(&event.extensions[1], EventExtension::Komvux(kv) if kv.contractor == Some(Contractor::Text("Exempel AB".into())))
        );
        assert!(event.providers.is_empty());
    }

    #[test]
    fn swedish_text_is_preferred() {
        let text: LangString = decode(&json!({"strings": [
            {"lang": "eng", "value": "Mathematics"},
            {"lang": "swe", "value": "<p>Matematik</p>", "content": "HTML"}
        ]}))
        .unwrap();
        assert_eq!(text.preferred(), Some(("<p>Matematik</p>", true)));
        let english: LangString = decode(&json!({"strings": [{"lang": "eng", "value": "Maths"}]})).unwrap();
        assert_eq!(english.preferred(), Some(("Maths", false)));
    }

    #[test]
    fn a_list_page_needs_its_records_key() {
        let page: RawPage = serde_json::from_value(json!({
            "links": [], "educationEvents": [{"id": "e.1", "status": "DELETED", "content": null}],
            "page": {"size": 1, "totalElements": 1, "totalPages": 1, "pageNumber": 0}
        }))
        .unwrap();
        assert!(!page.records[0].is_active());
        assert!(page.records[0].content.is_none());
        assert_eq!(page.page.unwrap().page_number, Some(0));
        assert!(serde_json::from_value::<RawPage>(json!({"links": [], "content": []})).is_err());
    }
}
