//! Test-only helpers: a toy template expander, a sink that records what it gets, a fixed clock,
//! and shortcuts to write and read series.

use crate::rules::file::parse;
use crate::rules::group::{Group, RuleEnv};
use crate::rules::{AlertSink, ExpandContext, OutgoingAlert, TemplateExpander};
use crate::storage::memory::MemoryStorage;
use crate::storage::{Matcher, Storage};
use pharos_protocol::{Labels, Sample, Series};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The wall-clock time the fixed test clock reports.
pub const WALL_MS: i64 = 1_700_000_000_123;

/// A TEST-ONLY stand-in for the Go template engine: replaces `{{ $labels.NAME }}`,
/// `{{ $externalLabels.NAME }}`, `{{ $externalURL }}` and `{{ $value }}` by hand; `{{ fail }}`
/// fails expansion; an unclosed `{{` fails the check, as Go's parser does.
pub struct TestOnlyExpander;

impl TemplateExpander for TestOnlyExpander {
    fn expand(&self, _name: &str, text: &str, ctx: &ExpandContext<'_>) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").ok_or("unclosed action")? + start;
            let action = rest[start + 2..end].trim();
            let value = if action == "$value" {
                ctx.value.to_string()
            } else if action == "$externalURL" {
                ctx.external_url.to_string()
            } else if let Some(name) = action.strip_prefix("$labels.") {
                ctx.labels.get(name).unwrap_or("").to_string()
            } else if let Some(name) = action.strip_prefix("$externalLabels.") {
                ctx.external_labels.get(name).unwrap_or("").to_string()
            } else {
                return Err(format!("cannot expand {action:?}"));
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn check(&self, name: &str, text: &str) -> Result<(), String> {
        let opens = text.matches("{{").count();
        let closes = text.matches("}}").count();
        if opens > closes {
            return Err(format!("template: {name}:1: unclosed action"));
        }
        Ok(())
    }
}

/// Records every batch of alerts it is given.
#[derive(Default)]
pub struct RecordingSink(pub Mutex<Vec<Vec<OutgoingAlert>>>);

impl RecordingSink {
    /// Takes the batches received so far.
    pub fn take(&self) -> Vec<Vec<OutgoingAlert>> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

impl AlertSink for RecordingSink {
    fn send(&self, alerts: Vec<OutgoingAlert>) {
        self.0.lock().unwrap().push(alerts);
    }
}

/// A storage, a sink and an environment with the test expander and a fixed clock.
pub struct Fixture {
    pub storage: Arc<MemoryStorage>,
    pub sink: Arc<RecordingSink>,
    pub env: Arc<RuleEnv>,
}

impl Fixture {
    /// A fresh fixture with external URL `http://pharos:9090` and label `cluster="eu"`.
    pub fn new() -> Self {
        let storage = Arc::new(MemoryStorage::new());
        let sink = Arc::new(RecordingSink::default());
        let mut env = RuleEnv::new(storage.clone());
        env.sink = sink.clone();
        env.expander = Arc::new(TestOnlyExpander);
        env.external_url = "http://pharos:9090".into();
        env.external_labels = Labels::from_pairs([("cluster", "eu")]);
        env.clock = Arc::new(|| WALL_MS);
        Fixture { storage, sink, env: Arc::new(env) }
    }

    /// The first group of `yaml` (must be valid), with `ALERTS` written from the start.
    pub fn group(&self, yaml: &str) -> Group {
        self.group_restored(yaml, true)
    }

    /// The first group of `yaml`, restored or not.
    pub fn group_restored(&self, yaml: &str, restored: bool) -> Group {
        let file = parse(yaml, Some(&TestOnlyExpander)).unwrap();
        Group::new(&file.groups[0], "test.yml", Duration::from_secs(60), self.env.clone(), restored).unwrap()
    }

    /// Writes one sample of the series `labels` (pairs; `__name__` included).
    pub fn push(&self, labels: &[(&str, &str)], t: i64, v: f64) {
        let series = Series {
            labels: Labels::from_pairs(labels.iter().copied()),
            samples: vec![Sample { timestamp_ms: t, value: v }],
        };
        self.storage.append(&[series], None).unwrap();
    }

    /// All samples of series named `name`, with their labels.
    pub fn series(&self, name: &str) -> Vec<Series> {
        self.storage.select(&[Matcher::equal("__name__", name)], i64::MIN / 2, i64::MAX / 2).unwrap()
    }

    /// The samples of the one series with exactly `labels`.
    pub fn samples(&self, labels: &[(&str, &str)]) -> Vec<Sample> {
        let want = Labels::from_pairs(labels.iter().copied());
        let name = want.metric_name().unwrap().to_string();
        self.series(&name).into_iter().find(|s| s.labels == want).map(|s| s.samples).unwrap_or_default()
    }
}

/// Milliseconds of `m` minutes.
pub fn min(m: i64) -> i64 {
    m * 60_000
}
