//! The `chunks` column family: sealed chunks of samples, keyed `(partition, series id, start)`.
//!
//! Invariants every writer keeps, which the reader relies on:
//! - a chunk's samples lie in `[start, start + MAX_CHUNK_SPAN_MS)` and in one partition (day);
//! - chunks are written with RocksDB's merge, never a blind put: the merge operator unions a new
//!   chunk with whatever is already stored under its key (the later write wins on an equal
//!   timestamp). A checkpoint's snapshot of an open chunk is later merged with the sealed chunk,
//!   and a chunk that happens to start where an older one did (a replay after a restart) cannot
//!   erase it.
//!
//! Chunks of one series may still overlap (out-of-order writes, a restart's new head); readers
//! merge them in write order, so the later write wins on an equal timestamp. Write order is the
//! chunk's sequence number, from a counter that only grows (across restarts too), because key
//! order is start order, not write order.
//!
//! Value: `kind u8, varint seq, varint count, varint (end - start), payload`; kind 0 is the
//! sealed-chunk codec (`storage::chunk`), kind 1 the head's streaming format (`headchunk`), which
//! checkpoints write.

use super::headchunk;
use super::keys::encode_ts;
use super::keys::get_varint;
use crate::storage::chunk::put_varint;
use crate::storage::{chunk, StorageError};
use pharos_protocol::Sample;

/// Length of a partition: one day.
pub(crate) const PARTITION_MS: i64 = 86_400_000;
/// Upper bound of a chunk's span (see the module invariants): what readers seek back by.
/// The head cuts at [`HEAD_MAX_SPAN_MS`]; compaction merges up to this.
pub(crate) const MAX_CHUNK_SPAN_MS: i64 = 12 * 3_600_000;
/// Span after which the head cuts its open chunk, and the longest out-of-order chunk.
pub(crate) const HEAD_MAX_SPAN_MS: i64 = 2 * 3_600_000;
/// Length of a chunk key.
pub(crate) const KEY_LEN: usize = 24;

const KIND_CODEC: u8 = 0;
const KIND_HEAD: u8 = 1;

/// The partition (day number) of a timestamp.
pub(crate) fn partition(ts: i64) -> i64 {
    ts.div_euclid(PARTITION_MS)
}

/// First timestamp of a partition.
pub(crate) fn partition_start(p: i64) -> i64 {
    p.saturating_mul(PARTITION_MS)
}

/// The key of series `id`'s chunk starting at `start`.
pub(crate) fn key(id: u64, start: i64) -> [u8; KEY_LEN] {
    let mut k = [0u8; KEY_LEN];
    k[..8].copy_from_slice(&encode_ts(partition(start)));
    k[8..16].copy_from_slice(&id.to_be_bytes());
    k[16..].copy_from_slice(&encode_ts(start));
    k
}

/// The first key of partition `p` (all its keys are ≥ it and < `partition_prefix(p + 1)`).
pub(crate) fn partition_prefix(p: i64) -> [u8; 8] {
    encode_ts(p)
}

/// Splits a key into (partition, id, start).
pub(crate) fn decode_key(k: &[u8]) -> Result<(i64, u64, i64), StorageError> {
    let k: &[u8; KEY_LEN] =
        k.try_into().map_err(|_| StorageError::Corrupt(format!("chunks: key of {} bytes", k.len())))?;
    let part = |r: std::ops::Range<usize>| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&k[r]);
        b
    };
    Ok((super::keys::decode_ts(part(0..8)), u64::from_be_bytes(part(8..16)), super::keys::decode_ts(part(16..24))))
}

fn value(kind: u8, seq: u64, count: usize, span: i64, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 20);
    out.push(kind);
    put_varint(&mut out, seq);
    put_varint(&mut out, count as u64);
    put_varint(&mut out, span.max(0) as u64);
    out.extend_from_slice(payload);
    out
}

/// A sealed chunk's value: `samples` (non-empty, strictly increasing) with the codec.
pub(crate) fn encode_sealed(samples: &[Sample], seq: u64) -> Result<Vec<u8>, StorageError> {
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return Err(StorageError::Invalid("empty chunk".into()));
    };
    let payload = chunk::encode(samples).map_err(|e| StorageError::Invalid(format!("chunk: {e}")))?;
    Ok(value(KIND_CODEC, seq, samples.len(), last.timestamp_ms - first.timestamp_ms, &payload))
}

/// An open chunk's value as a checkpoint writes it.
pub(crate) fn encode_head(c: &headchunk::HeadChunk, seq: u64) -> Vec<u8> {
    value(KIND_HEAD, seq, c.len(), c.last_ts() - c.first_ts(), &c.to_bytes())
}

/// The header of a stored chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// Write order: a later chunk wins over an earlier one on an equal timestamp.
    pub seq: u64,
    /// Samples in the chunk.
    pub count: u64,
    /// Last timestamp minus first.
    pub span: i64,
    /// Whether the payload is the head's format (a checkpoint snapshot, not yet sealed).
    pub head_format: bool,
}

/// Reads a value's header; returns it and the payload offset.
pub(crate) fn header(v: &[u8]) -> Result<(Header, usize), StorageError> {
    let kind = *v.first().ok_or_else(|| StorageError::Corrupt("empty chunk value".into()))?;
    if kind != KIND_CODEC && kind != KIND_HEAD {
        return Err(StorageError::Corrupt(format!("chunk kind {kind}")));
    }
    let mut pos = 1;
    let seq = get_varint(v, &mut pos)?;
    let count = get_varint(v, &mut pos)?;
    let span = get_varint(v, &mut pos)?;
    Ok((Header { seq, count, span: span.min(i64::MAX as u64) as i64, head_format: kind == KIND_HEAD }, pos))
}

