//! Aggregator + agent over QUIC with mutual TLS: host metrics and `up` answer through the
//! Prometheus API, and Debian's promtool (a real Prometheus client) reads them.

use pharos_e2e::{wait_for, Agent, Aggregator};
use std::process::Command;
use std::time::Duration;

#[test]
fn host_metrics_and_up_reach_the_query_api_and_promtool() {
    let mut agg = Aggregator::setup();
    agg.start();
    let mut agent = Agent::setup(&agg, "e2e-host", "1s", "");
    agent.start();

    let cpu = wait_for(Duration::from_secs(30), || {
        let v = agg.query_vector("node_cpu_seconds_total{instance=\"e2e-host\",mode=\"idle\"}");
        (!v.is_empty()).then_some(v)
    })
    .unwrap_or_else(|| {
        panic!("no node_cpu_seconds_total within 30 s\nagent log:\n{}\naggregator log:\n{}", agent.log(), agg.log())
    });
    assert_eq!(cpu[0]["metric"]["job"], "node");
    let ncpu = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    assert!(cpu.len() >= ncpu.min(1), "one idle series per CPU: {cpu:?}");

    let up = wait_for(Duration::from_secs(30), || {
        let v = agg.query_vector("up{job=\"pharos-agent\"} == 1");
        (!v.is_empty()).then_some(v)
    })
    .expect("up == 1 within 30 s");
    assert_eq!(up.len(), 1);
    assert_eq!(up[0]["metric"]["instance"], "e2e-host");
    assert_eq!(up[0]["value"][1], "1");

    // rate() and sum by over the stored data.
    let rate = wait_for(Duration::from_secs(30), || {
        let v = agg.query_vector("sum by (mode) (rate(node_cpu_seconds_total{instance=\"e2e-host\"}[10s]))");
        (v.len() > 1).then_some(v)
    })
    .expect("sum by (mode) (rate(...)) has results");
    for s in &rate {
        let x: f64 = s["value"][1].as_str().expect("string value").parse().expect("float");
        assert!((0.0..=ncpu as f64 + 0.5).contains(&x), "cpu rate out of range: {s}");
    }

    // Debian's promtool, a real Prometheus API client.
    let out = Command::new("promtool")
        .args(["query", "instant", &format!("http://{}", agg.http), "up"])
        .output()
        .expect("promtool is installed (package prometheus)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "promtool failed: {}{}", stdout, String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("up{instance=\"e2e-host\", job=\"pharos-agent\"} => 1"),
        "promtool output lacks the agent's up series:\n{stdout}"
    );

    // The agent's self-metrics travel the same path.
    let acked = wait_for(Duration::from_secs(15), || {
        let v = agg.query_vector("pharos_agent_uplink_batches_acked_total{instance=\"e2e-host\"} > 0");
        (!v.is_empty()).then_some(v)
    });
    assert!(acked.is_some(), "self-metrics not visible");
}

#[test]
fn up_turns_zero_when_an_agent_stops_pushing() {
    let mut agg = Aggregator::setup();
    agg.start();
    let mut agent = Agent::setup(&agg, "quiet-host", "1s", "");
    agent.start();
    wait_for(Duration::from_secs(30), || {
        (!agg.query_vector("up{instance=\"quiet-host\"} == 1").is_empty()).then_some(())
    })
    .expect("agent up");
    agent.proc.as_mut().expect("started").kill();
    // 3 missed 1 s intervals, plus the sweep's 1 s tick.
    let down = wait_for(Duration::from_secs(20), || {
        (!agg.query_vector("up{instance=\"quiet-host\"} == 0").is_empty()).then_some(())
    });
    assert!(down.is_some(), "up did not turn 0 after the agent stopped\n{}", agg.log());
}

#[test]
fn an_agent_whose_name_differs_from_its_certificate_refuses_to_start() {
    let agg = Aggregator::setup();
    let mut agent = Agent::setup(&agg, "cert-name", "1s", "");
    // Same certificate, another configured name.
    let text = std::fs::read_to_string(&agent.config).expect("config");
    std::fs::write(&agent.config, text.replace("name = \"cert-name\"", "name = \"other-name\"")).expect("write");
    agent.start();
    let exited =
        wait_for(Duration::from_secs(10), || agent.proc.as_mut().and_then(|p| p.child.try_wait().ok().flatten()));
    let status = exited.expect("the agent exits");
    assert!(!status.success());
    let log = agent.log();
    assert!(log.contains("\"other-name\"") && log.contains("\"cert-name\""), "the error names both: {log}");
}
