//! Criterion benchmark of the PromQL engine on in-memory data shaped like the shared querybench
//! (`../shared/peers/querybench`): the six queries of the query-engine issue as 6 h range queries
//! at 15 s and 60 s steps over `MemoryStorage`, so it measures the engine (and the in-memory
//! store's select), not RocksDB or HTTP.
//!
//! Data, generated once with a seeded PRNG (same shapes as querybench's `gen_data.py`, not the
//! same numbers): `node_cpu_seconds_total{job,instance,cpu,mode}` 125 instances × 10 cpus × 8
//! modes = 10,000 counters (two instances reset once); `http_request_duration_seconds_{bucket,
//! sum,count}{job,instance}` for 100 instances with 10 `le` incl. `+Inf`; `node_memory_
//! MemAvailable_bytes` and `node_memory_MemTotal_bytes` for 125 instances; one sample every 15 s
//! for 6 h: 11,450 series, 16,488,000 samples.
//!
//! ```sh
//! cargo bench -p pharos-aggregator --bench promql                 # everything, a few minutes
//! cargo bench -p pharos-aggregator --bench promql -- cpu_by_mode  # criterion filter
//! PHAROS_BENCH_QUICK=1 cargo bench -p pharos-aggregator --bench promql   # 1 h of data, short runs
//! ```
//!
//! Medians: `target/criterion/promql_range/<query>/<step>/new/estimates.json` (`median`).
//! A query the engine cannot run yet is reported on stderr and skipped, not failed.

#[path = "common/synth.rs"]
mod synth;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use pharos_aggregator::promql::{Engine, EngineOptions, Value};
use pharos_aggregator::storage::memory::MemoryStorage;
use pharos_aggregator::storage::Storage;
use pharos_protocol::{Labels, Sample, Series};
use std::sync::Arc;
use std::time::{Duration, Instant};
use synth::{cpu_mode_counters, lognormal_bucket_cdf, wave, Rng};

/// The queries, by querybench id.
const QUERIES: &[(&str, &str)] = &[
    ("cpu_by_mode", "sum by (mode) (rate(node_cpu_seconds_total[5m]))"),
    ("hist_p99", "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"),
    ("count_by_inst", "count by (instance) (node_cpu_seconds_total)"),
    (
        "regex_sel",
        r#"sum by (instance) (rate(node_cpu_seconds_total{instance=~"host-0[0-4].*",mode=~"user|system|iowait"}[5m]))"#,
    ),
    (
        "on_group_left",
        r#"sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])) / on() group_left() sum(rate(node_cpu_seconds_total{mode!="idle"}[5m]))"#,
    ),
    ("subquery_agg", "max by (mode) (max_over_time(rate(node_cpu_seconds_total[5m])[30m:1m]))"),
];

/// Range-query steps, in seconds.
const STEPS_S: &[i64] = &[15, 60];

/// Sample interval of the data, in seconds.
const SCRAPE_S: i64 = 15;

/// Start of the data window (a multiple of 6 h, like querybench's), in seconds.
const START_S: i64 = 1_763_661_600;

const INSTANCES: usize = 125;
const CPUS: usize = 10;
const HTTP_INSTANCES: usize = 100;
const MODES: [&str; 8] = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];
const LE: [&str; 10] = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];

