//! Helpers of the service check tests: starting Debian's servers and exporters on loopback at
//! free ports (stopped by their pid), scraping an exporter, and comparing its families with the
//! agent's.

#![allow(dead_code)]

use pharos_agent::collect::{Collector, MetricFamily, MetricType};
use pharos_agent::config::AgentConfig;
use pharos_protocol::exposition::parse;
use pharos_protocol::Labels;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Fails the test with the Debian package to install when `path` is missing: a missing server or
/// exporter must not let the comparison pass silently.
pub fn require(path: &str, package: &str) {
    assert!(
        Path::new(path).exists(),
        "{path} is missing: install the Debian package `{package}` (apt-get install -y --no-install-recommends {package})"
    );
}

/// A TCP port on 127.0.0.1 nobody listens on (at the time of the call).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local addr").port()
}

/// Whether the test runs as root (then servers are started as their own system user).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A started process, stopped by its pid (SIGTERM, or the signal given to [`Proc::stop`]) when
/// dropped.
pub struct Proc {
    pub name: String,
    pub child: Option<Child>,
    log: std::path::PathBuf,
}

impl Proc {
    /// Starts `cmd` with its output in `<dir>/<name>.log`.
    pub fn start(name: &str, mut cmd: Command, dir: &Path) -> Proc {
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        let child = cmd.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Proc { name: name.to_string(), child: Some(child), log }
    }

    /// The process id.
    pub fn pid(&self) -> i32 {
        self.child.as_ref().map(|c| c.id() as i32).unwrap_or(0)
    }

    /// The end of its log, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Panics (with the log) if the process has exited.
    pub fn assert_running(&mut self) {
        if let Some(c) = self.child.as_mut() {
            if let Ok(Some(status)) = c.try_wait() {
                panic!("{} exited ({status}):\n{}", self.name, self.log_tail());
            }
        }
    }

    /// Sends `signal` to the process by pid and waits (up to 20 s, then SIGKILL) until it exits.
    pub fn stop(&mut self, signal: i32) {
        let Some(mut c) = self.child.take() else { return };
        // SAFETY: kill with the pid of our own child.
        unsafe { libc::kill(c.id() as i32, signal) };
        let began = Instant::now();
        while began.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(_)) = c.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = c.kill();
        let _ = c.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop(libc::SIGTERM);
    }
}

/// A command that runs as system user `user` when the test runs as root (via setpriv, which
/// execs in place so the pid is the program's).
pub fn command_as(user: &str, program: &str) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        c.args([&format!("--reuid={user}"), &format!("--regid={user}"), "--init-groups", program]);
        c
    } else {
        Command::new(program)
    }
}

/// Plain HTTP/1.0 GET of `http://127.0.0.1:PORT/path`: status and body.
pub fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut s = std::net::TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: text/plain\r\n\r\n")?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let code = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((code, body.to_string()))
}

