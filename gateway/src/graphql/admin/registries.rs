//! The region's registries through the admin API: create, update and delete one entry of the
//! occupation links, validation offers, guidance services or prices; read the entries the
//! caller may change (`registryEntries`) and the description of a registry's columns
//! (`registryColumns`, from `cli::registry::columns`, the one description the import file, this
//! API and the admin pages' form share).
//!
//! An entry is the JSON object an import file's row is (the columns of
//! `cli::registry::file`, docs/registries.md), read by the import's own code, so the same
//! constructors validate it and every problem is named by its column. Who may change what is
//! `auth::policy::POLICY`'s `<registry>.<verb>` rows: a validation offer or a guidance service
//! belongs to every municipality it serves, and a scoped caller must reach all of them, those
//! of the stored entry and those of the new one (asked inside the store's transaction, so an
//! admin cannot take over or move away another municipality's entry). Links and prices are
//! region-wide. A change and its audit row (before and after, as import JSON) are written in
//! one transaction, and the registry snapshot is rebuilt after it.

use async_graphql::{Context, Enum, ErrorExtensions as _, Json, Object, SimpleObject};
use chrono::Utc;
use serde_json::Value;
use vuxnav_schema::{CourseCode, MunicipalityCode, OccupationLink, RegistryKey, Taxonomy};
use vuxnav_store::{
    ChangedBy, RegistryChange, RegistryChanged, RegistryEntry, RegistryEntryId, RegistryRows, StoreError,
};

use super::{Target, audit_context, caller, deny, forbidden, services};
use crate::auth::{Operation, Reach};
use crate::cli::registry::columns::{self, Shape};
use crate::cli::registry::file::{self, Format, RegistryKind};
use crate::graphql::codes::Code;
use crate::graphql::errors::ApiError;
use crate::graphql::internal;

/// The registries an admin edits.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Registry {
    /// Links from a course or yrkesvux package to an occupation: created and deleted, as they
    /// have nothing else to change.
    OccupationLinks,
    ValidationOffers,
    GuidanceServices,
    /// The price list of interkommunal ersättning.
    Prices,
}

impl Registry {
    fn kind(self) -> RegistryKind {
        match self {
            Self::OccupationLinks => RegistryKind::OccupationLinks,
            Self::ValidationOffers => RegistryKind::ValidationOffers,
            Self::GuidanceServices => RegistryKind::GuidanceServices,
            Self::Prices => RegistryKind::Prices,
        }
    }
}

/// How a column's value is written.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum ColumnShape {
    Text,
    /// A whole number.
    Integer,
    /// A decimal number with a point, such as `48.50`.
    Decimal,
    /// A date such as `2026-08-17`.
    Date,
    /// `true` or `false`.
    Boolean,
    /// One of the column's `values`.
    Choice,
    /// A list of any number of the column's `values`.
    Choices,
    /// A list of free texts.
    List,
    /// A list of openings such as `Mon 08:00-16:00`, several a day allowed.
    OpeningHours,
}

impl From<Shape> for ColumnShape {
    fn from(shape: Shape) -> Self {
        match shape {
            Shape::Text => Self::Text,
            Shape::Integer => Self::Integer,
            Shape::Decimal => Self::Decimal,
            Shape::Date => Self::Date,
            Shape::Boolean => Self::Boolean,
            Shape::Choice => Self::Choice,
            Shape::Choices => Self::Choices,
            Shape::List => Self::List,
            Shape::OpeningHours => Self::OpeningHours,
        }
    }
}

/// A value a column allows.
#[derive(SimpleObject)]
pub struct AllowedValue {
    /// As written in the entry.
    value: String,
    /// In Swedish.
    label: String,
}

/// One column of a registry's entries: a key of an entry's JSON object and a column of its
/// import file.
#[derive(SimpleObject)]
pub struct RegistryColumn {
    name: String,
    /// The Swedish label.
    label: String,
    shape: ColumnShape,
    required: bool,
    /// The values allowed, for `CHOICE` and `CHOICES`; empty when any value of the shape is.
    values: Vec<AllowedValue>,
    /// How to fill it in, in Swedish; empty when the label says it all.
    help: String,
}

/// An entry the caller may change.
#[derive(SimpleObject)]
pub struct RegistryRow {
    /// The entry's key; a link's is `course_code/occupation_id`.
    key: String,
    /// The entry as a row of an import file in JSON, as `updateRegistryEntry` takes it.
    entry: Json<Value>,
}

