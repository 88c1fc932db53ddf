//! Building one municipality's source from the tables: its providers and where they teach,
//! then its offerings one by one, then the courses and providers the offerings use.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use uuid::Builder;
use vuxnav_schema::{
    Application, Catalogue, Coordinates, Course, CourseCode, CourseConfiguration, Credits, Eligibility, Language,
    Location, ModelError, Offering, OrgNumber, Pace, Provenance, Provider, ProviderKind, PublicId, Schedule,
    SchoolForm, SourceId, StudyMode, TimeOfStudy,
};

use super::courses::{COURSES, CourseSpec, Field};
use super::places::{Area, Profile, STOCKHOLM_COUNTY};
use super::providers::{PRIVATE_PROVIDERS, PrivateProvider};
use super::util::{Dice, ascii_upper, fnv1a, slug};
use super::{ConnectorKind, DemoSource};

/// Every municipality offers at least this many, however small it is.
pub(super) const MIN_OFFERINGS: u64 = 30;

/// Below this many offerings a municipality runs no yrkesvux packages of its own.
const PACKAGES_FROM: u64 = 100;

/// Splits `total` over the weights, each getting at least `floor`, by largest remainder, so
/// the parts add up to `total` exactly and without floating point.
pub(super) fn apportion(weights: &[u64], total: u64, floor: u64) -> Vec<u64> {
    let rest = total.saturating_sub(floor * weights.len() as u64);
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut parts: Vec<u64> = weights.iter().map(|w| floor + rest * w / sum).collect();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by_key(|&i| (std::cmp::Reverse(rest * weights[i] % sum), i));
    let missing = total.saturating_sub(parts.iter().sum());
    for &i in by_remainder.iter().cycle().take(missing as usize) {
        parts[i] += 1;
    }
    parts
}

/// What is the same for every source of one run: the calendar and the course tables.
pub(super) struct Plan {
    today: NaiveDate,
    harvested: DateTime<Utc>,
    /// Start dates of terms and periods near `today`, with how often courses start then.
    intakes: Vec<(NaiveDate, u64)>,
    /// Cumulative course weights, with and without yrkesvux packages.
    all_courses: Vec<u64>,
    without_packages: Vec<u64>,
    /// Course codes as upstream ids spell them: ASCII, uppercase.
    id_codes: Vec<String>,
    title_slugs: Vec<String>,
}

impl Plan {
    pub(super) fn new(today: NaiveDate) -> Self {
        let cumulative = |include: &dyn Fn(&CourseSpec) -> bool| -> Vec<u64> {
            COURSES
                .iter()
                .scan(0u64, |sum, spec| {
                    *sum += if include(spec) { u64::from(spec.weight) } else { 0 };
                    Some(*sum)
                })
                .collect()
        };
        Self {
            today,
            harvested: today.and_time(NaiveTime::from_hms_opt(3, 0, 0).unwrap_or_default()).and_utc(),
            intakes: intakes(today),
            all_courses: cumulative(&|_| true),
            without_packages: cumulative(&|spec| spec.configuration != CourseConfiguration::Package),
            id_codes: COURSES.iter().map(|spec| ascii_upper(spec.code)).collect(),
            title_slugs: COURSES.iter().map(|spec| slug(spec.title)).collect(),
        }
    }
}

/// Terms start on the Monday from mid-August and from early January; komvux splits each into
/// 5-week periods, so courses also start 5, 10 and 15 weeks in. Kept: from 10 weeks ago to 36
/// weeks ahead; upcoming and just started ones twice as likely as those further back.
fn intakes(today: NaiveDate) -> Vec<(NaiveDate, u64)> {
    const PERIOD_WEIGHTS: [u64; 4] = [6, 2, 3, 2];
    let earliest = today - Days::new(70);
    let latest = today + Days::new(250);
    let mut intakes = Vec::new();
    for year in today.year() - 1..=today.year() + 1 {
        for (month, day) in [(1, 7), (8, 15)] {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, day) else { continue };
            let monday = first + Days::new(u64::from((7 - first.weekday().num_days_from_monday()) % 7));
            for (period, weight) in PERIOD_WEIGHTS.iter().enumerate() {
                let start = monday + Days::new(35 * period as u64);
                if (earliest..=latest).contains(&start) {
                    intakes.push((start, if start + Days::new(14) >= today { weight * 2 } else { *weight }));
                }
            }
        }
    }
    intakes.sort();
    intakes
}

