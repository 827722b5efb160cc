//! The probes side by side with Debian's blackbox_exporter 0.23 (`prometheus-blackbox-exporter`):
//! both probe the same local targets started here (HTTP up / down / 500 / slow, HTTPS with a test
//! CA, TCP with a banner, ICMP to 127.0.0.1, DNS against a small authoritative server written
//! below), and must report the same families, `probe_success` and `probe_http_status_code`.
//!
//! The exporter is started on 127.0.0.1 at a free port with a generated blackbox.yml and stopped
//! by its pid. A missing binary fails the test with the Debian package to install.

use pharos_agent::config::AgentConfig;
use pharos_protocol::exposition::{parse, MetricFamily};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream as StdStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

const BLACKBOX: &str = "/usr/bin/prometheus-blackbox-exporter";

/// Fails (never skips) when a binary the test needs is missing.
fn require(path: &str, package: &str) {
    assert!(
        Path::new(path).exists(),
        "{path} not found: install the Debian package `{package}` (apt-get install -y --no-install-recommends {package})"
    );
}

/// Stops the exporter by its pid when the test ends, however it ends.
struct Exporter(Child);

impl Drop for Exporter {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// A GET over a blocking socket (the test's own tiny client), returning the body.
fn http_get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut s = StdStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(15)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

/// An HTTP/1.1 server answering every request with `status` and "ok" after `delay`.
async fn http_server(status: u16, delay: Duration) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                tokio::time::sleep(delay).await;
                let resp = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\n\r\nok"
                );
                let _ = s.write_all(resp.as_bytes()).await;
                let _ = s.shutdown().await;
            });
        }
    });
    addr
}

/// An HTTPS server (certificate for localhost and 127.0.0.1 from a test CA) answering 200 "ok".
async fn https_server(dir: &Path) -> SocketAddr {
    use rustls::pki_types::pem::PemObject;
    let ca = pharos_protocol::tls::generate_ca("probe test CA").expect("CA");
    let leaf = pharos_protocol::tls::issue(
        &ca,
        pharos_protocol::tls::CertRole::Server,
        "localhost",
        &["localhost".to_string(), "127.0.0.1".to_string()],
    )
    .expect("leaf");
    std::fs::write(dir.join("ca.pem"), &ca.cert_pem).expect("write CA");
    let certs: Vec<_> = rustls::pki_types::CertificateDer::pem_slice_iter(leaf.cert_pem.as_bytes())
        .collect::<Result<_, _>>()
        .expect("certs");
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(leaf.key_pem.as_bytes()).expect("key");
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut s) = acceptor.accept(s).await else { return };
                let mut buf = vec![0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").await;
                let _ = s.shutdown().await;
            });
        }
    });
    addr
}

/// A TCP server that greets with an SMTP-like banner, then waits for a line or (with `hang_up`)
/// closes at once, so that a regex that never matches ends at EOF rather than at a deadline.
async fn banner_server(hang_up: bool) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let _ = s.write_all(b"220 probe.test ready\r\n").await;
                if hang_up {
                    let _ = s.shutdown().await;
                    return;
                }
                let mut buf = [0u8; 256];
                let _ = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await;
            });
        }
    });
    addr
}

/// A tiny authoritative server for `test.`: `ok.test.` has an A record (127.0.0.1) and the zone's
/// SOA; any other name is NXDOMAIN with the SOA in the authority section.
async fn dns_server() -> SocketAddr {
    let sock = UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    let addr = sock.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut buf = vec![0u8; 512];
        while let Ok((n, peer)) = sock.recv_from(&mut buf).await {
            if let Some(reply) = dns_reply(&buf[..n]) {
                let _ = sock.send_to(&reply, peer).await;
            }
        }
    });
    addr
}

