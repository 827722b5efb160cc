//! Routing tree tests; the tables are restated from Alertmanager 0.25's
//! `dispatch/route_test.go`.

use super::*;

fn tree(yaml: &str) -> Route {
    Route::new(&yaml_serde::from_str::<RouteConfig>(yaml).unwrap())
}

fn ls(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

const ROUTE_MATCH_TREE: &str = r#"
receiver: 'notify-def'
routes:
- match:
    owner: 'team-A'
  receiver: 'notify-A'
  routes:
  - match:
      env: 'testing'
    receiver: 'notify-testing'
    group_by: [...]
  - match:
      env: "production"
    receiver: 'notify-productionA'
    group_wait: 1m
    continue: true
  - match_re:
      env: "produ.*"
      job: ".*"
    receiver: 'notify-productionB'
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 1h
    group_by: ['job']
- match_re:
    owner: 'team-(B|C)'
  group_by: ['foo', 'bar']
  group_wait: 2m
  receiver: 'notify-BC'
- match:
    group_by: 'role'
  group_by: ['role']
  routes:
  - match:
      env: 'testing'
    receiver: 'notify-testing'
    routes:
    - match:
        wait: 'long'
      group_wait: 2m
"#;

fn opts(receiver: &str, group_by: &[&str], all: bool, wait: u64, interval: u64, repeat: u64) -> RouteOpts {
    RouteOpts {
        receiver: receiver.into(),
        group_by: set(group_by),
        group_by_all: all,
        group_wait: Duration::from_secs(wait),
        group_interval: Duration::from_secs(interval),
        repeat_interval: Duration::from_secs(repeat),
        mute_time_intervals: Vec::new(),
        active_time_intervals: Vec::new(),
    }
}

#[test]
fn route_match_upstream_table() {
    let t = tree(ROUTE_MATCH_TREE);
    let (w, i, r) = (30, 300, 4 * 3600);
    let cases: Vec<(Labels, Vec<RouteOpts>, Vec<&str>)> = vec![
        (ls(&[("owner", "team-A")]), vec![opts("notify-A", &[], false, w, i, r)], vec![r#"{}/{owner="team-A"}"#]),
        (
            ls(&[("owner", "team-A"), ("env", "unset")]),
            vec![opts("notify-A", &[], false, w, i, r)],
            vec![r#"{}/{owner="team-A"}"#],
        ),
        (
            ls(&[("owner", "team-C")]),
            vec![opts("notify-BC", &["foo", "bar"], false, 120, i, r)],
            vec![r#"{}/{owner=~"^(?:team-(B|C))$"}"#],
        ),
        (
            ls(&[("owner", "team-A"), ("env", "testing")]),
            vec![opts("notify-testing", &[], true, w, i, r)],
            vec![r#"{}/{owner="team-A"}/{env="testing"}"#],
        ),
        (
            ls(&[("owner", "team-A"), ("env", "production")]),
            vec![
                opts("notify-productionA", &[], false, 60, i, r),
                opts("notify-productionB", &["job"], false, 30, 300, 3600),
            ],
            vec![
                r#"{}/{owner="team-A"}/{env="production"}"#,
                r#"{}/{owner="team-A"}/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"}"#,
            ],
        ),
        (
            ls(&[("group_by", "role")]),
            vec![opts("notify-def", &["role"], false, w, i, r)],
            vec![r#"{}/{group_by="role"}"#],
        ),
        (
            ls(&[("env", "testing"), ("group_by", "role")]),
            vec![opts("notify-testing", &["role"], false, w, i, r)],
            vec![r#"{}/{group_by="role"}/{env="testing"}"#],
        ),
        (
            ls(&[("env", "testing"), ("group_by", "role"), ("wait", "long")]),
            vec![opts("notify-testing", &["role"], false, 120, i, r)],
            vec![r#"{}/{group_by="role"}/{env="testing"}/{wait="long"}"#],
        ),
    ];
    for (labels, want_opts, want_keys) in cases {
        let got = t.match_labels(&labels);
        let got_opts: Vec<RouteOpts> = got.iter().map(|r| r.opts.clone()).collect();
        let got_keys: Vec<&str> = got.iter().map(|r| r.key()).collect();
        assert_eq!(got_opts, want_opts, "{labels}");
        assert_eq!(got_keys, want_keys, "{labels}");
    }
}

#[test]
fn inherit_parent_group_by_all() {
    let t = tree(
        "receiver: r\nroutes:\n- match:\n    env: 'parent'\n  group_by: ['...']\n  routes:\n  - match:\n      env: 'child1'\n  \
         - match:\n      env: 'child2'\n    group_by: ['foo']\n",
    );
    let parent = &t.routes[0];
    assert!(parent.opts.group_by_all);
    assert!(parent.routes[0].opts.group_by_all);
    assert!(!parent.routes[1].opts.group_by_all);
    assert_eq!(parent.routes[1].opts.group_by, set(&["foo"]));
}

#[test]
fn matchers_and_match_are_anded_and_sorted() {
    // Restated from TestRouteMatchersAndMatch: all three spellings on one node must hold.
    let t = tree(
        "receiver: def\nroutes:\n- match:\n    owner: 'team-A'\n  matchers: ['env=\"testing\"']\n  match_re:\n    \
         job: 'j.*'\n  receiver: a\n",
    );
    assert_eq!(t.routes[0].key(), r#"{}/{env="testing",job=~"^(?:j.*)$",owner="team-A"}"#);
    assert_eq!(t.receivers_for(&ls(&[("owner", "team-A"), ("env", "testing"), ("job", "job1")])), vec!["a"]);
    assert_eq!(t.receivers_for(&ls(&[("owner", "team-A"), ("env", "testing")])), vec!["def"]);
    assert_eq!(t.receivers_for(&ls(&[("owner", "team-A"), ("job", "job1")])), vec!["def"]);
}

#[test]
fn time_intervals_are_not_inherited_and_ids_are_unique() {
    let t = tree(
        "receiver: def\nroutes:\n- matchers: ['a=\"1\"']\n  mute_time_intervals: [m]\n  active_time_intervals: [x]\n  \
         routes:\n  - matchers: ['b=\"1\"']\n- matchers: ['a=\"1\"']\n",
    );
    assert_eq!(t.routes[0].opts.mute_time_intervals, vec!["m".to_string()]);
    assert_eq!(t.routes[0].opts.active_time_intervals, vec!["x".to_string()]);
    assert!(t.routes[0].routes[0].opts.mute_time_intervals.is_empty());
    assert!(t.routes[0].routes[0].opts.active_time_intervals.is_empty());
    // Same matchers, same key; the id tells them apart.
    assert_eq!(t.routes[0].key(), t.routes[1].key());
    assert_ne!(t.routes[0].id(), t.routes[1].id());
    assert_eq!(t.routes[0].routes[0].id(), r#"{}/{a="1"}/0/{b="1"}/0"#);
    let mut n = 0;
    t.walk(&mut |_| n += 1);
    assert_eq!(n, 4);
}

#[test]
fn group_keys() {
    let t = tree(
        "receiver: def\ngroup_by: [alertname, cluster]\nroutes:\n- matchers: ['all=\"1\"']\n  group_by: ['...']\n",
    );
    let a = ls(&[("alertname", "Down"), ("instance", "i1"), ("a1", "x")]);
    // Missing group_by labels are left out, not set to "".
    assert_eq!(t.group_labels(&a), ls(&[("alertname", "Down")]));
    assert_eq!(t.group_key(&a), r#"{}:{alertname="Down"}"#);
    let b = ls(&[("all", "1"), ("a1", "q\"x"), ("a", "y")]);
    let child = t.match_labels(&b)[0];
    assert_eq!(child.group_labels(&b), b);
    // Go sorts the formatted pairs: `a1=` sorts before `a=`.
    assert_eq!(child.group_key(&b), r#"{}/{all="1"}:{a1="q\"x", a="y", all="1"}"#);
    let empty = tree("receiver: def");
    assert_eq!(empty.group_key(&a), "{}:{}");
}

#[test]
fn mute_and_active_time_intervals() {
    let cfg = crate::alerting::config::Config::load(
        "route:\n  receiver: r\n  routes:\n    - matchers: ['a=\"m\"']\n      mute_time_intervals: [weekend]\n    \
         - matchers: ['a=\"b\"']\n      active_time_intervals: [office]\nreceivers:\n  - name: r\n\
         time_intervals:\n  - name: weekend\n    time_intervals:\n      - weekdays: ['saturday', 'sunday']\n  \
         - name: office\n    time_intervals:\n      - times:\n          - start_time: '09:00'\n            end_time: '17:00'\n",
    )
    .unwrap();
    let t = Route::new(&cfg.route);
    let iv = cfg.time_interval_map();
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let (mute, active) = (&t.routes[0].opts, &t.routes[1].opts);
    // 2024-06-01 is a Saturday, 2024-06-03 a Monday.
    assert!(mute.is_muted_at(&iv, at("2024-06-01T10:00:00Z")));
    assert!(!mute.is_muted_at(&iv, at("2024-06-03T10:00:00Z")));
    assert!(!active.is_muted_at(&iv, at("2024-06-03T10:00:00Z")));
    assert!(active.is_muted_at(&iv, at("2024-06-03T17:00:00Z")));
    assert!(!t.opts.is_muted_at(&iv, at("2024-06-01T10:00:00Z")));
}
