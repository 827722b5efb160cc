//! The agent↔aggregator wire frames.
//!
//! One frame on the stream:
//!
//! ```text
//! [u32 BE: length of what follows][u16 BE: protocol version][u8: flags][payload]
//! ```
//!
//! The payload is a bincode 2 (`config::standard()`, varint) encoding of [`Message`]. Flag bit 0
//! says the payload is lz4-compressed with a 4-byte little-endian uncompressed size in front
//! (`lz4_flex::compress_prepend_size`). Every length is checked against [`Limits`] before memory
//! is allocated for it, so a hostile peer cannot make the reader allocate more than a small
//! multiple of `max_frame_bytes`.

mod batch;
mod error;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub use batch::{Batch, WireSample};
pub use error::{FrameError, LimitError};

/// Protocol version carried in every frame.
pub const PROTOCOL_VERSION: u16 = 1;

/// ALPN protocol id negotiated on the QUIC connection.
pub const ALPN: &[u8] = b"pharos/1";

/// Flag bit: the payload is lz4-compressed with its uncompressed size prepended.
pub const FLAG_LZ4: u8 = 0x01;

/// Bytes of the length prefix.
pub const LEN_PREFIX_BYTES: usize = 4;

/// Bytes of version + flags at the start of every frame body.
pub const HEADER_BYTES: usize = 3;

/// Size limits both ends enforce. Embedded in the TOML configs of agent and aggregator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest frame body (after the length prefix), and largest uncompressed payload.
    pub max_frame_bytes: u32,
    /// Most series in one batch.
    pub max_series_per_batch: u32,
    /// Most samples in one batch.
    pub max_samples_per_batch: u32,
    /// Longest label name, in bytes.
    pub max_label_name_len: u32,
    /// Longest label value, in bytes.
    pub max_label_value_len: u32,
    /// Most labels (including `__name__`) on one series.
    pub max_labels_per_series: u32,
    /// Payloads larger than this many bytes are lz4-compressed.
    pub compress_threshold: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame_bytes: 16 * 1024 * 1024,
            max_series_per_batch: 100_000,
            max_samples_per_batch: 1_000_000,
            max_label_name_len: 256,
            max_label_value_len: 4096,
            max_labels_per_series: 64,
            compress_threshold: 512,
        }
    }
}

/// Every message of the protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Message {
    /// Agent → aggregator, first message on a connection.
    Hello(Hello),
    /// Aggregator → agent, answer to `Hello`.
    HelloAck(HelloAck),
    /// Agent → aggregator: samples.
    Batch(Batch),
    /// Aggregator → agent: a batch is durably stored (or was a replay of one that is).
    Ack(Ack),
    /// Either direction: something went wrong; the sender closes the stream after it.
    Error(ErrorFrame),
}

/// The agent introduces itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The agent's name; must match its certificate.
    pub agent: String,
    /// The agent's software version.
    pub agent_version: String,
    /// Identifies the agent's disk-buffer stream, so sequence numbers can restart safely when the
    /// buffer is wiped.
    pub buffer_id: u64,
    /// The agent's collection interval in milliseconds (used for liveness tracking).
    pub interval_ms: u64,
}

/// The aggregator's answer to [`Hello`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelloAck {
    /// The aggregator's software version.
    pub server_version: String,
    /// Highest sequence number durably stored for this agent and `buffer_id`, if any.
    pub last_acked_seq: Option<u64>,
}

/// Acknowledges one batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// The batch's sequence number.
    pub seq: u64,
    /// Samples stored.
    pub accepted_samples: u64,
    /// Samples dropped (e.g. too old, duplicates); the batch is still done with.
    pub rejected_samples: u64,
    /// Why they were dropped: the reasons add up to `rejected_samples`.
    pub rejected: Rejections,
}

/// Samples an aggregator refused, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejections {
    /// Older than the newest sample of their series by more than the out-of-order window.
    pub out_of_order: u64,
    /// Older than the retention period.
    pub too_old: u64,
    /// Further in the future than the aggregator accepts.
    pub too_far_in_future: u64,
    /// Of a new series beyond the per-agent or global series limit.
    pub series_limit: u64,
}

impl Rejections {
    /// All rejected samples.
    pub fn total(&self) -> u64 {
        self.out_of_order + self.too_old + self.too_far_in_future + self.series_limit
    }

    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Rejections) {
        self.out_of_order += other.out_of_order;
        self.too_old += other.too_old;
        self.too_far_in_future += other.too_far_in_future;
        self.series_limit += other.series_limit;
    }

    /// `(reason, count)` pairs, for logs and metrics.
    pub fn by_reason(&self) -> [(&'static str, u64); 4] {
        [
            ("out_of_order", self.out_of_order),
            ("too_old", self.too_old),
            ("too_far_in_future", self.too_far_in_future),
            ("series_limit", self.series_limit),
        ]
    }
}

