//! The admin API: a second schema, served at `/admin/graphql` by the same transport as the
//! public one, where every request carries an API key (`http::access::require_key`).
//!
//! Every resolver asks [`authorize`] (which asks `Caller::may`, which reads
//! `auth::policy::POLICY`) before it reads or writes; a refusal is `FORBIDDEN`, audited, and
//! says nothing of whether the object exists. Every write is one store function that writes the
//! change and its audit row in one transaction. Source configurations are checked by
//! [`validate::check_draft`], which parses them with the config file's own code.
//!
//! - `sources.rs`: sources (list, validate, dry run, create, update, enable/disable, delete,
//!   harvest now) and their runs.
//! - `keys.rs`: `me`, keys (create, list, revoke) and the audit log.
//! - `kinds.rs`: `sourceKinds`, the JSON Schema of a source of each connector kind.
//! - `registries.rs`: the region's registries (the entries the caller may change, the
//!   description of their columns; create, update, delete one entry).

mod keys;
mod kinds;
mod registries;
mod sources;
pub mod validate;

use std::sync::Arc;

use async_graphql::{Context, EmptySubscription, ErrorExtensions as _, MergedObject, Schema};
use chrono::Utc;
use vuxnav_schema::MunicipalityCode;
use vuxnav_store::{AuditContext, AuditOutcome, AuditRecord, Store};

use super::errors::{ApiError, Protections};
use super::{Settings, internal};
use crate::auth::{Caller, KeyCheck, Operation, Reach};
use crate::config::Config;
use crate::jobs::harvest::Harvester;
use crate::jobs::refresh::Refresher;

/// The path of the admin endpoint.
pub const ENDPOINT: &str = "/admin/graphql";

#[derive(MergedObject, Default)]
pub struct AdminQuery(keys::KeyQuery, sources::SourceQuery, kinds::KindQuery, registries::RegistryQuery);

#[derive(MergedObject, Default)]
pub struct AdminMutation(keys::KeyMutation, sources::SourceMutation, registries::RegistryMutation);

pub type AdminSchema = Schema<AdminQuery, AdminMutation, EmptySubscription>;

/// What the admin resolvers need besides the caller.
#[derive(Clone)]
pub struct AdminServices {
    pub config: Arc<Config>,
    pub store: Store,
    pub harvester: Harvester,
    pub keys: KeyCheck,
    /// Rebuilds the registry snapshot after a registry change.
    pub refresher: Refresher,
}

/// Builds the admin schema with the public one's limits.
pub fn build_admin_schema(settings: Settings, services: AdminServices) -> AdminSchema {
    let mut builder = Schema::build(AdminQuery::default(), AdminMutation::default(), EmptySubscription)
        .limit_recursive_depth(crate::graphql::limits::MAX_NESTING)
        .extension(Protections {
            max_aliases: settings.max_aliases,
            max_depth: settings.max_depth,
            max_complexity: settings.max_complexity,
        })
        .data(services.store.clone())
        .data(services)
        .data(settings.clone());
    if !settings.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The SDL of the admin schema, as `vuxnav schema print --admin` prints it.
pub fn admin_sdl() -> String {
    Schema::build(AdminQuery::default(), AdminMutation::default(), EmptySubscription).finish().sdl()
}

fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    ctx.data_unchecked::<Caller>()
}

fn audit_context<'a>(ctx: &Context<'a>) -> &'a AuditContext {
    ctx.data_unchecked::<AuditContext>()
}

fn services<'a>(ctx: &Context<'a>) -> &'a AdminServices {
    ctx.data_unchecked::<AdminServices>()
}

/// What an operation acts on, as the audit log names it.
pub(crate) struct Target<'t> {
    pub kind: &'t str,
    pub id: &'t str,
    pub municipality: Option<MunicipalityCode>,
}

/// Lets the caller do `operation` on `target`, or answers `FORBIDDEN` and audits the refusal.
/// A target without a municipality (one that does not exist, or names none) is allowed only to
/// callers who reach every municipality, so a refusal never tells whether it exists.
pub(crate) async fn authorize(
    ctx: &Context<'_>,
    operation: Operation,
    target: Target<'_>,
) -> async_graphql::Result<()> {
    let caller = caller(ctx);
    let allowed = match target.municipality {
        Some(code) => caller.may(operation, code),
        None => caller.reach(operation) == Reach::Any,
    };
    if allowed {
        return Ok(());
    }
    deny(ctx, operation, target).await
}

/// Answers `FORBIDDEN` for `operation` on `target` and audits it.
pub(crate) async fn deny(ctx: &Context<'_>, operation: Operation, target: Target<'_>) -> async_graphql::Result<()> {
    let record = AuditRecord {
        action: operation.name().to_owned(),
        target_type: target.kind.to_owned(),
        target_id: target.id.to_owned(),
        municipality: target.municipality,
        before: None,
        after: None,
        outcome: AuditOutcome::Denied,
    };
    if let Err(error) = services(ctx).store.audit(audit_context(ctx), record, Utc::now()).await {
        tracing::warn!(error = %error, "cannot audit a refused admin operation");
    }
    Err(forbidden(operation))
}

fn forbidden(operation: Operation) -> async_graphql::Error {
    ApiError::Forbidden(format!("this key may not do `{}` here", operation.name())).extend()
}

/// A store error as the API answers it.
fn store_error(error: vuxnav_store::StoreError) -> async_graphql::Error {
    use vuxnav_store::StoreError;
    match error {
        StoreError::RevisionConflict { source_id, expected, current } => ApiError::Conflict(format!(
            "the source {source_id} is at revision {current}, not {expected}: someone saved it since; read it again"
        ))
        .extend(),
        StoreError::SourceExists(id) => {
            ApiError::bad_input("config.id", format!("a source with the id `{id}` exists")).extend()
        }
        StoreError::UnknownSource(id) | StoreError::SourceDeleted(id) => {
            ApiError::NotFound(format!("source {id}")).extend()
        }
        StoreError::UnknownKey(id) => ApiError::NotFound(format!("key {id}")).extend(),
        other => internal(other),
    }
}
