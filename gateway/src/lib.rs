//! The vuxnav gateway: the server alone. The command line (`cli`), the configuration
//! (`config`, the only reader of the environment), the composition root (`app`), the scheduled
//! jobs (`jobs`), GraphQL (`graphql`), HTTP (`http`) and operations (`telemetry`). Only this
//! crate knows HTTP, GraphQL and the environment.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod telemetry;
pub mod web;
