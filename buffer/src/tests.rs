//! Unit tests of the disk buffer: round trips, restarts, recovery from damage, the size cap.

use super::*;
use std::sync::{Arc, Mutex};
use std::thread;

pub(super) type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Config with small segments so that tests cross segment boundaries quickly.
pub(super) fn small(max_bytes: u64, segment_bytes: u64) -> BufferConfig {
    BufferConfig { max_bytes, segment_bytes, fsync: FsyncPolicy::Always }
}

/// Deterministic payload for `seq`, of varying length, so misplaced bytes are noticed.
pub(super) fn payload_for(seq: u64, len: usize) -> Vec<u8> {
    (0..len).map(|i| (seq.wrapping_mul(31).wrapping_add(i as u64) % 251) as u8).collect()
}

/// Appends `n` records of `len` bytes each at `next_seq()`, with `seq % 7` samples.
pub(super) fn append_n(b: &mut DiskBuffer, n: u64, len: usize) -> Result<(), BufferError> {
    for _ in 0..n {
        let seq = b.next_seq();
        b.append(seq, (seq % 7) as u32, &payload_for(seq, len))?;
    }
    Ok(())
}

pub(super) fn read_all(b: &DiskBuffer) -> Result<Vec<Record>, BufferError> {
    b.read_from(0, usize::MAX, usize::MAX)
}

pub(super) fn seqs(records: &[Record]) -> Vec<u64> {
    records.iter().map(|r| r.seq).collect()
}

fn segment_files(dir: &Path) -> Result<Vec<u64>, io::Error> {
    segment::list(dir)
}

/// Flips one bit at `offset` of a file.
fn flip(path: &Path, offset: u64) -> io::Result<()> {
    let mut bytes = fs::read(path)?;
    bytes[offset as usize] ^= 0x10;
    fs::write(path, bytes)
}

/// Frame size of the test records of `len` bytes.
fn frame(len: usize) -> u64 {
    record::frame_len(len)
}

#[test]
fn append_read_ack_round_trip() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!((b.next_seq(), b.acked_seq()), (1, 0));
    assert_ne!(b.buffer_id(), 0);
    assert!(read_all(&b)?.is_empty());
    append_n(&mut b, 10, 100)?;
    let all = read_all(&b)?;
    assert_eq!(seqs(&all), (1..=10).collect::<Vec<_>>());
    for r in &all {
        assert_eq!(r.payload, payload_for(r.seq, 100));
        assert_eq!(r.samples, (r.seq % 7) as u32);
    }
    assert_eq!(seqs(&b.read_from(5, 3, usize::MAX)?), vec![5, 6, 7]);
    // The byte limit holds beyond the first record, and one record is always returned.
    assert_eq!(seqs(&b.read_from(2, 100, 250)?), vec![2, 3]);
    assert_eq!(seqs(&b.read_from(2, 100, 1)?), vec![2]);
    assert!(b.read_from(11, 10, usize::MAX)?.is_empty());
    assert!(b.read_from(3, 0, usize::MAX)?.is_empty());

    b.ack(4)?;
    assert_eq!(b.acked_seq(), 4);
    assert_eq!(seqs(&b.read_from(1, 100, usize::MAX)?), (5..=10).collect::<Vec<_>>());
    b.ack(2)?; // acks never go backwards
    assert_eq!(b.acked_seq(), 4);
    let st = b.stats();
    assert_eq!((st.records, st.acked_seq, st.next_seq, st.segments), (6, 4, 11, 1));
    assert_eq!(st.disk_bytes, SEGMENT_HEADER_LEN + 10 * frame(100));
    assert_eq!(st.bytes, st.disk_bytes);
    b.ack(10)?;
    assert!(read_all(&b)?.is_empty());
    assert_eq!((b.stats().records, b.stats().bytes), (0, 0));
    Ok(())
}

#[test]
fn append_checks_seq_and_size() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut b = DiskBuffer::open(dir.path(), small(4096, 1024))?;
    assert!(matches!(b.append(2, 0, b"x"), Err(BufferError::SeqMismatch { expected: 1, got: 2 })));
    assert!(matches!(b.append(1, 0, &[0u8; 4096]), Err(BufferError::RecordTooLarge { .. })));
    assert_eq!(b.next_seq(), 1);
    // A record larger than a segment still fits in one of its own.
    b.append(1, 1, &[7u8; 2000])?;
    b.append(2, 1, b"small")?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2]);
    assert_eq!(b.stats().segments, 2);
    assert!(matches!(DiskBuffer::open(dir.path(), small(0, 1)), Err(BufferError::Config(_))));
    Ok(())
}

