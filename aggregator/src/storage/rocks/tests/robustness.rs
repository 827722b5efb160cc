//! Index selectivity, concurrent appends, corrupt bytes, options.

use super::super::keys::{self, CF_CHUNKS, CF_META, CF_SERIES};
use super::super::{cf, RocksOptions, RocksStorage};
use super::super::{chunks, head};
use super::{exact, m, open_at, series};
use crate::storage::memory::MemoryStorage;
use crate::storage::{Checkpoint, Matcher, Storage, StorageError};
use pharos_protocol::{Labels, Sample, Series};
use std::sync::Arc;
use std::time::Instant;

/// Index keys and sample keys read by `f`.
fn cost(store: &RocksStorage, f: impl FnOnce()) -> (u64, u64) {
    let before = store.stats();
    f();
    let after = store.stats();
    (after.index_keys_read - before.index_keys_read, after.chunks_read - before.chunks_read)
}

#[test]
fn selectors_touch_only_matching_series_among_100k() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_at(dir.path());
    const N: usize = 100_000;
    for chunk in 0..10 {
        let batch: Vec<Series> = (chunk * N / 10..(chunk + 1) * N / 10)
            .map(|i| {
                let host = format!("h{i}");
                let job = if i % 10_000 == 0 { "target" } else { "other" };
                series(&[("__name__", "metric"), ("host", &host), ("job", job)], &[(i as i64, i as f64)])
            })
            .collect();
        store.append(&batch, None).expect("append");
    }
    assert_eq!(store.stats().active_series, N as u64);

    let check = |matchers: &[Matcher], expect_series: usize, max_index_keys: u64| {
        let started = Instant::now();
        let mut got = Vec::new();
        let (index_keys, sample_keys) = cost(&store, || got = store.select(matchers, 0, i64::MAX).expect("select"));
        let took = started.elapsed();
        assert_eq!(got.len(), expect_series, "{matchers:?}");
        assert!(index_keys <= max_index_keys, "{matchers:?} read {index_keys} index keys");
        // One sample each, plus at most one key peeked past each range.
        assert!(sample_keys <= 2 * expect_series as u64, "{matchers:?} read {sample_keys} sample keys");
        eprintln!("{matchers:?}: {index_keys} index keys, {sample_keys} sample keys, {took:?}");
    };
    // 10 postings + 10 series lookups.
    check(&[m("job", "=", "target")], 10, 20);
    check(&[m("job", "=~", "target|absent")], 10, 20);
    check(&[m("host", "=~", "h1|h20000|h99999")], 3, 6);
    // A value scan skips the 99 990 postings of `job="other"` with one seek.
    check(&[m("job", "=~", "targ.*")], 10, 25);
    // `!~` selects only when it does not match the empty string (else series without `job`
    // qualify and the matcher can only filter).
    check(&[m("job", "!~", "oth.*|")], 10, 25);
    // `=` selects, the regex only filters the 10 candidates.
    check(&[m("job", "=", "target"), m("host", "=~", "h.*0")], 10, 20);
    check(&[m("job", "=", "target"), m("host", "!=", "h0")], 9, 20);

    // The whole-store scan, for scale: every series is read.
    let started = Instant::now();
    let (index_keys, _) = cost(&store, || {
        let got = store.series(&[m("job", "!=", "x")], 0, i64::MAX).expect("series");
        assert_eq!(got.len(), N);
    });
    assert!(index_keys >= N as u64);
    eprintln!("full scan: {index_keys} index keys, {:?}", started.elapsed());
}

#[test]
fn concurrent_appends_create_each_series_once_and_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    const THREADS: u64 = 8;
    const ROUNDS: u64 = 40;
    let batch_of = |t: u64, i: u64| -> Vec<Series> {
        (0..25)
            .map(|k| {
                let s = ((t * 7 + i * 13 + k) % 100).to_string();
                series(&[("__name__", "c"), ("s", &s)], &[((t * 1000 + i) as i64, k as f64)])
            })
            .collect()
    };
    {
        let store = Arc::new(open_at(dir.path()));
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let store = Arc::clone(&store);
                std::thread::spawn(move || {
                    for i in 0..ROUNDS {
                        let cp = Checkpoint { stream: format!("t{t}"), seq: i };
                        store.append(&batch_of(t, i), Some(&cp)).expect("append");
                    }
                })
            })
            .collect();
        for th in threads {
            th.join().expect("append thread");
        }
        assert_eq!(store.stats().active_series, 100);
        assert_eq!(store.stats().series_created, 100);
    }
    let reference = MemoryStorage::new();
    for t in 0..THREADS {
        for i in 0..ROUNDS {
            reference.append(&batch_of(t, i), None).expect("reference append");
        }
    }
    let store = open_at(dir.path());
    let all = [m("__name__", "=", "c")];
    assert_eq!(
        exact(store.select(&all, i64::MIN, i64::MAX).expect("select")),
        exact(reference.select(&all, i64::MIN, i64::MAX).expect("reference select"))
    );
    // One `series` entry per label set: no label set got two ids.
    let series_cf = cf(&store.inner.db, keys::CF_SERIES).expect("cf");
    assert_eq!(store.inner.db.iterator_cf(series_cf, rocksdb::IteratorMode::Start).count(), 100);
    for t in 0..THREADS {
        assert_eq!(store.checkpoint(&format!("t{t}")).expect("checkpoint"), Some(ROUNDS - 1));
    }
}

