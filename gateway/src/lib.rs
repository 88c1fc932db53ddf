//! The vuxnav gateway: configuration, the read model, GraphQL over HTTP and operations.
//! Only this crate knows HTTP, GraphQL and the environment.

pub mod app;
pub mod config;
pub mod graphql;
pub mod harvest;
pub mod http;
pub mod telemetry;
