//! Unit tests of the probe configuration and helpers, and of the failure reason
//! (`pharos_target_failure_info`) against real local servers; the probers' blackbox families are
//! tested side by side with blackbox_exporter in `agent/tests/probe_blackbox.rs`.

use super::*;
use crate::assemble::Assembler;
use crate::config::AgentConfig;
use pharos_protocol::{is_stale_nan, Series};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn parse(extra: &str) -> Result<AgentConfig, String> {
    AgentConfig::parse(&format!("[[collect.probe.targets]]\nname = \"t\"\n{extra}"))
}

#[test]
fn a_full_http_target_parses() {
    let c = parse(
        r#"prober = "http"
target = "https://example.internal/health"
interval = "15s"
timeout = "5s"
method = "POST"
headers = { Host = "example.internal", "X-A" = "b" }
body = "{}"
valid_status_codes = [200, 204]
valid_http_versions = ["HTTP/1.1"]
fail_if_body_matches_regexp = ["error"]
fail_if_body_not_matches_regexp = ["ok"]
no_follow_redirects = true
fail_if_not_ssl = true
preferred_ip_protocol = "ip4"
tls = { insecure_skip_verify = true, server_name = "x" }
"#,
    )
    .expect("valid");
    let t = &c.collect.probe.targets[0];
    assert_eq!(t.job, "blackbox");
    assert_eq!(t.interval, Some(Duration::from_secs(15)));
    assert_eq!(t.ip, IpProtocol { preferred: 4, fallback: true });
    let ProbeKind::Http(h) = &t.kind else { panic!("not http") };
    assert_eq!(h.method, "POST");
    assert!(h.tls.insecure_skip_verify && h.no_follow_redirects && h.fail_if_not_ssl);
    let agent = AgentSection { name: "a1".into(), ..Default::default() };
    let specs = sources(&c.collect.probe, &agent);
    assert_eq!(specs[0].collector.name(), "probe/t");
    assert_eq!(specs[0].instance, "https://example.internal/health");
    assert_eq!(specs[0].job, "blackbox");
    assert_eq!(specs[0].interval, Duration::from_secs(15));
}

#[test]
fn tcp_dns_and_icmp_targets_parse() {
    let c = parse(
        r#"prober = "tcp"
target = "127.0.0.1:25"
tls = true
query_response = [ { expect = "^220 (.*)", send = "EHLO $1" }, { send = "STARTTLS", starttls = true } ]
[[collect.probe.targets]]
name = "d"
prober = "dns"
target = "example.org"
server = "127.0.0.1:5353"
query_type = "SOA"
transport = "tcp"
valid_rcodes = ["NOERROR", "NXDOMAIN"]
validate_answer_rrs = { fail_if_not_matches_regexp = ["SOA"] }
[[collect.probe.targets]]
name = "i"
prober = "icmp"
target = "127.0.0.1"
job = "ping"
"#,
    )
    .expect("valid");
    let t = &c.collect.probe.targets;
    assert!(matches!(&t[0].kind, ProbeKind::Tcp(s) if s.tls && s.query_response.len() == 2));
    assert!(matches!(&t[1].kind, ProbeKind::Dns(s) if s.tcp && s.query_type == 6 && s.valid_rcodes == [0, 3]));
    assert!(matches!(&t[2].kind, ProbeKind::Icmp(s) if s.ttl == 0 && s.payload_size == 0));
    assert_eq!(t[2].job, "ping");
}

