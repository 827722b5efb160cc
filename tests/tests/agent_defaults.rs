//! What the agent collects with an empty configuration file (every collector on by default where
//! it can detect its source), as `pharos-agent collect-once` shows it, and what an enabled
//! collector whose source is unreachable reports instead of crashing.
//!
//! Detection today (agent/src/collect/*): host metrics always; containers when the engine's socket
//! (`DOCKER_HOST` if `unix://`, else /var/run/docker.sock) exists at start; services (Redis on
//! 127.0.0.1:6379, PostgreSQL's Debian socket, nginx's http://127.0.0.1/stub_status) when found at
//! start; the textfile collector when its directory exists; probes and scrape targets only when
//! configured.
//!
//! The container engine is a fake one here (a unix socket answering the Docker API with the
//! collector's Podman fixtures), so that detection is checked on any machine; when a real engine
//! answers on /var/run/docker.sock, a third check reads it with the same empty configuration.

use pharos_e2e::{agent_collect_once, sample_value, wait_for, Agent, Aggregator, Proc};
use pharos_protocol::exposition::MetricFamily;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::time::Duration;

const PODMAN_LIST: &str = include_str!("../../agent/src/collect/containers/fixtures/podman_list.json");
const PODMAN_INSPECT: &str = include_str!("../../agent/src/collect/containers/fixtures/podman_inspect.json");
const PODMAN_STATS: &str = include_str!("../../agent/src/collect/containers/fixtures/podman_stats.json");

/// The host name, which an empty configuration uses as the agent's name (`instance`).
fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into our buffer.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    assert_eq!(rc, 0, "gethostname");
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

fn parse(out: &str) -> Vec<MetricFamily> {
    pharos_protocol::exposition::parse(out).unwrap_or_else(|e| panic!("collect-once output does not parse: {e}\n{out}"))
}

fn family<'a>(fams: &'a [MetricFamily], name: &str) -> Option<&'a MetricFamily> {
    fams.iter().find(|f| f.name == name)
}

/// Host metrics with `job="node"` and `instance` = `name`.
fn assert_host_metrics(fams: &[MetricFamily], name: &str, out: &str) {
    for f in ["node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_load1", "node_filesystem_avail_bytes"] {
        let fam = family(fams, f).unwrap_or_else(|| panic!("no {f} in collect-once output:\n{out}"));
        for m in &fam.metrics {
            assert_eq!(m.labels.get("job"), Some("node"), "{f}: {:?}", m.labels);
            assert_eq!(m.labels.get("instance"), Some(name), "{f}: {:?}", m.labels);
        }
    }
}

fn container_families(fams: &[MetricFamily]) -> Vec<&MetricFamily> {
    fams.iter().filter(|f| f.name.starts_with("container_")).collect()
}

/// A fake container engine on a unix socket: answers `/version`, the container list, inspect and
/// stats with the collector's Podman fixtures (as agent/src/collect/containers/tests.rs does), on
/// its own thread, until the test process ends. The socket is the detection signal.
fn fake_engine(path: &Path) {
    let listener = UnixListener::bind(path).expect("bind fake engine");
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || serve(conn));
        }
    });
}

fn serve(mut conn: UnixStream) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        buf.drain(..end + 4);
        let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
        let path = target.split('?').next().unwrap_or("");
        let body = if path.ends_with("/version") {
            r#"{"Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24"}"#
        } else if path.ends_with("/containers/json") {
            PODMAN_LIST
        } else if path.ends_with("/stats") {
            PODMAN_STATS
        } else if path.ends_with("/json") {
            PODMAN_INSPECT
        } else {
            "{}"
        };
        // One JSON document per line, as engines send them (bollard reads stats as a line stream).
        let body = serde_json::from_str::<serde_json::Value>(body).map(|v| v.to_string()).unwrap_or_default();
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if conn.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

#[test]
fn an_empty_config_collects_host_metrics_and_detected_containers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("empty.toml");
    std::fs::write(&cfg, "").expect("write");
    let name = host_name();

    // An engine socket exists (DOCKER_HOST, as the docker CLI reads it): container families appear.
    let sock = dir.path().join("engine.sock");
    fake_engine(&sock);
    let docker_host = format!("unix://{}", sock.display());
    let (ok, out, err) = agent_collect_once(&cfg, &[("DOCKER_HOST", &docker_host)]);
    assert!(ok, "collect-once failed: {err}");
    let fams = parse(&out);
    assert_host_metrics(&fams, &name, &out);
    let mem = family(&fams, "container_memory_usage_bytes")
        .unwrap_or_else(|| panic!("no container families with an engine socket present:\n{out}\nstderr:\n{err}"));
    let web = mem
        .metrics
        .iter()
        .find(|m| m.labels.get("name") == Some("pod-web"))
        .unwrap_or_else(|| panic!("pod-web's memory: {:?}", mem.metrics));
    assert_eq!(web.value, 7340032.0);
    assert_eq!((web.labels.get("job"), web.labels.get("instance")), (Some("cadvisor"), Some(name.as_str())));
    for f in ["container_cpu_usage_seconds_total", "container_last_seen", "container_start_time_seconds"] {
        assert!(family(&fams, f).is_some(), "{f} with an engine present:\n{out}");
    }

    // No socket there: the container collector stays off, silently; host metrics as before.
    let missing = format!("unix://{}", dir.path().join("no-engine.sock").display());
    let (ok, out, err) = agent_collect_once(&cfg, &[("DOCKER_HOST", &missing)]);
    assert!(ok, "collect-once failed: {err}");
    let fams = parse(&out);
    assert_host_metrics(&fams, &name, &out);
    assert!(container_families(&fams).is_empty(), "no engine, no container families:\n{out}");
    assert!(!err.contains("collector=containers"), "an undetected source is not an error: {err}");
}

