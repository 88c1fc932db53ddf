//! `guidance_services`: vägledning and lärcentra.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "guidance_services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub kind: String,
    pub name: String,
    pub organiser: String,
    /// JSON arrays of codes.
    pub municipalities: Json,
    pub channels: Json,
    pub languages: Json,
    pub target_groups: Json,
    pub location_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub town: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub booking_url: Option<String>,
    pub phone: Option<String>,
    /// A JSON array of `{"weekday": "Mon", "opens": "08:00", "closes": "16:00"}`.
    pub opening_hours: Json,
    pub draws_up_study_plan: bool,
    /// When the entry was first stored (m0007_registry_stamps).
    pub first_seen: DateTimeUtc,
    /// When its content last changed; an unchanged write leaves it.
    pub last_changed: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
