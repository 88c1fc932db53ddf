//! The simulated municipal systems, read through the real connectors: what they serve
//! harvests back into the demo's own offerings, each fault fails a run, and paging works.

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use futures::StreamExt as _;
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_connectors::fetch::{FetchOptions, Fetcher};
use vuxnav_connectors::{ConnectorError, HarvestContext, Item, Rejection};
use vuxnav_schema::{Course, Offering, Provider, PublicId, StudyMode};
use vuxnav_simulator::upstream::{Fault, Upstreams};
use vuxnav_simulator::{ConnectorKind, DemoSource};

use vuxnav_tests::regional;

fn of_kind(kind: ConnectorKind) -> &'static DemoSource {
    regional().iter().find(|source| source.kind == kind).expect("the regional demo uses every kind")
}

fn options() -> FetchOptions {
    FetchOptions {
        retries: 1,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        allow_private_network: true,
        ..FetchOptions::default()
    }
}

struct Harvest {
    offerings: Vec<Offering>,
    courses: Vec<Course>,
    providers: Vec<Provider>,
    rejections: Vec<Rejection>,
}

async fn harvest(
    source: &DemoSource,
    config: &ConnectorConfig,
    options: FetchOptions,
) -> Result<Harvest, ConnectorError> {
    let fetcher = Fetcher::new(source.id.clone(), options).expect("an HTTP client");
    let connector = config.build(fetcher);
    let ctx = HarvestContext {
        source: source.id.clone(),
        municipality: source.municipality,
        since: None,
        started: Utc::now(),
    };
    let mut items = connector.harvest(&ctx);
    let mut harvest =
        Harvest { offerings: Vec::new(), courses: Vec::new(), providers: Vec::new(), rejections: Vec::new() };
    while let Some(item) = items.next().await {
        match item? {
            Item::Offering(offering) => harvest.offerings.push(offering),
            Item::Course(course) => harvest.courses.push(course),
            Item::Provider(provider) => harvest.providers.push(provider),
            Item::Rejected(rejection) => harvest.rejections.push(rejection),
            Item::Withdrawn { .. } => {}
        }
    }
    Ok(harvest)
}

/// The fields both formats carry, in a form that compares and prints well.
#[derive(Debug, PartialEq)]
struct Key {
    id: PublicId,
    upstream_id: String,
    course: Option<PublicId>,
    provider: PublicId,
    municipality: String,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    opens: Option<NaiveDate>,
    closes: Option<NaiveDate>,
    pace: u8,
    mode: &'static str,
    time_of_study: &'static str,
    language: String,
    seats: Option<u32>,
    web: Option<String>,
    town: Option<String>,
    place: Option<String>,
}

/// The course of an offering when it is a national one (one id in the whole region, whatever
/// the format); a local course is the source's own, and each format identifies it in its own
/// way (by the upstream's course id or by what it is), so only national ones are compared.
fn national(course: PublicId) -> Option<PublicId> {
    static NATIONAL: std::sync::LazyLock<std::collections::HashSet<PublicId>> = std::sync::LazyLock::new(|| {
        vuxnav_schema::national_courses().map(|c| PublicId::course_by_code(&c.code)).collect()
    });
    NATIONAL.contains(&course).then_some(course)
}

fn key(offering: &Offering) -> Key {
    Key {
        id: offering.id,
        upstream_id: offering.provenance.upstream_id.clone(),
        course: national(offering.course),
        provider: offering.provider,
        municipality: offering.municipality.as_str().to_owned(),
        start: offering.schedule.start(),
        end: offering.schedule.end(),
        opens: offering.application.opens(),
        closes: offering.application.closes(),
        pace: offering.pace.percent(),
        mode: offering.mode.map_or("", |m| m.code()),
        time_of_study: offering.time_of_study.map_or("", |t| t.code()),
        language: offering.language.map(|l| l.to_string()).unwrap_or_default(),
        seats: offering.seats,
        web: offering.web.clone(),
        town: offering.location.town.clone(),
        place: offering.location.name.clone(),
    }
}

