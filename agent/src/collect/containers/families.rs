//! Turns what the engine answered (container list entry, inspect reply, one stats sample) into
//! metric families with cAdvisor v0.47's names, types, units and labels.
//!
//! Everything here is pure (no I/O), so Docker- and Podman-shaped replies can be tested from
//! fixtures. Every field of an API reply is optional: a field that is missing leaves its family
//! out for that container rather than reporting a 0 that would lie.

use super::host::HostStats;
use crate::collect::{Metric, MetricFamily, MetricType};
use bollard::models::{
    ContainerInspectResponse, ContainerNetworkStats, ContainerStatsResponse, ContainerSummary, SystemVersion,
};
use pharos_protocol::{Label, Labels};
use std::collections::{BTreeMap, HashMap};

/// Which engine answers on the socket: Podman's compatible API differs from Docker's in what it
/// fills in (see [`normalize_stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EngineKind {
    #[default]
    Docker,
    Podman,
}

/// The engine, as far as the collector needs to know it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Engine {
    pub kind: EngineKind,
    /// The engine puts containers in systemd scopes (`CgroupDriver` "systemd") rather than in
    /// cgroupfs directories of its own.
    pub systemd_cgroups: bool,
}

impl Engine {
    /// From the engine's `/version` reply (Podman lists a "Podman Engine" component) and the
    /// `CgroupDriver` of its `/info` reply, when that was understood.
    pub fn from_version(v: &SystemVersion, cgroup_driver: Option<&str>) -> Engine {
        let podman = v.components.iter().flatten().any(|c| c.name.to_ascii_lowercase().contains("podman"))
            || v.platform.as_ref().is_some_and(|p| p.name.to_ascii_lowercase().contains("podman"));
        Engine {
            kind: if podman { EngineKind::Podman } else { EngineKind::Docker },
            systemd_cgroups: cgroup_driver == Some("systemd"),
        }
    }

    /// The cgroup the engine puts container `id` in by default: cAdvisor's `id` label when the
    /// host's /proc cannot say (an agent in a container without the host's pid namespace).
    pub fn default_cgroup(&self, id: &str) -> String {
        match (self.kind, self.systemd_cgroups) {
            (EngineKind::Docker, false) => format!("/docker/{id}"),
            (EngineKind::Docker, true) => format!("/system.slice/docker-{id}.scope"),
            (EngineKind::Podman, false) => format!("/libpod_parent/libpod-{id}"),
            (EngineKind::Podman, true) => format!("/machine.slice/libpod-{id}.scope"),
        }
    }
}

/// What identifies a container in its series, and its spec-level values.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerInfo {
    /// Full container id (64 hex digits for Docker and Podman).
    pub id: String,
    /// cAdvisor's `id` label: the container's cgroup (`/docker/<id>` with Docker's cgroupfs
    /// driver, `/libpod_parent/libpod-<id>` with Podman's).
    pub cgroup: String,
    /// Name without the leading `/` Docker puts in front of it.
    pub name: String,
    /// Image as the container was created with (`Config.Image`), as cAdvisor's `image` label.
    pub image: String,
    /// Allowlisted container labels as `(prometheus label name, value)`, sorted by name.
    pub labels: Vec<(String, String)>,
    /// Creation time (unix seconds): cAdvisor's `container_start_time_seconds` is the container's
    /// `Created`, not `State.StartedAt`.
    pub created: Option<f64>,
    /// `HostConfig.Memory` in bytes; 0 means unlimited (only known from inspect).
    pub memory_limit: Option<f64>,
    /// The container uses another container's network namespace (`--network container:X`):
    /// cAdvisor then reports no network metrics for it, as they belong to the other one.
    pub shares_netns: bool,
    /// `HostConfig.NetworkMode` (`bridge`, `none`, `host`, a network's name, `container:X`).
    pub network_mode: String,
    /// Number of networks the container is attached to (`NetworkSettings.Networks`).
    pub networks: usize,
    /// The container's init process on the host (`State.Pid`), when inspect gave one.
    pub pid: Option<i64>,
}

