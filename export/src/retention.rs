//! Which releases to keep: a pure plan (no clock, no I/O) and its application.
//!
//! Kept: every release dated within the last `keep_days` days (default 90), the first
//! published release of every month whatever its age, and the latest. A release's delta goes
//! with its base: when the release a delta was computed against is removed, the delta is
//! removed from the release that holds it, since nothing can be applied to it any more.

use chrono::{Datelike, Duration, NaiveDate};

use crate::ReleaseName;

/// The default number of days a release is kept.
pub const DEFAULT_KEEP_DAYS: u32 = 90;

/// A release as retention sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub name: ReleaseName,
    /// Whether it was published (made latest); held-back, unannounced and unreadable releases
    /// are not.
    pub published: bool,
    /// The release its delta was computed against, when it has a delta.
    pub delta_base: Option<ReleaseName>,
}

/// What to remove.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Whole releases.
    pub releases: Vec<ReleaseName>,
    /// The delta file of these releases, which are kept.
    pub deltas: Vec<ReleaseName>,
}

/// The plan for `held` on `today`, keeping `latest` in any case.
pub fn plan(held: &[Held], today: NaiveDate, keep_days: u32, latest: Option<ReleaseName>) -> Plan {
    let oldest_kept = today - Duration::days(i64::from(keep_days));
    let mut sorted: Vec<&Held> = held.iter().collect();
    sorted.sort_by_key(|h| h.name);
    let mut month_firsts = Vec::new();
    for h in &sorted {
        let month = (h.name.date().year(), h.name.date().month());
        if h.published && !month_firsts.iter().any(|(m, _)| *m == month) {
            month_firsts.push((month, h.name));
        }
    }
    let keep = |h: &Held| {
        h.name.date() >= oldest_kept || Some(h.name) == latest || month_firsts.iter().any(|(_, name)| *name == h.name)
    };
    let releases: Vec<ReleaseName> = sorted.iter().filter(|h| !keep(h)).map(|h| h.name).collect();
    let deltas = sorted
        .iter()
        .filter(|h| keep(h))
        .filter(|h| h.delta_base.is_some_and(|base| releases.contains(&base) || !held.iter().any(|o| o.name == base)))
        .map(|h| h.name)
        .collect();
    Plan { releases, deltas }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> ReleaseName {
        ReleaseName::parse(text).unwrap()
    }

    fn daily(from: NaiveDate, days: i64) -> Vec<Held> {
        let mut previous = None;
        (0..days)
            .map(|i| {
                let n = ReleaseName::next_free(from + Duration::days(i), &[]);
                let held = Held { name: n, published: true, delta_base: previous };
                previous = Some(n);
                held
            })
            .collect()
    }

    #[test]
    fn releases_older_than_the_window_go_except_the_first_of_each_month() {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let held = daily(start, 200);
        let today = start + Duration::days(199);
        let plan = plan(&held, today, 90, held.last().map(|h| h.name));
        let kept: Vec<ReleaseName> = held.iter().map(|h| h.name).filter(|n| !plan.releases.contains(n)).collect();
        assert_eq!(kept.len(), 91 + 4, "{kept:?}");
        for first in ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"] {
            assert!(kept.contains(&name(first)), "{first}");
        }
        assert!(!kept.contains(&name("2026-01-02")));
        // A kept month's first loses its delta, whose base (the day before) is gone; the oldest
        // release in the window keeps its own only if its base is kept.
        assert!(plan.deltas.contains(&name("2026-02-01")));
        assert!(!plan.deltas.contains(&name("2026-01-01")), "no delta, no base");
        assert!(!plan.deltas.iter().any(|d| plan.releases.contains(d)));
    }

    #[test]
    fn held_back_releases_are_not_a_month_first_and_go_after_the_window() {
        let held = vec![
            Held { name: name("2026-01-01"), published: false, delta_base: None },
            Held { name: name("2026-01-02"), published: true, delta_base: None },
            Held { name: name("2026-06-01"), published: true, delta_base: Some(name("2026-01-02")) },
        ];
        let plan = plan(&held, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), 90, Some(name("2026-06-01")));
        assert_eq!(plan.releases, [name("2026-01-01")]);
        assert!(plan.deltas.is_empty(), "the base of 2026-06-01 is kept as January's first");
    }

    #[test]
    fn the_latest_is_kept_however_old() {
        let held = vec![Held { name: name("2020-01-05"), published: true, delta_base: None }];
        let plan = plan(&held, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), 90, Some(name("2020-01-05")));
        assert_eq!(plan, Plan::default());
    }
}
