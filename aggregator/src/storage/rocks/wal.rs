//! The write-ahead log: every append is one record, fsynced before it is acknowledged, replayed
//! into the head on restart, and dropped segment by segment once a checkpoint has put the head's
//! content into RocksDB.
//!
//! Files are `wal/<segment:016x>.seg`. A record is `len u32 LE, crc32 u32 LE, payload`; replay
//! stops at the first record that is short or fails its checksum (a write torn by the crash,
//! never acknowledged).
//!
//! Syncing is one thread's job (group commit): an appender writes its record, asks for a sync
//! and goes on applying its samples to the head while the syncer's fsync runs; it waits for the
//! sync only before it acknowledges. One fsync covers every record written before it started,
//! so concurrent appenders share it, and an append's fsync no longer adds to its CPU work.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// Largest record replay accepts; a larger length field is a torn or corrupt header.
pub(crate) const MAX_RECORD: usize = 256 << 20;

struct Writer {
    file: Arc<File>,
    segment: u64,
    /// Bytes written to all segments since open: the position records are synced up to.
    pos: u64,
}

/// What the syncer thread and the appenders share.
#[derive(Default)]
struct SyncState {
    /// Highest position some appender waits for.
    requested: u64,
    /// Position up to which everything is on disk.
    synced: u64,
    /// A failed fsync. It stays: after a failed fsync the kernel may have dropped the dirty
    /// pages and a later fsync would succeed without them, so nothing is acknowledged again
    /// until a restart replays what is really on disk.
    failed: Option<String>,
    /// The log is being dropped.
    stop: bool,
}

/// The synced position, published for appenders that wait without a thread
/// ([`crate::storage::Durable`]).
#[derive(Debug, Clone, Default)]
pub struct SyncedTo {
    /// Everything up to this position is on disk.
    pub pos: u64,
    /// The fsync failure that stopped syncing, if any.
    pub failed: Option<Arc<str>>,
}

struct Syncer {
    state: Mutex<SyncState>,
    published: tokio::sync::watch::Sender<SyncedTo>,
    /// Wakes the syncer thread: a new request, or stop.
    wake: Condvar,
    /// Wakes waiting appenders: `synced` moved or a sync failed.
    done: Condvar,
}

/// An open log, appending to its newest segment.
pub(crate) struct Wal {
    dir: PathBuf,
    /// Lock order: `writer`, then the syncer's state.
    writer: Arc<Mutex<Writer>>,
    sync: Arc<Syncer>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn segment_path(dir: &Path, seg: u64) -> PathBuf {
    dir.join(format!("{seg:016x}.seg"))
}

fn poisoned<T>(_: T) -> io::Error {
    io::Error::other("wal lock poisoned")
}

/// The segment numbers in `dir`, ascending.
pub(crate) fn segments(dir: &Path) -> io::Result<Vec<u64>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let name = e?.file_name();
        let name = name.to_string_lossy();
        if let Some(hex) = name.strip_suffix(".seg") {
            if let Ok(n) = u64::from_str_radix(hex, 16) {
                out.push(n);
            }
        }
    }
    out.sort_unstable();
    Ok(out)
}

fn create_segment(dir: &Path, seg: u64) -> io::Result<File> {
    let f = OpenOptions::new().create_new(true).append(true).open(segment_path(dir, seg))?;
    // The new file's directory entry must survive a crash too.
    File::open(dir)?.sync_all()?;
    Ok(f)
}

impl Wal {
    /// Opens the log in `dir` (created if missing) with a fresh segment after every existing
    /// one; the existing ones are returned for replay, oldest first.
    pub(crate) fn open(dir: &Path) -> io::Result<(Wal, Vec<u64>)> {
        fs::create_dir_all(dir)?;
        let old = segments(dir)?;
        let segment = old.last().map_or(1, |s| s + 1);
        let file = Arc::new(create_segment(dir, segment)?);
        let writer = Arc::new(Mutex::new(Writer { file, segment, pos: 0 }));
        let sync = Arc::new(Syncer {
            state: Mutex::new(SyncState::default()),
            published: tokio::sync::watch::Sender::new(SyncedTo::default()),
            wake: Condvar::new(),
            done: Condvar::new(),
        });
        let thread = {
            let (writer, sync) = (Arc::clone(&writer), Arc::clone(&sync));
            std::thread::Builder::new().name("wal-sync".into()).spawn(move || run_syncer(&writer, &sync))?
        };
        Ok((Wal { dir: dir.to_path_buf(), writer, sync, thread: Some(thread) }, old))
    }

