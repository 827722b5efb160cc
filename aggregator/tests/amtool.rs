//! The Alertmanager API v2 against its real clients: Alertmanager 0.25's `amtool`
//! (`/usr/bin/amtool`; `$AMTOOL` overrides the path) and a Prometheus-style alert post over
//! HTTP. An Alertmanager with the configuration below (from a file, no integrations) is served
//! with axum on 127.0.0.1 inside each test.
//!
//! Without amtool these tests fail: CI installs it, so a missing binary is an error, not a skip.

use std::collections::HashMap;
use std::process::Command;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use pharos_aggregator::alerting::config::Config;
use pharos_aggregator::alerting::manager::{Alertmanager, Handle};

use pharos_aggregator::api::alertmanager;

const YAML: &str = r#"
global:
  resolve_timeout: 5m
  smtp_smarthost: localhost:25
  smtp_from: pharos@example.org
  smtp_auth_username: pharos
  smtp_auth_password: hunter2-smtp
route:
  receiver: team
  group_by: [alertname]
  routes:
    - matchers: [severity="page"]
      receiver: pager
receivers:
  - name: team
  - name: pager
    webhook_configs:
      - url: http://127.0.0.1:9/hook
        http_config:
          basic_auth: {username: hook, password: hunter2-hook}
"#;

struct Server {
    url: String,
    addr: std::net::SocketAddr,
    handle: Handle,
    _dir: tempfile::TempDir,
}

