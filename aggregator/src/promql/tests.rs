//! Engine tests against `MemoryStorage`: hand-checked cases, then cases copied from Prometheus'
//! promqltest corpus (`testdata/*.test`, Apache 2.0, see `testdata/LICENSE` and `NOTICE`): every
//! float-only eval of the copied blocks that does not need subqueries, group_left/right or a
//! function this engine lacks.

use super::*;
use crate::storage::memory::MemoryStorage;
use pharos_protocol::{stale_nan, Labels, Sample, Series};
use std::sync::Arc;
use std::time::Duration;

const MIN: i64 = 60_000;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

fn series(pairs: &[(&str, &str)], points: &[(i64, f64)]) -> Series {
    Series {
        labels: labels(pairs),
        samples: points.iter().map(|&(timestamp_ms, value)| Sample { timestamp_ms, value }).collect(),
    }
}

fn engine_with(data: Vec<Series>, opts: EngineOptions) -> Engine {
    let storage = Arc::new(MemoryStorage::new());
    storage.append(&data, None).expect("append");
    Engine::new(storage, opts)
}

fn engine(data: Vec<Series>) -> Engine {
    engine_with(data, EngineOptions::default())
}

/// An instant query's vector as (labels, value) sorted by labels.
fn vector(e: &Engine, q: &str, t: i64) -> Vec<(Labels, f64)> {
    match e.instant_query(q, t) {
        Ok(Value::Vector(v)) => {
            let mut out: Vec<_> = v.into_iter().map(|s| ((*s.metric).clone(), s.v)).collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            out
        }
        other => panic!("{q}: expected a vector, got {other:?}"),
    }
}

fn scalar(e: &Engine, q: &str, t: i64) -> f64 {
    match e.instant_query(q, t) {
        Ok(Value::Scalar { v, .. }) => v,
        other => panic!("{q}: expected a scalar, got {other:?}"),
    }
}

fn error(e: &Engine, q: &str, t: i64) -> PromqlError {
    match e.instant_query(q, t) {
        Err(err) => err,
        Ok(v) => panic!("{q}: expected an error, got {v:?}"),
    }
}

/// `http_requests_total` for two jobs, one sample per minute from 0 to 10m, counting up by 60
/// (job a) and 120 (job b) per minute, plus a gauge.
fn counters() -> Engine {
    let mut data = Vec::new();
    for (job, per_min) in [("a", 60.0), ("b", 120.0)] {
        let points: Vec<(i64, f64)> = (0..=10).map(|i| (i * MIN, i as f64 * per_min)).collect();
        data.push(series(&[("__name__", "http_requests_total"), ("job", job)], &points));
    }
    data.push(series(&[("__name__", "temperature"), ("room", "x")], &[(0, 20.0), (MIN, 25.0), (2 * MIN, 15.0)]));
    engine(data)
}

#[test]
fn literals_and_scalar_arithmetic() {
    let e = engine(vec![]);
    assert_eq!(scalar(&e, "1 + 2 * 3", 0), 7.0);
    assert_eq!(scalar(&e, "-(2 ^ 3)", 0), -8.0);
    assert_eq!(scalar(&e, "2 ^ 3 ^ 2", 0), 512.0);
    assert_eq!(scalar(&e, "7 % 4", 0), 3.0);
    assert_eq!(scalar(&e, "1 < bool 2", 0), 1.0);
    assert_eq!(scalar(&e, "time()", 90_500), 90.5);
    assert!(scalar(&e, "0 / 0", 0).is_nan());
    assert_eq!(e.instant_query("\"hello\"", 5_000).ok(), Some(Value::String { t: 5_000, v: "hello".into() }));
    assert_eq!(scalar(&e, "scalar(vector(3))", 0), 3.0);
    assert!(scalar(&e, "scalar(nothing)", 0).is_nan());
}

