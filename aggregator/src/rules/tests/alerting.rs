//! Alerting rules: the pending/firing/resolved state machine, `ALERTS`/`ALERTS_FOR_STATE`,
//! templates, limits, and notification with Prometheus' resend semantics.

use super::support::{min, Fixture};
use crate::rules::alerting::AlertState;
use crate::rules::group::{Group, Rule};
use crate::rules::{AlertingRule, RuleHealth};
use pharos_protocol::model::is_stale_nan;

const DOWN: &str = r#"groups:
- name: g
  rules:
  - alert: InstanceDown
    expr: up == 0
    for: 2m
    labels: {severity: page, instance: "{{ $labels.instance }}-x"}
    annotations: {summary: "{{ $labels.job }} down, value {{ $value }} at {{ $externalURL }}"}
"#;

fn rule(g: &Group) -> &AlertingRule {
    match &g.rules()[0] {
        Rule::Alerting(r) => r,
        Rule::Recording(_) => panic!("not an alerting rule"),
    }
}

fn down(f: &Fixture, t: i64) {
    f.push(&[("__name__", "up"), ("job", "node"), ("instance", "h1")], t, 0.0);
}

fn up(f: &Fixture, t: i64) {
    f.push(&[("__name__", "up"), ("job", "node"), ("instance", "h1")], t, 1.0);
}

const ALERTS_LABELS: [(&str, &str); 5] = [
    ("alertname", "InstanceDown"),
    ("instance", "h1-x"),
    ("job", "node"),
    ("severity", "page"),
    ("__name__", "ALERTS"),
];

fn alerts_series(state: &str) -> Vec<(&'static str, String)> {
    let mut l: Vec<(&str, String)> = ALERTS_LABELS.iter().map(|(k, v)| (*k, v.to_string())).collect();
    l.push(("alertstate", state.to_string()));
    l
}

fn samples_of(f: &Fixture, l: &[(&str, String)]) -> Vec<(i64, f64)> {
    let pairs: Vec<(&str, &str)> = l.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.samples(&pairs).iter().map(|s| (s.timestamp_ms, s.value)).collect()
}

#[test]
fn alerts_go_pending_then_firing_after_for() {
    let f = Fixture::new();
    let g = f.group(DOWN);
    down(&f, min(1));
    g.eval(min(1));
    let r = rule(&g);
    let a = &r.active_alerts()[0];
    assert_eq!(a.state, AlertState::Pending);
    assert_eq!(a.active_at_ms, min(1));
    // Series labels without __name__, rule labels expanded, alertname added.
    assert_eq!(
        a.labels.to_string(),
        "{alertname=\"InstanceDown\", instance=\"h1-x\", job=\"node\", severity=\"page\"}"
    );
    assert_eq!(a.annotations["summary"], "node down, value 0 at http://pharos:9090");
    assert_eq!(r.state(), AlertState::Pending);

    down(&f, min(2));
    g.eval(min(2));
    assert_eq!(r.state(), AlertState::Pending, "1m < for");
    down(&f, min(3));
    g.eval(min(3));
    let a = &r.active_alerts()[0];
    assert_eq!((a.state, a.fired_at_ms), (AlertState::Firing, Some(min(3))));
    assert_eq!(r.state(), AlertState::Firing);

    let pending = samples_of(&f, &alerts_series("pending"));
    assert_eq!(pending.len(), 3);
    assert_eq!(&pending[..2], &[(min(1), 1.0), (min(2), 1.0)]);
    assert!(is_stale_nan(pending[2].1) && pending[2].0 == min(3), "pending series ends when firing starts");
    assert_eq!(samples_of(&f, &alerts_series("firing")), vec![(min(3), 1.0)]);
    let mut for_state: Vec<(&str, String)> = ALERTS_LABELS.iter().map(|(k, v)| (*k, v.to_string())).collect();
    for_state[4].1 = "ALERTS_FOR_STATE".into();
    assert_eq!(samples_of(&f, &for_state), vec![(min(1), 60.0), (min(2), 60.0), (min(3), 60.0)]);
}

