//! `histogram_quantile`, `histogram_fraction` and `histogram_quantiles` over classic histograms
//! (`*_bucket` series with an `le` label), following Prometheus' `BucketQuantile` and
//! `BucketFraction`: buckets are grouped by their labels without `le` (and the metric name),
//! sorted by upper bound, merged when two spell the same bound differently (`0.1` and `0.10`),
//! and forced monotonic (with an info) before interpolating linearly inside a bucket.
//!
//! Native histograms come later; the grouping is written so a native sample can join it.

use super::super::annotations::{go_g, Annotations};
use super::super::eval::check_duplicates;
use super::super::value::{InstantSample, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use std::collections::HashMap;
use std::sync::Arc;

/// The bucket label.
const LE: &str = "le";

/// Relative differences between neighbouring bucket counts below this are float noise (e.g.
/// from sharded sums) and are evened out silently, as Prometheus' `smallDeltaTolerance`.
const SMALL_DELTA_TOLERANCE: f64 = 1e-12;

/// One classic bucket: upper bound and cumulative count.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    upper: f64,
    count: f64,
}

/// The buckets of one histogram at one step, with its output labels.
struct ClassicHistogram {
    /// Labels without `le` and without the metric name.
    metric: Arc<Labels>,
    /// Metric name of the input, for annotations.
    name: String,
    buckets: Vec<Bucket>,
}

/// Groups an instant vector of bucket series into histograms, in first-seen order. Series
/// without a parsable `le` are skipped with Prometheus' warning.
fn group_buckets(input: Vector, ann: &mut Annotations) -> Vec<ClassicHistogram> {
    let mut index: HashMap<Labels, usize> = HashMap::new();
    let mut out: Vec<ClassicHistogram> = Vec::new();
    for s in input {
        let le = s.metric.get(LE).unwrap_or("");
        let name = s.metric.get(METRIC_NAME_LABEL).unwrap_or("");
        let Some(upper) = parse_go_float(le) else {
            let mut msg = format!("bucket label \"le\" is missing or has a malformed value of {le:?}");
            if !name.is_empty() {
                msg.push_str(&format!(" for metric name {name:?}"));
            }
            ann.warn(msg);
            continue;
        };
        let mut key = (*s.metric).clone();
        key.remove(LE);
        let i = match index.get(&key) {
            Some(&i) => i,
            None => {
                let mut metric = key.clone();
                metric.remove(METRIC_NAME_LABEL);
                out.push(ClassicHistogram { metric: Arc::new(metric), name: name.to_string(), buckets: Vec::new() });
                index.insert(key, out.len() - 1);
                out.len() - 1
            }
        };
        out[i].buckets.push(Bucket { upper, count: s.v });
    }
    out
}

/// Go's `strconv.ParseFloat` for bucket bounds: decimal, exponent, hex floats are rare enough
/// to skip, `Inf`/`+Inf`/`-Inf`/`NaN` in any case, optional sign, underscores not allowed.
fn parse_go_float(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(['+', '-']);
    let lower = t.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity") {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if lower == "nan" {
        return (s.len() == t.len()).then_some(f64::NAN);
    }
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    s.parse::<f64>().ok()
}

/// Sorts by upper bound, merges equal bounds and evens out tiny and negative steps.
/// Returns whether monotonicity had to be forced, and (lowest, highest) fixed bound and the
/// largest decrease, for the info.
fn prepare(buckets: &mut Vec<Bucket>) -> Option<(f64, f64, f64)> {
    sort_and_coalesce(buckets);
    let (mut min_b, mut max_b, mut max_diff) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    let mut forced = false;
    let mut prev = buckets.first()?.count;
    for b in buckets.iter_mut().skip(1) {
        let cur = b.count;
        if cur == prev {
            continue;
        }
        if almost_equal(prev, cur, SMALL_DELTA_TOLERANCE) {
            b.count = prev;
            continue;
        }
        if cur < prev {
            b.count = prev;
            forced = true;
            min_b = min_b.min(b.upper);
            max_b = max_b.max(b.upper);
            max_diff = max_diff.max(prev - cur);
            continue;
        }
        prev = cur;
    }
    forced.then_some((min_b, max_b, max_diff))
}

