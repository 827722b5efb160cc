//! `[http]`: TLS, credentials, limits and CORS of the HTTP listener.

use super::routes::Role;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Default [`HttpSection::max_body_bytes`]: the largest remote_write body the endpoint accepts
/// (32 MiB compressed), above the Pushgateway's 16 MiB, so no valid push is refused by it.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// `[http]`: security of the HTTP listener. Everything is off by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSection {
    /// `"off"` (default) or `"ca"`: serve HTTPS with the aggregator's own server certificate
    /// (`[tls] cert_file`/`key_file`, by default from `<data_dir>/tls`), chained to its CA.
    pub tls: TlsMode,
    /// Serve HTTPS with this certificate chain (PEM) instead; needs `tls_key_file`.
    pub tls_cert_file: Option<PathBuf>,
    /// The private key (PEM) of `tls_cert_file`.
    pub tls_key_file: Option<PathBuf>,
    /// `[[http.credentials]]`: with at least one, every request needs a credential.
    pub credentials: Vec<Credential>,
    /// Largest request body in bytes (413 above it); `/api/v1/import/*` is streamed and not
    /// limited by it. Default 32 MiB.
    pub max_body_bytes: u64,
    /// A regex (Go syntax, anchored) of the origins allowed cross-origin requests, like
    /// Prometheus' `--web.cors.origin`. Unset (default): no CORS headers.
    pub cors_origin: Option<String>,
}

impl Default for HttpSection {
    fn default() -> Self {
        HttpSection {
            tls: TlsMode::Off,
            tls_cert_file: None,
            tls_key_file: None,
            credentials: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            cors_origin: None,
        }
    }
}

/// `http.tls`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain HTTP, unless `tls_cert_file` and `tls_key_file` are set.
    #[default]
    Off,
    /// The aggregator's own server certificate.
    Ca,
}

/// One `[[http.credentials]]`: a bearer token or a user name and password, with a role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// Shown in logs and metrics (never the secret).
    pub name: String,
    /// `read`, `write` or `admin`.
    pub role: Role,
    /// bcrypt hash of the bearer token (`pharos-aggregator hash-password`).
    #[serde(default)]
    pub bearer_token_hash: Option<String>,
    /// Basic auth user name (with `password_hash`).
    #[serde(default)]
    pub username: Option<String>,
    /// bcrypt hash of the Basic auth password.
    #[serde(default)]
    pub password_hash: Option<String>,
    /// Requests per second this credential may make on write paths; unset: unlimited.
    #[serde(default)]
    pub rate_limit: Option<f64>,
    /// Requests above the rate accepted in a burst. Default: the rate rounded up, at least 1.
    #[serde(default)]
    pub rate_burst: Option<u32>,
}

/// How the HTTP listener serves TLS, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpTls {
    /// Plain HTTP.
    Off,
    /// The aggregator's own server certificate chain.
    Ca,
    /// Certificate and key files.
    Files {
        /// Certificate chain (PEM).
        cert: PathBuf,
        /// Private key (PEM).
        key: PathBuf,
    },
}

impl HttpSection {
    /// Resolves relative certificate paths against the config file's directory.
    pub fn resolve_paths(&mut self, dir: &Path) {
        self.tls_cert_file = self.tls_cert_file.take().map(|f| dir.join(f));
        self.tls_key_file = self.tls_key_file.take().map(|f| dir.join(f));
    }

    /// How TLS is served; an error names the conflicting or missing setting.
    pub fn tls_mode(&self) -> Result<HttpTls, String> {
        match (self.tls, &self.tls_cert_file, &self.tls_key_file) {
            (TlsMode::Off, None, None) => Ok(HttpTls::Off),
            (TlsMode::Ca, None, None) => Ok(HttpTls::Ca),
            (TlsMode::Off, Some(cert), Some(key)) => Ok(HttpTls::Files { cert: cert.clone(), key: key.clone() }),
            (TlsMode::Ca, _, _) => Err("http.tls = \"ca\" conflicts with http.tls_cert_file/tls_key_file".into()),
            (TlsMode::Off, Some(_), None) => Err("http.tls_cert_file needs http.tls_key_file".into()),
            (TlsMode::Off, None, Some(_)) => Err("http.tls_key_file needs http.tls_cert_file".into()),
        }
    }

    /// Checks what deserializing cannot: each credential has exactly one kind of secret, names
    /// and user names are unique, hashes are bcrypt, limits are positive, the CORS regex parses.
    pub fn validate(&self) -> Result<(), String> {
        self.tls_mode()?;
        if self.max_body_bytes == 0 {
            return Err("http.max_body_bytes must be greater than 0".into());
        }
        let mut names = std::collections::HashSet::new();
        let mut users = std::collections::HashSet::new();
        for c in &self.credentials {
            let at = format!("http.credentials {:?}", c.name);
            if c.name.is_empty() {
                return Err("http.credentials: every credential needs a name".into());
            }
            if !names.insert(c.name.as_str()) {
                return Err(format!("{at}: the name is used twice"));
            }
            match (&c.bearer_token_hash, &c.username, &c.password_hash) {
                (Some(h), None, None) => check_bcrypt(&at, "bearer_token_hash", h)?,
                (None, Some(u), Some(h)) => {
                    if u.is_empty() || u.contains(':') {
                        return Err(format!("{at}: username must be non-empty and without ':'"));
                    }
                    if !users.insert(u.as_str()) {
                        return Err(format!("{at}: username {u:?} is used twice"));
                    }
                    check_bcrypt(&at, "password_hash", h)?;
                }
                _ => {
                    return Err(format!("{at}: set either bearer_token_hash, or username and password_hash (not both)"))
                }
            }
            if let Some(r) = c.rate_limit {
                if !(r.is_finite() && r > 0.0) {
                    return Err(format!("{at}: rate_limit must be a positive number of requests per second"));
                }
            }
            if c.rate_burst == Some(0) {
                return Err(format!("{at}: rate_burst must be at least 1"));
            }
            if c.rate_burst.is_some() && c.rate_limit.is_none() {
                return Err(format!("{at}: rate_burst needs rate_limit"));
            }
        }
        if let Some(re) = &self.cors_origin {
            pharos_goregex::compile_anchored(re).map_err(|e| format!("http.cors_origin {re:?}: {e}"))?;
        }
        Ok(())
    }
}

/// A bcrypt hash as `$2a$`/`$2b$`/`$2y$` with a cost, which `bcrypt::verify` can use.
fn check_bcrypt(at: &str, key: &str, hash: &str) -> Result<(), String> {
    hash.parse::<bcrypt::HashParts>()
        .map(|_| ())
        .map_err(|e| format!("{at}: {key} is not a bcrypt hash ({e}); make one with `pharos-aggregator hash-password`"))
}
