//! The evaluator: walks the parsed AST at one evaluation timestamp, the way Prometheus'
//! `evaluator.eval` does for one step.
//!
//! A range query runs the evaluator once per step; selectors load their data from storage only
//! once for the whole query (see [`super::selector`]), so the per-step cost is in-memory work.

use super::annotations::Annotations;
use super::error::{PromqlError, Result};
use super::selector::{at_ms, offset_ms, selector_matchers, LoadedSeries};
use super::subquery::RangeArg;
use super::value::{has_duplicate_labelsets, InstantSample, LabelCaches, Matrix, Point, RangeSeries, Vector};
use super::{aggregations, functions, operators};
use crate::storage::Storage;
use promql_parser::parser::{Expr, VectorSelector};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

/// Message for a step result that holds two series with the same labels.
pub(crate) const DUPLICATE_LABELSET_MSG: &str = "vector cannot contain metrics with the same labelset";

/// The value of an expression at one step.
#[derive(Debug, Clone)]
pub(crate) enum StepValue {
    /// A number.
    Scalar(f64),
    /// A string literal.
    String(String),
    /// An instant vector; sample timestamps are the step time.
    Vector(Vector),
    /// A range vector (only from a bare range selector at the top of an instant query).
    Matrix(Matrix),
}

impl StepValue {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            StepValue::Scalar(_) => "scalar",
            StepValue::String(_) => "string",
            StepValue::Vector(_) => "instant vector",
            StepValue::Matrix(_) => "range vector",
        }
    }
}

/// Settings of one query evaluation.
pub(crate) struct EvalParams {
    /// Query start, milliseconds (equal to `end` for instant queries).
    pub start: i64,
    /// Query end, milliseconds.
    pub end: i64,
    /// Lookback delta, milliseconds.
    pub lookback: i64,
    /// When the query must give up.
    pub deadline: Instant,
    /// Most samples the query may hold in memory.
    pub max_samples: usize,
    /// Step of subqueries written without one, milliseconds.
    pub subquery_step: i64,
}

/// Evaluates one query; holds the data loaded for its selectors.
pub(crate) struct Evaluator<'a> {
    storage: &'a dyn Storage,
    pub(super) params: EvalParams,
    /// Samples loaded from storage so far (and subquery points), checked against `max_samples`.
    pub(super) loaded_samples: usize,
    /// First and last time the expression being evaluated may be evaluated at: the query's
    /// range, widened inside subqueries. Selectors load data for this span.
    pub(super) bounds: (i64, i64),
    /// Evaluated subqueries per node (see [`super::subquery`]), keyed like `selections`.
    pub(super) subqueries: HashMap<usize, Rc<Vec<LoadedSeries>>>,
    /// Loaded series per selector node. Keyed by the node's address: the AST is borrowed
    /// immutably for the whole evaluation, so addresses are stable and unique per node.
    /// `Rc`: the loaded series carry lookup hints in `Cell`s, and a query runs on one thread.
    selections: HashMap<usize, Rc<Vec<LoadedSeries>>>,
    /// Reused buffer for range lookups.
    points_buf: Vec<Point>,
    /// Label sets derived from others (name dropped, join signatures), shared across steps.
    pub(crate) caches: LabelCaches,
    /// Warnings and infos collected so far.
    pub(crate) annotations: Annotations,
    /// Whether a range argument's series stay distinct once their names are dropped, keyed like
    /// `selections`: then the results of range functions over it need no duplicate check.
    unnamed_unique: HashMap<usize, bool>,
    /// Selections referenced by address in `unnamed_unique`.
    keep_alive: Vec<Rc<Vec<LoadedSeries>>>,
    /// Results of subtrees evaluated series by series for a whole grid of steps (see
    /// [`super::batch`]), keyed by node address like `selections`.
    pub(crate) precomputed: HashMap<usize, Rc<super::batch::Batch>>,
    /// Whether [`super::batch`] may evaluate subtrees series by series.
    pub(crate) use_batch: bool,
    /// Group assignments per aggregation node (keyed by its address, like `selections`).
    pub(crate) groupings: HashMap<usize, aggregations::Grouping>,
}

