//! `io.prometheus.client` messages (client_model's `metrics.proto`, the classic parts), declared
//! with prost's derive macros, plus the varint-delimited stream format of push bodies.
//!
//! Only what Pushgateway 1.5.1 re-exposes in the text format is declared: exemplars, float counts
//! and native-histogram fields are unknown fields here, skipped when decoding. The same messages
//! are the store's in-memory model (as `dto.MetricFamily` is the Pushgateway's), so a push, the
//! store, the JSON API and the persistence file share one representation.

use prost::Message;

/// `io.prometheus.client.MetricType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum MetricType {
    /// A monotonically increasing value.
    Counter = 0,
    /// A value that goes up and down.
    Gauge = 1,
    /// Quantiles, sum and count.
    Summary = 2,
    /// No declared type.
    Untyped = 3,
    /// Cumulative buckets, sum and count.
    Histogram = 4,
}

impl MetricType {
    /// The enum's name as Go's protobuf code prints it (`COUNTER`, …), used in error messages
    /// and in `/api/v1/metrics`.
    pub fn go_name(self) -> &'static str {
        match self {
            MetricType::Counter => "COUNTER",
            MetricType::Gauge => "GAUGE",
            MetricType::Summary => "SUMMARY",
            MetricType::Untyped => "UNTYPED",
            MetricType::Histogram => "HISTOGRAM",
        }
    }
}

/// `io.prometheus.client.LabelPair`.
#[derive(Clone, PartialEq, Message)]
pub struct LabelPair {
    /// Label name.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// Label value.
    #[prost(string, optional, tag = "2")]
    pub value: Option<String>,
}

/// prost derives `name()` and `value()` (the values, empty if unset).
impl LabelPair {
    /// A pair from name and value.
    pub fn new(name: &str, value: &str) -> Self {
        LabelPair { name: Some(name.to_string()), value: Some(value.to_string()) }
    }
}

/// A single float value (`Gauge`, `Counter`, `Untyped` share the layout of their field 1).
#[derive(Clone, PartialEq, Message)]
pub struct Value {
    /// The value.
    #[prost(double, optional, tag = "1")]
    pub value: Option<f64>,
}

/// `io.prometheus.client.Quantile`.
#[derive(Clone, PartialEq, Message)]
pub struct Quantile {
    /// The quantile (0..1).
    #[prost(double, optional, tag = "1")]
    pub quantile: Option<f64>,
    /// Its value.
    #[prost(double, optional, tag = "2")]
    pub value: Option<f64>,
}

/// `io.prometheus.client.Summary`.
#[derive(Clone, PartialEq, Message)]
pub struct Summary {
    /// Observation count.
    #[prost(uint64, optional, tag = "1")]
    pub sample_count: Option<u64>,
    /// Sum of observations.
    #[prost(double, optional, tag = "2")]
    pub sample_sum: Option<f64>,
    /// Quantiles.
    #[prost(message, repeated, tag = "3")]
    pub quantile: Vec<Quantile>,
}

/// `io.prometheus.client.Bucket` (classic).
#[derive(Clone, PartialEq, Message)]
pub struct Bucket {
    /// Observations at or below `upper_bound`.
    #[prost(uint64, optional, tag = "1")]
    pub cumulative_count: Option<u64>,
    /// The bucket's `le`.
    #[prost(double, optional, tag = "2")]
    pub upper_bound: Option<f64>,
}

/// `io.prometheus.client.Histogram` (classic).
#[derive(Clone, PartialEq, Message)]
pub struct Histogram {
    /// Observation count.
    #[prost(uint64, optional, tag = "1")]
    pub sample_count: Option<u64>,
    /// Sum of observations.
    #[prost(double, optional, tag = "2")]
    pub sample_sum: Option<f64>,
    /// Buckets in increasing `upper_bound` order.
    #[prost(message, repeated, tag = "3")]
    pub bucket: Vec<Bucket>,
}

/// `io.prometheus.client.Metric`.
#[derive(Clone, PartialEq, Message)]
pub struct Metric {
    /// Labels (the Pushgateway keeps them sorted by name after sanitising).
    #[prost(message, repeated, tag = "1")]
    pub label: Vec<LabelPair>,
    /// Set for gauges.
    #[prost(message, optional, tag = "2")]
    pub gauge: Option<Value>,
    /// Set for counters.
    #[prost(message, optional, tag = "3")]
    pub counter: Option<Value>,
    /// Set for summaries.
    #[prost(message, optional, tag = "4")]
    pub summary: Option<Summary>,
    /// Set for untyped metrics.
    #[prost(message, optional, tag = "5")]
    pub untyped: Option<Value>,
    /// Set for histograms.
    #[prost(message, optional, tag = "7")]
    pub histogram: Option<Histogram>,
    /// An explicit timestamp: pushes carrying one are refused.
    #[prost(int64, optional, tag = "6")]
    pub timestamp_ms: Option<i64>,
}

