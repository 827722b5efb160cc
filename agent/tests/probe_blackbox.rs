//! The probes side by side with Debian's blackbox_exporter 0.23 (`prometheus-blackbox-exporter`):
//! both probe the same local targets started here with the same module settings, and must report
//! the same families (and labels of the labelled ones), `probe_success` and the values that do
//! not depend on timing (status code, redirects, HTTP version, regex failure, content lengths,
//! TLS expiries, DNS record counts, ...). The targets: HTTP servers (up / down / 500 / slow, and
//! one routing requests to exercise method, headers, body, credentials, redirects, cookies,
//! chunked and large bodies), HTTPS with a test CA (HTTP/1.1 only; HTTP/2 by ALPN; client
//! certificates required), TCP with a banner, an SMTP-like STARTTLS dialogue and implicit TLS,
//! ICMP to 127.0.0.1, and a small authoritative DNS server over UDP, TCP and TLS.
//!
//! The exporter is started on 127.0.0.1 at a free port with a generated blackbox.yml and stopped
//! by its pid. A missing binary fails the test with the Debian package to install.

use pharos_agent::config::AgentConfig;
use pharos_protocol::exposition::{parse, MetricFamily};
use pharos_protocol::model::TARGET_FAILURE_METRIC;
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
                if read_request(&mut s).await.is_none() {
                    return;
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

/// A request as the test servers see it: method, path, headers (names lowercased), body.
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Reads one HTTP/1 request (headers, then a Content-Length body).
async fn read_request<S: tokio::io::AsyncRead + Unpin>(s: &mut S) -> Option<Request> {
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    let head_end = loop {
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match s.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&got[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = got[head_end..].to_vec();
    while body.len() < len {
        match s.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    Some(Request { method, path, headers, body })
}

/// The answers of the routing test server: status, extra headers, body.
fn route(req: &Request) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    let ok = |body: &str| (200, Vec::new(), body.as_bytes().to_vec());
    match req.path.as_str() {
        "/" => (200, vec![("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT".into())], b"ok".to_vec()),
        "/redirect" => (302, vec![("Location", "/final".into())], b"moved".to_vec()),
        "/final" => (200, vec![("X-Test", "alpha".into()), ("X-Test", "beta".into())], b"final page".to_vec()),
        "/post" if req.method == "POST" && req.header("x-probe") == Some("yes") && req.body == b"hello" => ok("posted"),
        "/post" => (400, Vec::new(), b"bad".to_vec()),
        "/auth" if matches!(req.header("authorization"), Some("Basic dXNlcjpwYXNz") | Some("Bearer tok")) => ok("in"),
        "/auth" => (401, Vec::new(), b"who?".to_vec()),
        "/big" => (200, Vec::new(), vec![b'x'; 1000]),
        "/cookie" => (
            302,
            vec![("Location", "/cookie-check".into()), ("Set-Cookie", "session=abc; Path=/; HttpOnly".into())],
            Vec::new(),
        ),
        "/cookie-check" if req.header("cookie").is_some_and(|c| c.contains("session=abc")) => ok("welcome back"),
        "/cookie-check" => (403, Vec::new(), Vec::new()),
        _ => (404, Vec::new(), Vec::new()),
    }
}

/// Serves `route` over HTTP/1.1 on one connection (`/chunked` answers chunked; HEAD gets the
/// headers only).
async fn serve_http1<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut s: S) {
    let Some(req) = read_request(&mut s).await else { return };
    let out = if req.path == "/chunked" {
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n".to_vec()
    } else {
        let (status, headers, body) = route(&req);
        let mut out = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
        for (k, v) in headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let mut out = out.into_bytes();
        if req.method != "HEAD" {
            out.extend_from_slice(&body);
        }
        out
    };
    let _ = s.write_all(&out).await;
    let _ = s.shutdown().await;
}

/// A plain HTTP/1.1 server of `route`.
async fn web_server() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            tokio::spawn(serve_http1(s));
        }
    });
    addr
}

