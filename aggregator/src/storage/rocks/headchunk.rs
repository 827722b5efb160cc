//! The open chunk of a series in the head: an append-only byte stream that is cheap to extend one
//! sample at a time and small enough to keep a million of in memory.
//!
//! The sealed-chunk codec (`storage::chunk`) picks its schemes looking at the whole chunk, so it
//! cannot be extended sample by sample. The head therefore uses this simpler streaming format and
//! re-encodes with the codec when the chunk is sealed. Checkpoints write the stream as it is
//! (kind [`KIND_HEAD`] in the chunk value), which costs a copy, not an encode.
//!
//! # Format
//!
//! Per sample, after the first: zigzag varint of the timestamp's delta-of-delta. Per sample
//! (including the first): one varint `v`; if `v` is even, `v >> 1` is the zigzag delta of the
//! value's decimal mantissa at the chunk's exponent; if odd, 8 bytes of raw f64 bits follow. The
//! first timestamp and the exponent live in the struct (and in the stored value's prefix).
//!
//! Typical cost: 1 byte per regular timestamp, 1–3 bytes per decimal value: 2–4 bytes/sample,
//! against Prometheus' head XOR chunks at 1.5–8.

use crate::storage::chunk::{put_varint, unzigzag, zigzag, ByteReader};
use pharos_protocol::Sample;

/// Most decimal places a value may have to be stored as a mantissa (beyond, raw bits).
const MAX_EXP: u8 = 15;
/// Mantissas beyond ±2^53 are not exact in an f64; such values are stored raw.
const MAX_MANTISSA: f64 = 9_007_199_254_740_992.0;
/// No exponent fits the first value: every value is raw.
const NO_EXP: u8 = u8::MAX;

const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// `v` as an integer mantissa at `exp` decimal places, if that round-trips bit for bit.
fn mantissa(v: f64, exp: u8) -> Option<i64> {
    // -0.0 would come back as +0.0 from a zero mantissa.
    if exp > MAX_EXP || !v.is_finite() || (v == 0.0 && v.is_sign_negative()) {
        return None;
    }
    let p = POW10[exp as usize];
    let m = (v * p).round();
    if m.abs() > MAX_MANTISSA || (m / p).to_bits() != v.to_bits() {
        return None;
    }
    Some(m as i64)
}

/// The smallest exponent at which `v` is an exact decimal, or [`NO_EXP`].
fn exponent_of(v: f64) -> u8 {
    (0..=MAX_EXP).find(|&e| mantissa(v, e).is_some()).unwrap_or(NO_EXP)
}

/// An open chunk: the samples of one series since its last cut, strictly increasing in time.
#[derive(Debug, Clone)]
pub(crate) struct HeadChunk {
    buf: Vec<u8>,
    first_ts: i64,
    last_ts: i64,
    last_delta: i64,
    last_mantissa: i64,
    last_bits: u64,
    count: u32,
    exp: u8,
}

/// Why stored head-format bytes could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CorruptHeadChunk;

impl HeadChunk {
    /// A chunk holding one sample.
    pub(crate) fn new(first: Sample) -> Self {
        let exp = exponent_of(first.value);
        let mut c = HeadChunk {
            buf: Vec::with_capacity(16),
            first_ts: first.timestamp_ms,
            last_ts: first.timestamp_ms,
            last_delta: 0,
            last_mantissa: 0,
            last_bits: 0,
            count: 0,
            exp,
        };
        c.put_value(first.value);
        c.count = 1;
        c
    }

    /// A chunk holding `samples` (non-empty, strictly increasing timestamps).
    pub(crate) fn from_samples(samples: &[Sample]) -> Option<Self> {
        let (first, rest) = samples.split_first()?;
        let mut c = HeadChunk::new(*first);
        for s in rest {
            if s.timestamp_ms <= c.last_ts {
                return None;
            }
            c.push(*s);
        }
        Some(c)
    }

    fn put_value(&mut self, v: f64) {
        match mantissa(v, self.exp) {
            Some(m) => {
                put_varint(&mut self.buf, zigzag(m.wrapping_sub(self.last_mantissa)) << 1);
                self.last_mantissa = m;
            }
            None => {
                put_varint(&mut self.buf, 1);
                self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
            }
        }
        self.last_bits = v.to_bits();
    }

    /// Appends a sample whose timestamp is above [`last_ts`](Self::last_ts) (the caller checks).
    pub(crate) fn push(&mut self, s: Sample) {
        debug_assert!(s.timestamp_ms > self.last_ts);
        if self.exp != NO_EXP && mantissa(s.value, self.exp).is_none() {
            let needed = exponent_of(s.value);
            if needed != NO_EXP && needed > self.exp {
                // More decimals than the chunk so far: re-encode at the finer exponent (at most
                // MAX_EXP times per chunk) rather than store this and later values raw.
                self.reencode(needed);
            }
        }
        self.push_encoded(s);
    }

    fn push_encoded(&mut self, s: Sample) {
        let delta = s.timestamp_ms.wrapping_sub(self.last_ts);
        put_varint(&mut self.buf, zigzag(delta.wrapping_sub(self.last_delta)));
        self.last_delta = delta;
        self.last_ts = s.timestamp_ms;
        self.put_value(s.value);
        self.count += 1;
    }

    fn reencode(&mut self, exp: u8) {
        let samples = self.samples();
        let Some((first, rest)) = samples.split_first() else { return };
        let mut c = HeadChunk {
            buf: Vec::with_capacity(self.buf.capacity()),
            first_ts: first.timestamp_ms,
            last_ts: first.timestamp_ms,
            last_delta: 0,
            last_mantissa: 0,
            last_bits: 0,
            count: 1,
            exp,
        };
        c.put_value(first.value);
        for s in rest {
            c.push_encoded(*s);
        }
        *self = c;
    }

