//! The guard against bad nights: a pure decision, no clock, no I/O.
//!
//! A table whose row count falls by more than the threshold (default 20 %) against the latest
//! published release, beyond what the store explains, holds the release back: it is written
//! and kept under `releases/`, but not made latest, and the next release's manifest reports
//! it. `force` publishes it anyway (and the manifest says it was forced).
//!
//! What explains a fall: a source that held offerings in the previous release and is now
//! disabled or gone (removed by an admin). Its previous offerings are subtracted from what
//! `offerings` is expected to hold, a removed source from what `sources` is expected to hold,
//! and since courses and providers follow their offerings, any such source explains a fall in
//! `courses` and `providers`.
//!
//! The registries' tables (`v1::Group::Registry`) are never held back: the region's own
//! admins remove entries one audited change at a time, so a fall there is a decision, not a
//! bad night.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The default threshold: a fall of more than 20 %.
pub const DEFAULT_THRESHOLD: f64 = 0.2;

/// Why a source no longer contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    Disabled,
    Removed,
}

/// A source that explains part of a fall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub source: String,
    pub why: Why,
    /// The offerings it held in the previous release.
    pub offerings: u64,
}

/// A table whose row count fell by more than the threshold, beyond what is explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fall {
    pub table: String,
    pub previous: u64,
    pub current: u64,
    /// The rows the explanations account for.
    pub explained: u64,
    /// The unexplained fall as a share of the rows expected, 0 to 1.
    pub share: f64,
}

/// What to do with a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Publish,
    /// Not made latest.
    HoldBack {
        falls: Vec<Fall>,
    },
    /// The falls would have held it back; `force` published it.
    Forced {
        falls: Vec<Fall>,
    },
}

/// Judges the `current` row counts per table against the `previous` release's.
pub fn judge(
    previous: &BTreeMap<String, u64>,
    current: &BTreeMap<String, u64>,
    threshold: f64,
    explanations: &[Explanation],
    force: bool,
) -> Verdict {
    let mut falls = Vec::new();
    for (table, &before) in previous {
        let now = current.get(table).copied().unwrap_or(0);
        let explained = match table.as_str() {
            "offerings" => explanations.iter().map(|e| e.offerings).sum(),
            "sources" => explanations.iter().filter(|e| e.why == Why::Removed).count() as u64,
            "courses" | "providers" if !explanations.is_empty() => before,
            _ if crate::v1::table(table).is_some_and(|t| t.group == crate::v1::Group::Registry) => before,
            _ => 0,
        };
        let expected = before.saturating_sub(explained);
        if expected == 0 {
            continue;
        }
        let share = expected.saturating_sub(now) as f64 / expected as f64;
        if share > threshold {
            falls.push(Fall { table: table.clone(), previous: before, current: now, explained, share });
        }
    }
    match (falls.is_empty(), force) {
        (true, _) => Verdict::Publish,
        (false, false) => Verdict::HoldBack { falls },
        (false, true) => Verdict::Forced { falls },
    }
}

/// A source as a manifest lists it: what [`explanations`] compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCount<'a> {
    pub id: &'a str,
    pub status: &'a str,
    pub offerings: u64,
}

