//! Prometheus remote-write 1.0: the protobuf messages of `prompb` (`remote.proto`, `types.proto`),
//! and the body encoding of a write request (protobuf, compressed with Snappy's *block* format, not
//! the framed/stream format, as the specification requires).
//!
//! The messages are declared with `prost`'s derive macros by hand: no `.proto` files, no build
//! script. Fields that Pharos does not store are still declared where a sender fills them, so that
//! they are skipped cleanly and can be counted:
//! - `exemplars` are decoded and ignored;
//! - native `histograms` are decoded down to their timestamp only (every other field is skipped
//!   as unknown) so a receiver can count and drop them: Pharos stores float samples only;
//! - `metadata` (Prometheus sends it in requests of its own) is decoded in full.
//!
//! [`decode`] enforces explicit [`RemoteLimits`] before and after decompression, so a small body
//! cannot expand into unbounded memory, and every violation is a typed [`RemoteError`].

use crate::model::{Label as ModelLabel, Labels, Sample as ModelSample, Series};
use prost::Message;

/// A remote-write request: series with their samples, and optional metric metadata.
#[derive(Clone, PartialEq, prost::Message)]
pub struct WriteRequest {
    /// The series.
    #[prost(message, repeated, tag = "1")]
    pub timeseries: Vec<TimeSeries>,
    /// Metric metadata (`TYPE`, `HELP`, `UNIT` per metric family); field 2 is reserved upstream.
    #[prost(message, repeated, tag = "3")]
    pub metadata: Vec<MetricMetadata>,
}

/// One series: its labels (name-sorted by well-behaved senders) and samples in time order.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TimeSeries {
    /// The labels, `__name__` included.
    #[prost(message, repeated, tag = "1")]
    pub labels: Vec<Label>,
    /// Float samples.
    #[prost(message, repeated, tag = "2")]
    pub samples: Vec<Sample>,
    /// Exemplars (decoded, not stored by Pharos).
    #[prost(message, repeated, tag = "3")]
    pub exemplars: Vec<Exemplar>,
    /// Native histogram samples; only their timestamps are decoded (see the module docs).
    #[prost(message, repeated, tag = "4")]
    pub histograms: Vec<Histogram>,
}

/// A label pair.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct Label {
    /// Label name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// Label value.
    #[prost(string, tag = "2")]
    pub value: String,
}

/// A float sample.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Sample {
    /// The value.
    #[prost(double, tag = "1")]
    pub value: f64,
    /// Milliseconds since the Unix epoch.
    #[prost(int64, tag = "2")]
    pub timestamp: i64,
}

/// An exemplar attached to a series.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Exemplar {
    /// The exemplar's own labels (a trace id, typically).
    #[prost(message, repeated, tag = "1")]
    pub labels: Vec<Label>,
    /// The observed value.
    #[prost(double, tag = "2")]
    pub value: f64,
    /// Milliseconds since the Unix epoch.
    #[prost(int64, tag = "3")]
    pub timestamp: i64,
}

/// A native histogram sample, reduced to its timestamp (field 15 upstream); the buckets, counts
/// and spans are skipped while decoding.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Histogram {
    /// Milliseconds since the Unix epoch.
    #[prost(int64, tag = "15")]
    pub timestamp: i64,
}

/// Metadata of a metric family.
#[derive(Clone, PartialEq, prost::Message)]
pub struct MetricMetadata {
    /// The family's type, a [`MetricType`] value.
    #[prost(enumeration = "MetricType", tag = "1")]
    pub r#type: i32,
    /// The family name.
    #[prost(string, tag = "2")]
    pub metric_family_name: String,
    /// The `HELP` text.
    #[prost(string, tag = "4")]
    pub help: String,
    /// The unit.
    #[prost(string, tag = "5")]
    pub unit: String,
}

/// Metric types of [`MetricMetadata`], with `prompb`'s numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum MetricType {
    /// Unknown or untyped.
    Unknown = 0,
    /// Counter.
    Counter = 1,
    /// Gauge.
    Gauge = 2,
    /// Histogram (classic).
    Histogram = 3,
    /// OpenMetrics gauge histogram.
    Gaugehistogram = 4,
    /// Summary.
    Summary = 5,
    /// OpenMetrics info.
    Info = 6,
    /// OpenMetrics state set.
    Stateset = 7,
}

