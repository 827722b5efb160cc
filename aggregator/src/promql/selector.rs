//! Series selection: turning parsed selectors into storage matchers, and looking up the samples an
//! instant or range selector sees at one evaluation step.
//!
//! Storage is read once per selector for the whole query range; each step then binary-searches the
//! loaded samples. That keeps range queries (which evaluate the expression once per step) from
//! hitting storage once per step.

use super::error::{PromqlError, Result};
use super::value::{drop_metric_name, Metric, Point};
use crate::storage::{MatchOp, Matcher};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::{is_stale_nan, Sample};
use promql_parser::label::{MatchOp as PMatchOp, Matcher as PMatcher};
use promql_parser::parser::{AtModifier, Expr, Offset, VectorSelector};
use std::cell::{Cell, OnceCell};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A series as loaded for a query: shared labels and every sample of the query's window, in
/// timestamp order (staleness markers included; lookups interpret them).
#[derive(Debug)]
pub(crate) struct LoadedSeries {
    /// The series' labels.
    pub metric: Metric,
    /// Samples in timestamp order.
    pub samples: Vec<Sample>,
    /// Where the previous step's lookups landed (window start, window end). Steps move forward,
    /// so starting there touches a few neighbouring samples instead of binary-searching the
    /// whole series, where every probe is a cache miss.
    hints: [Cell<usize>; 2],
    /// The labels without the metric name, built on first use.
    unnamed: OnceCell<Metric>,
    /// Whether the "might not be a counter" check has run for this series (once per query).
    pub(crate) counter_checked: Cell<bool>,
}

impl LoadedSeries {
    /// A loaded series; `samples` must be in timestamp order.
    pub(crate) fn new(metric: Metric, samples: Vec<Sample>) -> Self {
        LoadedSeries {
            metric,
            samples,
            hints: Default::default(),
            unnamed: OnceCell::new(),
            counter_checked: Cell::new(false),
        }
    }

    /// The series' labels without the metric name (what most range functions output).
    pub(crate) fn metric_without_name(&self) -> &Metric {
        self.unnamed.get_or_init(|| drop_metric_name(&self.metric))
    }

    /// See [`instant_lookup`].
    pub(crate) fn instant(&self, ref_time: i64, lookback: i64) -> Option<(i64, f64)> {
        instant_lookup(&self.samples, ref_time, lookback, &self.hints[1])
    }

    /// See [`range_lookup`].
    pub(crate) fn range(&self, ref_time: i64, range: i64, out: &mut Vec<Point>) {
        range_lookup(&self.samples, ref_time, range, out, &self.hints)
    }
}

/// The number of samples with a timestamp `<= target` (a partition point), searching forward
/// from `hint` by doubling steps when the hint is not past the answer, and storing the answer
/// back as the next hint.
fn seek(samples: &[Sample], target: i64, hint: &Cell<usize>) -> usize {
    let len = samples.len();
    let h = hint.get().min(len);
    let p = if h > 0 && samples[h - 1].timestamp_ms > target {
        samples[..h].partition_point(|s| s.timestamp_ms <= target)
    } else {
        // Invariant: every sample before `lo` is <= target.
        let mut lo = h;
        let mut bound = 1;
        while lo + bound <= len && samples[lo + bound - 1].timestamp_ms <= target {
            lo += bound;
            bound *= 2;
        }
        let end = (lo + bound).min(len);
        lo + samples[lo..end].partition_point(|s| s.timestamp_ms <= target)
    };
    hint.set(p);
    p
}

/// Converts one parser matcher into a storage matcher.
fn convert_matcher(m: &PMatcher) -> Result<Matcher> {
    let op = match m.op {
        PMatchOp::Equal => MatchOp::Equal,
        PMatchOp::NotEqual => MatchOp::NotEqual,
        PMatchOp::Re(_) => MatchOp::Regex,
        PMatchOp::NotRe(_) => MatchOp::NotRegex,
    };
    match Matcher::new(m.name.clone(), op, m.value.clone()) {
        Ok(matcher) => Ok(matcher),
        Err(err) => match &m.op {
            // Go's RE2 accepts a literal `{` that Rust's regex rejects; the parser has already
            // escaped such patterns, so fall back to its (anchored) version of the pattern.
            PMatchOp::Re(re) | PMatchOp::NotRe(re) => {
                let s = re.as_str();
                let inner = s.strip_prefix("^(?:").and_then(|s| s.strip_suffix(")$")).unwrap_or(s);
                Matcher::new(m.name.clone(), op, inner).map_err(|e| PromqlError::BadData(e.to_string()))
            }
            _ => Err(PromqlError::BadData(err.to_string())),
        },
    }
}

