//! The same appends and reads against [`MemoryStorage`] (reference) and [`RocksStorage`].

use super::{assert_same, m, open_at, series};
use crate::storage::memory::MemoryStorage;
use crate::storage::{Checkpoint, Matcher, Storage};
use pharos_protocol::{stale_nan, Labels, Sample, Series};

/// Appends of the fixed scenario, in order.
fn scenario() -> Vec<Vec<Series>> {
    let up_a = [("__name__", "up"), ("job", "api"), ("instance", "a:1")];
    vec![
        vec![
            series(&up_a, &[(-2000, 1.0), (-1000, 1.0), (0, 1.0), (1000, 5.0), (1000, 6.0), (2000, 1.0)]),
            series(
                &[("__name__", "up"), ("job", "api"), ("instance", "b:1")],
                &[(0, 0.0), (1000, 1.0), (2000, stale_nan())],
            ),
            series(&[("__name__", "up"), ("job", "db")], &[(500, 1.0), (1500, 0.0)]),
            series(
                &[("__name__", "node_cpu_seconds_total"), ("cpu", "0"), ("mode", "idle")],
                &[(i64::MIN, 1.5), (0, 2.5), (i64::MAX, 3.5)],
            ),
            series(
                &[("__name__", "node_cpu_seconds_total"), ("cpu", "1"), ("mode", "user")],
                &[(-1, f64::NAN), (0, -0.0), (1, f64::INFINITY), (2, f64::NEG_INFINITY)],
            ),
            series(&[("__name__", "weird"), ("v", "a\0b"), ("n\u{1}", "x|y")], &[(10, 1.0)]),
            series(&[("__name__", "weird"), ("v", "a")], &[(10, 2.0)]),
            // No samples: invisible to every read in both stores.
            series(&[("__name__", "ghost"), ("job", "ghost")], &[]),
        ],
        vec![
            // Overwrites at the same timestamp across appends: last write wins.
            series(&up_a, &[(1000, 99.0), (-1000, stale_nan())]),
            series(&[("__name__", "weird"), ("v", "a.b")], &[(20, 3.0)]),
            series(&[], &[(5, 42.0)]),
            series(&[("job", "old")], &[(-1_000_000_000_000, 7.0)]),
            series(&[("__name__", "up"), ("job", "db")], &[(500, f64::from_bits(0x7ff8_dead_beef_0001))]),
        ],
    ]
}

fn matcher_sets() -> Vec<Vec<Matcher>> {
    vec![
        vec![],
        vec![m("__name__", "=", "up")],
        vec![m("__name__", "=", "up"), m("job", "=", "api")],
        vec![m("job", "=~", "api|db")],
        vec![m("job", "=~", "ap.*")],
        vec![m("job", "!=", "api")],
        vec![m("job", "!~", "api|db")],
        vec![m("job", "=", "")],
        vec![m("job", "=~", "")],
        vec![m("job", "=~", ".*")],
        vec![m("job", "=~", ".+")],
        vec![m("job", "!=", "")],
        vec![m("job", "!~", "")],
        vec![m("job", "=~", "api|")],
        vec![m("__name__", "=", "up"), m("instance", "!~", "a.*")],
        vec![m("__name__", "=", "up"), m("instance", "=", "")],
        vec![m("v", "=~", r"a|a\.b")],
        vec![m("v", "=~", "a.b")],
        vec![m("v", "=", "a\0b")],
        vec![m("v", "=~", "a\0b|zzz")],
        vec![m("v", "=~", "a.*")],
        vec![m("v", "=~", r"a\.b.*")],
        vec![m("v", "=~", "a\0.*")],
        vec![m("job", "=~", "a?pi")],
        vec![m("job", "=~", "ap+i")],
        vec![m("job", "=~", "api?")],
        vec![m("job", "=~", "(?i)API")],
        vec![m("n\u{1}", "=", "x|y")],
        vec![m("__name__", "=~", "node_.*"), m("cpu", "=", "1")],
        vec![m("__name__", "=~", "node_.*"), m("cpu", "!=", "1"), m("mode", "=~", "idle|user")],
        vec![m("nonexistent", "=", "x")],
        vec![m("nonexistent", "=~", "x|y")],
        vec![m("nonexistent", "!=", "x")],
        vec![m("__name__", "=", "up"), m("job", "=~", "nomatch")],
        vec![m("__name__", "!=", "up")],
        vec![m("__name__", "=", "ghost")],
        vec![m("job", "=", "old")],
    ]
}

