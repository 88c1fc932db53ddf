//! The `planned_educations` kind: Skolverket's Planned Educations API v4, adult-education
//! events (`/v4/adult-education-events`).
//!
//! - [`config`]: the source's `[source.connector]` table.
//! - [`wire`]: serde types for the upstream's HAL JSON, tolerant of its quirks.
//! - [`normalize`](mod@normalize): the pure half, listed events to canonical items.
//! - [`fetch`]: the fetching half, paging through the events of the source's municipality.
//!
//! A run asks for the events of the source's municipality (`geographicalAreaCode`) and the
//! configured types of school, page by page, and hands each page to a [`Normalizer`]. The API
//! has no parameter for what changed since a time, so **every run is a full run**: an
//! incremental run asks for everything, and events that disappeared are withdrawn by the
//! runner after the complete run.
//!
//! What the format cannot carry, and the connector therefore never yields: course codes (the
//! list has titles only; courses are local to the source unless a record carries a code),
//! course descriptions, provider ids and organisation numbers (providers are local, by name),
//! the end date, when application opens, seats, fees, time of study, hybrid study, addresses
//! and coordinates, cancellation, and web pages for people.

pub mod config;
pub mod fetch;
pub mod normalize;
pub mod wire;

pub use config::Config;
pub use normalize::{Normalizer, normalize};
