//! Value schemes: a constant, Gorilla XOR, or decimal mantissas with one exponent per chunk.
//!
//! The decimal scheme (VictoriaMetrics' idea) stores `value = mantissa × 10^exp`. A value goes in
//! the mantissa stream only if [`from_decimal`] gives back its exact bits; everything else (NaN,
//! the staleness marker, ±Inf, -0.0, values that need more digits) goes in a side list of
//! exceptions with its raw bits. Mantissas are stored as deltas (counters: the increments) or
//! delta-of-deltas (smooth gauges), frame-of-reference bit-packed or as zigzag varints.

use super::bits::{put_for, put_varint, put_zigzag, ByteReader, ForReader};
use super::gorilla::{put_xor, XorReader};
use super::ChunkError;
use pharos_protocol::model::STALE_NAN_BITS;

/// Values by Prometheus' XOR encoding.
pub(crate) const V_XOR: u8 = 0;
/// All values have the same bits: 8 bytes little-endian.
pub(crate) const V_CONST: u8 = 1;
/// Decimal mantissas, deltas.
pub(crate) const V_DEC_DELTA: u8 = 2;
/// Decimal mantissas, delta-of-deltas.
pub(crate) const V_DEC_DOD: u8 = 3;
/// Flag: residuals as zigzag varints instead of FOR bit packing.
pub(crate) const F_VARINT: u8 = 1 << 3;
/// Flag: an exception list follows the exponent.
pub(crate) const F_EXCEPTIONS: u8 = 1 << 4;
/// All bits of the value part of the header.
pub(crate) const V_MASK: u8 = 0b1_1111;

/// Largest |exponent|: 10^22 is the largest power of ten an f64 holds exactly.
const MAX_EXP: i32 = 22;

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `m × 10^exp` as the decoder computes it; `exp` must be within `±MAX_EXP`.
pub(crate) fn from_decimal(m: i64, exp: i32) -> f64 {
    if exp >= 0 {
        m as f64 * POW10[exp as usize]
    } else {
        // Division by an exact power of ten is correctly rounded, so `123456 / 100` is exactly the
        // f64 nearest to 1234.56 (what parsing "1234.56" gave); multiplying by 0.01 would not be.
        m as f64 / POW10[(-exp) as usize]
    }
}

/// The shortest decimal form (largest exponent) that reproduces `v`'s exact bits, if any.
/// Zero reports `MAX_EXP` so it fits any chunk exponent.
pub(crate) fn to_decimal(v: f64) -> Option<(i64, i32)> {
    if !v.is_finite() || v.to_bits() == (-0.0f64).to_bits() {
        return None;
    }
    if v == 0.0 {
        return Some((0, MAX_EXP));
    }
    // |m| must stay well inside i64 so chunk-wide rescaling has room.
    const LIMIT: f64 = 9.0e18;
    if v.fract() == 0.0 {
        if v.abs() >= LIMIT {
            return None;
        }
        let (mut m, mut e) = (v as i64, 0);
        while e < MAX_EXP && m % 10 == 0 && from_decimal(m / 10, e + 1).to_bits() == v.to_bits() {
            m /= 10;
            e += 1;
        }
        return Some((m, e));
    }
    for k in 1..=MAX_EXP {
        let s = v * POW10[k as usize];
        if s.abs() >= LIMIT {
            return None;
        }
        let m = s.round() as i64;
        if from_decimal(m, -k).to_bits() == v.to_bits() {
            return Some((m, -k));
        }
    }
    None
}

/// Mantissas at one chunk exponent plus the values that do not fit.
struct Plan {
    exp: i32,
    mants: Vec<i64>,
    exceptions: Vec<(usize, u64)>,
}

fn plan(values: &[f64], decs: &[Option<(i64, i32)>], exp: i32) -> Plan {
    let mut p = Plan { exp, mants: Vec::with_capacity(values.len()), exceptions: Vec::new() };
    for (i, (&v, d)) in values.iter().zip(decs).enumerate() {
        let m = d.filter(|&(_, e)| e >= exp).and_then(|(m, e)| {
            let m = if m == 0 { 0 } else { m.checked_mul(10i64.checked_pow((e - exp) as u32)?)? };
            (from_decimal(m, exp).to_bits() == v.to_bits()).then_some(m)
        });
        match m {
            Some(m) => p.mants.push(m),
            None => p.exceptions.push((i, v.to_bits())),
        }
    }
    p
}

