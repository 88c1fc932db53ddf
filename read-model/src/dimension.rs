//! A dimension: one single-valued property of every offering (its municipality, school form,
//! mode, ...) with a bitmap of offerings per value, for filtering and facet counts.

use roaring::RoaringBitmap;

pub(crate) struct Dimension<K> {
    /// Distinct values, sorted.
    values: Vec<K>,
    /// Offerings per value, parallel to `values`.
    bitmaps: Vec<RoaringBitmap>,
    /// The value index of each offering.
    of_doc: Vec<u32>,
    /// Below this many matches, facets are counted by visiting the matches; above it, by
    /// intersecting each value's bitmap with them. It estimates what intersecting costs, in
    /// visits: a value's array containers cost about one visit per two offerings, its bitmap
    /// containers about 150 visits each (1,024 words, compared several at a time). So a
    /// dimension of many small values (municipalities) is visited up to a large set of
    /// matches, one of few large values (school forms) only up to a small one.
    visit_limit: u64,
}

impl<K: Ord + Clone> Dimension<K> {
    /// Builds the dimension from each offering's value, in offering order.
    pub(crate) fn build(per_doc: impl ExactSizeIterator<Item = K>) -> Self {
        let keys: Vec<K> = per_doc.collect();
        let mut values = keys.clone();
        values.sort();
        values.dedup();
        let mut bitmaps = vec![RoaringBitmap::new(); values.len()];
        let mut of_doc = Vec::with_capacity(keys.len());
        for (doc, key) in keys.iter().enumerate() {
            let index = values.binary_search(key).unwrap_or(0);
            of_doc.push(index as u32);
            bitmaps[index].insert(doc as u32);
        }
        let visit_limit = bitmaps
            .iter()
            .map(|bitmap| {
                let statistics = bitmap.statistics();
                u64::from(statistics.n_values_array_containers) / 2
                    + 150 * u64::from(statistics.n_bitset_containers + statistics.n_run_containers)
            })
            .sum();
        Self { values, bitmaps, of_doc, visit_limit }
    }

    /// The position in [`Dimension::values`] of an offering's value.
    pub(crate) fn index_of(&self, doc: u32) -> u32 {
        self.of_doc[doc as usize]
    }

    pub(crate) fn value_of(&self, doc: u32) -> &K {
        &self.values[self.of_doc[doc as usize] as usize]
    }

    /// The offerings carrying any of `keys`.
    pub(crate) fn any_of<'a>(&self, keys: impl IntoIterator<Item = &'a K>) -> RoaringBitmap
    where
        K: 'a,
    {
        keys.into_iter()
            .filter_map(|key| self.values.binary_search(key).ok())
            .fold(RoaringBitmap::new(), |acc, index| acc | &self.bitmaps[index])
    }

    /// The offerings whose value satisfies `keep`.
    pub(crate) fn matching(&self, keep: impl Fn(&K) -> bool) -> RoaringBitmap {
        self.values
            .iter()
            .zip(&self.bitmaps)
            .filter(|(key, _)| keep(key))
            .fold(RoaringBitmap::new(), |acc, (_, bitmap)| acc | bitmap)
    }

    pub(crate) fn values(&self) -> &[K] {
        &self.values
    }

    pub(crate) fn bitmap(&self, value_index: usize) -> &RoaringBitmap {
        &self.bitmaps[value_index]
    }

    /// How many of `matches` carry each value, leaving out zeros, largest count first and
    /// then by value.
    pub(crate) fn counts(&self, matches: &RoaringBitmap) -> Vec<(K, u64)> {
        let mut counts = vec![0u64; self.values.len()];
        if matches.len() <= self.visit_limit {
            // `for_each` walks each container in one go, much faster than `next` per offering.
            matches.iter().for_each(|doc| counts[self.of_doc[doc as usize] as usize] += 1);
        } else {
            for (count, bitmap) in counts.iter_mut().zip(&self.bitmaps) {
                *count = bitmap.intersection_len(matches);
            }
        }
        let mut out: Vec<(K, u64)> = self.values.iter().cloned().zip(counts).filter(|(_, count)| *count > 0).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }
}

/// What the text search needs of a table of searchable entities (courses, providers,
/// municipalities, places, keywords), whatever the value type.
pub(crate) trait Entities {
    /// The number of entities.
    fn len(&self) -> usize;
    /// The offerings of the entity at `value_index`.
    fn bitmap(&self, value_index: usize) -> &RoaringBitmap;
}

/// Entities of which every offering has exactly one (a dimension over searchable values).
pub(crate) trait OnePerOffering: Entities {
    /// The value index of each offering's entity, by offering.
    fn of_doc(&self) -> &[u32];
}

impl<K: Ord + Clone> Entities for Dimension<K> {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn bitmap(&self, value_index: usize) -> &RoaringBitmap {
        Dimension::bitmap(self, value_index)
    }
}

impl<K: Ord + Clone> OnePerOffering for Dimension<K> {
    fn of_doc(&self) -> &[u32] {
        &self.of_doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_to_the_matches_whichever_way_they_are_counted() {
        let dimension = Dimension::build((0..50_000u32).map(|doc| doc % 7));
        let few: RoaringBitmap = (0..100).collect();
        let many: RoaringBitmap = (0..40_000).collect();
        for matches in [few, many] {
            let total: u64 = dimension.counts(&matches).iter().map(|(_, count)| count).sum();
            assert_eq!(total, matches.len());
        }
    }

    #[test]
    fn any_of_unions_the_values_and_ignores_unknown_ones() {
        let dimension = Dimension::build(["a", "b", "a", "c"].into_iter());
        let docs: Vec<u32> = dimension.any_of(&["a", "c", "z"]).iter().collect();
        assert_eq!(docs, [0, 2, 3]);
        assert_eq!(*dimension.value_of(1), "b");
    }
}