/// Waits until `ok` holds (checking every 100 ms), or panics with `what` after `timeout`.
pub fn wait_for(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let began = Instant::now();
    while !ok() {
        assert!(began.elapsed() < timeout, "{what}: not ready after {timeout:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Scrapes an exporter's `/metrics` and parses it.
pub fn scrape(port: u16) -> Vec<MetricFamily> {
    let (code, body) = http_get(port, "/metrics").expect("scrape");
    assert_eq!(code, 200, "exporter on {port}: {body}");
    parse(&body).unwrap_or_else(|e| panic!("exporter on {port}: {e}"))
}

/// The agent's collector of the single service source configured by `toml`.
pub fn collector(toml: &str) -> Box<dyn Collector> {
    let cfg = AgentConfig::parse(toml).unwrap_or_else(|e| panic!("config: {e}\n{toml}"));
    let mut specs = pharos_agent::collect::services::sources(&cfg.collect.services, &cfg.agent);
    assert_eq!(specs.len(), 1, "one source expected");
    specs.remove(0).collector
}

/// One collection.
pub async fn collect(c: &mut Box<dyn Collector>) -> Vec<MetricFamily> {
    c.collect().await.unwrap_or_else(|e| panic!("collect: {e}"))
}

/// Series of a snapshot: family name and type by series labels (with `__name__`).
type Series = BTreeMap<Labels, (String, MetricType, f64)>;

fn series(fams: &[MetricFamily], ignore: &dyn Fn(&str) -> bool) -> Series {
    let mut out = Series::new();
    for f in fams.iter().filter(|f| !ignore(&f.name)) {
        for m in &f.metrics {
            out.insert(m.labels.clone(), (f.name.clone(), f.kind, m.value));
        }
    }
    out
}

/// How a gauge may differ from the exporter's two readings around the agent's: `None` skips the
/// value check (values that legitimately jump, like latency percentiles), else an absolute and a
/// relative tolerance beyond the range of the two readings.
pub type Tolerance<'a> = &'a dyn Fn(&str) -> Option<(f64, f64)>;

/// What [`compare`] found.
#[derive(Debug, Default)]
pub struct Report {
    /// Differences (empty: parity).
    pub problems: Vec<String>,
    /// Families compared.
    pub families: usize,
    /// Series whose values were compared.
    pub values: usize,
}

/// Compares the agent's snapshot `ours` with the exporter's snapshots `before` and `after` it.
///
/// - families (minus those `ignore` says are about the exporter itself): the same names and types;
/// - series: every series of ours is in one of the exporter's readings, and every series in both
///   of them is in ours;
/// - values: counters lie between the two readings; gauges too, within `tol`; NaN where both
///   readings are NaN.
pub fn compare(
    before: &[MetricFamily],
    ours: &[MetricFamily],
    after: &[MetricFamily],
    ignore: &dyn Fn(&str) -> bool,
    tol: Tolerance<'_>,
) -> Report {
    let mut problems = Vec::new();
    let mut values = 0;
    let kinds = |fams: &[MetricFamily]| -> BTreeMap<String, MetricType> {
        fams.iter().filter(|f| !ignore(&f.name)).map(|f| (f.name.clone(), f.kind)).collect()
    };
    let (k_ours, k_after) = (kinds(ours), kinds(after));
    for (name, kind) in &k_after {
        match k_ours.get(name) {
            None => problems.push(format!("family {name} ({kind:?}) missing from the agent")),
            Some(k) if k != kind => problems.push(format!("family {name}: agent type {k:?}, exporter {kind:?}")),
            _ => {}
        }
    }
    for name in k_ours.keys().filter(|n| !k_after.contains_key(*n)) {
        problems.push(format!("family {name} only in the agent"));
    }
    let (b, o, a) = (series(before, ignore), series(ours, ignore), series(after, ignore));
    for (labels, (fam, _, _)) in &o {
        if !b.contains_key(labels) && !a.contains_key(labels) && k_after.contains_key(fam) {
            problems.push(format!("series {labels:?} only in the agent"));
        }
    }
    for labels in b.keys().filter(|l| a.contains_key(*l)) {
        if !o.contains_key(labels) {
            problems.push(format!("series {labels:?} missing from the agent"));
        }
    }
    for (labels, (fam, kind, v)) in &o {
        let (Some((_, _, vb)), Some((_, _, va))) = (b.get(labels), a.get(labels)) else { continue };
        let (lo, hi) = (vb.min(*va), vb.max(*va));
        if vb.is_nan() && va.is_nan() {
            if !v.is_nan() {
                problems.push(format!("{labels:?}: agent {v}, exporter NaN"));
            }
            continue;
        }
        if vb.is_nan() || va.is_nan() {
            continue;
        }
        let sample = labels.metric_name().unwrap_or(fam.as_str());
        let is_counter = *kind == MetricType::Counter
            || (*kind == MetricType::Summary && (sample.ends_with("_sum") || sample.ends_with("_count")));
        let (abs, rel) = if is_counter {
            // Float counters (CPU seconds) print with rounding: allow for that only.
            (1e-6, 1e-9)
        } else {
            match tol(sample) {
                Some(t) => t,
                None => continue,
            }
        };
        values += 1;
        let slack = abs + rel * lo.abs().max(hi.abs());
        if !(*v >= lo - slack && *v <= hi + slack) {
            problems.push(format!("{labels:?} ({kind:?}): agent {v}, exporter {vb} then {va}"));
        }
    }
    Report { problems, families: k_after.len(), values }
}

/// The ignore rule for the exporter's own families (Go runtime, process, HTTP handler, and the
/// given prefixes / names).
pub fn ignore_own<'a>(prefixes: &'a [&'a str]) -> impl Fn(&str) -> bool + 'a {
    move |name: &str| ["go_", "process_", "promhttp_"].iter().chain(prefixes.iter()).any(|p| name.starts_with(p))
}

/// Asserts that every name in `required` is a family of `fams`.
pub fn assert_families(fams: &[MetricFamily], required: &[&str], who: &str) {
    let names: BTreeSet<&str> = fams.iter().map(|f| f.name.as_str()).collect();
    let missing: Vec<_> = required.iter().filter(|r| !names.contains(*r)).collect();
    assert!(missing.is_empty(), "{who} lacks {missing:?}; has {names:?}");
}

/// Asserts that a snapshot is exactly `<up_name> 0`.
pub fn assert_down(fams: &[MetricFamily], up_name: &str) {
    assert_eq!(fams.len(), 1, "only {up_name} when the server is down: {fams:?}");
    assert_eq!(fams[0].name, up_name);
    assert_eq!(fams[0].kind, MetricType::Gauge);
    assert_eq!(fams[0].metrics.len(), 1);
    assert_eq!(fams[0].metrics[0].value, 0.0);
    assert_eq!(fams[0].metrics[0].labels.len(), 1, "{up_name} has no labels");
}

/// Panics with a readable list when the report has differences, or when fewer than `min_values`
/// values were compared (a comparison that checked nothing proves nothing).
pub fn assert_parity(r: &Report, who: &str, min_values: usize) {
    assert!(r.problems.is_empty(), "{who}: {} differences:\n{}", r.problems.len(), r.problems.join("\n"));
    assert!(r.values >= min_values, "{who}: only {} values compared ({} families)", r.values, r.families);
    eprintln!("{who}: {} families, {} values agree", r.families, r.values);
}
