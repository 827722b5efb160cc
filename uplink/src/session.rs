//! One destination of the uplink: sessions to one server, reconnecting with backoff.
//!
//! One bidirectional stream per connection: `Hello` → `HelloAck` (which tells us what the server
//! already stored durably, so a crash between its write and our ack costs no resend), then batch
//! frames in sequence order from this destination's own position, up to `max_in_flight` ahead of
//! their acks. Acks move the destination's position; the buffer is trimmed to the lowest
//! position of all destinations. Any error closes the connection; reconnects back off
//! exponentially with jitter, so a fleet coming back after an outage does not reconnect in
//! lockstep.
//!
//! Transports ([`crate::transport`]): in `Auto` mode a connection is tried over the transport
//! that worked last (QUIC at first) and, if that fails, at once over the other, so a sender whose
//! UDP is dropped is on TCP after one `quic_connect_timeout`. While on TCP, QUIC is tried every
//! `quic_probe_interval`; once it connects, no new batches go over TCP, and when those in flight
//! are acked the session moves to the QUIC connection (nothing is sent twice).

use crate::transport::{Conn, Connector, Kind, Link, RecvHalf, SendHalf};
use crate::{now_ms, Cursors, TransportMode, UplinkError, UplinkSettings, UplinkState};
use pharos_protocol::frame::{read_frame, write_frame, write_raw_frame, Hello, HelloAck, Message};
use rand::Rng;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tracing::{debug, info, warn};

/// Largest total payload read from the buffer for one refill of the send window.
const READ_CHUNK_BYTES: usize = 8 << 20;

/// One server and its sessions.
pub(crate) struct Destination {
    index: usize,
    server: String,
    settings: Arc<UplinkSettings>,
    connector: Arc<Connector>,
    cursors: Arc<Cursors>,
    appended: watch::Receiver<()>,
    state: Arc<UplinkState>,
}

impl Destination {
    /// Destination `index` of the settings' servers.
    pub(crate) fn new(
        index: usize,
        server: String,
        settings: Arc<UplinkSettings>,
        connector: Arc<Connector>,
        cursors: Arc<Cursors>,
        appended: watch::Receiver<()>,
    ) -> Self {
        let state = Arc::new(UplinkState::default());
        state.acked_seq.store(cursors.position(index), Ordering::Relaxed);
        Destination { index, server, settings, connector, cursors, appended, state }
    }

    /// The server's `HOST:PORT`.
    pub(crate) fn server(&self) -> &str {
        &self.server
    }

    /// The destination's state.
    pub(crate) fn state(&self) -> Arc<UplinkState> {
        self.state.clone()
    }

