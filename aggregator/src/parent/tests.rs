//! The sink: match filtering, external labels, loops, refusals, label limits, and batches within
//! the frame limits read back from the buffer.

use super::sink::{split, SinkSettings};
use super::*;
use crate::federate::tee::{Forward, TeeStorage};
use crate::storage::memory::MemoryStorage;
use crate::storage::{Checkpoint, Matcher, Storage};
use pharos_buffer::FsyncPolicy;
use pharos_protocol::frame::{decode_body, Limits, Message};
use pharos_protocol::{Sample, Series};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

fn series(pairs: &[(&str, &str)], ts: &[i64]) -> Series {
    Series {
        labels: Labels::from_pairs(pairs.iter().copied()),
        samples: ts.iter().map(|&t| Sample { timestamp_ms: t, value: t as f64 * 0.5 }).collect(),
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    sink: Arc<ParentSink>,
}

fn fixture(selectors: &[&str], external: &[(&str, &str)], limits: Limits) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let cfg = BufferConfig { max_bytes: 1 << 26, segment_bytes: 1 << 22, fsync: FsyncPolicy::Always };
    let buffer = Arc::new(Mutex::new(DiskBuffer::open(dir.path(), cfg).unwrap()));
    let p = ParentConfig {
        matchers: selectors.iter().map(|s| s.to_string()).collect(),
        server: Some("global.example:9701".into()),
        ..ParentConfig::default()
    };
    let settings = SinkSettings {
        identity: "eu-1".into(),
        matchers: p.matcher_sets().unwrap(),
        external_labels: Labels::from_pairs(external.iter().copied()),
        loop_names: p.loop_names().into_iter().collect(),
        limits,
    };
    Fixture { _dir: dir, sink: Arc::new(ParentSink::new(settings, buffer, None)) }
}

/// Every batch in the buffer, decoded with `limits` (so each must respect them).
fn batches(sink: &ParentSink, limits: &Limits) -> Vec<pharos_protocol::frame::Batch> {
    let b = pharos_buffer::lock_shared(sink.buffer());
    let records = b.read_from(1, 100_000, usize::MAX).unwrap();
    records
        .iter()
        .map(|r| match decode_body(&r.payload[4..], limits).unwrap() {
            Message::Batch(batch) => {
                assert_eq!(batch.seq, r.seq);
                assert_eq!(batch.agent, "eu-1");
                assert_eq!(batch.buffer_id, b.buffer_id());
                assert_eq!(batch.sample_count(), r.samples as usize);
                batch
            }
            other => panic!("not a batch: {other:?}"),
        })
        .collect()
}

/// Samples per series over all batches, in buffer order.
fn by_series(batches: &[pharos_protocol::frame::Batch]) -> BTreeMap<Labels, Vec<Sample>> {
    let mut out: BTreeMap<Labels, Vec<Sample>> = BTreeMap::new();
    for b in batches {
        for s in b.to_series() {
            out.entry(s.labels).or_default().extend(s.samples);
        }
    }
    out
}

