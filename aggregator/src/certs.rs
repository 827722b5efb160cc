//! `pharos-aggregator cert …`: the private CA, the server certificate, and agent certificates.

use pharos_protocol::tls::{self, CertRole, PemPair, TlsError};
use std::path::{Path, PathBuf};

/// File names inside a TLS directory.
pub const CA_CERT: &str = "ca.pem";
/// CA private key.
pub const CA_KEY: &str = "ca-key.pem";
/// Server certificate.
pub const SERVER_CERT: &str = "server.pem";
/// Server private key.
pub const SERVER_KEY: &str = "server-key.pem";
/// Agent certificate (in an agent's TLS directory).
pub const AGENT_CERT: &str = "agent.pem";
/// Agent private key.
pub const AGENT_KEY: &str = "agent-key.pem";

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> TlsError + '_ {
    move |source| TlsError::Io { path: path.display().to_string(), source }
}

fn write_cert(path: &Path, pem: &str) -> Result<(), TlsError> {
    std::fs::write(path, pem).map_err(io_err(path))
}

/// Whether `dir` already holds a CA.
pub fn has_ca(dir: &Path) -> bool {
    dir.join(CA_CERT).exists() && dir.join(CA_KEY).exists()
}

/// Creates a CA and a server certificate for `server_names` in `dir` (mode 0700, keys 0600).
/// Refuses to overwrite an existing CA unless `force`, since that would orphan every agent.
pub fn init(dir: &Path, server_names: &[String], force: bool) -> Result<Vec<PathBuf>, TlsError> {
    if has_ca(dir) && !force {
        return Err(TlsError::Io {
            path: dir.join(CA_CERT).display().to_string(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a CA already exists here (use --force to replace it and invalidate every agent certificate)",
            ),
        });
    }
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io_err(dir))?;
    }
    // A distinct name per CA: a certificate from another Pharos installation is then refused as
    // "unknown issuer" rather than as a bad signature under a CA of the same name.
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let ca = tls::generate_ca(&format!("Pharos CA {:08x}", (nonce as u64 ^ u64::from(std::process::id())) as u32))?;
    let first = server_names.first().map(String::as_str).unwrap_or("pharos-aggregator");
    let server = tls::issue(&ca, CertRole::Server, first, server_names)?;
    write_cert(&dir.join(CA_CERT), &ca.cert_pem)?;
    tls::write_private_key(&dir.join(CA_KEY), &ca.key_pem)?;
    write_cert(&dir.join(SERVER_CERT), &server.cert_pem)?;
    tls::write_private_key(&dir.join(SERVER_KEY), &server.key_pem)?;
    Ok(vec![dir.join(CA_CERT), dir.join(CA_KEY), dir.join(SERVER_CERT), dir.join(SERVER_KEY)])
}

/// Loads the CA from `dir`.
pub fn load_ca(dir: &Path) -> Result<PemPair, TlsError> {
    Ok(PemPair { cert_pem: tls::read_pem_file(&dir.join(CA_CERT))?, key_pem: tls::read_pem_file(&dir.join(CA_KEY))? })
}

/// Issues a client certificate for agent `name` and writes `ca.pem`, `agent.pem` and
/// `agent-key.pem` (0600) into `out`: exactly what the agent's default configuration looks for
/// under `<data_dir>/tls`.
pub fn issue_agent(ca_dir: &Path, name: &str, out: &Path) -> Result<Vec<PathBuf>, TlsError> {
    let ca = load_ca(ca_dir)?;
    let agent = tls::issue(&ca, CertRole::Client, name, &[])?;
    std::fs::create_dir_all(out).map_err(io_err(out))?;
    write_cert(&out.join(CA_CERT), &ca.cert_pem)?;
    write_cert(&out.join(AGENT_CERT), &agent.cert_pem)?;
    tls::write_private_key(&out.join(AGENT_KEY), &agent.key_pem)?;
    Ok(vec![out.join(CA_CERT), out.join(AGENT_CERT), out.join(AGENT_KEY)])
}

/// Default names for the server certificate: localhost, the loopback addresses and the host name.
pub fn default_server_names() -> Vec<String> {
    let mut v = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string()];
    let h = crate::hostname();
    if !v.contains(&h) {
        v.push(h);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_refuses_to_replace_a_ca_and_issues_agents() {
        let d = tempfile::tempdir().unwrap();
        let tls_dir = d.path().join("tls");
        init(&tls_dir, &default_server_names(), false).unwrap();
        assert!(init(&tls_dir, &default_server_names(), false).is_err());
        let out = d.path().join("agent");
        issue_agent(&tls_dir, "host-1", &out).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join(AGENT_KEY)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = std::fs::metadata(tls_dir.join(CA_KEY)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
