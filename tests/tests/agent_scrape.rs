//! The agent's `[[collect.scrape.targets]]` end to end: the real release binaries (aggregator and
//! agent over QUIC/mTLS) and a real local exporter, Debian's node_exporter, started by the test on
//! 127.0.0.1, next to a target that is down (a closed port). Everything is read back through the
//! aggregator's `/api/v1/query`, as a Prometheus user would read it: `job`/`instance` and the
//! configured target labels on the exporter's series, `up`, `scrape_duration_seconds`,
//! `scrape_samples_scraped` (equal to the samples of our own fetch of the exporter),
//! `scrape_samples_post_metric_relabeling` after a `drop` rule, and, once the exporter stops, `up 0`
//! and its series gone stale.

use pharos_e2e::{closed_port, exposition_samples, sample_value, Agent, Aggregator, Exporter};
use pharos_protocol::exposition::Format;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// The Accept header of Prometheus 2.42, which the agent sends (agent/src/collect/scrape/target.rs).
const PROMETHEUS_ACCEPT: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// node_exporter's collectors for this test. Every family of these (and of the exporter's own
/// go_*, process_* and promhttp_* metrics) has a fixed number of series on a given machine: CPUs and
/// modes do not come and go, the Go summary has fixed quantiles, and promhttp pre-creates its
/// `code` and `cause` series. The default set would add network devices and mounts, which change
/// whenever another test starts a container or mounts something, and with them the sample count.
const COLLECTORS: &[&str] = &[
    "--collector.disable-defaults",
    "--collector.cpu",
    "--collector.loadavg",
    "--collector.meminfo",
    "--collector.uname",
    "--collector.stat",
];

const JOB: &str = "local-node";
const AGENT: &str = "scrape-host";

/// The label set of an instant-vector element (with `__name__`).
fn labels_of(s: &Value) -> BTreeMap<String, String> {
    s["metric"]
        .as_object()
        .unwrap_or_else(|| panic!("no metric in {s}"))
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
        .collect()
}

/// The single element of a vector, with a message naming the query otherwise.
fn one<'a>(v: &'a [Value], what: &str) -> &'a Value {
    assert_eq!(v.len(), 1, "{what}: expected exactly one series, got {v:?}");
    &v[0]
}

