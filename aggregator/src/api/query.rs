//! `/api/v1/query` and `/api/v1/query_range`, with the parameter checks and messages of
//! Prometheus' `API.query` and `API.queryRange`.

use super::params::{parse_duration_ns, parse_time, time_param, Params};
use super::{blocking, json, respond_body, ApiError, ApiState};
use crate::promql::{QueryOptions, QueryOutput, MAX_POINTS_PER_SERIES, TOO_MANY_POINTS_MSG};
use axum::extract::{Request, State};
use axum::response::Response;
use std::time::Duration;

/// Nanoseconds per millisecond: durations are parsed in nanoseconds, as Go does.
const NS_PER_MS: i128 = 1_000_000;

/// The optional `timeout` and `lookback_delta` parameters.
fn query_options(p: &Params) -> Result<QueryOptions, ApiError> {
    let mut qo = QueryOptions::default();
    match p.get("timeout") {
        "" => {}
        v => {
            let ns = parse_duration_ns(v).map_err(|e| ApiError::invalid_param("timeout", e))?;
            // A non-positive timeout expires at once, as a past deadline does in Go.
            qo.timeout = Some(Duration::from_nanos(u64::try_from(ns).unwrap_or(0)));
        }
    }
    match p.get("lookback_delta") {
        "" => {}
        v => {
            let ns = parse_duration_ns(v)
                .map_err(|e| ApiError::bad_data(format!("error parsing lookback delta duration: {e}")))?;
            qo.lookback_delta_ms = Some(i64::try_from(ns / NS_PER_MS).unwrap_or(i64::MAX));
        }
    }
    Ok(qo)
}

/// `GET|POST /api/v1/query`: `query`, optional `time` (default now), `timeout`, `lookback_delta`.
pub(super) async fn query(State(state): State<ApiState>, req: Request) -> Response {
    respond_body(run_query(state, req).await)
}

/// The response body of [`query`], as a result.
async fn run_query(state: ApiState, req: Request) -> Result<String, ApiError> {
    let p = Params::from_request(req).await?;
    let time = time_param(&p, "time", crate::now_ms())?;
    let qo = query_options(&p)?;
    let q = p.get("query").to_owned();
    let engine = state.engine.clone();
    let out = blocking(move || engine.instant_query_with(&q, time, &qo)).await?.map_err(ApiError::from_promql)?;
    Ok(body(&out))
}

/// `GET|POST /api/v1/query_range`: `query`, `start`, `end`, `step`, optional `timeout`,
/// `lookback_delta`.
pub(super) async fn query_range(State(state): State<ApiState>, req: Request) -> Response {
    respond_body(run_query_range(state, req).await)
}

/// The response body of [`query_range`], as a result.
async fn run_query_range(state: ApiState, req: Request) -> Result<String, ApiError> {
    let p = Params::from_request(req).await?;
    let start = parse_time(p.get("start")).map_err(|e| ApiError::invalid_param("start", e))?;
    let end = parse_time(p.get("end")).map_err(|e| ApiError::invalid_param("end", e))?;
    if end < start {
        return Err(ApiError::invalid_param("end", "end timestamp must not be before start time"));
    }
    let step_ns = parse_duration_ns(p.get("step")).map_err(|e| ApiError::invalid_param("step", e))?;
    if step_ns <= 0 {
        return Err(ApiError::invalid_param(
            "step",
            "zero or negative query resolution step widths are not accepted. Try a positive integer",
        ));
    }
    // Same integer arithmetic as Prometheus' `end.Sub(start)/step > 11000`, in nanoseconds.
    if (end as i128 - start as i128) * NS_PER_MS / step_ns > MAX_POINTS_PER_SERIES as i128 {
        return Err(ApiError::bad_data(TOO_MANY_POINTS_MSG));
    }
    // Evaluation happens on a millisecond grid, so a sub-millisecond step cannot be honoured.
    let step_ms = i64::try_from(step_ns / NS_PER_MS).unwrap_or(i64::MAX);
    if step_ms == 0 {
        return Err(ApiError::invalid_param("step", "steps shorter than one millisecond are not supported"));
    }
    let qo = query_options(&p)?;
    let q = p.get("query").to_owned();
    let engine = state.engine.clone();
    let out = blocking(move || engine.range_query_with(&q, start, end, step_ms, &qo))
        .await?
        .map_err(ApiError::from_promql)?;
    Ok(body(&out))
}

/// The whole response body: the success envelope with the result and any annotations.
fn body(out: &QueryOutput) -> String {
    json::success_with_annotations(
        &json::query_data(&out.value),
        &out.annotations.warning_strings(),
        &out.annotations.info_strings(),
    )
}
