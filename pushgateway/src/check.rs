//! What the Pushgateway does to a push before storing it: label sanitising, the timestamp
//! refusal, and the consistency check that its trial `Gatherers.Gather` (client_golang 1.14)
//! performs over the store with the write applied plus the gateway's own metrics.
//!
//! Only the families named in the write are checked: every stored family passed the same check
//! when it was written, and a write can only add conflicts through the names it carries.

use crate::body::Families;
use crate::grouping::GroupingKey;
use crate::proto::{LabelPair, Metric, MetricFamily, MetricType};
use std::collections::{BTreeMap, HashSet};

/// The families the Pushgateway 1.5.1 process exposes itself (`go_*`, `process_*`,
/// `pushgateway_*`), with their types: a pushed family of the same name must have the same type,
/// and must not collide with them by suffix.
pub const OWN_FAMILIES: &[(&str, MetricType)] = &[
    ("go_gc_duration_seconds", MetricType::Summary),
    ("go_goroutines", MetricType::Gauge),
    ("go_info", MetricType::Gauge),
    ("go_memstats_alloc_bytes", MetricType::Gauge),
    ("go_memstats_alloc_bytes_total", MetricType::Counter),
    ("go_memstats_buck_hash_sys_bytes", MetricType::Gauge),
    ("go_memstats_frees_total", MetricType::Counter),
    ("go_memstats_gc_sys_bytes", MetricType::Gauge),
    ("go_memstats_heap_alloc_bytes", MetricType::Gauge),
    ("go_memstats_heap_idle_bytes", MetricType::Gauge),
    ("go_memstats_heap_inuse_bytes", MetricType::Gauge),
    ("go_memstats_heap_objects", MetricType::Gauge),
    ("go_memstats_heap_released_bytes", MetricType::Gauge),
    ("go_memstats_heap_sys_bytes", MetricType::Gauge),
    ("go_memstats_last_gc_time_seconds", MetricType::Gauge),
    ("go_memstats_lookups_total", MetricType::Counter),
    ("go_memstats_mallocs_total", MetricType::Counter),
    ("go_memstats_mcache_inuse_bytes", MetricType::Gauge),
    ("go_memstats_mcache_sys_bytes", MetricType::Gauge),
    ("go_memstats_mspan_inuse_bytes", MetricType::Gauge),
    ("go_memstats_mspan_sys_bytes", MetricType::Gauge),
    ("go_memstats_next_gc_bytes", MetricType::Gauge),
    ("go_memstats_other_sys_bytes", MetricType::Gauge),
    ("go_memstats_stack_inuse_bytes", MetricType::Gauge),
    ("go_memstats_stack_sys_bytes", MetricType::Gauge),
    ("go_memstats_sys_bytes", MetricType::Gauge),
    ("go_threads", MetricType::Gauge),
    ("process_cpu_seconds_total", MetricType::Counter),
    ("process_max_fds", MetricType::Gauge),
    ("process_open_fds", MetricType::Gauge),
    ("process_resident_memory_bytes", MetricType::Gauge),
    ("process_start_time_seconds", MetricType::Gauge),
    ("process_virtual_memory_bytes", MetricType::Gauge),
    ("process_virtual_memory_max_bytes", MetricType::Gauge),
    ("pushgateway_build_info", MetricType::Gauge),
    ("pushgateway_http_push_duration_seconds", MetricType::Summary),
    ("pushgateway_http_push_size_bytes", MetricType::Summary),
    ("pushgateway_http_requests_total", MetricType::Counter),
];

