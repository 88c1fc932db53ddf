//! The registry snapshot: the region's registries (occupations and their links, validation
//! offers, guidance services, prices) indexed for the public queries, kept apart from the
//! offerings' [`ReadModel`] so that an edit of a registry rebuilds this small model only. A
//! request reads one of each; the questions that need both (a pathway, a cost) take both.
//!
//! The portal renders its pathway, validering and vägledning pages from these types:
//! [`Pathway`], [`Route`], [`PathwayOffering`] and [`Cost`].

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use vuxnav_schema::{
    Coordinates, Course, CourseCode, GuidanceService, MunicipalityCode, Occupation, OccupationId, Offering,
    PriceListEntry, Registries, Taxonomy, ValidationOffer,
};

use crate::ReadModel;

/// The registries of one moment, indexed. Immutable once built.
pub struct RegistryModel {
    taxonomy: Taxonomy,
    registries: Registries,
    /// Positions in `taxonomy.occupations()` per course code.
    occupations_by_course: HashMap<CourseCode, Vec<usize>>,
    /// Course codes per occupation, in code order.
    courses_by_occupation: HashMap<OccupationId, Vec<CourseCode>>,
    /// Each occupation's words, folded (lowercase, å ä → a, ö → o), parallel to the taxonomy.
    words: Vec<Vec<String>>,
}

/// What a resident's home municipality pays for an offering (interkommunal ersättning).
#[derive(Debug, Clone, PartialEq)]
pub enum Cost<'a> {
    /// The offering is in the home municipality: no inter-municipal price applies.
    OwnMunicipality,
    /// The price list entry that applies on `day`, the offering's start (or, for continuous
    /// intake and unknown starts, the day asked about).
    Priced { entry: &'a PriceListEntry, day: NaiveDate },
    /// No entry of the price list covers it on `day`.
    NotCovered { day: NaiveDate },
}

/// An offering on the way to an occupation, as seen from a home municipality.
#[derive(Debug, Clone)]
pub struct PathwayOffering<'a> {
    pub offering: &'a Offering,
    /// In the home municipality.
    pub own_municipality: bool,
    /// Straight-line distance from the home municipality's centre (the mean position of its
    /// offerings), when both positions are known.
    pub distance_km: Option<f64>,
    pub cost: Cost<'a>,
}

/// A course or yrkesvux package that leads to the occupation, with its offerings open to the
/// resident: own municipality first, then by distance, then by start.
#[derive(Debug, Clone)]
pub struct Route<'a> {
    pub code: &'a CourseCode,
    /// The courses of the catalogue with this national or local code; empty when none is
    /// offered.
    pub courses: Vec<&'a Course>,
    pub offerings: Vec<PathwayOffering<'a>>,
}

/// "I want to become an undersköterska and live in Botkyrka."
#[derive(Debug, Clone)]
pub struct Pathway<'a> {
    pub occupation: &'a Occupation,
    pub home: MunicipalityCode,
    pub routes: Vec<Route<'a>>,
    /// Validation offers for the occupation or for one of its courses, serving the home
    /// municipality and valid on the day asked about.
    pub validation_offers: Vec<&'a ValidationOffer>,
    /// Guidance services that serve the home municipality.
    pub guidance_services: Vec<&'a GuidanceService>,
}

/// Lowercase, with å and ä as a and ö as o, so `underskoterska` finds `Undersköterska`.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' => 'o',
            'é' | 'è' => 'e',
            c => c,
        })
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && !"åäöÅÄÖéàá".contains(c)).filter(|w| !w.is_empty()).map(fold)
}

impl RegistryModel {
    /// Indexes `registries`; links and offers name occupations of `taxonomy` by construction.
    pub fn build(taxonomy: Taxonomy, registries: Registries) -> Self {
        let position: HashMap<&OccupationId, usize> =
            taxonomy.occupations().iter().enumerate().map(|(i, o)| (&o.id, i)).collect();
        let mut occupations_by_course: HashMap<CourseCode, Vec<usize>> = HashMap::new();
        let mut courses_by_occupation: HashMap<OccupationId, Vec<CourseCode>> = HashMap::new();
        for link in &registries.occupation_links {
            if let Some(&i) = position.get(&link.occupation) {
                occupations_by_course.entry(link.course.clone()).or_default().push(i);
                courses_by_occupation.entry(link.occupation.clone()).or_default().push(link.course.clone());
            }
        }
        for codes in courses_by_occupation.values_mut() {
            codes.sort();
            codes.dedup();
        }
        let words = taxonomy
            .occupations()
            .iter()
            .map(|o| {
                let mut all: Vec<String> = words(&o.label).chain(words(&o.ssyk_label)).collect();
                all.extend(o.search_words.iter().flat_map(|w| words(w).collect::<Vec<_>>()));
                all.push(o.ssyk.code());
                all
            })
            .collect();
        Self { taxonomy, registries, occupations_by_course, courses_by_occupation, words }
    }

