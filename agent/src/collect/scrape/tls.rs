//! The rustls client configuration of an `https` target (ring provider only, as everywhere in
//! Pharos): trusted CAs (the configured file, else the system bundle), an optional client
//! certificate, and the two verification variants of Prometheus' `tls_config`: `server_name`
//! (verify against another name than the URL's host) and `insecure_skip_verify`.

use super::config::TlsConfig;
use pharos_protocol::trust::{system_roots, AcceptAnyCert};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::Path;
use std::sync::Arc;

/// The system's trusted CAs, parsed once for all targets: each parsed store is about 130 KB of
/// heap, and targets without a `ca_file` all trust the same bundle. (A bundle replaced while the
/// agent runs is read at the next start.)
fn system_store() -> Arc<RootCertStore> {
    static STORE: std::sync::OnceLock<Arc<RootCertStore>> = std::sync::OnceLock::new();
    STORE
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            if let Some((_, certs)) = system_roots() {
                roots.add_parsable_certificates(certs);
            }
            Arc::new(roots)
        })
        .clone()
}

/// Builds the client configuration; errors name the file concerned.
pub fn client_config(cfg: &TlsConfig) -> Result<rustls::ClientConfig, String> {
    let provider = pharos_protocol::tls::provider();
    let roots = match &cfg.ca_file {
        Some(path) => {
            let mut roots = RootCertStore::empty();
            for c in read_certs(path)? {
                roots.add(c).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Arc::new(roots)
        }
        // Without a CA file, trust what the system trusts (as the probes do); with no bundle,
        // https targets fail verification (and report up 0) rather than the agent failing to
        // start.
        None => system_store(),
    };
    let verifier: Arc<dyn ServerCertVerifier> = if cfg.insecure_skip_verify {
        Arc::new(AcceptAnyCert(provider.clone()))
    } else {
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
            .build()
            .map_err(|e| format!("TLS verifier: {e}"))?;
        match &cfg.server_name {
            Some(name) => {
                let name =
                    ServerName::try_from(name.clone()).map_err(|e| format!("invalid tls.server_name {name:?}: {e}"))?;
                Arc::new(VerifyAs { inner: webpki, name }) as Arc<dyn ServerCertVerifier>
            }
            None => webpki as Arc<dyn ServerCertVerifier>,
        }
    };
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match (&cfg.cert_file, &cfg.key_file) {
        (Some(cert), Some(key)) => {
            let certs = read_certs(cert)?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
            builder.with_client_auth_cert(certs, key).map_err(|e| format!("client certificate: {e}"))
        }
        _ => Ok(builder.with_no_client_auth()),
    }
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no certificate found", path.display()));
    }
    Ok(certs)
}

/// Verifies the chain as usual, but against a configured name instead of the URL's host.
#[derive(Debug)]
struct VerifyAs {
    inner: Arc<WebPkiServerVerifier>,
    name: ServerName<'static>,
}

impl ServerCertVerifier for VerifyAs {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner.verify_server_cert(end_entity, intermediates, &self.name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