fn own_type(name: &str) -> Option<MetricType> {
    OWN_FAMILIES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Why a push failed the check (it sets the group's `push_failure_time_seconds`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// A sample carries a timestamp.
    #[error("pushed metrics must not have timestamps")]
    Timestamps,
    /// The trial gather failed; the messages are client_golang's (one, or a MultiError).
    #[error("{}", format_errors(.0))]
    Inconsistent(Vec<String>),
}

/// client_golang's `MultiError` text (a single error is printed as itself).
fn format_errors(errs: &[String]) -> String {
    match errs {
        [one] => one.clone(),
        _ => {
            let mut s = format!("{} error(s) occurred:", errs.len());
            for e in errs {
                s.push_str("\n* ");
                s.push_str(e);
            }
            s
        }
    }
}

/// Whether any pushed sample has an explicit timestamp.
pub fn timestamps_present(families: &Families) -> bool {
    families.values().any(|f| f.metric.iter().any(|m| m.timestamp_ms.is_some()))
}

/// Sets every grouping label on every metric (overriding a pushed value of the same name), adds
/// `instance=""` where no instance label is present, and sorts the labels by name.
pub fn sanitize(family: &mut MetricFamily, key: &GroupingKey) {
    for m in &mut family.metric {
        let mut done: HashSet<&str> = HashSet::new();
        for lp in &mut m.label {
            if let Some((k, v)) = key.get_key_value(lp.name()) {
                // Only the first pair of a name is overridden, as in the Pushgateway; a second
                // one is left for the duplicate-name check.
                if done.insert(k.as_str()) {
                    lp.value = Some(v.clone());
                }
            }
        }
        for (n, v) in key {
            if !done.contains(n.as_str()) {
                m.label.push(LabelPair::new(n, v));
            }
        }
        if !m.label.iter().any(|l| l.name() == "instance") {
            m.label.push(LabelPair::new("instance", ""));
        }
        m.label.sort_by(|a, b| a.name().cmp(b.name()));
    }
}

/// A view of the store for the check: the families of every other group, by name.
pub trait OtherGroups {
    /// Calls `f` with each family named `name` in groups other than the one written.
    fn for_each_named(&self, name: &str, f: &mut dyn FnMut(&MetricFamily));
    /// Whether a family named `name` exists in another group, and its type.
    fn type_of(&self, name: &str) -> Option<MetricType>;
}

/// Checks the write (`trial_group`: the written group's families after the write) against the
/// other groups and the gateway's own families, for every name in `written`.
pub fn check_consistency(
    written: &BTreeMap<String, MetricFamily>,
    trial_group: &BTreeMap<String, &MetricFamily>,
    others: &dyn OtherGroups,
) -> Result<(), CheckError> {
    let mut errs = Vec::new();
    let type_anywhere = |name: &str| -> Option<MetricType> {
        own_type(name).or_else(|| trial_group.get(name).and_then(|f| f.kind())).or_else(|| others.type_of(name))
    };
    for (name, family) in written {
        let Some(kind) = family.kind() else {
            errs.push(format!("metric family {name:?} has an unknown type {}", family.r#type.unwrap_or(0)));
            continue;
        };
        if !pharos_protocol::model::is_valid_metric_name(name) {
            errs.push(format!("{name:?} is not a valid metric name"));
            continue;
        }
        if let Some(own) = own_type(name).filter(|t| *t != kind) {
            errs.push(format!(
                "gathered metric family {name} has type {} but should have {}",
                kind.go_name(),
                own.go_name()
            ));
            continue;
        }
        if let Some(e) = suffix_collision(name, kind, &type_anywhere) {
            errs.push(e);
            continue;
        }
        let mut seen: HashSet<Vec<(String, String)>> = HashSet::new();
        let mut other_kind = None;
        others.for_each_named(name, &mut |f| {
            other_kind = other_kind.or(f.kind());
            for m in &f.metric {
                seen.insert(label_key(m));
            }
        });
        for m in &family.metric {
            let expected = other_kind.unwrap_or(kind);
            if !m.has_kind(expected) {
                errs.push(format!("collected metric {name:?} {} is not a {}", show(m), expected.go_name()));
                continue;
            }
            if let Err(e) = check_labels(name, m) {
                errs.push(e);
                continue;
            }
            if !seen.insert(label_key(m)) {
                errs.push(format!(
                    "collected metric {name:?} {} was collected before with the same name and label values",
                    show(m)
                ));
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(CheckError::Inconsistent(errs))
    }
}

/// client_golang's `checkSuffixCollisions`, seen from the written family: the check is
/// symmetric, so looking both ways from the new name finds what Go finds whichever comes first.
fn suffix_collision(name: &str, kind: MetricType, type_of: &dyn Fn(&str) -> Option<MetricType>) -> Option<String> {
    for suffix in ["_count", "_sum", "_bucket"] {
        let Some(base) = name.strip_suffix(suffix) else { continue };
        match type_of(base) {
            Some(MetricType::Summary) if suffix != "_bucket" => {
                return Some(format!(
                    "collected metric named {name:?} collides with previously collected summary named {base:?}"
                ));
            }
            Some(MetricType::Histogram) => {
                return Some(format!(
                    "collected metric named {name:?} collides with previously collected histogram named {base:?}"
                ));
            }
            _ => {}
        }
        break;
    }
    let mut clashing: Vec<&str> = Vec::new();
    if matches!(kind, MetricType::Summary | MetricType::Histogram) {
        clashing.extend(["_count", "_sum"]);
    }
    if kind == MetricType::Histogram {
        clashing.push("_bucket");
    }
    clashing.into_iter().map(|s| format!("{name}{s}")).find(|n| type_of(n).is_some()).map(|other| {
        format!(
            "collected histogram or summary named {name:?} collides with previously collected metric named {other:?}"
        )
    })
}

/// Duplicate names, invalid or reserved names, and `quantile` on a summary.
fn check_labels(name: &str, m: &Metric) -> Result<(), String> {
    let mut previous = None;
    for lp in &m.label {
        let ln = lp.name();
        if previous == Some(ln) {
            return Err(format!(
                "collected metric {name:?} {} has two or more labels with the same name: {ln}",
                show(m)
            ));
        }
        if !pharos_protocol::model::is_valid_label_name(ln) || ln.starts_with("__") {
            return Err(format!("collected metric {name:?} {} has a label with an invalid name: {ln}", show(m)));
        }
        if m.summary.is_some() && ln == "quantile" {
            return Err(format!("collected metric {name:?} {} must not have an explicit \"quantile\" label", show(m)));
        }
        previous = Some(ln);
    }
    Ok(())
}

/// The identity of a metric within its family: its sorted label pairs.
fn label_key(m: &Metric) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = m.label.iter().map(|l| (l.name().to_string(), l.value().to_string())).collect();
    v.sort();
    v
}

/// `{a="1", b="2"}` for error messages.
fn show(m: &Metric) -> String {
    let parts: Vec<String> = m.label.iter().map(|l| format!("{}={:?}", l.name(), l.value())).collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::parse_body;

    struct NoOthers(Vec<MetricFamily>);
    impl OtherGroups for NoOthers {
        fn for_each_named(&self, name: &str, f: &mut dyn FnMut(&MetricFamily)) {
            self.0.iter().filter(|m| m.name() == name).for_each(f);
        }
        fn type_of(&self, name: &str) -> Option<MetricType> {
            self.0.iter().find(|m| m.name() == name).and_then(|f| f.kind())
        }
    }

    fn key(job: &str) -> GroupingKey {
        [("job".to_string(), job.to_string())].into_iter().collect()
    }

    fn pushed(text: &str, job: &str) -> Families {
        let mut f = parse_body(None, None, text.as_bytes()).unwrap();
        f.values_mut().for_each(|mf| sanitize(mf, &key(job)));
        f
    }

    fn check(text: &str, others: &[MetricFamily]) -> Result<(), CheckError> {
        let w = pushed(text, "a");
        let trial: BTreeMap<String, &MetricFamily> = w.iter().map(|(k, v)| (k.clone(), v)).collect();
        check_consistency(&w, &trial, &NoOthers(others.to_vec()))
    }

    #[test]
    fn sanitising() {
        let f = pushed("some_metric{job=\"other\",z=\"1\"} 3.14\nanother_metric{instance=\"i\"} 42\n", "testjob");
        let names = |m: &MetricFamily| -> Vec<(String, String)> {
            m.metric[0].label.iter().map(|l| (l.name().into(), l.value().into())).collect()
        };
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(names(&f["some_metric"]), [pair("instance", ""), pair("job", "testjob"), pair("z", "1")]);
        assert_eq!(names(&f["another_metric"]), [pair("instance", "i"), pair("job", "testjob")]);
    }

    #[test]
    fn timestamps() {
        assert!(timestamps_present(&pushed("m 1 1234\n", "a")));
        assert!(!timestamps_present(&pushed("m 1\n", "a")));
    }

    #[test]
    fn type_clashes() {
        let other = pushed("# TYPE x counter\nx 1\n", "b").remove("x").unwrap();
        assert!(check("# TYPE x counter\nx 2\n", std::slice::from_ref(&other)).is_ok());
        let e = check("# TYPE x gauge\nx 2\n", &[other]).unwrap_err();
        assert!(e.to_string().contains("is not a COUNTER"), "{e}");
        let e = check("# TYPE go_goroutines counter\ngo_goroutines 2\n", &[]).unwrap_err();
        assert_eq!(e.to_string(), "gathered metric family go_goroutines has type COUNTER but should have GAUGE");
        assert!(check("go_goroutines 2\n", &[]).is_err(), "untyped is a different type too");
        assert!(check("# TYPE go_goroutines gauge\ngo_goroutines 2\n", &[]).is_ok());
    }

    #[test]
    fn duplicates_across_groups() {
        // The same labels in another group (both with job="a" after sanitising, e.g. instance
        // differs only in the grouping key) are a duplicate.
        let other = pushed("d{instance=\"i\"} 1\n", "a").remove("d").unwrap();
        assert!(check("d{instance=\"i\"} 2\n", std::slice::from_ref(&other)).is_err());
        assert!(check("d{instance=\"j\"} 2\n", &[other]).is_ok());
        let e = check("d 1\nd{instance=\"\"} 2\n", &[]).unwrap_err();
        assert!(e.to_string().contains("was collected before"), "{e}");
    }

    #[test]
    fn suffix_collisions() {
        let summary = pushed("# TYPE s summary\ns_sum 1\ns_count 1\n", "b").remove("s").unwrap();
        assert!(check("s_count 1\n", std::slice::from_ref(&summary)).is_err());
        assert!(check("s_bucket 1\n", std::slice::from_ref(&summary)).is_ok());
        assert!(check("go_gc_duration_seconds_sum 1\n", &[]).is_err());
        let plain = pushed("h_bucket 1\n", "b").remove("h_bucket").unwrap();
        assert!(check("# TYPE h histogram\nh_bucket{le=\"1\"} 1\n", std::slice::from_ref(&plain)).is_err());
        assert!(check("# TYPE h summary\nh_sum 1\n", &[plain]).is_ok());
    }

    #[test]
    fn label_rules() {
        let mut f = pushed("m 1\n", "a");
        f.get_mut("m").unwrap().metric[0].label.push(LabelPair::new("__bad", "x"));
        let trial: BTreeMap<String, &MetricFamily> = f.iter().map(|(k, v)| (k.clone(), v)).collect();
        let e = check_consistency(&f, &trial, &NoOthers(vec![])).unwrap_err();
        assert!(e.to_string().contains("invalid name: __bad"), "{e}");
        let mut s = pushed("# TYPE s summary\ns_sum 1\n", "a");
        s.get_mut("s").unwrap().metric[0].label.push(LabelPair::new("quantile", "0.5"));
        let trial: BTreeMap<String, &MetricFamily> = s.iter().map(|(k, v)| (k.clone(), v)).collect();
        let e = check_consistency(&s, &trial, &NoOthers(vec![])).unwrap_err();
        assert!(e.to_string().contains("explicit \"quantile\""), "{e}");
        let two = CheckError::Inconsistent(vec!["a".into(), "b".into()]);
        assert_eq!(two.to_string(), "2 error(s) occurred:\n* a\n* b");
    }
}