/// cAdvisor's label name for a container label: `container_label_` + the key with every
/// character outside `[a-zA-Z0-9_]` replaced by `_`.
pub fn label_name(key: &str) -> String {
    let mut out = String::with_capacity(16 + key.len());
    out.push_str("container_label_");
    out.extend(key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }));
    out
}

/// Identity and spec of a running container from its list entry and (when the inspect call
/// worked) its inspect reply. `None` when the entry has no id: nothing could be reported for it.
/// The `cgroup` is the engine's default one; the collector replaces it by the one the host's
/// /proc names when it can read that.
pub fn container_info(
    summary: &ContainerSummary,
    inspect: Option<&ContainerInspectResponse>,
    allowlist: &[String],
    engine: Engine,
) -> Option<ContainerInfo> {
    let id = summary.id.clone().filter(|s| !s.is_empty())?;
    // Docker names start with `/`; so do Podman 4.3's, while other Podman versions and its
    // libpod replies leave it out. cAdvisor's `name` label has none (`TrimPrefix(Name, "/")`).
    let name = inspect
        .and_then(|i| i.name.as_deref())
        .or_else(|| summary.names.as_ref().and_then(|n| n.first()).map(String::as_str))
        .unwrap_or("")
        .trim_start_matches('/')
        .to_string();
    let config = inspect.and_then(|i| i.config.as_ref());
    let image = config.and_then(|c| c.image.clone()).or_else(|| summary.image.clone()).unwrap_or_default();
    let all_labels = config.and_then(|c| c.labels.as_ref()).or(summary.labels.as_ref());
    let mut labels: Vec<(String, String)> = allowlist
        .iter()
        .filter_map(|k| all_labels.and_then(|l| l.get(k)).map(|v| (label_name(k), v.clone())))
        .collect();
    labels.sort();
    labels.dedup_by(|a, b| a.0 == b.0);
    let created = inspect
        .and_then(|i| i.created.as_deref())
        .and_then(parse_rfc3339)
        .or_else(|| summary.created.filter(|&c| c > 0).map(|c| c as f64));
    let memory_limit = inspect.and_then(|i| i.host_config.as_ref()).and_then(|h| h.memory).map(|m| m.max(0) as f64);
    let network_mode = inspect
        .and_then(|i| i.host_config.as_ref())
        .and_then(|h| h.network_mode.as_deref())
        .or_else(|| summary.host_config.as_ref().and_then(|h| h.network_mode.as_deref()))
        .unwrap_or("");
    let networks = inspect
        .and_then(|i| i.network_settings.as_ref())
        .and_then(|n| n.networks.as_ref())
        .or_else(|| summary.network_settings.as_ref().and_then(|n| n.networks.as_ref()))
        .map_or(0, |n| n.len());
    Some(ContainerInfo {
        cgroup: engine.default_cgroup(&id),
        id,
        name,
        image,
        labels,
        created,
        memory_limit,
        shares_netns: network_mode.starts_with("container:"),
        network_mode: network_mode.to_string(),
        networks,
        pid: inspect.and_then(|i| i.state.as_ref()).and_then(|s| s.pid).filter(|&p| p > 0),
    })
}

