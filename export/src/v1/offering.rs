//! `offerings`: one row per course occasion (utbildningstillfälle) the store holds.

use serde_json::{Map, Value as Json, json};
use vuxnav_schema::{ConfiguredField, Offering, StudyMode};

use super::{
    CONTENT_HASH, Column, ForeignKey, Group, KOMMUNKOD_PATTERN, Kind, Record, Table, UUID_PATTERN, Value, column, date,
    first_seen, integer, last_changed, required, text,
};
use crate::jsonld::{self, Graph};

pub(super) const TABLE: Table = Table {
    name: "offerings",
    title: "Course occasions",
    description: "One row per course occasion (utbildningstillfälle) a municipality's source lists and vuxnav \
                  currently holds: a course given by a provider in a municipality, with where, when, how and \
                  how to apply. Withdrawn occasions are not in the table; the delta names them.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The occasion's stable public id: a UUID that never changes and is never reused.",
            from: &["offerings.id"],
            pattern: Some(UUID_PATTERN),
        },
        Column {
            name: "course_id",
            kind: Kind::String,
            required: true,
            description: "The course given: an `id` of courses.",
            from: &["offerings.course_id"],
            pattern: Some(UUID_PATTERN),
        },
        Column {
            name: "provider_id",
            kind: Kind::String,
            required: true,
            description: "The provider (utbildningsanordnare) that gives it: an `id` of providers.",
            from: &["offerings.provider_id"],
            pattern: Some(UUID_PATTERN),
        },
        Column {
            name: "municipality_code",
            kind: Kind::String,
            required: true,
            description: "The municipality of study, which offers it: a kommunkod, an `id` of municipalities.",
            from: &["offerings.municipality"],
            pattern: Some(KOMMUNKOD_PATTERN),
        },
        required(
            "source_id",
            Kind::String,
            &["offerings.source_id"],
            "The source it was harvested from: an `id` of sources.",
        ),
        column(
            "title",
            Kind::String,
            &["offerings.title"],
            "The title the provider published for this occasion (`Matematik 1c Kväll`), when it has one; the \
             course's own title is in courses.",
        ),
        column("location_name", Kind::String, &["offerings.location_name"], "The study location's name."),
        column("street_address", Kind::String, &["offerings.street_address"], "The study location's street address."),
        column("postal_code", Kind::String, &["offerings.postal_code"], "The study location's postal code."),
        column("town", Kind::String, &["offerings.town"], "The study location's town (postort)."),
        column(
            "latitude",
            Kind::Number,
            &["offerings.latitude"],
            "WGS 84 latitude of the study location; set together with longitude.",
        ),
        column(
            "longitude",
            Kind::Number,
            &["offerings.longitude"],
            "WGS 84 longitude of the study location; set together with latitude.",
        ),
        column("start_date", Kind::Date, &["offerings.start_date"], "The first day of teaching."),
        column("end_date", Kind::Date, &["offerings.end_date"], "The last day of teaching."),
        required(
            "continuous_intake",
            Kind::Boolean,
            &["offerings.continuous_intake"],
            "Whether students start when they are admitted rather than on a start date.",
        ),
        column("application_opens", Kind::Date, &["offerings.application_opens"], "The first day one can apply."),
        column("application_closes", Kind::Date, &["offerings.application_closes"], "The last day one can apply."),
        required(
            "application_continuous",
            Kind::Boolean,
            &["offerings.application_continuous"],
            "Whether one can apply at any time.",
        ),
        column("application_url", Kind::String, &["offerings.application_url"], "Where to apply."),
        Column {
            name: "pace_percent",
            kind: Kind::Integer,
            required: true,
            description: "The study pace in percent of full time, 1 to 100.",
            from: &["offerings.pace"],
            pattern: None,
        },
        column(
            "time_of_study",
            Kind::String,
            &["offerings.time_of_study"],
            "When teaching happens: `dag` (daytime), `kvall` (evening), `helg` (weekend) or `blandat` (mixed); \
             empty when unknown.",
        ),
        column(
            "study_mode",
            Kind::String,
            &["offerings.mode"],
            "Where teaching happens: `plats` (on site), `distans` (distance) or `hybrid` (partly distance); empty \
             when unknown.",
        ),
        column(
            "language",
            Kind::String,
            &["offerings.language"],
            "The language of instruction: an ISO 639-2 code such as `swe`; empty when unknown.",
        ),
        column("seats", Kind::Integer, &["offerings.seats"], "The number of seats, where the source says."),
        required("cancelled", Kind::Boolean, &["offerings.cancelled"], "Whether the occasion is cancelled."),
        required(
            "apprenticeship",
            Kind::Boolean,
            &["offerings.apprenticeship"],
            "Whether it is given as an apprenticeship (lärlingsutbildning).",
        ),
        column(
            "fee_sek",
            Kind::Integer,
            &["offerings.fee_sek"],
            "A fee in whole Swedish kronor; empty when there is none (komvux is free).",
        ),
        required(
            "eligibility",
            Kind::String,
            &["offerings.eligibility"],
            "Who may apply: `kommun` (residents of the municipality), `region` (residents of the region) or \
             `nationell` (anyone).",
        ),
        column("url", Kind::String, &["offerings.web"], "The occasion's web page."),
        column(
            "configured",
            Kind::String,
            &["offerings.configured"],
            "The columns whose value the source's configuration set (an administrator's default) rather than \
             the upstream record, space-separated: `time_of_study`, `study_mode`, `language`, `pace_percent`, \
             and of the course and provider `school_form`, `provider_name` and `provider_kind`; empty when \
             every value was read.",
        ),
        first_seen(&["offerings.first_seen"], "When vuxnav first held the occasion."),
        last_changed(
            &["offerings.last_changed"],
            "When vuxnav last saw the occasion change, or come back after it was withdrawn.",
        ),
        CONTENT_HASH,
    ],
    foreign_keys: &[
        ForeignKey { column: "municipality_code", table: "municipalities" },
        ForeignKey { column: "source_id", table: "sources" },
        ForeignKey { column: "provider_id", table: "providers" },
        ForeignKey { column: "course_id", table: "courses" },
    ],
    group: Group::Offering,
};

