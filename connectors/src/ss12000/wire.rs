//! Serde types for SS 12000 JSON, tolerant of what real APIs send.
//!
//! Pages are read as JSON values first ([`parse_page`]) and each record is decoded on its own
//! ([`decode`]), so one broken record is a rejection and not the loss of its page. Tolerated:
//!
//! - the list under `data` (the standard), under the resource's own name (`organisations`,
//!   as Skolverket's DNP interface has it), or a bare array (the 2020 draft's `Syllabuses`);
//! - `pageToken` absent, `null` or empty on the last page;
//! - `/deletedEntities` listing activities as `activities` or as `activitites` (the misspelling
//!   of the DNP interface);
//! - a reference as an object (`{"id": …, "displayName": …}`) or as the bare id;
//! - a date as `2026-08-17` or as a date-time (`2026-08-17T00:00:00+02:00`, or with a space);
//! - numbers sent as text (`"points": "100"`), text sent as numbers (`"organisationNumber":
//!   2120000142`), and text wrapped in CDATA or HTML (cleaned by the normaliser);
//! - `offeredSyllabus` as one reference (the 2020 draft) or `offeredSyllabuses` as a list;
//! - an expanded activity's syllabus in `_embedded.syllabus`, for APIs without `/syllabuses`;
//! - organisation numbers with the century (`16` + ten digits, as some registers write them).

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use vuxnav_schema::SchoolForm;

/// One list page: its records, undecoded, and the token of the next page.
#[derive(Debug, Clone, Default)]
pub struct RawPage {
    pub records: Vec<Value>,
    /// `None` on the last page.
    pub page_token: Option<String>,
}

/// Reads one list page of `resource` (`organisations`, `syllabuses`, …); the error says why the
/// body is not one, without the URL (the caller adds it).
pub fn parse_page(body: &[u8], resource: &str) -> Result<RawPage, String> {
    let (list, token) = match json(body)? {
        Value::Array(list) => (list, None),
        Value::Object(mut object) => {
            let token = object.remove("pageToken");
            let list = object.remove("data").or_else(|| object.remove(resource));
            match list {
                Some(Value::Array(list)) => (list, token),
                Some(other) => {
                    return Err(format!("not an SS 12000 list page: `data` is {}, not a list", kind_of(&other)));
                }
                None => return Err(format!("not an SS 12000 list page of `{resource}`: it has no `data` list")),
            }
        }
        other => return Err(format!("not an SS 12000 list page: the body is {}", kind_of(&other))),
    };
    Ok(RawPage { records: list, page_token: page_token(token)? })
}

/// Reads one page of `/deletedEntities`: the ids of deleted activities, and the next token.
pub fn parse_deleted(body: &[u8]) -> Result<(Vec<String>, Option<String>), String> {
    let Value::Object(mut object) = json(body)? else {
        return Err("not a `deletedEntities` page: the body is not an object".to_owned());
    };
    let token = page_token(object.remove("pageToken"))?;
    let Some(Value::Object(mut data)) = object.remove("data") else {
        return Err("not a `deletedEntities` page: it has no `data` object".to_owned());
    };
    let mut ids = Vec::new();
    for key in ["activities", "activitites"] {
        match data.remove(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => ids.extend(list.iter().filter_map(|id| match id {
                Value::String(id) => Some(id.trim().to_owned()).filter(|id| !id.is_empty()),
                Value::Object(_) => record_id(id),
                _ => None,
            })),
            Some(other) => {
                return Err(format!("not a `deletedEntities` page: `data.{key}` is {}, not a list", kind_of(&other)));
            }
        }
    }
    Ok((ids, token))
}

fn json(body: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_eof() {
            format!("the body is cut off in the middle of its JSON: {error}")
        } else {
            format!("the body is not JSON: {error}")
        }
    })
}