#[test]
fn instant_selectors_matchers_offset_and_name_matchers() {
    let e = counters();
    assert_eq!(vector(&e, r#"http_requests_total{job="a"}"#, 5 * MIN)[0].1, 300.0);
    assert_eq!(vector(&e, r#"http_requests_total{job!="a"}"#, 5 * MIN)[0].1, 600.0);
    assert_eq!(vector(&e, r#"http_requests_total{job=~"a|b"}"#, 5 * MIN).len(), 2);
    assert_eq!(vector(&e, r#"http_requests_total{job!~"b"}"#, 5 * MIN)[0].1, 300.0);
    assert_eq!(vector(&e, r#"{__name__=~"http_.*", job="b"}"#, 5 * MIN)[0].1, 600.0);
    assert_eq!(vector(&e, r#"{__name__="temperature"}"#, 5 * MIN)[0].1, 15.0);
    // Between samples the newest sample wins; offset shifts the reference time back.
    assert_eq!(vector(&e, r#"http_requests_total{job="a"}"#, 5 * MIN + 30_000)[0].1, 300.0);
    assert_eq!(vector(&e, r#"http_requests_total{job="a"} offset 2m"#, 5 * MIN)[0].1, 180.0);
    assert_eq!(vector(&e, r#"http_requests_total{job="a"} offset -2m"#, 5 * MIN)[0].1, 420.0);
    // Selected series keep their name, and the reported timestamp is the evaluation time.
    let Ok(Value::Vector(v)) = e.instant_query("temperature", 3 * MIN) else { panic!() };
    assert_eq!((v[0].metric.metric_name(), v[0].t), (Some("temperature"), 3 * MIN));
}

#[test]
fn lookback_window_is_left_open_and_configurable() {
    let e = counters();
    // Last temperature sample at 2m; the default 5m lookback keeps it until just before 7m.
    assert_eq!(vector(&e, "temperature", 7 * MIN - 1).len(), 1);
    assert!(vector(&e, "temperature", 7 * MIN).is_empty());
    let short = engine_with(
        vec![series(&[("__name__", "g")], &[(0, 1.0)])],
        EngineOptions { lookback_delta_ms: MIN, ..Default::default() },
    );
    assert_eq!(vector(&short, "g", MIN - 1).len(), 1);
    assert!(vector(&short, "g", MIN).is_empty());
    let qo = QueryOptions { lookback_delta_ms: Some(10 * MIN), ..Default::default() };
    assert!(
        matches!(short.instant_query_with("g", 5 * MIN, &qo).map(|o| o.value), Ok(Value::Vector(v)) if v.len() == 1)
    );
}

#[test]
fn staleness_markers_end_a_series() {
    let e = engine(vec![series(&[("__name__", "m")], &[(0, 1.0), (10_000, stale_nan()), (20_000, 2.0)])]);
    assert_eq!(vector(&e, "m", 5_000)[0].1, 1.0);
    assert!(vector(&e, "m", 10_000).is_empty());
    assert!(vector(&e, "m", 15_000).is_empty());
    assert_eq!(vector(&e, "m", 20_000)[0].1, 2.0);
    // Range selectors simply skip the marker.
    assert_eq!(vector(&e, "count_over_time(m[1m])", 20_000)[0].1, 2.0);
}

#[test]
fn range_selector_alone_returns_a_left_open_matrix() {
    let e = counters();
    let Ok(Value::Matrix(m)) = e.instant_query(r#"http_requests_total{job="a"}[2m]"#, 5 * MIN) else { panic!() };
    assert_eq!(m.len(), 1);
    let ts: Vec<i64> = m[0].points.iter().map(|p| p.t).collect();
    // (3m, 5m]: the sample at exactly 3m is excluded.
    assert_eq!(ts, vec![4 * MIN, 5 * MIN]);
    assert_eq!(m[0].metric.metric_name(), Some("http_requests_total"));
}

#[test]
fn rate_family_extrapolates_like_prometheus() {
    let e = counters();
    // Samples at 1m..5m in (0, 5m]: 4 intervals of 60s; the first sample is 60s from the start
    // (under the 66s threshold) so extrapolation reaches both ends, but the zero point of the
    // counter (value 60 at 1m, rising 60/min) is exactly at 0, so increase = 240 * 300/240.
    let inc = vector(&e, r#"increase(http_requests_total{job="a"}[5m])"#, 5 * MIN);
    assert!((inc[0].1 - 300.0).abs() < 1e-9, "{inc:?}");
    let rate = vector(&e, "rate(http_requests_total[5m])", 5 * MIN);
    assert_eq!(rate.len(), 2);
    assert!((rate[0].1 - 1.0).abs() < 1e-12 && (rate[1].1 - 2.0).abs() < 1e-12, "{rate:?}");
    // The metric name is dropped.
    assert_eq!(rate[0].0, labels(&[("job", "a")]));
    assert!((vector(&e, r#"irate(http_requests_total{job="b"}[5m])"#, 5 * MIN)[0].1 - 2.0).abs() < 1e-12);
    // delta on a gauge: 15 - 25 over (0s, 2m] = 2 samples 60s apart, extrapolated by 60s at the
    // start (within threshold) and 0 at the end: -10 * 120/60.
    assert_eq!(vector(&e, "delta(temperature[2m])", 2 * MIN)[0].1, -20.0);
    assert_eq!(vector(&e, "idelta(temperature[5m])", 2 * MIN)[0].1, -10.0);
    // A single sample in the window gives no rate.
    assert!(vector(&e, "rate(http_requests_total[1m])", 5 * MIN).is_empty());
}

#[test]
fn counter_resets_are_handled() {
    let e = engine(vec![series(
        &[("__name__", "c_total")],
        &[(0, 0.0), (MIN, 10.0), (2 * MIN, 20.0), (3 * MIN, 5.0), (4 * MIN, 15.0)],
    )]);
    // (0, 4m]: 10 20 5 15 -> 15 - 10 + 20 = 25 raw; zero point of the counter at 0 (10 at 1m,
    // slope 25/3m => 72s before 1m, beyond the 60s to the start), so extrapolate 60s: 25 * 240/180.
    let inc = vector(&e, "increase(c_total[4m])", 4 * MIN)[0].1;
    assert!((inc - 25.0 * 240.0 / 180.0).abs() < 1e-9, "{inc}");
    // irate after a reset uses the value after the reset.
    assert!((vector(&e, "irate(c_total[2m])", 3 * MIN)[0].1 - 5.0 / 60.0).abs() < 1e-12);
    assert_eq!(vector(&e, "resets(c_total[5m])", 4 * MIN)[0].1, 1.0);
    assert_eq!(vector(&e, "changes(c_total[5m])", 4 * MIN)[0].1, 4.0);
}

#[test]
fn over_time_functions() {
    let e = counters();
    let q = |f: &str| vector(&e, &format!("{f}(temperature[5m])"), 2 * MIN)[0].1;
    assert_eq!(q("avg_over_time"), 20.0);
    assert_eq!(q("min_over_time"), 15.0);
    assert_eq!(q("max_over_time"), 25.0);
    assert_eq!(q("sum_over_time"), 60.0);
    assert_eq!(q("count_over_time"), 3.0);
    assert_eq!(q("last_over_time"), 15.0);
    assert!((q("stdvar_over_time") - 50.0 / 3.0).abs() < 1e-9);
    // last_over_time keeps the name; the others drop it.
    assert_eq!(vector(&e, "last_over_time(temperature[5m])", 2 * MIN)[0].0.metric_name(), Some("temperature"));
    assert_eq!(vector(&e, "max_over_time(temperature[5m])", 2 * MIN)[0].0.metric_name(), None);
}

#[test]
fn aggregations_group_and_drop_the_name() {
    let e = counters();
    let t = 5 * MIN;
    assert_eq!(vector(&e, "sum(http_requests_total)", t), vec![(Labels::default(), 900.0)]);
    assert_eq!(vector(&e, "avg(http_requests_total)", t)[0].1, 450.0);
    assert_eq!(vector(&e, "count(http_requests_total)", t)[0].1, 2.0);
    assert_eq!(vector(&e, "min(http_requests_total)", t)[0].1, 300.0);
    assert_eq!(vector(&e, "max(http_requests_total)", t)[0].1, 600.0);
    assert_eq!(
        vector(&e, "sum by (job) (http_requests_total)", t),
        vec![(labels(&[("job", "a")]), 300.0), (labels(&[("job", "b")]), 600.0)]
    );
    assert_eq!(vector(&e, "sum without (job) (http_requests_total)", t), vec![(Labels::default(), 900.0)]);
    assert_eq!(
        vector(&e, "sum by (__name__) (http_requests_total)", t)[0].0.metric_name(),
        Some("http_requests_total")
    );
    assert_eq!(vector(&e, "topk(1, http_requests_total)", t)[0].1, 600.0);
    assert_eq!(vector(&e, "bottomk(1, http_requests_total)", t)[0].0.get("job"), Some("a"));
    assert_eq!(vector(&e, "quantile(0.5, http_requests_total)", t)[0].1, 450.0);
    assert!(vector(&e, "sum(nothing)", t).is_empty());
}

#[test]
fn binary_operators_follow_prometheus_naming_rules() {
    let e = counters();
    let t = 5 * MIN;
    // Arithmetic drops the name, filtering comparison keeps it, bool drops it again.
    let v = vector(&e, r#"http_requests_total{job="a"} * 2"#, t);
    assert_eq!(v, vec![(labels(&[("job", "a")]), 600.0)]);
    let v = vector(&e, "http_requests_total > 400", t);
    assert_eq!(v, vec![(labels(&[("__name__", "http_requests_total"), ("job", "b")]), 600.0)]);
    let v = vector(&e, "http_requests_total > bool 400", t);
    assert_eq!(v, vec![(labels(&[("job", "a")]), 0.0), (labels(&[("job", "b")]), 1.0)]);
    // A scalar on the left of a comparison still yields the vector's value.
    assert_eq!(vector(&e, "400 < http_requests_total", t)[0].1, 600.0);
    // Vector/vector one-to-one matching, with on/ignoring.
    let v = vector(&e, "http_requests_total / http_requests_total", t);
    assert_eq!(v, vec![(labels(&[("job", "a")]), 1.0), (labels(&[("job", "b")]), 1.0)]);
    let v = vector(&e, r#"sum by (job) (http_requests_total) - on (job) http_requests_total"#, t);
    assert_eq!(v.len(), 2);
    let v = vector(&e, r#"http_requests_total{job="a"} + ignoring (job) http_requests_total{job="b"}"#, t);
    assert_eq!(v, vec![(Labels::default(), 900.0)]);
    // Set operators.
    assert_eq!(vector(&e, r#"http_requests_total and http_requests_total{job="a"}"#, t).len(), 1);
    assert_eq!(vector(&e, r#"http_requests_total unless http_requests_total{job="a"}"#, t).len(), 1);
    assert_eq!(vector(&e, r#"http_requests_total{job="a"} or temperature"#, t).len(), 2);
    assert_eq!(vector(&e, "-http_requests_total", t)[0], (labels(&[("job", "a")]), -300.0));
}

#[test]
fn matching_errors_are_execution_errors() {
    let e = counters();
    let t = 5 * MIN;
    let err = error(&e, "http_requests_total + on () http_requests_total", t);
    assert_eq!(err.error_type(), "execution");
    assert!(err.to_string().contains("many-to-many matching not allowed"), "{err}");
    let grouped = vector(&e, r#"{__name__=~"http_requests_total|temperature"} * 2 + on() group_left vector(1)"#, t);
    assert_eq!(grouped.len(), 3);
    // Two series that only differ by name collide once the name is dropped.
    let e2 = engine(vec![
        series(&[("__name__", "x"), ("a", "1")], &[(0, 1.0)]),
        series(&[("__name__", "y"), ("a", "1")], &[(0, 2.0)]),
    ]);
    let err = error(&e2, r#"{__name__=~"x|y"} + 1"#, 0);
    assert_eq!(err.to_string(), "vector cannot contain metrics with the same labelset");
    assert_eq!(err.error_type(), "execution");
}

#[test]
fn element_functions() {
    let e = engine(vec![series(&[("__name__", "v"), ("k", "1")], &[(0, -2.5)])]);
    assert_eq!(vector(&e, "abs(v)", 0), vec![(labels(&[("k", "1")]), 2.5)]);
    assert_eq!(vector(&e, "ceil(v)", 0)[0].1, -2.0);
    assert_eq!(vector(&e, "floor(v)", 0)[0].1, -3.0);
    assert_eq!(vector(&e, "round(v)", 0)[0].1, -2.0);
    assert_eq!(vector(&e, "round(v, 2)", 0)[0].1, -2.0);
    assert_eq!(vector(&e, "clamp(v, -1, 1)", 0)[0].1, -1.0);
    assert_eq!(vector(&e, "clamp_max(v, -3)", 0)[0].1, -3.0);
    assert_eq!(vector(&e, "clamp_min(v, 0)", 0)[0].1, 0.0);
    assert!(vector(&e, "clamp(v, 1, -1)", 0).is_empty());
    assert_eq!(vector(&e, "vector(1)", 0), vec![(Labels::default(), 1.0)]);
    assert_eq!(vector(&e, "timestamp(v)", 30_000)[0].1, 0.0);
    assert_eq!(vector(&e, r#"absent(nope{job="x", a=~"b"})"#, 0), vec![(labels(&[("job", "x")]), 1.0)]);
    assert!(vector(&e, "absent(v)", 0).is_empty());
    let v = vector(&e, r#"label_replace(v, "dst", "x-$1", "k", "(.*)")"#, 0);
    assert_eq!(v[0].0.get("dst"), Some("x-1"));
    let v = vector(&e, r#"label_join(v, "dst", "/", "k", "__name__")"#, 0);
    assert_eq!(v[0].0.get("dst"), Some("1/v"));
}

#[test]
fn range_queries_group_points_by_series() {
    let e = counters();
    let Ok(Value::Matrix(m)) = e.range_query("http_requests_total", 0, 2 * MIN, MIN) else { panic!() };
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].metric.get("job"), Some("a"));
    assert_eq!(m[0].points, vec![Point { t: 0, v: 0.0 }, Point { t: MIN, v: 60.0 }, Point { t: 2 * MIN, v: 120.0 }]);
    // A series that disappears leaves gaps; a scalar becomes one series without labels.
    let Ok(Value::Matrix(m)) = e.range_query("temperature", 0, 10 * MIN, 3 * MIN) else { panic!() };
    assert_eq!(m[0].points.iter().map(|p| p.t).collect::<Vec<_>>(), vec![0, 3 * MIN, 6 * MIN]);
    let Ok(Value::Matrix(m)) = e.range_query("time()", 0, 2_000, 1_000) else { panic!() };
    assert_eq!(m.len(), 1);
    assert!(m[0].metric.is_empty());
    assert_eq!(m[0].points.iter().map(|p| p.v).collect::<Vec<_>>(), vec![0.0, 1.0, 2.0]);
    // Rates over a range.
    let Ok(Value::Matrix(m)) = e.range_query("sum(rate(http_requests_total[5m]))", 5 * MIN, 10 * MIN, MIN) else {
        panic!()
    };
    assert_eq!(m[0].points.len(), 6);
    assert!(m[0].points.iter().all(|p| (p.v - 3.0).abs() < 1e-9), "{m:?}");
}

#[test]
fn range_query_argument_errors() {
    let e = counters();
    let bad = |r: Result<Value, PromqlError>| match r {
        Err(e) => (e.error_type(), e.to_string()),
        Ok(v) => panic!("expected error, got {v:?}"),
    };
    assert_eq!(bad(e.range_query("1", 10, 0, 1)).1, "end timestamp must not be before start time");
    assert_eq!(bad(e.range_query("1", 0, 10, 0)).0, "bad_data");
    assert_eq!(bad(e.range_query("1", 0, 11_001, 1)), ("bad_data", TOO_MANY_POINTS_MSG.to_string()));
    assert!(e.range_query("1", 0, 11_000, 1).is_ok());
    assert_eq!(
        bad(e.range_query("temperature[5m]", 0, 10, 1)).1,
        "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"
    );
    assert_eq!(bad(e.range_query("\"s\"", 0, 10, 1)).0, "bad_data");
}

#[test]
fn limits_and_typed_errors() {
    let e = counters();
    assert_eq!(error(&e, "sum(", 0).error_type(), "bad_data");
    // A gauge without `le` is no histogram: no result, and a warning says why.
    let out = e.instant_query_with("histogram_quantile(0.5, temperature)", 0, &QueryOptions::default()).expect("runs");
    assert!(matches!(out.value, Value::Vector(ref v) if v.is_empty()), "{:?}", out.value);
    assert_eq!(out.annotations.warnings.len(), 1, "{:?}", out.annotations);
    assert!(error(&e, "double_exponential_smoothing(temperature[5m], 1, 0.5)", 0)
        .to_string()
        .contains("smoothing factor"));
    assert_eq!(vector(&e, "sort(temperature)", 0).len(), 1);
    let tiny = engine_with(
        vec![series(&[("__name__", "m")], &[(0, 1.0), (1, 2.0), (2, 3.0)])],
        EngineOptions { max_samples: 2, ..Default::default() },
    );
    assert!(matches!(tiny.instant_query("m", 2), Err(PromqlError::TooManySamples)));
    let qo = QueryOptions { timeout: Some(Duration::ZERO), ..Default::default() };
    let err = e.instant_query_with("temperature", 0, &qo).err();
    assert!(matches!(err, Some(PromqlError::Timeout(_))), "{err:?}");
}

#[test]
fn odd_queries_never_panic_or_fail_internally() {
    let e = counters();
    let queries = [
        "",
        "(",
        ")",
        "{}",
        "1 +",
        "rate(",
        "rate(temperature)",
        "sum by (",
        "foo[",
        "foo[-1m]",
        "foo offset",
        "-temperature[5m]",
        "\"a\" + 1",
        "1 and 2",
        "temperature @ 1e300",
        "temperature offset 100000000y",
        "temperature[100000000y]",
        "topk(NaN, temperature)",
        "topk(1e300, temperature)",
        "quantile(NaN, temperature)",
        "round(temperature, 0)",
        "label_replace(temperature, \"\", \"\", \"a\", \"(\")",
        "histogram_quantile(0.5, x)",
        "count_values(\"v\", temperature)",
        "temperature{a=~\"{1\"}",
        "timestamp(temperature offset -5m)",
        "foo[1e400]",
        "foo offset -1e300",
        "foo @ 1e400",
        "foo[0]",
        "1e400",
    ];
    for q in queries {
        if let Err(PromqlError::Internal(m)) = e.instant_query(q, 5 * MIN) {
            panic!("{q}: internal error {m}");
        }
        let _ = e.range_query(q, 0, 10 * MIN, MIN);
    }
}

/// Runs a promqltest script with the shared runner ([`promqltest`]), panicking with every
/// failing eval. Annotations (`expect warn|info`) are not checked: the engine has none yet.
fn run_script(script: &str) {
    let opts = promqltest::RunOptions { check_annotations: false, ..Default::default() };
    let report = promqltest::run_script(script, &opts, &|_| None);
    let failures: Vec<String> =
        report.failures.iter().map(|f| format!("line {}: {}: {}", f.line, f.query, f.message)).collect();
    assert!(report.errors.is_empty(), "script errors: {:?}", report.errors);
    assert!(failures.is_empty(), "{} failing evals:\n{}", failures.len(), failures.join("\n"));
    assert!(report.passed > 0, "no evals ran");
}

#[test]
fn upstream_staleness_cases() {
    run_script(include_str!("testdata/staleness.test"));
}

#[test]
fn upstream_selector_cases() {
    run_script(include_str!("testdata/selectors.test"));
}

#[test]
fn upstream_literal_cases() {
    run_script(include_str!("testdata/literals.test"));
}

#[test]
fn upstream_operator_cases() {
    run_script(include_str!("testdata/operators.test"));
}

#[test]
fn upstream_aggregator_cases() {
    run_script(include_str!("testdata/aggregators.test"));
}

#[test]
fn upstream_at_modifier_cases() {
    run_script(include_str!("testdata/at_modifier.test"));
}

#[test]
fn upstream_function_cases() {
    run_script(include_str!("testdata/functions.test"));
}

#[test]
fn pathological_queries_are_refused_without_overflowing_the_stack() {
    // Run on a thread with an ordinary 2 MiB stack, as a tokio blocking thread has.
    let worker = std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
        let e = engine(vec![]);
        let chain = format!("1{}", "+1".repeat(3_000));
        assert_eq!(e.instant_query(&chain, 0).ok(), Some(Value::Scalar { t: 0, v: 3001.0 }));
        let err = e.instant_query(&format!("1{}", "+1".repeat(50_000)), 0).err();
        assert!(matches!(err, Some(PromqlError::BadData(ref m)) if m.contains("operators")), "{err:?}");
        let err = e.instant_query(&format!("{}1{}", "(".repeat(20_000), ")".repeat(20_000)), 0).err();
        assert!(matches!(err, Some(PromqlError::BadData(ref m)) if m.contains("nested")), "{err:?}");
        let err = e.range_query(&format!("{}x{}", "abs(".repeat(20_000), ")".repeat(20_000)), 0, 10, 1).err();
        assert!(matches!(err, Some(PromqlError::BadData(_))), "{err:?}");
        let long = format!("x{{a=\"{}\"}}", "b".repeat(MAX_QUERY_BYTES));
        assert!(matches!(e.instant_query(&long, 0), Err(PromqlError::BadData(ref m)) if m.contains("bytes")));
        assert!(parse_series_selector(&format!("1{}", "+1".repeat(50_000))).is_err());
        // Operators inside strings do not count.
        let regex = format!("x{{a=~\"{}\"}}", "a|b+c-".repeat(2_000));
        assert!(e.instant_query(&regex, 0).is_ok());
    });
    assert!(worker.expect("spawn").join().is_ok());
}

#[test]
fn annotations_follow_prometheus() {
    let e = counters();
    let qo = QueryOptions::default();
    // rate over a name without a counter suffix: an info, the value still comes back.
    let out = e.instant_query_with("rate(temperature[5m])", 2 * MIN, &qo).expect("runs");
    assert_eq!(
        out.annotations.infos,
        vec!["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"temperature\""]
    );
    let out = e.instant_query_with("rate(http_requests_total[5m])", 10 * MIN, &qo).expect("runs");
    assert!(out.annotations.is_empty(), "{:?}", out.annotations);
    // sort in a range query is ineffective: a warning.
    let out = e.range_query_with("sort(temperature)", 0, 10 * MIN, MIN, &qo).expect("runs");
    assert_eq!(out.annotations.warnings.len(), 1, "{:?}", out.annotations);
    let out = e.instant_query_with("quantile(2, temperature)", 10 * MIN, &qo).expect("runs");
    assert_eq!(out.annotations.warnings, vec!["PromQL warning: quantile value should be between 0 and 1, got 2"]);
}
