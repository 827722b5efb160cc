//! `GET /federate`: Prometheus 2.42's federation endpoint (`web/federate.go`), so an existing
//! Prometheus can scrape Pharos with `honor_labels: true`.
//!
//! For the union of the series matching the `match[]` selectors, the latest sample within the
//! lookback delta before now (`[query] lookback_delta`); a series whose latest sample is a
//! staleness marker is left out, as the exposition formats cannot carry one. The samples are
//! written sorted by metric name as `untyped` families with their timestamps, each followed by
//! the external labels (`[rules] external_labels`) it does not carry itself and by `instance=""`
//! unless an external label or the series names an instance (so the scraping Prometheus adds no
//! instance of its own). The format is negotiated as `expfmt.Negotiate` does: the text format
//! 0.0.4, or delimited protobuf when asked for; the body is gzip- or zlib-compressed as
//! Prometheus' `CompressionHandler` does.
//!
//! Where this differs from Prometheus: the protobuf text encodings (`encoding=text` and
//! `compact-text`) are not offered (a client asking only for those gets the text format, which
//! the Content-Type names), native histograms do not exist here, a response is limited to
//! [`MAX_SERIES`] series, and a selector whose matchers all match the empty value (`{job=""}`)
//! is refused with 400 as in `/api/v1/series`, where Prometheus 2.42's `/federate` would return
//! every series lacking the label. Without any `match[]` the answer is empty (200), as there.

use super::params::Params;
use super::{blocking, ApiState};
use crate::promql::parse_series_selector;
use crate::storage::{Matcher, Storage, StorageError};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pharos_protocol::exposition::format_float;
use pharos_protocol::model::{is_stale_nan, METRIC_NAME_LABEL};
use pharos_protocol::{Labels, Sample};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::atomic::Ordering;

/// Most series one federation response may hold (VictoriaMetrics has the same default for its
/// `-search.maxFederateSeries`); past it the request fails rather than the server's memory.
pub const MAX_SERIES: usize = 1_000_000;

/// The lookback window is read in slices of at most this length, newest first, so memory holds
/// one slice's samples rather than the whole window's.
const SLICE_MS: i64 = 60_000;

/// The text format 0.0.4's Content-Type, as `expfmt.FmtText` names it.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Delimited protobuf's Content-Type, as `expfmt.FmtProtoDelim` names it.
pub const PROTO_CONTENT_TYPE: &str =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

/// A response format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The text exposition format 0.0.4.
    Text,
    /// Length-delimited `io.prometheus.client.MetricFamily` protobuf messages.
    ProtoDelimited,
}

impl Format {
    /// The Content-Type of a response in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Text => TEXT_CONTENT_TYPE,
            Format::ProtoDelimited => PROTO_CONTENT_TYPE,
        }
    }
}

