//! The uplink: sends the batch frames of a disk buffer ([`pharos_buffer::DiskBuffer`]) to one or
//! more aggregators over QUIC with mutual TLS, or over TLS on TCP when UDP is blocked. The agent
//! uses it towards its aggregators; an aggregator uses it towards its parent.
//!
//! Each server in [`UplinkSettings::servers`] is a destination with its own sessions, its own
//! read position in the one buffer and its own [`UplinkState`]. A record leaves the buffer only
//! when every destination has stored it, so with two aggregators for high availability, one
//! being down loses nothing: the other keeps receiving, and the one that returns gets what it
//! missed. A destination's position is the checkpoint the aggregator reports in its `HelloAck`,
//! so positions need no file of their own: after a restart each destination resumes from what
//! its aggregator says it has (and the buffer's ledger keeps everything above the lowest).
//!
//! - `transport` — QUIC and TLS-on-TCP connections behind one framed stream;
//! - `session` — one destination: connect, `Hello`, pipelined batches, acks, reconnects;
//! - `state` — per-destination counters for self-metrics.

mod session;
pub mod state;
pub mod transport;

pub use state::UplinkState;
pub use transport::Kind;

use pharos_buffer::{BufferError, DiskBuffer};
use pharos_protocol::frame::Limits;
use pharos_protocol::tls::{self, PemPair};
use session::Destination;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::watch;
use transport::{ConnectError, Connector};

/// Which transports the uplink uses; in configuration files (`uplink.transport`,
/// `parent.transport`) `"auto"`, `"quic"` or `"tcp"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransportMode {
    /// QUIC, falling back to TLS over TCP while QUIC cannot connect, and back once it can.
    #[default]
    Auto,
    /// QUIC only.
    Quic,
    /// TLS over TCP only.
    Tcp,
}

/// Everything the uplink needs, resolved by its owner from its configuration.
#[derive(Debug, Clone)]
pub struct UplinkSettings {
    /// The name in `Hello` and in every batch; must be the client certificate's common name.
    pub identity: String,
    /// `HOST:PORT` of each destination.
    pub servers: Vec<String>,
    /// Name expected in the servers' certificates. Default: the host part of each server.
    pub server_name: Option<String>,
    /// The sender's push interval, reported in `Hello` (the receiver's liveness uses it).
    pub interval: Duration,
    /// First reconnect delay.
    pub backoff_min: Duration,
    /// Longest reconnect delay.
    pub backoff_max: Duration,
    /// Batches sent ahead of their acks.
    pub max_in_flight: usize,
    /// How long to wait for a connection or an ack before giving up on the connection.
    pub timeout: Duration,
    /// Frame limits (must match what the receiver accepts).
    pub limits: Limits,
    /// Which transports to use.
    pub transport: TransportMode,
    /// How long a QUIC connection attempt may take before `Auto` tries TCP.
    pub quic_connect_timeout: Duration,
    /// While `Auto` runs on TCP, how often QUIC is tried again.
    pub quic_probe_interval: Duration,
    /// The CA certificate (PEM) that signed the servers' certificates.
    pub ca_pem: String,
    /// Our client certificate and key (PEM).
    pub identity_pem: PemPair,
}

impl UplinkSettings {
    /// Settings with the agent's defaults for everything but the identity, servers and TLS.
    pub fn new(identity: String, servers: Vec<String>, ca_pem: String, identity_pem: PemPair) -> Self {
        UplinkSettings {
            identity,
            servers,
            server_name: None,
            interval: Duration::from_secs(15),
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_in_flight: 32,
            timeout: Duration::from_secs(15),
            limits: Limits::default(),
            transport: TransportMode::Auto,
            quic_connect_timeout: Duration::from_secs(5),
            quic_probe_interval: Duration::from_secs(30),
            ca_pem,
            identity_pem,
        }
    }

    /// Checks that the settings can work, as [`Uplink::new`] does before it starts (and
    /// `check-config` without starting): at least one server, each once and as `HOST:PORT`, a
    /// window of at least one batch, a certificate issued to `identity`, and TLS material that
    /// makes a client configuration for every server's name.
    pub fn check(&self) -> Result<(), UplinkError> {
        if self.servers.is_empty() {
            return Err(UplinkError::Settings("no server to send to".into()));
        }
        for (i, s) in self.servers.iter().enumerate() {
            if self.servers[..i].contains(s) {
                return Err(UplinkError::Settings(format!("server {s:?} is listed twice")));
            }
        }
        if self.max_in_flight == 0 {
            return Err(UplinkError::Settings("max_in_flight must be at least 1".into()));
        }
        // The receiver files our data under the certificate's name and refuses a Hello with
        // another one, so a mismatch would only fill the buffer: refuse to start instead.
        let cert_name = tls::pem_identity(&self.identity_pem.cert_pem)?;
        if cert_name != self.identity {
            return Err(UplinkError::NameMismatch { configured: self.identity.clone(), certificate: cert_name });
        }
        for server in &self.servers {
            let port = server.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok());
            if port.is_none() || host_of(server).is_empty() {
                return Err(UplinkError::Settings(format!("server {server:?}: expected HOST:PORT")));
            }
            let name = self.server_name.clone().unwrap_or_else(|| host_of(server));
            if rustls::pki_types::ServerName::try_from(name.clone()).is_err() {
                return Err(UplinkError::Settings(format!("{name:?} is not a valid server name for TLS")));
            }
        }
        Connector::new(&self.ca_pem, &self.identity_pem, host_of(&self.servers[0]), self.limits)?;
        Ok(())
    }
}