#[test]
fn a_directory_is_opened_once() -> TestResult {
    let dir = tempfile::tempdir()?;
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert!(matches!(DiskBuffer::open(dir.path(), BufferConfig::default()), Err(BufferError::Locked(_))));
    drop(b);
    DiskBuffer::open(dir.path(), BufferConfig::default())?;
    Ok(())
}

#[test]
fn restart_resumes_at_acked_seq_with_unacked_records_readable() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = small(1 << 20, 1000);
    let id = {
        let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
        append_n(&mut b, 20, 200)?;
        b.ack(7)?;
        b.buffer_id()
    };
    let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
    assert_eq!(b.buffer_id(), id);
    assert_eq!((b.acked_seq(), b.next_seq()), (7, 21));
    let all = read_all(&b)?;
    assert_eq!(seqs(&all), (8..=20).collect::<Vec<_>>());
    assert!(all.iter().all(|r| r.payload == payload_for(r.seq, 200)));
    assert_eq!(b.stats().corruptions_at_open, 0);
    append_n(&mut b, 1, 200)?;
    assert_eq!(b.next_seq(), 22);

    // Fully acknowledged: next_seq still survives (from the ledger), nothing is readable.
    b.ack(21)?;
    drop(b);
    let b = DiskBuffer::open(dir.path(), cfg)?;
    assert_eq!((b.acked_seq(), b.next_seq(), b.buffer_id()), (21, 22, id));
    assert!(read_all(&b)?.is_empty());
    Ok(())
}

#[test]
fn torn_tail_cut_mid_record_is_truncated() -> TestResult {
    let dir = tempfile::tempdir()?;
    {
        let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
        append_n(&mut b, 5, 300)?;
    }
    let path = segment_path(dir.path(), 1);
    let len = fs::metadata(&path)?.len();
    OpenOptions::new().write(true).open(&path)?.set_len(len - 7)?;
    let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!(b.next_seq(), 5);
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2, 3, 4]);
    assert_eq!(b.stats().corruptions_at_open, 1);
    assert_eq!(fs::metadata(&path)?.len(), SEGMENT_HEADER_LEN + 4 * frame(300));
    // Appending continues cleanly after the cut, and survives another restart.
    append_n(&mut b, 2, 300)?;
    drop(b);
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    let all = read_all(&b)?;
    assert_eq!(seqs(&all), vec![1, 2, 3, 4, 5, 6]);
    assert!(all.iter().all(|r| r.payload == payload_for(r.seq, 300)));
    assert_eq!(b.stats().corruptions_at_open, 0);

    // A header cut short is a torn tail too.
    drop(b);
    let len = fs::metadata(&path)?.len();
    let mut f = OpenOptions::new().append(true).open(&path)?;
    f.write_all(&[1, 2, 3])?;
    drop(f);
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!(b.next_seq(), 7);
    assert_eq!(fs::metadata(&path)?.len(), len);
    Ok(())
}

#[test]
fn torn_tail_with_flipped_byte_is_truncated() -> TestResult {
    let dir = tempfile::tempdir()?;
    {
        let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
        append_n(&mut b, 5, 300)?;
    }
    let path = segment_path(dir.path(), 1);
    let len = fs::metadata(&path)?.len();
    flip(&path, len - 10)?; // inside the last record's payload
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2, 3, 4]);
    assert_eq!(b.next_seq(), 5);
    drop(b);

    // A flipped header byte (here: the seq field of record 3) cuts from that record on.
    let third = SEGMENT_HEADER_LEN + 2 * frame(300);
    flip(&path, third + 9)?;
    let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2]);
    // 3 and 4 were readable (so maybe sent) under the previous open, which recorded next_seq 5
    // in the ledger: their numbers are not reused.
    assert_eq!(b.next_seq(), 5);
    append_n(&mut b, 1, 300)?;
    drop(b);
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2, 5]);
    Ok(())
}

#[test]
fn zero_filled_tail_is_truncated() -> TestResult {
    // Some filesystems extend a file with zeros when a crash interrupts an append.
    let dir = tempfile::tempdir()?;
    {
        let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
        append_n(&mut b, 3, 50)?;
    }
    let path = segment_path(dir.path(), 1);
    let mut f = OpenOptions::new().append(true).open(&path)?;
    f.write_all(&[0u8; 4096])?;
    drop(f);
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!((b.next_seq(), read_all(&b)?.len()), (4, 3));
    Ok(())
}

