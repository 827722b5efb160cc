//! The token level of the OpenMetrics 1.0 text format: one sample line (name, labels, value,
//! timestamp, exemplar) and the number grammars, exactly as the specification's ABNF has them
//! (single spaces, no blanks inside the label set, no trailing comma), except that unknown
//! escapes in label values are kept as they are, as the reference parser and the conformance
//! suite (`label_escaping`) accept them.

use super::parse::is_decimal_float;

/// An exemplar may carry at most this many code points in its label names and values together.
const EXEMPLAR_MAX_RUNES: usize = 128;

/// A timestamp as the reference parser (client_python) compares them: whole seconds and the
/// first nine fractional digits, so that `1.0000000001` equals `1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct TsKey {
    secs: i128,
    nanos: i128,
}

/// A parsed timestamp: the comparison key and the value in milliseconds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timestamp {
    /// For ordering checks.
    pub key: TsKey,
    /// Milliseconds since the epoch, truncated as Prometheus does (`int64(ts * 1000)`).
    pub ms: i64,
}

/// One sample line, tokenized.
#[derive(Debug)]
pub(super) struct SampleLine {
    /// The sample's metric name (with its suffix, e.g. `a_total`).
    pub name: String,
    /// Labels in input order, unescaped; names are unique.
    pub labels: Vec<(String, String)>,
    /// The value.
    pub value: f64,
    /// The optional timestamp.
    pub timestamp: Option<Timestamp>,
    /// Whether an (already validated) exemplar followed.
    pub has_exemplar: bool,
}

impl SampleLine {
    /// The value of label `name`, if present.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A position in one line.
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

    fn expect(&mut self, b: u8, what: &str) -> Result<(), String> {
        match self.peek() {
            Some(got) if got == b => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(format!("expected {what}, found {:?}", self.rest().chars().next().unwrap_or(' '))),
            None => Err(format!("expected {what}, found end of line")),
        }
    }

    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or_default()
    }

    /// Takes bytes up to the next space (or the end). Stops only at an ASCII byte, so the slice
    /// stays on char boundaries.
    fn token(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|b| b != b' ') {
            self.pos += 1;
        }
        self.s.get(start..self.pos).unwrap_or_default()
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        self.s.get(start..self.pos).unwrap_or_default()
    }
}

/// Tokenizes one sample line:
/// `metricname [labels] SP number [SP timestamp] [SP "#" SP labels SP number [SP timestamp]]`.
pub(super) fn sample_line(line: &str) -> Result<SampleLine, String> {
    let mut c = Cursor { s: line, pos: 0 };
    let name = match c.peek() {
        Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b':' => {
            c.take_while(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
        }
        _ => return Err("expected a metric name at the start of the line".into()),
    };
    let labels = if c.peek() == Some(b'{') { label_set(&mut c)? } else { Vec::new() };
    c.expect(b' ', "a space before the value")?;
    let value = number(c.token())?;
    let mut sample = SampleLine { name: name.to_string(), labels, value, timestamp: None, has_exemplar: false };
    if c.at_end() {
        return Ok(sample);
    }
    c.expect(b' ', "a space")?;
    if c.peek() != Some(b'#') {
        sample.timestamp = Some(timestamp(c.token())?);
        if c.at_end() {
            return Ok(sample);
        }
        c.expect(b' ', "a space")?;
    }
    exemplar(&mut c)?;
    sample.has_exemplar = true;
    Ok(sample)
}

/// `"#" SP labels SP number [SP timestamp]` to the end of the line.
fn exemplar(c: &mut Cursor<'_>) -> Result<(), String> {
    c.expect(b'#', "'#' before an exemplar")?;
    c.expect(b' ', "a space after '#'")?;
    if c.peek() != Some(b'{') {
        return Err("expected '{' to start the exemplar's label set".into());
    }
    let labels = label_set(c)?;
    let runes: usize = labels.iter().map(|(n, v)| n.chars().count() + v.chars().count()).sum();
    if runes > EXEMPLAR_MAX_RUNES {
        return Err(format!("exemplar labels have {runes} characters, more than {EXEMPLAR_MAX_RUNES}"));
    }
    c.expect(b' ', "a space before the exemplar value")?;
    number(c.token())?;
    if c.at_end() {
        return Ok(());
    }
    c.expect(b' ', "a space")?;
    timestamp(c.token())?;
    if !c.at_end() {
        return Err(format!("unexpected text after the exemplar: {:?}", c.rest()));
    }
    Ok(())
}

/// `"{" [label *("," label)] "}"` with `label = name "=" DQUOTE escaped-string DQUOTE`.
fn label_set(c: &mut Cursor<'_>) -> Result<Vec<(String, String)>, String> {
    c.expect(b'{', "'{'")?;
    let mut labels: Vec<(String, String)> = Vec::new();
    if c.peek() == Some(b'}') {
        c.pos += 1;
        return Ok(labels);
    }
    loop {
        let name = match c.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => c.take_while(|b| b.is_ascii_alphanumeric() || b == b'_'),
            _ => return Err("expected a label name".into()),
        };
        if name == crate::model::METRIC_NAME_LABEL {
            return Err(format!("label name {name:?} is reserved"));
        }
        c.expect(b'=', "'=' after a label name")?;
        c.expect(b'"', "'\"' to start a label value")?;
        let value = label_value(c)?;
        if labels.iter().any(|(n, _)| n == name) {
            return Err(format!("duplicate label name {name:?}"));
        }
        labels.push((name.to_string(), value));
        match c.peek() {
            Some(b',') => c.pos += 1,
            Some(b'}') => {
                c.pos += 1;
                return Ok(labels);
            }
            _ => return Err("expected ',' or '}' after a label value".into()),
        }
    }
}

