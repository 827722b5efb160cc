//! Series-major evaluation of the hot subtrees of a range query (or subquery).
//!
//! The evaluator in [`super::eval`] walks the AST once per step, as Prometheus does. For
//! `sum by (mode) (rate(x[5m]))` over 10,000 series and 1,441 steps that means touching every
//! series' samples at every step: 14 M window lookups, each a cache miss, since the samples of
//! all series do not fit in the CPU cache. This module evaluates the common hot shapes —
//! range functions over a range selector or subquery, plain selectors under an aggregation, and the simple
//! aggregations (`sum avg count min max group stddev stdvar`) over those — one series at a time
//! across all steps, with windows that slide forward instead of being searched for, and folds
//! each series into per-(group, step) accumulators.
//!
//! Results are bit-for-bit those of the step-wise path: the same per-window function
//! ([`range_function_value`]) and the same accumulators ([`Group`]) run in the same order (each
//! step's input in series order). [`precompute`] stores the results by node; the step-wise
//! evaluator picks them up ([`Batch::vector_at`]), so the rest of the expression (binary
//! operators, other functions) runs as before on small inputs. Anything else is left to the
//! step-wise path.

use super::aggregations::{group_key, group_labels, Group};
use super::error::Result;
use super::eval::Evaluator;
use super::for_each_child;
use super::functions::{extrapolated_rate_with, non_counter_name, range_function_value, RateWindow};
use super::subquery::RangeArg;
use super::value::{InstantSample, Matrix, Metric, Point, RangeSeries, Vector};
use pharos_protocol::is_stale_nan;
use promql_parser::parser::token::{TokenId, T_AVG, T_COUNT, T_GROUP, T_MAX, T_MIN, T_STDDEV, T_STDVAR, T_SUM};
use promql_parser::parser::{AggregateExpr, Expr, LabelModifier, VectorSelector};
use std::collections::HashMap;
use std::rc::Rc;

/// Most (group × step) accumulators one aggregation may hold; beyond it the step-wise path,
/// which needs one step's worth only, is used.
const MAX_ACCUMULATORS: usize = 4_000_000;

/// Most steps a grid may have: a range query has at most 11,000; subqueries can ask for far
/// more, and per-step arrays that long are left to the step-wise path.
const MAX_STEPS: usize = 100_000;

/// Range functions evaluated here: those of one range-selector argument and no scalar one.
const RANGE_FUNCTIONS: &[&str] = &[
    "rate",
    "increase",
    "delta",
    "irate",
    "idelta",
    "changes",
    "resets",
    "avg_over_time",
    "min_over_time",
    "max_over_time",
    "sum_over_time",
    "count_over_time",
    "last_over_time",
    "first_over_time",
    "present_over_time",
    "stddev_over_time",
    "stdvar_over_time",
    "mad_over_time",
    "deriv",
    "ts_of_first_over_time",
    "ts_of_last_over_time",
    "ts_of_min_over_time",
    "ts_of_max_over_time",
];

/// The steps a batch covers: `start + i * step` for `i < n`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Grid {
    start: i64,
    step: i64,
    n: usize,
}

impl Grid {
    /// The grid from `start` to `end` inclusive; `None` for fewer than two steps (nothing to
    /// gain) or more than [`MAX_STEPS`].
    pub(crate) fn new(start: i64, end: i64, step: i64) -> Option<Grid> {
        if step <= 0 || end <= start {
            return None;
        }
        let n = usize::try_from(end.checked_sub(start)? / step).ok()?.checked_add(1)?;
        (n <= MAX_STEPS).then_some(Grid { start, step, n })
    }

    fn ts(&self, i: usize) -> i64 {
        self.start + i as i64 * self.step
    }

    fn index(&self, ts: i64) -> Option<usize> {
        let d = ts.checked_sub(self.start)?;
        if d < 0 || d % self.step != 0 {
            return None;
        }
        let i = usize::try_from(d / self.step).ok()?;
        (i < self.n).then_some(i)
    }
}

