//! The http prober: one request (plus redirects) over HTTP/1.1 with hyper's client connection on
//! a tokio `TcpStream` (TLS with tokio-rustls), timed per phase as blackbox's `httptrace` does.
//!
//! Phases, summed over redirects as in blackbox: `resolve` (name lookup), `connect` (TCP),
//! `tls` (handshake), `processing` (request sent to response headers), `transfer` (body, final
//! response only). Connections are never reused (blackbox disables keep-alives).

use super::tls;
use super::{choose_protocol, HttpSettings, IpProtocol, Report};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, StatusCode, Uri, Version};
use hyper_util::rt::TokioIo;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite};
use tracing::debug;

const DURATION: &str = "probe_http_duration_seconds";
const HELP_DURATION: &str = "Duration of http request by phase, summed over all redirects";
const REGEX: &str = "probe_failed_due_to_regex";
const HELP_REGEX: &str = "Indicates if probe failed due to regex";
const MAX_REDIRECTS: usize = 10;

/// The User-Agent sent unless `headers` sets one.
const USER_AGENT: &str = concat!("Pharos-Agent/", env!("CARGO_PKG_VERSION"));

trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// Aborts the task driving a connection when the probe ends or is dropped at its deadline.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why a request got no response.
#[derive(Debug, thiserror::Error)]
enum HopError {
    #[error("connecting: {0}")]
    Connect(std::io::Error),
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsError),
    #[error("TLS handshake: {0}")]
    Handshake(std::io::Error),
    #[error("HTTP: {0}")]
    Http(#[from] hyper::Error),
    #[error("building the request: {0}")]
    Request(#[from] hyper::http::Error),
    #[error("resolving {0}: {1}")]
    Resolve(String, String),
}

/// A response whose body has not been read yet.
struct Hop {
    resp: hyper::Response<hyper::body::Incoming>,
    response_start: Instant,
    tls: Option<tls::TlsInfo>,
    _conn: AbortOnDrop,
}

/// Probes `target` as configured; true on success.
pub(super) async fn probe(target: &str, ip: IpProtocol, s: &HttpSettings, r: &mut Report) -> bool {
    for (name, help) in [
        ("probe_http_content_length", "Length of http content response"),
        ("probe_http_uncompressed_body_length", "Length of uncompressed response body"),
        ("probe_http_redirects", "The number of redirects"),
        ("probe_http_ssl", "Indicates if SSL was used for the final redirect"),
        ("probe_http_status_code", "Response HTTP status code"),
        ("probe_http_version", "Returns the version of HTTP of the probe response"),
        (REGEX, HELP_REGEX),
    ] {
        r.gauge(name, help);
    }
    let url = if target.starts_with("http://") || target.starts_with("https://") {
        target.to_string()
    } else {
        format!("http://{target}")
    };
    let Ok(mut uri) = url.parse::<Uri>() else {
        debug!(url, "could not parse the target URL");
        return false;
    };
    let Some(host) = uri.host().map(str::to_string) else {
        debug!(url, "the target URL has no host");
        return false;
    };
    let (addr, lookup) = choose_protocol(&host, ip, r).await;
    r.add_phase(DURATION, HELP_DURATION, "resolve", lookup);
    let mut addr = match addr {
        Ok(a) => a,
        Err(e) => {
            debug!(error = %e, "error resolving the target");
            return false;
        }
    };
    r.phases(DURATION, HELP_DURATION, &["connect", "tls", "processing", "transfer"]);

    let mut method = Method::from_bytes(s.method.as_bytes()).unwrap_or(Method::GET);
    let mut body = s.body.clone().unwrap_or_default();
    let mut redirects = 0usize;
    let mut request_errored = false;
    let mut hop_index = 0usize;
    let final_hop = loop {
        if hop_index > 0 {
            // Redirects resolve their host anew; blackbox adds that to "resolve" too.
            let started = Instant::now();
            let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
            let resolved = match host.parse::<IpAddr>() {
                Ok(a) => Ok(a),
                Err(_) => tokio::net::lookup_host((host.as_str(), 0))
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|mut it| it.next().map(|sa| sa.ip()).ok_or_else(|| "no address".to_string())),
            };
            r.add_phase(DURATION, HELP_DURATION, "resolve", started.elapsed());
            match resolved {
                Ok(a) => addr = a,
                Err(e) => {
                    debug!(error = %HopError::Resolve(host, e), "redirect target");
                    break None;
                }
            }
        }
        let hop = match request(&uri, addr, &method, &body, hop_index == 0, s, r).await {
            Ok(h) => h,
            Err(e) => {
                debug!(url = %uri, error = %e, "HTTP request failed");
                break None;
            }
        };
        let status = hop.resp.status();
        let location = hop.resp.headers().get(hyper::header::LOCATION).and_then(|v| v.to_str().ok());
        let next = match (is_redirect(status), location) {
            (true, Some(loc)) => resolve_location(&uri, loc),
            _ => None,
        };
        let Some(next) = next else { break Some(hop) };
        debug!(location = %next, "received redirect");
        redirects = hop_index + 1;
        if s.no_follow_redirects || redirects > MAX_REDIRECTS {
            // Go's client returns the redirect response with an error: its body is not read.
            request_errored = true;
            break Some(hop);
        }
        if matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER)
            && method != Method::GET
            && method != Method::HEAD
        {
            method = Method::GET;
            body.clear();
        }
        uri = next;
        hop_index += 1;
    };
    r.set("probe_http_redirects", "The number of redirects", redirects as f64);
    let Some(hop) = final_hop else {
        return false;
    };
    let Hop { resp, response_start, tls, _conn } = hop;
    let (parts, mut incoming) = resp.into_parts();
    let status = parts.status.as_u16();
    let mut success = if s.valid_status_codes.is_empty() {
        (200..300).contains(&status)
    } else {
        s.valid_status_codes.contains(&status)
    };
    if !success {
        debug!(status, "invalid HTTP response status code");
    }
    let check_body =
        success && !(s.fail_if_body_matches_regexp.is_empty() && s.fail_if_body_not_matches_regexp.is_empty());
    let mut body_bytes = 0usize;
    if !request_errored {
        let mut kept = Vec::new();
        loop {
            match incoming.frame().await {
                None => break,
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        body_bytes += data.len();
                        if check_body {
                            kept.extend_from_slice(&data);
                        }
                    }
                }
                Some(Err(e)) => {
                    debug!(error = %e, "failed to read the HTTP response body");
                    success = false;
                    break;
                }
            }
        }
        if check_body && success {
            let failed = s.fail_if_body_matches_regexp.iter().any(|re| re.is_match(&kept))
                || s.fail_if_body_not_matches_regexp.iter().any(|re| !re.is_match(&kept));
            r.set(REGEX, HELP_REGEX, if failed { 1.0 } else { 0.0 });
            if failed {
                debug!("body regex check failed");
                success = false;
            }
        }
        r.add_phase(DURATION, HELP_DURATION, "transfer", response_start.elapsed());
    }
    if let Some(t) =
        parts.headers.get(hyper::header::LAST_MODIFIED).and_then(|v| v.to_str().ok()).and_then(parse_http_date)
    {
        r.set(
            "probe_http_last_modified_timestamp_seconds",
            "Returns the Last-Modified HTTP response header in unixtime",
            t,
        );
    }
    let (version, proto) = match parts.version {
        Version::HTTP_09 => (0.9, "HTTP/0.9"),
        Version::HTTP_10 => (1.0, "HTTP/1.0"),
        Version::HTTP_11 => (1.1, "HTTP/1.1"),
        Version::HTTP_2 => (2.0, "HTTP/2.0"),
        _ => (0.0, "unknown"),
    };
    r.set("probe_http_version", "Returns the version of HTTP of the probe response", version);
    if !s.valid_http_versions.is_empty() && !s.valid_http_versions.iter().any(|v| v == proto) {
        debug!(proto, "invalid HTTP version");
        success = false;
    }
    match &tls {
        Some(info) => {
            r.set("probe_http_ssl", "Indicates if SSL was used for the final redirect", 1.0);
            info.report(r);
            if s.fail_if_ssl {
                debug!("final request was over TLS");
                success = false;
            }
        }
        None if s.fail_if_not_ssl => {
            debug!("final request was not over TLS");
            success = false;
        }
        None => {}
    }
    r.set("probe_http_status_code", "Response HTTP status code", f64::from(status));
    r.set("probe_http_content_length", "Length of http content response", content_length(&method, &parts));
    r.set("probe_http_uncompressed_body_length", "Length of uncompressed response body", body_bytes as f64);
    success
}

