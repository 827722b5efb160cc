//! The head: the active series in memory, each with its open chunk, and the rules that decide
//! whether a sample is appended, merged as out-of-order, or rejected.
//!
//! Memory is what limits a store with a million active series, so a series in the head holds no
//! labels: it is found by a 64-bit stable hash of its labels (which is also its id unless two
//! label sets collided) and confirmed by a second, independent hash. Label sets whose id is not
//! their hash — collisions, found by probing the `series` index — are kept in a small side map.

use super::chunks::{partition, sort_last_wins, HEAD_MAX_SPAN_MS};
use super::headchunk::HeadChunk;
use pharos_protocol::frame::Rejections;
use pharos_protocol::{Labels, Sample};
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use twox_hash::XxHash64;

/// Samples after which an open chunk is cut. Sealed chunks are merged to
/// [`COMPACT_TARGET_SAMPLES`](super::maintain::COMPACT_TARGET_SAMPLES) later, which keeps the open chunks, and so the
/// memory per series, small.
pub(crate) const HEAD_MAX_SAMPLES: usize = 240;
/// Shards of the head; appends of different series rarely wait for each other.
const SHARDS: usize = 64;
/// "No owner": series created by the import API, not by an agent.
pub(crate) const NO_OWNER: u32 = u32::MAX;

/// The two hashes of a label set: `h1` (the preferred id) and `h2` (the confirmation).
///
/// `h1`'s top [`NAME_BITS`] bits hash the metric name alone, the rest all the labels. Ids, and so
/// chunk keys `(day, id, start)`, postings and `series` entries, then sort the series of one
/// metric next to each other: a query for one name reads neighbouring keys, and the block
/// compression sees a metric's series together (a fleet's hosts look alike), which is what
/// brings node-exporter data under VictoriaMetrics' size.
pub(crate) fn label_hashes(labels: &Labels) -> (u64, u64) {
    // The label set as one byte string (`name 0xff value 0xff` per label), hashed in one call
    // per seed: the same hashes as feeding the pieces to a streaming hasher, at a fraction of
    // the cost (this runs for every series of every batch).
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        buf.clear();
        let mut name: &[u8] = &[];
        for l in labels {
            if l.name == "__name__" {
                name = l.value.as_bytes();
            }
            buf.extend_from_slice(l.name.as_bytes());
            buf.push(0xff);
            buf.extend_from_slice(l.value.as_bytes());
            buf.push(0xff);
        }
        let a = XxHash64::oneshot(0, buf);
        let b = XxHash64::oneshot(0x9e37_79b9_7f4a_7c15, buf);
        let name = XxHash64::oneshot(0x5851_f42d_4c95_7f2d, name);
        let rest = a & (u64::MAX >> NAME_BITS);
        let h1 = (name >> (64 - NAME_BITS)) << (64 - NAME_BITS) | rest;
        // Id 0 is never a series (keys of the old format reserved it), so the hash avoids it.
        (h1.max(1), b)
    })
}

/// Bits of a series id taken by the hash of its metric name (see [`label_hashes`]). 48 bits
/// remain for the labels: a million series of one name collide about once in 500 stores, and a
/// collision only costs a probe.
const NAME_BITS: u32 = 16;

/// One active series.
#[derive(Debug)]
pub(crate) struct SeriesHead {
    /// Confirmation hash of the labels.
    check: u64,
    /// The open chunk, if any sample arrived since the last cut.
    pub chunk: Option<HeadChunk>,
    /// Timestamp of the newest accepted sample; `i64::MIN` when unknown (the series was loaded
    /// from the index, and anything is in order for it).
    pub last_ts: i64,
    /// Index of the owning agent in the head's agent table, or [`NO_OWNER`].
    pub owner: u32,
    /// Seconds since the store opened at the last append (idle series are evicted).
    pub touched: u32,
}

/// The limits and time bounds an append is checked against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// Out-of-order samples up to this far behind the newest are merged; older ones rejected.
    pub ooo_window_ms: i64,
    /// Samples before this are outside retention.
    pub min_ts: i64,
    /// Samples after this are too far in the future.
    pub max_ts: i64,
}