/// A row of `offerings`.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferingRow {
    pub id: String,
    pub course_id: String,
    pub provider_id: String,
    pub municipality_code: String,
    pub source_id: String,
    pub title: Option<String>,
    pub location_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub town: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub start_date: Option<chrono::NaiveDate>,
    pub end_date: Option<chrono::NaiveDate>,
    pub continuous_intake: bool,
    pub application_opens: Option<chrono::NaiveDate>,
    pub application_closes: Option<chrono::NaiveDate>,
    pub application_continuous: bool,
    pub application_url: Option<String>,
    pub pace_percent: u8,
    pub time_of_study: Option<&'static str>,
    pub study_mode: Option<&'static str>,
    pub language: Option<String>,
    pub seats: Option<u32>,
    pub cancelled: bool,
    pub apprenticeship: bool,
    pub fee_sek: Option<u32>,
    pub eligibility: &'static str,
    pub url: Option<String>,
    pub configured: Option<String>,
    pub first_seen: chrono::DateTime<chrono::Utc>,
    pub last_changed: chrono::DateTime<chrono::Utc>,
    /// schema.org's `courseMode` of the study mode, when known.
    course_mode: Option<&'static str>,
}

impl From<&Offering> for OfferingRow {
    fn from(o: &Offering) -> Self {
        let l = &o.location;
        Self {
            id: o.id.to_string(),
            course_id: o.course.to_string(),
            provider_id: o.provider.to_string(),
            municipality_code: o.municipality.as_str().to_owned(),
            source_id: o.provenance.source.as_str().to_owned(),
            title: o.title.clone(),
            location_name: l.name.clone(),
            street_address: l.street_address.clone(),
            postal_code: l.postal_code.clone(),
            town: l.town.clone(),
            latitude: l.coordinates.map(|c| c.latitude),
            longitude: l.coordinates.map(|c| c.longitude),
            start_date: o.schedule.start(),
            end_date: o.schedule.end(),
            continuous_intake: o.schedule.continuous_intake(),
            application_opens: o.application.opens(),
            application_closes: o.application.closes(),
            application_continuous: o.application.continuous(),
            application_url: o.application.url.clone(),
            pace_percent: o.pace.percent(),
            time_of_study: o.time_of_study.map(|t| t.code()),
            study_mode: o.mode.map(|m| m.code()),
            language: o.language.map(|l| l.as_str().to_owned()),
            seats: o.seats,
            cancelled: o.cancelled,
            apprenticeship: o.apprenticeship,
            fee_sek: o.fee_sek,
            eligibility: o.eligibility.code(),
            url: o.web.clone(),
            configured: configured_columns(&o.provenance.configured),
            first_seen: o.provenance.first_seen,
            last_changed: o.provenance.last_changed,
            course_mode: o.mode.map(|mode| match mode {
                StudyMode::OnSite => "onsite",
                StudyMode::Distance => "online",
                StudyMode::Hybrid => "blended",
            }),
        }
    }
}

/// The release's names for the configured fields, space-separated; `None` when every value
/// was read.
fn configured_columns(configured: &std::collections::BTreeSet<ConfiguredField>) -> Option<String> {
    let names: Vec<&str> = configured
        .iter()
        .map(|field| match field {
            ConfiguredField::SchoolForm => "school_form",
            ConfiguredField::ProviderName => "provider_name",
            ConfiguredField::ProviderKind => "provider_kind",
            ConfiguredField::Pace => "pace_percent",
            ConfiguredField::Mode => "study_mode",
            ConfiguredField::TimeOfStudy => "time_of_study",
            ConfiguredField::Language => "language",
        })
        .collect();
    (!names.is_empty()).then(|| names.join(" "))
}

