//! End-to-end tests of the public GraphQL API: the real app over a fresh database holding the
//! regional demo data set, asked over HTTP what a new partner developer checks first. Every
//! test runs on every backend of `fresh_databases` (SQLite, and PostgreSQL when
//! `VUXNAV_TEST_DATABASE_URL` is set) and names the backend in its assertion messages.

mod access;
mod admin_pages;
mod admin_registry_pages;
mod authorization;
mod browsers;
mod catalogue;
mod docs_examples;
mod errors;
mod facets;
mod graphiql;
mod introspection;
mod limits;
mod nodes;
mod ordering;
mod outlook;
mod paging;
mod parity;
mod persisted_queries;
mod portal;
mod registries;
mod registry_admin;
mod releases;
mod search;
mod statistics;
mod variables;
