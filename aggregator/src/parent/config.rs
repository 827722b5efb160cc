//! `[parent]`: forward stored series to a parent aggregator over the agents' protocol.
//!
//! ```toml
//! [parent]
//! server = "global.example:9701"     # or servers = ["a:9701", "b:9701"] (each gets everything)
//! name = "eu-1"                      # our name at the parent: the CN of cert_file
//! match = ['{job="node"}', 'up']     # series selectors; empty: everything
//! ca_file = "/etc/pharos/parent/ca.pem"          # default <data_dir>/parent-tls/ca.pem
//! cert_file = "/etc/pharos/parent/agent.pem"     # default <data_dir>/parent-tls/agent.pem
//! key_file = "/etc/pharos/parent/agent-key.pem"  # default <data_dir>/parent-tls/agent-key.pem
//! ```
//!
//! The certificate is one the parent issues as for an agent
//! (`pharos-aggregator cert agent --name eu-1 --out DIR` on the parent).

use crate::promql::parse_series_selector;
use crate::storage::Matcher;
use pharos_buffer::FsyncPolicy;
use pharos_protocol::duration::serde_str;
use pharos_protocol::frame::Limits;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The `[parent]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParentConfig {
    /// The parent's QUIC address, `HOST:PORT` (the same port serves TLS over TCP).
    pub server: Option<String>,
    /// Several parents (high availability): each receives every forwarded series; the buffer
    /// keeps a record until all have stored it. Use `server` or `servers`, not both.
    pub servers: Vec<String>,
    /// Our name at the parent: the common name of `cert_file`. Default: the host name.
    pub name: Option<String>,
    /// Name expected in the parent's certificate. Default: the host part of each server.
    pub server_name: Option<String>,
    /// The parent's CA certificate. Default `<data_dir>/parent-tls/ca.pem`.
    pub ca_file: Option<PathBuf>,
    /// Our client certificate, issued by the parent. Default `<data_dir>/parent-tls/agent.pem`.
    pub cert_file: Option<PathBuf>,
    /// Its private key. Default `<data_dir>/parent-tls/agent-key.pem`.
    pub key_file: Option<PathBuf>,
    /// Series selectors (as `/federate`'s `match[]`); a series is forwarded if any matches.
    /// Empty (the default): every stored series.
    #[serde(rename = "match")]
    pub matchers: Vec<String>,
    /// Senders (agents or child aggregators, by certificate name) whose series are not forwarded.
    /// The parent's own names (`server_name`, else each server's host) are always in this list,
    /// so that two aggregators that are each other's parent do not send series back.
    pub never_forward_from: Vec<String>,
    /// The interval announced in `Hello`: the parent marks us `up 0` after its `missed_intervals`
    /// of these without a batch. Default `30s`.
    #[serde(with = "serde_str")]
    pub interval: Duration,
    /// Most samples in one batch (further capped by `[limits] max_samples_per_batch`). Default 10000.
    pub max_samples_per_batch: u32,
    /// Cap on the buffer's disk bytes; beyond it the oldest unsent data is dropped and counted.
    /// Default 1 GiB.
    pub max_buffer_bytes: u64,
    /// `"always"` (every write is fsynced before the storage write that produced it returns) or
    /// an interval such as `"1s"`. Default `"always"`.
    pub fsync: FsyncPolicy,
    /// First reconnect delay. Default `500ms`.
    #[serde(with = "serde_str")]
    pub backoff_min: Duration,
    /// Longest reconnect delay. Default `30s`.
    #[serde(with = "serde_str")]
    pub backoff_max: Duration,
    /// Batches sent ahead of their acks. Default 32.
    pub max_in_flight: usize,
    /// How long to wait for a connection or an ack. Default `15s`.
    #[serde(with = "serde_str")]
    pub timeout: Duration,
    /// `auto`, `quic` or `tcp`, as the agent's `uplink.transport`. Default `auto`.
    pub transport: pharos_uplink::TransportMode,
    /// How long a QUIC connection attempt may take before `auto` tries TCP. Default `5s`.
    #[serde(with = "serde_str")]
    pub quic_connect_timeout: Duration,
    /// While `auto` runs on TCP, how often QUIC is tried again. Default `30s`.
    #[serde(with = "serde_str")]
    pub quic_probe_interval: Duration,
}

impl Default for ParentConfig {
    fn default() -> Self {
        ParentConfig {
            server: None,
            servers: Vec::new(),
            name: None,
            server_name: None,
            ca_file: None,
            cert_file: None,
            key_file: None,
            matchers: Vec::new(),
            never_forward_from: Vec::new(),
            interval: Duration::from_secs(30),
            max_samples_per_batch: 10_000,
            max_buffer_bytes: 1 << 30,
            fsync: FsyncPolicy::Always,
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

/// Longest series selector accepted in `match`.
const MAX_SELECTOR_BYTES: usize = 64 * 1024;

/// Most selectors in `match`.
const MAX_SELECTORS: usize = 1000;

impl ParentConfig {
    /// The destinations: `servers`, or `server`.
    pub fn all_servers(&self) -> Vec<String> {
        let mut out = self.servers.clone();
        out.extend(self.server.clone());
        out
    }

    /// Our name at the parent, with its default.
    pub fn identity(&self) -> String {
        self.name.clone().unwrap_or_else(crate::hostname)
    }

    /// The directory of the default certificate files.
    pub fn tls_dir(data_dir: &Path) -> PathBuf {
        data_dir.join("parent-tls")
    }

    /// The CA file, with its default.
    pub fn ca_path(&self, data_dir: &Path) -> PathBuf {
        self.ca_file.clone().unwrap_or_else(|| Self::tls_dir(data_dir).join("ca.pem"))
    }

    /// The certificate file, with its default.
    pub fn cert_path(&self, data_dir: &Path) -> PathBuf {
        self.cert_file.clone().unwrap_or_else(|| Self::tls_dir(data_dir).join("agent.pem"))
    }

    /// The key file, with its default.
    pub fn key_path(&self, data_dir: &Path) -> PathBuf {
        self.key_file.clone().unwrap_or_else(|| Self::tls_dir(data_dir).join("agent-key.pem"))
    }

    /// The parsed `match` selectors: one matcher set per alternative; empty means everything.
    pub fn matcher_sets(&self) -> Result<Vec<Vec<Matcher>>, String> {
        if self.matchers.len() > MAX_SELECTORS {
            return Err(format!("parent.match: {} selectors, at most {MAX_SELECTORS}", self.matchers.len()));
        }
        let mut sets = Vec::new();
        for m in &self.matchers {
            if m.len() > MAX_SELECTOR_BYTES {
                return Err(format!("parent.match: a selector of {} bytes, at most {MAX_SELECTOR_BYTES}", m.len()));
            }
            sets.extend(parse_series_selector(m).map_err(|e| format!("parent.match {m:?}: {e}"))?);
        }
        Ok(sets)
    }

    /// The names of senders whose series are never forwarded: `never_forward_from` plus the
    /// parent's own names (its certificate name, else each server's host).
    pub fn loop_names(&self) -> Vec<String> {
        let mut names = self.never_forward_from.clone();
        match &self.server_name {
            Some(n) => names.push(n.clone()),
            None => names.extend(self.all_servers().iter().map(|s| pharos_uplink::host_of(s))),
        }
        names.sort();
        names.dedup();
        names
    }

    /// The batch limits: the aggregator's `[limits]` with this section's sample cap.
    pub fn batch_limits(&self, limits: &Limits) -> Limits {
        let mut l = *limits;
        l.max_samples_per_batch = l.max_samples_per_batch.min(self.max_samples_per_batch);
        l
    }

    /// Checks what serde cannot. `quic_listen` is this aggregator's own listener: a parent at
    /// that address would be this aggregator itself, which is refused.
    pub fn validate(&self, quic_listen: &str) -> Result<(), String> {
        let servers = self.all_servers();
        if servers.is_empty() {
            return Err("parent: set server (or servers)".into());
        }
        if self.server.is_some() && !self.servers.is_empty() {
            return Err("parent: set server or servers, not both".into());
        }
        for s in &servers {
            let port = s.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok());
            if port.is_none() || pharos_uplink::host_of(s).is_empty() {
                return Err(format!("parent.server {s:?}: expected HOST:PORT"));
            }
            if is_self(s, quic_listen) {
                return Err(format!(
                    "parent.server {s:?} is this aggregator's own server.quic_listen ({quic_listen}): \
                     an aggregator cannot be its own parent"
                ));
            }
        }
        if self.identity().is_empty() {
            return Err("parent.name must not be empty".into());
        }
        if self.max_samples_per_batch == 0 || self.max_in_flight == 0 {
            return Err("parent: max_samples_per_batch and max_in_flight must be at least 1".into());
        }
        if self.backoff_min.is_zero() || self.backoff_min > self.backoff_max {
            return Err("parent: backoff_min must be positive and at most backoff_max".into());
        }
        if self.timeout.is_zero() || self.interval.is_zero() {
            return Err("parent: timeout and interval must be positive".into());
        }
        if self.max_buffer_bytes < 1 << 20 {
            return Err("parent: max_buffer_bytes must be at least 1 MiB".into());
        }
        self.matcher_sets()?;
        Ok(())
    }
}

/// Whether `server` (`HOST:PORT`) names this aggregator's QUIC listener `quic_listen`: the same
/// port on a loopback or unspecified address, on the listener's own address, or on this host's
/// name.
fn is_self(server: &str, quic_listen: &str) -> bool {
    let Ok(own) = quic_listen.parse::<SocketAddr>() else { return false };
    let Some(port) = server.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok()) else { return false };
    if port != own.port() {
        return false;
    }
    let host = pharos_uplink::host_of(server);
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip.is_unspecified() || ip == own.ip(),
        Err(_) => host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case(&crate::hostname()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParentConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn defaults_and_keys() {
        let c = parse("server = \"global:9701\"\nname = \"eu\"\nmatch = ['up', '{job=\"node\"}']\n");
        assert_eq!(c.all_servers(), vec!["global:9701".to_string()]);
        assert_eq!(c.identity(), "eu");
        assert_eq!(c.matcher_sets().unwrap().len(), 2);
        assert_eq!(c.loop_names(), vec!["global".to_string()]);
        assert_eq!(c.fsync, FsyncPolicy::Always);
        c.validate("0.0.0.0:9701").unwrap();
        let e = toml::from_str::<ParentConfig>("servr = \"x:1\"\n").unwrap_err().to_string();
        assert!(e.contains("servr"), "{e}");
    }

    #[test]
    fn refuses_itself_and_bad_settings() {
        for (server, listen) in [
            ("127.0.0.1:9701", "0.0.0.0:9701"),
            ("localhost:9701", "127.0.0.1:9701"),
            ("10.1.2.3:9701", "10.1.2.3:9701"),
            ("[::1]:9701", "[::]:9701"),
        ] {
            let c = parse(&format!("server = {server:?}\nname = \"x\"\n"));
            let e = c.validate(listen).unwrap_err();
            assert!(e.contains("its own parent"), "{server} {listen}: {e}");
        }
        // Another port on the same host is another aggregator.
        parse("server = \"127.0.0.1:9801\"\nname = \"x\"\n").validate("127.0.0.1:9701").unwrap();
        for (text, want) in [
            ("name = \"x\"\n", "set server"),
            ("server = \"a:1\"\nservers = [\"b:1\"]\nname = \"x\"\n", "not both"),
            ("server = \"nohost\"\nname = \"x\"\n", "HOST:PORT"),
            ("server = \"a:1\"\nname = \"x\"\nmatch = ['rate(x[5m])']\n", "parent.match"),
            ("server = \"a:1\"\nname = \"x\"\nmatch = ['{a=\"\"}']\n", "parent.match"),
            ("server = \"a:1\"\nname = \"x\"\nmax_buffer_bytes = 10\n", "1 MiB"),
            ("server = \"a:1\"\nname = \"\"\n", "empty"),
        ] {
            let e = parse(text).validate("0.0.0.0:9701").unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn loop_names_include_the_parents_names() {
        let c = parse("servers = [\"a.example:1\", \"b.example:1\"]\nnever_forward_from = [\"z\"]\n");
        assert_eq!(c.loop_names(), vec!["a.example", "b.example", "z"]);
        let c = parse("server = \"10.0.0.1:1\"\nserver_name = \"global\"\n");
        assert_eq!(c.loop_names(), vec!["global"]);
    }
}
