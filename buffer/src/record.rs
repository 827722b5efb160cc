//! Record framing inside a segment file and a sequential cursor over those frames.
//!
//! A frame is `[u32 len][u32 crc][u64 seq][u32 samples][payload; len]`, little-endian. `len` is the
//! payload length; the CRC-32 covers every other byte of the frame (`len`, `seq`, `samples` and the
//! payload), so a torn or bit-flipped header is caught as surely as a damaged payload.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes of the fixed part of a frame, before the payload.
pub(crate) const RECORD_HEADER_LEN: usize = 20;

/// Largest payload a frame can describe (the length field is a `u32`).
pub(crate) const MAX_PAYLOAD_LEN: usize = u32::MAX as usize;

/// Buffered reads of this size keep the header walk (one 20-byte read per record) off the
/// syscall path without holding much memory.
const READ_BUF_LEN: usize = 64 * 1024;

/// Decoded fixed part of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RecordHeader {
    /// Payload length in bytes.
    pub len: u32,
    /// Stored CRC-32.
    pub crc: u32,
    /// Sequence number.
    pub seq: u64,
    /// Number of samples the payload carries.
    pub samples: u32,
}

impl RecordHeader {
    /// Bytes the whole frame occupies on disk.
    pub fn frame_len(&self) -> u64 {
        RECORD_HEADER_LEN as u64 + u64::from(self.len)
    }

    fn parse(b: &[u8; RECORD_HEADER_LEN]) -> Self {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut seq = [0u8; 8];
        seq.copy_from_slice(&b[8..16]);
        RecordHeader { len: u32_at(0), crc: u32_at(4), seq: u64::from_le_bytes(seq), samples: u32_at(16) }
    }
}

/// CRC over a frame's header (minus the CRC field itself) and payload.
fn checksum(header: &[u8; RECORD_HEADER_LEN], payload: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&header[0..4]);
    h.update(&header[8..RECORD_HEADER_LEN]);
    h.update(payload);
    h.finalize()
}

/// Bytes a frame with a payload of `payload_len` bytes occupies on disk.
pub(crate) fn frame_len(payload_len: usize) -> u64 {
    RECORD_HEADER_LEN as u64 + payload_len as u64
}

/// Encodes one frame into `out` (cleared first), so that it can go to the file in a single write.
/// The caller checks `payload.len() <= MAX_PAYLOAD_LEN`.
pub(crate) fn encode(seq: u64, samples: u32, payload: &[u8], out: &mut Vec<u8>) {
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    let mut header = [0u8; RECORD_HEADER_LEN];
    header[0..4].copy_from_slice(&len.to_le_bytes());
    header[8..16].copy_from_slice(&seq.to_le_bytes());
    header[16..20].copy_from_slice(&samples.to_le_bytes());
    let crc = checksum(&header, payload);
    header[4..8].copy_from_slice(&crc.to_le_bytes());
    out.clear();
    out.reserve(RECORD_HEADER_LEN + payload.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(payload);
}

/// Why a cursor stopped before the end of the readable region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CorruptKind {
    /// Fewer bytes left than a frame header.
    PartialHeader { available: u64 },
    /// The length field points past the end of the readable region.
    RunsPastEnd { len: u32 },
    /// The stored CRC does not match the frame's bytes.
    Checksum,
    /// A well-formed frame whose sequence number breaks the `previous + 1` chain.
    SeqGap { expected: u64, found: u64 },
    /// A well-formed frame whose sequence number belongs to the next segment (left behind when a
    /// failed append could not be rolled back and the writer moved on to a new file).
    OverlapsNext { seq: u64 },
}

impl fmt::Display for CorruptKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorruptKind::PartialHeader { available } => {
                write!(f, "partial record header ({available} bytes)")
            }
            CorruptKind::RunsPastEnd { len } => {
                write!(f, "record length {len} runs past end of file")
            }
            CorruptKind::Checksum => write!(f, "checksum mismatch"),
            CorruptKind::SeqGap { expected, found } => {
                write!(f, "sequence number {found} where {expected} was expected")
            }
            CorruptKind::OverlapsNext { seq } => {
                write!(f, "sequence number {seq} overlaps the next segment")
            }
        }
    }
}

/// One step of a [`SegmentCursor`].
#[derive(Debug)]
pub(crate) enum Step {
    /// A frame; its payload is in [`SegmentCursor::take_payload`] when it was requested.
    Record(RecordHeader),
    /// Clean end of the readable region.
    End,
    /// A damaged frame at `offset`; the cursor is unusable afterwards (nothing after a damaged
    /// frame can be located reliably, so callers stop reading this segment).
    Corrupt { offset: u64, kind: CorruptKind },
}

