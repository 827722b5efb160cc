//! The pushed groups as series into the agent's pipeline: what the aggregator's materialiser
//! writes into its storage, sent as a source's batches (`Collected`) to the writer that appends
//! them to the disk buffer. Every group is sent every collection interval and a group right after
//! it changes; series that disappear get staleness markers (`pharos_pushgateway::materialize`).
//! `job`/`instance` come from the grouping key, as a Prometheus scrape of a Pushgateway with
//! `honor_labels: true` stores them: a group without `instance` in its key has no `instance`.

use crate::schedule::Collected;
use crate::uplink::now_ms;
use pharos_protocol::model::{Labels, Sample, Series};
use pharos_pushgateway::materialize::SeriesTracker;
use pharos_pushgateway::{grouping, Pushgateway};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::mpsc;
use tracing::warn;

/// The source name of the batches.
pub const SOURCE: &str = "pushgateway";

/// Pushes by response status, for `pharos_agent_pushgateway_pushes_total{code}`.
#[derive(Debug, Default)]
pub struct PushCounts(Mutex<BTreeMap<u16, u64>>);

impl PushCounts {
    /// Counts one push answered with `status`.
    pub fn count(&self, status: u16) {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry(status).or_default() += 1;
    }

    /// The counts so far.
    pub fn get(&self) -> BTreeMap<u16, u64> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Sends the gateway's groups as series, remembering what it sent per group.
pub struct Forwarder {
    gateway: Arc<Pushgateway>,
    tx: mpsc::Sender<Collected>,
    tracker: Mutex<SeriesTracker>,
    /// Held from computing a batch until it is queued, so batches reach the buffer in the order
    /// of their timestamps (a later push of a group never arrives before an earlier one).
    order: tokio::sync::Mutex<()>,
    /// Push outcomes.
    pub pushes: PushCounts,
    /// The agent's name: `instance` of the self-metrics.
    agent: String,
}

/// What to send.
enum What {
    /// Every group (and staleness markers for gone ones).
    All,
    /// One group, by its push path.
    Group(grouping::GroupingKey),
}

impl Forwarder {
    /// A forwarder of `gateway` into `tx`.
    pub fn new(gateway: Arc<Pushgateway>, tx: mpsc::Sender<Collected>, agent: &str) -> Self {
        Forwarder {
            gateway,
            tx,
            tracker: Mutex::new(SeriesTracker::new()),
            order: tokio::sync::Mutex::new(()),
            pushes: PushCounts::default(),
            agent: agent.to_string(),
        }
    }

    /// Sends what a change at `path` changed: the group of a push path, everything otherwise
    /// (the wipe).
    pub async fn changed(&self, path: &str) {
        match grouping::parse_path(path) {
            Ok(key) => self.send(What::Group(key), false).await,
            Err(_) => self.send(What::All, false).await,
        }
    }

    /// Sends every group's series now.
    pub async fn send_all(&self) {
        self.send(What::All, false).await;
    }

    /// Removes expired groups; if there were any, sends their staleness markers now. (On the
    /// runtime's thread: a walk over the groups' expiry times under the store's lock.)
    pub async fn expire(&self) {
        if self.gateway.expire(SystemTime::now()) > 0 {
            self.send_all().await;
        }
    }

    async fn send(&self, what: What, with_self_metrics: bool) {
        let _order = self.order.lock().await;
        // Computed on the runtime's thread: a walk over the pushed metrics (microseconds for
        // the usual few groups, milliseconds for the largest allowed push), and no trip to the
        // blocking pool, whose idle thread would otherwise stay resident.
        let mut series = {
            let mut t = self.tracker.lock().unwrap_or_else(|p| p.into_inner());
            match what {
                What::All => t.all(&self.gateway, now_ms()),
                What::Group(key) => t.group(&self.gateway, &key, now_ms()),
            }
        };
        if with_self_metrics {
            series.extend(self.self_metrics(now_ms()));
        }
        if series.is_empty() {
            return;
        }
        // Waits while the writer is behind (the channel is bounded); never drops.
        if self.tx.send(Collected { source: SOURCE.to_string(), series }).await.is_err() {
            warn!("the writer has stopped; pushed series are not forwarded");
        }
    }

    /// `pharos_agent_pushgateway_pushes_total{code}` and `pharos_agent_pushgateway_groups`.
    fn self_metrics(&self, ts: i64) -> Vec<Series> {
        let one = |name: &str, extra: Option<(&str, String)>, value: f64| {
            let mut labels = Labels::from_pairs([("__name__", name), ("job", "pharos-agent")]);
            labels.set("instance", &self.agent);
            if let Some((n, v)) = extra {
                labels.set(n, &v);
            }
            Series { labels, samples: vec![Sample { timestamp_ms: ts, value }] }
        };
        // After a full send, the groups the tracker wrote are the live ones (each has at least
        // its push-time gauges), without copying the store to count them.
        let groups = self.tracker.lock().unwrap_or_else(|p| p.into_inner()).groups();
        let mut out = vec![one("pharos_agent_pushgateway_groups", None, groups as f64)];
        for (code, n) in self.pushes.get() {
            out.push(one("pharos_agent_pushgateway_pushes_total", Some(("code", code.to_string())), n as f64));
        }
        out
    }

