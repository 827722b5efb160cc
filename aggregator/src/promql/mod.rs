//! The PromQL engine, laid out like Prometheus' `promql` package: parsing is done by the
//! `promql-parser` crate; this module evaluates its AST against a [`Storage`] with Prometheus 3.x
//! semantics (left-open lookback and range windows, staleness markers, extrapolated rates).
//!
//! - [`Engine`] — query entry points: [`Engine::instant_query`] and [`Engine::range_query`].
//! - [`value`] — result values: scalars, strings, instant vectors, matrices.
//! - `eval` — the AST walker, one evaluation step at a time; `selector` — series selection.
//! - `operators`, `aggregations`, `functions` — the language's operations.
//! - [`error`] — [`PromqlError`], which maps onto the HTTP API's error types.
//! - [`promqltest`] — a runner for upstream's promqltest scripts (unit tests, conformance).
//!
//! Range queries evaluate the expression once per step, reading storage only once per selector.
//! Queries run on a dedicated thread with a large stack (evaluation recurses per AST level), and
//! are refused beyond [`MAX_QUERY_BYTES`], [`MAX_OPERATORS`] and [`MAX_EXPR_DEPTH`].
//!
//! Supported: literals, unary minus, selectors with all matcher kinds (`or` alternatives too),
//! `offset`, `@`; arithmetic, comparison (with `bool`) and set operators with `on`/`ignoring`
//! and `group_left`/`group_right` matching; every aggregation; every function of Prometheus'
//! reference over float samples (classic-histogram `histogram_quantile`/`histogram_fraction`,
//! `double_exponential_smoothing`, and the experimental `histogram_quantiles`, `mad_over_time`,
//! `ts_of_*_over_time`); subqueries (`expr[range:step]` with `offset`/`@`, see `subquery`);
//! Prometheus' warnings and infos ([`annotations`]).
//! Not yet (a "not supported yet" execution error): native histograms and the other
//! experimental functions.

mod aggregations;
pub mod annotations;
mod batch;
pub mod error;
mod eval;
mod functions;
mod operators;
pub mod promqltest;
mod selector;
mod subquery;
pub mod value;

#[cfg(test)]
mod tests;

pub use annotations::Annotations;
pub use error::{PromqlError, TOO_MANY_POINTS_MSG};
pub use selector::{parse_series_selector, selector_matchers};
pub use value::{InstantSample, Matrix, Metric, Point, RangeSeries, Value, ValueType, Vector};

use crate::storage::Storage;
use eval::{EvalParams, Evaluator, StepValue};
use promql_parser::parser::{value::ValueType as ParserValueType, Expr};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most steps a range query may have per series, as in Prometheus' HTTP API.
pub const MAX_POINTS_PER_SERIES: i64 = 11_000;

/// Engine-wide settings.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// How far back an instant selector looks for a sample, in milliseconds (Prometheus'
    /// `--query.lookback-delta`, default 5m).
    pub lookback_delta_ms: i64,
    /// Most samples a query may hold in memory (Prometheus' `--query.max-samples`).
    pub max_samples: usize,
    /// Longest a query may run (Prometheus' `--query.timeout`, default 2m).
    pub timeout: Duration,
    /// Step of subqueries written without one (`x[5m:]`), in milliseconds: Prometheus uses the
    /// global evaluation interval, default 1m.
    pub subquery_step_ms: i64,
    /// Evaluate the hot parts of range queries (range functions over selectors, simple
    /// aggregations) series by series over all steps instead of step by step. Same results;
    /// off only to compare the two paths in tests.
    pub series_major: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            lookback_delta_ms: 5 * 60 * 1000,
            max_samples: 50_000_000,
            timeout: Duration::from_secs(120),
            subquery_step_ms: subquery::DEFAULT_SUBQUERY_STEP_MS,
            series_major: true,
        }
    }
}

/// Per-query overrides of [`EngineOptions`] (the HTTP API's `lookback_delta` and `timeout`).
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Lookback delta in milliseconds; `None` or a value `<= 0` uses the engine's.
    pub lookback_delta_ms: Option<i64>,
    /// Timeout; `None` uses the engine's.
    pub timeout: Option<Duration>,
}