fn page_token(token: Option<Value>) -> Result<Option<String>, String> {
    match token {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(token)) => Ok(Some(token).filter(|t| !t.trim().is_empty())),
        Some(other) => Err(format!("not an SS 12000 list page: `pageToken` is {}", kind_of(&other))),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Why a record could not be decoded: the field at fault and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub field: String,
    pub reason: String,
}

/// Decodes one record; the error names the field serde stopped at.
pub fn decode<T: DeserializeOwned>(record: &Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(record).map_err(|error| {
        let field = error.path().to_string();
        DecodeError {
            field: if field == "." { "record".to_owned() } else { field },
            reason: error
                .inner()
                .to_string()
                .lines()
                .next()
                .unwrap_or("is unreadable")
                .trim_end_matches('.')
                .to_owned(),
        }
    })
}

/// The `id` of a record, if it has one as text or number.
pub fn record_id(record: &Value) -> Option<String> {
    match record.get("id")? {
        Value::String(id) => Some(id.trim().to_owned()).filter(|id| !id.is_empty()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// A reference to another entity: an object with `id`, or the bare id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub id: String,
    pub display_name: Option<String>,
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Id(Text),
            Object {
                id: Text,
                #[serde(default, rename = "displayName")]
                display_name: Option<Text>,
            },
        }
        match Written::deserialize(deserializer) {
            Ok(Written::Id(id)) => Ok(Self { id: id.0, display_name: None }),
            Ok(Written::Object { id, display_name }) => Ok(Self { id: id.0, display_name: display_name.map(|t| t.0) }),
            Err(_) => Err(serde::de::Error::custom("expected a reference: an object with `id`, or the id")),
        }
    }
}

/// Text that some APIs send as a number (`organisationNumber`, `municipalityCode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(Self(text)),
            Value::Number(number) => Ok(Self(number.to_string())),
            other => Err(serde::de::Error::custom(format!("expected text, found {}", kind_of(&other)))),
        }
    }
}

/// A date written as a date or as a date-time (whose date part is taken as written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let head = text.trim().get(..10).unwrap_or(text.trim());
        NaiveDate::parse_from_str(head, "%Y-%m-%d")
            .map(Self)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date such as `2026-08-17`")))
    }
}

/// A number that some APIs send as text (`"points": "100"`, `"100,0"`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(pub f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(number) => {
                number.as_f64().map(Self).ok_or_else(|| serde::de::Error::custom("expected a number"))
            }
            Value::String(text) => text
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(Self)
                .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a number"))),
            other => Err(serde::de::Error::custom(format!("expected a number, found {}", kind_of(&other)))),
        }
    }
}

/// An Organisation: a huvudman, a school, a school unit, …
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub organisation_type: Option<String>,
    #[serde(default)]
    pub organisation_number: Option<Text>,
    #[serde(default)]
    pub parent_organisation: Option<Reference>,
    #[serde(default)]
    pub school_unit_code: Option<Text>,
    #[serde(default)]
    pub municipality_code: Option<Text>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub phone_number: Option<Text>,
    #[serde(default)]
    pub address: Option<Address>,
}

/// A postal or visiting address, as the full resource set writes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(default)]
    pub street_address: Option<String>,
    #[serde(default)]
    pub postal_code: Option<Text>,
    #[serde(default, alias = "city")]
    pub locality: Option<String>,
}

/// A Syllabus: a Skolverket course (or a local one) in a school type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Syllabus {
    #[serde(default)]
    pub school_type: Option<String>,
    #[serde(default)]
    pub subject_code: Option<String>,
    #[serde(default)]
    pub subject_name: Option<String>,
    #[serde(default)]
    pub course_code: Option<String>,
    #[serde(default)]
    pub course_name: Option<String>,
    #[serde(default)]
    pub points: Option<Number>,
    #[serde(default)]
    pub curriculum: Option<String>,
    #[serde(default)]
    pub official: Option<bool>,
}

/// A SchoolUnitOffering: a school unit offers these syllabuses in a period.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchoolUnitOffering {
    #[serde(default)]
    pub offered_at: Option<Reference>,
    #[serde(default)]
    pub offered_syllabus: Option<Reference>,
    #[serde(default)]
    pub offered_syllabuses: Vec<Reference>,
    #[serde(default)]
    pub start_date: Option<Date>,
    #[serde(default)]
    pub end_date: Option<Date>,
}

