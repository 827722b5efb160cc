//! Crash safety: a child process appends and prints each acked sequence number; the parent
//! SIGKILLs it mid-run, reopens the store and checks that every acked batch is there.

use super::{m, open_at, series};
use crate::storage::{Checkpoint, Storage};
use pharos_protocol::Series;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Set (to the store's directory) in the child process only.
const CHILD_ENV: &str = "PHAROS_ROCKS_CRASH_CHILD_DIR";
const STREAM: &str = "crash-agent/1";
const SERIES_PER_BATCH: u64 = 20;

/// Batch `seq`: one sample at `ts = seq` for each of a fixed set of series, plus a new series
/// every 10th batch so series creation is also cut by the kill.
fn batch(seq: u64) -> Vec<Series> {
    let mut out: Vec<Series> = (0..SERIES_PER_BATCH)
        .map(|k| series(&[("__name__", "crash"), ("k", &k.to_string())], &[(seq as i64, (seq * 100 + k) as f64)]))
        .collect();
    if seq.is_multiple_of(10) {
        out.push(series(&[("__name__", "crash_new"), ("seq", &seq.to_string())], &[(seq as i64, 1.0)]));
    }
    out
}

/// The child: appends batches forever, continuing after the stored checkpoint, and prints
/// `ACK <seq>` once each append has returned. Does nothing in a normal test run.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let store = open_at(std::path::Path::new(&dir));
    let mut seq = store.checkpoint(STREAM).expect("checkpoint").unwrap_or(0);
    let mut out = std::io::stdout().lock();
    loop {
        seq += 1;
        let cp = Checkpoint { stream: STREAM.into(), seq };
        store.append(&batch(seq), Some(&cp)).expect("append");
        writeln!(out, "ACK {seq}").expect("stdout");
        out.flush().expect("stdout");
    }
}

/// The seq of an `ACK <seq>` line. The test harness may print its own text before the first
/// one on the same line, so the marker is searched, not expected at the start.
fn ack(line: &str) -> Option<u64> {
    let at = line.find("ACK ")?;
    line[at + 4..].trim().parse().ok()
}

/// Runs the child until it has acked `min_acks` more batches, SIGKILLs it, and returns every
/// seq it acked.
fn run_and_kill(dir: &std::path::Path, min_acks: usize) -> Vec<u64> {
    let module = module_path!().split_once("::").map_or(module_path!(), |(_, rest)| rest);
    let name = format!("{module}::crash_child");
    let exe = std::env::current_exe().expect("current exe");
    let mut child = Command::new(exe)
        .args(["--exact", &name, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut acked = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.len() < min_acks {
        assert!(Instant::now() < deadline, "child too slow: {} acks", acked.len());
        match lines.next() {
            Some(Ok(line)) => acked.extend(ack(&line)),
            _ => panic!("child exited early after {} acks", acked.len()),
        }
    }
    // Child::kill is SIGKILL on Unix: no destructors, no flush, mid-append.
    child.kill().expect("kill child");
    // Lines already in the pipe were printed after their append returned: acked too.
    acked.extend(lines.map_while(Result::ok).filter_map(|l| ack(&l)));
    child.wait().expect("reap child");
    acked
}

#[test]
fn acked_appends_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jitter = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos() as usize);
    let mut all_acked = Vec::new();
    let mut prev_cp = 0;
    for round in 0..3 {
        let acked = run_and_kill(dir.path(), 100 + (jitter >> (round * 4)) % 200);
        let last = *acked.last().expect("acks");
        // The child resumed after the stored checkpoint and every ack was seen (none lost to
        // the harness' own output on the same line).
        assert_eq!(acked, (prev_cp + 1..=last).collect::<Vec<_>>(), "round {round}");
        all_acked.extend(acked);

        let store = open_at(dir.path());
        let cp = store.checkpoint(STREAM).expect("checkpoint").expect("a checkpoint");
        // The batch in flight at the kill may or may not have made it, atomically.
        assert!(cp == last || cp == last + 1, "checkpoint {cp}, last ack {last}");
        let got = store.select(&[m("__name__", "=~", "crash|crash_new")], i64::MIN, i64::MAX).expect("select");
        let mut per_seq: HashMap<i64, u64> = HashMap::new();
        for s in &got {
            for sample in &s.samples {
                *per_seq.entry(sample.timestamp_ms).or_default() += 1;
            }
        }
        let expected = |seq: u64| SERIES_PER_BATCH + u64::from(seq.is_multiple_of(10));
        for seq in 1..=cp {
            assert_eq!(per_seq.get(&(seq as i64)).copied(), Some(expected(seq)), "seq {seq} (checkpoint {cp})");
        }
        assert_eq!(per_seq.get(&(cp as i64 + 1)), None, "nothing past the checkpoint");
        for &seq in &all_acked {
            assert!(seq <= cp, "acked {seq} beyond checkpoint {cp}");
        }
        let k3 = store.select(&[m("k", "=", "3")], 1, 1).expect("select");
        assert_eq!(k3[0].samples[0].value, 103.0);
        eprintln!("round {round}: {} acks, last {last}, checkpoint {cp}", all_acked.len());
        prev_cp = cp;
    }
}
