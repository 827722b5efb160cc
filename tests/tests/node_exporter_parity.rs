//! Parity of the agent's host collector with the real node_exporter 1.5 (Debian's
//! `prometheus-node-exporter`) on this machine.
//!
//! node_exporter is started with just the collectors Pharos implements and with upstream 1.5's
//! default filters (Debian's build patches them), scraped, then `pharos-agent collect-once` runs,
//! then node_exporter is scraped again. Both outputs are parsed with
//! `pharos_protocol::exposition::parse` and must have the same families with the same HELP, TYPE
//! and label sets; fixed values (memory and file system sizes, boot time) must be equal; counters
//! must lie between the two node_exporter readings.

use pharos_protocol::exposition::{parse, MetricFamily, MetricType};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NODE_EXPORTER: &str = "/usr/bin/prometheus-node-exporter";
/// The node_exporter collectors the host collector implements.
const COLLECTORS: [&str; 10] =
    ["cpu", "meminfo", "filesystem", "netdev", "diskstats", "loadavg", "stat", "time", "filefd", "uname"];
/// Upstream node_exporter 1.5's defaults, which Pharos uses; Debian's package instead excludes
/// /run, /mnt, /media and `lo`.
const MOUNT_POINTS_EXCLUDE: &str =
    "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
const NETDEV_DEVICE_EXCLUDE: &str = "";

/// Families the brief requires in both outputs.
const REQUIRED: &[&str] = &[
    "node_cpu_seconds_total",
    "node_memory_MemTotal_bytes",
    "node_memory_Active_anon_bytes",
    "node_memory_HugePages_Total",
    "node_filesystem_size_bytes",
    "node_filesystem_free_bytes",
    "node_filesystem_avail_bytes",
    "node_filesystem_files",
    "node_filesystem_files_free",
    "node_filesystem_readonly",
    "node_filesystem_device_error",
    "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total",
    "node_network_receive_packets_total",
    "node_network_transmit_packets_total",
    "node_network_receive_errs_total",
    "node_network_transmit_errs_total",
    "node_network_receive_drop_total",
    "node_network_transmit_drop_total",
    "node_network_receive_fifo_total",
    "node_network_receive_frame_total",
    "node_network_receive_compressed_total",
    "node_network_receive_multicast_total",
    "node_network_transmit_colls_total",
    "node_network_transmit_carrier_total",
    "node_disk_reads_completed_total",
    "node_disk_writes_completed_total",
    "node_disk_read_bytes_total",
    "node_disk_written_bytes_total",
    "node_disk_io_time_seconds_total",
    "node_disk_io_time_weighted_seconds_total",
    "node_disk_io_now",
    "node_disk_info",
    "node_load1",
    "node_load5",
    "node_load15",
    "node_boot_time_seconds",
    "node_time_seconds",
    "node_context_switches_total",
    "node_intr_total",
    "node_forks_total",
    "node_procs_running",
    "node_procs_blocked",
    "node_filefd_allocated",
    "node_filefd_maximum",
    "node_uname_info",
];

/// Gauges that cannot change between the reads: they must be equal.
const FIXED: &[&str] = &[
    "node_memory_MemTotal_bytes",
    "node_memory_SwapTotal_bytes",
    "node_memory_Hugepagesize_bytes",
    "node_filesystem_size_bytes",
    "node_filesystem_files",
    "node_boot_time_seconds",
    "node_filefd_maximum",
    "node_uname_info",
    "node_disk_info",
];

/// Series of one output: family → label set (without `__name__`, `job`, `instance`) → value.
type Index = BTreeMap<String, BTreeMap<Vec<(String, String)>, f64>>;
/// Family → (HELP, TYPE).
type Meta = BTreeMap<String, (Option<String>, MetricType)>;

/// Kills (SIGKILL, by its own pid) and reaps the child when dropped, also when the test fails.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

fn agent_bin() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"));
    let p = target.join("release").join("pharos-agent");
    assert!(p.exists(), "{} is missing: run `cargo build --release -p pharos-agent` first", p.display());
    p
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn start_node_exporter(port: u16, log: &Path) -> ChildGuard {
    assert!(Path::new(NODE_EXPORTER).exists(), "{NODE_EXPORTER} is missing: apt-get install prometheus-node-exporter");
    let mut args = vec![
        format!("--web.listen-address=127.0.0.1:{port}"),
        "--collector.disable-defaults".to_string(),
        format!("--collector.filesystem.mount-points-exclude={MOUNT_POINTS_EXCLUDE}"),
        format!("--collector.netdev.device-exclude={NETDEV_DEVICE_EXCLUDE}"),
    ];
    args.extend(COLLECTORS.iter().map(|c| format!("--collector.{c}")));
    let log_file = std::fs::File::create(log).expect("log file");
    let child = Command::new(NODE_EXPORTER)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log"))
        .stderr(log_file)
        .spawn()
        .expect("start node_exporter");
    ChildGuard(child)
}

/// GET /metrics with a bare HTTP/1.0 request (node_exporter closes the connection after it).
fn scrape(port: u16) -> std::io::Result<String> {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/plain;version=0.0.4\r\n\r\n")?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    let (head, body) = resp.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::other("no header end"))?;
    if !head.starts_with("HTTP/1.0 200") && !head.starts_with("HTTP/1.1 200") {
        return Err(std::io::Error::other(format!("unexpected response: {head}")));
    }
    Ok(body.to_string())
}

