//! The HTTP client of the Slack, PagerDuty and webhook integrations, built from an
//! `http_config` (Prometheus' common HTTP client settings), and Alertmanager's decision of
//! whether a failed request is worth retrying (`notify.Retrier`).

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use pharos_protocol::tls::provider;
use pharos_protocol::trust::AcceptAnyCert;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::RootCertStore;

use super::ReceiverError;
use crate::alerting::config::receivers::{HttpClientConfig, TlsConfig};
use crate::alerting::config::Secret;
use crate::alerting::types::NotifyError;

/// How long connecting to a receiver may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a whole request may take (the dispatcher may give up earlier).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// How much of a response body goes into an error message.
const MAX_ERROR_BODY: usize = 1024;

/// The `User-Agent` of notification requests.
pub fn user_agent() -> String {
    format!("Pharos/{}", env!("CARGO_PKG_VERSION"))
}

/// The system's trusted CAs (`SSL_CERT_FILE`, else the first readable bundle), read once per
/// process. Empty when none is found: only receivers with a `ca_file` can then use TLS.
pub fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| pharos_protocol::trust::system_roots().map(|(_, certs)| certs).unwrap_or_default())
}

/// The CAs a TLS client of `tls` trusts: the `ca_file` alone when set (as Go does), else the
/// system's.
pub fn trusted_roots(tls: &TlsConfig) -> Result<Vec<CertificateDer<'static>>, ReceiverError> {
    if tls.ca_file.is_empty() {
        return Ok(system_roots().to_vec());
    }
    let pem = read(&tls.ca_file)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok).collect();
    if certs.is_empty() {
        return Err(ReceiverError::Tls(format!("unable to use specified CA cert {}", tls.ca_file)));
    }
    Ok(certs)
}

fn read(path: &str) -> Result<Vec<u8>, ReceiverError> {
    std::fs::read(path).map_err(|source| ReceiverError::File { path: Path::new(path).to_path_buf(), source })
}

/// A rustls client configuration for `tls`: trusted CAs, client certificate, TLS versions and
/// `insecure_skip_verify`.
pub fn rustls_config(tls: &TlsConfig) -> Result<rustls::ClientConfig, ReceiverError> {
    let versions: &[&rustls::SupportedProtocolVersion] = match (tls.min_version.as_str(), tls.max_version.as_str()) {
        ("TLS13", _) => &[&rustls::version::TLS13],
        (_, "TLS12" | "TLS11" | "TLS10") => &[&rustls::version::TLS12],
        _ => &[&rustls::version::TLS13, &rustls::version::TLS12],
    };
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|e| ReceiverError::Tls(e.to_string()))?;
    let builder = if tls.insecure_skip_verify {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCert(provider)))
    } else {
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(trusted_roots(tls)?);
        builder.with_root_certificates(store)
    };
    match (tls.cert_file.is_empty(), tls.key_file.is_empty()) {
        (true, true) => Ok(builder.with_no_client_auth()),
        (false, false) => {
            let certs: Vec<_> = CertificateDer::pem_slice_iter(&read(&tls.cert_file)?).filter_map(Result::ok).collect();
            let key = PrivateKeyDer::from_pem_slice(&read(&tls.key_file)?)
                .map_err(|e| ReceiverError::Tls(format!("{}: {e}", tls.key_file)))?;
            builder.with_client_auth_cert(certs, key).map_err(|e| ReceiverError::Tls(e.to_string()))
        }
        _ => Err(ReceiverError::Tls("client cert file and key file must both be set".into())),
    }
}

/// How requests authenticate; files are read at each request, as Prometheus does, so rotated
/// credentials are picked up.
#[derive(Debug, Clone)]
enum Auth {
    None,
    Basic { username: String, password: Secret, password_file: String },
    Header { scheme: String, credentials: Secret, credentials_file: String },
}

/// An HTTP client for one integration.
#[derive(Debug, Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    auth: Auth,
}

/// A receiver's answer: status code and (the start of) the body.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response body, cut to a size fit for error messages.
    pub body: String,
}

impl HttpClient {
    /// Builds the client of `cfg`: TLS settings, proxy, redirects, authentication. OAuth 2 is
    /// not supported and refused.
    pub fn new(cfg: &HttpClientConfig) -> Result<HttpClient, ReceiverError> {
        if cfg.oauth2.is_some() {
            return Err(ReceiverError::Unsupported("oauth2 in http_config".into()));
        }
        let tls = rustls_config(&cfg.tls_config)?;
        let mut builder = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(user_agent());
        // Go's client uses only the configured proxy, never the environment's.
        builder = match &cfg.proxy_url {
            Some(p) => builder.proxy(reqwest::Proxy::all(p.as_str()).map_err(|e| ReceiverError::Http(e.to_string()))?),
            None => builder.no_proxy(),
        };
        if !cfg.follow_redirects {
            builder = builder.redirect(reqwest::redirect::Policy::none());
        }
        let client = builder.build().map_err(|e| ReceiverError::Http(e.to_string()))?;
        let auth = if let Some(b) = &cfg.basic_auth {
            Auth::Basic {
                username: b.username.clone(),
                password: b.password.clone(),
                password_file: b.password_file.clone(),
            }
        } else if let Some(a) = &cfg.authorization {
            Auth::Header {
                scheme: a.auth_type.clone(),
                credentials: a.credentials.clone(),
                credentials_file: a.credentials_file.clone(),
            }
        } else {
            Auth::None
        };
        Ok(HttpClient { client, auth })
    }

