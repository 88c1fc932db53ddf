//! Read-model behaviour on a small, explicit catalogue.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use vuxnav_schema::{
    Application, Catalogue, Course, CourseCode, CourseConfiguration, Credits, CreditsSystem, Eligibility, Language,
    Location, MunicipalityCode, Offering, Pace, Provenance, Provider, ProviderKind, PublicId, Schedule, SchoolForm,
    SourceId, StudyMode, TimeOfStudy,
};

use super::*;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn course(code: &str, title: &str, form: SchoolForm, subject: &str) -> Course {
    let code = CourseCode::parse(code).unwrap();
    Course {
        id: PublicId::course_by_code(&code),
        code: Some(code),
        local_code: None,
        title: title.into(),
        description: None,
        school_form: form,
        credits: Some(Credits::new(CreditsSystem::Gy, 100.0).unwrap()),
        subject: Some(subject.into()),
        sun_field: None,
        vocational: false,
        configuration: CourseConfiguration::Course,
    }
}

struct Spec {
    course: usize,
    municipality: &'static str,
    town: &'static str,
    start: Option<&'static str>,
    continuous: bool,
    mode: Option<StudyMode>,
    time: TimeOfStudy,
    pace: i64,
    /// The offering's own title.
    title: Option<&'static str>,
    cancelled: bool,
    apprenticeship: bool,
    application: (Option<&'static str>, Option<&'static str>, bool),
}

fn spec(course: usize, municipality: &'static str, start: Option<&'static str>) -> Spec {
    Spec {
        course,
        municipality,
        town: "Centrum",
        start,
        continuous: start.is_none(),
        mode: Some(StudyMode::OnSite),
        time: TimeOfStudy::Day,
        pace: 100,
        title: None,
        cancelled: false,
        apprenticeship: false,
        application: (None, None, start.is_none()),
    }
}

fn catalogue(specs: Vec<Spec>) -> Catalogue {
    let source = SourceId::parse("test").unwrap();
    let courses = vec![
        course("SVASVA01", "Svenska som andraspråk 1", SchoolForm::VuxGy, "Svenska som andraspråk"),
        course("MATMAT01c", "Matematik 1c", SchoolForm::VuxGy, "Matematik"),
        course("SFIKURB", "Svenska för invandrare, kurs B", SchoolForm::VuxSfi, "Svenska för invandrare"),
        course("ENGENG05", "Engelska 5", SchoolForm::VuxGy, "Engelska"),
        course("ZOOZOO01", "Zoologi", SchoolForm::VuxGy, "Zoologi"),
        course("AKEAKE01", "Åkeri och transport", SchoolForm::VuxGy, "Transport"),
        course("ORIORI01", "Örtagårdsodling", SchoolForm::VuxGy, "Odling"),
        course("ALAALA01", "Ädelstenar", SchoolForm::VuxGy, "Geologi"),
        course("VÅRVÅR01", "Vård och omsorg", SchoolForm::VuxGy, "Vård och omsorg"),
        course("HEMHEM01", "Vardagsekonomi", SchoolForm::VuxGr, "Hemkunskap"),
    ];
    let provider = Provider {
        id: PublicId::local_provider(&source, "p1"),
        name: "Vuxenutbildningscentrum".into(),
        org_number: None,
        kind: Some(ProviderKind::Kommunal),
        school_unit_code: None,
        municipality: None,
        web: None,
        email: None,
        phone: None,
    };
    let at: DateTime<Utc> = "2026-11-01T03:00:00Z".parse().unwrap();
    let offerings = specs
        .into_iter()
        .enumerate()
        .map(|(i, s)| Offering {
            id: PublicId::offering(&source, &format!("o{i}")),
            course: courses[s.course].id,
            provider: provider.id,
            municipality: MunicipalityCode::parse(s.municipality).unwrap(),
            title: s.title.map(Into::into),
            location: Location { town: Some(s.town.into()), ..Location::default() },
            schedule: Schedule::new(s.start.map(date), None, s.continuous).unwrap(),
            application: Application::new(s.application.0.map(date), s.application.1.map(date), s.application.2, None)
                .unwrap(),
            pace: Pace::new(s.pace).unwrap(),
            time_of_study: Some(s.time),
            mode: s.mode,
            language: Some(Language::SWEDISH),
            seats: Some(30),
            cancelled: s.cancelled,
            apprenticeship: s.apprenticeship,
            fee_sek: None,
            eligibility: Eligibility::Region,
            web: None,
            provenance: Provenance {
                configured: Default::default(),
                source: source.clone(),
                upstream_id: format!("o{i}"),
                first_seen: at,
                last_changed: at,
                content_hash: String::new(),
                last_harvest: at,
            },
        })
        .collect();
    Catalogue { providers: vec![provider], courses, offerings }
}

