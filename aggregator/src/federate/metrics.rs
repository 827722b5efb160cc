//! Self-metrics of remote write, out and in, for `/metrics`:
//!
//! per endpoint (labels `remote_name`, `url`):
//! - `pharos_remote_write_samples_total` — samples the endpoint acknowledged with a 2xx;
//! - `pharos_remote_write_samples_failed_total` — samples dropped after a non-retryable answer
//!   (4xx other than a retried 429), or unreadable in the queue;
//! - `pharos_remote_write_samples_pending` — samples in the disk queue not yet delivered;
//! - `pharos_remote_write_retries_total` — requests retried (5xx, 429, no answer);
//! - `pharos_remote_write_samples_retried_total` — samples in those requests;
//! - `pharos_remote_write_samples_queued_total` — samples written to the disk queue;
//! - `pharos_remote_write_samples_dropped_total` — samples dropped by the queue's size cap
//!   (kept across restarts), by relabeling (`reason="relabel"`), because storage refused some
//!   samples of their series (`reason="rejected"`: which ones is not known) or because the
//!   queue could not be written (`reason="queue_error"`);
//! - `pharos_remote_write_highest_sent_timestamp_seconds`, `pharos_remote_write_shards`;
//!
//! and the receiver's `pharos_remote_write_received_*` counters.

use super::Endpoint;
use pharos_protocol::exposition::{Metric, MetricFamily, MetricType};
use pharos_protocol::Labels;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// Counters of one endpoint's senders and tee.
#[derive(Debug, Default)]
pub struct SendMetrics {
    /// Samples delivered (2xx).
    pub samples_sent: AtomicU64,
    /// Samples dropped after a non-retryable answer.
    pub samples_failed: AtomicU64,
    /// Requests retried.
    pub retries: AtomicU64,
    /// Samples in retried requests.
    pub samples_retried: AtomicU64,
    /// Samples dropped by write relabeling.
    pub dropped_relabel: AtomicU64,
    /// Samples not forwarded because storage refused some samples of their series.
    pub dropped_rejected: AtomicU64,
    /// Samples not forwarded because the queue could not be written.
    pub dropped_queue_error: AtomicU64,
    /// Newest sample timestamp delivered, in milliseconds.
    pub highest_sent_ms: AtomicI64,
}

/// Endpoints alive in this process (weak: an aggregator stopped in a test leaves no trace).
static ENDPOINTS: Mutex<Vec<Weak<Endpoint>>> = Mutex::new(Vec::new());

/// Makes `endpoint` visible to [`families`].
pub(super) fn register(endpoint: &Arc<Endpoint>) {
    let mut list = ENDPOINTS.lock().unwrap_or_else(|p| p.into_inner());
    list.retain(|w| w.strong_count() > 0);
    list.push(Arc::downgrade(endpoint));
}

fn family(name: &str, help: &str, kind: MetricType, metrics: Vec<(Vec<(&str, &str)>, f64)>) -> MetricFamily {
    MetricFamily {
        name: name.into(),
        help: Some(help.into()),
        kind,
        metrics: metrics
            .into_iter()
            .map(|(labels, value)| Metric {
                labels: Labels::from_pairs(std::iter::once(("__name__", name)).chain(labels)),
                value,
                timestamp_ms: None,
            })
            .collect(),
    }
}

/// One value per endpoint, labelled with its name and URL.
fn per_endpoint<'a>(
    endpoints: &'a [Arc<Endpoint>],
    f: &dyn Fn(&Endpoint) -> f64,
) -> Vec<(Vec<(&'a str, &'a str)>, f64)> {
    endpoints.iter().map(|e| (vec![("remote_name", e.name.as_str()), ("url", e.url.as_str())], f(e))).collect()
}

/// The remote-write metric families (out and in).
pub fn families() -> Vec<MetricFamily> {
    use MetricType::{Counter, Gauge};
    let endpoints: Vec<Arc<Endpoint>> =
        ENDPOINTS.lock().unwrap_or_else(|p| p.into_inner()).iter().filter_map(Weak::upgrade).collect();
    let per = |f: &dyn Fn(&Endpoint) -> f64| per_endpoint(&endpoints, f);
    let c = |v: &AtomicU64| v.load(Ordering::Relaxed) as f64;
    let mut dropped = Vec::new();
    for e in &endpoints {
        let m = &e.metrics;
        let cap = e.queue.stats().dropped_samples as f64;
        for (reason, v) in [
            ("queue_full", cap),
            ("relabel", c(&m.dropped_relabel)),
            ("rejected", c(&m.dropped_rejected)),
            ("queue_error", c(&m.dropped_queue_error)),
        ] {
            dropped.push((vec![("remote_name", e.name.as_str()), ("url", e.url.as_str()), ("reason", reason)], v));
        }
    }
    let r = crate::api::remote_write::stats();
    let one = |v: u64| vec![(Vec::new(), v as f64)];
    vec![
        family(
            "pharos_remote_write_samples_total",
            "Samples delivered to the endpoint (answered with a 2xx).",
            Counter,
            per(&|e| c(&e.metrics.samples_sent)),
        ),
        family(
            "pharos_remote_write_samples_failed_total",
            "Samples dropped after a non-retryable answer.",
            Counter,
            per(&|e| c(&e.metrics.samples_failed)),
        ),
        family(
            "pharos_remote_write_samples_pending",
            "Samples in the disk queue not yet delivered.",
            Gauge,
            per(&|e| e.queue.pending_samples() as f64),
        ),
        family("pharos_remote_write_retries_total", "Requests retried.", Counter, per(&|e| c(&e.metrics.retries))),
        family(
            "pharos_remote_write_samples_retried_total",
            "Samples in retried requests.",
            Counter,
            per(&|e| c(&e.metrics.samples_retried)),
        ),
        family(
            "pharos_remote_write_samples_queued_total",
            "Samples written to the disk queue.",
            Counter,
            per(&|e| e.queue.queued_samples() as f64),
        ),
        family("pharos_remote_write_samples_dropped_total", "Samples not delivered, by reason.", Counter, dropped),
        family(
            "pharos_remote_write_highest_sent_timestamp_seconds",
            "Newest sample timestamp delivered.",
            Gauge,
            per(&|e| e.metrics.highest_sent_ms.load(Ordering::Relaxed) as f64 / 1000.0),
        ),
        family("pharos_remote_write_shards", "Shards sending to the endpoint.", Gauge, per(&|e| e.shards as f64)),
        family("pharos_remote_write_received_requests_total", "Requests to /api/v1/write.", Counter, one(r.requests)),
        family(
            "pharos_remote_write_received_failed_requests_total",
            "Requests to /api/v1/write answered with an error.",
            Counter,
            one(r.failed_requests),
        ),
        family(
            "pharos_remote_write_received_samples_total",
            "Samples stored from /api/v1/write.",
            Counter,
            one(r.samples),
        ),
        family(
            "pharos_remote_write_received_rejected_samples_total",
            "Samples from /api/v1/write refused by storage.",
            Counter,
            one(r.rejected_samples),
        ),
        family(
            "pharos_remote_write_received_histograms_dropped_total",
            "Native histogram samples received and dropped (not supported).",
            Counter,
            one(r.histograms_dropped),
        ),
        family(
            "pharos_remote_write_received_exemplars_dropped_total",
            "Exemplars received and dropped.",
            Counter,
            one(r.exemplars_dropped),
        ),
    ]
}
