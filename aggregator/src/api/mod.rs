//! The Prometheus HTTP API v1 on axum: the query, metadata and status endpoints Grafana and
//! promtool use, with Prometheus' JSON shapes, error types and status codes
//! (see `web/api/v1/api.go` in Prometheus).
//!
//! - `query` — `/api/v1/query`, `/api/v1/query_range`;
//! - `metadata` — `/api/v1/series`, `/api/v1/labels`, `/api/v1/label/{name}/values`;
//! - `rules` — `/api/v1/rules`, `/api/v1/alerts`, `/-/reload` (routes in [`rules_router`]);
//! - this module — state, errors, `/api/v1/status/buildinfo`, `/-/healthy`, `/-/ready`;
//! - [`json`] — result encoding; [`params`] — form, time and duration parsing.

pub mod admin;
pub mod alertmanager;
pub mod federate;
pub mod fleet;
mod format;
pub mod import;
pub mod json;
mod metadata;
pub mod params;
mod parse_tree;
pub mod pushgateway;
mod query;
pub mod remote_write;
pub mod rules;

#[cfg(test)]
mod tests;

use crate::promql::{Engine, PromqlError};
use crate::storage::Storage;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use pharos_protocol::buildinfo::BuildInfo;

/// This build's information (what `/api/v1/status/buildinfo` and `--version` report).
pub fn build_info() -> BuildInfo {
    pharos_protocol::build_info!()
}

/// Everything the API handlers need; cheap to clone.
#[derive(Clone)]
pub struct ApiState {
    /// Storage for the metadata endpoints.
    pub storage: Arc<dyn Storage>,
    /// The PromQL engine for queries.
    pub engine: Arc<Engine>,
    /// Reported by `/api/v1/status/buildinfo`.
    pub build_info: BuildInfo,
    /// Whether `/-/ready` reports ready.
    pub ready: Arc<AtomicBool>,
    /// `[rules] external_labels`, which `/federate` adds to the series that lack them.
    pub external_labels: pharos_protocol::Labels,
}

/// The API routes, ready to be merged into the server's router.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .route("/api/v1/query", get(query::query).post(query::query))
        .route("/api/v1/query_range", get(query::query_range).post(query::query_range))
        .route("/api/v1/series", get(metadata::series).post(metadata::series))
        .route("/api/v1/labels", get(metadata::labels).post(metadata::labels))
        .route("/api/v1/label/{name}/values", get(metadata::label_values))
        .route("/api/v1/import/prometheus", axum::routing::post(import::import_prometheus))
        .route("/api/v1/format_query", get(format::format_query).post(format::format_query))
        .route("/api/v1/parse_query", get(format::parse_query).post(format::parse_query))
        .route("/api/v1/status/buildinfo", get(buildinfo))
        .route("/federate", get(federate::federate))
        .route("/-/healthy", get(healthy).head(healthy))
        .route("/-/ready", get(ready).head(ready))
        .with_state(state)
}

/// The routes of rule evaluation: `GET /api/v1/rules`, `GET /api/v1/alerts`, and
/// `POST|PUT /-/reload` (re-reads the rule files and alertmanager.yml; `GET` is 405).
pub fn rules_router(rules: rules::RulesState) -> Router {
    Router::new()
        .route("/api/v1/rules", get(rules::rules))
        .route("/api/v1/alerts", get(rules::alerts))
        .route("/-/reload", axum::routing::post(rules::reload).put(rules::reload).get(rules::reload_get))
        .with_state(rules)
}

/// An API error: Prometheus' `errorType` and message, rendered with its status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `bad_data`, `execution`, `timeout`, `internal`...
    pub error_type: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    /// A `bad_data` error (HTTP 400).
    pub fn bad_data(message: impl Into<String>) -> Self {
        ApiError { error_type: "bad_data", message: message.into() }
    }

    /// Prometheus' `invalid parameter "<name>": <message>` bad_data error.
    pub fn invalid_param(name: &str, message: impl std::fmt::Display) -> Self {
        Self::bad_data(format!("invalid parameter {name:?}: {message}"))
    }

    /// An `internal` error (HTTP 500).
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError { error_type: "internal", message: message.into() }
    }

    /// The HTTP status Prometheus uses for this error type.
    pub fn status(&self) -> StatusCode {
        match self.error_type {
            "bad_data" => StatusCode::BAD_REQUEST,
            "execution" => StatusCode::UNPROCESSABLE_ENTITY,
            "timeout" => StatusCode::SERVICE_UNAVAILABLE,
            // Prometheus' non-standard "client closed request".
            "canceled" => StatusCode::from_u16(499).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "not_found" => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Maps an engine error; parse errors and other bad input name the `query` parameter.
    fn from_promql(e: PromqlError) -> Self {
        match e {
            PromqlError::Parse(_) | PromqlError::BadData(_) => Self::invalid_param("query", e),
            other => ApiError { error_type: other.error_type(), message: other.to_string() },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status(), json::error(self.error_type, &self.message))
    }
}

/// A JSON body with the given status.
fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A success envelope around encoded data, or the error.
fn respond(result: Result<String, ApiError>) -> Response {
    match result {
        Ok(data) => json_response(StatusCode::OK, json::success(&data)),
        Err(e) => e.into_response(),
    }
}

/// A 200 with an already complete JSON body, or the error's response.
fn respond_body(result: Result<String, ApiError>) -> Response {
    match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(e) => e.into_response(),
    }
}

/// Runs blocking work (storage reads, query evaluation) off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::internal(format!("query worker failed: {e}")))
}

/// `GET /api/v1/status/buildinfo`.
async fn buildinfo(State(state): State<ApiState>) -> Response {
    respond(serde_json::to_string(&state.build_info).map_err(|e| ApiError::internal(e.to_string())))
}

/// `GET|HEAD /-/healthy`: always 200 while the process serves HTTP.
async fn healthy() -> Response {
    (StatusCode::OK, "Pharos is Healthy.\n").into_response()
}

/// `GET|HEAD /-/ready`: 200 once `ApiState::ready` is set, 503 before.
async fn ready(State(state): State<ApiState>) -> Response {
    if state.ready.load(Ordering::Acquire) {
        (StatusCode::OK, "Pharos is Ready.\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response()
    }
}
