//! When something runs: a cron expression with seconds, evaluated in Europe/Stockholm. One type
//! for every schedule of the service (each source's harvest, the read-model refresh, the
//! nightly release), so daylight saving is handled the same way everywhere.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

/// A cron schedule (`sec min hour day-of-month month day-of-week [year]`) evaluated in
/// Europe/Stockholm: `0 0 3 * * *` is 03:00 local time in summer and in winter.
#[derive(Clone)]
pub struct Schedule {
    expression: String,
    cron: cron::Schedule,
}

impl Schedule {
    /// Parses a cron expression with seconds. The error says what is wrong and how to write
    /// one, lowercase, without the expression's copy and caret that the cron crate adds.
    pub fn parse(expression: &str) -> Result<Self, String> {
        cron::Schedule::from_str(expression).map(|cron| Self { expression: expression.to_owned(), cron }).map_err(
            |error| {
                format!(
                    "`{expression}` is not a cron expression ({}): give six or seven fields, sec min hour day-of-month month day-of-week [year], such as \"0 0 3 * * *\"",
                    reason(&error)
                )
            },
        )
    }

    /// The first time of the schedule strictly after `after`; `None` when it has no future
    /// time.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = after.with_timezone(&chrono_tz::Europe::Stockholm);
        self.cron.after(&local).next().map(|next| next.with_timezone(&Utc))
    }

    /// The expression as written.
    pub fn expression(&self) -> &str {
        &self.expression
    }
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Schedule({:?})", self.expression)
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression
    }
}

/// The reason in a cron error, without the copy of the expression and the caret under it.
fn reason(error: &cron::error::Error) -> String {
    let text = error.to_string();
    let reason = text.lines().rev().find(|line| !line.trim().is_empty() && line.trim() != "^").unwrap_or("invalid");
    let reason = reason.trim().trim_end_matches('.');
    let mut chars = reason.chars();
    chars.next().map(|first| first.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_schedule_is_evaluated_in_stockholm_time_in_summer_and_in_winter() {
        let schedule = Schedule::parse("0 0 3 * * *").unwrap();
        // 03:00 in Stockholm is 01:00 UTC in summer and 02:00 UTC in winter.
        let summer = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
        let winter = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(schedule.next_after(summer), Utc.with_ymd_and_hms(2025, 7, 1, 1, 0, 0).single());
        assert_eq!(schedule.next_after(winter), Utc.with_ymd_and_hms(2025, 1, 1, 2, 0, 0).single());
    }

    #[test]
    fn a_bad_expression_is_explained_without_the_crates_caret() {
        let error = Schedule::parse("every night").unwrap_err();
        assert!(error.starts_with("`every night` is not a cron expression ("), "{error}");
        assert!(error.contains("sec min hour day-of-month month day-of-week"), "{error}");
        assert!(!error.contains('^'), "{error}");
    }

    #[test]
    fn a_schedule_in_the_past_has_no_next_time() {
        let schedule = Schedule::parse("0 0 3 1 1 * 2020").unwrap();
        assert_eq!(schedule.next_after(Utc::now()), None);
    }
}
