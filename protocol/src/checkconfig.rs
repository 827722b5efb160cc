//! The output of `check-config`, laid out as `promtool check config` lays out its own: a
//! `Checking FILE` line per file, `  SUCCESS: …` findings on standard output, `  FAILED: …` on
//! standard error, a blank line after each file, and promtool's exit codes.

use std::fmt::Write as _;

/// promtool's exit code when a check failed.
pub const FAILURE_EXIT_CODE: u8 = 1;
/// promtool's exit code when only lint checks failed and `--lint-fatal` was given.
pub const LINT_EXIT_CODE: u8 = 3;

/// What a check printed and how it ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckOutput {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The exit code: 0, [`FAILURE_EXIT_CODE`] or [`LINT_EXIT_CODE`].
    pub exit_code: u8,
}

impl CheckOutput {
    /// `Checking FILE`: starts a file's block.
    pub fn checking(&mut self, file: &str) {
        let _ = writeln!(self.stdout, "Checking {file}");
    }

    /// A finding that holds: `  SUCCESS: message`.
    pub fn success(&mut self, message: &str) {
        let _ = writeln!(self.stdout, "  SUCCESS: {message}");
    }

    /// The verdict on the file itself: ` SUCCESS: FILE is valid WHAT` (promtool's one-space indent).
    pub fn valid(&mut self, file: &str, what: &str) {
        let _ = writeln!(self.stdout, " SUCCESS: {file} is valid {what}");
    }

    /// A finding that fails the check: `  FAILED: message`, exit code 1.
    pub fn failed(&mut self, message: &str) {
        let _ = writeln!(self.stderr, "  FAILED: {message}");
        self.exit_code = FAILURE_EXIT_CODE;
    }

    /// Ends a file's block with promtool's blank line.
    pub fn end_file(&mut self) {
        self.stdout.push('\n');
    }

    /// Appends another check's output; the worse exit code wins (1 over 3 over 0).
    pub fn append(&mut self, other: CheckOutput) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.exit_code = match (self.exit_code, other.exit_code) {
            (FAILURE_EXIT_CODE, _) | (_, FAILURE_EXIT_CODE) => FAILURE_EXIT_CODE,
            (0, c) | (c, 0) => c,
            (c, _) => c,
        };
    }

    /// Whether nothing failed.
    pub fn is_success(&self) -> bool {
        self.exit_code == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_like_promtool_and_keeps_the_worst_exit_code() {
        let mut out = CheckOutput::default();
        out.checking("a.toml");
        out.success("1 rule files found");
        out.valid("a.toml", "pharos-aggregator configuration");
        out.end_file();
        assert_eq!(
            out.stdout,
            "Checking a.toml\n  SUCCESS: 1 rule files found\n SUCCESS: a.toml is valid pharos-aggregator configuration\n\n"
        );
        assert!(out.is_success());
        let lint = CheckOutput { exit_code: LINT_EXIT_CODE, ..Default::default() };
        out.append(lint.clone());
        assert_eq!(out.exit_code, LINT_EXIT_CODE);
        let mut failed = CheckOutput::default();
        failed.failed("no such file");
        assert_eq!(failed.stderr, "  FAILED: no such file\n");
        out.append(failed);
        out.append(lint);
        assert_eq!(out.exit_code, FAILURE_EXIT_CODE);
    }
}
