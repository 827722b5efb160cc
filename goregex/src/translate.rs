//! The translation of Go's regexp syntax into the `regex` crate's.
//!
//! Both are RE2-like; the pattern is rewritten so that it means what it means in Go: `\d \w \s
//! \b` and their negations are ASCII-only (the crate's are Unicode), `{` that does not start a
//! valid repetition (`x{`, `a{,2}`, `a{01}`) and `[` inside a class are literal, `\Q...\E` and
//! octal escapes work, `\<` and `\>` are the characters (the crate's word-boundary assertions),
//! `-`, `&&`, `~~` inside classes are not the crate's set operations, `\p{Greek}` is the script
//! (the crate's bare name means the script extension), a repetition after a flag group `a(?i)*`
//! repeats `a`, and repeated flags or capture names are accepted as Go accepts them. What Go's
//! parser rejects is rejected with Go's message, in Go's order (`a**`, `a{1001}`, `\cA`, `\1`,
//! `(?x)`, `(?<name>)` which Go 1.19 lacks, `[.-\w]`, `\p{Alphabetic}`, `(*)`, `a)`).

use crate::names::{CATEGORIES, POSIX, SCRIPTS};
use crate::GoRegexError;

// Go's error codes (`regexp/syntax.ErrorCode`) the translator reports itself.
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_RANGE: &str = "invalid character class range";
const INVALID_REPEAT_COUNT: &str = "invalid repeat count";
const INVALID_NESTED_REPEAT: &str = "invalid nested repetition operator";
const INVALID_PERL: &str = "invalid or unsupported Perl syntax";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const MISSING_REPEAT_ARGUMENT: &str = "missing argument to repetition operator";
const MISSING_PAREN: &str = "missing closing )";
const MISSING_BRACKET: &str = "missing closing ]";
const UNEXPECTED_PAREN: &str = "unexpected )";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";

/// Go's maximum repeat count (`a{1001}` is an error).
const MAX_REPEAT: u32 = 1000;

fn err(code: &str, expr: String) -> GoRegexError {
    GoRegexError { code: code.to_string(), expr }
}

/// The pattern as characters, with Go's error text for a range of them.
struct Pattern {
    chars: Vec<char>,
}

impl Pattern {
    fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn text(&self, a: usize, b: usize) -> String {
        let b = b.min(self.chars.len());
        self.chars[a.min(b)..b].iter().collect()
    }

    fn find(&self, from: usize, c: char) -> Option<usize> {
        self.chars.get(from..)?.iter().position(|&x| x == c).map(|k| from + k)
    }

