//! Label matchers (`=`, `!=`, `=~`, `!~`) with Alertmanager 0.25's parser.
//!
//! The same syntax serves a route's `matchers:` list, inhibit rules' `source_matchers` /
//! `target_matchers`, amtool's and the API's `{a="b", c=~"d"}` filters and silences. Regexes are
//! fully anchored (`^(?:re)$`), and a matcher on a label the alert does not have sees `""`.

use std::cmp::Ordering;
use std::fmt;

use pharos_protocol::model::Labels;
use regex::Regex;

/// A matcher that cannot be parsed or whose regex does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatcherError {
    /// The text is not `name op value`.
    #[error("bad matcher format: {0}")]
    BadFormat(String),
    /// The value holds a `"` that is neither escaped nor the closing quote.
    #[error("matcher value contains unescaped double quote: {0}")]
    UnescapedQuote(String),
    /// The regex of a `=~` / `!~` matcher does not compile. Displayed as Alertmanager's silence
    /// validation words it (`invalid regular expression "(": error parsing regexp: ...`).
    #[error("invalid regular expression {value:?}: {reason}")]
    BadRegex {
        /// The regex as written.
        value: String,
        /// Go's message for the regex alone, what the silence validation compiles.
        reason: String,
        /// Go's message for the anchored `^(?:regex)$`, what Alertmanager's matcher parser
        /// returns as is (API filters, `matchers:` in the configuration).
        anchored_reason: String,
    },
}

impl MatcherError {
    /// The message Alertmanager's matcher parser gives (`labels.ParseMatcher`): Go's bare
    /// message for a bad regex, the same as [`Display`](std::fmt::Display) otherwise.
    pub fn parser_message(&self) -> String {
        match self {
            MatcherError::BadRegex { anchored_reason, .. } => anchored_reason.clone(),
            e => e.to_string(),
        }
    }
}

/// The four matching operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchType {
    /// `=`: the value equals.
    Equal,
    /// `!=`: the value differs.
    NotEqual,
    /// `=~`: the value matches the anchored regex.
    Regexp,
    /// `!~`: the value does not match the anchored regex.
    NotRegexp,
}

impl MatchType {
    /// The operator as written: `=`, `!=`, `=~` or `!~`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Equal => "=",
            MatchType::NotEqual => "!=",
            MatchType::Regexp => "=~",
            MatchType::NotRegexp => "!~",
        }
    }

    /// Whether the operator takes a regex.
    pub fn is_regex(self) -> bool {
        matches!(self, MatchType::Regexp | MatchType::NotRegexp)
    }

    /// Whether the operator is positive (`=` or `=~`), the API's `isEqual`.
    pub fn is_equal(self) -> bool {
        matches!(self, MatchType::Equal | MatchType::Regexp)
    }

    /// The operator from the API's `isRegex` / `isEqual` pair.
    pub fn from_flags(is_regex: bool, is_equal: bool) -> Self {
        match (is_regex, is_equal) {
            (false, true) => MatchType::Equal,
            (false, false) => MatchType::NotEqual,
            (true, true) => MatchType::Regexp,
            (true, false) => MatchType::NotRegexp,
        }
    }
}

impl fmt::Display for MatchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One label matcher. For regex matchers the compiled, anchored regex is kept alongside.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// The operator.
    pub match_type: MatchType,
    /// The label name.
    pub name: String,
    /// The value or regex as written (unescaped).
    pub value: String,
    re: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.match_type == other.match_type && self.name == other.name && self.value == other.value
    }
}

impl Eq for Matcher {}

impl Matcher {
    /// Builds a matcher; compiles `^(?:value)$` for the regex operators.
    pub fn new(match_type: MatchType, name: impl Into<String>, value: impl Into<String>) -> Result<Self, MatcherError> {
        let value = value.into();
        let re = if match_type.is_regex() { Some(compile_anchored(&value)?) } else { None };
        Ok(Matcher { match_type, name: name.into(), value, re })
    }

    /// Whether a label value (`""` for a missing label) satisfies this matcher.
    pub fn matches(&self, value: &str) -> bool {
        match (self.match_type, &self.re) {
            (MatchType::Equal, _) => value == self.value,
            (MatchType::NotEqual, _) => value != self.value,
            (MatchType::Regexp, Some(re)) => re.is_match(value),
            (MatchType::NotRegexp, Some(re)) => !re.is_match(value),
            // `new` always compiles the regex of regex matchers; unreachable in practice.
            (MatchType::Regexp | MatchType::NotRegexp, None) => false,
        }
    }

    /// Whether the label set satisfies this matcher (a missing label counts as `""`).
    pub fn matches_labels(&self, labels: &Labels) -> bool {
        self.matches(labels.get(&self.name).unwrap_or(""))
    }

