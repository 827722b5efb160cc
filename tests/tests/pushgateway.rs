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

use pharos_e2e::{free_port, wait_for, Aggregator, Proc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const PGW: &str = "/usr/bin/prometheus-pushgateway";
const PROTO_CT: &str = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

// ---- a hand-written protobuf encoder for io.prometheus.client.MetricFamily (independent of the
// ---- messages in pharos-pushgateway, so a wrong tag there would show here)

fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn bytes_field(tag: u64, b: &[u8], out: &mut Vec<u8>) {
    varint(tag << 3 | 2, out);
    varint(b.len() as u64, out);
    out.extend_from_slice(b);
}

fn double_field(tag: u64, v: f64, out: &mut Vec<u8>) {
    varint(tag << 3 | 1, out);
    out.extend_from_slice(&v.to_le_bytes());
}

fn varint_field(tag: u64, v: u64, out: &mut Vec<u8>) {
    varint(tag << 3, out);
    varint(v, out);
}

/// A metric's value part.
enum PV {
    Gauge(f64),
    Counter(f64),
    Summary { count: u64, sum: f64, quantiles: Vec<(f64, f64)> },
    Histogram { count: u64, sum: f64, buckets: Vec<(f64, u64)> },
}

fn metric(labels: &[(&str, &str)], v: PV, timestamp_ms: Option<i64>) -> Vec<u8> {
    let mut m = Vec::new();
    for (n, val) in labels {
        let mut lp = Vec::new();
        bytes_field(1, n.as_bytes(), &mut lp);
        bytes_field(2, val.as_bytes(), &mut lp);
        bytes_field(1, &lp, &mut m);
    }
    let mut inner = Vec::new();
    match v {
        PV::Gauge(x) | PV::Counter(x) => {
            double_field(1, x, &mut inner);
            let tag = if matches!(v, PV::Gauge(_)) { 2 } else { 3 };
            bytes_field(tag, &inner, &mut m);
        }
        PV::Summary { count, sum, quantiles } => {
            varint_field(1, count, &mut inner);
            double_field(2, sum, &mut inner);
            for (q, x) in quantiles {
                let mut qb = Vec::new();
                double_field(1, q, &mut qb);
                double_field(2, x, &mut qb);
                bytes_field(3, &qb, &mut inner);
            }
            bytes_field(4, &inner, &mut m);
        }
        PV::Histogram { count, sum, buckets } => {
            varint_field(1, count, &mut inner);
            double_field(2, sum, &mut inner);
            for (le, c) in buckets {
                let mut b = Vec::new();
                varint_field(1, c, &mut b);
                double_field(2, le, &mut b);
                bytes_field(3, &b, &mut inner);
            }
            bytes_field(7, &inner, &mut m);
        }
    }
    if let Some(ts) = timestamp_ms {
        varint_field(6, ts as u64, &mut m);
    }
    m
}

/// Types: 0 counter, 1 gauge, 2 summary, 3 untyped, 4 histogram.
fn family(name: &str, help: &str, kind: u64, metrics: Vec<Vec<u8>>) -> Vec<u8> {
    let mut f = Vec::new();
    bytes_field(1, name.as_bytes(), &mut f);
    bytes_field(2, help.as_bytes(), &mut f);
    varint_field(3, kind, &mut f);
    for m in metrics {
        bytes_field(4, &m, &mut f);
    }
    let mut out = Vec::new();
    varint(f.len() as u64, &mut out);
    out.extend_from_slice(&f);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip").arg("-c").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("gzip");
    child.stdin.take().expect("stdin").write_all(data).expect("write");
    let out = child.wait_with_output().expect("gzip output");
    assert!(out.status.success());
    out.stdout
}

// ---- the scenario

/// The body's `Content-Encoding`.
#[derive(Clone, Copy, PartialEq)]
enum Enc {
    /// None.
    Plain,
    /// gzip, and the body compressed.
    Gzip,
    /// `Content-Encoding: gzip` on a body that is not.
    FakeGzip,
}

/// One request of the scenario.
struct Step {
    method: &'static str,
    path: &'static str,
    content_type: Option<&'static str>,
    encoding: Enc,
    body: Vec<u8>,
    /// The status both must answer (checked against the Pushgateway too, so a wrong
    /// expectation shows as such).
    want: u16,
}

fn text(method: &'static str, path: &'static str, body: &str, want: u16) -> Step {
    Step { method, path, content_type: None, encoding: Enc::Plain, body: body.as_bytes().to_vec(), want }
}

fn proto(method: &'static str, path: &'static str, body: Vec<u8>, want: u16) -> Step {
    Step { method, path, content_type: Some(PROTO_CT), encoding: Enc::Plain, body, want }
}

fn scenario() -> Vec<Step> {
    let mut s = vec![
        text("PUT", "/metrics/job/testjob", "some_metric 3.14\nanother_metric{instance=\"testinstance\"} 42\n", 200),
        text("POST", "/metrics/job/testjob/instance/inst1", "# TYPE requests counter\nrequests{path=\"/a\"} 5\n", 200),
        text("POST", "/metrics/job/testjob/instance/inst1", "# TYPE requests counter\nrequests{path=\"/b\"} 6\n", 200),
        text("PUT", "/metrics/job/towipe", "wiped 1\n", 200),
        text("PUT", "/api/v1/admin/wipe", "", 202),
        text("PUT", "/metrics/job/testjob", "some_metric 3.14\nanother_metric{instance=\"testinstance\"} 42\n", 200),
        text("POST", "/metrics/job/testjob/instance/inst1", "# TYPE requests counter\nrequests{path=\"/b\"} 6\n", 200),
        // base64 job and label value, padding, the empty value.
        text("PUT", "/metrics/job@base64/YmF0Y2gvam9i/path@base64/L3Zhci90bXA", "backup_size_bytes 1024\n", 200),
        text("PUT", "/metrics/job/empty/first@base64/=/second/foo", "m_empty 1\n", 200),
        text("PUT", "/metrics/job/padded/label@base64/YWJj==", "m_pad 2\n", 200),
        text("PUT", "/metrics/job/pct%20job/lbl/v%41l", "m_pct 3\n", 200),
        // Type clashes across groups, and within a group (replaced, so fine).
        text("POST", "/metrics/job/typed", "# TYPE clash counter\nclash 1\n", 200),
        text("POST", "/metrics/job/typed2", "# TYPE clash gauge\nclash 2\n", 400),
        text("POST", "/metrics/job/typed", "# TYPE clash gauge\nclash 3\n", 200),
        // Duplicates through the grouping key.
        text("PUT", "/metrics/job/dup", "d{instance=\"x\"} 1\n", 200),
        text("PUT", "/metrics/job/dup/instance/x", "d 2\n", 400),
        // Bad bodies (parse errors: no failure time) and a timestamp (a check failure).
        text("PUT", "/metrics/job/bad", "a 1", 400),
        text("PUT", "/metrics/job/bad", "a{b=\"c\" 1\n", 400),
        text("POST", "/metrics/job/bad", "# TYPE a counter\n# TYPE a gauge\na 1\n", 400),
        text("PUT", "/metrics/job/ts", "m_ts 1 1234\n", 400),
        // Bad paths.
        text("PUT", "/metrics/job/x/a=b/c", "m 1\n", 400),
        text("PUT", "/metrics/job/x/__res/v", "m 1\n", 400),
        text("PUT", "/metrics/job/x/a/1/b", "m 1\n", 400),
        text("PUT", "/metrics/job/x/a@base64/foo.bar", "m 1\n", 400),
        text("POST", "/metrics/job@base64/=", "m 1\n", 400),
        text("PUT", "/metrics/nojob/x", "m 1\n", 404),
        // gzip.
        Step { encoding: Enc::Gzip, ..text("PUT", "/metrics/job/gz", "gz_metric{k=\"v\"} 7\n", 200) },
        Step { encoding: Enc::FakeGzip, ..text("PUT", "/metrics/job/gz", "this is not gzip", 400) },
        // Protobuf bodies.
        proto(
            "PUT",
            "/metrics/job/proto",
            [
                family("proto_gauge", "A gauge.", 1, vec![metric(&[("a", "b")], PV::Gauge(1.5), None)]),
                family("proto_counter", "A counter.", 0, vec![metric(&[], PV::Counter(10.0), None)]),
            ]
            .concat(),
            200,
        ),
        proto(
            "POST",
            "/metrics/job/proto",
            family(
                "proto_hist",
                "A histogram.",
                4,
                vec![metric(&[], PV::Histogram { count: 4, sum: 2.5, buckets: vec![(0.1, 1), (1.0, 3)] }, None)],
            ),
            200,
        ),
        proto(
            "POST",
            "/metrics/job/proto",
            family(
                "proto_sum",
                "A summary.",
                2,
                vec![metric(
                    &[("q", "r")],
                    PV::Summary { count: 3, sum: 4.0, quantiles: vec![(0.5, 1.0), (0.9, 2.0)] },
                    None,
                )],
            ),
            200,
        ),
        Step {
            encoding: Enc::Gzip,
            ..proto("POST", "/metrics/job/protogz", family("pgz", "", 1, vec![metric(&[], PV::Gauge(9.0), None)]), 200)
        },
        proto(
            "POST",
            "/metrics/job/proto",
            {
                let mut b = family("proto_trunc", "", 1, vec![metric(&[], PV::Gauge(1.0), None)]);
                b.truncate(b.len() - 3);
                b
            },
            400,
        ),
        proto(
            "POST",
            "/metrics/job/proto",
            family("proto_mismatch", "", 0, vec![metric(&[], PV::Gauge(1.0), None)]),
            400,
        ),
        proto(
            "POST",
            "/metrics/job/proto",
            family("proto_ts", "", 1, vec![metric(&[], PV::Gauge(1.0), Some(1234))]),
            400,
        ),
        // Histograms and summaries in text; a suffix collision within the group.
        text(
            "PUT",
            "/metrics/job/hist",
            "# TYPE lat histogram\nlat_bucket{le=\"0.5\"} 1\nlat_bucket{le=\"+Inf\"} 2\nlat_sum 0.7\nlat_count 2\n",
            200,
        ),
        text("POST", "/metrics/job/hist", "lat_count 5\n", 400),
        text("PUT", "/metrics/job/hist", "# TYPE lat summary\nlat{quantile=\"0.5\"} 1\nlat_sum 1\nlat_count 1\n", 200),
        // A clash with the gateway's own metrics.
        text("PUT", "/metrics/job/own", "# TYPE go_goroutines counter\ngo_goroutines 1\n", 400),
        // Empty bodies: POST keeps, PUT empties.
        text("POST", "/metrics/job/testjob", "", 200),
        text("PUT", "/metrics/job/emptyput", "x_gone 1\n", 200),
        text("PUT", "/metrics/job/emptyput", "", 200),
        // Grouping labels override pushed ones; HELP is kept.
        text("PUT", "/metrics/job/override/instance/i", "lo{job=\"other\",instance=\"j\",z=\"1\"} 1\n", 200),
        text("POST", "/metrics/job/testjob", "# HELP some_metric A help.\nsome_metric 4\n", 200),
        // Deletes.
        text("PUT", "/metrics/job/del/instance/a", "del_m 1\n", 200),
        text("PUT", "/metrics/job/del", "del_m 2\n", 200),
        text("DELETE", "/metrics/job/del", "", 202),
        text("DELETE", "/metrics/job/nonexistent", "", 202),
        text("DELETE", "/metrics/job/x/a/1/b", "", 400),
        text("GET", "/metrics/job/del", "", 405),
    ];
    // Bad base64 job names last: Pushgateway 1.5.1 never answers another push of the same method
    // to an @base64 path after one of these.
    s.push(text("PUT", "/metrics/job@base64/a.b", "m 1\n", 400));
    s.push(text("POST", "/metrics/job@base64/!!", "m 1\n", 400));
    s.push(text("DELETE", "/metrics/job@base64/a.b", "", 400));
    s
}

fn send(client: &reqwest::blocking::Client, base: &str, step: &Step) -> (u16, String) {
    let method = reqwest::Method::from_bytes(step.method.as_bytes()).expect("method");
    let mut req = client.request(method, format!("{base}{}", step.path));
    if let Some(ct) = step.content_type {
        req = req.header("Content-Type", ct);
    }
    let body = if step.encoding == Enc::Gzip { gzip(&step.body) } else { step.body.clone() };
    if step.encoding != Enc::Plain {
        req = req.header("Content-Encoding", "gzip");
    }
    let resp = req.body(body).send().unwrap_or_else(|e| panic!("{} {}: {e}", step.method, step.path));
    let status = resp.status().as_u16();
    (status, resp.text().unwrap_or_default())
}

// ---- normalising the results

/// `name{labels} value` lines with empty labels dropped and push times reduced to zero / set.
fn normalise_samples(samples: impl IntoIterator<Item = (BTreeMap<String, String>, f64)>) -> Vec<String> {
    let mut out: Vec<String> = samples
        .into_iter()
        .map(|(labels, v)| {
            let name = labels.get("__name__").cloned().unwrap_or_default();
            let ls: Vec<String> = labels
                .iter()
                .filter(|(k, v)| *k != "__name__" && !v.is_empty())
                .map(|(k, v)| format!("{k}={v:?}"))
                .collect();
            let value = if name.starts_with("push_") {
                if v == 0.0 {
                    "zero".to_string()
                } else {
                    "set".to_string()
                }
            } else {
                pharos_protocol::exposition::format_float(v)
            };
            format!("{name}{{{}}} {value}", ls.join(","))
        })
        .collect();
    out.sort();
    out
}

fn pushgateway_series(base: &str) -> Vec<String> {
    let text = reqwest::blocking::get(format!("{base}/metrics")).and_then(|r| r.text()).expect("GET /metrics");
    let fams = pharos_protocol::exposition::parse(&text).expect("parse /metrics");
    let own = |n: &str| ["go_", "process_", "pushgateway_"].iter().any(|p| n.starts_with(p));
    normalise_samples(fams.into_iter().filter(|f| !own(&f.name)).flat_map(|f| {
        f.metrics.into_iter().map(|m| (m.labels.iter().map(|l| (l.name.clone(), l.value.clone())).collect(), m.value))
    }))
}

fn pharos_series(agg: &Aggregator) -> Vec<String> {
    normalise_samples(agg.query_vector("{job!=\"\"}").into_iter().map(|s| {
        let labels: BTreeMap<String, String> = s["metric"]
            .as_object()
            .expect("metric")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        let v: f64 = match s["value"][1].as_str().unwrap_or("NaN") {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            x => x.parse().unwrap_or(f64::NAN),
        };
        (labels, v)
    }))
}

/// `/api/v1/metrics` with groups sorted by their labels, `time_stamp`s removed and push-time
/// values reduced to zero / set.
fn api_metrics(base: &str) -> Value {
    let v: Value =
        reqwest::blocking::get(format!("{base}/api/v1/metrics")).and_then(|r| r.json()).expect("GET /api/v1/metrics");
    assert_eq!(v["status"], "success", "{v}");
    let mut groups: Vec<Value> = v["data"].as_array().cloned().unwrap_or_default();
    for g in &mut groups {
        for (name, fam) in g.as_object_mut().expect("group").iter_mut() {
            if let Some(f) = fam.as_object_mut() {
                f.remove("time_stamp");
                if name.starts_with("push_") {
                    for m in f["metrics"].as_array_mut().expect("metrics") {
                        let zero = m["value"] == "0";
                        m["value"] = Value::from(if zero { "zero" } else { "set" });
                    }
                }
            }
        }
    }
    groups.sort_by_key(|g| g["labels"].to_string());
    Value::Array(groups)
}

struct Pushgateway {
    _proc: Proc,
    base: String,
}

fn start_pushgateway(dir: &Path) -> Pushgateway {
    let addr = format!("127.0.0.1:{}", free_port());
    let proc = Proc::start(
        Path::new(PGW),
        &[&format!("--web.listen-address={addr}"), "--web.enable-admin-api"],
        &dir.join("pushgateway.log"),
    );
    let base = format!("http://{addr}");
    let ok = wait_for(Duration::from_secs(20), || {
        reqwest::blocking::get(format!("{base}/-/ready")).ok().filter(|r| r.status().is_success()).map(|_| ())
    });
    assert!(ok.is_some(), "pushgateway not ready: {}", proc.log_text());
    Pushgateway { _proc: proc, base }
}

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
    let got = pharos_series(&agg);
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
