//! The container collector against Podman's Docker-compatible API (Debian 12's podman 4.3,
//! rootful, cgroupfs, CNI bridge), started by the test on a socket of its own:
//! `podman system service --time=0 unix://<tmp>/podman.sock` with its own storage in a temporary
//! directory, stopped by its pid at the end. The image is made as `container-engine.sh` makes
//! Docker's (Debian's static busybox, `podman import`): nothing is pulled.
//!
//! Test containers: p-idle, p-cpu (`--cpus 0.5 --memory 64m`, busy loop), p-io (writes to disk),
//! p-net (pings its bridge's gateway). The collector must give them the same families and labels
//! as cAdvisor's podman handler would, and as the Docker test checks for Docker.
//!
//! Needs root and Debian's podman and busybox-static packages (the test command installs them);
//! without them the test fails and says why: it never passes without having looked at Podman.

#[path = "support/containers/mod.rs"]
mod support;

use pharos_agent::collect::containers::{ContainersCollector, ContainersConfig, Engine, EngineKind};
use pharos_agent::collect::{CollectError, Collector, MetricFamily};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{cgroup_of, collect, get, sum};

const IMAGE: &str = "local/busybox:latest";
/// What Podman's compatible API says the image is (`Config.Image`), cAdvisor's `image` label.
const IMAGE_LABEL: &str = "localhost/local/busybox:latest";
const CONTAINERS: [&str; 4] = ["p-idle", "p-cpu", "p-io", "p-net"];
/// No CAP_SYS_RESOURCE in this project's sandboxes: podman's default rlimits (nofile and nproc
/// at 1048576) cannot be set there ("error setting rlimit type 7: operation not permitted").
const ULIMITS: [&str; 4] = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

/// A podman with its own storage and API service; everything is removed when dropped.
struct Podman {
    dir: tempfile::TempDir,
    socket: PathBuf,
    service: Option<Child>,
}

impl Podman {
    fn global_args(dir: &Path) -> Vec<String> {
        let d = |s: &str| dir.join(s).display().to_string();
        vec![
            "--root".into(),
            d("root"),
            "--runroot".into(),
            d("run"),
            "--tmpdir".into(),
            d("tmp"),
            "--cgroup-manager".into(),
            "cgroupfs".into(),
            "--events-backend".into(),
            "file".into(),
        ]
    }

