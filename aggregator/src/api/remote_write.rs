//! `POST /api/v1/write`: the Prometheus remote-write 1.0 receiver, so Prometheus servers, vmagent
//! and other senders can write into Pharos.
//!
//! It answers as Prometheus 2.42's receiver (`storage/remote/write_handler.go`) does: `204 No
//! Content` once the samples are durably stored; `400` with a plain-text error when the body does
//! not decode (not Snappy block format, not a `WriteRequest`) or a sample is refused as out of
//! order, too old or too far in the future (a retry could not succeed, so the sender must not
//! retry); `500` when storage fails (the sender retries). Like 2.42, the receiver does not insist
//! on the headers: `Content-Type`, `Content-Encoding` and `X-Prometheus-Remote-Write-Version` may
//! be missing. Two explicit refusals are added, since decoding such a body could only fail or
//! misread it: a `Content-Encoding` other than `snappy` (400), and a remote-write 2.0 content type
//! (`proto=io.prometheus.write.v2.Request`, 415, which newer senders take as "fall back to 1.0").
//!
//! Differences from 2.42, where Pharos' storage differs: a refused sample does not roll the whole
//! request back (the other samples stay stored, and the error says how many were refused), and
//! Pharos' out-of-order window accepts what Prometheus' head would refuse as out of order.
//! Native histogram samples and exemplars are decoded and dropped (Pharos stores float samples
//! only), counted in `pharos_remote_write_received_histograms_dropped_total` and
//! `..._exemplars_dropped_total`.
//!
//! Bodies are bounded by [`RemoteLimits`] (compressed and decompressed size, series, samples,
//! labels per series, label name and value length).

use crate::storage::Storage;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use pharos_protocol::remote::{self, RemoteLimits, WriteRequest};
use pharos_protocol::Series;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

static REQUESTS: AtomicU64 = AtomicU64::new(0);
static BAD_REQUESTS: AtomicU64 = AtomicU64::new(0);
static SAMPLES: AtomicU64 = AtomicU64::new(0);
static REJECTED_SAMPLES: AtomicU64 = AtomicU64::new(0);
static HISTOGRAMS_DROPPED: AtomicU64 = AtomicU64::new(0);
static EXEMPLARS_DROPPED: AtomicU64 = AtomicU64::new(0);

/// Process-wide counters of the receiver, for self-metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReceiveStats {
    /// Requests received.
    pub requests: u64,
    /// Requests answered with a 4xx or 5xx.
    pub failed_requests: u64,
    /// Float samples stored.
    pub samples: u64,
    /// Float samples refused by storage.
    pub rejected_samples: u64,
    /// Native histogram samples dropped.
    pub histograms_dropped: u64,
    /// Exemplars dropped.
    pub exemplars_dropped: u64,
}

/// The receiver's counters since the process started.
pub fn stats() -> ReceiveStats {
    ReceiveStats {
        requests: REQUESTS.load(Ordering::Relaxed),
        failed_requests: BAD_REQUESTS.load(Ordering::Relaxed),
        samples: SAMPLES.load(Ordering::Relaxed),
        rejected_samples: REJECTED_SAMPLES.load(Ordering::Relaxed),
        histograms_dropped: HISTOGRAMS_DROPPED.load(Ordering::Relaxed),
        exemplars_dropped: EXEMPLARS_DROPPED.load(Ordering::Relaxed),
    }
}

/// What the handler needs.
#[derive(Clone)]
struct WriteState {
    storage: Arc<dyn Storage>,
    limits: RemoteLimits,
}

/// The `/api/v1/write` route, writing into `storage` with bodies bounded by `limits`.
pub fn router(storage: Arc<dyn Storage>, limits: RemoteLimits) -> Router {
    Router::new().route("/api/v1/write", post(write)).with_state(WriteState { storage, limits })
}

/// A plain-text answer, as Go's `http.Error` writes it.
fn text(status: StatusCode, message: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{message}\n")).into_response()
}

/// The refusal of headers that announce a body this receiver cannot decode, if any.
fn refuse_headers(headers: &HeaderMap) -> Option<Response> {
    if let Some(v) = headers.get(header::CONTENT_ENCODING) {
        let v = v.to_str().unwrap_or("").trim();
        if !v.is_empty() && !v.eq_ignore_ascii_case("snappy") {
            return Some(text(
                StatusCode::BAD_REQUEST,
                &format!("unsupported Content-Encoding {v:?}: remote write bodies are snappy-compressed"),
            ));
        }
    }
    if let Some(v) = headers.get(header::CONTENT_TYPE) {
        let v = v.to_str().unwrap_or("");
        if v.contains("io.prometheus.write.v2.Request") {
            return Some(text(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &format!("unsupported Content-Type {v:?}: only remote write 1.0 (prometheus.WriteRequest) is accepted"),
            ));
        }
    }
    None
}

