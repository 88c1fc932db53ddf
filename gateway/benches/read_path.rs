//! Read-path benchmarks on the national-scale generated data set (all 290 municipalities,
//! about 300,000 offerings): how long the read model and the GraphQL layer take to answer the
//! queries a search page sends. The targets are in docs/performance.md; this bench prints the
//! figures, it never asserts on them.
//!
//! Run with `cargo bench -p vuxnav-gateway --bench read_path`. It prints, in order:
//! - the time to generate the data set and to build the read model, and the resident memory
//!   of the process once it is built;
//! - percentiles of 10,000 timed runs of the search-page query (free text + municipality +
//!   school form + facets, `first: 20`), through the read model and through the whole
//!   in-process GraphQL execution (parse, validate, resolve, serialise to JSON);
//! - criterion's statistics for that query and four others: no filter with facets (the most
//!   work for facets), a common word by relevance, a deep page in title order, and a typo.
//!
//! Under `cargo test --benches` criterion runs each benchmark once and the percentiles are
//! skipped; so they are with `--profile-time` (for `perf record` on one benchmark).

use std::hint::black_box;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use chrono::NaiveDate;
use criterion::Criterion;
use serde_json::json;
use vuxnav_gateway::demo::{self, Scale};
use vuxnav_gateway::graphql::{self, ApiSchema, Settings};
use vuxnav_gateway::read_model::{OfferingFilter, OfferingOrder, OfferingQuery, ReadModel};
use vuxnav_schema::{Catalogue, MunicipalityCode, Region, SchoolForm};
use vuxnav_store::Store;

const SEED: u64 = 2026;
const PAGE: usize = 20;
/// Timed runs of the search-page query for the percentiles.
const PERCENTILE_RUNS: usize = 10_000;
/// Criterion's measurement time per benchmark: short, so the whole bench takes a few minutes.
const MEASUREMENT: Duration = Duration::from_secs(5);

/// The search-page queries, rotated per iteration so that no single bitmap or text-index
/// term stays hot in the cache: (text, kommunkod, school form). The same list is in
/// scripts/bench-http.
const SEARCH_PAGE: [(&str, &str, SchoolForm); 8] = [
    ("svenska", "1480", SchoolForm::VuxGy),         // Göteborg
    ("matematik", "0180", SchoolForm::VuxGy),       // Stockholm
    ("engelska", "1280", SchoolForm::VuxGy),        // Malmö
    ("svenska", "0380", SchoolForm::VuxSfi),        // Uppsala
    ("vård", "0126", SchoolForm::VuxGy),            // Huddinge
    ("historia", "0580", SchoolForm::VuxGy),        // Linköping
    ("svenska", "1880", SchoolForm::VuxGr),         // Örebro
    ("samhällskunskap", "2480", SchoolForm::VuxGy), // Umeå
];

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

/// Everything the benchmarks share, built once.
struct Fixture {
    model: Arc<ReadModel>,
    schema: ApiSchema,
    runtime: tokio::runtime::Runtime,
    search_page: Vec<OfferingQuery>,
    /// The variables of each search-page query for `SEARCH_PAGE_GRAPHQL`.
    graphql_search_page: Vec<serde_json::Value>,
    /// The cursor of the last offering of page 10 in title order.
    title_cursor: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build_fixture)
}

fn build_fixture() -> Fixture {
    let started = Instant::now();
    let sources = demo::generate(SEED, Scale::National, today());
    let generated = started.elapsed();
    // One catalogue as the store hands it over: each course and provider once, by id.
    let mut catalogue = Catalogue::default();
    for source in sources {
        catalogue.providers.extend(source.catalogue.providers);
        catalogue.courses.extend(source.catalogue.courses);
        catalogue.offerings.extend(source.catalogue.offerings);
    }
    catalogue.providers.sort_unstable_by_key(|p| p.id);
    catalogue.providers.dedup_by_key(|p| p.id);
    catalogue.courses.sort_unstable_by_key(|c| c.id);
    catalogue.courses.dedup_by_key(|c| c.id);
    catalogue.offerings.sort_unstable_by_key(|o| o.id);
    let (offerings, courses, providers) =
        (catalogue.offerings.len(), catalogue.courses.len(), catalogue.providers.len());

    let started = Instant::now();
    let model = ReadModel::build(catalogue).expect("the read model builds");
    let built = started.elapsed();
    println!(
        "data set: {offerings} offerings, {courses} courses, {providers} providers (seed {SEED}, today {})",
        today()
    );
    println!("generate: {:.2} s; ReadModel::build: {:.2} s", generated.as_secs_f64(), built.as_secs_f64());
    println!("memory after build: {}", memory());

    let model = Arc::new(model);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let store = runtime.block_on(Store::connect("sqlite::memory:")).expect("an in-memory store");
    let settings = Settings { region: Region::national(), today: Some(today()), ..Settings::default() };
    let schema = graphql::build_schema(settings, Arc::new(ArcSwap::new(Arc::clone(&model))), store);

    let search_page: Vec<OfferingQuery> = SEARCH_PAGE
        .iter()
        .map(|&(text, municipality, school_form)| OfferingQuery {
            filter: OfferingFilter {
                municipalities: vec![MunicipalityCode::parse(municipality).expect("a kommunkod")],
                school_forms: vec![school_form],
                ..OfferingFilter::default()
            },
            text: Some(text.to_owned()),
            first: PAGE,
            facets: true,
            ..OfferingQuery::default()
        })
        .collect();
    for query in &search_page {
        let page = model.search(query).expect("the search-page query runs");
        println!(
            "  search page {:?} in {} {}: {} matches",
            query.text.as_deref().unwrap_or_default(),
            query.filter.municipalities[0].municipality().name,
            query.filter.school_forms[0].code(),
            page.total_count
        );
    }
    let graphql_search_page = SEARCH_PAGE
        .iter()
        .map(|&(text, municipality, school_form)| {
            json!({ "search": text, "municipalities": [municipality], "schoolForms": [school_form.code()] })
        })
        .collect();

    let mut after = None;
    for _ in 0..10 {
        let query = OfferingQuery { order: OfferingOrder::Title, first: PAGE, after, ..OfferingQuery::default() };
        let page = model.search(&query).expect("a title page");
        after = page.items.last().map(|(_, cursor)| cursor.clone());
    }
    let title_cursor = after.expect("the data set has more than ten pages");

    Fixture { model, schema, runtime, search_page, graphql_search_page, title_cursor }
}