fn model(specs: Vec<Spec>) -> ReadModel {
    ReadModel::build(catalogue(specs)).unwrap()
}

fn query() -> OfferingQuery {
    OfferingQuery { first: 100, ..OfferingQuery::default() }
}

fn titles(model: &ReadModel, query: &OfferingQuery) -> Vec<String> {
    let page = model.search(query).unwrap();
    page.items.iter().map(|(o, _)| model.course(o.course).unwrap().title.clone()).collect()
}

/// A varied catalogue: each of the first eight courses in Huddinge and Stockholm, in two terms
/// and with continuous intake.
fn varied() -> ReadModel {
    model(varied_specs())
}

fn varied_specs() -> Vec<Spec> {
    let mut specs = Vec::new();
    for course in 0..8 {
        for (municipality, town) in [("0126", "Flemingsberg"), ("0180", "Kista")] {
            for start in [Some("2027-01-11"), Some("2026-08-17"), None] {
                let mut s = spec(course, municipality, start);
                s.town = town;
                s.mode = Some(if course % 3 == 0 { StudyMode::Distance } else { StudyMode::OnSite });
                s.time = if course % 2 == 0 { TimeOfStudy::Evening } else { TimeOfStudy::Day };
                s.pace = if course % 2 == 0 { 50 } else { 100 };
                s.application = (Some("2026-10-01"), Some("2026-11-30"), start.is_none());
                specs.push(s);
            }
        }
    }
    specs
}

#[test]
fn svenskan_finds_svenska_by_its_stem() {
    let model = varied();
    let found = titles(&model, &OfferingQuery { text: Some("svenskan".into()), ..query() });
    assert!(!found.is_empty());
    assert!(found.iter().all(|t| t.starts_with("Svenska")), "{found:?}");
}

#[test]
fn matematk_finds_matematik_despite_the_typo() {
    let model = varied();
    let found = titles(&model, &OfferingQuery { text: Some("matematk".into()), ..query() });
    assert_eq!(found.len(), 6);
    assert!(found.iter().all(|t| t == "Matematik 1c"));
}

#[test]
fn every_word_of_the_text_must_match_and_places_count() {
    let model = varied();
    let page = model.search(&OfferingQuery { text: Some("engelska kista".into()), ..query() }).unwrap();
    assert_eq!(page.total_count, 3);
    assert!(page.items.iter().all(|(o, _)| o.municipality.as_str() == "0180"));
}

#[test]
fn sorting_by_title_follows_swedish_collation() {
    let model = varied();
    let mut found = titles(&model, &OfferingQuery { order: OfferingOrder::Title, ..query() });
    found.dedup();
    assert_eq!(
        found,
        [
            "Engelska 5",
            "Matematik 1c",
            "Svenska för invandrare, kurs B",
            "Svenska som andraspråk 1",
            "Zoologi",
            "Åkeri och transport",
            "Ädelstenar",
            "Örtagårdsodling"
        ]
    );
    let mut backwards = titles(&model, &OfferingQuery { order: OfferingOrder::Title, descending: true, ..query() });
    backwards.dedup();
    found.reverse();
    assert_eq!(backwards, found);
}

