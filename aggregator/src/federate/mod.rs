//! Federation out: Prometheus remote-write 1.0 (protobuf + Snappy) to any number of endpoints
//! (`[[remote_write]]` in the configuration), such as VictoriaMetrics, Mimir or Thanos.
//!
//! - `config` — the `[[remote_write]]` sections (url, name, `write_relabel_configs` with
//!   Prometheus' relabel semantics from `pharos_protocol::relabel`, `queue_config`, basic auth,
//!   bearer token, headers, `remote_timeout`, TLS CA and `insecure_skip_verify`);
//! - `tee` — the [`Storage`] wrapper that hands every stored sample to each endpoint's queue and
//!   to the parent aggregator's buffer ([`crate::parent`]), through the [`tee::Forward`] trait;
//! - `queue` — one disk queue per endpoint on the agent's segmented log (`pharos-buffer`);
//! - `sender` — shards (by series hash, so each series stays in order) sending batches with
//!   retries and backoff on 5xx, 429 and network errors, dropping (and counting) on other 4xx;
//! - `client` — the HTTP request and the verdict on its answer;
//! - `metrics` — `pharos_remote_write_*` self-metrics (out and in).
//!
//! Delivery is at least once: records are trimmed from the queue only after the endpoint
//! answered, so the ones in flight at a stop are sent again after the start.

pub mod client;
pub mod config;
pub mod metrics;
pub mod queue;
pub mod sender;
pub mod tee;

pub use config::{QueueConfig, RemoteWriteConfig};

/// The self-metric families of federation out: remote write (out and in) and the parent
/// aggregator (`pharos_parent_*`).
pub fn families() -> Vec<pharos_protocol::exposition::MetricFamily> {
    let mut out = metrics::families();
    out.extend(crate::parent::metrics::families());
    out
}

use crate::storage::Storage;
use pharos_protocol::relabel::RelabelConfig;
use std::path::Path;
use std::sync::Arc;

/// Why remote write could not start.
#[derive(Debug, thiserror::Error)]
pub enum FederateError {
    /// A section is invalid.
    #[error("{0}")]
    Config(String),
    /// An endpoint's queue could not be opened.
    #[error("remote_write {name:?}: opening the queue in {dir}: {source}")]
    Queue {
        /// The endpoint.
        name: String,
        /// Its queue directory.
        dir: String,
        /// Why.
        source: queue::QueueError,
    },
    /// An endpoint's client could not be built.
    #[error("remote_write {name:?}: {source}")]
    Client {
        /// The endpoint.
        name: String,
        /// Why.
        source: client::ClientError,
    },
}

/// One remote-write endpoint: its queue, relabeling and counters.
pub struct Endpoint {
    /// The endpoint's name (`remote_name` in metrics, and its queue directory).
    pub name: String,
    /// Its URL.
    pub url: String,
    /// `rules.external_labels`, added to every series that lacks the label before relabeling,
    /// as Prometheus' remote write does.
    pub external_labels: pharos_protocol::Labels,
    /// `write_relabel_configs`.
    pub relabel: Vec<RelabelConfig>,
    /// Its disk queue.
    pub queue: Arc<queue::DiskQueue>,
    /// Its counters.
    pub metrics: metrics::SendMetrics,
    /// Shards sending from the queue.
    pub shards: usize,
}

/// The directory of an endpoint's queue under the aggregator's data directory.
pub fn queue_dir(data_dir: &Path, name: &str) -> std::path::PathBuf {
    data_dir.join("remote_write").join(name)
}

/// Opens the queues of `configs`, starts their senders on the current Tokio runtime, and returns
/// the storage every writer must use: `storage` itself without destinations, else a
/// [`tee::TeeStorage`] handing every stored sample to the remote-write endpoints and to `extra`
/// (the parent aggregator's sink). `external_labels` are added to what is remote-written.
pub fn start_with(
    storage: Arc<dyn Storage>,
    configs: &[RemoteWriteConfig],
    data_dir: &Path,
    external_labels: &pharos_protocol::Labels,
    extra: Vec<Arc<dyn tee::Forward>>,
) -> Result<Arc<dyn Storage>, FederateError> {
    if configs.is_empty() && extra.is_empty() {
        return Ok(storage);
    }
    config::validate_all(configs).map_err(FederateError::Config)?;
    let mut endpoints: Vec<Arc<dyn tee::Forward>> = Vec::with_capacity(configs.len() + extra.len());
    for cfg in configs {
        let name = cfg.queue_name();
        let client =
            client::RemoteClient::new(cfg).map_err(|source| FederateError::Client { name: name.clone(), source })?;
        let dir = queue_dir(data_dir, &name);
        let q = &cfg.queue_config;
        let queue = queue::DiskQueue::open(&dir, q.max_disk_bytes, q.fsync).map_err(|source| FederateError::Queue {
            name: name.clone(),
            dir: dir.display().to_string(),
            source,
        })?;
        let endpoint = Arc::new(Endpoint {
            name: name.clone(),
            url: cfg.url.clone(),
            external_labels: external_labels.clone(),
            relabel: cfg.write_relabel_configs.clone(),
            queue: Arc::new(queue),
            metrics: metrics::SendMetrics::default(),
            shards: q.max_shards,
        });
        metrics::register(&endpoint);
        tracing::info!(endpoint = %name, url = %cfg.url, pending_samples = endpoint.queue.pending_samples(),
            shards = q.max_shards, "remote write started");
        sender::spawn(endpoint.clone(), client, q.clone());
        endpoints.push(endpoint);
    }
    endpoints.extend(extra);
    Ok(Arc::new(tee::TeeStorage::with_forwards(storage, endpoints)))
}

#[cfg(test)]
mod tests;
