//! The residents' portal (docs/portal.md): search ([`search`]), an offering's page
//! ([`offering`]), a page per municipality ([`municipality`]), pathways, validering and
//! vägledning ([`registry`]), the pages that read only the configuration ([`pages`]) and
//! `/sitemap.xml` ([`sitemap`]). Everything is a `GET` with a shareable URL, rendered from the
//! read model and the registry snapshot in service, with the functions `/graphql` calls.

mod municipality;
mod offering;
mod pages;
mod registry;
mod search;
mod sitemap;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use vuxnav_read_model::ReadModel;
use vuxnav_read_model::RegistryModel;
use vuxnav_schema::{Coordinates, Language, Location, MunicipalityCode};

use super::{NavLink, Web};

/// The portal's menu.
pub const NAV: &[NavLink] = &[
    NavLink { href: "/sok", label: "Sök utbildning" },
    NavLink { href: "/yrken", label: "Vägar till yrken" },
    NavLink { href: "/validering", label: "Validering" },
    NavLink { href: "/vagledning", label: "Vägledning" },
];

/// The portal's routes.
pub fn router() -> Router<Web> {
    Router::new()
        .route("/", get(pages::home))
        .route("/om-tjansten", get(pages::about))
        .route("/tillganglighet", get(pages::accessibility))
        .route("/en", get(pages::english))
        .route("/sok", get(search::search))
        .route("/utbildning/{id}", get(offering::offering))
        .route("/kommun/{code}", get(municipality::municipality))
        .route("/yrken", get(registry::occupations))
        .route("/yrken/{id}", get(registry::pathway))
        .route("/validering", get(registry::validation))
        .route("/vagledning", get(registry::guidance))
        .route("/sitemap.xml", get(sitemap::sitemap))
}

impl Web {
    /// The read model in service.
    fn model(&self) -> Arc<ReadModel> {
        self.app.model()
    }

    /// The registry snapshot in service.
    fn registries(&self) -> Arc<RegistryModel> {
        self.app.refresher.registry_slot().load_full()
    }

    /// The municipalities of the region, by name in Swedish order.
    fn municipalities(&self) -> &[vuxnav_schema::Municipality] {
        &self.layout.municipalities
    }

    /// `text` as a municipality of the region, if it is one.
    fn region_municipality(&self, text: &str) -> Option<MunicipalityCode> {
        MunicipalityCode::parse(text.trim()).ok().filter(|code| self.app.config.region.contains(*code))
    }
}

/// A sort key that puts å, ä, ö after z, as Swedish does (enough for municipality names).
pub(super) fn swedish_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => u32::from('z') + 1,
            'ä' => u32::from('z') + 2,
            'ö' => u32::from('z') + 3,
            c => u32::from(c),
        })
        .collect()
}

/// A query string's pairs, in order: the portal's filters repeat keys
/// (`?skolform=VUXGY&skolform=VUXSFI`).
#[derive(Debug, Default)]
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<&str>) -> Self {
        Self(form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect())
    }

    /// The first non-empty value of `key`, trimmed.
    fn one<'a>(&'a self, key: &'a str) -> Option<&'a str> {
        self.all(key).next()
    }

    /// Every non-empty value of `key`, trimmed.
    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    /// The query string of these pairs with `key` set to `value` (or removed when `None`).
    fn with(&self, key: &str, value: Option<&str>) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.0 {
            if k != key && !v.trim().is_empty() {
                out.append_pair(k, v);
            }
        }
        if let Some(value) = value {
            out.append_pair(key, value);
        }
        out.finish()
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// `27 november 2026`.
fn date_sv(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), MONTHS[date.month0() as usize], date.year())
}

/// The Swedish name of a language, or its code when it is not one of the usual ones.
fn language_name(language: Language) -> String {
    let name = match language.as_str() {
        "swe" => "svenska",
        "eng" => "engelska",
        "ara" => "arabiska",
        "som" => "somaliska",
        "fas" | "per" => "persiska",
        "prs" => "dari",
        "tir" => "tigrinja",
        "fin" => "finska",
        "spa" => "spanska",
        "pol" => "polska",
        "tur" => "turkiska",
        "kur" => "kurdiska",
        "rus" => "ryska",
        "ukr" => "ukrainska",
        "deu" | "ger" => "tyska",
        "fra" | "fre" => "franska",
        "amh" => "amharinska",
        "bos" => "bosniska",
        "hrv" => "kroatiska",
        "srp" => "serbiska",
        "nor" => "norska",
        "dan" => "danska",
        "sgn" | "swl" => "svenskt teckenspråk",
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// An address on one line: the place's name, street, postal code and town, as known.
fn address_line(location: &Location) -> String {
    let town = [location.postal_code.as_deref(), location.town.as_deref()].into_iter().flatten().collect::<Vec<_>>();
    let town = town.join(" ");
    [location.name.as_deref(), location.street_address.as_deref(), Some(town.as_str())]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A link to the place on OpenStreetMap: by coordinates when known, else a search for the
/// address; `None` without either.
fn map_link(location: &Location) -> Option<String> {
    if let Some(Coordinates { latitude, longitude }) = location.coordinates {
        return Some(format!(
            "https://www.openstreetmap.org/?mlat={latitude:.5}&mlon={longitude:.5}#map=16/{latitude:.5}/{longitude:.5}"
        ));
    }
    let street = location.street_address.as_deref()?;
    let query = [Some(street), location.town.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    let query: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    Some(format!("https://www.openstreetmap.org/search?query={query}"))
}

/// One option of a filter: its value in the URL, its label, how many it would find (when
/// counted) and whether it is chosen.
#[derive(Debug, Clone)]
struct Choice {
    /// An `id` for its control, unique on the page.
    id: String,
    value: String,
    label: String,
    count: Option<u64>,
    chosen: bool,
}

impl Choice {
    fn new(name: &str, value: &str, label: impl Into<String>, count: Option<u64>, chosen: bool) -> Self {
        let id = format!("{name}-{}", value.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
        Self { id, value: value.to_owned(), label: label.into(), count, chosen }
    }
}

/// A group of checkboxes under one `name`.
#[derive(Debug, Clone)]
struct Group {
    name: &'static str,
    legend: &'static str,
    choices: Vec<Choice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_keeps_repeated_keys_and_replaces_one() {
        let params = Params::parse(Some("q=svenska&skolform=VUXGY&skolform=VUXSFI&sida=3&tom="));
        assert_eq!(params.all("skolform").collect::<Vec<_>>(), ["VUXGY", "VUXSFI"]);
        assert_eq!(params.one("tom"), None);
        assert_eq!(params.with("sida", Some("4")), "q=svenska&skolform=VUXGY&skolform=VUXSFI&sida=4");
        assert_eq!(params.with("sida", None), "q=svenska&skolform=VUXGY&skolform=VUXSFI");
    }

    #[test]
    fn dates_are_written_the_swedish_way() {
        assert_eq!(date_sv(NaiveDate::from_ymd_opt(2027, 1, 7).expect("a date")), "7 januari 2027");
    }

    #[test]
    fn municipality_names_sort_with_å_ä_ö_after_z() {
        let mut names = ["Österåker", "Botkyrka", "Ekerö", "Älvkarleby", "Åre", "Vallentuna"];
        names.sort_by_key(|name| swedish_key(name));
        assert_eq!(names, ["Botkyrka", "Ekerö", "Vallentuna", "Åre", "Älvkarleby", "Österåker"]);
    }
}