#[test]
fn facets_add_up_to_the_total_under_the_filter_and_their_own_to_the_total_without_it() {
    let model = varied();
    let q = OfferingQuery {
        filter: OfferingFilter { modes: vec![StudyMode::OnSite], ..OfferingFilter::default() },
        facets: true,
        ..query()
    };
    let page = model.search(&q).unwrap();
    let facets = page.facets.unwrap();
    for counts in [
        facets.municipality.iter().map(|c| c.1).sum::<u64>(),
        facets.school_form.iter().map(|c| c.1).sum(),
        facets.time_of_study.iter().map(|c| c.1).sum(),
        facets.language.iter().map(|c| c.1).sum(),
    ] {
        assert_eq!(counts, page.total_count);
    }
    let unfiltered = total(&model, &query());
    assert_eq!(facets.mode.iter().map(|c| c.1).sum::<u64>(), unfiltered);
    assert!(facets.mode.contains(&(Some(StudyMode::OnSite), page.total_count)));
}

#[test]
fn walking_every_page_returns_each_offering_exactly_once_in_every_order() {
    let model = varied();
    for order in [OfferingOrder::Relevance, OfferingOrder::StartDate, OfferingOrder::Title, OfferingOrder::Municipality]
    {
        for descending in [false, true] {
            for text in [None, Some("svenska")] {
                let mut q = OfferingQuery { order, descending, text: text.map(Into::into), first: 5, ..query() };
                let total = model.search(&q).unwrap().total_count;
                let mut seen = HashSet::new();
                loop {
                    let page = model.search(&q).unwrap();
                    for (offering, _) in &page.items {
                        assert!(seen.insert(offering.id), "{order:?} {descending} {text:?}: repeated");
                    }
                    if !page.has_next_page {
                        break;
                    }
                    q.after = page.items.last().map(|(_, cursor)| cursor.clone());
                }
                assert_eq!(seen.len() as u64, total, "{order:?} {descending} {text:?}");
            }
        }
    }
}

#[test]
fn a_cursor_from_nowhere_is_a_bad_cursor() {
    let model = varied();
    let q = OfferingQuery { after: Some("bm90LWEtY3Vyc29y".into()), ..query() };
    assert_eq!(model.search(&q).unwrap_err(), QueryError::BadCursor);
}

#[test]
fn start_date_order_puts_continuous_intake_first() {
    let model = varied();
    let page = model.search(&OfferingQuery { order: OfferingOrder::StartDate, ..query() }).unwrap();
    let starts: Vec<Option<NaiveDate>> = page.items.iter().map(|(o, _)| o.schedule.start()).collect();
    assert_eq!(starts.first(), Some(&None));
    let dated: Vec<NaiveDate> = starts.into_iter().flatten().collect();
    assert!(dated.is_sorted());
}

#[test]
fn filters_combine_with_and_and_values_with_or() {
    let model = varied();
    let huddinge = MunicipalityCode::parse("0126").unwrap();
    let q = OfferingQuery {
        filter: OfferingFilter {
            municipalities: vec![huddinge],
            school_forms: vec![SchoolForm::VuxSfi, SchoolForm::VuxGy],
            times_of_study: vec![TimeOfStudy::Evening],
            pace_max: Some(Pace::new(50).unwrap()),
            ..OfferingFilter::default()
        },
        ..query()
    };
    let page = model.search(&q).unwrap();
    assert_eq!(page.total_count, 4 * 3);
    assert!(page.items.iter().all(|(o, _)| o.municipality == huddinge && o.pace.percent() == 50));
}

#[test]
fn a_start_window_keeps_continuous_intake_and_dates_inside_it() {
    let model = varied();
    let q = OfferingQuery {
        filter: OfferingFilter {
            start_from: Some(date("2026-08-01")),
            start_to: Some(date("2026-12-31")),
            ..OfferingFilter::default()
        },
        ..query()
    };
    let page = model.search(&q).unwrap();
    assert_eq!(page.total_count, 8 * 2 * 2);
    assert!(
        page.items
            .iter()
            .all(|(o, _)| o.schedule.continuous_intake() || o.schedule.start() == Some(date("2026-08-17")))
    );
}

