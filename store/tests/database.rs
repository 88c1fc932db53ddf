//! Opening databases, failing to, and reading rows that the model rejects.

mod common;

use std::error::Error as _;

use common::{at, catalogue, registered};
use vuxnav_store::testing::{execute, fresh_stores};
use vuxnav_store::{Store, StoreError};

/// The error and every cause under it, as a log line with the cause chain would print them.
fn chain(error: &StoreError) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

#[tokio::test]
async fn connecting_to_an_unreachable_database_names_it_with_the_password_masked() {
    let error = Store::connect("postgres://u:secret@127.0.0.1:1/x").await.unwrap_err();

    assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
    let text = chain(&error);
    assert!(text.contains("postgres://u:***@127.0.0.1:1/x"), "{text}");
    assert!(!text.contains("secret"), "{text}");
    assert!(!format!("{error:?}").contains("secret"), "{error:?}");
}

#[tokio::test]
async fn a_url_of_another_database_is_refused_with_the_password_masked() {
    let error = Store::connect("mysql://root:hunter2@localhost/vuxnav").await.unwrap_err();

    let text = chain(&error);
    assert!(text.starts_with("cannot connect to database `mysql://root:***@localhost/vuxnav`"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[tokio::test]
async fn a_sqlite_file_in_a_missing_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}/missing/vuxnav.db", dir.path().display());

    let error = Store::connect(&url).await.unwrap_err();

    assert!(matches!(&error, StoreError::Connect { database, .. } if *database == url), "{error:?}");
}

#[tokio::test]
async fn a_data_folder_is_created_on_first_open_and_reopened_with_its_data() -> Result<(), StoreError> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data_dir = dir.path().join("var").join("vuxnav");
    let store = Store::open_in(&data_dir).await?;
    let id = registered(&store, "huddinge-csv").await?;
    store.replace_source(&id, &catalogue(&id, 3, 0), at(0)).await?;
    store.close().await?;

    let reopened = Store::open_in(&data_dir).await?;

    assert!(data_dir.join(vuxnav_store::DATABASE_FILE).is_file());
    assert_eq!(reopened.catalogue().await?.offerings.len(), 3);
    reopened.ping().await
}

#[tokio::test]
async fn an_in_memory_database_keeps_its_data_while_open() -> Result<(), StoreError> {
    let store = Store::connect("sqlite::memory:").await?;
    let id = registered(&store, "huddinge-csv").await?;

    store.replace_source(&id, &catalogue(&id, 2, 0), at(0)).await?;

    assert_eq!(store.catalogue().await?.offerings.len(), 2);
    assert_eq!(store.sources().await?.len(), 1);
    Ok(())
}

#[tokio::test]
async fn reconnecting_finds_the_migrations_applied_and_the_data_kept() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 2, 0), at(0)).await?;

        let again = db.database.connect().await;

        assert_eq!(again.catalogue().await?, db.catalogue().await?, "{}", db.backend);
        again.ping().await?;
    }
    Ok(())
}

#[tokio::test]
async fn a_corrupt_pace_is_an_error_naming_table_and_column() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 2, 0), at(0)).await?;
        execute(&db, "UPDATE offerings SET pace = 300").await?;

        let error = db.catalogue().await.unwrap_err();

        let StoreError::Corrupt { table, column, ref reason, .. } = error else {
            panic!("{}: {error:?}", db.backend);
        };
        assert_eq!((table, column), ("offerings", "pace"), "{}", db.backend);
        assert!(reason.contains("300"), "{}: {reason}", db.backend);
        let message = error.to_string();
        assert!(message.contains("`offerings`") && message.contains("`pace`"), "{message}");
    }
    Ok(())
}

#[tokio::test]
async fn a_corrupt_kommunkod_is_an_error_naming_table_and_column() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        registered(&db, "huddinge-csv").await?;
        execute(&db, "UPDATE sources SET municipality = '0100'").await?;

        let error = db.sources().await.unwrap_err();

        assert!(
            matches!(error, StoreError::Corrupt { table: "sources", column: "municipality", .. }),
            "{}: {error:?}",
            db.backend
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_corrupt_code_of_a_course_is_an_error_naming_table_and_column() -> Result<(), StoreError> {
    for db in fresh_stores().await {
        let id = registered(&db, "huddinge-csv").await?;
        db.replace_source(&id, &catalogue(&id, 2, 0), at(0)).await?;
        execute(&db, "UPDATE courses SET school_form = 'GYMNASIUM'").await?;

        let error = db.catalogue().await.unwrap_err();

        assert!(
            matches!(error, StoreError::Corrupt { table: "courses", column: "school_form", .. }),
            "{}: {error:?}",
            db.backend
        );
    }
    Ok(())
}
