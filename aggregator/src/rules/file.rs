//! Rule files (Prometheus' `model/rulefmt`): strict YAML decoding (unknown fields and repeated
//! keys are errors), then the semantic checks of `rulefmt.Parse`: group names present and unique,
//! exactly one of `record`/`alert`, a valid PromQL `expr`, recording-rule restrictions, label and
//! annotation names, and template syntax (through a [`TemplateExpander`]).
//!
//! Unlike Prometheus, errors carry no line:column positions (the YAML decoder used here does not
//! expose node positions after decoding).

use super::TemplateExpander;
use pharos_protocol::duration::parse_duration;
use pharos_protocol::model::{is_valid_label_name, is_valid_metric_name, METRIC_NAME_LABEL};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Something wrong with a rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleFileError {
    /// The file could not be read.
    #[error("{0}")]
    Read(String),
    /// The YAML does not decode into the rule file structure (syntax, unknown field, bad type,
    /// bad duration).
    #[error("{0}")]
    Yaml(String),
    /// A group-level problem (empty or repeated name).
    #[error("{0}")]
    Group(String),
    /// A problem with one rule.
    #[error("group {group:?}, rule {index}, {name:?}: {message}")]
    Rule {
        /// The group's name.
        group: String,
        /// 1-based position of the rule in its group.
        index: usize,
        /// The rule's `alert` or `record` name.
        name: String,
        /// What is wrong.
        message: String,
    },
}

/// A validated rule file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleFile {
    /// The groups, in file order.
    pub groups: Vec<GroupSpec>,
}

impl RuleFile {
    /// The number of rules in all groups.
    pub fn rule_count(&self) -> usize {
        self.groups.iter().map(|g| g.rules.len()).sum()
    }
}

/// One validated group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpec {
    /// The group's name, unique in its file.
    pub name: String,
    /// The evaluation interval; `None` means the global default.
    pub interval: Option<Duration>,
    /// Most alerts or series a rule may produce; 0 (or negative) means no limit.
    pub limit: i64,
    /// The rules in evaluation order.
    pub rules: Vec<RuleSpec>,
}

/// One validated rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    /// Recording or alerting, with the kind's own fields.
    pub kind: RuleKind,
    /// The PromQL expression as written.
    pub expr: String,
    /// Labels added to the output (templates for alerting rules).
    pub labels: BTreeMap<String, String>,
    /// Annotations (alerting rules only).
    pub annotations: BTreeMap<String, String>,
}

impl RuleSpec {
    /// The rule's `record` or `alert` name.
    pub fn name(&self) -> &str {
        match &self.kind {
            RuleKind::Recording { name } | RuleKind::Alerting { name, .. } => name,
        }
    }
}

/// What a rule produces.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// A recording rule: its output is stored as metric `name`.
    Recording {
        /// The metric name to record.
        name: String,
    },
    /// An alerting rule.
    Alerting {
        /// The alert's name (`alertname`).
        name: String,
        /// How long an alert stays pending before firing (`for`).
        hold: Duration,
        /// How long an alert keeps firing after its condition stopped (`keep_firing_for`).
        keep_firing_for: Duration,
    },
}

/// Reads, decodes and validates a rule file, checking templates with `templates` if given; the
/// errors are not prefixed with the path.
pub fn parse_file(
    path: &std::path::Path,
    templates: Option<&dyn TemplateExpander>,
) -> Result<RuleFile, Vec<RuleFileError>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![RuleFileError::Read(e.to_string())])?;
    parse(&text, templates)
}

