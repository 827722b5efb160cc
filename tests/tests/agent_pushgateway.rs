//! The agent's Pushgateway (`[pushgateway] listen`, on localhost): pushes to a real agent travel
//! through its buffer and uplink to a real aggregator and are queryable there like a scrape of a
//! Pushgateway with `honor_labels: true` would store them.
//!
//! - the aggregator's scenario (`pharos_e2e::pushgateway_scenario`) against the agent and Debian's
//!   `prometheus-pushgateway` 1.5.1: every status code, the series stored at the aggregator
//!   against the Pushgateway's `/metrics`, the agent's `/metrics` and `/api/v1/metrics` against
//!   the Pushgateway's;
//! - labels, `push_time_seconds`, `@base64` keys, a bad body answered as the aggregator answers
//!   it, a DELETE ending the series at once (staleness markers);
//! - pushes while the aggregator is down arrive once it is back (buffered);
//! - groups survive an agent restart and are forwarded after it;
//! - a `Pharos-TTL` expiry.

use pharos_e2e::pushgateway_scenario::{
    api_metrics, pharos_series, pushgateway_series, scenario, send, start_pushgateway,
};
use pharos_e2e::{sample_value, wait_for, Agent, Aggregator};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Only pushed series: not the agent's own (`job="pharos-agent"`, `up` included).
const PUSHED: &str = "{job!=\"\",job!=\"pharos-agent\"}";

/// An aggregator and an agent (1 s interval) with nothing to collect but its Pushgateway;
/// `pushgateway` is appended to the agent's `[pushgateway]` section.
fn start_both(pushgateway: &str) -> (Aggregator, Agent) {
    let mut agg = Aggregator::setup();
    agg.start();
    let extra = format!(
        "[collect.host]\nenabled = false\n[collect.containers]\nenabled = false\n[collect.services]\ndetect = false\n\
         [collect.scrape]\ntextfile_directory = \"/nonexistent/pharos-textfile\"\n[pushgateway]\n{pushgateway}"
    );
    let mut agent = Agent::setup(&agg, "pg-host", "1s", &extra);
    start_agent(&mut agent);
    (agg, agent)
}

/// Starts (or restarts) the agent and waits until its Pushgateway answers.
fn start_agent(agent: &mut Agent) {
    agent.start();
    let url = format!("http://{}/-/ready", agent.pushgateway);
    let ok = wait_for(Duration::from_secs(20), || {
        client().get(&url).send().ok().filter(|r| r.status().is_success()).map(|_| ())
    });
    assert!(ok.is_some(), "the agent's pushgateway did not come up:\n{}", agent.log());
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().expect("client")
}

/// One request to `addr` (an agent's or aggregator's HTTP address): status and body.
fn push(addr: impl std::fmt::Display, method: &str, path: &str, body: &str, ttl: Option<&str>) -> (u16, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client().request(method, format!("http://{addr}{path}"));
    if let Some(t) = ttl {
        req = req.header("Pharos-TTL", t);
    }
    let resp = req.body(body.to_string()).send().expect("push");
    (resp.status().as_u16(), resp.text().unwrap_or_default())
}

fn labels(s: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = s["metric"]
        .as_object()
        .expect("metric")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    v.sort();
    v
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn now_s() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs_f64()
}

/// Group keys' `job`s of the agent's `/api/v1/metrics`, sorted.
fn jobs(agent: &Agent) -> Vec<String> {
    let v: Value = client()
        .get(format!("http://{}/api/v1/metrics", agent.pushgateway))
        .send()
        .and_then(|r| r.json())
        .expect("GET /api/v1/metrics");
    let mut jobs: Vec<String> = v["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|g| g["labels"]["job"].as_str().unwrap_or("").to_string())
        .collect();
    jobs.sort();
    jobs
}

#[test]
fn scenario_through_the_agent_matches_pushgateway_1_5_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pgw = start_pushgateway(dir.path());
    let (agg, agent) = start_both("admin_api = true\n");
    let base = format!("http://{}", agent.pushgateway);
    let client = client();
    let mut mismatches = Vec::new();
    for (i, step) in scenario().iter().enumerate() {
        let (want_status, want_body) = send(&client, &pgw.base, step);
        let (got_status, got_body) = send(&client, &base, step);
        if want_status != step.want || got_status != want_status {
            mismatches.push(format!(
                "step {i} {} {}: expected {}, pushgateway {want_status} {want_body:?}, agent {got_status} {got_body:?}",
                step.method, step.path, step.want
            ));
        }
    }
    assert!(mismatches.is_empty(), "status codes differ:\n{}", mismatches.join("\n"));

    // What a scrape of the Pushgateway stores, against what the agent forwarded.
    let want = pushgateway_series(&pgw.base);
    assert!(want.len() > 40, "{want:#?}");
    let mut got = Vec::new();
    let same = wait_for(Duration::from_secs(30), || {
        got = pharos_series(&agg, PUSHED);
        (got == want).then_some(())
    });
    assert!(
        same.is_some(),
        "series at the aggregator differ from a scrape of the pushgateway:\n got {got:#?}\nwant {want:#?}"
    );
    // The agent's own /metrics shows the same samples.
    assert_eq!(pushgateway_series(&base), want, "the agent's GET /metrics");
    assert_eq!(api_metrics(&base), api_metrics(&pgw.base), "/api/v1/metrics differs");
}

