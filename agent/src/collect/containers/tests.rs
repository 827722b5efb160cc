//! Unit tests: Docker (cgroup v1 and v2) and Podman-shaped replies written by hand from the API
//! documentation and a real Docker 20.10 engine, and a fake engine on a unix socket for the
//! connection's life cycle (no engine, engine back, engine gone).

use super::families::{add_container, container_info, label_name, parse_rfc3339, ContainerInfo, Families};
use super::*;
use crate::assemble::Assembler;
use crate::collect::MetricFamily;
use bollard::models::{ContainerInspectResponse, ContainerStatsResponse, ContainerSummary};
use pharos_protocol::is_stale_nan;

const DOCKER_LIST: &str = include_str!("fixtures/docker_list.json");
const DOCKER_INSPECT: &str = include_str!("fixtures/docker_inspect.json");
const DOCKER_V1_STATS: &str = include_str!("fixtures/docker_v1_stats.json");
const DOCKER_V2_STATS: &str = include_str!("fixtures/docker_v2_stats.json");
const PODMAN_LIST: &str = include_str!("fixtures/podman_list.json");
const PODMAN_INSPECT: &str = include_str!("fixtures/podman_inspect.json");
const PODMAN_STATS: &str = include_str!("fixtures/podman_stats.json");

fn list(json: &str) -> Vec<ContainerSummary> {
    serde_json::from_str(json).expect("list fixture")
}
fn inspect(json: &str) -> ContainerInspectResponse {
    serde_json::from_str(json).expect("inspect fixture")
}
fn stats(json: &str) -> ContainerStatsResponse {
    serde_json::from_str(json).expect("stats fixture")
}

fn allow() -> Vec<String> {
    vec!["com.example.team".to_string()]
}

fn families(info: &ContainerInfo, s: Option<&ContainerStatsResponse>) -> Vec<MetricFamily> {
    let mut f = Families::default();
    add_container(
        &mut f,
        info,
        s,
        &mut |maj, min| if (maj, min) == (254, 0) { "/dev/vda".into() } else { format!("{maj}:{min}") },
        1000.0,
    );
    f.into_vec()
}

/// The value of the one sample of `name` whose labels include `with`; panics if there is not
/// exactly one.
fn value(fams: &[MetricFamily], name: &str, with: &[(&str, &str)]) -> f64 {
    let hits: Vec<f64> = fams
        .iter()
        .filter(|f| f.name == name)
        .flat_map(|f| &f.metrics)
        .filter(|m| with.iter().all(|(k, v)| m.labels.get(k) == Some(*v)))
        .map(|m| m.value)
        .collect();
    assert_eq!(hits.len(), 1, "{name} {with:?}: {hits:?}");
    hits[0]
}

fn has(fams: &[MetricFamily], name: &str) -> bool {
    fams.iter().any(|f| f.name == name && !f.metrics.is_empty())
}

fn kind(fams: &[MetricFamily], name: &str) -> MetricType {
    fams.iter().find(|f| f.name == name).map(|f| f.kind).expect(name)
}

use crate::collect::MetricType;

