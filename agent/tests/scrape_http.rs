//! Scrapes of real HTTP(S) servers on 127.0.0.1, started by the tests: labels, formats,
//! compression, credentials, TLS, relabeling, and what a failed scrape leaves behind.

use pharos_agent::assemble::Assembler;
use pharos_agent::collect::scrape::{sources, target::ACCEPT};
use pharos_agent::collect::{Metric, MetricFamily};
use pharos_agent::config::AgentConfig;
use pharos_agent::schedule::SourceSpec;
use pharos_protocol::is_stale_nan;
use pharos_protocol::model::{TARGET_FAILURE_METRIC, TARGET_FAILURE_REASON};
use pharos_protocol::tls::{generate_ca, issue, CertRole, PemPair};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---- a tiny HTTP/1.1 server ----------------------------------------------------------------------

/// A request as the server saw it: path and headers (names in lower case).
#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: HashMap<String, String>,
}

struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    delay: Duration,
}

fn ok(content_type: &'static str, body: &str) -> Reply {
    Reply { status: 200, content_type, body: body.as_bytes().to_vec(), delay: Duration::ZERO }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
}

/// Serves `handler` on an ephemeral port of 127.0.0.1, over TLS when `tls` is given. The accept
/// thread lives as long as the test process; every connection is answered once and closed.
fn serve(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static, tls: Option<rustls::ServerConfig>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler: Handler = Arc::new(handler);
    let tls = tls.map(Arc::new);
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (handler, seen, tls) = (handler.clone(), seen.clone(), tls.clone());
            std::thread::spawn(move || {
                stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
                match tls {
                    Some(cfg) => {
                        let Ok(conn) = rustls::ServerConnection::new(cfg) else { return };
                        let mut s = rustls::StreamOwned::new(conn, stream);
                        answer(&mut s, &handler, &seen);
                    }
                    None => {
                        let mut s: TcpStream = stream;
                        answer(&mut s, &handler, &seen);
                    }
                }
            });
        }
    });
    Server { addr, requests }
}

fn answer(s: &mut (impl Read + Write), handler: &Handler, seen: &Mutex<Vec<Request>>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let mut lines = head.split("\r\n");
    let path = lines.next().and_then(|l| l.split(' ').nth(1)).unwrap_or("").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let req = Request { path, headers };
    seen.lock().unwrap().push(req.clone());
    let reply = handler(&req);
    std::thread::sleep(reply.delay);
    let gzip = req.headers.get("accept-encoding").is_some_and(|v| v.contains("gzip"));
    let (body, encoding) = if gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&reply.body).unwrap();
        (enc.finish().unwrap(), "Content-Encoding: gzip\r\n")
    } else {
        (reply.body, "")
    };
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\n{encoding}Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        body.len()
    );
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(&body);
    let _ = s.flush();
}

// ---- helpers -------------------------------------------------------------------------------------

const TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The source of one target configured by `target` (TOML keys of `[[collect.scrape.targets]]`).
fn source(target: &str) -> SourceSpec {
    let text = format!(
        "[agent]\nname = \"web1\"\ninterval = \"15s\"\n[collect.scrape]\ntextfile_directory = \"/nonexistent/pharos\"\n\
         [[collect.scrape.targets]]\n{target}\n"
    );
    let cfg = AgentConfig::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let mut specs = sources(&cfg.collect.scrape, &cfg.agent);
    assert_eq!(specs.len(), 1);
    specs.remove(0)
}

async fn collect(spec: &mut SourceSpec) -> Vec<MetricFamily> {
    spec.collector.collect().await.expect("a scrape always reports")
}

fn metrics(fams: &[MetricFamily]) -> Vec<&Metric> {
    fams.iter().flat_map(|f| &f.metrics).collect()
}

fn one<'a>(fams: &'a [MetricFamily], name: &str) -> &'a Metric {
    let found: Vec<&Metric> = metrics(fams).into_iter().filter(|m| m.labels.metric_name() == Some(name)).collect();
    assert_eq!(found.len(), 1, "{name}: {fams:?}");
    found[0]
}

