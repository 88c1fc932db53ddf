//! The registry snapshot over the demo's regional data: occupation search, pathways and costs,
//! checked against the offerings, validation offers and price list they come from, and the
//! labour-market outlook a pathway carries (its home county's, or the national one).

use std::sync::OnceLock;

use chrono::NaiveDate;
use vuxnav_read_model::{Cost, GuidanceFilter, Near, ReadModel, RegistryModel, ValidationFilter};
use vuxnav_schema::{
    BarometerOccupation, Channel, Coordinates, County, CourseCode, FigureSource, GuidanceKind, JobOpportunities,
    Language, MunicipalityCode, OccupationId, OutlookArea, OutlookForecast, OutlookPublication, OutlookRow, PriceList,
    RecruitmentSituation, Registries, TargetGroup, Taxonomy, ValidationKind,
};
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

fn filter_by_municipality(code: &str) -> ValidationFilter {
    ValidationFilter { municipalities: vec![kommun(code)], ..ValidationFilter::default() }
}

#[test]
fn validation_offers_are_filtered_by_every_field_at_once() {
    let (_, registry) = demo();
    let botkyrka = kommun("0127");
    let filter = ValidationFilter {
        municipalities: vec![botkyrka],
        kinds: vec![ValidationKind::AgainstCourse],
        course_codes: vec![CourseCode::parse("VÅRVÅR01").expect("a code")],
        ..ValidationFilter::default()
    };

    let offers = registry.validation_offers(&filter, today());

    let keys: Vec<&str> = offers.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["provning-varvar01-0127"]);
    let everything = registry.validation_offers(&ValidationFilter::default(), today());
    assert!(everything.len() > 26, "prövning for every municipality: {}", everything.len());
    assert!(everything.windows(2).all(|w| w[0].key < w[1].key), "by key");
}

#[test]
fn validation_offers_for_an_occupation_include_those_for_its_courses() {
    let (_, registry) = demo();
    let filter = ValidationFilter {
        occupations: vec![occupation("Y3QA_5pk_uXd")],
        languages: vec![Language::parse("swe").expect("Swedish")],
        ..filter_by_municipality("0127")
    };

    let keys: Vec<&str> = registry.validation_offers(&filter, today()).iter().map(|o| o.key.as_str()).collect();

    assert!(keys.contains(&"provning-varvar01-0127"), "through the course VÅRVÅR01: {keys:?}");
    assert!(!keys.iter().any(|k| k.starts_with("el-ecy")), "{keys:?}");
}

#[test]
fn a_validation_facet_counts_under_every_filter_but_its_own() {
    let (_, registry) = demo();
    let filter = ValidationFilter { kinds: vec![ValidationKind::AgainstIndustry], ..filter_by_municipality("0127") };

    let facets = registry.validation_facets(&filter, today());

    let in_botkyrka = registry.validation_offers(&filter_by_municipality("0127"), today());
    for kind in [ValidationKind::AgainstCourse, ValidationKind::AgainstIndustry] {
        let expected = in_botkyrka.iter().filter(|o| o.kind == kind).count() as u64;
        assert_eq!(facets.kind.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n), expected, "{kind:?}");
    }
    let kinds_total: u64 = facets.kind.iter().map(|(_, n)| n).sum();
    assert_eq!(kinds_total, in_botkyrka.len() as u64, "one kind per offer");
    let industry_in_botkyrka = registry.validation_offers(&filter, today()).len() as u64;
    let botkyrka = facets.municipality.iter().find(|(m, _)| *m == kommun("0127")).expect("Botkyrka");
    assert_eq!(botkyrka.1, industry_in_botkyrka);
    assert!(facets.municipality.len() > 1, "the other municipalities stay as alternatives");
    assert!(facets.municipality.windows(2).all(|w| w[0].1 >= w[1].1), "the most first");
}

