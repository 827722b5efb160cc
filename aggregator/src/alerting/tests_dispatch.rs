//! Dispatcher and pipeline behaviour against upstream's semantics, driven by a manual clock:
//! timers, batching, send_resolved, inhibition, silences, time intervals, retries.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pharos_protocol::Labels;

use super::clock::{Clock, ManualClock, ManualSleeper};
use super::Dispatcher;
use crate::alerting::config::Config;
use crate::alerting::inhibit::Inhibitor;
use crate::alerting::matcher::parse_matchers;
use crate::alerting::nflog::NotificationLog;
use crate::alerting::notify::{NotifyMetrics, Pipeline};
use crate::alerting::route::Route;
use crate::alerting::silence::{Silence, Silences, DEFAULT_RETENTION};
use crate::alerting::store::{fingerprint_hex, prepare_alert, AlertState, AlertStore, Marker};
use crate::alerting::types::{Alert, Integration, NotifyContext, NotifyError, NotifyFuture};

/// 2023-11-14T22:13:20Z, a Tuesday.
pub(crate) const T0: i64 = 1_700_000_000_000;
pub(crate) const S: i64 = 1000;
pub(crate) const M: i64 = 60 * S;

/// One notification a [`RecordingIntegration`] received.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sent {
    /// The clock when it was sent.
    pub at_ms: i64,
    pub group_key: String,
    /// `alertname` (then `instance` when set) and whether the alert was resolved.
    pub alerts: Vec<(String, bool)>,
}

/// A test integration recording what it is asked to send; it can be told to fail.
pub(crate) struct RecordingIntegration {
    kind: &'static str,
    send_resolved: bool,
    clock: Arc<ManualClock>,
    pub sent: Mutex<Vec<Sent>>,
    pub attempts: Mutex<Vec<i64>>,
    /// Consumed one per attempt before succeeding.
    pub failures: Mutex<VecDeque<NotifyError>>,
    /// Fail every attempt with a retryable error.
    pub always_fail: bool,
}

impl RecordingIntegration {
    pub(crate) fn new(kind: &'static str, send_resolved: bool, clock: &Arc<ManualClock>) -> Arc<Self> {
        Arc::new(RecordingIntegration {
            kind,
            send_resolved,
            clock: Arc::clone(clock),
            sent: Mutex::new(Vec::new()),
            attempts: Mutex::new(Vec::new()),
            failures: Mutex::new(VecDeque::new()),
            always_fail: false,
        })
    }

    pub(crate) fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }
}

impl Integration for RecordingIntegration {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn send_resolved(&self) -> bool {
        self.send_resolved
    }

    fn notify<'a>(&'a self, ctx: &'a NotifyContext, alerts: &'a [Alert]) -> NotifyFuture<'a> {
        Box::pin(async move {
            let now = self.clock.now_ms();
            self.attempts.lock().unwrap().push(now);
            if self.always_fail {
                return Err(NotifyError::retry("HTTP 503"));
            }
            if let Some(e) = self.failures.lock().unwrap().pop_front() {
                return Err(e);
            }
            let alerts = alerts
                .iter()
                .map(|a| {
                    let mut name = a.name().to_string();
                    if let Some(i) = a.labels.get("instance") {
                        name = format!("{name}/{i}");
                    }
                    (name, a.resolved_at(ctx.now_ms))
                })
                .collect();
            self.sent.lock().unwrap().push(Sent { at_ms: now, group_key: ctx.group_key.clone(), alerts });
            Ok(())
        })
    }
}

