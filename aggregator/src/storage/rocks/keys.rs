//! Byte layout of every key and index value in the RocksDB store.
//!
//! Column families:
//!
//! | CF         | key                                              | value                     |
//! |------------|--------------------------------------------------|---------------------------|
//! | `series`   | series id (u64 BE)                               | encoded labels            |
//! | `postings` | esc(name) 0x00 esc(value) 0x00 series id (u64 BE) | empty                     |
//! | `chunks`   | partition, series id, start (see `chunks.rs`)     | chunk (see `chunks.rs`)   |
//! | `meta`     | `format`, `checkpoint/<stream>`                   | u64 BE                    |
//!
//! Everything is big-endian so that RocksDB's bytewise order is the order we iterate in: postings
//! of one `name=value` are contiguous and sorted by series id, and a series' samples are
//! contiguous and sorted by time.
//!
//! There is no labels → id table: a series' id is the hash of its labels, or on a collision the
//! first free id after it (open addressing, see `index::find`), so `series` answers both ways.
//! Ids are never removed, so a probe chain has no gaps.

use super::super::StorageError;
use crate::storage::chunk::put_varint;
use pharos_protocol::{Label, Labels};

/// CF: series id → labels.
pub(crate) const CF_SERIES: &str = "series";
/// CF: label pair + series id → empty.
pub(crate) const CF_POSTINGS: &str = "postings";
/// CF: partition + series id + start → chunk.
pub(crate) const CF_CHUNKS: &str = "chunks";
/// CF: checkpoints, counters, format version.
pub(crate) const CF_META: &str = "meta";
/// All column families, in the order they are opened.
pub(crate) const ALL_CFS: [&str; 4] = [CF_SERIES, CF_POSTINGS, CF_CHUNKS, CF_META];

/// Meta key of the on-disk format version.
pub(crate) const META_FORMAT: &[u8] = b"format";
/// The format this code writes and understands (2 had a `labels` CF).
pub(crate) const FORMAT_VERSION: u64 = 3;
/// Meta key of the chunk sequence number at the last checkpoint.
pub(crate) const META_CHUNK_SEQ: &[u8] = b"chunks/seq";
/// Prefix of checkpoint keys in `meta`.
const META_CHECKPOINT_PREFIX: &[u8] = b"checkpoint/";

/// Meta key of a stream's checkpoint.
pub(crate) fn checkpoint_key(stream: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(META_CHECKPOINT_PREFIX.len() + stream.len());
    k.extend_from_slice(META_CHECKPOINT_PREFIX);
    k.extend_from_slice(stream.as_bytes());
    k
}

/// Decodes a u64 stored big-endian; `what` names the value for the error message.
pub(crate) fn decode_u64(bytes: &[u8], what: &str) -> Result<u64, StorageError> {
    let arr: [u8; 8] = bytes
        .try_into()
        .map_err(|_| StorageError::Corrupt(format!("{what}: expected 8 bytes, found {}", bytes.len())))?;
    Ok(u64::from_be_bytes(arr))
}

// ---------------------------------------------------------------------------------------------
// Labels encoding (value of `series`).
//
// varint(count) then per label varint(len) name, varint(len) value. `Labels` is normalised
// (sorted, unique names) so the encoding of a label set is canonical and can serve as a key.

/// Reads a LEB128 varint at `pos`, advancing it; truncation is corruption.
pub(crate) fn get_varint(bytes: &[u8], pos: &mut usize) -> Result<u64, StorageError> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos).ok_or_else(|| StorageError::Corrupt("truncated varint".into()))?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(StorageError::Corrupt("varint too long".into()))
}

