//! A small runner for Prometheus' promqltest script format, enough to paste cases from the
//! upstream test corpus into unit tests: `load`, `clear`, `eval instant at`, `eval range from
//! ... to ... step ...`, `eval_fail`, and `expect fail`. Float samples only; `expect warn` /
//! `info` lines are accepted and ignored. The full conformance runner is a separate piece of work.

use super::{Engine, EngineOptions, Value};
use crate::storage::memory::MemoryStorage;
use crate::storage::Storage;
use pharos_protocol::{stale_nan, Labels, Sample, Series};
use promql_parser::label::MatchOp;
use promql_parser::parser::Expr;
use std::sync::Arc;

/// Parses a promqltest duration (`5m`, `10s`, `1h30m`, `0s`, plain seconds) into milliseconds.
pub(crate) fn dur_ms(s: &str) -> i64 {
    let ns = crate::api::params::parse_duration_ns(s).unwrap_or_else(|e| panic!("bad duration {s:?}: {e}"));
    (ns / 1_000_000) as i64
}

/// Parses `metric{a="b"}` / `{a="b"}` / `{}` into a label set.
pub(crate) fn parse_labels(s: &str) -> Labels {
    let s = s.trim();
    if s == "{}" {
        return Labels::default();
    }
    let Ok(Expr::VectorSelector(vs)) = promql_parser::parser::parse(s) else {
        panic!("not a series description: {s:?}");
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(name) = vs.name {
        pairs.push(("__name__".into(), name));
    }
    for m in vs.matchers.matchers {
        assert!(matches!(m.op, MatchOp::Equal), "only = matchers in series descriptions: {s}");
        pairs.push((m.name, m.value));
    }
    Labels::from_pairs(pairs)
}

/// Splits `metric{a="b, c"} 1 2 3` into the series part and the values part.
fn split_series_line(line: &str) -> (&str, &str) {
    let line = line.trim();
    let mut in_quotes = false;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => in_quotes = !in_quotes,
            '}' if !in_quotes => return (&line[..=i], &line[i + 1..]),
            c if c.is_whitespace() && !in_quotes && !line[..i].contains('{') => {
                return (&line[..i], &line[i..]);
            }
            _ => {}
        }
        prev = c;
    }
    (line, "")
}

fn parse_value(s: &str) -> f64 {
    match s {
        "stale" => stale_nan(),
        "Inf" | "+Inf" | "inf" | "+inf" => f64::INFINITY,
        "-Inf" | "-inf" => f64::NEG_INFINITY,
        "NaN" | "nan" => f64::NAN,
        _ => s.parse().unwrap_or_else(|_| panic!("bad value {s:?}")),
    }
}

