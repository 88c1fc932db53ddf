//! `me`, API keys (create, shown once; list; revoke) and the audit log (read only: nothing in
//! the API edits or deletes it).

use async_graphql::{Context, Enum, ErrorExtensions as _, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use serde_json::Value;
use vuxnav_schema::{MunicipalityCode, Role};
use vuxnav_store::{ApiKey, AuditEvent, AuditQuery, AuditScope, KeyId, MAX_AUDIT_PAGE};

use super::{Target, audit_context, authorize, caller, deny, services, store_error};
use crate::auth::{IssueError, KeyRequest, Operation, Reach, issue_key};
use crate::graphql::codes::Code;
use crate::graphql::errors::ApiError;
use crate::graphql::internal;

/// The role of a key.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// Public read with higher rate limits.
    Partner,
    /// The sources, runs, keys and audit entries of its own municipalities.
    MunicipalAdmin,
    /// Everything.
    RegionAdmin,
}

impl From<Role> for KeyRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Partner => Self::Partner,
            Role::MunicipalAdmin => Self::MunicipalAdmin,
            Role::RegionAdmin => Self::RegionAdmin,
        }
    }
}

impl From<KeyRole> for Role {
    fn from(role: KeyRole) -> Self {
        match role {
            KeyRole::Partner => Self::Partner,
            KeyRole::MunicipalAdmin => Self::MunicipalAdmin,
            KeyRole::RegionAdmin => Self::RegionAdmin,
        }
    }
}

/// An API key: never its token.
#[derive(SimpleObject)]
pub struct Key {
    id: ID,
    name: String,
    role: KeyRole,
    /// The kommunkoder it acts for (a municipal admin's), or issued for (a partner's).
    municipalities: Vec<String>,
    /// The token's first characters, to recognise it.
    hint: String,
    created_at: DateTime<Utc>,
    created_by: String,
    expires_at: Option<DateTime<Utc>>,
    /// Updated at most every five minutes.
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<&ApiKey> for Key {
    fn from(key: &ApiKey) -> Self {
        Self {
            id: ID(key.id.to_string()),
            name: key.name.clone(),
            role: key.role.into(),
            municipalities: key.municipalities.iter().map(|code| code.as_str().to_owned()).collect(),
            hint: key.hint.clone(),
            created_at: key.created_at,
            created_by: key.created_by.clone(),
            expires_at: key.expires_at,
            last_used_at: key.last_used_at,
            revoked_at: key.revoked_at,
        }
    }
}

/// A key just created, with its token: shown here once, stored nowhere.
#[derive(SimpleObject)]
pub struct CreatedKey {
    /// `vx_…`: send it as `Authorization: Bearer <token>`.
    token: String,
    key: Key,
}

/// A key to create.
#[derive(InputObject)]
pub struct KeyInput {
    /// Whose key it is, such as `huddinge-admin`.
    name: String,
    role: KeyRole,
    /// Kommunkoder: at least one for a municipal admin, none for a region admin.
    #[graphql(default)]
    municipalities: Vec<String>,
    /// When it stops working; never when left out.
    expires_at: Option<DateTime<Utc>>,
}

/// One entry of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntry {
    id: ID,
    at: DateTime<Utc>,
    /// `key 3 (huddinge-admin)`, `command line`, `anonymous`.
    actor: String,
    actor_key: Option<ID>,
    /// `cli`, `anonymous`, `partner`, `municipal_admin` or `region_admin`.
    actor_role: String,
    /// `source.create`, `key.revoke`, `key.refused`, …
    action: String,
    target_type: String,
    target_id: String,
    municipality: Option<String>,
    /// What the target was before (a source's previous configuration), secrets redacted.
    before: Option<Json<Value>>,
    after: Option<Json<Value>>,
    /// `ok`, `denied` (`FORBIDDEN`) or `refused` (a key refused).
    outcome: String,
    request_id: Option<String>,
    client_address: Option<String>,
}

impl From<AuditEvent> for AuditEntry {
    fn from(event: AuditEvent) -> Self {
        Self {
            id: ID(event.id.to_string()),
            at: event.at,
            actor: event.actor.name,
            actor_key: event.actor.key.map(|key| ID(key.to_string())),
            actor_role: event.actor.role.code().to_owned(),
            action: event.action,
            target_type: event.target_type,
            target_id: event.target_id,
            municipality: event.municipality.map(|code| code.as_str().to_owned()),
            before: event.before.map(Json),
            after: event.after.map(Json),
            outcome: event.outcome.code().to_owned(),
            request_id: event.request_id,
            client_address: event.client_address,
        }
    }
}

fn municipality_argument(argument: &str, code: &str) -> Result<MunicipalityCode, async_graphql::Error> {
    MunicipalityCode::parse(code)
        .map_err(|_| ApiError::bad_input(argument, format!("`{code}` is not a kommunkod")).extend())
}

fn key_id(argument: &str, id: &ID) -> Result<KeyId, async_graphql::Error> {
    id.parse::<i64>().map(KeyId::new).map_err(|_| ApiError::bad_input(argument, "not a key id").extend())
}

/// Lets the caller act on a key of `municipalities`: a scoped caller only on keys of its own
/// municipalities (and never on a region-wide key).
async fn authorize_key(
    ctx: &Context<'_>,
    operation: Operation,
    id: &str,
    municipalities: Option<&[MunicipalityCode]>,
) -> async_graphql::Result<()> {
    let caller = caller(ctx);
    let allowed = match (caller.reach(operation), municipalities) {
        (Reach::Any, _) => true,
        (Reach::Own, Some(codes)) => !codes.is_empty() && caller.may_all(operation, codes),
        _ => false,
    };
    if allowed {
        return Ok(());
    }
    let municipality = municipalities.and_then(|codes| codes.first().copied());
    deny(ctx, operation, Target { kind: "key", id, municipality }).await
}

