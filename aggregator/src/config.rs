//! The aggregator's configuration: one TOML file; every setting has a working default, and an
//! unknown key is an error that names it.

use crate::storage::rocks::RocksOptions;
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
        /// What is wrong.
        message: String,
    },
}

/// The whole aggregator configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AggregatorConfig {
    /// Listeners, state directory, logging.
    pub server: ServerSection,
    /// Certificates for the QUIC listener.
    pub tls: TlsSection,
    /// Agent ingest.
    pub ingest: IngestSection,
    /// Query engine.
    pub query: QuerySection,
    /// RocksDB tuning.
    pub storage: RocksOptions,
    /// Protocol limits (frame size, series per batch, label lengths).
    pub limits: Limits,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSection {
    /// HTTP listener (Prometheus API). Default `0.0.0.0:9700`.
    pub http_listen: String,
    /// QUIC listener for agents (UDP). Default `0.0.0.0:9701`.
    pub quic_listen: String,
    /// State directory (database, certificates). Default `/var/lib/pharos-aggregator`.
    pub data_dir: PathBuf,
    /// Log filter (`tracing` env-filter syntax). Default `info`.
    pub log_level: String,
}

impl Default for ServerSection {
    fn default() -> Self {
        ServerSection {
            http_listen: "0.0.0.0:9700".into(),
            quic_listen: "0.0.0.0:9701".into(),
            data_dir: PathBuf::from("/var/lib/pharos-aggregator"),
            log_level: "info".into(),
        }
    }
}

/// `[tls]`: defaults are the files `pharos-aggregator cert init` writes under `<data_dir>/tls`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsSection {
    /// CA certificate that signs agent certificates. Default `<data_dir>/tls/ca.pem`.
    pub ca_file: Option<PathBuf>,
    /// Server certificate. Default `<data_dir>/tls/server.pem`.
    pub cert_file: Option<PathBuf>,
    /// Server private key. Default `<data_dir>/tls/server-key.pem`.
    pub key_file: Option<PathBuf>,
}

/// `[ingest]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSection {
    /// An agent is `up == 0` after missing this many of its push intervals. Default 3.
    pub missed_intervals: u32,
    /// Push interval assumed for agents known only from stored data (after a restart). Default `10s`.
    #[serde(with = "serde_str")]
    pub default_interval: Duration,
    /// How long to wait for the next frame before dropping a silent connection. Default `2m`.
    #[serde(with = "serde_str")]
    pub idle_timeout: Duration,
}

impl Default for IngestSection {
    fn default() -> Self {
        IngestSection {
            missed_intervals: 3,
            default_interval: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
        }
    }
}

/// `[query]`
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuerySection {
    /// How far back an instant selector looks for a sample. Default `5m`.
    #[serde(with = "serde_str")]
    pub lookback_delta: Duration,
}

impl Default for QuerySection {
    fn default() -> Self {
        QuerySection { lookback_delta: Duration::from_secs(300) }
    }
}

impl AggregatorConfig {
    /// Loads a config file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        Self::parse(&text).map_err(|message| ConfigError::Invalid { path: path.display().to_string(), message })
    }

    /// Parses config text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let cfg: AggregatorConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        if cfg.ingest.missed_intervals == 0 {
            return Err("ingest.missed_intervals must be at least 1".into());
        }
        Ok(cfg)
    }

    /// The directory holding the CA and server certificates.
    pub fn tls_dir(&self) -> PathBuf {
        self.server.data_dir.join("tls")
    }

    /// The CA certificate file, with its default.
    pub fn ca_file(&self) -> PathBuf {
        self.tls.ca_file.clone().unwrap_or_else(|| self.tls_dir().join("ca.pem"))
    }

    /// The server certificate file, with its default.
    pub fn cert_file(&self) -> PathBuf {
        self.tls.cert_file.clone().unwrap_or_else(|| self.tls_dir().join("server.pem"))
    }

    /// The server key file, with its default.
    pub fn key_file(&self) -> PathBuf {
        self.tls.key_file.clone().unwrap_or_else(|| self.tls_dir().join("server-key.pem"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_keys() {
        let c = AggregatorConfig::parse("").unwrap();
        assert_eq!(c.server.http_listen, "0.0.0.0:9700");
        assert_eq!(c.query.lookback_delta, Duration::from_secs(300));
        let e = AggregatorConfig::parse("[server]\nhttp_listn = \"x\"\n").unwrap_err();
        assert!(e.contains("http_listn"), "{e}");
        let e = AggregatorConfig::parse("[ingest]\nmissed_intervals = 0\n").unwrap_err();
        assert!(e.contains("missed_intervals"), "{e}");
    }
}
