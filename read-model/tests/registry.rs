//! The registry snapshot over the demo's regional data: occupation search, pathways and costs,
//! checked against the offerings, validation offers and price list they come from.

use std::sync::OnceLock;

use chrono::NaiveDate;
use vuxnav_read_model::{Cost, ReadModel, RegistryModel};
use vuxnav_schema::{FigureSource, GuidanceKind, MunicipalityCode, OccupationId, PriceList, Registries, Taxonomy};
use vuxnav_simulator::{Scale, workload};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day")
}

fn taxonomy() -> &'static Taxonomy {
    Taxonomy::pinned().expect("the shipped snapshot")
}

fn demo() -> &'static (ReadModel, RegistryModel) {
    static DEMO: OnceLock<(ReadModel, RegistryModel)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let catalogue = ReadModel::build(workload::catalogue(7, Scale::Regional, today())).expect("a read model");
        let registries = vuxnav_simulator::registries(Scale::Regional, today()).expect("demo registries");
        (catalogue, RegistryModel::build(taxonomy().clone(), registries))
    })
}

fn kommun(code: &str) -> MunicipalityCode {
    MunicipalityCode::parse(code).expect("a kommunkod")
}

fn occupation(id: &str) -> OccupationId {
    taxonomy().occupation_id(id).expect("an occupation of the snapshot")
}

#[test]
fn occupations_are_found_by_words_without_swedish_letters_and_by_ssyk_code() {
    let (_, registry) = demo();
    let ids =
        |search: &str| -> Vec<&str> { registry.occupations(Some(search)).iter().map(|o| o.id.as_str()).collect() };
    assert_eq!(ids("underskoterska"), ["Y3QA_5pk_uXd"]);
    assert_eq!(ids("elektriker"), ["84Uc_bhA_s47"]);
    assert_eq!(ids("5120").len(), 2, "both kock occupations share SSYK 5120");
    assert!(ids("astronaut").is_empty());
    assert_eq!(registry.occupations(None).len(), 20);
}

#[test]
fn a_pathway_lists_the_package_offerings_own_municipality_first_then_by_distance() {
    let (catalogue, registry) = demo();
    let botkyrka = kommun("0127");

    let pathway = registry.pathway(catalogue, &occupation("Y3QA_5pk_uXd"), botkyrka, today()).expect("undersköterska");

    let route = pathway.routes.iter().find(|r| r.code.as_str() == "YVUSK").expect("the USK package leads there");
    assert!(!route.courses.is_empty() && !route.offerings.is_empty(), "the demo offers YVUSK");
    let own = route.offerings.iter().take_while(|o| o.own_municipality).count();
    assert!(route.offerings[..own].iter().all(|o| o.offering.municipality == botkyrka));
    assert!(route.offerings[own..].iter().all(|o| o.offering.municipality != botkyrka));
    let distances: Vec<f64> = route.offerings[own..].iter().filter_map(|o| o.distance_km).collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "ordered by distance: {distances:?}");
    let expected_offerings = route
        .courses
        .iter()
        .flat_map(|course| catalogue.offerings_of(course))
        .filter(|o| o.schedule.end().is_none_or(|end| end >= today()))
        .filter(|o| o.eligibility != vuxnav_schema::Eligibility::Residents || o.municipality == botkyrka)
        .count();
    assert_eq!(route.offerings.len(), expected_offerings);
}

#[test]
fn a_pathway_prices_other_municipalities_offerings_from_the_package_entry() {
    let (catalogue, registry) = demo();
    let pathway =
        registry.pathway(catalogue, &occupation("Y3QA_5pk_uXd"), kommun("0127"), today()).expect("undersköterska");
    let route = pathway.routes.iter().find(|r| r.code.as_str() == "YVUSK").expect("the USK package");
    for offering in &route.offerings {
        match (&offering.cost, offering.own_municipality) {
            (Cost::OwnMunicipality, true) => {}
            (Cost::Priced { entry, .. }, false) => {
                assert_eq!(entry.key.as_str(), "paket-yvusk");
                assert_eq!(entry.source, FigureSource::Illustrative);
            }
            (cost, own) => panic!("own municipality {own} with {cost:?}"),
        }
    }
}

#[test]
fn a_pathway_names_the_validation_and_guidance_that_serve_the_home_municipality() {
    let (catalogue, registry) = demo();
    let botkyrka = kommun("0127");

    let pathway = registry.pathway(catalogue, &occupation("Y3QA_5pk_uXd"), botkyrka, today()).expect("a pathway");

    let offers: Vec<&str> = pathway.validation_offers.iter().map(|o| o.key.as_str()).collect();
    assert!(offers.contains(&"provning-varvar01-0127"), "{offers:?}");
    assert!(offers.iter().any(|k| k.starts_with("vo-college-")), "{offers:?}");
    assert!(!offers.iter().any(|k| k.starts_with("el-ecy")), "not for undersköterska: {offers:?}");
    assert!(pathway.validation_offers.iter().all(|o| o.municipalities.contains(&botkyrka)));
    assert!(
        pathway.guidance_services.iter().any(|s| s.kind == GuidanceKind::GuidanceCentre),
        "Botkyrka's guidance centre"
    );
}

#[test]
fn without_a_price_list_another_municipalitys_offering_is_not_covered() {
    let (catalogue, registry) = demo();
    let unpriced = RegistryModel::build(
        taxonomy().clone(),
        Registries { prices: PriceList::default(), ..registry.registries().clone() },
    );
    let course = catalogue.courses_with_code("YVUSK")[0];
    let elsewhere =
        catalogue.offerings_of(course).find(|o| o.municipality != kommun("0127")).expect("offered elsewhere");

    let cost = unpriced.cost(elsewhere, course, kommun("0127"), today());

    assert!(matches!(cost, Cost::NotCovered { .. }), "{cost:?}");
}

#[test]
fn an_occupation_nothing_leads_to_has_a_pathway_without_routes() {
    let (catalogue, registry) = demo();
    let pathway = registry.pathway(catalogue, &occupation("ckkD_JhH_Sc6"), kommun("0180"), today()).expect("a pathway");
    assert!(pathway.routes.is_empty(), "no demo package leads to tandsköterska");
}
