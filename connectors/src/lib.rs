//! Connectors read municipal course systems into the canonical model.
//!
//! A connector exists per upstream system *kind* (Susa-navet, CSV export, …); each
//! municipality's *source* is a configured instance of a kind. Every kind is split into a
//! fetching half (I/O, paging, retries) and a pure normalising half (no clock, no network), and
//! yields a stream of [`Item`]s: normalised records, and rejections for upstream records that
//! are broken. An `Err` in the stream ends the run: the source itself was lost.
//!
//! Connectors never write to the store and never read the environment; they are handed what
//! they need in a [`HarvestContext`].

pub mod config;
pub mod contract;
pub mod csv;
pub mod describe;
pub mod events;
pub mod fetch;
pub mod guard;
mod identity;
pub mod json_api;
pub mod mapping;
pub mod planned_educations;
pub mod readings;
pub mod runner;
pub mod schedule;
pub mod ss12000;
pub mod ssrf;
pub mod susa_navet;
mod text;

pub use contract::{Connector, ConnectorError, HarvestContext, Item, ItemStream, Rejection};
