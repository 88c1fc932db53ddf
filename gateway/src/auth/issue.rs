//! Issuing keys: the one place a key request is checked and a token made, for the command line
//! (`vuxnav keys create`) and the admin API (`createKey`) alike. Whether the asker may issue a
//! key of that role is the caller's business (`Caller::may`); this checks the request itself.

use chrono::{DateTime, Utc};
use vuxnav_schema::{MunicipalityCode, Region, Role};
use vuxnav_store::{ApiKey, AuditContext, NewApiKey, Store, StoreError};

use super::token::Token;

/// The longest key name.
pub const MAX_NAME_CHARS: usize = 100;

/// A key to issue, as asked.
#[derive(Debug, Clone)]
pub struct KeyRequest {
    pub name: String,
    pub role: Role,
    /// A municipal admin's municipalities (at least one); a partner key's issuing
    /// municipality (optional); none for a region admin.
    pub municipalities: Vec<MunicipalityCode>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why a key request cannot be issued: (field, problem) pairs, every one at once.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("{}", problems.iter().map(|(field, problem)| format!("{field}: {problem}")).collect::<Vec<_>>().join("; "))]
    Invalid { problems: Vec<(&'static str, String)> },
    #[error("cannot store the key")]
    Store(#[from] StoreError),
}

/// Every problem of `request` for `region` at `now`, as (field, problem).
pub fn problems(request: &KeyRequest, region: &Region, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    let name = request.name.trim();
    if name.is_empty() {
        problems.push(("name", "must not be empty".to_owned()));
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.push(("name", format!("must be at most {MAX_NAME_CHARS} characters")));
    } else if name.chars().any(char::is_control) {
        problems.push(("name", "must not contain control characters".to_owned()));
    }
    match request.role {
        Role::MunicipalAdmin if request.municipalities.is_empty() => {
            problems.push(("municipalities", "a municipal admin's key names at least one kommunkod".to_owned()));
        }
        Role::RegionAdmin if !request.municipalities.is_empty() => {
            problems.push(("municipalities", "a region admin's key acts for every municipality: name none".to_owned()));
        }
        _ => {}
    }
    for code in &request.municipalities {
        if !region.contains(*code) {
            problems.push(("municipalities", format!("{} is not a municipality of the region", code.as_str())));
        }
    }
    if request.expires_at.is_some_and(|expires| expires <= now) {
        problems.push(("expiresAt", "must be in the future".to_owned()));
    }
    problems
}

/// Checks `request`, makes a token and stores the key (audited as `key.create` by
/// `context`). Returns the key and its token, which exists nowhere else: show it once.
pub async fn issue_key(
    store: &Store,
    region: &Region,
    request: KeyRequest,
    now: DateTime<Utc>,
    context: &AuditContext,
) -> Result<(ApiKey, Token), IssueError> {
    let problems = problems(&request, region, now);
    if !problems.is_empty() {
        return Err(IssueError::Invalid { problems });
    }
    let token = Token::generate();
    let mut municipalities = request.municipalities;
    municipalities.sort();
    municipalities.dedup();
    let new = NewApiKey {
        name: request.name.trim().to_owned(),
        role: request.role,
        municipalities,
        token_hash: token.hash(),
        hint: token.hint(),
        expires_at: request.expires_at,
    };
    let key = store.create_api_key(new, now, context).await?;
    Ok((key, token))
}
