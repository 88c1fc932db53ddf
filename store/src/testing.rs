//! Fresh databases for tests, behind the `test-support` feature: SQLite in a temporary file
//! always, and PostgreSQL in a fresh schema when `VUXNAV_TEST_DATABASE_URL` names a server.
//! Each test gets its own database, so tests run in parallel and never see each other's data.
//!
//! ```text
//! for db in vuxnav_store::testing::fresh_stores().await {
//!     db.store.register_source(&id, code, "csv", true).await.unwrap();
//!     assert_eq!(db.store.sources().await.unwrap().len(), 1, "{}", db.backend);
//! }
//! ```
//!
//! The helpers panic when a database cannot be prepared: that is a broken test setup, not a
//! result to assert on.

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use tempfile::TempDir;
use vuxnav_schema::{
    Application, Catalogue, Coordinates, Course, CourseCode, CourseConfiguration, Credits, CreditsSystem, Eligibility,
    Language, Location, MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider, ProviderKind, PublicId,
    Schedule, SchoolForm, SourceId, StudyMode, TimeOfStudy,
};

use crate::{DATABASE_FILE, Store, StoreError, StoreOptions, connect};

/// The variable that names a PostgreSQL server for tests, such as
/// `postgres://postgres@127.0.0.1:55432/vuxnav_test`; `scripts/with-postgres` sets it.
pub const DATABASE_URL_VAR: &str = "VUXNAV_TEST_DATABASE_URL";

/// An empty database of its own: a URL to hand to the real binary or to [`Store::connect`].
/// A SQLite file is removed when this is dropped; a PostgreSQL schema is left to the
/// throwaway server.
#[derive(Debug)]
pub struct TestDatabase {
    /// `"sqlite"` or `"postgres"`, for assertion messages.
    pub backend: &'static str,
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    /// Connects, running the migrations.
    pub async fn connect(&self) -> Store {
        Store::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open the {} test database: {e}", self.backend))
    }
}

/// A connected [`TestDatabase`].
#[derive(Debug)]
pub struct TestStore {
    pub backend: &'static str,
    pub store: Store,
    pub database: TestDatabase,
}

impl std::ops::Deref for TestStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

/// One fresh SQLite database, and one fresh PostgreSQL schema if [`DATABASE_URL_VAR`] is set.
pub async fn fresh_databases() -> Vec<TestDatabase> {
    let mut databases = vec![fresh_sqlite()];
    if let Ok(url) = std::env::var(DATABASE_URL_VAR)
        && !url.trim().is_empty()
    {
        databases.push(fresh_postgres(url.trim()).await);
    }
    databases
}

/// [`fresh_databases`], connected.
pub async fn fresh_stores() -> Vec<TestStore> {
    let mut stores = Vec::new();
    for database in fresh_databases().await {
        stores.push(TestStore { backend: database.backend, store: database.connect().await, database });
    }
    stores
}

fn fresh_sqlite() -> TestDatabase {
    let dir = tempfile::tempdir().expect("cannot create a temporary folder");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join(DATABASE_FILE).display());
    TestDatabase { backend: "sqlite", url, _dir: Some(dir) }
}

