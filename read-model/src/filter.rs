//! Selecting offerings: a filter intersects the bitmaps of its values, and every word of a
//! free text must match an entity of the offering: its course, provider, municipality or
//! place, or a keyword for a kind of offering it is (`komvux`, `distans`, see `keywords.rs`).
//!
//! Facets are disjunctive: when they are asked for, the offerings under every filter but one
//! facet's own are selected too, for each facet whose own filter is set, so that its count
//! shows the alternatives to what is chosen. Every filter field is a facet's own but the
//! course, course code and provider (which restrict every facet) and cancelled offerings
//! (left out of every facet unless asked for).
//!
//! What a word matches over every offering (its entities and the union of their offerings) is
//! kept in a small cache per read model ([`WordCache`]): the same words come back, and then a
//! word costs a bitmap intersection per set it narrows.

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use lru::LruCache;
use roaring::{MultiOps, RoaringBitmap};

use crate::day::DaySets;
use crate::dimension::{Entities, OnePerOffering};
use crate::query::MAX_TEXT_CHARS;
use crate::text::{self, EntityKind, Hit};
use crate::{OfferingFilter, QueryError, ReadModel};

/// The facets, in the order of [`Selection::relaxed`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Facet {
    Municipality = 0,
    SchoolForm = 1,
    Mode = 2,
    TimeOfStudy = 3,
    Language = 4,
    Subject = 5,
    Pace = 6,
    Start = 7,
    OpenNow = 8,
    ContinuousIntake = 9,
}

const FACETS: usize = 10;

/// What a filter and text select.
pub(crate) struct Selection {
    pub matches: RoaringBitmap,
    pub scores: Scores,
    /// By [`Facet`], when facets are asked for and the facet's own filter is set: the offerings
    /// selected under every filter but that one (and the text).
    relaxed: [Option<RoaringBitmap>; FACETS],
}

impl Selection {
    /// The offerings a facet is counted over: under every filter but its own.
    pub(crate) fn facet_base(&self, facet: Facet) -> &RoaringBitmap {
        self.relaxed[facet as usize].as_ref().unwrap_or(&self.matches)
    }
}

/// Accumulated text scores (empty without a text): per entity kind of which each offering has
/// one (course, provider, municipality, place: [`ReadModel::dimensions`]), dense by entity
/// index, for the kinds some word matched; and per matched keyword. An offering's score is the
/// sum over its course, provider, municipality, place and the matched keywords it has.
#[derive(Default)]
pub(crate) struct Scores {
    entities: [Vec<f32>; 5],
    keywords: Vec<(u32, f32)>,
}

/// What one word matches over every offering: the entities, with their scores, and the union
/// of their offerings.
pub(crate) struct WordMatches {
    hits: Vec<Hit>,
    offerings: RoaringBitmap,
}

/// The most words whose matches a read model keeps. A word's bitmap takes a few kilobytes, at
/// most about 40 KB at national scale, so the cache stays below about 20 MB.
const CACHED_WORDS: NonZeroUsize = NonZeroUsize::new(512).expect("not zero");

/// The matches of the words searched last, least recently used dropped first. It is the read
/// model's only state that changes after it is built, and it only ever holds what the text
/// index and the bitmaps say; a new read model starts with an empty one.
pub(crate) struct WordCache(Mutex<LruCache<String, Arc<WordMatches>>>);

impl WordCache {
    pub(crate) fn new() -> Self {
        Self(Mutex::new(LruCache::new(CACHED_WORDS)))
    }

    fn get(&self, word: &str) -> Option<Arc<WordMatches>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).get(word).cloned()
    }

    fn put(&self, word: String, matches: Arc<WordMatches>) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).put(word, matches);
    }
}

