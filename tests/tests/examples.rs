//! The example rule file and alertmanager.yml (`shared/examples/`) in a real aggregator, with a
//! real agent, a real SMTP server (aiosmtpd) and a real HTTP server for the Slack, PagerDuty and
//! webhook receivers.
//!
//! - `example_files_as_they_are`: both files byte for byte, on the ports they name (2525, 8099),
//!   in real time (about six minutes): stopping an agent fires `ServiceDown` after its `for: 1m`,
//!   memory above 90% fires `HighMemoryUsage` after `for: 5m` except where a critical alert of
//!   the same instance inhibits it, an external alert is mailed and its resolve too, and the
//!   `business-hours` / `maintenance` intervals act as the wall clock says.
//! - `example_files_scaled`: the same files with durations rewritten to seconds and the ports
//!   moved (each rewrite spelled out in `pharos_e2e::examples`): group_wait, repeat_interval,
//!   inhibition, an amtool silence, a mute interval (switched on by `POST /-/reload`), an active
//!   interval, and resolved messages only where `send_resolved`. Prints the alert latency.
//! - `restart_during_an_active_alert`: no duplicate notification and no lost resolve across
//!   aggregator restarts.

use pharos_e2e::examples::*;
use pharos_e2e::receivers::{HttpRecorder, Post, SmtpServer};
use pharos_e2e::{wait_for, Agent, Aggregator};
use serde_json::Value;
use std::time::{Duration, Instant, SystemTime};

/// The Slack posts to `channel`.
fn slack(http: &HttpRecorder, channel: &str) -> Vec<Post> {
    http.posts_to("/slack").into_iter().filter(|p| p.body["channel"] == channel).collect()
}

/// The first attachment's title of a Slack post.
fn title(p: &Post) -> String {
    p.body["attachments"][0]["title"].as_str().unwrap_or_default().to_string()
}

/// Slack posts to `channel` whose title contains `needle`.
fn slack_titled(http: &HttpRecorder, channel: &str, needle: &str) -> Vec<Post> {
    slack(http, channel).into_iter().filter(|p| title(p).contains(needle)).collect()
}

/// PagerDuty events with `event_action` `action`.
fn pagerduty(http: &HttpRecorder, action: &str) -> Vec<Post> {
    http.posts_to("/pagerduty").into_iter().filter(|p| p.body["event_action"] == action).collect()
}

/// Waits up to `timeout` for `f` to return `Some`, else panics with `what` and the log.
fn expect<T>(agg: &Aggregator, timeout: Duration, what: &str, f: impl FnMut() -> Option<T>) -> T {
    wait_for(timeout, f).unwrap_or_else(|| panic!("{what} within {timeout:?}; aggregator log:\n{}", agg.log()))
}

/// The subject of a received mail.
fn subject(m: &Value) -> String {
    m["headers"]["Subject"].as_str().unwrap_or_default().to_string()
}

