//! Segment files: naming, the per-file header, creation and the recovery scan.
//!
//! A segment is named by the sequence number of its first record (`00000000000000000001.seg`), so
//! the directory listing alone orders the log and tells which range each file may hold. Its
//! 24-byte header is `[magic "PHSG"][u32 format version][u64 buffer_id][u64 first_seq]`,
//! little-endian; the buffer id lets a lost ledger be rebuilt and keeps files of another buffer
//! out of this sequence stream.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::record::{CorruptKind, SegmentCursor, Step};

/// Magic bytes opening every segment file.
const SEGMENT_MAGIC: [u8; 4] = *b"PHSG";
/// On-disk format version of segment files; bump on any incompatible change.
const FORMAT_VERSION: u32 = 1;
/// Length of the segment file header.
pub(crate) const SEGMENT_HEADER_LEN: u64 = 24;
/// Digits in a segment file name: enough for any `u64`, zero-padded so names sort numerically.
const NAME_DIGITS: usize = 20;
/// Suffix of segment file names.
const SUFFIX: &str = ".seg";

/// In-memory summary of one segment file. A handful of integers per file, so memory stays
/// small however large the buffer grows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SegmentMeta {
    /// Sequence number of the first record (also the file name).
    pub first_seq: u64,
    /// Sequence number of the last readable record, if any.
    pub last_seq: Option<u64>,
    /// Readable records in the file.
    pub records: u64,
    /// Samples carried by those records.
    pub samples: u64,
    /// Offset where readable data ends (file length, unless damage was found before it).
    pub end: u64,
    /// Bytes the file occupies (what the size cap counts).
    pub disk_bytes: u64,
}

impl SegmentMeta {
    /// Metadata of a freshly created segment holding only its header.
    pub fn empty(first_seq: u64) -> Self {
        SegmentMeta {
            first_seq,
            last_seq: None,
            records: 0,
            samples: 0,
            end: SEGMENT_HEADER_LEN,
            disk_bytes: SEGMENT_HEADER_LEN,
        }
    }

    /// Sequence number the next record appended to this file would carry.
    pub fn next_seq(&self) -> u64 {
        self.last_seq.map_or(self.first_seq, |last| last + 1)
    }
}

/// Path of the segment starting at `first_seq`.
pub(crate) fn segment_path(dir: &Path, first_seq: u64) -> PathBuf {
    dir.join(format!("{first_seq:0NAME_DIGITS$}{SUFFIX}"))
}

/// First sequence number encoded in a segment file name, or `None` for any other file.
fn parse_name(name: &str) -> Option<u64> {
    let digits = name.strip_suffix(SUFFIX)?;
    if digits.len() != NAME_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// First sequence numbers of all segment files in `dir`, ascending.
pub(crate) fn list(dir: &Path) -> io::Result<Vec<u64>> {
    let mut seqs = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if let Some(seq) = entry.file_name().to_str().and_then(parse_name) {
            seqs.push(seq);
        }
    }
    seqs.sort_unstable();
    Ok(seqs)
}

/// Fsyncs a directory so that file creations, renames and removals in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Creates the segment starting at `first_seq` (replacing any leftover file of that name, which
/// can only hold records that were never durably appended) and returns an append handle. The
/// header and the directory entry are fsynced before this returns, so a crash can never leave
/// records in a file that recovery would not find.
pub(crate) fn create(dir: &Path, buffer_id: u64, first_seq: u64) -> io::Result<File> {
    let path = segment_path(dir, first_seq);
    let mut header = [0u8; SEGMENT_HEADER_LEN as usize];
    header[0..4].copy_from_slice(&SEGMENT_MAGIC);
    header[4..8].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[8..16].copy_from_slice(&buffer_id.to_le_bytes());
    header[16..24].copy_from_slice(&first_seq.to_le_bytes());
    let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(&path)?;
    file.write_all(&header)?;
    file.sync_all()?;
    sync_dir(dir)?;
    OpenOptions::new().append(true).open(&path)
}

/// Outcome of scanning one segment file at open.
#[derive(Debug)]
pub(crate) enum Scan {
    /// The header is valid; `damage` tells where readable data stopped early, if it did.
    Usable { meta: SegmentMeta, buffer_id: u64, damage: Option<(u64, CorruptKind)> },
    /// The file cannot be used at all (short or foreign header); the string says why.
    Unusable(String),
}

