//! The Pushgateway API of the aggregator against Debian's `prometheus-pushgateway` 1.5.1: one
//! scripted scenario (PUT, POST, DELETE, base64 and empty label values, type clashes, bad
//! bodies, protobuf and gzip bodies, the wipe) run against both, comparing every status code and
//! then the resulting data twice:
//!
//! - as series: the Pushgateway's `GET /metrics` (minus its own `go_`/`process_`/`pushgateway_`
//!   families), which is what a Prometheus scrape with `honor_labels: true` would store, against
//!   Pharos' stored series (`{job!=""}` through the query API), which is what Pharos stored;
//! - as groups: `GET /api/v1/metrics` of both (group keys, family types and help, every metric's
//!   labels and values), which also checks the grouping and the push-time gauges per group.
//!
//! Push times differ between the two, so only whether they are zero is compared. TTL expiry,
//! bad-push isolation and persistence across a restart are tested on Pharos alone.

use pharos_e2e::pushgateway_scenario::{
    api_metrics, pharos_series, pushgateway_series, scenario, send, start_pushgateway,
};
use pharos_e2e::Aggregator;
use serde_json::Value;
use std::time::Duration;

fn aggregator(extra: &str) -> Aggregator {
    let mut agg = Aggregator::setup_with(&format!("[pushgateway]\nadmin_api = true\n{extra}"));
    agg.start();
    agg
}

#[test]
fn scenario_matches_pushgateway_1_5_1() {
    let steps = scenario();
    assert!(steps.len() >= 30);
    let dir = tempfile::tempdir().expect("tempdir");
    let pgw = start_pushgateway(dir.path());
    let agg = aggregator("");
    let pharos = format!("http://{}", agg.http);
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut mismatches = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let (want_status, want_body) = send(&client, &pgw.base, step);
        let (got_status, got_body) = send(&client, &pharos, step);
        if want_status != step.want || got_status != want_status {
            mismatches.push(format!(
                "step {i} {} {}: expected {}, pushgateway {want_status} {want_body:?}, pharos {got_status} {got_body:?}",
                step.method, step.path, step.want
            ));
        }
    }
    assert!(mismatches.is_empty(), "status codes differ:\n{}", mismatches.join("\n"));

    let want = pushgateway_series(&pgw.base);
    let got = pharos_series(&agg, "{job!=\"\"}");
    eprintln!("{} series:\n{}", want.len(), want.join("\n"));
    assert!(want.len() > 40, "{want:#?}");
    assert_eq!(got, want, "stored series differ from what a scrape of the pushgateway gives");

    let want = api_metrics(&pgw.base);
    let got = api_metrics(&pharos);
    eprintln!("{} groups", want.as_array().map_or(0, Vec::len));
    assert!(want.as_array().is_some_and(|g| g.len() > 10), "{want:#}");
    assert_eq!(got, want, "/api/v1/metrics differs");
}

fn push(agg: &Aggregator, method: &str, path: &str, body: &str, ttl: Option<&str>) -> (u16, String) {
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let mut req = client
        .request(reqwest::Method::from_bytes(method.as_bytes()).expect("method"), format!("http://{}{path}", agg.http));
    if let Some(t) = ttl {
        req = req.header("Pharos-TTL", t);
    }
    let resp = req.body(body.to_string()).send().expect("push");
    (resp.status().as_u16(), resp.text().unwrap_or_default())
}

