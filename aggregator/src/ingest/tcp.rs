//! The TCP side of ingest: the same framed, mutually authenticated protocol as over QUIC, carried
//! by TLS 1.3 on TCP on the same port number, for agents whose UDP to the aggregator is blocked.
//! The TLS configuration is QUIC's (same CA, server certificate, required client certificate and
//! ALPN), the identity is the client certificate's common name, and each connection carries one
//! stream served by the same session code.

use super::session::{self, Link};
use super::IngestContext;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tracing::{info, warn};

/// A client that has not finished the TLS handshake by then is dropped, so half-open or slow
/// connections cannot pile up.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long to pause accepting after an accept error (e.g. out of file descriptors), so the loop
/// does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Accepts TLS-over-TCP agent connections until the listener fails for good.
pub async fn serve(listener: std::net::TcpListener, tls: Arc<rustls::ServerConfig>, ctx: Arc<IngestContext>) {
    let listener = match listener.set_nonblocking(true).and_then(|()| tokio::net::TcpListener::from_std(listener)) {
        Ok(l) => l,
        Err(e) => {
            warn!(error = %e, "ingest over TCP unavailable");
            return;
        }
    };
    info!(addr = ?listener.local_addr().ok(), "ingest listening (TLS over TCP)");
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    loop {
        let (tcp, remote) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                warn!(error = %e, "accepting a TCP connection failed");
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        // Frames are flushed one by one; acks must not wait for Nagle.
        let _ = tcp.set_nodelay(true);
        let (ctx, acceptor) = (ctx.clone(), acceptor.clone());
        tokio::spawn(async move {
            let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    ctx.stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
                    warn!(%remote, error = %e, "TCP connection refused at the TLS handshake");
                    return;
                }
                Err(_) => {
                    ctx.stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
                    warn!(%remote, "TCP connection dropped: no TLS handshake within {HANDSHAKE_TIMEOUT:?}");
                    return;
                }
            };
            if crate::enroll::is_tcp_enrollment(stream.get_ref().1) {
                return crate::enroll::serve_tcp(ctx.enroll.clone(), stream, remote).await;
            }
            let identity = match pharos_protocol::tls::tls_peer_identity(stream.get_ref().1) {
                Ok(id) => id,
                Err(e) => {
                    ctx.stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
                    warn!(%remote, error = %e, "TCP connection refused: no usable client identity");
                    return;
                }
            };
            ctx.stats.connections.fetch_add(1, Ordering::Relaxed);
            info!(%remote, agent = %identity, transport = "tcp", "agent connected");
            session::run(ctx, identity, remote, Link::Tcp(Box::new(stream))).await;
        });
    }
}
