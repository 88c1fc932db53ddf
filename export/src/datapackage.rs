//! `datapackage.json`: the release as a Frictionless Data Package v2. Every table is three
//! resources, one per format: `<table>` (`csv/`), `<table>-excel` (`excel/`) and
//! `<table>-jsonl` (`jsonl/`), each with its table schema (types, constraints, the primary key
//! `id` and the foreign keys to the resources of the same format), its size and SHA-256.

use serde_json::{Map, Value, json};

use crate::manifest::FileEntry;
use crate::v1::{Kind, TABLES, Table};

/// The package name, the same in every release.
pub const NAME: &str = "vuxnav-open-data";

/// The three formats of a table, as resources.
#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Excel,
    Jsonl,
}

impl Format {
    fn resource(self, table: &str) -> String {
        match self {
            Format::Csv => table.to_owned(),
            Format::Excel => format!("{table}-excel"),
            Format::Jsonl => format!("{table}-jsonl"),
        }
    }

    fn path(self, table: &Table) -> String {
        match self {
            Format::Csv => table.csv_path(),
            Format::Excel => table.excel_path(),
            Format::Jsonl => table.jsonl_path(),
        }
    }
}

/// The descriptor, for a release `name` created at `created` (RFC 3339) under `base_url`.
pub fn descriptor(release: &str, created: &str, base_url: &str, files: &[FileEntry]) -> Value {
    let mut resources = Vec::new();
    for table in TABLES {
        for format in [Format::Csv, Format::Excel, Format::Jsonl] {
            let path = format.path(table);
            let mut resource = Map::new();
            resource.insert("name".into(), format.resource(table.name).into());
            resource.insert("type".into(), "table".into());
            resource.insert("path".into(), path.clone().into());
            resource.insert("title".into(), table.title.into());
            resource.insert("description".into(), table.description.into());
            match format {
                Format::Csv => {
                    resource.insert("format".into(), "csv".into());
                    resource.insert("mediatype".into(), "text/csv".into());
                    resource.insert("encoding".into(), "utf-8".into());
                    resource.insert("dialect".into(), json!({"delimiter": ",", "header": true}));
                }
                Format::Excel => {
                    resource.insert("format".into(), "csv".into());
                    resource.insert("mediatype".into(), "text/csv".into());
                    resource.insert("encoding".into(), "utf-8".into());
                    resource.insert("dialect".into(), json!({"delimiter": ";", "header": true}));
                }
                Format::Jsonl => {
                    resource.insert("format".into(), "jsonl".into());
                    resource.insert("mediatype".into(), "application/jsonl".into());
                    resource.insert("encoding".into(), "utf-8".into());
                }
            }
            if let Some(file) = files.iter().find(|f| f.path == path) {
                resource.insert("bytes".into(), file.bytes.into());
                resource.insert("hash".into(), format!("sha256:{}", file.sha256).into());
            }
            resource.insert("schema".into(), schema(table, format));
            resources.push(Value::Object(resource));
        }
    }
    json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": NAME,
        "id": format!("{base_url}releases/{release}/"),
        "title": "Vuxenutbildning: kurstillfällen, kurser, anordnare, källor och regionens register",
        "description": "The nightly open-data release of vuxnav: every course occasion of the region's adult \
                        education (komvux, SFI, anpassad utbildning, yrkesvux), the courses and providers they \
                        name, Sweden's municipalities and the sources they were harvested from, and the registries \
                        the region keeps (occupations and the courses leading to them, validation offers, guidance \
                        services and their opening hours, the price list for interkommunal ersättning). Each table \
                        is given as CSV (csv/), as CSV for spreadsheets (excel/) and as JSON Lines (jsonl/).",
        "homepage": base_url,
        "created": created,
        "keywords": ["komvux", "vuxenutbildning", "sfi", "kurstillfällen", "open data"],
        "licenses": [{
            "name": "CC0-1.0",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
            "title": "Creative Commons Zero v1.0 Universal"
        }],
        "resources": resources,
    })
}

fn schema(table: &Table, format: Format) -> Value {
    let fields: Vec<Value> = table
        .columns
        .iter()
        .map(|column| {
            let mut field = Map::new();
            field.insert("name".into(), column.name.into());
            field.insert("type".into(), column.kind.frictionless().into());
            field.insert("description".into(), column.description.into());
            if column.kind == Kind::Number && matches!(format, Format::Excel) {
                field.insert("decimalChar".into(), ",".into());
            }
            let mut constraints = Map::new();
            if column.required {
                constraints.insert("required".into(), true.into());
            }
            if let Some(pattern) = column.pattern {
                constraints.insert("pattern".into(), pattern.into());
            }
            if !constraints.is_empty() {
                field.insert("constraints".into(), constraints.into());
            }
            Value::Object(field)
        })
        .collect();
    let foreign_keys: Vec<Value> = table
        .foreign_keys
        .iter()
        .map(|key| {
            json!({
                "fields": [key.column],
                "reference": {"resource": format.resource(key.table), "fields": ["id"]}
            })
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": ["id"],
        "foreignKeys": foreign_keys,
        "missingValues": [""],
    })
}
