//! PromQL functions, following Prometheus' `promql/functions.go`: the counter and gauge rate
//! family with Prometheus' extrapolation, the `*_over_time` family, and element-wise math.
//! Functions not listed in [`eval_call`] return a "not supported yet" error.

use super::aggregations::quantile;
use super::error::{PromqlError, Result};
use super::eval::{check_duplicates, Evaluator, StepValue};
use super::selector::LoadedSeries;
use super::value::{InstantSample, Point, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use promql_parser::label::MatchOp as PMatchOp;
use promql_parser::parser::{Call, Expr, VectorSelector};
use std::collections::HashSet;
use std::sync::Arc;

mod date;
mod histogram;
mod smoothing;
mod sort;

/// Evaluates a function call at step `ts`.
pub(crate) fn eval_call(ev: &mut Evaluator<'_>, call: &Call, ts: i64) -> Result<StepValue> {
    let name = call.func.name;
    let args: &[Box<Expr>] = &call.args.args;
    match name {
        "time" => Ok(StepValue::Scalar(ts as f64 / 1000.0)),
        "pi" => Ok(StepValue::Scalar(std::f64::consts::PI)),
        "vector" => {
            let v = ev.eval_scalar(arg(args, 0)?, ts)?;
            Ok(StepValue::Vector(vec![InstantSample { metric: Arc::new(Labels::default()), t: ts, v }]))
        }
        "scalar" => {
            let v = ev.eval_vector(arg(args, 0)?, ts)?;
            Ok(StepValue::Scalar(if v.len() == 1 { v[0].v } else { f64::NAN }))
        }
        "timestamp" => timestamp(ev, arg(args, 0)?, ts),
        "absent" => absent(ev, arg(args, 0)?, ts),
        "label_replace" => label_replace(ev, args, ts),
        "label_join" => label_join(ev, args, ts),
        _ if date::is_date_function(name) => {
            let Some(e) = args.first() else {
                // Without an argument: the evaluation time, in whole seconds.
                let v = date::date_part(name, ts.div_euclid(1000) as f64).unwrap_or(f64::NAN);
                return Ok(StepValue::Vector(vec![InstantSample { metric: Arc::new(Labels::default()), t: ts, v }]));
            };
            let v = ev.eval_vector(e, ts)?;
            let out: Vector = v
                .into_iter()
                .map(|s| InstantSample {
                    metric: ev.caches.drop_name(&s.metric),
                    t: s.t,
                    v: date::date_part(name, s.v).unwrap_or(f64::NAN),
                })
                .collect();
            check_duplicates(&out)?;
            Ok(StepValue::Vector(out))
        }
        "histogram_quantile" => {
            let q = ev.eval_scalar(arg(args, 0)?, ts)?;
            let v = ev.eval_vector(arg(args, 1)?, ts)?;
            Ok(StepValue::Vector(histogram::histogram_quantile(q, v, ts, &mut ev.annotations)?))
        }
        "histogram_fraction" => {
            let lower = ev.eval_scalar(arg(args, 0)?, ts)?;
            let upper = ev.eval_scalar(arg(args, 1)?, ts)?;
            let v = ev.eval_vector(arg(args, 2)?, ts)?;
            Ok(StepValue::Vector(histogram::histogram_fraction(lower, upper, v, ts, &mut ev.annotations)?))
        }
        "histogram_quantiles" => {
            let label = string_arg(args, 1)?;
            let qs = (2..args.len()).map(|i| ev.eval_scalar(arg(args, i)?, ts)).collect::<Result<Vec<_>>>()?;
            let v = ev.eval_vector(arg(args, 0)?, ts)?;
            Ok(StepValue::Vector(histogram::histogram_quantiles(&qs, label, v, ts, &mut ev.annotations)?))
        }
        // Functions of native histogram samples only: float samples give no output.
        "histogram_count" | "histogram_sum" | "histogram_avg" | "histogram_stddev" | "histogram_stdvar" => {
            ev.eval_vector(arg(args, 0)?, ts)?;
            Ok(StepValue::Vector(Vec::new()))
        }
        "sort" | "sort_desc" => {
            if ev.is_range_query() {
                ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels");
            }
            let v = ev.eval_vector(arg(args, 0)?, ts)?;
            Ok(StepValue::Vector(sort::sort_by_value(v, name == "sort_desc")))
        }
        "sort_by_label" | "sort_by_label_desc" => {
            if ev.is_range_query() {
                ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels");
            }
            let v = ev.eval_vector(arg(args, 0)?, ts)?;
            let names = (1..args.len()).map(|i| string_arg(args, i)).collect::<Result<Vec<_>>>()?;
            Ok(StepValue::Vector(sort::sort_by_labels(v, &names, name == "sort_by_label_desc")))
        }
        "round" => {
            let to_nearest = match args.get(1) {
                Some(e) => ev.eval_scalar(e, ts)?,
                None => 1.0,
            };
            // Multiplying by the inverse causes fewer rounding surprises than dividing.
            let inv = 1.0 / to_nearest;
            map_values(ev, args, ts, |v| (v * inv + 0.5).floor() / inv)
        }
        "clamp" | "clamp_min" | "clamp_max" => {
            let (lo, hi) = match name {
                "clamp" => (ev.eval_scalar(arg(args, 1)?, ts)?, ev.eval_scalar(arg(args, 2)?, ts)?),
                "clamp_min" => (ev.eval_scalar(arg(args, 1)?, ts)?, f64::INFINITY),
                _ => (f64::NEG_INFINITY, ev.eval_scalar(arg(args, 1)?, ts)?),
            };
            if hi < lo {
                return Ok(StepValue::Vector(Vec::new()));
            }
            map_values(ev, args, ts, |v| go_max(lo, go_min(hi, v)))
        }
        _ => {
            if let Some(f) = simple_function(name) {
                return map_values(ev, args, ts, f);
            }
            if is_range_function(name) {
                return eval_range_function(ev, name, args, ts);
            }
            Err(PromqlError::unsupported(format!("function {name}()")))
        }
    }
}

fn arg(args: &[Box<Expr>], i: usize) -> Result<&Expr> {
    args.get(i).map(|b| &**b).ok_or_else(|| PromqlError::exec(format!("missing argument {}", i + 1)))
}

/// The value of a string argument (a literal, possibly in parentheses).
fn string_arg(args: &[Box<Expr>], i: usize) -> Result<&str> {
    let mut e = arg(args, i)?;
    loop {
        match e {
            Expr::StringLiteral(s) => return Ok(&s.val),
            Expr::Paren(p) => e = &p.expr,
            _ => return Err(PromqlError::exec(format!("expected a string literal as argument {}", i + 1))),
        }
    }
}

/// Applies `f` to every value of the first argument, dropping metric names.
fn map_values(ev: &mut Evaluator<'_>, args: &[Box<Expr>], ts: i64, f: impl Fn(f64) -> f64) -> Result<StepValue> {
    let v = ev.eval_vector(arg(args, 0)?, ts)?;
    let out: Vector =
        v.into_iter().map(|s| InstantSample { metric: ev.caches.drop_name(&s.metric), t: s.t, v: f(s.v) }).collect();
    check_duplicates(&out)?;
    Ok(StepValue::Vector(out))
}

/// Go's `math.Max`: NaN wins, and +0 beats -0.
fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() { b } else { a };
    }
    if a > b {
        a
    } else {
        b
    }
}

