//! Request-level tests of [`Pushgateway`]: routes and status codes, TTLs, isolation of bad
//! pushes, and persistence across a restart.

use super::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn gw(options: Options) -> Pushgateway {
    Pushgateway::new(options).unwrap()
}

fn req<'a>(method: &'a str, path: &'a str, body: &'a str) -> PushRequest<'a> {
    PushRequest { method, path, content_type: None, content_encoding: None, ttl: None, body: body.as_bytes() }
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

fn names(g: &Pushgateway, now: SystemTime) -> Vec<String> {
    let mut v: Vec<String> = g
        .samples(now)
        .iter()
        .map(|(l, v)| {
            let ls: Vec<String> = l.iter().map(|l| format!("{}={}", l.name, l.value)).collect();
            format!(
                "{} {}",
                ls.join(","),
                if l.metric_name().is_some_and(|n| n.starts_with("push_")) { "t".into() } else { v.to_string() }
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn routes_and_codes() {
    let g = gw(Options { admin_api: true, ..Default::default() });
    let t = at(0);
    assert_eq!(g.handle_at(&req("PUT", "/metrics/job/a", "x 1\n"), t).status, 200);
    assert_eq!(g.handle_at(&req("POST", "/metrics/job/a/instance/i", "x 2\n"), t).status, 200);
    assert_eq!(g.handle_at(&req("GET", "/metrics/job/a", ""), t).status, 405);
    assert_eq!(g.handle_at(&req("PUT", "/metrics/nojob/a", ""), t).status, 404);
    assert_eq!(g.handle_at(&req("PUT", "/metrics/job/a/b", ""), t).status, 400);
    let r = g.handle_at(&req("PUT", "/metrics/job@base64/=", ""), t);
    assert_eq!((r.status, r.body.as_slice()), (400, &b"job name is required\n"[..]));
    assert_eq!(g.handle_at(&req("PUT", "/metrics/job/a", "x{"), t).status, 400);
    assert_eq!(g.handle_at(&req("DELETE", "/metrics/job/nothing", ""), t).status, 202);
    let m = g.handle_at(&req("GET", "/api/v1/metrics", ""), t);
    assert_eq!((m.status, m.content_type), (200, Some("application/json")));
    let v: serde_json::Value = serde_json::from_slice(&m.body).unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 2);
    assert_eq!(g.handle_at(&req("GET", "/api/v1/status", ""), t).status, 200);
    assert_eq!(g.handle_at(&req("GET", "/api/v1/admin/wipe", ""), t).status, 405);
    assert_eq!(g.handle_at(&req("GET", "/api/v1/nothing", ""), t).status, 404);
    let w = g.handle_at(&req("PUT", "/api/v1/admin/wipe", ""), t);
    assert_eq!((w.status, w.changed), (202, true));
    assert!(g.snapshot().is_empty());
    let off = gw(Options::default());
    assert_eq!(off.handle_at(&req("PUT", "/api/v1/admin/wipe", ""), t).status, 404);
}

#[test]
fn samples_follow_the_groups() {
    let g = gw(Options::default());
    let t = at(0);
    g.handle_at(&req("PUT", "/metrics/job/a/first@base64/=/x/y", "m{job=\"z\"} 1\n"), t);
    assert_eq!(
        names(&g, t),
        [
            "__name__=m,job=a,x=y 1",
            "__name__=push_failure_time_seconds,job=a,x=y t",
            "__name__=push_time_seconds,job=a,x=y t",
        ]
    );
    let gen = g.generation();
    g.handle_at(&req("DELETE", "/metrics/job/a/first@base64/=/x/y", ""), t);
    assert!(g.generation() > gen);
    assert!(names(&g, t).is_empty());
}

#[test]
fn ttl_default_override_and_zero() {
    let g = gw(Options { default_ttl: Some(Duration::from_secs(60)), ..Default::default() });
    let mut r = req("PUT", "/metrics/job/short", "a 1\n");
    r.ttl = Some("10s");
    assert_eq!(g.handle_at(&r, at(0)).status, 200);
    assert_eq!(g.handle_at(&req("PUT", "/metrics/job/default", "b 1\n"), at(0)).status, 200);
    let mut forever = req("PUT", "/metrics/job/forever", "c 1\n");
    forever.ttl = Some("0");
    assert_eq!(g.handle_at(&forever, at(0)).status, 200);
    let mut bad = req("PUT", "/metrics/job/bad", "d 1\n");
    bad.ttl = Some("ten minutes");
    let resp = g.handle_at(&bad, at(0));
    assert_eq!(resp.status, 400);
    assert!(String::from_utf8_lossy(&resp.body).contains(TTL_HEADER));
    let jobs = || -> Vec<String> { g.snapshot().groups().map(|gr| gr.key["job"].clone()).collect() };
    assert_eq!(jobs(), ["default", "forever", "short"]);
    assert_eq!(g.expire(at(9)), 0);
    assert_eq!(g.expire(at(10)), 1);
    assert_eq!(jobs(), ["default", "forever"]);
    // A push renews the TTL.
    assert_eq!(g.handle_at(&req("POST", "/metrics/job/default", "b 2\n"), at(50)).status, 200);
    assert_eq!(g.expire(at(100)), 0);
    assert_eq!(g.expire(at(110)), 1);
    assert_eq!(jobs(), ["forever"]);
    assert_eq!(g.expire(at(1_000_000)), 0);
    // Expired groups leave /api/v1/metrics without an explicit sweep.
    let mut r = req("PUT", "/metrics/job/short", "a 1\n");
    r.ttl = Some("1s");
    g.handle_at(&r, at(0));
    let m = g.handle_at(&req("GET", "/api/v1/metrics", ""), at(5));
    let v: serde_json::Value = serde_json::from_slice(&m.body).unwrap();
    assert_eq!(v["data"].as_array().unwrap().len(), 1);
}

#[test]
fn a_bad_push_breaks_nothing() {
    let g = gw(Options::default());
    let (t, later) = (at(0), at(1));
    assert_eq!(g.handle_at(&req("PUT", "/metrics/job/good", "# TYPE x counter\nx 1\n"), t).status, 200);
    let before = names(&g, t);
    // Bad base64 job names (which hang later @base64 pushes in 1.5.1), bad bodies, a timestamp,
    // a type clash from another group.
    for (m, p, b) in [
        ("PUT", "/metrics/job@base64/!!!", "y 1\n"),
        ("POST", "/metrics/job@base64/a.b", "y 1\n"),
        ("DELETE", "/metrics/job@base64/%", ""),
        ("PUT", "/metrics/job/good", "x{\n"),
        ("PUT", "/metrics/job/good", "x 1 1234\n"),
        ("POST", "/metrics/job/good/instance/z", "# TYPE x gauge\nx 1\n"),
    ] {
        assert_eq!(g.handle_at(&req(m, p, b), later).status, 400, "{m} {p}");
    }
    let after: Vec<String> = names(&g, later).into_iter().filter(|l| !l.contains("instance=z")).collect();
    assert_eq!(after, before, "the good group kept its samples (only its failure time changed)");
    let good: GroupingKey = [("job".to_string(), "good".to_string())].into_iter().collect();
    assert!(!g.snapshot().group(&good).unwrap().last_push_successful());
    for (m, p) in
        [("PUT", "/metrics/job@base64/Z29vZA"), ("POST", "/metrics/job@base64/Z29vZA"), ("PUT", "/metrics/job/other")]
    {
        assert_eq!(g.handle_at(&req(m, p, "# TYPE x counter\nx 2\n"), later).status, 200, "{m} {p}");
    }
    assert!(g.snapshot().group(&good).unwrap().last_push_successful());
    assert_eq!(g.handle_at(&req("DELETE", "/metrics/job@base64/Z29vZA", ""), later).status, 202);
}

#[test]
fn groups_survive_a_restart() {
    let d = tempfile::tempdir().unwrap();
    let opts = Options { persistence_file: Some(d.path().join("pushgateway.store")), ..Default::default() };
    let g = gw(opts.clone());
    assert!(!g.persist().unwrap(), "nothing to write yet");
    let mut r = req("PUT", "/metrics/job/j/instance/i", "# HELP m M.\n# TYPE m gauge\nm 7\n");
    r.ttl = Some("1h");
    g.handle_at(&r, at(0));
    assert!(g.persist().unwrap());
    assert!(!g.persist().unwrap(), "unchanged since the last write");
    let reopened = gw(opts);
    assert_eq!(reopened.snapshot(), g.snapshot());
    assert_eq!(names(&reopened, at(1)), names(&g, at(1)));
    assert_eq!(reopened.expire(at(3600)), 1, "the TTL survives too");
}
