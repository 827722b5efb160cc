//! Remote write in and out against the real things: Debian's Prometheus 2.42 remote-writes what
//! it scrapes into Pharos' `/api/v1/write`, and Pharos remote-writes everything it stores into
//! Debian's VictoriaMetrics, which is restarted in the middle; at the end both hold the same
//! samples.

use pharos_e2e::{free_port, wait_for, Aggregator, Proc};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PROMETHEUS: &str = "/usr/bin/prometheus";
const VICTORIA_METRICS: &str = "/usr/bin/victoria-metrics";

/// A series' samples as `(timestamp in ms, value)`, by the series' labels rendered as JSON.
type Samples = BTreeMap<String, Vec<(i64, f64)>>;

/// The matrix of an instant query with a range selector at `time` (seconds), keyed by labels.
fn matrix(base: &str, query: &str, time: f64) -> Samples {
    let url = format!("{base}/api/v1/query");
    let time = format!("{time:.3}");
    let resp = reqwest::blocking::Client::new().get(url).query(&[("query", query), ("time", &time)]).send();
    let v: Value = resp.and_then(|r| r.json()).unwrap_or(Value::Null);
    assert_eq!(v["status"], "success", "{base}: {query}: {v}");
    let mut out = Samples::new();
    for s in v["data"]["result"].as_array().cloned().unwrap_or_default() {
        let values = s["values"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|p| {
                let ts = (p[0].as_f64().unwrap_or(0.0) * 1000.0).round() as i64;
                let v: f64 = p[1].as_str().unwrap_or("").parse().unwrap_or(f64::NAN);
                (ts, v)
            })
            .collect();
        out.insert(s["metric"].to_string(), values);
    }
    out
}

fn now_s() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// Debian's Prometheus, scraping itself every second and remote-writing to `write_url`.
fn start_prometheus(dir: &Path, write_url: &str) -> (Proc, String) {
    assert!(Path::new(PROMETHEUS).exists(), "{PROMETHEUS} is missing: apt-get install prometheus");
    let port = free_port();
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             scrape_configs:\n  - job_name: prom\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n\
             remote_write:\n  - url: {write_url}\n    queue_config:\n      batch_send_deadline: 500ms\n"
        ),
    )
    .expect("write prometheus.yml");
    let args = [
        format!("--config.file={}", config.display()),
        format!("--storage.tsdb.path={}", dir.join("data").display()),
        format!("--web.listen-address=127.0.0.1:{port}"),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let proc = Proc::start(Path::new(PROMETHEUS), &args, &dir.join("prometheus.log"));
    let base = format!("http://127.0.0.1:{port}");
    let ready = wait_for(Duration::from_secs(30), || {
        reqwest::blocking::get(format!("{base}/-/ready")).ok().filter(|r| r.status().is_success())
    });
    assert!(ready.is_some(), "prometheus not ready:\n{}", proc.log_text());
    (proc, base)
}

#[test]
fn prometheus_remote_writes_into_pharos_and_the_series_match() {
    let mut agg = Aggregator::setup();
    agg.start();
    let pharos = format!("http://{}", agg.http);
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut prom, prom_url) = start_prometheus(dir.path(), &format!("{pharos}/api/v1/write"));

    // Gauges and counters with changing values, of several types.
    let query = r#"{job="prom", __name__=~"up|scrape_duration_seconds|scrape_samples_scraped|prometheus_tsdb_head_series|prometheus_http_requests_total"}[20s]"#;
    let at = loop {
        // Wait until Prometheus has 8 s of its own samples.
        let t = now_s() - 1.0;
        let m = matrix(&prom_url, r#"up{job="prom"}[20s]"#, t);
        if m.values().next().is_some_and(|v| v.len() >= 8) {
            break t;
        }
        assert!(prom.running(), "prometheus exited:\n{}", prom.log_text());
        std::thread::sleep(Duration::from_millis(500));
    };
    let expected = matrix(&prom_url, query, at);
    assert!(expected.len() >= 5, "too few series in Prometheus: {:?}", expected.keys());
    assert!(expected.values().all(|v| v.len() >= 5));
    // Remote write lags a little behind the scrapes: wait until Pharos holds the same.
    let mut got = Samples::new();
    let same = wait_for(Duration::from_secs(30), || {
        got = matrix(&pharos, query, at);
        (got == expected).then_some(())
    });
    assert!(
        same.is_some(),
        "Pharos' samples differ from Prometheus'\nPrometheus: {expected:?}\nPharos: {got:?}\nprometheus log:\n{}\naggregator log:\n{}",
        prom.log_text(),
        agg.log()
    );
    let metrics = agg.metrics_text();
    assert!(
        metrics.lines().any(|l| l.starts_with("pharos_remote_write_received_samples_total ") && !l.ends_with(" 0")),
        "{metrics}"
    );
    prom.stop();
    agg.stop();
}