#[derive(Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// The columns of `registry`'s entries, in the order its import file has them.
    /// `FORBIDDEN` (audited) for a caller who may add none.
    async fn registry_columns(
        &self,
        ctx: &Context<'_>,
        registry: Registry,
    ) -> async_graphql::Result<Vec<RegistryColumn>> {
        allowed_operation(ctx, registry, Verb::Create).await?;
        let region = &ctx.data_unchecked::<crate::graphql::Settings>().region;
        Ok(registry
            .kind()
            .describe()
            .iter()
            .map(|column| RegistryColumn {
                name: column.name.to_owned(),
                label: column.label.to_owned(),
                shape: column.shape.into(),
                required: column.required,
                values: column
                    .values(region)
                    .into_iter()
                    .map(|columns::Allowed { value, label }| AllowedValue { value, label })
                    .collect(),
                help: column.help.to_owned(),
            })
            .collect())
    }

    /// The entries of `registry` the caller may change (update, or for a link delete), by key:
    /// for a municipal admin the validation offers and guidance services serving only their
    /// municipalities. `FORBIDDEN` (audited) for a caller who may change none.
    async fn registry_entries(&self, ctx: &Context<'_>, registry: Registry) -> async_graphql::Result<Vec<RegistryRow>> {
        let verb = if registry == Registry::OccupationLinks { Verb::Delete } else { Verb::Update };
        let op = allowed_operation(ctx, registry, verb).await?;
        let caller = caller(ctx);
        let registries = services(ctx).store.registries(taxonomy()?).await.map_err(internal)?;
        let entries: Vec<RegistryEntry> = match registry {
            Registry::OccupationLinks => {
                registries.occupation_links.into_iter().map(RegistryEntry::OccupationLink).collect()
            }
            Registry::ValidationOffers => {
                registries.validation_offers.into_iter().map(RegistryEntry::ValidationOffer).collect()
            }
            Registry::GuidanceServices => {
                registries.guidance_services.into_iter().map(RegistryEntry::GuidanceService).collect()
            }
            Registry::Prices => registries.prices.entries().iter().cloned().map(RegistryEntry::Price).collect(),
        };
        Ok(entries
            .into_iter()
            .filter(|entry| match entry.municipalities() {
                [] => caller.reach(op) == Reach::Any,
                touched => caller.may_all(op, touched),
            })
            .map(|entry| RegistryRow { key: entry.id().key(), entry: Json(describe(&entry)) })
            .collect())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Create,
    Update,
    Delete,
}

/// The policy's operation for `verb` on `registry`; `None` for updating a link.
fn operation(registry: Registry, verb: Verb) -> Option<Operation> {
    use Operation as O;
    Some(match (registry, verb) {
        (Registry::OccupationLinks, Verb::Create) => O::CreateOccupationLink,
        (Registry::OccupationLinks, Verb::Update) => return None,
        (Registry::OccupationLinks, Verb::Delete) => O::DeleteOccupationLink,
        (Registry::ValidationOffers, Verb::Create) => O::CreateValidationOffer,
        (Registry::ValidationOffers, Verb::Update) => O::UpdateValidationOffer,
        (Registry::ValidationOffers, Verb::Delete) => O::DeleteValidationOffer,
        (Registry::GuidanceServices, Verb::Create) => O::CreateGuidanceService,
        (Registry::GuidanceServices, Verb::Update) => O::UpdateGuidanceService,
        (Registry::GuidanceServices, Verb::Delete) => O::DeleteGuidanceService,
        (Registry::Prices, Verb::Create) => O::CreatePrice,
        (Registry::Prices, Verb::Update) => O::UpdatePrice,
        (Registry::Prices, Verb::Delete) => O::DeletePrice,
    })
}

/// What a change did.
#[derive(SimpleObject)]
pub struct RegistryEntryChange {
    registry: Registry,
    /// The entry's key; a link's is `course_code/occupation_id`.
    key: String,
    /// The entry before, as a row of an import file in JSON; null for a creation.
    before: Option<Json<Value>>,
    /// The entry after; null for a deletion.
    after: Option<Json<Value>>,
}

/// A problem of an entry.
#[derive(SimpleObject)]
pub struct EntryProblem {
    /// The column, such as `opening_hours`; empty for the entry as a whole.
    field: String,
    message: String,
}

/// What `validateRegistryEntry` found.
#[derive(SimpleObject)]
pub struct EntryCheck {
    valid: bool,
    problems: Vec<EntryProblem>,
}

