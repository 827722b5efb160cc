//! Host metrics with node_exporter 1.5's names, labels, HELP/TYPE and values.
//!
//! One submodule per node_exporter collector (`cpu`, `meminfo`, `filesystem`, `netdev`,
//! `diskstats`, `loadavg`, `stat`, `time`, `filefd`, `uname`), each reading the same /proc and
//! /sys files node_exporter 1.5 reads (through prometheus/procfs 0.8) and computing values the same
//! way, so that dashboards and alert rules written for node_exporter work unchanged. Like
//! node_exporter, every collection also reports `node_scrape_collector_success` and
//! `node_scrape_collector_duration_seconds` per sub-collector.
//!
//! Unlike node_exporter, a malformed line is skipped (and logged) instead of failing the whole
//! sub-collector, and a hanging `statfs` (dead NFS server) never blocks a collection.
//!
//! Files are read into buffers reused across collections; per-line parsing is plain string
//! splitting (regexes are only used for the configured device/mount filters, once per device).

mod cpu;
mod diskstats;
mod filefd;
mod filesystem;
mod loadavg;
mod meminfo;
mod netdev;
mod stat;
mod time;
mod uname;

use super::{BlockingCollector, CollectError, Metric, MetricFamily, MetricType};
use pharos_protocol::duration::serde_str;
use pharos_protocol::{Label, Labels};
use regex::Regex;
use serde::Deserialize;
use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// node_exporter 1.5's default `--collector.filesystem.mount-points-exclude` (Linux).
pub const DEFAULT_MOUNT_POINTS_EXCLUDE: &str =
    "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
/// node_exporter 1.5's default `--collector.filesystem.fs-types-exclude` (Linux).
pub const DEFAULT_FS_TYPES_EXCLUDE: &str = "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$";
/// node_exporter 1.5's default `--collector.diskstats.device-exclude` (Linux).
pub const DEFAULT_DISKSTATS_DEVICE_EXCLUDE: &str = r"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$";
/// The sub-collectors, by node_exporter's collector names; all enabled by default.
pub const ALL_COLLECTORS: [&str; 10] =
    ["cpu", "diskstats", "filefd", "filesystem", "loadavg", "meminfo", "netdev", "stat", "time", "uname"];

/// Settings of the host collector (`[collect.host]` in the agent's configuration).
///
/// Names follow node_exporter's flags (`--collector.filesystem.fs-types-exclude` becomes
/// `filesystem_fs_types_exclude`), defaults are upstream node_exporter 1.5's. Regexes have Go's
/// syntax and semantics (`pharos_goregex`) and, as in node_exporter, match anywhere unless
/// anchored; an empty string disables them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HostConfig {
    /// Sub-collectors to run, by node_exporter name. Default: all of [`ALL_COLLECTORS`].
    #[serde(deserialize_with = "de_collectors")]
    pub collectors: Vec<String>,
    /// procfs mount point (`--path.procfs`). Default `/proc`.
    pub proc_path: PathBuf,
    /// sysfs mount point (`--path.sysfs`). Default `/sys`.
    pub sys_path: PathBuf,
    /// Root of the host's file system, for an agent in a container (`--path.rootfs`). Default `/`.
    pub rootfs_path: PathBuf,
    /// udev database, for `node_disk_info` and friends (`--path.udev.data`). Default `/run/udev/data`.
    pub udev_data_path: PathBuf,
    /// Export `node_cpu_guest_seconds_total` (`--collector.cpu.guest`). Default true.
    pub cpu_guest: bool,
    /// Export `node_softirqs_total` per vector (`--collector.stat.softirq`). Default false.
    pub stat_softirq: bool,
    /// Mount points to skip (`--collector.filesystem.mount-points-exclude`).
    #[serde(deserialize_with = "de_regex")]
    pub filesystem_mount_points_exclude: String,
    /// File system types to skip (`--collector.filesystem.fs-types-exclude`).
    #[serde(deserialize_with = "de_regex")]
    pub filesystem_fs_types_exclude: String,
    /// How long a `statfs` may take before its mount is reported as `node_filesystem_device_error`
    /// and skipped until it answers again (`--collector.filesystem.mount-timeout`). Default `5s`.
    #[serde(with = "serde_str")]
    pub filesystem_mount_timeout: Duration,
    /// Network devices to keep (`--collector.netdev.device-include`); exclusive with the exclude.
    #[serde(deserialize_with = "de_regex")]
    pub netdev_device_include: String,
    /// Network devices to skip (`--collector.netdev.device-exclude`). Default: none.
    #[serde(deserialize_with = "de_regex")]
    pub netdev_device_exclude: String,
    /// Block devices to keep (`--collector.diskstats.device-include`); exclusive with the exclude.
    #[serde(deserialize_with = "de_regex")]
    pub diskstats_device_include: String,
    /// Block devices to skip (`--collector.diskstats.device-exclude`). Default: partitions,
    /// loop, ram and floppy devices.
    #[serde(deserialize_with = "de_regex")]
    pub diskstats_device_exclude: String,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            collectors: ALL_COLLECTORS.iter().map(|s| s.to_string()).collect(),
            proc_path: PathBuf::from("/proc"),
            sys_path: PathBuf::from("/sys"),
            rootfs_path: PathBuf::from("/"),
            udev_data_path: PathBuf::from("/run/udev/data"),
            cpu_guest: true,
            stat_softirq: false,
            filesystem_mount_points_exclude: DEFAULT_MOUNT_POINTS_EXCLUDE.to_string(),
            filesystem_fs_types_exclude: DEFAULT_FS_TYPES_EXCLUDE.to_string(),
            filesystem_mount_timeout: Duration::from_secs(5),
            netdev_device_include: String::new(),
            netdev_device_exclude: String::new(),
            diskstats_device_include: String::new(),
            diskstats_device_exclude: DEFAULT_DISKSTATS_DEVICE_EXCLUDE.to_string(),
        }
    }
}