#[test]
fn pushes_to_the_agent_are_queryable_at_the_aggregator() {
    let (agg, agent) = start_both("");
    let pg = agent.pushgateway;
    let body = "# TYPE backup_done gauge\nbackup_done 1\nbackup_bytes 42\n";
    assert_eq!(push(pg, "PUT", "/metrics/job/backup/instance/db1", body, None).0, 200);
    assert_eq!(push(pg, "POST", "/metrics/job@base64/YmF0Y2gvam9i", "items 7\n", None).0, 200);
    assert_eq!(push(pg, "POST", "/metrics/job@base64/YmF0Y2gvam9i", "more_items 8\n", None).0, 200);
    // A bad body: the same 400 and text as the aggregator's own gateway, and nothing changes.
    let bad = push(pg, "PUT", "/metrics/job/backup/instance/db1", "backup_done{\n", None);
    assert_eq!(bad.0, 400);
    assert_eq!(bad, push(agg.http, "PUT", "/metrics/job/backup/instance/db1", "backup_done{\n", None));
    assert!(bad.1.contains("text format parsing error"), "{}", bad.1);
    // A body that parses but fails the checks also sets the group's failure time.
    let (status, text) = push(pg, "PUT", "/metrics/job/backup/instance/db1", "backup_done 1 1234\n", None);
    assert_eq!(status, 400);
    assert!(text.contains("must not have timestamps"), "{text}");

    let (v, ok) = agg.wait_vector("backup_done", Duration::from_secs(20), |v| !v.is_empty());
    assert!(ok, "the push did not reach the aggregator:\n{}", agent.log());
    assert_eq!(labels(&v[0]), pairs(&[("__name__", "backup_done"), ("instance", "db1"), ("job", "backup")]));
    assert_eq!(sample_value(&v[0]), 1.0);
    let items = agg.query_vector("items");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(
        labels(&items[0]),
        pairs(&[("__name__", "items"), ("job", "batch/job")]),
        "no instance in the grouping key: none added, as with honor_labels"
    );
    assert_eq!(sample_value(&agg.query_vector("more_items")[0]), 8.0, "POST adds to the group");
    let pt = agg.query_vector("push_time_seconds{job=\"backup\"}");
    assert_eq!(pt.len(), 1, "{pt:?}");
    assert!((sample_value(&pt[0]) - now_s()).abs() < 60.0, "{pt:?}");
    let failed = agg.query_vector("push_failure_time_seconds{job=\"backup\"}");
    assert!(sample_value(&failed[0]) > 0.0, "the refused push set the failure time: {failed:?}");

    // A PUT without backup_bytes ends it; a DELETE ends the group's series at once (without
    // staleness markers they would stay for the 5m lookback).
    assert_eq!(push(pg, "PUT", "/metrics/job/backup/instance/db1", "backup_done 2\n", None).0, 200);
    let (v, ok) = agg.wait_vector("backup_bytes", Duration::from_secs(10), |v| v.is_empty());
    assert!(ok, "backup_bytes should be stale: {v:?}");
    assert_eq!(push(pg, "DELETE", "/metrics/job/backup/instance/db1", "", None).0, 202);
    let (v, ok) = agg.wait_vector("{job=\"backup\"}", Duration::from_secs(10), |v| v.is_empty());
    assert!(ok, "the deleted group's series should be stale: {v:?}");
    assert_eq!(agg.query_vector("items").len(), 1, "the other group stays");
    // The agent counts its pushes by status.
    let (v, ok) = agg.wait_vector("pharos_agent_pushgateway_pushes_total", Duration::from_secs(10), |v| {
        v.iter().map(sample_value).sum::<f64>() == 7.0
    });
    assert!(ok, "{v:?}");
    let codes: Vec<(String, f64)> =
        v.iter().map(|s| (s["metric"]["code"].as_str().unwrap_or("").to_string(), sample_value(s))).collect();
    assert!(codes.contains(&("400".to_string(), 2.0)) && codes.contains(&("202".to_string(), 1.0)), "{codes:?}");
}

