//! The `samples` column family: one key per sample, `(series id, timestamp)` → value.
//!
//! The value is the 8 raw bytes of the f64 (big-endian bits), which preserves every NaN payload —
//! in particular Prometheus' staleness marker. This is the simple first encoding; chunked
//! Gorilla/XOR storage replaces this module behind the same functions.

use super::keys::{self, CF_SAMPLES};
use super::{backend, Counters};
use crate::storage::StorageError;
use pharos_protocol::Sample;
use rocksdb::{ReadOptions, WriteBatch, DB};
use std::sync::atomic::Ordering;

/// Encodes a sample value.
fn encode_value(v: f64) -> [u8; 8] {
    v.to_bits().to_be_bytes()
}

/// Decodes a sample value; anything but 8 bytes is corrupt.
fn decode_value(b: &[u8]) -> Result<f64, StorageError> {
    Ok(f64::from_bits(keys::decode_u64(b, "sample value")?))
}

/// Adds series `id`'s samples to a write batch; a later put of the same `(id, ts)` overwrites
/// an earlier one, in the batch as in the store.
pub(crate) fn put_all(db: &DB, batch: &mut WriteBatch, id: u64, samples: &[Sample]) -> Result<(), StorageError> {
    let cf = super::cf(db, CF_SAMPLES)?;
    for s in samples {
        batch.put_cf(cf, keys::sample_key(id, s.timestamp_ms), encode_value(s.value));
    }
    Ok(())
}

/// Reads samples of many series through one iterator: creating a RocksDB iterator costs far
/// more than a seek, and one iterator also gives the whole query one consistent view.
pub(crate) struct Reader<'a> {
    it: rocksdb::DBRawIterator<'a>,
    counters: &'a Counters,
}

impl<'a> Reader<'a> {
    /// A reader over the `samples` CF.
    pub(crate) fn new(db: &'a DB, counters: &'a Counters) -> Result<Self, StorageError> {
        // No iterate bounds: they would be per series. Each scan stops at its own end key, so a
        // seek past a series' samples reads at most one key of the next series.
        let it = db.raw_iterator_cf_opt(super::cf(db, CF_SAMPLES)?, ReadOptions::default());
        Ok(Reader { it, counters })
    }

    /// Series `id`'s samples with timestamps in `[start_ms, end_ms]`, in time order.
    pub(crate) fn scan(&mut self, id: u64, start_ms: i64, end_ms: i64) -> Result<Vec<Sample>, StorageError> {
        let mut out = Vec::new();
        if start_ms > end_ms {
            return Ok(out);
        }
        let end_key = keys::sample_key(id, end_ms);
        self.it.seek(keys::sample_key(id, start_ms));
        let mut read = 0u64;
        while let Some((k, v)) = self.it.item() {
            read += 1;
            if k > &end_key[..] {
                break;
            }
            let (_, timestamp_ms) = keys::decode_sample_key(k)?;
            out.push(Sample { timestamp_ms, value: decode_value(v)? });
            self.it.next();
        }
        self.it.status().map_err(backend)?;
        self.counters.sample_keys_read.fetch_add(read, Ordering::Relaxed);
        Ok(out)
    }

    /// Whether series `id` has at least one sample in `[start_ms, end_ms]`: one seek.
    pub(crate) fn has_any(&mut self, id: u64, start_ms: i64, end_ms: i64) -> Result<bool, StorageError> {
        if start_ms > end_ms {
            return Ok(false);
        }
        self.it.seek(keys::sample_key(id, start_ms));
        let found = match self.it.key() {
            // Keys from the seek target on are ≥ (id, start); ≤ (id, end) means in range.
            Some(k) => k <= &keys::sample_key(id, end_ms)[..],
            None => false,
        };
        self.it.status().map_err(backend)?;
        self.counters.sample_keys_read.fetch_add(1, Ordering::Relaxed);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_bits() {
        for bits in [pharos_protocol::model::STALE_NAN_BITS, f64::NAN.to_bits(), (-0.0f64).to_bits(), 1, u64::MAX] {
            assert_eq!(decode_value(&encode_value(f64::from_bits(bits))).unwrap().to_bits(), bits);
        }
        assert!(matches!(decode_value(b"1234567"), Err(StorageError::Corrupt(_))));
    }
}
