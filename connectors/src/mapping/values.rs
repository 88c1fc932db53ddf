//! Reading values: dates in declared formats, and decimals with a point or a comma.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use chrono_tz::Europe::Stockholm;

/// Reads a date in the first of `formats` that fits; of a local date-time only the date is
/// kept. An instant with an offset, RFC 3339 (`2026-08-16T22:00:00Z`) whatever the formats or
/// in a format with `%z`, is the date it is in Sweden (`2026-08-17`).
pub(crate) fn parse_date(value: &str, formats: &[String]) -> Option<NaiveDate> {
    let value = value.trim();
    let in_sweden = |instant: DateTime<chrono::FixedOffset>| instant.with_timezone(&Stockholm).date_naive();
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Some(in_sweden(instant));
    }
    formats.iter().find_map(|format| {
        DateTime::parse_from_str(value, format)
            .ok()
            .map(in_sweden)
            .or_else(|| NaiveDate::parse_from_str(value, format).ok())
            .or_else(|| NaiveDateTime::parse_from_str(value, format).ok().map(|at| at.date()))
    })
}

/// Reads a decimal (`100.0`, `25`, `50 %`, or with `decimal_comma` `25,0` and `1 000,5`).
pub(crate) fn parse_decimal(value: &str, decimal_comma: bool) -> Option<f64> {
    let value = value.trim().strip_suffix('%').unwrap_or(value);
    let compact: String = value.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
    let normal = if decimal_comma {
        if compact.contains(',') { compact.replace('.', "").replace(',', ".") } else { compact }
    } else {
        compact
    };
    if normal.is_empty() || !normal.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+') {
        return None;
    }
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_the_declared_formats() {
        let formats = vec!["%Y-%m-%d".to_owned(), "%Y-%m-%d %H:%M:%S%.f".to_owned()];
        let expected = NaiveDate::from_ymd_opt(2023, 10, 16);
        assert_eq!(parse_date("2023-10-16", &formats), expected);
        assert_eq!(parse_date("2023-10-16 00:00:00.0000000", &formats), expected);
        assert_eq!(parse_date(" 2023-10-16 02:00:00 ", &formats), expected);
        assert_eq!(parse_date("16/10/2023", &formats), None);
        assert_eq!(parse_date("2023-02-30", &formats), None);
        assert_eq!(parse_date("16.10.2023", &["%d.%m.%Y".to_owned()]), expected);
        // An instant is the date it is in Sweden.
        assert_eq!(parse_date("2023-10-15T22:00:00Z", &formats), expected);
        assert_eq!(parse_date("2023-10-16T23:30:00+02:00", &formats), expected);
        assert_eq!(parse_date("2023-10-15T23:30:00-0100", &["%Y-%m-%dT%H:%M:%S%z".to_owned()]), expected);
    }

    #[test]
    fn decimals_are_read_with_a_point_or_a_declared_comma() {
        assert_eq!(parse_decimal("100.0", false), Some(100.0));
        assert_eq!(parse_decimal("25", false), Some(25.0));
        assert_eq!(parse_decimal("25,0", false), None);
        assert_eq!(parse_decimal("25,5", true), Some(25.5));
        assert_eq!(parse_decimal("1 000,5", true), Some(1000.5));
        assert_eq!(parse_decimal("1.000,5", true), Some(1000.5));
        assert_eq!(parse_decimal("50.0", true), Some(50.0));
        assert_eq!(parse_decimal("null", false), None);
        assert_eq!(parse_decimal("50 %", false), Some(50.0));
        assert_eq!(parse_decimal("%", false), None);
        assert_eq!(parse_decimal("", false), None);
    }
}
