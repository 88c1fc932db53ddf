//! The search-page query through the whole in-process GraphQL execution (parse, validate,
//! resolve, serialise to JSON) on the national-scale generated data set (all 290
//! municipalities, about 300,000 offerings). The read model alone is timed by the read model's
//! `read_path` bench with the same queries; the difference is the GraphQL layer. The targets are
//! in docs/performance.md; this bench prints the figures, it never asserts on them.
//!
//! Run with `cargo bench -p vuxnav-gateway --bench graphql_path`. It prints percentiles of
//! 10,000 timed runs, then criterion's statistics for the same query. Under
//! `cargo test --benches` criterion runs it once and the percentiles are skipped.

use std::hint::black_box;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use arc_swap::ArcSwap;
use chrono::NaiveDate;
use criterion::Criterion;
use serde_json::json;
use vuxnav_gateway::graphql::{self, ApiSchema, Settings};
use vuxnav_read_model::ReadModel;
use vuxnav_schema::Region;
use vuxnav_simulator::Scale;
use vuxnav_simulator::workload::{self, SEARCH_PAGE};
use vuxnav_store::Store;

const SEED: u64 = 2026;
/// Timed runs of the search-page query for the percentiles.
const PERCENTILE_RUNS: usize = 10_000;

/// What the search page asks for: the first page, the total, and every facet.
const SEARCH_PAGE_GRAPHQL: &str = r#"query SearchPage($search: String, $municipalities: [String!], $schoolForms: [SchoolForm!]) {
  offerings(search: $search, filter: {municipalities: $municipalities, schoolForms: $schoolForms}, first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id start pace mode timeOfStudy continuousIntake
        course { title code schoolForm }
        provider { name }
        municipality { code name }
        location { name town }
      }
    }
    facets {
      municipality { municipality { code name } count }
      schoolForm { value count }
      mode { value count }
      timeOfStudy { value count }
      language { value count }
    }
  }
}"#;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date")
}

struct Fixture {
    schema: ApiSchema,
    runtime: tokio::runtime::Runtime,
    /// The variables of each search-page query.
    search_page: Vec<serde_json::Value>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let model =
            ReadModel::build(workload::catalogue(SEED, Scale::National, today())).expect("the read model builds");
        println!("read model of {} offerings; memory: {}", model.len(), workload::memory());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
        let store = runtime.block_on(Store::connect("sqlite::memory:")).expect("an in-memory store");
        let settings = Settings { region: Region::national(), today: Some(today()), ..Settings::default() };
        let taxonomy = vuxnav_schema::Taxonomy::pinned().expect("the shipped taxonomy").clone();
        let registries = Arc::new(ArcSwap::from_pointee(vuxnav_read_model::RegistryModel::empty(taxonomy)));
        let schema = graphql::build_schema(settings, Arc::new(ArcSwap::from_pointee(model)), registries, store);
        let search_page = SEARCH_PAGE
            .iter()
            .map(|&(text, municipality, school_form)| {
                json!({ "search": text, "municipalities": [municipality], "schoolForms": [school_form.code()] })
            })
            .collect();
        Fixture { schema, runtime, search_page }
    })
}

impl Fixture {
    /// Executes the search-page query with `variables` and serialises the response, as the
    /// HTTP handler does.
    fn graphql(&self, variables: &serde_json::Value) -> String {
        let request = async_graphql::Request::new(SEARCH_PAGE_GRAPHQL)
            .variables(async_graphql::Variables::from_json(variables.clone()));
        let response = self.runtime.block_on(self.schema.execute(request));
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        serde_json::to_string(&response).expect("a response serialises")
    }
}

fn benchmarks(c: &mut Criterion) {
    c.bench_function("graphql_in_process_text_municipality_school_form_facets_first_20", |b| {
        let fixture = fixture();
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(fixture.graphql(&fixture.search_page[i % SEARCH_PAGE.len()]));
        });
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let benchmarking = flag("--bench") && !flag("--test") && !flag("--list") && !flag("--profile-time");
    if benchmarking {
        let fixture = fixture();
        println!("\npercentiles (targets: p50 <= 2 ms, p99 <= 10 ms)");
        workload::percentiles("GraphQL in process, search page", &fixture.search_page, PERCENTILE_RUNS, |variables| {
            black_box(fixture.graphql(variables));
        });
    }
    let mut criterion = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    benchmarks(&mut criterion);
    criterion.final_summary();
}
