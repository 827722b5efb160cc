//! `count_values` and `limit_ratio`, following Prometheus' `aggregationCountValues` and the
//! `LIMIT_RATIO` case of `aggregationK` in `promql/engine.go`.

use super::group_indices;
use crate::promql::error::{PromqlError, Result};
use crate::promql::value::{InstantSample, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use promql_parser::parser::LabelModifier;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;
use twox_hash::XxHash64;

/// A float as Go's `strconv.FormatFloat(f, 'f', -1, 64)` prints it.
pub(crate) fn format_go_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v == f64::INFINITY {
        "+Inf".to_string()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        // Rust's `Display` is the shortest round-tripping decimal without an exponent.
        v.to_string()
    }
}

/// `count_values("label", v)`: per group, one series per distinct value, counting the inputs
/// with that value; the value (as a string) goes into `label`, which joins the `by` grouping.
pub(crate) fn count_values(label: &str, input: Vector, modifier: Option<&LabelModifier>) -> Result<Vector> {
    if label.is_empty() {
        return Err(PromqlError::exec(format!("invalid label name {label:?}")));
    }
    let Some(t) = input.first().map(|s| s.t) else { return Ok(Vec::new()) };
    let keep = |name: &str| match modifier {
        Some(LabelModifier::Include(by)) => name == label || by.labels.iter().any(|n| n == name),
        Some(LabelModifier::Exclude(without)) => name != METRIC_NAME_LABEL && !without.labels.iter().any(|n| n == name),
        None => name == label,
    };
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut out: Vec<InstantSample> = Vec::new();
    for s in input {
        let mut metric = (*s.metric).clone();
        metric.set(label, &format_go_float(s.v));
        let grouped = Labels::from_vec(metric.iter().filter(|l| keep(&l.name)).cloned().collect());
        match index.get(&grouped) {
            Some(&i) => out[i].v += 1.0,
            None => {
                index.insert(grouped.clone(), out.len());
                out.push(InstantSample { metric: Arc::new(grouped), t, v: 1.0 });
            }
        }
    }
    Ok(out)
}

/// Prometheus' `labels.Labels.Hash()`: xxHash64 of `name 0xff value 0xff ...`.
fn labels_hash(labels: &Labels) -> u64 {
    let mut h = XxHash64::with_seed(0);
    for l in labels.iter() {
        h.write(l.name.as_bytes());
        h.write(&[0xff]);
        h.write(l.value.as_bytes());
        h.write(&[0xff]);
    }
    h.finish()
}

/// Whether `limit_ratio(ratio, ...)` keeps a series: its label hash, scaled to [0, 1], is below
/// `ratio`, or for a negative ratio at or above `1 + ratio`, so `r` and `r - 1` complement.
fn ratio_keeps(ratio: f64, labels: &Labels) -> bool {
    let offset = labels_hash(labels) as f64 / u64::MAX as f64;
    (ratio >= 0.0 && offset < ratio) || (ratio < 0.0 && offset >= 1.0 + ratio)
}

/// `limit_ratio(ratio, v)`: a deterministic, hash-based sample of about `ratio` of the series
/// of each group (the grouping only orders the output); the ratio is clamped to [-1, 1].
pub(crate) fn limit_ratio(ratio: f64, input: Vector, modifier: Option<&LabelModifier>) -> Result<Vector> {
    if ratio.is_nan() {
        return Err(PromqlError::exec("Ratio value is NaN"));
    }
    if ratio == 0.0 || input.is_empty() {
        return Ok(Vec::new());
    }
    let ratio = ratio.clamp(-1.0, 1.0);
    let (assignment, metrics) = group_indices(&input, modifier);
    let mut groups: Vec<Vec<InstantSample>> = (0..metrics.len()).map(|_| Vec::new()).collect();
    for (s, gi) in input.into_iter().zip(assignment) {
        if ratio_keeps(ratio, &s.metric) {
            groups[gi].push(s);
        }
    }
    Ok(groups.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use promql_parser::label::Labels as LabelList;

    fn sample(pairs: &[(&str, &str)], v: f64) -> InstantSample {
        InstantSample { metric: Arc::new(Labels::from_pairs(pairs.iter().copied())), t: 5, v }
    }

    #[test]
    fn go_float_formatting() {
        assert_eq!(format_go_float(6.0), "6");
        assert_eq!(format_go_float(0.5), "0.5");
        assert_eq!(format_go_float(1e21), "1000000000000000000000");
        assert_eq!(format_go_float(f64::INFINITY), "+Inf");
        assert_eq!(format_go_float(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_go_float(f64::NAN), "NaN");
    }

    #[test]
    fn count_values_groups_by_value_and_modifier() {
        let input = vec![
            sample(&[("__name__", "v"), ("job", "a"), ("i", "0")], 6.0),
            sample(&[("__name__", "v"), ("job", "a"), ("i", "1")], 6.0),
            sample(&[("__name__", "v"), ("job", "b"), ("i", "0")], 7.0),
        ];
        let out = count_values("version", input.clone(), None).unwrap_or_default();
        let got: Vec<(String, f64)> =
            out.iter().map(|s| (s.metric.get("version").unwrap_or("").to_string(), s.v)).collect();
        assert_eq!(got, [("6".to_string(), 2.0), ("7".to_string(), 1.0)]);
        let without = LabelModifier::Exclude(LabelList::new(vec!["i"]));
        let out = count_values("job", input, Some(&without)).unwrap_or_default();
        assert_eq!(out.len(), 2);
        assert_eq!(*out[0].metric, Labels::from_pairs([("job", "6")]));
        assert_eq!(out[0].v, 2.0);
        assert!(count_values("", Vec::new(), None).is_err());
    }

    #[test]
    fn limit_ratio_complements_and_clamps() {
        let input: Vector = (0..50).map(|i| sample(&[("i", &i.to_string())], 1.0)).collect();
        let a = limit_ratio(0.3, input.clone(), None).unwrap_or_default();
        let b = limit_ratio(-0.7, input.clone(), None).unwrap_or_default();
        assert_eq!(a.len() + b.len(), 50);
        assert!(a.iter().all(|s| !b.contains(s)));
        assert_eq!(limit_ratio(2.0, input.clone(), None).unwrap_or_default().len(), 50);
        assert!(limit_ratio(0.0, input.clone(), None).unwrap_or_default().is_empty());
        assert!(limit_ratio(f64::NAN, input, None).is_err());
    }

    #[test]
    fn labels_hash_matches_xxhash_of_prometheus_encoding() {
        // Empty label set: xxHash64 of no bytes.
        assert_eq!(labels_hash(&Labels::default()), 0xef46_db37_51d8_e999);
    }
}