/// A query's result and the warnings and infos collected while evaluating it.
#[derive(Debug, Clone)]
pub struct QueryOutput {
    /// The result.
    pub value: Value,
    /// Warnings and infos (Prometheus' annotations).
    pub annotations: Annotations,
}

/// Longest query text accepted. Prometheus has no limit; this one bounds the stack the parser
/// needs and is far beyond any real query.
pub const MAX_QUERY_BYTES: usize = 256 * 1024;

/// Deepest expression tree accepted: evaluation recurses once per level, and `1+1+1+...` nests
/// as deep as it is long.
pub const MAX_EXPR_DEPTH: usize = 10_000;

/// Most operators (binary operators and matcher signs) a query may contain: the parser's cost
/// grows faster than quadratically with the length of an operator chain (10,000 `+` take it
/// close to a second), so longer chains are refused before parsing.
pub const MAX_OPERATORS: usize = 4096;

/// Stack of the threads that parse and evaluate queries. Parsing, evaluating and dropping an
/// expression all recurse per level of the tree; on an ordinary 2 MiB thread a query of a few
/// thousand `+1` would overflow the stack and abort the process. Only touched pages are used.
const QUERY_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `f` on a scoped thread with a stack large enough for any query within the limits above.
pub(crate) fn on_query_stack<T: Send>(f: impl FnOnce() -> Result<T, PromqlError> + Send) -> Result<T, PromqlError> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("promql".into())
            .stack_size(QUERY_STACK_BYTES)
            .spawn_scoped(scope, f)
            .map_err(|e| PromqlError::Internal(format!("cannot start a query thread: {e}")))?;
        handle.join().map_err(|_| PromqlError::Internal("query evaluation panicked".into()))?
    })
}

/// Parses a PromQL expression and checks it against [`MAX_QUERY_BYTES`] and
/// [`MAX_EXPR_DEPTH`]. Call on a thread with a large stack ([`on_query_stack`]); an expression
/// that passes is shallow enough to be dropped anywhere.
pub(crate) fn parse_checked(query: &str) -> Result<Expr, PromqlError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(PromqlError::BadData(format!(
            "query is {} bytes long, more than the {MAX_QUERY_BYTES} bytes supported",
            query.len()
        )));
    }
    if count_operators(query) > MAX_OPERATORS {
        return Err(PromqlError::BadData(format!("query has more than the {MAX_OPERATORS} operators supported")));
    }
    // The parser panics on some out-of-range numbers (e.g. `foo[1e400]`); that is bad input.
    let expr = std::panic::catch_unwind(|| promql_parser::parser::parse(query))
        .map_err(|_| PromqlError::Parse("the query holds a number or duration out of range".into()))?
        .map_err(PromqlError::Parse)?;
    let depth = expr_depth(&expr);
    if depth > MAX_EXPR_DEPTH {
        return Err(PromqlError::BadData(format!(
            "expression is nested {depth} levels deep, more than the {MAX_EXPR_DEPTH} supported"
        )));
    }
    Ok(expr)
}

/// Counts operator characters and keyword operators (`and`, `or`, `unless`, `atan2`) outside
/// string literals: an upper bound on the binary operators the parser will build.
fn count_operators(query: &str) -> usize {
    let mut count = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut word = String::new();
    let end_word = |word: &mut String, count: &mut usize| {
        if ["and", "or", "unless", "atan2"].iter().any(|k| word.eq_ignore_ascii_case(k)) {
            *count += 1;
        }
        word.clear();
    };
    for c in query.chars() {
        if let Some(q) = quote {
            // Backquoted strings have no escapes.
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        end_word(&mut word, &mut count);
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '+' | '-' | '*' | '/' | '%' | '^' | '<' | '>' | '=' | '!' => count += 1,
            _ => {}
        }
    }
    end_word(&mut word, &mut count);
    count
}

