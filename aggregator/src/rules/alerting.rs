//! Alerting rules (Prometheus' `rules/alerting.go`): every output series of the expression is an
//! alert, pending until it has been active for `for`, then firing; an alert whose series
//! disappears resolves (or keeps firing for `keep_firing_for`) and is kept for 15 minutes so the
//! resolution is notified. Active alerts are also written as `ALERTS` and `ALERTS_FOR_STATE`.

use super::recording::{lock, query_vector, RuleEvalError};
use super::{AlertSink, ExpandContext, OutgoingAlert, RuleStatus, TemplateExpander};
use crate::promql::{Engine, InstantSample, PromqlError, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Metric name of the synthetic series of active alerts.
pub const ALERTS_METRIC: &str = "ALERTS";
/// Metric name of the series holding each active alert's active-since time in seconds.
pub const ALERTS_FOR_STATE_METRIC: &str = "ALERTS_FOR_STATE";
/// The label holding the alert's name.
pub const ALERT_NAME_LABEL: &str = "alertname";
/// The label of `ALERTS` holding `pending` or `firing`.
pub const ALERT_STATE_LABEL: &str = "alertstate";
/// How long a resolved alert is kept (and re-sent as resolved), Prometheus' `resolvedRetention`.
pub const RESOLVED_RETENTION_MS: i64 = 15 * 60 * 1000;

/// The state of one alert, ordered inactive < pending < firing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertState {
    /// Resolved (kept only to notify the resolution).
    Inactive,
    /// Active for less than `for`.
    Pending,
    /// Active for at least `for`.
    Firing,
}

impl AlertState {
    /// `inactive`, `pending` or `firing`.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Inactive => "inactive",
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
        }
    }
}

/// One alert of a rule. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Current state.
    pub state: AlertState,
    /// Identifying labels: the series' labels without `__name__`, the rule's expanded labels,
    /// and `alertname`.
    pub labels: Labels,
    /// Expanded annotations.
    pub annotations: BTreeMap<String, String>,
    /// The expression's value at the last evaluation.
    pub value: f64,
    /// Since when the condition has held.
    pub active_at_ms: i64,
    /// When it started firing.
    pub fired_at_ms: Option<i64>,
    /// When it resolved; `None` while active.
    pub resolved_at_ms: Option<i64>,
    /// When it was last sent to the sink.
    pub last_sent_at_ms: Option<i64>,
    /// Until when the last notification is valid.
    pub valid_until_ms: Option<i64>,
    /// Since when it has been kept firing by `keep_firing_for` after its condition stopped.
    pub keep_firing_since_ms: Option<i64>,
}

impl Alert {
    fn needs_sending(&self, ts_ms: i64, resend_delay_ms: i64) -> bool {
        if self.state == AlertState::Pending {
            return false;
        }
        let last_sent = self.last_sent_at_ms.unwrap_or(i64::MIN);
        if self.resolved_at_ms.is_some_and(|r| r > last_sent) {
            return true;
        }
        self.last_sent_at_ms.is_none_or(|l| l.saturating_add(resend_delay_ms) < ts_ms)
    }
}

/// What an alerting rule needs from its environment to evaluate.
pub struct AlertEvalEnv<'a> {
    /// The PromQL engine.
    pub engine: &'a Engine,
    /// Expands label and annotation templates.
    pub expander: &'a dyn TemplateExpander,
    /// External labels, for templates.
    pub external_labels: &'a Labels,
    /// External URL, for templates.
    pub external_url: &'a str,
}

/// An alerting rule and its alerts.
#[derive(Debug)]
pub struct AlertingRule {
    name: String,
    expr: String,
    query: String,
    hold: Duration,
    keep_firing_for: Duration,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    status: Mutex<RuleStatus>,
    active: Mutex<BTreeMap<Labels, Alert>>,
    restored: AtomicBool,
}

impl AlertingRule {
    /// A rule named `name` alerting on `expr`. `restored` false means `ALERTS` and
    /// `ALERTS_FOR_STATE` are not written until the `for` state has been restored.
    pub fn new(
        name: &str,
        expr: &str,
        hold: Duration,
        keep_firing_for: Duration,
        labels: &BTreeMap<String, String>,
        annotations: &BTreeMap<String, String>,
        restored: bool,
    ) -> Result<Self, PromqlError> {
        let query = crate::promql::parse(expr)?.to_string();
        Ok(AlertingRule {
            name: name.to_string(),
            expr: expr.to_string(),
            query,
            hold,
            keep_firing_for,
            labels: labels.clone(),
            annotations: annotations.clone(),
            status: Mutex::default(),
            active: Mutex::default(),
            restored: AtomicBool::new(restored),
        })
    }

