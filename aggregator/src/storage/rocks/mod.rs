//! The durable [`Storage`]: a time-series engine on RocksDB.
//!
//! - **Index** (`index.rs`, `keys.rs`): `series` id → labels, `postings` name/value/id. A series
//!   id is a stable 64-bit hash of its labels, probed to the next free id on a collision (open
//!   addressing in `series`, which is the authority both ways).
//! - **Head** (`head.rs`, `headchunk.rs`): active series in memory, each with its open chunk.
//! - **Chunks** (`chunks.rs`, `read.rs`): sealed chunks in the `chunks` CF keyed (partition,
//!   series id, start), encoded by `storage::chunk`.
//! - **Durability** (`wal.rs`, `record.rs`): each append is one WAL record, fsynced (shared by
//!   concurrent appends) before `append` returns. A checkpoint writes the open chunks into
//!   RocksDB, syncs it and drops the WAL before it; opening replays what is left.
//! - **Snapshots** (`snapshot.rs`): a RocksDB checkpoint (hard links) plus the WAL segments,
//!   taken while appends go on; the copy opens as a store holding every acknowledged sample.
//! - **Maintenance** (`maintain.rs`): checkpoints, retention by time and size (whole
//!   partitions), compaction of small chunks, on a background thread.

mod append;
mod chunks;
mod head;
mod headchunk;
mod index;
mod keys;
mod maintain;
mod read;
mod record;
mod snapshot;
mod wal;

#[cfg(test)]
mod tests;

use super::{AppendStats, Checkpoint, Durable, Matcher, Storage, StorageError};
use head::{Head, Rules};
use keys::{CF_CHUNKS, CF_META, FORMAT_VERSION, META_FORMAT};
use pharos_protocol::duration::serde_str;
use pharos_protocol::frame::Rejections;
use pharos_protocol::{Labels, Sample, Series};
use rocksdb::{
    BlockBasedOptions, Cache, ColumnFamily, ColumnFamilyDescriptor, DBCompressionType, Options, WriteOptions, DB,
};
use serde::Deserialize;
pub use snapshot::SnapshotStats;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
pub use wal::SyncedTo;

/// Settings of the store (`[storage]` in the aggregator's config); every field has a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RocksOptions {
    /// Block cache shared by all column families, in MiB.
    pub block_cache_mb: usize,
    /// Memtable budget in MiB.
    pub write_buffer_mb: usize,
    /// Samples older than this are dropped (whole days at a time) and refused. `0s`: forever.
    /// Default `15d`, as Prometheus.
    #[serde(with = "serde_str")]
    pub retention: Duration,
    /// When the store is larger than this many MiB, the oldest days are dropped. 0: no limit.
    pub retention_size_mb: u64,
    /// Samples up to this far behind the newest of their series are merged in; older ones are
    /// refused as out of order. In-order samples are accepted at any age. Default `1h`.
    #[serde(with = "serde_str")]
    pub out_of_order_window: Duration,
    /// Samples further than this in the future are refused. Default `1d`.
    #[serde(with = "serde_str")]
    pub max_future: Duration,
    /// Most active series in all. Default 10,000,000.
    pub max_series: u64,
    /// Most active series one agent may create. Default 100,000.
    pub max_series_per_agent: u64,
    /// How often the open chunks are checkpointed into RocksDB and the WAL trimmed. Default `5m`.
    #[serde(with = "serde_str")]
    pub checkpoint_interval: Duration,
    /// A series with no sample for this long leaves the head (its data stays). Default `1h`.
    #[serde(with = "serde_str")]
    pub idle_series: Duration,
}

impl Default for RocksOptions {
    fn default() -> Self {
        RocksOptions {
            block_cache_mb: 64,
            write_buffer_mb: 32,
            retention: Duration::from_secs(15 * 86_400),
            retention_size_mb: 0,
            out_of_order_window: Duration::from_secs(3_600),
            max_future: Duration::from_secs(86_400),
            max_series: 10_000_000,
            max_series_per_agent: 100_000,
            checkpoint_interval: Duration::from_secs(300),
            idle_series: Duration::from_secs(3_600),
        }
    }
}

impl RocksOptions {
    /// No retention, no time bounds, any out-of-order sample accepted: the semantics of the
    /// in-memory reference store (tests and benchmarks on synthetic timestamps).
    pub fn unbounded() -> Self {
        RocksOptions {
            retention: Duration::ZERO,
            out_of_order_window: Duration::MAX,
            max_future: Duration::MAX,
            ..RocksOptions::default()
        }
    }
}

