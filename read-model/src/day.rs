//! The sets that depend on the date: the offerings one can apply to on a day, and those that
//! start within each of [`START_WINDOWS`] of it (continuous intake always qualifies).
//!
//! They are unions of the bitmaps of the application windows and start dates that qualify,
//! so they cost a visit of every distinct window or date, not of every offering. The set of
//! the date searched last is kept ([`DayCache`]): the portal and the API count facets as of
//! today, so the sets are made once a day per read model, and a facet then costs one
//! intersection per count.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Days, NaiveDate};
use roaring::RoaringBitmap;
use vuxnav_schema::Application;

use crate::{ReadModel, START_WINDOWS};

/// The offerings one can apply to on `date`, and those starting within each window of it.
pub(crate) struct DaySets {
    pub date: NaiveDate,
    pub open: RoaringBitmap,
    /// By [`START_WINDOWS`].
    pub windows: [RoaringBitmap; START_WINDOWS.len()],
}

impl DaySets {
    /// The window of these sets that a start filter from `from` to `to` asks for, if it is one.
    pub(crate) fn window(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<&RoaringBitmap> {
        if from != Some(self.date) {
            return None;
        }
        let ends = START_WINDOWS.map(|days| window_end(self.date, days));
        ends.iter().position(|end| *end == to).map(|i| &self.windows[i])
    }
}

/// The last day of the window of `days` from `date`.
fn window_end(date: NaiveDate, days: u16) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(days.into()))
}

/// The [`DaySets`] of the date asked for last.
pub(crate) struct DayCache(Mutex<Option<Arc<DaySets>>>);

impl DayCache {
    pub(crate) fn new() -> Self {
        Self(Mutex::new(None))
    }
}

/// Whether one can apply on `date`: within the application window (`Application::is_open_on`),
/// or, for an offering with continuous intake whose application states no window, on any day:
/// one applies whenever one wants to start.
fn open_for_application(
    (opens, closes, continuous, continuous_intake): (Option<NaiveDate>, Option<NaiveDate>, bool, bool),
    date: NaiveDate,
) -> bool {
    let no_window = opens.is_none() && closes.is_none();
    (continuous_intake && no_window)
        || Application::new(opens, closes, continuous, None).is_ok_and(|application| application.is_open_on(date))
}

impl ReadModel {
    /// The sets of `date`, from the cache when it holds that date.
    pub(crate) fn day_sets(&self, date: NaiveDate) -> Arc<DaySets> {
        let mut cached = self.days.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sets) = cached.as_ref().filter(|sets| sets.date == date) {
            return sets.clone();
        }
        let sets = Arc::new(DaySets {
            date,
            open: self.open_on(date),
            windows: START_WINDOWS.map(|days| self.starting_between(Some(date), window_end(date, days))),
        });
        *cached = Some(sets.clone());
        sets
    }

    /// The offerings one can apply to on `date`.
    pub(crate) fn open_on(&self, date: NaiveDate) -> RoaringBitmap {
        self.application.matching(|key| open_for_application(*key, date))
    }

    /// The offerings that start on or after `from` and on or before `to`, and those with
    /// continuous intake.
    pub(crate) fn starting_between(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> RoaringBitmap {
        let dated = self
            .start
            .matching(|start| start.is_some_and(|s| from.is_none_or(|f| s >= f) && to.is_none_or(|t| s <= t)));
        dated | &self.continuous
    }
}
