//! SIGHUP: reload the configuration by re-executing the agent in place (same pid, so systemd's
//! `ExecReload=kill -HUP $MAINPID` and a supervisor's pid file stay right). The new
//! configuration is checked first; if it does not load, the agent logs why and keeps running
//! with the old one, as Prometheus does with a bad reload.
//!
//! Re-executing rather than rebuilding the components in place costs nothing that matters:
//! every batch not yet acknowledged is in the disk buffer (and is resent, the aggregator drops
//! what it already stored), pushed groups are in their store file, and every descriptor is
//! close-on-exec, so the buffer's lock and the listening sockets are released for the new image.

use crate::config::AgentConfig;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use tracing::{error, info};

/// Waits for SIGHUP forever; on each, re-executes the agent if `config` loads. Returns only if
/// the signal handler cannot be installed.
pub async fn on_sighup(config: Option<PathBuf>) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            error!(error = %e, "cannot handle SIGHUP; reloading needs a restart");
            return;
        }
    };
    while hup.recv().await.is_some() {
        if let Some(path) = &config {
            if let Err(e) = AgentConfig::load(path) {
                error!(config = %path.display(), error = %e, "reload refused: the configuration does not load; keeping the running one");
                continue;
            }
        }
        info!("SIGHUP: reloading the configuration (re-executing the agent)");
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| "pharos-agent".into());
        // `exec` only returns on failure.
        let e = std::process::Command::new(executable()).arg0(arg0).args(args).exec();
        error!(error = %e, "reload failed: could not re-execute the agent; keeping the running one");
    }
}

/// The agent's executable. A package upgrade replaces the file while we run, and the kernel then
/// names ours `<path> (deleted)`: the new file at the same path is the one to run.
fn executable() -> PathBuf {
    match std::env::current_exe() {
        Ok(p) => {
            let text = p.to_string_lossy();
            match text.strip_suffix(" (deleted)") {
                Some(stripped) => PathBuf::from(stripped),
                None => p,
            }
        }
        Err(_) => PathBuf::from("/proc/self/exe"),
    }
}