impl<'a> Evaluator<'a> {
    /// A fresh evaluator.
    pub(crate) fn new(storage: &'a dyn Storage, params: EvalParams) -> Self {
        Evaluator {
            storage,
            bounds: (params.start, params.end),
            params,
            loaded_samples: 0,
            subqueries: HashMap::new(),
            selections: HashMap::new(),
            points_buf: Vec::new(),
            caches: LabelCaches::default(),
            annotations: Annotations::default(),
            groupings: HashMap::new(),
            precomputed: HashMap::new(),
            use_batch: true,
            unnamed_unique: HashMap::new(),
            keep_alive: Vec::new(),
        }
    }

    /// Whether this is a range query (more than one step).
    pub(crate) fn is_range_query(&self) -> bool {
        self.params.start != self.params.end
    }

    /// Fails once the query's deadline has passed.
    pub(crate) fn check_deadline(&self) -> Result<()> {
        if Instant::now() >= self.params.deadline {
            return Err(PromqlError::Timeout("expression evaluation".into()));
        }
        Ok(())
    }

    /// Counts `n` more samples held in memory (beyond loaded data), failing past the limit.
    pub(crate) fn check_samples(&self, n: usize) -> Result<()> {
        if self.loaded_samples.saturating_add(n) > self.params.max_samples {
            return Err(PromqlError::TooManySamples);
        }
        Ok(())
    }

    /// Evaluates `expr` at step time `ts` (milliseconds).
    pub(crate) fn eval(&mut self, expr: &Expr, ts: i64) -> Result<StepValue> {
        if !self.precomputed.is_empty() {
            if let Some(v) = self.precomputed.get(&(expr as *const Expr as usize)).and_then(|b| b.vector_at(ts)) {
                return Ok(StepValue::Vector(v));
            }
        }
        match expr {
            Expr::NumberLiteral(n) => Ok(StepValue::Scalar(n.val)),
            Expr::StringLiteral(s) => Ok(StepValue::String(s.val.clone())),
            Expr::Paren(p) => self.eval(&p.expr, ts),
            Expr::Unary(u) => match self.eval(&u.expr, ts)? {
                StepValue::Scalar(v) => Ok(StepValue::Scalar(-v)),
                StepValue::Vector(v) => {
                    let out: Vector = v
                        .into_iter()
                        .map(|s| InstantSample { metric: self.caches.drop_name(&s.metric), t: s.t, v: -s.v })
                        .collect();
                    check_duplicates(&out)?;
                    Ok(StepValue::Vector(out))
                }
                other => Err(PromqlError::exec(format!("unary minus is not defined on {}", other.type_name()))),
            },
            Expr::VectorSelector(vs) => {
                let mut v = self.instant_vector(vs, ts)?;
                // Prometheus reports the evaluation time, not the sample's own timestamp.
                v.iter_mut().for_each(|s| s.t = ts);
                Ok(StepValue::Vector(v))
            }
            Expr::MatrixSelector(ms) => Ok(StepValue::Matrix(self.matrix(RangeArg::Selector(ms), ts)?)),
            Expr::Binary(b) => operators::eval_binary(self, b, ts),
            Expr::Aggregate(a) => aggregations::eval_aggregate(self, a, ts),
            Expr::Call(c) => functions::eval_call(self, c, ts),
            Expr::Subquery(sq) => Ok(StepValue::Matrix(self.matrix(RangeArg::Subquery(sq), ts)?)),
            Expr::Extension(_) => Err(PromqlError::unsupported("extension expressions")),
        }
    }

    /// Evaluates an expression the parser has typed as an instant vector.
    pub(crate) fn eval_vector(&mut self, expr: &Expr, ts: i64) -> Result<Vector> {
        match self.eval(expr, ts)? {
            StepValue::Vector(v) => Ok(v),
            other => Err(PromqlError::exec(format!("expected instant vector, got {}", other.type_name()))),
        }
    }

