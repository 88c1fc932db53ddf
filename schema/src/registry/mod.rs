//! The region's shared registries: data the region maintains in vuxnav itself, next to the
//! harvested catalogue. Occupations (a pinned taxonomy snapshot, [`Taxonomy`]) and the links
//! from courses to them, validation offers (validering), guidance services (vägledning) and
//! the price list for interkommunal ersättning, and the labour-market outlook (Yrkesbarometern,
//! one dated publication at a time).
//!
//! Values validate in their constructors (`SeqfLevel::new`, `OpeningHours::week`,
//! `AmountSek::parse`, `Validity::new`, `PriceList::new`); an aggregate's rules that need the
//! region (every municipality in it) are checked by its `validate(&Region)`.

mod guidance;
mod occupation;
mod outlook;
mod price;
mod validation;

use chrono::NaiveDate;

pub use guidance::{GuidanceService, OpeningHours};
pub use occupation::{Occupation, OccupationId, OccupationLink, SsykCode, Taxonomy};
pub use outlook::{
    BarometerOccupation, JobOpportunities, OutlookArea, OutlookForecast, OutlookPublication, OutlookRow,
    RecruitmentSituation,
};
pub use price::{AmountSek, Party, PriceList, PriceListEntry, PriceScope};
pub use validation::{IndustryModel, SeqfLevel, ValidationOffer};

use crate::{ModelError, MunicipalityCode, Region};

code_list! {
    /// What a validation offer validates against.
    ValidationKind, field = "kind" {
        /// Against a Skolverket course: prövning or validation to a grade.
        AgainstCourse => ("AGAINST_COURSE", "validering mot kurs"),
        /// Against an industry's requirements: branschvalidering.
        AgainstIndustry => ("AGAINST_INDUSTRY", "branschvalidering"),
    }
}

code_list! {
    /// Who pays for a validation.
    Payer, field = "paidBy" {
        Municipality => ("kommun", "kommunen"),
        EmploymentService => ("arbetsformedlingen", "Arbetsförmedlingen"),
        Employer => ("arbetsgivare", "arbetsgivaren"),
        Industry => ("bransch", "branschen"),
        Participant => ("deltagare", "deltagaren"),
    }
}

code_list! {
    /// How a guidance service can be reached.
    Channel, field = "channels" {
        OnSite => ("plats", "på plats"),
        Phone => ("telefon", "telefon"),
        Video => ("video", "video"),
        Chat => ("chatt", "chatt"),
    }
}

code_list! {
    /// Whom a guidance service is for.
    TargetGroup, field = "targetGroups" {
        Sfi => ("sfi", "svenska för invandrare"),
        Basic => ("grundlaggande", "grundläggande nivå"),
        UpperSecondary => ("gymnasial", "gymnasial nivå"),
        Adapted => ("anpassad", "anpassad utbildning"),
        Vocational => ("yrkesvux", "yrkesvux"),
    }
}

code_list! {
    /// What kind of place a guidance service is.
    GuidanceKind, field = "kind" {
        /// Studie- och yrkesvägledning.
        GuidanceCentre => ("vagledning", "vägledning"),
        /// A lärcentrum: a place that supports distance students.
        LearningCentre => ("larcentrum", "lärcentrum"),
    }
}

code_list! {
    /// What a price is counted per.
    PriceUnit, field = "unit" {
        PerPoint => ("PER_POINT", "per gymnasiepoäng"),
        PerWeek => ("PER_WEEK", "per vecka"),
        PerCourse => ("PER_COURSE", "per kurs"),
        PerSfiCourse => ("PER_SFI_COURSE", "per sfi-kurs"),
    }
}

code_list! {
    /// Where a figure comes from: a decision, or made up for the demo and tests.
    FigureSource, field = "source" {
        /// A municipality's or the region's decision, with its reference.
        Decision => ("decision", "beslut"),
        /// Made up: no real figures are vendored. Shown as such everywhere.
        Illustrative => ("illustrative", "illustrativ"),
    }
}

/// The key of a registry entry, chosen by whoever keeps it: 1 to 64 of `a`–`z`, `0`–`9`, `-`,
/// `_` and `.`, starting with a letter or digit, such as `usk-prova-botkyrka`. Stable: an import
/// with the same key updates the entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistryKey(String);

impl RegistryKey {
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let value = value.trim();
        let ok = (1..=64).contains(&value.len())
            && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
            && value.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(ModelError::new(
                "key",
                format!("`{value}` is not a key: 1 to 64 of a-z, 0-9, `-`, `_`, `.`, such as `usk-botkyrka`"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RegistryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The days an entry is valid: from a day, to a day (inclusive) or until further notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Validity {
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl Validity {
    pub fn new(from: NaiveDate, to: Option<NaiveDate>) -> Result<Self, ModelError> {
        match to {
            Some(to) if to < from => {
                Err(ModelError::new("validTo", format!("the validity ends {to}, before it starts {from}")))
            }
            _ => Ok(Self { from, to }),
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }

    /// Whether some day is in both.
    pub fn overlaps(&self, other: &Validity) -> bool {
        self.to.is_none_or(|to| other.from <= to) && other.to.is_none_or(|to| self.from <= to)
    }
}

impl std::fmt::Display for Validity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.to {
            Some(to) => write!(f, "{} to {to}", self.from),
            None => write!(f, "{} until further notice", self.from),
        }
    }
}

/// Checks that a registry entry's municipalities are some, and all in the region.
fn in_region(field: &'static str, municipalities: &[MunicipalityCode], region: &Region) -> Result<(), ModelError> {
    if municipalities.is_empty() {
        return Err(ModelError::new(field, "names no municipality"));
    }
    match municipalities.iter().find(|m| !region.contains(**m)) {
        Some(outside) => {
            Err(ModelError::new(field, format!("`{outside}` ({}) is outside the region", outside.municipality().name)))
        }
        None => Ok(()),
    }
}

/// Checks that a required text is not blank.
fn required(field: &'static str, value: &str) -> Result<(), ModelError> {
    if value.trim().is_empty() { Err(ModelError::new(field, "is empty")) } else { Ok(()) }
}

/// Everything the region keeps, as one value: what the store returns and the read model's
/// registry snapshot is built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registries {
    pub occupation_links: Vec<OccupationLink>,
    pub validation_offers: Vec<ValidationOffer>,
    pub guidance_services: Vec<GuidanceService>,
    pub prices: PriceList,
    /// The newest publication of the labour-market outlook (Yrkesbarometern), if any.
    pub outlook: Option<OutlookPublication>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).expect("a day of January")
    }

    #[test]
    fn a_validity_that_ends_before_it_starts_is_rejected() {
        let error = Validity::new(day(10), Some(day(9))).expect_err("ends first");
        assert_eq!(error.field, "validTo");
    }

    #[test]
    fn validities_that_share_one_day_overlap_and_adjacent_ones_do_not() {
        let january = Validity::new(day(1), Some(day(15))).expect("valid");
        let touching = Validity::new(day(15), None).expect("valid");
        let after = Validity::new(day(16), None).expect("valid");
        assert!(january.overlaps(&touching) && touching.overlaps(&january));
        assert!(!january.overlaps(&after) && !after.overlaps(&january));
    }

    #[test]
    fn a_key_is_lowercase_letters_digits_and_dashes() {
        assert!(RegistryKey::parse("usk-prova.botkyrka_1").is_ok());
        assert_eq!(RegistryKey::parse("Usk").expect_err("uppercase").field, "key");
        assert!(RegistryKey::parse("-usk").is_err());
        assert!(RegistryKey::parse("").is_err());
    }
}
