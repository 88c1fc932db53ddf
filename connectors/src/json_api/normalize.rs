//! The pure half of the `json_api` kind: pages of JSON in, providers, courses, offerings,
//! withdrawals and rejections out. No clock and no I/O: the time stamped on provenance is the
//! run's start.

use serde_json::Value;

use super::config::Config;
use super::wire;
use crate::mapping::{Field, Mapper};
use crate::{ConnectorError, HarvestContext, Item, Rejection};

/// Normalises the records of a run's pages, one page at a time, keeping what the pages before
/// yielded: each provider and course is yielded once, before the first offering that uses it,
/// and records are counted across pages (`record 7` names one without an id).
pub struct Normalizer<'a> {
    config: &'a Config,
    mapper: Mapper<'a>,
    seen: usize,
}

impl<'a> Normalizer<'a> {
    /// A normaliser for one run; an invalid configuration is a [`ConnectorError::Config`].
    pub fn new(config: &'a Config, ctx: &'a HarvestContext) -> Result<Self, ConnectorError> {
        let prepared = config.prepare().map_err(|problems| {
            let list: Vec<String> = problems.iter().map(|(field, problem)| format!("{field}: {problem}")).collect();
            ConnectorError::Config(format!("the configuration is invalid: {}", list.join("; ")))
        })?;
        let names = config.fields.iter().map(|(field, pointer)| (*field, pointer.clone())).collect();
        Ok(Self { config, mapper: Mapper::new(prepared, ctx, names, &config.values), seen: 0 })
    }

    /// The items of one page's records, in order.
    ///
    /// A record becomes its provider and course (when not yielded before) and its offering; a
    /// record marked deleted (`deleted`) becomes a withdrawal; a broken record becomes one
    /// [`Item::Rejected`] naming its upstream id (or `record N`), the pointer and the reason. A
    /// record repeated with the same id and content is yielded once.
    pub fn page(&mut self, records: &[Value]) -> Vec<Item> {
        let mut items = Vec::with_capacity(records.len() * 2);
        for record in records {
            self.seen += 1;
            let position = format!("record {}", self.seen);
            self.record(&position, record, &mut items);
        }
        items
    }

    fn record(&mut self, position: &str, record: &Value, items: &mut Vec<Item>) {
        if !record.is_object() {
            let reason = format!("is {}, not an object", wire::kind(record));
            items.push(Item::Rejected(Rejection::new(position, "record", reason)));
            return;
        }
        let values = match wire::values(record, &self.config.fields) {
            Ok(values) => values,
            Err((pointer, reason)) => {
                let id = self
                    .config
                    .fields
                    .get(&Field::UpstreamId)
                    .and_then(|p| wire::text(record, p, None).ok().flatten())
                    .unwrap_or_else(|| position.to_owned());
                items.push(Item::Rejected(Rejection::new(id, pointer, reason)));
                return;
            }
        };
        if self.is_deleted(record) {
            let id = self.mapper.id_or(&values, position);
            if id == position {
                let reason = "is empty, so the deleted record cannot be withdrawn";
                items.push(Item::Rejected(Rejection::new(id, self.mapper.name(Field::UpstreamId), reason)));
            } else {
                items.push(Item::Withdrawn { upstream_id: id });
            }
            return;
        }
        self.mapper.push(position, &values, items);
    }

    fn is_deleted(&self, record: &Value) -> bool {
        let Some(deleted) = &self.config.deleted else { return false };
        let Ok(Some(value)) = wire::text(record, &deleted.field, None) else { return false };
        let value = value.trim();
        deleted.values.iter().any(|marker| marker.trim().eq_ignore_ascii_case(value))
    }
}

/// Normalises the pages of a whole run at once (the fetching half does it page by page, with
/// the same result). A page whose records cannot be found is a [`ConnectorError::Shape`]
/// naming the page by its position.
pub fn normalize(config: &Config, ctx: &HarvestContext, pages: &[Value]) -> Result<Vec<Item>, ConnectorError> {
    let mut normalizer = Normalizer::new(config, ctx)?;
    let mut items = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let records = wire::records(page, &config.records)
            .map_err(|reason| ConnectorError::Shape { url: format!("page {}", index + 1), reason })?;
        items.extend(normalizer.page(records));
    }
    Ok(items)
}