    /// Go's `parseInt` at `i`: a decimal number without leading zeros (`None` when there is
    /// none; then the brace is literal), its value (`None` when above the repeat maximum), and
    /// the index after it.
    fn repeat_int(&self, i: usize) -> Option<(Option<u32>, usize)> {
        let mut j = i;
        while self.get(j).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
        }
        if j == i || (j - i > 1 && self.chars[i] == '0') {
            return None;
        }
        let value = self.text(i, j).parse::<u32>().ok().filter(|n| *n <= MAX_REPEAT);
        Some((value, j))
    }

    /// Go's `parseRepeat` at a `{`: `{n}`, `{n,}` or `{n,m}` as (min, max, index of `}`), or
    /// `None` for a literal brace. Bounds above the maximum are `None` inside.
    fn repeat(&self, i: usize) -> Option<(Option<u32>, Option<Option<u32>>, usize)> {
        let (min, j) = self.repeat_int(i + 1)?;
        match self.get(j)? {
            '}' => Some((min, Some(min), j)),
            ',' if self.get(j + 1) == Some('}') => Some((min, None, j + 1)),
            ',' => {
                let (max, k) = self.repeat_int(j + 1)?;
                (self.get(k) == Some('}')).then_some((min, Some(max), k))
            }
            _ => None,
        }
    }

    /// `\p` or `\P` at `i` (Go's `parseUnicodeClass`): the crate's text and the index after it.
    fn unicode_class(&self, i: usize) -> Result<(String, usize), GoRegexError> {
        let mut positive = self.chars[i + 1] == 'p';
        let (mut name, seq_end) = if self.get(i + 2) == Some('{') {
            let Some(close) = self.find(i + 3, '}') else {
                return Err(err(INVALID_RANGE, self.text(i, self.chars.len())));
            };
            (self.text(i + 3, close), close + 1)
        } else {
            (self.text(i + 2, i + 3), (i + 3).min(self.chars.len()))
        };
        if let Some(rest) = name.strip_prefix('^') {
            positive = !positive;
            name = rest.to_string();
        }
        let p = if positive { 'p' } else { 'P' };
        // Explicit property kinds: the crate's bare names are looser (any case, script
        // extensions for scripts).
        let text = if name == "Any" {
            format!("\\{p}{{Any}}")
        } else if CATEGORIES.contains(&name.as_str()) {
            format!("\\{p}{{gc={name}}}")
        } else if SCRIPTS.binary_search(&name.as_str()).is_ok() {
            format!("\\{p}{{sc={name}}}")
        } else {
            return Err(err(INVALID_RANGE, self.text(i, seq_end)));
        };
        Ok((text, seq_end))
    }

    /// One character of a class, or the character of an escape outside one, at `i` (Go's
    /// `parseClassChar` / `parseEscape`): its code point, its text for the crate, and the index
    /// after it.
    fn class_char(&self, i: usize) -> Result<(u32, String, usize), GoRegexError> {
        let c = self.chars[i];
        if c != '\\' {
            return Ok((c as u32, class_literal(c), i + 1));
        }
        let Some(n) = self.get(i + 1) else {
            return Err(err(TRAILING_BACKSLASH, String::new()));
        };
        let simple = |v: char| Ok((v as u32, class_literal(v), i + 2));
        match n {
            'a' => simple('\u{7}'),
            'f' => simple('\u{c}'),
            't' => simple('\t'),
            'n' => simple('\n'),
            'r' => simple('\r'),
            'v' => simple('\u{b}'),
            '0'..='7' => {
                // \0 alone is NUL; \1-\7 must be followed by another octal digit (a lone one
                // would be a backreference, which Go does not have).
                if n != '0' && !self.get(i + 2).is_some_and(is_octal) {
                    return Err(err(INVALID_ESCAPE, self.text(i, i + 2)));
                }
                let mut j = i + 2;
                while j < i + 4 && self.get(j).is_some_and(is_octal) {
                    j += 1;
                }
                // At most three octal digits: always a valid number.
                let v = u32::from_str_radix(&self.text(i + 1, j), 8).unwrap_or(0);
                Ok((v, format!("\\x{{{v:x}}}"), j))
            }
            'x' if self.get(i + 2) == Some('{') => {
                // Any number of hex digits in braces, at least one; Go quotes up to the first
                // character it could not take.
                let mut v: u32 = 0;
                let mut j = i + 3;
                loop {
                    let Some(c) = self.get(j) else {
                        return Err(err(INVALID_ESCAPE, self.text(i, j)));
                    };
                    if c == '}' && j > i + 3 {
                        break;
                    }
                    match c.to_digit(16) {
                        Some(d) => v = v * 16 + d,
                        _ => return Err(err(INVALID_ESCAPE, self.text(i, j + 1))),
                    }
                    if v > 0x10FFFF {
                        return Err(err(INVALID_ESCAPE, self.text(i, j + 1)));
                    }
                    j += 1;
                }
                match char::from_u32(v) {
                    Some(_) => Ok((v, format!("\\x{{{v:x}}}"), j + 1)),
                    None => Err(err(INVALID_ESCAPE, self.text(i, j + 1))),
                }
            }
            'x' => {
                // Exactly two hex digits.
                let end = (i + 4).min(self.chars.len());
                match u32::from_str_radix(&self.text(i + 2, end), 16) {
                    Ok(v) if end == i + 4 && self.text(i + 2, end).chars().all(|c| c.is_ascii_hexdigit()) => {
                        Ok((v, format!("\\x{{{v:x}}}"), end))
                    }
                    _ => Err(err(INVALID_ESCAPE, self.text(i, end))),
                }
            }
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => simple(c),
            _ => Err(err(INVALID_ESCAPE, self.text(i, i + 2))),
        }
    }
}