/// A provider of one source and the places where it teaches there.
struct Site {
    provider: Provider,
    fields: Option<&'static [Field]>,
    locations: Vec<Location>,
    used: bool,
}

/// Generates one municipality's source with `count` offerings.
pub(super) fn source(plan: &Plan, seed: u64, profile: &Profile, count: u64) -> Result<DemoSource, ModelError> {
    let municipality = profile.municipality;
    let kommunkod = municipality.code.as_str();
    let town_slug = slug(municipality.name);
    let id = SourceId::parse(&format!("{kommunkod}-{town_slug}"))?;
    let host = format!("vux.{town_slug}.example");
    let mut dice = Dice::new(seed, kommunkod);

    let mut sites = vec![municipal_site(&mut dice, profile, &town_slug)?];
    for private in choose_private(&mut dice, profile, count) {
        sites.push(private_site(&mut dice, profile, private)?);
    }

    let course_ids: Vec<PublicId> = COURSES.iter().map(|spec| course_id(&id, spec)).collect();
    let cumulative = if count < PACKAGES_FROM { &plan.without_packages } else { &plan.all_courses };
    let mut course_used = vec![false; COURSES.len()];
    let mut offerings = Vec::with_capacity(count as usize);
    let mut csv_id = dice.between(1_000, 40_000) as u64;
    for n in 1..=count {
        let course_index = dice.index_in(cumulative);
        let spec = &COURSES[course_index];
        course_used[course_index] = true;
        let site_index = choose_site(&mut dice, &sites, spec);
        sites[site_index].used = true;
        let upstream_id = match profile.kind {
            ConnectorKind::SusaNavet | ConnectorKind::PlannedEducations => {
                format!("e.IST.{kommunkod}{}{n}", plan.id_codes[course_index])
            }
            ConnectorKind::Ss12000 => Builder::from_random_bytes(dice.bytes16()).into_uuid().to_string(),
            ConnectorKind::Csv => {
                csv_id += dice.between(1, 9) as u64;
                csv_id.to_string()
            }
            ConnectorKind::JsonApi => format!("{}-{n}", plan.title_slugs[course_index]),
        };
        let draft = OfferingDraft {
            plan,
            source: &id,
            profile,
            spec,
            course: course_ids[course_index],
            site: &sites[site_index],
            upstream_id,
            web: format!("https://{host}/kurser/{}-{n}", plan.title_slugs[course_index]),
            apply: format!("https://{host}/ansok/{n}"),
        };
        offerings.push(draft.build(&mut dice)?);
    }

    let courses = COURSES
        .iter()
        .zip(course_ids)
        .zip(course_used)
        .filter(|(_, used)| *used)
        .map(|((spec, course_id), _)| course(course_id, spec))
        .collect::<Result<_, _>>()?;
    let providers = sites.into_iter().enumerate().filter(|(i, site)| *i == 0 || site.used).map(|(_, s)| s.provider);
    Ok(DemoSource {
        id,
        municipality: municipality.code,
        kind: profile.kind,
        catalogue: Catalogue { providers: providers.collect(), courses, offerings },
    })
}

/// A course with a national code is one course across sources; a package is the source's own.
fn course_id(source: &SourceId, spec: &CourseSpec) -> PublicId {
    match CourseCode::parse(spec.code) {
        Ok(code) if spec.is_national() => PublicId::course_by_code(&code),
        _ => PublicId::local_course(source, spec.code),
    }
}

fn course(id: PublicId, spec: &CourseSpec) -> Result<Course, ModelError> {
    let credits = spec.points.map(|points| Credits::new(spec.credits_system(), f64::from(points))).transpose()?;
    Ok(Course {
        id,
        // Codes with å, ä or ö (such as `VÅRVÅR01`) are left out while `CourseCode` takes ASCII only.
        code: CourseCode::parse(spec.code).ok().filter(|_| spec.is_national()),
        local_code: (!spec.is_national()).then(|| spec.code.to_owned()),
        title: spec.title.to_owned(),
        description: Some(spec.description()),
        school_form: spec.form,
        credits,
        subject: Some(spec.subject.to_owned()),
        sun_field: None,
        vocational: spec.vocational(),
        configuration: spec.configuration,
    })
}

