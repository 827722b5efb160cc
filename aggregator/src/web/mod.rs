//! Security of the HTTP listener (`[http]`): HTTPS, authentication by bearer token or Basic
//! auth with a role per credential, per-credential rate limits on write paths, request body
//! limits and CORS. One middleware in front of every route; off by default.
//!
//! Order in the middleware: CORS preflight (browsers send it without credentials), then the
//! credential (401), its role against [`routes::required_role`] (403), the rate limit on write
//! paths (429), the body size (413), and the CORS header on the way out. Every refusal is
//! Prometheus' error JSON.

pub mod auth;
pub mod config;
pub mod limits;
pub mod routes;
#[cfg(test)]
mod tests;
pub mod tls;

use crate::config::AggregatorConfig;
use auth::{Authenticator, Outcome};
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use routes::Role;
use std::sync::Arc;

pub use config::HttpSection;

/// Errors setting up the HTTP listener's security.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// `[http]` is invalid.
    #[error("{0}")]
    Config(String),
    /// The HTTPS certificate or key.
    #[error(transparent)]
    Https(#[from] tls::HttpsError),
}

/// The HTTP listener's security, built once at start.
#[derive(Clone)]
pub struct Web {
    guard: Arc<Guard>,
    tls: Option<Arc<rustls::ServerConfig>>,
}

/// What the middleware needs.
struct Guard {
    auth: Option<Arc<Authenticator>>,
    max_body_bytes: u64,
    cors: Option<regex::Regex>,
}

impl Web {
    /// From the configuration: validates `[http]` and loads the HTTPS certificate.
    pub fn from_config(cfg: &AggregatorConfig) -> Result<Self, WebError> {
        let http = &cfg.http;
        http.validate().map_err(WebError::Config)?;
        let tls = tls::server_config(&http.tls_mode().map_err(WebError::Config)?, cfg)?;
        let cors = match &http.cors_origin {
            Some(re) => Some(pharos_goregex::compile_anchored(re).map_err(|e| WebError::Config(e.to_string()))?),
            None => None,
        };
        let auth = (!http.credentials.is_empty()).then(|| Arc::new(Authenticator::new(&http.credentials)));
        Ok(Web { guard: Arc::new(Guard { auth, max_body_bytes: http.max_body_bytes, cors }), tls })
    }

    /// Whether requests need a credential.
    pub fn auth_enabled(&self) -> bool {
        self.guard.auth.is_some()
    }

    /// Whether the listener serves HTTPS.
    pub fn https(&self) -> bool {
        self.tls.is_some()
    }

    /// Puts the middleware in front of every route of `app` (and its 404 fallback).
    pub fn layer(&self, app: Router) -> Router {
        app.layer(axum::middleware::from_fn_with_state(self.guard.clone(), guard))
    }

    /// Serves `app` on `listener` (HTTPS if configured) in a background task. Warns when the
    /// listener is reachable from other hosts and no credential is configured.
    pub fn spawn(&self, listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
        let addr = listener.local_addr()?;
        if exposed_without_auth(&addr, self.auth_enabled()) {
            tracing::warn!(
                http = %addr,
                "the HTTP listener is reachable from other hosts and [[http.credentials]] is empty: \
                 anyone who reaches it can query, push data, silence alerts and reload"
            );
        }
        match &self.tls {
            Some(config) => {
                let listener = tls::TlsListener::new(listener, config.clone())?;
                tokio::spawn(async move {
                    if let Err(e) = axum::serve(listener, app).await {
                        tracing::error!(error = %e, "HTTPS server failed");
                    }
                });
            }
            None => {
                tokio::spawn(async move {
                    if let Err(e) = axum::serve(listener, app).await {
                        tracing::error!(error = %e, "HTTP server failed");
                    }
                });
            }
        }
        Ok(())
    }
}

/// Whether the listener at `addr` answers other hosts without asking for a credential (the
/// quickstart's loopback listener does not).
pub fn exposed_without_auth(addr: &std::net::SocketAddr, auth_enabled: bool) -> bool {
    !addr.ip().is_loopback() && !auth_enabled
}