/// Why a federation request failed.
#[derive(Debug, thiserror::Error)]
pub enum FederateError {
    /// The form could not be read.
    #[error("error parsing form values: {0}")]
    Form(String),
    /// A `match[]` value is not a series selector (the parser's message, as Prometheus reports).
    #[error("{0}")]
    Selector(String),
    /// More series matched than one response may hold.
    #[error("federation would return more than {MAX_SERIES} series; narrow the match[] selectors")]
    TooManySeries,
    /// Storage failed.
    #[error("{0}")]
    Storage(#[from] StorageError),
    /// The worker thread failed.
    #[error("{0}")]
    Internal(String),
}

impl FederateError {
    /// The status Prometheus answers with (400 for bad input, 500 for the rest).
    pub fn status(&self) -> StatusCode {
        match self {
            FederateError::Form(_) | FederateError::Selector(_) | FederateError::TooManySeries => {
                StatusCode::BAD_REQUEST
            }
            FederateError::Storage(_) | FederateError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// `expfmt.Negotiate`: the acceptable format with the highest `q` in the `Accept` header (the
/// first of equals), else the text format. Like Go, only the first `Accept` header is read, and
/// an unparseable `q` counts as 0.
pub fn negotiate(headers: &HeaderMap) -> Format {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut best: Option<(f64, Format)> = None;
    for part in accept.split(',') {
        let mut fields = part.trim_matches(' ').split(';');
        let range = fields.next().unwrap_or("");
        let Some((typ, sub)) = range.split_once('/') else { continue };
        let (typ, sub) = (typ.trim_matches(' '), sub.trim_matches(' '));
        let mut q = 1.0;
        let (mut version, mut proto, mut encoding) = ("", "", "");
        for param in fields {
            let Some((k, v)) = param.split_once('=') else { continue };
            let v = v.trim_matches(' ');
            match k.trim_matches(' ') {
                // Go parses q as a float32 and ignores the error (leaving 0).
                "q" => q = v.parse::<f32>().map_or(0.0, f64::from),
                "version" => version = v,
                "proto" => proto = v,
                "encoding" => encoding = v,
                _ => {}
            }
        }
        let format = if typ == "application"
            && sub == "vnd.google.protobuf"
            && proto == "io.prometheus.client.MetricFamily"
            && encoding == "delimited"
        {
            Format::ProtoDelimited
        } else if typ == "text" && sub == "plain" && (version.is_empty() || version == "0.0.4") {
            Format::Text
        } else {
            continue;
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, format));
        }
    }
    best.map_or(Format::Text, |(_, f)| f)
}

/// A body encoding, chosen as Prometheus' `CompressionHandler` does: the first of `gzip` or
/// `deflate` (exact tokens) listed in `Accept-Encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Deflate,
}

fn compression(headers: &HeaderMap) -> Compression {
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    for token in accept.split(',') {
        match token.trim() {
            "gzip" => return Compression::Gzip,
            "deflate" => return Compression::Deflate,
            _ => {}
        }
    }
    Compression::None
}

/// Compresses `body`; writing to memory cannot fail, but the encoder's API returns results.
fn compress(body: Vec<u8>, how: Compression) -> std::io::Result<Vec<u8>> {
    let level = flate2::Compression::default();
    match how {
        Compression::None => Ok(body),
        Compression::Gzip => {
            let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), level);
            enc.write_all(&body)?;
            enc.finish()
        }
        Compression::Deflate => {
            let mut enc = flate2::write::ZlibEncoder::new(Vec::with_capacity(body.len() / 4), level);
            enc.write_all(&body)?;
            enc.finish()
        }
    }
}

/// A response with `body`, compressed as negotiated.
fn reply(status: StatusCode, content_type: &'static str, body: Vec<u8>, how: Compression) -> Response {
    let (body, encoding) = match compress(body, how) {
        Ok(b) => (b, how),
        // Unreachable in practice (writes go to a Vec); send it uncompressed rather than fail.
        Err(_) => (Vec::new(), Compression::None),
    };
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    match encoding {
        Compression::Gzip => {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        Compression::Deflate => {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("deflate"));
        }
        Compression::None => {}
    }
    resp
}

/// Go's `http.Error`: the message and a newline as plain text.
fn error_reply(e: &FederateError, how: Compression) -> Response {
    let mut resp = reply(e.status(), "text/plain; charset=utf-8", format!("{e}\n").into_bytes(), how);
    resp.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    resp
}

