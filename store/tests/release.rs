//! `Store::release_reader`: the streams the open-data release reads, on SQLite and PostgreSQL.

mod common;

use common::{at, catalogue, registered};
use futures::TryStreamExt as _;
use vuxnav_schema::{Course, Offering, Provider, RunCounts, Seen, SourceReport};
use vuxnav_store::{Store, testing};

#[tokio::test]
async fn the_release_reader_pages_through_what_the_store_holds_in_id_order_with_dates_and_run_figures() {
    for db in testing::fresh_stores().await {
        let backend = db.backend;
        let b = registered(&db, "b-csv").await.unwrap();
        let a = registered(&db, "a_csv").await.unwrap();
        db.replace_source(&a, &catalogue(&a, 30, 0), at(0)).await.unwrap();
        db.replace_source(&b, &catalogue(&b, 20, 1), at(1)).await.unwrap();
        // Five of a's offerings are withdrawn; one changes.
        let mut fewer = catalogue(&a, 25, 2);
        fewer.offerings[3].seats = Some(999);
        fewer.offerings[3].provenance.content_hash = fewer.offerings[3].content_hash();
        db.replace_source(&a, &fewer, at(2)).await.unwrap();
        let run = db.start_run(&a, at(3), true).await.unwrap();
        let counts = RunCounts { fetched: 10, rejected: 2, ..RunCounts::default() };
        db.finish_run(run, at(4), Ok(()), counts, &[]).await.unwrap();
        let failed = db.start_run(&a, at(5), true).await.unwrap();
        db.finish_run(failed, at(6), Err("down".into()), RunCounts::default(), &[]).await.unwrap();

        let expected = db.catalogue().await.unwrap();
        let reader = db.release_reader().await.unwrap().with_page_size(7);
        let offerings: Vec<Offering> = reader.offerings().try_collect().await.unwrap();
        assert_eq!(offerings, expected.offerings, "{backend}");
        assert_eq!(offerings.len(), 45, "{backend}");

        let courses: Vec<Seen<Course>> = reader.courses().try_collect().await.unwrap();
        let records: Vec<Course> = courses.iter().map(|c| c.record.clone()).collect();
        assert_eq!(records, expected.courses, "{backend}");
        for course in &courses {
            let named: Vec<&Offering> = offerings.iter().filter(|o| o.course == course.record.id).collect();
            assert_eq!(Some(course.first_seen), named.iter().map(|o| o.provenance.first_seen).min(), "{backend}");
            assert_eq!(Some(course.last_changed), named.iter().map(|o| o.provenance.last_changed).max(), "{backend}");
        }
        assert!(courses.iter().any(|c| c.last_changed == at(2)), "{backend}: the changed offering dates its course");

        let providers: Vec<Seen<Provider>> = reader.providers().try_collect().await.unwrap();
        let records: Vec<Provider> = providers.iter().map(|p| p.record.clone()).collect();
        assert_eq!(records, expected.providers, "{backend}");

        let sources: Vec<SourceReport> = reader.sources().try_collect().await.unwrap();
        let ids: Vec<&str> = sources.iter().map(|s| s.status.id.as_str()).collect();
        assert_eq!(ids, ["a_csv", "b-csv"], "{backend}: byte order, whatever the collation");
        assert_eq!(sources[0].first_run, Some(at(3)), "{backend}");
        assert_eq!(
            sources[0].last_success_counts,
            Some(counts),
            "{backend}: the last successful run, not the failed one"
        );
        assert_eq!(sources[0].rejection_rate(), Some(0.2), "{backend}");
        assert_eq!(sources[0].status.offering_count, 25, "{backend}");
        assert_eq!((sources[1].first_run, sources[1].last_success_counts), (None, None), "{backend}");
        reader.close().await.unwrap();
    }
}

#[tokio::test]
async fn an_empty_store_gives_empty_streams() {
    for db in testing::fresh_stores().await {
        let reader = db.release_reader().await.unwrap();
        assert_eq!(reader.offerings().try_collect::<Vec<_>>().await.unwrap().len(), 0, "{}", db.backend);
        assert_eq!(reader.courses().try_collect::<Vec<_>>().await.unwrap().len(), 0, "{}", db.backend);
        assert_eq!(reader.sources().try_collect::<Vec<_>>().await.unwrap().len(), 0, "{}", db.backend);
        reader.close().await.unwrap();
    }
}

#[test]
fn the_store_lists_every_column_of_every_table() {
    let columns = Store::columns();
    for column in ["offerings.id", "offerings.withdrawn_at", "providers.email", "harvest_run_rejections.reason"] {
        assert!(columns.iter().any(|c| c == column), "{column} in {columns:?}");
    }
}
