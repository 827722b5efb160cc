//! No query, however malformed, panics: random strings and mutations of real queries go through
//! parsing and both instant and range evaluation over a small store. Errors are fine; a panic
//! (which would take down a query thread or the test) is not.

use pharos_aggregator::promql::{Engine, EngineOptions};
use pharos_aggregator::storage::memory::MemoryStorage;
use pharos_aggregator::storage::Storage;
use pharos_protocol::{stale_nan, Labels, Sample, Series};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Queries covering every syntax family, mutated by the property below.
const SEEDS: &[&str] = &[
    "up",
    "sum by (mode) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m]))",
    "quantile by (job) (0.9, sum by (job, le) (rate(node_cpu_seconds_total[5m])))",
    "a / on(job) group_left(instance) b",
    "max_over_time(rate(x[1m])[10m:30s] offset 1m)",
    "x @ start() + x @ end()",
    "topk(3, count_values(\"v\", x)) or vector(1)",
    "label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\")",
    "sort_desc(limitk(2, x) > bool 0.5)",
    "-x ^ 2 % 3 unless on() absent(y)",
    "{__name__=~\"x|y\", job=\"a\"}[2m:]",
    "predict_linear(x[5m], 3600) and deriv(y[5m]) < 1e308",
    "histogram_quantile(0.9, sum by (le) (rate(node_cpu_seconds_total[5m])))",
    "histogram_fraction(-Inf, 0.5, x) + histogram_quantiles(x, \"q\", 0.1, 0.9)",
    "double_exponential_smoothing(x[5m], 0.5, 0.1) or mad_over_time(y[2m])",
    "stddev without (job) (ts_of_max_over_time(x[3m] @ end()))",
];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let store = MemoryStorage::new();
        let mut data = Vec::new();
        for (name, job) in [("x", "a"), ("y", "a"), ("x", "b"), ("up", "a"), ("node_cpu_seconds_total", "a")] {
            let samples = (0..60)
                .map(|i| Sample { timestamp_ms: i * 15_000, value: if i == 40 { stale_nan() } else { i as f64 } })
                .collect();
            data.push(Series {
                labels: Labels::from_pairs([("__name__", name), ("job", job), ("mode", "user"), ("le", "1")]),
                samples,
            });
        }
        store.append(&data, None).expect("append");
        let opts =
            EngineOptions { timeout: Duration::from_secs(5), max_samples: 1_000_000, ..EngineOptions::default() };
        Engine::new(Arc::new(store), opts)
    })
}

/// Evaluates `q` both ways. The engine runs each query on its own thread and turns a panic there
/// into an internal error, so a panic shows up as that error rather than as a crash.
fn evaluate(q: &str) {
    let e = engine();
    for result in [e.instant_query(q, 600_000), e.range_query(q, 0, 900_000, 60_000)] {
        if let Err(err) = result {
            assert!(!err.to_string().contains("panicked"), "query {q:?} panicked: {err}");
        }
    }
}

/// One edit: delete, duplicate or replace a byte range with a PromQL-ish token.
fn mutate(seed: &str, ops: &[(usize, usize, usize)]) -> String {
    const TOKENS: &[&str] =
        &["(", ")", "[", "]", "{", "}", ",", "\"", "by", "on", "@", ":", "offset", "5m", "-1", "1e400", "=~", "!", " "];
    let mut s: Vec<u8> = seed.as_bytes().to_vec();
    for &(pos, len, tok) in ops {
        if s.is_empty() {
            break;
        }
        let at = pos % s.len();
        let end = (at + len % 4).min(s.len());
        match tok % 3 {
            0 => {
                s.drain(at..end);
            }
            1 => {
                let copy: Vec<u8> = s[at..end].to_vec();
                s.splice(at..at, copy);
            }
            _ => {
                s.splice(at..end, TOKENS[tok % TOKENS.len()].bytes());
            }
        }
    }
    String::from_utf8_lossy(&s).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(q in "\\PC{0,60}") {
        evaluate(&q);
    }

    #[test]
    fn mutated_queries_never_panic(
        seed in 0..SEEDS.len(),
        ops in proptest::collection::vec((0usize..200, 0usize..8, 0usize..60), 1..4),
    ) {
        evaluate(&mutate(SEEDS[seed], &ops));
    }
}

#[test]
fn the_seed_queries_themselves_evaluate() {
    // The mutations start from queries the engine answers, so they reach evaluation, not only
    // the parser.
    let e = engine();
    let failing: Vec<String> = SEEDS
        .iter()
        .filter_map(|q| {
            evaluate(q);
            e.instant_query(q, 600_000).err().map(|err| format!("{q}: {err}"))
        })
        .collect();
    assert!(failing.is_empty(), "seeds that do not evaluate:\n{}", failing.join("\n"));
}