    /// Evaluates an expression the parser has typed as a scalar.
    pub(crate) fn eval_scalar(&mut self, expr: &Expr, ts: i64) -> Result<f64> {
        match self.eval(expr, ts)? {
            StepValue::Scalar(v) => Ok(v),
            other => Err(PromqlError::exec(format!("expected scalar, got {}", other.type_name()))),
        }
    }

    /// Loads (once per query) the series a selector needs to cover every step, with `window`
    /// milliseconds of history before the earliest reference time.
    fn select(&mut self, vs: &VectorSelector, window: i64) -> Result<Rc<Vec<LoadedSeries>>> {
        let key = vs as *const VectorSelector as usize;
        if let Some(sel) = self.selections.get(&key) {
            return Ok(sel.clone());
        }
        self.check_deadline()?;
        let offset = offset_ms(&vs.offset);
        let (first_ref, last_ref) = match at_ms(&vs.at, self.params.start, self.params.end) {
            Some(at) => (at.saturating_sub(offset), at.saturating_sub(offset)),
            None => (self.bounds.0.saturating_sub(offset), self.bounds.1.saturating_sub(offset)),
        };
        // Windows are left-open, so the sample at exactly `first_ref - window` is never needed.
        let lo = first_ref.saturating_sub(window).saturating_add(1);
        let sets = selector_matchers(vs)?;
        let mut series = Vec::new();
        for set in &sets {
            for s in self.storage.select(set, lo, last_ref)? {
                self.loaded_samples = self.loaded_samples.saturating_add(s.samples.len());
                if self.loaded_samples > self.params.max_samples {
                    return Err(PromqlError::TooManySamples);
                }
                series.push(s);
            }
        }
        if sets.len() > 1 || !series.is_sorted_by(|a, b| a.labels < b.labels) {
            // Several `or` alternatives may select the same series; keep it once, in label order.
            series.sort_by(|a, b| a.labels.cmp(&b.labels));
            series.dedup_by(|a, b| a.labels == b.labels);
        }
        let loaded: Vec<LoadedSeries> = series
            .into_iter()
            .map(|s| {
                let mut samples = s.samples;
                // The trait promises time order; checking is cheap insurance.
                if !samples.is_sorted_by_key(|x| x.timestamp_ms) {
                    samples.sort_by_key(|x| x.timestamp_ms);
                }
                LoadedSeries::new(Arc::new(s.labels), samples)
            })
            .collect();
        let sel = Rc::new(loaded);
        self.selections.insert(key, sel.clone());
        Ok(sel)
    }

    /// [`Evaluator::select`] for [`super::batch`].
    pub(crate) fn select_for_batch(&mut self, vs: &VectorSelector, window: i64) -> Result<Rc<Vec<LoadedSeries>>> {
        self.select(vs, window)
    }

    /// Evaluates the hot subtrees of `expr` series by series on the grid `start..=end` by `step`
    /// (see [`super::batch`]); a no-op when batching is off or the grid has one step.
    pub(crate) fn precompute(&mut self, expr: &Expr, start: i64, end: i64, step: i64) -> Result<()> {
        match super::batch::Grid::new(start, end, step) {
            Some(grid) if self.use_batch => super::batch::precompute(self, expr, grid),
            _ => Ok(()),
        }
    }

    /// Takes the series-major result of `expr` out of [`Evaluator::precomputed`], if any: the
    /// caller wants the whole of it (a range query's result, a subquery's points).
    pub(crate) fn take_precomputed(&mut self, expr: &Expr) -> Result<Option<super::batch::Batch>> {
        match self.precomputed.remove(&(expr as *const Expr as usize)) {
            None => Ok(None),
            Some(batch) => Rc::try_unwrap(batch)
                .map(Some)
                .map_err(|_| PromqlError::Internal("precomputed result still shared".into())),
        }
    }

    /// The reference time of a selector at step `ts`: the step (or its `@` time) minus the offset.
    pub(crate) fn ref_time(&self, vs: &VectorSelector, ts: i64) -> i64 {
        at_ms(&vs.at, self.params.start, self.params.end).unwrap_or(ts).saturating_sub(offset_ms(&vs.offset))
    }

