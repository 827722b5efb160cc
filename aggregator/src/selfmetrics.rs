//! `/metrics`: the aggregator's own metrics in the Prometheus text format.

use crate::ingest::IngestContext;
use crate::storage::rocks::RocksStorage;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use pharos_protocol::exposition::{write, Metric, MetricFamily, MetricType};
use pharos_protocol::Labels;
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn one(name: &str, help: &str, kind: MetricType, value: f64) -> MetricFamily {
    MetricFamily {
        name: name.into(),
        help: Some(help.into()),
        kind,
        metrics: vec![Metric { labels: Labels::from_pairs([("__name__", name)]), value, timestamp_ms: None }],
    }
}

/// Resident set size of this process in bytes, from /proc/self/statm.
fn rss_bytes() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * page.max(0) as f64
}

/// The self-metric families.
pub fn families(ingest: &IngestContext, rocks: &RocksStorage) -> Vec<MetricFamily> {
    use MetricType::{Counter, Gauge};
    let s = &ingest.stats;
    let c = |v: &std::sync::atomic::AtomicU64| v.load(Ordering::Relaxed) as f64;
    let st = rocks.stats();
    vec![
        one(
            "pharos_ingest_connections_total",
            "Agent connections that passed the TLS handshake.",
            Counter,
            c(&s.connections),
        ),
        one(
            "pharos_ingest_handshake_failures_total",
            "Connections refused at the TLS handshake.",
            Counter,
            c(&s.handshake_failures),
        ),
        one("pharos_ingest_batches_total", "Batches stored and acknowledged.", Counter, c(&s.batches)),
        one("pharos_ingest_samples_total", "Samples stored from agent batches.", Counter, c(&s.samples)),
        one(
            "pharos_import_requests_total",
            "Requests to /api/v1/import/prometheus.",
            Counter,
            crate::api::import::stats().requests as f64,
        ),
        one(
            "pharos_import_samples_total",
            "Samples stored by /api/v1/import/prometheus.",
            Counter,
            crate::api::import::stats().samples as f64,
        ),
        one(
            "pharos_ingest_replayed_batches_total",
            "Replayed batches acknowledged without storing them again.",
            Counter,
            c(&s.replayed_batches),
        ),
        one(
            "pharos_ingest_rejected_frames_total",
            "Frames refused with a protocol error.",
            Counter,
            c(&s.rejected_frames),
        ),
        one(
            "pharos_storage_active_series",
            "Series in the head (with a sample in the last hour).",
            Gauge,
            st.active_series as f64,
        ),
        one("pharos_storage_series_created_total", "Series created since start.", Counter, st.series_created as f64),
        one(
            "pharos_storage_appends_total",
            "Durable writes (one per group of batches written together).",
            Counter,
            st.appends as f64,
        ),
        one(
            "pharos_storage_samples_appended_total",
            "Samples accepted since start.",
            Counter,
            st.samples_appended as f64,
        ),
        MetricFamily {
            name: "pharos_storage_rejected_samples_total".into(),
            help: Some("Samples refused by storage since start, by reason.".into()),
            kind: Counter,
            metrics: st
                .rejected
                .by_reason()
                .iter()
                .map(|(reason, n)| Metric {
                    labels: Labels::from_pairs([
                        ("__name__", "pharos_storage_rejected_samples_total"),
                        ("reason", reason),
                    ]),
                    value: *n as f64,
                    timestamp_ms: None,
                })
                .collect(),
        },
        one("pharos_storage_chunks_written_total", "Chunks sealed and written.", Counter, st.chunks_written as f64),
        one(
            "pharos_storage_chunks_compacted_total",
            "Chunks merged by compaction.",
            Counter,
            st.chunks_compacted as f64,
        ),
        one("pharos_storage_chunks_read_total", "Chunk keys read by queries.", Counter, st.chunks_read as f64),
        one("pharos_storage_compactions_total", "Completed compaction passes.", Counter, st.compactions as f64),
        one("pharos_storage_checkpoints_total", "Completed head checkpoints.", Counter, st.checkpoints as f64),
        one(
            "pharos_storage_partitions_dropped_total",
            "Days of samples dropped by retention.",
            Counter,
            st.partitions_dropped as f64,
        ),
        one(
            "pharos_storage_wal_replay_seconds",
            "Time the WAL replay took when the store opened.",
            Gauge,
            st.wal_replay_seconds,
        ),
        one(
            "pharos_storage_wal_replayed_records",
            "WAL records replayed when the store opened.",
            Gauge,
            st.wal_replayed_records as f64,
        ),
        one("pharos_storage_disk_bytes", "Bytes of the database and WAL on disk.", Gauge, rocks.disk_bytes() as f64),
        MetricFamily {
            name: "pharos_storage_sst_bytes".into(),
            help: Some("Bytes of the database's table files, by part (series, postings, chunks, meta).".into()),
            kind: Gauge,
            metrics: rocks
                .sst_bytes()
                .into_iter()
                .map(|(family, n)| Metric {
                    labels: Labels::from_pairs([("__name__", "pharos_storage_sst_bytes"), ("family", family)]),
                    value: n as f64,
                    timestamp_ms: None,
                })
                .collect(),
        },
        one("process_resident_memory_bytes", "Resident memory size in bytes.", Gauge, rss_bytes()),
        build_info_family(),
    ]
}

/// `pharos_aggregator_build_info`, as Prometheus' `prometheus_build_info`.
fn build_info_family() -> MetricFamily {
    let name = "pharos_aggregator_build_info";
    let build = crate::api::build_info();
    let mut labels = Labels::from_pairs(build.metric_labels());
    labels.set("__name__", name);
    MetricFamily {
        name: name.into(),
        help: Some(
            "A metric with a constant '1' value labeled by version, revision, branch, and the Rust compiler's version (goversion), as prometheus_build_info.".into(),
        ),
        kind: MetricType::Gauge,
        metrics: vec![Metric { labels, value: 1.0, timestamp_ms: None }],
    }
}

/// Router serving `/metrics`.
pub fn router(ingest: Arc<IngestContext>, rocks: Arc<RocksStorage>) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let (ingest, rocks) = (ingest.clone(), rocks.clone());
            async move {
                let mut out = String::new();
                write(&[families(&ingest, &rocks), crate::federate::families()].concat(), &mut out);
                ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
            }
        }),
    )
}
