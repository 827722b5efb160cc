//! One rule group (the `Group` of Prometheus' `rules/manager.go`): its rules evaluated in order at
//! one timestamp, each seeing what the earlier ones stored; outputs appended to storage, series
//! that disappeared ended with staleness markers; alerts handed to the sink.

use super::alerting::{AlertEvalEnv, AlertingRule};
use super::file::{GroupSpec, RuleKind};
use super::recording::{lock, RecordingRule, RuleEvalError};
use super::{AlertSink, NullSink, PrometheusExpander, RuleHealth, RuleStatus, TemplateExpander};
use crate::promql::{Engine, PromqlError, Vector};
use crate::storage::{Matcher, Storage};
use pharos_protocol::model::stale_nan;
use pharos_protocol::{Labels, Sample, Series};
use std::collections::HashSet;
use std::hash::Hasher;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A wall clock in milliseconds since the epoch (replaceable for tests).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// What evaluating rules needs: query engine, storage to append to, where alerts go, templates,
/// and the server's identity.
pub struct RuleEnv {
    /// Evaluates rule expressions.
    pub engine: Arc<Engine>,
    /// Receives recorded series, `ALERTS`, `ALERTS_FOR_STATE` and staleness markers.
    pub storage: Arc<dyn Storage>,
    /// Receives alerts to notify.
    pub sink: Arc<dyn AlertSink>,
    /// Expands and checks templates.
    pub expander: Arc<dyn TemplateExpander>,
    /// External labels (templates' `$externalLabels`).
    pub external_labels: Labels,
    /// External URL (templates' `$externalURL`, alerts' generator URL).
    pub external_url: String,
    /// How often a firing alert is re-sent (`--rules.alert.resend-delay`, default 1m).
    pub resend_delay: Duration,
    /// The wall clock for `lastEvaluation` times.
    pub clock: Clock,
}

impl RuleEnv {
    /// An environment over `storage` with an engine of default options, no sink, Prometheus'
    /// templates ([`PrometheusExpander`]), no external labels or URL, and a resend delay of 1m.
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        let engine = Arc::new(Engine::new(storage.clone(), crate::promql::EngineOptions::default()));
        Self::with_engine(engine, storage, "")
    }

    /// An environment evaluating with `engine` over `storage`, with Prometheus' templates whose
    /// `externalURL` is `external_url` (also the alerts' generator URL base), no sink, no external
    /// labels, and a resend delay of 1m.
    pub fn with_engine(engine: Arc<Engine>, storage: Arc<dyn Storage>, external_url: &str) -> Self {
        RuleEnv {
            expander: Arc::new(PrometheusExpander::new(engine.clone(), external_url)),
            engine,
            storage,
            sink: Arc::new(NullSink),
            external_labels: Labels::default(),
            external_url: external_url.to_string(),
            resend_delay: Duration::from_secs(60),
            clock: Arc::new(crate::now_ms),
        }
    }
}

/// A rule of a group.
#[derive(Debug)]
pub enum Rule {
    /// A recording rule.
    Recording(RecordingRule),
    /// An alerting rule.
    Alerting(AlertingRule),
}

impl Rule {
    /// The `record` or `alert` name.
    pub fn name(&self) -> &str {
        match self {
            Rule::Recording(r) => r.name(),
            Rule::Alerting(r) => r.name(),
        }
    }

    /// The rule's labels.
    pub fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        match self {
            Rule::Recording(r) => r.labels(),
            Rule::Alerting(r) => r.labels(),
        }
    }

    /// Health, last error and timing of the last evaluation.
    pub fn status(&self) -> RuleStatus {
        match self {
            Rule::Recording(r) => r.status(),
            Rule::Alerting(r) => r.status(),
        }
    }

    fn set_status(&self, f: impl FnOnce(&mut RuleStatus)) {
        match self {
            Rule::Recording(r) => r.set_status(f),
            Rule::Alerting(r) => r.set_status(f),
        }
    }

    fn fingerprint(&self) -> String {
        match self {
            Rule::Recording(r) => r.fingerprint(),
            Rule::Alerting(r) => r.fingerprint(),
        }
    }

    /// Key matching rules across reloads (Prometheus' `nameAndLabels`).
    fn name_and_labels(&self) -> String {
        let labels: Vec<String> = self.labels().iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        format!("{}{{{}}}", self.name(), labels.join(", "))
    }
}

/// State only the evaluation touches.
#[derive(Default)]
struct EvalState {
    /// Per rule, the series it stored at the previous evaluation.
    previous: Vec<HashSet<Labels>>,
    /// Series of rules removed by a reload, to end with staleness markers.
    stale: Vec<Labels>,
}

#[derive(Default, Clone, Copy)]
struct Timing {
    evaluation_time: Duration,
    last_evaluation_ms: Option<i64>,
}

