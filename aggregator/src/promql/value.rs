//! Query values, as in Prometheus' `promql/value.go`: scalars, strings, instant vectors and range
//! vectors (matrices).
//!
//! Label sets are shared behind `Arc` because the evaluator hands the same series' labels to
//! every step of a range query; only operations that change labels allocate new sets.

use pharos_protocol::Labels;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A label set shared between samples of the same series.
pub type Metric = Arc<Labels>;

/// One float data point of a range series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Milliseconds since the Unix epoch.
    pub t: i64,
    /// The value.
    pub v: f64,
}

/// One element of an instant vector: a series' labels and its value at the evaluation time.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantSample {
    /// The series' labels.
    pub metric: Metric,
    /// Milliseconds since the Unix epoch: the evaluation time, as Prometheus reports it.
    pub t: i64,
    /// The value.
    pub v: f64,
}

/// One element of a range vector: a series' labels and its points in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSeries {
    /// The series' labels.
    pub metric: Metric,
    /// Points in increasing time order.
    pub points: Vec<Point>,
}

/// An instant vector.
pub type Vector = Vec<InstantSample>;

/// A range vector: series sorted by labels when returned from a range query.
pub type Matrix = Vec<RangeSeries>;

/// The result of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A single number at a time.
    Scalar {
        /// Milliseconds since the Unix epoch.
        t: i64,
        /// The value.
        v: f64,
    },
    /// A string at a time.
    String {
        /// Milliseconds since the Unix epoch.
        t: i64,
        /// The string.
        v: String,
    },
    /// An instant vector.
    Vector(Vector),
    /// A range vector.
    Matrix(Matrix),
}

/// The four PromQL value types, named as the HTTP API's `resultType` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `scalar`
    Scalar,
    /// `string`
    String,
    /// `vector`
    Vector,
    /// `matrix`
    Matrix,
}

impl ValueType {
    /// The API's `resultType` string.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Scalar => "scalar",
            ValueType::String => "string",
            ValueType::Vector => "vector",
            ValueType::Matrix => "matrix",
        }
    }

    /// The name Prometheus' error messages use ("range vector", "instant vector"...).
    pub fn documented_name(self) -> &'static str {
        match self {
            ValueType::Scalar => "scalar",
            ValueType::String => "string",
            ValueType::Vector => "instant vector",
            ValueType::Matrix => "range vector",
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Value {
    /// This value's type.
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Scalar { .. } => ValueType::Scalar,
            Value::String { .. } => ValueType::String,
            Value::Vector(_) => ValueType::Vector,
            Value::Matrix(_) => ValueType::Matrix,
        }
    }
}

/// Whether two samples of a vector share a label set (Prometheus' `ContainsSameLabelset`).
pub(crate) fn has_duplicate_labelsets(v: &[InstantSample]) -> bool {
    match v.len() {
        0 | 1 => false,
        // Small vectors are the common case after aggregation; avoid hashing them.
        2..=8 => v.iter().enumerate().any(|(i, a)| v[i + 1..].iter().any(|b| a.metric == b.metric)),
        _ => {
            let mut seen = HashSet::with_capacity(v.len());
            v.iter().any(|s| !seen.insert(&*s.metric))
        }
    }
}

/// A copy of `labels` without the metric name; shares the original when it has none.
pub(crate) fn drop_metric_name(labels: &Metric) -> Metric {
    if labels.metric_name().is_none() {
        return labels.clone();
    }
    let mut l = (**labels).clone();
    l.remove(pharos_protocol::model::METRIC_NAME_LABEL);
    Arc::new(l)
}

/// A per-query cache of values derived from label sets, keyed by a tag (which derivation, e.g.
/// the address of the AST node doing it) and the address of the shared label set. A series keeps
/// the same `Arc` across the steps of a range query, so this turns one computation per series and
/// step into one per series. The original `Arc` is kept alive in the cache so that its address
/// cannot be reused by another label set while the entry exists.
pub(crate) struct AddressCache<T> {
    map: HashMap<(usize, usize), (Metric, T), BuildHasherDefault<AddressHasher>>,
}

