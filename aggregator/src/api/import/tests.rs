//! Tests of the import endpoint.
use super::*;
use crate::api::router;
use crate::promql::{Engine, EngineOptions};
use crate::storage::memory::MemoryStorage;
use crate::storage::{AppendStats, Checkpoint, Matcher};
use axum::http::Request;
use axum::Router;
use flate2::write::GzEncoder;
use serde_json::Value as Json;
use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use tower::ServiceExt;

fn app() -> (Router, Arc<MemoryStorage>) {
    let storage = Arc::new(MemoryStorage::new());
    let dyn_storage: Arc<dyn Storage> = storage.clone();
    let engine = Arc::new(Engine::new(dyn_storage.clone(), EngineOptions::default()));
    let state = ApiState {
        storage: dyn_storage,
        engine,
        build_info: crate::api::build_info(),
        ready: Arc::new(AtomicBool::new(true)),
        external_labels: Default::default(),
    };
    (router(state), storage)
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body");
    (status, String::from_utf8(body.to_vec()).expect("utf-8"))
}

fn import_req(body: impl Into<Body>, encoding: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/api/v1/import/prometheus").header("content-type", "text/plain");
    if let Some(e) = encoding {
        req = req.header("content-encoding", e);
    }
    req.body(body.into()).expect("request")
}

async fn query_json(app: &Router, uri: &str) -> Json {
    let (status, body) = send(app, Request::get(uri).body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).expect("json")
}

fn error_of(status: StatusCode, body: &str) -> (StatusCode, String, String) {
    let j: Json = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    assert_eq!(j["status"], "error", "{body}");
    (status, j["errorType"].as_str().unwrap_or_default().into(), j["error"].as_str().unwrap_or_default().into())
}

fn all_samples(storage: &MemoryStorage, name: &str) -> Vec<Series> {
    storage.select(&[Matcher::equal("__name__", name)], i64::MIN, i64::MAX).expect("select")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}