/// A label value after its opening quote, through the closing quote. `\\`, `\"` and `\n` are
/// unescaped; any other backslash pair is kept verbatim.
fn label_value(c: &mut Cursor<'_>) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = c.rest().char_indices();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '"' => {
                c.pos += i + 1;
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            },
            other => out.push(other),
        }
    }
    Err("label value is not terminated".into())
}

/// A sample or exemplar value: a real number, `[sign] inf|infinity` or `nan` (any case).
pub(super) fn number(s: &str) -> Result<f64, String> {
    let bad = || format!("invalid number {s:?}");
    if s.is_empty() {
        return Err("expected a value".into());
    }
    if s.eq_ignore_ascii_case("nan") {
        return Ok(f64::NAN);
    }
    let (negative, unsigned) = split_sign(s);
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Ok(if negative { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if !is_decimal_float(unsigned) {
        return Err(bad());
    }
    // Out-of-range literals become infinities, as in the reference parser.
    s.parse::<f64>().map_err(|_| bad())
}

/// A timestamp: a real number of seconds (no infinities, no NaN).
pub(super) fn timestamp(s: &str) -> Result<Timestamp, String> {
    if s.is_empty() {
        return Err("expected a timestamp".into());
    }
    let (negative, unsigned) = split_sign(s);
    if !is_decimal_float(unsigned) {
        return Err(format!("invalid timestamp {s:?}"));
    }
    let secs: f64 = s.parse().map_err(|_| format!("invalid timestamp {s:?}"))?;
    if !secs.is_finite() {
        return Err(format!("timestamp {s:?} is out of range"));
    }
    let ms = (secs * 1000.0) as i64;
    let sign = if negative { -1 } else { 1 };
    let key = if unsigned.bytes().all(|b| b.is_ascii_digit()) {
        TsKey { secs: sign * parse_i128(unsigned), nanos: 0 }
    } else if let Some((int, frac)) = unsigned
        .split_once('.')
        .filter(|(i, f)| !i.is_empty() && !f.is_empty() && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit()))
    {
        // Like client_python: the sign applies to the whole seconds only.
        let nine: String = frac.chars().take(9).collect();
        TsKey { secs: sign * parse_i128(int), nanos: parse_i128(&format!("{nine:0<9}")) }
    } else {
        let floor = secs.floor();
        TsKey { secs: floor as i128, nanos: ((secs - floor) * 1e9) as i128 }
    };
    Ok(Timestamp { key, ms })
}

/// Digits only; saturates instead of failing on absurd lengths.
fn parse_i128(digits: &str) -> i128 {
    digits.parse().unwrap_or(i128::MAX)
}

fn split_sign(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}
