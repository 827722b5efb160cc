//! The Pushgateway scenario shared by the aggregator's and the agent's Pushgateway tests
//! (`tests/pushgateway.rs`, `tests/agent_pushgateway.rs`): one scripted list of requests (PUT,
//! POST, DELETE, base64 and empty label values, type clashes, bad bodies, protobuf and gzip
//! bodies, the wipe) with the status Debian's `prometheus-pushgateway` 1.5.1 answers to each,
//! and the helpers that normalise the results of both for comparison (push times differ, so
//! only whether they are zero is compared).

use crate::{free_port, wait_for, Aggregator, Proc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Debian's Pushgateway 1.5.1.
pub const PGW: &str = "/usr/bin/prometheus-pushgateway";
/// The `Content-Type` of delimited protobuf bodies.
pub const PROTO_CT: &str =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

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
pub struct Step {
    /// The method.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    content_type: Option<&'static str>,
    encoding: Enc,
    body: Vec<u8>,
    /// The status both must answer (checked against the Pushgateway too, so a wrong
    /// expectation shows as such).
    pub want: u16,
}

fn text(method: &'static str, path: &'static str, body: &str, want: u16) -> Step {
    Step { method, path, content_type: None, encoding: Enc::Plain, body: body.as_bytes().to_vec(), want }
}

fn proto(method: &'static str, path: &'static str, body: Vec<u8>, want: u16) -> Step {
    Step { method, path, content_type: Some(PROTO_CT), encoding: Enc::Plain, body, want }
}

/// The requests, in order, with the status Pushgateway 1.5.1 answers.
pub fn scenario() -> Vec<Step> {
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

/// Sends one step to `base` (`http://address`): status and body.
pub fn send(client: &reqwest::blocking::Client, base: &str, step: &Step) -> (u16, String) {
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
pub fn normalise_samples(samples: impl IntoIterator<Item = (BTreeMap<String, String>, f64)>) -> Vec<String> {
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

/// What a scrape of a Pushgateway at `base` gives (minus its own metrics), normalised.
pub fn pushgateway_series(base: &str) -> Vec<String> {
    let text = reqwest::blocking::get(format!("{base}/metrics")).and_then(|r| r.text()).expect("GET /metrics");
    let fams = pharos_protocol::exposition::parse(&text).expect("parse /metrics");
    let own = |n: &str| ["go_", "process_", "pushgateway_"].iter().any(|p| n.starts_with(p));
    normalise_samples(fams.into_iter().filter(|f| !own(&f.name)).flat_map(|f| {
        f.metrics.into_iter().map(|m| (m.labels.iter().map(|l| (l.name.clone(), l.value.clone())).collect(), m.value))
    }))
}

/// The series an instant query of `selector` at the aggregator returns, normalised.
pub fn pharos_series(agg: &Aggregator, selector: &str) -> Vec<String> {
    normalise_samples(agg.query_vector(selector).into_iter().map(|s| {
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
pub fn api_metrics(base: &str) -> Value {
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

/// A running Debian Pushgateway.
pub struct Pushgateway {
    /// The process, killed when dropped.
    pub proc: Proc,
    /// `http://address`.
    pub base: String,
}

/// Starts Debian's Pushgateway (admin API on) on a free port and waits until it is ready.
pub fn start_pushgateway(dir: &Path) -> Pushgateway {
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
    Pushgateway { proc, base }
}