    /// Every `interval`, sends every group (with the self-metrics); every second, removes
    /// expired groups (sending their staleness markers) and persists the store if it changed
    /// without being written (expiries, a failed write after a push). Runs until the runtime
    /// stops.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        // At start: the groups that survived a restart are sent at once.
        self.send(What::All, true).await;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_full = tokio::time::Instant::now();
        // Pushes persist the store themselves; this catches expiries and failed writes. Only a
        // change since the last successful write costs a trip to the blocking pool.
        let mut persisted = self.gateway.generation();
        loop {
            tick.tick().await;
            if last_full.elapsed() >= interval {
                last_full = tokio::time::Instant::now();
                self.send(What::All, true).await;
            }
            self.expire().await;
            let generation = self.gateway.generation();
            if generation != persisted {
                let gateway = self.gateway.clone();
                match tokio::task::spawn_blocking(move || gateway.persist()).await {
                    Ok(Ok(_)) => persisted = generation,
                    Ok(Err(e)) => warn!(error = %e, "could not persist the pushgateway store"),
                    Err(_) => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::model::is_stale_nan;
    use pharos_pushgateway::{Options, PushRequest};

    fn push(gw: &Pushgateway, method: &str, path: &str, body: &str, ttl: Option<&str>) -> u16 {
        let req = PushRequest { method, path, content_type: None, content_encoding: None, ttl, body: body.as_bytes() };
        gw.handle(&req).status
    }

    fn value(c: &Collected, name: &str, job: &str) -> Option<f64> {
        c.series
            .iter()
            .find(|s| s.labels.get("__name__") == Some(name) && s.labels.get("job") == Some(job))
            .map(|s| s.samples[0].value)
    }

    #[tokio::test]
    async fn groups_become_series_with_staleness_and_self_metrics() {
        let gw = Arc::new(Pushgateway::new(Options::default()).unwrap());
        let (tx, mut rx) = mpsc::channel(8);
        let f = Forwarder::new(gw.clone(), tx, "h1");
        assert_eq!(push(&gw, "PUT", "/metrics/job/a/instance/i", "x 1\ny 2\n", None), 200);
        f.changed("/metrics/job/a/instance/i").await;
        let c = rx.recv().await.unwrap();
        assert_eq!(c.source, SOURCE);
        assert_eq!(value(&c, "x", "a"), Some(1.0));
        let x = c.series.iter().find(|s| s.labels.get("__name__") == Some("x")).unwrap();
        assert_eq!(x.labels.get("instance"), Some("i"));
        assert!(value(&c, "push_time_seconds", "a").is_some_and(|v| v > 1e9));
        assert_eq!(push(&gw, "PUT", "/metrics/job/a/instance/i", "x 3\n", None), 200);
        f.changed("/metrics/job/a/instance/i").await;
        let c = rx.recv().await.unwrap();
        assert_eq!(value(&c, "x", "a"), Some(3.0));
        assert!(value(&c, "y", "a").is_some_and(is_stale_nan));
        // A group without instance: none added (not the agent's name).
        assert_eq!(push(&gw, "PUT", "/metrics/job/b", "z 1\n", None), 200);
        f.changed("/metrics/job/b").await;
        let c = rx.recv().await.unwrap();
        let z = c.series.iter().find(|s| s.labels.get("__name__") == Some("z")).unwrap();
        assert_eq!(z.labels.get("instance"), None);
        // A full send carries the self-metrics.
        f.pushes.count(200);
        f.pushes.count(400);
        f.send(What::All, true).await;
        let c = rx.recv().await.unwrap();
        assert_eq!(value(&c, "pharos_agent_pushgateway_groups", "pharos-agent"), Some(2.0));
        let codes: Vec<_> = c
            .series
            .iter()
            .filter(|s| s.labels.get("__name__") == Some("pharos_agent_pushgateway_pushes_total"))
            .map(|s| (s.labels.get("code").unwrap_or("").to_string(), s.labels.get("instance").map(str::to_string)))
            .collect();
        assert_eq!(codes, [("200".into(), Some("h1".into())), ("400".into(), Some("h1".into()))]);
    }

    #[tokio::test]
    async fn an_expired_group_is_sent_stale() {
        let gw = Arc::new(Pushgateway::new(Options::default()).unwrap());
        let (tx, mut rx) = mpsc::channel(8);
        let f = Forwarder::new(gw.clone(), tx, "h1");
        assert_eq!(push(&gw, "PUT", "/metrics/job/t", "t 1\n", Some("50ms")), 200);
        f.send_all().await;
        assert_eq!(value(&rx.recv().await.unwrap(), "t", "t"), Some(1.0));
        f.expire().await;
        assert!(rx.try_recv().is_err(), "nothing expired yet");
        tokio::time::sleep(Duration::from_millis(80)).await;
        f.expire().await;
        let c = rx.recv().await.unwrap();
        assert!(value(&c, "t", "t").is_some_and(is_stale_nan));
        assert!(value(&c, "push_time_seconds", "t").is_some_and(is_stale_nan));
    }
}