#[test]
fn docker_cgroup_v1_reply_gives_cadvisor_families() {
    let l = list(DOCKER_LIST);
    let i = inspect(DOCKER_INSPECT);
    let info = container_info(&l[0], Some(&i), &allow()).expect("info");
    assert_eq!(info.name, "t-cpu");
    assert_eq!(info.image, "local/busybox");
    assert_eq!(info.labels, vec![("container_label_com_example_team".to_string(), "infra".to_string())]);
    let f = families(&info, Some(&stats(DOCKER_V1_STATS)));

    let id = "/docker/2be3f5a8e83e544be070ad7adddef68b267b98a83c2f5d08dbdf5aa22866574e";
    let cpu = value(&f, "container_cpu_usage_seconds_total", &[("cpu", "total"), ("id", id), ("name", "t-cpu")]);
    assert!((cpu - 17.631122687).abs() < 1e-9);
    assert_eq!(kind(&f, "container_cpu_usage_seconds_total"), MetricType::Counter);
    assert!((value(&f, "container_cpu_user_seconds_total", &[]) - 17.54).abs() < 1e-9);
    assert!((value(&f, "container_cpu_system_seconds_total", &[]) - 0.08).abs() < 1e-9);
    assert_eq!(value(&f, "container_cpu_cfs_periods_total", &[]), 354.0);
    assert_eq!(value(&f, "container_cpu_cfs_throttled_periods_total", &[]), 349.0);
    assert!((value(&f, "container_cpu_cfs_throttled_seconds_total", &[]) - 14.675018579).abs() < 1e-9);
    assert_eq!(value(&f, "container_memory_usage_bytes", &[]), 10485760.0);
    assert_eq!(kind(&f, "container_memory_usage_bytes"), MetricType::Gauge);
    assert_eq!(value(&f, "container_memory_working_set_bytes", &[]), (10485760 - 2097152) as f64);
    assert_eq!(value(&f, "container_memory_rss", &[]), 57344.0);
    assert_eq!(value(&f, "container_memory_cache", &[]), 3145728.0);
    assert_eq!(value(&f, "container_spec_memory_limit_bytes", &[]), 67108864.0);
    assert_eq!(value(&f, "container_network_receive_bytes_total", &[("interface", "eth0")]), 1098.0);
    assert_eq!(value(&f, "container_network_receive_packets_total", &[]), 13.0);
    assert_eq!(value(&f, "container_network_receive_errors_total", &[]), 0.0);
    assert_eq!(value(&f, "container_network_receive_packets_dropped_total", &[]), 1.0);
    assert_eq!(value(&f, "container_network_transmit_bytes_total", &[]), 500.0);
    assert_eq!(value(&f, "container_network_transmit_packets_total", &[]), 5.0);
    assert_eq!(value(&f, "container_network_transmit_errors_total", &[]), 0.0);
    assert_eq!(value(&f, "container_network_transmit_packets_dropped_total", &[]), 0.0);
    assert_eq!(value(&f, "container_fs_reads_bytes_total", &[("device", "/dev/vda")]), 4096.0);
    assert_eq!(value(&f, "container_fs_writes_bytes_total", &[("device", "/dev/vda")]), 734003200.0);
    assert_eq!(value(&f, "container_processes", &[]), 3.0);
    assert_eq!(value(&f, "container_start_time_seconds", &[]), 1763743152.5);
    assert_eq!(value(&f, "container_last_seen", &[]), 1000.0);
    // Every series carries the container's labels, and only the allowlisted container labels.
    for m in f.iter().flat_map(|f| &f.metrics) {
        assert_eq!(m.labels.get("id"), Some(id));
        assert_eq!(m.labels.get("image"), Some("local/busybox"));
        assert_eq!(m.labels.get("container_label_com_example_team"), Some("infra"));
        assert_eq!(m.labels.get("container_label_other"), None);
    }
}

#[test]
fn docker_cgroup_v2_reply_uses_v2_memory_names() {
    let l = list(DOCKER_LIST);
    let info = container_info(&l[0], None, &allow()).expect("info");
    let f = families(&info, Some(&stats(DOCKER_V2_STATS)));
    assert_eq!(value(&f, "container_memory_usage_bytes", &[]), 20971520.0);
    assert_eq!(value(&f, "container_memory_working_set_bytes", &[]), (20971520 - 4194304) as f64);
    assert_eq!(value(&f, "container_memory_rss", &[]), 8388608.0);
    assert_eq!(value(&f, "container_memory_cache", &[]), 10485760.0);
    assert_eq!(value(&f, "container_fs_reads_bytes_total", &[("device", "8:0")]), 8192.0);
    assert_eq!(value(&f, "container_fs_writes_bytes_total", &[("device", "8:0")]), 65536.0);
    assert_eq!(value(&f, "container_network_transmit_bytes_total", &[("interface", "eth1")]), 400.0);
    assert_eq!(value(&f, "container_network_transmit_bytes_total", &[("interface", "eth0")]), 200.0);
    // Without inspect: the name comes from the list, the limit is unknown (so left out) and the
    // start time is the list's `Created`.
    assert_eq!(info.name, "t-cpu");
    assert!(!has(&f, "container_spec_memory_limit_bytes"));
    assert_eq!(value(&f, "container_start_time_seconds", &[]), 1763743152.0);
}

