//! nginx stub_status check with nginx-prometheus-exporter 0.11's names, types and values.
//!
//! The status page is fetched with a plain HTTP/1.0 GET over TCP: the endpoint is a local
//! `http://` URL, and HTTP/1.0 rules out chunked replies, so no HTTP library is needed. `https`
//! URLs are refused at start (say so rather than fail at every check).

use super::{fields_and_schedule, Families, Schedule, ServiceError, UpState};
use crate::collect::{Collection, Collector, MetricFamily, MetricType};
use serde::Deserialize;
use std::io::{Read, Write};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Largest status page accepted (a real one is about 100 bytes).
const MAX_RESPONSE: u64 = 64 * 1024;

/// One `[[collect.services.nginx]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxConfig {
    /// The stub_status URL (`http://` only). Default `http://127.0.0.1/stub_status`.
    pub url: String,
    /// `interval`, `timeout`, `job` (default `nginx`).
    pub schedule: Schedule,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(default = "default_url")]
    url: String,
}

fn default_url() -> String {
    super::DEFAULT_NGINX_URL.to_string()
}

impl<'de> Deserialize<'de> for NginxConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (f, schedule): (Fields, _) = fields_and_schedule(d)?;
        parse_url(&f.url).map_err(|e| D::Error::custom(format!("url: {e}")))?;
        Ok(NginxConfig { url: f.url, schedule })
    }
}

/// The parts of an `http://` URL a GET needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// `host:port` to connect to.
    pub connect: String,
    /// `Host` header value.
    pub host: String,
    /// Path and query.
    pub path: String,
}

/// Splits an `http://host[:port][/path]` URL.
pub(crate) fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("{url:?}: only http:// URLs are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("{url:?}: expected http://host[:port]/path"));
    }
    // A port is present if the authority ends with `:digits` outside IPv6 brackets.
    let has_port = match authority.rfind(':') {
        Some(i) => !authority[i..].contains(']') && authority[i + 1..].bytes().all(|b| b.is_ascii_digit()),
        None => false,
    };
    let connect = if has_port { authority.to_string() } else { format!("{authority}:80") };
    Ok(Target { connect, host: authority.to_string(), path: path.to_string() })
}

fn request(t: &Target) -> String {
    format!("GET {} HTTP/1.0\r\nHost: {}\r\nUser-Agent: pharos-agent\r\nAccept: */*\r\n\r\n", t.path, t.host)
}

/// The body of a `200` response, or why there is none.
pub(crate) fn response_body(raw: &[u8]) -> Result<&str, ServiceError> {
    let text = std::str::from_utf8(raw).map_err(|_| ServiceError::Protocol("response is not UTF-8".into()))?;
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| ServiceError::Protocol("no end of headers".into()))?;
    let status = head.lines().next().unwrap_or("");
    let code = status.split_whitespace().nth(1).unwrap_or("");
    if !status.starts_with("HTTP/") || code != "200" {
        return Err(ServiceError::Server(format!("expected HTTP 200, got {status:?}")));
    }
    Ok(body)
}

/// The figures of a stub_status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StubStatus {
    pub active: u64,
    pub accepted: u64,
    pub handled: u64,
    pub requests: u64,
    pub reading: u64,
    pub writing: u64,
    pub waiting: u64,
}

/// Parses a stub_status page:
///
/// ```text
/// Active connections: 1
/// server accepts handled requests
///  62 62 123
/// Reading: 0 Writing: 1 Waiting: 0
/// ```
pub(crate) fn parse_stub_status(body: &str) -> Result<StubStatus, ServiceError> {
    let t: Vec<&str> = body.split_whitespace().collect();
    let expect = [
        "Active",
        "connections:",
        "",
        "server",
        "accepts",
        "handled",
        "requests",
        "",
        "",
        "",
        "Reading:",
        "",
        "Writing:",
        "",
        "Waiting:",
        "",
    ];
    let bad =
        || ServiceError::Protocol(format!("not a stub_status page: {:?}", body.chars().take(200).collect::<String>()));
    if t.len() < expect.len() {
        return Err(bad());
    }
    for (word, want) in t.iter().zip(expect) {
        if !want.is_empty() && *word != want {
            return Err(bad());
        }
    }
    let n = |i: usize| t[i].parse::<u64>().map_err(|_| bad());
    Ok(StubStatus {
        active: n(2)?,
        accepted: n(7)?,
        handled: n(8)?,
        requests: n(9)?,
        reading: n(11)?,
        writing: n(13)?,
        waiting: n(15)?,
    })
}

