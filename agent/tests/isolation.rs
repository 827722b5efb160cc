//! A hung source delays nothing else: the agent's real sources (host metrics every second, an
//! http probe with a 30 s timeout whose target accepts the connection and never answers) run on
//! the scheduler as `pharos-agent run` wires them, and the host metrics keep their pace.

use pharos_agent::app::sources;
use pharos_agent::config::AgentConfig;
use pharos_agent::schedule::{self, StatsTable};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_black_holed_probe_with_a_30s_timeout_does_not_delay_host_metrics() {
    // A black hole: the kernel completes the TCP handshake (backlog), nobody ever reads or answers.
    let black_hole = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = black_hole.local_addr().expect("addr");
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = AgentConfig::parse(&format!(
        r#"
[agent]
name = "iso"
interval = "1s"
data_dir = "{dir}"
[collect.containers]
enabled = false
[collect.services]
detect = false
[collect.scrape]
textfile_directory = "{dir}/none"
[[collect.probe.targets]]
name = "hole"
prober = "http"
target = "http://{addr}/"
interval = "30s"
timeout = "30s"
"#,
        dir = dir.path().display()
    ))
    .expect("config");
    let specs = sources(&cfg);
    let names: Vec<String> = specs.iter().map(|s| s.collector.name().to_string()).collect();
    assert!(names.contains(&"host".to_string()) && names.iter().any(|n| n.contains("hole")), "{names:?}");
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let stats = StatsTable::default();
    let tasks: Vec<_> = specs.into_iter().map(|s| schedule::spawn(s, tx.clone(), stats.clone())).collect();
    drop(tx);
    let began = Instant::now();
    let mut host_runs = Vec::new();
    while began.elapsed() < Duration::from_secs(8) {
        match tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
            Ok(Some(c)) => {
                assert!(!c.source.contains("hole"), "the black-holed probe answered before its timeout");
                if c.source == "host" {
                    host_runs.push(began.elapsed());
                }
            }
            Ok(None) => break,
            Err(_) => {}
        }
    }
    for t in tasks {
        t.abort();
    }
    // One run a second, none late by a second, while the probe hangs for all 8 s.
    assert!(host_runs.len() >= 7, "host ran {} times in 8 s: {host_runs:?}", host_runs.len());
    for pair in host_runs.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap < Duration::from_millis(1900), "host metrics were {gap:?} apart: {host_runs:?}");
    }
    let t = stats.lock().expect("stats").clone();
    let probe = t.iter().find(|(n, _)| n.contains("hole")).map(|(_, s)| s.clone()).expect("probe stats");
    assert_eq!(probe.last_success_ms, 0, "the probe has not finished: {probe:?}");
    drop(black_hole);
}
