//! The durable [`Storage`]: RocksDB with a series index and one key per sample.
//!
//! Layout (see `keys.rs`): `series` id → labels, `labels` labels → id, `postings`
//! name/value/id → ∅, `samples` id/timestamp → value, `meta` checkpoints and counters.
//!
//! Durability: an append is one `WriteBatch` — new index entries, samples and the stream's
//! checkpoint — written with a synced WAL, so when `append` returns the batch survives a crash
//! or power loss, and a batch is either wholly there or not at all.

mod index;
mod keys;
mod samples;

#[cfg(test)]
mod tests;

use super::{AppendStats, Checkpoint, Matcher, Storage, StorageError};
use keys::{CF_META, FIRST_SERIES_ID, FORMAT_VERSION, META_FORMAT, META_NEXT_SERIES_ID};
use pharos_protocol::{Labels, Series};
use rocksdb::{
    BlockBasedOptions, Cache, ColumnFamily, ColumnFamilyDescriptor, DBCompressionType, Options, WriteBatch,
    WriteOptions, DB,
};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

/// Tuning of the RocksDB store; every field has a default suited to a small machine.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RocksOptions {
    /// Block cache shared by all column families, in MiB.
    pub block_cache_mb: usize,
    /// Memtable budget in MiB: the `samples` memtable size and the cap on all memtables together.
    pub write_buffer_mb: usize,
}

impl Default for RocksOptions {
    fn default() -> Self {
        RocksOptions { block_cache_mb: 64, write_buffer_mb: 32 }
    }
}

/// Counters for self-monitoring. Totals since open unless noted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RocksStats {
    /// Series in the store (all time, not since open).
    pub series: u64,
    /// Series created since open.
    pub series_created: u64,
    /// Samples written by appends.
    pub samples_appended: u64,
    /// Successful appends.
    pub appends: u64,
    /// Index keys read (postings, labels, series) by appends and queries.
    pub index_keys_read: u64,
    /// Sample keys read by queries, including the one key peeked past the end of each range.
    pub sample_keys_read: u64,
}

/// Atomic counters behind [`RocksStats`], shared with the submodules.
#[derive(Default)]
pub(crate) struct Counters {
    series: AtomicU64,
    series_created: AtomicU64,
    samples_appended: AtomicU64,
    appends: AtomicU64,
    index_keys_read: AtomicU64,
    sample_keys_read: AtomicU64,
}

/// The RocksDB-backed storage. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct RocksStorage {
    db: DB,
    dir: PathBuf,
    /// Labels → id of series known to exist durably. Filled lazily from the `labels` CF, so an
    /// append of a known series touches no index key.
    ids: RwLock<HashMap<Labels, u64>>,
    /// The next unallocated series id. Holding this lock is what serializes series creation.
    next_id: Mutex<u64>,
    counters: Counters,
    /// Kept so the block cache visibly lives as long as the database using it.
    _cache: Cache,
}

/// What [`RocksStorage::resolve_new_series`] found out.
struct Resolved<'a> {
    /// The next unallocated series id once the batch is written.
    next_id: u64,
    /// Label sets to publish to the id cache once the batch is durable.
    ids: Vec<(&'a Labels, u64)>,
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

const MIB: usize = 1 << 20;

/// `mb` MiB in bytes; saturates rather than wrapping on an absurd configuration value.
fn mib(mb: usize) -> usize {
    mb.saturating_mul(MIB)
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
        keys::CF_SAMPLES => {
            // Larger blocks compress better and samples are read in ranges, not point lookups.
            table.set_block_size(16 * 1024);
            o.set_bottommost_compression_type(DBCompressionType::Zstd);
            o.set_write_buffer_size(mib(opts.write_buffer_mb));
        }
        keys::CF_SERIES | keys::CF_LABELS => {
            // Point lookups (append of an unknown series, labels of a posting) benefit from blooms.
            table.set_bloom_filter(10.0, false);
            o.set_write_buffer_size((mib(opts.write_buffer_mb) / 4).max(MIB));
        }
        _ => o.set_write_buffer_size((mib(opts.write_buffer_mb) / 4).max(MIB)),
    }
    o.set_block_based_table_factory(&table);
    o
}

