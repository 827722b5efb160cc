//! `/federate` against Debian's Prometheus 2.42: Prometheus scrapes Pharos' `/federate` (every
//! second, `honor_labels: true`, `match[]` selecting imported series and some of a real agent's)
//! and must hold the same series with the same samples: every sample it stored is one Pharos has,
//! at the same timestamp, and it keeps up with the agent. One Prometheus scrapes the text format,
//! a second one (`--enable-feature=native-histograms`, which asks for protobuf first) the
//! delimited protobuf format. The edge cases (no `match[]`, bad selectors) are answered as
//! Prometheus' own `/federate` answers them.
//!
//! Run: `cargo build --release --workspace && cargo test --release -p pharos-e2e --test federate`.

use pharos_e2e::{free_port, wait_for, Agent, Aggregator, Proc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PROMETHEUS: &str = "/usr/bin/prometheus";

/// The selectors Prometheus federates.
const MATCHERS: [&str; 3] = [
    r#"{__name__=~"fed_.+"}"#,
    r#"{job="node",__name__=~"node_load1|node_cpu_seconds_total|node_memory_MemTotal_bytes"}"#,
    r#"up{instance="fed-host"}"#,
];

/// A Prometheus scraping Pharos' `/federate`.
struct Prometheus {
    _dir: tempfile::TempDir,
    addr: SocketAddr,
    proc: Proc,
}

impl Prometheus {
    fn start(target: SocketAddr, extra_args: &[&str]) -> Prometheus {
        assert!(Path::new(PROMETHEUS).exists(), "{PROMETHEUS} is missing: apt-get install prometheus");
        let dir = tempfile::tempdir().expect("tempdir");
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let matchers: Vec<String> = MATCHERS.iter().map(|m| format!("'{m}'")).collect();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: federate\n    \
                 honor_labels: true\n    metrics_path: /federate\n    params:\n      'match[]': [{}]\n    \
                 static_configs:\n      - targets: ['{target}']\n",
                matchers.join(", ")
            ),
        )
        .expect("write prometheus.yml");
        let mut args = vec![
            format!("--config.file={}", config.display()),
            format!("--storage.tsdb.path={}", dir.path().join("data").display()),
            format!("--web.listen-address={addr}"),
        ];
        args.extend(extra_args.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let proc = Proc::start(Path::new(PROMETHEUS), &args, &dir.path().join("prometheus.log"));
        let url = format!("http://{addr}/-/ready");
        let ready = wait_for(Duration::from_secs(30), || {
            reqwest::blocking::get(&url).ok().filter(|r| r.status().is_success()).map(|_| ())
        });
        assert!(ready.is_some(), "prometheus not ready; log:\n{}", proc.log_text());
        Prometheus { _dir: dir, addr, proc }
    }
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64
}

/// `data` of an instant query at `time_s` (now if `None`).
fn query(addr: SocketAddr, q: &str, time_s: Option<f64>) -> Value {
    let mut params = vec![("query", q.to_string())];
    if let Some(t) = time_s {
        params.push(("time", format!("{t:.3}")));
    }
    let v: Value = reqwest::blocking::Client::new()
        .get(format!("http://{addr}/api/v1/query"))
        .query(&params)
        .send()
        .and_then(|r| r.json())
        .expect("query");
    assert_eq!(v["status"], "success", "{addr}: {q}: {v}");
    v["data"].clone()
}

/// Labels of a result element, as a sorted map.
fn labels(metric: &Value) -> BTreeMap<String, String> {
    metric
        .as_object()
        .expect("metric object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("label value").to_string()))
        .collect()
}

fn float(v: &Value) -> f64 {
    match v.as_str().expect("value string") {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        s => s.parse().expect("float"),
    }
}

/// Every series of a range-vector query (`sel[window]` at `time_s`) with its samples
/// (timestamp in ms, value bits, so NaN compares equal to itself).
fn samples(
    addr: SocketAddr,
    sel: &str,
    window: &str,
    time_s: f64,
) -> BTreeMap<BTreeMap<String, String>, Vec<(i64, u64)>> {
    let data = query(addr, &format!("{sel}[{window}]"), Some(time_s));
    assert_eq!(data["resultType"], "matrix", "{data}");
    data["result"]
        .as_array()
        .expect("result")
        .iter()
        .map(|s| {
            let pts = s["values"]
                .as_array()
                .expect("values")
                .iter()
                .map(|p| ((p[0].as_f64().expect("ts") * 1000.0).round() as i64, float(&p[1]).to_bits()))
                .collect();
            (labels(&s["metric"]), pts)
        })
        .collect()
}

/// Status and body of `GET /federate` with the given raw query string.
fn federate(addr: SocketAddr, query: &str, accept: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut req = reqwest::blocking::Client::new().get(format!("http://{addr}/federate{query}"));
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    let resp = req.send().expect("federate");
    let status = resp.status().as_u16();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, ct, resp.bytes().expect("body").to_vec())
}