    /// The alert name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The expression as written in the file.
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// The expression as Prometheus prints it (the API's `query`).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// `for`.
    pub fn hold_duration(&self) -> Duration {
        self.hold
    }

    /// `keep_firing_for`.
    pub fn keep_firing_for(&self) -> Duration {
        self.keep_firing_for
    }

    /// The rule's labels (templates; an empty expansion removes the label).
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }

    /// The rule's annotations (templates).
    pub fn annotations(&self) -> &BTreeMap<String, String> {
        &self.annotations
    }

    /// Health, last error and timing of the last evaluation.
    pub fn status(&self) -> RuleStatus {
        lock(&self.status).clone()
    }

    pub(crate) fn set_status(&self, f: impl FnOnce(&mut RuleStatus)) {
        f(&mut lock(&self.status))
    }

    /// Whether the `for` state has been restored (or needed no restoring).
    pub fn restored(&self) -> bool {
        self.restored.load(Ordering::Relaxed)
    }

    /// Marks the `for` state as restored: `ALERTS` series are written from now on.
    pub fn set_restored(&self, restored: bool) {
        self.restored.store(restored, Ordering::Relaxed)
    }

    /// The highest state among its alerts.
    pub fn state(&self) -> AlertState {
        lock(&self.active).values().map(|a| a.state).max().unwrap_or(AlertState::Inactive)
    }

    /// Pending and firing alerts (resolved ones left out), sorted by labels.
    pub fn active_alerts(&self) -> Vec<Alert> {
        lock(&self.active).values().filter(|a| a.resolved_at_ms.is_none()).cloned().collect()
    }

    /// Every alert held, resolved ones included, sorted by labels.
    pub fn current_alerts(&self) -> Vec<Alert> {
        lock(&self.active).values().cloned().collect()
    }

    /// Runs `f` on the alerts themselves (for restoring and copying state).
    pub(crate) fn with_alerts<R>(&self, f: impl FnOnce(&mut BTreeMap<Labels, Alert>) -> R) -> R {
        f(&mut lock(&self.active))
    }

    /// Evaluates at `ts_ms`: updates the alerts and returns the `ALERTS`/`ALERTS_FOR_STATE`
    /// samples to store (none before the `for` state is restored).
    pub fn eval(&self, env: &AlertEvalEnv<'_>, ts_ms: i64, limit: i64) -> Result<Vector, RuleEvalError> {
        let res = query_vector(env.engine, &self.expr, ts_ms)?;
        let tmpl_name = format!("__alert_{}", self.name);
        let mut fresh: BTreeMap<Labels, Alert> = BTreeMap::new();
        for smpl in &res {
            let ctx = ExpandContext {
                labels: &smpl.metric,
                external_labels: env.external_labels,
                external_url: env.external_url,
                value: smpl.v,
                eval_time_ms: ts_ms,
            };
            // A template that fails still yields an alert, with the error as text.
            let expand = |text: &str| {
                env.expander
                    .expand(&tmpl_name, text, &ctx)
                    .unwrap_or_else(|e| format!("<error expanding template: {e}>"))
            };
            let mut labels = (*smpl.metric).clone();
            labels.remove(METRIC_NAME_LABEL);
            for (k, v) in &self.labels {
                labels.set(k, &expand(v));
            }
            labels.set(ALERT_NAME_LABEL, &self.name);
            let annotations = self.annotations.iter().map(|(k, v)| (k.clone(), expand(v))).collect();
            if fresh.contains_key(&labels) {
                return Err(RuleEvalError::DuplicateAlert);
            }
            let alert = Alert {
                state: AlertState::Pending,
                labels: labels.clone(),
                annotations,
                value: smpl.v,
                active_at_ms: ts_ms,
                fired_at_ms: None,
                resolved_at_ms: None,
                last_sent_at_ms: None,
                valid_until_ms: None,
                keep_firing_since_ms: None,
            };
            fresh.insert(labels, alert);
        }

        let mut active = lock(&self.active);
        let in_result: HashSet<Labels> = fresh.keys().cloned().collect();
        for (key, alert) in fresh {
            match active.get_mut(&key) {
                Some(existing) if existing.state != AlertState::Inactive => {
                    existing.value = alert.value;
                    existing.annotations = alert.annotations;
                }
                _ => {
                    active.insert(key, alert);
                }
            }
        }

        let hold_ms = self.hold.as_millis() as i64;
        let keep_ms = self.keep_firing_for.as_millis() as i64;
        let restored = self.restored();
        let mut out = Vec::new();
        let mut num_active = 0usize;
        let mut remove = Vec::new();
        for (key, a) in active.iter_mut() {
            if !in_result.contains(key) {
                let mut keep_firing = false;
                if a.state == AlertState::Firing && keep_ms > 0 {
                    let since = *a.keep_firing_since_ms.get_or_insert(ts_ms);
                    keep_firing = ts_ms - since < keep_ms;
                }
                // A pending alert that vanishes is forgotten; a resolved one after the retention.
                if a.state == AlertState::Pending || a.resolved_at_ms.is_some_and(|r| ts_ms - r > RESOLVED_RETENTION_MS)
                {
                    remove.push(key.clone());
                }
                if a.state != AlertState::Inactive && !keep_firing {
                    a.state = AlertState::Inactive;
                    a.resolved_at_ms = Some(ts_ms);
                }
                if !keep_firing {
                    continue;
                }
            } else {
                a.keep_firing_since_ms = None;
            }
            num_active += 1;
            if a.state == AlertState::Pending && ts_ms - a.active_at_ms >= hold_ms {
                a.state = AlertState::Firing;
                a.fired_at_ms = Some(ts_ms);
            }
            if restored {
                out.push(self.alerts_sample(a, ts_ms));
                out.push(self.for_state_sample(a, ts_ms, a.active_at_ms.div_euclid(1000) as f64));
            }
        }
        for key in remove {
            active.remove(&key);
        }
        if limit > 0 && num_active as i64 > limit {
            active.clear();
            return Err(RuleEvalError::AlertLimit { limit, count: num_active });
        }
        Ok(out)
    }

    /// The labels of an alert's series: the rule's raw labels overlaid with the alert's.
    fn series_labels(&self, alert: &Alert, metric: &str) -> Labels {
        let mut l = Labels::from_pairs(self.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        for label in alert.labels.iter() {
            l.set(&label.name, &label.value);
        }
        l.set(METRIC_NAME_LABEL, metric);
        l.set(ALERT_NAME_LABEL, &self.name);
        l
    }

    fn alerts_sample(&self, alert: &Alert, ts_ms: i64) -> InstantSample {
        let mut l = self.series_labels(alert, ALERTS_METRIC);
        l.set(ALERT_STATE_LABEL, alert.state.as_str());
        InstantSample { metric: Arc::new(l), t: ts_ms, v: 1.0 }
    }

    /// The `ALERTS_FOR_STATE` sample of `alert`, whose labels [`restore`](super::restore)
    /// looks up.
    pub(crate) fn for_state_sample(&self, alert: &Alert, ts_ms: i64, v: f64) -> InstantSample {
        InstantSample { metric: Arc::new(self.series_labels(alert, ALERTS_FOR_STATE_METRIC)), t: ts_ms, v }
    }

    /// Hands the alerts that are due to `sink` (Prometheus' `sendAlerts`): firing alerts every
    /// `resend_delay`, resolved ones at once; a firing alert is valid for 4 × max(resend delay,
    /// interval).
    pub fn send_alerts(
        &self,
        ts_ms: i64,
        resend_delay: Duration,
        interval: Duration,
        sink: &dyn AlertSink,
        external_url: &str,
    ) {
        let resend_ms = resend_delay.as_millis() as i64;
        let delta = resend_ms.max(interval.as_millis() as i64);
        let url = super::generator_url(external_url, &self.query);
        let mut out = Vec::new();
        for a in lock(&self.active).values_mut() {
            if !a.needs_sending(ts_ms, resend_ms) {
                continue;
            }
            a.last_sent_at_ms = Some(ts_ms);
            let valid_until = ts_ms + 4 * delta;
            a.valid_until_ms = Some(valid_until);
            out.push(OutgoingAlert {
                labels: a.labels.clone(),
                annotations: a.annotations.clone(),
                starts_at_ms: a.fired_at_ms.unwrap_or(a.active_at_ms),
                ends_at_ms: a.resolved_at_ms.unwrap_or(valid_until),
                generator_url: url.clone(),
            });
        }
        if !out.is_empty() {
            sink.send(out);
        }
    }

    /// Identity for reloads: the rule as its file states it.
    pub(crate) fn fingerprint(&self) -> String {
        format!(
            "alert:{}\nexpr:{}\nfor:{:?}\nkeep_firing_for:{:?}\nlabels:{:?}\nannotations:{:?}",
            self.name, self.query, self.hold, self.keep_firing_for, self.labels, self.annotations
        )
    }
}
