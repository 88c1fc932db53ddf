//! Data quality per source: what the offerings served from its records lack (counted once, when
//! the model is built) and its last harvest runs (handed over by whoever builds the model, as
//! they were then). `dataQuality` is answered from these; no query reads the store.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use vuxnav_schema::{Course, HarvestRun, Offering, RunOutcome, SourceId, national_course};

use crate::ReadModel;

/// What the offerings served from one source lack, each counted once per offering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfferingQuality {
    /// Offerings served from the source's records, cancelled ones included: the source's
    /// `offeringCount`.
    pub offerings: u64,
    /// Of a course with neither a national nor a local code.
    pub missing_course_code: u64,
    /// Without a start date, and not with continuous intake.
    pub missing_start: u64,
    /// Without coordinates and without a street address.
    pub missing_location: u64,
    /// Without a link to apply.
    pub missing_application_link: u64,
    /// Of a course whose national code is not in Skolverket's list for its school form.
    pub unknown_course_code: u64,
}

impl OfferingQuality {
    fn add(&mut self, offering: &Offering, course: &Course) {
        self.offerings += 1;
        self.missing_course_code += u64::from(course.code.is_none() && course.local_code.is_none());
        let schedule = &offering.schedule;
        self.missing_start += u64::from(schedule.start().is_none() && !schedule.continuous_intake());
        let location = &offering.location;
        self.missing_location += u64::from(location.coordinates.is_none() && location.street_address.is_none());
        self.missing_application_link += u64::from(offering.application.url.is_none());
        self.unknown_course_code += u64::from(
            course.code.as_ref().is_some_and(|code| national_course(code.as_str(), course.school_form).is_none()),
        );
    }
}

/// The quality figures of every source, each counted under the source whose record is served.
pub(crate) fn per_source<'a>(
    offerings: &[Offering],
    course_of: impl Fn(&Offering) -> &'a Course,
) -> HashMap<SourceId, OfferingQuality> {
    let mut quality: HashMap<SourceId, OfferingQuality> = HashMap::new();
    for offering in offerings {
        quality.entry(offering.provenance.source.clone()).or_default().add(offering, course_of(offering));
    }
    quality
}

/// The data quality of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceQuality<'a> {
    pub source: &'a SourceId,
    pub offerings: OfferingQuality,
    /// Its last runs, newest first (without their rejections), as handed to
    /// [`ReadModel::with_harvest_runs`].
    pub runs: &'a [HarvestRun],
}

impl SourceQuality<'_> {
    /// When the newest succeeded run among `runs` finished: how fresh the source's data is.
    pub fn last_success(&self) -> Option<DateTime<Utc>> {
        self.runs.iter().find(|run| run.outcome == RunOutcome::Succeeded).and_then(|run| run.finished)
    }
}

/// Records a run rejected of those it read, 0 to 1; `None` when it read none.
pub fn rejection_rate(run: &HarvestRun) -> Option<f64> {
    (run.counts.fetched > 0).then(|| run.counts.rejected as f64 / run.counts.fetched as f64)
}

impl ReadModel {
    /// The model with the sources' last harvest runs (any order; rejections dropped), for
    /// [`ReadModel::data_quality`].
    #[must_use]
    pub fn with_harvest_runs(mut self, runs: Vec<HarvestRun>) -> Self {
        let mut by_source: HashMap<SourceId, Vec<HarvestRun>> = HashMap::new();
        for mut run in runs {
            run.rejections = Vec::new();
            by_source.entry(run.source.clone()).or_default().push(run);
        }
        for runs in by_source.values_mut() {
            runs.sort_by_key(|run| std::cmp::Reverse(run.id));
        }
        self.runs = by_source;
        self
    }

    /// Every source that has served offerings or has runs, by id.
    pub fn data_quality(&self) -> Vec<SourceQuality<'_>> {
        let sources: BTreeSet<&SourceId> = self.quality.keys().chain(self.runs.keys()).collect();
        sources
            .into_iter()
            .map(|source| SourceQuality {
                source,
                offerings: self.quality.get(source).copied().unwrap_or_default(),
                runs: self.runs.get(source).map_or(&[], Vec::as_slice),
            })
            .collect()
    }
}
