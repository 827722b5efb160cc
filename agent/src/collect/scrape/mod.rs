//! Scraping of local `/metrics` endpoints (Prometheus text and OpenMetrics) and the textfile collector.

use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use serde::Deserialize;

/// `[collect.scrape]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScrapeConfig {}

/// The sources this configuration asks for (and, where nothing is configured, those detected).
pub fn sources(_cfg: &ScrapeConfig, _agent: &AgentSection) -> Vec<SourceSpec> {
    Vec::new()
}
