//! Serde types for the Planned Educations API v4's `/v4/adult-education-events`, as the
//! upstream sends it.
//!
//! The envelope is `{status, message, body}`; `body` is a HAL page
//! `{_embedded: {listedAdultEducationEvents: [...]}, _links, page: {size, totalElements,
//! totalPages, number}}`. Like every Spring HAL list, a page with no records has no `_embedded`
//! at all. `status` is `"OK"` or, from some deployments, `"200 OK"`.
//!
//! Tolerant on purpose: unknown fields are ignored, every field is optional, `null` reads as
//! absent, numbers that are really codes or amounts (`geographicalAreaCode`, `credits`,
//! `paceOfStudy`, `executionCondition`) arrive as strings or numbers and are kept as text, and
//! dates are kept as text for the pure half to read (their formats are mixed). A page is read
//! with its records left as JSON values; each record is then decoded on its own with
//! [`decode`], so one broken record becomes a rejection naming its field instead of losing
//! the page.

use serde::{Deserialize, Deserializer};

pub use crate::susa_navet::wire::{DecodeError, Scalar, decode};

/// The response envelope: `{status, message, body}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    pub status: Option<String>,
    pub message: Option<String>,
    /// The HAL page; missing in an error envelope.
    pub body: Option<Body>,
}

impl Envelope {
    /// Whether `status` says the request succeeded: `OK`, `200 OK` or absent.
    pub fn is_ok(&self) -> bool {
        self.status.as_deref().is_none_or(|status| {
            let status = status.trim();
            status.eq_ignore_ascii_case("OK") || status.starts_with("200")
        })
    }
}

/// One HAL page of events.
#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    /// Absent on a page without records.
    #[serde(rename = "_embedded")]
    pub embedded: Option<Embedded>,
    pub page: Option<PageInfo>,
}

/// `_embedded`: the page's records.
#[derive(Debug, Clone, Deserialize)]
pub struct Embedded {
    /// The records, not yet decoded. `None` when `_embedded` names its list otherwise.
    #[serde(rename = "listedAdultEducationEvents")]
    pub events: Option<Vec<serde_json::Value>>,
}

/// Paging metadata. Note `number` (0-based), not `pageNumber` as in Susa-navet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    #[serde(default, deserialize_with = "count")]
    pub size: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub total_elements: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub total_pages: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub number: Option<u64>,
}

/// A count sent as a number or as text; anything else is no count.
fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let value = Option::<Scalar>::deserialize(deserializer)?;
    Ok(value.and_then(|v| v.as_str().trim().parse().ok()))
}

/// One listed adult-education event (`listedAdultEducationEvents[]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdultEducationEvent {
    /// The event's id, the same as in Susa-navet (`e.IST.516052VUXFLEXMAT001A`).
    pub education_event_id: Option<String>,
    /// The title, often wrapped in CDATA (`<![CDATA[Matematik 1a]]>`).
    #[serde(alias = "title")]
    pub title_sv: Option<String>,
    /// A course code, when a record carries one: the specification has no such field.
    #[serde(alias = "courseCode", alias = "code")]
    pub course_code: Option<String>,
    /// The provider's name (`Klippans kommun`); the API has no provider id.
    pub provider_name: Option<String>,
    /// The entreprenör or unit running the event.
    pub contractor: Option<String>,
    /// The kommunkod of the event (`1276`), a string or a number.
    pub geographical_area_code: Option<Scalar>,
    /// The municipality's name.
    pub municipality: Option<String>,
    /// The town of study.
    pub town: Option<String>,
    /// The place of study; `null` in most records.
    pub location: Option<serde_json::Value>,
    /// A display name (`Gymnasial vuxenutbildning`), not the filter's code.
    pub type_of_school: Option<String>,
    /// `"100"`, `"7.5 hp"`: a string, sometimes with its unit.
    pub credits: Option<Scalar>,
    /// `gy`, `vp`, `hp`, `yh`, …
    pub credits_system: Option<String>,
    /// `2025-01-06`, or null for continuous intake.
    pub semester_start_from: Option<Scalar>,
    /// Percent of full time: `"100.0"`, or the string `"null"`.
    pub pace_of_study: Option<Scalar>,
    /// `true` for distance education.
    #[serde(default, deserialize_with = "flag")]
    pub distance: Option<bool>,
    /// Mixed formats, with `2099-12-31T00:00:00` meaning continuous application.
    pub last_application_date: Option<Scalar>,
    /// `0` not set, `1` a date is set, `2` or `3` continuous start.
    pub execution_condition: Option<Scalar>,
    /// Languages of instruction (`swe`), in the detail resource; a string or a list.
    pub instruction_languages: Option<serde_json::Value>,
}

/// A boolean sent as `true` or as `"true"`.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    match Option::<Flag>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Flag::Bool(value)) => Ok(Some(value)),
        Some(Flag::Text(text)) => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            "" | "null" => Ok(None),
            _ => Err(serde::de::Error::custom(format!("`{text}` is not true or false"))),
        },
    }
}

/// A scalar's text, trimmed, when it says something: empty text and the string `"null"` (the
/// API's way of writing a missing pace) are absent.
pub fn present(value: Option<&Scalar>) -> Option<&str> {
    value.map(|v| v.as_str().trim()).filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("null"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn pace_as_the_string_null_and_numbers_as_text_are_read() {
        let event: AdultEducationEvent = decode(&json!({
            "educationEventId": "e.IST.1", "paceOfStudy": "null", "credits": "7.5 hp",
            "geographicalAreaCode": 1276, "executionCondition": 2, "distance": "false", "futureField": [1]
        }))
        .unwrap();
        assert_eq!(present(event.pace_of_study.as_ref()), None);
        assert_eq!(present(event.credits.as_ref()), Some("7.5 hp"));
        assert_eq!(present(event.geographical_area_code.as_ref()), Some("1276"));
        assert_eq!(present(event.execution_condition.as_ref()), Some("2"));
        assert_eq!(event.distance, Some(false));
    }

    #[test]
    fn a_broken_field_is_named() {
        let error = decode::<AdultEducationEvent>(&json!({"distance": "sometimes"})).unwrap_err();
        assert_eq!(error.field, "distance");
        let error = decode::<AdultEducationEvent>(&json!({"titleSv": ["a"]})).unwrap_err();
        assert_eq!(error.field, "titleSv");
    }

    #[test]
    fn an_empty_page_has_no_embedded_list_and_the_status_may_be_200_ok() {
        let envelope: Envelope = serde_json::from_value(json!({
            "status": "200 OK", "message": "Success",
            "body": {"_links": {}, "page": {"size": 20, "totalElements": 0, "totalPages": 0, "number": "0"}}
        }))
        .unwrap();
        assert!(envelope.is_ok());
        let body = envelope.body.unwrap();
        assert!(body.embedded.is_none());
        assert_eq!(body.page.unwrap().number, Some(0));
        let error: Envelope = serde_json::from_value(json!({"status": "400 BAD_REQUEST", "message": "x"})).unwrap();
        assert!(!error.is_ok());
    }
}
