//! Rule-file parsing and validation, and the promtool-like report.

use super::support::TestOnlyExpander;
use crate::rules::check::{check_rules, CheckOptions, Verdict, LINT_EXIT_CODE};
use crate::rules::file::{parse, RuleFileError, RuleKind};
use std::time::Duration;

fn errors(yaml: &str) -> Vec<String> {
    parse(yaml, Some(&TestOnlyExpander)).unwrap_err().iter().map(|e| e.to_string()).collect()
}

#[test]
fn fleet_example_parses() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/examples/rules/fleet.rules.yml"))
            .unwrap();
    let file = parse(&text, Some(&TestOnlyExpander)).unwrap();
    assert_eq!(file.groups.len(), 3);
    assert_eq!(file.groups[0].interval, Some(Duration::from_secs(15)));
    assert_eq!(file.groups[1].interval, None);
    assert_eq!(file.rule_count(), 16, "promtool: 16 rules found");
    assert_eq!(file.groups[1].rules[0].kind, RuleKind::Recording { name: "job:http_requests:rate5m".into() });
}

#[test]
fn alert_fields_and_scalar_values_decode() {
    let yaml = "groups:\n- name: g\n  limit: 3\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 5m\n    keep_firing_for: 1h30m\n    labels: {severity: 1, page: true}\n    annotations: {summary: x}\n";
    let file = parse(yaml, Some(&TestOnlyExpander)).unwrap();
    let g = &file.groups[0];
    assert_eq!(g.limit, 3);
    let r = &g.rules[0];
    assert_eq!(
        r.kind,
        RuleKind::Alerting {
            name: "A".into(),
            hold: Duration::from_secs(300),
            keep_firing_for: Duration::from_secs(5400)
        }
    );
    assert_eq!(r.labels["severity"], "1");
    assert_eq!(r.labels["page"], "true");
    assert_eq!(r.annotations["summary"], "x");
}

#[test]
fn empty_documents_have_no_groups() {
    assert_eq!(parse("", None).unwrap().groups.len(), 0);
    assert_eq!(parse("# nothing\n", None).unwrap().groups.len(), 0);
    assert_eq!(parse("groups:\n", None).unwrap().groups.len(), 0);
}

#[test]
fn unknown_fields_are_rejected_query_offset_included() {
    let e = errors("groups:\n- name: g\n  query_offset: 1m\n  rules: []\n");
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("query_offset"), "{e:?}");
    assert!(errors("foo: bar\n")[0].contains("foo"));
    assert!(errors("groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    exprs: x\n")[0].contains("exprs"));
}

#[test]
fn repeated_keys_and_bad_yaml_are_rejected() {
    let e = errors("groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    expr: down\n");
    assert!(e[0].contains("expr"), "{e:?}");
    let e = parse("groups: [\n", None).unwrap_err();
    assert!(matches!(e[0], RuleFileError::Yaml(_)));
    let e = parse("groups:\n  name: g\n", None).unwrap_err();
    assert!(matches!(e[0], RuleFileError::Yaml(_)));
}

#[test]
fn bad_durations_report_like_prometheus() {
    let e = errors("groups:\n- name: g\n  interval: 1x\n  rules: []\n");
    assert_eq!(e, vec!["not a valid duration string: \"1x\"".to_string()]);
    let e = errors("groups:\n- name: g\n  rules:\n  - alert: a\n    expr: up\n    for: -1m\n");
    assert_eq!(e, vec!["not a valid duration string: \"-1m\"".to_string()]);
}

#[test]
fn group_names_must_be_present_and_unique() {
    let e = errors("groups:\n- name: g\n  rules: []\n- name: g\n- rules: []\n");
    assert_eq!(e, vec!["groupname: \"g\" is repeated in the same file", "Groupname must not be empty"]);
}

