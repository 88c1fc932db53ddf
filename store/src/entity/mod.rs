//! The sea-orm entities: one module per table, private to the crate. They mirror the tables
//! that `migration` creates; the model never sees them (conversions live in `convert`).

pub(crate) mod admin_session;
pub(crate) mod api_key;
pub(crate) mod audit_event;
pub(crate) mod course;
pub(crate) mod guidance_service;
pub(crate) mod harvest_run;
pub(crate) mod harvest_run_rejection;
pub(crate) mod occupation_link;
pub(crate) mod offering;
pub(crate) mod price_list_entry;
pub(crate) mod provider;
pub(crate) mod registry_revision;
pub(crate) mod source;
pub(crate) mod source_config;
pub(crate) mod source_config_revision;
pub(crate) mod validation_offer;