/// The decoded HTML part of a received mail.
fn html_part(m: &Value) -> String {
    let parts = m["parts"].as_array().cloned().unwrap_or_default();
    let html = parts.iter().find(|p| p["content_type"] == "text/html").map(|p| p["body"].clone());
    html.or_else(|| (m["content_type"] == "text/html").then(|| m["data"].clone()))
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn state(a: &Value) -> String {
    a["status"]["state"].as_str().unwrap_or_default().to_string()
}

#[test]
fn example_files_scaled() {
    let smtp = SmtpServer::start(0);
    let http = HttpRecorder::start();
    let now = SystemTime::now();
    let timing = [
        ("group_wait: 30s", "group_wait: 2s"),
        ("group_interval: 5m", "group_interval: 2s"),
        ("repeat_interval: 4h", "repeat_interval: 6s"),
    ];
    let am = scaled_alertmanager(&example_alertmanager(), smtp.port, http.port, &timing);
    // The mute interval is off for now (a day that is neither today nor tomorrow) and the
    // active interval is on all day, whatever the clock says.
    let other = other_day(now);
    let am_unmuted = rewrite(&am, &[(MAINTENANCE, &MAINTENANCE.replace("weekdays: ['sunday']", &other))]);
    let am_unmuted = rewrite(&am_unmuted, &[(BUSINESS_HOURS, &all_day_now(now))]);
    let mut agg = example_aggregator(&scaled_rules(&fleet_rules()), &am_unmuted, "1s", "");
    agg.start();
    let feeder = Feeder::start(agg.http, Duration::from_millis(500));
    let mut agent = Agent::setup(&agg, "edge-1", "1s", "");
    agent.start();

    // An external alert without a severity goes to the root receiver, team-email.
    amtool(
        &agg,
        &["alert", "add", "alertname=BackupFailed", "instance=db-1", "--annotation=summary=nightly backup failed"],
    );

    // A critical alert on mem-d first, so it is there to inhibit mem-d's warning later.
    feeder.set("up{job=\"node\",instance=\"mem-d\"} 0\n");
    expect(&agg, Duration::from_secs(30), "the agent up", || {
        (!agg.query_vector("up{job=\"pharos-agent\",instance=\"edge-1\"} == 1").is_empty()).then_some(())
    });
    expect(&agg, Duration::from_secs(20), "ServiceDown{instance=mem-d} firing", || {
        let q = "ALERTS{alertname=\"ServiceDown\",instance=\"mem-d\",alertstate=\"firing\"}";
        (!agg.query_vector(q).is_empty()).then_some(())
    });

    // Stopping the agent fires ServiceDown for it after its `for` (pager and critical chat).
    let stopped = Instant::now();
    agent.proc.as_mut().expect("running").stop();
    let page = expect(&agg, Duration::from_secs(30), "a PagerDuty trigger for edge-1", || {
        pagerduty(&http, "trigger")
            .into_iter()
            .find(|p| p.body["payload"]["custom_details"]["firing"].to_string().contains("edge-1"))
    });
    assert!(page.at - stopped >= Duration::from_secs(2), "ServiceDown must wait for its `for`");
    assert_eq!(page.body["routing_key"], "test-routing-key");
    assert_eq!(page.body["payload"]["severity"], "critical");
    let chat = expect(&agg, Duration::from_secs(10), "a critical Slack post", || {
        slack(&http, "#alerts-critical").into_iter().next()
    });
    assert_eq!(title(&chat), "Critical: ServiceDown");
    assert_eq!(chat.body["attachments"][0]["color"], "danger");

    // Four hosts fill their memory: one HighMemoryUsage notification after group_wait with the
    // three that mem-d's critical alert does not inhibit.
    let breach = Instant::now();
    let mut lines = String::from("up{job=\"node\",instance=\"mem-d\"} 0\n");
    for host in ["mem-a", "mem-b", "mem-c", "mem-d"] {
        lines.push_str(&memory_lines(host, 0.95));
    }
    feeder.set(&lines);
    let first = expect(&agg, Duration::from_secs(15), "a HighMemoryUsage notification", || {
        slack_titled(&http, "#alerts-warning", "HighMemoryUsage").into_iter().next()
    });
    let latency = first.at - breach;
    // Goal: evaluation interval (1s) + for (2s) + group_wait (2s) + 1s, plus the feeder's 0.5s.
    println!("alert latency: {latency:?} from the breaching import to the Slack post (eval 1s, for 2s, group_wait 2s)");
    assert!(latency <= Duration::from_millis(6500), "latency {latency:?}");
    assert!(latency >= Duration::from_secs(4), "for + group_wait not waited: {latency:?}");
    // The common labels beyond the group's (job) close the title, as Alertmanager's `__subject`.
    assert_eq!(title(&first), "[FIRING:3] HighMemoryUsage warning (node)", "mem-d inhibited: {}", first.body);
    let inhibited = am_alerts(&agg, "alertname=\"HighMemoryUsage\"");
    let mem_d = inhibited.iter().find(|a| a["labels"]["instance"] == "mem-d").expect("mem-d's alert");
    assert_eq!(state(mem_d), "suppressed", "{mem_d}");
    assert!(!mem_d["status"]["inhibitedBy"].as_array().expect("inhibitedBy").is_empty(), "{mem_d}");

    // Nothing new until repeat_interval (6s), then the same notification again.
    let repeat = expect(&agg, Duration::from_secs(12), "a repeated HighMemoryUsage notification", || {
        slack_titled(&http, "#alerts-warning", "HighMemoryUsage").get(1).cloned()
    });
    let gap = repeat.at - first.at;
    assert!(gap >= Duration::from_secs(6) && gap <= Duration::from_secs(10), "repeat after {gap:?}");
    assert_eq!(title(&repeat), title(&first));

    // A silence made with amtool mutes them.
    let id = amtool(
        &agg,
        &["silence", "add", "alertname=HighMemoryUsage", "--comment=e2e", "--author=ops", "--duration=1h"],
    );
    let id = id.trim().to_string();
    std::thread::sleep(Duration::from_secs(1));
    let before = slack_titled(&http, "#alerts-warning", "HighMemoryUsage").len();
    std::thread::sleep(Duration::from_secs(12));
    assert_eq!(slack_titled(&http, "#alerts-warning", "HighMemoryUsage").len(), before, "silenced, yet notified");
    let silenced = am_alerts(&agg, "alertname=\"HighMemoryUsage\"");
    for a in silenced.iter().filter(|a| a["labels"]["instance"] != "mem-d") {
        assert_eq!(a["status"]["silencedBy"][0], id.as_str(), "{a}");
    }
    amtool(&agg, &["silence", "expire", &id]);
    expect(&agg, Duration::from_secs(12), "notifications again after the silence expired", || {
        (slack_titled(&http, "#alerts-warning", "HighMemoryUsage").len() > before).then_some(())
    });

    // The mute interval: `maintenance` now covers today, reloaded through /-/reload; the warning
    // route goes quiet while the critical one keeps repeating.
    let am_muted = rewrite(&am, &[(MAINTENANCE, &all_day_now(SystemTime::now())), (BUSINESS_HOURS, &all_day_now(now))]);
    std::fs::write(agg.dir.path().join("alertmanager.yml"), am_muted).expect("write alertmanager.yml");
    assert_eq!(reload(&agg), 200);
    std::thread::sleep(Duration::from_secs(1));
    let (warnings, criticals) = (slack(&http, "#alerts-warning").len(), slack(&http, "#alerts-critical").len());
    std::thread::sleep(Duration::from_secs(12));
    assert_eq!(slack(&http, "#alerts-warning").len(), warnings, "muted by `maintenance`, yet notified");
    assert!(slack(&http, "#alerts-critical").len() > criticals, "the critical route is not muted");

    // The active interval lets BatchJobStale (severity info) reach the webhook; its resolve is
    // not sent (send_resolved: false).
    let stale = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).expect("clock").as_secs() - 7200;
    feeder.set(&format!("{lines}push_time_seconds{{job=\"backup\",instance=\"batch-1\"}} {stale}\n"));
    let hook = expect(&agg, Duration::from_secs(15), "a BatchJobStale webhook", || {
        http.posts_to("/webhook").into_iter().find(|p| p.body["status"] == "firing")
    });
    assert_eq!(hook.body["version"], "4");
    assert_eq!(hook.body["receiver"], "batch-webhook");
    assert_eq!(hook.body["alerts"][0]["labels"]["alertname"], "BatchJobStale");

    // Everything recovers: the critical route and the pager get their resolve, the webhook not.
    let fresh = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).expect("clock").as_secs();
    let mut healthy = String::from("up{job=\"node\",instance=\"mem-d\"} 1\n");
    healthy.push_str(&format!("push_time_seconds{{job=\"backup\",instance=\"batch-1\"}} {fresh}\n"));
    feeder.set(&healthy);
    agent.start();
    let resolved = expect(&agg, Duration::from_secs(30), "a resolved critical Slack post", || {
        slack(&http, "#alerts-critical").into_iter().find(|p| p.body["attachments"][0]["color"] == "good")
    });
    assert_eq!(title(&resolved), "Critical: ServiceDown");
    expect(&agg, Duration::from_secs(10), "a PagerDuty resolve", || pagerduty(&http, "resolve").into_iter().next());
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(http.posts_to("/webhook").iter().filter(|p| p.body["status"] == "resolved").count(), 0);
    assert_eq!(http.posts_to("/webhook").len(), 1, "one BatchJobStale notification");

    // The external alert was mailed to team-email; resolving it with amtool mails the resolve.
    let mail = expect(&agg, Duration::from_secs(5), "the BackupFailed mail", || smtp.messages().into_iter().next());
    assert_eq!(mail["rcpt_tos"], serde_json::json!(["team@example.org"]));
    assert_eq!(mail["mail_from"], "alerts@example.org");
    assert_eq!(subject(&mail), "[FIRING:1] BackupFailed (db-1)");
    assert!(html_part(&mail).contains("nightly backup failed"), "{mail}");
    let end = "--end=2000-01-01T00:00:00Z";
    amtool(
        &agg,
        &["alert", "add", "alertname=BackupFailed", "instance=db-1", "--annotation=summary=nightly backup failed", end],
    );
    let resolved = expect(&agg, Duration::from_secs(10), "the resolved mail", || {
        smtp.messages().into_iter().find(|m| subject(m).starts_with("[RESOLVED]"))
    });
    assert_eq!(subject(&resolved), "[RESOLVED] BackupFailed (db-1)");
    // Before it: the firing mail and its repeats (repeat_interval 6s); after it, nothing.
    std::thread::sleep(Duration::from_secs(3));
    let subjects: Vec<String> = smtp.messages().iter().map(subject).collect();
    let (last, firing) = subjects.split_last().expect("mails");
    assert_eq!(last, "[RESOLVED] BackupFailed (db-1)", "{subjects:?}");
    assert!(firing.iter().all(|s| s == "[FIRING:1] BackupFailed (db-1)"), "{subjects:?}");
}