pub(crate) fn labels(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

pub(crate) fn alert(pairs: &[(&str, &str)], starts_at_ms: i64, ends_at_ms: i64) -> Alert {
    Alert {
        labels: labels(pairs),
        annotations: BTreeMap::new(),
        starts_at_ms,
        ends_at_ms,
        generator_url: String::new(),
        updated_at_ms: 0,
        timeout: false,
    }
}

struct Harness {
    clock: Arc<ManualClock>,
    disp: Arc<Dispatcher>,
    store: Arc<AlertStore>,
    silences: Arc<Silences>,
    marker: Arc<Marker>,
    metrics: Arc<NotifyMetrics>,
    nflog: Arc<NotificationLog>,
    resolve_timeout: Duration,
}

fn harness(yaml: &str, integrations: &[(&str, Vec<Arc<RecordingIntegration>>)], clock: Arc<ManualClock>) -> Harness {
    let cfg = Config::load(yaml).unwrap();
    let store = Arc::new(AlertStore::new());
    let silences = Arc::new(Silences::new(DEFAULT_RETENTION));
    let marker = Arc::new(Marker::new());
    let metrics = Arc::new(NotifyMetrics::default());
    let nflog = Arc::new(NotificationLog::new(DEFAULT_RETENTION));
    let receivers = integrations
        .iter()
        .map(|(n, v)| (n.to_string(), v.iter().map(|i| Arc::clone(i) as Arc<dyn Integration>).collect()))
        .collect();
    let pipeline = Arc::new(Pipeline {
        inhibitor: Inhibitor::new(&cfg.inhibit_rules),
        time_intervals: cfg.time_interval_map(),
        receivers,
        store: Arc::clone(&store),
        marker: Arc::clone(&marker),
        silences: Arc::clone(&silences),
        nflog: Arc::clone(&nflog),
        metrics: Arc::clone(&metrics),
        clock: clock.clone(),
        sleeper: Arc::new(ManualSleeper(Arc::clone(&clock))),
        external_url: "http://am".into(),
    });
    let disp = Dispatcher::new(Route::new(&cfg.route), pipeline, clock.clone());
    Harness { clock, disp, store, silences, marker, metrics, nflog, resolve_timeout: cfg.global.resolve_timeout }
}

impl Harness {
    /// Receives an alert now, as `POST /api/v2/alerts` does.
    fn put(&self, a: Alert) {
        let now = self.clock.now_ms();
        let a = prepare_alert(a, now, self.resolve_timeout).unwrap();
        let stored = self.store.put(a, now);
        self.disp.process(&stored);
    }

    /// Lets time pass until `t`, running every flush at its deadline.
    async fn advance_to(&self, t: i64) {
        while let Some(d) = self.disp.next_deadline().filter(|d| *d <= t) {
            if d > self.clock.now_ms() {
                self.clock.set(d);
            }
            self.disp.run_due().await;
        }
        if t > self.clock.now_ms() {
            self.clock.set(t);
        }
    }
}

const BASE: &str = "
global:
  resolve_timeout: 24h
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
";

fn one(alerts: &[(&str, bool)]) -> Vec<(String, bool)> {
    alerts.iter().map(|(n, r)| (n.to_string(), *r)).collect()
}

#[tokio::test]
async fn group_wait_then_group_interval_batch_alerts() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let h = harness(BASE, &[("team", vec![hook.clone()])], clock);
    h.put(alert(&[("alertname", "A"), ("instance", "1")], T0, 0));
    h.advance_to(T0 + 10 * S).await;
    h.put(alert(&[("alertname", "A"), ("instance", "2")], T0 + 10 * S, 0));
    h.advance_to(T0 + 30 * S - 1).await;
    assert!(hook.sent().is_empty(), "nothing before group_wait");
    h.advance_to(T0 + 30 * S).await;
    let sent = hook.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].at_ms, T0 + 30 * S);
    assert_eq!(sent[0].group_key, "{}:{alertname=\"A\"}");
    assert_eq!(sent[0].alerts, one(&[("A/1", false), ("A/2", false)]));
    // A new alert of the group waits for the next group_interval tick.
    h.advance_to(T0 + M).await;
    h.put(alert(&[("alertname", "A"), ("instance", "3")], T0 + M, 0));
    h.advance_to(T0 + 330 * S - 1).await;
    assert_eq!(hook.sent().len(), 1);
    h.advance_to(T0 + 330 * S).await;
    assert_eq!(hook.sent()[1].alerts.len(), 3);
    // Nothing changed: no notification on later ticks before repeat_interval.
    h.put(alert(&[("alertname", "A"), ("instance", "3")], T0 + M, 0));
    h.advance_to(T0 + 3 * 3600 * S).await;
    assert_eq!(hook.sent().len(), 2);
    // Another alertname is another group with its own group_wait.
    h.put(alert(&[("alertname", "B")], T0 + 3 * 3600 * S, 0));
    assert_eq!(h.disp.group_count(), 2);
}

