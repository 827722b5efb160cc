//! Pushed groups as stored series: what Prometheus scraping a Pushgateway with
//! `honor_labels: true` every `interval` would store. Every group's samples are written every
//! interval and right after each change of the group (so a query sees a push at once); series
//! that disappear (a family dropped by a PUT, a DELETE, the wipe, a TTL expiry) get a staleness
//! marker, as a scrape that no longer returns them would write.

use crate::storage::Storage;
use pharos_protocol::model::Series;
use pharos_pushgateway::materialize::SeriesTracker;
use pharos_pushgateway::{GroupingKey, Pushgateway};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tracing::{info, warn};

/// Writes the gateway's groups into storage, remembering what it wrote per group (the group →
/// series logic is `pharos_pushgateway::materialize`, shared with the agent).
pub struct Materializer {
    gateway: Arc<Pushgateway>,
    storage: Arc<dyn Storage>,
    tracker: Mutex<SeriesTracker>,
}

impl Materializer {
    /// A materialiser of `gateway` into `storage`.
    pub fn new(gateway: Arc<Pushgateway>, storage: Arc<dyn Storage>) -> Self {
        Materializer { gateway, storage, tracker: Mutex::new(SeriesTracker::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SeriesTracker> {
        self.tracker.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes one group's current samples (staleness markers for the series it no longer has,
    /// all of them if it is gone).
    pub fn write_group(&self, key: &GroupingKey) {
        // The lock is held through the append, so writes reach storage in timestamp order.
        let mut tracker = self.lock();
        let out = tracker.group(&self.gateway, key, crate::now_ms());
        self.append(&out);
    }

    /// Writes every group's samples, and staleness markers for groups that are gone.
    pub fn write_all(&self) {
        let mut tracker = self.lock();
        let out = tracker.all(&self.gateway, crate::now_ms());
        self.append(&out);
    }

    fn append(&self, out: &[Series]) {
        if out.is_empty() {
            return;
        }
        if let Err(e) = self.storage.append(out, None) {
            warn!(error = %e, "could not write pushed series");
        }
    }

    /// Every `interval`, writes all groups; every second, removes expired groups (writing their
    /// staleness markers) and persists the store if it changed (expiries, and writes that
    /// failed after a push). Runs until the task is dropped.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_full = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            let me = self.clone();
            let full = last_full.elapsed() >= interval;
            if full {
                last_full = tokio::time::Instant::now();
            }
            let _ = tokio::task::spawn_blocking(move || {
                if me.gateway.expire(SystemTime::now()) > 0 || full {
                    me.write_all();
                }
                if let Err(e) = me.gateway.persist() {
                    warn!(error = %e, "could not persist the pushgateway store");
                }
            })
            .await;
        }
    }

    /// Persists the store on SIGTERM, so pushes of the last second survive a clean stop.
    pub fn persist_on_sigterm(self: Arc<Self>) {
        let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) else { return };
        tokio::spawn(async move {
            if term.recv().await.is_some() {
                let me = self.clone();
                let _ = tokio::task::spawn_blocking(move || match me.gateway.persist() {
                    Ok(true) => info!("pushgateway store persisted"),
                    Ok(false) => {}
                    Err(e) => warn!(error = %e, "could not persist the pushgateway store"),
                })
                .await;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::MemoryStorage;
    use crate::storage::Matcher;
    use pharos_protocol::model::is_stale_nan;
    use pharos_pushgateway::{grouping, Options, PushRequest};

    fn push(gw: &Pushgateway, m: &Materializer, method: &str, path: &str, body: &str) {
        let req =
            PushRequest { method, path, content_type: None, content_encoding: None, ttl: None, body: body.as_bytes() };
        let resp = gw.handle(&req);
        assert!(resp.status < 300, "{method} {path}: {resp:?}");
        m.write_group(&grouping::parse_path(path).unwrap());
    }

    /// The last sample of `name{job=…}`, if any.
    fn last(storage: &MemoryStorage, name: &str, job: &str) -> Option<f64> {
        let sel = storage.select(&[Matcher::equal("__name__", name), Matcher::equal("job", job)], 0, i64::MAX).unwrap();
        sel.first().and_then(|s| s.samples.last()).map(|s| s.value)
    }

    #[test]
    fn writes_groups_and_staleness_markers() {
        let storage = Arc::new(MemoryStorage::new());
        let gw = Arc::new(Pushgateway::new(Options { admin_api: true, ..Default::default() }).unwrap());
        let m = Materializer::new(gw.clone(), storage.clone());
        push(&gw, &m, "PUT", "/metrics/job/a", "x 1\ny 2\n");
        push(&gw, &m, "PUT", "/metrics/job/b", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 3\n");
        assert_eq!(last(&storage, "x", "a"), Some(1.0));
        assert_eq!(
            last(&storage, "h_bucket", "b"),
            Some(3.0),
            "the added +Inf bucket (first by labels) holds the count"
        );
        assert!(last(&storage, "push_time_seconds", "a").is_some_and(|v| v > 1e9));
        // A PUT without y makes y stale; x gets its new value.
        push(&gw, &m, "PUT", "/metrics/job/a", "x 5\n");
        assert_eq!(last(&storage, "x", "a"), Some(5.0));
        assert!(last(&storage, "y", "a").is_some_and(is_stale_nan));
        // A DELETE makes the whole group stale, the other group untouched.
        push(&gw, &m, "DELETE", "/metrics/job/a", "");
        assert!(last(&storage, "x", "a").is_some_and(is_stale_nan));
        assert!(last(&storage, "push_time_seconds", "a").is_some_and(is_stale_nan));
        assert_eq!(last(&storage, "h_count", "b"), Some(3.0));
        // The wipe, seen by a full write.
        let wipe = PushRequest {
            method: "PUT",
            path: "/api/v1/admin/wipe",
            content_type: None,
            content_encoding: None,
            ttl: None,
            body: b"",
        };
        assert_eq!(gw.handle(&wipe).status, 202);
        m.write_all();
        assert!(last(&storage, "h_count", "b").is_some_and(is_stale_nan));
    }
}