/// Go's `math.Min`: NaN wins, and -0 beats +0.
fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() { a } else { b };
    }
    if a < b {
        a
    } else {
        b
    }
}

/// Element-wise functions of one float.
fn simple_function(name: &str) -> Option<fn(f64) -> f64> {
    Some(match name {
        "abs" => f64::abs,
        "ceil" => f64::ceil,
        "floor" => f64::floor,
        "exp" => f64::exp,
        "sqrt" => f64::sqrt,
        "ln" => f64::ln,
        "log2" => f64::log2,
        "log10" => f64::log10,
        "sin" => f64::sin,
        "cos" => f64::cos,
        "tan" => f64::tan,
        "asin" => f64::asin,
        "acos" => f64::acos,
        "atan" => f64::atan,
        "sinh" => f64::sinh,
        "cosh" => f64::cosh,
        "tanh" => f64::tanh,
        "asinh" => f64::asinh,
        "acosh" => f64::acosh,
        "atanh" => f64::atanh,
        "deg" => |v| v * 180.0 / std::f64::consts::PI,
        "rad" => |v| v * std::f64::consts::PI / 180.0,
        "sgn" => |v| {
            if v < 0.0 {
                -1.0
            } else if v > 0.0 {
                1.0
            } else {
                v
            }
        },
        _ => return None,
    })
}

