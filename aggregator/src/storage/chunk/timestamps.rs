//! Timestamp schemes. All start with the first timestamp as a zigzag varint; deltas are kept as
//! `u64` (timestamps strictly increase, so every delta is in `1..2^64`) and delta-of-deltas as
//! wrapping `i64`, so any `i64` timestamps round-trip exactly.

use super::bits::{put_for, put_varint, put_zigzag, zigzag, ByteReader, ForReader};
use super::gorilla::{put_dods, DodReader};
use super::ChunkError;

/// Every delta equal: `t0`, `[varint delta]`. A regular series costs a handful of bytes per chunk.
pub(crate) const TS_REGULAR: u8 = 0;
/// `t0`, `varint d1`, then tokens: `zigzag(dod) << 1` for a non-zero dod, `run << 1 | 1` for a run
/// of zero dods. Byte-aligned, good for mostly regular series with a few gaps.
pub(crate) const TS_DOD_VARINT: u8 = 1;
/// `t0`, then all deltas frame-of-reference packed: good for jitter around the interval.
pub(crate) const TS_FOR_DELTA: u8 = 2;
/// `t0`, `varint d1`, then Prometheus' delta-of-delta bit buckets.
pub(crate) const TS_GORILLA: u8 = 3;

fn deltas(ts: &[i64]) -> Vec<u64> {
    ts.windows(2).map(|w| w[1].wrapping_sub(w[0]) as u64).collect()
}

fn dods(d: &[u64]) -> impl Iterator<Item = i64> + '_ {
    d.windows(2).map(|w| w[1].wrapping_sub(w[0]) as i64)
}

/// Encodes timestamps (already checked to strictly increase) with the given scheme.
pub(crate) fn encode_scheme(ts: &[i64], scheme: u8, out: &mut Vec<u8>) {
    let Some(&t0) = ts.first() else { return };
    put_zigzag(out, t0);
    let d = deltas(ts);
    match scheme {
        TS_REGULAR => {
            if let Some(&d1) = d.first() {
                put_varint(out, d1);
            }
        }
        TS_DOD_VARINT => {
            let Some(&d1) = d.first() else { return };
            put_varint(out, d1);
            let mut run = 0u64;
            for dod in dods(&d) {
                if dod == 0 {
                    run += 1;
                    continue;
                }
                if run > 0 {
                    put_varint(out, run << 1 | 1);
                    run = 0;
                }
                // zigzag needs 64 bits, the tag one more: a huge dod goes as a u64 after tag 0.
                let z = zigzag(dod);
                if z >> 63 == 0 {
                    put_varint(out, z << 1);
                } else {
                    put_varint(out, 0);
                    put_varint(out, z);
                }
            }
            if run > 0 {
                put_varint(out, run << 1 | 1);
            }
        }
        TS_FOR_DELTA => {
            let r: Vec<i64> = d.iter().map(|&x| x as i64).collect();
            put_for(out, &r);
        }
        TS_GORILLA => {
            let Some(&d1) = d.first() else { return };
            put_varint(out, d1);
            out.extend_from_slice(&put_dods(dods(&d)));
        }
        _ => unreachable!("unknown timestamp scheme"),
    }
}

/// Encodes with the smallest scheme and returns its id.
pub(crate) fn encode_best(ts: &[i64], out: &mut Vec<u8>) -> u8 {
    let d = deltas(ts);
    if d.windows(2).all(|w| w[0] == w[1]) {
        encode_scheme(ts, TS_REGULAR, out);
        return TS_REGULAR;
    }
    let mut best: Option<(u8, Vec<u8>)> = None;
    for scheme in [TS_DOD_VARINT, TS_FOR_DELTA, TS_GORILLA] {
        let mut buf = Vec::new();
        encode_scheme(ts, scheme, &mut buf);
        if best.as_ref().is_none_or(|(_, b)| buf.len() < b.len()) {
            best = Some((scheme, buf));
        }
    }
    let (scheme, buf) = best.expect("three candidates");
    out.extend_from_slice(&buf);
    scheme
}

