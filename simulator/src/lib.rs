//! A deterministic generator of realistic demo data: what each municipality's own course
//! system holds, in the canonical model.
//!
//! This is what a new user sees first, and what the simulated municipal systems serve in real
//! upstream formats. So the data looks like komvux: real Skolverket course codes, names and
//! points (see `courses`), a komvux-like mix of school forms (much SFI and Svenska som
//! andraspråk, many core gymnasial courses, yrkesvux packages in the larger municipalities),
//! municipal providers beside invented private entreprenörer (some of them in several
//! municipalities), terms from mid-August and early January plus 5- and 10-week periods,
//! continuous intake, distance studies and a few cancellations. Dates are relative to `today`.
//!
//! Everything invented is marked as such: provider names, organisation numbers, web and mail
//! addresses (all on `.example`), telephone numbers (the range set aside for fiction) and the
//! schools at real place names. Coordinates scatter around each municipality's centre; at the
//! national scale, municipalities outside Stockholm County other than the largest get their
//! county's centre, a coarse approximation.
//!
//! Determinism: the same `(seed, scale, today)` gives the same data, byte for byte. Each
//! municipality draws from its own ChaCha8 stream keyed by the seed and its kommunkod, the
//! generator does its own arithmetic on raw draws (see `util::Dice`), iterates only slices
//! and never a hash map. How many offerings a municipality holds depends only on the scale.

mod courses;
mod generate;
mod places;
mod providers;
mod registry;
mod util;

pub use registry::registries;

pub mod upstream;
pub mod workload;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
pub use vuxnav_connectors::config::ConnectorKind;
use vuxnav_schema::{Catalogue, Municipality, MunicipalityCode, Region, SourceId};

use places::Profile;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The 26 municipalities of Stockholm County, about 6,000 offerings.
    Regional,
    /// All 290 municipalities of Sweden, about 300,000 offerings (for load and benchmarks).
    National,
}

impl Scale {
    /// The number of offerings of the whole scale.
    fn total_offerings(self) -> u64 {
        match self {
            Scale::Regional => 6_000,
            Scale::National => 300_000,
        }
    }

    fn municipalities(self) -> Vec<Municipality> {
        match self {
            Scale::Regional => Region::default().municipalities().iter().map(MunicipalityCode::municipality).collect(),
            Scale::National => Municipality::all().collect(),
        }
    }
}

/// The data one municipality's own course system holds, in the canonical model.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSource {
    /// `<kommunkod>-<name>`, such as `0126-huddinge`.
    pub id: SourceId,
    pub municipality: MunicipalityCode,
    /// Which upstream system kind this municipality runs, which decides the format its
    /// simulated system serves and the style of its upstream ids: Susa-navet and Planned
    /// Educations ids like `e.IST.0126MATMAT01C17`, SS 12000 UUIDs, numeric CSV
    /// `kurstillfalleId`s, JSON API slugs such as `matematik-1b-17`.
    pub kind: ConnectorKind,
    /// The providers, courses and offerings of this source.
    pub catalogue: Catalogue,
}

/// Generates every municipality's source for the scale, ordered by kommunkod.
///
/// The same `(seed, scale, today)` gives the same data, byte for byte. Provenance times are
/// `today` at 03:00 UTC, as if harvested by the night's run.
///
/// # Panics
///
/// Never for the tables in this module: every value they make is valid in the model, which
/// the tests check by generating both scales.
pub fn generate(seed: u64, scale: Scale, today: NaiveDate) -> Vec<DemoSource> {
    let profiles: Vec<Profile> = scale.municipalities().into_iter().map(Profile::of).collect();
    let weights: Vec<u64> = profiles.iter().map(Profile::weight).collect();
    let counts = generate::apportion(&weights, scale.total_offerings(), generate::MIN_OFFERINGS);
    let plan = generate::Plan::new(today);
    profiles
        .iter()
        .zip(counts)
        .map(|(profile, count)| {
            generate::source(&plan, seed, profile, count)
                .expect("the demo tables make only values the model accepts (see the demo tests)")
        })
        .collect()
}
