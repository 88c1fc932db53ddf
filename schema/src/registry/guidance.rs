//! Guidance services (vägledning) and learning centres (lärcentra), with structured opening
//! hours.

use chrono::{NaiveTime, Weekday};

use super::{Channel, GuidanceKind, RegistryKey, TargetGroup, in_region, required};
use crate::{Language, Location, ModelError, MunicipalityCode, Region};

/// One opening of a week: a weekday, from `opens` to `closes` (local time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpeningHours {
    pub weekday: Weekday,
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl OpeningHours {
    /// A week's openings, ordered by weekday and time. An opening that closes at or before
    /// it opens, or that overlaps another on the same day, is an error naming its row
    /// (counted from 1, in the order given).
    pub fn week(rows: impl IntoIterator<Item = (Weekday, NaiveTime, NaiveTime)>) -> Result<Vec<Self>, ModelError> {
        let mut week: Vec<(usize, Self)> = Vec::new();
        for (index, (weekday, opens, closes)) in rows.into_iter().enumerate() {
            let row = index + 1;
            if closes <= opens {
                return Err(ModelError::new(
                    "openingHours",
                    format!(
                        "row {row} ({weekday}): closes at {}, not after it opens at {}",
                        closes.format("%H:%M"),
                        opens.format("%H:%M")
                    ),
                ));
            }
            let hours = Self { weekday, opens, closes };
            if let Some((other, _)) =
                week.iter().find(|(_, h)| h.weekday == weekday && h.opens < closes && opens < h.closes)
            {
                return Err(ModelError::new(
                    "openingHours",
                    format!("row {row} ({weekday}): overlaps row {other} of the same day"),
                ));
            }
            week.push((row, hours));
        }
        let mut week: Vec<Self> = week.into_iter().map(|(_, h)| h).collect();
        week.sort_by_key(|h| (h.weekday.num_days_from_monday(), h.opens));
        Ok(week)
    }
}

/// A place or service where adults get study and career guidance, or a learning centre that
/// supports distance students.
#[derive(Debug, Clone, PartialEq)]
pub struct GuidanceService {
    pub key: RegistryKey,
    pub kind: GuidanceKind,
    pub name: String,
    /// Who runs it: a municipality, several together, or a regional centre.
    pub organiser: String,
    /// The municipalities whose residents it serves; all in the region.
    pub municipalities: Vec<MunicipalityCode>,
    pub channels: Vec<Channel>,
    pub languages: Vec<Language>,
    pub target_groups: Vec<TargetGroup>,
    pub address: Location,
    pub booking_url: Option<String>,
    pub phone: Option<String>,
    /// Built by [`OpeningHours::week`]; empty when it is reached by appointment only.
    pub opening_hours: Vec<OpeningHours>,
    /// Whether it draws up an individual study plan (individuell studieplan).
    pub draws_up_study_plan: bool,
}

impl GuidanceService {
    /// The rules across fields: a name and an organiser, at least one channel, and
    /// municipalities all in the region.
    pub fn validate(&self, region: &Region) -> Result<(), ModelError> {
        required("name", &self.name)?;
        required("organiser", &self.organiser)?;
        if self.channels.is_empty() {
            return Err(ModelError::new("channels", "names no channel"));
        }
        in_region("municipalities", &self.municipalities, region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("a time")
    }

    fn centre(municipality: &str) -> GuidanceService {
        GuidanceService {
            key: RegistryKey::parse("vagledning-botkyrka").expect("a key"),
            kind: GuidanceKind::GuidanceCentre,
            name: "Vägledningscentrum Botkyrka".to_owned(),
            organiser: "Botkyrka kommun".to_owned(),
            municipalities: vec![MunicipalityCode::parse(municipality).expect("a kommunkod")],
            channels: vec![Channel::OnSite, Channel::Phone],
            languages: vec![Language::SWEDISH],
            target_groups: vec![TargetGroup::Sfi],
            address: Location::default(),
            booking_url: None,
            phone: None,
            opening_hours: vec![],
            draws_up_study_plan: true,
        }
    }

    #[test]
    fn a_week_is_ordered_by_weekday_and_time() {
        let week = OpeningHours::week([
            (Weekday::Wed, time(13, 0), time(16, 0)),
            (Weekday::Mon, time(8, 30), time(12, 0)),
            (Weekday::Wed, time(8, 0), time(12, 0)),
        ])
        .expect("a valid week");
        let order: Vec<(Weekday, NaiveTime)> = week.iter().map(|h| (h.weekday, h.opens)).collect();
        assert_eq!(order, [(Weekday::Mon, time(8, 30)), (Weekday::Wed, time(8, 0)), (Weekday::Wed, time(13, 0))]);
    }

    #[test]
    fn opening_hours_that_close_before_they_open_are_rejected_naming_the_row() {
        let error =
            OpeningHours::week([(Weekday::Mon, time(8, 0), time(16, 0)), (Weekday::Tue, time(17, 0), time(8, 0))])
                .expect_err("closes before it opens");
        assert_eq!(error.field, "openingHours");
        assert!(error.reason.starts_with("row 2 (Tue): closes at 08:00, not after it opens at 17:00"), "{error}");
    }

    #[test]
    fn two_openings_that_overlap_on_one_day_are_rejected() {
        let error =
            OpeningHours::week([(Weekday::Mon, time(8, 0), time(12, 0)), (Weekday::Mon, time(11, 0), time(16, 0))])
                .expect_err("overlap");
        assert!(error.reason.contains("overlaps row 1"), "{error}");
    }

    #[test]
    fn a_guidance_service_for_a_municipality_outside_the_region_is_rejected() {
        let error = centre("1280").validate(&Region::default()).expect_err("Malmö is not in Stockholm County");
        assert_eq!(error.field, "municipalities");
        assert!(error.reason.contains("Malmö"), "{error}");
        assert_eq!(centre("0127").validate(&Region::default()), Ok(()));
    }

    #[test]
    fn a_guidance_service_without_a_channel_is_rejected() {
        let service = GuidanceService { channels: vec![], ..centre("0127") };
        assert_eq!(service.validate(&Region::default()).expect_err("no channel").field, "channels");
    }
}
