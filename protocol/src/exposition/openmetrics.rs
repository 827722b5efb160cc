//! A strict parser for the OpenMetrics 1.0 text format (`application/openmetrics-text`).
//!
//! It accepts exactly what the OpenMetrics conformance suite expects the reference parser
//! (client_python's `openmetrics.parser`) to accept: every line ends in `\n` and the exposition
//! in `# EOF` (nothing may follow it); no blank lines; metadata (`HELP`, `TYPE`, `UNIT`) comes
//! once per family and before its samples; a family's samples are contiguous and use only its
//! type's suffixes (`_total`/`_created` for counters, `_bucket`/`_count`/`_sum`/`_created` for
//! histograms, `_gcount`/`_gsum` for gauge histograms, `_info` ...); names never clash across
//! families; label groups are not interleaved; timestamps are seconds and never go backwards
//! within a group; counter-like values are neither negative nor NaN; histograms have ordered
//! buckets ending in `+Inf` whose count matches `_count`; exemplars sit only on counters'
//! `_total` and histograms' `_bucket` samples.
//!
//! Families come out in the shape of the text parser's: one [`Metric`] per sample line (exact
//! duplicates within a group dropped, as the reference does), timestamps in milliseconds.
//! Exemplars are checked and then dropped, and so are units: the data model has no place for them.

use std::collections::HashSet;

use super::om_line::{sample_line, SampleLine, TsKey};
use super::{Metric, MetricFamily, MetricType, ParseError};
use crate::model::{is_valid_metric_name, Label, Labels, METRIC_NAME_LABEL};

/// Parses an OpenMetrics 1.0 text exposition into metric families, in input order.
/// Families without samples (metadata only) are left out.
pub fn parse_openmetrics(text: &str) -> Result<Vec<MetricFamily>, ParseError> {
    let mut p = Parser::default();
    let mut line_no = 0usize;
    for raw in text.split_inclusive('\n') {
        line_no += 1;
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        p.line(line).map_err(|message| ParseError { line: line_no, message })?;
    }
    // Errors found when the last family is closed, and a missing `# EOF`, belong to the end.
    let end = ParseError { line: line_no.max(1), message: String::new() };
    p.finish_family().map_err(|message| ParseError { message, ..end.clone() })?;
    if !p.eof {
        return Err(ParseError { message: "missing \"# EOF\" at the end".into(), ..end });
    }
    Ok(p.out)
}

/// The metric types of OpenMetrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OmType {
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
    Unknown,
}

impl OmType {
    fn parse(s: &str) -> Option<OmType> {
        Some(match s {
            "counter" => OmType::Counter,
            "gauge" => OmType::Gauge,
            "histogram" => OmType::Histogram,
            "gaugehistogram" => OmType::GaugeHistogram,
            "summary" => OmType::Summary,
            "info" => OmType::Info,
            "stateset" => OmType::StateSet,
            "unknown" => OmType::Unknown,
            _ => return None,
        })
    }

    /// The sample name suffixes a family of this type may use.
    fn suffixes(self) -> &'static [&'static str] {
        match self {
            OmType::Counter => &["_total", "_created"],
            OmType::Summary => &["", "_count", "_sum", "_created"],
            OmType::Histogram => &["_count", "_sum", "_bucket", "_created"],
            OmType::GaugeHistogram => &["_gcount", "_gsum", "_bucket"],
            OmType::Info => &["_info"],
            OmType::Gauge | OmType::StateSet | OmType::Unknown => &[""],
        }
    }

    fn model(self) -> MetricType {
        match self {
            OmType::Counter => MetricType::Counter,
            OmType::Gauge => MetricType::Gauge,
            OmType::Histogram => MetricType::Histogram,
            OmType::GaugeHistogram => MetricType::GaugeHistogram,
            OmType::Summary => MetricType::Summary,
            OmType::Info => MetricType::Info,
            OmType::StateSet => MetricType::StateSet,
            OmType::Unknown => MetricType::Untyped,
        }
    }
}

/// A group: the sample's labels without the one that tells a family's samples apart (`le`,
/// `quantile`, the stateset's own label), sorted.
type GroupKey = Vec<(String, String)>;