impl HostConfig {
    /// Checks what deserialization cannot: every regex compiles, include and exclude are not both
    /// set, every sub-collector name is known. Call it when loading the configuration to refuse a
    /// bad one at start; [`HostCollector::new`] copes with a bad one at run time.
    pub fn validate(&self) -> Result<(), CollectError> {
        for name in &self.collectors {
            known_collector(name)?;
        }
        compile("filesystem_mount_points_exclude", &self.filesystem_mount_points_exclude)?;
        compile("filesystem_fs_types_exclude", &self.filesystem_fs_types_exclude)?;
        DeviceFilter::new("netdev_device", &self.netdev_device_exclude, &self.netdev_device_include)?;
        DeviceFilter::new("diskstats_device", &self.diskstats_device_exclude, &self.diskstats_device_include)?;
        Ok(())
    }
}

/// The `&'static` name of a known sub-collector.
fn known_collector(name: &str) -> Result<&'static str, CollectError> {
    ALL_COLLECTORS.iter().copied().find(|n| *n == name).ok_or_else(|| {
        CollectError::Config(format!("unknown host collector {name:?}; known: {}", ALL_COLLECTORS.join(", ")))
    })
}

/// serde helper: a regex setting must compile (empty means unset), so a typo fails at load time
/// with the key's name.
fn de_regex<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    compile("regex", &s).map_err(serde::de::Error::custom)?;
    Ok(s)
}

/// serde helper: sub-collector names must be known.
fn de_collectors<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Vec::<String>::deserialize(d)?;
    for name in &v {
        known_collector(name).map_err(serde::de::Error::custom)?;
    }
    Ok(v)
}

/// Collects host metrics like node_exporter 1.5 with the enabled sub-collectors.
pub struct HostCollector {
    env: Env,
    subs: Vec<Box<dyn SubCollector>>,
    /// Number of families of the last collection, to size the next output vector in one go.
    last_len: usize,
}

impl HostCollector {
    /// Builds the collector with the configured sub-collectors. It cannot fail: a sub-collector
    /// whose settings are invalid (see [`HostConfig::validate`]) fails at every collection instead,
    /// which is logged and shows as `node_scrape_collector_success{collector="…"} 0`; unknown
    /// names are logged and skipped.
    pub fn new(config: HostConfig) -> Self {
        let paths = Paths {
            proc: config.proc_path.clone(),
            sys: config.sys_path.clone(),
            rootfs: config.rootfs_path.clone(),
            udev: config.udev_data_path.clone(),
        };
        let mut subs: Vec<Box<dyn SubCollector>> = Vec::new();
        for name in &config.collectors {
            let name = match known_collector(name) {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "skipping host collector");
                    continue;
                }
            };
            if subs.iter().any(|s| s.name() == name) {
                continue;
            }
            match build(name, &config, &paths) {
                Ok(sub) => subs.push(sub),
                Err(e) => {
                    tracing::warn!(collector = name, error = %e, "host collector misconfigured, it will report failure");
                    subs.push(Box::new(Broken { name, error: e.to_string() }));
                }
            }
        }
        HostCollector { env: Env { paths, reader: Reader::default() }, subs, last_len: 0 }
    }
}