#[test]
fn open_for_application_follows_the_window_and_continuous_application() {
    let model = varied();
    let on = |d: &str| {
        let q = OfferingQuery {
            filter: OfferingFilter { open_for_application_on: Some(date(d)), ..OfferingFilter::default() },
            ..query()
        };
        model.search(&q).unwrap().total_count
    };
    assert_eq!(on("2026-11-01"), 48);
    assert_eq!(on("2026-12-15"), 16);
    assert_eq!(on("2026-09-01"), 0);
}

#[test]
fn cancelled_offerings_are_left_out_unless_asked_for() {
    let mut cancelled = spec(0, "0126", Some("2026-08-17"));
    cancelled.cancelled = true;
    let model = model(vec![cancelled, spec(0, "0126", None)]);
    assert_eq!(model.search(&query()).unwrap().total_count, 1);
    let all =
        OfferingQuery { filter: OfferingFilter { include_cancelled: true, ..OfferingFilter::default() }, ..query() };
    assert_eq!(model.search(&all).unwrap().total_count, 2);
}

#[test]
fn courses_are_found_by_id_and_by_code_in_any_case() {
    let model = varied();
    let code = CourseCode::parse("matmat01C").unwrap();
    let course = model.course_by_code(&code).unwrap();
    assert_eq!(course.title, "Matematik 1c");
    assert_eq!(model.course(course.id).unwrap().id, course.id);
    assert_eq!(model.courses().len(), 8);
}

#[test]
fn subjects_filter_by_name_or_subject_code() {
    let model = varied();
    let by = |subject: &str| {
        let q = OfferingQuery {
            filter: OfferingFilter { subjects: vec![subject.into()], ..OfferingFilter::default() },
            ..query()
        };
        model.search(&q).unwrap().total_count
    };
    assert_eq!(by("matematik"), 6);
    assert_eq!(by("MAT"), 6);
    assert_eq!(by("no such subject"), 0);
}

#[test]
fn an_occasion_two_sources_list_is_found_once_by_either_id_and_names_the_other_source() {
    let mut catalogue = catalogue(vec![spec(1, "0126", Some("2027-01-18")), spec(1, "0126", Some("2027-08-16"))]);
    // The same Huddinge occasion from the municipality's CSV export, with its own provider
    // record (same name, no org number) and changed later.
    let other = SourceId::parse("huddinge-csv").unwrap();
    let mut provider = catalogue.providers[0].clone();
    provider.id = PublicId::local_provider(&other, "VUX");
    let mut duplicate = catalogue.offerings[0].clone();
    duplicate.id = PublicId::offering(&other, "rad-7");
    duplicate.provider = provider.id;
    duplicate.provenance.source = other.clone();
    duplicate.provenance.upstream_id = "rad-7".into();
    duplicate.provenance.last_changed = "2026-11-20T03:00:00Z".parse().unwrap();
    let original = catalogue.offerings[0].clone();
    catalogue.providers.push(provider);
    catalogue.offerings.push(duplicate.clone());
    let model = ReadModel::build(catalogue).unwrap();

    let page = model.search(&query()).unwrap();
    assert_eq!(page.total_count, 2, "the two starts, the shared one once");
    let found: Vec<PublicId> = page.items.iter().map(|(o, _)| o.id).collect();
    assert!(found.contains(&duplicate.id), "the record changed last is the one listed: {found:?}");
    assert!(!found.contains(&original.id));
    assert_eq!(model.offering(original.id).map(|o| o.id), Some(duplicate.id));
    assert_eq!(model.also_listed(duplicate.id), [original.provenance]);
    assert!(model.also_listed(found.iter().copied().find(|id| *id != duplicate.id).unwrap()).is_empty());
}

fn total(model: &ReadModel, query: &OfferingQuery) -> u64 {
    model.search(query).unwrap().total_count
}

fn text_query(text: &str) -> OfferingQuery {
    OfferingQuery { text: Some(text.into()), ..query() }
}

fn filtered(filter: OfferingFilter) -> OfferingQuery {
    OfferingQuery { filter, ..query() }
}

