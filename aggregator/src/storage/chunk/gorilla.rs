//! Gorilla-style bit streams as Prometheus' XOR chunks use them: the fallback for values that are
//! not decimals, and one of the timestamp schemes (and the "Gorilla only" baseline).

use super::bits::{BitReader, BitWriter};
use super::ChunkError;

/// Delta-of-delta buckets (bits of the two's-complement payload) after a `1…10` prefix, as in
/// Prometheus' `chunkenc`; anything larger is written in full with the `1111` prefix.
const DOD_BUCKETS: [u32; 3] = [14, 17, 20];

fn fits(v: i64, bits: u32) -> bool {
    let lim = 1i64 << (bits - 1);
    (-lim..lim).contains(&v)
}

/// Writes delta-of-deltas: `0` for zero, else a bucket prefix and the value.
pub(crate) fn put_dods(dods: impl Iterator<Item = i64>) -> Vec<u8> {
    let mut w = BitWriter::default();
    for dod in dods {
        if dod == 0 {
            w.bit(false);
            continue;
        }
        match DOD_BUCKETS.iter().position(|&b| fits(dod, b)) {
            Some(i) => {
                // Prefix: i + 1 ones and a zero ("10", "110", "1110").
                w.write((1u64 << (i + 2)) - 2, i as u32 + 2);
                w.write(dod as u64, DOD_BUCKETS[i]);
            }
            None => {
                w.write(0b1111, 4);
                w.write(dod as u64, 64);
            }
        }
    }
    w.finish()
}

/// Reads what [`put_dods`] wrote.
#[derive(Clone, Debug)]
pub(crate) struct DodReader<'a> {
    bits: BitReader<'a>,
}

impl<'a> DodReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        DodReader { bits: BitReader::new(data) }
    }

    pub(crate) fn bytes_used(&self) -> usize {
        self.bits.bytes_used()
    }

    pub(crate) fn next(&mut self) -> Result<i64, ChunkError> {
        let mut ones = 0;
        while ones < 4 && self.bits.bit()? {
            ones += 1;
        }
        if ones == 0 {
            return Ok(0);
        }
        if ones == 4 {
            return Ok(self.bits.read(64)? as i64);
        }
        let n = DOD_BUCKETS[ones - 1];
        let raw = self.bits.read(n)?;
        // Sign-extend the n-bit two's complement value.
        Ok(((raw << (64 - n)) as i64) >> (64 - n))
    }
}

/// Prometheus' XOR value encoding: the first value in full, then per value `0` if the bits repeat,
/// `10` + the meaningful bits if they fit the previous leading/trailing-zero window, else `11` +
/// 5 bits of leading zeros + 6 bits of length + the meaningful bits.
pub(crate) fn put_xor(values: &[f64]) -> Vec<u8> {
    let mut w = BitWriter::default();
    let Some(first) = values.first() else { return w.finish() };
    w.write(first.to_bits(), 64);
    let mut prev = first.to_bits();
    // No window yet: 0xff leading zeros can never be satisfied.
    let (mut lead, mut trail) = (0xffu32, 0u32);
    for v in &values[1..] {
        let bits = v.to_bits();
        let x = bits ^ prev;
        prev = bits;
        if x == 0 {
            w.bit(false);
            continue;
        }
        w.bit(true);
        let l = x.leading_zeros().min(31);
        let t = x.trailing_zeros();
        if lead != 0xff && l >= lead && t >= trail {
            w.bit(false);
            w.write(x >> trail, 64 - lead - trail);
        } else {
            lead = l;
            trail = t;
            let sig = 64 - l - t;
            w.bit(true);
            w.write(u64::from(l), 5);
            // 64 significant bits are written as 0: 6 bits cannot hold 64 and 0 never occurs.
            w.write(u64::from(sig & 63), 6);
            w.write(x >> t, sig);
        }
    }
    w.finish()
}

/// Reads what [`put_xor`] wrote.
#[derive(Clone, Debug)]
pub(crate) struct XorReader<'a> {
    bits: BitReader<'a>,
    prev: u64,
    lead: u32,
    trail: u32,
    started: bool,
}

impl<'a> XorReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        XorReader { bits: BitReader::new(data), prev: 0, lead: 0xff, trail: 0, started: false }
    }

    pub(crate) fn next(&mut self) -> Result<f64, ChunkError> {
        if !self.started {
            self.started = true;
            self.prev = self.bits.read(64)?;
            return Ok(f64::from_bits(self.prev));
        }
        if self.bits.bit()? {
            let x = if self.bits.bit()? {
                let l = self.bits.read(5)? as u32;
                let mut sig = self.bits.read(6)? as u32;
                if sig == 0 {
                    sig = 64;
                }
                if l + sig > 64 {
                    return Err(ChunkError::Corrupt("xor window wider than 64 bits"));
                }
                self.lead = l;
                self.trail = 64 - l - sig;
                self.bits.read(sig)? << self.trail
            } else {
                if self.lead == 0xff {
                    return Err(ChunkError::Corrupt("xor window reused before it was set"));
                }
                self.bits.read(64 - self.lead - self.trail)? << self.trail
            };
            self.prev ^= x;
        }
        Ok(f64::from_bits(self.prev))
    }
}
