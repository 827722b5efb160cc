//! Group evaluation with recording rules: outputs, ordering, staleness, errors and limits.

use super::support::{min, Fixture, WALL_MS};
use crate::rules::group::Rule;
use crate::rules::RuleHealth;
use pharos_protocol::model::is_stale_nan;

const TWO_RULES: &str = r#"groups:
- name: g
  rules:
  - record: job:up:sum
    expr: sum by (job) (up)
    labels: {team: infra}
  - record: job:up:double
    expr: job:up:sum * 2
"#;

#[test]
fn recording_rules_store_renamed_series_at_the_eval_time() {
    let f = Fixture::new();
    f.push(&[("__name__", "up"), ("job", "a"), ("instance", "1")], min(1), 1.0);
    f.push(&[("__name__", "up"), ("job", "a"), ("instance", "2")], min(1), 1.0);
    f.push(&[("__name__", "up"), ("job", "b"), ("instance", "3")], min(1), 0.0);
    let g = f.group(TWO_RULES);
    g.eval(min(2));
    let a = f.samples(&[("__name__", "job:up:sum"), ("job", "a"), ("team", "infra")]);
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].timestamp_ms, a[0].value), (min(2), 2.0));
    // The second rule sees the first one's output of the same evaluation.
    let d = f.samples(&[("__name__", "job:up:double"), ("job", "a"), ("team", "infra")]);
    assert_eq!(d.iter().map(|s| (s.timestamp_ms, s.value)).collect::<Vec<_>>(), vec![(min(2), 4.0)]);
    for r in g.rules() {
        let st = r.status();
        assert_eq!(st.health, RuleHealth::Good, "{}", r.name());
        assert_eq!(st.last_error, None);
        assert_eq!(st.last_evaluation_ms, Some(WALL_MS));
    }
    assert_eq!(g.last_evaluation_ms(), Some(WALL_MS));
}

#[test]
fn rule_health_is_unknown_before_the_first_evaluation() {
    let f = Fixture::new();
    let g = f.group(TWO_RULES);
    assert!(g.rules().iter().all(|r| r.status().health == RuleHealth::Unknown));
    assert_eq!(g.last_evaluation_ms(), None);
}

#[test]
fn series_that_disappear_get_a_staleness_marker() {
    let f = Fixture::new();
    f.push(&[("__name__", "up"), ("job", "a")], min(1), 1.0);
    f.push(&[("__name__", "up"), ("job", "b")], min(1), 1.0);
    let g = f.group("groups:\n- name: g\n  rules:\n  - record: r\n    expr: up{job=\"a\"} or up{job=\"b\"} > 0\n");
    g.eval(min(2));
    // job b goes to 0 and drops out of the output.
    f.push(&[("__name__", "up"), ("job", "a")], min(2) + 1, 1.0);
    f.push(&[("__name__", "up"), ("job", "b")], min(2) + 1, 0.0);
    g.eval(min(3));
    let b = f.samples(&[("__name__", "r"), ("job", "b")]);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].value, 1.0);
    assert!(is_stale_nan(b[1].value) && b[1].timestamp_ms == min(3));
    let a = f.samples(&[("__name__", "r"), ("job", "a")]);
    assert!(a.iter().all(|s| !s.value.is_nan()) && a.len() == 2);
    // Only one marker: the series is forgotten afterwards.
    g.eval(min(4));
    assert_eq!(f.samples(&[("__name__", "r"), ("job", "b")]).len(), 2);
}

#[test]
fn scalar_results_become_one_series() {
    let f = Fixture::new();
    let g = f.group("groups:\n- name: g\n  rules:\n  - record: answer\n    expr: '42'\n    labels: {src: const}\n");
    g.eval(min(1));
    assert_eq!(f.samples(&[("__name__", "answer"), ("src", "const")])[0].value, 42.0);
}

#[test]
fn duplicate_output_label_sets_are_an_error_and_store_nothing() {
    let f = Fixture::new();
    f.push(&[("__name__", "a_total"), ("job", "x")], min(1), 1.0);
    f.push(&[("__name__", "b_total"), ("job", "x")], min(1), 2.0);
    let g = f.group("groups:\n- name: g\n  rules:\n  - record: r\n    expr: '{__name__=~\"a_total|b_total\"}'\n");
    g.eval(min(2));
    let st = g.rules()[0].status();
    assert_eq!(st.health, RuleHealth::Bad);
    assert_eq!(
        st.last_error.as_deref(),
        Some("vector contains metrics with the same labelset after applying rule labels")
    );
    assert!(f.series("r").is_empty());
}

#[test]
fn exceeding_the_limit_discards_all_outputs() {
    let f = Fixture::new();
    for i in 0..3 {
        f.push(&[("__name__", "up"), ("i", &i.to_string())], min(1), 1.0);
    }
    let g = f.group(
        "groups:\n- name: g\n  limit: 2\n  rules:\n  - record: r\n    expr: up\n  - record: s\n    expr: sum(up)\n",
    );
    g.eval(min(2));
    assert_eq!(g.rules()[0].status().last_error.as_deref(), Some("exceeded limit of 2 with 3 series"));
    assert!(f.series("r").is_empty());
    // Other rules of the group still run.
    assert_eq!(g.rules()[1].status().health, RuleHealth::Good);
    assert_eq!(f.series("s").len(), 1);
}

#[test]
fn errors_clear_on_the_next_good_evaluation() {
    let f = Fixture::new();
    f.push(&[("__name__", "up"), ("i", "0")], min(1), 1.0);
    f.push(&[("__name__", "up"), ("i", "1")], min(1), 1.0);
    let g = f.group("groups:\n- name: g\n  limit: 1\n  rules:\n  - record: r\n    expr: up\n");
    g.eval(min(2));
    assert_eq!(g.rules()[0].status().health, RuleHealth::Bad);
    // Ten minutes later only one series is within the lookback window.
    f.push(&[("__name__", "up"), ("i", "0")], min(11), 1.0);
    g.eval(min(12));
    let st = g.rules()[0].status();
    assert_eq!((st.health, st.last_error), (RuleHealth::Good, None));
    assert_eq!(f.series("r").len(), 1);
}

#[test]
fn non_vector_results_are_an_error() {
    let f = Fixture::new();
    let s = f.group("groups:\n- name: g\n  rules:\n  - record: r\n    expr: '\"text\"'\n");
    s.eval(min(1));
    assert_eq!(s.rules()[0].status().last_error.as_deref(), Some("rule result is not a vector or scalar"));
    let Rule::Recording(r) = &s.rules()[0] else { panic!("not a recording rule") };
    assert_eq!(r.query(), "\"text\"");
}

#[test]
fn an_empty_rule_label_removes_the_series_label() {
    let f = Fixture::new();
    f.push(&[("__name__", "up"), ("job", "a"), ("instance", "1")], min(1), 1.0);
    let g = f.group("groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    labels: {instance: ''}\n");
    g.eval(min(2));
    let s = f.series("r");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].labels.to_string(), "r{job=\"a\"}");
}
