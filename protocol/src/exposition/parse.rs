//! The text format parser.
//!
//! It follows `expfmt.TextParser` line by line: same accepted syntax (blanks are only space and
//! tab; every line, the last included, ends in `\n`; no blank is allowed after the value unless a
//! timestamp follows), same grouping of `_sum` / `_count` / `_bucket` lines into their family,
//! same errors. Where expfmt silently drops data (a summary line without `quantile`, a histogram
//! line without `le`, a repeated `le`) we report an error instead, because we keep every line as
//! a sample. Like expfmt (and the upstream corpus, `valid/from_test_parse_3`), a family whose
//! samples are interrupted by another family's is accepted and merged, not rejected.
//! It works on one line at a time with no backtracking, so it is linear in the input (duplicate
//! labels are found by sorting, not by pairwise comparison).

use std::collections::HashMap;

use super::{Metric, MetricFamily, MetricType, ParseError};
use crate::model::{Label, Labels, METRIC_NAME_LABEL};

/// Parses a text exposition (format 0.0.4) into metric families, in order of first appearance.
/// Families that end up without samples (only `# HELP` / `# TYPE`) are left out, as expfmt does.
pub fn parse(text: &str) -> Result<Vec<MetricFamily>, ParseError> {
    let mut p = Parser::default();
    let mut rest = text;
    let mut line = 0usize;
    while !rest.is_empty() {
        line += 1;
        let at = |message: String| ParseError { line, message };
        match rest.find('\n') {
            Some(i) => {
                p.line(&rest[..i]).map_err(at)?;
                rest = &rest[i + 1..];
            }
            None => {
                // expfmt accepts end of input only at the start of a line (after blanks).
                if rest.bytes().all(is_blank) {
                    break;
                }
                p.line(rest).map_err(at)?;
                return Err(at("unexpected end of input stream (the last line has no newline)".into()));
            }
        }
    }
    Ok(p.families
        .into_iter()
        .filter(|f| !f.metrics.is_empty())
        .map(|f| MetricFamily {
            name: f.name,
            help: f.help,
            kind: f.kind.unwrap_or(MetricType::Untyped),
            metrics: f.metrics,
        })
        .collect())
}

/// A family while parsing: `kind` stays `None` until a TYPE line or a sample fixes it, which is
/// how expfmt detects a TYPE line that comes after samples.
struct Family {
    name: String,
    help: Option<String>,
    kind: Option<MetricType>,
    metrics: Vec<Metric>,
}

/// How a sample name relates to the family it was filed under.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The family's own name, or `_bucket` of a histogram.
    Plain,
    /// `_sum` of a summary or histogram.
    Sum,
    /// `_count` of a summary or histogram.
    Count,
}

#[derive(Default)]
struct Parser {
    families: Vec<Family>,
    by_name: HashMap<String, usize>,
}

impl Parser {
    fn line(&mut self, line: &str) -> Result<(), String> {
        let mut c = Cursor { s: line, pos: 0 };
        c.skip_blanks();
        match c.peek() {
            None => Ok(()),
            Some(b'#') => {
                c.pos += 1;
                self.comment(c)
            }
            Some(b'{') => Err("missing metric name before '{'".into()),
            Some(_) => self.sample(c),
        }
    }

    /// Finds the family a name belongs to, creating it if needed. Like expfmt: an exact name
    /// match wins; otherwise `x_sum` / `x_count` join a summary or histogram `x`, and `x_bucket`
    /// joins a histogram `x`.
    fn family_for(&mut self, name: &str) -> (usize, Role) {
        if let Some(&i) = self.by_name.get(name) {
            return (i, Role::Plain);
        }
        let typed = |p: &Self, base: &str, ok: &[MetricType]| {
            p.by_name.get(base).copied().filter(|&i| p.families[i].kind.is_some_and(|k| ok.contains(&k)))
        };
        let both = [MetricType::Summary, MetricType::Histogram];
        let found = if let Some(base) = strip_nonempty(name, "_count") {
            typed(self, base, &both).map(|i| (i, Role::Count))
        } else if let Some(base) = strip_nonempty(name, "_sum") {
            typed(self, base, &both).map(|i| (i, Role::Sum))
        } else if let Some(base) = strip_nonempty(name, "_bucket") {
            typed(self, base, &[MetricType::Histogram]).map(|i| (i, Role::Plain))
        } else {
            None
        };
        if let Some(f) = found {
            return f;
        }
        let i = self.families.len();
        self.families.push(Family { name: name.to_string(), help: None, kind: None, metrics: Vec::new() });
        self.by_name.insert(name.to_string(), i);
        (i, Role::Plain)
    }

