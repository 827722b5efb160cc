//! The Alertmanager of Pharos: the alert store, silences and notification log with their
//! snapshots in the data directory, the dispatcher of the current configuration and its
//! driver, and the accessors the API v2 needs. [`Alertmanager::start`] returns a [`Handle`]
//! that the rule engine (in-process) and `POST /api/v2/alerts` feed with
//! [`Handle::put_alerts`].
//!
//! Files in the data directory: `silences.json` (written after every change), `nflog.json` and
//! `alerts.json` (written every snapshot interval and on [`Handle::stop`]). Alertmanager keeps
//! alerts in memory only; Pharos also snapshots them, so an alert firing before a restart still
//! resolves (and is notified as resolved) after it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::config::Config;
use super::dispatch::clock::{Clock, Sleeper, SystemClock, TokioSleeper};
use super::dispatch::{Dispatcher, GroupSnapshot};
use super::inhibit::Inhibitor;
use super::matcher::Matcher;
use super::nflog::{NotificationLog, PersistError};
use super::notify::{NotifyMetrics, Pipeline};
use super::route::Route;
use super::silence::{Silence, SilenceError, SilenceQuery, SilenceState, Silences, DEFAULT_RETENTION};
use super::store::{fingerprint_hex, prepare_alert, AlertStatus, AlertStore, AlertValidationError, Marker};
use super::types::{Alert, Integration};

/// Integrations by receiver name.
pub type Integrations = HashMap<String, Vec<Arc<dyn Integration>>>;

/// Why the Alertmanager could not start.
#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    /// The data directory could not be created.
    #[error("creating data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A snapshot could not be read.
    #[error("{0}")]
    Persist(#[from] PersistError),
    /// Background tasks need a tokio runtime.
    #[error("the alertmanager must be started inside a tokio runtime")]
    NoRuntime,
}

/// Some posted alerts were invalid (the valid ones were stored).
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct PutAlertsError(pub Vec<AlertValidationError>);

/// How soon a notification is written to the notification log's file. Alertmanager writes the
/// log every 15 minutes and on shutdown, so a crash re-sends what it sent since; Pharos writes
/// it within this delay of each notification.
const NFLOG_SYNC: Duration = Duration::from_secs(1);

/// Tunables of [`Alertmanager::start_with`].
#[derive(Clone)]
pub struct ManagerOptions {
    /// How long expired silences and notification log entries are kept (`--data.retention`).
    pub retention: Duration,
    /// How often resolved alerts are dropped from the store (`--alerts.gc-interval`).
    pub gc_interval: Duration,
    /// How often the notification log and the alerts are written to disk.
    pub snapshot_interval: Duration,
    /// How long alerts that were active at shutdown stay active after a restart without being
    /// sent again (their senders' time to re-send them; see [`AlertStore::load`]).
    pub restart_hold: Duration,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Waits between notification retries.
    pub sleeper: Arc<dyn Sleeper>,
    /// Whether to run the dispatcher driver and the maintenance as tasks; without them the
    /// caller drives flushes with [`Handle::run_due`] and persistence with [`Handle::maintain`].
    pub background: bool,
}

impl Default for ManagerOptions {
    fn default() -> Self {
        ManagerOptions {
            retention: DEFAULT_RETENTION,
            gc_interval: Duration::from_secs(30 * 60),
            snapshot_interval: Duration::from_secs(60),
            // Prometheus sends each firing alert valid for 4 × its 1m resend delay.
            restart_hold: Duration::from_secs(4 * 60),
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(TokioSleeper),
            background: true,
        }
    }
}

/// An alert with what the API reports about it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertWithStatus {
    /// The alert.
    pub alert: Alert,
    /// Its fingerprint, 16 hex digits.
    pub fingerprint: String,
    /// State, silences and inhibiting alerts.
    pub status: AlertStatus,
    /// The receivers of the routes it matches, in route order.
    pub receivers: Vec<String>,
}

/// An aggregation group as the API reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertGroup {
    /// The labels the group was formed on.
    pub labels: pharos_protocol::Labels,
    /// The receiver.
    pub receiver: String,
    /// Its firing alerts.
    pub alerts: Vec<AlertWithStatus>,
}

/// A silence and its state now.
#[derive(Debug, Clone, PartialEq)]
pub struct SilenceWithState {
    /// The silence.
    pub silence: Silence,
    /// Its state.
    pub state: SilenceState,
}

/// Starts Alertmanagers.
pub struct Alertmanager;

