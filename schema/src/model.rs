//! Providers, courses and offerings, and the validated values they are made of.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    ConfiguredField, CourseConfiguration, CreditsSystem, Eligibility, Language, ModelError, MunicipalityCode,
    ProviderKind, PublicId, SchoolForm, SourceId, StudyMode, TimeOfStudy,
};

/// A code with the shape of a Skolverket course code such as `MATMAT01c`, `SVASVA01`,
/// `VÅRVÅR01` or `GRNENGA`: 2 to 20 letters (ASCII or å, ä, ö) and digits, starting with a
/// letter. The shape alone does not make a code national: [`crate::national_course`] says
/// whether Skolverket publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CourseCode(String);

impl CourseCode {
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let value = value.trim();
        let letter = |c: char| c.is_ascii_alphabetic() || "åäöÅÄÖ".contains(c);
        let ok = (2..=20).contains(&value.chars().count())
            && value.chars().all(|c| letter(c) || c.is_ascii_digit())
            && value.chars().next().is_some_and(letter);
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(ModelError::new("courseCode", format!("`{value}` is not a course code such as `MATMAT01c`")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The subject code: the first three letters of a gymnasial code (`MAT` of `MATMAT01c`).
    pub fn subject_code(&self) -> &str {
        let end = self.0.char_indices().nth(3).map_or(self.0.len(), |(i, _)| i);
        &self.0[..end]
    }
}

/// A Swedish organisation number: ten digits (written with or without a hyphen after the
/// sixth), whose last digit is a Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgNumber(String);

impl OrgNumber {
    pub fn parse(value: &str) -> Result<Self, ModelError> {
        let digits: String = value.trim().chars().filter(|c| *c != '-').collect();
        let error = |reason: &str| ModelError::new("organisationNumber", format!("`{value}` {reason}"));
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error("is not ten digits such as `212000-0142`"));
        }
        if !luhn_ok(&digits) {
            return Err(error("has a wrong check digit"));
        }
        Ok(Self(digits))
    }

    /// Completes nine digits with their Luhn check digit; used to make valid numbers.
    pub fn with_check_digit(nine_digits: &str) -> Result<Self, ModelError> {
        (0..10u8)
            .map(|d| format!("{nine_digits}{d}"))
            .find(|candidate| candidate.len() == 10 && luhn_ok(candidate))
            .ok_or_else(|| ModelError::new("organisationNumber", format!("`{nine_digits}` is not nine digits")))
            .and_then(|n| Self::parse(&n))
    }

    /// The ten digits without a hyphen.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The study pace in percent of full time: 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pace(u8);

impl Pace {
    pub const FULL_TIME: Pace = Pace(100);

    pub fn new(percent: i64) -> Result<Self, ModelError> {
        u8::try_from(percent)
            .ok()
            .filter(|p| (1..=100).contains(p))
            .map(Self)
            .ok_or_else(|| ModelError::new("pace", format!("{percent} is not a pace: it is 1 to 100 percent")))
    }

    /// From an upstream's decimal percentage (`50.0`), rounded to whole percent.
    pub fn from_percentage(percent: f64) -> Result<Self, ModelError> {
        if !percent.is_finite() {
            return Err(ModelError::new("pace", "the pace is not a number"));
        }
        Self::new(percent.round() as i64)
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

/// Credits of a course in a credits system, such as 100 gymnasiepoäng.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Credits {
    pub system: CreditsSystem,
    pub value: f64,
}

impl Credits {
    pub fn new(system: CreditsSystem, value: f64) -> Result<Self, ModelError> {
        if value.is_finite() && (0.0..=10_000.0).contains(&value) {
            Ok(Self { system, value })
        } else {
            Err(ModelError::new("credits", format!("{value} is not a number of credits")))
        }
    }
}

/// WGS 84 coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, ModelError> {
        if (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude) {
            Ok(Self { latitude, longitude })
        } else {
            Err(ModelError::new("location.coordinates", format!("({latitude}, {longitude}) is not a WGS 84 position")))
        }
    }
}

/// Where an offering is studied.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    /// The study location's name, such as `Vuxenutbildningscentrum Flemingsberg`.
    pub name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    pub town: Option<String>,
    pub coordinates: Option<Coordinates>,
}

/// When an offering runs. Continuous intake means the student starts when they are admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    continuous_intake: bool,
}