    /// Alertmanager's sort order for matcher lists: by name, then value, then operator.
    pub fn sort_cmp(&self, other: &Self) -> Ordering {
        self.name
            .cmp(&other.name)
            .then_with(|| self.value.cmp(&other.value))
            .then_with(|| self.match_type.cmp(&other.match_type))
    }
}

impl fmt::Display for Matcher {
    /// `name op "value"` with `\`, newline and `"` escaped, as Alertmanager prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}\"{}\"", self.name, self.match_type, escape_value(&self.value))
    }
}

/// Compiles a regex anchored at both ends with Go's semantics, as Alertmanager does.
pub(crate) fn compile_anchored(re: &str) -> Result<Regex, MatcherError> {
    pharos_goregex::compile_anchored(re).map_err(|anchored| MatcherError::BadRegex {
        value: re.to_string(),
        // The pattern alone usually fails too; if only the anchored form does (`\Qa` eats the
        // closing parenthesis), its message is the one there is.
        reason: pharos_goregex::compile(re).err().unwrap_or_else(|| anchored.clone()).to_string(),
        anchored_reason: anchored.to_string(),
    })
}

fn escape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

/// An ANDed list of matchers, kept in Alertmanager's order once [`Matchers::sort`] is called.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matchers(pub Vec<Matcher>);

impl Matchers {
    /// Whether every matcher accepts the label set (true for an empty list).
    pub fn matches(&self, labels: &Labels) -> bool {
        self.0.iter().all(|m| m.matches_labels(labels))
    }

    /// Sorts by name, value, operator (Alertmanager sorts route and config matchers so that
    /// route keys do not depend on the order they were written in).
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.sort_cmp(b));
    }

    /// Number of matchers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The matchers in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Matcher> {
        self.0.iter()
    }
}

impl fmt::Display for Matchers {
    /// `{a="b",c=~"d"}`: no space after commas, as Alertmanager's route keys are written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{m}")?;
        }
        f.write_str("}")
    }
}

