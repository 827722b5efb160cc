//! The receiver integrations against real receivers on 127.0.0.1: an HTTP server that records
//! what webhook, Slack and PagerDuty post, and an SMTP server (Python's aiosmtpd, see
//! tests/support/smtp_server.py) for e-mail over plain SMTP, STARTTLS and AUTH.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Router;
use pharos_aggregator::alerting::config::Config;
use pharos_aggregator::alerting::receivers::{self, Email, PagerDuty, Templates};
use pharos_aggregator::alerting::types::{Alert, Integration, NotifyContext, NotifyError};
use pharos_protocol::Labels;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Fixtures.

const GROUP_KEY: &str = "{}:{alertname=\"InstanceDown\"}";
/// SHA-256 of GROUP_KEY (`printf %s "$GROUP_KEY" | sha256sum`).
const GROUP_KEY_SHA256: &str = "6deb6322f8f3d0527aa4eb1bc3139fdeea97e69c8a998b5c88b7e6f2756de185";

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

fn alert(instance: &str, firing: bool, now: i64) -> Alert {
    Alert {
        labels: Labels::from_pairs([
            ("alertname", "InstanceDown"),
            ("instance", instance),
            ("job", "node"),
            ("severity", "critical"),
        ]),
        annotations: [("summary".to_string(), format!("{instance} is down"))].into_iter().collect(),
        starts_at_ms: now - 600_000,
        ends_at_ms: if firing { now + 300_000 } else { now - 60_000 },
        generator_url: "http://prom:9090/graph?g0.expr=up".to_string(),
        updated_at_ms: now,
        timeout: false,
    }
}

fn ctx(receiver: &str, now: i64) -> NotifyContext {
    NotifyContext {
        receiver: receiver.to_string(),
        group_key: GROUP_KEY.to_string(),
        group_labels: Labels::from_pairs([("alertname", "InstanceDown")]),
        external_url: "http://am.example:9093".to_string(),
        now_ms: now,
    }
}

/// The integrations of receiver `name` in `yaml` (a whole alertmanager.yml).
fn integrations(yaml: &str, name: &str) -> Vec<Arc<dyn Integration>> {
    let config = Config::load(yaml).unwrap();
    let mut all = receivers::build(&config).unwrap();
    all.remove(name).unwrap()
}

/// Sends `alerts` through the first integration of receiver "r" in `yaml`.
async fn notify_first(yaml: &str, alerts: &[Alert], now: i64) -> Result<(), NotifyError> {
    integrations(yaml, "r")[0].notify(&ctx("r", now), alerts).await
}

fn config_with(receiver: &str) -> String {
    format!("route:\n  receiver: r\nreceivers:\n- name: r\n{receiver}")
}

// ---------------------------------------------------------------------------------------------
// The recording HTTP server.

#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: HeaderMap,
    body: Value,
    raw: String,
}

#[derive(Default)]
struct Recorder {
    requests: Mutex<Vec<Request>>,
}

/// Answers by path: `/status/<code>` with that code (and a PagerDuty-style error body), anything
/// else 200.
async fn record(State(rec): State<Arc<Recorder>>, uri: Uri, headers: HeaderMap, body: Bytes) -> (StatusCode, String) {
    let raw = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&raw).unwrap_or(Value::Null);
    let path = uri.path().to_string();
    rec.requests.lock().unwrap().push(Request { path: path.clone(), headers, body: json, raw });
    let code = path.strip_prefix("/status/").and_then(|c| c.parse().ok()).unwrap_or(200);
    let body = r#"{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect"]}"#;
    (StatusCode::from_u16(code).unwrap(), body.to_string())
}

async fn http_server() -> (String, Arc<Recorder>) {
    let rec = Arc::new(Recorder::default());
    let app = Router::new().fallback(record).with_state(rec.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), rec)
}

