//! What the server runs: a [`Manager`] over the configured rule files, with Prometheus' identity
//! (external URL and labels), templates ([`PrometheusExpander`]), `for` restoration and an
//! [`AlertSink`]. A reload re-reads the files and, if any fails, keeps the rules in force and
//! logs the error (as Prometheus' `Manager.Update` does).

use super::manager::{LoadError, Manager, ManagerOptions};
use super::restore::RestoreOptions;
use super::{AlertSink, PrometheusExpander, RuleEnv};
use crate::promql::Engine;
use crate::storage::Storage;
use pharos_protocol::Labels;
use std::sync::Arc;
use std::time::Duration;

/// Settings of the rule evaluation (the aggregator's `[rules]` section, resolved).
#[derive(Debug, Clone)]
pub struct RuleServiceOptions {
    /// Glob patterns of rule files (already resolved against the config file's directory).
    pub files: Vec<String>,
    /// Interval of groups that set none.
    pub evaluation_interval: Duration,
    /// How often a firing alert is re-sent to the sink.
    pub resend_delay: Duration,
    /// `for` state restoration after a restart.
    pub restore: RestoreOptions,
    /// External URL without a trailing slash (templates' `$externalURL`, generator URLs).
    pub external_url: String,
    /// External labels (templates' `$externalLabels`).
    pub external_labels: Labels,
}

/// The rule manager the server runs, with the patterns a reload re-reads.
pub struct RuleService {
    manager: Arc<Manager>,
    files: Vec<String>,
}

impl RuleService {
    /// A service evaluating with `engine` over `storage`, alerts going to `sink`. Nothing is
    /// loaded or run until [`start`](Self::start).
    pub fn new(
        engine: Arc<Engine>,
        storage: Arc<dyn Storage>,
        sink: Arc<dyn AlertSink>,
        opts: RuleServiceOptions,
    ) -> Self {
        let env = RuleEnv {
            expander: Arc::new(PrometheusExpander::new(engine.clone(), &opts.external_url)),
            engine,
            storage,
            sink,
            external_labels: opts.external_labels,
            external_url: opts.external_url,
            resend_delay: opts.resend_delay,
            clock: Arc::new(crate::now_ms),
        };
        let manager = Manager::new(ManagerOptions {
            env: Arc::new(env),
            evaluation_interval: opts.evaluation_interval,
            restore: opts.restore,
        });
        RuleService { manager: Arc::new(manager), files: opts.files }
    }

    /// Loads the rule files and starts evaluating them (the first load restores the alerts'
    /// `for` state from storage once the groups have evaluated twice). An invalid file is an
    /// error: nothing runs, as Prometheus refuses to start with a bad initial configuration.
    pub async fn start(&self) -> Result<(), LoadError> {
        self.manager.update(&self.files).await?;
        self.manager.start().await;
        tracing::info!(groups = self.manager.groups().len(), "rule evaluation started");
        Ok(())
    }

    /// Re-reads the rule files. On error the previous rules keep running and the error is
    /// logged and returned.
    pub async fn reload(&self) -> Result<(), LoadError> {
        match self.manager.update(&self.files).await {
            Ok(()) => {
                tracing::info!(groups = self.manager.groups().len(), "rules reloaded");
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "reloading rules failed, previous rule set kept");
                Err(e)
            }
        }
    }

    /// Stops every group.
    pub async fn stop(&self) {
        self.manager.stop().await;
    }

    /// The manager (for the API's views of groups, rules and alerts).
    pub fn manager(&self) -> &Arc<Manager> {
        &self.manager
    }

    /// The rule-file patterns a reload re-reads.
    pub fn files(&self) -> &[String] {
        &self.files
    }
}
