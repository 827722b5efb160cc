//! The Alertmanager as a whole: restarts with persisted state, reload, and the API accessors.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::alerting::dispatch::clock::{ManualClock, ManualSleeper};
use crate::alerting::dispatch::tests::{alert, labels, RecordingIntegration, M, S, T0};
use crate::alerting::matcher::parse_matchers;
use crate::alerting::store::AlertState;

const YAML: &str = "
global:
  resolve_timeout: 5m
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - matchers: [severity=\"page\"]
      receiver: pager
      continue: true
inhibit_rules:
  - source_matchers: [severity=\"critical\"]
    target_matchers: [severity=\"warning\"]
    equal: [instance]
receivers:
  - name: team
  - name: pager
";

fn start(dir: &Path, clock: &Arc<ManualClock>, hook: &Arc<RecordingIntegration>, yaml: &str) -> Handle {
    let mut ints: Integrations = HashMap::new();
    ints.insert("team".into(), vec![hook.clone() as Arc<dyn Integration>]);
    let opts = ManagerOptions {
        clock: clock.clone(),
        sleeper: Arc::new(ManualSleeper(Arc::clone(clock))),
        background: false,
        ..ManagerOptions::default()
    };
    Alertmanager::start_with(Config::load(yaml).unwrap(), ints, dir, "http://am:9093".into(), opts).unwrap()
}

/// Runs due flushes at every minute up to `t`.
async fn run_until(h: &Handle, clock: &ManualClock, t: i64) {
    while clock.now_ms() < t {
        clock.set((clock.now_ms() + S).min(t));
        h.run_due().await;
    }
}

#[tokio::test]
async fn restart_with_persisted_nflog_does_not_resend() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let am = start(dir.path(), &clock, &hook, YAML);
    am.put_alerts(vec![alert(&[("alertname", "A")], T0, 0)]).unwrap();
    run_until(&am, &clock, T0 + 30 * S).await;
    assert_eq!(hook.sent().len(), 1);
    am.stop().await.unwrap();
    for f in ["nflog.json", "silences.json", "alerts.json"] {
        assert!(dir.path().join(f).exists(), "{f} written on stop");
    }

    // Control: a restart without the notification log notifies again.
    clock.set(T0 + 90 * S);
    let fresh = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("alerts.json"), fresh.path().join("alerts.json")).unwrap();
    let hook3 = RecordingIntegration::new("webhook", true, &clock);
    let am3 = start(fresh.path(), &clock, &hook3, YAML);
    am3.run_due().await;
    assert_eq!(hook3.sent().len(), 1);

    // Restarted a minute later with the log; the rule engine sends the still firing alert
    // again.
    let hook2 = RecordingIntegration::new("webhook", true, &clock);
    let am2 = start(dir.path(), &clock, &hook2, YAML);
    assert_eq!(am2.alerts().len(), 1, "alerts restored");
    am2.put_alerts(vec![alert(&[("alertname", "A")], T0, 0)]).unwrap();
    am2.run_due().await;
    run_until(&am2, &clock, T0 + 6 * M).await;
    assert!(hook2.sent().is_empty(), "already notified before the restart");
}

#[tokio::test]
async fn restart_during_active_alert_still_sends_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let am = start(dir.path(), &clock, &hook, YAML);
    am.put_alerts(vec![alert(&[("alertname", "A")], T0, 0), alert(&[("alertname", "B")], T0, 0)]).unwrap();
    run_until(&am, &clock, T0 + 30 * S).await;
    assert_eq!(hook.sent().len(), 2);
    am.stop().await.unwrap();

    clock.set(T0 + 2 * M);
    let hook2 = RecordingIntegration::new("webhook", true, &clock);
    let am2 = start(dir.path(), &clock, &hook2, YAML);
    // A is resolved explicitly by the rule engine; B is never sent again and times out
    // (resolve_timeout 5m after its last update at T0).
    am2.put_alerts(vec![alert(&[("alertname", "A")], T0, T0 + 2 * M)]).unwrap();
    am2.run_due().await;
    run_until(&am2, &clock, T0 + 15 * M).await;
    let sent = hook2.sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent.iter().any(|s| s.alerts == vec![("A".to_string(), true)] && s.at_ms == T0 + 2 * M));
    assert!(sent.iter().any(|s| s.alerts == vec![("B".to_string(), true)] && s.at_ms > T0 + 5 * M));
}

