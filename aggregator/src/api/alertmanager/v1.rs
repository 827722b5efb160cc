//! `POST /api/v1/alerts` as Alertmanager 0.25 still served it (deprecated since 0.16, removed in
//! 0.27): the same alert objects as v2, answered with v1's `{"status":…}` envelope.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::json_body;
use super::models::PostableAlert;
use crate::alerting::manager::Handle;
use crate::alerting::types::Alert;

/// v1's response envelope.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// A v1 `bad_data` error (400).
fn bad_data(message: &str) -> Response {
    json_body(
        StatusCode::BAD_REQUEST,
        &Envelope { status: "error", error_type: Some("bad_data"), error: Some(message) },
    )
}

/// `POST /api/v1/alerts`: decodes without go-openapi (no media type or required-field
/// checks: an alert without labels fails validation), stores the valid alerts, and reports the
/// invalid ones as `bad_data`.
pub async fn post_alerts(State(handle): State<Handle>, body: Bytes) -> Response {
    let posted: Vec<PostableAlert> = match serde_json::from_slice::<Option<Vec<PostableAlert>>>(&body) {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => return bad_data(&e.to_string()),
    };
    let alerts: Result<Vec<Alert>, String> = posted.iter().map(PostableAlert::to_alert).collect();
    let alerts = match alerts {
        Ok(a) => a,
        Err(e) => return bad_data(&e),
    };
    match handle.put_alerts(alerts) {
        Ok(()) => json_body(StatusCode::OK, &Envelope { status: "success", error_type: None, error: None }),
        Err(e) => bad_data(&e.to_string()),
    }
}
