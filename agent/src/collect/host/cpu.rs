//! node_exporter's `cpu` collector: `node_cpu_seconds_total{cpu,mode}`,
//! `node_cpu_guest_seconds_total{cpu,mode}`, `node_cpu_isolated{cpu}` and the thermal throttle
//! counters, from /proc/stat and /sys/devices/system/cpu.

use super::{family, push, read_small_u64, CollectError, Env, MetricFamily, MetricType, Paths, SubCollector};
use std::collections::HashMap;

/// procfs divides /proc/stat's ticks by a fixed USER_HZ of 100 rather than asking sysconf: the
/// kernel exports these counters in USER_HZ, which is 100 on every Linux architecture.
const USER_HZ: f64 = 100.0;
/// node_exporter resets a CPU's cached counters when idle goes back by this much (CPU hotplug).
const JUMP_BACK_SECONDS: f64 = 3.0;
/// A "cpuN" line with a larger N is treated as malformed rather than growing a huge table.
const MAX_CPUS: usize = 1 << 16;

/// Seconds spent per mode by one CPU (already divided by USER_HZ).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct CpuTimes {
    pub user: f64,
    pub nice: f64,
    pub system: f64,
    pub idle: f64,
    pub iowait: f64,
    pub irq: f64,
    pub softirq: f64,
    pub steal: f64,
    pub guest: f64,
    pub guest_nice: f64,
}

/// Topology of one CPU: the keys of the throttle counters.
#[derive(Debug, Clone, Copy)]
struct Topology {
    package: u64,
    core: u64,
}

pub(super) struct CpuCollector {
    guest: bool,
    /// Last exported values: counters are never exported lower than before (node_exporter).
    cache: Vec<CpuTimes>,
    /// Scratch table for the current /proc/stat.
    current: Vec<CpuTimes>,
    /// CPUs listed in /sys/devices/system/cpu/isolated, read once at start like node_exporter.
    isolated: Option<Vec<u32>>,
    /// physical_package_id and core_id per CPU number; they do not change while a CPU exists.
    topology: HashMap<u32, Topology>,
    /// None until the first pass; then whether any CPU has thermal_throttle counters. On VMs and
    /// most non-Intel machines none has, and later collections skip the per-CPU sysfs reads.
    throttle_supported: Option<bool>,
}

impl CpuCollector {
    pub(super) fn new(paths: &Paths, guest: bool) -> Self {
        let path = paths.sys("devices/system/cpu/isolated");
        let isolated = match std::fs::read_to_string(&path) {
            Ok(s) => match parse_cpu_list(&s) {
                Some(v) => Some(v),
                None => {
                    tracing::warn!(path = %path.display(), "cannot parse isolated CPU list, ignoring it");
                    None
                }
            },
            Err(e) => {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(path = %path.display(), error = %e, "cannot read isolated CPU list");
                }
                None
            }
        };
        CpuCollector {
            guest,
            cache: Vec::new(),
            current: Vec::new(),
            isolated,
            topology: HashMap::new(),
            throttle_supported: None,
        }
    }

    /// Folds a fresh reading into the cache the way node_exporter 1.5 does: a counter that went
    /// backwards keeps its previous value, and a big idle jump back resets the CPU (hotplug).
    fn update_cache(&mut self) {
        if self.cache.len() != self.current.len() {
            self.cache.clear();
            self.cache.resize(self.current.len(), CpuTimes::default());
        }
        for (old, new) in self.cache.iter_mut().zip(&self.current) {
            if old.idle - new.idle >= JUMP_BACK_SECONDS {
                tracing::debug!("CPU idle counter jumped back, possible hotplug event, resetting CPU stats");
                *old = CpuTimes::default();
            }
            for (o, n) in [
                (&mut old.idle, new.idle),
                (&mut old.user, new.user),
                (&mut old.nice, new.nice),
                (&mut old.system, new.system),
                (&mut old.iowait, new.iowait),
                (&mut old.irq, new.irq),
                (&mut old.softirq, new.softirq),
                (&mut old.steal, new.steal),
                (&mut old.guest, new.guest),
                (&mut old.guest_nice, new.guest_nice),
            ] {
                if n >= *o {
                    *o = n;
                }
            }
        }
    }

    fn update_throttles(&mut self, paths: &Paths, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        if self.throttle_supported == Some(false) {
            return Ok(());
        }
        let dir = paths.sys("devices/system/cpu");
        let entries = std::fs::read_dir(&dir).map_err(|e| CollectError::io(&dir, e))?;
        // Sorted like Go's filepath.Glob, so that "first CPU of a core" is the same one.
        let mut cpus: Vec<(String, u32)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let digits = name.strip_prefix("cpu")?;
                if !digits.starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                let n = digits.parse().ok()?;
                Some((name, n))
            })
            .collect();
        cpus.sort();

        let mut packages: Vec<(u64, u64)> = Vec::new();
        let mut cores: Vec<(u64, u64, u64)> = Vec::new();
        let mut core_seen: Vec<(u64, u64)> = Vec::new();
        for (name, n) in &cpus {
            let cpu_dir = dir.join(name);
            let topo = match self.topology.get(n) {
                Some(t) => *t,
                None => {
                    let package = read_small_u64(&cpu_dir.join("topology/physical_package_id"));
                    let core = read_small_u64(&cpu_dir.join("topology/core_id"));
                    match (package, core) {
                        (Ok(package), Ok(core)) => {
                            let t = Topology { package, core };
                            self.topology.insert(*n, t);
                            t
                        }
                        _ => continue,
                    }
                }
            };
            // Core counters before package counters: some CPUs have only the former.
            if !core_seen.contains(&(topo.package, topo.core)) {
                core_seen.push((topo.package, topo.core));
                if let Ok(v) = read_small_u64(&cpu_dir.join("thermal_throttle/core_throttle_count")) {
                    cores.push((topo.package, topo.core, v));
                }
            }
            if !packages.iter().any(|(p, _)| *p == topo.package) {
                if let Ok(v) = read_small_u64(&cpu_dir.join("thermal_throttle/package_throttle_count")) {
                    packages.push((topo.package, v));
                }
            }
        }
        if self.throttle_supported.is_none() {
            self.throttle_supported = Some(!packages.is_empty() || !cores.is_empty());
        }
        if !packages.is_empty() {
            let mut f = family(
                "node_cpu_package_throttles_total",
                "Number of times this CPU package has been throttled.",
                MetricType::Counter,
            );
            for (p, v) in packages {
                push(&mut f, &[("package", &p.to_string())], v as f64);
            }
            out.push(f);
        }
        if !cores.is_empty() {
            let mut f = family(
                "node_cpu_core_throttles_total",
                "Number of times this CPU core has been throttled.",
                MetricType::Counter,
            );
            for (p, c, v) in cores {
                push(&mut f, &[("package", &p.to_string()), ("core", &c.to_string())], v as f64);
            }
            out.push(f);
        }
        Ok(())
    }
}

