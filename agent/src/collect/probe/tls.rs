//! TLS for the http and tcp probers: a rustls client (ring provider) built from a target's TLS
//! settings, and blackbox's certificate metrics (`probe_ssl_*`, `probe_tls_version_info`).
//!
//! The client configuration is built for every probe, as blackbox does, so a replaced CA or
//! client certificate is picked up without a restart; at probe intervals that costs nothing.

use super::{Report, TlsSettings};
use pharos_protocol::trust::{system_roots, AcceptAnyCert};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::ClientConfig;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use x509_parser::prelude::{FromDer, X509Certificate};

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub(super) enum TlsError {
    /// A certificate or key file could not be read or parsed.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// No CA bundle configured or found.
    #[error("no ca_file configured and no system CA bundle found")]
    NoRoots,
    /// rustls refused the configuration.
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
    /// The server name is not a valid DNS name or IP address.
    #[error("invalid TLS server name {0:?}")]
    ServerName(String),
}

/// A client configuration plus the trust anchors it was built from (to complete the chain for
/// `probe_ssl_last_chain_expiry_timestamp_seconds`).
pub(super) struct Tls {
    /// The rustls configuration.
    pub config: Arc<ClientConfig>,
    roots: Vec<CertificateDer<'static>>,
    insecure: bool,
}

async fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    tokio::fs::read(path).await.map_err(|e| TlsError::File { path: path.to_path_buf(), message: e.to_string() })
}

fn certs(path: &Path, pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::File { path: path.to_path_buf(), message: e.to_string() })
}

/// Builds the client for `s`, offering `alpn`.
pub(super) async fn client(s: &TlsSettings, alpn: &[&[u8]]) -> Result<Tls, TlsError> {
    let provider = pharos_protocol::tls::provider();
    let roots = match &s.ca_file {
        Some(p) => certs(p, &read(p).await?)?,
        None => match tokio::task::spawn_blocking(system_roots).await.ok().flatten() {
            Some((_, c)) if !c.is_empty() => c,
            _ if s.insecure_skip_verify => Vec::new(),
            _ => return Err(TlsError::NoRoots),
        },
    };
    let mut store = rustls::RootCertStore::empty();
    store.add_parsable_certificates(roots.iter().cloned());
    let builder = ClientConfig::builder_with_provider(provider.clone());
    let builder = match s.min_version.as_deref() {
        // The configuration allows only TLS12 and TLS13; TLS 1.2 is rustls' floor anyway.
        Some("TLS13") => builder.with_protocol_versions(&[&rustls::version::TLS13])?,
        _ => builder.with_safe_default_protocol_versions()?,
    };
    let builder = if s.insecure_skip_verify {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(AcceptAnyCert(provider)))
    } else {
        builder.with_root_certificates(store)
    };
    let mut config = match (&s.cert_file, &s.key_file) {
        (Some(c), Some(k)) => {
            let chain = certs(c, &read(c).await?)?;
            let key = PrivateKeyDer::from_pem_slice(&read(k).await?)
                .map_err(|e| TlsError::File { path: k.clone(), message: e.to_string() })?;
            builder.with_client_auth_cert(chain, key)?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => {
            return Err(TlsError::File {
                path: s.cert_file.clone().or(s.key_file.clone()).unwrap_or_default(),
                message: "cert_file and key_file go together".into(),
            })
        }
    };
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(Tls { config: Arc::new(config), roots, insecure: s.insecure_skip_verify })
}

/// The name to send and verify: `server_name`, else `default` (a host name or an IP address).
pub(super) fn server_name(s: &TlsSettings, default: &str) -> Result<ServerName<'static>, TlsError> {
    name(s.server_name.as_deref().unwrap_or(default))
}

/// A TLS server name from a host name or address (brackets allowed).
pub(super) fn name(name: &str) -> Result<ServerName<'static>, TlsError> {
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(bare.to_string()).map_err(|_| TlsError::ServerName(name.to_string()))
}

/// Go's `time.Time{}.Unix()`: what blackbox reports for a chain expiry it has no chain for.
const GO_ZERO_TIME_UNIX: f64 = -62135596800.0;

/// What blackbox reports of a TLS connection, taken right after the handshake (the stream then
/// moves into the HTTP client).
#[derive(Debug, Clone)]
pub(super) struct TlsInfo {
    version: &'static str,
    earliest: f64,
    chain_expiry: f64,
    /// fingerprint_sha256, subject, issuer, subjectalternative of the leaf.
    leaf: Option<[String; 4]>,
}

