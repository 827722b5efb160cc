//! Byte- and bit-level primitives of the chunk format: LEB128 varints, zigzag, an MSB-first bit
//! writer/reader, and frame-of-reference ("FOR") bit packing of integer residuals.
//!
//! Every reader checks lengths before touching a byte and reports [`ChunkError::Truncated`], so a
//! corrupt chunk can never make decoding panic or read out of bounds.

use super::ChunkError;

/// Zigzag-maps a signed integer so small magnitudes become small unsigned numbers.
pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Inverse of [`zigzag`].
pub(crate) fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// Appends `v` as an unsigned LEB128 varint (1..=10 bytes).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends `v` zigzag-mapped as a varint.
pub(crate) fn put_zigzag(out: &mut Vec<u8>, v: i64) {
    put_varint(out, zigzag(v));
}

/// A cursor over a byte slice; every read is bounds-checked.
#[derive(Clone, Debug)]
pub(crate) struct ByteReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        ByteReader { data, pos: 0 }
    }

    /// Bytes consumed so far.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes not consumed yet.
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ChunkError> {
        let b = *self.data.get(self.pos).ok_or(ChunkError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn u64_le(&mut self) -> Result<u64, ChunkError> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }

    /// The next `len` bytes as a slice.
    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8], ChunkError> {
        if len > self.remaining() {
            return Err(ChunkError::Truncated);
        }
        let s = &self.data[self.pos..self.pos + len];
        self.pos += len;
        Ok(s)
    }

    pub(crate) fn varint(&mut self) -> Result<u64, ChunkError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            // The 10th byte may only carry the top bit of a u64.
            if shift == 63 && b > 1 {
                return Err(ChunkError::Corrupt("varint overflows 64 bits"));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ChunkError::Corrupt("varint longer than 10 bytes"))
    }

    pub(crate) fn zigzag(&mut self) -> Result<i64, ChunkError> {
        self.varint().map(unzigzag)
    }
}

fn mask(n: u32) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// MSB-first bit writer.
#[derive(Default)]
pub(crate) struct BitWriter {
    buf: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// Writes the low `n` bits of `v` (n <= 64), most significant first.
    pub(crate) fn write(&mut self, v: u64, n: u32) {
        let mut left = n;
        while left > 0 {
            // Take at most 56 bits at a time so the accumulator (< 8 pending bits) never overflows.
            let take = left.min(56);
            let part = (v >> (left - take)) & mask(take);
            self.acc = (self.acc << take) | part;
            self.n += take;
            left -= take;
            while self.n >= 8 {
                self.n -= 8;
                self.buf.push((self.acc >> self.n) as u8);
            }
            self.acc &= mask(self.n);
        }
    }

    pub(crate) fn bit(&mut self, b: bool) {
        self.write(b as u64, 1);
    }

    /// Pads the last byte with zero bits and returns the bytes.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.buf.push((self.acc << (8 - self.n)) as u8);
        }
        self.buf
    }
}

