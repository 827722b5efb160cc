//! `/api/v1/format_query`: the query pretty-printed, as Prometheus' `API.formatQuery` does with
//! `parser.Prettify` (promql-parser's prettifier, same 100-column layout rules); and
//! `/api/v1/parse_query`: its syntax tree as JSON (see [`super::parse_tree`]).

use super::params::Params;
use super::{blocking, json, respond, ApiError};
use axum::extract::Request;
use axum::response::Response;

/// `GET|POST /api/v1/format_query`: `query`. Answers the formatted expression as a string;
/// a query that does not parse is a 400 `bad_data` naming the `query` parameter.
pub(super) async fn format_query(req: Request) -> Response {
    respond(run(req).await)
}

async fn run(req: Request) -> Result<String, ApiError> {
    let p = Params::from_request(req).await?;
    let q = p.get("query").to_owned();
    // Parsing and printing recurse per level of the tree: use the engine's large query stack.
    let formatted = blocking(move || crate::promql::format(&q)).await?.map_err(ApiError::from_promql)?;
    let mut out = String::with_capacity(formatted.len() + 2);
    json::write_string(&mut out, &formatted);
    Ok(out)
}

/// `GET|POST /api/v1/parse_query`: `query`. Answers the syntax tree; a query that does not parse
/// is a 400 `bad_data` naming the `query` parameter.
pub(super) async fn parse_query(req: Request) -> Response {
    respond(run_parse(req).await)
}

async fn run_parse(req: Request) -> Result<String, ApiError> {
    let p = Params::from_request(req).await?;
    let q = p.get("query").to_owned();
    // Parsing, translating and dropping the tree recurse per level: use the query stack.
    let tree = blocking(move || {
        crate::promql::on_query_stack(|| {
            let expr = crate::promql::parse_checked(&q)?;
            Ok(super::parse_tree::translate(&expr).to_string())
        })
    })
    .await?
    .map_err(ApiError::from_promql)?;
    Ok(tree)
}
