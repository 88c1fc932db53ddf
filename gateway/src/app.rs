//! The running service: the store, the read model in service, the GraphQL schema and the
//! HTTP routes, and the jobs that keep the read model fresh: the scheduled refresh, and with
//! harvesting on ([`App::serve_harvesting`]) a rebuild after harvests that stored something.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use vuxnav_connectors::runner::Runner;
use vuxnav_schema::RunId;
use vuxnav_store::Store;

use crate::config::{Config, ReadModelConfig};
use crate::graphql::{self, ApiSchema, Catalog, Settings};
use crate::http::graphql_http::{GraphQlHttp, HttpLimits};
use crate::read_model::ReadModel;
use crate::telemetry::{self, Metrics};

/// The service's shared state. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub catalog: Catalog,
    pub schema: ApiSchema,
    metrics: Metrics,
    graphiql: bool,
    http_limits: HttpLimits,
    ready: Arc<AtomicBool>,
    /// Counts the read models swapped in since start-up.
    refreshed: Arc<watch::Sender<u64>>,
    /// Held for the whole of a refresh: refreshes run one at a time. It holds the store's
    /// [`Store::last_change`] as it was when the model in service was read.
    refreshing: Arc<tokio::sync::Mutex<Option<RunId>>>,
}

impl App {
    /// Builds the read model from the store and the schema over it. `today` fixes the date
    /// the API takes as today (tests); `None` uses the date in Europe/Stockholm.
    pub async fn start(config: &Config, store: Store, today: Option<NaiveDate>) -> anyhow::Result<App> {
        vuxnav_connectors::fetch::install_crypto_provider();
        let last_change = store.last_change().await.context("reading the store's last change")?;
        let model = build_read_model(&store).await?;
        let catalog: Catalog = Arc::new(ArcSwap::from_pointee(model));
        let limits = config.graphql;
        let settings = Settings {
            region: config.region.clone(),
            max_page_size: limits.max_page_size,
            max_depth: limits.max_depth,
            max_complexity: limits.max_complexity,
            max_aliases: limits.max_aliases,
            introspection: limits.introspection,
            today,
        };
        let schema = graphql::build_schema(settings, catalog.clone(), store.clone());
        Ok(App {
            store,
            catalog,
            schema,
            metrics: Metrics::new(),
            graphiql: limits.graphiql,
            http_limits: limits.http_limits(),
            ready: Arc::new(AtomicBool::new(true)),
            refreshed: Arc::new(watch::Sender::new(0)),
            refreshing: Arc::new(tokio::sync::Mutex::new(last_change)),
        })
    }

