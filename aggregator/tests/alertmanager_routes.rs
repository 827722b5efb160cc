//! Conformance of Pharos' `alertmanager.yml` loading and routing with Alertmanager 0.25's
//! `amtool` (the reference, installed as `/usr/bin/amtool`; `$AMTOOL` overrides the path).
//!
//! * Every file in `shared/conformance/alertmanager/` and `shared/examples/alertmanager.yml`
//!   must load or fail exactly as `amtool check-config FILE` decides.
//! * For every file amtool accepts, label sets derived from the route matchers (one per route so
//!   every branch is hit, near misses, and a few matching no child) must be routed to the same
//!   receivers, in the same order, as `amtool config routes test` prints.
//!
//! Without amtool these tests fail: CI installs it, so a missing binary is an error, not a skip.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pharos_aggregator::alerting::config::Config;
use pharos_aggregator::alerting::matcher::{MatchType, Matcher};
use pharos_aggregator::alerting::route::Route;
use pharos_protocol::model::Labels;

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The configuration files under test, sorted.
fn config_files() -> Vec<PathBuf> {
    let dir = shared_dir().join("conformance/alertmanager");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    files.push(shared_dir().join("examples/alertmanager.yml"));
    assert!(files.len() > 5, "expected the conformance files in {}", dir.display());
    files
}