/// One output series of a batch: a value per step, and whether the step has one.
pub(crate) struct BatchSeries {
    metric: Metric,
    values: Vec<f64>,
    present: Vec<bool>,
    /// For aggregation results: per step, the input position of the group's first member. The
    /// step-wise path outputs groups in that order, and order matters to whoever sums them next.
    /// Empty for selectors and range functions, whose order is the series order at every step.
    rank: Vec<u32>,
}

impl BatchSeries {
    fn rank(&self, i: usize, own_index: usize) -> u32 {
        self.rank.get(i).copied().unwrap_or(own_index as u32)
    }
}

/// A node's result at every step of a grid.
pub(crate) struct Batch {
    grid: Grid,
    series: Vec<BatchSeries>,
}

impl Batch {
    /// The node's instant vector at step `ts`, or `None` when `ts` is not on the grid.
    pub(crate) fn vector_at(&self, ts: i64) -> Option<Vector> {
        let i = self.grid.index(ts)?;
        Some(
            self.step_order(i)
                .into_iter()
                .map(|k| {
                    let s = &self.series[k];
                    InstantSample { metric: s.metric.clone(), t: ts, v: s.values[i] }
                })
                .collect(),
        )
    }

    /// Indices of the series present at step `i`, in the order the step-wise path outputs them.
    fn step_order(&self, i: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.series.len()).filter(|&k| self.series[k].present[i]).collect();
        order.sort_by_key(|&k| self.series[k].rank(i, k));
        order
    }

    /// The whole result as a range query's matrix (series without points left out, unsorted).
    pub(crate) fn into_matrix(self) -> Matrix {
        let grid = self.grid;
        self.series
            .into_iter()
            .filter_map(|s| {
                let points: Vec<Point> =
                    (0..grid.n).filter(|&i| s.present[i]).map(|i| Point { t: grid.ts(i), v: s.values[i] }).collect();
                (!points.is_empty()).then_some(RangeSeries { metric: s.metric, points })
            })
            .collect()
    }

    /// The whole result as the points of a subquery, by series (series without points left out).
    pub(crate) fn into_samples(self) -> Vec<(Metric, Vec<pharos_protocol::Sample>)> {
        let grid = self.grid;
        self.series
            .into_iter()
            .filter_map(|s| {
                let samples: Vec<pharos_protocol::Sample> = (0..grid.n)
                    .filter(|&i| s.present[i])
                    .map(|i| pharos_protocol::Sample { timestamp_ms: grid.ts(i), value: s.values[i] })
                    .collect();
                (!samples.is_empty()).then_some((s.metric, samples))
            })
            .collect()
    }

    /// Number of points held.
    fn points(&self) -> usize {
        self.series.iter().map(|s| s.present.iter().filter(|&&p| p).count()).sum()
    }
}

/// Receives a node's series one at a time: labels, value per step, presence per step.
type SeriesSink<'a> = dyn FnMut(&Metric, &[f64], &[bool]) + 'a;

/// What a supported node computes.
enum Plan<'e> {
    /// An instant selector (only under an aggregation).
    Selector(&'e VectorSelector),
    /// A range function over a range selector or a subquery.
    RangeFunction(&'e str, RangeArg<'e>),
    /// A simple aggregation of a supported node.
    Aggregate(&'e AggregateExpr, TokenId, Box<Plan<'e>>),
}

