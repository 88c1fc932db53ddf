//! `audit_events`: the audit log, append-only (triggers refuse `UPDATE` and `DELETE`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_key_id: Option<i64>,
    pub actor: String,
    /// `Role::code()`, or `cli` for the command line, `anonymous` for no key.
    pub actor_role: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub municipality: Option<String>,
    /// JSON.
    pub before: Option<String>,
    /// JSON.
    pub after: Option<String>,
    pub outcome: String,
    pub request_id: Option<String>,
    pub client_address: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