/// What only EMIL 3 carries besides: continuous intake and application, cancellation,
/// apprenticeship, coordinates and the application's address.
type SusaExtra = (bool, bool, bool, bool, Option<(f64, f64)>, Option<String>);

fn susa_extra(offering: &Offering) -> SusaExtra {
    (
        offering.schedule.continuous_intake(),
        offering.application.continuous(),
        offering.cancelled,
        offering.apprenticeship,
        offering.location.coordinates.map(|c| (c.latitude, c.longitude)),
        offering.application.url.clone(),
    )
}

fn sorted<T, K: Ord>(items: &[Offering], project: impl Fn(&Offering) -> T, by: impl Fn(&Offering) -> K) -> Vec<T> {
    let mut refs: Vec<&Offering> = items.iter().collect();
    refs.sort_by_key(|o| by(o));
    refs.into_iter().map(project).collect()
}

#[tokio::test]
async fn a_susa_navet_source_harvests_back_into_exactly_its_own_offerings() {
    let source = of_kind(ConnectorKind::SusaNavet);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let config = upstreams.connector_config(source);
    assert!(config.validate().is_empty(), "{:?}", config.validate());

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");

    assert!(harvest.rejections.is_empty(), "{:#?}", harvest.rejections);
    let expected = &source.catalogue.offerings;
    assert_eq!(harvest.offerings.len(), expected.len());
    let by_id = |o: &Offering| o.id;
    assert_eq!(sorted(&harvest.offerings, key, by_id), sorted(expected, key, by_id));
    assert_eq!(sorted(&harvest.offerings, susa_extra, by_id), sorted(expected, susa_extra, by_id));
    // Entreprenörer come back as themselves, not as the municipality that reports them.
    let providers: std::collections::HashSet<PublicId> = harvest.offerings.iter().map(|o| o.provider).collect();
    assert!(providers.len() > 1, "the source has private providers");
}

/// What the Planned Educations list carries of an offering, with its course and provider by
/// what the format names them: title, form, credits and configuration; the provider's name.
#[derive(Debug, PartialEq)]
struct PlannedKey {
    id: PublicId,
    upstream_id: String,
    municipality: String,
    title: String,
    school_form: &'static str,
    configuration: &'static str,
    credits: Option<String>,
    provider: String,
    start: Option<NaiveDate>,
    continuous_intake: bool,
    closes: Option<NaiveDate>,
    continuous_application: bool,
    pace: u8,
    /// Hybrid is served as distance: the API has only `distance`.
    distance: bool,
    town: Option<String>,
    place: Option<String>,
}

fn planned_keys(offerings: &[Offering], courses: &[Course], providers: &[Provider]) -> Vec<PlannedKey> {
    let mut keys: Vec<PlannedKey> = offerings
        .iter()
        .map(|o| {
            let course = courses.iter().find(|c| c.id == o.course).expect("the offering's course");
            let provider = providers.iter().find(|p| p.id == o.provider).expect("the offering's provider");
            PlannedKey {
                id: o.id,
                upstream_id: o.provenance.upstream_id.clone(),
                municipality: o.municipality.as_str().to_owned(),
                title: course.title.clone(),
                school_form: course.school_form.code(),
                configuration: course.configuration.code(),
                credits: course.credits.map(|c| format!("{} {}", c.value, c.system.code())),
                provider: provider.name.clone(),
                start: o.schedule.start(),
                continuous_intake: o.schedule.continuous_intake(),
                closes: o.application.closes(),
                continuous_application: o.application.continuous(),
                pace: o.pace.percent(),
                distance: o.mode.is_some_and(|m| m != StudyMode::OnSite),
                town: o.location.town.clone(),
                place: o.location.name.clone(),
            }
        })
        .collect();
    keys.sort_by_key(|k| k.id);
    keys
}

