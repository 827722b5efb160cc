//! Running every query against both servers of a dataset and classifying the differences.
//!
//! Each query is evaluated in several *comparisons*: instant queries at times on the 15 s grid and
//! at times half a second off every sample's second, and range queries over the window with a
//! start on the grid or off it. Off the grid no sample can sit exactly on a window edge, so 2.x's
//! closed windows and 3.x's left-open ones select the same samples and every difference there is
//! unexplained. On the grid, a difference is *explained* when Pharos, asked again with every range
//! one millisecond longer and `lookback_delta=300001ms` (which selects exactly 2.x's closed-window
//! samples), agrees with Prometheus (within [`EXTRAPOLATED_WIDENED_REL`] for queries whose
//! functions divide by or extrapolate to the range length, strictly otherwise). Queries with subqueries evaluate their
//! inner expression at epoch-aligned steps whatever the outer time is, so for them the check is
//! made in every comparison.
//!
//! The other tolerated change is `rate`/`increase` extrapolation towards a counter's zero point
//! (see [`super::model`], which the test checks numerically against both servers): a remaining
//! difference of a query using `rate` or `increase` is explained by it only at times whose
//! windows reach back to a counter's first sample or reset (the data has a few).

use super::compare::{compare, parse_answer, Answer, Diff, DiffKey, EXTRAPOLATED_WIDENED_REL, STRICT_REL};
use super::data::{END_S, START_S};
use super::queries::{widen, ParityQuery};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// One evaluation: an instant query at a time, or a range query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Eval {
    /// Instant query at this time (ms).
    Instant(i64),
    /// Range query: start (ms), end (ms), step (s).
    Range(i64, i64, i64),
}

impl Eval {
    /// A short description for reports.
    pub fn describe(&self) -> String {
        match self {
            Eval::Instant(t) => format!("instant @{}", secs(*t)),
            Eval::Range(s, e, st) => format!("range {}..{} step {st}s", secs(*s), secs(*e)),
        }
    }
}

/// A named group of evaluations.
#[derive(Debug, Clone)]
pub struct Check {
    /// Name used in reports and in `known_differences.txt`.
    pub name: &'static str,
    /// Whether evaluation times are whole seconds (so samples can sit on window edges).
    pub on_grid: bool,
    /// The evaluations.
    pub evals: Vec<Eval>,
}

/// The comparisons every query goes through.
pub fn checks() -> Vec<Check> {
    let s = START_S * 1000;
    let e = END_S * 1000;
    vec![
        Check {
            name: "instant_on",
            on_grid: true,
            // Near the start, mid-window, the lookback edge of early_stop_total's last grid sample
            // (14385 s + 300 s), and after the end within the lookback.
            evals: vec![
                Eval::Instant(s + 120_000),
                Eval::Instant(s + 10_800_000),
                Eval::Instant(s + 14_685_000),
                Eval::Instant(e + 120_000),
            ],
        },
        Check {
            name: "instant_off",
            on_grid: false,
            evals: vec![
                Eval::Instant(s + 95_500),
                Eval::Instant(s + 10_807_500),
                Eval::Instant(s + 14_685_500),
                Eval::Instant(e + 150_500),
            ],
        },
        Check { name: "range60_on", on_grid: true, evals: vec![Eval::Range(s - 120_000, e + 360_000, 60)] },
        Check { name: "range37_on", on_grid: true, evals: vec![Eval::Range(s - 120_000, e + 360_000, 37)] },
        Check { name: "range60_off", on_grid: false, evals: vec![Eval::Range(s - 119_500, e + 360_500, 60)] },
        Check { name: "range37_off", on_grid: false, evals: vec![Eval::Range(s - 119_500, e + 360_500, 37)] },
    ]
}

/// Milliseconds as API seconds text (`1767225600.5`).
pub fn secs(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{}", ms / 1000)
    } else {
        format!("{}.{:03}", ms.div_euclid(1000), ms.rem_euclid(1000))
    }
}

/// Asks one server; transport failures become [`Answer::Error`] with a `transport:` prefix.
pub fn ask(
    http: &reqwest::blocking::Client,
    addr: SocketAddr,
    query: &str,
    eval: Eval,
    lookback: Option<&str>,
) -> Answer {
    let mut params: Vec<(&str, String)> = vec![("query", query.to_string())];
    let path = match eval {
        Eval::Instant(t) => {
            params.push(("time", secs(t)));
            "query"
        }
        Eval::Range(s, e, step) => {
            params.push(("start", secs(s)));
            params.push(("end", secs(e)));
            params.push(("step", step.to_string()));
            "query_range"
        }
    };
    if let Some(l) = lookback {
        params.push(("lookback_delta", l.to_string()));
    }
    let resp = http.post(format!("http://{addr}/api/v1/{path}")).form(&params).send();
    match resp.and_then(|r| r.json::<serde_json::Value>()) {
        Ok(v) => parse_answer(&v),
        Err(e) => Answer::Error(format!("transport: {e}")),
    }
}

