//! `pharos-agent check-metrics`: like `promtool check metrics`, says whether an exposition
//! parses, in the Prometheus text format or in OpenMetrics, with the same parsers a scrape uses.

use pharos_protocol::exposition::Format;
use std::io::Read;

/// Why an exposition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct CheckError {
    /// 1-based line number of the problem.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Checks an exposition given as bytes: it must be UTF-8 and parse in `format`.
pub fn check(bytes: &[u8], format: Format) -> Result<(), CheckError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        CheckError { line: valid.iter().filter(|&&b| b == b'\n').count() + 1, reason: "invalid UTF-8".into() }
    })?;
    format.parse(text).map(|_| ()).map_err(|e| CheckError { line: e.line, reason: e.message })
}

/// Reads standard input and checks it; the command's result.
pub fn check_stdin(format: Format) -> Result<(), CheckError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| CheckError { line: 0, reason: format!("reading standard input: {e}") })?;
    check(&bytes, format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_and_line_numbers() {
        assert_eq!(check(b"a 1\n", Format::Text), Ok(()));
        assert_eq!(check(b"a 1\n# EOF\n", Format::OpenMetrics), Ok(()));
        let e = check(b"a 1\n", Format::OpenMetrics).unwrap_err();
        assert!(e.reason.contains("EOF"), "{e}");
        let e = check(b"a 1\nb x\n", Format::Text).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("line 2: "), "{e}");
        let e = check(b"a 1\nb{c=\"\xff\"} 1\n", Format::Text).unwrap_err();
        assert_eq!(e, CheckError { line: 2, reason: "invalid UTF-8".into() });
    }
}