fn requests(rec: &Recorder) -> Vec<Request> {
    rec.requests.lock().unwrap().clone()
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Webhook.

#[tokio::test]
async fn webhook_posts_alertmanager_payload() {
    let (base, rec) = http_server().await;
    let yaml = config_with(&format!(
        "  webhook_configs:\n  - url: {base}/hook\n    max_alerts: 2\n    http_config:\n      basic_auth: {{username: u, password: p}}\n"
    ));
    let ints = integrations(&yaml, "r");
    assert_eq!(ints.len(), 1);
    assert_eq!(ints[0].kind(), "webhook");
    assert!(ints[0].send_resolved());
    let now = now_ms();
    let alerts = [alert("web-1", true, now), alert("web-2", false, now), alert("web-3", true, now)];
    ints[0].notify(&ctx("team.ops", now), &alerts).await.unwrap();

    let reqs = requests(&rec);
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.path, "/hook");
    assert_eq!(r.headers["content-type"], "application/json");
    // "u:p" in base64.
    assert_eq!(r.headers["authorization"], "Basic dTpw");
    let b = &r.body;
    assert_eq!(b["version"], "4");
    assert_eq!(b["groupKey"], GROUP_KEY);
    assert_eq!(b["truncatedAlerts"], 1);
    assert_eq!(b["status"], "firing");
    assert_eq!(b["receiver"], "team\\.ops");
    assert_eq!(b["externalURL"], "http://am.example:9093");
    assert_eq!(b["groupLabels"], serde_json::json!({"alertname": "InstanceDown"}));
    assert_eq!(b["commonLabels"]["job"], "node");
    assert!(b["commonLabels"].get("instance").is_none());
    assert_eq!(b["commonAnnotations"], serde_json::json!({}));
    let alerts = b["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0]["status"], "firing");
    assert_eq!(alerts[0]["endsAt"], "0001-01-01T00:00:00Z");
    assert_eq!(alerts[0]["labels"]["instance"], "web-1");
    assert_eq!(alerts[0]["annotations"]["summary"], "web-1 is down");
    assert_eq!(alerts[0]["generatorURL"], "http://prom:9090/graph?g0.expr=up");
    assert_eq!(alerts[1]["status"], "resolved");
    assert_ne!(alerts[1]["endsAt"], "0001-01-01T00:00:00Z");
    let starts = alerts[0]["startsAt"].as_str().unwrap();
    assert!(starts.ends_with('Z') && starts.len() >= 20 && &starts[10..11] == "T", "{starts}");
    let fp = alerts[0]["fingerprint"].as_str().unwrap();
    assert_eq!(fp, format!("{:016x}", alert("web-1", true, now).fingerprint()));
    // Field order of Alertmanager's message.
    let order = ["\"receiver\"", "\"status\"", "\"alerts\"", "\"groupLabels\"", "\"externalURL\"", "\"version\""];
    let pos: Vec<usize> = order.iter().map(|k| r.raw.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{}", r.raw);
}

#[tokio::test]
async fn webhook_retry_decisions() {
    let (base, rec) = http_server().await;
    let now = now_ms();
    let alerts = [alert("web-1", true, now)];
    let hook = |url: String| config_with(&format!("  webhook_configs:\n  - url: {url}\n"));
    let notify = |url: String| {
        let yaml = hook(url);
        let alerts = alerts.clone();
        async move { notify_first(&yaml, &alerts, now).await }
    };
    let e = notify(format!("{base}/status/503")).await.unwrap_err();
    assert!(e.retryable, "{e:?}");
    assert!(e.message.starts_with("unexpected status code 503"), "{}", e.message);
    let e = notify(format!("{base}/status/400")).await.unwrap_err();
    assert!(!e.retryable, "{e:?}");
    let e = notify(format!("{base}/status/429")).await.unwrap_err();
    assert!(!e.retryable, "webhooks do not retry 429: {e:?}");
    let e = notify(format!("http://127.0.0.1:{}/hook", closed_port())).await.unwrap_err();
    assert!(e.retryable, "{e:?}");
    assert!(notify(format!("{base}/status/204")).await.is_ok());
    assert_eq!(requests(&rec).len(), 4);
}

// ---------------------------------------------------------------------------------------------
// Slack.

#[tokio::test]
async fn slack_posts_one_attachment_with_defaults() {
    let (base, rec) = http_server().await;
    let dir = tempfile::tempdir().unwrap();
    let url_file = dir.path().join("slack_url");
    std::fs::write(&url_file, format!("  {base}/from-file\n")).unwrap();
    let yaml = config_with(&format!(
        r##"  slack_configs:
  - api_url: {base}/services/T/B/X
    channel: '#ops'
    send_resolved: true
    fields:
    - title: Severity
      value: '{{{{ .CommonLabels.severity }}}}'
    - title: Count
      value: '{{{{ len .Alerts }}}}'
      short: false
    short_fields: true
    actions:
    - type: button
      text: Runbook
      url: 'http://runbook/{{{{ .CommonLabels.alertname }}}}'
  - api_url_file: {}
    text: '{{{{ range .Alerts }}}}{{{{ .Labels.instance }}}} {{{{ end }}}}'
    icon_emoji: ':fire:'
"##,
        url_file.display()
    ));
    let ints = integrations(&yaml, "r");
    assert_eq!(ints.iter().map(|i| i.kind()).collect::<Vec<_>>(), ["slack", "slack"]);
    assert!(ints[0].send_resolved());
    assert!(!ints[1].send_resolved());
    let now = now_ms();
    let firing = [alert("web-1", true, now), alert("web-2", true, now)];
    ints[0].notify(&ctx("r", now), &firing).await.unwrap();
    ints[1].notify(&ctx("r", now), &firing).await.unwrap();
    ints[0].notify(&ctx("r", now), &[alert("web-1", false, now)]).await.unwrap();

    let reqs = requests(&rec);
    assert_eq!(
        reqs.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        ["/services/T/B/X", "/from-file", "/services/T/B/X"]
    );
    let b = &reqs[0].body;
    assert_eq!(b["channel"], "#ops");
    assert_eq!(b["username"], "Alertmanager");
    assert!(b.get("icon_emoji").is_none());
    assert!(b.get("link_names").is_none());
    let atts = b["attachments"].as_array().unwrap();
    assert_eq!(atts.len(), 1);
    let a = &atts[0];
    assert_eq!(a["title"], "[FIRING:2] InstanceDown (node critical)");
    assert_eq!(a["title_link"], "http://am.example:9093/#/alerts?receiver=r");
    assert_eq!(a["fallback"], "[FIRING:2] InstanceDown (node critical) | http://am.example:9093/#/alerts?receiver=r");
    assert_eq!(a["color"], "danger");
    assert_eq!(a["text"], "");
    assert_eq!(a["footer"], "");
    assert_eq!(a["callback_id"], "");
    assert!(a.get("pretext").is_none());
    assert_eq!(a["mrkdwn_in"], serde_json::json!(["fallback", "pretext", "text"]));
    assert_eq!(
        a["fields"],
        serde_json::json!([{"title": "Severity", "value": "critical", "short": true}, {"title": "Count", "value": "2", "short": false}])
    );
    assert_eq!(
        a["actions"],
        serde_json::json!([{"type": "button", "text": "Runbook", "url": "http://runbook/InstanceDown"}])
    );

    let b = &reqs[1].body;
    assert_eq!(b["icon_emoji"], ":fire:");
    assert!(b.get("channel").is_none());
    assert_eq!(b["attachments"][0]["text"], "web-1 web-2 ");

    let a = &reqs[2].body["attachments"][0];
    assert_eq!(a["color"], "good");
    assert_eq!(a["title"], "[RESOLVED] InstanceDown (web-1 node critical)");
}

#[tokio::test]
async fn slack_errors_name_the_channel_not_the_url() {
    let (base, _rec) = http_server().await;
    let yaml = config_with(&format!("  slack_configs:\n  - api_url: {base}/status/404\n    channel: '#x'\n"));
    let ints = integrations(&yaml, "r");
    let now = now_ms();
    let e = ints[0].notify(&ctx("r", now), &[alert("a", true, now)]).await.unwrap_err();
    assert!(!e.retryable);
    assert!(e.message.starts_with("channel \"#x\": unexpected status code 404"), "{}", e.message);
    let yaml = config_with(&format!(
        "  slack_configs:\n  - api_url: http://127.0.0.1:{}/services/SECRET\n    channel: '#x'\n",
        closed_port()
    ));
    let ints = integrations(&yaml, "r");
    let e = ints[0].notify(&ctx("r", now), &[alert("a", true, now)]).await.unwrap_err();
    assert!(e.retryable);
    assert!(!e.message.contains("SECRET"), "{}", e.message);
    // A template error is final.
    let yaml =
        config_with(&format!("  slack_configs:\n  - api_url: {base}/ok\n    title: '{{{{ template \"nope\" . }}}}'\n"));
    let ints = integrations(&yaml, "r");
    let e = ints[0].notify(&ctx("r", now), &[alert("a", true, now)]).await.unwrap_err();
    assert!(!e.retryable);
    assert!(e.message.contains("nope"), "{}", e.message);
}

// ---------------------------------------------------------------------------------------------
// PagerDuty.

#[tokio::test]
async fn pagerduty_v2_trigger_and_resolve() {
    let (base, rec) = http_server().await;
    let yaml = config_with(&format!(
        r#"  pagerduty_configs:
  - routing_key: rk-123
    url: {base}/v2/enqueue
    severity: '{{{{ .CommonLabels.severity }}}}'
    class: disk
    links:
    - href: 'http://runbook/{{{{ .GroupLabels.alertname }}}}'
      text: Runbook
    - href: ''
      text: dropped
    images:
    - src: http://img/x.png
      alt: graph
      href: http://graph
    details:
      team: ops
"#
    ));
    let ints = integrations(&yaml, "r");
    assert_eq!(ints[0].kind(), "pagerduty");
    assert!(ints[0].send_resolved());
    let now = now_ms();
    ints[0].notify(&ctx("r", now), &[alert("web-1", true, now), alert("web-2", false, now)]).await.unwrap();
    ints[0].notify(&ctx("r", now), &[alert("web-1", false, now)]).await.unwrap();

    let reqs = requests(&rec);
    assert_eq!(reqs.len(), 2);
    let b = &reqs[0].body;
    assert_eq!(reqs[0].path, "/v2/enqueue");
    assert_eq!(b["routing_key"], "rk-123");
    assert_eq!(b["event_action"], "trigger");
    assert_eq!(b["dedup_key"], GROUP_KEY_SHA256);
    assert_eq!(b["client"], "Alertmanager");
    assert_eq!(b["client_url"], "http://am.example:9093/#/alerts?receiver=r");
    assert!(b.get("service_key").is_none() && b.get("details").is_none());
    let p = &b["payload"];
    assert_eq!(p["summary"], "[FIRING:1] InstanceDown (node critical)");
    assert_eq!(p["source"], "Alertmanager");
    assert_eq!(p["severity"], "critical");
    assert_eq!(p["class"], "disk");
    assert!(p.get("component").is_none());
    let d = &p["custom_details"];
    assert_eq!(d["team"], "ops");
    assert_eq!(d["num_firing"], "1");
    assert_eq!(d["num_resolved"], "1");
    assert!(d["firing"].as_str().unwrap().starts_with("Labels:\n - alertname = InstanceDown\n - instance = web-1\n"));
    assert!(d["resolved"].as_str().unwrap().contains(" - instance = web-2\n"));
    assert_eq!(b["links"], serde_json::json!([{"href": "http://runbook/InstanceDown", "text": "Runbook"}]));
    assert_eq!(b["images"], serde_json::json!([{"src": "http://img/x.png", "alt": "graph", "href": "http://graph"}]));

    let b = &reqs[1].body;
    assert_eq!(b["event_action"], "resolve");
    assert_eq!(b["dedup_key"], GROUP_KEY_SHA256);
    assert_eq!(b["payload"]["summary"], "[RESOLVED] InstanceDown (web-1 node critical)");
}

#[tokio::test]
async fn pagerduty_v2_defaults_and_retries() {
    let (base, _rec) = http_server().await;
    let now = now_ms();
    let alerts = [alert("web-1", true, now)];
    let run = |path: &'static str| {
        let yaml = config_with(&format!("  pagerduty_configs:\n  - routing_key: k\n    url: {base}{path}\n"));
        let alerts = alerts.clone();
        async move { notify_first(&yaml, &alerts, now).await }
    };
    assert!(run("/status/429").await.unwrap_err().retryable);
    assert!(run("/status/500").await.unwrap_err().retryable);
    let e = run("/status/400").await.unwrap_err();
    assert!(!e.retryable);
    assert_eq!(e.message, "unexpected status code 400: Event object is invalid: Length of 'routing_key' is incorrect");
    assert!(!run("/status/403").await.unwrap_err().retryable, "v2 does not retry 403");
    assert!(run("/ok").await.is_ok());
}

#[tokio::test]
async fn pagerduty_v1_events() {
    let (base, rec) = http_server().await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "sk-from-file\n").unwrap();
    let yaml = config_with(&format!(
        "  pagerduty_configs:\n  - service_key: sk-1\n  - service_key_file: {}\n    send_resolved: false\n",
        key_file.display()
    ));
    let config = Config::load(&yaml).unwrap();
    let templates = Arc::new(Templates::load(&config.templates).unwrap());
    let pds = &config.receivers[0].pagerduty_configs;
    let v1 = |i: usize, path: &str| {
        PagerDuty::new(&pds[i], templates.clone()).unwrap().with_v1_url(&format!("{base}{path}"))
    };
    let now = now_ms();
    v1(0, "/v1").notify(&ctx("r", now), &[alert("web-1", true, now)]).await.unwrap();
    v1(0, "/v1").notify(&ctx("r", now), &[alert("web-1", false, now)]).await.unwrap();
    let second = v1(1, "/v1");
    assert!(!second.send_resolved());
    second.notify(&ctx("r", now), &[alert("web-1", true, now)]).await.unwrap();
    let e = v1(0, "/status/403").notify(&ctx("r", now), &[alert("web-1", true, now)]).await.unwrap_err();
    assert!(e.retryable, "v1 retries 403: {e:?}");

    let reqs = requests(&rec);
    let b = &reqs[0].body;
    assert_eq!(b["service_key"], "sk-1");
    assert_eq!(b["event_type"], "trigger");
    assert_eq!(b["incident_key"], GROUP_KEY_SHA256);
    assert_eq!(b["description"], "[FIRING:1] InstanceDown (web-1 node critical)");
    assert_eq!(b["client"], "Alertmanager");
    assert_eq!(b["details"]["num_firing"], "1");
    // Upstream's v1 events carry an empty event_action and a null payload.
    assert_eq!(b["event_action"], "");
    assert!(b["payload"].is_null() && reqs[0].raw.contains("\"payload\":null"));
    assert!(b.get("routing_key").is_none() && b.get("dedup_key").is_none());
    let b = &reqs[1].body;
    assert_eq!(b["event_type"], "resolve");
    assert!(b.get("client").is_none() && b.get("client_url").is_none());
    assert_eq!(reqs[2].body["service_key"], "sk-from-file");
}

