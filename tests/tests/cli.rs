//! The command lines: `--help`, `--version`, `--config` with unknown keys, `collect-once`.

use pharos_e2e::bin;
use std::process::Command;

fn run(binary: &str, args: &[&str]) -> (bool, i32, String, String) {
    let out = Command::new(bin(binary)).args(args).output().expect("run");
    (
        out.status.success(),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_and_version() {
    for b in ["pharos-agent", "pharos-aggregator"] {
        let (ok, _, out, _) = run(b, &["--help"]);
        assert!(ok && out.contains("--config"), "{b} --help: {out}");
        let (ok, _, out, _) = run(b, &["--version"]);
        assert!(ok && out.starts_with(&format!("{b} ")), "{b} --version: {out}");
    }
}

#[test]
fn unknown_config_keys_are_errors_that_name_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("pharos-agent", "[agent]\nintervall = \"10s\"\n", "intervall"),
        ("pharos-agent", "[collect.host]\nproc_pth = \"/proc\"\n", "proc_pth"),
        ("pharos-aggregator", "[server]\nhttp_listn = \"127.0.0.1:1\"\n", "http_listn"),
        ("pharos-aggregator", "[limits]\nmax_frame = 1\n", "max_frame"),
    ];
    for (b, text, key) in cases {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, text).expect("write");
        // Both commands load the configuration before doing anything else.
        let certs = dir.path().join("certs");
        let cfg = path.to_str().expect("utf8");
        let args: Vec<&str> = if b == "pharos-agent" {
            vec!["--config", cfg, "collect-once"]
        } else {
            vec!["--config", cfg, "cert", "init", "--dir", certs.to_str().expect("utf8")]
        };
        let (ok2, code2, _, err2) = run(b, &args);
        assert!(!ok2, "{b} accepted a config with unknown key {key}");
        assert_eq!(code2, 2, "{b}: config errors exit with 2; stderr: {err2}");
        assert!(err2.contains(key), "{b}: the error names {key}: {err2}");
    }
}

#[test]
fn collect_once_prints_parseable_host_metrics_with_target_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("agent.toml");
    std::fs::write(&path, "[agent]\nname = \"cli-host\"\n").expect("write");
    let (ok, _, out, err) = run("pharos-agent", &["--config", path.to_str().expect("utf8"), "collect-once"]);
    assert!(ok, "collect-once failed: {err}");
    let families = pharos_protocol::exposition::parse(&out).expect("collect-once output is valid text format");
    let cpu = families.iter().find(|f| f.name == "node_cpu_seconds_total").expect("node_cpu_seconds_total");
    let m = &cpu.metrics[0];
    assert_eq!(m.labels.get("instance"), Some("cli-host"));
    assert_eq!(m.labels.get("job"), Some("node"));
}

#[test]
fn a_bare_aggregator_creates_its_ca_on_first_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let http = format!("127.0.0.1:{}", pharos_e2e::free_port());
    let quic = format!("127.0.0.1:{}", pharos_e2e::free_port());
    let cfg = dir.path().join("aggregator.toml");
    std::fs::write(
        &cfg,
        format!(
            "[server]\nhttp_listen = \"{http}\"\nquic_listen = \"{quic}\"\ndata_dir = \"{}\"\n",
            dir.path().join("data").display()
        ),
    )
    .expect("write");
    let _agg = pharos_e2e::Proc::start(
        &bin("pharos-aggregator"),
        &["--config", cfg.to_str().expect("utf8")],
        &dir.path().join("aggregator.log"),
    );
    let ready = pharos_e2e::wait_for(std::time::Duration::from_secs(30), || {
        reqwest::blocking::get(format!("http://{http}/-/ready")).ok().filter(|r| r.status().is_success())
    });
    assert!(ready.is_some(), "{}", std::fs::read_to_string(dir.path().join("aggregator.log")).unwrap_or_default());
    for f in ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"] {
        assert!(dir.path().join("data/tls").join(f).exists(), "{f} created");
    }
}
