//! Pharos' disk buffer: a segmented append-only log of records waiting for a peer's
//! acknowledgement — the agent's batches for the aggregator, and the aggregator's remote-write
//! queues for their endpoints.
//!
//! Every record is written to its segment file before `append` returns (and fsynced first under
//! the default policy), so no unacknowledged record ever lives only in this process's memory: a
//! crash or SIGKILL loses nothing that `append` accepted. A ledger beside the segments records
//! the acknowledged sequence number and the size cap's drops; segment files are deleted only after
//! the ledger says so. Records are never handed out for sending before they are fsynced, so a
//! sequence number the aggregator has seen is never reused after a power loss.
//!
//! Layout of the directory: `ledger` (see `ledger.rs`), `lock` (flock held while open) and
//! `<first seq, 20 digits>.seg` segment files (see `segment.rs` and `record.rs`).

mod config;
mod ledger;
mod record;
mod recover;
mod segment;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_stress;

pub use config::{BufferConfig, FsyncPolicy};

/// Locks a buffer shared between the collection loop and the uplink. Every buffer operation is
/// crash-safe on disk, so a lock poisoned by a panicking holder still guards a consistent buffer.
pub fn lock_shared(buffer: &std::sync::Mutex<DiskBuffer>) -> std::sync::MutexGuard<'_, DiskBuffer> {
    buffer.lock().unwrap_or_else(|p| p.into_inner())
}

/// Bytes one record with a payload of `payload_len` bytes occupies on disk (header included).
pub fn record_disk_bytes(payload_len: usize) -> u64 {
    record::frame_len(payload_len)
}

use std::collections::VecDeque;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use tracing::warn;

use ledger::Ledger;
use record::{SegmentCursor, Step, MAX_PAYLOAD_LEN};
use segment::{segment_path, SegmentMeta, SEGMENT_HEADER_LEN};

/// File holding the advisory lock that keeps two processes out of one buffer directory.
const LOCK_FILE: &str = "lock";
/// Capacity of the frame encoding buffer kept between appends; a larger one left by an unusually
/// big record is released so memory stays bounded by typical record size.
const KEEP_FRAME_CAPACITY: usize = 1 << 20;

/// Errors of the disk buffer.
#[derive(Debug, thiserror::Error)]
pub enum BufferError {
    /// An I/O operation on a buffer file failed.
    #[error("disk buffer I/O error on {path}: {source}")]
    Io {
        /// File or directory involved.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: io::Error,
    },
    /// Another process (or another handle in this one) has the buffer directory open.
    #[error("disk buffer directory {0} is in use by another process")]
    Locked(PathBuf),
    /// The configuration cannot be used.
    #[error("invalid disk buffer configuration: {0}")]
    Config(String),
    /// `append` was called with a sequence number other than `next_seq()`.
    #[error("append with sequence number {got}, but the next one is {expected}")]
    SeqMismatch {
        /// What `next_seq()` says.
        expected: u64,
        /// What the caller passed.
        got: u64,
    },
    /// The record could never fit within `max_bytes` (or the frame's 4 GiB length limit).
    #[error("record of {size} bytes cannot fit in a disk buffer capped at {max_bytes} bytes")]
    RecordTooLarge {
        /// Frame size of the record, header included.
        size: u64,
        /// The configured cap.
        max_bytes: u64,
    },
    /// An internal invariant does not hold (a bug in the buffer).
    #[error("disk buffer internal error: {0}")]
    Internal(&'static str),
}

/// Attaches the path to an `io::Error`.
pub(crate) trait IoContext<T> {
    /// Converts the error into [`BufferError::Io`] naming `path`.
    fn at(self, path: &Path) -> Result<T, BufferError>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, path: &Path) -> Result<T, BufferError> {
        self.map_err(|source| BufferError::Io { path: path.to_owned(), source })
    }
}

/// One buffered record as read back for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Sequence number.
    pub seq: u64,
    /// Samples in the payload, as given to `append`.
    pub samples: u32,
    /// The payload exactly as appended.
    pub payload: Vec<u8>,
}

