//! A source's configuration given as JSON (what the admin API takes and the store keeps),
//! parsed by the same code as the config file's `[[source]]` entries
//! ([`vuxnav_connectors::config::parse_sources`]): every problem at once, each with its path
//! inside the entry (`connector.base_url`).

use vuxnav_connectors::config::{ValidSource, parse_sources};

/// The largest configuration accepted, as compact JSON: far above any real source (a
/// `json_api` mapping with every field is a few KiB), low enough to keep the store and the
/// audit log small.
pub const MAX_SOURCE_CONFIG_BYTES: usize = 64 * 1024;

/// One problem of a source configuration: the path inside the entry (`""` for the whole
/// entry) and what is wrong, lowercase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub problem: String,
}

impl Problem {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { field: field.into(), problem: problem.into() }
    }
}

/// Parses one `[[source]]` entry written as a JSON object.
pub fn parse_source_json(json: &serde_json::Value) -> Result<ValidSource, Vec<Problem>> {
    let size = json.to_string().len();
    if size > MAX_SOURCE_CONFIG_BYTES {
        return Err(vec![Problem::new(
            "",
            format!("the configuration is {size} bytes; at most {MAX_SOURCE_CONFIG_BYTES} are accepted"),
        )]);
    }
    if !json.is_object() {
        return Err(vec![Problem::new("", "a source's configuration is a JSON object, as a [[source]] entry is")]);
    }
    let mut problems = Vec::new();
    let entry = toml_of(json, "", &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    match parse_sources(std::slice::from_ref(&entry)) {
        Ok(mut sources) => sources.pop().ok_or_else(|| vec![Problem::new("", "the configuration holds no source")]),
        Err(found) => Err(found
            .into_iter()
            .map(|problem| {
                let field = problem.field.strip_prefix("source[0]").unwrap_or(&problem.field);
                Problem::new(field.trim_start_matches('.'), problem.problem)
            })
            .collect()),
    }
}

/// The TOML value of a JSON value; `null` and numbers TOML cannot hold are problems naming
/// their path.
fn toml_of(json: &serde_json::Value, path: &str, problems: &mut Vec<Problem>) -> toml::Value {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match json {
        serde_json::Value::Null => {
            problems.push(Problem::new(path, "null is not a value here: leave the key out for its default"));
            toml::Value::Boolean(false)
        }
        serde_json::Value::Bool(value) => toml::Value::Boolean(*value),
        serde_json::Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(integer), _) => toml::Value::Integer(integer),
            (None, Some(float)) if number.is_f64() => toml::Value::Float(float),
            _ => {
                problems.push(Problem::new(path, format!("{number} is out of range")));
                toml::Value::Integer(0)
            }
        },
        serde_json::Value::String(text) => toml::Value::String(text.clone()),
        serde_json::Value::Array(items) => toml::Value::Array(
            items.iter().enumerate().map(|(i, item)| toml_of(item, &format!("{path}[{i}]"), problems)).collect(),
        ),
        serde_json::Value::Object(entries) => toml::Value::Table(
            entries.iter().map(|(key, value)| (key.clone(), toml_of(value, &join(key), problems))).collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_json_entry_parses_as_the_same_toml_entry_would() {
        let source = parse_source_json(&json!({
            "id": "huddinge-csv", "municipality": "0126", "schedule": "0 0 3 * * *",
            "connector": { "kind": "csv", "url": "https://export.huddinge.example/kurser.csv",
                           "columns": { "upstream_id": "Id", "title": "Kurs" },
                           "defaults": { "school_form": "VUXGY", "provider_name": "Komvux Huddinge",
                           "pace": 100 } },
        }))
        .expect("a valid entry");
        assert_eq!(source.id.as_str(), "huddinge-csv");
        assert_eq!(source.municipality.as_str(), "0126");
    }

    #[test]
    fn every_problem_is_named_by_its_path_inside_the_entry() {
        let problems = parse_source_json(&json!({
            "id": "Huddinge CSV", "municipality": "0126", "schedule": "every night",
            "connector": { "kind": "csv", "url": null },
        }))
        .expect_err("problems");
        assert_eq!(problems, vec![Problem::new("connector.url", problems[0].problem.clone())]);

        let problems = parse_source_json(&json!({
            "id": "Huddinge CSV", "municipality": "0126", "schedule": "every night", "colour": "blue",
            "connector": { "kind": "csv" },
        }))
        .expect_err("problems");
        assert!(problems.iter().any(|p| p.field.contains("colour") || p.problem.contains("colour")), "{problems:?}");
    }

    #[test]
    fn a_configuration_over_the_limit_is_refused_whole() {
        let big = "x".repeat(MAX_SOURCE_CONFIG_BYTES);
        let problems = parse_source_json(&json!({ "id": big })).expect_err("too large");
        assert!(problems[0].problem.contains("at most 65536"), "{problems:?}");
        assert!(parse_source_json(&json!(["not", "an", "object"])).is_err());
    }
}
