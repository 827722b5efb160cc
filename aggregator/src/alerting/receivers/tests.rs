//! Unit tests of the receivers: the default templates against Alertmanager 0.25's output, and
//! the template data of a notification.

use std::collections::BTreeMap;

use pharos_protocol::Labels;

use super::templates::{template_data, truncate_in_runes, Renderer, Templates};
use crate::alerting::types::{Alert, NotifyContext};

/// 2024-03-01T11:00:00Z.
const NOW: i64 = 1_709_290_800_000;
const MIN: i64 = 60_000;

fn alert(labels: &[(&str, &str)], annotations: &[(&str, &str)], starts: i64, ends: i64, url: &str) -> Alert {
    Alert {
        labels: Labels::from_pairs(labels.iter().copied()),
        annotations: annotations.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
        starts_at_ms: starts,
        ends_at_ms: ends,
        generator_url: url.to_string(),
        updated_at_ms: starts,
        timeout: false,
    }
}

fn ctx(receiver: &str, group: &[(&str, &str)], external_url: &str) -> NotifyContext {
    NotifyContext {
        receiver: receiver.to_string(),
        group_key: "{}:{alertname=\"InstanceDown\"}".to_string(),
        group_labels: Labels::from_pairs(group.iter().copied()),
        external_url: external_url.to_string(),
        now_ms: NOW,
    }
}

/// Two firing alerts and one resolved, grouped by alertname.
fn first_case() -> (NotifyContext, Vec<Alert>) {
    let common = [("alertname", "InstanceDown"), ("job", "node"), ("severity", "critical")];
    let with = |instance: &'static str| {
        let mut l = common.to_vec();
        l.push(("instance", instance));
        l
    };
    let alerts = vec![
        alert(
            &with("web-1:9100"),
            &[("summary", "web-1 is down"), ("description", "It's <gone> & \"dead\"")],
            NOW - 60 * MIN,
            NOW + 5 * MIN,
            "http://prom/graph?g0.expr=up+%3D%3D+0",
        ),
        alert(&with("web-2:9100"), &[("summary", "web-2 is down")], NOW - 59 * MIN, NOW + 5 * MIN, "http://prom/graph"),
        alert(&with("db-1:9100"), &[], NOW - 120 * MIN, NOW - 30 * MIN, ""),
    ];
    (ctx("team-x.ops", &[("alertname", "InstanceDown")], "http://am.example:9093"), alerts)
}

fn render(t: &Templates, ctx: &NotifyContext, alerts: &[Alert], text: &str) -> String {
    let data = template_data(ctx, alerts);
    let mut r = Renderer::new(t, &data);
    let out = r.text(text);
    r.finish().unwrap();
    out
}

// The expected strings below are Alertmanager 0.25's output (`amtool template render` with its
// default.tmpl) for the same data.

