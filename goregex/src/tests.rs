//! Expectations from Go 1.19's `regexp`, run on the same patterns and texts.

use super::*;

fn m(p: &str, s: &str) -> bool {
    compile(p).unwrap().is_match(s)
}

fn err(p: &str) -> String {
    compile(p).unwrap_err().to_string()
}

#[test]
fn go_semantics() {
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
    assert!(err("(").starts_with("error parsing regexp: "));
    assert!(m(r"^\101\0$", "A\0"));
    assert!(m(r"^a*?b+?c??$", "aabc"));
    assert!(m(r"^[!--]+$", "!-,"));
    assert!(m(r"(?i:A)(?s).(?U)x+", "a\nxx"));
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

#[test]
fn escapes_the_crate_reads_otherwise() {
    // `\<` and `\>` are the characters in Go, word-boundary assertions in the crate.
    assert!(m(r"^\<a\>$", "<a>"));
    assert!(!m(r"\<a", "a"));
    assert!(m(r"^[\<\>]+$", "<>"));
    // A one-letter Unicode class is a whole item in a class: `-z` after it is literal.
    assert!(m(r"^[\pL-z]+$", "é-z"));
    assert!(!m(r"^[\pL-z]$", "0"));
    // Hex escapes in a class range.
    assert!(m(r"^[\x41-\x43]+$", "ABC"));
    assert!(!m(r"^[\x41-\x43]$", "D"));
    assert_eq!(err(r"[\x43-\x41]"), r"error parsing regexp: invalid character class range: `\x43-\x41`");
    // `\b{start}` is the crate's; in Go it is `\b` then a literal `{start}`.
    assert!(m(r"^a\b{start}$", "a{start}"));
    // Punctuation escapes outside a class are the characters.
    assert!(m(r"^\_\ \#\%$", "_ #%"));
}

#[test]
fn repeat_counts() {
    assert!(m("^a{2,3}$", "aaa"));
    assert!(!m("^a{2,3}$", "aaaa"));
    assert!(m("^a{1000}$", &"a".repeat(1000)));
    assert_eq!(err("a{2,1}"), "error parsing regexp: invalid repeat count: `{2,1}`");
    assert_eq!(err("a{1,1001}"), "error parsing regexp: invalid repeat count: `{1,1001}`");
    assert_eq!(err("a{99999999999}"), "error parsing regexp: invalid repeat count: `{99999999999}`");
    assert_eq!(err("a{2}{3}"), "error parsing regexp: invalid nested repetition operator: `{2}{3}`");
    assert_eq!(err("a{2}*"), "error parsing regexp: invalid nested repetition operator: `{2}*`");
    // Not a repetition: literal braces.
    assert!(m("^x{$", "x{") && m("^{a}$", "{a}") && m("^a{1,2$", "a{1,2"));
}

#[test]
fn anchored_forms() {
    let re = compile_anchored("a|b").unwrap();
    assert!(re.is_match("a") && re.is_match("b") && !re.is_match("ab"));
    assert!(!compile_anchored("a.").unwrap().is_match("a\n"));
    assert!(compile_anchored_dotnl("a.").unwrap().is_match("a\n"));
    assert!(!compile_anchored_dotnl(r"\d+").unwrap().is_match("٣"));
    // Go quotes the anchored text for unbalanced parentheses, as upstream's messages show.
    assert_eq!(compile_anchored("(").unwrap_err().to_string(), "error parsing regexp: missing closing ): `^(?:()$`");
    assert_eq!(
        compile_anchored_dotnl("x)").unwrap_err().to_string(),
        "error parsing regexp: unexpected ): `^(?s:x))$`"
    );
    // `\Q` without `\E` runs to the end of the anchored text, as in Go.
    assert_eq!(compile_anchored(r"\Qa").unwrap_err().code(), "missing closing )");
}

#[test]
fn error_accessors_and_crate_errors() {
    let e = compile("(a").unwrap_err();
    assert_eq!((e.code(), e.expr()), ("missing closing )", "(a"));
    assert_eq!(e.to_string(), "error parsing regexp: missing closing ): `(a`");
    assert_eq!(err("a)"), "error parsing regexp: unexpected ): `a)`");
    assert_eq!(err("[a"), "error parsing regexp: missing closing ]: `[a`");
    assert_eq!(err("*"), "error parsing regexp: missing argument to repetition operator: `*`");
    assert_eq!(err(r"a\"), r"error parsing regexp: trailing backslash at end of expression: ``");
    assert_eq!(err(r"\é"), r"error parsing regexp: invalid escape sequence: `\é`");
}

#[test]
fn translation_and_bytes() {
    assert_eq!(translate(r"\d\w\s").unwrap(), r"[0-9][0-9A-Za-z_][\t\n\f\r ]");
    assert_eq!(translate("x{").unwrap(), r"x\{");
    assert!(translate("a**").is_err());
    let re = compile_bytes(r"\d+\s").unwrap();
    assert!(re.is_match(b"\xff12 "));
    assert!(!re.is_match("٣ ".as_bytes()));
    assert_eq!(compile_bytes("(").unwrap_err().code(), "missing closing )");
}