/// Counters for self-monitoring. Totals since open unless noted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RocksStats {
    /// Series in the head (active).
    pub active_series: u64,
    /// Series created since open.
    pub series_created: u64,
    /// Samples accepted by appends.
    pub samples_appended: u64,
    /// Samples refused, by reason.
    pub rejected: Rejections,
    /// Successful appends.
    pub appends: u64,
    /// Index keys read (postings, labels, series) by appends and queries.
    pub index_keys_read: u64,
    /// Chunk keys read by queries.
    pub chunks_read: u64,
    /// Chunks sealed (cut from the head, or written by out-of-order merges).
    pub chunks_written: u64,
    /// Chunks merged by compaction.
    pub chunks_compacted: u64,
    /// Completed compaction passes.
    pub compactions: u64,
    /// Completed checkpoints.
    pub checkpoints: u64,
    /// Partitions (days) dropped by retention.
    pub partitions_dropped: u64,
    /// Seconds the WAL replay took when the store opened.
    pub wal_replay_seconds: f64,
    /// WAL records replayed when the store opened.
    pub wal_replayed_records: u64,
}

/// Atomic counters behind [`RocksStats`], shared with the submodules.
#[derive(Default)]
pub(crate) struct Counters {
    series_created: AtomicU64,
    samples_appended: AtomicU64,
    out_of_order: AtomicU64,
    too_old: AtomicU64,
    too_far_in_future: AtomicU64,
    series_limit: AtomicU64,
    appends: AtomicU64,
    index_keys_read: AtomicU64,
    chunks_read: AtomicU64,
    chunks_written: AtomicU64,
    chunks_compacted: AtomicU64,
    compactions: AtomicU64,
    checkpoints: AtomicU64,
    partitions_dropped: AtomicU64,
    replayed_records: AtomicU64,
    replay_micros: AtomicU64,
}

impl Counters {
    fn reject(&self, r: &Rejections) {
        self.out_of_order.fetch_add(r.out_of_order, Ordering::Relaxed);
        self.too_old.fetch_add(r.too_old, Ordering::Relaxed);
        self.too_far_in_future.fetch_add(r.too_far_in_future, Ordering::Relaxed);
        self.series_limit.fetch_add(r.series_limit, Ordering::Relaxed);
    }
}

/// A series an append created: id, owning agent, labels (for the WAL record).
type Created<'a> = (u64, &'a str, &'a Labels);

/// The store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct RocksStorage {
    inner: Arc<Inner>,
    maintenance: Option<std::thread::JoinHandle<()>>,
}

/// Everything the background thread shares with the store.
pub(crate) struct Inner {
    db: DB,
    dir: PathBuf,
    opts: RocksOptions,
    head: Head,
    wal: wal::Wal,
    /// Appends hold it shared from the WAL write to the end of their head update; a checkpoint
    /// takes it exclusively to rotate the WAL at a point where every earlier record is applied.
    gate: RwLock<()>,
    /// Serializes series creation (id probing reads what earlier creations wrote).
    create: Mutex<()>,
    /// Chunk writes hold it shared; compaction and retention take it exclusively per step.
    /// Lock order: a head shard, then this.
    chunk_gate: RwLock<()>,
    /// Partitions that hold chunks.
    partitions: RwLock<BTreeSet<i64>>,
    /// Partitions written since the last compaction pass.
    dirty: Mutex<BTreeSet<i64>>,
    checkpoints: Mutex<HashMap<String, u64>>,
    /// Held by a checkpoint for all of its run and by a snapshot (`snapshot.rs`) from its
    /// RocksDB checkpoint until its WAL segments are linked, so no checkpoint drops a segment
    /// whose content the snapshot's RocksDB copy lacks. Lock order: this, then `gate`.
    maintenance_lock: Mutex<()>,
    /// Sequence numbers of chunk writes (see `chunks.rs`): above every stored one, across
    /// restarts (the last checkpoint stores it; the clock in µs covers a crash since).
    chunk_seq: AtomicU64,
    counters: Counters,
    opened: Instant,
    stop: AtomicBool,
    /// Kept so the block cache visibly lives as long as the database using it.
    _cache: Cache,
}

/// Opens (creating if needed) the store in `dir`.
pub fn open(dir: &Path, opts: RocksOptions) -> Result<RocksStorage, StorageError> {
    RocksStorage::open(dir, opts)
}

