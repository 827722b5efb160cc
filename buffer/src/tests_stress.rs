//! Model-based property test, a SIGKILL crash test and an append micro benchmark.

use super::tests::{append_n, payload_for, read_all, seqs, TestResult};
use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::thread;

#[derive(Debug, Clone)]
enum Op {
    Append {
        len: usize,
        samples: u32,
    },
    /// Acknowledge a fraction (n/255) of what is unacknowledged.
    Ack(u8),
    /// Close and reopen the buffer.
    Reopen,
    /// Read up to `max` records from `offset` past the acknowledged seq.
    Read {
        offset: u8,
        max: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..600, 0u32..1000).prop_map(|(len, samples)| Op::Append { len, samples }),
        2 => any::<u8>().prop_map(Op::Ack),
        1 => Just(Op::Reopen),
        2 => (0u8..40, 1u8..10).prop_map(|(offset, max)| Op::Read { offset, max }),
    ]
}

/// What the buffer must hold: every record ever appended, which of them may still be present,
/// and the drops observed so far.
struct Model {
    records: BTreeMap<u64, (u32, Vec<u8>)>,
    next_seq: u64,
    acked: u64,
    /// Lowest seq not known to be dropped.
    present_from: u64,
    dropped_records: u64,
    dropped_samples: u64,
}

impl Model {
    /// Checks the buffer against the model, learning about drops (the model cannot predict
    /// which segment boundaries the buffer chose, only that drops take a prefix).
    fn check(&mut self, b: &DiskBuffer, may_drop: bool) -> Result<(), TestCaseError> {
        prop_assert_eq!(b.next_seq(), self.next_seq);
        prop_assert_eq!(b.acked_seq(), self.acked);
        let all = read_all(b).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let lo = all.first().map_or(self.next_seq, |r| r.seq);
        let expected: Vec<u64> = (lo..self.next_seq).collect();
        prop_assert_eq!(seqs(&all), expected, "present records must be a contiguous suffix");
        for r in &all {
            let (samples, payload) = &self.records[&r.seq];
            prop_assert_eq!(r.samples, *samples);
            prop_assert_eq!(&r.payload, payload);
        }
        let from = self.present_from.max(self.acked + 1);
        prop_assert!(lo >= from, "record {} came back", from);
        if lo > from {
            prop_assert!(may_drop, "records {}..{} vanished without a cap", from, lo);
            for seq in from..lo {
                self.dropped_records += 1;
                self.dropped_samples += u64::from(self.records[&seq].0);
            }
        }
        self.present_from = self.present_from.max(lo);
        let st = b.stats();
        prop_assert_eq!(st.dropped_records, self.dropped_records);
        prop_assert_eq!(st.dropped_samples, self.dropped_samples);
        prop_assert_eq!(st.records, all.len() as u64);
        prop_assert!(st.disk_bytes <= b.cfg.max_bytes);
        Ok(())
    }
}

