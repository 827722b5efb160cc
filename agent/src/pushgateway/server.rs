//! The HTTP/1.1 server of the agent's Pushgateway, on hyper alone (no framework: every dependency
//! is resident memory). Every path goes to `pharos_pushgateway` as the aggregator's router sends
//! it (pushes under `/metrics/`, `/api/v1/metrics`, `/api/v1/status`, `/api/v1/admin/wipe`), plus
//! `GET /metrics` (the pushed groups in the text format) and `/-/healthy`, `/-/ready`.
//!
//! Limits: bodies over `pharos_pushgateway::limits::MAX_BODY_BYTES` are refused with a 413,
//! at most [`MAX_CONNECTIONS`] connections are served at once (the next ones wait in the
//! kernel's backlog), and a client has [`HEADER_TIMEOUT`] to send a request's headers and
//! [`BODY_TIMEOUT`] for its body, so a stalled client cannot hold a connection slot for good.

use super::forward::Forwarder;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_ENCODING, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use pharos_pushgateway::limits::MAX_BODY_BYTES;
use pharos_pushgateway::{PushRequest, PushResponse, Pushgateway, TTL_HEADER};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tracing::{debug, warn};

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 16;
/// Time a client has to send a request's headers (also how long an idle keep-alive connection
/// is kept: hyper starts this timer when it waits for the next request).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Time a client has to send a request's body.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// Accepts connections on `listener` until the runtime stops.
pub async fn serve(listener: TcpListener, gateway: Arc<Pushgateway>, forwarder: Arc<Forwarder>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((s, _)) => s,
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                warn!(error = %e, "pushgateway: accept failed");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let (gateway, forwarder) = (gateway.clone(), forwarder.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(gateway.clone(), forwarder.clone(), req));
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(e) = conn.await {
                debug!(error = %e, "pushgateway: connection ended with an error");
            }
            drop(permit);
        });
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn respond(status: u16, content_type: Option<&'static str>, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = content_type {
        r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    r
}

fn text(status: u16, body: impl Into<String>) -> Response<Full<Bytes>> {
    respond(status, Some("text/plain; charset=utf-8"), body.into().into_bytes())
}

async fn handle(
    gateway: Arc<Pushgateway>,
    forwarder: Arc<Forwarder>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let method = parts.method.as_str().to_string();
    match path.as_str() {
        "/metrics" => {
            if method != "GET" {
                return Ok(text(405, "Method Not Allowed\n"));
            }
            let g = gateway.clone();
            let body = tokio::task::spawn_blocking(move || {
                g.expire(SystemTime::now());
                super::text::render(&g.snapshot())
            })
            .await
            .unwrap_or_default();
            return Ok(respond(200, Some("text/plain; version=0.0.4; charset=utf-8"), body.into_bytes()));
        }
        "/-/healthy" | "/-/ready" => return Ok(text(200, "OK")),
        _ => {}
    }
    let body = match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY_BYTES).collect()).await {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            count(&forwarder, &path, 413);
            return Ok(text(413, format!("request body over {MAX_BODY_BYTES} bytes\n")));
        }
        Ok(Err(e)) => return Ok(text(400, format!("reading the request body: {e}\n"))),
        Err(_) => return Ok(text(408, format!("request body not received within {}s\n", BODY_TIMEOUT.as_secs()))),
    };
    let content_type = header(&parts.headers, CONTENT_TYPE.as_str()).map(str::to_string);
    let content_encoding = header(&parts.headers, CONTENT_ENCODING.as_str()).map(str::to_string);
    let ttl = header(&parts.headers, TTL_HEADER).map(str::to_string);
    // Groups that expired since the last check are sent stale before this request changes the
    // store (the request itself removes them too, and would leave their markers to the next
    // full send).
    forwarder.expire().await;
    let p = path.clone();
    // Parsing a body of up to 16 MiB and writing the store file are blocking work.
    let result = tokio::task::spawn_blocking(move || {
        let req = PushRequest {
            method: &method,
            path: &p,
            content_type: content_type.as_deref(),
            content_encoding: content_encoding.as_deref(),
            ttl: ttl.as_deref(),
            body: &body,
        };
        let resp = gateway.handle(&req);
        if resp.changed {
            // On disk before the response; if the write fails, the periodic task retries it.
            if let Err(e) = gateway.persist() {
                warn!(error = %e, "could not persist the pushgateway store");
            }
        }
        resp
    })
    .await;
    let resp: PushResponse = match result {
        Ok(r) => r,
        Err(e) => return Ok(text(500, format!("push handler failed: {e}\n"))),
    };
    count(&forwarder, &path, resp.status);
    if resp.changed {
        forwarder.changed(&path).await;
    }
    Ok(respond(resp.status, resp.content_type, resp.body))
}

