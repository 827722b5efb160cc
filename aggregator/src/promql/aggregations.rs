//! Aggregation operators (`sum`, `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar`,
//! `quantile`, `topk`, `bottomk`, `limitk`, `count_values`, `limit_ratio`) with `by` / `without`, following Prometheus' `aggregation` and
//! `aggregationK` in `promql/engine.go`, including its Kahan-compensated sums and means.

use super::annotations::go_g;
use super::error::{PromqlError, Result};
use super::eval::{Evaluator, StepValue};
use super::functions::kahan_inc;
use super::value::{AddressCache, AddressHasher, InstantSample, Metric, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use promql_parser::parser::token::{
    TokenId, T_AVG, T_BOTTOMK, T_COUNT, T_COUNT_VALUES, T_GROUP, T_LIMITK, T_LIMIT_RATIO, T_MAX, T_MIN, T_QUANTILE,
    T_STDDEV, T_STDVAR, T_SUM, T_TOPK,
};
use promql_parser::parser::{AggregateExpr, LabelModifier};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

mod extras;

/// Running state of one output group.
pub(crate) struct Group {
    /// Output labels.
    metric: Metric,
    /// Running sum (sum, avg), extreme (min, max), or sum of squared deviations (stddev, stdvar).
    value: f64,
    /// Kahan compensation term of `value` (or of `mean` once the mean is incremental).
    kahan_c: f64,
    /// Running mean (avg after overflow, stddev, stdvar).
    mean: f64,
    /// Number of samples seen.
    count: f64,
    /// Whether `avg` switched to an incremental mean because the sum would overflow.
    incremental_mean: bool,
    /// Members kept for `quantile`, `topk` and `bottomk`.
    members: Vec<InstantSample>,
}

/// Evaluates an aggregation at step `ts`.
pub(crate) fn eval_aggregate(ev: &mut Evaluator<'_>, a: &AggregateExpr, ts: i64) -> Result<StepValue> {
    let op = a.op.id();
    if !matches!(
        op,
        T_SUM
            | T_AVG
            | T_COUNT
            | T_MIN
            | T_MAX
            | T_GROUP
            | T_STDDEV
            | T_STDVAR
            | T_QUANTILE
            | T_TOPK
            | T_BOTTOMK
            | T_LIMITK
            | T_LIMIT_RATIO
            | T_COUNT_VALUES
    ) {
        return Err(PromqlError::unsupported(format!("aggregation '{}'", a.op)));
    }
    if op == T_COUNT_VALUES {
        let label = match a.param.as_deref().map(|p| ev.eval(p, ts)).transpose()? {
            Some(StepValue::String(s)) => s,
            _ => return Err(PromqlError::exec("count_values needs a string parameter")),
        };
        let input = ev.eval_vector(&a.expr, ts)?;
        return Ok(StepValue::Vector(extras::count_values(&label, input, a.modifier.as_ref())?));
    }
    let param = match &a.param {
        Some(p) => Some(ev.eval_scalar(p, ts)?),
        None => None,
    };
    match (op, param) {
        (T_QUANTILE, Some(q)) if q.is_nan() || !(0.0..=1.0).contains(&q) => ev.annotations.invalid_quantile(q),
        (T_LIMIT_RATIO, Some(r)) if r.abs() > 1.0 => {
            let to = r.signum();
            ev.annotations.warn(format_args!(
                "ratio value should be between -1 and 1, got {}, capping to {}",
                go_g(r),
                go_g(to)
            ));
        }
        _ => {}
    }
    let input = ev.eval_vector(&a.expr, ts)?;
    let out = match op {
        T_LIMIT_RATIO => extras::limit_ratio(param.unwrap_or(f64::NAN), input, a.modifier.as_ref())?,
        T_TOPK | T_BOTTOMK | T_LIMITK => aggregate_k(op, param.unwrap_or(f64::NAN), input, a.modifier.as_ref())?,
        _ => {
            let grouping = ev.groupings.entry(a as *const AggregateExpr as usize).or_default();
            aggregate(op, param.unwrap_or(f64::NAN), input, a.modifier.as_ref(), grouping)
        }
    };
    Ok(StepValue::Vector(out))
}

/// Whether a label takes part in the grouping.
fn in_grouping(name: &str, modifier: Option<&LabelModifier>) -> bool {
    match modifier {
        Some(LabelModifier::Include(by)) => by.labels.iter().any(|n| n == name),
        Some(LabelModifier::Exclude(without)) => name != METRIC_NAME_LABEL && !without.labels.iter().any(|n| n == name),
        None => false,
    }
}

/// The group key of a series: its grouping labels encoded as a string.
pub(crate) fn group_key(metric: &Labels, modifier: Option<&LabelModifier>) -> String {
    let mut key = String::new();
    for l in metric.iter().filter(|l| in_grouping(&l.name, modifier)) {
        key.push_str(&l.name);
        key.push('\u{ff}');
        key.push_str(&l.value);
        key.push('\u{ff}');
    }
    key
}

/// The output labels of a group: only the grouping labels.
pub(crate) fn group_labels(metric: &Labels, modifier: Option<&LabelModifier>) -> Metric {
    Arc::new(Labels::from_vec(metric.iter().filter(|l| in_grouping(&l.name, modifier)).cloned().collect()))
}

/// Assigns samples to groups in order of first appearance, the order Prometheus outputs them in.
fn group_indices(input: &[InstantSample], modifier: Option<&LabelModifier>) -> (Vec<usize>, Vec<Metric>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut metrics = Vec::new();
    let assignment = input
        .iter()
        .map(|s| {
            *index.entry(group_key(&s.metric, modifier)).or_insert_with(|| {
                metrics.push(group_labels(&s.metric, modifier));
                metrics.len() - 1
            })
        })
        .collect();
    (assignment, metrics)
}

/// The groups of one aggregation node, remembered across the steps of a query: a series keeps
/// its label set (and `Arc`) from step to step, so its group is worked out once, not per step.
#[derive(Default)]
pub(crate) struct Grouping {
    /// Group key → group id.
    keys: HashMap<String, usize>,
    /// Output labels by group id.
    metrics: Vec<Metric>,
    /// Group id by series label set.
    by_series: AddressCache<usize>,
}

impl Grouping {
    /// Like [`group_indices`], with ids cached per label set.
    fn indices(&mut self, input: &[InstantSample], modifier: Option<&LabelModifier>) -> (Vec<usize>, Vec<Metric>) {
        let mut local: HashMap<usize, usize, BuildHasherDefault<AddressHasher>> = HashMap::default();
        let mut metrics = Vec::new();
        let assignment = input
            .iter()
            .map(|s| {
                let (keys, all) = (&mut self.keys, &mut self.metrics);
                let id = self.by_series.get_or_insert_with(0, &s.metric, |m| {
                    *keys.entry(group_key(m, modifier)).or_insert_with(|| {
                        all.push(group_labels(m, modifier));
                        all.len() - 1
                    })
                });
                *local.entry(id).or_insert_with(|| {
                    metrics.push(self.metrics[id].clone());
                    metrics.len() - 1
                })
            })
            .collect();
        (assignment, metrics)
    }
}

/// The aggregations that produce one sample per group.
fn aggregate(
    op: TokenId,
    param: f64,
    input: Vector,
    modifier: Option<&LabelModifier>,
    grouping: &mut Grouping,
) -> Vector {
    let Some(t) = input.first().map(|s| s.t) else { return Vec::new() };
    let (assignment, metrics) = grouping.indices(&input, modifier);
    let mut groups: Vec<Option<Group>> = (0..metrics.len()).map(|_| None).collect();
    for (s, gi) in input.into_iter().zip(assignment) {
        match groups[gi].as_mut() {
            None => {
                let mut g = Group::start(op, metrics[gi].clone(), s.v);
                if op == T_QUANTILE {
                    g.members.push(s);
                }
                groups[gi] = Some(g);
            }
            Some(g) if op == T_QUANTILE => g.members.push(s),
            Some(g) => g.add(op, s.v),
        }
    }
    groups
        .into_iter()
        .flatten()
        .map(|g| {
            let v = match op {
                T_QUANTILE => quantile(param, g.members.iter().map(|s| s.v).collect()),
                _ => g.finish(op),
            };
            InstantSample { metric: g.metric, t, v }
        })
        .collect()
}

impl Group {
    /// A group whose first sample has value `f` (`sum avg count min max group stddev stdvar`;
    /// `quantile` keeps its members itself).
    pub(crate) fn start(op: TokenId, metric: Metric, f: f64) -> Group {
        let mut g =
            Group { metric, value: f, kahan_c: 0.0, mean: f, count: 1.0, incremental_mean: false, members: Vec::new() };
        match op {
            T_STDDEV | T_STDVAR => g.value = if f.is_finite() { 0.0 } else { f64::NAN },
            T_GROUP => g.value = 1.0,
            _ => {}
        }
        g
    }

    /// Adds a later sample, in input order (the order matters to the floating-point sums).
    pub(crate) fn add(&mut self, op: TokenId, f: f64) {
        let g = self;
        match op {
            T_SUM => (g.value, g.kahan_c) = kahan_inc(f, g.value, g.kahan_c),
            T_AVG => {
                g.count += 1.0;
                if !g.incremental_mean {
                    let (sum, c) = kahan_inc(f, g.value, g.kahan_c);
                    if !sum.is_infinite() {
                        (g.value, g.kahan_c) = (sum, c);
                        return;
                    }
                    // The running sum would overflow: switch to an incremental mean from here on.
                    g.incremental_mean = true;
                    g.mean = g.value / (g.count - 1.0);
                    g.kahan_c /= g.count - 1.0;
                }
                let q = (g.count - 1.0) / g.count;
                (g.mean, g.kahan_c) = kahan_inc(f / g.count, q * g.mean, q * g.kahan_c);
            }
            // A NaN accumulator is replaced by any later value.
            T_MAX if g.value < f || g.value.is_nan() => g.value = f,
            T_MIN if g.value > f || g.value.is_nan() => g.value = f,
            T_COUNT => g.count += 1.0,
            T_STDDEV | T_STDVAR => {
                g.count += 1.0;
                let delta = f - g.mean;
                g.mean += delta / g.count;
                g.value += delta * (f - g.mean);
            }
            _ => {}
        }
    }

    /// The group's result.
    pub(crate) fn finish(&self, op: TokenId) -> f64 {
        let g = self;
        match op {
            T_SUM => g.value + g.kahan_c,
            T_AVG if g.incremental_mean => g.mean + g.kahan_c,
            T_AVG => g.value / g.count + g.kahan_c / g.count,
            T_COUNT => g.count,
            T_STDVAR => g.value / g.count,
            T_STDDEV => (g.value / g.count).sqrt(),
            _ => g.value,
        }
    }
}

/// Prometheus' `quantile`: NaN sorts first; interpolates between the two nearest ranks.
pub(crate) fn quantile(q: f64, mut values: Vec<f64>) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    values.sort_by(|a, b| nan_first_cmp(*a, *b));
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let weight = rank - rank.floor();
    values[lower as usize] * (1.0 - weight) + values[upper as usize] * weight
}