#[tokio::test]
async fn a_planned_educations_source_harvests_back_into_what_the_format_carries_of_its_offerings() {
    let source = of_kind(ConnectorKind::PlannedEducations);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let config = upstreams.connector_config(source);
    assert!(matches!(config, ConnectorConfig::PlannedEducations(_)));
    assert!(config.validate().is_empty(), "{:?}", config.validate());

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");

    assert!(harvest.rejections.is_empty(), "{:#?}", harvest.rejections);
    let catalogue = &source.catalogue;
    assert_eq!(harvest.offerings.len(), catalogue.offerings.len());
    assert_eq!(
        planned_keys(&harvest.offerings, &harvest.courses, &harvest.providers),
        planned_keys(&catalogue.offerings, &catalogue.courses, &catalogue.providers)
    );
    // Entreprenörer come back as themselves, not as the municipality's unit that lists them.
    let providers: std::collections::HashSet<PublicId> = harvest.offerings.iter().map(|o| o.provider).collect();
    assert!(providers.len() > 1, "the source has private providers");
}

#[tokio::test]
async fn a_planned_educations_source_is_paged_at_any_size_and_filtered_by_its_municipality() {
    // This test's own HTTP client needs the process's TLS provider, as every client does.
    vuxnav_connectors::fetch::install_crypto_provider();
    let source = of_kind(ConnectorKind::PlannedEducations);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let mut config = upstreams.connector_config(source);
    let ConnectorConfig::PlannedEducations(planned) = &mut config else { panic!("a planned_educations table") };
    planned.page_size = 7;
    let offerings = source.catalogue.offerings.len() as u64;
    assert!(offerings > 7 * 3);

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");
    assert_eq!(harvest.offerings.len() as u64, offerings);
    assert!(upstreams.requests(&source.id) >= offerings.div_ceil(7));

    let url = |query: &str| format!("{}/v4/adult-education-events?{query}", upstreams.source_url(&source.id));
    let page: serde_json::Value =
        reqwest::get(url(&format!("geographicalAreaCode={}&page=1&size=7", source.municipality.as_str())))
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
    assert_eq!(page["status"], "OK");
    assert_eq!(page["body"]["_embedded"]["listedAdultEducationEvents"].as_array().map(Vec::len), Some(7));
    assert_eq!(page["body"]["page"]["number"], 1);
    assert_eq!(page["body"]["page"]["totalElements"], offerings);
    let first = &page["body"]["_embedded"]["listedAdultEducationEvents"][0];
    assert!(first["titleSv"].as_str().is_some_and(|t| t.starts_with("<![CDATA[")), "{first}");
    let elsewhere: serde_json::Value =
        reqwest::get(url("geographicalAreaCode=2121")).await.expect("an answer").json().await.expect("JSON");
    assert_eq!(elsewhere["body"]["page"]["totalElements"], 0);
    assert!(elsewhere["body"].get("_embedded").is_none(), "an empty page has no _embedded");
    let too_big = reqwest::get(url("size=500")).await.expect("an answer");
    assert_eq!(too_big.status(), 400);
}

#[tokio::test]
async fn a_csv_source_harvests_back_into_exactly_its_own_offerings() {
    let source = of_kind(ConnectorKind::Csv);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let config = upstreams.connector_config(source);
    assert!(matches!(config, ConnectorConfig::Csv(_)));
    assert!(config.validate().is_empty(), "{:?}", config.validate());

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");

    assert!(harvest.rejections.is_empty(), "{:#?}", harvest.rejections);
    let expected = &source.catalogue.offerings;
    assert_eq!(harvest.offerings.len(), expected.len());
    let by_id = |o: &Offering| o.id;
    assert_eq!(sorted(&harvest.offerings, key, by_id), sorted(expected, key, by_id));
}

/// What SS 12000 carries of an offering: no application period, seats or web page of its own
/// (see the `ss12000` upstream's module documentation).
#[derive(Debug, PartialEq)]
struct Ss12000Key {
    key: Key,
    continuous_intake: bool,
}

