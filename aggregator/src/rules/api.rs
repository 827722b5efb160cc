//! The `data` of Prometheus 2.42's `/api/v1/rules` and `/api/v1/alerts` (web/api/v1/api.go):
//! serde types with the same field names, optional fields and value formats (durations as float
//! seconds, times as RFC 3339 with nanosecond precision trimmed, alert values as Go's
//! `strconv.FormatFloat(v, 'e', -1, 64)`). HTTP wiring is left to the API module.

use super::alerting::Alert;
use super::group::{Group, Rule};
use super::RuleStatus;
use pharos_protocol::Labels;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A float serialized as Go's `encoding/json` does for the values these endpoints carry:
/// whole numbers without a fraction (`60`, not `60.0`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoFloat(pub f64);

impl Serialize for GoFloat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9e15 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

/// `data` of `/api/v1/rules`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleDiscovery {
    /// Groups sorted by file, then name.
    pub groups: Vec<RuleGroupJson>,
}

/// One group.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RuleGroupJson {
    /// Group name.
    pub name: String,
    /// File it was loaded from.
    pub file: String,
    /// Rules in order (only those the type filter keeps).
    pub rules: Vec<RuleJson>,
    /// Interval in seconds.
    pub interval: GoFloat,
    /// The group's limit.
    pub limit: i64,
    /// Duration of the last evaluation, in seconds.
    pub evaluation_time: GoFloat,
    /// Start of the last evaluation (Go's zero time if never).
    pub last_evaluation: String,
}

/// A rule of either kind, in one array to keep the file order.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum RuleJson {
    /// An alerting rule.
    Alerting(AlertingRuleJson),
    /// A recording rule.
    Recording(RecordingRuleJson),
}

/// An alerting rule.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AlertingRuleJson {
    /// `inactive`, `pending` or `firing`: the highest state of its alerts.
    pub state: String,
    /// Alert name.
    pub name: String,
    /// The expression as Prometheus prints it.
    pub query: String,
    /// `for`, in seconds.
    pub duration: GoFloat,
    /// `keep_firing_for`, in seconds (always present in 2.42).
    pub keep_firing_for: GoFloat,
    /// The rule's labels.
    pub labels: BTreeMap<String, String>,
    /// The rule's annotations.
    pub annotations: BTreeMap<String, String>,
    /// Pending and firing alerts.
    pub alerts: Vec<AlertJson>,
    /// `ok`, `err` or `unknown`.
    pub health: String,
    /// The last evaluation's error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Duration of the last evaluation, in seconds.
    pub evaluation_time: GoFloat,
    /// Start of the last evaluation.
    pub last_evaluation: String,
    /// Always `alerting`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A recording rule.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RecordingRuleJson {
    /// Metric name recorded.
    pub name: String,
    /// The expression as Prometheus prints it.
    pub query: String,
    /// The rule's labels (left out when empty).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// `ok`, `err` or `unknown`.
    pub health: String,
    /// The last evaluation's error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Duration of the last evaluation, in seconds.
    pub evaluation_time: GoFloat,
    /// Start of the last evaluation.
    pub last_evaluation: String,
    /// Always `recording`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// One alert.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AlertJson {
    /// Identifying labels.
    pub labels: BTreeMap<String, String>,
    /// Expanded annotations.
    pub annotations: BTreeMap<String, String>,
    /// `pending` or `firing`.
    pub state: String,
    /// Since when the condition holds.
    pub active_at: String,
    /// Since when `keep_firing_for` keeps it firing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_firing_since: Option<String>,
    /// The expression's value, formatted like Go's `%e` with shortest digits (`1e+00`).
    pub value: String,
}

/// `data` of `/api/v1/alerts`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlertDiscovery {
    /// Pending and firing alerts of all rules.
    pub alerts: Vec<AlertJson>,
}

/// The `type` parameter of `/api/v1/rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleTypeFilter {
    /// No filter.
    #[default]
    All,
    /// `type=alert`.
    Alert,
    /// `type=record`.
    Record,
}

/// An invalid `type` parameter (HTTP API error type `bad_data`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid parameter \"type\": not supported value {0:?}")]
pub struct InvalidRuleType(pub String);

impl RuleTypeFilter {
    /// Parses the parameter (case-insensitive; empty or absent is no filter).
    pub fn parse(v: Option<&str>) -> Result<Self, InvalidRuleType> {
        match v.map(str::to_lowercase).as_deref() {
            None | Some("") => Ok(RuleTypeFilter::All),
            Some("alert") => Ok(RuleTypeFilter::Alert),
            Some("record") => Ok(RuleTypeFilter::Record),
            Some(other) => Err(InvalidRuleType(other.to_string())),
        }
    }
}

