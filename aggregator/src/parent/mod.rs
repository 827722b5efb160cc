//! The parent aggregator: with a `[parent]` section, every series this aggregator stores (from
//! its agents and child aggregators, `up`, remote_write in, the Pushgateway, rules), or those a
//! `match` selector selects, is forwarded to a parent aggregator over the agents' own protocol
//! (QUIC with mutual TLS, TLS on TCP as fallback), through a disk buffer of its own in
//! `<data_dir>/parent`. The parent sees this aggregator as an agent named after its certificate
//! (`up{job="pharos-agent",instance="<name>"}`), so regional aggregators feed a global one.
//!
//! - `config` — the `[parent]` section and its checks (an aggregator cannot be its own parent);
//! - `sink` — the storage tee's [`Forward`](crate::federate::tee::Forward) that filters,
//!   labels and cuts stored series into batch frames in the buffer;
//! - `metrics` — `pharos_parent_*` self-metrics.
//!
//! The uplink (crate `pharos-uplink`, the agent's) sends the buffer: `Hello` → the parent's
//! checkpoint → batches in order, trimmed on ack. Delivery is at least once on the wire and
//! exactly once in the parent's storage (its per-stream checkpoint drops replays), and nothing
//! stored here is lost for the parent while it is down: the buffer holds it (up to
//! `max_buffer_bytes`) until the parent acknowledges it.
//!
//! Loops: series received from a child are forwarded (regional → global → …), but never back
//! where they came from: when two aggregators are each other's parent, each one's series arrive
//! at the other from a sender named like that other aggregator's parent, and series of senders
//! in the loop list are not forwarded. The list is `never_forward_from` plus the parent's own
//! names (`server_name`, else each server's host), so the usual setup (each aggregator's
//! certificate named after its host) needs no setting. Samples written here about such a sender
//! (its `up`) are this aggregator's own and are forwarded. An aggregator whose parent is its own
//! QUIC listener is refused at start.

pub mod config;
pub mod metrics;
pub mod sink;

pub use config::ParentConfig;
pub use sink::ParentSink;

use crate::config::AggregatorConfig;
use pharos_buffer::{BufferConfig, DiskBuffer};
use pharos_protocol::{tls, Labels};
use pharos_uplink::{Uplink, UplinkSettings};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Why the parent forwarding could not start.
#[derive(Debug, thiserror::Error)]
pub enum ParentError {
    /// The section is invalid.
    #[error("{0}")]
    Config(String),
    /// The certificates could not be read.
    #[error(
        "parent TLS: {0} (issue them on the parent with `pharos-aggregator cert agent --name <name> --out <dir>`)"
    )]
    Tls(#[from] tls::TlsError),
    /// The buffer could not be opened.
    #[error("parent buffer {dir}: {source}")]
    Buffer {
        /// The buffer directory.
        dir: String,
        /// Why.
        source: pharos_buffer::BufferError,
    },
    /// The uplink refused its settings (e.g. `name` is not the certificate's name).
    #[error("parent uplink: {0}")]
    Uplink(#[from] pharos_uplink::UplinkError),
}

/// Segment size of the parent buffer's log (at most half of `max_buffer_bytes` is used).
const SEGMENT_BYTES: u64 = 16 * 1024 * 1024;

/// The buffer directory under the aggregator's data directory.
pub fn buffer_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("parent")
}

/// The uplink settings of `[parent]`, after checking the section; fails if the TLS files
/// cannot be read (also used by `check-config`).
pub fn uplink_settings(cfg: &AggregatorConfig, p: &ParentConfig) -> Result<UplinkSettings, ParentError> {
    p.validate(&cfg.server.quic_listen).map_err(ParentError::Config)?;
    let data_dir = &cfg.server.data_dir;
    let ca_pem = tls::read_pem_file(&p.ca_path(data_dir))?;
    let identity_pem = tls::PemPair {
        cert_pem: tls::read_pem_file(&p.cert_path(data_dir))?,
        key_pem: tls::read_pem_file(&p.key_path(data_dir))?,
    };
    let mut settings = UplinkSettings::new(p.identity(), p.all_servers(), ca_pem, identity_pem);
    settings.server_name = p.server_name.clone();
    settings.interval = p.interval;
    settings.backoff_min = p.backoff_min;
    settings.backoff_max = p.backoff_max;
    settings.max_in_flight = p.max_in_flight;
    settings.timeout = p.timeout;
    settings.limits = cfg.limits;
    settings.transport = p.transport;
    settings.quic_connect_timeout = p.quic_connect_timeout;
    settings.quic_probe_interval = p.quic_probe_interval;
    Ok(settings)
}

/// With a `[parent]` section: opens the buffer, starts the uplink on the current Tokio runtime
/// and returns the sink the storage tee must feed; `None` without the section.
pub fn start(cfg: &AggregatorConfig) -> Result<Option<Arc<ParentSink>>, ParentError> {
    let Some(p) = &cfg.parent else { return Ok(None) };
    let settings = uplink_settings(cfg, p)?;
    let data_dir = &cfg.server.data_dir;
    let dir = buffer_dir(data_dir);
    let buffer_cfg = BufferConfig { max_bytes: p.max_buffer_bytes, segment_bytes: SEGMENT_BYTES, fsync: p.fsync };
    let buffer = DiskBuffer::open(&dir, buffer_cfg)
        .map_err(|source| ParentError::Buffer { dir: dir.display().to_string(), source })?;
    let buffer = Arc::new(Mutex::new(buffer));
    let identity = settings.identity.clone();
    let uplink = Uplink::new(settings, buffer.clone())?;

    let sink_settings = sink::SinkSettings {
        identity: identity.clone(),
        matchers: p.matcher_sets().map_err(ParentError::Config)?,
        external_labels: Labels::from_pairs(cfg.rules.external_labels.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        loop_names: p.loop_names().into_iter().collect(),
        limits: p.batch_limits(&cfg.limits),
    };
    let sink = Arc::new(ParentSink::new(sink_settings, buffer, Some(uplink.wake())));
    let registered = Arc::new(metrics::Registered { sink: sink.clone(), states: uplink.states() });
    metrics::register(&registered);
    let pending = pharos_buffer::lock_shared(sink.buffer()).stats().records;
    tracing::info!(parent = ?p.all_servers(), name = %identity, selectors = p.matchers.len(),
        pending_batches = pending, never_forward_from = ?p.loop_names(), "forwarding to the parent aggregator");
    tokio::spawn(async move {
        // The registration lives as long as the uplink.
        let _registered = registered;
        uplink.run().await;
    });
    Ok(Some(sink))
}

#[cfg(test)]
mod tests;