/// The generated data in a `MemoryStorage`.
struct Dataset {
    storage: Arc<MemoryStorage>,
    start_ms: i64,
    end_ms: i64,
    series: usize,
    samples: usize,
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

fn series(labels: Labels, start_ms: i64, values: impl IntoIterator<Item = f64>) -> Series {
    let samples = values
        .into_iter()
        .enumerate()
        .map(|(i, value)| Sample { timestamp_ms: start_ms + i as i64 * SCRAPE_S * 1000, value })
        .collect();
    Series { labels, samples }
}

/// Generates the data set: `hours` of samples every 15 s from `START_S`.
fn dataset(hours: i64) -> Dataset {
    let t0 = Instant::now();
    let n = (hours * 3600 / SCRAPE_S) as usize;
    let start_ms = START_S * 1000;
    let end_ms = start_ms + n as i64 * SCRAPE_S * 1000;
    let storage = Arc::new(MemoryStorage::new());
    let mut rng = Rng(20_261_121);
    let mut batch: Vec<Series> = Vec::new();
    let (mut n_series, mut n_samples) = (0usize, 0usize);
    let mut flush = |batch: &mut Vec<Series>, force: bool| {
        if force || batch.len() >= 400 {
            n_series += batch.len();
            n_samples += batch.iter().map(|s| s.samples.len()).sum::<usize>();
            storage.append(batch, None).expect("append to memory");
            batch.clear();
        }
    };
    let names: Vec<String> = (0..INSTANCES).map(|i| format!("host-{i:03}")).collect();

    // node_cpu_seconds_total, in centiseconds like node_exporter; two instances reboot once.
    let step_cs = (SCRAPE_S * 100) as f64;
    let resets = [(3usize, n * 35 / 100), (65usize, n * 65 / 100)];
    for (ii, inst) in names.iter().enumerate() {
        let load = rng.uniform(0.3, 2.5);
        let uptime_cs = rng.uniform(86_400.0, 100.0 * 86_400.0) * 100.0;
        let w = wave(&mut rng, n, 0.4);
        let reset = resets.iter().find(|r| r.0 == ii).map(|r| r.1);
        for cpu in 0..CPUS {
            let cpu_s = cpu.to_string();
            // Busy modes' increments per step, capped at 95 % of a cpu; idle gets the rest.
            let values = cpu_mode_counters(&mut rng, n, load, &w, reset, step_cs, uptime_cs);
            for (m, vals) in values.into_iter().enumerate() {
                let l = labels(&[
                    ("__name__", "node_cpu_seconds_total"),
                    ("job", "node"),
                    ("instance", inst),
                    ("cpu", &cpu_s),
                    ("mode", MODES[m]),
                ]);
                batch.push(series(l, start_ms, vals));
            }
            flush(&mut batch, false);
        }
    }

    // http_request_duration_seconds: a classic histogram per instance, log-normal latencies.
    for inst in names.iter().take(HTTP_INSTANCES) {
        let rps = rng.uniform(5.0, 200.0);
        let median = rng.uniform(0.02, 0.2);
        let sigma = rng.uniform(0.5, 1.1);
        let cdf = lognormal_bucket_cdf(median, sigma);
        let mean_s = median * (sigma * sigma / 2.0).exp();
        let w = wave(&mut rng, n, 0.5);
        let mut cum = [0.0f64; 10];
        let init = rng.uniform(10_000.0, 5_000_000.0).round();
        for (j, c) in cum.iter_mut().enumerate() {
            *c = (init * cdf[j]).round();
        }
        let mut sum = init * mean_s;
        let mut buckets: Vec<Vec<f64>> = (0..10).map(|_| Vec::with_capacity(n)).collect();
        let mut sums = Vec::with_capacity(n);
        for &wk in &w {
            let lambda = rps * SCRAPE_S as f64 * wk;
            let reqs = (lambda + lambda.sqrt() * rng.normal()).round().max(0.0);
            let mut below = 0.0;
            for j in 0..10 {
                // Requests at or below le[j]: cumulative, so never decreasing in j.
                let at_most = (reqs * cdf[j] + rng.uniform(-0.5, 0.5)).round().clamp(below, reqs);
                below = at_most;
                cum[j] += if j == 9 { reqs } else { at_most };
                buckets[j].push(cum[j]);
            }
            sum += reqs * mean_s * rng.uniform(0.9, 1.1);
            sums.push((sum * 1000.0).round() / 1000.0);
        }
        let count = buckets[9].clone();
        for (j, vals) in buckets.into_iter().enumerate() {
            let l = labels(&[
                ("__name__", "http_request_duration_seconds_bucket"),
                ("job", "api"),
                ("instance", inst),
                ("le", LE[j]),
            ]);
            batch.push(series(l, start_ms, vals));
        }
        let base = [("job", "api"), ("instance", inst.as_str())];
        let with_name = |name: &'static str| labels(&[[("__name__", name)].as_slice(), &base].concat());
        batch.push(series(with_name("http_request_duration_seconds_count"), start_ms, count));
        batch.push(series(with_name("http_request_duration_seconds_sum"), start_ms, sums));
        flush(&mut batch, false);
    }

    // node_memory_*: a random walk of pages, and the constant total.
    for inst in &names {
        let total = ([8.0, 16.0, 32.0, 64.0][(rng.next_u64() % 4) as usize]) * (1u64 << 30) as f64;
        let pages = total / 4096.0;
        let mut walk = pages * rng.uniform(0.3, 0.8);
        let avail: Vec<f64> = (0..n)
            .map(|_| {
                walk = (walk + pages * 0.004 * rng.normal()).clamp(pages * 0.05, pages * 0.95);
                walk.round() * 4096.0
            })
            .collect();
        let l = |name: &str| labels(&[("__name__", name), ("job", "node"), ("instance", inst)]);
        batch.push(series(l("node_memory_MemAvailable_bytes"), start_ms, avail));
        batch.push(series(l("node_memory_MemTotal_bytes"), start_ms, vec![total; n]));
    }
    flush(&mut batch, true);
    eprintln!(
        "promql bench: {n_series} series, {n_samples} samples over {hours} h generated in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    Dataset { storage, start_ms, end_ms, series: n_series, samples: n_samples }
}

/// Series and points of a range query's result.
fn shape(v: &Value) -> (usize, usize) {
    match v {
        Value::Matrix(m) => (m.len(), m.iter().map(|s| s.points.len()).sum()),
        _ => (1, 1),
    }
}

/// Criterion's name filter from the command line (`cargo bench ... -- FILTER`), if any, so the
/// untimed check run below is skipped for benchmarks criterion will not run.
fn name_filter() -> Option<regex::Regex> {
    const TAKES_VALUE: &[&str] = &[
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
        "--color",
        "--output-format",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--profile-time",
        "--plotting-backend",
        "--format",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with('-') && (*i == 0 || !TAKES_VALUE.contains(&args[i - 1].as_str())))?
        .1;
    regex::Regex::new(filter).ok()
}

fn bench_range_queries(c: &mut Criterion) {
    let quick = std::env::var_os("PHAROS_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0");
    let filter = name_filter();
    let data = dataset(if quick { 1 } else { 6 });
    assert!(data.series > 0 && data.samples > 0);
    let storage: Arc<dyn Storage> = data.storage.clone();
    let engine = Engine::new(storage, EngineOptions::default());
    let mut group = c.benchmark_group("promql_range");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    if quick {
        group.warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    } else {
        group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    }
    for &(id, query) in QUERIES {
        for &step_s in STEPS_S {
            let step = format!("{step_s}s");
            if filter.as_ref().is_some_and(|f| !f.is_match(&format!("promql_range/{id}/{step}"))) {
                continue;
            }
            let run = || engine.range_query(query, data.start_ms, data.end_ms, step_s * 1000);
            // One untimed run: skip (and say so) what the engine cannot run yet.
            match run() {
                Ok(v) => {
                    let (s, p) = shape(&v);
                    eprintln!("promql bench: {id} {step}: {s} series, {p} points");
                }
                Err(e) => {
                    eprintln!("promql bench: skipping {id} {step}: {e}");
                    continue;
                }
            }
            group.bench_function(BenchmarkId::new(id, &step), |b| b.iter(|| run().map(|v| shape(&v))));
        }
    }
    group.finish();
}

criterion_group!(benches, bench_range_queries);
criterion_main!(benches);
