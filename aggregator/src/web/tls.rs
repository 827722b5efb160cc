//! HTTPS on the HTTP listener: a rustls server config (ring provider, TLS 1.2 and 1.3, no client
//! certificates) and a listener for `axum::serve` that hands it finished TLS connections.
//!
//! Handshakes run in their own tasks with a deadline, so a client that connects and sends
//! nothing holds neither the accept loop nor other clients.

use super::config::HttpTls;
use crate::config::AggregatorConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// Longest a client may take for its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Finished handshakes waiting for the server to take them.
const ACCEPT_QUEUE: usize = 64;

/// Errors building the HTTPS configuration.
#[derive(Debug, thiserror::Error)]
pub enum HttpsError {
    /// A file could not be read or holds no usable PEM.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// rustls refused the certificate and key.
    #[error("HTTPS certificate: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The server config for `mode`, or `None` for plain HTTP. With [`HttpTls::Ca`] the chain is
/// the aggregator's server certificate followed by its CA certificate.
pub fn server_config(mode: &HttpTls, cfg: &AggregatorConfig) -> Result<Option<Arc<rustls::ServerConfig>>, HttpsError> {
    let (chain, key) = match mode {
        HttpTls::Off => return Ok(None),
        HttpTls::Ca => {
            let mut chain = read_certs(&cfg.cert_file())?;
            for ca in read_certs(&cfg.ca_file())? {
                if !chain.contains(&ca) {
                    chain.push(ca);
                }
            }
            (chain, read_key(&cfg.key_file())?)
        }
        HttpTls::Files { cert, key } => (read_certs(cert)?, read_key(key)?),
    };
    let mut config = rustls::ServerConfig::builder_with_provider(pharos_protocol::tls::provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    // axum serves HTTP/1.1 only (its http2 feature is off).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Some(Arc::new(config)))
}

fn file_error(path: &Path, reason: impl std::fmt::Display) -> HttpsError {
    HttpsError::File { path: path.display().to_string(), reason: reason.to_string() }
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, HttpsError> {
    let data = std::fs::read(path).map_err(|e| file_error(path, e))?;
    let certs =
        CertificateDer::pem_slice_iter(&data).collect::<Result<Vec<_>, _>>().map_err(|e| file_error(path, e))?;
    if certs.is_empty() {
        return Err(file_error(path, "no CERTIFICATE block"));
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, HttpsError> {
    let data = std::fs::read(path).map_err(|e| file_error(path, e))?;
    PrivateKeyDer::from_pem_slice(&data).map_err(|e| file_error(path, e))
}

/// A listener for `axum::serve` that yields TLS connections.
pub struct TlsListener {
    rx: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Accepts on `listener` and completes handshakes in the background; the background task
    /// ends when this listener is dropped.
    pub fn new(listener: TcpListener, config: Arc<rustls::ServerConfig>) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let (tx, rx) = mpsc::channel(ACCEPT_QUEUE);
        let acceptor = TlsAcceptor::from(config);
        tokio::spawn(async move {
            loop {
                let (tcp, peer) = match listener.accept().await {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors and the like: wait instead of spinning.
                        tracing::warn!(error = %e, "HTTPS accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                if tx.is_closed() {
                    return;
                }
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => {
                            let _ = tx.send((tls, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "HTTPS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "HTTPS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener { rx, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(c) => c,
            // The accept task is gone (it only ends when we are dropped): nothing more comes.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