impl RocksStorage {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path, opts: RocksOptions) -> Result<Self, StorageError> {
        if opts.write_buffer_mb == 0 {
            return Err(StorageError::Invalid("write_buffer_mb must be at least 1".into()));
        }
        let cache = Cache::new_lru_cache(mib(opts.block_cache_mb));
        let mut db_opts = Options::default();
        db_opts.create_if_missing(true);
        db_opts.create_missing_column_families(true);
        db_opts.set_db_write_buffer_size(mib(opts.write_buffer_mb));
        // The index and meta CFs change rarely, and their unflushed memtables would otherwise pin
        // every WAL file since their last flush; this forces those flushes and bounds the WAL.
        db_opts.set_max_total_wal_size(mib(opts.write_buffer_mb).saturating_mul(4) as u64);
        db_opts.set_keep_log_file_num(4);
        db_opts.set_max_log_file_size(8 * MIB);
        let descriptors =
            keys::ALL_CFS.iter().map(|name| ColumnFamilyDescriptor::new(*name, cf_options(name, &cache, &opts)));
        let db = DB::open_cf_descriptors(&db_opts, dir, descriptors).map_err(backend)?;

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
        let next_id = match db.get_cf(meta, META_NEXT_SERIES_ID).map_err(backend)? {
            Some(v) => keys::decode_u64(&v, "next series id")?,
            None => FIRST_SERIES_ID,
        };
        if next_id < FIRST_SERIES_ID {
            return Err(StorageError::Corrupt(format!("next series id {next_id}")));
        }
        let counters = Counters::default();
        counters.series.store(next_id - FIRST_SERIES_ID, Ordering::Relaxed);
        Ok(RocksStorage {
            db,
            dir: dir.to_path_buf(),
            ids: RwLock::new(HashMap::new()),
            next_id: Mutex::new(next_id),
            counters,
            _cache: cache,
        })
    }

    /// Counters for self-metrics.
    pub fn stats(&self) -> RocksStats {
        let c = &self.counters;
        RocksStats {
            series: c.series.load(Ordering::Relaxed),
            series_created: c.series_created.load(Ordering::Relaxed),
            samples_appended: c.samples_appended.load(Ordering::Relaxed),
            appends: c.appends.load(Ordering::Relaxed),
            index_keys_read: c.index_keys_read.load(Ordering::Relaxed),
            sample_keys_read: c.sample_keys_read.load(Ordering::Relaxed),
        }
    }

    /// Bytes of SST and WAL files in the store's directory.
    pub fn disk_bytes(&self) -> u64 {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
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
    }

    /// Flushes every memtable to SST files and waits (tests, benchmarks, orderly shutdown).
    pub fn flush(&self) -> Result<(), StorageError> {
        for name in keys::ALL_CFS {
            self.db.flush_cf(cf(&self.db, name)?).map_err(backend)?;
        }
        Ok(())
    }

    /// Compacts every column family fully (tests and benchmarks; slow on a large store).
    pub fn compact(&self) -> Result<(), StorageError> {
        for name in keys::ALL_CFS {
            self.db.compact_range_cf(cf(&self.db, name)?, None::<&[u8]>, None::<&[u8]>);
        }
        Ok(())
    }

    /// Resolves the ids of the series in `data` that are not yet cached, creating missing series
    /// in `batch`.
    fn resolve_new_series<'a>(
        &self,
        data: &'a [Series],
        ids: &mut [Option<u64>],
        batch: &mut WriteBatch,
        mut next_id: u64,
    ) -> Result<Resolved<'a>, StorageError> {
        let mut resolved: Vec<(&Labels, u64)> = Vec::new();
        let mut local: HashMap<&Labels, u64> = HashMap::new();
        let cache = self.ids.read().map_err(poisoned)?;
        for (slot, s) in ids.iter_mut().zip(data) {
            if slot.is_some() || s.samples.is_empty() {
                continue;
            }
            // Another append may have created it while we waited for the lock, or an earlier
            // series of this batch.
            if let Some(&id) = cache.get(&s.labels).or_else(|| local.get(&s.labels)) {
                *slot = Some(id);
                continue;
            }
            let id = match index::lookup_id(&self.db, &self.counters, &s.labels)? {
                Some(id) => id,
                None => {
                    let id = next_id;
                    next_id =
                        next_id.checked_add(1).ok_or_else(|| StorageError::Backend("series ids exhausted".into()))?;
                    index::put_series(&self.db, batch, id, &s.labels)?;
                    id
                }
            };
            local.insert(&s.labels, id);
            resolved.push((&s.labels, id));
            *slot = Some(id);
        }
        Ok(Resolved { next_id, ids: resolved })
    }

    /// Matched series that have at least one sample in range.
    fn matched_in_range(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Labels>, StorageError> {
        let mut reader = samples::Reader::new(&self.db, &self.counters)?;
        let mut out = Vec::new();
        for (labels, id) in index::resolve(&self.db, &self.counters, matchers)? {
            if reader.has_any(id, start_ms, end_ms)? {
                out.push(labels);
            }
        }
        Ok(out)
    }
}