/// The `data` of `/api/v1/rules` for `groups` (as [`Manager::groups`](super::Manager::groups)
/// returns them).
pub fn rules_data(groups: &[Arc<Group>], filter: RuleTypeFilter) -> RuleDiscovery {
    let groups = groups
        .iter()
        .map(|g| RuleGroupJson {
            name: g.name().to_string(),
            file: g.file().to_string(),
            rules: g.rules().iter().filter_map(|r| rule_json(r, filter)).collect(),
            interval: GoFloat(g.interval().as_secs_f64()),
            limit: g.limit(),
            evaluation_time: GoFloat(g.evaluation_time().as_secs_f64()),
            last_evaluation: format_time(g.last_evaluation_ms()),
        })
        .collect();
    RuleDiscovery { groups }
}

fn rule_json(rule: &Rule, filter: RuleTypeFilter) -> Option<RuleJson> {
    match rule {
        Rule::Alerting(r) => {
            if filter == RuleTypeFilter::Record {
                return None;
            }
            let st = r.status();
            Some(RuleJson::Alerting(AlertingRuleJson {
                state: r.state().as_str().to_string(),
                name: r.name().to_string(),
                query: r.query().to_string(),
                duration: GoFloat(r.hold_duration().as_secs_f64()),
                keep_firing_for: GoFloat(r.keep_firing_for().as_secs_f64()),
                labels: r.labels().clone(),
                annotations: r.annotations().clone(),
                alerts: r.active_alerts().iter().map(alert_json).collect(),
                health: st.health.as_str().to_string(),
                last_error: st.last_error.clone(),
                evaluation_time: GoFloat(st.evaluation_time.as_secs_f64()),
                last_evaluation: last_evaluation(&st),
                kind: "alerting".into(),
            }))
        }
        Rule::Recording(r) => {
            if filter == RuleTypeFilter::Alert {
                return None;
            }
            let st = r.status();
            Some(RuleJson::Recording(RecordingRuleJson {
                name: r.name().to_string(),
                query: r.query().to_string(),
                labels: r.labels().clone(),
                health: st.health.as_str().to_string(),
                last_error: st.last_error.clone(),
                evaluation_time: GoFloat(st.evaluation_time.as_secs_f64()),
                last_evaluation: last_evaluation(&st),
                kind: "recording".into(),
            }))
        }
    }
}

/// The `data` of `/api/v1/alerts`: the pending and firing alerts of every alerting rule.
pub fn alerts_data(groups: &[Arc<Group>]) -> AlertDiscovery {
    let alerts = groups
        .iter()
        .flat_map(|g| g.rules().iter())
        .filter_map(|r| match r {
            Rule::Alerting(a) => Some(a.active_alerts()),
            Rule::Recording(_) => None,
        })
        .flatten()
        .map(|a| alert_json(&a))
        .collect();
    AlertDiscovery { alerts }
}

fn alert_json(a: &Alert) -> AlertJson {
    AlertJson {
        labels: label_map(&a.labels),
        annotations: a.annotations.clone(),
        state: a.state.as_str().to_string(),
        active_at: format_time(Some(a.active_at_ms)),
        keep_firing_since: a.keep_firing_since_ms.map(|t| format_time(Some(t))),
        value: format_value(a.value),
    }
}

fn last_evaluation(st: &RuleStatus) -> String {
    format_time(st.last_evaluation_ms)
}

fn label_map(l: &Labels) -> BTreeMap<String, String> {
    l.iter().map(|l| (l.name.clone(), l.value.clone())).collect()
}

/// A time as Go's `time.Time` marshals in UTC (RFC 3339, fraction trimmed of trailing zeros);
/// `None` is Go's zero time.
pub fn format_time(ms: Option<i64>) -> String {
    let Some(dt) = ms.and_then(chrono::DateTime::from_timestamp_millis) else {
        return "0001-01-01T00:00:00Z".into();
    };
    let mut s = dt.format("%Y-%m-%dT%H:%M:%S").to_string();
    let frac = ms.unwrap_or(0).rem_euclid(1000);
    if frac != 0 {
        let digits = format!("{frac:03}");
        s.push('.');
        s.push_str(digits.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Go's `strconv.FormatFloat(v, 'e', -1, 64)`: `1e+00`, `1.5e-07`, `NaN`, `+Inf`.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let s = format!("{v:e}");
    let Some((mantissa, exp)) = s.split_once('e') else { return s };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}
