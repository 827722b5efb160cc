//! The uplink: the sink that pushes buffered batches to the aggregator over QUIC with mutual TLS.
//!
//! One bidirectional stream per connection: `Hello` → `HelloAck` (which tells us what the
//! aggregator already stored durably, so a crash between its write and our ack costs no resend),
//! then batch frames in sequence order, up to `max_in_flight` ahead of their acks. The buffer is
//! trimmed only on an ack. Any error closes the connection; reconnects back off exponentially with
//! jitter, so a fleet coming back after an aggregator outage does not reconnect in lockstep.

use crate::buffer::DiskBuffer;
use crate::config::AgentConfig;
use pharos_protocol::client::Client;
use pharos_protocol::frame::{read_frame, write_raw_frame, Hello, Limits, Message};
use pharos_protocol::tls;
use rand::Rng;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
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
    /// Connecting or the handshake failed (includes TLS refusals and error frames in reply to Hello).
    #[error("{0}")]
    Client(#[from] pharos_protocol::client::ClientError),
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
    /// UDP bytes sent over all connections (QUIC and TLS overhead included).
    pub sent_bytes: AtomicU64,
}

/// Everything a session needs, resolved once from the configuration.
pub struct Uplink {
    agent: String,
    server: String,
    server_name: String,
    interval: Duration,
    backoff_min: Duration,
    backoff_max: Duration,
    max_in_flight: usize,
    timeout: Duration,
    limits: Limits,
    client_config: quinn::ClientConfig,
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
        let client_config = tls::quic_client(tls::client_tls(&ca, Some(&pair))?)?;
        Ok(Uplink {
            agent: cfg.agent.name.clone(),
            server: cfg.uplink.server.clone(),
            server_name: cfg.server_name(),
            interval: cfg.agent.interval,
            backoff_min: cfg.uplink.backoff_min,
            backoff_max: cfg.uplink.backoff_max,
            max_in_flight: cfg.uplink.max_in_flight,
            timeout: cfg.uplink.timeout,
            limits: cfg.limits,
            client_config,
            buffer,
            appended,
            state,
        })
    }

    /// Runs sessions forever, reconnecting with jittered exponential backoff.
    pub async fn run(self) {
        let mut delay = self.backoff_min;
        loop {
            let result = self.session(&mut delay).await;
            self.state.connected.store(false, Ordering::Relaxed);
            if let Err(e) = result {
                self.state.send_failures.fetch_add(1, Ordering::Relaxed);
                warn!(server = %self.server, error = %e, retry_in = ?delay, "uplink session ended");
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

    /// One connection: handshake, then stream batches until something fails.
    async fn session(&self, delay: &mut Duration) -> Result<(), UplinkError> {
        let addr = self.resolve().await?;
        let connect = Client::connect_with(addr, &self.server_name, self.client_config.clone(), self.limits);
        let mut client =
            tokio::time::timeout(self.timeout, connect).await.map_err(|_| UplinkError::Timeout("connect"))??;
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
        let stored = match tokio::time::timeout(self.timeout, client.hello(hello)).await {
            Err(_) => return Err(UplinkError::Timeout("hello ack")),
            Ok(Ok(ack)) => ack.last_acked_seq,
            // A refused client certificate shows up as a lost stream; the close reason says why.
            Ok(Err(e)) => match client.conn.close_reason() {
                Some(reason) => return Err(UplinkError::Closed(reason.to_string())),
                None => return Err(e.into()),
            },
        };
        // The endpoint stays bound for the session's lifetime.
        let Client { endpoint: _endpoint, conn, mut send, mut recv, .. } = client;
        // The aggregator may have stored batches whose ack we never saw (we or it crashed after
        // its write): trim them now instead of resending. If it has stored numbers past our own
        // tail (our newest records were lost from disk after being sent), acking moves our next
        // sequence number past them, so new batches are never mistaken for replays.
        if let Some(seq) = stored {
            if seq > acked {
                self.lock_buffer().ack(seq)?;
            }
        }
        info!(server = %self.server, "uplink connected");
        self.state.connected.store(true, Ordering::Relaxed);
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
        let mut sent_seen = 0u64;
        let result = self.stream_batches(&conn, &mut sent_seen, &mut send, &mut ack_rx).await;
        reader.abort();
        self.count_sent_bytes(&conn, &mut sent_seen);
        conn.close(0u32.into(), b"bye");
        result
    }

    /// Adds what the connection sent since the last call (`seen` holds the previous reading).
    fn count_sent_bytes(&self, conn: &quinn::Connection, seen: &mut u64) {
        let total = conn.stats().udp_tx.bytes;
        self.state.sent_bytes.fetch_add(total.saturating_sub(*seen), Ordering::Relaxed);
        *seen = total;
    }

    async fn stream_batches(
        &self,
        conn: &quinn::Connection,
        sent_seen: &mut u64,
        send: &mut quinn::SendStream,
        acks: &mut mpsc::Receiver<Result<Option<Message>, UplinkError>>,
    ) -> Result<(), UplinkError> {
        let mut next = self.lock_buffer().acked_seq() + 1;
        let mut in_flight: VecDeque<(u64, u32)> = VecDeque::new();
        loop {
            self.count_sent_bytes(conn, sent_seen);
            // Fill the window from the buffer.
            while in_flight.len() < self.max_in_flight {
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
            let window_open = in_flight.len() < self.max_in_flight;
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
