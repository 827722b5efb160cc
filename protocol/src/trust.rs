//! What Pharos' outgoing TLS clients share (the agent's scrapes and probes, the aggregator's
//! alert receivers): the system's trusted CAs, found as Go finds them, and the certificate
//! verifier of `insecure_skip_verify`.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::path::PathBuf;
use std::sync::Arc;

/// The CA bundles Go's crypto/x509 looks for on Linux, in its order (Prometheus and blackbox
/// trust the first one found): Debian/Ubuntu/Alpine, Fedora/RHEL 6, openSUSE, OpenELEC,
/// CentOS/RHEL 7+, Alpine/BSD-like.
pub const SYSTEM_BUNDLES: [&str; 6] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];

/// The system's trusted CAs, found as Go finds them: the file named by `SSL_CERT_FILE` when that
/// is set (and then only it), else the first of [`SYSTEM_BUNDLES`] that can be read. PEM blocks
/// that are not certificates, or do not parse, are skipped, as Go's `AppendCertsFromPEM` does.
/// Returns the file used and its certificates; None when no file could be read. (Go also reads
/// the directories of `SSL_CERT_DIR`; on the distributions above they hold the bundle's
/// certificates again, so they are not read.)
///
/// The one loader of Pharos: probes, scrapes and receivers trust the same CAs.
pub fn system_roots() -> Option<(PathBuf, Vec<CertificateDer<'static>>)> {
    roots_from(std::env::var_os("SSL_CERT_FILE"))
}

/// [`system_roots`] with `SSL_CERT_FILE`'s value passed in.
pub fn roots_from(ssl_cert_file: Option<std::ffi::OsString>) -> Option<(PathBuf, Vec<CertificateDer<'static>>)> {
    let files: Vec<PathBuf> = match ssl_cert_file.filter(|v| !v.is_empty()) {
        Some(f) => vec![PathBuf::from(f)],
        None => SYSTEM_BUNDLES.iter().map(PathBuf::from).collect(),
    };
    files.into_iter().find_map(|p| {
        let pem = std::fs::read(&p).ok()?;
        let certs = CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok).collect();
        Some((p, certs))
    })
}

/// `insecure_skip_verify`: accepts any certificate but still checks the handshake signatures,
/// as Go's `InsecureSkipVerify` does, so the connection is at least with the holder of the
/// presented key.
#[derive(Debug)]
pub struct AcceptAnyCert(pub Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCert {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
