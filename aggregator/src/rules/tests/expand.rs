//! The Prometheus template expander: alert-template variables, Prometheus' functions, `query` at
//! the evaluation time, Prometheus' error texts, and parse checks as promtool's.

use super::support::min;
use crate::promql::{Engine, EngineOptions};
use crate::rules::file::parse;
use crate::rules::group::{Group, Rule, RuleEnv};
use crate::rules::{ExpandContext, PrometheusExpander, TemplateExpander};
use crate::storage::memory::MemoryStorage;
use crate::storage::Storage;
use pharos_protocol::{Labels, Sample, Series};
use std::sync::Arc;
use std::time::Duration;

struct Setup {
    storage: Arc<MemoryStorage>,
    expander: PrometheusExpander,
}

fn setup() -> Setup {
    let storage = Arc::new(MemoryStorage::new());
    let engine = Arc::new(Engine::new(storage.clone(), EngineOptions::default()));
    Setup { storage, expander: PrometheusExpander::new(engine, "http://pharos.example:9700/prefix") }
}

fn push(storage: &MemoryStorage, labels: &[(&str, &str)], t: i64, v: f64) {
    let series = Series {
        labels: Labels::from_pairs(labels.iter().copied()),
        samples: vec![Sample { timestamp_ms: t, value: v }],
    };
    storage.append(&[series], None).unwrap();
}

fn node_labels() -> Labels {
    Labels::from_pairs([("__name__", "up"), ("job", "node"), ("instance", "web-1:9100")])
}

/// Expands `text` for alert `A` with the node's labels, `cluster="eu"` and `value`.
fn expand_at(e: &PrometheusExpander, text: &str, value: f64, eval_time_ms: i64) -> Result<String, String> {
    let labels = node_labels();
    let external = Labels::from_pairs([("cluster", "eu")]);
    let ctx = ExpandContext {
        labels: &labels,
        external_labels: &external,
        external_url: "http://pharos.example:9700/prefix",
        value,
        eval_time_ms,
    };
    e.expand("__alert_A", text, &ctx)
}

fn expand(e: &PrometheusExpander, text: &str, value: f64) -> String {
    expand_at(e, text, value, min(10)).unwrap()
}

