//! `admin_sessions`: one row per signed-in browser of the admin pages; the session id only as
//! its SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_sessions")]
pub struct Model {
    /// Lowercase hex of the SHA-256 of the session id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub key_id: i64,
    pub csrf_secret: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
