//! The `json_api` kind: a municipality's own paged JSON API, read through a declarative
//! mapping.
//!
//! - [`config`]: the source's `[source.connector]` table: URL, paging style, headers, where
//!   the records are, a JSON pointer per canonical field, value maps and defaults.
//! - [`wire`]: reading pages and values of any JSON shape, tolerant of the usual quirks.
//! - [`normalize`](mod@normalize): the pure half, records to canonical items, through the
//!   field mapping the `csv` kind uses too.
//! - [`fetch`]: paging, headers and secrets, incremental runs.
//!
//! The API is not a format: every municipality's is its own, so everything about it is
//! declared. What a mapping cannot say is what this kind does not read: continuous intake and
//! application, cancellation, apprenticeship, coordinates, fees.

pub mod config;
pub mod fetch;
pub mod normalize;
pub mod wire;

pub use crate::mapping::Field;
pub use config::{Config, Deleted, Header, NextLinkPaging, NoPaging, OffsetPaging, PagePaging, Paging, SecretHeader};
pub use normalize::{Normalizer, normalize};