/// The municipality's own adult-education unit.
fn municipal_site(dice: &mut Dice, profile: &Profile, town_slug: &str) -> Result<Site, ModelError> {
    let kommunkod = profile.municipality.code.as_str();
    let org_number = OrgNumber::with_check_digit(&format!("21200{kommunkod}"))?;
    let phone_slot = STOCKHOLM_COUNTY.iter().position(|m| m.code == kommunkod);
    let provider = Provider {
        id: PublicId::provider_by_org_number(&org_number),
        name: format!("{}, {}", profile.organisation, profile.unit),
        org_number: Some(org_number),
        kind: Some(ProviderKind::Kommunal),
        school_unit_code: None,
        municipality: Some(profile.municipality.code),
        web: Some(format!("https://www.{town_slug}.example/vuxenutbildning")),
        email: Some(format!("vux@{town_slug}.example")),
        phone: phone_slot.map(|slot| format!("08-465 004 {slot:02}")),
    };
    // "Komvux Stockholm, Kista" but "Vuxenutbildningscentrum Flemingsberg".
    let separator = if profile.unit.contains(profile.municipality.name) { ", " } else { " " };
    let locations = locations(dice, profile, profile.unit, separator, 3)?;
    Ok(Site { provider, fields: None, locations, used: true })
}

fn private_site(dice: &mut Dice, profile: &Profile, private: &'static PrivateProvider) -> Result<Site, ModelError> {
    let org_number = OrgNumber::with_check_digit(private.org9)?;
    let slot = PRIVATE_PROVIDERS.iter().position(|p| p.org9 == private.org9).unwrap_or(0) + 30;
    let provider = Provider {
        id: PublicId::provider_by_org_number(&org_number),
        name: private.name.to_owned(),
        org_number: Some(org_number),
        kind: Some(ProviderKind::Enskild),
        school_unit_code: None,
        // The municipality that contracts it.
        municipality: Some(profile.municipality.code),
        web: Some(format!("https://www.{}.example/", private.domain)),
        email: Some(format!("antagning@{}.example", private.domain)),
        phone: Some(format!("08-465 004 {slot:02}")),
    };
    let locations = locations(dice, profile, private.short_name(), ", ", 2)?;
    Ok(Site { provider, fields: Some(private.fields), locations, used: false })
}

/// One to `most` of the municipality's study places, named after the school there.
fn locations(
    dice: &mut Dice,
    profile: &Profile,
    school: &str,
    separator: &str,
    most: u64,
) -> Result<Vec<Location>, ModelError> {
    let places = &profile.places;
    let how_many = (1 + dice.below(most)).min(places.len() as u64) as usize;
    let first = dice.below(places.len() as u64) as usize;
    (0..how_many)
        .map(|k| {
            let (place, town) = &places[(first + k) % places.len()];
            let (latitude, longitude) = profile.centre;
            let coordinates = if profile.precise_centre {
                Coordinates::new(latitude + dice.jitter(0.02), longitude + dice.jitter(0.035))?
            } else {
                Coordinates::new(latitude, longitude)?
            };
            Ok(Location {
                name: Some(format!("{school}{separator}{place}")),
                street_address: None,
                postal_code: None,
                town: Some(town.clone()),
                coordinates: Some(coordinates),
            })
        })
        .collect()
}

/// The private providers the municipality contracts: those working in its part of the county
/// (elsewhere: the national chains present in its county), more for larger municipalities.
fn choose_private(dice: &mut Dice, profile: &Profile, count: u64) -> Vec<&'static PrivateProvider> {
    let county = profile.municipality.code.county_code();
    let mut candidates: Vec<&'static PrivateProvider> = PRIVATE_PROVIDERS
        .iter()
        .filter(|p| match profile.area {
            Area::Elsewhere => p.national && fnv1a(format!("{}{county}", p.org9).as_bytes()) % 5 < 2,
            area => p.areas.contains(&area),
        })
        .collect();
    let wanted = (2 + count / 100).min(9) as usize;
    // A partial Fisher-Yates shuffle, then table order, so catalogues list providers stably.
    for i in 0..wanted.min(candidates.len()) {
        let j = i + dice.below((candidates.len() - i) as u64) as usize;
        candidates.swap(i, j);
    }
    candidates.truncate(wanted);
    candidates.sort_by_key(|p| p.org9);
    candidates
}

