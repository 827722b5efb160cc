//! Micro benchmarks, `#[ignore]`d: run with
//! `cargo test --release -p pharos-aggregator rocks::tests::bench -- --ignored --nocapture`.

use super::super::{RocksOptions, RocksStorage};
use crate::storage::{Checkpoint, Storage};
use pharos_protocol::{Labels, Sample, Series};
use std::sync::Arc;
use std::time::Instant;

fn labels_for(i: usize) -> Labels {
    let host = format!("host-{:03}:9100", i / 100);
    let metric = format!("node_metric_{}_total", i % 20);
    let cpu = ((i % 100) / 20).to_string();
    Labels::from_pairs([("__name__", metric.as_str()), ("instance", &host), ("job", "node"), ("cpu", &cpu)])
}

/// 1000 series × 10 samples per append, synced; one writer, then four.
#[test]
#[ignore]
fn bench_append_throughput() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(RocksStorage::open(dir.path(), RocksOptions::unbounded()).expect("open"));
    let labels: Vec<Labels> = (0..1000).map(labels_for).collect();
    let batch = |round: usize, writer: usize| -> Vec<Series> {
        labels
            .iter()
            .map(|l| {
                let mut l = l.clone();
                l.set("writer", &writer.to_string());
                Series {
                    labels: l,
                    samples: (0..10)
                        .map(|j| Sample {
                            timestamp_ms: ((round * 10 + j) * 15_000) as i64,
                            value: (round * 10 + j) as f64,
                        })
                        .collect(),
                }
            })
            .collect()
    };
    for writers in [1usize, 4] {
        // The first round creates the series; measure steady state.
        for w in 0..writers {
            store.append(&batch(0, w), None).expect("append");
        }
        const ROUNDS: usize = 200;
        let started = Instant::now();
        let threads: Vec<_> = (0..writers)
            .map(|w| {
                let store = Arc::clone(&store);
                let batches: Vec<Vec<Series>> = (1..=ROUNDS).map(|r| batch(r, w)).collect();
                std::thread::spawn(move || {
                    for (r, b) in batches.iter().enumerate() {
                        let cp = Checkpoint { stream: format!("w{w}"), seq: r as u64 };
                        store.append(b, Some(&cp)).expect("append");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("writer");
        }
        let secs = started.elapsed().as_secs_f64();
        let samples = (writers * ROUNDS * 10_000) as f64;
        println!(
            "append, {writers} writer(s): {:.0} samples/s, {:.2} ms per 10k-sample append",
            samples / secs,
            secs * 1000.0 / (writers * ROUNDS) as f64
        );
    }
}

/// 10k node-like series × 360 samples at 15 s, appended one scrape at a time; bytes on disk per
/// sample after flush and full compaction.
#[test]
#[ignore]
fn bench_disk_bytes_per_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = RocksStorage::open(dir.path(), RocksOptions::unbounded()).expect("open");
    const SERIES: usize = 10_000;
    const STEPS: usize = 360;
    let labels: Vec<Labels> = (0..SERIES).map(labels_for).collect();
    // Counters of different shapes: float seconds, integer bytes/packets, small counts.
    let mut values: Vec<f64> = vec![0.0; SERIES];
    let mut state: u64 = 0x1234_5678_9abc_def1;
    let mut rand = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let base: i64 = 1_700_000_000_000;
    let started = Instant::now();
    for step in 0..STEPS {
        let ts = base + step as i64 * 15_000;
        let batch: Vec<Series> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                values[i] += match i % 3 {
                    0 => (rand() % 1500) as f64 / 100.0,
                    1 => (rand() % 1_000_000) as f64,
                    _ => (rand() % 5) as f64,
                };
                Series { labels: l.clone(), samples: vec![Sample { timestamp_ms: ts, value: values[i] }] }
            })
            .collect();
        store.append(&batch, None).expect("append");
    }
    let ingest = started.elapsed();
    let total = (SERIES * STEPS) as f64;
    let before = store.disk_bytes();
    store.flush().expect("flush");
    let flushed = store.disk_bytes();
    store.compact().expect("compact");
    let compacted = store.disk_bytes();
    println!(
        "{SERIES} series × {STEPS} samples in {ingest:?} ({:.0} samples/s, one append per scrape)",
        total / ingest.as_secs_f64()
    );
    println!("disk before flush (WAL): {:.2} bytes/sample", before as f64 / total);
    println!("disk after flush: {:.2} bytes/sample", flushed as f64 / total);
    println!("disk after compaction: {:.2} bytes/sample ({compacted} bytes)", compacted as f64 / total);
}
