//! `source_config_revisions`: every saved revision of a managed source, the deleting one with
//! no config.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_config_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub source_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub revision: i32,
    pub municipality: String,
    pub config: Option<String>,
    pub saved_at: DateTimeUtc,
    pub saved_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