/// The middleware (see the module documentation for its order).
async fn guard(State(g): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let origin = g.cors.as_ref().and_then(|re| {
        let o = req.headers().get(header::ORIGIN)?;
        o.to_str().ok().filter(|s| re.is_match(s)).map(|_| o.clone())
    });
    // A preflight carries no credentials (browsers never send them there): answer it here.
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight && origin.is_some() {
        return with_cors(StatusCode::NO_CONTENT.into_response(), origin);
    }
    let required = routes::required_role(req.method(), req.uri().path());
    if let Some(auth) = &g.auth {
        let refusal = match auth.authenticate(req.headers().get(header::AUTHORIZATION)).await {
            Outcome::Missing => Some(unauthorized(auth, "authentication required")),
            Outcome::Invalid => Some(unauthorized(auth, "invalid credentials")),
            Outcome::Valid(i) => admit(auth.entry(i), required, req.method(), req.uri().path()),
        };
        if let Some(r) = refusal {
            return with_cors(r, origin);
        }
    }
    let req = if req.uri().path().starts_with("/api/v1/import/") {
        // Imports are streamed in bounded pieces and may be larger than any request body.
        req
    } else {
        match limits::limit_body(req, g.max_body_bytes).await {
            Ok(r) => r,
            Err(e @ limits::BodyError::TooLarge(_)) => {
                return with_cors(error_response(StatusCode::PAYLOAD_TOO_LARGE, "bad_data", &e.to_string()), origin)
            }
            Err(e) => return with_cors(error_response(StatusCode::BAD_REQUEST, "bad_data", &e.to_string()), origin),
        }
    };
    with_cors(next.run(req).await, origin)
}

/// The role check and, on write paths, the rate limit of an authenticated credential.
fn admit(entry: &auth::Entry, required: Role, method: &Method, path: &str) -> Option<Response> {
    if !entry.role.allows(required) {
        tracing::debug!(credential = %entry.name, %method, path, "refused: role {} needs {}", entry.role.as_str(), required.as_str());
        let msg = format!(
            "credential {:?} has role {}, this endpoint needs {}",
            entry.name,
            entry.role.as_str(),
            required.as_str()
        );
        return Some(error_response(StatusCode::FORBIDDEN, "forbidden", &msg));
    }
    if required != Role::Write {
        return None;
    }
    let limiter = entry.limiter.as_ref()?;
    let taken = limiter.lock().unwrap_or_else(|e| e.into_inner()).take();
    let wait = taken.err()?;
    let mut r = error_response(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_requests",
        &format!("rate limit of credential {:?} exceeded", entry.name),
    );
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    Some(r)
}

/// 401 with a challenge for each configured scheme.
fn unauthorized(auth: &Authenticator, msg: &str) -> Response {
    let mut r = error_response(StatusCode::UNAUTHORIZED, "unauthorized", msg);
    let (bearer, basic) = auth.schemes();
    if basic {
        r.headers_mut().append(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"pharos\""));
    }
    if bearer {
        r.headers_mut().append(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"pharos\""));
    }
    r
}

/// Prometheus' error JSON with `status`.
pub fn error_response(status: StatusCode, error_type: &str, msg: &str) -> Response {
    let body = crate::api::json::error(error_type, msg);
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Adds the CORS headers Prometheus sends for an allowed origin.
fn with_cors(mut r: Response, origin: Option<HeaderValue>) -> Response {
    if let Some(o) = origin {
        let h = r.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Authorization, Content-Type, Origin"),
        );
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("Date"));
        h.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    r
}

/// `pharos-aggregator hash-password`: the bcrypt hash of the first line of `input` (a password
/// or a bearer token), for `password_hash` or `bearer_token_hash`.
pub fn hash_password(input: &str, cost: u32) -> Result<String, String> {
    let secret = input.lines().next().unwrap_or("");
    if secret.is_empty() {
        return Err("no password on standard input".into());
    }
    if secret.len() > 72 {
        return Err("bcrypt uses only the first 72 bytes of a password; use a shorter one".into());
    }
    bcrypt::hash(secret, cost).map_err(|e| e.to_string())
}