/// `GET /federate?match[]=…`: 503 until the server is ready, as Prometheus' `readyf`.
pub(super) async fn federate(State(state): State<ApiState>, req: Request) -> Response {
    if !state.ready.load(Ordering::Acquire) {
        return (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response();
    }
    let how = compression(req.headers());
    let format = negotiate(req.headers());
    match run(state, req, format).await {
        Ok(body) => reply(StatusCode::OK, format.content_type(), body, how),
        Err(e) => error_reply(&e, how),
    }
}

/// Parses the selectors, reads the samples and encodes them.
async fn run(state: ApiState, req: Request, format: Format) -> Result<Vec<u8>, FederateError> {
    let params = Params::from_request(req).await.map_err(|e| FederateError::Form(e.message))?;
    let mut sets = Vec::new();
    for m in params.all("match[]") {
        sets.extend(parse_series_selector(m).map_err(|e| FederateError::Selector(e.to_string()))?);
    }
    let maxt = crate::now_ms();
    let mint = maxt.saturating_sub(state.engine.options().lookback_delta_ms);
    let storage = state.storage.clone();
    let external = state.external_labels.clone();
    blocking(move || -> Result<Vec<u8>, FederateError> {
        let samples = latest_samples(storage.as_ref(), &sets, mint, maxt)?;
        Ok(match format {
            Format::Text => encode_text(&samples, &external).into_bytes(),
            Format::ProtoDelimited => encode_proto(&samples, &external),
        })
    })
    .await
    .map_err(|e| FederateError::Internal(e.message))?
}

/// For each series matching any of `sets`, its latest sample in `[mint, maxt]`, unless that is a
/// staleness marker; sorted by metric name (then by labels). Nameless series are left out, as
/// Prometheus does.
pub fn latest_samples(
    storage: &dyn Storage,
    sets: &[Vec<Matcher>],
    mint: i64,
    maxt: i64,
) -> Result<Vec<(Labels, Sample)>, FederateError> {
    // `None`: the latest sample is a staleness marker; the series is decided and left out.
    let mut decided: BTreeMap<Labels, Option<Sample>> = BTreeMap::new();
    let mut hi = maxt;
    while hi >= mint && !sets.is_empty() {
        let lo = hi.saturating_sub(SLICE_MS - 1).max(mint);
        for set in sets {
            for s in storage.select(set, lo, hi)? {
                if decided.contains_key(&s.labels) {
                    continue;
                }
                // Samples come in timestamp order; the slice holds at least one.
                let Some(&last) = s.samples.last() else { continue };
                if decided.len() >= MAX_SERIES {
                    return Err(FederateError::TooManySeries);
                }
                decided.insert(s.labels, (!is_stale_nan(last.value)).then_some(last));
            }
        }
        hi = lo.saturating_sub(1);
        if lo == i64::MIN {
            break;
        }
    }
    let mut out: Vec<(Labels, Sample)> =
        decided.into_iter().filter_map(|(l, s)| s.filter(|_| l.metric_name().is_some()).map(|s| (l, s))).collect();
    // Stable, so series of one name stay in label order.
    out.sort_by(|a, b| a.0.metric_name().cmp(&b.0.metric_name()));
    Ok(out)
}

/// The labels of one sample as Prometheus writes them: the series' own (without `__name__`), then
/// each external label the series does not have, sorted by name, with `instance=""` among them
/// unless configured.
fn output_labels<'a>(series: &'a Labels, external: &'a Labels) -> impl Iterator<Item = (&'a str, &'a str)> {
    let own = series.iter().filter(|l| l.name != METRIC_NAME_LABEL).map(|l| (l.name.as_str(), l.value.as_str()));
    let instance = (external.get("instance").is_none() && series.get("instance").is_none()).then_some(("instance", ""));
    let mut extra: Vec<(&str, &str)> = external
        .iter()
        .filter(|l| series.get(&l.name).is_none())
        .map(|l| (l.name.as_str(), l.value.as_str()))
        .chain(instance)
        .collect();
    extra.sort_unstable_by(|a, b| a.0.cmp(b.0));
    own.chain(extra)
}

