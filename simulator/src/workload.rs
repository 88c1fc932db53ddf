//! What the benchmarks load and ask, shared by the read model's and the gateway's benches and
//! `scripts/bench-http`, so that their figures describe the same work.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use vuxnav_schema::{Catalogue, SchoolForm};

use crate::{Scale, generate};

/// The search-page queries, rotated per iteration so that no single bitmap or text-index term
/// stays hot in the cache: (text, kommunkod, school form). The same list is in
/// `scripts/bench-http`.
pub const SEARCH_PAGE: [(&str, &str, SchoolForm); 8] = [
    ("svenska", "1480", SchoolForm::VuxGy),         // Göteborg
    ("matematik", "0180", SchoolForm::VuxGy),       // Stockholm
    ("engelska", "1280", SchoolForm::VuxGy),        // Malmö
    ("svenska", "0380", SchoolForm::VuxSfi),        // Uppsala
    ("vård", "0126", SchoolForm::VuxGy),            // Huddinge
    ("historia", "0580", SchoolForm::VuxGy),        // Linköping
    ("svenska", "1880", SchoolForm::VuxGr),         // Örebro
    ("samhällskunskap", "2480", SchoolForm::VuxGy), // Umeå
];

/// Every source of the data set in one catalogue, as the store hands it over: each course and
/// provider once, everything by id.
pub fn catalogue(seed: u64, scale: Scale, today: NaiveDate) -> Catalogue {
    let mut catalogue = Catalogue::default();
    for source in generate(seed, scale, today) {
        catalogue.providers.extend(source.catalogue.providers);
        catalogue.courses.extend(source.catalogue.courses);
        catalogue.offerings.extend(source.catalogue.offerings);
    }
    catalogue.providers.sort_unstable_by_key(|p| p.id);
    catalogue.providers.dedup_by_key(|p| p.id);
    catalogue.courses.sort_unstable_by_key(|c| c.id);
    catalogue.courses.dedup_by_key(|c| c.id);
    catalogue.offerings.sort_unstable_by_key(|o| o.id);
    catalogue
}

/// VmRSS and VmHWM of this process.
pub fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map_or_else(|| "?".to_owned(), |rest| rest.trim().to_owned())
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
}

/// Runs `run` `n` times, rotating through `inputs`, and prints the distribution of durations.
pub fn percentiles<T>(name: &str, inputs: &[T], n: usize, mut run: impl FnMut(&T)) {
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