/// Just enough HTTP/2 for a client's GET: the server preface, SETTINGS acknowledgements, and
/// for each request (HEADERS frame) a 200 with `content-length: 2` and "ok". The request's
/// header block is not decoded.
async fn serve_h2<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut s: S) {
    fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
        let mut f = (payload.len() as u32).to_be_bytes()[1..].to_vec();
        f.extend_from_slice(&[kind, flags]);
        f.extend_from_slice(&stream.to_be_bytes());
        f.extend_from_slice(payload);
        f
    }
    let mut preface = [0u8; 24];
    if s.read_exact(&mut preface).await.is_err() || &preface != b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" {
        return;
    }
    if s.write_all(&frame(4, 0, 0, &[])).await.is_err() {
        return;
    }
    loop {
        let mut head = [0u8; 9];
        if s.read_exact(&mut head).await.is_err() {
            return;
        }
        let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        let (kind, flags) = (head[3], head[4]);
        let stream = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
        let mut payload = vec![0u8; len];
        if s.read_exact(&mut payload).await.is_err() {
            return;
        }
        let reply = match kind {
            4 if flags & 1 == 0 => frame(4, 1, 0, &[]),
            1 => {
                // `:status: 200` (static index 8), `content-length: 2` (literal, name index 28).
                let mut r = frame(1, 4, stream, &[0x88, 0x0f, 0x0d, 0x01, b'2']);
                r.extend_from_slice(&frame(0, 1, stream, b"ok"));
                r
            }
            _ => continue,
        };
        if s.write_all(&reply).await.is_err() {
            return;
        }
    }
}

/// A TLS server with `cfg`: HTTP/2 when the client chose `h2` by ALPN, else `route` over
/// HTTP/1.1.
async fn https_server(cfg: rustls::ServerConfig) -> SocketAddr {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(s) = acceptor.accept(s).await else { return };
                if s.get_ref().1.alpn_protocol() == Some(b"h2") {
                    serve_h2(s).await;
                } else {
                    serve_http1(s).await;
                }
            });
        }
    });
    addr
}

/// The test PKI: a CA (written to `ca.pem`), a server certificate for localhost and 127.0.0.1,
/// and a client certificate (written to `client.pem` / `client-key.pem`).
struct Pki {
    ca: pharos_protocol::tls::PemPair,
    server_certs: Vec<rustls::pki_types::CertificateDer<'static>>,
    server_key_pem: String,
}

impl Pki {
    fn new(dir: &Path) -> Pki {
        use rustls::pki_types::pem::PemObject;
        let ca = pharos_protocol::tls::generate_ca("probe test CA").expect("CA");
        let leaf = pharos_protocol::tls::issue(
            &ca,
            pharos_protocol::tls::CertRole::Server,
            "localhost",
            &["localhost".to_string(), "127.0.0.1".to_string()],
        )
        .expect("leaf");
        let client = pharos_protocol::tls::issue(&ca, pharos_protocol::tls::CertRole::Client, "prober", &[])
            .expect("client cert");
        std::fs::write(dir.join("ca.pem"), &ca.cert_pem).expect("write CA");
        std::fs::write(dir.join("client.pem"), &client.cert_pem).expect("write client cert");
        std::fs::write(dir.join("client-key.pem"), &client.key_pem).expect("write client key");
        let server_certs = rustls::pki_types::CertificateDer::pem_slice_iter(leaf.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .expect("certs");
        Pki { ca, server_certs, server_key_pem: leaf.key_pem }
    }

    /// A server configuration offering `alpn`, requiring a client certificate if `mtls`.
    fn server(&self, alpn: &[&[u8]], mtls: bool) -> rustls::ServerConfig {
        use rustls::pki_types::pem::PemObject;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("versions");
        let builder = if mtls {
            let mut roots = rustls::RootCertStore::empty();
            for c in rustls::pki_types::CertificateDer::pem_slice_iter(self.ca.cert_pem.as_bytes()) {
                roots.add(c.expect("CA cert")).expect("add CA");
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes()).expect("key");
        let mut cfg = builder.with_single_cert(self.server_certs.clone(), key).expect("server config");
        cfg.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        cfg
    }
}

/// An SMTP-like dialogue with STARTTLS: `220 probe.test ready`; to `EHLO <x>` it answers
/// `250 hello <x>`; to `STARTTLS`, `220 go ahead`, then TLS, after which it greets with
/// `250 secure` and waits for a line. With `implicit`, TLS comes first and the greeting is
/// `220 probe.test secure ready`.
async fn smtp_server(tls: rustls::ServerConfig, implicit: bool) -> SocketAddr {
    async fn line<S: tokio::io::AsyncRead + Unpin>(s: &mut S) -> Option<String> {
        let mut out = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match s.read(&mut b).await {
                Ok(1) if b[0] == b'\n' => return Some(String::from_utf8_lossy(&out).trim_end().to_string()),
                Ok(1) => out.push(b[0]),
                _ => return None,
            }
        }
    }
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if implicit {
                    let Ok(mut t) = acceptor.accept(s).await else { return };
                    let _ = t.write_all(b"220 probe.test secure ready\r\n").await;
                    let _ = tokio::time::timeout(Duration::from_secs(5), line(&mut t)).await;
                    return;
                }
                let _ = s.write_all(b"220 probe.test ready\r\n").await;
                while let Some(l) = line(&mut s).await {
                    if let Some(who) = l.strip_prefix("EHLO ") {
                        let _ = s.write_all(format!("250 hello {who}\r\n").as_bytes()).await;
                    } else if l == "STARTTLS" {
                        let _ = s.write_all(b"220 go ahead\r\n").await;
                        let Ok(mut t) = acceptor.accept(s).await else { return };
                        let _ = t.write_all(b"250 secure\r\n").await;
                        let _ = tokio::time::timeout(Duration::from_secs(5), line(&mut t)).await;
                        return;
                    } else {
                        return;
                    }
                }
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

/// A tiny authoritative server for `test.`, on UDP and TCP at the same port (and, with
/// [`dot_server`], over TLS): `ok.test.` has an A record (127.0.0.1) and the zone's SOA;
/// `multi.test.` two A records (127.0.0.1 and 127.0.0.2); `norec.test.` is REFUSED when
/// recursion is desired, else 127.0.0.2; any other name is NXDOMAIN with the SOA in the
/// authority section.
async fn dns_server() -> SocketAddr {
    let (tcp, sock) = loop {
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = tcp.local_addr().expect("addr");
        if let Ok(sock) = UdpSocket::bind(addr).await {
            break (tcp, sock);
        }
    };
    let addr = sock.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut buf = vec![0u8; 512];
        while let Ok((n, peer)) = sock.recv_from(&mut buf).await {
            if let Some(reply) = dns_reply(&buf[..n]) {
                let _ = sock.send_to(&reply, peer).await;
            }
        }
    });
    tokio::spawn(async move {
        while let Ok((s, _)) = tcp.accept().await {
            tokio::spawn(serve_dns_stream(s));
        }
    });
    addr
}

