//! What cAdvisor reads from the host itself rather than from the engine: the container's cgroup
//! (its `id` label, memory.stat, cpu.stat, cpuacct.stat) and its network namespace's interface
//! counters (`/proc/<pid>/net/dev`).
//!
//! Used where the engine's API falls short (Podman's compatible API sends no memory breakdown,
//! zeros for CPU throttling and packet counters, and one summed pseudo-interface). Every read is
//! optional: an agent without the host's /proc and /sys (in a container of its own) gets `None`
//! and reports what the API gives, leaving out what it cannot know.

use bollard::models::{ContainerNetworkStats, ContainerThrottlingData};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Interfaces cAdvisor leaves out of a container's network figures (prefixes, any case).
const IGNORED_INTERFACES: [&str; 4] = ["lo", "veth", "docker", "nerdctl"];

/// `USER_HZ`: the unit of cgroup v1's cpuacct.stat (100 on every Linux architecture in use).
const USER_HZ: u64 = 100;

/// What the host says about one container (each part `None` when it could not be read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostStats {
    /// The container's cgroup, as cAdvisor names containers (`/docker/<id>`,
    /// `/libpod_parent/libpod-<id>`, `/system.slice/docker-<id>.scope`, ...).
    pub cgroup: Option<String>,
    /// memory.stat of the container's memory cgroup (v1 or v2 keys).
    pub memory_stat: Option<HashMap<String, u64>>,
    /// CFS throttling from cpu.stat, in Docker's units (nanoseconds).
    pub throttling: Option<ContainerThrottlingData>,
    /// (user, system) CPU time in nanoseconds, from cpuacct.stat (v1) or cpu.stat (v2).
    pub cpu_user_system: Option<(u64, u64)>,
    /// Interface counters of the container's network namespace, cAdvisor's ignored interfaces
    /// left out, sorted by name.
    pub interfaces: Option<Vec<(String, ContainerNetworkStats)>>,
}

impl HostStats {
    /// These figures if they are the container `id`'s: its cgroup names it (Docker's and Podman's
    /// do, with either cgroup driver). An agent in a pid namespace of its own would otherwise
    /// read an unrelated process of its namespace that happens to have the container's pid.
    pub fn of_container(self, id: &str) -> HostStats {
        if !id.is_empty() && self.cgroup.as_deref().is_some_and(|c| c.contains(id)) {
            self
        } else {
            HostStats::default()
        }
    }
}

/// Where the host's /proc and /sys are.
#[derive(Debug, Clone)]
pub struct HostPaths {
    pub proc: PathBuf,
    pub sys: PathBuf,
}

impl Default for HostPaths {
    fn default() -> Self {
        HostPaths { proc: PathBuf::from("/proc"), sys: PathBuf::from("/sys") }
    }
}

impl HostPaths {
    /// Reads what there is to read for the container whose init process is `pid`; `full` also
    /// reads the cgroup's counters and the interfaces (otherwise only the cgroup's name).
    pub fn read(&self, pid: i64, full: bool) -> HostStats {
        if pid <= 0 {
            return HostStats::default();
        }
        let Some(groups) = std::fs::read_to_string(self.proc.join(format!("{pid}/cgroup"))).ok() else {
            return HostStats::default();
        };
        let groups = parse_proc_cgroup(&groups);
        let mut h = HostStats { cgroup: container_cgroup(&groups), ..Default::default() };
        if !full {
            return h;
        }
        let root = self.sys.join("fs/cgroup");
        let unified = root.join("cgroup.controllers").exists();
        // The directory of `controller`'s cgroup: v2 has one tree; v1 one per controller.
        let dir = |controller: &str| -> Option<PathBuf> {
            if unified {
                let p = groups.get("")?;
                Some(root.join(p.trim_start_matches('/')))
            } else {
                let p = groups.get(controller)?;
                Some(root.join(controller).join(p.trim_start_matches('/')))
            }
        };
        let read = |controller: &str, file: &str| -> Option<String> {
            std::fs::read_to_string(dir(controller)?.join(file)).ok()
        };
        h.memory_stat = read("memory", "memory.stat").map(|t| parse_flat_keyed(&t));
        if let Some(cpu) = read("cpu", "cpu.stat").map(|t| parse_flat_keyed(&t)) {
            h.throttling = throttling(&cpu, unified);
            if unified {
                h.cpu_user_system = cpu
                    .get("user_usec")
                    .zip(cpu.get("system_usec"))
                    .map(|(u, s)| (u.saturating_mul(1000), s.saturating_mul(1000)));
            }
        }
        if !unified {
            h.cpu_user_system = read("cpuacct", "cpuacct.stat").map(|t| parse_flat_keyed(&t)).and_then(|m| {
                let tick = 1_000_000_000 / USER_HZ;
                Some((m.get("user")?.saturating_mul(tick), m.get("system")?.saturating_mul(tick)))
            });
        }
        h.interfaces =
            std::fs::read_to_string(self.proc.join(format!("{pid}/net/dev"))).ok().and_then(|t| parse_net_dev(&t));
        h
    }
}

