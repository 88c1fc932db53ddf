use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::NaiveDate;
use vuxnav_schema::{CourseConfiguration, CreditsSystem, Region, SchoolForm, StudyMode};

use super::courses::COURSES;
use super::{ConnectorKind, DemoSource, Scale, generate};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
}

/// The regional data for seed 42, generated once for all tests that only read it.
fn regional() -> &'static [DemoSource] {
    static DATA: OnceLock<Vec<DemoSource>> = OnceLock::new();
    DATA.get_or_init(|| generate(42, Scale::Regional, today()))
}

fn offerings(sources: &[DemoSource]) -> impl Iterator<Item = &vuxnav_schema::Offering> {
    sources.iter().flat_map(|s| &s.catalogue.offerings)
}

fn count_by_name(sources: &[DemoSource]) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<_> =
        sources.iter().map(|s| (s.municipality.municipality().name, s.catalogue.offerings.len())).collect();
    counts.sort_by_key(|&(name, count)| (std::cmp::Reverse(count), name));
    counts
}

#[test]
fn the_same_seed_gives_identical_output() {
    let again = generate(42, Scale::Regional, today());
    assert_eq!(again, regional());
    assert_eq!(format!("{:?}", again[0]), format!("{:?}", regional()[0]));
}

#[test]
fn a_different_seed_gives_different_data() {
    let other = generate(43, Scale::Regional, today());
    assert_ne!(other, regional());
    let hashes =
        |sources: &[DemoSource]| offerings(sources).map(|o| o.provenance.content_hash.clone()).collect::<BTreeSet<_>>();
    assert!(hashes(&other).intersection(&hashes(regional())).count() < 100);
}

#[test]
fn the_region_has_all_26_municipalities_and_stockholm_is_by_far_the_largest() {
    let sources = regional();
    let codes: Vec<_> = sources.iter().map(|s| s.municipality).collect();
    assert_eq!(codes, Region::default().municipalities());
    let total = offerings(sources).count();
    assert!((5_000..=7_000).contains(&total), "{total} offerings");
    let counts = count_by_name(sources);
    assert_eq!(counts[0].0, "Stockholm");
    assert!(counts[0].1 > 4 * counts[1].1, "{counts:?}");
    assert!((0.25..0.35).contains(&(counts[0].1 as f64 / total as f64)), "{counts:?}");
    let smallest: Vec<_> = counts.iter().rev().take(4).map(|(name, _)| *name).collect();
    assert!(smallest.contains(&"Nykvarn") && smallest.contains(&"Vaxholm"), "{counts:?}");
    assert!(counts.iter().all(|(_, count)| *count >= 30), "{counts:?}");
}

#[test]
fn every_connector_kind_is_used_and_susa_navet_most() {
    let mut kinds: BTreeMap<ConnectorKind, usize> = BTreeMap::new();
    for source in regional() {
        *kinds.entry(source.kind).or_default() += 1;
    }
    assert_eq!(kinds.keys().copied().collect::<Vec<_>>(), ConnectorKind::ALL);
    assert_eq!(kinds.iter().max_by_key(|(_, n)| **n).map(|(kind, _)| kind.as_str()), Some("susa_navet"));
    let stockholm = regional().iter().find(|s| s.id.as_str() == "0180-stockholm").unwrap();
    assert_eq!(stockholm.kind, ConnectorKind::Ss12000);
}

#[test]
fn every_offering_refers_to_a_course_and_a_provider_of_its_own_source() {
    for source in regional() {
        let catalogue = &source.catalogue;
        let courses: BTreeSet<_> = catalogue.courses.iter().map(|c| c.id).collect();
        let providers: BTreeSet<_> = catalogue.providers.iter().map(|p| p.id).collect();
        for offering in &catalogue.offerings {
            assert!(courses.contains(&offering.course), "{}: {offering:?}", source.id);
            assert!(providers.contains(&offering.provider), "{}: {offering:?}", source.id);
            assert_eq!(offering.municipality, source.municipality);
            assert_eq!(offering.provenance.source, source.id);
        }
        let used: BTreeSet<_> = catalogue.offerings.iter().map(|o| o.course).collect();
        assert_eq!(used, courses, "{} lists courses it does not offer", source.id);
    }
}