#[test]
fn podman_reply_leaves_out_what_it_lacks() {
    let l = list(PODMAN_LIST);
    let i = inspect(PODMAN_INSPECT);
    let info = container_info(&l[0], Some(&i), &allow()).expect("info");
    assert_eq!(info.name, "pod-web");
    let f = families(&info, Some(&stats(PODMAN_STATS)));
    assert_eq!(value(&f, "container_memory_usage_bytes", &[("name", "pod-web")]), 7340032.0);
    // No memory `stats` map: no working set, RSS or cache rather than zeros.
    for absent in ["container_memory_working_set_bytes", "container_memory_rss", "container_memory_cache"] {
        assert!(!has(&f, absent), "{absent} reported without data");
    }
    assert!(!has(&f, "container_fs_reads_bytes_total"));
    assert_eq!(value(&f, "container_network_receive_bytes_total", &[("interface", "network")]), 1000.0);
    assert!((value(&f, "container_cpu_usage_seconds_total", &[("cpu", "total")]) - 4.0).abs() < 1e-9);
    assert_eq!(value(&f, "container_spec_memory_limit_bytes", &[]), 0.0, "unlimited is 0, as cAdvisor");
    assert_eq!(value(&f, "container_processes", &[]), 5.0);
    let t = value(&f, "container_start_time_seconds", &[]);
    assert!((t - (1763743000.0 + 0.123456789)).abs() < 1e-5, "{t}");
    assert_eq!(value(&f, "container_cpu_usage_seconds_total", &[("container_label_com_example_team", "web")]), 4.0);
}

#[test]
fn replies_with_odd_or_missing_fields_never_panic() {
    let empty: ContainerStatsResponse = serde_json::from_str("{}").expect("empty stats");
    let l = list(PODMAN_LIST);
    let info = container_info(&l[0], None, &[]).expect("info");
    let f = families(&info, Some(&empty));
    let names: Vec<_> = f.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["container_last_seen", "container_start_time_seconds"]);
    let partial = r#"{"memory_stats":{"usage":5,"stats":{"total_inactive_file":9}},
        "blkio_stats":{"io_service_bytes_recursive":[{"op":"Read"},{"major":1,"minor":2,"op":"Total","value":3}]},
        "networks":{"eth0":{"rx_bytes":7}}}"#;
    let f = families(&info, Some(&stats(partial)));
    assert_eq!(value(&f, "container_memory_working_set_bytes", &[]), 0.0, "usage below inactive: 0, not a wrap");
    assert!(!has(&f, "container_fs_reads_bytes_total"));
    assert_eq!(value(&f, "container_network_receive_bytes_total", &[]), 7.0);
    assert!(!has(&f, "container_network_transmit_bytes_total"));
    // An entry without an id cannot be reported.
    let no_id: ContainerSummary = serde_json::from_str(r#"{"Names":["/x"]}"#).expect("summary");
    assert!(container_info(&no_id, None, &[]).is_none());
}

#[test]
fn a_shared_network_namespace_reports_no_network() {
    let l = list(DOCKER_LIST);
    let info = container_info(&l[1], None, &[]).expect("info");
    assert!(info.shares_netns);
    let f = families(&info, Some(&stats(DOCKER_V1_STATS)));
    assert!(!has(&f, "container_network_receive_bytes_total"));
    assert!(has(&f, "container_cpu_usage_seconds_total"));
}

