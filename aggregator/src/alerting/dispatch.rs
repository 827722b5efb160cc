//! The dispatcher (Alertmanager 0.25's `dispatch/dispatch.go`): sorts alerts into aggregation
//! groups per (route, group labels) and flushes each group through the notification pipeline:
//! first `group_wait` after the group is created (at once for an alert whose
//! `startsAt + group_wait` has already passed), then every `group_interval`.
//!
//! Timers are deadlines in milliseconds read from a [`clock::Clock`]: [`Dispatcher::due`]
//! hands out the flushes that are due, and [`Dispatcher::run`] is the production driver that
//! sleeps until the next deadline or a new alert. Tests drive [`Dispatcher::run_due`] with a
//! manual clock instead of sleeping.

pub mod clock;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pharos_protocol::Labels;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use self::clock::Clock;
use super::nflog::duration_ms;
use super::notify::{Flush, Pipeline, PipelineError};
use super::route::{Route, RouteOpts};
use super::store::alert_order;
use super::types::{fingerprint, Alert};

/// Longest the driver sleeps before looking at the clock again (guards against clock jumps).
const MAX_IDLE: Duration = Duration::from_secs(5);

/// A group as the API lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSnapshot {
    /// The labels the group was formed on.
    pub labels: Labels,
    /// The route's receiver.
    pub receiver: String,
    /// The group key.
    pub group_key: String,
    /// The route's unique id ([`Route::id`]).
    pub route_id: String,
    /// The group's alerts (as received; resolved ones until their resolution is notified).
    pub alerts: Vec<Alert>,
}

struct Group {
    labels: Labels,
    key: String,
    route_id: String,
    opts: RouteOpts,
    alerts: HashMap<u64, Alert>,
    next_flush_ms: i64,
    has_flushed: bool,
    in_flight: bool,
}

type GroupId = (String, u64);

/// Aggregation groups of one configuration. A reload replaces the dispatcher.
pub struct Dispatcher {
    route: Route,
    pipeline: Arc<Pipeline>,
    clock: Arc<dyn Clock>,
    groups: Mutex<HashMap<GroupId, Group>>,
    wake: Notify,
}

/// One due flush, to be awaited (tests) or spawned (the driver).
pub struct FlushJob {
    disp: Arc<Dispatcher>,
    gid: GroupId,
    /// What the pipeline is given.
    pub flush: Flush,
}

impl FlushJob {
    /// Runs the pipeline; on success, drops the group's alerts that were notified as resolved
    /// and have not been updated since.
    pub async fn run(self) -> Result<(), PipelineError> {
        let res = self.disp.pipeline.exec(&self.flush).await;
        if let Err(e) = &res {
            tracing::error!(group = %self.flush.group_key, err = %e, "notify for alerts failed");
        }
        let mut groups = self.disp.lock();
        if let Some(g) = groups.get_mut(&self.gid) {
            g.in_flight = false;
            if res.is_ok() {
                for a in self.flush.alerts.iter().filter(|a| a.resolved_at(self.flush.now_ms)) {
                    let fp = a.fingerprint();
                    if g.alerts.get(&fp).is_some_and(|cur| cur.updated_at_ms == a.updated_at_ms) {
                        g.alerts.remove(&fp);
                    }
                }
            }
        }
        drop(groups);
        self.disp.wake.notify_one();
        res
    }
}