#[test]
fn all_ids_are_unique() {
    let sources = regional();
    let source_ids: BTreeSet<_> = sources.iter().map(|s| &s.id).collect();
    assert_eq!(source_ids.len(), sources.len());
    let offering_ids: BTreeSet<_> = offerings(sources).map(|o| o.id).collect();
    assert_eq!(offering_ids.len(), offerings(sources).count());
    for source in sources {
        let catalogue = &source.catalogue;
        let upstream: BTreeSet<_> = catalogue.offerings.iter().map(|o| &o.provenance.upstream_id).collect();
        assert_eq!(upstream.len(), catalogue.offerings.len(), "{}", source.id);
        let courses: BTreeSet<_> = catalogue.courses.iter().map(|c| c.id).collect();
        assert_eq!(courses.len(), catalogue.courses.len(), "{}", source.id);
        let providers: BTreeSet<_> = catalogue.providers.iter().map(|p| p.id).collect();
        assert_eq!(providers.len(), catalogue.providers.len(), "{}", source.id);
    }
}

#[test]
fn upstream_ids_look_like_each_kinds_own() {
    for source in regional() {
        let id = &source.catalogue.offerings[0].provenance.upstream_id;
        let ok = match source.kind {
            ConnectorKind::SusaNavet | ConnectorKind::PlannedEducations => {
                id.starts_with(&format!("e.IST.{}", source.municipality))
            }
            ConnectorKind::Ss12000 => uuid::Uuid::parse_str(id).is_ok(),
            ConnectorKind::Csv => id.bytes().all(|b| b.is_ascii_digit()),
            ConnectorKind::JsonApi => id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        };
        assert!(ok, "{} ({}): {id}", source.id, source.kind.as_str());
    }
}

#[test]
fn every_komvux_school_form_is_offered_in_a_komvux_like_mix() {
    let forms: BTreeMap<SchoolForm, usize> = regional()
        .iter()
        .flat_map(|s| {
            let form_of = |id| s.catalogue.courses.iter().find(|c| c.id == id).map(|c| c.school_form);
            s.catalogue.offerings.iter().filter_map(move |o| form_of(o.course))
        })
        .fold(BTreeMap::new(), |mut forms, form| {
            *forms.entry(form).or_default() += 1;
            forms
        });
    let komvux: Vec<_> = SchoolForm::ALL.iter().copied().filter(|f| f.is_komvux()).collect();
    assert_eq!(forms.keys().copied().collect::<Vec<_>>(), komvux);
    let total = forms.values().sum::<usize>() as f64;
    let share = |form| forms[&form] as f64 / total;
    assert!((0.15..0.30).contains(&share(SchoolForm::VuxSfi)), "{forms:?}");
    assert!((0.10..0.25).contains(&share(SchoolForm::VuxGr)), "{forms:?}");
    assert!((0.45..0.70).contains(&share(SchoolForm::VuxGy)), "{forms:?}");
    assert!((0.01..0.06).contains(&share(SchoolForm::VuxGran)), "{forms:?}");
}

#[test]
fn offerings_vary_as_real_ones_do() {
    let all: Vec<_> = offerings(regional()).collect();
    let share = |pred: &dyn Fn(&&vuxnav_schema::Offering) -> bool| {
        all.iter().filter(|o| pred(o)).count() as f64 / all.len() as f64
    };
    let distance = share(&|o| o.mode == Some(StudyMode::Distance));
    let continuous = share(&|o| o.schedule.continuous_intake());
    let cancelled = share(&|o| o.cancelled);
    let open = share(&|o| o.application.is_open_on(today()));
    let english = share(&|o| o.language.is_some_and(|l| l.as_str() == "eng"));
    assert!((0.15..0.35).contains(&distance), "distance {distance}");
    assert!((0.25..0.45).contains(&continuous), "continuous {continuous}");
    assert!((0.005..0.04).contains(&cancelled), "cancelled {cancelled}");
    assert!((0.35..0.75).contains(&open), "open for application {open}");
    assert!((0.005..0.05).contains(&english), "english {english}");
    assert!(all.iter().any(|o| o.apprenticeship));
    assert!(all.iter().all(|o| o.fee_sek.is_none()));
    assert!(all.iter().all(|o| o.seats.is_none_or(|s| (15..=35).contains(&s))));
    for o in all.iter().filter(|o| !o.schedule.continuous_intake()) {
        let (start, end) = (o.schedule.start().unwrap(), o.schedule.end().unwrap());
        assert!(end >= today(), "{o:?}");
        assert!(start <= today() + chrono::Days::new(250), "{o:?}");
    }
    let places: BTreeSet<_> = all.iter().filter_map(|o| o.location.name.as_deref()).collect();
    assert!(places.contains("Vuxenutbildningscentrum Flemingsberg"), "{places:?}");
}

