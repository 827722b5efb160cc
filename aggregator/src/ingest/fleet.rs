//! What ingest knows about each agent that no stored series says: its open sessions and their
//! transport, the version and interval from its `Hello`, when its last batch arrived, an
//! estimate of its clock's skew, and the `up`/`probe_success` of the targets its batches carry
//! (a target's `instance` names the target, not the agent that scraped it) with the reason of its
//! latest failure (`pharos_target_failure_info`, which agents send beside `up 0`). Served as
//! `GET /api/v1/pharos/agents` (`api/fleet.rs`) for the UI's Fleet page.

use pharos_protocol::frame::{Batch, Hello};
use pharos_protocol::model::{is_stale_nan, METRIC_NAME_LABEL, TARGET_FAILURE_METRIC, TARGET_FAILURE_REASON};
use pharos_protocol::Labels;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// The series whose latest value a target's row shows.
const TARGET_METRICS: &[&str] = &["up", "probe_success"];

/// The clock-skew estimate is the smallest lag seen over one to two windows of this length.
const SKEW_WINDOW_MS: i64 = 60_000;

/// How many target series are kept per agent (a misconfigured agent could send thousands).
const MAX_TARGETS: usize = 1000;

/// One agent's ingest-side state.
#[derive(Debug, Clone, Default)]
pub struct AgentSessions {
    /// Streams open now.
    pub open: u32,
    /// `quic` or `tcp`: the transport of the latest session.
    pub transport: Option<&'static str>,
    /// The latest session's peer address.
    pub remote: Option<SocketAddr>,
    /// The version its latest `Hello` reported.
    pub version: Option<String>,
    /// Its disk buffer's id (the stream name's second half).
    pub buffer_id: Option<u64>,
    /// When the latest session started (ms since the epoch).
    pub connected_since_ms: Option<i64>,
    /// When its latest batch arrived (ms since the epoch).
    pub last_batch_ms: Option<i64>,
    /// Batches received since this aggregator started.
    pub batches: u64,
    /// Samples received since this aggregator started.
    pub samples: u64,
    /// Receive time minus the batch's oldest sample time, smallest in the current window.
    lag_current: Option<(i64, i64)>,
    /// The same for the previous window.
    lag_previous: Option<i64>,
    /// Target series (`up`, `probe_success`) by their label set: (value, timestamp ms).
    pub targets: BTreeMap<Labels, (f64, i64)>,
    /// Why targets failed last, by the target's labels without `__name__`.
    failures: BTreeMap<Labels, String>,
}

/// What identifies a target across its series: its labels without `__name__` (and `reason`).
fn target_key(labels: &Labels) -> Labels {
    let mut key = labels.clone();
    key.set(METRIC_NAME_LABEL, "");
    key.set(TARGET_FAILURE_REASON, "");
    key
}

impl AgentSessions {
    /// Why the target with these labels (an `up` or `probe_success` series) failed, while its
    /// latest value says it is failing.
    pub fn last_error(&self, target: &Labels) -> Option<&str> {
        let (value, _) = self.targets.get(target)?;
        if *value == 1.0 {
            return None;
        }
        self.failures.get(&target_key(target)).map(String::as_str)
    }

    /// Estimated clock skew in ms (positive: the agent's clock is behind ours): the smallest
    /// receive lag of the last one to two minutes. A batch sent right after its collection lags
    /// by the network and collection delays only, so the minimum is close to the skew; batches
    /// from a backlog lag more and do not lower it.
    pub fn skew_ms(&self) -> Option<i64> {
        match (self.lag_current.map(|(_, lag)| lag), self.lag_previous) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The registry of agents, shared by all sessions.
#[derive(Debug, Default)]
pub struct Fleet {
    agents: Mutex<HashMap<String, AgentSessions>>,
}

/// Marks a session open while it lives (dropped when the session's task ends).
pub struct SessionGuard {
    fleet: Arc<Fleet>,
    agent: String,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        let mut agents = self.fleet.lock();
        if let Some(a) = agents.get_mut(&self.agent) {
            a.open = a.open.saturating_sub(1);
        }
    }
}

impl Fleet {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, AgentSessions>> {
        self.agents.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a session that completed its `Hello`; it counts as open until the guard drops.
    pub fn session_started(
        self: &Arc<Self>,
        agent: &str,
        transport: &'static str,
        remote: SocketAddr,
        hello: &Hello,
    ) -> SessionGuard {
        let mut agents = self.lock();
        let a = agents.entry(agent.to_string()).or_default();
        a.open += 1;
        a.transport = Some(transport);
        a.remote = Some(remote);
        a.version = Some(hello.agent_version.clone());
        a.buffer_id = Some(hello.buffer_id);
        a.connected_since_ms = Some(crate::now_ms());
        SessionGuard { fleet: self.clone(), agent: agent.to_string() }
    }