/// Reports a failure to the peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorFrame {
    /// Machine-readable kind.
    pub code: ErrorCode,
    /// Human-readable detail.
    pub message: String,
}

/// Kinds of protocol errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorCode {
    /// The frame could not be parsed.
    BadFrame,
    /// The frame's protocol version is not supported.
    UnsupportedVersion,
    /// The frame exceeds `max_frame_bytes`.
    FrameTooLarge,
    /// A batch exceeds a limit or breaks the data model.
    LimitExceeded,
    /// The peer did not present a valid client certificate.
    Unauthenticated,
    /// The agent name in a message does not match the certificate.
    IdentityMismatch,
    /// The receiver failed for reasons of its own; retry later.
    Internal,
}

impl From<&FrameError> for ErrorFrame {
    fn from(e: &FrameError) -> Self {
        ErrorFrame { code: e.code(), message: e.to_string() }
    }
}

fn bincode_config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Encodes `msg` as a complete frame, length prefix included. Batches are validated first, so a
/// frame that the receiver would reject is never produced (and never lands in a disk buffer).
pub fn encode_frame(msg: &Message, limits: &Limits) -> Result<Vec<u8>, FrameError> {
    if let Message::Batch(b) = msg {
        b.validate(limits)?;
    }
    let payload =
        bincode::serde::encode_to_vec(msg, bincode_config()).map_err(|e| FrameError::Encode(e.to_string()))?;
    // The receiver bounds the decompressed size by max_frame_bytes, so the sender must too.
    if payload.len() as u64 > u64::from(limits.max_frame_bytes) {
        return Err(FrameError::PayloadTooLarge { len: payload.len() as u64, max: limits.max_frame_bytes });
    }
    let mut flags = 0u8;
    let mut body = payload;
    if body.len() > limits.compress_threshold as usize {
        let compressed = lz4_flex::compress_prepend_size(&body);
        // Incompressible payloads go out as they are: the flag makes this the sender's choice.
        if compressed.len() < body.len() {
            body = compressed;
            flags |= FLAG_LZ4;
        }
    }
    let frame_len = (HEADER_BYTES + body.len()) as u64;
    if frame_len > u64::from(limits.max_frame_bytes) {
        return Err(FrameError::TooLarge { len: frame_len, max: limits.max_frame_bytes });
    }
    let mut out = Vec::with_capacity(LEN_PREFIX_BYTES + HEADER_BYTES + body.len());
    // frame_len <= max_frame_bytes, a u32, so the cast is exact.
    out.extend_from_slice(&(frame_len as u32).to_be_bytes());
    out.extend_from_slice(&PROTOCOL_VERSION.to_be_bytes());
    out.push(flags);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes a frame body (the bytes after the length prefix): checks version and flags,
/// decompresses within limits, decodes the message and validates batches.
pub fn decode_body(body: &[u8], limits: &Limits) -> Result<Message, FrameError> {
    let max = limits.max_frame_bytes;
    if body.len() as u64 > u64::from(max) {
        return Err(FrameError::TooLarge { len: body.len() as u64, max });
    }
    let (header, payload) = match body.split_first_chunk::<HEADER_BYTES>() {
        Some(split) => split,
        None => return Err(FrameError::TooShort { len: body.len() as u64, min: HEADER_BYTES as u64 }),
    };
    let version = u16::from_be_bytes([header[0], header[1]]);
    if version != PROTOCOL_VERSION {
        return Err(FrameError::UnsupportedVersion { got: version });
    }
    let flags = header[2];
    if flags & !FLAG_LZ4 != 0 {
        return Err(FrameError::UnknownFlags { flags });
    }
    let msg = if flags & FLAG_LZ4 != 0 {
        let raw = decompress_bounded(payload, max)?;
        decode_payload(&raw)?
    } else {
        decode_payload(payload)?
    };
    if let Message::Batch(b) = &msg {
        b.validate(limits)?;
    }
    Ok(msg)
}

/// Decompresses an lz4 block with a prepended little-endian size, refusing sizes over `max`
/// before allocating anything.
fn decompress_bounded(payload: &[u8], max: u32) -> Result<Vec<u8>, FrameError> {
    let (size, block) = match payload.split_first_chunk::<4>() {
        Some((size, block)) => (u32::from_le_bytes(*size), block),
        None => return Err(FrameError::Decompress("missing the uncompressed size".into())),
    };
    if size > max {
        return Err(FrameError::PayloadTooLarge { len: u64::from(size), max });
    }
    let mut out = vec![0u8; size as usize];
    // decompress_into never writes past `out` (it returns OutputTooSmall instead).
    let n = lz4_flex::decompress_into(block, &mut out).map_err(|e| FrameError::Decompress(e.to_string()))?;
    if n != out.len() {
        return Err(FrameError::Decompress(format!("declared {} bytes, got {n}", out.len())));
    }
    Ok(out)
}

/// Decodes a bincode payload with a byte budget, so that a forged length inside the payload
/// (a string claiming gigabytes) is refused before bincode allocates for it.
///
/// bincode counts, per decoded value, its in-memory size (at most 8 bytes per encoded byte for our
/// types, whose primitives are at most 8 bytes wide), so a budget of 8 × the payload length never
/// refuses a genuine message. bincode takes the budget as a const generic, hence the size classes.
fn decode_payload(payload: &[u8]) -> Result<Message, FrameError> {
    let budget = payload.len().saturating_mul(8);
    if budget <= 1 << 16 {
        decode_with_limit::<{ 1 << 16 }>(payload)
    } else if budget <= 1 << 20 {
        decode_with_limit::<{ 1 << 20 }>(payload)
    } else if budget <= 1 << 24 {
        decode_with_limit::<{ 1 << 24 }>(payload)
    } else if budget <= 1 << 28 {
        decode_with_limit::<{ 1 << 28 }>(payload)
    } else {
        // Only reachable with max_frame_bytes above 32 MiB; the bound is still 8 × 4 GiB at most.
        decode_with_limit::<{ usize::MAX }>(payload)
    }
}

fn decode_with_limit<const N: usize>(payload: &[u8]) -> Result<Message, FrameError> {
    let config = bincode_config().with_limit::<N>();
    let (msg, used): (Message, usize) =
        bincode::serde::decode_from_slice(payload, config).map_err(|e| FrameError::Decode(e.to_string()))?;
    if used != payload.len() {
        return Err(FrameError::Decode(format!("{} trailing bytes after the message", payload.len() - used)));
    }
    Ok(msg)
}

/// Reads as many bytes as fit in `buf` unless the stream ends first; returns how many were read.
async fn read_full<R: AsyncRead + Unpin>(r: &mut R, buf: &mut [u8]) -> Result<usize, FrameError> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]).await {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(FrameError::Io(e)),
        }
    }
    Ok(filled)
}

