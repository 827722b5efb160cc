//! Push bodies: `Content-Encoding: gzip`, then the delimited protobuf format (chosen by the
//! Pushgateway's exact `Content-Type` test) or else the text format 0.0.4, into families by name.
//!
//! The text format is parsed by `pharos_protocol::exposition` (one sample per line) and folded
//! into `MetricFamily` messages the way `expfmt.TextParser` builds them: one metric per label
//! set, summaries and histograms gathering their quantile / bucket, `_sum` and `_count` lines.

use crate::limits::{
    MAX_BODY_BYTES, MAX_LABELS_PER_METRIC, MAX_LABEL_NAME_BYTES, MAX_LABEL_VALUE_BYTES, MAX_SAMPLES_PER_PUSH,
};
use crate::proto::{self, Bucket, Histogram, LabelPair, Metric, MetricFamily, MetricType, Quantile, Summary, Value};
use pharos_protocol::exposition::{self, MetricType as TextType};
use pharos_protocol::model::METRIC_NAME_LABEL;
use std::collections::BTreeMap;
use std::io::Read;

/// The Content-Type parameters that select the protobuf parser.
const PROTO_MEDIA_TYPE: &str = "application/vnd.google.protobuf";

/// Pushed families by name (a later protobuf family of the same name replaces an earlier one).
pub type Families = BTreeMap<String, MetricFamily>;

/// Why a body was refused before reaching the store (a parse error: no failure timestamp).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The gzip stream is broken.
    #[error("{0}")]
    Gzip(String),
    /// The body is larger than [`MAX_BODY_BYTES`] (after decompression).
    #[error("request body exceeds the limit of {MAX_BODY_BYTES} bytes (after decompression)")]
    TooLarge,
    /// The text body is not UTF-8.
    #[error("text format parsing error: the body is not valid UTF-8")]
    NotUtf8,
    /// The text format parser's error.
    #[error("text format parsing error in {0}")]
    Text(String),
    /// The protobuf stream's error.
    #[error("{0}")]
    Proto(String),
    /// A limit on the pushed metrics.
    #[error("{0}")]
    Limit(String),
}

/// Decompresses (for `gzip`) and parses a push body.
pub fn parse_body(
    content_type: Option<&str>,
    content_encoding: Option<&str>,
    body: &[u8],
) -> Result<Families, BodyError> {
    let inflated;
    let body = if content_encoding == Some("gzip") {
        inflated = gunzip(body)?;
        &inflated[..]
    } else {
        if body.len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        body
    };
    let families = if is_protobuf(content_type) {
        let mut out = Families::new();
        for mf in proto::decode_delimited(body, MAX_BODY_BYTES).map_err(|e| BodyError::Proto(e.to_string()))? {
            out.insert(mf.name().to_string(), mf);
        }
        out
    } else {
        let text = std::str::from_utf8(body).map_err(|_| BodyError::NotUtf8)?;
        let parsed = exposition::parse(text).map_err(|e| BodyError::Text(e.to_string()))?;
        parsed.into_iter().map(|f| (f.name.clone(), fold(f))).collect()
    };
    check_limits(&families)?;
    Ok(families)
}

/// Whether `Content-Type` is `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;
/// encoding=delimited` (parameters in any order; names case-insensitive, values exact, as Go's
/// `mime.ParseMediaType` gives them).
fn is_protobuf(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let mut parts = ct.split(';');
    let media = parts.next().unwrap_or_default().trim();
    if !media.eq_ignore_ascii_case(PROTO_MEDIA_TYPE) {
        return false;
    }
    let (mut proto_ok, mut encoding_ok) = (false, false);
    for p in parts {
        let Some((k, v)) = p.split_once('=') else { return false };
        let v = v.trim().trim_matches('"');
        match k.trim().to_ascii_lowercase().as_str() {
            "proto" => proto_ok = v == "io.prometheus.client.MetricFamily",
            "encoding" => encoding_ok = v == "delimited",
            _ => {}
        }
    }
    proto_ok && encoding_ok
}

/// Inflates a gzip body up to [`MAX_BODY_BYTES`]. A bad header reads like Go's gzip errors.
fn gunzip(body: &[u8]) -> Result<Vec<u8>, BodyError> {
    if body.len() < 10 {
        return Err(BodyError::Gzip(if body.is_empty() { "EOF".into() } else { "unexpected EOF".into() }));
    }
    if body[0] != 0x1f || body[1] != 0x8b || body[2] != 8 {
        return Err(BodyError::Gzip("gzip: invalid header".into()));
    }
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(body).take(MAX_BODY_BYTES as u64 + 1);
    reader.read_to_end(&mut out).map_err(|e| BodyError::Text(format!("line 1: gzip: {e}")))?;
    if out.len() > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    Ok(out)
}