#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Checks `entry` as `createRegistryEntry` reads it, saving nothing: every problem at once,
    /// each with its column. Whether the key is free, and whom the entry may serve, are
    /// checked only when it is saved.
    async fn validate_registry_entry(
        &self,
        ctx: &Context<'_>,
        registry: Registry,
        entry: Json<Value>,
    ) -> async_graphql::Result<EntryCheck> {
        allowed_operation(ctx, registry, Verb::Create).await?;
        Ok(match read_rows(ctx, registry, entry.0)? {
            Ok(_) => EntryCheck { valid: true, problems: Vec::new() },
            Err(problems) => EntryCheck {
                valid: false,
                problems: problems.into_iter().map(|p| EntryProblem { field: p.column, message: p.reason }).collect(),
            },
        })
    }

    /// Adds an entry whose key is not taken. `entry` is one row of the registry's import file
    /// as a JSON object (docs/registries.md); every problem is named by its column.
    async fn create_registry_entry(
        &self,
        ctx: &Context<'_>,
        registry: Registry,
        entry: Json<Value>,
    ) -> async_graphql::Result<RegistryEntryChange> {
        let op = allowed_operation(ctx, registry, Verb::Create).await?;
        let entry = read_entry(ctx, registry, entry.0)?;
        change(ctx, registry, op, RegistryChange::Create(entry)).await
    }

    /// Replaces the entry with the key `entry` names, as `createRegistryEntry` reads it.
    async fn update_registry_entry(
        &self,
        ctx: &Context<'_>,
        registry: Registry,
        entry: Json<Value>,
    ) -> async_graphql::Result<RegistryEntryChange> {
        let op = allowed_operation(ctx, registry, Verb::Update).await?;
        let entry = read_entry(ctx, registry, entry.0)?;
        change(ctx, registry, op, RegistryChange::Update(entry)).await
    }

    /// Deletes the entry with `key` (a link's key is `course_code/occupation_id`).
    async fn delete_registry_entry(
        &self,
        ctx: &Context<'_>,
        registry: Registry,
        key: String,
    ) -> async_graphql::Result<RegistryEntryChange> {
        let op = allowed_operation(ctx, registry, Verb::Delete).await?;
        let id = entry_id(registry, &key, taxonomy()?)?;
        change(ctx, registry, op, RegistryChange::Delete(id)).await
    }
}

fn taxonomy() -> async_graphql::Result<&'static Taxonomy> {
    Taxonomy::pinned().map_err(internal)
}

/// The operation, when the caller reaches it at all (else `FORBIDDEN`, audited, before the
/// entry is read).
async fn allowed_operation(ctx: &Context<'_>, registry: Registry, verb: Verb) -> async_graphql::Result<Operation> {
    let Some(op) = operation(registry, verb) else {
        return Err(ApiError::bad_input(
            "registry",
            "an occupation link has nothing to update: delete it and create the one wanted",
        )
        .extend());
    };
    if caller(ctx).reach(op) == Reach::None {
        deny(ctx, op, Target { kind: target_type(registry), id: "", municipality: None }).await?;
    }
    Ok(op)
}

fn target_type(registry: Registry) -> &'static str {
    match registry {
        Registry::OccupationLinks => "occupation_link",
        Registry::ValidationOffers => "validation_offer",
        Registry::GuidanceServices => "guidance_service",
        Registry::Prices => "price",
    }
}

/// Reads one entry with the import's code; problems are one `BAD_USER_INPUT` naming each as
/// `entry.<column>`, also listed in `extensions.problems`.
fn read_entry(ctx: &Context<'_>, registry: Registry, entry: Value) -> async_graphql::Result<RegistryEntry> {
    match read_rows(ctx, registry, entry)? {
        Ok(rows) => one_entry(rows).ok_or_else(|| ApiError::bad_input("entry", "holds no entry").extend()),
        Err(problems) => Err(problems_error(&problems)),
    }
}

/// Reads one entry as a one-row JSON import file: its row, or every problem with its column.
fn read_rows(
    ctx: &Context<'_>,
    registry: Registry,
    entry: Value,
) -> async_graphql::Result<Result<RegistryRows, Vec<file::Problem>>> {
    let region = &ctx.data_unchecked::<crate::graphql::Settings>().region;
    let bytes = serde_json::to_vec(&Value::Array(vec![entry])).map_err(internal)?;
    let context = file::Context { region, taxonomy: taxonomy()? };
    Ok(file::read(registry.kind(), Format::Json, &bytes, context))
}

fn one_entry(rows: RegistryRows) -> Option<RegistryEntry> {
    match rows {
        RegistryRows::OccupationLinks(rows) => rows.into_iter().next().map(RegistryEntry::OccupationLink),
        RegistryRows::ValidationOffers(rows) => rows.into_iter().next().map(RegistryEntry::ValidationOffer),
        RegistryRows::GuidanceServices(rows) => rows.into_iter().next().map(RegistryEntry::GuidanceService),
        RegistryRows::Prices(rows) => rows.into_iter().next().map(RegistryEntry::Price),
    }
}