/// A RocksDB error as a storage error.
pub(crate) fn backend(e: rocksdb::Error) -> StorageError {
    StorageError::Backend(e.to_string())
}

/// A column family handle; its absence means the database was opened wrongly.
pub(crate) fn cf<'a>(db: &'a DB, name: &str) -> Result<&'a ColumnFamily, StorageError> {
    db.cf_handle(name).ok_or_else(|| StorageError::Backend(format!("column family {name} missing")))
}

fn poisoned<T>(_: T) -> StorageError {
    StorageError::Backend("lock poisoned by a panicked thread".into())
}

fn io(what: &str) -> impl Fn(std::io::Error) -> StorageError + '_ {
    move |e| StorageError::Backend(format!("{what}: {e}"))
}

const MIB: usize = 1 << 20;

/// `mb` MiB in bytes; saturates rather than wrapping on an absurd configuration value.
fn mib(mb: usize) -> usize {
    mb.saturating_mul(MIB)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Compression of the index column families: zstd level 3 with a dictionary at every level,
/// flushes included. Label sets repeat nearly everything but a value or two, which LZ4 on a
/// 4 KiB block barely sees; and an index that grows slowly stays in level 0 for a long time.
/// Not a higher level at the bottom: ids are hashes, so while a fleet arrives every level-0 file
/// spans all ids and each compaction into the bottom level rewrites the whole index; at zstd 9
/// that took a tenth of the aggregator's CPU. (The node-like benchmark's index, all of it flushed
/// and never compacted to the bottom, is the same size either way.)
fn index_compression(o: &mut Options, opts: &RocksOptions) {
    o.set_compression_type(DBCompressionType::Zstd);
    o.set_compression_options(-14, 3, 0, 16 * 1024);
    o.set_zstd_max_train_bytes(1 << 20);
    o.set_write_buffer_size((mib(opts.write_buffer_mb) / 4).max(MIB));
}

/// Per-column-family options.
fn cf_options(name: &str, cache: &Cache, opts: &RocksOptions) -> Options {
    let mut table = BlockBasedOptions::default();
    table.set_block_cache(cache);
    // Index and filter blocks live in the (bounded) block cache instead of unbounded table
    // reader memory; L0's are pinned because every read consults them.
    table.set_cache_index_and_filter_blocks(true);
    table.set_pin_l0_filter_and_index_blocks_in_cache(true);
    let mut o = Options::default();
    o.set_compression_type(DBCompressionType::Lz4);
    match name {
        CF_CHUNKS => {
            // Chunks are already compact; larger blocks let zstd find what is left (series of
            // one metric sit together, see `head::label_hashes`, and a fleet's hosts look
            // alike), and they are read in ranges. 128 KiB: the node-like benchmark's chunks
            // took 678 KB against 760 KB in 64 KiB blocks. Level 9, not more: compaction
            // rewrites a day's chunks at the bottom level.
            table.set_block_size(128 * 1024);
            o.set_bottommost_compression_type(DBCompressionType::Zstd);
            o.set_bottommost_compression_options(-14, 9, 0, 0, true);
            o.set_write_buffer_size(mib(opts.write_buffer_mb));
            o.set_merge_operator("pharos-chunk-union", chunks::merge_chunks, chunks::merge_chunks);
        }
        keys::CF_SERIES => {
            // Point lookups (a series new to the head, labels of a posting) benefit from blooms,
            // in the memtable too: most lookups while a fleet arrives are for series not there.
            table.set_bloom_filter(10.0, false);
            table.set_block_size(32 * 1024);
            o.set_memtable_prefix_bloom_ratio(0.05);
            o.set_memtable_whole_key_filtering(true);
            index_compression(&mut o, opts);
        }
        keys::CF_POSTINGS => {
            // Read in ranges (all ids of a label pair): larger blocks compress better.
            table.set_block_size(32 * 1024);
            index_compression(&mut o, opts);
        }
        _ => index_compression(&mut o, opts),
    }
    o.set_block_based_table_factory(&table);
    o
}

/// The agent that owns a stream's new series: the stream's part before its first `/`.
fn agent_of(stream: &str) -> &str {
    stream.split('/').next().unwrap_or("")
}

impl RocksStorage {
    /// Opens (creating if needed) the store in `dir`, replays its WAL and starts the background
    /// maintenance thread.
    pub fn open(dir: &Path, opts: RocksOptions) -> Result<Self, StorageError> {
        let inner = Arc::new(Inner::open(dir, opts)?);
        let bg = Arc::clone(&inner);
        let maintenance = std::thread::Builder::new()
            .name("pharos-storage".into())
            .spawn(move || bg.maintenance_loop())
            .map_err(io("starting the maintenance thread"))?;
        Ok(RocksStorage { inner, maintenance: Some(maintenance) })
    }

    /// Counters for self-metrics.
    pub fn stats(&self) -> RocksStats {
        self.inner.stats()
    }

    /// Bytes of SST, RocksDB WAL and our WAL files.
    pub fn disk_bytes(&self) -> u64 {
        self.inner.disk_bytes()
    }

    /// Bytes of SST files per column family (`series`, `postings`, `chunks`, `meta`): where
    /// the disk goes.
    pub fn sst_bytes(&self) -> Vec<(&'static str, u64)> {
        keys::ALL_CFS
            .iter()
            .filter_map(|&name| {
                let handle = cf(&self.inner.db, name).ok()?;
                let v = self.inner.db.property_int_value_cf(handle, "rocksdb.total-sst-files-size").ok()??;
                Some((name, v))
            })
            .collect()
    }

    /// Seals every open chunk, flushes every memtable to SST files and drops the WAL (tests,
    /// benchmarks, orderly shutdown).
    pub fn flush(&self) -> Result<(), StorageError> {
        self.inner.checkpoint(true)?;
        self.inner.flush_memtables()
    }

    /// Merges small chunks and compacts RocksDB fully (tests and benchmarks; slow on a large
    /// store).
    pub fn compact(&self) -> Result<(), StorageError> {
        let all: Vec<i64> = self.inner.partitions.read().map_err(poisoned)?.iter().copied().collect();
        for p in all {
            self.inner.compact_chunks(Some(p))?;
        }
        self.inner.flush_memtables()?;
        for name in keys::ALL_CFS {
            self.inner.db.compact_range_cf(cf(&self.inner.db, name)?, None::<&[u8]>, None::<&[u8]>);
        }
        Ok(())
    }

    /// Applies retention now (otherwise done every few minutes).
    pub fn enforce_retention(&self) -> Result<(), StorageError> {
        self.inner.enforce_retention()
    }
}

impl Drop for RocksStorage {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.maintenance.take() {
            t.thread().unpark();
            let _ = t.join();
        }
        // An orderly close seals the head and flushes RocksDB's memtables, so the next open has
        // no WAL to replay (ours or RocksDB's) and the data is in compressed SST files.
        if let Err(e) = self.inner.checkpoint(true).and_then(|()| self.inner.flush_memtables()) {
            tracing::warn!(error = %e, "final checkpoint failed; the WAL will be replayed on the next open");
        }
    }
}

