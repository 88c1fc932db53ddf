//! The registry snapshot: the region's registries (occupations and their links, validation
//! offers, guidance services, prices, the newest labour-market outlook) indexed for the public queries, kept apart from the
//! offerings' [`ReadModel`] so that an edit of a registry rebuilds this small model only. A
//! request reads one of each; the questions that need both (a pathway, a cost) take both.
//!
//! The portal renders its pathway, validering and vägledning pages from these types:
//! [`Pathway`], [`Route`], [`PathwayOffering`] and [`Cost`], and lists validation offers and
//! guidance services through the same filters and facets as `/graphql`
//! ([`RegistryModel::validation_offers`], [`RegistryModel::guidance_services`] and their
//! `_facets`).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use vuxnav_schema::{
    Channel, Coordinates, County, Course, CourseCode, GuidanceKind, GuidanceService, Language, MunicipalityCode,
    Occupation, OccupationId, Offering, OutlookArea, OutlookPublication, OutlookRow, PriceListEntry, Registries,
    TargetGroup, Taxonomy, ValidationKind, ValidationOffer,
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
    /// The labour-market outlook for the occupation in the home municipality's county (or
    /// nationally where the county has no figures), from the newest publication.
    pub outlook: Vec<Outlook<'a>>,
}

/// One assessment of the labour-market outlook, as answered for an occupation and a county.
#[derive(Debug, Clone, Copy)]
pub struct Outlook<'a> {
    /// The publication it comes from: its date, source, and whether it is illustrative.
    pub publication: &'a OutlookPublication,
    /// The assessment: its area is the county asked about, or [`OutlookArea::National`]
    /// standing in for it.
    pub row: &'a OutlookRow,
    /// The county asked about, if one was.
    pub asked: Option<County>,
}

impl Outlook<'_> {
    /// Whether the national figures stand in for a county that has none of its own.
    pub fn national_fallback(&self) -> bool {
        self.asked.is_some() && self.row.area == OutlookArea::National
    }
}

/// Which validation offers to list. Values in one list are alternatives (an offer passes when
/// it has one of them); the fields all apply; an empty list does not restrict.
#[derive(Debug, Clone, Default)]
pub struct ValidationFilter {
    /// Serving one of these municipalities.
    pub municipalities: Vec<MunicipalityCode>,
    /// Carried out in one of these languages.
    pub languages: Vec<Language>,
    pub kinds: Vec<ValidationKind>,
    /// Validating against one of these courses.
    pub course_codes: Vec<CourseCode>,
    /// Naming one of these occupations, or a course the region links to one of them.
    pub occupations: Vec<OccupationId>,
}

/// Counts of validation offers per value, the most first (ties by value). Each facet is
/// counted under every filter field but its own, so a chosen value's alternatives keep their
/// counts. An offer serving three municipalities counts once under each of them: the counts
/// of a facet add up to the number of offers only where each offer has one value (`kind`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationFacets {
    pub municipality: Vec<(MunicipalityCode, u64)>,
    pub language: Vec<(Language, u64)>,
    pub kind: Vec<(ValidationKind, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValidationFacet {
    Municipality,
    Language,
    Kind,
}

/// A point to measure from, and optionally how far from it to look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub point: Coordinates,
    /// Only entries within this many kilometres (straight line); every entry when `None`.
    pub radius_km: Option<f64>,
}

/// Which guidance services to list: as [`ValidationFilter`], and `near` a point, which orders
/// them by distance from it (and with a radius leaves out those farther away or without
/// coordinates).
#[derive(Debug, Clone, Default)]
pub struct GuidanceFilter {
    /// Serving one of these municipalities.
    pub municipalities: Vec<MunicipalityCode>,
    /// Speaking one of these languages.
    pub languages: Vec<Language>,
    /// Reached through one of these channels.
    pub channels: Vec<Channel>,
    /// For one of these target groups.
    pub target_groups: Vec<TargetGroup>,
    pub kinds: Vec<GuidanceKind>,
    pub near: Option<Near>,
}

