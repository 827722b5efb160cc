//! Ingest: the server agents push to, over QUIC, or over TLS on TCP on the same port number
//! when UDP is blocked between them (`tcp`).
//!
//! Every connection is mutually authenticated (a client certificate signed by our CA is required
//! at the handshake); the agent's identity is its certificate's common name, never something it
//! claims in a frame. Batches are decoded, validated, written durably with the stream's checkpoint
//! in the same atomic write, and only then acknowledged. A batch whose sequence number is at or
//! below the checkpoint is a replay: acknowledged again, not stored twice.

pub mod fleet;
pub mod liveness;
mod session;
mod tcp;

use crate::storage::Storage;
use liveness::Liveness;
use pharos_protocol::frame::Limits;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tracing::{debug, info, warn};

/// Counters for the aggregator's self-metrics.
#[derive(Debug, Default)]
pub struct IngestStats {
    /// Connections that completed the TLS handshake.
    pub connections: AtomicU64,
    /// Connections refused at the handshake (no or untrusted client certificate, bad ALPN...).
    pub handshake_failures: AtomicU64,
    /// Batches stored and acknowledged.
    pub batches: AtomicU64,
    /// Samples stored.
    pub samples: AtomicU64,
    /// Batches acknowledged again without storing (replays of stored sequence numbers).
    pub replayed_batches: AtomicU64,
    /// Frames refused (garbage, oversize, unknown version, limits, identity mismatch).
    pub rejected_frames: AtomicU64,
}

/// What every session needs.
pub struct IngestContext {
    /// Where batches go.
    pub storage: Arc<dyn Storage>,
    /// Frame and batch limits.
    pub limits: Limits,
    /// Agent liveness (`up`).
    pub liveness: Arc<Liveness>,
    /// A connection silent for this long is dropped.
    pub idle_timeout: Duration,
    /// Counters.
    pub stats: IngestStats,
    /// Bounds the storage writes in flight: see [`storage_writers`].
    pub writers: Arc<tokio::sync::Semaphore>,
    /// Serves connections of the enrollment ALPN (`None`: they are refused).
    pub enroll: Option<Arc<crate::enroll::Enroller>>,
    /// Sessions, versions, last batches and targets per agent (the UI's Fleet page).
    pub fleet: Arc<fleet::Fleet>,
}

/// Permits for concurrent storage writes: 32 per core.
///
/// Every write runs on a blocking thread. Unbounded, a fleet arriving at once (2,000 agents
/// creating their series) parks hundreds of threads on the store's locks, each with its own
/// stack and allocator heap: gigabytes of memory and page faults instead of progress. Too few,
/// and the WAL's group commit shares each fsync among only that many writes, so one slow fsync
/// stalls the fleet (with 4 permits the warm fleet's p99 went from 18 to 70–275 ms). The
/// semaphore is fair, so sessions are served in arrival order.
pub fn storage_writers() -> Arc<tokio::sync::Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Arc::new(tokio::sync::Semaphore::new((32 * cores).clamp(64, 256)))
}

/// The bound ingest sockets: a QUIC endpoint and a TCP listener on the same port number.
pub struct Listeners {
    /// The QUIC endpoint.
    pub quic: quinn::Endpoint,
    /// The TCP listener for agents that cannot reach the QUIC port.
    pub tcp: std::net::TcpListener,
    /// The TLS configuration of TCP connections (QUIC's, unwrapped).
    pub tls: Arc<rustls::ServerConfig>,
}

impl Listeners {
    /// The bound address (QUIC's; TCP has the same port number).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.quic.local_addr()
    }
}

/// Binds the QUIC endpoint, then TCP on the port QUIC got (which matters when `addr` asks for
/// port 0). `tls` is the configuration `quic_config` was built from.
pub fn bind(
    addr: SocketAddr,
    quic_config: quinn::ServerConfig,
    tls: rustls::ServerConfig,
) -> std::io::Result<Listeners> {
    let quic = quinn::Endpoint::server(quic_config, addr)?;
    let tcp = std::net::TcpListener::bind(quic.local_addr()?)?;
    Ok(Listeners { quic, tcp, tls: Arc::new(tls) })
}

/// Accepts connections on both transports until the QUIC endpoint is closed.
pub async fn serve(listeners: Listeners, ctx: Arc<IngestContext>) {
    let Listeners { quic: endpoint, tcp, tls } = listeners;
    tokio::spawn(tcp::serve(tcp, tls, ctx.clone()));
    info!(addr = ?endpoint.local_addr().ok(), "ingest listening (QUIC)");
    while let Some(incoming) = endpoint.accept().await {
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let remote = incoming.remote_address();
            let conn = match incoming.await {
                Ok(c) => c,
                Err(e) => {
                    ctx.stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
                    warn!(%remote, error = %e, "connection refused at the TLS handshake");
                    return;
                }
            };
            if crate::enroll::is_enrollment(&conn) {
                return crate::enroll::serve_quic(ctx.enroll.clone(), conn, remote).await;
            }
            // The handshake admits clients without a certificate (for enrollment only): refused
            // here, logged as the handshake's refusals are.
            let identity = match pharos_protocol::tls::peer_identity(&conn) {
                Ok(id) => id,
                Err(e) => {
                    ctx.stats.handshake_failures.fetch_add(1, Ordering::Relaxed);
                    warn!(%remote, error = %e, "connection refused at the TLS handshake: no usable client identity");
                    conn.close(1u32.into(), b"no identity");
                    return;
                }
            };
            ctx.stats.connections.fetch_add(1, Ordering::Relaxed);
            info!(%remote, agent = %identity, transport = "quic", "agent connected");
            loop {
                match conn.accept_bi().await {
                    Ok((send, recv)) => {
                        let ctx = ctx.clone();
                        let (identity, conn) = (identity.clone(), conn.clone());
                        let link = session::Link::Quic { conn, send, recv };
                        tokio::spawn(async move { session::run(ctx, identity, remote, link).await });
                    }
                    Err(e) => {
                        debug!(%remote, agent = %identity, error = %e, "connection ended");
                        break;
                    }
                }
            }
        });
    }
}