/// The plan for `expr` if this module can evaluate it. `nested`: under an aggregation here.
fn plan(expr: &Expr, nested: bool) -> Option<Plan<'_>> {
    match expr {
        Expr::Paren(p) => plan(&p.expr, nested),
        Expr::VectorSelector(vs) if nested => Some(Plan::Selector(vs)),
        Expr::Call(c) if RANGE_FUNCTIONS.contains(&c.func.name) && c.args.args.len() == 1 => {
            let mut arg = &*c.args.args[0];
            while let Expr::Paren(p) = arg {
                arg = &p.expr;
            }
            match arg {
                Expr::MatrixSelector(ms) => Some(Plan::RangeFunction(c.func.name, RangeArg::Selector(ms))),
                Expr::Subquery(sq) => Some(Plan::RangeFunction(c.func.name, RangeArg::Subquery(sq))),
                _ => None,
            }
        }
        Expr::Aggregate(a) if a.param.is_none() => {
            let op = a.op.id();
            if !matches!(op, T_SUM | T_AVG | T_COUNT | T_MIN | T_MAX | T_GROUP | T_STDDEV | T_STDVAR) {
                return None;
            }
            Some(Plan::Aggregate(a, op, Box::new(plan(&a.expr, true)?)))
        }
        _ => None,
    }
}

/// Evaluates the supported subtrees of `expr` on `grid` and stores them in the evaluator, so
/// step-wise evaluation reads them instead of recomputing them. Does not look inside
/// subqueries (they run on grids of their own and call this themselves).
pub(crate) fn precompute(ev: &mut Evaluator<'_>, expr: &Expr, grid: Grid) -> Result<()> {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        if let Some(p) = plan(e, false) {
            if let Some(batch) = evaluate(ev, &p, grid)? {
                ev.check_samples(batch.points())?;
                ev.precomputed.insert(e as *const Expr as usize, Rc::new(batch));
                continue;
            }
        }
        if !matches!(e, Expr::Subquery(_)) {
            for_each_child(e, |c| stack.push(c));
        }
    }
    Ok(())
}

/// Evaluates a plan; `None` when it turns out the step-wise path must do it (e.g. results
/// that would need a per-step duplicate check, or too many accumulators).
fn evaluate(ev: &mut Evaluator<'_>, plan: &Plan<'_>, grid: Grid) -> Result<Option<Batch>> {
    match plan {
        Plan::Aggregate(a, op, child) => aggregate(ev, a.modifier.as_ref(), *op, child, grid),
        leaf => {
            // Beyond the sample limit the step-wise path reports the error, with its message.
            let limit = ev.params.max_samples;
            let (mut series, mut points) = (Vec::new(), 0usize);
            let ok = for_each_leaf_series(ev, leaf, grid, &mut |metric, values, present| {
                points = points.saturating_add(present.iter().filter(|&&p| p).count());
                if points <= limit {
                    series.push(BatchSeries {
                        metric: metric.clone(),
                        values: values.to_vec(),
                        present: present.to_vec(),
                        rank: Vec::new(),
                    });
                }
            })?;
            Ok((ok && points <= limit).then_some(Batch { grid, series }))
        }
    }
}

