//! The engine's own rules: out-of-order window, time bounds, series limits, retention, compaction.

use super::super::keys::CF_CHUNKS;
use super::super::{cf, chunks, RocksOptions, RocksStorage};
use super::{m, series};
use crate::storage::{Checkpoint, Storage};
use pharos_protocol::frame::Rejections;
use pharos_protocol::{Labels, Sample, Series};
use std::path::Path;
use std::time::Duration;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

fn open_with(dir: &Path, o: RocksOptions) -> RocksStorage {
    RocksStorage::open(dir, RocksOptions { block_cache_mb: 8, write_buffer_mb: 4, ..o }).expect("open store")
}

fn chunk_count(store: &RocksStorage) -> usize {
    let db = &store.inner.db;
    db.iterator_cf(cf(db, CF_CHUNKS).expect("cf"), rocksdb::IteratorMode::Start).count()
}

#[test]
fn out_of_order_window_and_time_bounds_reject_with_reasons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = RocksOptions {
        out_of_order_window: Duration::from_secs(600),
        retention: Duration::from_secs(2 * 86_400),
        max_future: Duration::from_secs(3_600),
        ..RocksOptions::default()
    };
    let store = open_with(dir.path(), o);
    let now = crate::now_ms();
    let s = |samples: &[(i64, f64)]| series(&[("__name__", "x")], samples);
    // An in-order replay hours old is fine: it is in order for its series.
    let st = store.append(&[s(&[(now - 10 * HOUR, 1.0), (now - 9 * HOUR, 2.0), (now, 3.0)])], None).expect("append");
    assert_eq!((st.accepted, st.rejected.total()), (3, 0));
    let st = store
        .append(
            &[
                series(&[("__name__", "other")], &[(now, 1.0)]),
                s(&[
                    (now - 5 * MIN, 4.0),  // within the 10 min window: merged
                    (now - 20 * MIN, 5.0), // behind the newest by more than the window
                    (now - 3 * DAY, 6.0),  // outside retention
                    (now + 2 * HOUR, 7.0), // too far ahead
                    (now, 3.0),            // a duplicate of what is stored
                ]),
            ],
            None,
        )
        .expect("append");
    assert_eq!(st.accepted, 3);
    let want = Rejections { out_of_order: 1, too_old: 1, too_far_in_future: 1, series_limit: 0 };
    assert_eq!(st.rejected, want);
    assert_eq!(st.rejected_series, vec![(1, want)]);
    assert_eq!(store.stats().rejected, want);
    let got = store.select(&[m("__name__", "=", "x")], 0, i64::MAX).expect("select");
    let ts: Vec<i64> = got[0].samples.iter().map(|x| x.timestamp_ms - now).collect();
    assert_eq!(ts, vec![-10 * HOUR, -9 * HOUR, -5 * MIN, 0]);
}

#[test]
fn series_limits_per_agent_and_global() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = RocksOptions { max_series: 5, max_series_per_agent: 3, ..RocksOptions::unbounded() };
    let store = open_with(dir.path(), o);
    let batch = |agent: &str, n: usize| -> Vec<Series> {
        (0..n)
            .map(|i| series(&[("__name__", "m"), ("agent", agent), ("i", &i.to_string())], &[(1, 1.0), (2, 2.0)]))
            .collect()
    };
    let cp = |agent: &str| Checkpoint { stream: format!("{agent}/1"), seq: 1 };
    let st = store.append(&batch("a", 4), Some(&cp("a"))).expect("append");
    assert_eq!(st.accepted, 6);
    assert_eq!(st.rejected.series_limit, 2);
    assert_eq!(st.rejected_series.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3]);
    // Known series of a full agent keep being accepted.
    assert_eq!(store.append(&batch("a", 3), Some(&cp("a"))).expect("append").rejected.total(), 0);
    // b may create 3, but only 2 fit under the global 5.
    let st = store.append(&batch("b", 3), Some(&cp("b"))).expect("append");
    assert_eq!((st.accepted, st.rejected.series_limit), (4, 2));
    // Imports (no agent) meet only the global limit.
    let st = store.append(&batch("import", 1), None).expect("append");
    assert_eq!(st.rejected.series_limit, 2);
    assert_eq!(store.stats().active_series, 5);
    // Refused series were not created.
    assert_eq!(store.series(&[m("__name__", "=", "m")], 0, 10).expect("series").len(), 5);
}

