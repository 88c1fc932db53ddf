//! Read-path benchmarks on the national-scale generated data set (all 290 municipalities,
//! about 300,000 offerings): how long the read model takes to answer the queries a search page
//! sends. The same queries through the whole GraphQL execution are timed by the gateway's
//! `graphql_path` bench. The targets are in docs/performance.md; this bench prints the
//! figures, it never asserts on them.
//!
//! Run with `cargo bench -p vuxnav-read-model --bench read_path`. It prints, in order:
//! - the time to generate the data set and to build the read model, and the resident memory
//!   of the process once it is built;
//! - percentiles of 10,000 timed runs of the search-page query (free text + municipality +
//!   school form + facets, `first: 20`) through the read model;
//! - criterion's statistics for that query and five others: no filter with facets (the most
//!   work for facets), a common word by relevance, a deep page in title order, a typo, and
//!   every portal filter set with facets (every facet over a set of its own).
//!
//! Facets are counted as of the bench's `today`, as the portal and the API count them.
//!
//! Under `cargo test --benches` criterion runs each benchmark once and the percentiles are
//! skipped; so they are with `--profile-time` (for `perf record` on one benchmark).

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::Criterion;
use vuxnav_read_model::{OfferingFilter, OfferingOrder, OfferingQuery, PaceBand, ReadModel};
use vuxnav_schema::{MunicipalityCode, SchoolForm};
use vuxnav_simulator::Scale;
use vuxnav_simulator::workload::{self, SEARCH_PAGE};

const SEED: u64 = 2026;
const PAGE: usize = 20;
/// Timed runs of the search-page query for the percentiles.
const PERCENTILE_RUNS: usize = 10_000;
/// Criterion's measurement time per benchmark: short, so the whole bench takes a few minutes.
const MEASUREMENT: Duration = Duration::from_secs(5);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date")
}

/// Everything the benchmarks share, built once.
struct Fixture {
    model: ReadModel,
    search_page: Vec<OfferingQuery>,
    /// The cursor of the last offering of page 10 in title order.
    title_cursor: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build_fixture)
}

fn build_fixture() -> Fixture {
    let started = Instant::now();
    let catalogue = workload::catalogue(SEED, Scale::National, today());
    let generated = started.elapsed();
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
    println!("memory after build: {}", workload::memory());

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
            today: Some(today()),
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
    let mut after = None;
    for _ in 0..10 {
        let query = OfferingQuery { order: OfferingOrder::Title, first: PAGE, after, ..OfferingQuery::default() };
        let page = model.search(&query).expect("a title page");
        after = page.items.last().map(|(_, cursor)| cursor.clone());
    }
    let title_cursor = after.expect("the data set has more than ten pages");

    Fixture { model, search_page, title_cursor }
}

/// A portal search with every filter the portal has set (municipality, school form, subject,
/// pace, a start window, continuous intake, open now), so that every facet is counted over a
/// set of its own: the most work for facets under filters.
fn every_portal_filter() -> OfferingQuery {
    let (min, max) = PaceBand::FullTime.bounds();
    OfferingQuery {
        filter: OfferingFilter {
            municipalities: vec![MunicipalityCode::parse("1480").expect("a kommunkod")],
            school_forms: vec![SchoolForm::VuxGy],
            subjects: vec!["Svenska".to_owned()],
            pace_min: Some(min),
            pace_max: Some(max),
            start_from: Some(today()),
            start_to: today().checked_add_days(chrono::Days::new(90)),
            open_for_application_on: Some(today()),
            continuous_intake: Some(true),
            ..OfferingFilter::default()
        },
        first: PAGE,
        facets: true,
        today: Some(today()),
        ..OfferingQuery::default()
    }
}

fn print_percentiles(fixture: &Fixture) {
    println!("\npercentiles (targets: p50 <= 2 ms, p99 <= 10 ms)");
    workload::percentiles("read model, search page", &fixture.search_page, PERCENTILE_RUNS, |query| {
        black_box(fixture.model.search(query).expect("runs"));
    });
    println!("memory after the percentile runs: {}\n", workload::memory());
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

    group.bench_function("b_no_filter_facets_first_20", |b| {
        let fixture = fixture();
        let query = OfferingQuery { first: PAGE, facets: true, today: Some(today()), ..OfferingQuery::default() };
        b.iter(|| black_box(fixture.model.search(&query).expect("runs")));
    });

    group.bench_function("f_every_portal_filter_set_facets_first_20", |b| {
        let fixture = fixture();
        let query = every_portal_filter();
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