// ---------------------------------------------------------------------------------------------
// E-mail over a real SMTP server.

/// A running tests/support/smtp_server.py, stopped on drop.
struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start(args: &[&str]) -> SmtpServer {
        let ok = Command::new(python3()).args(["-c", "import aiosmtpd"]).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "these tests need Python 3 with aiosmtpd: pip install aiosmtpd");
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut child = Command::new(python3())
            .arg(script)
            .arg("--dir")
            .arg(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port =
            line.trim().strip_prefix("PORT ").unwrap_or_else(|| panic!("smtp server said {line:?}")).parse().unwrap();
        SmtpServer { child, port, dir }
    }

    /// The messages received so far, in order.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort_by_key(|p| p.file_stem().unwrap().to_string_lossy().parse::<u32>().unwrap());
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CA and a server certificate for 127.0.0.1 and localhost, written to a directory.
fn test_certs() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    use pharos_protocol::tls::{generate_ca, issue, CertRole};
    let dir = tempfile::tempdir().unwrap();
    let ca = generate_ca("receivers test CA").unwrap();
    let server = issue(&ca, CertRole::Server, "localhost", &["localhost".into(), "127.0.0.1".into()]).unwrap();
    let (ca_pem, cert, key) = (dir.path().join("ca.pem"), dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&ca_pem, &ca.cert_pem).unwrap();
    std::fs::write(&cert, &server.cert_pem).unwrap();
    std::fs::write(&key, &server.key_pem).unwrap();
    (dir, ca_pem, cert, key)
}

