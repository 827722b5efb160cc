//! Scraping of local `/metrics` endpoints (Prometheus text and OpenMetrics) and the textfile
//! collector.
//!
//! Each `[[collect.scrape.targets]]` entry becomes a source of its own, scraped as Prometheus 2.42
//! scrapes a target (see [`target`]); the textfile directory, when it exists, is one more source
//! that reads `*.prom` files as node_exporter's textfile collector does (see [`textfile`]).

pub mod config;
pub mod relabel;
pub mod target;
pub mod textfile;
mod tls;

#[cfg(test)]
mod tests;

use crate::collect::Blocking;
use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use config::TargetConfig;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Duration;

/// `[collect.scrape]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScrapeConfig {
    /// Directory of `*.prom` files for the textfile collector; it runs when the directory exists
    /// at start-up. Default `/var/lib/pharos-agent/textfile`.
    pub textfile_directory: PathBuf,
    /// `job` label of textfile series. Default `node`, as when node_exporter serves them.
    pub textfile_job: String,
    /// The endpoints to scrape.
    pub targets: Vec<TargetConfig>,
}

impl Default for ScrapeConfig {
    fn default() -> Self {
        ScrapeConfig {
            textfile_directory: PathBuf::from("/var/lib/pharos-agent/textfile"),
            textfile_job: "node".into(),
            targets: Vec::new(),
        }
    }
}

/// The longest default scrape timeout, as in Prometheus.
const MAX_DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Time the scheduler allows beyond a scrape's own timeout, so that a scrape that times out is
/// still reported (`up 0`) by the collector instead of being abandoned without a result.
const REPORT_GRACE: Duration = Duration::from_millis(500);

/// The sources this configuration asks for (and, where nothing is configured, those detected).
pub fn sources(cfg: &ScrapeConfig, agent: &AgentSection) -> Vec<SourceSpec> {
    let mut v = Vec::new();
    if cfg.textfile_directory.is_dir() {
        v.push(SourceSpec {
            collector: Box::new(Blocking::new(textfile::TextfileCollector::new(cfg.textfile_directory.clone()))),
            interval: agent.interval,
            timeout: agent.interval,
            job: cfg.textfile_job.clone(),
            instance: agent.name.clone(),
        });
    }
    let mut names = HashSet::new();
    for (i, t) in cfg.targets.iter().enumerate() {
        let interval = t.interval.unwrap_or(agent.interval);
        // An explicit timeout longer than the (defaulted) interval is cut to the interval.
        let timeout = t.timeout.unwrap_or(MAX_DEFAULT_TIMEOUT).min(interval);
        let instance = t.instance(&agent.name);
        let mut name = format!("scrape/{}/{}", t.job, t.address());
        if !names.insert(name.clone()) {
            name = format!("{name}/{i}");
            names.insert(name.clone());
        }
        let collector = target::ScrapeCollector::new(name, t.clone(), timeout, &instance);
        v.push(SourceSpec {
            collector: Box::new(collector),
            interval,
            timeout: timeout + REPORT_GRACE,
            job: t.job.clone(),
            instance,
        });
    }
    v
}
