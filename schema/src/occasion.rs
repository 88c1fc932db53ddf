//! One occasion, however many sources list it.
//!
//! A municipality may publish its offering both in its own system and in Susa-navet, and an
//! entreprenör's course may reach the region through two municipalities' systems. Each source
//! gives the occasion its own [`PublicId`] (ids are per source and upstream id), so the same
//! occasion arrives twice. [`merge_duplicates`] keeps one.
//!
//! Two offerings from **different** sources are the same occasion when their [`OccasionKey`]s
//! are equal: the same course (its Skolverket code, or for a course without one its school form
//! and its title compared without case, spacing or punctuation), the same provider (its
//! organisation number, or its name compared the same way), the same municipality, start date,
//! continuous intake, study mode, time of study and pace. Offerings of one source are never
//! merged with each other: a source that lists two groups of the same course has two groups.
//!
//! Of a set of duplicates, the source whose record changed last is kept (the freshest data;
//! on a tie, the source whose id sorts first): all its offerings in the set stay, and each
//! other source's offering is merged into the first of them.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::{
    Course, MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider, PublicId, SchoolForm, StudyMode,
    TimeOfStudy,
};

/// What makes two offerings from different sources one occasion.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OccasionKey {
    course: CourseKey,
    provider: ProviderKey,
    municipality: MunicipalityCode,
    start: Option<NaiveDate>,
    continuous_intake: bool,
    mode: Option<StudyMode>,
    time_of_study: Option<TimeOfStudy>,
    pace: Pace,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CourseKey {
    Code(String),
    Title(SchoolForm, String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ProviderKey {
    OrgNumber(OrgNumber),
    Name(String),
}

impl OccasionKey {
    /// The key of `offering`, given its course and provider.
    pub fn of(offering: &Offering, course: &Course, provider: &Provider) -> Self {
        let course = match &course.code {
            Some(code) => CourseKey::Code(code.as_str().to_uppercase()),
            None => CourseKey::Title(course.school_form, folded(&course.title)),
        };
        let provider = match &provider.org_number {
            Some(number) => ProviderKey::OrgNumber(number.clone()),
            None => ProviderKey::Name(folded(&provider.name)),
        };
        Self {
            course,
            provider,
            municipality: offering.municipality,
            start: offering.schedule.start(),
            continuous_intake: offering.schedule.continuous_intake(),
            mode: offering.mode,
            time_of_study: offering.time_of_study,
            pace: offering.pace,
        }
    }
}

/// Lowercase words of letters and digits, one space apart: `Svenska 1, (distans)` and
/// `svenska 1 distans` fold alike.
fn folded(text: &str) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    words.join(" ")
}

/// An offering merged into another: the occasion is listed as `kept`.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// The merged offering's own id, which now names the kept one.
    pub id: PublicId,
    /// The offering the occasion is listed as.
    pub kept: PublicId,
    /// Where the merged record came from.
    pub provenance: Provenance,
}