#[test]
fn corrupt_bytes_are_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_at(dir.path());
    store
        .append(
            &[series(&[("__name__", "x"), ("job", "j")], &[(1, 1.0)])],
            Some(&Checkpoint { stream: "s".into(), seq: 1 }),
        )
        .expect("append");
    let sel = [m("job", "=", "j")];
    assert_eq!(store.select(&sel, 0, 10).expect("select").len(), 1);

    // Seal the head so the sample is in a stored chunk, then damage that chunk.
    store.flush().expect("flush");
    let id = head::label_hashes(&Labels::from_pairs([("__name__", "x"), ("job", "j")])).0;
    let chunks_cf = cf(&store.inner.db, CF_CHUNKS).expect("cf");
    let good = store.inner.db.get_cf(chunks_cf, chunks::key(id, 1)).expect("get").expect("the sealed chunk");
    store.inner.db.put_cf(chunks_cf, chunks::key(id, 1), b"\x00\x05").expect("put");
    assert!(matches!(store.select(&sel, 0, 10), Err(StorageError::Corrupt(_))));
    store.inner.db.put_cf(chunks_cf, chunks::key(id, 1), &good).expect("put");
    assert_eq!(store.select(&sel, 0, 10).expect("select").len(), 1);

    let series_cf = cf(&store.inner.db, CF_SERIES).expect("cf");
    store.inner.db.put_cf(series_cf, id.to_be_bytes(), b"\x05garbage").expect("put");
    for res in [store.series(&sel, 0, 10).map(drop), store.select(&[m("job", "!=", "q")], 0, 10).map(drop)] {
        assert!(matches!(res, Err(StorageError::Corrupt(_))), "{res:?}");
    }
    store.inner.db.delete_cf(series_cf, id.to_be_bytes()).expect("delete");
    assert!(matches!(store.select(&sel, 0, 10), Err(StorageError::Corrupt(_))));

    let postings_cf = cf(&store.inner.db, keys::CF_POSTINGS).expect("cf");
    store.inner.db.put_cf(postings_cf, b"job\0j", b"").expect("put");
    assert!(store.label_values("job", &[], 0, 10).is_err());
    assert!(store.select(&[m("job", "=~", "j.*")], 0, 10).is_err());

    // A corrupt checkpoint, then an unknown format, refuse to open.
    drop(store);
    let raw = |f: &dyn Fn(&rocksdb::DB, &rocksdb::ColumnFamily)| {
        let db =
            rocksdb::DB::open_cf(&rocksdb::Options::default(), dir.path().join("db"), keys::ALL_CFS).expect("raw open");
        f(&db, db.cf_handle(CF_META).expect("cf"));
    };
    raw(&|db, meta| db.put_cf(meta, keys::checkpoint_key("s"), b"\x01").expect("put"));
    assert!(matches!(RocksStorage::open(dir.path(), RocksOptions::default()), Err(StorageError::Corrupt(_))));
    raw(&|db, meta| {
        db.put_cf(meta, keys::checkpoint_key("s"), 1u64.to_be_bytes()).expect("put");
        db.put_cf(meta, keys::META_FORMAT, 99u64.to_be_bytes()).expect("put");
    });
    assert!(matches!(RocksStorage::open(dir.path(), RocksOptions::default()), Err(StorageError::Corrupt(_))));

    // A format-2 store (it had a `labels` column family) is refused by name, not by RocksDB.
    let old = tempfile::tempdir().expect("tempdir");
    let mut o = rocksdb::Options::default();
    o.create_if_missing(true);
    o.create_missing_column_families(true);
    drop(
        rocksdb::DB::open_cf(&o, old.path().join("db"), ["series", "labels", "postings", "chunks", "meta"])
            .expect("old"),
    );
    match RocksStorage::open(old.path(), RocksOptions::default()) {
        Err(StorageError::Corrupt(msg)) => assert!(msg.contains("\"labels\"") && msg.contains("format 3"), "{msg}"),
        other => panic!("a format-2 store opened: {:?}", other.map(|_| ())),
    }
}