/// `POST /api/v1/write`.
async fn write(State(state): State<WriteState>, headers: HeaderMap, body: Body) -> Response {
    REQUESTS.fetch_add(1, Ordering::Relaxed);
    let response = handle(state, &headers, body).await;
    if !response.status().is_success() {
        BAD_REQUESTS.fetch_add(1, Ordering::Relaxed);
    }
    response
}

async fn handle(state: WriteState, headers: &HeaderMap, body: Body) -> Response {
    if let Some(refusal) = refuse_headers(headers) {
        return refusal;
    }
    // One byte over the limit is enough to tell "too large" from "exactly at the limit".
    let read_limit = state.limits.max_compressed_bytes.saturating_add(1);
    let body = match axum::body::to_bytes(body, read_limit).await {
        Ok(b) => b,
        Err(e) => {
            let message = format!(
                "reading the request body: {e} (bodies are limited to {} bytes)",
                state.limits.max_compressed_bytes
            );
            return text(StatusCode::BAD_REQUEST, &message);
        }
    };
    let storage = state.storage.clone();
    let limits = state.limits;
    let result = tokio::task::spawn_blocking(move || store(storage.as_ref(), &body, &limits)).await;
    match result {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "remote write request refused");
            text(e.status(), &e.to_string())
        }
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("remote write worker failed: {e}")),
    }
}