/// The families of a stub_status reading.
pub(crate) fn families(s: &StubStatus) -> Vec<MetricFamily> {
    let mut f = Families::default();
    let (c, g) = (MetricType::Counter, MetricType::Gauge);
    f.add("nginx_connections_accepted", "Accepted client connections", c, &[], s.accepted as f64);
    f.add("nginx_connections_active", "Active client connections", g, &[], s.active as f64);
    f.add("nginx_connections_handled", "Handled client connections", c, &[], s.handled as f64);
    f.add(
        "nginx_connections_reading",
        "Connections where NGINX is reading the request header",
        g,
        &[],
        s.reading as f64,
    );
    f.add("nginx_connections_waiting", "Idle client connections", g, &[], s.waiting as f64);
    f.add(
        "nginx_connections_writing",
        "Connections where NGINX is writing the response back to the client",
        g,
        &[],
        s.writing as f64,
    );
    f.add("nginx_http_requests_total", "Total http requests", c, &[], s.requests as f64);
    f.add("nginx_up", UP_HELP, g, &[], 1.0);
    f.into_vec()
}

const UP_HELP: &str = "Status of the last metric scrape";

/// Looks for nginx's status page at its default local URL (a blocking GET with short timeouts:
/// this runs once at start, against loopback).
pub(super) fn detect() -> Option<NginxConfig> {
    let t = parse_url(super::DEFAULT_NGINX_URL).ok()?;
    let addr: std::net::SocketAddr = t.connect.parse().ok()?;
    let mut s = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)).ok()?;
    s.set_read_timeout(Some(Duration::from_millis(500))).ok()?;
    s.set_write_timeout(Some(Duration::from_millis(500))).ok()?;
    s.write_all(request(&t).as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.take(MAX_RESPONSE).read_to_end(&mut raw).ok()?;
    parse_stub_status(response_body(&raw).ok()?).ok()?;
    Some(NginxConfig { url: super::DEFAULT_NGINX_URL.to_string(), schedule: Schedule::default() })
}

/// Checks one nginx stub_status page.
pub struct NginxCollector {
    name: String,
    target: Target,
    deadline: Duration,
    state: UpState,
}

impl NginxCollector {
    /// A collector for `cfg` named `name`, giving up after `timeout`; fails on a URL it cannot fetch.
    pub fn new(name: String, cfg: NginxConfig, timeout: Duration) -> Result<Self, ServiceError> {
        let target = parse_url(&cfg.url).map_err(ServiceError::NotPossible)?;
        Ok(NginxCollector { name, target, deadline: timeout, state: UpState::default() })
    }
}

async fn fetch(t: &Target) -> Result<StubStatus, ServiceError> {
    let mut s = tokio::net::TcpStream::connect(&t.connect).await?;
    s.write_all(request(t).as_bytes()).await?;
    let mut raw = Vec::new();
    (&mut s).take(MAX_RESPONSE).read_to_end(&mut raw).await?;
    parse_stub_status(response_body(&raw)?)
}

impl Collector for NginxCollector {
    fn name(&self) -> &str {
        &self.name
    }

    fn collect(&mut self) -> Collection<'_> {
        Box::pin(async move {
            let result = match tokio::time::timeout(self.deadline, fetch(&self.target)).await {
                Ok(r) => r,
                Err(_) => Err(ServiceError::Timeout(self.deadline)),
            };
            self.state.record(&self.name, result.as_ref().map(|_| ()));
            Ok(match result {
                Ok(s) => families(&s),
                Err(_) => super::down("nginx_up", UP_HELP),
            })
        })
    }
}
