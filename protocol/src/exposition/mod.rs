//! Prometheus text exposition format 0.0.4: a parser with the semantics of Prometheus'
//! `expfmt.TextParser`, and a writer that prints what `expfmt.MetricFamilyToText` prints; and a
//! strict parser for the OpenMetrics 1.0 text format ([`parse_openmetrics`]). [`Format`] picks
//! the parser by a response's `Content-Type`, as a Prometheus scrape does.
//!
//! Unlike `expfmt`, which folds histogram and summary lines into one protobuf metric, a
//! [`Metric`] here is one sample line: its labels carry the full sample name (`x_bucket`, `x_sum`,
//! `x_count`) in `__name__`, and `le` / `quantile` as ordinary labels. That is the shape in which
//! samples are stored and pushed.

mod om_line;
mod openmetrics;
#[cfg(test)]
mod openmetrics_tests;
mod parse;
#[cfg(test)]
mod tests;
mod write;

pub use openmetrics::parse_openmetrics;
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
    /// No type declared (OpenMetrics' `unknown`).
    Untyped,
    /// OpenMetrics only: `_bucket{le=…}` counts of a gauge, plus `_gcount` and `_gsum`.
    GaugeHistogram,
    /// OpenMetrics only: `x_info{…} 1`, labels describing a target.
    Info,
    /// OpenMetrics only: one 0/1 sample per state, the state in the label named like the family.
    StateSet,
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
            MetricType::GaugeHistogram => "gaugehistogram",
            MetricType::Info => "info",
            MetricType::StateSet => "stateset",
        }
    }
}

/// An exposition format a target can answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    Text,
    /// OpenMetrics 1.0 text (`application/openmetrics-text`).
    OpenMetrics,
}

impl Format {
    /// The format of a response with this `Content-Type`, as Prometheus chooses its parser:
    /// `application/openmetrics-text` (any version and parameters) is OpenMetrics, anything else
    /// (a missing or unknown type included) the text format.
    pub fn from_content_type(content_type: Option<&str>) -> Format {
        let media = content_type.and_then(|ct| ct.split(';').next()).map(str::trim).unwrap_or_default();
        if media.eq_ignore_ascii_case("application/openmetrics-text") {
            Format::OpenMetrics
        } else {
            Format::Text
        }
    }

    /// Parses `text` in this format.
    pub fn parse(self, text: &str) -> Result<Vec<MetricFamily>, ParseError> {
        match self {
            Format::Text => parse(text),
            Format::OpenMetrics => parse_openmetrics(text),
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
