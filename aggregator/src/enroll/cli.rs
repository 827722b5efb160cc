//! `pharos-aggregator token create|list|revoke`: what the commands print.

use super::tokens::{self, now_secs, rfc3339};
use crate::config::AggregatorConfig;
use pharos_protocol::enroll::pem_fingerprint;
use pharos_protocol::tls;

/// The address agents are told to enroll at: `server` if given, else `server.quic_listen` with an
/// unspecified host (`0.0.0.0`, `[::]`) replaced by this host's name.
fn public_address(cfg: &AggregatorConfig, server: Option<&str>) -> String {
    if let Some(s) = server {
        return s.to_string();
    }
    match cfg.server.quic_listen.parse::<std::net::SocketAddr>() {
        Ok(a) if a.ip().is_unspecified() => format!("{}:{}", crate::hostname(), a.port()),
        _ => cfg.server.quic_listen.clone(),
    }
}

/// The CA certificate's PEM, creating the CA first (as the server does at start) when the
/// default TLS paths are used and none exists yet.
fn ca_pem(cfg: &AggregatorConfig) -> Result<String, String> {
    let default_tls = cfg.tls.ca_file.is_none() && cfg.tls.cert_file.is_none() && cfg.tls.key_file.is_none();
    if default_tls && !crate::certs::has_ca(&cfg.tls_dir()) {
        crate::certs::init(&cfg.tls_dir(), &crate::certs::default_server_names(), false).map_err(|e| e.to_string())?;
    }
    tls::read_pem_file(&cfg.ca_file()).map_err(|e| e.to_string())
}

/// `token create`: creates a token and returns the text to print: the token, its expiry, the
/// CA fingerprint, and the agent's command line.
pub fn create(cfg: &AggregatorConfig, ttl: &str, name: Option<String>, server: Option<&str>) -> Result<String, String> {
    let ttl_secs = tokens::parse_ttl(ttl)?;
    if let Some(n) = &name {
        pharos_protocol::enroll::check_name(n).map_err(|e| e.to_string())?;
    }
    let fingerprint = pem_fingerprint(&ca_pem(cfg)?).map_err(|e| e.to_string())?;
    let t = super::token_store(cfg).create(ttl_secs, name.clone(), now_secs()).map_err(|e| e.to_string())?;
    let name_arg = name.map(|n| format!(" --name {n}")).unwrap_or_default();
    Ok(format!(
        "token:          {}\nid:             {}\nexpires:        {}\nca-fingerprint: {fingerprint}\n\
         enroll with:    pharos-agent enroll --server {} --token {} --ca-fingerprint {fingerprint}{name_arg}\n",
        t.text,
        t.record.id,
        rfc3339(t.record.expires),
        public_address(cfg, server),
        t.text,
    ))
}

/// `token list`: one line per token: id, state, expiry, bound name.
pub fn list(cfg: &AggregatorConfig) -> Result<String, String> {
    let now = now_secs();
    let mut out = format!("{:<14} {:<25} {:<22} {}\n", "ID", "EXPIRES", "NAME", "STATE");
    for t in super::token_store(cfg).list().map_err(|e| e.to_string())? {
        out.push_str(&format!(
            "{:<14} {:<25} {:<22} {}\n",
            t.id,
            rfc3339(t.expires),
            t.name.as_deref().unwrap_or("-"),
            t.state(now)
        ));
    }
    Ok(out)
}

/// `token revoke ID`.
pub fn revoke(cfg: &AggregatorConfig, id: &str) -> Result<String, String> {
    let t = super::token_store(cfg).revoke(id, now_secs()).map_err(|e| e.to_string())?;
    Ok(format!("revoked token {}\n", t.id))
}
