//! The `ss12000` kind: a municipality's SS 12000 API (the Swedish standard for exchanging
//! school-administration data), read for its adult-education course runs.
//!
//! - [`config`]: the source's `[source.connector]` table.
//! - [`wire`]: serde types for SS 12000 JSON, tolerant of the versions and quirks in use.
//! - [`normalize`](mod@normalize): the pure half, Organisation, Syllabus, SchoolUnitOffering
//!   and Activity records to canonical items.
//! - [`fetch`]: the fetching half, `pageToken` paging and incremental runs.
//!
//! A run reads `/organisations`, `/syllabuses` and `/schoolUnitOfferings` whole into a
//! [`normalize::Catalogue`], then streams `/activities` page by page through a
//! [`normalize::Normalizer`]; an incremental run then reads `/deletedEntities` for the activities
//! deleted since.
//!
//! What the format cannot carry, and so no offering from this kind has: an application period
//! or URL, seats, fees, a language other than Swedish, coordinates, course descriptions, SUN
//! fields, packages (every course is a single `kurs`), a cancelled or apprenticeship flag; pace,
//! time of study and study mode only as far as the activity's name tells them.

pub mod config;
pub mod fetch;
pub mod normalize;
pub mod wire;

pub use config::Config;
pub use normalize::{Catalogue, Normalizer, normalize};