/// The family being read.
struct Family {
    name: String,
    help: Option<String>,
    kind: Option<OmType>,
    unit: Option<String>,
    samples: Vec<SampleLine>,
    /// The group of the previous sample, and that sample's timestamp.
    group: Option<GroupKey>,
    group_ts: Option<TsKey>,
    seen_groups: HashSet<GroupKey>,
    /// Series (name and labels) seen in the current group, for dropping exact duplicates.
    group_series: HashSet<(String, GroupKey)>,
}

impl Family {
    fn new(name: &str, kind: Option<OmType>) -> Family {
        Family {
            name: name.to_string(),
            help: None,
            kind,
            unit: None,
            samples: Vec::new(),
            group: None,
            group_ts: None,
            seen_groups: HashSet::new(),
            group_series: HashSet::new(),
        }
    }

    fn kind(&self) -> OmType {
        self.kind.unwrap_or(OmType::Unknown)
    }

    /// Whether a sample named `sample` belongs to this family.
    fn allows(&self, sample: &str) -> bool {
        match self.kind {
            // Before a TYPE line only the bare name belongs to the family.
            None => sample == self.name,
            Some(k) => sample.strip_prefix(self.name.as_str()).is_some_and(|suffix| k.suffixes().contains(&suffix)),
        }
    }
}

#[derive(Default)]
struct Parser {
    out: Vec<MetricFamily>,
    /// Every sample name a finished family could use: no later family may use one again.
    seen_names: HashSet<String>,
    family: Option<Family>,
    eof: bool,
}

impl Parser {
    fn line(&mut self, line: &str) -> Result<(), String> {
        if self.eof {
            return Err("text after \"# EOF\"".into());
        }
        if line.is_empty() {
            return Err("blank line".into());
        }
        if line == "# EOF" {
            self.eof = true;
            return Ok(());
        }
        if line.starts_with('#') {
            return self.metadata(line);
        }
        let sample = sample_line(line)?;
        self.sample(sample)
    }

    /// `# HELP name text`, `# TYPE name type` or `# UNIT name unit`; nothing else may start with `#`.
    fn metadata(&mut self, line: &str) -> Result<(), String> {
        let parts: Vec<&str> = line.splitn(4, ' ').collect();
        let &[hash, keyword, name, rest] = parts.as_slice() else {
            return Err(format!("invalid comment line {line:?}"));
        };
        if hash != "#" || !matches!(keyword, "HELP" | "TYPE" | "UNIT") {
            return Err(format!("invalid comment line {line:?} (only HELP, TYPE, UNIT and EOF are allowed)"));
        }
        if !is_valid_metric_name(name) {
            return Err(format!("invalid metric name {name:?} in {keyword} line"));
        }
        match &self.family {
            Some(f) if f.name == name => {
                if !f.samples.is_empty() {
                    return Err(format!("{keyword} line for {name:?} after its samples"));
                }
            }
            _ => {
                self.finish_family()?;
                self.family = Some(Family::new(name, None));
            }
        }
        let Some(f) = self.family.as_mut() else { return Err("internal: no family".into()) };
        match keyword {
            "HELP" => {
                if f.help.is_some() {
                    return Err(format!("second HELP line for {name:?}"));
                }
                f.help = Some(unescape_help(rest));
            }
            "TYPE" => {
                if f.kind.is_some() {
                    return Err(format!("second TYPE line for {name:?}"));
                }
                let kind = OmType::parse(rest).ok_or_else(|| format!("invalid metric type {rest:?}"))?;
                f.kind = Some(kind);
            }
            _ => {
                if f.unit.is_some() {
                    return Err(format!("second UNIT line for {name:?}"));
                }
                f.unit = Some(rest.to_string());
            }
        }
        Ok(())
    }