    /// Records a batch received now (`now_ms`).
    pub fn batch(&self, agent: &str, batch: &Batch, now_ms: i64) {
        // Targets first, outside the lock: most batches (host metrics) carry none.
        let mut targets = Vec::new();
        let mut failures = Vec::new();
        for (i, labels) in batch.series.iter().enumerate() {
            let name = labels.get(METRIC_NAME_LABEL).unwrap_or("");
            let is_target = TARGET_METRICS.contains(&name);
            if !is_target && name != TARGET_FAILURE_METRIC {
                continue;
            }
            let Some(s) = batch.samples.iter().rev().find(|s| s.series as usize == i) else { continue };
            if is_target {
                targets.push((labels.clone(), s.value, batch.base_timestamp_ms + s.ts_delta_ms));
            } else {
                let reason =
                    (!is_stale_nan(s.value)).then(|| labels.get(TARGET_FAILURE_REASON).unwrap_or("").to_string());
                failures.push((target_key(labels), reason));
            }
        }
        let mut agents = self.lock();
        let a = agents.entry(agent.to_string()).or_default();
        a.last_batch_ms = Some(now_ms);
        a.batches += 1;
        a.samples += batch.samples.len() as u64;
        if !batch.samples.is_empty() {
            let lag = now_ms - batch.base_timestamp_ms;
            a.lag_current = match a.lag_current {
                Some((start, cur)) if now_ms - start < SKEW_WINDOW_MS => Some((start, cur.min(lag))),
                Some((_, cur)) => {
                    a.lag_previous = Some(cur);
                    Some((now_ms, lag))
                }
                None => Some((now_ms, lag)),
            };
        }
        for (labels, value, ts) in targets {
            // A staleness marker ends the target (a scrape config that was removed).
            if is_stale_nan(value) {
                a.failures.remove(&target_key(&labels));
                a.targets.remove(&labels);
            } else if a.targets.len() < MAX_TARGETS || a.targets.contains_key(&labels) {
                a.targets.insert(labels, (value, ts));
            }
        }
        for (key, reason) in failures {
            match reason {
                // A staleness marker: the target's latest scrape or probe succeeded.
                None => {
                    a.failures.remove(&key);
                }
                Some(r) if a.failures.len() < MAX_TARGETS || a.failures.contains_key(&key) => {
                    a.failures.insert(key, r);
                }
                Some(_) => {}
            }
        }
    }

    /// A copy of every agent's state, by name.
    pub fn snapshot(&self) -> HashMap<String, AgentSessions> {
        self.lock().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::{Labels, Sample, Series};

    fn hello() -> Hello {
        Hello { agent: "a".into(), agent_version: "1.2.3".into(), buffer_id: 7, interval_ms: 1000 }
    }

    fn series(pairs: &[(&str, &str)], ts: i64, value: f64) -> Series {
        Series { labels: Labels::from_pairs(pairs.iter().copied()), samples: vec![Sample { timestamp_ms: ts, value }] }
    }

    #[test]
    fn sessions_are_open_while_their_guards_live() {
        let fleet = Arc::new(Fleet::default());
        let remote: SocketAddr = "127.0.0.1:5000".parse().expect("addr");
        let g1 = fleet.session_started("a", "quic", remote, &hello());
        let g2 = fleet.session_started("a", "tcp", remote, &hello());
        let s = fleet.snapshot();
        assert_eq!(s["a"].open, 2);
        assert_eq!(s["a"].transport, Some("tcp"));
        assert_eq!(s["a"].version.as_deref(), Some("1.2.3"));
        drop(g1);
        assert_eq!(fleet.snapshot()["a"].open, 1);
        drop(g2);
        assert_eq!(fleet.snapshot()["a"].open, 0);
    }

    #[test]
    fn batches_record_targets_and_the_smallest_lag() {
        let fleet = Fleet::default();
        let now = 1_000_000;
        let up = [("__name__", "up"), ("instance", "db:9187"), ("job", "postgres")];
        let b = Batch::from_series(
            "a",
            7,
            1,
            &[series(&up, now - 500, 1.0), series(&[("__name__", "node_load1"), ("instance", "a")], now - 500, 0.5)],
        );
        fleet.batch("a", &b, now);
        // A backlog batch lags more: the estimate stays.
        let old = Batch::from_series("a", 7, 2, &[series(&up, now - 60_000, 0.0)]);
        fleet.batch("a", &old, now + 10);
        let snap = fleet.snapshot();
        let s = &snap["a"];
        assert_eq!(s.skew_ms(), Some(500));
        assert_eq!(s.batches, 2);
        assert_eq!(s.samples, 3);
        assert_eq!(s.targets.len(), 1, "only the up series is a target");
        assert_eq!(s.targets[&Labels::from_pairs(up)], (0.0, now - 60_000));
        // A staleness marker removes the target.
        let stale = Batch::from_series("a", 7, 3, &[series(&up, now, pharos_protocol::model::stale_nan())]);
        fleet.batch("a", &stale, now + 20);
        assert!(fleet.snapshot()["a"].targets.is_empty());
    }

    #[test]
    fn a_failing_target_has_its_reason_until_it_recovers() {
        let fleet = Fleet::default();
        let now = 1_000_000;
        let up = [("__name__", "up"), ("instance", "db:9187"), ("job", "postgres")];
        let failure =
            [("__name__", TARGET_FAILURE_METRIC), ("instance", "db:9187"), ("job", "postgres"), ("reason", "timeout")];
        let other = [("__name__", "up"), ("instance", "web:80"), ("job", "web")];
        let b = Batch::from_series(
            "a",
            7,
            1,
            &[series(&up, now, 0.0), series(&failure, now, 1.0), series(&other, now, 0.0)],
        );
        fleet.batch("a", &b, now);
        let snap = fleet.snapshot();
        assert_eq!(snap["a"].last_error(&Labels::from_pairs(up)), Some("timeout"));
        assert_eq!(snap["a"].last_error(&Labels::from_pairs(other)), None, "no reason was sent for it");
        assert_eq!(snap["a"].targets.len(), 2, "the failure series is no target of its own");
        // Recovered: up 1 and the failure series ended by a staleness marker.
        let stale = pharos_protocol::model::stale_nan();
        let b = Batch::from_series("a", 7, 2, &[series(&up, now + 1000, 1.0), series(&failure, now + 1000, stale)]);
        fleet.batch("a", &b, now + 1000);
        let snap = fleet.snapshot();
        assert_eq!(snap["a"].last_error(&Labels::from_pairs(up)), None);
        assert!(snap["a"].failures.is_empty());
    }
}