/// Parses a comma-separated matcher list, optionally wrapped in `{}`: `{a="b", c=~"d"}`,
/// `a=b,c!=d`. Commas inside double quotes do not split. An empty input yields no matchers.
pub fn parse_matchers(s: &str) -> Result<Vec<Matcher>, MatcherError> {
    let s = s.strip_prefix('{').unwrap_or(s);
    let s = s.strip_suffix('}').unwrap_or(s);
    let mut tokens: Vec<String> = Vec::new();
    let mut token = String::new();
    let mut inside_quotes = false;
    let mut escaped = false;
    // The escape state machine mirrors upstream's exactly, including that a comma does not reset
    // `escaped`, so that odd inputs split the same way as in Alertmanager.
    for c in s.chars() {
        match c {
            ',' if !inside_quotes => {
                tokens.push(std::mem::take(&mut token));
                continue;
            }
            ',' => {}
            '"' => {
                if escaped {
                    escaped = false;
                } else {
                    inside_quotes = !inside_quotes;
                }
            }
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
        token.push(c);
    }
    let last = token.trim_matches(is_go_space);
    if !last.is_empty() {
        tokens.push(last.to_string());
    }
    tokens.iter().map(|t| parse_matcher(t)).collect()
}

/// Go's regexp `\s`: ASCII tab, newline, form feed, carriage return and space.
fn is_go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// Parses one matcher `name op value`; the value may be double-quoted, with `\"`, `\\` and
/// `\n` escapes (any other backslash stays literal).
pub fn parse_matcher(s: &str) -> Result<Matcher, MatcherError> {
    let bad = || MatcherError::BadFormat(s.to_string());
    let rest = s.trim_start_matches(is_go_space);
    let name_len = match rest.chars().next() {
        Some(c) if is_name_start(c) => rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len()),
        _ => return Err(bad()),
    };
    let (name, rest) = rest.split_at(name_len);
    let rest = rest.trim_start_matches(is_go_space);
    // `=~` must be tried before `=`, or the `~` would become part of the value.
    let (match_type, rest) = if let Some(r) = rest.strip_prefix("=~") {
        (MatchType::Regexp, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (MatchType::Equal, r)
    } else if let Some(r) = rest.strip_prefix("!=") {
        (MatchType::NotEqual, r)
    } else if let Some(r) = rest.strip_prefix("!~") {
        (MatchType::NotRegexp, r)
    } else {
        return Err(bad());
    };
    let raw = rest.trim_matches(is_go_space);
    let value = unescape_value(raw)?;
    Matcher::new(match_type, name, value)
}

fn unescape_value(raw_full: &str) -> Result<String, MatcherError> {
    let quote_err = || MatcherError::UnescapedQuote(raw_full.to_string());
    let (raw, mut expect_trailing_quote) = match raw_full.strip_prefix('"') {
        Some(r) => (r, true),
        None => (raw_full, false),
    };
    let mut value = String::with_capacity(raw.len());
    let mut escaped = false;
    for (i, c) in raw.char_indices() {
        let is_last = i + c.len_utf8() == raw.len();
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                // A spurious escape keeps its backslash.
                _ => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '\\' if !is_last => escaped = true,
            '\\' => value.push('\\'),
            '"' => {
                if !expect_trailing_quote || !is_last {
                    return Err(quote_err());
                }
                expect_trailing_quote = false;
            }
            c => value.push(c),
        }
    }
    if expect_trailing_quote {
        return Err(quote_err());
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: MatchType, n: &str, v: &str) -> Matcher {
        Matcher::new(t, n, v).unwrap()
    }

    // Cases restated from upstream's pkg/labels/parse_test.go (v0.25.0).
    #[test]
    fn parse_matchers_upstream_cases() {
        use MatchType::*;
        let ok: Vec<(&str, Vec<Matcher>)> = vec![
            ("{foo=\"bar\"}", vec![m(Equal, "foo", "bar")]),
            ("{foo=~\"bar.*\"}", vec![m(Regexp, "foo", "bar.*")]),
            ("{foo!=\"bar\"}", vec![m(NotEqual, "foo", "bar")]),
            ("{foo!~\"bar.*\"}", vec![m(NotRegexp, "foo", "bar.*")]),
            ("{foo=\"bar\", baz!=\"quux\"}", vec![m(Equal, "foo", "bar"), m(NotEqual, "baz", "quux")]),
            ("{foo=\"bar\", baz!~\"quux.*\"}", vec![m(Equal, "foo", "bar"), m(NotRegexp, "baz", "quux.*")]),
            (
                "{foo=\"bar\",baz!~\".*quux\", derp=\"wat\"}",
                vec![m(Equal, "foo", "bar"), m(NotRegexp, "baz", ".*quux"), m(Equal, "derp", "wat")],
            ),
            (
                "{foo=\"bar\", baz!=\"quux\", derp=\"wat\"}",
                vec![m(Equal, "foo", "bar"), m(NotEqual, "baz", "quux"), m(Equal, "derp", "wat")],
            ),
            (
                "{foo=\"bar\", baz!~\".*quux.*\", derp=\"wat\"}",
                vec![m(Equal, "foo", "bar"), m(NotRegexp, "baz", ".*quux.*"), m(Equal, "derp", "wat")],
            ),
            (
                "{foo=\"bar\", instance=~\"some-api.*\"}",
                vec![m(Equal, "foo", "bar"), m(Regexp, "instance", "some-api.*")],
            ),
            ("{foo=\"\"}", vec![m(Equal, "foo", "")]),
            ("{foo=\"bar,quux\", job=\"job1\"}", vec![m(Equal, "foo", "bar,quux"), m(Equal, "job", "job1")]),
            ("{foo = \"bar\", dings != \"bums\", }", vec![m(Equal, "foo", "bar"), m(NotEqual, "dings", "bums")]),
            ("foo=bar,dings!=bums", vec![m(Equal, "foo", "bar"), m(NotEqual, "dings", "bums")]),
            (
                "{quote=\"She said: \\\"Hi, ladies! That's gender-neutral…\\\"\"}",
                vec![m(Equal, "quote", "She said: \"Hi, ladies! That's gender-neutral…\"")],
            ),
            ("statuscode=~\"5..\"", vec![m(Regexp, "statuscode", "5..")]),
            (r"tricky=~~~", vec![m(Regexp, "tricky", "~~")]),
            (r#"trickier==\\=\=\""#, vec![m(Equal, "trickier", r#"=\=\=""#)]),
            (
                r#"contains_quote != "\"" , contains_comma !~ "foo,bar" , "#,
                vec![m(NotEqual, "contains_quote", "\""), m(NotRegexp, "contains_comma", "foo,bar")],
            ),
            ("job=", vec![m(Equal, "job", "")]),
            // Not upstream cases: escapes and the empty list.
            ("trailing=\\", vec![m(Equal, "trailing", "\\")]),
            ("foo=bar\\n", vec![m(Equal, "foo", "bar\n")]),
            ("foo=\"bar\\\\\"", vec![m(Equal, "foo", "bar\\")]),
            ("foo=bar\\x", vec![m(Equal, "foo", "bar\\x")]),
            ("{}", vec![]),
            ("", vec![]),
        ];
        for (input, want) in ok {
            assert_eq!(parse_matchers(input).unwrap(), want, "{input}");
        }
        let errors = [
            (r#"job="value"#, r#"matcher value contains unescaped double quote: "value"#),
            (r#"job=value""#, r#"matcher value contains unescaped double quote: value""#),
            (r#"trickier==\\=\=\"""#, r#"matcher value contains unescaped double quote: =\\=\=\"""#),
            (r#"contains_unescaped_quote = foo"bar"#, r#"matcher value contains unescaped double quote: foo"bar"#),
            (r#"{invalid-name = "valid label"}"#, r#"bad matcher format: invalid-name = "valid label""#),
            (r#""{foo=\"bar"}"#, r#"bad matcher format: "{foo=\"bar""#),
            (r#""foo=\"bar""#, r#"bad matcher format: "foo=\"bar""#),
            (r#""foo=\"bar\"""#, r#"bad matcher format: "foo=\"bar\"""#),
            (r#""foo=\"bar\""#, r#"bad matcher format: "foo=\"bar\""#),
            (r#""{foo=\"bar\"}""#, r#"bad matcher format: "{foo=\"bar\"}""#),
            (r#""foo="bar"""#, r#"bad matcher format: "foo="bar"""#),
        ];
        for (input, want) in errors {
            assert_eq!(parse_matchers(input).unwrap_err().to_string(), want, "{input}");
        }
        assert!(matches!(parse_matchers("{foo=~\"invalid[regexp\"}"), Err(MatcherError::BadRegex { .. })));
        for bad in ["{foo}", "{=\"x\"}", "1foo=bar", "{a=\"b\",,c=\"d\"}"] {
            assert!(parse_matchers(bad).is_err(), "{bad} should fail");
        }
    }

    // Expectations from Go 1.19's regexp, which Alertmanager compiles matchers with.
    #[test]
    fn regexes_have_go_semantics() {
        let digits = parse_matcher(r#"a=~"\d+""#).unwrap();
        assert!(digits.matches("12"));
        // Go's `\d` is ASCII: ARABIC-INDIC DIGIT THREE is not a digit there.
        assert!(!digits.matches("\u{663}"));
        // `{` that starts no repetition is literal in Go (the crate rejects it).
        assert!(parse_matcher(r#"a=~"x{""#).unwrap().matches("x{"));
        // Go rejects `a**`, which the crate would take.
        let e = parse_matcher(r#"a=~"a**""#).unwrap_err();
        assert_eq!(e.parser_message(), "error parsing regexp: invalid nested repetition operator: `**`");
        // The parser returns Go's message on the anchored text; silence validation compiles the
        // regex alone and prefixes it.
        let e = parse_matcher(r#"a=~"(""#).unwrap_err();
        assert_eq!(e.parser_message(), "error parsing regexp: missing closing ): `^(?:()$`");
        assert_eq!(e.to_string(), "invalid regular expression \"(\": error parsing regexp: missing closing ): `(`");
        assert_eq!(
            MatcherError::BadFormat("x".into()).parser_message(),
            MatcherError::BadFormat("x".into()).to_string()
        );
    }

    #[test]
    fn matching_and_display() {
        let labels = Labels::from_pairs([("a", "x"), ("b", "y1")]);
        assert!(parse_matcher("missing!=\"bar\"").unwrap().matches_labels(&labels));
        assert!(parse_matcher("missing=\"\"").unwrap().matches_labels(&labels));
        assert!(parse_matcher("missing=~\".*\"").unwrap().matches_labels(&labels));
        // Regexes are anchored: `y` alone does not match `y1`.
        assert!(!parse_matcher("b=~\"y\"").unwrap().matches_labels(&labels));
        assert!(parse_matcher("b=~\"y.\"").unwrap().matches_labels(&labels));
        assert!(parse_matcher("b!~\"y\"").unwrap().matches_labels(&labels));
        // Alternation stays inside the anchors.
        assert!(!parse_matcher("b=~\"z|y\"").unwrap().matches_labels(&labels));
        let m = Matcher::new(MatchType::Equal, "q", "a\"b\\c\nd").unwrap();
        assert_eq!(m.to_string(), "q=\"a\\\"b\\\\c\\nd\"");
        assert_eq!(parse_matcher(&m.to_string()).unwrap(), m);
        let mut ms = Matchers(parse_matchers("{z=\"1\", a=~\"2\", a=\"2\", a=\"1\"}").unwrap());
        ms.sort();
        assert_eq!(ms.to_string(), "{a=\"1\",a=\"2\",a=~\"2\",z=\"1\"}");
    }
}