fn dns_reply(q: &[u8]) -> Option<Vec<u8>> {
    // The question: name labels from offset 12, then type and class.
    let mut i = 12;
    let mut labels = Vec::new();
    loop {
        let l = *q.get(i)? as usize;
        if l == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(q.get(i + 1..i + 1 + l)?).to_lowercase());
        i += 1 + l;
    }
    let qend = i + 5;
    let qtype = u16::from_be_bytes([*q.get(i + 1)?, *q.get(i + 2)?]);
    let name = labels.join(".");
    let soa = |out: &mut Vec<u8>| {
        // Name: pointer to "test." inside the question (its last label).
        let test_off = 12 + q[12] as usize + 1;
        let zone_ptr = if labels.len() > 1 { [0xC0, test_off as u8] } else { [0xC0, 12] };
        out.extend_from_slice(&zone_ptr);
        out.extend_from_slice(&[0, 6, 0, 1, 0, 0, 0x0e, 0x10]);
        let mut rdata = vec![2, b'n', b's', zone_ptr[0], zone_ptr[1], 0xC0, zone_ptr[1]];
        for v in [2024010101u32, 3600, 600, 86400, 60] {
            rdata.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&rdata);
    };
    let mut out = q.get(..qend)?.to_vec();
    out[2] = 0x84 | (q[2] & 0x01); // QR, AA, RD copied
    out[3] = 0;
    out[6..12].copy_from_slice(&[0, 0, 0, 0, 0, 0]);
    match (name.as_str(), qtype) {
        ("ok.test", 1) => {
            out[7] = 1;
            out.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1]);
        }
        ("ok.test", _) | ("test", _) => {
            if qtype == 6 && name == "test" {
                out[7] = 1;
            } else {
                out[9] = 1;
            }
            soa(&mut out);
        }
        _ => {
            out[3] = 3; // NXDOMAIN
            out[9] = 1;
            soa(&mut out);
        }
    }
    Some(out)
}

/// One case: a blackbox module (YAML body, indented under its name) and our target (TOML keys).
struct Case {
    name: &'static str,
    target: String,
    module: String,
    ours: String,
    success: bool,
}

fn families(fs: &[MetricFamily]) -> BTreeMap<String, Vec<(String, f64)>> {
    fs.iter()
        .map(|f| {
            let samples = f
                .metrics
                .iter()
                .map(|m| {
                    let labels: Vec<String> = m
                        .labels
                        .iter()
                        .filter(|l| !["__name__", "agent", "job", "instance"].contains(&l.name.as_str()))
                        .map(|l| format!("{}={}", l.name, l.value))
                        .collect();
                    (labels.join(","), m.value)
                })
                .collect();
            (f.name.clone(), samples)
        })
        .collect()
}