#[test]
fn guidance_services_are_filtered_by_channel_language_and_target_group() {
    let (_, registry) = demo();
    let filter = GuidanceFilter {
        channels: vec![Channel::Chat],
        languages: vec![Language::parse("som").expect("Somali")],
        target_groups: vec![TargetGroup::Sfi],
        ..GuidanceFilter::default()
    };

    let found = registry.guidance_services(&filter);

    assert!(!found.is_empty(), "the demo has chat guidance in Somali");
    for service in found.iter().map(|f| f.entry) {
        assert!(service.channels.contains(&Channel::Chat), "{}", service.key);
        assert!(service.languages.contains(&Language::parse("som").expect("Somali")), "{}", service.key);
        assert!(service.target_groups.contains(&TargetGroup::Sfi), "{}", service.key);
    }
    let everything = registry.guidance_services(&GuidanceFilter::default());
    let expected = everything
        .iter()
        .map(|f| f.entry)
        .filter(|s| {
            s.channels.contains(&Channel::Chat)
                && s.languages.iter().any(|l| l.as_str() == "som")
                && s.target_groups.contains(&TargetGroup::Sfi)
        })
        .count();
    assert_eq!(found.len(), expected);
}

#[test]
fn guidance_services_near_a_point_come_nearest_first_within_the_radius() {
    let (_, registry) = demo();
    // Sergels torg, Stockholm.
    let point = Coordinates::new(59.3326, 18.0649).expect("a position");
    let filter = GuidanceFilter { near: Some(Near { point, radius_km: Some(15.0) }), ..GuidanceFilter::default() };

    let found = registry.guidance_services(&filter);

    let distances: Vec<f64> = found.iter().map(|f| f.distance_km.expect("within a radius, so known")).collect();
    assert!(!distances.is_empty() && distances.iter().all(|d| *d <= 15.0), "{distances:?}");
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first: {distances:?}");
    assert!(found[0].entry.municipalities.contains(&kommun("0180")), "Stockholm's own centre is nearest");
    let everywhere =
        registry.guidance_services(&GuidanceFilter { near: Some(Near { point, radius_km: None }), ..filter.clone() });
    assert!(everywhere.len() > found.len(), "without a radius every service is listed");
    let facets = registry.guidance_facets(&filter);
    let kinds: u64 = facets.kind.iter().map(|(_, n)| n).sum();
    assert_eq!(kinds, found.len() as u64, "facets count within the radius");
}

#[test]
fn a_pathway_shows_the_outlook_of_its_home_county_with_its_publication() {
    let (catalogue, registry) = demo();
    let pathway = registry.pathway(catalogue, &occupation("Y3QA_5pk_uXd"), kommun("0127"), today()).expect("usk");
    let [outlook] = pathway.outlook[..] else { panic!("one assessment, not {:?}", pathway.outlook) };
    assert_eq!(outlook.row.area.code(), "01");
    assert_eq!(outlook.asked.map(|c| c.code), Some("01"));
    assert!(!outlook.national_fallback());
    assert!(outlook.publication.illustrative, "the demo's figures are made up");
}

#[test]
fn a_pathway_falls_back_to_the_national_outlook_when_its_county_has_none() {
    let (catalogue, registry) = demo();
    // The demo assesses barnskötare (SSYK 5311) nationally only.
    let pathway =
        registry.pathway(catalogue, &occupation("rM7G_ge7_XhP"), kommun("0127"), today()).expect("barnskötare");
    let [outlook] = pathway.outlook[..] else { panic!("one assessment, not {:?}", pathway.outlook) };
    assert_eq!(outlook.row.area, OutlookArea::National);
    assert!(outlook.national_fallback());
}

#[test]
fn the_outlook_comes_from_the_publication_the_registries_carry_and_none_without_one() {
    let usk = occupation("Y3QA_5pk_uXd");
    let row = |opportunities| OutlookRow {
        barometer: BarometerOccupation::new("bar-5321", "Undersköterskor").expect("valid"),
        occupations: vec![usk.clone()],
        area: OutlookArea::National,
        job_opportunities: opportunities,
        recruitment: RecruitmentSituation::Balance,
        forecast: OutlookForecast::Unchanged,
    };
    let published = NaiveDate::from_ymd_opt(2026, 5, 15).expect("a day");
    let newer = OutlookPublication::new(published, "Arbetsförmedlingen", false, vec![row(JobOpportunities::Small)])
        .expect("valid");
    let registry =
        RegistryModel::build(taxonomy().clone(), Registries { outlook: Some(newer), ..Registries::default() });
    let stockholm = County::all().find(|c| c.code == "01");
    let answers = registry.outlook(&usk, stockholm);
    assert_eq!(answers.len(), 1);
    assert_eq!(
        (answers[0].publication.published, answers[0].row.job_opportunities),
        (published, JobOpportunities::Small)
    );

    let empty = RegistryModel::build(taxonomy().clone(), Registries::default());
    assert!(empty.outlook(&usk, stockholm).is_empty());
}