/// The TLS facts of an established connection.
pub(super) fn info(conn: &rustls::ClientConnection, tls: &Tls) -> TlsInfo {
    let version = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2",
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3",
        _ => "unknown",
    };
    let ders = conn.peer_certificates().unwrap_or_default();
    let peer: Vec<X509Certificate<'_>> =
        ders.iter().filter_map(|der| X509Certificate::from_der(der.as_ref()).ok().map(|(_, c)| c)).collect();
    let not_after = |c: &X509Certificate<'_>| c.validity().not_after.timestamp() as f64;
    let earliest = peer.iter().map(not_after).fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))));
    // Go reports the earliest expiry of the verified chain (trust anchor included); rustls does not
    // expose that chain, so it is the presented chain plus the trusted root that issued its last
    // certificate. Without verification there is no verified chain, hence Go's zero time.
    let chain_expiry = if tls.insecure || peer.is_empty() {
        GO_ZERO_TIME_UNIX
    } else {
        let roots: Vec<X509Certificate<'_>> =
            tls.roots.iter().filter_map(|d| X509Certificate::from_der(d.as_ref()).ok().map(|(_, c)| c)).collect();
        let last_issuer = peer.last().map(|c| c.issuer().as_raw());
        let root = roots.iter().find(|r| Some(r.subject().as_raw()) == last_issuer);
        peer.iter().chain(root).map(not_after).fold(f64::INFINITY, f64::min)
    };
    let leaf = match (peer.first(), ders.first()) {
        (Some(leaf), Some(der)) => {
            let digest = ring::digest::digest(&ring::digest::SHA256, der.as_ref());
            let mut fingerprint = String::with_capacity(64);
            for b in digest.as_ref() {
                let _ = write!(fingerprint, "{b:02x}");
            }
            let sans: Vec<String> = leaf
                .subject_alternative_name()
                .ok()
                .flatten()
                .map(|ext| {
                    ext.value
                        .general_names
                        .iter()
                        .filter_map(|n| match n {
                            x509_parser::extensions::GeneralName::DNSName(d) => Some(d.to_string()),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some([fingerprint, go_name(leaf.subject()), go_name(leaf.issuer()), sans.join(",")])
        }
        _ => None,
    };
    TlsInfo { version, earliest: earliest.unwrap_or(GO_ZERO_TIME_UNIX), chain_expiry, leaf }
}

impl TlsInfo {
    /// Registers and sets blackbox's TLS families.
    pub(super) fn report(&self, r: &mut Report) {
        r.set_labeled(
            "probe_tls_version_info",
            "Returns the TLS version used or NaN when unknown",
            &[("version", self.version)],
            1.0,
        );
        r.set("probe_ssl_earliest_cert_expiry", "Returns last SSL chain expiry in unixtime", self.earliest);
        r.set(
            "probe_ssl_last_chain_expiry_timestamp_seconds",
            "Returns last SSL chain expiry in timestamp",
            self.chain_expiry,
        );
        // Registered even without a leaf, as blackbox does (it then has no sample).
        r.family_only("probe_ssl_last_chain_info", "Contains SSL leaf certificate information");
        if let Some([fp, subject, issuer, sans]) = &self.leaf {
            r.set_labeled(
                "probe_ssl_last_chain_info",
                "Contains SSL leaf certificate information",
                &[("fingerprint_sha256", fp), ("subject", subject), ("issuer", issuer), ("subjectalternative", sans)],
                1.0,
            );
        }
    }
}

/// A distinguished name as Go's `pkix.Name.String()` prints it: `CN=a,OU=b,O=c,L=d,ST=e,C=f`
/// (Go's fixed attribute order, reversed as RFC 4514 wants), repeated attributes joined with `+`,
/// other attributes first as `oid=#hex`.
fn go_name(name: &x509_parser::x509::X509Name<'_>) -> String {
    // Go's ToRDNSequence order, printed last to first.
    const ORDER: [(&str, &str); 9] = [
        ("2.5.4.6", "C"),
        ("2.5.4.8", "ST"),
        ("2.5.4.7", "L"),
        ("2.5.4.9", "STREET"),
        ("2.5.4.17", "POSTALCODE"),
        ("2.5.4.10", "O"),
        ("2.5.4.11", "OU"),
        ("2.5.4.3", "CN"),
        ("2.5.4.5", "SERIALNUMBER"),
    ];
    let attrs: Vec<(String, String, Vec<u8>)> = name
        .iter_attributes()
        .map(|a| {
            let raw = a.attr_value();
            let mut der = vec![raw.header.tag().0 as u8];
            let len = raw.data.len();
            if len < 128 {
                der.push(len as u8);
            } else {
                der.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
            }
            der.extend_from_slice(raw.data);
            (a.attr_type().to_id_string(), a.as_str().unwrap_or_default().to_string(), der)
        })
        .collect();
    let mut rdns: Vec<String> = Vec::new();
    for (oid, short) in ORDER {
        let vals: Vec<String> =
            attrs.iter().filter(|(o, _, _)| o == oid).map(|(_, v, _)| format!("{short}={}", escape(v))).collect();
        if !vals.is_empty() {
            rdns.push(vals.join("+"));
        }
    }
    for (oid, _, der) in attrs.iter().filter(|(o, _, _)| !ORDER.iter().any(|(k, _)| k == o)) {
        let mut s = format!("{oid}=#");
        for b in der {
            let _ = write!(s, "{b:02x}");
        }
        rdns.push(s);
    }
    rdns.reverse();
    rdns.join(",")
}

/// RFC 4514 escaping as Go's `attributeTypeAndValue` printing does it.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == ' ' || c == '#'))
            || (i + 1 == n && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