/// `/proc/<pid>/cgroup` as controller → path; the v2 (unified) entry under the empty name.
pub fn parse_proc_cgroup(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if controllers.is_empty() {
            out.insert(String::new(), path.to_string());
        } else {
            for c in controllers.split(',') {
                out.insert(c.trim_start_matches("name=").to_string(), path.to_string());
            }
        }
    }
    out
}

/// The cgroup that names the container: the v1 cpu (or memory) hierarchy's path where there is
/// one, as cAdvisor on a v1 or hybrid host, else the unified one. `None` for the root cgroup (the
/// process is not in a container's cgroup, or the reader sits in a cgroup namespace).
pub fn container_cgroup(groups: &HashMap<String, String>) -> Option<String> {
    ["cpu", "memory", ""].iter().find_map(|c| groups.get(*c)).filter(|p| p.starts_with('/') && p.len() > 1).cloned()
}

/// A `key value` per line file (memory.stat, cpu.stat, cpuacct.stat).
pub fn parse_flat_keyed(text: &str) -> HashMap<String, u64> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

/// CFS throttling from cpu.stat: v1 counts `throttled_time` in ns, v2 `throttled_usec`.
fn throttling(cpu: &HashMap<String, u64>, unified: bool) -> Option<ContainerThrottlingData> {
    let time = if unified {
        cpu.get("throttled_usec").map(|u| u.saturating_mul(1000))
    } else {
        cpu.get("throttled_time").copied()
    };
    Some(ContainerThrottlingData {
        periods: Some(*cpu.get("nr_periods")?),
        throttled_periods: Some(*cpu.get("nr_throttled")?),
        throttled_time: Some(time?),
    })
}

/// `/proc/<pid>/net/dev`: per interface the eight counters cAdvisor reports, ignored interfaces
/// left out. `None` when the file is not in the expected format.
pub fn parse_net_dev(text: &str) -> Option<Vec<(String, ContainerNetworkStats)>> {
    let mut lines = text.lines();
    // Two header lines.
    if !lines.next()?.contains('|') || !lines.next()?.contains('|') {
        return None;
    }
    let mut out = Vec::new();
    for line in lines {
        let (name, counters) = line.split_once(':')?;
        let name = name.trim();
        let v: Vec<u64> = counters.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
        if v.len() < 16 {
            return None;
        }
        let lower = name.to_ascii_lowercase();
        if IGNORED_INTERFACES.iter().any(|p| lower.starts_with(p)) {
            continue;
        }
        out.push((
            name.to_string(),
            ContainerNetworkStats {
                rx_bytes: Some(v[0]),
                rx_packets: Some(v[1]),
                rx_errors: Some(v[2]),
                rx_dropped: Some(v[3]),
                tx_bytes: Some(v[8]),
                tx_packets: Some(v[9]),
                tx_errors: Some(v[10]),
                tx_dropped: Some(v[11]),
                ..Default::default()
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Some(out)
}

/// Whether sysfs knows the block device `major:minor`.
pub fn block_device_exists(sys: &Path, major: u64, minor: u64) -> bool {
    sys.join(format!("dev/block/{major}:{minor}")).exists()
}