/// Counts of guidance services per value, as [`ValidationFacets`] counts offers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GuidanceFacets {
    pub municipality: Vec<(MunicipalityCode, u64)>,
    pub language: Vec<(Language, u64)>,
    pub channel: Vec<(Channel, u64)>,
    pub target_group: Vec<(TargetGroup, u64)>,
    pub kind: Vec<(GuidanceKind, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GuidanceFacet {
    Municipality,
    Language,
    Channel,
    TargetGroup,
    Kind,
}

/// A registry entry and its distance in kilometres from the point asked about, when both
/// are known.
#[derive(Debug, Clone, Copy)]
pub struct Nearby<'a, T> {
    pub entry: &'a T,
    pub distance_km: Option<f64>,
}

/// Whether `have` holds one of `wanted`, or `wanted` is empty.
fn any_of<T: PartialEq>(wanted: &[T], have: &[T]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
}

/// Counts each entry once per distinct value, the most first, ties by value.
fn count<V: Ord + Copy, I: IntoIterator<Item = V>>(entries: impl Iterator<Item = I>) -> Vec<(V, u64)> {
    let mut counts: BTreeMap<V, u64> = BTreeMap::new();
    for values in entries {
        let mut values: Vec<V> = values.into_iter().collect();
        values.sort();
        values.dedup();
        for value in values {
            *counts.entry(value).or_default() += 1;
        }
    }
    let mut counts: Vec<(V, u64)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
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
    /// Indexes `registries` (validation offers and guidance services by key); links and offers
    /// name occupations of `taxonomy` by construction.
    pub fn build(taxonomy: Taxonomy, mut registries: Registries) -> Self {
        registries.validation_offers.sort_by(|a, b| a.key.cmp(&b.key));
        registries.guidance_services.sort_by(|a, b| a.key.cmp(&b.key));
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

    /// The validation offers `filter` selects among those valid on `day`, by key.
    pub fn validation_offers(&self, filter: &ValidationFilter, day: NaiveDate) -> Vec<&ValidationOffer> {
        self.valid_offers(day).filter(|o| self.offer_matches(o, filter, None)).collect()
    }

    /// Counts per value of the validation offers valid on `day`, each facet under every field
    /// of `filter` but its own (see [`ValidationFacets`]).
    pub fn validation_facets(&self, filter: &ValidationFilter, day: NaiveDate) -> ValidationFacets {
        let under = |facet| self.valid_offers(day).filter(move |o| self.offer_matches(o, filter, Some(facet)));
        ValidationFacets {
            municipality: count(under(ValidationFacet::Municipality).map(|o| o.municipalities.iter().copied())),
            language: count(under(ValidationFacet::Language).map(|o| o.languages.iter().copied())),
            kind: count(under(ValidationFacet::Kind).map(|o| [o.kind])),
        }
    }

    fn valid_offers(&self, day: NaiveDate) -> impl Iterator<Item = &ValidationOffer> {
        self.registries.validation_offers.iter().filter(move |o| o.validity.covers(day))
    }

    /// Whether `offer` passes every field of `filter` but `except`'s.
    fn offer_matches(
        &self,
        offer: &ValidationOffer,
        filter: &ValidationFilter,
        except: Option<ValidationFacet>,
    ) -> bool {
        let applies = |facet| except != Some(facet);
        (!applies(ValidationFacet::Municipality) || any_of(&filter.municipalities, &offer.municipalities))
            && (!applies(ValidationFacet::Language) || any_of(&filter.languages, &offer.languages))
            && (!applies(ValidationFacet::Kind) || filter.kinds.is_empty() || filter.kinds.contains(&offer.kind))
            && any_of(&filter.course_codes, &offer.course_codes)
            && (filter.occupations.is_empty() || filter.occupations.iter().any(|id| self.offer_leads_to(offer, id)))
    }

    /// Whether an offer names the occupation or one of the courses that lead to it.
    fn offer_leads_to(&self, offer: &ValidationOffer, occupation: &OccupationId) -> bool {
        offer.occupations.contains(occupation)
            || self
                .courses_by_occupation
                .get(occupation)
                .is_some_and(|codes| offer.course_codes.iter().any(|c| codes.binary_search(c).is_ok()))
    }

    /// The guidance services `filter` selects: by key, or nearest first when it asks for
    /// nearness (those without coordinates last, by key).
    pub fn guidance_services(&self, filter: &GuidanceFilter) -> Vec<Nearby<'_, GuidanceService>> {
        let mut found: Vec<Nearby<'_, GuidanceService>> = self
            .registries
            .guidance_services
            .iter()
            .filter_map(|s| self.service_within(s, filter))
            .filter(|found| self.service_matches(found.entry, filter, None))
            .collect();
        if filter.near.is_some() {
            // Stable: equal distances and unknown ones keep the order by key.
            found.sort_by(|a, b| match (a.distance_km, b.distance_km) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                (a, b) => a.is_none().cmp(&b.is_none()),
            });
        }
        found
    }

    /// Counts per value of the guidance services, each facet under every field of `filter` but
    /// its own (see [`GuidanceFacets`]); `filter.near`'s radius always applies.
    pub fn guidance_facets(&self, filter: &GuidanceFilter) -> GuidanceFacets {
        let under = |facet| {
            self.registries
                .guidance_services
                .iter()
                .filter(move |s| self.service_within(s, filter).is_some())
                .filter(move |s| self.service_matches(s, filter, Some(facet)))
        };
        GuidanceFacets {
            municipality: count(under(GuidanceFacet::Municipality).map(|s| s.municipalities.iter().copied())),
            language: count(under(GuidanceFacet::Language).map(|s| s.languages.iter().copied())),
            channel: count(under(GuidanceFacet::Channel).map(|s| s.channels.iter().copied())),
            target_group: count(under(GuidanceFacet::TargetGroup).map(|s| s.target_groups.iter().copied())),
            kind: count(under(GuidanceFacet::Kind).map(|s| [s.kind])),
        }
    }

    /// The service with its distance from `filter.near`'s point, or `None` when it lies
    /// outside the radius (a service without coordinates lies outside every radius).
    fn service_within<'a>(
        &self,
        service: &'a GuidanceService,
        filter: &GuidanceFilter,
    ) -> Option<Nearby<'a, GuidanceService>> {
        let distance_km = filter.near.and_then(|near| service.address.coordinates.map(|c| km(near.point, c)));
        let radius = filter.near.and_then(|near| near.radius_km);
        match (radius, distance_km) {
            (Some(radius), Some(d)) if d > radius => None,
            (Some(_), None) => None,
            _ => Some(Nearby { entry: service, distance_km }),
        }
    }

    /// Whether `service` passes every field of `filter` but `except`'s (nearness aside).
    fn service_matches(
        &self,
        service: &GuidanceService,
        filter: &GuidanceFilter,
        except: Option<GuidanceFacet>,
    ) -> bool {
        let applies = |facet| except != Some(facet);
        (!applies(GuidanceFacet::Municipality) || any_of(&filter.municipalities, &service.municipalities))
            && (!applies(GuidanceFacet::Language) || any_of(&filter.languages, &service.languages))
            && (!applies(GuidanceFacet::Channel) || any_of(&filter.channels, &service.channels))
            && (!applies(GuidanceFacet::TargetGroup) || any_of(&filter.target_groups, &service.target_groups))
            && (!applies(GuidanceFacet::Kind) || filter.kinds.is_empty() || filter.kinds.contains(&service.kind))
    }

    /// The labour-market outlook for `occupation` in `county` (national figures where the
    /// county has none; only national ones for `None`), from the newest publication: one
    /// assessment per barometer occupation related to it. Empty without a publication.
    pub fn outlook(&self, occupation: &OccupationId, county: Option<County>) -> Vec<Outlook<'_>> {
        let Some(publication) = &self.registries.outlook else {
            return Vec::new();
        };
        publication
            .for_occupation(occupation, county.map(|c| c.code))
            .into_iter()
            .map(|row| Outlook { publication, row, asked: county })
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
            validation_offers: self.validation_offers(
                &ValidationFilter {
                    municipalities: vec![home],
                    occupations: vec![occupation.id.clone()],
                    ..ValidationFilter::default()
                },
                today,
            ),
            guidance_services: self
                .guidance_services(&GuidanceFilter { municipalities: vec![home], ..GuidanceFilter::default() })
                .into_iter()
                .map(|found| found.entry)
                .collect(),
            outlook: self.outlook(&occupation.id, Some(home.municipality().county())),
        })
    }

    /// Counts per registry, for logs.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        BTreeMap::from([
            ("occupation_links", self.registries.occupation_links.len()),
            ("validation_offers", self.registries.validation_offers.len()),
            ("guidance_services", self.registries.guidance_services.len()),
            ("prices", self.registries.prices.entries().len()),
            ("outlook_rows", self.registries.outlook.as_ref().map_or(0, |o| o.rows().len())),
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