impl Dispatcher {
    /// A dispatcher with no groups for this routing tree.
    pub fn new(route: Route, pipeline: Arc<Pipeline>, clock: Arc<dyn Clock>) -> Arc<Self> {
        Arc::new(Dispatcher { route, pipeline, clock, groups: Mutex::new(HashMap::new()), wake: Notify::new() })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<GroupId, Group>> {
        // Group updates are whole-field writes; a poisoned map is still usable.
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The routing tree.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The pipeline flushes run through.
    pub fn pipeline(&self) -> &Arc<Pipeline> {
        &self.pipeline
    }

    /// Puts a new or updated alert into the group of every route it matches, creating groups
    /// as needed.
    pub fn process(&self, alert: &Alert) {
        let now = self.clock.now_ms();
        let mut groups = self.lock();
        for r in self.route.match_labels(&alert.labels) {
            let labels = r.group_labels(&alert.labels);
            let gid = (r.id().to_string(), fingerprint(&labels));
            let wait = duration_ms(r.opts.group_wait);
            let g = groups.entry(gid).or_insert_with(|| Group {
                key: r.group_key(&alert.labels),
                labels,
                route_id: r.id().to_string(),
                opts: r.opts.clone(),
                alerts: HashMap::new(),
                next_flush_ms: now.saturating_add(wait),
                has_flushed: false,
                in_flight: false,
            });
            g.alerts.insert(alert.fingerprint(), alert.clone());
            // An alert older than group_wait (e.g. after a restart) is flushed at once.
            if !g.has_flushed && alert.starts_at_ms.saturating_add(wait) < now {
                g.next_flush_ms = g.next_flush_ms.min(now);
            }
        }
        drop(groups);
        self.wake.notify_one();
    }

    /// Takes the flushes due now: each due group's next flush moves `group_interval` ahead.
    /// Groups that are empty and idle are deleted first.
    pub fn due(self: &Arc<Self>) -> Vec<FlushJob> {
        let now = self.clock.now_ms();
        let mut groups = self.lock();
        groups.retain(|_, g| g.in_flight || !g.alerts.is_empty());
        let mut jobs = Vec::new();
        for (gid, g) in groups.iter_mut() {
            if g.in_flight || g.next_flush_ms > now {
                continue;
            }
            let interval = duration_ms(g.opts.group_interval);
            g.next_flush_ms = now.saturating_add(interval);
            g.has_flushed = true;
            g.in_flight = true;
            let mut alerts: Vec<Alert> = g
                .alerts
                .values()
                .map(|a| {
                    let mut a = a.clone();
                    // Alerts not resolved now stay firing for the whole pipeline run.
                    if !a.resolved_at(now) {
                        a.ends_at_ms = 0;
                    }
                    a
                })
                .collect();
            alerts.sort_by(alert_order);
            jobs.push(FlushJob {
                disp: Arc::clone(self),
                gid: gid.clone(),
                flush: Flush {
                    opts: g.opts.clone(),
                    group_key: g.key.clone(),
                    group_labels: g.labels.clone(),
                    alerts,
                    now_ms: now,
                    deadline_ms: now.saturating_add(interval),
                },
            });
        }
        jobs.sort_by(|a, b| a.flush.group_key.cmp(&b.flush.group_key));
        jobs
    }

    /// Runs every due flush to completion, one after another; returns how many ran.
    pub async fn run_due(self: &Arc<Self>) -> usize {
        let jobs = self.due();
        let n = jobs.len();
        for j in jobs {
            // Failures are logged by the job; the group retries at its next flush.
            let _ = j.run().await;
        }
        n
    }

    /// The earliest next flush of a group not currently flushing.
    pub fn next_deadline(&self) -> Option<i64> {
        self.lock().values().filter(|g| !g.in_flight).map(|g| g.next_flush_ms).min()
    }

    /// Number of aggregation groups.
    pub fn group_count(&self) -> usize {
        self.lock().len()
    }

    /// The groups with their alerts, sorted by labels then receiver.
    pub fn groups(&self) -> Vec<GroupSnapshot> {
        let groups = self.lock();
        let mut out: Vec<GroupSnapshot> = groups
            .values()
            .map(|g| {
                let mut alerts: Vec<Alert> = g.alerts.values().cloned().collect();
                alerts.sort_by(alert_order);
                GroupSnapshot {
                    labels: g.labels.clone(),
                    receiver: g.opts.receiver.clone(),
                    group_key: g.key.clone(),
                    route_id: g.route_id.clone(),
                    alerts,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            a.labels
                .len()
                .cmp(&b.labels.len())
                .then_with(|| a.labels.cmp(&b.labels))
                .then_with(|| a.receiver.cmp(&b.receiver))
        });
        out
    }

    /// The production driver: flushes due groups as concurrent tasks, sleeping until the next
    /// deadline, a new alert or a finished flush; on `stop` it cancels flushes in progress.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut tasks = JoinSet::new();
        loop {
            if *stop.borrow() {
                break;
            }
            for job in self.due() {
                tasks.spawn(job.run());
            }
            let now = self.clock.now_ms();
            let idle = self
                .next_deadline()
                .map(|d| Duration::from_millis(u64::try_from(d.saturating_sub(now)).unwrap_or(0)))
                .unwrap_or(MAX_IDLE)
                .min(MAX_IDLE);
            tokio::select! {
                _ = tokio::time::sleep(idle) => {}
                _ = self.wake.notified() => {}
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
}

#[cfg(test)]
#[path = "tests_dispatch.rs"]
pub(crate) mod tests;