/// Who gives the course: the municipality itself, or an entreprenör that teaches the field.
fn choose_site(dice: &mut Dice, sites: &[Site], spec: &CourseSpec) -> usize {
    let own_share = match spec.field {
        Field::Adapted => 90,
        Field::General | Field::Swedish => 55,
        Field::Sfi => 45,
        _ => 35,
    };
    if dice.percent(own_share) {
        return 0;
    }
    let able: Vec<usize> =
        (1..sites.len()).filter(|&i| sites[i].fields.is_some_and(|fields| fields.contains(&spec.field))).collect();
    dice.pick(&able).copied().unwrap_or(0)
}

/// Everything about an offering that is decided before the dice are thrown for the rest.
struct OfferingDraft<'a> {
    plan: &'a Plan,
    source: &'a SourceId,
    profile: &'a Profile,
    spec: &'static CourseSpec,
    course: PublicId,
    site: &'a Site,
    upstream_id: String,
    web: String,
    apply: String,
}

impl OfferingDraft<'_> {
    fn build(self, dice: &mut Dice) -> Result<Offering, ModelError> {
        let spec = self.spec;
        let package = spec.configuration == CourseConfiguration::Package;
        let mode = study_mode(dice, spec);
        let time_of_study = time_of_study(dice, mode, package);
        let pace = pace(dice, spec, mode, time_of_study);
        let continuous_share = match (mode, spec.field, spec.form) {
            (StudyMode::Distance, ..) => 55,
            (_, Field::Sfi, _) => 60,
            (_, Field::Adapted, _) => 40,
            (_, _, SchoolForm::VuxGr) => 40,
            _ if package => 15,
            _ => 25,
        };
        let (schedule, application) = if dice.percent(continuous_share) {
            (Schedule::new(None, None, true)?, Application::new(None, None, true, Some(self.apply))?)
        } else {
            self.fixed_dates(dice, pace)?
        };
        let location = if mode == StudyMode::Distance {
            Location {
                name: Some("Distans".to_owned()),
                town: Some(self.profile.municipality.name.to_owned()),
                ..Location::default()
            }
        } else {
            dice.pick(&self.site.locations).cloned().unwrap_or_default()
        };
        let english_taught = (spec.subject == "Engelska" && spec.form != SchoolForm::VuxGyan && dice.percent(25))
            || (spec.field == Field::It && dice.percent(10));
        let language = if english_taught { Language::parse("eng")? } else { Language::SWEDISH };
        let apprenticeship = package
            && matches!(
                spec.field,
                Field::Technology | Field::Construction | Field::Restaurant | Field::Care | Field::Transport
            )
            && dice.percent(20);
        let eligibility = if dice.percent(if spec.field == Field::Adapted { 50 } else { 15 }) {
            Eligibility::Residents
        } else {
            Eligibility::Region
        };
        let seats = if dice.percent(12) { None } else { Some(dice.between(15, 35) as u32) };
        let offering = Offering {
            id: PublicId::offering(self.source, &self.upstream_id),
            course: self.course,
            provider: self.site.provider.id,
            municipality: self.profile.municipality.code,
            // As komvux catalogues name evening occasions: `Matematik 1c Kväll`.
            title: Some(match time_of_study {
                TimeOfStudy::Evening => format!("{} Kväll", spec.title),
                _ => spec.title.to_owned(),
            }),
            location,
            schedule,
            application,
            pace: Pace::new(pace as i64)?,
            time_of_study: Some(time_of_study),
            mode: Some(mode),
            language: Some(language),
            seats,
            cancelled: dice.percent(2),
            apprenticeship,
            fee_sek: None,
            eligibility,
            web: Some(self.web),
            provenance: Provenance::harvested(self.source.clone(), self.upstream_id, self.plan.harvested),
        }
        .sealed();
        Ok(offering)
    }

    /// A start at a term or period, an end after the course's length at this pace, and an
    /// application window that closes up to four weeks before the start.
    fn fixed_dates(&self, dice: &mut Dice, pace: u64) -> Result<(Schedule, Application), ModelError> {
        let plan = self.plan;
        // 100 points at full pace take five weeks; SFI courses (no points) take ten.
        let points = u64::from(self.spec.points.unwrap_or(200));
        let weeks = (points * 5).div_ceil(pace).clamp(3, 90);
        let length = Days::new(weeks * 7 - 3);
        let mut start = dice.weighted(&plan.intakes);
        if start + length < plan.today {
            start = plan.intakes.iter().map(|(date, _)| *date).find(|date| *date >= plan.today).unwrap_or(plan.today);
        }
        let schedule = Schedule::new(Some(start), Some(start + length), false)?;
        let opens = start - Days::new(dice.between(56, 120) as u64);
        let application = if dice.percent(12) {
            Application::new(Some(opens), None, true, Some(self.apply.clone()))?
        } else {
            let closes = start - Days::new(dice.between(0, 28) as u64);
            Application::new(Some(opens), Some(closes), false, Some(self.apply.clone()))?
        };
        Ok((schedule, application))
    }
}