/// A group of rules evaluated together on one interval.
pub struct Group {
    name: String,
    file: String,
    interval: Duration,
    limit: i64,
    rules: Vec<Rule>,
    env: Arc<RuleEnv>,
    state: Mutex<EvalState>,
    timing: Mutex<Timing>,
}

impl Group {
    /// Builds a group from its validated spec. `default_interval` applies when the group sets
    /// none; `restored` false holds back `ALERTS` until the `for` state is restored.
    pub fn new(
        spec: &GroupSpec,
        file: &str,
        default_interval: Duration,
        env: Arc<RuleEnv>,
        restored: bool,
    ) -> Result<Self, PromqlError> {
        let mut rules = Vec::with_capacity(spec.rules.len());
        for r in &spec.rules {
            rules.push(match &r.kind {
                RuleKind::Recording { name } => Rule::Recording(RecordingRule::new(name, &r.expr, &r.labels)?),
                RuleKind::Alerting { name, hold, keep_firing_for } => Rule::Alerting(AlertingRule::new(
                    name,
                    &r.expr,
                    *hold,
                    *keep_firing_for,
                    &r.labels,
                    &r.annotations,
                    restored,
                )?),
            });
        }
        let interval = spec.interval.filter(|d| !d.is_zero()).unwrap_or(default_interval);
        let state = EvalState { previous: vec![HashSet::new(); rules.len()], stale: Vec::new() };
        Ok(Group {
            name: spec.name.clone(),
            file: file.to_string(),
            interval,
            limit: spec.limit,
            rules,
            env,
            state: Mutex::new(state),
            timing: Mutex::default(),
        })
    }

    /// The group's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file it was loaded from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The evaluation interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The per-rule output limit (0 or less: none).
    pub fn limit(&self) -> i64 {
        self.limit
    }

    /// The rules, in evaluation order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The environment the group evaluates in.
    pub fn env(&self) -> &Arc<RuleEnv> {
        &self.env
    }

    /// How long the last evaluation took.
    pub fn evaluation_time(&self) -> Duration {
        lock(&self.timing).evaluation_time
    }

    /// Wall-clock start of the last evaluation (ms since the epoch), if any.
    pub fn last_evaluation_ms(&self) -> Option<i64> {
        lock(&self.timing).last_evaluation_ms
    }

    /// Whether `other` has the same name, file, interval, limit and rules (then a reload keeps
    /// this group running untouched).
    pub fn equals(&self, other: &Group) -> bool {
        self.name == other.name
            && self.file == other.file
            && self.interval == other.interval
            && self.limit == other.limit
            && self.rules.len() == other.rules.len()
            && self.rules.iter().zip(&other.rules).all(|(a, b)| a.fingerprint() == b.fingerprint())
    }

    /// Takes over the state of the group this one replaces (Prometheus' `CopyState`): timing;
    /// for rules matched by name and labels, the previous series and the alerts; the series of
    /// rules that are gone become staleness markers of the next evaluation.
    pub fn copy_state(&self, from: &Group) {
        *lock(&self.timing) = *lock(&from.timing);
        let from_state = lock(&from.state);
        let mut state = lock(&self.state);
        let mut by_key: std::collections::HashMap<String, std::collections::VecDeque<usize>> = Default::default();
        for (i, r) in from.rules.iter().enumerate() {
            by_key.entry(r.name_and_labels()).or_default().push_back(i);
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let Some(fi) = by_key.get_mut(&rule.name_and_labels()).and_then(|q| q.pop_front()) else {
                continue;
            };
            state.previous[i] = from_state.previous.get(fi).cloned().unwrap_or_default();
            if let (Rule::Alerting(to), Rule::Alerting(old)) = (rule, &from.rules[fi]) {
                let alerts = old.with_alerts(|a| a.clone());
                to.with_alerts(|a| a.extend(alerts));
            }
        }
        state.stale = from_state.stale.clone();
        for indexes in by_key.values() {
            for &fi in indexes {
                state.stale.extend(from_state.previous.get(fi).into_iter().flatten().cloned());
            }
        }
    }

    /// The first evaluation timestamp at or before `now_ms`, spreading groups over the interval
    /// by a hash of their name and file (as Prometheus' `EvalTimestamp`).
    pub fn eval_timestamp(&self, now_ms: i64) -> i64 {
        let interval = (self.interval.as_millis() as i64).max(1);
        let mut h = twox_hash::XxHash64::with_seed(0);
        h.write(self.name.as_bytes());
        h.write(&[0xff]);
        h.write(self.file.as_bytes());
        let offset = (h.finish() % interval as u64) as i64;
        let adj = now_ms - offset;
        adj - adj.rem_euclid(interval) + offset
    }