#[test]
fn mistakes_are_config_errors_that_say_what() {
    let cases = [
        ("prober = \"http\"\ntarget = \"x\"\nbogus = 1\n", "bogus"),
        ("prober = \"http\"\ntarget = \"x\"\nfail_if_body_matches_regexp = [\"(\"]\n", "bad regex"),
        ("prober = \"tcp\"\ntarget = \"h:1\"\nquery_response = [ { expect = \"[\" } ]\n", "bad regex"),
        ("prober = \"dns\"\ntarget = \"x\"\nvalidate_answer_rrs = { fail_if_matches_regexp = [\"(\"] }\n", "bad regex"),
        ("prober = \"dns\"\ntarget = \"x\"\nvalidate_answer_rrs = { nope = [] }\n", "nope"),
        ("prober = \"icmp\"\ntarget = \"x\"\nmethod = \"GET\"\n", "method does not apply"),
        ("prober = \"dns\"\ntarget = \"x\"\nquery_type = \"QQ\"\n", "query_type"),
        ("prober = \"dns\"\ntarget = \"x\"\nvalid_rcodes = [\"OK\"]\n", "valid_rcodes"),
        ("prober = \"smtp\"\ntarget = \"x\"\n", "prober"),
        ("prober = \"tcp\"\ntarget = \"nohost\"\n", "host:port"),
        ("prober = \"http\"\ntarget = \"x\"\ninterval = \"5s\"\ntimeout = \"10s\"\n", "exceed"),
        ("prober = \"http\"\ntarget = \"x\"\ntls = { ca = \"f\" }\n", "ca"),
        ("prober = \"http\"\ntarget = \"x\"\n[[collect.probe.targets]]\nname = \"t\"\nprober = \"icmp\"\ntarget = \"y\"\n", "duplicate"),
    ];
    for (text, want) in cases {
        let e = parse(text).expect_err(text);
        assert!(e.contains(want), "{text}: {e}");
    }
}

#[test]
fn blackbox_http_client_options_parse() {
    let c = parse(
        r#"prober = "http"
target = "https://example.internal/"
follow_redirects = false
enable_http2 = false
body_size_limit = "10MB"
fail_if_header_matches = [ { header = "X-Error", regexp = "." } ]
fail_if_header_not_matches = [ { header = "Content-Type", regexp = "json", allow_missing = true } ]
basic_auth = { username = "u", password_file = "/run/secrets/p" }
tls_config = { ca_file = "/etc/ca.pem", min_version = "TLS13" }
[[collect.probe.targets]]
name = "b"
prober = "http"
target = "http://x/"
authorization = { type = "Token", credentials = "c" }
"#,
    )
    .expect("valid");
    let ProbeKind::Http(h) = &c.collect.probe.targets[0].kind else { panic!("not http") };
    assert!(h.no_follow_redirects && !h.enable_http2);
    assert_eq!(h.body_size_limit, 10 << 20);
    assert_eq!(h.fail_if_header_matches[0].header, "X-Error");
    assert!(h.fail_if_header_not_matches[0].allow_missing);
    assert!(matches!(&h.auth, Some(HttpAuth::Basic { username, password_file: Some(_), .. }) if username == "u"));
    assert_eq!(h.tls.min_version.as_deref(), Some("TLS13"));
    let ProbeKind::Http(h) = &c.collect.probe.targets[1].kind else { panic!("not http") };
    assert!(h.enable_http2 && !h.no_follow_redirects && h.body_size_limit == 0);
    assert!(
        matches!(&h.auth, Some(HttpAuth::Credentials { scheme, credentials, .. }) if scheme == "Token" && credentials == "c")
    );
}

#[test]
fn tcp_tls_config_serves_starttls_and_dns_over_tls_parses() {
    let c = parse(
        r#"prober = "tcp"
target = "127.0.0.1:25"
tls_config = { ca_file = "/etc/ca.pem" }
query_response = [ { send = "STARTTLS", starttls = true } ]
[[collect.probe.targets]]
name = "d"
prober = "dns"
target = "example.org"
transport_protocol = "tcp"
dns_over_tls = true
tls_config = { server_name = "dns.example" }
"#,
    )
    .expect("valid");
    let t = &c.collect.probe.targets;
    assert!(matches!(&t[0].kind, ProbeKind::Tcp(s) if !s.tls && s.tls_config.ca_file.is_some()));
    assert!(matches!(&t[1].kind, ProbeKind::Dns(s) if s.tcp && s.dns_over_tls && s.tls.server_name.is_some()));
}

