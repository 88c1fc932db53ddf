//! `source_configs`: the current configuration of each source managed through the admin API.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_configs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub municipality: String,
    pub revision: i32,
    /// The `[[source]]` entry as JSON.
    pub config: String,
    pub saved_at: DateTimeUtc,
    pub saved_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