#[test]
fn fleet_annotations_render_as_in_prometheus() {
    let s = setup();
    let e = &s.expander;
    assert_eq!(expand(e, "{{ $labels.job }} on {{ $labels.instance }} is down", 0.0), "node on web-1:9100 is down");
    assert_eq!(
        expand(e, "{{ $labels.instance }} of job {{ $labels.job }} has not reported for more than a minute.", 0.0),
        "web-1:9100 of job node has not reported for more than a minute."
    );
    assert_eq!(expand(e, "{{ $value | humanizePercentage }} of requests fail.", 0.0512), "5.12% of requests fail.");
    assert_eq!(expand(e, "{{ $value | humanizePercentage }}", 0.5), "50%");
    assert_eq!(expand(e, "p95 latency is {{ $value | humanizeDuration }}", 2.5), "p95 latency is 2.5s");
    assert_eq!(expand(e, "{{ $value | humanizeDuration }}", 3725.0), "1h 2m 5s");
    assert_eq!(expand(e, "Queue depth is {{ $value }}", 1234.0), "Queue depth is 1234");
    assert_eq!(expand(e, "{{ $value }}", 0.1 + 0.2), "0.30000000000000004");
    assert_eq!(expand(e, r#"{{ printf "%.0f" $value }}"#, 1234.6), "1235");
    assert_eq!(expand(e, r#"{{ printf "%.2f" $value }}%"#, 93.456), "93.46%");
    assert_eq!(expand(e, "{{ $value | humanize }}B", 1_234_567.0), "1.235MB");
    assert_eq!(expand(e, "{{ $labels.instance | stripPort }}", 0.0), "web-1");
}

#[test]
fn variables_data_and_external_url() {
    let s = setup();
    let e = &s.expander;
    // missingkey=zero: a missing label is empty, not "<no value>".
    assert_eq!(expand(e, "[{{ $labels.nope }}]", 0.0), "[]");
    assert_eq!(expand(e, "{{ $labels.__name__ }}", 0.0), "up");
    assert_eq!(expand(e, "{{ $externalLabels.cluster }}", 0.0), "eu");
    assert_eq!(expand(e, "{{ $externalURL }}", 0.0), "http://pharos.example:9700/prefix");
    assert_eq!(expand(e, "{{ .Labels.job }}/{{ .Value }}", 3.0), "node/3");
    assert_eq!(expand(e, "{{ externalURL }} {{ pathPrefix }}", 0.0), "http://pharos.example:9700/prefix /prefix");
    assert_eq!(expand(e, "{{ if gt $value 0.5 }}high{{ else }}low{{ end }}", 0.7), "high");
    assert_eq!(expand(e, "no template at all", 0.0), "no template at all");
}

#[test]
fn query_runs_at_the_evaluation_time() {
    let s = setup();
    push(&s.storage, &[("__name__", "up"), ("job", "node"), ("instance", "b")], min(9), 0.0);
    push(&s.storage, &[("__name__", "up"), ("job", "node"), ("instance", "a")], min(9), 1.0);
    let e = &s.expander;
    assert_eq!(expand(e, r#"{{ with query "up == 0" }}{{ . | first | label "instance" }}{{ end }}"#, 0.0), "b");
    assert_eq!(
        expand(e, r#"{{ range query "sort_desc(up)" }}{{ .Labels.instance }}={{ .Value }} {{ end }}"#, 0.0),
        "a=1 b=0 "
    );
    assert_eq!(
        expand(e, r#"{{ range query "up" | sortByLabel "instance" }}{{ label "instance" . }}{{ end }}"#, 0.0),
        "ab"
    );
    assert_eq!(expand(e, r#"{{ query "count(up)" | first | value }}"#, 0.0), "2");
    assert_eq!(expand(e, r#"{{ query "scalar(count(up))" | first | value }}"#, 0.0), "2");
    assert_eq!(expand(e, r#"{{ (query "up" | first).Labels.__name__ }}"#, 0.0), "up");
    // Before the samples, and past the 5m lookback after them, the query finds nothing.
    assert_eq!(expand_at(e, r#"{{ query "up" | len }}"#, 0.0, min(8)).unwrap(), "0");
    assert_eq!(expand_at(e, r#"{{ query "up" | len }}"#, 0.0, min(9) + 60_000).unwrap(), "2");
    assert_eq!(expand_at(e, r#"{{ query "up" | len }}"#, 0.0, min(15)).unwrap(), "0");
}

#[test]
fn errors_read_as_prometheus_errors() {
    let s = setup();
    let e = &s.expander;
    let err = expand_at(e, r#"{{ query "nothing" | first | value }}"#, 0.0, min(10)).unwrap_err();
    assert!(err.starts_with("error executing template __alert_A: template: __alert_A:1:"), "{err}");
    assert!(err.ends_with("error calling first: first() called on vector with no elements"), "{err}");
    let err = expand_at(e, r#"{{ query "up ==" }}"#, 0.0, min(10)).unwrap_err();
    assert!(err.contains("error calling query: "), "{err}");
    let err = expand_at(e, r#"{{ query "up[5m]" }}"#, 0.0, min(10)).unwrap_err();
    assert!(err.ends_with("error calling query: rule result is not a vector or scalar"), "{err}");
    let err = expand_at(e, "{{ nosuchfunc }}", 0.0, min(10)).unwrap_err();
    assert_eq!(err, r#"error parsing template __alert_A: template: __alert_A:1: function "nosuchfunc" not defined"#);
}

#[test]
fn check_parses_like_promtool() {
    let e = PrometheusExpander::without_queries();
    assert_eq!(e.check("__alert_A", "{{ $labels.instance }} {{ $value | humanize }}"), Ok(()));
    // `query` exists for parsing even without an engine.
    assert_eq!(e.check("__alert_A", r#"{{ query "up" | first | value }}"#), Ok(()));
    assert_eq!(
        e.check("__alert_A", "{{ $labels.instance | nosuchfunc }}"),
        Err(r#"template: __alert_A:1: function "nosuchfunc" not defined"#.to_string())
    );
    assert_eq!(e.check("__alert_B", "{{ if }}"), Err("template: __alert_B:1: missing value for if".to_string()));
    assert!(e.check("__alert_A", "{{ $nope }}").unwrap_err().contains("undefined variable \"$nope\""));
    // Executing a query without an engine is an error, not a panic.
    let labels = node_labels();
    let ctx =
        ExpandContext { labels: &labels, external_labels: &labels, external_url: "", value: 0.0, eval_time_ms: 0 };
    assert!(e.expand("__alert_A", r#"{{ query "up" }}"#, &ctx).unwrap_err().contains("no query engine"));
}

const FLEET_LIKE: &str = r#"groups:
- name: availability
  rules:
  - alert: ServiceDown
    expr: up == 0
    for: 1m
    labels:
      severity: critical
      team: "{{ $labels.job }}-oncall"
    annotations:
      summary: "{{ $labels.job }} on {{ $labels.instance }} is down"
      total: '{{ query "count(up)" | first | value }} instances known'
      broken: "{{ $labels.instance | first }}"
"#;

#[test]
fn alerting_rules_expand_with_the_real_engine() {
    let storage = Arc::new(MemoryStorage::new());
    let env = Arc::new(RuleEnv::new(storage.clone()));
    let e = PrometheusExpander::without_queries();
    let file = parse(FLEET_LIKE, Some(&e)).unwrap();
    let g = Group::new(&file.groups[0], "fleet.yml", Duration::from_secs(15), env, true).unwrap();
    push(&storage, &[("__name__", "up"), ("job", "node"), ("instance", "web-1:9100")], min(1), 0.0);
    push(&storage, &[("__name__", "up"), ("job", "node"), ("instance", "web-2:9100")], min(1), 1.0);
    g.eval(min(1));
    let Rule::Alerting(r) = &g.rules()[0] else { panic!("not an alerting rule") };
    let alerts = r.active_alerts();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let a = &alerts[0];
    assert_eq!(a.labels.get("team"), Some("node-oncall"));
    assert_eq!(a.annotations["summary"], "node on web-1:9100 is down");
    assert_eq!(a.annotations["total"], "2 instances known");
    // A failing template still yields the alert, with Prometheus' error text.
    let broken = &a.annotations["broken"];
    assert!(
        broken.starts_with(
            "<error expanding template: error executing template __alert_ServiceDown: template: __alert_ServiceDown:1:"
        ),
        "{broken}"
    );
    assert!(broken.ends_with('>'), "{broken}");
}
