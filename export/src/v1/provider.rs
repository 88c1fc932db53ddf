//! `providers`: one row per provider (utbildningsanordnare) that an offering in the release
//! names.

use chrono::{DateTime, Utc};
use serde_json::{Value as Json, json};
use vuxnav_schema::{Provider, Seen};

use super::{
    CONTENT_HASH, Column, ForeignKey, Group, KOMMUNKOD_PATTERN, Kind, Record, Table, UUID_PATTERN, Value, column,
    first_seen, last_changed, required, text,
};
use crate::jsonld::{self, Graph};

pub(super) const TABLE: Table = Table {
    name: "providers",
    title: "Providers",
    description: "One row per provider (utbildningsanordnare) that an occasion in offerings names: a municipal \
                  school unit or a private company running courses. Contact e-mail addresses and phone numbers \
                  are not published: an upstream may hold a named person's.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The provider's stable public id: a UUID. A provider with an organisation number has \
                          one id across sources.",
            from: &["providers.id"],
            pattern: Some(UUID_PATTERN),
        },
        required("name", Kind::String, &["providers.name"], "The provider's name."),
        Column {
            name: "org_number",
            kind: Kind::String,
            required: false,
            description: "The Swedish organisation number, ten digits without a hyphen.",
            from: &["providers.org_number"],
            pattern: Some("^[0-9]{10}$"),
        },
        column(
            "kind",
            Kind::String,
            &["providers.kind"],
            "The kind of body that runs it (huvudmannatyp): `kommunal`, `enskild`, `region`, `statlig` or \
             `annan`; empty when unknown.",
        ),
        column(
            "school_unit_code",
            Kind::String,
            &["providers.school_unit_code"],
            "Skolverket's school-unit code (skolenhetskod).",
        ),
        Column {
            name: "municipality_code",
            kind: Kind::String,
            required: false,
            description: "The municipality the provider belongs to or, for a contracted provider, that \
                          contracts it: an `id` of municipalities.",
            from: &["providers.municipality"],
            pattern: Some(KOMMUNKOD_PATTERN),
        },
        column("url", Kind::String, &["providers.web"], "The provider's web site."),
        first_seen(&["offerings.first_seen"], "When vuxnav first held an occasion of the provider."),
        last_changed(
            &["offerings.last_changed"],
            "The latest `last_changed` among the provider's occasions in the release.",
        ),
        CONTENT_HASH,
    ],
    foreign_keys: &[ForeignKey { column: "municipality_code", table: "municipalities" }],
    group: Group::Offering,
};

/// A row of `providers`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub org_number: Option<String>,
    pub kind: Option<&'static str>,
    pub school_unit_code: Option<String>,
    pub municipality_code: Option<String>,
    pub url: Option<String>,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
}

impl From<&Seen<Provider>> for ProviderRow {
    fn from(seen: &Seen<Provider>) -> Self {
        let p = &seen.record;
        Self {
            id: p.id.to_string(),
            name: p.name.clone(),
            org_number: p.org_number.as_ref().map(|o| o.as_str().to_owned()),
            kind: p.kind.map(|kind| kind.code()),
            school_unit_code: p.school_unit_code.clone(),
            municipality_code: p.municipality.map(|m| m.as_str().to_owned()),
            url: p.web.clone(),
            first_seen: seen.first_seen,
            last_changed: seen.last_changed,
        }
    }
}

impl Record for ProviderRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(&self.name),
            text(self.org_number.as_deref()),
            text(self.kind),
            text(self.school_unit_code.as_deref()),
            text(self.municipality_code.as_deref()),
            text(self.url.as_deref()),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }

    /// An `EducationalOrganization`; occasions name it as their `organizer`.
    fn graph(&self, graph: &mut Graph<'_>) -> std::io::Result<()> {
        let mut node = jsonld::node(&jsonld::uuid_iri(&self.id), "EducationalOrganization");
        node.insert("name".into(), Json::from(self.name.as_str()));
        let mut identifiers = vec![Json::from(self.id.as_str())];
        if let Some(org_number) = &self.org_number {
            identifiers
                .push(json!({"@type": "PropertyValue", "propertyID": "organisationsnummer", "value": org_number}));
        }
        if let Some(code) = &self.school_unit_code {
            identifiers.push(json!({"@type": "PropertyValue", "propertyID": "skolenhetskod", "value": code}));
        }
        node.insert("identifier".into(), identifiers.into());
        jsonld::put(&mut node, "url", self.url.as_deref());
        graph.write(node)
    }
}