/// The text format, as `expfmt.MetricFamilyToText` writes untyped families without help.
pub fn encode_text(samples: &[(Labels, Sample)], external: &Labels) -> String {
    let mut out = String::with_capacity(samples.len() * 96);
    let mut last_name: Option<&str> = None;
    for (labels, sample) in samples {
        let Some(name) = labels.metric_name() else { continue };
        if last_name != Some(name) {
            out.push_str("# TYPE ");
            out.push_str(name);
            out.push_str(" untyped\n");
            last_name = Some(name);
        }
        out.push_str(name);
        let mut first = true;
        for (n, v) in output_labels(labels, external) {
            out.push(if first { '{' } else { ',' });
            first = false;
            out.push_str(n);
            out.push_str("=\"");
            for ch in v.chars() {
                match ch {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\n' => out.push_str("\\n"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        if !first {
            out.push('}');
        }
        out.push(' ');
        out.push_str(&format_float(sample.value));
        out.push(' ');
        out.push_str(&sample.timestamp_ms.to_string());
        out.push('\n');
    }
    out
}

/// Appends a protobuf varint.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-delimited field (wire type 2).
fn put_bytes(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_varint(out, u64::from(field << 3 | 2));
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// `io.prometheus.client.MetricType.UNTYPED`.
const PROTO_UNTYPED: u64 = 3;

/// One `io.prometheus.client.Metric`: labels (1), untyped (5) and timestamp_ms (6), in field
/// order as Go's marshaller writes them.
fn proto_metric(labels: &Labels, sample: &Sample, external: &Labels, out: &mut Vec<u8>) {
    let mut pair = Vec::new();
    for (n, v) in output_labels(labels, external) {
        pair.clear();
        put_bytes(&mut pair, 1, n.as_bytes());
        put_bytes(&mut pair, 2, v.as_bytes());
        put_bytes(out, 1, &pair);
    }
    let mut untyped = Vec::with_capacity(9);
    untyped.push(1 << 3 | 1); // value, fixed64
    untyped.extend_from_slice(&sample.value.to_le_bytes());
    put_bytes(out, 5, &untyped);
    put_varint(out, 6 << 3);
    // int64 varints carry negative numbers in two's complement.
    put_varint(out, sample.timestamp_ms as u64);
}

/// Delimited protobuf: one `MetricFamily` (name, type UNTYPED, metrics) per metric name, each
/// preceded by its length as a varint.
pub fn encode_proto(samples: &[(Labels, Sample)], external: &Labels) -> Vec<u8> {
    let mut out = Vec::new();
    let mut family = Vec::new();
    let mut metric = Vec::new();
    let mut i = 0;
    while i < samples.len() {
        let Some(name) = samples[i].0.metric_name() else {
            i += 1;
            continue;
        };
        family.clear();
        put_bytes(&mut family, 1, name.as_bytes());
        put_varint(&mut family, 3 << 3);
        put_varint(&mut family, PROTO_UNTYPED);
        while i < samples.len() && samples[i].0.metric_name() == Some(name) {
            metric.clear();
            proto_metric(&samples[i].0, &samples[i].1, external, &mut metric);
            put_bytes(&mut family, 4, &metric);
            i += 1;
        }
        put_varint(&mut out, family.len() as u64);
        out.extend_from_slice(&family);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::router;
    use crate::promql::{Engine, EngineOptions};
    use crate::storage::memory::MemoryStorage;
    use axum::body::Body;
    use pharos_protocol::{stale_nan, Series};
    use std::io::Read as _;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    use tower::ServiceExt;

    const PROM_ACCEPT: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    const PROM_ACCEPT_PROTO: &str = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    fn series(pairs: &[(&str, &str)], points: &[(i64, f64)]) -> Series {
        Series {
            labels: Labels::from_pairs(pairs.iter().copied()),
            samples: points.iter().map(|&(timestamp_ms, value)| Sample { timestamp_ms, value }).collect(),
        }
    }

    fn sets(selectors: &[&str]) -> Vec<Vec<Matcher>> {
        selectors.iter().flat_map(|s| parse_series_selector(s).expect("selector")).collect()
    }

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn negotiation_follows_expfmt() {
        assert_eq!(negotiate(&HeaderMap::new()), Format::Text);
        assert_eq!(negotiate(&accept(PROM_ACCEPT)), Format::Text);
        assert_eq!(negotiate(&accept(PROM_ACCEPT_PROTO)), Format::ProtoDelimited);
        assert_eq!(negotiate(&accept("text/plain;version=0.0.4;q=0.9, application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5")), Format::Text);
        assert_eq!(negotiate(&accept("text/plain;q=0.1, application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited")), Format::ProtoDelimited);
        // Not offered: the protobuf text encodings, other text versions, a wrong proto name.
        assert_eq!(
            negotiate(&accept("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")),
            Format::Text
        );
        assert_eq!(negotiate(&accept("application/vnd.google.protobuf;proto=other;encoding=delimited")), Format::Text);
        assert_eq!(negotiate(&accept("text/plain;version=0.0.3;q=1,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.2")), Format::ProtoDelimited);
        // An unparseable q is 0, below any positive one.
        assert_eq!(negotiate(&accept("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=x,text/plain;q=0.01")), Format::Text);
    }

    #[test]
    fn compression_takes_the_first_exact_token() {
        let enc = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).expect("header"));
            compression(&h)
        };
        assert_eq!(compression(&HeaderMap::new()), Compression::None);
        assert_eq!(enc("gzip"), Compression::Gzip);
        assert_eq!(enc("br, deflate, gzip"), Compression::Deflate);
        assert_eq!(enc("gzip;q=1.0"), Compression::None);
    }

    #[test]
    fn latest_sample_within_lookback_skipping_stale_series() {
        let storage = MemoryStorage::new();
        storage
            .append(
                &[
                    series(&[("__name__", "b"), ("job", "x")], &[(1_000, 1.0), (290_000, 2.0), (400_000, 9.0)]),
                    series(&[("__name__", "a"), ("job", "x")], &[(150_000, 3.0)]),
                    // Its latest sample in the window is a staleness marker: left out.
                    series(&[("__name__", "a"), ("job", "stale")], &[(200_000, 1.0), (250_000, stale_nan())]),
                    // Stale earlier, then back: the newer sample counts.
                    series(&[("__name__", "a"), ("job", "back")], &[(100_000, stale_nan()), (299_000, 4.0)]),
                    // Only older than the window.
                    series(&[("__name__", "a"), ("job", "old")], &[(10_000, 5.0), (19_999, 6.0)]),
                    // Exactly at the window's start: inside (the range is closed).
                    series(&[("__name__", "a"), ("job", "edge")], &[(20_000, 7.0)]),
                    series(&[("__name__", "c")], &[(300_000, 8.0)]),
                ],
                None,
            )
            .expect("append");
        // The window [20s, 300s]: a 280 s lookback before 300 s.
        let got = latest_samples(&storage, &sets(&["{job=~\".+\"}", "{__name__=\"c\"}", "b"]), 20_000, 300_000)
            .expect("select");
        let got: Vec<(String, i64, f64)> = got.iter().map(|(l, s)| (l.to_string(), s.timestamp_ms, s.value)).collect();
        assert_eq!(
            got,
            vec![
                (r#"a{job="back"}"#.to_string(), 299_000, 4.0),
                (r#"a{job="edge"}"#.to_string(), 20_000, 7.0),
                (r#"a{job="x"}"#.to_string(), 150_000, 3.0),
                (r#"b{job="x"}"#.to_string(), 290_000, 2.0),
                ("c{}".to_string(), 300_000, 8.0),
            ]
        );
        assert!(latest_samples(&storage, &[], 0, 300_000).expect("select").is_empty());
    }

    #[test]
    fn text_output_matches_expfmt() {
        let samples = vec![
            (
                Labels::from_pairs([("__name__", "a"), ("job", "j"), ("zone", "q\"x\\\ny")]),
                Sample { timestamp_ms: 1_500, value: 1e6 },
            ),
            (
                Labels::from_pairs([("__name__", "a"), ("cluster", "own"), ("instance", "h:1")]),
                Sample { timestamp_ms: -5, value: f64::NAN },
            ),
            (Labels::from_pairs([("__name__", "b")]), Sample { timestamp_ms: 0, value: f64::NEG_INFINITY }),
        ];
        let external = Labels::from_pairs([("cluster", "eu"), ("a_first", "1")]);
        let want = "# TYPE a untyped\n\
                    a{job=\"j\",zone=\"q\\\"x\\\\\\ny\",a_first=\"1\",cluster=\"eu\",instance=\"\"} 1e+06 1500\n\
                    a{cluster=\"own\",instance=\"h:1\",a_first=\"1\"} NaN -5\n\
                    # TYPE b untyped\n\
                    b{a_first=\"1\",cluster=\"eu\",instance=\"\"} -Inf 0\n";
        assert_eq!(encode_text(&samples, &external), want);
        // A configured instance replaces the empty one.
        let ext = Labels::from_pairs([("instance", "fed")]);
        assert_eq!(encode_text(&samples[2..], &ext), "# TYPE b untyped\nb{instance=\"fed\"} -Inf 0\n");
    }

    #[test]
    fn protobuf_output_is_delimited_metric_families() {
        let samples =
            vec![(Labels::from_pairs([("__name__", "m"), ("k", "v")]), Sample { timestamp_ms: 300, value: 0.5 })];
        let got = encode_proto(&samples, &Labels::default());
        let mut want_metric = vec![0x0a, 6, 0x0a, 1, b'k', 0x12, 1, b'v'];
        want_metric.extend([0x0a, 12, 0x0a, 8]);
        want_metric.extend(b"instance");
        want_metric.extend([0x12, 0]);
        want_metric.extend([0x2a, 9, 0x09]);
        want_metric.extend(0.5f64.to_le_bytes());
        want_metric.extend([0x30, 0xac, 0x02]);
        let mut want_family = vec![0x0a, 1, b'm', 0x18, 3, 0x22, want_metric.len() as u8];
        want_family.extend(&want_metric);
        let mut want = vec![want_family.len() as u8];
        want.extend(&want_family);
        assert_eq!(got, want);
        // Negative timestamps are ten-byte varints.
        let neg = encode_proto(&[(samples[0].0.clone(), Sample { timestamp_ms: -1, value: 0.5 })], &Labels::default());
        assert!(neg.ends_with(&[0x30, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    }

    fn app(ready: bool) -> axum::Router {
        let storage = Arc::new(MemoryStorage::new());
        let now = crate::now_ms();
        storage.append(&[series(&[("__name__", "up"), ("job", "j")], &[(now - 1_000, 1.0)])], None).expect("append");
        let dyn_storage: Arc<dyn Storage> = storage;
        let engine = Arc::new(Engine::new(dyn_storage.clone(), EngineOptions::default()));
        router(ApiState {
            storage: dyn_storage,
            engine,
            build_info: crate::api::build_info(),
            ready: Arc::new(AtomicBool::new(ready)),
            external_labels: Labels::from_pairs([("cluster", "eu")]),
        })
    }

    async fn send(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = axum::http::Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = app.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
        let (parts, body) = resp.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.expect("body");
        (parts.status, parts.headers, body.to_vec())
    }

    #[tokio::test]
    async fn endpoint_answers_like_prometheus() {
        let router = app(true);
        let (status, h, body) = send(&router, "/federate?match[]=up", &[("accept", PROM_ACCEPT)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(h[header::CONTENT_TYPE], TEXT_CONTENT_TYPE);
        let text = String::from_utf8(body).expect("utf-8");
        assert!(text.starts_with("# TYPE up untyped\nup{job=\"j\",cluster=\"eu\",instance=\"\"} 1 "), "{text}");

        // No match[]: nothing selected, as Prometheus 2.42 answers (200, empty).
        let (status, _, body) = send(&router, "/federate", &[]).await;
        assert_eq!((status, body.len()), (StatusCode::OK, 0));

        // A bad selector: 400 with the parser's message as plain text.
        for bad in ["/federate?match[]=up{", "/federate?match[]=rate(up[5m])", "/federate?match[]=%7Bjob%3D%22%22%7D"] {
            let (status, h, body) = send(&router, bad, &[]).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(h[header::CONTENT_TYPE], "text/plain; charset=utf-8");
            assert!(body.ends_with(b"\n") && body.len() > 1, "{bad}");
        }

        let (status, h, body) = send(&router, "/federate?match[]=up", &[("accept-encoding", "gzip")]).await;
        assert_eq!((status, &h[header::CONTENT_ENCODING]), (StatusCode::OK, &HeaderValue::from_static("gzip")));
        let mut plain = String::new();
        flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut plain).expect("gzip");
        assert!(plain.contains("up{job=\"j\""), "{plain}");

        let (status, h, body) = send(&router, "/federate?match[]=up", &[("accept", PROM_ACCEPT_PROTO)]).await;
        assert_eq!((status, &h[header::CONTENT_TYPE]), (StatusCode::OK, &HeaderValue::from_static(PROTO_CONTENT_TYPE)));
        assert_eq!(usize::from(body[0]) + 1, body.len());

        let (status, _, _) = send(&app(false), "/federate?match[]=up", &[]).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
