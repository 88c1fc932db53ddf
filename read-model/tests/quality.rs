//! Data quality per source over the demo's regional catalogue: the figures count what the
//! offerings lack, add up to the catalogue, and carry the runs handed over, newest first.

use chrono::{NaiveDate, TimeZone, Utc};
use vuxnav_read_model::{ReadModel, rejection_rate};
use vuxnav_schema::{HarvestRun, RunCounts, RunId, RunOutcome, national_course};
use vuxnav_simulator::{Scale, workload};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day")
}

fn run(id: i64, source: &vuxnav_schema::SourceId, outcome: RunOutcome, fetched: u64, rejected: u64) -> HarvestRun {
    let started = Utc.with_ymd_and_hms(2026, 3, 1, 3, 0, 0).single().expect("a time") + chrono::TimeDelta::hours(id);
    HarvestRun {
        id: RunId::new(id),
        source: source.clone(),
        started,
        finished: Some(started + chrono::TimeDelta::minutes(2)),
        outcome,
        full: true,
        counts: RunCounts { fetched, rejected, ..RunCounts::default() },
        error: None,
        rejections: Vec::new(),
        rejections_omitted: 0,
    }
}

#[test]
fn every_offering_counts_once_under_its_source_and_each_shortfall_is_what_it_lacks() {
    let catalogue = workload::catalogue(7, Scale::Regional, today());
    let offerings = catalogue.offerings.clone();
    let courses = catalogue.courses.clone();
    let model = ReadModel::build(catalogue).expect("a read model");
    assert_eq!(model.len(), offerings.len(), "the demo lists each occasion once");

    let quality = model.data_quality();

    let sum = |f: fn(&vuxnav_read_model::OfferingQuality) -> u64| quality.iter().map(|q| f(&q.offerings)).sum::<u64>();
    assert_eq!(sum(|q| q.offerings), model.len() as u64);
    for source in &quality {
        assert_eq!(source.offerings.offerings, model.source_offering_count(source.source));
        assert!(source.runs.is_empty(), "no runs handed over");
    }
    let count = |lacks: fn(&vuxnav_schema::Offering) -> bool| offerings.iter().filter(|o| lacks(o)).count() as u64;
    assert_eq!(sum(|q| q.missing_application_link), count(|o| o.application.url.is_none()));
    assert_eq!(sum(|q| q.missing_start), count(|o| o.schedule.start().is_none() && !o.schedule.continuous_intake()));
    assert_eq!(
        sum(|q| q.missing_location),
        count(|o| o.location.coordinates.is_none() && o.location.street_address.is_none())
    );
    let unknown: Vec<_> = courses
        .iter()
        .filter(|c| c.code.as_ref().is_some_and(|code| national_course(code.as_str(), c.school_form).is_none()))
        .map(|c| c.id)
        .collect();
    assert!(!unknown.is_empty(), "the demo has a course code Skolverket does not list");
    let of_unknown = offerings.iter().filter(|o| unknown.contains(&o.course)).count() as u64;
    assert_eq!(sum(|q| q.unknown_course_code), of_unknown);
}

#[test]
fn the_runs_handed_over_are_kept_per_source_newest_first_with_their_rejection_rate() {
    let model = ReadModel::build(workload::catalogue(7, Scale::Regional, today())).expect("a read model");
    let source = model.data_quality()[0].source.clone();
    let runs = vec![
        run(1, &source, RunOutcome::Succeeded, 200, 10),
        run(3, &source, RunOutcome::Failed, 0, 0),
        run(2, &source, RunOutcome::Succeeded, 200, 50),
    ];

    let model = model.with_harvest_runs(runs);

    let quality = model.data_quality();
    let ours = quality.iter().find(|q| *q.source == source).expect("the source");
    let ids: Vec<i64> = ours.runs.iter().map(|r| r.id.get()).collect();
    assert_eq!(ids, [3, 2, 1]);
    assert_eq!(ours.last_success(), ours.runs[1].finished, "the newest succeeded run, not the failed one");
    assert_eq!(rejection_rate(&ours.runs[1]), Some(0.25));
    assert_eq!(rejection_rate(&ours.runs[0]), None, "read nothing");
}
