//! The keys page (create, with the token shown once; list; revoke) and the audit log page.
//! The API decides who sees which keys and entries: a region admin all of them, a municipal
//! admin those of its municipalities.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use super::api::{Refusal, ask};
use super::session::{Signed, Visit};
use super::{Bar, checked, frame, local, refused};
use crate::web::{Frame, Web, render};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyData {
    id: String,
    name: String,
    role: String,
    municipalities: Vec<String>,
    hint: String,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

/// A key, shown.
#[derive(Debug)]
pub struct KeyRow {
    pub id: String,
    pub name: String,
    pub role: &'static str,
    pub municipalities: String,
    pub hint: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub revoked: bool,
    pub state: String,
}

fn role_text(role: &str) -> &'static str {
    match role {
        "PARTNER" => "Partner",
        "MUNICIPAL_ADMIN" => "Kommunadministratör",
        "REGION_ADMIN" => "Regionadministratör",
        _ => "Okänd",
    }
}

impl From<KeyData> for KeyRow {
    fn from(key: KeyData) -> Self {
        let never = || "–".to_owned();
        Self {
            state: match (&key.revoked_at, &key.expires_at) {
                (Some(at), _) => format!("Återkallad {}", local(at)),
                (None, Some(at)) if *at <= Utc::now() => format!("Gick ut {}", local(at)),
                _ => "Giltig".to_owned(),
            },
            revoked: key.revoked_at.is_some(),
            id: key.id,
            name: key.name,
            role: role_text(&key.role),
            municipalities: key.municipalities.join(", "),
            hint: key.hint,
            created: local(&key.created_at),
            expires: key.expires_at.as_ref().map(local).unwrap_or_else(never),
            last_used: key.last_used_at.as_ref().map(local).unwrap_or_else(never),
        }
    }
}

/// What the create form holds, kept when it is shown again.
#[derive(Debug, Default, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    pub namn: String,
    #[serde(default)]
    pub roll: String,
    #[serde(default)]
    pub kommuner: String,
    #[serde(default)]
    pub giltig_till: String,
}

#[derive(Template)]
#[template(path = "admin/keys.html")]
struct KeysPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    keys: Vec<KeyRow>,
    form: KeyForm,
    /// The token of the key just created: shown once.
    token: Option<String>,
    /// Why the key could not be created.
    problem: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct KeysQuery {
    #[serde(default)]
    aterkallad: Option<String>,
}

async fn list(web: &Web, signed: &Signed) -> Result<Vec<KeyRow>, Refusal> {
    #[derive(Deserialize)]
    struct Data {
        keys: Vec<KeyData>,
    }
    let document = "{ keys { id name role municipalities hint createdAt expiresAt lastUsedAt revokedAt } }";
    let data: Data = ask(&web.app, signed, document, json!({})).await?;
    Ok(data.keys.into_iter().map(KeyRow::from).collect())
}

pub async fn keys_page(State(web): State<Web>, signed: Signed, Query(query): Query<KeysQuery>) -> Response {
    let keys = match list(&web, &signed).await {
        Ok(keys) => keys,
        Err(refusal) => return refused(&web, &signed, &refusal),
    };
    let notice = query.aterkallad.map(|id| format!("Nyckel {id} är återkallad. Den fungerar inte längre."));
    let form = KeyForm { roll: "MUNICIPAL_ADMIN".to_owned(), ..KeyForm::default() };
    let page = KeysPage {
        frame: frame(&web, "Nycklar", "/admin/nycklar"),
        bar: Some(Bar::of(&signed)),
        keys,
        form,
        token: None,
        problem: None,
        notice,
    };
    render(StatusCode::OK, &page)
}