fn value(f: &BTreeMap<String, Vec<(String, f64)>>, name: &str) -> Option<f64> {
    f.get(name).and_then(|s| s.first()).map(|s| s.1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_match_blackbox_exporter() {
    require(BLACKBOX, "prometheus-blackbox-exporter");
    let dir = tempfile::tempdir().expect("tempdir");
    let up = http_server(200, Duration::ZERO).await;
    let err500 = http_server(500, Duration::ZERO).await;
    let slow = http_server(200, Duration::from_secs(4)).await;
    let down = free_port();
    let https = https_server(dir.path()).await;
    let tcp = banner_server(false).await;
    let tcp_hangup = banner_server(true).await;
    let dns = dns_server().await;
    let ca = dir.path().join("ca.pem");
    let ca = ca.display();

    let cases = vec![
        Case { name: "http_up", target: format!("http://{up}/"), module: "prober: http\n    timeout: 2s\n    http:\n      preferred_ip_protocol: ip4".into(), ours: "prober = \"http\"\npreferred_ip_protocol = \"ip4\"".into(), success: true },
        Case { name: "http_down", target: format!("http://127.0.0.1:{down}/"), module: "prober: http\n    timeout: 2s\n    http:\n      preferred_ip_protocol: ip4".into(), ours: "prober = \"http\"\npreferred_ip_protocol = \"ip4\"".into(), success: false },
        Case { name: "http_500", target: format!("http://{err500}/"), module: "prober: http\n    timeout: 2s\n    http:\n      preferred_ip_protocol: ip4".into(), ours: "prober = \"http\"\npreferred_ip_protocol = \"ip4\"".into(), success: false },
        Case { name: "http_slow", target: format!("http://{slow}/"), module: "prober: http\n    timeout: 1s\n    http:\n      preferred_ip_protocol: ip4".into(), ours: "prober = \"http\"\npreferred_ip_protocol = \"ip4\"".into(), success: false },
        Case { name: "https", target: format!("https://localhost:{}/", https.port()), module: format!("prober: http\n    timeout: 2s\n    http:\n      preferred_ip_protocol: ip4\n      tls_config:\n        ca_file: {ca}"), ours: format!("prober = \"http\"\npreferred_ip_protocol = \"ip4\"\ntls = {{ ca_file = \"{ca}\" }}"), success: true },
        Case { name: "https_body_regex", target: format!("https://127.0.0.1:{}/", https.port()), module: format!("prober: http\n    timeout: 2s\n    http:\n      preferred_ip_protocol: ip4\n      fail_if_body_not_matches_regexp: [\"nope\"]\n      tls_config:\n        ca_file: {ca}"), ours: format!("prober = \"http\"\npreferred_ip_protocol = \"ip4\"\nfail_if_body_not_matches_regexp = [\"nope\"]\ntls = {{ ca_file = \"{ca}\" }}"), success: false },
        Case { name: "tcp_banner", target: tcp.to_string(), module: "prober: tcp\n    timeout: 2s\n    tcp:\n      preferred_ip_protocol: ip4\n      query_response:\n        - expect: \"^220 ([a-z.]+)\"\n        - send: \"QUIT\"".into(), ours: "prober = \"tcp\"\npreferred_ip_protocol = \"ip4\"\nquery_response = [ { expect = \"^220 ([a-z.]+)\" }, { send = \"QUIT\" } ]".into(), success: true },
        Case { name: "tcp_wrong_banner", target: tcp_hangup.to_string(), module: "prober: tcp\n    timeout: 2s\n    tcp:\n      preferred_ip_protocol: ip4\n      query_response:\n        - expect: \"^SSH\"".into(), ours: "prober = \"tcp\"\npreferred_ip_protocol = \"ip4\"\nquery_response = [ { expect = \"^SSH\" } ]".into(), success: false },
        Case { name: "tcp_down", target: format!("127.0.0.1:{down}"), module: "prober: tcp\n    timeout: 2s\n    tcp:\n      preferred_ip_protocol: ip4".into(), ours: "prober = \"tcp\"\npreferred_ip_protocol = \"ip4\"".into(), success: false },
        Case { name: "icmp", target: "127.0.0.1".into(), module: "prober: icmp\n    timeout: 2s\n    icmp:\n      preferred_ip_protocol: ip4".into(), ours: "prober = \"icmp\"\npreferred_ip_protocol = \"ip4\"".into(), success: true },
        Case { name: "dns_a", target: "ok.test".into(), module: "prober: dns\n    timeout: 2s\n    dns:\n      preferred_ip_protocol: ip4\n      query_name: ok.test\n      query_type: A\n      validate_answer_rrs:\n        fail_if_not_matches_regexp: [\"ok.test.\\t.*\\tIN\\tA\\t127.0.0.1\"]".into(), ours: "prober = \"dns\"\npreferred_ip_protocol = \"ip4\"\nquery_type = \"A\"\nvalidate_answer_rrs = { fail_if_not_matches_regexp = [\"ok.test.\\t.*\\tIN\\tA\\t127.0.0.1\"] }".into(), success: true },
        Case { name: "dns_soa", target: "test".into(), module: "prober: dns\n    timeout: 2s\n    dns:\n      preferred_ip_protocol: ip4\n      query_name: test\n      query_type: SOA".into(), ours: "prober = \"dns\"\npreferred_ip_protocol = \"ip4\"\nquery_type = \"SOA\"".into(), success: true },
        Case { name: "dns_nxdomain", target: "missing.test".into(), module: "prober: dns\n    timeout: 2s\n    dns:\n      preferred_ip_protocol: ip4\n      query_name: missing.test\n      query_type: A".into(), ours: "prober = \"dns\"\npreferred_ip_protocol = \"ip4\"\nquery_type = \"A\"".into(), success: false },
    ];

    // blackbox's dns target is the server; ours is the query name with `server`.
    let mut yaml = String::from("modules:\n");
    let mut toml = String::from("[agent]\nname = \"probe-test\"\ninterval = \"10s\"\n");
    for c in &cases {
        yaml.push_str(&format!("  {}:\n    {}\n", c.name, c.module));
        let timeout = if c.name == "http_slow" { "1s" } else { "2s" };
        let server = if c.name.starts_with("dns") { format!("server = \"{dns}\"\n") } else { String::new() };
        toml.push_str(&format!(
            "[[collect.probe.targets]]\nname = \"{}\"\ntarget = \"{}\"\ntimeout = \"{timeout}\"\n{server}{}\n",
            c.name, c.target, c.ours
        ));
    }
    let cfg_path = dir.path().join("blackbox.yml");
    std::fs::write(&cfg_path, &yaml).expect("write blackbox.yml");
    let cfg = AgentConfig::parse(&toml).unwrap_or_else(|e| panic!("our config: {e}\n{toml}"));

    let port = free_port();
    let listen: SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new(BLACKBOX)
        .arg(format!("--config.file={}", cfg_path.display()))
        .arg(format!("--web.listen-address={listen}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start blackbox_exporter");
    let _exporter = Exporter(child);
    let started = Instant::now();
    while http_get(listen, "/-/healthy").is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "blackbox_exporter did not come up on {listen}");
        std::thread::sleep(Duration::from_millis(100));
    }

    let specs = pharos_agent::collect::probe::sources(&cfg.collect.probe, &cfg.agent);
    assert_eq!(specs.len(), cases.len());
    let mut problems = Vec::new();
    for (c, mut spec) in cases.iter().zip(specs) {
        let dns_target = dns.to_string();
        let bb_target = if c.name.starts_with("dns") { dns_target.as_str() } else { c.target.as_str() };
        let path = format!("/probe?module={}&target={}", c.name, bb_target);
        let body = tokio::task::spawn_blocking(move || http_get(listen, &path)).await.expect("join").expect("probe");
        let theirs = families(&parse(&body).unwrap_or_else(|e| panic!("{}: blackbox output: {e}\n{body}", c.name)));
        let ours = tokio::time::timeout(spec.timeout, spec.collector.collect())
            .await
            .unwrap_or_else(|_| panic!("{}: our probe outlived the scheduler's deadline", c.name))
            .unwrap_or_else(|e| panic!("{}: {e}", c.name));
        for m in ours.iter().flat_map(|f| &f.metrics) {
            assert_eq!(m.labels.get("agent"), Some("probe-test"), "{}", c.name);
        }
        assert_eq!(spec.instance, c.target);
        let ours = families(&ours);
        eprintln!(
            "{}: probe_success ours {:?} theirs {:?}, {} families, status {:?}",
            c.name,
            value(&ours, "probe_success"),
            value(&theirs, "probe_success"),
            theirs.len(),
            value(&theirs, "probe_http_status_code")
        );
        let names = |f: &BTreeMap<String, Vec<(String, f64)>>| f.keys().cloned().collect::<BTreeSet<_>>();
        if names(&ours) != names(&theirs) {
            problems.push(format!(
                "{}: families differ\n  ours:   {:?}\n  theirs: {:?}",
                c.name,
                names(&ours),
                names(&theirs)
            ));
        }
        for fam in [
            "probe_success",
            "probe_http_status_code",
            "probe_failed_due_to_regex",
            "probe_http_ssl",
            "probe_ip_protocol",
            "probe_ip_addr_hash",
            "probe_dns_answer_rrs",
            "probe_dns_authority_rrs",
            "probe_dns_serial",
            "probe_icmp_reply_hop_limit",
            "probe_http_content_length",
            "probe_http_uncompressed_body_length",
            "probe_http_redirects",
            "probe_http_version",
            "probe_ssl_earliest_cert_expiry",
            "probe_ssl_last_chain_expiry_timestamp_seconds",
        ] {
            if value(&ours, fam) != value(&theirs, fam) {
                problems.push(format!(
                    "{}: {fam} ours {:?} theirs {:?}",
                    c.name,
                    value(&ours, fam),
                    value(&theirs, fam)
                ));
            }
        }
        for fam in [
            "probe_http_duration_seconds",
            "probe_icmp_duration_seconds",
            "probe_dns_duration_seconds",
            "probe_tls_version_info",
            "probe_ssl_last_chain_info",
        ] {
            let labels = |f: &BTreeMap<String, Vec<(String, f64)>>| {
                f.get(fam).map(|s| s.iter().map(|(l, _)| l.clone()).collect::<BTreeSet<_>>())
            };
            if labels(&ours) != labels(&theirs) {
                problems.push(format!(
                    "{}: {fam} labels ours {:?} theirs {:?}",
                    c.name,
                    labels(&ours),
                    labels(&theirs)
                ));
            }
        }
        if value(&ours, "probe_success") != Some(if c.success { 1.0 } else { 0.0 }) {
            problems.push(format!("{}: expected probe_success {}", c.name, c.success));
        }
    }
    assert!(problems.is_empty(), "differences from blackbox_exporter:\n{}", problems.join("\n"));
}