fn email_config(port: u16, extra: &str) -> String {
    format!(
        "global:\n  smtp_smarthost: 127.0.0.1:{port}\n  smtp_from: 'Pharos <alerts@pharos.test>'\n  smtp_hello: pharos.test\n{}",
        config_with(&format!("  email_configs:\n  - to: 'ops@example.org, Bob <bob@example.org>'\n{extra}"))
    )
}

#[tokio::test]
async fn email_plain_smtp_with_headers_and_both_bodies() {
    let server = SmtpServer::start(&[]);
    let yaml = email_config(
        server.port,
        "    require_tls: false\n    send_resolved: true\n    headers:\n      x-team: 'ops {{ .Status }}'\n      subject: 'Déjà {{ len .Alerts }} alerts'\n    text: 'Text: {{ range .Alerts }}{{ .Labels.instance }} {{ end }}'\n",
    );
    let ints = integrations(&yaml, "r");
    assert_eq!(ints[0].kind(), "email");
    assert!(ints[0].send_resolved());
    let now = now_ms();
    ints[0].notify(&ctx("r", now), &[alert("web-1", true, now), alert("web-2", false, now)]).await.unwrap();

    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m["mail_from"], "alerts@pharos.test");
    assert_eq!(m["rcpt_tos"], serde_json::json!(["ops@example.org", "bob@example.org"]));
    assert_eq!(m["tls"], false);
    let h = &m["headers"];
    assert_eq!(h["Subject"], "Déjà 2 alerts");
    assert_eq!(h["X-Team"], "ops firing");
    assert_eq!(h["To"], "ops@example.org, Bob <bob@example.org>");
    assert_eq!(h["From"], "Pharos <alerts@pharos.test>");
    assert_eq!(h["MIME-Version"], "1.0");
    let id = h["Message-Id"].as_str().unwrap();
    assert!(id.starts_with('<') && id.ends_with('>') && id.contains('@'), "{id}");
    assert!(h["Date"].as_str().unwrap().ends_with("+0000"), "{}", h["Date"]);
    // The subject travels RFC 2047-encoded.
    assert!(m["data"].as_str().unwrap().contains("Subject: =?utf-8?q?D=C3=A9j=C3=A0_2_alerts?="));
    assert_eq!(m["content_type"], "multipart/alternative");
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(parts[0]["body"], "Text: web-1 web-2 ");
    assert_eq!(parts[1]["content_type"], "text/html");
    let html = parts[1]["body"].as_str().unwrap();
    assert!(html.contains("<title>[FIRING:1] InstanceDown (node critical)</title>"), "{html}");
    assert!(html.contains("web-1 is down") && html.contains("web-2 is down"), "{html}");
}

