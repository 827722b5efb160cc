//! Container metrics with cAdvisor v0.47's names, read from the Docker Engine API (or Podman's
//! compatible API) over the local unix socket, so that cAdvisor dashboards and alerts keep working
//! without running cAdvisor.
//!
//! One collection lists the running containers, then asks for every container's stats (one-shot,
//! not streamed) and inspect reply all at once: N containers cost one round trip of N concurrent
//! requests, not N in a row. Counters are reported as the engine gives them; rates are the query's
//! business, as with cAdvisor.
//!
//! Docker and Podman's compatible API are both read. Podman's replies lack or zero some figures
//! (see [`normalize_stats`]); those are read from the host where cAdvisor reads them (the
//! container's cgroup and `/proc/<pid>/net/dev`), or left out. The `id` label is the container's
//! cgroup as the host's /proc names it, as cAdvisor's, else the engine's default cgroup.
//!
//! With no engine (no socket, or nobody answering on it) a collection fails with
//! [`CollectError::Unavailable`], which the scheduler reports; the next one connects afresh, so
//! the source recovers by itself when the engine comes back. A container that stops simply drops
//! out of the list, and the assembler ends its series with staleness markers.

mod families;
mod host;
#[cfg(test)]
mod tests;

pub use families::{
    container_info, label_name, normalize_stats, parse_rfc3339, ContainerInfo, Engine, EngineKind, Families,
};
pub use host::{HostPaths, HostStats};

use super::{CollectError, Collection, Collector};
use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use bollard::models::{ContainerInspectResponse, ContainerStatsResponse, ContainerSummary};
use bollard::query_parameters::{ListContainersOptionsBuilder, StatsOptionsBuilder};
use bollard::Docker;
use futures_util::StreamExt;
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::{debug, info, warn};

/// Where Docker listens unless told otherwise.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";
/// Default deadline of one collection (at most the interval).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// `[collect.containers]` settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainersConfig {
    /// Whether to collect container metrics. Default: when the engine's socket exists at start.
    pub enabled: Option<bool>,
    /// The engine's unix socket (`unix://` prefix allowed). Default: `DOCKER_HOST` when it is a
    /// `unix://` address, else `/var/run/docker.sock`; for Podman, its API socket
    /// (e.g. `/run/podman/podman.sock`).
    pub socket: Option<String>,
    /// Container labels copied onto every series of the container, named as cAdvisor names them
    /// (`com.example.team` becomes `container_label_com_example_team`). Default: none.
    pub label_allowlist: Vec<String>,
    /// Time between two collections. Default: `agent.interval`.
    #[serde(deserialize_with = "opt_duration")]
    pub interval: Option<Duration>,
    /// Deadline of one collection. Default 10s (at most the interval).
    #[serde(deserialize_with = "opt_duration")]
    pub timeout: Option<Duration>,
    /// `job` label of the series. Default `cadvisor`, as a Prometheus scrape of cAdvisor has it.
    pub job: String,
}

impl Default for ContainersConfig {
    fn default() -> Self {
        ContainersConfig {
            enabled: None,
            socket: None,
            label_allowlist: Vec::new(),
            interval: None,
            timeout: None,
            job: "cadvisor".into(),
        }
    }
}

fn opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let s = String::deserialize(d)?;
    pharos_protocol::duration::parse_duration(&s).map(Some).map_err(serde::de::Error::custom)
}

impl ContainersConfig {
    /// The socket to use: `socket`, else `DOCKER_HOST` if it is a unix socket, else the default.
    pub fn socket_path(&self) -> PathBuf {
        self.socket_path_with(std::env::var("DOCKER_HOST").ok().as_deref())
    }

    /// As [`Self::socket_path`] with `docker_host` in place of the environment variable.
    pub fn socket_path_with(&self, docker_host: Option<&str>) -> PathBuf {
        if let Some(s) = &self.socket {
            return PathBuf::from(s.strip_prefix("unix://").unwrap_or(s));
        }
        match docker_host {
            Some(h) if h.starts_with("unix://") => PathBuf::from(&h["unix://".len()..]),
            Some(h) if !h.is_empty() => {
                // TCP (and TLS) engines are not supported: the agent reads the local engine only.
                warn!(docker_host = h, "DOCKER_HOST is not a unix:// socket; using {DEFAULT_SOCKET}");
                PathBuf::from(DEFAULT_SOCKET)
            }
            _ => PathBuf::from(DEFAULT_SOCKET),
        }
    }
}