fn problems_error(problems: &[file::Problem]) -> async_graphql::Error {
    let path = |p: &file::Problem| if p.column.is_empty() { "entry".to_owned() } else { format!("entry.{}", p.column) };
    let message = problems.iter().map(|p| format!("{}: {}", path(p), p.reason)).collect::<Vec<_>>().join("; ");
    let list: Vec<async_graphql::Value> = problems
        .iter()
        .map(|p| {
            let mut entry = async_graphql::indexmap::IndexMap::new();
            entry.insert(async_graphql::Name::new("field"), async_graphql::Value::from(p.column.clone()));
            entry.insert(async_graphql::Name::new("message"), async_graphql::Value::from(p.reason.clone()));
            async_graphql::Value::Object(entry)
        })
        .collect();
    let argument = problems.first().map_or_else(|| "entry".to_owned(), path);
    async_graphql::Error::new(message).extend_with(|_, extensions| {
        extensions.set("code", Code::BadUserInput.as_str());
        extensions.set("argument", argument.as_str());
        extensions.set("problems", async_graphql::Value::List(list));
    })
}

/// Parses a key argument: a registry key, or for a link `course_code/occupation_id`.
fn entry_id(registry: Registry, key: &str, taxonomy: &Taxonomy) -> Result<RegistryEntryId, ApiError> {
    let bad = |reason: String| ApiError::bad_input("key", reason);
    let registry_key = || RegistryKey::parse(key).map_err(|e| bad(e.reason));
    Ok(match registry {
        Registry::OccupationLinks => {
            let (course, occupation) = key.split_once('/').ok_or_else(|| {
                bad(format!("`{key}` is not `course_code/occupation_id`, such as `YVUSK/Y3QA_5pk_uXd`"))
            })?;
            RegistryEntryId::OccupationLink(OccupationLink {
                course: CourseCode::parse(course).map_err(|e| bad(e.reason))?,
                occupation: taxonomy.occupation_id(occupation).map_err(|e| bad(e.reason))?,
            })
        }
        Registry::ValidationOffers => RegistryEntryId::ValidationOffer(registry_key()?),
        Registry::GuidanceServices => RegistryEntryId::GuidanceService(registry_key()?),
        Registry::Prices => RegistryEntryId::Price(registry_key()?),
    })
}

/// The entry as one row of an import file in JSON.
fn describe(entry: &RegistryEntry) -> Value {
    file::to_json(&entry.clone().into_rows()).as_array().and_then(|rows| rows.first()).cloned().unwrap_or(Value::Null)
}

async fn change(
    ctx: &Context<'_>,
    registry: Registry,
    op: Operation,
    change: RegistryChange,
) -> async_graphql::Result<RegistryEntryChange> {
    let services = services(ctx);
    let caller = caller(ctx);
    let may = |touched: &[MunicipalityCode]| {
        if touched.is_empty() { caller.reach(op) == Reach::Any } else { caller.may_all(op, touched) }
    };
    let by = ChangedBy { action: op.name(), may: &may, describe: &describe, context: audit_context(ctx) };
    let id = change.id();
    let key = id.key();
    let changed = services.store.change_registry(&change, by, taxonomy()?, Utc::now()).await.map_err(store_error)?;
    let (before, after) = match changed {
        RegistryChanged::Done { before, after } => (before, after),
        RegistryChanged::Refused { municipalities } => {
            let outside =
                municipalities.iter().copied().find(|m| !caller.may(op, *m)).or(municipalities.first().copied());
            let target = Target { kind: id.target_type(), id: &key, municipality: outside };
            // `deny` always answers `FORBIDDEN`.
            return deny(ctx, op, target).await.and(Err(forbidden(op)));
        }
    };
    if let Err(error) = services.refresher.refresh_registries().await {
        // The change is stored; the next scheduled refresh serves it.
        tracing::error!(error = format!("{error:#}"), "cannot rebuild the registry snapshot after a change");
    }
    Ok(RegistryEntryChange {
        registry,
        key,
        before: before.as_ref().map(|e| Json(describe(e))),
        after: after.as_ref().map(|e| Json(describe(e))),
    })
}

fn store_error(error: StoreError) -> async_graphql::Error {
    match error {
        StoreError::RegistryEntryExists(kind, key) => {
            ApiError::bad_input("entry.key", format!("a {kind} with the key `{key}` exists: update it instead"))
                .extend()
        }
        StoreError::UnknownRegistryEntry(kind, key) => ApiError::NotFound(format!("{kind} {key}")).extend(),
        StoreError::RegistryConflict(problem) => {
            ApiError::bad_input(format!("entry.{}", file::column_of(problem.field)), problem.reason).extend()
        }
        other => internal(other),
    }
}