    /// Everything after a `#`. Only `HELP` and `TYPE` lines with a metric name and some text
    /// matter; every other comment, and those two without text, are ignored as expfmt does.
    fn comment(&mut self, mut c: Cursor<'_>) -> Result<(), String> {
        c.skip_blanks();
        let keyword = c.take_while(|b| !is_blank(b));
        if c.at_end() || (keyword != "HELP" && keyword != "TYPE") {
            return Ok(());
        }
        c.skip_blanks();
        let name = c.take_metric_name();
        let Some(next) = c.peek() else { return Ok(()) };
        if !is_blank(next) {
            return Err(format!("invalid metric name in {keyword} comment"));
        }
        // `name` is not empty here: blanks were skipped, and a non-blank that cannot start a name
        // was caught just above.
        let (fi, _) = self.family_for(name);
        c.skip_blanks();
        if c.at_end() {
            return Ok(());
        }
        let family = &mut self.families[fi];
        if keyword == "HELP" {
            if family.help.is_some() {
                return Err(format!("second HELP line for metric name {}", quote(&family.name)));
            }
            family.help = Some(unescape_help(c.rest())?);
        } else {
            if family.kind.is_some() {
                return Err(format!(
                    "second TYPE line for metric name {}, or TYPE reported after samples",
                    quote(&family.name)
                ));
            }
            // expfmt compares the whole rest of the line, trailing blanks included, ignoring case.
            let kind = match c.rest().to_uppercase().as_str() {
                "COUNTER" => MetricType::Counter,
                "GAUGE" => MetricType::Gauge,
                "HISTOGRAM" => MetricType::Histogram,
                "SUMMARY" => MetricType::Summary,
                "UNTYPED" => MetricType::Untyped,
                "GAUGE_HISTOGRAM" | "GAUGEHISTOGRAM" => {
                    return Err("gauge histograms are not supported in the text format".into());
                }
                _ => return Err(format!("unknown metric type {}", quote(c.rest()))),
            };
            family.kind = Some(kind);
        }
        Ok(())
    }

    fn sample(&mut self, mut c: Cursor<'_>) -> Result<(), String> {
        let name = c.take_metric_name();
        if name.is_empty() {
            return Err("invalid metric name".into());
        }
        let (fi, role) = self.family_for(name);
        let kind = *self.families[fi].kind.get_or_insert(MetricType::Untyped);
        c.skip_blanks();

        let mut labels = vec![Label::new(METRIC_NAME_LABEL, name)];
        let (mut has_le, mut has_quantile) = (false, false);
        if c.peek() == Some(b'{') {
            c.pos += 1;
            loop {
                c.skip_blanks();
                match c.peek() {
                    None => return Err(format!("unexpected end of line in the labels of {}", quote(name))),
                    Some(b'}') => {
                        c.pos += 1;
                        break;
                    }
                    Some(_) => {}
                }
                let lname = c.take_label_name();
                if lname.is_empty() {
                    return Err(format!("invalid label name for metric {}", quote(name)));
                }
                c.skip_blanks();
                match c.peek() {
                    Some(b'=') => c.pos += 1,
                    Some(b) => return Err(format!("expected '=' after label name, found {}", quote_byte(&c, b))),
                    None => return Err(format!("unexpected end of line after label name {}", quote(lname))),
                }
                if lname == METRIC_NAME_LABEL {
                    return Err(format!("label name {} is reserved", quote(METRIC_NAME_LABEL)));
                }
                c.skip_blanks();
                match c.peek() {
                    Some(b'"') => c.pos += 1,
                    Some(b) => {
                        return Err(format!("expected '\"' at start of label value, found {}", quote_byte(&c, b)))
                    }
                    None => return Err(format!("unexpected end of line before the value of label {}", quote(lname))),
                }
                let value = c.take_label_value()?;
                if kind == MetricType::Summary && lname == "quantile" {
                    if parse_float(&value).is_none() {
                        return Err(format!("expected float as value for 'quantile' label, got {}", quote(&value)));
                    }
                    has_quantile = true;
                }
                if kind == MetricType::Histogram && lname == "le" {
                    if parse_float(&value).is_none() {
                        return Err(format!("expected float as value for 'le' label, got {}", quote(&value)));
                    }
                    has_le = true;
                }
                labels.push(Label { name: lname.to_string(), value });
                c.skip_blanks();
                match c.peek() {
                    Some(b',') => c.pos += 1,
                    Some(b'}') => {
                        c.pos += 1;
                        break;
                    }
                    None => return Err(format!("unexpected end of line in the labels of {}", quote(name))),
                    Some(_) => {
                        let v = labels.last().map(|l| l.value.as_str()).unwrap_or_default();
                        return Err(format!("unexpected end of label value {}", quote(v)));
                    }
                }
            }
            c.skip_blanks();
        }

        let token = c.take_while(|b| !is_blank(b));
        let Some(value) = parse_float(token) else {
            return Err(format!("expected float as value, got {}", quote(token)));
        };
        let mut timestamp_ms = None;
        if !c.at_end() {
            c.skip_blanks();
            let token = c.take_while(|b| !is_blank(b));
            // Rust's i64 grammar is Go's strconv.ParseInt(s, 10, 64): optional sign, digits.
            match token.parse::<i64>() {
                Ok(t) => timestamp_ms = Some(t),
                Err(_) => return Err(format!("expected integer as timestamp, got {}", quote(token))),
            }
            if !c.at_end() {
                return Err(format!("spurious string after timestamp: {}", quote(c.rest())));
            }
        }

        let family = &self.families[fi].name;
        match (kind, role) {
            (MetricType::Summary, Role::Plain) if !has_quantile => {
                return Err(format!("summary sample {} has no 'quantile' label", quote(name)));
            }
            (MetricType::Histogram, Role::Plain) if !has_le => {
                return Err(format!("histogram sample {} has no 'le' label", quote(name)));
            }
            (MetricType::Histogram, Role::Plain) if value < 0.0 => {
                return Err(format!("negative bucket population for histogram {}", quote(family)));
            }
            (MetricType::Histogram, Role::Count) if value < 0.0 => {
                return Err(format!("negative count for histogram {}", quote(family)));
            }
            _ => {}
        }

        // Sorting finds duplicates in O(n log n); Labels::from_vec would silently keep the last.
        labels.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(w) = labels.windows(2).find(|w| w[0].name == w[1].name) {
            return Err(format!("duplicate label name {} for metric {}", quote(&w[0].name), quote(name)));
        }
        self.families[fi].metrics.push(Metric { labels: Labels::from_vec(labels), value, timestamp_ms });
        Ok(())
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn strip_nonempty<'a>(name: &'a str, suffix: &str) -> Option<&'a str> {
    name.strip_suffix(suffix).filter(|base| !base.is_empty())
}