fn value(fams: &[MetricFamily], name: &str) -> f64 {
    one(fams, name).value
}

/// The `reason` of `pharos_target_failure_info`, checked to carry `up`'s labels, or `None` when
/// the scrape reports no failure.
fn failure(fams: &[MetricFamily]) -> Option<String> {
    let found: Vec<&Metric> =
        metrics(fams).into_iter().filter(|m| m.labels.metric_name() == Some(TARGET_FAILURE_METRIC)).collect();
    assert!(found.len() <= 1, "{found:?}");
    let m = found.first()?;
    assert_eq!(m.value, 1.0);
    let mut labels = m.labels.clone();
    labels.set(TARGET_FAILURE_REASON, "");
    labels.set("__name__", "up");
    assert_eq!(labels, one(fams, "up").labels, "the failure carries up's labels and reason");
    m.labels.get(TARGET_FAILURE_REASON).map(str::to_string)
}

// ---- tests ---------------------------------------------------------------------------------------

#[tokio::test]
async fn scrape_of_a_local_target_has_job_instance_and_report_series() {
    let body = "# HELP m A metric.\n# TYPE m counter\nm{path=\"/\"} 3\nm{path=\"/x\"} 4 1700000000000\ng 1.5\n";
    let server = serve(move |_| ok(TEXT, body), None);
    let port = server.addr.port();
    let mut spec =
        source(&format!("url = \"http://127.0.0.1:{port}/metrics\"\njob = \"app\"\nlabels = {{ team = \"a\" }}"));
    assert_eq!((spec.job.as_str(), spec.instance.as_str()), ("app", format!("web1:{port}").as_str()));
    let fams = collect(&mut spec).await;
    let m = one(&fams, "g");
    assert_eq!(m.labels.get("job"), Some("app"));
    assert_eq!(m.labels.get("instance"), Some(format!("web1:{port}").as_str()), "loopback becomes the agent's name");
    assert_eq!(m.labels.get("team"), Some("a"));
    let with_ts = metrics(&fams).into_iter().find(|m| m.labels.get("path") == Some("/x")).unwrap();
    assert_eq!(with_ts.timestamp_ms, Some(1_700_000_000_000), "honor_timestamps defaults to true");
    assert_eq!(value(&fams, "up"), 1.0);
    assert_eq!(failure(&fams), None, "a successful scrape reports no failure");
    assert_eq!(one(&fams, "up").labels.get("instance"), Some(format!("web1:{port}").as_str()));
    assert_eq!(value(&fams, "scrape_samples_scraped"), 3.0);
    assert_eq!(value(&fams, "scrape_samples_post_metric_relabeling"), 3.0);
    assert_eq!(value(&fams, "scrape_series_added"), 3.0);
    assert!(value(&fams, "scrape_duration_seconds") > 0.0);
    let req = server.requests.lock().unwrap()[0].clone();
    assert_eq!(req.path, "/metrics");
    assert_eq!(req.headers.get("accept").map(String::as_str), Some(ACCEPT));
    assert_eq!(req.headers.get("x-prometheus-scrape-timeout-seconds").map(String::as_str), Some("10"));
    // The same series again are not new.
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "scrape_series_added"), 0.0);
}

#[tokio::test]
async fn gzip_is_asked_for_and_decoded() {
    let server = serve(|_| ok(TEXT, "big_metric 42\n"), None);
    let mut spec = source(&format!("url = \"http://127.0.0.1:{}/metrics\"\njob = \"app\"", server.addr.port()));
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "big_metric"), 42.0);
    let req = server.requests.lock().unwrap()[0].clone();
    assert!(req.headers.get("accept-encoding").is_some_and(|v| v.contains("gzip")), "{req:?}");
}