    /// Rebuilds the read model from the store and swaps it in. On failure the one in service
    /// stays. Refreshes run one at a time (the scheduled one, those after harvests, a caller's),
    /// so a model read from an older snapshot of the store never replaces a newer one.
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let mut in_service = self.refreshing.lock().await;
        // Read before the catalogue: a change committed during the read shows as newer later.
        let last_change = self.store.last_change().await.context("reading the store's last change")?;
        let model = build_read_model(&self.store).await?;
        self.catalog.store(Arc::new(model));
        *in_service = last_change;
        self.refreshed.send_modify(|n| *n += 1);
        Ok(())
    }

    /// [`refresh`](Self::refresh) when the store holds a change the model in service was not
    /// read with (a harvest by another process or replica, say); otherwise nothing. Says
    /// whether it rebuilt.
    pub async fn refresh_if_changed(&self) -> anyhow::Result<bool> {
        let in_service = *self.refreshing.lock().await;
        let last_change = self.store.last_change().await.context("reading the store's last change")?;
        if last_change == in_service {
            tracing::debug!("the store has not changed since the read model was built");
            return Ok(false);
        }
        self.refresh().await?;
        Ok(true)
    }

    /// The number of read models swapped in since start-up, to await a rebuild.
    pub fn refreshes(&self) -> watch::Receiver<u64> {
        self.refreshed.subscribe()
    }

    /// Makes every harvest of `runner` that stores something ask for a read-model rebuild, and
    /// spawns the task that rebuilds: commits that arrive while a rebuild is under way are
    /// covered by one more rebuild, not one each. Returns the runner to run (the hook must be
    /// set before it is shared) and the task, which ends when the runner is dropped.
    pub fn rebuild_after_harvests(&self, runner: Runner) -> (Runner, tokio::task::JoinHandle<()>) {
        let (committed, commits) = watch::channel(0u64);
        let runner = runner.on_committed(Arc::new(move |_| committed.send_modify(|n| *n += 1)));
        let task = tokio::spawn(self.clone().rebuild_after_commits(commits));
        (runner, task)
    }

    /// All HTTP routes: `/graphql`, `/healthz`, `/readyz`, `/metrics` and a landing page.
    pub fn router(&self) -> Router {
        let graphql =
            GraphQlHttp::new(self.schema.clone()).limits(self.http_limits).graphiql(self.graphiql).into_router();
        Router::new()
            .route("/", get(landing))
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics))
            .with_state(self.clone())
            .merge(graphql)
            .layer(axum::middleware::from_fn(telemetry::track_http_metrics))
    }

    /// Serves on `listener` until SIGTERM or Ctrl-C, with `runner` harvesting its sources on
    /// their schedules alongside. After each harvest that stored something the read model is
    /// rebuilt; commits that arrive while a rebuild is under way are covered by one more
    /// rebuild, not one each. On shutdown the HTTP server finishes its requests, no new run
    /// starts and the runs under way finish (a failed or interrupted one leaves the store
    /// consistent).
    pub async fn serve_harvesting(
        self,
        listener: TcpListener,
        read_model: &ReadModelConfig,
        runner: Runner,
    ) -> anyhow::Result<()> {
        let _upkeep = self.metrics.spawn_upkeep(Duration::from_secs(5));
        let refresher = tokio::spawn(self.clone().refresh_on_schedule(read_model.clone()));
        let (runner, rebuilder) = self.rebuild_after_harvests(runner);
        let (stop, stopped) = oneshot::channel::<()>();
        let scheduled = tokio::spawn(runner.run_scheduled(async move {
            let _ = stopped.await;
        }));
        let result = axum::serve(listener, self.router())
            .with_graceful_shutdown(telemetry::shutdown_signal())
            .await
            .context("serving HTTP");
        self.ready.store(false, Ordering::SeqCst);
        refresher.abort();
        let _ = stop.send(());
        if let Err(error) = scheduled.await {
            tracing::error!(%error, "the harvest scheduler ended abnormally");
        }
        rebuilder.abort();
        tracing::info!("shut down");
        result
    }

    /// Rebuilds the read model whenever `commits` changes: a burst of commits during one
    /// rebuild leads to one more rebuild. Ends when the sender is dropped.
    async fn rebuild_after_commits(self, mut commits: watch::Receiver<u64>) {
        while commits.changed().await.is_ok() {
            commits.borrow_and_update();
            if let Err(error) = self.refresh().await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "rebuilding the read model after a harvest failed; the old one stays"
                );
            }
        }
    }

    async fn refresh_on_schedule(self, config: ReadModelConfig) {
        loop {
            let now = chrono::Utc::now();
            let Some(next) = config.next_refresh_after(now) else { return };
            let wait = (next - now).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
            if let Err(error) = self.refresh_if_changed().await {
                tracing::error!(error = format!("{error:#}"), "refreshing the read model failed; the old one stays");
            }
        }
    }
}

/// Loads the catalogue and builds the read model off the async threads.
async fn build_read_model(store: &Store) -> anyhow::Result<ReadModel> {
    let started = Instant::now();
    let catalogue = store.catalogue().await.context("loading the catalogue from the store")?;
    let loaded = started.elapsed();
    let model =
        tokio::task::spawn_blocking(move || ReadModel::build(catalogue)).await.context("building the read model")??;
    tracing::info!(
        offerings = model.len(),
        load_ms = loaded.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "read model built"
    );
    Ok(model)
}

async fn readyz(State(app): State<App>) -> Response {
    if !app.ready.load(Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(error) => {
            tracing::warn!(%error, "readiness: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "the store does not answer").into_response()
        }
    }
}

async fn metrics(State(app): State<App>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], app.metrics.render()).into_response()
}

async fn landing() -> Html<&'static str> {
    Html(include_str!("landing.html"))
}