impl Inner {
    fn open(dir: &Path, opts: RocksOptions) -> Result<Self, StorageError> {
        if opts.write_buffer_mb == 0 {
            return Err(StorageError::Invalid("write_buffer_mb must be at least 1".into()));
        }
        let cache = Cache::new_lru_cache(mib(opts.block_cache_mb));
        let mut db_opts = Options::default();
        db_opts.create_if_missing(true);
        db_opts.create_missing_column_families(true);
        db_opts.set_db_write_buffer_size(mib(opts.write_buffer_mb).saturating_mul(2));
        db_opts.set_max_total_wal_size(mib(opts.write_buffer_mb).saturating_mul(4) as u64);
        db_opts.set_keep_log_file_num(4);
        db_opts.set_max_log_file_size(8 * MIB);
        // Write back SST and RocksDB WAL files a MiB at a time as they are written: a checkpoint
        // writes hundreds of MiB, and left dirty until one final sync they would queue every
        // append's fsync of our WAL behind them (ext4 commits its journal for all files).
        db_opts.set_bytes_per_sync(MIB as u64);
        db_opts.set_wal_bytes_per_sync(MIB as u64);
        // A store of another format may have other column families, which RocksDB would refuse
        // to open with a less helpful message than ours.
        if let Ok(existing) = DB::list_cf(&db_opts, dir.join("db")) {
            if let Some(other) = existing.iter().find(|n| *n != "default" && !keys::ALL_CFS.contains(&n.as_str())) {
                return Err(StorageError::Corrupt(format!(
                    "store has column family {other:?} of an older format; this build reads format {FORMAT_VERSION}"
                )));
            }
        }
        let descriptors =
            keys::ALL_CFS.iter().map(|name| ColumnFamilyDescriptor::new(*name, cf_options(name, &cache, &opts)));
        let db = DB::open_cf_descriptors(&db_opts, dir.join("db"), descriptors).map_err(backend)?;

        let meta = cf(&db, CF_META)?;
        match db.get_cf(meta, META_FORMAT).map_err(backend)? {
            Some(v) => {
                let format = keys::decode_u64(&v, "format version")?;
                if format != FORMAT_VERSION {
                    return Err(StorageError::Corrupt(format!(
                        "store format {format}, this build reads format {FORMAT_VERSION}"
                    )));
                }
            }
            None => {
                let mut wo = WriteOptions::default();
                wo.set_sync(true);
                db.put_cf_opt(meta, META_FORMAT, FORMAT_VERSION.to_be_bytes(), &wo).map_err(backend)?;
            }
        }
        let (wal, old_segments) = wal::Wal::open(&dir.join("wal")).map_err(io("opening the WAL"))?;
        let inner = Inner {
            db,
            dir: dir.to_path_buf(),
            opts,
            head: Head::new(),
            wal,
            gate: RwLock::new(()),
            create: Mutex::new(()),
            chunk_gate: RwLock::new(()),
            partitions: RwLock::new(BTreeSet::new()),
            dirty: Mutex::new(BTreeSet::new()),
            checkpoints: Mutex::new(HashMap::new()),
            maintenance_lock: Mutex::new(()),
            chunk_seq: AtomicU64::new(0),
            counters: Counters::default(),
            opened: Instant::now(),
            stop: AtomicBool::new(false),
            _cache: cache,
        };
        inner.load_partitions()?;
        inner.load_checkpoints()?;
        inner.load_chunk_seq()?;
        inner.replay(&old_segments)?;
        Ok(inner)
    }