/// Decodes a stored chunk's samples.
pub(crate) fn decode(v: &[u8]) -> Result<Vec<Sample>, StorageError> {
    let (h, pos) = header(v)?;
    let payload = &v[pos..];
    if h.head_format {
        headchunk::decode(payload).map_err(|_| StorageError::Corrupt("head-format chunk".into()))
    } else {
        chunk::decode(payload).map_err(|e| StorageError::Corrupt(format!("chunk: {e}")))
    }
}

/// Sorts by time keeping the last of equal timestamps (the later write wins).
pub(crate) fn sort_last_wins(v: &mut Vec<Sample>) {
    v.sort_by_key(|s| s.timestamp_ms);
    v.dedup_by(|later, kept| {
        let same = later.timestamp_ms == kept.timestamp_ms;
        if same {
            *kept = *later;
        }
        same
    });
}

/// Merges sample runs, each sorted; a later run wins on an equal timestamp.
pub(crate) fn union(runs: Vec<Vec<Sample>>) -> Vec<Sample> {
    let mut runs = runs.into_iter().filter(|r| !r.is_empty());
    let Some(mut out) = runs.next() else { return Vec::new() };
    for run in runs {
        if out.last().is_none_or(|l| run[0].timestamp_ms > l.timestamp_ms) {
            out.extend(run);
            continue;
        }
        // Later runs come later in the input, and the sort is stable: the last of each
        // timestamp is the latest write.
        out.extend(run);
        sort_last_wins(&mut out);
    }
    out
}

/// RocksDB merge operator of the `chunks` CF: the union of the stored chunk and the operands.
pub(crate) fn merge_chunks(_key: &[u8], existing: Option<&[u8]>, operands: &rocksdb::MergeOperands) -> Option<Vec<u8>> {
    if existing.is_none() && operands.len() == 1 {
        return operands.iter().next().map(<[u8]>::to_vec);
    }
    let mut runs = Vec::with_capacity(operands.len() + 1);
    for v in existing.into_iter().chain(operands.iter()) {
        match header(v).and_then(|(h, _)| Ok((h.seq, decode(v)?))) {
            Ok(run) => runs.push(run),
            Err(e) => {
                // Returning None makes RocksDB report corruption for the key instead of
                // silently dropping data.
                tracing::error!(error = %e, "chunk merge: undecodable chunk");
                return None;
            }
        }
    }
    let (seq, all) = union_by_seq(runs);
    if all.len() > chunk::MAX_SAMPLES {
        tracing::error!(samples = all.len(), "chunk merge: union larger than a chunk may be");
        return None;
    }
    encode_sealed(&all, seq).ok()
}

/// Merges `(seq, samples)` runs in sequence order (stable for equal ones); returns the highest
/// sequence number and the samples.
pub(crate) fn union_by_seq(mut runs: Vec<(u64, Vec<Sample>)>) -> (u64, Vec<Sample>) {
    runs.sort_by_key(|r| r.0);
    let seq = runs.last().map_or(0, |r| r.0);
    (seq, union(runs.into_iter().map(|r| r.1).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: i64, v: f64) -> Sample {
        Sample { timestamp_ms: t, value: v }
    }

    #[test]
    fn keys_order_by_partition_series_start() {
        let a = key(7, 1000);
        let b = key(7, 2000);
        let c = key(8, 0);
        let d = key(1, PARTITION_MS);
        assert!(a < b && b < c && c < d);
        assert!(key(1, -1) < key(0, 0), "negative times sort first");
        assert_eq!(decode_key(&key(9, -5)).unwrap(), (-1, 9, -5));
        assert_eq!(&key(3, PARTITION_MS * 2 + 5)[..8], &partition_prefix(2));
    }

    #[test]
    fn union_prefers_later_runs_on_ties() {
        let u = union(vec![vec![s(1, 1.0), s(3, 3.0)], vec![s(2, 2.0), s(3, 30.0)], vec![s(4, 4.0)], vec![]]);
        assert_eq!(u, vec![s(1, 1.0), s(2, 2.0), s(3, 30.0), s(4, 4.0)]);
    }

    #[test]
    fn union_by_seq_follows_write_order_not_start_order() {
        let older = (3, vec![s(7, 1.0)]);
        let newer = (9, vec![s(5, 2.0), s(7, 2.0)]);
        assert_eq!(union_by_seq(vec![newer.clone(), older.clone()]), (9, vec![s(5, 2.0), s(7, 2.0)]));
        assert_eq!(union_by_seq(vec![older, newer]).1, vec![s(5, 2.0), s(7, 2.0)]);
    }

    #[test]
    fn values_round_trip_in_both_kinds() {
        let samples: Vec<Sample> = (0..50).map(|i| s(i * 15_000, i as f64 * 0.5)).collect();
        let sealed = encode_sealed(&samples, 7).unwrap();
        assert_eq!(decode(&sealed).unwrap(), samples);
        let (h, _) = header(&sealed).unwrap();
        assert_eq!(h, Header { seq: 7, count: 50, span: 49 * 15_000, head_format: false });
        let head = headchunk::HeadChunk::from_samples(&samples).unwrap();
        let v = encode_head(&head, 8);
        assert_eq!(decode(&v).unwrap(), samples);
        assert!(header(&v).unwrap().0.head_format);
        assert!(decode(&[9, 0, 0]).is_err());
        assert!(decode(&[]).is_err());
    }
}