impl Alertmanager {
    /// Starts with the wall clock and background tasks (must run inside a tokio runtime).
    pub fn start(
        config: Config,
        integrations: Integrations,
        data_dir: &Path,
        external_url: String,
    ) -> Result<Handle, ManagerError> {
        Self::start_with(config, integrations, data_dir, external_url, ManagerOptions::default())
    }

    /// Starts with explicit options: loads the snapshots from `data_dir`, dispatches the loaded
    /// alerts, and (with `background`) spawns the driver and the maintenance.
    pub fn start_with(
        config: Config,
        integrations: Integrations,
        data_dir: &Path,
        external_url: String,
        opts: ManagerOptions,
    ) -> Result<Handle, ManagerError> {
        if opts.background && tokio::runtime::Handle::try_current().is_err() {
            return Err(ManagerError::NoRuntime);
        }
        std::fs::create_dir_all(data_dir)
            .map_err(|source| ManagerError::DataDir { path: data_dir.to_path_buf(), source })?;
        let now = opts.clock.now_ms();
        let silences = Arc::new(Silences::open(&data_dir.join("silences.json"), opts.retention, now)?);
        let nflog = Arc::new(NotificationLog::open(&data_dir.join("nflog.json"), opts.retention, now)?);
        let store = Arc::new(AlertStore::new());
        store.load(&data_dir.join("alerts.json"), now, opts.retention, opts.restart_hold)?;
        let inner = Arc::new(Inner {
            store,
            marker: Arc::new(Marker::new()),
            silences,
            nflog,
            metrics: Arc::new(NotifyMetrics::default()),
            external_url,
            data_dir: data_dir.to_path_buf(),
            current: RwLock::new(None),
            tasks: Mutex::new(Tasks::default()),
            last_gc_ms: Mutex::new(now),
            opts,
        });
        let handle = Handle { inner };
        handle.install(config, integrations);
        if handle.inner.opts.background {
            let (tx, mut rx) = watch::channel(false);
            let h = handle.clone();
            let every = handle.inner.opts.snapshot_interval;
            let task = tokio::spawn(async move {
                let mut last_maintenance = tokio::time::Instant::now();
                loop {
                    tokio::select! {
                        _ = tokio::time::sleep(NFLOG_SYNC.min(every)) => {
                            let result = if last_maintenance.elapsed() >= every {
                                last_maintenance = tokio::time::Instant::now();
                                h.maintain()
                            } else {
                                // Between maintenances, only new notifications are written out.
                                h.inner.nflog.snapshot_if_changed()
                            };
                            if let Err(e) = result {
                                tracing::error!(err = %e, "alertmanager maintenance failed");
                            }
                        }
                        _ = rx.changed() => break,
                    }
                }
            });
            handle.inner.lock_tasks().maintenance = Some((tx, task));
        }
        Ok(handle)
    }
}

#[derive(Default)]
struct Tasks {
    driver: Option<(watch::Sender<bool>, JoinHandle<()>)>,
    maintenance: Option<(watch::Sender<bool>, JoinHandle<()>)>,
}

struct Current {
    config: Config,
    dispatcher: Arc<Dispatcher>,
}

struct Inner {
    store: Arc<AlertStore>,
    marker: Arc<Marker>,
    silences: Arc<Silences>,
    nflog: Arc<NotificationLog>,
    metrics: Arc<NotifyMetrics>,
    external_url: String,
    data_dir: PathBuf,
    current: RwLock<Option<Current>>,
    tasks: Mutex<Tasks>,
    last_gc_ms: Mutex<i64>,
    opts: ManagerOptions,
}

impl Inner {
    fn lock_tasks(&self) -> std::sync::MutexGuard<'_, Tasks> {
        self.tasks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running Alertmanager; cheap to clone.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

impl Handle {
    fn now(&self) -> i64 {
        self.inner.opts.clock.now_ms()
    }

    fn current<T>(&self, f: impl FnOnce(&Current) -> T) -> Option<T> {
        let cur = self.inner.current.read().unwrap_or_else(|p| p.into_inner());
        cur.as_ref().map(f)
    }

    fn dispatcher(&self) -> Option<Arc<Dispatcher>> {
        self.current(|c| Arc::clone(&c.dispatcher))
    }

