//! Configuration reload: the rule files and, when the built-in Alertmanager runs, its
//! alertmanager.yml. SIGHUP and `POST|PUT /-/reload` both come here, as Prometheus' and
//! Alertmanager's reload signals and endpoints each reload everything their process has loaded.

use crate::alerting::manager::{Handle, Integrations};
use crate::rules::RuleService;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing::{error, info};

/// Reloads what the running aggregator has loaded from files. A part that fails to load keeps
/// its running version; the others are still reloaded.
pub struct Reloader {
    rules: Arc<RuleService>,
    alerting: Option<(Handle, PathBuf)>,
    // Reloads run one at a time (a signal and a request at once must not interleave).
    serial: tokio::sync::Mutex<()>,
}

impl Reloader {
    /// A reloader of `rules` and, if given, of the Alertmanager `handle` from the file `path`.
    pub fn new(rules: Arc<RuleService>, alerting: Option<(Handle, PathBuf)>) -> Reloader {
        Reloader { rules, alerting, serial: tokio::sync::Mutex::new(()) }
    }

    /// The running rule evaluation.
    pub fn rules(&self) -> &Arc<RuleService> {
        &self.rules
    }

    /// Re-reads the rule files and alertmanager.yml. On failure the message names every part
    /// that failed (joined with `; `) and those parts keep their previous configuration.
    pub async fn reload(&self) -> Result<(), String> {
        let _one_at_a_time = self.serial.lock().await;
        let mut failures = Vec::new();
        // `reload` logs its own failure.
        if let Err(e) = self.rules.reload().await {
            failures.push(e.to_string());
        }
        if let Some((handle, path)) = &self.alerting {
            match load_alerting(path) {
                Ok((config, integrations)) => {
                    handle.reload(config, integrations).await;
                    info!(config = %path.display(), "alertmanager configuration reloaded");
                }
                Err(e) => {
                    error!(error = %e, "alertmanager configuration not reloaded, previous one kept");
                    failures.push(e);
                }
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("; "))
        }
    }
}

/// The alertmanager.yml at `path` and the receivers it names, ready to start or reload with.
pub fn load_alerting(path: &Path) -> Result<(crate::alerting::config::Config, Integrations), String> {
    let config = crate::alerting::config::Config::load_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let integrations =
        crate::alerting::receivers::build(&config).map_err(|e| format!("{}: receivers: {e}", path.display()))?;
    Ok((config, integrations))
}
