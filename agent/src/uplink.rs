//! The uplink: the sink that pushes buffered batches to the aggregator over QUIC with mutual TLS,
//! or over TLS on TCP when UDP to the aggregator is blocked.
//!
//! One bidirectional stream per connection: `Hello` → `HelloAck` (which tells us what the
//! aggregator already stored durably, so a crash between its write and our ack costs no resend),
//! then batch frames in sequence order, up to `max_in_flight` ahead of their acks. The buffer is
//! trimmed only on an ack. Any error closes the connection; reconnects back off exponentially with
//! jitter, so a fleet coming back after an aggregator outage does not reconnect in lockstep.
//!
//! Transports ([`crate::transport`]): with `uplink.transport = "auto"` a connection is tried over
//! the transport that worked last (QUIC at first) and, if that fails, at once over the other, so
//! an agent whose UDP is dropped is on TCP after one `quic_connect_timeout`. While on TCP, QUIC is
//! tried every `quic_probe_interval`; once it connects, no new batches go over TCP, and when
//! those in flight are acked the session moves to the QUIC connection (nothing is sent twice).
//! `pharos_agent_uplink_transport{transport="quic"|"tcp"}` is 1 for the transport in use.

use crate::buffer::DiskBuffer;
use crate::config::{AgentConfig, UplinkTransport};
use crate::transport::{Conn, ConnectError, Connector, Kind, Link, RecvHalf, SendHalf};
use pharos_protocol::frame::{read_frame, write_frame, write_raw_frame, Hello, HelloAck, Limits, Message};
use pharos_protocol::tls;
use rand::Rng;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, Notify};
use tracing::{debug, info, warn};

/// Largest total payload read from the buffer for one refill of the send window.
const READ_CHUNK_BYTES: usize = 8 << 20;

/// Errors of one uplink session; each ends the connection and leads to a reconnect.
#[derive(Debug, thiserror::Error)]
pub enum UplinkError {
    /// TLS material could not be loaded.
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsError),
    /// `agent.name` differs from the name in the client certificate.
    #[error("agent.name is {configured:?} but the client certificate is issued to {certificate:?}")]
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
    /// The aggregator sent an error frame.
    #[error("aggregator refused: {0}")]
    Refused(String),
    /// The aggregator sent something out of protocol.
    #[error("protocol: {0}")]
    Protocol(String),
    /// No answer in time.
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    /// The disk buffer failed.
    #[error("buffer: {0}")]
    Buffer(#[from] crate::buffer::BufferError),
}

/// Connection state, shared with self-metrics.
#[derive(Debug, Default)]
pub struct UplinkState {
    /// Whether a session is established (handshake done).
    pub connected: AtomicBool,
    /// Sessions that ended in an error, including failed connects.
    pub send_failures: AtomicU64,
    /// Batches acknowledged by the aggregator.
    pub batches_acked: AtomicU64,
    /// Samples acknowledged by the aggregator.
    pub samples_acked: AtomicU64,
    /// Unix time in ms of the last ack, 0 before the first.
    pub last_ack_ms: AtomicI64,
    /// Bytes sent over all connections (UDP payload for QUIC, TCP payload for TLS; transport
    /// security overhead included).
    pub sent_bytes: AtomicU64,
    /// The transport of the established session: 0 none, 1 QUIC, 2 TCP.
    transport: AtomicU8,
}

impl UplinkState {
    /// The transport of the established session, if any.
    pub fn transport(&self) -> Option<Kind> {
        match self.transport.load(Ordering::Relaxed) {
            1 => Some(Kind::Quic),
            2 => Some(Kind::Tcp),
            _ => None,
        }
    }

    fn set_transport(&self, kind: Option<Kind>) {
        let v = match kind {
            None => 0,
            Some(Kind::Quic) => 1,
            Some(Kind::Tcp) => 2,
        };
        self.transport.store(v, Ordering::Relaxed);
        self.connected.store(kind.is_some(), Ordering::Relaxed);
    }
}

/// The shortest QUIC probe interval honoured: a zero interval would probe in a tight loop.
const MIN_PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// Everything a session needs, resolved once from the configuration.
pub struct Uplink {
    agent: String,
    server: String,
    interval: Duration,
    backoff_min: Duration,
    backoff_max: Duration,
    max_in_flight: usize,
    timeout: Duration,
    limits: Limits,
    mode: UplinkTransport,
    quic_connect_timeout: Duration,
    quic_probe_interval: Duration,
    connector: Arc<Connector>,
    buffer: Arc<Mutex<DiskBuffer>>,
    appended: Arc<Notify>,
    state: Arc<UplinkState>,
}

