//! The region's registries in the release: the tables agree with their definitions, a release
//! holds every registry with its keys, and the delta follows the registries' own stamps (an
//! edit is in it with `last_changed` moved; an unchanged import is not).

mod support;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde_json::Value as Json;
use support::{Memory, StoreRecords, jsonl_tables, night, options, read};
use vuxnav_export::manifest::DeltaStatus;
use vuxnav_export::v1::{
    self, GuidanceServiceRow, Kind, OccupationLinkRow, OccupationRow, OpeningHoursRow, OutlookRow, PriceRow, Record,
    ValidationOfferRow, Value,
};
use vuxnav_export::{LocalFolder, ReleaseSummary, publish};
use vuxnav_schema::{
    AmountSek, BarometerOccupation, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService,
    IndustryModel, JobOpportunities, Language, Location, MunicipalityCode, OccupationLink, OpeningHours, OutlookArea,
    OutlookForecast, OutlookPublication, Party, Payer, PriceListEntry, PriceScope, PriceUnit, RecruitmentSituation,
    RegistryKey, SchoolForm, Seen, SeqfLevel, StampedRegistries, TargetGroup, Taxonomy, ValidationKind,
    ValidationOffer, Validity,
};
use vuxnav_store::testing::fresh_stores;
use vuxnav_store::{AuditContext, ChangedBy, RegistryChange, RegistryEntry, RegistryRows, Store};

fn taxonomy() -> &'static Taxonomy {
    Taxonomy::pinned().expect("the shipped snapshot")
}

fn kommun(code: &str) -> MunicipalityCode {
    MunicipalityCode::parse(code).expect("a kommunkod")
}

fn key(value: &str) -> RegistryKey {
    RegistryKey::parse(value).expect("a key")
}

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).expect("a day")
}

fn link() -> OccupationLink {
    OccupationLink {
        course: CourseCode::parse("YVUSK").expect("a code"),
        occupation: taxonomy().occupation_id("Y3QA_5pk_uXd").expect("undersköterska"),
    }
}

fn branschvalidering() -> ValidationOffer {
    ValidationOffer {
        key: key("bygg-byn-sodertalje"),
        kind: ValidationKind::AgainstIndustry,
        title: "Branschvalidering för träarbetare".to_owned(),
        course_codes: vec![],
        occupations: vec![taxonomy().occupation_id("4Z7F_oBG_vMG").expect("träarbetare")],
        industry_model: Some(IndustryModel {
            name: "Byggindustrins valideringsmodell".to_owned(),
            owner: "BYN".to_owned(),
        }),
        seqf_level: Some(SeqfLevel::new(4).expect("a level")),
        provider: "Byggcentrum Södertälje".to_owned(),
        municipalities: vec![kommun("0181"), kommun("0192")],
        languages: vec![Language::SWEDISH, Language::parse("ara").expect("Arabic")],
        cost_sek: Some(0),
        paid_by: Payer::Industry,
        contact: "validering@byggcentrum.example.se".to_owned(),
        validity: Validity::new(day(2026, 1, 1), Some(day(2026, 12, 31))).expect("valid"),
    }
}

fn centre(name: &str) -> GuidanceService {
    let time = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
    GuidanceService {
        key: key(name),
        kind: GuidanceKind::GuidanceCentre,
        name: "Vägledningscentrum Botkyrka".to_owned(),
        organiser: "Botkyrka kommun".to_owned(),
        municipalities: vec![kommun("0127")],
        channels: vec![Channel::OnSite, Channel::Video],
        languages: vec![Language::SWEDISH],
        target_groups: vec![TargetGroup::Sfi, TargetGroup::Vocational],
        address: Location {
            name: Some("Kulturhuset".to_owned()),
            street_address: Some("Tumba torg 1".to_owned()),
            postal_code: Some("147 30".to_owned()),
            town: Some("Tumba".to_owned()),
            coordinates: Some(Coordinates::new(59.1997, 17.8326).expect("a position")),
        },
        booking_url: Some("https://boka.example.se/vagledning".to_owned()),
        phone: Some("08-530 610 00".to_owned()),
        opening_hours: OpeningHours::week([(Weekday::Thu, time(13), time(19)), (Weekday::Mon, time(8), time(16))])
            .expect("a week"),
        draws_up_study_plan: true,
    }
}

