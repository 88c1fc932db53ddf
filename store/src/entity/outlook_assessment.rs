//! `outlook_assessments`: one barometer occupation in one area of one outlook publication.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outlook_assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub published: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub barometer_id: String,
    /// A county code such as `01`, or `riket`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub area: String,
    pub barometer_label: String,
    /// A JSON array of taxonomy concept ids (`occupation-name`).
    pub occupations: Json,
    pub job_opportunities: String,
    pub recruitment_situation: String,
    pub forecast: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
