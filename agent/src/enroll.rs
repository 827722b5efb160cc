//! `pharos-agent enroll`: obtains this agent's client certificate from the aggregator with a
//! single-use token, so no key or certificate has to be copied by hand.
//!
//! The key pair is generated here and never leaves the host; the aggregator gets a CSR. The
//! aggregator is authenticated (against a CA file, or the CA fingerprint printed by
//! `pharos-aggregator token create`) before the token is sent. The CA, the certificate and the
//! key (mode 0600) are written where the agent's configuration looks for them, so the next
//! `pharos-agent` run uses mutual TLS with them.

use crate::config::AgentConfig;
use pharos_protocol::enroll::{self, EnrollError, EnrollRequest, EnrollResponse, ServerTrust, ENROLL_VERSION};
use pharos_protocol::tls;
use std::path::{Path, PathBuf};

/// Errors of `pharos-agent enroll`.
#[derive(Debug, thiserror::Error)]
pub enum AgentEnrollError {
    /// The enrollment itself failed or was refused (the server's message).
    #[error("{0}")]
    Enroll(#[from] EnrollError),
    /// A certificate exists already.
    #[error("{0} already exists (use --force to replace it)")]
    Exists(String),
    /// The server address does not resolve.
    #[error("resolving {server}: {reason}")]
    Resolve {
        /// The address given.
        server: String,
        /// Why.
        reason: String,
    },
    /// The server's answer does not fit what was asked.
    #[error("unexpected answer from the aggregator: {0}")]
    Answer(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// What `enroll` was asked.
#[derive(Debug, Clone)]
pub struct EnrollOptions {
    /// The aggregator, `HOST:PORT` (its ingest port).
    pub server: String,
    /// The token, `pharos1.<id>.<secret>`.
    pub token: String,
    /// How the aggregator is authenticated.
    pub trust: ServerTrust,
    /// The agent name (default: `agent.name` of the configuration).
    pub name: Option<String>,
    /// Replace an existing certificate.
    pub force: bool,
}

/// What was enrolled.
#[derive(Debug, Clone)]
pub struct Enrolled {
    /// The agent name in the certificate.
    pub name: String,
    /// The files written: CA, certificate, key.
    pub files: Vec<PathBuf>,
}

/// Reads `--ca-file` into a [`ServerTrust`].
pub fn trust_from_ca_file(path: &Path) -> Result<ServerTrust, AgentEnrollError> {
    Ok(ServerTrust::CaPem(tls::read_pem_file(path).map_err(EnrollError::from)?))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AgentEnrollError + '_ {
    move |source| AgentEnrollError::Io { path: path.display().to_string(), source }
}

fn create_parent(path: &Path) -> Result<(), AgentEnrollError> {
    use std::os::unix::fs::DirBuilderExt;
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.exists() => {
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io(dir))
        }
        _ => Ok(()),
    }
}

/// Enrolls: key and CSR here, token and CSR to the aggregator, certificate and CA back, files
/// written. Refused enrollments return the aggregator's message.
pub async fn run(cfg: &AgentConfig, opts: &EnrollOptions) -> Result<Enrolled, AgentEnrollError> {
    let name = opts.name.clone().unwrap_or_else(|| cfg.agent.name.clone());
    enroll::check_name(&name)?;
    let (ca_file, cert_file, key_file) = (cfg.ca_file(), cfg.cert_file(), cfg.key_file());
    if !opts.force {
        for f in [&cert_file, &key_file] {
            if f.exists() {
                return Err(AgentEnrollError::Exists(f.display().to_string()));
            }
        }
    }
    let addr = tokio::net::lookup_host(&opts.server)
        .await
        .map_err(|e| AgentEnrollError::Resolve { server: opts.server.clone(), reason: e.to_string() })?
        .next()
        .ok_or_else(|| AgentEnrollError::Resolve { server: opts.server.clone(), reason: "no address".into() })?;
    // The name the aggregator's certificate must carry: as for the uplink, `server_name` of the
    // configuration if set, else the host part of the address.
    let server_name = cfg.uplink.server_name.clone().unwrap_or_else(|| pharos_uplink::host_of(&opts.server));
    let keys = enroll::new_key_and_csr(&name)?;
    let request = EnrollRequest {
        version: ENROLL_VERSION,
        token: opts.token.trim().to_string(),
        name: name.clone(),
        csr_pem: keys.cert_pem,
    };
    let tls_config = enroll::client_tls(&opts.trust)?;
    let (cert_pem, ca_pem) = match enroll::enroll_quic(addr, &server_name, tls_config, &request).await? {
        EnrollResponse::Certificate { cert_pem, ca_pem } => (cert_pem, ca_pem),
        EnrollResponse::Refused { code, message } => {
            return Err(EnrollError::Refused { code, message: format!("enrollment refused: {message}") }.into())
        }
    };
    // Store only the CA we verified the server with, and a certificate for the name we asked.
    if !enroll::trusts_ca(&opts.trust, &ca_pem)? {
        return Err(AgentEnrollError::Answer("the CA returned is not the one the server was verified with".into()));
    }
    let got = tls::pem_identity(&cert_pem).map_err(EnrollError::from)?;
    if got != name {
        return Err(AgentEnrollError::Answer(format!("certificate for {got:?}, asked for {name:?}")));
    }
    for f in [&ca_file, &cert_file, &key_file] {
        create_parent(f)?;
    }
    tls::write_private_key(&key_file, &keys.key_pem).map_err(EnrollError::from)?;
    std::fs::write(&cert_file, &cert_pem).map_err(io(&cert_file))?;
    std::fs::write(&ca_file, &ca_pem).map_err(io(&ca_file))?;
    Ok(Enrolled { name, files: vec![ca_file, cert_file, key_file] })
}