#[tokio::test]
async fn many_alerts_of_one_group_make_one_notification() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let h = harness(BASE, &[("team", vec![hook.clone()])], clock);
    for i in 0..50 {
        h.put(alert(&[("alertname", "A"), ("instance", &format!("{i:02}"))], T0, 0));
    }
    h.advance_to(T0 + 30 * S).await;
    let sent = hook.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].alerts.len(), 50);
    assert_eq!(sent[0].alerts[0].0, "A/00", "sorted by instance");
}

#[tokio::test]
async fn repeat_interval_resends_on_the_next_tick_after_it() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let yaml = BASE.replace("repeat_interval: 4h", "repeat_interval: 1h");
    let h = harness(&yaml, &[("team", vec![hook.clone()])], clock);
    // Prometheus re-sends a firing alert regularly; each resend refreshes it.
    h.put(alert(&[("alertname", "A")], T0, T0 + 4 * M));
    let mut t = T0;
    while t < T0 + 9000 * S {
        t += M;
        h.advance_to(t).await;
        h.put(alert(&[("alertname", "A")], T0, t + 4 * M));
    }
    let times: Vec<i64> = hook.sent().iter().map(|s| (s.at_ms - T0) / S).collect();
    // First at group_wait; then the repeat (1h after 30s) falls exactly on a tick, which is not
    // strictly after it, so the resend comes one group_interval later; same again.
    assert_eq!(times, vec![30, 30 + 13 * 300, 30 + 26 * 300]);
}

#[tokio::test]
async fn alert_older_than_group_wait_flushes_at_once() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let h = harness(BASE, &[("team", vec![hook.clone()])], clock);
    h.put(alert(&[("alertname", "A")], T0 - 3600 * S, 0));
    assert_eq!(h.disp.next_deadline(), Some(T0));
    h.advance_to(T0).await;
    assert_eq!(hook.sent().len(), 1);
}

#[tokio::test]
async fn resolved_notifications_only_with_send_resolved() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let mail = RecordingIntegration::new("email", false, &clock);
    let h = harness(BASE, &[("team", vec![hook.clone(), mail.clone()])], clock);
    h.put(alert(&[("alertname", "A"), ("instance", "1")], T0, 0));
    h.put(alert(&[("alertname", "A"), ("instance", "2")], T0, 0));
    h.advance_to(T0 + 30 * S).await;
    assert_eq!((hook.sent().len(), mail.sent().len()), (1, 1));
    // Instance 2 resolves: the webhook hears of it, e-mail does not.
    h.advance_to(T0 + 2 * M).await;
    h.put(alert(&[("alertname", "A"), ("instance", "2")], T0, T0 + 2 * M));
    h.advance_to(T0 + 330 * S).await;
    assert_eq!(hook.sent()[1].alerts, one(&[("A/1", false), ("A/2", true)]));
    assert_eq!(mail.sent().len(), 1);
    // The resolved alert was notified: it leaves the group and is not sent again.
    h.advance_to(T0 + 630 * S).await;
    assert_eq!(hook.sent().len(), 2);
    // All resolved: the webhook gets a resolved notification; e-mail sends nothing, but the
    // log is cleared so a new firing is notified again.
    h.put(alert(&[("alertname", "A"), ("instance", "1")], T0, T0 + 11 * M));
    h.advance_to(T0 + 930 * S).await;
    assert_eq!(hook.sent()[2].alerts, one(&[("A/1", true)]));
    assert_eq!(mail.sent().len(), 1);
    let gk = "{}:{alertname=\"A\"}";
    let mail_key =
        crate::alerting::nflog::ReceiverKey { group_name: "team".into(), integration: "email".into(), idx: 0 };
    assert!(h.nflog.query(gk, &mail_key).unwrap().firing_alerts.is_empty());
    // The empty group is deleted on the next pass.
    h.advance_to(T0 + 1230 * S).await;
    assert_eq!(h.disp.group_count(), 0);
    assert_eq!(h.metrics.counters("email").notifications_total.load(Ordering::Relaxed), 2);
    assert_eq!(h.metrics.counters("webhook").notifications_total.load(Ordering::Relaxed), 3);
}

