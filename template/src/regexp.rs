//! Go's `regexp` (RE2 syntax) on the `regex` crate.
//!
//! Both are RE2-like; the pattern is translated so that it means what it means in Go: `\d \w \s
//! \b` and their negations are ASCII-only (the crate's are Unicode), `{` that does not start a
//! valid repetition and `[` inside a class are literal, `\Q...\E` and octal escapes work, and
//! `-`, `&&`, `~~` inside classes are not the crate's set operations. What Go's parser rejects and
//! the crate would take is rejected with Go's message (`a**`, `a{1001}`, `\cA`, `\1`, `(?x)`,
//! `(?<name>)` which Go 1.19 lacks, `[.-\w]`). Compiled expressions are cached.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

fn valid_repeat(chars: &[char], i: usize) -> Option<usize> {
    // chars[i] == '{'; returns the index of the closing '}' of {n}, {n,} or {n,m}.
    let mut j = i + 1;
    let start = j;
    while j < chars.len() && chars[j].is_ascii_digit() {
        j += 1;
    }
    if j == start {
        return None;
    }
    if j < chars.len() && chars[j] == ',' {
        j += 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
    }
    if j < chars.len() && chars[j] == '}' {
        Some(j)
    } else {
        None
    }
}

/// A Go syntax error: (code, offending text), shown as `error parsing regexp: code: `text``.
type SyntaxErr = (&'static str, String);

fn is_octal(c: char) -> bool {
    ('0'..='7').contains(&c)
}

/// One character of a class at `i` (Go's parseClassChar): its code point, its text for the
/// crate (escaped), and the index after it.
fn class_char(chars: &[char], i: usize) -> Result<(u32, String, usize), SyntaxErr> {
    let text = |a: usize, b: usize| chars[a..b.min(chars.len())].iter().collect::<String>();
    let lit = |c: char| {
        if c.is_ascii_punctuation() {
            format!("\\{}", c)
        } else if c.is_control() {
            format!("\\x{{{:x}}}", c as u32)
        } else {
            c.to_string()
        }
    };
    let c = chars[i];
    if c != '\\' {
        return Ok((c as u32, lit(c), i + 1));
    }
    let Some(&n) = chars.get(i + 1) else {
        return Err(("trailing backslash at end of expression", String::new()));
    };
    let simple = |v: char| Ok((v as u32, lit(v), i + 2));
    match n {
        'a' => simple('\u{7}'),
        'f' => simple('\u{c}'),
        't' => simple('\t'),
        'n' => simple('\n'),
        'r' => simple('\r'),
        'v' => simple('\u{b}'),
        '0'..='7' => {
            if n != '0' && !chars.get(i + 2).is_some_and(|c| is_octal(*c)) {
                return Err(("invalid escape sequence", text(i, i + 2)));
            }
            let mut j = i + 2;
            while j < chars.len() && j < i + 4 && is_octal(chars[j]) {
                j += 1;
            }
            let v = u32::from_str_radix(&text(i + 1, j), 8).unwrap_or(0);
            Ok((v, format!("\\x{{{:x}}}", v), j))
        }
        'x' => {
            let (hex, end) = if chars.get(i + 2) == Some(&'{') {
                let mut j = i + 3;
                while j < chars.len() && chars[j] != '}' {
                    j += 1;
                }
                (text(i + 3, j), j + 1)
            } else {
                (text(i + 2, i + 4), i + 4)
            };
            match u32::from_str_radix(&hex, 16).ok().filter(|v| char::from_u32(*v).is_some()) {
                Some(v) if !hex.is_empty() => Ok((v, format!("\\x{{{:x}}}", v), end)),
                _ => Err(("invalid escape sequence", text(i, end))),
            }
        }
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => simple(c),
        _ => Err(("invalid escape sequence", text(i, i + 2))),
    }
}

/// Translates a Go regular expression into the `regex` crate's syntax, rejecting what Go's
/// parser rejects and the crate would accept.
fn translate(p: &str) -> Result<String, SyntaxErr> {
    let chars: Vec<char> = p.chars().collect();
    let text = |a: usize, b: usize| chars[a..b.min(chars.len())].iter().collect::<String>();
    let mut out = String::with_capacity(p.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut class_start = 0;
    // Whether the last item outside a class was a repetition (Go rejects `a**`).
    let mut after_repeat: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        let was_repeat = after_repeat.take();
        if c == '\\' && i + 1 < chars.len() {
            let n = chars[i + 1];
            match n {
                'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                'D' => out.push_str("[^0-9]"),
                'w' => out.push_str(if in_class { "0-9A-Za-z_" } else { "[0-9A-Za-z_]" }),
                'W' => out.push_str("[^0-9A-Za-z_]"),
                's' => out.push_str(if in_class { "\\t\\n\\f\\r " } else { "[\\t\\n\\f\\r ]" }),
                'S' => out.push_str("[^\\t\\n\\f\\r ]"),
                'b' if !in_class => out.push_str("(?-u:\\b)"),
                'B' if !in_class => out.push_str("(?-u:\\B)"),
                'A' | 'z' if !in_class => {
                    out.push('\\');
                    out.push(n);
                }
                'Q' if !in_class => {
                    let rest: String = chars[i + 2..].iter().collect();
                    let (lit, consumed) = match rest.find("\\E") {
                        Some(k) => (rest[..k].to_string(), k + 2),
                        None => (rest.clone(), rest.len()),
                    };
                    out.push_str(&regex::escape(&lit));
                    i += 2 + rest[..consumed].chars().count();
                    continue;
                }
                'p' | 'P' | 'x' if i + 2 < chars.len() && chars[i + 2] == '{' => {
                    // \p{Greek}, \x{263a}: copy through the closing brace.
                    let mut j = i + 2;
                    while j < chars.len() && chars[j] != '}' {
                        j += 1;
                    }
                    let end = (j + 1).min(chars.len());
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                'p' | 'P' | 'x' | 'a' | 'f' | 't' | 'n' | 'r' | 'v' => {
                    out.push('\\');
                    out.push(n);
                }
                '0'..='7' => {
                    // Octal: \0, \012, \101 (a lone \1-\7 is a backreference, unsupported).
                    if n != '0' && !(i + 2 < chars.len() && is_octal(chars[i + 2])) {
                        return Err(("invalid escape sequence", text(i, i + 2)));
                    }
                    let mut j = i + 2;
                    while j < chars.len() && j < i + 4 && is_octal(chars[j]) {
                        j += 1;
                    }
                    let v = u32::from_str_radix(&text(i + 1, j), 8).unwrap_or(0);
                    out.push_str(&format!("\\x{{{:x}}}", v));
                    i = j;
                    continue;
                }
                c if c.is_ascii_alphanumeric() => return Err(("invalid escape sequence", text(i, i + 2))),
                _ => {
                    out.push('\\');
                    out.push(n);
                }
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == ']' && i >= class_start {
                in_class = false;
                out.push(']');
                i += 1;
                continue;
            }
            // POSIX classes, \p{..} and Perl classes are whole items (no range from them).
            if c == '[' && i + 1 < chars.len() && chars[i + 1] == ':' {
                let mut j = i + 2;
                while j + 1 < chars.len() && !(chars[j] == ':' && chars[j + 1] == ']') {
                    j += 1;
                }
                if j + 1 < chars.len() {
                    out.extend(&chars[i..j + 2]);
                    i = j + 2;
                    continue;
                }
            }
            if c == '\\' && i + 1 < chars.len() {
                let n = chars[i + 1];
                match n {
                    'p' | 'P' => {
                        let end = if i + 2 < chars.len() && chars[i + 2] == '{' {
                            let mut j = i + 2;
                            while j < chars.len() && chars[j] != '}' {
                                j += 1;
                            }
                            (j + 1).min(chars.len())
                        } else {
                            (i + 3).min(chars.len())
                        };
                        out.extend(&chars[i..end]);
                        i = end;
                        continue;
                    }
                    'd' => out.push_str("0-9"),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str("0-9A-Za-z_"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    's' => out.push_str("\\t\\n\\f\\r "),
                    'S' => out.push_str("[^\\t\\n\\f\\r ]"),
                    _ => {}
                }
                if matches!(n, 'd' | 'D' | 'w' | 'W' | 's' | 'S') {
                    i += 2;
                    continue;
                }
            }
            // A single character, or a range of two.
            let range_start = i;
            let (lo, lo_text, next) = class_char(&chars, i)?;
            if next + 1 < chars.len() && chars[next] == '-' && chars[next + 1] != ']' {
                let (hi, hi_text, after) = class_char(&chars, next + 1)?;
                if hi < lo {
                    return Err(("invalid character class range", text(range_start, after)));
                }
                out.push_str(&lo_text);
                out.push('-');
                out.push_str(&hi_text);
                i = after;
            } else {
                out.push_str(&lo_text);
                i = next;
            }
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if i < chars.len() && chars[i] == '^' {
                    out.push('^');
                    i += 1;
                }
                // A ']' right after the opening is literal.
                class_start = i + 1;
                continue;
            }
            '(' if i + 1 < chars.len() && chars[i + 1] == '?' => {
                // Go knows (?flags), (?flags:re) with flags i m s U, and (?P<name>re).
                if i + 2 < chars.len() && chars[i + 2] == 'P' {
                    out.push(c);
                    i += 1;
                    continue;
                }
                let mut j = i + 2;
                while j < chars.len() && matches!(chars[j], 'i' | 'm' | 's' | 'U' | '-') {
                    j += 1;
                }
                if j >= chars.len() || !matches!(chars[j], ')' | ':') || (j == i + 2 && chars[j] == ')') {
                    return Err(("invalid or unsupported Perl syntax", text(i, j + 1)));
                }
                out.extend(&chars[i..=j]);
                i = j + 1;
                continue;
            }
            '*' | '+' | '?' => {
                if let Some(start) = was_repeat {
                    return Err(("invalid nested repetition operator", text(start, i + 1)));
                }
                out.push(c);
                let start = i;
                i += 1;
                if i < chars.len() && chars[i] == '?' {
                    out.push('?');
                    i += 1;
                }
                after_repeat = Some(start);
                continue;
            }
            '{' => match valid_repeat(&chars, i) {
                Some(j) => {
                    let body = text(i + 1, j);
                    if body.split(',').any(|n| n.parse::<u32>().map(|n| n > 1000).unwrap_or(!n.is_empty())) {
                        return Err(("invalid repeat count", text(i, j + 1)));
                    }
                    if let Some(start) = was_repeat {
                        return Err(("invalid nested repetition operator", text(start, j + 1)));
                    }
                    out.extend(&chars[i..=j]);
                    let start = i;
                    i = j + 1;
                    if i < chars.len() && chars[i] == '?' {
                        out.push('?');
                        i += 1;
                    }
                    after_repeat = Some(start);
                    continue;
                }
                None => out.push_str("\\{"),
            },
            '}' => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// Go's wording for the crate's parse errors.
fn go_error_code(msg: &str) -> &str {
    let table: &[(&str, &str)] = &[
        ("unclosed group", "missing closing )"),
        ("unopened group", "unexpected )"),
        ("unclosed character class", "missing closing ]"),
        ("unrecognized escape sequence", "invalid escape sequence"),
        ("backreferences are not supported", "invalid escape sequence"),
        ("repetition operator missing expression", "missing argument to repetition operator"),
        ("invalid character class range", "invalid character class range"),
        ("invalid repetition count range", "invalid repeat count"),
        ("repetition quantifier", "invalid repeat count"),
        ("incomplete escape sequence", "trailing backslash at end of expression"),
        ("capture group name", "invalid named capture"),
        ("duplicate capture group name", "duplicate capture group name"),
        ("unrecognized flag", "invalid or unsupported Perl syntax"),
        ("look-around", "invalid or unsupported Perl syntax"),
    ];
    for (rust, go) in table {
        if msg.contains(rust) {
            return go;
        }
    }
    msg
}

/// Compiles a Go (RE2) regular expression, as Go's `regexp.Compile` does (unanchored).
/// Errors read `error parsing regexp: ...`.
pub fn go_regex(pattern: &str) -> Result<Regex, String> {
    static CACHE: OnceLock<Mutex<HashMap<String, Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(re) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pattern) {
        return Ok(re.clone());
    }
    let translated =
        translate(pattern).map_err(|(code, text)| format!("error parsing regexp: {}: `{}`", code, text))?;
    let re = regex::RegexBuilder::new(&translated).size_limit(1 << 24).build().map_err(|e| {
        let msg = e.to_string();
        let last = msg.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let last = last.strip_prefix("error: ").unwrap_or(last);
        format!("error parsing regexp: {}: `{}`", go_error_code(last), pattern)
    })?;
    let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
    if c.len() >= 512 {
        c.clear();
    }
    c.insert(pattern.to_string(), re.clone());
    Ok(re)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_semantics() {
        let m = |p: &str, s: &str| go_regex(p).unwrap().is_match(s);
        assert!(m(r"\d+", "a12"));
        assert!(!m(r"^\d$", "٣")); // ASCII digits only, as in Go.
        assert!(!m(r"^\w$", "é"));
        assert!(m(r"^[\w.]+$", "a.b_c"));
        assert!(m(r"^[^\d]+$", "abc"));
        assert!(m(r"^a{,3}$", "a{,3}"));
        assert!(m(r"^x{2}$", "xx"));
        assert!(m(r"^[[]$", "["));
        assert!(m(r"^[]a]+$", "]a"));
        assert!(m(r"^[[:alpha:]]+$", "abc"));
        assert!(m(r"^\Qa.b\E$", "a.b"));
        assert!(!m(r"^\Qa.b\E$", "axb"));
        assert!(m(r"\bfoo\b", "a foo b"));
        assert!(m(r"(?i)FOO", "foo"));
        assert!(m(r"^\p{Greek}+$", "αβγ"));
        assert!(m(r"^[\p{Lu}\d]+$", "A1"));
        assert!(m(r"^\x{263a}$", "☺"));
        assert!(m(r"a+", "baab"));
        assert!(go_regex("(").unwrap_err().starts_with("error parsing regexp: "));
        assert!(m(r"^\101\0$", "A\0"));
        assert!(m(r"^a*?b+?c??$", "aabc"));
        assert!(m(r"^[!--]+$", "!-,"));
        assert!(m(r"(?i:A)(?s).(?U)x+", "a\nxx"));
        let err = |p: &str| go_regex(p).unwrap_err();
        assert_eq!(err("a**"), "error parsing regexp: invalid nested repetition operator: `**`");
        assert_eq!(err("a{1001}"), "error parsing regexp: invalid repeat count: `{1001}`");
        assert_eq!(err(r"\cA"), r"error parsing regexp: invalid escape sequence: `\c`");
        assert_eq!(err(r"\1"), r"error parsing regexp: invalid escape sequence: `\1`");
        assert_eq!(err("(?x)a"), "error parsing regexp: invalid or unsupported Perl syntax: `(?x`");
        assert_eq!(err("(?<n>a)"), "error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
        assert_eq!(err("[a--b]"), "error parsing regexp: invalid character class range: `a--`");
        assert_eq!(err(r"[.-\w]"), r"error parsing regexp: invalid escape sequence: `\w`");
        assert!(m(r"^[--a]+$", "-0a") && m(r"^[\w-.]+$", "a-.") && m(r"^[\p{L}-z]+$", "é-z"));
    }
}
