//! Running parsed promqltest scripts against [`MemoryStorage`] and the [`Engine`], with
//! upstream's extra checks for instant evals (the `@` variations and the range-mode check).

use super::parse::{parse_script, Command, Eval, EvalKind, Expected, MsgMatch, SeqValue};
use crate::promql::{Annotations, Engine, EngineOptions, InstantSample, PromqlError, QueryOptions, QueryOutput, Value};
use crate::storage::memory::MemoryStorage;
use crate::storage::Storage;
use pharos_protocol::Labels;
use promql_parser::parser::{AtModifier, Expr};
use regex::Regex;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime};

/// Functions whose result varies with the evaluation time even when their arguments carry `@`
/// (upstream's `promql.AtModifierUnsafeFunctions`): such queries get no `@` variations.
const AT_UNSAFE_FUNCTIONS: &[&str] = &[
    "days_in_month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "hour",
    "minute",
    "month",
    "year",
    "predict_linear",
    "time",
    "timestamp",
];

static QUERY_CONTEXT_FUNCS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(start|end|range|step)\(\)").expect("static regex"));

/// Settings of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Re-run each passing instant eval with `@ t` on every selector at other times (upstream's
    /// `atModifierTestCases`).
    pub at_modifier_checks: bool,
    /// Re-run each instant eval as a range query from t-1m to t+1m and compare the point at t.
    pub range_checks: bool,
    /// Check `expect warn|info|no_warn|no_info` against the engine's annotations, as upstream
    /// does. When off, such expectations are ignored.
    pub check_annotations: bool,
    /// Engine settings (upstream: lookback 5m, at most 10,000 samples per query).
    pub engine: EngineOptions,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            at_modifier_checks: true,
            range_checks: true,
            check_annotations: true,
            engine: EngineOptions { max_samples: 10_000, timeout: Duration::from_secs(100), ..Default::default() },
        }
    }
}

/// Why an eval did not pass.
#[derive(Debug, Clone)]
pub struct EvalFailure {
    /// 1-based line of the eval.
    pub line: usize,
    /// The query (empty when the eval could not be parsed).
    pub query: String,
    /// What went wrong: expected vs got and the first difference.
    pub message: String,
    /// The eval needs a feature the engine or the runner lacks (an "not supported yet" error, a
    /// query that does not parse, native histograms, annotations).
    pub unsupported: bool,
    /// The eval reads or expects native-histogram samples.
    pub native_histograms: bool,
}

/// Which skip bucket an eval falls in when it is unsupported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipKind {
    /// Tagged `nh` in `INDEX.tsv`.
    NativeHistograms,
    /// Tagged `x:*` in `INDEX.tsv`.
    Experimental,
}

/// The outcome of one file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The file's name as reported (relative to the directory given, when there is one).
    pub name: String,
    /// Evals that passed.
    pub passed: usize,
    /// Evals that failed (including unsupported ones that are not tagged).
    pub failed: usize,
    /// Unsupported evals tagged `nh`.
    pub skipped_nh: usize,
    /// Unsupported evals tagged `x:*`.
    pub skipped_x: usize,
    /// Of `skipped_nh`: evals not tagged `nh` whose selectors read native-histogram samples.
    pub skipped_nh_untagged: usize,
    /// Those evals, for the verbose report.
    pub untagged_nh: Vec<EvalFailure>,
    /// Every failed eval.
    pub failures: Vec<EvalFailure>,
    /// Problems outside evals (unreadable file, bad `load` block).
    pub errors: Vec<String>,
}

impl FileReport {
    /// Skipped evals of both kinds.
    pub fn skipped(&self) -> usize {
        self.skipped_nh + self.skipped_x
    }
}

/// Compares floats as promqltest does: relative tolerance 1e-6, NaN equals NaN.
pub fn almost_equal(a: f64, b: f64) -> bool {
    if a == b || (a.is_nan() && b.is_nan()) {
        return true;
    }
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || a.is_infinite() || b.is_infinite() {
        return diff < f64::MIN_POSITIVE;
    }
    diff / (a.abs() + b.abs()).min(f64::MAX) < 1e-6
}