#[tokio::test]
async fn critical_inhibits_warning_with_equal_instance() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let yaml = format!(
        "{BASE}inhibit_rules:\n  - source_matchers: [severity=\"critical\"]\n    target_matchers: [severity=\"warning\"]\n    equal: [instance]\n"
    )
    .replace("group_by: [alertname]", "group_by: []");
    let h = harness(&yaml, &[("team", vec![hook.clone()])], clock);
    let warn_a = alert(&[("alertname", "W"), ("severity", "warning"), ("instance", "a")], T0, 0);
    h.put(warn_a.clone());
    h.put(alert(&[("alertname", "W"), ("severity", "warning"), ("instance", "b")], T0, 0));
    let crit = alert(&[("alertname", "C"), ("severity", "critical"), ("instance", "a")], T0, 0);
    h.put(crit.clone());
    h.advance_to(T0 + 30 * S).await;
    assert_eq!(hook.sent()[0].alerts, one(&[("C/a", false), ("W/b", false)]));
    let st = h.marker.status(warn_a.fingerprint());
    assert_eq!(st.state, AlertState::Suppressed);
    assert_eq!(st.inhibited_by, vec![fingerprint_hex(crit.fingerprint())]);
    // The critical resolves: the warning is no longer inhibited.
    h.advance_to(T0 + M).await;
    h.put(alert(&[("alertname", "C"), ("severity", "critical"), ("instance", "a")], T0, T0 + M));
    h.advance_to(T0 + 330 * S).await;
    assert_eq!(hook.sent()[1].alerts, one(&[("C/a", true), ("W/a", false), ("W/b", false)]));
    assert_eq!(h.marker.status(warn_a.fingerprint()).state, AlertState::Active);
}

#[tokio::test]
async fn silences_mute_until_expired() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let h = harness(&BASE.replace("group_by: [alertname]", "group_by: []"), &[("team", vec![hook.clone()])], clock);
    let sil = Silence {
        id: String::new(),
        matchers: parse_matchers("alertname=\"A\"").unwrap(),
        starts_at_ms: T0,
        ends_at_ms: T0 + 3600 * S,
        updated_at_ms: 0,
        created_by: "me".into(),
        comment: "maintenance".into(),
    };
    let id = h.silences.set(sil, T0).unwrap();
    let a = alert(&[("alertname", "A")], T0, 0);
    h.put(a.clone());
    h.put(alert(&[("alertname", "B")], T0, 0));
    h.advance_to(T0 + 30 * S).await;
    assert_eq!(hook.sent()[0].alerts, one(&[("B", false)]));
    let st = h.marker.status(a.fingerprint());
    assert_eq!((st.state, st.silenced_by.clone()), (AlertState::Suppressed, vec![id.clone()]));
    // Still silenced on the next tick: nothing new to send.
    h.advance_to(T0 + 330 * S).await;
    assert_eq!(hook.sent().len(), 1);
    h.silences.expire(&id, T0 + 6 * M).unwrap();
    h.advance_to(T0 + 630 * S).await;
    assert_eq!(hook.sent()[1].alerts, one(&[("A", false), ("B", false)]));
    assert_eq!(h.marker.status(a.fingerprint()).state, AlertState::Active);
}