#[tokio::test]
async fn the_content_type_picks_the_parser() {
    let om = "# TYPE c counter\nc_total 5 1700000000.5\n# TYPE i info\ni_info{v=\"1\"} 1\n# EOF\n";
    let server = serve(move |r| if r.path == "/om" { ok(OPENMETRICS, om) } else { ok(OPENMETRICS, "c 1\n") }, None);
    let port = server.addr.port();
    let mut spec = source(&format!("url = \"http://127.0.0.1:{port}/om\"\njob = \"app\""));
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "up"), 1.0);
    assert_eq!(one(&fams, "c_total").timestamp_ms, Some(1_700_000_000_500), "OpenMetrics timestamps are seconds");
    assert_eq!(value(&fams, "i_info"), 1.0);
    // Valid text format, but not OpenMetrics (no # EOF): the scrape fails.
    let mut spec = source(&format!("url = \"http://127.0.0.1:{port}/text\"\njob = \"app\""));
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "up"), 0.0);
    assert_eq!(failure(&fams).as_deref(), Some("parse error"));
}

#[tokio::test]
async fn honor_labels_false_renames_and_true_keeps_scraped_labels() {
    let body = "m{job=\"inner\",instance=\"i2\",x=\"1\"} 1\n";
    let server = serve(move |_| ok(TEXT, body), None);
    let url = format!("url = \"http://127.0.0.1:{}/metrics\"\njob = \"app\"", server.addr.port());
    let fams = collect(&mut source(&url)).await;
    let m = one(&fams, "m");
    assert_eq!((m.labels.get("job"), m.labels.get("exported_job")), (Some("app"), Some("inner")));
    assert_eq!(m.labels.get("exported_instance"), Some("i2"));
    let fams = collect(&mut source(&format!("{url}\nhonor_labels = true"))).await;
    let m = one(&fams, "m");
    assert_eq!((m.labels.get("job"), m.labels.get("instance")), (Some("inner"), Some("i2")));
    assert_eq!(m.labels.get("exported_job"), None);
    // The report series always carry the target's labels.
    assert_eq!(one(&fams, "up").labels.get("job"), Some("app"));
}

#[tokio::test]
async fn metric_relabel_configs_apply_to_scraped_samples() {
    let body = "go_goroutines 7\ngo_threads 3\nhttp_requests{pod_name=\"p\",code=\"200\"} 1\nsecret{token=\"s\"} 1\n";
    let server = serve(move |_| ok(TEXT, body), None);
    let mut spec = source(&format!(
        "url = \"http://127.0.0.1:{}/metrics\"\njob = \"app\"\nhonor_timestamps = false\nmetric_relabel_configs = [\n\
         {{ source_labels = [\"__name__\"], regex = \"go_.*\", action = \"drop\" }},\n\
         {{ regex = \"pod_(.*)\", action = \"labelmap\" }},\n\
         {{ regex = \"pod_name|token\", action = \"labeldrop\" }},\n\
         {{ source_labels = [\"code\"], regex = \"(2)..\", target_label = \"class\", replacement = \"${{1}}xx\" }},\n\
         {{ source_labels = [\"code\"], target_label = \"shard\", modulus = 4, action = \"hashmod\" }},\n\
         {{ source_labels = [\"__name__\"], regex = \"http_.*|secret\", action = \"keep\" }},\n]",
        server.addr.port()
    ));
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "scrape_samples_scraped"), 4.0);
    assert_eq!(value(&fams, "scrape_samples_post_metric_relabeling"), 2.0);
    let m = one(&fams, "http_requests");
    assert_eq!((m.labels.get("name"), m.labels.get("pod_name")), (Some("p"), None));
    assert_eq!(m.labels.get("class"), Some("2xx"));
    assert!(m.labels.get("shard").is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n < 4)));
    assert_eq!(one(&fams, "secret").labels.get("token"), None);
}

