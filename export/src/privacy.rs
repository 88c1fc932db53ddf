//! Privacy by list: every column of every store table, classified public or private, in one
//! place (crates.io's `dump-db.toml`). A column is public when its values are published; every
//! column a release table is made from (`v1::Column::from`) must be public, and a test fails
//! when the store has a column this list does not classify, so a new column is a decision
//! made here, in review, before it can reach a file.
//!
//! A private column's values never reach a release file. That a value is present may: a
//! source's `status` is `stale` when its last attempt left an error, whose text is private.

/// How a store column is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Public,
    /// Never published, and why.
    Private(&'static str),
}

use Class::{Private, Public};

const OPERATIONAL: Class = Private("operational state of the harvest, not data about adult education");

/// Every store column, `table.column`, and its class.
pub const STORE_COLUMNS: &[(&str, Class)] = &[
    ("sources.id", Public),
    ("sources.municipality", Public),
    ("sources.kind", Public),
    ("sources.enabled", Public),
    ("sources.last_attempt", Public),
    ("sources.last_success", Public),
    ("sources.last_error", Private("an upstream's error text can name internal hosts, paths or accounts")),
    ("sources.held_reason", OPERATIONAL),
    ("providers.id", Public),
    ("providers.name", Public),
    ("providers.org_number", Public),
    ("providers.kind", Public),
    ("providers.school_unit_code", Public),
    ("providers.municipality", Public),
    ("providers.web", Public),
    ("providers.email", Private("an upstream may give a named person's address; the model cannot tell")),
    ("providers.phone", Private("an upstream may give a named person's number; the model cannot tell")),
    ("courses.id", Public),
    ("courses.code", Public),
    ("courses.local_code", Public),
    ("courses.title", Public),
    ("courses.description", Public),
    ("courses.school_form", Public),
    ("courses.credits_system", Public),
    ("courses.credits_value", Public),
    ("courses.subject", Public),
    ("courses.sun_field", Public),
    ("courses.vocational", Public),
    ("courses.configuration", Public),
    ("offerings.id", Public),
    ("offerings.source_id", Public),
    ("offerings.upstream_id", Private("the upstream system's internal key; the public id is the stable one")),
    ("offerings.course_id", Public),
    ("offerings.provider_id", Public),
    ("offerings.municipality", Public),
    ("offerings.title", Public),
    ("offerings.configured", Public),
    ("offerings.location_name", Public),
    ("offerings.street_address", Public),
    ("offerings.postal_code", Public),
    ("offerings.town", Public),
    ("offerings.latitude", Public),
    ("offerings.longitude", Public),
    ("offerings.start_date", Public),
    ("offerings.end_date", Public),
    ("offerings.continuous_intake", Public),
    ("offerings.application_opens", Public),
    ("offerings.application_closes", Public),
    ("offerings.application_continuous", Public),
    ("offerings.application_url", Public),
    ("offerings.pace", Public),
    ("offerings.time_of_study", Public),
    ("offerings.mode", Public),
    ("offerings.language", Public),
    ("offerings.seats", Public),
    ("offerings.cancelled", Public),
    ("offerings.apprenticeship", Public),
    ("offerings.fee_sek", Public),
    ("offerings.eligibility", Public),
    ("offerings.web", Public),
    ("offerings.first_seen", Public),
    ("offerings.last_changed", Public),
    ("offerings.content_hash", Private("the store's own change detector; a release computes its own content_hash")),
    ("offerings.last_harvest", OPERATIONAL),
    ("offerings.withdrawn_at", Private("withdrawn offerings are not published; the delta's deletions name them")),
    ("harvest_runs.id", OPERATIONAL),
    ("harvest_runs.source_id", OPERATIONAL),
    ("harvest_runs.started", Public),
    ("harvest_runs.finished", OPERATIONAL),
    ("harvest_runs.outcome", OPERATIONAL),
    ("harvest_runs.full", OPERATIONAL),
    ("harvest_runs.fetched", Public),
    ("harvest_runs.new", OPERATIONAL),
    ("harvest_runs.changed", OPERATIONAL),
    ("harvest_runs.unchanged", OPERATIONAL),
    ("harvest_runs.withdrawn", OPERATIONAL),
    ("harvest_runs.rejected", Public),
    ("harvest_runs.error", Private("an upstream's error text can name internal hosts, paths or accounts")),
    ("harvest_run_rejections.run_id", OPERATIONAL),
    ("harvest_run_rejections.position", OPERATIONAL),
    ("harvest_run_rejections.upstream_id", Private("quotes an upstream record, which can name a person")),
    ("harvest_run_rejections.field", Private("quotes an upstream record, which can name a person")),
    ("harvest_run_rejections.reason", Private("quotes an upstream record, which can name a person")),
    // The region's registries (m0005_registries, stamped by m0007_registry_stamps): entered by the
    // region for the public, so public; a contact, phone or booking link is a service's own address
    // or number, never a person's (docs/registries.md), and no column is about a person.
    ("occupation_links.course_code", Public),
    ("occupation_links.occupation_id", Public),
    ("occupation_links.first_seen", Public),
    ("occupation_links.last_changed", Public),
    ("validation_offers.key", Public),
    ("validation_offers.kind", Public),
    ("validation_offers.title", Public),
    ("validation_offers.course_codes", Public),
    ("validation_offers.occupations", Public),
    ("validation_offers.industry_model_name", Public),
    ("validation_offers.industry_model_owner", Public),
    ("validation_offers.seqf_level", Public),
    ("validation_offers.provider", Public),
    ("validation_offers.municipalities", Public),
    ("validation_offers.languages", Public),
    ("validation_offers.cost_sek", Public),
    ("validation_offers.paid_by", Public),
    ("validation_offers.contact", Public),
    ("validation_offers.valid_from", Public),
    ("validation_offers.valid_to", Public),
    ("validation_offers.first_seen", Public),
    ("validation_offers.last_changed", Public),
    ("guidance_services.key", Public),
    ("guidance_services.kind", Public),
    ("guidance_services.name", Public),
    ("guidance_services.organiser", Public),
    ("guidance_services.municipalities", Public),
    ("guidance_services.channels", Public),
    ("guidance_services.languages", Public),
    ("guidance_services.target_groups", Public),
    ("guidance_services.location_name", Public),
    ("guidance_services.street_address", Public),
    ("guidance_services.postal_code", Public),
    ("guidance_services.town", Public),
    ("guidance_services.latitude", Public),
    ("guidance_services.longitude", Public),
    ("guidance_services.booking_url", Public),
    ("guidance_services.phone", Public),
    ("guidance_services.opening_hours", Public),
    ("guidance_services.draws_up_study_plan", Public),
    ("guidance_services.first_seen", Public),
    ("guidance_services.last_changed", Public),
    ("price_list_entries.key", Public),
    ("price_list_entries.payer", Public),
    ("price_list_entries.provider", Public),
    ("price_list_entries.school_form", Public),
    ("price_list_entries.course_code", Public),
    ("price_list_entries.unit", Public),
    ("price_list_entries.amount_ore", Public),
    ("price_list_entries.valid_from", Public),
    ("price_list_entries.valid_to", Public),
    ("price_list_entries.decision", Public),
    ("price_list_entries.source", Public),
    ("price_list_entries.first_seen", Public),
    ("price_list_entries.last_changed", Public),
];

/// The class of a store column, `table.column`; `None` when it is not on the list.
pub fn classify(column: &str) -> Option<Class> {
    STORE_COLUMNS.iter().find(|(name, _)| *name == column).map(|(_, class)| *class)
}

/// The public store columns.
pub fn public_columns() -> impl Iterator<Item = &'static str> {
    STORE_COLUMNS.iter().filter(|(_, class)| *class == Public).map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v1::TABLES;

    #[test]
    fn every_column_of_every_release_table_is_made_only_of_public_store_columns() {
        for table in TABLES {
            for column in table.columns {
                for from in column.from {
                    assert_eq!(classify(from), Some(Public), "{}.{} is made from {from}", table.name, column.name);
                }
            }
        }
    }

    #[test]
    fn each_store_column_is_classified_once() {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in STORE_COLUMNS {
            assert!(seen.insert(name), "{name} twice");
        }
    }
}
