//! Subqueries (`expr[range:step]`, with optional `offset` and `@`), as in Prometheus'
//! `evaluator.eval` for `SubqueryExpr`.
//!
//! The inner expression is evaluated as a range query at steps aligned to absolute multiples of
//! the subquery step: for a reference time `t` (the step, or the `@` time, minus the offset),
//! the points are those at multiples of the step in the left-open window `(t - range, t]`.
//! Because the grid is absolute, the inner expression is evaluated once per query over the
//! union of every outer step's window and the result is cached; each outer step then slices its
//! window out of it, exactly like a range selector slices loaded samples.

use super::error::{PromqlError, Result};
use super::eval::{Evaluator, StepValue};
use super::selector::{at_ms, duration_ms, offset_ms, LoadedSeries};
use super::value::Metric;
use pharos_protocol::Sample;
use promql_parser::parser::{MatrixSelector, SubqueryExpr, VectorSelector};
use std::collections::HashMap;
use std::rc::Rc;

/// Step of a subquery written without one (`x[5m:]`) when the engine has no other setting:
/// Prometheus uses the global evaluation interval, 1m by default.
pub(crate) const DEFAULT_SUBQUERY_STEP_MS: i64 = 60_000;

/// The range-vector argument of a function: a range selector or a subquery.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RangeArg<'e> {
    /// `selector[range]`.
    Selector(&'e MatrixSelector),
    /// `expr[range:step]`.
    Subquery(&'e SubqueryExpr),
}

impl<'e> RangeArg<'e> {
    /// The window length in milliseconds.
    pub(crate) fn range_ms(&self) -> i64 {
        match self {
            RangeArg::Selector(ms) => duration_ms(&ms.range),
            RangeArg::Subquery(sq) => duration_ms(&sq.range),
        }
    }

    /// The vector selector of a range selector (`None` for a subquery).
    pub(crate) fn selector(&self) -> Option<&'e VectorSelector> {
        match self {
            RangeArg::Selector(ms) => Some(&ms.vs),
            RangeArg::Subquery(_) => None,
        }
    }
}

/// The first step of a subquery window: the smallest multiple of `step` strictly greater than
/// `window_start` (the window is left-open). `step` must be positive.
pub(crate) fn first_step(window_start: i64, step: i64) -> i64 {
    window_start.div_euclid(step).saturating_add(1).saturating_mul(step)
}

/// The step of a subquery in milliseconds (its own, or `default` when written without one).
fn subquery_step(sq: &SubqueryExpr, default: i64) -> Result<i64> {
    let step = sq.step.as_ref().map(duration_ms).unwrap_or(default);
    if step <= 0 {
        return Err(PromqlError::exec("subquery step must be positive"));
    }
    Ok(step)
}

