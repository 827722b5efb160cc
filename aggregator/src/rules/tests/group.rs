//! Group-level behaviour: evaluation timestamps, state hand-over and the end of removed groups.

use super::support::{min, Fixture};
use pharos_protocol::model::is_stale_nan;

const REC: &str = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: up\n";

#[test]
fn eval_timestamps_are_aligned_with_a_stable_offset() {
    let f = Fixture::new();
    let g = f.group(REC);
    let interval = 60_000;
    let a = g.eval_timestamp(min(1000) + 1234);
    let b = g.eval_timestamp(min(1000) + 1234 + 7 * interval + 5);
    assert!(a <= min(1000) + 1234 && a > min(1000) + 1234 - interval);
    assert_eq!((b - a) % interval, 0, "same phase for every evaluation");
    assert_eq!(g.eval_timestamp(a), a, "an aligned time is its own timestamp");
}

#[test]
fn a_replacement_group_ends_series_its_predecessor_stored() {
    let f = Fixture::new();
    f.push(&[("__name__", "up"), ("job", "a")], min(1), 1.0);
    let old = f.group(REC);
    old.eval(min(1));
    // The replacement differs only in its limit: a new group, the same rule key.
    let new = f.group("groups:\n- name: g\n  limit: 5\n  rules:\n  - record: r\n    expr: up\n");
    assert!(!new.equals(&old));
    assert!(f.group(REC).equals(&old));
    new.copy_state(&old);
    // job a is gone (no sample within the lookback at 10m): the handed-over state ends it.
    new.eval(min(10));
    let s = f.samples(&[("__name__", "r"), ("job", "a")]);
    assert_eq!(s.len(), 2);
    assert!(is_stale_nan(s[1].value) && s[1].timestamp_ms == min(10));
}

#[test]
fn removed_groups_end_their_series_unless_someone_else_wrote_newer_samples() {
    let f = Fixture::new();
    f.push(&[("__name__", "up"), ("job", "a")], min(1), 1.0);
    f.push(&[("__name__", "up"), ("job", "b")], min(1), 1.0);
    let g = f.group(REC);
    g.eval(min(2));
    // Another group already writes r{job="b"} after the removal time.
    f.push(&[("__name__", "r"), ("job", "b")], min(3) + 1, 5.0);
    g.mark_all_stale(min(3));
    let a = f.samples(&[("__name__", "r"), ("job", "a")]);
    assert!(is_stale_nan(a.last().unwrap().value) && a.last().unwrap().timestamp_ms == min(3));
    let b = f.samples(&[("__name__", "r"), ("job", "b")]);
    assert!(b.iter().all(|s| !s.value.is_nan()), "{b:?}");
}