    /// An instant vector selector at step `ts`; sample timestamps are the samples' own.
    pub(crate) fn instant_vector(&mut self, vs: &VectorSelector, ts: i64) -> Result<Vector> {
        let lookback = self.params.lookback;
        let sel = self.select(vs, lookback)?;
        let ref_time = self.ref_time(vs, ts);
        Ok(sel
            .iter()
            .filter_map(|s| {
                s.instant(ref_time, lookback).map(|(t, v)| InstantSample { metric: s.metric.clone(), t, v })
            })
            .collect())
    }

    /// The end of a range argument's window at step `ts` (its reference time).
    pub(crate) fn range_end(&self, arg: RangeArg<'_>, ts: i64) -> i64 {
        match arg {
            RangeArg::Selector(ms) => self.ref_time(&ms.vs, ts),
            RangeArg::Subquery(sq) => self.subquery_ref_time(sq, ts),
        }
    }

    /// Calls `f` with each series of a range selector or subquery at step `ts` that has at least
    /// one point.
    pub(crate) fn for_each_range(
        &mut self,
        arg: RangeArg<'_>,
        ts: i64,
        mut f: impl FnMut(&LoadedSeries, &[Point]) -> Result<()>,
    ) -> Result<()> {
        let range = arg.range_ms();
        let sel = match arg {
            RangeArg::Selector(ms) => self.select(&ms.vs, range)?,
            RangeArg::Subquery(sq) => self.subquery_series(sq)?,
        };
        let ref_time = self.range_end(arg, ts);
        let mut buf = std::mem::take(&mut self.points_buf);
        let mut result = Ok(());
        for s in sel.iter() {
            s.range(ref_time, range, &mut buf);
            if !buf.is_empty() {
                result = f(s, &buf);
                if result.is_err() {
                    break;
                }
            }
        }
        self.points_buf = buf;
        result
    }

    /// Whether the series of a range argument are still pairwise distinct without their metric
    /// names (computed once per query): any subset of them then is too.
    pub(crate) fn range_unnamed_unique(&mut self, arg: RangeArg<'_>) -> Result<bool> {
        let sel = match arg {
            RangeArg::Selector(ms) => self.select(&ms.vs, arg.range_ms())?,
            RangeArg::Subquery(sq) => self.subquery_series(sq)?,
        };
        let key = Rc::as_ptr(&sel) as usize;
        if let Some(&unique) = self.unnamed_unique.get(&key) {
            return Ok(unique);
        }
        let mut seen = std::collections::HashSet::with_capacity(sel.len());
        let unique = sel.iter().all(|s| seen.insert(s.metric_without_name().clone()));
        // Keep the selection alive as long as the entry, so its address is not reused.
        self.unnamed_unique.insert(key, unique);
        self.keep_alive.push(sel);
        Ok(unique)
    }

    /// A range selector or subquery evaluated at step `ts` as a value of its own.
    fn matrix(&mut self, arg: RangeArg<'_>, ts: i64) -> Result<Matrix> {
        let mut out = Vec::new();
        self.for_each_range(arg, ts, |s, points| {
            out.push(RangeSeries { metric: s.metric.clone(), points: points.to_vec() });
            Ok(())
        })?;
        Ok(out)
    }

    /// The range selector or subquery at the heart of a range-vector function argument, looking
    /// through parentheses.
    pub(crate) fn matrix_arg<'e>(&self, expr: &'e Expr) -> Result<RangeArg<'e>> {
        match expr {
            Expr::MatrixSelector(ms) => Ok(RangeArg::Selector(ms)),
            Expr::Paren(p) => self.matrix_arg(&p.expr),
            Expr::Subquery(sq) => Ok(RangeArg::Subquery(sq)),
            _ => Err(PromqlError::exec("expected a range vector selector")),
        }
    }
}

/// Fails if a step result holds two series with the same labels (Prometheus' check after
/// operations that drop the metric name).
pub(crate) fn check_duplicates(v: &[InstantSample]) -> Result<()> {
    if has_duplicate_labelsets(v) {
        return Err(PromqlError::exec(DUPLICATE_LABELSET_MSG));
    }
    Ok(())
}