/// One request on a new connection, up to the response's headers, adding its phases.
async fn request(
    uri: &Uri,
    addr: IpAddr,
    method: &Method,
    body: &str,
    first: bool,
    s: &HttpSettings,
    r: &mut Report,
) -> Result<Hop, HopError> {
    let https = uri.scheme_str() == Some("https");
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let started = Instant::now();
    let tcp = tokio::net::TcpStream::connect(SocketAddr::new(addr, port)).await.map_err(HopError::Connect)?;
    let _ = tcp.set_nodelay(true);
    r.add_phase(DURATION, HELP_DURATION, "connect", started.elapsed());
    let configured_host = s.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.as_str());
    let (io, tls_info): (Box<dyn Io>, Option<tls::TlsInfo>) = if https {
        let t = tls::client(&s.tls, &[b"http/1.1"]).await?;
        // As blackbox: server_name, else the Host header, else the URL's host.
        let default_name = match (first, configured_host) {
            (true, Some(h)) => super::split_host_port(h).map(|(h, _)| h).unwrap_or_else(|| h.to_string()),
            _ => uri.host().unwrap_or_default().to_string(),
        };
        let name = tls::server_name(&s.tls, &default_name)?;
        let tls_started = Instant::now();
        let stream =
            tokio_rustls::TlsConnector::from(t.config.clone()).connect(name, tcp).await.map_err(HopError::Handshake)?;
        r.add_phase(DURATION, HELP_DURATION, "tls", tls_started.elapsed());
        let info = tls::info(stream.get_ref().1, &t);
        (Box::new(stream), Some(info))
    } else {
        (Box::new(tcp), None)
    };
    let got_conn = Instant::now();
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(io)).await?;
    let driver = AbortOnDrop(tokio::spawn(async move {
        if let Err(e) = conn.await {
            debug!(error = %e, "HTTP connection");
        }
    }));
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let host_header = match (first, configured_host) {
        (true, Some(h)) => h.to_string(),
        _ => uri.authority().map(|a| a.as_str().to_string()).unwrap_or_default(),
    };
    let mut req = hyper::Request::builder().method(method.clone()).uri(path).header(hyper::header::HOST, host_header);
    for (k, v) in &s.headers {
        if k.eq_ignore_ascii_case("host") {
            continue;
        }
        let name = HeaderName::from_bytes(k.as_bytes()).map_err(hyper::http::Error::from)?;
        let value = HeaderValue::from_str(v).map_err(hyper::http::Error::from)?;
        req = req.header(name, value);
    }
    if !s.headers.keys().any(|k| k.eq_ignore_ascii_case("user-agent")) {
        req = req.header(hyper::header::USER_AGENT, USER_AGENT);
    }
    req = req.header(hyper::header::CONNECTION, "close");
    let req = req.body(Full::new(Bytes::from(body.to_string())))?;
    let resp = sender.send_request(req).await?;
    let response_start = Instant::now();
    r.add_phase(DURATION, HELP_DURATION, "processing", response_start - got_conn);
    Ok(Hop { resp, response_start, tls: tls_info, _conn: driver })
}

