//! Errors of the store.
//!
//! Policy:
//! - One `thiserror` enum, [`StoreError`], for every public function; no `anyhow` here.
//! - Messages are lowercase with no trailing period. A variant that wraps a cause keeps it as
//!   `source()` and does not repeat it in its own message, so a caller that logs the cause
//!   chain prints each part once.
//! - A database is named by its URL or path with any password replaced by `***`; no message
//!   and no cause in the chain ever contains a password.
//! - A row that the schema's constructors reject is [`StoreError::Corrupt`], naming the table,
//!   the column, the row and the reason: the store was written by something other than this
//!   crate, or a migration went wrong. It is never silently skipped.
//! - A caller's mistake that the types cannot prevent (an unregistered source, a snapshot that
//!   holds another source's offering) has its own variant; everything the database reports
//!   otherwise is [`StoreError::Query`].

use sea_orm::DbErr;
use vuxnav_schema::RunId;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be opened or reached.
    #[error("cannot connect to database `{database}`: {reason}")]
    Connect {
        /// The URL or path, with any password masked.
        database: String,
        /// Why, with any password masked.
        reason: String,
    },
    /// The data folder cannot be created.
    #[error("cannot create the data folder `{path}`")]
    DataDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A pending migration failed; the database is left as the failed migration found it
    /// (on PostgreSQL a migration runs in a transaction).
    #[error("cannot migrate database `{database}`")]
    Migrate {
        /// The URL or path, with any password masked.
        database: String,
        #[source]
        source: DbErr,
    },
    /// A query failed.
    #[error("database query failed")]
    Query(#[from] DbErr),
    /// A stored value that the model rejects.
    #[error("corrupt row {row} in table `{table}`: column `{column}`: {reason}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        /// The row's primary key.
        row: String,
        reason: String,
    },
    /// The source has not been registered with `Store::register_source`.
    #[error("source `{0}` is not registered")]
    UnknownSource(String),
    /// A snapshot for one source holds an offering whose provenance names another.
    #[error("the snapshot of source `{source_id}` holds offering {offering} of source `{other}`")]
    ForeignOffering { source_id: String, offering: String, other: String },
    /// No harvest run has this id.
    #[error("harvest run {0} does not exist")]
    UnknownRun(RunId),
    /// The harvest run was already finished (or marked interrupted).
    #[error("harvest run {0} is not running")]
    RunNotRunning(RunId),
}

/// Masks the password of a database URL: `postgres://u:secret@host/db` becomes
/// `postgres://u:***@host/db`, and a `password=` query parameter is masked too.
pub(crate) fn mask_url(url: &str) -> String {
    let mut masked = url.to_owned();
    if let Some(password) = url_password(url) {
        masked = masked.replacen(&format!(":{password}@"), ":***@", 1);
    }
    mask_query_password(&masked)
}

/// Replaces every occurrence of the URL's password in `text`; for causes, which may quote
/// the URL or parts of it.
pub(crate) fn scrub(text: &str, url: &str) -> String {
    let mut text = text.to_owned();
    for password in [url_password(url), query_password(url)].into_iter().flatten() {
        if !password.is_empty() {
            text = text.replace(password, "***");
        }
    }
    text
}

/// The password between `user:` and `@` of the URL's authority, if any.
fn url_password(url: &str) -> Option<&str> {
    let after_scheme = &url[url.find("://")? + 3..];
    let authority_end = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
    let authority = &after_scheme[..authority_end];
    let userinfo = &authority[..authority.rfind('@')?];
    let password = &userinfo[userinfo.find(':')? + 1..];
    (!password.is_empty()).then_some(password)
}

fn query_password(url: &str) -> Option<&str> {
    let query = &url[url.find('?')? + 1..];
    query.split('&').find_map(|pair| pair.strip_prefix("password=")).filter(|p| !p.is_empty())
}

fn mask_query_password(url: &str) -> String {
    let Some(question) = url.find('?') else {
        return url.to_owned();
    };
    let (head, query) = url.split_at(question + 1);
    let pairs: Vec<&str> =
        query.split('&').map(|pair| if pair.starts_with("password=") { "password=***" } else { pair }).collect();
    format!("{head}{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_authority_is_masked() {
        assert_eq!(mask_url("postgres://u:secret@127.0.0.1:1/x"), "postgres://u:***@127.0.0.1:1/x");
        assert_eq!(mask_url("postgres://u:s:e@c@host/db?sslmode=disable"), "postgres://u:***@host/db?sslmode=disable");
    }

    #[test]
    fn a_password_in_the_query_is_masked() {
        assert_eq!(
            mask_url("postgres://u@host/db?password=secret&sslmode=disable"),
            "postgres://u@host/db?password=***&sslmode=disable"
        );
    }

    #[test]
    fn a_url_without_a_password_is_unchanged() {
        for url in ["sqlite::memory:", "sqlite://data/vuxnav.db?mode=rwc", "postgres://u@host/db", "postgres://host/db"]
        {
            assert_eq!(mask_url(url), url);
        }
    }

    #[test]
    fn a_cause_quoting_the_password_is_scrubbed() {
        let url = "postgres://u:hunter2@host/db";
        assert_eq!(scrub("auth failed for hunter2", url), "auth failed for ***");
        assert_eq!(scrub("nothing to hide", "sqlite::memory:"), "nothing to hide");
    }
}