fn put_decimal(p: &Plan, dod: bool, varint: bool, out: &mut Vec<u8>) -> u8 {
    let mut flags = if dod { V_DEC_DOD } else { V_DEC_DELTA };
    if varint {
        flags |= F_VARINT;
    }
    put_zigzag(out, i64::from(p.exp));
    if !p.exceptions.is_empty() {
        flags |= F_EXCEPTIONS;
        put_varint(out, p.exceptions.len() as u64);
        let mut next = 0usize;
        for &(i, bits) in &p.exceptions {
            let gap = (i - next) as u64;
            next = i + 1;
            if bits == STALE_NAN_BITS {
                put_varint(out, gap << 1 | 1);
            } else {
                put_varint(out, gap << 1);
                out.extend_from_slice(&bits.to_le_bytes());
            }
        }
    }
    let m = &p.mants;
    let Some(&m0) = m.first() else { return flags };
    put_zigzag(out, m0);
    let deltas: Vec<i64> = m.windows(2).map(|w| w[1].wrapping_sub(w[0])).collect();
    let residuals: Vec<i64> = if dod {
        if let Some(&d1) = deltas.first() {
            put_zigzag(out, d1);
        }
        deltas.windows(2).map(|w| w[1].wrapping_sub(w[0])).collect()
    } else {
        deltas
    };
    if varint {
        residuals.iter().for_each(|&r| put_zigzag(out, r));
    } else {
        put_for(out, &residuals);
    }
    flags
}

/// Encodes `values` with the smallest scheme; returns the value bits of the header.
pub(crate) fn encode_best(values: &[f64], out: &mut Vec<u8>) -> u8 {
    let mut best: Option<(u8, Vec<u8>)> = None;
    fn offer(best: &mut Option<(u8, Vec<u8>)>, flags: u8, buf: Vec<u8>) {
        if best.as_ref().is_none_or(|(_, b)| buf.len() < b.len()) {
            *best = Some((flags, buf));
        }
    }
    let Some(first) = values.first() else { return V_CONST };
    if values.iter().all(|v| v.to_bits() == first.to_bits()) {
        offer(&mut best, V_CONST, first.to_bits().to_le_bytes().to_vec());
    }
    let decs: Vec<Option<(i64, i32)>> = values.iter().map(|&v| to_decimal(v)).collect();
    let mut exps: Vec<i32> = decs.iter().flatten().map(|&(_, e)| e).collect();
    if !exps.is_empty() {
        exps.sort_unstable();
        // The exponent that fits every value, and one that leaves up to 1/16 of them as
        // exceptions (a stray 0.30000000000000004 must not blow up every other mantissa).
        let mut candidates = vec![exps[0], exps[exps.len() / 16]];
        candidates.dedup();
        for exp in candidates {
            let p = plan(values, &decs, exp);
            for (dod, varint) in [(false, false), (true, false), (false, true), (true, true)] {
                if dod && p.mants.len() < 3 {
                    continue;
                }
                let mut buf = Vec::new();
                let flags = put_decimal(&p, dod, varint, &mut buf);
                offer(&mut best, flags, buf);
            }
        }
    }
    // XOR costs at least a few bits per changing value: skip it (it is the slow candidate) when
    // a decimal scheme already does better than half a byte per value.
    if best.as_ref().is_none_or(|(_, b)| b.len() > 8 + values.len() / 2) {
        offer(&mut best, V_XOR, put_xor(values));
    }
    let (flags, buf) = best.expect("xor is always offered");
    out.extend_from_slice(&buf);
    flags
}

/// Encodes with Gorilla XOR only (the Prometheus baseline).
pub(crate) fn encode_xor(values: &[f64], out: &mut Vec<u8>) -> u8 {
    out.extend_from_slice(&put_xor(values));
    V_XOR
}

/// Cursor over the exception list, in index order.
#[derive(Clone, Debug)]
struct Exceptions<'a> {
    r: ByteReader<'a>,
    left: usize,
    /// Index of the next exception (`usize::MAX` when none is left) and its bits.
    next: usize,
    bits: u64,
}

impl<'a> Exceptions<'a> {
    fn none() -> Self {
        Exceptions { r: ByteReader::new(&[]), left: 0, next: usize::MAX, bits: 0 }
    }

    fn advance(&mut self, from: usize, n: usize) -> Result<(), ChunkError> {
        if self.left == 0 {
            self.next = usize::MAX;
            return Ok(());
        }
        self.left -= 1;
        let tok = self.r.varint()?;
        let idx = usize::try_from(tok >> 1).ok().and_then(|g| from.checked_add(g)).filter(|&i| i < n);
        self.next = idx.ok_or(ChunkError::Corrupt("exception index out of range"))?;
        self.bits = if tok & 1 == 1 { STALE_NAN_BITS } else { self.r.u64_le()? };
        Ok(())
    }
}

