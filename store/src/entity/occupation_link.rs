//! `occupation_links`: the region's statement that a course or package leads to an occupation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occupation_links")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub course_code: String,
    /// A concept id of the pinned taxonomy snapshot.
    #[sea_orm(primary_key, auto_increment = false)]
    pub occupation_id: String,
    /// When the entry was first stored (m0007_registry_stamps).
    pub first_seen: DateTimeUtc,
    /// When its content last changed; an unchanged write leaves it.
    pub last_changed: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
