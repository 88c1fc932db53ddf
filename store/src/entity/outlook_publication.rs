//! `outlook_publications`: one publication of the labour-market outlook (Yrkesbarometern).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outlook_publications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub published: Date,
    pub source: String,
    pub illustrative: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
