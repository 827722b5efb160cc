//! The write-ahead log: every append is one record, fsynced before it is acknowledged, replayed
//! into the head on restart, and dropped segment by segment once a checkpoint has put the head's
//! content into RocksDB.
//!
//! Files are `wal/<segment:016x>.seg`. A record is `len u32 LE, crc32 u32 LE, payload`; replay
//! stops at the first record that is short or fails its checksum (a write torn by the crash,
//! never acknowledged). Concurrent appenders share fsyncs: whoever syncs covers every record
//! written before the sync started (group commit).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Largest record replay accepts; a larger length field is a torn or corrupt header.
pub(crate) const MAX_RECORD: usize = 256 << 20;

struct Writer {
    file: Arc<File>,
    segment: u64,
    /// Bytes written to all segments since open: the position records are synced up to.
    pos: u64,
}

/// An open log, appending to its newest segment.
pub(crate) struct Wal {
    dir: PathBuf,
    writer: Mutex<Writer>,
    /// Position up to which everything is on disk. Lock order: `synced`, then `writer`.
    synced: Mutex<u64>,
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
        let wal =
            Wal { dir: dir.to_path_buf(), writer: Mutex::new(Writer { file, segment, pos: 0 }), synced: Mutex::new(0) };
        Ok((wal, old))
    }

    /// Writes one record; returns the position to pass to [`sync_to`](Self::sync_to).
    pub(crate) fn append(&self, payload: &[u8]) -> io::Result<u64> {
        let len = u32::try_from(payload.len()).ok().filter(|&l| l as usize <= MAX_RECORD);
        let len = len.ok_or_else(|| io::Error::other(format!("wal record of {} bytes", payload.len())))?;
        let mut frame = Vec::with_capacity(payload.len() + 8);
        frame.extend_from_slice(&len.to_le_bytes());
        frame.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        frame.extend_from_slice(payload);
        let mut w = self.writer.lock().map_err(poisoned)?;
        (&*w.file).write_all(&frame)?;
        w.pos += frame.len() as u64;
        Ok(w.pos)
    }

    /// Returns once everything up to `pos` is on disk.
    pub(crate) fn sync_to(&self, pos: u64) -> io::Result<()> {
        let mut synced = self.synced.lock().map_err(poisoned)?;
        if *synced >= pos {
            return Ok(());
        }
        let (file, end) = {
            let w = self.writer.lock().map_err(poisoned)?;
            (Arc::clone(&w.file), w.pos)
        };
        file.sync_data()?;
        *synced = end;
        Ok(())
    }

    /// Syncs the current segment and starts a new one; returns the number of the last segment
    /// that is complete (everything appended so far is in it or before it).
    pub(crate) fn rotate(&self) -> io::Result<u64> {
        let mut synced = self.synced.lock().map_err(poisoned)?;
        let mut w = self.writer.lock().map_err(poisoned)?;
        w.file.sync_data()?;
        *synced = w.pos;
        let done = w.segment;
        w.file = Arc::new(create_segment(&self.dir, done + 1)?);
        w.segment = done + 1;
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
        wal.append(b"two").unwrap();
        wal.sync_to(p + 100).unwrap();
        drop(wal);
        let (wal, old) = Wal::open(dir.path()).unwrap();
        assert_eq!(old.len(), 2);
        assert_eq!(read_all(dir.path(), &old).0, vec![b"one".to_vec(), b"two".to_vec()]);
        wal.remove_through(done).unwrap();
        let left = segments(dir.path()).unwrap();
        assert_eq!(read_all(dir.path(), &left).0, vec![b"two".to_vec()]);
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