#[test]
fn conflicting_or_unsupported_client_options_are_errors() {
    let cases = [
        ("basic_auth = { username = \"u\" }\nbearer_token = \"t\"\n", "at most one"),
        ("bearer_token = \"t\"\nbearer_token_file = \"f\"\n", "at most one"),
        ("basic_auth = { username = \"u\", password = \"p\", password_file = \"f\" }\n", "password_file"),
        ("authorization = { type = \"Basic\", credentials = \"x\" }\n", "basic_auth"),
        ("follow_redirects = true\nno_follow_redirects = true\n", "set one"),
        ("tls = { insecure_skip_verify = true }\ntls_config = { ca_file = \"f\" }\n", "set one"),
        ("tls = { min_version = \"TLS10\" }\n", "not supported"),
        ("tls = { min_version = \"SSL3\" }\n", "min_version"),
        ("tls = { cert_file = \"c\" }\n", "go together"),
        ("body_size_limit = \"10XB\"\n", "unknown unit"),
        ("body_size_limit = -1\n", "negative"),
        ("fail_if_header_matches = [ { header = \"X\", regexp = \"(\" } ]\n", "bad regex"),
        ("fail_if_header_matches = [ { header = \"X\" } ]\n", "regexp"),
    ];
    for (keys, want) in cases {
        let text = format!("prober = \"http\"\ntarget = \"x\"\n{keys}");
        let e = parse(&text).expect_err(&text);
        assert!(e.contains(want), "{text}: {e}");
    }
    let e = parse("prober = \"dns\"\ntarget = \"x\"\ndns_over_tls = true\n").expect_err("udp");
    assert!(e.contains("transport"), "{e}");
    for (text, want) in [
        ("prober = \"icmp\"\ntarget = \"x\"\nttl = 256\n", "ttl"),
        ("prober = \"icmp\"\ntarget = \"x\"\nsource_ip_address = \"me\"\n", "source_ip_address"),
        ("prober = \"http\"\ntarget = \"x\"\nsource_ip_address = \"127.0.0.1\"\n", "does not apply"),
        ("prober = \"tcp\"\ntarget = \"x:1\"\npayload_size = 10\n", "does not apply"),
    ] {
        let e = parse(text).expect_err(text);
        assert!(e.contains(want), "{text}: {e}");
    }
    let c = parse("prober = \"icmp\"\ntarget = \"x\"\nttl = 3\npayload_size = 100\ndont_fragment = true\nsource_ip_address = \"::1\"\n")
        .expect("icmp options");
    let t = &c.collect.probe.targets[0];
    assert_eq!(t.source_ip_address, Some("::1".parse().expect("ip")));
    assert!(matches!(&t.kind, ProbeKind::Icmp(s) if s.ttl == 3 && s.payload_size == 100 && s.dont_fragment));
    let e = parse("prober = \"icmp\"\ntarget = \"x\"\ntls_config = {}\n").expect_err("icmp tls");
    assert!(e.contains("tls_config does not apply"), "{e}");
}

#[test]
fn ip_hash_is_blackbox_fnv32a() {
    // blackbox_exporter 0.23 reported 3.668918509e+09 for 127.0.0.1.
    assert_eq!(ip_hash(&"127.0.0.1".parse().expect("ip")), 3668918509.0);
}

#[test]
fn host_port_splitting() {
    assert_eq!(split_host_port("a.b:80"), Some(("a.b".into(), 80)));
    assert_eq!(split_host_port("[::1]:53"), Some(("::1".into(), 53)));
    assert_eq!(split_host_port("::1"), None);
    assert_eq!(split_host_port("host"), None);
}

#[test]
fn http_dates() {
    assert_eq!(http::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784111777.0));
    assert_eq!(http::parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
    assert_eq!(http::parse_http_date("yesterday"), None);
}

