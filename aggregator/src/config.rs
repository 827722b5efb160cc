//! The aggregator's configuration: one TOML file; every setting has a working default, and an
//! unknown key is an error that names it.

use crate::storage::rocks::RocksOptions;
use pharos_protocol::duration::serde_str;
use pharos_protocol::frame::Limits;
use serde::Deserialize;
use std::collections::BTreeMap;
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
    /// Recording and alerting rules.
    pub rules: RulesSection,
    /// The built-in Alertmanager.
    pub alerting: AlertingSection,
    /// `[[remote_write]]`: endpoints every stored sample is sent to (Prometheus remote write 1.0).
    pub remote_write: Vec<crate::federate::RemoteWriteConfig>,
    /// The Pushgateway API.
    pub pushgateway: PushgatewaySection,
    /// `[parent]`: forward stored series to a parent aggregator (see [`crate::parent`]).
    pub parent: Option<crate::parent::ParentConfig>,
    /// `[http]`: HTTPS, credentials, body and rate limits, CORS (see [`crate::web`]).
    pub http: crate::web::HttpSection,
}

/// `[pushgateway]`: the Pushgateway API on the HTTP port, its groups written into storage as a
/// scrape with `honor_labels: true` would store them.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushgatewaySection {
    /// Serve the API. Default true.
    pub enabled: bool,
    /// How often every group's samples are written (Prometheus' scrape interval). Default `15s`.
    #[serde(with = "serde_str")]
    pub interval: Duration,
    /// TTL of groups whose pushes carry no `Pharos-TTL` header; `0`: they never expire. Default `0`.
    #[serde(with = "serde_str")]
    pub default_ttl: Duration,
    /// Serve `PUT /api/v1/admin/wipe` (Pushgateway's `--web.enable-admin-api`). Default false.
    pub admin_api: bool,
    /// Where the groups are persisted. Default `<data_dir>/pushgateway.store`.
    pub persistence_file: Option<PathBuf>,
}

impl Default for PushgatewaySection {
    fn default() -> Self {
        PushgatewaySection {
            enabled: true,
            interval: Duration::from_secs(15),
            default_ttl: Duration::ZERO,
            admin_api: false,
            persistence_file: None,
        }
    }
}

/// `[alerting]`: the built-in Alertmanager, off unless `config_file` is set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertingSection {
    /// An `alertmanager.yml` (Alertmanager 0.25's format); a relative path is resolved against
    /// the config file's directory. With it, the rules' alerts are routed and notified here, and
    /// the Alertmanager API v2 is served. Its state (silences, notification log, alerts) is kept
    /// in `<data_dir>/alertmanager`.
    pub config_file: Option<PathBuf>,
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
    /// Serve the admin endpoints (`POST|PUT /api/v1/admin/tsdb/snapshot`), as Prometheus'
    /// `--web.enable-admin-api`. Default false. (`[pushgateway] admin_api` keeps gating the
    /// Pushgateway's wipe on its own, as the Pushgateway's flag does.)
    pub admin_api: bool,
}

