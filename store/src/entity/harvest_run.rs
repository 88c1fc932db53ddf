//! `harvest_runs`: one row per harvest run of a source, with its outcome and counts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "harvest_runs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub source_id: String,
    pub started: DateTimeUtc,
    /// `None` while running.
    pub finished: Option<DateTimeUtc>,
    /// `RunOutcome::code()`.
    pub outcome: String,
    pub full: bool,
    pub fetched: i64,
    pub new: i64,
    pub changed: i64,
    pub unchanged: i64,
    pub withdrawn: i64,
    /// Every rejection of the run, also those not kept in `harvest_run_rejections`.
    pub rejected: i64,
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