#[derive(Clone, Debug)]
enum Stream<'a> {
    Regular,
    DodVarint { r: ByteReader<'a>, zero_run: u64 },
    ForDelta(ForReader<'a>),
    Gorilla(DodReader<'a>),
}

/// Streaming decoder of a timestamp section of `n` timestamps.
#[derive(Clone, Debug)]
pub(crate) struct TsDecoder<'a> {
    stream: Stream<'a>,
    /// Offset of the bit or token stream within the reader given to `new`.
    stream_start: usize,
    n: usize,
    i: usize,
    t: i64,
    delta: u64,
}

impl<'a> TsDecoder<'a> {
    /// Parses the section header from `r`; for bit streams `r` must end where the section ends
    /// (the caller finds that end with [`TsDecoder::section_len`]).
    pub(crate) fn new(scheme: u8, r: &mut ByteReader<'a>, n: usize) -> Result<Self, ChunkError> {
        let mut d = TsDecoder { stream: Stream::Regular, stream_start: 0, n, i: 0, t: 0, delta: 0 };
        if n == 0 {
            return Ok(d);
        }
        d.t = r.zigzag()?;
        let needs_d1 = n > 1 && scheme != TS_FOR_DELTA;
        if needs_d1 {
            d.delta = r.varint()?;
        }
        d.stream_start = r.pos();
        d.stream = match scheme {
            TS_REGULAR => Stream::Regular,
            TS_DOD_VARINT => Stream::DodVarint { r: r.clone(), zero_run: 0 },
            TS_FOR_DELTA => Stream::ForDelta(ForReader::new(r, n - 1)?),
            TS_GORILLA => Stream::Gorilla(DodReader::new(r.take(r.remaining())?)),
            _ => return Err(ChunkError::Corrupt("unknown timestamp scheme")),
        };
        Ok(d)
    }

    /// Length in bytes of the section starting at `data` (decodes it without storing anything).
    pub(crate) fn section_len(scheme: u8, data: &'a [u8], n: usize) -> Result<usize, ChunkError> {
        let mut r = ByteReader::new(data);
        let mut d = TsDecoder::new(scheme, &mut r, n)?;
        for _ in 0..n {
            d.next()?;
        }
        Ok(match &d.stream {
            Stream::Regular | Stream::ForDelta(_) => r.pos(),
            Stream::DodVarint { r, .. } => r.pos(),
            Stream::Gorilla(g) => d.stream_start + g.bytes_used(),
        })
    }

    /// The next timestamp; errors if the section is corrupt or would not strictly increase.
    pub(crate) fn next(&mut self) -> Result<i64, ChunkError> {
        if self.i >= self.n {
            return Err(ChunkError::Corrupt("read past the last timestamp"));
        }
        self.i += 1;
        if self.i == 1 {
            return Ok(self.t);
        }
        // The first delta came with the header for every scheme but FOR.
        let first_delta = self.i == 2;
        match &mut self.stream {
            Stream::Regular => {}
            Stream::ForDelta(f) => self.delta = f.next()? as u64,
            _ if first_delta => {}
            Stream::DodVarint { r, zero_run } => {
                if *zero_run == 0 {
                    let tok = r.varint()?;
                    if tok & 1 == 1 {
                        *zero_run = tok >> 1;
                        if *zero_run == 0 {
                            return Err(ChunkError::Corrupt("empty zero run"));
                        }
                    } else {
                        let z = if tok == 0 { r.varint()? } else { tok >> 1 };
                        self.delta = self.delta.wrapping_add(super::bits::unzigzag(z) as u64);
                    }
                }
                if *zero_run > 0 {
                    *zero_run -= 1;
                }
            }
            Stream::Gorilla(g) => self.delta = self.delta.wrapping_add(g.next()? as u64),
        }
        if self.delta == 0 {
            return Err(ChunkError::Corrupt("timestamps not strictly increasing"));
        }
        self.t = self.t.checked_add_unsigned(self.delta).ok_or(ChunkError::Corrupt("timestamp overflows i64"))?;
        Ok(self.t)
    }
}