#[test]
fn report_orders_and_labels() {
    let mut r = Report::default();
    r.gauge("b", "hb");
    r.phases("a", "ha", &["x", "y"]);
    r.add_phase("a", "ha", "x", Duration::from_millis(500));
    r.add_phase("a", "ha", "x", Duration::from_millis(500));
    r.family_only("c", "hc");
    assert!(r.has("c"));
    let f = r.into_families("agent1");
    // A family without samples is not exposed, as in client_golang.
    assert_eq!(f.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(f[0].metrics[0].labels.get("phase"), Some("x"));
    assert_eq!(f[0].metrics[0].value, 1.0);
    assert_eq!(f[0].metrics[0].labels.get("agent"), Some("agent1"));
    assert_eq!(f[1].metrics[0].value, 0.0);
}

#[test]
fn basic_auth_base64() {
    assert_eq!(http::base64(b"user:pass"), "dXNlcjpwYXNz");
    assert_eq!(http::base64(b"a"), "YQ==");
    assert_eq!(http::base64(b"ab"), "YWI=");
    assert_eq!(http::base64(b""), "");
}

#[test]
fn system_roots_follow_ssl_cert_file_only_when_set() {
    // Only the variable's file is read when it is set, as Go does; a missing one means no roots.
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("none.pem");
    let none = pharos_protocol::trust::roots_from(Some(missing.into_os_string()));
    let bundle = dir.path().join("bundle.pem");
    let ca = pharos_protocol::tls::generate_ca("roots test").expect("CA");
    std::fs::write(&bundle, format!("junk\n{}", ca.cert_pem)).expect("write");
    let some = pharos_protocol::trust::roots_from(Some(bundle.clone().into_os_string()));
    assert!(none.is_none());
    let (path, certs) = some.expect("roots");
    assert_eq!((path, certs.len()), (bundle, 1));
}

/// The collector of the one target `extra` configures, for agent `a1`.
fn collector(extra: &str, timeout: Duration) -> ProbeCollector {
    let c = parse(extra).expect("valid probe");
    ProbeCollector::new(c.collect.probe.targets[0].clone(), "a1", timeout)
}

/// One probe as the agent sends it: collected, then labelled by the scheduler's assembler.
async fn probe_once(c: &mut ProbeCollector, asm: &mut Assembler, ts: i64) -> Vec<Series> {
    let families = c.collect().await.expect("a probe reports, failing or not");
    asm.assemble(&families, ts)
}

fn series<'a>(all: &'a [Series], name: &str) -> Option<&'a Series> {
    all.iter().find(|s| s.labels.metric_name() == Some(name))
}

/// A series' labels other than its name and `reason`: what the failure series shares with
/// `probe_success`.
fn identity(s: &Series) -> Vec<(String, String)> {
    s.labels
        .iter()
        .filter(|l| l.name != "__name__" && l.name != TARGET_FAILURE_REASON)
        .map(|l| (l.name.clone(), l.value.clone()))
        .collect()
}

/// `probe_success`'s value and the failure series' reason (None: no failure series), checking
/// that the failure series has value 1 and exactly `probe_success`'s other labels.
fn outcome(all: &[Series]) -> (f64, Option<String>) {
    let success = series(all, "probe_success").expect("probe_success");
    let Some(failure) = series(all, TARGET_FAILURE_METRIC) else { return (success.samples[0].value, None) };
    assert_eq!(failure.samples[0].value, 1.0, "{failure:?}");
    assert_eq!(identity(failure), identity(success), "the failure series carries the probe's labels");
    assert_eq!(failure.labels.len(), success.labels.len() + 1, "{failure:?}");
    (success.samples[0].value, failure.labels.get(TARGET_FAILURE_REASON).map(str::to_string))
}

#[test]
fn report_keeps_the_first_failure_reason() {
    let mut r = Report::default();
    assert!(!r.fail("error dialing TCP"));
    assert!(!r.fail("regexp did not match"));
    assert_eq!(r.failure, Some("error dialing TCP"));
}