/// Lets the caller read a list for `operation`, filtered to `municipality` when given.
async fn authorize_list(
    ctx: &Context<'_>,
    operation: Operation,
    kind: &str,
    municipality: Option<MunicipalityCode>,
) -> async_graphql::Result<()> {
    match municipality {
        Some(code) => authorize(ctx, operation, Target { kind, id: "*", municipality: Some(code) }).await,
        None if caller(ctx).reach(operation) != Reach::None => Ok(()),
        None => deny(ctx, operation, Target { kind, id: "*", municipality: None }).await,
    }
}

#[derive(Default)]
pub struct KeyQuery;

#[Object]
impl KeyQuery {
    /// The key this request is made with.
    async fn me(&self, ctx: &Context<'_>) -> Option<Key> {
        caller(ctx).key().map(Key::from)
    }

    /// The keys the caller may see, newest first: a municipal admin sees its municipalities'
    /// keys and the keys it created.
    async fn keys(&self, ctx: &Context<'_>, municipality: Option<String>) -> async_graphql::Result<Vec<Key>> {
        let municipality = municipality.map(|code| municipality_argument("municipality", &code)).transpose()?;
        authorize_list(ctx, Operation::ReadKeys, "key", municipality).await?;
        let caller = caller(ctx);
        let scope = caller.visible(Operation::ReadKeys).map(|codes| (codes, caller.key_id()));
        let keys = services(ctx).store.api_keys(scope).await.map_err(internal)?;
        Ok(keys
            .iter()
            .filter(|key| municipality.is_none_or(|code| key.municipalities.contains(&code)))
            .map(Key::from)
            .collect())
    }

    /// The audit log, newest first: a municipal admin sees the entries about its
    /// municipalities and those made with its own key.
    #[allow(clippy::too_many_arguments)]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many, at most 500.")] first: i32,
        #[graphql(desc = "Only entries older than this entry's id (the next page).")] before: Option<ID>,
        #[graphql(desc = "Only entries made with this key.")] actor: Option<ID>,
        #[graphql(desc = "Only entries about this kommunkod.")] municipality: Option<String>,
        #[graphql(desc = "Only this action (`source.update`), or this family (`source.`).")] action: Option<String>,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        let municipality = municipality.map(|code| municipality_argument("municipality", &code)).transpose()?;
        authorize_list(ctx, Operation::ReadAudit, "audit", municipality).await?;
        let first = u64::try_from(first)
            .ok()
            .filter(|first| (1..=MAX_AUDIT_PAGE).contains(first))
            .ok_or_else(|| ApiError::bad_input("first", format!("must be from 1 to {MAX_AUDIT_PAGE}")).extend())?;
        let before_id = before
            .map(|id| id.parse::<i64>().map_err(|_| ApiError::bad_input("before", "not an audit entry id").extend()))
            .transpose()?;
        let caller = caller(ctx);
        let query = AuditQuery {
            scope: caller
                .visible(Operation::ReadAudit)
                .map(|codes| AuditScope { municipalities: codes.to_vec(), own_key: caller.key_id() }),
            actor: actor.map(|id| key_id("actor", &id)).transpose()?,
            municipality,
            action,
            since,
            until,
            before_id,
            first,
        };
        let events = services(ctx).store.audit_events(&query).await.map_err(internal)?;
        Ok(events.into_iter().map(AuditEntry::from).collect())
    }
}

#[derive(Default)]
pub struct KeyMutation;

#[Object]
impl KeyMutation {
    /// Creates a key and answers its token, once.
    async fn create_key(&self, ctx: &Context<'_>, input: KeyInput) -> async_graphql::Result<CreatedKey> {
        let municipalities = input
            .municipalities
            .iter()
            .enumerate()
            .map(|(i, code)| municipality_argument(&format!("input.municipalities[{i}]"), code))
            .collect::<Result<Vec<_>, _>>()?;
        let role = Role::from(input.role);
        authorize_key(ctx, Operation::create_key(role), "(new)", Some(&municipalities)).await?;
        let services = services(ctx);
        let request = KeyRequest { name: input.name, role, municipalities, expires_at: input.expires_at };
        let issued = issue_key(&services.store, &services.config.region, request, Utc::now(), audit_context(ctx)).await;
        match issued {
            Ok((key, token)) => Ok(CreatedKey { token: token.expose().to_owned(), key: Key::from(&key) }),
            Err(IssueError::Invalid { problems }) => {
                let message =
                    problems.iter().map(|(field, problem)| format!("input.{field}: {problem}")).collect::<Vec<_>>();
                let argument = problems.first().map_or("input".to_owned(), |(field, _)| format!("input.{field}"));
                Err(async_graphql::Error::new(message.join("; ")).extend_with(|_, extensions| {
                    extensions.set("code", Code::BadUserInput.as_str());
                    extensions.set("argument", argument);
                }))
            }
            Err(IssueError::Store(error)) => Err(store_error(error)),
        }
    }

    /// Revokes a key: refused from the next request on. Revoking a revoked key changes nothing.
    async fn revoke_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Key> {
        let key = key_id("id", &id)?;
        let services = services(ctx);
        let found = services.store.api_key(key).await.map_err(internal)?;
        authorize_key(ctx, Operation::RevokeKey, &id, found.as_ref().map(|key| key.municipalities.as_slice())).await?;
        if found.is_none() {
            return Err(ApiError::NotFound(format!("key {}", id.as_str())).extend());
        }
        let revoked = services.store.revoke_api_key(key, Utc::now(), audit_context(ctx)).await.map_err(store_error)?;
        services.keys.forget(key);
        Ok(Key::from(&revoked))
    }
}