const RANGES: [(i64, i64); 12] = [
    (i64::MIN, i64::MAX),
    (0, 0),
    (-1000, 1000),
    (-999, 999),
    (1001, 1999),
    (2000, 2000),
    (i64::MAX, i64::MAX),
    (i64::MIN, i64::MIN),
    (3000, 4000),
    (-3000, -1500),
    (-1, 2),
    (5, 5),
];

fn compare_all(reference: &dyn Storage, store: &dyn Storage) {
    for matchers in matcher_sets() {
        for (start, end) in RANGES {
            assert_same(reference, store, &matchers, start, end);
        }
    }
}

#[test]
fn matches_memory_on_fixed_scenario_and_after_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reference = MemoryStorage::new();
    {
        let store = open_at(dir.path());
        for (i, batch) in scenario().iter().enumerate() {
            let cp = Checkpoint { stream: "agent-1/1".into(), seq: i as u64 + 1 };
            let a = reference.append(batch, Some(&cp)).expect("reference append");
            let b = store.append(batch, Some(&cp)).expect("append");
            assert_eq!(a, b);
        }
        compare_all(&reference, &store);
        // Stale NaN and a NaN with a payload survive bit for bit.
        let got = store.select(&[m("__name__", "=", "up"), m("instance", "=", "b:1")], 2000, 2000).expect("select");
        assert!(pharos_protocol::is_stale_nan(got[0].samples[0].value));
        assert_eq!(store.checkpoint("agent-1/1").expect("checkpoint"), Some(2));
        assert_eq!(store.stats().active_series, 10);
    }
    let store = open_at(dir.path());
    compare_all(&reference, &store);
    assert_eq!(store.checkpoint("agent-1/1").expect("checkpoint"), Some(2));
    assert_eq!(store.checkpoint("agent-2/1").expect("checkpoint"), None);
    // Appending to series known only on disk reuses their ids (lazy cache) and creates no
    // duplicates.
    let more = vec![series(&[("__name__", "up"), ("job", "db")], &[(3000, 1.0)])];
    reference.append(&more, None).expect("reference append");
    store.append(&more, None).expect("append");
    assert_eq!(store.stats().active_series, 1);
    assert_eq!(store.stats().series_created, 0);
    compare_all(&reference, &store);
}

#[test]
fn checkpoints_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let store = open_at(dir.path());
        assert_eq!(store.checkpoint("s").expect("checkpoint"), None);
        store.append(&[], Some(&Checkpoint { stream: "s".into(), seq: 7 })).expect("append");
        store.append(&[], Some(&Checkpoint { stream: "s/2".into(), seq: u64::MAX })).expect("append");
        store.append(&[], Some(&Checkpoint { stream: "".into(), seq: 0 })).expect("append");
        store.append(&[], Some(&Checkpoint { stream: "s".into(), seq: 9 })).expect("append");
        store.append(&[], None).expect("empty append");
    }
    let store = open_at(dir.path());
    assert_eq!(store.checkpoint("s").expect("checkpoint"), Some(9));
    assert_eq!(store.checkpoint("s/2").expect("checkpoint"), Some(u64::MAX));
    assert_eq!(store.checkpoint("").expect("checkpoint"), Some(0));
    assert_eq!(store.checkpoint("s/").expect("checkpoint"), None);
}

