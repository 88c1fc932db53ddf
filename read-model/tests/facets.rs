//! The facets beside the portal's filters on the demo's regional catalogue: each value's count
//! is the number of offerings a search finds when that value is chosen, under a few other
//! filters and texts, whether or not the facet's own filter is already set.

use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use vuxnav_read_model::{Facets, OfferingFilter, OfferingQuery, PaceBand, ReadModel, START_WINDOWS};
use vuxnav_schema::{SchoolForm, TimeOfStudy};
use vuxnav_simulator::{Scale, workload};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day")
}

fn demo() -> &'static ReadModel {
    static DEMO: OnceLock<ReadModel> = OnceLock::new();
    DEMO.get_or_init(|| ReadModel::build(workload::catalogue(7, Scale::Regional, today())).expect("a read model"))
}

fn query(filter: OfferingFilter, text: Option<&str>) -> OfferingQuery {
    OfferingQuery {
        filter,
        text: text.map(Into::into),
        first: 0,
        facets: true,
        today: Some(today()),
        ..OfferingQuery::default()
    }
}

fn facets(filter: &OfferingFilter, text: Option<&str>) -> Facets {
    demo().search(&query(filter.clone(), text)).expect("a search").facets.expect("facets were asked for")
}

fn total(filter: OfferingFilter, text: Option<&str>) -> u64 {
    demo().search(&query(filter, text)).expect("a search").total_count
}

/// The searches each facet is checked under: everything, one municipality, a school form and
/// an evening with a text.
fn bases() -> Vec<(OfferingFilter, Option<&'static str>)> {
    let top_municipality = facets(&OfferingFilter::default(), None).municipality[0].0;
    vec![
        (OfferingFilter::default(), None),
        (OfferingFilter { municipalities: vec![top_municipality], ..OfferingFilter::default() }, None),
        (
            OfferingFilter {
                school_forms: vec![SchoolForm::VuxGy],
                times_of_study: vec![TimeOfStudy::Evening],
                ..OfferingFilter::default()
            },
            Some("svenska"),
        ),
    ]
}

#[test]
fn each_subject_s_count_is_what_choosing_that_subject_finds() {
    for (base, text) in bases() {
        let counted = facets(&base, text).subject;
        assert!(counted.len() > 1, "{base:?} {text:?}: more than one subject");
        let chosen = OfferingFilter { subjects: vec![counted[0].0.clone()], ..base.clone() };
        assert_eq!(facets(&chosen, text).subject, counted, "choosing a subject leaves its facet as it was");
        for (subject, count) in &counted {
            let found = total(OfferingFilter { subjects: vec![subject.clone()], ..base.clone() }, text);
            assert_eq!(*count, found, "{base:?} {text:?}: subject {subject}");
        }
    }
}

#[test]
fn a_chosen_subject_code_is_counted_as_written_beside_the_names() {
    let filter = OfferingFilter { subjects: vec!["MAT".into()], ..OfferingFilter::default() };
    let counted = facets(&filter, None).subject;
    let code = counted.iter().find(|(subject, _)| subject == "MAT").expect("the chosen code is in the facet");
    assert!(code.1 > 0);
    assert_eq!(code.1, total(filter, None));
    let missing = OfferingFilter { subjects: vec!["Astrologi".into()], ..OfferingFilter::default() };
    assert!(facets(&missing, None).subject.contains(&("Astrologi".to_owned(), 0)), "a chosen subject stays, with 0");
}

#[test]
fn each_pace_band_s_count_is_what_choosing_that_band_finds() {
    for (base, text) in bases() {
        let counted = facets(&base, text).pace;
        assert_eq!(counted.iter().map(|(band, _)| *band).collect::<Vec<_>>(), PaceBand::ALL);
        assert_eq!(counted.iter().map(|(_, count)| count).sum::<u64>(), total(base.clone(), text));
        assert!(counted.iter().filter(|(_, count)| *count > 0).count() > 1, "{base:?}: more than one band");
        for (band, count) in &counted {
            let (min, max) = band.bounds();
            let chosen = OfferingFilter { pace_min: Some(min), pace_max: Some(max), ..base.clone() };
            assert_eq!(*count, total(chosen.clone(), text), "{base:?} {text:?}: {band:?}");
            assert_eq!(facets(&chosen, text).pace, counted, "choosing a band leaves its facet as it was");
        }
    }
}

#[test]
fn each_start_window_s_count_is_what_choosing_that_window_finds_and_they_grow() {
    for (base, text) in bases() {
        let counted = facets(&base, text).start_within;
        assert_eq!(counted.iter().map(|(days, _)| *days).collect::<Vec<_>>(), START_WINDOWS);
        assert!(counted.windows(2).all(|pair| pair[0].1 <= pair[1].1), "cumulative windows: {counted:?}");
        assert!(counted[0].1 < counted[2].1, "{base:?}: a longer window finds more");
        for (days, count) in &counted {
            let to = today().checked_add_days(Days::new((*days).into()));
            let chosen = OfferingFilter { start_from: Some(today()), start_to: to, ..base.clone() };
            assert_eq!(*count, total(chosen.clone(), text), "{base:?} {text:?}: within {days} days");
            assert_eq!(facets(&chosen, text).start_within, counted, "choosing a window leaves its facet as it was");
        }
    }
}

#[test]
fn continuous_intake_and_open_now_count_what_ticking_their_box_finds() {
    for (base, text) in bases() {
        let counted = facets(&base, text);
        let everything = total(base.clone(), text);
        let continuous = OfferingFilter { continuous_intake: Some(true), ..base.clone() };
        assert_eq!(counted.continuous_intake, total(continuous.clone(), text), "{base:?} {text:?}");
        assert!(0 < counted.continuous_intake && counted.continuous_intake < everything, "{base:?}");
        let open = OfferingFilter { open_for_application_on: Some(today()), ..base.clone() };
        assert_eq!(counted.open_now, Some(total(open.clone(), text)), "{base:?} {text:?}");
        assert!(counted.open_now.is_some_and(|n| 0 < n && n < everything), "{base:?}");
        let both = OfferingFilter { continuous_intake: Some(true), open_for_application_on: Some(today()), ..base };
        let with_continuous = facets(&continuous, text);
        assert_eq!(with_continuous.continuous_intake, counted.continuous_intake, "ticking a box leaves its count");
        assert_eq!(with_continuous.open_now, Some(total(both.clone(), text)), "the other box counts under it");
        let with_open = facets(&open, text);
        assert_eq!(with_open.open_now, counted.open_now, "ticking a box leaves its count");
        assert_eq!(with_open.continuous_intake, total(both, text), "the other box counts under it");
    }
}

#[test]
fn today_s_sets_answer_a_filter_as_the_sets_made_for_it_do() {
    let window = today().checked_add_days(Days::new(90));
    let filter = OfferingFilter {
        start_from: Some(today()),
        start_to: window,
        open_for_application_on: Some(today()),
        ..OfferingFilter::default()
    };
    let with_cache = total(filter.clone(), None);
    let without =
        demo().search(&OfferingQuery { filter, first: 0, ..OfferingQuery::default() }).expect("a search").total_count;
    assert_eq!(with_cache, without);
    assert!(without > 0);
}

#[test]
fn without_a_date_the_start_windows_and_open_now_are_not_counted() {
    let page = demo().search(&OfferingQuery { facets: true, ..OfferingQuery::default() }).expect("a search");
    let facets = page.facets.expect("facets were asked for");
    assert!(facets.start_within.is_empty());
    assert_eq!(facets.open_now, None);
    assert!(facets.continuous_intake > 0);
}
