//! Agent enrollment: an agent that holds a single-use token obtains its client certificate from
//! the aggregator over the ingest port, with the ALPN protocol [`ENROLL_ALPN`] instead of
//! `pharos/1`.
//!
//! The agent authenticates the aggregator before it sends the token: either against a CA file,
//! or against the SHA-256 fingerprint of the CA certificate ([`FingerprintVerifier`]), which the
//! server sends in its chain. The agent generates its key pair locally and sends only a CSR; the
//! aggregator takes nothing from the CSR but its public key and issues a client certificate with
//! the same profile as `pharos-aggregator cert agent`.
//!
//! On the one bidirectional stream: the agent sends one [`EnrollRequest`], the server answers one
//! [`EnrollResponse`]; each is `[u32 BE length][bincode]`, at most [`MAX_MESSAGE_BYTES`].

use crate::tls::{self, PemPair, TlsError};
use rcgen::{
    CertificateParams, CertificateSigningRequestParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// ALPN protocol id of an enrollment connection.
pub const ENROLL_ALPN: &[u8] = b"pharos-enroll/1";

/// Version of the enrollment messages.
pub const ENROLL_VERSION: u16 = 1;

/// The largest request or response accepted: a CSR or a certificate and the CA are a few KiB.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The longest agent name accepted (a DNS name's limit).
pub const MAX_NAME_BYTES: usize = 253;

/// How long either side waits for the other's message.
pub const MESSAGE_TIMEOUT: Duration = Duration::from_secs(15);

/// Prefix of the token text: `pharos1.<id>.<secret>`.
pub const TOKEN_PREFIX: &str = "pharos1";

/// Validity of enrolled certificates, as for `cert agent` (see `tls::issue`).
const LEAF_VALIDITY_DAYS: i64 = 730;

/// Errors of enrollment, on either side.
#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    /// Certificates, keys or TLS configuration.
    #[error("{0}")]
    Tls(#[from] TlsError),
    /// Certificate generation or a CSR that cannot be used.
    #[error("certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// A message could not be encoded or decoded, or broke a limit.
    #[error("bad message: {0}")]
    Message(String),
    /// The connection failed.
    #[error("connection: {0}")]
    Connection(String),
    /// The fingerprint given is not `sha256:<64 hex digits>`.
    #[error("bad fingerprint {0:?}: expected sha256:<64 hex digits>")]
    Fingerprint(String),
    /// The agent name is empty, too long or has characters other than letters, digits, `.`, `-`,
    /// `_` and `:`.
    #[error("bad agent name {0:?}: use 1-253 letters, digits, '.', '-', '_' or ':'")]
    Name(String),
    /// The server refused the enrollment.
    #[error("{message}")]
    Refused {
        /// Why, as a code.
        code: RefusalCode,
        /// Why, for people.
        message: String,
    },
}

/// The agent's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    /// [`ENROLL_VERSION`].
    pub version: u16,
    /// The token text, `pharos1.<id>.<secret>`.
    pub token: String,
    /// The agent name, the certificate's common name.
    pub name: String,
    /// A PKCS#10 request, PEM, signed by the agent's new key.
    pub csr_pem: String,
}

/// Why the server refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefusalCode {
    /// No such token, or a wrong secret.
    UnknownToken,
    /// The token was used already.
    AlreadyUsed,
    /// The token expired.
    Expired,
    /// The token was revoked.
    Revoked,
    /// The token is bound to another agent name.
    NameMismatch,
    /// The request is malformed (version, name, CSR).
    BadRequest,
    /// The server cannot enroll (no CA key, storage failure).
    Unavailable,
}

/// The server's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrollResponse {
    /// Enrolled.
    Certificate {
        /// The agent's client certificate, PEM.
        cert_pem: String,
        /// The CA certificate, PEM.
        ca_pem: String,
    },
    /// Refused.
    Refused {
        /// Why, as a code.
        code: RefusalCode,
        /// Why, for people (e.g. "token already used (by web-1 at …)").
        message: String,
    },
}

fn bincode_config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_MESSAGE_BYTES>()
}