/// The servers of one dataset.
#[derive(Debug, Clone)]
pub struct Pair {
    /// Dataset name.
    pub dataset: &'static str,
    /// Prometheus' HTTP address.
    pub prom: SocketAddr,
    /// Pharos' HTTP address.
    pub pharos: SocketAddr,
    /// Times (ms) where a counter of the dataset starts or resets ([`super::model::counter_starts`]).
    pub counter_starts: Vec<i64>,
}

impl Pair {
    /// Whether a window of `q` evaluated at `t` can reach a counter's start or reset.
    fn near_counter_start(&self, q: &ParityQuery, t: i64) -> bool {
        let (back, forward) = q.reach_ms();
        let slack = 15_000;
        self.counter_starts.iter().any(|s| t >= s - forward - slack && t <= s + back + slack)
    }
}

/// The outcome of one query × dataset × comparison.
#[derive(Debug, Clone)]
pub struct Row {
    /// Query id.
    pub query: String,
    /// Dataset name.
    pub dataset: &'static str,
    /// Comparison name.
    pub check: &'static str,
    /// Points compared.
    pub compared: usize,
    /// Points that differ.
    pub differing: usize,
    /// Differences explained by 3.x's left-open windows.
    pub edge: usize,
    /// Differences explained by 3.x's zero-point extrapolation (near counter starts).
    pub extrapolation: usize,
    /// Evaluations where both servers answered with an error.
    pub both_errors: usize,
    /// The other differences, with the evaluation they come from.
    pub unexplained: Vec<(String, Diff)>,
    /// Whether any evaluation of this query answered with a transport failure.
    pub transport_error: bool,
}

fn run_check(http: &reqwest::blocking::Client, pair: &Pair, q: &ParityQuery, check: &Check) -> Row {
    let mut row = Row {
        query: q.id.clone(),
        dataset: pair.dataset,
        check: check.name,
        compared: 0,
        differing: 0,
        edge: 0,
        extrapolation: 0,
        both_errors: 0,
        unexplained: Vec::new(),
        transport_error: false,
    };
    for &eval in &check.evals {
        let ordered = q.ordered && matches!(eval, Eval::Instant(_));
        let prom = ask(http, pair.prom, &q.prom, eval, None);
        let pharos = ask(http, pair.pharos, &q.pharos, eval, None);
        for a in [&prom, &pharos] {
            if matches!(a, Answer::Error(e) if e.starts_with("transport:")) {
                row.transport_error = true;
            }
        }
        if matches!((&prom, &pharos), (Answer::Error(_), Answer::Error(_))) {
            row.both_errors += 1;
        }
        let c = compare(&prom, &pharos, ordered, STRICT_REL);
        row.compared += c.compared;
        row.differing += c.diffs.len();
        if c.diffs.is_empty() {
            continue;
        }
        let still: BTreeSet<DiffKey> = if check.on_grid || q.has_subquery() {
            let wide = ask(http, pair.pharos, &widen(&q.pharos), eval, Some("300001ms"));
            let widened = if q.calls(&["rate", "increase", "delta"]) { EXTRAPOLATED_WIDENED_REL } else { STRICT_REL };
            let loose: BTreeSet<DiffKey> =
                compare(&prom, &wide, ordered, widened).diffs.into_iter().map(|d| d.key).collect();
            if loose.contains(&DiffKey::Kind) {
                // The re-ask failed or answered another type: it explains nothing.
                c.diffs.iter().map(|d| d.key.clone()).chain(loose).collect()
            } else {
                loose
            }
        } else {
            c.diffs.iter().map(|d| d.key.clone()).collect()
        };
        for d in c.diffs {
            if !still.contains(&d.key) {
                row.edge += 1;
            } else if matches!(&d.key, DiffKey::Point(_, t) if q.calls(&["rate", "increase"]) && pair.near_counter_start(q, *t))
            {
                row.extrapolation += 1;
            } else {
                row.unexplained.push((eval.describe(), d));
            }
        }
    }
    row
}

/// Runs every query × pair × check on `threads` threads; rows come back in query, dataset, check
/// order.
pub fn run_all(queries: &[ParityQuery], pairs: &[Pair], threads: usize) -> Vec<Row> {
    let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().expect("http client");
    let checks = checks();
    let jobs: Vec<(usize, usize)> = (0..queries.len()).flat_map(|q| (0..pairs.len()).map(move |p| (q, p))).collect();
    let next = AtomicUsize::new(0);
    let rows: Mutex<Vec<(usize, Vec<Row>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(&(qi, pi)) = jobs.get(i) else { break };
                let r: Vec<Row> = checks.iter().map(|c| run_check(&http, &pairs[pi], &queries[qi], c)).collect();
                rows.lock().expect("rows lock").push((i, r));
            });
        }
    });
    let mut rows = rows.into_inner().expect("rows lock");
    rows.sort_by_key(|(i, _)| *i);
    rows.into_iter().flat_map(|(_, r)| r).collect()
}
