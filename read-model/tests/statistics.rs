//! Statistics over the demo's regional catalogue add up to the catalogue's own totals: the
//! search's `totalCount`, each municipality's offering count, the seats the offerings state.

use std::sync::OnceLock;

use chrono::NaiveDate;
use vuxnav_read_model::{OfferingFilter, OfferingQuery, ReadModel, RegistryModel, StatisticsDimension as By};
use vuxnav_schema::{MunicipalityCode, SchoolForm, StudyMode, Taxonomy, TimeOfStudy};
use vuxnav_simulator::{Scale, workload};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day")
}

fn demo() -> &'static (ReadModel, RegistryModel) {
    static DEMO: OnceLock<(ReadModel, RegistryModel)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let catalogue = ReadModel::build(workload::catalogue(7, Scale::Regional, today())).expect("a read model");
        let registries = vuxnav_simulator::registries(Scale::Regional, today()).expect("demo registries");
        let taxonomy = Taxonomy::pinned().expect("the shipped snapshot").clone();
        (catalogue, RegistryModel::build(taxonomy, registries))
    })
}

fn total_count(catalogue: &ReadModel, filter: OfferingFilter) -> u64 {
    catalogue.search(&OfferingQuery { filter, first: 0, ..OfferingQuery::default() }).expect("a search").total_count
}

#[test]
fn the_total_is_the_searchs_total_count_and_the_seats_the_offerings_state() {
    let (catalogue, registries) = demo();
    let filter = OfferingFilter { school_forms: vec![SchoolForm::VuxGy], ..OfferingFilter::default() };

    let statistics = catalogue.statistics(&filter, &[], registries).expect("statistics");

    assert_eq!(statistics.total.offerings, total_count(catalogue, filter.clone()));
    assert!(statistics.groups.is_empty());
    let query = OfferingQuery { filter, first: 100_000, ..OfferingQuery::default() };
    let page = catalogue.search(&query).expect("every offering");
    let seats: u64 = page.items.iter().filter_map(|(o, _)| o.seats).map(u64::from).sum();
    let distance = page.items.iter().filter(|(o, _)| o.mode == Some(StudyMode::Distance)).count() as u64;
    let evening = page.items.iter().filter(|(o, _)| o.time_of_study == Some(TimeOfStudy::Evening)).count() as u64;
    assert_eq!(statistics.total.seats, seats);
    assert_eq!(statistics.total.distance, distance);
    assert_eq!(statistics.total.evening, evening);
    assert!(statistics.total.distance_share().is_some_and(|s| (0.0..=1.0).contains(&s)));
}

#[test]
fn groups_by_municipality_and_school_form_add_up_to_the_total_and_to_each_municipalitys_count() {
    let (catalogue, registries) = demo();

    let statistics = catalogue
        .statistics(&OfferingFilter::default(), &[By::Municipality, By::SchoolForm], registries)
        .expect("statistics");

    let sum = |f: fn(&vuxnav_read_model::Figures) -> u64| statistics.groups.iter().map(|(_, g)| f(g)).sum::<u64>();
    let ungrouped = catalogue.statistics(&OfferingFilter::default(), &[], registries).expect("statistics");
    assert_eq!(statistics.total, ungrouped.total, "counted on the bitmaps or offering by offering, the same");
    assert_eq!(sum(|g| g.offerings), statistics.total.offerings);
    assert_eq!(sum(|g| g.seats), statistics.total.seats);
    assert_eq!(sum(|g| g.distance), statistics.total.distance);
    let botkyrka = MunicipalityCode::parse("0127").expect("Botkyrka");
    let in_botkyrka: u64 = statistics
        .groups
        .iter()
        .filter(|(key, _)| key.municipality == Some(botkyrka))
        .map(|(key, g)| {
            assert!(key.school_form.is_some() && key.subject.is_none(), "{key:?}");
            g.offerings
        })
        .sum();
    assert_eq!(in_botkyrka, catalogue.offering_count(botkyrka));
    let counts: Vec<u64> = statistics.groups.iter().map(|(_, g)| g.offerings).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "the most offerings first");
}

#[test]
fn an_offering_counts_under_each_occupation_its_package_leads_to() {
    let (catalogue, registries) = demo();
    let filter = OfferingFilter { school_forms: vec![SchoolForm::VuxGy], ..OfferingFilter::default() };

    let statistics = catalogue.statistics(&filter, &[By::Occupation], registries).expect("statistics");

    let usk = statistics
        .groups
        .iter()
        .find(|(key, _)| key.occupation.flatten().is_some_and(|id| id.as_str() == "Y3QA_5pk_uXd"))
        .expect("the demo's YVUSK leads to usk");
    let yvusk: u64 =
        catalogue.courses_with_code("YVUSK").iter().map(|c| catalogue.offerings_of(c).count() as u64).sum();
    assert!(usk.1.offerings >= yvusk, "{} < {yvusk}", usk.1.offerings);
    let none = statistics.groups.iter().find(|(key, _)| key.occupation == Some(None)).expect("most lead to none");
    assert!(none.1.offerings > 0);
}
