//! node_exporter's `stat` collector: boot time, context switches, interrupts, forks and process
//! counts from /proc/stat (and, optionally, softirqs per vector).

use super::{family, push, single, CollectError, Env, MetricFamily, MetricType, SubCollector};

/// The values of /proc/stat this collector exports.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ProcStat {
    pub boot_time: Option<u64>,
    pub intr: Option<u64>,
    pub ctxt: Option<u64>,
    pub forks: Option<u64>,
    pub procs_running: Option<u64>,
    pub procs_blocked: Option<u64>,
    /// Per-vector softirq counts in kernel order (hi, timer, net_tx, ...).
    pub softirq: Option<[u64; 10]>,
}

/// Vector names of the `softirq` line, in the kernel's order.
const SOFTIRQ_VECTORS: [&str; 10] =
    ["hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer", "rcu"];

pub(super) struct StatCollector {
    softirq: bool,
}

impl StatCollector {
    pub(super) fn new(softirq: bool) -> Self {
        StatCollector { softirq }
    }
}

impl SubCollector for StatCollector {
    fn name(&self) -> &'static str {
        "stat"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let s = {
            let text = env.reader.proc_stat(&env.paths)?;
            parse_proc_stat(&text)
        };
        let mut missing: Vec<&str> = Vec::new();
        for (value, key, name, help, kind) in [
            (s.intr, "intr", "node_intr_total", "Total number of interrupts serviced.", MetricType::Counter),
            (s.ctxt, "ctxt", "node_context_switches_total", "Total number of context switches.", MetricType::Counter),
            (s.forks, "processes", "node_forks_total", "Total number of forks.", MetricType::Counter),
            (s.boot_time, "btime", "node_boot_time_seconds", "Node boot time, in unixtime.", MetricType::Gauge),
            (
                s.procs_running,
                "procs_running",
                "node_procs_running",
                "Number of processes in runnable state.",
                MetricType::Gauge,
            ),
            (
                s.procs_blocked,
                "procs_blocked",
                "node_procs_blocked",
                "Number of processes blocked waiting for I/O to complete.",
                MetricType::Gauge,
            ),
        ] {
            match value {
                Some(v) => single(out, name, help, kind, v as f64),
                None => missing.push(key),
            }
        }
        if self.softirq {
            match s.softirq {
                Some(counts) => {
                    let mut f = family("node_softirqs_total", "Number of softirq calls.", MetricType::Counter);
                    for (vector, v) in SOFTIRQ_VECTORS.iter().zip(counts) {
                        push(&mut f, &[("vector", vector)], v as f64);
                    }
                    out.push(f);
                }
                None => missing.push("softirq"),
            }
        }
        // node_exporter fails the collector if a line is missing; we still export the others.
        if missing.is_empty() {
            Ok(())
        } else {
            Err(CollectError::parse(env.paths.proc("stat"), format!("no valid {} line", missing.join(", "))))
        }
    }
}

/// Parses the non-CPU lines of /proc/stat. Only the first number of `intr` is parsed: the
/// per-IRQ counts that follow can be thousands of numbers nobody exports.
pub(super) fn parse_proc_stat(text: &str) -> ProcStat {
    let mut s = ProcStat::default();
    for line in text.lines() {
        let mut fields = line.split_ascii_whitespace();
        let (Some(key), Some(first)) = (fields.next(), fields.next()) else { continue };
        let slot = match key {
            "btime" => &mut s.boot_time,
            "intr" => &mut s.intr,
            "ctxt" => &mut s.ctxt,
            "processes" => &mut s.forks,
            "procs_running" => &mut s.procs_running,
            "procs_blocked" => &mut s.procs_blocked,
            "softirq" => {
                // "softirq <total> <hi> <timer> ...": the total is not exported.
                let mut counts = [0u64; 10];
                let mut n = 0;
                for (slot, f) in counts.iter_mut().zip(fields.by_ref()) {
                    match f.parse() {
                        Ok(v) => {
                            *slot = v;
                            n += 1;
                        }
                        Err(_) => break,
                    }
                }
                if n == counts.len() && first.parse::<u64>().is_ok() {
                    s.softirq = Some(counts);
                } else {
                    tracing::warn!(line, "skipping malformed softirq line in /proc/stat");
                }
                continue;
            }
            _ => continue,
        };
        match first.parse() {
            Ok(v) => *slot = Some(v),
            Err(_) => tracing::warn!(line, "skipping malformed line in /proc/stat"),
        }
    }
    s
}