    /// A model with no registry entries, over the pinned taxonomy's occupations.
    pub fn empty(taxonomy: Taxonomy) -> Self {
        Self::build(taxonomy, Registries::default())
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    pub fn registries(&self) -> &Registries {
        &self.registries
    }

    /// Occupations whose labels, SSYK group or search words hold every word of `search` as
    /// the start of a word (Swedish letters folded), by label; every occupation without one.
    pub fn occupations(&self, search: Option<&str>) -> Vec<&Occupation> {
        let wanted: Vec<String> = search.map(|s| words(s).collect()).unwrap_or_default();
        let mut found: Vec<&Occupation> = self
            .taxonomy
            .occupations()
            .iter()
            .zip(&self.words)
            .filter(|(_, have)| wanted.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str()))))
            .map(|(o, _)| o)
            .collect();
        found.sort_by_cached_key(|o| fold(&o.label));
        found
    }

    pub fn occupation(&self, id: &OccupationId) -> Option<&Occupation> {
        self.taxonomy.occupation(id.as_str()).ok()
    }

    /// The occupations a course or package leads to.
    pub fn occupations_of(&self, course: &CourseCode) -> Vec<&Occupation> {
        let all = self.taxonomy.occupations();
        self.occupations_by_course.get(course).map_or_else(Vec::new, |ids| ids.iter().map(|&i| &all[i]).collect())
    }

    /// Validation offers serving `municipality` (all when `None`), for `occupation` (all when
    /// `None`), valid on `day`, by key.
    pub fn validation_offers(
        &self,
        municipality: Option<MunicipalityCode>,
        occupation: Option<&OccupationId>,
        day: NaiveDate,
    ) -> Vec<&ValidationOffer> {
        self.registries
            .validation_offers
            .iter()
            .filter(|o| o.validity.covers(day))
            .filter(|o| municipality.is_none_or(|m| o.municipalities.contains(&m)))
            .filter(|o| occupation.is_none_or(|id| self.offer_leads_to(o, id)))
            .collect()
    }

    /// Whether an offer names the occupation or one of the courses that lead to it.
    fn offer_leads_to(&self, offer: &ValidationOffer, occupation: &OccupationId) -> bool {
        offer.occupations.contains(occupation)
            || self
                .courses_by_occupation
                .get(occupation)
                .is_some_and(|codes| offer.course_codes.iter().any(|c| codes.binary_search(c).is_ok()))
    }

    /// Guidance services serving `municipality` (all when `None`), by key.
    pub fn guidance_services(&self, municipality: Option<MunicipalityCode>) -> Vec<&GuidanceService> {
        self.registries
            .guidance_services
            .iter()
            .filter(|s| municipality.is_none_or(|m| s.municipalities.contains(&m)))
            .collect()
    }

    /// What studying `offering` costs a resident of `home`: nothing inter-municipal in their
    /// own municipality, else the price that applies on its start (`today` for continuous
    /// intake or an unknown start).
    pub fn cost<'a>(
        &'a self,
        offering: &Offering,
        course: &Course,
        home: MunicipalityCode,
        today: NaiveDate,
    ) -> Cost<'a> {
        if offering.municipality == home {
            return Cost::OwnMunicipality;
        }
        let day = offering.schedule.start().filter(|_| !offering.schedule.continuous_intake()).unwrap_or(today);
        // A yrkesvux package is priced by its local code, a course by its national one.
        let local = course.local_code.as_deref().and_then(|c| CourseCode::parse(c).ok());
        let code = course.code.as_ref().or(local.as_ref());
        match self.registries.prices.price_for(home, offering.municipality, course.school_form, code, day) {
            Some(entry) => Cost::Priced { entry, day },
            None => Cost::NotCovered { day },
        }
    }

    /// The way to `occupation` for a resident of `home` on `today`: the courses and packages
    /// linked to it with their offerings open to the resident (not cancelled, not ended, and
    /// not reserved for another municipality's residents), the validation offers and guidance
    /// services that serve `home`. `None` when the occupation is not in the taxonomy.
    pub fn pathway<'a>(
        &'a self,
        catalogue: &'a ReadModel,
        occupation: &OccupationId,
        home: MunicipalityCode,
        today: NaiveDate,
    ) -> Option<Pathway<'a>> {
        let occupation = self.occupation(occupation)?;
        let centre = catalogue.centre_of(home);
        let codes = self.courses_by_occupation.get(&occupation.id).map_or(&[][..], Vec::as_slice);
        let routes = codes
            .iter()
            .map(|code| {
                let courses = catalogue.courses_with_code(code.as_str());
                let mut offerings: Vec<PathwayOffering<'a>> = courses
                    .iter()
                    .flat_map(|course| catalogue.offerings_of(course).map(move |offering| (*course, offering)))
                    .filter(|(_, o)| o.schedule.end().is_none_or(|end| end >= today))
                    .filter(|(_, o)| o.eligibility != vuxnav_schema::Eligibility::Residents || o.municipality == home)
                    .map(|(course, offering)| PathwayOffering {
                        offering,
                        own_municipality: offering.municipality == home,
                        distance_km: centre.zip(offering.location.coordinates).map(|(a, b)| km(a, b)),
                        cost: self.cost(offering, course, home, today),
                    })
                    .collect();
                offerings.sort_by(|a, b| {
                    (!a.own_municipality, a.distance_km.is_none())
                        .cmp(&(!b.own_municipality, b.distance_km.is_none()))
                        .then(a.distance_km.unwrap_or(0.0).total_cmp(&b.distance_km.unwrap_or(0.0)))
                        .then(a.offering.schedule.start().cmp(&b.offering.schedule.start()))
                        .then(a.offering.id.cmp(&b.offering.id))
                });
                Route { code, courses, offerings }
            })
            .collect();
        Some(Pathway {
            occupation,
            home,
            routes,
            validation_offers: self.validation_offers(Some(home), Some(&occupation.id), today),
            guidance_services: self.guidance_services(Some(home)),
        })
    }

    /// Counts per registry, for logs.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        BTreeMap::from([
            ("occupation_links", self.registries.occupation_links.len()),
            ("validation_offers", self.registries.validation_offers.len()),
            ("guidance_services", self.registries.guidance_services.len()),
            ("prices", self.registries.prices.entries().len()),
        ])
    }
}

/// Great-circle distance in kilometres.
fn km(a: Coordinates, b: Coordinates) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}