impl Schedule {
    pub fn new(start: Option<NaiveDate>, end: Option<NaiveDate>, continuous_intake: bool) -> Result<Self, ModelError> {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            return Err(ModelError::new("end", format!("the end {end} is before the start {start}")));
        }
        Ok(Self { start, end, continuous_intake })
    }

    pub fn start(&self) -> Option<NaiveDate> {
        self.start
    }

    pub fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    pub fn continuous_intake(&self) -> bool {
        self.continuous_intake
    }
}

/// When and where to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    opens: Option<NaiveDate>,
    closes: Option<NaiveDate>,
    continuous: bool,
    pub url: Option<String>,
}

impl Application {
    pub fn new(
        opens: Option<NaiveDate>,
        closes: Option<NaiveDate>,
        continuous: bool,
        url: Option<String>,
    ) -> Result<Self, ModelError> {
        if let (Some(opens), Some(closes)) = (opens, closes)
            && closes < opens
        {
            return Err(ModelError::new(
                "application.closes",
                format!("the application closes {closes}, before it opens {opens}"),
            ));
        }
        Ok(Self { opens, closes, continuous, url })
    }

    pub fn opens(&self) -> Option<NaiveDate> {
        self.opens
    }

    pub fn closes(&self) -> Option<NaiveDate> {
        self.closes
    }

    pub fn continuous(&self) -> bool {
        self.continuous
    }

    /// Whether one can apply on `date`: continuous application is always open once opened;
    /// otherwise the date lies in the window, and a missing bound does not limit it.
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        let opened = self.opens.is_none_or(|opens| opens <= date);
        let not_closed = self.continuous || self.closes.is_none_or(|closes| date <= closes);
        opened && not_closed && (self.continuous || self.opens.is_some() || self.closes.is_some())
    }
}

/// Where a harvested record comes from and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The fields whose value the source's configuration stated (a configured default)
    /// rather than the upstream record: empty when everything was read.
    pub configured: BTreeSet<ConfiguredField>,
    pub source: SourceId,
    /// The upstream's own id for the record.
    pub upstream_id: String,
    pub first_seen: DateTime<Utc>,
    pub last_changed: DateTime<Utc>,
    /// A hash of the normalised record, so an unchanged record costs nothing to harvest again.
    pub content_hash: String,
    pub last_harvest: DateTime<Utc>,
}

impl Provenance {
    /// The provenance of a record read from `source` at `at`: first seen, changed and
    /// harvested then. Its content hash is set when the offering is sealed
    /// ([`Offering::sealed`]), the one step that finishes a harvested record.
    pub fn harvested(source: SourceId, upstream_id: impl Into<String>, at: DateTime<Utc>) -> Self {
        Self {
            configured: BTreeSet::new(),
            source,
            upstream_id: upstream_id.into(),
            first_seen: at,
            last_changed: at,
            content_hash: String::new(),
            last_harvest: at,
        }
    }
}

/// An utbildningsanordnare: a municipal school unit or a private company running courses.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub id: PublicId,
    pub name: String,
    pub org_number: Option<OrgNumber>,
    /// The kind of body that runs it; `None` when neither the upstream nor a reliable reading
    /// (its organisation number, its name) says.
    pub kind: Option<ProviderKind>,
    pub school_unit_code: Option<String>,
    /// The municipality the provider belongs to or, for an entreprenör, that contracts it.
    pub municipality: Option<MunicipalityCode>,
    pub web: Option<String>,
    /// A public, functional contact address (never a named person's).
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// What is taught: a national course (one Skolverket publishes, one record for the whole
/// region, its title and credits from the shipped code lists) or a local one (a yrkesvux
/// package, a municipality's own course: local to its source, never shared).
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: PublicId,
    /// The national course code; `None` for a local course.
    pub code: Option<CourseCode>,
    /// A local course's own code as its source writes it (`RLXAAR`); `None` for a national
    /// course and for a local one without a code.
    pub local_code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub school_form: SchoolForm,
    pub credits: Option<Credits>,
    /// The subject's name, such as `Matematik`.
    pub subject: Option<String>,
    /// SUN 2020 education field code.
    pub sun_field: Option<String>,
    pub vocational: bool,
    pub configuration: CourseConfiguration,
}