/// Counters for the agent's self-metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BufferStats {
    /// Bytes of the segment files that still hold unacknowledged records (whole files: the
    /// acknowledged head of the oldest one is counted until that file goes).
    pub bytes: u64,
    /// Unacknowledged records still on disk.
    pub records: u64,
    /// Bytes of all segment files; this is what `max_bytes` caps.
    pub disk_bytes: u64,
    /// Records dropped by the size cap before being acknowledged, cumulative over the buffer's
    /// life (kept in the ledger across restarts).
    pub dropped_records: u64,
    /// Samples in those records, cumulative over the buffer's life.
    pub dropped_samples: u64,
    /// Segment files.
    pub segments: u64,
    /// Highest acknowledged sequence number.
    pub acked_seq: u64,
    /// Sequence number of the next append.
    pub next_seq: u64,
    /// Segments found damaged (torn tail, bad record, foreign or unreadable header) at open.
    pub corruptions_at_open: u64,
}

/// The open tail segment.
struct Writer {
    file: File,
    first_seq: u64,
}

/// Where a `read_from` stopped, so that the uplink's sequential reads do not walk the segment
/// from its start every time. One per reader: an uplink with several destinations reads at
/// several positions.
#[derive(Debug, Clone, Copy)]
struct ReadHint {
    segment: u64,
    seq: u64,
    offset: u64,
}

/// Read positions remembered: more than the destinations an uplink is given in practice.
const MAX_READ_HINTS: usize = 8;

/// A segmented, append-only, crash-safe log of records keyed by sequence number.
pub struct DiskBuffer {
    dir: PathBuf,
    cfg: BufferConfig,
    segment_bytes: u64,
    ledger: Ledger,
    /// Segment summaries, oldest first; the writer, if any, appends to the last one.
    segments: VecDeque<SegmentMeta>,
    writer: Option<Writer>,
    next_seq: u64,
    disk_bytes: u64,
    frame: Vec<u8>,
    /// Highest sequence number known to be fsynced. Atomic because `read_from` (`&self`) fsyncs
    /// the tail before handing out records that are not yet durable.
    durable_seq: AtomicU64,
    /// When the last data fsync happened, in nanoseconds since `epoch`.
    last_fsync_ns: AtomicU64,
    epoch: Instant,
    read_hints: Mutex<Vec<ReadHint>>,
    corruptions_at_open: u64,
    /// Holds the directory's flock for as long as the buffer is open.
    _lock: File,
}

