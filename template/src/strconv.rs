//! The parts of Go's `strconv` the template language needs: quoting and unquoting with Go's
//! escapes, and Go's integer and float syntax (base prefixes, underscores, hex floats,
//! `Inf`/`NaN`), with Go's error texts.

use crate::format::is_go_print;

const LOWERHEX: &[u8] = b"0123456789abcdef";

fn append_escaped_rune(buf: &mut String, r: char, quote: char, ascii_only: bool) {
    if r == quote || r == '\\' {
        buf.push('\\');
        buf.push(r);
        return;
    }
    if ascii_only {
        if r.is_ascii() && is_go_print(r) {
            buf.push(r);
            return;
        }
    } else if is_go_print(r) {
        buf.push(r);
        return;
    }
    match r {
        '\u{7}' => buf.push_str("\\a"),
        '\u{8}' => buf.push_str("\\b"),
        '\u{c}' => buf.push_str("\\f"),
        '\n' => buf.push_str("\\n"),
        '\r' => buf.push_str("\\r"),
        '\t' => buf.push_str("\\t"),
        '\u{b}' => buf.push_str("\\v"),
        _ => {
            let c = r as u32;
            if c < 0x20 || c == 0x7f {
                buf.push_str("\\x");
                buf.push(LOWERHEX[(c >> 4) as usize & 0xf] as char);
                buf.push(LOWERHEX[c as usize & 0xf] as char);
            } else if c < 0x10000 {
                buf.push_str("\\u");
                for s in [12, 8, 4, 0] {
                    buf.push(LOWERHEX[(c >> s) as usize & 0xf] as char);
                }
            } else {
                buf.push_str("\\U");
                for s in [28, 24, 20, 16, 12, 8, 4, 0] {
                    buf.push(LOWERHEX[(c >> s) as usize & 0xf] as char);
                }
            }
        }
    }
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    quote_with(s, '"', false)
}

/// Go's `strconv.QuoteToASCII`.
pub fn quote_to_ascii(s: &str) -> String {
    quote_with(s, '"', true)
}

fn quote_with(s: &str, q: char, ascii_only: bool) -> String {
    let mut buf = String::with_capacity(s.len() + 2);
    buf.push(q);
    for r in s.chars() {
        append_escaped_rune(&mut buf, r, q, ascii_only);
    }
    buf.push(q);
    buf
}

/// Go's `strconv.QuoteRune` (and `QuoteRuneToASCII` when `ascii_only`).
pub fn quote_rune(r: char, ascii_only: bool) -> String {
    let mut buf = String::from("'");
    append_escaped_rune(&mut buf, r, '\'', ascii_only);
    buf.push('\'');
    buf
}

/// Go's `strconv.CanBackquote`.
pub fn can_backquote(s: &str) -> bool {
    for c in s.chars() {
        if c == '\u{FEFF}' {
            return false;
        }
        if (c < ' ' && c != '\t') || c == '`' || c == '\u{7f}' {
            return false;
        }
    }
    true
}

/// Go's `strconv.ErrSyntax` ("invalid syntax") from unquoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError;

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid syntax")
    }
}

impl std::error::Error for SyntaxError {}

fn unhex(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'f' => Some((b - b'a' + 10) as u32),
        b'A'..=b'F' => Some((b - b'A' + 10) as u32),
        _ => None,
    }
}