/// Runs a script from a fresh empty storage. `skip` maps an eval's line to its skip bucket (its
/// `INDEX.tsv` tags); unsupported evals in a bucket are counted as skipped instead of failed.
/// Never panics: an eval that panics counts as failed.
pub fn run_script(text: &str, opts: &RunOptions, skip: &dyn Fn(usize) -> Option<SkipKind>) -> FileReport {
    let mut report = FileReport::default();
    let mut storage = Arc::new(MemoryStorage::new());
    // Series with native-histogram samples the storage cannot hold (and the native series NHCB
    // conversions would add) loaded since the last clear.
    let mut histogram_series: Vec<Labels> = Vec::new();
    for cmd in parse_script(text) {
        let failure = match cmd {
            Command::Clear => {
                storage = Arc::new(MemoryStorage::new());
                histogram_series.clear();
                continue;
            }
            Command::Load { line, series, histogram_series: hs } => {
                histogram_series.extend(hs);
                if let Err(e) = storage.append(&series, None) {
                    report.errors.push(format!("line {line}: load failed: {e}"));
                }
                continue;
            }
            Command::Invalid { line, is_eval: false, error } => {
                report.errors.push(format!("line {line}: {error}"));
                continue;
            }
            Command::Invalid { line, is_eval: true, error } => Some(EvalFailure {
                line,
                query: String::new(),
                message: error,
                unsupported: false,
                native_histograms: false,
            }),
            Command::Eval(ev) => {
                let engine = Engine::new(storage.clone(), opts.engine.clone());
                let outcome = catch_unwind(AssertUnwindSafe(|| run_eval(&engine, &ev, opts)))
                    .unwrap_or_else(|_| Err(Fail::new("the eval panicked")));
                outcome.err().map(|f| {
                    let native = ev.expects_histogram() || selects_any(&ev.query, &histogram_series);
                    EvalFailure {
                        line: ev.line,
                        query: ev.query.clone(),
                        message: f.message,
                        unsupported: f.unsupported || native,
                        native_histograms: native,
                    }
                })
            }
        };
        let Some(failure) = failure else {
            report.passed += 1;
            continue;
        };
        match (failure.unsupported, skip(failure.line)) {
            (true, Some(SkipKind::NativeHistograms)) => report.skipped_nh += 1,
            (true, Some(SkipKind::Experimental)) => report.skipped_x += 1,
            // INDEX.tsv's `nh` tag is a heuristic; an eval whose selectors read native
            // histogram samples is a native-histogram eval whatever its tags say. Counted
            // separately so the summary shows them.
            (true, None) if failure.native_histograms => {
                report.skipped_nh += 1;
                report.skipped_nh_untagged += 1;
                report.untagged_nh.push(failure);
            }
            _ => {
                report.failed += 1;
                report.failures.push(failure);
            }
        }
    }
    report
}

/// Whether any vector selector of `query` matches one of `series` (false when it does not parse).
fn selects_any(query: &str, series: &[Labels]) -> bool {
    if series.is_empty() {
        return false;
    }
    let Ok(Ok(expr)) = catch_unwind(|| promql_parser::parser::parse(query)) else { return false };
    let mut stack = vec![&expr];
    while let Some(e) = stack.pop() {
        let hit = match e {
            Expr::VectorSelector(vs) => selector_hits(vs, series),
            Expr::MatrixSelector(ms) => selector_hits(&ms.vs, series),
            _ => false,
        };
        if hit {
            return true;
        }
        crate::promql::for_each_child(e, |c| stack.push(c));
    }
    false
}

fn selector_hits(vs: &promql_parser::parser::VectorSelector, series: &[Labels]) -> bool {
    let Ok(sets) = crate::promql::selector_matchers(vs) else { return false };
    sets.iter().any(|set| series.iter().any(|l| set.iter().all(|m| m.matches(l))))
}

/// A failed check.
struct Fail {
    message: String,
    unsupported: bool,
}

impl Fail {
    fn new(message: impl Into<String>) -> Self {
        Fail { message: message.into(), unsupported: false }
    }

    fn from_error(context: &str, e: &PromqlError) -> Self {
        let unsupported = matches!(e, PromqlError::Unsupported(_) | PromqlError::Parse(_))
            || e.to_string().contains("not supported yet");
        Fail { message: format!("{context}: {e}"), unsupported }
    }
}