impl SubCollector for CpuCollector {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        {
            let text = env.reader.proc_stat(&env.paths)?;
            parse_proc_stat_cpus(&text, &mut self.current);
        }
        self.update_cache();

        let mut seconds = family("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", MetricType::Counter);
        let mut guest = family(
            "node_cpu_guest_seconds_total",
            "Seconds the CPUs spent in guests (VMs) for each mode.",
            MetricType::Counter,
        );
        for (i, t) in self.cache.iter().enumerate() {
            let cpu = i.to_string();
            for (mode, v) in [
                ("user", t.user),
                ("nice", t.nice),
                ("system", t.system),
                ("idle", t.idle),
                ("iowait", t.iowait),
                ("irq", t.irq),
                ("softirq", t.softirq),
                ("steal", t.steal),
            ] {
                push(&mut seconds, &[("cpu", &cpu), ("mode", mode)], v);
            }
            if self.guest {
                // Guest time is also counted in user and nice; exported separately like node_exporter.
                push(&mut guest, &[("cpu", &cpu), ("mode", "user")], t.guest);
                push(&mut guest, &[("cpu", &cpu), ("mode", "nice")], t.guest_nice);
            }
        }
        out.push(seconds);
        out.push(guest);

        if let Some(isolated) = &self.isolated {
            let mut f = family(
                "node_cpu_isolated",
                "Whether each core is isolated, information from /sys/devices/system/cpu/isolated.",
                MetricType::Gauge,
            );
            for cpu in isolated {
                push(&mut f, &[("cpu", &cpu.to_string())], 1.0);
            }
            out.push(f);
        }
        self.update_throttles(&env.paths, out)
    }
}

/// Fills `out` with the per-CPU lines of /proc/stat, indexed by CPU number (missing numbers stay
/// zero, as in procfs). The aggregate `cpu` line and malformed lines are skipped.
pub(super) fn parse_proc_stat_cpus(text: &str, out: &mut Vec<CpuTimes>) {
    out.clear();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("cpu") else { continue };
        let mut fields = rest.split_ascii_whitespace();
        let Some(id) = fields.next() else { continue };
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            continue; // "cpu  ..." is the total over all CPUs
        }
        let id: usize = match id.parse() {
            Ok(n) if n < MAX_CPUS => n,
            _ => {
                tracing::warn!(line, "skipping malformed cpu line in /proc/stat");
                continue;
            }
        };
        let mut vals = [0f64; 10];
        let mut count = 0;
        let mut bad = false;
        for (slot, field) in vals.iter_mut().zip(fields) {
            match field.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    *slot = v / USER_HZ;
                    count += 1;
                }
                _ => {
                    bad = true;
                    break;
                }
            }
        }
        // Kernels since 2.6 print at least user, nice, system, idle; later fields were added over
        // time and default to zero like in procfs.
        if bad || count < 4 {
            tracing::warn!(line, "skipping malformed cpu line in /proc/stat");
            continue;
        }
        if out.len() <= id {
            out.resize(id + 1, CpuTimes::default());
        }
        let [user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice] = vals;
        out[id] = CpuTimes { user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice };
    }
}

/// Parses a kernel CPU list such as `0-3,8,10-11` (empty is an empty list).
pub(super) fn parse_cpu_list(s: &str) -> Option<Vec<u32>> {
    let mut v = Vec::new();
    for part in s.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
                if b < a || b - a > MAX_CPUS as u32 {
                    return None;
                }
                v.extend(a..=b);
            }
            None => v.push(part.parse().ok()?),
        }
    }
    Some(v)
}