    fn sample(&mut self, s: SampleLine) -> Result<(), String> {
        if !self.family.as_ref().is_some_and(|f| f.allows(&s.name)) {
            // A sample that does not belong to the current family starts an unknown-typed one.
            self.finish_family()?;
            self.family = Some(Family::new(&s.name, Some(OmType::Unknown)));
        }
        let Some(f) = self.family.as_mut() else { return Err("internal: no family".into()) };
        let kind = f.kind();
        let suffix = s.name.get(f.name.len()..).unwrap_or_default();
        let is_bucket = matches!(kind, OmType::Histogram | OmType::GaugeHistogram) && suffix == "_bucket";
        let is_quantile = kind == OmType::Summary && suffix.is_empty();

        // Labels that must be there, and be valid, for the type.
        let mut without: Option<&str> = None;
        if kind == OmType::StateSet {
            if s.label(&f.name).is_none() {
                return Err(format!("stateset sample lacks the label {:?}", f.name));
            }
            without = Some(&f.name);
        }
        if is_bucket {
            let le = s.label("le").ok_or("histogram bucket without an 'le' label")?;
            check_bound(le, "le")?;
            without = Some("le");
        }
        if is_quantile {
            let q = s.label("quantile").ok_or("summary quantile sample without a 'quantile' label")?;
            let v = check_bound(q, "quantile")?;
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("quantile {q:?} is outside [0, 1]"));
            }
            without = Some("quantile");
        }

        // Grouping and timestamp order.
        let mut group: GroupKey = if kind == OmType::Info {
            // Info samples cannot be told apart by group: they all form one.
            Vec::new()
        } else {
            s.labels.iter().filter(|(n, _)| Some(n.as_str()) != without).cloned().collect()
        };
        group.sort();
        let ts = s.timestamp.map(|t| t.key);
        let same_group = f.group.as_ref() == Some(&group);
        if f.group.is_some() && !same_group && f.seen_groups.contains(&group) {
            return Err("samples of one label group are interleaved with another group's".into());
        }
        if same_group {
            if ts.is_some() != f.group_ts.is_some() {
                return Err("samples of one group mix lines with and without timestamps".into());
            }
            if kind != OmType::Info && f.group_ts > ts {
                return Err("timestamps went backwards within a group".into());
            }
        } else {
            f.group_series.clear();
        }

        // Values allowed for the type.
        let v = s.value;
        if kind == OmType::StateSet && v != 0.0 && v != 1.0 {
            return Err(format!("stateset values must be 0 or 1, not {v}"));
        }
        if kind == OmType::Info && v != 1.0 {
            return Err(format!("info values must be 1, not {v}"));
        }
        if is_quantile && v < 0.0 {
            return Err("quantile values cannot be negative".into());
        }
        if ["_total", "_sum", "_count", "_bucket", "_gcount", "_gsum"].contains(&suffix) && v.is_nan() {
            return Err(format!("{:?} is counter-like and cannot be NaN", s.name));
        }
        if ["_total", "_sum", "_count", "_bucket", "_gcount"].contains(&suffix) && v < 0.0 {
            return Err(format!("{:?} is counter-like and cannot be negative", s.name));
        }
        if s.has_exemplar && !(is_bucket || (kind == OmType::Counter && suffix == "_total")) {
            return Err("only counters' _total and histograms' _bucket samples may have exemplars".into());
        }

        let mut series_labels = s.labels.clone();
        series_labels.sort();
        let series = (s.name.clone(), series_labels);
        let duplicate = ts == f.group_ts && f.group_series.contains(&series);
        f.group_series.insert(series);
        f.group = Some(group.clone());
        f.group_ts = ts;
        f.seen_groups.insert(group);
        if !duplicate {
            f.samples.push(s);
        }
        Ok(())
    }

    /// Checks the family being read as a whole and moves it to the output.
    fn finish_family(&mut self) -> Result<(), String> {
        let Some(f) = self.family.take() else { return Ok(()) };
        let kind = f.kind();
        // The bare name is always taken, whatever the type's suffixes.
        let mut names: Vec<String> = kind.suffixes().iter().map(|suffix| format!("{}{suffix}", f.name)).collect();
        if !names.contains(&f.name) {
            names.push(f.name.clone());
        }
        for name in names {
            if !self.seen_names.insert(name.clone()) {
                return Err(format!("metric name {name:?} clashes with an earlier family"));
            }
        }
        if let Some(unit) = f.unit.as_deref().filter(|u| !u.is_empty()) {
            if !f.name.ends_with(&format!("_{unit}")) {
                return Err(format!("metric name {:?} does not end in its unit \"_{unit}\"", f.name));
            }
            if matches!(kind, OmType::Info | OmType::StateSet) {
                return Err(format!("{:?}: info and stateset metrics cannot have a unit", f.name));
            }
        }
        if matches!(kind, OmType::Histogram | OmType::GaugeHistogram) {
            check_histogram(&f)?;
        }
        if f.samples.is_empty() {
            return Ok(());
        }
        let metrics = f
            .samples
            .into_iter()
            .map(|s| {
                let mut labels = Vec::with_capacity(s.labels.len() + 1);
                labels.push(Label::new(METRIC_NAME_LABEL, s.name));
                labels.extend(s.labels.into_iter().map(|(n, v)| Label { name: n, value: v }));
                Metric { labels: Labels::from_vec(labels), value: s.value, timestamp_ms: s.timestamp.map(|t| t.ms) }
            })
            .collect();
        self.out.push(MetricFamily { name: f.name, help: f.help, kind: kind.model(), metrics });
        Ok(())
    }
}