async fn fresh_postgres(server_url: &str) -> TestDatabase {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let schema = format!("test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), nanos);
    let admin = connect::connect_url(server_url, &StoreOptions::default())
        .await
        .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL test server: {e}"));
    admin
        .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
        .await
        .unwrap_or_else(|e| panic!("cannot create the test schema {schema}: {e}"));
    admin.close().await.ok();
    let separator = if server_url.contains('?') { '&' } else { '?' };
    let url = format!("{server_url}{separator}options=-c%20search_path%3D{schema}");
    TestDatabase { backend: "postgres", url, _dir: None }
}

/// Runs raw SQL against the store, as a test that needs to break a row does. Returns the
/// number of rows affected.
pub async fn execute(store: &Store, sql: &str) -> Result<u64, StoreError> {
    Ok(store.db.execute_unprepared(sql).await?.rows_affected())
}

/// A source's catalogue of `offerings` offerings over a handful of providers and courses,
/// with every field of every record set (or, for every other record, left empty where the
/// model allows), and content hashes from `Offering::content_hash`. Deterministic: the same
/// arguments give the same catalogue.
pub fn sample_catalogue(
    source: &SourceId,
    municipality: MunicipalityCode,
    offerings: usize,
    at: DateTime<Utc>,
) -> Catalogue {
    let providers: Vec<Provider> = (0..4u32).map(|i| sample_provider(source, municipality, i)).collect();
    let courses: Vec<Course> = (0..12u32).map(|i| sample_course(source, i)).collect();
    let offerings = (0..offerings)
        .map(|i| {
            sample_offering(source, municipality, &courses[i % courses.len()], &providers[i % providers.len()], i, at)
        })
        .collect();
    Catalogue { providers, courses, offerings }
}

fn sample_provider(source: &SourceId, municipality: MunicipalityCode, i: u32) -> Provider {
    let full = i.is_multiple_of(2);
    let org_number = full.then(|| OrgNumber::with_check_digit(&format!("21200{:04}", i)).expect("a valid org number"));
    Provider {
        id: match &org_number {
            Some(org) => PublicId::provider_by_org_number(org),
            None => PublicId::local_provider(source, &format!("p{i}")),
        },
        name: format!("Vuxenutbildningen {i}"),
        org_number,
        kind: (i % 7 != 3).then(|| ProviderKind::ALL[i as usize % ProviderKind::ALL.len()]),
        school_unit_code: full.then(|| format!("{:08}", 10_000_000 + i)),
        municipality: full.then_some(municipality),
        web: full.then(|| format!("https://vux{i}.example.se")),
        email: full.then(|| format!("vux{i}@example.se")),
        phone: full.then(|| format!("08-123 45{i:02}")),
    }
}

fn sample_course(source: &SourceId, i: u32) -> Course {
    let full = i.is_multiple_of(2);
    let code = full.then(|| CourseCode::parse(&format!("MATMAT{i:02}c")).expect("a valid course code"));
    Course {
        id: match &code {
            Some(code) => PublicId::course_by_code(code),
            None => PublicId::local_course(source, &format!("c{i}")),
        },
        local_code: (!full).then(|| format!("LOK{i}")),
        code,
        title: format!("Matematik nivå {i}"),
        description: full.then(|| format!("Kursen ger fördjupade kunskaper, del {i}.")),
        school_form: SchoolForm::ALL[i as usize % SchoolForm::ALL.len()],
        credits: full.then(|| Credits::new(CreditsSystem::Gy, 100.0 + f64::from(i) / 2.0).expect("valid credits")),
        subject: full.then(|| "Matematik".to_owned()),
        sun_field: full.then(|| "461a".to_owned()),
        vocational: i.is_multiple_of(3),
        configuration: CourseConfiguration::ALL[i as usize % CourseConfiguration::ALL.len()],
    }
}

fn sample_offering(
    source: &SourceId,
    municipality: MunicipalityCode,
    course: &Course,
    provider: &Provider,
    i: usize,
    at: DateTime<Utc>,
) -> Offering {
    let full = i.is_multiple_of(2);
    let day = |offset: usize| {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date") + Duration::days(i64::try_from(offset % 700).unwrap_or(0))
    };
    let upstream_id = format!("e.{i}");
    let small = u32::try_from(i % 97).unwrap_or(0);
    Offering {
        id: PublicId::offering(source, &upstream_id),
        course: course.id,
        provider: provider.id,
        municipality,
        title: full.then(|| format!("Matematik nivå {i} Kväll")),
        location: if full {
            Location {
                name: Some(format!("Lärcentrum {}", i % 7)),
                street_address: Some(format!("Skolvägen {}", i % 50 + 1)),
                postal_code: Some("141 52".to_owned()),
                town: Some("Huddinge".to_owned()),
                coordinates: Some(
                    Coordinates::new(59.2 + f64::from(small) / 1000.0, 17.9 + f64::from(small) / 1000.0)
                        .expect("valid coordinates"),
                ),
            }
        } else {
            Location::default()
        },
        schedule: if full {
            Schedule::new(Some(day(i)), Some(day(i) + Duration::days(70)), false).expect("a valid schedule")
        } else {
            Schedule::new(None, None, true).expect("a valid schedule")
        },
        application: if full {
            Application::new(
                Some(day(i) - Duration::days(60)),
                Some(day(i) - Duration::days(10)),
                false,
                Some(format!("https://ansok.example.se/{i}")),
            )
            .expect("a valid application")
        } else {
            Application::new(None, None, true, None).expect("a valid application")
        },
        pace: Pace::new(i64::from(small % 100 + 1)).expect("a valid pace"),
        // Some values unknown, as real upstreams leave them.
        time_of_study: (i % 5 != 4).then(|| TimeOfStudy::ALL[i % TimeOfStudy::ALL.len()]),
        mode: (i % 6 != 5).then(|| StudyMode::ALL[i % StudyMode::ALL.len()]),
        language: match i % 3 {
            0 => Some(Language::SWEDISH),
            1 => Some(Language::parse("eng").expect("a language")),
            _ => None,
        },
        seats: full.then_some(small + 10),
        cancelled: i.is_multiple_of(11),
        apprenticeship: i.is_multiple_of(5),
        fee_sek: i.is_multiple_of(4).then_some(small * 100),
        eligibility: Eligibility::ALL[i % Eligibility::ALL.len()],
        web: full.then(|| format!("https://vux.example.se/tillfalle/{i}")),
        provenance: Provenance {
            configured: if i.is_multiple_of(3) {
                [vuxnav_schema::ConfiguredField::TimeOfStudy, vuxnav_schema::ConfiguredField::Language].into()
            } else {
                Default::default()
            },
            ..Provenance::harvested(source.clone(), upstream_id, at)
        },
    }
    .sealed()
}