    fn podman(&self, args: &[&str]) -> Result<Output, String> {
        Command::new("podman")
            .args(Self::global_args(self.dir.path()))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("running podman: {e}"))
    }

    /// Runs podman; its stdout, or why it failed.
    fn ok(&self, args: &[&str]) -> Result<String, String> {
        let out = self.podman(args)?;
        if !out.status.success() {
            return Err(format!("podman {}: {}\n{}", args.join(" "), out.status, String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn run(&self, name: &str, extra: &[&str], cmd: &str) -> Result<String, String> {
        let mut args = vec!["run", "-d", "--name", name];
        args.extend(ULIMITS);
        args.extend(extra);
        args.extend([IMAGE, "sh", "-c", cmd]);
        self.ok(&args)
    }

    fn start() -> Result<Podman, String> {
        let version = Command::new("podman").arg("--version").output();
        if !version.as_ref().is_ok_and(|o| o.status.success()) {
            return Err("podman is not installed (apt-get install podman)".into());
        }
        if !Path::new("/bin/busybox").exists() {
            return Err("/bin/busybox is missing (apt-get install busybox-static)".into());
        }
        let dir = tempfile::Builder::new().prefix("pharos-podman-").tempdir().map_err(|e| e.to_string())?;
        let socket = dir.path().join("podman.sock");
        let mut p = Podman { dir, socket, service: None };

        // Minimal image from Debian's static busybox, as container-engine.sh makes Docker's.
        let rootfs = p.dir.path().join("rootfs");
        for d in ["bin", "tmp", "proc", "sys", "dev", "etc"] {
            std::fs::create_dir_all(rootfs.join(d)).map_err(|e| e.to_string())?;
        }
        std::fs::copy("/bin/busybox", rootfs.join("bin/busybox")).map_err(|e| e.to_string())?;
        for a in ["sh", "ls", "cat", "sleep", "dd", "ping", "ip", "sed", "head", "true"] {
            std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(a)).map_err(|e| e.to_string())?;
        }
        let import = format!(
            "tar -C '{}' -c . | podman {} import -c 'ENV PATH=/bin' -c 'CMD [\"/bin/sh\"]' - {IMAGE}",
            rootfs.display(),
            Self::global_args(p.dir.path()).join(" ")
        );
        let out = Command::new("sh").arg("-c").arg(&import).output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("podman import: {}", String::from_utf8_lossy(&out.stderr)));
        }

        // cgroup v1's blkio.throttle counters stay at 0 on this kernel until a throttle rule has
        // been set on the device once (see container-engine.sh): set a very high one.
        let dev = Command::new("findmnt")
            .args(["-nv", "-o", "SOURCE", "--target"])
            .arg(p.dir.path())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        if dev.starts_with("/dev/") {
            let (w, r) = (format!("{dev}:1tb"), format!("{dev}:1tb"));
            let mut args = vec!["run", "--rm", "--network", "none"];
            args.extend(ULIMITS);
            args.extend(["--device-write-bps", &w, "--device-read-bps", &r, IMAGE, "true"]);
            if let Err(e) = p.ok(&args) {
                eprintln!("blkio throttle rule not set (fs counters may stay 0): {e}");
            }
        }

        // The API service, on a socket of its own.
        let service = Command::new("podman")
            .args(Self::global_args(p.dir.path()))
            .args(["system", "service", "--time=0"])
            .arg(format!("unix://{}", p.socket.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(p.dir.path().join("service.log")).map_err(|e| e.to_string())?)
            .spawn()
            .map_err(|e| format!("podman system service: {e}"))?;
        p.service = Some(service);
        let t0 = Instant::now();
        while std::os::unix::net::UnixStream::connect(&p.socket).is_err() {
            if t0.elapsed() > Duration::from_secs(30) {
                return Err(format!("the podman API service did not listen on {}: {}", p.socket.display(), p.log()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }

        p.run("p-idle", &[], "sleep 3600")?;
        p.run("p-cpu", &["--cpus", "0.5", "--memory", "64m"], "while :; do :; done")?;
        p.run(
            "p-io",
            &[],
            "while :; do dd if=/dev/zero of=/tmp/f bs=1M count=20 oflag=direct 2>/dev/null; sleep 1; done",
        )?;
        // ping needs CAP_NET_RAW, which Podman (unlike Docker) does not grant by default.
        p.run(
            "p-net",
            &["--cap-add", "NET_RAW"],
            "GW=$(ip route | sed -n 's/^default via \\([0-9.]*\\).*/\\1/p'); \
             while :; do ping -c 5 -s 1000 \"$GW\" >/dev/null; sleep 1; done",
        )?;
        std::thread::sleep(Duration::from_secs(2));
        let running = p.ok(&["ps", "--format", "{{.Names}}"])?;
        for c in CONTAINERS {
            if !running.lines().any(|l| l == c) {
                let logs = p.ok(&["logs", c]).unwrap_or_default();
                return Err(format!("{c} is not running (running: {running:?}); logs: {logs}"));
            }
        }
        Ok(p)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("service.log")).unwrap_or_default()
    }

    /// Stops the API service by its pid (SIGTERM, then SIGKILL after 10 s) and reaps it.
    fn stop_service(&mut self) {
        let Some(mut child) = self.service.take() else { return };
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// The host pid of a container's init process.
    fn pid(&self, name: &str) -> Option<u32> {
        self.ok(&["inspect", "-f", "{{.State.Pid}}", name]).ok()?.parse().ok()
    }

    fn id(&self, name: &str) -> Option<String> {
        self.ok(&["inspect", "-f", "{{.Id}}", name]).ok()
    }

    fn collector(&self) -> ContainersCollector {
        let cfg = ContainersConfig {
            enabled: Some(true),
            socket: Some(self.socket.display().to_string()),
            ..Default::default()
        };
        ContainersCollector::new(&cfg, self.socket.clone(), Duration::from_secs(10))
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        // Containers first (their conmon processes are not the service's children), then the
        // service; the storage goes with the directory.
        let mut args = vec!["rm", "-f", "-t", "0", "--ignore"];
        args.extend(CONTAINERS);
        let _ = self.podman(&args);
        let _ = self.podman(&["rm", "-a", "-f", "-t", "0"]);
        self.stop_service();
    }
}

fn families_for_each_container(p: &Podman, f: &[MetricFamily]) {
    for name in CONTAINERS {
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
            assert!(get(f, family, name, &[]).is_some(), "{family} of {name} missing");
        }
        assert!(get(f, "container_cpu_usage_seconds_total", name, &[("cpu", "total")]).is_some(), "cpu of {name}");
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
            assert!(get(f, family, name, &[("interface", "eth0")]).is_some(), "{family} of {name} missing");
        }
        assert!(
            !f.iter().flat_map(|f| &f.metrics).any(|m| m.labels.get("interface") == Some("network")),
            "Podman's summed pseudo-interface is reported"
        );
        let series: Vec<_> = f.iter().flat_map(|f| &f.metrics).filter(|m| m.labels.get("name") == Some(name)).collect();
        let id = p.id(name).expect("container id");
        // cAdvisor's id label is the container's cgroup: Podman's cgroupfs manager puts it in
        // /libpod_parent/libpod-<id>; the name label has no `/`; the image is Config.Image.
        let cgroup = format!("/libpod_parent/libpod-{id}");
        let pid = p.pid(name).expect("pid");
        assert_eq!(cgroup_of(&pid.to_string()).as_deref(), Some(cgroup.as_str()), "the host's view of {name}'s cgroup");
        for m in series {
            assert_eq!(m.labels.get("id"), Some(cgroup.as_str()), "id label of {name}");
            assert_eq!(m.labels.get("image"), Some(IMAGE_LABEL), "image label of {name}");
        }
    }
    assert_eq!(get(f, "container_spec_memory_limit_bytes", "p-cpu", &[]), Some(67108864.0));
    assert_eq!(get(f, "container_spec_memory_limit_bytes", "p-idle", &[]), Some(0.0), "unlimited is 0");
    assert!(
        get(f, "container_fs_writes_bytes_total", "p-io", &[("device", "/dev/vda")]).is_some()
            || sum(f, "container_fs_writes_bytes_total", "p-io") > 0.0,
        "fs writes of p-io"
    );
    // The working set is usage minus inactive file pages: never above usage.
    for name in CONTAINERS {
        let usage = get(f, "container_memory_usage_bytes", name, &[]).unwrap_or(0.0);
        let ws = get(f, "container_memory_working_set_bytes", name, &[]).unwrap_or(f64::MAX);
        assert!(usage > 0.0 && ws <= usage, "{name}: usage {usage}, working set {ws}");
    }
    let started = get(f, "container_start_time_seconds", "p-cpu", &[]).unwrap_or(0.0);
    let seen = get(f, "container_last_seen", "p-cpu", &[]).unwrap_or(0.0);
    assert!(started > 1.5e9 && started <= seen, "start {started}, last seen {seen}");
}

async fn counters_move(c: &mut ContainersCollector) {
    let t0 = Instant::now();
    let a = collect(c, "podman").await;
    let t0 = t0 + t0.elapsed() / 2;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let t1 = Instant::now();
    let b = collect(c, "podman").await;
    let t1 = t1 + t1.elapsed() / 2;

    let cpu = |f: &[MetricFamily]| get(f, "container_cpu_usage_seconds_total", "p-cpu", &[("cpu", "total")]);
    let (Some(x), Some(y)) = (cpu(&a), cpu(&b)) else { panic!("no CPU figure for p-cpu") };
    let rate = (y - x) / (t1 - t0).as_secs_f64();
    eprintln!("p-cpu used {rate:.3} cores");
    assert!((rate - 0.5).abs() <= 0.15, "p-cpu (--cpus 0.5) used {rate:.3} cores");
    let throttled =
        |f: &[MetricFamily]| get(f, "container_cpu_cfs_throttled_periods_total", "p-cpu", &[]).unwrap_or(0.0);
    assert!(throttled(&b) > throttled(&a), "a container at its CPU quota is throttled");
    let user = |f: &[MetricFamily]| get(f, "container_cpu_user_seconds_total", "p-cpu", &[]).unwrap_or(0.0);
    assert!(user(&b) > user(&a), "user CPU time of p-cpu");

    let moved = |family: &str, name: &str| sum(&b, family, name) - sum(&a, family, name);
    assert!(moved("container_fs_writes_bytes_total", "p-io") > 0.0, "p-io wrote nothing");
    assert!(moved("container_network_transmit_bytes_total", "p-net") > 0.0, "p-net sent nothing");
    assert!(moved("container_network_receive_bytes_total", "p-net") > 0.0, "p-net received nothing");
    assert!(moved("container_network_transmit_packets_total", "p-net") > 0.0);
    assert!(moved("container_network_receive_packets_total", "p-net") > 0.0);
}

async fn removed_container_goes_stale(p: &Podman, c: &mut ContainersCollector) {
    let name = "p-stale";
    p.run(name, &[], "sleep 300").expect("start p-stale");
    let mut asm = pharos_agent::assemble::Assembler::new("cadvisor", "h1");
    let first = asm.assemble(&collect(c, "podman").await, 1000);
    p.ok(&["rm", "-f", "-t", "0", name]).expect("remove p-stale");
    let second = asm.assemble(&collect(c, "podman").await, 2000);
    let of_it = |s: &pharos_protocol::Series| s.labels.get("name") == Some(name);
    let before = first.iter().filter(|s| of_it(s)).count();
    let stale: Vec<_> = second.iter().filter(|s| of_it(s)).collect();
    assert!(before >= 10, "{name} had {before} series");
    assert_eq!(stale.len(), before, "every series of the removed container ends");
    assert!(stale.iter().all(|s| pharos_protocol::is_stale_nan(s.samples[0].value)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn containers_podman_compat_api() {
    let mut p = match tokio::task::spawn_blocking(Podman::start).await.expect("start task") {
        Ok(p) => p,
        Err(e) => panic!("no podman for the test: {e}"),
    };
    let mut c = p.collector();
    let f = collect(&mut c, "podman").await;
    assert_eq!(c.engine().map(|e| e.kind), Some(EngineKind::Podman), "told Podman from Docker");
    assert_eq!(c.engine(), Some(Engine { kind: EngineKind::Podman, systemd_cgroups: false }));
    families_for_each_container(&p, &f);
    counters_move(&mut c).await;
    removed_container_goes_stale(&p, &mut c).await;

    // The engine goes away: the collector reports itself down, and nothing crashes.
    tokio::task::block_in_place(|| p.stop_service());
    match c.collect().await {
        Err(CollectError::Unavailable(e)) => eprintln!("with the service stopped: {e}"),
        Err(e) => panic!("expected the engine to be unavailable, got {e}"),
        Ok(f) => panic!("collected {} families from a stopped service", f.len()),
    }
    assert!(matches!(c.collect().await, Err(CollectError::Unavailable(_))), "and stays down");
    tokio::task::block_in_place(|| drop(p));
}