/// Why a remote-write request was not (fully) stored.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The body does not decode or is over a limit.
    #[error("{0}")]
    Decode(#[from] remote::RemoteError),
    /// Storage refused some samples; the others were stored.
    #[error("storage refused {rejected} of {total} samples ({reasons}); the other samples were stored")]
    Rejected {
        /// Samples refused.
        rejected: u64,
        /// Samples in the request.
        total: u64,
        /// `reason=count` pairs.
        reasons: String,
    },
    /// Storage failed; nothing of the request is known to be stored.
    #[error("storing the samples: {0}")]
    Storage(#[from] crate::storage::StorageError),
}

impl WriteError {
    /// The HTTP status: 400 for what a retry cannot fix, 500 for storage failures.
    pub fn status(&self) -> StatusCode {
        match self {
            WriteError::Decode(_) | WriteError::Rejected { .. } => StatusCode::BAD_REQUEST,
            WriteError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The float series of a request in Pharos' model, samples in time order; series without float
/// samples are left out. Counts the dropped histograms and exemplars.
pub fn to_series(req: &WriteRequest) -> Vec<Series> {
    let mut out = Vec::with_capacity(req.timeseries.len());
    let (mut histograms, mut exemplars) = (0u64, 0u64);
    for ts in &req.timeseries {
        histograms += ts.histograms.len() as u64;
        exemplars += ts.exemplars.len() as u64;
        if ts.samples.is_empty() {
            continue;
        }
        let mut s = ts.to_series();
        // Stable: of two samples with one timestamp the later one wins, as in storage.
        s.samples.sort_by_key(|s| s.timestamp_ms);
        out.push(s);
    }
    // Warn once per process; the counter tells how many followed.
    if histograms > 0 && HISTOGRAMS_DROPPED.fetch_add(histograms, Ordering::Relaxed) == 0 {
        tracing::warn!("remote write: native histogram samples are not supported and are dropped");
    }
    EXEMPLARS_DROPPED.fetch_add(exemplars, Ordering::Relaxed);
    out
}

/// Decodes `body` and stores its float samples durably.
pub fn store(storage: &dyn Storage, body: &[u8], limits: &RemoteLimits) -> Result<(), WriteError> {
    let req = remote::decode(body, limits)?;
    let series = to_series(&req);
    drop(req);
    if series.is_empty() {
        return Ok(());
    }
    let total: u64 = series.iter().map(|s| s.samples.len() as u64).sum();
    let stats = storage.append(&series, None)?;
    SAMPLES.fetch_add(stats.accepted, Ordering::Relaxed);
    let rejected = stats.rejected.total();
    if rejected > 0 {
        REJECTED_SAMPLES.fetch_add(rejected, Ordering::Relaxed);
        let reasons = stats.rejected.by_reason();
        let reasons: Vec<String> = reasons.iter().filter(|(_, n)| *n > 0).map(|(r, n)| format!("{r}={n}")).collect();
        return Err(WriteError::Rejected { rejected, total, reasons: reasons.join(" ") });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::MemoryStorage;
    use crate::storage::Matcher;
    use axum::http::Request;
    use pharos_protocol::remote::{Histogram, Label, Sample, TimeSeries};
    use tower::ServiceExt;

    fn ts(name: &str, samples: &[(i64, f64)]) -> TimeSeries {
        TimeSeries {
            labels: vec![
                Label { name: "__name__".into(), value: name.into() },
                Label { name: "instance".into(), value: "i".into() },
            ],
            samples: samples.iter().map(|&(timestamp, value)| Sample { value, timestamp }).collect(),
            exemplars: vec![],
            histograms: vec![],
        }
    }

    async fn post(app: Router, body: Vec<u8>, headers: &[(&str, &str)]) -> (StatusCode, String) {
        let mut req = Request::post("/api/v1/write");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = app.oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    const PROMETHEUS_HEADERS: &[(&str, &str)] = &[
        ("Content-Encoding", "snappy"),
        ("Content-Type", "application/x-protobuf"),
        ("X-Prometheus-Remote-Write-Version", "0.1.0"),
    ];

    #[tokio::test]
    async fn stores_samples_and_answers_204() {
        let storage = Arc::new(MemoryStorage::new());
        let app = router(storage.clone(), RemoteLimits::default());
        let mut h = ts("h", &[]);
        h.histograms.push(Histogram { timestamp: 5 });
        let req = WriteRequest { timeseries: vec![ts("up", &[(2000, 1.0), (1000, 0.0)]), h], metadata: vec![] };
        let (status, body) = post(app.clone(), remote::encode(&req), PROMETHEUS_HEADERS).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let got = storage.select(&[Matcher::equal("__name__", "up")], 0, 10_000).unwrap();
        assert_eq!(got.len(), 1);
        let samples: Vec<(i64, f64)> = got[0].samples.iter().map(|s| (s.timestamp_ms, s.value)).collect();
        assert_eq!(samples, [(1000, 0.0), (2000, 1.0)]);
        assert_eq!(got[0].labels.get("instance"), Some("i"));
        // Headers are optional, as in Prometheus 2.42.
        let req = WriteRequest { timeseries: vec![ts("up", &[(3000, 1.0)])], metadata: vec![] };
        let (status, _) = post(app, remote::encode(&req), &[]).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(storage.select(&[Matcher::equal("__name__", "up")], 0, 10_000).unwrap()[0].samples.len(), 3);
    }

    #[tokio::test]
    async fn bad_bodies_and_headers_get_plain_text_errors() {
        let storage = Arc::new(MemoryStorage::new());
        let limits = RemoteLimits { max_compressed_bytes: 1000, ..RemoteLimits::default() };
        let app = router(storage.clone(), limits);
        let (status, body) = post(app.clone(), b"not snappy at all".to_vec(), PROMETHEUS_HEADERS).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.starts_with("snappy:") || body.starts_with("protobuf:"), "{body}");
        let (status, body) = post(app.clone(), vec![0; 1001], PROMETHEUS_HEADERS).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("1000 bytes"), "{body}");
        let valid = remote::encode(&WriteRequest { timeseries: vec![ts("up", &[(1, 1.0)])], metadata: vec![] });
        let (status, body) = post(app.clone(), valid.clone(), &[("Content-Encoding", "gzip")]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("gzip"), "{body}");
        let v2 = [("Content-Type", "application/x-protobuf;proto=io.prometheus.write.v2.Request")];
        let (status, _) = post(app, valid, &v2).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(storage.select(&[Matcher::equal("__name__", "up")], 0, 10).unwrap().is_empty());
    }

    #[test]
    fn refused_samples_are_a_400_naming_the_reason() {
        use crate::storage::rocks::{self, RocksOptions};
        let dir = tempfile::tempdir().unwrap();
        let opts = RocksOptions { out_of_order_window: std::time::Duration::from_secs(1), ..RocksOptions::default() };
        let storage = rocks::open(dir.path(), opts).unwrap();
        let now = crate::now_ms();
        let body = remote::encode(&WriteRequest { timeseries: vec![ts("up", &[(now, 1.0)])], metadata: vec![] });
        store(&storage, &body, &RemoteLimits::default()).unwrap();
        let old = now - 3_600_000;
        let body = remote::encode(&WriteRequest {
            timeseries: vec![ts("up", &[(old, 1.0)]), ts("b", &[(now, 2.0)])],
            metadata: vec![],
        });
        let err = store(&storage, &body, &RemoteLimits::default()).unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.to_string().contains("out_of_order=1"), "{err}");
        // The other series of the request was stored.
        assert_eq!(storage.select(&[Matcher::equal("__name__", "b")], 0, i64::MAX).unwrap().len(), 1);
    }
}