/// `timestamp(v)`: a plain selector argument (even in parentheses) reports its samples' own timestamps; any other
/// expression's samples carry the step time.
fn timestamp(ev: &mut Evaluator<'_>, e: &Expr, ts: i64) -> Result<StepValue> {
    // Prometheus looks through parentheses here too: `timestamp((m))` is `timestamp(m)`.
    let mut inner = e;
    while let Expr::Paren(p) = inner {
        inner = &p.expr;
    }
    let v = match inner {
        Expr::VectorSelector(vs) => ev.instant_vector(vs, ts)?,
        _ => ev.eval_vector(e, ts)?,
    };
    let out: Vector = v
        .into_iter()
        .map(|s| InstantSample { metric: ev.caches.drop_name(&s.metric), t: ts, v: s.t as f64 / 1000.0 })
        .collect();
    check_duplicates(&out)?;
    Ok(StepValue::Vector(out))
}

/// `absent(v)`: 1 with the selector's equality labels when `v` is empty, nothing otherwise.
fn absent(ev: &mut Evaluator<'_>, e: &Expr, ts: i64) -> Result<StepValue> {
    if !ev.eval_vector(e, ts)?.is_empty() {
        return Ok(StepValue::Vector(Vec::new()));
    }
    let labels = match e {
        Expr::VectorSelector(vs) => absent_labels(vs),
        _ => Labels::default(),
    };
    Ok(StepValue::Vector(vec![InstantSample { metric: Arc::new(labels), t: ts, v: 1.0 }]))
}

/// The labels `absent` and `absent_over_time` report: those fixed by equality matchers. A label
/// matched twice, or not by equality, is left out (Prometheus' historic rule).
fn absent_labels(vs: &VectorSelector) -> Labels {
    let mut labels = Labels::default();
    let mut seen = HashSet::new();
    for m in vs.matchers.matchers.iter().filter(|m| m.name != METRIC_NAME_LABEL) {
        if matches!(m.op, PMatchOp::Equal) && seen.insert(m.name.as_str()) {
            labels.set(&m.name, &m.value);
        } else {
            labels.remove(&m.name);
        }
    }
    labels
}

/// `label_replace(v, dst, replacement, src, regex)`.
fn label_replace(ev: &mut Evaluator<'_>, args: &[Box<Expr>], ts: i64) -> Result<StepValue> {
    let (dst, repl, src, regex) =
        (string_arg(args, 1)?, string_arg(args, 2)?, string_arg(args, 3)?, string_arg(args, 4)?);
    // Go's regexp semantics (ASCII `\d`, literal `{`, ...), anchored as Prometheus does.
    let re = pharos_goregex::compile_anchored_dotnl(regex)
        .map_err(|_| PromqlError::exec(format!("invalid regular expression in label_replace(): {regex}")))?;
    if dst.is_empty() {
        return Err(PromqlError::exec(format!("invalid destination label name in label_replace(): {dst}")));
    }
    let mut out = ev.eval_vector(arg(args, 0)?, ts)?;
    for s in &mut out {
        let src_val = s.metric.get(src).unwrap_or("");
        if let Some(caps) = re.captures(src_val) {
            // Rust's `expand` follows the same `$name` / `${name}` rules as Go's `Expand`.
            let mut value = String::new();
            caps.expand(repl, &mut value);
            let mut labels = (*s.metric).clone();
            labels.set(dst, &value);
            s.metric = Arc::new(labels);
        }
    }
    check_duplicates(&out)?;
    Ok(StepValue::Vector(out))
}

