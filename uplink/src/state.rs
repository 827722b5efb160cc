//! What one destination's sessions report, shared with the owner's self-metrics.

use crate::transport::Kind;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicU8, Ordering};

/// Connection state of one destination, shared with self-metrics.
#[derive(Debug, Default)]
pub struct UplinkState {
    /// Whether a session is established (handshake done).
    pub connected: AtomicBool,
    /// Sessions that ended in an error, including failed connects.
    pub send_failures: AtomicU64,
    /// Batches acknowledged by the destination.
    pub batches_acked: AtomicU64,
    /// Samples acknowledged by the destination.
    pub samples_acked: AtomicU64,
    /// Unix time in ms of the last ack, 0 before the first.
    pub last_ack_ms: AtomicI64,
    /// Highest sequence number the destination has stored (acked, or reported in its HelloAck).
    pub acked_seq: AtomicU64,
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

    pub(crate) fn set_transport(&self, kind: Option<Kind>) {
        let v = match kind {
            None => 0,
            Some(Kind::Quic) => 1,
            Some(Kind::Tcp) => 2,
        };
        self.transport.store(v, Ordering::Relaxed);
        self.connected.store(kind.is_some(), Ordering::Relaxed);
    }
}
