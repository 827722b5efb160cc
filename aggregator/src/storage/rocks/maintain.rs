//! Keeping the store in shape: WAL replay on open, checkpoints, retention and compaction of small
//! chunks, run by one background thread.

use super::chunks;
use super::keys::{self, CF_CHUNKS, CF_META};
use super::{backend, cf, head, io, poisoned, record, wal, Inner};
use crate::storage::StorageError;
use rocksdb::{ReadOptions, WriteBatch};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Chunks are merged by compaction while the result holds at most this many samples (and
/// spans less than [`COMPACT_MAX_SPAN_MS`]).
///
/// Every chunk costs a key, a header and its codec's header (~30 bytes), which for regular or
/// constant series (most of a node's) is more than their samples take: six hours at 15 s are
/// one chunk. A read of a few minutes decodes a whole chunk, ~25 µs at this size.
pub(crate) const COMPACT_TARGET_SAMPLES: u64 = 1440;
/// Longest span of a compacted chunk; below the readers' bound, `chunks::MAX_CHUNK_SPAN_MS`.
const COMPACT_MAX_SPAN_MS: i64 = 12 * 3_600_000;
/// A checkpoint is also due when the WAL grows past this, whatever the interval.
const WAL_CHECKPOINT_BYTES: u64 = 512 << 20;
/// How often the background thread looks at what is due.
const TICK: Duration = Duration::from_secs(2);
/// Compaction and retention run at most this often.
const COMPACT_EVERY: Duration = Duration::from_secs(600);
const RETENTION_EVERY: Duration = Duration::from_secs(300);
/// Series compacted per hold of the chunk gate, which appends writing chunks wait for.
const COMPACT_STEP_SERIES: usize = 64;

impl Inner {
    /// Finds the partitions that hold chunks: one seek per partition.
    pub(super) fn load_partitions(&self) -> Result<(), StorageError> {
        let mut it = self.db.raw_iterator_cf(cf(&self.db, CF_CHUNKS)?);
        it.seek_to_first();
        let mut parts = self.partitions.write().map_err(poisoned)?;
        while let Some(k) = it.key() {
            let (p, _, _) = chunks::decode_key(k)?;
            parts.insert(p);
            let Some(next) = p.checked_add(1) else { break };
            it.seek(chunks::partition_prefix(next));
        }
        it.status().map_err(backend)?;
        // Which partitions the last run wrote is not stored; the newest two cover what a restart
        // leaves (the final seal, the day before midnight).
        self.dirty.lock().map_err(poisoned)?.extend(parts.iter().rev().take(2).copied());
        Ok(())
    }

    /// Loads the stream checkpoints the last checkpoint stored.
    pub(super) fn load_checkpoints(&self) -> Result<(), StorageError> {
        let prefix = keys::checkpoint_key("");
        let mut it = self.db.raw_iterator_cf(cf(&self.db, CF_META)?);
        it.seek(&prefix);
        let mut map = self.checkpoints.lock().map_err(poisoned)?;
        while let Some((k, v)) = it.item() {
            let Some(stream) = k.strip_prefix(&prefix[..]) else { break };
            let stream = String::from_utf8_lossy(stream).into_owned();
            map.insert(stream, keys::decode_u64(v, "checkpoint")?);
            it.next();
        }
        it.status().map_err(backend)
    }

    /// Starts chunk sequence numbers above every stored one.
    pub(super) fn load_chunk_seq(&self) -> Result<(), StorageError> {
        let stored = match self.db.get_cf(cf(&self.db, CF_META)?, keys::META_CHUNK_SEQ).map_err(backend)? {
            Some(v) => keys::decode_u64(&v, "chunk sequence")?,
            None => 0,
        };
        // Chunks written after the last checkpoint and before a crash may hold numbers above the
        // stored one; they were taken from a counter that started at the clock in µs, and this
        // run's clock is later.
        let clock =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64);
        self.chunk_seq.store(stored.saturating_add(1).max(clock), Ordering::Relaxed);
        Ok(())
    }

    /// Replays the WAL segments left by the last run into the head, then checkpoints so they can
    /// go.
    pub(super) fn replay(&self, segments: &[u64]) -> Result<(), StorageError> {
        if segments.is_empty() {
            return Ok(());
        }
        let started = Instant::now();
        // Rules as of now, except that nothing inside the window is out of order: the original
        // appends accepted these samples, and the order they were applied in is the WAL's.
        let rules = self.rules();
        let now_s = self.now_s();
        let mut known: HashSet<u64> = HashSet::new();
        let result = wal::replay(&self.dir.join("wal"), segments, |payload| -> Result<(), StorageError> {
            let rec = record::decode(payload)?;
            if !rec.created.is_empty() {
                let mut batch = WriteBatch::default();
                let new: Vec<(u64, &pharos_protocol::Labels)> = rec.created.iter().map(|s| (s.id, &s.labels)).collect();
                super::index::put_series(&self.db, &mut batch, &new)?;
                for s in &rec.created {
                    let owner = self.head.agent(&s.agent)?;
                    self.head.insert(s.id, &s.labels, head::label_hashes(&s.labels), owner, now_s)?;
                    known.insert(s.id);
                }
                self.db.write(batch).map_err(backend)?;
            }
            for (id, samples) in &rec.samples {
                if known.insert(*id) && !self.head.shard(*id)?.series.contains_key(id) {
                    // A series the record did not create: its labels are in the index.
                    let v = self.db.get_cf(cf(&self.db, keys::CF_SERIES)?, id.to_be_bytes()).map_err(backend)?;
                    let labels = keys::decode_labels(
                        &v.ok_or_else(|| StorageError::Corrupt(format!("WAL names unknown series {id}")))?,
                    )?;
                    self.head.insert(*id, &labels, head::label_hashes(&labels), head::NO_OWNER, now_s)?;
                }
                self.apply(*id, samples, &rules, now_s)?;
            }
            if let Some(cp) = rec.checkpoint {
                self.checkpoints.lock().map_err(poisoned)?.insert(cp.stream, cp.seq);
            }
            Ok(())
        });
        let stats = result.map_err(io("reading the WAL"))??;
        self.counters.replayed_records.store(stats.records, Ordering::Relaxed);
        self.counters.replay_micros.store(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        if stats.torn > 0 {
            tracing::warn!(segments = stats.torn, "WAL: a torn record ended a segment (a write cut by the crash)");
        }
        tracing::info!(records = stats.records, seconds = started.elapsed().as_secs_f64(), "WAL replayed");
        self.checkpoint(false)?;
        // The replayed segments are older than the checkpoint's rotation; they are gone now.
        self.wal.remove_through(*segments.last().unwrap_or(&0)).map_err(io("removing replayed WAL segments"))
    }

    /// Writes every open chunk into RocksDB (sealed when `seal_all` or the series is idle, as a
    /// snapshot otherwise), evicts idle series, stores the stream checkpoints, syncs RocksDB and
    /// drops the WAL segments this covers.
    pub(super) fn checkpoint(&self, seal_all: bool) -> Result<(), StorageError> {
        // Held to the end: a snapshot must not see the segments go before their content is in
        // RocksDB (see `snapshot.rs`).
        let _maintenance = self.maintenance_lock.lock().map_err(poisoned)?;
        let done = {
            let _g = self.gate.write().map_err(poisoned)?;
            self.wal.rotate().map_err(io("rotating the WAL"))?
        };
        let now_s = self.now_s();
        let idle = u32::try_from(self.opts.idle_series.as_secs()).unwrap_or(u32::MAX);
        let chunks_cf = cf(&self.db, CF_CHUNKS)?;
        for i in 0..self.head.shard_count() {
            // Under the shard lock only the sealed chunks of series that leave the head are
            // written (readers must find their samples in the head or in RocksDB); the
            // snapshots of chunks that stay open are copied and written after the lock is
            // released, so appends to this shard wait for a copy, not for RocksDB. A chunk
            // sealed meanwhile is written with a higher sequence number than its snapshot,
            // whose samples it holds: the merge of the two is the sealed chunk.
            let mut shard = self.head.shard_at(i)?;
            let mut sealed = WriteBatch::default();
            let mut snapshots = WriteBatch::default();
            let mut parts = Vec::new();
            let mut evicted = Vec::new();
            let mut failed = None;
            shard.series.retain(|&id, s| {
                let is_idle = now_s.saturating_sub(s.touched) >= idle;
                if let Some(c) = &s.chunk {
                    let key = chunks::key(id, c.first_ts());
                    parts.push(chunks::partition(c.first_ts()));
                    if seal_all || is_idle {
                        match chunks::encode_sealed(&c.samples(), self.next_seq()) {
                            Ok(v) => sealed.merge_cf(chunks_cf, key, v),
                            Err(e) => {
                                failed = Some(e);
                                return true;
                            }
                        }
                        s.chunk = None;
                    } else {
                        snapshots.merge_cf(chunks_cf, key, chunks::encode_head(c, self.next_seq()));
                    }
                }
                if is_idle {
                    evicted.push(s.owner);
                }
                !is_idle
            });
            if let Some(e) = failed {
                return Err(e);
            }
            parts.sort_unstable();
            parts.dedup();
            self.note_partitions(&parts)?;
            if !sealed.is_empty() {
                let _g = self.chunk_gate.read().map_err(poisoned)?;
                self.db.write(sealed).map_err(backend)?;
            }
            drop(shard);
            self.head.removed(&evicted)?;
            if !snapshots.is_empty() {
                // Compaction stops short of every open chunk's start, so it leaves these keys
                // alone; the gate keeps it from rewriting anything while they land.
                let _g = self.chunk_gate.read().map_err(poisoned)?;
                self.db.write(snapshots).map_err(backend)?;
            }
        }
        let meta = cf(&self.db, CF_META)?;
        let mut batch = WriteBatch::default();
        for (stream, seq) in self.checkpoints.lock().map_err(poisoned)?.iter() {
            batch.put_cf(meta, keys::checkpoint_key(stream), seq.to_be_bytes());
        }
        batch.put_cf(meta, keys::META_CHUNK_SEQ, self.chunk_seq.load(Ordering::Relaxed).to_be_bytes());
        self.db.write(batch).map_err(backend)?;
        self.db.flush_wal(true).map_err(backend)?;
        self.wal.remove_through(done).map_err(io("removing checkpointed WAL segments"))?;
        self.counters.checkpoints.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Drops partitions outside the retention period, then the oldest ones while the store is
    /// over its size limit (never the newest partition).
    pub(super) fn enforce_retention(&self) -> Result<(), StorageError> {
        let now = crate::now_ms();
        if !self.opts.retention.is_zero() {
            let cutoff = now.saturating_sub(super::millis(self.opts.retention));
            // A partition goes once all of it is older than the cutoff.
            let old: Vec<i64> = self
                .partitions
                .read()
                .map_err(poisoned)?
                .iter()
                .copied()
                .filter(|&p| chunks::partition_start(p.saturating_add(1)) <= cutoff)
                .collect();
            for p in old {
                self.drop_partition(p)?;
            }
        }
        let limit = self.opts.retention_size_mb.saturating_mul(1 << 20);
        while limit > 0 && self.disk_bytes() > limit {
            let parts = self.partitions.read().map_err(poisoned)?.clone();
            if parts.len() < 2 {
                break;
            }
            let Some(&oldest) = parts.iter().next() else { break };
            self.drop_partition(oldest)?;
        }
        Ok(())
    }

    fn drop_partition(&self, p: i64) -> Result<(), StorageError> {
        let chunks_cf = cf(&self.db, CF_CHUNKS)?;
        let (from, to) = (chunks::partition_prefix(p), chunks::partition_prefix(p.saturating_add(1)));
        {
            let _g = self.chunk_gate.write().map_err(poisoned)?;
            self.db.delete_range_cf(chunks_cf, from, to).map_err(backend)?;
            self.partitions.write().map_err(poisoned)?.remove(&p);
        }
        // Reclaims the space now rather than whenever RocksDB would have compacted the range.
        self.db.compact_range_cf(chunks_cf, Some(&from[..]), Some(&to[..]));
        self.counters.partitions_dropped.fetch_add(1, Ordering::Relaxed);
        tracing::info!(partition_start_ms = chunks::partition_start(p), "retention dropped a day of samples");
        Ok(())
    }

    /// Merges runs of adjacent small chunks of each series (in partition `only`, or all) into
    /// chunks of up to [`COMPACT_TARGET_SAMPLES`], leaving the head's open chunk alone.
    pub(super) fn compact_chunks(&self, only: Option<i64>) -> Result<(), StorageError> {
        let parts: Vec<i64> = match only {
            Some(p) => vec![p],
            // Only partitions written since the last pass can have new small chunks.
            None => std::mem::take(&mut *self.dirty.lock().map_err(poisoned)?).into_iter().collect(),
        };
        for p in parts {
            // The series with chunks in this partition, from one pass over its keys.
            let mut ids = Vec::new();
            {
                let mut ro = ReadOptions::default();
                ro.fill_cache(false);
                let mut it = self.db.raw_iterator_cf_opt(cf(&self.db, CF_CHUNKS)?, ro);
                let prefix = chunks::partition_prefix(p);
                it.seek(prefix);
                while let Some(k) = it.key() {
                    if k.len() != chunks::KEY_LEN || k[..8] != prefix {
                        break;
                    }
                    let (_, id, _) = chunks::decode_key(k)?;
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                    it.next();
                }
                it.status().map_err(backend)?;
            }
            let merged_before = self.counters.chunks_compacted.load(Ordering::Relaxed);
            for step in ids.chunks(COMPACT_STEP_SERIES) {
                if self.stop.load(Ordering::Relaxed) && only.is_none() {
                    return Ok(());
                }
                // The head's open chunk starts where compaction must stop (read before the
                // chunk gate: lock order is shard, then gate).
                let mut limits = Vec::with_capacity(step.len());
                for &id in step {
                    let shard = self.head.shard(id)?;
                    limits
                        .push(shard.series.get(&id).and_then(|s| s.chunk.as_ref()).map_or(i64::MAX, |c| c.first_ts()));
                }
                let _g = self.chunk_gate.write().map_err(poisoned)?;
                let mut batch = WriteBatch::default();
                for (&id, &limit) in step.iter().zip(&limits) {
                    self.compact_series(p, id, limit, &mut batch)?;
                }
                self.db.write(batch).map_err(backend)?;
            }
            if self.counters.chunks_compacted.load(Ordering::Relaxed) > merged_before {
                // The merged chunks replace many small ones: have RocksDB drop the superseded
                // versions and tombstones of this partition now rather than at some later level
                // compaction.
                let (from, to) = (chunks::partition_prefix(p), chunks::partition_prefix(p.saturating_add(1)));
                self.db.compact_range_cf(cf(&self.db, CF_CHUNKS)?, Some(&from[..]), Some(&to[..]));
            }
        }
        self.counters.compactions.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Adds the rewrites of series `id`'s chunks in partition `p` (those starting before
    /// `limit`) to `batch`.
    fn compact_series(&self, p: i64, id: u64, limit: i64, batch: &mut WriteBatch) -> Result<(), StorageError> {
        let chunks_cf = cf(&self.db, CF_CHUNKS)?;
        let mut prefix = [0u8; 16];
        prefix[..8].copy_from_slice(&chunks::partition_prefix(p));
        prefix[8..].copy_from_slice(&id.to_be_bytes());
        let mut it = self.db.raw_iterator_cf(chunks_cf);
        it.seek(prefix);
        // (key, start, header, value) of all the series' chunks in this partition, in order;
        // those starting at or after `limit` only count as neighbours, they are not merged.
        let mut found = Vec::new();
        while let Some((k, v)) = it.item() {
            if k.len() != chunks::KEY_LEN || k[..16] != prefix {
                break;
            }
            let (_, _, start) = chunks::decode_key(k)?;
            let (h, _) = chunks::header(v)?;
            found.push((k.to_vec(), start, h, v.to_vec()));
            it.next();
        }
        it.status().map_err(backend)?;
        let end_of = |f: &(Vec<u8>, i64, chunks::Header, Vec<u8>)| f.1.saturating_add(f.2.span);
        let mergeable = found.iter().take_while(|f| f.1 < limit).count();
        let mut i = 0;
        while i < mergeable {
            // Greedy run from i: adjacent chunks while the result stays small and short. Only
            // chunks that overlap nothing are merged, so the merged chunk overlaps nothing
            // either: its sequence number decides nothing and is 0 (one byte, not eight). A
            // later write to its range gets a higher one and wins, as it should.
            let clear_before = |k: usize| k == 0 || end_of(&found[k - 1]) < found[k].1;
            let clear_after = |k: usize| k + 1 >= found.len() || end_of(&found[k]) < found[k + 1].1;
            if !(clear_before(i) && clear_after(i)) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            let mut count = found[i].2.count;
            while j < mergeable && clear_after(j) {
                if count + found[j].2.count > COMPACT_TARGET_SAMPLES
                    || end_of(&found[j]) - found[i].1 >= COMPACT_MAX_SPAN_MS
                {
                    break;
                }
                count += found[j].2.count;
                j += 1;
            }
            let rewrite = j > i + 1 || found[i].2.head_format || found[i].2.seq != 0;
            if rewrite {
                let mut merged = Vec::with_capacity(count as usize);
                for f in &found[i..j] {
                    merged.extend(chunks::decode(&f.3)?);
                }
                // Overwrite the first key (a put: the gate keeps writers out) and drop the rest.
                batch.put_cf(chunks_cf, &found[i].0, chunks::encode_sealed(&merged, 0)?);
                for f in &found[i + 1..j] {
                    batch.delete_cf(chunks_cf, &f.0);
                }
                self.counters.chunks_compacted.fetch_add((j - i) as u64, Ordering::Relaxed);
            }
            i = j;
        }
        Ok(())
    }

    /// The background thread: checkpoints, retention and compaction when due, until the store
    /// is dropped.
    pub(super) fn maintenance_loop(&self) {
        let mut last_checkpoint = Instant::now();
        let mut last_retention = Instant::now() - RETENTION_EVERY;
        // The first compaction runs soon after opening: the last run's final seal and the replay
        // leave small chunks in the newest partitions (marked dirty on open).
        let mut last_compaction = Instant::now() - COMPACT_EVERY + Duration::from_secs(5);
        while !self.stop.load(Ordering::Relaxed) {
            std::thread::park_timeout(TICK);
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            if last_checkpoint.elapsed() >= self.opts.checkpoint_interval
                || self.wal.disk_bytes() >= WAL_CHECKPOINT_BYTES
            {
                let started = Instant::now();
                match self.checkpoint(false) {
                    Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), "checkpoint done"),
                    Err(e) => tracing::error!(error = %e, "checkpoint failed"),
                }
                last_checkpoint = Instant::now();
            }
            if last_retention.elapsed() >= RETENTION_EVERY {
                if let Err(e) = self.enforce_retention() {
                    tracing::error!(error = %e, "retention failed");
                }
                last_retention = Instant::now();
            }
            if last_compaction.elapsed() >= COMPACT_EVERY {
                let started = Instant::now();
                match self.compact_chunks(None) {
                    Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), "compaction pass done"),
                    Err(e) => tracing::error!(error = %e, "compaction failed"),
                }
                last_compaction = Instant::now();
            }
        }
    }
}
