//! Pharos aggregator: ingest over QUIC, storage on RocksDB, PromQL, and the Prometheus HTTP API.
//! Laid out like Prometheus' own packages: one concern per module.

pub mod alerting;
pub mod api;
pub mod backup;
pub mod certs;
pub mod checkconfig;
pub mod config;
pub mod enroll;
pub mod federate;
pub mod ingest;
pub mod parent;
pub mod promql;
pub mod pushgateway;
pub mod quickstart;
pub mod reload;
pub mod rules;
pub mod selfmetrics;
pub mod server;
pub mod storage;
pub mod ui;
pub mod web;

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Escapes `<`, `>`, `&`, U+2028 and U+2029 in serialized JSON as Go's `encoding/json` does.
/// They can only occur inside JSON strings, where the escapes mean the same, so replacing them
/// everywhere is safe.
pub fn go_json_escape(json: &str) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// This machine's host name, or `localhost` if it cannot be read.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}