#[test]
fn default_templates_render_like_alertmanager() {
    let t = Templates::defaults().unwrap();
    let (c, alerts) = first_case();
    let r = |text: &str| render(&t, &c, &alerts, text);
    assert_eq!(r(r#"{{ template "__subject" . }}"#), "[FIRING:2] InstanceDown (node critical)");
    assert_eq!(r(r#"{{ template "email.default.subject" . }}"#), "[FIRING:2] InstanceDown (node critical)");
    assert_eq!(
        r(r#"{{ template "slack.default.fallback" . }}"#),
        "[FIRING:2] InstanceDown (node critical) | http://am.example:9093/#/alerts?receiver=team-x%5C.ops"
    );
    assert_eq!(r(r#"{{ template "slack.default.username" . }}"#), "Alertmanager");
    assert_eq!(r(r#"{{ template "pagerduty.default.client" . }}"#), "Alertmanager");
    assert_eq!(
        r(r#"{{ template "pagerduty.default.clientURL" . }}"#),
        "http://am.example:9093/#/alerts?receiver=team-x%5C.ops"
    );
    assert_eq!(
        r(r#"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#),
        "Labels:\n - alertname = InstanceDown\n - instance = web-1:9100\n - job = node\n - severity = critical\n\
         Annotations:\n - description = It's <gone> & \"dead\"\n - summary = web-1 is down\n\
         Source: http://prom/graph?g0.expr=up+%3D%3D+0\n\
         Labels:\n - alertname = InstanceDown\n - instance = web-2:9100\n - job = node\n - severity = critical\n\
         Annotations:\n - summary = web-2 is down\nSource: http://prom/graph\n"
    );
    assert_eq!(
        r(r#"{{ template "pagerduty.default.instances" .Alerts.Resolved }}"#),
        "Labels:\n - alertname = InstanceDown\n - instance = db-1:9100\n - job = node\n - severity = critical\n\
         Annotations:\nSource: \n"
    );
    assert_eq!(
        r(
            r#"{{ template "slack.default.text" . }}|{{ template "__description" . }}|{{ template "slack.default.footer" . }}"#
        ),
        "||"
    );
    assert_eq!(r("{{ .Alerts.Firing | len }}/{{ .Alerts.Resolved | len }}"), "2/1");
}

#[test]
fn default_subject_when_resolved_or_ungrouped() {
    let t = Templates::defaults().unwrap();
    let a = alert(&[("alertname", "HighLoad"), ("job", "api")], &[("summary", "load")], NOW - MIN, NOW - 1, "http://g");
    let c = ctx("r", &[("job", "api"), ("alertname", "HighLoad")], "http://am");
    let r = |text: &str| render(&t, &c, std::slice::from_ref(&a), text);
    assert_eq!(r(r#"{{ template "__subject" . }}"#), "[RESOLVED] HighLoad api ");
    assert_eq!(
        r(r#"{{ template "slack.default.fallback" . }}"#),
        "[RESOLVED] HighLoad api  | http://am/#/alerts?receiver=r"
    );
    assert_eq!(r(r#"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#), "");
    assert_eq!(
        r(r#"{{ template "pagerduty.default.instances" .Alerts.Resolved }}"#),
        "Labels:\n - alertname = HighLoad\n - job = api\nAnnotations:\n - summary = load\nSource: http://g\n"
    );

    let b = alert(&[("b", "2"), ("a", "1")], &[], NOW - MIN, NOW + MIN, "");
    let c = ctx("r", &[], "");
    let r = |text: &str| render(&t, &c, std::slice::from_ref(&b), text);
    assert_eq!(r(r#"{{ template "__subject" . }}"#), "[FIRING:1]  (1 2)");
    assert_eq!(r(r#"{{ template "slack.default.fallback" . }}"#), "[FIRING:1]  (1 2) | /#/alerts?receiver=r");
    assert_eq!(
        r(r#"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#),
        "Labels:\n - a = 1\n - b = 2\nAnnotations:\nSource: \n"
    );
}

#[test]
fn email_html_escapes_values() {
    let t = Templates::defaults().unwrap();
    let (c, alerts) = first_case();
    let html = render(&t, &c, &alerts, r#"{{ template "email.default.html" . }}"#);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("It&#39;s &lt;gone&gt; &amp; &#34;dead&#34;"), "{html}");
    assert!(!html.contains("<gone>"));
    assert!(html.contains("[2] Firing") && html.contains("[1] Resolved"), "{html}");
    assert!(html.contains(r#"href="http://am.example:9093/#/alerts?receiver=team-x%5C.ops""#), "{html}");
}

/// Decodes a quoted-printable body (soft line breaks and `=XX` escapes).
fn qp_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && b[i + 1..].starts_with(b"\r\n") {
            i += 3;
        } else if b[i] == b'=' && i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn email_html_part_is_escaped_and_text_part_raw() {
    let conf = crate::alerting::config::Config::load(
        r#"
global:
  smtp_smarthost: 'mail:25'
  smtp_from: 'am@example.org'
route:
  receiver: r
receivers:
  - name: r
    email_configs:
      - to: 'a@example.org'
        text: 'text: {{ .CommonLabels.alertname }}'
        html: '<p title="{{ .CommonLabels.alertname }}">{{ .CommonLabels.alertname }}</p><a href="{{ (index .Alerts 0).GeneratorURL }}">s</a>'
      - to: 'a@example.org'
"#,
    )
    .unwrap();
    let confs = &conf.receiver("r").unwrap().email_configs;
    let templates = std::sync::Arc::new(Templates::defaults().unwrap());
    let label = [("alertname", "<script>x</script>")];
    let a = alert(&label, &[("summary", "a & b")], NOW - MIN, NOW + MIN, "javascript:alert(1)");
    let c = ctx("r", &label, "http://am");

    let email = super::Email::new(&confs[0], templates.clone()).unwrap();
    let msg = qp_decode(&String::from_utf8(email.render(&c, std::slice::from_ref(&a)).unwrap().message).unwrap());
    assert!(msg.contains("text: <script>x</script>"), "{msg}");
    assert!(
        msg.contains(
            r##"<p title="&lt;script&gt;x&lt;/script&gt;">&lt;script&gt;x&lt;/script&gt;</p><a href="#ZgotmplZ">s</a>"##
        ),
        "{msg}"
    );

    // The default HTML body (whose actions already end in `html`) is escaped once, not twice.
    let email = super::Email::new(&confs[1], templates).unwrap();
    let msg = qp_decode(&String::from_utf8(email.render(&c, &[a]).unwrap().message).unwrap());
    let html = &msg[msg.find("<!DOCTYPE html>").expect("html part")..];
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && html.contains("a &amp; b"), "{html}");
    assert!(!html.contains("<script>") && !html.contains("&amp;lt;") && !html.contains("&amp;amp;"), "{html}");
    assert!(html.contains(r##"<a href="#ZgotmplZ">Source</a>"##), "{html}");
}

#[test]
fn template_data_hides_future_end_times() {
    let (c, alerts) = first_case();
    let d = template_data(&c, &alerts);
    assert_eq!(d.receiver, "team-x\\.ops");
    assert_eq!(d.status, "firing");
    let a = &d.alerts.0;
    assert_eq!((a[0].status.as_str(), a[2].status.as_str()), ("firing", "resolved"));
    assert!(a[0].ends_at.is_zero());
    assert_eq!(a[2].ends_at.unix(), (NOW - 30 * MIN) / 1000);
    assert_eq!(a[0].fingerprint.len(), 16);
    assert_eq!(a[0].fingerprint, format!("{:016x}", alerts[0].fingerprint()));
    assert_eq!(d.common_labels.0.len(), 3);
    assert!(d.common_annotations.0.is_empty());
    let resolved_only = template_data(&c, &alerts[2..]);
    assert_eq!(resolved_only.status, "resolved");
}

#[test]
fn user_templates_override_and_extend_defaults() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.tmpl"),
        r#"{{ define "__subject" }}custom {{ .Status }}{{ end }}{{ define "my.text" }}n={{ len .Alerts }}{{ end }}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), r#"{{ define "ignored" }}x{{ end }}"#).unwrap();
    let glob = format!("{}/*.tmpl", dir.path().display());
    let missing = format!("{}/nothing/*.tmpl", dir.path().display());
    let t = Templates::load(&[glob, missing]).unwrap();
    let (c, alerts) = first_case();
    assert_eq!(render(&t, &c, &alerts, r#"{{ template "slack.default.title" . }}"#), "custom firing");
    assert_eq!(render(&t, &c, &alerts, r#"{{ template "my.text" . }}"#), "n=3");
    let data = template_data(&c, &alerts);
    assert!(Renderer::new(&t, &data).try_text(r#"{{ template "ignored" . }}"#).is_err());

    std::fs::write(dir.path().join("bad.tmpl"), "{{ if }}").unwrap();
    let bad = format!("{}/bad.tmpl", dir.path().display());
    let err = Templates::load(&[bad]).unwrap_err().to_string();
    assert!(err.contains("bad.tmpl"), "{err}");
}

#[test]
fn renderer_keeps_the_first_error() {
    let t = Templates::defaults().unwrap();
    let (c, alerts) = first_case();
    let data = template_data(&c, &alerts);
    let mut r = Renderer::new(&t, &data);
    assert_eq!(r.text("{{ .Status }}"), "firing");
    assert_eq!(r.text(r#"{{ template "nope" . }}"#), "");
    assert_eq!(r.text("{{ .Status }}"), "");
    assert!(r.finish().unwrap_err().to_string().contains("nope"));
}

#[test]
fn truncation_in_runes() {
    assert_eq!(truncate_in_runes("abc", 3), ("abc".to_string(), false));
    assert_eq!(truncate_in_runes("abcdef", 4), ("abc…".to_string(), true));
    assert_eq!(truncate_in_runes("éééé", 2), ("éé".to_string(), true));
    let (s, cut) = truncate_in_runes(&"x".repeat(2000), 1024);
    assert!(cut);
    assert_eq!(s.chars().count(), 1024);
}
