//! Swedish collation (CLDR `sv`): å, ä and ö sort after z, and case and accents only break
//! ties. Used for every title and name order the API offers.

use std::cmp::Ordering;

use icu_collator::{Collator, CollatorBorrowed, options::CollatorOptions};
use icu_locale_core::locale;

pub(crate) struct Swedish(CollatorBorrowed<'static>);

impl Swedish {
    pub(crate) fn new() -> Self {
        // The `sv` tailoring is compiled into icu_collator, so this cannot fail at run time.
        #[allow(clippy::expect_used)]
        let collator = Collator::try_new(locale!("sv").into(), CollatorOptions::default())
            .expect("compiled CLDR data has a Swedish collation");
        Self(collator)
    }

    pub(crate) fn compare(&self, a: &str, b: &str) -> Ordering {
        self.0.compare(a, b)
    }

    /// Ranks each string by Swedish collation: equal strings share a rank, and
    /// `rank[i] < rank[j]` exactly when `strings[i]` sorts before `strings[j]`.
    pub(crate) fn ranks<S: AsRef<str>>(&self, strings: &[S]) -> Vec<u32> {
        let mut order: Vec<usize> = (0..strings.len()).collect();
        order.sort_by(|&a, &b| self.compare(strings[a].as_ref(), strings[b].as_ref()));
        let mut ranks = vec![0; strings.len()];
        let mut rank = 0;
        for (position, &index) in order.iter().enumerate() {
            if position > 0 && self.compare(strings[order[position - 1]].as_ref(), strings[index].as_ref()).is_ne() {
                rank += 1;
            }
            ranks[index] = rank;
        }
        ranks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_sort_after_z_in_the_order_a_a_o() {
        let mut words = vec!["Örebro", "Zoologi", "Ängelholm", "Åre", "Arbete"];
        let swedish = Swedish::new();
        words.sort_by(|a, b| swedish.compare(a, b));
        assert_eq!(words, ["Arbete", "Zoologi", "Åre", "Ängelholm", "Örebro"]);
    }

    #[test]
    fn equal_strings_share_a_rank() {
        let ranks = Swedish::new().ranks(&["b", "a", "b", "ö"]);
        assert_eq!(ranks, [1, 0, 1, 2]);
    }
}
