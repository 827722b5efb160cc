//! The http prober: one request (plus redirects) with hyper's client connections on a tokio
//! `TcpStream` (TLS with tokio-rustls), timed per phase as blackbox's `httptrace` does. Over TLS,
//! HTTP/2 is offered by ALPN (`h2`, then `http/1.1`) unless `enable_http2 = false`, as blackbox
//! 0.23 does; plain-text connections speak HTTP/1.1.
//!
//! Phases, summed over redirects as in blackbox: `resolve` (name lookup), `connect` (TCP),
//! `tls` (handshake), `processing` (request sent to response headers), `transfer` (body, final
//! response only). Connections are never reused (blackbox disables keep-alives). Cookies set by
//! a response are sent again to the same host on the following redirects (blackbox's cookie jar).

use super::tls;
use super::{choose_protocol, HttpAuth, HttpSettings, IpProtocol, Report};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, StatusCode, Uri, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
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

/// Headers that are about one HTTP/1 connection, which HTTP/2 forbids (Go's HTTP/2 client drops
/// them from the configured headers too).
const CONNECTION_HEADERS: [&str; 5] = ["connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"];

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

impl HopError {
    /// The short reason `pharos_target_failure_info` reports for it.
    fn reason(&self) -> &'static str {
        match self {
            HopError::Connect(_) => "error dialing the target",
            HopError::Tls(_) => "TLS configuration",
            HopError::Handshake(_) => "TLS handshake failed",
            HopError::Http(e) if e.is_timeout() => "timeout",
            HopError::Http(_) => "HTTP request failed",
            HopError::Request(_) => "cannot build the request",
            HopError::Resolve(..) => "error resolving the target",
        }
    }
}

/// A response whose body has not been read yet.
struct Hop {
    resp: hyper::Response<hyper::body::Incoming>,
    response_start: Instant,
    tls: Option<tls::TlsInfo>,
    _conn: AbortOnDrop,
}

