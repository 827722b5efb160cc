//! The container collector against a real Docker engine (Debian's docker.io) with the test
//! containers of `shared/scripts/container-engine.sh`: t-idle, t-cpu (`--cpus 0.5 --memory 64m`),
//! t-io (writes to disk) and t-net (pings the bridge).
//!
//! If the engine or a test container is not running, the tests start them with the script (which
//! needs root and Debian's docker.io and busybox-static packages, which it installs); if that
//! fails they fail and say why: they never pass without having looked at an engine.

#[path = "support/containers/mod.rs"]
mod support;

use pharos_agent::collect::containers::{ContainersCollector, ContainersConfig, EngineKind};
use pharos_agent::collect::MetricFamily;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use support::{cgroup_of, collect, get, sum};

const SOCKET: &str = "/var/run/docker.sock";
const TEST_CONTAINERS: [&str; 4] = ["t-idle", "t-cpu", "t-io", "t-net"];

/// The engine script: `PHAROS_CONTAINER_ENGINE_SCRIPT`, else `shared/scripts/` beside the checkout.
fn script() -> PathBuf {
    if let Ok(p) = std::env::var("PHAROS_CONTAINER_ENGINE_SCRIPT") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/scripts/container-engine.sh")
}

/// The names of the running containers, or why the engine could not be asked.
fn running() -> Result<Vec<String>, String> {
    let out = Command::new("docker")
        .args(["ps", "--format", "{{.Names}}"])
        .env("DOCKER_HOST", format!("unix://{SOCKET}"))
        .output()
        .map_err(|e| format!("running docker: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
}

/// The v1 cpu hierarchy's cgroup of the container's init process, as the host sees it.
fn cgroup_of_container(name: &str) -> Option<String> {
    let out = Command::new("docker")
        .args(["inspect", "-f", "{{.State.Pid}}", name])
        .env("DOCKER_HOST", format!("unix://{SOCKET}"))
        .output()
        .ok()?;
    cgroup_of(String::from_utf8_lossy(&out.stdout).trim())
}

fn all_running() -> bool {
    running().map(|r| TEST_CONTAINERS.iter().all(|t| r.iter().any(|n| n == t))).unwrap_or(false)
}

/// Makes sure the engine and the four test containers run; once per test binary.
fn ensure_engine() {
    static DONE: Mutex<Option<Result<(), String>>> = Mutex::new(None);
    let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
    if done.is_none() {
        *done = Some(start_engine());
    }
    if let Some(Err(e)) = done.as_ref() {
        panic!("no container engine for the test: {e}");
    }
}

fn start_engine() -> Result<(), String> {
    if all_running() {
        return Ok(());
    }
    let script = script();
    if !script.exists() {
        return Err(format!("{} not found (set PHAROS_CONTAINER_ENGINE_SCRIPT)", script.display()));
    }
    // `down` first: a half-started set (an engine without its containers) would make `up` fail
    // on the existing names.
    let _ = Command::new("bash").arg(&script).arg("down").status();
    let out = Command::new("bash")
        .arg(&script)
        .arg("up")
        .output()
        .map_err(|e| format!("running {}: {e}", script.display()))?;
    if !out.status.success() || !all_running() {
        return Err(format!(
            "`{} up` did not start the engine and t-idle, t-cpu, t-io, t-net (needs root, apt access for \
             docker.io and busybox-static): status {}\n{}\n{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

fn collector() -> ContainersCollector {
    let cfg = ContainersConfig { enabled: Some(true), socket: Some(SOCKET.into()), ..Default::default() };
    ContainersCollector::new(&cfg, PathBuf::from(SOCKET), Duration::from_secs(10))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_engine_families_for_each_test_container() {
    ensure_engine();
    let mut c = collector();
    let f = collect(&mut c, "the engine").await;
    assert_eq!(c.engine().map(|e| e.kind), Some(EngineKind::Docker), "told Docker from Podman");
    for name in TEST_CONTAINERS {
        for family in [
            "container_cpu_user_seconds_total",
            "container_cpu_system_seconds_total",
            "container_cpu_cfs_periods_total",
            "container_cpu_cfs_throttled_periods_total",
            "container_cpu_cfs_throttled_seconds_total",
            "container_memory_usage_bytes",
            "container_memory_working_set_bytes",
            "container_memory_rss",
            "container_memory_cache",
            "container_spec_memory_limit_bytes",
            "container_processes",
            "container_start_time_seconds",
            "container_last_seen",
        ] {
            assert!(get(&f, family, name, &[]).is_some(), "{family} of {name} missing");
        }
        assert!(get(&f, "container_cpu_usage_seconds_total", name, &[("cpu", "total")]).is_some(), "cpu of {name}");
        for family in [
            "container_network_receive_bytes_total",
            "container_network_receive_packets_total",
            "container_network_receive_errors_total",
            "container_network_receive_packets_dropped_total",
            "container_network_transmit_bytes_total",
            "container_network_transmit_packets_total",
            "container_network_transmit_errors_total",
            "container_network_transmit_packets_dropped_total",
        ] {
            assert!(get(&f, family, name, &[("interface", "eth0")]).is_some(), "{family} of {name} missing");
        }
        let m = f
            .iter()
            .flat_map(|f| &f.metrics)
            .find(|m| m.labels.get("name") == Some(name))
            .expect("a series of the container");
        let id = m.labels.get("id").unwrap_or("");
        assert!(id.starts_with("/docker/") && id.len() == "/docker/".len() + 64, "id label {id}");
        // cAdvisor's id is the container's cgroup, as the host's /proc names it.
        assert_eq!(Some(id.to_string()), cgroup_of_container(name), "id label of {name}");
        assert_eq!(m.labels.get("image"), Some("local/busybox"));
    }
    assert_eq!(get(&f, "container_spec_memory_limit_bytes", "t-cpu", &[]), Some(67108864.0));
    assert_eq!(get(&f, "container_spec_memory_limit_bytes", "t-idle", &[]), Some(0.0), "unlimited is 0");
    assert!(get(&f, "container_fs_writes_bytes_total", "t-io", &[]).is_some(), "fs writes of t-io");
    let started = get(&f, "container_start_time_seconds", "t-cpu", &[]).unwrap_or(0.0);
    let seen = get(&f, "container_last_seen", "t-cpu", &[]).unwrap_or(0.0);
    assert!(started > 1.5e9 && started <= seen, "start {started}, last seen {seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_engine_cpu_of_limited_container_is_half_a_core() {
    ensure_engine();
    let mut c = collector();
    let t0 = Instant::now();
    let a = collect(&mut c, "the engine").await;
    let t0 = t0 + t0.elapsed() / 2;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let t1 = Instant::now();
    let b = collect(&mut c, "the engine").await;
    let t1 = t1 + t1.elapsed() / 2;
    let cpu = |f: &[MetricFamily]| get(f, "container_cpu_usage_seconds_total", "t-cpu", &[("cpu", "total")]);
    let (Some(x), Some(y)) = (cpu(&a), cpu(&b)) else { panic!("no CPU figure for t-cpu") };
    let rate = (y - x) / (t1 - t0).as_secs_f64();
    eprintln!("t-cpu used {rate:.3} cores");
    assert!((rate - 0.5).abs() <= 0.15, "t-cpu (--cpus 0.5) used {rate:.3} cores");
    let throttled =
        |f: &[MetricFamily]| get(f, "container_cpu_cfs_throttled_periods_total", "t-cpu", &[]).unwrap_or(0.0);
    assert!(throttled(&b) > throttled(&a), "a container at its CPU quota is throttled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_engine_io_and_network_counters_move() {
    ensure_engine();
    let mut c = collector();
    let a = collect(&mut c, "the engine").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let b = collect(&mut c, "the engine").await;
    let moved = |family: &str, name: &str| sum(&b, family, name) - sum(&a, family, name);
    assert!(moved("container_fs_writes_bytes_total", "t-io") > 0.0, "t-io wrote nothing");
    assert!(moved("container_network_transmit_bytes_total", "t-net") > 0.0, "t-net sent nothing");
    assert!(moved("container_network_receive_bytes_total", "t-net") > 0.0, "t-net received nothing");
    assert!(moved("container_network_transmit_packets_total", "t-net") > 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_engine_removed_container_ends_with_staleness_markers() {
    ensure_engine();
    let name = format!("t-stale-{}", std::process::id());
    let docker = |args: &[&str]| {
        Command::new("docker")
            .args(args)
            .env("DOCKER_HOST", format!("unix://{SOCKET}"))
            .output()
            .map(|o| o.status.success())
    };
    assert_eq!(
        docker(&["run", "-d", "--name", &name, "local/busybox", "sleep", "300"]).ok(),
        Some(true),
        "start {name}"
    );
    let mut c = collector();
    let mut asm = pharos_agent::assemble::Assembler::new("cadvisor", "h1");
    let first = asm.assemble(&collect(&mut c, "the engine").await, 1000);
    let _ = docker(&["rm", "-f", &name]);
    let second = asm.assemble(&collect(&mut c, "the engine").await, 2000);
    let of_it = |s: &pharos_protocol::Series| s.labels.get("name") == Some(name.as_str());
    let before = first.iter().filter(|s| of_it(s)).count();
    let stale: Vec<_> = second.iter().filter(|s| of_it(s)).collect();
    assert!(before >= 10, "{name} had {before} series");
    assert_eq!(stale.len(), before, "every series of the removed container ends");
    assert!(stale.iter().all(|s| pharos_protocol::is_stale_nan(s.samples[0].value)));
}
