//! Runs the aggregator: storage, the QUIC ingest endpoint, liveness, rule evaluation, and the
//! HTTP API.

use crate::alerting::manager::{Alertmanager, Handle, ManagerOptions};
use crate::alerting::sink::AlertmanagerSink;
use crate::api::{self, ApiState};
use crate::config::AggregatorConfig;
use crate::ingest::{self, liveness::Liveness, IngestContext, IngestStats};
use crate::promql::{Engine, EngineOptions};
use crate::reload::Reloader;
use crate::rules::manager::LoadError;
use crate::rules::restore::RestoreOptions;
use crate::rules::{AlertSink, LogSink, RuleService, RuleServiceOptions};
use crate::selfmetrics;
use crate::storage::rocks::{self, RocksStorage};
use crate::storage::Storage;
use pharos_protocol::{tls, Labels};
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;
use tracing::info;

/// Errors that stop the aggregator from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A listen address does not parse.
    #[error("{what} {addr:?}: {reason}")]
    Address {
        /// Which setting.
        what: &'static str,
        /// Its value.
        addr: String,
        /// Why.
        reason: String,
    },
    /// The data directory could not be created.
    #[error("creating {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// Storage failed to open.
    #[error("opening storage: {0}")]
    Storage(#[from] crate::storage::StorageError),
    /// TLS material is missing or invalid.
    #[error("TLS: {0} (create it with `pharos-aggregator cert init`)")]
    Tls(#[from] tls::TlsError),
    /// A setting is invalid (found only when starting).
    #[error("{0}")]
    Config(String),
    /// The rule files could not be loaded.
    #[error("loading rules: {0}")]
    Rules(#[from] LoadError),
    /// A listener could not be bound.
    #[error("binding {what} {addr}: {source}")]
    Bind {
        /// Which listener.
        what: &'static str,
        /// The address.
        addr: String,
        /// The error.
        source: std::io::Error,
    },
}

/// A running aggregator's handles, for the quickstart and tests.
pub struct Running {
    /// The HTTP address actually bound.
    pub http_addr: SocketAddr,
    /// The QUIC address actually bound.
    pub quic_addr: SocketAddr,
    /// The rule evaluation (reload it with [`RuleService::reload`]).
    pub rules: Arc<RuleService>,
    /// The built-in Alertmanager, when `[alerting] config_file` is set.
    pub alertmanager: Option<Handle>,
}

impl Running {
    /// Stops rule evaluation, then the built-in Alertmanager, which writes its notification log,
    /// silences and alerts to disk (for a restart that neither re-sends nor forgets).
    pub async fn shutdown(&self) {
        self.rules.stop().await;
        if let Some(h) = &self.alertmanager {
            if let Err(e) = h.stop().await {
                tracing::error!(error = %e, "writing the alertmanager state failed");
            }
        }
    }
}

fn parse_addr(what: &'static str, addr: &str) -> Result<SocketAddr, StartError> {
    addr.parse().map_err(|e: std::net::AddrParseError| StartError::Address {
        what,
        addr: addr.to_string(),
        reason: e.to_string(),
    })
}

/// Starts every component and returns once the listeners are bound; the tasks keep running on
/// the current Tokio runtime. Alerts are only logged (see [`start_with_sink`]).
pub async fn start(cfg: &AggregatorConfig) -> Result<Running, StartError> {
    start_inner(cfg, None).await
}

/// Like [`start`], with the alerts of alerting rules handed to `alert_sink` (where a notifier,
/// such as an Alertmanager client, plugs in).
pub async fn start_with_sink(cfg: &AggregatorConfig, alert_sink: Arc<dyn AlertSink>) -> Result<Running, StartError> {
    start_inner(cfg, Some(alert_sink)).await
}

/// Starts everything; the rules' alerts go to `alert_sink` if given, else to the built-in
/// Alertmanager if configured, else to the log.
async fn start_inner(cfg: &AggregatorConfig, alert_sink: Option<Arc<dyn AlertSink>>) -> Result<Running, StartError> {
    let external_url = cfg.external_url().map_err(StartError::Config)?;
    let http_addr = parse_addr("server.http_listen", &cfg.server.http_listen)?;
    let quic_addr = parse_addr("server.quic_listen", &cfg.server.quic_listen)?;
    let db_dir = cfg.server.data_dir.join("db");
    std::fs::create_dir_all(&db_dir)
        .map_err(|source| StartError::DataDir { path: db_dir.display().to_string(), source })?;

    // With the default TLS paths and no CA yet, create one (as `cert init` would), so a bare
    // `pharos-aggregator` starts; agents then need certificates from `cert agent`.
    let default_tls = cfg.tls.ca_file.is_none() && cfg.tls.cert_file.is_none() && cfg.tls.key_file.is_none();
    if default_tls && !crate::certs::has_ca(&cfg.tls_dir()) {
        crate::certs::init(&cfg.tls_dir(), &crate::certs::default_server_names(), false)?;
        info!(dir = %cfg.tls_dir().display(), "created a new CA and server certificate");
    }
    let ca = tls::read_pem_file(&cfg.ca_file())?;
    let server_pair =
        tls::PemPair { cert_pem: tls::read_pem_file(&cfg.cert_file())?, key_pem: tls::read_pem_file(&cfg.key_file())? };
    let server_tls = tls::server_tls(&ca, &server_pair)?;
    let quic_config = tls::quic_server(server_tls.clone())?;

    let rocks: Arc<RocksStorage> = Arc::new(rocks::open(&db_dir, cfg.storage.clone())?);
    // Every writer appends through `storage`: with `[[remote_write]]` endpoints or a `[parent]`
    // it is a tee that also queues each stored sample for them.
    let external = Labels::from_pairs(cfg.rules.external_labels.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let parent = crate::parent::start(cfg).map_err(|e| StartError::Config(e.to_string()))?;
    let parent: Vec<Arc<dyn crate::federate::tee::Forward>> = parent.into_iter().map(|p| p as _).collect();
    let storage: Arc<dyn Storage> =
        crate::federate::start_with(rocks.clone(), &cfg.remote_write, &cfg.server.data_dir, &external, parent)
            .map_err(|e| StartError::Config(e.to_string()))?;

    let liveness = Arc::new(Liveness::new(cfg.ingest.missed_intervals, cfg.ingest.default_interval));
    liveness.seed_from_storage(storage.as_ref(), Duration::from_secs(24 * 3600));
    tokio::spawn(liveness.clone().run(storage.clone()));

    let ingest_ctx = Arc::new(IngestContext {
        storage: storage.clone(),
        limits: cfg.limits,
        liveness,
        idle_timeout: cfg.ingest.idle_timeout,
        stats: IngestStats::default(),
        writers: ingest::storage_writers(),
        enroll: Some(crate::enroll::Enroller::from_config(cfg)),
        fleet: Arc::new(ingest::fleet::Fleet::default()),
    });
    let endpoint = ingest::bind(quic_addr, quic_config, server_tls).map_err(|source| StartError::Bind {
        what: "QUIC and TCP",
        addr: quic_addr.to_string(),
        source,
    })?;
    let quic_bound = endpoint.local_addr().unwrap_or(quic_addr);
    tokio::spawn(ingest::serve(endpoint, ingest_ctx.clone()));

    let engine = Arc::new(Engine::new(
        storage.clone(),
        EngineOptions { lookback_delta_ms: cfg.query.lookback_delta.as_millis() as i64, ..Default::default() },
    ));
    let alertmanager = match &cfg.alerting.config_file {
        Some(path) => Some(start_alertmanager(path, cfg, &external_url)?),
        None => None,
    };
    let alert_sink = alert_sink.unwrap_or_else(|| match &alertmanager {
        Some(h) => Arc::new(AlertmanagerSink(h.clone())) as Arc<dyn AlertSink>,
        None => Arc::new(LogSink),
    });
    let rules = start_rules(cfg, engine.clone(), storage.clone(), alert_sink, external_url).await?;
    let alerting_reload = alertmanager.clone().zip(cfg.alerting.config_file.clone());
    let reloader = Arc::new(Reloader::new(rules.clone(), alerting_reload));
    reload_on_sighup(reloader.clone());
    let ready = Arc::new(AtomicBool::new(false));
    let state = ApiState {
        storage: storage.clone(),
        engine,
        build_info: api::build_info(),
        ready: ready.clone(),
        external_labels: Labels::from_pairs(cfg.rules.external_labels.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
    };
    // The admin endpoints, in one router for access control to wrap.
    let admin = api::admin::router(api::admin::AdminState {
        enabled: cfg.server.admin_api,
        store: rocks.clone(),
        data_dir: cfg.server.data_dir.clone(),
    });
    let fleet_api = api::fleet::router(ingest_ctx.fleet.clone(), ingest_ctx.liveness.clone());
    let mut app = api::router(state).merge(api::rules_router(reloader)).merge(selfmetrics::router(ingest_ctx, rocks));
    app = app.merge(admin);
    app = app.merge(
        api::pushgateway::router(&cfg.pushgateway, &cfg.server.data_dir, storage.clone())
            .map_err(StartError::Config)?,
    );
    app = app.merge(api::remote_write::router(storage.clone(), remote_write_limits(cfg)));
    // The web UI: `/`, `/assets/*` and its page routes.
    app = app.merge(crate::ui::router()).merge(fleet_api);
    if let Some(h) = &alertmanager {
        app = app.merge(api::alertmanager::router(h.clone())).merge(api::alertmanager::v1_router(h.clone()));
    }
    // `[http]`: HTTPS, credentials and limits in front of every route.
    let web = crate::web::Web::from_config(cfg).map_err(|e| StartError::Config(e.to_string()))?;
    let app = web.layer(app);
    let listener = tokio::net::TcpListener::bind(http_addr).await.map_err(|source| StartError::Bind {
        what: "HTTP",
        addr: http_addr.to_string(),
        source,
    })?;
    let http_bound = listener.local_addr().unwrap_or(http_addr);
    web.spawn(listener, app).map_err(|source| StartError::Bind {
        what: "HTTP",
        addr: http_addr.to_string(),
        source,
    })?;
    ready.store(true, std::sync::atomic::Ordering::SeqCst);
    info!(http = %http_bound, quic = %quic_bound, data_dir = %cfg.server.data_dir.display(), "pharos-aggregator ready");
    Ok(Running { http_addr: http_bound, quic_addr: quic_bound, rules, alertmanager })
}

/// Starts the built-in Alertmanager with its state in `<data_dir>/alertmanager`.
fn start_alertmanager(
    path: &std::path::Path,
    cfg: &AggregatorConfig,
    external_url: &str,
) -> Result<Handle, StartError> {
    let (config, integrations) = crate::reload::load_alerting(path).map_err(StartError::Config)?;
    // Alerts that fired before a restart stay active as long as the rules' own sends keep them
    // (4 × the resend delay or evaluation interval, as Prometheus computes an alert's validity),
    // so the rules can send them again before they would resolve.
    let validity = 4 * cfg.rules.resend_delay.max(cfg.rules.evaluation_interval);
    let opts = ManagerOptions { restart_hold: validity, ..ManagerOptions::default() };
    let state_dir = cfg.server.data_dir.join("alertmanager");
    let handle = Alertmanager::start_with(config, integrations, &state_dir, external_url.to_string(), opts)
        .map_err(|e| StartError::Config(format!("alertmanager: {e}")))?;
    info!(config = %path.display(), "alertmanager started");
    Ok(handle)
}

/// Loads the rule files and starts evaluating them over the opened storage (restoring alerts'
/// `for` state from it).
async fn start_rules(
    cfg: &AggregatorConfig,
    engine: Arc<Engine>,
    storage: Arc<dyn Storage>,
    sink: Arc<dyn AlertSink>,
    external_url: String,
) -> Result<Arc<RuleService>, StartError> {
    let r = &cfg.rules;
    let opts = RuleServiceOptions {
        files: r.files.clone(),
        evaluation_interval: r.evaluation_interval,
        resend_delay: r.resend_delay,
        restore: RestoreOptions { outage_tolerance: r.for_outage_tolerance, grace_period: r.for_grace_period },
        external_url,
        external_labels: Labels::from_pairs(r.external_labels.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
    };
    let rules = Arc::new(RuleService::new(engine, storage, sink, opts));
    rules.start().await?;
    Ok(rules)
}

/// Reloads the rule files and alertmanager.yml on every SIGHUP, as `POST /-/reload` does.
fn reload_on_sighup(reloader: Arc<Reloader>) {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(mut hup) => {
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    info!("SIGHUP: reloading rules and alertmanager configuration");
                    // Failures are logged by `reload`; the previous configuration keeps running.
                    let _ = reloader.reload().await;
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot listen for SIGHUP; reload with POST /-/reload"),
    }
}

/// Bounds of `/api/v1/write` bodies: the defaults, with the label bounds of `[limits]`.
fn remote_write_limits(cfg: &AggregatorConfig) -> pharos_protocol::remote::RemoteLimits {
    pharos_protocol::remote::RemoteLimits::default().with_label_limits(&cfg.limits)
}