/// Calls `f` with each series of a selector or range function, in the order the step-wise
/// path produces them, with its values on the grid. Returns false (having called nothing)
/// when the step-wise path must evaluate the node.
fn for_each_leaf_series(ev: &mut Evaluator<'_>, plan: &Plan<'_>, grid: Grid, f: &mut SeriesSink<'_>) -> Result<bool> {
    let mut values = vec![0.0; grid.n];
    let mut present = vec![false; grid.n];
    match plan {
        Plan::Selector(vs) => {
            let lookback = ev.params.lookback;
            let sel = ev.select_for_batch(vs, lookback)?;
            let refs: Vec<i64> = (0..grid.n).map(|i| ev.ref_time(vs, grid.ts(i))).collect();
            for (k, s) in sel.iter().enumerate() {
                if k % 256 == 0 {
                    ev.check_deadline()?;
                }
                instant_values(&s.samples, &refs, lookback, &mut values, &mut present);
                if present.iter().any(|&p| p) {
                    f(&s.metric, &values, &present);
                }
            }
            Ok(true)
        }
        Plan::RangeFunction(name, arg) => {
            let range = arg.range_ms();
            let sel = match *arg {
                RangeArg::Selector(ms) => ev.select_for_batch(&ms.vs, range)?,
                RangeArg::Subquery(sq) => ev.subquery_series(sq)?,
            };
            let keep_name = matches!(*name, "last_over_time" | "first_over_time");
            if !keep_name && !ev.range_unnamed_unique(*arg)? {
                return Ok(false);
            }
            let refs: Vec<i64> = (0..grid.n).map(|i| ev.range_end(*arg, grid.ts(i))).collect();
            let counter_check = matches!(*name, "rate" | "increase");
            let mut points: Vec<Point> = Vec::new();
            for (k, s) in sel.iter().enumerate() {
                if k % 256 == 0 {
                    ev.check_deadline()?;
                }
                points.clear();
                points.extend(
                    s.samples
                        .iter()
                        .filter(|x| !is_stale_nan(x.value))
                        .map(|x| Point { t: x.timestamp_ms, v: x.value }),
                );
                let any = range_values(name, &points, &refs, range, grid, &mut values, &mut present)?;
                if any && counter_check {
                    if let Some(n) = non_counter_name(s) {
                        ev.annotations.possible_non_counter(n);
                    }
                }
                if present.iter().any(|&p| p) {
                    f(if keep_name { &s.metric } else { s.metric_without_name() }, &values, &present);
                }
            }
            Ok(true)
        }
        Plan::Aggregate(..) => Ok(false),
    }
}

/// An instant selector's value at each reference time: the latest sample at or before it and
/// after `ref - lookback`, unless that sample is a staleness marker. `refs` never decrease.
fn instant_values(
    samples: &[pharos_protocol::Sample],
    refs: &[i64],
    lookback: i64,
    values: &mut [f64],
    present: &mut [bool],
) {
    let mut next = 0; // samples[..next] are at or before the current reference time
    for (i, &r) in refs.iter().enumerate() {
        while next < samples.len() && samples[next].timestamp_ms <= r {
            next += 1;
        }
        present[i] = false;
        if let Some(s) = next.checked_sub(1).map(|j| &samples[j]) {
            if s.timestamp_ms > r.saturating_sub(lookback) && !is_stale_nan(s.value) {
                values[i] = s.value;
                present[i] = true;
            }
        }
    }
}

/// A range function's value at each reference time over the left-open window `(ref - range,
/// ref]` of `points` (staleness markers removed). Returns whether any window had points.
fn range_values(
    name: &str,
    points: &[Point],
    refs: &[i64],
    range: i64,
    grid: Grid,
    values: &mut [f64],
    present: &mut [bool],
) -> Result<bool> {
    let (mut lo, mut hi) = (0, 0);
    let mut any = false;
    let range_secs = range as f64 / 1000.0;
    // Counter resets before each point (pairs `k-1, k` with a drop, for `k` up to the index):
    // a window without any skips the per-point scan of `rate` and `increase`.
    let counter = matches!(name, "rate" | "increase");
    let mut resets_before: Vec<u32> = Vec::new();
    if counter {
        resets_before.reserve(points.len() + 1);
        let mut count = 0u32;
        resets_before.push(0);
        for k in 0..points.len() {
            if k > 0 && points[k].v < points[k - 1].v {
                count += 1;
            }
            resets_before.push(count);
        }
    }
    for (i, &r) in refs.iter().enumerate() {
        let start = r.saturating_sub(range);
        while lo < points.len() && points[lo].t <= start {
            lo += 1;
        }
        hi = hi.max(lo);
        while hi < points.len() && points[hi].t <= r {
            hi += 1;
        }
        present[i] = false;
        if lo < hi {
            any = true;
            let window = RateWindow { start, end: r, range_secs };
            let value = if counter {
                // Drops between consecutive points of the window: pairs ending at lo+1 ..= hi-1.
                let may_reset = resets_before[hi] > resets_before[lo + 1];
                extrapolated_rate_with(&points[lo..hi], &window, true, name == "rate", may_reset)
            } else {
                range_function_value(name, &points[lo..hi], &window, grid.ts(i), f64::NAN, f64::NAN)?
            };
            if let Some(v) = value {
                values[i] = v;
                present[i] = true;
            }
        }
    }
    Ok(any)
}

