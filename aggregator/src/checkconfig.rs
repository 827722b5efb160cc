//! `pharos-aggregator check-config`: checks configuration files the way `promtool check config`
//! checks Prometheus' — same layout, same exit codes — without starting anything or writing to
//! the data directory.
//!
//! A file passes when the aggregator would start on it: the TOML and its values; the listen
//! addresses; the TLS files when they are configured or exist (the default CA is created at the
//! first start, so its absence is not a fault); `[http]` (credentials' hashes, limits, and its
//! certificate files read and matched with their key); `[[remote_write]]`; `[parent]` with its
//! certificates; the Alertmanager configuration; and every rule file, each checked like
//! `promtool check rules` in a block of its own. As with promtool, a rule file named without a
//! glob pattern must exist.

use crate::config::AggregatorConfig;
use crate::rules::check::{check_rules, CheckOptions, Verdict};
use crate::rules::PrometheusExpander;
use crate::web::config::HttpTls;
use pharos_protocol::checkconfig::CheckOutput;
use pharos_protocol::tls;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Options of `check-config`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckConfigOptions {
    /// Only the configuration file's own syntax and values; referenced files are not read
    /// (promtool's `--syntax-only`).
    pub syntax_only: bool,
    /// The rule files' lint (`--lint`, `--lint-fatal`).
    pub rules: CheckOptions,
}

/// Checks each file and returns what to print and the exit code.
pub fn check_files(files: &[PathBuf], opts: CheckConfigOptions) -> CheckOutput {
    let mut out = CheckOutput::default();
    for file in files {
        let shown = file.display().to_string();
        out.checking(&shown);
        let rule_files = match check_one(file, opts) {
            Ok((findings, rule_files)) => {
                for f in &findings {
                    out.success(f);
                }
                out.valid(&shown, "pharos-aggregator configuration");
                rule_files
            }
            Err(errors) => {
                for e in &errors {
                    out.failed(e);
                }
                Vec::new()
            }
        };
        out.end_file();
        if !rule_files.is_empty() {
            out.append(rules_output(&rule_files, opts.rules));
        }
    }
    out
}

/// The rule files' blocks: `check rules`' standard output and exit code, with the failures
/// laid out as promtool's `check config` lays them out (each error on its own line after
/// `  FAILED:`, indented by five spaces, where `check rules` does not indent).
fn rules_output(files: &[PathBuf], opts: CheckOptions) -> CheckOutput {
    let report = check_rules(files, &PrometheusExpander::without_queries(), opts);
    let mut stderr = String::new();
    for file in &report.files {
        let errors = match &file.verdict {
            Verdict::Success { .. } => continue,
            Verdict::Failed { errors } => errors.clone(),
            Verdict::Lint { message } => vec![format!("lint error {message}")],
        };
        stderr.push_str("  FAILED:\n");
        for e in errors {
            let _ = writeln!(stderr, "     {e}");
        }
    }
    CheckOutput { stdout: report.stdout, stderr, exit_code: u8::try_from(report.exit_code).unwrap_or(1) }
}