impl ReadModel {
    /// The offerings a filter and text select, with the text scores of matched entities and,
    /// when `facets` is asked for, what each facet is counted over. `day` holds the sets of a
    /// date (today's): a filter on that date uses them instead of making its own.
    pub(crate) fn select(
        &self,
        filter: &OfferingFilter,
        text: Option<&str>,
        facets: bool,
        day: Option<&DaySets>,
    ) -> Result<Selection, QueryError> {
        // The restrictions of every filter field that is not a facet's own.
        let mut restrictions: Vec<Cow<'_, RoaringBitmap>> = Vec::new();
        let mut restrict = |bitmap: RoaringBitmap| restrictions.push(Cow::Owned(bitmap));
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
        let excluded: Vec<&RoaringBitmap> = if filter.include_cancelled { Vec::new() } else { vec![&self.cancelled] };
        let start = (filter.start_from.is_some() || filter.start_to.is_some()).then(|| {
            match day.and_then(|day| day.window(filter.start_from, filter.start_to)) {
                Some(window) => Cow::Borrowed(window),
                None => Cow::Owned(self.starting_between(filter.start_from, filter.start_to)),
            }
        });
        let open = filter.open_for_application_on.map(|date| match day {
            Some(day) if day.date == date => Cow::Borrowed(&day.open),
            _ => Cow::Owned(self.open_on(date)),
        });
        let continuous = filter.continuous_intake.map(|continuous| match continuous {
            true => Cow::Borrowed(&self.continuous),
            false => Cow::Owned(&self.all - &self.continuous),
        });
        let own: [Option<Cow<'_, RoaringBitmap>>; FACETS] = [
            (!filter.municipalities.is_empty()).then(|| Cow::Owned(self.municipality.any_of(&filter.municipalities))),
            (!filter.school_forms.is_empty()).then(|| Cow::Owned(self.school_form.any_of(&filter.school_forms))),
            (!filter.modes.is_empty()).then(|| Cow::Owned(self.mode.any_of(&known(&filter.modes)))),
            (!filter.times_of_study.is_empty())
                .then(|| Cow::Owned(self.time_of_study.any_of(&known(&filter.times_of_study)))),
            (!filter.languages.is_empty()).then(|| Cow::Owned(self.language.any_of(&known(&filter.languages)))),
            (!filter.subjects.is_empty()).then(|| Cow::Owned(self.subject_offerings(&filter.subjects))),
            (filter.pace_min.is_some() || filter.pace_max.is_some()).then(|| {
                let (min, max) = (filter.pace_min, filter.pace_max);
                Cow::Owned(self.pace.matching(|p| min.is_none_or(|m| *p >= m) && max.is_none_or(|m| *p <= m)))
            }),
            start,
            open,
            continuous,
        ];
        let own: [Option<&RoaringBitmap>; FACETS] = own.each_ref().map(|own| own.as_deref());
        let restrictions: Vec<&RoaringBitmap> = restrictions.iter().map(AsRef::as_ref).collect();
        let mut relaxed: [Option<RoaringBitmap>; FACETS] = Default::default();
        if facets {
            for (facet, slot) in relaxed.iter_mut().enumerate().filter(|(facet, _)| own[*facet].is_some()) {
                let others = own.iter().enumerate().filter(|(other, _)| *other != facet).filter_map(|(_, b)| *b);
                *slot = Some(self.intersection(restrictions.iter().copied().chain(others), &excluded));
            }
        }
        let mut matches =
            self.intersection(restrictions.iter().copied().chain(own.iter().flatten().copied()), &excluded);

        let mut scores = Scores::default();
        if let Some(text) = text {
            let mut sets: Vec<&mut RoaringBitmap> =
                std::iter::once(&mut matches).chain(relaxed.iter_mut().flatten()).collect();
            self.match_text(text, &mut sets, &mut scores)?;
        }
        Ok(Selection { matches, scores, relaxed })
    }

    /// The offerings of any of `subjects` (names or codes, ignoring case).
    pub(crate) fn subject_offerings(&self, subjects: &[String]) -> RoaringBitmap {
        subjects.iter().filter_map(|s| self.subjects.get(&s.trim().to_lowercase())).union()
    }

