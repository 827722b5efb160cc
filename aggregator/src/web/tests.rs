//! The `[http]` section and the middleware on a small router (the e2e test drives the binary).

use super::*;
use axum::body::Body;
use axum::routing::{get, post};
use tower::ServiceExt;

fn web(toml: &str) -> Web {
    let cfg = AggregatorConfig::parse(toml).expect("config");
    Web::from_config(&cfg).expect("web")
}

fn app(w: &Web) -> Router {
    let r = Router::new()
        .route(
            "/api/v1/query",
            get(|| async { "ok" }).post(|b: axum::body::Bytes| async move { format!("{}", b.len()) }),
        )
        .route("/api/v1/write", post(|| async { StatusCode::NO_CONTENT }))
        .route("/-/reload", post(|| async { "reloaded" }));
    w.layer(r)
}

async fn status(app: &Router, method: &str, path: &str, auth: Option<&str>, body: &str) -> (StatusCode, String) {
    let mut req = axum::http::Request::builder().method(method).uri(path);
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    let resp = app.clone().oneshot(req.body(Body::from(body.to_string())).expect("request")).await.expect("response");
    let st = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    (st, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn roles_are_enforced_and_refusals_are_prometheus_json() {
    let read = bcrypt::hash("r", 4).expect("hash");
    let write = bcrypt::hash("w", 4).expect("hash");
    let w = web(&format!(
        "[[http.credentials]]\nname = \"r\"\nrole = \"read\"\nbearer_token_hash = \"{read}\"\n\
         [[http.credentials]]\nname = \"w\"\nrole = \"write\"\nbearer_token_hash = \"{write}\"\n\
         rate_limit = 0.001\nrate_burst = 2\n"
    ));
    assert!(w.auth_enabled() && !w.https());
    let app = app(&w);
    let (st, body) = status(&app, "GET", "/api/v1/query", None, "").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(body, r#"{"status":"error","errorType":"unauthorized","error":"authentication required"}"#);
    assert_eq!(status(&app, "GET", "/nowhere", None, "").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&app, "GET", "/api/v1/query", Some("Bearer r"), "").await.0, StatusCode::OK);
    assert_eq!(status(&app, "GET", "/api/v1/query", Some("Bearer w"), "").await.0, StatusCode::FORBIDDEN);
    let (st, body) = status(&app, "POST", "/api/v1/write", Some("Bearer r"), "").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(body.contains(r#""errorType":"forbidden""#), "{body}");
    assert_eq!(status(&app, "POST", "/-/reload", Some("Bearer w"), "").await.0, StatusCode::FORBIDDEN);
    // The write credential's burst of 2, then 429.
    assert_eq!(status(&app, "POST", "/api/v1/write", Some("Bearer w"), "").await.0, StatusCode::NO_CONTENT);
    assert_eq!(status(&app, "POST", "/api/v1/write", Some("Bearer w"), "").await.0, StatusCode::NO_CONTENT);
    let (st, body) = status(&app, "POST", "/api/v1/write", Some("Bearer w"), "").await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains(r#""errorType":"too_many_requests""#), "{body}");
}

#[tokio::test]
async fn without_credentials_everything_is_open_but_bodies_are_limited() {
    let w = web("[http]\nmax_body_bytes = 10\n");
    assert!(!w.auth_enabled());
    let app = app(&w);
    assert_eq!(status(&app, "POST", "/-/reload", None, "").await.0, StatusCode::OK);
    assert_eq!(status(&app, "POST", "/api/v1/query", None, "0123456789").await, (StatusCode::OK, "10".into()));
    let (st, body) = status(&app, "POST", "/api/v1/query", None, "0123456789a").await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        body,
        r#"{"status":"error","errorType":"bad_data","error":"request body exceeds the limit of 10 bytes"}"#
    );
}

#[test]
fn config_errors_name_the_setting() {
    let hash = bcrypt::hash("x", 4).expect("hash");
    let cases = [
        ("[http]\ntls = \"maybe\"\n", "unknown variant"),
        ("[http]\ntls_cert_file = \"c.pem\"\n", "http.tls_cert_file needs http.tls_key_file"),
        ("[http]\ntls = \"ca\"\ntls_cert_file = \"c\"\ntls_key_file = \"k\"\n", "conflicts"),
        ("[http]\nmax_body_bytes = 0\n", "max_body_bytes"),
        ("[http]\ncors_origin = \"(\"\n", "http.cors_origin"),
        ("[[http.credentials]]\nname = \"a\"\nrole = \"read\"\n", "set either bearer_token_hash"),
        ("[[http.credentials]]\nname = \"a\"\nrole = \"root\"\nbearer_token_hash = \"x\"\n", "unknown variant"),
        ("[[http.credentials]]\nname = \"a\"\nrole = \"read\"\nbearer_token_hash = \"plain\"\n", "not a bcrypt hash"),
        (
            &format!("[[http.credentials]]\nname = \"a\"\nrole = \"read\"\nbearer_token_hash = \"{hash}\"\nrate_limit = 0\n"),
            "rate_limit must be a positive",
        ),
        (
            &format!(
                "[[http.credentials]]\nname = \"a\"\nrole = \"read\"\nbearer_token_hash = \"{hash}\"\n\
                 [[http.credentials]]\nname = \"a\"\nrole = \"read\"\nbearer_token_hash = \"{hash}\"\n"
            ),
            "used twice",
        ),
        (
            &format!("[[http.credentials]]\nname = \"a\"\nrole = \"read\"\nusername = \"u\"\npassword_hash = \"{hash}\"\nbearer_token_hash = \"{hash}\"\n"),
            "not both",
        ),
    ];
    for (toml, want) in cases {
        let err = AggregatorConfig::parse(toml).expect_err(toml);
        assert!(err.contains(want), "{toml}: {err}");
    }
    let ok = AggregatorConfig::parse(&format!(
        "[[http.credentials]]\nname = \"a\"\nrole = \"admin\"\nusername = \"u\"\npassword_hash = \"{hash}\"\n"
    ))
    .expect("valid");
    assert_eq!(ok.http.credentials.len(), 1);
    assert_eq!(ok.http.max_body_bytes, config::DEFAULT_MAX_BODY_BYTES);
}

#[test]
fn only_a_non_loopback_listener_without_credentials_is_exposed() {
    let public: std::net::SocketAddr = "0.0.0.0:9700".parse().expect("addr");
    let loopback: std::net::SocketAddr = "127.0.0.1:9700".parse().expect("addr");
    assert!(exposed_without_auth(&public, false));
    assert!(!exposed_without_auth(&public, true));
    assert!(!exposed_without_auth(&loopback, false));
}

#[test]
fn hash_password_hashes_the_first_line() {
    let h = hash_password("s3cret\n", 4).expect("hash");
    assert!(bcrypt::verify("s3cret", &h).expect("verify"));
    assert!(hash_password("\n", 4).is_err());
    assert!(hash_password(&"x".repeat(73), 4).is_err());
}
