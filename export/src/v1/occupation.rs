//! `occupations`: the pinned taxonomy snapshot, a code list like `municipalities`; and
//! `occupation_links`: the region's statement that a course or yrkesvux package leads to one.

use chrono::{DateTime, Utc};
use vuxnav_schema::{OccupationLink, Seen, Taxonomy};

use super::{CONTENT_HASH, Column, ForeignKey, Group, Kind, Record, Table, Value, first_seen, last_changed, required};

/// A JobTech Taxonomy concept id, such as `Y3QA_5pk_uXd`.
const CONCEPT_ID_PATTERN: &str = "^[A-Za-z0-9]{4}_[A-Za-z0-9]{3}_[A-Za-z0-9]{3}$";

pub(super) const OCCUPATIONS: Table = Table {
    name: "occupations",
    title: "Occupations",
    description: "One row per occupation of the taxonomy snapshot vuxnav is pinned to: a JobTech Taxonomy \
                  occupation-name concept with its SSYK 2012 unit group. A code list shipped with vuxnav \
                  (`schema/taxonomy/occupations.tsv`), not harvested: `taxonomy_snapshot` and \
                  `taxonomy_version` name the snapshot, and `first_seen` and `last_changed` are empty.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The JobTech Taxonomy concept id of the occupation name, such as `Y3QA_5pk_uXd`.",
            from: &[],
            pattern: Some(CONCEPT_ID_PATTERN),
        },
        required(
            "label",
            Kind::String,
            &[],
            "JobTech's preferred label, in Swedish, such as `Undersköterska, hemtjänst och äldreboende`.",
        ),
        Column {
            name: "ssyk_code",
            kind: Kind::String,
            required: true,
            description: "The SSYK 2012 unit group (level 4) the occupation belongs to, such as `5321`.",
            from: &[],
            pattern: Some("^[0-9]{4}$"),
        },
        required("ssyk_label", Kind::String, &[], "The SSYK 2012 unit group's label, in Swedish, from SCB."),
        required(
            "taxonomy_snapshot",
            Kind::String,
            &[],
            "The name of vuxnav's pinned snapshot the row comes from, such as `vuxnav-occupations-2026-1`; \
             the same on every row.",
        ),
        required(
            "taxonomy_version",
            Kind::String,
            &[],
            "The JobTech Taxonomy version the snapshot was taken from, or what is known about it; the same on \
             every row.",
        ),
        first_seen(&[], "Empty: a code list, not harvested."),
        last_changed(&[], "Empty: a code list, not harvested."),
        CONTENT_HASH,
    ],
    foreign_keys: &[],
    group: Group::Registry,
};

pub(super) const LINKS: Table = Table {
    name: "occupation_links",
    title: "Courses and packages leading to occupations",
    description: "One row per link the region keeps from a course or yrkesvux package, by its code, to an \
                  occupation it leads to. A course code may link to several occupations and an occupation to \
                  several codes.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The link's id: the course code and the occupation id joined by `/`, such as \
                          `YVUSK/Y3QA_5pk_uXd`.",
            from: &["occupation_links.course_code", "occupation_links.occupation_id"],
            pattern: None,
        },
        required(
            "course_code",
            Kind::String,
            &["occupation_links.course_code"],
            "The course's or yrkesvux package's code, as `course_code` or `local_code` of courses spells it.",
        ),
        Column {
            name: "occupation_id",
            kind: Kind::String,
            required: true,
            description: "The occupation it leads to: an `id` of occupations.",
            from: &["occupation_links.occupation_id"],
            pattern: Some(CONCEPT_ID_PATTERN),
        },
        first_seen(&["occupation_links.first_seen"], "When the region first stored the link."),
        last_changed(
            &["occupation_links.last_changed"],
            "When the link was stored; a link has no other content, so it equals `first_seen`.",
        ),
        CONTENT_HASH,
    ],
    foreign_keys: &[ForeignKey { column: "occupation_id", table: "occupations" }],
    group: Group::Registry,
};

/// A row of `occupations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupationRow {
    pub id: String,
    pub label: String,
    pub ssyk_code: String,
    pub ssyk_label: String,
    pub taxonomy_snapshot: String,
    pub taxonomy_version: String,
}

impl OccupationRow {
    /// Every occupation of `taxonomy`, ordered by id.
    pub fn all(taxonomy: &Taxonomy) -> Vec<OccupationRow> {
        let mut rows: Vec<OccupationRow> = taxonomy
            .occupations()
            .iter()
            .map(|o| OccupationRow {
                id: o.id.as_str().to_owned(),
                label: o.label.clone(),
                ssyk_code: o.ssyk.code(),
                ssyk_label: o.ssyk_label.clone(),
                taxonomy_snapshot: taxonomy.snapshot.clone(),
                taxonomy_version: taxonomy.version.clone(),
            })
            .collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows
    }
}

impl Record for OccupationRow {
    const TABLE: &'static Table = &OCCUPATIONS;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(&self.label),
            Value::Text(&self.ssyk_code),
            Value::Text(&self.ssyk_label),
            Value::Text(&self.taxonomy_snapshot),
            Value::Text(&self.taxonomy_version),
            Value::Null,
            Value::Null,
        ]
    }
}

/// A row of `occupation_links`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupationLinkRow {
    pub id: String,
    pub course_code: String,
    pub occupation_id: String,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
}

impl From<&Seen<OccupationLink>> for OccupationLinkRow {
    fn from(seen: &Seen<OccupationLink>) -> Self {
        let link = &seen.record;
        Self {
            id: format!("{}/{}", link.course.as_str(), link.occupation.as_str()),
            course_code: link.course.as_str().to_owned(),
            occupation_id: link.occupation.as_str().to_owned(),
            first_seen: seen.first_seen,
            last_changed: seen.last_changed,
        }
    }
}

impl Record for OccupationLinkRow {
    const TABLE: &'static Table = &LINKS;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(&self.course_code),
            Value::Text(&self.occupation_id),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }
}