    /// The next chunk sequence number.
    fn next_seq(&self) -> u64 {
        self.chunk_seq.fetch_add(1, Ordering::Relaxed)
    }

    fn now_s(&self) -> u32 {
        u32::try_from(self.opened.elapsed().as_secs()).unwrap_or(u32::MAX)
    }

    fn rules(&self) -> Rules {
        let now = crate::now_ms();
        let o = &self.opts;
        Rules {
            ooo_window_ms: millis(o.out_of_order_window),
            min_ts: if o.retention.is_zero() { i64::MIN } else { now.saturating_sub(millis(o.retention)) },
            max_ts: now.saturating_add(millis(o.max_future)),
        }
    }

    fn stats(&self) -> RocksStats {
        let c = &self.counters;
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        RocksStats {
            active_series: self.head.active(),
            series_created: l(&c.series_created),
            samples_appended: l(&c.samples_appended),
            rejected: Rejections {
                out_of_order: l(&c.out_of_order),
                too_old: l(&c.too_old),
                too_far_in_future: l(&c.too_far_in_future),
                series_limit: l(&c.series_limit),
            },
            appends: l(&c.appends),
            index_keys_read: l(&c.index_keys_read),
            chunks_read: l(&c.chunks_read),
            chunks_written: l(&c.chunks_written),
            chunks_compacted: l(&c.chunks_compacted),
            compactions: l(&c.compactions),
            checkpoints: l(&c.checkpoints),
            partitions_dropped: l(&c.partitions_dropped),
            wal_replay_seconds: l(&c.replay_micros) as f64 / 1e6,
            wal_replayed_records: l(&c.replayed_records),
        }
    }