/// Builds one sub-collector.
fn build(name: &'static str, config: &HostConfig, paths: &Paths) -> Result<Box<dyn SubCollector>, CollectError> {
    Ok(match name {
        "cpu" => Box::new(cpu::CpuCollector::new(paths, config.cpu_guest)),
        "diskstats" => Box::new(diskstats::DiskstatsCollector::new(DeviceFilter::new(
            "diskstats_device",
            &config.diskstats_device_exclude,
            &config.diskstats_device_include,
        )?)),
        "filefd" => Box::new(filefd::FilefdCollector),
        "filesystem" => Box::new(filesystem::FilesystemCollector::new(
            compile("filesystem_mount_points_exclude", &config.filesystem_mount_points_exclude)?,
            compile("filesystem_fs_types_exclude", &config.filesystem_fs_types_exclude)?,
            config.filesystem_mount_timeout,
        )),
        "loadavg" => Box::new(loadavg::LoadavgCollector),
        "meminfo" => Box::new(meminfo::MeminfoCollector::default()),
        "netdev" => Box::new(netdev::NetdevCollector::new(DeviceFilter::new(
            "netdev_device",
            &config.netdev_device_exclude,
            &config.netdev_device_include,
        )?)),
        "stat" => Box::new(stat::StatCollector::new(config.stat_softirq)),
        "time" => Box::new(time::TimeCollector::new()),
        "uname" => Box::new(uname::UnameCollector),
        other => return Err(CollectError::Config(format!("unknown host collector {other:?}"))),
    })
}

/// Stands in for a sub-collector whose settings are invalid: fails every time, visibly.
struct Broken {
    name: &'static str,
    error: String,
}

impl SubCollector for Broken {
    fn name(&self) -> &'static str {
        self.name
    }

    fn update(&mut self, _env: &mut Env, _out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        Err(CollectError::Config(self.error.clone()))
    }
}

impl BlockingCollector for HostCollector {
    fn name(&self) -> &str {
        "host"
    }

    fn collect(&mut self) -> Result<Vec<MetricFamily>, CollectError> {
        self.env.reader.begin_cycle();
        let mut out = Vec::with_capacity(self.last_len.max(64));
        let mut durations = family(
            "node_scrape_collector_duration_seconds",
            "node_exporter: Duration of a collector scrape.",
            MetricType::Gauge,
        );
        let mut successes =
            family("node_scrape_collector_success", "node_exporter: Whether a collector succeeded.", MetricType::Gauge);
        let mut failed = 0;
        let mut first_error = None;
        for sub in &mut self.subs {
            let start = Instant::now();
            // A failing sub-collector keeps what it pushed before failing, as node_exporter does.
            let result = sub.update(&mut self.env, &mut out);
            let elapsed = start.elapsed().as_secs_f64();
            let ok = match result {
                Ok(()) => 1.0,
                Err(e) => {
                    tracing::warn!(collector = sub.name(), error = %e, "host sub-collector failed");
                    failed += 1;
                    first_error.get_or_insert(e);
                    0.0
                }
            };
            push(&mut durations, &[("collector", sub.name())], elapsed);
            push(&mut successes, &[("collector", sub.name())], ok);
        }
        if let Some(first) = first_error {
            if failed == self.subs.len() {
                return Err(CollectError::AllFailed { collector: "host", failed, first: Box::new(first) });
            }
        }
        out.push(durations);
        out.push(successes);
        normalize(&mut out);
        self.last_len = out.len();
        Ok(out)
    }
}

/// One node_exporter collector.
trait SubCollector: Send {
    /// node_exporter's name of the collector (`collector` label of the scrape self-metrics).
    fn name(&self) -> &'static str;
    /// Appends this collector's families to `out`; may leave partial output on error.
    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError>;
}

/// What sub-collectors share: the configured roots and the read buffers.
struct Env {
    paths: Paths,
    reader: Reader,
}

/// The configured roots of the files sub-collectors read.
struct Paths {
    proc: PathBuf,
    sys: PathBuf,
    rootfs: PathBuf,
    udev: PathBuf,
}

impl Paths {
    fn proc(&self, rel: &str) -> PathBuf {
        self.proc.join(rel)
    }

    fn sys(&self, rel: &str) -> PathBuf {
        self.sys.join(rel)
    }
}

/// Reads whole files into buffers that live as long as the collector, so that a collection does
/// not allocate for file contents once the buffers have grown to the largest file.
#[derive(Default)]
struct Reader {
    buf: Vec<u8>,
    /// /proc/stat is read by both `cpu` and `stat`; one read per collection serves both.
    stat_buf: Vec<u8>,
    stat_fresh: bool,
}

impl Reader {
    /// Marks the start of a collection (cached files must be read again).
    fn begin_cycle(&mut self) {
        self.stat_fresh = false;
    }

