//! The series-major range evaluation (`EngineOptions::series_major`) gives exactly the results,
//! errors and annotations of step-by-step evaluation: random data (gaps, counter resets,
//! staleness markers, NaN) and random queries of the shapes it handles — and shapes around
//! them — run both ways as range queries with random grids, and the matrices must be
//! bit-for-bit equal.

use pharos_aggregator::promql::{Engine, EngineOptions, QueryOptions, QueryOutput, Value};
use pharos_aggregator::storage::memory::MemoryStorage;
use pharos_aggregator::storage::Storage;
use pharos_protocol::{stale_nan, Labels, Sample, Series};
use proptest::prelude::*;
use std::sync::Arc;

const FUNCTIONS: &[&str] = &[
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
    "ts_of_max_over_time",
];
const AGGREGATIONS: &[&str] = &["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"];
const SELECTORS: &[&str] = &[
    "m_total",
    "g",
    "m_total{job=\"a\"}",
    "{__name__=~\"m_total|g\"}",
    "g{inst!=\"2\"}",
    "m_total offset 1m",
    "g @ 300",
];
const GROUPINGS: &[&str] = &["", " by (job)", " by (inst)", " without (inst)", " by (__name__)", " without ()"];
const RANGES: &[&str] = &["30s", "1m", "2m", "5m"];

/// One value of a random series: a step, or a gap, reset, stale marker or NaN.
fn value_strategy() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        6 => (0.0f64..50.0).prop_map(Some),
        1 => Just(None),
        1 => Just(Some(f64::NAN)),
        1 => Just(Some(-1.0)), // marks a staleness marker
        1 => Just(Some(-2.0)), // marks a counter reset
    ]
}

fn storage_from(raw: &[Vec<Option<f64>>], jitter: &[i64]) -> Arc<MemoryStorage> {
    let store = MemoryStorage::new();
    let mut data = Vec::new();
    let mut k = 0;
    for name in ["m_total", "g"] {
        for job in ["a", "b"] {
            for inst in ["1", "2"] {
                let vals = &raw[k % raw.len()];
                let offset = jitter[k % jitter.len()];
                k += 1;
                let mut total = 0.0;
                let mut samples = Vec::new();
                for (i, v) in vals.iter().enumerate() {
                    let Some(v) = *v else { continue };
                    let value = match v {
                        -1.0 => stale_nan(),
                        -2.0 => {
                            total = 0.0;
                            0.0
                        }
                        x if x.is_nan() => f64::NAN,
                        x if name == "m_total" => {
                            total += x;
                            total
                        }
                        x => x - 25.0,
                    };
                    samples.push(Sample { timestamp_ms: i as i64 * 15_000 + offset, value });
                }
                data.push(Series {
                    labels: Labels::from_pairs([("__name__", name), ("job", job), ("inst", inst)]),
                    samples,
                });
            }
        }
    }
    store.append(&data, None).expect("append");
    Arc::new(store)
}

/// A random query: a range function or selector under zero to two aggregations, sometimes
/// inside a binary operation or a subquery.
fn query_strategy() -> impl Strategy<Value = String> {
    let leaf = (0..FUNCTIONS.len(), 0..SELECTORS.len(), 0..RANGES.len(), any::<bool>()).prop_map(|(f, s, r, raw)| {
        if raw {
            SELECTORS[s].to_string()
        } else {
            // `@`/offset go on the range selector, after the range.
            let sel = SELECTORS[s];
            let (base, modifier) = match sel.find(" offset ").or_else(|| sel.find(" @ ")) {
                Some(i) => (&sel[..i], &sel[i..]),
                None => (sel, ""),
            };
            format!("{}({base}[{}]{modifier})", FUNCTIONS[f], RANGES[r])
        }
    });
    let agg = (leaf, proptest::collection::vec((0..AGGREGATIONS.len(), 0..GROUPINGS.len()), 0..3)).prop_map(
        |(mut q, aggs)| {
            for (a, g) in aggs {
                q = format!("{}{} ({q})", AGGREGATIONS[a], GROUPINGS[g]);
            }
            q
        },
    );
    (agg.clone(), agg, 0..5).prop_map(|(a, b, shape)| match shape {
        0 => format!("{a} / on() group_left() sum({b})"),
        1 => format!("max_over_time(({a})[2m:30s])"),
        2 => format!("{a} > bool 1"),
        _ => a,
    })
}

fn run(store: &Arc<MemoryStorage>, series_major: bool, q: &str, start: i64, end: i64, step: i64) -> String {
    let opts = EngineOptions { series_major, ..EngineOptions::default() };
    let engine = Engine::new(store.clone(), opts);
    describe(engine.range_query_with(q, start, end, step, &QueryOptions::default()))
}

/// The result as text with every value's bits, so NaN payloads and -0 count too.
fn describe(r: Result<QueryOutput, pharos_aggregator::promql::PromqlError>) -> String {
    match r {
        Err(e) => format!("error: {e}"),
        Ok(out) => {
            let mut s = format!("warnings {:?} infos {:?}\n", out.annotations.warnings, out.annotations.infos);
            if let Value::Matrix(m) = out.value {
                for series in m {
                    s.push_str(&format!("{}:", series.metric));
                    for p in series.points {
                        s.push_str(&format!(" {}={:x}", p.t, if p.v.is_nan() { 0 } else { p.v.to_bits() }));
                    }
                    s.push('\n');
                }
            }
            s
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn series_major_equals_step_by_step(
        raw in proptest::collection::vec(proptest::collection::vec(value_strategy(), 10..60), 1..5),
        jitter in proptest::collection::vec(0i64..15_000, 1..4),
        q in query_strategy(),
        start in 0i64..600_000,
        steps in 1i64..40,
        step in prop_oneof![Just(15_000i64), Just(30_000), Just(60_000), 1_000i64..90_000],
    ) {
        let store = storage_from(&raw, &jitter);
        let end = start + steps * step;
        let fast = run(&store, true, &q, start, end, step);
        let slow = run(&store, false, &q, start, end, step);
        prop_assert_eq!(fast, slow, "query {} from {} to {} step {}", q, start, end, step);
    }
}
