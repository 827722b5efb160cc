//! The Pushgateway API on the agent's localhost (`[pushgateway] listen`, default
//! `127.0.0.1:9702`): a batch job on a host, NAT'd or not, pushes to its own agent, and the
//! pushed groups travel through the disk buffer and the uplink like any collected series.
//!
//! The API itself is `pharos_pushgateway` (the same core the aggregator serves: Pushgateway
//! 1.5.1's paths, status codes and messages, TTLs, persistence); [`server`] puts it behind a
//! small hyper HTTP/1.1 server (no framework: the agent's resident memory is its code), and
//! [`forward`] turns the groups into series with `pharos_pushgateway::materialize`, as the
//! aggregator's materialiser does: every collection interval, right after each change, with
//! staleness markers for series that disappear.

pub mod forward;
pub mod server;
pub mod text;

use crate::config::AgentConfig;
use crate::schedule::Collected;
use pharos_protocol::duration::serde_str;
use pharos_pushgateway::{Options, Pushgateway};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tracing::{info, warn};

/// `[pushgateway]` of the agent's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushgatewayConfig {
    /// Address to serve the API on; `""` disables it. Default `127.0.0.1:9702`. There is no
    /// authentication: a non-loopback address is served, with a warning at start.
    pub listen: String,
    /// TTL of groups whose pushes carry no `Pharos-TTL` header; `0`: they never expire. Default `0`.
    #[serde(with = "serde_str")]
    pub default_ttl: Duration,
    /// Keep the groups in `<data_dir>/pushgateway.store`, so they survive a restart. Default true.
    pub persist: bool,
    /// Serve `PUT /api/v1/admin/wipe` (Pushgateway's `--web.enable-admin-api`). Default false.
    pub admin_api: bool,
}

impl Default for PushgatewayConfig {
    fn default() -> Self {
        PushgatewayConfig {
            listen: "127.0.0.1:9702".into(),
            default_ttl: Duration::ZERO,
            persist: true,
            admin_api: false,
        }
    }
}

/// Why the Pushgateway could not start (the agent does not start either).
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The listener could not be bound.
    #[error("pushgateway.listen: cannot listen on {address}: {source}")]
    Listen {
        /// The configured address.
        address: String,
        /// The error.
        source: std::io::Error,
    },
    /// The persisted store could not be read.
    #[error("pushgateway: {0}")]
    Store(#[from] pharos_pushgateway::persist::PersistError),
}

/// The store file under the data directory.
pub fn store_file(cfg: &AgentConfig) -> PathBuf {
    cfg.agent.data_dir.join("pushgateway.store")
}

/// Loads the persisted groups, binds `[pushgateway] listen` and starts serving and forwarding
/// (series go to `tx`, like a source's). Does nothing when `listen` is empty; a bind failure is
/// an error naming the address and the key.
pub async fn start(cfg: &AgentConfig, tx: mpsc::Sender<Collected>) -> Result<(), StartError> {
    let pg = &cfg.pushgateway;
    if pg.listen.trim().is_empty() {
        info!("pushgateway disabled (pushgateway.listen is empty)");
        return Ok(());
    }
    let listener = tokio::net::TcpListener::bind(pg.listen.trim())
        .await
        .map_err(|source| StartError::Listen { address: pg.listen.clone(), source })?;
    let address = listener.local_addr().map_err(|source| StartError::Listen { address: pg.listen.clone(), source })?;
    if !address.ip().is_loopback() {
        warn!(%address, "the pushgateway listens on a non-loopback address and has no authentication");
    }
    let persistence_file = pg.persist.then(|| store_file(cfg));
    let mut flags = BTreeMap::new();
    let file_flag = persistence_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    flags.insert("persistence.file".to_string(), file_flag);
    flags.insert("web.enable-admin-api".to_string(), pg.admin_api.to_string());
    flags.insert("web.listen-address".to_string(), address.to_string());
    flags.insert("pharos.default-ttl".to_string(), pharos_protocol::duration::format_duration(pg.default_ttl));
    flags.insert("pharos.interval".to_string(), pharos_protocol::duration::format_duration(cfg.agent.interval));
    let options = Options {
        default_ttl: (!pg.default_ttl.is_zero()).then_some(pg.default_ttl),
        admin_api: pg.admin_api,
        persistence_file,
        status_flags: flags,
    };
    // Reading the file is blocking, but it happens once, before anything else runs.
    let gateway = Arc::new(Pushgateway::new(options)?);
    let groups = gateway.snapshot().len();
    info!(%address, groups, persist = pg.persist, "pushgateway listening");
    let forwarder = Arc::new(forward::Forwarder::new(gateway.clone(), tx, &cfg.agent.name));
    tokio::spawn(forwarder.clone().run(cfg.agent.interval));
    tokio::spawn(server::serve(listener, gateway, forwarder));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_and_keys() {
        let c: PushgatewayConfig = toml::from_str("").unwrap();
        assert_eq!(c.listen, "127.0.0.1:9702");
        assert!(c.persist);
        assert!(c.default_ttl.is_zero());
        assert!(!c.admin_api);
        let c: PushgatewayConfig =
            toml::from_str("listen = \"\"\ndefault_ttl = \"1h\"\npersist = false\nadmin_api = true\n").unwrap();
        assert_eq!(c.listen, "");
        assert_eq!(c.default_ttl, Duration::from_secs(3600));
        assert!(!c.persist && c.admin_api);
        let e = toml::from_str::<PushgatewayConfig>("lisen = \"x\"\n").unwrap_err().to_string();
        assert!(e.contains("lisen"), "{e}");
        assert!(toml::from_str::<PushgatewayConfig>("default_ttl = \"soon\"\n").is_err());
    }

    #[tokio::test]
    async fn a_bind_failure_names_the_key_and_address() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap().to_string();
        let dir = tempfile::tempdir().unwrap();
        let mut cfg = AgentConfig::default();
        cfg.agent.data_dir = dir.path().to_path_buf();
        cfg.pushgateway.listen = addr.clone();
        let (tx, _rx) = mpsc::channel(4);
        let e = start(&cfg, tx).await.unwrap_err().to_string();
        assert!(e.contains("pushgateway.listen") && e.contains(&addr), "{e}");
    }

    #[tokio::test]
    async fn an_empty_listen_disables_it() {
        let mut cfg = AgentConfig::default();
        cfg.pushgateway.listen = String::new();
        cfg.agent.data_dir = PathBuf::from("/nonexistent/never/read");
        let (tx, _rx) = mpsc::channel(4);
        start(&cfg, tx).await.unwrap();
    }
}