/// SS 12000 has no fields for mode, time of study or language: the activity's name says what
/// is not the usual (`distans`, `kvällstid`, `på engelska`), and the rest is unknown.
fn ss12000_key(offering: &Offering) -> Ss12000Key {
    let key = key(offering);
    let named = |value: &'static str, unnamed: &str| if value == unnamed { "" } else { value };
    let key = Key {
        opens: None,
        closes: None,
        seats: None,
        web: None,
        mode: named(key.mode, "plats"),
        time_of_study: named(key.time_of_study, "blandat"),
        language: if key.language == "eng" { key.language.clone() } else { String::new() },
        ..key
    };
    Ss12000Key { key, continuous_intake: offering.schedule.continuous_intake() }
}

#[tokio::test]
async fn an_ss12000_source_harvests_back_into_exactly_its_own_offerings() {
    let source = of_kind(ConnectorKind::Ss12000);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let config = upstreams.connector_config(source);
    assert!(matches!(config, ConnectorConfig::Ss12000(_)));
    assert!(config.validate().is_empty(), "{:?}", config.validate());

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");

    assert!(harvest.rejections.is_empty(), "{:#?}", harvest.rejections);
    let expected = &source.catalogue.offerings;
    assert_eq!(harvest.offerings.len(), expected.len());
    let by_id = |o: &Offering| o.id;
    // One pair at a time, so a difference prints as one offering and not as all of them.
    for (got, want) in sorted(&harvest.offerings, ss12000_key, by_id).iter().zip(sorted(expected, ss12000_key, by_id)) {
        assert_eq!(*got, want);
    }
    // Entreprenörer come back as themselves, by their organisation numbers.
    let providers: std::collections::HashSet<PublicId> = harvest.offerings.iter().map(|o| o.provider).collect();
    assert!(providers.len() > 1, "the source has private providers");
}

#[tokio::test]
async fn an_ss12000_source_is_paged_by_page_token_and_rejects_a_filter_beside_a_token() {
    vuxnav_connectors::fetch::install_crypto_provider();
    let source = of_kind(ConnectorKind::Ss12000);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let mut config = upstreams.connector_config(source);
    let ConnectorConfig::Ss12000(ss12000) = &mut config else { panic!("an ss12000 table") };
    ss12000.limit = 7;
    let offerings = source.catalogue.offerings.len() as u64;
    assert!(offerings > 7 * 3);

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");
    let mut got: Vec<PublicId> = harvest.offerings.iter().map(|o| o.id).collect();
    let mut want: Vec<PublicId> = source.catalogue.offerings.iter().map(|o| o.id).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(upstreams.requests(&source.id) >= offerings.div_ceil(7) + 3);

    let base = upstreams.source_url(&source.id);
    let first: serde_json::Value =
        reqwest::get(format!("{base}/activities?limit=2")).await.expect("an answer").json().await.expect("JSON");
    assert_eq!(first["data"].as_array().map(Vec::len), Some(2));
    let token = first["pageToken"].as_str().expect("a next page");
    let with_filter =
        reqwest::get(format!("{base}/activities?limit=2&pageToken={token}&meta.modified.after=2026-01-01T00:00:00Z"))
            .await
            .expect("an answer");
    assert_eq!(with_filter.status(), 400);
    // The demo's records were all last changed on 2026-11-27 at 03:00 UTC.
    let since = |after: &str| {
        let url = format!("{base}/activities?limit=10000&meta.modified.after={after}");
        async move {
            let page: serde_json::Value = reqwest::get(&url).await.expect("an answer").json().await.expect("JSON");
            page["data"].as_array().map_or(0, Vec::len) as u64
        }
    };
    assert_eq!(since("2026-11-27T02:59:59Z").await, offerings);
    assert_eq!(since("2026-11-27T03:00:00Z").await, 0);
}