/// The matcher sets a selector stands for: one set normally, one per `or` alternative when the
/// selector uses `{a="1" or b="2"}`. The metric name, if written before the braces, is added to
/// every set.
pub fn selector_matchers(vs: &VectorSelector) -> Result<Vec<Vec<Matcher>>> {
    let name = vs.name.as_ref().map(|n| Matcher::equal(METRIC_NAME_LABEL, n.clone()));
    let groups: Vec<&Vec<PMatcher>> = if vs.matchers.or_matchers.is_empty() {
        vec![&vs.matchers.matchers]
    } else {
        vs.matchers.or_matchers.iter().collect()
    };
    let mut sets = Vec::with_capacity(groups.len());
    for group in groups {
        let mut set = Vec::with_capacity(group.len() + 1);
        set.extend(name.clone());
        for m in group {
            set.push(convert_matcher(m)?);
        }
        sets.push(set);
    }
    Ok(sets)
}

/// Parses a series selector such as `up{job="api"}` (the `match[]` parameter of the HTTP API)
/// into matcher sets. Anything but a plain selector is an error, as is a selector whose matchers
/// all match the empty string.
pub fn parse_series_selector(input: &str) -> Result<Vec<Vec<Matcher>>> {
    const EMPTY: &str = "match[] must contain at least one non-empty matcher";
    // Any expression parses here before being rejected, so parse on the query stack.
    let expr = super::parse(input).map_err(|e| match e {
        // Prometheus parses match[] without this check of the expression parser and reports
        // the condition in its own words.
        PromqlError::Parse(m) if m.contains("must contain at least one non-empty matcher") => {
            PromqlError::BadData(EMPTY.into())
        }
        other => other,
    })?;
    let Expr::VectorSelector(vs) = expr else {
        return Err(PromqlError::Parse(format!("expected a series selector, got {input:?}")));
    };
    let sets = selector_matchers(&vs)?;
    if sets.iter().any(|set| set.iter().all(Matcher::matches_empty)) {
        return Err(PromqlError::BadData(EMPTY.into()));
    }
    Ok(sets)
}

/// Milliseconds in a duration, saturating instead of overflowing.
pub(crate) fn duration_ms(d: &Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The signed offset of a selector in milliseconds (`offset -5m` is negative).
pub(crate) fn offset_ms(offset: &Option<Offset>) -> i64 {
    match offset {
        None => 0,
        Some(Offset::Pos(d)) => duration_ms(d),
        Some(Offset::Neg(d)) => -duration_ms(d),
    }
}

/// Milliseconds since the epoch of a `SystemTime`, negative before 1970.
fn system_time_ms(t: &SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => duration_ms(&d),
        Err(e) => -duration_ms(&e.duration()),
    }
}

/// Resolves an `@` modifier against the query's start and end.
pub(crate) fn at_ms(at: &Option<AtModifier>, start: i64, end: i64) -> Option<i64> {
    match at {
        None => None,
        Some(AtModifier::Start) => Some(start),
        Some(AtModifier::End) => Some(end),
        Some(AtModifier::At(t)) => Some(system_time_ms(t)),
    }
}

/// The value an instant selector sees at `ref_time` in one series: the newest sample in the
/// left-open window `(ref_time - lookback, ref_time]`, unless that sample is a staleness marker.
/// Returns the sample's own timestamp and value.
pub(crate) fn instant_lookup(
    samples: &[Sample],
    ref_time: i64,
    lookback: i64,
    hint: &Cell<usize>,
) -> Option<(i64, f64)> {
    let idx = seek(samples, ref_time, hint);
    let s = samples.get(idx.checked_sub(1)?)?;
    if s.timestamp_ms <= ref_time.saturating_sub(lookback) || is_stale_nan(s.value) {
        return None;
    }
    Some((s.timestamp_ms, s.value))
}

