//! HTTP security (`[http]`) with the real binary: with credentials configured, every route group
//! refuses a request without a credential (401 with `WWW-Authenticate`) or with a wrong one, a
//! `read` credential is refused on write and admin paths (403) and the right role is served
//! (2xx); Basic auth works from Debian's promtool 2.42 (credentials in the URL), a bearer token
//! with the CA from Debian 13's promtool 2.53 through `--http.config.file` (2.42's `query` lacks
//! the flag; scripts/test.sh unpacks 2.53) and from Debian's Prometheus scraping `/federate` over
//! HTTPS; HTTPS with the aggregator's own CA and with certificate files works with
//! `curl --cacert` while plain HTTP on that port fails; oversized bodies (declared and chunked)
//! get 413 and a credential over its rate 429 with `Retry-After`, both as Prometheus error JSON;
//! CORS headers only when `cors_origin` is set and matches.
//!
//! Run: `cargo build --release --workspace && cargo test --release -p pharos-e2e --test http_security`.

use pharos_e2e::{bcrypt_hash, bin, free_port, wait_for, Aggregator, Proc};
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const PROMTOOL: &str = "/usr/bin/promtool";
const PROMETHEUS: &str = "/usr/bin/prometheus";
/// Debian 13's promtool, unpacked by scripts/apt.sh's `ensure_promtool_2_53`.
const PROMTOOL_2_53: &str = "/opt/pharos-test/promtool-2.53/usr/bin/promtool";
const READ_TOKEN: &str = "read-token-0123456789";
const WRITE_TOKEN: &str = "write-token-0123456789";

/// `[[http.credentials]]`: read and write bearer tokens, an admin and a read Basic user.
fn credentials() -> String {
    format!(
        "[[http.credentials]]\nname = \"grafana\"\nrole = \"read\"\nbearer_token_hash = \"{}\"\n\
         [[http.credentials]]\nname = \"pusher\"\nrole = \"write\"\nbearer_token_hash = \"{}\"\n\
         [[http.credentials]]\nname = \"ops\"\nrole = \"admin\"\nusername = \"admin\"\npassword_hash = \"{}\"\n\
         [[http.credentials]]\nname = \"viewer\"\nrole = \"read\"\nusername = \"viewer\"\npassword_hash = \"{}\"\n",
        bcrypt_hash(READ_TOKEN),
        bcrypt_hash(WRITE_TOKEN),
        bcrypt_hash("admin-pass"),
        bcrypt_hash("viewer-pass"),
    )
}

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(30)).build().expect("client")
}

