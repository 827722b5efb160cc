//! Enrollment with the real binaries: `pharos-aggregator token create` prints a token and the CA
//! fingerprint; `pharos-agent enroll` gets a certificate with it into a fresh data dir and the
//! agent then pushes with mTLS. A token is single-use and expires; a server whose CA does not
//! match the fingerprint never sees the token; clients without a certificate still cannot push.

use pharos_e2e::{bin, free_port, wait_for, Aggregator, Proc};
use pharos_protocol::client::Client;
use pharos_protocol::frame::Hello;
use pharos_protocol::tls;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// `token create` output: (token, id, fingerprint, the printed agent command line).
fn token_create(agg: &Aggregator, ttl: &str) -> (String, String, String, String) {
    let out = Command::new(bin("pharos-aggregator"))
        .args(["--config", agg.config.to_str().expect("utf8"), "token", "create", "--ttl", ttl])
        .output()
        .expect("token create");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "token create failed: {}", String::from_utf8_lossy(&out.stderr));
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {key} in:\n{text}"))
    };
    (field("token:"), field("id:"), field("ca-fingerprint:"), field("enroll with:"))
}

fn token_list(agg: &Aggregator) -> String {
    let out = Command::new(bin("pharos-aggregator"))
        .args(["--config", agg.config.to_str().expect("utf8"), "token", "list"])
        .output()
        .expect("token list");
    assert!(out.status.success(), "token list failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// An agent's config in `dir` (no certificate yet), pushing to `agg` every second.
fn agent_config(agg: &Aggregator, dir: &Path, name: &str) -> PathBuf {
    let config = dir.join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\nname = \"{name}\"\ndata_dir = \"{}\"\ninterval = \"1s\"\n\n[uplink]\nserver = \"{}\"\nserver_name = \"localhost\"\nbackoff_max = \"2s\"\n\n[pushgateway]\nlisten = \"127.0.0.1:{}\"\n",
            dir.join("data").display(),
            agg.quic,
            free_port()
        ),
    )
    .expect("write config");
    config
}

