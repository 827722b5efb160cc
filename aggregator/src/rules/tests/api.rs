//! The JSON of `/api/v1/rules` and `/api/v1/alerts`, compared with Prometheus 2.42's shapes.

use super::support::{min, Fixture};
use crate::rules::api::{alerts_data, format_time, format_value, rules_data, RuleTypeFilter};
use serde_json::{json, Value};
use std::sync::Arc;

const RULES: &str = r#"groups:
- name: g
  interval: 30s
  rules:
  - record: job:up:sum
    expr: sum by(job)(up)
  - alert: Down
    expr: up == 0
    for: 5m
    keep_firing_for: 1m
    labels: {severity: page}
    annotations: {summary: "{{ $labels.job }} down"}
  - record: bad
    expr: '"x"'
    labels: {a: b}
"#;

/// Replaces the measured durations (not deterministic) after checking they are numbers.
fn scrub(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if let Some(t) = m.get_mut("evaluationTime") {
                assert!(t.is_number());
                *t = json!(0);
            }
            m.values_mut().for_each(scrub);
        }
        Value::Array(a) => a.iter_mut().for_each(scrub),
        _ => {}
    }
}

fn setup() -> (Fixture, Vec<Arc<crate::rules::Group>>) {
    let f = Fixture::new();
    let g = Arc::new(f.group(RULES));
    f.push(&[("__name__", "up"), ("job", "node")], min(1), 0.0);
    g.eval(min(1) + 500);
    (f, vec![g])
}

#[test]
fn rules_json_matches_prometheus() {
    let (_f, groups) = setup();
    let mut v = serde_json::to_value(rules_data(&groups, RuleTypeFilter::All)).unwrap();
    scrub(&mut v);
    let last = "2023-11-14T22:13:20.123Z";
    let alert = json!({
        "labels": {"alertname": "Down", "job": "node", "severity": "page"},
        "annotations": {"summary": "node down"},
        "state": "pending",
        "activeAt": "1970-01-01T00:01:00.5Z",
        "value": "0e+00"
    });
    let want = json!({"groups": [{
        "name": "g",
        "file": "test.yml",
        "rules": [
            {"name": "job:up:sum", "query": "sum by (job) (up)", "health": "ok",
             "evaluationTime": 0, "lastEvaluation": last, "type": "recording"},
            {"state": "pending", "name": "Down", "query": "up == 0", "duration": 300, "keepFiringFor": 60,
             "labels": {"severity": "page"}, "annotations": {"summary": "{{ $labels.job }} down"},
             "alerts": [alert], "health": "ok", "evaluationTime": 0, "lastEvaluation": last, "type": "alerting"},
            {"name": "bad", "query": "\"x\"", "labels": {"a": "b"}, "health": "err",
             "lastError": "rule result is not a vector or scalar",
             "evaluationTime": 0, "lastEvaluation": last, "type": "recording"}
        ],
        "interval": 30,
        "limit": 0,
        "evaluationTime": 0,
        "lastEvaluation": last
    }]});
    assert_eq!(v, want);
}

#[test]
fn never_evaluated_rules_report_unknown_and_zero_time() {
    let f = Fixture::new();
    let groups = vec![Arc::new(f.group(RULES))];
    let v = serde_json::to_value(rules_data(&groups, RuleTypeFilter::Alert)).unwrap();
    let g = &v["groups"][0];
    assert_eq!(g["lastEvaluation"], "0001-01-01T00:00:00Z");
    assert_eq!(g["rules"].as_array().unwrap().len(), 1);
    assert_eq!(g["rules"][0]["health"], "unknown");
    assert_eq!(g["rules"][0]["state"], "inactive");
    assert_eq!(g["rules"][0]["alerts"], json!([]));
}

#[test]
fn type_filter_keeps_one_kind_and_empty_groups() {
    let (_f, groups) = setup();
    let v = serde_json::to_value(rules_data(&groups, RuleTypeFilter::Record)).unwrap();
    let kinds: Vec<&str> =
        v["groups"][0]["rules"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["recording", "recording"]);
    assert_eq!(RuleTypeFilter::parse(Some("ALERT")), Ok(RuleTypeFilter::Alert));
    assert_eq!(RuleTypeFilter::parse(Some("")), Ok(RuleTypeFilter::All));
    assert_eq!(RuleTypeFilter::parse(None), Ok(RuleTypeFilter::All));
    let e = RuleTypeFilter::parse(Some("foo")).unwrap_err();
    assert_eq!(e.to_string(), "invalid parameter \"type\": not supported value \"foo\"");
}

#[test]
fn alerts_json_lists_active_alerts() {
    let (f, groups) = setup();
    let v = serde_json::to_value(alerts_data(&groups)).unwrap();
    assert_eq!(v["alerts"].as_array().unwrap().len(), 1);
    assert_eq!(v["alerts"][0]["state"], "pending");
    assert!(v["alerts"][0].get("keepFiringSince").is_none());
    // Resolved alerts are not listed, though still held for notification.
    f.push(&[("__name__", "up"), ("job", "node")], min(2), 1.0);
    groups[0].eval(min(2));
    assert_eq!(serde_json::to_value(alerts_data(&groups)).unwrap(), json!({"alerts": []}));
}

#[test]
fn values_format_like_go_strconv_e() {
    assert_eq!(format_value(1.0), "1e+00");
    assert_eq!(format_value(0.0), "0e+00");
    assert_eq!(format_value(123.456), "1.23456e+02");
    assert_eq!(format_value(-2.5e-7), "-2.5e-07");
    assert_eq!(format_value(1e100), "1e+100");
    assert_eq!(format_value(f64::NAN), "NaN");
    assert_eq!(format_value(f64::INFINITY), "+Inf");
    assert_eq!(format_value(f64::NEG_INFINITY), "-Inf");
}

#[test]
fn times_format_like_go_rfc3339nano() {
    assert_eq!(format_time(None), "0001-01-01T00:00:00Z");
    assert_eq!(format_time(Some(0)), "1970-01-01T00:00:00Z");
    assert_eq!(format_time(Some(1_500)), "1970-01-01T00:00:01.5Z");
    assert_eq!(format_time(Some(1_700_000_000_120)), "2023-11-14T22:13:20.12Z");
}
