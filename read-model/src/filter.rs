//! Selecting offerings: a filter intersects the bitmaps of its values, and every word of a
//! free text must match an entity (course, provider, municipality, place) of the offering.

use roaring::{MultiOps, RoaringBitmap};
use vuxnav_schema::Application;

use crate::dimension::Entities;
use crate::query::MAX_TEXT_CHARS;
use crate::text::{self, EntityKind};
use crate::{OfferingFilter, QueryError, ReadModel};

/// Accumulated text scores per entity kind (by `EntityKind as usize`), dense by entity index
/// (empty without a text); an offering's score is the sum over its course, provider,
/// municipality and place.
#[derive(Default)]
pub(crate) struct Scores([Vec<f32>; 5]);

/// Below this many matches, a word filters them one by one; above it, the bitmaps of the
/// entities it matched are unioned and intersected with them.
const FILTER_ONE_BY_ONE: u64 = 50_000;

impl ReadModel {
    /// The offerings a filter and text select, with the text scores of matched entities.
    pub(crate) fn matching(
        &self,
        filter: &OfferingFilter,
        text: Option<&str>,
    ) -> Result<(RoaringBitmap, Scores), QueryError> {
        let mut matches = if filter.include_cancelled { self.all.clone() } else { &self.all - &self.cancelled };
        let mut restrict = |bitmap: RoaringBitmap| matches &= bitmap;
        if !filter.municipalities.is_empty() {
            restrict(self.municipality.any_of(&filter.municipalities));
        }
        if !filter.school_forms.is_empty() {
            restrict(self.school_form.any_of(&filter.school_forms));
        }
        if !filter.modes.is_empty() {
            restrict(self.mode.any_of(&known(&filter.modes)));
        }
        if !filter.times_of_study.is_empty() {
            restrict(self.time_of_study.any_of(&known(&filter.times_of_study)));
        }
        if !filter.languages.is_empty() {
            restrict(self.language.any_of(&known(&filter.languages)));
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
        scores.0 = EntityKind::ALL.map(|kind| vec![0.0; self.entities(kind).len()]);
        for word in words {
            if matches.is_empty() {
                break;
            }
            let hits = self.text.search_word(&word).map_err(|error| {
                tracing::error!(%error, "text search failed");
                QueryError::Index
            })?;
            for hit in &hits {
                if let Some(score) = scores.0[hit.kind as usize].get_mut(hit.ord as usize) {
                    *score += hit.score;
                }
            }
            if matches.len() < FILTER_ONE_BY_ONE {
                let mut matched: [Vec<bool>; 5] = EntityKind::ALL.map(|kind| vec![false; self.entities(kind).len()]);
                for hit in &hits {
                    if let Some(mark) = matched[hit.kind as usize].get_mut(hit.ord as usize) {
                        *mark = true;
                    }
                }
                matches.retain(|doc| {
                    EntityKind::ALL
                        .iter()
                        .any(|&kind| matched[kind as usize][self.entities(kind).index_of(doc) as usize])
                });
            } else {
                *matches &= hits.iter().map(|hit| self.entities(hit.kind).bitmap(hit.ord as usize)).union();
            }
        }
        Ok(())
    }

    /// The dimension whose values are the entities of `kind`.
    fn entities(&self, kind: EntityKind) -> &dyn Entities {
        match kind {
            EntityKind::Course => &self.course,
            EntityKind::Provider => &self.provider,
            EntityKind::Municipality => &self.municipality,
            EntityKind::Place => &self.place,
            EntityKind::Title => &self.title,
        }
    }

    /// The offering's relevance: the sum of the scores of its course, provider, municipality
    /// and place.
    pub(crate) fn score(&self, doc: u32, scores: &Scores) -> f32 {
        EntityKind::ALL
            .iter()
            .map(|&kind| {
                scores.0[kind as usize].get(self.entities(kind).index_of(doc) as usize).copied().unwrap_or(0.0)
            })
            .sum()
    }
}

/// Filter values as the dimension's keys: a value asked for never matches an unknown one.
fn known<T: Copy>(values: &[T]) -> Vec<Option<T>> {
    values.iter().copied().map(Some).collect()
}