/// Brings an engine's stats reply to what Docker's would say, with what the host tells
/// (`host`, each part optional) where the engine falls short; `device_exists` says whether a
/// block device `major:minor` exists.
///
/// Docker's replies are complete: only a missing memory breakdown is filled in. Podman's
/// compatible API (4.x) differs, and each difference is mended or its families left out, never
/// reported as a made-up 0:
/// - no memory `stats` map: filled from the cgroup's memory.stat (as cAdvisor reads it), else
///   left empty, so working set, RSS and cache are absent;
/// - `throttling_data` always 0: replaced by the cgroup's cpu.stat, else removed;
/// - user CPU time is total minus system: replaced by cpuacct.stat's (cAdvisor's source);
/// - one pseudo-interface `network` summing the bytes of all interfaces, with packets, errors
///   and drops at 0, and present even with `--network none`: replaced by the namespace's
///   interfaces (`/proc/<pid>/net/dev`, as cAdvisor). Without them, the bytes are reported as
///   `eth0` when the container has exactly one network (Podman names it so), else no network
///   figures;
/// - block devices with major and minor swapped (`0:254` for `254:0`): swapped back when only
///   the swapped pair is a device.
pub fn normalize_stats(
    engine: Engine,
    info: &ContainerInfo,
    s: &mut ContainerStatsResponse,
    host: &HostStats,
    device_exists: &dyn Fn(u64, u64) -> bool,
) {
    if let Some(m) = s.memory_stats.as_mut() {
        if m.stats.as_ref().is_none_or(|st| st.is_empty()) {
            m.stats.clone_from(&host.memory_stat);
        }
    }
    if engine.kind != EngineKind::Podman {
        return;
    }
    if let Some(cpu) = s.cpu_stats.as_mut() {
        cpu.throttling_data.clone_from(&host.throttling);
        if let (Some(u), Some((user, system))) = (cpu.cpu_usage.as_mut(), host.cpu_user_system) {
            u.usage_in_usermode = Some(user);
            u.usage_in_kernelmode = Some(system);
        }
    }
    if let Some(nets) = s.networks.take() {
        s.networks = match &host.interfaces {
            Some(ifaces) => Some(ifaces.iter().cloned().collect()),
            None => {
                let own_bridge = !matches!(info.network_mode.as_str(), "none" | "host") && info.networks == 1;
                let summed = (nets.len() == 1).then(|| nets.into_values().next()).flatten();
                match summed {
                    Some(n) if own_bridge => {
                        let bytes_only =
                            ContainerNetworkStats { rx_bytes: n.rx_bytes, tx_bytes: n.tx_bytes, ..Default::default() };
                        Some([("eth0".to_string(), bytes_only)].into_iter().collect())
                    }
                    _ => None,
                }
            }
        };
    }
    if let Some(io) = s.blkio_stats.as_mut().and_then(|b| b.io_service_bytes_recursive.as_mut()) {
        for e in io {
            if let (Some(maj), Some(min)) = (e.major, e.minor) {
                if !device_exists(maj, min) && device_exists(min, maj) {
                    (e.major, e.minor) = (Some(min), Some(maj));
                }
            }
        }
    }
}

/// The metric families of one collection, in the order their first sample was added.
#[derive(Debug, Default)]
pub struct Families {
    fams: Vec<MetricFamily>,
    index: HashMap<&'static str, usize>,
}

impl Families {
    /// Adds one sample of family `name` with the container's labels plus `extra`.
    fn add(
        &mut self,
        name: &'static str,
        help: &'static str,
        kind: MetricType,
        base: &[Label],
        extra: &[(&str, &str)],
        value: f64,
    ) {
        let i = *self.index.entry(name).or_insert_with(|| {
            self.fams.push(MetricFamily {
                name: name.to_string(),
                help: Some(help.to_string()),
                kind,
                metrics: Vec::new(),
            });
            self.fams.len() - 1
        });
        let mut v = Vec::with_capacity(base.len() + extra.len() + 1);
        v.push(Label::new(pharos_protocol::model::METRIC_NAME_LABEL, name));
        v.extend(base.iter().cloned());
        v.extend(extra.iter().map(|(n, val)| Label::new(*n, *val)));
        self.fams[i].metrics.push(Metric { labels: Labels::from_vec(v), value, timestamp_ms: None });
    }

    /// The families.
    pub fn into_vec(self) -> Vec<MetricFamily> {
        self.fams
    }
}

const NS: f64 = 1e9;