/// Calls `f` with each direct sub-expression of `e` (subquery bodies included; a range
/// selector's vector selector is part of the node, not a child).
pub(crate) fn for_each_child<'e>(e: &'e Expr, mut f: impl FnMut(&'e Expr)) {
    match e {
        Expr::Aggregate(a) => {
            f(&a.expr);
            a.param.iter().for_each(|p| f(p));
        }
        Expr::Unary(u) => f(&u.expr),
        Expr::Binary(b) => {
            f(&b.lhs);
            f(&b.rhs);
        }
        Expr::Paren(p) => f(&p.expr),
        Expr::Subquery(s) => f(&s.expr),
        Expr::Call(c) => c.args.args.iter().for_each(|a| f(a)),
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::VectorSelector(_)
        | Expr::MatrixSelector(_)
        | Expr::Extension(_) => {}
    }
}

/// The depth of an expression tree, computed without recursion.
fn expr_depth(expr: &Expr) -> usize {
    let mut max = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        for_each_child(e, |c| stack.push((c, d + 1)));
    }
    max
}

/// Parses a PromQL expression (on a large stack, within [`MAX_QUERY_BYTES`] and
/// [`MAX_EXPR_DEPTH`]).
pub fn parse(query: &str) -> Result<Expr, PromqlError> {
    on_query_stack(|| parse_checked(query))
}

/// Parses `query` and prints it back in Prometheus' pretty layout (the HTTP API's
/// `format_query`), on a large stack and within the parser limits.
pub fn format(query: &str) -> Result<String, PromqlError> {
    on_query_stack(|| {
        let expr = parse_checked(query)?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| expr.prettify()))
            .map_err(|_| PromqlError::Internal("the query could not be printed".into()))
    })
}

/// The PromQL engine: evaluates queries against a storage.
pub struct Engine {
    storage: Arc<dyn Storage>,
    opts: EngineOptions,
}

impl Engine {
    /// An engine over `storage`.
    pub fn new(storage: Arc<dyn Storage>, opts: EngineOptions) -> Self {
        Engine { storage, opts }
    }

    /// The engine's settings.
    pub fn options(&self) -> &EngineOptions {
        &self.opts
    }

    /// Evaluates `query` at `time_ms`.
    pub fn instant_query(&self, query: &str, time_ms: i64) -> Result<Value, PromqlError> {
        self.instant_query_with(query, time_ms, &QueryOptions::default()).map(|o| o.value)
    }

    /// Evaluates `query` at `time_ms` with per-query options; returns the annotations too.
    pub fn instant_query_with(&self, query: &str, time_ms: i64, qo: &QueryOptions) -> Result<QueryOutput, PromqlError> {
        on_query_stack(|| {
            let expr = parse_checked(query)?;
            let mut ev = Evaluator::new(self.storage.as_ref(), self.params(time_ms, time_ms, qo));
            let value = match ev.eval(&expr, time_ms)? {
                StepValue::Scalar(v) => Value::Scalar { t: time_ms, v },
                StepValue::String(v) => Value::String { t: time_ms, v },
                StepValue::Vector(v) => Value::Vector(v),
                StepValue::Matrix(m) => Value::Matrix(m),
            };
            Ok(QueryOutput { value, annotations: std::mem::take(&mut ev.annotations) })
        })
    }

    /// Evaluates `query` at every `step_ms` from `start_ms` to `end_ms` inclusive and returns a
    /// matrix sorted by labels (a scalar expression becomes one series without labels).
    pub fn range_query(&self, query: &str, start_ms: i64, end_ms: i64, step_ms: i64) -> Result<Value, PromqlError> {
        self.range_query_with(query, start_ms, end_ms, step_ms, &QueryOptions::default()).map(|o| o.value)
    }

    /// [`Engine::range_query`] with per-query options; returns the annotations too.
    pub fn range_query_with(
        &self,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
        qo: &QueryOptions,
    ) -> Result<QueryOutput, PromqlError> {
        validate_range(start_ms, end_ms, step_ms)?;
        on_query_stack(|| self.eval_range(query, start_ms, end_ms, step_ms, qo))
    }

