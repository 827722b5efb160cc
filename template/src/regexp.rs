//! Go's `regexp` (RE2 syntax) on the `regex` crate.
//!
//! Both are RE2-like; the differences that matter are translated: Go's `\d \w \s \b` and
//! their negations are ASCII-only (the crate's are Unicode), Go takes `{` that does not start
//! a valid repetition, and `[` inside a class, literally, and supports `\Q...\E`.
//! Compiled expressions are cached.

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

/// Translates a Go regular expression into the `regex` crate's syntax.
fn translate(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut class_start = 0;
    while i < chars.len() {
        let c = chars[i];
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
                _ => {
                    out.push('\\');
                    out.push(n);
                }
            }
            i += 2;
            continue;
        }
        if in_class {
            match c {
                '[' if i + 1 < chars.len() && chars[i + 1] == ':' => {
                    // A POSIX class like [:alpha:]: copy through ":]".
                    let mut j = i + 2;
                    while j + 1 < chars.len() && !(chars[j] == ':' && chars[j + 1] == ']') {
                        j += 1;
                    }
                    if j + 1 < chars.len() {
                        out.extend(&chars[i..j + 2]);
                        i = j + 2;
                        continue;
                    }
                    out.push_str("\\[");
                }
                '[' => out.push_str("\\["),
                '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                ']' if i > class_start => {
                    in_class = false;
                    out.push(']');
                }
                _ => out.push(c),
            }
            i += 1;
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
                if i < chars.len() && chars[i] == ']' {
                    out.push_str("\\]");
                    i += 1;
                }
                continue;
            }
            '{' => match valid_repeat(&chars, i) {
                Some(j) => {
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                    continue;
                }
                None => out.push_str("\\{"),
            },
            '}' => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
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
    let re = regex::RegexBuilder::new(&translate(pattern)).size_limit(1 << 24).build().map_err(|e| {
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
        assert!(m(r"a+", "baab"));
        assert!(go_regex("(").unwrap_err().starts_with("error parsing regexp: "));
    }
}
