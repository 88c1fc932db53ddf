//! `api_keys`: one row per API key; only the SHA-256 of its secret is kept. Rows are never
//! deleted, so the audit log can always name a key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// `Role::code()`.
    pub role: String,
    /// Kommunkoder separated by commas; empty for a region-wide role.
    pub municipalities: String,
    /// Lowercase hex of the SHA-256 of the whole token.
    pub token_hash: String,
    pub hint: String,
    pub created_at: DateTimeUtc,
    pub created_by: String,
    /// The key it was created with; `None` from the command line.
    pub created_by_key: Option<i64>,
    pub expires_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
