//! Prometheus' admin endpoints, behind `[server] admin_api` (its `--web.enable-admin-api`):
//! `POST|PUT /api/v1/admin/tsdb/snapshot[?skip_head=<bool>]` writes a backup of the data
//! directory (see [`crate::backup`]) into `<data_dir>/snapshots/<name>` and answers
//! `{"status":"success","data":{"name":"<name>"}}`. Disabled, it answers as Prometheus does:
//! 503 `{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}`.
//!
//! Every admin route is in [`router`], so access control can wrap them as one.

use super::params::Params;
use super::{json, json_response, ApiError};
use crate::storage::rocks::RocksStorage;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;

/// What the admin handlers need.
#[derive(Clone)]
pub struct AdminState {
    /// `[server] admin_api`: serve the endpoints, or answer that they are disabled.
    pub enabled: bool,
    /// The store to snapshot.
    pub store: Arc<RocksStorage>,
    /// The data directory: what a backup copies, and where snapshots go.
    pub data_dir: PathBuf,
}

/// The admin routes.
pub fn router(state: AdminState) -> Router {
    Router::new().route("/api/v1/admin/tsdb/snapshot", post(snapshot).put(snapshot)).with_state(state)
}

/// Prometheus' answer to an admin request while admin APIs are disabled (`errorUnavailable`).
fn disabled() -> Response {
    json_response(StatusCode::SERVICE_UNAVAILABLE, json::error("unavailable", "admin APIs disabled"))
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `POST|PUT /api/v1/admin/tsdb/snapshot`.
async fn snapshot(State(st): State<AdminState>, req: Request) -> Response {
    if !st.enabled {
        return disabled();
    }
    let params = match Params::from_request(req).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let skip_head = match params.get("skip_head") {
        "" => false,
        v => match parse_bool(v) {
            Some(b) => b,
            None => {
                return ApiError::invalid_param(
                    "skip_head",
                    format!(
                        "unable to parse boolean 'skip_head' argument: strconv.ParseBool: parsing {v:?}: invalid syntax"
                    ),
                )
                .into_response()
            }
        },
    };
    let result = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let name = crate::backup::snapshot_in_data_dir(&st.data_dir, &st.store, skip_head)?;
        tracing::info!(name, skip_head, seconds = started.elapsed().as_secs_f64(), "snapshot written");
        Ok::<_, crate::backup::BackupError>(name)
    })
    .await;
    match result {
        Ok(Ok(name)) => {
            let mut data = String::from("{\"name\":");
            json::write_string(&mut data, &name);
            data.push('}');
            json_response(StatusCode::OK, json::success(&data))
        }
        Ok(Err(e)) => ApiError::internal(format!("create snapshot: {e}")).into_response(),
        Err(e) => ApiError::internal(format!("create snapshot: {e}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::rocks::RocksOptions;
    use tower::ServiceExt;

    async fn call(app: Router, method: &str, uri: &str) -> (StatusCode, String) {
        let req = axum::http::Request::builder().method(method).uri(uri).body(axum::body::Body::empty()).unwrap();
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn snapshot_answers_like_prometheus() {
        let d = tempfile::tempdir().unwrap();
        let store = Arc::new(RocksStorage::open(&d.path().join("db"), RocksOptions::unbounded()).unwrap());
        let state = AdminState { enabled: false, store, data_dir: d.path().to_path_buf() };
        let (status, body) = call(router(state.clone()), "POST", "/api/v1/admin/tsdb/snapshot").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body, r#"{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}"#);
        assert!(!d.path().join("snapshots").exists());

        let app = router(AdminState { enabled: true, ..state });
        let (status, body) = call(app.clone(), "PUT", "/api/v1/admin/tsdb/snapshot?skip_head=true").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["status"], "success");
        let name = v["data"]["name"].as_str().unwrap();
        assert!(d.path().join("snapshots").join(name).join("db/db/CURRENT").exists());
        let (status, body) = call(app.clone(), "POST", "/api/v1/admin/tsdb/snapshot?skip_head=maybe").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains(r#""errorType":"bad_data""#) && body.contains("skip_head"), "{body}");
        let (status, _) = call(app, "GET", "/api/v1/admin/tsdb/snapshot").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    }
}