#[tokio::test]
async fn a_json_api_source_harvests_back_into_exactly_its_own_offerings() {
    let source = of_kind(ConnectorKind::JsonApi);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let config = upstreams.connector_config(source);
    assert!(matches!(config, ConnectorConfig::JsonApi(_)));
    assert!(config.validate().is_empty(), "{:?}", config.validate());
    // More offerings than one page holds: the run follows the next links.
    assert!(source.catalogue.offerings.len() > 100, "{}", source.catalogue.offerings.len());

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");

    assert!(harvest.rejections.is_empty(), "{:#?}", harvest.rejections);
    let expected = &source.catalogue.offerings;
    assert_eq!(harvest.offerings.len(), expected.len());
    let by_id = |o: &Offering| o.id;
    assert_eq!(sorted(&harvest.offerings, key, by_id), sorted(expected, key, by_id));
    assert!(upstreams.requests(&source.id) >= (expected.len() as u64).div_ceil(100));
    let providers: std::collections::HashSet<PublicId> = harvest.offerings.iter().map(|o| o.provider).collect();
    assert!(providers.len() > 1, "the source has private providers");
}

#[tokio::test]
async fn every_demo_source_is_served_with_a_valid_connector_table() {
    let upstreams = Upstreams::start(regional()).expect("the server starts");
    for source in regional() {
        let text = upstreams.connector_toml(source);
        assert!(text.contains(&upstreams.source_url(&source.id)), "{text}");
        let config = upstreams.connector_config(source);
        assert_eq!(config.kind(), source.kind, "{}", source.id.as_str());
        assert!(config.validate().is_empty(), "{}: {:?}", source.id.as_str(), config.validate());
    }
    let kinds: std::collections::BTreeSet<&str> = regional().iter().map(|source| source.kind.as_str()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["csv", "json_api", "planned_educations", "ss12000", "susa_navet"]
    );
}

#[tokio::test]
async fn all_twenty_six_demo_sources_harvest_back_at_once_without_rejections() {
    let upstreams = Upstreams::start(regional()).expect("the server starts");
    let runs = regional().iter().map(|source| {
        let config = upstreams.connector_config(source);
        async move { (source, harvest(source, &config, options()).await) }
    });
    let results = futures::future::join_all(runs).await;
    assert_eq!(results.len(), 26);
    for (source, result) in results {
        let id = source.id.as_str();
        let harvest = result.unwrap_or_else(|error| panic!("{id}: {error}"));
        assert!(harvest.rejections.is_empty(), "{id}: {:?}", harvest.rejections);
        let mut got: Vec<PublicId> = harvest.offerings.iter().map(|o| o.id).collect();
        let mut want: Vec<PublicId> = source.catalogue.offerings.iter().map(|o| o.id).collect();
        got.sort();
        want.sort();
        assert!(got == want, "{id}: {} offerings harvested of {}", got.len(), want.len());
    }
}

#[tokio::test]
async fn each_fault_fails_the_run_and_clearing_it_lets_the_next_run_succeed() {
    let sources = [
        of_kind(ConnectorKind::SusaNavet).clone(),
        of_kind(ConnectorKind::Csv).clone(),
        of_kind(ConnectorKind::PlannedEducations).clone(),
        of_kind(ConnectorKind::Ss12000).clone(),
        of_kind(ConnectorKind::JsonApi).clone(),
    ];
    let upstreams = Upstreams::start(&sources).expect("the server starts");
    for source in &sources {
        let config = upstreams.connector_config(source);
        for fault in [
            Fault::Slow(Duration::from_secs(5)),
            Fault::Unavailable,
            Fault::MalformedJson,
            Fault::TruncatedBody,
            Fault::SchemaDrift,
        ] {
            let fault_options = match fault {
                Fault::Slow(_) => FetchOptions { timeout: Duration::from_millis(200), ..options() },
                _ => options(),
            };
            upstreams.set_fault(&source.id, fault);
            let before = upstreams.requests(&source.id);
            let failed = harvest(source, &config, fault_options).await;
            let kind = source.kind.as_str();
            let error = failed.err().unwrap_or_else(|| panic!("{kind} with {fault:?}: the run should fail"));
            let attempts = upstreams.requests(&source.id) - before;
            match fault {
                // Retried once by the fetcher, then given up.
                Fault::Unavailable | Fault::TruncatedBody | Fault::Slow(_) => {
                    assert_eq!(attempts, 2, "{kind} with {fault:?}: {error}");
                }
                _ => assert_eq!(attempts, 1, "{kind} with {fault:?}: {error}"),
            }
            let text = error.to_string();
            match fault {
                Fault::Unavailable => assert!(text.contains("503"), "{kind}: {text}"),
                Fault::MalformedJson | Fault::SchemaDrift => {
                    assert!(matches!(error, ConnectorError::Shape { .. }), "{kind} with {fault:?}: {text}");
                }
                _ => assert!(matches!(error, ConnectorError::Upstream { .. }), "{kind} with {fault:?}: {text}"),
            }

            upstreams.set_fault(&source.id, Fault::None);
            let healed = harvest(source, &config, options()).await.expect("the next run succeeds");
            assert_eq!(healed.offerings.len(), source.catalogue.offerings.len(), "{kind} after {fault:?}");
            assert!(healed.rejections.is_empty());
        }
    }
}