/// One configuration file: the findings and rule files, or every fault found.
fn check_one(file: &Path, opts: CheckConfigOptions) -> Result<(Vec<String>, Vec<PathBuf>), Vec<String>> {
    let cfg = AggregatorConfig::load(file).map_err(|e| vec![e.to_string()])?;
    let mut errors = Vec::new();
    for (key, addr) in
        [("server.http_listen", &cfg.server.http_listen), ("server.quic_listen", &cfg.server.quic_listen)]
    {
        if let Err(e) = addr.parse::<SocketAddr>() {
            errors.push(format!("{key} {addr:?}: {e}"));
        }
    }
    if let Err(e) = crate::federate::config::validate_all(&cfg.remote_write) {
        errors.push(format!("remote_write: {e}"));
    }
    if opts.syntax_only {
        if let Some(p) = &cfg.parent {
            if let Err(e) = p.validate(&cfg.server.quic_listen) {
                errors.push(e);
            }
        }
        return if errors.is_empty() { Ok((Vec::new(), Vec::new())) } else { Err(errors) };
    }

    let mut findings = Vec::new();
    check_tls(&cfg, &mut findings, &mut errors);
    check_http_tls(&cfg, &mut findings, &mut errors);
    if let Some(p) = &cfg.parent {
        match crate::parent::uplink_settings(&cfg, p).map_err(|e| e.to_string()) {
            Ok(settings) => match settings.check() {
                Ok(()) => {
                    findings.push(format!("parent: forwarding to {} as {:?}", p.all_servers().join(", "), p.identity()))
                }
                Err(e) => errors.push(format!("parent: {e}")),
            },
            Err(e) => errors.push(e),
        }
    }
    if let Some(path) = &cfg.alerting.config_file {
        match crate::reload::load_alerting(path) {
            Ok((am, _)) => findings.push(format!(
                "alerting: {} is valid Alertmanager configuration ({} receivers, {} inhibit rules, {} templates)",
                path.display(),
                am.receivers.len(),
                am.inhibit_rules.len(),
                am.templates.len()
            )),
            Err(e) => errors.push(format!("alerting: {e}")),
        }
    }
    let rule_files = match rule_files(&cfg.rules.files) {
        Ok(files) => files,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    if !rule_files.is_empty() {
        // promtool's first line for a file with rule_files.
        findings.insert(0, format!("{} rule files found", rule_files.len()));
    }
    Ok((findings, rule_files))
}

/// The TLS files the QUIC listener would use: checked when configured or present. Without any,
/// the aggregator creates its CA at the first start (as `cert init`), which is reported.
fn check_tls(cfg: &AggregatorConfig, findings: &mut Vec<String>, errors: &mut Vec<String>) {
    let explicit = cfg.tls.ca_file.is_some() || cfg.tls.cert_file.is_some() || cfg.tls.key_file.is_some();
    if !explicit && !crate::certs::has_ca(&cfg.tls_dir()) {
        findings.push(format!("tls: no CA yet; the first start creates one in {}", cfg.tls_dir().display()));
        return;
    }
    let loaded = (|| {
        let ca = tls::read_pem_file(&cfg.ca_file())?;
        let pair = tls::PemPair {
            cert_pem: tls::read_pem_file(&cfg.cert_file())?,
            key_pem: tls::read_pem_file(&cfg.key_file())?,
        };
        tls::server_tls(&ca, &pair)?;
        tls::pem_identity(&pair.cert_pem)
    })();
    match loaded {
        Ok(name) => findings.push(format!("tls: server certificate {name:?} from {}", cfg.cert_file().display())),
        Err(e) => errors.push(format!("tls: {e}")),
    }
}

/// The HTTP listener's TLS (`[http]`): certificate files read and matched with their key; with
/// `tls = "ca"` the aggregator's own certificate, which [`check_tls`] reads.
fn check_http_tls(cfg: &AggregatorConfig, findings: &mut Vec<String>, errors: &mut Vec<String>) {
    let mode = match cfg.http.tls_mode() {
        Ok(m) => m,
        Err(e) => return errors.push(e),
    };
    match &mode {
        HttpTls::Off => {}
        HttpTls::Ca => findings.push("http: HTTPS with the aggregator's own certificate (see tls)".to_string()),
        HttpTls::Files { cert, .. } => match crate::web::tls::server_config(&mode, cfg) {
            Ok(_) => findings.push(format!("http: HTTPS with {}", cert.display())),
            Err(e) => errors.push(format!("http: {e}")),
        },
    }
}

/// The rule files the patterns name, with promtool's rule: a pattern without `*`, `?` or `[`
/// names a file that must exist.
fn rule_files(patterns: &[String]) -> Result<Vec<PathBuf>, String> {
    for p in patterns {
        if !p.contains(['*', '?', '[']) && !Path::new(p).exists() {
            return Err(format!("{p:?} does not point to an existing file"));
        }
    }
    crate::rules::manager::expand_patterns(patterns).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    #[test]
    fn a_valid_file_lists_its_rule_files_and_checks_them() {
        let d = tempfile::tempdir().expect("tempdir");
        write(d.path(), "a.rules.yml", "groups:\n- name: g\n  rules:\n  - record: x\n    expr: up\n");
        let data = d.path().join("data");
        let cfg = write(
            d.path(),
            "agg.toml",
            &format!("[server]\ndata_dir = {:?}\n[rules]\nfiles = [\"*.rules.yml\"]\n", data.display().to_string()),
        );
        let out = check_files(std::slice::from_ref(&cfg), CheckConfigOptions::default());
        assert_eq!(out.exit_code, 0, "{out:?}");
        let shown = cfg.display().to_string();
        let rules = d.path().join("a.rules.yml").display().to_string();
        assert!(
            out.stdout
                .starts_with(&format!("Checking {shown}\n  SUCCESS: 1 rule files found\n  SUCCESS: tls: no CA yet")),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains(&format!(" SUCCESS: {shown} is valid pharos-aggregator configuration\n\n")));
        assert!(out.stdout.ends_with(&format!("Checking {rules}\n  SUCCESS: 1 rules found\n\n")), "{}", out.stdout);
        assert!(!data.exists(), "check-config must not create the data directory");
    }

    #[test]
    fn faults_are_reported_with_promtools_exit_code() {
        let d = tempfile::tempdir().expect("tempdir");
        let unknown = write(d.path(), "unknown.toml", "[server]\nhttp_lisen = \"x\"\n");
        let out = check_files(&[unknown], CheckConfigOptions::default());
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.starts_with("  FAILED: ") && out.stderr.contains("http_lisen"), "{}", out.stderr);

        let missing_rules = write(d.path(), "m.toml", "[rules]\nfiles = [\"nothere.yml\"]\n");
        let out = check_files(std::slice::from_ref(&missing_rules), CheckConfigOptions::default());
        assert_eq!(out.exit_code, 1);
        let nothere = d.path().join("nothere.yml").display().to_string();
        assert_eq!(out.stderr, format!("  FAILED: {nothere:?} does not point to an existing file\n"));
        // --syntax-only does not look at referenced files.
        let out = check_files(&[missing_rules], CheckConfigOptions { syntax_only: true, ..Default::default() });
        assert_eq!(out.exit_code, 0, "{out:?}");

        let bad_addr = write(d.path(), "a.toml", "[server]\nquic_listen = \"nowhere\"\n");
        let out = check_files(&[bad_addr], CheckConfigOptions { syntax_only: true, ..Default::default() });
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.contains("server.quic_listen \"nowhere\""), "{}", out.stderr);
    }

    #[test]
    fn a_broken_rule_file_and_alertmanager_file_fail() {
        let d = tempfile::tempdir().expect("tempdir");
        write(d.path(), "r.yml", "groups:\n- name: g\n  rules:\n  - record: x\n    expr: up(\n");
        write(d.path(), "am.yml", "route:\n  receiver: nobody\nreceivers: []\n");
        let data = d.path().join("data").display().to_string();
        let cfg =
            write(d.path(), "agg.toml", &format!("[server]\ndata_dir = {data:?}\n[rules]\nfiles = [\"r.yml\"]\n"));
        let out = check_files(&[cfg], CheckConfigOptions::default());
        assert_eq!(out.exit_code, 1);
        assert!(
            out.stderr.contains("  FAILED:\n") && out.stderr.contains("unclosed left parenthesis"),
            "{}",
            out.stderr
        );

        let cfg = write(
            d.path(),
            "agg2.toml",
            &format!("[server]\ndata_dir = {data:?}\n[alerting]\nconfig_file = \"am.yml\"\n"),
        );
        let out = check_files(&[cfg], CheckConfigOptions::default());
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.starts_with("  FAILED: alerting: ") && out.stderr.contains("nobody"), "{}", out.stderr);
    }

    #[test]
    fn configured_tls_files_are_read_and_must_match() {
        let d = tempfile::tempdir().expect("tempdir");
        let tls_dir = d.path().join("data/tls");
        crate::certs::init(&tls_dir, &["localhost".to_string()], false).expect("cert init");
        let data = d.path().join("data").display().to_string();
        let cfg = write(d.path(), "agg.toml", &format!("[server]\ndata_dir = {data:?}\n"));
        let out = check_files(std::slice::from_ref(&cfg), CheckConfigOptions::default());
        assert_eq!(out.exit_code, 0, "{out:?}");
        assert!(out.stdout.contains("  SUCCESS: tls: server certificate"), "{}", out.stdout);
        std::fs::write(tls_dir.join("server-key.pem"), "not a key").expect("break key");
        let out = check_files(&[cfg], CheckConfigOptions::default());
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.starts_with("  FAILED: tls: "), "{}", out.stderr);
    }

    #[test]
    fn the_http_listeners_certificate_files_are_read() {
        let d = tempfile::tempdir().expect("tempdir");
        let tls_dir = d.path().join("data/tls");
        crate::certs::init(&tls_dir, &["localhost".to_string()], false).expect("cert init");
        let data = d.path().join("data").display().to_string();
        let (cert, key) = (tls_dir.join("server.pem"), tls_dir.join("server-key.pem"));
        let cfg = write(
            d.path(),
            "agg.toml",
            &format!("[server]\ndata_dir = {data:?}\n[http]\ntls_cert_file = {:?}\ntls_key_file = {:?}\n", cert, key),
        );
        let out = check_files(std::slice::from_ref(&cfg), CheckConfigOptions::default());
        assert_eq!(out.exit_code, 0, "{out:?}");
        assert!(out.stdout.contains(&format!("  SUCCESS: http: HTTPS with {}\n", cert.display())), "{}", out.stdout);
        // The QUIC listener's key is fine; the HTTP listener's is not.
        let broken = d.path().join("broken-key.pem");
        std::fs::write(&broken, "not a key").expect("write");
        let text = std::fs::read_to_string(&cfg).expect("read").replace(&format!("{key:?}"), &format!("{broken:?}"));
        std::fs::write(&cfg, text).expect("write");
        let out = check_files(&[cfg], CheckConfigOptions::default());
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.starts_with("  FAILED: http: ") && out.stderr.contains("broken-key.pem"), "{}", out.stderr);
    }
}
