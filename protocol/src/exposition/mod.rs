//! Prometheus text exposition format 0.0.4: a parser with the semantics of Prometheus'
//! `expfmt.TextParser`, and a writer that prints what `expfmt.MetricFamilyToText` prints.
//!
//! Unlike `expfmt`, which folds histogram and summary lines into one protobuf metric, a
//! [`Metric`] here is one sample line: its labels carry the full sample name (`x_bucket`, `x_sum`,
//! `x_count`) in `__name__`, and `le` / `quantile` as ordinary labels. That is the shape in which
//! samples are stored and pushed.

mod parse;
#[cfg(test)]
mod tests;
mod write;

pub use parse::parse;
pub use write::{format_float, write};

use crate::model::Labels;

/// The type of a metric family, from its `# TYPE` line (`Untyped` without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricType {
    /// A monotonically increasing value.
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// Cumulative `_bucket{le=…}` counts plus `_sum` and `_count`.
    Histogram,
    /// `{quantile=…}` values plus `_sum` and `_count`.
    Summary,
    /// No type declared.
    Untyped,
}

impl MetricType {
    /// The keyword used on `# TYPE` lines.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::Summary => "summary",
            MetricType::Untyped => "untyped",
        }
    }
}

/// A metric family: name, optional help, type and samples.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFamily {
    /// The family name (for histograms and summaries, without `_bucket` / `_sum` / `_count`).
    pub name: String,
    /// The `# HELP` text, unescaped.
    pub help: Option<String>,
    /// The `# TYPE` of the family.
    pub kind: MetricType,
    /// One entry per sample line, in input order.
    pub metrics: Vec<Metric>,
}

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// All labels including `__name__`, which holds the full sample name (e.g. `x_bucket`).
    pub labels: Labels,
    /// The sample value.
    pub value: f64,
    /// Optional explicit timestamp, milliseconds since the Unix epoch.
    pub timestamp_ms: Option<i64>,
}

/// Why an exposition could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}
