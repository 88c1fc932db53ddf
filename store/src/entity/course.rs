//! `courses`: one row per course, keyed by its public id.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    /// `SchoolForm::code()`.
    pub school_form: String,
    /// `CreditsSystem::code()`; set together with `credits_value`.
    pub credits_system: Option<String>,
    pub credits_value: Option<f64>,
    pub subject: Option<String>,
    pub sun_field: Option<String>,
    pub vocational: bool,
    /// `CourseConfiguration::code()`.
    pub configuration: String,
    /// A local course's own code; `code` is national only.
    pub local_code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
