//! `sources`: one row per configured source and its harvest state. The state itself is not
//! stored; it is derived from `enabled`, `last_success` and `last_error` when read.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sources")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// A kommunkod, four characters.
    pub municipality: String,
    pub kind: String,
    pub enabled: bool,
    pub last_attempt: Option<DateTimeUtc>,
    pub last_success: Option<DateTimeUtc>,
    /// The error of the last attempt; `None` when it succeeded or none was made.
    pub last_error: Option<String>,
    /// Why the last complete run was held by the harvest guard; `None` once a run passes it
    /// or is accepted.
    pub held_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