fn run_eval(engine: &Engine, ev: &Eval, opts: &RunOptions) -> Result<(), Fail> {
    match ev.kind {
        EvalKind::Range { start_ms, end_ms, step_ms } => {
            let res = engine.range_query_with(&ev.query, start_ms, end_ms, step_ms, &QueryOptions::default());
            let out = check_error(ev, res, "range query")?;
            let Some(out) = out else { return Ok(()) };
            check_annotations(ev, &out.annotations, opts).map_err(|e| Fail::new(format!("range query: {e}")))?;
            compare(ev, &out.value, Some((start_ms, end_ms, step_ms))).map_err(Fail::new)
        }
        EvalKind::Instant { at_ms } => {
            let mut queries = vec![(ev.query.clone(), at_ms)];
            if opts.at_modifier_checks {
                queries.extend(at_modifier_cases(&ev.query, at_ms));
            }
            for (query, t) in &queries {
                run_instant(engine, ev, query, *t, opts)?;
            }
            Ok(())
        }
    }
}

/// Checks an error against `expect fail`; returns the value when the query succeeded as it
/// should, `None` when it failed as it should.
fn check_error(ev: &Eval, res: Result<QueryOutput, PromqlError>, what: &str) -> Result<Option<QueryOutput>, Fail> {
    match (res, &ev.fail) {
        (Ok(_), Some(_)) => Err(Fail::new(format!("{what}: expected an error, got none"))),
        (Ok(v), None) => Ok(Some(v)),
        (Err(e), Some(m)) if m.matches(&e.to_string()) => Ok(None),
        (Err(e), Some(m)) => {
            let mut f = Fail::from_error(&format!("{what}: expected error ({}), got", m.describe()), &e);
            // A wrong message is a real difference unless the feature (or its syntax) is missing.
            f.unsupported &= matches!(e, PromqlError::Unsupported(_) | PromqlError::Parse(_));
            Err(f)
        }
        (Err(e), None) => Err(Fail::from_error(&format!("{what}: unexpected error"), &e)),
    }
}

/// Upstream's `checkAnnotations`: `expect warn|info` need at least one annotation of that kind
/// and every one of that kind must match one of them; `no_warn|no_info` allow none.
fn check_annotations(ev: &Eval, got: &Annotations, opts: &RunOptions) -> Result<(), String> {
    if !opts.check_annotations {
        return Ok(());
    }
    for (kind, wanted, none, actual) in
        [("warn", &ev.warn, ev.no_warn, &got.warnings), ("info", &ev.info, ev.no_info, &got.infos)]
    {
        if !wanted.is_empty() {
            if actual.is_empty() {
                let w: Vec<String> = wanted.iter().map(MsgMatch::describe).collect();
                return Err(format!("expected {kind} annotations ({}), but the engine reports none", w.join("; ")));
            }
            if let Some(m) = wanted.iter().find(|m| !actual.iter().any(|a| m.matches(a))) {
                return Err(format!("expected a {kind} annotation matching {}, got {actual:?}", m.describe()));
            }
            if let Some(a) = actual.iter().find(|a| !wanted.iter().any(|m| m.matches(a))) {
                return Err(format!("unexpected {kind} annotation {a:?}"));
            }
        }
        if none && !actual.is_empty() {
            return Err(format!("expected no {kind} annotations, got {actual:?}"));
        }
    }
    Ok(())
}

fn run_instant(engine: &Engine, ev: &Eval, query: &str, t: i64, opts: &RunOptions) -> Result<(), Fail> {
    let what = format!("instant query {query:?} at {t}ms");
    let res = engine.instant_query_with(query, t, &QueryOptions::default());
    let Some(out) = check_error(ev, res, &what)? else { return Ok(()) };
    check_annotations(ev, &out.annotations, opts).map_err(|e| Fail::new(format!("{what}: {e}")))?;
    let value = out.value;
    compare(ev, &value, ev.range_vector).map_err(|e| Fail::new(format!("{what}: {e}")))?;
    let excluded =
        ev.range_vector.is_some() || matches!(ev.expected, Expected::String(_)) || QUERY_CONTEXT_FUNCS.is_match(query);
    if !opts.range_checks || excluded {
        return Ok(());
    }
    let what = format!("{what} in range mode (t-1m to t+1m, step 1m)");
    let range = engine
        .range_query(query, t.saturating_sub(60_000), t.saturating_add(60_000), 60_000)
        .map_err(|e| Fail::from_error(&what, &e))?;
    if ev.ordered {
        return Ok(());
    }
    let Value::Matrix(m) = range else { return Err(Fail::new(format!("{what}: result is not a matrix"))) };
    if let Some(w) = m.windows(2).find(|w| w[0].metric > w[1].metric) {
        return Err(Fail::new(format!("{what}: matrix not sorted: {} before {}", w[0].metric, w[1].metric)));
    }
    let vec: Vec<InstantSample> = m
        .iter()
        .filter_map(|s| {
            s.points.iter().find(|p| p.t == t).map(|p| InstantSample { metric: s.metric.clone(), t, v: p.v })
        })
        .collect();
    let value = match value {
        Value::Scalar { .. } => match vec.first() {
            Some(s) => Value::Scalar { t, v: s.v },
            None => return Err(Fail::new(format!("{what}: no point at t"))),
        },
        _ => Value::Vector(vec),
    };
    compare(ev, &value, None).map_err(|e| Fail::new(format!("{what}: {e}")))
}

