//! `prices`: the price list for interkommunal ersättning, what a home municipality pays a
//! municipality whose offering its resident studies.

use chrono::{DateTime, NaiveDate, Utc};
use vuxnav_schema::{Party, PriceListEntry, PriceScope, Seen};

use super::{
    CONTENT_HASH, Column, ForeignKey, Group, KOMMUNKOD_PATTERN, Kind, REGISTRY_KEY_PATTERN, Record, Table, Value,
    column, date, first_seen, last_changed, required, text,
};

pub(super) const TABLE: Table = Table {
    name: "prices",
    title: "Price list for interkommunal ersättning",
    description: "One row per entry of the region's price list for interkommunal ersättning: what a home \
                  municipality (the payer) pays for a resident who studies an offering of another municipality \
                  (the provider), for a course or package or a whole school form, per unit, over a period. \
                  Entries of the same payer, provider and scope never overlap in time. `source` says whether an \
                  entry is a decided tariff or illustrative (made up, as in the demo).",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The entry's key, chosen by the region, stable across releases.",
            from: &["price_list_entries.key"],
            pattern: Some(REGISTRY_KEY_PATTERN),
        },
        Column {
            name: "payer_municipality_code",
            kind: Kind::String,
            required: false,
            description: "The home municipality that pays: an `id` of municipalities; empty when every \
                          municipality of the region pays this price.",
            from: &["price_list_entries.payer"],
            pattern: Some(KOMMUNKOD_PATTERN),
        },
        Column {
            name: "provider_municipality_code",
            kind: Kind::String,
            required: false,
            description: "The municipality whose offering is studied: an `id` of municipalities; empty when the \
                          price applies to the offerings of every municipality of the region.",
            from: &["price_list_entries.provider"],
            pattern: Some(KOMMUNKOD_PATTERN),
        },
        required(
            "school_form",
            Kind::String,
            &["price_list_entries.school_form"],
            "The school form priced, as `school_form` of courses spells it, such as `VUXGY`.",
        ),
        column(
            "course_code",
            Kind::String,
            &["price_list_entries.course_code"],
            "The course or yrkesvux package priced, by its code; empty when the price covers the whole school \
             form.",
        ),
        required(
            "unit",
            Kind::String,
            &["price_list_entries.unit"],
            "What the amount is per: `PER_POINT` (gymnasiepoäng), `PER_WEEK`, `PER_COURSE` or \
             `PER_SFI_COURSE`.",
        ),
        required(
            "amount_sek",
            Kind::Number,
            &["price_list_entries.amount_ore"],
            "The amount in Swedish kronor per unit, with öre as decimals.",
        ),
        required("valid_from", Kind::Date, &["price_list_entries.valid_from"], "The first day the price applies."),
        column(
            "valid_to",
            Kind::Date,
            &["price_list_entries.valid_to"],
            "The last day the price applies; empty until further notice.",
        ),
        column(
            "decision",
            Kind::String,
            &["price_list_entries.decision"],
            "The decision the price comes from, such as `KS 2025/118 §4`; empty for an illustrative price.",
        ),
        required(
            "source",
            Kind::String,
            &["price_list_entries.source"],
            "`decision` (a municipality's or the region's decided tariff) or `illustrative` (made up: never \
             a tariff).",
        ),
        first_seen(&["price_list_entries.first_seen"], "When the region first stored the entry."),
        last_changed(&["price_list_entries.last_changed"], "When the entry's content last changed."),
        CONTENT_HASH,
    ],
    foreign_keys: &[
        ForeignKey { column: "payer_municipality_code", table: "municipalities" },
        ForeignKey { column: "provider_municipality_code", table: "municipalities" },
    ],
    group: Group::Registry,
};

/// A row of `prices`.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRow {
    pub id: String,
    pub payer_municipality_code: Option<String>,
    pub provider_municipality_code: Option<String>,
    pub school_form: &'static str,
    pub course_code: Option<String>,
    pub unit: &'static str,
    pub amount_sek: f64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub decision: Option<String>,
    pub source: &'static str,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
}

/// A party's kommunkod; `None` for every municipality of the region.
fn municipality(party: Party) -> Option<String> {
    match party {
        Party::Municipality(code) => Some(code.as_str().to_owned()),
        Party::WholeRegion => None,
    }
}

impl From<&Seen<PriceListEntry>> for PriceRow {
    fn from(seen: &Seen<PriceListEntry>) -> Self {
        let e = &seen.record;
        Self {
            id: e.key.to_string(),
            payer_municipality_code: municipality(e.payer),
            provider_municipality_code: municipality(e.provider),
            school_form: e.school_form.code(),
            course_code: match &e.scope {
                PriceScope::Course(code) => Some(code.as_str().to_owned()),
                PriceScope::SchoolForm => None,
            },
            unit: e.unit.code(),
            amount_sek: e.amount.kronor(),
            valid_from: e.validity.from(),
            valid_to: e.validity.to(),
            decision: e.decision.clone(),
            source: e.source.code(),
            first_seen: seen.first_seen,
            last_changed: seen.last_changed,
        }
    }
}

impl Record for PriceRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            text(self.payer_municipality_code.as_deref()),
            text(self.provider_municipality_code.as_deref()),
            Value::Text(self.school_form),
            text(self.course_code.as_deref()),
            Value::Text(self.unit),
            Value::Number(self.amount_sek),
            Value::Date(self.valid_from),
            date(self.valid_to),
            text(self.decision.as_deref()),
            Value::Text(self.source),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }
}