/// Expands promqltest series notation (`1 2 _ stale 0+10x3 5x2 _x2 1-1x2`) into optional values,
/// one per interval.
pub(crate) fn expand_values(s: &str) -> Vec<Option<f64>> {
    let mut out = Vec::new();
    for item in s.split_whitespace() {
        if item == "_" {
            out.push(None);
            continue;
        }
        let Some((base, times)) = item.rsplit_once('x') else {
            out.push(Some(parse_value(item)));
            continue;
        };
        let n: usize = times.parse().unwrap_or_else(|_| panic!("bad repetition {item:?}"));
        if base == "_" {
            out.extend(std::iter::repeat_n(None, n));
            continue;
        }
        // Split `a+b` / `a-b` at the last sign that is not at the start or after an exponent.
        let bytes = base.as_bytes();
        let split = (1..bytes.len())
            .rev()
            .find(|&i| (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E'));
        let (start, step) = match split {
            Some(i) => (parse_value(&base[..i]), parse_value(&base[i..])),
            None => (parse_value(base), 0.0),
        };
        for k in 0..=n {
            out.push(Some(start + step * k as f64));
        }
    }
    out
}

/// Compares floats as promqltest does (relative tolerance 1e-6, NaN equals NaN).
pub(crate) fn almost_equal(a: f64, b: f64) -> bool {
    if a == b || (a.is_nan() && b.is_nan()) {
        return true;
    }
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 {
        return diff < 1e-6 * f64::MIN_POSITIVE;
    }
    diff / (a.abs() + b.abs()).min(f64::MAX) < 1e-6
}

/// Runs a promqltest script against a fresh in-memory storage, panicking with every mismatch.
pub(crate) fn run_script(script: &str) {
    let failures = script_failures(script);
    assert!(failures.is_empty(), "{} failing evals:\n{}", failures.len(), failures.join("\n"));
}

/// Runs a promqltest script and returns a description of every failing eval.
pub(crate) fn script_failures(script: &str) -> Vec<String> {
    let mut storage = Arc::new(MemoryStorage::new());
    let lines: Vec<&str> = script.lines().collect();
    let mut failures = Vec::new();
    let indented = |l: &str| !l.trim().is_empty() && l.starts_with(char::is_whitespace);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "clear" {
            storage = Arc::new(MemoryStorage::new());
        } else if let Some(interval) = line.strip_prefix("load ") {
            let interval = dur_ms(interval.trim());
            let mut data = Vec::new();
            while i < lines.len() && indented(lines[i]) {
                let (series, values) = split_series_line(lines[i]);
                let samples = expand_values(values)
                    .into_iter()
                    .enumerate()
                    .filter_map(|(k, v)| v.map(|value| Sample { timestamp_ms: k as i64 * interval, value }))
                    .collect();
                data.push(Series { labels: parse_labels(series), samples });
                i += 1;
            }
            storage.append(&data, None).expect("append");
        } else if line.starts_with("eval") {
            let mut body = Vec::new();
            while i < lines.len() && indented(lines[i]) {
                if !lines[i].trim().starts_with('#') {
                    body.push(lines[i].trim());
                }
                i += 1;
            }
            if let Err(e) = run_eval(storage.clone(), line, &body) {
                failures.push(format!("line {i}: {e}"));
            }
        } else {
            failures.push(format!("line {i}: unsupported script line: {line}"));
        }
    }
    failures
}

macro_rules! ensure {
    ($cond:expr, $($fmt:tt)*) => {
        if !$cond {
            return Err(format!($($fmt)*));
        }
    };
}

fn run_eval(storage: Arc<MemoryStorage>, header: &str, body: &[&str]) -> Result<(), String> {
    let engine = Engine::new(storage, EngineOptions::default());
    let expect_fail = header.starts_with("eval_fail") || body.iter().any(|l| l.starts_with("expect fail"));
    let expect_string = body.iter().find_map(|l| l.strip_prefix("expect string "));
    let expected: Vec<&str> = body.iter().copied().filter(|l| !l.starts_with("expect ")).collect();
    let (result, query, steps) = if let Some((_, rest)) = header.split_once(" instant at ") {
        let (at, query) = rest.split_once(' ').unwrap_or((rest, ""));
        (engine.instant_query(query, dur_ms(at)), query, None)
    } else if let Some((_, rest)) = header.split_once(" range from ") {
        let parts: Vec<&str> = rest.splitn(6, ' ').collect();
        ensure!(parts.len() == 6 && parts[1] == "to" && parts[3] == "step", "bad range header: {header}");
        let (start, end, step) = (dur_ms(parts[0]), dur_ms(parts[2]), dur_ms(parts[4]));
        let steps: Vec<i64> = (0..).map(|k| start + k * step).take_while(|&t| t <= end).collect();
        (engine.range_query(parts[5], start, end, step), parts[5], Some(steps))
    } else {
        return Err(format!("unsupported eval header: {header}"));
    };
    if expect_fail {
        ensure!(result.is_err(), "{query}: expected an error, got {result:?}");
        return Ok(());
    }
    let value = result.map_err(|e| format!("{query}: {e}"))?;
    match (value, steps) {
        (Value::String { v, .. }, None) => {
            // The expected string is quoted with "..." or `...`.
            let quoted = expect_string.unwrap_or("").trim();
            let want = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("");
            ensure!(v == want, "{query}: got string {v:?}, want {want:?}");
        }
        (Value::Scalar { v, .. }, None) => {
            ensure!(expected.len() == 1, "{query}: got scalar {v}, expected {expected:?}");
            ensure!(almost_equal(v, parse_value(expected[0])), "{query}: got {v}, expected {}", expected[0]);
        }
        (Value::Vector(vec), None) => {
            let mut got: Vec<(Labels, f64)> = vec.iter().map(|s| ((*s.metric).clone(), s.v)).collect();
            ensure!(got.len() == expected.len(), "{query}: got {got:?}, expected {expected:?}");
            for line in &expected {
                let (labels, value) = split_series_line(line);
                let (labels, value) = (parse_labels(labels), parse_value(value.trim()));
                let pos = got.iter().position(|(l, v)| *l == labels && almost_equal(*v, value));
                let Some(pos) = pos else { return Err(format!("{query}: missing {line}; got {got:?}")) };
                got.remove(pos);
            }
        }
        (Value::Matrix(m), Some(steps)) => {
            ensure!(m.len() == expected.len(), "{query}: got {m:?}, expected {expected:?}");
            for line in &expected {
                let (labels, values) = split_series_line(line);
                let labels = parse_labels(labels);
                let want: Vec<(i64, f64)> =
                    expand_values(values).into_iter().zip(&steps).filter_map(|(v, &t)| v.map(|v| (t, v))).collect();
                let Some(series) = m.iter().find(|s| *s.metric == labels) else {
                    return Err(format!("{query}: missing series {line}; got {m:?}"));
                };
                let got: Vec<(i64, f64)> = series.points.iter().map(|p| (p.t, p.v)).collect();
                let same =
                    got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| g.0 == w.0 && almost_equal(g.1, w.1));
                ensure!(same, "{query}: {line}: got {got:?}, want {want:?}");
            }
        }
        (other, _) => return Err(format!("{query}: unexpected result {other:?}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the promqltest files in `$PROMQL_CORPUS` (a directory) and prints failures; for
    /// measuring progress against the upstream corpus by hand.
    #[test]
    #[ignore]
    fn corpus_report() {
        let Ok(dir) = std::env::var("PROMQL_CORPUS") else { return };
        for entry in std::fs::read_dir(dir).expect("corpus dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            let failures = script_failures(&text);
            println!("== {}: {} failures", path.display(), failures.len());
            for f in failures {
                println!("  {f}");
            }
        }
    }

    #[test]
    fn series_notation_expands() {
        let v = expand_values("1 _ 0+10x2 5x1 _x2 1-1x2 stale -2+4x1");
        let f: Vec<String> = v.iter().map(|x| x.map_or("_".into(), |f| f.to_string())).collect();
        assert_eq!(f, ["1", "_", "0", "10", "20", "5", "5", "_", "_", "1", "0", "-1", "NaN", "-2", "2"]);
        assert_eq!(parse_labels(r#"m{a="x, y"}"#).get("a"), Some("x, y"));
        assert_eq!(split_series_line(r#"{a="}"} 1 2"#), (r#"{a="}"}"#, " 1 2"));
        assert_eq!(split_series_line("metric 0 1"), ("metric", " 0 1"));
    }
}
