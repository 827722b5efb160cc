//! The data model shared by every Pharos component: labels, series and samples.
//!
//! It mirrors Prometheus' model: a series is identified by its sorted label set (the metric name is
//! the `__name__` label), and a sample is a millisecond timestamp with a float value. A series that
//! disappears is ended with a *staleness marker*, a NaN with a bit pattern reserved for that purpose.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The label that carries the metric name.
pub const METRIC_NAME_LABEL: &str = "__name__";

/// The series an agent reports, beside `up 0` or `probe_success 0`, while the latest scrape or
/// probe of a target fails: value 1, the target's labels, and why in [`TARGET_FAILURE_REASON`]
/// (a short phrase from a fixed set, such as `timeout` or `HTTP 503`, so its values stay few).
/// The target's next success drops it, and the scheduler ends it with a staleness marker.
pub const TARGET_FAILURE_METRIC: &str = "pharos_target_failure_info";

/// The label of [`TARGET_FAILURE_METRIC`] that says why the target failed.
pub const TARGET_FAILURE_REASON: &str = "reason";

/// Bit pattern of Prometheus' staleness marker (`value.StaleNaN` in Prometheus' Go code).
pub const STALE_NAN_BITS: u64 = 0x7ff0_0000_0000_0002;

/// Prometheus' staleness marker as an `f64`. Compare with [`is_stale_nan`], never with `==`.
pub fn stale_nan() -> f64 {
    f64::from_bits(STALE_NAN_BITS)
}

/// Whether `v` is exactly the staleness marker (an ordinary NaN is not).
pub fn is_stale_nan(v: f64) -> bool {
    v.to_bits() == STALE_NAN_BITS
}

/// One label: a name and a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Label {
    /// Label name, e.g. `job`.
    pub name: String,
    /// Label value, e.g. `pharos-agent`.
    pub value: String,
}

impl Label {
    /// Builds a label from anything string-like.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Label { name: name.into(), value: value.into() }
    }
}

/// A label set, kept sorted by name with unique names: the identity of a series.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Labels(Vec<Label>);

impl Labels {
    /// Builds a label set from pairs; sorts by name; for a repeated name the last value wins;
    /// empty values are dropped (in Prometheus an empty label value means "no such label").
    pub fn from_pairs<N: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (N, V)>) -> Self {
        let mut v: Vec<Label> = pairs.into_iter().map(|(n, v)| Label::new(n, v)).collect();
        Self::normalize(&mut v);
        Labels(v)
    }

    /// Builds a label set from labels, with the same normalisation as [`Labels::from_pairs`].
    pub fn from_vec(mut v: Vec<Label>) -> Self {
        Self::normalize(&mut v);
        Labels(v)
    }

    fn normalize(v: &mut Vec<Label>) {
        // Stable sort keeps input order among equal names, so "last wins" is well defined.
        v.sort_by(|a, b| a.name.cmp(&b.name));
        let mut out: Vec<Label> = Vec::with_capacity(v.len());
        for l in v.drain(..) {
            match out.last_mut() {
                Some(prev) if prev.name == l.name => *prev = l,
                _ => out.push(l),
            }
        }
        out.retain(|l| !l.value.is_empty());
        *v = out;
    }

    /// The labels, sorted by name.
    pub fn as_slice(&self) -> &[Label] {
        &self.0
    }

    /// Consumes the set and returns its labels, sorted by name.
    pub fn into_vec(self) -> Vec<Label> {
        self.0
    }

    /// Number of labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no labels.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of label `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.binary_search_by(|l| l.name.as_str().cmp(name)).ok().map(|i| self.0[i].value.as_str())
    }

    /// The metric name (`__name__`), if present.
    pub fn metric_name(&self) -> Option<&str> {
        self.get(METRIC_NAME_LABEL)
    }

    /// Sets (or with an empty value, removes) a label, keeping the set sorted.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.0.binary_search_by(|l| l.name.as_str().cmp(name)) {
            Ok(i) if value.is_empty() => {
                self.0.remove(i);
            }
            Ok(i) => self.0[i].value = value.to_string(),
            Err(_) if value.is_empty() => {}
            Err(i) => self.0.insert(i, Label::new(name, value)),
        }
    }

    /// Removes a label if present.
    pub fn remove(&mut self, name: &str) {
        self.set(name, "");
    }

    /// Iterates over the labels in name order.
    pub fn iter(&self) -> std::slice::Iter<'_, Label> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = &'a Label;
    type IntoIter = std::slice::Iter<'a, Label>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Labels {
    /// Prometheus' notation: `name{a="1", b="2"}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.metric_name() {
            f.write_str(n)?;
        }
        f.write_str("{")?;
        let mut first = true;
        for l in self.0.iter().filter(|l| l.name != METRIC_NAME_LABEL) {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{}=\"{}\"", l.name, escape_label_value(&l.value))?;
        }
        f.write_str("}")
    }
}

/// Escapes a label value as the text exposition format and PromQL do: `\\`, `\"`, `\n`.
pub fn escape_label_value(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

/// A sample: milliseconds since the Unix epoch and a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// The value; may be the staleness marker.
    pub value: f64,
}

/// A series with its samples, as collectors produce them and queries return them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The series' identity.
    pub labels: Labels,
    /// Samples in timestamp order.
    pub samples: Vec<Sample>,
}

/// Whether `name` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
pub fn is_valid_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
pub fn is_valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_sorted_deduplicated_and_drop_empty_values() {
        let l = Labels::from_pairs([("b", "1"), ("a", "x"), ("b", "2"), ("c", "")]);
        assert_eq!(l.len(), 2);
        assert_eq!(l.get("a"), Some("x"));
        assert_eq!(l.get("b"), Some("2"));
        assert_eq!(l.get("c"), None);
    }

    #[test]
    fn stale_nan_is_distinct_from_plain_nan() {
        assert!(is_stale_nan(stale_nan()));
        assert!(!is_stale_nan(f64::NAN));
        assert!(stale_nan().is_nan());
    }

    #[test]
    fn display_uses_prometheus_notation() {
        let l = Labels::from_pairs([("__name__", "up"), ("job", "a\"b")]);
        assert_eq!(l.to_string(), "up{job=\"a\\\"b\"}");
    }

    #[test]
    fn set_and_remove_keep_order() {
        let mut l = Labels::from_pairs([("b", "1")]);
        l.set("a", "0");
        l.set("c", "2");
        assert_eq!(l.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
        l.remove("b");
        assert_eq!(l.get("b"), None);
    }
}
