//! `promtool check rules`: validates rule files and reports like promtool 2.42 (the same
//! `Checking`/`SUCCESS`/`FAILED` lines, the duplicate-rules lint, the same exit codes).

use super::file::{parse_file, RuleFile, RuleFileError};
use super::TemplateExpander;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// promtool's exit code when a file is invalid.
pub const FAILURE_EXIT_CODE: i32 = pharos_protocol::checkconfig::FAILURE_EXIT_CODE as i32;
/// promtool's exit code when only lint problems were found and `--lint-fatal` is set.
pub const LINT_EXIT_CODE: i32 = pharos_protocol::checkconfig::LINT_EXIT_CODE as i32;

/// Options of the check, as promtool's flags.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// `--lint=duplicate-rules` (promtool's default): report rules with the same name and labels.
    pub lint_duplicates: bool,
    /// `--lint-fatal`: lint problems make the exit code 3.
    pub lint_fatal: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { lint_duplicates: true, lint_fatal: false }
    }
}

impl CheckOptions {
    /// Options from promtool's flags: `lint` is a comma-separated list of `all`,
    /// `duplicate-rules` and `none`. Unknown items are ignored, each with the warning line
    /// promtool prints on standard output (returned, newline included).
    pub fn from_flags(lint: &str, lint_fatal: bool) -> (Self, String) {
        let mut opts = CheckOptions { lint_duplicates: false, lint_fatal };
        let mut warnings = String::new();
        for item in lint.split(',') {
            match item {
                "all" | "duplicate-rules" => opts.lint_duplicates = true,
                "none" => {}
                other => {
                    let _ = writeln!(warnings, "WARNING: unknown lint option {other}");
                }
            }
        }
        (opts, warnings)
    }
}

/// Why promtool refuses its arguments before checking anything (kingpin's `ExistingFiles`);
/// promtool then exits with [`FAILURE_EXIT_CODE`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgumentError {
    /// No file given.
    #[error("required argument 'rule-files' not provided, try --help")]
    NoFiles,
    /// A file does not exist.
    #[error("path '{0}' does not exist, try --help")]
    Missing(String),
    /// A path is a directory (kingpin names it by its last component).
    #[error("'{0}' is a directory, try --help")]
    Directory(String),
}

/// Validates the file arguments as promtool does before checking any of them.
pub fn check_arguments<P: AsRef<Path>>(paths: &[P]) -> Result<(), ArgumentError> {
    if paths.is_empty() {
        return Err(ArgumentError::NoFiles);
    }
    for p in paths {
        let p = p.as_ref();
        match std::fs::metadata(p) {
            Err(_) => return Err(ArgumentError::Missing(p.display().to_string())),
            Ok(m) if m.is_dir() => {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                return Err(ArgumentError::Directory(name));
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// The outcome for one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Valid, with this many rules.
    Success {
        /// Rules in all groups.
        rules: usize,
    },
    /// Invalid: each message is one line of promtool's output (prefixed with the path).
    Failed {
        /// The error lines.
        errors: Vec<String>,
    },
    /// Valid, but the lint found duplicate rules.
    Lint {
        /// promtool's lint message (several lines).
        message: String,
    },
}

/// The check of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileCheck {
    /// The path as given.
    pub path: String,
    /// What was found.
    pub verdict: Verdict,
}

/// The result of checking a list of files.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// One entry per file, in order.
    pub files: Vec<FileCheck>,
    /// What promtool would print on standard output.
    pub stdout: String,
    /// What promtool would print on standard error.
    pub stderr: String,
    /// promtool's exit code: 0, [`FAILURE_EXIT_CODE`] or [`LINT_EXIT_CODE`].
    pub exit_code: i32,
}

/// Checks every file in `paths` like `promtool check rules`.
pub fn check_rules<P: AsRef<Path>>(paths: &[P], expander: &dyn TemplateExpander, opts: CheckOptions) -> CheckReport {
    let mut report = CheckReport { files: Vec::new(), stdout: String::new(), stderr: String::new(), exit_code: 0 };
    let (mut failed, mut has_errors) = (false, false);
    for p in paths {
        let path = p.as_ref().display().to_string();
        let _ = writeln!(report.stdout, "Checking {path}");
        let verdict = check_file(p.as_ref(), expander, opts);
        match &verdict {
            Verdict::Success { rules } => {
                let _ = writeln!(report.stdout, "  SUCCESS: {rules} rules found");
            }
            Verdict::Failed { errors } => {
                report.stderr.push_str("  FAILED:\n");
                for e in errors {
                    let _ = writeln!(report.stderr, "{e}");
                }
                failed = true;
                has_errors = true;
            }
            Verdict::Lint { message } => {
                report.stderr.push_str("  FAILED:\n");
                let _ = writeln!(report.stderr, "lint error {message}");
                failed = true;
            }
        }
        report.stdout.push('\n');
        report.files.push(FileCheck { path, verdict });
    }
    report.exit_code = match (failed, has_errors, opts.lint_fatal) {
        (true, true, _) => FAILURE_EXIT_CODE,
        (true, false, true) => LINT_EXIT_CODE,
        _ => 0,
    };
    report
}

/// Checks one file.
pub fn check_file(path: &Path, expander: &dyn TemplateExpander, opts: CheckOptions) -> Verdict {
    let shown = path.display().to_string();
    match parse_file(path, Some(expander)) {
        Err(errors) => Verdict::Failed { errors: errors.iter().map(|e| prefixed(&shown, e)).collect() },
        Ok(file) => {
            if opts.lint_duplicates {
                if let Some(message) = duplicates_message(&file) {
                    return Verdict::Lint { message };
                }
            }
            Verdict::Success { rules: file.rule_count() }
        }
    }
}

fn prefixed(path: &str, e: &RuleFileError) -> String {
    format!("{path}: {e}")
}

/// promtool's duplicate-rules lint: rules sharing a name and a label set, or `None`.
fn duplicates_message(file: &RuleFile) -> Option<String> {
    let mut rules: Vec<(&str, &BTreeMap<String, String>)> =
        file.groups.iter().flat_map(|g| g.rules.iter()).map(|r| (r.name(), &r.labels)).collect();
    rules.sort();
    let mut dups: Vec<(&str, &BTreeMap<String, String>)> = Vec::new();
    for pair in rules.windows(2) {
        if pair[0] == pair[1] && dups.last() != Some(&pair[1]) {
            dups.push(pair[1]);
        }
    }
    if dups.is_empty() {
        return None;
    }
    let mut msg = format!("{} duplicate rule(s) found.\n", dups.len());
    for (metric, labels) in dups {
        let _ = writeln!(msg, "Metric: {metric}\nLabel(s):");
        for (k, v) in labels {
            let _ = writeln!(msg, "\t{k}: {v}");
        }
    }
    msg.push_str("Might cause inconsistency while recording expressions");
    Some(msg)
}
