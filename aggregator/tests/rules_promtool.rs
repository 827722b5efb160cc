//! Our rule-file checker against `promtool check rules` (Prometheus 2.42) on the files in
//! `tests/rules_data/` and the shipped example: same exit code, same rule count, same lint
//! verdict, and for semantic errors the same messages (without promtool's line:column prefixes,
//! which our checker does not have; PromQL parser messages differ in wording and are compared
//! only up to "could not parse expression").

use pharos_aggregator::rules::check::{check_rules, CheckOptions, Verdict};
use pharos_aggregator::rules::{ExpandContext, TemplateExpander};
use std::path::{Path, PathBuf};
use std::process::Command;

const PROMTOOL: &str = "/usr/bin/promtool";
/// The example rule file, in `shared/examples/` beside the checkout.
const FLEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/examples/rules/fleet.rules.yml");

/// TEST-ONLY template checker standing in for the Go template engine: reports an unclosed
/// action and unknown functions with Go's messages; it never expands anything.
struct TestOnlyTemplateChecker;

/// Go's builtins, keywords and Prometheus' template functions.
const KNOWN: &[&str] = &[
    "and",
    "or",
    "not",
    "len",
    "index",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "slice",
    "call",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "nil",
    "true",
    "false",
    "break",
    "continue",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "query",
    "first",
    "label",
    "value",
    "strvalue",
    "args",
    "reReplaceAll",
    "safeHtml",
    "match",
    "title",
    "toUpper",
    "toLower",
    "graphLink",
    "tableLink",
    "sortByLabel",
    "stripPort",
    "stripDomain",
    "externalURL",
    "parseDuration",
    "pathPrefix",
    "toTime",
];

impl TemplateExpander for TestOnlyTemplateChecker {
    fn expand(&self, _name: &str, text: &str, _ctx: &ExpandContext<'_>) -> Result<String, String> {
        Ok(text.to_string())
    }

    fn check(&self, name: &str, text: &str) -> Result<(), String> {
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                return Err(format!("template: {name}:1: unclosed action"));
            };
            let action = &rest[start + 2..start + len];
            for word in identifiers(action) {
                if !KNOWN.contains(&word.as_str()) {
                    return Err(format!("template: {name}:1: function {word:?} not defined"));
                }
            }
            rest = &rest[start + len + 2..];
        }
        Ok(())
    }
}

/// Bare identifiers of an action (not `$vars`, `.fields`, strings or numbers).
fn identifiers(action: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = action.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '`' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '$' || c == '.' || c.is_ascii_digit() {
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
    out
}

struct Promtool {
    exit_code: i32,
    stdout: String,
    stderr: String,
}

fn promtool(path: &Path) -> Promtool {
    let out = Command::new(PROMTOOL).args(["check", "rules"]).arg(path).output().unwrap_or_else(|e| {
        panic!("this test compares with promtool 2.42, expected at {PROMTOOL} (apt-get install prometheus): {e}")
    });
    Promtool {
        exit_code: out.status.code().expect("promtool killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Drops the `path: ` prefix and promtool's `line:col: ` positions.
fn normalize(line: &str, path: &str) -> String {
    let mut s = line.strip_prefix(path).and_then(|s| s.strip_prefix(": ")).unwrap_or(line);
    // Strip leading `line:col: ` positions (promtool prints one or two).
    while let Some((pos, rest)) = s.split_once(": ") {
        let mut parts = pos.split(':');
        let is_pos =
            pos.split(':').count() == 2 && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !is_pos {
            break;
        }
        s = rest;
    }
    // PromQL parser messages are worded differently: compare only that the expression failed.
    match s.find("could not parse expression") {
        Some(i) => s[..i + "could not parse expression".len()].to_string(),
        None => s.to_string(),
    }
}

fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules_data");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    assert!(v.len() >= 15, "expected the rule files of {}", dir.display());
    v.push(PathBuf::from(FLEET));
    v
}

#[test]
fn checker_agrees_with_promtool() {
    assert!(Path::new(PROMTOOL).exists(), "promtool 2.42 is required at {PROMTOOL} (apt-get install prometheus)");
    let mut compared_messages = 0;
    for path in files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let theirs = promtool(&path);
        let ours = check_rules(&[&path], &TestOnlyTemplateChecker, CheckOptions::default());
        assert_eq!(ours.exit_code, theirs.exit_code, "{name}: exit code\npromtool: {}{}", theirs.stdout, theirs.stderr);
        let shown = path.display().to_string();
        match &ours.files[0].verdict {
            Verdict::Success { rules } => {
                let want = format!("SUCCESS: {rules} rules found");
                assert!(theirs.stdout.contains(&want), "{name}: promtool said {}", theirs.stdout);
            }
            Verdict::Lint { message } => {
                assert!(theirs.stderr.contains("lint error"), "{name}: promtool found no lint problem");
                assert!(
                    theirs.stderr.contains(message.as_str()),
                    "{name}: lint message\n{}\nvs\n{message}",
                    theirs.stderr
                );
            }
            Verdict::Failed { errors } => {
                assert!(theirs.stderr.contains("FAILED"), "{name}");
                let lines: Vec<&str> = theirs.stderr.lines().filter(|l| l.starts_with(shown.as_str())).collect();
                // YAML decoding errors are worded by each YAML library; compare semantic errors.
                if lines.iter().any(|l| l.contains("yaml:")) {
                    continue;
                }
                let mut want: Vec<String> = lines.iter().map(|l| normalize(l, &shown)).collect();
                let mut got: Vec<String> = errors.iter().map(|l| normalize(l, &shown)).collect();
                // promtool's order of label and template errors follows Go map iteration.
                want.sort();
                got.sort();
                assert_eq!(got, want, "{name}");
                compared_messages += 1;
            }
        }
    }
    assert!(compared_messages >= 8, "only {compared_messages} files had comparable messages");
}

#[test]
fn our_report_prints_like_promtool_for_valid_files() {
    let good: Vec<PathBuf> = files().into_iter().filter(|p| p.to_string_lossy().contains("good_")).collect();
    let ours = check_rules(&good, &TestOnlyTemplateChecker, CheckOptions::default());
    let out = Command::new(PROMTOOL)
        .args(["check", "rules"])
        .args(&good)
        .output()
        .expect("promtool 2.42 at /usr/bin/promtool");
    assert_eq!(ours.stdout, String::from_utf8_lossy(&out.stdout));
    assert_eq!(ours.exit_code, out.status.code().unwrap());
}
