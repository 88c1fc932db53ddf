//! Small deterministic helpers: a dice over ChaCha8, FNV-1a and ASCII slugs.
//!
//! The dice draws only raw `u64`s from the generator and does its own arithmetic, so the
//! generated data depends on the ChaCha8 stream (which `rand_chacha` keeps stable) and not on
//! how a `rand` version happens to implement ranges or weighted choice.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded source of choices.
pub(super) struct Dice(ChaCha8Rng);

impl Dice {
    /// A dice for one municipality: the seed and the kommunkod together make the stream, so
    /// one municipality's data does not depend on how many others are generated before it.
    pub(super) fn new(seed: u64, stream: &str) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        for (slot, byte) in key[8..].iter_mut().zip(stream.bytes()) {
            *slot = byte;
        }
        Self(ChaCha8Rng::from_seed(key))
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.0.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `low..=high`.
    pub(super) fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below(high.abs_diff(low) + 1) as i64
    }

    /// True with the given chance in percent.
    pub(super) fn percent(&mut self, chance: u64) -> bool {
        self.below(100) < chance
    }

    /// One of the items, or `None` when there are none.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// One of the values, each as likely as its weight.
    pub(super) fn weighted<T: Copy>(&mut self, choices: &[(T, u64)]) -> T {
        let total: u64 = choices.iter().map(|(_, weight)| weight).sum();
        let mut ticket = self.below(total);
        for &(value, weight) in choices {
            if ticket < weight {
                return value;
            }
            ticket -= weight;
        }
        choices[choices.len() - 1].0
    }

    /// An index into a cumulative weight table (`cumulative[i]` = sum of weights `0..=i`).
    pub(super) fn index_in(&mut self, cumulative: &[u64]) -> usize {
        let ticket = self.below(cumulative.last().copied().unwrap_or(0));
        cumulative.partition_point(|&sum| sum <= ticket)
    }

    /// A small offset in `-spread..=spread`, in steps of a thousandth of `spread`.
    pub(super) fn jitter(&mut self, spread: f64) -> f64 {
        (self.between(-1000, 1000) as f64) * spread / 1000.0
    }

    /// Sixteen random bytes.
    pub(super) fn bytes16(&mut self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        self.0.fill_bytes(&mut bytes);
        bytes
    }
}

/// 64-bit FNV-1a, for content hashes and for stable pseudo-random facts about a name.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Lowercase ASCII with `-` between words: `Upplands Väsby` gives `upplands-vasby`.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if folded != '-' || !(out.is_empty() || out.ends_with('-')) {
            out.push(folded);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Uppercase ASCII letters and digits only: `VÅRVÅR01` gives `VARVAR01`.
pub(super) fn ascii_upper(text: &str) -> String {
    slug(text).chars().filter(|c| *c != '-').map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_lowercase_ascii_words_joined_by_hyphens() {
        assert_eq!(slug("Upplands Väsby"), "upplands-vasby");
        assert_eq!(slug("Upplands-Bro"), "upplands-bro");
        assert_eq!(slug("Träarbetare / snickare"), "traarbetare-snickare");
        assert_eq!(ascii_upper("VÅRVÅR01"), "VARVAR01");
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_dice_stays_within_its_bounds_and_repeats_for_the_same_seed() {
        let mut dice = Dice::new(7, "0180");
        for _ in 0..1000 {
            assert!(dice.below(3) < 3);
            assert!((-2..=2).contains(&dice.between(-2, 2)));
            assert!(dice.index_in(&[1, 1, 4]) != 1);
        }
        let draws = |seed| {
            let mut dice = Dice::new(seed, "0180");
            (0..8).map(|_| dice.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draws(1), draws(1));
        assert_ne!(draws(1), draws(2));
    }
}
