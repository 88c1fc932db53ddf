//! The simulated municipal systems, read through the real connectors: what they serve
//! harvests back into the demo's own offerings, each fault fails a run, and paging works.

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use futures::StreamExt as _;
use vuxnav_connectors::config::ConnectorConfig;
use vuxnav_connectors::fetch::{FetchOptions, Fetcher};
use vuxnav_connectors::{ConnectorError, HarvestContext, Item, Rejection};
use vuxnav_gateway::demo::upstream::{Fault, Upstreams, served_kind};
use vuxnav_gateway::demo::{ConnectorKind, DemoSource};
use vuxnav_schema::{Offering, PublicId};

mod support;

use support::regional;

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
    let mut harvest = Harvest { offerings: Vec::new(), rejections: Vec::new() };
    while let Some(item) = items.next().await {
        match item? {
            Item::Offering(offering) => harvest.offerings.push(offering),
            Item::Rejected(rejection) => harvest.rejections.push(rejection),
            Item::Provider(_) | Item::Course(_) | Item::Withdrawn { .. } => {}
        }
    }
    Ok(harvest)
}

/// The fields both formats carry, in a form that compares and prints well.
#[derive(Debug, PartialEq)]
struct Key {
    id: PublicId,
    upstream_id: String,
    course: PublicId,
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

fn key(offering: &Offering) -> Key {
    Key {
        id: offering.id,
        upstream_id: offering.provenance.upstream_id.clone(),
        course: offering.course,
        provider: offering.provider,
        municipality: offering.municipality.as_str().to_owned(),
        start: offering.schedule.start(),
        end: offering.schedule.end(),
        opens: offering.application.opens(),
        closes: offering.application.closes(),
        pace: offering.pace.percent(),
        mode: offering.mode.code(),
        time_of_study: offering.time_of_study.code(),
        language: offering.language.as_str().to_owned(),
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
    assert_eq!(served_kind(source), "susa_navet");
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

#[tokio::test]
async fn a_csv_source_harvests_back_into_exactly_its_own_offerings() {
    let source = of_kind(ConnectorKind::Csv);
    let upstreams = Upstreams::start(std::slice::from_ref(source)).expect("the server starts");
    assert_eq!(served_kind(source), "csv");
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

#[tokio::test]
async fn every_demo_source_is_served_with_a_valid_connector_table() {
    let upstreams = Upstreams::start(regional()).expect("the server starts");
    for source in regional() {
        let text = upstreams.connector_toml(source);
        assert!(text.contains(&upstreams.source_url(&source.id)), "{text}");
        let config = upstreams.connector_config(source);
        assert_eq!(config.kind(), served_kind(source), "{}", source.id.as_str());
        assert!(config.validate().is_empty(), "{}: {:?}", source.id.as_str(), config.validate());
    }
    let kinds: std::collections::BTreeSet<&str> = regional().iter().map(served_kind).collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["csv", "susa_navet"]);
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
    let sources = [of_kind(ConnectorKind::SusaNavet).clone(), of_kind(ConnectorKind::Csv).clone()];
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
            let kind = served_kind(source);
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
    // The demo's records were all last changed on 2026-05-20 at 03:00 UTC (05:00 in Sweden).
    assert_eq!(events("2026-05-20T04:59:59").await, source.catalogue.offerings.len() as u64);
    assert_eq!(events("2026-05-20T05:00:00").await, 0);
    assert_eq!(events("2026-05-19").await, source.catalogue.offerings.len() as u64);
    let bad = reqwest::get(format!("{}/educationEvents?updatedSince=yesterday", upstreams.source_url(&source.id)))
        .await
        .expect("an answer");
    assert_eq!(bad.status(), 400);
}
