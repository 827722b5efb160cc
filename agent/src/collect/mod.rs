//! Metric sources of the agent.
//!
//! Every source implements [`Collector`]: it produces one snapshot of metric families with the
//! names of the exporter it replaces (node_exporter, cAdvisor, blackbox_exporter, the Redis,
//! PostgreSQL and nginx exporters, or whatever a scraped target exposes), so that existing
//! dashboards and alert rules keep working. Sources that read local files with blocking calls
//! implement [`BlockingCollector`] and run on the blocking pool through [`Blocking`].
//!
//! Each source runs on its own schedule (interval and deadline) in [`crate::schedule`], so one
//! that hangs never delays another.
//!
//! The families use the exposition types of `pharos-protocol`, so a snapshot can be written in the
//! text format as is (`pharos-agent collect-once`) or turned into samples for the uplink.

pub mod containers;
pub mod host;
pub mod probe;
pub mod scrape;
pub mod services;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

pub use pharos_protocol::exposition::{Metric, MetricFamily, MetricType};

/// One collection in progress.
pub type Collection<'a> = Pin<Box<dyn Future<Output = Result<Vec<MetricFamily>, CollectError>> + Send + 'a>>;

/// A source of metrics.
///
/// A source whose target is down still reports: a scrape returns `up 0`, a probe
/// `probe_success 0`, a service check `redis_up 0`; an `Err` means the collector itself could
/// not work (bad configuration, no engine to ask), and the scheduler reports it in
/// `pharos_agent_collector_success`.
pub trait Collector: Send {
    /// Name used in logs and in self-metrics (`collector` label), unique among the agent's
    /// sources (e.g. `host`, `scrape/app`, `probe/web`).
    fn name(&self) -> &str;
    /// Collects one snapshot. The scheduler drops the future when the source's deadline passes,
    /// so everything it awaits must be cancel-safe (sockets, not threads).
    fn collect(&mut self) -> Collection<'_>;
}

/// A source that collects with blocking calls (`/proc`, `/sys`, files): run on the blocking
/// thread pool through [`Blocking`].
pub trait BlockingCollector: Send + 'static {
    /// As [`Collector::name`].
    fn name(&self) -> &str;
    /// Collects one snapshot. Errors of one part must not lose the others' data.
    fn collect(&mut self) -> Result<Vec<MetricFamily>, CollectError>;
}

/// Runs a [`BlockingCollector`] on the blocking pool. A blocking call cannot be cancelled: when
/// one outlives its deadline the collector stays with that thread, and later collections fail
/// with [`CollectError::StillRunning`] until it returns.
pub struct Blocking<C: BlockingCollector> {
    name: String,
    inner: std::sync::Arc<std::sync::Mutex<Option<C>>>,
}

impl<C: BlockingCollector> Blocking<C> {
    /// Wraps `c`.
    pub fn new(c: C) -> Self {
        Blocking { name: c.name().to_string(), inner: std::sync::Arc::new(std::sync::Mutex::new(Some(c))) }
    }
}

impl<C: BlockingCollector> Collector for Blocking<C> {
    fn name(&self) -> &str {
        &self.name
    }

    fn collect(&mut self) -> Collection<'_> {
        let slot = self.inner.clone();
        Box::pin(async move {
            let taken = slot.lock().map_err(|_| CollectError::Internal("collector lock poisoned".into()))?.take();
            let Some(mut c) = taken else { return Err(CollectError::StillRunning) };
            let result = tokio::task::spawn_blocking(move || {
                let r = c.collect();
                // Give the collector back, even if the caller stopped waiting.
                if let Ok(mut s) = slot.lock() {
                    *s = Some(c);
                }
                r
            })
            .await;
            result.map_err(|e| CollectError::Internal(format!("collector thread: {e}")))?
        })
    }
}

/// Why a collector (or one of its parts) could not produce metrics.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// A file could not be read or a system call failed.
    #[error("{path}: {source}")]
    Io {
        /// The file (or mount point) concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file was read but its content made no sense at all (single bad lines are skipped instead).
    #[error("{path}: {reason}")]
    Parse {
        /// The file concerned.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The collector's configuration is invalid (bad regex, unknown sub-collector ...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The source did not finish within its deadline.
    #[error("no result within the {0:?} deadline")]
    Timeout(Duration),
    /// The previous collection (a blocking call that outlived its deadline) has not returned.
    #[error("the previous collection is still running")]
    StillRunning,
    /// The thing to collect from is not there (no container engine, no socket).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or a broken runtime, not a property of the source.
    #[error("internal error: {0}")]
    Internal(String),
    /// Every part of a collector failed, so there is nothing to report; holds the first error.
    #[error("all {failed} sub-collectors of {collector} failed, first: {first}")]
    AllFailed {
        /// The collector's name.
        collector: &'static str,
        /// How many sub-collectors failed.
        failed: usize,
        /// The first failure.
        first: Box<CollectError>,
    },
}

impl CollectError {
    /// Shorthand for [`CollectError::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CollectError::Io { path: path.into(), source }
    }

    /// Shorthand for [`CollectError::Parse`].
    pub fn parse(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        CollectError::Parse { path: path.into(), reason: reason.into() }
    }
}