#[test]
fn courses_carry_real_codes_subjects_and_credits() {
    for course in regional().iter().flat_map(|s| &s.catalogue.courses) {
        assert!(course.subject.is_some() && course.description.is_some(), "{course:?}");
        let credits = course.credits.map(|c| (c.system, c.value));
        match (course.school_form, course.configuration) {
            (_, CourseConfiguration::Package) => {
                assert!(course.vocational, "{course:?}");
                assert!(matches!(credits, Some((CreditsSystem::Gy, v)) if (800.0..=1600.0).contains(&v)), "{course:?}");
            }
            (SchoolForm::VuxSfi, _) => assert_eq!(credits, None),
            (SchoolForm::VuxGr | SchoolForm::VuxGran, _) => assert_eq!(credits.map(|c| c.0), Some(CreditsSystem::Vp)),
            _ => assert_eq!(credits.map(|c| c.0), Some(CreditsSystem::Gy)),
        }
    }
    let matte = regional().iter().flat_map(|s| &s.catalogue.courses).find(|c| c.title == "Matematik 1b").unwrap();
    assert_eq!(matte.code.as_ref().map(|c| c.as_str()), Some("MATMAT01b"));
    assert!(COURSES.iter().filter(|c| c.configuration == CourseConfiguration::Course).count() >= 150);
}

#[test]
fn a_national_course_has_one_id_everywhere_and_a_package_is_each_sources_own() {
    let ids_of = |title: &str| {
        regional()
            .iter()
            .flat_map(|s| &s.catalogue.courses)
            .filter(|c| c.title == title)
            .map(|c| c.id)
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(ids_of("Svenska som andraspråk 1").len(), 1);
    assert!(ids_of("Undersköterska").len() > 5);
}

#[test]
fn private_providers_work_in_several_municipalities_under_one_id() {
    let mut municipalities_of: BTreeMap<_, BTreeSet<_>> = BTreeMap::new();
    for source in regional() {
        for provider in &source.catalogue.providers {
            municipalities_of.entry((provider.id, provider.kind)).or_default().insert(source.municipality);
        }
    }
    let private: Vec<_> =
        municipalities_of.iter().filter(|((_, kind), _)| *kind == Some(vuxnav_schema::ProviderKind::Enskild)).collect();
    assert!(private.len() >= 15, "{}", private.len());
    assert!(private.iter().filter(|(_, m)| m.len() >= 3).count() >= 5);
    for source in regional() {
        let own = &source.catalogue.providers[0];
        assert_eq!(own.kind, Some(vuxnav_schema::ProviderKind::Kommunal));
        assert!(own.email.as_deref().is_some_and(|e| e.starts_with("vux@") && e.ends_with(".example")));
        assert!(source.catalogue.providers.len() >= 2, "{}", source.id);
    }
}

#[test]
fn larger_municipalities_offer_yrkesvux_packages() {
    for source in regional().iter().filter(|s| s.catalogue.offerings.len() >= 150) {
        let packages =
            source.catalogue.courses.iter().filter(|c| c.configuration == CourseConfiguration::Package).count();
        assert!(packages >= 3, "{} has {packages} packages", source.id);
    }
}

#[test]
fn the_national_scale_has_all_290_municipalities_and_about_300_000_offerings() {
    let started = std::time::Instant::now();
    let sources = generate(7, Scale::National, today());
    let elapsed = started.elapsed();
    assert_eq!(sources.len(), 290);
    let total = offerings(&sources).count();
    assert!((280_000..=320_000).contains(&total), "{total}");
    let counts = count_by_name(&sources);
    assert_eq!((counts[0].0, counts[1].0), ("Stockholm", "Göteborg"), "{:?}", &counts[..5]);
    let kinds: BTreeSet<_> = sources.iter().map(|s| s.kind).collect();
    assert_eq!(kinds.len(), 5);
    eprintln!("national scale: {total} offerings in {elapsed:?}");
}

#[test]
fn no_course_code_extends_another_by_digits_so_susa_style_ids_stay_unique() {
    // `e.IST.<kommunkod><CODE><n>` can be read back only if no code is another plus digits.
    let codes: Vec<String> = COURSES.iter().map(|c| super::util::ascii_upper(c.code)).collect();
    assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), codes.len());
    for (a, b) in codes.iter().flat_map(|a| codes.iter().map(move |b| (a, b))) {
        let extends =
            b.strip_prefix(a.as_str()).is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|x| x.is_ascii_digit()));
        assert!(!extends, "{b} is {a} followed by digits");
    }
}