    /// Writes one record (not yet synced); returns its end, the position to pass to
    /// [`request_sync`](Self::request_sync) and [`wait_synced`](Self::wait_synced).
    pub(crate) fn append(&self, payload: &[u8]) -> io::Result<u64> {
        let len = u32::try_from(payload.len()).ok().filter(|&l| l as usize <= MAX_RECORD);
        let len = len.ok_or_else(|| io::Error::other(format!("wal record of {} bytes", payload.len())))?;
        let mut header = [0u8; 8];
        header[..4].copy_from_slice(&len.to_le_bytes());
        header[4..].copy_from_slice(&crc32fast::hash(payload).to_le_bytes());
        let mut w = self.writer.lock().map_err(poisoned)?;
        // Two writes rather than a copy of the payload behind the header: only this lock's
        // holder appends, and a crash between them leaves a short record that replay skips.
        (&*w.file).write_all(&header)?;
        (&*w.file).write_all(payload)?;
        w.pos += 8 + payload.len() as u64;
        Ok(w.pos)
    }

    /// Asks the syncer to put everything up to `pos` on disk, without waiting.
    pub(crate) fn request_sync(&self, pos: u64) {
        if let Ok(mut st) = self.sync.state.lock() {
            if pos > st.requested {
                st.requested = pos;
                self.sync.wake.notify_one();
            }
        }
    }

    /// The synced position as it moves, for waiting without a thread.
    pub(crate) fn subscribe(&self) -> tokio::sync::watch::Receiver<SyncedTo> {
        self.sync.published.subscribe()
    }

    /// Returns once everything written so far is on disk.
    pub(crate) fn sync_written(&self) -> io::Result<()> {
        let pos = self.writer.lock().map_err(poisoned)?.pos;
        self.request_sync(pos);
        self.wait_synced(pos)
    }

    /// Returns once everything up to `pos` is on disk (after [`request_sync`](Self::request_sync)).
    pub(crate) fn wait_synced(&self, pos: u64) -> io::Result<()> {
        let mut st = self.sync.state.lock().map_err(poisoned)?;
        loop {
            if let Some(e) = &st.failed {
                return Err(io::Error::other(format!("an earlier WAL fsync failed ({e}); restart the aggregator")));
            }
            if st.synced >= pos {
                return Ok(());
            }
            if st.requested < pos {
                st.requested = pos;
                self.sync.wake.notify_one();
            }
            st = self.sync.done.wait(st).map_err(poisoned)?;
        }
    }

    /// Returns once everything up to `pos` is on disk.
    #[cfg(test)]
    pub(crate) fn sync_to(&self, pos: u64) -> io::Result<()> {
        self.request_sync(pos);
        self.wait_synced(pos)
    }

    /// Syncs the current segment and starts a new one; returns the number of the last segment
    /// that is complete (everything appended so far is in it or before it).
    pub(crate) fn rotate(&self) -> io::Result<u64> {
        let mut w = self.writer.lock().map_err(poisoned)?;
        w.file.sync_data()?;
        let done = w.segment;
        w.file = Arc::new(create_segment(&self.dir, done + 1)?);
        w.segment = done + 1;
        let mut st = self.sync.state.lock().map_err(poisoned)?;
        st.synced = st.synced.max(w.pos);
        publish(&self.sync, &st);
        Ok(done)
    }

    /// Deletes every segment numbered `last` or lower.
    pub(crate) fn remove_through(&self, last: u64) -> io::Result<()> {
        for seg in segments(&self.dir)? {
            if seg <= last {
                fs::remove_file(segment_path(&self.dir, seg))?;
            }
        }
        Ok(())
    }

    /// Bytes in all segment files.
    pub(crate) fn disk_bytes(&self) -> u64 {
        segments(&self.dir)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| fs::metadata(segment_path(&self.dir, s)).ok())
            .map(|m| m.len())
            .sum()
    }
}