/// VmRSS and VmHWM of this process.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map_or_else(|| "?".to_owned(), |rest| rest.trim().to_owned())
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
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

/// Runs `run` `n` times, rotating through `inputs`, and prints the distribution of durations.
fn percentiles<T>(name: &str, inputs: &[T], n: usize, mut run: impl FnMut(&T)) {
    for input in inputs {
        run(input); // warm-up
    }
    let mut durations: Vec<Duration> = Vec::with_capacity(n);
    for i in 0..n {
        let input = &inputs[i % inputs.len()];
        let started = Instant::now();
        run(input);
        durations.push(started.elapsed());
    }
    durations.sort_unstable();
    let at = |q: f64| durations[((durations.len() as f64 * q) as usize).min(durations.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mean = durations.iter().sum::<Duration>() / n as u32;
    println!(
        "{name}: {n} runs, p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms, mean {:.3} ms",
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(durations[n - 1]),
        ms(mean)
    );
}

fn print_percentiles(fixture: &Fixture) {
    println!("\npercentiles (targets: p50 <= 2 ms, p99 <= 10 ms)");
    percentiles("read model, search page", &fixture.search_page, PERCENTILE_RUNS, |query| {
        black_box(fixture.model.search(query).expect("runs"));
    });
    percentiles("GraphQL in process, search page", &fixture.graphql_search_page, PERCENTILE_RUNS, |variables| {
        black_box(fixture.graphql(variables));
    });
    println!("memory after the percentile runs: {}\n", memory());
}

fn benchmarks(c: &mut Criterion) {
    let mut group = c.benchmark_group("read_path");

    group.bench_function("a_text_municipality_school_form_facets_first_20", |b| {
        let fixture = fixture();
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(fixture.model.search(&fixture.search_page[i % SEARCH_PAGE.len()]).expect("runs"));
        });
    });

    group.bench_function("a_graphql_in_process_text_municipality_school_form_facets_first_20", |b| {
        let fixture = fixture();
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(fixture.graphql(&fixture.graphql_search_page[i % SEARCH_PAGE.len()]));
        });
    });

    group.bench_function("b_no_filter_facets_first_20", |b| {
        let fixture = fixture();
        let query = OfferingQuery { first: PAGE, facets: true, ..OfferingQuery::default() };
        b.iter(|| black_box(fixture.model.search(&query).expect("runs")));
    });

    // Slower than the others: give it the time its samples need.
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("c_text_only_svenska_by_relevance_first_20", |b| {
        let fixture = fixture();
        let query = OfferingQuery { text: Some("svenska".into()), first: PAGE, ..OfferingQuery::default() };
        b.iter(|| black_box(fixture.model.search(&query).expect("runs")));
    });
    group.measurement_time(MEASUREMENT);

    group.bench_function("d_title_order_page_11_after_cursor", |b| {
        let fixture = fixture();
        let query = OfferingQuery {
            order: OfferingOrder::Title,
            first: PAGE,
            after: Some(fixture.title_cursor.clone()),
            ..OfferingQuery::default()
        };
        b.iter(|| black_box(fixture.model.search(&query).expect("runs")));
    });

    group.bench_function("e_typo_matematk_first_20", |b| {
        let fixture = fixture();
        let query = OfferingQuery { text: Some("matematk".into()), first: PAGE, ..OfferingQuery::default() };
        b.iter(|| black_box(fixture.model.search(&query).expect("runs")));
    });

    group.finish();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    // Percentiles only in a real benchmark run: not under `cargo test --benches`, `--list`,
    // or `--profile-time` (profiling one benchmark).
    let benchmarking = flag("--bench") && !flag("--test") && !flag("--list") && !flag("--profile-time");
    if benchmarking {
        print_percentiles(fixture());
    }
    let mut criterion = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(MEASUREMENT)
        .configure_from_args();
    benchmarks(&mut criterion);
    criterion.final_summary();
}