/// A credential to present.
#[derive(Clone, Copy, Debug)]
enum Cred {
    None,
    Bearer(&'static str),
    Basic(&'static str, &'static str),
}

fn with(req: RequestBuilder, cred: Cred) -> RequestBuilder {
    match cred {
        Cred::None => req,
        Cred::Bearer(t) => req.bearer_auth(t),
        Cred::Basic(u, p) => req.basic_auth(u, Some(p)),
    }
}

const ADMIN: Cred = Cred::Basic("admin", "admin-pass");

/// The error JSON of a refusal, checked for Prometheus' shape.
fn error_json(resp: Response, status: u16, error_type: &str, what: &str) -> Value {
    assert_eq!(resp.status().as_u16(), status, "{what}");
    assert_eq!(resp.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"), "{what}");
    let v: Value = resp.json().expect("error JSON");
    assert_eq!(v["status"], "error", "{what}: {v}");
    assert_eq!(v["errorType"], error_type, "{what}: {v}");
    assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{what}: {v}");
    v
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Read,
    Write,
    Admin,
}

/// One request of the walk.
struct Call {
    method: &'static str,
    path: String,
    body: Vec<u8>,
    headers: Vec<(&'static str, &'static str)>,
    role: Role,
}

fn call(method: &'static str, path: &str, role: Role) -> Call {
    Call { method, path: path.to_string(), body: Vec::new(), headers: Vec::new(), role }
}

fn call_body(method: &'static str, path: &str, role: Role, ct: &'static str, body: impl Into<Vec<u8>>) -> Call {
    Call { method, path: path.to_string(), body: body.into(), headers: vec![("content-type", ct)], role }
}

fn send(http: SocketAddr, c: &Call, cred: Cred) -> Response {
    let method = reqwest::Method::from_bytes(c.method.as_bytes()).expect("method");
    let mut req = client().request(method, format!("http://{http}{}", c.path)).body(c.body.clone());
    for (k, v) in &c.headers {
        req = req.header(*k, *v);
    }
    with(req, cred).send().unwrap_or_else(|e| panic!("{} {}: {e}", c.method, c.path))
}

const SILENCE: &str = r#"{"matchers":[{"name":"alertname","value":"SecTest","isRegex":false,"isEqual":true}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","createdBy":"test","comment":"http security"}"#;
const ALERTS_V2: &str = r#"[{"labels":{"alertname":"SecTest","severity":"none"}}]"#;

fn secured_aggregator(extra: &str) -> Aggregator {
    let port = free_port();
    let agg = Aggregator::setup_with(&format!(
        "[pushgateway]\nadmin_api = true\n[alerting]\nconfig_file = \"alertmanager.yml\"\n{extra}"
    ));
    std::fs::write(
        agg.dir.path().join("alertmanager.yml"),
        format!(
            "route:\n  receiver: hook\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:{port}/hook\n"
        ),
    )
    .expect("alertmanager.yml");
    agg
}

#[test]
fn every_route_group_needs_a_credential_with_the_right_role() {
    let mut agg = secured_aggregator(&credentials());
    let http = agg.http;
    agg.start_probing(|| {
        client().get(format!("http://{http}/-/ready")).bearer_auth(READ_TOKEN).send().is_ok_and(|r| r.status() == 200)
    });
    let write_body = pharos_protocol::remote::encode(&pharos_protocol::remote::WriteRequest::default());
    // A silence to delete in the walk (the admin creates it; the refused tries leave it).
    let created: Value = with(client().post(format!("http://{http}/api/v2/silences")), ADMIN)
        .header("content-type", "application/json")
        .body(SILENCE)
        .send()
        .expect("post silence")
        .json()
        .expect("silence json");
    let silence_id = created["silenceID"].as_str().expect("silenceID").to_string();

    let mut calls = vec![
        call("GET", "/api/v1/query?query=1", Role::Read),
        call_body("POST", "/api/v1/query", Role::Read, "application/x-www-form-urlencoded", "query=1%2B1"),
        call("GET", "/api/v1/query_range?query=1&start=0&end=60&step=15", Role::Read),
        call("GET", "/api/v1/series?match[]=up", Role::Read),
        call("GET", "/api/v1/labels", Role::Read),
        call("GET", "/api/v1/label/job/values", Role::Read),
        call("GET", "/api/v1/format_query?query=up", Role::Read),
        call("GET", "/api/v1/status/buildinfo", Role::Read),
        call("GET", "/federate?match[]=up", Role::Read),
        call("GET", "/-/healthy", Role::Read),
        call("GET", "/-/ready", Role::Read),
        call("GET", "/api/v1/rules", Role::Read),
        call("GET", "/api/v1/alerts", Role::Read),
        call("GET", "/metrics", Role::Read),
        call("GET", "/api/v1/metrics", Role::Read),
        call("GET", "/api/v1/status", Role::Read),
        call("GET", "/api/v2/alerts", Role::Read),
        call("GET", "/api/v2/alerts/groups", Role::Read),
        call("GET", "/api/v2/silences", Role::Read),
        call("GET", &format!("/api/v2/silence/{silence_id}"), Role::Read),
        call("GET", "/api/v2/status", Role::Read),
        call("GET", "/api/v2/receivers", Role::Read),
        call_body("PUT", "/metrics/job/sec", Role::Write, "text/plain", "sec_metric 1\n"),
        call_body("POST", "/metrics/job/sec/instance/a", Role::Write, "text/plain", "sec_metric 2\n"),
        call("DELETE", "/metrics/job/sec/instance/a", Role::Write),
        Call {
            method: "POST",
            path: "/api/v1/write".into(),
            body: write_body,
            headers: vec![
                ("content-type", "application/x-protobuf"),
                ("content-encoding", "snappy"),
                ("x-prometheus-remote-write-version", "0.1.0"),
            ],
            role: Role::Write,
        },
        call_body("POST", "/api/v1/import/prometheus", Role::Write, "text/plain", "sec_import 1\n"),
        call_body("POST", "/api/v2/alerts", Role::Write, "application/json", ALERTS_V2),
        call_body("POST", "/api/v1/alerts", Role::Write, "application/json", ALERTS_V2),
        call("POST", "/-/reload", Role::Admin),
        call("PUT", "/api/v1/admin/wipe", Role::Admin),
        call_body("POST", "/api/v2/silences", Role::Admin, "application/json", SILENCE),
        call("DELETE", &format!("/api/v2/silence/{silence_id}"), Role::Admin),
    ];
    // An unknown path is refused like the others (never a 404 to a stranger).
    calls.push(call("GET", "/no/such/path", Role::Read));

    for c in &calls {
        let what = format!("{} {}", c.method, c.path);
        let r = send(http, c, Cred::None);
        let challenges: Vec<String> = r
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        assert_eq!(challenges, ["Basic realm=\"pharos\"", "Bearer realm=\"pharos\""], "{what}");
        error_json(r, 401, "unauthorized", &format!("{what} without a credential"));
        error_json(send(http, c, Cred::Bearer("not-a-token")), 401, "unauthorized", &format!("{what} bad token"));
        error_json(send(http, c, Cred::Basic("admin", "wrong")), 401, "unauthorized", &format!("{what} bad password"));
        for (cred, role) in [(Cred::Bearer(READ_TOKEN), Role::Read), (Cred::Bearer(WRITE_TOKEN), Role::Write)] {
            let r = send(http, c, cred);
            if role == c.role {
                if c.path != "/no/such/path" {
                    assert!(
                        r.status().is_success(),
                        "{what} as {role:?}: {} {}",
                        r.status(),
                        r.text().unwrap_or_default()
                    );
                }
            } else {
                error_json(r, 403, "forbidden", &format!("{what} as {role:?}"));
            }
        }
        let r = send(http, c, ADMIN);
        if c.path == "/no/such/path" {
            assert_eq!(r.status().as_u16(), 404, "{what} as admin");
        } else {
            assert!(r.status().is_success(), "{what} as admin: {} {}", r.status(), r.text().unwrap_or_default());
        }
    }
    // The write role really wrote: the import is there for a reader.
    let v: Value = client()
        .get(format!("http://{http}/api/v1/query?query=sec_import"))
        .bearer_auth(READ_TOKEN)
        .send()
        .expect("query")
        .json()
        .expect("json");
    assert_eq!(v["data"]["result"][0]["value"][1], "1", "{v}");
    // No CORS header unless configured, even for a request with an Origin.
    let r = client()
        .get(format!("http://{http}/api/v1/query?query=1"))
        .bearer_auth(READ_TOKEN)
        .header("origin", "https://grafana.example.com")
        .send()
        .expect("query");
    assert!(r.headers().get("access-control-allow-origin").is_none());

    // Debian's promtool 2.42 with Basic auth (credentials in the URL; a wrong one fails).
    assert!(Path::new(PROMTOOL).exists(), "{PROMTOOL} is missing: apt-get install prometheus");
    let out = Command::new(PROMTOOL)
        .args(["query", "instant", &format!("http://viewer:viewer-pass@{http}"), "sec_import + 41"])
        .output()
        .expect("promtool");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "promtool: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("=> 42 @"), "promtool output: {stdout}");
    let out = Command::new(PROMTOOL)
        .args(["query", "instant", &format!("http://viewer:wrong@{http}"), "1"])
        .output()
        .expect("promtool");
    assert!(!out.status.success(), "promtool with a wrong password succeeded");
    assert!(!agg.log().contains(READ_TOKEN) && !agg.log().contains("admin-pass"), "a secret was logged");
    agg.stop();
}

fn curl(args: &[&str]) -> (bool, String, String) {
    let out = Command::new("curl").args(["-sS", "--max-time", "10"]).args(args).output().expect("curl");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn https_with_the_aggregators_ca_and_with_certificate_files() {
    let mut agg = Aggregator::setup_with(&format!(
        "[http]\ntls = \"ca\"\n[[http.credentials]]\nname = \"grafana\"\nrole = \"read\"\nbearer_token_hash = \"{}\"\n",
        bcrypt_hash(READ_TOKEN)
    ));
    // The shared setup names only `localhost` in the server certificate; the default names of
    // `cert init` include 127.0.0.1, which the URLs below use.
    let out = Command::new(bin("pharos-aggregator"))
        .args(["--config", agg.config.to_str().expect("utf8"), "cert", "init", "--force"])
        .args(["--server-name", "localhost", "--server-name", "127.0.0.1"])
        .output()
        .expect("cert init");
    assert!(out.status.success(), "cert init: {}", String::from_utf8_lossy(&out.stderr));
    let ca = agg.tls_dir().join("ca.pem");
    let ca_s = ca.to_str().expect("utf8").to_string();
    let http = agg.http;
    let auth = format!("Authorization: Bearer {READ_TOKEN}");
    let url = format!("https://127.0.0.1:{}/api/v1/query?query=1%2B1", http.port());
    let probe = {
        let (ca_s, auth) = (ca_s.clone(), auth.clone());
        move || curl(&["--cacert", &ca_s, "-H", &auth, &format!("https://127.0.0.1:{}/-/ready", http.port())]).0
    };
    agg.start_probing(probe.clone());
    let (ok, body, err) = curl(&["--cacert", &ca_s, "-H", &auth, &url]);
    assert!(ok, "curl --cacert: {err}");
    let v: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["data"]["result"][1], "2", "{v}");
    // Without the CA curl refuses the certificate; plain HTTP on the port gets no answer.
    assert!(!curl(&["-H", &auth, &url]).0, "curl trusted the certificate without --cacert");
    let (ok, _, err) = curl(&["-H", &auth, &format!("http://{http}/api/v1/query?query=1")]);
    assert!(!ok, "plain HTTP was answered on the HTTPS port");
    assert!(!err.is_empty());
    // TLS without a credential is still refused.
    let (ok, body, _) = curl(&["--cacert", &ca_s, &url]);
    assert!(ok && body.contains("\"errorType\":\"unauthorized\""), "{body}");

    // promtool 2.53 with --http.config.file carrying the bearer token and the CA; a wrong token
    // is refused.
    let (ok, out) = promtool_with_http_config(&agg, http, READ_TOKEN, &ca_s);
    assert!(ok && out.contains("scalar: 2 @["), "promtool query --http.config.file: {out}");
    let (ok, out) = promtool_with_http_config(&agg, http, "not-a-token", &ca_s);
    assert!(!ok && out.contains("401"), "promtool with a wrong token: {out}");

    // Debian's Prometheus scrapes /federate over HTTPS with the bearer token.
    let prom = Prometheus::start(http, &ca_s);
    let up = wait_for(Duration::from_secs(30), || {
        let v: Value = client().get(format!("http://{}/api/v1/query?query=up", prom.addr)).send().ok()?.json().ok()?;
        (v["data"]["result"][0]["value"][1] == "1").then_some(())
    });
    assert!(up.is_some(), "Prometheus did not scrape /federate; log:\n{}", prom.proc.log_text());
    drop(prom);

    // The same certificate as files.
    agg.stop();
    let cfg = std::fs::read_to_string(&agg.config).expect("config").replace(
        "tls = \"ca\"",
        &format!(
            "tls_cert_file = \"{}\"\ntls_key_file = \"{}\"",
            agg.tls_dir().join("server.pem").display(),
            agg.tls_dir().join("server-key.pem").display()
        ),
    );
    std::fs::write(&agg.config, cfg).expect("config");
    agg.start_probing(probe);
    let (ok, body, err) = curl(&["--cacert", &ca_s, "-H", &auth, &url]);
    assert!(ok && body.contains("\"status\":\"success\""), "{body}{err}");
    agg.stop();
}

/// `promtool query instant --http.config.file` (Debian 13's 2.53) against the HTTPS listener at
/// `http` with `token` in a credentials file and the CA: whether it succeeded, and its output.
fn promtool_with_http_config(agg: &Aggregator, http: SocketAddr, token: &str, ca_file: &str) -> (bool, String) {
    assert!(
        Path::new(PROMTOOL_2_53).exists(),
        "{PROMTOOL_2_53} is missing: scripts/test.sh unpacks it (scripts/apt.sh, ensure_promtool_2_53)"
    );
    let token_file = agg.dir.path().join("promtool-token");
    std::fs::write(&token_file, token).expect("token file");
    let config = agg.dir.path().join("promtool-http.yml");
    std::fs::write(
        &config,
        format!(
            "authorization:\n  type: Bearer\n  credentials_file: {}\ntls_config:\n  ca_file: {ca_file}\n",
            token_file.display()
        ),
    )
    .expect("http config");
    let out = Command::new(PROMTOOL_2_53)
        .args(["query", "instant", "--http.config.file", config.to_str().expect("utf8")])
        .args([&format!("https://127.0.0.1:{}", http.port()), "1+1"])
        .output()
        .expect("promtool 2.53");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// Debian's Prometheus scraping the aggregator's `/federate` over HTTPS with a bearer token.
struct Prometheus {
    _dir: tempfile::TempDir,
    addr: SocketAddr,
    proc: Proc,
}

impl Prometheus {
    fn start(target: SocketAddr, ca_file: &str) -> Prometheus {
        assert!(Path::new(PROMETHEUS).exists(), "{PROMETHEUS} is missing: apt-get install prometheus");
        let dir = tempfile::tempdir().expect("tempdir");
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: pharos\n    \
                 scheme: https\n    metrics_path: /federate\n    params:\n      'match[]': ['{{__name__=\"pharos_build_info\"}}']\n    \
                 authorization:\n      credentials: {READ_TOKEN}\n    tls_config:\n      ca_file: {ca_file}\n      \
                 server_name: localhost\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
                target.port()
            ),
        )
        .expect("prometheus.yml");
        let args = [
            format!("--config.file={}", config.display()),
            format!("--storage.tsdb.path={}", dir.path().join("data").display()),
            format!("--web.listen-address={addr}"),
        ];
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let proc = Proc::start(Path::new(PROMETHEUS), &args, &dir.path().join("prometheus.log"));
        Prometheus { _dir: dir, addr, proc }
    }
}

#[test]
fn body_size_rate_limit_and_cors() {
    let mut agg = Aggregator::setup_with(&format!(
        "[http]\nmax_body_bytes = 4096\ncors_origin = 'https://grafana\\.example\\.com'\n\
         [[http.credentials]]\nname = \"pusher\"\nrole = \"write\"\nbearer_token_hash = \"{}\"\nrate_limit = 0.2\nrate_burst = 3\n\
         [[http.credentials]]\nname = \"grafana\"\nrole = \"read\"\nbearer_token_hash = \"{}\"\n",
        bcrypt_hash(WRITE_TOKEN),
        bcrypt_hash(READ_TOKEN)
    ));
    let http = agg.http;
    agg.start_probing(|| {
        client().get(format!("http://{http}/-/ready")).bearer_auth(READ_TOKEN).send().is_ok_and(|r| r.status() == 200)
    });
    let query_url = format!("http://{http}/api/v1/query");
    // Declared length over the limit.
    let big = format!("query=1&pad={}", "x".repeat(5000));
    let r = client()
        .post(&query_url)
        .bearer_auth(READ_TOKEN)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big.clone())
        .send()
        .expect("post");
    error_json(r, 413, "bad_data", "declared body over the limit");
    // Chunked (no Content-Length) over the limit, and one within it, which reaches the handler.
    let chunked = |s: String| reqwest::blocking::Body::new(std::io::Cursor::new(s.into_bytes()));
    let r = client()
        .post(&query_url)
        .bearer_auth(READ_TOKEN)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(chunked(big))
        .send()
        .expect("post");
    error_json(r, 413, "bad_data", "chunked body over the limit");
    let r = client()
        .post(&query_url)
        .bearer_auth(READ_TOKEN)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(chunked("query=2%2B3".into()))
        .send()
        .expect("post");
    let v: Value = r.json().expect("json");
    assert_eq!(v["data"]["result"][1], "5", "{v}");