/// Folds the parser's sample lines into one `Metric` per label set, as expfmt does.
fn fold(f: exposition::MetricFamily) -> MetricFamily {
    let kind = match f.kind {
        TextType::Counter => MetricType::Counter,
        TextType::Gauge => MetricType::Gauge,
        TextType::Summary => MetricType::Summary,
        TextType::Histogram => MetricType::Histogram,
        _ => MetricType::Untyped,
    };
    let mut metrics: Vec<Metric> = Vec::new();
    // Label set (without __name__, le, quantile) → index in `metrics`, for summaries/histograms.
    let mut by_labels: BTreeMap<Vec<(String, String)>, usize> = BTreeMap::new();
    for line in f.metrics {
        let sample_name = line.labels.metric_name().unwrap_or(&f.name).to_string();
        let mut labels = Vec::new();
        let (mut le, mut quantile) = (None, None);
        for l in line.labels.iter() {
            match l.name.as_str() {
                METRIC_NAME_LABEL => {}
                "le" if kind == MetricType::Histogram => le = parse_bound(&l.value),
                "quantile" if kind == MetricType::Summary => quantile = parse_bound(&l.value),
                _ => labels.push((l.name.clone(), l.value.clone())),
            }
        }
        let v = line.value;
        let simple = |labels: Vec<(String, String)>| Metric {
            label: labels.iter().map(|(n, v)| LabelPair::new(n, v)).collect(),
            timestamp_ms: line.timestamp_ms,
            ..Default::default()
        };
        match kind {
            MetricType::Counter | MetricType::Gauge | MetricType::Untyped => {
                let mut m = simple(labels);
                let value = Some(Value { value: Some(v) });
                match kind {
                    MetricType::Counter => m.counter = value,
                    MetricType::Gauge => m.gauge = value,
                    _ => m.untyped = value,
                }
                metrics.push(m);
            }
            MetricType::Summary | MetricType::Histogram => {
                let idx = *by_labels.entry(labels.clone()).or_insert_with(|| {
                    let mut m = simple(labels);
                    if kind == MetricType::Summary {
                        m.summary = Some(Summary::default());
                    } else {
                        m.histogram = Some(Histogram::default());
                    }
                    metrics.push(m);
                    metrics.len() - 1
                });
                let m = &mut metrics[idx];
                if line.timestamp_ms.is_some() {
                    m.timestamp_ms = line.timestamp_ms;
                }
                let suffix = sample_name.strip_prefix(f.name.as_str()).unwrap_or_default();
                // Go's uint64(float) for counts; Rust's `as` saturates where Go's is undefined.
                let count = v as u64;
                if let Some(s) = m.summary.as_mut() {
                    match suffix {
                        "_count" => s.sample_count = Some(count),
                        "_sum" => s.sample_sum = Some(v),
                        _ => s.quantile.push(Quantile { quantile, value: Some(v) }),
                    }
                } else if let Some(h) = m.histogram.as_mut() {
                    match suffix {
                        "_count" => h.sample_count = Some(count),
                        "_sum" => h.sample_sum = Some(v),
                        _ => h.bucket.push(Bucket { cumulative_count: Some(count), upper_bound: le }),
                    }
                }
            }
        }
    }
    MetricFamily { name: Some(f.name), help: f.help, r#type: Some(kind as i32), metric: metrics }
}

/// An `le` / `quantile` value (the parser has checked it is a float).
fn parse_bound(s: &str) -> Option<f64> {
    match s {
        "+Inf" | "Inf" | "inf" | "+inf" => Some(f64::INFINITY),
        "-Inf" | "-inf" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok().or_else(|| s.to_ascii_lowercase().parse().ok()),
    }
}

/// The per-push limits: samples as a scrape would expand them, label count and lengths.
fn check_limits(families: &Families) -> Result<(), BodyError> {
    let mut samples = 0usize;
    for f in families.values() {
        for m in &f.metric {
            samples += crate::series::sample_count(m);
            if m.label.len() > MAX_LABELS_PER_METRIC {
                return Err(BodyError::Limit(format!(
                    "a metric of {:?} has {} labels, more than the limit of {MAX_LABELS_PER_METRIC}",
                    f.name(),
                    m.label.len()
                )));
            }
            for l in &m.label {
                if l.name().len() > MAX_LABEL_NAME_BYTES {
                    return Err(BodyError::Limit(format!(
                        "label name of {} bytes in {:?} exceeds the limit of {MAX_LABEL_NAME_BYTES}",
                        l.name().len(),
                        f.name()
                    )));
                }
                if l.value().len() > MAX_LABEL_VALUE_BYTES {
                    return Err(BodyError::Limit(format!(
                        "value of label {:?} in {:?} is {} bytes, exceeding the limit of {MAX_LABEL_VALUE_BYTES}",
                        l.name(),
                        f.name(),
                        l.value().len()
                    )));
                }
            }
        }
    }
    if samples > MAX_SAMPLES_PER_PUSH {
        return Err(BodyError::Limit(format!(
            "the push has {samples} samples, more than the limit of {MAX_SAMPLES_PER_PUSH} per push"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PROTO_CT: &str =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn text_is_folded_like_expfmt() {
        let text = "# HELP s A summary.\n# TYPE s summary\ns{quantile=\"0.5\",a=\"1\"} 3\ns_sum{a=\"1\"} 10\n\
                    s_count{a=\"1\"} 4.7\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n\
                    # TYPE c counter\nc{x=\"y\"} 1\nc 2\nu 5\n";
        let f = parse_body(Some("text/plain"), None, text.as_bytes()).unwrap();
        assert_eq!(f.keys().collect::<Vec<_>>(), ["c", "h", "s", "u"]);
        let s = &f["s"];
        assert_eq!(s.help.as_deref(), Some("A summary."));
        assert_eq!(s.metric.len(), 1);
        let sm = s.metric[0].summary.as_ref().unwrap();
        assert_eq!((sm.sample_count, sm.sample_sum), (Some(4), Some(10.0)));
        assert_eq!(sm.quantile, vec![Quantile { quantile: Some(0.5), value: Some(3.0) }]);
        assert_eq!(s.metric[0].label, vec![LabelPair::new("a", "1")]);
        let h = f["h"].metric[0].histogram.as_ref().unwrap();
        assert_eq!(h.bucket.len(), 2);
        assert_eq!(h.bucket[1].upper_bound, Some(f64::INFINITY));
        assert_eq!(f["c"].metric.len(), 2);
        assert_eq!(f["c"].kind(), Some(MetricType::Counter));
        assert_eq!(f["u"].kind(), Some(MetricType::Untyped));
        assert_eq!(f["u"].metric[0].untyped, Some(Value { value: Some(5.0) }));
    }

    #[test]
    fn timestamps_are_kept_for_the_check() {
        let f = parse_body(None, None, b"m 1 1234\n").unwrap();
        assert_eq!(f["m"].metric[0].timestamp_ms, Some(1234));
    }

    #[test]
    fn gzip_and_errors() {
        let plain = parse_body(None, None, b"a 1\n").unwrap();
        assert_eq!(parse_body(None, Some("gzip"), &gz(b"a 1\n")).unwrap(), plain);
        assert_eq!(
            parse_body(None, Some("gzip"), b"not gzip at all").unwrap_err(),
            BodyError::Gzip("gzip: invalid header".into())
        );
        let mut broken = gz(b"a 1\nb 2\n");
        broken.truncate(broken.len() - 6);
        assert!(matches!(parse_body(None, Some("gzip"), &broken), Err(BodyError::Text(_))));
        // Another encoding is not decoded: the compressed bytes fail as text.
        assert!(parse_body(None, Some("snappy"), &gz(b"a 1\n")).is_err());
        assert!(matches!(parse_body(None, None, b"a 1"), Err(BodyError::Text(_))));
        assert!(matches!(parse_body(None, None, b"a x\n"), Err(BodyError::Text(_))));
        let big = vec![b'#'; MAX_BODY_BYTES + 1];
        assert_eq!(parse_body(None, None, &big), Err(BodyError::TooLarge));
        assert_eq!(parse_body(None, Some("gzip"), &gz(&big)), Err(BodyError::TooLarge));
    }

    #[test]
    fn protobuf_bodies() {
        let fam = |name: &str, v: f64| MetricFamily {
            name: Some(name.into()),
            help: Some("h".into()),
            r#type: Some(MetricType::Gauge as i32),
            metric: vec![Metric { gauge: Some(Value { value: Some(v) }), ..Default::default() }],
        };
        let body = proto::encode_delimited(&[fam("a", 1.0), fam("b", 2.0), fam("a", 3.0)]);
        let f = parse_body(Some(PROTO_CT), None, &body).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f["a"].metric[0].simple_value(), 3.0, "a later family replaces an earlier one");
        let reordered = "application/vnd.google.protobuf; encoding=delimited; proto=io.prometheus.client.MetricFamily";
        assert_eq!(parse_body(Some(reordered), Some("gzip"), &gz(&body)).unwrap(), f);
        // Without the exact parameters the body is read as text.
        assert!(parse_body(Some("application/vnd.google.protobuf"), None, &body).is_err());
        assert!(matches!(parse_body(Some(PROTO_CT), None, &body[..body.len() - 1]), Err(BodyError::Proto(_))));
    }

    #[test]
    fn limits() {
        let many: String = (0..MAX_SAMPLES_PER_PUSH + 1).map(|i| format!("m{{i=\"{i}\"}} 1\n")).collect();
        assert!(matches!(parse_body(None, None, many.as_bytes()), Err(BodyError::Limit(_))));
        let long = format!("m{{a=\"{}\"}} 1\n", "x".repeat(MAX_LABEL_VALUE_BYTES + 1));
        assert!(matches!(parse_body(None, None, long.as_bytes()), Err(BodyError::Limit(_))));
    }
}