impl Metric {
    /// The float value of a counter, gauge or untyped metric (0 otherwise), as Pushgateway's
    /// `getValue` reads it.
    pub fn simple_value(&self) -> f64 {
        let v = self.gauge.as_ref().or(self.counter.as_ref()).or(self.untyped.as_ref());
        v.and_then(|v| v.value).unwrap_or(0.0)
    }

    /// Whether the metric carries the value field of `kind`.
    pub fn has_kind(&self, kind: MetricType) -> bool {
        match kind {
            MetricType::Counter => self.counter.is_some(),
            MetricType::Gauge => self.gauge.is_some(),
            MetricType::Summary => self.summary.is_some(),
            MetricType::Untyped => self.untyped.is_some(),
            MetricType::Histogram => self.histogram.is_some(),
        }
    }
}

/// `io.prometheus.client.MetricFamily`.
#[derive(Clone, PartialEq, Message)]
pub struct MetricFamily {
    /// The family name.
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    /// Its HELP text.
    #[prost(string, optional, tag = "2")]
    pub help: Option<String>,
    /// Its type (absent means COUNTER, protobuf's default).
    #[prost(enumeration = "MetricType", optional, tag = "3")]
    pub r#type: Option<i32>,
    /// The metrics.
    #[prost(message, repeated, tag = "4")]
    pub metric: Vec<Metric>,
}

/// prost derives `name()` (empty if unset) and `r#type()`.
impl MetricFamily {
    /// The type; `None` for a number outside client_model's classic types.
    pub fn kind(&self) -> Option<MetricType> {
        MetricType::try_from(self.r#type.unwrap_or(0)).ok()
    }
}

/// Why a delimited protobuf stream could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DelimitedError {
    /// The stream ends inside a length prefix or a message.
    #[error("unexpected EOF")]
    Truncated,
    /// A length prefix is not a valid varint.
    #[error("invalid varint length prefix")]
    BadLength,
    /// A message announces more bytes than allowed.
    #[error("message of {len} bytes exceeds the limit of {max}")]
    TooLarge {
        /// Announced length.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// A message does not decode.
    #[error("proto: {0}")]
    Decode(String),
}

/// Decodes a stream of varint-length-delimited `MetricFamily` messages (`pbutil.ReadDelimited`
/// until a clean end of input).
pub fn decode_delimited(mut buf: &[u8], max_message: usize) -> Result<Vec<MetricFamily>, DelimitedError> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let (len, used) = read_varint(buf)?;
        buf = &buf[used..];
        if len > max_message as u64 {
            return Err(DelimitedError::TooLarge { len, max: max_message });
        }
        let len = len as usize;
        if buf.len() < len {
            return Err(DelimitedError::Truncated);
        }
        let mf = MetricFamily::decode(&buf[..len]).map_err(|e| DelimitedError::Decode(e.to_string()))?;
        out.push(mf);
        buf = &buf[len..];
    }
    Ok(out)
}

/// Encodes families as a delimited stream (for clients and tests).
pub fn encode_delimited(families: &[MetricFamily]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in families {
        // Writing into a Vec cannot run out of space.
        let _ = f.encode_length_delimited(&mut out);
    }
    out
}

/// A varint of at most 10 bytes: `(value, bytes used)`.
fn read_varint(buf: &[u8]) -> Result<(u64, usize), DelimitedError> {
    let mut value = 0u64;
    for (i, &b) in buf.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok((value, i + 1));
        }
    }
    if buf.len() < 10 {
        Err(DelimitedError::Truncated)
    } else {
        Err(DelimitedError::BadLength)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gauge(name: &str, v: f64) -> MetricFamily {
        MetricFamily {
            name: Some(name.into()),
            help: None,
            r#type: Some(MetricType::Gauge as i32),
            metric: vec![Metric { gauge: Some(Value { value: Some(v) }), ..Default::default() }],
        }
    }

    #[test]
    fn delimited_round_trip_and_truncation() {
        let fams = vec![gauge("a", 1.0), gauge("b", f64::NAN)];
        let bytes = encode_delimited(&fams);
        let back = decode_delimited(&bytes, 1 << 20).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0], fams[0]);
        assert!(back[1].metric[0].simple_value().is_nan());
        assert_eq!(decode_delimited(&bytes[..bytes.len() - 1], 1 << 20), Err(DelimitedError::Truncated));
        assert_eq!(decode_delimited(&[0x80], 1 << 20), Err(DelimitedError::Truncated));
        assert!(matches!(decode_delimited(&bytes, 2), Err(DelimitedError::TooLarge { .. })));
        assert!(matches!(decode_delimited(&[3, 0xff, 0xff, 0xff], 100), Err(DelimitedError::Decode(_))));
        assert_eq!(decode_delimited(&[], 10).unwrap(), vec![]);
    }

    #[test]
    fn kinds() {
        let mut f = gauge("a", 1.0);
        assert_eq!(f.kind(), Some(MetricType::Gauge));
        f.r#type = None;
        assert_eq!(f.kind(), Some(MetricType::Counter));
        f.r#type = Some(5);
        assert_eq!(f.kind(), None);
        assert!(f.metric[0].has_kind(MetricType::Gauge));
        assert!(!f.metric[0].has_kind(MetricType::Counter));
    }
}