/// Where one request goes and how it presents itself.
struct HopTarget<'a> {
    uri: &'a Uri,
    addr: IpAddr,
    /// The Host header (HTTP/1) or `:authority` (HTTP/2).
    host: &'a str,
    /// The TLS server name (SNI and verification).
    tls_name: &'a str,
    /// `Authorization`, unless the configured headers have one.
    auth: Option<&'a HeaderValue>,
    /// `Cookie`, from earlier responses of this probe.
    cookie: Option<String>,
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
        return r.fail("could not parse the target URL");
    };
    let Some(host) = uri.host().map(str::to_string) else {
        debug!(url, "the target URL has no host");
        return r.fail("the target URL has no host");
    };
    let (addr, lookup) = choose_protocol(&host, ip, r).await;
    r.add_phase(DURATION, HELP_DURATION, "resolve", lookup);
    let mut addr = match addr {
        Ok(a) => a,
        Err(e) => {
            debug!(error = %e, "error resolving the target");
            return r.fail("error resolving the target");
        }
    };
    r.phases(DURATION, HELP_DURATION, &["connect", "tls", "processing", "transfer"]);
    let auth = match authorization(s.auth.as_ref()).await {
        Ok(a) => a,
        Err(e) => {
            debug!(error = %e, "cannot build the Authorization header");
            return r.fail("cannot build the Authorization header");
        }
    };

    // As blackbox: the first request's Host is the configured Host header or the URL's
    // authority, its TLS name `server_name`, else that Host header (without port), else the
    // URL's host. A redirect to a relative location keeps both (Go keeps a custom Host and sends
    // to the same, already resolved, host); one to an absolute URL uses that URL's.
    let configured_host = s.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("host")).map(|(_, v)| v.clone());
    let first_host =
        configured_host.clone().unwrap_or_else(|| uri.authority().map(|a| a.to_string()).unwrap_or_default());
    let first_tls_name = match (&s.tls.server_name, &configured_host) {
        (Some(n), _) => n.clone(),
        (None, Some(h)) => super::split_host_port(h).map(|(h, _)| h).unwrap_or_else(|| h.clone()),
        (None, None) => host.clone(),
    };
    let first_uri = uri.clone();
    let mut host_header = first_host.clone();
    let mut tls_name = first_tls_name.clone();
    let mut cookies: Vec<(String, String, String)> = Vec::new();

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
                    r.fail("error resolving the redirect target");
                    break None;
                }
            }
        }
        let request_host = uri.host().unwrap_or_default().to_ascii_lowercase();
        let cookie: Vec<String> =
            cookies.iter().filter(|(h, _, _)| *h == request_host).map(|(_, n, v)| format!("{n}={v}")).collect();
        let target = HopTarget {
            uri: &uri,
            addr,
            host: &host_header,
            tls_name: &tls_name,
            auth: auth.as_ref(),
            cookie: (!cookie.is_empty()).then(|| cookie.join("; ")),
        };
        let hop = match request(&target, &method, &body, s, r).await {
            Ok(h) => h,
            Err(e) => {
                debug!(url = %uri, error = %e, "HTTP request failed");
                r.fail(e.reason());
                break None;
            }
        };
        remember_cookies(&mut cookies, &request_host, hop.resp.headers());
        let status = hop.resp.status();
        let location = hop.resp.headers().get(hyper::header::LOCATION).and_then(|v| v.to_str().ok());
        let next = match (is_redirect(status), location) {
            (true, Some(loc)) => resolve_location(&uri, loc).map(|u| (u, is_relative(loc))),
            _ => None,
        };
        let Some((next, relative)) = next else { break Some(hop) };
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
        if relative {
            host_header = first_host.clone();
        } else {
            host_header = next.authority().map(|a| a.to_string()).unwrap_or_default();
            // Go compares the URL's host with the first request's, whose name was replaced by
            // its address: only a target given as an address can match an absolute location.
            let same_as_first = host.parse::<IpAddr>().is_ok() && next.authority() == first_uri.authority();
            tls_name = if same_as_first { first_tls_name.clone() } else { next.host().unwrap_or_default().to_string() };
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
        r.fail("invalid HTTP response status code");
    }
    if success && !(s.fail_if_header_matches.is_empty() && s.fail_if_header_not_matches.is_empty()) {
        success = headers_pass(&parts.headers, s) || r.fail("header regex check failed");
        r.set(REGEX, HELP_REGEX, if success { 0.0 } else { 1.0 });
    }
    let check_body =
        success && !(s.fail_if_body_matches_regexp.is_empty() && s.fail_if_body_not_matches_regexp.is_empty());
    let mut body_bytes = 0u64;
    if request_errored {
        // Go closed this body before handing the response over: reading it for the regexes fails.
        if check_body {
            debug!("the body of an unfollowed redirect cannot be read for the regexes");
            r.set(REGEX, HELP_REGEX, 1.0);
            success = r.fail("body regex check failed");
        }
    } else {
        let mut kept = Vec::new();
        let mut read_ok = true;
        loop {
            match incoming.frame().await {
                None => break,
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        let mut data = &data[..];
                        if s.body_size_limit > 0 && body_bytes + data.len() as u64 > s.body_size_limit {
                            // http.MaxBytesReader: the bytes up to the limit, then an error.
                            data = &data[..(s.body_size_limit - body_bytes) as usize];
                            read_ok = false;
                        }
                        body_bytes += data.len() as u64;
                        if check_body {
                            kept.extend_from_slice(data);
                        }
                        if !read_ok {
                            debug!(limit = s.body_size_limit, "the body is longer than body_size_limit");
                            break;
                        }
                    }
                }
                Some(Err(e)) => {
                    debug!(error = %e, "failed to read the HTTP response body");
                    read_ok = false;
                    break;
                }
            }
        }
        if check_body {
            let failed = !read_ok
                || s.fail_if_body_matches_regexp.iter().any(|re| re.is_match(&kept))
                || s.fail_if_body_not_matches_regexp.iter().any(|re| !re.is_match(&kept));
            r.set(REGEX, HELP_REGEX, if failed { 1.0 } else { 0.0 });
            if failed {
                debug!("body regex check failed");
                r.fail(if read_ok { "body regex check failed" } else { "failed to read the HTTP response body" });
            }
            success = !failed;
        }
        if !read_ok {
            r.fail("failed to read the HTTP response body");
        }
        success &= read_ok;
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
        success = r.fail("invalid HTTP version");
    }
    match &tls {
        Some(info) => {
            r.set("probe_http_ssl", "Indicates if SSL was used for the final redirect", 1.0);
            info.report(r);
            if s.fail_if_ssl {
                debug!("final request was over TLS");
                success = r.fail("final request was over TLS");
            }
        }
        None if s.fail_if_not_ssl => {
            debug!("final request was not over TLS");
            success = r.fail("final request was not over TLS");
        }
        None => {}
    }
    r.set("probe_http_status_code", "Response HTTP status code", f64::from(status));
    r.set("probe_http_content_length", "Length of http content response", content_length(&method, &parts));
    r.set("probe_http_uncompressed_body_length", "Length of uncompressed response body", body_bytes as f64);
    success
}