#[tokio::test]
async fn email_default_subject_and_html_only() {
    let server = SmtpServer::start(&[]);
    let ints = integrations(&email_config(server.port, "    require_tls: false\n"), "r");
    let now = now_ms();
    ints[0].notify(&ctx("r", now), &[alert("web-1", true, now)]).await.unwrap();
    let m = &server.messages()[0];
    assert_eq!(m["headers"]["Subject"], "[FIRING:1] InstanceDown (web-1 node critical)");
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0]["content_type"], "text/html");
}

#[tokio::test]
async fn email_starttls_verifies_the_server() {
    let (_certs, ca, cert, key) = test_certs();
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let server = SmtpServer::start(&["--cert", &cert, "--key", &key, "--require-starttls"]);
    let now = now_ms();
    let alerts = [alert("web-1", true, now)];

    // require_tls defaults to true: STARTTLS with the test CA trusted.
    let yaml = email_config(server.port, &format!("    tls_config:\n      ca_file: {}\n", ca.display()));
    integrations(&yaml, "r")[0].notify(&ctx("r", now), &alerts).await.unwrap();
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["tls"], true);

    // Without the CA the certificate is refused, and that is worth retrying.
    let e = integrations(&email_config(server.port, ""), "r")[0].notify(&ctx("r", now), &alerts).await.unwrap_err();
    assert!(e.retryable);
    assert!(e.message.contains("STARTTLS"), "{}", e.message);
    // insecure_skip_verify accepts it.
    let yaml = email_config(server.port, "    tls_config:\n      insecure_skip_verify: true\n");
    integrations(&yaml, "r")[0].notify(&ctx("r", now), &alerts).await.unwrap();
    assert_eq!(server.messages().len(), 2);
}