fn amtool(args: &[&str]) -> Output {
    let bin = std::env::var("AMTOOL").unwrap_or_else(|_| "amtool".to_string());
    Command::new(&bin).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{bin}` ({e}). These conformance tests need Alertmanager's amtool 0.25 \
             (Debian/Ubuntu: `apt-get install prometheus-alertmanager`, or set AMTOOL=/path/to/amtool)"
        )
    })
}

#[test]
fn check_config_verdicts_match_amtool() {
    let mut mismatches = Vec::new();
    let mut accepted = 0;
    for file in config_files() {
        let path = file.to_string_lossy().into_owned();
        let out = amtool(&["check-config", &path]);
        let theirs = out.status.success();
        let ours = Config::load_file(&file);
        if theirs {
            accepted += 1;
        }
        if theirs != ours.is_ok() {
            mismatches.push(format!(
                "{path}: amtool {} ({}), pharos {:?}",
                if theirs { "accepts" } else { "rejects" },
                String::from_utf8_lossy(&out.stdout).trim(),
                ours.err().map(|e| e.to_string())
            ));
        }
    }
    assert!(accepted >= 5, "amtool accepted only {accepted} files; is it the 0.25 amtool?");
    assert!(mismatches.is_empty(), "verdicts differ:\n{}", mismatches.join("\n"));
}

/// Candidate label values: every literal in the configuration, pieces of the regexes, their
/// first alternatives, and a few fillers.
fn candidate_values(tree: &Route) -> Vec<String> {
    let mut out = BTreeSet::new();
    tree.walk(&mut |r| {
        for m in r.matchers.iter() {
            out.insert(m.value.clone());
            let inner =
                m.value.trim_start_matches("^(?:").trim_end_matches(")$").trim_start_matches('^').trim_end_matches('$');
            out.insert(first_alternatives(inner));
            for piece in inner.split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_') {
                out.insert(piece.to_string());
                out.extend(piece.chars().map(String::from));
            }
        }
    });
    out.extend(["x".to_string(), "value".to_string()]);
    out.remove("");
    out.into_iter().collect()
}

/// `team-(B|C)` -> `team-B`: keeps the first branch of each group and drops `^`, `$`.
fn first_alternatives(re: &str) -> String {
    let mut out = String::new();
    let mut skipping = 0usize;
    let mut depth = 0usize;
    for c in re.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                if skipping == depth {
                    skipping = 0;
                }
                depth = depth.saturating_sub(1);
            }
            '|' if depth > 0 && skipping == 0 => skipping = depth,
            '|' => break,
            '^' | '$' => {}
            c if skipping == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Labels that satisfy all matchers, or `None` when no candidate satisfies some matcher.
fn satisfy(matchers: &[Matcher], candidates: &[String]) -> Option<Vec<(String, String)>> {
    let mut labels: Vec<(String, String)> = Vec::new();
    for m in matchers {
        if labels.iter().any(|(n, _)| *n == m.name) {
            continue;
        }
        if matches!(m.match_type, MatchType::NotEqual | MatchType::NotRegexp) && m.matches("") {
            continue;
        }
        let v = candidates.iter().find(|v| m.matches(v))?;
        labels.push((m.name.clone(), v.clone()));
    }
    let set = Labels::from_pairs(labels.clone());
    matchers.iter().all(|m| m.matches_labels(&set)).then_some(labels)
}

/// Label sets for one tree: for each route, labels satisfying its path; a near miss that breaks
/// the route's own first matcher; and some that match no child at all.
fn label_sets(tree: &Route) -> Vec<Vec<(String, String)>> {
    let candidates = candidate_values(tree);
    let mut sets: Vec<Vec<(String, String)>> = vec![
        vec![],
        vec![("alertname".into(), "NothingMatchesThis".into())],
        vec![("unrelated".into(), "x".into()), ("severity".into(), "none".into())],
    ];
    fn visit(r: &Route, path: &mut Vec<Matcher>, candidates: &[String], sets: &mut Vec<Vec<(String, String)>>) {
        path.extend(r.matchers.iter().cloned());
        if let Some(mut labels) = satisfy(path, candidates) {
            sets.push(labels.clone());
            labels.push(("alertname".into(), "Extra".into()));
            sets.push(labels.clone());
            if let Some(first) = r.matchers.iter().next() {
                let mut miss = labels.clone();
                miss.retain(|(n, _)| *n != first.name);
                miss.push((first.name.clone(), "no-such-value".into()));
                sets.push(miss);
            }
        }
        for c in &r.routes {
            visit(c, path, candidates, sets);
        }
        path.truncate(path.len() - r.matchers.len());
    }
    visit(tree, &mut Vec::new(), &candidates, &mut sets);
    sets
}

#[test]
fn routes_match_amtool() {
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for file in config_files() {
        let path = file.to_string_lossy().into_owned();
        if !amtool(&["check-config", &path]).status.success() {
            continue;
        }
        let cfg = Config::load_file(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
        let tree = Route::new(&cfg.route);
        let mut hit_routes = BTreeSet::new();
        for labels in label_sets(&tree) {
            let set = Labels::from_pairs(labels.clone());
            let matched = tree.match_labels(&set);
            hit_routes.extend(matched.iter().map(|r| r.id().to_string()));
            let ours = matched.iter().map(|r| r.opts.receiver.as_str()).collect::<Vec<_>>().join(",");
            let mut args = vec!["config".to_string(), "routes".into(), "test".into(), format!("--config.file={path}")];
            args.extend(labels.iter().map(|(n, v)| format!("{n}={v}")));
            let out = amtool(&args.iter().map(String::as_str).collect::<Vec<_>>());
            assert!(out.status.success(), "amtool {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
            let theirs = String::from_utf8_lossy(&out.stdout).trim().to_string();
            compared += 1;
            if ours != theirs {
                mismatches.push(format!("{path} {labels:?}: amtool {theirs:?}, pharos {ours:?}"));
            }
        }
        // Every route of the tree must have been the destination of some label set.
        let mut all_routes = BTreeSet::new();
        tree.walk(&mut |r| {
            if r.routes.is_empty() {
                all_routes.insert(r.id().to_string());
            }
        });
        let missed: Vec<_> = all_routes.difference(&hit_routes).collect();
        assert!(missed.is_empty(), "{path}: no label set reached the leaf routes {missed:?}");
    }
    assert!(compared >= 30, "only {compared} label sets compared");
    assert!(mismatches.is_empty(), "routing differs from amtool:\n{}", mismatches.join("\n"));
}

#[test]
fn upstream_cli_routing_table() {
    // Restated from upstream's cli/test_routing_test.go; checked against amtool as well.
    let dir = shared_dir().join("conformance/alertmanager");
    let cases = [
        ("cli_testdata_conf.routing.yml", "test", "1", "test1"),
        ("cli_testdata_conf.routing.yml", "test", "2", "test1,test2"),
        ("cli_testdata_conf.routing-reverted.yml", "test", "2", "test2,test1"),
        ("cli_testdata_conf.routing.yml", "test", "volovina", "default"),
    ];
    for (file, name, value, want) in cases {
        let cfg = Config::load_file(&dir.join(file)).unwrap();
        let got = Route::new(&cfg.route).receivers_for(&Labels::from_pairs([(name, value)])).join(",");
        assert_eq!(got, want, "{file} {name}={value}");
        let path = dir.join(file).to_string_lossy().into_owned();
        let out = amtool(&["config", "routes", "test", &format!("--config.file={path}"), &format!("{name}={value}")]);
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want, "amtool {file} {name}={value}");
    }
}