    /// Timestamp of the first sample.
    pub(crate) fn first_ts(&self) -> i64 {
        self.first_ts
    }

    /// Timestamp of the last sample.
    pub(crate) fn last_ts(&self) -> i64 {
        self.last_ts
    }

    /// Bits of the last sample's value.
    pub(crate) fn last_bits(&self) -> u64 {
        self.last_bits
    }

    /// Number of samples.
    pub(crate) fn len(&self) -> usize {
        self.count as usize
    }

    /// Gives back spare capacity: sealed-soon chunks need none, and idle ones should not hold it.
    pub(crate) fn shrink(&mut self) {
        self.buf.shrink_to_fit();
    }

    /// The samples, decoded.
    pub(crate) fn samples(&self) -> Vec<Sample> {
        // The bytes were written by this struct, so they decode.
        decode_parts(self.first_ts, self.exp, self.count, &self.buf).unwrap_or_default()
    }

    /// The stored form: `exp`, varint count, varint-zigzag first timestamp, stream.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + 12);
        out.push(self.exp);
        put_varint(&mut out, u64::from(self.count));
        put_varint(&mut out, zigzag(self.first_ts));
        out.extend_from_slice(&self.buf);
        out
    }
}

/// Decodes what [`HeadChunk::to_bytes`] wrote.
pub(crate) fn decode(bytes: &[u8]) -> Result<Vec<Sample>, CorruptHeadChunk> {
    let (&exp, rest) = bytes.split_first().ok_or(CorruptHeadChunk)?;
    let mut r = ByteReader::new(rest);
    let count = r.varint().map_err(|_| CorruptHeadChunk)?;
    let first_ts = r.zigzag().map_err(|_| CorruptHeadChunk)?;
    // Each sample takes at least one byte, which bounds the allocation by the input size.
    if count > rest.len() as u64 {
        return Err(CorruptHeadChunk);
    }
    decode_parts(first_ts, exp, count as u32, &rest[r.pos()..])
}

fn decode_parts(first_ts: i64, exp: u8, count: u32, buf: &[u8]) -> Result<Vec<Sample>, CorruptHeadChunk> {
    let mut r = ByteReader::new(buf);
    let mut out = Vec::with_capacity(count as usize);
    let (mut ts, mut delta, mut m) = (first_ts, 0i64, 0i64);
    for i in 0..count {
        if i > 0 {
            delta = delta.wrapping_add(r.zigzag().map_err(|_| CorruptHeadChunk)?);
            ts = ts.wrapping_add(delta);
        }
        let tag = r.varint().map_err(|_| CorruptHeadChunk)?;
        let value = if tag & 1 == 1 {
            f64::from_bits(r.u64_le().map_err(|_| CorruptHeadChunk)?)
        } else {
            if exp > MAX_EXP {
                return Err(CorruptHeadChunk);
            }
            m = m.wrapping_add(unzigzag(tag >> 1));
            m as f64 / POW10[exp as usize]
        };
        out.push(Sample { timestamp_ms: ts, value });
    }
    if r.remaining() != 0 {
        return Err(CorruptHeadChunk);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::model::STALE_NAN_BITS;

    fn s(t: i64, v: f64) -> Sample {
        Sample { timestamp_ms: t, value: v }
    }

    fn bits(samples: &[Sample]) -> Vec<(i64, u64)> {
        samples.iter().map(|s| (s.timestamp_ms, s.value.to_bits())).collect()
    }

    #[test]
    fn round_trips_bit_for_bit() {
        let input = vec![
            s(-5_000, 0.1),
            s(10_000, 0.25),
            s(25_000, 123.456),
            s(40_001, f64::from_bits(STALE_NAN_BITS)),
            s(55_000, f64::INFINITY),
            s(70_000, -0.0),
            s(85_000, 1e300),
            s(100_000, 1.0 / 3.0),
            s(115_000, -7.0),
            s(i64::MAX / 2, 9_007_199_254_740_993.0),
        ];
        let c = HeadChunk::from_samples(&input).unwrap();
        assert_eq!(bits(&c.samples()), bits(&input));
        assert_eq!(bits(&decode(&c.to_bytes()).unwrap()), bits(&input));
        assert_eq!((c.first_ts(), c.last_ts(), c.len()), (-5_000, i64::MAX / 2, 10));
    }

    #[test]
    fn regular_decimal_series_take_few_bytes() {
        let input: Vec<Sample> = (0..240).map(|i| s(i * 15_000, 100.0 + (i % 7) as f64 * 0.25)).collect();
        let c = HeadChunk::from_samples(&input).unwrap();
        assert!(c.to_bytes().len() < 240 * 3, "{} bytes", c.to_bytes().len());
        assert_eq!(bits(&c.samples()), bits(&input));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let c = HeadChunk::from_samples(&[s(1, 1.5), s(2, 2.5), s(3, f64::NAN)]).unwrap();
        let good = c.to_bytes();
        for cut in 0..good.len() {
            assert!(decode(&good[..cut]).is_err(), "prefix {cut}");
        }
        assert!(decode(&[3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err());
        assert!(decode(&[200, 1, 0, 0]).is_err());
    }

    #[test]
    fn unsorted_input_is_refused() {
        assert!(HeadChunk::from_samples(&[s(2, 1.0), s(2, 1.0)]).is_none());
        assert!(HeadChunk::from_samples(&[]).is_none());
    }
}