#[tokio::test]
async fn mute_and_active_time_intervals() {
    let clock = Arc::new(ManualClock::new(T0));
    let x = RecordingIntegration::new("webhook", true, &clock);
    let y = RecordingIntegration::new("webhook", true, &clock);
    // T0 is 22:13:20 UTC; the interval is 22:00-23:00.
    let yaml = "
global:
  resolve_timeout: 24h
route:
  receiver: x
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  routes:
    - matchers: [team=\"x\"]
      receiver: x
      mute_time_intervals: [night]
    - matchers: [team=\"y\"]
      receiver: y
      active_time_intervals: [night]
receivers:
  - name: x
  - name: y
time_intervals:
  - name: night
    time_intervals:
      - times: [{start_time: '22:00', end_time: '23:00'}]
";
    let h = harness(yaml, &[("x", vec![x.clone()]), ("y", vec![y.clone()])], clock);
    h.put(alert(&[("alertname", "X"), ("team", "x")], T0, 0));
    h.put(alert(&[("alertname", "Y"), ("team", "y")], T0, 0));
    h.advance_to(T0 + 30 * S).await;
    assert!(x.sent().is_empty(), "muted inside the interval");
    assert_eq!(y.sent().len(), 1, "active inside the interval");
    // The first tick after 23:00 (22:13:50 + 10 × 5m = 23:03:50) notifies x.
    h.advance_to(T0 + 30 * S + 9 * 300 * S).await;
    assert!(x.sent().is_empty());
    h.advance_to(T0 + 30 * S + 10 * 300 * S).await;
    assert_eq!(x.sent().len(), 1);
    assert_eq!(x.sent()[0].at_ms, T0 + 3030 * S);
    // Outside the interval a change for y is not sent.
    h.put(alert(&[("alertname", "Y"), ("team", "y"), ("extra", "1")], T0 + 3030 * S, 0));
    h.advance_to(T0 + 3 * 3600 * S).await;
    assert_eq!(y.sent().len(), 1);
}

#[tokio::test]
async fn retries_retryable_errors_then_succeeds() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    hook.failures.lock().unwrap().extend([NotifyError::retry("HTTP 503"), NotifyError::retry("HTTP 502")]);
    let h = harness(BASE, &[("team", vec![hook.clone()])], clock);
    h.put(alert(&[("alertname", "A")], T0, 0));
    h.advance_to(T0 + 30 * S).await;
    let attempts = hook.attempts.lock().unwrap().clone();
    assert_eq!(attempts.len(), 3);
    assert!(attempts.windows(2).all(|w| w[1] > w[0]), "backoff between attempts: {attempts:?}");
    assert_eq!(hook.sent().len(), 1);
    let c = h.metrics.counters("webhook");
    assert_eq!(c.notifications_total.load(Ordering::Relaxed), 1);
    assert_eq!(c.notifications_failed_total.load(Ordering::Relaxed), 0);
    assert_eq!(c.requests_total.load(Ordering::Relaxed), 3);
    assert_eq!(c.requests_failed_total.load(Ordering::Relaxed), 2);
}

#[tokio::test]
async fn fatal_errors_are_not_retried() {
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    hook.failures.lock().unwrap().push_back(NotifyError::fatal("HTTP 400"));
    let h = harness(BASE, &[("team", vec![hook.clone()])], clock);
    h.put(alert(&[("alertname", "A")], T0, 0));
    h.advance_to(T0 + 30 * S).await;
    assert_eq!(hook.attempts.lock().unwrap().len(), 1);
    assert!(hook.sent().is_empty());
    assert_eq!(h.metrics.counters("webhook").notifications_failed_total.load(Ordering::Relaxed), 1);
    assert!(h.nflog.is_empty(), "a failed notification is not logged");
    // The next flush tries again and, not being logged, notifies.
    h.advance_to(T0 + 330 * S).await;
    assert_eq!(hook.sent().len(), 1);
}

#[tokio::test]
async fn retryable_errors_give_up_at_the_next_flush() {
    let clock = Arc::new(ManualClock::new(T0));
    let mut hook = RecordingIntegration::new("webhook", true, &clock);
    Arc::get_mut(&mut hook).unwrap().always_fail = true;
    let h = harness(BASE, &[("team", vec![hook.clone()])], clock);
    h.put(alert(&[("alertname", "A")], T0, 0));
    h.clock.set(T0 + 30 * S);
    assert_eq!(h.disp.run_due().await, 1);
    let attempts = hook.attempts.lock().unwrap().clone();
    assert!(attempts.len() > 5, "{attempts:?}");
    assert!(*attempts.last().unwrap() < T0 + 330 * S, "no attempt at or after the deadline");
    assert!(h.clock.now_ms() >= T0 + 330 * S, "retried until the next flush");
    assert_eq!(h.metrics.counters("webhook").notifications_failed_total.load(Ordering::Relaxed), 1);
}