fn run_ops(cfg: BufferConfig, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let fail = |e: BufferError| TestCaseError::fail(e.to_string());
    let may_drop = cfg.max_bytes < 1 << 30;
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut b = DiskBuffer::open(dir.path(), cfg.clone()).map_err(fail)?;
    let id = b.buffer_id();
    let mut m = Model {
        records: BTreeMap::new(),
        next_seq: 1,
        acked: 0,
        present_from: 1,
        dropped_records: 0,
        dropped_samples: 0,
    };
    for op in ops {
        match op {
            Op::Append { len, samples } => {
                let seq = b.next_seq();
                let payload = payload_for(seq, len);
                b.append(seq, samples, &payload).map_err(fail)?;
                m.records.insert(seq, (samples, payload));
                m.next_seq += 1;
            }
            Op::Ack(frac) => {
                let unacked = m.next_seq - 1 - m.acked;
                let seq = m.acked + unacked * u64::from(frac) / 255;
                b.ack(seq).map_err(fail)?;
                m.acked = seq;
            }
            Op::Reopen => {
                drop(b);
                b = DiskBuffer::open(dir.path(), cfg.clone()).map_err(fail)?;
                prop_assert_eq!(b.buffer_id(), id);
            }
            Op::Read { offset, max } => {
                let from = m.acked + 1 + u64::from(offset);
                let got = b.read_from(from, usize::from(max), usize::MAX).map_err(fail)?;
                let lo = from.max(m.present_from);
                for (i, r) in got.iter().enumerate() {
                    prop_assert!(r.seq >= lo);
                    if i > 0 {
                        prop_assert_eq!(r.seq, got[i - 1].seq + 1);
                    }
                }
                prop_assert!(got.len() <= usize::from(max));
            }
        }
        m.check(&b, may_drop)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        // Keep the shared checkout clean: failures are reported with their minimal input.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_append_ack_reopen_sequences_match_the_model(
        ops in proptest::collection::vec(op(), 1..80),
        segment_bytes in 200u64..3000,
        capped in any::<bool>(),
        cap in 1500u64..8000,
        interval in any::<bool>(),
    ) {
        let cfg = BufferConfig {
            max_bytes: if capped { cap } else { 1 << 40 },
            segment_bytes,
            fsync: if interval {
                FsyncPolicy::Interval(Duration::from_secs(3600))
            } else {
                FsyncPolicy::Always
            },
        };
        run_ops(cfg, ops)?;
    }
}

/// Environment variable that turns `crash_child` into the appending child process.
const CRASH_CHILD_ENV: &str = "PHAROS_BUFFER_CRASH_CHILD_DIR";
const CRASH_PAYLOAD: usize = 4000;

