//! Pharos aggregator: ingest over QUIC, storage on RocksDB, PromQL, and the Prometheus HTTP API.
//! Laid out like Prometheus' own packages: one concern per module.

pub mod alerting;
pub mod api;
pub mod certs;
pub mod config;
pub mod federate;
pub mod ingest;
pub mod promql;
pub mod pushgateway;
pub mod quickstart;
pub mod reload;
pub mod rules;
pub mod selfmetrics;
pub mod server;
pub mod storage;

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// This machine's host name, or `localhost` if it cannot be read.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}