/// What applying one series' samples did.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    pub accepted: u64,
    pub rejected: Rejections,
    /// Chunks cut by this append, to be written.
    pub sealed: Vec<HeadChunk>,
    /// Accepted out-of-order samples older than the open chunk: written as chunks of their own.
    pub old: Vec<Sample>,
}

fn cut_needed(c: &HeadChunk, ts: i64) -> bool {
    c.len() >= HEAD_MAX_SAMPLES
        || ts.saturating_sub(c.first_ts()) >= HEAD_MAX_SPAN_MS
        || partition(ts) != partition(c.first_ts())
}

/// Merges out-of-order samples (each at or after the chunk's first timestamp) into the open
/// chunk; they win over samples with the same timestamp.
fn merge_into(chunk: &mut Option<HeadChunk>, ooo: &mut Vec<Sample>) {
    if ooo.is_empty() {
        return;
    }
    sort_last_wins(ooo);
    if let Some(c) = chunk.as_ref() {
        let merged = super::chunks::union(vec![c.samples(), std::mem::take(ooo)]);
        // `union` returns strictly increasing timestamps, so this cannot fail.
        if let Some(m) = HeadChunk::from_samples(&merged) {
            *chunk = Some(m);
        }
    }
    ooo.clear();
}

impl SeriesHead {
    fn new(check: u64, owner: u32, now_s: u32) -> Self {
        SeriesHead { check, chunk: None, last_ts: i64::MIN, owner, touched: now_s }
    }

    /// Applies samples in the order given.
    pub(crate) fn apply(&mut self, samples: &[Sample], rules: &Rules, now_s: u32, out: &mut Applied) {
        self.touched = now_s;
        let mut ooo_head: Vec<Sample> = Vec::new();
        for &s in samples {
            let t = s.timestamp_ms;
            if t < rules.min_ts {
                out.rejected.too_old += 1;
                continue;
            }
            if t > rules.max_ts {
                out.rejected.too_far_in_future += 1;
                continue;
            }
            if self.last_ts == i64::MIN || t > self.last_ts {
                if !ooo_head.is_empty() && self.chunk.as_ref().is_some_and(|c| cut_needed(c, t)) {
                    // Out-of-order samples of the chunk about to be cut go in before the cut.
                    merge_into(&mut self.chunk, &mut ooo_head);
                }
                match &mut self.chunk {
                    Some(c) if !cut_needed(c, t) => c.push(s),
                    slot => {
                        if let Some(mut sealed) = slot.replace(HeadChunk::new(s)) {
                            sealed.shrink();
                            out.sealed.push(sealed);
                        }
                    }
                }
                self.last_ts = t;
                out.accepted += 1;
                continue;
            }
            let same_as_last =
                self.chunk.as_ref().is_some_and(|c| c.last_ts() == t && c.last_bits() == s.value.to_bits());
            if same_as_last {
                // A replayed duplicate: already stored.
                out.accepted += 1;
            } else if t >= self.last_ts.saturating_sub(rules.ooo_window_ms) {
                match &self.chunk {
                    Some(c) if t >= c.first_ts() => ooo_head.push(s),
                    _ => out.old.push(s),
                }
                out.accepted += 1;
            } else {
                out.rejected.out_of_order += 1;
            }
        }
        merge_into(&mut self.chunk, &mut ooo_head);
        if !out.old.is_empty() {
            sort_last_wins(&mut out.old);
        }
    }
}

/// Hashes a series id for the head's maps. Ids are hashes already, but their top 16 bits are
/// the metric name's (see [`label_hashes`]) and the map's control bytes come from the top bits:
/// a multiply spreads every bit of the id over them. SipHash, the default, cost more than the
/// lookup it served.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; anything else still gets a sound (if slower) hash.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, id: u64) {
        self.0 = id.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Series by id, hashed with [`IdHasher`].
pub(crate) type SeriesMap = HashMap<u64, SeriesHead, std::hash::BuildHasherDefault<IdHasher>>;

/// A shard of the head: series by id.
#[derive(Default)]
pub(crate) struct Shard {
    pub series: SeriesMap,
}

