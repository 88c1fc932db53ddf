//! Opening a database: the sqlx pool for SQLite or PostgreSQL, tuned here rather than by
//! sea-orm's defaults, then wrapped as a sea-orm connection.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use log::LevelFilter;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
use sea_orm::{DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};

use crate::StoreError;
use vuxnav_schema::secret::{mask_url, scrub};

/// How a store connects.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// How long to wait for the database server to accept a connection, and for a pooled
    /// connection to become free.
    pub connect_timeout: Duration,
    /// How long a SQLite writer waits for another writer before giving up.
    pub sqlite_busy_timeout: Duration,
    /// The most connections to a PostgreSQL server.
    pub postgres_max_connections: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            sqlite_busy_timeout: Duration::from_secs(30),
            postgres_max_connections: 10,
        }
    }
}

/// A statement slower than this is logged as a warning; no other statement is logged.
const SLOW_STATEMENT: Duration = Duration::from_secs(5);

/// Rows the SQLite worker thread may read ahead of the task consuming them (sqlx's default is
/// 50): fewer hand-offs between the two threads while a large catalogue is read.
const SQLITE_ROW_BUFFER: usize = 1024;

/// SQLite in WAL mode lets readers run beside the one writer; a few connections are enough.
const SQLITE_FILE_CONNECTIONS: u32 = 4;

/// Connects to the database a URL names, without running migrations.
pub(crate) async fn connect_url(url: &str, options: &StoreOptions) -> Result<DatabaseConnection, StoreError> {
    let fail = |reason: String| StoreError::Connect { database: mask_url(url), reason: scrub(&reason, url) };
    if url.starts_with("sqlite:") {
        let sqlite = SqliteConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        connect_sqlite(sqlite, in_memory, options).await.map_err(fail)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let postgres = PgConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?;
        connect_postgres(postgres, options).await.map_err(fail)
    } else {
        Err(fail("the url is neither `sqlite:` nor `postgres://`".to_owned()))
    }
}

/// Opens (creating it on first use) a SQLite file.
pub(crate) async fn connect_file(path: &Path, options: &StoreOptions) -> Result<DatabaseConnection, StoreError> {
    let sqlite = SqliteConnectOptions::new().filename(path).create_if_missing(true);
    connect_sqlite(sqlite, false, options)
        .await
        .map_err(|reason| StoreError::Connect { database: path.display().to_string(), reason })
}

async fn connect_sqlite(
    sqlite: SqliteConnectOptions,
    in_memory: bool,
    options: &StoreOptions,
) -> Result<DatabaseConnection, String> {
    let sqlite = sqlite
        .foreign_keys(true)
        .busy_timeout(options.sqlite_busy_timeout)
        .row_buffer_size(SQLITE_ROW_BUFFER)
        .log_statements(LevelFilter::Off)
        .log_slow_statements(LevelFilter::Warn, SLOW_STATEMENT);
    let pool = if in_memory {
        // An in-memory database lives as long as its connections: keep exactly one, forever.
        SqlitePoolOptions::new().max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None)
    } else {
        SqlitePoolOptions::new().max_connections(SQLITE_FILE_CONNECTIONS)
    };
    let sqlite = if in_memory {
        sqlite
    } else {
        // WAL: readers never wait for the writer. NORMAL sync keeps a WAL database consistent
        // through a crash; a power loss may undo the last commits, which the next harvest redoes.
        sqlite.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal)
    };
    let pool = pool.acquire_timeout(options.connect_timeout).connect_with(sqlite).await.map_err(|e| e.to_string())?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn connect_postgres(postgres: PgConnectOptions, options: &StoreOptions) -> Result<DatabaseConnection, String> {
    let postgres = postgres.log_statements(LevelFilter::Off).log_slow_statements(LevelFilter::Warn, SLOW_STATEMENT);
    // One direct attempt first: the pool would retry a refused connection until its timeout
    // and then report only that it timed out; this reports why.
    match tokio::time::timeout(options.connect_timeout, sea_orm::sqlx::PgConnection::connect_with(&postgres)).await {
        Err(_) => return Err(format!("no answer within {:?}", options.connect_timeout)),
        Ok(Err(error)) => return Err(error.to_string()),
        Ok(Ok(probe)) => probe.close().await.map_err(|e| e.to_string())?,
    }
    let pool = PgPoolOptions::new()
        .max_connections(options.postgres_max_connections)
        .acquire_timeout(options.connect_timeout)
        .connect_lazy_with(postgres);
    Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}