impl Evaluator<'_> {
    /// The reference time (end of the window) of a subquery at step `ts`.
    pub(crate) fn subquery_ref_time(&self, sq: &SubqueryExpr, ts: i64) -> i64 {
        at_ms(&sq.at, self.params.start, self.params.end).unwrap_or(ts).saturating_sub(offset_ms(&sq.offset))
    }

    /// The points of a subquery for every step the query may evaluate it at, as loaded series
    /// (evaluated on first use, then cached).
    pub(crate) fn subquery_series(&mut self, sq: &SubqueryExpr) -> Result<Rc<Vec<LoadedSeries>>> {
        let key = sq as *const SubqueryExpr as usize;
        if let Some(sel) = self.subqueries.get(&key) {
            return Ok(sel.clone());
        }
        let step = subquery_step(sq, self.params.subquery_step)?;
        let range = duration_ms(&sq.range);
        let offset = offset_ms(&sq.offset);
        let (ref_lo, ref_hi) = match at_ms(&sq.at, self.params.start, self.params.end) {
            Some(at) => (at.saturating_sub(offset), at.saturating_sub(offset)),
            None => (self.bounds.0.saturating_sub(offset), self.bounds.1.saturating_sub(offset)),
        };
        let first = first_step(ref_lo.saturating_sub(range), step);
        let mut series: Vec<(Metric, Vec<Sample>)> = Vec::new();
        if first <= ref_hi {
            let outer_bounds = std::mem::replace(&mut self.bounds, (first, ref_hi));
            let result = self.eval_subquery_steps(sq, first, ref_hi, step, &mut series);
            self.bounds = outer_bounds;
            result?;
        }
        series.sort_by(|a, b| a.0.cmp(&b.0));
        let loaded: Vec<LoadedSeries> = series.into_iter().map(|(m, s)| LoadedSeries::new(m, s)).collect();
        let sel = Rc::new(loaded);
        self.subqueries.insert(key, sel.clone());
        Ok(sel)
    }

    /// Evaluates the inner expression of `sq` at `first, first + step, ..., <= last`, appending
    /// the points to `out` by series.
    fn eval_subquery_steps(
        &mut self,
        sq: &SubqueryExpr,
        first: i64,
        last: i64,
        step: i64,
        out: &mut Vec<(Metric, Vec<Sample>)>,
    ) -> Result<()> {
        self.precompute(&sq.expr, first, last, step)?;
        if let Some(batch) = self.take_precomputed(&sq.expr)? {
            // Evaluated series by series already: take its points as they are.
            for (metric, samples) in batch.into_samples() {
                self.loaded_samples = self.loaded_samples.saturating_add(samples.len());
                out.push((metric, samples));
            }
            return self.check_samples(0);
        }
        let mut index: HashMap<Metric, usize> = HashMap::new();
        let mut t = first;
        while t <= last {
            self.check_deadline()?;
            let samples = match self.eval(&sq.expr, t)? {
                StepValue::Vector(v) => v.into_iter().map(|s| (s.metric, s.v)).collect(),
                StepValue::Scalar(v) => vec![(Metric::default(), v)],
                other => {
                    return Err(PromqlError::exec(format!(
                        "subquery is only allowed on instant vector, got {}",
                        other.type_name()
                    )))
                }
            };
            self.loaded_samples = self.loaded_samples.saturating_add(samples.len());
            self.check_samples(0)?;
            for (metric, v) in samples {
                let i = *index.entry(metric.clone()).or_insert_with(|| {
                    out.push((metric, Vec::new()));
                    out.len() - 1
                });
                out[i].1.push(Sample { timestamp_ms: t, value: v });
            }
            t = match t.checked_add(step) {
                Some(next) => next,
                None => break,
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::first_step;
    use crate::promql::{Engine, EngineOptions, Value};
    use crate::storage::memory::MemoryStorage;
    use std::sync::Arc;

    #[test]
    fn first_step_is_the_smallest_multiple_after_the_window_start() {
        // Not on a multiple: the next multiple.
        assert_eq!(first_step(150, 100), 200);
        assert_eq!(first_step(1, 60_000), 60_000);
        // On a multiple: the window is left-open, so that step is excluded.
        assert_eq!(first_step(200, 100), 300);
        assert_eq!(first_step(0, 100), 100);
    }

    #[test]
    fn first_step_before_the_epoch() {
        assert_eq!(first_step(-150, 100), -100);
        assert_eq!(first_step(-200, 100), -100);
        assert_eq!(first_step(-250, 100), -200);
        assert_eq!(first_step(-1, 100), 0);
    }

    /// The points of an instant query's matrix (one series expected), as (t, v).
    fn points(q: &str, t: i64) -> Vec<(i64, f64)> {
        let engine = Engine::new(Arc::new(MemoryStorage::new()), EngineOptions::default());
        match engine.instant_query(q, t) {
            Ok(Value::Matrix(m)) if m.len() == 1 => m[0].points.iter().map(|p| (p.t, p.v)).collect(),
            other => panic!("{q}: expected one series, got {other:?}"),
        }
    }

    #[test]
    fn subquery_steps_are_aligned_to_absolute_multiples() {
        // Window (5s, 65s]: 20s, 40s, 60s.
        assert_eq!(points("vector(time())[1m:20s]", 65_000), vec![(20_000, 20.0), (40_000, 40.0), (60_000, 60.0)]);
        // Window (0s, 60s]: the step at 0s is excluded, 60s included.
        assert_eq!(points("vector(time())[1m:20s]", 60_000), vec![(20_000, 20.0), (40_000, 40.0), (60_000, 60.0)]);
        // Offset moves the window to (-5s, 55s].
        assert_eq!(points("vector(time())[1m:20s] offset 10s", 65_000), vec![(0, 0.0), (20_000, 20.0), (40_000, 40.0)]);
        // `@` fixes it at (70s, 130s].
        assert_eq!(points("vector(time())[1m:20s] @ 130", 0), vec![(80_000, 80.0), (100_000, 100.0), (120_000, 120.0)]);
        // Without a step, the default 1m: window (0s, 3m].
        assert_eq!(points("vector(time())[3m:]", 185_000).len(), 3);
    }

    #[test]
    fn subqueries_feed_range_functions_and_nest() {
        let engine = Engine::new(Arc::new(MemoryStorage::new()), EngineOptions::default());
        let eval = |q: &str, t: i64| match engine.instant_query(q, t) {
            Ok(Value::Vector(v)) if v.len() == 1 => v[0].v,
            other => panic!("{q}: expected one sample, got {other:?}"),
        };
        assert_eq!(eval("max_over_time(vector(time())[1m:20s])", 65_000), 60.0);
        assert_eq!(eval("count_over_time(vector(time())[1m:20s])", 65_000), 3.0);
        // Inner windows at 30s and 60s: (0, 30] and (30, 60] in 10s steps, 3 points each.
        assert_eq!(eval("sum_over_time(count_over_time(vector(1)[30s:10s])[1m:30s])", 60_000), 6.0);
        // A range query gives the same as instant queries at each step.
        let range = engine.range_query("max_over_time(vector(time())[1m:20s])", 0, 120_000, 15_000);
        let Ok(Value::Matrix(m)) = range else { panic!("range query failed: {range:?}") };
        for p in &m[0].points {
            assert_eq!(p.v, eval("max_over_time(vector(time())[1m:20s])", p.t), "at {}", p.t);
        }
    }

    #[test]
    fn first_step_does_not_overflow() {
        assert!(first_step(i64::MAX - 5, 100) >= i64::MAX - 5 - 100);
        assert_eq!(first_step(i64::MIN, 1), i64::MIN + 1);
    }
}