impl Uplink {
    /// Builds the uplink; fails if the TLS files cannot be loaded.
    pub fn new(
        cfg: &AgentConfig,
        buffer: Arc<Mutex<DiskBuffer>>,
        appended: Arc<Notify>,
        state: Arc<UplinkState>,
    ) -> Result<Self, UplinkError> {
        let ca = tls::read_pem_file(&cfg.ca_file())?;
        let pair = tls::PemPair {
            cert_pem: tls::read_pem_file(&cfg.cert_file())?,
            key_pem: tls::read_pem_file(&cfg.key_file())?,
        };
        // The aggregator files our data under the certificate's name and refuses a Hello with
        // another one, so a mismatch would only fill the buffer: refuse to start instead.
        let cert_name = tls::pem_identity(&pair.cert_pem)?;
        if cert_name != cfg.agent.name {
            return Err(UplinkError::NameMismatch { configured: cfg.agent.name.clone(), certificate: cert_name });
        }
        let connector = Arc::new(Connector::new(&ca, &pair, cfg.server_name(), cfg.limits)?);
        Ok(Uplink {
            agent: cfg.agent.name.clone(),
            server: cfg.uplink.server.clone(),
            interval: cfg.agent.interval,
            backoff_min: cfg.uplink.backoff_min,
            backoff_max: cfg.uplink.backoff_max,
            max_in_flight: cfg.uplink.max_in_flight,
            timeout: cfg.uplink.timeout,
            limits: cfg.limits,
            mode: cfg.uplink.transport,
            quic_connect_timeout: cfg.uplink.quic_connect_timeout,
            quic_probe_interval: cfg.uplink.quic_probe_interval.max(MIN_PROBE_INTERVAL),
            connector,
            buffer,
            appended,
            state,
        })
    }

    /// Runs sessions forever, reconnecting with jittered exponential backoff.
    pub async fn run(self) {
        let mut delay = self.backoff_min;
        // The transport tried first: the one that worked last.
        let mut preferred = if self.mode == UplinkTransport::Tcp { Kind::Tcp } else { Kind::Quic };
        // A connection made by a successful QUIC probe, for the next session.
        let mut ready: Option<Link> = None;
        loop {
            let link = match ready.take() {
                Some(link) => Ok(link),
                None => self.connect(&mut preferred).await,
            };
            let result = match link {
                Ok(link) => self.session(link, &mut delay).await,
                Err(e) => Err(e),
            };
            self.state.set_transport(None);
            match result {
                Ok(next) => {
                    // Moving to a probed QUIC connection: no failure, no delay.
                    preferred = next.kind;
                    ready = Some(next);
                    continue;
                }
                Err(e) => {
                    self.state.send_failures.fetch_add(1, Ordering::Relaxed);
                    warn!(server = %self.server, error = %e, retry_in = ?delay, "uplink session ended");
                }
            }
            // Full jitter on the upper half: between delay/2 and delay.
            let jittered = delay.mul_f64(rand::rng().random_range(0.5..=1.0));
            tokio::time::sleep(jittered).await;
            delay = (delay * 2).min(self.backoff_max);
        }
    }

    async fn resolve(&self) -> Result<SocketAddr, UplinkError> {
        tokio::net::lookup_host(&self.server).await?.next().ok_or_else(|| UplinkError::Resolve(self.server.clone()))
    }

    /// How long a connection attempt over `kind` may take.
    fn connect_timeout(&self, kind: Kind) -> Duration {
        match kind {
            // Without UDP a QUIC handshake never fails, it only goes unanswered.
            Kind::Quic if self.mode == UplinkTransport::Auto => self.quic_connect_timeout.min(self.timeout),
            _ => self.timeout,
        }
    }

    /// Connects over `preferred`, and in `auto` mode over the other transport if that fails;
    /// `preferred` becomes the one that connected.
    async fn connect(&self, preferred: &mut Kind) -> Result<Link, UplinkError> {
        let addr = self.resolve().await?;
        let order = match self.mode {
            UplinkTransport::Auto => vec![*preferred, preferred.other()],
            UplinkTransport::Quic => vec![Kind::Quic],
            UplinkTransport::Tcp => vec![Kind::Tcp],
        };
        let mut last = None;
        for kind in order {
            match self.connector.connect(kind, addr, self.connect_timeout(kind)).await {
                Ok(link) => {
                    if kind != *preferred {
                        warn!(server = %self.server, error = %last.as_ref().map_or(String::new(), ToString::to_string),
                            "{} unreachable, falling back to {}", preferred.as_str(), kind.as_str());
                        *preferred = kind;
                    }
                    return Ok(link);
                }
                Err(e) => {
                    debug!(server = %self.server, transport = kind.as_str(), error = %e, "connect failed");
                    last = Some(e);
                }
            }
        }
        Err(last.map_or_else(|| UplinkError::Resolve(self.server.clone()), UplinkError::from))
    }