/// `label_join(v, dst, separator, src...)`.
fn label_join(ev: &mut Evaluator<'_>, args: &[Box<Expr>], ts: i64) -> Result<StepValue> {
    let (dst, sep) = (string_arg(args, 1)?, string_arg(args, 2)?);
    let srcs = (3..args.len()).map(|i| string_arg(args, i)).collect::<Result<Vec<_>>>()?;
    if let Some(bad) = srcs.iter().find(|s| s.is_empty()) {
        return Err(PromqlError::exec(format!("invalid source label name in label_join(): {bad}")));
    }
    if dst.is_empty() {
        return Err(PromqlError::exec(format!("invalid destination label name in label_join(): {dst}")));
    }
    let mut out = ev.eval_vector(arg(args, 0)?, ts)?;
    for s in &mut out {
        let joined = srcs.iter().map(|src| s.metric.get(src).unwrap_or("")).collect::<Vec<_>>().join(sep);
        let mut labels = (*s.metric).clone();
        labels.set(dst, &joined);
        s.metric = Arc::new(labels);
    }
    check_duplicates(&out)?;
    Ok(StepValue::Vector(out))
}

fn is_range_function(name: &str) -> bool {
    matches!(
        name,
        "rate"
            | "increase"
            | "delta"
            | "irate"
            | "idelta"
            | "changes"
            | "resets"
            | "avg_over_time"
            | "min_over_time"
            | "max_over_time"
            | "sum_over_time"
            | "count_over_time"
            | "last_over_time"
            | "first_over_time"
            | "present_over_time"
            | "stddev_over_time"
            | "stdvar_over_time"
            | "quantile_over_time"
            | "mad_over_time"
            | "absent_over_time"
            | "deriv"
            | "predict_linear"
            | "double_exponential_smoothing"
            | "ts_of_first_over_time"
            | "ts_of_last_over_time"
            | "ts_of_min_over_time"
            | "ts_of_max_over_time"
    )
}

/// Functions of one range-vector argument (plus a scalar for `quantile_over_time` and
/// `predict_linear`): one output sample per input series with points.
fn eval_range_function(ev: &mut Evaluator<'_>, name: &str, args: &[Box<Expr>], ts: i64) -> Result<StepValue> {
    let (matrix_idx, param, param2) = match name {
        "quantile_over_time" => (1, ev.eval_scalar(arg(args, 0)?, ts)?, f64::NAN),
        "predict_linear" => (0, ev.eval_scalar(arg(args, 1)?, ts)?, f64::NAN),
        "double_exponential_smoothing" => (0, ev.eval_scalar(arg(args, 1)?, ts)?, ev.eval_scalar(arg(args, 2)?, ts)?),
        _ => (0, f64::NAN, f64::NAN),
    };
    let counter_check = matches!(name, "rate" | "increase");
    let mut non_counters: Vec<String> = Vec::new();
    let mut quantile_warned = false;
    let ms = ev.matrix_arg(arg(args, matrix_idx)?)?;
    let range = ms.range_ms();
    let range_end = ev.range_end(ms, ts);
    let window =
        RateWindow { start: range_end.saturating_sub(range), end: range_end, range_secs: range as f64 / 1000.0 };
    // last_over_time and first_over_time act like an offset, so the series keeps its name.
    let keep_name = matches!(name, "last_over_time" | "first_over_time");
    let mut out: Vector = Vec::new();
    let mut any_series = false;
    ev.for_each_range(ms, ts, |series: &LoadedSeries, points: &[Point]| {
        any_series = true;
        if counter_check {
            if let Some(n) = non_counter_name(series) {
                non_counters.push(n.to_string());
            }
        }
        if name == "quantile_over_time" && !(0.0..=1.0).contains(&param) {
            quantile_warned = true;
        }
        let value = range_function_value(name, points, &window, ts, param, param2)?;
        if let Some(v) = value {
            let metric = if keep_name { series.metric.clone() } else { series.metric_without_name().clone() };
            out.push(InstantSample { metric, t: ts, v });
        }
        Ok(())
    })?;
    for n in non_counters {
        ev.annotations.possible_non_counter(&n);
    }
    if quantile_warned {
        ev.annotations.invalid_quantile(param);
    }
    if name == "absent_over_time" && !any_series {
        out.push(InstantSample {
            metric: Arc::new(ms.selector().map(absent_labels).unwrap_or_default()),
            t: ts,
            v: 1.0,
        });
    }
    // Series of one selection are distinct; without their names they usually still are, which
    // is known once per query, so the per-step check can mostly be skipped.
    if !keep_name && out.len() > 1 && !ev.range_unnamed_unique(ms)? {
        check_duplicates(&out)?;
    }
    Ok(StepValue::Vector(out))
}

