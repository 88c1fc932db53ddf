//! Price lists for interkommunal ersättning: what a home municipality pays a providing
//! municipality for a course, a package or a whole school form.

use chrono::NaiveDate;

use super::{FigureSource, PriceUnit, RegistryKey, Validity, in_region};
use crate::{CourseCode, ModelError, MunicipalityCode, Region, SchoolForm};

/// An amount in Swedish kronor, never negative, kept in ore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AmountSek(u64);

impl AmountSek {
    /// Parses kronor with up to two decimals, with `.` or `,` (`1250`, `87.50`, `87,5`).
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let field = "amountSek";
        let value = value.trim();
        if value.starts_with('-') {
            return Err(ModelError::new(field, format!("{value} is negative: an amount is 0 or more kronor")));
        }
        let (kronor, ore) = value
            .replace(',', ".")
            .split_once('.')
            .map_or_else(|| (value.to_owned(), String::new()), |(k, o)| (k.to_owned(), o.to_owned()));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let parsed = (digits(&kronor) && (ore.is_empty() || (digits(&ore) && ore.len() <= 2)))
            .then(|| {
                let kronor: u64 = kronor.parse().ok()?;
                let ore: u64 = format!("{ore:0<2}").parse().ok()?;
                kronor.checked_mul(100)?.checked_add(ore)
            })
            .flatten();
        parsed.map(Self).ok_or_else(|| {
            ModelError::new(field, format!("`{value}` is not an amount in kronor such as `1250` or `87.50`"))
        })
    }

    pub fn from_ore(ore: u64) -> Self {
        Self(ore)
    }

    pub fn ore(self) -> u64 {
        self.0
    }

    /// Kronor as a decimal number, for display and JSON.
    pub fn kronor(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl std::fmt::Display for AmountSek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A side of a price agreement: one municipality, or every municipality of the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Party {
    Municipality(MunicipalityCode),
    WholeRegion,
}

impl Party {
    /// A kommunkod, or `*` for every municipality of the region.
    pub fn parse(field: &'static str, value: &str) -> Result<Self, ModelError> {
        match value.trim() {
            "*" => Ok(Self::WholeRegion),
            code => MunicipalityCode::parse(code).map(Self::Municipality).map_err(|e| ModelError::new(field, e.reason)),
        }
    }

    fn includes(self, municipality: MunicipalityCode) -> bool {
        self == Self::WholeRegion || self == Self::Municipality(municipality)
    }
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Municipality(code) => write!(f, "{code}"),
            Self::WholeRegion => f.write_str("*"),
        }
    }
}

/// What a price covers within its school form: one course or yrkesvux package by its code, or
/// the whole school form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PriceScope {
    Course(CourseCode),
    SchoolForm,
}

/// One row of a price list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceListEntry {
    pub key: RegistryKey,
    /// The home municipality that pays.
    pub payer: Party,
    /// The municipality whose offering is studied.
    pub provider: Party,
    pub school_form: SchoolForm,
    pub scope: PriceScope,
    pub unit: PriceUnit,
    pub amount: AmountSek,
    pub validity: Validity,
    /// The decision the price comes from, such as `KS 2025/118 §4`; required for a decided price.
    pub decision: Option<String>,
    /// [`FigureSource::Illustrative`] for made-up prices, which are never shown as a tariff.
    pub source: FigureSource,
}

impl PriceListEntry {
    /// The rules across fields: municipalities in the region, and a decision reference for a
    /// decided price.
    pub fn validate(&self, region: &Region) -> Result<(), ModelError> {
        for (field, party) in [("payer", self.payer), ("provider", self.provider)] {
            if let Party::Municipality(code) = party {
                in_region(field, &[code], region)?;
            }
        }
        if self.source == FigureSource::Decision && self.decision.as_deref().is_none_or(|d| d.trim().is_empty()) {
            return Err(ModelError::new("decision", "a decided price names its decision"));
        }
        Ok(())
    }

    /// Entries with the same scope may not be valid on the same day.
    fn same_scope(&self, other: &Self) -> bool {
        (self.payer, self.provider, self.school_form, &self.scope)
            == (other.payer, other.provider, other.school_form, &other.scope)
    }

    /// How specific the entry is: a course before a school form, a named municipality before
    /// the whole region.
    fn specificity(&self) -> u8 {
        u8::from(matches!(self.scope, PriceScope::Course(_))) * 4
            + u8::from(matches!(self.payer, Party::Municipality(_))) * 2
            + u8::from(matches!(self.provider, Party::Municipality(_)))
    }
}

/// A price list without two entries of the same scope valid on the same day, ordered by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceList {
    entries: Vec<PriceListEntry>,
}