/// The container source, if enabled (explicitly, or by default because the socket exists).
pub fn sources(cfg: &ContainersConfig, agent: &AgentSection) -> Vec<SourceSpec> {
    let socket = cfg.socket_path();
    let enabled = cfg.enabled.unwrap_or_else(|| socket.exists());
    if !enabled {
        debug!(socket = %socket.display(), "container metrics off");
        return Vec::new();
    }
    let interval = cfg.interval.unwrap_or(agent.interval).max(Duration::from_millis(100));
    let timeout = cfg.timeout.unwrap_or(DEFAULT_TIMEOUT.min(interval)).max(Duration::from_millis(100));
    info!(socket = %socket.display(), "container metrics on");
    vec![SourceSpec {
        collector: Box::new(ContainersCollector::new(cfg, socket, timeout)),
        interval,
        timeout,
        job: cfg.job.clone(),
        instance: agent.name.clone(),
    }]
}

/// Reads container metrics from a Docker-compatible engine.
pub struct ContainersCollector {
    socket: PathBuf,
    allowlist: Vec<String>,
    timeout: Duration,
    /// The connection (with its negotiated API version), dropped after any failure so that the
    /// next collection connects and negotiates again: the engine may have restarted, or been
    /// upgraded.
    client: Option<(Docker, Engine)>,
    /// Block device names by major and minor number (they do not change while the host runs).
    devices: HashMap<(u64, u64), String>,
    host: HostPaths,
}

impl ContainersCollector {
    /// A collector for the engine at `socket`, its requests bounded by `timeout`.
    pub fn new(cfg: &ContainersConfig, socket: PathBuf, timeout: Duration) -> Self {
        ContainersCollector {
            socket,
            allowlist: cfg.label_allowlist.clone(),
            timeout,
            client: None,
            devices: HashMap::new(),
            host: HostPaths::default(),
        }
    }

    /// The engine met at the last collection, if it answered.
    pub fn engine(&self) -> Option<Engine> {
        self.client.as_ref().map(|c| c.1)
    }

    async fn connect(&self) -> Result<(Docker, Engine), CollectError> {
        let path = self.socket.to_str().ok_or_else(|| CollectError::Config("socket path is not UTF-8".into()))?;
        // bollard's timeout is in whole seconds; round up so a sub-second deadline still works
        // (the scheduler's deadline is the one that counts).
        let secs = self.timeout.as_secs() + u64::from(self.timeout.subsec_nanos() > 0);
        let docker = Docker::connect_with_unix(path, secs.max(1), bollard::API_DEFAULT_VERSION)
            .map_err(|e| unavailable(&self.socket, e))?;
        // Speak the engine's version when it is older than bollard's (Debian's Docker 20.10 is
        // API 1.41); newer engines accept older clients.
        let docker = docker.negotiate_version().await.map_err(|e| unavailable(&self.socket, e))?;
        let version = docker.version().await.map_err(|e| unavailable(&self.socket, e))?;
        // Only for the default cgroup names; an `/info` reply bollard cannot read is no failure.
        let driver = match docker.info().await {
            Ok(i) => i.cgroup_driver.map(|d| d.to_string()),
            Err(e) => {
                debug!(error = %e, "engine info not understood");
                None
            }
        };
        let engine = Engine::from_version(&version, driver.as_deref());
        info!(socket = %self.socket.display(), engine = ?engine.kind, version = ?version.version, "container engine");
        Ok((docker, engine))
    }