#[test]
fn vard_without_the_ring_finds_the_vard_course_and_ranks_it_above_vardagsekonomi() {
    let model = model(vec![spec(8, "0126", Some("2027-01-11")), spec(9, "0126", Some("2027-01-11"))]);
    for word in ["vård", "vard"] {
        assert_eq!(titles(&model, &text_query(word)), ["Vård och omsorg", "Vardagsekonomi"], "{word}");
    }
    assert_eq!(titles(&model, &text_query("vårdens")), ["Vård och omsorg"], "a Swedish inflection");
    assert_eq!(titles(&model, &text_query("vardens")), ["Vård och omsorg"], "the same without the ring");
}

#[test]
fn the_words_for_school_forms_modes_and_times_of_study_find_every_offering_of_their_kind() {
    let mut specs = varied_specs();
    specs[0].apprenticeship = true;
    let model = model(specs);
    let by = |filter: OfferingFilter| total(&model, &filtered(filter));
    let cases = [
        ("komvux", total(&model, &query())),
        ("gymnasial", by(OfferingFilter { school_forms: vec![SchoolForm::VuxGy], ..OfferingFilter::default() })),
        ("sfi", by(OfferingFilter { school_forms: vec![SchoolForm::VuxSfi], ..OfferingFilter::default() })),
        ("distans", by(OfferingFilter { modes: vec![StudyMode::Distance], ..OfferingFilter::default() })),
        ("kväll", by(OfferingFilter { times_of_study: vec![TimeOfStudy::Evening], ..OfferingFilter::default() })),
        ("kvall", by(OfferingFilter { times_of_study: vec![TimeOfStudy::Evening], ..OfferingFilter::default() })),
        ("lärling", 1),
        ("larlingar", 1),
    ];
    for (word, expected) in cases {
        assert!(expected > 0, "{word}: the catalogue has none");
        assert_eq!(total(&model, &text_query(word)), expected, "{word}");
    }
    let evening_distance = OfferingFilter {
        modes: vec![StudyMode::Distance],
        times_of_study: vec![TimeOfStudy::Evening],
        ..OfferingFilter::default()
    };
    assert_eq!(total(&model, &text_query("distans kväll")), by(evening_distance), "two kinds narrow each other");
}

#[test]
fn a_title_match_ranks_above_a_keyword_match() {
    let model = varied();
    let found = titles(&model, &OfferingQuery { text: Some("distans engelska".into()), ..query() });
    assert!(!found.is_empty());
    assert!(found.iter().all(|t| t == "Engelska 5"), "{found:?}");
}

#[test]
fn continuous_intake_without_an_application_window_is_open_for_application_any_day() {
    let mut no_window = spec(0, "0126", None);
    no_window.application = (None, None, false);
    let mut closed = spec(1, "0126", None);
    closed.application = (Some("2026-09-01"), Some("2026-10-01"), false);
    let mut dated_without_window = spec(2, "0126", Some("2027-01-11"));
    dated_without_window.application = (None, None, false);
    let model = model(vec![no_window, closed, dated_without_window]);
    let open_on = |date: &str| {
        let page = model
            .search(&filtered(OfferingFilter {
                open_for_application_on: Some(self::date(date)),
                ..OfferingFilter::default()
            }))
            .unwrap();
        page.items.iter().map(|(o, _)| model.course(o.course).unwrap().title.clone()).collect::<Vec<_>>()
    };
    assert_eq!(open_on("2026-11-27"), ["Svenska som andraspråk 1"]);
    assert_eq!(open_on("2026-09-15"), ["Matematik 1c", "Svenska som andraspråk 1"]);
}

/// Each offering's start in a page: `Ok(date)`, `Err(true)` for continuous intake and
/// `Err(false)` for no known start.
fn starts(model: &ReadModel, query: &OfferingQuery) -> Vec<Result<NaiveDate, bool>> {
    let page = model.search(query).unwrap();
    page.items.iter().map(|(o, _)| o.schedule.start().ok_or(o.schedule.continuous_intake())).collect()
}

/// The varied catalogue, and for each course an offering in Huddinge whose start is not known.
fn with_undated() -> ReadModel {
    let mut specs = varied_specs();
    for course in 0..8 {
        let mut undated = spec(course, "0126", None);
        undated.continuous = false;
        undated.application = (None, None, false);
        specs.push(undated);
    }
    model(specs)
}