fn is_octal(c: char) -> bool {
    ('0'..='7').contains(&c)
}

/// A literal character as the crate must see it, inside a class or out.
fn class_literal(c: char) -> String {
    // `\<` and `\>` are assertions in the crate, and `<`, `>` need no escape anyway.
    if c.is_ascii_punctuation() && !matches!(c, '<' | '>') {
        format!("\\{c}")
    } else if c.is_control() {
        format!("\\x{{{:x}}}", c as u32)
    } else {
        c.to_string()
    }
}

/// The crate's text for a Perl class (`\d \D \w \W \s \S`) with Go's ASCII meaning, inside or
/// outside a bracketed class.
fn perl_class(n: char, in_class: bool) -> Option<&'static str> {
    Some(match (n, in_class) {
        ('d', true) => "0-9",
        ('d', false) => "[0-9]",
        ('w', true) => "0-9A-Za-z_",
        ('w', false) => "[0-9A-Za-z_]",
        ('s', true) => "\\t\\n\\f\\r ",
        ('s', false) => "[\\t\\n\\f\\r ]",
        // Negations nest as a class inside a class, which the crate unites.
        ('D', _) => "[^0-9]",
        ('W', _) => "[^0-9A-Za-z_]",
        ('S', _) => "[^\\t\\n\\f\\r ]",
        _ => return None,
    })
}

/// The translation state outside classes.
struct Translator {
    p: Pattern,
    out: String,
    /// Open groups.
    depth: usize,
    /// Whether the current concatenation has an item a repetition can apply to.
    has_operand: bool,
    /// Where in `out` a run of flag groups `(?i)` right after an item began: a repetition that
    /// follows them applies to that item in Go, so it is inserted there.
    flags_at: Option<usize>,
    /// Capture names seen (Go allows a name twice; the crate does not).
    names: Vec<String>,
}

impl Translator {
    /// An item a repetition can apply to was written.
    fn operand(&mut self) {
        self.has_operand = true;
        self.flags_at = None;
    }

    /// A group or alternative starts: nothing to repeat yet.
    fn open(&mut self) {
        self.has_operand = false;
        self.flags_at = None;
    }

    /// A bracketed class starting at `i`; returns the index after it.
    fn class(&mut self, start: usize) -> Result<usize, GoRegexError> {
        let p = &self.p;
        let out = &mut self.out;
        out.push('[');
        let mut i = start + 1;
        if p.get(i) == Some('^') {
            out.push('^');
            i += 1;
        }
        // A ']' right after the opening is literal.
        let first = i;
        loop {
            let Some(c) = p.get(i) else {
                return Err(err(MISSING_BRACKET, p.text(start, p.chars.len())));
            };
            if c == ']' && i > first {
                out.push(']');
                return Ok(i + 1);
            }
            // POSIX classes, \p{..} and Perl classes are whole items (no range from them).
            if c == '[' && p.get(i + 1) == Some(':') {
                if let Some(end) =
                    (i + 2..p.chars.len().saturating_sub(1)).find(|&j| p.chars[j] == ':' && p.chars[j + 1] == ']')
                {
                    let name = p.text(i + 2, end);
                    if !POSIX.contains(&name.strip_prefix('^').unwrap_or(&name)) {
                        return Err(err(INVALID_RANGE, p.text(i, end + 2)));
                    }
                    out.push_str(&format!("[:{name}:]"));
                    i = end + 2;
                    continue;
                }
            }
            if c == '\\' {
                match p.get(i + 1) {
                    Some('p' | 'P') => {
                        let (text, end) = p.unicode_class(i)?;
                        out.push_str(&text);
                        i = end;
                        continue;
                    }
                    Some(n) => {
                        if let Some(class) = perl_class(n, true) {
                            out.push_str(class);
                            i += 2;
                            continue;
                        }
                    }
                    None => {}
                }
            }
            // A single character, or a range of two.
            let (lo, lo_text, next) = p.class_char(i)?;
            if p.get(next) == Some('-') && p.get(next + 1).is_some_and(|c| c != ']') {
                let (hi, hi_text, after) = p.class_char(next + 1)?;
                if hi < lo {
                    return Err(err(INVALID_RANGE, p.text(i, after)));
                }
                out.push_str(&lo_text);
                out.push('-');
                out.push_str(&hi_text);
                i = after;
            } else {
                out.push_str(&lo_text);
                i = next;
            }
        }
    }