/// The timestamp (seconds) of the lowest or highest value: `better(cur, acc)` keeps the later
/// of equal values, as Prometheus does; NaN values lose to any number.
fn ts_of_extreme(points: &[Point], better: impl Fn(f64, f64) -> bool) -> Option<f64> {
    let first = points.first()?;
    let (mut best_v, mut best_t) = (first.v, first.t);
    for p in &points[1..] {
        if best_v.is_nan() || (!p.v.is_nan() && better(p.v, best_v)) {
            best_v = p.v;
            best_t = p.t;
        }
    }
    Some(best_t as f64 / 1000.0)
}

/// The value of range function `name` over one series' `points` (its window at step `ts`,
/// without staleness markers); `None` when the function gives no sample. `param`/`param2` are
/// the scalar arguments of `quantile_over_time`, `predict_linear` and
/// `double_exponential_smoothing`.
pub(crate) fn range_function_value(
    name: &str,
    points: &[Point],
    window: &RateWindow,
    ts: i64,
    param: f64,
    param2: f64,
) -> Result<Option<f64>> {
    Ok(match name {
        "rate" => extrapolated_rate(points, window, true, true),
        "increase" => extrapolated_rate(points, window, true, false),
        "delta" => extrapolated_rate(points, window, false, false),
        "irate" => instant_value(points, true),
        "idelta" => instant_value(points, false),
        "changes" => {
            Some(points.windows(2).filter(|w| w[1].v != w[0].v && !(w[1].v.is_nan() && w[0].v.is_nan())).count() as f64)
        }
        "resets" => Some(points.windows(2).filter(|w| w[1].v < w[0].v).count() as f64),
        "avg_over_time" => Some(avg_over_time(points)),
        "sum_over_time" => Some(sum_over_time(points)),
        "min_over_time" => Some(compare_over_time(points, |cur, acc| cur < acc)),
        "max_over_time" => Some(compare_over_time(points, |cur, acc| cur > acc)),
        "count_over_time" => Some(points.len() as f64),
        "last_over_time" => points.last().map(|p| p.v),
        "first_over_time" => points.first().map(|p| p.v),
        "present_over_time" => Some(1.0),
        "stddev_over_time" => Some(variance_over_time(points).sqrt()),
        "stdvar_over_time" => Some(variance_over_time(points)),
        "quantile_over_time" => Some(quantile(param, points.iter().map(|p| p.v).collect())),
        "mad_over_time" => Some(mad_over_time(points)),
        "double_exponential_smoothing" => {
            // Checked per series, as Prometheus does: without data there is no error.
            smoothing::validate_factors(param, param2)?;
            smoothing::double_exponential_smoothing(points, param, param2)
        }
        "ts_of_first_over_time" => points.first().map(|p| p.t as f64 / 1000.0),
        "ts_of_last_over_time" => points.last().map(|p| p.t as f64 / 1000.0),
        "ts_of_min_over_time" => ts_of_extreme(points, |cur, acc| cur <= acc),
        "ts_of_max_over_time" => ts_of_extreme(points, |cur, acc| cur >= acc),
        "absent_over_time" => None,
        // Regressions need two points; deriv anchors at the first sample, predict_linear at
        // the evaluation time, as Prometheus does (for float accuracy).
        "deriv" if points.len() >= 2 => Some(linear_regression(points, points[0].t).0),
        "predict_linear" if points.len() >= 2 => {
            let (slope, intercept) = linear_regression(points, ts);
            Some(slope * param + intercept)
        }
        "deriv" | "predict_linear" => None,
        _ => return Err(PromqlError::unsupported(format!("function {name}()"))),
    })
}

