//! Agent enrollment, server side: connections on the ingest port that negotiated the ALPN
//! protocol `pharos-enroll/1` (over QUIC, or TLS on TCP) come here instead of to the ingest
//! session. They carry no client certificate; the agent proves itself with a single-use token
//! (see [`tokens`]) and gets a client certificate for its CSR's public key, signed by our CA.

pub mod cli;
pub mod tokens;

use crate::config::AggregatorConfig;
use pharos_protocol::enroll::{
    self, EnrollRequest, EnrollResponse, RefusalCode, ENROLL_ALPN, ENROLL_VERSION, MESSAGE_TIMEOUT,
};
use pharos_protocol::tls::{self, PemPair};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokens::{TokenError, TokenStore};
use tokio::io::{AsyncRead, AsyncWrite};
use tracing::{info, warn};

/// File name of the CA key, next to the CA certificate.
pub const CA_KEY_FILE: &str = "ca-key.pem";

/// What the server needs to enroll agents: the token store and the CA.
#[derive(Debug)]
pub struct Enroller {
    store: TokenStore,
    ca_file: PathBuf,
    ca_key_file: PathBuf,
}

impl Enroller {
    /// The enroller of an aggregator configuration: tokens in `<data_dir>/enroll`, the CA in
    /// `tls.ca_file` and its key in `ca-key.pem` in the same directory (where `cert init` puts
    /// it). Both are read on each enrollment, so a missing key only refuses enrollments.
    pub fn from_config(cfg: &AggregatorConfig) -> Arc<Enroller> {
        let ca_file = cfg.ca_file();
        let ca_key_file = ca_file.parent().map(|d| d.join(CA_KEY_FILE)).unwrap_or_else(|| PathBuf::from(CA_KEY_FILE));
        Arc::new(Enroller { store: token_store(cfg), ca_file, ca_key_file })
    }

    /// Checks and redeems the request's token and issues the certificate (blocking: file I/O and
    /// a file lock).
    pub fn handle(&self, req: &EnrollRequest, now: i64) -> Result<(String, EnrollResponse), (RefusalCode, String)> {
        if req.version != ENROLL_VERSION {
            return Err((RefusalCode::BadRequest, format!("unsupported enrollment version {}", req.version)));
        }
        enroll::check_name(&req.name).map_err(|e| (RefusalCode::BadRequest, e.to_string()))?;
        let ca = PemPair {
            cert_pem: tls::read_pem_file(&self.ca_file).map_err(unavailable)?,
            key_pem: tls::read_pem_file(&self.ca_key_file).map_err(unavailable)?,
        };
        // A CSR that does not parse or whose signature is wrong is refused before the token is
        // looked at, so it does not use the token up.
        rcgen::CertificateSigningRequestParams::from_pem(&req.csr_pem)
            .map_err(|e| (RefusalCode::BadRequest, format!("bad certificate signing request: {e}")))?;
        let issue = || enroll::sign_csr(&ca, &req.name, &req.csr_pem).map_err(|e| e.to_string());
        let (record, cert_pem) =
            self.store.redeem(&req.token, &req.name, now, issue).map_err(|e: TokenError| (e.code(), e.to_string()))?;
        Ok((record.id, EnrollResponse::Certificate { cert_pem, ca_pem: ca.cert_pem }))
    }
}

fn unavailable(e: tls::TlsError) -> (RefusalCode, String) {
    (RefusalCode::Unavailable, format!("enrollment unavailable on this aggregator: {e}"))
}

/// The token store of an aggregator configuration (`<data_dir>/enroll`).
pub fn token_store(cfg: &AggregatorConfig) -> TokenStore {
    TokenStore::new(&cfg.server.data_dir.join("enroll"))
}

/// Whether a QUIC connection negotiated the enrollment protocol.
pub fn is_enrollment(conn: &quinn::Connection) -> bool {
    conn.handshake_data()
        .and_then(|d| d.downcast::<quinn::crypto::rustls::HandshakeData>().ok())
        .and_then(|d| d.protocol)
        .is_some_and(|p| p == ENROLL_ALPN)
}

/// Serves one enrollment exchange on a stream pair: request in, answer out.
async fn exchange<R, W>(enroller: Option<Arc<Enroller>>, recv: &mut R, send: &mut W, remote: SocketAddr)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let req: EnrollRequest = match tokio::time::timeout(MESSAGE_TIMEOUT, enroll::read_message(recv)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            warn!(%remote, error = %e, "enrollment refused: bad request");
            let answer = EnrollResponse::Refused { code: RefusalCode::BadRequest, message: e.to_string() };
            let _ = enroll::write_message(send, &answer).await;
            return;
        }
        Err(_) => {
            warn!(%remote, "enrollment dropped: no request within {MESSAGE_TIMEOUT:?}");
            return;
        }
    };
    let (name, token_id) = (req.name.clone(), tokens::parse_token(&req.token).map(|(id, _)| id.to_string()));
    let token_id = token_id.unwrap_or_else(|| "-".into());
    let outcome = match enroller {
        Some(e) => tokio::task::spawn_blocking(move || e.handle(&req, tokens::now_secs()))
            .await
            .unwrap_or_else(|e| Err((RefusalCode::Unavailable, format!("enrollment failed: {e}")))),
        None => Err((RefusalCode::Unavailable, "enrollment is not enabled on this aggregator".into())),
    };
    let answer = match outcome {
        Ok((id, answer)) => {
            info!(%remote, agent = %name, token = %id, "agent enrolled");
            answer
        }
        Err((code, message)) => {
            warn!(%remote, agent = %name, token = %token_id, error = %message, "enrollment refused");
            EnrollResponse::Refused { code, message }
        }
    };
    if let Err(e) = enroll::write_message(send, &answer).await {
        warn!(%remote, agent = %name, error = %e, "sending the enrollment answer failed");
    }
}

/// Serves an enrollment QUIC connection: one bidirectional stream, then the connection closes.
pub async fn serve_quic(enroller: Option<Arc<Enroller>>, conn: quinn::Connection, remote: SocketAddr) {
    let (mut send, mut recv) = match tokio::time::timeout(MESSAGE_TIMEOUT, conn.accept_bi()).await {
        Ok(Ok(s)) => s,
        _ => {
            conn.close(1u32.into(), b"no enrollment stream");
            return;
        }
    };
    exchange(enroller, &mut recv, &mut send, remote).await;
    let _ = send.finish();
    // Let the agent read the answer (it closes the connection), or give up after a while.
    let _ = tokio::time::timeout(MESSAGE_TIMEOUT, conn.closed()).await;
}

/// Serves an enrollment over TLS on TCP (the agent's fallback transport).
pub async fn serve_tcp(
    enroller: Option<Arc<Enroller>>,
    stream: tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    remote: SocketAddr,
) {
    use tokio::io::AsyncWriteExt;
    let (mut recv, mut send) = tokio::io::split(stream);
    exchange(enroller, &mut recv, &mut send, remote).await;
    let _ = send.shutdown().await;
}

/// Whether a TLS-over-TCP connection negotiated the enrollment protocol.
pub fn is_tcp_enrollment(conn: &rustls::CommonState) -> bool {
    conn.alpn_protocol() == Some(ENROLL_ALPN)
}
