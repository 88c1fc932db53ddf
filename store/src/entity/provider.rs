//! `providers`: one row per utbildningsanordnare, keyed by its public id.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "providers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub org_number: Option<String>,
    /// `ProviderKind::code()`.
    /// `ProviderKind::code()`, or `""` when unknown.
    pub kind: String,
    pub school_unit_code: Option<String>,
    /// A kommunkod, four characters.
    pub municipality: Option<String>,
    pub web: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
