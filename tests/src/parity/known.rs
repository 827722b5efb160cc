//! `tests/parity/known_differences.txt`: differences between Prometheus 2.42 and Pharos that the
//! parity test tolerates. One per line: `QUERY_ID DATASET COMPARISON REASON…`, where DATASET is
//! `grid`, `offset` or `*`, COMPARISON a comparison name (see the test) or `*`, and REASON says
//! why: a documented 2.x → 3.x change, or `BUG: …` for a Pharos bug not fixed yet. `#` starts a
//! comment line. An entry that no longer matches any unexplained difference is an error too, so
//! the list stays true.

/// One allowed difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    /// Line number in the file (for messages).
    pub line: usize,
    /// Query id.
    pub query: String,
    /// Dataset name or `*`.
    pub dataset: String,
    /// Comparison name or `*`.
    pub comparison: String,
    /// Why it differs.
    pub reason: String,
}

impl Known {
    /// Whether this entry covers `query` × `dataset` × `comparison`.
    pub fn covers(&self, query: &str, dataset: &str, comparison: &str) -> bool {
        self.query == query
            && (self.dataset == "*" || self.dataset == dataset)
            && (self.comparison == "*" || self.comparison == comparison)
    }
}

/// Parses the file; `datasets` and `comparisons` are the valid names (besides `*`).
pub fn parse(text: &str, datasets: &[&str], comparisons: &[&str]) -> Result<Vec<Known>, String> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(4, char::is_whitespace).map(str::trim);
        let (query, dataset, comparison, reason) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(q), Some(d), Some(c), Some(r)) if !r.trim().is_empty() => (q, d, c, r.trim()),
            _ => return Err(format!("line {}: want `QUERY_ID DATASET COMPARISON REASON`", n + 1)),
        };
        if dataset != "*" && !datasets.contains(&dataset) {
            return Err(format!("line {}: unknown dataset {dataset:?}", n + 1));
        }
        if comparison != "*" && !comparisons.contains(&comparison) {
            return Err(format!("line {}: unknown comparison {comparison:?}", n + 1));
        }
        out.push(Known {
            line: n + 1,
            query: query.to_string(),
            dataset: dataset.to_string(),
            comparison: comparison.to_string(),
            reason: reason.to_string(),
        });
    }
    Ok(out)
}