/// Debian's VictoriaMetrics on `port` with its data in `data`.
fn start_victoria(port: u16, data: &Path, log: &Path) -> Proc {
    assert!(Path::new(VICTORIA_METRICS).exists(), "{VICTORIA_METRICS} is missing: apt-get install victoria-metrics");
    let args = [format!("-httpListenAddr=127.0.0.1:{port}"), format!("-storageDataPath={}", data.display())];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut proc = Proc::start(Path::new(VICTORIA_METRICS), &args, log);
    let ready = wait_for(Duration::from_secs(30), || {
        assert!(proc.running(), "victoria-metrics exited:\n{}", proc.log_text());
        reqwest::blocking::get(format!("http://127.0.0.1:{port}/health")).ok().filter(|r| r.status().is_success())
    });
    assert!(ready.is_some(), "victoria-metrics not ready:\n{}", proc.log_text());
    proc
}

/// Samples per series of `rw_test` in VictoriaMetrics (raw, from `/api/v1/export`), keyed by the
/// `series` label.
fn victoria_counts(port: u16) -> BTreeMap<String, usize> {
    let url = format!("http://127.0.0.1:{port}/api/v1/export");
    let text = reqwest::blocking::Client::new()
        .get(url)
        .query(&[("match[]", r#"{__name__="rw_test"}"#), ("start", "0")])
        .send()
        .and_then(|r| r.text())
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap_or(Value::Null);
        let series = v["metric"]["series"].as_str().unwrap_or("").to_string();
        *out.entry(series).or_insert(0) += v["timestamps"].as_array().map_or(0, Vec::len);
    }
    out
}

/// Samples per series of `rw_test` in Pharos over the last hour.
fn pharos_counts(agg: &Aggregator) -> BTreeMap<String, usize> {
    agg.query_vector("count_over_time(rw_test[1h])")
        .iter()
        .map(|s| {
            let series = s["metric"]["series"].as_str().unwrap_or("").to_string();
            (series, s["value"][1].as_str().and_then(|v| v.parse().ok()).unwrap_or(0))
        })
        .collect()
}

/// A metric's value (summed over its series) in the aggregator's `/metrics`.
fn metric_sum(agg: &Aggregator, name: &str) -> f64 {
    agg.metrics_text()
        .lines()
        .filter(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[test]
fn victoria_metrics_receives_everything_across_its_restart() {
    let vm_dir = tempfile::tempdir().expect("tempdir");
    let vm_port = free_port();
    let vm_log = vm_dir.path().join("vm.log");
    let vm_data = vm_dir.path().join("data");
    let mut vm = start_victoria(vm_port, &vm_data, &vm_log);

    let mut agg = Aggregator::setup_with(&format!(
        "[[remote_write]]\nurl = \"http://127.0.0.1:{vm_port}/api/v1/write\"\nname = \"vm\"\nremote_timeout = \"5s\"\n\
         [remote_write.queue_config]\nmax_shards = 3\nmax_samples_per_send = 200\nbatch_send_deadline = \"200ms\"\n\
         min_backoff = \"50ms\"\nmax_backoff = \"1s\"\n"
    ));
    agg.start();

    // Data flows in through the import API from another thread: 20 series, one sample each per
    // round, explicit distinct timestamps.
    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicU64::new(0));
    let feeder = {
        let (stop, rounds) = (stop.clone(), rounds.clone());
        let url = format!("http://{}/api/v1/import/prometheus", agg.http);
        let start_ms = (now_s() * 1000.0) as i64 - 600_000;
        std::thread::spawn(move || {
            let client = reqwest::blocking::Client::new();
            let mut round = 0i64;
            while !stop.load(Ordering::SeqCst) {
                let ts = start_ms + round * 100;
                let body: String =
                    (0..20).map(|s| format!("rw_test{{series=\"s{s}\"}} {} {ts}\n", round * 20 + s)).collect();
                let resp = client.post(&url).body(body).send().expect("import");
                assert!(resp.status().is_success(), "import: {}", resp.text().unwrap_or_default());
                round += 1;
                rounds.store(round as u64, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let wait_rounds = |n: u64| {
        let ok = wait_for(Duration::from_secs(60), || (rounds.load(Ordering::SeqCst) >= n).then_some(()));
        assert!(ok.is_some(), "the feeder stalled at round {}", rounds.load(Ordering::SeqCst));
    };
    wait_rounds(40);
    // Something reached VictoriaMetrics before its restart.
    let before = wait_for(Duration::from_secs(30), || {
        let c = victoria_counts(vm_port);
        (c.values().sum::<usize>() > 0).then_some(c)
    });
    assert!(before.is_some(), "nothing reached victoria-metrics:\n{}\n{}", vm.log_text(), agg.log());

    vm.stop(); // SIGTERM: VictoriaMetrics flushes what it acknowledged.
    let retries_before = metric_sum(&agg, "pharos_remote_write_retries_total");
    std::thread::sleep(Duration::from_secs(10));
    let queued_while_down = metric_sum(&agg, "pharos_remote_write_samples_pending");
    assert!(queued_while_down > 0.0, "nothing was pending while victoria-metrics was down");
    assert!(metric_sum(&agg, "pharos_remote_write_retries_total") > retries_before, "no retries while it was down");
    let mut vm = start_victoria(vm_port, &vm_data, &vm_log);
    let at_restart = rounds.load(Ordering::SeqCst);
    wait_rounds(at_restart + 40);
    stop.store(true, Ordering::SeqCst);
    feeder.join().expect("feeder");

    let total_rounds = rounds.load(Ordering::SeqCst) as usize;
    let pharos = pharos_counts(&agg);
    assert_eq!(pharos.len(), 20, "{pharos:?}");
    assert!(pharos.values().all(|&n| n == total_rounds), "Pharos stored {pharos:?}, {total_rounds} rounds imported");
    let drained = wait_for(Duration::from_secs(60), || {
        (metric_sum(&agg, "pharos_remote_write_samples_pending") == 0.0).then_some(())
    });
    assert!(drained.is_some(), "the queue did not drain:\n{}", agg.log());
    let mut vm_counts = BTreeMap::new();
    let same = wait_for(Duration::from_secs(30), || {
        vm_counts = victoria_counts(vm_port);
        (vm_counts == pharos).then_some(())
    });
    assert!(
        same.is_some(),
        "VictoriaMetrics holds {vm_counts:?}, Pharos {pharos:?}\naggregator log:\n{}\nvictoria-metrics log:\n{}",
        agg.log(),
        vm.log_text()
    );
    assert_eq!(metric_sum(&agg, "pharos_remote_write_samples_failed_total"), 0.0);
    assert_eq!(metric_sum(&agg, "pharos_remote_write_samples_total"), (total_rounds * 20) as f64);
    vm.stop();
    agg.stop();
}
