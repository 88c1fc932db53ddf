//! `jsonld/graph.jsonl.gz`: the release as schema.org nodes, one JSON-LD node per line.
//!
//! Each line is a standalone JSON-LD document with `"@context": "https://schema.org/"`, so the
//! file streams and splits with line tools. Nodes have stable `@id`s: `urn:uuid:<id>` of the
//! record's public id, and for a study location (`Place`), which has no id of its own, a UUIDv5
//! of its name, address and coordinates. A place is written once, before the first occasion
//! that names it. An occasion (`CourseInstance`) links to its course with `@reverse`
//! `hasCourseInstance`, so no node needs the whole list of another's.

use std::collections::HashSet;
use std::io::{self, Write};

use serde_json::{Map, Value};
use uuid::Uuid;

/// The namespace of place ids: not a public id of any record.
const PLACE_NAMESPACE: Uuid = Uuid::from_u128(0x3b1d_55a0_8e2c_4f4e_a0a7_4c1f_9e7d_2b68);

/// The writer of graph nodes, and the places already written.
pub struct Graph<'a> {
    out: &'a mut dyn Write,
    places: &'a mut HashSet<Uuid>,
    line: Vec<u8>,
    pub(crate) nodes: u64,
}

impl<'a> Graph<'a> {
    pub(crate) fn new(out: &'a mut dyn Write, places: &'a mut HashSet<Uuid>) -> Self {
        Self { out, places, line: Vec::with_capacity(1024), nodes: 0 }
    }

    /// Writes one node as one line.
    pub fn write(&mut self, node: Map<String, Value>) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, &node)?;
        self.line.push(b'\n');
        self.nodes += 1;
        self.out.write_all(&self.line)
    }

    /// Whether this is the first time the graph meets the place `iri` (and notes that it has).
    pub fn first_visit(&mut self, iri: &str) -> bool {
        let uuid = iri.strip_prefix("urn:uuid:").and_then(|u| Uuid::parse_str(u).ok()).unwrap_or_default();
        self.places.insert(uuid)
    }
}

/// A node with its context, id and type first, as streaming JSON-LD readers want them.
pub fn node(id: &str, kind: &str) -> Map<String, Value> {
    let mut node = Map::new();
    node.insert("@context".into(), "https://schema.org/".into());
    node.insert("@id".into(), id.into());
    node.insert("@type".into(), kind.into());
    node
}

/// Sets `key` when there is a value.
pub fn put(node: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        node.insert(key.to_owned(), value.into());
    }
}

/// The IRI of a record's public id.
pub fn uuid_iri(id: &str) -> String {
    format!("urn:uuid:{id}")
}

/// The IRI of a study location, or `None` when nothing is known of it.
pub fn place_id(texts: [&Option<String>; 4], coordinates: Option<(f64, f64)>) -> Option<String> {
    if texts.iter().all(|t| t.is_none()) && coordinates.is_none() {
        return None;
    }
    let mut name = String::from("place");
    for text in texts {
        name.push('\u{1f}');
        name.push_str(text.as_deref().unwrap_or_default());
    }
    if let Some((latitude, longitude)) = coordinates {
        name.push_str(&format!("\u{1f}{latitude}\u{1f}{longitude}"));
    }
    Some(format!("urn:uuid:{}", Uuid::new_v5(&PLACE_NAMESPACE, name.as_bytes()).hyphenated()))
}

/// A BCP 47 language tag for an ISO 639-2 code: the two-letter code where one exists for the
/// languages of instruction seen in Swedish adult education, the three letters otherwise.
pub fn language_tag(iso639_2: &str) -> String {
    let tag = match iso639_2 {
        "swe" => "sv",
        "eng" => "en",
        "fin" => "fi",
        "ara" => "ar",
        "som" => "so",
        "fas" | "per" => "fa",
        "tir" => "ti",
        "deu" | "ger" => "de",
        "fra" | "fre" => "fr",
        "spa" => "es",
        "pol" => "pl",
        "rus" => "ru",
        "ukr" => "uk",
        "tur" => "tr",
        "kur" => "ku",
        "nor" => "no",
        "dan" => "da",
        other => other,
    };
    tag.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_id_is_stable_and_differs_with_the_address() {
        let name = Some("Lärcentrum".to_owned());
        let a = place_id([&name, &None, &None, &None], Some((59.3, 18.0)));
        assert_eq!(a, place_id([&name, &None, &None, &None], Some((59.3, 18.0))));
        assert_ne!(a, place_id([&name, &None, &None, &None], Some((59.3, 18.1))));
        assert_eq!(place_id([&None, &None, &None, &None], None), None);
    }
}
