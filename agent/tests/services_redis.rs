//! The agent's Redis check against Debian's redis-server, side by side with Debian's
//! `prometheus-redis-exporter` (redis_exporter 1.45) pointed at the same server: the same
//! families, types, label sets and agreeing values; `redis_up 0` alone once the server stops.

#[path = "support/services/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;
use support::*;

const REDIS_SERVER: &str = "/usr/bin/redis-server";
const EXPORTER: &str = "/usr/bin/prometheus-redis-exporter";

/// The families the brief names, which both must have.
const REQUIRED: &[&str] = &[
    "redis_up",
    "redis_connected_clients",
    "redis_memory_used_bytes",
    "redis_memory_max_bytes",
    "redis_commands_processed_total",
    "redis_keyspace_hits_total",
    "redis_keyspace_misses_total",
    "redis_db_keys",
    "redis_db_keys_expiring",
    "redis_db_avg_ttl_seconds",
    "redis_commands_total",
    "redis_instance_info",
    "redis_start_time_seconds",
    "redis_uptime_in_seconds",
    "redis_net_input_bytes_total",
    "redis_cpu_sys_seconds_total",
    "redis_latency_percentiles_usec",
    "redis_slowlog_length",
    "redis_config_maxclients",
];

/// Sends commands over RESP, then PING, and reads until its PONG: every command has then run.
fn redis_cmds(port: u16, cmds: &[&[&str]]) -> std::io::Result<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut out = Vec::new();
    for c in cmds.iter().chain(std::iter::once(&&["PING"][..])) {
        out.extend_from_slice(format!("*{}\r\n", c.len()).as_bytes());
        for a in *c {
            out.extend_from_slice(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
        }
    }
    s.write_all(&out)?;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.ends_with(b"+PONG\r\n") {
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before PONG"));
        }
        got.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&got).into_owned())
}

/// Gauges that move between reads by themselves (memory figures, TTL estimates), and those that
/// do not (counts, settings, timestamps).
fn tolerance(name: &str) -> Option<(f64, f64)> {
    if name.starts_with("redis_latency_percentiles_usec") {
        // Percentiles of a histogram that the reads themselves feed: they jump.
        return None;
    }
    if name.contains("memory")
        || name.contains("allocator")
        || name.starts_with("redis_mem_")
        || name.contains("_bytes")
    {
        return Some((2.0 * 1024.0 * 1024.0, 0.5));
    }
    if name.contains("ratio") || name == "redis_db_avg_ttl_seconds" {
        return Some((1.0, 0.5));
    }
    Some((2.0, 0.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_check_matches_redis_exporter() {
    require(REDIS_SERVER, "redis-server");
    require(EXPORTER, "prometheus-redis-exporter");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut cmd = Command::new(REDIS_SERVER);
    cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--save", "", "--appendonly", "no"]);
    cmd.args(["--daemonize", "no", "--logfile", "", "--dir"]).arg(dir.path());
    let mut server = Proc::start("redis-server", cmd, dir.path());
    wait_for("redis-server", Duration::from_secs(20), || {
        server.assert_running();
        redis_cmds(port, &[]).is_ok()
    });
    // Keys in two databases, some expiring, and a few hits and misses.
    let mut cmds: Vec<Vec<String>> = Vec::new();
    for i in 0..200 {
        cmds.push(vec!["SET".into(), format!("key:{i}"), format!("value-{i}")]);
    }
    for i in 0..20 {
        cmds.push(vec!["SET".into(), format!("ttl:{i}"), "v".into(), "EX".into(), "3600".into()]);
    }
    cmds.push(vec!["GET".into(), "key:1".into()]);
    cmds.push(vec!["GET".into(), "nokey".into()]);
    cmds.push(vec!["SELECT".into(), "1".into()]);
    for i in 0..30 {
        cmds.push(vec!["SET".into(), format!("k:{i}"), "v".into()]);
    }
    let refs: Vec<Vec<&str>> = cmds.iter().map(|c| c.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    redis_cmds(port, &slices).expect("seeding redis");

    let exporter_port = free_port();
    let mut cmd = Command::new(EXPORTER);
    cmd.args(["-redis.addr", &format!("redis://127.0.0.1:{port}")]);
    cmd.args(["-web.listen-address", &format!("127.0.0.1:{exporter_port}")]);
    let mut exporter = Proc::start("redis_exporter", cmd, dir.path());
    wait_for("redis_exporter", Duration::from_secs(20), || {
        exporter.assert_running();
        http_get(exporter_port, "/").is_ok()
    });

    let mut agent = collector(&format!(
        "[agent]\nname = \"h1\"\n[collect.services]\ndetect = false\n[[collect.services.redis]]\naddress = \"127.0.0.1:{port}\"\n"
    ));
    // Warm-up: both clients' commands appear in the server's command statistics from now on.
    scrape(exporter_port);
    collect(&mut agent).await;

    let before = scrape(exporter_port);
    let ours = collect(&mut agent).await;
    let after = scrape(exporter_port);
    assert_families(&after, REQUIRED, "redis_exporter");
    assert_families(&ours, REQUIRED, "the agent");
    let ignore = ignore_own(&[
        "redis_exporter_",
        "redis_target_scrape_request_errors_total",
        "redis_last_key_groups_scrape_duration_milliseconds",
    ]);
    let report = compare(&before, &ours, &after, &ignore, &tolerance);
    assert_parity(&report, "agent vs redis_exporter", 100);

    server.stop(libc::SIGTERM);
    let down = collect(&mut agent).await;
    assert_down(&down, "redis_up");
    exporter.stop(libc::SIGTERM);
}