/// Reads one frame and decodes it. Returns `Ok(None)` on a clean end of stream (before any byte of
/// a length prefix). The declared length is checked against `limits` before the body is read.
pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R, limits: &Limits) -> Result<Option<Message>, FrameError> {
    let mut prefix = [0u8; LEN_PREFIX_BYTES];
    let got = read_full(r, &mut prefix).await?;
    if got == 0 {
        return Ok(None);
    }
    if got < prefix.len() {
        return Err(FrameError::UnexpectedEof { expected: prefix.len() as u64, got: got as u64 });
    }
    let len = u32::from_be_bytes(prefix);
    if len > limits.max_frame_bytes {
        return Err(FrameError::TooLarge { len: u64::from(len), max: limits.max_frame_bytes });
    }
    if (len as usize) < HEADER_BYTES {
        return Err(FrameError::TooShort { len: u64::from(len), min: HEADER_BYTES as u64 });
    }
    let mut body = vec![0u8; len as usize];
    let got = read_full(r, &mut body).await?;
    if got < body.len() {
        return Err(FrameError::UnexpectedEof { expected: u64::from(len), got: got as u64 });
    }
    decode_body(&body, limits).map(Some)
}

/// Encodes `msg` and writes it as one frame, then flushes.
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, msg: &Message, limits: &Limits) -> Result<(), FrameError> {
    let frame = encode_frame(msg, limits)?;
    w.write_all(&frame).await?;
    w.flush().await?;
    Ok(())
}

/// Writes an already-encoded frame (from [`encode_frame`], e.g. kept in the agent's disk buffer)
/// unchanged, then flushes. Only the length prefix is checked, so a damaged record is caught here
/// rather than desynchronising the stream.
pub async fn write_raw_frame<W: AsyncWrite + Unpin>(w: &mut W, frame_bytes: &[u8]) -> Result<(), FrameError> {
    let (prefix, rest) = match frame_bytes.split_first_chunk::<LEN_PREFIX_BYTES>() {
        Some(split) => split,
        None => return Err(FrameError::BadRawFrame { declared: 0, actual: frame_bytes.len() as u64 }),
    };
    let declared = u64::from(u32::from_be_bytes(*prefix));
    if declared != rest.len() as u64 || rest.len() < HEADER_BYTES {
        return Err(FrameError::BadRawFrame { declared, actual: rest.len() as u64 });
    }
    w.write_all(frame_bytes).await?;
    w.flush().await?;
    Ok(())
}