/// Writes one length-prefixed message.
pub async fn write_message<W: AsyncWrite + Unpin, T: Serialize>(w: &mut W, msg: &T) -> Result<(), EnrollError> {
    let body = bincode::serde::encode_to_vec(msg, bincode_config()).map_err(|e| EnrollError::Message(e.to_string()))?;
    if body.len() > MAX_MESSAGE_BYTES {
        return Err(EnrollError::Message(format!("message of {} bytes exceeds {MAX_MESSAGE_BYTES}", body.len())));
    }
    let len = u32::try_from(body.len()).map_err(|e| EnrollError::Message(e.to_string()))?;
    let io = |e: std::io::Error| EnrollError::Connection(e.to_string());
    w.write_all(&len.to_be_bytes()).await.map_err(io)?;
    w.write_all(&body).await.map_err(io)?;
    w.flush().await.map_err(io)
}

/// Reads one length-prefixed message; the length is checked before anything is allocated.
pub async fn read_message<R: AsyncRead + Unpin, T: serde::de::DeserializeOwned>(r: &mut R) -> Result<T, EnrollError> {
    let io = |e: std::io::Error| EnrollError::Connection(e.to_string());
    let mut len = [0u8; 4];
    r.read_exact(&mut len).await.map_err(io)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_MESSAGE_BYTES {
        return Err(EnrollError::Message(format!("message of {len} bytes exceeds {MAX_MESSAGE_BYTES}")));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).await.map_err(io)?;
    let (msg, used) =
        bincode::serde::decode_from_slice(&body, bincode_config()).map_err(|e| EnrollError::Message(e.to_string()))?;
    if used != body.len() {
        return Err(EnrollError::Message("trailing bytes after the message".into()));
    }
    Ok(msg)
}

/// SHA-256 of `data`, lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The fingerprint of a certificate: `sha256:<hex of the SHA-256 of its DER>`.
pub fn fingerprint(der: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(der))
}

/// The fingerprint of the first certificate in a PEM text.
pub fn pem_fingerprint(pem: &str) -> Result<String, EnrollError> {
    let der = CertificateDer::from_pem_slice(pem.as_bytes())
        .map_err(|e| TlsError::Pem { what: "CA certificate", reason: e.to_string() })?;
    Ok(fingerprint(&der))
}

/// Parses `sha256:<hex>` (case-insensitive, `:` between the bytes allowed, as tools print them)
/// into raw digest bytes.
pub fn parse_fingerprint(s: &str) -> Result<[u8; 32], EnrollError> {
    let bad = || EnrollError::Fingerprint(s.to_string());
    let rest = s.strip_prefix("sha256:").or_else(|| s.strip_prefix("SHA256:")).ok_or_else(bad)?;
    let digits: Vec<u8> = rest.bytes().filter(|b| *b != b':').collect();
    if digits.len() != 64 {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, pair) in digits.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).map_err(|_| bad())?;
        out[i] = u8::from_str_radix(text, 16).map_err(|_| bad())?;
    }
    Ok(out)
}

/// Checks an agent name: 1-253 bytes of letters, digits, `.`, `-`, `_` and `:`.
pub fn check_name(name: &str) -> Result<(), EnrollError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':'));
    if ok {
        Ok(())
    } else {
        Err(EnrollError::Name(name.to_string()))
    }
}

/// A new key pair and a CSR for `name`: the key (PKCS#8 PEM) stays with the agent.
pub fn new_key_and_csr(name: &str) -> Result<PemPair, EnrollError> {
    check_name(name)?;
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    params.distinguished_name = dn;
    let csr = params.serialize_request(&key)?;
    Ok(PemPair { cert_pem: csr.pem()?, key_pem: key.serialize_pem() })
}

/// Issues a client certificate for `name` to the public key of `csr_pem` (whose signature is
/// checked), signed by `ca`. Only the key is taken from the CSR: the subject, extensions and
/// validity are ours, the same profile as `tls::issue(.., CertRole::Client, ..)`.
pub fn sign_csr(ca: &PemPair, name: &str, csr_pem: &str) -> Result<String, EnrollError> {
    check_name(name)?;
    let csr = CertificateSigningRequestParams::from_pem(csr_pem)?;
    let ca_key = KeyPair::from_pem(&ca.key_pem)?;
    let issuer = Issuer::from_ca_cert_pem(&ca.cert_pem, ca_key)?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn.push(DnType::OrganizationName, "Pharos");
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params.use_authority_key_identifier_extension = true;
    let now = time::OffsetDateTime::now_utc();
    // Backdated a little, as tls::issue does, for peers whose clocks are slightly behind.
    params.not_before = now - time::Duration::hours(1);
    params.not_after = now + time::Duration::days(LEAF_VALIDITY_DAYS);
    Ok(params.signed_by(&csr.public_key, &issuer)?.pem())
}