impl Drop for Wal {
    fn drop(&mut self) {
        if let Ok(mut st) = self.sync.state.lock() {
            st.stop = true;
            self.sync.wake.notify_one();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The syncer thread: fsyncs the current segment whenever some appender waits for a position
/// beyond the synced one, covering everything written before the fsync started.
fn run_syncer(writer: &Mutex<Writer>, sync: &Syncer) {
    let Ok(mut st) = sync.state.lock() else { return };
    loop {
        while !st.stop && (st.requested <= st.synced || st.failed.is_some()) {
            st = match sync.wake.wait(st) {
                Ok(st) => st,
                Err(_) => return,
            };
        }
        if st.stop {
            return;
        }
        drop(st);
        let target = writer.lock().map(|w| (Arc::clone(&w.file), w.pos));
        let result = match target {
            Ok((file, end)) => file.sync_data().map(|()| end).map_err(|e| e.to_string()),
            Err(_) => Err("wal lock poisoned".to_string()),
        };
        st = match sync.state.lock() {
            Ok(st) => st,
            Err(_) => return,
        };
        match result {
            Ok(end) => st.synced = st.synced.max(end),
            Err(e) => {
                tracing::error!(error = %e, "WAL fsync failed: no append is acknowledged until a restart");
                st.failed = Some(e);
            }
        }
        publish(sync, &st);
    }
}

/// Wakes the appenders waiting on `st` (both kinds).
fn publish(sync: &Syncer, st: &SyncState) {
    sync.done.notify_all();
    sync.published.send_replace(SyncedTo { pos: st.synced, failed: st.failed.as_deref().map(Arc::from) });
}

/// What a replay read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReplayStats {
    /// Records handed to the callback.
    pub records: u64,
    /// Segments that ended in a torn or corrupt record (the rest of that segment was skipped).
    pub torn: u64,
}

/// Calls `f` with every intact record of `segs` in `dir`, in order.
pub(crate) fn replay<E>(
    dir: &Path,
    segs: &[u64],
    mut f: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<Result<ReplayStats, E>, io::Error> {
    let mut stats = ReplayStats::default();
    for &seg in segs {
        let mut data = Vec::new();
        File::open(segment_path(dir, seg))?.read_to_end(&mut data)?;
        let mut pos = 0usize;
        while pos < data.len() {
            let Some(header) = data.get(pos..pos + 8) else {
                stats.torn += 1;
                break;
            };
            let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
            let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
            let payload = match data.get(pos + 8..pos + 8 + len) {
                Some(p) if len <= MAX_RECORD && crc32fast::hash(p) == crc => p,
                _ => {
                    stats.torn += 1;
                    break;
                }
            };
            if let Err(e) = f(payload) {
                return Ok(Err(e));
            }
            stats.records += 1;
            pos += 8 + len;
        }
    }
    Ok(Ok(stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(dir: &Path, segs: &[u64]) -> (Vec<Vec<u8>>, ReplayStats) {
        let mut out = Vec::new();
        let stats = replay::<()>(dir, segs, |r| {
            out.push(r.to_vec());
            Ok(())
        })
        .unwrap()
        .unwrap();
        (out, stats)
    }

    #[test]
    fn records_survive_reopen_and_rotation_drops_old_segments() {
        let dir = tempfile::tempdir().unwrap();
        let (wal, old) = Wal::open(dir.path()).unwrap();
        assert!(old.is_empty());
        let p = wal.append(b"one").unwrap();
        wal.sync_to(p).unwrap();
        let done = wal.rotate().unwrap();
        let p = wal.append(b"two").unwrap();
        wal.sync_to(p).unwrap();
        drop(wal);
        let (wal, old) = Wal::open(dir.path()).unwrap();
        assert_eq!(old.len(), 2);
        assert_eq!(read_all(dir.path(), &old).0, vec![b"one".to_vec(), b"two".to_vec()]);
        wal.remove_through(done).unwrap();
        let left = segments(dir.path()).unwrap();
        assert_eq!(read_all(dir.path(), &left).0, vec![b"two".to_vec()]);
    }

    #[test]
    fn concurrent_appenders_share_the_syncer_and_every_record_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (wal, _) = Wal::open(dir.path()).unwrap();
        let wal = Arc::new(wal);
        let mut watch = wal.subscribe();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let wal = Arc::clone(&wal);
                std::thread::spawn(move || {
                    for i in 0..50 {
                        let pos = wal.append(format!("{t}-{i}").as_bytes()).unwrap();
                        wal.request_sync(pos);
                        wal.wait_synced(pos).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // The published position reached the end of the last record.
        let end = wal.writer.lock().unwrap().pos;
        assert!(watch.borrow_and_update().pos >= end);
        drop(wal);
        let (records, stats) = read_all(dir.path(), &segments(dir.path()).unwrap());
        assert_eq!(records.len(), 400);
        assert_eq!(stats.torn, 0);
        for t in 0..8 {
            let mine: Vec<_> = records.iter().filter(|r| r.starts_with(format!("{t}-").as_bytes())).collect();
            let want: Vec<Vec<u8>> = (0..50).map(|i| format!("{t}-{i}").into_bytes()).collect();
            assert_eq!(mine.into_iter().cloned().collect::<Vec<_>>(), want, "appender {t}'s records in order");
        }
    }

    #[test]
    fn a_torn_tail_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let (wal, _) = Wal::open(dir.path()).unwrap();
        wal.append(b"intact").unwrap();
        wal.append(b"torn record").unwrap();
        drop(wal);
        let seg = segments(dir.path()).unwrap()[0];
        let path = segment_path(dir.path(), seg);
        let len = fs::metadata(&path).unwrap().len();
        OpenOptions::new().write(true).open(&path).unwrap().set_len(len - 3).unwrap();
        let (records, stats) = read_all(dir.path(), &[seg]);
        assert_eq!(records, vec![b"intact".to_vec()]);
        assert_eq!(stats, ReplayStats { records: 1, torn: 1 });
        // A flipped payload bit fails the checksum.
        let mut data = fs::read(&path).unwrap();
        data[9] ^= 1;
        fs::write(&path, data).unwrap();
        assert_eq!(read_all(dir.path(), &[seg]).0.len(), 0);
    }
}