#[test]
fn corrupt_middle_segment_is_skipped() -> TestResult {
    let dir = tempfile::tempdir()?;
    // Three 100-byte records per segment.
    let cfg = small(1 << 20, SEGMENT_HEADER_LEN + 3 * frame(100));
    {
        let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
        append_n(&mut b, 12, 100)?;
    }
    assert_eq!(segment_files(dir.path())?, vec![1, 4, 7, 10]);
    // Damage record 5, the second one of segment 4.
    let path = segment_path(dir.path(), 4);
    flip(&path, SEGMENT_HEADER_LEN + frame(100) + 40)?;
    let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
    assert_eq!(b.stats().corruptions_at_open, 1);
    assert_eq!(b.next_seq(), 13);
    let all = read_all(&b)?;
    assert_eq!(seqs(&all), vec![1, 2, 3, 4, 7, 8, 9, 10, 11, 12]);
    assert!(all.iter().all(|r| r.payload == payload_for(r.seq, 100)));
    // Reading from inside the lost range continues with the next readable record.
    assert_eq!(seqs(&b.read_from(5, 2, usize::MAX)?), vec![7, 8]);
    assert_eq!(b.stats().records, 10);

    // Damage with an unreadable header in a sealed segment: the file is dropped, the rest stays.
    flip(&segment_path(dir.path(), 7), 1)?;
    drop(b);
    b = DiskBuffer::open(dir.path(), cfg.clone())?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2, 3, 4, 10, 11, 12]);
    b.ack(12)?;
    assert!(read_all(&b)?.is_empty());
    assert_eq!(segment_files(dir.path())?, vec![10]);
    Ok(())
}

#[test]
fn damage_found_while_reading_skips_the_rest_of_that_segment() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = small(1 << 20, SEGMENT_HEADER_LEN + 3 * frame(100));
    let mut b = DiskBuffer::open(dir.path(), cfg)?;
    append_n(&mut b, 9, 100)?;
    // Bit rot after open, in record 2.
    flip(&segment_path(dir.path(), 1), SEGMENT_HEADER_LEN + frame(100) + 30)?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 4, 5, 6, 7, 8, 9]);
    Ok(())
}

#[test]
fn size_cap_drops_oldest_segments_and_counts_them() -> TestResult {
    let dir = tempfile::tempdir()?;
    let seg = SEGMENT_HEADER_LEN + 4 * frame(100); // four records per segment
    let cfg = small(3 * seg, seg);
    let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
    append_n(&mut b, 12, 100)?;
    assert_eq!(b.stats().dropped_records, 0);
    assert_eq!(b.stats().disk_bytes, 3 * seg);
    b.ack(2)?;
    // Record 13 needs a fourth segment: segment 1 goes, with its two unacknowledged records.
    append_n(&mut b, 1, 100)?;
    let st = b.stats();
    assert_eq!((st.dropped_records, st.dropped_samples), (2, 3 + 4));
    assert!(st.disk_bytes <= cfg.max_bytes);
    assert_eq!(segment_files(dir.path())?, vec![5, 9, 13]);
    // A read from a dropped seq starts at the oldest record still present.
    assert_eq!(seqs(&b.read_from(3, 2, usize::MAX)?), vec![5, 6]);
    assert_eq!(seqs(&b.read_from(1, 1, usize::MAX)?), vec![5]);
    append_n(&mut b, 4, 100)?; // 14..=17, dropping 5..=8
    let st = b.stats();
    assert_eq!(st.dropped_records, 6);
    assert_eq!(st.dropped_samples, 7 + (5..=8).map(|s| s % 7).sum::<u64>());
    assert_eq!(st.records, 9);
    drop(b);

    // Counters and the drop floor survive a restart; next_seq continues.
    let b = DiskBuffer::open(dir.path(), cfg)?;
    let st = b.stats();
    assert_eq!((st.dropped_records, st.next_seq, st.acked_seq), (6, 18, 2));
    assert_eq!(seqs(&read_all(&b)?), (9..=17).collect::<Vec<_>>());
    Ok(())
}