#[tokio::test]
async fn email_implicit_tls() {
    let (_certs, ca, cert, key) = test_certs();
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let server = SmtpServer::start(&["--cert", &cert, "--key", &key, "--implicit-tls"]);
    // require_tls (default true) is met by the TLS connection itself: no STARTTLS is needed.
    let yaml = email_config(server.port, &format!("    tls_config:\n      ca_file: {}\n", ca.display()));
    let config = Config::load(&yaml).unwrap();
    let templates = Arc::new(Templates::load(&config.templates).unwrap());
    let email = Email::new(&config.receivers[0].email_configs[0], templates).unwrap();
    let now = now_ms();
    let alerts = [alert("web-1", true, now)];
    // On a port other than 465, plain SMTP is spoken first and the TLS server does not answer it.
    let plain = tokio::time::timeout(std::time::Duration::from_secs(2), email.notify(&ctx("r", now), &alerts)).await;
    assert!(!matches!(plain, Ok(Ok(()))));
    let email = email.with_implicit_tls(true);
    email.notify(&ctx("r", now), &alerts).await.unwrap();
    let msgs = server.messages();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["tls"], true);
}

#[tokio::test]
async fn email_require_tls_needs_starttls() {
    let server = SmtpServer::start(&[]);
    let now = now_ms();
    let e = integrations(&email_config(server.port, ""), "r")[0]
        .notify(&ctx("r", now), &[alert("web-1", true, now)])
        .await
        .unwrap_err();
    assert!(e.retryable);
    assert!(e.message.contains("does not advertise the STARTTLS extension"), "{}", e.message);
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn email_auth_plain_and_login() {
    let (_certs, ca, cert, key) = test_certs();
    let now = now_ms();
    let alerts = [alert("web-1", true, now)];

    // Plain connection to 127.0.0.1: PLAIN is allowed (as Go allows it to localhost).
    let server = SmtpServer::start(&["--auth", "alice:s3cret"]);
    let auth = "    require_tls: false\n    auth_username: alice\n    auth_password: s3cret\n";
    integrations(&email_config(server.port, auth), "r")[0].notify(&ctx("r", now), &alerts).await.unwrap();
    assert_eq!(server.messages()[0]["auth_user"], "alice");
    assert_eq!(server.messages()[0]["auth_mechanism"], "PLAIN");

    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, "s3cret").unwrap();
    let auth = format!("    require_tls: false\n    auth_username: alice\n    auth_password_file: {}\n", pw.display());
    integrations(&email_config(server.port, &auth), "r")[0].notify(&ctx("r", now), &alerts).await.unwrap();
    assert_eq!(server.messages().len(), 2);

    let bad = "    require_tls: false\n    auth_username: alice\n    auth_password: wrong\n";
    let e = integrations(&email_config(server.port, bad), "r")[0].notify(&ctx("r", now), &alerts).await.unwrap_err();
    assert!(e.retryable);
    assert!(e.message.contains("auth"), "{}", e.message);
    // Without credentials the server refuses the mail.
    let none = "    require_tls: false\n";
    assert!(integrations(&email_config(server.port, none), "r")[0].notify(&ctx("r", now), &alerts).await.is_err());
    assert_eq!(server.messages().len(), 2);
    drop(server);

    // AUTH after STARTTLS.
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let server = SmtpServer::start(&["--cert", &cert, "--key", &key, "--require-starttls", "--auth", "bob:pw"]);
    let extra =
        format!("    auth_username: bob\n    auth_password: pw\n    tls_config:\n      ca_file: {}\n", ca.display());
    integrations(&email_config(server.port, &extra), "r")[0].notify(&ctx("r", now), &alerts).await.unwrap();
    let m = &server.messages()[0];
    assert_eq!((m["tls"].as_bool(), m["auth_user"].as_str()), (Some(true), Some("bob")));
    assert_eq!(m["auth_mechanism"], "PLAIN");
    drop(server);

    // Unencrypted to a host that is not localhost: Go's PLAIN refuses, so LOGIN is used.
    let server = SmtpServer::start(&["--host", "127.0.0.2", "--auth", "carol:pw"]);
    let yaml = email_config(server.port, "    require_tls: false\n    auth_username: carol\n    auth_password: pw\n")
        .replace("127.0.0.1:", "127.0.0.2:");
    integrations(&yaml, "r")[0].notify(&ctx("r", now), &alerts).await.unwrap();
    let m = &server.messages()[0];
    assert_eq!((m["auth_user"].as_str(), m["auth_mechanism"].as_str()), (Some("carol"), Some("LOGIN")));
}