#[test]
fn by_start_date_continuous_intake_counts_as_the_earliest_start_and_unknown_starts_come_last_both_ways() {
    let model = with_undated();
    let ascending = starts(&model, &OfferingQuery { order: OfferingOrder::StartDate, ..query() });
    let descending = starts(&model, &OfferingQuery { order: OfferingOrder::StartDate, descending: true, ..query() });
    let (aug, jan) = (Ok(date("2026-08-17")), Ok(date("2027-01-11")));
    let runs = |starts: &[Result<NaiveDate, bool>]| {
        let mut runs = starts.to_vec();
        runs.dedup();
        runs
    };
    assert_eq!(runs(&ascending), [Err(true), aug, jan, Err(false)]);
    assert_eq!(runs(&descending), [jan, aug, Err(true), Err(false)]);
}

#[test]
fn unknown_starts_come_last_among_equal_titles_and_municipalities_in_both_directions() {
    let model = with_undated();
    for order in [OfferingOrder::Title, OfferingOrder::Municipality, OfferingOrder::Relevance] {
        for descending in [false, true] {
            for text in [None, Some("svenska")] {
                let q = OfferingQuery { order, descending, text: text.map(Into::into), ..query() };
                let page = model.search(&q).unwrap();
                let group = |o: &Offering| match order {
                    OfferingOrder::Municipality => o.municipality.as_str().to_owned(),
                    _ => model.course(o.course).unwrap().title.clone(),
                };
                for pair in page.items.windows(2) {
                    let ((a, _), (b, _)) = (&pair[0], &pair[1]);
                    if group(a) == group(b) {
                        assert!(
                            a.schedule.start().is_some()
                                || a.schedule.continuous_intake()
                                || b.schedule.start().is_none() && !b.schedule.continuous_intake(),
                            "{order:?} descending {descending} {text:?}: an unknown start before a known one"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn walking_every_page_with_unknown_starts_returns_each_offering_once_in_every_order_and_direction() {
    let model = with_undated();
    for order in [OfferingOrder::Relevance, OfferingOrder::StartDate, OfferingOrder::Title, OfferingOrder::Municipality]
    {
        for descending in [false, true] {
            let mut q = OfferingQuery { order, descending, first: 7, ..query() };
            let everything = model.search(&OfferingQuery { first: 1000, ..q.clone() }).unwrap();
            let expected: Vec<PublicId> = everything.items.iter().map(|(o, _)| o.id).collect();
            let mut walked = Vec::new();
            loop {
                let page = model.search(&q).unwrap();
                walked.extend(page.items.iter().map(|(o, _)| o.id));
                if !page.has_next_page {
                    break;
                }
                q.after = page.items.last().map(|(_, cursor)| cursor.clone());
            }
            assert_eq!(walked, expected, "{order:?} descending {descending}: pages differ from one long page");
        }
    }
}

#[test]
fn each_facet_is_counted_under_every_filter_but_its_own() {
    let model = varied();
    let huddinge = MunicipalityCode::parse("0126").unwrap();
    let filter = OfferingFilter {
        municipalities: vec![huddinge],
        modes: vec![StudyMode::Distance],
        times_of_study: vec![TimeOfStudy::Evening],
        ..OfferingFilter::default()
    };
    let page = model.search(&OfferingQuery { filter: filter.clone(), facets: true, ..query() }).unwrap();
    let facets = page.facets.unwrap();
    let without = |relax: fn(&mut OfferingFilter)| {
        let mut relaxed = filter.clone();
        relax(&mut relaxed);
        total(&model, &filtered(relaxed))
    };
    let sum = |counts: Vec<u64>| counts.into_iter().sum::<u64>();
    assert_eq!(sum(facets.municipality.iter().map(|c| c.1).collect()), without(|f| f.municipalities.clear()));
    assert_eq!(sum(facets.mode.iter().map(|c| c.1).collect()), without(|f| f.modes.clear()));
    assert_eq!(sum(facets.time_of_study.iter().map(|c| c.1).collect()), without(|f| f.times_of_study.clear()));
    assert_eq!(sum(facets.school_form.iter().map(|c| c.1).collect()), page.total_count);
    assert_eq!(sum(facets.language.iter().map(|c| c.1).collect()), page.total_count);
    assert_eq!(facets.municipality.len(), 2, "the other municipality is shown as an alternative");
    assert_eq!(facets.mode.len(), 2, "the other mode too");
    let count_of = |mode| facets.mode.iter().find(|(m, _)| *m == mode).map(|c| c.1);
    assert_eq!(count_of(Some(StudyMode::Distance)), Some(page.total_count), "the chosen value counts what is shown");
}

#[test]
fn disjunctive_facets_under_a_text_count_only_what_the_text_finds() {
    let model = varied();
    let filter = OfferingFilter { modes: vec![StudyMode::OnSite], ..OfferingFilter::default() };
    let q = OfferingQuery { filter, text: Some("svenska".into()), facets: true, ..query() };
    let facets = model.search(&q).unwrap().facets.unwrap();
    let all_svenska = total(&model, &text_query("svenska"));
    assert_eq!(facets.mode.iter().map(|c| c.1).sum::<u64>(), all_svenska);
}

#[test]
fn a_text_searched_again_is_answered_from_the_word_cache_with_the_same_page() {
    let model = varied();
    let q = OfferingQuery { text: Some("svenska distans".into()), facets: true, ..query() };
    let first = model.search(&q).unwrap();
    let again = model.search(&q).unwrap();
    let page = |page: &OfferingPage<'_>| page.items.iter().map(|(o, c)| (o.id, c.clone())).collect::<Vec<_>>();
    assert!(!first.items.is_empty());
    assert_eq!(page(&first), page(&again), "the same offerings with the same cursors (so the same scores)");
    assert_eq!(first.facets, again.facets);
}

#[test]
fn an_unknown_mode_is_counted_in_a_bucket_of_its_own_and_never_matches_a_filter() {
    let model = model(vec![
        Spec { mode: None, ..spec(0, "0180", Some("2026-08-17")) },
        Spec { mode: None, ..spec(0, "0180", Some("2026-08-18")) },
        spec(0, "0180", Some("2026-08-19")),
    ]);
    let page = model.search(&OfferingQuery { facets: true, ..query() }).unwrap();
    let facets = page.facets.unwrap();
    assert_eq!(facets.mode, [(None, 2), (Some(StudyMode::OnSite), 1)]);
    let filter = OfferingFilter { modes: vec![StudyMode::OnSite], ..OfferingFilter::default() };
    let on_site = model.search(&OfferingQuery { filter, ..query() }).unwrap();
    assert_eq!(on_site.total_count, 1);
}

#[test]
fn an_offering_s_own_title_is_searchable_and_finds_only_that_occasion() {
    let model = model(vec![
        spec(0, "0180", Some("2026-08-17")),
        Spec { title: Some("Matematik 1c Flemingsbergsgruppen"), ..spec(0, "0180", Some("2026-08-18")) },
    ]);
    let found = model.search(&OfferingQuery { text: Some("flemingsbergsgruppen".to_owned()), ..query() }).unwrap();
    assert_eq!(found.total_count, 1, "the occasion with that title only, not every occasion of the course");
    assert_eq!(found.items[0].0.title.as_deref(), Some("Matematik 1c Flemingsbergsgruppen"));
}

#[test]
fn a_kind_word_in_an_offering_s_own_title_finds_it_only_when_it_is_of_that_kind() {
    let model = model(vec![
        Spec {
            title: Some("Matematik 1c delvis distans"),
            mode: Some(StudyMode::Hybrid),
            ..spec(0, "0180", Some("2026-08-17"))
        },
        Spec {
            title: Some("Matematik 1c distans"),
            mode: Some(StudyMode::Distance),
            ..spec(0, "0180", Some("2026-08-18"))
        },
    ]);
    let found = model.search(&text_query("distans")).unwrap();
    assert_eq!(found.total_count, 1, "the hybrid occasion is not found by `distans`");
    assert_eq!(found.items[0].0.mode, Some(StudyMode::Distance));
    assert_eq!(total(&model, &text_query("delvis")), 1, "the title's other words still find it");
}