/// Errors of the uplink: at construction, and of one session (each ends the connection and
/// leads to a reconnect).
#[derive(Debug, thiserror::Error)]
pub enum UplinkError {
    /// The settings cannot work (no server, a server twice, zero window).
    #[error("{0}")]
    Settings(String),
    /// TLS material could not be loaded.
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsError),
    /// The identity differs from the name in the client certificate.
    #[error("the configured name is {configured:?} but the client certificate is issued to {certificate:?}")]
    NameMismatch {
        /// The configured name.
        configured: String,
        /// The certificate's common name.
        certificate: String,
    },
    /// The server address did not resolve.
    #[error("resolving {0}: no address")]
    Resolve(String),
    /// Local I/O (socket, buffer).
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// Connecting failed over every transport tried (the last error).
    #[error("{0}")]
    Connect(#[from] ConnectError),
    /// A frame could not be read or written.
    #[error("frame: {0}")]
    Frame(#[from] pharos_protocol::frame::FrameError),
    /// The connection was closed; the reason as QUIC reports it (e.g. a refused certificate).
    #[error("connection closed: {0}")]
    Closed(String),
    /// The server sent an error frame.
    #[error("aggregator refused: {0}")]
    Refused(String),
    /// The server sent something out of protocol.
    #[error("protocol: {0}")]
    Protocol(String),
    /// No answer in time.
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    /// The disk buffer failed.
    #[error("buffer: {0}")]
    Buffer(#[from] BufferError),
}

/// Tells every destination that records were appended. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Wake(Arc<watch::Sender<()>>);

impl Wake {
    /// Call after each append, so that idle destinations send at once.
    pub fn notify(&self) {
        self.0.send_replace(());
    }
}

/// Each destination's stored position; the buffer is trimmed to the lowest of them.
pub(crate) struct Cursors {
    buffer: Arc<Mutex<DiskBuffer>>,
    positions: Mutex<Vec<u64>>,
}

impl Cursors {
    fn new(buffer: Arc<Mutex<DiskBuffer>>, destinations: usize) -> Self {
        let acked = pharos_buffer::lock_shared(&buffer).acked_seq();
        Cursors { buffer, positions: Mutex::new(vec![acked; destinations]) }
    }

    /// The highest sequence number destination `i` is known to have stored.
    pub(crate) fn position(&self, i: usize) -> u64 {
        self.positions.lock().unwrap_or_else(PoisonError::into_inner).get(i).copied().unwrap_or(0)
    }

    /// Destination `i` has stored everything up to `seq`: records every destination has are
    /// trimmed. A `seq` past our newest record (ours were lost from disk after being sent) moves
    /// the sequence on, so that no number a destination has seen is reused.
    pub(crate) fn stored(&self, i: usize, seq: u64) -> Result<(), BufferError> {
        // Lock order: positions, then the buffer.
        let mut positions = self.positions.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(p) = positions.get_mut(i) else { return Ok(()) };
        if seq <= *p {
            return Ok(());
        }
        *p = seq;
        let floor = positions.iter().copied().min().unwrap_or(seq);
        let mut b = self.buffer();
        b.skip_past(seq)?;
        if floor > b.acked_seq() {
            b.ack(floor)?;
        }
        Ok(())
    }

    pub(crate) fn buffer(&self) -> std::sync::MutexGuard<'_, DiskBuffer> {
        pharos_buffer::lock_shared(&self.buffer)
    }
}

/// The shortest QUIC probe interval honoured: a zero interval would probe in a tight loop.
const MIN_PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// The uplink: one [`Destination`] per server over one shared buffer.
pub struct Uplink {
    destinations: Vec<Destination>,
    wake: Wake,
}

impl Uplink {
    /// Builds the uplink; fails if the settings cannot work or the TLS material is unusable.
    pub fn new(settings: UplinkSettings, buffer: Arc<Mutex<DiskBuffer>>) -> Result<Self, UplinkError> {
        settings.check()?;
        let mut settings = settings;
        settings.quic_probe_interval = settings.quic_probe_interval.max(MIN_PROBE_INTERVAL);
        let settings = Arc::new(settings);
        let cursors = Arc::new(Cursors::new(buffer, settings.servers.len()));
        let (tx, rx) = watch::channel(());
        let mut destinations = Vec::with_capacity(settings.servers.len());
        for (index, server) in settings.servers.iter().enumerate() {
            let name = settings.server_name.clone().unwrap_or_else(|| host_of(server));
            let connector = Connector::new(&settings.ca_pem, &settings.identity_pem, name, settings.limits)?;
            destinations.push(Destination::new(
                index,
                server.clone(),
                settings.clone(),
                Arc::new(connector),
                cursors.clone(),
                rx.clone(),
            ));
        }
        Ok(Uplink { destinations, wake: Wake(Arc::new(tx)) })
    }

    /// The handle that tells the destinations about appends.
    pub fn wake(&self) -> Wake {
        self.wake.clone()
    }

    /// Each destination's server and state, in the order of the settings.
    pub fn states(&self) -> Vec<(String, Arc<UplinkState>)> {
        self.destinations.iter().map(|d| (d.server().to_string(), d.state())).collect()
    }

    /// Runs every destination's sessions forever.
    pub async fn run(self) {
        let _wake = self.wake;
        let tasks: Vec<_> = self.destinations.into_iter().map(|d| tokio::spawn(d.run())).collect();
        for t in tasks {
            let _ = t.await;
        }
    }
}

/// The host part of `HOST:PORT` (IPv6 addresses without their brackets), the default name to
/// verify in the server's certificate.
pub fn host_of(server: &str) -> String {
    let host = match server.rfind(':') {
        Some(i) if !server[..i].is_empty() => &server[..i],
        _ => server,
    };
    host.trim_start_matches('[').trim_end_matches(']').to_string()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests;