/// Accepts a server whose presented chain contains a CA certificate with a given SHA-256
/// fingerprint, and whose leaf certificate that CA signed and names the server (normal WebPKI
/// checks against that CA as the only root). For a first contact, when the agent has no CA file
/// yet but was handed the fingerprint with the token.
#[derive(Debug)]
pub struct FingerprintVerifier {
    digest: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl FingerprintVerifier {
    /// A verifier pinned to `fingerprint` (`sha256:<hex>`).
    pub fn new(fingerprint: &str) -> Result<Self, EnrollError> {
        Ok(FingerprintVerifier { digest: parse_fingerprint(fingerprint)?, provider: tls::provider() })
    }

    /// The certificate among `chain` whose fingerprint is the pinned one.
    fn pinned<'a>(&self, chain: &'a [CertificateDer<'a>]) -> Option<&'a CertificateDer<'a>> {
        chain.iter().find(|c| ring::digest::digest(&ring::digest::SHA256, c).as_ref() == self.digest)
    }
}

impl ServerCertVerifier for FingerprintVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let ca = self.pinned(intermediates).ok_or_else(|| {
            rustls::Error::General("the server's CA certificate does not match the expected fingerprint".into())
        })?;
        let mut roots = RootCertStore::empty();
        roots.add(ca.clone().into_owned())?;
        let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
        inner.verify_server_cert(end_entity, &[], server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// How the agent authenticates the aggregator while enrolling.
#[derive(Debug, Clone)]
pub enum ServerTrust {
    /// A CA certificate file's content (PEM).
    CaPem(String),
    /// The CA certificate's fingerprint, `sha256:<hex>`.
    Fingerprint(String),
}

/// The client TLS configuration of an enrollment: no client certificate, ALPN
/// [`ENROLL_ALPN`], the server checked as `trust` says.
pub fn client_tls(trust: &ServerTrust) -> Result<rustls::ClientConfig, EnrollError> {
    let mut cfg = match trust {
        ServerTrust::CaPem(pem) => tls::client_tls(pem, None)?,
        ServerTrust::Fingerprint(fp) => rustls::ClientConfig::builder_with_provider(tls::provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(TlsError::from)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(FingerprintVerifier::new(fp)?))
            .with_no_client_auth(),
    };
    cfg.alpn_protocols = vec![ENROLL_ALPN.to_vec()];
    Ok(cfg)
}

/// Whether `ca_pem` is the CA `trust` names: the same fingerprint, or the same certificate as the
/// CA file. The agent stores the CA the server returns only if it is the one it verified.
pub fn trusts_ca(trust: &ServerTrust, ca_pem: &str) -> Result<bool, EnrollError> {
    let got = pem_fingerprint(ca_pem)?;
    Ok(match trust {
        ServerTrust::Fingerprint(fp) => parse_fingerprint(fp)? == parse_fingerprint(&got)?,
        ServerTrust::CaPem(pem) => {
            let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| TlsError::Pem { what: "CA certificate", reason: e.to_string() })?;
            certs.iter().any(|c| fingerprint(c) == got)
        }
    })
}

/// Enrolls over QUIC: connects to `addr` (checking the server as `tls_config` says), sends `request`
/// and returns the server's answer. The token leaves this host only after the server passed the
/// TLS verification.
pub async fn enroll_quic(
    addr: SocketAddr,
    server_name: &str,
    tls_config: rustls::ClientConfig,
    request: &EnrollRequest,
) -> Result<EnrollResponse, EnrollError> {
    let conn_err = |e: &dyn std::fmt::Display| EnrollError::Connection(e.to_string());
    let quic = tls::quic_client(tls_config)?;
    let bind: SocketAddr =
        if addr.is_ipv6() { SocketAddr::from(([0u16; 8], 0)) } else { SocketAddr::from(([0u8; 4], 0)) };
    let mut endpoint = quinn::Endpoint::client(bind).map_err(|e| conn_err(&e))?;
    endpoint.set_default_client_config(quic);
    let exchange = async {
        let conn = endpoint.connect(addr, server_name).map_err(|e| conn_err(&e))?.await.map_err(|e| conn_err(&e))?;
        let (mut send, mut recv) = conn.open_bi().await.map_err(|e| conn_err(&e))?;
        write_message(&mut send, request).await?;
        let _ = send.finish();
        let answer = read_message(&mut recv).await;
        conn.close(0u32.into(), b"done");
        answer
    };
    let result = tokio::time::timeout(MESSAGE_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| Err(EnrollError::Connection(format!("no answer within {MESSAGE_TIMEOUT:?}"))));
    endpoint.wait_idle().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::CertRole;

    #[test]
    fn fingerprints_parse_and_compare() {
        let ca = tls::generate_ca("t").unwrap();
        let fp = pem_fingerprint(&ca.cert_pem).unwrap();
        assert!(fp.starts_with("sha256:") && fp.len() == 7 + 64, "{fp}");
        assert_eq!(
            parse_fingerprint(&fp).unwrap(),
            parse_fingerprint(&fp.to_uppercase().replace("SHA256", "sha256")).unwrap()
        );
        assert!(parse_fingerprint("sha256:abcd").is_err());
        assert!(parse_fingerprint(&fp.replace("sha256:", "md5:")).is_err());
        assert!(trusts_ca(&ServerTrust::Fingerprint(fp.clone()), &ca.cert_pem).unwrap());
        let other = tls::generate_ca("u").unwrap();
        assert!(!trusts_ca(&ServerTrust::Fingerprint(fp), &other.cert_pem).unwrap());
        assert!(trusts_ca(&ServerTrust::CaPem(ca.cert_pem.clone()), &ca.cert_pem).unwrap());
    }

    #[test]
    fn csr_is_signed_with_our_profile_and_name() {
        let ca = tls::generate_ca("t").unwrap();
        let req = new_key_and_csr("web-1").unwrap();
        // The CSR asks for one name; the certificate carries the one the server decided.
        let cert = sign_csr(&ca, "web-2", &req.cert_pem).unwrap();
        assert_eq!(tls::pem_identity(&cert).unwrap(), "web-2");
        // The certificate works with the agent's key against a server of the same CA.
        let pair = PemPair { cert_pem: cert, key_pem: req.key_pem };
        tls::client_tls(&ca.cert_pem, Some(&pair)).unwrap();
        assert!(sign_csr(&ca, "web-1", "not a csr").is_err());
        assert!(sign_csr(&ca, "bad name", &req.cert_pem).is_err());
    }

    fn verify(fp: &str, ca: &PemPair, server: &PemPair, name: &str) -> Result<ServerCertVerified, rustls::Error> {
        let v = FingerprintVerifier::new(fp).unwrap();
        let leaf = CertificateDer::from_pem_slice(server.cert_pem.as_bytes()).unwrap();
        let ca_der = CertificateDer::from_pem_slice(ca.cert_pem.as_bytes()).unwrap();
        let name = ServerName::try_from(name.to_string()).unwrap();
        v.verify_server_cert(&leaf, &[ca_der], &name, &[], UnixTime::now())
    }

    #[test]
    fn fingerprint_verifier_accepts_only_the_pinned_ca() {
        let ca = tls::generate_ca("t").unwrap();
        let server = tls::issue(&ca, CertRole::Server, "agg", &["localhost".into()]).unwrap();
        let fp = pem_fingerprint(&ca.cert_pem).unwrap();
        verify(&fp, &ca, &server, "localhost").unwrap();
        // Wrong fingerprint.
        let other = tls::generate_ca("u").unwrap();
        let wrong = pem_fingerprint(&other.cert_pem).unwrap();
        let e = verify(&wrong, &ca, &server, "localhost").unwrap_err();
        assert!(e.to_string().contains("fingerprint"), "{e}");
        // The pinned CA is presented, but it did not sign the leaf.
        let forged = tls::issue(&other, CertRole::Server, "agg", &["localhost".into()]).unwrap();
        assert!(verify(&fp, &ca, &forged, "localhost").is_err());
        // Right CA, wrong server name.
        assert!(verify(&fp, &ca, &server, "elsewhere.example").is_err());
    }

    #[tokio::test]
    async fn messages_round_trip_and_are_bounded() {
        let req = EnrollRequest { version: ENROLL_VERSION, token: "t".into(), name: "n".into(), csr_pem: "c".into() };
        let mut buf = Vec::new();
        write_message(&mut buf, &req).await.unwrap();
        let got: EnrollRequest = read_message(&mut buf.as_slice()).await.unwrap();
        assert_eq!(got, req);
        let mut huge = ((MAX_MESSAGE_BYTES + 1) as u32).to_be_bytes().to_vec();
        huge.extend_from_slice(&[0; 16]);
        assert!(matches!(read_message::<_, EnrollRequest>(&mut huge.as_slice()).await, Err(EnrollError::Message(_))));
    }
}