#[test]
fn a_local_node_exporter_is_scraped_with_job_instance_labels_report_series_and_staleness() {
    let mut exporter = Exporter::node_exporter(COLLECTORS);
    let down_port = closed_port();
    let live_instance = format!("{AGENT}:{}", exporter.port);
    let down_instance = format!("{AGENT}:{down_port}");

    // What the exporter exposes, fetched as the agent fetches it (same Accept header, same parser
    // choice by Content-Type). Twice: the count must not move between fetches (see COLLECTORS).
    let fetch = || {
        let (ct, body) = exporter.fetch(Some(PROMETHEUS_ACCEPT)).expect("fetch node_exporter");
        let families = Format::from_content_type(Some(&ct)).parse(&body).expect("node_exporter's exposition parses");
        (exposition_samples(&body).len(), families)
    };
    let (n1, families) = fetch();
    let (n2, _) = fetch();
    assert_eq!(n1, n2, "node_exporter's sample count is stable with these collectors");
    let samples: Vec<&pharos_protocol::exposition::Metric> = families.iter().flat_map(|f| &f.metrics).collect();
    assert_eq!(samples.len(), n1, "every sample line is one parsed sample");
    let name = |m: &pharos_protocol::exposition::Metric| m.labels.metric_name().unwrap_or_default().to_string();
    let go_samples = samples.iter().filter(|m| name(m).starts_with("go_")).count();
    let steal_samples =
        samples.iter().filter(|m| name(m) == "node_cpu_seconds_total" && m.labels.get("mode") == Some("steal")).count();
    let cpu_samples = samples.iter().filter(|m| name(m) == "node_cpu_seconds_total").count();
    assert!(go_samples > 0 && steal_samples > 0, "the exporter exposes what the drop rules drop");
    let build_info = samples
        .iter()
        .find(|m| name(m) == "node_exporter_build_info")
        .expect("node_exporter exposes node_exporter_build_info");
    let kept = n1 - go_samples - steal_samples;

    let mut agg = Aggregator::setup();
    agg.start();
    let extra = format!(
        r#"
[collect.host]
enabled = false

[collect.services]
detect = false

[collect.containers]
enabled = false

[collect.scrape]
textfile_directory = "/nonexistent/pharos-e2e-textfile"

[[collect.scrape.targets]]
url = "{live}"
job = "{JOB}"
interval = "1s"
timeout = "900ms"
labels = {{ team = "infra", env = "e2e" }}
metric_relabel_configs = [
  {{ source_labels = ["__name__"], regex = "go_.*", action = "drop" }},
  {{ source_labels = ["__name__", "mode"], regex = "node_cpu_seconds_total;steal", action = "drop" }},
]

[[collect.scrape.targets]]
url = "http://127.0.0.1:{down_port}/metrics"
job = "{JOB}"
interval = "1s"
timeout = "900ms"
"#,
        live = exporter.url(),
    );
    let mut agent = Agent::setup(&agg, AGENT, "1s", &extra);
    agent.start();
    let logs = |agent: &Agent, agg: &Aggregator, exporter: &Exporter| {
        format!("agent log:\n{}\naggregator log:\n{}\nexporter log:\n{}", agent.log(), agg.log(), exporter.log())
    };

    // `up` per target: 1 for the exporter, 0 for the closed port, each with its instance.
    let q_up = format!("up{{job=\"{JOB}\"}}");
    let (up, ok) = agg.wait_vector(&q_up, Duration::from_secs(30), |v| {
        v.len() == 2 && v.iter().any(|s| s["metric"]["instance"] == live_instance.as_str() && s["value"][1] == "1")
    });
    assert!(ok, "up for both targets within 30 s: {up:?}\n{}", logs(&agent, &agg, &exporter));
    let up_of = |v: &[Value], inst: &str| -> f64 {
        sample_value(one(
            &v.iter().filter(|s| s["metric"]["instance"] == inst).cloned().collect::<Vec<_>>(),
            &format!("up of {inst}"),
        ))
    };
    assert_eq!(up_of(&up, &live_instance), 1.0, "live target: {up:?}");
    assert_eq!(up_of(&up, &down_instance), 0.0, "closed port: {up:?}");
    let live_up = up.iter().find(|s| s["metric"]["instance"] == live_instance.as_str()).expect("live up");
    let expect_target = |extra: &[(&str, &str)], inst: &str, name: &str| -> BTreeMap<String, String> {
        let mut m: BTreeMap<String, String> = [("__name__", name), ("job", JOB), ("instance", inst)]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        m.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        m
    };
    let extra_labels = [("team", "infra"), ("env", "e2e")];
    assert_eq!(labels_of(live_up), expect_target(&extra_labels, &live_instance, "up"), "up carries the target labels");
    let down_up = up.iter().find(|s| s["metric"]["instance"] == down_instance.as_str()).expect("down up");
    assert_eq!(labels_of(down_up), expect_target(&[], &down_instance, "up"));

    // The exporter's own series: its labels plus job, instance (loopback → `<agent>:<port>`) and
    // the configured labels, nothing else.
    let bi = agg.query_vector(&format!("node_exporter_build_info{{job=\"{JOB}\"}}"));
    let bi = one(&bi, "node_exporter_build_info");
    let mut want: BTreeMap<String, String> =
        build_info.labels.iter().map(|l| (l.name.clone(), l.value.clone())).collect();
    want.extend(expect_target(&extra_labels, &live_instance, "node_exporter_build_info"));
    assert_eq!(labels_of(bi), want, "node_exporter_build_info's labels");
    assert_eq!(sample_value(bi), 1.0);

    // node_cpu_seconds_total: every CPU and mode but `steal`, which the second rule drops.
    let (cpu, ok) =
        agg.wait_vector(&format!("node_cpu_seconds_total{{job=\"{JOB}\"}}"), Duration::from_secs(10), |v| {
            v.len() == cpu_samples - steal_samples
        });
    assert!(
        ok,
        "{} node_cpu_seconds_total series without steal, got {}: {cpu:?}",
        cpu_samples - steal_samples,
        cpu.len()
    );
    for s in &cpu {
        let l = labels_of(s);
        assert_eq!((l["job"].as_str(), l["instance"].as_str()), (JOB, live_instance.as_str()), "{s}");
        assert_eq!((l["team"].as_str(), l["env"].as_str()), ("infra", "e2e"), "{s}");
        assert_ne!(l["mode"], "steal", "the relabel drop rule drops mode=steal: {s}");
        assert!(l.contains_key("cpu"), "{s}");
    }
    let modes: std::collections::BTreeSet<String> = cpu.iter().map(|s| labels_of(s)["mode"].clone()).collect();
    assert!(modes.contains("idle") && modes.contains("user"), "other modes are kept: {modes:?}");
    // The first rule: no go_* series of this target arrive (the exporter exposes go_samples of them).
    let go = agg.query_vector(&format!("{{job=\"{JOB}\", __name__=~\"go_.*\"}}"));
    assert!(go.is_empty(), "go_* are dropped by metric_relabel_configs: {go:?}");
    let process = agg.query_vector(&format!("process_start_time_seconds{{job=\"{JOB}\"}}"));
    assert_eq!(process.len(), 1, "what the rules do not match arrives: {process:?}");

    // Report series per target.
    let per_target = |name: &str| -> BTreeMap<String, f64> {
        agg.query_vector(&format!("{name}{{job=\"{JOB}\"}}"))
            .iter()
            .map(|s| (s["metric"]["instance"].as_str().unwrap_or_default().to_string(), sample_value(s)))
            .collect()
    };
    let duration = per_target("scrape_duration_seconds");
    assert_eq!(duration.len(), 2, "scrape_duration_seconds per target: {duration:?}");
    let d = duration[&live_instance];
    assert!(d > 0.0 && d < 0.9, "the live scrape took (0, timeout) seconds: {d}");
    assert!(duration[&down_instance] >= 0.0 && duration[&down_instance] < 1.0, "{duration:?}");
    let scraped = per_target("scrape_samples_scraped");
    assert_eq!(scraped.len(), 2, "scrape_samples_scraped per target: {scraped:?}");
    assert_eq!(scraped[&live_instance], n1 as f64, "scrape_samples_scraped = the samples node_exporter exposes");
    assert_eq!(scraped[&down_instance], 0.0);
    let post = per_target("scrape_samples_post_metric_relabeling");
    assert_eq!(post[&live_instance], kept as f64, "{n1} scraped - {go_samples} go_* - {steal_samples} steal");
    assert_eq!(post[&down_instance], 0.0);
    assert_eq!(per_target("scrape_series_added").len(), 2, "scrape_series_added per target");

    // Everything the relabeling kept arrived, plus the 5 report series, and nothing else.
    let q_all = format!("count({{job=\"{JOB}\", instance=\"{live_instance}\"}})");
    let (all, ok) =
        agg.wait_vector(&q_all, Duration::from_secs(10), |v| v.len() == 1 && sample_value(&v[0]) == (kept + 5) as f64);
    assert!(ok, "{kept} kept series + 5 report series of the live target: {all:?}");
    let q_down_all = format!("count({{job=\"{JOB}\", instance=\"{down_instance}\"}})");
    assert_eq!(
        sample_value(one(&agg.query_vector(&q_down_all), "down target")),
        6.0,
        "a down target has only its report series and the failure series"
    );
    let reason = |instance: &str| -> Option<String> {
        let q = format!("pharos_target_failure_info{{job=\"{JOB}\", instance=\"{instance}\"}}");
        let v = agg.query_vector(&q);
        v.first().and_then(|s| s["metric"]["reason"].as_str().map(str::to_string))
    };
    assert_eq!(reason(&down_instance).as_deref(), Some("connection refused"));
    assert_eq!(reason(&live_instance), None, "the live target has no failure");

    // The exporter stops: up turns 0 at the next scrape, and its series end with staleness
    // markers, so an instant query no longer returns them (not after 5 minutes of lookback).
    exporter.stop();
    let q_live_up = format!("up{{job=\"{JOB}\", instance=\"{live_instance}\"}}");
    let (v, ok) = agg.wait_vector(&q_live_up, Duration::from_secs(15), |v| v.len() == 1 && sample_value(&v[0]) == 0.0);
    assert!(ok, "up turns 0 once node_exporter stops: {v:?}\n{}", logs(&agent, &agg, &exporter));
    for q in [
        format!("node_exporter_build_info{{job=\"{JOB}\"}}"),
        format!("node_cpu_seconds_total{{job=\"{JOB}\"}}"),
        format!("process_start_time_seconds{{job=\"{JOB}\"}}"),
    ] {
        let (v, ok) = agg.wait_vector(&q, Duration::from_secs(5), |v| v.is_empty());
        assert!(ok, "{q} is stale after the failed scrape: {v:?}");
    }
    let (v, ok) = agg.wait_vector(&q_all, Duration::from_secs(5), |v| v.len() == 1 && sample_value(&v[0]) == 6.0);
    assert!(ok, "only the report series of the stopped target and its failure remain: {v:?}");
    assert_eq!(reason(&live_instance).as_deref(), Some("connection refused"));
    assert_eq!(per_target("scrape_samples_scraped")[&live_instance], 0.0);
    // up still 0 for the closed port; the agent keeps running.
    assert_eq!(up_of(&agg.query_vector(&q_up), &down_instance), 0.0);
    assert!(agent.proc.as_mut().expect("started").running(), "the agent survives a target going away");
}