#[test]
fn options_deserialize_with_defaults_and_refuse_unknown_fields() {
    let d: RocksOptions = serde_json::from_str("{}").expect("defaults");
    assert_eq!(d, RocksOptions::default());
    let o: RocksOptions =
        toml::from_str("block_cache_mb = 8\nretention = \"30d\"\nmax_series_per_agent = 5").expect("partial");
    let want = RocksOptions {
        block_cache_mb: 8,
        retention: std::time::Duration::from_secs(30 * 86_400),
        max_series_per_agent: 5,
        ..RocksOptions::default()
    };
    assert_eq!(o, want);
    assert!(toml::from_str::<RocksOptions>("retention = \"soon\"").is_err());
    assert!(serde_json::from_str::<RocksOptions>(r#"{"cache_mb": 1}"#).is_err());
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(matches!(
        RocksStorage::open(
            dir.path(),
            RocksOptions { block_cache_mb: 0, write_buffer_mb: 0, ..RocksOptions::default() }
        ),
        Err(StorageError::Invalid(_))
    ));
}

#[test]
fn stats_and_disk_bytes_count_what_was_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_at(dir.path());
    let batch: Vec<Series> = (0..50)
        .map(|i| Series {
            labels: Labels::from_pairs([("__name__", "s"), ("i", &i.to_string())]),
            samples: (0..20).map(|t| Sample { timestamp_ms: t, value: t as f64 }).collect(),
        })
        .collect();
    store.append(&batch, None).expect("append");
    store.append(&batch[..10], None).expect("append");
    let s = store.stats();
    assert_eq!((s.active_series, s.series_created, s.samples_appended, s.appends), (50, 50, 1200, 2));
    assert!(store.disk_bytes() > 0, "the WAL holds the appends");
    store.flush().expect("flush");
    store.compact().expect("compact");
    assert!(store.disk_bytes() > 0);
}

#[test]
fn a_snapshot_landing_after_its_chunk_was_sealed_changes_nothing() {
    // The race a checkpoint leaves open on purpose: it copies an open chunk, releases the
    // shard, an append seals that chunk (a higher sequence number), and only then the copy is
    // written. The merge of the two must be the sealed chunk.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_at(dir.path());
    let inner = &store.inner;
    let all: Vec<Sample> = (0..240).map(|i| Sample { timestamp_ms: 1_000 + i * 15, value: i as f64 }).collect();
    let snapshot_seq = inner.next_seq();
    let open = super::super::headchunk::HeadChunk::from_samples(&all[..100]).expect("head chunk");
    let snapshot = chunks::encode_head(&open, snapshot_seq);
    let sealed = chunks::encode_sealed(&all, inner.next_seq()).expect("encode");
    let chunks_cf = cf(&inner.db, CF_CHUNKS).expect("cf");
    let key = chunks::key(7, 1_000);
    inner.db.merge_cf(chunks_cf, key, sealed).expect("sealed chunk");
    inner.db.merge_cf(chunks_cf, key, snapshot).expect("late snapshot");
    let check = |db: &rocksdb::DB| {
        let v = db.get_cf(cf(db, CF_CHUNKS).expect("cf"), key).expect("get").expect("chunk");
        assert_eq!(chunks::decode(&v).expect("decode"), all);
    };
    check(&inner.db);
    inner.db.flush_cf(chunks_cf).expect("flush");
    inner.db.compact_range_cf(chunks_cf, None::<&[u8]>, None::<&[u8]>);
    check(&inner.db);
}

#[test]
fn checkpoints_running_beside_appends_that_cut_chunks_lose_nothing() {
    // A checkpoint writes its snapshots of open chunks after releasing each shard; appends cut
    // and seal those chunks meanwhile. Merged, every sample must be there once, live and after
    // a reopen.
    const SERIES: usize = 4_000;
    const ROUNDS: i64 = 120;
    const PER_ROUND: i64 = 7;
    let batch_of = |round: i64| -> Vec<Series> {
        (0..SERIES)
            .map(|i| {
                let s = i.to_string();
                let samples: Vec<(i64, f64)> = (0..PER_ROUND)
                    .map(|k| {
                        let t = round * PER_ROUND + k;
                        (t * 1_000, (t as f64) * (i as f64 + 1.0))
                    })
                    .collect();
                series(&[("__name__", "cut"), ("s", &s)], &samples)
            })
            .collect()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let all = [m("__name__", "=", "cut")];
    let reference = MemoryStorage::new();
    for round in 0..ROUNDS {
        reference.append(&batch_of(round), None).expect("reference append");
    }
    let expected = exact(reference.select(&all, i64::MIN, i64::MAX).expect("reference select"));
    {
        let store = Arc::new(open_at(dir.path()));
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let checkpointer = {
            let (store, done) = (Arc::clone(&store), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut n = 0u32;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    store.inner.checkpoint(false).expect("checkpoint");
                    n += 1;
                }
                n
            })
        };
        for round in 0..ROUNDS {
            store.append(&batch_of(round), None).expect("append");
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let checkpoints = checkpointer.join().expect("checkpoint thread");
        assert!(checkpoints >= 2, "only {checkpoints} checkpoints ran beside the appends");
        // 840 samples per series: the head cut three chunks of each.
        assert!(store.stats().chunks_written >= (SERIES * 3) as u64, "{:?}", store.stats());
        assert_eq!(exact(store.select(&all, i64::MIN, i64::MAX).expect("select")), expected);
    }
    let store = open_at(dir.path());
    assert_eq!(exact(store.select(&all, i64::MIN, i64::MAX).expect("select")), expected);
}