#[test]
fn pushes_while_the_aggregator_is_down_arrive_later() {
    let (mut agg, agent) = start_both("");
    assert_eq!(push(agent.pushgateway, "PUT", "/metrics/job/before", "before_m 1\n", None).0, 200);
    let (_, ok) = agg.wait_vector("before_m", Duration::from_secs(20), |v| v.len() == 1);
    assert!(ok, "{}", agent.log());
    agg.stop();
    let pushed_at = now_s();
    assert_eq!(push(agent.pushgateway, "PUT", "/metrics/job/offline", "offline_m 5\n", None).0, 200);
    std::thread::sleep(Duration::from_secs(2));
    let restarted_at = now_s();
    agg.start();
    let (v, ok) = agg.wait_vector("offline_m", Duration::from_secs(30), |v| v.len() == 1);
    assert!(ok, "the push made while the aggregator was down never arrived: {v:?}\n{}", agent.log());
    assert_eq!(sample_value(&v[0]), 5.0);
    // Its first samples are from while the aggregator was down: they came from the buffer.
    let m = agg.query("offline_m[5m]");
    let first = m["result"][0]["values"][0][0].as_f64().expect("a sample time");
    assert!(
        first >= pushed_at - 1.0 && first < restarted_at,
        "first sample at {first}, down {pushed_at}..{restarted_at}"
    );
}

#[test]
fn groups_survive_an_agent_restart() {
    let (agg, mut agent) = start_both("");
    let pg = agent.pushgateway;
    assert_eq!(
        push(pg, "PUT", "/metrics/job/keep/instance/i", "# HELP kept_m K.\n# TYPE kept_m gauge\nkept_m 42\n", None).0,
        200
    );
    assert_eq!(push(pg, "PUT", "/metrics/job/gone", "gone_m 1\n", None).0, 200);
    assert_eq!(push(pg, "DELETE", "/metrics/job/gone", "", None).0, 202);
    let get = |agent: &Agent| -> Value {
        client()
            .get(format!("http://{}/api/v1/metrics", agent.pushgateway))
            .send()
            .and_then(|r| r.json())
            .expect("GET /api/v1/metrics")
    };
    let before = get(&agent);
    // Killed, not stopped: every push is on disk before its response.
    if let Some(mut p) = agent.proc.take() {
        p.kill();
    }
    let restarted_at = now_s();
    start_agent(&mut agent);
    assert_eq!(get(&agent), before);
    assert_eq!(jobs(&agent), ["keep"]);
    // Still forwarded after the restart.
    let (v, ok) = agg.wait_vector("timestamp(kept_m)", Duration::from_secs(20), |v| {
        v.len() == 1 && sample_value(&v[0]) > restarted_at
    });
    assert!(ok, "kept_m is not forwarded after the restart: {v:?}\n{}", agent.log());
    assert_eq!(sample_value(&agg.query_vector("kept_m")[0]), 42.0);
    assert!(agg.query_vector("gone_m").is_empty());
}

#[test]
fn a_group_expires_after_its_ttl() {
    let (agg, agent) = start_both("");
    let pg = agent.pushgateway;
    assert_eq!(push(pg, "PUT", "/metrics/job/short", "ttl_m 1\n", Some("2s")).0, 200);
    assert_eq!(push(pg, "PUT", "/metrics/job/long", "ttl_m 2\n", None).0, 200);
    let (bad, text) = push(pg, "PUT", "/metrics/job/bad", "ttl_m 3\n", Some("soon"));
    assert_eq!(bad, 400);
    assert!(text.contains("Pharos-TTL"), "{text}");
    let (v, ok) = agg.wait_vector("ttl_m", Duration::from_secs(20), |v| v.len() == 2);
    assert!(ok, "{v:?}\n{}", agent.log());
    let (v, ok) = agg.wait_vector("ttl_m", Duration::from_secs(15), |v| v.len() == 1);
    assert!(ok, "the 2s group should expire: {v:?}");
    assert_eq!(v[0]["metric"]["job"], "long");
    assert_eq!(jobs(&agent), ["long"]);
    assert!(agg.query_vector("push_time_seconds{job=\"short\"}").is_empty(), "push times go stale too");
}