/// blackbox's `fail_if_header_matches` / `fail_if_header_not_matches`: true when they pass.
fn headers_pass(headers: &HeaderMap, s: &HttpSettings) -> bool {
    for (m, must_match) in s
        .fail_if_header_matches
        .iter()
        .map(|m| (m, false))
        .chain(s.fail_if_header_not_matches.iter().map(|m| (m, true)))
    {
        // Values that are not text are matched as Go sees them: bytes, taken as (lossy) text.
        let values: Vec<String> = headers
            .get_all(m.header.as_str())
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if values.is_empty() {
            if m.allow_missing {
                continue;
            }
            debug!(header = %m.header, "missing required header");
            return false;
        }
        let any = values.iter().any(|v| m.regexp.is_match(v));
        if any != must_match {
            debug!(header = %m.header, regexp = %m.regexp, matched = any, "header regex check failed");
            return false;
        }
    }
    true
}

/// The `Authorization` value of the configured credentials, files read now (as Prometheus' round
/// trippers read them on every request), whitespace trimmed.
async fn authorization(auth: Option<&HttpAuth>) -> Result<Option<HeaderValue>, String> {
    let read = |path: std::path::PathBuf| async move {
        tokio::fs::read_to_string(&path)
            .await
            .map(|s| s.trim().to_string())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let value = match auth {
        None => return Ok(None),
        Some(HttpAuth::Basic { username, password, password_file }) => {
            let password = match password_file {
                Some(p) => read(p.clone()).await?,
                None => password.trim().to_string(),
            };
            format!("Basic {}", base64(format!("{username}:{password}").as_bytes()))
        }
        Some(HttpAuth::Credentials { scheme, credentials, credentials_file }) => {
            let credentials = match credentials_file {
                Some(p) => read(p.clone()).await?,
                None => credentials.clone(),
            };
            format!("{scheme} {credentials}")
        }
    };
    HeaderValue::from_str(&value).map(Some).map_err(|_| "the credentials are not a valid header value".to_string())
}

/// Standard base64 with padding (RFC 4648), for basic auth.
pub(crate) fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Keeps the `name=value` of each `Set-Cookie` of a response from `host` (a later one replaces
/// an earlier one of the same name); attributes are ignored, cookies go back to the same host
/// only.
fn remember_cookies(jar: &mut Vec<(String, String, String)>, host: &str, headers: &HeaderMap) {
    for v in headers.get_all(hyper::header::SET_COOKIE) {
        let Ok(v) = v.to_str() else { continue };
        let pair = v.split(';').next().unwrap_or_default();
        let Some((name, value)) = pair.split_once('=') else { continue };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            continue;
        }
        jar.retain(|(h, n, _)| !(h == host && n == name));
        jar.push((host.to_string(), name.to_string(), value.to_string()));
    }
}

/// One request on a new connection, up to the response's headers, adding its phases.
async fn request(
    t: &HopTarget<'_>,
    method: &Method,
    body: &str,
    s: &HttpSettings,
    r: &mut Report,
) -> Result<Hop, HopError> {
    let uri = t.uri;
    let https = uri.scheme_str() == Some("https");
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let started = Instant::now();
    let tcp = tokio::net::TcpStream::connect(SocketAddr::new(t.addr, port)).await.map_err(HopError::Connect)?;
    let _ = tcp.set_nodelay(true);
    r.add_phase(DURATION, HELP_DURATION, "connect", started.elapsed());
    let mut h2 = false;
    let (io, tls_info): (Box<dyn Io>, Option<tls::TlsInfo>) = if https {
        let alpn: &[&[u8]] = if s.enable_http2 { &[b"h2", b"http/1.1"] } else { &[b"http/1.1"] };
        let c = tls::client(&s.tls, alpn).await?;
        let name = tls::name(t.tls_name)?;
        let tls_started = Instant::now();
        let stream =
            tokio_rustls::TlsConnector::from(c.config.clone()).connect(name, tcp).await.map_err(HopError::Handshake)?;
        r.add_phase(DURATION, HELP_DURATION, "tls", tls_started.elapsed());
        let conn = stream.get_ref().1;
        h2 = conn.alpn_protocol() == Some(b"h2");
        let info = tls::info(conn, &c);
        (Box::new(stream), Some(info))
    } else {
        (Box::new(tcp), None)
    };
    let got_conn = Instant::now();
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut req = if h2 {
        // HTTP/2 carries the host as `:authority`, taken from an absolute URI.
        let scheme = uri.scheme_str().unwrap_or("https");
        hyper::Request::builder()
            .version(Version::HTTP_2)
            .method(method.clone())
            .uri(format!("{scheme}://{}{path}", t.host))
    } else {
        hyper::Request::builder().method(method.clone()).uri(path).header(hyper::header::HOST, t.host)
    };
    for (k, v) in &s.headers {
        if k.eq_ignore_ascii_case("host") || (h2 && CONNECTION_HEADERS.iter().any(|c| k.eq_ignore_ascii_case(c))) {
            continue;
        }
        let name = HeaderName::from_bytes(k.as_bytes()).map_err(hyper::http::Error::from)?;
        let value = HeaderValue::from_str(v).map_err(hyper::http::Error::from)?;
        req = req.header(name, value);
    }
    if !s.headers.keys().any(|k| k.eq_ignore_ascii_case("user-agent")) {
        req = req.header(hyper::header::USER_AGENT, USER_AGENT);
    }
    if let Some(a) = t.auth.filter(|_| !s.headers.keys().any(|k| k.eq_ignore_ascii_case("authorization"))) {
        req = req.header(hyper::header::AUTHORIZATION, a.clone());
    }
    if let Some(c) = &t.cookie {
        req = req.header(hyper::header::COOKIE, c.as_str());
    }
    if !h2 {
        req = req.header(hyper::header::CONNECTION, "close");
    }
    let req = req.body(Full::new(Bytes::from(body.to_string())))?;
    let (resp, driver) = if h2 {
        let (mut sender, conn) =
            hyper::client::conn::http2::handshake::<_, _, Full<Bytes>>(TokioExecutor::new(), TokioIo::new(io)).await?;
        let driver = AbortOnDrop(tokio::spawn(async move {
            if let Err(e) = conn.await {
                debug!(error = %e, "HTTP/2 connection");
            }
        }));
        (sender.send_request(req).await?, driver)
    } else {
        let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(io)).await?;
        let driver = AbortOnDrop(tokio::spawn(async move {
            if let Err(e) = conn.await {
                debug!(error = %e, "HTTP connection");
            }
        }));
        (sender.send_request(req).await?, driver)
    };
    let response_start = Instant::now();
    r.add_phase(DURATION, HELP_DURATION, "processing", response_start - got_conn);
    Ok(Hop { resp, response_start, tls: tls_info, _conn: driver })
}

/// Whether a `Location` is relative (no scheme), as Go's `url.IsAbs` sees it.
fn is_relative(loc: &str) -> bool {
    !(loc.starts_with("http://") || loc.starts_with("https://"))
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

/// Go's `Response.ContentLength`: the header's value (for HEAD too, where nothing follows), 0 for
/// HTTP/1 responses that cannot have a body, -1 when unknown (chunked, or read to the end).
fn content_length(method: &Method, parts: &hyper::http::response::Parts) -> f64 {
    let header =
        parts.headers.get(hyper::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if *method == Method::HEAD || parts.version == Version::HTTP_2 {
        return header.map_or(-1.0, |n| n as f64);
    }
    let status = parts.status.as_u16();
    if (100..200).contains(&status) || status == 204 || status == 304 {
        return 0.0;
    }
    let chunked = parts
        .headers
        .get_all(hyper::header::TRANSFER_ENCODING)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.to_ascii_lowercase().contains("chunked")));
    match header {
        Some(n) if !chunked => n as f64,
        _ => -1.0,
    }
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