    async fn collect_inner(&mut self) -> Result<Vec<crate::collect::MetricFamily>, CollectError> {
        let (docker, engine) = match self.client.take() {
            Some(d) => d,
            None => self.connect().await?,
        };
        let list = docker
            .list_containers(Some(ListContainersOptionsBuilder::new().all(false).build()))
            .await
            .map_err(|e| unavailable(&self.socket, e))?;
        // From here on the engine answered: keep the connection for the next collection.
        self.client = Some((docker.clone(), engine));

        let per_container = list.iter().map(|c| {
            let docker = docker.clone();
            let id = c.id.clone().unwrap_or_default();
            async move {
                if id.is_empty() {
                    return (None, None);
                }
                let stats = async {
                    let opts = StatsOptionsBuilder::new().stream(false).one_shot(true).build();
                    let mut s = docker.stats(&id, Some(opts));
                    match s.next().await {
                        Some(Ok(s)) => Some(s),
                        Some(Err(e)) => {
                            // A container that stopped since the list, or a reply bollard
                            // cannot read: report what the list and inspect give.
                            debug!(container = %id, error = %e, "no stats");
                            None
                        }
                        None => None,
                    }
                };
                let inspect = async {
                    docker
                        .inspect_container(&id, None)
                        .await
                        .map_err(|e| debug!(container = %id, error = %e, "no inspect"))
                        .ok()
                };
                tokio::join!(stats, inspect)
            }
        });
        let answers = futures_util::future::join_all(per_container).await;

        // What follows reads cgroup and /proc files of the host: on the blocking pool, so that a
        // read that stalls holds up no other source (the agent's runtime has one thread).
        let (host, allowlist, devices) = (self.host.clone(), self.allowlist.clone(), std::mem::take(&mut self.devices));
        let (fams, devices) = tokio::task::spawn_blocking(move || {
            let mut devices = devices;
            let fams = families_from_answers(&list, answers, &host, &allowlist, engine, &mut devices);
            (fams, devices)
        })
        .await
        .map_err(|e| CollectError::Internal(format!("reading the containers' cgroups: {e}")))?;
        self.devices = devices;
        Ok(fams)
    }
}

/// The families of one collection from the engine's answers (`stats`, `inspect` per listed
/// container) and what the host's cgroup and /proc files add. Blocking: reads files.
fn families_from_answers(
    list: &[ContainerSummary],
    answers: Vec<(Option<ContainerStatsResponse>, Option<ContainerInspectResponse>)>,
    host: &HostPaths,
    allowlist: &[String],
    engine: Engine,
    devices: &mut HashMap<(u64, u64), String>,
) -> Vec<crate::collect::MetricFamily> {
    // Whole seconds, as cAdvisor's `container_last_seen` (`time.Now().Unix()`).
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as f64).unwrap_or(0.0);
    let exists = |maj: u64, min: u64| host::block_device_exists(&host.sys, maj, min);
    let mut rows: Vec<_> = list
        .iter()
        .zip(answers)
        .filter_map(|(summary, (mut stats, inspect))| {
            // A container that is gone by the time of inspect and stats is not reported.
            if stats.is_none() && inspect.is_none() {
                return None;
            }
            let mut info = container_info(summary, inspect.as_ref(), allowlist, engine)?;
            // Docker's replies need nothing from the host but the cgroup's name (and the
            // memory breakdown, should one be missing).
            let full = engine.kind == EngineKind::Podman
                || stats.as_ref().and_then(|s| s.memory_stats.as_ref()).is_some_and(|m| m.stats.is_none());
            let from_host = info.pid.map(|p| host.read(p, full).of_container(&info.id)).unwrap_or_default();
            if let Some(cgroup) = &from_host.cgroup {
                info.cgroup.clone_from(cgroup);
            }
            if let Some(s) = stats.as_mut() {
                normalize_stats(engine, &info, s, &from_host, &exists);
            }
            Some((info, stats))
        })
        .collect();
    rows.sort_by(|a, b| a.0.name.cmp(&b.0.name).then_with(|| a.0.id.cmp(&b.0.id)));
    let mut fams = Families::default();
    let sys = host.sys.as_path();
    let mut device =
        |maj: u64, min: u64| devices.entry((maj, min)).or_insert_with(|| device_name(sys, maj, min)).clone();
    for (info, stats) in &rows {
        families::add_container(&mut fams, info, stats.as_ref(), &mut device, now);
    }
    fams.into_vec()
}

impl Collector for ContainersCollector {
    fn name(&self) -> &str {
        "containers"
    }

    fn collect(&mut self) -> Collection<'_> {
        Box::pin(self.collect_inner())
    }
}

fn unavailable(socket: &Path, e: bollard::errors::Error) -> CollectError {
    CollectError::Unavailable(format!("container engine at {}: {e}", socket.display()))
}

/// `/dev/<name>` of a block device from sysfs, as cAdvisor's `device` label; `MAJ:MIN` when
/// sysfs does not know it (an agent in a container without the host's /sys).
fn device_name(sys: &Path, major: u64, minor: u64) -> String {
    let uevent = sys.join(format!("dev/block/{major}:{minor}/uevent"));
    std::fs::read_to_string(uevent)
        .ok()
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("DEVNAME=").map(|n| format!("/dev/{n}"))))
        .unwrap_or_else(|| format!("{major}:{minor}"))
}