/// Adds every family the engine's answers support for one container; `device` names a block
/// device from its major and minor numbers; `now` is the collection's unix time in seconds.
pub fn add_container(
    f: &mut Families,
    info: &ContainerInfo,
    stats: Option<&ContainerStatsResponse>,
    device: &mut dyn FnMut(u64, u64) -> String,
    now: f64,
) {
    use MetricType::{Counter, Gauge};
    let mut base = vec![
        Label::new("id", info.cgroup.as_str()),
        Label::new("image", info.image.as_str()),
        Label::new("name", info.name.as_str()),
    ];
    base.extend(info.labels.iter().map(|(k, v)| Label::new(k.as_str(), v.as_str())));
    let b = base.as_slice();

    f.add("container_last_seen", "Last time a container was seen by the exporter", Gauge, b, &[], now);
    if let Some(t) = info.created {
        f.add(
            "container_start_time_seconds",
            "Start time of the container since unix epoch in seconds.",
            Gauge,
            b,
            &[],
            t,
        );
    }
    if let Some(l) = info.memory_limit {
        f.add("container_spec_memory_limit_bytes", "Memory limit for the container.", Gauge, b, &[], spec_memory(l));
    }
    let Some(s) = stats else { return };

    if let Some(cpu) = &s.cpu_stats {
        if let Some(u) = &cpu.cpu_usage {
            // cAdvisor v0.47 disables per-CPU metrics by default and then reports the total with
            // `cpu="total"`.
            if let Some(v) = u.total_usage {
                let help = "Cumulative cpu time consumed in seconds.";
                f.add("container_cpu_usage_seconds_total", help, Counter, b, &[("cpu", "total")], v as f64 / NS);
            }
            if let Some(v) = u.usage_in_usermode {
                let help = "Cumulative user cpu time consumed in seconds.";
                f.add("container_cpu_user_seconds_total", help, Counter, b, &[], v as f64 / NS);
            }
            if let Some(v) = u.usage_in_kernelmode {
                let help = "Cumulative system cpu time consumed in seconds.";
                f.add("container_cpu_system_seconds_total", help, Counter, b, &[], v as f64 / NS);
            }
        }
        if let Some(t) = &cpu.throttling_data {
            if let Some(v) = t.periods {
                let help = "Number of elapsed enforcement period intervals.";
                f.add("container_cpu_cfs_periods_total", help, Counter, b, &[], v as f64);
            }
            if let Some(v) = t.throttled_periods {
                let help = "Number of throttled period intervals.";
                f.add("container_cpu_cfs_throttled_periods_total", help, Counter, b, &[], v as f64);
            }
            if let Some(v) = t.throttled_time {
                let help = "Total time duration the container has been throttled.";
                f.add("container_cpu_cfs_throttled_seconds_total", help, Counter, b, &[], v as f64 / NS);
            }
        }
    }

    if let Some(m) = &s.memory_stats {
        let stat = |keys: &[&str]| -> Option<u64> {
            let map = m.stats.as_ref()?;
            keys.iter().find_map(|k| map.get(*k).copied())
        };
        // cgroup v1 (hierarchical `total_*` first, as cAdvisor reads them) or v2 names.
        let cache = stat(&["total_cache", "cache", "file"]);
        let rss = stat(&["total_rss", "rss", "anon"]);
        let inactive_file = stat(&["total_inactive_file", "inactive_file"]);
        if let Some(u) = m.usage {
            let help = "Current memory usage in bytes, including all memory regardless of when it was accessed";
            f.add("container_memory_usage_bytes", help, Gauge, b, &[], u as f64);
            // cAdvisor: usage minus inactive file pages, never below 0. Without the inactive
            // figure there is no honest working set, so the family is left out.
            if let Some(i) = inactive_file {
                let help = "Current working set in bytes.";
                f.add("container_memory_working_set_bytes", help, Gauge, b, &[], u.saturating_sub(i) as f64);
            }
        }
        if let Some(v) = rss {
            f.add("container_memory_rss", "Size of RSS in bytes.", Gauge, b, &[], v as f64);
        }
        if let Some(v) = cache {
            f.add("container_memory_cache", "Number of bytes of page cache memory.", Gauge, b, &[], v as f64);
        }
    }

    if !info.shares_netns {
        if let Some(nets) = &s.networks {
            add_networks(f, b, nets.iter().map(|(k, v)| (k.as_str(), v)));
        }
    }

    if let Some(io) = s.blkio_stats.as_ref().and_then(|io| io.io_service_bytes_recursive.as_ref()) {
        // (device, op) → bytes. The max rather than the sum: should an engine list a device twice
        // (v1 reports both throttle and CFQ figures on some kernels), summing would double it.
        let mut per_dev: BTreeMap<String, (Option<u64>, Option<u64>)> = BTreeMap::new();
        for e in io {
            let (Some(maj), Some(min), Some(op), Some(v)) = (e.major, e.minor, e.op.as_deref(), e.value) else {
                continue;
            };
            // cgroup v1 says `Read`/`Write`, v2 `read`/`write`.
            let slot = per_dev.entry(device(maj, min)).or_default();
            if op.eq_ignore_ascii_case("read") {
                slot.0 = Some(slot.0.unwrap_or(0).max(v));
            } else if op.eq_ignore_ascii_case("write") {
                slot.1 = Some(slot.1.unwrap_or(0).max(v));
            }
        }
        for (dev, (r, w)) in &per_dev {
            if let Some(r) = r {
                let help = "Cumulative count of bytes read";
                f.add("container_fs_reads_bytes_total", help, Counter, b, &[("device", dev)], *r as f64);
            }
            if let Some(w) = w {
                let help = "Cumulative count of bytes written";
                f.add("container_fs_writes_bytes_total", help, Counter, b, &[("device", dev)], *w as f64);
            }
        }
    }

    if let Some(p) = s.pids_stats.as_ref().and_then(|p| p.current) {
        f.add("container_processes", "Number of processes running inside the container.", Gauge, b, &[], p as f64);
    }
}