/// MSB-first bit reader over a slice; reading past the end is [`ChunkError::Truncated`].
#[derive(Clone, Debug)]
pub(crate) struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        BitReader { data, pos: 0 }
    }

    /// Bytes touched so far (the partly read last byte counts).
    pub(crate) fn bytes_used(&self) -> usize {
        self.pos.div_ceil(8)
    }

    pub(crate) fn read(&mut self, n: u32) -> Result<u64, ChunkError> {
        if n == 0 {
            return Ok(0);
        }
        let end = self.pos + n as usize;
        if end > self.data.len() * 8 {
            return Err(ChunkError::Truncated);
        }
        // Fast path: gather up to 8 bytes big-endian and shift, when they are all in the slice.
        let byte = self.pos / 8;
        let off = (self.pos % 8) as u32;
        if n + off <= 64 && byte + 8 <= self.data.len() {
            let mut a = [0u8; 8];
            a.copy_from_slice(&self.data[byte..byte + 8]);
            let w = u64::from_be_bytes(a);
            self.pos = end;
            return Ok((w << off) >> (64 - n));
        }
        let mut out = 0u64;
        let mut need = n;
        while need > 0 {
            let b = self.data[self.pos / 8];
            let off = (self.pos % 8) as u32;
            let avail = 8 - off;
            let take = avail.min(need);
            let bits = (u64::from(b) >> (avail - take)) & mask(take);
            out = if take == 64 { bits } else { (out << take) | bits };
            need -= take;
            self.pos += take as usize;
        }
        Ok(out)
    }

    pub(crate) fn bit(&mut self) -> Result<bool, ChunkError> {
        Ok(self.read(1)? == 1)
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Width byte value that announces mixed-radix packing instead of a bit width.
const MIXED_RADIX: u8 = 0x41;

/// Mixed-radix group of values in `0..radix`: `k` values per group, as many as fit one u64.
/// Returns `(k, bits of a full group)`.
fn radix_group(radix: u64) -> (usize, u32) {
    let mut k = 1usize;
    let mut pow = u128::from(radix);
    while pow * u128::from(radix) <= 1u128 << 64 {
        pow *= u128::from(radix);
        k += 1;
    }
    (k, radix_bits(radix, k))
}

/// Bits needed for `j` digits in base `radix` (the bit length of `radix^j - 1`).
fn radix_bits(radix: u64, j: usize) -> u32 {
    let pow = (0..j).fold(1u128, |p, _| p * u128::from(radix));
    128 - (pow - 1).leading_zeros()
}

fn mixed_radix_len(radix: u64, count: usize) -> Option<usize> {
    if !(2..=1 << 32).contains(&radix) {
        return None;
    }
    let (k, bits) = radix_group(radix);
    Some(((count / k) * bits as usize + radix_bits(radix, count % k) as usize).div_ceil(8))
}

/// Frame-of-reference packing of `residuals`: `zigzag varint min`, one byte `width | 0x80 if a
/// gcd follows`, `[varint gcd]`, then `(r - min) / gcd` in `width` bits each. The gcd catches
/// values on a grid (bytes in 4096-byte pages, timestamps in whole seconds) for one extra byte.
///
/// When it is smaller, the width byte is `0x41` (`| 0x80`), followed by `varint max` after the
/// gcd, and the values are mixed-radix packed in base `max + 1`: groups of as many values as fit
/// a u64, each group in the bits its range needs. Uniform noise over, say, 0..450 then costs
/// log2(450) = 8.8 bits a value instead of 9.
pub(crate) fn put_for(out: &mut Vec<u8>, residuals: &[i64]) {
    let Some(&min) = residuals.iter().min() else { return };
    // Usually 1 after a few values; then neither more gcd steps nor divisions are needed (this
    // runs for several candidate encodings of every chunk sealed).
    let mut g = 0u64;
    for &r in residuals {
        g = gcd(g, r.wrapping_sub(min) as u64);
        if g == 1 {
            break;
        }
    }
    let g = g.max(1);
    let scaled = |r: i64| if g == 1 { r.wrapping_sub(min) as u64 } else { r.wrapping_sub(min) as u64 / g };
    let max = residuals.iter().map(|&r| scaled(r)).max().unwrap_or(0);
    let width = 64 - max.leading_zeros();
    let plain = (width as usize * residuals.len()).div_ceil(8);
    let mixed = mixed_radix_len(max + 1, residuals.len()).filter(|&m| m + varint_len(max) < plain);
    put_zigzag(out, min);
    let gflag = if g > 1 { 0x80 } else { 0 };
    out.push(if mixed.is_some() { MIXED_RADIX } else { width as u8 } | gflag);
    if g > 1 {
        put_varint(out, g);
    }
    let mut w = BitWriter::default();
    if mixed.is_some() {
        put_varint(out, max);
        let radix = max + 1;
        let (k, bits) = radix_group(radix);
        for group in residuals.chunks(k) {
            let c = group.iter().rev().fold(0u64, |c, &r| c * radix + scaled(r));
            let bits = if group.len() == k { bits } else { radix_bits(radix, group.len()) };
            w.write(c, bits);
        }
    } else if width > 0 {
        for &r in residuals {
            w.write(scaled(r), width);
        }
    }
    out.extend_from_slice(&w.finish());
}

fn varint_len(v: u64) -> usize {
    (64 - v.leading_zeros() as usize).div_ceil(7).max(1)
}

/// Reader of a [`put_for`] section holding `count` residuals.
#[derive(Clone, Debug)]
pub(crate) struct ForReader<'a> {
    bits: BitReader<'a>,
    min: i64,
    width: u32,
    gcd: u64,
    /// Mixed radix: base (0 for plain bit packing), values per group, bits per full group,
    /// values not read yet, the current group and the values left in it.
    radix: u64,
    k: usize,
    group_bits: u32,
    left: usize,
    group: u64,
    in_group: usize,
}

impl<'a> ForReader<'a> {
    /// Parses the section header and claims its packed bytes from `r`.
    pub(crate) fn new(r: &mut ByteReader<'a>, count: usize) -> Result<Self, ChunkError> {
        let mut f = ForReader {
            bits: BitReader::new(&[]),
            min: 0,
            width: 0,
            gcd: 1,
            radix: 0,
            k: 0,
            group_bits: 0,
            left: count,
            group: 0,
            in_group: 0,
        };
        if count == 0 {
            return Ok(f);
        }
        f.min = r.zigzag()?;
        let wb = r.u8()?;
        if wb & 0x80 != 0 {
            f.gcd = r.varint()?;
        }
        let len = if wb & 0x7f == MIXED_RADIX {
            f.radix = r.varint()?.wrapping_add(1);
            let len = mixed_radix_len(f.radix, count).ok_or(ChunkError::Corrupt("radix out of range"))?;
            (f.k, f.group_bits) = radix_group(f.radix);
            len
        } else {
            f.width = u32::from(wb & 0x7f);
            if f.width > 64 {
                return Err(ChunkError::Corrupt("bit width over 64"));
            }
            (f.width as usize * count).div_ceil(8)
        };
        f.bits = BitReader::new(r.take(len)?);
        Ok(f)
    }

    pub(crate) fn next(&mut self) -> Result<i64, ChunkError> {
        let u = if self.radix == 0 {
            self.bits.read(self.width)?
        } else {
            if self.in_group == 0 {
                if self.left == 0 {
                    return Err(ChunkError::Corrupt("read past the packed values"));
                }
                let j = self.k.min(self.left);
                let bits = if j == self.k { self.group_bits } else { radix_bits(self.radix, j) };
                self.group = self.bits.read(bits)?;
                self.in_group = j;
            }
            let d = self.group % self.radix;
            self.group /= self.radix;
            self.in_group -= 1;
            d
        };
        self.left = self.left.saturating_sub(1);
        Ok(self.min.wrapping_add(u.wrapping_mul(self.gcd) as i64))
    }
}
