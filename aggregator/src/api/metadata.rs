//! `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/{name}/values`, answered straight from
//! storage, as in Prometheus' `API.series`, `API.labelNames` and `API.labelValues`.

use super::params::{time_param, Params, MAX_TIME_MS, MIN_TIME_MS};
use super::{blocking, json, respond, ApiError, ApiState};
use crate::promql::parse_series_selector;
use crate::storage::{Matcher, StorageError};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use pharos_protocol::Labels;
use std::collections::BTreeSet;

/// Matcher sets from every `match[]` value; errors are reported by `on_error`.
fn matcher_sets(p: &Params, on_error: impl Fn(String) -> ApiError) -> Result<Vec<Vec<Matcher>>, ApiError> {
    let mut sets = Vec::new();
    for m in p.all("match[]") {
        sets.extend(parse_series_selector(m).map_err(|e| on_error(e.to_string()))?);
    }
    Ok(sets)
}

/// Storage failures are server-side problems: `internal`, HTTP 500.
fn storage_error(e: StorageError) -> ApiError {
    ApiError::internal(e.to_string())
}

/// The `start` / `end` parameters, defaulting to Prometheus' min and max time.
fn time_range(p: &Params) -> Result<(i64, i64), ApiError> {
    Ok((time_param(p, "start", MIN_TIME_MS)?, time_param(p, "end", MAX_TIME_MS)?))
}

/// Encodes strings as a JSON array.
fn string_array<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let mut out = String::from("[");
    for (i, s) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(&mut out, s);
    }
    out.push(']');
    out
}

/// `GET|POST /api/v1/series`: `match[]` (required, repeatable), `start`, `end`.
pub(super) async fn series(State(state): State<ApiState>, req: Request) -> Response {
    respond(run_series(state, req).await)
}

/// The body of [`series`], as a result.
async fn run_series(state: ApiState, req: Request) -> Result<String, ApiError> {
    let p = Params::from_request(req).await?;
    if p.all("match[]").is_empty() {
        return Err(ApiError::bad_data("no match[] parameter provided"));
    }
    let (start, end) = time_range(&p)?;
    let sets = matcher_sets(&p, |e| ApiError::invalid_param("match[]", e))?;
    let storage = state.storage.clone();
    let found = blocking(move || -> Result<BTreeSet<Labels>, StorageError> {
        let mut all = BTreeSet::new();
        for set in &sets {
            all.extend(storage.series(set, start, end)?);
        }
        Ok(all)
    })
    .await?
    .map_err(storage_error)?;
    let mut out = String::from("[");
    for (i, labels) in found.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_labels(&mut out, labels);
    }
    out.push(']');
    Ok(out)
}

/// `GET|POST /api/v1/labels`: optional `match[]`, `start`, `end`.
pub(super) async fn labels(State(state): State<ApiState>, req: Request) -> Response {
    respond(run_labels(state, req).await)
}

/// The body of [`labels`], as a result.
async fn run_labels(state: ApiState, req: Request) -> Result<String, ApiError> {
    let p = Params::from_request(req).await?;
    let (start, end) = time_range(&p)?;
    let sets = matcher_sets(&p, ApiError::bad_data)?;
    let storage = state.storage.clone();
    let names = blocking(move || -> Result<BTreeSet<String>, StorageError> {
        if sets.is_empty() {
            return Ok(storage.label_names(&[], start, end)?.into_iter().collect());
        }
        let mut all = BTreeSet::new();
        for set in &sets {
            all.extend(storage.label_names(set, start, end)?);
        }
        Ok(all)
    })
    .await?
    .map_err(storage_error)?;
    Ok(string_array(&names))
}

/// `GET /api/v1/label/{name}/values`: optional `match[]`, `start`, `end`.
pub(super) async fn label_values(State(state): State<ApiState>, Path(name): Path<String>, req: Request) -> Response {
    respond(run_label_values(state, name, req).await)
}

/// The body of [`label_values`], as a result.
async fn run_label_values(state: ApiState, name: String, req: Request) -> Result<String, ApiError> {
    // Prometheus 3 accepts any non-empty UTF-8 label name here.
    if name.is_empty() {
        return Err(ApiError::bad_data(format!("invalid label name: {name:?}")));
    }
    let p = Params::from_request(req).await?;
    let (start, end) = time_range(&p)?;
    let sets = matcher_sets(&p, ApiError::bad_data)?;
    let storage = state.storage.clone();
    let values = blocking(move || -> Result<BTreeSet<String>, StorageError> {
        if sets.is_empty() {
            return Ok(storage.label_values(&name, &[], start, end)?.into_iter().collect());
        }
        let mut all = BTreeSet::new();
        for set in &sets {
            all.extend(storage.label_values(&name, set, start, end)?);
        }
        Ok(all)
    })
    .await?
    .map_err(storage_error)?;
    Ok(string_array(&values))
}
