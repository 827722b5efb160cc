//! The built-in web UI: the files Vite built from `ui/` (embedded by `build_ui.rs`), served at
//! `/`, `/assets/*` and the UI's own page routes.
//!
//! `/assets/` names carry a content hash, so they are cached for a year; `index.html` is
//! revalidated on every load, so a new binary's UI is picked up at once. The page routes
//! (`/query`, `/fleet`, `/alerts`, `/host/<name>`) all answer `index.html`: the client reads
//! the path and renders the page (links to them can be shared and reloaded).

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// URL path, from `/` (`/index.html`, `/assets/index-1a2b3c.js`).
    pub path: &'static str,
    /// The file.
    pub body: &'static [u8],
    /// The file gzip'd, for text types.
    pub gzip: Option<&'static [u8]>,
    /// Its Content-Type.
    pub content_type: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));

/// The client-side pages, each answered with `index.html`.
const PAGES: &[&str] = &["/query", "/fleet", "/alerts", "/host"];

/// The embedded file at `path`.
pub fn asset(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

/// The UI's routes, to merge into the server's router.
pub fn router() -> Router {
    let mut r =
        Router::new().route("/", get(index)).route("/assets/{*file}", get(hashed)).route("/host/{name}", get(index));
    for page in PAGES {
        r = r.route(page, get(index));
    }
    // Files of ui/public (the favicon): at the root, revalidated like index.html.
    for a in ASSETS.iter().filter(|a| !a.path.starts_with("/assets/") && a.path != "/index.html") {
        r = r.route(a.path, get(move |headers: HeaderMap| async move { serve(a, &headers, "no-cache") }));
    }
    r
}

/// `GET /` and the page routes.
async fn index(headers: HeaderMap) -> Response {
    match asset("/index.html") {
        Some(a) => serve(a, &headers, "no-cache"),
        None => (StatusCode::NOT_FOUND, "the web UI was not built into this binary\n").into_response(),
    }
}

/// `GET /assets/<file>`: hashed names, cached for a year.
async fn hashed(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match asset(&format!("/assets/{file}")) {
        Some(a) => serve(a, &headers, "public, max-age=31536000, immutable"),
        None => (StatusCode::NOT_FOUND, "404 page not found\n").into_response(),
    }
}

/// The file, gzip'd when the client accepts it.
fn serve(a: &'static Asset, headers: &HeaderMap, cache: &'static str) -> Response {
    let accepts_gzip =
        headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
            |enc| {
                let mut parts = enc.split(';');
                let name = parts.next().unwrap_or("").trim();
                // "gzip;q=0" refuses it.
                let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
                (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
            },
        );
    let mut resp = match a.gzip {
        Some(gz) if accepts_gzip => {
            let mut r = gz.into_response();
            r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        _ => a.body.into_response(),
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if a.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    async fn get(path: &str, gzip: bool) -> Response {
        let mut req = Request::get(path);
        if gzip {
            req = req.header(header::ACCEPT_ENCODING, "gzip, deflate, br");
        }
        router().oneshot(req.body(Body::empty()).expect("request")).await.expect("response")
    }

    #[tokio::test]
    async fn index_and_pages_answer_the_built_index_html() {
        let index = asset("/index.html").expect("index.html is embedded");
        for path in ["/", "/query", "/fleet", "/alerts", "/host", "/host/web-1"] {
            let resp = get(path, false).await;
            assert_eq!(resp.status(), StatusCode::OK, "{path}");
            assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
            assert_eq!(resp.headers()[header::CACHE_CONTROL], "no-cache");
            let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body");
            assert_eq!(&body[..], index.body, "{path}");
        }
    }

    #[tokio::test]
    async fn hashed_assets_are_cached_and_gzipped() {
        let js =
            ASSETS.iter().find(|a| a.path.starts_with("/assets/") && a.path.ends_with(".js")).expect("a JS bundle");
        let resp = get(js.path, true).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()[header::CONTENT_ENCODING], "gzip");
        assert!(resp.headers()[header::CACHE_CONTROL].to_str().unwrap_or("").contains("immutable"));
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body");
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut plain).expect("gunzip");
        assert_eq!(plain, js.body);
        // Without Accept-Encoding: the plain file.
        let resp = get(js.path, false).await;
        assert!(resp.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(get("/assets/nope.js", true).await.status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn index_html_references_only_embedded_assets() {
        let index = std::str::from_utf8(asset("/index.html").expect("index").body).expect("utf8");
        let refs: Vec<&str> = index.split('"').filter(|s| s.starts_with("/assets/")).collect();
        assert!(!refs.is_empty(), "index.html loads no bundle: {index}");
        for r in refs {
            assert!(asset(r).is_some(), "{r} is referenced by index.html but not embedded");
        }
    }
}
