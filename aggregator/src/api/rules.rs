//! `GET /api/v1/rules`, `GET /api/v1/alerts` and `/-/reload`, as Prometheus 2.42 serves them
//! (`web/api/v1/api.go`, `web/web.go`): the `type` filter of `/rules` (2.42 has no other), the
//! success envelope, and the reload's plain-text answers (200 with an empty body, 500 with the
//! error, 405 for GET).

use super::{json_response, ApiError};
use crate::reload::Reloader;
use crate::rules::api::{alerts_data, rules_data, RuleTypeFilter};
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The state of the rule routes: the reloader, which holds the running rule evaluation.
pub type RulesState = Arc<Reloader>;

/// Serializes `data` into the success envelope with Go's `encoding/json` escaping.
fn success<T: serde::Serialize>(data: &T) -> Response {
    match serde_json::to_string(data) {
        Ok(s) => json_response(StatusCode::OK, super::json::success(&crate::go_json_escape(&s))),
        Err(e) => ApiError::internal(e.to_string()).into_response(),
    }
}

/// The value of URL query parameter `name` (the first one), as Go's `URL.Query().Get`.
fn query_param(raw: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// `GET /api/v1/rules[?type=alert|record]`.
pub(super) async fn rules(State(rules): State<RulesState>, RawQuery(raw): RawQuery) -> Response {
    let filter = match RuleTypeFilter::parse(query_param(raw.as_deref(), "type").as_deref()) {
        Ok(f) => f,
        Err(e) => return ApiError::bad_data(e.to_string()).into_response(),
    };
    success(&rules_data(&rules.rules().manager().groups(), filter))
}

/// `GET /api/v1/alerts`.
pub(super) async fn alerts(State(rules): State<RulesState>) -> Response {
    success(&alerts_data(&rules.rules().manager().groups()))
}

/// `POST|PUT /-/reload`: re-reads the rule files and alertmanager.yml; what fails to load keeps
/// its previous version.
pub(super) async fn reload(State(rules): State<RulesState>) -> Response {
    match rules.reload().await {
        Ok(()) => StatusCode::OK.into_response(),
        // Go's http.Error: plain text, nosniff, the message and a newline.
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::X_CONTENT_TYPE_OPTIONS, "nosniff")],
            format!("failed to reload config: {e}\n"),
        )
            .into_response(),
    }
}

/// `GET /-/reload`: Prometheus answers 405.
pub(super) async fn reload_get() -> Response {
    (StatusCode::METHOD_NOT_ALLOWED, "Only POST or PUT requests allowed").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::EngineOptions;
    use crate::rules::restore::RestoreOptions;
    use crate::rules::{NullSink, RuleService, RuleServiceOptions};
    use crate::storage::memory::MemoryStorage;
    use axum::body::Body;
    use axum::http::Request;
    use serde_json::Value as Json;
    use std::time::Duration;
    use tower::ServiceExt;

    const RULES: &str = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: vector(1)\n  - alert: A\n    expr: vector(1)\n    annotations: {s: \"<{{ $value }}>\"}\n";

    async fn service(dir: &std::path::Path) -> RulesState {
        std::fs::write(dir.join("a.yml"), RULES).unwrap();
        let storage = Arc::new(MemoryStorage::new());
        let engine = Arc::new(crate::promql::Engine::new(storage.clone(), EngineOptions::default()));
        let opts = RuleServiceOptions {
            files: vec![dir.join("*.yml").display().to_string()],
            evaluation_interval: Duration::from_millis(100),
            resend_delay: Duration::from_secs(60),
            restore: RestoreOptions::default(),
            external_url: "http://x:9700".into(),
            external_labels: Default::default(),
        };
        let s = Arc::new(RuleService::new(engine, storage, Arc::new(NullSink), opts));
        s.start().await.unwrap();
        Arc::new(Reloader::new(s, None))
    }

    async fn send(app: &axum::Router, method: &str, uri: &str) -> (StatusCode, String) {
        let req = Request::builder().method(method).uri(uri).body(Body::empty()).unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    fn rule_names(body: &str) -> Vec<String> {
        let v: Json = serde_json::from_str(body).unwrap();
        assert_eq!(v["status"], "success", "{body}");
        v["data"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["rules"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()))
            .collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn rules_alerts_and_reload_endpoints() {
        let dir = tempfile::tempdir().unwrap();
        let rules = service(dir.path()).await;
        let app = super::super::rules_router(rules.clone());

        let (st, body) = send(&app, "GET", "/api/v1/rules").await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(rule_names(&body), ["r", "A"]);
        assert_eq!(rule_names(&send(&app, "GET", "/api/v1/rules?type=ALERT").await.1), ["A"]);
        assert_eq!(rule_names(&send(&app, "GET", "/api/v1/rules?type=record").await.1), ["r"]);
        let (st, body) = send(&app, "GET", "/api/v1/rules?type=foo").await;
        assert_eq!(st, StatusCode::BAD_REQUEST);
        assert_eq!(
            body,
            r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"type\": not supported value \"foo\""}"#
        );
        assert_eq!(send(&app, "POST", "/api/v1/rules").await.0, StatusCode::METHOD_NOT_ALLOWED);

        // After an evaluation the alert is listed, its annotation escaped as Go's JSON does.
        let mut alerts = String::new();
        for _ in 0..50 {
            alerts = send(&app, "GET", "/api/v1/alerts").await.1;
            if alerts.contains("pending") || alerts.contains("firing") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(alerts.starts_with(r#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"A"}"#), "{alerts}");
        assert!(alerts.contains(r#""s":"\u003c1\u003e""#), "{alerts}");

        assert_eq!(
            send(&app, "GET", "/-/reload").await,
            (StatusCode::METHOD_NOT_ALLOWED, "Only POST or PUT requests allowed".to_string())
        );
        std::fs::write(dir.path().join("a.yml"), RULES.replace("record: r", "record: r2")).unwrap();
        assert_eq!(send(&app, "POST", "/-/reload").await, (StatusCode::OK, String::new()));
        assert_eq!(rule_names(&send(&app, "GET", "/api/v1/rules").await.1), ["r2", "A"]);
        std::fs::write(dir.path().join("a.yml"), "groups: [").unwrap();
        let (st, body) = send(&app, "PUT", "/-/reload").await;
        assert_eq!(st, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body.starts_with("failed to reload config: ") && body.contains("a.yml"), "{body}");
        assert_eq!(rule_names(&send(&app, "GET", "/api/v1/rules").await.1), ["r2", "A"], "old rules kept");
        rules.rules().stop().await;
    }

    #[test]
    fn escapes_like_go() {
        assert_eq!(crate::go_json_escape(r#"{"a":"<b> & c"}"#), r#"{"a":"\u003cb\u003e \u0026 c"}"#);
        assert_eq!(crate::go_json_escape("plain"), "plain");
    }

    #[test]
    fn first_query_parameter() {
        assert_eq!(query_param(Some("type=alert&type=record"), "type").as_deref(), Some("alert"));
        assert_eq!(query_param(Some("x=1"), "type"), None);
        assert_eq!(query_param(None, "type"), None);
    }
}
