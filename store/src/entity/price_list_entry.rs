//! `price_list_entries`: interkommunal ersättning.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "price_list_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// A kommunkod, or `*` for every municipality of the region.
    pub payer: String,
    pub provider: String,
    pub school_form: String,
    /// `None` prices the whole school form.
    pub course_code: Option<String>,
    pub unit: String,
    pub amount_ore: i64,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub decision: Option<String>,
    pub source: String,
    /// When the entry was first stored (m0007_registry_stamps).
    pub first_seen: DateTimeUtc,
    /// When its content last changed; an unchanged write leaves it.
    pub last_changed: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
