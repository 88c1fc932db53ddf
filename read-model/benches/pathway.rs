//! Pathway benchmark at national scale (all 290 municipalities, about 300,000 offerings, and
//! the demo's registries for all of them): how long `RegistryModel::pathway` takes for a
//! pathway with offerings and costs, in process, as `pathway(occupation, municipality)` asks
//! it. The target (p99 <= 10 ms) and the figures are in docs/performance.md; this bench
//! prints them, it never asserts on them.
//!
//! Run with `cargo bench -p vuxnav-read-model --bench pathway`. Under `cargo test --benches`
//! it builds and returns at once.

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use vuxnav_read_model::{ReadModel, RegistryModel};
use vuxnav_schema::{MunicipalityCode, OccupationId, Taxonomy};
use vuxnav_simulator::{Scale, workload};

const SEED: u64 = 2026;
const RUNS: usize = 10_000;

/// (occupation, home municipality): the occupations with the most offerings, from large and
/// small municipalities in and outside Stockholm County.
const PATHWAYS: [(&str, &str); 6] = [
    ("Y3QA_5pk_uXd", "0127"), // undersköterska, Botkyrka
    ("Y3QA_5pk_uXd", "1480"), // undersköterska, Göteborg
    ("84Uc_bhA_s47", "0180"), // installationselektriker, Stockholm
    ("rM7G_ge7_XhP", "0126"), // barnskötare, Huddinge
    ("Vg3d_Azf_p5Y", "2480"), // kock, Umeå
    ("4zLr_jP5_peZ", "0192"), // vårdbiträde, Nynäshamn
];

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
        "national data set: {} offerings, registries {:?}, built in {:.1} s; {}",
        catalogue.len(),
        registry.counts(),
        started.elapsed().as_secs_f64(),
        workload::memory()
    );
    let inputs: Vec<(OccupationId, MunicipalityCode)> = PATHWAYS
        .iter()
        .map(|(o, m)| {
            (taxonomy.occupation_id(o).expect("an occupation"), MunicipalityCode::parse(m).expect("a kommunkod"))
        })
        .collect();
    for (occupation, home) in &inputs {
        let pathway = registry.pathway(&catalogue, occupation, *home, today).expect("a pathway");
        let offerings: usize = pathway.routes.iter().map(|r| r.offerings.len()).sum();
        println!(
            "  {} from {}: {} routes, {offerings} offerings with costs, {} validation offers, {} guidance services",
            pathway.occupation.label,
            home.municipality().name,
            pathway.routes.len(),
            pathway.validation_offers.len(),
            pathway.guidance_services.len()
        );
    }
    println!("\npercentiles (target: p99 <= 10 ms)");
    workload::percentiles("registry model, pathway with offerings and costs", &inputs, RUNS, |(occupation, home)| {
        black_box(registry.pathway(&catalogue, occupation, *home, today));
    });
}
