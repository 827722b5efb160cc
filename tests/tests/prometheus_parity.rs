//! Prometheus parity: the same data (about 250 series over 6 h: counters with resets, gauges,
//! a classic histogram, late, early-stopping and gappy series) goes into Debian's Prometheus 2.42
//! (`promtool tsdb create-blocks-from openmetrics`) and into Pharos (the agent protocol), in two
//! layouts (every sample on a 15 s grid; each instance shifted by its own 0–14 s), and every query
//! of `tests/parity/queries.txt` runs against both as instant queries at several times and as
//! range queries at two steps, on and off the sample grid. Every difference is reported; those
//! caused by Prometheus 3's left-open range and lookback windows are recognised by asking Pharos
//! again with closed-equivalent windows (see `pharos_e2e::parity::run`). Any other difference
//! must be listed in `tests/parity/known_differences.txt`, and every entry there must still differ.
//!
//! Run: `cargo build --release --workspace && cargo test --release -p pharos-e2e --test
//! prometheus_parity -- --nocapture`. With `PARITY_HOLD_SECS=N` the four servers stay up N seconds
//! after the report (their addresses are printed) for looking into a difference by hand.

use pharos_e2e::parity::compare::{close, Answer, STRICT_REL};
use pharos_e2e::parity::data::{self, Layout};
use pharos_e2e::parity::model::{self, Rules};
use pharos_e2e::parity::run::{self, Eval, Pair, Row};
use pharos_e2e::parity::targets::{self, Prometheus};
use pharos_e2e::parity::{known, queries};
use pharos_e2e::{workspace, Aggregator};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// At least this many points must be compared in all (a broken setup compares almost nothing).
const MIN_POINTS: usize = 1_000_000;
/// Queries required by the issue.
const MIN_QUERIES: usize = 150;
/// Series required by the issue.
const MIN_SERIES: usize = 200;

struct Servers {
    prom: Prometheus,
    pharos: Aggregator,
}

fn start_servers(fams: &[data::Family], total_samples: usize) -> Vec<(Layout, Servers)> {
    let layouts = [Layout::Grid, Layout::Offset];
    // promtool and Prometheus start in the background while Pharos is loaded.
    let (proms, pharoses) = std::thread::scope(|scope| {
        let handles: Vec<_> = layouts.iter().map(|&l| scope.spawn(move || Prometheus::start(fams, l))).collect();
        let pharoses: Vec<Aggregator> = layouts
            .iter()
            .map(|&l| {
                let (agg, accepted) = targets::start_pharos(fams, l);
                assert_eq!(accepted as usize, total_samples, "Pharos accepted every pushed sample ({})", l.name());
                agg
            })
            .collect();
        let proms: Vec<Prometheus> = handles.into_iter().map(|h| h.join().expect("prometheus start")).collect();
        (proms, pharoses)
    });
    let http = reqwest::blocking::Client::new();
    let names = data::metric_names(fams);
    let mut out = Vec::new();
    for ((l, prom), pharos) in layouts.into_iter().zip(proms).zip(pharoses) {
        for (name, addr) in [("prometheus", prom.addr), ("pharos", pharos.http)] {
            let n = targets::stored_samples(&http, addr, &names);
            assert_eq!(n, Ok(total_samples as f64), "{name} ({}) holds every sample", l.name());
        }
        out.push((l, Servers { prom, pharos }));
    }
    out
}

