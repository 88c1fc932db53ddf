//! Version 1 of the release's tables: one row type per table, converted `From` the model, and
//! one [`Table`] definition per table that drives everything said about it: the CSV header,
//! the JSON keys, the Frictionless table schema (types, primary and foreign keys), the column
//! docs in `docs/open-data.md` and the privacy check (the store columns each column comes
//! from, see `privacy`).
//!
//! A row type is separate from the model on purpose: the model can change while version 1 of
//! the release stays as it is. A change a consumer would notice (a column renamed, removed or
//! retyped) is a new version `v2`, not an edit here; adding a table is not.
//!
//! Every table has the primary key `id`, the record's stable public id, and ends with the same
//! three columns: `first_seen`, `last_changed` and `content_hash` (see [`content_hash`]).
//!
//! A column of several values (a registry entry's municipalities, languages, channels) holds
//! them space-separated, as `offerings.configured` does; a one-to-many relation with columns
//! of its own (a guidance service's opening hours) is a child table with a foreign key.

mod course;
mod guidance;
mod municipality;
mod occupation;
mod offering;
mod outlook;
mod price;
mod provider;
mod source;
mod validation;

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

pub use course::CourseRow;
pub use guidance::{GuidanceServiceRow, OpeningHoursRow};
pub use municipality::MunicipalityRow;
pub use occupation::{OccupationLinkRow, OccupationRow};
pub use offering::OfferingRow;
pub use outlook::OutlookRow;
pub use price::PriceRow;
pub use provider::ProviderRow;
pub use source::SourceRow;
pub use validation::ValidationOfferRow;

use crate::jsonld::Graph;

/// The version of the tables' shape, in the manifest and the data package.
pub const SCHEMA_VERSION: &str = "1";

/// Every table of the release, in the order they are written: a table comes after the tables
/// its foreign keys name.
pub const TABLES: [&Table; 12] = [
    &municipality::TABLE,
    &source::TABLE,
    &provider::TABLE,
    &course::TABLE,
    &offering::TABLE,
    &occupation::OCCUPATIONS,
    &occupation::LINKS,
    &validation::TABLE,
    &guidance::SERVICES,
    &guidance::HOURS,
    &price::TABLE,
    &outlook::TABLE,
];

/// The type of a column's values, as Frictionless names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    /// A decimal number; written with a decimal point, and with a decimal comma in `excel/`.
    Number,
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 in UTC, whole seconds: `2026-11-27T03:00:00Z`.
    Datetime,
}

impl Kind {
    /// The Frictionless type name.
    pub fn frictionless(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::Datetime => "datetime",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// ASCII snake_case: the CSV header and the JSON key.
    pub name: &'static str,
    pub kind: Kind,
    /// Whether every row has a value.
    pub required: bool,
    /// What the value means, for consumers (English, one or two sentences).
    pub description: &'static str,
    /// The store columns (`table.column`) the value is made from; empty when it comes from no
    /// store column (a code list in the program, or the content hash).
    pub from: &'static [&'static str],
    /// A regular expression every value matches, where one helps consumers.
    pub pattern: Option<&'static str>,
}

/// A foreign key: `column` holds the `id` of a row of `table`, or is empty.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub column: &'static str,
    pub table: &'static str,
}

/// The group a table belongs to in the DCAT catalogue: one dataset per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Offerings, courses and providers.
    Offering,
    /// Municipalities.
    Reference,
    /// Sources and their quality.
    Quality,
    /// The region's registries: occupations and the links to them, validation offers, guidance
    /// services, the price list and the labour-market outlook.
    Registry,
}

/// One table of the release.
#[derive(Debug)]
pub struct Table {
    /// ASCII snake_case, plural: the file name and the resource name.
    pub name: &'static str,
    pub title: &'static str,
    /// What one row is, for consumers.
    pub description: &'static str,
    /// In file order; the first is `id`, the last three `first_seen`, `last_changed` and
    /// `content_hash`.
    pub columns: &'static [Column],
    pub foreign_keys: &'static [ForeignKey],
    pub group: Group,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn csv_path(&self) -> String {
        format!("csv/{}.csv.gz", self.name)
    }

    pub fn excel_path(&self) -> String {
        format!("excel/{}.csv", self.name)
    }

    pub fn jsonl_path(&self) -> String {
        format!("jsonl/{}.jsonl.gz", self.name)
    }
}

/// Every table by name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.into_iter().find(|t| t.name == name)
}

/// One value of a row, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Text(&'a str),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(NaiveDate),
    Datetime(DateTime<Utc>),
}

impl Value<'_> {
    /// The value as `csv/` and `jsonl/` spell it, into `out` (nothing for `Null`).
    pub fn render(&self, out: &mut String) {
        match self {
            Value::Null => {}
            Value::Text(text) => out.push_str(text),
            Value::Integer(n) => {
                let _ = write!(out, "{n}");
            }
            // Rust prints the shortest text that reads back as the same number, never with an
            // exponent: `59.3293`, `100`.
            Value::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Date(date) => {
                let _ = write!(out, "{}", date.format("%Y-%m-%d"));
            }
            Value::Datetime(at) => out.push_str(&rfc3339(*at)),
        }
    }
}

/// An instant as the release writes it: RFC 3339, UTC, whole seconds.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A row of a table.
pub trait Record: Send + 'static {
    /// The table's definition.
    const TABLE: &'static Table;

    /// The stable public id: the `id` column. Rows are written in ascending order of it.
    fn id(&self) -> &str;

    /// Every column's value but `content_hash`, in column order.
    fn values(&self) -> Vec<Value<'_>>;

    /// The schema.org nodes of the row in `jsonld/graph.jsonl.gz`; none by default.
    fn graph(&self, _graph: &mut Graph<'_>) -> std::io::Result<()> {
        Ok(())
    }
}