/// The series' metric name if `rate`/`increase` over it deserve Prometheus' "might not be a
/// counter" info: a name without a counter suffix. Answers once per series and query (later
/// calls return `None`), as the info is reported once.
pub(crate) fn non_counter_name(series: &LoadedSeries) -> Option<&str> {
    if series.counter_checked.replace(true) {
        return None;
    }
    let name = series.metric.get(METRIC_NAME_LABEL)?;
    (!["_total", "_sum", "_count", "_bucket"].iter().any(|sfx| name.ends_with(sfx))).then_some(name)
}

/// Median absolute deviation; NaN if any value is NaN.
fn mad_over_time(points: &[Point]) -> f64 {
    if points.iter().any(|p| p.v.is_nan()) {
        return f64::NAN;
    }
    let values: Vec<f64> = points.iter().map(|p| p.v).collect();
    let median = quantile(0.5, values.clone());
    quantile(0.5, values.into_iter().map(|v| (v - median).abs()).collect())
}

/// Least-squares fit of value over time (seconds from `intercept_time`), with Kahan sums:
/// returns (slope, intercept). A constant series has slope 0 (NaN if the constant is infinite).
fn linear_regression(points: &[Point], intercept_time: i64) -> (f64, f64) {
    let Some(first) = points.first() else { return (f64::NAN, f64::NAN) };
    let init_y = first.v;
    let mut const_y = true;
    let (mut n, mut sum_x, mut c_x, mut sum_y, mut c_y) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut sum_xy, mut c_xy, mut sum_x2, mut c_x2) = (0.0, 0.0, 0.0, 0.0);
    for (i, p) in points.iter().enumerate() {
        if const_y && i > 0 && p.v != init_y {
            const_y = false;
        }
        n += 1.0;
        let x = (p.t - intercept_time) as f64 / 1e3;
        (sum_x, c_x) = kahan_inc(x, sum_x, c_x);
        (sum_y, c_y) = kahan_inc(p.v, sum_y, c_y);
        (sum_xy, c_xy) = kahan_inc(x * p.v, sum_xy, c_xy);
        (sum_x2, c_x2) = kahan_inc(x * x, sum_x2, c_x2);
    }
    if const_y {
        return if init_y.is_infinite() { (f64::NAN, f64::NAN) } else { (0.0, init_y) };
    }
    let (sum_x, sum_y, sum_xy, sum_x2) = (sum_x + c_x, sum_y + c_y, sum_xy + c_xy, sum_x2 + c_x2);
    let cov_xy = sum_xy - sum_x * sum_y / n;
    let var_x = sum_x2 - sum_x * sum_x / n;
    let slope = cov_xy / var_x;
    (slope, sum_y / n - slope * sum_x / n)
}

/// The window a rate is computed over: `(start, end]` in milliseconds, and the range in seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateWindow {
    /// Exclusive start, milliseconds.
    pub start: i64,
    /// Inclusive end, milliseconds.
    pub end: i64,
    /// The selector's range in seconds (the divisor of `rate`).
    pub range_secs: f64,
}

/// Prometheus' `extrapolatedRate` for floats: the increase between the first and last point
/// (plus every counter reset for counters), extrapolated towards the window's edges when the
/// points come close enough to them, never extrapolating a counter below zero.
pub(crate) fn extrapolated_rate(points: &[Point], w: &RateWindow, is_counter: bool, is_rate: bool) -> Option<f64> {
    extrapolated_rate_with(points, w, is_counter, is_rate, true)
}

