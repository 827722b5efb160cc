//! The uplink's two transports, behind one bidirectional framed stream ([`Link`]): a QUIC
//! stream, or TLS 1.3 over TCP to the same port number for networks that drop UDP. Both use the
//! same rustls configuration (our CA, our client certificate, ALPN `pharos/1`), so the aggregator
//! authenticates and identifies the agent the same way, and the session on top is unchanged.

use pharos_protocol::client::{Client, ClientError};
use pharos_protocol::frame::Limits;
use pharos_protocol::tls::{self, PemPair, TlsError};
use rustls::pki_types::ServerName;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};

/// A transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// QUIC over UDP.
    Quic,
    /// TLS over TCP.
    Tcp,
}

impl Kind {
    /// The name in logs and in `pharos_agent_uplink_transport{transport=…}`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quic => "quic",
            Kind::Tcp => "tcp",
        }
    }

    /// The other transport.
    pub fn other(self) -> Kind {
        match self {
            Kind::Quic => Kind::Tcp,
            Kind::Tcp => Kind::Quic,
        }
    }
}

/// Why a connection could not be established.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The QUIC handshake or stream failed.
    #[error("QUIC: {0}")]
    Quic(#[from] ClientError),
    /// The TCP connection or its TLS handshake failed.
    #[error("TCP: {0}")]
    Tcp(std::io::Error),
    /// The server name is not a valid DNS name or IP address.
    #[error("server name {0:?} is not a DNS name or IP address")]
    ServerName(String),
    /// No connection within the time allowed.
    #[error("{0} connect timed out after {1:?}")]
    Timeout(&'static str, Duration),
}

/// Builds connections of either kind to the aggregator.
pub struct Connector {
    quic: quinn::ClientConfig,
    tcp: tokio_rustls::TlsConnector,
    server_name: String,
    limits: Limits,
}

impl Connector {
    /// Both transports' configurations from one rustls client configuration.
    pub fn new(ca_pem: &str, identity: &PemPair, server_name: String, limits: Limits) -> Result<Self, TlsError> {
        let tls = tls::client_tls(ca_pem, Some(identity))?;
        let tcp = tokio_rustls::TlsConnector::from(Arc::new(tls.clone()));
        Ok(Connector { quic: tls::quic_client(tls)?, tcp, server_name, limits })
    }

    /// Connects over `kind` and opens the stream, within `timeout`.
    pub async fn connect(&self, kind: Kind, addr: SocketAddr, timeout: Duration) -> Result<Link, ConnectError> {
        let attempt = async {
            match kind {
                Kind::Quic => self.connect_quic(addr).await,
                Kind::Tcp => self.connect_tcp(addr).await,
            }
        };
        tokio::time::timeout(timeout, attempt).await.map_err(|_| ConnectError::Timeout(kind.as_str(), timeout))?
    }

    async fn connect_quic(&self, addr: SocketAddr) -> Result<Link, ConnectError> {
        let c = Client::connect_with(addr, &self.server_name, self.quic.clone(), self.limits).await?;
        let Client { endpoint, conn, send, recv, .. } = c;
        let conn = Conn(Inner::Quic { _endpoint: endpoint, conn });
        Ok(Link { kind: Kind::Quic, send: Box::new(send), recv: Box::new(recv), conn })
    }

    async fn connect_tcp(&self, addr: SocketAddr) -> Result<Link, ConnectError> {
        let name = ServerName::try_from(self.server_name.clone())
            .map_err(|_| ConnectError::ServerName(self.server_name.clone()))?;
        let tcp = tokio::net::TcpStream::connect(addr).await.map_err(ConnectError::Tcp)?;
        // Frames are flushed one at a time; they must not wait for Nagle.
        tcp.set_nodelay(true).map_err(ConnectError::Tcp)?;
        let sent = Arc::new(AtomicU64::new(0));
        let counted = Counted { inner: tcp, sent: sent.clone() };
        let stream = self.tcp.connect(name, counted).await.map_err(ConnectError::Tcp)?;
        let (recv, send) = tokio::io::split(stream);
        Ok(Link { kind: Kind::Tcp, send: Box::new(send), recv: Box::new(recv), conn: Conn(Inner::Tcp { sent }) })
    }
}

/// Our half of a link's stream.
pub type SendHalf = Box<dyn AsyncWrite + Unpin + Send>;
/// The aggregator's half of a link's stream.
pub type RecvHalf = Box<dyn AsyncRead + Unpin + Send>;

/// An established connection with its one bidirectional stream.
pub struct Link {
    /// Which transport carries it.
    pub kind: Kind,
    /// Our half of the stream.
    pub send: SendHalf,
    /// The aggregator's half.
    pub recv: RecvHalf,
    /// The connection under the stream.
    pub conn: Conn,
}

/// The connection under a link's stream: statistics, close reason, closing.
pub struct Conn(Inner);

enum Inner {
    /// The endpoint stays bound for the connection's lifetime.
    Quic { _endpoint: quinn::Endpoint, conn: quinn::Connection },
    /// Bytes written to the socket (TLS records included).
    Tcp { sent: Arc<AtomicU64> },
}

impl Conn {
    /// Bytes sent on the connection so far (UDP payload for QUIC, TCP payload for TLS), transport
    /// security overhead included.
    pub fn sent_bytes(&self) -> u64 {
        match &self.0 {
            Inner::Quic { conn, .. } => conn.stats().udp_tx.bytes,
            Inner::Tcp { sent } => sent.load(Ordering::Relaxed),
        }
    }

    /// Why the connection was closed, if the transport says (a refused certificate shows up on
    /// QUIC as a lost stream with the reason here).
    pub fn close_reason(&self) -> Option<String> {
        match &self.0 {
            Inner::Quic { conn, .. } => conn.close_reason().map(|r| r.to_string()),
            Inner::Tcp { .. } => None,
        }
    }

    /// Closes the connection: QUIC at once; TLS with a close_notify on `send` (bounded, the peer
    /// may be gone), the socket closing when the halves drop.
    pub async fn close(self, send: &mut SendHalf) {
        match self.0 {
            Inner::Quic { conn, .. } => conn.close(0u32.into(), b"bye"),
            Inner::Tcp { .. } => {
                let _ = tokio::time::timeout(Duration::from_secs(1), send.shutdown()).await;
            }
        }
    }
}

/// A TCP stream that counts the bytes written to it.
struct Counted {
    inner: tokio::net::TcpStream,
    sent: Arc<AtomicU64>,
}

impl AsyncRead for Counted {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &r {
            self.sent.fetch_add(*n as u64, Ordering::Relaxed);
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