#[test]
fn a_removed_container_ends_with_staleness_markers() {
    let l = list(DOCKER_LIST);
    let a = container_info(&l[0], Some(&inspect(DOCKER_INSPECT)), &[]).expect("a");
    let b = container_info(&list(PODMAN_LIST)[0], None, &[]).expect("b");
    let s1 = stats(DOCKER_V1_STATS);
    let s2 = stats(PODMAN_STATS);
    let run = |both: bool| {
        let mut f = Families::default();
        let mut dev = |_: u64, _: u64| "/dev/vda".to_string();
        add_container(&mut f, &a, Some(&s1), &mut dev, 1.0);
        if both {
            add_container(&mut f, &b, Some(&s2), &mut dev, 1.0);
        }
        f.into_vec()
    };
    let mut asm = Assembler::new("cadvisor", "host1");
    let first = asm.assemble(&run(true), 1000);
    let b_series = first.iter().filter(|s| s.labels.get("name") == Some("pod-web")).count();
    assert!(b_series > 10, "{b_series}");
    assert!(first.iter().all(|s| s.labels.get("job") == Some("cadvisor") && s.labels.get("instance") == Some("host1")));
    let second = asm.assemble(&run(false), 2000);
    let stale: Vec<_> = second.iter().filter(|s| is_stale_nan(s.samples[0].value)).collect();
    assert_eq!(stale.len(), b_series, "every series of the removed container ends");
    assert!(stale.iter().all(|s| s.labels.get("name") == Some("pod-web") && s.samples[0].timestamp_ms == 2000));
    let third = asm.assemble(&run(false), 3000);
    assert!(third.iter().all(|s| !is_stale_nan(s.samples[0].value)), "markers only once");
}

#[test]
fn label_names_are_sanitized_as_cadvisor_does() {
    assert_eq!(label_name("com.example.team"), "container_label_com_example_team");
    assert_eq!(label_name("io.k8s/pod-name"), "container_label_io_k8s_pod_name");
    assert_eq!(label_name("ok_1"), "container_label_ok_1");
}

#[test]
fn rfc3339_times() {
    assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(parse_rfc3339("2000-03-01T00:00:00Z"), Some(951868800.0));
    assert_eq!(parse_rfc3339("2025-11-21T17:36:40+01:00"), Some(1763743000.0));
    assert_eq!(parse_rfc3339("2025-11-21T15:36:40-01:00"), Some(1763743000.0));
    let t = parse_rfc3339("2025-11-21T16:36:40.123456789Z").expect("nanos");
    assert!((t - 1_763_743_000.123_456_7).abs() < 1e-6);
    assert_eq!(parse_rfc3339("0001-01-01T00:00:00Z"), None, "Go's zero time is no time");
    for bad in ["", "yesterday", "2025-13-01T00:00:00Z", "2025-11-21T16:36:40", "2025-11-21"] {
        assert_eq!(parse_rfc3339(bad), None, "{bad}");
    }
}

#[test]
fn config_keys_and_defaults() {
    let c = crate::config::AgentConfig::parse("").expect("defaults");
    assert_eq!(c.collect.containers, ContainersConfig::default());
    assert_eq!(c.collect.containers.job, "cadvisor");
    let c = crate::config::AgentConfig::parse(
        "[collect.containers]\nenabled = true\nsocket = \"unix:///run/podman/podman.sock\"\n\
         label_allowlist = [\"com.example.team\"]\ninterval = \"15s\"\ntimeout = \"3s\"\njob = \"containers\"\n",
    )
    .expect("full section");
    let k = &c.collect.containers;
    assert_eq!(k.enabled, Some(true));
    assert_eq!(k.socket_path(), PathBuf::from("/run/podman/podman.sock"));
    assert_eq!(k.label_allowlist, allow());
    assert_eq!(k.interval, Some(Duration::from_secs(15)));
    assert_eq!(k.timeout, Some(Duration::from_secs(3)));
    let agent = AgentSection { name: "h".into(), ..AgentSection::default() };
    let specs = sources(k, &agent);
    assert_eq!(specs.len(), 1);
    assert_eq!((specs[0].interval, specs[0].timeout), (Duration::from_secs(15), Duration::from_secs(3)));
    assert_eq!((specs[0].job.as_str(), specs[0].instance.as_str()), ("containers", "h"));
    let e = crate::config::AgentConfig::parse("[collect.containers]\nsokcet = \"/x\"\n").expect_err("typo");
    assert!(e.contains("sokcet"), "{e}");
    assert!(crate::config::AgentConfig::parse("[collect.containers]\ninterval = \"soon\"\n").is_err());
    // Off by default when there is no socket.
    let none = ContainersConfig { socket: Some("/nonexistent/docker.sock".into()), ..Default::default() };
    assert!(sources(&none, &agent).is_empty());
}

