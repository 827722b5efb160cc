//! Handler tests: every route through the router, bodies checked field by field against
//! Alertmanager 0.25's spec and what a real 0.25 answers (recorded with curl).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use tower::ServiceExt;

use super::models::{format_time, parse_time, GO_ZERO_TIME};
use super::{router, v1_router};
use crate::alerting::config::Config;
use crate::alerting::dispatch::clock::{ManualClock, ManualSleeper};
use crate::alerting::manager::{Alertmanager, Handle, ManagerOptions};

/// 2026-01-02T03:04:05.678Z.
const T0: i64 = 1_767_323_045_678;
const MIN: i64 = 60_000;

const YAML: &str = "
global:
  resolve_timeout: 5m
route:
  receiver: team
  group_by: [alertname]
  routes:
    - matchers: [severity=\"page\"]
      receiver: pager
      continue: true
    - matchers: [alertname=\"A\"]
      receiver: team
inhibit_rules:
  - source_matchers: [severity=\"critical\"]
    target_matchers: [severity=\"warning\"]
    equal: [instance]
receivers:
  - name: team
  - name: pager
";

struct Fixture {
    _dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    handle: Handle,
    app: Router,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let opts = ManagerOptions {
        clock: clock.clone(),
        sleeper: Arc::new(ManualSleeper(Arc::clone(&clock))),
        background: false,
        ..ManagerOptions::default()
    };
    let handle =
        Alertmanager::start_with(Config::load(YAML).unwrap(), HashMap::new(), dir.path(), "http://am".into(), opts)
            .unwrap();
    let app = router(handle.clone()).merge(v1_router(handle.clone()));
    Fixture { _dir: dir, clock, handle, app }
}

async fn call(app: &Router, method: Method, uri: &str, content_type: Option<&str>, body: &str) -> (StatusCode, String) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    call(app, Method::GET, uri, None, "").await
}

async fn get_json(app: &Router, uri: &str) -> Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn post(app: &Router, uri: &str, body: &str) -> (StatusCode, String) {
    call(app, Method::POST, uri, Some("application/json"), body).await
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

/// Prometheus 2.42's body: labels, annotations, startsAt, endsAt (now + 4 × resend delay) and
/// generatorURL, times in RFC 3339 with nanoseconds.
fn prometheus_body() -> String {
    json!([{
        "labels": {"alertname": "HighLatency", "severity": "page", "instance": "a:9100", "empty": ""},
        "annotations": {"summary": "latency high"},
        "startsAt": "2026-01-02T03:00:00.123456789Z",
        "endsAt": format_time(T0 + 4 * MIN).replace('Z', "000000Z"),
        "generatorURL": "http://prom:9090/graph?g0.expr=up"
    }])
    .to_string()
}

#[tokio::test]
async fn prometheus_post_is_stored_and_listed_with_upstream_shape() {
    let f = fixture();
    let (status, body) = post(&f.app, "/api/v2/alerts", &prometheus_body()).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
    let v = get_json(&f.app, "/api/v2/alerts").await;
    let alerts = v.as_array().unwrap();
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(
        keys(a),
        [
            "annotations",
            "endsAt",
            "fingerprint",
            "generatorURL",
            "labels",
            "receivers",
            "startsAt",
            "status",
            "updatedAt"
        ]
    );
    assert_eq!(a["annotations"], json!({"summary": "latency high"}));
    // The empty label is dropped, as removeEmptyLabels does.
    assert_eq!(a["labels"], json!({"alertname": "HighLatency", "severity": "page", "instance": "a:9100"}));
    assert_eq!(a["startsAt"], "2026-01-02T03:00:00.123Z");
    assert_eq!(a["endsAt"], format_time(T0 + 4 * MIN));
    assert_eq!(a["updatedAt"], "2026-01-02T03:04:05.678Z");
    assert_eq!(a["generatorURL"], "http://prom:9090/graph?g0.expr=up");
    let fp = a["fingerprint"].as_str().unwrap();
    assert_eq!(fp.len(), 16);
    assert!(fp.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    // Routed to pager, then (continue) to the sibling route for A, in route order.
    assert_eq!(a["receivers"], json!([{"name": "pager"}]));
    assert_eq!(a["status"], json!({"inhibitedBy": [], "silencedBy": [], "state": "active"}));
    // The wire order of the go-swagger model: own properties, then the embedded alert's.
    let (_, raw) = get(&f.app, "/api/v2/alerts").await;
    let order: Vec<usize> =
        ["\"annotations\"", "\"endsAt\"", "\"fingerprint\"", "\"status\"", "\"generatorURL\"", "\"labels\""]
            .iter()
            .map(|k| raw.find(k).unwrap())
            .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{raw}");
}

#[tokio::test]
async fn alert_without_times_gets_now_and_resolve_timeout() {
    let f = fixture();
    let (status, _) = post(&f.app, "/api/v2/alerts", r#"[{"labels":{"alertname":"A"}}]"#).await;
    assert_eq!(status, StatusCode::OK);
    let v = get_json(&f.app, "/api/v2/alerts").await;
    assert_eq!(v[0]["startsAt"], format_time(T0));
    assert_eq!(v[0]["endsAt"], format_time(T0 + 5 * MIN));
    assert!(v[0].get("generatorURL").is_none(), "empty generatorURL is omitted");
    assert_eq!(v[0]["annotations"], json!({}));
    // Resolved once the timeout passes: no longer listed.
    f.clock.set(T0 + 6 * MIN);
    assert_eq!(get_json(&f.app, "/api/v2/alerts").await, json!([]));
}

#[tokio::test]
async fn post_alerts_errors_match_upstream() {
    let f = fixture();
    let (s, b) = call(&f.app, Method::POST, "/api/v2/alerts", None, "[]").await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        b,
        r#"{"code":415,"message":"unsupported media type \"application/octet-stream\", only [application/json] are allowed"}"#
    );
    let (s, _) = call(&f.app, Method::POST, "/api/v2/alerts", Some("application/json; charset=utf-8"), "[]").await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = post(&f.app, "/api/v2/alerts", "").await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, r#"{"code":602,"message":"alerts in body is required"}"#)
    );
    let (s, b) = post(&f.app, "/api/v2/alerts", "notjson").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["code"], 400);
    assert!(v["message"].as_str().unwrap().starts_with("parsing alerts body from \"\" failed, because "), "{b}");
    let (s, b) = post(&f.app, "/api/v2/alerts", r#"[{"labels":{"a":"b"}},{"annotations":{}}]"#).await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, r#"{"code":602,"message":"1.labels in body is required"}"#)
    );
    let (s, b) = post(&f.app, "/api/v2/alerts", r#"[{"labels":{"x":"y"},"startsAt":"bad"}]"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.starts_with(r#"{"code":400,"message":"parsing alerts body"#), "{b}");
    // Invalid alerts are reported together; the valid one is stored anyway.
    let body = r#"[{"labels":{"alertname":"C"},"startsAt":"2026-01-02T03:00:00Z","endsAt":"2026-01-02T02:00:00Z"},
        {"labels":{"a b":"x"}},{"labels":{}},{"labels":{"alertname":"D"}}]"#;
    let (s, b) = post(&f.app, "/api/v2/alerts", body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        b,
        r#""start time must be before end time; invalid label set: invalid name \"a b\"; at least one label pair required""#
    );
    let v = get_json(&f.app, "/api/v2/alerts").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["labels"], json!({"alertname": "D"}));
    // `null` is an empty list.
    assert_eq!(post(&f.app, "/api/v2/alerts", "null").await.0, StatusCode::OK);
}

async fn post_three(f: &Fixture) {
    let body = r#"[{"labels":{"alertname":"A","severity":"page"}},
        {"labels":{"alertname":"B","instance":"i"}},
        {"labels":{"alertname":"W","severity":"warning","instance":"i"}},
        {"labels":{"alertname":"X","severity":"critical","instance":"i"}}]"#;
    assert_eq!(post(&f.app, "/api/v2/alerts", body).await.0, StatusCode::OK);
}

fn names(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|a| a["labels"]["alertname"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn get_alerts_filters_and_sorts_by_fingerprint() {
    let f = fixture();
    post_three(&f).await;
    let all = get_json(&f.app, "/api/v2/alerts").await;
    let fps: Vec<&str> = all.as_array().unwrap().iter().map(|a| a["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fps.len(), 4);
    assert!(fps.windows(2).all(|w| w[0] < w[1]), "{fps:?}");
    // W is inhibited by the critical X on the same instance.
    let w = all.as_array().unwrap().iter().find(|a| a["labels"]["alertname"] == "W").unwrap();
    let x = all.as_array().unwrap().iter().find(|a| a["labels"]["alertname"] == "X").unwrap();
    assert_eq!(w["status"]["state"], "suppressed");
    assert_eq!(w["status"]["inhibitedBy"], json!([x["fingerprint"]]));
    let mut n = names(&get_json(&f.app, "/api/v2/alerts?inhibited=false").await);
    n.sort();
    assert_eq!(n, ["A", "B", "X"]);
    assert_eq!(names(&get_json(&f.app, "/api/v2/alerts?active=false").await), ["W"]);
    assert_eq!(names(&get_json(&f.app, "/api/v2/alerts?filter=alertname%3DA").await), ["A"]);
    let mut n = names(&get_json(&f.app, "/api/v2/alerts?filter=instance%3Di&filter=alertname%3D~%22B%7CW%22").await);
    n.sort();
    assert_eq!(n, ["B", "W"]);
    assert_eq!(names(&get_json(&f.app, "/api/v2/alerts?receiver=pag.*").await), ["A"]);
    // Anchored: "pag" alone matches no receiver.
    assert_eq!(get_json(&f.app, "/api/v2/alerts?receiver=pag").await, json!([]));
    let (s, b) = get(&f.app, "/api/v2/alerts?filter=bad").await;
    assert_eq!((s, b.as_str()), (StatusCode::BAD_REQUEST, r#""bad matcher format: bad""#));
    let (s, b) = get(&f.app, "/api/v2/alerts?receiver=(").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.starts_with(r#""failed to parse receiver param: "#), "{b}");
}

#[tokio::test]
async fn alert_groups_shape_and_receiver_filter() {
    let f = fixture();
    post_three(&f).await;
    let v = get_json(&f.app, "/api/v2/alerts/groups").await;
    let groups = v.as_array().unwrap();
    // A goes to pager and (continue) to the sibling route of team; B, W, X to team: five groups.
    assert_eq!(groups.len(), 5, "{v}");
    for g in groups {
        assert_eq!(keys(g), ["alerts", "labels", "receiver"]);
        assert_eq!(keys(&g["receiver"]), ["name"]);
        assert!(!g["alerts"].as_array().unwrap().is_empty());
    }
    let a_groups: Vec<&Value> = groups.iter().filter(|g| g["labels"] == json!({"alertname": "A"})).collect();
    assert_eq!(a_groups.len(), 2);
    // An alert's receivers are those of the listed groups holding it, sorted.
    assert_eq!(a_groups[0]["alerts"][0]["receivers"], json!([{"name": "pager"}, {"name": "team"}]));
    let v = get_json(&f.app, "/api/v2/alerts/groups?receiver=pager").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["receiver"], json!({"name": "pager"}));
    assert_eq!(v[0]["alerts"][0]["receivers"], json!([{"name": "pager"}]));
    // Groups left empty by the alert filter are omitted.
    let v = get_json(&f.app, "/api/v2/alerts/groups?active=false").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["labels"], json!({"alertname": "W"}));
    let (s, _) = get(&f.app, "/api/v2/alerts/groups?filter=%3D").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

fn silence_body(id: Option<&str>, start: i64, end: i64) -> String {
    let mut v = json!({
        "matchers": [{"name": "alertname", "value": "A", "isRegex": false}],
        "startsAt": format_time(start), "endsAt": format_time(end),
        "createdBy": "me", "comment": "c"
    });
    if let Some(id) = id {
        v["id"] = json!(id);
    }
    v.to_string()
}

async fn create_silence(f: &Fixture) -> String {
    let (s, b) = post(&f.app, "/api/v2/silences", &silence_body(None, T0 - MIN, T0 + 60 * MIN)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(keys(&v), ["silenceID"]);
    v["silenceID"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn silence_lifecycle_and_shapes() {
    let f = fixture();
    post_three(&f).await;
    let id = create_silence(&f).await;
    assert_eq!(id.len(), 36);
    let v = get_json(&f.app, "/api/v2/silences").await;
    assert_eq!(v.as_array().unwrap().len(), 1);
    let s = &v[0];
    assert_eq!(keys(s), ["comment", "createdBy", "endsAt", "id", "matchers", "startsAt", "status", "updatedAt"]);
    assert_eq!(s["id"], id.as_str());
    assert_eq!(s["status"], json!({"state": "active"}));
    // The start is moved to now, as upstream does for a new silence starting in the past.
    assert_eq!(s["startsAt"], format_time(T0));
    assert_eq!(s["endsAt"], format_time(T0 + 60 * MIN));
    assert_eq!(s["updatedAt"], format_time(T0));
    assert_eq!(s["matchers"], json!([{"isEqual": true, "isRegex": false, "name": "alertname", "value": "A"}]));
    assert_eq!((s["createdBy"].as_str(), s["comment"].as_str()), (Some("me"), Some("c")));
    assert_eq!(get_json(&f.app, &format!("/api/v2/silence/{id}")).await, *s);

    // The silenced alert: suppressed, silencedBy, hidden by silenced=false.
    let a = get_json(&f.app, "/api/v2/alerts?filter=alertname%3DA").await;
    assert_eq!(a[0]["status"], json!({"inhibitedBy": [], "silencedBy": [id], "state": "suppressed"}));
    assert!(!names(&get_json(&f.app, "/api/v2/alerts?silenced=false").await).contains(&"A".to_string()));

    // Silence filters compare matchers.
    assert_eq!(get_json(&f.app, "/api/v2/silences?filter=alertname%3DA").await.as_array().unwrap().len(), 1);
    assert_eq!(get_json(&f.app, "/api/v2/silences?filter=alertname%3DB").await, json!([]));
    let (st, b) = get(&f.app, "/api/v2/silences?filter=bad").await;
    assert_eq!((st, b.as_str()), (StatusCode::BAD_REQUEST, r#""bad matcher format: bad""#));

    // Expire: 200 without a body; again still 200 (already expired stays as it is).
    f.clock.set(T0 + MIN);
    let (st, b) = call(&f.app, Method::DELETE, &format!("/api/v2/silence/{id}"), None, "").await;
    assert_eq!((st, b.as_str()), (StatusCode::OK, ""));
    // A silence ending now is still active at that instant (upstream's inclusive end).
    f.clock.set(T0 + MIN + 1);
    assert_eq!(call(&f.app, Method::DELETE, &format!("/api/v2/silence/{id}"), None, "").await.0, StatusCode::OK);
    let s = get_json(&f.app, &format!("/api/v2/silence/{id}")).await;
    assert_eq!(s["status"]["state"], "expired");
    assert_eq!(s["endsAt"], format_time(T0 + MIN));
    let a = get_json(&f.app, "/api/v2/alerts?filter=alertname%3DA").await;
    assert_eq!(a[0]["status"]["silencedBy"], json!([]));
}

#[tokio::test]
async fn silence_errors_match_upstream() {
    let f = fixture();
    let unknown = "8f6b2ad4-4c57-4e0c-8b5a-3b1e0c3c1b2a";
    let (s, b) = get(&f.app, &format!("/api/v2/silence/{unknown}")).await;
    assert_eq!((s, b.as_str()), (StatusCode::NOT_FOUND, ""));
    let (s, b) = call(&f.app, Method::DELETE, &format!("/api/v2/silence/{unknown}"), None, "").await;
    assert_eq!((s, b.as_str()), (StatusCode::INTERNAL_SERVER_ERROR, r#""silence not found""#));
    for m in [Method::GET, Method::DELETE] {
        let (s, b) = call(&f.app, m, "/api/v2/silence/xyz", None, "").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b, r#"{"code":601,"message":"silenceID in path must be of type uuid: \"xyz\""}"#);
    }
    let (s, b) = post(&f.app, "/api/v2/silences", &silence_body(Some(unknown), T0, T0 + MIN)).await;
    assert_eq!((s, b.as_str()), (StatusCode::NOT_FOUND, r#""silence not found""#));
    let (s, b) = post(&f.app, "/api/v2/silences", &silence_body(None, T0 + MIN, T0)).await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::BAD_REQUEST, r#""Failed to create silence: start time must be before end time""#)
    );
    let (s, b) = post(&f.app, "/api/v2/silences", &silence_body(None, T0 - 2 * MIN, T0 - MIN)).await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::BAD_REQUEST, r#""Failed to create silence: end time can't be in the past""#)
    );
    let mut v: Value = serde_json::from_str(&silence_body(None, T0, T0 + MIN)).unwrap();
    v.as_object_mut().unwrap().remove("comment");
    let (s, b) = post(&f.app, "/api/v2/silences", &v.to_string()).await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, r#"{"code":602,"message":"comment in body is required"}"#)
    );
    let mut v: Value = serde_json::from_str(&silence_body(None, T0, T0 + MIN)).unwrap();
    v["matchers"] = json!([]);
    let (s, b) = post(&f.app, "/api/v2/silences", &v.to_string()).await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, r#"{"code":612,"message":"matchers in body should have at least 1 items"}"#)
    );
    v["matchers"] = json!([{"name": "a", "value": "b"}]);
    let (s, b) = post(&f.app, "/api/v2/silences", &v.to_string()).await;
    assert_eq!(
        (s, b.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, r#"{"code":602,"message":"matchers.0.isRegex in body is required"}"#)
    );
    v["matchers"] = json!([{"name": "a", "value": "(", "isRegex": true}]);
    let (s, b) = post(&f.app, "/api/v2/silences", &v.to_string()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.starts_with(r#""silence invalid: invalid label matcher 0: invalid regular expression"#), "{b}");
    let (s, b) = post(&f.app, "/api/v2/silences", "bad").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.starts_with(r#"{"code":400,"message":"parsing silence body from \"\" failed, because "#), "{b}");
    // A negative matcher posted with isEqual false round-trips.
    v["matchers"] = json!([{"name": "a", "value": "b", "isRegex": false, "isEqual": false},
                           {"name": "c", "value": "d", "isRegex": false}]);
    let (s, b) = post(&f.app, "/api/v2/silences", &v.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let got = get_json(&f.app, "/api/v2/silences").await;
    assert_eq!(got[0]["matchers"][0], json!({"isEqual": false, "isRegex": false, "name": "a", "value": "b"}));
}

#[tokio::test]
async fn status_and_receivers() {
    let f = fixture();
    let v = get_json(&f.app, "/api/v2/status").await;
    assert_eq!(keys(&v), ["cluster", "config", "uptime", "versionInfo"]);
    assert_eq!(v["cluster"], json!({"peers": [], "status": "disabled"}));
    assert_eq!(keys(&v["config"]), ["original"]);
    let original = v["config"]["original"].as_str().unwrap();
    assert_eq!(original, super::secrets::masked_config(&f.handle.config_original()).unwrap());
    assert!(Config::load(original).is_ok(), "shown configuration loads again:\n{original}");
    assert!(original.contains("receiver: team"), "{original}");
    assert!(parse_time(v["uptime"].as_str().unwrap()).is_ok());
    assert_eq!(keys(&v["versionInfo"]), ["branch", "buildDate", "buildUser", "goVersion", "revision", "version"]);
    assert_eq!(v["versionInfo"]["version"], "0.25.0");
    assert!(v["versionInfo"]["revision"]
        .as_str()
        .unwrap()
        .starts_with(&format!("pharos-{}", env!("CARGO_PKG_VERSION"))));
    assert_eq!(get_json(&f.app, "/api/v2/receivers").await, json!([{"name": "team"}, {"name": "pager"}]));
}

#[tokio::test]
async fn v1_post_alerts() {
    let f = fixture();
    let (s, b) = call(&f.app, Method::POST, "/api/v1/alerts", None, r#"[{"labels":{"alertname":"V1"}}]"#).await;
    assert_eq!((s, b.as_str()), (StatusCode::OK, r#"{"status":"success"}"#));
    assert_eq!(names(&get_json(&f.app, "/api/v2/alerts").await), ["V1"]);
    let (s, b) = call(&f.app, Method::POST, "/api/v1/alerts", None, r#"[{"labels":{}}]"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b, r#"{"status":"error","errorType":"bad_data","error":"at least one label pair required"}"#);
    let (s, b) = call(&f.app, Method::POST, "/api/v1/alerts", None, "bad").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b.starts_with(r#"{"status":"error","errorType":"bad_data","error":""#), "{b}");
}

#[test]
fn times_print_as_go_strfmt() {
    assert_eq!(format_time(0), GO_ZERO_TIME);
    assert_eq!(format_time(T0), "2026-01-02T03:04:05.678Z");
    assert_eq!(format_time(T0 - 678), "2026-01-02T03:04:05.000Z");
    assert_eq!(parse_time("0001-01-01T00:00:00Z"), Ok(0));
    assert_eq!(parse_time("2026-01-02T04:04:05.678999+01:00"), Ok(T0));
    assert!(parse_time("yesterday").is_err());
}

#[tokio::test]
async fn unknown_v2_path_is_go_openapi_404() {
    let f = fixture();
    let (s, b) = get(&f.app, "/api/v2/nope").await;
    assert_eq!((s, b.as_str()), (StatusCode::NOT_FOUND, r#"{"code":404,"message":"path /api/v2/nope was not found"}"#));
    // Known paths keep their handlers.
    assert_eq!(get(&f.app, "/api/v2/receivers").await.0, StatusCode::OK);
}

#[tokio::test]
async fn v1_router_merges_with_prometheus_get_alerts() {
    // The server also serves Prometheus' `GET /api/v1/alerts` (rules); both must coexist.
    let f = fixture();
    let rules = Router::new().route("/api/v1/alerts", axum::routing::get(|| async { "rules" }));
    let app = rules.merge(v1_router(f.handle.clone()));
    assert_eq!(get(&app, "/api/v1/alerts").await, (StatusCode::OK, "rules".to_string()));
    let (s, _) = call(&app, Method::POST, "/api/v1/alerts", None, r#"[{"labels":{"alertname":"V1"}}]"#).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(f.handle.alerts().len(), 1);
}