    /// Sends `Hello` and waits for the `HelloAck`.
    async fn hello(&self, send: &mut SendHalf, recv: &mut RecvHalf, hello: Hello) -> Result<HelloAck, UplinkError> {
        write_frame(send, &Message::Hello(hello), &self.limits).await?;
        match read_frame(recv, &self.limits).await? {
            Some(Message::HelloAck(a)) => Ok(a),
            Some(Message::Error(e)) => Err(UplinkError::Refused(format!("{:?}: {}", e.code, e.message))),
            Some(other) => Err(UplinkError::Protocol(format!("expected HelloAck, got {}", message_kind(&other)))),
            None => Err(UplinkError::Protocol("aggregator closed the stream".into())),
        }
    }

    /// One connection: handshake, then stream batches until something fails, or until a QUIC
    /// probe made while on TCP succeeds: then the probed connection is returned, for the next
    /// session.
    async fn session(&self, link: Link, delay: &mut Duration) -> Result<Link, UplinkError> {
        let Link { kind, mut send, mut recv, conn } = link;
        let (buffer_id, acked) = {
            let b = self.lock_buffer();
            (b.buffer_id(), b.acked_seq())
        };
        let hello = Hello {
            agent: self.agent.clone(),
            agent_version: env!("CARGO_PKG_VERSION").to_string(),
            buffer_id,
            interval_ms: self.interval.as_millis() as u64,
        };
        let stored = match tokio::time::timeout(self.timeout, self.hello(&mut send, &mut recv, hello)).await {
            Err(_) => return Err(UplinkError::Timeout("hello ack")),
            Ok(Ok(ack)) => ack.last_acked_seq,
            // A refused client certificate shows up as a lost stream; the close reason says why.
            Ok(Err(e)) => match conn.close_reason() {
                Some(reason) => return Err(UplinkError::Closed(reason)),
                None => return Err(e),
            },
        };
        // The aggregator may have stored batches whose ack we never saw (we or it crashed after
        // its write): trim them now instead of resending. If it has stored numbers past our own
        // tail (our newest records were lost from disk after being sent), acking moves our next
        // sequence number past them, so new batches are never mistaken for replays.
        if let Some(seq) = stored {
            if seq > acked {
                self.lock_buffer().ack(seq)?;
            }
        }
        info!(server = %self.server, transport = kind.as_str(), "uplink connected");
        self.state.set_transport(Some(kind));
        *delay = self.backoff_min;

        // Frames are read in their own task: `read_frame` is not cancel-safe, so it must not sit
        // in a `select!` next to other branches.
        let (ack_tx, mut ack_rx) = mpsc::channel::<Result<Option<Message>, UplinkError>>(64);
        let limits = self.limits;
        let reader = tokio::spawn(async move {
            loop {
                let r = read_frame(&mut recv, &limits).await.map_err(UplinkError::from);
                let end = !matches!(r, Ok(Some(_)));
                if ack_tx.send(r).await.is_err() || end {
                    break;
                }
            }
        });
        // While on TCP, look for QUIC in the background.
        let (probe_tx, mut probe_rx) = mpsc::channel::<Link>(1);
        let prober = (kind == Kind::Tcp && self.mode == UplinkTransport::Auto).then(|| {
            tokio::spawn(probe_quic(
                self.connector.clone(),
                self.server.clone(),
                self.quic_probe_interval,
                self.connect_timeout(Kind::Quic),
                probe_tx,
            ))
        });
        let mut sent_seen = 0u64;
        let result = self.stream_batches(&conn, &mut sent_seen, &mut send, &mut ack_rx, &mut probe_rx).await;
        reader.abort();
        if let Some(p) = prober {
            p.abort();
        }
        self.count_sent_bytes(&conn, &mut sent_seen);
        conn.close(&mut send).await;
        if let Ok(next) = &result {
            info!(server = %self.server, from = kind.as_str(), to = next.kind.as_str(), "uplink switching transport");
        }
        result
    }

    /// Adds what the connection sent since the last call (`seen` holds the previous reading).
    fn count_sent_bytes(&self, conn: &Conn, seen: &mut u64) {
        let total = conn.sent_bytes();
        self.state.sent_bytes.fetch_add(total.saturating_sub(*seen), Ordering::Relaxed);
        *seen = total;
    }

