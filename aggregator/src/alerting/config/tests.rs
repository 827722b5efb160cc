//! Configuration loading: defaults, global fill-in and Alertmanager 0.25's validation errors.

use super::*;

fn err(yaml: &str) -> String {
    match Config::load(yaml) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(e) => e.to_string(),
    }
}

const MINI: &str = "route:\n  receiver: r\nreceivers:\n  - name: r\n";

#[test]
fn minimal_config_gets_defaults() {
    let c = Config::load(MINI).unwrap();
    assert_eq!(c.global.resolve_timeout, Duration::from_secs(300));
    assert_eq!(c.global.smtp_hello, "localhost");
    assert!(c.global.smtp_require_tls);
    assert_eq!(c.global.pagerduty_url.as_ref().map(|u| u.as_str()), Some("https://events.pagerduty.com/v2/enqueue"));
    assert!(c.global.http_config.as_ref().is_some_and(|h| h.follow_redirects && h.enable_http2));
    assert_eq!(c.route.receiver.as_deref(), Some("r"));
    assert_eq!(c.original, MINI);
}

#[test]
fn receivers_take_global_defaults() {
    let c = Config::load(
        r#"
global:
  smtp_smarthost: 'mail:25'
  smtp_from: 'am@example.org'
  smtp_auth_username: 'u'
  smtp_auth_password: 'pw'
  smtp_require_tls: false
  slack_api_url: 'https://hooks.example.org/x'
  http_config:
    follow_redirects: false
route:
  receiver: all
receivers:
  - name: all
    email_configs:
      - to: 'a@example.org'
        headers: {subject: 'S', x-custom-header: 'v'}
      - to: 'b@example.org'
        from: 'other@example.org'
        smarthost: 'other:587'
        require_tls: true
        send_resolved: true
    slack_configs:
      - channel: '#c'
    pagerduty_configs:
      - routing_key: 'rk'
        client: 'my-client'
    webhook_configs:
      - url: 'http://hook:1/x'
"#,
    )
    .unwrap();
    let r = c.receiver("all").unwrap();
    let e0 = &r.email_configs[0];
    assert_eq!(e0.smarthost.to_string(), "mail:25");
    assert_eq!(e0.from, "am@example.org");
    assert_eq!(e0.auth_username, "u");
    assert_eq!(e0.auth_password.expose(), "pw");
    assert_eq!(e0.require_tls, Some(false));
    assert_eq!(e0.hello, "localhost");
    assert!(!e0.send_resolved);
    assert_eq!(e0.html, r#"{{ template "email.default.html" . }}"#);
    assert_eq!(e0.headers.get("Subject").map(String::as_str), Some("S"));
    assert!(e0.headers.contains_key("X-Custom-Header"));
    let e1 = &r.email_configs[1];
    assert_eq!((e1.from.as_str(), e1.smarthost.to_string()), ("other@example.org", "other:587".to_string()));
    assert_eq!(e1.require_tls, Some(true));
    assert!(e1.send_resolved);
    let s = &r.slack_configs[0];
    assert!(!s.send_resolved);
    assert_eq!(s.api_url.as_ref().map(|u| u.expose()), Some("https://hooks.example.org/x"));
    assert!(s.http_config.as_ref().is_some_and(|h| !h.follow_redirects));
    assert_eq!(s.title, r#"{{ template "slack.default.title" . }}"#);
    let p = &r.pagerduty_configs[0];
    assert!(p.send_resolved);
    assert_eq!(p.url.as_ref().map(|u| u.as_str()), Some("https://events.pagerduty.com/v2/enqueue"));
    assert_eq!(p.source, "my-client");
    assert_eq!(p.details.len(), 4);
    let w = &r.webhook_configs[0];
    assert!(w.send_resolved);
    assert_eq!(w.url.as_ref().map(|u| u.as_str()), Some("http://hook:1/x"));
    // Secrets never show up in Debug output.
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("pw\"") && !dbg.contains("rk\"") && !dbg.contains("hooks.example.org"), "{dbg}");
}

#[test]
fn validation_errors_like_alertmanager() {
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "no route provided in config"),
        ("# only a comment\n".into(), "no route provided in config"),
        ("receivers:\n  - name: r\n".into(), "no routes provided"),
        ("route:\n  group_by: [a]\nreceivers:\n  - name: r\n".into(), "root route must specify a default receiver"),
        ("route:\n  receiver: nope\nreceivers:\n  - name: r\n".into(), "undefined receiver \"nope\" used in route"),
        (
            "route:\n  receiver: r\n  routes:\n    - receiver: nope\nreceivers:\n  - name: r\n".into(),
            "undefined receiver \"nope\" used in route",
        ),
        ("route:\n  receiver: r\nreceivers:\n  - name: r\n  - name: r\n".into(), "notification config name \"r\" is not unique"),
        ("route:\n  receiver: r\nreceivers:\n  - email_configs: []\n".into(), "missing name in receiver"),
        (format!("{MINI}  - name: x\n    email_configs:\n      - from: a@b\n"), "missing to address in email config"),
        (format!("{MINI}  - name: x\n    email_configs:\n      - to: a@b\n"), "no global SMTP smarthost set"),
        (
            format!("global:\n  smtp_smarthost: 'h:25'\n{MINI}  - name: x\n    email_configs:\n      - to: a@b\n"),
            "no global SMTP from set",
        ),
        (format!("{MINI}  - name: x\n    slack_configs:\n      - channel: c\n"), "no global Slack API URL set"),
        (format!("{MINI}  - name: x\n    webhook_configs:\n      - send_resolved: true\n"), "missing URL in webhook config"),
        (format!("{MINI}  - name: x\n    webhook_configs:\n      - url: 'ftp://h/'\n"), "unsupported scheme"),
        (format!("{MINI}  - name: x\n    pagerduty_configs:\n      - client: c\n"), "missing service or routing key"),
        ("route:\n  receiver: r\n  matchers: ['a=\"b\"']\nreceivers:\n  - name: r\n".into(), "root route must not have any matchers"),
        ("route:\n  receiver: r\n  match: {a: b}\nreceivers:\n  - name: r\n".into(), "root route must not have any matchers"),
        ("route:\n  receiver: r\n  continue: true\nreceivers:\n  - name: r\n".into(), "cannot have continue in root route"),
        (
            "route:\n  receiver: r\n  mute_time_intervals: [m]\nreceivers:\n  - name: r\ntime_intervals:\n  - name: m\n".into(),
            "root route must not have any mute time intervals",
        ),
        (
            "route:\n  receiver: r\n  active_time_intervals: [m]\nreceivers:\n  - name: r\n".into(),
            "root route must not have any active time intervals",
        ),
        (
            "route:\n  receiver: r\n  routes:\n    - mute_time_intervals: [m]\nreceivers:\n  - name: r\n".into(),
            "undefined time interval \"m\" used in route",
        ),
        (
            "route:\n  receiver: r\nreceivers:\n  - name: r\ntime_intervals:\n  - name: m\nmute_time_intervals:\n  - name: m\n"
                .into(),
            "time interval \"m\" is not unique",
        ),
        ("route:\n  receiver: r\n  group_by: ['...', a]\nreceivers:\n  - name: r\n".into(), "cannot have wildcard group_by"),
        ("route:\n  receiver: r\n  group_by: [a, a]\nreceivers:\n  - name: r\n".into(), "duplicated label \"a\" in group_by"),
        ("route:\n  receiver: r\n  group_by: ['a-b']\nreceivers:\n  - name: r\n".into(), "invalid label name \"a-b\""),
        ("route:\n  receiver: r\n  group_interval: 0s\nreceivers:\n  - name: r\n".into(), "group_interval cannot be zero"),
        ("route:\n  receiver: r\n  repeat_interval: 0\nreceivers:\n  - name: r\n".into(), "repeat_interval cannot be zero"),
        ("route:\n  receiver: r\n  group_wait: 5x\nreceivers:\n  - name: r\n".into(), "not a valid duration"),
        (
            "route:\n  receiver: r\n  routes:\n    - match_re: {a: '(('}\nreceivers:\n  - name: r\n".into(),
            "invalid regular expression",
        ),
        (
            "route:\n  receiver: r\n  routes:\n    - match_re: {invalid_label: }\nreceivers:\n  - name: r\n".into(),
            "invalid regexp value for \"invalid_label\"",
        ),
        (
            "route:\n  receiver: r\n  routes:\n    - matchers: ['a=\"b']\nreceivers:\n  - name: r\n".into(),
            "unescaped double quote",
        ),
        (format!("{MINI}inhibit_rules:\n  - equal: ['a-b']\n"), "\"a-b\" is not a valid label name"),
        (format!("{MINI}inhibit_rules:\n  - source_match: {{'a-b': x}}\n"), "invalid label name \"a-b\""),
        (format!("{MINI}unknown_key: 1\n"), "unknown field `unknown_key`"),
        ("route:\n  receiver: r\n  labels: {a: b}\nreceivers:\n  - name: r\n".into(), "unknown field `labels`"),
        (format!("{MINI}    email_configs:\n      - to: a\n        bogus: 1\n"), "unknown field `bogus`"),
        (
            format!("global:\n  slack_api_url: 'http://a/'\n  slack_api_url_file: /f\n{MINI}"),
            "at most one of slack_api_url & slack_api_url_file",
        ),
        (
            format!("global:\n  http_config:\n    bearer_token: a\n    bearer_token_file: b\n{MINI}"),
            "at most one of bearer_token & bearer_token_file",
        ),
        (format!("{MINI}time_intervals:\n  - time_intervals: []\n"), "missing name in time interval"),
        ("BAD".into(), "invalid type"),
    ];
    for (yaml, want) in cases {
        let got = err(&yaml);
        assert!(got.contains(want), "config:\n{yaml}\nwant error containing {want:?}, got {got:?}");
    }
}

