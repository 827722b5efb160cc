//! The agent's configuration: one TOML file; every setting has a working default, and an unknown
//! key is an error that names it.

use crate::buffer::BufferConfig;
use crate::collect::host::HostConfig;
use pharos_protocol::duration::serde_str;
use pharos_protocol::frame::Limits;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Errors loading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not valid (syntax, unknown key, bad value); the message names the key.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, as the TOML parser reports it (line, column, key).
        message: String,
    },
}

/// The whole agent configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgentConfig {
    /// Identity, state directory and collection interval.
    pub agent: AgentSection,
    /// Where and how to push.
    pub uplink: UplinkConfig,
    /// The disk buffer.
    pub buffer: BufferConfig,
    /// Collectors.
    pub collect: CollectConfig,
    /// Protocol limits (frame size, series per batch, label lengths).
    pub limits: Limits,
    /// `[pushgateway]`: the Pushgateway API on localhost, forwarded through the buffer.
    pub pushgateway: crate::pushgateway::PushgatewayConfig,
}

/// `[agent]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgentSection {
    /// This agent's name: the `instance` label of its series. Must equal the common name of its
    /// client certificate. Default: the host name.
    pub name: String,
    /// State directory (disk buffer, certificates). Default `/var/lib/pharos-agent`.
    pub data_dir: PathBuf,
    /// Collection interval. Default `10s`.
    #[serde(with = "serde_str")]
    pub interval: Duration,
    /// Log filter (`tracing` env-filter syntax). Default `info`.
    pub log_level: String,
}

impl Default for AgentSection {
    fn default() -> Self {
        AgentSection {
            name: default_agent_name(),
            data_dir: PathBuf::from("/var/lib/pharos-agent"),
            interval: Duration::from_secs(10),
            log_level: "info".into(),
        }
    }
}

/// The host name, or `localhost` if it cannot be read.
pub fn default_agent_name() -> String {
    hostname::get().ok().and_then(|h| h.into_string().ok()).unwrap_or_else(|| "localhost".into())
}

/// The aggregator an agent sends to when nothing is configured.
pub const DEFAULT_SERVER: &str = "127.0.0.1:9701";

/// `[uplink]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UplinkConfig {
    /// Aggregator address, `HOST:PORT`. Default `127.0.0.1:9701`.
    pub server: String,
    /// Several aggregators for high availability, `["HOST:PORT", ...]`, instead of `server`:
    /// each gets every batch, and a batch leaves the buffer once all have stored it.
    pub servers: Vec<String>,
    /// Name expected in the aggregators' certificates. Default: the host part of each server.
    pub server_name: Option<String>,
    /// CA certificate (PEM) that signed the aggregator's and our certificates. Default `<data_dir>/tls/ca.pem`.
    pub ca_file: Option<PathBuf>,
    /// Our client certificate. Default `<data_dir>/tls/agent.pem`.
    pub cert_file: Option<PathBuf>,
    /// Our private key. Default `<data_dir>/tls/agent-key.pem`.
    pub key_file: Option<PathBuf>,
    /// First reconnect delay. Default `500ms`.
    #[serde(with = "serde_str")]
    pub backoff_min: Duration,
    /// Longest reconnect delay. Default `30s`.
    #[serde(with = "serde_str")]
    pub backoff_max: Duration,
    /// Batches sent ahead of their acks. Default 32.
    pub max_in_flight: usize,
    /// How long to wait for a connection or an ack before giving up on the connection. Default `15s`.
    #[serde(with = "serde_str")]
    pub timeout: Duration,
    /// `auto` (QUIC; TLS over TCP to the same port when QUIC cannot connect, and back to QUIC
    /// once it can), `quic` or `tcp`. Default `auto`.
    pub transport: pharos_uplink::TransportMode,
    /// How long a QUIC connection attempt may take before `auto` tries TCP. Default `5s`.
    #[serde(with = "serde_str")]
    pub quic_connect_timeout: Duration,
    /// While `auto` runs on TCP, how often it tries QUIC again. Default `30s`.
    #[serde(with = "serde_str")]
    pub quic_probe_interval: Duration,
}

impl Default for UplinkConfig {
    fn default() -> Self {
        UplinkConfig {
            server: DEFAULT_SERVER.into(),
            servers: Vec::new(),
            server_name: None,
            ca_file: None,
            cert_file: None,
            key_file: None,
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_in_flight: 32,
            timeout: Duration::from_secs(15),
            transport: pharos_uplink::TransportMode::Auto,
            quic_connect_timeout: Duration::from_secs(5),
            quic_probe_interval: Duration::from_secs(30),
        }
    }
}

/// `[collect]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CollectConfig {
    /// `[collect.host]`: node_exporter-compatible host metrics.
    pub host: HostSection,
    /// `[collect.scrape]`: local `/metrics` endpoints and the textfile directory.
    pub scrape: crate::collect::scrape::ScrapeConfig,
    /// `[collect.services]`: Redis, PostgreSQL and nginx checks.
    pub services: crate::collect::services::ServicesConfig,
    /// `[collect.probe]`: blackbox probes.
    pub probe: crate::collect::probe::ProbeConfig,
    /// `[collect.containers]`: container metrics with cAdvisor's names, from the Docker (or Podman) API.
    pub containers: crate::collect::containers::ContainersConfig,
}

/// `[collect.host]`: the host collector's switch, target labels and its own settings.
///
/// Deserialized by hand rather than with `#[serde(flatten)]`, because flatten silently disables
/// `deny_unknown_fields` and a misspelt key would be ignored.
#[derive(Debug, Clone)]
pub struct HostSection {
    /// Whether to collect host metrics. Default true.
    pub enabled: bool,
    /// The `job` label of host series, as a Prometheus scrape of node_exporter would set it. Default `node`.
    pub job: String,
    /// Collector settings (paths, excludes).
    pub host: HostConfig,
}

