//! The `susa_navet` kind: Skolverket's Susa-navet hub, EMIL 3 JSON.
//!
//! - [`config`]: the source's `[source.connector]` table.
//! - [`wire`]: serde types for the upstream's JSON, tolerant of its quirks.
//! - [`normalize`](mod@normalize): the pure half, EMIL 3 records to canonical items.
//!
//! A run reads `educationEvents`, `educationInfos` and `educationProviders` by `schoolType`
//! (with `updatedSince` on an incremental run), decodes the infos and providers with
//! [`normalize::lookup`], and hands the raw event pages, one by one, to a
//! [`normalize::Normalizer`], which selects the source's municipality on
//! `locations[].areaCode`.

pub mod config;
pub mod fetch;
pub mod normalize;
pub mod wire;

pub use config::Config;
pub use normalize::{Lookup, Normalizer, lookup, normalize};
