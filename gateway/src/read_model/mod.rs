//! The read model: an in-memory index derived from the store's catalogue that answers
//! filtered, faceted, sorted and paginated offering queries and Swedish free-text search
//! without scanning the store.
//!
//! It is immutable once built. When data changes, a new one is built from the store and
//! swapped in atomically (see `app::Catalog`); readers holding the old one finish on it.
//!
//! How it answers without scanning: each filterable value has a bitmap of the offerings that
//! carry it; a query intersects bitmaps. Free text is matched by tantivy (Swedish stemmer,
//! fuzzy terms) against the few thousand distinct courses, providers and places, and each hit
//! contributes the bitmap of its offerings. Sorting walks precomputed orders (Swedish collation
//! for titles) and stops after `first` hits past the cursor.
//!
//! An occasion listed by two sources is indexed once ([`occasion::merge_duplicates`]); the
//! other source's id still finds it, and [`ReadModel::also_listed`] says where else it is listed.

mod collation;
mod cursor;
mod dimension;
mod text;

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use roaring::{MultiOps, RoaringBitmap};
use vuxnav_schema::{
    Application, Catalogue, Course, CourseCode, Language, Municipality, MunicipalityCode, Offering, Pace, Provenance,
    Provider, PublicId, SchoolForm, StudyMode, TimeOfStudy, occasion,
};

use collation::Swedish;
use cursor::SortKey;
use dimension::Dimension;
use text::{EntityKind, TextIndex};

/// Which offerings a query selects. Empty lists do not restrict; values within one list are
/// alternatives (OR); different fields all apply (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferingFilter {
    pub municipalities: Vec<MunicipalityCode>,
    /// Offerings of these courses (by id).
    pub courses: Vec<PublicId>,
    /// Offerings of these providers (by id).
    pub providers: Vec<PublicId>,
    pub school_forms: Vec<SchoolForm>,
    pub course_codes: Vec<CourseCode>,
    /// Subject names or codes (`Matematik` or `MAT`), compared without case.
    pub subjects: Vec<String>,
    pub modes: Vec<StudyMode>,
    pub times_of_study: Vec<TimeOfStudy>,
    pub languages: Vec<Language>,
    pub pace_min: Option<Pace>,
    pub pace_max: Option<Pace>,
    /// Offerings starting on or after this date (continuous intake always qualifies).
    pub start_from: Option<NaiveDate>,
    /// Offerings starting on or before this date (continuous intake always qualifies).
    pub start_to: Option<NaiveDate>,
    /// Offerings one can apply to on this date.
    pub open_for_application_on: Option<NaiveDate>,
    pub continuous_intake: Option<bool>,
    /// Cancelled offerings are left out unless asked for.
    pub include_cancelled: bool,
}

/// The order of a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfferingOrder {
    /// Best text match first; without a text, the same as `StartDate`.
    #[default]
    Relevance,
    /// Earliest start first; continuous intake first of all, unknown starts last.
    StartDate,
    /// Course title in Swedish collation (å, ä, ö after z).
    Title,
    /// Municipality name in Swedish collation, then start date.
    Municipality,
}

/// One query against the read model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfferingQuery {
    pub filter: OfferingFilter,
    /// Swedish free text; every word must match (stemmed, or within a small edit distance).
    pub text: Option<String>,
    pub order: OfferingOrder,
    pub descending: bool,
    /// How many offerings to return (the caller enforces the upper limit).
    pub first: usize,
    /// An opaque cursor from an earlier page of the same query.
    pub after: Option<String>,
    /// Whether to count facets (it costs a little, so only when asked).
    pub facets: bool,
}

/// Counts per value of each facet under the current filter, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub municipality: Vec<(MunicipalityCode, u64)>,
    pub school_form: Vec<(SchoolForm, u64)>,
    pub mode: Vec<(StudyMode, u64)>,
    pub time_of_study: Vec<(TimeOfStudy, u64)>,
    pub language: Vec<(Language, u64)>,
}

