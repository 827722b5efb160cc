//! Recording rules (Prometheus' `rules/recording.go`): the expression's output, renamed to the
//! rule's metric name and with the rule's labels, is stored at the evaluation time.

use super::RuleStatus;
use crate::promql::{Engine, InstantSample, PromqlError, Value, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why one evaluation of a rule failed; messages are Prometheus'.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleEvalError {
    /// The query failed.
    #[error("{0}")]
    Query(String),
    /// The expression returned a string or a range vector.
    #[error("rule result is not a vector or scalar")]
    NotVector,
    /// Two outputs of a recording rule share a label set.
    #[error("vector contains metrics with the same labelset after applying rule labels")]
    DuplicateRecorded,
    /// Two alerts of an alerting rule share a label set.
    #[error("vector contains metrics with the same labelset after applying alert labels")]
    DuplicateAlert,
    /// A recording rule produced more series than the group's limit.
    #[error("exceeded limit of {limit} with {count} series")]
    SeriesLimit {
        /// The group's limit.
        limit: i64,
        /// Series produced.
        count: usize,
    },
    /// An alerting rule has more pending or firing alerts than the group's limit.
    #[error("exceeded limit of {limit} with {count} alerts")]
    AlertLimit {
        /// The group's limit.
        limit: i64,
        /// Active alerts.
        count: usize,
    },
    /// Storing the output failed.
    #[error("{0}")]
    Append(String),
}

/// Runs `expr` at `ts_ms` and returns an instant vector; a scalar becomes one sample without
/// labels (Prometheus' `EngineQueryFunc`).
pub fn query_vector(engine: &Engine, expr: &str, ts_ms: i64) -> Result<Vector, RuleEvalError> {
    match engine.instant_query(expr, ts_ms) {
        Ok(Value::Vector(v)) => Ok(v),
        Ok(Value::Scalar { t, v }) => Ok(vec![InstantSample { metric: Arc::new(Labels::default()), t, v }]),
        Ok(_) => Err(RuleEvalError::NotVector),
        Err(e) => Err(RuleEvalError::Query(e.to_string())),
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it (the state is plain
/// data that stays consistent between statements).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A recording rule.
#[derive(Debug)]
pub struct RecordingRule {
    name: String,
    expr: String,
    query: String,
    labels: BTreeMap<String, String>,
    status: Mutex<RuleStatus>,
}

impl RecordingRule {
    /// A rule recording `expr` as metric `name` with extra `labels`.
    pub fn new(name: &str, expr: &str, labels: &BTreeMap<String, String>) -> Result<Self, PromqlError> {
        let query = crate::promql::parse(expr)?.to_string();
        Ok(RecordingRule {
            name: name.to_string(),
            expr: expr.to_string(),
            query,
            labels: labels.clone(),
            status: Mutex::default(),
        })
    }

    /// The metric name recorded.
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

    /// The labels added to every output series (an empty value removes the label).
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }

    /// Health, last error and timing of the last evaluation.
    pub fn status(&self) -> RuleStatus {
        lock(&self.status).clone()
    }

    pub(crate) fn set_status(&self, f: impl FnOnce(&mut RuleStatus)) {
        f(&mut lock(&self.status))
    }

    /// Evaluates at `ts_ms`: the output series with their new labels, or why there are none.
    pub fn eval(&self, engine: &Engine, ts_ms: i64, limit: i64) -> Result<Vector, RuleEvalError> {
        let mut vector = query_vector(engine, &self.expr, ts_ms)?;
        for s in &mut vector {
            let mut l = (*s.metric).clone();
            l.set(METRIC_NAME_LABEL, &self.name);
            for (k, v) in &self.labels {
                l.set(k, v);
            }
            s.metric = Arc::new(l);
            s.t = ts_ms;
        }
        let mut seen = std::collections::HashSet::with_capacity(vector.len());
        if !vector.iter().all(|s| seen.insert(s.metric.clone())) {
            return Err(RuleEvalError::DuplicateRecorded);
        }
        if limit > 0 && vector.len() as i64 > limit {
            return Err(RuleEvalError::SeriesLimit { limit, count: vector.len() });
        }
        Ok(vector)
    }

    /// Identity for reloads: the rule as its file states it.
    pub(crate) fn fingerprint(&self) -> String {
        format!("record:{}\nexpr:{}\nlabels:{:?}", self.name, self.query, self.labels)
    }
}