/// With the machine's own engine, when one runs (/var/run/docker.sock, or the socket in
/// `PHAROS_E2E_DOCKER_SOCKET`): the same empty configuration reads it.
#[test]
fn an_empty_config_reads_the_local_docker_engine_when_one_runs() {
    let custom = std::env::var("PHAROS_E2E_DOCKER_SOCKET").ok();
    let sock = custom.clone().unwrap_or_else(|| "/var/run/docker.sock".into());
    let answers = UnixStream::connect(&sock)
        .and_then(|mut s| {
            s.set_read_timeout(Some(Duration::from_secs(5)))?;
            s.write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")?;
            let mut r = String::new();
            s.read_to_string(&mut r)?;
            Ok(r.ends_with("OK"))
        })
        .unwrap_or(false);
    if !answers {
        eprintln!("no Docker engine answers on {sock}: only the fake engine's check ran");
        return;
    }
    let docker_host = format!("unix://{sock}");
    let ps = std::process::Command::new("docker")
        .args(["ps", "--format", "{{.Names}}"])
        .env("DOCKER_HOST", &docker_host)
        .output()
        .expect("run docker ps");
    assert!(ps.status.success(), "docker ps: {}", String::from_utf8_lossy(&ps.stderr));
    let running: Vec<String> = String::from_utf8_lossy(&ps.stdout).lines().map(str::to_string).collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("empty.toml");
    std::fs::write(&cfg, "").expect("write");
    // The default socket is found without any setting; another one through DOCKER_HOST.
    let envs: Vec<(&str, &str)> = if custom.is_some() { vec![("DOCKER_HOST", &docker_host)] } else { vec![] };
    let (ok, out, err) = agent_collect_once(&cfg, &envs);
    assert!(ok, "collect-once failed: {err}");
    assert!(!err.contains("collector=containers"), "the containers collector works: {err}");
    assert!(err.contains("container metrics on"), "the engine is detected: {err}");
    let fams = parse(&out);
    assert_host_metrics(&fams, &host_name(), &out);
    if running.is_empty() {
        eprintln!("the engine at {sock} runs no containers: only detection was checked");
        return;
    }
    let last_seen = family(&fams, "container_last_seen")
        .unwrap_or_else(|| panic!("the engine runs {running:?} but collect-once has no container families:\n{err}"));
    for n in &running {
        let m = last_seen
            .metrics
            .iter()
            .find(|m| m.labels.get("name") == Some(n.as_str()))
            .unwrap_or_else(|| panic!("running container {n} in container_last_seen: {:?}", last_seen.metrics));
        assert_eq!((m.labels.get("job"), m.labels.get("instance")), (Some("cadvisor"), Some(host_name().as_str())));
    }
}

fn containers_unreachable_config(dir: &Path) -> (String, String) {
    let sock = dir.join("nobody-listens.sock");
    (format!("[collect.containers]\nenabled = true\nsocket = \"{}\"\n", sock.display()), sock.display().to_string())
}