fn price(name: &str, provider: Party) -> PriceListEntry {
    PriceListEntry {
        key: key(name),
        payer: Party::Municipality(kommun("0127")),
        provider,
        school_form: SchoolForm::VuxGy,
        scope: PriceScope::Course(CourseCode::parse("YVUSK").expect("a code")),
        unit: PriceUnit::PerPoint,
        amount: AmountSek::parse("52.50").expect("an amount"),
        validity: Validity::new(day(2026, 1, 1), None).expect("valid"),
        decision: None,
        source: FigureSource::Illustrative,
    }
}

fn seen<T>(record: T, at: DateTime<Utc>) -> Seen<T> {
    Seen { record, first_seen: at, last_changed: at }
}

/// An illustrative outlook publication: undersköterskor in Stockholms län and in the whole country.
fn outlook() -> OutlookPublication {
    let row = |area: &str, job_opportunities| vuxnav_schema::OutlookRow {
        barometer: BarometerOccupation::new("demo-5321", "Undersköterskor").expect("a barometer occupation"),
        occupations: vec![taxonomy().occupation_id("Y3QA_5pk_uXd").expect("undersköterska")],
        area: OutlookArea::parse(area).expect("an area"),
        job_opportunities,
        recruitment: RecruitmentSituation::Shortage,
        forecast: OutlookForecast::Increase,
    };
    let rows = vec![row("riket", JobOpportunities::Medium), row("01", JobOpportunities::Large)];
    OutlookPublication::new(day(2026, 1, 1), "Exempel", true, rows).expect("a publication")
}

/// One entry of every registry, given out of key order as a store may.
fn registries(at: DateTime<Utc>) -> StampedRegistries {
    StampedRegistries {
        occupation_links: vec![seen(link(), at)],
        validation_offers: vec![seen(branschvalidering(), at)],
        guidance_services: vec![seen(centre("vagledning-tumba"), at), seen(centre("vagledning-botkyrka"), at)],
        prices: vec![
            seen(price("usk-region", Party::WholeRegion), at),
            seen(price("usk-huddinge", Party::Municipality(kommun("0126"))), at),
        ],
        outlook: Some(outlook()),
    }
}

/// Every value of `row` has its column, in order, and is of the column's kind; a required
/// column is never empty.
fn agrees<R: Record>(row: &R) {
    let table = R::TABLE;
    let values = row.values();
    assert_eq!(values.len() + 1, table.columns.len(), "{}: values and columns (content_hash aside)", table.name);
    for (value, column) in values.iter().zip(table.columns) {
        let fits = match value {
            Value::Null => !column.required,
            Value::Text(_) => column.kind == Kind::String,
            Value::Integer(_) => column.kind == Kind::Integer,
            Value::Number(_) => column.kind == Kind::Number,
            Value::Boolean(_) => column.kind == Kind::Boolean,
            Value::Date(_) => column.kind == Kind::Date,
            Value::Datetime(_) => column.kind == Kind::Datetime,
        };
        assert!(fits, "{}.{} is {:?} but holds {value:?}", table.name, column.name, column.kind);
    }
    assert_eq!(values.first(), Some(&Value::Text(row.id())), "{}: id first", table.name);
}

#[test]
fn every_registry_row_has_one_value_of_its_columns_kind_per_column() {
    let registries = registries(night(0));
    for row in OccupationRow::all(taxonomy()) {
        agrees(&row);
    }
    registries.occupation_links.iter().map(OccupationLinkRow::from).for_each(|r| agrees(&r));
    registries.validation_offers.iter().map(ValidationOfferRow::from).for_each(|r| agrees(&r));
    registries.guidance_services.iter().map(GuidanceServiceRow::from).for_each(|r| agrees(&r));
    OpeningHoursRow::all(&registries.guidance_services).iter().for_each(agrees);
    registries.prices.iter().map(PriceRow::from).for_each(|r| agrees(&r));
    OutlookRow::all(registries.outlook.as_ref()).iter().for_each(agrees);
    // The optional columns that may be empty, empty.
    let mut bare = branschvalidering();
    (bare.industry_model, bare.seqf_level, bare.cost_sek, bare.occupations) = (None, None, None, vec![]);
    agrees(&ValidationOfferRow::from(&seen(bare, night(0))));
}

fn row(
    tables: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    table: &str,
    id: &str,
) -> Json {
    let line = tables.get(table).and_then(|rows| rows.get(id)).unwrap_or_else(|| panic!("{table} has no row {id}"));
    serde_json::from_str(line).expect("a row")
}