/// Bounds on a remote-write body; [`decode`] refuses anything beyond them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemoteLimits {
    /// Largest compressed body, in bytes.
    pub max_compressed_bytes: usize,
    /// Largest body after Snappy decompression, in bytes (read from the block header before
    /// anything is allocated).
    pub max_decompressed_bytes: usize,
    /// Most series in one request.
    pub max_series: usize,
    /// Most float samples in one request.
    pub max_samples: usize,
    /// Most labels on one series, `__name__` included.
    pub max_labels_per_series: usize,
    /// Longest label name, in bytes.
    pub max_label_name_len: usize,
    /// Longest label value, in bytes.
    pub max_label_value_len: usize,
}

impl Default for RemoteLimits {
    /// 32 MiB compressed (VictoriaMetrics' `-maxInsertRequestSize`), 128 MiB decompressed,
    /// 100,000 series and 1,000,000 samples, and the label bounds of the agent protocol
    /// ([`crate::frame::Limits`]: 64 labels, 256-byte names, 4096-byte values).
    fn default() -> Self {
        RemoteLimits {
            max_compressed_bytes: 32 * 1024 * 1024,
            max_decompressed_bytes: 128 * 1024 * 1024,
            max_series: 100_000,
            max_samples: 1_000_000,
            max_labels_per_series: 64,
            max_label_name_len: 256,
            max_label_value_len: 4096,
        }
    }
}

impl RemoteLimits {
    /// These limits with the label bounds of the agent protocol's `limits`.
    pub fn with_label_limits(self, limits: &crate::frame::Limits) -> Self {
        RemoteLimits {
            max_labels_per_series: limits.max_labels_per_series as usize,
            max_label_name_len: limits.max_label_name_len as usize,
            max_label_value_len: limits.max_label_value_len as usize,
            ..self
        }
    }
}