/// Reads and checks a segment header, returning the buffer id it names.
fn check_header(file: &mut File, file_len: u64, first_seq: u64) -> io::Result<Result<u64, String>> {
    if file_len < SEGMENT_HEADER_LEN {
        return Ok(Err(format!("header is truncated ({file_len} bytes)")));
    }
    let mut raw = [0u8; SEGMENT_HEADER_LEN as usize];
    file.read_exact(&mut raw)?;
    let u64_at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&raw[i..i + 8]);
        u64::from_le_bytes(b)
    };
    if raw[0..4] != SEGMENT_MAGIC {
        return Ok(Err("bad magic".to_owned()));
    }
    let version = u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]]);
    if version != FORMAT_VERSION {
        return Ok(Err(format!("unsupported format version {version}")));
    }
    if u64_at(16) != first_seq {
        return Ok(Err(format!("header says first seq {}, file name says {first_seq}", u64_at(16))));
    }
    Ok(Ok(u64_at(8)))
}

/// Scans the segment starting at `first_seq`, checking every record's CRC and the sequence chain.
/// `seq_limit` is the next segment's first sequence number: records at or past it are damage.
pub(crate) fn scan(dir: &Path, first_seq: u64, seq_limit: Option<u64>) -> io::Result<Scan> {
    let path = segment_path(dir, first_seq);
    let mut file = File::open(&path)?;
    let file_len = file.metadata()?.len();
    let buffer_id = match check_header(&mut file, file_len, first_seq)? {
        Ok(id) => id,
        Err(why) => return Ok(Scan::Unusable(why)),
    };
    drop(file);
    let mut meta = SegmentMeta::empty(first_seq);
    meta.disk_bytes = file_len;
    let mut cursor = SegmentCursor::open(&path, SEGMENT_HEADER_LEN, file_len, first_seq)?;
    let damage = loop {
        let offset = cursor.offset();
        match cursor.next(true)? {
            Step::Record(h) => {
                if seq_limit.is_some_and(|limit| h.seq >= limit) {
                    break Some((offset, CorruptKind::OverlapsNext { seq: h.seq }));
                }
                meta.last_seq = Some(h.seq);
                meta.records += 1;
                meta.samples += u64::from(h.samples);
                meta.end = cursor.offset();
            }
            Step::End => break None,
            Step::Corrupt { offset, kind } => break Some((offset, kind)),
        }
    };
    Ok(Scan::Usable { meta, buffer_id, damage })
}

/// Counts the records (and their samples) with a sequence number above `floor` in a segment,
/// walking headers only. Used when the size cap drops a partly acknowledged segment.
pub(crate) fn count_above(dir: &Path, meta: &SegmentMeta, floor: u64) -> io::Result<(u64, u64)> {
    let path = segment_path(dir, meta.first_seq);
    let mut cursor = SegmentCursor::open(&path, SEGMENT_HEADER_LEN, meta.end, meta.first_seq)?;
    let (mut records, mut samples) = (0, 0);
    while let Step::Record(h) = cursor.next(false)? {
        if h.seq > floor {
            records += 1;
            samples += u64::from(h.samples);
        }
    }
    Ok((records, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_foreign_files_are_ignored() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        for seq in [1u64, 42, u64::MAX] {
            create(dir.path(), 7, seq)?;
            let name = segment_path(dir.path(), seq);
            let name = name.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert_eq!(parse_name(name), Some(seq));
        }
        fs::write(dir.path().join("ledger"), b"x")?;
        fs::write(dir.path().join("12.seg"), b"x")?;
        fs::write(dir.path().join("0000000000000000000x.seg"), b"x")?;
        assert_eq!(list(dir.path())?, vec![1, 42, u64::MAX]);
        match scan(dir.path(), 42, None)? {
            Scan::Usable { meta, buffer_id, damage } => {
                assert_eq!(meta, SegmentMeta::empty(42));
                assert_eq!(buffer_id, 7);
                assert!(damage.is_none());
            }
            other => panic!("unexpected {other:?}"),
        }
        fs::write(segment_path(dir.path(), 42), b"PHSG")?;
        assert!(matches!(scan(dir.path(), 42, None)?, Scan::Unusable(_)));
        Ok(())
    }
}
