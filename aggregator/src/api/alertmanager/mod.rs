//! Alertmanager's HTTP API v2 (as in Alertmanager 0.25) over the in-process Alertmanager, so
//! `amtool` and Prometheus servers work against Pharos unchanged.
//!
//! - [`router`] — `/api/v2/alerts`, `/api/v2/alerts/groups`, `/api/v2/silences`,
//!   `/api/v2/silence/{silenceID}`, `/api/v2/status`, `/api/v2/receivers`;
//! - [`v1_router`] — `POST /api/v1/alerts`, which 0.25 still served (deprecated; removed in
//!   0.27) for Prometheus servers configured with `api_version: v1`;
//! - [`handlers`] — the handlers; [`models`] — the JSON models; [`secrets`] — the
//!   configuration with its secrets masked, as `/api/v2/status` shows it.
//!
//! Errors have upstream's two shapes: go-openapi's own (`{"code":…,"message":…}`) for bodies
//! that do not decode or miss required fields and for malformed path parameters, and a bare
//! JSON string for what the handlers reject.

pub mod handlers;
pub mod models;
pub mod secrets;
mod v1;

#[cfg(test)]
mod tests;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::Router;
use serde::Serialize;

use crate::alerting::manager::Handle;

/// What the handlers share: the Alertmanager and when the API started (`uptime`).
#[derive(Clone)]
pub struct AmState {
    /// The running Alertmanager.
    pub handle: Handle,
    /// Milliseconds since the epoch when [`router`] was built.
    pub started_ms: i64,
}

/// The API v2 routes over `handle`, ready to be merged into the server's router.
pub fn router(handle: Handle) -> Router {
    let state = AmState { handle, started_ms: wall_ms() };
    Router::new()
        .route("/api/v2/alerts", get(handlers::get_alerts).post(handlers::post_alerts))
        .route("/api/v2/alerts/groups", get(handlers::get_alert_groups))
        .route("/api/v2/silences", get(handlers::get_silences).post(handlers::post_silences))
        .route("/api/v2/silence/{silence_id}", delete(handlers::delete_silence).get(handlers::get_silence))
        .route("/api/v2/status", get(handlers::get_status))
        .route("/api/v2/receivers", get(handlers::get_receivers))
        // A route rather than a fallback, so this router can be merged with others.
        .route("/api/v2/{*rest}", axum::routing::any(not_found))
        .with_state(state)
}

/// `POST /api/v1/alerts` as Alertmanager 0.25 still served it (its other v1 routes are not
/// served: `GET /api/v1/alerts` is Prometheus' own rules endpoint on this server).
pub fn v1_router(handle: Handle) -> Router {
    Router::new().route("/api/v1/alerts", axum::routing::post(v1::post_alerts)).with_state(handle)
}

/// go-openapi's 404 for paths the spec does not have.
async fn not_found(uri: axum::http::Uri) -> AmError {
    openapi_error(404, &format!("path {} was not found", uri.path()))
}

/// Milliseconds since the Unix epoch by the wall clock (0 before it).
fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A 200 with a JSON body.
fn json_ok<T: Serialize>(value: &T) -> Response {
    json_body(StatusCode::OK, value)
}

/// A JSON body with the given status; a value that cannot be encoded is a 500.
fn json_body<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => plain_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()).into_response(),
    }
}

/// Why a request failed, in one of upstream's two error shapes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmError {
    /// go-openapi's own error (`{"code":…,"message":…}`): undecodable bodies, missing
    /// required fields, malformed parameters, unsupported media types.
    #[error("{message}")]
    OpenApi {
        /// go-openapi's code: an HTTP status, or 600 and above for validation (sent as 422).
        code: u16,
        /// The message.
        message: String,
    },
    /// What a handler rejects: the message as a JSON string, as go-swagger responders write
    /// string payloads.
    #[error("{message}")]
    Payload {
        /// The HTTP status.
        status: StatusCode,
        /// The message.
        message: String,
    },
}

impl IntoResponse for AmError {
    fn into_response(self) -> Response {
        match self {
            AmError::OpenApi { code, message } => {
                let status = if code >= 600 {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                };
                #[derive(Serialize)]
                struct Body<'a> {
                    code: u16,
                    message: &'a str,
                }
                json_body(status, &Body { code, message: &message })
            }
            AmError::Payload { status, message } => {
                let body = serde_json::Value::String(message).to_string();
                (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
            }
        }
    }
}

/// A handler's error with the given status.
fn plain_error(status: StatusCode, message: &str) -> AmError {
    AmError::Payload { status, message: message.to_string() }
}

/// go-openapi's own error.
fn openapi_error(code: u16, message: &str) -> AmError {
    AmError::OpenApi { code, message: message.to_string() }
}

/// go-openapi's check of a request body's media type: only `application/json` (parameters such
/// as `charset` allowed); a missing header counts as `application/octet-stream`.
fn check_json_content_type(headers: &HeaderMap) -> Result<(), AmError> {
    let raw = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let media = if media.is_empty() { "application/octet-stream".to_string() } else { media };
    if media == "application/json" {
        Ok(())
    } else {
        Err(openapi_error(415, &format!("unsupported media type {media:?}, only [application/json] are allowed")))
    }
}