#[tokio::test]
async fn a_release_holds_every_registry_with_its_rows_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let records = Memory { registries: registries(night(0)), ..Memory::default() };
    let summary = publish(&records, Arc::new(LocalFolder::new(root)), &options(), night(0)).await.unwrap();
    let tables = jsonl_tables(root, &summary.release);

    assert_eq!(tables["occupations"].len(), taxonomy().occupations().len());
    let usk = row(&tables, "occupations", "Y3QA_5pk_uXd");
    assert_eq!(usk["ssyk_code"], "5321");
    assert_eq!(usk["taxonomy_snapshot"], taxonomy().snapshot.as_str());
    assert_eq!(usk["first_seen"], Json::Null);

    let link = row(&tables, "occupation_links", "YVUSK/Y3QA_5pk_uXd");
    assert_eq!((&link["course_code"], &link["occupation_id"]), (&"YVUSK".into(), &"Y3QA_5pk_uXd".into()));
    assert_eq!(link["first_seen"], "2026-11-20T02:00:00Z");

    let offer = row(&tables, "validation_offers", "bygg-byn-sodertalje");
    assert_eq!(offer["municipality_codes"], "0181 0192");
    assert_eq!(offer["languages"], "swe ara");
    assert_eq!(offer["occupation_ids"], "4Z7F_oBG_vMG");
    assert_eq!(offer["course_codes"], Json::Null);
    assert_eq!(offer["seqf_level"], 4);
    assert_eq!(offer["valid_to"], "2026-12-31");

    let ids: Vec<&String> = tables["guidance_services"].keys().collect();
    assert_eq!(ids, ["vagledning-botkyrka", "vagledning-tumba"], "ordered by id");
    let centre = row(&tables, "guidance_services", "vagledning-botkyrka");
    assert_eq!(centre["channels"], "plats video");
    assert_eq!(centre["target_groups"], "sfi yrkesvux");
    assert_eq!(centre["latitude"], 59.1997);
    assert_eq!(centre["phone"], "08-530 610 00");
    assert_eq!(tables["guidance_opening_hours"].len(), 4);
    let thursday = row(&tables, "guidance_opening_hours", "vagledning-botkyrka/4/13:00");
    assert_eq!(thursday["guidance_service_id"], "vagledning-botkyrka");
    assert_eq!(
        (&thursday["weekday"], &thursday["opens"], &thursday["closes"]),
        (&4.into(), &"13:00".into(), &"19:00".into())
    );

    let region = row(&tables, "prices", "usk-region");
    assert_eq!(region["payer_municipality_code"], "0127");
    assert_eq!(region["provider_municipality_code"], Json::Null, "every municipality of the region");
    assert_eq!(region["amount_sek"], 52.5);
    assert_eq!(region["source"], "illustrative");
    assert_eq!(row(&tables, "prices", "usk-huddinge")["provider_municipality_code"], "0126");

    let ids: Vec<&String> = tables["outlook_assessments"].keys().collect();
    assert_eq!(ids, ["2026-01-01/demo-5321/01", "2026-01-01/demo-5321/riket"], "ordered by id");
    let county = row(&tables, "outlook_assessments", "2026-01-01/demo-5321/01");
    assert_eq!(county["job_opportunities"], "stora");
    assert_eq!((&county["recruitment_situation"], &county["forecast"]), (&"brist".into(), &"oka".into()));
    assert_eq!((&county["illustrative"], &county["published"]), (&true.into(), &"2026-01-01".into()));
    assert_eq!(county["occupation_ids"], "Y3QA_5pk_uXd");

    // The keys are declared where consumers' tools read them.
    let package: Json =
        serde_json::from_str(&read(root, &format!("releases/{}/datapackage.json", summary.release))).unwrap();
    let schema = |name: &str| {
        package["resources"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap()["schema"].clone()
    };
    assert_eq!(schema("guidance_opening_hours")["foreignKeys"][0]["reference"]["resource"], "guidance_services");
    assert_eq!(schema("occupation_links")["foreignKeys"][0]["reference"]["resource"], "occupations");
    assert_eq!(schema("prices")["foreignKeys"].as_array().unwrap().len(), 2);
    assert_eq!(schema("prices")["primaryKey"], serde_json::json!(["id"]));
    let catalogue = read(root, "datasets/dcat");
    assert!(catalogue.contains("https://vuxnav.example/datasets/register"), "the registries' dataset");
    assert!(catalogue.contains("csv/guidance_opening_hours.csv.gz"), "its distributions");
    assert!(
        read(root, &format!("releases/{}/csv/guidance_opening_hours.csv.gz", summary.release))
            .starts_with("id,guidance_service_id,weekday,opens,closes,first_seen,last_changed,content_hash\r\n")
    );
}

