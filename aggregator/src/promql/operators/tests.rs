//! Engine tests for many-to-one / one-to-many matching, modelled on Prometheus'
//! `promql/promqltest/testdata/operators.test`.

use crate::promql::{Engine, EngineOptions, Value};
use crate::storage::memory::MemoryStorage;
use crate::storage::Storage;
use pharos_protocol::{Labels, Sample, Series};
use std::sync::Arc;

fn series(pairs: &[(&str, &str)], v: f64) -> Series {
    Series { labels: Labels::from_pairs(pairs.iter().copied()), samples: vec![Sample { timestamp_ms: 0, value: v }] }
}

fn engine() -> Engine {
    let data = vec![
        series(&[("__name__", "node_role"), ("instance", "abc"), ("job", "node"), ("role", "prometheus")], 1.0),
        series(&[("__name__", "node_cpu"), ("instance", "abc"), ("job", "node"), ("mode", "idle")], 3.0),
        series(&[("__name__", "node_cpu"), ("instance", "abc"), ("job", "node"), ("mode", "user")], 1.0),
        series(&[("__name__", "node_cpu"), ("instance", "def"), ("job", "node"), ("mode", "idle")], 8.0),
        series(&[("__name__", "node_cpu"), ("instance", "def"), ("job", "node"), ("mode", "user")], 2.0),
        series(&[("__name__", "a"), ("i", "1"), ("x", "1")], 1.0),
        series(&[("__name__", "b"), ("i", "1"), ("x", "1")], 2.0),
        series(&[("__name__", "one"), ("i", "1")], 10.0),
    ];
    let storage = Arc::new(MemoryStorage::new());
    storage.append(&data, None).expect("append");
    Engine::new(storage, EngineOptions::default())
}

/// The result as (labels, value), sorted by labels.
fn query(e: &Engine, q: &str) -> Result<Vec<(Labels, f64)>, String> {
    match e.instant_query(q, 0) {
        Ok(Value::Vector(v)) => {
            let mut out: Vec<_> = v.into_iter().map(|s| ((*s.metric).clone(), s.v)).collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(out)
        }
        Ok(other) => Err(format!("not a vector: {other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

fn l(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

#[test]
fn group_left_copies_labels_from_the_one_side() {
    let e = engine();
    let want = vec![
        (l(&[("instance", "abc"), ("job", "node"), ("mode", "idle"), ("role", "prometheus")]), 3.0),
        (l(&[("instance", "abc"), ("job", "node"), ("mode", "user"), ("role", "prometheus")]), 1.0),
    ];
    assert_eq!(query(&e, "node_cpu * on(instance) group_left(role) node_role"), Ok(want.clone()));
    assert_eq!(query(&e, "node_cpu * ignoring(role, mode) group_left(role) node_role"), Ok(want.clone()));
    assert_eq!(query(&e, "node_role * on(instance) group_right(role) node_cpu"), Ok(want));
}

#[test]
fn grouped_comparisons_keep_the_name_and_the_left_value() {
    let e = engine();
    assert_eq!(
        query(&e, "node_cpu > on(instance) group_left(role) node_role"),
        Ok(vec![(
            l(&[
                ("__name__", "node_cpu"),
                ("instance", "abc"),
                ("job", "node"),
                ("mode", "idle"),
                ("role", "prometheus")
            ]),
            3.0
        )])
    );
    // group_right: the value of a filtering comparison is the left ("one") side's.
    assert_eq!(
        query(&e, "node_role < on(instance) group_right node_cpu"),
        Ok(vec![(l(&[("__name__", "node_cpu"), ("instance", "abc"), ("job", "node"), ("mode", "idle")]), 1.0)])
    );
    assert_eq!(query(&e, "node_role == bool on(instance) group_right node_cpu").map(|v| v.len()), Ok(2));
}

#[test]
fn group_label_missing_on_the_one_side_is_removed() {
    let e = engine();
    assert_eq!(
        query(&e, "node_cpu{mode=\"idle\"} * on(instance) group_left(mode) node_role"),
        Ok(vec![(l(&[("instance", "abc"), ("job", "node")]), 3.0)])
    );
    assert_eq!(
        query(&e, "node_cpu * on(instance) group_left(mode) node_role"),
        Err("multiple matches for labels: grouping labels must ensure unique matches".to_string())
    );
}

#[test]
fn duplicate_series_on_the_one_side_are_errors() {
    let e = engine();
    assert_eq!(
        query(&e, "node_role * on(job) group_left node_cpu"),
        Err("found duplicate series for the match group {job=\"node\"} on the right hand-side of the operation: \
             [{__name__=\"node_cpu\", instance=\"abc\", job=\"node\", mode=\"idle\"}, \
             {__name__=\"node_cpu\", instance=\"abc\", job=\"node\", mode=\"user\"}];many-to-many matching not \
             allowed: matching labels must be unique on one side"
            .to_string())
    );
    let err = query(&e, "node_cpu * on(job) group_right node_role").err().unwrap_or_default();
    assert!(err.contains("on the left hand-side of the operation"), "{err}");
    assert_eq!(
        query(&e, "{__name__=~\"a|b\"} * on(i) group_left one"),
        Err("multiple matches for labels: grouping labels must ensure unique matches".to_string())
    );
    assert_eq!(
        query(&e, "{__name__=~\"a|b\"} + on(i) one"),
        Err("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)".to_string())
    );
}
