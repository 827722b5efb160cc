//! Tests of the RocksDB store. `conformance` compares it with [`MemoryStorage`], the reference
//! semantics; `crash` SIGKILLs a writer; `bench` holds the `#[ignore]`d micro benchmarks.

mod bench;
mod conformance;
mod crash;
mod engine;
mod robustness;
mod snapshot;

use super::{RocksOptions, RocksStorage};
use crate::storage::{MatchOp, Matcher, Storage};
use pharos_protocol::{Labels, Sample, Series};
use std::path::Path;

/// Opens a store with small buffers (tests run in parallel).
fn open_at(dir: &Path) -> RocksStorage {
    RocksStorage::open(dir, RocksOptions { block_cache_mb: 8, write_buffer_mb: 4, ..RocksOptions::unbounded() })
        .expect("open store")
}

/// A matcher from its parts; panics on a bad regex (test input).
fn m(name: &str, op: &str, value: &str) -> Matcher {
    let op = match op {
        "=" => MatchOp::Equal,
        "!=" => MatchOp::NotEqual,
        "=~" => MatchOp::Regex,
        "!~" => MatchOp::NotRegex,
        other => panic!("unknown op {other}"),
    };
    Matcher::new(name, op, value).expect("valid matcher")
}

/// A series from label pairs and `(timestamp, value)` pairs.
fn series(labels: &[(&str, &str)], samples: &[(i64, f64)]) -> Series {
    Series {
        labels: Labels::from_pairs(labels.iter().copied()),
        samples: samples.iter().map(|&(timestamp_ms, value)| Sample { timestamp_ms, value }).collect(),
    }
}

/// Series with values as bits, so NaNs (and which NaN) compare exactly.
type Exact = Vec<(Labels, Vec<(i64, u64)>)>;

fn exact(v: Vec<Series>) -> Exact {
    v.into_iter().map(|s| (s.labels, s.samples.iter().map(|x| (x.timestamp_ms, x.value.to_bits())).collect())).collect()
}

/// Asserts both stores answer every read the same way for these matchers and range.
fn assert_same(reference: &dyn Storage, store: &dyn Storage, matchers: &[Matcher], start: i64, end: i64) {
    let ctx = || format!("matchers {matchers:?} range [{start}, {end}]");
    let (got, want) = (
        exact(store.select(matchers, start, end).expect("select")),
        exact(reference.select(matchers, start, end).expect("reference select")),
    );
    // The first differing series, not two walls of text.
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "select {}", ctx());
    }
    assert_eq!(got.len(), want.len(), "select {}", ctx());
    assert_eq!(
        store.series(matchers, start, end).expect("series"),
        reference.series(matchers, start, end).expect("reference series"),
        "series {}",
        ctx()
    );
    assert_eq!(
        store.label_names(matchers, start, end).expect("label_names"),
        reference.label_names(matchers, start, end).expect("reference label_names"),
        "label_names {}",
        ctx()
    );
    for name in ["__name__", "job", "instance", "v", "n\u{1}", "a", "b", "nonexistent"] {
        assert_eq!(
            store.label_values(name, matchers, start, end).expect("label_values"),
            reference.label_values(name, matchers, start, end).expect("reference label_values"),
            "label_values({name}) {}",
            ctx()
        );
    }
}
