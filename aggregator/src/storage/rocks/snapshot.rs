//! A consistent copy of the running store: what `pharos-aggregator backup` and
//! `POST /api/v1/admin/tsdb/snapshot` save.
//!
//! The copy is what a crash at one moment would have left on disk, which opening already knows
//! how to recover from:
//!
//! 1. with the maintenance lock held (no checkpoint runs, so no WAL segment is dropped),
//! 2. RocksDB makes a checkpoint of itself (its memtables flushed, its SST files hard-linked:
//!    cheap, and appends go on meanwhile);
//! 3. the WAL is rotated under the append gate (appends wait for one file creation), and every
//!    segment up to the rotated one is hard-linked (copied across file systems) into the copy.
//!
//! Every sample acknowledged before the call is either in a segment dropped by an earlier
//! checkpoint, which had written it into RocksDB before step 2, or in a segment linked in step 3.
//! The segments also hold every append whose effects RocksDB's copy has (an append writes its
//! WAL record before anything else), so the copy's RocksDB is never ahead of its WAL: the
//! stream checkpoints it stores are ones the samples in the copy back. Opening the copy replays
//! the segments into the head, as after a crash. Rotated segments are never written again, so
//! linking shares their data safely; the live store unlinks its names later, the copy keeps its
//! own.
//!
//! The simpler alternative, a full checkpoint (every open chunk written into RocksDB) before
//! step 2, would write the whole head on every snapshot and still need the WAL for appends
//! that land during it.

use super::{backend, io, poisoned, wal, Inner, RocksStorage};
use crate::storage::StorageError;
use std::fs;
use std::path::Path;

/// What a snapshot holds besides RocksDB's files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotStats {
    /// WAL segments in the copy (replayed when it is opened).
    pub wal_segments: u64,
    /// Their bytes.
    pub wal_bytes: u64,
}

impl RocksStorage {
    /// Writes a consistent copy of the store into `out` (which must not exist; its parent is
    /// created), while appends go on: opened with [`RocksStorage::open`], the copy holds every
    /// sample acknowledged before this call. With `skip_head` the WAL is left out (Prometheus'
    /// `skip_head`): the copy holds what the last checkpoint wrote into RocksDB, without the
    /// samples since (up to `checkpoint_interval` of them). `out` should be on the same file
    /// system as the store, for hard links; elsewhere the files are copied.
    pub fn snapshot(&self, out: &Path, skip_head: bool) -> Result<SnapshotStats, StorageError> {
        self.inner.snapshot(out, skip_head)
    }
}

impl Inner {
    fn snapshot(&self, out: &Path, skip_head: bool) -> Result<SnapshotStats, StorageError> {
        if out.exists() {
            return Err(StorageError::Invalid(format!("snapshot target {} already exists", out.display())));
        }
        fs::create_dir_all(out).map_err(io("creating the snapshot directory"))?;
        let wal_out = out.join("wal");
        fs::create_dir(&wal_out).map_err(io("creating the snapshot's WAL directory"))?;
        let mut stats = SnapshotStats::default();
        let maintenance = self.maintenance_lock.lock().map_err(poisoned)?;
        rocksdb::checkpoint::Checkpoint::new(&self.db)
            .and_then(|c| c.create_checkpoint(out.join("db")))
            .map_err(backend)?;
        if !skip_head {
            let done = {
                let _g = self.gate.write().map_err(poisoned)?;
                self.wal.rotate().map_err(io("rotating the WAL"))?
            };
            let wal_dir = self.dir.join("wal");
            for seg in wal::segments(&wal_dir).map_err(io("listing the WAL"))? {
                if seg > done {
                    continue;
                }
                let name = format!("{seg:016x}.seg");
                let bytes = link_or_copy(&wal_dir.join(&name), &wal_out.join(&name))
                    .map_err(io("copying a WAL segment into the snapshot"))?;
                stats.wal_segments += 1;
                stats.wal_bytes += bytes;
            }
        }
        drop(maintenance);
        // The links' directory entries must survive a crash, like the store's own.
        fs::File::open(&wal_out).and_then(|d| d.sync_all()).map_err(io("syncing the snapshot's WAL directory"))?;
        fs::File::open(out).and_then(|d| d.sync_all()).map_err(io("syncing the snapshot directory"))?;
        Ok(stats)
    }
}

/// Hard-links `from` to `to`, or copies it (and syncs the copy) when a link is impossible (another
/// file system); returns its size.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<u64> {
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to)?;
        fs::File::open(to)?.sync_all()?;
    }
    Ok(fs::metadata(to)?.len())
}