fn groups(agg: &Aggregator) -> Vec<String> {
    let v: Value =
        reqwest::blocking::get(format!("http://{}/api/v1/metrics", agg.http)).and_then(|r| r.json()).expect("metrics");
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
fn ttl_expiry() {
    let agg = aggregator("default_ttl = \"3s\"\n");
    assert_eq!(push(&agg, "PUT", "/metrics/job/short", "ttl_m 1\n", Some("1s")).0, 200);
    assert_eq!(push(&agg, "PUT", "/metrics/job/default", "ttl_m 2\n", None).0, 200);
    assert_eq!(push(&agg, "PUT", "/metrics/job/forever", "ttl_m 3\n", Some("0")).0, 200);
    assert_eq!(push(&agg, "PUT", "/metrics/job/bad", "ttl_m 4\n", Some("soon")).0, 400);
    assert_eq!(agg.query_vector("ttl_m").len(), 3, "queryable at once");
    let (v, ok) = agg.wait_vector("ttl_m", Duration::from_secs(10), |v| v.len() == 2);
    assert!(ok, "the 1s group should expire: {v:?}");
    assert_eq!(groups(&agg), ["default", "forever"]);
    let (v, ok) = agg.wait_vector("ttl_m", Duration::from_secs(10), |v| v.len() == 1);
    assert!(ok, "the default-TTL group should expire: {v:?}");
    assert_eq!(v[0]["metric"]["job"], "forever");
    assert_eq!(groups(&agg), ["forever"]);
    assert!(agg.query_vector("push_time_seconds{job=\"short\"}").is_empty(), "push times go stale too");
}

#[test]
fn a_bad_push_is_isolated() {
    let agg = aggregator("");
    assert_eq!(push(&agg, "PUT", "/metrics/job@base64/Z29vZA/instance/a", "# TYPE iso counter\niso 1\n", None).0, 200);
    // Each of these is refused with a clear 400 ...
    for (method, path, body, text) in [
        ("PUT", "/metrics/job@base64/a.b", "iso 2\n", "invalid base64 encoding in job name"),
        ("POST", "/metrics/job@base64/!!", "iso 2\n", "invalid base64 encoding in job name"),
        ("PUT", "/metrics/job/good/instance/a", "iso{\n", "text format parsing error"),
        ("PUT", "/metrics/job/good/instance/b", "# TYPE iso gauge\niso 2\n", "inconsistent with existing metrics"),
        ("PUT", "/metrics/job/good/instance/c", "iso 1 123\n", "must not have timestamps"),
    ] {
        let (status, body) = push(&agg, method, path, body, None);
        assert_eq!(status, 400, "{method} {path}");
        assert!(body.contains(text), "{method} {path}: {body}");
    }
    // ... leaves the good group as it was ...
    let v = agg.query_vector("iso");
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["value"][1], "1");
    // ... and every later push, @base64 ones of the same methods included, works.
    for (method, path, body) in [
        ("PUT", "/metrics/job@base64/Z29vZA/instance/a", "# TYPE iso counter\niso 5\n"),
        ("POST", "/metrics/job@base64/Z29vZA/instance/d", "# TYPE iso counter\niso 6\n"),
        ("PUT", "/metrics/job/good/instance/b", "# TYPE iso counter\niso 7\n"),
    ] {
        assert_eq!(push(&agg, method, path, body, None).0, 200, "{method} {path}");
    }
    let mut values: Vec<String> =
        agg.query_vector("iso").iter().map(|s| s["value"][1].as_str().unwrap_or("").to_string()).collect();
    values.sort();
    assert_eq!(values, ["5", "6", "7"]);
}

#[test]
fn groups_survive_a_restart() {
    let mut agg = aggregator("");
    assert_eq!(
        push(&agg, "PUT", "/metrics/job/keep/instance/i", "# HELP kept K.\n# TYPE kept gauge\nkept 42\n", None).0,
        200
    );
    assert_eq!(push(&agg, "PUT", "/metrics/job/gone", "gone_m 1\n", None).0, 200);
    assert_eq!(push(&agg, "DELETE", "/metrics/job/gone", "", None).0, 202);
    let before: Value =
        reqwest::blocking::get(format!("http://{}/api/v1/metrics", agg.http)).and_then(|r| r.json()).expect("metrics");
    agg.stop();
    agg.start();
    let after: Value =
        reqwest::blocking::get(format!("http://{}/api/v1/metrics", agg.http)).and_then(|r| r.json()).expect("metrics");
    assert_eq!(after, before);
    assert_eq!(groups(&agg), ["keep"]);
    let v = agg.query_vector("kept");
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["value"][1], "42");
}