/// Sorts buckets by upper bound and merges those with the same bound.
fn sort_and_coalesce(buckets: &mut Vec<Bucket>) {
    buckets.sort_by(|a, b| a.upper.total_cmp(&b.upper));
    let mut merged: Vec<Bucket> = Vec::with_capacity(buckets.len());
    for b in buckets.iter() {
        match merged.last_mut() {
            Some(last) if last.upper == b.upper => last.count += b.count,
            _ => merged.push(*b),
        }
    }
    *buckets = merged;
}

/// Prometheus' `almost.Equal`: both NaN, equal, or relatively closer than `epsilon` (absolutely,
/// scaled by the smallest normal float, when either is zero).
fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    if (a.is_nan() && b.is_nan()) || a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < f64::MIN_POSITIVE {
        return diff < epsilon * f64::MIN_POSITIVE;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

/// Prometheus' `BucketQuantile`: the `q` quantile of the buckets, which it sorts, merges and
/// makes monotonic; also returns what [`prepare`] had to force, if anything.
fn bucket_quantile(q: f64, buckets: &mut Vec<Bucket>) -> (f64, Option<(f64, f64, f64)>) {
    if q.is_nan() {
        return (f64::NAN, None);
    }
    if q < 0.0 {
        return (f64::NEG_INFINITY, None);
    }
    if q > 1.0 {
        return (f64::INFINITY, None);
    }
    buckets.sort_by(|a, b| a.upper.total_cmp(&b.upper));
    if buckets.last().is_none_or(|b| b.upper != f64::INFINITY) {
        return (f64::NAN, None);
    }
    let forced = prepare(buckets);
    let n = buckets.len();
    if n < 2 {
        return (f64::NAN, forced);
    }
    let observations = buckets[n - 1].count;
    if observations == 0.0 {
        return (f64::NAN, forced);
    }
    let mut rank = q * observations;
    // First bucket (among all but the last) whose count reaches the rank; n-1 if none.
    let b = buckets[..n - 1].partition_point(|x| x.count < rank);
    if b == n - 1 {
        return (buckets[n - 2].upper, forced);
    }
    if b == 0 && buckets[0].upper <= 0.0 {
        return (buckets[0].upper, forced);
    }
    let (mut start, end, mut count) = (0.0, buckets[b].upper, buckets[b].count);
    if b > 0 {
        start = buckets[b - 1].upper;
        count -= buckets[b - 1].count;
        rank -= buckets[b - 1].count;
    }
    (start + (end - start) * (rank / count), forced)
}

/// The fraction of observations between `lower` and `upper`, interpolating linearly inside
/// buckets (Prometheus' `BucketFraction`). Buckets must be sorted and coalesced.
fn bucket_fraction(lower: f64, upper: f64, buckets: &[Bucket]) -> f64 {
    let Some(last) = buckets.last() else { return f64::NAN };
    if last.upper != f64::INFINITY {
        return f64::NAN;
    }
    let count = last.count;
    if count == 0.0 || lower.is_nan() || upper.is_nan() {
        return f64::NAN;
    }
    if lower >= upper {
        return 0.0;
    }
    let (mut rank, mut lower_rank, mut upper_rank) = (0.0, 0.0, 0.0);
    let (mut lower_set, mut upper_set) = (false, false);
    let mut lower_bound = if buckets[0].upper <= 0.0 { f64::NEG_INFINITY } else { 0.0 };
    for (i, b) in buckets.iter().enumerate() {
        if i > 0 {
            lower_bound = buckets[i - 1].upper;
        }
        let upper_bound = b.upper;
        let interpolate = |v: f64| {
            if lower_bound == f64::NEG_INFINITY {
                b.count
            } else {
                rank + (b.count - rank) * (v - lower_bound) / (upper_bound - lower_bound)
            }
        };
        if !lower_set && lower_bound >= lower {
            lower_rank = rank;
            lower_set = true;
        }
        if !upper_set && lower_bound >= upper {
            upper_rank = rank;
            upper_set = true;
        }
        if lower_set && upper_set {
            break;
        }
        if !lower_set && lower_bound < lower && upper_bound > lower {
            lower_rank = interpolate(lower);
            lower_set = true;
        }
        if !upper_set && lower_bound < upper && upper_bound > upper {
            upper_rank = interpolate(upper);
            upper_set = true;
        }
        if lower_set && upper_set {
            break;
        }
        rank = b.count;
    }
    if !lower_set || lower_rank > count {
        lower_rank = count;
    }
    if !upper_set || upper_rank > count {
        upper_rank = count;
    }
    (upper_rank - lower_rank) / count
}

/// Warns about a quantile outside [0, 1] (or NaN), as Prometheus' `validateQuantile`.
pub(super) fn validate_quantile(q: f64, ann: &mut Annotations) {
    if q.is_nan() || !(0.0..=1.0).contains(&q) {
        ann.invalid_quantile(q);
    }
}

/// Records the info Prometheus gives when buckets had to be made monotonic.
fn forced_monotonicity_info(name: &str, ann: &mut Annotations) {
    let mut msg = String::from(
        "input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)",
    );
    if !name.is_empty() {
        msg.push_str(&format!(" for metric name {name:?}"));
    }
    ann.info(msg);
}

/// `histogram_quantile(q, buckets)` at one step; `ts` is the step time.
/// Fails like Prometheus when two histograms differ only in their metric name.
pub(super) fn histogram_quantile(q: f64, input: Vector, ts: i64, ann: &mut Annotations) -> super::Result<Vector> {
    validate_quantile(q, ann);
    let mut out = Vec::new();
    for mut h in group_buckets(input, ann) {
        let (v, forced) = bucket_quantile(q, &mut h.buckets);
        if forced.is_some() {
            forced_monotonicity_info(&h.name, ann);
        }
        out.push(InstantSample { metric: h.metric, t: ts, v });
    }
    check_duplicates(&out)?;
    Ok(out)
}

/// `histogram_quantiles(buckets, "label", q...)` (experimental in Prometheus): one output per
/// histogram and quantile, labelled `label="<q>"`. Fails like Prometheus when two outputs
/// collide.
pub(super) fn histogram_quantiles(
    qs: &[f64],
    label: &str,
    input: Vector,
    ts: i64,
    ann: &mut Annotations,
) -> super::Result<Vector> {
    qs.iter().for_each(|&q| validate_quantile(q, ann));
    let mut hists = group_buckets(input, ann);
    let mut out = Vec::new();
    for &q in qs {
        let q_label = format_openmetrics_float(q);
        for h in &mut hists {
            let (v, forced) = bucket_quantile(q, &mut h.buckets);
            if forced.is_some() {
                forced_monotonicity_info(&h.name, ann);
            }
            let mut metric = (*h.metric).clone();
            metric.set(label, &q_label);
            out.push(InstantSample { metric: Arc::new(metric), t: ts, v });
        }
    }
    check_duplicates(&out)?;
    Ok(out)
}

/// `histogram_fraction(lower, upper, buckets)` at one step.
pub(super) fn histogram_fraction(
    lower: f64,
    upper: f64,
    input: Vector,
    ts: i64,
    ann: &mut Annotations,
) -> super::Result<Vector> {
    let mut out = Vec::new();
    for h in group_buckets(input, ann) {
        // Prometheus' BucketFraction only sorts and merges; it does not force monotonicity.
        let mut buckets = h.buckets;
        sort_and_coalesce(&mut buckets);
        out.push(InstantSample { metric: h.metric, t: ts, v: bucket_fraction(lower, upper, &buckets) });
    }
    check_duplicates(&out)?;
    Ok(out)
}

/// A float as an OpenMetrics label value (`0.5`, `1.0`, `+Inf`): Prometheus'
/// `FormatOpenMetricsFloat`, which always keeps a decimal point for integers.
fn format_openmetrics_float(v: f64) -> String {
    let s = go_g(v);
    if v.is_finite() && !s.contains(['.', 'e']) {
        return format!("{s}.0");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(pairs: &[(f64, f64)]) -> Vec<Bucket> {
        pairs.iter().map(|&(upper, count)| Bucket { upper, count }).collect()
    }

    #[test]
    fn quantile_interpolates_within_the_bucket() {
        let mut bs = b(&[(1.0, 10.0), (f64::INFINITY, 20.0), (0.5, 5.0)]);
        assert_eq!(bucket_quantile(0.25, &mut bs), (0.5, None));
        assert_eq!(bucket_quantile(0.375, &mut bs), (0.75, None));
        // In the +Inf bucket: the highest finite bound.
        assert_eq!(bucket_quantile(0.9, &mut bs), (1.0, None));
        assert!(bucket_quantile(f64::NAN, &mut bs).0.is_nan());
        assert_eq!(bucket_quantile(-1.0, &mut bs).0, f64::NEG_INFINITY);
        // Without a +Inf bucket there is no answer.
        assert!(bucket_quantile(0.5, &mut b(&[(1.0, 1.0), (2.0, 2.0)])).0.is_nan());
    }

    #[test]
    fn nonmonotonic_buckets_are_fixed_and_reported() {
        let mut bs = b(&[(0.1, 20.0), (1.0, 10.0), (f64::INFINITY, 30.0)]);
        let fixed = prepare(&mut bs);
        assert_eq!(fixed, Some((1.0, 1.0, 10.0)));
        assert_eq!(bs[1].count, 20.0);
    }

    #[test]
    fn equal_bounds_are_merged() {
        let mut bs = b(&[(0.1, 1.0), (0.1, 2.0), (f64::INFINITY, 4.0)]);
        prepare(&mut bs);
        assert_eq!(bs.len(), 2);
        assert_eq!(bs[0].count, 3.0);
    }

    #[test]
    fn fraction_interpolates_and_handles_edges() {
        let mut bs = b(&[(1.0, 10.0), (2.0, 20.0), (f64::INFINITY, 20.0)]);
        sort_and_coalesce(&mut bs);
        assert_eq!(bucket_fraction(0.0, 1.0, &bs), 0.5);
        assert_eq!(bucket_fraction(0.5, 1.5, &bs), 0.5);
        assert_eq!(bucket_fraction(2.0, 1.0, &bs), 0.0);
        assert_eq!(bucket_fraction(f64::NEG_INFINITY, f64::INFINITY, &bs), 1.0);
        assert!(bucket_fraction(f64::NAN, 1.0, &bs).is_nan());
    }

    #[test]
    fn bad_le_warns_with_the_value() {
        let mut ann = Annotations::default();
        let mut labels = Labels::default();
        labels.set("__name__", "series");
        labels.set("le", "Hello World");
        let v = vec![InstantSample { metric: Arc::new(labels), t: 0, v: 1.0 }];
        assert!(histogram_quantile(0.5, v, 0, &mut ann).expect("no duplicates").is_empty());
        assert_eq!(
            ann.warnings,
            vec!["PromQL warning: bucket label \"le\" is missing or has a malformed value of \"Hello World\" for metric name \"series\""]
        );
    }

    #[test]
    fn go_float_parsing() {
        assert_eq!(parse_go_float("+Inf"), Some(f64::INFINITY));
        assert_eq!(parse_go_float("0.10"), Some(0.1));
        assert_eq!(parse_go_float("1e3"), Some(1000.0));
        assert_eq!(parse_go_float(""), None);
        assert_eq!(parse_go_float("abc"), None);
    }
}