    /// The offerings in every one of `bitmaps` (every offering when there is none) and in none
    /// of `excluded`, intersecting from the smallest so that no large bitmap is copied.
    fn intersection<'a>(
        &'a self,
        bitmaps: impl Iterator<Item = &'a RoaringBitmap>,
        excluded: &[&RoaringBitmap],
    ) -> RoaringBitmap {
        let mut bitmaps: Vec<&RoaringBitmap> = bitmaps.collect();
        bitmaps.sort_unstable_by_key(|bitmap| bitmap.len());
        let mut result = bitmaps.first().map_or_else(|| self.all.clone(), |&smallest| smallest.clone());
        for bitmap in bitmaps.iter().skip(1) {
            result &= *bitmap;
        }
        for bitmap in excluded {
            result -= *bitmap;
        }
        result
    }

    /// Keeps in each set the offerings that every word matches through some entity.
    fn match_text(&self, text: &str, sets: &mut [&mut RoaringBitmap], scores: &mut Scores) -> Result<(), QueryError> {
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(QueryError::BadText(format!("the text is longer than {MAX_TEXT_CHARS} characters")));
        }
        let words = self.text.words(text);
        if words.len() > text::MAX_WORDS {
            return Err(QueryError::BadText(format!("the text has more than {} words", text::MAX_WORDS)));
        }
        let dimensions = self.dimensions();
        let mut keyword_scores = vec![0.0; self.keywords.len()];
        for word in words {
            if sets.iter().all(|set| set.is_empty()) {
                break;
            }
            let matched = self.word_matches(word)?;
            for hit in &matched.hits {
                let score = match hit.kind {
                    EntityKind::Keyword => keyword_scores.get_mut(hit.ord as usize),
                    kind => scores.entities.get_mut(kind as usize).and_then(|entities| {
                        if entities.is_empty() {
                            *entities = vec![0.0; dimensions[kind as usize].len()];
                        }
                        entities.get_mut(hit.ord as usize)
                    }),
                };
                if let Some(score) = score {
                    *score += hit.score;
                }
            }
            for set in sets.iter_mut() {
                **set &= &matched.offerings;
            }
        }
        scores.keywords = (0..).zip(keyword_scores).filter(|(_, score)| *score > 0.0).collect();
        Ok(())
    }

    /// What `word` matches over every offering, from the cache or from the text index.
    fn word_matches(&self, word: String) -> Result<Arc<WordMatches>, QueryError> {
        if let Some(matches) = self.words.get(&word) {
            return Ok(matches);
        }
        let hits = self.text.search_word(&word).map_err(|error| {
            tracing::error!(%error, "text search failed");
            QueryError::Index
        })?;
        let offerings = hits.iter().map(|hit| self.entities(hit.kind).bitmap(hit.ord as usize)).union();
        let matches = Arc::new(WordMatches { hits, offerings });
        self.words.put(word, matches.clone());
        Ok(matches)
    }

    /// The table of entities of `kind`.
    fn entities(&self, kind: EntityKind) -> &dyn Entities {
        match kind {
            EntityKind::Course => &self.course,
            EntityKind::Provider => &self.provider,
            EntityKind::Municipality => &self.municipality,
            EntityKind::Place => &self.place,
            EntityKind::Title => &self.title,
            EntityKind::Keyword => &self.keywords,
        }
    }

    /// The entities of which each offering has one, by `EntityKind` (course, provider,
    /// municipality, place, own title); keywords overlap and are not among them.
    fn dimensions(&self) -> [&dyn OnePerOffering; 5] {
        [&self.course, &self.provider, &self.municipality, &self.place, &self.title]
    }

    /// The offering's relevance: the sum of the scores of its course, provider, municipality,
    /// place and the matched keywords it has.
    pub(crate) fn score(&self, doc: u32, scores: &Scores) -> f32 {
        let entities: f32 = self
            .dimensions()
            .iter()
            .zip(&scores.entities)
            .filter(|(_, scores)| !scores.is_empty())
            .map(|(dimension, scores)| {
                dimension
                    .of_doc()
                    .get(doc as usize)
                    .and_then(|&index| scores.get(index as usize))
                    .copied()
                    .unwrap_or(0.0)
            })
            .sum();
        let keywords: f32 = scores
            .keywords
            .iter()
            .filter(|(ord, _)| self.keywords.bitmap(*ord as usize).contains(doc))
            .map(|s| s.1)
            .sum();
        entities + keywords
    }
}

/// Filter values as the dimension's keys: a value asked for never matches an unknown one.
fn known<T: Copy>(values: &[T]) -> Vec<Option<T>> {
    values.iter().copied().map(Some).collect()
}