/// Starts an Alertmanager from a configuration file and serves the API on a free port.
async fn serve() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alertmanager.yml");
    std::fs::write(&path, YAML).unwrap();
    let config = Config::load_file(&path).unwrap();
    let handle =
        Alertmanager::start(config, HashMap::new(), &dir.path().join("data"), "http://pharos:9090".into()).unwrap();
    let app = alertmanager::router(handle.clone()).merge(alertmanager::v1_router(handle.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { url: format!("http://{addr}"), addr, handle, _dir: dir }
}

/// What one amtool run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `amtool --alertmanager.url=URL ARGS…` off the runtime.
async fn amtool(url: &str, args: &[&str]) -> Run {
    let bin = std::env::var("AMTOOL").unwrap_or_else(|_| "/usr/bin/amtool".to_string());
    let mut full = vec![format!("--alertmanager.url={url}")];
    full.extend(args.iter().map(|a| a.to_string()));
    let out = tokio::task::spawn_blocking(move || {
        Command::new(&bin).args(&full).output().unwrap_or_else(|e| {
            panic!(
                "cannot run `{bin}` ({e}). These tests need Alertmanager's amtool 0.25 (Debian/Ubuntu: \
                 `apt-get install prometheus-alertmanager`, or set AMTOOL=/path/to/amtool)"
            )
        })
    })
    .await
    .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs amtool and requires success.
async fn amtool_ok(url: &str, args: &[&str]) -> String {
    let r = amtool(url, args).await;
    assert_eq!(r.code, Some(0), "amtool {args:?} failed:\n{}\n{}", r.stdout, r.stderr);
    r.stdout
}

/// Posts like Prometheus' notifier does: one HTTP/1.1 request with its headers.
async fn http_post(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: Prometheus/2.42.0\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).await.unwrap();
    let status = resp.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = resp.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
    (status, body)
}

fn rfc3339_in(minutes: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    alertmanager::models::format_time(now + minutes * 60_000)
}

/// The body Prometheus 2.42's notifier sends (`models.PostableAlerts` as go-swagger writes it:
/// annotations, endsAt, startsAt, generatorURL, labels), a firing alert with an explicit end.
fn prometheus_body(name: &str, severity: &str) -> String {
    format!(
        r#"[{{"annotations":{{"summary":"latency high on {name}"}},"endsAt":"{}","startsAt":"{}","generatorURL":"http://prom:9090/graph?g0.expr=up%3D%3D0&g0.tab=1","labels":{{"alertname":"{name}","instance":"a:9100","job":"node","severity":"{severity}"}}}}]"#,
        rfc3339_in(4),
        rfc3339_in(-10)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn prometheus_post_over_http_is_listed() {
    let srv = serve().await;
    let (status, body) = http_post(srv.addr, "/api/v2/alerts", &prometheus_body("HighLatency", "page")).await;
    assert_eq!((status, body.as_str()), (200, ""));
    let alerts = srv.handle.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.name(), "HighLatency");
    assert_eq!(alerts[0].receivers, ["pager"]);
    assert_eq!(alerts[0].alert.generator_url, "http://prom:9090/graph?g0.expr=up%3D%3D0&g0.tab=1");
    assert!(!alerts[0].alert.timeout, "an explicit end is not a resolve timeout");
    // A malformed post is refused with go-openapi's error body.
    let (status, body) = http_post(srv.addr, "/api/v2/alerts", "[{").await;
    assert_eq!(status, 400);
    assert!(body.starts_with(r#"{"code":400,"message":"parsing alerts body"#), "{body}");
    // Prometheus with `api_version: v1`.
    let (status, body) = http_post(srv.addr, "/api/v1/alerts", &prometheus_body("V1Alert", "warning")).await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"success"}"#));
    assert_eq!(srv.handle.alerts().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn amtool_alerts_silences_and_config() {
    let srv = serve().await;
    let url = srv.url.as_str();
    assert_eq!(http_post(srv.addr, "/api/v2/alerts", &prometheus_body("HighLatency", "page")).await.0, 200);
    // amtool's own post.
    amtool_ok(url, &["alert", "add", "alertname=DiskFull", "severity=warning", "--annotation=summary=disk full"]).await;

    // alert query: a table of both, active.
    let out = amtool_ok(url, &["alert", "query"]).await;
    assert!(out.starts_with("Alertname"), "{out}");
    assert!(out.contains("HighLatency") && out.contains("latency high on HighLatency"), "{out}");
    assert!(out.contains("DiskFull") && out.contains("disk full"), "{out}");
    // With a matcher.
    // No version warning: the status reports the Alertmanager version amtool expects.
    let r = amtool(url, &["alert", "query"]).await;
    assert_eq!((r.code, r.stderr.as_str()), (Some(0), ""));
    let out = amtool_ok(url, &["alert", "query", "alertname=DiskFull"]).await;
    assert!(out.contains("DiskFull") && !out.contains("HighLatency"), "{out}");
    let out = amtool_ok(url, &["alert", "query", "--receiver=pag.*"]).await;
    assert!(!out.contains("DiskFull") && out.contains("HighLatency"), "{out}");
    let out = amtool_ok(url, &["alert", "query", "severity=~pa.*"]).await;
    assert!(!out.contains("DiskFull") && out.contains("HighLatency"), "{out}");
    // JSON output: amtool decodes our response into its models and prints them again.
    let out = amtool_ok(url, &["alert", "query", "-o", "json", "alertname=HighLatency"]).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{out}");
    assert_eq!(v[0]["labels"]["severity"], "page");
    assert_eq!(v[0]["receivers"][0]["name"], "pager");
    assert_eq!(v[0]["status"]["state"], "active");
    assert_eq!(v[0]["fingerprint"].as_str().unwrap().len(), 16);
    assert_eq!(v[0]["generatorURL"], "http://prom:9090/graph?g0.expr=up%3D%3D0&g0.tab=1");

    // silence add prints the new ID.
    let id = amtool_ok(
        url,
        &["silence", "add", "alertname=HighLatency", "--comment=maintenance", "--author=ops", "--duration=1h"],
    )
    .await
    .trim()
    .to_string();
    assert_eq!(id.len(), 36, "silence ID: {id:?}");
    let out = amtool_ok(url, &["silence", "query"]).await;
    assert!(out.contains(&id) && out.contains("ops") && out.contains("maintenance"), "{out}");
    assert!(out.contains("alertname=\"HighLatency\""), "{out}");
    assert_eq!(amtool_ok(url, &["silence", "query", "-q"]).await.trim(), id);
    assert_eq!(amtool_ok(url, &["silence", "query", "-q", "alertname=HighLatency"]).await.trim(), id);
    assert_eq!(amtool_ok(url, &["silence", "query", "-q", "alertname=Other"]).await.trim(), "");
    // silence update reads the silence (GET /silence/{id}) and posts it back with its ID.
    let out = amtool_ok(url, &["silence", "update", &id, "--duration=2h", "--comment=longer"]).await;
    // It prints the updated silence: an active one with the same matchers keeps its ID.
    assert!(out.starts_with("ID") && out.contains(&id) && out.contains("longer"), "{out}");
    let out = amtool_ok(url, &["silence", "query", "-o", "json"]).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["comment"], "longer");
    assert_eq!(v[0]["createdBy"], "ops");

    // The silenced alert leaves the default query and shows with --silenced.
    let out = amtool_ok(url, &["alert", "query"]).await;
    assert!(!out.contains("HighLatency") && out.contains("DiskFull"), "{out}");
    let out = amtool_ok(url, &["alert", "query", "--silenced"]).await;
    assert!(out.contains("HighLatency") && !out.contains("DiskFull"), "{out}");
    let out = amtool_ok(url, &["alert", "query", "--silenced", "-o", "json"]).await;
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["status"]["silencedBy"][0], id.as_str());
    assert_eq!(v[0]["status"]["state"], "suppressed");

    // Expire: gone from the query, listed as expired, and the alert is active again.
    amtool_ok(url, &["silence", "expire", &id]).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(amtool_ok(url, &["silence", "query", "-q"]).await.trim(), "");
    assert_eq!(amtool_ok(url, &["silence", "query", "-q", "--expired"]).await.trim(), id);
    assert!(amtool_ok(url, &["alert", "query"]).await.contains("HighLatency"));
    // An unknown silence cannot be expired.
    let r = amtool(url, &["silence", "expire", "8f6b2ad4-4c57-4e0c-8b5a-3b1e0c3c1b2a"]).await;
    assert_ne!(r.code, Some(0), "{}", r.stdout);

    // config show prints the configuration from /api/v2/status, secrets masked as upstream.
    let out = amtool_ok(url, &["config", "show"]).await;
    assert!(out.contains("receiver: pager") && out.contains("severity=\"page\""), "{out}");
    assert!(!out.contains("hunter2"), "secret shown:\n{out}");
    assert!(out.contains("smtp_auth_password: <secret>") && out.contains("password: <secret>"), "{out}");
    // config routes parses that configuration and prints the tree.
    let out = amtool_ok(url, &["config", "routes"]).await;
    assert!(out.contains("default-route  receiver: team"), "{out}");
    assert!(out.contains("{severity=\"page\"}  receiver: pager"), "{out}");
    let out = amtool_ok(url, &["config", "routes", "test", "severity=page"]).await;
    assert_eq!(out.trim(), "pager");
    // cluster show reads the cluster status.
    let out = amtool_ok(url, &["cluster", "show"]).await;
    assert!(out.contains("disabled"), "{out}");
}
