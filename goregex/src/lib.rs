//! Go's `regexp` (RE2 syntax and semantics) on the `regex` crate.
//!
//! Prometheus, Alertmanager, node_exporter and blackbox_exporter take regular expressions from
//! their users and compile them with Go's `regexp`. The `regex` crate is RE2-like too but differs
//! where users notice: `\d \w \s \b` are Unicode there and ASCII in Go, a `{` that does not start
//! a repetition is literal in Go, `[` inside a class, `\Q...\E` and octal escapes are Go's, the
//! class set operations `--`, `&&`, `~~` and the assertions `\<`, `\>` are the crate's only, and
//! some patterns one accepts the other rejects. [`translate`] rewrites a Go pattern into one that
//! means the same to the crate, and rejects what Go rejects with Go's message; the `compile*`
//! functions build on it. Behaviour and messages were checked against Go 1.19.
//!
//! Nothing here caches or locks: callers that compile the same pattern repeatedly keep their
//! own cache.

mod names;
mod translate;

#[cfg(test)]
mod tests;

use std::fmt;

use regex::Regex;

/// The largest compiled program accepted (the crate's default is 10 MiB; Go has no such limit
/// but bounds repetition counts, which keeps its programs of the same order).
const SIZE_LIMIT: usize = 1 << 24;

/// A pattern Go's `regexp.Compile` rejects, with Go's message:
/// ``error parsing regexp: missing closing ): `(a` ``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoRegexError {
    code: String,
    expr: String,
}

impl GoRegexError {
    /// Go's error code (`regexp/syntax.ErrorCode`), such as `missing closing )`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The offending part of the pattern, as Go quotes it in its message.
    pub fn expr(&self) -> &str {
        &self.expr
    }
}

impl fmt::Display for GoRegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

impl std::error::Error for GoRegexError {}

/// Translates a Go (RE2) pattern into an equivalent pattern for the `regex` crate (unanchored,
/// like the input), or Go's error for a pattern Go rejects that the crate would accept. Patterns
/// both reject may still translate; [`compile`] reports those.
pub fn translate(pattern: &str) -> Result<String, GoRegexError> {
    translate::translate(pattern)
}

/// Compiles a Go pattern as Go's `regexp.Compile` does: unanchored, with Go's semantics and
/// Go's error message.
pub fn compile(pattern: &str) -> Result<Regex, GoRegexError> {
    let translated = translate(pattern)?;
    regex::RegexBuilder::new(&translated).size_limit(SIZE_LIMIT).build().map_err(|e| crate_error(&e, pattern))
}

/// Compiles `^(?:pattern)$`, the fully anchored form Prometheus 2 and Alertmanager give label
/// matchers and relabeling regexes; errors quote the anchored text as Go's do.
pub fn compile_anchored(pattern: &str) -> Result<Regex, GoRegexError> {
    compile(&format!("^(?:{pattern})$"))
}

/// Compiles `^(?s:pattern)$`, the fully anchored form in which `.` also matches a newline, as
/// Prometheus 3 gives label matchers, relabeling regexes and `label_replace`.
pub fn compile_anchored_dotnl(pattern: &str) -> Result<Regex, GoRegexError> {
    compile(&format!("^(?s:{pattern})$"))
}

/// Compiles a Go pattern for matching bytes (Go's `regexp.Match` on a `[]byte`), unanchored.
/// Text that is not UTF-8 is matched byte by byte: `.` does not match an invalid byte, where Go
/// decodes it as U+FFFD.
pub fn compile_bytes(pattern: &str) -> Result<regex::bytes::Regex, GoRegexError> {
    let translated = translate(pattern)?;
    regex::bytes::RegexBuilder::new(&translated).size_limit(SIZE_LIMIT).build().map_err(|e| crate_error(&e, pattern))
}

/// Go's error for a pattern the crate rejected after translation. The crate does not say which
/// part of the pattern is at fault in a form Go would print, so the whole pattern is quoted (as
/// Go does for missing and unexpected parentheses, the commonest case).
fn crate_error(e: &regex::Error, pattern: &str) -> GoRegexError {
    let msg = e.to_string();
    let last = msg.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let last = last.strip_prefix("error: ").unwrap_or(last);
    GoRegexError { code: go_error_code(last).to_string(), expr: pattern.to_string() }
}

/// Go's wording for the crate's messages.
fn go_error_code(msg: &str) -> &str {
    const TABLE: &[(&str, &str)] = &[
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
        ("duplicate capture group name", "duplicate capture group name"),
        ("capture group name", "invalid named capture"),
        ("capture group character", "invalid named capture"),
        ("escape sequence found in character class", "invalid escape sequence"),
        ("hexadecimal", "invalid escape sequence"),
        ("unrecognized flag", "invalid or unsupported Perl syntax"),
        ("look-around", "invalid or unsupported Perl syntax"),
        ("Unicode property", "invalid character class range"),
        ("invalid Unicode character class", "invalid character class range"),
        ("nested parentheses", "expression nests too deeply"),
        ("size limit", "expression too large"),
    ];
    TABLE.iter().find(|(rust, _)| msg.contains(rust)).map_or(msg, |(_, go)| go)
}