/// A course occasion (utbildningstillfälle): a course given by a provider in a municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Offering {
    pub id: PublicId,
    pub course: PublicId,
    pub provider: PublicId,
    /// The municipality of study, which is also the one that offers it.
    pub municipality: MunicipalityCode,
    /// The title the provider published for this occasion (`Matematik 1c Kväll`), when it
    /// has one; the course's title is the national or local course's.
    pub title: Option<String>,
    pub location: Location,
    pub schedule: Schedule,
    pub application: Application,
    pub pace: Pace,
    /// `None`: unknown (the upstream does not say, and nothing reliable shows it).
    pub time_of_study: Option<TimeOfStudy>,
    /// `None`: unknown.
    pub mode: Option<StudyMode>,
    /// `None`: unknown.
    pub language: Option<Language>,
    pub seats: Option<u32>,
    pub cancelled: bool,
    pub apprenticeship: bool,
    /// A fee in whole Swedish kronor; komvux is free, so this is usually `None`.
    pub fee_sek: Option<u32>,
    pub eligibility: Eligibility,
    pub web: Option<String>,
    pub provenance: Provenance,
}

/// Checks that a required text is present after trimming.
pub(crate) fn required_text(field: &'static str, value: &str) -> Result<String, ModelError> {
    let trimmed = value.trim();
    if trimmed.is_empty() { Err(ModelError::new(field, "is empty")) } else { Ok(trimmed.to_owned()) }
}

impl Offering {
    /// The offering with its content hash in its provenance: how a connector finishes every
    /// record it yields.
    #[must_use]
    pub fn sealed(mut self) -> Self {
        self.provenance.content_hash = self.content_hash();
        self
    }

    /// A stable hash of the offering's content: FNV-1a (64 bits, 16 hex digits) over a
    /// canonical rendering of every field but the provenance times and the hash itself. An
    /// unchanged offering hashes the same in every harvest, so storing it again costs nothing.
    pub fn content_hash(&self) -> String {
        let mut text = String::with_capacity(512);
        let o = self;
        let l = &o.location;
        let coordinates = l.coordinates.map(|c| (c.latitude, c.longitude));
        let _ = write!(
            text,
            "{}|{}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            o.provenance.source,
            o.provenance.upstream_id,
            o.id,
            o.course,
            o.provider,
            o.municipality.as_str(),
            l.name,
            l.street_address,
            l.postal_code,
            l.town,
            coordinates,
            o.schedule.start(),
            o.schedule.end(),
            o.schedule.continuous_intake(),
            o.application.opens(),
            o.application.closes(),
            o.application.continuous(),
            o.application.url,
            o.pace.percent(),
            o.time_of_study.map(TimeOfStudy::code),
            o.mode.map(StudyMode::code),
            o.language.map(|l| l.to_string()),
            o.eligibility.code(),
            o.cancelled,
            o.seats,
            o.apprenticeship,
            o.fee_sek,
            o.web,
            o.title,
            o.provenance.configured.iter().map(|f| f.code()).collect::<Vec<_>>(),
        );
        format!("{:016x}", fnv1a(text.as_bytes()))
    }
}

/// FNV-1a, 64 bits: tiny, stable across versions and platforms, good enough to detect change.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

impl Course {
    /// Checks the rules a course must satisfy beyond its field types.
    pub fn validate(&self) -> Result<(), ModelError> {
        required_text("title", &self.title).map(drop)
    }
}