impl Storage for RocksStorage {
    fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        let mut ids: Vec<Option<u64>> = vec![None; data.len()];
        let mut missing = false;
        {
            let cache = self.ids.read().map_err(poisoned)?;
            for (slot, s) in ids.iter_mut().zip(data) {
                if !s.samples.is_empty() {
                    *slot = cache.get(&s.labels).copied();
                    missing |= slot.is_none();
                }
            }
        }
        let mut batch = WriteBatch::default();
        // Series creation holds `next_id` until the batch is durable and the cache updated: if
        // an id were published earlier, a concurrent append could ack samples under it that a
        // crash would leave without their index entries. Appends of known series skip the lock
        // and their synced writes proceed in parallel (RocksDB groups them into one fsync).
        let mut creating = if missing { Some(self.next_id.lock().map_err(poisoned)?) } else { None };
        let mut created = None;
        if let Some(guard) = creating.as_deref() {
            let resolved = self.resolve_new_series(data, &mut ids, &mut batch, *guard)?;
            if resolved.next_id != *guard {
                batch.put_cf(cf(&self.db, CF_META)?, META_NEXT_SERIES_ID, resolved.next_id.to_be_bytes());
            }
            created = Some(resolved);
        }
        let mut stats = AppendStats::default();
        for (id, s) in ids.iter().zip(data) {
            let Some(id) = *id else { continue };
            samples::put_all(&self.db, &mut batch, id, &s.samples)?;
            stats.accepted += s.samples.len() as u64;
        }
        if let Some(cp) = checkpoint {
            batch.put_cf(cf(&self.db, CF_META)?, keys::checkpoint_key(&cp.stream), cp.seq.to_be_bytes());
        }
        let mut wo = WriteOptions::default();
        wo.set_sync(true);
        self.db.write_opt(batch, &wo).map_err(backend)?;

        if let (Some(guard), Some(resolved)) = (creating.as_mut(), created) {
            let n = resolved.next_id - **guard;
            **guard = resolved.next_id;
            let mut cache = self.ids.write().map_err(poisoned)?;
            cache.extend(resolved.ids.into_iter().map(|(labels, id)| (labels.clone(), id)));
            self.counters.series.fetch_add(n, Ordering::Relaxed);
            self.counters.series_created.fetch_add(n, Ordering::Relaxed);
        }
        drop(creating);
        self.counters.samples_appended.fetch_add(stats.accepted, Ordering::Relaxed);
        self.counters.appends.fetch_add(1, Ordering::Relaxed);
        Ok(stats)
    }

    fn checkpoint(&self, stream: &str) -> Result<Option<u64>, StorageError> {
        let meta = cf(&self.db, CF_META)?;
        match self.db.get_pinned_cf(meta, keys::checkpoint_key(stream)).map_err(backend)? {
            Some(v) => Ok(Some(keys::decode_u64(&v, "checkpoint")?)),
            None => Ok(None),
        }
    }

    fn select(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Series>, StorageError> {
        let mut reader = samples::Reader::new(&self.db, &self.counters)?;
        let mut out = Vec::new();
        for (labels, id) in index::resolve(&self.db, &self.counters, matchers)? {
            let samples = reader.scan(id, start_ms, end_ms)?;
            if !samples.is_empty() {
                out.push(Series { labels, samples });
            }
        }
        Ok(out)
    }

    fn series(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Labels>, StorageError> {
        self.matched_in_range(matchers, start_ms, end_ms)
    }

    fn label_names(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<String>, StorageError> {
        if matchers.is_empty() {
            let mut reader = samples::Reader::new(&self.db, &self.counters)?;
            return index::distinct_in_range(&self.db, &self.counters, None, |id| reader.has_any(id, start_ms, end_ms));
        }
        let mut names = BTreeSet::new();
        for labels in self.matched_in_range(matchers, start_ms, end_ms)? {
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
        if matchers.is_empty() {
            let mut reader = samples::Reader::new(&self.db, &self.counters)?;
            return index::distinct_in_range(&self.db, &self.counters, Some(name), |id| {
                reader.has_any(id, start_ms, end_ms)
            });
        }
        let mut values = BTreeSet::new();
        for labels in self.matched_in_range(matchers, start_ms, end_ms)? {
            if let Some(v) = labels.get(name) {
                values.insert(v.to_string());
            }
        }
        Ok(values.into_iter().collect())
    }
}
