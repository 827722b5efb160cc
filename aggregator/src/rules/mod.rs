//! Prometheus rule files: recording and alerting rules, evaluated on a schedule.
//!
//! Laid out like Prometheus 2.42's `model/rulefmt` and `rules` packages:
//! - [`file`] — parsing and validating rule files (strict YAML, as `rulefmt.Parse`).
//! - [`check`] — `promtool check rules`: the same verdicts, output and exit codes.
//! - [`recording`], [`alerting`] — one rule's evaluation; the alert state machine.
//! - [`group`] — one group's evaluation: rules in order, appends, staleness markers, alert sending.
//! - [`restore`] — restoring alerts' `for` state from `ALERTS_FOR_STATE` after a restart.
//! - [`manager`] — loads files, runs each group on its interval, reloads keeping state.
//! - [`api`] — the JSON of `/api/v1/rules` and `/api/v1/alerts`.
//! - [`expand`] — the Go text/template expander with Prometheus' alert-template semantics.
//! - [`service`] — what the server runs: the manager over the configured files, reloads.
//!
//! Templates of labels and annotations are expanded through [`TemplateExpander`]; the real one
//! is [`PrometheusExpander`] (the test suites plug in simpler ones).

pub mod alerting;
pub mod api;
pub mod check;
pub mod expand;
pub mod file;
pub mod group;
pub mod manager;
pub mod recording;
pub mod restore;
pub mod service;

#[cfg(test)]
mod tests;

use pharos_protocol::Labels;
use std::collections::BTreeMap;

pub use alerting::{Alert, AlertState, AlertingRule};
pub use expand::PrometheusExpander;
pub use group::{Group, Rule, RuleEnv};
pub use manager::{Manager, ManagerOptions};
pub use recording::RecordingRule;
pub use service::{RuleService, RuleServiceOptions};

/// What a template sees when it is expanded for one alert (Prometheus' `AlertTemplateData` plus
/// the evaluation time). The expander is expected to define `$labels`, `$externalLabels`,
/// `$externalURL` and `$value` before the text, as Prometheus does.
#[derive(Debug, Clone, Copy)]
pub struct ExpandContext<'a> {
    /// The labels of the series that triggered the alert (`.Labels`).
    pub labels: &'a Labels,
    /// The server's external labels (`.ExternalLabels`).
    pub external_labels: &'a Labels,
    /// The server's external URL (`.ExternalURL`).
    pub external_url: &'a str,
    /// The value of the series (`.Value`).
    pub value: f64,
    /// The evaluation time in milliseconds since the Unix epoch (for template queries).
    pub eval_time_ms: i64,
}

/// Expands label and annotation templates (Go text/template with Prometheus' functions).
pub trait TemplateExpander: Send + Sync {
    /// Expands `text`, a template named `name` (`__alert_<alertname>`), with `ctx`.
    fn expand(&self, name: &str, text: &str, ctx: &ExpandContext<'_>) -> Result<String, String>;
    /// Checks that `text` parses as a template (unknown functions are parse errors).
    fn check(&self, name: &str, text: &str) -> Result<(), String>;
}

/// A template expander that returns every text unchanged and accepts everything: for setups
/// without a template engine (the text is still shown, only not expanded).
#[derive(Debug, Default, Clone, Copy)]
pub struct VerbatimExpander;

impl TemplateExpander for VerbatimExpander {
    fn expand(&self, _name: &str, text: &str, _ctx: &ExpandContext<'_>) -> Result<String, String> {
        Ok(text.to_string())
    }

    fn check(&self, _name: &str, _text: &str) -> Result<(), String> {
        Ok(())
    }
}

/// An alert handed to the notifier (Prometheus' `notifier.Alert`).
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingAlert {
    /// Identifying labels, including `alertname`.
    pub labels: Labels,
    /// Expanded annotations.
    pub annotations: BTreeMap<String, String>,
    /// When the alert started firing, in milliseconds since the Unix epoch.
    pub starts_at_ms: i64,
    /// When the alert resolved, or until when it is valid if still firing (ms since the epoch).
    pub ends_at_ms: i64,
    /// Link to the expression in the UI: `<external URL>/graph?g0.expr=...&g0.tab=1`.
    pub generator_url: String,
}

/// Receives the alerts to notify after each evaluation of an alerting rule.
pub trait AlertSink: Send + Sync {
    /// Takes alerts to deliver; called only with a non-empty list.
    fn send(&self, alerts: Vec<OutgoingAlert>);
}

/// A sink that drops every alert (no Alertmanager configured).
#[derive(Debug, Default, Clone, Copy)]
pub struct NullSink;

impl AlertSink for NullSink {
    fn send(&self, _alerts: Vec<OutgoingAlert>) {}
}

/// A sink that only logs each alert at debug level: the default until an Alertmanager (or the
/// built-in notifier) is wired in.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogSink;

impl AlertSink for LogSink {
    fn send(&self, alerts: Vec<OutgoingAlert>) {
        for a in &alerts {
            tracing::debug!(
                labels = %a.labels,
                starts_at_ms = a.starts_at_ms,
                ends_at_ms = a.ends_at_ms,
                generator_url = %a.generator_url,
                "alert to notify (no notifier configured)"
            );
        }
    }
}

/// The health of a rule after its last evaluation, as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleHealth {
    /// Not evaluated yet.
    #[default]
    Unknown,
    /// The last evaluation succeeded.
    Good,
    /// The last evaluation failed.
    Bad,
}

impl RuleHealth {
    /// The API's string: `unknown`, `ok` or `err`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleHealth::Unknown => "unknown",
            RuleHealth::Good => "ok",
            RuleHealth::Bad => "err",
        }
    }
}

/// The evaluation status of one rule (health, last error, timing), shared with the API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleStatus {
    /// Health after the last evaluation.
    pub health: RuleHealth,
    /// The last evaluation's error, if it failed.
    pub last_error: Option<String>,
    /// How long the last evaluation took.
    pub evaluation_time: std::time::Duration,
    /// Wall-clock start of the last evaluation, in milliseconds since the epoch.
    pub last_evaluation_ms: Option<i64>,
}

/// Escapes like Go's `url.QueryEscape` (space as `+`, only `A-Za-z0-9-_.~` kept).
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Prometheus' generator URL of an alert: the table view of its expression.
pub(crate) fn generator_url(external_url: &str, expr: &str) -> String {
    format!("{external_url}/graph?g0.expr={}&g0.tab=1", query_escape(expr))
}