/// Fills `out` with the samples of one series in the left-open range `(ref_time - range,
/// ref_time]`, leaving out staleness markers as Prometheus does.
pub(crate) fn range_lookup(
    samples: &[Sample],
    ref_time: i64,
    range: i64,
    out: &mut Vec<Point>,
    hints: &[Cell<usize>; 2],
) {
    out.clear();
    let lo = seek(samples, ref_time.saturating_sub(range), &hints[0]);
    let hi = seek(samples, ref_time, &hints[1]);
    if lo < hi {
        out.extend(
            samples[lo..hi].iter().filter(|s| !is_stale_nan(s.value)).map(|s| Point { t: s.timestamp_ms, v: s.value }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::stale_nan;

    fn samples(points: &[(i64, f64)]) -> Vec<Sample> {
        points.iter().map(|&(timestamp_ms, value)| Sample { timestamp_ms, value }).collect()
    }

    #[test]
    fn instant_lookup_is_left_open_and_honours_staleness() {
        let s = samples(&[(10_000, 1.0), (20_000, stale_nan()), (30_000, 2.0)]);
        assert_eq!(instant_lookup(&s, 10_000, 300_000, &Cell::new(0)), Some((10_000, 1.0)));
        assert_eq!(instant_lookup(&s, 20_000, 300_000, &Cell::new(0)), None);
        assert_eq!(instant_lookup(&s, 25_000, 300_000, &Cell::new(0)), None);
        assert_eq!(instant_lookup(&s, 329_000, 300_000, &Cell::new(0)), Some((30_000, 2.0)));
        assert_eq!(instant_lookup(&s, 330_000, 300_000, &Cell::new(0)), None);
        assert_eq!(instant_lookup(&s, 9_999, 300_000, &Cell::new(0)), None);
    }

    #[test]
    fn seek_agrees_with_binary_search_from_any_hint() {
        let s: Vec<Sample> = (0..50).map(|i| Sample { timestamp_ms: i * 10, value: 0.0 }).collect();
        for hint in [0, 1, 7, 25, 49, 50, 99] {
            for target in [-5, 0, 5, 10, 99, 100, 250, 489, 490, 491, 1000] {
                let want = s.partition_point(|x| x.timestamp_ms <= target);
                assert_eq!(seek(&s, target, &Cell::new(hint)), want, "hint {hint} target {target}");
            }
        }
        assert_eq!(seek(&[], 5, &Cell::new(3)), 0);
    }

    #[test]
    fn range_lookup_is_left_open_and_skips_stale() {
        let s = samples(&[(10_000, 1.0), (20_000, stale_nan()), (30_000, 2.0)]);
        let mut out = Vec::new();
        range_lookup(&s, 30_000, 20_000, &mut out, &Default::default());
        assert_eq!(out, vec![Point { t: 30_000, v: 2.0 }]);
        range_lookup(&s, 30_000, 20_001, &mut out, &Default::default());
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn series_selectors_reject_empty_matchers_and_expressions() {
        assert!(parse_series_selector("up").is_ok());
        let sets = parse_series_selector(r#"up{job=~"a|b"}"#).unwrap();
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].len(), 2);
        assert!(parse_series_selector("rate(up[5m])").is_err());
        assert!(parse_series_selector(r#"{job=~".*"}"#).is_err());
        assert!(parse_series_selector("up{").is_err());
    }

    #[test]
    fn or_matchers_become_separate_sets() {
        let Ok(Expr::VectorSelector(vs)) = promql_parser::parser::parse(r#"foo{a="1" or b="2"}"#) else {
            panic!("expected a selector");
        };
        let sets = selector_matchers(&vs).unwrap();
        assert_eq!(sets.len(), 2);
        assert!(sets.iter().all(|s| s.iter().any(|m| m.name == "__name__")));
    }
}
