//! Parsing of promqltest scripts into [`Command`]s.
//!
//! Follows upstream's `promql/promqltest/test.go`: lines are trimmed, comment lines become blank
//! lines, and a command's block ends at the first blank line. Parsing never panics: a command
//! that cannot be parsed becomes a [`Command::Invalid`] carrying the error, so the rest of the
//! file still runs.

use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::{stale_nan, Labels, Sample, Series};
use promql_parser::label::MatchOp;
use promql_parser::parser::Expr;
use regex::Regex;
use std::sync::LazyLock;

static EVAL_INSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$").expect("static regex")
});
static EVAL_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$")
        .expect("static regex")
});
static EXPECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$").expect("static regex")
});
static EXPECT_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$").expect("static regex")
});

/// One command of a script, with the 1-based line it starts on.
#[derive(Debug, Clone)]
pub enum Command {
    /// `load <step>` / `load_with_nhcb <step>`: float series to append.
    Load {
        /// Line of the `load` keyword.
        line: usize,
        /// The float series, samples at `k * step` from t=0.
        series: Vec<Series>,
        /// Series whose native-histogram samples were dropped because storage holds floats
        /// only, and (for `load_with_nhcb`) the native series the NHCB conversion would add.
        histogram_series: Vec<Labels>,
    },
    /// `clear`: drop all data.
    Clear,
    /// An `eval` command.
    Eval(Box<Eval>),
    /// A command that could not be parsed.
    Invalid {
        /// Line of the command.
        line: usize,
        /// Whether it looked like an `eval` (so it counts as a failed eval).
        is_eval: bool,
        /// Why it could not be parsed.
        error: String,
    },
}

/// When and how an eval runs.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalKind {
    /// An instant query at the given time (ms).
    Instant {
        /// Evaluation time in milliseconds.
        at_ms: i64,
    },
    /// A range query.
    Range {
        /// Start in milliseconds.
        start_ms: i64,
        /// End in milliseconds.
        end_ms: i64,
        /// Step in milliseconds.
        step_ms: i64,
    },
}

/// How an expected error or annotation message is matched.
#[derive(Debug, Clone)]
pub enum MsgMatch {
    /// Any message.
    Any,
    /// Exactly this text.
    Exact(String),
    /// A regular expression (unanchored, like Go's `MatchString`).
    Regex(Regex),
}

impl MsgMatch {
    /// Whether `msg` matches.
    pub fn matches(&self, msg: &str) -> bool {
        match self {
            MsgMatch::Any => true,
            MsgMatch::Exact(s) => s == msg,
            MsgMatch::Regex(r) => r.is_match(msg),
        }
    }

    /// A description for reports.
    pub fn describe(&self) -> String {
        match self {
            MsgMatch::Any => "any error".into(),
            MsgMatch::Exact(s) => format!("msg: {s}"),
            MsgMatch::Regex(r) => format!("regex: {}", r.as_str()),
        }
    }
}

/// One value of an expanded sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeqValue {
    /// `_`: no sample.
    Omitted,
    /// A float sample (staleness markers included).
    Float(f64),
    /// A native histogram sample (not modelled; only counted).
    Histogram,
}

/// The expected outcome of an eval.
#[derive(Debug, Clone, Default)]
pub enum Expected {
    /// No result lines: an empty vector or matrix.
    #[default]
    Empty,
    /// A bare number: a scalar.
    Scalar(f64),
    /// `expect string "..."`.
    String(String),
    /// Series lines (`<labels> <values>`), in file order.
    Series(Vec<(Labels, Vec<SeqValue>)>),
}

/// A parsed `eval` command.
#[derive(Debug, Clone)]
pub struct Eval {
    /// 1-based line of the `eval` keyword.
    pub line: usize,
    /// The PromQL expression.
    pub query: String,
    /// Instant or range.
    pub kind: EvalKind,
    /// `Some` when the query must fail, with how the message must match.
    pub fail: Option<MsgMatch>,
    /// Vector results must come in the listed order.
    pub ordered: bool,
    /// Expected warnings (`expect warn`), empty when none are expected.
    pub warn: Vec<MsgMatch>,
    /// Expected infos (`expect info`).
    pub info: Vec<MsgMatch>,
    /// `expect no_warn`: the query must report no warning.
    pub no_warn: bool,
    /// `expect no_info`: the query must report no info.
    pub no_info: bool,
    /// `expect range vector from S to E step D` on an instant eval: (start, end, step) in ms.
    pub range_vector: Option<(i64, i64, i64)>,
    /// The expected result.
    pub expected: Expected,
}