#[test]
fn match_selects_series_and_counts_the_rest() {
    let f = fixture(&["up", "{job=\"node\",__name__=~\"node_load.*\"}"], &[], Limits::default());
    let data = vec![
        series(&[("__name__", "up"), ("job", "a")], &[1, 2]),
        series(&[("__name__", "node_load1"), ("job", "node")], &[1]),
        series(&[("__name__", "node_load5"), ("job", "other")], &[1, 2, 3]),
        series(&[("__name__", "node_cpu_seconds_total"), ("job", "node")], &[1]),
        series(&[("__name__", "up"), ("job", "b")], &[]),
    ];
    f.sink.forward(&data, &[false; 5], Some("host-1"));
    let got = by_series(&batches(&f.sink, &Limits::default()));
    let names: Vec<String> = got.keys().map(|l| l.to_string()).collect();
    assert_eq!(names, vec![r#"node_load1{job="node"}"#, r#"up{job="a"}"#]);
    assert_eq!(got[&data[0].labels], data[0].samples);
    assert_eq!(f.sink.metrics.dropped_match.load(Ordering::Relaxed), 4);
    assert_eq!(f.sink.metrics.samples_queued.load(Ordering::Relaxed), 3);
}

#[test]
fn empty_match_forwards_everything() {
    let f = fixture(&[], &[], Limits::default());
    let data = vec![series(&[("__name__", "a")], &[1]), series(&[("__name__", "b"), ("x", "y")], &[5, 6])];
    f.sink.forward(&data, &[false, false], None);
    let got = by_series(&batches(&f.sink, &Limits::default()));
    assert_eq!(got.len(), 2);
    assert_eq!(got[&data[1].labels], data[1].samples);
}

#[test]
fn external_labels_are_added_unless_the_series_has_them() {
    let f = fixture(&[], &[("region", "eu"), ("dc", "fra")], Limits::default());
    let data = vec![
        series(&[("__name__", "a")], &[1]),
        series(&[("__name__", "b"), ("region", "us")], &[1]),
        series(&[("__name__", "c"), ("dc", "x"), ("region", "y")], &[1]),
    ];
    f.sink.forward(&data, &[false; 3], None);
    let got: Vec<String> = by_series(&batches(&f.sink, &Limits::default())).keys().map(|l| l.to_string()).collect();
    assert_eq!(got, vec![r#"a{dc="fra", region="eu"}"#, r#"b{dc="fra", region="us"}"#, r#"c{dc="x", region="y"}"#]);
}

#[test]
fn loop_names_refused_series_and_bad_labels_are_not_forwarded() {
    let f = fixture(&[], &[], Limits { max_label_value_len: 10, ..Limits::default() });
    let data = vec![series(&[("__name__", "a")], &[1, 2]), series(&[("__name__", "b")], &[1])];
    // From the parent itself (its host is in the loop list).
    f.sink.forward(&data, &[false, false], Some("global.example"));
    assert_eq!(f.sink.metrics.dropped_loop.load(Ordering::Relaxed), 3);
    let data = vec![
        series(&[("__name__", "a")], &[3]),
        series(&[("__name__", "b")], &[2, 3]),
        series(&[("__name__", "c"), ("long", "more than ten bytes")], &[1]),
    ];
    f.sink.forward(&data, &[false, true, false], Some("host-1"));
    let got = by_series(&batches(&f.sink, &Limits::default()));
    assert_eq!(got.keys().map(|l| l.to_string()).collect::<Vec<_>>(), vec!["a{}"]);
    assert_eq!(f.sink.metrics.dropped_rejected.load(Ordering::Relaxed), 2);
    assert_eq!(f.sink.metrics.dropped_limits.load(Ordering::Relaxed), 1);
}

#[test]
fn split_respects_series_and_sample_limits() {
    let limits = Limits { max_series_per_batch: 3, max_samples_per_batch: 5, ..Limits::default() };
    let data = vec![
        series(&[("__name__", "a")], &(0..12).collect::<Vec<_>>()),
        series(&[("__name__", "b")], &[1]),
        series(&[("__name__", "c")], &[1]),
        series(&[("__name__", "d")], &[1]),
        series(&[("__name__", "e")], &[1, 2]),
    ];
    let parts = split(&data, &limits);
    for p in &parts {
        assert!(p.len() <= 3, "{p:?}");
        assert!(p.iter().map(|s| s.samples.len()).sum::<usize>() <= 5, "{p:?}");
    }
    assert_eq!(parts.iter().map(|p| p.iter().map(|s| s.samples.len()).sum::<usize>()).sum::<usize>(), 17);

    let f = fixture(&[], &[], limits);
    f.sink.forward(&data, &[false; 5], None);
    let got = batches(&f.sink, &limits);
    assert!(got.len() >= 4, "17 samples in batches of at most 5: {}", got.len());
    let merged = by_series(&got);
    for s in &data {
        assert_eq!(merged[&s.labels], s.samples, "{}", s.labels);
    }
}

#[test]
fn frames_over_the_byte_limit_are_halved() {
    let limits = Limits { max_frame_bytes: 2048, compress_threshold: u32::MAX, ..Limits::default() };
    let value = "v".repeat(300);
    let data: Vec<Series> =
        (0..20).map(|i| series(&[("__name__", "big"), ("i", &format!("{i}")), ("pad", &value)], &[i, i + 1])).collect();
    let f = fixture(&[], &[], limits);
    f.sink.forward(&data, &[false; 20], None);
    let got = batches(&f.sink, &limits);
    assert!(got.len() >= 4, "20 series of 300+ bytes in frames of 2 KiB: {} batches", got.len());
    let merged = by_series(&got);
    assert_eq!(merged.len(), 20);
    for s in &data {
        assert_eq!(merged[&s.labels], s.samples);
    }
    assert_eq!(f.sink.metrics.samples_queued.load(Ordering::Relaxed), 40);
}

#[test]
fn the_tee_passes_the_ingest_streams_sender() {
    let f = fixture(&[], &[], Limits::default());
    let inner: Arc<dyn Storage> = Arc::new(MemoryStorage::new());
    let tee = TeeStorage::with_forwards(inner.clone(), vec![f.sink.clone() as Arc<dyn Forward>]);
    let a = series(&[("__name__", "a")], &[10]);
    let cp = |stream: &str| Checkpoint { stream: stream.into(), seq: 1 };
    tee.append(std::slice::from_ref(&a), Some(&cp("global.example/00000000000000ab"))).unwrap();
    assert_eq!(f.sink.metrics.dropped_loop.load(Ordering::Relaxed), 1);
    tee.append(&[series(&[("__name__", "a")], &[20])], Some(&cp("host/1/00000000000000ab"))).unwrap();
    tee.append(&[series(&[("__name__", "a")], &[30])], None).unwrap();
    let got = by_series(&batches(&f.sink, &Limits::default()));
    let ts: Vec<i64> = got[&a.labels].iter().map(|s| s.timestamp_ms).collect();
    assert_eq!(ts, vec![20, 30]);
    // Everything reached storage, forwarded or not.
    let stored = inner.select(&[Matcher::equal("__name__", "a")], 0, 100).unwrap();
    assert_eq!(stored[0].samples.len(), 3);
}