#[tokio::test]
async fn a_source_with_more_offerings_than_the_page_size_is_served_over_several_pages() {
    // This test's own HTTP client needs the process's TLS provider, as every client does.
    vuxnav_connectors::fetch::install_crypto_provider();
    let source = of_kind(ConnectorKind::SusaNavet);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let mut config = upstreams.connector_config(source);
    let ConnectorConfig::SusaNavet(susa) = &mut config else { panic!("a susa_navet table") };
    susa.page_size = 7;
    let offerings = source.catalogue.offerings.len() as u64;
    assert!(offerings > 7 * 3);

    let harvest = harvest(source, &config, options()).await.expect("the run succeeds");

    let ids = |items: &[Offering]| {
        let mut ids: Vec<PublicId> = items.iter().map(|o| o.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&harvest.offerings), ids(&source.catalogue.offerings));
    assert!(harvest.rejections.is_empty());
    // Every event page, and at least one page of providers and of infos.
    assert!(upstreams.requests(&source.id) >= offerings.div_ceil(7) + 2);

    let url = format!(
        "{}/educationEvents?schoolType=VUXGR,VUXGY,VUXSFI,VUXGRAN,VUXGYAN&page=1&size=7",
        upstreams.source_url(&source.id)
    );
    let page: serde_json::Value = reqwest::get(&url).await.expect("an answer").json().await.expect("JSON");
    assert_eq!(page["educationEvents"].as_array().map(Vec::len), Some(7));
    assert_eq!(page["page"]["pageNumber"], 1);
    assert_eq!(page["page"]["size"], 7);
    assert_eq!(page["page"]["totalElements"], offerings);
    assert_eq!(page["page"]["totalPages"], offerings.div_ceil(7));
    assert_eq!(page["educationEvents"][0]["status"], "ACTIVE");
    assert_eq!(page["educationEvents"][0]["content"]["locations"][0]["areaCode"], source.municipality.as_str());
}

#[tokio::test]
async fn updated_since_serves_only_what_was_edited_after_it() {
    // This test's own HTTP client needs the process's TLS provider, as every client does.
    vuxnav_connectors::fetch::install_crypto_provider();
    let source = of_kind(ConnectorKind::SusaNavet);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    let events = |since: &str| {
        let url = format!("{}/educationEvents?size=2000&updatedSince={since}", upstreams.source_url(&source.id));
        async move {
            let page: serde_json::Value = reqwest::get(&url).await.expect("an answer").json().await.expect("JSON");
            page["page"]["totalElements"].as_u64().expect("a count")
        }
    };
    // The demo's records were all last changed on 2026-11-27 at 03:00 UTC (04:00 in Sweden).
    assert_eq!(events("2026-11-27T03:59:59").await, source.catalogue.offerings.len() as u64);
    assert_eq!(events("2026-11-27T04:00:00").await, 0);
    assert_eq!(events("2026-11-26").await, source.catalogue.offerings.len() as u64);
    let bad = reqwest::get(format!("{}/educationEvents?updatedSince=yesterday", upstreams.source_url(&source.id)))
        .await
        .expect("an answer");
    assert_eq!(bad.status(), 400);
}