/// A `le` or `quantile` label value: a number, not NaN, and `+Inf` spelt exactly so.
fn check_bound(value: &str, label: &str) -> Result<f64, String> {
    let v = super::om_line::number(value).map_err(|_| format!("invalid {label} label value {value:?}"))?;
    if v.is_nan() {
        return Err(format!("{label} label cannot be NaN"));
    }
    if v == f64::INFINITY && value != "+Inf" {
        return Err(format!("{label} label {value:?} must be written \"+Inf\""));
    }
    Ok(v)
}

/// The rules that span a histogram's samples, checked per group and timestamp: buckets in
/// increasing `le` order with non-decreasing counts, ending with `+Inf`; `_count` equal to the
/// `+Inf` bucket and present exactly when `_sum`/`_gsum` is; no `_sum` with negative buckets, no
/// negative `_gsum` without them.
fn check_histogram(f: &Family) -> Result<(), String> {
    #[derive(Default)]
    struct Run {
        count: Option<f64>,
        bucket: Option<f64>,
        value: f64,
        negative_buckets: bool,
        sum: bool,
        gsum: bool,
        negative_gsum: bool,
    }
    let done = |r: &Run| -> Result<(), String> {
        let name = &f.name;
        if r.bucket != Some(f64::INFINITY) {
            return Err(format!("histogram {name:?}: the +Inf bucket is missing"));
        }
        if r.count.is_some_and(|c| c != r.value) {
            return Err(format!("histogram {name:?}: the count does not match the +Inf bucket"));
        }
        if r.count.is_none() && (r.sum || r.gsum) {
            return Err(format!("histogram {name:?}: a sum without a count"));
        }
        if r.count.is_some() && !(r.sum || r.gsum) {
            return Err(format!("histogram {name:?}: a count without a sum"));
        }
        if r.negative_buckets && r.sum {
            return Err(format!("histogram {name:?}: _sum is not allowed with negative buckets"));
        }
        if !r.negative_buckets && r.negative_gsum {
            return Err(format!("histogram {name:?}: negative _gsum without negative buckets"));
        }
        Ok(())
    };
    let mut current: Option<(GroupKey, Option<TsKey>)> = None;
    let mut run = Run::default();
    for s in &f.samples {
        let suffix = s.name.get(f.name.len()..).unwrap_or_default();
        let mut group: GroupKey =
            s.labels.iter().filter(|(n, _)| !(suffix == "_bucket" && n == "le")).cloned().collect();
        group.sort();
        let key = (group, s.timestamp.map(|t| t.key));
        if current.as_ref() != Some(&key) {
            if current.is_some() {
                done(&run)?;
            }
            run = Run::default();
            current = Some(key);
        }
        match suffix {
            "_bucket" => {
                let le = s.label("le").map(super::om_line::number).and_then(Result::ok).unwrap_or(f64::NAN);
                if le < 0.0 {
                    run.negative_buckets = true;
                }
                if run.bucket.is_some_and(|b| le <= b) {
                    return Err(format!("histogram {:?}: buckets out of order", f.name));
                }
                if s.value < run.value {
                    return Err(format!("histogram {:?}: bucket counts decrease", f.name));
                }
                run.bucket = Some(le);
                run.value = s.value;
            }
            "_count" | "_gcount" => run.count = Some(s.value),
            "_sum" => run.sum = true,
            "_gsum" => {
                run.gsum = true;
                if s.value < 0.0 {
                    run.negative_gsum = true;
                }
            }
            _ => {}
        }
    }
    if current.is_some() {
        done(&run)?;
    }
    Ok(())
}

/// HELP text: `\\`, `\n` and `\"` are unescaped; other backslashes are kept.
fn unescape_help(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
