//! The manager: loading, globbing, reloads keeping state, and the run loop.

use super::support::{min, Fixture};
use crate::rules::alerting::AlertState;
use crate::rules::group::{Group, Rule};
use crate::rules::manager::{expand_patterns, LoadError};
use crate::rules::{Manager, ManagerOptions};
use pharos_protocol::model::is_stale_nan;
use std::path::Path;
use std::sync::Arc;

const RECORD: &str = "- name: rec\n  rules:\n  - record: r1\n    expr: up\n  - record: r2\n    expr: up * 2\n";
const ALERT: &str = "- name: alerts\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 5m\n";

fn write(dir: &Path, name: &str, groups: &[&str]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, format!("groups:\n{}", groups.concat())).unwrap();
    p.display().to_string()
}

fn find(m: &Manager, name: &str) -> Arc<Group> {
    m.groups().into_iter().find(|g| g.name() == name).unwrap()
}

#[tokio::test]
async fn reload_keeps_unchanged_groups_and_hands_over_alert_state() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.yml", &[RECORD, ALERT]);
    let m = Manager::new(ManagerOptions::new(f.env.clone()));
    m.update(std::slice::from_ref(&path)).await.unwrap();
    assert_eq!(m.groups().iter().map(|g| g.name()).collect::<Vec<_>>(), vec!["alerts", "rec"]);
    f.push(&[("__name__", "up"), ("job", "x")], min(1), 0.0);
    let alerts = find(&m, "alerts");
    alerts.eval(min(1));
    let rec = find(&m, "rec");

    // An annotation added: the group changes, the alert's key (name and labels) does not.
    let changed =
        "- name: alerts\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 5m\n    annotations: {a: b}\n";
    write(dir.path(), "a.yml", &[RECORD, changed]);
    m.update(std::slice::from_ref(&path)).await.unwrap();
    assert!(Arc::ptr_eq(&rec, &find(&m, "rec")), "unchanged group keeps running");
    let new_alerts = find(&m, "alerts");
    assert!(!Arc::ptr_eq(&alerts, &new_alerts));
    let Rule::Alerting(r) = &new_alerts.rules()[0] else { panic!("not an alerting rule") };
    let a = r.active_alerts();
    assert_eq!((a.len(), a[0].state, a[0].active_at_ms), (1, AlertState::Pending, min(1)));
    assert_eq!(new_alerts.last_evaluation_ms(), alerts.last_evaluation_ms());
    m.stop().await;
}

#[tokio::test]
async fn series_of_removed_rules_are_marked_stale_by_the_replacement() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.yml", &[RECORD]);
    let m = Manager::new(ManagerOptions::new(f.env.clone()));
    m.update(std::slice::from_ref(&path)).await.unwrap();
    f.push(&[("__name__", "up"), ("job", "x")], min(1), 1.0);
    find(&m, "rec").eval(min(1));
    write(dir.path(), "a.yml", &["- name: rec\n  rules:\n  - record: r1\n    expr: up\n"]);
    m.update(std::slice::from_ref(&path)).await.unwrap();
    find(&m, "rec").eval(min(2));
    let r2 = f.samples(&[("__name__", "r2"), ("job", "x")]);
    assert_eq!(r2.len(), 2);
    assert!(is_stale_nan(r2[1].value) && r2[1].timestamp_ms == min(2));
    let r1 = f.samples(&[("__name__", "r1"), ("job", "x")]);
    assert!(r1.iter().all(|s| s.value == 1.0) && r1.len() == 2, "kept rule keeps its series");
}

#[tokio::test]
async fn load_errors_keep_the_previous_rules() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "a.yml", &[RECORD]);
    let m = Manager::new(ManagerOptions::new(f.env.clone()));
    m.update(std::slice::from_ref(&good)).await.unwrap();
    let bad = write(dir.path(), "b.yml", &["- name: x\n  rules:\n  - record: 1x\n    expr: up\n"]);
    let err = m.update(&[good, bad.clone()]).await.unwrap_err();
    assert!(matches!(&err, LoadError::File { path, .. } if *path == bad), "{err}");
    assert!(err.to_string().contains("invalid recording rule name: 1x"));
    assert_eq!(m.groups().len(), 1);
}

#[tokio::test]
async fn removed_groups_disappear() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.yml", &[RECORD]);
    let b = write(dir.path(), "b.yml", &[ALERT]);
    let m = Manager::new(ManagerOptions::new(f.env.clone()));
    m.update(&[a.clone(), b]).await.unwrap();
    assert_eq!(m.groups().iter().map(|g| g.file().to_string()).collect::<Vec<_>>().len(), 2);
    m.update(std::slice::from_ref(&a)).await.unwrap();
    assert_eq!(m.groups().iter().map(|g| g.file()).collect::<Vec<_>>(), vec![a.as_str()]);
}

#[test]
fn glob_patterns_expand_like_filepath_glob() {
    let dir = tempfile::tempdir().unwrap();
    for n in ["a.yml", "b.yml", "c.yaml", "ab.yml"] {
        std::fs::write(dir.path().join(n), "").unwrap();
    }
    let d = dir.path().display();
    let names = |pats: &[String]| -> Vec<String> {
        expand_patterns(pats).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect()
    };
    assert_eq!(names(&[format!("{d}/*.yml")]), vec!["a.yml", "ab.yml", "b.yml"]);
    assert_eq!(names(&[format!("{d}/[ab].yml")]), vec!["a.yml", "b.yml"]);
    assert_eq!(names(&[format!("{d}/[^a]*")]), vec!["b.yml", "c.yaml"]);
    assert_eq!(names(&[format!("{d}/?.y*ml"), format!("{d}/a.yml")]), vec!["a.yml", "b.yml", "c.yaml"]);
    assert!(names(&[format!("{d}/missing.yml")]).is_empty(), "a missing plain file is skipped");
    assert!(matches!(expand_patterns(&[format!("{d}/[a.yml")]), Err(LoadError::Pattern(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_groups_evaluate_on_their_interval_and_restore() {
    let f = Fixture::new();
    let dir = tempfile::tempdir().unwrap();
    let rules = "- name: fast\n  interval: 50ms\n  rules:\n  - record: one\n    expr: vector(1)\n  - alert: Always\n    expr: vector(1)\n";
    let path = write(dir.path(), "a.yml", &[rules]);
    let m = Manager::new(ManagerOptions::new(f.env.clone()));
    m.update(&[path]).await.unwrap();
    m.start().await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    m.stop().await;
    let s = f.series("one");
    assert_eq!(s.len(), 1);
    let ts: Vec<i64> = s[0].samples.iter().map(|x| x.timestamp_ms).collect();
    assert!(ts.len() >= 4, "{ts:?}");
    assert!(ts.windows(2).all(|w| (w[1] - w[0]) % 50 == 0 && w[1] > w[0]), "aligned to the interval: {ts:?}");
    let fast = find(&m, "fast");
    let Rule::Alerting(r) = &fast.rules()[1] else { panic!("not an alerting rule") };
    assert!(r.restored(), "restored after the second evaluation");
    assert!(!f.series("ALERTS").is_empty(), "ALERTS written once restored");
    let count = f.series("one")[0].samples.len();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(f.series("one")[0].samples.len(), count, "stopped groups do not evaluate");
}
