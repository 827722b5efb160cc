//! API tests: every endpoint over GET and POST through the real router (`tower::ServiceExt`),
//! against `MemoryStorage`, checking Prometheus' JSON shapes, error types and status codes.

use super::*;
use crate::promql::EngineOptions;
use crate::storage::memory::MemoryStorage;
use crate::storage::{AppendStats, Checkpoint, Matcher, StorageError};
use axum::body::Body;
use axum::http::Request;
use pharos_protocol::{Labels, Sample, Series};
use serde_json::{json, Value as Json};
use tower::ServiceExt;

fn series(pairs: &[(&str, &str)], points: &[(i64, f64)]) -> Series {
    Series {
        labels: Labels::from_pairs(pairs.iter().copied()),
        samples: points.iter().map(|&(timestamp_ms, value)| Sample { timestamp_ms, value }).collect(),
    }
}

fn state_over(storage: Arc<dyn Storage>) -> ApiState {
    let engine = Arc::new(Engine::new(storage.clone(), EngineOptions::default()));
    ApiState {
        storage,
        engine,
        build_info: crate::api::build_info(),
        ready: Arc::new(AtomicBool::new(false)),
        external_labels: Default::default(),
    }
}

/// `up` for two jobs sampled every 15s from 0 to 60s, plus a `node_load1` gauge.
fn app() -> (Router, ApiState) {
    let storage = Arc::new(MemoryStorage::new());
    let points: Vec<(i64, f64)> = (0..=4).map(|i| (i * 15_000, 1.0)).collect();
    storage
        .append(
            &[
                series(&[("__name__", "up"), ("job", "api"), ("instance", "a:1")], &points),
                series(&[("__name__", "up"), ("job", "db"), ("instance", "b:1")], &points),
                series(&[("__name__", "node_load1"), ("instance", "a:1")], &[(0, 0.5), (30_000, 1.25)]),
            ],
            None,
        )
        .expect("append");
    let state = state_over(storage);
    (router(state.clone()), state)
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body");
    (status, String::from_utf8(body.to_vec()).expect("utf-8"))
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn post(uri: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .expect("request")
}

async fn send_json(app: &Router, req: Request<Body>) -> (StatusCode, Json) {
    let (status, body) = send(app, req).await;
    (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}")))
}

/// Asserts a Prometheus error response.
async fn expect_error(app: &Router, req: Request<Body>, status: StatusCode, error_type: &str) -> String {
    let (got_status, body) = send_json(app, req).await;
    assert_eq!(got_status, status, "{body}");
    assert_eq!(body["status"], "error", "{body}");
    assert_eq!(body["errorType"], error_type, "{body}");
    body["error"].as_str().expect("error message").to_string()
}

#[tokio::test]
async fn instant_query_get_returns_prometheus_vector_json() {
    let (app, _) = app();
    let (status, body) = send(&app, get("/api/v1/query?query=up%7Bjob%3D%22api%22%7D&time=60")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[60,"1"]}]}}"#
    );
}

#[tokio::test]
async fn instant_query_post_form_as_promtool_sends_it() {
    let (app, _) = app();
    let (status, body) = send_json(&app, post("/api/v1/query", "query=sum+by+(job)+(up)&time=45.5")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["resultType"], "vector");
    let result = body["data"]["result"].as_array().expect("array");
    assert_eq!(result.len(), 2);
    assert_eq!(result[0]["value"], json!([45.5, "1"]));
    // Body parameters win over the URL's, as in Go's FormValue.
    let (_, body) = send_json(&app, post("/api/v1/query?query=node_load1&time=0", "time=30")).await;
    assert_eq!(body["data"]["result"][0]["value"], json!([30, "1.25"]));
}

#[tokio::test]
async fn instant_query_time_formats_and_defaults() {
    let (app, _) = app();
    let (_, body) = send_json(&app, get("/api/v1/query?query=node_load1&time=1970-01-01T00:00:30Z")).await;
    assert_eq!(body["data"]["result"][0]["value"], json!([30, "1.25"]));
    // Without a time the query runs "now", long after these samples went stale.
    let (status, body) = send_json(&app, get("/api/v1/query?query=up")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["result"], json!([]));
}