#[test]
fn restart_during_an_active_alert() {
    let smtp = SmtpServer::start(0);
    let http = HttpRecorder::start();
    // repeat_interval stays 4h: any second firing notification is a duplicate.
    let timing = [("group_wait: 30s", "group_wait: 1s"), ("group_interval: 5m", "group_interval: 1s")];
    let am = scaled_alertmanager(&example_alertmanager(), smtp.port, http.port, &timing);
    // resend_delay 1s: alerts sent to the Alertmanager are valid for 4s after each send, so one
    // whose rule is gone after a restart resolves by itself within seconds. for_grace_period 1s:
    // below the rules' `for` (2s), so the `for` state is restored (Prometheus skips restoring
    // alerts whose `for` is shorter than the grace period).
    let extra = "resend_delay = \"1s\"\nfor_grace_period = \"1s\"";
    let mut agg = example_aggregator(&scaled_rules(&fleet_rules()), &am, "1s", extra);
    agg.start();
    let feeder = Feeder::start(agg.http, Duration::from_millis(300));
    feeder.set("up{job=\"node\",instance=\"web-9\"} 0\n");
    let triggers = || pagerduty(&http, "trigger").len();
    let firing_chats =
        || slack(&http, "#alerts-critical").iter().filter(|p| p.body["attachments"][0]["color"] == "danger").count();
    expect(&agg, Duration::from_secs(20), "the first notification", || {
        (triggers() == 1 && firing_chats() == 1).then_some(())
    });
    let active_at = |agg: &Aggregator| {
        let v: Value =
            reqwest::blocking::get(format!("http://{}/api/v1/alerts", agg.http)).expect("GET").json().expect("json");
        let alerts = v["data"]["alerts"].as_array().cloned().unwrap_or_default();
        alerts
            .iter()
            .find(|a| a["labels"]["instance"] == "web-9" && a["state"] == "firing")
            .map(|a| a["activeAt"].clone())
    };
    let first_active = expect(&agg, Duration::from_secs(5), "the firing alert", || active_at(&agg));

    // Restart while it fires: the rule restores its state, the notification log remembers the
    // notification, nothing is sent again.
    agg.stop();
    std::thread::sleep(Duration::from_secs(1));
    agg.start();
    let restored = expect(&agg, Duration::from_secs(10), "the alert firing again", || active_at(&agg));
    // Restored from ALERTS_FOR_STATE, which holds whole seconds (as in Prometheus).
    let second = |v: &Value| v.as_str().unwrap_or_default().chars().take(19).collect::<String>();
    assert_eq!(second(&restored), second(&first_active), "activeAt restored");
    std::thread::sleep(Duration::from_secs(6));
    assert_eq!((triggers(), firing_chats()), (1, 1), "duplicate notification after the restart:\n{:#?}", http.posts());

    // Restart with the condition cleared while down: the resolve still goes out, once.
    agg.stop();
    feeder.set("up{job=\"node\",instance=\"web-9\"} 1\n");
    std::thread::sleep(Duration::from_secs(1));
    agg.start();
    let resolves = || pagerduty(&http, "resolve").len();
    let resolved_chats =
        || slack(&http, "#alerts-critical").iter().filter(|p| p.body["attachments"][0]["color"] == "good").count();
    expect(&agg, Duration::from_secs(20), "the resolve notifications", || {
        (resolves() == 1 && resolved_chats() == 1).then_some(())
    });
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!((triggers(), firing_chats(), resolves(), resolved_chats()), (1, 1, 1, 1), "{:#?}", http.posts());
    assert!(smtp.messages().is_empty(), "nothing for team-email");
}

