//! The `csv` kind: a course export from a student-administration system (Alvis, Extens,
//! Excel), read from a file or a URL.
//!
//! Everything about the file is declared in [`Config`]: delimiter, quoting, encoding (UTF-8
//! with or without a byte order mark, Windows-1252), date formats, decimal comma, which column
//! holds which canonical field, value maps from upstream spellings to the model's codes, and
//! defaults for what the export lacks. [`normalize`] is the pure half: bytes in, items out.

mod config;
pub mod fetch;
mod normalize;

pub use crate::mapping::Field;
pub use config::{Config, Encoding};
pub use normalize::normalize;