/// Ascending order with NaN before everything.
fn nan_first_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// `topk` / `bottomk`: the k largest (smallest) samples per group, keeping their labels; NaN
/// counts as the smallest value for `topk` and the largest for `bottomk`, so it comes last.
/// `limitk`: the first k samples per group, whatever their values.
fn aggregate_k(op: TokenId, k: f64, input: Vector, modifier: Option<&LabelModifier>) -> Result<Vector> {
    if k.is_nan() {
        return Err(PromqlError::exec("Parameter value is NaN"));
    }
    if k <= i64::MIN as f64 {
        return Err(PromqlError::exec(format!("Scalar value {k} underflows int64")));
    }
    if k >= i64::MAX as f64 {
        return Err(PromqlError::exec(format!("Scalar value {k} overflows int64")));
    }
    // Truncation toward zero is Go's int64(float) conversion.
    let k = (k as i64).min(input.len() as i64);
    if k < 1 {
        return Ok(Vec::new());
    }
    let (assignment, metrics) = group_indices(&input, modifier);
    let mut groups: Vec<Vec<InstantSample>> = (0..metrics.len()).map(|_| Vec::new()).collect();
    for (s, gi) in input.into_iter().zip(assignment) {
        groups[gi].push(s);
    }
    let mut out = Vec::new();
    for mut members in groups {
        if op == T_LIMITK {
            members.truncate(k as usize);
            out.extend(members);
            continue;
        }
        // Stable sort: among equal values the earlier series wins.
        members.sort_by(|a, b| {
            let nan = a.v.is_nan().cmp(&b.v.is_nan());
            let by_value = if op == T_TOPK { b.v.partial_cmp(&a.v) } else { a.v.partial_cmp(&b.v) };
            nan.then(by_value.unwrap_or(Ordering::Equal))
        });
        members.truncate(k as usize);
        out.extend(members);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_and_handles_bounds() {
        assert_eq!(quantile(0.5, vec![1.0, 2.0, 3.0, 4.0]), 2.5);
        assert_eq!(quantile(0.0, vec![3.0, 1.0]), 1.0);
        assert_eq!(quantile(1.0, vec![3.0, 1.0]), 3.0);
        assert_eq!(quantile(-0.1, vec![1.0]), f64::NEG_INFINITY);
        assert_eq!(quantile(1.1, vec![1.0]), f64::INFINITY);
        assert!(quantile(0.5, vec![]).is_nan());
    }

    #[test]
    fn limitk_keeps_the_first_k_per_group_in_input_order() {
        let input: Vector = [("a", 3.0), ("b", 1.0), ("c", 2.0)]
            .iter()
            .map(|&(i, v)| InstantSample { metric: Arc::new(Labels::from_pairs([("i", i)])), t: 0, v })
            .collect();
        let out = aggregate_k(T_LIMITK, 2.0, input.clone(), None).unwrap_or_default();
        assert_eq!(out, input[..2].to_vec());
        assert!(aggregate_k(T_LIMITK, 0.0, input.clone(), None).unwrap_or_default().is_empty());
        assert!(aggregate_k(T_LIMITK, f64::NAN, input, None).is_err());
    }
}
