//! `courses`: one row per course that an offering in the release names.

use chrono::{DateTime, Utc};
use serde_json::{Value as Json, json};
use vuxnav_schema::{Course, Seen};

use super::{
    CONTENT_HASH, Column, Group, Kind, Record, Table, UUID_PATTERN, Value, column, first_seen, last_changed, required,
    text,
};
use crate::jsonld::{self, Graph};

pub(super) const TABLE: Table = Table {
    name: "courses",
    title: "Courses",
    description: "One row per course (what is taught) that an occasion in offerings names: a Skolverket course \
                  with its national course code, a yrkesvux package or a provider's local course.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The course's stable public id: a UUID. A course with a national course code has one \
                          id however many sources offer it.",
            from: &["courses.id"],
            pattern: Some(UUID_PATTERN),
        },
        column(
            "course_code",
            Kind::String,
            &["courses.code"],
            "Skolverket's course code (kurskod) such as `MATMAT01c`; empty for a local course.",
        ),
        column(
            "local_code",
            Kind::String,
            &["courses.local_code"],
            "A local course's own code as its source writes it (a yrkesvux package's, a municipality's own \
             course's): it means something only within that source, so two sources' equal local codes are \
             different courses. Empty for a national course.",
        ),
        required("title", Kind::String, &["courses.title"], "The course's title, in Swedish."),
        column("description", Kind::String, &["courses.description"], "What the course is about, in Swedish."),
        required(
            "school_form",
            Kind::String,
            &["courses.school_form"],
            "The form of adult education, as in EMIL 3: `VUXGR`, `VUXGY`, `VUXSFI`, `VUXGRAN`, `VUXGYAN`; also \
             `YH`, `FHS`, `AUB`, `STF` outside komvux.",
        ),
        column(
            "credits",
            Kind::Number,
            &["courses.credits_value"],
            "The course's credits in `credits_system`; set together with it.",
        ),
        column(
            "credits_system",
            Kind::String,
            &["courses.credits_system"],
            "The credits system: `gy` (gymnasiepoäng), `vp` (verksamhetspoäng), `hp`, `yh`, `fup` or `nyp`.",
        ),
        column("subject", Kind::String, &["courses.subject"], "The subject's name, such as `Matematik`."),
        column("sun_field", Kind::String, &["courses.sun_field"], "The SUN 2020 education field code."),
        required(
            "vocational",
            Kind::Boolean,
            &["courses.vocational"],
            "Whether the course is vocational (yrkesinriktad).",
        ),
        required(
            "configuration",
            Kind::String,
            &["courses.configuration"],
            "What it is: `kurs` (a course), `kurspaket` (a package) or `program`.",
        ),
        first_seen(&["offerings.first_seen"], "When vuxnav first held an occasion of the course."),
        last_changed(
            &["offerings.last_changed"],
            "The latest `last_changed` among the course's occasions in the release.",
        ),
        CONTENT_HASH,
    ],
    foreign_keys: &[],
    group: Group::Offering,
};

/// A row of `courses`.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseRow {
    pub id: String,
    pub course_code: Option<String>,
    pub local_code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub school_form: &'static str,
    pub credits: Option<f64>,
    pub credits_system: Option<&'static str>,
    pub subject: Option<String>,
    pub sun_field: Option<String>,
    pub vocational: bool,
    pub configuration: &'static str,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
    /// The Swedish label of the school form, for schema.org's `educationalLevel`.
    school_form_label: &'static str,
    /// The Swedish label of the credits system.
    credits_label: Option<&'static str>,
}

impl From<&Seen<Course>> for CourseRow {
    fn from(seen: &Seen<Course>) -> Self {
        let c = &seen.record;
        Self {
            id: c.id.to_string(),
            course_code: c.code.as_ref().map(|code| code.as_str().to_owned()),
            local_code: c.local_code.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            school_form: c.school_form.code(),
            credits: c.credits.map(|credits| credits.value),
            credits_system: c.credits.map(|credits| credits.system.code()),
            subject: c.subject.clone(),
            sun_field: c.sun_field.clone(),
            vocational: c.vocational,
            configuration: c.configuration.code(),
            first_seen: seen.first_seen,
            last_changed: seen.last_changed,
            school_form_label: c.school_form.label(),
            credits_label: c.credits.map(|credits| credits.system.label()),
        }
    }
}

impl Record for CourseRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            text(self.course_code.as_deref()),
            text(self.local_code.as_deref()),
            Value::Text(&self.title),
            text(self.description.as_deref()),
            Value::Text(self.school_form),
            self.credits.map_or(Value::Null, Value::Number),
            text(self.credits_system),
            text(self.subject.as_deref()),
            text(self.sun_field.as_deref()),
            Value::Boolean(self.vocational),
            Value::Text(self.configuration),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }

    /// A `Course`; its occasions link to it.
    fn graph(&self, graph: &mut Graph<'_>) -> std::io::Result<()> {
        let mut node = jsonld::node(&jsonld::uuid_iri(&self.id), "Course");
        node.insert("identifier".into(), Json::from(self.id.as_str()));
        jsonld::put(&mut node, "courseCode", self.course_code.as_deref());
        node.insert("name".into(), json!({"@value": self.title, "@language": "sv"}));
        if let Some(description) = &self.description {
            node.insert("description".into(), json!({"@value": description, "@language": "sv"}));
        }
        node.insert("educationalLevel".into(), self.school_form_label.into());
        if let (Some(value), Some(unit)) = (self.credits, self.credits_label) {
            node.insert(
                "numberOfCredits".into(),
                json!({"@type": "StructuredValue", "value": value, "unitText": unit}),
            );
        }
        jsonld::put(&mut node, "about", self.subject.as_deref());
        node.insert("offers".into(), json!({"@type": "Offer", "price": 0, "priceCurrency": "SEK"}));
        graph.write(node)
    }
}
