//! The tcp prober: connect (optionally TLS), then blackbox's `query_response` dialogue.

use super::tls;
use super::{choose_protocol, split_host_port, tcp_connect, IpProtocol, Report, TcpSettings};
use std::net::{IpAddr, SocketAddr};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tracing::debug;

const REGEX: &str = "probe_failed_due_to_regex";
const HELP_REGEX: &str = "Indicates if probe failed due to regex";

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Probes `target` (`host:port`) as configured; true on success.
pub(super) async fn probe(
    target: &str,
    ip: IpProtocol,
    source: Option<IpAddr>,
    s: &TcpSettings,
    r: &mut Report,
) -> bool {
    r.gauge(REGEX, HELP_REGEX);
    let Some((host, port)) = split_host_port(target) else {
        debug!(target, "target is not host:port");
        return r.fail("target is not host:port");
    };
    let (addr, _) = choose_protocol(&host, ip, r).await;
    let addr = match addr {
        Ok(a) => SocketAddr::new(a, port),
        Err(e) => {
            debug!(error = %e, "error resolving the target");
            return r.fail("error resolving the target");
        }
    };
    let tcp = match tcp_connect(addr, source).await {
        Ok(c) => c,
        Err(e) => {
            debug!(%addr, error = %e, "error dialing TCP");
            return r.fail("error dialing TCP");
        }
    };
    let mut conn: Box<dyn Io> = Box::new(tcp);
    if s.tls {
        match handshake(conn, &host, s, r).await {
            Some(c) => conn = c,
            None => return false,
        }
    }
    let mut reader = BufReader::new(conn);
    for (i, qr) in s.query_response.iter().enumerate() {
        let mut send = qr.send.clone();
        if let Some(re) = &qr.expect {
            // Read lines until one matches, as blackbox's bufio.Scanner loop does.
            let mut matched = None;
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line).await {
                    Ok(0) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line);
                        let text = text.trim_end_matches('\n').trim_end_matches('\r');
                        if let Some(c) = re.captures(text) {
                            let mut expanded = String::new();
                            c.expand(&send, &mut expanded);
                            matched = Some(expanded);
                            break;
                        }
                    }
                    Err(e) => {
                        debug!(entry = i, error = %e, "error reading from the connection");
                        return r.fail("error reading from the connection");
                    }
                }
            }
            match matched {
                Some(expanded) => {
                    r.set(REGEX, HELP_REGEX, 0.0);
                    send = expanded;
                }
                None => {
                    debug!(entry = i, regexp = %re, "regexp did not match");
                    r.set(REGEX, HELP_REGEX, 1.0);
                    return r.fail("regexp did not match");
                }
            }
        }
        if !send.is_empty() {
            let line = format!("{send}\n");
            if let Err(e) = reader.get_mut().write_all(line.as_bytes()).await {
                debug!(entry = i, error = %e, "failed to send");
                return r.fail("failed to send");
            }
        }
        if qr.starttls {
            // Buffered bytes are dropped, as blackbox's new scanner over the TLS conn drops them.
            let plain = reader.into_inner();
            match handshake(plain, &host, s, r).await {
                Some(c) => reader = BufReader::new(c),
                None => return false,
            }
        }
    }
    true
}

/// TLS over `conn`, reporting the certificate families; None (logged) on failure.
async fn handshake(conn: Box<dyn Io>, host: &str, s: &TcpSettings, r: &mut Report) -> Option<Box<dyn Io>> {
    let t = match tls::client(&s.tls_config, &[]).await {
        Ok(t) => t,
        Err(e) => {
            debug!(error = %e, "TLS configuration");
            r.fail("TLS configuration");
            return None;
        }
    };
    let name = match tls::server_name(&s.tls_config, host) {
        Ok(n) => n,
        Err(e) => {
            debug!(error = %e, "TLS server name");
            r.fail("TLS server name");
            return None;
        }
    };
    match tokio_rustls::TlsConnector::from(t.config.clone()).connect(name, conn).await {
        Ok(stream) => {
            tls::info(stream.get_ref().1, &t).report(r);
            Some(Box::new(stream))
        }
        Err(e) => {
            debug!(error = %e, "TLS handshake failed");
            r.fail("TLS handshake failed");
            None
        }
    }
}
