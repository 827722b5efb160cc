//! The notification pipeline one flush of an aggregation group runs, in Alertmanager 0.25's
//! order (`notify/notify.go`): mute by inhibition, time active, time mute, mute by silence; then
//! for each integration of the receiver, concurrently: dedup against the notification log,
//! send with retries (exponential backoff until the group's next flush for retryable errors),
//! and log the notification on success. The wait stage of a cluster and gossip settling have no
//! place in a single instance and are left out.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pharos_protocol::Labels;

use super::dispatch::clock::{Clock, Sleeper};
use super::inhibit::Inhibitor;
use super::nflog::{duration_ms, hash_alert, Entry, NotificationLog, ReceiverKey};
use super::route::RouteOpts;
use super::silence::Silences;
use super::store::{fingerprint_hex, AlertStore, Marker};
use super::timeinterval::TimeInterval;
use super::types::{Alert, Integration, NotifyContext, NotifyError};

/// Counters of one integration kind (Alertmanager's `alertmanager_notifications_total`,
/// `..._failed_total`, `alertmanager_notification_requests_total`, `..._failed_total`).
#[derive(Debug, Default)]
pub struct IntegrationCounters {
    /// Notifications attempted (after dedup).
    pub notifications_total: AtomicU64,
    /// Notifications that finally failed.
    pub notifications_failed_total: AtomicU64,
    /// Requests sent, retries included.
    pub requests_total: AtomicU64,
    /// Requests that failed.
    pub requests_failed_total: AtomicU64,
}

/// The pipeline's self-metrics by integration kind, for whoever exports them.
#[derive(Debug, Default)]
pub struct NotifyMetrics {
    kinds: Mutex<BTreeMap<String, Arc<IntegrationCounters>>>,
}

impl NotifyMetrics {
    /// The counters of an integration kind, created at zero on first use.
    pub fn counters(&self, kind: &str) -> Arc<IntegrationCounters> {
        let mut m = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(kind.to_string()).or_default().clone()
    }

    /// All kinds seen so far with their counters, by kind.
    pub fn all(&self) -> Vec<(String, Arc<IntegrationCounters>)> {
        let m = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// Exponential backoff between retries, as the `backoff` package Alertmanager uses by
/// default: 500ms, ×1.5 per attempt, capped at 60s, each randomised by ±50%.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { next: Duration::from_millis(500) }
    }
}

impl Backoff {
    /// The wait before the next attempt.
    pub fn next_wait(&mut self) -> Duration {
        let base = self.next;
        self.next = base.mul_f64(1.5).min(Duration::from_secs(60));
        base.mul_f64(rand::random_range(0.5..1.5))
    }
}

/// One flush of an aggregation group.
#[derive(Debug, Clone)]
pub struct Flush {
    /// The route's options (receiver, repeat interval, time intervals).
    pub opts: RouteOpts,
    /// The group's key.
    pub group_key: String,
    /// The labels the group was formed on.
    pub group_labels: Labels,
    /// The group's alerts; firing ones have `ends_at_ms == 0` (upstream zeroes the end of
    /// alerts not resolved at flush time so they do not resolve during the pipeline).
    pub alerts: Vec<Alert>,
    /// The flush's time, milliseconds since the Unix epoch.
    pub now_ms: i64,
    /// Retries stop at this time (the group's next flush).
    pub deadline_ms: i64,
}

/// Why a flush did not notify every integration.
#[derive(Debug, thiserror::Error)]
#[error("{receiver}: {} integration(s) failed: {}", .errors.len(), .errors.join("; "))]
pub struct PipelineError {
    /// The receiver.
    pub receiver: String,
    /// One message per failed integration (`kind[idx]: message`).
    pub errors: Vec<String>,
}

/// Everything a flush needs; rebuilt on reload (the state parts are shared).
pub struct Pipeline {
    /// Inhibition rules.
    pub inhibitor: Inhibitor,
    /// Named time intervals of the configuration.
    pub time_intervals: HashMap<String, Vec<TimeInterval>>,
    /// Integrations by receiver name.
    pub receivers: HashMap<String, Vec<Arc<dyn Integration>>>,
    /// All alerts (the inhibition sources).
    pub store: Arc<AlertStore>,
    /// Alert statuses.
    pub marker: Arc<Marker>,
    /// Silences.
    pub silences: Arc<Silences>,
    /// The notification log.
    pub nflog: Arc<NotificationLog>,
    /// Self-metrics.
    pub metrics: Arc<NotifyMetrics>,
    /// Time source of dedup, logging and retry deadlines.
    pub clock: Arc<dyn Clock>,
    /// Waits between retries.
    pub sleeper: Arc<dyn Sleeper>,
    /// External URL passed to integrations.
    pub external_url: String,
}

impl Pipeline {
    /// Whether the label set is inhibited by a firing alert at `now_ms`; marks the alert's
    /// `inhibitedBy` either way.
    pub fn inhibited(&self, labels: &Labels, firing: &[Alert]) -> bool {
        let by = self.inhibitor.inhibiting(labels, firing, |a| &a.labels);
        let fp = super::types::fingerprint(labels);
        self.marker.set_inhibited(fp, by.map(|a| vec![fingerprint_hex(a.fingerprint())]).unwrap_or_default());
        by.is_some()
    }

