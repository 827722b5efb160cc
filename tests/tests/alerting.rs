//! The built-in Alertmanager in a real aggregator: an alerting rule fires, its alerts reach a
//! webhook receiver as one grouped notification after `group_wait`, `amtool` lists them through
//! the API v2, and the resolve is notified. Prints the alert latency (sample arrival to webhook
//! receipt).

use pharos_e2e::receivers::HttpRecorder;
use pharos_e2e::{wait_for, Aggregator};
use std::process::Command;
use std::time::{Duration, Instant};

const RULES: &str = r#"groups:
  - name: availability
    rules:
      - alert: ServiceDown
        expr: up == 0
        for: 2s
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.job }} on {{ $labels.instance }} is down"
"#;

#[test]
fn a_firing_rule_notifies_a_webhook_once_per_group_and_resolves() {
    let hook = HttpRecorder::start();
    let port = hook.port;
    let mut agg = Aggregator::setup_with(
        "[rules]\nfiles = [\"*.rules.yml\"]\nevaluation_interval = \"1s\"\n[alerting]\nconfig_file = \"alertmanager.yml\"\n",
    );
    std::fs::write(agg.dir.path().join("test.rules.yml"), RULES).expect("rules");
    std::fs::write(
        agg.dir.path().join("alertmanager.yml"),
        format!(
            "route:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 1s\n  group_interval: 2s\n  repeat_interval: 1h\n\
             receivers:\n  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:{port}/hook\n        send_resolved: true\n"
        ),
    )
    .expect("alertmanager.yml");
    agg.start();

    let breached = Instant::now();
    agg.import("up{job=\"node\",instance=\"web-1:9100\"} 0\nup{job=\"node\",instance=\"web-2:9100\"} 0\n");
    let firing = wait_for(Duration::from_secs(20), || hook.posts().into_iter().find(|p| p.body["status"] == "firing"))
        .unwrap_or_else(|| panic!("no firing notification; log:\n{}", agg.log()));
    let latency = firing.at - breached;
    // Goal: `for` (2s) + evaluation interval (1s) + group_wait (1s) + 1s.
    println!(
        "alert latency: {latency:?} from the breaching samples' import to the webhook (for 2s, eval 1s, group_wait 1s)"
    );
    assert!(latency <= Duration::from_secs(5), "latency {latency:?}");
    let body = &firing.body;
    assert_eq!(body["version"], "4");
    assert_eq!(body["receiver"], "hook");
    assert_eq!(body["groupLabels"]["alertname"], "ServiceDown");
    assert_eq!(body["commonLabels"]["severity"], "critical");
    let alerts = body["alerts"].as_array().expect("alerts");
    assert_eq!(alerts.len(), 2, "both instances in one notification: {body}");
    assert!(alerts.iter().any(|a| a["annotations"]["summary"] == "node on web-1:9100 is down"));

    // amtool, unchanged, lists them through the API v2.
    let out = Command::new("/usr/bin/amtool")
        .args([&format!("--alertmanager.url=http://{}", agg.http), "alert", "query", "alertname=ServiceDown"])
        .output()
        .expect("amtool (Debian's prometheus-alertmanager) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "amtool: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(text.lines().filter(|l| l.contains("ServiceDown")).count(), 2, "amtool output:\n{text}");

    // Further flushes of an unchanged group send nothing (repeat_interval is 1h).
    std::thread::sleep(Duration::from_secs(5));
    let firing_count = hook.posts().iter().filter(|p| p.body["status"] == "firing").count();
    assert_eq!(firing_count, 1, "one notification for the group");

    agg.import("up{job=\"node\",instance=\"web-1:9100\"} 1\nup{job=\"node\",instance=\"web-2:9100\"} 1\n");
    let resolved =
        wait_for(Duration::from_secs(20), || hook.posts().into_iter().find(|p| p.body["status"] == "resolved"))
            .unwrap_or_else(|| panic!("no resolved notification; log:\n{}", agg.log()));
    assert_eq!(resolved.body["alerts"].as_array().map(Vec::len), Some(2));
}