#[tokio::test]
async fn basic_auth_and_bearer_tokens_are_sent() {
    let server = serve(
        |r| match r.headers.get("authorization").map(String::as_str) {
            // base64("u:p") = "dTpw"
            Some("Basic dTpw") | Some("Bearer tok") => ok(TEXT, "authorized 1\n"),
            _ => Reply { status: 401, content_type: TEXT, body: b"no\n".to_vec(), delay: Duration::ZERO },
        },
        None,
    );
    let url = format!("url = \"http://127.0.0.1:{}/metrics\"\njob = \"app\"", server.addr.port());
    let fams = collect(&mut source(&url)).await;
    assert_eq!(value(&fams, "up"), 0.0, "401 is a failed scrape");
    assert_eq!(failure(&fams).as_deref(), Some("HTTP 401"));
    let fams = collect(&mut source(&format!("{url}\nbasic_auth = {{ username = \"u\", password = \"p\" }}"))).await;
    assert_eq!(value(&fams, "authorized"), 1.0);
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "tok\n").unwrap();
    let fams = collect(&mut source(&format!("{url}\nbearer_token_file = \"{}\"", token.display()))).await;
    assert_eq!(value(&fams, "authorized"), 1.0, "the token file is trimmed");
    let password = dir.path().join("password");
    std::fs::write(&password, "p").unwrap();
    let fams = collect(&mut source(&format!(
        "{url}\nbasic_auth = {{ username = \"u\", password_file = \"{}\" }}",
        password.display()
    )))
    .await;
    assert_eq!(value(&fams, "authorized"), 1.0);
}

/// A CA, a server certificate for `names`, and a server config (requiring a client certificate
/// signed by the CA when `client_auth`).
fn tls_server(names: &[&str], client_auth: bool) -> (PemPair, rustls::ServerConfig) {
    let ca = generate_ca("test CA").unwrap();
    let server =
        issue(&ca, CertRole::Server, "test server", &names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(server.cert_pem.as_bytes()).collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).unwrap();
    let provider = pharos_protocol::tls::provider();
    let builder =
        rustls::ServerConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().unwrap();
    let cfg = if client_auth {
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_slice_iter(ca.cert_pem.as_bytes()) {
            roots.add(c.unwrap()).unwrap();
        }
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build().unwrap();
        builder.with_client_cert_verifier(verifier).with_single_cert(certs, key).unwrap()
    } else {
        builder.with_no_client_auth().with_single_cert(certs, key).unwrap()
    };
    (ca, cfg)
}

#[tokio::test]
async fn tls_targets_are_verified_against_the_configured_ca() {
    let (ca, cfg) = tls_server(&["127.0.0.1", "localhost"], false);
    let server = serve(|_| ok(TEXT, "secure 1\n"), Some(cfg));
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.cert_pem).unwrap();
    let url = format!("url = \"https://127.0.0.1:{}/metrics\"\njob = \"app\"", server.addr.port());
    let fams = collect(&mut source(&format!("{url}\ntls = {{ ca_file = \"{}\" }}", ca_file.display()))).await;
    assert_eq!(value(&fams, "secure"), 1.0);
    let fams = collect(&mut source(&url)).await;
    assert_eq!(value(&fams, "up"), 0.0, "an unknown CA fails the scrape");
    assert_eq!(failure(&fams).as_deref(), Some("TLS handshake failed"));
    let fams = collect(&mut source(&format!("{url}\ntls = {{ insecure_skip_verify = true }}"))).await;
    assert_eq!(value(&fams, "up"), 1.0);
}

#[tokio::test]
async fn tls_server_name_and_client_certificates() {
    let (ca, cfg) = tls_server(&["metrics.internal"], true);
    let server = serve(|_| ok(TEXT, "secure 1\n"), Some(cfg));
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let ca_file = write("ca.pem", &ca.cert_pem);
    let client = issue(&ca, CertRole::Client, "agent", &[]).unwrap();
    let (cert, key) = (write("c.pem", &client.cert_pem), write("k.pem", &client.key_pem));
    let url = format!("url = \"https://127.0.0.1:{}/metrics\"\njob = \"app\"", server.addr.port());
    let with = |tls: &str| source(&format!("{url}\ntls = {{ ca_file = \"{ca_file}\", {tls} }}"));
    let fams = collect(&mut with(&format!(
        "server_name = \"metrics.internal\", cert_file = \"{cert}\", key_file = \"{key}\""
    )))
    .await;
    assert_eq!(value(&fams, "up"), 1.0);
    let fams = collect(&mut with(&format!("cert_file = \"{cert}\", key_file = \"{key}\""))).await;
    assert_eq!(value(&fams, "up"), 0.0, "the certificate is not for 127.0.0.1");
    let fams = collect(&mut with("server_name = \"metrics.internal\"")).await;
    assert_eq!(value(&fams, "up"), 0.0, "the server wants a client certificate");
}

