//! Blackbox probes (http, tcp, icmp, dns) with blackbox_exporter's metric names.

use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use serde::Deserialize;

/// `[collect.probe]` settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProbeConfig {}

/// The sources this configuration asks for (and, where nothing is configured, those detected).
pub fn sources(_cfg: &ProbeConfig, _agent: &AgentSection) -> Vec<SourceSpec> {
    Vec::new()
}