/// [`extrapolated_rate`]; `may_reset` false promises the window has no counter reset, which
/// saves the scan (the result is the same: the scan would add nothing).
pub(crate) fn extrapolated_rate_with(
    points: &[Point],
    w: &RateWindow,
    is_counter: bool,
    is_rate: bool,
    may_reset: bool,
) -> Option<f64> {
    let (first, last) = (points.first()?, points.last()?);
    if points.len() < 2 {
        return None;
    }
    let mut result = last.v - first.v;
    if is_counter && may_reset {
        for pair in points.windows(2) {
            if pair[1].v < pair[0].v {
                result += pair[0].v;
            }
        }
    }
    let mut duration_to_start = (first.t - w.start) as f64 / 1000.0;
    let mut duration_to_end = (w.end - last.t) as f64 / 1000.0;
    let sampled_interval = (last.t - first.t) as f64 / 1000.0;
    let average_between_samples = sampled_interval / (points.len() - 1) as f64;
    // Points "close enough" to an edge (within 110% of the average spacing) are extrapolated all
    // the way to it; otherwise the series is assumed to start or end half a spacing away.
    let threshold = average_between_samples * 1.1;
    if duration_to_start >= threshold {
        duration_to_start = average_between_samples / 2.0;
    }
    if is_counter {
        // A counter cannot go below zero: do not extrapolate past the point where it would.
        let mut duration_to_zero = duration_to_start;
        if result > 0.0 && first.v >= 0.0 {
            duration_to_zero = sampled_interval * (first.v / result);
        }
        if duration_to_zero < duration_to_start {
            duration_to_start = duration_to_zero;
        }
    }
    if duration_to_end >= threshold {
        duration_to_end = average_between_samples / 2.0;
    }
    let mut factor = 1.0;
    if sampled_interval != 0.0 {
        factor = (sampled_interval + duration_to_start + duration_to_end) / sampled_interval;
    }
    if is_rate {
        factor /= w.range_secs;
    }
    Some(result * factor)
}

/// Prometheus' `instantValue` (`irate`, `idelta`): from the last two points only.
pub(crate) fn instant_value(points: &[Point], is_rate: bool) -> Option<f64> {
    let [prev, cur] = points.get(points.len().checked_sub(2)?..)? else { return None };
    let interval = cur.t - prev.t;
    if interval == 0 {
        return None;
    }
    // After a counter reset the last value itself is the increase.
    let mut v = if is_rate && cur.v < prev.v { cur.v } else { cur.v - prev.v };
    if is_rate {
        v /= interval as f64 / 1000.0;
    }
    Some(v)
}

/// Kahan-Babuška-Neumaier summation step, as Prometheus' `kahansum.Inc`: returns the new sum and
/// the new compensation term.
pub(crate) fn kahan_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    let t = sum + inc;
    let c = if t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

fn sum_over_time(points: &[Point]) -> f64 {
    let (mut sum, mut c) = (0.0, 0.0);
    for p in points {
        (sum, c) = kahan_inc(p.v, sum, c);
    }
    if sum.is_infinite() {
        sum
    } else {
        sum + c
    }
}

/// Mean with Kahan summation, switching to an incremental mean if the sum would overflow.
fn avg_over_time(points: &[Point]) -> f64 {
    let Some(first) = points.first() else { return f64::NAN };
    let (mut sum, mut count, mut mean, mut c) = (first.v, 1.0, 0.0, 0.0);
    let mut incremental = false;
    for (i, p) in points.iter().enumerate().skip(1) {
        count = (i + 1) as f64;
        if !incremental {
            let (new_sum, new_c) = kahan_inc(p.v, sum, c);
            if !new_sum.is_infinite() {
                (sum, c) = (new_sum, new_c);
                continue;
            }
            incremental = true;
            mean = sum / (count - 1.0);
            c /= count - 1.0;
        }
        let q = (count - 1.0) / count;
        (mean, c) = kahan_inc(p.v / count, q * mean, q * c);
    }
    if incremental {
        mean + c
    } else {
        sum / count + c / count
    }
}