/// How long `open` waits for the directory's lock before reporting it as in use. A lock can
/// outlive its holder briefly: a previous process that is still exiting, or (in a multi-threaded
/// process) a child forked by another thread that holds a copy of the descriptor until it execs.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Takes an exclusive flock on `dir/lock`, retrying for up to [`LOCK_WAIT`].
fn lock_dir(dir: &Path) -> Result<File, BufferError> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).at(&path)?;
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        // SAFETY: flock only reads the descriptor, which `file` keeps open for this call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            return Ok(file);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::WouldBlock {
            return Err(err).at(&path);
        }
        if Instant::now() >= deadline {
            return Err(BufferError::Locked(dir.to_owned()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl DiskBuffer {
    /// Opens or creates the buffer in `dir`, recovering from a torn tail (a crash mid-write).
    pub fn open(dir: &Path, cfg: BufferConfig) -> Result<Self, BufferError> {
        cfg.validate().map_err(BufferError::Config)?;
        fs::create_dir_all(dir).at(dir)?;
        let lock = lock_dir(dir)?;
        let rec = recover::recover(dir)?;
        let mut writer = None;
        if let Some(tail) = rec.segments.back() {
            if tail.next_seq() == rec.next_seq {
                let path = segment_path(dir, tail.first_seq);
                let file = OpenOptions::new().append(true).open(&path).at(&path)?;
                // The previous process may have exited without fsyncing (interval policy):
                // make everything recovered durable before any of it can be sent.
                file.sync_all().at(&path)?;
                writer = Some(Writer { file, first_seq: tail.first_seq });
            }
        }
        segment::sync_dir(dir).at(dir)?;
        ledger::store(dir, &rec.ledger).at(dir)?;
        let disk_bytes = rec.segments.iter().map(|s| s.disk_bytes).sum();
        Ok(DiskBuffer {
            dir: dir.to_owned(),
            segment_bytes: cfg.effective_segment_bytes(),
            cfg,
            ledger: rec.ledger,
            segments: rec.segments,
            writer,
            next_seq: rec.next_seq,
            disk_bytes,
            frame: Vec::new(),
            durable_seq: AtomicU64::new(rec.next_seq - 1),
            last_fsync_ns: AtomicU64::new(0),
            epoch: Instant::now(),
            read_hints: Mutex::new(Vec::new()),
            corruptions_at_open: rec.corruptions,
            _lock: lock,
        })
    }

    /// Random id created once when the buffer directory is initialised; it names this sequence-number stream.
    pub fn buffer_id(&self) -> u64 {
        self.ledger.buffer_id
    }

    /// Sequence number the next append must use (1 for a new buffer; last appended + 1 otherwise; survives restarts and the oldest-first drop).
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Highest acknowledged seq (0 if none).
    pub fn acked_seq(&self) -> u64 {
        self.ledger.acked_seq
    }

    /// Appends one record. `seq` must equal `next_seq()`. `samples` is stored in the record header
    /// so drops can be counted in samples. The record is in the file (safe from a process crash)
    /// when this returns, and durable (safe from a power loss) too when fsync = always. If the
    /// buffer would exceed `max_bytes`, whole oldest segments are dropped first (even unacked
    /// ones), and the drop is counted. On error nothing was appended and `next_seq()` is unchanged.
    pub fn append(&mut self, seq: u64, samples: u32, payload: &[u8]) -> Result<(), BufferError> {
        if seq != self.next_seq {
            return Err(BufferError::SeqMismatch { expected: self.next_seq, got: seq });
        }
        let frame_len = record::frame_len(payload.len());
        if payload.len() > MAX_PAYLOAD_LEN || SEGMENT_HEADER_LEN + frame_len > self.cfg.max_bytes {
            return Err(BufferError::RecordTooLarge { size: frame_len, max_bytes: self.cfg.max_bytes });
        }
        let mut rotate = match (&self.writer, self.segments.back()) {
            (Some(_), Some(tail)) => {
                tail.disk_bytes > SEGMENT_HEADER_LEN && tail.disk_bytes + frame_len > self.segment_bytes
            }
            _ => true,
        };
        loop {
            let needed = frame_len + if rotate { SEGMENT_HEADER_LEN } else { 0 };
            if self.disk_bytes + needed <= self.cfg.max_bytes || self.segments.is_empty() {
                break;
            }
            if self.segments.len() == 1 && !rotate {
                // Only the tail is left: seal it so that it can be dropped as a whole.
                rotate = true;
                continue;
            }
            self.drop_oldest()?;
        }
        if rotate {
            self.rotate()?;
        }
        self.write_frame(seq, samples, payload)
    }

    /// Up to `max_records` records (and, beyond the first, `max_bytes` payload bytes) that are
    /// unacknowledged and have sequence number >= `from_seq`, in order, starting at the oldest still
    /// present if `from_seq` was dropped. Under the interval policy, records not yet fsynced are
    /// fsynced first, so nothing is ever sent that a power loss could take back.
    pub fn read_from(&self, from_seq: u64, max_records: usize, max_bytes: usize) -> Result<Vec<Record>, BufferError> {
        let mut out = Vec::new();
        let start = from_seq.max(self.ledger.floor() + 1);
        if max_records == 0 || start >= self.next_seq {
            return Ok(out);
        }
        let durable = self.make_durable()?;
        let mut hints = self.read_hints.lock().unwrap_or_else(PoisonError::into_inner);
        // The hint nearest below `start`: the one this reader left, unless another reader's is closer.
        let used = hints.iter().enumerate().filter(|(_, h)| h.seq <= start).max_by_key(|(_, h)| h.seq).map(|(i, _)| i);
        let hint = used.map(|i| hints.remove(i));
        let first = self.segments.partition_point(|s| s.first_seq <= start).saturating_sub(1);
        let mut bytes = 0usize;
        for seg in self.segments.iter().skip(first) {
            if seg.last_seq.is_none_or(|l| l < start) {
                continue;
            }
            let (offset, expected) = match hint {
                Some(h) if h.segment == seg.first_seq && h.seq <= start && h.offset <= seg.end => (h.offset, h.seq),
                _ => (SEGMENT_HEADER_LEN, seg.first_seq),
            };
            let path = segment_path(&self.dir, seg.first_seq);
            let mut cursor = match SegmentCursor::open(&path, offset, seg.end, expected) {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    // Removed behind our back; what it held is gone, the rest is still readable.
                    warn!(segment = %path.display(), "segment file vanished; skipping it");
                    continue;
                }
                Err(e) => return Err(e).at(&path),
            };
            let mut done = false;
            // Position of the first record not returned, for the next call's hint.
            let mut resume = None;
            let mut damaged = false;
            loop {
                let before = (cursor.offset(), cursor.expected_seq());
                let verify = cursor.expected_seq() >= start;
                match cursor.next(verify).at(&path)? {
                    Step::Record(h) if h.seq < start => {}
                    Step::Record(h) => {
                        let len = h.len as usize;
                        let full = !out.is_empty() && bytes.saturating_add(len) > max_bytes;
                        if h.seq > durable || full {
                            resume = Some(before);
                            done = true;
                            break;
                        }
                        bytes += len;
                        out.push(Record { seq: h.seq, samples: h.samples, payload: cursor.take_payload() });
                        if out.len() >= max_records {
                            done = true;
                            break;
                        }
                    }
                    Step::End => break,
                    Step::Corrupt { offset, kind } => {
                        // Damage that appeared after open (bit rot): what follows in this file
                        // cannot be located reliably, so move on to the next segment.
                        warn!(segment = %path.display(), offset, reason = %kind,
                            "damaged record while reading; skipping the rest of the segment");
                        damaged = true;
                        break;
                    }
                }
            }
            if !damaged {
                let (offset, seq) = resume.unwrap_or((cursor.offset(), cursor.expected_seq()));
                if hints.len() >= MAX_READ_HINTS {
                    hints.remove(0);
                }
                hints.push(ReadHint { segment: seg.first_seq, seq, offset });
            }
            if done {
                break;
            }
        }
        Ok(out)
    }

    /// Moves `next_seq()` past `seq` without acknowledging anything, so that no sequence number a
    /// peer has seen is reused: a peer reports having stored `seq` but our newest records were
    /// lost from disk after being sent. Records already here stay for the peers that lack them.
    pub fn skip_past(&mut self, seq: u64) -> Result<(), BufferError> {
        if seq < self.next_seq {
            return Ok(());
        }
        let next_seq = seq.saturating_add(1);
        warn!(
            seq,
            next_seq = self.next_seq,
            "a peer has stored records past the newest one; continuing the sequence after it"
        );
        let mut ledger = self.ledger;
        ledger.next_seq = next_seq;
        self.store_ledger(ledger)?;
        // The tail cannot continue: its file would no longer hold consecutive numbers.
        self.writer = None;
        self.next_seq = next_seq;
        self.durable_seq.store(next_seq - 1, Ordering::Release);
        Ok(())
    }

    /// Everything with seq <= `seq` is acknowledged: persisted in the ledger (durably), fully
    /// acked segments deleted. An ack past the newest record acknowledges everything and moves
    /// `next_seq()` past it (see [`DiskBuffer::skip_past`]).
    pub fn ack(&mut self, seq: u64) -> Result<(), BufferError> {
        if seq <= self.ledger.acked_seq {
            return Ok(());
        }
        self.skip_past(seq)?;
        let mut ledger = self.ledger;
        ledger.acked_seq = seq;
        // Recorded too: the files holding the newest records may be lost later.
        ledger.next_seq = self.next_seq;
        self.store_ledger(ledger)?;
        while let Some(front) = self.segments.front() {
            let is_writer = self.writer.as_ref().is_some_and(|w| w.first_seq == front.first_seq);
            let upper = self.segments.get(1).map_or(self.next_seq - 1, |n| n.first_seq - 1);
            // The writer's tail stays even when fully acknowledged: reusing it saves creating
            // (and fsyncing) a new file for every append when the uplink keeps up.
            if is_writer || upper > seq {
                break;
            }
            self.pop_oldest();
        }
        Ok(())
    }

    /// Flushes and fsyncs pending writes (used by the interval policy's timer and at shutdown).
    pub fn sync(&mut self) -> Result<(), BufferError> {
        self.make_durable().map(|_| ())
    }

    /// Counters for self-metrics: unacked bytes and records, dropped records and samples, segments, acked seq, next seq.
    pub fn stats(&self) -> BufferStats {
        let floor = self.ledger.floor();
        let (mut unacked_bytes, mut unacked_records) = (0, 0);
        for seg in &self.segments {
            if let Some(last) = seg.last_seq.filter(|&l| l > floor) {
                unacked_bytes += seg.disk_bytes;
                unacked_records += if seg.first_seq > floor { seg.records } else { (last - floor).min(seg.records) };
            }
        }
        BufferStats {
            bytes: unacked_bytes,
            records: unacked_records,
            disk_bytes: self.disk_bytes,
            dropped_records: self.ledger.dropped_records,
            dropped_samples: self.ledger.dropped_samples,
            segments: self.segments.len() as u64,
            acked_seq: self.ledger.acked_seq,
            next_seq: self.next_seq,
            corruptions_at_open: self.corruptions_at_open,
        }
    }

    fn since_last_fsync(&self) -> Duration {
        let now = self.epoch.elapsed().as_nanos() as u64;
        Duration::from_nanos(now.saturating_sub(self.last_fsync_ns.load(Ordering::Acquire)))
    }

    fn note_fsync(&self, through: u64) {
        self.durable_seq.fetch_max(through, Ordering::AcqRel);
        let now = self.epoch.elapsed().as_nanos() as u64;
        self.last_fsync_ns.store(now, Ordering::Release);
    }

    /// Fsyncs the tail if it holds records that are not yet durable; returns the durable seq.
    fn make_durable(&self) -> Result<u64, BufferError> {
        let durable = self.durable_seq.load(Ordering::Acquire);
        let last = self.next_seq - 1;
        if durable >= last {
            return Ok(durable);
        }
        match &self.writer {
            Some(w) => {
                w.file.sync_data().at(&segment_path(&self.dir, w.first_seq))?;
                self.note_fsync(last);
                Ok(last)
            }
            None => Ok(durable),
        }
    }

    fn store_ledger(&mut self, ledger: Ledger) -> Result<(), BufferError> {
        ledger::store(&self.dir, &ledger).at(&self.dir)?;
        self.ledger = ledger;
        Ok(())
    }

    /// Removes the oldest segment's file (the ledger must already cover it).
    fn pop_oldest(&mut self) {
        let Some(seg) = self.segments.pop_front() else {
            return;
        };
        if self.writer.as_ref().is_some_and(|w| w.first_seq == seg.first_seq) {
            self.writer = None;
        }
        self.disk_bytes -= seg.disk_bytes;
        let path = segment_path(&self.dir, seg.first_seq);
        if let Err(e) = fs::remove_file(&path) {
            if e.kind() != io::ErrorKind::NotFound {
                // Harmless: the ledger floor hides it and the next open removes it.
                warn!(segment = %path.display(), error = %e, "could not remove segment file");
            }
        }
    }

    /// Drops the oldest segment for the size cap, counting its unacknowledged records.
    fn drop_oldest(&mut self) -> Result<(), BufferError> {
        let Some(seg) = self.segments.front() else {
            return Ok(());
        };
        let first_seq = seg.first_seq;
        let floor = self.ledger.floor();
        let (records, samples) = match seg.last_seq {
            None => (0, 0),
            Some(last) if last <= floor => (0, 0),
            Some(_) if seg.first_seq > floor => (seg.records, seg.samples),
            Some(last) => segment::count_above(&self.dir, seg, floor).unwrap_or_else(|e| {
                // Counting is best effort; an unreadable file must not block appends.
                warn!(segment = seg.first_seq, error = %e, "could not count records of dropped segment");
                (last - floor, 0)
            }),
        };
        let through = self.segments.get(1).map_or(self.next_seq - 1, |n| n.first_seq - 1);
        let mut ledger = self.ledger;
        ledger.dropped_through = ledger.dropped_through.max(through);
        ledger.dropped_records += records;
        ledger.dropped_samples += samples;
        ledger.next_seq = self.next_seq;
        self.store_ledger(ledger)?;
        if records > 0 {
            warn!(
                segment = first_seq,
                records,
                samples,
                max_bytes = self.cfg.max_bytes,
                "disk buffer full: dropped the oldest unacknowledged segment"
            );
        }
        self.pop_oldest();
        Ok(())
    }

    /// Seals the tail (fsyncing it) and starts a new segment at `next_seq`.
    fn rotate(&mut self) -> Result<(), BufferError> {
        if let Some(w) = self.writer.take() {
            let last = self.next_seq - 1;
            if self.durable_seq.load(Ordering::Acquire) < last {
                if let Err(e) = w.file.sync_data() {
                    let path = segment_path(&self.dir, w.first_seq);
                    self.writer = Some(w);
                    return Err(e).at(&path);
                }
                self.note_fsync(last);
            }
        }
        if self.segments.back().is_some_and(|s| s.first_seq == self.next_seq) {
            // An empty tail of the same name is about to be recreated: forget it, and any read
            // position inside it.
            if let Some(s) = self.segments.pop_back() {
                self.disk_bytes -= s.disk_bytes;
            }
            let first = self.next_seq;
            self.read_hints.get_mut().unwrap_or_else(PoisonError::into_inner).retain(|h| h.segment != first);
        }
        let file = segment::create(&self.dir, self.ledger.buffer_id, self.next_seq)
            .at(&segment_path(&self.dir, self.next_seq))?;
        self.segments.push_back(SegmentMeta::empty(self.next_seq));
        self.disk_bytes += SEGMENT_HEADER_LEN;
        self.writer = Some(Writer { file, first_seq: self.next_seq });
        Ok(())
    }

    fn write_frame(&mut self, seq: u64, samples: u32, payload: &[u8]) -> Result<(), BufferError> {
        record::encode(seq, samples, payload, &mut self.frame);
        let sync_now = match self.cfg.fsync {
            FsyncPolicy::Always => true,
            FsyncPolicy::Interval(d) => self.since_last_fsync() >= d,
        };
        let (Some(w), Some(tail)) = (self.writer.as_mut(), self.segments.back_mut()) else {
            return Err(BufferError::Internal("no tail segment to append to"));
        };
        let result = w.file.write_all(&self.frame).and_then(|()| if sync_now { w.file.sync_data() } else { Ok(()) });
        if let Err(e) = result {
            let path = segment_path(&self.dir, w.first_seq);
            // Roll back so a partial or unsynced frame cannot resurface with a number the next
            // append reuses, and seal the file: after a failed write or fsync the kernel's view
            // of it can no longer be trusted. The next append starts a new segment.
            if let Err(e2) = w.file.set_len(tail.end).and_then(|()| w.file.sync_data()) {
                warn!(segment = %path.display(), error = %e2, "could not roll back failed append");
            }
            self.writer = None;
            // The rollback's fsync above was the last chance to make earlier records durable
            // through this file; count them as durable so that they are not held back forever.
            self.durable_seq.fetch_max(seq - 1, Ordering::AcqRel);
            return Err(e).at(&path);
        }
        let frame_len = self.frame.len() as u64;
        tail.last_seq = Some(seq);
        tail.records += 1;
        tail.samples += u64::from(samples);
        tail.end += frame_len;
        tail.disk_bytes += frame_len;
        self.disk_bytes += frame_len;
        self.next_seq = seq + 1;
        if sync_now {
            self.note_fsync(seq);
        }
        if self.frame.capacity() > KEEP_FRAME_CAPACITY {
            self.frame = Vec::new();
        }
        Ok(())
    }
}

impl Drop for DiskBuffer {
    fn drop(&mut self) {
        // Best effort for the interval policy; the lead's shutdown path calls sync() explicitly.
        if let Err(e) = self.make_durable() {
            warn!(error = %e, "could not fsync the disk buffer on close");
        }
    }
}