#[test]
fn resolved_alerts_are_kept_fifteen_minutes_then_dropped() {
    let f = Fixture::new();
    let g = f.group(DOWN);
    for m in 1..=3 {
        down(&f, min(m));
        g.eval(min(m));
    }
    up(&f, min(4));
    g.eval(min(4));
    let r = rule(&g);
    assert!(r.active_alerts().is_empty());
    let held = r.current_alerts();
    assert_eq!((held[0].state, held[0].resolved_at_ms), (AlertState::Inactive, Some(min(4))));
    let firing = samples_of(&f, &alerts_series("firing"));
    assert!(is_stale_nan(firing.last().unwrap().1), "ALERTS ends with a staleness marker");
    g.eval(min(19));
    assert_eq!(r.current_alerts().len(), 1, "exactly 15m: still kept");
    g.eval(min(19) + 1);
    assert!(r.current_alerts().is_empty());
}

#[test]
fn pending_alerts_that_vanish_are_forgotten() {
    let f = Fixture::new();
    let g = f.group(DOWN);
    down(&f, min(1));
    g.eval(min(1));
    up(&f, min(2));
    g.eval(min(2));
    assert!(rule(&g).current_alerts().is_empty());
    assert!(f.sink.take().is_empty(), "pending alerts are never sent");
}

#[test]
fn an_alert_that_returns_starts_pending_again() {
    let f = Fixture::new();
    let g = f.group(DOWN);
    for m in 1..=3 {
        down(&f, min(m));
        g.eval(min(m));
    }
    up(&f, min(4));
    g.eval(min(4));
    down(&f, min(5));
    g.eval(min(5));
    let a = &rule(&g).current_alerts()[0];
    assert_eq!((a.state, a.active_at_ms, a.resolved_at_ms), (AlertState::Pending, min(5), None));
}

#[test]
fn keep_firing_for_holds_the_alert_after_the_condition_stops() {
    let f = Fixture::new();
    let g = f.group("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    keep_firing_for: 2m\n");
    down(&f, min(1));
    g.eval(min(1));
    let r = rule(&g);
    assert_eq!(r.state(), AlertState::Firing, "no `for`: fires at once");
    up(&f, min(2));
    g.eval(min(2));
    let a = &r.active_alerts()[0];
    assert_eq!((a.state, a.keep_firing_since_ms), (AlertState::Firing, Some(min(2))));
    g.eval(min(3));
    assert_eq!(r.state(), AlertState::Firing);
    g.eval(min(4));
    assert_eq!(r.state(), AlertState::Inactive, "2m after the condition stopped");
    assert_eq!(r.current_alerts()[0].resolved_at_ms, Some(min(4)));
}

#[test]
fn keep_firing_since_resets_when_the_condition_returns() {
    let f = Fixture::new();
    let g = f.group("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    keep_firing_for: 2m\n");
    down(&f, min(1));
    g.eval(min(1));
    up(&f, min(2));
    g.eval(min(2));
    down(&f, min(3));
    g.eval(min(3));
    let a = &rule(&g).active_alerts()[0];
    assert_eq!((a.state, a.keep_firing_since_ms, a.active_at_ms), (AlertState::Firing, None, min(1)));
}

#[test]
fn too_many_alerts_clear_the_rule_and_report_an_error() {
    let f = Fixture::new();
    for i in 0..3 {
        f.push(&[("__name__", "up"), ("i", &i.to_string())], min(1), 0.0);
    }
    let g = f.group("groups:\n- name: g\n  limit: 2\n  rules:\n  - alert: A\n    expr: up == 0\n");
    g.eval(min(1));
    let r = rule(&g);
    let st = r.status();
    assert_eq!(st.health, RuleHealth::Bad);
    assert_eq!(st.last_error.as_deref(), Some("exceeded limit of 2 with 3 alerts"));
    assert!(r.current_alerts().is_empty());
    assert!(f.series("ALERTS").is_empty());
}