#[test]
fn an_enabled_container_collector_without_engine_reports_down_and_nothing_crashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (section, sock) = containers_unreachable_config(dir.path());

    // collect-once: exit 0, host metrics, no container families, a warning naming the collector
    // and the socket.
    let cfg = dir.path().join("agent.toml");
    std::fs::write(&cfg, format!("[agent]\nname = \"no-engine\"\n{section}")).expect("write");
    let (ok, out, err) = agent_collect_once(&cfg, &[]);
    assert!(ok, "collect-once with an unreachable engine must not fail: {err}");
    let fams = parse(&out);
    assert_host_metrics(&fams, "no-engine", &out);
    assert!(container_families(&fams).is_empty(), "{out}");
    assert!(err.contains("containers") && err.contains(&sock), "stderr names the collector and the socket: {err}");

    // The running agent: host metrics arrive, and the containers collector is down in the
    // agent's self-metrics (`pharos_agent_collector_success 0`, errors counted).
    let mut agg = Aggregator::setup();
    agg.start();
    let mut agent = Agent::setup(&agg, "no-engine-run", "1s", &format!("\n{section}"));
    agent.start();
    let q = "pharos_agent_collector_success{instance=\"no-engine-run\"}";
    // (Before a source's first run ends, its entry reads 1: agent/src/schedule.rs `spawn`
    // initialises `success: true`. So wait for the first failed run to be reported.)
    let value_of =
        |v: &[serde_json::Value], c: &str| v.iter().find(|s| s["metric"]["collector"] == c).map(sample_value);
    let (v, ok) = agg.wait_vector(q, Duration::from_secs(30), |v| {
        value_of(v, "containers") == Some(0.0) && value_of(v, "host") == Some(1.0)
    });
    assert!(ok, "containers down, host up in the self-metrics within 30 s: {v:?}\nagent log:\n{}", agent.log());
    for s in &v {
        assert_eq!(s["metric"]["job"], "pharos-agent", "{s}");
    }
    let errors = agg
        .query_vector("pharos_agent_collector_errors_total{instance=\"no-engine-run\", collector=\"containers\"} > 0");
    assert_eq!(errors.len(), 1, "failed collections are counted: {errors:?}");
    let cpu = agg.query_vector("node_cpu_seconds_total{instance=\"no-engine-run\", job=\"node\"}");
    assert!(!cpu.is_empty(), "host metrics still arrive");
    assert!(agent.proc.as_mut().expect("started").running(), "the agent keeps running");
    assert!(agent.log().contains(&sock), "the agent's log names the socket");
}

/// The acceptance point "`collect-once` shows every enabled collector's output", read strictly: an
/// enabled collector that fails shows a down metric there too, as it does in the running agent.
#[test]
fn collect_once_shows_a_down_metric_for_an_enabled_collector_that_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (section, _) = containers_unreachable_config(dir.path());
    let cfg = dir.path().join("agent.toml");
    std::fs::write(&cfg, format!("[agent]\nname = \"no-engine\"\n{section}")).expect("write");
    let (ok, out, err) = agent_collect_once(&cfg, &[]);
    assert!(ok, "{err}");
    let fams = parse(&out);
    let success = family(&fams, "pharos_agent_collector_success").unwrap_or_else(|| panic!("no down metric:\n{out}"));
    let c = success
        .metrics
        .iter()
        .find(|m| m.labels.get("collector") == Some("containers"))
        .unwrap_or_else(|| panic!("no containers entry: {:?}", success.metrics));
    assert_eq!(c.value, 0.0);
}

/// Sends PING, expects PONG.
fn redis_answers(port: u16) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"*1\r\n$4\r\nPING\r\n").is_err() {
        return false;
    }
    let mut b = [0u8; 7];
    s.read_exact(&mut b).is_ok() && &b == b"+PONG\r\n"
}

#[test]
fn an_empty_config_detects_a_local_redis_on_its_default_port() {
    const PORT: u16 = 6379;
    let dir = tempfile::tempdir().expect("tempdir");
    // Our own redis-server on the default port, unless one already answers there (then that one
    // is what detection finds).
    let mut ours: Option<Proc> = None;
    if !redis_answers(PORT) {
        assert!(
            std::net::TcpListener::bind(("127.0.0.1", PORT)).is_ok(),
            "127.0.0.1:{PORT} is taken by something that is not Redis"
        );
        let port = PORT.to_string();
        let data = dir.path().display().to_string();
        let p = Proc::start(
            Path::new("/usr/bin/redis-server"),
            &["--port", &port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", &data],
            &dir.path().join("redis.log"),
        );
        ours = Some(p);
        assert!(
            wait_for(Duration::from_secs(10), || redis_answers(PORT).then_some(())).is_some(),
            "redis-server started"
        );
    }
    let cfg = dir.path().join("empty.toml");
    std::fs::write(&cfg, "").expect("write");
    let (ok, out, err) = agent_collect_once(&cfg, &[]);
    assert!(ok, "{err}");
    let fams = parse(&out);
    let up = family(&fams, "redis_up").unwrap_or_else(|| panic!("a local Redis is detected:\n{out}\n{err}"));
    assert_eq!(up.metrics.len(), 1, "{:?}", up.metrics);
    let m = &up.metrics[0];
    assert_eq!(m.value, 1.0);
    assert_eq!((m.labels.get("job"), m.labels.get("instance")), (Some("redis"), Some(host_name().as_str())));
    assert!(family(&fams, "redis_connected_clients").is_some(), "{out}");

    // `detect = false` turns detection off.
    let off = dir.path().join("off.toml");
    std::fs::write(&off, "[collect.services]\ndetect = false\n").expect("write");
    let (ok, out, err) = agent_collect_once(&off, &[]);
    assert!(ok, "{err}");
    assert!(parse(&out).iter().all(|f| !f.name.starts_with("redis_")), "detect = false: no redis_*:\n{out}");

    // Stopped: nothing is detected, and that is not an error.
    if let Some(mut p) = ours.take() {
        p.stop();
        let (ok, out, err) = agent_collect_once(&cfg, &[]);
        assert!(ok, "{err}");
        assert!(parse(&out).iter().all(|f| !f.name.starts_with("redis_")), "no Redis, no redis_*:\n{out}");
    }
}
