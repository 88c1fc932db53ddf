//! Sources through the admin API: the config file's (`managedBy: CONFIG`, read-only here) and
//! the store's (`managedBy: API`), each scoped to the caller's municipalities; checking and dry
//! running a draft; saving, enabling, disabling and deleting by revision; harvesting now; run
//! history with rejections.
//!
//! Accepting a run a harvest guard held back is not here yet: the guard (branch `fidelity`)
//! has not reached main; `Operation::AcceptHeldRun` is in the policy table for it.

use async_graphql::{Context, Enum, ErrorExtensions as _, ID, Json, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use vuxnav_connectors::config::ValidSource;
use vuxnav_connectors::runner::ReportOutcome;
use vuxnav_schema::{MunicipalityCode, SourceId};
use vuxnav_store::{ManagedSource, SourceDraft};

use super::validate::{DraftProblem, check_draft, draft_municipality};
use super::{Target, audit_context, authorize, caller, deny, services, store_error};
use crate::auth::{Operation, Reach};
use crate::graphql::codes::Code;
use crate::graphql::errors::ApiError;
use crate::graphql::inputs::page_size;
use crate::graphql::internal;
use crate::graphql::runs::HarvestRun;
use crate::jobs::harvest::dry_run;

/// How many sample offerings a dry run shows, and rejected records per reason.
const SAMPLES: usize = 10;

/// Where a source is managed.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ManagedBy {
    /// The config file's `[[source]]` entries: read-only through the API.
    Config,
    /// Saved through this API; the store is its system of record.
    Api,
}

/// A source as an admin sees it.
#[derive(SimpleObject)]
pub struct AdminSource {
    id: String,
    /// The kommunkod.
    municipality: String,
    /// The connector kind, such as `csv`.
    kind: String,
    enabled: bool,
    managed_by: ManagedBy,
    /// The revision a change must name; null for sources of the config file.
    revision: Option<u32>,
    /// The configuration as saved: a `[[source]]` entry as JSON (secrets only as environment
    /// variable names). Null for sources of the config file.
    config: Option<Json<Value>>,
    saved_at: Option<DateTime<Utc>>,
    /// Who saved the current revision, as the audit log names them.
    saved_by: Option<String>,
}

impl AdminSource {
    fn configured(source: &ValidSource) -> Self {
        Self {
            id: source.id.to_string(),
            municipality: source.municipality.as_str().to_owned(),
            kind: source.connector.kind().as_str().to_owned(),
            enabled: source.enabled,
            managed_by: ManagedBy::Config,
            revision: None,
            config: None,
            saved_at: None,
            saved_by: None,
        }
    }

    fn managed(source: ManagedSource) -> Self {
        let kind = source.config.pointer("/connector/kind").and_then(Value::as_str).unwrap_or_default().to_owned();
        Self {
            id: source.id.to_string(),
            municipality: source.municipality.as_str().to_owned(),
            kind,
            enabled: source.config.get("enabled").and_then(Value::as_bool).unwrap_or(true),
            managed_by: ManagedBy::Api,
            revision: Some(source.revision),
            config: Some(Json(source.config)),
            saved_at: Some(source.saved_at),
            saved_by: Some(source.saved_by),
        }
    }
}

/// One problem of a draft configuration.
#[derive(SimpleObject)]
pub struct SourceProblem {
    /// The path inside the entry, such as `connector.url`; empty for the whole entry.
    field: String,
    message: String,
    /// The caller may not ask for this (such as `allow_private_network` without being a region
    /// admin), rather than having written it wrong.
    forbidden: bool,
}

impl From<DraftProblem> for SourceProblem {
    fn from(problem: DraftProblem) -> Self {
        Self { field: problem.problem.field, message: problem.problem.problem, forbidden: problem.forbidden }
    }
}

/// Whether a draft could be saved, and every problem it has.
#[derive(SimpleObject)]
pub struct SourceCheck {
    valid: bool,
    problems: Vec<SourceProblem>,
}

/// An offering a dry run read.
#[derive(SimpleObject)]
pub struct DryRunSample {
    /// The course's title.
    title: String,
    start: Option<NaiveDate>,
    /// The municipality's name.
    municipality: String,
}