    fn disk_bytes(&self) -> u64 {
        let db_bytes: u64 = std::fs::read_dir(self.dir.join("db"))
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| {
                        let name = e.file_name();
                        let name = name.to_string_lossy();
                        // WAL files end in `.log`; RocksDB's info log is `LOG`, not counted.
                        name.ends_with(".sst") || name.ends_with(".log")
                    })
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        db_bytes + self.wal.disk_bytes()
    }

    fn flush_memtables(&self) -> Result<(), StorageError> {
        for name in keys::ALL_CFS {
            self.db.flush_cf(cf(&self.db, name)?).map_err(backend)?;
        }
        Ok(())
    }

    pub(super) fn note_partitions(&self, parts: &[i64]) -> Result<(), StorageError> {
        self.dirty.lock().map_err(poisoned)?.extend(parts.iter().copied());
        if parts.iter().all(|p| self.partitions.read().map(|s| s.contains(p)).unwrap_or(false)) {
            return Ok(());
        }
        self.partitions.write().map_err(poisoned)?.extend(parts.iter().copied());
        Ok(())
    }

    /// The open chunk's samples of series `id`, if it is in the head.
    fn head_samples(&self, id: u64) -> Result<Vec<Sample>, StorageError> {
        let shard = self.head.shard(id)?;
        Ok(shard.series.get(&id).and_then(|s| s.chunk.as_ref()).map(|c| c.samples()).unwrap_or_default())
    }

    fn reader(&self) -> Result<read::Reader<'_>, StorageError> {
        let parts = self.partitions.read().map_err(poisoned)?.iter().copied().collect();
        read::Reader::new(&self.db, &self.counters, parts)
    }

    /// Whether series `id` has a sample in `[start, end]`.
    fn has_any(&self, reader: &mut read::Reader<'_>, id: u64, start: i64, end: i64) -> Result<bool, StorageError> {
        Ok(read::any_in(&self.head_samples(id)?, start, end) || reader.has_any(id, start, end)?)
    }

    fn matched_in_range(&self, matchers: &[Matcher], start: i64, end: i64) -> Result<Vec<Labels>, StorageError> {
        let mut out = Vec::new();
        if start > end {
            return Ok(out);
        }
        let mut reader = self.reader()?;
        for (labels, id) in index::resolve(&self.db, &self.counters, matchers)? {
            if self.has_any(&mut reader, id, start, end)? {
                out.push(labels);
            }
        }
        Ok(out)
    }
}

impl Storage for RocksStorage {
    fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        self.inner.append(data, checkpoint)
    }

    fn append_unsynced(
        &self,
        data: &[Series],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<(AppendStats, Durable), StorageError> {
        let (stats, pos) = self.inner.append_unsynced(data, checkpoint)?;
        Ok((stats, Durable::wal(self.inner.wal.subscribe(), pos)))
    }

    fn checkpoint(&self, stream: &str) -> Result<Option<u64>, StorageError> {
        // A stream's checkpoint moves with appends that may not be synced yet: answer only
        // with what is on disk.
        self.inner.wal.sync_written().map_err(io("syncing the WAL"))?;
        Ok(self.inner.checkpoints.lock().map_err(poisoned)?.get(stream).copied())
    }

    fn select(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Series>, StorageError> {
        let inner = &self.inner;
        let mut out = Vec::new();
        if start_ms > end_ms {
            return Ok(out);
        }
        let resolved = index::resolve(&inner.db, &inner.counters, matchers)?;
        let mut reader = inner.reader()?;
        for (labels, id) in resolved {
            // The head first: a chunk sealed after this read is then in RocksDB for the scan
            // (seen twice, merged), never in neither.
            let head = inner.head_samples(id)?;
            let samples = reader.scan(id, start_ms, end_ms, head)?;
            if !samples.is_empty() {
                out.push(Series { labels, samples });
            }
        }
        Ok(out)
    }

    fn series(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Labels>, StorageError> {
        self.inner.matched_in_range(matchers, start_ms, end_ms)
    }

    fn label_names(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<String>, StorageError> {
        let inner = &self.inner;
        if matchers.is_empty() {
            let mut reader = inner.reader()?;
            return index::distinct_in_range(&inner.db, &inner.counters, None, |id| {
                inner.has_any(&mut reader, id, start_ms, end_ms)
            });
        }
        let mut names = BTreeSet::new();
        for labels in inner.matched_in_range(matchers, start_ms, end_ms)? {
            names.extend(labels.into_vec().into_iter().map(|l| l.name));
        }
        Ok(names.into_iter().collect())
    }

    fn label_values(
        &self,
        name: &str,
        matchers: &[Matcher],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<String>, StorageError> {
        let inner = &self.inner;
        if matchers.is_empty() {
            let mut reader = inner.reader()?;
            return index::distinct_in_range(&inner.db, &inner.counters, Some(name), |id| {
                inner.has_any(&mut reader, id, start_ms, end_ms)
            });
        }
        let mut values = BTreeSet::new();
        for labels in inner.matched_in_range(matchers, start_ms, end_ms)? {
            if let Some(v) = labels.get(name) {
                values.insert(v.to_string());
            }
        }
        Ok(values.into_iter().collect())
    }
}