/// UTC weekday (0 = Sunday) and hour of `t`.
fn weekday_hour(t: SystemTime) -> (u64, u64) {
    let s = t.duration_since(SystemTime::UNIX_EPOCH).expect("clock").as_secs();
    ((s / 86_400 + 4) % 7, s % 86_400 / 3600)
}

/// Whether the example's `business-hours` (Monday to Friday, 09:00–17:00 UTC) holds at `t`.
fn business_hours(t: SystemTime) -> bool {
    let (day, hour) = weekday_hour(t);
    (1..=5).contains(&day) && (9..17).contains(&hour)
}

/// Whether the example's `maintenance` (Sunday 02:00–04:00 UTC) holds at `t`.
fn maintenance(t: SystemTime) -> bool {
    let (day, hour) = weekday_hour(t);
    day == 0 && (2..4).contains(&hour)
}

/// `Some(holds)` if `interval` holds (or not) at both `a` and `b`; `None` if it changed between.
fn steady(interval: fn(SystemTime) -> bool, a: SystemTime, b: SystemTime) -> Option<bool> {
    (interval(a) == interval(b)).then(|| interval(a))
}

#[test]
fn example_files_as_they_are() {
    // The ports the example names; the files are used byte for byte.
    let smtp = SmtpServer::start(2525);
    let http = HttpRecorder::on_port(8099);
    let mut agg = example_aggregator(&fleet_rules(), &example_alertmanager(), "15s", "");
    agg.start();
    let feeder = Feeder::start(agg.http, Duration::from_secs(5));
    let mut agent = Agent::setup(&agg, "edge-1", "1s", "");
    agent.start();
    expect(&agg, Duration::from_secs(30), "the agent up", || {
        (!agg.query_vector("up{job=\"pharos-agent\",instance=\"edge-1\"} == 1").is_empty()).then_some(())
    });

    // An external alert without a severity: team-email.
    amtool(
        &agg,
        &["alert", "add", "alertname=BackupFailed", "instance=db-1", "--annotation=summary=nightly backup failed"],
    );
    // The agent stops; mem-b is down and both mem hosts fill their memory; a batch job is stale.
    let (t0, wall0) = (Instant::now(), SystemTime::now());
    agent.proc.as_mut().expect("running").stop();
    let stale = wall0.duration_since(SystemTime::UNIX_EPOCH).expect("clock").as_secs() - 7200;
    feeder.set(&format!(
        "up{{job=\"node\",instance=\"mem-b\"}} 0\n{}{}push_time_seconds{{job=\"backup\",instance=\"batch-1\"}} {stale}\n",
        memory_lines("mem-a", 0.95),
        memory_lines("mem-b", 0.95)
    ));

    // for: 1m — pending, not firing, 50 s on.
    std::thread::sleep(Duration::from_secs(50).saturating_sub(t0.elapsed()));
    let v: Value =
        reqwest::blocking::get(format!("http://{}/api/v1/alerts", agg.http)).expect("GET").json().expect("json");
    let alerts = v["data"]["alerts"].as_array().cloned().unwrap_or_default();
    let edge = alerts.iter().find(|a| a["labels"]["alertname"] == "ServiceDown" && a["labels"]["instance"] == "edge-1");
    assert_eq!(edge.map(|a| a["state"].clone()), Some(Value::from("pending")), "{v}");

    // The mail went out after group_wait (30s); resolve the alert for the resolved mail later.
    let mail = expect(&agg, Duration::from_secs(5), "the BackupFailed mail", || smtp.messages().into_iter().next());
    assert_eq!(subject(&mail), "[FIRING:1] BackupFailed (db-1)");
    assert_eq!(mail["rcpt_tos"], serde_json::json!(["team@example.org"]));
    assert!(html_part(&mail).contains("nightly backup failed"), "{mail}");
    amtool(&agg, &["alert", "add", "alertname=BackupFailed", "instance=db-1", "--end=2000-01-01T00:00:00Z"]);

    // ServiceDown: for 1m + group_wait 30s after the agent stopped, to the pager and the chat.
    let page = expect(&agg, Duration::from_secs(150), "a PagerDuty trigger for edge-1", || {
        pagerduty(&http, "trigger")
            .into_iter()
            .find(|p| p.body["payload"]["custom_details"]["firing"].to_string().contains("edge-1"))
    });
    let after = page.at - t0;
    println!("ServiceDown notified {after:?} after the agent stopped (for 1m, eval 15s, group_wait 30s)");
    assert!(after >= Duration::from_secs(89) && after <= Duration::from_secs(135), "{after:?}");
    assert_eq!(page.body["payload"]["severity"], "critical");
    let chat = expect(&agg, Duration::from_secs(10), "a critical Slack post", || {
        slack(&http, "#alerts-critical").into_iter().next()
    });
    assert_eq!(title(&chat), "Critical: ServiceDown");

    // BatchJobStale (no `for`, severity info) reaches the webhook only in business hours.
    match steady(business_hours, wall0, SystemTime::now()) {
        Some(true) => assert_eq!(http.posts_to("/webhook").len(), 1, "business hours: {:#?}", http.posts()),
        Some(false) => assert_eq!(http.posts_to("/webhook").len(), 0, "outside business hours: {:#?}", http.posts()),
        None => println!("business-hours began or ended during the test: not checked"),
    }

    // HighMemoryUsage: for 5m + group_wait; mem-b's is inhibited by its ServiceDown.
    let warn = wait_for(Duration::from_secs(420).saturating_sub(t0.elapsed()), || {
        slack_titled(&http, "#alerts-warning", "HighMemoryUsage").into_iter().next()
    });
    match (steady(maintenance, wall0, SystemTime::now()), warn) {
        (Some(false), Some(warn)) => {
            assert!(warn.at - t0 >= Duration::from_secs(329), "for 5m + group_wait 30s: {:?}", warn.at - t0);
            assert_eq!(title(&warn), "[FIRING:1] HighMemoryUsage warning (mem-a node)");
        }
        (Some(false), None) => panic!("no HighMemoryUsage notification; log:\n{}", agg.log()),
        (Some(true), warn) => assert!(warn.is_none(), "notified during `maintenance`"),
        (None, _) => println!("maintenance began or ended during the test: not checked"),
    }
    let mem_b = am_alerts(&agg, "alertname=\"HighMemoryUsage\"");
    let mem_b = mem_b.iter().find(|a| a["labels"]["instance"] == "mem-b").expect("mem-b's alert");
    assert_eq!(state(mem_b), "suppressed", "{mem_b}");

    // The resolve of the mailed alert, at the group's next flush (group_interval 5m).
    let resolved = expect(&agg, Duration::from_secs(60), "the resolved mail", || {
        smtp.messages().into_iter().find(|m| subject(m).starts_with("[RESOLVED]"))
    });
    assert_eq!(subject(&resolved), "[RESOLVED] BackupFailed (db-1)");
}