impl Default for ServerSection {
    fn default() -> Self {
        ServerSection {
            http_listen: "0.0.0.0:9700".into(),
            quic_listen: "0.0.0.0:9701".into(),
            data_dir: PathBuf::from("/var/lib/pharos-aggregator"),
            log_level: "info".into(),
            admin_api: false,
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

/// `[rules]`: Prometheus' `rule_files`, `global.evaluation_interval`, `global.external_labels`,
/// `--web.external-url` and `--rules.alert.*` flags.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesSection {
    /// Glob patterns of rule files (Prometheus' rule-file format); relative ones are resolved
    /// against the config file's directory. Default none.
    pub files: Vec<String>,
    /// Interval of groups that set none. Default `1m`.
    #[serde(with = "serde_str")]
    pub evaluation_interval: Duration,
    /// Least time between two notifications of a firing alert. Default `1m`.
    #[serde(with = "serde_str")]
    pub resend_delay: Duration,
    /// How long an outage may last for alerts' `for` state to be restored after it. Default `1h`.
    #[serde(with = "serde_str")]
    pub for_outage_tolerance: Duration,
    /// Least time a restored alert stays pending before it may fire. Default `10m`.
    #[serde(with = "serde_str")]
    pub for_grace_period: Duration,
    /// The URL the aggregator is reached at (templates' `$externalURL`, alerts' generator URL).
    /// Default `http://<hostname>:<HTTP port>/`.
    pub external_url: Option<String>,
    /// Labels templates see as `$externalLabels`.
    pub external_labels: BTreeMap<String, String>,
}

impl Default for RulesSection {
    fn default() -> Self {
        RulesSection {
            files: Vec::new(),
            evaluation_interval: Duration::from_secs(60),
            resend_delay: Duration::from_secs(60),
            for_outage_tolerance: Duration::from_secs(3600),
            for_grace_period: Duration::from_secs(600),
            external_url: None,
            external_labels: BTreeMap::new(),
        }
    }
}

/// Prometheus' `computeExternalURL`: the default from the host name and the listen port, then
/// the path's trailing slashes removed (`http://h:9700/` is `http://h:9700`).
fn external_url(configured: Option<&str>, http_listen: &str) -> Result<String, String> {
    let url = match configured {
        Some(u) if !u.is_empty() => u.to_string(),
        _ => {
            let port = http_listen
                .rsplit_once(':')
                .map(|(_, p)| p)
                .ok_or_else(|| format!("server.http_listen {http_listen:?} has no port"))?;
            format!("http://{}:{port}/", crate::hostname())
        }
    };
    if url.starts_with(['"', '\'']) || url.ends_with(['"', '\'']) {
        return Err("rules.external_url: URL must not begin or end with quotes".into());
    }
    let (base, tail) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
    let path_start = match base.find("://") {
        Some(i) => base[i + 3..].find('/').map(|j| i + 3 + j),
        None => Some(0),
    };
    let Some(path_start) = path_start else { return Ok(url) };
    let (origin, path) = base.split_at(path_start);
    let path = path.trim_end_matches('/');
    let sep = if path.is_empty() || path.starts_with('/') { "" } else { "/" };
    Ok(format!("{origin}{sep}{path}{tail}"))
}

impl AggregatorConfig {
    /// Loads a config file; relative rule-file patterns are resolved against its directory.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        let mut cfg =
            Self::parse(&text).map_err(|message| ConfigError::Invalid { path: path.display().to_string(), message })?;
        if let Some(dir) = path.parent() {
            cfg.rules.files = cfg.rules.files.iter().map(|f| dir.join(f).display().to_string()).collect();
            cfg.alerting.config_file = cfg.alerting.config_file.map(|f| dir.join(f));
            cfg.http.resolve_paths(dir);
        }
        Ok(cfg)
    }

    /// Parses config text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let cfg: AggregatorConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        if cfg.ingest.missed_intervals == 0 {
            return Err("ingest.missed_intervals must be at least 1".into());
        }
        if cfg.rules.evaluation_interval.is_zero() {
            return Err("rules.evaluation_interval must be greater than 0".into());
        }
        for name in cfg.rules.external_labels.keys() {
            if !pharos_protocol::model::is_valid_label_name(name) {
                return Err(format!("rules.external_labels: {name:?} is not a valid label name"));
            }
        }
        cfg.external_url()?;
        cfg.http.validate()?;
        Ok(cfg)
    }

    /// The external URL, with its default, without trailing slashes.
    pub fn external_url(&self) -> Result<String, String> {
        external_url(self.rules.external_url.as_deref(), &self.server.http_listen)
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

    #[test]
    fn rules_section() {
        let c = AggregatorConfig::parse("").unwrap();
        assert!(c.rules.files.is_empty());
        assert_eq!(c.rules.evaluation_interval, Duration::from_secs(60));
        assert_eq!(c.rules.resend_delay, Duration::from_secs(60));
        assert_eq!(c.rules.for_outage_tolerance, Duration::from_secs(3600));
        assert_eq!(c.rules.for_grace_period, Duration::from_secs(600));
        assert_eq!(c.external_url().unwrap(), format!("http://{}:9700", crate::hostname()));

        let c = AggregatorConfig::parse(
            "[rules]\nfiles = [\"r/*.yml\"]\nevaluation_interval = \"15s\"\nfor_grace_period = \"1s\"\n\
             external_url = \"https://pharos.example/prefix/\"\nexternal_labels = { cluster = \"eu\" }\n",
        )
        .unwrap();
        assert_eq!(c.rules.files, ["r/*.yml"]);
        assert_eq!(c.rules.evaluation_interval, Duration::from_secs(15));
        assert_eq!(c.rules.for_grace_period, Duration::from_secs(1));
        assert_eq!(c.external_url().unwrap(), "https://pharos.example/prefix");
        assert_eq!(c.rules.external_labels.get("cluster").map(String::as_str), Some("eu"));

        for (bad, key) in [
            ("[rules]\nfile = []\n", "file"),
            ("[rules]\nevaluation_interval = \"1x\"\n", "evaluation_interval"),
            ("[rules]\nevaluation_interval = \"0s\"\n", "evaluation_interval"),
            ("[rules]\nexternal_labels = { \"a-b\" = \"x\" }\n", "a-b"),
            ("[rules]\nexternal_url = \"'http://x'\"\n", "quotes"),
        ] {
            let e = AggregatorConfig::parse(bad).unwrap_err();
            assert!(e.contains(key), "{bad}: {e}");
        }
    }

    #[test]
    fn external_url_normalization() {
        assert_eq!(external_url(Some("http://h:9090/"), "x").unwrap(), "http://h:9090");
        assert_eq!(external_url(Some("http://h:9090"), "x").unwrap(), "http://h:9090");
        assert_eq!(external_url(Some("http://h/a/b//?q=1"), "x").unwrap(), "http://h/a/b?q=1");
        assert_eq!(external_url(None, "[::]:9700").unwrap(), format!("http://{}:9700", crate::hostname()));
        assert!(external_url(None, "nohost").is_err());
    }

    #[test]
    fn rule_files_resolve_against_the_config_directory() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("agg.toml");
        std::fs::write(&path, "[rules]\nfiles = [\"rules/*.yml\", \"/abs/x.yml\"]\n").unwrap();
        let c = AggregatorConfig::load(&path).unwrap();
        assert_eq!(c.rules.files, [d.path().join("rules/*.yml").display().to_string(), "/abs/x.yml".to_string()]);
    }
}