impl Provider {
    /// Checks the rules a provider must satisfy beyond its field types.
    pub fn validate(&self) -> Result<(), ModelError> {
        required_text("provider.name", &self.name).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_pace_is_one_to_one_hundred_percent() {
        assert_eq!(Pace::new(50).unwrap().percent(), 50);
        assert_eq!(Pace::from_percentage(99.6).unwrap().percent(), 100);
        for bad in [0, 101, 300, -5] {
            assert_eq!(Pace::new(bad).unwrap_err().field, "pace", "{bad}");
        }
        assert!(Pace::from_percentage(f64::NAN).is_err());
    }

    #[test]
    fn an_end_before_the_start_is_rejected() {
        let error = Schedule::new(Some(date("2026-08-17")), Some(date("2026-08-16")), false).unwrap_err();
        assert_eq!(error.field, "end");
        assert!(Schedule::new(Some(date("2026-08-17")), Some(date("2026-08-17")), false).is_ok());
        assert!(Schedule::new(None, None, true).is_ok());
    }

    #[test]
    fn an_application_window_is_open_between_its_dates() {
        let window = Application::new(Some(date("2026-04-01")), Some(date("2026-05-31")), false, None).unwrap();
        assert!(!window.is_open_on(date("2026-03-31")));
        assert!(window.is_open_on(date("2026-04-01")));
        assert!(window.is_open_on(date("2026-05-31")));
        assert!(!window.is_open_on(date("2026-06-01")));
    }

    #[test]
    fn continuous_application_stays_open_and_an_unknown_window_is_not_open() {
        let continuous = Application::new(None, None, true, None).unwrap();
        assert!(continuous.is_open_on(date("2030-01-01")));
        let unknown = Application::new(None, None, false, None).unwrap();
        assert!(!unknown.is_open_on(date("2026-01-01")));
        assert_eq!(
            Application::new(Some(date("2026-05-01")), Some(date("2026-04-01")), false, None).unwrap_err().field,
            "application.closes"
        );
    }

    #[test]
    fn an_organisation_number_has_ten_digits_and_a_luhn_check_digit() {
        assert_eq!(OrgNumber::parse("212000-0142").unwrap().as_str(), "2120000142");
        assert!(OrgNumber::parse("2120000143").is_err());
        assert!(OrgNumber::parse("21200001").is_err());
        assert_eq!(OrgNumber::with_check_digit("556677889").unwrap().as_str().len(), 10);
    }

    #[test]
    fn a_course_code_is_letters_and_digits_and_knows_its_subject() {
        let code = CourseCode::parse("MATMAT01c").unwrap();
        assert_eq!(code.subject_code(), "MAT");
        assert_eq!(CourseCode::parse("VÅRVÅR01").unwrap().subject_code(), "VÅR");
        for bad in ["", "1MAT", "MAT MAT", "M", "MAT-01", "ÉCOLE"] {
            assert_eq!(CourseCode::parse(bad).unwrap_err().field, "courseCode", "{bad}");
        }
    }

    #[test]
    fn the_content_hash_ignores_provenance_times_and_sees_every_change() {
        let source = SourceId::parse("s").unwrap();
        let at: DateTime<Utc> = "2026-11-01T03:00:00Z".parse().unwrap();
        let offering = Offering {
            id: PublicId::offering(&source, "1"),
            course: PublicId::local_course(&source, "c"),
            provider: PublicId::local_provider(&source, "p"),
            municipality: MunicipalityCode::parse("0180").unwrap(),
            title: None,
            location: Location::default(),
            schedule: Schedule::new(None, None, true).unwrap(),
            application: Application::new(None, None, true, None).unwrap(),
            pace: Pace::FULL_TIME,
            time_of_study: Some(TimeOfStudy::Day),
            mode: Some(StudyMode::OnSite),
            language: Some(crate::Language::SWEDISH),
            seats: None,
            cancelled: false,
            apprenticeship: false,
            fee_sek: None,
            eligibility: Eligibility::Region,
            web: None,
            provenance: Provenance {
                configured: BTreeSet::new(),
                source,
                upstream_id: "1".into(),
                first_seen: at,
                last_changed: at,
                content_hash: String::new(),
                last_harvest: at,
            },
        };
        let mut later = offering.clone();
        later.provenance.last_harvest = at + chrono::Duration::days(1);
        assert_eq!(offering.content_hash(), later.content_hash());
        assert_eq!(offering.content_hash().len(), 16);
        let mut changed = offering.clone();
        changed.seats = Some(30);
        assert_ne!(offering.content_hash(), changed.content_hash());
        let mut unknown = offering.clone();
        unknown.time_of_study = None;
        assert_ne!(offering.content_hash(), unknown.content_hash(), "unknown is not day");
        let mut configured = offering.clone();
        configured.provenance.configured.insert(ConfiguredField::TimeOfStudy);
        assert_ne!(offering.content_hash(), configured.content_hash(), "configured is not read");
        let mut titled = offering.clone();
        titled.title = Some("Matematik 1c Kväll".into());
        assert_ne!(offering.content_hash(), titled.content_hash());
    }

    #[test]
    fn coordinates_outside_the_globe_are_rejected() {
        assert!(Coordinates::new(59.33, 18.06).is_ok());
        assert!(Coordinates::new(95.0, 18.0).is_err());
    }
}