    /// Builds the pipeline and dispatcher of `config`, feeds them every stored alert, swaps
    /// them in and (with background tasks) starts the new driver; returns the old driver.
    fn install(&self, config: Config, integrations: Integrations) -> Option<(watch::Sender<bool>, JoinHandle<()>)> {
        let i = &self.inner;
        let pipeline = Arc::new(Pipeline {
            inhibitor: Inhibitor::new(&config.inhibit_rules),
            time_intervals: config.time_interval_map(),
            receivers: integrations,
            store: Arc::clone(&i.store),
            marker: Arc::clone(&i.marker),
            silences: Arc::clone(&i.silences),
            nflog: Arc::clone(&i.nflog),
            metrics: Arc::clone(&i.metrics),
            clock: Arc::clone(&i.opts.clock),
            sleeper: Arc::clone(&i.opts.sleeper),
            external_url: i.external_url.clone(),
        });
        let disp = Dispatcher::new(Route::new(&config.route), pipeline, Arc::clone(&i.opts.clock));
        for a in i.store.list() {
            disp.process(&a);
        }
        *i.current.write().unwrap_or_else(|p| p.into_inner()) = Some(Current { config, dispatcher: Arc::clone(&disp) });
        let mut tasks = i.lock_tasks();
        let old = tasks.driver.take();
        if i.opts.background {
            let (tx, rx) = watch::channel(false);
            tasks.driver = Some((tx, tokio::spawn(disp.run(rx))));
        }
        old
    }

    /// Applies a new configuration like Alertmanager's reload: the old dispatcher stops
    /// (cancelling flushes in progress) and a new one regroups all stored alerts; what was
    /// already notified is not notified again thanks to the notification log.
    pub async fn reload(&self, config: Config, integrations: Integrations) {
        if let Some((tx, task)) = self.install(config, integrations) {
            let _ = tx.send(true);
            let _ = task.await;
        }
    }

