//! `municipalities`: all 290 municipalities of Sweden, from the code list in `vuxnav-schema`,
//! marked whether they belong to the region.

use vuxnav_schema::{Municipality, Region};

use super::{
    CONTENT_HASH, Column, Group, KOMMUNKOD_PATTERN, Kind, Record, Table, Value, first_seen, last_changed, required,
};

pub(super) const TABLE: Table = Table {
    name: "municipalities",
    title: "Municipalities",
    description: "One row per Swedish municipality (kommun), all 290, from SCB's code list, marked whether it \
                  belongs to the region. Not harvested: `first_seen` and `last_changed` are empty.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The kommunkod: four digits with the leading zero, such as `0180`.",
            from: &[],
            pattern: Some(KOMMUNKOD_PATTERN),
        },
        required("name", Kind::String, &[], "The municipality's name, such as `Stockholm`."),
        Column {
            name: "county_code",
            kind: Kind::String,
            required: true,
            description: "The county code (länskod): the first two digits of the kommunkod.",
            from: &[],
            pattern: Some("^[0-9]{2}$"),
        },
        required("county_name", Kind::String, &[], "The county's name, such as `Stockholms län`."),
        required(
            "in_region",
            Kind::Boolean,
            &[],
            "Whether the municipality is one of the region's, whose offerings vuxnav gathers.",
        ),
        first_seen(&[], "Empty: a code list, not harvested."),
        last_changed(&[], "Empty: a code list, not harvested."),
        CONTENT_HASH,
    ],
    foreign_keys: &[],
    group: Group::Reference,
};

/// A row of `municipalities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityRow {
    pub id: String,
    pub name: &'static str,
    pub county_code: &'static str,
    pub county_name: &'static str,
    pub in_region: bool,
}

impl MunicipalityRow {
    /// Every municipality, ordered by kommunkod, marked by whether `region` holds it.
    pub fn all(region: &Region) -> Vec<MunicipalityRow> {
        Municipality::all()
            .map(|m| {
                let county = m.county();
                MunicipalityRow {
                    id: m.code.as_str().to_owned(),
                    name: m.name,
                    county_code: county.code,
                    county_name: county.name,
                    in_region: region.contains(m.code),
                }
            })
            .collect()
    }
}

impl Record for MunicipalityRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(self.name),
            Value::Text(self.county_code),
            Value::Text(self.county_name),
            Value::Boolean(self.in_region),
            Value::Null,
            Value::Null,
        ]
    }
}