#[test]
fn lenient_scalars_like_yaml_v2() {
    let c = Config::load(
        "route:\n  receiver: r\n  routes:\n    - match: {test: 2}\n      continue: yes\n      receiver: r\nreceivers:\n  - name: r\n",
    )
    .unwrap();
    assert_eq!(c.route.routes[0].match_eq.get("test").map(String::as_str), Some("2"));
    assert!(c.route.routes[0].continue_matching);
}

#[test]
fn time_intervals_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("tmpl")).unwrap();
    for f in ["b.tmpl", "a.tmpl", "c.txt"] {
        std::fs::write(dir.path().join("tmpl").join(f), "").unwrap();
    }
    let path = dir.path().join("am.yml");
    std::fs::write(
        &path,
        "templates: ['tmpl/*.tmpl', '/abs/x.tmpl']\nroute:\n  receiver: r\n  routes:\n    - receiver: r\n      \
         mute_time_intervals: [old]\n      active_time_intervals: [new]\nreceivers:\n  - name: r\n\
         mute_time_intervals:\n  - name: old\n    time_intervals:\n      - weekdays: [saturday, sunday]\n\
         time_intervals:\n  - name: new\n    time_intervals:\n      - times:\n          - start_time: '09:00'\n            \
         end_time: '17:00'\n",
    )
    .unwrap();
    let c = Config::load_file(&path).unwrap();
    let base = dir.path().to_string_lossy().into_owned();
    assert_eq!(c.templates, vec![format!("{base}/tmpl/*.tmpl"), "/abs/x.tmpl".to_string()]);
    let files = expand_template_globs(&c.templates);
    assert_eq!(files, vec![dir.path().join("tmpl/a.tmpl"), dir.path().join("tmpl/b.tmpl")]);
    let m = c.time_interval_map();
    assert_eq!(m.len(), 2);
    assert_eq!(m["old"][0].weekdays.as_ref().map(Vec::len), Some(2));
    assert!(m["new"][0].times.is_some());
}

#[test]
fn glob_patterns() {
    assert!(glob_match("*.tmpl", "a.tmpl"));
    assert!(!glob_match("*.tmpl", "a.tmplx"));
    assert!(glob_match("a?[0-9].t*", "ab7.txt"));
    assert!(!glob_match("[^a]*", "abc"));
}
