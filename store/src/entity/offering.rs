//! `offerings`: one row per course occasion, keyed by its public id, with its provenance and
//! `withdrawn_at` (set when a complete harvest of its source no longer contains it).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "offerings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub source_id: String,
    pub upstream_id: String,
    pub course_id: Uuid,
    pub provider_id: Uuid,
    /// A kommunkod, four characters.
    pub municipality: String,
    pub location_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub town: Option<String>,
    /// Set together with `longitude`.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub continuous_intake: bool,
    pub application_opens: Option<Date>,
    pub application_closes: Option<Date>,
    pub application_continuous: bool,
    pub application_url: Option<String>,
    /// Percent of full time, 1 to 100.
    pub pace: i16,
    /// `TimeOfStudy::code()`, or `""` when unknown (the column predates unknowns, and SQLite
    /// cannot make a column nullable without rebuilding its table).
    pub time_of_study: String,
    /// `StudyMode::code()`, or `""` when unknown.
    pub mode: String,
    /// ISO 639-2, or `""` when unknown.
    pub language: String,
    pub seats: Option<i64>,
    pub cancelled: bool,
    pub apprenticeship: bool,
    pub fee_sek: Option<i64>,
    /// `Eligibility::code()`.
    pub eligibility: String,
    pub web: Option<String>,
    pub first_seen: DateTimeUtc,
    pub last_changed: DateTimeUtc,
    pub content_hash: String,
    pub last_harvest: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
    /// The provider's own title for the occasion.
    pub title: Option<String>,
    /// `ConfiguredField::code()`s joined with `,`: the fields the source's config stated.
    pub configured: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