/// The shard of series `id`.
pub(crate) fn shard_of(id: u64) -> usize {
    (id % SHARDS as u64) as usize
}

/// Agents that own series, and how many each owns.
#[derive(Default)]
struct Agents {
    index: HashMap<String, u32>,
    series: Vec<u64>,
}

/// The in-memory head.
pub(crate) struct Head {
    shards: Vec<Mutex<Shard>>,
    /// Label sets whose id is not their `h1` (collisions): labels → id.
    collided: Mutex<HashMap<Labels, u64>>,
    agents: Mutex<Agents>,
    active: AtomicU64,
}

/// Where a label set was found.
pub(crate) enum Lookup {
    /// In the head, with this id.
    Active(u64),
    /// Not in the head.
    Missing,
}

fn poisoned<T>(_: T) -> crate::storage::StorageError {
    crate::storage::StorageError::Backend("head lock poisoned by a panicked thread".into())
}

impl Head {
    /// An empty head.
    pub(crate) fn new() -> Self {
        Head {
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            collided: Mutex::new(HashMap::new()),
            agents: Mutex::new(Agents::default()),
            active: AtomicU64::new(0),
        }
    }

    /// Series in the head.
    pub(crate) fn active(&self) -> u64 {
        self.active.load(Ordering::Relaxed)
    }