impl SchoolUnitOffering {
    /// The syllabuses offered, whichever way they are written.
    pub fn syllabuses(&self) -> impl Iterator<Item = &Reference> {
        self.offered_syllabus.iter().chain(&self.offered_syllabuses)
    }
}

/// An Activity: a course run (kurstillfälle) at a school unit.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub activity_type: Option<String>,
    #[serde(default)]
    pub start_date: Option<Date>,
    #[serde(default)]
    pub end_date: Option<Date>,
    #[serde(default)]
    pub syllabus: Option<Reference>,
    #[serde(default)]
    pub organisation: Option<Reference>,
    #[serde(default)]
    pub comment: Option<String>,
    /// What an expanded activity (`ActivityExpanded`) carries besides its references.
    #[serde(default, rename = "_embedded")]
    pub embedded: Option<Embedded>,
}

/// The `_embedded` objects of an expanded activity.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Embedded {
    /// The whole Syllabus, used when `/syllabuses` does not list it.
    #[serde(default)]
    pub syllabus: Option<Syllabus>,
}

/// What a `schoolType` code of any version of the standard says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolType {
    /// One form of adult education.
    Form(SchoolForm),
    /// Adult education without its level (`VUX`, `KOMVUX`, `SARVUX`): the course tells.
    Generic(&'static str),
    /// A school type outside adult education (`GR`, `GY`, `FS`, …).
    Other(&'static str),
}

/// Reads a `schoolType` code of the DNP set (`VUXGY`, `VUXSARGR`, …), the 2020 draft
/// (`KOMVUX`, `SARVUX`, `SFI`), older exports (`GYVUX`, `GRVUX`, `SARVUXGY`) or the model's own
/// codes (`VUXGRAN`, `VUXGYAN`), ignoring case and space. An unknown code is an error.
pub fn school_type(code: &str) -> Result<SchoolType, String> {
    use SchoolForm::*;
    let upper = code.trim().to_ascii_uppercase();
    let known = match upper.as_str() {
        "VUXGR" | "GRVUX" => SchoolType::Form(VuxGr),
        "VUXGY" | "GYVUX" => SchoolType::Form(VuxGy),
        "VUXSFI" | "SFI" => SchoolType::Form(VuxSfi),
        // Träningsskolenivå is part of anpassad utbildning på grundläggande nivå since 2020.
        "VUXGRAN" | "VUXSARGR" | "SARVUXGR" | "VUXSARTR" => SchoolType::Form(VuxGran),
        "VUXGYAN" | "VUXSARGY" | "SARVUXGY" => SchoolType::Form(VuxGyan),
        "YH" => SchoolType::Form(Yh),
        "FHS" => SchoolType::Form(Fhs),
        "AU" | "AUB" => SchoolType::Form(Aub),
        "STF" => SchoolType::Form(Stf),
        "VUX" => SchoolType::Generic("VUX"),
        "KOMVUX" => SchoolType::Generic("KOMVUX"),
        "SARVUX" => SchoolType::Generic("SARVUX"),
        "FS" | "FSK" | "FKLASS" | "FTH" | "OPPFTH" | "GR" | "GRS" | "TR" | "SP" | "SAM" | "GY" | "GYS" | "KU"
        | "KKU" | "HS" | "ABU" | "SUV" => SchoolType::Other(match upper.as_str() {
            "GR" | "GRS" | "TR" | "SP" | "SAM" => "grundskola",
            "GY" | "GYS" => "gymnasieskola",
            _ => "another school type",
        }),
        _ => {
            return Err(format!(
                "`{}` is not an SS 12000 school type of adult education such as VUXGY, VUXGR, VUXSFI, VUXSARGR or KOMVUX",
                code.trim()
            ));
        }
    };
    Ok(known)
}