impl Eval {
    /// Whether the expected result holds a native histogram.
    pub fn expects_histogram(&self) -> bool {
        match &self.expected {
            Expected::Series(s) => s.iter().any(|(_, v)| v.contains(&SeqValue::Histogram)),
            _ => false,
        }
    }
}

/// Parses a promqltest duration (`5m`, `1h30m`, `0`, `-10s`, float seconds) into milliseconds.
pub fn parse_duration_ms(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) if !rest.starts_with('-') => (true, rest),
        _ => (false, s),
    };
    let ns = crate::api::params::parse_duration_ns(body)?;
    let ms = i64::try_from(ns / 1_000_000).map_err(|_| format!("duration {s:?} out of range"))?;
    Ok(if neg { -ms } else { ms })
}

/// Parses a series description (`metric{a="b"}`, `{__name__="x"}`, `{}`) into a label set.
pub fn parse_labels(s: &str) -> Result<Labels, String> {
    let s = s.trim();
    if s == "{}" {
        return Ok(Labels::default());
    }
    let parsed = std::panic::catch_unwind(|| promql_parser::parser::parse(s))
        .map_err(|_| format!("series description {s:?} made the parser panic"))?;
    let Ok(Expr::VectorSelector(vs)) = parsed else {
        return Err(format!("not a series description: {s:?}"));
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(name) = vs.name {
        pairs.push(("__name__".into(), name));
    }
    for m in vs.matchers.matchers {
        if !matches!(m.op, MatchOp::Equal) {
            return Err(format!("only = matchers are allowed in series descriptions: {s:?}"));
        }
        pairs.push((m.name, m.value));
    }
    Ok(Labels::from_pairs(pairs))
}

/// Splits `metric{a="b, c"} 1 2 3` into the series part and the values part.
pub fn split_series_line(line: &str) -> (&str, &str) {
    let line = line.trim();
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            '}' if !in_quotes => return (&line[..=i], &line[i + 1..]),
            c if c.is_whitespace() && !in_quotes && !line[..i].contains('{') => return (&line[..i], &line[i..]),
            _ => {}
        }
    }
    (line, "")
}

/// Parses one number as upstream's `parseNumber` (integers incl. hex, floats, `Inf`, `NaN`),
/// plus `stale` for a staleness marker. In sequences, `0xN` is a repetition instead.
pub fn parse_number(s: &str) -> Result<f64, String> {
    let lower = s.to_ascii_lowercase();
    let (sign, digits) = match lower.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, lower.strip_prefix('+').unwrap_or(&lower)),
    };
    if let Some(hex) = digits.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).map(|v| sign * v as f64).map_err(|_| format!("bad number {s:?}"));
    }
    match lower.as_str() {
        "stale" => Ok(stale_nan()),
        "inf" | "+inf" | "infinity" | "+infinity" => Ok(f64::INFINITY),
        "-inf" | "-infinity" => Ok(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Ok(f64::NAN),
        _ => s.parse::<f64>().map_err(|_| format!("bad number {s:?}")),
    }
}