#[tokio::test]
async fn a_tcp_probe_to_a_closed_port_says_error_dialing_tcp_until_it_succeeds() {
    // A port that was just free and is closed now.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let target = format!("127.0.0.1:{port}");
    let mut c = collector(&format!("prober = \"tcp\"\ntarget = \"{target}\"\n"), Duration::from_secs(2));
    let mut asm = Assembler::new("blackbox", &target);

    let first = probe_once(&mut c, &mut asm, 1_000).await;
    assert_eq!(outcome(&first), (0.0, Some("error dialing TCP".to_string())));
    let failure = series(&first, TARGET_FAILURE_METRIC).expect("failure series");
    assert_eq!(failure.labels.get("job"), Some("blackbox"));
    assert_eq!(failure.labels.get("instance"), Some(target.as_str()));
    assert_eq!(failure.labels.get("agent"), Some("a1"));

    // The port opens: the probe succeeds and the failure series ends with a staleness marker.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind the same port");
    let second = probe_once(&mut c, &mut asm, 2_000).await;
    assert_eq!(series(&second, "probe_success").expect("probe_success").samples[0].value, 1.0);
    let ended = series(&second, TARGET_FAILURE_METRIC).expect("a staleness marker");
    assert!(is_stale_nan(ended.samples[0].value), "{ended:?}");
    assert_eq!(ended.labels, failure.labels);
    let third = probe_once(&mut c, &mut asm, 3_000).await;
    assert_eq!(outcome(&third), (1.0, None));
    drop(listener);
}

/// Serves `HTTP/1.1` on 127.0.0.1: 503 for `/down`, 200 otherwise; abort the handle to stop it.
async fn http_server() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let status = if req.starts_with(b"GET /down ") { "503 Service Unavailable" } else { "200 OK" };
                let resp = format!("HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                let _ = conn.write_all(resp.as_bytes()).await;
            });
        }
    });
    (port, task)
}

#[tokio::test]
async fn an_http_status_that_is_not_accepted_gives_its_reason_without_the_number() {
    let (port, server) = http_server().await;
    let mut asm = Assembler::new("blackbox", "x");
    let url = format!("http://127.0.0.1:{port}");
    let mut down = collector(&format!("prober = \"http\"\ntarget = \"{url}/down\"\n"), Duration::from_secs(2));
    let (success, reason) = outcome(&probe_once(&mut down, &mut asm, 1_000).await);
    let mut up = collector(&format!("prober = \"http\"\ntarget = \"{url}/\"\n"), Duration::from_secs(2));
    let ok = outcome(&probe_once(&mut up, &mut Assembler::new("blackbox", "y"), 1_000).await);
    server.abort();
    assert_eq!((success, reason.as_deref()), (0.0, Some("invalid HTTP response status code")));
    assert_eq!(ok, (1.0, None), "a successful probe has no failure series");
}

#[tokio::test]
async fn a_probe_cut_by_its_timeout_says_timeout() {
    // Accepted by the kernel's backlog, never answered: the banner never comes.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let target = silent.local_addr().expect("addr").to_string();
    let mut tcp = collector(
        &format!("prober = \"tcp\"\ntarget = \"{target}\"\nquery_response = [ {{ expect = \"^SSH\" }} ]\n"),
        Duration::from_millis(300),
    );
    let tcp_outcome = outcome(&probe_once(&mut tcp, &mut Assembler::new("blackbox", &target), 1_000).await);
    // A DNS server that never replies: the query's own wait ends at the probe's deadline.
    let mute = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind udp");
    let server = mute.local_addr().expect("addr");
    let mut dns = collector(
        &format!("prober = \"dns\"\ntarget = \"example.org\"\nserver = \"{server}\"\nquery_type = \"A\"\n"),
        Duration::from_millis(300),
    );
    let dns_outcome = outcome(&probe_once(&mut dns, &mut Assembler::new("blackbox", "example.org"), 1_000).await);
    drop((silent, mute));
    assert_eq!(tcp_outcome, (0.0, Some("timeout".to_string())));
    assert_eq!(dns_outcome, (0.0, Some("timeout".to_string())));
}