    /// Whether an active silence mutes the label set at `now_ms`; marks the alert's
    /// `silencedBy` either way.
    pub fn silenced(&self, labels: &Labels, now_ms: i64) -> bool {
        let (active, pending) = self.silences.mutes(labels, now_ms);
        let muted = !active.is_empty();
        self.marker.set_silenced(super::types::fingerprint(labels), active, pending);
        muted
    }

    /// Refreshes an alert's status in the marker (inhibition, then silences), as the API does
    /// before reporting it.
    pub fn refresh_status(&self, labels: &Labels, firing: &[Alert], now_ms: i64) {
        self.inhibited(labels, firing);
        self.silenced(labels, now_ms);
    }

    /// Runs the pipeline for one flush. `Ok` when every integration either had nothing new to
    /// send or sent successfully.
    pub async fn exec(&self, flush: &Flush) -> Result<(), PipelineError> {
        let now = flush.now_ms;
        let firing = self.store.firing(now);
        let alerts: Vec<Alert> = flush.alerts.iter().filter(|a| !self.inhibited(&a.labels, &firing)).cloned().collect();
        if alerts.is_empty() {
            return Ok(());
        }
        let t = DateTime::<Utc>::from_timestamp_millis(now).unwrap_or_default();
        if flush.opts.is_muted_at(&self.time_intervals, t) {
            tracing::debug!(group = %flush.group_key, "notifications not sent: route muted by its time intervals");
            return Ok(());
        }
        let alerts: Vec<Alert> = alerts.into_iter().filter(|a| !self.silenced(&a.labels, now)).collect();
        if alerts.is_empty() {
            return Ok(());
        }
        let receiver = &flush.opts.receiver;
        let Some(integrations) = self.receivers.get(receiver) else {
            tracing::warn!(receiver = %receiver, "no integrations registered for receiver");
            return Ok(());
        };
        let ctx = NotifyContext {
            receiver: receiver.clone(),
            group_key: flush.group_key.clone(),
            group_labels: flush.group_labels.clone(),
            external_url: self.external_url.clone(),
            now_ms: now,
        };
        let mut per_kind: HashMap<&str, u32> = HashMap::new();
        let jobs = integrations.iter().map(|integ| {
            let idx = per_kind.entry(integ.kind()).or_insert(0);
            let key = ReceiverKey { group_name: receiver.clone(), integration: integ.kind().to_string(), idx: *idx };
            *idx += 1;
            let (ctx, alerts) = (&ctx, &alerts);
            async move {
                let r = self.integration_stage(flush, integ.as_ref(), &key, ctx, alerts).await;
                r.map_err(|e| format!("{}[{}]: {}", key.integration, key.idx, e))
            }
        });
        let errors: Vec<String> = futures::future::join_all(jobs).await.into_iter().filter_map(Result::err).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(PipelineError { receiver: receiver.clone(), errors })
        }
    }

    /// Dedup, retry and log for one integration.
    async fn integration_stage(
        &self,
        flush: &Flush,
        integ: &dyn Integration,
        key: &ReceiverKey,
        ctx: &NotifyContext,
        alerts: &[Alert],
    ) -> Result<(), NotifyError> {
        let (mut firing, mut resolved) = (Vec::new(), Vec::new());
        for a in alerts {
            let h = hash_alert(&a.labels);
            if a.resolved_at(flush.now_ms) {
                resolved.push(h);
            } else {
                firing.push(h);
            }
        }
        let entry = self.nflog.query(&flush.group_key, key);
        let repeat = flush.opts.repeat_interval;
        if !needs_update(entry.as_ref(), &firing, &resolved, integ.send_resolved(), repeat, self.clock.now_ms()) {
            return Ok(());
        }
        let counters = self.metrics.counters(integ.kind());
        counters.notifications_total.fetch_add(1, Ordering::Relaxed);
        let sent = self.retry(flush, integ, ctx, alerts, firing.is_empty(), &counters).await;
        if let Err(e) = sent {
            counters.notifications_failed_total.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(receiver = %key.group_name, integration = %key.integration, err = %e, "notify failed");
            return Err(e);
        }
        self.nflog.log(key, &flush.group_key, firing, resolved, repeat.saturating_mul(2), self.clock.now_ms());
        Ok(())
    }

    /// Sends with exponential backoff until success, a non-retryable error, or the deadline.
    /// Without `send_resolved` only firing alerts are sent, and a flush with none counts as sent
    /// (so the log still records the resolution).
    async fn retry(
        &self,
        flush: &Flush,
        integ: &dyn Integration,
        ctx: &NotifyContext,
        alerts: &[Alert],
        no_firing: bool,
        counters: &IntegrationCounters,
    ) -> Result<(), NotifyError> {
        let only_firing: Vec<Alert>;
        let sent: &[Alert] = if integ.send_resolved() {
            alerts
        } else {
            if no_firing {
                return Ok(());
            }
            only_firing = alerts.iter().filter(|a| !a.resolved_at(flush.now_ms)).cloned().collect();
            &only_firing
        };
        let mut backoff = Backoff::default();
        let mut last: Option<NotifyError> = None;
        let mut attempts = 0u32;
        loop {
            let remaining = flush.deadline_ms.saturating_sub(self.clock.now_ms());
            if remaining <= 0 {
                let why = last.map_or_else(|| "context deadline exceeded".to_string(), |e| e.message);
                return Err(NotifyError::retry(format!("notify retry canceled after {attempts} attempts: {why}")));
            }
            attempts += 1;
            counters.requests_total.fetch_add(1, Ordering::Relaxed);
            let budget = Duration::from_millis(u64::try_from(remaining).unwrap_or(0));
            let res = match tokio::time::timeout(budget, integ.notify(ctx, sent)).await {
                Ok(r) => r,
                Err(_) => Err(NotifyError::retry("context deadline exceeded")),
            };
            match res {
                Ok(()) => return Ok(()),
                Err(e) => {
                    counters.requests_failed_total.fetch_add(1, Ordering::Relaxed);
                    if !e.retryable {
                        return Err(NotifyError::fatal(format!(
                            "notify retry canceled due to unrecoverable error after {attempts} attempts: {}",
                            e.message
                        )));
                    }
                    tracing::debug!(attempts, err = %e, "notify attempt failed, will retry");
                    last = Some(e);
                }
            }
            let left = flush.deadline_ms.saturating_sub(self.clock.now_ms());
            let wait = backoff.next_wait().min(Duration::from_millis(u64::try_from(left.max(0)).unwrap_or(0)));
            self.sleeper.sleep(wait).await;
        }
    }
}

