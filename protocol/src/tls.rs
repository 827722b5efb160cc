//! TLS for the agent↔aggregator link, shared by both ends: certificate issuance (a private CA
//! that signs the aggregator's server certificate and one client certificate per agent), rustls
//! configurations with mutual authentication, their QUIC wrappers, and the peer's identity.
//!
//! Only the `ring` provider is used: with two providers compiled in, rustls cannot pick a default
//! and panics, so every config here names the provider explicitly.

use crate::frame::ALPN;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;
use rustls::RootCertStore;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Errors while issuing certificates or building TLS configurations.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Certificate generation failed.
    #[error("certificate generation: {0}")]
    Generate(#[from] rcgen::Error),
    /// A PEM input could not be read.
    #[error("{what}: {reason}")]
    Pem {
        /// Which input (e.g. "CA certificate").
        what: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// The client verifier could not be built (e.g. an empty CA).
    #[error("client verifier: {0}")]
    Verifier(String),
    /// QUIC refused the TLS configuration.
    #[error("QUIC TLS configuration: {0}")]
    Quic(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The peer presented no usable certificate identity.
    #[error("peer identity: {0}")]
    Identity(String),
}

/// A certificate and its private key, both PEM.
#[derive(Debug, Clone)]
pub struct PemPair {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The private key (PKCS#8), PEM.
    pub key_pem: String,
}

/// How long issued certificates are valid: the CA ten years, leaf certificates two.
const CA_VALIDITY_DAYS: i64 = 3650;
const LEAF_VALIDITY_DAYS: i64 = 730;

fn validity(params: &mut CertificateParams, days: i64) {
    let now = time::OffsetDateTime::now_utc();
    // Backdate a little so a peer whose clock is slightly behind still accepts the certificate.
    params.not_before = now - time::Duration::hours(1);
    params.not_after = now + time::Duration::days(days);
}

/// Creates a self-signed CA named `common_name`.
pub fn generate_ca(common_name: &str) -> Result<PemPair, TlsError> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "Pharos");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    validity(&mut params, CA_VALIDITY_DAYS);
    let cert = params.self_signed(&key)?;
    Ok(PemPair { cert_pem: cert.pem(), key_pem: key.serialize_pem() })
}

/// What a leaf certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertRole {
    /// The aggregator's server certificate.
    Server,
    /// An agent's (or a child aggregator's) client certificate.
    Client,
}

/// Issues a leaf certificate signed by `ca`. `common_name` is the identity (for agents, the agent
/// name the aggregator stores data under); `alt_names` are DNS names or IP addresses.
pub fn issue(ca: &PemPair, role: CertRole, common_name: &str, alt_names: &[String]) -> Result<PemPair, TlsError> {
    let ca_key = KeyPair::from_pem(&ca.key_pem)?;
    let issuer = Issuer::from_ca_cert_pem(&ca.cert_pem, ca_key)?;
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(alt_names.to_vec())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "Pharos");
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![match role {
        CertRole::Server => ExtendedKeyUsagePurpose::ServerAuth,
        CertRole::Client => ExtendedKeyUsagePurpose::ClientAuth,
    }];
    params.use_authority_key_identifier_extension = true;
    validity(&mut params, LEAF_VALIDITY_DAYS);
    let cert = params.signed_by(&key, &issuer)?;
    Ok(PemPair { cert_pem: cert.pem(), key_pem: key.serialize_pem() })
}

/// Writes a private key readable by its owner only (mode 0600, set at creation so the key is never
/// briefly world-readable).
pub fn write_private_key(path: &Path, pem: &str) -> Result<(), TlsError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| TlsError::Io { path: path.display().to_string(), source };
    let mut f =
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path).map_err(io)?;
    // An existing file keeps its old mode when opened; force it.
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    f.write_all(pem.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)
}

/// Reads a whole PEM file.
pub fn read_pem_file(path: &Path) -> Result<String, TlsError> {
    std::fs::read_to_string(path).map_err(|source| TlsError::Io { path: path.display().to_string(), source })
}

fn certs(what: &'static str, pem: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Pem { what, reason: e.to_string() })?;
    if certs.is_empty() {
        return Err(TlsError::Pem { what, reason: "no certificate found".into() });
    }
    Ok(certs)
}

fn private_key(pem: &str) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| TlsError::Pem { what: "private key", reason: e.to_string() })
}

fn roots(ca_pem: &str) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    for c in certs("CA certificate", ca_pem)? {
        roots.add(c)?;
    }
    Ok(roots)
}

/// The ring crypto provider, used by every configuration Pharos builds.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Installs ring as the process-wide default provider, for libraries that build their own rustls
/// configs (HTTP clients). Call once at the start of `main`; later calls are harmless.
pub fn install_default_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Server-side TLS: presents `server` followed by the CA certificate (which an enrolling agent
/// pins by fingerprint), and verifies a client certificate against the CA.
///
/// A client certificate is optional at the handshake only because enrollment (ALPN
/// [`ENROLL_ALPN`](crate::enroll::ENROLL_ALPN)) comes without one: a presented certificate must
/// still be valid, and every `pharos/1` connection is refused unless [`peer_identity`] or
/// [`tls_peer_identity`] finds a verified one.
pub fn server_tls(ca_pem: &str, server: &PemPair) -> Result<rustls::ServerConfig, TlsError> {
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots(ca_pem)?), provider())
        .allow_unauthenticated()
        .build()
        .map_err(|e| TlsError::Verifier(e.to_string()))?;
    let mut chain = certs("server certificate", &server.cert_pem)?;
    for ca in certs("CA certificate", ca_pem)? {
        if !chain.contains(&ca) {
            chain.push(ca);
        }
    }
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, private_key(&server.key_pem)?)?;
    cfg.alpn_protocols = vec![ALPN.to_vec(), crate::enroll::ENROLL_ALPN.to_vec()];
    Ok(cfg)
}

