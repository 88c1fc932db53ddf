//! Release names: `YYYY-MM-DD` for the first release of a day (the date in Sweden), then
//! `YYYY-MM-DD.2`, `YYYY-MM-DD.3`, … for later ones the same day.

use std::fmt;

use chrono::NaiveDate;

/// The name of a release; ordered by date, then by the number within the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReleaseName {
    date: NaiveDate,
    /// 1 for the day's first release.
    number: u32,
}

impl ReleaseName {
    /// Parses `YYYY-MM-DD` or `YYYY-MM-DD.N` (N from 2); `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let (date, number) = match text.split_once('.') {
            Some((date, number)) => {
                let plain =
                    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) && !number.starts_with('0');
                (date, if plain { number.parse().ok().filter(|n| *n >= 2)? } else { return None })
            }
            None => (text, 1),
        };
        if date.len() != 10 {
            return None;
        }
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        Some(Self { date, number })
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The first name of `date` that none of `taken` has.
    pub fn next_free(date: NaiveDate, taken: &[ReleaseName]) -> Self {
        let number = taken.iter().filter(|n| n.date == date).map(|n| n.number).max().map_or(1, |n| n + 1);
        Self { date, number }
    }
}

impl fmt::Display for ReleaseName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if self.number > 1 {
            write!(f, ".{}", self.number)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order_by_date_then_number() {
        let names: Vec<ReleaseName> = ["2026-11-27", "2026-11-27.2", "2026-11-27.10", "2026-11-28"]
            .iter()
            .map(|n| ReleaseName::parse(n).unwrap())
            .collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(names[2].to_string(), "2026-11-27.10");
        for bad in ["2026-11-27.1", "2026-11-27.02", "2026-13-01", "latest", "2026-11-27.", "26-11-27", ".staging"] {
            assert_eq!(ReleaseName::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_second_release_the_same_day_is_numbered() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(ReleaseName::next_free(day, &[]).to_string(), "2026-11-27");
        let taken = [ReleaseName::parse("2026-11-27").unwrap(), ReleaseName::parse("2026-11-26").unwrap()];
        assert_eq!(ReleaseName::next_free(day, &taken).to_string(), "2026-11-27.2");
    }
}