/// The content hash of a row: SHA-256 over every other column's value as `csv/` spells it,
/// in column order, each followed by the unit separator U+001F; the first 32 hex digits.
/// Any change to any other column changes it, so two rows with the same id and hash are the
/// same row, which is what makes the delta exact.
pub fn content_hash(values: &[Value<'_>]) -> String {
    let mut hasher = Sha256::new();
    let mut text = String::with_capacity(64);
    for value in values {
        text.clear();
        value.render(&mut text);
        hasher.update(text.as_bytes());
        hasher.update("\u{1f}".as_bytes());
    }
    let digest = hasher.finalize();
    hex::encode(&digest[..16])
}

/// The columns every table ends with. `first_seen` and `last_changed` say where they come
/// from; `content_hash` comes from no store column.
const fn first_seen(from: &'static [&'static str], description: &'static str) -> Column {
    Column { name: "first_seen", kind: Kind::Datetime, required: false, description, from, pattern: None }
}

const fn last_changed(from: &'static [&'static str], description: &'static str) -> Column {
    Column { name: "last_changed", kind: Kind::Datetime, required: false, description, from, pattern: None }
}

const CONTENT_HASH: Column = Column {
    name: "content_hash",
    kind: Kind::String,
    required: true,
    description: "SHA-256 over the row's other values as csv/ writes them, each followed by U+001F, \
                  in column order: the first 32 hex digits. It changes exactly when another \
                  column of the row changes.",
    from: &[],
    pattern: Some("^[0-9a-f]{32}$"),
};

/// A UUID as every public id is written.
const UUID_PATTERN: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/// A kommunkod: four digits with the leading zero.
const KOMMUNKOD_PATTERN: &str = "^[0-9]{4}$";

/// Kommunkoder, space-separated.
const KOMMUNKOD_LIST_PATTERN: &str = "^[0-9]{4}( [0-9]{4})*$";

/// A registry entry's key (`RegistryKey`).
const REGISTRY_KEY_PATTERN: &str = "^[a-z0-9][a-z0-9._-]{0,63}$";

/// A column with the most common settings: optional, no pattern.
const fn column(name: &'static str, kind: Kind, from: &'static [&'static str], description: &'static str) -> Column {
    Column { name, kind, required: false, description, from, pattern: None }
}

/// [`column`], but every row has a value.
const fn required(name: &'static str, kind: Kind, from: &'static [&'static str], description: &'static str) -> Column {
    Column { name, kind, required: true, description, from, pattern: None }
}

/// An optional number that fits in `i64` (counts, kronor, seats).
fn integer(value: Option<impl Into<i64>>) -> Value<'static> {
    value.map_or(Value::Null, |v| Value::Integer(v.into()))
}

/// Several values in one column, space-separated; `None` when there are none.
fn spaced<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let joined = values.collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

fn text(value: Option<&str>) -> Value<'_> {
    value.map_or(Value::Null, Value::Text)
}

fn date(value: Option<NaiveDate>) -> Value<'static> {
    value.map_or(Value::Null, Value::Date)
}

fn datetime(value: Option<DateTime<Utc>>) -> Value<'static> {
    value.map_or(Value::Null, Value::Datetime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_starts_with_its_id_and_ends_with_the_three_provenance_columns() {
        for table in TABLES {
            let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            assert_eq!(names.first(), Some(&"id"), "{}", table.name);
            assert_eq!(&names[names.len() - 3..], ["first_seen", "last_changed", "content_hash"], "{}", table.name);
        }
    }

    #[test]
    fn column_names_are_ascii_snake_case_and_unique_per_table() {
        for table in TABLES {
            let mut seen = std::collections::HashSet::new();
            for column in table.columns {
                assert!(
                    column.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}.{}",
                    table.name,
                    column.name
                );
                assert!(seen.insert(column.name), "{}.{} twice", table.name, column.name);
                assert!(!column.description.is_empty(), "{}.{} has no description", table.name, column.name);
            }
        }
    }

    #[test]
    fn foreign_keys_name_a_column_of_their_table_and_an_earlier_table() {
        for (position, table) in TABLES.iter().enumerate() {
            for key in table.foreign_keys {
                assert!(table.column(key.column).is_some(), "{}.{}", table.name, key.column);
                let target = TABLES.iter().position(|t| t.name == key.table);
                assert!(target.is_some_and(|t| t < position), "{} -> {}", table.name, key.table);
            }
        }
    }

    #[test]
    fn the_content_hash_changes_with_any_value_and_not_with_where_a_value_ends() {
        let a = content_hash(&[Value::Text("ab"), Value::Text("c")]);
        assert_eq!(a.len(), 32);
        assert_eq!(a, content_hash(&[Value::Text("ab"), Value::Text("c")]));
        assert_ne!(a, content_hash(&[Value::Text("a"), Value::Text("bc")]));
        assert_ne!(a, content_hash(&[Value::Text("ab"), Value::Null]));
        assert_ne!(content_hash(&[Value::Integer(1)]), content_hash(&[Value::Integer(2)]));
    }

    #[test]
    fn values_render_as_the_csv_files_spell_them() {
        let mut out = String::new();
        for value in [
            Value::Number(59.3293),
            Value::Number(100.0),
            Value::Boolean(false),
            Value::Date(NaiveDate::from_ymd_opt(2026, 1, 9).unwrap()),
            Value::Datetime("2026-11-27T03:00:00.123456Z".parse().unwrap()),
            Value::Null,
        ] {
            value.render(&mut out);
            out.push('|');
        }
        assert_eq!(out, "59.3293|100|false|2026-01-09|2026-11-27T03:00:00Z||");
    }
}