/// A record a dry run would leave out.
#[derive(SimpleObject)]
pub struct RejectedRecord {
    upstream_id: String,
    /// The value read, when the reason names one.
    value: Option<String>,
}

/// The records a dry run would leave out for one reason in one field.
#[derive(SimpleObject)]
pub struct RejectionGroup {
    /// The upstream field, as the upstream names it.
    field: String,
    /// The reason, with the value read shown as `…`.
    reason: String,
    count: u64,
    /// The first few of them.
    examples: Vec<RejectedRecord>,
}

/// What a dry run read, storing nothing.
#[derive(SimpleObject)]
pub struct DryRunResult {
    offerings: u64,
    courses: u64,
    providers: u64,
    rejected: u64,
    /// The first offerings read.
    samples: Vec<DryRunSample>,
    /// Every rejection, grouped by reason, the largest group first.
    rejections: Vec<RejectionGroup>,
    /// Why the run would have failed; null when it would have succeeded.
    error: Option<String>,
    duration_ms: u64,
}

/// How `harvestNow` ended.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum HarvestOutcome {
    Succeeded,
    Failed,
    /// Not run: the source's circuit breaker is open, or a run of it is under way.
    Skipped,
    /// Read but not committed: the harvest guard held it (the run's `heldReason` says why);
    /// the last good data keeps serving until a run passes or `acceptHeldRun` accepts it.
    Held,
}

/// What `harvestNow` did.
#[derive(SimpleObject)]
pub struct HarvestNowResult {
    outcome: HarvestOutcome,
    error: Option<String>,
    /// The recorded run.
    run: Option<HarvestRun>,
}

/// What `deleteSource` did.
#[derive(SimpleObject)]
pub struct DeleteSourceResult {
    id: String,
    /// Offerings of the source withdrawn from the catalogue.
    withdrawn_offerings: u64,
}

/// A source found by id.
enum Found {
    Config(Box<ValidSource>),
    Managed(ManagedSource),
}

impl Found {
    fn municipality(&self) -> MunicipalityCode {
        match self {
            Self::Config(source) => source.municipality,
            Self::Managed(source) => source.municipality,
        }
    }
}

async fn find(ctx: &Context<'_>, id: &str) -> async_graphql::Result<Option<Found>> {
    let services = services(ctx);
    let Ok(id) = SourceId::parse(id) else { return Ok(None) };
    if let Some(source) = services.config.sources.iter().find(|source| source.id == id) {
        return Ok(Some(Found::Config(Box::new(source.clone()))));
    }
    Ok(services.store.managed_source(&id).await.map_err(internal)?.map(Found::Managed))
}

/// Finds the source `id` for `operation`: `FORBIDDEN` when the caller may not, whether or not
/// it exists; `NOT_FOUND` only for callers who reach every municipality.
async fn find_for(ctx: &Context<'_>, operation: Operation, id: &str) -> async_graphql::Result<Found> {
    let found = find(ctx, id).await?;
    let target = Target { kind: "source", id, municipality: found.as_ref().map(Found::municipality) };
    authorize(ctx, operation, target).await?;
    found.ok_or_else(|| ApiError::NotFound(format!("source {id}")).extend())
}

/// A managed source for a change; the config file's are read-only here.
async fn managed_for(ctx: &Context<'_>, operation: Operation, id: &str) -> async_graphql::Result<ManagedSource> {
    match find_for(ctx, operation, id).await? {
        Found::Managed(source) => Ok(source),
        Found::Config(_) => Err(ApiError::bad_input(
            "id",
            format!("the source {id} is managed in the config file (managedBy: CONFIG); change it there"),
        )
        .extend()),
    }
}

/// Lets the caller do `operation` with a draft: on the municipality it names, or, when it names
/// none that parses, as long as the caller may do it anywhere (the check then reports it).
async fn authorize_draft(ctx: &Context<'_>, operation: Operation, draft: &Value) -> async_graphql::Result<()> {
    let id = draft.get("id").and_then(Value::as_str).unwrap_or("(new)");
    match draft_municipality(draft) {
        Some(code) => authorize(ctx, operation, Target { kind: "source", id, municipality: Some(code) }).await,
        None if caller(ctx).reach(operation) != Reach::None => Ok(()),
        None => deny(ctx, operation, Target { kind: "source", id, municipality: None }).await,
    }
}