/// The sources that held offerings in the previous release and are now disabled or gone.
pub fn explanations(previous: &[SourceCount<'_>], current: &[SourceCount<'_>]) -> Vec<Explanation> {
    previous
        .iter()
        .filter(|before| before.offerings > 0 && before.status != "disabled")
        .filter_map(|before| {
            let why = match current.iter().find(|now| now.id == before.id) {
                None => Why::Removed,
                Some(now) if now.status == "disabled" => Why::Disabled,
                Some(_) => return None,
            };
            Some(Explanation { source: before.id.to_owned(), why, offerings: before.offerings })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(t, n)| ((*t).to_owned(), *n)).collect()
    }

    #[test]
    fn a_fall_within_the_threshold_is_published() {
        let verdict = judge(&counts(&[("offerings", 1000)]), &counts(&[("offerings", 800)]), 0.2, &[], false);
        assert_eq!(verdict, Verdict::Publish);
    }

    #[test]
    fn an_unexplained_fall_beyond_the_threshold_is_held_back_naming_the_table() {
        let previous = counts(&[("offerings", 1000), ("courses", 100)]);
        let verdict = judge(&previous, &counts(&[("offerings", 790), ("courses", 100)]), 0.2, &[], false);
        let Verdict::HoldBack { falls } = verdict else { panic!("{verdict:?}") };
        assert_eq!(falls.len(), 1);
        assert_eq!((falls[0].table.as_str(), falls[0].previous, falls[0].current), ("offerings", 1000, 790));
        assert!((falls[0].share - 0.21).abs() < 1e-9);
    }

    #[test]
    fn a_registry_table_that_the_region_emptied_does_not_hold_the_release_back() {
        let previous = counts(&[("guidance_services", 30), ("prices", 10), ("offerings", 1000)]);
        let current = counts(&[("guidance_services", 3), ("prices", 0), ("offerings", 1000)]);
        assert_eq!(judge(&previous, &current, 0.2, &[], false), Verdict::Publish);
    }

    #[test]
    fn force_publishes_a_fall_and_says_it_was_forced() {
        let verdict = judge(&counts(&[("offerings", 1000)]), &counts(&[("offerings", 0)]), 0.2, &[], true);
        assert!(matches!(verdict, Verdict::Forced { falls } if falls.len() == 1));
    }

    #[test]
    fn a_disabled_source_explains_the_offerings_it_held_and_the_courses_that_went_with_them() {
        let previous = counts(&[("offerings", 1000), ("courses", 100), ("sources", 26)]);
        let current = counts(&[("offerings", 600), ("courses", 60), ("sources", 26)]);
        let explained = [Explanation { source: "huddinge-susa".into(), why: Why::Disabled, offerings: 400 }];
        assert_eq!(judge(&previous, &current, 0.2, &explained, false), Verdict::Publish);
        // Only 300 explained: 700 expected, 600 held is a 14 % fall, within the threshold.
        let partly = [Explanation { source: "x".into(), why: Why::Disabled, offerings: 300 }];
        assert_eq!(judge(&previous, &current, 0.2, &partly, false), Verdict::Publish);
        let little = [Explanation { source: "x".into(), why: Why::Disabled, offerings: 100 }];
        assert!(matches!(judge(&previous, &current, 0.2, &little, false), Verdict::HoldBack { .. }));
    }

    #[test]
    fn a_removed_source_explains_a_row_fewer_in_sources() {
        let previous = counts(&[("sources", 4)]);
        let current = counts(&[("sources", 3)]);
        assert!(matches!(judge(&previous, &current, 0.2, &[], false), Verdict::HoldBack { .. }));
        let removed = [Explanation { source: "x".into(), why: Why::Removed, offerings: 0 }];
        assert_eq!(judge(&previous, &current, 0.2, &removed, false), Verdict::Publish);
    }

    #[test]
    fn a_first_release_or_a_growing_table_is_published() {
        assert_eq!(judge(&counts(&[]), &counts(&[("offerings", 5)]), 0.2, &[], false), Verdict::Publish);
        assert_eq!(
            judge(&counts(&[("offerings", 0)]), &counts(&[("offerings", 0)]), 0.2, &[], false),
            Verdict::Publish
        );
        assert_eq!(
            judge(&counts(&[("offerings", 5)]), &counts(&[("offerings", 9)]), 0.2, &[], false),
            Verdict::Publish
        );
    }

    #[test]
    fn sources_gone_or_newly_disabled_are_explanations_and_others_are_not() {
        let previous = [
            SourceCount { id: "a", status: "ok", offerings: 10 },
            SourceCount { id: "b", status: "ok", offerings: 20 },
            SourceCount { id: "c", status: "stale", offerings: 30 },
            SourceCount { id: "d", status: "disabled", offerings: 40 },
        ];
        let current = [
            SourceCount { id: "b", status: "disabled", offerings: 0 },
            SourceCount { id: "c", status: "ok", offerings: 0 },
            SourceCount { id: "d", status: "disabled", offerings: 0 },
        ];
        let found = explanations(&previous, &current);
        assert_eq!(
            found,
            [
                Explanation { source: "a".into(), why: Why::Removed, offerings: 10 },
                Explanation { source: "b".into(), why: Why::Disabled, offerings: 20 },
            ]
        );
    }
}
