//! The example rule file and alertmanager.yml of `shared/examples/` (beside the checkout) for the
//! alerting end-to-end tests: as they are, or with durations and receiver ports rewritten so a
//! scenario runs in seconds. Every rewrite names the text it replaces and panics if that text is
//! missing, so a changed example fails the tests instead of silently testing something else.
//! Also: a feeder that keeps importing series (as agents keep pushing), the Alertmanager API, and
//! Debian's amtool.

use crate::{workspace, Aggregator};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `shared/examples/` next to the checkout.
pub fn examples_dir() -> PathBuf {
    workspace().parent().expect("the checkout has a parent").join("shared/examples")
}

/// `rules/fleet.rules.yml`, byte for byte.
pub fn fleet_rules() -> String {
    let p = examples_dir().join("rules/fleet.rules.yml");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `alertmanager.yml`, byte for byte.
pub fn example_alertmanager() -> String {
    let p = examples_dir().join("alertmanager.yml");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `text` with each `(from, to)` replaced everywhere; panics if a `from` does not occur.
pub fn rewrite(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in pairs {
        assert!(out.contains(from), "the example no longer contains {from:?}: update the test's rewrite");
        out = out.replace(from, to);
    }
    out
}

/// The fleet rules with every `for` at 2s and the 15s group interval at 1s.
pub fn scaled_rules(text: &str) -> String {
    rewrite(
        text,
        &[
            ("interval: 15s", "interval: 1s"),
            ("for: 1m", "for: 2s"),
            ("for: 2m", "for: 2s"),
            ("for: 5m", "for: 2s"),
            ("for: 10m", "for: 2s"),
        ],
    )
}

/// The example alertmanager.yml with its receivers' ports replaced (SMTP `127.0.0.1:2525`, HTTP
/// `127.0.0.1:8099`) and `timing` rewrites applied, e.g. `("group_wait: 30s", "group_wait: 2s")`.
pub fn scaled_alertmanager(text: &str, smtp_port: u16, http_port: u16, timing: &[(&str, &str)]) -> String {
    let smtp = format!("127.0.0.1:{smtp_port}");
    let http = format!("127.0.0.1:{http_port}");
    let text = rewrite(text, &[("127.0.0.1:2525", &smtp), ("127.0.0.1:8099", &http)]);
    rewrite(&text, timing)
}

/// The UTC weekday names (Go's, lower case) of `t` and of the day after.
pub fn weekdays_now_and_next(t: SystemTime) -> (&'static str, &'static str) {
    const DAYS: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    let days = t.duration_since(UNIX_EPOCH).expect("clock").as_secs() / 86_400;
    // 1970-01-01 was a Thursday.
    let today = ((days + 4) % 7) as usize;
    (DAYS[today], DAYS[(today + 1) % 7])
}

/// A `time_intervals` entry body that covers all of today and tomorrow (UTC), replacing the
/// example's `weekdays: ['sunday']` + times of the `maintenance` interval.
pub fn all_day_now(t: SystemTime) -> String {
    let (today, next) = weekdays_now_and_next(t);
    format!("weekdays: ['{today}', '{next}']\n        times:\n          - start_time: '00:00'\n            end_time: '24:00'")
}

/// The example's `maintenance` interval, as written.
pub const MAINTENANCE: &str =
    "weekdays: ['sunday']\n        times:\n          - start_time: '02:00'\n            end_time: '04:00'";

/// The example's `business-hours` interval, as written.
pub const BUSINESS_HOURS: &str =
    "weekdays: ['monday:friday']\n        times:\n          - start_time: '09:00'\n            end_time: '17:00'";

/// A weekday that is neither today nor tomorrow (UTC), for an interval that must not be active.
pub fn other_day(t: SystemTime) -> String {
    let (today, next) = weekdays_now_and_next(t);
    let day = ["sunday", "monday", "tuesday", "wednesday"].into_iter().find(|d| *d != today && *d != next);
    format!("weekdays: ['{}']", day.expect("four days, two excluded"))
}

/// An aggregator (not started) that evaluates `rules` (written as `rules/fleet.rules.yml`) every
/// `eval` with `alertmanager_yml` as its built-in Alertmanager's config; `extra_rules` goes into
/// its `[rules]` section.
pub fn example_aggregator(rules: &str, alertmanager_yml: &str, eval: &str, extra_rules: &str) -> Aggregator {
    let agg = Aggregator::setup_with(&format!(
        "[rules]\nfiles = [\"rules/*.yml\"]\nevaluation_interval = \"{eval}\"\n{extra_rules}\n[alerting]\nconfig_file = \"alertmanager.yml\"\n"
    ));
    std::fs::create_dir_all(agg.dir.path().join("rules")).expect("rules dir");
    std::fs::write(agg.dir.path().join("rules/fleet.rules.yml"), rules).expect("write rules");
    std::fs::write(agg.dir.path().join("alertmanager.yml"), alertmanager_yml).expect("write alertmanager.yml");
    agg
}

/// Imports a set of series into an aggregator again and again (as agents keep pushing), so
/// they stay within the lookback for as long as a test needs; errors (e.g. while the aggregator
/// restarts) are ignored. Stops when dropped.
pub struct Feeder {
    lines: Arc<Mutex<String>>,
    stop: Arc<AtomicBool>,
}

impl Feeder {
    /// Starts importing into the aggregator at `http` every `every` (nothing until [`set`](Self::set)).
    pub fn start(http: SocketAddr, every: Duration) -> Feeder {
        let lines: Arc<Mutex<String>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (text, stopped) = (lines.clone(), stop.clone());
        std::thread::spawn(move || {
            let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).build().expect("client");
            let url = format!("http://{http}/api/v1/import/prometheus");
            while !stopped.load(Ordering::SeqCst) {
                let body = text.lock().expect("lock").clone();
                if !body.is_empty() {
                    let _ = client.post(&url).body(body).send();
                }
                std::thread::sleep(every);
            }
        });
        Feeder { lines, stop }
    }

    /// Replaces the imported lines (Prometheus text format, without timestamps).
    pub fn set(&self, lines: &str) {
        *self.lines.lock().expect("lock") = lines.to_string();
    }
}

impl Drop for Feeder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Text lines of a host whose memory is `used` (0..1) full.
pub fn memory_lines(instance: &str, used: f64) -> String {
    let total = 8_000_000_000u64;
    let available = (total as f64 * (1.0 - used)) as u64;
    format!(
        "node_memory_MemTotal_bytes{{job=\"node\",instance=\"{instance}\"}} {total}\n\
         node_memory_MemAvailable_bytes{{job=\"node\",instance=\"{instance}\"}} {available}\n"
    )
}

/// `GET /api/v2/alerts` with an optional `filter` matcher; the alerts as JSON.
pub fn am_alerts(agg: &Aggregator, filter: &str) -> Vec<Value> {
    let mut req = reqwest::blocking::Client::new().get(format!("http://{}/api/v2/alerts", agg.http));
    if !filter.is_empty() {
        req = req.query(&[("filter", filter)]);
    }
    let v: Value = req.send().expect("GET /api/v2/alerts").json().expect("json");
    v.as_array().cloned().unwrap_or_else(|| panic!("/api/v2/alerts: {v}"))
}

/// Runs Debian's amtool against `agg`; panics unless it succeeds; returns stdout.
pub fn amtool(agg: &Aggregator, args: &[&str]) -> String {
    let out = Command::new("/usr/bin/amtool")
        .arg(format!("--alertmanager.url=http://{}", agg.http))
        .args(args)
        .output()
        .expect("amtool (Debian's prometheus-alertmanager) must be installed");
    assert!(out.status.success(), "amtool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `POST /-/reload`; the status code.
pub fn reload(agg: &Aggregator) -> u16 {
    let resp = reqwest::blocking::Client::new().post(format!("http://{}/-/reload", agg.http)).send().expect("reload");
    resp.status().as_u16()
}
