//! Cursors: opaque to clients, they carry the sort key of the last offering of a page, so the
//! next page starts right after it even when the read model was rebuilt in between (keyset
//! pagination, never offsets).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::{OfferingOrder, QueryError};

const VERSION: &str = "v1";
const SEPARATOR: char = '\u{1f}';

/// The sort key of one offering under every order, plus the order it was issued for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SortKey {
    pub start: i64,
    pub municipality_rank: u32,
    pub score: f32,
    pub id: Uuid,
    pub title: String,
}

pub(crate) fn encode(order: OfferingOrder, descending: bool, key: &SortKey) -> String {
    let text = [
        VERSION.to_owned(),
        order_code(order).to_owned(),
        u8::from(descending).to_string(),
        key.start.to_string(),
        key.municipality_rank.to_string(),
        key.score.to_bits().to_string(),
        key.id.simple().to_string(),
        key.title.clone(),
    ]
    .join(&SEPARATOR.to_string());
    URL_SAFE_NO_PAD.encode(text)
}

/// Decodes a cursor, which must have been issued for the same order and direction.
pub(crate) fn decode(cursor: &str, order: OfferingOrder, descending: bool) -> Result<SortKey, QueryError> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| QueryError::BadCursor)?;
    let text = String::from_utf8(bytes).map_err(|_| QueryError::BadCursor)?;
    let parts: Vec<&str> = text.splitn(8, SEPARATOR).collect();
    let [version, code, desc, start, municipality_rank, score, id, title] = parts[..] else {
        return Err(QueryError::BadCursor);
    };
    if version != VERSION || code != order_code(order) || desc != u8::from(descending).to_string() {
        return Err(QueryError::BadCursor);
    }
    let bad = |_| QueryError::BadCursor;
    Ok(SortKey {
        start: start.parse().map_err(bad)?,
        municipality_rank: municipality_rank.parse().map_err(bad)?,
        score: f32::from_bits(score.parse().map_err(bad)?),
        id: Uuid::parse_str(id).map_err(|_| QueryError::BadCursor)?,
        title: title.to_owned(),
    })
}

fn order_code(order: OfferingOrder) -> &'static str {
    match order {
        OfferingOrder::Relevance => "r",
        OfferingOrder::StartDate => "s",
        OfferingOrder::Title => "t",
        OfferingOrder::Municipality => "m",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SortKey {
        SortKey {
            start: 739_000,
            municipality_rank: 3,
            score: 2.5,
            id: Uuid::from_u128(7),
            title: "Åk|å\u{1f}x".into(),
        }
    }

    #[test]
    fn a_cursor_round_trips_its_key() {
        let cursor = encode(OfferingOrder::Title, false, &key());
        assert_eq!(decode(&cursor, OfferingOrder::Title, false).unwrap(), key());
    }

    #[test]
    fn a_cursor_from_another_order_or_from_nowhere_is_refused() {
        let cursor = encode(OfferingOrder::Title, false, &key());
        assert_eq!(decode(&cursor, OfferingOrder::StartDate, false), Err(QueryError::BadCursor));
        assert_eq!(decode(&cursor, OfferingOrder::Title, true), Err(QueryError::BadCursor));
        for nowhere in ["", "abc", "!!!", &URL_SAFE_NO_PAD.encode("v1\u{1f}t\u{1f}0")] {
            assert_eq!(decode(nowhere, OfferingOrder::Title, false), Err(QueryError::BadCursor), "{nowhere}");
        }
    }
}