#[test]
fn size_cap_can_drop_the_tail_itself() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = small(1000, 1000);
    let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
    append_n(&mut b, 5, 100)?;
    // A record nearly as large as the cap leaves room for nothing else, its own segment included.
    append_n(&mut b, 1, 900)?;
    assert_eq!(seqs(&read_all(&b)?), vec![6]);
    assert_eq!(b.stats().dropped_records, 5);
    append_n(&mut b, 1, 100)?;
    assert_eq!(seqs(&read_all(&b)?), vec![7]);
    assert_eq!(b.stats().dropped_records, 6);
    assert!(b.stats().disk_bytes <= 1000);
    drop(b);

    // A cap lowered across a restart is enforced at the next append.
    let mut b = DiskBuffer::open(dir.path(), small(1 << 20, 1 << 20))?;
    append_n(&mut b, 50, 1000)?;
    drop(b);
    let mut b = DiskBuffer::open(dir.path(), small(20_000, 1 << 20))?;
    append_n(&mut b, 1, 1000)?;
    let st = b.stats();
    assert!(st.disk_bytes <= 20_000, "{st:?}");
    assert_eq!(st.dropped_records + st.records, 58, "{st:?}");
    assert_eq!(st.next_seq, 59);
    drop(b);
    let b = DiskBuffer::open(dir.path(), cfg)?;
    assert_eq!(b.next_seq(), 59);
    Ok(())
}

#[test]
fn acked_segments_are_deleted() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = small(1 << 20, SEGMENT_HEADER_LEN + 2 * frame(10));
    let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
    append_n(&mut b, 8, 10)?;
    assert_eq!(segment_files(dir.path())?, vec![1, 3, 5, 7]);
    b.ack(3)?;
    assert_eq!(segment_files(dir.path())?, vec![3, 5, 7]);
    b.ack(4)?;
    assert_eq!(segment_files(dir.path())?, vec![5, 7]);
    assert_eq!(b.stats().segments, 2);
    // The fully acknowledged tail stays open for appends.
    b.ack(8)?;
    assert_eq!(segment_files(dir.path())?, vec![7]);
    assert_eq!(b.stats().bytes, 0);
    append_n(&mut b, 1, 10)?;
    assert_eq!(segment_files(dir.path())?, vec![7, 9]);
    drop(b);
    let b = DiskBuffer::open(dir.path(), cfg)?;
    assert_eq!(seqs(&read_all(&b)?), vec![9]);
    Ok(())
}

#[test]
fn ack_past_the_tail_moves_next_seq_past_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    append_n(&mut b, 3, 10)?;
    b.ack(10)?;
    assert_eq!((b.acked_seq(), b.next_seq()), (10, 11));
    assert!(read_all(&b)?.is_empty());
    append_n(&mut b, 2, 10)?;
    assert_eq!(seqs(&read_all(&b)?), vec![11, 12]);
    drop(b);
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!((b.acked_seq(), b.next_seq()), (10, 13));
    assert_eq!(seqs(&read_all(&b)?), vec![11, 12]);
    Ok(())
}

#[test]
fn ack_past_the_recovered_tail_is_kept() -> TestResult {
    // Records acknowledged and then lost from disk (e.g. a power loss under the interval policy,
    // or a damaged disk): their numbers must not come back.
    let dir = tempfile::tempdir()?;
    {
        let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
        append_n(&mut b, 10, 50)?;
        b.ack(8)?;
    }
    let path = segment_path(dir.path(), 1);
    OpenOptions::new().write(true).open(&path)?.set_len(SEGMENT_HEADER_LEN + 5 * frame(50) + 3)?;
    let mut b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!((b.acked_seq(), b.next_seq()), (8, 11));
    assert!(read_all(&b)?.is_empty());
    append_n(&mut b, 2, 50)?;
    assert_eq!(seqs(&read_all(&b)?), vec![11, 12]);
    drop(b);
    let b = DiskBuffer::open(dir.path(), BufferConfig::default())?;
    assert_eq!(seqs(&read_all(&b)?), vec![11, 12]);
    assert_eq!(segment_files(dir.path())?, vec![11]);
    Ok(())
}