/// A page of offerings with the cursor of each.
#[derive(Debug, Clone)]
pub struct OfferingPage<'a> {
    pub items: Vec<(&'a Offering, String)>,
    pub total_count: u64,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub facets: Option<Facets>,
}

/// Why a query could not be answered; each names the argument at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("after: the cursor is not one this API gave out for this order")]
    BadCursor,
    #[error("search: {0}")]
    BadText(String),
    #[error("search: the text index failed")]
    Index,
}

/// Why a read model could not be built; the previous one then stays in service.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("building the text index failed: {0}")]
    TextIndex(String),
}

/// The longest free text searched, in characters.
const MAX_TEXT_CHARS: usize = 200;

/// The read model. See the module documentation.
pub struct ReadModel {
    offerings: Vec<Offering>,
    /// Courses with offerings, by title in Swedish collation.
    courses: Vec<Course>,
    /// Providers with offerings, by name in Swedish collation.
    providers: Vec<Provider>,
    /// Every offering's id, and the id of each duplicate merged into one, to its position.
    offering_index: HashMap<PublicId, u32>,
    /// Per offering with duplicates: where the merged records came from.
    also_listed: HashMap<u32, Vec<Provenance>>,
    course_index: HashMap<PublicId, u32>,
    course_by_code: HashMap<String, u32>,
    provider_index: HashMap<PublicId, u32>,

    all: RoaringBitmap,
    cancelled: RoaringBitmap,
    continuous: RoaringBitmap,
    municipality: Dimension<MunicipalityCode>,
    school_form: Dimension<SchoolForm>,
    mode: Dimension<StudyMode>,
    time_of_study: Dimension<TimeOfStudy>,
    language: Dimension<Language>,
    pace: Dimension<Pace>,
    course: Dimension<u32>,
    provider: Dimension<u32>,
    place: Dimension<String>,
    start: Dimension<Option<NaiveDate>>,
    application: Dimension<(Option<NaiveDate>, Option<NaiveDate>, bool)>,
    /// Offerings per subject name and subject code, lowercase.
    subjects: HashMap<String, RoaringBitmap>,

    /// Per offering: continuous intake first, then by start date, unknown last.
    start_key: Vec<i64>,
    /// Per kommunkod: the municipality's rank by name in Swedish collation.
    municipality_rank: HashMap<MunicipalityCode, u32>,
    /// Offerings sorted by each fixed order, and each offering's position in it.
    sorted: [Sorted; 3],
    text: TextIndex,
    swedish: Swedish,
}

struct Sorted {
    docs: Vec<u32>,
    rank: Vec<u32>,
}

impl Sorted {
    fn new(mut docs: Vec<u32>, key: impl Fn(&u32, &u32) -> Ordering) -> Self {
        docs.sort_by(key);
        let mut rank = vec![0; docs.len()];
        for (position, &doc) in docs.iter().enumerate() {
            rank[doc as usize] = position as u32;
        }
        Self { docs, rank }
    }
}

/// Accumulated text scores per entity, dense by entity index (empty without a text); an
/// offering's score is the sum over its course, provider, municipality and place.
#[derive(Default)]
struct Scores {
    course: Vec<f32>,
    provider: Vec<f32>,
    municipality: Vec<f32>,
    place: Vec<f32>,
}

impl Scores {
    fn table(&mut self, kind: EntityKind) -> &mut Vec<f32> {
        match kind {
            EntityKind::Course => &mut self.course,
            EntityKind::Provider => &mut self.provider,
            EntityKind::Municipality => &mut self.municipality,
            EntityKind::Place => &mut self.place,
        }
    }
}

/// Below this many matches, a word filters them one by one; above it, the bitmaps of the
/// entities it matched are unioned and intersected with them.
const FILTER_ONE_BY_ONE: u64 = 50_000;