impl Record for OfferingRow {
    const TABLE: &'static Table = &TABLE;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(&self.course_id),
            Value::Text(&self.provider_id),
            Value::Text(&self.municipality_code),
            Value::Text(&self.source_id),
            text(self.title.as_deref()),
            text(self.location_name.as_deref()),
            text(self.street_address.as_deref()),
            text(self.postal_code.as_deref()),
            text(self.town.as_deref()),
            self.latitude.map_or(Value::Null, Value::Number),
            self.longitude.map_or(Value::Null, Value::Number),
            date(self.start_date),
            date(self.end_date),
            Value::Boolean(self.continuous_intake),
            date(self.application_opens),
            date(self.application_closes),
            Value::Boolean(self.application_continuous),
            text(self.application_url.as_deref()),
            Value::Integer(i64::from(self.pace_percent)),
            text(self.time_of_study),
            text(self.study_mode),
            text(self.language.as_deref()),
            integer(self.seats),
            Value::Boolean(self.cancelled),
            Value::Boolean(self.apprenticeship),
            integer(self.fee_sek),
            Value::Text(self.eligibility),
            text(self.url.as_deref()),
            text(self.configured.as_deref()),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }

    /// A `CourseInstance`, linked from its `Course` by `hasCourseInstance` (written here as
    /// `@reverse`, so the course needs no list of its occasions), and a `Place` for its study
    /// location the first time the graph meets it.
    fn graph(&self, graph: &mut Graph<'_>) -> std::io::Result<()> {
        let place = jsonld::place_id(
            [&self.location_name, &self.street_address, &self.postal_code, &self.town],
            self.latitude.zip(self.longitude),
        );
        if let Some(place) = &place
            && graph.first_visit(place)
        {
            let mut node = jsonld::node(place, "Place");
            jsonld::put(&mut node, "name", self.location_name.as_deref());
            let mut address = Map::new();
            address.insert("@type".into(), "PostalAddress".into());
            jsonld::put(&mut address, "streetAddress", self.street_address.as_deref());
            jsonld::put(&mut address, "postalCode", self.postal_code.as_deref());
            jsonld::put(&mut address, "addressLocality", self.town.as_deref());
            address.insert("addressCountry".into(), "SE".into());
            node.insert("address".into(), address.into());
            if let Some((latitude, longitude)) = self.latitude.zip(self.longitude) {
                node.insert(
                    "geo".into(),
                    json!({"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}),
                );
            }
            graph.write(node)?;
        }

        let mut node = jsonld::node(&jsonld::uuid_iri(&self.id), "CourseInstance");
        node.insert("identifier".into(), Json::from(self.id.as_str()));
        node.insert("@reverse".into(), json!({"hasCourseInstance": {"@id": jsonld::uuid_iri(&self.course_id)}}));
        node.insert("organizer".into(), json!({"@id": jsonld::uuid_iri(&self.provider_id)}));
        jsonld::put(&mut node, "name", self.title.as_deref());
        jsonld::put(&mut node, "courseMode", self.course_mode);
        node.insert("courseWorkload".into(), format!("{} % av heltid", self.pace_percent).into());
        jsonld::put(&mut node, "startDate", self.start_date.map(|d| d.to_string()).as_deref());
        jsonld::put(&mut node, "endDate", self.end_date.map(|d| d.to_string()).as_deref());
        if let Some(language) = &self.language {
            node.insert("inLanguage".into(), jsonld::language_tag(language).into());
        }
        if let Some(place) = place {
            node.insert("location".into(), json!({"@id": place}));
        }
        if let Some(seats) = self.seats {
            node.insert("maximumAttendeeCapacity".into(), seats.into());
        }
        if self.cancelled {
            node.insert("eventStatus".into(), "https://schema.org/EventCancelled".into());
        }
        let mut offer = Map::new();
        offer.insert("@type".into(), "Offer".into());
        offer.insert("price".into(), self.fee_sek.unwrap_or(0).into());
        offer.insert("priceCurrency".into(), "SEK".into());
        jsonld::put(&mut offer, "url", self.application_url.as_deref());
        jsonld::put(&mut offer, "availabilityStarts", self.application_opens.map(|d| d.to_string()).as_deref());
        jsonld::put(&mut offer, "availabilityEnds", self.application_closes.map(|d| d.to_string()).as_deref());
        node.insert("offers".into(), offer.into());
        jsonld::put(&mut node, "url", self.url.as_deref());
        graph.write(node)
    }
}