/// A position in one line (without its `\n`).
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// Takes bytes while `f` holds. Callers only stop at ASCII bytes, so slices stay on char
    /// boundaries; `get` keeps this panic-free even if one did not.
    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        self.s.get(start..self.pos).unwrap_or_default()
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, or empty if the next byte cannot start a name.
    fn take_metric_name(&mut self) -> &'a str {
        match self.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b':' => {
                self.take_while(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
            }
            _ => "",
        }
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, or empty if the next byte cannot start a name.
    fn take_label_name(&mut self) -> &'a str {
        match self.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                self.take_while(|b| b.is_ascii_alphanumeric() || b == b'_')
            }
            _ => "",
        }
    }

    /// Reads a label value after its opening quote, through the closing quote.
    /// Escapes: `\\`, `\"`, `\n`; anything else after a backslash is an error.
    fn take_label_value(&mut self) -> Result<String, String> {
        let bytes = self.s.as_bytes();
        let mut out = String::new();
        let mut seg = self.pos;
        let mut i = self.pos;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => {
                    out.push_str(self.s.get(seg..i).unwrap_or_default());
                    self.pos = i + 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.s.get(seg..i).unwrap_or_default());
                    match bytes.get(i + 1) {
                        Some(b'\\') => out.push('\\'),
                        Some(b'"') => out.push('"'),
                        Some(b'n') => out.push('\n'),
                        Some(_) => return Err(bad_escape(self.s.get(i + 1..).unwrap_or_default())),
                        None => {
                            seg = i;
                            break;
                        }
                    }
                    i += 2;
                    seg = i;
                }
                _ => i += 1,
            }
        }
        out.push_str(self.s.get(seg..).unwrap_or_default());
        Err(format!("label value {} is not terminated before the end of the line", quote(&out)))
    }
}

fn bad_escape(after_backslash: &str) -> String {
    match after_backslash.chars().next() {
        Some(ch) => format!("invalid escape sequence '\\{}'", ch.escape_debug()),
        None => "invalid escape sequence at end of line".into(),
    }
}

/// Unescapes HELP text: `\\`, `\n` and (as expfmt accepts it) `\"`.
fn unescape_help(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') => out.push('"'),
            Some(other) => return Err(format!("invalid escape sequence '\\{}' in HELP text", other.escape_debug())),
            None => return Err("invalid escape sequence at the end of HELP text".into()),
        }
    }
    Ok(out)
}

/// Parses a float as Go's `strconv.ParseFloat(s, 64)` does after expfmt's filter: decimal
/// notation, `Inf` / `Infinity` with an optional sign and `NaN` without one (any case), no hex,
/// no underscores, and out-of-range literals (`1e400`) are errors rather than infinities.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if s.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    if !is_decimal_float(unsigned) {
        return None;
    }
    // Rust's grammar for this subset is the same, and both round correctly.
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// `digits [. digits] | . digits`, then optionally `e|E [+|-] digits` (OpenMetrics' realnumber
/// too).
pub(super) fn is_decimal_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Quotes a token for an error message, shortened so a huge token does not make a huge error.
fn quote(s: &str) -> String {
    const MAX: usize = 64;
    if s.len() <= MAX {
        return format!("{s:?}");
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?}…", &s[..end])
}

/// Quotes the character at the cursor (which starts with byte `b`).
fn quote_byte(c: &Cursor<'_>, b: u8) -> String {
    match c.rest().chars().next() {
        Some(ch) => format!("{ch:?}"),
        None => format!("{:?}", char::from(b)),
    }
}