    /// The shard holding series `id`, locked.
    pub(crate) fn shard(&self, id: u64) -> Result<MutexGuard<'_, Shard>, crate::storage::StorageError> {
        self.shards[shard_of(id)].lock().map_err(poisoned)
    }

    /// Every shard index, for walks over the whole head.
    pub(crate) fn shard_count(&self) -> usize {
        SHARDS
    }

    /// Shard `i`, locked.
    pub(crate) fn shard_at(&self, i: usize) -> Result<MutexGuard<'_, Shard>, crate::storage::StorageError> {
        self.shards[i].lock().map_err(poisoned)
    }

    /// Finds an active series by labels.
    pub(crate) fn lookup(&self, labels: &Labels, hashes: (u64, u64)) -> Result<Lookup, crate::storage::StorageError> {
        let (h1, h2) = hashes;
        if self.shard(h1)?.series.get(&h1).is_some_and(|s| s.check == h2) {
            return Ok(Lookup::Active(h1));
        }
        let collided = self.collided.lock().map_err(poisoned)?;
        if let Some(&id) = collided.get(labels) {
            if self.shard(id)?.series.contains_key(&id) {
                return Ok(Lookup::Active(id));
            }
        }
        Ok(Lookup::Missing)
    }

    /// Finds many series at once, locking each shard once: an append's hundreds of series
    /// would otherwise take a shard lock each.
    pub(crate) fn lookup_many<'a>(
        &self,
        wanted: impl Iterator<Item = (&'a Labels, (u64, u64))>,
    ) -> Result<Vec<Lookup>, crate::storage::StorageError> {
        let wanted: Vec<(&Labels, (u64, u64))> = wanted.collect();
        let mut found: Vec<Lookup> = wanted.iter().map(|_| Lookup::Missing).collect();
        let mut order: Vec<(usize, usize)> = wanted.iter().enumerate().map(|(i, w)| (shard_of(w.1 .0), i)).collect();
        order.sort_unstable();
        let mut missing = false;
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let shard = self.shards[group[0].0].lock().map_err(poisoned)?;
            for &(_, i) in group {
                let (h1, h2) = wanted[i].1;
                if shard.series.get(&h1).is_some_and(|s| s.check == h2) {
                    found[i] = Lookup::Active(h1);
                } else {
                    missing = true;
                }
            }
        }
        if missing && !self.collided.lock().map_err(poisoned)?.is_empty() {
            for (i, f) in found.iter_mut().enumerate() {
                if matches!(f, Lookup::Missing) {
                    *f = self.lookup(wanted[i].0, wanted[i].1)?;
                }
            }
        }
        Ok(found)
    }

    /// The index of agent `name` (created on first use).
    pub(crate) fn agent(&self, name: &str) -> Result<u32, crate::storage::StorageError> {
        if name.is_empty() {
            return Ok(NO_OWNER);
        }
        let mut a = self.agents.lock().map_err(poisoned)?;
        if let Some(&i) = a.index.get(name) {
            return Ok(i);
        }
        let i = a.series.len() as u32;
        a.index.insert(name.to_string(), i);
        a.series.push(0);
        Ok(i)
    }

    /// Series owned by agent `owner`.
    pub(crate) fn owned_by(&self, owner: u32) -> Result<u64, crate::storage::StorageError> {
        if owner == NO_OWNER {
            return Ok(0);
        }
        Ok(self.agents.lock().map_err(poisoned)?.series.get(owner as usize).copied().unwrap_or(0))
    }

    /// Puts a series in the head (if it is not there already).
    pub(crate) fn insert(
        &self,
        id: u64,
        labels: &Labels,
        hashes: (u64, u64),
        owner: u32,
        now_s: u32,
    ) -> Result<(), crate::storage::StorageError> {
        if id != hashes.0 {
            self.collided.lock().map_err(poisoned)?.insert(labels.clone(), id);
        }
        let mut shard = self.shard(id)?;
        if shard.series.contains_key(&id) {
            return Ok(());
        }
        shard.series.insert(id, SeriesHead::new(hashes.1, owner, now_s));
        drop(shard);
        self.active.fetch_add(1, Ordering::Relaxed);
        if owner != NO_OWNER {
            if let Some(n) = self.agents.lock().map_err(poisoned)?.series.get_mut(owner as usize) {
                *n += 1;
            }
        }
        Ok(())
    }

    /// Accounts for series removed from a shard by the caller.
    pub(crate) fn removed(&self, owners: &[u32]) -> Result<(), crate::storage::StorageError> {
        self.active.fetch_sub(owners.len() as u64, Ordering::Relaxed);
        let mut a = self.agents.lock().map_err(poisoned)?;
        for &o in owners {
            if let Some(n) = a.series.get_mut(o as usize) {
                *n = n.saturating_sub(1);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Series ids are stored: the one-shot hashing must give what the streaming hasher of
    /// earlier versions gave.
    #[test]
    fn label_hashes_are_those_of_the_streaming_hasher() {
        fn streaming(labels: &Labels) -> (u64, u64) {
            use std::hash::Hasher as _;
            let mut a = XxHash64::with_seed(0);
            let mut b = XxHash64::with_seed(0x9e37_79b9_7f4a_7c15);
            let mut name = XxHash64::with_seed(0x5851_f42d_4c95_7f2d);
            for l in labels {
                if l.name == "__name__" {
                    name.write(l.value.as_bytes());
                }
                for h in [&mut a, &mut b] {
                    h.write(l.name.as_bytes());
                    h.write_u8(0xff);
                    h.write(l.value.as_bytes());
                    h.write_u8(0xff);
                }
            }
            let rest = a.finish() & (u64::MAX >> NAME_BITS);
            let h1 = (name.finish() >> (64 - NAME_BITS)) << (64 - NAME_BITS) | rest;
            (h1.max(1), b.finish())
        }
        let long = "v".repeat(300);
        for labels in [
            Labels::from_pairs([("__name__", "up"), ("instance", "a:9100"), ("job", "node")]),
            Labels::from_pairs([("job", "no-name")]),
            Labels::from_pairs([("__name__", "x")]),
            Labels::from_pairs([("__name__", "node_cpu_seconds_total"), ("cpu", "7"), ("long", long.as_str())]),
            Labels::default(),
        ] {
            assert_eq!(label_hashes(&labels), streaming(&labels), "{labels:?}");
        }
    }

    fn s(t: i64, v: f64) -> Sample {
        Sample { timestamp_ms: t, value: v }
    }

    const RULES: Rules = Rules { ooo_window_ms: 10_000, min_ts: 0, max_ts: 1_000_000_000 };

    #[test]
    fn in_order_ooo_and_rejections() {
        let mut h = SeriesHead::new(0, NO_OWNER, 0);
        let mut out = Applied::default();
        h.apply(&[s(100_000, 1.0), s(115_000, 2.0), s(130_000, 3.0)], &RULES, 1, &mut out);
        // In window, in the open chunk: merged there. Too old: rejected. Duplicate: accepted.
        h.apply(
            &[s(125_000, 2.5), s(50_000, 0.0), s(130_000, 3.0), s(-1, 0.0), s(2_000_000_000, 0.0)],
            &RULES,
            2,
            &mut out,
        );
        assert_eq!(out.accepted, 5);
        assert_eq!(out.rejected, Rejections { out_of_order: 1, too_old: 1, too_far_in_future: 1, series_limit: 0 });
        let got: Vec<i64> = h.chunk.as_ref().unwrap().samples().iter().map(|s| s.timestamp_ms).collect();
        assert_eq!(got, vec![100_000, 115_000, 125_000, 130_000]);
        assert!(out.sealed.is_empty() && out.old.is_empty());
    }

    #[test]
    fn chunks_are_cut_by_count_span_and_partition() {
        let mut h = SeriesHead::new(0, NO_OWNER, 0);
        let mut out = Applied::default();
        let samples: Vec<Sample> = (0..HEAD_MAX_SAMPLES as i64 + 10).map(|i| s(1_000 + i, i as f64)).collect();
        h.apply(&samples, &RULES, 0, &mut out);
        assert_eq!(out.sealed.len(), 1);
        assert_eq!(out.sealed[0].len(), HEAD_MAX_SAMPLES);
        h.apply(&[s(1_000 + HEAD_MAX_SPAN_MS + 5_000, 0.0)], &RULES, 0, &mut out);
        assert_eq!(out.sealed.len(), 2);
        let day = super::super::chunks::PARTITION_MS;
        h.apply(&[s(day - 1, 0.0), s(day, 1.0)], &RULES, 0, &mut out);
        assert_eq!(out.sealed.len(), 4, "a chunk never spans two partitions");
    }

    #[test]
    fn samples_older_than_the_open_chunk_are_returned_for_writing() {
        let mut h = SeriesHead::new(0, NO_OWNER, 0);
        let mut out = Applied::default();
        let samples: Vec<Sample> = (0..HEAD_MAX_SAMPLES as i64 + 1).map(|i| s(10 * i, 1.0)).collect();
        h.apply(&samples, &RULES, 0, &mut out);
        h.apply(&[s(2_395, 7.0), s(2_385, 6.0), s(2_395, 8.0)], &RULES, 0, &mut out);
        assert_eq!(out.old, vec![s(2_385, 6.0), s(2_395, 8.0)]);
    }

    #[test]
    fn out_of_order_samples_join_their_chunk_before_a_cut() {
        // The case a randomized comparison found: an out-of-order sample for the open chunk,
        // then a sample that cuts it (a new partition), in one append.
        let mut h = SeriesHead::new(0, NO_OWNER, 0);
        let mut out = Applied::default();
        h.apply(&[s(-37, 1.0), s(-19, 2.0), s(-34, 3.0), s(34, 4.0)], &RULES_ANY, 0, &mut out);
        assert_eq!(out.sealed.len(), 1);
        let sealed: Vec<i64> = out.sealed[0].samples().iter().map(|s| s.timestamp_ms).collect();
        assert_eq!(sealed, vec![-37, -34, -19]);
        let open: Vec<i64> = h.chunk.as_ref().unwrap().samples().iter().map(|s| s.timestamp_ms).collect();
        assert_eq!(open, vec![34]);
    }

    const RULES_ANY: Rules = Rules { ooo_window_ms: i64::MAX, min_ts: i64::MIN, max_ts: i64::MAX };

    #[test]
    fn hashes_are_stable_and_distinct() {
        let a = Labels::from_pairs([("__name__", "up"), ("job", "a")]);
        let b = Labels::from_pairs([("__name__", "up"), ("job", "b")]);
        assert_eq!(label_hashes(&a), label_hashes(&a.clone()));
        assert_ne!(label_hashes(&a).0, label_hashes(&b).0);
        // Separators keep ("ab","c") apart from ("a","bc").
        let c = Labels::from_pairs([("ab", "c")]);
        let d = Labels::from_pairs([("a", "bc")]);
        assert_ne!(label_hashes(&c), label_hashes(&d));
    }
}
