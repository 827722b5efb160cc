//! Metric sources of the agent.
//!
//! Every source implements [`Collector`]: it produces one snapshot of metric families with
//! Prometheus-compatible names, so that existing dashboards and alert rules keep working. Today
//! there is [`host`] (node_exporter's host metrics); containers, scrape targets, service checks and
//! probes follow the same trait.
//!
//! The families use the exposition types of `pharos-protocol`, so a snapshot can be written in the
//! text format as is (`pharos-agent collect-once`) or turned into samples for the uplink.

pub mod host;

use std::path::PathBuf;

pub use pharos_protocol::exposition::{Metric, MetricFamily, MetricType};

/// A source of metrics (host, containers, scrape targets, probes ... later).
pub trait Collector: Send {
    /// Short name used in logs and in self-metrics (e.g. "host").
    fn name(&self) -> &'static str;
    /// Collects one snapshot. Errors of one sub-collector must not lose the others' data.
    fn collect(&mut self) -> Result<Vec<MetricFamily>, CollectError>;
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