/// Client-side TLS: trusts only the CA, and presents `client` if given (an agent always does; the
/// tests also build clients without one to check that the server refuses them).
pub fn client_tls(ca_pem: &str, client: Option<&PemPair>) -> Result<rustls::ClientConfig, TlsError> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots(ca_pem)?);
    let mut cfg = match client {
        Some(c) => {
            builder.with_client_auth_cert(certs("client certificate", &c.cert_pem)?, private_key(&c.key_pem)?)?
        }
        None => builder.with_no_client_auth(),
    };
    cfg.alpn_protocols = vec![ALPN.to_vec()];
    Ok(cfg)
}

/// QUIC transport settings both ends use: keep-alives well inside the idle timeout so a quiet
/// agent's connection (and NAT binding) stays open between pushes.
fn transport() -> Arc<quinn::TransportConfig> {
    let mut t = quinn::TransportConfig::default();
    t.keep_alive_interval(Some(Duration::from_secs(5)));
    if let Ok(idle) = quinn::IdleTimeout::try_from(Duration::from_secs(30)) {
        t.max_idle_timeout(Some(idle));
    }
    Arc::new(t)
}

/// Wraps a server TLS config for QUIC.
pub fn quic_server(tls: rustls::ServerConfig) -> Result<quinn::ServerConfig, TlsError> {
    let crypto =
        quinn::crypto::rustls::QuicServerConfig::try_from(Arc::new(tls)).map_err(|e| TlsError::Quic(e.to_string()))?;
    let mut cfg = quinn::ServerConfig::with_crypto(Arc::new(crypto));
    cfg.transport_config(transport());
    Ok(cfg)
}

/// Wraps a client TLS config for QUIC.
pub fn quic_client(tls: rustls::ClientConfig) -> Result<quinn::ClientConfig, TlsError> {
    let crypto =
        quinn::crypto::rustls::QuicClientConfig::try_from(Arc::new(tls)).map_err(|e| TlsError::Quic(e.to_string()))?;
    let mut cfg = quinn::ClientConfig::new(Arc::new(crypto));
    cfg.transport_config(transport());
    Ok(cfg)
}

/// The identity in a certificate: its subject's common name.
pub fn identity_from_cert(der: &[u8]) -> Result<String, TlsError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| TlsError::Identity(e.to_string()))?;
    let cn = cert
        .subject()
        .iter_common_name()
        .next()
        .ok_or_else(|| TlsError::Identity("certificate has no common name".into()))?;
    let cn = cn.as_str().map_err(|e| TlsError::Identity(e.to_string()))?;
    if cn.is_empty() {
        return Err(TlsError::Identity("empty common name".into()));
    }
    Ok(cn.to_string())
}

/// The identity (common name) of the first certificate in a PEM text.
pub fn pem_identity(cert_pem: &str) -> Result<String, TlsError> {
    let chain = certs("certificate", cert_pem)?;
    let first = chain.first().ok_or_else(|| TlsError::Identity("no certificate".into()))?;
    identity_from_cert(first)
}

/// The authenticated identity of the peer of a QUIC connection (its client certificate's CN).
pub fn peer_identity(conn: &quinn::Connection) -> Result<String, TlsError> {
    let any = conn.peer_identity().ok_or_else(|| TlsError::Identity("peer sent no certificate".into()))?;
    let chain = any
        .downcast::<Vec<CertificateDer<'static>>>()
        .map_err(|_| TlsError::Identity("unexpected peer identity type".into()))?;
    let leaf = chain.first().ok_or_else(|| TlsError::Identity("empty certificate chain".into()))?;
    identity_from_cert(leaf)
}

/// The authenticated identity of the peer of a TLS-over-TCP connection (the agent transport's
/// fallback): its client certificate's CN, once the handshake negotiated our ALPN. rustls
/// accepts a client that offers no ALPN at all, which QUIC never does, so it is checked here.
pub fn tls_peer_identity(conn: &rustls::CommonState) -> Result<String, TlsError> {
    if conn.alpn_protocol() != Some(ALPN) {
        return Err(TlsError::Identity("peer did not negotiate the pharos ALPN protocol".into()));
    }
    let chain = conn.peer_certificates().ok_or_else(|| TlsError::Identity("peer sent no certificate".into()))?;
    let leaf = chain.first().ok_or_else(|| TlsError::Identity("empty certificate chain".into()))?;
    identity_from_cert(leaf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_certificates_carry_identity_and_build_configs() {
        let ca = generate_ca("test CA").unwrap();
        let server = issue(&ca, CertRole::Server, "aggregator", &["localhost".into(), "127.0.0.1".into()]).unwrap();
        let agent = issue(&ca, CertRole::Client, "host-1", &[]).unwrap();
        assert_eq!(pem_identity(&agent.cert_pem).unwrap(), "host-1");
        quic_server(server_tls(&ca.cert_pem, &server).unwrap()).unwrap();
        quic_client(client_tls(&ca.cert_pem, Some(&agent)).unwrap()).unwrap();
    }

    #[test]
    fn bad_pem_is_a_typed_error() {
        assert!(matches!(client_tls("not pem", None), Err(TlsError::Pem { .. })));
    }

    #[test]
    fn private_keys_are_written_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("pharos-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("k.pem");
        write_private_key(&p, "x").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