#[test]
fn alerts_with_the_same_labels_are_an_error() {
    let f = Fixture::new();
    f.push(&[("__name__", "a"), ("job", "x")], min(1), 0.0);
    f.push(&[("__name__", "b"), ("job", "x")], min(1), 0.0);
    let g = f.group("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '{__name__=~\"a|b\"} == 0'\n");
    g.eval(min(1));
    assert_eq!(
        rule(&g).status().last_error.as_deref(),
        Some("vector contains metrics with the same labelset after applying alert labels")
    );
}

#[test]
fn template_errors_become_the_text() {
    let f = Fixture::new();
    down(&f, min(1));
    let g =
        f.group("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    annotations: {s: '{{ fail }}'}\n");
    g.eval(min(1));
    let a = &rule(&g).active_alerts()[0];
    assert_eq!(a.annotations["s"], "<error expanding template: cannot expand \"fail\">");
    assert_eq!(rule(&g).status().health, RuleHealth::Good);
}

#[test]
fn unrestored_rules_write_no_alert_series() {
    let f = Fixture::new();
    let g = f.group_restored(DOWN, false);
    down(&f, min(1));
    g.eval(min(1));
    assert_eq!(rule(&g).active_alerts().len(), 1);
    assert!(f.series("ALERTS").is_empty() && f.series("ALERTS_FOR_STATE").is_empty());
}

#[test]
fn firing_alerts_are_sent_and_resent_after_the_delay() {
    let f = Fixture::new();
    let g = f.group("groups:\n- name: g\n  interval: 30s\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 1m\n");
    down(&f, min(1));
    g.eval(min(1));
    assert!(f.sink.take().is_empty(), "pending");
    down(&f, min(2));
    g.eval(min(2));
    let sent = f.sink.take();
    assert_eq!(sent.len(), 1);
    let a = &sent[0][0];
    assert_eq!(a.starts_at_ms, min(2));
    // 4 × max(resend delay 1m, interval 30s).
    assert_eq!(a.ends_at_ms, min(2) + min(4));
    assert_eq!(a.labels.get("alertname"), Some("A"));
    assert_eq!(a.generator_url, "http://pharos:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
    // Not again until more than the resend delay has passed.
    g.eval(min(2) + 30_000);
    g.eval(min(3));
    assert!(f.sink.take().is_empty());
    g.eval(min(3) + 30_000);
    assert_eq!(f.sink.take().len(), 1);
}

#[test]
fn resolved_alerts_are_sent_at_once_with_their_end() {
    let f = Fixture::new();
    let g = f.group("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n");
    down(&f, min(1));
    g.eval(min(1));
    assert_eq!(f.sink.take().len(), 1);
    up(&f, min(2) - 1);
    g.eval(min(2) - 1);
    let sent = f.sink.take();
    assert_eq!(sent.len(), 1, "resolution is sent without waiting for the resend delay");
    assert_eq!((sent[0][0].starts_at_ms, sent[0][0].ends_at_ms), (min(1), min(2) - 1));
    // Resolved alerts are re-sent every resend delay while retained.
    g.eval(min(2));
    assert!(f.sink.take().is_empty());
    g.eval(min(3));
    assert_eq!(f.sink.take()[0][0].ends_at_ms, min(2) - 1);
}

#[test]
fn an_empty_label_expansion_removes_the_label() {
    let f = Fixture::new();
    down(&f, min(1));
    let g = f.group(
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels: {job: '{{ $labels.nope }}'}\n",
    );
    g.eval(min(1));
    let a = &rule(&g).active_alerts()[0];
    assert_eq!(a.labels.get("job"), None);
    assert_eq!(a.labels.get("instance"), Some("h1"));
}