/// Counts a request to a push path by its status.
fn count(forwarder: &Forwarder, path: &str, status: u16) {
    if path.starts_with("/metrics/") {
        forwarder.pushes.count(status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Collected;
    use pharos_pushgateway::Options;
    use std::io::{Read, Write};
    use tokio::sync::mpsc;

    /// One request over a plain socket; status line and body.
    fn http(
        addr: std::net::SocketAddr,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let mut req =
            format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        // A refused body may be cut short by the server: the response is read all the same.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        let out = String::from_utf8_lossy(&raw).into_owned();
        let status = out[9..12].parse().unwrap();
        let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    async fn start() -> (std::net::SocketAddr, mpsc::Receiver<Collected>, Arc<Forwarder>) {
        let gw = Arc::new(Pushgateway::new(Options { admin_api: true, ..Default::default() }).unwrap());
        let (tx, rx) = mpsc::channel(16);
        let f = Arc::new(Forwarder::new(gw.clone(), tx, "h1"));
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(serve(l, gw, f.clone()));
        (addr, rx, f)
    }

    async fn call(
        addr: std::net::SocketAddr,
        method: &'static str,
        path: &'static str,
        body: &'static [u8],
    ) -> (u16, String) {
        tokio::task::spawn_blocking(move || http(addr, method, path, &[], body)).await.unwrap()
    }

    #[tokio::test]
    async fn pushes_are_served_counted_and_forwarded() {
        let (addr, mut rx, f) = start().await;
        assert_eq!(call(addr, "POST", "/metrics/job@base64/=", b"m 1\n").await.0, 400, "empty job name");
        assert_eq!(call(addr, "PUT", "/metrics/job@base64/am9i/instance/i", b"m 1\n").await.0, 200);
        let c = rx.recv().await.unwrap();
        let m = c.series.iter().find(|s| s.labels.get("__name__") == Some("m")).unwrap();
        assert_eq!((m.labels.get("job"), m.labels.get("instance")), (Some("job"), Some("i")));
        let (status, body) = call(addr, "POST", "/metrics/job/job/instance/i", b"m{\n").await;
        assert_eq!(status, 400);
        assert!(body.contains("text format parsing error"), "{body}");
        let (status, body) = call(addr, "GET", "/metrics", b"").await;
        assert_eq!(status, 200);
        assert!(body.contains("m{instance=\"i\",job=\"job\"} 1\n"), "{body}");
        let (status, body) = call(addr, "GET", "/api/v1/metrics", b"").await;
        assert_eq!(status, 200);
        assert!(body.starts_with("{\"data\":[{"), "{body}");
        assert_eq!(call(addr, "GET", "/api/v1/status", b"").await.0, 200);
        assert_eq!(call(addr, "GET", "/-/ready", b"").await.0, 200);
        assert_eq!(call(addr, "GET", "/nothing", b"").await.0, 404);
        assert_eq!(call(addr, "POST", "/metrics", b"").await.0, 405);
        assert_eq!(call(addr, "DELETE", "/metrics/job/job/instance/i", b"").await.0, 202);
        // The refused push changed only the failure time; then the DELETE: all stale.
        let mut last = None;
        while let Ok(c) = rx.try_recv() {
            last = Some(c);
        }
        let last = last.unwrap();
        assert!(last.series.iter().all(|s| pharos_protocol::model::is_stale_nan(s.samples[0].value)));
        assert_eq!(call(addr, "PUT", "/api/v1/admin/wipe", b"").await.0, 202);
        let counts = f.pushes.get();
        assert_eq!(counts.get(&200), Some(&1));
        assert_eq!(counts.get(&400), Some(&2));
        assert_eq!(counts.get(&202), Some(&1));
    }

    #[tokio::test]
    async fn an_oversized_body_is_refused() {
        let (addr, _rx, _f) = start().await;
        let big = vec![b'#'; MAX_BODY_BYTES + 1];
        let (status, _) =
            tokio::task::spawn_blocking(move || http(addr, "PUT", "/metrics/job/big", &[], &big)).await.unwrap();
        assert_eq!(status, 413);
        assert_eq!(call(addr, "PUT", "/metrics/job/small", b"s 1\n").await.0, 200, "later pushes work");
    }
}
