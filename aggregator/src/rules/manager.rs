//! The rule manager (Prometheus' `rules.Manager`): loads rule files (glob patterns), runs each
//! group as a tokio task on its interval, and on reload replaces the groups, leaving unchanged
//! ones running and handing the state of changed ones to their replacements.

use super::file::{parse_file, RuleFileError};
use super::group::{Group, RuleEnv};
use super::recording::lock;
use super::restore::{restore_for_state, RestoreOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Settings of the manager.
pub struct ManagerOptions {
    /// Engine, storage, sink, templates and identity the groups evaluate with.
    pub env: Arc<RuleEnv>,
    /// Interval of groups that set none (`global.evaluation_interval`, default 1m).
    pub evaluation_interval: Duration,
    /// `for` state restoration settings.
    pub restore: RestoreOptions,
}

impl ManagerOptions {
    /// Options with Prometheus' defaults around `env`.
    pub fn new(env: Arc<RuleEnv>) -> Self {
        ManagerOptions { env, evaluation_interval: Duration::from_secs(60), restore: RestoreOptions::default() }
    }
}

/// Why loading rule files failed (the previous rules stay in force).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// A glob pattern is malformed.
    #[error("invalid rule file pattern {0:?}")]
    Pattern(String),
    /// A file is invalid; every problem is listed.
    #[error("{path}: {}", join(errors))]
    File {
        /// The file.
        path: String,
        /// Its problems.
        errors: Vec<RuleFileError>,
    },
    /// An expression passed validation but could not be parsed again (a bug).
    #[error("{path}: {message}")]
    Expr {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
    },
}

fn join(errors: &[RuleFileError]) -> String {
    errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
}

type GroupKey = (String, String);

struct Running {
    group: Arc<Group>,
    /// Whether the group comes from the first load and must restore its `for` state.
    restore: bool,
    task: Option<(watch::Sender<bool>, JoinHandle<()>)>,
}

#[derive(Default)]
struct State {
    groups: BTreeMap<GroupKey, Running>,
    restored: bool,
    started: bool,
}

/// Runs rule groups.
pub struct Manager {
    opts: ManagerOptions,
    state: tokio::sync::Mutex<State>,
    view: Mutex<Vec<Arc<Group>>>,
    done: watch::Sender<bool>,
}

impl Manager {
    /// A manager without groups; nothing runs until [`Manager::start`].
    pub fn new(opts: ManagerOptions) -> Self {
        Manager { opts, state: Default::default(), view: Mutex::default(), done: watch::channel(false).0 }
    }

    /// The groups, sorted by file then name.
    pub fn groups(&self) -> Vec<Arc<Group>> {
        lock(&self.view).clone()
    }

    /// Loads and validates the files matching `patterns` into groups (not started). `restored`
    /// false makes alerting rules wait for their `for` state to be restored.
    pub fn load_groups(&self, patterns: &[String], restored: bool) -> Result<Vec<Group>, LoadError> {
        let mut groups = Vec::new();
        for path in expand_patterns(patterns)? {
            let shown = path.display().to_string();
            let file = parse_file(&path, Some(self.opts.env.expander.as_ref()))
                .map_err(|errors| LoadError::File { path: shown.clone(), errors })?;
            for spec in &file.groups {
                let g = Group::new(spec, &shown, self.opts.evaluation_interval, self.opts.env.clone(), restored)
                    .map_err(|e| LoadError::Expr { path: shown.clone(), message: e.to_string() })?;
                groups.push(g);
            }
        }
        Ok(groups)
    }

    /// Replaces the rule set with the files matching `patterns` (Prometheus' `Update`). On error
    /// the previous groups keep running. Unchanged groups keep running untouched; a changed
    /// group's replacement takes over its state; removed groups stop and, after two intervals,
    /// end their series with staleness markers.
    pub async fn update(&self, patterns: &[String]) -> Result<(), LoadError> {
        let mut state = self.state.lock().await;
        let should_restore = !state.restored;
        let loaded = self.load_groups(patterns, state.restored)?;
        state.restored = true;
        let mut old = std::mem::take(&mut state.groups);
        let mut next = BTreeMap::new();
        for newg in loaded {
            let key = (newg.file().to_string(), newg.name().to_string());
            if next.contains_key(&key) {
                // The same file listed twice (two overlapping patterns): Prometheus keeps one.
                continue;
            }
            let previous = old.remove(&key);
            if let Some(prev) = previous {
                if prev.group.equals(&newg) {
                    next.insert(key, prev);
                    continue;
                }
                stop(prev.task).await;
                newg.copy_state(&prev.group);
            }
            let group = Arc::new(newg);
            let task = state.started.then(|| self.spawn(group.clone(), should_restore));
            next.insert(key, Running { group, restore: should_restore, task });
        }
        for (_, removed) in old {
            stop(removed.task).await;
            self.mark_stale_later(removed.group);
        }
        *lock(&self.view) = next.values().map(|r| r.group.clone()).collect();
        state.groups = next;
        Ok(())
    }

    /// Starts evaluating the loaded groups (and groups loaded later).
    pub async fn start(&self) {
        let mut state = self.state.lock().await;
        if state.started {
            return;
        }
        state.started = true;
        for running in state.groups.values_mut() {
            running.task = Some(self.spawn(running.group.clone(), running.restore));
        }
    }

    /// Stops every group and waits for them.
    pub async fn stop(&self) {
        let mut state = self.state.lock().await;
        let _ = self.done.send(true);
        for running in state.groups.values_mut() {
            stop(running.task.take()).await;
        }
        state.started = false;
    }

