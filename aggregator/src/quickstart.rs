//! `pharos-aggregator quickstart`: one command from nothing to a queryable host. Creates the CA
//! and certificates under a data directory, starts the aggregator on 127.0.0.1, starts a
//! `pharos-agent` for this host pushing to it, and prints the query URL.

use crate::certs;
use crate::config::AggregatorConfig;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// Quickstart settings (from the command line).
#[derive(Debug, Clone)]
pub struct QuickstartOptions {
    /// Everything goes under here.
    pub data_dir: PathBuf,
    /// HTTP listener.
    pub http_listen: String,
    /// QUIC listener.
    pub quic_listen: String,
    /// The agent's collection interval, e.g. `10s`.
    pub interval: String,
    /// The agent binary; default: `pharos-agent` next to this executable, else on PATH.
    pub agent_bin: Option<PathBuf>,
}

/// Errors of the quickstart.
#[derive(Debug, thiserror::Error)]
pub enum QuickstartError {
    /// Certificates could not be created.
    #[error("certificates: {0}")]
    Tls(#[from] pharos_protocol::tls::TlsError),
    /// A file could not be written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The aggregator did not start.
    #[error("{0}")]
    Start(#[from] crate::server::StartError),
    /// The agent could not be started.
    #[error("starting {bin}: {source}")]
    Agent {
        /// The binary tried.
        bin: String,
        /// The error.
        source: std::io::Error,
    },
}

fn agent_binary(opts: &QuickstartOptions) -> PathBuf {
    if let Some(b) = &opts.agent_bin {
        return b.clone();
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("pharos-agent")))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("pharos-agent"))
}

/// Quotes a string for a TOML file.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn agent_config(agent_dir: &Path, name: &str, server: &str, interval: &str) -> String {
    format!(
        "# Written by `pharos-aggregator quickstart`.\n[agent]\nname = {}\ndata_dir = {}\ninterval = {}\n\n[uplink]\nserver = {}\nserver_name = \"localhost\"\n",
        toml_str(name),
        toml_str(&agent_dir.display().to_string()),
        toml_str(interval),
        toml_str(server),
    )
}

/// Runs the quickstart until Ctrl-C / SIGTERM, then stops the agent it started.
pub async fn run(opts: QuickstartOptions) -> Result<(), QuickstartError> {
    let base =
        if opts.data_dir.is_absolute() { opts.data_dir.clone() } else { std::env::current_dir()?.join(&opts.data_dir) };
    let mut cfg = AggregatorConfig::default();
    cfg.server.data_dir = base.join("aggregator");
    cfg.server.http_listen = opts.http_listen.clone();
    cfg.server.quic_listen = opts.quic_listen.clone();
    let tls_dir = cfg.tls_dir();
    if !certs::has_ca(&tls_dir) {
        certs::init(&tls_dir, &certs::default_server_names(), false)?;
    }
    let agent_name = crate::hostname();
    let agent_dir = base.join("agent");
    certs::issue_agent(&tls_dir, &agent_name, &agent_dir.join("tls"))?;
    let agent_cfg_path = agent_dir.join("agent.toml");
    std::fs::write(&agent_cfg_path, agent_config(&agent_dir, &agent_name, &opts.quic_listen, &opts.interval))?;

    let running = crate::server::start(&cfg).await?;
    let bin = agent_binary(&opts);
    let mut child = tokio::process::Command::new(&bin)
        .arg("--config")
        .arg(&agent_cfg_path)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| QuickstartError::Agent { bin: bin.display().to_string(), source })?;
    println!("Pharos is running.");
    println!("  aggregator data: {}", cfg.server.data_dir.display());
    println!("  agent {agent_name:?} (pid {}) config: {}", child.id().unwrap_or(0), agent_cfg_path.display());
    println!("  query:   curl 'http://{}/api/v1/query?query=up'", running.http_addr);
    println!("  promtool query instant http://{} 'node_load1'", running.http_addr);
    println!("Stop with Ctrl-C.");

    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
        status = child.wait() => {
            tracing::error!(status = ?status, "the agent exited; stopping");
            return Ok(());
        }
    }
    let _ = child.start_kill();
    let _ = child.wait().await;
    Ok(())
}