    /// Runs sessions forever, reconnecting with jittered exponential backoff.
    pub(crate) async fn run(self) {
        let mut appended = self.appended.clone();
        let mut delay = self.settings.backoff_min;
        // The transport tried first: the one that worked last.
        let mut preferred = if self.settings.transport == TransportMode::Tcp { Kind::Tcp } else { Kind::Quic };
        // A connection made by a successful QUIC probe, for the next session.
        let mut ready: Option<Link> = None;
        loop {
            let link = match ready.take() {
                Some(link) => Ok(link),
                None => self.connect(&mut preferred).await,
            };
            let result = match link {
                Ok(link) => self.session(link, &mut delay, &mut appended).await,
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
            delay = (delay * 2).min(self.settings.backoff_max);
        }
    }

    async fn resolve(&self) -> Result<SocketAddr, UplinkError> {
        tokio::net::lookup_host(&self.server).await?.next().ok_or_else(|| UplinkError::Resolve(self.server.clone()))
    }

    /// How long a connection attempt over `kind` may take.
    fn connect_timeout(&self, kind: Kind) -> Duration {
        match kind {
            // Without UDP a QUIC handshake never fails, it only goes unanswered.
            Kind::Quic if self.settings.transport == TransportMode::Auto => {
                self.settings.quic_connect_timeout.min(self.settings.timeout)
            }
            _ => self.settings.timeout,
        }
    }

    /// Connects over `preferred`, and in `auto` mode over the other transport if that fails;
    /// `preferred` becomes the one that connected.
    async fn connect(&self, preferred: &mut Kind) -> Result<Link, UplinkError> {
        let addr = self.resolve().await?;
        let order = match self.settings.transport {
            TransportMode::Auto => vec![*preferred, preferred.other()],
            TransportMode::Quic => vec![Kind::Quic],
            TransportMode::Tcp => vec![Kind::Tcp],
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
        write_frame(send, &Message::Hello(hello), &self.settings.limits).await?;
        match read_frame(recv, &self.settings.limits).await? {
            Some(Message::HelloAck(a)) => Ok(a),
            Some(Message::Error(e)) => Err(UplinkError::Refused(format!("{:?}: {}", e.code, e.message))),
            Some(other) => Err(UplinkError::Protocol(format!("expected HelloAck, got {}", message_kind(&other)))),
            None => Err(UplinkError::Protocol("aggregator closed the stream".into())),
        }
    }

    /// One connection: handshake, then stream batches until something fails, or until a QUIC
    /// probe made while on TCP succeeds: then the probed connection is returned, for the next
    /// session.
    async fn session(
        &self,
        link: Link,
        delay: &mut Duration,
        appended: &mut watch::Receiver<()>,
    ) -> Result<Link, UplinkError> {
        let Link { kind, mut send, mut recv, conn } = link;
        let buffer_id = self.cursors.buffer().buffer_id();
        let hello = Hello {
            agent: self.settings.identity.clone(),
            agent_version: env!("CARGO_PKG_VERSION").to_string(),
            buffer_id,
            interval_ms: self.settings.interval.as_millis() as u64,
        };
        let stored = match tokio::time::timeout(self.settings.timeout, self.hello(&mut send, &mut recv, hello)).await {
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
            self.cursors.stored(self.index, seq)?;
            self.state.acked_seq.fetch_max(seq, Ordering::Relaxed);
        }
        info!(server = %self.server, transport = kind.as_str(), "uplink connected");
        self.state.set_transport(Some(kind));
        *delay = self.settings.backoff_min;

        // Frames are read in their own task: `read_frame` is not cancel-safe, so it must not sit
        // in a `select!` next to other branches.
        let (ack_tx, mut ack_rx) = mpsc::channel::<Result<Option<Message>, UplinkError>>(64);
        let limits = self.settings.limits;
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
        let prober = (kind == Kind::Tcp && self.settings.transport == TransportMode::Auto).then(|| {
            tokio::spawn(probe_quic(
                self.connector.clone(),
                self.server.clone(),
                self.settings.quic_probe_interval,
                self.connect_timeout(Kind::Quic),
                probe_tx,
            ))
        });
        let mut sent_seen = 0u64;
        let result = self.stream_batches(&conn, &mut sent_seen, &mut send, &mut ack_rx, &mut probe_rx, appended).await;
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
        appended: &mut watch::Receiver<()>,
    ) -> Result<Link, UplinkError> {
        let mut next = self.cursors.position(self.index) + 1;
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
            while switch_to.is_none() && in_flight.len() < self.settings.max_in_flight {
                let records = {
                    let b = self.cursors.buffer();
                    b.read_from(next, self.settings.max_in_flight - in_flight.len(), READ_CHUNK_BYTES)?
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
            let window_open = switch_to.is_none() && in_flight.len() < self.settings.max_in_flight;
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
                Ok(()) = appended.changed(), if window_open => {}
                _ = tokio::time::sleep(self.settings.timeout), if !in_flight.is_empty() => {
                    return Err(UplinkError::Timeout("ack"));
                }
                // Wake up now and then even without news: an oldest-first drop in the buffer can
                // make records readable from a later sequence number.
                _ = tokio::time::sleep(self.settings.interval), if window_open => {}
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
        self.cursors.stored(self.index, seq)?;
        self.state.acked_seq.fetch_max(seq, Ordering::Relaxed);
        debug!(server = %self.server, seq, "acked");
        self.state.batches_acked.fetch_add(batches, Ordering::Relaxed);
        self.state.samples_acked.fetch_add(samples, Ordering::Relaxed);
        self.state.last_ack_ms.store(now_ms(), Ordering::Relaxed);
        Ok(())
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
