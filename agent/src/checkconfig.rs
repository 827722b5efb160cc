//! `pharos-agent check-config`: checks configuration files the way `promtool check config`
//! checks Prometheus' — same layout, same exit codes — without collecting or connecting.
//!
//! A file passes when the agent would start on it: the TOML and its values (collectors, probes,
//! scrape targets are checked while loading), the Pushgateway listen address, and the uplink:
//! every server as `HOST:PORT`, the CA, certificate and key readable, and the certificate
//! issued to `agent.name` (the aggregator files the data under that name). A missing
//! certificate is a failure, with the hint to enroll: the agent cannot send without one.

use crate::config::AgentConfig;
use pharos_protocol::checkconfig::CheckOutput;
use pharos_protocol::tls::TlsError;
use pharos_uplink::UplinkError;
use std::path::{Path, PathBuf};

/// Checks each file (`syntax_only`: the file alone, not the certificates it names) and
/// returns what to print and the exit code.
pub fn check_files(files: &[PathBuf], syntax_only: bool) -> CheckOutput {
    let mut out = CheckOutput::default();
    for file in files {
        let shown = file.display().to_string();
        out.checking(&shown);
        match check_one(file, syntax_only) {
            Ok(findings) => {
                for f in &findings {
                    out.success(f);
                }
                out.valid(&shown, "pharos-agent configuration");
            }
            Err(errors) => {
                for e in &errors {
                    out.failed(e);
                }
            }
        }
        out.end_file();
    }
    out
}

/// One file: what it sets up, or every fault found.
fn check_one(file: &Path, syntax_only: bool) -> Result<Vec<String>, Vec<String>> {
    let cfg = AgentConfig::load(file).map_err(|e| vec![e.to_string()])?;
    let mut errors = Vec::new();
    let listen = cfg.pushgateway.listen.trim();
    if !listen.is_empty() && listen.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok()).is_none() {
        errors.push(format!("pushgateway.listen {listen:?}: expected HOST:PORT (or \"\" to turn it off)"));
    }
    let sources = crate::app::sources(&cfg).len();
    let mut findings = vec![format!("{sources} sources, collected as instance {:?}", cfg.agent.name)];
    if !syntax_only {
        match crate::uplink::settings(&cfg).and_then(|s| s.check()) {
            Ok(()) => findings.push(format!("uplink: sending to {}", cfg.servers().join(", "))),
            Err(UplinkError::Tls(TlsError::Io { path, source })) if source.kind() == std::io::ErrorKind::NotFound => {
                errors.push(format!(
                    "uplink: {path}: no such file; obtain the certificate with `pharos-agent enroll` \
                     (or `pharos-aggregator cert agent`)"
                ))
            }
            Err(e) => errors.push(format!("uplink: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(findings)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::tls::{generate_ca, issue, CertRole};

    fn config(dir: &Path, extra: &str) -> PathBuf {
        let p = dir.join("agent.toml");
        let text = format!(
            "[agent]\nname = \"web-1\"\ndata_dir = {:?}\n[pushgateway]\nlisten = \"\"\n{extra}",
            dir.display().to_string()
        );
        std::fs::write(&p, text).expect("write");
        p
    }

    fn certify(dir: &Path, name: &str) {
        let tls = dir.join("tls");
        std::fs::create_dir_all(&tls).expect("tls dir");
        let ca = generate_ca("test CA").expect("ca");
        let leaf = issue(&ca, CertRole::Client, name, &[]).expect("leaf");
        std::fs::write(tls.join("ca.pem"), &ca.cert_pem).expect("ca.pem");
        std::fs::write(tls.join("agent.pem"), &leaf.cert_pem).expect("agent.pem");
        std::fs::write(tls.join("agent-key.pem"), &leaf.key_pem).expect("key");
    }

    #[test]
    fn an_enrolled_agent_passes() {
        pharos_protocol::tls::install_default_provider();
        let d = tempfile::tempdir().expect("tempdir");
        certify(d.path(), "web-1");
        let file = config(d.path(), "");
        let out = check_files(std::slice::from_ref(&file), false);
        assert_eq!(out.exit_code, 0, "{out:?}");
        let shown = file.display().to_string();
        assert!(out.stdout.starts_with(&format!("Checking {shown}\n  SUCCESS: ")), "{}", out.stdout);
        assert!(out.stdout.contains("  SUCCESS: uplink: sending to 127.0.0.1:9701\n"), "{}", out.stdout);
        assert!(out.stdout.ends_with(&format!(" SUCCESS: {shown} is valid pharos-agent configuration\n\n")));
        assert!(out.stderr.is_empty());
    }

    #[test]
    fn missing_or_foreign_certificates_and_bad_values_fail() {
        pharos_protocol::tls::install_default_provider();
        let d = tempfile::tempdir().expect("tempdir");
        let file = config(d.path(), "");
        let out = check_files(std::slice::from_ref(&file), false);
        assert_eq!(out.exit_code, 1);
        assert!(
            out.stderr.starts_with("  FAILED: uplink: ") && out.stderr.contains("pharos-agent enroll"),
            "{}",
            out.stderr
        );
        // --syntax-only does not read the certificates.
        assert_eq!(check_files(std::slice::from_ref(&file), true).exit_code, 0);

        certify(d.path(), "someone-else");
        let out = check_files(std::slice::from_ref(&file), false);
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.contains("\"someone-else\""), "{}", out.stderr);

        let bad = config(d.path(), "[uplink]\nserver = \"no-port\"\n");
        let out = check_files(&[bad], true);
        assert!(out.stderr.is_empty(), "syntax only: {}", out.stderr);
        let bad = config(d.path(), "[uplink]\nserver = \"no-port\"\n");
        certify(d.path(), "web-1");
        let out = check_files(&[bad], false);
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.contains("\"no-port\": expected HOST:PORT"), "{}", out.stderr);

        let unknown = config(d.path(), "[agent2]\n");
        let out = check_files(&[unknown], true);
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.contains("agent2"), "{}", out.stderr);
    }
}