impl<T> Default for AddressCache<T> {
    fn default() -> Self {
        AddressCache { map: HashMap::default() }
    }
}

/// A hasher for keys made of addresses and small integers (FxHash's mixing step): the default
/// SipHash costs more than the work these caches save, and the keys are not attacker-chosen.
#[derive(Default, Clone, Copy)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

impl<T: Clone> AddressCache<T> {
    /// Bound on cached entries: label sets built afresh at every step would otherwise pile up.
    const MAX_ENTRIES: usize = 100_000;

    /// The cached value for (`tag`, `labels`), computing it with `f` on a miss.
    pub(crate) fn get_or_insert_with(&mut self, tag: usize, labels: &Metric, f: impl FnOnce(&Metric) -> T) -> T {
        let key = (tag, Arc::as_ptr(labels) as usize);
        if let Some((_, v)) = self.map.get(&key) {
            return v.clone();
        }
        if self.map.len() >= Self::MAX_ENTRIES {
            self.map.clear();
        }
        let v = f(labels);
        self.map.insert(key, (labels.clone(), v.clone()));
        v
    }
}

/// The label-derived caches of one query evaluation.
#[derive(Default)]
pub(crate) struct LabelCaches {
    /// Label sets without the metric name.
    names: AddressCache<Metric>,
    /// Join signatures of binary operations, tagged by the operation's node.
    pub(crate) signatures: AddressCache<Arc<str>>,
    /// Result label sets of binary operations, tagged by the operation's node.
    pub(crate) results: AddressCache<Metric>,
}

impl LabelCaches {
    /// `labels` without the metric name.
    pub(crate) fn drop_name(&mut self, labels: &Metric) -> Metric {
        if labels.metric_name().is_none() {
            return labels.clone();
        }
        self.names.get_or_insert_with(0, labels, drop_metric_name)
    }
}

/// Labels as Prometheus' `labels.Labels.String()` prints them in error messages:
/// `{__name__="up", job="api"}` (the name is an ordinary label there).
pub(crate) fn labels_string(labels: &Labels) -> String {
    let mut s = String::from("{");
    for (i, l) in labels.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&l.name);
        s.push_str("=\"");
        s.push_str(&pharos_protocol::model::escape_label_value(&l.value));
        s.push('"');
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(pairs: &[(&str, &str)]) -> InstantSample {
        InstantSample { metric: Arc::new(Labels::from_pairs(pairs.iter().copied())), t: 0, v: 0.0 }
    }

    #[test]
    fn duplicate_detection_small_and_large() {
        let a = sample(&[("a", "1")]);
        let b = sample(&[("a", "2")]);
        assert!(!has_duplicate_labelsets(&[a.clone(), b.clone()]));
        assert!(has_duplicate_labelsets(&[a.clone(), b.clone(), a.clone()]));
        let many: Vec<_> = (0..20).map(|i| sample(&[("i", &i.to_string())])).collect();
        assert!(!has_duplicate_labelsets(&many));
        let mut dup = many.clone();
        dup.push(many[3].clone());
        assert!(has_duplicate_labelsets(&dup));
    }

    #[test]
    fn dropping_the_name_keeps_other_labels() {
        let m: Metric = Arc::new(Labels::from_pairs([("__name__", "up"), ("job", "x")]));
        let d = drop_metric_name(&m);
        assert_eq!(d.metric_name(), None);
        assert_eq!(d.get("job"), Some("x"));
        assert!(Arc::ptr_eq(&drop_metric_name(&d), &d));
        let mut cache = LabelCaches::default();
        let a = cache.drop_name(&m);
        assert!(Arc::ptr_eq(&a, &cache.drop_name(&m)));
        assert_eq!(*a, *d);
    }
}
