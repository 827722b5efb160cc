//! The Pushgateway API on the aggregator's HTTP port: `PUT|POST|DELETE /metrics/job/...`
//! (and `/metrics/job@base64/...`), `GET /api/v1/metrics`, `GET /api/v1/status` and
//! `PUT /api/v1/admin/wipe`, served by `pharos_pushgateway`; the pushed groups are written into
//! storage by [`crate::pushgateway::Materializer`]. The aggregator's own `GET /metrics` is not
//! touched (it is an exact route; pushes are under `/metrics/`).

use crate::config::PushgatewaySection;
use crate::pushgateway::Materializer;
use crate::storage::Storage;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, put};
use axum::Router;
use pharos_pushgateway::limits::MAX_BODY_BYTES;
use pharos_pushgateway::{grouping, Options, PushRequest, Pushgateway, TTL_HEADER};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tracing::{info, warn};

#[derive(Clone)]
struct PgState {
    gateway: Arc<Pushgateway>,
    materializer: Arc<Materializer>,
}

/// Loads the persisted groups, starts the task that writes them into storage, and returns the
/// routes (none when `[pushgateway] enabled = false`).
pub fn router(cfg: &PushgatewaySection, data_dir: &Path, storage: Arc<dyn Storage>) -> Result<Router, String> {
    if !cfg.enabled {
        return Ok(Router::new());
    }
    let persistence_file = cfg.persistence_file.clone().unwrap_or_else(|| data_dir.join("pushgateway.store"));
    let ttl = (!cfg.default_ttl.is_zero()).then_some(cfg.default_ttl);
    let mut flags = BTreeMap::new();
    flags.insert("persistence.file".to_string(), persistence_file.display().to_string());
    flags.insert("web.enable-admin-api".to_string(), cfg.admin_api.to_string());
    flags.insert("pharos.default-ttl".to_string(), pharos_protocol::duration::format_duration(cfg.default_ttl));
    flags.insert("pharos.interval".to_string(), pharos_protocol::duration::format_duration(cfg.interval));
    let options = Options {
        default_ttl: ttl,
        admin_api: cfg.admin_api,
        persistence_file: Some(persistence_file.clone()),
        status_flags: flags,
    };
    let gateway = Arc::new(Pushgateway::new(options).map_err(|e| format!("pushgateway: {e}"))?);
    let groups = gateway.snapshot().len();
    info!(file = %persistence_file.display(), groups, "pushgateway store loaded");
    let materializer = Arc::new(Materializer::new(gateway.clone(), storage));
    materializer.write_all();
    materializer.clone().persist_on_sigterm();
    tokio::spawn(materializer.clone().run(cfg.interval));
    let state = PgState { gateway, materializer };
    Ok(Router::new()
        .route("/metrics/{*rest}", any(handle))
        .route("/api/v1/metrics", get(handle))
        .route("/api/v1/status", get(handle))
        .route("/api/v1/admin/wipe", put(handle))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn handle(State(st): State<PgState>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let content_type = header_str(&headers, header::CONTENT_TYPE.as_str()).map(str::to_string);
    let content_encoding = header_str(&headers, header::CONTENT_ENCODING.as_str()).map(str::to_string);
    let ttl = header_str(&headers, TTL_HEADER).map(str::to_string);
    // Parsing a body of up to 16 MiB and writing the group are blocking work.
    let result = tokio::task::spawn_blocking(move || {
        let req = PushRequest {
            method: method.as_str(),
            path: &path,
            content_type: content_type.as_deref(),
            content_encoding: content_encoding.as_deref(),
            ttl: ttl.as_deref(),
            body: &body,
        };
        let resp = st.gateway.handle(&req);
        if resp.changed {
            match grouping::parse_path(&path) {
                Ok(key) => st.materializer.write_group(&key),
                // The wipe.
                Err(_) => st.materializer.write_all(),
            }
            // Durable before the response (a clean stop right after a push loses nothing);
            // if the write fails, the periodic task retries it.
            if let Err(e) = st.gateway.persist() {
                warn!(error = %e, "could not persist the pushgateway store");
            }
        }
        resp
    })
    .await;
    let resp = match result {
        Ok(r) => r,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, format!("push handler failed: {e}\n")).into_response(),
    };
    let status = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match resp.content_type {
        Some(ct) => (status, [(header::CONTENT_TYPE, ct)], resp.body).into_response(),
        None => status.into_response(),
    }
}