fn load(path: &str) -> String {
    let p = workspace().join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[derive(Default)]
struct Totals {
    queries: BTreeSet<String>,
    compared: usize,
    differing: usize,
    edge: usize,
    extrapolation: usize,
    unexplained: usize,
    known: usize,
}

#[test]
fn prometheus_2_42_and_pharos_answer_the_same() {
    let t0 = Instant::now();
    let fams = data::generate();
    let (n_series, n_samples) = data::totals(&fams);
    assert!(n_series >= MIN_SERIES, "{n_series} series");
    let queries = queries::parse(&load("tests/parity/queries.txt")).expect("queries.txt");
    assert!(queries.len() >= MIN_QUERIES, "{} queries", queries.len());
    let check_names: Vec<&str> = run::checks().iter().map(|c| c.name).collect();
    let known = known::parse(&load("tests/parity/known_differences.txt"), &["grid", "offset"], &check_names)
        .expect("known_differences.txt");
    for k in &known {
        assert!(queries.iter().any(|q| q.id == k.query), "known_differences.txt line {}: no query {}", k.line, k.query);
    }

    let mut servers = start_servers(&fams, n_samples);
    println!(
        "parity: {n_series} series, {n_samples} samples per dataset, {} queries; servers ready in {:.1?}",
        queries.len(),
        t0.elapsed()
    );
    let pairs: Vec<Pair> = servers
        .iter()
        .map(|(l, s)| Pair {
            dataset: l.name(),
            prom: s.prom.addr,
            pharos: s.pharos.http,
            counter_starts: model::counter_starts(&fams, *l),
        })
        .collect();
    for ((l, _), pair) in servers.iter().zip(&pairs) {
        verify_extrapolation_model(&fams, *l, pair);
    }
    let t1 = Instant::now();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(2, 4);
    let rows = run::run_all(&queries, &pairs, threads);
    println!("parity: {} comparisons in {:.1?}", rows.len(), t1.elapsed());

    let failures = report(&rows, &known);
    if let Some(secs) = std::env::var("PARITY_HOLD_SECS").ok().and_then(|s| s.parse::<u64>().ok()) {
        // For investigating a difference by hand: the servers stay up this long.
        for p in &pairs {
            println!("parity: {}: prometheus http://{} pharos http://{}", p.dataset, p.prom, p.pharos);
        }
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
    assert!(rows.iter().all(|r| !r.transport_error), "a server failed to answer (transport error); see the table");
    let compared: usize = rows.iter().map(|r| r.compared).sum();
    assert!(compared >= MIN_POINTS, "only {compared} points compared");
    // Off the grid no sample sits on a window edge, so nothing may be explained by one there
    // unless a subquery's epoch-aligned inner steps bring the grid back.
    for r in rows.iter().filter(|r| r.check.ends_with("_off") && r.edge > 0) {
        let q = queries.iter().find(|q| q.id == r.query).expect("query");
        assert!(q.has_subquery(), "{} {} {}: edge-explained off the grid", r.query, r.dataset, r.check);
    }
    // Neither server may have died under the load (a crash would otherwise show only as errors).
    for (l, s) in &mut servers {
        assert!(s.prom.proc.running(), "prometheus ({}) died; log:\n{}", l.name(), s.prom.proc.log_text());
        assert!(
            s.pharos.proc.as_mut().is_some_and(|p| p.running()),
            "pharos ({}) died; log:\n{}",
            l.name(),
            s.pharos.log()
        );
    }
    assert!(failures.is_empty(), "parity failures:\n{}", failures.join("\n"));
}

/// Checks [`model::increase`] against both servers around every counter start and reset of a
/// few series: Prometheus 2.42 must match the 2.x rules and Pharos the 3.x rules at every point
/// (range queries with a 7 s step, on and off whole seconds), and the rules must differ at some
/// points, so the extrapolation explanation used for the query list is verified, not assumed.
fn verify_extrapolation_model(fams: &[data::Family], layout: Layout, pair: &Pair) {
    let http = reqwest::blocking::Client::new();
    let wanted: [&[(&str, &str)]; 3] = [
        &[("__name__", "http_request_duration_seconds_count"), ("instance", "api-0"), ("handler", "/users")],
        &[("__name__", "http_request_duration_seconds_count"), ("instance", "api-1"), ("handler", "/orders")],
        &[("__name__", "node_cpu_seconds_total"), ("instance", "host-2"), ("cpu", "0"), ("mode", "user")],
    ];
    let range_ms = 300_000;
    let (mut points, mut changed) = (0usize, 0usize);
    for want in wanted {
        let series = fams
            .iter()
            .flat_map(|f| &f.series)
            .find(|s| want.iter().all(|(k, v)| s.labels.iter().any(|(a, b)| a == k && b == v)))
            .expect("model series exists");
        let sel: Vec<String> = series.labels[1..].iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        let query = format!("increase({}{{{}}}[5m])", series.labels[0].1, sel.join(","));
        let samples = model::samples(series, layout);
        let starts: Vec<i64> = std::iter::once(samples[0].0)
            .chain(samples.windows(2).filter(|w| w[1].1 < w[0].1).map(|w| w[1].0))
            .collect();
        for start in starts {
            for shift in [0, 500] {
                let eval = Eval::Range(start - 60_000 + shift, start + 420_000 + shift, 7);
                for (addr, rules, who) in [(pair.prom, Rules::V2, "prometheus"), (pair.pharos, Rules::V3, "pharos")] {
                    let Answer::Data(d) = run::ask(&http, addr, &query, eval, None) else {
                        panic!("{who} ({}): {query} failed", pair.dataset)
                    };
                    let Eval::Range(from, to, _) = eval else { unreachable!() };
                    for t in (from..=to).step_by(7000) {
                        let want = model::increase(&samples, t, range_ms, rules);
                        let got = d.points.iter().find(|((_, pt), _)| *pt == t).map(|(_, v)| *v);
                        let ok = match (want, got) {
                            (Some(a), Some(b)) => close(a, b, STRICT_REL),
                            (None, None) => true,
                            _ => false,
                        };
                        assert!(
                            ok,
                            "{who} ({}) {query} at {}: model {want:?}, got {got:?}",
                            pair.dataset,
                            run::secs(t)
                        );
                        points += 1;
                        if rules == Rules::V2 {
                            let other = model::increase(&samples, t, range_ms, Rules::V3);
                            if matches!((want, other), (Some(a), Some(b)) if !close(a, b, 1e-9)) {
                                changed += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    println!(
        "parity: {}: increase() model matches both servers at {points} points; 2.x and 3.x rules differ at {changed}",
        pair.dataset
    );
    assert!(changed > 0, "the data no longer exercises the 2.x/3.x extrapolation difference");
}

/// Prints the table and totals; returns the failures (unlisted differences, stale entries).
fn report(rows: &[Row], known: &[known::Known]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut totals: BTreeMap<&str, Totals> = BTreeMap::new();
    let mut used = vec![false; known.len()];
    println!(
        "\n{:<5} {:<6} {:<11} {:>7} {:>6} {:>6} {:>6} {:>6} {:>5}  status",
        "query", "data", "comparison", "points", "differ", "edge", "extrap", "unexpl", "errs"
    );
    for r in rows {
        let t = totals.entry(r.dataset).or_default();
        t.queries.insert(r.query.clone());
        t.compared += r.compared;
        t.differing += r.differing;
        t.edge += r.edge;
        t.extrapolation += r.extrapolation;
        t.unexplained += r.unexplained.len();
        let entry = known.iter().position(|k| k.covers(&r.query, r.dataset, r.check));
        let mut status = Vec::new();
        if r.edge > 0 {
            status.push("explained: left-open windows (3.x)".to_string());
        }
        if r.extrapolation > 0 {
            status.push("explained: zero-point extrapolation (3.x)".to_string());
        }
        if !r.unexplained.is_empty() {
            match entry {
                Some(i) => {
                    used[i] = true;
                    t.known += r.unexplained.len();
                    status.push(format!("known: {}", known[i].reason));
                }
                None => {
                    failures.push(format!(
                        "{} {} {}: {} unexplained differences",
                        r.query,
                        r.dataset,
                        r.check,
                        r.unexplained.len()
                    ));
                    status.push("UNEXPLAINED".to_string());
                }
            }
        }
        if status.is_empty() {
            status.push("ok".to_string());
        }
        println!(
            "{:<5} {:<6} {:<11} {:>7} {:>6} {:>6} {:>6} {:>6} {:>5}  {}",
            r.query,
            r.dataset,
            r.check,
            r.compared,
            r.differing,
            r.edge,
            r.extrapolation,
            r.unexplained.len(),
            r.both_errors,
            status.join("; ")
        );
        for (eval, d) in r.unexplained.iter().take(3) {
            println!("        {eval}: {:?}: prometheus {} pharos {}", d.key, d.prom, d.pharos);
        }
    }
    for (k, used) in known.iter().zip(&used) {
        if !used {
            failures.push(format!(
                "known_differences.txt line {} ({} {} {}) no longer differs: remove it",
                k.line, k.query, k.dataset, k.comparison
            ));
        }
    }
    println!("\n(edge: explained by 3.x's left-open windows; extrap: by 3.x's zero-point extrapolation; errs: evaluations where both answered an error)");
    println!(
        "{:<7} {:>7} {:>10} {:>9} {:>9} {:>9} {:>11} {:>8}",
        "dataset", "queries", "points", "differ", "edge", "extrap", "unexplained", "known"
    );
    for (d, t) in &totals {
        println!(
            "{:<7} {:>7} {:>10} {:>9} {:>9} {:>9} {:>11} {:>8}",
            d,
            t.queries.len(),
            t.compared,
            t.differing,
            t.edge,
            t.extrapolation,
            t.unexplained,
            t.known
        );
    }
    failures
}