/// cAdvisor reports "no limit" (the kernel's huge sentinel, or Docker's 0) as 0.
fn spec_memory(v: f64) -> f64 {
    if v > 1e18 {
        0.0
    } else {
        v
    }
}

fn add_networks<'a>(
    f: &mut Families,
    b: &[Label],
    nets: impl Iterator<Item = (&'a str, &'a bollard::models::ContainerNetworkStats)>,
) {
    use MetricType::Counter;
    let mut nets: Vec<_> = nets.collect();
    nets.sort_by_key(|(k, _)| *k);
    for (iface, n) in nets {
        let l = [("interface", iface)];
        let fields: [(&'static str, &'static str, Option<u64>); 8] = [
            ("container_network_receive_bytes_total", "Cumulative count of bytes received", n.rx_bytes),
            ("container_network_receive_packets_total", "Cumulative count of packets received", n.rx_packets),
            (
                "container_network_receive_errors_total",
                "Cumulative count of errors encountered while receiving",
                n.rx_errors,
            ),
            (
                "container_network_receive_packets_dropped_total",
                "Cumulative count of packets dropped while receiving",
                n.rx_dropped,
            ),
            ("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted", n.tx_bytes),
            ("container_network_transmit_packets_total", "Cumulative count of packets transmitted", n.tx_packets),
            (
                "container_network_transmit_errors_total",
                "Cumulative count of errors encountered while transmitting",
                n.tx_errors,
            ),
            (
                "container_network_transmit_packets_dropped_total",
                "Cumulative count of packets dropped while transmitting",
                n.tx_dropped,
            ),
        ];
        for (name, help, v) in fields {
            if let Some(v) = v {
                f.add(name, help, Counter, b, &l, v as f64);
            }
        }
    }
}

/// Unix seconds of an RFC 3339 time (`2024-01-02T03:04:05.123456789Z`, or with a `+01:00`
/// offset), as Docker and Podman write them. `None` for anything else, including Go's zero time.
pub fn parse_rfc3339(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    // The offset starts at the first `Z`, `+` or `-` after the time.
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let mut t = time.splitn(3, ':');
    let hour: i64 = t.next()?.parse().ok()?;
    let minute: i64 = t.next()?.parse().ok()?;
    let second: f64 = t.next()?.parse().ok()?;
    let offset = match zone {
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z.get(1..)?.split_once(':')?;
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || year < 1970 {
        return None;
    }
    // Days since the epoch of a civil date (H. Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 - offset) as f64 + second)
}
