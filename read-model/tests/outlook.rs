//! The labour-market outlook in the registry snapshot: a pathway carries its home county's
//! assessment, or the national one where the county has none, from the newest publication.

use std::sync::OnceLock;

use chrono::NaiveDate;
use vuxnav_read_model::{ReadModel, RegistryModel};
use vuxnav_schema::{
    BarometerOccupation, County, JobOpportunities, MunicipalityCode, OccupationId, OutlookArea, OutlookForecast,
    OutlookPublication, OutlookRow, RecruitmentSituation, Registries, Taxonomy,
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

fn botkyrka() -> MunicipalityCode {
    MunicipalityCode::parse("0127").expect("a kommunkod")
}

fn occupation(id: &str) -> OccupationId {
    taxonomy().occupation_id(id).expect("an occupation of the snapshot")
}

#[test]
fn a_pathway_shows_the_outlook_of_its_home_county_with_its_publication() {
    let (catalogue, registry) = demo();
    let pathway = registry.pathway(catalogue, &occupation("Y3QA_5pk_uXd"), botkyrka(), today()).expect("usk");
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
    let pathway = registry.pathway(catalogue, &occupation("rM7G_ge7_XhP"), botkyrka(), today()).expect("barnskötare");
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
