//! The write path: resolving an append's series to ids (creating the new ones), the durable WAL
//! record, and applying the samples to the head, shard by shard.

use super::head::{self, Applied, Lookup, Rules, NO_OWNER};
use super::keys::CF_CHUNKS;
use super::{agent_of, backend, chunks, headchunk, index, io, poisoned, record, Created, Inner};
use crate::storage::{AppendStats, Checkpoint, StorageError};
use pharos_protocol::frame::Rejections;
use pharos_protocol::{Labels, Sample, Series};
use rocksdb::WriteBatch;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;

/// Chunks cut (or out-of-order samples accepted) by the series of one shard, written together.
#[derive(Default)]
pub(super) struct ChunkWrites {
    batch: WriteBatch,
    parts: Vec<i64>,
    count: u64,
}

impl ChunkWrites {
    /// Adds the sealed chunks and the out-of-order samples (sorted) of series `id`.
    fn add(
        &mut self,
        inner: &Inner,
        id: u64,
        sealed: &[headchunk::HeadChunk],
        old: &[Sample],
    ) -> Result<(), StorageError> {
        if sealed.is_empty() && old.is_empty() {
            return Ok(());
        }
        let chunks_cf = super::cf(&inner.db, CF_CHUNKS)?;
        for c in sealed {
            self.batch.merge_cf(
                chunks_cf,
                chunks::key(id, c.first_ts()),
                chunks::encode_sealed(&c.samples(), inner.next_seq())?,
            );
            self.parts.push(chunks::partition(c.first_ts()));
            self.count += 1;
        }
        // Out-of-order samples go in chunks that keep the module's invariants: one partition,
        // less than HEAD_MAX_SPAN_MS, at most HEAD_MAX_SAMPLES.
        let mut rest = old;
        while let Some(first) = rest.first() {
            let p = chunks::partition(first.timestamp_ms);
            let len = rest
                .iter()
                .take(head::HEAD_MAX_SAMPLES)
                .take_while(|s| {
                    chunks::partition(s.timestamp_ms) == p
                        && s.timestamp_ms - first.timestamp_ms < chunks::HEAD_MAX_SPAN_MS
                })
                .count();
            self.batch.merge_cf(
                chunks_cf,
                chunks::key(id, first.timestamp_ms),
                chunks::encode_sealed(&rest[..len], inner.next_seq())?,
            );
            self.parts.push(p);
            self.count += 1;
            rest = &rest[len..];
        }
        Ok(())
    }
}

impl Inner {
    /// The first id from `id` on that is neither in `series` nor in `given`: a free slot that
    /// another new series of the same append already took pushes this one further along.
    fn free_id_from(&self, mut id: u64, given: &HashSet<u64>) -> Result<u64, StorageError> {
        for _ in 0..1_000 {
            if !given.contains(&id) && !index::id_taken(&self.db, &self.counters, id)? {
                return Ok(id);
            }
            id = index::next_id(id);
        }
        Err(StorageError::Backend("no free series id near the label hash".into()))
    }