fn start_key(offering: &Offering) -> i64 {
    match (offering.schedule.continuous_intake(), offering.schedule.start()) {
        (true, _) => i64::MIN,
        (false, Some(start)) => i64::from(start.num_days_from_ce()),
        (false, None) => i64::MAX,
    }
}

fn fixed_order_slot(order: OfferingOrder) -> usize {
    match order {
        OfferingOrder::Relevance | OfferingOrder::StartDate => 0,
        OfferingOrder::Title => 1,
        OfferingOrder::Municipality => 2,
    }
}

impl ReadModel {
    /// Builds the read model from a catalogue. Offerings whose course or provider is missing
    /// are left out and logged.
    pub fn build(catalogue: Catalogue) -> Result<Self, BuildError> {
        let swedish = Swedish::new();
        let Catalogue { providers, courses, offerings } = catalogue;

        let known_courses: HashMap<PublicId, usize> = courses.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let known_providers: HashMap<PublicId, usize> = providers.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let before = offerings.len();
        let mut offerings: Vec<Offering> = offerings
            .into_iter()
            .filter(|o| known_courses.contains_key(&o.course) && known_providers.contains_key(&o.provider))
            .collect();
        if offerings.len() < before {
            tracing::warn!(left_out = before - offerings.len(), "offerings without a known course or provider");
        }
        offerings.sort_by_key(|o| o.id);
        offerings.dedup_by_key(|o| o.id);
        let (offerings, duplicates) = occasion::merge_duplicates(
            offerings,
            |id| known_courses.get(&id).map(|&i| &courses[i]),
            |id| known_providers.get(&id).map(|&i| &providers[i]),
        );

        // Keep the courses and providers that have offerings, in Swedish collation.
        let mut used_courses = vec![false; courses.len()];
        let mut used_providers = vec![false; providers.len()];
        for offering in &offerings {
            used_courses[known_courses[&offering.course]] = true;
            used_providers[known_providers[&offering.provider]] = true;
        }
        let mut courses: Vec<Course> =
            courses.into_iter().zip(used_courses).filter(|(_, used)| *used).map(|(c, _)| c).collect();
        courses.sort_by(|a, b| swedish.compare(&a.title, &b.title).then(a.id.cmp(&b.id)));
        let mut providers: Vec<Provider> =
            providers.into_iter().zip(used_providers).filter(|(_, used)| *used).map(|(p, _)| p).collect();
        providers.sort_by(|a, b| swedish.compare(&a.name, &b.name).then(a.id.cmp(&b.id)));

        let course_index: HashMap<PublicId, u32> = courses.iter().enumerate().map(|(i, c)| (c.id, i as u32)).collect();
        let provider_index: HashMap<PublicId, u32> =
            providers.iter().enumerate().map(|(i, p)| (p.id, i as u32)).collect();
        let course_by_code = courses
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.code.as_ref()?.as_str().to_uppercase(), i as u32)))
            .collect();
        let mut offering_index: HashMap<PublicId, u32> =
            offerings.iter().enumerate().map(|(i, o)| (o.id, i as u32)).collect();
        let mut also_listed: HashMap<u32, Vec<Provenance>> = HashMap::new();
        for duplicate in duplicates {
            let kept = offering_index[&duplicate.kept];
            offering_index.insert(duplicate.id, kept);
            also_listed.entry(kept).or_default().push(duplicate.provenance);
        }
        let course_of = |o: &Offering| course_index[&o.course];

        let titles: Vec<&str> = courses.iter().map(|c| c.title.as_str()).collect();
        let title_rank = swedish.ranks(&titles);
        let municipalities: Vec<Municipality> = Municipality::all().collect();
        let names: Vec<&str> = municipalities.iter().map(|m| m.name).collect();
        let municipality_rank =
            municipalities.iter().zip(swedish.ranks(&names)).map(|(m, rank)| (m.code, rank)).collect();

        let mut subjects: HashMap<String, RoaringBitmap> = HashMap::new();
        let mut cancelled = RoaringBitmap::new();
        let mut continuous = RoaringBitmap::new();
        for (doc, offering) in offerings.iter().enumerate() {
            let doc = doc as u32;
            let course = &courses[course_of(offering) as usize];
            if let Some(subject) = &course.subject {
                subjects.entry(subject.to_lowercase()).or_default().insert(doc);
            }
            if let Some(code) = &course.code
                && matches!(course.school_form, SchoolForm::VuxGy | SchoolForm::VuxGyan)
            {
                subjects.entry(code.subject_code().to_lowercase()).or_default().insert(doc);
            }
            if offering.cancelled {
                cancelled.insert(doc);
            }
            if offering.schedule.continuous_intake() {
                continuous.insert(doc);
            }
        }

        let place_of = |o: &Offering| {
            [o.location.name.as_deref(), o.location.town.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
        };
        let dimension = |f: &dyn Fn(&Offering) -> u32| Dimension::build(offerings.iter().map(f));
        let course = dimension(&|o| course_of(o));
        let provider = dimension(&|o| provider_index[&o.provider]);
        let municipality = Dimension::build(offerings.iter().map(|o| o.municipality));
        let place = Dimension::build(offerings.iter().map(place_of));

        let text = Self::text_index(&courses, &providers, &municipality, &place)?;
        let start_key: Vec<i64> = offerings.iter().map(start_key).collect();
        let docs: Vec<u32> = (0..offerings.len() as u32).collect();
        let title_of = |doc: &u32| title_rank[course.value_of(*doc).to_owned() as usize];
        let id_of = |doc: &u32| offerings[*doc as usize].id;
        let start_of = |doc: &u32| start_key[*doc as usize];
        let municipality_of =
            |doc: &u32| -> u32 { municipality_rank_of(&municipality_rank, *municipality.value_of(*doc)) };
        let sorted = [
            Sorted::new(docs.clone(), |a, b| {
                (start_of(a), title_of(a), id_of(a)).cmp(&(start_of(b), title_of(b), id_of(b)))
            }),
            Sorted::new(docs.clone(), |a, b| {
                (title_of(a), start_of(a), id_of(a)).cmp(&(title_of(b), start_of(b), id_of(b)))
            }),
            Sorted::new(docs.clone(), |a, b| {
                (municipality_of(a), start_of(a), id_of(a)).cmp(&(municipality_of(b), start_of(b), id_of(b)))
            }),
        ];

        Ok(Self {
            all: docs.iter().copied().collect(),
            cancelled,
            continuous,
            school_form: Dimension::build(offerings.iter().map(|o| courses[course_of(o) as usize].school_form)),
            mode: Dimension::build(offerings.iter().map(|o| o.mode)),
            time_of_study: Dimension::build(offerings.iter().map(|o| o.time_of_study)),
            language: Dimension::build(offerings.iter().map(|o| o.language)),
            pace: Dimension::build(offerings.iter().map(|o| o.pace)),
            start: Dimension::build(offerings.iter().map(|o| o.schedule.start())),
            application: Dimension::build(
                offerings.iter().map(|o| (o.application.opens(), o.application.closes(), o.application.continuous())),
            ),
            course,
            provider,
            municipality,
            place,
            subjects,
            start_key,
            municipality_rank,
            sorted,
            text,
            swedish,
            offering_index,
            also_listed,
            course_index,
            course_by_code,
            provider_index,
            courses,
            providers,
            offerings,
        })
    }

    fn text_index(
        courses: &[Course],
        providers: &[Provider],
        municipality: &Dimension<MunicipalityCode>,
        place: &Dimension<String>,
    ) -> Result<TextIndex, BuildError> {
        let course_texts: Vec<String> = courses
            .iter()
            .map(|c| {
                [Some(c.title.as_str()), c.code.as_ref().map(CourseCode::as_str), c.subject.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let entities = course_texts
            .iter()
            .enumerate()
            .map(|(i, text)| (EntityKind::Course, i as u32, text.as_str()))
            .chain(providers.iter().enumerate().map(|(i, p)| (EntityKind::Provider, i as u32, p.name.as_str())))
            .chain(
                municipality
                    .values()
                    .iter()
                    .enumerate()
                    .map(|(i, code)| (EntityKind::Municipality, i as u32, code.municipality().name)),
            )
            .chain(place.values().iter().enumerate().map(|(i, text)| (EntityKind::Place, i as u32, text.as_str())));
        TextIndex::build(entities).map_err(|error| BuildError::TextIndex(error.to_string()))
    }

    pub fn search(&self, query: &OfferingQuery) -> Result<OfferingPage<'_>, QueryError> {
        let text = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let order = match (query.order, text) {
            (OfferingOrder::Relevance, None) => OfferingOrder::StartDate,
            (order, _) => order,
        };
        let after = query.after.as_deref().map(|c| cursor::decode(c, query.order, query.descending)).transpose()?;
        let (matches, scores) = self.matching(&query.filter, text)?;
        let (docs, has_next_page) = match order {
            OfferingOrder::Relevance => self.page_by_relevance(&matches, &scores, query, after.as_ref()),
            fixed => self.page_by_fixed_order(&matches, fixed, query, after.as_ref(), &scores),
        };
        let items = docs
            .into_iter()
            .map(|doc| {
                let key = self.sort_key(doc, &scores);
                (&self.offerings[doc as usize], cursor::encode(query.order, query.descending, &key))
            })
            .collect();
        Ok(OfferingPage {
            items,
            total_count: matches.len(),
            has_next_page,
            has_previous_page: after.is_some(),
            facets: query.facets.then(|| self.facets(&matches)),
        })
    }

    /// The offerings a filter and text select, with the text scores of matched entities.
    fn matching(&self, filter: &OfferingFilter, text: Option<&str>) -> Result<(RoaringBitmap, Scores), QueryError> {
        let mut matches = if filter.include_cancelled { self.all.clone() } else { &self.all - &self.cancelled };
        let mut restrict = |bitmap: RoaringBitmap| matches &= bitmap;
        if !filter.municipalities.is_empty() {
            restrict(self.municipality.any_of(&filter.municipalities));
        }
        if !filter.school_forms.is_empty() {
            restrict(self.school_form.any_of(&filter.school_forms));
        }
        if !filter.modes.is_empty() {
            restrict(self.mode.any_of(&filter.modes));
        }
        if !filter.times_of_study.is_empty() {
            restrict(self.time_of_study.any_of(&filter.times_of_study));
        }
        if !filter.languages.is_empty() {
            restrict(self.language.any_of(&filter.languages));
        }
        if !filter.course_codes.is_empty() {
            let ords: Vec<u32> = filter
                .course_codes
                .iter()
                .filter_map(|code| self.course_by_code.get(&code.as_str().to_uppercase()).copied())
                .collect();
            restrict(self.course.any_of(&ords));
        }
        if !filter.courses.is_empty() {
            let ords: Vec<u32> = filter.courses.iter().filter_map(|id| self.course_index.get(id).copied()).collect();
            restrict(self.course.any_of(&ords));
        }
        if !filter.providers.is_empty() {
            let ords: Vec<u32> =
                filter.providers.iter().filter_map(|id| self.provider_index.get(id).copied()).collect();
            restrict(self.provider.any_of(&ords));
        }
        if !filter.subjects.is_empty() {
            restrict(
                filter
                    .subjects
                    .iter()
                    .filter_map(|s| self.subjects.get(&s.trim().to_lowercase()))
                    .fold(RoaringBitmap::new(), |acc, b| acc | b),
            );
        }
        if filter.pace_min.is_some() || filter.pace_max.is_some() {
            let (min, max) = (filter.pace_min, filter.pace_max);
            restrict(self.pace.matching(|p| min.is_none_or(|m| *p >= m) && max.is_none_or(|m| *p <= m)));
        }
        if filter.start_from.is_some() || filter.start_to.is_some() {
            let (from, to) = (filter.start_from, filter.start_to);
            let dated = self
                .start
                .matching(|start| start.is_some_and(|s| from.is_none_or(|f| s >= f) && to.is_none_or(|t| s <= t)));
            restrict(dated | &self.continuous);
        }
        if let Some(date) = filter.open_for_application_on {
            restrict(self.application.matching(|(opens, closes, continuous)| {
                Application::new(*opens, *closes, *continuous, None).is_ok_and(|a| a.is_open_on(date))
            }));
        }
        match filter.continuous_intake {
            Some(true) => restrict(self.continuous.clone()),
            Some(false) => matches -= &self.continuous,
            None => {}
        }
        let mut scores = Scores::default();
        if let Some(text) = text {
            self.match_text(text, &mut matches, &mut scores)?;
        }
        Ok((matches, scores))
    }

    /// Every word must match some entity of an offering.
    fn match_text(&self, text: &str, matches: &mut RoaringBitmap, scores: &mut Scores) -> Result<(), QueryError> {
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(QueryError::BadText(format!("the text is longer than {MAX_TEXT_CHARS} characters")));
        }
        let words = self.text.words(text);
        if words.len() > text::MAX_WORDS {
            return Err(QueryError::BadText(format!("the text has more than {} words", text::MAX_WORDS)));
        }
        for kind in EntityKind::ALL {
            *scores.table(kind) = vec![0.0; self.entity_count(kind)];
        }
        for word in words {
            if matches.is_empty() {
                break;
            }
            let hits = self.text.search_word(&word).map_err(|error| {
                tracing::error!(%error, "text search failed");
                QueryError::Index
            })?;
            for hit in &hits {
                if let Some(score) = scores.table(hit.kind).get_mut(hit.ord as usize) {
                    *score += hit.score;
                }
            }
            if matches.len() < FILTER_ONE_BY_ONE {
                let mut matched: [Vec<bool>; 4] = EntityKind::ALL.map(|kind| vec![false; self.entity_count(kind)]);
                for hit in &hits {
                    if let Some(mark) = matched[hit.kind as usize].get_mut(hit.ord as usize) {
                        *mark = true;
                    }
                }
                matches.retain(|doc| {
                    EntityKind::ALL.iter().any(|&kind| matched[kind as usize][self.entity_of(kind, doc) as usize])
                });
            } else {
                *matches &= hits.iter().map(|hit| self.entity_bitmap(hit.kind, hit.ord)).union();
            }
        }
        Ok(())
    }

    fn entity_count(&self, kind: EntityKind) -> usize {
        match kind {
            EntityKind::Course => self.course.values().len(),
            EntityKind::Provider => self.provider.values().len(),
            EntityKind::Municipality => self.municipality.values().len(),
            EntityKind::Place => self.place.values().len(),
        }
    }

    /// The index of the offering's entity of `kind` (its course, provider, ...).
    fn entity_of(&self, kind: EntityKind, doc: u32) -> u32 {
        match kind {
            EntityKind::Course => self.course.index_of(doc),
            EntityKind::Provider => self.provider.index_of(doc),
            EntityKind::Municipality => self.municipality.index_of(doc),
            EntityKind::Place => self.place.index_of(doc),
        }
    }

    fn entity_bitmap(&self, kind: EntityKind, ord: u32) -> &RoaringBitmap {
        match kind {
            EntityKind::Course => self.course.bitmap(ord as usize),
            EntityKind::Provider => self.provider.bitmap(ord as usize),
            EntityKind::Municipality => self.municipality.bitmap(ord as usize),
            EntityKind::Place => self.place.bitmap(ord as usize),
        }
    }

    fn score(&self, doc: u32, scores: &Scores) -> f32 {
        let of = |table: &[f32], index: u32| table.get(index as usize).copied().unwrap_or(0.0);
        of(&scores.course, self.course.index_of(doc))
            + of(&scores.provider, self.provider.index_of(doc))
            + of(&scores.municipality, self.municipality.index_of(doc))
            + of(&scores.place, self.place.index_of(doc))
    }

    fn sort_key(&self, doc: u32, scores: &Scores) -> SortKey {
        let offering = &self.offerings[doc as usize];
        SortKey {
            start: self.start_key[doc as usize],
            municipality_rank: municipality_rank_of(&self.municipality_rank, offering.municipality),
            score: self.score(doc, scores),
            id: offering.id.uuid(),
            title: self.courses[*self.course.value_of(doc) as usize].title.clone(),
        }
    }

    /// Compares an offering with a cursor's key in the ascending sense of `order`.
    fn compare_to_key(&self, doc: u32, order: OfferingOrder, key: &SortKey, scores: &Scores) -> Ordering {
        let start = self.start_key[doc as usize];
        let id = self.offerings[doc as usize].id.uuid();
        let title = || self.swedish.compare(&self.courses[*self.course.value_of(doc) as usize].title, &key.title);
        match order {
            OfferingOrder::Relevance => {
                key.score.total_cmp(&self.score(doc, scores)).then(start.cmp(&key.start)).then(id.cmp(&key.id))
            }
            OfferingOrder::StartDate => start.cmp(&key.start).then_with(title).then(id.cmp(&key.id)),
            OfferingOrder::Title => title().then(start.cmp(&key.start)).then(id.cmp(&key.id)),
            OfferingOrder::Municipality => {
                municipality_rank_of(&self.municipality_rank, *self.municipality.value_of(doc))
                    .cmp(&key.municipality_rank)
                    .then(start.cmp(&key.start))
                    .then(id.cmp(&key.id))
            }
        }
    }

    fn page_by_fixed_order(
        &self,
        matches: &RoaringBitmap,
        order: OfferingOrder,
        query: &OfferingQuery,
        after: Option<&SortKey>,
        scores: &Scores,
    ) -> (Vec<u32>, bool) {
        let sorted = &self.sorted[fixed_order_slot(order)];
        let total = sorted.docs.len();
        let wanted = query.first;
        // Positions (in ascending order) that come after the cursor in the walking direction.
        let (from, to) = match (after, query.descending) {
            (None, _) => (0, total),
            (Some(key), false) => {
                (sorted.docs.partition_point(|&d| self.compare_to_key(d, order, key, scores).is_le()), total)
            }
            (Some(key), true) => {
                (0, sorted.docs.partition_point(|&d| self.compare_to_key(d, order, key, scores).is_lt()))
            }
        };
        let mut picked = Vec::with_capacity(wanted + 1);
        if matches.len().saturating_mul(32) >= total as u64 {
            // Many matches: walk the order and keep the matching ones.
            let window = &sorted.docs[from..to];
            let walk: Box<dyn Iterator<Item = &u32>> =
                if query.descending { Box::new(window.iter().rev()) } else { Box::new(window.iter()) };
            picked.extend(walk.filter(|doc| matches.contains(**doc)).take(wanted + 1).copied());
        } else {
            // Few matches: sort just them by their position.
            let mut candidates: Vec<u32> =
                matches.iter().filter(|&doc| (from..to).contains(&(sorted.rank[doc as usize] as usize))).collect();
            let position = |doc: &u32| sorted.rank[*doc as usize];
            if query.descending {
                candidates.sort_unstable_by_key(|doc| Reverse(position(doc)));
            } else {
                candidates.sort_unstable_by_key(position);
            }
            picked.extend(candidates.into_iter().take(wanted + 1));
        }
        let has_next = picked.len() > wanted;
        picked.truncate(wanted);
        (picked, has_next)
    }

    fn page_by_relevance(
        &self,
        matches: &RoaringBitmap,
        scores: &Scores,
        query: &OfferingQuery,
        after: Option<&SortKey>,
    ) -> (Vec<u32>, bool) {
        // Offerings are sorted by id at build, so the doc number breaks ties as the id does.
        let key_of = |doc: u32| -> RelevanceKey {
            (Reverse(OrderedScore(self.score(doc, scores))), self.start_key[doc as usize], doc)
        };
        let mut candidates: Vec<(RelevanceKey, u32)> = matches
            .iter()
            .filter(|&doc| {
                after.is_none_or(|key| {
                    let ordering = self.compare_to_key(doc, OfferingOrder::Relevance, key, scores);
                    if query.descending { ordering.is_lt() } else { ordering.is_gt() }
                })
            })
            .map(|doc| (key_of(doc), doc))
            .collect();
        let wanted = query.first;
        let compare = |a: &(RelevanceKey, u32), b: &(RelevanceKey, u32)| {
            if query.descending { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) }
        };
        if candidates.len() > wanted + 1 {
            candidates.select_nth_unstable_by(wanted, compare);
            candidates.truncate(wanted + 1);
        }
        candidates.sort_unstable_by(compare);
        let has_next = candidates.len() > wanted;
        (candidates.into_iter().take(wanted).map(|(_, doc)| doc).collect(), has_next)
    }

    fn facets(&self, matches: &RoaringBitmap) -> Facets {
        Facets {
            municipality: self.municipality.counts(matches),
            school_form: self.school_form.counts(matches),
            mode: self.mode.counts(matches),
            time_of_study: self.time_of_study.counts(matches),
            language: self.language.counts(matches),
        }
    }

    /// The offering with this id; the id of a duplicate from another source names the
    /// offering it was merged into (see [`occasion`]).
    pub fn offering(&self, id: PublicId) -> Option<&Offering> {
        self.offering_index.get(&id).map(|&i| &self.offerings[i as usize])
    }

    /// Where the duplicates merged into this offering came from; empty when no other source
    /// lists it.
    pub fn also_listed(&self, id: PublicId) -> &[Provenance] {
        let doc = self.offering_index.get(&id);
        doc.and_then(|doc| self.also_listed.get(doc)).map_or(&[], Vec::as_slice)
    }

    pub fn course(&self, id: PublicId) -> Option<&Course> {
        self.course_index.get(&id).map(|&i| &self.courses[i as usize])
    }

    pub fn course_by_code(&self, code: &CourseCode) -> Option<&Course> {
        self.course_by_code.get(&code.as_str().to_uppercase()).map(|&i| &self.courses[i as usize])
    }

    pub fn provider(&self, id: PublicId) -> Option<&Provider> {
        self.provider_index.get(&id).map(|&i| &self.providers[i as usize])
    }

    /// All courses that have at least one offering, by title in Swedish collation.
    pub fn courses(&self) -> &[Course] {
        &self.courses
    }

    /// All providers that have at least one offering, by name in Swedish collation.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// Number of offerings (cancelled ones included) in a municipality.
    pub fn offering_count(&self, municipality: MunicipalityCode) -> u64 {
        self.municipality.values().binary_search(&municipality).map_or(0, |index| self.municipality.bitmap(index).len())
    }

    pub fn len(&self) -> usize {
        self.offerings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offerings.is_empty()
    }
}

fn municipality_rank_of(ranks: &HashMap<MunicipalityCode, u32>, code: MunicipalityCode) -> u32 {
    ranks.get(&code).copied().unwrap_or(u32::MAX)
}

/// Best score first, then start, then id (as the doc number, in id order).
type RelevanceKey = (Reverse<OrderedScore>, i64, u32);

/// A score with a total order, for sorting.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderedScore(f32);

impl Eq for OrderedScore {}

impl PartialOrd for OrderedScore {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedScore {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests;