#[tokio::test]
async fn scalar_string_and_special_float_results() {
    let (app, _) = app();
    let (_, body) = send(&app, get("/api/v1/query?query=1%2F0&time=1")).await;
    assert_eq!(body, r#"{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}"#);
    let (_, body) = send(&app, get("/api/v1/query?query=-1%2F0&time=1.5")).await;
    // Scalars keep Go's float formatting of the time (1.5), vectors use Prometheus' own (1.500).
    assert_eq!(body, r#"{"status":"success","data":{"resultType":"scalar","result":[1.5,"-Inf"]}}"#);
    let (_, body) = send(&app, get("/api/v1/query?query=0%2F0&time=0")).await;
    assert_eq!(body, r#"{"status":"success","data":{"resultType":"scalar","result":[0,"NaN"]}}"#);
    let (_, body) = send(&app, get("/api/v1/query?query=%22hi%22&time=2")).await;
    assert_eq!(body, r#"{"status":"success","data":{"resultType":"string","result":[2,"hi"]}}"#);
    let (_, body) = send_json(&app, get("/api/v1/query?query=node_load1%5B1m%5D&time=30")).await;
    assert_eq!(body["data"]["resultType"], "matrix");
    assert_eq!(body["data"]["result"][0]["values"], json!([[0, "0.5"], [30, "1.25"]]));
}

#[tokio::test]
async fn query_errors_have_prometheus_types_and_codes() {
    let (app, _) = app();
    let msg = expect_error(&app, get("/api/v1/query?query=up&time=abc"), StatusCode::BAD_REQUEST, "bad_data").await;
    assert_eq!(
        msg,
        r#"invalid parameter "time": invalid time value for 'time': cannot parse "abc" to a valid timestamp"#
    );
    let msg = expect_error(&app, get("/api/v1/query?query=sum(&time=1"), StatusCode::BAD_REQUEST, "bad_data").await;
    assert!(msg.starts_with(r#"invalid parameter "query": "#), "{msg}");
    expect_error(&app, get("/api/v1/query?time=1"), StatusCode::BAD_REQUEST, "bad_data").await;
    let msg = expect_error(
        &app,
        get("/api/v1/query?query=up+%2B+on()+up&time=60"),
        StatusCode::UNPROCESSABLE_ENTITY,
        "execution",
    )
    .await;
    assert!(msg.contains("many-to-many matching not allowed"), "{msg}");
    let msg = expect_error(
        &app,
        get("/api/v1/query?query=label_replace(up,%22dst%22,%22x%22,%22src%22,%22(%22)&time=60"),
        StatusCode::UNPROCESSABLE_ENTITY,
        "execution",
    )
    .await;
    assert_eq!(msg, "invalid regular expression in label_replace(): (");
    // Annotations come back next to the data, as Prometheus sends them.
    let (status, body) = send_json(&app, get("/api/v1/query?query=histogram_quantile(0.5,up)&time=60")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "success", "{body}");
    assert_eq!(
        body["warnings"][0],
        "PromQL warning: bucket label \"le\" is missing or has a malformed value of \"\" for metric name \"up\"",
        "{body}"
    );
    assert!(body.get("infos").is_none(), "{body}");
    let msg =
        expect_error(&app, get("/api/v1/query?query=up&time=60&timeout=0"), StatusCode::SERVICE_UNAVAILABLE, "timeout")
            .await;
    assert_eq!(msg, "query timed out in expression evaluation");
    expect_error(&app, get("/api/v1/query?query=up&timeout=soon"), StatusCode::BAD_REQUEST, "bad_data").await;
}

#[tokio::test]
async fn range_query_get_and_post() {
    let (app, _) = app();
    let (status, body) = send(&app, get("/api/v1/query_range?query=node_load1&start=0&end=60&step=30s")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"node_load1","instance":"a:1"},"values":[[0,"0.5"],[30,"1.25"],[60,"1.25"]]}]}}"#
    );
    let (status, body) =
        send_json(&app, post("/api/v1/query_range", "query=sum(up)&start=0&end=1970-01-01T00:01:00Z&step=15")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["result"][0]["metric"], json!({}));
    assert_eq!(body["data"]["result"][0]["values"].as_array().map(Vec::len), Some(5));
    // A scalar expression becomes one unlabelled series.
    let (_, body) = send_json(&app, get("/api/v1/query_range?query=time()&start=0&end=2&step=1")).await;
    assert_eq!(body["data"]["result"][0]["values"], json!([[0, "0"], [1, "1"], [2, "2"]]));
}

#[tokio::test]
async fn range_query_parameter_errors() {
    let (app, _) = app();
    let bad = StatusCode::BAD_REQUEST;
    let msg = expect_error(&app, get("/api/v1/query_range?query=up&end=1&step=1"), bad, "bad_data").await;
    assert_eq!(msg, r#"invalid parameter "start": cannot parse "" to a valid timestamp"#);
    let msg = expect_error(&app, get("/api/v1/query_range?query=up&start=10&end=1&step=1"), bad, "bad_data").await;
    assert_eq!(msg, r#"invalid parameter "end": end timestamp must not be before start time"#);
    let msg = expect_error(&app, get("/api/v1/query_range?query=up&start=0&end=1&step=0"), bad, "bad_data").await;
    assert_eq!(
        msg,
        r#"invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer"#
    );
    let msg = expect_error(&app, get("/api/v1/query_range?query=up&start=0&end=1&step=x"), bad, "bad_data").await;
    assert_eq!(msg, r#"invalid parameter "step": cannot parse "x" to a valid duration"#);
    let msg = expect_error(&app, get("/api/v1/query_range?query=up&start=0&end=11001&step=1"), bad, "bad_data").await;
    assert_eq!(msg, crate::promql::TOO_MANY_POINTS_MSG);
    let msg =
        expect_error(&app, get("/api/v1/query_range?query=up%5B1m%5D&start=0&end=1&step=1"), bad, "bad_data").await;
    assert!(msg.contains(r#"invalid expression type "range vector" for range query"#), "{msg}");
}

#[tokio::test]
async fn series_endpoint() {
    let (app, _) = app();
    let (status, body) = send(&app, get("/api/v1/series?match[]=up&match[]=node_load1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        concat!(
            r#"{"status":"success","data":[{"__name__":"node_load1","instance":"a:1"},"#,
            r#"{"__name__":"up","instance":"a:1","job":"api"},{"__name__":"up","instance":"b:1","job":"db"}]}"#
        )
    );
    let (_, body) = send_json(&app, post("/api/v1/series", "match[]=up%7Bjob%3D%22db%22%7D&start=0&end=100")).await;
    assert_eq!(body["data"], json!([{"__name__": "up", "instance": "b:1", "job": "db"}]));
    // Outside the time range nothing matches.
    let (_, body) = send_json(&app, get("/api/v1/series?match[]=up&start=1000&end=2000")).await;
    assert_eq!(body["data"], json!([]));
    let bad = StatusCode::BAD_REQUEST;
    let msg = expect_error(&app, get("/api/v1/series"), bad, "bad_data").await;
    assert_eq!(msg, "no match[] parameter provided");
    let msg = expect_error(&app, get("/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D"), bad, "bad_data").await;
    assert_eq!(msg, r#"invalid parameter "match[]": match[] must contain at least one non-empty matcher"#);
    expect_error(&app, get("/api/v1/series?match[]=rate(up%5B1m%5D)"), bad, "bad_data").await;
    let msg = expect_error(&app, get("/api/v1/series?match[]=up&start=yesterday"), bad, "bad_data").await;
    assert_eq!(
        msg,
        r#"invalid parameter "start": invalid time value for 'start': cannot parse "yesterday" to a valid timestamp"#
    );
}

#[tokio::test]
async fn label_endpoints() {
    let (app, _) = app();
    let (_, body) = send(&app, get("/api/v1/labels")).await;
    assert_eq!(body, r#"{"status":"success","data":["__name__","instance","job"]}"#);
    let (_, body) = send_json(&app, post("/api/v1/labels", "match[]=node_load1")).await;
    assert_eq!(body["data"], json!(["__name__", "instance"]));
    let (_, body) = send(&app, get("/api/v1/label/job/values")).await;
    assert_eq!(body, r#"{"status":"success","data":["api","db"]}"#);
    let (_, body) = send_json(&app, get("/api/v1/label/__name__/values?match[]=%7Binstance%3D%22a%3A1%22%7D")).await;
    assert_eq!(body["data"], json!(["node_load1", "up"]));
    let (_, body) = send_json(&app, get("/api/v1/label/nope/values")).await;
    assert_eq!(body["data"], json!([]));
    let msg = expect_error(&app, get("/api/v1/labels?match[]=%7B%7D"), StatusCode::BAD_REQUEST, "bad_data").await;
    assert!(!msg.is_empty());
    expect_error(&app, get("/api/v1/label/job/values?end=x"), StatusCode::BAD_REQUEST, "bad_data").await;
}

#[tokio::test]
async fn status_health_and_readiness() {
    let (app, state) = app();
    let (status, body) = send_json(&app, get("/api/v1/status/buildinfo")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "success");
    for field in ["version", "revision", "branch", "buildUser", "buildDate", "goVersion"] {
        assert!(body["data"][field].is_string(), "{field} missing in {body}");
    }
    assert_eq!(send(&app, get("/-/healthy")).await, (StatusCode::OK, "Pharos is Healthy.\n".to_string()));
    assert_eq!(send(&app, get("/-/ready")).await.0, StatusCode::SERVICE_UNAVAILABLE);
    state.ready.store(true, Ordering::Release);
    assert_eq!(send(&app, get("/-/ready")).await, (StatusCode::OK, "Pharos is Ready.\n".to_string()));
}

/// A storage whose every read fails, to check the internal error mapping.
struct BrokenStorage;

impl Storage for BrokenStorage {
    fn append(&self, _: &[Series], _: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        Err(StorageError::Backend("disk on fire".into()))
    }
    fn checkpoint(&self, _: &str) -> Result<Option<u64>, StorageError> {
        Err(StorageError::Backend("disk on fire".into()))
    }
    fn select(&self, _: &[Matcher], _: i64, _: i64) -> Result<Vec<Series>, StorageError> {
        Err(StorageError::Backend("disk on fire".into()))
    }
    fn series(&self, _: &[Matcher], _: i64, _: i64) -> Result<Vec<Labels>, StorageError> {
        Err(StorageError::Backend("disk on fire".into()))
    }
    fn label_names(&self, _: &[Matcher], _: i64, _: i64) -> Result<Vec<String>, StorageError> {
        Err(StorageError::Backend("disk on fire".into()))
    }
    fn label_values(&self, _: &str, _: &[Matcher], _: i64, _: i64) -> Result<Vec<String>, StorageError> {
        Err(StorageError::Backend("disk on fire".into()))
    }
}

#[tokio::test]
async fn storage_failures_are_internal_errors() {
    let app = router(state_over(Arc::new(BrokenStorage)));
    let ise = StatusCode::INTERNAL_SERVER_ERROR;
    let msg = expect_error(&app, get("/api/v1/query?query=up&time=1"), ise, "internal").await;
    assert_eq!(msg, "storage backend: disk on fire");
    expect_error(&app, get("/api/v1/labels"), ise, "internal").await;
    expect_error(&app, get("/api/v1/series?match[]=up"), ise, "internal").await;
    expect_error(&app, get("/api/v1/label/job/values"), ise, "internal").await;
}

#[tokio::test]
async fn format_query_pretty_prints_or_rejects() {
    let (app, _) = app();
    let (status, body) = send_json(&app, get("/api/v1/format_query?query=sum(rate(x%5B5m%5D))%20by%20(job)")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"], "sum by (job) (rate(x[5m]))", "{body}");
    let msg = expect_error(&app, get("/api/v1/format_query?query=sum("), StatusCode::BAD_REQUEST, "bad_data").await;
    assert!(msg.starts_with("invalid parameter \"query\""), "{msg}");
}

#[tokio::test]
async fn parse_query_returns_prometheus_tree() {
    let (app, _) = app();
    let q = "sum%20by%20(job)%20(rate(x%7Ba%3D%22b%22%7D%5B5m%5D%20offset%201m))%20%3E%20bool%200.5";
    let (status, body) = send_json(&app, get(&format!("/api/v1/parse_query?query={q}"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tree = &body["data"];
    assert_eq!(tree["type"], "binaryExpr", "{body}");
    assert_eq!(tree["op"], ">");
    assert_eq!(tree["bool"], true);
    assert!(tree["matching"].is_null(), "a scalar operand has no vector matching: {body}");
    assert_eq!(tree["rhs"], serde_json::json!({"type": "numberLiteral", "val": "0.5"}));
    let agg = &tree["lhs"];
    assert_eq!((agg["type"].as_str(), agg["op"].as_str()), (Some("aggregation"), Some("sum")));
    assert_eq!(agg["grouping"], serde_json::json!(["job"]));
    let call = &agg["expr"];
    assert_eq!(call["func"]["name"], "rate");
    assert_eq!(call["func"]["argTypes"], serde_json::json!(["matrix"]));
    assert_eq!(call["func"]["returnType"], "vector");
    let ms = &call["args"][0];
    assert_eq!(ms["type"], "matrixSelector");
    assert_eq!((ms["range"].as_i64(), ms["offset"].as_i64()), (Some(300_000), Some(60_000)));
    assert_eq!(
        ms["matchers"],
        serde_json::json!([{"name": "a", "value": "b", "type": "="}, {"name": "__name__", "value": "x", "type": "="}])
    );
    let (status, body) = send_json(&app, get("/api/v1/parse_query?query=a%20and%20on(x)%20b")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["matching"]["card"], "many-to-many", "{body}");
    assert_eq!(body["data"]["matching"]["on"], true, "{body}");
    let msg = expect_error(&app, get("/api/v1/parse_query?query=sum("), StatusCode::BAD_REQUEST, "bad_data").await;
    assert!(msg.starts_with("invalid parameter \"query\""), "{msg}");
}