/// Child side of the crash test: appends with fsync=always and reports each returned append on
/// stdout, until the parent SIGKILLs it. Does nothing when run as an ordinary test.
#[test]
fn crash_child() -> TestResult {
    let Some(dir) = std::env::var_os(CRASH_CHILD_ENV) else {
        return Ok(());
    };
    let cfg = small_segments();
    let mut b = DiskBuffer::open(Path::new(&dir), cfg)?;
    let mut out = io::stdout().lock();
    // Bounded so that an orphaned child cannot run forever.
    for _ in 0..200_000 {
        let seq = b.next_seq();
        b.append(seq, 1, &payload_for(seq, CRASH_PAYLOAD))?;
        writeln!(out, "APPENDED {seq}")?;
        out.flush()?;
        if seq % 50 == 0 {
            // Acks also race with the kill: the ledger must never be torn.
            b.ack(seq - 25)?;
            writeln!(out, "ACKED {}", seq - 25)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn small_segments() -> BufferConfig {
    BufferConfig { max_bytes: 1 << 30, segment_bytes: 64 * 1024, fsync: FsyncPolicy::Always }
}

#[test]
fn sigkilled_appender_loses_nothing_it_confirmed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let exe = std::env::current_exe()?;
    let mut confirmed = 0u64;
    let mut confirmed_ack = 0u64;
    for round in 0..6u64 {
        let mut child = Command::new(&exe)
            .args(["tests_stress::crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CRASH_CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no child stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Everything the child printed before dying was confirmed by a call that returned.
        let mut note = |line: &str| -> Result<bool, std::num::ParseIntError> {
            if let Some(s) = line.strip_prefix("APPENDED ") {
                confirmed = confirmed.max(s.parse()?);
                return Ok(true);
            }
            if let Some(s) = line.strip_prefix("ACKED ") {
                confirmed_ack = confirmed_ack.max(s.parse()?);
            }
            Ok(false)
        };
        // Kill at a different point each round, mid-stream.
        let kill_after = 40 + round * 37;
        let mut seen = 0;
        let deadline = Instant::now() + Duration::from_secs(60);
        while seen < kill_after && Instant::now() < deadline {
            match rx.recv_timeout(Duration::from_secs(5)) {
                Ok(line) => seen += u64::from(note(&line)?),
                Err(_) => break,
            }
        }
        child.kill()?; // SIGKILL
        child.wait()?;
        reader.join().map_err(|_| "reader thread panicked")?;
        for line in rx.try_iter() {
            note(&line)?;
        }
        assert!(seen > 0, "child made no progress in round {round}");

        let b = DiskBuffer::open(dir.path(), small_segments())?;
        assert!(b.next_seq() > confirmed, "round {round}: next_seq {} but {confirmed} was confirmed", b.next_seq());
        assert!(b.acked_seq() >= confirmed_ack);
        let all = read_all(&b)?;
        let expected: Vec<u64> = (b.acked_seq() + 1..b.next_seq()).collect();
        assert_eq!(seqs(&all), expected, "round {round}");
        assert!(all.iter().all(|r| r.payload == payload_for(r.seq, CRASH_PAYLOAD)));
        assert_eq!(b.stats().dropped_records, 0);
    }
    Ok(())
}

/// Appends 20 KB records for about `secs` seconds, acking as an uplink would; returns appends/s.
fn bench_policy(dir: &Path, fsync: FsyncPolicy, secs: f64) -> Result<(f64, u64), BufferError> {
    let cfg = BufferConfig { fsync, ..BufferConfig::default() };
    let mut b = DiskBuffer::open(dir, cfg)?;
    let payload = payload_for(1, 20_000);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        let seq = b.next_seq();
        b.append(seq, 400, &payload)?;
        n += 1;
        if n.is_multiple_of(64) {
            b.ack(seq - 32)?;
        }
    }
    b.sync()?;
    Ok((n as f64 / start.elapsed().as_secs_f64(), n))
}

/// Appends 8 records at a time and drains them as the uplink does (read, ack); returns
/// records/s and the time spent in append, read and ack.
fn bench_uplink_pattern(dir: &Path, secs: f64) -> Result<(f64, [Duration; 3]), BufferError> {
    let mut b = DiskBuffer::open(dir, BufferConfig::default())?;
    let mut spent = [Duration::ZERO; 3];
    let start = Instant::now();
    let mut next = 1;
    while start.elapsed().as_secs_f64() < secs {
        let t = Instant::now();
        append_n(&mut b, 8, 20_000)?;
        spent[0] += t.elapsed();
        let t = Instant::now();
        let got = b.read_from(next, 64, 8 << 20)?;
        spent[1] += t.elapsed();
        let t = Instant::now();
        if let Some(last) = got.last() {
            next = last.seq + 1;
            b.ack(last.seq)?;
        }
        spent[2] += t.elapsed();
    }
    Ok(((b.next_seq() - 1) as f64 / start.elapsed().as_secs_f64(), spent))
}

/// `cargo test --release -p pharos-buffer bench_append -- --ignored --nocapture`; set
/// `PHAROS_BENCH_DIR` to measure on a particular filesystem.
#[test]
#[ignore]
fn bench_append_20k_records() -> TestResult {
    let base = std::env::var_os("PHAROS_BENCH_DIR").map(PathBuf::from);
    let fresh_dir = || match &base {
        Some(p) => tempfile::tempdir_in(p),
        None => tempfile::tempdir(),
    };
    // Start every phase without the previous one's dirty pages being written back under it.
    let settle = || Command::new("sync").status().map(|_| ());
    for (name, policy) in
        [("always", FsyncPolicy::Always), ("interval 1s", FsyncPolicy::Interval(Duration::from_secs(1)))]
    {
        let dir = fresh_dir()?;
        settle()?;
        let (rate, n) = bench_policy(dir.path(), policy, 5.0)?;
        println!(
            "disk buffer append, 20 KB records, fsync {name}: {rate:.0} appends/s ({:.1} MB/s, {n} appends)",
            rate * 20_000.0 / 1e6
        );
    }
    let dir = fresh_dir()?;
    settle()?;
    let (rate, [append, read, ack]) = bench_uplink_pattern(dir.path(), 5.0)?;
    println!(
        "disk buffer append x8 + read_from + ack, 20 KB records, fsync always: {rate:.0} records/s \
         (time in append {append:.2?}, read {read:.2?}, ack {ack:.2?})"
    );
    Ok(())
}
