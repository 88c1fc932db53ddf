//! Reading a page of an arbitrary JSON API: its records, and each record's values as text.
//!
//! Tolerant on purpose, as the APIs of municipalities are written by many hands:
//!
//! - a value is read wherever its pointer leads, whatever JSON type it has: a string as it is,
//!   a number as its decimal text (`100`, `25.5`), `true` and `false` as those words (for value
//!   maps), `null` and `""` as missing;
//! - an array of values is its first non-empty element (`"orter": ["Huddinge", "Flemingsberg"]`
//!   is Huddinge), except for `description`, whose elements are its paragraphs;
//! - a pointer that leads nowhere is a missing value, not an error: APIs leave keys out;
//! - an object where a value is expected is the record's problem (a rejection naming the
//!   pointer), since no one text can be told from it.
//!
//! A page whose records pointer leads nowhere, or to something that is not an array, is not a
//! page of this API any more (a changed shape); `null` there is an empty page.

use serde_json::Value;

use crate::mapping::{Field, Values};

/// The records of a page, or why the page is not one.
pub fn records<'p>(page: &'p Value, pointer: &str) -> Result<&'p [Value], String> {
    let shown = if pointer.is_empty() { "the top level" } else { pointer };
    match page.pointer(pointer) {
        Some(Value::Array(records)) => Ok(records),
        Some(Value::Null) => Ok(&[]),
        Some(other) => Err(format!(
            "the records at {shown} are {}, not an array: set `records` to the pointer of the array",
            kind(other)
        )),
        None => Err(format!("the page has nothing at `{pointer}`, where the records should be")),
    }
}

/// The text of the value at `pointer` in `value`: `Ok(None)` when it is missing or empty, an
/// error when it is an object (or an array of only objects).
pub fn text(value: &Value, pointer: &str, field: Option<Field>) -> Result<Option<String>, String> {
    match value.pointer(pointer) {
        None => Ok(None),
        Some(found) => scalar(found, field == Some(Field::Description)),
    }
}

fn scalar(value: &Value, paragraphs: bool) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok((!text.trim().is_empty()).then(|| text.clone())),
        Value::Number(number) => Ok(Some(number.to_string())),
        Value::Bool(flag) => Ok(Some(flag.to_string())),
        Value::Array(items) => {
            let mut texts = Vec::new();
            for item in items {
                if let Some(text) = scalar(item, false)? {
                    if !paragraphs {
                        return Ok(Some(text));
                    }
                    texts.push(text);
                }
            }
            Ok((!texts.is_empty()).then(|| texts.join("\n")))
        }
        Value::Object(_) => Err("is an object, not a value: point at a value inside it".to_owned()),
    }
}

/// The values of every mapped field of `record`, or the first field whose value cannot be read
/// with its pointer and why.
pub fn values<'f>(
    record: &Value,
    fields: impl IntoIterator<Item = (&'f Field, &'f String)>,
) -> Result<Values, (String, String)> {
    let mut values = Values::new();
    for (field, pointer) in fields {
        match text(record, pointer, Some(*field)) {
            Ok(Some(text)) => {
                values.insert(*field, text);
            }
            Ok(None) => {}
            Err(reason) => return Err((pointer.clone(), reason)),
        }
    }
    Ok(values)
}

/// A JSON value's kind, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_of_every_json_type_read_as_text() {
        let record = json!({
            "id": 4711, "poang": 100.0, "takt": 50, "distans": true, "slut": null, "tom": "  ",
            "orter": [null, "", "Huddinge", "Flemingsberg"],
            "text": ["<p>Ett</p>", "Två"],
            "kurs": {"namn": "Matematik 1a", "kod": "MATMAT01a"},
            "a/b": "snedstreck", "m~n": "tilde",
        });
        let read = |pointer: &str| text(&record, pointer, None);
        assert_eq!(read("/id"), Ok(Some("4711".to_owned())));
        assert_eq!(read("/poang"), Ok(Some("100.0".to_owned())));
        assert_eq!(read("/takt"), Ok(Some("50".to_owned())));
        assert_eq!(read("/distans"), Ok(Some("true".to_owned())));
        assert_eq!(read("/slut"), Ok(None));
        assert_eq!(read("/tom"), Ok(None));
        assert_eq!(read("/saknas"), Ok(None));
        assert_eq!(read("/orter"), Ok(Some("Huddinge".to_owned())));
        assert_eq!(read("/kurs/namn"), Ok(Some("Matematik 1a".to_owned())));
        assert_eq!(read("/a~1b"), Ok(Some("snedstreck".to_owned())));
        assert_eq!(read("/m~0n"), Ok(Some("tilde".to_owned())));
        assert!(read("/kurs").is_err());
        assert_eq!(text(&record, "/text", Some(Field::Description)), Ok(Some("<p>Ett</p>\nTvå".to_owned())));
    }

    #[test]
    fn the_records_of_a_page_are_an_array_where_the_pointer_leads() {
        let page = json!({"data": {"items": [{"id": 1}], "none": null, "one": {"id": 2}}});
        assert_eq!(records(&page, "/data/items").map(<[Value]>::len), Ok(1));
        assert_eq!(records(&page, "/data/none").map(<[Value]>::len), Ok(0));
        assert!(records(&page, "/data/one").unwrap_err().contains("an object, not an array"));
        assert!(records(&page, "/data/kurser").unwrap_err().contains("nothing at `/data/kurser`"));
        assert_eq!(records(&json!([1, 2, 3]), "").map(<[Value]>::len), Ok(3));
    }
}
