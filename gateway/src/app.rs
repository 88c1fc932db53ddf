//! The composition root: the service's state, built from the configuration and the store, and
//! handed to HTTP ([`crate::http`]) and to the scheduled jobs ([`crate::jobs`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use chrono::NaiveDate;
use tokio::net::TcpListener;
use vuxnav_read_model::ReadModel;
use vuxnav_store::Store;

use crate::auth::KeyCheck;
use crate::config::Config;
use crate::graphql::admin::{AdminSchema, AdminServices, build_admin_schema};
use crate::graphql::{self, ApiSchema, Settings};
use crate::jobs::refresh::{Refresher, refresh_on_schedule};
use crate::jobs::{Stop, harvest, release};
use crate::telemetry::Metrics;

/// The service's shared state. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub store: Store,
    /// Keeps the read model in service up to date; holds its slot.
    pub refresher: Refresher,
    pub schema: ApiSchema,
    /// The admin API's schema (`/admin/graphql`).
    pub admin_schema: AdminSchema,
    /// The runner of the configured and the managed sources; every harvest that stores
    /// something rebuilds the read model.
    pub harvester: harvest::Harvester,
    /// Turns API keys into callers, with a short cache; shared by both GraphQL endpoints.
    pub keys: KeyCheck,
    pub metrics: Metrics,
    /// False once shutdown has begun: `/readyz` then answers 503.
    pub ready: Arc<AtomicBool>,
    /// The date the API takes as today, when fixed (tests); otherwise today in Stockholm.
    today: Option<NaiveDate>,
}

impl App {
    /// Builds the read model from the store, the schema over it and the runner of the sources
    /// (registering the config file's in the store). `today` fixes the date the API takes as
    /// today (tests); `None` uses the date in Europe/Stockholm.
    pub async fn start(config: &Config, store: Store, today: Option<NaiveDate>) -> anyhow::Result<App> {
        vuxnav_connectors::fetch::install_crypto_provider();
        let refresher = Refresher::start(store.clone()).await?;
        let harvester = harvest::Harvester::start(config, &store, |runner| {
            // The rebuilding task ends when the last clone of the runner is dropped.
            refresher.rebuild_after_harvests(runner).0
        })
        .await?;
        let limits = &config.graphql;
        let settings = Settings {
            region: config.region.clone(),
            max_page_size: limits.max_page_size,
            max_depth: limits.max_depth,
            max_complexity: limits.max_complexity,
            max_aliases: limits.max_aliases,
            introspection: limits.introspection,
            today,
        };
        let schema = graphql::build_schema(
            settings.clone(),
            refresher.slot().clone(),
            refresher.registry_slot().clone(),
            store.clone(),
        );
        let config = Arc::new(config.clone());
        let keys = KeyCheck::new(store.clone(), config.access.settings);
        let admin_schema = build_admin_schema(
            settings,
            AdminServices {
                config: Arc::clone(&config),
                store: store.clone(),
                harvester: harvester.clone(),
                keys: keys.clone(),
                refresher: refresher.clone(),
            },
        );
        Ok(App {
            config,
            store,
            refresher,
            schema,
            admin_schema,
            harvester,
            keys,
            metrics: Metrics::new(),
            ready: Arc::new(AtomicBool::new(true)),
            today,
        })
    }

    /// The date the API takes as today.
    pub fn today(&self) -> NaiveDate {
        graphql::today_or(self.today)
    }

    /// The read model in service now.
    pub fn model(&self) -> Arc<ReadModel> {
        self.refresher.slot().load_full()
    }

    /// All HTTP routes ([`crate::http::router`]).
    pub fn router(&self) -> Router {
        crate::http::router(self)
    }

    /// Serves on `listener` until SIGTERM or Ctrl-C, with the sources harvested on their
    /// schedules (the managed ones as the store holds them at each tick) and the read model
    /// refreshed on its own; after each harvest that stored something the read model is
    /// rebuilt.
    ///
    /// On shutdown `/readyz` answers 503, the server stops accepting connections and finishes
    /// the requests in flight, no new run starts and the runs under way finish, all within
    /// `shutdown_timeout`; past it, what is still under way is abandoned (a run left unfinished
    /// is marked interrupted at the next start, and the store stays consistent).
    pub async fn serve(self, listener: TcpListener) -> anyhow::Result<()> {
        let _upkeep = self.metrics.spawn_upkeep(Duration::from_secs(5));
        let stop = Stop::new();
        let refresh = self
            .config
            .read_model
            .refresh
            .clone()
            .map(|schedule| tokio::spawn(refresh_on_schedule(self.refresher.clone(), schedule, stop.clone())));
        let release = match (&self.config.release.schedule, &self.config.release.publisher) {
            (Some(schedule), Some(_)) => Some(tokio::spawn(release::release_on_schedule(
                Arc::clone(&self.config),
                self.store.clone(),
                schedule.clone(),
                stop.clone(),
            ))),
            (Some(_), None) => {
                tracing::warn!(
                    "no nightly release: set [release.publisher] (name, org_number, contact_email) to publish one"
                );
                None
            }
            (None, _) => None,
        };
        let harvests = tokio::spawn(harvest::run_on_schedule(self.harvester.clone(), stop.clone()));

        let signalled = {
            let (stop, ready) = (stop.clone(), Arc::clone(&self.ready));
            tokio::spawn(async move {
                shutdown_signal().await;
                ready.store(false, Ordering::SeqCst);
                stop.stop();
            })
        };
        let server = axum::serve(listener, self.router().into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown({
                let stop = stop.clone();
                async move { stop.stopped().await }
            });
        let work = async {
            let served = server.await.context("serving HTTP");
            if let Err(error) = harvests.await {
                tracing::error!(%error, "the harvest schedule ended abnormally");
            }
            for task in [refresh, release].into_iter().flatten() {
                if let Err(error) = task.await {
                    tracing::error!(%error, "a scheduled job ended abnormally");
                }
            }
            served
        };
        let deadline = self.config.shutdown_timeout;
        let result = tokio::select! {
            result = work => result,
            () = async { stop.stopped().await; tokio::time::sleep(deadline).await } => {
                tracing::warn!(seconds = deadline.as_secs(), "shutdown took longer than shutdown_timeout; abandoning what is still under way");
                Ok(())
            }
        };
        signalled.abort();
        tracing::info!("shut down");
        result
    }
}

/// Resolves when the process receives SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => tracing::info!("ctrl-c received; finishing what is under way"),
        () = terminate => tracing::info!("SIGTERM received; finishing what is under way"),
    }
}