/// `min_over_time` / `max_over_time`: a NaN accumulator is replaced by any later value.
fn compare_over_time(points: &[Point], better: impl Fn(f64, f64) -> bool) -> f64 {
    let mut acc = points.first().map_or(f64::NAN, |p| p.v);
    for p in points {
        if better(p.v, acc) || acc.is_nan() {
            acc = p.v;
        }
    }
    acc
}

/// Population variance with Kahan-compensated Welford updates.
fn variance_over_time(points: &[Point]) -> f64 {
    let (mut count, mut mean, mut c_mean, mut aux, mut c_aux) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for p in points {
        count += 1.0;
        let delta = p.v - (mean + c_mean);
        (mean, c_mean) = kahan_inc(delta / count, mean, c_mean);
        (aux, c_aux) = kahan_inc(delta * (p.v - (mean + c_mean)), aux, c_aux);
    }
    (aux + c_aux) / count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(points: &[(i64, f64)]) -> Vec<Point> {
        points.iter().map(|&(t, v)| Point { t, v }).collect()
    }

    #[test]
    fn rate_extrapolates_to_window_edges() {
        // Samples every 60s at 60..=300s, window (0, 300]: extrapolation to the start is capped
        // by the zero point of the counter (value 10 at 60s, slope 10/60s => zero at 0s).
        let p = pts(&[(60_000, 10.0), (120_000, 20.0), (180_000, 30.0), (240_000, 40.0), (300_000, 50.0)]);
        let w = RateWindow { start: 0, end: 300_000, range_secs: 300.0 };
        let inc = extrapolated_rate(&p, &w, true, false).unwrap();
        assert!((inc - 50.0).abs() < 1e-9, "{inc}");
        let rate = extrapolated_rate(&p, &w, true, true).unwrap();
        assert!((rate - 50.0 / 300.0).abs() < 1e-12);
        // A single point gives nothing.
        assert_eq!(extrapolated_rate(&p[..1], &w, true, true), None);
    }

    #[test]
    fn counter_resets_add_the_value_before_the_reset() {
        let p = pts(&[(0, 0.0), (300_000, 1.0), (600_000, 2.0), (900_000, 3.0), (1_200_000, 2.0)]);
        let w = RateWindow { start: -1, end: 1_200_000, range_secs: 1200.0 };
        // 2 - 0 + 3 (the value before the reset) = 5; the counter's zero point is the first
        // sample, so there is no extrapolation towards the start.
        let inc = extrapolated_rate(&p, &w, true, false).unwrap();
        assert!((inc - 5.0).abs() < 1e-9, "{inc}");
    }

    #[test]
    fn irate_uses_last_two_points() {
        let p = pts(&[(0, 1.0), (10_000, 5.0), (20_000, 2.0)]);
        assert_eq!(instant_value(&p, true), Some(0.2));
        assert_eq!(instant_value(&p, false), Some(-3.0));
        assert_eq!(instant_value(&p[..1], true), None);
    }

    #[test]
    fn kahan_sum_recovers_small_terms() {
        let p = pts(&[(0, 1.0), (1, 1e100), (2, 1.0), (3, -1e100)]);
        assert_eq!(sum_over_time(&p), 2.0);
        assert_eq!(avg_over_time(&pts(&[(0, 1.0), (1, 2.0), (2, 3.0)])), 2.0);
        let big = pts(&[(0, f64::MAX), (1, f64::MAX), (2, f64::MAX)]);
        // The incremental mean avoids overflow; the last bits depend on rounding, as in Go.
        assert!((avg_over_time(&big) - f64::MAX).abs() / f64::MAX < 1e-15);
    }

    #[test]
    fn go_min_max_propagate_nan() {
        assert!(go_max(1.0, f64::NAN).is_nan());
        assert!(go_min(f64::NAN, 1.0).is_nan());
        assert_eq!(go_max(-0.0, 0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(go_min(0.0, -0.0).to_bits(), (-0.0f64).to_bits());
    }
}
