//! Rebuilding the buffer's state from its directory at open: the ledger, the segment files and
//! whatever a crash left behind (a torn tail, a damaged middle segment, a stale ledger).

use std::collections::VecDeque;
use std::fs::{self, OpenOptions};
use std::io;
use std::path::Path;

use tracing::warn;

use super::ledger::{self, Ledger, LEDGER_TMP_FILE};
use super::segment::{self, segment_path, Scan, SegmentMeta};
use super::{BufferError, IoContext};

/// State recovered from disk.
pub(crate) struct Recovered {
    /// The ledger, already updated for what recovery found (not yet stored).
    pub ledger: Ledger,
    /// Usable segments, oldest first.
    pub segments: VecDeque<SegmentMeta>,
    /// Sequence number the next append must use.
    pub next_seq: u64,
    /// Segments in which damage was found (and logged).
    pub corruptions: u64,
}

/// A fresh non-zero buffer id (zero is kept free so that "no id" can never collide with one).
fn new_buffer_id() -> u64 {
    loop {
        let id: u64 = rand::random();
        if id != 0 {
            return id;
        }
    }
}

fn remove_segment_file(dir: &Path, first_seq: u64) {
    let path = segment_path(dir, first_seq);
    if let Err(e) = fs::remove_file(&path) {
        if e.kind() != io::ErrorKind::NotFound {
            // Leaving the file is harmless: the ledger floor keeps it from being read and the
            // next open tries again.
            warn!(segment = %path.display(), error = %e, "could not remove segment file");
        }
    }
}

/// Cuts a damaged tail off the last segment and makes the cut durable.
fn truncate(path: &Path, len: u64) -> io::Result<()> {
    let file = OpenOptions::new().write(true).open(path)?;
    file.set_len(len)?;
    file.sync_all()
}

/// Reads the ledger and scans the segments of `dir`. Never refuses to start because of damage:
/// damaged data is logged and cut or skipped; only I/O errors are returned.
pub(crate) fn recover(dir: &Path) -> Result<Recovered, BufferError> {
    let tmp = dir.join(LEDGER_TMP_FILE);
    if let Err(e) = fs::remove_file(&tmp) {
        if e.kind() != io::ErrorKind::NotFound {
            return Err(e).at(&tmp);
        }
    }
    let seqs = segment::list(dir).at(dir)?;
    let ledger_path = dir.join(ledger::LEDGER_FILE);
    // `None` means the ledger has to be rebuilt from the segment files.
    let loaded = match ledger::load(dir).at(&ledger_path)? {
        Some(Ok(l)) => Some(l),
        Some(Err(why)) => {
            warn!(ledger = %ledger_path.display(), %why,
                "ledger is damaged; rebuilding it from the segment files (all of them will be resent)");
            None
        }
        None if seqs.is_empty() => Some(Ledger::new(new_buffer_id())),
        None => {
            warn!(ledger = %ledger_path.display(), segments = seqs.len(),
                "ledger is missing beside segment files; rebuilding it (all of them will be resent)");
            None
        }
    };
    let floor = loaded.map_or(0, |l| l.floor());
    let mut buffer_id = loaded.map(|l| l.buffer_id);
    let mut segments = VecDeque::new();
    let mut corruptions = 0;
    for (i, &first) in seqs.iter().enumerate() {
        let next_first = seqs.get(i + 1).copied();
        let path = segment_path(dir, first);
        // A non-last segment can only hold sequence numbers below the next one's first; if those
        // are all consumed there is no need to read it, which keeps startup fast.
        if next_first.is_some_and(|n| n - 1 <= floor) {
            remove_segment_file(dir, first);
            continue;
        }
        let (mut meta, id, damage) = match segment::scan(dir, first, next_first).at(&path)? {
            Scan::Usable { meta, buffer_id, damage } => (meta, buffer_id, damage),
            Scan::Unusable(why) => {
                warn!(segment = %path.display(), %why, "removing unusable segment file");
                corruptions += 1;
                remove_segment_file(dir, first);
                continue;
            }
        };
        let expected = *buffer_id.get_or_insert(id);
        if id != expected {
            warn!(segment = %path.display(), found = id, expected,
                "segment belongs to another buffer; removing it");
            corruptions += 1;
            remove_segment_file(dir, first);
            continue;
        }
        if let Some((offset, kind)) = damage {
            corruptions += 1;
            match next_first {
                None => {
                    warn!(segment = %path.display(), offset, cut_bytes = meta.disk_bytes - offset,
                        reason = %kind, last_valid_seq = ?meta.last_seq,
                        "torn tail: truncating the last segment after its last valid record");
                    truncate(&path, offset).at(&path)?;
                    meta.disk_bytes = offset;
                }
                Some(n) => {
                    warn!(segment = %path.display(), offset, reason = %kind,
                        lost_from_seq = meta.next_seq(), lost_to_seq = n - 1,
                        "damaged record in a sealed segment; skipping the rest of that segment");
                }
            }
        }
        segments.push_back(meta);
    }

    let mut ledger = match loaded {
        Some(l) => l,
        None => {
            // Without a ledger nothing is known to be acknowledged: everything still on disk is
            // resent, which the aggregator deduplicates by (buffer id, seq).
            let mut l = Ledger::new(buffer_id.unwrap_or_else(new_buffer_id));
            l.acked_seq = segments.front().map_or(0, |s| s.first_seq.saturating_sub(1));
            l
        }
    };
    let tail_next = segments.back().map_or(1, SegmentMeta::next_seq);
    let next_seq = ledger.next_seq.max(ledger.floor() + 1).max(tail_next);
    if ledger.acked_seq >= tail_next && segments.back().is_some_and(|s| s.last_seq.is_some()) {
        // Possible only if the newest records were lost after being acknowledged (e.g. a
        // power loss under the interval fsync policy); new records continue after the ack.
        warn!(
            acked_seq = ledger.acked_seq,
            recovered_tail = tail_next - 1,
            "acknowledged sequence number is past the recovered tail"
        );
    }
    // Segments with nothing left to read go now, except a tail that appends can continue.
    let floor = ledger.floor();
    let last = segments.len().saturating_sub(1);
    let mut kept = VecDeque::with_capacity(segments.len());
    for (i, meta) in segments.into_iter().enumerate() {
        let unread = meta.last_seq.is_some_and(|l| l > floor);
        let continuable = i == last && meta.next_seq() == next_seq;
        if unread || continuable {
            kept.push_back(meta);
        } else {
            remove_segment_file(dir, meta.first_seq);
        }
    }
    ledger.next_seq = next_seq;
    Ok(Recovered { ledger, segments: kept, next_seq, corruptions })
}