/// Go's `strconv.UnquoteChar`: decodes the first character or escape of `s`, returning it and
/// the rest.
pub fn unquote_char(s: &str, quote: char) -> Result<(char, &str), SyntaxError> {
    let mut chars = s.chars();
    let c = chars.next().ok_or(SyntaxError)?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err(SyntaxError);
    }
    if c != '\\' {
        return Ok((c, chars.as_str()));
    }
    let b = s.as_bytes();
    if b.len() <= 1 {
        return Err(SyntaxError);
    }
    let esc = b[1];
    let mut tail = &s[2..];
    let value = match esc {
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'v' => '\u{b}',
        b'x' | b'u' | b'U' => {
            let n = match esc {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            if tail.len() < n {
                return Err(SyntaxError);
            }
            let mut v: u32 = 0;
            for &d in &tail.as_bytes()[..n] {
                v = (v << 4) | unhex(d).ok_or(SyntaxError)?;
            }
            tail = &tail[n..];
            if esc == b'x' {
                // A single byte; as a character it is only valid below 0x80 in a Rust string.
                if v >= 0x80 {
                    // Go keeps the raw byte; we can only represent it as the code point.
                    return char::from_u32(v).map(|c| (c, tail)).ok_or(SyntaxError);
                }
                char::from_u32(v).ok_or(SyntaxError)?
            } else {
                char::from_u32(v).ok_or(SyntaxError)?
            }
        }
        b'0'..=b'7' => {
            let mut v = (esc - b'0') as u32;
            if tail.len() < 2 {
                return Err(SyntaxError);
            }
            for &d in &tail.as_bytes()[..2] {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(SyntaxError);
                }
                v = (v << 3) | (d - b'0') as u32;
            }
            tail = &tail[2..];
            if v > 255 {
                return Err(SyntaxError);
            }
            char::from_u32(v).ok_or(SyntaxError)?
        }
        b'\\' => '\\',
        b'\'' | b'"' => {
            if esc as char != quote {
                return Err(SyntaxError);
            }
            esc as char
        }
        _ => return Err(SyntaxError),
    };
    Ok((value, tail))
}

/// Go's `strconv.Unquote` for `"..."`, `` `...` `` and `'.'`.
pub fn unquote(s: &str) -> Result<String, SyntaxError> {
    let n = s.len();
    if n < 2 {
        return Err(SyntaxError);
    }
    let quote = s.as_bytes()[0];
    if quote != s.as_bytes()[n - 1] {
        return Err(SyntaxError);
    }
    let inner = &s[1..n - 1];
    match quote {
        b'`' => {
            if inner.contains('`') {
                return Err(SyntaxError);
            }
            Ok(inner.replace('\r', ""))
        }
        b'"' | b'\'' => {
            if inner.contains('\n') {
                return Err(SyntaxError);
            }
            let q = quote as char;
            let mut out = String::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                let (c, tail) = unquote_char(rest, q)?;
                out.push(c);
                rest = tail;
                if q == '\'' && !rest.is_empty() {
                    return Err(SyntaxError);
                }
            }
            if q == '\'' && out.chars().count() != 1 {
                return Err(SyntaxError);
            }
            Ok(out)
        }
        _ => Err(SyntaxError),
    }
}

/// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
fn underscore_ok(s: &str) -> bool {
    let mut b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        b = &b[1..];
    }
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&c.to_ascii_lowercase())) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub fn parse_uint0(s: &str) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let b = s.as_bytes();
    let (base, digits): (u32, &str) = if b[0] == b'0' {
        if b.len() >= 3 && b[1].eq_ignore_ascii_case(&b'b') {
            (2, &s[2..])
        } else if b.len() >= 3 && b[1].eq_ignore_ascii_case(&b'o') {
            (8, &s[2..])
        } else if b.len() >= 3 && b[1].eq_ignore_ascii_case(&b'x') {
            (16, &s[2..])
        } else {
            (8, &s[1..])
        }
    } else {
        (10, s)
    };
    let mut underscores = false;
    let mut n: u64 = 0;
    let mut overflow = false;
    for c in digits.bytes() {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => (c - b'0') as u32,
            b'a'..=b'z' => (c - b'a' + 10) as u32,
            b'A'..=b'Z' => (c - b'A' + 10) as u32,
            _ => return Err(NumError::Syntax),
        };
        if d >= base {
            return Err(NumError::Syntax);
        }
        match n.checked_mul(base as u64).and_then(|x| x.checked_add(d as u64)) {
            Some(x) => n = x,
            None => overflow = true,
        }
    }
    if overflow {
        return Err(NumError::Range);
    }
    if underscores && !underscore_ok(s) {
        return Err(NumError::Syntax);
    }
    Ok(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int0(s: &str) -> Result<i64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint0(body)?;
    if neg {
        if u > 1u64 << 63 {
            return Err(NumError::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        if u >= 1u64 << 63 {
            return Err(NumError::Range);
        }
        Ok(u as i64)
    }
}

fn common_prefix_len_ignore_case(s: &str, prefix: &str) -> usize {
    let sb = s.as_bytes();
    let mut n = 0;
    for (i, &p) in prefix.as_bytes().iter().enumerate() {
        if i >= sb.len() || sb[i].to_ascii_lowercase() != p {
            break;
        }
        n += 1;
    }
    n
}

/// Go's `strconv.ParseFloat(s, 64)`. On a range error the value is ±Inf (as in Go).
pub fn parse_float(s: &str) -> Result<f64, (NumError, f64)> {
    // Special values.
    {
        let b = s.as_bytes();
        if !b.is_empty() {
            let (sign, rest) = match b[0] {
                b'+' => (1.0, &s[1..]),
                b'-' => (-1.0, &s[1..]),
                _ => (1.0, s),
            };
            let signed = rest.len() != s.len();
            let first = rest.as_bytes().first().copied().unwrap_or(0);
            if signed || first == b'i' || first == b'I' {
                let mut n = common_prefix_len_ignore_case(rest, "infinity");
                if 3 < n && n < 8 {
                    n = 3;
                }
                if n == 3 || n == 8 {
                    if n == rest.len() {
                        return Ok(sign * f64::INFINITY);
                    }
                    return Err((NumError::Syntax, 0.0));
                }
            } else if (first == b'n' || first == b'N') && common_prefix_len_ignore_case(rest, "nan") == 3 {
                if rest.len() == 3 {
                    return Ok(f64::NAN);
                }
                return Err((NumError::Syntax, 0.0));
            }
        }
    }
    // Validate with Go's readFloat grammar.
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut hex = false;
    if i + 2 < b.len() && b[i] == b'0' && b[i + 1].eq_ignore_ascii_case(&b'x') {
        hex = true;
        i += 2;
    }
    let mut underscores = false;
    let mut sawdot = false;
    let mut sawdigits = false;
    let mut mant = String::new();
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if sawdot {
                break;
            }
            sawdot = true;
            mant.push('.');
        } else if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&c.to_ascii_lowercase())) {
            sawdigits = true;
            mant.push(c as char);
        } else {
            break;
        }
        i += 1;
    }
    if !sawdigits {
        return Err((NumError::Syntax, 0.0));
    }
    let exp_char = if hex { b'p' } else { b'e' };
    let mut exp: i64 = 0;
    if i < b.len() && b[i].to_ascii_lowercase() == exp_char {
        i += 1;
        if i >= b.len() {
            return Err((NumError::Syntax, 0.0));
        }
        let mut esign = 1;
        if b[i] == b'+' {
            i += 1;
        } else if b[i] == b'-' {
            i += 1;
            esign = -1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return Err((NumError::Syntax, 0.0));
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else if exp < 100_000 {
                exp = exp * 10 + (b[i] - b'0') as i64;
            }
            i += 1;
        }
        exp *= esign;
    } else if hex {
        return Err((NumError::Syntax, 0.0));
    }
    if i != b.len() {
        return Err((NumError::Syntax, 0.0));
    }
    if underscores && !underscore_ok(s) {
        return Err((NumError::Syntax, 0.0));
    }
    let v = if hex {
        // mantissa hex digits with optional point, times 2^exp.
        let (int_part, frac_part) = match mant.split_once('.') {
            Some((a, b)) => (a.to_string(), b.to_string()),
            None => (mant.clone(), String::new()),
        };
        let mut m: f64 = 0.0;
        for d in int_part.chars().chain(frac_part.chars()) {
            m = m * 16.0 + d.to_digit(16).unwrap() as f64;
        }
        let e = exp - 4 * frac_part.len() as i64;
        let v = m * 2f64.powi(e.clamp(-2000, 2000) as i32);
        if neg {
            -v
        } else {
            v
        }
    } else {
        let mut text = String::new();
        if neg {
            text.push('-');
        }
        text.push_str(&mant);
        if text.ends_with('.') {
            text.push('0');
        }
        if text.starts_with('.') || text.starts_with("-.") {
            text = text.replacen('.', "0.", 1);
        }
        text.push('e');
        text.push_str(&exp.to_string());
        text.parse::<f64>().map_err(|_| (NumError::Syntax, 0.0))?
    };
    if v.is_infinite() {
        return Err((NumError::Range, v));
    }
    Ok(v)
}