/// Upstream's `DedupStage.needsUpdate`: notify when nothing was logged yet and something fires;
/// when a firing alert was not firing at the last notification; when everything resolved that
/// was firing; with `send_resolved`, when an alert resolved since; else once the repeat interval
/// has passed since the last notification.
pub fn needs_update(
    entry: Option<&Entry>,
    firing: &[u64],
    resolved: &[u64],
    send_resolved: bool,
    repeat: Duration,
    now_ms: i64,
) -> bool {
    let Some(entry) = entry else { return !firing.is_empty() };
    if !entry.is_firing_subset(firing) {
        return true;
    }
    if firing.is_empty() {
        // Sent even without send_resolved, so the log forgets the firing alerts.
        return !entry.firing_alerts.is_empty();
    }
    if send_resolved && !entry.is_resolved_subset(resolved) {
        return true;
    }
    entry.timestamp_ms < now_ms.saturating_sub(duration_ms(repeat))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ts: i64, firing: &[u64], resolved: &[u64]) -> Entry {
        Entry {
            group_key: "g".into(),
            receiver: ReceiverKey { group_name: "r".into(), integration: "webhook".into(), idx: 0 },
            timestamp_ms: ts,
            firing_alerts: firing.to_vec(),
            resolved_alerts: resolved.to_vec(),
            expires_at_ms: i64::MAX,
        }
    }

    #[test]
    fn needs_update_cases() {
        let rep = Duration::from_secs(3600);
        let now = 10 * 3_600_000;
        // Nothing logged: only firing alerts warrant a notification.
        assert!(needs_update(None, &[1], &[], true, rep, now));
        assert!(!needs_update(None, &[], &[2], true, rep, now));
        let e = entry(now - 1000, &[1, 2], &[]);
        assert!(needs_update(Some(&e), &[1, 3], &[], false, rep, now), "new firing alert");
        assert!(!needs_update(Some(&e), &[1], &[2], false, rep, now), "resolved without send_resolved");
        assert!(needs_update(Some(&e), &[1], &[2], true, rep, now), "resolved with send_resolved");
        assert!(needs_update(Some(&e), &[], &[1, 2], false, rep, now), "all resolved: clear the log");
        let quiet = entry(now - 1000, &[], &[1]);
        assert!(!needs_update(Some(&quiet), &[], &[1], true, rep, now));
        assert!(!needs_update(Some(&e), &[1, 2], &[], true, rep, now), "unchanged within repeat");
        let old = entry(now - 3_600_001, &[1, 2], &[]);
        assert!(needs_update(Some(&old), &[1, 2], &[], true, rep, now), "repeat interval passed");
        let exact = entry(now - 3_600_000, &[1, 2], &[]);
        assert!(!needs_update(Some(&exact), &[1, 2], &[], true, rep, now), "strictly before");
    }

    #[test]
    fn backoff_grows_and_caps() {
        let mut b = Backoff::default();
        let first = b.next_wait();
        assert!(first >= Duration::from_millis(250) && first <= Duration::from_millis(750));
        for _ in 0..30 {
            b.next_wait();
        }
        let late = b.next_wait();
        assert!(late >= Duration::from_secs(30) && late <= Duration::from_secs(90), "{late:?}");
    }
}