#[tokio::test]
async fn email_connection_refused_is_retryable() {
    let now = now_ms();
    let yaml = email_config(closed_port(), "    require_tls: false\n");
    let e = integrations(&yaml, "r")[0].notify(&ctx("r", now), &[alert("web-1", true, now)]).await.unwrap_err();
    assert!(e.retryable, "{e:?}");
    // A bad address is not.
    let yaml = email_config(closed_port(), "    require_tls: false\n    from: 'not an address'\n");
    let e = integrations(&yaml, "r")[0].notify(&ctx("r", now), &[alert("web-1", true, now)]).await.unwrap_err();
    assert!(!e.retryable, "{e:?}");
}

// ---------------------------------------------------------------------------------------------
// Building.

#[test]
fn build_covers_every_receiver() {
    let yaml = r#"
global:
  smtp_smarthost: localhost:25
  smtp_from: a@b.c
  slack_api_url: http://slack.invalid/x
route:
  receiver: all
receivers:
- name: all
  email_configs: [{to: x@y.z}]
  pagerduty_configs: [{routing_key: k}]
  slack_configs: [{channel: '#a'}, {channel: '#b'}]
  webhook_configs: [{url: 'http://h/'}]
- name: empty
"#;
    let config = Config::load(yaml).unwrap();
    let all = receivers::build(&config).unwrap();
    let kinds: Vec<&str> = all["all"].iter().map(|i| i.kind()).collect();
    assert_eq!(kinds, ["email", "pagerduty", "slack", "slack", "webhook"]);
    assert!(all["empty"].is_empty());

    let bad = yaml.replace("route:", "templates: ['/nonexistent-dir/*.tmpl']\nroute:");
    assert!(receivers::build(&Config::load(&bad).unwrap()).is_ok(), "a glob matching nothing is fine");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.tmpl"), "{{ define \"x\" }}{{ end").unwrap();
    let broken = yaml.replace("route:", &format!("templates: ['{}/*.tmpl']\nroute:", dir.path().display()));
    let err = receivers::build(&Config::load(&broken).unwrap()).err().unwrap().to_string();
    assert!(err.contains("x.tmpl"), "{err}");
    let oauth = yaml.replace(
        "webhook_configs: [{url: 'http://h/'}]",
        "webhook_configs: [{url: 'http://h/', http_config: {oauth2: {client_id: a, client_secret: b, token_url: 'http://t/'}}}]",
    );
    assert!(receivers::build(&Config::load(&oauth).unwrap()).is_err());
}

/// Debian's Python, where scripts/test.sh installs aiosmtpd (python3-aiosmtpd), rather than
/// whichever `python3` comes first in PATH (a pyenv shim on some machines, without it).
fn python3() -> &'static str {
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}