fn wait_ready(ne: &mut ChildGuard, port: u16, log: &Path) {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = ne.0.try_wait() {
            panic!("node_exporter exited ({status}): {}", std::fs::read_to_string(log).unwrap_or_default());
        }
        if scrape(port).is_ok() {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "node_exporter not ready after 15 s");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn collect_once(dir: &Path) -> String {
    // An empty configuration: everything at its defaults (the host collector's are upstream
    // node_exporter's).
    let config = dir.join("agent.toml");
    std::fs::write(&config, "").expect("write config");
    let out = Command::new(agent_bin())
        .arg("collect-once")
        .arg("--config")
        .arg(&config)
        .stdin(Stdio::null())
        .output()
        .expect("run pharos-agent collect-once");
    assert!(
        out.status.success(),
        "pharos-agent collect-once failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The node_ families (without node_exporter's own build info), keyed for comparison.
fn index(text: &str, who: &str) -> (Meta, Index) {
    let fams: Vec<MetricFamily> = parse(text).unwrap_or_else(|e| panic!("parsing {who}'s output: {e}\n{text}"));
    let mut meta = Meta::new();
    let mut idx = Index::new();
    for f in fams {
        if !f.name.starts_with("node_") || f.name == "node_exporter_build_info" {
            continue;
        }
        meta.insert(f.name.clone(), (f.help.clone(), f.kind));
        let series = idx.entry(f.name.clone()).or_default();
        for m in f.metrics {
            let key: Vec<(String, String)> = m
                .labels
                .iter()
                .filter(|l| !matches!(l.name.as_str(), "__name__" | "job" | "instance"))
                .map(|l| (l.name.clone(), l.value.clone()))
                .collect();
            assert!(series.insert(key.clone(), m.value).is_none(), "{who}: duplicate series {} {key:?}", f.name);
        }
    }
    (meta, idx)
}

/// Relative slack for float rounding in the comparisons.
fn tolerance(v: f64) -> f64 {
    1e-9 * v.abs().max(1.0)
}

#[test]
fn host_collector_matches_node_exporter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let log = dir.path().join("node_exporter.log");
    let mut ne = start_node_exporter(port, &log);
    wait_ready(&mut ne, port, &log);

    let before = scrape(port).expect("first scrape");
    let ours = collect_once(dir.path());
    let after = scrape(port).expect("second scrape");
    drop(ne);

    let (meta_a, a) = index(&before, "node_exporter (before)");
    let (meta_ours, us) = index(&ours, "pharos-agent");
    let (_, c) = index(&after, "node_exporter (after)");
    let mut problems: Vec<String> = Vec::new();

    for name in REQUIRED {
        for (who, idx) in [("node_exporter", &a), ("pharos-agent", &us)] {
            if idx.get(*name).is_none_or(|s| s.is_empty()) {
                problems.push(format!("{who} lacks required family {name}"));
            }
        }
    }

    let families_ne: BTreeSet<&String> = a.keys().chain(c.keys()).collect();
    let families_us: BTreeSet<&String> = us.keys().collect();
    for f in families_ne.difference(&families_us) {
        problems.push(format!("family {f} only in node_exporter"));
    }
    for f in families_us.difference(&families_ne) {
        problems.push(format!("family {f} only in pharos-agent"));
    }

    for (name, ours_series) in &us {
        let (Some(sa), Some(sc)) = (a.get(name), c.get(name)) else { continue };
        if let (Some(m_ne), Some(m_us)) = (meta_a.get(name), meta_ours.get(name)) {
            if m_ne != m_us {
                problems.push(format!("{name}: HELP/TYPE {m_us:?}, node_exporter has {m_ne:?}"));
            }
        }
        // Same label sets, modulo devices that appeared or vanished between the two scrapes.
        for key in ours_series.keys() {
            if !sa.contains_key(key) && !sc.contains_key(key) {
                problems.push(format!("{name}{key:?} only in pharos-agent"));
            }
        }
        for key in sa.keys().filter(|k| sc.contains_key(*k)) {
            if !ours_series.contains_key(key) {
                problems.push(format!("{name}{key:?} only in node_exporter"));
            }
        }
        let is_counter = meta_a.get(name).is_some_and(|(_, k)| *k == MetricType::Counter);
        for (key, &v) in ours_series {
            let (Some(&va), Some(&vc)) = (sa.get(key), sc.get(key)) else { continue };
            if FIXED.contains(&name.as_str()) && va == vc && (v - va).abs() > tolerance(va) {
                problems.push(format!("{name}{key:?} = {v}, node_exporter says {va}"));
            }
            if is_counter {
                // idle and iowait come from tickless accounting that can step back a little; the
                // long-running node_exporter hides that with its cache, a fresh process cannot.
                let mode = key.iter().find(|(k, _)| k == "mode").map(|(_, m)| m.as_str());
                let slack =
                    if name == "node_cpu_seconds_total" && matches!(mode, Some("idle" | "iowait")) { 0.1 } else { 0.0 };
                let (lo, hi) = (va.min(vc), va.max(vc));
                if v < lo - tolerance(lo) - slack || v > hi + tolerance(hi) + slack {
                    problems.push(format!("{name}{key:?} = {v}, not within node_exporter's [{va}, {vc}]"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}
