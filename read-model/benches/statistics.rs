//! Statistics benchmark at national scale (all 290 municipalities, about 300,000 offerings,
//! and the demo's registries for all of them): how long `ReadModel::statistics` takes, in
//! process, as `statistics(filter, groupBy)` asks it. It prints the percentiles of 1,000 runs
//! of each question, then criterion's statistics for them; the figures are in
//! docs/performance.md. It never asserts on them.
//!
//! Run with `cargo bench -p vuxnav-read-model --bench statistics`. Under `cargo test --benches`
//! it builds and returns at once.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::Criterion;
use vuxnav_read_model::{OfferingFilter, ReadModel, RegistryModel, StatisticsDimension as By};
use vuxnav_schema::{SchoolForm, Taxonomy};
use vuxnav_simulator::{Scale, workload};

const SEED: u64 = 2026;
const RUNS: usize = 1_000;

/// The questions a statistician asks: (name, filter, group by).
fn questions() -> Vec<(&'static str, OfferingFilter, Vec<By>)> {
    let gy = OfferingFilter { school_forms: vec![SchoolForm::VuxGy], ..OfferingFilter::default() };
    vec![
        ("totals, no filter", OfferingFilter::default(), vec![]),
        ("by municipality and school form", OfferingFilter::default(), vec![By::Municipality, By::SchoolForm]),
        ("by subject, gymnasial", gy.clone(), vec![By::Subject]),
        ("by occupation, mode and time of study, gymnasial", gy, vec![By::Occupation, By::Mode, By::TimeOfStudy]),
    ]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date");
    let started = Instant::now();
    let catalogue = ReadModel::build(workload::catalogue(SEED, Scale::National, today)).expect("the read model builds");
    let taxonomy = Taxonomy::pinned().expect("the shipped snapshot");
    let registries = vuxnav_simulator::registries(Scale::National, today).expect("the demo registries");
    let registry = RegistryModel::build(taxonomy.clone(), registries);
    println!(
        "national data set: {} offerings, built in {:.1} s; {}",
        catalogue.len(),
        started.elapsed().as_secs_f64(),
        workload::memory()
    );
    let questions = questions();
    for (name, filter, group_by) in &questions {
        let statistics = catalogue.statistics(filter, group_by, &registry).expect("statistics");
        println!("  {name}: {} offerings in {} groups", statistics.total.offerings, statistics.groups.len());
    }
    println!("\npercentiles");
    for (name, filter, group_by) in &questions {
        workload::percentiles(name, &[()], RUNS, |()| {
            black_box(catalogue.statistics(filter, group_by, &registry).expect("statistics"));
        });
    }
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut group = criterion.benchmark_group("statistics");
    for (name, filter, group_by) in &questions {
        group.bench_function(name.replace([' ', ','], "_"), |b| {
            b.iter(|| black_box(catalogue.statistics(filter, group_by, &registry).expect("statistics")));
        });
    }
    group.finish();
    criterion.final_summary();
}