#[derive(Clone, Debug)]
enum Residuals<'a> {
    For(ForReader<'a>),
    Varint(ByteReader<'a>),
}

impl Residuals<'_> {
    fn next(&mut self) -> Result<i64, ChunkError> {
        match self {
            Residuals::For(f) => f.next(),
            Residuals::Varint(r) => r.zigzag(),
        }
    }
}

#[derive(Clone, Debug)]
enum Kind<'a> {
    Const(f64),
    Xor(XorReader<'a>),
    Dec { exp: i32, dod: bool, res: Residuals<'a>, j: usize, m: i64, d: i64, d1: i64 },
}

/// Streaming decoder of a value section of `n` values.
#[derive(Clone, Debug)]
pub(crate) struct ValueDecoder<'a> {
    kind: Kind<'a>,
    exc: Exceptions<'a>,
    n: usize,
    i: usize,
}

impl<'a> ValueDecoder<'a> {
    /// Parses the section (the rest of the chunk) for the header's value bits `flags`.
    pub(crate) fn new(flags: u8, data: &'a [u8], n: usize) -> Result<Self, ChunkError> {
        let mut r = ByteReader::new(data);
        let scheme = flags & 0b111;
        let mut exc = Exceptions::none();
        if n == 0 {
            return Ok(ValueDecoder { kind: Kind::Const(0.0), exc, n, i: 0 });
        }
        let kind = match scheme {
            V_XOR | V_CONST if flags & !0b111 != 0 => return Err(ChunkError::Corrupt("flags on a plain value scheme")),
            V_XOR => Kind::Xor(XorReader::new(data)),
            V_CONST => Kind::Const(f64::from_bits(r.u64_le()?)),
            V_DEC_DELTA | V_DEC_DOD => {
                let exp = r.zigzag()?;
                if !(-i64::from(MAX_EXP)..=i64::from(MAX_EXP)).contains(&exp) {
                    return Err(ChunkError::Corrupt("decimal exponent out of range"));
                }
                let mut k = n;
                if flags & F_EXCEPTIONS != 0 {
                    let count = r.varint()?;
                    if count == 0 || count > n as u64 {
                        return Err(ChunkError::Corrupt("exception count out of range"));
                    }
                    k = n - count as usize;
                    // Walk the list once to find where the mantissas start; it is decoded again
                    // lazily by the cursor, so nothing is allocated.
                    exc = Exceptions { r: r.clone(), left: count as usize, next: 0, bits: 0 };
                    let mut from = 0;
                    let mut scan = exc.clone();
                    for _ in 0..count {
                        scan.advance(from, n)?;
                        from = scan.next + 1;
                    }
                    r = scan.r.clone();
                    exc.advance(0, n)?;
                }
                let dod = scheme == V_DEC_DOD;
                let (mut m, mut d1) = (0, 0);
                if k >= 1 {
                    m = r.zigzag()?;
                }
                if dod && k >= 2 {
                    d1 = r.zigzag()?;
                }
                let count = k.saturating_sub(if dod { 2 } else { 1 });
                let res = if flags & F_VARINT != 0 {
                    Residuals::Varint(r)
                } else {
                    Residuals::For(ForReader::new(&mut r, count)?)
                };
                Kind::Dec { exp: exp as i32, dod, res, j: 0, m, d: 0, d1 }
            }
            _ => return Err(ChunkError::Corrupt("unknown value scheme")),
        };
        Ok(ValueDecoder { kind, exc, n, i: 0 })
    }

    /// The next value.
    pub(crate) fn next(&mut self) -> Result<f64, ChunkError> {
        if self.i >= self.n {
            return Err(ChunkError::Corrupt("read past the last value"));
        }
        let i = self.i;
        self.i += 1;
        if self.exc.next == i {
            let bits = self.exc.bits;
            self.exc.advance(i + 1, self.n)?;
            return Ok(f64::from_bits(bits));
        }
        match &mut self.kind {
            Kind::Const(v) => Ok(*v),
            Kind::Xor(x) => x.next(),
            Kind::Dec { exp, dod, res, j, m, d, d1 } => {
                match (*j, *dod) {
                    (0, _) => {}
                    (1, true) => {
                        *d = *d1;
                        *m = m.wrapping_add(*d);
                    }
                    (_, true) => {
                        *d = d.wrapping_add(res.next()?);
                        *m = m.wrapping_add(*d);
                    }
                    (_, false) => *m = m.wrapping_add(res.next()?),
                }
                *j += 1;
                Ok(from_decimal(*m, *exp))
            }
        }
    }
}
