//! Paging: walking a precomputed order (or ranking by relevance) from a cursor, and counting
//! each facet over what it is counted over (the matches under every filter but its own).
//!
//! The direction applies to an order's first key; ties are broken ascending in both
//! directions (by start, then id), so an offering whose start is not known comes last among
//! its equals either way. By start date, continuous intake counts as the earliest start:
//! first ascending, after every set start descending, and before unknown starts both ways.

use std::cmp::Ordering;

use roaring::RoaringBitmap;

use crate::build::{CONTINUOUS_START, UNKNOWN_START};
use crate::cursor::{self, SortKey};
use crate::day::DaySets;
use crate::filter::{Facet, Scores, Selection};
use crate::{
    Facets, OfferingFilter, OfferingOrder, OfferingPage, OfferingQuery, PaceBand, QueryError, ReadModel, START_WINDOWS,
    municipality_rank_of,
};

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
        let filter = &query.filter;
        let dated =
            filter.start_from.is_some() || filter.start_to.is_some() || filter.open_for_application_on.is_some();
        let day = query.today.filter(|_| query.facets || dated).map(|today| self.day_sets(today));
        let selection = self.select(&query.filter, text, query.facets, day.as_deref())?;
        let (matches, scores) = (&selection.matches, &selection.scores);
        let (docs, has_next_page) = match order {
            OfferingOrder::Relevance => self.page_by_relevance(matches, scores, query, after.as_ref()),
            fixed => self.page_by_fixed_order(matches, fixed, query, after.as_ref(), scores),
        };
        let items = docs
            .into_iter()
            .map(|doc| {
                let key = self.sort_key(doc, scores);
                (&self.offerings[doc as usize], cursor::encode(query.order, query.descending, &key))
            })
            .collect();
        Ok(OfferingPage {
            items,
            total_count: matches.len(),
            has_next_page,
            has_previous_page: after.is_some(),
            facets: query.facets.then(|| self.facets(&selection, &query.filter, day.as_deref())),
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

    /// Compares an offering with a cursor's key in `order` and direction: `Less` when the
    /// offering comes before the key.
    fn compare_to_key(
        &self,
        doc: u32,
        order: OfferingOrder,
        descending: bool,
        key: &SortKey,
        scores: &Scores,
    ) -> Ordering {
        let start = self.start_key[doc as usize];
        let id = self.offerings[doc as usize].id.uuid();
        let direction = |ordering: Ordering| if descending { ordering.reverse() } else { ordering };
        let title = || self.swedish.compare(&self.courses[*self.course.value_of(doc) as usize].title, &key.title);
        let ties = || start.cmp(&key.start).then(id.cmp(&key.id));
        match order {
            OfferingOrder::Relevance => direction(key.score.total_cmp(&self.score(doc, scores))).then_with(ties),
            OfferingOrder::StartDate => {
                let start_rank = |start| if descending { descending_start(start) } else { start };
                start_rank(start).cmp(&start_rank(key.start)).then_with(title).then(id.cmp(&key.id))
            }
            OfferingOrder::Title => direction(title()).then_with(ties),
            OfferingOrder::Municipality => {
                let rank = municipality_rank_of(&self.municipality_rank, *self.municipality.value_of(doc));
                direction(rank.cmp(&key.municipality_rank)).then_with(ties)
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
        let sorted = &self.sorted[fixed_order_slot(order)][usize::from(query.descending)];
        let total = sorted.docs.len();
        let wanted = query.first;
        // The positions that come after the cursor.
        let from = after.map_or(0, |key| {
            sorted.docs.partition_point(|&d| self.compare_to_key(d, order, query.descending, key, scores).is_le())
        });
        let mut picked = Vec::with_capacity(wanted + 1);
        if matches.len().saturating_mul(32) >= total as u64 {
            // Many matches: walk the order and keep the matching ones.
            picked.extend(sorted.docs[from..].iter().filter(|doc| matches.contains(**doc)).take(wanted + 1).copied());
        } else {
            // Few matches: sort just them by their position.
            let mut candidates: Vec<u32> = Vec::with_capacity(matches.len() as usize);
            matches
                .iter()
                .filter(|&doc| sorted.rank[doc as usize] as usize >= from)
                .for_each(|doc| candidates.push(doc));
            candidates.sort_unstable_by_key(|doc| sorted.rank[*doc as usize]);
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
        let key_of =
            |doc: u32| -> RelevanceKey { (OrderedScore(self.score(doc, scores)), self.start_key[doc as usize], doc) };
        let mut candidates: Vec<(RelevanceKey, u32)> = Vec::with_capacity(matches.len() as usize);
        matches
            .iter()
            .filter(|&doc| {
                after.is_none_or(|key| {
                    self.compare_to_key(doc, OfferingOrder::Relevance, query.descending, key, scores).is_gt()
                })
            })
            .for_each(|doc| candidates.push((key_of(doc), doc)));
        let wanted = query.first;
        // Best score first (worst first when descending); ties by start, then id, ascending.
        let compare = |a: &(RelevanceKey, u32), b: &(RelevanceKey, u32)| {
            let by_score = if query.descending { a.0.0.cmp(&b.0.0) } else { b.0.0.cmp(&a.0.0) };
            by_score.then((a.0.1, a.0.2).cmp(&(b.0.1, b.0.2)))
        };
        if candidates.len() > wanted + 1 {
            candidates.select_nth_unstable_by(wanted, compare);
            candidates.truncate(wanted + 1);
        }
        candidates.sort_unstable_by(compare);
        let has_next = candidates.len() > wanted;
        (candidates.into_iter().take(wanted).map(|(_, doc)| doc).collect(), has_next)
    }

    /// Each facet counted under every filter but its own; the start windows and open now as
    /// of `day`'s date.
    fn facets(&self, selection: &Selection, filter: &OfferingFilter, day: Option<&DaySets>) -> Facets {
        let pace = self.pace_band.counts(selection.facet_base(Facet::Pace));
        let start = selection.facet_base(Facet::Start);
        Facets {
            municipality: self.municipality.counts(selection.facet_base(Facet::Municipality)),
            school_form: self.school_form.counts(selection.facet_base(Facet::SchoolForm)),
            mode: self.mode.counts(selection.facet_base(Facet::Mode)),
            time_of_study: self.time_of_study.counts(selection.facet_base(Facet::TimeOfStudy)),
            language: self.language.counts(selection.facet_base(Facet::Language)),
            subject: self.subject_counts(selection.facet_base(Facet::Subject), &filter.subjects),
            pace: PaceBand::ALL
                .iter()
                .map(|band| (*band, pace.iter().find(|(b, _)| b == band).map_or(0, |(_, count)| *count)))
                .collect(),
            start_within: day.map_or_else(Vec::new, |day| {
                START_WINDOWS
                    .iter()
                    .zip(&day.windows)
                    .map(|(days, window)| (*days, start.intersection_len(window)))
                    .collect()
            }),
            continuous_intake: selection.facet_base(Facet::ContinuousIntake).intersection_len(&self.continuous),
            open_now: day.map(|day| selection.facet_base(Facet::OpenNow).intersection_len(&day.open)),
        }
    }

    /// Offerings per subject name over `base`, largest first, and each of `chosen` that is
    /// not among them as written, with its count.
    fn subject_counts(&self, base: &RoaringBitmap, chosen: &[String]) -> Vec<(String, u64)> {
        let mut counts: Vec<(String, u64)> = self
            .subject
            .counts(base)
            .into_iter()
            .filter_map(|(index, count)| Some((self.subject_names.get(index? as usize)?.clone(), count)))
            .collect();
        for subject in chosen {
            let subject = subject.trim();
            if !counts.iter().any(|(name, _)| name.to_lowercase() == subject.to_lowercase()) {
                let offerings = self.subject_offerings(std::slice::from_ref(&subject.to_owned()));
                counts.push((subject.to_owned(), base.intersection_len(&offerings)));
            }
        }
        counts
    }
}

/// The start key as the descending order by start walks it: the latest set start first, then
/// continuous intake (the earliest start), and unknown starts last.
fn descending_start(start: i64) -> i64 {
    match start {
        UNKNOWN_START => UNKNOWN_START,
        CONTINUOUS_START => UNKNOWN_START - 1,
        start => -start,
    }
}

/// The score, then start, then id (as the doc number, in id order).
type RelevanceKey = (OrderedScore, i64, u32);

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