    fn spawn(&self, group: Arc<Group>, should_restore: bool) -> (watch::Sender<bool>, JoinHandle<()>) {
        let (tx, rx) = watch::channel(false);
        let restore = should_restore.then_some(self.opts.restore);
        let handle = tokio::spawn(run_group(group, rx, restore));
        (tx, handle)
    }

    fn mark_stale_later(&self, group: Arc<Group>) {
        let at = crate::now_ms();
        let mut done = self.done.subscribe();
        let wait = group.interval() * 2;
        tokio::spawn(async move {
            tokio::select! {
                _ = stopped(&mut done) => {}
                _ = tokio::time::sleep(wait) => {
                    let _ = tokio::task::spawn_blocking(move || group.mark_all_stale(at)).await;
                }
            }
        });
    }
}

/// Resolves once the flag is set (or its sender is gone).
async fn stopped(rx: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`: drop it here, before any other await.
    let _ = rx.wait_for(|v| *v).await.map(|_| ());
}

async fn stop(task: Option<(watch::Sender<bool>, JoinHandle<()>)>) {
    if let Some((tx, handle)) = task {
        let _ = tx.send(true);
        let _ = handle.await;
    }
}

/// Evaluates `group` at aligned timestamps until told to stop; after the second evaluation,
/// restores the `for` state if asked to.
async fn run_group(group: Arc<Group>, mut stop: watch::Receiver<bool>, mut restore: Option<RestoreOptions>) {
    let interval = (group.interval().as_millis() as i64).max(1);
    let mut eval_ts = group.eval_timestamp(crate::now_ms()) + interval;
    let mut first = true;
    loop {
        let wait = Duration::from_millis((eval_ts - crate::now_ms()).max(0) as u64);
        tokio::select! {
            _ = stopped(&mut stop) => return,
            _ = tokio::time::sleep(wait) => {}
        }
        if !first {
            // Skip the evaluations a slow one made us miss, as Prometheus does.
            let missed = (crate::now_ms() - eval_ts) / interval;
            if missed > 0 {
                eval_ts += missed * interval;
            }
        }
        let g = group.clone();
        let ts = eval_ts;
        let _ = tokio::task::spawn_blocking(move || g.eval(ts)).await;
        if !first {
            if let Some(opts) = restore.take() {
                let g = group.clone();
                let _ = tokio::task::spawn_blocking(move || restore_for_state(&g, crate::now_ms(), opts)).await;
            }
        }
        first = false;
        eval_ts += interval;
    }
}

/// Expands glob patterns (`*`, `?`, `[...]` in any path component, as Go's `filepath.Glob`);
/// a pattern without metacharacters names a file, skipped if it does not exist.
pub fn expand_patterns(patterns: &[String]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in patterns {
        let mut matches = Vec::new();
        glob(Path::new(p), &mut matches).map_err(|_| LoadError::Pattern(p.clone()))?;
        matches.sort();
        for m in matches {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    Ok(out)
}

fn has_meta(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

fn glob(pattern: &Path, out: &mut Vec<PathBuf>) -> Result<(), ()> {
    let mut bases = vec![PathBuf::new()];
    let comps: Vec<_> = pattern.components().collect();
    for (i, comp) in comps.iter().enumerate() {
        let part = comp.as_os_str().to_string_lossy();
        let last = i + 1 == comps.len();
        let mut next = Vec::new();
        for base in &bases {
            if !has_meta(&part) {
                let p = base.join(comp.as_os_str());
                if !last || p.symlink_metadata().is_ok() {
                    next.push(p);
                }
                continue;
            }
            match_pattern(&part, "")?; // reject malformed patterns even if the directory is empty
            let dir = if base.as_os_str().is_empty() { Path::new(".") } else { base.as_path() };
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if match_pattern(&part, &name)? {
                    next.push(base.join(&name));
                }
            }
        }
        bases = next;
    }
    out.extend(bases.into_iter().filter(|p| p.exists()));
    Ok(())
}

/// Matches one path component against a glob (Go's `filepath.Match` syntax).
fn match_pattern(pattern: &str, name: &str) -> Result<bool, ()> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> Result<bool, ()> {
    let Some((&c, rest)) = p.split_first() else { return Ok(n.is_empty()) };
    match c {
        '*' => {
            for i in 0..=n.len() {
                if match_from(rest, &n[i..])? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        '?' => Ok(!n.is_empty() && match_from(rest, &n[1..])?),
        '[' => {
            let (matched, after) = match_class(rest, n.first().copied())?;
            Ok(matched && match_from(after, &n[1..])?)
        }
        '\\' => {
            let (&lit, rest) = rest.split_first().ok_or(())?;
            Ok(n.first() == Some(&lit) && match_from(rest, &n[1..])?)
        }
        _ => Ok(n.first() == Some(&c) && match_from(rest, &n[1..])?),
    }
}

/// Matches a character class after its `[`; returns whether `ch` matched and the rest.
fn match_class(p: &[char], ch: Option<char>) -> Result<(bool, &[char]), ()> {
    let (negated, mut i) = if p.first() == Some(&'^') { (true, 1) } else { (false, 0) };
    let mut matched = false;
    let mut first = true;
    loop {
        let c = *p.get(i).ok_or(())?;
        if c == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *p.get(i).ok_or(())?
        } else {
            c
        };
        i += 1;
        let hi = if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&x| x != ']') {
            i += 1;
            let h = if p[i] == '\\' {
                i += 1;
                *p.get(i).ok_or(())?
            } else {
                p[i]
            };
            i += 1;
            h
        } else {
            lo
        };
        if ch.is_some_and(|ch| lo <= ch && ch <= hi) {
            matched = true;
        }
    }
    Ok((ch.is_some() && matched != negated, &p[i..]))
}