    /// POSTs a JSON body. A request that could not be made or answered (connection refused,
    /// timeout) is a retryable error; any answer is returned for the caller to judge.
    pub async fn post_json(&self, url: &str, body: Vec<u8>) -> Result<HttpResponse, NotifyError> {
        let mut req = self.client.post(url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        req = match &self.auth {
            Auth::None => req,
            Auth::Basic { username, password, password_file } => {
                let pw = secret_or_file(password, password_file)?;
                req.basic_auth(username, Some(pw))
            }
            Auth::Header { scheme, credentials, credentials_file } => {
                let c = secret_or_file(credentials, credentials_file)?;
                req.header(reqwest::header::AUTHORIZATION, format!("{scheme} {c}"))
            }
        };
        // The URL may hold a credential (Slack webhooks): keep it out of errors.
        let resp = req.send().await.map_err(|e| NotifyError::retry(e.without_url().to_string()))?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap_or_default();
        let end = bytes.len().min(MAX_ERROR_BODY);
        Ok(HttpResponse { status, body: String::from_utf8_lossy(&bytes[..end]).into_owned() })
    }
}

/// A secret given inline or in a file (read now, trimmed as Prometheus does).
fn secret_or_file(inline: &Secret, file: &str) -> Result<String, NotifyError> {
    if file.is_empty() {
        return Ok(inline.expose().to_string());
    }
    std::fs::read_to_string(file)
        .map(|s| s.trim().to_string())
        .map_err(|e| NotifyError::fatal(format!("unable to read {file}: {e}")))
}

/// Alertmanager's `Retrier.Check`: 2xx succeeds; 5xx and the integration's `retry_codes`
/// fail retryably; anything else fails for good. `details` is appended to the message when
/// not empty.
pub fn check_status(status: u16, retry_codes: &[u16], details: &str) -> Result<(), NotifyError> {
    if status / 100 == 2 {
        return Ok(());
    }
    let retry = status / 100 == 5 || retry_codes.contains(&status);
    let mut msg = format!("unexpected status code {status}");
    if !details.is_empty() {
        msg.push_str(": ");
        msg.push_str(details);
    }
    Err(NotifyError { retryable: retry, message: msg })
}

/// Prefixes an error's message, keeping whether it is retryable (Go's `errors.Wrap`).
pub fn wrap(prefix: &str, e: NotifyError) -> NotifyError {
    NotifyError { retryable: e.retryable, message: format!("{prefix}: {}", e.message) }
}

/// Serializes a payload as Go's `json.Encoder` does: `<`, `>`, `&`, U+2028 and U+2029 escaped,
/// and a final newline.
pub fn go_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, NotifyError> {
    let s = serde_json::to_string(v).map_err(|e| NotifyError::fatal(format!("encoding JSON: {e}")))?;
    let mut out = crate::go_json_escape(&s);
    out.push('\n');
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_decisions_follow_alertmanager() {
        assert!(check_status(200, &[], "").is_ok());
        assert!(check_status(204, &[], "x").is_ok());
        let e = check_status(500, &[], "boom").unwrap_err();
        assert!(e.retryable);
        assert_eq!(e.message, "unexpected status code 500: boom");
        let e = check_status(404, &[], "").unwrap_err();
        assert!(!e.retryable);
        assert_eq!(e.message, "unexpected status code 404");
        assert!(!check_status(429, &[], "").unwrap_err().retryable);
        assert!(check_status(429, &[429], "").unwrap_err().retryable);
        assert!(!check_status(302, &[], "").unwrap_err().retryable);
    }

    #[test]
    fn json_is_escaped_like_go() {
        let v = serde_json::json!({"a": "<b>&\u{2028}"});
        assert_eq!(String::from_utf8(go_json(&v).unwrap()).unwrap(), "{\"a\":\"\\u003cb\\u003e\\u0026\\u2028\"}\n");
    }

    #[test]
    fn ca_file_must_hold_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ca.pem");
        std::fs::write(&p, "not a pem").unwrap();
        let tls = TlsConfig { ca_file: p.display().to_string(), ..TlsConfig::default() };
        assert!(matches!(trusted_roots(&tls), Err(ReceiverError::Tls(_))));
        let missing = TlsConfig { ca_file: "/nonexistent/ca.pem".into(), ..TlsConfig::default() };
        assert!(rustls_config(&missing).is_err());
        assert!(rustls_config(&TlsConfig { insecure_skip_verify: true, ..TlsConfig::default() }).is_ok());
    }
}
