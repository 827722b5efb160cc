//! Parent aggregator: a child aggregator with a `[parent]` section (a certificate the parent
//! issued, a `match` that selects `up` and `node_load*`, external label `region="eu"`) and a real
//! agent pushing to the child. The agent's matched series are at the parent with the same
//! labels (plus the external label) and the same samples; the others are not. Then the parent is
//! down for 60 s while the child keeps ingesting: afterwards every sample the child stored in that
//! minute is at the parent.

use pharos_e2e::{wait_for, Agent, Aggregator};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now_s() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs_f64()
}

/// Raw samples per series (labels without `region`, as JSON text) of a range selector.
type Raw = BTreeMap<String, Vec<(f64, String)>>;

/// `selector[range]` evaluated at `time`: every raw sample of every series in the window.
fn raw(agg: &Aggregator, selector: &str, range: &str, time: f64) -> Raw {
    let url = format!("http://{}/api/v1/query", agg.http);
    let q = format!("{selector}[{range}]");
    let v: Value = reqwest::blocking::Client::new()
        .get(url)
        .query(&[("query", q.as_str()), ("time", &format!("{time:.3}"))])
        .send()
        .and_then(|r| r.json())
        .expect("query");
    assert_eq!(v["status"], "success", "{q}: {v}");
    let mut out = Raw::new();
    for s in v["data"]["result"].as_array().cloned().unwrap_or_default() {
        let mut metric = s["metric"].as_object().cloned().unwrap_or_default();
        metric.remove("region");
        let values = s["values"].as_array().cloned().unwrap_or_default();
        let samples = values
            .iter()
            .map(|p| (p[0].as_f64().unwrap_or(f64::NAN), p[1].as_str().unwrap_or_default().to_string()))
            .collect();
        out.insert(Value::Object(metric).to_string(), samples);
    }
    out
}

/// The child's forwarded series of the agent, as the child stores them.
const CHILD: &str = r#"{__name__=~"up|node_load.*",instance="host-1"}"#;
/// The same series at the parent: with the child's external label.
const PARENT: &str = r#"{__name__=~"up|node_load.*",instance="host-1",region="eu"}"#;

/// Waits until the parent holds the same raw samples as the child in `range` before `time`, and
/// returns both.
fn converged(child: &Aggregator, parent: &Aggregator, range: &str, time: f64, wait: Duration) -> (Raw, Raw) {
    let mut last = (Raw::new(), Raw::new());
    let same = wait_for(wait, || {
        last = (raw(child, CHILD, range, time), raw(parent, PARENT, range, time));
        (!last.0.is_empty() && last.0 == last.1).then_some(())
    });
    if same.is_none() {
        let (c, p) = &last;
        let counts = |r: &Raw| r.iter().map(|(k, v)| format!("{k}: {}", v.len())).collect::<Vec<_>>();
        panic!(
            "parent differs from child over {range} at {time:.3}\nchild: {:?}\nparent: {:?}\nchild log:\n{}\nparent log:\n{}",
            counts(c),
            counts(p),
            child.log(),
            parent.log()
        );
    }
    last
}

fn metric_value(text: &str, prefix: &str) -> Option<f64> {
    text.lines().find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[test]
fn a_childs_agent_series_reach_the_parent_also_after_a_parent_outage() {
    let mut parent = Aggregator::setup();
    parent.start();
    let creds = tempfile::tempdir().expect("tempdir");
    parent.issue_agent_cert("eu-1", creds.path());
    let dir = creds.path().display();
    let extra = format!(
        r#"
[rules]
external_labels = {{ region = "eu" }}

[parent]
server = "{quic}"
name = "eu-1"
server_name = "localhost"
ca_file = "{dir}/ca.pem"
cert_file = "{dir}/agent.pem"
key_file = "{dir}/agent-key.pem"
match = ['up', '{{__name__=~"node_load.*"}}']
backoff_max = "2s"
interval = "5s"
"#,
        quic = parent.quic
    );
    let mut child = Aggregator::setup_with(&extra);
    child.start();
    let mut agent = Agent::setup(&child, "host-1", "1s", "");
    agent.start();

    // The matched series arrive with the external label; the child shows up as an agent.
    wait_for(Duration::from_secs(60), || {
        (parent.query_vector(r#"count_over_time(node_load1{instance="host-1",region="eu"}[1m]) >= 15"#).len() == 1)
            .then_some(())
    })
    .unwrap_or_else(|| panic!("nothing forwarded\nchild log:\n{}\nparent log:\n{}", child.log(), parent.log()));
    let up = parent.query_vector(r#"up{job="pharos-agent",instance="eu-1"}"#);
    assert_eq!(up.len(), 1, "{up:?}");
    assert_eq!(up[0]["value"][1], "1");

    // Same labels, same raw samples, over the last 10 s (settled: 3 s ago).
    let (c, _) = converged(&child, &parent, "10s", now_s() - 3.0, Duration::from_secs(30));
    let names: Vec<&String> = c.keys().collect();
    assert!(c.keys().any(|k| k.contains("\"node_load1\"")) && c.keys().any(|k| k.contains("\"up\"")), "{names:?}");
    assert!(c.values().all(|s| s.len() >= 8), "1 s interval: {c:?}");

    // The match forwards only what it selects: the child has many other node_* series.
    let other = child.query_vector(r#"count({__name__=~"node_.*",__name__!~"node_load.*",instance="host-1"})"#);
    assert!(other.len() == 1 && pharos_e2e::sample_value(&other[0]) > 10.0, "{other:?}");
    let leaked = parent.query_vector(r#"{region="eu",__name__!~"up|node_load.*"}"#);
    assert!(leaked.is_empty(), "unmatched series at the parent: {leaked:?}");
    let metrics = child.metrics_text();
    assert!(
        metric_value(&metrics, r#"pharos_parent_samples_dropped_total{reason="match"}"#).unwrap_or(0.0) > 100.0,
        "{metrics}"
    );
    assert_eq!(metric_value(&metrics, "pharos_parent_connected{"), Some(1.0), "{metrics}");

    // The parent is down for a minute; the child keeps ingesting and buffering.
    let outage_start = now_s();
    parent.stop();
    std::thread::sleep(Duration::from_secs(30));
    let metrics = child.metrics_text();
    assert_eq!(metric_value(&metrics, "pharos_parent_connected{"), Some(0.0), "{metrics}");
    assert!(metric_value(&metrics, "pharos_parent_buffer_records ").unwrap_or(0.0) >= 20.0, "{metrics}");
    std::thread::sleep(Duration::from_secs(30));
    let outage_end = now_s();
    assert!(outage_end - outage_start >= 60.0);
    parent.start();

    // Every sample the child stored from before the outage to after it is at the parent.
    let window = outage_end - outage_start + 20.0;
    let (c, p) =
        converged(&child, &parent, &format!("{}s", window.ceil() as u64), outage_end + 10.0, Duration::from_secs(90));
    let in_outage = |r: &Raw, key: &str| {
        r.iter()
            .filter(|(k, _)| k.contains(key))
            .flat_map(|(_, s)| s.iter())
            .filter(|(t, _)| *t > outage_start && *t < outage_end)
            .count()
    };
    let load = in_outage(&c, "\"node_load1\"");
    assert!(load >= 55, "the child stored only {load} node_load1 samples during the 60 s outage");
    assert_eq!(in_outage(&p, "\"node_load1\""), load);
    assert_eq!(in_outage(&p, "\"up\""), in_outage(&c, "\"up\""));
    assert_eq!(c, p);
}