/// On site mostly; distance for theory and care courses; SFI, anpassad utbildning and
/// hands-on trades almost always on site.
fn study_mode(dice: &mut Dice, spec: &CourseSpec) -> StudyMode {
    let package = spec.configuration == CourseConfiguration::Package;
    let (on_site, distance, hybrid) = match spec.field {
        Field::Sfi => (85, 8, 7),
        Field::Adapted => (95, 0, 5),
        _ if package => (75, 5, 20),
        Field::Care | Field::Childcare => (55, 35, 10),
        field if field.vocational() => (90, 2, 8),
        _ => (62, 30, 8),
    };
    dice.weighted(&[(StudyMode::OnSite, on_site), (StudyMode::Distance, distance), (StudyMode::Hybrid, hybrid)])
}

/// Daytime mostly; distance studies are often at one's own times; some evening groups.
fn time_of_study(dice: &mut Dice, mode: StudyMode, package: bool) -> TimeOfStudy {
    let (day, evening, mixed, weekend) = match mode {
        StudyMode::Distance => (30, 15, 55, 0),
        _ if package => (90, 5, 5, 0),
        _ => (78, 14, 6, 2),
    };
    dice.weighted(&[
        (TimeOfStudy::Day, day),
        (TimeOfStudy::Evening, evening),
        (TimeOfStudy::Mixed, mixed),
        (TimeOfStudy::Weekend, weekend),
    ])
}

/// Pace in percent: evening and weekend groups study part time, SFI often half or full time,
/// distance often half time, yrkesvux full time.
fn pace(dice: &mut Dice, spec: &CourseSpec, mode: StudyMode, time: TimeOfStudy) -> u64 {
    match (time, mode, spec.field) {
        (TimeOfStudy::Evening | TimeOfStudy::Weekend, ..) => dice.weighted(&[(25, 40), (50, 60)]),
        (_, _, Field::Sfi) => dice.weighted(&[(100, 40), (75, 15), (50, 35), (25, 10)]),
        (_, StudyMode::Distance, _) => dice.weighted(&[(50, 50), (25, 20), (100, 20), (75, 10)]),
        _ if spec.configuration == CourseConfiguration::Package => dice.weighted(&[(100, 75), (75, 10), (50, 15)]),
        _ => dice.weighted(&[(100, 45), (50, 35), (25, 12), (75, 8)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportioning_gives_every_part_its_floor_and_adds_up_exactly() {
        let parts = apportion(&[985, 12, 115, 1], 6_000, 30);
        assert_eq!(parts.iter().sum::<u64>(), 6_000);
        assert!(parts.iter().all(|&p| p >= 30));
        assert!(parts[0] > parts[2] && parts[2] > parts[1] && parts[1] >= parts[3]);
    }

    #[test]
    fn intakes_are_mondays_around_today_in_august_january_and_five_week_steps() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        let intakes = intakes(today);
        assert!(intakes.iter().all(|(date, _)| date.weekday() == chrono::Weekday::Mon));
        assert!(intakes.iter().any(|(date, _)| *date == NaiveDate::from_ymd_opt(2026, 8, 17).unwrap()));
        assert!(intakes.iter().any(|(date, _)| *date == NaiveDate::from_ymd_opt(2027, 1, 11).unwrap()));
        assert!(intakes.iter().all(|(date, _)| *date >= today - Days::new(70) && *date <= today + Days::new(250)));
    }
}