    /// Resolves the series of `data` to ids, creating the missing ones (within the limits).
    /// Returns the ids (None: empty or refused) and the created series for the WAL record.
    ///
    /// Series already in the head resolve without a lock. The rest are resolved under the
    /// creation lock in batches: one multi-get finds the stored ones and the free ids for the
    /// new ones, one sorted write adds the new index entries.
    pub(super) fn resolve<'a>(
        &self,
        data: &'a [Series],
        agent: &'a str,
        rejected: &mut [Rejections],
    ) -> Result<(Vec<Option<u64>>, Vec<Created<'a>>), StorageError> {
        let mut ids = vec![None; data.len()];
        let mut missing = Vec::new();
        let wanted: Vec<(usize, (u64, u64))> = data
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.samples.is_empty())
            .map(|(i, s)| (i, head::label_hashes(&s.labels)))
            .collect();
        let found = self.head.lookup_many(wanted.iter().map(|&(i, h)| (&data[i].labels, h)))?;
        for (&(i, hashes), found) in wanted.iter().zip(found) {
            match found {
                Lookup::Active(id) => ids[i] = Some(id),
                Lookup::Missing => missing.push((i, hashes)),
            }
        }
        let mut created = Vec::new();
        if missing.is_empty() {
            return Ok((ids, created));
        }
        let _create = self.create.lock().map_err(poisoned)?;
        let owner = self.head.agent(agent)?;
        let now_s = self.now_s();
        // The distinct label sets still missing (another append may have created some while
        // this one waited for the lock) that the limits admit, and the later copies of each.
        let mut todo: Vec<(usize, (u64, u64))> = Vec::new();
        let mut first_of: HashMap<&Labels, usize> = HashMap::new();
        let mut copies: Vec<(usize, usize)> = Vec::new();
        let mut active = self.head.active();
        let mut owned = self.head.owned_by(owner)?;
        for (i, hashes) in missing {
            let labels = &data[i].labels;
            if let Some(&t) = first_of.get(labels) {
                copies.push((i, t));
                continue;
            }
            if let Lookup::Active(id) = self.head.lookup(labels, hashes)? {
                ids[i] = Some(id);
                continue;
            }
            let over_agent = owner != NO_OWNER && owned >= self.opts.max_series_per_agent;
            if active >= self.opts.max_series || over_agent {
                rejected[i].series_limit += data[i].samples.len() as u64;
                continue;
            }
            active += 1;
            if owner != NO_OWNER {
                owned += 1;
            }
            first_of.insert(labels, todo.len());
            todo.push((i, hashes));
        }
        let wanted: Vec<(&Labels, u64)> = todo.iter().map(|&(i, h)| (&data[i].labels, h.0)).collect();
        let slots = index::find(&self.db, &self.counters, &wanted)?;
        let mut given: HashSet<u64> = HashSet::new();
        let mut todo_ids = Vec::with_capacity(todo.len());
        for (&(i, hashes), slot) in todo.iter().zip(slots) {
            let labels = &data[i].labels;
            let id = match slot {
                index::Slot::Stored(id) => id,
                index::Slot::Free(id) => {
                    // Two new label sets of this append may share a free slot (a collision).
                    let id = if given.contains(&id) { self.free_id_from(id, &given)? } else { id };
                    given.insert(id);
                    created.push((id, agent, labels));
                    id
                }
            };
            self.head.insert(id, labels, hashes, owner, now_s)?;
            ids[i] = Some(id);
            todo_ids.push(id);
        }
        for (i, t) in copies {
            ids[i] = Some(todo_ids[t]);
        }
        if !created.is_empty() {
            let mut batch = WriteBatch::default();
            let new: Vec<(u64, &Labels)> = created.iter().map(|&(id, _, labels)| (id, labels)).collect();
            index::put_series(&self.db, &mut batch, &new)?;
            // Not synced: the WAL record carries the new series, and a checkpoint syncs RocksDB
            // before it drops that record.
            self.db.write(batch).map_err(backend)?;
            self.counters.series_created.fetch_add(created.len() as u64, Ordering::Relaxed);
        }
        Ok((ids, created))
    }

    /// Applies one series' samples to its head entry and writes the chunks that produced, under
    /// the shard lock so a reader sees every sample in the head or in RocksDB (WAL replay).
    pub(super) fn apply(
        &self,
        id: u64,
        samples: &[Sample],
        rules: &Rules,
        now_s: u32,
    ) -> Result<Applied, StorageError> {
        let mut shard = self.head.shard(id)?;
        let series = shard
            .series
            .get_mut(&id)
            .ok_or_else(|| StorageError::Backend(format!("series {id} left the head during an append")))?;
        let mut out = Applied::default();
        series.apply(samples, rules, now_s, &mut out);
        let mut chunks = ChunkWrites::default();
        chunks.add(self, id, &out.sealed, &out.old)?;
        self.write_chunks(chunks)?;
        drop(shard);
        Ok(out)
    }

    /// Applies the samples of every resolved series of `data` (`ids[i]` is `data[i]`'s), one
    /// shard at a time: each shard is locked once per append, not once per series, and the
    /// chunks its series cut are written in one RocksDB write under that lock (a reader sees
    /// every sample in the head or in RocksDB). Appends start at different shards, so
    /// concurrent ones do not queue behind each other shard after shard.
    fn apply_all(
        &self,
        ids: &[Option<u64>],
        data: &[Series],
        rules: &Rules,
        now_s: u32,
        stats: &mut AppendStats,
        rejected: &mut [Rejections],
    ) -> Result<(), StorageError> {
        let shards = self.head.shard_count();
        let first = (self.counters.appends.load(Ordering::Relaxed) as usize).wrapping_mul(7) % shards;
        let mut order: Vec<(usize, usize, u64)> = ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| id.map(|id| (((head::shard_of(id) + shards - first) % shards), i, id)))
            .collect();
        order.sort_unstable_by_key(|&(k, i, _)| (k, i));
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let mut shard = self.head.shard(group[0].2)?;
            let mut chunks = ChunkWrites::default();
            for &(_, i, id) in group {
                let series = shard
                    .series
                    .get_mut(&id)
                    .ok_or_else(|| StorageError::Backend(format!("series {id} left the head during an append")))?;
                let mut out = Applied::default();
                series.apply(&data[i].samples, rules, now_s, &mut out);
                chunks.add(self, id, &out.sealed, &out.old)?;
                stats.accepted += out.accepted;
                rejected[i].add(&out.rejected);
            }
            self.write_chunks(chunks)?;
            drop(shard);
        }
        Ok(())
    }

    /// Writes the chunks collected in `w`, if any.
    fn write_chunks(&self, w: ChunkWrites) -> Result<(), StorageError> {
        if w.count == 0 {
            return Ok(());
        }
        let _g = self.chunk_gate.read().map_err(poisoned)?;
        let mut parts = w.parts;
        parts.sort_unstable();
        parts.dedup();
        self.note_partitions(&parts)?;
        self.db.write(w.batch).map_err(backend)?;
        self.counters.chunks_written.fetch_add(w.count, Ordering::Relaxed);
        Ok(())
    }

    /// Appends durably: returns once the WAL record is synced.
    pub(super) fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        let (stats, pos) = self.append_unsynced(data, checkpoint)?;
        self.wal.wait_synced(pos).map_err(io("syncing the WAL"))?;
        Ok(stats)
    }

    /// Writes the WAL record, asks for its sync and applies the samples to the head; returns the
    /// record's WAL position, durable once the WAL has synced up to it. The fsync runs on the
    /// WAL's syncer meanwhile. A reader may see samples a moment before they are durable, as in
    /// Prometheus; if the aggregator dies first they were never acknowledged and the agent sends
    /// them again.
    pub(super) fn append_unsynced(
        &self,
        data: &[Series],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<(AppendStats, u64), StorageError> {
        let _gate = self.gate.read().map_err(poisoned)?;
        let agent = checkpoint.map_or("", |c| agent_of(&c.stream));
        let mut rejected = vec![Rejections::default(); data.len()];
        let (ids, created) = self.resolve(data, agent, &mut rejected)?;
        let samples: Vec<(u64, &[Sample])> =
            ids.iter().zip(data).filter_map(|(id, s)| id.map(|id| (id, &s.samples[..]))).collect();
        let rec = record::encode(&created, samples.iter().copied(), checkpoint);
        let pos = self.wal.append(&rec).map_err(io("writing the WAL"))?;
        self.wal.request_sync(pos);

        let rules = self.rules();
        let now_s = self.now_s();
        let mut stats = AppendStats::default();
        self.apply_all(&ids, data, &rules, now_s, &mut stats, &mut rejected)?;
        for (i, r) in rejected.into_iter().enumerate() {
            if r.total() > 0 {
                stats.rejected.add(&r);
                stats.rejected_series.push((i, r));
            }
        }
        if let Some(cp) = checkpoint {
            self.checkpoints.lock().map_err(poisoned)?.insert(cp.stream.clone(), cp.seq);
        }
        self.counters.samples_appended.fetch_add(stats.accepted, Ordering::Relaxed);
        self.counters.reject(&stats.rejected);
        self.counters.appends.fetch_add(1, Ordering::Relaxed);
        Ok((stats, pos))
    }
}