fn enroll(agg: &Aggregator, config: &Path, token: &str, fingerprint: &str) -> Output {
    Command::new(bin("pharos-agent"))
        .args(["--config", config.to_str().expect("utf8"), "enroll", "--server", &agg.quic.to_string()])
        .args(["--token", token, "--ca-fingerprint", fingerprint])
        .output()
        .expect("pharos-agent enroll")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn an_enrolled_agent_pushes_and_a_token_works_once() {
    tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let (token, id, fingerprint, command) = token_create(&agg, "1h");
    assert!(token.starts_with("pharos1."), "{token}");
    assert!(
        command.starts_with("pharos-agent enroll --server ")
            && command.contains(&token)
            && command.contains(&fingerprint),
        "{command}"
    );
    let ca = tls::read_pem_file(&agg.tls_dir().join("ca.pem")).expect("ca");
    assert_eq!(pharos_protocol::enroll::pem_fingerprint(&ca).expect("fingerprint"), fingerprint);

    let dir = tempfile::tempdir().expect("tempdir");
    let config = agent_config(&agg, dir.path(), "enrolled-1");
    let out = enroll(&agg, &config, &token, &fingerprint);
    assert!(out.status.success(), "enroll failed: {}\naggregator log:\n{}", stderr(&out), agg.log());
    let tls_dir = dir.path().join("data/tls");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(tls_dir.join("agent-key.pem")).expect("key").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the key is private");
    let cert = tls::read_pem_file(&tls_dir.join("agent.pem")).expect("cert");
    assert_eq!(tls::pem_identity(&cert).expect("identity"), "enrolled-1");
    assert_eq!(tls::read_pem_file(&tls_dir.join("ca.pem")).expect("ca"), ca);
    assert!(agg.log().contains("agent enrolled"), "enrollment is logged:\n{}", agg.log());
    assert!(token_list(&agg).contains("used by enrolled-1"), "{}", token_list(&agg));

    // The agent runs with the enrolled certificate.
    let mut agent =
        Proc::start(&bin("pharos-agent"), &["--config", config.to_str().expect("utf8")], &dir.path().join("agent.log"));
    let up =
        wait_for(Duration::from_secs(30), || agg.query_vector("up{instance=\"enrolled-1\"} == 1").first().cloned());
    assert!(up.is_some(), "the enrolled agent is not up; agent log:\n{}", agent.log_text());
    assert!(!agg.query_vector("node_time_seconds{instance=\"enrolled-1\"}").is_empty(), "its data is queryable");
    agent.stop();

    // The same token again, from another host: refused with the first use in the message.
    let other = tempfile::tempdir().expect("tempdir");
    let out = enroll(&agg, &agent_config(&agg, other.path(), "enrolled-2"), &token, &fingerprint);
    assert_eq!(out.status.code(), Some(1), "a reused token was accepted: {}", stderr(&out));
    assert!(stderr(&out).contains("token already used (by enrolled-1 at "), "{}", stderr(&out));
    assert!(!other.path().join("data/tls/agent.pem").exists(), "nothing written on refusal");
    let logged = agg.log().lines().any(|l| l.contains("enrollment refused") && l.contains(&id));
    assert!(logged, "the refusal is logged with the token id:\n{}", agg.log());

    // Enrolling again over an existing certificate needs --force.
    let (fresh, _, _, _) = token_create(&agg, "1h");
    let out = enroll(&agg, &config, &fresh, &fingerprint);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists (use --force"), "{}", stderr(&out));
}

#[test]
fn expired_tokens_wrong_fingerprints_and_anonymous_pushes_are_refused() {
    tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();

    // Expired.
    let (token, _, fingerprint, _) = token_create(&agg, "1s");
    std::thread::sleep(Duration::from_millis(2100));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = agent_config(&agg, dir.path(), "late-1");
    let out = enroll(&agg, &config, &token, &fingerprint);
    assert_eq!(out.status.code(), Some(1), "an expired token was accepted");
    assert!(stderr(&out).contains("token expired at "), "{}", stderr(&out));

    // A server whose CA is not the pinned one: refused before the token is sent.
    let (token, id, fingerprint, _) = token_create(&agg, "1h");
    let other_ca = tls::generate_ca("Other CA").expect("ca");
    let wrong = pharos_protocol::enroll::pem_fingerprint(&other_ca.cert_pem).expect("fingerprint");
    let out = enroll(&agg, &config, &token, &wrong);
    assert_eq!(out.status.code(), Some(1), "a server with another CA was trusted");
    assert!(!dir.path().join("data/tls/agent.pem").exists());
    let line = token_list(&agg).lines().find(|l| l.starts_with(&id)).map(str::to_string).expect("token listed");
    assert!(line.ends_with("unused"), "the token stayed unused: {line}");
    assert!(!agg.log().contains(&format!("token={id}")), "the server never saw the token:\n{}", agg.log());
    // ...and it still works with the right fingerprint.
    let out = enroll(&agg, &config, &token, &fingerprint);
    assert!(out.status.success(), "{}", stderr(&out));

    // A malformed or unknown token.
    let other = tempfile::tempdir().expect("tempdir");
    let out = enroll(&agg, &agent_config(&agg, other.path(), "x-1"), "pharos1.nothing.here", &fingerprint);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown token"), "{}", stderr(&out));

    // A plain pharos/1 client without a certificate still cannot push.
    let ca = tls::read_pem_file(&agg.tls_dir().join("ca.pem")).expect("ca");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let r = rt.block_on(async {
        let mut c = Client::connect(agg.quic, "localhost", &ca, None).await?;
        c.hello(Hello { agent: "anonymous".into(), agent_version: "t".into(), buffer_id: 1, interval_ms: 1000 }).await
    });
    assert!(r.is_err(), "a client without a certificate got a HelloAck");
}