/// The offerings with each occasion listed once, and the duplicates merged away, in the order
/// of `offerings`. An offering whose course or provider `course` or `provider` does not know is
/// kept as it is.
pub fn merge_duplicates<'a>(
    offerings: Vec<Offering>,
    course: impl Fn(PublicId) -> Option<&'a Course>,
    provider: impl Fn(PublicId) -> Option<&'a Provider>,
) -> (Vec<Offering>, Vec<Duplicate>) {
    let keys: Vec<Option<OccasionKey>> =
        offerings.iter().map(|o| Some(OccasionKey::of(o, course(o.course)?, provider(o.provider)?))).collect();
    let mut groups: HashMap<&OccasionKey, Vec<usize>> = HashMap::new();
    for (index, key) in keys.iter().enumerate() {
        if let Some(key) = key {
            groups.entry(key).or_default().push(index);
        }
    }

    // For each offering merged away, the index of the one it is listed as.
    let mut merged_into: Vec<Option<usize>> = vec![None; offerings.len()];
    for members in groups.values().filter(|members| members.len() > 1) {
        let Some(&freshest) = members.iter().max_by(|&&a, &&b| {
            let (a, b) = (&offerings[a].provenance, &offerings[b].provenance);
            a.last_changed.cmp(&b.last_changed).then_with(|| b.source.cmp(&a.source))
        }) else {
            continue;
        };
        let kept_source = &offerings[freshest].provenance.source;
        let Some(&first_kept) = members.iter().find(|&&i| offerings[i].provenance.source == *kept_source) else {
            continue;
        };
        for &member in members {
            if offerings[member].provenance.source != *kept_source {
                merged_into[member] = Some(first_kept);
            }
        }
    }

    let ids: Vec<PublicId> = offerings.iter().map(|o| o.id).collect();
    let mut kept = Vec::with_capacity(offerings.len());
    let mut duplicates = Vec::new();
    for (offering, target) in offerings.into_iter().zip(merged_into) {
        match target {
            Some(target) => {
                duplicates.push(Duplicate { id: offering.id, kept: ids[target], provenance: offering.provenance })
            }
            None => kept.push(offering),
        }
    }
    (kept, duplicates)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::{
        Application, CourseCode, CourseConfiguration, Eligibility, Language, Location, ProviderKind, Schedule, SourceId,
    };

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn course(code: Option<&str>, title: &str) -> Course {
        let code = code.map(|c| CourseCode::parse(c).unwrap());
        Course {
            id: match &code {
                Some(code) => PublicId::course_by_code(code),
                None => PublicId::local_course(&SourceId::parse("any").unwrap(), title),
            },
            code,
            local_code: None,
            title: title.to_owned(),
            description: None,
            school_form: SchoolForm::VuxGy,
            credits: None,
            subject: None,
            sun_field: None,
            vocational: false,
            configuration: CourseConfiguration::Course,
        }
    }

    fn provider(org_number: Option<&str>, name: &str) -> Provider {
        let org_number = org_number.map(|n| OrgNumber::parse(n).unwrap());
        Provider {
            id: match &org_number {
                Some(number) => PublicId::provider_by_org_number(number),
                None => PublicId::local_provider(&SourceId::parse("any").unwrap(), name),
            },
            name: name.to_owned(),
            org_number,
            kind: Some(ProviderKind::Kommunal),
            school_unit_code: None,
            municipality: None,
            web: None,
            email: None,
            phone: None,
        }
    }

    fn offering(source: &str, upstream_id: &str, course: &Course, provider: &Provider, changed: &str) -> Offering {
        let source = SourceId::parse(source).unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 18);
        Offering {
            id: PublicId::offering(&source, upstream_id),
            course: course.id,
            provider: provider.id,
            municipality: MunicipalityCode::parse("0126").unwrap(),
            title: None,
            location: Location::default(),
            schedule: Schedule::new(start, None, false).unwrap(),
            application: Application::new(None, None, false, None).unwrap(),
            pace: Pace::FULL_TIME,
            time_of_study: Some(TimeOfStudy::Day),
            mode: Some(StudyMode::OnSite),
            language: Some(Language::SWEDISH),
            seats: None,
            cancelled: false,
            apprenticeship: false,
            fee_sek: None,
            eligibility: Eligibility::Region,
            web: None,
            provenance: Provenance {
                configured: Default::default(),
                source,
                upstream_id: upstream_id.to_owned(),
                first_seen: at(changed),
                last_changed: at(changed),
                content_hash: String::new(),
                last_harvest: at(changed),
            },
        }
    }

    fn merge(offerings: Vec<Offering>, courses: &[Course], providers: &[Provider]) -> (Vec<Offering>, Vec<Duplicate>) {
        merge_duplicates(
            offerings,
            |id| courses.iter().find(|c| c.id == id),
            |id| providers.iter().find(|p| p.id == id),
        )
    }

    #[test]
    fn the_same_occasion_from_two_sources_is_listed_once_as_the_freshest_record() {
        let courses = [course(Some("SVESVE01"), "Svenska 1")];
        let providers = [provider(Some("2120000142"), "Huddinge vux")];
        let older = offering("huddinge-susa", "e.1", &courses[0], &providers[0], "2026-11-01T03:00:00Z");
        let newer = offering("huddinge-csv", "42", &courses[0], &providers[0], "2026-11-20T03:00:00Z");
        let (kept, duplicates) = merge(vec![older.clone(), newer.clone()], &courses, &providers);
        assert_eq!(kept, std::slice::from_ref(&newer));
        assert_eq!(duplicates, [Duplicate { id: older.id, kept: newer.id, provenance: older.provenance }]);
    }

    #[test]
    fn courses_without_a_code_and_providers_without_an_org_number_match_on_folded_names() {
        let courses = [course(None, "Undersköterska, yrkespaket"), course(None, "undersköterska  YRKESPAKET")];
        let providers = [provider(None, "Lärande i Sverige AB"), provider(None, "LÄRANDE I SVERIGE AB.")];
        let a = offering("a", "1", &courses[0], &providers[0], "2026-11-01T03:00:00Z");
        let b = offering("b", "1", &courses[1], &providers[1], "2026-11-01T03:00:00Z");
        let (kept, duplicates) = merge(vec![a.clone(), b.clone()], &courses, &providers);
        // A tie in freshness keeps the source whose id sorts first.
        assert_eq!(kept, std::slice::from_ref(&a));
        assert_eq!(duplicates.len(), 1);
        assert_eq!(duplicates[0].kept, a.id);
    }

    #[test]
    fn two_groups_of_one_source_are_both_listed_and_a_duplicate_from_another_source_joins_the_first() {
        let courses = [course(Some("MATMAT01a"), "Matematik 1a")];
        let providers = [provider(Some("2120000142"), "Huddinge vux")];
        let group_1 = offering("own", "g1", &courses[0], &providers[0], "2026-11-20T03:00:00Z");
        let group_2 = offering("own", "g2", &courses[0], &providers[0], "2026-11-20T03:00:00Z");
        let other = offering("other", "x", &courses[0], &providers[0], "2026-11-01T03:00:00Z");
        let (kept, duplicates) = merge(vec![other.clone(), group_1.clone(), group_2.clone()], &courses, &providers);
        assert_eq!(kept, [group_1.clone(), group_2]);
        assert_eq!(duplicates.len(), 1);
        assert_eq!((duplicates[0].id, duplicates[0].kept), (other.id, group_1.id));
    }

    #[test]
    fn occasions_that_differ_in_start_mode_time_pace_course_or_provider_are_all_kept() {
        let courses = [course(Some("MATMAT01a"), "Matematik 1a"), course(Some("MATMAT01b"), "Matematik 1b")];
        let providers = [provider(Some("2120000142"), "Huddinge vux"), provider(None, "Hermods")];
        let base = offering("a", "base", &courses[0], &providers[0], "2026-11-01T03:00:00Z");
        let mut variants = vec![base.clone()];
        let mut vary = |index: usize, change: &dyn Fn(&mut Offering)| {
            let mut other = offering("b", &index.to_string(), &courses[0], &providers[0], "2026-11-01T03:00:00Z");
            change(&mut other);
            variants.push(other);
        };
        vary(1, &|o| o.schedule = Schedule::new(chrono::NaiveDate::from_ymd_opt(2027, 1, 19), None, false).unwrap());
        vary(2, &|o| o.mode = Some(StudyMode::Distance));
        vary(3, &|o| o.time_of_study = Some(TimeOfStudy::Evening));
        vary(4, &|o| o.pace = Pace::new(50).unwrap());
        vary(5, &|o| o.course = courses[1].id);
        vary(6, &|o| o.provider = providers[1].id);
        vary(7, &|o| o.municipality = MunicipalityCode::parse("0180").unwrap());
        let (kept, duplicates) = merge(variants.clone(), &courses, &providers);
        assert_eq!(kept, variants);
        assert!(duplicates.is_empty());
    }

    #[test]
    fn an_offering_whose_course_is_unknown_is_kept_as_it_is() {
        let courses = [course(Some("SVESVE01"), "Svenska 1")];
        let providers = [provider(Some("2120000142"), "Huddinge vux")];
        let a = offering("a", "1", &courses[0], &providers[0], "2026-11-01T03:00:00Z");
        let b = offering("b", "1", &courses[0], &providers[0], "2026-11-01T03:00:00Z");
        let (kept, _) = merge(vec![a.clone(), b.clone()], &[], &providers);
        assert_eq!(kept, [a, b]);
    }
}