    fn eval_range(
        &self,
        query: &str,
        start_ms: i64,
        end_ms: i64,
        step_ms: i64,
        qo: &QueryOptions,
    ) -> Result<QueryOutput, PromqlError> {
        let expr = parse_checked(query)?;
        let vt = expr.value_type();
        if vt != ParserValueType::Vector && vt != ParserValueType::Scalar {
            let name = match vt {
                ParserValueType::Matrix => "range vector",
                _ => "string",
            };
            return Err(PromqlError::BadData(format!(
                "invalid expression type \"{name}\" for range query, must be Scalar or instant Vector"
            )));
        }
        let mut ev = Evaluator::new(self.storage.as_ref(), self.params(start_ms, end_ms, qo));
        ev.use_batch = self.opts.series_major;
        ev.precompute(&expr, start_ms, end_ms, step_ms)?;
        if let Some(batch) = ev.take_precomputed(&expr)? {
            // The whole expression ran series by series: its result is the matrix.
            let mut out = batch.into_matrix();
            out.sort_by(|a, b| a.metric.cmp(&b.metric));
            return Ok(QueryOutput { value: Value::Matrix(out), annotations: std::mem::take(&mut ev.annotations) });
        }
        // Series of the result by labels, plus a fast path by the address of the label set
        // stored in `out`: most expressions hand out the same `Arc` at every step. Only
        // addresses of label sets kept alive in `out` are recorded, so they cannot be reused.
        let mut by_labels: HashMap<Metric, usize> = HashMap::new();
        let mut by_address: HashMap<usize, usize> = HashMap::new();
        let mut out: Matrix = Vec::new();
        let mut total_points = 0usize;
        let mut ts = start_ms;
        while ts <= end_ms {
            ev.check_deadline()?;
            let samples = match ev.eval(&expr, ts)? {
                StepValue::Scalar(v) => vec![InstantSample { metric: Arc::default(), t: ts, v }],
                StepValue::Vector(v) => v,
                _ => return Err(PromqlError::exec("range query step did not evaluate to a scalar or vector")),
            };
            total_points += samples.len();
            ev.check_samples(total_points)?;
            for s in samples {
                let address = Arc::as_ptr(&s.metric) as usize;
                let i = match by_address.get(&address) {
                    Some(&i) => i,
                    None => *by_labels.entry(s.metric.clone()).or_insert_with(|| {
                        out.push(RangeSeries { metric: s.metric.clone(), points: Vec::new() });
                        by_address.insert(address, out.len() - 1);
                        out.len() - 1
                    }),
                };
                out[i].points.push(Point { t: ts, v: s.v });
            }
            ts = match ts.checked_add(step_ms) {
                Some(next) => next,
                None => break,
            };
        }
        out.sort_by(|a, b| a.metric.cmp(&b.metric));
        Ok(QueryOutput { value: Value::Matrix(out), annotations: std::mem::take(&mut ev.annotations) })
    }

    fn params(&self, start: i64, end: i64, qo: &QueryOptions) -> EvalParams {
        let lookback = qo.lookback_delta_ms.filter(|&l| l > 0).unwrap_or(self.opts.lookback_delta_ms);
        let timeout = qo.timeout.unwrap_or(self.opts.timeout);
        // A timeout too large to add to now() simply means "no deadline" in practice.
        let now = Instant::now();
        let deadline = now.checked_add(timeout).unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600));
        let subquery_step = if self.opts.subquery_step_ms > 0 {
            self.opts.subquery_step_ms
        } else {
            subquery::DEFAULT_SUBQUERY_STEP_MS
        };
        EvalParams { start, end, lookback, deadline, max_samples: self.opts.max_samples, subquery_step }
    }
}

/// Checks a range query's bounds the way Prometheus' API does, with its messages.
pub fn validate_range(start_ms: i64, end_ms: i64, step_ms: i64) -> Result<(), PromqlError> {
    if end_ms < start_ms {
        return Err(PromqlError::BadData("end timestamp must not be before start time".into()));
    }
    if step_ms <= 0 {
        return Err(PromqlError::BadData(
            "zero or negative query resolution step widths are not accepted. Try a positive integer".into(),
        ));
    }
    // i128: the difference of two extreme i64 timestamps overflows i64.
    if (end_ms as i128 - start_ms as i128) / step_ms as i128 > MAX_POINTS_PER_SERIES as i128 {
        return Err(PromqlError::BadData(TOO_MANY_POINTS_MSG.into()));
    }
    Ok(())
}
