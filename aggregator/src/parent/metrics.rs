//! Self-metrics of the parent forwarding, for `/metrics`:
//!
//! - `pharos_parent_samples_queued_total` — samples written to the parent buffer;
//! - `pharos_parent_samples_dropped_total{reason}` — samples not forwarded: no `match` selector
//!   selects their series (`match`), they came from a sender in the loop list (`loop`), storage
//!   refused some samples of their series (`rejected`), their labels break the frame limits
//!   (`limits`), the buffer could not be written (`buffer_error`) or its size cap dropped them
//!   unsent (`buffer_full`, kept across restarts);
//! - `pharos_parent_buffer_bytes`, `pharos_parent_buffer_records` — unsent data on disk;
//!
//! per parent server (label `server`):
//! - `pharos_parent_connected` — 1 while a session is established;
//! - `pharos_parent_samples_acked_total`, `pharos_parent_batches_acked_total` — stored by it;
//! - `pharos_parent_send_failures_total` — sessions that ended in an error (failed connects too);
//! - `pharos_parent_last_ack_timestamp_seconds`.

use super::sink::ParentSink;
use pharos_protocol::exposition::{Metric, MetricFamily, MetricType};
use pharos_protocol::Labels;
use pharos_uplink::UplinkState;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

/// Counters of the sink.
#[derive(Debug, Default)]
pub struct SinkMetrics {
    /// Samples written to the buffer.
    pub samples_queued: AtomicU64,
    /// Samples of series no `match` selector selects.
    pub dropped_match: AtomicU64,
    /// Samples from a sender in the loop list.
    pub dropped_loop: AtomicU64,
    /// Samples of series storage refused samples of.
    pub dropped_rejected: AtomicU64,
    /// Samples of series whose labels break the frame limits.
    pub dropped_limits: AtomicU64,
    /// Samples that could not be written to the buffer.
    pub dropped_buffer_error: AtomicU64,
}

/// What `/metrics` reads: the sink and the uplink's per-server states.
pub struct Registered {
    /// The sink.
    pub sink: Arc<ParentSink>,
    /// Each server and its state.
    pub states: Vec<(String, Arc<UplinkState>)>,
}

/// The parent forwarding alive in this process (weak: an aggregator stopped in a test leaves no
/// trace).
static CURRENT: Mutex<Option<Weak<Registered>>> = Mutex::new(None);

/// Makes `r` visible to [`families`]; the caller keeps it alive.
pub fn register(r: &Arc<Registered>) {
    *CURRENT.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::downgrade(r));
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

/// The `pharos_parent_*` families; none without a `[parent]` section.
pub fn families() -> Vec<MetricFamily> {
    use MetricType::{Counter, Gauge};
    let current = CURRENT.lock().unwrap_or_else(|p| p.into_inner()).as_ref().and_then(Weak::upgrade);
    let Some(r) = current else { return Vec::new() };
    let c = |v: &AtomicU64| v.load(Ordering::Relaxed) as f64;
    let m = &r.sink.metrics;
    let stats = pharos_buffer::lock_shared(r.sink.buffer()).stats();
    let one = |v: f64| vec![(Vec::new(), v)];
    let dropped = [
        ("match", c(&m.dropped_match)),
        ("loop", c(&m.dropped_loop)),
        ("rejected", c(&m.dropped_rejected)),
        ("limits", c(&m.dropped_limits)),
        ("buffer_error", c(&m.dropped_buffer_error)),
        ("buffer_full", stats.dropped_samples as f64),
    ]
    .into_iter()
    .map(|(reason, v)| (vec![("reason", reason)], v))
    .collect();
    let per = |f: &dyn Fn(&UplinkState) -> f64| -> Vec<(Vec<(&str, &str)>, f64)> {
        r.states.iter().map(|(server, st)| (vec![("server", server.as_str())], f(st))).collect()
    };
    vec![
        family(
            "pharos_parent_samples_queued_total",
            "Samples written to the parent buffer.",
            Counter,
            one(c(&m.samples_queued)),
        ),
        family(
            "pharos_parent_samples_dropped_total",
            "Samples not forwarded to the parent, by reason.",
            Counter,
            dropped,
        ),
        family(
            "pharos_parent_buffer_bytes",
            "Bytes of parent buffer segments holding unsent data.",
            Gauge,
            one(stats.bytes as f64),
        ),
        family(
            "pharos_parent_buffer_records",
            "Batches in the parent buffer not yet stored by every parent.",
            Gauge,
            one(stats.records as f64),
        ),
        family(
            "pharos_parent_connected",
            "1 while a session with the parent is established.",
            Gauge,
            per(&|s| f64::from(u8::from(s.connected.load(Ordering::Relaxed)))),
        ),
        family(
            "pharos_parent_samples_acked_total",
            "Samples the parent acknowledged as stored.",
            Counter,
            per(&|s| c(&s.samples_acked)),
        ),
        family(
            "pharos_parent_batches_acked_total",
            "Batches the parent acknowledged as stored.",
            Counter,
            per(&|s| c(&s.batches_acked)),
        ),
        family(
            "pharos_parent_send_failures_total",
            "Sessions with the parent that ended in an error, failed connects included.",
            Counter,
            per(&|s| c(&s.send_failures)),
        ),
        family(
            "pharos_parent_last_ack_timestamp_seconds",
            "Time of the parent's last acknowledgement.",
            Gauge,
            per(&|s| s.last_ack_ms.load(Ordering::Relaxed) as f64 / 1000.0),
        ),
    ]
}