#[test]
fn rule_checks_match_rulefmt() {
    let yaml = r#"groups:
- name: g
  rules:
  - record: r
    expr: up
    for: 1m
    keep_firing_for: 1m
    annotations: {a: b}
  - record: 1bad
    expr: up
    labels: {__name__: x, bad-name: y}
  - expr: up
  - record: x
    alert: y
    expr: up[
  - alert: z
  - alert: t
    expr: up
    annotations: {"bad-ann": ok, s: "{{ $labels.x "}
"#;
    let e = errors(yaml);
    let want = [
        "group \"g\", rule 1, \"r\": invalid field 'annotations' in recording rule",
        "group \"g\", rule 1, \"r\": invalid field 'for' in recording rule",
        "group \"g\", rule 1, \"r\": invalid field 'keep_firing_for' in recording rule",
        "group \"g\", rule 2, \"1bad\": invalid recording rule name: 1bad",
        "group \"g\", rule 2, \"1bad\": invalid label name: __name__",
        "group \"g\", rule 2, \"1bad\": invalid label name: bad-name",
        "group \"g\", rule 3, \"\": one of 'record' or 'alert' must be set",
        "group \"g\", rule 4, \"y\": only one of 'record' and 'alert' must be set",
        "group \"g\", rule 5, \"z\": field 'expr' must be set in rule",
        "group \"g\", rule 6, \"t\": invalid annotation name: bad-ann",
        "group \"g\", rule 6, \"t\": annotation \"s\": template: __alert_t:1: unclosed action",
    ];
    let e_no_expr: Vec<&String> = e.iter().filter(|m| !m.contains("could not parse expression")).collect();
    assert_eq!(e_no_expr, want.iter().collect::<Vec<_>>());
    assert!(e.iter().any(|m| m.starts_with("group \"g\", rule 4, \"y\": could not parse expression: ")), "{e:?}");
}

#[test]
fn templates_are_checked_only_on_alerting_rules() {
    // A recording rule's labels are not templates.
    assert!(parse(
        "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    labels: {a: '{{'}\n",
        Some(&TestOnlyExpander)
    )
    .is_ok());
    let e = errors("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {a: '{{'}\n");
    assert_eq!(e, vec!["group \"g\", rule 1, \"A\": label \"a\": template: __alert_A:1: unclosed action"]);
}

#[test]
fn check_report_counts_rules_and_fails_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.yml");
    let bad = dir.path().join("bad.yml");
    std::fs::write(&good, "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n  - alert: b\n    expr: up\n")
        .unwrap();
    std::fs::write(&bad, "groups:\n- name: g\n  rules:\n  - record: 1a\n    expr: up\n").unwrap();
    let r = check_rules(&[&good], &TestOnlyExpander, CheckOptions::default());
    assert_eq!(r.exit_code, 0);
    assert_eq!(r.stdout, format!("Checking {}\n  SUCCESS: 2 rules found\n\n", good.display()));
    let r = check_rules(&[&good, &bad], &TestOnlyExpander, CheckOptions::default());
    assert_eq!(r.exit_code, 1);
    assert_eq!(
        r.files[1].verdict,
        Verdict::Failed {
            errors: vec![format!("{}: group \"g\", rule 1, \"1a\": invalid recording rule name: 1a", bad.display())]
        }
    );
    assert!(r.stderr.starts_with("  FAILED:\n"));
    let missing = dir.path().join("missing.yml");
    assert_eq!(check_rules(&[&missing], &TestOnlyExpander, CheckOptions::default()).exit_code, 1);
}

#[test]
fn duplicate_rules_are_a_lint_problem() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("dup.yml");
    std::fs::write(
        &f,
        "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n    labels: {a: b}\n  - record: r\n    expr: up2\n    labels: {a: b}\n- name: h\n  rules:\n  - record: r\n    expr: up3\n",
    )
    .unwrap();
    let r = check_rules(&[&f], &TestOnlyExpander, CheckOptions::default());
    assert_eq!(r.exit_code, 0, "lint problems are not fatal by default");
    assert_eq!(
        r.files[0].verdict,
        Verdict::Lint {
            message: "1 duplicate rule(s) found.\nMetric: r\nLabel(s):\n\ta: b\nMight cause inconsistency while recording expressions".into()
        }
    );
    let fatal = CheckOptions { lint_duplicates: true, lint_fatal: true };
    assert_eq!(check_rules(&[&f], &TestOnlyExpander, fatal).exit_code, LINT_EXIT_CODE);
    let off = CheckOptions { lint_duplicates: false, lint_fatal: true };
    let r = check_rules(&[&f], &TestOnlyExpander, off);
    assert_eq!((r.exit_code, &r.files[0].verdict), (0, &Verdict::Success { rules: 3 }));
}
