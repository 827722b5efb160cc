//! `tests/parity/queries.txt`: one query per line, `ID [tags] QUERY`, or with per-target
//! variants `ID [tags] prom: QUERY || pharos: QUERY` (for functions renamed between Prometheus
//! 2.x and 3.x). Tags: `[ordered]` compares the order of an instant vector's values too (sort,
//! sort_desc, single-group topk/bottomk). Blank lines and `#` comments are ignored.
//!
//! Also the window widening used to tell 2.x's closed windows from 3.x's left-open ones: every
//! range `[d]` and subquery range `[d:s]` becomes one millisecond longer.

/// One query of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ParityQuery {
    /// Its id (`q001`).
    pub id: String,
    /// Text sent to Prometheus 2.42.
    pub prom: String,
    /// Text sent to Pharos.
    pub pharos: String,
    /// Whether the order of an instant vector result is compared.
    pub ordered: bool,
}

impl ParityQuery {
    /// Whether the query holds a subquery: its inner evaluation times are multiples of the
    /// subquery step since the epoch, so they sit on sample times whatever the outer time is.
    pub fn has_subquery(&self) -> bool {
        ranges(&self.pharos).iter().any(|r| r.subquery)
    }

    /// Whether Pharos' query calls one of `functions` (`rate` does not match `irate`).
    pub fn calls(&self, functions: &[&str]) -> bool {
        let q = self.pharos.as_bytes();
        functions.iter().any(|f| {
            self.pharos
                .match_indices(&format!("{f}("))
                .any(|(i, _)| i == 0 || !(q[i - 1].is_ascii_alphanumeric() || q[i - 1] == b'_' || q[i - 1] == b'"'))
        })
    }

    /// How far from an evaluation time the query's samples can lie, in ms: `(back, forward)`.
    /// `back` sums all ranges, subquery ranges and positive offsets, `forward` all negative
    /// offsets (an over-estimate for nested or parallel selectors).
    pub fn reach_ms(&self) -> (i64, i64) {
        let mut back: i64 = ranges(&self.pharos).iter().map(|r| r.ms).sum();
        let mut forward = 0;
        let mut rest = self.pharos.as_str();
        while let Some(i) = rest.find("offset") {
            rest = &rest[i + "offset".len()..];
            let d = rest.trim_start();
            let (neg, d) = match d.strip_prefix('-') {
                Some(d) => (true, d.trim_start()),
                None => (false, d),
            };
            let end = d.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(d.len());
            let ms = duration_ms(&d[..end]).unwrap_or(0);
            if neg {
                forward += ms;
            } else {
                back += ms;
            }
        }
        (back, forward)
    }
}

/// Parses the query file; errors name the line.
pub fn parse(text: &str) -> Result<Vec<ParityQuery>, String> {
    let mut out: Vec<ParityQuery> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, mut rest) = line.split_once(char::is_whitespace).ok_or(format!("line {}: no query", n + 1))?;
        let mut ordered = false;
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("[ordered]") {
            ordered = true;
            rest = r.trim_start();
        }
        let (prom, pharos) = match rest.split_once("||") {
            Some((a, b)) => {
                let a = a.trim().strip_prefix("prom:").ok_or(format!("line {}: variant without prom:", n + 1))?;
                let b = b.trim().strip_prefix("pharos:").ok_or(format!("line {}: variant without pharos:", n + 1))?;
                (a.trim().to_string(), b.trim().to_string())
            }
            None => (rest.to_string(), rest.to_string()),
        };
        if prom.is_empty() || pharos.is_empty() {
            return Err(format!("line {}: empty query", n + 1));
        }
        if out.iter().any(|q| q.id == id) {
            return Err(format!("line {}: duplicate id {id}", n + 1));
        }
        out.push(ParityQuery { id: id.to_string(), prom, pharos, ordered });
    }
    Ok(out)
}

/// A bracketed range in a query.
#[derive(Debug, Clone, PartialEq)]
struct RangeSpan {
    /// Byte offset of the first duration (just after `[`).
    start: usize,
    /// Byte offset just after the first duration.
    end: usize,
    /// The first duration in milliseconds.
    ms: i64,
    /// `[range:step]` rather than `[range]`.
    subquery: bool,
}

/// Every `[...]` outside string literals whose first part is a duration.
fn ranges(q: &str) -> Vec<RangeSpan> {
    let b = q.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' && q != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'[' => {
                let close = match q[i..].find(']') {
                    Some(c) => i + c,
                    None => break,
                };
                let inner = &q[i + 1..close];
                let (first, subquery) = match inner.split_once(':') {
                    Some((a, _)) => (a, true),
                    None => (inner, false),
                };
                let lead = first.len() - first.trim_start().len();
                if let Some(ms) = duration_ms(first.trim()) {
                    let start = i + 1 + lead;
                    out.push(RangeSpan { start, end: start + first.trim().len(), ms, subquery });
                }
                i = close + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Parses a PromQL duration (`5m`, `1h30m`, `300001ms`) into milliseconds.
pub fn duration_ms(s: &str) -> Option<i64> {
    const UNITS: [(&str, i64); 7] = [
        ("ms", 1),
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
    ];
    if s.is_empty() {
        return None;
    }
    let mut rest = s;
    let mut total = 0i64;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, mult) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        total = total.checked_add(n.checked_mul(*mult)?)?;
        rest = &rest[unit.len()..];
    }
    Some(total)
}

/// The query with every range and subquery range one millisecond longer: on data where a sample
/// (or a subquery step) sits exactly at `t - range`, Prometheus 3's left-open window
/// `(t - range - 1ms, t]` then selects what 2.x's closed window `[t - range, t]` selects.
pub fn widen(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 16);
    let mut last = 0;
    for r in ranges(q) {
        out.push_str(&q[last..r.start]);
        out.push_str(&format!("{}ms", r.ms + 1));
        last = r.end;
    }
    out.push_str(&q[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_skips_strings_and_handles_subqueries() {
        assert_eq!(widen("rate(x[5m])"), "rate(x[300001ms])");
        assert_eq!(
            widen("max_over_time(rate(x{a=~\"[a-z]\"}[1m])[30m:1m])"),
            "max_over_time(rate(x{a=~\"[a-z]\"}[60001ms])[1800001ms:1m])"
        );
        assert_eq!(widen("avg_over_time(x[10m:])"), "avg_over_time(x[600001ms:])");
        assert_eq!(widen("x offset 5m"), "x offset 5m");
        assert_eq!(widen("x[1h30m]"), "x[5400001ms]");
    }

    #[test]
    fn variants_and_tags_parse() {
        let q = parse("# c\nq1 [ordered] sort(x)\nq2 prom: holt_winters(x[5m], 0.5, 0.5) || pharos: double_exponential_smoothing(x[5m], 0.5, 0.5)\n")
            .expect("parses");
        assert_eq!(q.len(), 2);
        assert!(q[0].ordered);
        assert_eq!(q[1].prom, "holt_winters(x[5m], 0.5, 0.5)");
        assert_eq!(q[1].pharos, "double_exponential_smoothing(x[5m], 0.5, 0.5)");
        assert!(parse("q1 x\nq1 y\n").is_err());
        let q = parse("q1 irate(x[5m]) + rate(y[1m] offset -1h)\nq2 irate(x[5m])\n").expect("parses");
        assert!(q[0].calls(&["rate"]) && !q[1].calls(&["rate", "delta"]) && q[1].calls(&["irate"]));
        assert_eq!(q[0].reach_ms(), (360_000, 3_600_000));
        assert_eq!(q[1].reach_ms(), (300_000, 0));
    }
}