/// Splits a value list into items, keeping `{{...}}` histogram literals (which hold spaces)
/// together with any `+`/`-`/`x` expansion attached to them.
fn value_items(s: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c.is_whitespace() && depth == 0 {
            if !cur.is_empty() {
                items.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        items.push(cur);
    }
    items
}

/// Expands promqltest sequence notation (`1 2 _ stale 0+10x3 5x2 _x2 1-1x2 {{...}}x2`).
pub fn expand_values(s: &str) -> Result<Vec<SeqValue>, String> {
    let mut out = Vec::new();
    for item in value_items(s) {
        if item.starts_with("{{") {
            // A histogram, maybe `{{a}}+{{b}}xN`: one value, or N+1 with an expansion.
            let tail = item.rsplit_once("}}").map_or("", |(_, t)| t);
            let n = match tail.strip_prefix('x') {
                Some(n) => n.parse::<usize>().map_err(|_| format!("bad repetition in {item:?}"))?,
                None => 0,
            };
            out.extend(std::iter::repeat_n(SeqValue::Histogram, n + 1));
            continue;
        }
        if item == "_" {
            out.push(SeqValue::Omitted);
            continue;
        }
        // As in upstream's series lexer, `0x59` is 0 repeated, not hex.
        let Some((base, times)) = item.rsplit_once('x').filter(|(b, _)| !b.is_empty()) else {
            out.push(SeqValue::Float(parse_number(&item)?));
            continue;
        };
        let n: usize = times.parse().map_err(|_| format!("bad repetition {item:?}"))?;
        if n > 1_000_000 {
            return Err(format!("repetition too large in {item:?}"));
        }
        if base == "_" {
            out.extend(std::iter::repeat_n(SeqValue::Omitted, n));
            continue;
        }
        // Split `a+b` / `a-b` at the last sign that is not at the start or after an exponent.
        let bytes = base.as_bytes();
        let split = (1..bytes.len())
            .rev()
            .find(|&i| (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E'));
        let (start, step) = match split {
            Some(i) => (parse_number(&base[..i])?, parse_number(&base[i..])?),
            None => (parse_number(base)?, 0.0),
        };
        for k in 0..=n {
            out.push(SeqValue::Float(start + step * k as f64));
        }
    }
    Ok(out)
}

/// Unquotes a `"..."`, `'...'` or `` `...` `` string literal.
fn unquote(s: &str) -> Result<String, String> {
    let s = s.trim();
    let mut chars = s.chars();
    let (Some(q), Some(last)) = (chars.next(), s.chars().last()) else { return Err("empty string".into()) };
    if s.len() < 2 || q != last || !matches!(q, '"' | '\'' | '`') {
        return Err(format!("not a quoted string: {s}"));
    }
    let inner = &s[1..s.len() - 1];
    if q == '`' {
        return Ok(inner.to_string());
    }
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(c) => out.push(c),
            None => return Err("dangling backslash".into()),
        }
    }
    Ok(out)
}

/// Parses a whole script. Never panics; unparsable commands become [`Command::Invalid`].
pub fn parse_script(text: &str) -> Vec<Command> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| {
            let l = l.trim();
            if l.starts_with('#') {
                ""
            } else {
                l
            }
        })
        .collect();
    let mut cmds = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let start = i;
        i += 1;
        if line.is_empty() {
            continue;
        }
        // The block: following lines up to the first blank one.
        let mut end = i;
        while end < lines.len() && !lines[end].is_empty() {
            end += 1;
        }
        let block = &lines[i..end];
        let keyword = line.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
        let lineno = start + 1;
        if keyword == "clear" {
            cmds.push(Command::Clear);
            continue;
        }
        if keyword == "load" || keyword == "load_with_nhcb" {
            i = end;
            cmds.push(parse_load(line, block, lineno).unwrap_or_else(|error| Command::Invalid {
                line: lineno,
                is_eval: false,
                error,
            }));
        } else if keyword.starts_with("eval") {
            let (cmd, used) = match parse_eval(line, block, lineno) {
                Ok((eval, used)) => (Command::Eval(Box::new(eval)), used),
                Err(error) => (Command::Invalid { line: lineno, is_eval: true, error }, block.len()),
            };
            i += used;
            cmds.push(cmd);
        } else {
            cmds.push(Command::Invalid { line: lineno, is_eval: false, error: format!("invalid command {line:?}") });
        }
    }
    cmds
}

fn parse_load(header: &str, block: &[&str], line: usize) -> Result<Command, String> {
    let mut parts = header.split_whitespace();
    let with_nhcb = parts.next().is_some_and(|k| k.eq_ignore_ascii_case("load_with_nhcb"));
    let step = parts.next().ok_or("invalid load command. (load[_with_nhcb] <step:duration>)")?;
    let step = parse_duration_ms(step)?;
    let mut series = Vec::new();
    let mut histogram_series = Vec::new();
    for (k, def) in block.iter().enumerate() {
        let (desc, values) = split_series_line(def);
        // `metric@st <offsets>` gives start timestamps; they are not modelled.
        if desc.ends_with("@st") || desc.starts_with("@st") || values.trim_start().starts_with("@st") {
            continue;
        }
        let labels = parse_labels(desc).map_err(|e| format!("line {}: {e}", line + k + 1))?;
        let values = expand_values(values).map_err(|e| format!("line {}: {e}", line + k + 1))?;
        let mut samples = Vec::new();
        let mut has_histograms = false;
        for (n, v) in values.into_iter().enumerate() {
            match v {
                SeqValue::Float(value) => samples.push(Sample { timestamp_ms: n as i64 * step, value }),
                SeqValue::Histogram => has_histograms = true,
                SeqValue::Omitted => {}
            }
        }
        if has_histograms {
            histogram_series.push(labels.clone());
        }
        if with_nhcb {
            if let Some(native) = nhcb_series(&labels) {
                histogram_series.push(native);
            }
        }
        series.push(Series { labels, samples });
    }
    Ok(Command::Load { line, series, histogram_series })
}