impl PriceList {
    /// Checks that keys are unique and that no two entries of the same scope (payer, provider,
    /// school form and course) overlap in validity; an error names both keys.
    pub fn new(mut entries: Vec<PriceListEntry>) -> Result<Self, ModelError> {
        Self::check(&entries).map_err(|(_, error)| error)?;
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Self { entries })
    }

    /// [`PriceList::new`]'s rules over entries in a given order: the first conflict, with the
    /// position of the later of its two entries, so an importer can name the row.
    pub fn check(entries: &[PriceListEntry]) -> Result<(), (usize, ModelError)> {
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by(|a, b| (&entries[*a].key, a).cmp(&(&entries[*b].key, b)));
        if let Some(pair) = order.windows(2).find(|w| entries[w[0]].key == entries[w[1]].key) {
            let error = ModelError::new("key", format!("`{}` is listed twice", entries[pair[0]].key));
            return Err((pair[1], error));
        }
        for (i, entry) in entries.iter().enumerate() {
            if let Some(other) =
                entries[..i].iter().find(|o| o.same_scope(entry) && o.validity.overlaps(&entry.validity))
            {
                return Err((
                    i,
                    ModelError::new(
                        "validity",
                        format!(
                            "`{}` ({}) and `{}` ({}) price the same scope on the same days",
                            other.key, other.validity, entry.key, entry.validity
                        ),
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn entries(&self) -> &[PriceListEntry] {
        &self.entries
    }

    /// The entry that prices studying `course` (of `school_form`, offered in `provider`) for
    /// a resident of `payer` on `day`: the most specific one (a course before the school form,
    /// a named municipality before the whole region), or `None` when no entry covers it.
    pub fn price_for(
        &self,
        payer: MunicipalityCode,
        provider: MunicipalityCode,
        school_form: SchoolForm,
        course: Option<&CourseCode>,
        day: NaiveDate,
    ) -> Option<&PriceListEntry> {
        self.entries
            .iter()
            .filter(|e| e.payer.includes(payer) && e.provider.includes(provider) && e.school_form == school_form)
            .filter(|e| match &e.scope {
                PriceScope::Course(code) => Some(code) == course,
                PriceScope::SchoolForm => true,
            })
            .filter(|e| e.validity.covers(day))
            .max_by_key(|e| (e.specificity(), std::cmp::Reverse(e.key.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a day")
    }

    fn kommun(code: &str) -> MunicipalityCode {
        MunicipalityCode::parse(code).expect("a kommunkod")
    }

    fn entry(key: &str, scope: PriceScope, from: NaiveDate, to: Option<NaiveDate>) -> PriceListEntry {
        PriceListEntry {
            key: RegistryKey::parse(key).expect("a key"),
            payer: Party::Municipality(kommun("0127")),
            provider: Party::WholeRegion,
            school_form: SchoolForm::VuxGy,
            scope,
            unit: PriceUnit::PerPoint,
            amount: AmountSek::parse("55").expect("an amount"),
            validity: Validity::new(from, to).expect("valid"),
            decision: None,
            source: FigureSource::Illustrative,
        }
    }

    #[test]
    fn an_amount_is_read_in_kronor_with_a_point_or_a_comma() {
        assert_eq!(AmountSek::parse("1250").map(AmountSek::ore), Ok(125_000));
        assert_eq!(AmountSek::parse("87,5").map(AmountSek::ore), Ok(8_750));
        assert_eq!(AmountSek::parse("87.05").map(|a| a.to_string()), Ok("87.05".to_owned()));
        assert!(AmountSek::parse("87.055").is_err());
        assert!(AmountSek::parse("tio").is_err());
    }

    #[test]
    fn a_negative_amount_is_rejected() {
        let error = AmountSek::parse("-10").expect_err("negative");
        assert_eq!(error.field, "amountSek");
        assert!(error.reason.contains("negative"), "{error}");
    }

    #[test]
    fn two_prices_for_the_same_scope_on_overlapping_days_are_rejected_naming_both() {
        let error = PriceList::new(vec![
            entry("gy-2026", PriceScope::SchoolForm, day(1, 1), Some(day(6, 30))),
            entry("gy-2026-ht", PriceScope::SchoolForm, day(6, 30), None),
        ])
        .expect_err("overlap on 30 June");
        assert_eq!(error.field, "validity");
        assert!(error.reason.contains("`gy-2026`") && error.reason.contains("`gy-2026-ht`"), "{error}");
    }

    #[test]
    fn prices_for_different_scopes_may_overlap_and_the_course_price_wins() {
        let usk = CourseCode::parse("YVUSK").expect("a code");
        let list = PriceList::new(vec![
            entry("gy", PriceScope::SchoolForm, day(1, 1), None),
            entry("usk", PriceScope::Course(usk.clone()), day(1, 1), None),
        ])
        .expect("different scopes");
        let price = |course: Option<&CourseCode>| {
            list.price_for(kommun("0127"), kommun("0180"), SchoolForm::VuxGy, course, day(3, 1)).map(|e| e.key.as_str())
        };
        assert_eq!(price(Some(&usk)), Some("usk"));
        assert_eq!(price(None), Some("gy"));
    }

    #[test]
    fn no_price_covers_a_day_before_the_list_is_valid_or_another_payer() {
        let list = PriceList::new(vec![entry("gy", PriceScope::SchoolForm, day(2, 1), None)]).expect("one entry");
        assert!(list.price_for(kommun("0127"), kommun("0180"), SchoolForm::VuxGy, None, day(1, 31)).is_none());
        assert!(list.price_for(kommun("0126"), kommun("0180"), SchoolForm::VuxGy, None, day(3, 1)).is_none());
    }

    #[test]
    fn a_decided_price_without_its_decision_is_rejected() {
        let decided =
            PriceListEntry { source: FigureSource::Decision, ..entry("gy", PriceScope::SchoolForm, day(1, 1), None) };
        assert_eq!(decided.validate(&Region::default()).expect_err("no decision").field, "decision");
    }
}