fn is_redirect(s: StatusCode) -> bool {
    matches!(s.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// The URL a `Location` header points to, relative to `base`.
fn resolve_location(base: &Uri, loc: &str) -> Option<Uri> {
    if loc.starts_with("http://") || loc.starts_with("https://") {
        return loc.parse().ok();
    }
    let scheme = base.scheme_str().unwrap_or("http");
    if let Some(rest) = loc.strip_prefix("//") {
        return format!("{scheme}://{rest}").parse().ok();
    }
    let authority = base.authority()?.as_str();
    let path = if loc.starts_with('/') {
        loc.to_string()
    } else {
        let dir = base.path().rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        format!("{dir}/{loc}")
    };
    format!("{scheme}://{authority}{path}").parse().ok()
}

/// Go's `Response.ContentLength`: the header's value, 0 for responses that have no body, -1 when
/// unknown (chunked or read to the end).
fn content_length(method: &Method, parts: &hyper::http::response::Parts) -> f64 {
    let status = parts.status.as_u16();
    if let Some(n) =
        parts.headers.get(hyper::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
    {
        if *method != Method::HEAD {
            return n as f64;
        }
    }
    if *method == Method::HEAD || (100..200).contains(&status) || status == 204 || status == 304 {
        return 0.0;
    }
    -1.0
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form servers send, into Unix
/// seconds. (Go also accepts the obsolete RFC 850 and asctime forms.)
pub(crate) fn parse_http_date(s: &str) -> Option<f64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (_, rest) = s.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    let day: i64 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else { return None };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *sec > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some((days * 86400 + h * 3600 + m * 60 + sec) as f64)
}