    // Rate limit: a burst of 3 pushes, then 429 with Retry-After; reads are not limited.
    let push = || {
        client()
            .put(format!("http://{http}/metrics/job/rl"))
            .bearer_auth(WRITE_TOKEN)
            .body("rl_metric 1\n")
            .send()
            .expect("push")
    };
    for i in 0..3 {
        assert_eq!(push().status().as_u16(), 200, "push {i} within the burst");
    }
    let r = push();
    let retry: u64 = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).expect("Retry-After");
    assert!((1..=5).contains(&retry), "Retry-After {retry}");
    error_json(r, 429, "too_many_requests", "push over the rate");
    for _ in 0..5 {
        assert_eq!(
            client().get(format!("{query_url}?query=1")).bearer_auth(READ_TOKEN).send().expect("q").status().as_u16(),
            200
        );
    }

    // CORS: the configured origin gets the headers (also on a 401), others do not; preflight.
    let get = |origin: &str| {
        client()
            .get(format!("{query_url}?query=1"))
            .bearer_auth(READ_TOKEN)
            .header("origin", origin)
            .send()
            .expect("get")
    };
    let r = get("https://grafana.example.com");
    assert_eq!(
        r.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()),
        Some("https://grafana.example.com")
    );
    let r = get("https://evil.example.com");
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = client()
        .get(format!("{query_url}?query=1"))
        .header("origin", "https://grafana.example.com")
        .send()
        .expect("get");
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().get("access-control-allow-origin").is_some());
    let r = client()
        .request(reqwest::Method::OPTIONS, &query_url)
        .header("origin", "https://grafana.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .expect("preflight");
    assert_eq!(r.status().as_u16(), 204);
    assert!(r
        .headers()
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|h| h.contains("Authorization")));
    agg.stop();
}