/// Decodes and validates rule-file text. All semantic errors are reported, not only the first.
pub fn parse(text: &str, templates: Option<&dyn TemplateExpander>) -> Result<RuleFile, Vec<RuleFileError>> {
    let raw = decode(text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut groups = Vec::new();
    for g in raw.groups.unwrap_or_default() {
        let name = g.name.map(|s| s.0).unwrap_or_default();
        if name.is_empty() {
            errors.push(RuleFileError::Group("Groupname must not be empty".into()));
        }
        if !seen.insert(name.clone()) {
            errors.push(RuleFileError::Group(format!("groupname: {name:?} is repeated in the same file")));
        }
        let mut rules = Vec::new();
        for (i, r) in g.rules.unwrap_or_default().into_iter().enumerate() {
            match validate_rule(r, templates) {
                Ok(spec) => rules.push(spec),
                Err((rule_name, messages)) => errors.extend(messages.into_iter().map(|message| RuleFileError::Rule {
                    group: name.clone(),
                    index: i + 1,
                    name: rule_name.clone(),
                    message,
                })),
            }
        }
        groups.push(GroupSpec { name, interval: g.interval.flatten(), limit: g.limit.unwrap_or(0), rules });
    }
    if errors.is_empty() {
        Ok(RuleFile { groups })
    } else {
        Err(errors)
    }
}

/// Decodes the YAML; an empty document is a file without groups, as in Prometheus.
fn decode(text: &str) -> Result<RawFile, RuleFileError> {
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(yaml_error)?;
    if value.is_null() {
        return Ok(RawFile { groups: None });
    }
    yaml_serde::from_str(text).map_err(yaml_error)
}

fn yaml_error(e: yaml_serde::Error) -> RuleFileError {
    // Durations are validated inside the decoder; report them as Prometheus does, unprefixed.
    let msg = e.to_string();
    if let Some(i) = msg.find("not a valid duration string") {
        return RuleFileError::Yaml(msg[i..].split(" at line ").next().unwrap_or(&msg[i..]).to_string());
    }
    RuleFileError::Yaml(format!("yaml: {msg}"))
}

/// Checks one rule like `RuleNode.Validate`; on failure returns its name and every problem.
fn validate_rule(r: RawRule, templates: Option<&dyn TemplateExpander>) -> Result<RuleSpec, (String, Vec<String>)> {
    let record = r.record.map(|s| s.0).unwrap_or_default();
    let alert = r.alert.map(|s| s.0).unwrap_or_default();
    let expr = r.expr.map(|s| s.0).unwrap_or_default();
    let hold = r.r#for.flatten().unwrap_or_default();
    let keep_firing_for = r.keep_firing_for.flatten().unwrap_or_default();
    let labels: BTreeMap<String, String> = r.labels.unwrap_or_default().into_iter().map(|(k, v)| (k, v.0)).collect();
    let annotations: BTreeMap<String, String> =
        r.annotations.unwrap_or_default().into_iter().map(|(k, v)| (k, v.0)).collect();
    let mut errs = Vec::new();

    if !record.is_empty() && !alert.is_empty() {
        errs.push("only one of 'record' and 'alert' must be set".to_string());
    }
    if record.is_empty() && alert.is_empty() {
        errs.push("one of 'record' or 'alert' must be set".to_string());
    }
    if expr.is_empty() {
        errs.push("field 'expr' must be set in rule".to_string());
    } else if let Err(e) = crate::promql::parse(&expr) {
        errs.push(format!("could not parse expression: {e}"));
    }
    if !record.is_empty() {
        if !annotations.is_empty() {
            errs.push("invalid field 'annotations' in recording rule".to_string());
        }
        if !hold.is_zero() {
            errs.push("invalid field 'for' in recording rule".to_string());
        }
        if !keep_firing_for.is_zero() {
            errs.push("invalid field 'keep_firing_for' in recording rule".to_string());
        }
        if !is_valid_metric_name(&record) {
            errs.push(format!("invalid recording rule name: {record}"));
        }
    }
    for k in labels.keys() {
        if !is_valid_label_name(k) || k == METRIC_NAME_LABEL {
            errs.push(format!("invalid label name: {k}"));
        }
    }
    for k in annotations.keys() {
        if !is_valid_label_name(k) {
            errs.push(format!("invalid annotation name: {k}"));
        }
    }
    // Templates are only expanded for alerting rules, so only theirs are checked.
    if let (false, Some(expander)) = (alert.is_empty(), templates) {
        let tmpl_name = format!("__alert_{alert}");
        for (k, v) in &labels {
            if let Err(e) = expander.check(&tmpl_name, v) {
                errs.push(format!("label {k:?}: {e}"));
            }
        }
        for (k, v) in &annotations {
            if let Err(e) = expander.check(&tmpl_name, v) {
                errs.push(format!("annotation {k:?}: {e}"));
            }
        }
    }

    let name = if alert.is_empty() { record.clone() } else { alert.clone() };
    if !errs.is_empty() {
        return Err((name, errs));
    }
    let kind = if alert.is_empty() {
        RuleKind::Recording { name: record }
    } else {
        RuleKind::Alerting { name: alert, hold, keep_firing_for }
    };
    Ok(RuleSpec { kind, expr, labels, annotations })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    groups: Option<Vec<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    #[serde(default)]
    name: Option<Scalar>,
    #[serde(default, deserialize_with = "duration")]
    interval: Option<Option<Duration>>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    rules: Option<Vec<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    record: Option<Scalar>,
    #[serde(default)]
    alert: Option<Scalar>,
    #[serde(default)]
    expr: Option<Scalar>,
    #[serde(default, deserialize_with = "duration")]
    r#for: Option<Option<Duration>>,
    #[serde(default, deserialize_with = "duration")]
    keep_firing_for: Option<Option<Duration>>,
    #[serde(default)]
    labels: Option<BTreeMap<String, Scalar>>,
    #[serde(default)]
    annotations: Option<BTreeMap<String, Scalar>>,
}

/// A YAML scalar read as a string, whatever its YAML type (`severity: 1` is `"1"`), as Go's
/// yaml.v3 does for string fields; `null` is the empty string.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

/// A Prometheus duration (`5m`, `1h30m`, `0`); `null` is no duration.
fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Duration>>, D::Error> {
    let s = d.deserialize_any(ScalarVisitor)?;
    if s.is_empty() {
        return Ok(Some(None));
    }
    parse_duration(&s).map(|v| Some(Some(v))).map_err(|e| de::Error::custom(e.to_string()))
}
