//! Snapshots of a store under load: each one opens as a store with every sample acknowledged
//! before it was asked for, while the live store keeps appending and checkpointing.

use super::{m, open_at, series};
use crate::storage::{Checkpoint, Storage};
use pharos_protocol::Series;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SERIES: u64 = 8;
const STREAM: &str = "snap-agent/1";

/// Batch `seq`: a sample at `ts = seq` for each series.
fn batch(seq: u64) -> Vec<Series> {
    (0..SERIES)
        .map(|k| series(&[("__name__", "snap"), ("k", &k.to_string())], &[(seq as i64, (seq * 10 + k) as f64)]))
        .collect()
}

/// Waits until the appender has acknowledged `n` batches more than `from`.
fn wait_acked(acked: &AtomicU64, from: u64, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.load(Ordering::SeqCst) < from + n {
        assert!(Instant::now() < deadline, "the appender stalled at {}", acked.load(Ordering::SeqCst));
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn snapshots_under_load_hold_every_acknowledged_sample() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_at(&dir.path().join("live")));
    let acked = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let appender = {
        let (store, acked, stop) = (Arc::clone(&store), Arc::clone(&acked), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut seq = 0;
            while !stop.load(Ordering::SeqCst) {
                seq += 1;
                let cp = Checkpoint { stream: STREAM.into(), seq };
                store.append(&batch(seq), Some(&cp)).expect("append");
                acked.store(seq, Ordering::SeqCst);
            }
        })
    };
    // Checkpoints race the snapshots: each drops WAL segments and writes the head into RocksDB.
    let checkpointer = {
        let (store, stop) = (Arc::clone(&store), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                store.flush().expect("checkpoint");
                std::thread::sleep(Duration::from_millis(15));
            }
        })
    };

    let mut taken = Vec::new();
    for i in 0..4 {
        wait_acked(&acked, acked.load(Ordering::SeqCst), 300);
        let before = acked.load(Ordering::SeqCst);
        let out = dir.path().join(format!("snap-{i}"));
        let skip_head = i == 3;
        store.snapshot(&out, skip_head).expect("snapshot");
        taken.push((out, before, skip_head));
    }
    // The live store went on appending after the last snapshot.
    let after_last = acked.load(Ordering::SeqCst);
    wait_acked(&acked, after_last, 100);
    stop.store(true, Ordering::SeqCst);
    appender.join().unwrap();
    checkpointer.join().unwrap();
    let total = acked.load(Ordering::SeqCst);
    assert!(total > taken.last().unwrap().1 + 100);

    let matchers = [m("__name__", "=", "snap")];
    let live = store.select(&matchers, 0, i64::MAX).unwrap();
    assert_eq!(live.len(), SERIES as usize);
    assert!(live.iter().all(|s| s.samples.len() as u64 >= total), "the live store lost samples");
    assert!(store.snapshot(&taken[0].0, false).is_err(), "a snapshot must not overwrite an existing directory");
    drop(store);

    for (out, before, skip_head) in taken {
        assert!(out.join("db").join("CURRENT").exists(), "{} has no RocksDB checkpoint", out.display());
        let copy = open_at(&out);
        let got = copy.select(&matchers, 0, i64::MAX).unwrap();
        assert_eq!(got.len(), SERIES as usize, "{}", out.display());
        if skip_head {
            // Without the WAL only checkpointed samples are in; the checkpointer ran every 15 ms.
            assert!(got.iter().all(|s| !s.samples.is_empty()), "{}", out.display());
            continue;
        }
        for s in &got {
            let k: u64 = s.labels.get("k").unwrap().parse().unwrap();
            let have: std::collections::HashSet<i64> = s.samples.iter().map(|x| x.timestamp_ms).collect();
            for seq in 1..=before {
                assert!(have.contains(&(seq as i64)), "{}: series {k} lacks acknowledged sample {seq}", out.display());
            }
            for x in &s.samples {
                assert_eq!(x.value, (x.timestamp_ms as u64 * 10 + k) as f64, "{}: wrong value", out.display());
            }
        }
        // The stream checkpoint in the copy is backed by the copy's samples.
        let cp = copy.checkpoint(STREAM).unwrap().expect("a stream checkpoint in the copy");
        assert!(cp >= before, "{}: stream checkpoint {cp} behind acknowledged {before}", out.display());
        let max_ts = got.iter().map(|s| s.samples.last().unwrap().timestamp_ms).min().unwrap();
        assert!(cp as i64 <= max_ts, "{}: stream checkpoint {cp} ahead of the samples ({max_ts})", out.display());
        // The copy is a working store of its own.
        copy.append(&batch(total + 1), None).unwrap();
        assert_eq!(copy.select(&matchers, total as i64 + 1, total as i64 + 1).unwrap().len(), SERIES as usize);
    }
}