#[test]
fn lost_ledger_is_rebuilt_from_segments() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = small(1 << 20, SEGMENT_HEADER_LEN + 2 * frame(10));
    let id = {
        let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
        append_n(&mut b, 6, 10)?;
        b.ack(2)?;
        b.buffer_id()
    };
    fs::remove_file(dir.path().join(ledger::LEDGER_FILE))?;
    let b = DiskBuffer::open(dir.path(), cfg.clone())?;
    // Same stream (the id comes from the segment headers); everything left is resent.
    assert_eq!((b.buffer_id(), b.acked_seq(), b.next_seq()), (id, 2, 7));
    assert_eq!(seqs(&read_all(&b)?), vec![3, 4, 5, 6]);
    drop(b);
    fs::write(dir.path().join(ledger::LEDGER_FILE), b"garbage")?;
    let b = DiskBuffer::open(dir.path(), cfg)?;
    assert_eq!((b.buffer_id(), b.next_seq()), (id, 7));
    Ok(())
}

#[test]
fn interval_policy_syncs_before_reading() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = BufferConfig { fsync: FsyncPolicy::Interval(Duration::from_secs(3600)), ..BufferConfig::default() };
    let mut b = DiskBuffer::open(dir.path(), cfg.clone())?;
    append_n(&mut b, 3, 10)?;
    assert_eq!(b.durable_seq.load(Ordering::Acquire), 0);
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2, 3]);
    assert_eq!(b.durable_seq.load(Ordering::Acquire), 3);
    append_n(&mut b, 1, 10)?;
    b.sync()?;
    assert_eq!(b.durable_seq.load(Ordering::Acquire), 4);
    drop(b);
    let b = DiskBuffer::open(dir.path(), cfg)?;
    assert_eq!(seqs(&read_all(&b)?), vec![1, 2, 3, 4]);
    Ok(())
}

#[test]
fn sequential_reads_match_random_reads() -> TestResult {
    // Exercises the read position hint against fresh walks from segment starts.
    let dir = tempfile::tempdir()?;
    let mut b = DiskBuffer::open(dir.path(), small(1 << 20, 700))?;
    append_n(&mut b, 60, 37)?;
    let mut next = 1;
    let mut seen = Vec::new();
    while next < b.next_seq() {
        let batch = b.read_from(next, 4, 100)?;
        assert!(!batch.is_empty());
        next = batch.last().map_or(next, |r| r.seq + 1);
        seen.extend(batch);
        if next % 11 == 0 {
            append_n(&mut b, 1, 37)?;
        }
    }
    assert_eq!(seqs(&seen), (1..b.next_seq()).collect::<Vec<_>>());
    for from in [1, 9, 10, 33, 59, 60] {
        let r = b.read_from(from, 3, usize::MAX)?;
        assert_eq!(seqs(&r), (from..from + 3).collect::<Vec<_>>());
        assert!(r.iter().all(|r| r.payload == payload_for(r.seq, 37)));
    }
    Ok(())
}

#[test]
fn appends_while_reading_earlier_segments_from_another_thread() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cfg = BufferConfig { fsync: FsyncPolicy::Interval(Duration::from_millis(5)), ..small(1 << 24, 16 * 1024) };
    let buf = Arc::new(Mutex::new(DiskBuffer::open(dir.path(), cfg)?));
    const N: u64 = 2000;
    let writer = {
        let buf = Arc::clone(&buf);
        thread::spawn(move || -> Result<(), BufferError> {
            for i in 0..N {
                let mut b = buf.lock().unwrap_or_else(PoisonError::into_inner);
                append_n(&mut b, 1, 500 + (i as usize % 300))?;
                drop(b);
                if i % 64 == 0 {
                    thread::yield_now();
                }
            }
            Ok(())
        })
    };
    // The uplink's pattern: read a window, ack it, read on; always behind the writer.
    let mut next = 1;
    while next <= N {
        let batch = {
            let b = buf.lock().unwrap_or_else(PoisonError::into_inner);
            b.read_from(next, 16, 64 * 1024)?
        };
        if batch.is_empty() {
            thread::yield_now();
            continue;
        }
        for r in &batch {
            assert_eq!(r.seq, next);
            assert_eq!(r.payload, payload_for(r.seq, 500 + ((r.seq - 1) as usize % 300)));
            next += 1;
        }
        if next % 3 == 0 {
            let mut b = buf.lock().unwrap_or_else(PoisonError::into_inner);
            b.ack(next - 1)?;
        }
    }
    writer.join().map_err(|_| "writer thread panicked")??;
    let mut b = buf.lock().unwrap_or_else(PoisonError::into_inner);
    b.ack(N)?;
    assert_eq!(b.stats().records, 0);
    assert_eq!(b.stats().dropped_records, 0);
    Ok(())
}

#[test]
fn buffer_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<DiskBuffer>();
}
