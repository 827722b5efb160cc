//! The agent's own metrics (`pharos_agent_*`), collected like any source and pushed with the
//! rest, so an operator sees buffer backlog, drops and send failures next to the host's data.

use crate::buffer::BufferStats;
use crate::schedule::SourceStats;
use crate::uplink::{Kind, UplinkState};
use pharos_protocol::exposition::{Metric, MetricFamily, MetricType};
use pharos_protocol::Labels;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Totals of what the agent collected and buffered, for bytes-per-sample figures.
#[derive(Debug, Default)]
pub struct BufferedTotals {
    /// Samples appended to the disk buffer.
    pub samples: AtomicU64,
    /// Bytes appended to the disk buffer (record headers included).
    pub bytes: AtomicU64,
}

fn family(name: &str, help: &str, kind: MetricType, values: Vec<(Vec<(&str, &str)>, f64)>) -> MetricFamily {
    MetricFamily {
        name: name.to_string(),
        help: Some(help.to_string()),
        kind,
        metrics: values
            .into_iter()
            .map(|(labels, value)| {
                let mut l = Labels::from_pairs(labels);
                l.set("__name__", name);
                Metric { labels: l, value, timestamp_ms: None }
            })
            .collect(),
    }
}

fn one(name: &str, help: &str, kind: MetricType, value: f64) -> MetricFamily {
    family(name, help, kind, vec![(vec![], value)])
}

/// Builds the self-metric families from the buffer, uplink and collector state.
pub fn families(
    buffer: &BufferStats,
    totals: &BufferedTotals,
    uplinks: &[(String, Arc<UplinkState>)],
    collectors: &BTreeMap<String, SourceStats>,
) -> Vec<MetricFamily> {
    use MetricType::{Counter, Gauge};
    let build = pharos_protocol::build_info!();
    vec![
        family(
            "pharos_agent_build_info",
            "A metric with a constant '1' value labeled by version, revision, branch, and the Rust compiler's version (goversion), as prometheus_build_info.",
            Gauge,
            vec![(build.metric_labels().to_vec(), 1.0)],
        ),
        one(
            "pharos_agent_buffer_bytes",
            "Bytes of unacknowledged data in the disk buffer.",
            Gauge,
            buffer.bytes as f64,
        ),
        one("pharos_agent_buffer_records", "Unacknowledged batches in the disk buffer.", Gauge, buffer.records as f64),
        one(
            "pharos_agent_buffer_dropped_records_total",
            "Batches dropped from the disk buffer because it reached its size cap.",
            Counter,
            buffer.dropped_records as f64,
        ),
        one(
            "pharos_agent_buffer_dropped_samples_total",
            "Samples dropped from the disk buffer because it reached its size cap.",
            Counter,
            buffer.dropped_samples as f64,
        ),
        one(
            "pharos_agent_buffer_appended_samples_total",
            "Samples collected and appended to the disk buffer.",
            Counter,
            totals.samples.load(Ordering::Relaxed) as f64,
        ),
        one(
            "pharos_agent_buffer_appended_bytes_total",
            "Bytes appended to the disk buffer, record headers included.",
            Counter,
            totals.bytes.load(Ordering::Relaxed) as f64,
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_sent_bytes_total",
            "Bytes sent to the aggregator over QUIC (UDP) or TLS on TCP, transport security overhead included.",
            Counter,
            |u| u.sent_bytes.load(Ordering::Relaxed) as f64,
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_connected",
            "Whether the agent has an established session with the aggregator.",
            Gauge,
            |u| if u.connected.load(Ordering::Relaxed) { 1.0 } else { 0.0 },
        ),
        family(
            "pharos_agent_uplink_transport",
            "1 for the transport of the established session with the aggregator (quic, or tcp when UDP is blocked).",
            Gauge,
            uplinks
                .iter()
                .flat_map(|(server, u)| {
                    [Kind::Quic, Kind::Tcp].into_iter().map(move |k| {
                        (
                            vec![("server", server.as_str()), ("transport", k.as_str())],
                            if u.transport() == Some(k) { 1.0 } else { 0.0 },
                        )
                    })
                })
                .collect(),
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_send_failures_total",
            "Uplink sessions that ended in an error, including failed connection attempts.",
            Counter,
            |u| u.send_failures.load(Ordering::Relaxed) as f64,
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_batches_acked_total",
            "Batches acknowledged by the aggregator.",
            Counter,
            |u| u.batches_acked.load(Ordering::Relaxed) as f64,
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_samples_acked_total",
            "Samples acknowledged by the aggregator.",
            Counter,
            |u| u.samples_acked.load(Ordering::Relaxed) as f64,
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_last_ack_timestamp_seconds",
            "Unix time of the last acknowledgement from the aggregator (0 before the first).",
            Gauge,
            |u| u.last_ack_ms.load(Ordering::Relaxed) as f64 / 1000.0,
        ),
        per_server(
            uplinks,
            "pharos_agent_uplink_acked_sequence",
            "Highest batch sequence number the aggregator has stored; the buffer keeps what any aggregator lacks.",
            Gauge,
            |u| u.acked_seq.load(Ordering::Relaxed) as f64,
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_duration_seconds",
            "Duration of the last collection (up to its deadline), per collector.",
            Gauge,
            |c| c.duration_seconds,
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_success",
            "Whether the last collection produced data, per collector.",
            Gauge,
            |c| if c.success { 1.0 } else { 0.0 },
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_errors_total",
            "Failed collections (errors and timeouts), per collector.",
            Counter,
            |c| c.errors_total as f64,
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_timeouts_total",
            "Collections abandoned at their deadline, per collector.",
            Counter,
            |c| c.timeouts_total as f64,
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_late_seconds",
            "How late the last collection started after its scheduled time (a source whose runs outlast its interval falls behind), per collector.",
            Gauge,
            |c| c.late_seconds,
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_last_success_timestamp_seconds",
            "Unix time of the last collection that produced data, per collector (0: none yet).",
            Gauge,
            |c| c.last_success_ms as f64 / 1000.0,
        ),
    ]
}

/// `pharos_agent_collector_duration_seconds` and `pharos_agent_collector_success` alone: what
/// `collect-once` prints about its one run of each collector.
pub fn collection_families(collectors: &BTreeMap<String, SourceStats>) -> Vec<MetricFamily> {
    vec![
        per_collector(
            collectors,
            "pharos_agent_collector_duration_seconds",
            "Duration of the last collection (up to its deadline), per collector.",
            MetricType::Gauge,
            |c| c.duration_seconds,
        ),
        per_collector(
            collectors,
            "pharos_agent_collector_success",
            "Whether the last collection produced data, per collector.",
            MetricType::Gauge,
            |c| if c.success { 1.0 } else { 0.0 },
        ),
    ]
}

/// One series per uplink destination, labelled with its `server`.
fn per_server(
    uplinks: &[(String, Arc<UplinkState>)],
    name: &str,
    help: &str,
    kind: MetricType,
    value: impl Fn(&UplinkState) -> f64,
) -> MetricFamily {
    family(name, help, kind, uplinks.iter().map(|(server, u)| (vec![("server", server.as_str())], value(u))).collect())
}

fn per_collector(
    collectors: &BTreeMap<String, SourceStats>,
    name: &str,
    help: &str,
    kind: MetricType,
    value: impl Fn(&SourceStats) -> f64,
) -> MetricFamily {
    family(name, help, kind, collectors.iter().map(|(n, c)| (vec![("collector", n.as_str())], value(c))).collect())
}
