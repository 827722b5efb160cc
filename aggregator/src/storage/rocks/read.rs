//! Reading a series' samples: its stored chunks (one RocksDB iterator for the whole query) merged
//! with its open chunk in the head.

use super::chunks::{self, MAX_CHUNK_SPAN_MS};
use super::keys::{encode_ts, CF_CHUNKS};
use super::{backend, Counters};
use crate::storage::StorageError;
use pharos_protocol::Sample;
use rocksdb::{ReadOptions, DB};
use std::sync::atomic::Ordering;

/// Reads chunks of many series through one iterator: creating a RocksDB iterator costs far
/// more than a seek, and one iterator gives the whole query one consistent view.
pub(crate) struct Reader<'a> {
    it: rocksdb::DBRawIterator<'a>,
    counters: &'a Counters,
    /// Partitions that hold chunks, ascending (a snapshot taken with the iterator).
    partitions: Vec<i64>,
}

fn seek_key(p: i64, id: u64, ts: i64) -> [u8; chunks::KEY_LEN] {
    let mut k = [0u8; chunks::KEY_LEN];
    k[..8].copy_from_slice(&encode_ts(p));
    k[8..16].copy_from_slice(&id.to_be_bytes());
    k[16..].copy_from_slice(&encode_ts(ts));
    k
}

/// Whether any sample of the sorted `samples` lies in `[start, end]`.
pub(crate) fn any_in(samples: &[Sample], start: i64, end: i64) -> bool {
    let i = samples.partition_point(|s| s.timestamp_ms < start);
    samples.get(i).is_some_and(|s| s.timestamp_ms <= end)
}

impl<'a> Reader<'a> {
    /// A reader over the `chunks` CF.
    pub(crate) fn new(db: &'a DB, counters: &'a Counters, partitions: Vec<i64>) -> Result<Self, StorageError> {
        let it = db.raw_iterator_cf_opt(super::cf(db, CF_CHUNKS)?, ReadOptions::default());
        Ok(Reader { it, counters, partitions })
    }

    /// Calls `f(start, header, value)` for each stored chunk of `id` that may hold samples in
    /// `[start_ms, end_ms]`, in key order; `f` returns false to stop.
    fn walk(
        &mut self,
        id: u64,
        start_ms: i64,
        end_ms: i64,
        mut f: impl FnMut(i64, chunks::Header, &[u8]) -> Result<bool, StorageError>,
    ) -> Result<(), StorageError> {
        let lo = self.partitions.partition_point(|&p| p < chunks::partition(start_ms));
        let mut read = 0u64;
        for i in lo..self.partitions.len() {
            let p = self.partitions[i];
            if chunks::partition_start(p) > end_ms {
                break;
            }
            // Chunks span less than MAX_CHUNK_SPAN_MS, so none starting earlier reaches start_ms.
            let from = start_ms.saturating_sub(MAX_CHUNK_SPAN_MS).max(chunks::partition_start(p));
            let seek = seek_key(p, id, from);
            self.it.seek(seek);
            while let Some((k, v)) = self.it.item() {
                read += 1;
                if k.len() != chunks::KEY_LEN || k[..16] != seek[..16] {
                    break;
                }
                let (_, _, start) = chunks::decode_key(k)?;
                if start > end_ms {
                    break;
                }
                let (h, _) = chunks::header(v)?;
                if start.saturating_add(h.span) >= start_ms && !f(start, h, v)? {
                    self.it.status().map_err(backend)?;
                    self.counters.chunks_read.fetch_add(read, Ordering::Relaxed);
                    return Ok(());
                }
                self.it.next();
            }
            self.it.status().map_err(backend)?;
        }
        self.counters.chunks_read.fetch_add(read, Ordering::Relaxed);
        Ok(())
    }

    /// Series `id`'s stored samples in `[start_ms, end_ms]` merged with `head` (the open chunk's
    /// samples, which win on an equal timestamp), in time order.
    pub(crate) fn scan(
        &mut self,
        id: u64,
        start_ms: i64,
        end_ms: i64,
        head: Vec<Sample>,
    ) -> Result<Vec<Sample>, StorageError> {
        if start_ms > end_ms {
            return Ok(Vec::new());
        }
        let mut runs: Vec<(u64, Vec<Sample>)> = Vec::new();
        self.walk(id, start_ms, end_ms, |_, h, v| {
            let mut s = chunks::decode(v)?;
            s.retain(|x| x.timestamp_ms >= start_ms && x.timestamp_ms <= end_ms);
            runs.push((h.seq, s));
            Ok(true)
        })?;
        let mut head = head;
        head.retain(|x| x.timestamp_ms >= start_ms && x.timestamp_ms <= end_ms);
        // The open chunk is newer than anything stored.
        runs.push((u64::MAX, head));
        Ok(chunks::union_by_seq(runs).1)
    }

    /// Whether series `id` has a stored sample in `[start_ms, end_ms]`.
    pub(crate) fn has_any(&mut self, id: u64, start_ms: i64, end_ms: i64) -> Result<bool, StorageError> {
        if start_ms > end_ms {
            return Ok(false);
        }
        let mut found = false;
        self.walk(id, start_ms, end_ms, |start, h, v| {
            let end = start.saturating_add(h.span);
            // The first and last samples are at `start` and `end`; only a chunk straddling the
            // whole range needs decoding to see whether a sample falls inside it.
            found = (start >= start_ms && start <= end_ms)
                || (end >= start_ms && end <= end_ms)
                || any_in(&chunks::decode(v)?, start_ms, end_ms);
            Ok(!found)
        })?;
        Ok(found)
    }
}