#[tokio::test]
async fn accessors_for_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let am = start(dir.path(), &clock, &hook, YAML);
    assert_eq!(am.receivers(), vec!["team".to_string(), "pager".to_string()]);
    assert_eq!(am.config_original(), YAML);
    let crit = alert(&[("alertname", "Down"), ("severity", "critical"), ("instance", "a")], T0, 0);
    let warn = alert(&[("alertname", "Slow"), ("severity", "warning"), ("instance", "a")], T0, 0);
    let page = alert(&[("alertname", "Page"), ("severity", "page")], T0, 0);
    let bad = alert(&[], T0, 0);
    let err = am.put_alerts(vec![crit.clone(), warn.clone(), page.clone(), bad]).unwrap_err();
    assert_eq!(err.to_string(), "at least one label pair required");

    let sid = am
        .put_silence(Silence {
            id: String::new(),
            matchers: parse_matchers("alertname=\"Page\"").unwrap(),
            starts_at_ms: T0,
            ends_at_ms: T0 + 3600 * S,
            updated_at_ms: 0,
            created_by: "ops".into(),
            comment: "known".into(),
        })
        .unwrap();
    let alerts = am.alerts();
    assert_eq!(alerts.len(), 3);
    let by_name = |n: &str| alerts.iter().find(|a| a.alert.name() == n).unwrap().clone();
    assert_eq!(by_name("Down").status.state, AlertState::Active);
    assert_eq!(by_name("Slow").status.inhibited_by, vec![fingerprint_hex(crit.fingerprint())]);
    assert_eq!(by_name("Page").status.silenced_by, vec![sid.clone()]);
    // `continue: true` on the only matching child: the root is not a fallback.
    assert_eq!(by_name("Page").receivers, vec!["pager".to_string()]);
    assert_eq!(by_name("Down").receivers, vec!["team".to_string()]);
    assert_eq!(by_name("Down").fingerprint.len(), 16);

    let groups = am.groups();
    assert_eq!(groups.len(), 3, "two alertnames on team, one on pager");
    assert!(groups.iter().any(|g| g.receiver == "pager" && g.labels == labels(&[("alertname", "Page")])));

    // Silences: list with a filter, reject bad posts, expire.
    assert_eq!(am.silences(&[]).len(), 1);
    assert_eq!(am.silences(&parse_matchers("alertname=\"Page\"").unwrap()).len(), 1);
    assert!(am.silences(&parse_matchers("alertname=\"Other\"").unwrap()).is_empty());
    let past = Silence {
        id: String::new(),
        starts_at_ms: T0 - 2 * M,
        ends_at_ms: T0 - M,
        ..am.silence(&sid).unwrap().silence
    };
    assert_eq!(
        am.put_silence(past).unwrap_err().to_string(),
        "Failed to create silence: end time can't be in the past"
    );
    am.expire_silence(&sid).unwrap();
    clock.set(T0 + S);
    assert_eq!(am.silence(&sid).unwrap().state, SilenceState::Expired);
    assert!(am.alerts().iter().all(|a| a.status.silenced_by.is_empty()));
    assert!(matches!(am.expire_silence("nope"), Err(SilenceError::NotFound)));
}

#[tokio::test]
async fn reload_regroups_without_resending() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let am = start(dir.path(), &clock, &hook, YAML);
    am.put_alerts(vec![alert(&[("alertname", "A"), ("instance", "1")], T0, 0)]).unwrap();
    run_until(&am, &clock, T0 + 30 * S).await;
    assert_eq!(hook.sent().len(), 1);
    // Same grouping: the new dispatcher's first flush finds it already notified.
    let mut ints: Integrations = HashMap::new();
    ints.insert("team".into(), vec![hook.clone() as Arc<dyn Integration>]);
    am.reload(Config::load(YAML).unwrap(), ints.clone()).await;
    run_until(&am, &clock, T0 + 2 * M).await;
    assert_eq!(hook.sent().len(), 1);
    // Grouping by instance makes a new group key: notified again under it.
    let by_instance = YAML.replace("group_by: [alertname]", "group_by: [instance]");
    am.reload(Config::load(&by_instance).unwrap(), ints).await;
    run_until(&am, &clock, T0 + 3 * M).await;
    let sent = hook.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].group_key, "{}:{instance=\"1\"}");
    assert_eq!(am.config_original(), by_instance);
}

#[tokio::test]
async fn background_driver_flushes_and_stops() {
    // The production driver with the wall clock and a zero group_wait.
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(0));
    let hook = RecordingIntegration::new("webhook", true, &clock);
    let mut ints: Integrations = HashMap::new();
    ints.insert("team".into(), vec![hook.clone() as Arc<dyn Integration>]);
    let yaml = YAML.replace("group_wait: 30s", "group_wait: 0s");
    let am = Alertmanager::start(Config::load(&yaml).unwrap(), ints, dir.path(), String::new()).unwrap();
    am.put_alerts(vec![alert(&[("alertname", "A")], 0, 0)]).unwrap();
    for _ in 0..200 {
        if !hook.sent().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(hook.sent().len(), 1);
    am.stop().await.unwrap();
    assert!(dir.path().join("nflog.json").exists());
}