/// Upstream's `atModifierTestCases`: the query with `@ t` on every selector (and subquery)
/// that has none, at other evaluation times. Empty when the query does not parse or calls a
/// function whose result depends on the evaluation time.
pub fn at_modifier_cases(query: &str, t: i64) -> Vec<(String, i64)> {
    let Ok(Ok(mut expr)) = catch_unwind(|| promql_parser::parser::parse(query)) else { return Vec::new() };
    let at = if t >= 0 {
        SystemTime::UNIX_EPOCH + Duration::from_millis(t.unsigned_abs())
    } else {
        SystemTime::UNIX_EPOCH - Duration::from_millis(t.unsigned_abs())
    };
    let mut unsafe_call = false;
    set_at(&mut expr, &at, &mut unsafe_call);
    if unsafe_call {
        return Vec::new();
    }
    let Ok(text) = catch_unwind(AssertUnwindSafe(|| expr.to_string())) else { return Vec::new() };
    let times =
        if t == 0 { vec![-1000, 0, 1000] } else { vec![t.saturating_mul(-10), 0, t / 5, t, t.saturating_mul(10)] };
    times.into_iter().map(|et| (text.clone(), et)).collect()
}

fn set_at(expr: &mut Expr, at: &SystemTime, unsafe_call: &mut bool) {
    match expr {
        Expr::VectorSelector(vs) => {
            vs.at.get_or_insert(AtModifier::At(*at));
        }
        Expr::MatrixSelector(ms) => {
            ms.vs.at.get_or_insert(AtModifier::At(*at));
        }
        // Selectors inside a subquery keep their own times.
        Expr::Subquery(sq) => {
            sq.at.get_or_insert(AtModifier::At(*at));
        }
        Expr::Aggregate(a) => {
            set_at(&mut a.expr, at, unsafe_call);
            if let Some(p) = a.param.as_mut() {
                set_at(p, at, unsafe_call);
            }
        }
        Expr::Unary(u) => set_at(&mut u.expr, at, unsafe_call),
        Expr::Binary(b) => {
            set_at(&mut b.lhs, at, unsafe_call);
            set_at(&mut b.rhs, at, unsafe_call);
        }
        Expr::Paren(p) => set_at(&mut p.expr, at, unsafe_call),
        Expr::Call(c) => {
            *unsafe_call |= AT_UNSAFE_FUNCTIONS.contains(&c.func.name);
            for a in c.args.args.iter_mut() {
                set_at(a, at, unsafe_call);
            }
        }
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

fn fmt_f(v: f64) -> String {
    format!("{v}")
}

fn fmt_vector(v: &[InstantSample]) -> String {
    let items: Vec<String> = v.iter().take(10).map(|s| format!("{} {}", s.metric, fmt_f(s.v))).collect();
    let more = if v.len() > 10 { format!(" … ({} in all)", v.len()) } else { String::new() };
    format!("[{}]{more}", items.join(", "))
}

fn fmt_expected(e: &Expected) -> String {
    match e {
        Expected::Empty => "empty result".into(),
        Expected::Scalar(v) => format!("scalar {v}"),
        Expected::String(s) => format!("string {s:?}"),
        Expected::Series(s) => {
            let items: Vec<String> = s.iter().take(10).map(|(l, v)| format!("{l} {}", fmt_seq(v))).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn fmt_seq(v: &[SeqValue]) -> String {
    let items: Vec<String> = v
        .iter()
        .take(12)
        .map(|x| match x {
            SeqValue::Omitted => "_".into(),
            SeqValue::Float(f) => fmt_f(*f),
            SeqValue::Histogram => "{{histogram}}".into(),
        })
        .collect();
    items.join(" ")
}

fn series_list(e: &Expected) -> &[(Labels, Vec<SeqValue>)] {
    match e {
        Expected::Series(s) => s,
        _ => &[],
    }
}

/// Compares a result with the expectation; `grid` is (start, end, step) for matrix results.
fn compare(ev: &Eval, got: &Value, grid: Option<(i64, i64, i64)>) -> Result<(), String> {
    let exp = &ev.expected;
    match got {
        Value::Scalar { v, .. } => match exp {
            Expected::Scalar(e) if almost_equal(*e, *v) => Ok(()),
            Expected::Scalar(e) => Err(format!("expected scalar {e} but got {v}")),
            _ => Err(format!("expected {} but got scalar {v}", fmt_expected(exp))),
        },
        Value::String { v, .. } => match exp {
            Expected::String(e) if e == v => Ok(()),
            _ => Err(format!("expected {} but got string {v:?}", fmt_expected(exp))),
        },
        Value::Vector(vec) => {
            if matches!(exp, Expected::Scalar(_) | Expected::String(_)) {
                return Err(format!("expected {} but got vector {}", fmt_expected(exp), fmt_vector(vec)));
            }
            let want = series_list(exp);
            let mut seen = vec![false; want.len()];
            for (pos, s) in vec.iter().enumerate() {
                let Some(i) = want.iter().position(|(l, _)| *l == *s.metric) else {
                    return Err(format!(
                        "unexpected metric {} in result, has value {}; expected {}, got {}",
                        s.metric,
                        fmt_f(s.v),
                        fmt_expected(exp),
                        fmt_vector(vec)
                    ));
                };
                if ev.ordered && i != pos {
                    return Err(format!("expected metric {} at position {} but was at {}", s.metric, i + 1, pos + 1));
                }
                match want[i].1.first() {
                    Some(SeqValue::Float(e)) if almost_equal(*e, s.v) => {}
                    Some(SeqValue::Float(e)) => {
                        return Err(format!(
                            "expected {e} for {} but got {}; got {}",
                            s.metric,
                            fmt_f(s.v),
                            fmt_vector(vec)
                        ))
                    }
                    _ => return Err(format!("expected histogram for {} but got float {}", s.metric, fmt_f(s.v))),
                }
                seen[i] = true;
            }
            match seen.iter().position(|s| !s) {
                Some(i) => Err(format!(
                    "expected metric {} with {} not found; got {}",
                    want[i].0,
                    fmt_seq(&want[i].1),
                    fmt_vector(vec)
                )),
                None => Ok(()),
            }
        }
        Value::Matrix(m) => {
            let Some((start, end, step)) = grid else {
                return Err(format!("expected {} but got a range vector of {} series", fmt_expected(exp), m.len()));
            };
            if matches!(exp, Expected::Scalar(_) | Expected::String(_)) {
                return Err(format!("expected {} but got a matrix", fmt_expected(exp)));
            }
            let want = series_list(exp);
            let mut seen = vec![false; want.len()];
            for s in m {
                let Some(i) = want.iter().position(|(l, _)| *l == *s.metric) else {
                    return Err(format!("unexpected metric {} in result ({} points)", s.metric, s.points.len()));
                };
                seen[i] = true;
                let mut points = Vec::new();
                for (k, v) in want[i].1.iter().enumerate() {
                    let t = start.saturating_add(step.saturating_mul(k as i64));
                    match v {
                        SeqValue::Float(f) => points.push((t, *f)),
                        SeqValue::Histogram => return Err(format!("expected histogram points for {}", s.metric)),
                        SeqValue::Omitted => {}
                    }
                    if t >= end {
                        break;
                    }
                }
                let got: Vec<(i64, f64)> = s.points.iter().map(|p| (p.t, p.v)).collect();
                if let Some(k) = (0..points.len().max(got.len())).find(|&k| match (points.get(k), got.get(k)) {
                    (Some(w), Some(g)) => w.0 != g.0 || !almost_equal(w.1, g.1),
                    _ => true,
                }) {
                    return Err(format!(
                        "{}: expected {} points, got {}; first difference at index {k}: expected {:?}, got {:?}",
                        s.metric,
                        points.len(),
                        got.len(),
                        points.get(k),
                        got.get(k)
                    ));
                }
            }
            match seen.iter().position(|s| !s) {
                Some(i) => Err(format!("expected metric {} not found", want[i].0)),
                None => Ok(()),
            }
        }
    }
}