pub async fn create_key(State(web): State<Web>, visit: Visit, Form(form): Form<KeyForm>) -> Response {
    let signed = match checked(&web, &visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let municipalities: Vec<&str> =
        form.kommuner.split([',', ' ']).map(str::trim).filter(|code| !code.is_empty()).collect();
    let expires = form.giltig_till.trim();
    let expires_at = if expires.is_empty() {
        Ok(None)
    } else {
        NaiveDate::parse_from_str(expires, "%Y-%m-%d")
            .map(|date| date.and_hms_opt(23, 59, 59).map(|at| at.and_utc()))
            .map_err(|_| format!("”{expires}” är inget datum; skriv till exempel 2027-06-30."))
    };
    let outcome = match expires_at {
        Err(problem) => Err(problem),
        Ok(expires_at) => {
            let document = "mutation Create($input: KeyInput!) { createKey(input: $input) { token } }";
            let input = json!({ "name": form.namn.trim(), "role": form.roll, "municipalities": municipalities, "expiresAt": expires_at });
            #[derive(Deserialize)]
            struct Data {
                #[serde(rename = "createKey")]
                created: Created,
            }
            #[derive(Deserialize)]
            struct Created {
                token: String,
            }
            match ask::<Data>(&web.app, &signed, document, json!({ "input": input })).await {
                Ok(data) => Ok(data.created.token),
                Err(refusal) if refusal.code == "BAD_USER_INPUT" => {
                    Err(format!("Nyckeln kunde inte skapas: {}", refusal.message))
                }
                Err(refusal) => return refused(&web, &signed, &refusal),
            }
        }
    };
    let keys = match list(&web, &signed).await {
        Ok(keys) => keys,
        Err(refusal) => return refused(&web, &signed, &refusal),
    };
    let (status, token, problem, form) = match outcome {
        Ok(token) => (StatusCode::OK, Some(token), None, KeyForm { roll: form.roll, ..KeyForm::default() }),
        Err(problem) => (StatusCode::UNPROCESSABLE_ENTITY, None, Some(problem), form),
    };
    let page = KeysPage {
        frame: frame(&web, if problem.is_some() { "Fel i formuläret: Nycklar" } else { "Nycklar" }, "/admin/nycklar"),
        bar: Some(Bar::of(&signed)),
        keys,
        form,
        token,
        problem,
        notice: None,
    };
    render(status, &page)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

pub async fn revoke_key(
    State(web): State<Web>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let signed = match checked(&web, &visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let document = "mutation Revoke($id: ID!) { revokeKey(id: $id) { id } }";
    match ask::<serde_json::Value>(&web.app, &signed, document, json!({ "id": id })).await {
        Ok(_) => Redirect::to(&format!("/admin/nycklar?aterkallad={id}")).into_response(),
        Err(refusal) => refused(&web, &signed, &refusal),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntryData {
    id: String,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    target_type: String,
    target_id: String,
    municipality: Option<String>,
    outcome: String,
    client_address: Option<String>,
}

/// An audit entry, shown.
#[derive(Debug)]
pub struct Entry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub municipality: String,
    pub outcome: &'static str,
    pub client: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    entries: Vec<Entry>,
    /// The link to older entries.
    older: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    fore: Option<String>,
}

/// Entries per page of the audit log.
const AUDIT_PAGE: usize = 50;

pub async fn audit_page(State(web): State<Web>, signed: Signed, Query(query): Query<AuditQuery>) -> Response {
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "auditLog")]
        entries: Vec<EntryData>,
    }
    let document = "query Log($first: Int!, $before: ID) { auditLog(first: $first, before: $before) {
        id at actor action targetType targetId municipality outcome clientAddress } }";
    let before = query.fore.filter(|id| id.parse::<i64>().is_ok());
    let data: Data = match ask(&web.app, &signed, document, json!({ "first": AUDIT_PAGE, "before": before })).await {
        Ok(data) => data,
        Err(refusal) => return refused(&web, &signed, &refusal),
    };
    let older = (data.entries.len() == AUDIT_PAGE)
        .then(|| data.entries.last().map(|entry| format!("/admin/logg?fore={}", entry.id)))
        .flatten();
    let entries = data
        .entries
        .into_iter()
        .map(|entry| Entry {
            at: local(&entry.at),
            actor: entry.actor,
            action: entry.action,
            target: format!("{} {}", entry.target_type, entry.target_id),
            municipality: entry.municipality.unwrap_or_default(),
            outcome: match entry.outcome.as_str() {
                "ok" => "Utfört",
                "denied" => "Nekat",
                "refused" => "Nyckel avvisad",
                _ => "Okänt",
            },
            client: entry.client_address.unwrap_or_default(),
        })
        .collect();
    let page = AuditPage { frame: frame(&web, "Logg", "/admin/logg"), bar: Some(Bar::of(&signed)), entries, older };
    render(StatusCode::OK, &page)
}