    /// Receives alerts (from the rule engine or `POST /api/v2/alerts`): fills in times as the
    /// API does, stores them (merging with stored versions) and dispatches them. Invalid alerts
    /// are skipped and reported; the valid ones are stored anyway.
    pub fn put_alerts(&self, alerts: Vec<Alert>) -> Result<(), PutAlertsError> {
        let now = self.now();
        let Some((disp, resolve_timeout)) =
            self.current(|c| (Arc::clone(&c.dispatcher), c.config.global.resolve_timeout))
        else {
            return Ok(());
        };
        let mut errors = Vec::new();
        for a in alerts {
            match prepare_alert(a, now, resolve_timeout) {
                Ok(a) => {
                    let stored = self.inner.store.put(a, now);
                    disp.process(&stored);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(PutAlertsError(errors))
        }
    }

    /// Runs the flushes due now to completion (for callers driving without background tasks).
    pub async fn run_due(&self) -> usize {
        match self.dispatcher() {
            Some(d) => d.run_due().await,
            None => 0,
        }
    }

    fn with_status(&self, a: Alert, firing: &[Alert], now: i64) -> AlertWithStatus {
        let (pipeline, receivers) = match self.current(|c| {
            let receivers = c.dispatcher.route().receivers_for(&a.labels).into_iter().map(String::from).collect();
            (Arc::clone(c.dispatcher.pipeline()), receivers)
        }) {
            Some(x) => x,
            None => {
                return AlertWithStatus {
                    fingerprint: fingerprint_hex(a.fingerprint()),
                    status: self.inner.marker.status(a.fingerprint()),
                    receivers: Vec::new(),
                    alert: a,
                }
            }
        };
        pipeline.refresh_status(&a.labels, firing, now);
        let fp = a.fingerprint();
        AlertWithStatus { fingerprint: fingerprint_hex(fp), status: self.inner.marker.status(fp), receivers, alert: a }
    }

    /// The alerts not resolved now, with their status refreshed (inhibition and silences
    /// evaluated now, as the API does) and their receivers.
    pub fn alerts(&self) -> Vec<AlertWithStatus> {
        let now = self.now();
        let firing = self.inner.store.firing(now);
        self.inner
            .store
            .list()
            .into_iter()
            .filter(|a| !a.resolved_at(now))
            .map(|a| self.with_status(a, &firing, now))
            .collect()
    }

    /// The aggregation groups with their alerts not resolved now (groups without any are
    /// left out), sorted by labels then receiver.
    pub fn groups(&self) -> Vec<AlertGroup> {
        let now = self.now();
        let firing = self.inner.store.firing(now);
        let snaps: Vec<GroupSnapshot> = self.dispatcher().map(|d| d.groups()).unwrap_or_default();
        snaps
            .into_iter()
            .filter_map(|g| {
                let alerts: Vec<AlertWithStatus> = g
                    .alerts
                    .into_iter()
                    .filter(|a| !a.resolved_at(now))
                    .map(|a| self.with_status(a, &firing, now))
                    .collect();
                (!alerts.is_empty()).then_some(AlertGroup { labels: g.labels, receiver: g.receiver, alerts })
            })
            .collect()
    }

    /// Silences matching the API's `filter` (every filter matcher equal to one of the
    /// silence's), in the API's order: active by end, pending by start, expired by end
    /// (latest first).
    pub fn silences(&self, filter: &[Matcher]) -> Vec<SilenceWithState> {
        let now = self.now();
        let mut v: Vec<SilenceWithState> = self
            .inner
            .silences
            .query(&SilenceQuery::default(), now)
            .into_iter()
            .filter(|s| s.matches_filter(filter))
            .map(|s| SilenceWithState { state: s.state(now), silence: s })
            .collect();
        // The API's order: active, then pending, then expired.
        let rank = |s: SilenceState| match s {
            SilenceState::Active => 0,
            SilenceState::Pending => 1,
            SilenceState::Expired => 2,
        };
        v.sort_by(|a, b| {
            rank(a.state).cmp(&rank(b.state)).then_with(|| match a.state {
                SilenceState::Active => a.silence.ends_at_ms.cmp(&b.silence.ends_at_ms),
                SilenceState::Pending => a.silence.starts_at_ms.cmp(&b.silence.starts_at_ms),
                SilenceState::Expired => b.silence.ends_at_ms.cmp(&a.silence.ends_at_ms),
            })
        });
        v
    }

    /// One silence by ID.
    pub fn silence(&self, id: &str) -> Option<SilenceWithState> {
        let now = self.now();
        self.inner.silences.get(id).map(|s| SilenceWithState { state: s.state(now), silence: s })
    }

    /// Creates or updates a silence as `POST /api/v2/silences` does; returns its ID.
    pub fn put_silence(&self, silence: Silence) -> Result<String, SilenceError> {
        let now = self.now();
        Silences::check_postable(&silence, now)?;
        self.inner.silences.set(silence, now)
    }

    /// Expires a silence (`DELETE /api/v2/silence/{id}`).
    pub fn expire_silence(&self, id: &str) -> Result<(), SilenceError> {
        self.inner.silences.expire(id, self.now())
    }

    /// The configured receivers' names, in configuration order.
    pub fn receivers(&self) -> Vec<String> {
        self.current(|c| c.config.receivers.iter().map(|r| r.name.clone()).collect()).unwrap_or_default()
    }

    /// The YAML the current configuration was loaded from.
    pub fn config_original(&self) -> String {
        self.current(|c| c.config.original.clone()).unwrap_or_default()
    }

    /// The current configuration.
    pub fn config(&self) -> Option<Config> {
        self.current(|c| c.config.clone())
    }

    /// The pipeline's self-metrics.
    pub fn metrics(&self) -> Arc<NotifyMetrics> {
        Arc::clone(&self.inner.metrics)
    }

    /// The alert status marker (counts by state for self-metrics).
    pub fn marker(&self) -> Arc<Marker> {
        Arc::clone(&self.inner.marker)
    }

    /// Number of aggregation groups.
    pub fn group_count(&self) -> usize {
        self.dispatcher().map_or(0, |d| d.group_count())
    }

    /// Periodic upkeep: drops expired log entries and silences and (every GC interval)
    /// resolved alerts, then writes the snapshots.
    pub fn maintain(&self) -> Result<(), PersistError> {
        let i = &self.inner;
        let now = self.now();
        i.nflog.gc(now);
        if i.silences.gc(now) > 0 {
            i.silences.persist()?;
        }
        let gc_due = {
            let mut last = i.last_gc_ms.lock().unwrap_or_else(|p| p.into_inner());
            let due = now.saturating_sub(*last) >= super::nflog::duration_ms(i.opts.gc_interval);
            if due {
                *last = now;
            }
            due
        };
        if gc_due {
            for a in i.store.gc(now) {
                i.marker.delete(a.fingerprint());
            }
        }
        i.nflog.snapshot()?;
        i.store.snapshot(&i.data_dir.join("alerts.json"))
    }

    /// Stops the driver (cancelling flushes in progress) and the maintenance, then writes the
    /// notification log, the silences and the alerts to disk.
    pub async fn stop(&self) -> Result<(), PersistError> {
        let (driver, maintenance) = {
            let mut t = self.inner.lock_tasks();
            (t.driver.take(), t.maintenance.take())
        };
        for (tx, task) in [driver, maintenance].into_iter().flatten() {
            let _ = tx.send(true);
            let _ = task.await;
        }
        self.inner.nflog.snapshot()?;
        self.inner.silences.persist()?;
        self.inner.store.snapshot(&self.inner.data_dir.join("alerts.json"))
    }
}

#[cfg(test)]
#[path = "tests_manager.rs"]
mod tests;
