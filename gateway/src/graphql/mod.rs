//! The public GraphQL API: schema, resolvers, inputs, errors and limits; the admin API's
//! second schema is [`admin`]. Transport (HTTP,
//! content negotiation, status codes) lives in `http::graphql_http`.

pub mod admin;
pub mod codes;
pub mod coercion;
mod connection;
pub mod errors;
mod inputs;
pub mod limits;
mod outlook;
mod quality;
mod query;
mod registry;
mod registry_connection;
mod runs;
mod statistics;
mod types;

use std::sync::Arc;

use arc_swap::ArcSwap;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest};
use async_graphql::{Context, EmptyMutation, EmptySubscription, ErrorExtensions as _, Schema, ServerResult};
use chrono::NaiveDate;
use vuxnav_schema::Region;

pub use query::QueryRoot;
use vuxnav_read_model::{ReadModel, RegistryModel};

/// The largest `first` the complexity limit counts: an oversized `first` is then refused by
/// the resolver as `BAD_USER_INPUT` naming `first`, not as a complex query.
pub(crate) const MAX_FIRST: i32 = 500;

/// What one offering search (a field returning an `OfferingConnection`) adds to the complexity
/// score beyond its selection: about as much work as resolving a hundred fields. A page of
/// 500 result cards is then well within the default limit, while a search under each of 500
/// offerings or courses is not.
pub(crate) const SEARCH_COST: usize = 100;

pub type ApiSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// The slot holding the read model in service; a new one is swapped in atomically when it is
/// built (`jobs::refresh`), and a request reads one snapshot from start to end ([`Snapshots`]).
pub type ReadModelSlot = Arc<ArcSwap<ReadModel>>;

/// The slot holding the registry snapshot in service, beside the read model's: an edit of a
/// registry swaps in a new one without rebuilding the offerings. A request reads one of each.
pub type RegistrySlot = Arc<ArcSwap<RegistryModel>>;

/// What the API needs to know beyond the data.
#[derive(Debug, Clone)]
pub struct Settings {
    pub region: Region,
    pub max_page_size: usize,
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub introspection: bool,
    /// A fixed "today" (tests, reproducible demos); `None` means the date in Europe/Stockholm.
    pub today: Option<NaiveDate>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            region: Region::default(),
            max_page_size: 500,
            max_depth: 15,
            max_complexity: 50_000,
            max_aliases: 30,
            introspection: true,
            today: None,
        }
    }
}

/// Builds the schema over the slots of the read model and the registry snapshot, and a store.
pub fn build_schema(
    settings: Settings,
    slot: ReadModelSlot,
    registries: RegistrySlot,
    store: vuxnav_store::Store,
) -> ApiSchema {
    let protections = errors::Protections {
        max_aliases: settings.max_aliases,
        max_depth: settings.max_depth,
        max_complexity: settings.max_complexity,
    };
    let mut builder = Schema::build(QueryRoot, EmptyMutation, EmptySubscription)
        .limit_recursive_depth(limits::MAX_NESTING)
        .extension(protections)
        .extension(Snapshots { offerings: slot, registries })
        .data(store)
        .data(settings.clone());
    if !settings.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The SDL of the public schema, as `vuxnav schema print` prints it.
pub fn sdl() -> String {
    Schema::build(QueryRoot, EmptyMutation, EmptySubscription).finish().sdl()
}

/// Today's date in Europe/Stockholm, unless the settings fix it.
pub(crate) fn today(ctx: &Context<'_>) -> NaiveDate {
    today_or(ctx.data_unchecked::<Settings>().today)
}

/// `fixed`, or else today's date in Europe/Stockholm: the date the API takes as today.
pub fn today_or(fixed: Option<NaiveDate>) -> NaiveDate {
    fixed.unwrap_or_else(|| chrono::Utc::now().with_timezone(&chrono_tz::Europe::Stockholm).date_naive())
}

/// Logs an unexpected error with its cause and answers `INTERNAL` without detail.
pub(crate) fn internal(error: impl std::error::Error) -> async_graphql::Error {
    tracing::error!(error = %error, "internal error while resolving");
    async_graphql::Error::new("internal error").extend_with(|_, e| e.set("code", codes::Code::Internal.as_str()))
}

/// Gives each request one read-model snapshot, so every field of a response sees the same data.
struct Snapshots {
    offerings: ReadModelSlot,
    registries: RegistrySlot,
}

impl ExtensionFactory for Snapshots {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Snapshots { offerings: self.offerings.clone(), registries: self.registries.clone() })
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Snapshots {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        let snapshot: types::Snapshot = self.offerings.load_full();
        let registries: registry::RegistrySnapshot = self.registries.load_full();
        next.run(ctx, request.data(snapshot).data(registries)).await
    }
}
