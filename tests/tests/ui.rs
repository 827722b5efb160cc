//! The aggregator's web UI in Debian's headless Chromium, driven by the Playwright scripts in
//! `ui/e2e/` (see `pharos_e2e::browser`): each page against a real aggregator (and agents where
//! the page shows them). Screenshots of each page at 1366×768 and 390×844 go to
//! `target/ui-artifacts/`.

use pharos_e2e::{browser, closed_port, wait_for, Agent, Aggregator};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn base(agg: &Aggregator) -> String {
    format!("http://{}", agg.http)
}

/// Three series of `ui_test_metric` (and one of another metric) over the last ten minutes: the
/// Query page completes the name, graphs exactly three series, shows them in its table, and its
/// URL reproduces the graph.
#[test]
fn query_page_graphs_the_series_the_api_returns() {
    if !browser::available() {
        return;
    }
    let mut agg = Aggregator::setup();
    agg.start();
    let now = now_ms();
    let mut lines = String::new();
    for i in 0..40 {
        let ts = now - 600_000 + i * 15_000;
        for (k, base) in [("a", 1.0), ("b", 2.0), ("c", 3.0)] {
            lines.push_str(&format!("ui_test_metric{{kind=\"{k}\"}} {} {ts}\n", base + (i as f64) / 10.0));
        }
        lines.push_str(&format!("ui_other_metric 7 {ts}\n"));
    }
    agg.import(&lines);
    assert_eq!(agg.query_vector("ui_test_metric").len(), 3, "the import stored three series");
    browser::run_script("query.mjs", &base(&agg), &[("EXPR", "ui_test_metric"), ("EXPECT_SERIES", "3")]);
}

/// Two agents: the Fleet page lists both as up (connected over QUIC, with version, backlog and
/// clock skew) and a target one of them cannot scrape with its last error; after one agent is
/// killed, the page (refreshing itself) shows it down.
#[test]
fn fleet_page_lists_the_agents_and_shows_a_stopped_one_down() {
    if !browser::available() {
        return;
    }
    let mut agg = Aggregator::setup();
    agg.start();
    // Agent a also scrapes a port where nothing listens: a target down, with its reason.
    let closed = format!(
        "[[collect.scrape.targets]]\nurl = \"http://127.0.0.1:{}/metrics\"\njob = \"ui-closed\"\ninterval = \"1s\"\n",
        closed_port()
    );
    let mut a = Agent::setup(&agg, "ui-fleet-a", "1s", &closed);
    let mut b = Agent::setup(&agg, "ui-fleet-b", "1s", "");
    a.start();
    b.start();
    let both = wait_for(Duration::from_secs(30), || {
        let up = agg.query_vector("up{job=\"pharos-agent\"} == 1");
        let backlog = agg.query_vector("pharos_agent_buffer_records");
        (up.len() == 2 && backlog.len() == 2).then_some(())
    });
    assert!(both.is_some(), "agents not up within 30 s\n{}\n{}", a.log(), b.log());
    browser::run_script(
        "fleet.mjs",
        &base(&agg),
        &[
            ("EXPECT", "ui-fleet-a=up,ui-fleet-b=up"),
            ("TARGET_ERROR", "ui-fleet-a=connection refused"),
            ("SHOT", "fleet"),
        ],
    );

    b.proc.as_mut().expect("started").kill();
    // The page itself must notice (3 missed 1 s intervals, then its 5 s refresh).
    browser::run_script(
        "fleet.mjs",
        &base(&agg),
        &[("EXPECT", "ui-fleet-a=up,ui-fleet-b=down"), ("SHOT", "fleet-one-down")],
    );
}

const RULES: &str = r#"groups:
  - name: ui
    interval: 1s
    rules:
      - alert: UiTestDown
        expr: ui_probe == 0
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.instance }} is down"
      - alert: UiTestSlow
        expr: ui_probe == 0
        for: 1h
      - record: ui:probe:sum
        expr: sum(ui_probe)
"#;

/// A firing alert in its routing group; a silence created in the page mutes it in
/// `/api/v2/alerts`, and expiring the silence in the page makes it active again.
#[test]
fn alerts_page_silences_and_unsilences_an_alert() {
    if !browser::available() {
        return;
    }
    let mut agg = Aggregator::setup_with(
        "[rules]\nfiles = [\"*.rules.yml\"]\nevaluation_interval = \"1s\"\n[alerting]\nconfig_file = \"alertmanager.yml\"\n",
    );
    std::fs::write(agg.dir.path().join("ui.rules.yml"), RULES).expect("rules");
    std::fs::write(
        agg.dir.path().join("alertmanager.yml"),
        "route:\n  receiver: nobody\n  group_by: [alertname]\n  group_wait: 1s\nreceivers:\n  - name: nobody\n",
    )
    .expect("alertmanager.yml");
    agg.start();
    // One sample keeps `ui_probe == 0` true for the 5 m lookback, longer than the test.
    agg.import("ui_probe{instance=\"web-1\"} 0\n");
    let firing = wait_for(Duration::from_secs(20), || {
        let r = reqwest::blocking::get(format!("{}/api/v2/alerts", base(&agg))).ok()?.text().ok()?;
        r.contains("UiTestDown").then_some(())
    });
    assert!(firing.is_some(), "UiTestDown not in /api/v2/alerts; log:\n{}", agg.log());
    browser::run_script("alerts.mjs", &base(&agg), &[("ALERT", "UiTestDown"), ("PENDING", "UiTestSlow")]);
}

/// The Host view of a running agent's host: CPU, load, memory, filesystem and network graphs.
#[test]
fn host_view_graphs_an_agents_host() {
    if !browser::available() {
        return;
    }
    let mut agg = Aggregator::setup();
    agg.start();
    let mut agent = Agent::setup(&agg, "ui-host", "1s", "");
    agent.start();
    // rate() over the panels' 1 m window needs two samples.
    let ready = wait_for(Duration::from_secs(30), || {
        let v = agg.query_vector("rate(node_cpu_seconds_total{instance=\"ui-host\"}[1m])");
        (!v.is_empty()).then_some(())
    });
    assert!(ready.is_some(), "no CPU rates for ui-host within 30 s\n{}", agent.log());
    browser::run_script("host.mjs", &base(&agg), &[("HOST", "ui-host")]);
}
