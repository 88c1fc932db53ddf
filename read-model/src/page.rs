//! Paging: walking a precomputed order (or ranking by relevance) from a cursor, and counting
//! facets over the matches.

use std::cmp::{Ordering, Reverse};

use roaring::RoaringBitmap;

use crate::cursor::{self, SortKey};
use crate::filter::Scores;
use crate::{Facets, OfferingOrder, OfferingPage, OfferingQuery, QueryError, ReadModel, municipality_rank_of};

pub(crate) fn fixed_order_slot(order: OfferingOrder) -> usize {
    match order {
        OfferingOrder::Relevance | OfferingOrder::StartDate => 0,
        OfferingOrder::Title => 1,
        OfferingOrder::Municipality => 2,
    }
}

impl ReadModel {
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