#[test]
fn retention_drops_whole_days_by_time_and_by_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = crate::now_ms();
    let today = chunks::partition_start(chunks::partition(now));
    // Four days of incompressible samples: ~1.5 MB each.
    {
        let store = open_with(dir.path(), RocksOptions::unbounded());
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        for day in 0..4i64 {
            let base = today - (3 - day) * DAY;
            let batch: Vec<Series> = (0..200)
                .map(|i| Series {
                    labels: Labels::from_pairs([("__name__", "r"), ("i", &i.to_string())]),
                    samples: (0..1000)
                        .map(|k| {
                            rng ^= rng << 13;
                            rng ^= rng >> 7;
                            rng ^= rng << 17;
                            Sample { timestamp_ms: base + k * 1000, value: f64::from_bits(rng >> 2) }
                        })
                        .collect(),
                })
                .collect();
            store.append(&batch, None).expect("append");
        }
        store.flush().expect("flush");
        store.compact().expect("compact");
    }
    let days = |store: &RocksStorage| -> Vec<i64> {
        (0..4)
            .filter(|d| {
                let base = today - (3 - d) * DAY;
                !store.select(&[m("i", "=", "7")], base, base + HOUR).expect("select").is_empty()
            })
            .collect()
    };
    // By time: a 1-day retention drops the days that ended more than a day ago (yesterday ends
    // today at 00:00, after the cutoff, so it stays whole).
    {
        let o = RocksOptions { retention: Duration::from_secs(86_400), ..RocksOptions::unbounded() };
        let store = open_with(dir.path(), o);
        assert_eq!(days(&store), vec![0, 1, 2, 3]);
        store.enforce_retention().expect("retention");
        assert_eq!(days(&store), vec![2, 3]);
        assert_eq!(store.stats().partitions_dropped, 2);
    }
    // By size: 2 MiB leaves the newest day only (never less than one).
    let store = open_with(dir.path(), RocksOptions { retention_size_mb: 2, ..RocksOptions::unbounded() });
    store.enforce_retention().expect("retention");
    assert_eq!(days(&store), vec![3]);
    assert!(store.disk_bytes() < 3 << 20, "{} bytes", store.disk_bytes());
}

#[test]
fn compaction_merges_small_chunks_and_keeps_every_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_with(dir.path(), RocksOptions::unbounded());
    // 600 samples at 15 s: cut at 240 (two chunks) plus a checkpoint-sealed tail of 120; then
    // 100 small appends sealed one by one by reopening-like flushes.
    let s: Vec<Sample> = (0..600).map(|k| Sample { timestamp_ms: k * 15_000, value: (k % 13) as f64 * 0.5 }).collect();
    for part in s.chunks(50) {
        store
            .append(&[Series { labels: Labels::from_pairs([("__name__", "c")]), samples: part.to_vec() }], None)
            .expect("append");
        store.flush().expect("flush");
    }
    let before = chunk_count(&store);
    assert!(before >= 12, "{before} chunks before compaction");
    store.compact().expect("compact");
    let after = chunk_count(&store);
    assert!(after <= 3, "{after} chunks after compaction (480 samples or 2 h each)");
    assert!(store.stats().chunks_compacted >= before as u64 - 2);
    let got = store.select(&[m("__name__", "=", "c")], i64::MIN, i64::MAX).expect("select");
    assert_eq!(got[0].samples, s);
}

#[test]
fn hash_collisions_probe_to_free_ids_in_one_batch_and_across_restarts() {
    use super::super::head::label_hashes;
    use super::super::keys::{self, CF_SERIES};
    let dir = tempfile::tempdir().expect("tempdir");
    let now = crate::now_ms();
    let a = series(&[("__name__", "a")], &[(now, 1.0)]);
    let b = series(&[("__name__", "b")], &[(now, 2.0)]);
    let c = series(&[("__name__", "c")], &[(now, 3.0)]);
    let (ha, hb) = (label_hashes(&a.labels).0, label_hashes(&b.labels).0);
    {
        let store = open_with(dir.path(), RocksOptions::unbounded());
        let db = &store.inner.db;
        // Squatters: other label sets holding the ids `a` hashes to and the one after it, and
        // the id `b` hashes to. `a` must probe past both, `b` past its own.
        let other = |n: &str| keys::encode_labels(&Labels::from_pairs([("__name__", n)]));
        for (id, n) in [(ha, "squat1"), (ha.wrapping_add(1).max(1), "squat2"), (hb, "squat3")] {
            db.put_cf(cf(db, CF_SERIES).expect("cf"), id.to_be_bytes(), other(n)).expect("put");
        }
        let st = store.append(&[a.clone(), b.clone(), c.clone(), a.clone()], None).expect("append");
        assert_eq!((st.accepted, st.rejected.total()), (4, 0), "{st:?}");
        let ids: Vec<u64> = [&a, &b, &c]
            .iter()
            .map(|s| {
                let h1 = label_hashes(&s.labels).0;
                match super::super::index::find(db, &store.inner.counters, &[(&s.labels, h1)]).expect("find")[0] {
                    super::super::index::Slot::Stored(id) => id,
                    free => panic!("not indexed: {free:?}"),
                }
            })
            .collect();
        assert!(!ids.contains(&ha) && !ids.contains(&hb), "a colliding id was reused: {ids:?}");
        assert_ne!(ids[0], ha.wrapping_add(1).max(1));
        let mut distinct = ids.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "{ids:?}");
    }
    let store = open_with(dir.path(), RocksOptions::unbounded());
    for (s, v) in [(&a, 1.0), (&b, 2.0), (&c, 3.0)] {
        let name = s.labels.iter().next().map(|l| l.value.clone()).unwrap_or_default();
        let got = store.select(&[m("__name__", "=", &name)], now - 1, now + 1).expect("select");
        assert_eq!(got.len(), 1, "{name}: {got:?}");
        assert_eq!(got[0].labels, s.labels);
        assert_eq!(got[0].samples.iter().map(|x| x.value).collect::<Vec<_>>(), vec![v], "{name}");
    }
}