/// The native histogram `load_with_nhcb` builds from a classic series: `foo_bucket{le=..}`,
/// `foo_count` and `foo_sum` all become `foo` without `le`.
fn nhcb_series(labels: &Labels) -> Option<Labels> {
    let name = labels.get(METRIC_NAME_LABEL)?;
    let base = ["_bucket", "_count", "_sum"].iter().find_map(|sfx| name.strip_suffix(sfx))?;
    let mut out = labels.clone();
    out.set(METRIC_NAME_LABEL, base);
    out.remove("le");
    Some(out)
}

/// Parses an eval header and its block; returns the eval and how many block lines it used.
fn parse_eval(header: &str, block: &[&str], line: usize) -> Result<(Eval, usize), String> {
    let (legacy, kind, query) = if let Some(c) = EVAL_INSTANT.captures(header) {
        let at = c.get(2).map_or(Ok(0), |m| parse_duration_ms(m.as_str()))?;
        (c.get(1).map(|m| m.as_str()), EvalKind::Instant { at_ms: at }, c[3].to_string())
    } else if let Some(c) = EVAL_RANGE.captures(header) {
        let start_ms = parse_duration_ms(&c[2])?;
        let end_ms = parse_duration_ms(&c[3])?;
        let step_ms = parse_duration_ms(&c[4])?;
        (c.get(1).map(|m| m.as_str()), EvalKind::Range { start_ms, end_ms, step_ms }, c[5].to_string())
    } else {
        return Err(format!("invalid eval command {header:?}"));
    };
    let mut ev = Eval {
        line,
        query,
        kind,
        fail: None,
        ordered: false,
        warn: Vec::new(),
        info: Vec::new(),
        no_warn: false,
        no_info: false,
        range_vector: None,
        expected: Expected::Empty,
    };
    match legacy {
        Some("fail") => ev.fail = Some(MsgMatch::Any),
        Some("ordered") => ev.ordered = true,
        Some("warn") => ev.warn.push(MsgMatch::Any),
        Some("info") => ev.info.push(MsgMatch::Any),
        _ => {}
    }
    let is_instant = matches!(ev.kind, EvalKind::Instant { .. });
    let mut series = Vec::new();
    let mut used = 0;
    for def in block {
        used += 1;
        if ev.fail.is_some() {
            if let Some(msg) = def.strip_prefix("expected_fail_message") {
                ev.fail = Some(MsgMatch::Exact(msg.trim().to_string()));
                break;
            }
            if let Some(re) = def.strip_prefix("expected_fail_regexp") {
                ev.fail = Some(MsgMatch::Regex(Regex::new(re.trim()).map_err(|e| e.to_string())?));
                break;
            }
        }
        if let Some(c) = EXPECT_RANGE.captures(def) {
            let r = (parse_duration_ms(&c[1])?, parse_duration_ms(&c[2])?, parse_duration_ms(&c[3])?);
            if r.2 <= 0 {
                return Err(format!("bad step in {def:?}"));
            }
            ev.range_vector = Some(r);
            continue;
        }
        if let Some(s) = def.strip_prefix("expect string") {
            ev.expected = Expected::String(unquote(s)?);
            continue;
        }
        if def.starts_with("expect") {
            let c = EXPECT.captures(def).ok_or_else(|| format!("invalid expect line {def:?}"))?;
            let m = match (c.get(2).map(|m| m.as_str()), c.get(3).map(|m| m.as_str().trim())) {
                (Some("msg"), Some(text)) => MsgMatch::Exact(text.to_string()),
                (Some(_), Some(re)) => MsgMatch::Regex(Regex::new(re).map_err(|e| e.to_string())?),
                _ => MsgMatch::Any,
            };
            match &c[1] {
                "fail" => ev.fail = Some(m),
                "ordered" => ev.ordered = true,
                "warn" => ev.warn.push(m),
                "info" => ev.info.push(m),
                "no_warn" => ev.no_warn = true,
                _ => ev.no_info = true,
            }
            continue;
        }
        if let Ok(f) = parse_number(def) {
            ev.expected = Expected::Scalar(f);
            break;
        }
        let (desc, values) = split_series_line(def);
        let labels = parse_labels(desc)?;
        let vals = expand_values(values)?;
        if vals.len() > 1 && is_instant && ev.range_vector.is_none() {
            return Err("expecting multiple values in instant evaluation not allowed".into());
        }
        series.push((labels, vals));
    }
    if !series.is_empty() {
        ev.expected = Expected::Series(series);
    }
    Ok((ev, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(v: &[SeqValue]) -> Vec<String> {
        v.iter()
            .map(|x| match x {
                SeqValue::Omitted => "_".into(),
                SeqValue::Float(f) => f.to_string(),
                SeqValue::Histogram => "h".into(),
            })
            .collect()
    }

    #[test]
    fn series_notation_expands() {
        let v = expand_values("1 _ 0+10x2 5x1 _x2 1-1x2 stale -2+4x1 0x1 10x1").expect("valid");
        let want =
            ["1", "_", "0", "10", "20", "5", "5", "_", "_", "1", "0", "-1", "NaN", "-2", "2", "0", "0", "10", "10"];
        assert_eq!(floats(&v), want);
        let h = expand_values("{{schema:0 sum:5 buckets:[1 2]}} {{count:1}}+{{count:2}}x2 _").expect("valid");
        assert_eq!(floats(&h), ["h", "h", "h", "h", "_"]);
        assert!(expand_values("1 zz").is_err());
        assert_eq!(parse_labels(r#"m{a="x, y"}"#).expect("labels").get("a"), Some("x, y"));
        assert!(parse_labels("m{a=~\"x\"}").is_err());
        assert_eq!(split_series_line(r#"{a="}"} 1 2"#), (r#"{a="}"}"#, " 1 2"));
        assert_eq!(split_series_line("metric 0 1"), ("metric", " 0 1"));
    }

    #[test]
    fn commands_parse_and_malformed_ones_do_not_panic() {
        let script = "load 5m\n  m{a=\"b\"} 0+1x3\n\n# c\neval instant at 10m m\n  expect fail msg: boom\n\n\
                      eval range from 0 to 10m step 5m m\n  m{a=\"b\"} 0 1 2\n\neval instant at 1m 2\n  2\n\n\
                      eval instant at xx m\n\nfrobnicate\n\nload\n\neval_fail instant at 0 m\n  expected_fail_regexp a.c\n";
        let cmds = parse_script(script);
        assert!(matches!(&cmds[0], Command::Load { series, .. } if series[0].samples.len() == 4));
        let Command::Eval(e) = &cmds[1] else { panic!("{:?}", cmds[1]) };
        assert_eq!(e.kind, EvalKind::Instant { at_ms: 600_000 });
        assert!(matches!(&e.fail, Some(MsgMatch::Exact(m)) if m == "boom"));
        let Command::Eval(e) = &cmds[2] else { panic!() };
        assert_eq!(e.kind, EvalKind::Range { start_ms: 0, end_ms: 600_000, step_ms: 300_000 });
        let Command::Eval(e) = &cmds[3] else { panic!() };
        assert!(matches!(e.expected, Expected::Scalar(v) if v == 2.0));
        assert!(matches!(&cmds[4], Command::Invalid { is_eval: true, .. }));
        assert!(matches!(&cmds[5], Command::Invalid { is_eval: false, .. }));
        assert!(matches!(&cmds[6], Command::Invalid { is_eval: false, .. }));
        let Command::Eval(e) = &cmds[7] else { panic!() };
        assert!(matches!(&e.fail, Some(MsgMatch::Regex(r)) if r.is_match("abc")));
        for junk in [
            "eval",
            "eval instant at",
            "load 1m\n m{ 1",
            "eval range from to step",
            "\u{0}{{{{",
            "load 1m\n m 1x99999999999",
        ] {
            let _ = parse_script(junk);
        }
    }
}