async fn release(db: &Store, root: &Path, at: DateTime<Utc>) -> ReleaseSummary {
    let records = StoreRecords(db.release_reader().await.expect("a read of the store"));
    let summary = publish(&records, Arc::new(LocalFolder::new(root)), &options(), at).await.expect("a release");
    records.0.close().await.expect("the read closed");
    summary
}

/// The delta's lines of `table`, as JSON.
fn delta(root: &Path, release: &str, table: &str) -> Vec<Json> {
    read(root, &format!("releases/{release}/delta.jsonl.gz"))
        .lines()
        .map(|line| serde_json::from_str::<Json>(line).expect("a delta line"))
        .filter(|change| change["table"] == table)
        .collect()
}

#[tokio::test]
async fn a_registry_edit_is_in_the_next_delta_with_last_changed_moved_and_an_unchanged_import_is_not() {
    for db in fresh_stores().await {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cli = AuditContext::cli();
        let services = RegistryRows::GuidanceServices(vec![centre("vagledning-botkyrka"), centre("vagledning-tumba")]);
        db.import_registry(&services, false, &cli, "guidance.csv").await.unwrap();
        db.import_registry(
            &RegistryRows::Prices(vec![price("usk-region", Party::WholeRegion)]),
            false,
            &cli,
            "prices.csv",
        )
        .await
        .unwrap();
        let first = release(&db, root, night(0)).await;
        let before = jsonl_tables(root, &first.release);
        assert_eq!(before["guidance_services"].len(), 2, "{}", db.backend);

        // The same file again: nothing changes, so nothing is in the delta.
        db.import_registry(&services, false, &cli, "guidance.csv").await.unwrap();
        let second = release(&db, root, night(1)).await;
        assert_eq!(
            second.delta,
            DeltaStatus::Written { base: first.release.clone(), upserts: 0, deletes: 0 },
            "{}",
            db.backend
        );

        // An admin moves one service's Thursday and removes the price.
        let edited = at_noon(night(2));
        let mut moved = centre("vagledning-tumba");
        moved.opening_hours = OpeningHours::week([(
            Weekday::Thu,
            NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        )])
        .unwrap();
        change(&db, RegistryChange::Update(RegistryEntry::GuidanceService(moved)), edited).await;
        change(&db, RegistryChange::Delete(vuxnav_store::RegistryEntryId::Price(key("usk-region"))), edited).await;
        let third = release(&db, root, night(3)).await;

        let services = delta(root, &third.release, "guidance_services");
        assert_eq!(services.len(), 1, "{}: {services:?}", db.backend);
        assert_eq!((&services[0]["op"], &services[0]["id"]), (&"upsert".into(), &"vagledning-tumba".into()));
        let record = &services[0]["record"];
        assert_eq!(record["last_changed"], v1::rfc3339(edited), "{}", db.backend);
        let first_seen = row(&before, "guidance_services", "vagledning-tumba")["first_seen"].clone();
        assert_eq!(record["first_seen"], first_seen, "{}", db.backend);
        let hours: Vec<(String, String)> = delta(root, &third.release, "guidance_opening_hours")
            .iter()
            .map(|c| (c["op"].as_str().unwrap().to_owned(), c["id"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(
            hours,
            [
                ("delete".to_owned(), "vagledning-tumba/1/08:00".to_owned()),
                ("delete".to_owned(), "vagledning-tumba/4/13:00".to_owned()),
                ("upsert".to_owned(), "vagledning-tumba/4/14:00".to_owned()),
            ],
            "{}",
            db.backend
        );
        let prices = delta(root, &third.release, "prices");
        assert_eq!(prices.len(), 1, "{}", db.backend);
        assert_eq!((&prices[0]["op"], &prices[0]["id"]), (&"delete".into(), &"usk-region".into()));
    }
}

fn at_noon(night: DateTime<Utc>) -> DateTime<Utc> {
    night + Duration::hours(10)
}

async fn change(db: &Store, change: RegistryChange, at: DateTime<Utc>) {
    let describe = |entry: &RegistryEntry| serde_json::json!({ "key": entry.id().key() });
    let may = |_: &[MunicipalityCode]| true;
    let by = ChangedBy { action: "test.change", may: &may, describe: &describe, context: &AuditContext::cli() };
    db.change_registry(&change, by, taxonomy(), at).await.expect("the change made");
}
