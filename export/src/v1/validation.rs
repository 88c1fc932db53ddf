//! `validation_offers`: validering the region offers, against a course or against an
//! industry's requirements.

use chrono::{DateTime, NaiveDate, Utc};
use vuxnav_schema::{Seen, ValidationOffer};

use super::{
    CONTENT_HASH, Column, Group, KOMMUNKOD_LIST_PATTERN, Kind, REGISTRY_KEY_PATTERN, Record, Table, Value, column,
    date, first_seen, integer, last_changed, required, spaced, text,
};

pub(super) const TABLE: Table = Table {
    name: "validation_offers",
    title: "Validation offers",
    description: "One row per validation offer (validering) the region keeps: prövning or validation to a grade \
                  against a Skolverket course, or branschvalidering against an industry's requirements, with \
                  who gives it, for residents of which municipalities, what it costs and who pays, and how to \
                  get in touch. The contact is the offer's own function address or number, never a person's.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The offer's key, chosen by the region, stable across releases, such as \
                          `usk-prova-botkyrka`.",
            from: &["validation_offers.key"],
            pattern: Some(REGISTRY_KEY_PATTERN),
        },
        required(
            "kind",
            Kind::String,
            &["validation_offers.kind"],
            "`AGAINST_COURSE` (prövning or validation to a grade in a course) or `AGAINST_INDUSTRY` \
             (branschvalidering).",
        ),
        required("title", Kind::String, &["validation_offers.title"], "The offer's title, in Swedish."),
        column(
            "course_codes",
            Kind::String,
            &["validation_offers.course_codes"],
            "The course or package codes validated against, space-separated; empty for branschvalidering.",
        ),
        column(
            "occupation_ids",
            Kind::String,
            &["validation_offers.occupations"],
            "The occupations the offer leads towards, space-separated `id`s of occupations.",
        ),
        column(
            "industry_model",
            Kind::String,
            &["validation_offers.industry_model_name"],
            "The industry's validation model, for branschvalidering; set together with industry_model_owner.",
        ),
        column(
            "industry_model_owner",
            Kind::String,
            &["validation_offers.industry_model_owner"],
            "Who owns the industry's validation model (an industry body, such as `BYN`).",
        ),
        column(
            "seqf_level",
            Kind::Integer,
            &["validation_offers.seqf_level"],
            "The SeQF level (1 to 8) of the qualification validated, where known.",
        ),
        required("provider", Kind::String, &["validation_offers.provider"], "Who carries out the validation."),
        Column {
            name: "municipality_codes",
            kind: Kind::String,
            required: true,
            description: "The municipalities whose residents the offer serves: space-separated kommunkoder, each \
                          an `id` of municipalities.",
            from: &["validation_offers.municipalities"],
            pattern: Some(KOMMUNKOD_LIST_PATTERN),
        },
        column(
            "languages",
            Kind::String,
            &["validation_offers.languages"],
            "The languages it can be done in: space-separated ISO 639-2 codes such as `swe ara`.",
        ),
        column(
            "cost_sek",
            Kind::Integer,
            &["validation_offers.cost_sek"],
            "What it costs, in whole Swedish kronor; `0` when free, empty when not stated.",
        ),
        required(
            "paid_by",
            Kind::String,
            &["validation_offers.paid_by"],
            "Who pays: `kommun`, `arbetsformedlingen`, `arbetsgivare`, `bransch` or `deltagare`.",
        ),
        required(
            "contact",
            Kind::String,
            &["validation_offers.contact"],
            "How to get in touch: the offer's function address, number or web page, never a person's.",
        ),
        required("valid_from", Kind::Date, &["validation_offers.valid_from"], "The first day the offer holds."),
        column(
            "valid_to",
            Kind::Date,
            &["validation_offers.valid_to"],
            "The last day the offer holds; empty until further notice.",
        ),
        first_seen(&["validation_offers.first_seen"], "When the region first stored the offer."),
        last_changed(&["validation_offers.last_changed"], "When the offer's content last changed."),
        CONTENT_HASH,
    ],
    foreign_keys: &[],
    group: Group::Registry,
};

/// A row of `validation_offers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationOfferRow {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub course_codes: Option<String>,
    pub occupation_ids: Option<String>,
    pub industry_model: Option<String>,
    pub industry_model_owner: Option<String>,
    pub seqf_level: Option<u8>,
    pub provider: String,
    pub municipality_codes: String,
    pub languages: Option<String>,
    pub cost_sek: Option<u32>,
    pub paid_by: &'static str,
    pub contact: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
}

impl From<&Seen<ValidationOffer>> for ValidationOfferRow {
    fn from(seen: &Seen<ValidationOffer>) -> Self {
        let o = &seen.record;
        Self {
            id: o.key.to_string(),
            kind: o.kind.code(),
            title: o.title.clone(),
            course_codes: spaced(o.course_codes.iter().map(|c| c.as_str())),
            occupation_ids: spaced(o.occupations.iter().map(|c| c.as_str())),
            industry_model: o.industry_model.as_ref().map(|m| m.name.clone()),
            industry_model_owner: o.industry_model.as_ref().map(|m| m.owner.clone()),
            seqf_level: o.seqf_level.map(|l| l.level()),
            provider: o.provider.clone(),
            municipality_codes: spaced(o.municipalities.iter().map(|c| c.as_str())).unwrap_or_default(),
            languages: spaced(o.languages.iter().map(|l| l.as_str())),
            cost_sek: o.cost_sek,
            paid_by: o.paid_by.code(),
            contact: o.contact.clone(),
            valid_from: o.validity.from(),
            valid_to: o.validity.to(),
            first_seen: seen.first_seen,
            last_changed: seen.last_changed,
        }
    }
}

impl Record for ValidationOfferRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(self.kind),
            Value::Text(&self.title),
            text(self.course_codes.as_deref()),
            text(self.occupation_ids.as_deref()),
            text(self.industry_model.as_deref()),
            text(self.industry_model_owner.as_deref()),
            integer(self.seqf_level),
            Value::Text(&self.provider),
            Value::Text(&self.municipality_codes),
            text(self.languages.as_deref()),
            integer(self.cost_sek),
            Value::Text(self.paid_by),
            Value::Text(&self.contact),
            Value::Date(self.valid_from),
            date(self.valid_to),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }
}
