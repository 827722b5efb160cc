//! `GET /api/v1/pharos/agents`: every agent this aggregator knows, with what only ingest knows
//! about it (see `ingest/fleet.rs`), for the UI's Fleet page. The series the agents push
//! (`pharos_agent_buffer_records`, `pharos_agent_build_info` ...) stay in PromQL; this adds
//! liveness, sessions, transport, version, last push, clock skew and the targets' `up`.
//!
//! The envelope is Prometheus' (`{"status":"success","data":[...]}`), agents sorted by name.

use crate::ingest::fleet::Fleet;
use crate::ingest::liveness::Liveness;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// What the handler reads.
#[derive(Clone)]
struct FleetState {
    fleet: Arc<Fleet>,
    liveness: Arc<Liveness>,
}

/// The route, to merge into the server's router.
pub fn router(fleet: Arc<Fleet>, liveness: Arc<Liveness>) -> Router {
    Router::new().route("/api/v1/pharos/agents", get(agents)).with_state(FleetState { fleet, liveness })
}

/// Milliseconds since the epoch as the API's float seconds.
fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// The agents as JSON values (the handler's body, separate for tests).
fn agents_json(fleet: &Fleet, liveness: &Liveness, now_ms: i64) -> Vec<Value> {
    let sessions = fleet.snapshot();
    let mut states = liveness.states(now_ms);
    states.sort_by(|a, b| a.name.cmp(&b.name));
    states
        .into_iter()
        .map(|l| {
            let s = sessions.get(&l.name).cloned().unwrap_or_default();
            let targets: Vec<Value> = s
                .targets
                .iter()
                .map(|(labels, (value, ts))| {
                    let metric: Map<String, Value> =
                        labels.iter().map(|l| (l.name.clone(), Value::from(l.value.clone()))).collect();
                    // JSON has no NaN: a NaN `up` would not be 0 or 1 anyway.
                    let value = if value.is_finite() { json!(value) } else { Value::Null };
                    json!({ "metric": metric, "value": value, "timestamp": secs(*ts), "lastError": s.last_error(labels) })
                })
                .collect();
            json!({
                "name": l.name,
                "state": if l.down { "down" } else { "up" },
                "sessions": s.open,
                "transport": s.transport,
                "remote": s.remote.map(|r| r.to_string()),
                "version": s.version,
                "bufferId": s.buffer_id.map(|b| format!("{b:016x}")),
                "intervalSeconds": secs(l.interval_ms),
                "lastSeen": secs(l.last_seen_ms),
                "lastPush": s.last_batch_ms.map(secs),
                "connectedSince": s.connected_since_ms.map(secs),
                "batches": s.batches,
                "samples": s.samples,
                "clockSkewSeconds": s.skew_ms().map(secs),
                "targets": targets,
            })
        })
        .collect()
}

/// `GET /api/v1/pharos/agents`.
async fn agents(State(st): State<FleetState>) -> Response {
    let data = agents_json(&st.fleet, &st.liveness, crate::now_ms());
    let body = json!({ "status": "success", "data": data }).to_string();
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::frame::{Batch, Hello};
    use pharos_protocol::{Labels, Sample, Series};
    use std::time::Duration;

    #[test]
    fn agents_combine_liveness_and_sessions() {
        let fleet = Arc::new(Fleet::default());
        let liveness = Liveness::new(3, Duration::from_secs(10));
        liveness.seen("web-1", 1000);
        liveness.seen("db-1", 1000);
        let hello = Hello { agent: "web-1".into(), agent_version: "0.1.0".into(), buffer_id: 255, interval_ms: 1000 };
        let _open = fleet.session_started("web-1", "tcp", "127.0.0.1:4000".parse().expect("addr"), &hello);
        let now = crate::now_ms();
        let up = Series {
            labels: Labels::from_pairs([("__name__", "up"), ("instance", "db:5432"), ("job", "postgres")]),
            samples: vec![Sample { timestamp_ms: now - 100, value: 0.0 }],
        };
        let failure = Series {
            labels: Labels::from_pairs([
                ("__name__", pharos_protocol::model::TARGET_FAILURE_METRIC),
                ("instance", "db:5432"),
                ("job", "postgres"),
                ("reason", "connection refused"),
            ]),
            samples: vec![Sample { timestamp_ms: now - 100, value: 1.0 }],
        };
        fleet.batch("web-1", &Batch::from_series("web-1", 255, 1, &[up, failure]), now);
        // db-1 is overdue 5 s from now (3 × 1 s).
        let v = agents_json(&fleet, &liveness, now + 5000);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0]["name"], "db-1");
        assert_eq!(v[0]["state"], "down");
        assert_eq!(v[0]["sessions"], 0);
        assert_eq!(v[1]["name"], "web-1");
        assert_eq!(v[1]["transport"], "tcp");
        assert_eq!(v[1]["version"], "0.1.0");
        assert_eq!(v[1]["bufferId"], "00000000000000ff");
        assert_eq!(v[1]["sessions"], 1);
        assert_eq!(v[1]["clockSkewSeconds"], 0.1);
        assert_eq!(v[1]["targets"][0]["metric"]["job"], "postgres");
        assert_eq!(v[1]["targets"][0]["value"], 0.0);
        assert_eq!(v[1]["targets"][0]["lastError"], "connection refused");
        assert_eq!(v[1]["targets"].as_array().map(Vec::len), Some(1));
        // Alive "now": web-1 was seen just now.
        let v = agents_json(&fleet, &liveness, now);
        assert_eq!(v[1]["state"], "up");
    }
}