/// Checks `draft`; problems are one error, `BAD_USER_INPUT` (or `FORBIDDEN`, audited, when one
/// of them is a permission), naming every problem in its message and in
/// `extensions.problems`.
async fn checked(ctx: &Context<'_>, draft: &Value, previous: Option<&Value>) -> async_graphql::Result<ValidSource> {
    let services = services(ctx);
    match check_draft(draft, caller(ctx), &services.config, previous).await {
        Ok(source) => Ok(source),
        Err(problems) => {
            let forbidden = problems.iter().any(|problem| problem.forbidden);
            if forbidden {
                let id = draft.get("id").and_then(Value::as_str).unwrap_or("(new)");
                let target = Target { kind: "source", id, municipality: draft_municipality(draft) };
                // Audits the refusal; the answer below names every problem.
                let _ = deny(ctx, Operation::AllowPrivateNetwork, target).await;
            }
            Err(problems_error(&problems, forbidden))
        }
    }
}

fn problems_error(problems: &[DraftProblem], forbidden: bool) -> async_graphql::Error {
    let message = problems
        .iter()
        .map(|p| {
            let path =
                if p.problem.field.is_empty() { "config".to_owned() } else { format!("config.{}", p.problem.field) };
            format!("{path}: {}", p.problem.problem)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let list: Vec<async_graphql::Value> = problems
        .iter()
        .map(|p| {
            let mut entry = async_graphql::indexmap::IndexMap::new();
            entry.insert(async_graphql::Name::new("field"), async_graphql::Value::from(p.problem.field.clone()));
            entry.insert(async_graphql::Name::new("message"), async_graphql::Value::from(p.problem.problem.clone()));
            entry.insert(async_graphql::Name::new("forbidden"), async_graphql::Value::from(p.forbidden));
            async_graphql::Value::Object(entry)
        })
        .collect();
    async_graphql::Error::new(message).extend_with(|_, extensions| {
        extensions.set("code", if forbidden { Code::Forbidden } else { Code::BadUserInput }.as_str());
        extensions.set("argument", "config");
        extensions.set("problems", async_graphql::Value::List(list));
    })
}

fn draft_of(source: &ValidSource, config: Value) -> SourceDraft {
    SourceDraft {
        id: source.id.clone(),
        municipality: source.municipality,
        kind: source.connector.kind().as_str().to_owned(),
        enabled: source.enabled,
        config,
    }
}

#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    /// The sources the caller may see, the config file's and the store's, ordered by id.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AdminSource>> {
        if caller(ctx).reach(Operation::ReadSource) == Reach::None {
            deny(ctx, Operation::ReadSource, Target { kind: "source", id: "*", municipality: None }).await?;
        }
        let services = services(ctx);
        let visible = caller(ctx).visible(Operation::ReadSource);
        let shown = |code: MunicipalityCode| visible.is_none_or(|codes| codes.contains(&code));
        let mut sources: Vec<AdminSource> = services
            .config
            .sources
            .iter()
            .filter(|source| shown(source.municipality))
            .map(AdminSource::configured)
            .collect();
        let managed = services.store.managed_sources().await.map_err(internal)?;
        sources.extend(managed.into_iter().filter(|source| shown(source.municipality)).map(AdminSource::managed));
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(sources)
    }

    /// One source.
    async fn source(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<AdminSource> {
        Ok(match find_for(ctx, Operation::ReadSource, &id).await? {
            Found::Config(source) => AdminSource::configured(&source),
            Found::Managed(source) => AdminSource::managed(source),
        })
    }

    /// The recorded runs of a source, newest first, with their rejections.
    async fn runs(
        &self,
        ctx: &Context<'_>,
        source: ID,
        #[graphql(default = 20, desc = "How many, at most the configured page limit.")] first: i32,
    ) -> async_graphql::Result<Vec<HarvestRun>> {
        let first = page_size(ctx, Some(first))?;
        let store = &services(ctx).store;
        let parsed = SourceId::parse(&source).ok();
        // Deleted sources keep their runs: their municipality is in the registry.
        let municipality = match &parsed {
            Some(id) => {
                store.sources().await.map_err(internal)?.into_iter().find(|s| s.id == *id).map(|s| s.municipality)
            }
            None => None,
        };
        authorize(ctx, Operation::ReadRuns, Target { kind: "source", id: &source, municipality }).await?;
        let (Some(id), Some(_)) = (parsed, municipality) else {
            return Err(ApiError::NotFound(format!("source {}", source.as_str())).extend());
        };
        let runs = store.runs(Some(&id), first, None).await.map_err(internal)?;
        Ok(runs.into_iter().map(HarvestRun).collect())
    }
}

#[derive(Default)]
pub struct SourceMutation;

#[Object]
impl SourceMutation {
    /// Checks a draft `[[source]]` entry (as JSON) as `createSource` would, saving nothing:
    /// every problem at once, each with its path.
    async fn validate_source(&self, ctx: &Context<'_>, config: Json<Value>) -> async_graphql::Result<SourceCheck> {
        authorize_draft(ctx, Operation::TestSource, &config).await?;
        let services = services(ctx);
        Ok(match check_draft(&config, caller(ctx), &services.config, None).await {
            Ok(_) => SourceCheck { valid: true, problems: Vec::new() },
            Err(problems) => SourceCheck { valid: false, problems: problems.into_iter().map(Into::into).collect() },
        })
    }

    /// Reads a source as a full harvest would, storing nothing: a draft (`config`) or a saved
    /// source (`id`). Counts, sample offerings and every rejection grouped by reason.
    async fn dry_run_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A draft `[[source]]` entry as JSON.")] config: Option<Json<Value>>,
        #[graphql(desc = "A saved source's id.")] id: Option<ID>,
    ) -> async_graphql::Result<DryRunResult> {
        let source = match (config, id) {
            (Some(config), None) => {
                authorize_draft(ctx, Operation::TestSource, &config).await?;
                checked(ctx, &config, None).await?
            }
            (None, Some(id)) => match find_for(ctx, Operation::TestSource, &id).await? {
                Found::Config(source) => *source,
                Found::Managed(saved) => crate::config::parse_source_json(&saved.config).map_err(|_| {
                    ApiError::bad_input("id", format!("the saved configuration of {} no longer validates", id.as_str()))
                        .extend()
                })?,
            },
            _ => {
                return Err(
                    ApiError::bad_input("config", "give either `config` (a draft) or `id` (a saved source)").extend()
                );
            }
        };
        let run = dry_run(&services(ctx).config, &source).await.map_err(|error| {
            tracing::error!(error = format!("{error:#}"), "a dry run could not start");
            internal(std::io::Error::other("the dry run could not start"))
        })?;
        let catalogue = &run.harvest.catalogue;
        Ok(DryRunResult {
            offerings: catalogue.offerings.len() as u64,
            courses: catalogue.courses.len() as u64,
            providers: catalogue.providers.len() as u64,
            rejected: run.harvest.rejections.len() as u64,
            samples: run
                .samples(SAMPLES)
                .into_iter()
                .map(|(title, start, municipality)| DryRunSample {
                    title,
                    start,
                    municipality: municipality.to_owned(),
                })
                .collect(),
            rejections: run
                .rejections_by_field()
                .into_iter()
                .map(|group| RejectionGroup {
                    count: group.records.len() as u64,
                    examples: group
                        .records
                        .into_iter()
                        .take(SAMPLES)
                        .map(|(upstream_id, value)| RejectedRecord { upstream_id, value })
                        .collect(),
                    field: group.field,
                    reason: group.reason,
                })
                .collect(),
            error: run.error.clone(),
            duration_ms: u64::try_from(run.duration.as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Saves a new source from a `[[source]]` entry as JSON, at revision 1; it is harvested from
    /// the next schedule tick on.
    async fn create_source(&self, ctx: &Context<'_>, config: Json<Value>) -> async_graphql::Result<AdminSource> {
        authorize_draft(ctx, Operation::CreateSource, &config).await?;
        let source = checked(ctx, &config, None).await?;
        let saved = services(ctx)
            .store
            .create_source(&draft_of(&source, config.0), Utc::now(), audit_context(ctx))
            .await
            .map_err(store_error)?;
        Ok(AdminSource::managed(saved))
    }

    /// Replaces a saved source's configuration, provided it is still at `revision` (else
    /// `CONFLICT`, naming the revision it is at).
    async fn update_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        revision: u32,
        config: Json<Value>,
    ) -> async_graphql::Result<AdminSource> {
        let current = managed_for(ctx, Operation::UpdateSource, &id).await?;
        if let Some(code) = draft_municipality(&config)
            && code != current.municipality
        {
            authorize(ctx, Operation::UpdateSource, Target { kind: "source", id: &id, municipality: Some(code) })
                .await?;
        }
        let source = checked(ctx, &config, Some(&current.config)).await?;
        let saved = services(ctx)
            .store
            .update_source(&draft_of(&source, config.0), revision, "source.update", Utc::now(), audit_context(ctx))
            .await
            .map_err(store_error)?;
        Ok(AdminSource::managed(saved))
    }

    /// Enables or disables a saved source (a new revision), provided it is still at `revision`.
    async fn set_source_enabled(
        &self,
        ctx: &Context<'_>,
        id: ID,
        revision: u32,
        enabled: bool,
    ) -> async_graphql::Result<AdminSource> {
        let current = managed_for(ctx, Operation::UpdateSource, &id).await?;
        let mut config = current.config.clone();
        if let Some(entry) = config.as_object_mut() {
            entry.insert("enabled".to_owned(), Value::Bool(enabled));
        }
        let source = crate::config::parse_source_json(&config).map_err(|_| {
            ApiError::bad_input(
                "id",
                format!("the saved configuration of {} no longer validates; update it", id.as_str()),
            )
            .extend()
        })?;
        let action = if enabled { "source.enable" } else { "source.disable" };
        let saved = services(ctx)
            .store
            .update_source(&draft_of(&source, config), revision, action, Utc::now(), audit_context(ctx))
            .await
            .map_err(store_error)?;
        Ok(AdminSource::managed(saved))
    }

    /// Deletes a saved source at `revision`, withdrawing its offerings; its runs stay.
    async fn delete_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        revision: u32,
    ) -> async_graphql::Result<DeleteSourceResult> {
        let current = managed_for(ctx, Operation::DeleteSource, &id).await?;
        let withdrawn = services(ctx)
            .store
            .delete_source(&current.id, revision, Utc::now(), audit_context(ctx))
            .await
            .map_err(store_error)?;
        Ok(DeleteSourceResult { id: current.id.to_string(), withdrawn_offerings: withdrawn })
    }

    /// Harvests a source now, with its configuration as saved at this moment, and answers
    /// when the run has ended.
    async fn harvest_now(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<HarvestNowResult> {
        run_source(ctx, Run::Now, &id).await
    }

    /// Accepts what a source has now after the harvest guard held a run of it: a full run now,
    /// committed whatever the guard would say, which ends the source's `HELD` state. The held
    /// run itself is not kept: the source is read again. Audited like every write.
    async fn accept_held_run(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<HarvestNowResult> {
        run_source(ctx, Run::AcceptingHeld, &id).await
    }
}

/// The runs an admin can start.
#[derive(Clone, Copy)]
enum Run {
    /// `harvestNow`.
    Now,
    /// `acceptHeldRun`: committed whatever the guard says.
    AcceptingHeld,
}

/// A run of a source now, answered when it has ended.
async fn run_source(ctx: &Context<'_>, run: Run, id: &ID) -> async_graphql::Result<HarvestNowResult> {
    let operation = match run {
        Run::Now => Operation::HarvestNow,
        Run::AcceptingHeld => Operation::AcceptHeldRun,
    };
    let found = find_for(ctx, operation, id).await?;
    let source = match &found {
        Found::Config(source) => source.id.clone(),
        Found::Managed(source) => source.id.clone(),
    };
    let services = services(ctx);
    let report = match run {
        Run::Now => services.harvester.run_now(&source).await,
        Run::AcceptingHeld => services.harvester.accept(&source).await,
    };
    let run = match report.run {
        Some(run) => {
            services.store.runs(Some(&source), 1, None).await.map_err(internal)?.into_iter().find(|r| r.id == run)
        }
        None => None,
    };
    Ok(HarvestNowResult {
        outcome: match report.outcome {
            ReportOutcome::Succeeded => HarvestOutcome::Succeeded,
            ReportOutcome::Failed => HarvestOutcome::Failed,
            ReportOutcome::Skipped => HarvestOutcome::Skipped,
            ReportOutcome::Held => HarvestOutcome::Held,
        },
        error: report.error,
        run: run.map(HarvestRun),
    })
}