impl Default for HostSection {
    fn default() -> Self {
        HostSection { enabled: true, job: "node".into(), host: HostConfig::default() }
    }
}

impl<'de> Deserialize<'de> for HostSection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut table = toml::Table::deserialize(d)?;
        let mut section = HostSection::default();
        if let Some(v) = table.remove("enabled") {
            section.enabled = v.as_bool().ok_or_else(|| D::Error::custom("collect.host.enabled must be a boolean"))?;
        }
        if let Some(v) = table.remove("job") {
            section.job = v.as_str().ok_or_else(|| D::Error::custom("collect.host.job must be a string"))?.to_string();
        }
        section.host = HostConfig::deserialize(toml::Value::Table(table)).map_err(D::Error::custom)?;
        Ok(section)
    }
}

impl AgentConfig {
    /// Loads a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        Self::parse(&text).map_err(|message| ConfigError::Invalid { path: path.display().to_string(), message })
    }

    /// Parses config text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let cfg: AgentConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), String> {
        if self.agent.name.is_empty() {
            return Err("agent.name must not be empty".into());
        }
        if self.agent.interval < Duration::from_millis(100) {
            return Err("agent.interval must be at least 100ms".into());
        }
        if !self.uplink.servers.is_empty() && self.uplink.server != DEFAULT_SERVER {
            return Err("uplink.server and uplink.servers are both set: list every aggregator in uplink.servers".into());
        }
        for (i, s) in self.uplink.servers.iter().enumerate() {
            if self.uplink.servers[..i].contains(s) {
                return Err(format!("uplink.servers lists {s:?} twice"));
            }
        }
        if self.uplink.max_in_flight == 0 {
            return Err("uplink.max_in_flight must be at least 1".into());
        }
        if self.uplink.backoff_min > self.uplink.backoff_max {
            return Err("uplink.backoff_min must not exceed uplink.backoff_max".into());
        }
        self.collect.host.host.validate().map_err(|e| format!("collect.host: {e}"))?;
        Ok(())
    }

    /// The CA file, with its default.
    pub fn ca_file(&self) -> PathBuf {
        self.uplink.ca_file.clone().unwrap_or_else(|| self.agent.data_dir.join("tls/ca.pem"))
    }

    /// The client certificate file, with its default.
    pub fn cert_file(&self) -> PathBuf {
        self.uplink.cert_file.clone().unwrap_or_else(|| self.agent.data_dir.join("tls/agent.pem"))
    }

    /// The client key file, with its default.
    pub fn key_file(&self) -> PathBuf {
        self.uplink.key_file.clone().unwrap_or_else(|| self.agent.data_dir.join("tls/agent-key.pem"))
    }

    /// The aggregators to send to: `uplink.servers`, or else `uplink.server`.
    pub fn servers(&self) -> Vec<String> {
        if self.uplink.servers.is_empty() {
            vec![self.uplink.server.clone()]
        } else {
            self.uplink.servers.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_working_defaults() {
        let c = AgentConfig::parse("").unwrap();
        assert_eq!(c.agent.interval, Duration::from_secs(10));
        assert_eq!(c.uplink.server, "127.0.0.1:9701");
        assert_eq!(c.servers(), ["127.0.0.1:9701"]);
        assert!(c.collect.host.enabled);
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = AgentConfig::parse("[agent]\nnmae = \"x\"\n").unwrap_err();
        assert!(e.contains("nmae"), "{e}");
        let e = AgentConfig::parse("[uplinkk]\n").unwrap_err();
        assert!(e.contains("uplinkk"), "{e}");
    }

    #[test]
    fn durations_use_prometheus_notation() {
        let c = AgentConfig::parse("[agent]\ninterval = \"1s\"\n[uplink]\nbackoff_max = \"1m\"\n").unwrap();
        assert_eq!(c.agent.interval, Duration::from_secs(1));
        assert_eq!(c.uplink.backoff_max, Duration::from_secs(60));
        assert!(AgentConfig::parse("[agent]\ninterval = \"1 second\"\n").is_err());
    }

    #[test]
    fn host_section_keeps_unknown_key_errors() {
        let c = AgentConfig::parse("[collect.host]\nenabled = false\njob = \"n\"\n").unwrap();
        assert!(!c.collect.host.enabled);
        assert_eq!(c.collect.host.job, "n");
        let e = AgentConfig::parse("[collect.host]\nbogus_key = 1\n").unwrap_err();
        assert!(e.contains("bogus_key"), "{e}");
    }

    #[test]
    fn several_aggregators_are_listed_in_servers() {
        let c = AgentConfig::parse("[uplink]\nservers = [\"a:9701\", \"b:9701\"]\n").unwrap();
        assert_eq!(c.servers(), ["a:9701", "b:9701"]);
        let e = AgentConfig::parse("[uplink]\nserver = \"a:9701\"\nservers = [\"b:9701\"]\n").unwrap_err();
        assert!(e.contains("both set"), "{e}");
        let e = AgentConfig::parse("[uplink]\nservers = [\"a:9701\", \"a:9701\"]\n").unwrap_err();
        assert!(e.contains("twice"), "{e}");
        let c = AgentConfig::parse("[uplink]\ntransport = \"tcp\"\n").unwrap();
        assert_eq!(c.uplink.transport, pharos_uplink::TransportMode::Tcp);
        assert!(AgentConfig::parse("[uplink]\ntransport = \"udp\"\n").is_err());
    }
}