/// Sequential reader over the frames of one segment file, with its own file handle so that it
/// can read a sealed segment while the writer appends to the tail.
pub(crate) struct SegmentCursor {
    reader: BufReader<File>,
    offset: u64,
    end: u64,
    expected_seq: u64,
    payload: Vec<u8>,
}

impl SegmentCursor {
    /// Opens `path` positioned at `offset`, where a frame with `expected_seq` must start, and
    /// never reads at or beyond `end`.
    pub fn open(path: &Path, offset: u64, end: u64, expected_seq: u64) -> io::Result<Self> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(offset))?;
        Ok(SegmentCursor {
            reader: BufReader::with_capacity(READ_BUF_LEN, file),
            offset,
            end,
            expected_seq,
            payload: Vec::new(),
        })
    }

    /// Offset of the next frame (after the last one returned).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Sequence number the next frame must carry.
    pub fn expected_seq(&self) -> u64 {
        self.expected_seq
    }

    /// Moves the payload of the last frame read with `verify = true` out of the cursor.
    pub fn take_payload(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.payload)
    }

    /// Reads the next frame. With `verify` the payload is read and the CRC checked; without it the
    /// payload is skipped (used to walk to a starting sequence number cheaply) and only the
    /// length bound and the sequence chain are checked.
    pub fn next(&mut self, verify: bool) -> io::Result<Step> {
        let available = self.end.saturating_sub(self.offset);
        if available == 0 {
            return Ok(Step::End);
        }
        let offset = self.offset;
        if available < RECORD_HEADER_LEN as u64 {
            return Ok(Step::Corrupt { offset, kind: CorruptKind::PartialHeader { available } });
        }
        let mut raw = [0u8; RECORD_HEADER_LEN];
        self.reader.read_exact(&mut raw)?;
        let header = RecordHeader::parse(&raw);
        if header.frame_len() > available {
            return Ok(Step::Corrupt { offset, kind: CorruptKind::RunsPastEnd { len: header.len } });
        }
        let len = header.len as usize;
        if verify {
            self.payload.clear();
            self.payload.resize(len, 0);
            self.reader.read_exact(&mut self.payload)?;
            if checksum(&raw, &self.payload) != header.crc {
                return Ok(Step::Corrupt { offset, kind: CorruptKind::Checksum });
            }
        } else {
            self.reader.seek_relative(i64::from(header.len))?;
        }
        if header.seq != self.expected_seq {
            return Ok(Step::Corrupt {
                offset,
                kind: CorruptKind::SeqGap { expected: self.expected_seq, found: header.seq },
            });
        }
        self.offset += header.frame_len();
        self.expected_seq += 1;
        Ok(Step::Record(header))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn encode_then_read_back_and_detect_damage() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("f");
        let mut frames = Vec::new();
        let mut buf = Vec::new();
        for seq in 5..8u64 {
            encode(seq, seq as u32 * 10, &vec![seq as u8; seq as usize * 3], &mut buf);
            frames.extend_from_slice(&buf);
        }
        File::create(&path)?.write_all(&frames)?;
        let mut c = SegmentCursor::open(&path, 0, frames.len() as u64, 5)?;
        for seq in 5..8u64 {
            match c.next(true)? {
                Step::Record(h) => {
                    assert_eq!((h.seq, h.samples), (seq, seq as u32 * 10));
                    assert_eq!(c.take_payload(), vec![seq as u8; seq as usize * 3]);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(matches!(c.next(true)?, Step::End));

        // Flip one payload byte of the second frame.
        let second = frame_len(15) as usize;
        frames[second + RECORD_HEADER_LEN + 1] ^= 0x40;
        File::create(&path)?.write_all(&frames)?;
        let mut c = SegmentCursor::open(&path, 0, frames.len() as u64, 5)?;
        assert!(matches!(c.next(true)?, Step::Record(_)));
        match c.next(true)? {
            Step::Corrupt { offset, kind } => {
                assert_eq!(offset, second as u64);
                assert_eq!(kind, CorruptKind::Checksum);
            }
            other => panic!("unexpected {other:?}"),
        }
        // Header-only walk does not see payload damage but still honours the length bound.
        let mut c = SegmentCursor::open(&path, 0, frames.len() as u64 - 1, 5)?;
        assert!(matches!(c.next(false)?, Step::Record(_)));
        assert!(matches!(c.next(false)?, Step::Record(_)));
        assert!(matches!(c.next(false)?, Step::Corrupt { kind: CorruptKind::RunsPastEnd { .. }, .. }));
        Ok(())
    }
}