    /// Sends batches and handles acks until an error, or until a probed QUIC connection arrives
    /// and every batch in flight is acked: that connection is returned.
    async fn stream_batches(
        &self,
        conn: &Conn,
        sent_seen: &mut u64,
        send: &mut SendHalf,
        acks: &mut mpsc::Receiver<Result<Option<Message>, UplinkError>>,
        probes: &mut mpsc::Receiver<Link>,
    ) -> Result<Link, UplinkError> {
        let mut next = self.lock_buffer().acked_seq() + 1;
        let mut in_flight: VecDeque<(u64, u32)> = VecDeque::new();
        let mut switch_to: Option<Link> = None;
        loop {
            self.count_sent_bytes(conn, sent_seen);
            if let Some(quic) = switch_to.take() {
                if in_flight.is_empty() {
                    return Ok(quic);
                }
                switch_to = Some(quic);
            }
            // Fill the window from the buffer, unless moving to another connection.
            while switch_to.is_none() && in_flight.len() < self.max_in_flight {
                let records = {
                    let b = self.lock_buffer();
                    b.read_from(next, self.max_in_flight - in_flight.len(), READ_CHUNK_BYTES)?
                };
                if records.is_empty() {
                    break;
                }
                for r in records {
                    write_raw_frame(send, &r.payload).await?;
                    in_flight.push_back((r.seq, r.samples));
                    next = r.seq + 1;
                }
            }
            let window_open = switch_to.is_none() && in_flight.len() < self.max_in_flight;
            tokio::select! {
                msg = acks.recv() => match msg {
                    Some(Ok(Some(Message::Ack(ack)))) => self.on_ack(ack.seq, &mut in_flight)?,
                    Some(Ok(Some(Message::Error(e)))) => {
                        return Err(UplinkError::Refused(format!("{:?}: {}", e.code, e.message)))
                    }
                    Some(Ok(Some(other))) => {
                        return Err(UplinkError::Protocol(format!("unexpected {}", message_kind(&other))))
                    }
                    Some(Ok(None)) | None => return Err(UplinkError::Protocol("aggregator closed the stream".into())),
                    Some(Err(e)) => return Err(e),
                },
                Some(quic) = probes.recv(), if switch_to.is_none() => {
                    info!(server = %self.server, in_flight = in_flight.len(),
                        "QUIC reachable again: moving over once the batches in flight are acked");
                    switch_to = Some(quic);
                }
                _ = self.appended.notified(), if window_open => {}
                _ = tokio::time::sleep(self.timeout), if !in_flight.is_empty() => {
                    return Err(UplinkError::Timeout("ack"));
                }
                // Wake up now and then even without news: an oldest-first drop in the buffer can
                // make records readable from a later sequence number.
                _ = tokio::time::sleep(self.interval), if window_open => {}
            }
        }
    }

    fn on_ack(&self, seq: u64, in_flight: &mut VecDeque<(u64, u32)>) -> Result<(), UplinkError> {
        let mut batches = 0;
        let mut samples = 0u64;
        while let Some(&(s, n)) = in_flight.front() {
            if s > seq {
                break;
            }
            in_flight.pop_front();
            batches += 1;
            samples += u64::from(n);
        }
        if batches == 0 {
            return Err(UplinkError::Protocol(format!("ack for {seq}, which was not in flight")));
        }
        self.lock_buffer().ack(seq)?;
        debug!(seq, "acked");
        self.state.batches_acked.fetch_add(batches, Ordering::Relaxed);
        self.state.samples_acked.fetch_add(samples, Ordering::Relaxed);
        self.state.last_ack_ms.store(now_ms(), Ordering::Relaxed);
        Ok(())
    }

    fn lock_buffer(&self) -> std::sync::MutexGuard<'_, DiskBuffer> {
        crate::buffer::lock_shared(&self.buffer)
    }
}

/// Tries QUIC every `interval` until it connects, then hands the connection over and stops.
async fn probe_quic(
    connector: Arc<Connector>,
    server: String,
    interval: Duration,
    timeout: Duration,
    found: mpsc::Sender<Link>,
) {
    loop {
        tokio::time::sleep(interval).await;
        let Some(addr) = tokio::net::lookup_host(&server).await.ok().and_then(|mut a| a.next()) else { continue };
        match connector.connect(Kind::Quic, addr, timeout).await {
            Ok(link) => {
                let _ = found.send(link).await;
                return;
            }
            Err(e) => debug!(%server, error = %e, "QUIC still unreachable"),
        }
    }
}

/// A message's kind, for error messages.
fn message_kind(m: &Message) -> &'static str {
    match m {
        Message::Hello(_) => "Hello",
        Message::HelloAck(_) => "HelloAck",
        Message::Batch(_) => "Batch",
        Message::Ack(_) => "Ack",
        Message::Error(_) => "Error",
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
