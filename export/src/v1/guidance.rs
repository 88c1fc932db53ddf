//! `guidance_services`: vägledning and lärcentra the region keeps, and
//! `guidance_opening_hours`: their opening hours, one row per opening, so that a consumer can
//! ask who is open on a Thursday evening without parsing text.

use chrono::{DateTime, Utc};
use vuxnav_schema::{GuidanceService, Seen};

use super::{
    CONTENT_HASH, Column, ForeignKey, Group, KOMMUNKOD_LIST_PATTERN, Kind, REGISTRY_KEY_PATTERN, Record, Table, Value,
    column, first_seen, last_changed, required, spaced, text,
};

/// A time of day as the table writes it: `08:30`.
const TIME_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

pub(super) const SERVICES: Table = Table {
    name: "guidance_services",
    title: "Guidance services and learning centres",
    description: "One row per guidance service (studie- och yrkesvägledning) or learning centre (lärcentrum, a \
                  place that supports distance students) the region keeps: who organises it, for residents of \
                  which municipalities, how it can be reached, in which languages, for whom, where, and whether \
                  it draws up an individual study plan. Its opening hours are in guidance_opening_hours. The \
                  phone number and booking link are the service's own, never a person's.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The service's key, chosen by the region, stable across releases, such as \
                          `vagledning-botkyrka`.",
            from: &["guidance_services.key"],
            pattern: Some(REGISTRY_KEY_PATTERN),
        },
        required(
            "kind",
            Kind::String,
            &["guidance_services.kind"],
            "`vagledning` (a guidance service) or `larcentrum` (a learning centre).",
        ),
        required("name", Kind::String, &["guidance_services.name"], "The service's name, in Swedish."),
        required(
            "organiser",
            Kind::String,
            &["guidance_services.organiser"],
            "Who runs it: a municipality, several together, or a regional centre.",
        ),
        Column {
            name: "municipality_codes",
            kind: Kind::String,
            required: true,
            description: "The municipalities whose residents it serves: space-separated kommunkoder, each an `id` \
                          of municipalities.",
            from: &["guidance_services.municipalities"],
            pattern: Some(KOMMUNKOD_LIST_PATTERN),
        },
        column(
            "channels",
            Kind::String,
            &["guidance_services.channels"],
            "How it can be reached, space-separated: `plats` (on site), `telefon`, `video`, `chatt`.",
        ),
        column(
            "languages",
            Kind::String,
            &["guidance_services.languages"],
            "The languages guidance is given in: space-separated ISO 639-2 codes such as `swe eng`.",
        ),
        column(
            "target_groups",
            Kind::String,
            &["guidance_services.target_groups"],
            "Whom it is for, space-separated: `sfi`, `grundlaggande`, `gymnasial`, `anpassad`, `yrkesvux`.",
        ),
        column("location_name", Kind::String, &["guidance_services.location_name"], "The visiting address's name."),
        column("street_address", Kind::String, &["guidance_services.street_address"], "The street address."),
        column("postal_code", Kind::String, &["guidance_services.postal_code"], "The postal code."),
        column("town", Kind::String, &["guidance_services.town"], "The town (postort)."),
        column(
            "latitude",
            Kind::Number,
            &["guidance_services.latitude"],
            "WGS 84 latitude of the visiting address; set together with longitude.",
        ),
        column(
            "longitude",
            Kind::Number,
            &["guidance_services.longitude"],
            "WGS 84 longitude of the visiting address; set together with latitude.",
        ),
        column("booking_url", Kind::String, &["guidance_services.booking_url"], "Where to book a meeting."),
        column(
            "phone",
            Kind::String,
            &["guidance_services.phone"],
            "The service's own phone number (a switchboard or the service's line), never a person's.",
        ),
        required(
            "draws_up_study_plan",
            Kind::Boolean,
            &["guidance_services.draws_up_study_plan"],
            "Whether it draws up an individual study plan (individuell studieplan).",
        ),
        first_seen(&["guidance_services.first_seen"], "When the region first stored the service."),
        last_changed(
            &["guidance_services.last_changed"],
            "When the service's content (its opening hours included) last changed.",
        ),
        CONTENT_HASH,
    ],
    foreign_keys: &[],
    group: Group::Registry,
};