#[test]
fn docker_host_is_honoured_for_unix_sockets_only() {
    let c = ContainersConfig::default();
    assert_eq!(c.socket_path_with(None), PathBuf::from(DEFAULT_SOCKET));
    assert_eq!(c.socket_path_with(Some("unix:///tmp/d.sock")), PathBuf::from("/tmp/d.sock"));
    assert_eq!(c.socket_path_with(Some("tcp://10.0.0.1:2375")), PathBuf::from(DEFAULT_SOCKET));
    let c = ContainersConfig { socket: Some("/run/x.sock".into()), ..Default::default() };
    assert_eq!(c.socket_path_with(Some("unix:///tmp/d.sock")), PathBuf::from("/run/x.sock"));
}

/// A fake engine: answers `/version`, the container list, inspect and stats with the Podman
/// fixtures, over HTTP/1.1 on a unix socket, until dropped.
struct FakeEngine {
    task: tokio::task::JoinHandle<()>,
}

impl FakeEngine {
    fn start(path: &Path) -> FakeEngine {
        let _ = std::fs::remove_file(path);
        let listener = tokio::net::UnixListener::bind(path).expect("bind fake engine");
        let task = tokio::spawn(async move {
            // Connections live in the set, so that stopping the engine also closes the ones the
            // client keeps in its pool, as a real engine's exit would.
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((conn, _)) = listener.accept().await {
                conns.spawn(serve(conn));
            }
        });
        FakeEngine { task }
    }
}

impl Drop for FakeEngine {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut conn: tokio::net::UnixStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            continue;
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        buf.drain(..end + 4);
        let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
        let path = path.split('?').next().unwrap_or("");
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
        // Engines send one JSON document per line (bollard reads stats as a line stream).
        let body = serde_json::from_str::<serde_json::Value>(body).map(|v| v.to_string()).unwrap_or_default();
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if conn.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_engine_is_unavailable_and_the_source_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sock = dir.path().join("engine.sock");
    let cfg = ContainersConfig { label_allowlist: allow(), ..Default::default() };
    let mut c = ContainersCollector::new(&cfg, sock.clone(), Duration::from_secs(2));

    // No socket at all.
    assert!(matches!(c.collect().await, Err(CollectError::Unavailable(_))));
    // A socket nobody listens on (the engine died and left it behind): refused.
    drop(std::os::unix::net::UnixListener::bind(&sock).expect("bind"));
    assert!(matches!(c.collect().await, Err(CollectError::Unavailable(_))));

    // The engine comes up: the next collection works, through the whole HTTP path.
    let engine = FakeEngine::start(&sock);
    let f = c.collect().await.expect("collection with an engine");
    assert_eq!(
        value(&f, "container_memory_usage_bytes", &[("name", "pod-web"), ("container_label_com_example_team", "web")]),
        7340032.0
    );
    assert_eq!(value(&f, "container_network_receive_bytes_total", &[("interface", "network")]), 1000.0);
    assert!(c.collect().await.is_ok(), "the kept connection works again");

    // The engine goes away: unavailable, not a panic or a hang; then it comes back.
    drop(engine);
    let _ = std::fs::remove_file(&sock);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(matches!(c.collect().await, Err(CollectError::Unavailable(_))));
    let _engine = FakeEngine::start(&sock);
    assert!(c.collect().await.is_ok(), "recovers when the engine is back");
}
