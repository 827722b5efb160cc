//! Label matchers: `=`, `!=`, `=~`, `!~`, with Prometheus' semantics (regexes are fully anchored;
//! a missing label has the empty value).

use pharos_protocol::Labels;
use regex::Regex;

/// The four matcher kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchOp {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `=~`
    Regex,
    /// `!~`
    NotRegex,
}

/// A matcher with an invalid regex.
#[derive(Debug, thiserror::Error)]
#[error("invalid regex {pattern:?} in matcher: {reason}")]
pub struct MatcherError {
    /// The pattern as given.
    pub pattern: String,
    /// Why it failed to compile.
    pub reason: String,
}

/// One label matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Label name.
    pub name: String,
    /// Kind of match.
    pub op: MatchOp,
    /// Value or regex source, as written.
    pub value: String,
    /// Compiled, anchored regex for `=~` and `!~`.
    re: Option<Regex>,
}

impl Matcher {
    /// Builds a matcher; regexes are anchored at both ends as in Prometheus.
    pub fn new(name: impl Into<String>, op: MatchOp, value: impl Into<String>) -> Result<Self, MatcherError> {
        let value = value.into();
        let re = match op {
            // Go's regexp semantics (ASCII `\d`, literal `{`, ...), and (?s) so `.` matches
            // newlines, like Prometheus' FastRegexMatcher. Prometheus 3 parses the pattern alone
            // before anchoring it, so its message quotes the pattern alone.
            MatchOp::Regex | MatchOp::NotRegex => {
                Some(pharos_goregex::compile_anchored_dotnl(&value).map_err(|e| {
                    let reason = pharos_goregex::compile(&value).err().unwrap_or(e);
                    MatcherError { pattern: value.clone(), reason: reason.to_string() }
                })?)
            }
            _ => None,
        };
        Ok(Matcher { name: name.into(), op, value, re })
    }

    /// Shorthand for an `=` matcher, which cannot fail.
    pub fn equal(name: impl Into<String>, value: impl Into<String>) -> Self {
        Matcher { name: name.into(), op: MatchOp::Equal, value: value.into(), re: None }
    }

    /// Whether a label value (empty when the label is absent) matches.
    pub fn matches_value(&self, v: &str) -> bool {
        match self.op {
            MatchOp::Equal => v == self.value,
            MatchOp::NotEqual => v != self.value,
            MatchOp::Regex => self.re.as_ref().is_some_and(|r| r.is_match(v)),
            MatchOp::NotRegex => !self.re.as_ref().is_some_and(|r| r.is_match(v)),
        }
    }

    /// Whether a series' labels match.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matches_value(labels.get(&self.name).unwrap_or(""))
    }

    /// Whether this matcher matches the empty string (so it also selects series without the label).
    pub fn matches_empty(&self) -> bool {
        self.matches_value("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_are_anchored_and_missing_labels_are_empty() {
        let m = Matcher::new("job", MatchOp::Regex, "a|b").unwrap();
        assert!(m.matches_value("a"));
        assert!(!m.matches_value("ab"));
        let l = Labels::from_pairs([("x", "1")]);
        assert!(Matcher::new("job", MatchOp::NotEqual, "a").unwrap().matches(&l));
        assert!(Matcher::equal("job", "").matches(&l));
        assert!(Matcher::new("job", MatchOp::Regex, "(").is_err());
    }

    // Expectations from Go 1.19's regexp, which Prometheus compiles matchers with.
    #[test]
    fn regexes_have_go_semantics() {
        let m = Matcher::new("a", MatchOp::Regex, r"\d+").unwrap();
        assert!(m.matches_value("12"));
        // ARABIC-INDIC DIGIT THREE is not `\d` in Go.
        assert!(!m.matches_value("\u{663}"));
        assert!(Matcher::new("a", MatchOp::NotRegex, r"\d+").unwrap().matches_value("\u{663}"));
        // A `{` that starts no repetition is literal; `.` matches a newline.
        assert!(Matcher::new("a", MatchOp::Regex, "x{").unwrap().matches_value("x{"));
        assert!(Matcher::new("a", MatchOp::Regex, "a.b").unwrap().matches_value("a\nb"));
        // Go rejects `a**` (the crate would take it), with its own message.
        let e = Matcher::new("a", MatchOp::Regex, "a**").unwrap_err();
        assert_eq!(e.reason, "error parsing regexp: invalid nested repetition operator: `**`");
        let e = Matcher::new("a", MatchOp::Regex, "(").unwrap_err();
        assert_eq!(e.reason, "error parsing regexp: missing closing ): `(`");
    }
}