/// A simple aggregation of `child` at every step, folding the child's series one at a time.
fn aggregate(
    ev: &mut Evaluator<'_>,
    modifier: Option<&LabelModifier>,
    op: TokenId,
    child: &Plan<'_>,
    grid: Grid,
) -> Result<Option<Batch>> {
    let n = grid.n;
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut metrics: Vec<Metric> = Vec::new();
    // Per (group, step): the accumulator, and the input position of its first member.
    let mut state: Vec<Option<(Group, u32)>> = Vec::new();
    let mut too_many = false;
    let empty = Metric::default();
    // The group of an input series, growing the state by a row for a new group; `None` once
    // there would be too many accumulators.
    let mut group_of = |metric: &Metric, state: &mut Vec<Option<(Group, u32)>>| -> Option<usize> {
        let g = *keys.entry(group_key(metric, modifier)).or_insert_with(|| {
            metrics.push(group_labels(metric, modifier));
            metrics.len() - 1
        });
        if (g + 1).saturating_mul(n) > MAX_ACCUMULATORS {
            return None;
        }
        if state.len() < (g + 1) * n {
            state.resize_with((g + 1) * n, || None);
        }
        Some(g)
    };
    let add = |slot: &mut Option<(Group, u32)>, v: f64, position: u32| match slot {
        Some((acc, _)) => acc.add(op, v),
        None => *slot = Some((Group::start(op, empty.clone(), v), position)),
    };
    let ok = match child {
        Plan::Aggregate(..) => match evaluate(ev, child, grid)? {
            Some(batch) => {
                // The child's groups reach this aggregation in a per-step order (see `rank`),
                // so fold step by step in that order.
                let gids: Vec<Option<usize>> = batch.series.iter().map(|s| group_of(&s.metric, &mut state)).collect();
                if gids.iter().any(Option::is_none) {
                    too_many = true;
                } else {
                    for i in 0..n {
                        for (position, k) in batch.step_order(i).into_iter().enumerate() {
                            let g = gids[k].unwrap_or_default();
                            add(&mut state[g * n + i], batch.series[k].values[i], position as u32);
                        }
                    }
                }
                true
            }
            None => false,
        },
        leaf => {
            // Series arrive in input order, so the first member to create a slot has the lowest
            // position at that step.
            let mut position = 0u32;
            let mut fold = |metric: &Metric, values: &[f64], present: &[bool]| {
                let k = position;
                position += 1;
                if too_many {
                    return;
                }
                let Some(g) = group_of(metric, &mut state) else {
                    too_many = true;
                    return;
                };
                let row = &mut state[g * n..(g + 1) * n];
                for i in 0..n {
                    if present[i] {
                        add(&mut row[i], values[i], k);
                    }
                }
            };
            for_each_leaf_series(ev, leaf, grid, &mut fold)?
        }
    };
    if !ok || too_many {
        return Ok(None);
    }
    let series = metrics
        .into_iter()
        .enumerate()
        .map(|(g, metric)| {
            let row = &state[g * n..((g + 1) * n).min(state.len())];
            let mut values = vec![0.0; n];
            let mut present = vec![false; n];
            let mut rank = vec![u32::MAX; n];
            for (i, slot) in row.iter().enumerate() {
                if let Some((acc, first)) = slot {
                    values[i] = acc.finish(op);
                    present[i] = true;
                    rank[i] = *first;
                }
            }
            BatchSeries { metric, values, present, rank }
        })
        .collect();
    Ok(Some(Batch { grid, series }))
}