pub(super) const HOURS: Table = Table {
    name: "guidance_opening_hours",
    title: "Opening hours of guidance services",
    description: "One row per opening of a guidance service or learning centre in a week: a weekday, when it \
                  opens and when it closes (Swedish local time). A service open twice on a day has two rows; a \
                  day without rows is closed.",
    columns: &[
        Column {
            name: "id",
            kind: Kind::String,
            required: true,
            description: "The opening's id: the service's id, the ISO weekday and the opening time joined by `/`, \
                          such as `vagledning-botkyrka/1/08:00`.",
            from: &["guidance_services.key", "guidance_services.opening_hours"],
            pattern: None,
        },
        Column {
            name: "guidance_service_id",
            kind: Kind::String,
            required: true,
            description: "The service: an `id` of guidance_services.",
            from: &["guidance_services.key"],
            pattern: Some(REGISTRY_KEY_PATTERN),
        },
        Column {
            name: "weekday",
            kind: Kind::Integer,
            required: true,
            description: "The day of the week, ISO 8601: 1 is Monday, 7 is Sunday.",
            from: &["guidance_services.opening_hours"],
            pattern: None,
        },
        Column {
            name: "opens",
            kind: Kind::String,
            required: true,
            description: "When it opens, `HH:MM`, Swedish local time.",
            from: &["guidance_services.opening_hours"],
            pattern: Some(TIME_PATTERN),
        },
        Column {
            name: "closes",
            kind: Kind::String,
            required: true,
            description: "When it closes, `HH:MM`, Swedish local time; always after `opens`.",
            from: &["guidance_services.opening_hours"],
            pattern: Some(TIME_PATTERN),
        },
        first_seen(&["guidance_services.first_seen"], "When the region first stored the service."),
        last_changed(&["guidance_services.last_changed"], "When the service's content last changed."),
        CONTENT_HASH,
    ],
    foreign_keys: &[ForeignKey { column: "guidance_service_id", table: "guidance_services" }],
    group: Group::Registry,
};

/// A row of `guidance_services`.
#[derive(Debug, Clone, PartialEq)]
pub struct GuidanceServiceRow {
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub organiser: String,
    pub municipality_codes: String,
    pub channels: Option<String>,
    pub languages: Option<String>,
    pub target_groups: Option<String>,
    pub location_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub town: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub booking_url: Option<String>,
    pub phone: Option<String>,
    pub draws_up_study_plan: bool,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
}

impl From<&Seen<GuidanceService>> for GuidanceServiceRow {
    fn from(seen: &Seen<GuidanceService>) -> Self {
        let s = &seen.record;
        let a = &s.address;
        Self {
            id: s.key.to_string(),
            kind: s.kind.code(),
            name: s.name.clone(),
            organiser: s.organiser.clone(),
            municipality_codes: spaced(s.municipalities.iter().map(|c| c.as_str())).unwrap_or_default(),
            channels: spaced(s.channels.iter().map(|c| c.code())),
            languages: spaced(s.languages.iter().map(|l| l.as_str())),
            target_groups: spaced(s.target_groups.iter().map(|t| t.code())),
            location_name: a.name.clone(),
            street_address: a.street_address.clone(),
            postal_code: a.postal_code.clone(),
            town: a.town.clone(),
            latitude: a.coordinates.map(|c| c.latitude),
            longitude: a.coordinates.map(|c| c.longitude),
            booking_url: s.booking_url.clone(),
            phone: s.phone.clone(),
            draws_up_study_plan: s.draws_up_study_plan,
            first_seen: seen.first_seen,
            last_changed: seen.last_changed,
        }
    }
}

impl Record for GuidanceServiceRow {
    const TABLE: &'static Table = &SERVICES;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(self.kind),
            Value::Text(&self.name),
            Value::Text(&self.organiser),
            Value::Text(&self.municipality_codes),
            text(self.channels.as_deref()),
            text(self.languages.as_deref()),
            text(self.target_groups.as_deref()),
            text(self.location_name.as_deref()),
            text(self.street_address.as_deref()),
            text(self.postal_code.as_deref()),
            text(self.town.as_deref()),
            self.latitude.map_or(Value::Null, Value::Number),
            self.longitude.map_or(Value::Null, Value::Number),
            text(self.booking_url.as_deref()),
            text(self.phone.as_deref()),
            Value::Boolean(self.draws_up_study_plan),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }
}

/// A row of `guidance_opening_hours`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHoursRow {
    pub id: String,
    pub guidance_service_id: String,
    /// ISO 8601: 1 is Monday.
    pub weekday: u32,
    pub opens: String,
    pub closes: String,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
}

impl OpeningHoursRow {
    /// The openings of every service, ordered by id.
    pub fn all(services: &[Seen<GuidanceService>]) -> Vec<OpeningHoursRow> {
        let mut rows: Vec<OpeningHoursRow> = services
            .iter()
            .flat_map(|seen| {
                let key = seen.record.key.as_str();
                seen.record.opening_hours.iter().map(move |h| {
                    let weekday = h.weekday.number_from_monday();
                    let opens = h.opens.format("%H:%M").to_string();
                    OpeningHoursRow {
                        id: format!("{key}/{weekday}/{opens}"),
                        guidance_service_id: key.to_owned(),
                        weekday,
                        opens,
                        closes: h.closes.format("%H:%M").to_string(),
                        first_seen: seen.first_seen,
                        last_changed: seen.last_changed,
                    }
                })
            })
            .collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        rows
    }
}

impl Record for OpeningHoursRow {
    const TABLE: &'static Table = &HOURS;

    fn id(&self) -> &str {
        &self.id
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Text(&self.id),
            Value::Text(&self.guidance_service_id),
            Value::Integer(i64::from(self.weekday)),
            Value::Text(&self.opens),
            Value::Text(&self.closes),
            Value::Datetime(self.first_seen),
            Value::Datetime(self.last_changed),
        ]
    }
}