#[tokio::test]
async fn import_then_query_returns_the_values() {
    let (app, _) = app();
    let body = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n\
                http_requests_total{job=\"api\",instance=\"a:1\"} 1 15000\n\
                http_requests_total{job=\"api\",instance=\"a:1\"} 3.5 30000\n\
                \n\
                http_requests_total{instance=\"b:1\", job=\"api\"} 10 15000\n\
                http_requests_total{job=\"api\",instance=\"a:1\"} 7 45000\n\
                temperature -2.5e1 30000\n";
    let (status, text) = send(&app, import_req(body, None)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    assert!(text.is_empty());

    let j = query_json(&app, "/api/v1/query_range?query=http_requests_total&start=15&end=45&step=15").await;
    let result = j["data"]["result"].as_array().expect("result");
    assert_eq!(result.len(), 2, "{j}");
    assert_eq!(result[0]["metric"]["instance"], "a:1");
    let values: Vec<(f64, String)> = result[0]["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|p| (p[0].as_f64().expect("t"), p[1].as_str().expect("v").to_string()))
        .collect();
    assert_eq!(values, vec![(15.0, "1".into()), (30.0, "3.5".into()), (45.0, "7".into())]);
    assert_eq!(result[1]["metric"]["instance"], "b:1");
    assert_eq!(result[1]["values"][0][1], "10");

    let j = query_json(&app, "/api/v1/query?query=temperature&time=30").await;
    assert_eq!(j["data"]["result"][0]["value"][1], "-25", "{j}");
}

#[tokio::test]
async fn gzip_body_over_several_chunks() {
    let (app, storage) = app();
    // Over two chunks and larger than axum's 2 MB default limit for buffered bodies.
    let n = CHUNK_LINES * 2 + 123;
    let mut text = String::new();
    for i in 0..n {
        let series = i % 3;
        text.push_str(&format!("gz_metric{{series=\"s{series}\",padding=\"xxxxxxxxxxxxxxxx\"}} {i} {}\n", i * 1000));
    }
    let compressed = gzip(text.as_bytes());
    let before = stats().samples;
    let (status, body) = send(&app, import_req(compressed, Some("gzip"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let got = all_samples(&storage, "gz_metric");
    assert_eq!(got.len(), 3);
    assert_eq!(got.iter().map(|s| s.samples.len()).sum::<usize>(), n);
    let last = &got[(n - 1) % 3].samples;
    assert_eq!(last.last().map(|s| (s.timestamp_ms, s.value)), Some(((n as i64 - 1) * 1000, (n - 1) as f64)));
    assert!(stats().samples >= before + n as u64);

    // The same body uncompressed but labelled gzip is refused, and so is an unknown encoding.
    let (status, body) = send(&app, import_req(text.clone(), Some("gzip"))).await;
    let (status, kind, msg) = error_of(status, &body);
    assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "bad_data"), "{msg}");
    assert!(msg.contains("reading the request body"), "{msg}");
    let (status, body) = send(&app, import_req("a 1 1\n", Some("br"))).await;
    let (status, _, msg) = error_of(status, &body);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(msg.contains("Content-Encoding"), "{msg}");
}

#[tokio::test]
async fn bad_line_is_400_naming_the_line_and_the_stored_count() {
    let (app, storage) = app();
    let body = "ok_metric{a=\"1\"} 1 1000\nok_metric{a=\"1\"} 2 2000\n# comment\nok_metric{a=\"2\"} 3 1000\n\
                ok_metric{a=\"2\"} three 2000\nok_metric{a=\"2\"} 4 3000\n";
    let (status, text) = send(&app, import_req(body, None)).await;
    let (status, kind, msg) = error_of(status, &text);
    assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "bad_data"));
    assert!(msg.starts_with("line 5: expected float as value, got \"three\""), "{msg}");
    assert!(msg.contains("the 3 samples before this line were stored"), "{msg}");
    // Exactly the lines before the bad one are there; nothing after it.
    let got = all_samples(&storage, "ok_metric");
    let pairs: Vec<(String, Vec<i64>)> = got
        .iter()
        .map(|s| {
            (s.labels.get("a").unwrap_or_default().to_string(), s.samples.iter().map(|x| x.timestamp_ms).collect())
        })
        .collect();
    assert_eq!(pairs, vec![("1".into(), vec![1000, 2000]), ("2".into(), vec![1000])]);
}

#[tokio::test]
async fn lines_without_timestamp_get_the_server_time() {
    let (app, storage) = app();
    let before = crate::now_ms();
    let (status, text) =
        send(&app, import_req("no_ts{x=\"1\"} 42\nno_ts{x=\"2\"} 43 \r\nwith_ts 1 5000\n", None)).await;
    let after = crate::now_ms();
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    let got = all_samples(&storage, "no_ts");
    assert_eq!(got.len(), 2);
    for (s, want) in got.iter().zip([42.0, 43.0]) {
        assert_eq!(s.samples.len(), 1);
        let t = s.samples[0].timestamp_ms;
        assert!((before..=after).contains(&t), "{t} not in {before}..={after}");
        assert_eq!(s.samples[0].value, want);
    }
    assert_eq!(all_samples(&storage, "with_ts")[0].samples[0].timestamp_ms, 5000);
    // And an instant query at "now" sees them.
    let j = query_json(&app, "/api/v1/query?query=sum(no_ts)").await;
    assert_eq!(j["data"]["result"][0]["value"][1], "85", "{j}");
}

/// A storage that records each append's series and sample counts.
#[derive(Default)]
struct Recording {
    inner: MemoryStorage,
    appends: Mutex<Vec<(usize, usize)>>,
    fail_after: Option<usize>,
}

impl Storage for Recording {
    fn append(&self, data: &[Series], cp: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        assert!(cp.is_none(), "imports carry no checkpoint");
        let mut appends = self.appends.lock().expect("lock");
        if self.fail_after.is_some_and(|n| appends.len() >= n) {
            return Err(StorageError::Backend("disk full".into()));
        }
        appends.push((data.len(), data.iter().map(|s| s.samples.len()).sum()));
        self.inner.append(data, cp)
    }
    fn checkpoint(&self, stream: &str) -> Result<Option<u64>, StorageError> {
        self.inner.checkpoint(stream)
    }
    fn select(&self, m: &[Matcher], s: i64, e: i64) -> Result<Vec<Series>, StorageError> {
        self.inner.select(m, s, e)
    }
    fn series(&self, m: &[Matcher], s: i64, e: i64) -> Result<Vec<Labels>, StorageError> {
        self.inner.series(m, s, e)
    }
    fn label_names(&self, m: &[Matcher], s: i64, e: i64) -> Result<Vec<String>, StorageError> {
        self.inner.label_names(m, s, e)
    }
    fn label_values(&self, n: &str, m: &[Matcher], s: i64, e: i64) -> Result<Vec<String>, StorageError> {
        self.inner.label_values(n, m, s, e)
    }
}

#[test]
fn chunks_group_by_series_and_earlier_chunks_are_kept() {
    let storage = Recording::default();
    // Interleaved series, label order and spacing varying: one series per label set.
    let text = "m{a=\"1\",b=\"x\"} 1 1\nm{b=\"x\",a=\"1\"} 2 2\nm {a=\"2\"} 3 1\n# c\nm{a=\"1\",b=\"x\"} 4 3\n\
                m{a=\"2\"} 5 2\nm{a=\"2\"} 6 3\nm{a=\"3\"} 7 1\nm{a=\"3\"} 8 2\nm{a=\"3\",} 9 3\nm{a=\"3\"} x 4\n";
    let err = import_lines(&storage, text.as_bytes(), 0, 4).expect_err("line 11 is bad");
    assert!(matches!(err, ImportError::BadLine { line: 11, stored: 9, .. }), "{err}");
    // Chunks of 4 sample lines: {1,2,3,5} → 2 series, {6,7,8,9} → 2, then line 10 before the bad one.
    assert_eq!(*storage.appends.lock().expect("lock"), vec![(2, 4), (2, 4), (1, 1)]);
    let got = storage.select(&[Matcher::equal("__name__", "m")], 0, 10).expect("select");
    let counts: Vec<usize> = got.iter().map(|s| s.samples.len()).collect();
    assert_eq!(counts, vec![3, 3, 3]);
    let ok = import_lines(&storage, "m 1 1\nm 2 2\n".as_bytes(), 0, 4).expect("ok");
    assert_eq!(ok, ImportSummary { lines: 2, samples: 2, appends: 1 });
}

#[test]
fn storage_failure_reports_what_was_stored() {
    let storage = Recording { fail_after: Some(1), ..Default::default() };
    let err = import_lines(&storage, "a 1 1\na 2 2\na 3 3\n".as_bytes(), 0, 2).expect_err("fails");
    assert!(matches!(err, ImportError::Storage { first_line: 3, last_line: 3, stored: 2, .. }), "{err}");
    assert_eq!(err.to_api().error_type, "internal");
}

#[test]
fn malformed_lines_and_limits() {
    let long_value = "v".repeat(Limits::default().max_label_value_len as usize + 1);
    let many: String = (0..Limits::default().max_labels_per_series).map(|i| format!("l{i}=\"v\",")).collect();
    let cases: Vec<(String, &str)> = vec![
        ("{a=\"1\"} 1".into(), "missing metric name"),
        ("9metric 1".into(), "invalid metric name"),
        ("m{a=\"1\" 1".into(), "unexpected end of line"),
        ("m{a=1} 1".into(), "expected '\"'"),
        ("m{a=\"1\",a=\"2\"} 1".into(), "duplicate label name"),
        ("m{__name__=\"x\"} 1".into(), "reserved"),
        ("m{a=\"\\q\"} 1".into(), "invalid escape"),
        ("m".into(), "missing sample value"),
        ("m{a=\"1\"}1 2".into(), "expected a blank"),
        ("m 1e400".into(), "expected float"),
        ("m 0x10".into(), "expected float"),
        ("m 1 1.5".into(), "expected integer as timestamp"),
        ("m 1 2 3".into(), "spurious string"),
        (format!("m{{a=\"{long_value}\"}} 1"), "more than the 4096 allowed"),
        (format!("m{{{many}}} 1"), "more than the 64 allowed"),
        ("m{a=\"\u{e9}\"} 1".into(), "__ok__"),
    ];
    for (line, want) in cases {
        let storage = MemoryStorage::new();
        let text = format!("ok 1 1\n{line}\n");
        let result = import_lines(&storage, text.as_bytes(), 0, 10);
        if want == "__ok__" {
            assert!(result.is_ok(), "{line}: {result:?}");
            continue;
        }
        let err = result.expect_err(&line);
        let msg = err.to_string();
        assert!(matches!(err, ImportError::BadLine { line: 2, stored: 1, .. }), "{line}: {msg}");
        assert!(msg.contains(want), "{line}: {msg} lacks {want:?}");
    }
    // Invalid UTF-8 in a label value, and a line over the length limit.
    let storage = MemoryStorage::new();
    let err = import_lines(&storage, &b"m{a=\"\xff\"} 1\n"[..], 0, 10).expect_err("utf-8");
    assert!(err.to_string().contains("UTF-8"), "{err}");
    let long = format!("m{{a=\"{}\"}} 1\n", "x".repeat(MAX_LINE_BYTES));
    let err = import_lines(&storage, long.as_bytes(), 0, 10).expect_err("too long");
    assert!(err.to_string().contains("longer than"), "{err}");
}

#[test]
fn values_special_floats_escapes_and_last_line_without_newline() {
    let storage = MemoryStorage::new();
    let text = "m{k=\"a \\\"}\\\" b\"} +Inf 1\nm{k=\"a \\\"}\\\" b\"} -inf 2\nm{k=\"a \\\"}\\\" b\"} NaN 3\n\
                m{k=\"a \\\"}\\\" b\"} .5 4\nm{k=\"a \\\"}\\\" b\"} -1e-3 5";
    let summary = import_lines(&storage, text.as_bytes(), 0, 10).expect("import");
    assert_eq!(summary.samples, 5);
    let got = all_samples(&storage, "m");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].labels.get("k"), Some("a \"}\" b"));
    let v: Vec<f64> = got[0].samples.iter().map(|s| s.value).collect();
    assert_eq!(v[0], f64::INFINITY);
    assert_eq!(v[1], f64::NEG_INFINITY);
    assert!(v[2].is_nan());
    assert_eq!(&v[3..], &[0.5, -0.001]);
}

#[test]
fn read_line_limits_and_last_line() {
    let mut buf = Vec::new();
    let mut input = &b"ab\ncd"[..];
    assert_eq!(read_line(&mut input, &mut buf, 10).expect("read"), LineRead::Line);
    assert_eq!(buf, b"ab");
    assert_eq!(read_line(&mut input, &mut buf, 10).expect("read"), LineRead::Line);
    assert_eq!(buf, b"cd");
    assert_eq!(read_line(&mut input, &mut buf, 10).expect("read"), LineRead::End);
    let mut input = &b"abcdef\n"[..];
    assert_eq!(read_line(&mut input, &mut buf, 5).expect("read"), LineRead::TooLong);
}