fn get_str(bytes: &[u8], pos: &mut usize) -> Result<String, StorageError> {
    let len = usize::try_from(get_varint(bytes, pos)?)
        .map_err(|_| StorageError::Corrupt("labels: length overflows usize".into()))?;
    let end = pos
        .checked_add(len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(|| StorageError::Corrupt("labels: string runs past the end".into()))?;
    let s = std::str::from_utf8(&bytes[*pos..end])
        .map_err(|e| StorageError::Corrupt(format!("labels: invalid UTF-8: {e}")))?;
    *pos = end;
    Ok(s.to_string())
}

/// Encodes a label set canonically.
pub(crate) fn encode_labels(labels: &Labels) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + labels.iter().map(|l| l.name.len() + l.value.len() + 2).sum::<usize>());
    put_varint(&mut out, labels.len() as u64);
    for l in labels {
        put_varint(&mut out, l.name.len() as u64);
        out.extend_from_slice(l.name.as_bytes());
        put_varint(&mut out, l.value.len() as u64);
        out.extend_from_slice(l.value.as_bytes());
    }
    out
}

/// Decodes [`encode_labels`]' output; any malformation is [`StorageError::Corrupt`].
pub(crate) fn decode_labels(bytes: &[u8]) -> Result<Labels, StorageError> {
    let mut pos = 0;
    let count = get_varint(bytes, &mut pos)?;
    // Every label takes at least two bytes, which bounds a corrupt count before allocating.
    if count > (bytes.len() as u64) / 2 {
        return Err(StorageError::Corrupt(format!("labels: count {count} exceeds data")));
    }
    let mut v = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let name = get_str(bytes, &mut pos)?;
        let value = get_str(bytes, &mut pos)?;
        v.push(Label { name, value });
    }
    if pos != bytes.len() {
        return Err(StorageError::Corrupt("labels: trailing bytes".into()));
    }
    Ok(Labels::from_vec(v))
}

// ---------------------------------------------------------------------------------------------
// Postings keys.
//
// Names and values may contain any byte, including the 0x00 separator, so they are escaped:
// 0x00 → 0x01 0x01 and 0x01 → 0x01 0x02. The escape keeps byte order, and an escaped string has
// no 0x00, so the separator sorts below every continuation: all postings of one value are
// contiguous and `esc(v) 0x01` is a seek target just past them.

fn escape_into(out: &mut Vec<u8>, s: &[u8]) {
    for &b in s {
        match b {
            0x00 => out.extend_from_slice(&[0x01, 0x01]),
            0x01 => out.extend_from_slice(&[0x01, 0x02]),
            b => out.push(b),
        }
    }
}

