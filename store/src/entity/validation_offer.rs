//! `validation_offers`: validering against a course or an industry's requirements.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "validation_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub kind: String,
    pub title: String,
    /// A JSON array of course codes.
    pub course_codes: Json,
    /// A JSON array of taxonomy concept ids.
    pub occupations: Json,
    pub industry_model_name: Option<String>,
    pub industry_model_owner: Option<String>,
    pub seqf_level: Option<i16>,
    pub provider: String,
    /// A JSON array of kommunkoder.
    pub municipalities: Json,
    /// A JSON array of ISO 639-2 codes.
    pub languages: Json,
    pub cost_sek: Option<i64>,
    pub paid_by: String,
    pub contact: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// When the entry was first stored (m0007_registry_stamps).
    pub first_seen: DateTimeUtc,
    /// When its content last changed; an unchanged write leaves it.
    pub last_changed: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