    /// Evaluates every rule at `ts_ms`, in order, and records the group's timing.
    pub fn eval(&self, ts_ms: i64) {
        let started_wall = (self.env.clock)();
        let started = Instant::now();
        let mut state = lock(&self.state);
        for (i, rule) in self.rules.iter().enumerate() {
            self.eval_rule(rule, i, ts_ms, &mut state);
        }
        self.append_stale(&mut state.stale, ts_ms);
        drop(state);
        *lock(&self.timing) = Timing { evaluation_time: started.elapsed(), last_evaluation_ms: Some(started_wall) };
    }

    fn eval_rule(&self, rule: &Rule, i: usize, ts_ms: i64, state: &mut EvalState) {
        let env = &self.env;
        let started_wall = (env.clock)();
        let started = Instant::now();
        let result = match rule {
            Rule::Recording(r) => r.eval(&env.engine, ts_ms, self.limit),
            Rule::Alerting(r) => {
                let aenv = AlertEvalEnv {
                    engine: &env.engine,
                    expander: env.expander.as_ref(),
                    external_labels: &env.external_labels,
                    external_url: &env.external_url,
                };
                r.eval(&aenv, ts_ms, self.limit)
            }
        };
        let result = result.and_then(|vector| {
            if let Rule::Alerting(r) = rule {
                r.send_alerts(ts_ms, env.resend_delay, self.interval, env.sink.as_ref(), &env.external_url);
            }
            self.append_output(&vector, &state.previous[i], ts_ms)
        });
        let error = match result {
            Ok(returned) => {
                state.previous[i] = returned;
                None
            }
            Err(e) => {
                tracing::warn!(group = %self.name, file = %self.file, rule = rule.name(), index = i, error = %e, "evaluating rule failed");
                Some(e.to_string())
            }
        };
        rule.set_status(|s| {
            s.health = if error.is_some() { RuleHealth::Bad } else { RuleHealth::Good };
            s.last_error = error;
            s.evaluation_time = started.elapsed();
            s.last_evaluation_ms = Some(started_wall);
        });
    }

    /// Stores a rule's output and staleness markers for its series that disappeared; returns the
    /// series stored.
    fn append_output(
        &self,
        vector: &Vector,
        previous: &HashSet<Labels>,
        ts_ms: i64,
    ) -> Result<HashSet<Labels>, RuleEvalError> {
        let mut batch: Vec<Series> = Vec::with_capacity(vector.len());
        let mut returned = HashSet::with_capacity(vector.len());
        for s in vector {
            batch.push(Series {
                labels: (*s.metric).clone(),
                samples: vec![Sample { timestamp_ms: ts_ms, value: s.v }],
            });
            returned.insert((*s.metric).clone());
        }
        for gone in previous.iter().filter(|l| !returned.contains(*l)) {
            batch.push(Series {
                labels: gone.clone(),
                samples: vec![Sample { timestamp_ms: ts_ms, value: stale_nan() }],
            });
        }
        if !batch.is_empty() {
            self.env.storage.append(&batch, None).map_err(|e| RuleEvalError::Append(e.to_string()))?;
        }
        Ok(returned)
    }

    /// Ends the series of removed rules; kept for the next evaluation if storing fails.
    fn append_stale(&self, stale: &mut Vec<Labels>, ts_ms: i64) {
        if stale.is_empty() {
            return;
        }
        let batch: Vec<Series> = stale
            .iter()
            .map(|l| Series { labels: l.clone(), samples: vec![Sample { timestamp_ms: ts_ms, value: stale_nan() }] })
            .collect();
        match self.env.storage.append(&batch, None) {
            Ok(_) => stale.clear(),
            Err(e) => tracing::warn!(group = %self.name, error = %e, "appending staleness markers failed"),
        }
    }

    /// After the group was removed by a reload: ends every series it stored last with a
    /// staleness marker at `ts_ms`, except series that got a newer sample meanwhile (from a
    /// group that took over), which Prometheus' storage would refuse as out of order.
    pub fn mark_all_stale(&self, ts_ms: i64) {
        let mut state = lock(&self.state);
        let mut all: Vec<Labels> = std::mem::take(&mut state.stale);
        for prev in state.previous.iter_mut() {
            all.extend(prev.drain());
        }
        let storage = &self.env.storage;
        all.retain(|l| {
            let matchers: Vec<Matcher> = l.iter().map(|x| Matcher::equal(x.name.clone(), x.value.clone())).collect();
            match storage.select(&matchers, ts_ms + 1, i64::MAX) {
                Ok(found) => !found.iter().any(|s| &s.labels == l),
                Err(_) => true,
            }
        });
        self.append_stale(&mut all, ts_ms);
    }
}
