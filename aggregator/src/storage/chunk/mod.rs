//! Chunk codec of the time-series store: one series' samples (up to [`MAX_SAMPLES`], typically
//! 120–480) encoded into a compact byte string, and decoded back bit for bit.
//!
//! The codec is pure: it knows nothing of RocksDB or series; the caller cuts chunks.
//!
//! # Format
//!
//! ```text
//! header u8      bits 0-1 timestamp scheme, bits 2-4 value scheme, bit 5 varint residuals,
//!                bit 6 exception list present, bit 7 reserved (0)
//! varint         number of samples n (0..=MAX_SAMPLES)
//! timestamps     zigzag varint t0, then per scheme (see `timestamps`): regular (one delta),
//!                zero-run-length varint delta-of-deltas, FOR-packed deltas, or Gorilla dod buckets
//! values         constant (8 bytes), Gorilla XOR, or decimal: zigzag exp, [exceptions], mantissa
//!                deltas or delta-of-deltas, FOR bit-packed or zigzag varints (see `values`)
//! ```
//!
//! The encoder tries every applicable scheme and keeps the smallest, per chunk and separately for
//! timestamps and values. Decoding validates everything it reads: corrupt input is a
//! [`ChunkError`], never a panic, and allocation is bounded by `MAX_SAMPLES`.

mod bits;
mod gorilla;
mod timestamps;
mod values;

#[cfg(test)]
mod tests;

/// LEB128 varints, zigzag and a bounds-checked reader, shared with the store's other byte formats.
pub(crate) use bits::{put_varint, unzigzag, zigzag, ByteReader};
use pharos_protocol::Sample;
use timestamps::TsDecoder;
use values::ValueDecoder;

/// Most samples one chunk may hold; decoders refuse larger counts, which bounds their allocation.
pub const MAX_SAMPLES: usize = 1 << 16;

const RESERVED_BIT: u8 = 0x80;

/// Why a chunk could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    /// Encoding input whose timestamps do not strictly increase (`index` is the first offender).
    #[error("sample {index}: timestamps must strictly increase")]
    Unsorted {
        /// Index of the first sample whose timestamp is not above its predecessor's.
        index: usize,
    },
    /// More samples than [`MAX_SAMPLES`].
    #[error("{0} samples in one chunk (at most {MAX_SAMPLES})")]
    TooManySamples(usize),
    /// The chunk ends before its content does.
    #[error("chunk truncated")]
    Truncated,
    /// The chunk's content is inconsistent.
    #[error("corrupt chunk: {0}")]
    Corrupt(&'static str),
}

/// Which encodings [`encode_with`] may use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Schemes {
    /// The smallest of every scheme, chosen per chunk (what [`encode`] does).
    #[default]
    Best,
    /// Prometheus' chunk encoding only (delta-of-delta buckets and XOR): the size baseline.
    GorillaOnly,
}

/// Encodes samples, which must have strictly increasing timestamps, with the smallest schemes.
pub fn encode(samples: &[Sample]) -> Result<Vec<u8>, ChunkError> {
    encode_with(samples, Schemes::Best)
}

/// Encodes samples with the given choice of schemes; [`decode`] reads either.
pub fn encode_with(samples: &[Sample], schemes: Schemes) -> Result<Vec<u8>, ChunkError> {
    if samples.len() > MAX_SAMPLES {
        return Err(ChunkError::TooManySamples(samples.len()));
    }
    if let Some(i) = samples.windows(2).position(|w| w[1].timestamp_ms <= w[0].timestamp_ms) {
        return Err(ChunkError::Unsorted { index: i + 1 });
    }
    let ts: Vec<i64> = samples.iter().map(|s| s.timestamp_ms).collect();
    let vs: Vec<f64> = samples.iter().map(|s| s.value).collect();
    let mut body = Vec::with_capacity(samples.len() * 2 + 16);
    let ts_scheme = match schemes {
        Schemes::Best => timestamps::encode_best(&ts, &mut body),
        Schemes::GorillaOnly => {
            timestamps::encode_scheme(&ts, timestamps::TS_GORILLA, &mut body);
            timestamps::TS_GORILLA
        }
    };
    let v_flags = match schemes {
        Schemes::Best => values::encode_best(&vs, &mut body),
        Schemes::GorillaOnly => values::encode_xor(&vs, &mut body),
    };
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(ts_scheme | (v_flags & values::V_MASK) << 2);
    put_varint(&mut out, samples.len() as u64);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes a whole chunk.
pub fn decode(bytes: &[u8]) -> Result<Vec<Sample>, ChunkError> {
    let mut d = Decoder::new(bytes)?;
    let mut out = Vec::with_capacity(d.len());
    for s in &mut d {
        out.push(s?);
    }
    Ok(out)
}

/// Streaming decoder: yields samples one by one without materialising the chunk, and can skip
/// ahead to a timestamp. After an error it yields nothing more.
#[derive(Clone, Debug)]
pub struct Decoder<'a> {
    ts: TsDecoder<'a>,
    vals: ValueDecoder<'a>,
    n: usize,
    i: usize,
    failed: bool,
}

impl<'a> Decoder<'a> {
    /// Parses the chunk header; the samples are decoded as they are read.
    pub fn new(bytes: &'a [u8]) -> Result<Self, ChunkError> {
        let mut r = ByteReader::new(bytes);
        let header = r.u8()?;
        if header & RESERVED_BIT != 0 {
            return Err(ChunkError::Corrupt("unknown format (reserved header bit set)"));
        }
        let n = r.varint()?;
        if n > MAX_SAMPLES as u64 {
            return Err(ChunkError::TooManySamples(usize::try_from(n).unwrap_or(usize::MAX)));
        }
        let n = n as usize;
        let ts_scheme = header & 0b11;
        let rest = &bytes[r.pos()..];
        // Bit-stream timestamp schemes do not record their length: find it by a decoding pass.
        let ts_len = TsDecoder::section_len(ts_scheme, rest, n)?;
        let mut ts_reader = ByteReader::new(&rest[..ts_len]);
        let ts = TsDecoder::new(ts_scheme, &mut ts_reader, n)?;
        let vals = ValueDecoder::new(header >> 2, &rest[ts_len..], n)?;
        Ok(Decoder { ts, vals, n, i: 0, failed: false })
    }

    /// Number of samples in the chunk.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the chunk holds no samples.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Skips samples before `t` and returns the first sample at or after `t`, if any; iteration
    /// then continues after it.
    pub fn seek(&mut self, t: i64) -> Result<Option<Sample>, ChunkError> {
        for s in self.by_ref() {
            let s = s?;
            if s.timestamp_ms >= t {
                return Ok(Some(s));
            }
        }
        Ok(None)
    }
}

impl Iterator for Decoder<'_> {
    type Item = Result<Sample, ChunkError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.i >= self.n {
            return None;
        }
        self.i += 1;
        let r = self.ts.next().and_then(|t| Ok(Sample { timestamp_ms: t, value: self.vals.next()? }));
        self.failed = r.is_err();
        Some(r)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = if self.failed { 0 } else { self.n - self.i };
        (0, Some(left))
    }
}
