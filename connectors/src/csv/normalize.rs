//! The pure half of the `csv` kind: export bytes in, providers, courses, offerings and
//! rejections out. No clock and no I/O: the time stamped on provenance is the run's start.

use std::collections::BTreeMap;

use ::csv::{ReaderBuilder, StringRecord};

use super::config::{Config, Encoding};
use crate::mapping::{Field, Mapper, Values};
use crate::{ConnectorError, HarvestContext, Item, Rejection};

/// Normalises one export.
///
/// The bytes are decoded as the configured encoding (a UTF-8 byte order mark is skipped) and
/// read with a header row. A header row that lacks a mapped column, an undecodable file or an
/// invalid configuration is one [`ConnectorError::Shape`]: nothing of the file can be trusted.
/// Otherwise every row becomes its provider and course (each distinct one yielded once, before
/// the first offering that uses it) and its offering, or one [`Item::Rejected`] naming the
/// upstream id (`row N`, counting the header as row 1, when there is none), the upstream column
/// and the reason. A row repeated with the same upstream id and the same content, as exports
/// with one row per interest category have, is yielded once.
pub fn normalize(config: &Config, ctx: &HarvestContext, bytes: &[u8]) -> Result<Vec<Item>, ConnectorError> {
    let shape = |reason: String| ConnectorError::Shape { url: config.location(), reason };
    let prepared = config.prepare().map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|(field, problem)| format!("{field}: {problem}")).collect();
        shape(format!("the configuration is invalid: {}", list.join("; ")))
    })?;
    let text = decode(config.encoding, bytes).map_err(shape)?;

    let mut reader = ReaderBuilder::new()
        .delimiter(prepared.delimiter)
        .quote(prepared.quote)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| shape(format!("the header row cannot be read: {e}")))?.clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(shape("the file has no header row".to_owned()));
    }
    let columns = Columns::resolve(config, &headers).map_err(shape)?;
    let names = columns.index.iter().map(|(field, (_, name))| (*field, name.clone())).collect();
    let mut mapper = Mapper::new(prepared.mapping, ctx, names, &config.values);

    let mut items = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let position = format!("row {}", index + 2);
        match record {
            Ok(record) => {
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                let values: Values = columns
                    .index
                    .iter()
                    .filter_map(|(field, (at, _))| record.get(*at).map(|cell| (*field, cell.to_owned())))
                    .collect();
                if record.len() != headers.len() {
                    let reason =
                        format!("the row has {} fields where the header row has {}", record.len(), headers.len());
                    items.push(Item::Rejected(Rejection::new(mapper.id_or(&values, &position), "row", reason)));
                    continue;
                }
                mapper.push(&position, &values, &mut items);
            }
            Err(error) => items.push(Item::Rejected(Rejection::new(position, "row", error.to_string()))),
        }
    }
    Ok(items)
}

fn decode(encoding: Encoding, bytes: &[u8]) -> Result<String, String> {
    match encoding {
        Encoding::Utf8 => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
                format!(
                    "the file is not valid UTF-8 at byte {}; for an export from Excel, set encoding = \"windows-1252\"",
                    e.valid_up_to()
                )
            })
        }
        Encoding::Windows1252 => Ok(encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()),
    }
}

/// The mapped columns: their position in the header row and the name the export gives them.
struct Columns {
    index: BTreeMap<Field, (usize, String)>,
}

impl Columns {
    fn resolve(config: &Config, headers: &StringRecord) -> Result<Self, String> {
        let mut index = BTreeMap::new();
        let mut missing = Vec::new();
        for (&field, wanted) in &config.columns {
            let wanted = wanted.trim();
            let position = headers
                .iter()
                .position(|h| h.trim() == wanted)
                .or_else(|| headers.iter().position(|h| h.trim().to_lowercase() == wanted.to_lowercase()));
            match position {
                Some(position) => {
                    index.insert(field, (position, wanted.to_owned()));
                }
                None => missing.push(format!("`{wanted}` (columns.{field})")),
            }
        }
        if missing.is_empty() {
            Ok(Self { index })
        } else {
            Err(format!("the header row lacks the mapped column {}", missing.join(", ")))
        }
    }
}
