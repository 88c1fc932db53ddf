//! The one description of a source's fields: the JSON Schema of a `[[source]]` entry, derived
//! (`schemars::JsonSchema`) from the same types the config file is read into, so their doc
//! comments, defaults and `deny_unknown_fields` carry over. The admin API serves it
//! (`sourceKinds`) and the admin pages generate their source form from it, so a new kind has
//! its description, and its form, with nothing more to write.

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::config::{ConnectorKind, SourceConfig};

/// The JSON Schema (draft 2020-12) of a `[[source]]` entry whose connector is of `kind`: the
/// entry's own fields, and under `connector` only that kind's table (with its `kind`
/// constant). Shared types are in `$defs`.
pub fn source_schema(kind: ConnectorKind) -> Value {
    let generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    let mut schema = generator.into_root_schema_for::<SourceConfig>().to_value();
    let variant = schema
        .pointer("/$defs/ConnectorConfig/oneOf")
        .and_then(Value::as_array)
        .and_then(|variants| {
            variants
                .iter()
                .find(|variant| variant.pointer("/properties/kind/const") == Some(&Value::from(kind.as_str())))
        })
        .cloned();
    if let (Some(mut variant), Some(properties)) =
        (variant, schema.get_mut("properties").and_then(Value::as_object_mut))
    {
        // The field keeps its own title and description; the kind's are the table's.
        if let (Some(table), Some(field)) = (variant.as_object_mut(), properties.get("connector")) {
            for key in ["title", "description"] {
                if let Some(text) = field.get(key) {
                    table.insert(key.to_owned(), text.clone());
                }
            }
        }
        properties.insert("connector".to_owned(), variant);
    }
    if let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) {
        defs.remove("ConnectorConfig");
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_connector_table_and_nothing_of_the_others() {
        for kind in ConnectorKind::ALL {
            let schema = source_schema(kind);
            assert_eq!(
                schema.pointer("/properties/connector/properties/kind/const"),
                Some(&Value::from(kind.as_str()))
            );
            assert!(schema.pointer("/$defs/ConnectorConfig").is_none(), "{kind}: the union of kinds is gone");
            assert_eq!(
                schema.pointer("/additionalProperties"),
                Some(&Value::Bool(false)),
                "{kind}: unknown keys refused"
            );
        }
    }

    #[test]
    fn every_field_of_the_entry_and_of_every_kind_has_a_swedish_title_and_a_description() {
        for kind in ConnectorKind::ALL {
            let schema = source_schema(kind);
            let entry = schema["properties"].as_object().expect("the entry's properties");
            let table = schema["properties"]["connector"]["properties"].as_object().expect("the kind's properties");
            for (name, field) in entry.iter().chain(table).filter(|(name, _)| *name != "kind") {
                assert!(field.get("title").and_then(Value::as_str).is_some_and(|t| !t.is_empty()), "{kind}.{name}");
                assert!(
                    field.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()),
                    "{kind}.{name}"
                );
            }
        }
    }

    #[test]
    fn a_table_keyed_by_canonical_field_names_its_keys() {
        let schema = source_schema(ConnectorKind::Csv);
        assert_eq!(
            schema.pointer("/properties/connector/properties/columns/propertyNames/$ref"),
            Some(&Value::from("#/$defs/Field"))
        );
        let fields = schema.pointer("/$defs/Field/oneOf").and_then(Value::as_array).expect("the canonical fields");
        assert!(
            fields.iter().any(|field| field["const"] == "upstream_id" && field["title"] == "Id för kurstillfället")
        );
    }
}