/// Why a remote-write body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// The compressed body is larger than allowed.
    #[error("request body of {size} bytes is larger than the {max} bytes allowed")]
    CompressedTooLarge {
        /// Body size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The body would decompress to more than allowed.
    #[error("request body decompresses to {size} bytes, more than the {max} bytes allowed")]
    DecompressedTooLarge {
        /// Size announced by the Snappy header.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The body is not Snappy block-format data.
    #[error("snappy: {0}")]
    Snappy(String),
    /// The decompressed body is not a valid `WriteRequest`.
    #[error("protobuf: {0}")]
    Protobuf(String),
    /// Too many series.
    #[error("request has {count} series, more than the {max} allowed")]
    TooManySeries {
        /// Series in the request.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Too many samples.
    #[error("request has {count} samples, more than the {max} allowed")]
    TooManySamples {
        /// Samples in the request.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A series has too many labels.
    #[error("series {series} has {count} labels, more than the {max} allowed")]
    TooManyLabels {
        /// The series, in Prometheus notation (shortened).
        series: String,
        /// Its label count.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A label name is too long.
    #[error("label name of {len} bytes in series {series} is longer than the {max} bytes allowed")]
    LabelNameTooLong {
        /// The series (shortened).
        series: String,
        /// The name's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A label value is too long.
    #[error("value of label {name:?} ({len} bytes) in series {series} is longer than the {max} bytes allowed")]
    LabelValueTooLong {
        /// The series (shortened).
        series: String,
        /// The label's name.
        name: String,
        /// The value's length.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// Serialises `req` to protobuf and compresses it with Snappy's block format: a remote-write body.
pub fn encode(req: &WriteRequest) -> Vec<u8> {
    let raw = req.encode_to_vec();
    // Compressing into a Vec only fails when the input exceeds Snappy's 4 GiB block limit;
    // the senders' batches are far below it, and an empty body is the safe answer otherwise.
    snap::raw::Encoder::new().compress_vec(&raw).unwrap_or_default()
}

/// Decompresses and decodes a remote-write body, checking `limits` at each step.
pub fn decode(body: &[u8], limits: &RemoteLimits) -> Result<WriteRequest, RemoteError> {
    if body.len() > limits.max_compressed_bytes {
        return Err(RemoteError::CompressedTooLarge { size: body.len(), max: limits.max_compressed_bytes });
    }
    let size = snap::raw::decompress_len(body).map_err(|e| RemoteError::Snappy(e.to_string()))?;
    if size > limits.max_decompressed_bytes {
        return Err(RemoteError::DecompressedTooLarge { size, max: limits.max_decompressed_bytes });
    }
    let raw = snap::raw::Decoder::new().decompress_vec(body).map_err(|e| RemoteError::Snappy(e.to_string()))?;
    let req = WriteRequest::decode(raw.as_slice()).map_err(|e| RemoteError::Protobuf(e.to_string()))?;
    check(&req, limits)?;
    Ok(req)
}

/// Checks the series, sample and label bounds of a decoded request.
fn check(req: &WriteRequest, limits: &RemoteLimits) -> Result<(), RemoteError> {
    if req.timeseries.len() > limits.max_series {
        return Err(RemoteError::TooManySeries { count: req.timeseries.len(), max: limits.max_series });
    }
    let samples: usize = req.timeseries.iter().map(|ts| ts.samples.len()).sum();
    if samples > limits.max_samples {
        return Err(RemoteError::TooManySamples { count: samples, max: limits.max_samples });
    }
    for ts in &req.timeseries {
        if ts.labels.len() > limits.max_labels_per_series {
            return Err(RemoteError::TooManyLabels {
                series: describe(&ts.labels),
                count: ts.labels.len(),
                max: limits.max_labels_per_series,
            });
        }
        for l in &ts.labels {
            if l.name.len() > limits.max_label_name_len {
                return Err(RemoteError::LabelNameTooLong {
                    series: describe(&ts.labels),
                    len: l.name.len(),
                    max: limits.max_label_name_len,
                });
            }
            if l.value.len() > limits.max_label_value_len {
                return Err(RemoteError::LabelValueTooLong {
                    series: describe(&ts.labels),
                    name: shorten(&l.name),
                    len: l.value.len(),
                    max: limits.max_label_value_len,
                });
            }
        }
    }
    Ok(())
}

/// A series' labels for an error message, each part shortened so the message stays small.
fn describe(labels: &[Label]) -> String {
    let parts: Vec<String> =
        labels.iter().take(8).map(|l| format!("{}={:?}", shorten(&l.name), shorten(&l.value))).collect();
    let more = if labels.len() > 8 { ", ..." } else { "" };
    format!("{{{}{more}}}", parts.join(", "))
}

fn shorten(s: &str) -> String {
    const MAX: usize = 64;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

impl TimeSeries {
    /// The series in Pharos' model: labels normalised as [`Labels::from_vec`] does (sorted, last
    /// of a repeated name wins, empty values dropped) and the float samples as sent.
    pub fn to_series(&self) -> Series {
        let labels =
            Labels::from_vec(self.labels.iter().map(|l| ModelLabel::new(l.name.clone(), l.value.clone())).collect());
        let samples = self.samples.iter().map(|s| ModelSample { timestamp_ms: s.timestamp, value: s.value }).collect();
        Series { labels, samples }
    }

    /// A remote-write series from Pharos' model (labels already sorted, as the spec asks).
    pub fn from_series(series: &Series) -> Self {
        TimeSeries {
            labels: series.labels.iter().map(|l| Label { name: l.name.clone(), value: l.value.clone() }).collect(),
            samples: series.samples.iter().map(|s| Sample { value: s.value, timestamp: s.timestamp_ms }).collect(),
            exemplars: Vec::new(),
            histograms: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, samples: &[(i64, f64)]) -> TimeSeries {
        TimeSeries {
            labels: vec![
                Label { name: "__name__".into(), value: name.into() },
                Label { name: "job".into(), value: "j".into() },
            ],
            samples: samples.iter().map(|&(timestamp, value)| Sample { value, timestamp }).collect(),
            exemplars: Vec::new(),
            histograms: Vec::new(),
        }
    }

    /// Appends a protobuf varint.
    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    /// A length-delimited field.
    fn field_bytes(out: &mut Vec<u8>, tag: u64, bytes: &[u8]) {
        varint(out, tag << 3 | 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }

    /// The wire bytes of `up{job="j"} 1 @ 1000`, written from the field numbers of
    /// `prompb/types.proto` and `remote.proto`, independently of the derive.
    fn hand_encoded() -> Vec<u8> {
        let mut label1 = Vec::new();
        field_bytes(&mut label1, 1, b"__name__");
        field_bytes(&mut label1, 2, b"up");
        let mut label2 = Vec::new();
        field_bytes(&mut label2, 1, b"job");
        field_bytes(&mut label2, 2, b"j");
        let mut sample = Vec::new();
        sample.push(1 << 3 | 1); // value: double, fixed64
        sample.extend_from_slice(&1.0f64.to_le_bytes());
        sample.push(2 << 3); // timestamp: int64, varint
        varint(&mut sample, 1000);
        let mut ts = Vec::new();
        field_bytes(&mut ts, 1, &label1);
        field_bytes(&mut ts, 1, &label2);
        field_bytes(&mut ts, 2, &sample);
        let mut req = Vec::new();
        field_bytes(&mut req, 1, &ts);
        req
    }

    #[test]
    fn derived_messages_use_the_upstream_field_numbers() {
        let req = WriteRequest { timeseries: vec![series("up", &[(1000, 1.0)])], metadata: Vec::new() };
        assert_eq!(req.encode_to_vec(), hand_encoded());
        assert_eq!(WriteRequest::decode(hand_encoded().as_slice()).unwrap(), req);
    }

    #[test]
    fn encode_uses_the_snappy_block_format_and_round_trips() {
        let stale = crate::model::stale_nan();
        let req = WriteRequest {
            timeseries: vec![series("a", &[(1, 0.5), (2, stale), (3, f64::INFINITY)]), series("b", &[(-5, -1.0)])],
            metadata: vec![MetricMetadata {
                r#type: MetricType::Counter as i32,
                metric_family_name: "a".into(),
                help: "help".into(),
                unit: String::new(),
            }],
        };
        let body = encode(&req);
        // Block format: the body starts with the uncompressed length as a varint (the framed
        // format would start with the stream identifier chunk 0xff 0x06 0x00 0x00 "sNaPpY").
        let raw = req.encode_to_vec();
        let mut prefix = Vec::new();
        varint(&mut prefix, raw.len() as u64);
        assert!(body.starts_with(&prefix));
        assert_eq!(snap::raw::Decoder::new().decompress_vec(&body).unwrap(), raw);
        let back = decode(&body, &RemoteLimits::default()).unwrap();
        assert_eq!(back.timeseries.len(), 2);
        assert_eq!(back.metadata, req.metadata);
        // NaN != NaN, so compare the bits: the staleness marker must survive exactly.
        let bits: Vec<u64> = back.timeseries[0].samples.iter().map(|s| s.value.to_bits()).collect();
        assert_eq!(bits, [0.5f64.to_bits(), stale.to_bits(), f64::INFINITY.to_bits()]);
        assert_eq!(back.timeseries[1].samples[0].timestamp, -5);
    }

    #[test]
    fn framed_snappy_and_garbage_are_refused() {
        let raw = hand_encoded();
        let mut framed = Vec::new();
        let mut enc = snap::write::FrameEncoder::new(Vec::new());
        std::io::Write::write_all(&mut enc, &raw).unwrap();
        framed.extend(enc.into_inner().unwrap());
        assert!(matches!(decode(&framed, &RemoteLimits::default()), Err(RemoteError::Snappy(_))));
        // Valid Snappy around bytes that are not a WriteRequest (a truncated message).
        let garbage = snap::raw::Encoder::new().compress_vec(&raw[..raw.len() - 3]).unwrap();
        assert!(matches!(decode(&garbage, &RemoteLimits::default()), Err(RemoteError::Protobuf(_))));
        // Uncompressed protobuf (a sender that forgot Snappy).
        assert!(decode(&raw, &RemoteLimits::default()).is_err());
    }

    #[test]
    fn histograms_and_exemplars_are_skipped_but_counted() {
        // A histogram with count_int (1), sum (3), schema (4, sint32), a positive span (11) and
        // deltas (12) before its timestamp (15): only the timestamp is kept.
        let mut h = Vec::new();
        h.push(1 << 3);
        varint(&mut h, 7);
        h.push(3 << 3 | 1);
        h.extend_from_slice(&2.5f64.to_le_bytes());
        h.push(4 << 3);
        varint(&mut h, 6);
        let mut span = Vec::new();
        span.push(1 << 3);
        varint(&mut span, 0);
        span.push(2 << 3);
        varint(&mut span, 2);
        field_bytes(&mut h, 11, &span);
        field_bytes(&mut h, 12, &[2, 1]);
        h.push(15 << 3);
        varint(&mut h, 123_456);
        let mut ex = Vec::new();
        let mut trace = Vec::new();
        field_bytes(&mut trace, 1, b"trace_id");
        field_bytes(&mut trace, 2, b"abc");
        field_bytes(&mut ex, 1, &trace);
        ex.push(2 << 3 | 1);
        ex.extend_from_slice(&3.0f64.to_le_bytes());
        let mut ts = Vec::new();
        let mut name = Vec::new();
        field_bytes(&mut name, 1, b"__name__");
        field_bytes(&mut name, 2, b"h");
        field_bytes(&mut ts, 1, &name);
        field_bytes(&mut ts, 3, &ex);
        field_bytes(&mut ts, 4, &h);
        let mut req = Vec::new();
        field_bytes(&mut req, 1, &ts);
        let body = snap::raw::Encoder::new().compress_vec(&req).unwrap();
        let back = decode(&body, &RemoteLimits::default()).unwrap();
        let ts = &back.timeseries[0];
        assert_eq!(ts.histograms, [Histogram { timestamp: 123_456 }]);
        assert_eq!(ts.exemplars[0].labels[0].value, "abc");
        assert_eq!(ts.exemplars[0].value, 3.0);
        assert!(ts.samples.is_empty());
    }

    #[test]
    fn limits_are_enforced_with_typed_errors() {
        let big_value = "v".repeat(100);
        let mut long = series("up", &[(1, 1.0), (2, 2.0)]);
        long.labels.push(Label { name: "x".into(), value: big_value });
        let body = encode(&WriteRequest { timeseries: vec![long.clone(), series("b", &[(1, 1.0)])], metadata: vec![] });
        let base = RemoteLimits::default();
        type Expect = fn(&RemoteError) -> bool;
        let cases: Vec<(RemoteLimits, Expect)> = vec![
            (RemoteLimits { max_compressed_bytes: 10, ..base }, |e| {
                matches!(e, RemoteError::CompressedTooLarge { max: 10, .. })
            }),
            (RemoteLimits { max_decompressed_bytes: 20, ..base }, |e| {
                matches!(e, RemoteError::DecompressedTooLarge { max: 20, .. })
            }),
            (RemoteLimits { max_series: 1, ..base }, |e| matches!(e, RemoteError::TooManySeries { count: 2, max: 1 })),
            (RemoteLimits { max_samples: 2, ..base }, |e| {
                matches!(e, RemoteError::TooManySamples { count: 3, max: 2 })
            }),
            (RemoteLimits { max_labels_per_series: 2, ..base }, |e| {
                matches!(e, RemoteError::TooManyLabels { count: 3, max: 2, .. })
            }),
            (RemoteLimits { max_label_name_len: 3, ..base }, |e| {
                matches!(e, RemoteError::LabelNameTooLong { len: 8, max: 3, .. })
            }),
            (RemoteLimits { max_label_value_len: 99, ..base }, |e| {
                matches!(e, RemoteError::LabelValueTooLong { len: 100, max: 99, .. })
            }),
        ];
        for (limits, expected) in cases {
            let err = decode(&body, &limits).unwrap_err();
            assert!(expected(&err), "{limits:?}: {err}");
        }
        assert!(decode(&body, &base).is_ok());
    }

    #[test]
    fn conversion_to_the_model_normalises_labels() {
        let mut ts = series("up", &[(5, 1.5)]);
        ts.labels.insert(0, Label { name: "z".into(), value: String::new() });
        ts.labels.push(Label { name: "a".into(), value: "1".into() });
        let s = ts.to_series();
        let names: Vec<&str> = s.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["__name__", "a", "job"]);
        assert_eq!(s.samples, [ModelSample { timestamp_ms: 5, value: 1.5 }]);
        let back = TimeSeries::from_series(&s);
        assert_eq!(back.labels.len(), 3);
        assert_eq!(back.samples, [Sample { value: 1.5, timestamp: 5 }]);
    }
}