/// Go's error text for a failed `ParseFloat`: `strconv.ParseFloat: parsing "x": invalid syntax`.
pub fn parse_float_error(s: &str, e: NumError) -> String {
    format!(
        "strconv.ParseFloat: parsing {}: {}",
        quote(s),
        match e {
            NumError::Syntax => "invalid syntax",
            NumError::Range => "value out of range",
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c\n\t\u{1}\u{7f}é\u{200b}"), r#""a\"b\\c\n\t\x01\x7fé\u200b""#);
        assert_eq!(quote_to_ascii("é☺"), r#""\u00e9\u263a""#);
        assert_eq!(quote_rune('\'', false), r"'\''");
        assert_eq!(quote_rune('x', false), "'x'");
        assert!(can_backquote("abc\t"));
        assert!(!can_backquote("a`b"));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a\tb\"\u00e9\x41\101""#).unwrap(), "a\tb\"éAA");
        assert_eq!(unquote("`a\\n\r`").unwrap(), "a\\n");
        assert_eq!(unquote("'x'").unwrap(), "x");
        assert!(unquote(r#""\'""#).is_err());
        assert!(unquote(r#""\q""#).is_err());
        assert_eq!(unquote_char(r"\n'", '\'').unwrap(), ('\n', "'"));
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int0("12_34"), Ok(1234));
        assert_eq!(parse_int0("0b101"), Ok(5));
        assert_eq!(parse_int0("0377"), Ok(255));
        assert_eq!(parse_int0("0o_3_7_7"), Ok(255));
        assert_eq!(parse_int0("0X123ABC"), Ok(1194684));
        assert_eq!(parse_int0("-0x8000000000000000"), Ok(i64::MIN));
        assert_eq!(parse_int0("0x8000000000000000"), Err(NumError::Range));
        assert_eq!(parse_uint0("0x8000000000000000"), Ok(1 << 63));
        assert_eq!(parse_int0("1__2"), Err(NumError::Syntax));
        assert_eq!(parse_int0("089"), Err(NumError::Syntax));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float("123.4"), Ok(123.4));
        assert_eq!(parse_float("0_0_1_2_3.4"), Ok(123.4));
        assert_eq!(parse_float("+0x1.ep+2"), Ok(7.5));
        assert_eq!(parse_float("+0x_1.e_0p+0_2"), Ok(7.5));
        assert_eq!(parse_float(".12"), Ok(0.12));
        assert_eq!(parse_float("1."), Ok(1.0));
        assert_eq!(parse_float("-Inf"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_float("+infinity"), Ok(f64::INFINITY));
        assert!(parse_float("NaN").unwrap().is_nan());
        assert_eq!(parse_float("+nan"), Err((NumError::Syntax, 0.0)));
        assert_eq!(parse_float("one"), Err((NumError::Syntax, 0.0)));
        assert_eq!(parse_float("1e400"), Err((NumError::Range, f64::INFINITY)));
        assert_eq!(parse_float("0x1p"), Err((NumError::Syntax, 0.0)));
        assert_eq!(parse_float("1e"), Err((NumError::Syntax, 0.0)));
        assert_eq!(parse_float(""), Err((NumError::Syntax, 0.0)));
        assert_eq!(parse_float_error("one", NumError::Syntax), r#"strconv.ParseFloat: parsing "one": invalid syntax"#);
    }
}