/// The labels a Pharos series has in the federating Prometheus: the external label
/// `cluster="eu"` and the scrape job's `job="federate"` where the series has none; no instance
/// where it has none (Pharos sends `instance=""`, which honor_labels keeps and storage drops).
fn federated(mut l: BTreeMap<String, String>) -> BTreeMap<String, String> {
    l.entry("cluster".into()).or_insert_with(|| "eu".into());
    l.entry("job".into()).or_insert_with(|| "federate".into());
    l
}

/// Asserts that Prometheus holds exactly the federated series Pharos has (plus the external
/// label), and that every sample Prometheus stored is one of Pharos' at the same time.
fn assert_same_series(pharos: &Aggregator, prom: &Prometheus, what: &str) {
    // Enough scrapes for several agent samples per series.
    let enough = wait_for(Duration::from_secs(60), || {
        let data = query(prom.addr, r#"count_over_time(node_load1{instance="fed-host"}[1m])"#, None);
        let n = data["result"].as_array().and_then(|r| r.first()).map(|s| float(&s["value"][1])).unwrap_or(0.0);
        (n >= 5.0).then_some(())
    });
    assert!(enough.is_some(), "{what}: Prometheus did not collect 5 federated samples; log:\n{}", prom.proc.log_text());
    let t = (now_ms() - 1_500) as f64 / 1000.0;
    let mut compared = 0;
    for sel in MATCHERS {
        let ours = samples(pharos.http, sel, "2m", t);
        let theirs = samples(prom.addr, sel, "2m", t);
        // Pharos' series under the labels Prometheus gives them.
        let ours: BTreeMap<_, _> = ours.into_iter().map(|(l, pts)| (federated(l), pts)).collect();
        let got: BTreeSet<BTreeMap<String, String>> = theirs.keys().cloned().collect();
        // Series whose last sample is older than the lookback (2m) are not federated: compare
        // with those Pharos still has a sample for within it.
        let latest = |addr, relabel: bool| -> BTreeMap<BTreeMap<String, String>, u64> {
            query(addr, sel, Some(t))["result"]
                .as_array()
                .expect("result")
                .iter()
                .map(|s| {
                    let l = labels(&s["metric"]);
                    (if relabel { federated(l) } else { l }, float(&s["value"][1]).to_bits())
                })
                .collect()
        };
        let (p_latest, o_latest) = (latest(prom.addr, false), latest(pharos.http, true));
        let recent: BTreeSet<_> = o_latest.keys().cloned().collect();
        assert!(!recent.is_empty(), "{what}: {sel} selects nothing in Pharos");
        assert_eq!(got, recent, "{what}: {sel}: Prometheus' series differ from Pharos'");
        for (l, pts) in &theirs {
            let ours_pts: BTreeSet<(i64, u64)> = ours.get(l).cloned().unwrap_or_default().into_iter().collect();
            for p in pts {
                assert!(ours_pts.contains(p), "{what}: {l:?}: Prometheus holds {p:?}, which Pharos does not");
                compared += 1;
            }
        }
        // Same latest value at t, too. Prometheus may be a scrape behind on the agent's newest
        // sample; the imported and constant series must agree exactly.
        for (l, v) in &p_latest {
            let constant =
                l.get("__name__").is_some_and(|n| n.starts_with("fed_") || n == "node_memory_MemTotal_bytes");
            if constant {
                assert_eq!(Some(v), o_latest.get(l), "{what}: {l:?} latest value");
            }
        }
    }
    // The agent's series keep arriving: Prometheus has samples of the last few seconds.
    let fresh = query(prom.addr, r#"time() - timestamp(node_load1{instance="fed-host"})"#, None);
    let age = fresh["result"].as_array().and_then(|r| r.first()).map(|s| float(&s["value"][1])).unwrap_or(f64::MAX);
    assert!(age < 10.0, "{what}: Prometheus' newest federated agent sample is {age}s old");
    assert!(compared >= 50, "{what}: only {compared} samples compared");
    eprintln!("{what}: {compared} federated samples compared");
}

#[test]
fn prometheus_federates_pharos() {
    let mut pharos =
        Aggregator::setup_with("[query]\nlookback_delta = \"2m\"\n\n[rules]\nexternal_labels = { cluster = \"eu\" }\n");
    pharos.start();
    let mut agent = Agent::setup(&pharos, "fed-host", "1s", "");
    agent.start();

    let now = now_ms();
    // Imported series: special characters, no instance, an own cluster label, NaN and ±Inf, one
    // series whose latest sample is older than the 2m lookback, one updated within it.
    pharos.import(&format!(
        "fed_gauge{{kind=\"plain\",job=\"imp\"}} 1.5 {a}\n\
         fed_gauge{{kind=\"quote\\\"back\\\\slash\\nnewline\",job=\"imp\"}} -2e-7 {a}\n\
         fed_gauge{{kind=\"own-cluster\",cluster=\"us\",instance=\"i:1\"}} 42 {a}\n\
         fed_special{{v=\"nan\"}} NaN {a}\n\
         fed_special{{v=\"inf\"}} +Inf {a}\n\
         fed_special{{v=\"-inf\"}} -Inf {a}\n\
         fed_old 7 {old}\n\
         fed_updated 1 {b}\n\
         fed_updated 2 {a}\n",
        a = now - 5_000,
        b = now - 60_000,
        old = now - 150_000,
    ));
    let ready = wait_for(Duration::from_secs(60), || {
        (!pharos.query_vector(r#"node_load1{instance="fed-host"}"#).is_empty()).then_some(())
    });
    assert!(ready.is_some(), "agent data did not arrive; agent log:\n{}", agent.log());

    // What Pharos serves itself.
    let (status, ct, body) = federate(pharos.http, "?match[]=%7B__name__%3D~%22fed_.%2B%22%7D", None);
    let text = String::from_utf8(body).expect("utf-8");
    assert_eq!((status, ct.as_str()), (200, "text/plain; version=0.0.4; charset=utf-8"), "{text}");
    assert!(text.contains("# TYPE fed_gauge untyped\n"), "{text}");
    assert!(
        text.contains(&format!(
            "fed_gauge{{job=\"imp\",kind=\"plain\",cluster=\"eu\",instance=\"\"}} 1.5 {}\n",
            now - 5_000
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "fed_gauge{{cluster=\"us\",instance=\"i:1\",kind=\"own-cluster\"}} 42 {}\n",
            now - 5_000
        )),
        "{text}"
    );
    assert!(text.contains(&format!("fed_updated{{cluster=\"eu\",instance=\"\"}} 2 {}\n", now - 5_000)), "{text}");
    assert!(!text.contains("fed_old"), "older than the lookback: {text}");
    let (_, ct, _) = federate(
        pharos.http,
        "?match[]=fed_updated",
        Some("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"),
    );
    assert_eq!(ct, "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");

    let text_prom = Prometheus::start(pharos.http, &[]);
    let proto_prom = Prometheus::start(pharos.http, &["--enable-feature=native-histograms"]);
    assert_same_series(&pharos, &text_prom, "text format");
    assert_same_series(&pharos, &proto_prom, "protobuf");
    let t = now_ms() as f64 / 1000.0;
    assert!(query(text_prom.addr, "fed_old", Some(t))["result"].as_array().expect("result").is_empty());
    // The scrape itself succeeded every time.
    let up = query(text_prom.addr, r#"min_over_time(up{job="federate"}[30s])"#, None);
    assert_eq!(up["result"][0]["value"][1], "1", "{up}");

    // The edge cases, answered as Prometheus' own /federate answers them.
    for q in [
        "",
        "?match[]=",
        "?match[]=up%7B",
        "?match[]=rate(up%5B5m%5D)",
        "?match[]=up&match[]=%7B",
        "?match[]=nothing_matches_this",
    ] {
        let (ps, pct, pbody) = federate(pharos.http, q, None);
        let (prs, prct, prbody) = federate(text_prom.addr, q, None);
        assert_eq!(
            ps,
            prs,
            "status of /federate{q}: pharos {:?}, prometheus {:?}",
            String::from_utf8_lossy(&pbody),
            String::from_utf8_lossy(&prbody)
        );
        assert_eq!(pct, prct, "content type of /federate{q}");
        if ps == 200 {
            assert_eq!(pbody, prbody, "/federate{q} selects nothing in either");
        }
    }
    // The one deliberate difference: a selector whose matchers all match the empty label value
    // selects, in Prometheus 2.42's /federate, every series lacking the label (a scan of the
    // whole database); Pharos refuses it, as Prometheus' /api/v1/series does.
    let q = "?match[]=%7Bjob%3D%22%22%7D";
    let (ps, _, body) = federate(pharos.http, q, None);
    assert_eq!((ps, body.as_slice()), (400, b"match[] must contain at least one non-empty matcher\n".as_slice()));
    assert_eq!(federate(text_prom.addr, q, None).0, 200, "Prometheus 2.42 accepts {q}");
    agent.proc.take();
    pharos.stop();
}
