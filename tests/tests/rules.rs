//! Rule evaluation in a real aggregator: alerts going pending then firing, `ALERTS` queryable,
//! the fleet rules evaluating without errors, reloads (HTTP and SIGHUP) keeping the old rules on
//! a broken file, `for` state restored across a restart, and `check-rules` agreeing with
//! promtool.

use pharos_e2e::{bin, sample_value, wait_for, Aggregator};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PROMTOOL: &str = "/usr/bin/promtool";

/// `up == 0` alerting after 2s, shaped like the fleet's `ServiceDown`.
const FAST_RULES: &str = r#"groups:
  - name: availability
    rules:
      - alert: ServiceDown
        expr: up == 0
        for: 2s
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.job }} on {{ $labels.instance }} is down"
          value: "{{ $value | humanize }}"
"#;

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64
}

/// An aggregator evaluating `rules` (written next to its config as `test.rules.yml`) every
/// second; `extra` goes into its `[rules]` section.
fn aggregator_with_rules(rules: &str, extra: &str) -> Aggregator {
    let mut agg = Aggregator::setup_with(&format!(
        "[rules]\nfiles = [\"*.rules.yml\"]\nevaluation_interval = \"1s\"\nexternal_labels = {{ cluster = \"e2e\" }}\n{extra}"
    ));
    std::fs::write(agg.dir.path().join("test.rules.yml"), rules).expect("write rules");
    agg.start();
    agg
}

fn get_json(agg: &Aggregator, path: &str) -> Value {
    let v: Value = reqwest::blocking::get(format!("http://{}{path}", agg.http)).expect("GET").json().expect("json");
    assert_eq!(v["status"], "success", "{path}: {v}");
    v["data"].clone()
}

fn alerts(agg: &Aggregator) -> Vec<Value> {
    get_json(agg, "/api/v1/alerts")["alerts"].as_array().cloned().unwrap_or_default()
}

/// Waits until `/api/v1/alerts` has an alert named `name` in `state`.
fn wait_alert(agg: &Aggregator, name: &str, state: &str, timeout: Duration) -> Value {
    wait_for(timeout, || alerts(agg).into_iter().find(|a| a["labels"]["alertname"] == name && a["state"] == state))
        .unwrap_or_else(|| panic!("no {state} {name} alert; alerts: {:?}\nlog:\n{}", alerts(agg), agg.log()))
}

