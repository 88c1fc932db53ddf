//! Recorded harvest runs: started, finished with counts and rejections, paged newest first,
//! interrupted ones marked, and the source's state kept as `record_attempt` keeps it. Every
//! test runs on SQLite and, when `VUXNAV_TEST_DATABASE_URL` is set, on PostgreSQL.

mod common;

use common::{at, catalogue, registered, source};
use vuxnav_schema::{RunCounts, RunId, RunOutcome, RunRejection, SourceState};
use vuxnav_store::testing::{execute, fresh_stores};
use vuxnav_store::{MAX_REJECTIONS_PER_RUN, StoreError};

fn rejection(i: usize) -> RunRejection {
    RunRejection {
        upstream_id: format!("e.{i}"),
        field: "execution.start".to_owned(),
        reason: format!("`2026-13-{i:02}` is not a date"),
    }
}

#[tokio::test]
async fn a_started_run_is_listed_as_running_with_nothing_counted() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;

        let run = db.start_run(&id, at(0), true).await?;

        let runs = db.runs(None, 10, None).await?;
        assert_eq!(runs.len(), 1, "{}", db.backend);
        let listed = &runs[0];
        assert_eq!((listed.id, &listed.source, listed.started), (run, &id, at(0)), "{}", db.backend);
        assert_eq!((listed.outcome, listed.finished, listed.full), (RunOutcome::Running, None, true), "{}", db.backend);
        assert_eq!((listed.counts, listed.error.as_deref()), (RunCounts::default(), None), "{}", db.backend);
        assert!(listed.rejections.is_empty(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_finished_run_is_listed_with_its_counts_and_rejections() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        let run = db.start_run(&id, at(0), false).await?;
        let counts = RunCounts { fetched: 12, new: 4, changed: 3, unchanged: 2, withdrawn: 1, rejected: 2 };
        let rejections = vec![rejection(1), rejection(2)];

        db.finish_run(run, at(1), Ok(()), counts, &rejections).await?;

        let listed = db.run(run).await?.expect("the run is recorded");
        assert_eq!((listed.outcome, listed.finished), (RunOutcome::Succeeded, Some(at(1))), "{}", db.backend);
        assert_eq!((listed.counts, listed.full, listed.error.as_deref()), (counts, false, None), "{}", db.backend);
        assert_eq!((listed.rejections, listed.rejections_omitted), (rejections, 0), "{}", db.backend);
        assert_eq!(db.runs(Some(&id), 10, None).await?, vec![db.run(run).await?.expect("recorded")], "{}", db.backend);
        let status = &db.sources().await?[0];
        assert_eq!((status.state, status.last_success), (SourceState::Ok, Some(at(1))), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn runs_are_paged_newest_first_and_after_continues() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let a = registered(&db, "huddinge-csv").await?;
        let b = registered(&db, "huddinge-susa").await?;
        let mut started = Vec::new();
        for hour in 0..5 {
            let source = if hour % 2 == 0 { &a } else { &b };
            let run = db.start_run(source, at(hour), true).await?;
            db.finish_run(run, at(hour), Ok(()), RunCounts::default(), &[rejection(hour as usize)]).await?;
            started.push(run);
        }
        let ids = |runs: &[vuxnav_schema::HarvestRun]| runs.iter().map(|r| r.id).collect::<Vec<RunId>>();

        let first = db.runs(None, 2, None).await?;
        let second = db.runs(None, 2, Some(first[1].id)).await?;
        let third = db.runs(None, 2, Some(second[1].id)).await?;

        assert_eq!(ids(&first), vec![started[4], started[3]], "{}", db.backend);
        assert_eq!(ids(&second), vec![started[2], started[1]], "{}", db.backend);
        assert_eq!(ids(&third), vec![started[0]], "{}", db.backend);
        assert!(third[0].started < first[0].started, "{}", db.backend);
        assert_eq!(third[0].rejections, vec![rejection(0)], "{}: each run has its own rejections", db.backend);
        let of_a = db.runs(Some(&a), 10, None).await?;
        assert_eq!(ids(&of_a), vec![started[4], started[2], started[0]], "{}", db.backend);
        assert_eq!(ids(&db.runs(Some(&a), 10, Some(started[2])).await?), vec![started[0]], "{}", db.backend);
        assert!(db.runs(None, 0, None).await?.is_empty(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_failed_run_keeps_last_success_and_the_data_and_makes_the_source_stale() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        let good = db.start_run(&id, at(0), true).await?;
        db.replace_source(&id, &catalogue(&id, 6, 0), at(0)).await?;
        db.finish_run(good, at(0), Ok(()), RunCounts { new: 6, ..RunCounts::default() }, &[]).await?;
        let before = db.catalogue().await?;

        let bad = db.start_run(&id, at(1), true).await?;
        db.finish_run(bad, at(2), Err("upstream answered 503".to_owned()), RunCounts::default(), &[]).await?;

        let run = db.run(bad).await?.expect("the run is recorded");
        assert_eq!(run.outcome, RunOutcome::Failed, "{}", db.backend);
        assert_eq!(run.error.as_deref(), Some("upstream answered 503"), "{}", db.backend);
        let status = &db.sources().await?[0];
        assert_eq!(status.state, SourceState::Stale, "{}", db.backend);
        assert_eq!((status.last_attempt, status.last_success), (Some(at(2)), Some(at(0))), "{}", db.backend);
        assert_eq!(status.last_error.as_deref(), Some("upstream answered 503"), "{}", db.backend);
        assert_eq!(db.catalogue().await?, before, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_run_left_running_by_an_earlier_process_is_marked_interrupted() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.record_attempt(&id, at(0), Ok(())).await?;
        let killed = db.start_run(&id, at(1), true).await?;
        let current = db.start_run(&id, at(3), true).await?;

        let marked = db.finish_stale_runs(at(2)).await?;

        assert_eq!(marked, 1, "{}", db.backend);
        let run = db.run(killed).await?.expect("the run is recorded");
        assert_eq!((run.outcome, run.finished), (RunOutcome::Failed, Some(at(2))), "{}", db.backend);
        assert_eq!(run.error.as_deref(), Some("interrupted"), "{}", db.backend);
        assert_eq!(db.run(current).await?.expect("recorded").outcome, RunOutcome::Running, "{}", db.backend);
        let status = &db.sources().await?[0];
        assert_eq!((status.state, status.last_success), (SourceState::Stale, Some(at(0))), "{}", db.backend);
        assert_eq!(status.last_error.as_deref(), Some("interrupted"), "{}", db.backend);
        assert_eq!(db.finish_stale_runs(at(2)).await?, 0, "{}: already marked", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn an_interrupted_run_leaves_the_state_of_a_source_that_has_run_since() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.start_run(&id, at(0), true).await?;
        let later = db.start_run(&id, at(1), true).await?;
        db.finish_run(later, at(2), Ok(()), RunCounts::default(), &[]).await?;

        assert_eq!(db.finish_stale_runs(at(3)).await?, 1, "{}", db.backend);

        let status = &db.sources().await?[0];
        assert_eq!((status.state, status.last_attempt), (SourceState::Ok, Some(at(2))), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn rejections_beyond_the_cap_are_counted_but_not_stored() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        let run = db.start_run(&id, at(0), true).await?;
        let rejections: Vec<RunRejection> = (0..MAX_REJECTIONS_PER_RUN + 25).map(rejection).collect();
        let counts = RunCounts { fetched: 2_000, rejected: rejections.len() as u64 + 5, ..RunCounts::default() };

        db.finish_run(run, at(1), Ok(()), counts, &rejections).await?;

        let listed = db.run(run).await?.expect("the run is recorded");
        assert_eq!(listed.counts.rejected, MAX_REJECTIONS_PER_RUN as u64 + 30, "{}", db.backend);
        assert_eq!(listed.rejections.as_slice(), &rejections[..MAX_REJECTIONS_PER_RUN], "{}", db.backend);
        assert_eq!(listed.rejections_omitted, 30, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_finished_run_cannot_be_finished_again() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        let run = db.start_run(&id, at(0), true).await?;
        db.finish_run(run, at(1), Ok(()), RunCounts::default(), &[]).await?;

        let error = db.finish_run(run, at(2), Err("late".to_owned()), RunCounts::default(), &[]).await.unwrap_err();

        assert!(matches!(error, StoreError::RunNotRunning(r) if r == run), "{}: {error}", db.backend);
        assert_eq!(db.run(run).await?.expect("recorded").outcome, RunOutcome::Succeeded, "{}", db.backend);
        let missing = RunId::new(run.get() + 100);
        let error = db.finish_run(missing, at(2), Ok(()), RunCounts::default(), &[]).await.unwrap_err();
        assert!(matches!(error, StoreError::UnknownRun(r) if r == missing), "{}: {error}", db.backend);
        assert_eq!(db.run(missing).await?, None, "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_run_of_an_unregistered_source_is_refused() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let error = db.start_run(&source("nowhere"), at(0), true).await.unwrap_err();

        assert!(matches!(&error, StoreError::UnknownSource(s) if s == "nowhere"), "{}: {error}", db.backend);
        assert!(db.runs(None, 10, None).await?.is_empty(), "{}", db.backend);
    }
    Ok(())
}

#[tokio::test]
async fn a_corrupt_run_row_is_reported_not_skipped() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        let run = db.start_run(&id, at(0), true).await?;
        execute(&db, &format!("UPDATE harvest_runs SET outcome = 'maybe' WHERE id = {run}")).await?;

        let error = db.runs(None, 10, None).await.unwrap_err();

        assert!(
            matches!(&error, StoreError::Corrupt { table: "harvest_runs", column: "outcome", .. }),
            "{}: {error}",
            db.backend
        );
    }
    Ok(())
}