/// DNS over TLS (RFC 7858) with the answers of [`dns_server`].
async fn dot_server(tls: rustls::ServerConfig) -> SocketAddr {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(t) = acceptor.accept(s).await {
                    serve_dns_stream(t).await;
                }
            });
        }
    });
    addr
}

/// Length-prefixed DNS messages on a stream, until it ends.
async fn serve_dns_stream<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut s: S) {
    loop {
        let Ok(len) = s.read_u16().await else { return };
        let mut q = vec![0u8; usize::from(len)];
        if s.read_exact(&mut q).await.is_err() {
            return;
        }
        let Some(reply) = dns_reply(&q) else { return };
        let mut out = (reply.len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(&reply);
        if s.write_all(&out).await.is_err() {
            return;
        }
    }
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
    let a = |out: &mut Vec<u8>, last: u8| {
        out.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, last]);
    };
    let rd = q[2] & 0x01 != 0;
    match (name.as_str(), qtype) {
        ("ok.test", 1) => {
            out[7] = 1;
            a(&mut out, 1);
        }
        ("multi.test", 1) => {
            out[7] = 2;
            a(&mut out, 1);
            a(&mut out, 2);
        }
        ("norec.test", _) if rd => out[3] = 5, // REFUSED
        ("norec.test", _) => {
            out[7] = 1;
            a(&mut out, 2);
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

/// One case: a blackbox module and our target for the same check. `module` holds the lines under
/// the module's `<prober>:` key (YAML), `ours` our target's keys (TOML); both get
/// `preferred_ip_protocol` ip4 and the timeout.
struct Case {
    name: &'static str,
    prober: &'static str,
    /// Our target.
    target: String,
    /// blackbox's target (the server, for dns).
    bb_target: String,
    module: String,
    ours: String,
    timeout: &'static str,
    success: bool,
    /// Values both must report.
    expect: Vec<(&'static str, f64)>,
}

fn case(
    name: &'static str,
    prober: &'static str,
    target: impl Into<String>,
    module: &str,
    ours: &str,
    success: bool,
) -> Case {
    let target = target.into();
    Case {
        name,
        prober,
        bb_target: target.clone(),
        target,
        module: module.to_string(),
        ours: ours.to_string(),
        timeout: "2s",
        success,
        expect: Vec::new(),
    }
}

impl Case {
    fn expect(mut self, family: &'static str, v: f64) -> Case {
        self.expect.push((family, v));
        self
    }

    /// A dns case: blackbox queries `query` at `server` (its target); we query `query` (our
    /// target) at `server`.
    fn dns(name: &'static str, query: &str, server: SocketAddr, module: &str, ours: &str, success: bool) -> Case {
        let mut c = case(
            name,
            "dns",
            query,
            &format!("query_name: {query}\n{module}"),
            &format!("server = \"{server}\"\n{ours}"),
            success,
        );
        c.bb_target = server.to_string();
        c
    }

    fn yaml(&self) -> String {
        let mut y = format!(
            "  {}:\n    prober: {}\n    timeout: {}\n    {}:\n      preferred_ip_protocol: ip4\n",
            self.name, self.prober, self.timeout, self.prober
        );
        for l in self.module.lines().filter(|l| !l.is_empty()) {
            y.push_str(&format!("      {l}\n"));
        }
        y
    }

    fn toml(&self) -> String {
        format!(
            "[[collect.probe.targets]]\nname = \"{}\"\nprober = \"{}\"\ntarget = \"{}\"\ntimeout = \"{}\"\npreferred_ip_protocol = \"ip4\"\n{}\n",
            self.name, self.prober, self.target, self.timeout, self.ours
        )
    }
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

/// The reason `pharos_target_failure_info` must give for the failing cases whose cause is certain.
fn expected_reason(case: &str) -> Option<&'static str> {
    Some(match case {
        "http_down" => "error dialing the target",
        "http_500" | "http_no_auth" => "invalid HTTP response status code",
        "http_slow" => "timeout",
        "https_body_regex" | "http_no_follow_body_regex" => "body regex check failed",
        "http_header_matches" | "http_header_missing" => "header regex check failed",
        "http_versions" => "invalid HTTP version",
        "http_fail_if_not_ssl" => "final request was not over TLS",
        "https_fail_if_ssl" => "final request was over TLS",
        "https_untrusted" | "https_wrong_name" => "TLS handshake failed",
        "tcp_down" => "error dialing TCP",
        "tcp_tls_untrusted" | "tcp_starttls_untrusted" => "TLS handshake failed",
        "dns_nxdomain" | "dns_recursion_refused" => "rcode is not one of the valid rcodes",
        "dns_all_match" | "dns_matches" => "answer RRs validation failed",
        _ => return None,
    })
}

fn value(f: &BTreeMap<String, Vec<(String, f64)>>, name: &str) -> Option<f64> {
    f.get(name).and_then(|s| s.first()).map(|s| s.1)
}

/// The cases, against the servers started for them.
#[allow(clippy::too_many_arguments)]
fn cases(
    dir: &Path,
    up: SocketAddr,
    err500: SocketAddr,
    slow: SocketAddr,
    down: u16,
    web: SocketAddr,
    https: SocketAddr,
    h2s: SocketAddr,
    mtls: SocketAddr,
    tcp: SocketAddr,
    tcp_hangup: SocketAddr,
    smtp: SocketAddr,
    smtps: SocketAddr,
    dns: SocketAddr,
    dot: SocketAddr,
) -> Vec<Case> {
    let ca = dir.join("ca.pem");
    let ca = ca.display();
    let token = dir.join("token");
    std::fs::write(&token, "tok\n").expect("write token");
    let token = token.display();
    let (cert, key) = (dir.join("client.pem"), dir.join("client-key.pem"));
    let (cert, key) = (cert.display(), key.display());
    let starttls_yaml = "query_response: [{expect: '^220 ([a-z.]+) ready', send: 'EHLO ${1}'}, {expect: '^250 hello probe\\.test$'}, {send: STARTTLS}, {expect: '^220 go ahead', starttls: true}, {expect: '^250 secure'}, {send: QUIT}]";
    let starttls_toml = "query_response = [ { expect = '^220 ([a-z.]+) ready', send = 'EHLO ${1}' }, { expect = '^250 hello probe\\.test$' }, { send = 'STARTTLS' }, { expect = '^220 go ahead', starttls = true }, { expect = '^250 secure' }, { send = 'QUIT' } ]";
    vec![
        // The basics.
        case("http_up", "http", format!("http://{up}/"), "", "", true).expect("probe_http_version", 1.1),
        case("http_down", "http", format!("http://127.0.0.1:{down}/"), "", "", false),
        case("http_500", "http", format!("http://{err500}/"), "", "", false).expect("probe_http_status_code", 500.0),
        Case { timeout: "1s", ..case("http_slow", "http", format!("http://{slow}/"), "", "", false) },
        case("https", "http", format!("https://localhost:{}/", https.port()), &format!("tls_config: {{ca_file: {ca}}}"), &format!("tls = {{ ca_file = \"{ca}\" }}"), true).expect("probe_http_ssl", 1.0),
        case("https_body_regex", "http", format!("https://127.0.0.1:{}/", https.port()), &format!("fail_if_body_not_matches_regexp: [\"nope\"]\ntls_config: {{ca_file: {ca}}}"), &format!("fail_if_body_not_matches_regexp = [\"nope\"]\ntls_config = {{ ca_file = \"{ca}\" }}"), false).expect("probe_failed_due_to_regex", 1.0),
        // Request: method, headers, body; credentials.
        case("http_post", "http", format!("http://{web}/post"), "method: POST\nheaders: {X-Probe: 'yes'}\nbody: hello", "method = \"POST\"\nheaders = { X-Probe = \"yes\" }\nbody = \"hello\"", true),
        case("http_head", "http", format!("http://{web}/"), "method: HEAD", "method = \"HEAD\"", true).expect("probe_http_content_length", 2.0),
        case("http_basic_auth", "http", format!("http://{web}/auth"), "basic_auth: {username: user, password: pass}", "basic_auth = { username = \"user\", password = \"pass\" }", true),
        case("http_bearer_file", "http", format!("http://{web}/auth"), &format!("bearer_token_file: {token}"), &format!("bearer_token_file = \"{token}\""), true),
        case("http_no_auth", "http", format!("http://{web}/auth"), "", "", false).expect("probe_http_status_code", 401.0),
        // Redirects and cookies.
        case("http_redirect", "http", format!("http://{web}/redirect"), "", "", true).expect("probe_http_redirects", 1.0).expect("probe_http_status_code", 200.0),
        case("http_follow_false", "http", format!("http://{web}/redirect"), "follow_redirects: false\nvalid_status_codes: [302]", "follow_redirects = false\nvalid_status_codes = [302]", true).expect("probe_http_redirects", 1.0).expect("probe_http_status_code", 302.0),
        case("http_no_follow_body_regex", "http", format!("http://{web}/redirect"), "no_follow_redirects: true\nvalid_status_codes: [302]\nfail_if_body_matches_regexp: [never]", "no_follow_redirects = true\nvalid_status_codes = [302]\nfail_if_body_matches_regexp = [\"never\"]", false).expect("probe_failed_due_to_regex", 1.0),
        case("http_cookie", "http", format!("http://{web}/cookie"), "", "", true).expect("probe_http_redirects", 1.0),
        // Response checks.
        case("http_body_ok", "http", format!("http://{web}/final"), "fail_if_body_matches_regexp: [error]\nfail_if_body_not_matches_regexp: ['^final page$']", "fail_if_body_matches_regexp = [\"error\"]\nfail_if_body_not_matches_regexp = ['^final page$']", true).expect("probe_failed_due_to_regex", 0.0),
        case("http_header_matches", "http", format!("http://{web}/final"), "fail_if_header_matches: [{header: X-Test, regexp: '^beta$'}]", "fail_if_header_matches = [ { header = \"X-Test\", regexp = '^beta$' } ]", false).expect("probe_failed_due_to_regex", 1.0),
        case("http_header_not_matches", "http", format!("http://{web}/final"), "fail_if_header_not_matches: [{header: x-test, regexp: '^beta$'}, {header: X-Missing, regexp: '.', allow_missing: true}]", "fail_if_header_not_matches = [ { header = \"x-test\", regexp = '^beta$' }, { header = \"X-Missing\", regexp = '.', allow_missing = true } ]", true).expect("probe_failed_due_to_regex", 0.0),
        case("http_header_missing", "http", format!("http://{web}/final"), "fail_if_header_not_matches: [{header: X-Missing, regexp: '.'}]", "fail_if_header_not_matches = [ { header = \"X-Missing\", regexp = '.' } ]", false).expect("probe_failed_due_to_regex", 1.0),
        case("http_versions", "http", format!("http://{web}/"), "valid_http_versions: [HTTP/2.0]", "valid_http_versions = [\"HTTP/2.0\"]", false),
        case("http_body_limit", "http", format!("http://{web}/big"), "body_size_limit: 100B", "body_size_limit = \"100B\"", false).expect("probe_http_uncompressed_body_length", 100.0),
        case("http_chunked", "http", format!("http://{web}/chunked"), "", "", true).expect("probe_http_content_length", -1.0),
        case("http_fail_if_not_ssl", "http", format!("http://{web}/"), "fail_if_not_ssl: true", "fail_if_not_ssl = true", false),
        // TLS: HTTP/2, names, verification, client certificates.
        case("https_h2", "http", format!("https://localhost:{}/", h2s.port()), &format!("valid_http_versions: [HTTP/2.0]\ntls_config: {{ca_file: {ca}}}"), &format!("valid_http_versions = [\"HTTP/2.0\"]\ntls_config = {{ ca_file = \"{ca}\" }}"), true).expect("probe_http_version", 2.0).expect("probe_http_content_length", 2.0),
        case("https_h2_disabled", "http", format!("https://localhost:{}/", h2s.port()), &format!("enable_http2: false\ntls_config: {{ca_file: {ca}}}"), &format!("enable_http2 = false\ntls_config = {{ ca_file = \"{ca}\" }}"), true).expect("probe_http_version", 1.1),
        case("https_wrong_name", "http", format!("https://127.0.0.1:{}/", h2s.port()), &format!("tls_config: {{ca_file: {ca}, server_name: wrong.test}}"), &format!("tls = {{ ca_file = \"{ca}\", server_name = \"wrong.test\" }}"), false),
        case("https_host_header", "http", format!("https://127.0.0.1:{}/", h2s.port()), &format!("headers: {{Host: localhost}}\ntls_config: {{ca_file: {ca}}}"), &format!("headers = {{ Host = \"localhost\" }}\ntls = {{ ca_file = \"{ca}\" }}"), true),
        case("https_untrusted", "http", format!("https://localhost:{}/", h2s.port()), "", "", false),
        case("https_insecure", "http", format!("https://localhost:{}/", h2s.port()), "tls_config: {insecure_skip_verify: true}", "tls = { insecure_skip_verify = true }", true),
        case("https_fail_if_ssl", "http", format!("https://localhost:{}/", h2s.port()), &format!("fail_if_ssl: true\ntls_config: {{ca_file: {ca}}}"), &format!("fail_if_ssl = true\ntls = {{ ca_file = \"{ca}\" }}"), false).expect("probe_http_ssl", 1.0),
        case("https_tls13", "http", format!("https://localhost:{}/", h2s.port()), &format!("tls_config: {{ca_file: {ca}, min_version: TLS13}}"), &format!("tls = {{ ca_file = \"{ca}\", min_version = \"TLS13\" }}"), true),
        case("https_client_cert", "http", format!("https://localhost:{}/", mtls.port()), &format!("tls_config: {{ca_file: {ca}, cert_file: {cert}, key_file: {key}}}"), &format!("tls = {{ ca_file = \"{ca}\", cert_file = \"{cert}\", key_file = \"{key}\" }}"), true),
        case("https_no_client_cert", "http", format!("https://localhost:{}/", mtls.port()), &format!("tls_config: {{ca_file: {ca}}}"), &format!("tls = {{ ca_file = \"{ca}\" }}"), false),
        // tcp.
        case("tcp_banner", "tcp", tcp.to_string(), "query_response: [{expect: '^220 ([a-z.]+)'}, {send: QUIT}]", "query_response = [ { expect = '^220 ([a-z.]+)' }, { send = \"QUIT\" } ]", true),
        case("tcp_wrong_banner", "tcp", tcp_hangup.to_string(), "query_response: [{expect: '^SSH'}]", "query_response = [ { expect = '^SSH' } ]", false).expect("probe_failed_due_to_regex", 1.0),
        case("tcp_source", "tcp", tcp.to_string(), "source_ip_address: 127.0.0.1\nquery_response: [{expect: '^220'}]", "source_ip_address = \"127.0.0.1\"\nquery_response = [ { expect = '^220' } ]", true),
        case("tcp_down", "tcp", format!("127.0.0.1:{down}"), "", "", false),
        case("tcp_starttls", "tcp", smtp.to_string(), &format!("{starttls_yaml}\ntls_config: {{ca_file: {ca}}}"), &format!("{starttls_toml}\ntls_config = {{ ca_file = \"{ca}\" }}"), true).expect("probe_failed_due_to_regex", 0.0),
        case("tcp_starttls_untrusted", "tcp", smtp.to_string(), starttls_yaml, starttls_toml, false),
        case("tcp_tls", "tcp", smtps.to_string(), &format!("tls: true\ntls_config: {{ca_file: {ca}, server_name: localhost}}\nquery_response: [{{expect: '^220 probe.test secure'}}, {{send: QUIT}}]"), &format!("tls = true\ntls_config = {{ ca_file = \"{ca}\", server_name = \"localhost\" }}\nquery_response = [ {{ expect = '^220 probe.test secure' }}, {{ send = 'QUIT' }} ]"), true),
        case("tcp_tls_untrusted", "tcp", smtps.to_string(), "tls: true", "tls = true", false),
        // icmp.
        case("icmp", "icmp", "127.0.0.1", "", "", true),
        case("icmp_options", "icmp", "127.0.0.1", "payload_size: 200\nttl: 3\nsource_ip_address: 127.0.0.1", "payload_size = 200\nttl = 3\nsource_ip_address = \"127.0.0.1\"", true),
        // dns.
        Case::dns("dns_a", "ok.test", dns, "query_type: A\nvalidate_answer_rrs:\n  fail_if_not_matches_regexp: [\"ok.test.\\t.*\\tIN\\tA\\t127.0.0.1\"]", "query_type = \"A\"\nvalidate_answer_rrs = { fail_if_not_matches_regexp = [\"ok.test.\\t.*\\tIN\\tA\\t127.0.0.1\"] }", true).expect("probe_dns_answer_rrs", 1.0),
        Case::dns("dns_soa", "test", dns, "query_type: SOA", "query_type = \"SOA\"", true).expect("probe_dns_serial", 2024010101.0),
        Case::dns("dns_nxdomain", "missing.test", dns, "query_type: A", "query_type = \"A\"", false).expect("probe_dns_query_succeeded", 1.0),
        Case::dns("dns_nxdomain_valid", "missing.test", dns, "query_type: A\nvalid_rcodes: [NXDOMAIN]\nvalidate_authority_rrs: {fail_if_not_matches_regexp: ['\\tSOA\\t']}", "query_type = \"A\"\nvalid_rcodes = [\"NXDOMAIN\"]\nvalidate_authority_rrs = { fail_if_not_matches_regexp = ['\\tSOA\\t'] }", true).expect("probe_dns_authority_rrs", 1.0).expect("probe_dns_answer_rrs", 0.0),
        Case::dns("dns_source", "ok.test", dns, "query_type: A\nsource_ip_address: 127.0.0.1", "query_type = \"A\"\nsource_ip_address = \"127.0.0.1\"", true),
        Case::dns("dns_tcp", "ok.test", dns, "query_type: A\ntransport_protocol: tcp", "query_type = \"A\"\ntransport_protocol = \"tcp\"", true).expect("probe_dns_answer_rrs", 1.0),
        Case::dns("dns_over_tls", "ok.test", dot, &format!("query_type: A\ntransport_protocol: tcp\ndns_over_tls: true\ntls_config: {{ca_file: {ca}}}"), &format!("query_type = \"A\"\ntransport = \"tcp\"\ndns_over_tls = true\ntls_config = {{ ca_file = \"{ca}\" }}"), true).expect("probe_dns_answer_rrs", 1.0),
        Case::dns("dns_no_recursion", "norec.test", dns, "query_type: A\nrecursion_desired: false", "query_type = \"A\"\nrecursion_desired = false", true).expect("probe_dns_answer_rrs", 1.0),
        Case::dns("dns_recursion_refused", "norec.test", dns, "query_type: A", "query_type = \"A\"", false).expect("probe_dns_answer_rrs", 0.0),
        Case::dns("dns_all_match", "multi.test", dns, "query_type: A\nvalidate_answer_rrs: {fail_if_all_match_regexp: ['127\\.0\\.0\\.1$']}", "query_type = \"A\"\nvalidate_answer_rrs = { fail_if_all_match_regexp = ['127\\.0\\.0\\.1$'] }", false).expect("probe_dns_answer_rrs", 2.0),
        Case::dns("dns_none_matches", "multi.test", dns, "query_type: A\nvalidate_answer_rrs: {fail_if_none_matches_regexp: ['127\\.0\\.0\\.2$']}", "query_type = \"A\"\nvalidate_answer_rrs = { fail_if_none_matches_regexp = ['127\\.0\\.0\\.2$'] }", true),
        Case::dns("dns_matches", "multi.test", dns, "query_type: A\nvalidate_answer_rrs: {fail_if_matches_regexp: ['127\\.0\\.0\\.2$']}", "query_type = \"A\"\nvalidate_answer_rrs = { fail_if_matches_regexp = ['127\\.0\\.0\\.2$'] }", false),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_match_blackbox_exporter() {
    require(BLACKBOX, "prometheus-blackbox-exporter");
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let up = http_server(200, Duration::ZERO).await;
    let err500 = http_server(500, Duration::ZERO).await;
    let slow = http_server(200, Duration::from_secs(4)).await;
    let down = free_port();
    let web = web_server().await;
    let https = https_server(pki.server(&[b"http/1.1"], false)).await;
    let h2s = https_server(pki.server(&[b"h2", b"http/1.1"], false)).await;
    let mtls = https_server(pki.server(&[b"http/1.1"], true)).await;
    let tcp = banner_server(false).await;
    let tcp_hangup = banner_server(true).await;
    let smtp = smtp_server(pki.server(&[], false), false).await;
    let smtps = smtp_server(pki.server(&[], false), true).await;
    let dns = dns_server().await;
    let dot = dot_server(pki.server(&[], false)).await;
    let cases =
        cases(dir.path(), up, err500, slow, down, web, https, h2s, mtls, tcp, tcp_hangup, smtp, smtps, dns, dot);

    let mut yaml = String::from("modules:\n");
    let mut toml = String::from("[agent]\nname = \"probe-test\"\ninterval = \"10s\"\n");
    for c in &cases {
        yaml.push_str(&c.yaml());
        toml.push_str(&c.toml());
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
        .stderr(Stdio::piped())
        .spawn()
        .expect("start blackbox_exporter");
    let mut exporter = Exporter(child);
    let started = Instant::now();
    while http_get(listen, "/-/healthy").is_err() {
        if let Ok(Some(status)) = exporter.0.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = exporter.0.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("blackbox_exporter exited ({status}) on this configuration:\n{yaml}\n{err}");
        }
        assert!(started.elapsed() < Duration::from_secs(20), "blackbox_exporter did not come up on {listen}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Its log is not read from here on: drop the pipe so that a full one never blocks it.
    drop(exporter.0.stderr.take());

    let specs = pharos_agent::collect::probe::sources(&cfg.collect.probe, &cfg.agent);
    assert_eq!(specs.len(), cases.len());
    let mut problems = Vec::new();
    for (c, mut spec) in cases.iter().zip(specs) {
        let path = format!("/probe?module={}&target={}", c.name, c.bb_target);
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
        let mut ours = families(&ours);
        // Ours alone: why a failed probe failed (pharos_target_failure_info), in no blackbox family.
        let failure = ours.remove(TARGET_FAILURE_METRIC);
        let reason =
            failure.as_ref().and_then(|f| f.first()).and_then(|(l, _)| l.strip_prefix("reason=")).map(str::to_string);
        match (value(&ours, "probe_success"), &failure, expected_reason(c.name)) {
            (Some(0.0), Some(f), expected) if f.len() == 1 && f[0].1 == 1.0 => {
                if let Some(want) = expected {
                    if reason.as_deref() != Some(want) {
                        problems.push(format!("{}: failure reason {reason:?}, expected {want:?}", c.name));
                    }
                }
            }
            (Some(1.0), None, None) => {}
            (success, failure, _) => {
                problems.push(format!("{}: probe_success {success:?} with failure series {failure:?}", c.name))
            }
        }
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
            "probe_dns_additional_rrs",
            "probe_dns_query_succeeded",
            "probe_dns_serial",
            "probe_icmp_reply_hop_limit",
            "probe_http_content_length",
            "probe_http_uncompressed_body_length",
            "probe_http_redirects",
            "probe_http_version",
            "probe_http_last_modified_timestamp_seconds",
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
        for (fam, want) in &c.expect {
            if value(&ours, fam) != Some(*want) {
                problems.push(format!("{}: expected {fam} {want}, ours {:?}", c.name, value(&ours, fam)));
            }
        }
    }
    assert!(problems.is_empty(), "differences from blackbox_exporter:\n{}", problems.join("\n"));
}