fn unescape(s: &[u8]) -> Result<String, StorageError> {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.iter();
    while let Some(&b) = it.next() {
        if b == 0x01 {
            match it.next() {
                Some(0x01) => out.push(0x00),
                Some(0x02) => out.push(0x01),
                _ => return Err(StorageError::Corrupt("postings: bad escape".into())),
            }
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).map_err(|e| StorageError::Corrupt(format!("postings: invalid UTF-8: {e}")))
}

/// `esc(name) 0x00`: prefix of every posting of label `name`.
pub(crate) fn postings_name_prefix(name: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(name.len() + 1);
    escape_into(&mut k, name.as_bytes());
    k.push(0x00);
    k
}

/// `esc(name) 0x00 esc(value) 0x00`: prefix of the postings of `name=value`.
/// `esc(s)`: byte stuffing keeps prefixes, so `esc(p)` starts `esc(v)` whenever `p` starts `v`.
pub(crate) fn escape_component(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    escape_into(&mut out, s.as_bytes());
    out
}

pub(crate) fn postings_value_prefix(name: &str, value: &str) -> Vec<u8> {
    let mut k = postings_name_prefix(name);
    escape_into(&mut k, value.as_bytes());
    k.push(0x00);
    k
}

/// The full postings key of `name=value` for series `id`.
pub(crate) fn postings_key(name: &str, value: &str, id: u64) -> Vec<u8> {
    let mut k = postings_value_prefix(name, value);
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The smallest key greater than every key starting with `prefix`, or `None` if there is none
/// (prefix all 0xff). Used as an exclusive iterate upper bound.
pub(crate) fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut k = prefix.to_vec();
    while let Some(last) = k.pop() {
        if last < 0xff {
            k.push(last + 1);
            return Some(k);
        }
    }
    None
}

/// Splits the part of a postings key after a prefix (empty, or `esc(name) 0x00`) into the next
/// escaped component (a name or a value) and the series id the key ends with.
pub(crate) fn split_posting(rest: &[u8]) -> Result<(&[u8], u64), StorageError> {
    let sep = rest
        .iter()
        .position(|&b| b == 0x00)
        .ok_or_else(|| StorageError::Corrupt("postings: missing separator".into()))?;
    // Every postings key ends in 0x00 and the 8-byte id, whatever the prefix.
    let id_at = rest.len().checked_sub(8).filter(|&i| i > sep && rest[i - 1] == 0x00);
    match id_at {
        Some(i) => Ok((&rest[..sep], decode_u64(&rest[i..], "postings series id")?)),
        None => Err(StorageError::Corrupt("postings: key too short".into())),
    }
}

/// Decodes an escaped name or value returned by [`split_posting`].
pub(crate) fn unescape_component(escaped: &[u8]) -> Result<String, StorageError> {
    unescape(escaped)
}

// ---------------------------------------------------------------------------------------------
// Timestamps in keys: the sign bit flipped, big-endian. Flipping the sign bit maps
// i64::MIN..=i64::MAX monotonically onto 0..=u64::MAX, so byte order is time order even across
// the epoch.

/// Order-preserving encoding of a timestamp.
pub(crate) fn encode_ts(ts: i64) -> [u8; 8] {
    ((ts as u64) ^ (1 << 63)).to_be_bytes()
}

/// Inverse of [`encode_ts`].
pub(crate) fn decode_ts(b: [u8; 8]) -> i64 {
    (u64::from_be_bytes(b) ^ (1 << 63)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_encoding_preserves_order() {
        let ts = [i64::MIN, i64::MIN + 1, -1_000, -1, 0, 1, 1_000, i64::MAX - 1, i64::MAX];
        for w in ts.windows(2) {
            assert!(encode_ts(w[0]) < encode_ts(w[1]), "{} vs {}", w[0], w[1]);
        }
        for t in ts {
            assert_eq!(decode_ts(encode_ts(t)), t);
        }
    }

    #[test]
    fn labels_round_trip_and_reject_garbage() {
        let l = Labels::from_pairs([("__name__", "up"), ("a\0b", "x\u{1}y"), ("z", "é")]);
        assert_eq!(decode_labels(&encode_labels(&l)).unwrap(), l);
        assert_eq!(decode_labels(&encode_labels(&Labels::default())).unwrap(), Labels::default());
        for bad in
            [&b""[..], b"\x01", b"\x01\x05ab", b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", b"\x01\x01\xff\x00"]
        {
            assert!(matches!(decode_labels(bad), Err(StorageError::Corrupt(_))), "{bad:?}");
        }
        let mut trailing = encode_labels(&l);
        trailing.push(0);
        assert!(decode_labels(&trailing).is_err());
    }

    #[test]
    fn postings_escape_keeps_order_and_contiguity() {
        let values = ["", "\0", "\0\0", "\u{1}", "a", "a\0", "a\0b", "a\u{1}", "ab", "b"];
        let keys: Vec<Vec<u8>> = values.iter().map(|v| postings_key("n", v, u64::MAX)).collect();
        let lows: Vec<Vec<u8>> = values.iter().map(|v| postings_key("n", v, 0)).collect();
        for i in 1..values.len() {
            // Highest key of a value sorts below the lowest key of the next value.
            assert!(keys[i - 1] < lows[i], "{:?} vs {:?}", values[i - 1], values[i]);
        }
        for v in values {
            let k = postings_key("n\0x", v, 7);
            let (name, id) = split_posting(&k).unwrap();
            assert_eq!((unescape_component(name).unwrap().as_str(), id), ("n\0x", 7));
            let prefix = postings_name_prefix("n\0x");
            let (value, id) = split_posting(&k[prefix.len()..]).unwrap();
            assert_eq!((unescape_component(value).unwrap().as_str(), id), (v, 7));
        }
        assert!(split_posting(b"abc").is_err());
        assert!(split_posting(b"abc\x00123").is_err());
        assert!(split_posting(b"abc\0x12345678").is_err());
        assert!(unescape(b"\x01\x03").is_err());
    }

    #[test]
    fn prefix_successor_bounds_the_prefix() {
        assert_eq!(prefix_successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_successor(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(prefix_successor(b"\xff\xff"), None);
    }
}