    /// A group opening `(?` at `i` (Go's `parsePerlFlags`); returns the index after it.
    fn perl_group(&mut self, i: usize) -> Result<usize, GoRegexError> {
        let p = &self.p;
        if p.get(i + 2) == Some('P') && p.chars.len() > i + 4 && p.get(i + 3) == Some('<') {
            let Some(close) = p.find(i + 4, '>') else {
                return Err(err(INVALID_NAMED_CAPTURE, p.text(i, p.chars.len())));
            };
            let name = p.text(i + 4, close);
            if name.is_empty() || !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) {
                return Err(err(INVALID_NAMED_CAPTURE, p.text(i, close + 1)));
            }
            // A name the crate rejects (leading digit) or has seen: an unnamed group keeps the
            // numbering, and Go's `${name}` finds the first group of a name anyway.
            if name.starts_with(|c: char| c.is_ascii_digit()) || self.names.contains(&name) {
                self.out.push('(');
            } else {
                self.out.push_str(&format!("(?P<{name}>"));
                self.names.push(name);
            }
            self.depth += 1;
            self.open();
            return Ok(close + 1);
        }
        // Flags i m s U, optionally negated after one `-`, then `)` or `:`.
        let (mut on, mut off) = (String::new(), String::new());
        let mut negated = false;
        let mut saw_flag = false;
        let mut j = i + 2;
        while let Some(c) = p.get(j) {
            match c {
                'i' | 'm' | 's' | 'U' => {
                    saw_flag = true;
                    if negated {
                        on.retain(|f| f != c);
                        if !off.contains(c) {
                            off.push(c);
                        }
                    } else if !on.contains(c) {
                        on.push(c);
                    }
                }
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' if !negated || saw_flag => {
                    let flags = if off.is_empty() { on } else { format!("{on}-{off}") };
                    if c == ':' {
                        self.out.push_str(&format!("(?{flags}:"));
                        self.depth += 1;
                        self.open();
                    } else if !flags.is_empty() {
                        if self.has_operand && self.flags_at.is_none() {
                            self.flags_at = Some(self.out.len());
                        }
                        self.out.push_str(&format!("(?{flags})"));
                    }
                    return Ok(j + 1);
                }
                _ => break,
            }
            j += 1;
        }
        Err(err(INVALID_PERL, p.text(i, j + 1)))
    }

    /// A repetition operator `op` (with its lazy `?`) spanning `start..end`; `was_repeat` is
    /// where the previous item's repetition started if the previous item was one.
    fn repetition(&mut self, start: usize, end: usize, was_repeat: Option<usize>) -> Result<(), GoRegexError> {
        if let Some(prev) = was_repeat {
            return Err(err(INVALID_NESTED_REPEAT, self.p.text(prev, end)));
        }
        if !self.has_operand {
            return Err(err(MISSING_REPEAT_ARGUMENT, self.p.text(start, end)));
        }
        let op = self.p.text(start, end);
        match self.flags_at {
            Some(at) => {
                self.out.insert_str(at, &op);
                self.flags_at = Some(at + op.len());
            }
            None => self.out.push_str(&op),
        }
        Ok(())
    }

    /// An escape outside a class at `i` (a character follows the backslash); returns the index
    /// after it.
    fn escape(&mut self, i: usize) -> Result<usize, GoRegexError> {
        let n = self.p.chars[i + 1];
        if let Some(class) = perl_class(n, false) {
            self.out.push_str(class);
            return Ok(i + 2);
        }
        match n {
            // ASCII word boundaries, as Go's.
            'b' => self.out.push_str("(?-u:\\b)"),
            'B' => self.out.push_str("(?-u:\\B)"),
            'A' | 'z' => {
                self.out.push('\\');
                self.out.push(n);
            }
            'Q' => {
                // Literal text up to \E or the end.
                let from = i + 2;
                let mut end = from;
                while end < self.p.chars.len() && !(self.p.chars[end] == '\\' && self.p.get(end + 1) == Some('E')) {
                    end += 1;
                }
                self.out.push_str(&regex::escape(&self.p.text(from, end)));
                return Ok((end + 2).min(self.p.chars.len()));
            }
            'p' | 'P' => {
                let (text, end) = self.p.unicode_class(i)?;
                self.out.push_str(&text);
                return Ok(end);
            }
            _ => {
                let (_, text, end) = self.p.class_char(i)?;
                self.out.push_str(&text);
                return Ok(end);
            }
        }
        Ok(i + 2)
    }

    fn run(mut self) -> Result<String, GoRegexError> {
        let mut i = 0;
        // Where the last item started if it was a repetition (Go rejects `a**`).
        let mut after_repeat: Option<usize> = None;
        while let Some(c) = self.p.get(i) {
            let was_repeat = after_repeat.take();
            match c {
                '[' => {
                    i = self.class(i)?;
                    self.operand();
                }
                '(' if self.p.get(i + 1) == Some('?') => i = self.perl_group(i)?,
                '(' => {
                    self.out.push('(');
                    self.depth += 1;
                    self.open();
                    i += 1;
                }
                ')' => {
                    if self.depth == 0 {
                        return Err(err(UNEXPECTED_PAREN, self.p.text(0, self.p.chars.len())));
                    }
                    self.depth -= 1;
                    self.out.push(')');
                    self.operand();
                    i += 1;
                }
                '|' => {
                    self.out.push('|');
                    self.open();
                    i += 1;
                }
                '*' | '+' | '?' => {
                    let end = if self.p.get(i + 1) == Some('?') { i + 2 } else { i + 1 };
                    self.repetition(i, end, was_repeat)?;
                    after_repeat = Some(i);
                    i = end;
                }
                '{' => match self.p.repeat(i) {
                    Some((min, max, close)) => {
                        // Bounds at most 1000 and max not below min, checked before anything
                        // else about the repetition.
                        let bad = match (min, max) {
                            (None, _) | (_, Some(None)) => true,
                            (Some(lo), Some(Some(hi))) => hi < lo,
                            (Some(_), None) => false,
                        };
                        if bad {
                            return Err(err(INVALID_REPEAT_COUNT, self.p.text(i, close + 1)));
                        }
                        let end = if self.p.get(close + 1) == Some('?') { close + 2 } else { close + 1 };
                        self.repetition(i, end, was_repeat)?;
                        after_repeat = Some(i);
                        i = end;
                    }
                    None => {
                        self.out.push_str("\\{");
                        self.operand();
                        i += 1;
                    }
                },
                '\\' if i + 1 == self.p.chars.len() => return Err(err(TRAILING_BACKSLASH, String::new())),
                '\\' => {
                    i = self.escape(i)?;
                    self.operand();
                }
                '.' | '^' | '$' => {
                    self.out.push(c);
                    self.operand();
                    i += 1;
                }
                _ => {
                    self.out.push_str(&class_literal(c));
                    self.operand();
                    i += 1;
                }
            }
        }
        if self.depth > 0 {
            return Err(err(MISSING_PAREN, self.p.text(0, self.p.chars.len())));
        }
        Ok(self.out)
    }
}

/// Translates a Go regular expression into the `regex` crate's syntax, rejecting what Go's
/// parser rejects.
pub(crate) fn translate(pattern: &str) -> Result<String, GoRegexError> {
    let translator = Translator {
        p: Pattern { chars: pattern.chars().collect() },
        out: String::with_capacity(pattern.len() + 8),
        depth: 0,
        has_operand: false,
        flags_at: None,
        names: Vec::new(),
    };
    translator.run()
}