/// xorshift64*: deterministic randomness without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn random_series(rng: &mut Rng) -> Series {
    let labels = Labels::from_pairs([
        ("__name__", rng.pick(&["m0", "m1", "m2", "m3"])),
        ("a", rng.pick(&["", "", "x0", "x1", "x2", "x3", "x10", "x\0"])),
        ("b", rng.pick(&["", "y0", "y1", "y2"])),
        ("c", rng.pick(&["", "", "", "", "z"])),
    ]);
    let n = rng.below(4);
    let samples = (0..n)
        .map(|_| {
            let timestamp_ms = rng.below(101) as i64 - 50;
            let value = if rng.below(8) == 0 { stale_nan() } else { rng.below(1000) as f64 / 7.0 };
            Sample { timestamp_ms, value }
        })
        .collect();
    Series { labels, samples }
}

fn random_matcher(rng: &mut Rng) -> Matcher {
    let name = rng.pick(&["__name__", "a", "b", "c", "d"]);
    let op = rng.pick(&["=", "!=", "=~", "!~"]);
    let value = if op.ends_with('~') {
        rng.pick(&["", ".*", ".+", "x1|x2", "x.", "x[0-2]", "m1|m3", "y0|", "z", "x1|nope", "m.*", "x\0|x0"])
    } else {
        rng.pick(&["", "x1", "x10", "y0", "m2", "z", "x\0", "nope"])
    };
    m(name, op, value)
}

#[test]
fn matches_memory_on_random_scenarios() {
    for seed in 1..=6u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let dir = tempfile::tempdir().expect("tempdir");
        let reference = MemoryStorage::new();
        let store = open_at(dir.path());
        for _ in 0..20 {
            let batch: Vec<Series> = (0..rng.below(30)).map(|_| random_series(&mut rng)).collect();
            assert_eq!(
                store.append(&batch, None).expect("append"),
                reference.append(&batch, None).expect("reference append")
            );
        }
        for _ in 0..150 {
            let matchers: Vec<Matcher> = (0..rng.below(4)).map(|_| random_matcher(&mut rng)).collect();
            let start = rng.below(121) as i64 - 60;
            let end = start + rng.below(60) as i64;
            assert_same(&reference, &store, &matchers, start, end);
        }
    }
}

/// Random appends with checkpoints, seals, compactions and reopens in between: after each batch
/// the store answers like the reference for several ranges (the chunk paths: snapshots merged with
/// sealed chunks, out-of-order chunks, partition cuts at 0, compaction, WAL replay).
#[test]
fn matches_memory_through_checkpoints_compaction_and_reopen() {
    for seed in 1..=6u64 {
        let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let dir = tempfile::tempdir().expect("tempdir");
        let reference = MemoryStorage::new();
        let mut store = open_at(dir.path());
        for b in 0..30 {
            let batch: Vec<Series> = (0..rng.below(30)).map(|_| random_series(&mut rng)).collect();
            store.append(&batch, None).expect("append");
            reference.append(&batch, None).expect("reference append");
            match b % 6 {
                1 => store.inner.checkpoint(false).expect("checkpoint"),
                2 => store.flush().expect("flush"),
                3 => store.compact().expect("compact"),
                4 => {
                    drop(store);
                    store = open_at(dir.path());
                }
                _ => {}
            }
            let all = [m("__name__", "=~", ".+")];
            for (lo, hi) in [(-100, 100), (19, 36), (-10, 10), (-50, -1), (0, 0)] {
                let got = super::exact(store.select(&all, lo, hi).expect("select"));
                let want = super::exact(reference.select(&all, lo, hi).expect("reference select"));
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g, w, "seed {seed} batch {b} range [{lo}, {hi}]");
                }
                assert_eq!(got.len(), want.len(), "seed {seed} batch {b} range [{lo}, {hi}]");
            }
        }
    }
}