fn rule_names(agg: &Aggregator) -> Vec<String> {
    get_json(agg, "/api/v1/rules")["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["rules"].as_array().expect("rules").clone())
        .map(|r| r["name"].as_str().expect("name").to_string())
        .collect()
}

fn post(agg: &Aggregator, path: &str) -> (u16, String) {
    let resp = reqwest::blocking::Client::new().post(format!("http://{}{path}", agg.http)).send().expect("POST");
    (resp.status().as_u16(), resp.text().expect("body"))
}

#[test]
fn an_alert_goes_pending_then_firing_and_is_queryable_as_alerts() {
    let agg = aggregator_with_rules(FAST_RULES, "");
    agg.import("up{job=\"node\",instance=\"web-1:9100\"} 0\nup{job=\"node\",instance=\"web-2:9100\"} 1\n");

    let pending = wait_alert(&agg, "ServiceDown", "pending", Duration::from_secs(10));
    assert_eq!(pending["labels"]["instance"], "web-1:9100");
    assert_eq!(pending["labels"]["severity"], "critical");
    assert_eq!(pending["annotations"]["summary"], "node on web-1:9100 is down");
    assert_eq!(pending["annotations"]["value"], "0");
    assert_eq!(pending["value"], "0e+00");
    let firing = wait_alert(&agg, "ServiceDown", "firing", Duration::from_secs(10));
    assert_eq!(firing["activeAt"], pending["activeAt"], "firing keeps the time it became active");
    assert_eq!(alerts(&agg).len(), 1, "only the instance that is down alerts");

    let (v, ok) =
        agg.wait_vector("ALERTS{alertname=\"ServiceDown\",alertstate=\"firing\"}", Duration::from_secs(5), |v| {
            v.len() == 1
        });
    assert!(ok, "ALERTS not queryable: {v:?}");
    assert_eq!(v[0]["metric"]["instance"], "web-1:9100");
    assert_eq!(v[0]["metric"]["severity"], "critical");
    assert_eq!(sample_value(&v[0]), 1.0);
    let fs = agg.query_vector("ALERTS_FOR_STATE{alertname=\"ServiceDown\"}");
    assert_eq!(fs.len(), 1, "{fs:?}");
    let active_s = sample_value(&fs[0]);
    assert!((active_s - now_ms() as f64 / 1000.0).abs() < 60.0, "activeAt {active_s} is recent");

    let rules = get_json(&agg, "/api/v1/rules?type=alert");
    let rule = &rules["groups"][0]["rules"][0];
    assert_eq!(rule["state"], "firing");
    assert_eq!(rule["health"], "ok");
    assert_eq!(rule["duration"], 2);
    assert_eq!(get_json(&agg, "/api/v1/rules?type=record")["groups"][0]["rules"], serde_json::json!([]));
    let resp = reqwest::blocking::get(format!("http://{}/api/v1/rules?type=bogus", agg.http)).expect("GET");
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp.json().expect("json");
    assert_eq!(body["errorType"], "bad_data");
}

#[test]
fn the_fleet_rules_load_and_evaluate_without_errors() {
    let fleet = pharos_e2e::examples::fleet_rules();
    let agg = aggregator_with_rules(&fleet, "");
    let now = now_ms();
    agg.import(
        &format!(
            "up{{job=\"node\",instance=\"web-1:9100\"}} 0\n\
             http_requests_total{{job=\"api\",status=\"500\"}} 0 {a}\nhttp_requests_total{{job=\"api\",status=\"500\"}} 60 {now}\n\
             http_requests_total{{job=\"api\",status=\"200\"}} 0 {a}\nhttp_requests_total{{job=\"api\",status=\"200\"}} 60 {now}\n",
            a = now - 60_000
        ),
    );

    // Every group (the availability one every 15s) evaluates, and every rule is healthy.
    let groups = wait_for(Duration::from_secs(40), || {
        let groups = get_json(&agg, "/api/v1/rules")["groups"].as_array().cloned().unwrap_or_default();
        let evaluated = groups.len() == 3
            && groups
                .iter()
                .all(|g| g["rules"].as_array().is_some_and(|rs| rs.iter().all(|r| r["health"] != "unknown")));
        evaluated.then_some(groups)
    })
    .unwrap_or_else(|| panic!("groups not evaluated; log:\n{}", agg.log()));
    let rules: Vec<&Value> = groups.iter().flat_map(|g| g["rules"].as_array().expect("rules")).collect();
    assert_eq!(rules.len(), 16);
    for r in &rules {
        assert_eq!(r["health"], "ok", "rule {} failed: {}", r["name"], r["lastError"]);
    }
    assert_eq!(groups[0]["name"], "availability");
    assert_eq!(groups[0]["interval"], 15);
    assert_eq!(groups[1]["interval"], 1, "evaluation_interval applies to groups without one");

    let down = wait_alert(&agg, "ServiceDown", "pending", Duration::from_secs(20));
    assert_eq!(down["annotations"]["summary"], "node on web-1:9100 is down");
    assert_eq!(down["annotations"]["description"], "web-1:9100 of job node has not reported for more than a minute.");
    let errors = wait_alert(&agg, "HighErrorRate", "pending", Duration::from_secs(20));
    assert_eq!(errors["labels"]["job"], "api");
    assert_eq!(errors["annotations"]["description"], "50% of requests fail.");
    let ratio = agg.query_vector("job:http_errors:ratio_rate5m");
    assert_eq!(ratio.len(), 1, "{ratio:?}");
    assert_eq!(sample_value(&ratio[0]), 0.5);
}

#[test]
fn reloads_change_the_rules_and_a_broken_file_keeps_the_old_ones() {
    let mut agg = aggregator_with_rules(FAST_RULES, "");
    let file = agg.dir.path().join("test.rules.yml");
    assert_eq!(rule_names(&agg), ["ServiceDown"]);

    let resp = reqwest::blocking::get(format!("http://{}/-/reload", agg.http)).expect("GET");
    assert_eq!(resp.status().as_u16(), 405);

    std::fs::write(&file, FAST_RULES.replace("ServiceDown", "InstanceDown")).expect("write");
    assert_eq!(post(&agg, "/-/reload"), (200, String::new()));
    assert_eq!(rule_names(&agg), ["InstanceDown"]);

    // A second file joins through the glob.
    std::fs::write(
        agg.dir.path().join("more.rules.yml"),
        "groups:\n- name: rec\n  rules:\n  - record: one\n    expr: vector(1)\n",
    )
    .expect("write");
    let put = reqwest::blocking::Client::new().put(format!("http://{}/-/reload", agg.http)).send().expect("PUT");
    assert_eq!(put.status().as_u16(), 200);
    assert_eq!(rule_names(&agg), ["one", "InstanceDown"]);
    let (v, ok) = agg.wait_vector("one", Duration::from_secs(10), |v| v.len() == 1);
    assert!(ok, "recording rule output missing: {v:?}");

    std::fs::write(&file, "groups:\n- name: g\n  rules:\n  - alert: X\n    expr: up ==\n").expect("write");
    let (status, body) = post(&agg, "/-/reload");
    assert_eq!(status, 500);
    assert!(body.starts_with("failed to reload config: ") && body.contains("test.rules.yml"), "{body}");
    assert_eq!(rule_names(&agg), ["one", "InstanceDown"], "the old rules stay in force");

    // SIGHUP reloads too.
    std::fs::write(&file, FAST_RULES.replace("ServiceDown", "HostDown")).expect("write");
    agg.proc.as_mut().expect("started").signal(libc::SIGHUP);
    let names = wait_for(Duration::from_secs(10), || {
        let n = rule_names(&agg);
        n.contains(&"HostDown".to_string()).then_some(n)
    });
    assert_eq!(names.expect("SIGHUP reloads the rules"), ["one", "HostDown"]);
    assert!(agg.proc.as_mut().expect("started").running(), "SIGHUP must not stop the aggregator");
}

#[test]
fn a_restart_restores_the_active_time_of_pending_alerts() {
    // `for` longer than the grace period, so the state is restored from ALERTS_FOR_STATE.
    let mut agg = aggregator_with_rules(&FAST_RULES.replace("for: 2s", "for: 1h"), "for_grace_period = \"1s\"\n");
    agg.import("up{job=\"node\",instance=\"web-1:9100\"} 0\n");
    wait_alert(&agg, "ServiceDown", "pending", Duration::from_secs(10));
    // ALERTS_FOR_STATE is written once the (empty) state of the first start has been restored,
    // after the second evaluation.
    let (before, ok) =
        agg.wait_vector("ALERTS_FOR_STATE{alertname=\"ServiceDown\"}", Duration::from_secs(10), |v| v.len() == 1);
    assert!(ok, "{before:?}");
    let active_before = sample_value(&before[0]);
    std::thread::sleep(Duration::from_secs(10));

    agg.proc.as_mut().expect("started").stop();
    let restarted_at = now_ms() as f64 / 1000.0;
    agg.start();
    // The first ALERTS_FOR_STATE sample written after the restart (only once restored).
    let after = wait_for(Duration::from_secs(20), || {
        let v = agg.query_vector("ALERTS_FOR_STATE{alertname=\"ServiceDown\"}");
        let t = v.first()?["value"][0].as_f64()?;
        let fresh = agg.query_vector("timestamp(ALERTS_FOR_STATE{alertname=\"ServiceDown\"})");
        (sample_value(fresh.first()?) > restarted_at && t > 0.0).then(|| sample_value(&v[0]))
    })
    .unwrap_or_else(|| panic!("no ALERTS_FOR_STATE after the restart; log:\n{}", agg.log()));
    // Restored: active for the ~10 s it was before the restart (shifted by the downtime), so
    // well before the restart; a fresh alert would be active only since after it.
    assert!(after >= active_before, "restored {after} before the original {active_before}");
    assert!(after <= restarted_at - 3.0, "not restored: active since {after}, restarted at {restarted_at}");
    let alert = wait_alert(&agg, "ServiceDown", "pending", Duration::from_secs(5));
    assert!(alert["activeAt"].as_str().is_some_and(|s| !s.starts_with("0001")), "{alert}");
}

/// promtool's stderr without the `LINE:COL: ` YAML positions of rule errors, which Pharos does
/// not report (its YAML decoder keeps no node positions).
fn without_positions(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        let fixed = line.split_once(": ").and_then(|(path, rest)| {
            let (pos, rest) = rest.split_once(": ")?;
            let (l, c) = pos.split_once(':')?;
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (digits(l) && digits(c)).then(|| format!("{path}: {rest}"))
        });
        out.push_str(fixed.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out
}

fn run(program: &Path, args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(program).args(args).current_dir(dir).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_rules_agrees_with_promtool() {
    assert!(Path::new(PROMTOOL).exists(), "{PROMTOOL} is missing: apt-get install prometheus");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("fleet.rules.yml"), pharos_e2e::examples::fleet_rules()).expect("copy fleet rules");
    std::fs::write(d.join("fast.yml"), FAST_RULES).expect("write");
    std::fs::write(
        d.join("badtmpl.yml"),
        "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    annotations:\n      summary: \"{{ $labels.instance | nosuchfunc }}\"\n      q: '{{ query \"up\" | first | value }}'\n  - alert: B\n    expr: up == 0\n    labels:\n      sev: \"{{ if }}\"\n",
    )
    .expect("write");
    std::fs::write(
        d.join("dup.yml"),
        "groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: up\n  - record: a:b\n    expr: up\n",
    )
    .expect("write");
    std::fs::write(d.join("badfield.yml"), "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    for: 1m\n")
        .expect("write");

    let cases: &[&[&str]] = &[
        &["fleet.rules.yml"],
        &["fleet.rules.yml", "fast.yml"],
        &["badtmpl.yml"],
        &["fleet.rules.yml", "badtmpl.yml"],
        &["dup.yml"],
        &["--lint-fatal", "dup.yml"],
        &["--lint=none", "--lint-fatal", "dup.yml"],
        &["--lint=bogus", "fast.yml"],
        &["badfield.yml"],
        &["missing.yml"],
        &[],
    ];
    let ours = bin("pharos-aggregator");
    for args in cases {
        let mut p = vec!["check", "rules"];
        p.extend_from_slice(args);
        let mut a = vec!["check-rules"];
        a.extend_from_slice(args);
        let (prc, pout, perr) = run(Path::new(PROMTOOL), &p, d);
        let (arc, aout, aerr) = run(&ours, &a, d);
        assert_eq!(arc, prc, "{args:?}: exit code\npromtool: {pout}{perr}\nours: {aout}{aerr}");
        assert_eq!(aout, pout, "{args:?}: stdout");
        assert_eq!(aerr, without_positions(&perr).replacen("promtool:", "pharos-aggregator:", 1), "{args:?}: stderr");
    }
}

/// `check-config` against `promtool check config` on the same rule files: the same exit codes,
/// the same `rule files found` line, the same blocks for each rule file (stdout) and the same
/// failures (stderr), including promtool's refusal of a rule file that is named but missing.
#[test]
fn check_config_agrees_with_promtool() {
    assert!(Path::new(PROMTOOL).exists(), "{PROMTOOL} is missing: apt-get install prometheus");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("fleet.rules.yml"), pharos_e2e::examples::fleet_rules()).expect("copy fleet rules");
    std::fs::write(d.join("fast.yml"), FAST_RULES).expect("write");
    // (Not an expression error: promql-parser's messages lack Prometheus' `1:4: parse error: `.)
    std::fs::write(d.join("broken.yml"), "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n    for: 1m\n")
        .expect("write");
    std::fs::write(
        d.join("dup.yml"),
        "groups:\n- name: g\n  rules:\n  - record: a:b\n    expr: up\n  - record: a:b\n    expr: up\n",
    )
    .expect("write");
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &["fleet.rules.yml", "fast.yml"]),
        (&[], &[]),
        (&[], &["broken.yml"]),
        (&[], &["fast.yml", "broken.yml"]),
        (&[], &["dup.yml"]),
        (&["--lint-fatal"], &["dup.yml"]),
        (&[], &["missing.yml"]),
        (&["--syntax-only"], &["missing.yml"]),
    ];
    let ours = bin("pharos-aggregator");
    let quoted = |files: &[&str]| files.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", ");
    for (flags, files) in cases {
        std::fs::write(d.join("prometheus.yml"), format!("rule_files: [{}]\n", quoted(files))).expect("write");
        std::fs::write(
            d.join("aggregator.toml"),
            format!("[server]\ndata_dir = \"data\"\n[rules]\nfiles = [{}]\n", quoted(files)),
        )
        .expect("write");
        let p: Vec<&str> =
            ["check", "config"].iter().chain(flags.iter()).chain(["prometheus.yml"].iter()).copied().collect();
        let a: Vec<&str> =
            ["check-config"].iter().chain(flags.iter()).chain(["aggregator.toml"].iter()).copied().collect();
        let (prc, pout, perr) = run(Path::new(PROMTOOL), &p, d);
        let (arc, aout, aerr) = run(&ours, &a, d);
        let case = format!("{flags:?} {files:?}\npromtool: {pout}{perr}\nours: {aout}{aerr}");
        assert_eq!(arc, prc, "exit code: {case}");
        // The configuration file's own block differs in what it names; the rest is promtool's.
        let (p_head, p_rest) = pout.split_once("\n\n").unwrap_or((&pout, ""));
        let (a_head, a_rest) = aout.split_once("\n\n").unwrap_or((&aout, ""));
        assert!(
            p_head.starts_with("Checking prometheus.yml") && a_head.starts_with("Checking aggregator.toml"),
            "{case}"
        );
        let found = |head: &str| head.lines().find(|l| l.contains("rule files found")).map(str::to_string);
        assert_eq!(found(a_head), found(p_head), "rule files found: {case}");
        assert_eq!(a_head.contains(" is valid "), p_head.contains(" is valid "), "verdict: {case}");
        assert_eq!(a_rest, p_rest, "rule file blocks: {case}");
        assert_eq!(aerr, without_positions(&perr), "stderr: {case}");
    }
    assert!(!d.join("data").exists(), "check-config created the data directory");
}