#[tokio::test]
async fn a_failed_scrape_reports_up_0_and_the_scraped_series_go_stale() {
    let failing = Arc::new(Mutex::new(false));
    let flag = failing.clone();
    let server = serve(
        move |_| {
            if *flag.lock().unwrap() {
                Reply { status: 500, content_type: TEXT, body: b"oops\n".to_vec(), delay: Duration::ZERO }
            } else {
                ok(TEXT, "a 1\nb{x=\"1\"} 2\n")
            }
        },
        None,
    );
    let mut spec = source(&format!("url = \"http://127.0.0.1:{}/metrics\"\njob = \"app\"", server.addr.port()));
    let mut assembler = Assembler::new(&spec.job, &spec.instance);
    let first = assembler.assemble(&collect(&mut spec).await, 1000);
    assert!(first.iter().any(|s| s.labels.metric_name() == Some("b")));
    *failing.lock().unwrap() = true;
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "up"), 0.0);
    assert_eq!(failure(&fams).as_deref(), Some("HTTP 500"));
    assert_eq!(value(&fams, "scrape_samples_scraped"), 0.0);
    let second = assembler.assemble(&fams, 2000);
    let stale: Vec<&str> =
        second.iter().filter(|s| is_stale_nan(s.samples[0].value)).filter_map(|s| s.labels.metric_name()).collect();
    let mut stale = stale;
    stale.sort();
    assert_eq!(stale, ["a", "b"], "{second:?}");
    let up = second.iter().find(|s| s.labels.metric_name() == Some("up")).unwrap();
    assert_eq!((up.samples[0].value, up.samples[0].timestamp_ms), (0.0, 2000));
    assert_eq!(up.labels.get("job"), Some("app"));
    *failing.lock().unwrap() = false;
    let fams = collect(&mut spec).await;
    assert_eq!(failure(&fams), None);
    let third = assembler.assemble(&fams, 3000);
    // Only the failure series ends, with a staleness marker, as the target is back.
    let stale: Vec<&str> =
        third.iter().filter(|s| is_stale_nan(s.samples[0].value)).filter_map(|s| s.labels.metric_name()).collect();
    assert_eq!(stale, [TARGET_FAILURE_METRIC], "{third:?}");
    assert!(third.iter().any(|s| s.labels.metric_name() == Some("a") && s.samples[0].value == 1.0));
}

#[tokio::test]
async fn a_slow_target_times_out_and_still_reports() {
    let server = serve(|_| Reply { delay: Duration::from_secs(3), ..ok(TEXT, "slow 1\n") }, None);
    let mut spec = source(&format!(
        "url = \"http://127.0.0.1:{}/metrics\"\njob = \"app\"\ninterval = \"1s\"\ntimeout = \"500ms\"",
        server.addr.port()
    ));
    let began = Instant::now();
    // Within the scheduler's deadline, the collector answers itself, with up 0.
    let fams = tokio::time::timeout(spec.timeout, spec.collector.collect()).await.expect("in time").unwrap();
    assert!(began.elapsed() < Duration::from_millis(1500), "{:?}", began.elapsed());
    assert_eq!(value(&fams, "up"), 0.0);
    assert_eq!(failure(&fams).as_deref(), Some("timeout"));
    let req = server.requests.lock().unwrap()[0].clone();
    assert_eq!(req.headers.get("x-prometheus-scrape-timeout-seconds").map(String::as_str), Some("0.5"));
}

#[tokio::test]
async fn an_unreachable_target_reports_up_0() {
    // Bind and drop, so the port is (almost certainly) closed.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut spec = source(&format!("url = \"http://127.0.0.1:{port}/metrics\"\njob = \"app\""));
    let fams = collect(&mut spec).await;
    assert_eq!(value(&fams, "up"), 0.0);
    assert_eq!(failure(&fams).as_deref(), Some("connection refused"));
    assert_eq!(metrics(&fams).len(), 6, "only the report series and the failure");
}
