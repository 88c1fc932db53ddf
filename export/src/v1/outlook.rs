//! `outlook_assessments`: the labour-market outlook in service (the newest stored publication
//! of Arbetsförmedlingen's Yrkesbarometer, or the demo's illustrative one), one row per barometer
//! occupation and area.

use chrono::NaiveDate;
use vuxnav_schema::OutlookPublication;

use super::{CONTENT_HASH, Column, Group, Kind, Record, Table, Value, first_seen, last_changed, required};

pub(super) const TABLE: Table = Table {
    name: "outlook_assessments",
    title: "Labour-market outlook",
    description: "One row per barometer occupation and area of the labour-market outlook in service: the newest \
                  publication of Arbetsförmedlingen's Yrkesbarometer the region imported, as a dated snapshot. \
                  Rows with `illustrative` true are made-up figures in the barometer's shape (the demo's), not \
                  Arbetsförmedlingen's assessment. A publication is replaced whole: `published` says when, and \
                  `first_seen` and `last_changed` are empty.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The publication date, the barometer occupation's id and the area joined by `/`, such as \
                          `2026-01-01/demo-5321/01`.",
            from: &["outlook_assessments.published", "outlook_assessments.barometer_id", "outlook_assessments.area"],
            pattern: None,
        },
        required("published", Kind::Date, &["outlook_assessments.published"], "The publication's date."),
        required("source", Kind::String, &["outlook_publications.source"], "Where the publication comes from."),
        required(
            "illustrative",
            Kind::Boolean,
            &["outlook_publications.illustrative"],
            "Whether the figures are made up to show the shape (true in the demo), not Arbetsförmedlingen's.",
        ),
        required(
            "barometer_id",
            Kind::String,
            &["outlook_assessments.barometer_id"],
            "The barometer occupation's JobTech Taxonomy concept id.",
        ),
        required(
            "barometer_label",
            Kind::String,
            &["outlook_assessments.barometer_label"],
            "The barometer occupation's name, in Swedish.",
        ),
        Column {
            name: "occupation_ids",
            kind: Kind::String,
            required: true,
            description: "The occupations the barometer occupation covers: `id`s of occupations, space-separated.",
            from: &["outlook_assessments.occupations"],
            pattern: Some("^[A-Za-z0-9_]+( [A-Za-z0-9_]+)*$"),
        },
        Column {
            name: "area",
            kind: Kind::String,
            required: true,
            description: "The county code (länskod) the assessment is for, such as `01`, or `riket` for Sweden as a \
                          whole.",
            from: &["outlook_assessments.area"],
            pattern: Some("^([0-9]{2}|riket)$"),
        },
        required(
            "job_opportunities",
            Kind::String,
            &["outlook_assessments.job_opportunities"],
            "Möjligheter till arbete now: `sma`, `medelstora` or `stora`.",
        ),
        required(
            "recruitment_situation",
            Kind::String,
            &["outlook_assessments.recruitment_situation"],
            "Employers' demand against the workers available now: `brist`, `balans` or `overskott`.",
        ),
        required(
            "forecast",
            Kind::String,
            &["outlook_assessments.forecast"],
            "How demand is expected to develop over five years: `minska`, `oforandrad` or `oka`.",
        ),
        first_seen(&[], "Empty: a publication is replaced whole; `published` says when."),
        last_changed(&[], "Empty: a publication is replaced whole; `published` says when."),
        CONTENT_HASH,
    ],
    foreign_keys: &[],
    group: Group::Registry,
};

/// A row of `outlook_assessments`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlookRow {
    pub id: String,
    pub published: NaiveDate,
    pub source: String,
    pub illustrative: bool,
    pub barometer_id: String,
    pub barometer_label: String,
    pub occupation_ids: String,
    pub area: &'static str,
    pub job_opportunities: &'static str,
    pub recruitment_situation: &'static str,
    pub forecast: &'static str,
}

impl OutlookRow {
    /// The rows of `publication` (none without one), ordered by id.
    pub fn all(publication: Option<&OutlookPublication>) -> Vec<OutlookRow> {
        let Some(publication) = publication else { return Vec::new() };
        let mut rows: Vec<OutlookRow> = publication
            .rows()
            .iter()
            .map(|row| OutlookRow {
                id: format!("{}/{}/{}", publication.published, row.barometer.id, row.area.code()),
                published: publication.published,
                source: publication.source.clone(),
                illustrative: publication.illustrative,
                barometer_id: row.barometer.id.clone(),
                barometer_label: row.barometer.label.clone(),
                occupation_ids: row.occupations.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(" "),
                area: row.area.code(),
                job_opportunities: row.job_opportunities.code(),
                recruitment_situation: row.recruitment.code(),
                forecast: row.forecast.code(),
            })
            .collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows
    }
}

impl Record for OutlookRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Date(self.published),
            Value::Text(&self.source),
            Value::Boolean(self.illustrative),
            Value::Text(&self.barometer_id),
            Value::Text(&self.barometer_label),
            Value::Text(&self.occupation_ids),
            Value::Text(self.area),
            Value::Text(self.job_opportunities),
            Value::Text(self.recruitment_situation),
            Value::Text(self.forecast),
            Value::Null,
            Value::Null,
        ]
    }
}