    /// Reads `path` into the shared buffer and returns its text (lossy for non-UTF-8 bytes).
    fn read(&mut self, path: &Path) -> Result<Cow<'_, str>, CollectError> {
        read_into(path, &mut self.buf)?;
        Ok(String::from_utf8_lossy(&self.buf))
    }

    /// The text of the file read last by [`Reader::read`].
    fn last(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.buf)
    }

    /// The content of /proc/stat at this collection, read at most once per collection.
    fn proc_stat(&mut self, paths: &Paths) -> Result<Cow<'_, str>, CollectError> {
        if !self.stat_fresh {
            read_into(&paths.proc("stat"), &mut self.stat_buf)?;
            self.stat_fresh = true;
        }
        Ok(String::from_utf8_lossy(&self.stat_buf))
    }
}

fn read_into(path: &Path, buf: &mut Vec<u8>) -> Result<(), CollectError> {
    buf.clear();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(buf)).map(|_| ()).map_err(|e| CollectError::io(path, e))
}

/// Reads a small sysfs attribute into a stack buffer and returns it trimmed: no allocation for the
/// many one-number files under /sys.
fn read_small<'a>(path: &Path, buf: &'a mut [u8; 256]) -> std::io::Result<&'a str> {
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    std::str::from_utf8(&buf[..n]).map(str::trim).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Reads a sysfs attribute holding one unsigned integer.
fn read_small_u64(path: &Path) -> std::io::Result<u64> {
    let mut buf = [0u8; 256];
    let s = read_small(path, &mut buf)?;
    s.parse().map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// node_exporter's device filter: a device is ignored if it matches the exclude regex or does not
/// match the include regex (at most one of them is set).
struct DeviceFilter {
    exclude: Option<Regex>,
    include: Option<Regex>,
}

impl DeviceFilter {
    fn new(key: &str, exclude: &str, include: &str) -> Result<Self, CollectError> {
        if !exclude.is_empty() && !include.is_empty() {
            return Err(CollectError::Config(format!("{key}_exclude and {key}_include are mutually exclusive")));
        }
        Ok(DeviceFilter {
            exclude: compile(&format!("{key}_exclude"), exclude)?,
            include: compile(&format!("{key}_include"), include)?,
        })
    }

    fn ignored(&self, name: &str) -> bool {
        self.exclude.as_ref().is_some_and(|r| r.is_match(name))
            || self.include.as_ref().is_some_and(|r| !r.is_match(name))
    }
}

/// Compiles an optional regex setting; empty means unset.
fn compile(key: &str, pattern: &str) -> Result<Option<Regex>, CollectError> {
    if pattern.is_empty() {
        return Ok(None);
    }
    pharos_goregex::compile(pattern).map(Some).map_err(|e| CollectError::Config(format!("{key}: {e}")))
}

/// A new, empty family.
fn family(name: &str, help: &str, kind: MetricType) -> MetricFamily {
    MetricFamily { name: name.to_string(), help: Some(help.to_string()), kind, metrics: Vec::new() }
}

/// Appends a series to `fam`; empty label values are dropped, as Prometheus does on ingestion.
fn push(fam: &mut MetricFamily, labels: &[(&str, &str)], value: f64) {
    let mut v = Vec::with_capacity(labels.len() + 1);
    v.push(Label::new(pharos_protocol::model::METRIC_NAME_LABEL, fam.name.as_str()));
    v.extend(labels.iter().map(|(n, val)| Label::new(*n, *val)));
    fam.metrics.push(Metric { labels: Labels::from_vec(v), value, timestamp_ms: None });
}

/// Appends a family with one unlabelled series.
fn single(out: &mut Vec<MetricFamily>, name: &str, help: &str, kind: MetricType, value: f64) {
    let mut f = family(name, help, kind);
    push(&mut f, &[], value);
    out.push(f);
}

/// Puts a collection in node_exporter's order: families by name, series by label values; merges
/// families with the same name and drops repeated series (the first wins, as with node_exporter's
/// `ContinueOnError` gathering).
fn normalize(out: &mut Vec<MetricFamily>) {
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.dedup_by(|later, earlier| {
        if later.name == earlier.name {
            earlier.metrics.append(&mut later.metrics);
            true
        } else {
            false
        }
    });
    out.retain(|f| !f.metrics.is_empty());
    for f in out.iter_mut() {
        f.metrics.sort_by(|a, b| a.labels.cmp(&b.labels));
        f.metrics.dedup_by(|later, earlier| later.labels == earlier.labels);
    }
}

#[cfg(test)]
mod tests;
