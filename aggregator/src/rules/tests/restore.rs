//! Restoring the `for` state from `ALERTS_FOR_STATE` after a restart.

use super::support::{min, Fixture};
use crate::rules::alerting::AlertState;
use crate::rules::group::{Group, Rule};
use crate::rules::restore::{restore_for_state, RestoreOptions};
use crate::rules::AlertingRule;
use pharos_protocol::model::stale_nan;

const SLOW: &str =
    "groups:\n- name: g\n  rules:\n  - alert: Slow\n    expr: up == 0\n    for: 30m\n    labels: {severity: page}\n";

const FOR_STATE: [(&str, &str); 4] =
    [("__name__", "ALERTS_FOR_STATE"), ("alertname", "Slow"), ("job", "a"), ("severity", "page")];

fn rule(g: &Group) -> &AlertingRule {
    match &g.rules()[0] {
        Rule::Alerting(r) => r,
        Rule::Recording(_) => panic!("not an alerting rule"),
    }
}

/// The previous run: the alert active since `active_ms`, state written each minute until `down_ms`.
fn previous_run(f: &Fixture, active_ms: i64, down_ms: i64) {
    let mut t = active_ms;
    while t <= down_ms {
        f.push(&FOR_STATE, t, (active_ms / 1000) as f64);
        t += min(1);
    }
}

/// The new run: a fresh, unrestored group evaluated at `eval_ms` with the condition true.
fn restarted(f: &Fixture, eval_ms: i64) -> Group {
    let g = f.group_restored(SLOW, false);
    f.push(&[("__name__", "up"), ("job", "a")], eval_ms, 0.0);
    g.eval(eval_ms);
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, eval_ms);
    g
}

#[test]
fn remaining_time_is_shifted_by_the_downtime() {
    let f = Fixture::new();
    previous_run(&f, min(100), min(110));
    let g = restarted(&f, min(120));
    assert!(!rule(&g).restored());
    restore_for_state(&g, min(121), RestoreOptions::default());
    // 10m spent pending before going down; 20m remain after the restart at 121.
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, min(111));
    assert!(rule(&g).restored());
}

#[test]
fn less_than_the_grace_period_remaining_gets_the_grace_period() {
    let f = Fixture::new();
    previous_run(&f, min(100), min(125));
    let g = restarted(&f, min(129));
    restore_for_state(&g, min(130), RestoreOptions::default());
    // 5m remained (< 10m grace): it may fire only 10m after the restoration.
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, min(110));
    f.push(&[("__name__", "up"), ("job", "a")], min(139), 0.0);
    g.eval(min(139));
    assert_eq!(rule(&g).state(), AlertState::Pending);
    f.push(&[("__name__", "up"), ("job", "a")], min(140), 0.0);
    g.eval(min(140));
    assert_eq!(rule(&g).state(), AlertState::Firing);
}

#[test]
fn alerts_past_their_for_keep_their_original_start() {
    let f = Fixture::new();
    previous_run(&f, min(50), min(90));
    let g = restarted(&f, min(100));
    restore_for_state(&g, min(101), RestoreOptions::default());
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, min(50));
    f.push(&[("__name__", "up"), ("job", "a")], min(102), 0.0);
    g.eval(min(102));
    assert_eq!(rule(&g).state(), AlertState::Firing);
    // Restored rules write ALERTS again, with the restored active-since time.
    let fs = f.samples(&FOR_STATE);
    let last = fs.last().unwrap();
    assert_eq!((last.timestamp_ms, last.value), (min(102), (min(50) / 1000) as f64));
    assert_eq!(f.series("ALERTS").len(), 1);
}

#[test]
fn a_stale_last_sample_means_the_alert_was_not_active() {
    let f = Fixture::new();
    previous_run(&f, min(100), min(110));
    f.push(&FOR_STATE, min(111), stale_nan());
    let g = restarted(&f, min(120));
    restore_for_state(&g, min(121), RestoreOptions::default());
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, min(120));
    assert!(rule(&g).restored());
}

#[test]
fn state_older_than_the_outage_tolerance_is_ignored() {
    let f = Fixture::new();
    previous_run(&f, min(100), min(110));
    let g = restarted(&f, min(200));
    restore_for_state(&g, min(201), RestoreOptions::default());
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, min(200));
    let wide = RestoreOptions { outage_tolerance: std::time::Duration::from_secs(3 * 3600), ..Default::default() };
    restore_for_state(&g, min(201), wide);
    assert_eq!(rule(&g).active_alerts()[0].active_at_ms, min(100) + min(201) - min(110));
}

#[test]
fn short_for_rules_restore_only_what_was_firing() {
    // `for: 5m` is below the 10m grace period: Prometheus restores nothing of such rules.
    // Pharos restores the alerts that were firing, as firing, and leaves pending ones pending.
    let yaml =
        "groups:\n- name: g\n  rules:\n  - alert: Slow\n    expr: up == 0\n    for: 5m\n    labels: {severity: page}\n";
    let restart = |active: i64, down: i64| {
        let f = Fixture::new();
        previous_run(&f, active, down);
        let g = f.group_restored(yaml, false);
        f.push(&[("__name__", "up"), ("job", "a")], min(120), 0.0);
        g.eval(min(120));
        restore_for_state(&g, min(121), RestoreOptions::default());
        assert!(rule(&g).restored());
        f.push(&[("__name__", "up"), ("job", "a")], min(122), 0.0);
        g.eval(min(122));
        (rule(&g).active_alerts()[0].active_at_ms, rule(&g).state())
    };
    // Firing at shutdown (active 10m): fires on at once with its original start.
    assert_eq!(restart(min(100), min(110)), (min(100), AlertState::Firing));
    // Pending at shutdown (active 2m): pending again from the restart.
    assert_eq!(restart(min(108), min(110)), (min(120), AlertState::Pending));
}
