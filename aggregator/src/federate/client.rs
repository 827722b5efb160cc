//! The HTTP client of one remote-write endpoint: the request Prometheus sends (POST, Snappy
//! protobuf body, `Content-Encoding: snappy`, `Content-Type: application/x-protobuf`,
//! `X-Prometheus-Remote-Write-Version: 0.1.0`), authentication, TLS, and Prometheus' verdict on
//! an answer: 2xx delivered; 5xx, 429 (when configured) and failures to connect or to get an
//! answer are retried; any other status drops the request.

use super::config::RemoteWriteConfig;
use pharos_protocol::tls::provider;
use pharos_protocol::trust::AcceptAnyCert;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How much of an error answer's body goes into the log.
const MAX_ERROR_BODY: usize = 512;

/// Why a client cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The TLS settings cannot be used.
    #[error("tls_config: {0}")]
    Tls(String),
    /// The HTTP client could not be built.
    #[error("http client: {0}")]
    Http(String),
    /// A header name or value is invalid.
    #[error("header {0:?} is invalid")]
    Header(String),
}

/// The outcome of one failed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth retrying (5xx, 429 when configured, no answer); `retry_after` from the answer.
    Recoverable {
        /// What happened.
        message: String,
        /// The server's `Retry-After`, if it sent one in seconds.
        retry_after: Option<Duration>,
    },
    /// Not worth retrying (other 4xx, or an answer outside 2xx-5xx): the data is dropped.
    Dropped {
        /// What happened.
        message: String,
    },
}

#[derive(Debug, Clone)]
enum Auth {
    None,
    Basic { username: String, password: Option<String>, password_file: Option<PathBuf> },
    Bearer(String),
    BearerFile(PathBuf),
}

/// A client for one endpoint.
#[derive(Debug, Clone)]
pub struct RemoteClient {
    client: reqwest::Client,
    url: String,
    headers: reqwest::header::HeaderMap,
    auth: Auth,
    retry_on_429: bool,
}

fn tls_config(cfg: &RemoteWriteConfig) -> Result<rustls::ClientConfig, ClientError> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Tls(e.to_string()))?;
    let builder = if cfg.tls_config.insecure_skip_verify {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCert(provider)))
    } else {
        let roots: Vec<CertificateDer<'static>> = match &cfg.tls_config.ca_file {
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| ClientError::Tls(format!("{}: {e}", path.display())))?;
                let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok).collect();
                if certs.is_empty() {
                    return Err(ClientError::Tls(format!("no certificate in {}", path.display())));
                }
                certs
            }
            None => pharos_protocol::trust::system_roots().map(|(_, c)| c).unwrap_or_default(),
        };
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(roots);
        builder.with_root_certificates(store)
    };
    Ok(builder.with_no_client_auth())
}

impl RemoteClient {
    /// Builds the client of `cfg`.
    pub fn new(cfg: &RemoteWriteConfig) -> Result<Self, ClientError> {
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config(cfg)?)
            .timeout(cfg.remote_timeout)
            .user_agent(format!("Pharos/{}", env!("CARGO_PKG_VERSION")))
            .no_proxy()
            .build()
            .map_err(|e| ClientError::Http(e.to_string()))?;
        let mut headers = reqwest::header::HeaderMap::new();
        for (k, v) in &cfg.headers {
            let name =
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).map_err(|_| ClientError::Header(k.clone()))?;
            let value = reqwest::header::HeaderValue::from_str(v).map_err(|_| ClientError::Header(k.clone()))?;
            headers.insert(name, value);
        }
        let auth = match (&cfg.basic_auth, &cfg.bearer_token, &cfg.bearer_token_file) {
            (Some(b), _, _) => Auth::Basic {
                username: b.username.clone(),
                password: b.password.clone(),
                password_file: b.password_file.clone(),
            },
            (None, Some(t), _) => Auth::Bearer(t.clone()),
            (None, None, Some(f)) => Auth::BearerFile(f.clone()),
            (None, None, None) => Auth::None,
        };
        Ok(RemoteClient {
            client,
            url: cfg.url.clone(),
            headers,
            auth,
            retry_on_429: cfg.queue_config.retry_on_http_429,
        })
    }

    /// POSTs one remote-write body and judges the answer.
    pub async fn send(&self, body: Vec<u8>) -> Result<(), SendError> {
        let mut req = self
            .client
            .post(&self.url)
            .headers(self.headers.clone())
            .header(reqwest::header::CONTENT_ENCODING, "snappy")
            .header(reqwest::header::CONTENT_TYPE, "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .body(body);
        req = match &self.auth {
            Auth::None => req,
            Auth::Basic { username, password, password_file } => {
                let password = match password_file {
                    // A file that cannot be read is a configuration problem a retry may fix.
                    Some(f) => Some(read_secret(f)?),
                    None => password.clone(),
                };
                req.basic_auth(username, password)
            }
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::BearerFile(f) => req.bearer_auth(read_secret(f)?),
        };
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return Err(SendError::Recoverable { message: error_chain(&e), retry_after: None }),
        };
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = resp.text().await.unwrap_or_default();
        let body: String = body.chars().take(MAX_ERROR_BODY).collect();
        let message = format!("server returned HTTP status {status}: {}", body.trim());
        if status.is_server_error() || (status.as_u16() == 429 && self.retry_on_429) {
            Err(SendError::Recoverable { message, retry_after })
        } else {
            Err(SendError::Dropped { message })
        }
    }
}

fn read_secret(path: &PathBuf) -> Result<String, SendError> {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .map_err(|e| SendError::Recoverable { message: format!("reading {}: {e}", path.display()), retry_after: None })
}

/// An error with its causes, as reqwest's own message hides them.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
