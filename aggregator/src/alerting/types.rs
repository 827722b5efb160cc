//! The types the alerting pipeline passes between its parts: an alert as Alertmanager holds it,
//! the context of one notification, and the trait every receiver integration implements.

use pharos_protocol::Labels;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

/// An alert as Alertmanager holds it (its `types.Alert`): from the aggregator's own rules or
/// from `POST /api/v2/alerts`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The alert's identity.
    pub labels: Labels,
    /// Free-form text (summary, description, runbook…).
    pub annotations: BTreeMap<String, String>,
    /// When it started, milliseconds since the Unix epoch.
    pub starts_at_ms: i64,
    /// When it ends or ended, milliseconds since the Unix epoch. An alert received without an end
    /// gets `now + resolve_timeout` and `timeout = true`.
    pub ends_at_ms: i64,
    /// Link back to the rule or graph that produced it.
    pub generator_url: String,
    /// When Alertmanager last updated it, milliseconds since the Unix epoch.
    pub updated_at_ms: i64,
    /// Whether `ends_at_ms` was set by Alertmanager (resolve_timeout) rather than the sender.
    pub timeout: bool,
}

impl Alert {
    /// Alertmanager's fingerprint of the alert's labels.
    pub fn fingerprint(&self) -> u64 {
        fingerprint(&self.labels)
    }

    /// Whether the alert has ended at `now_ms` (`endsAt` in the past).
    pub fn resolved_at(&self, now_ms: i64) -> bool {
        self.ends_at_ms > 0 && self.ends_at_ms <= now_ms
    }

    /// The alert's name (`alertname` label), or "" when it has none.
    pub fn name(&self) -> &str {
        self.labels.get("alertname").unwrap_or("")
    }
}

/// Prometheus' and Alertmanager's fingerprint of a label set (`model.LabelSet.Fingerprint`):
/// FNV-1a 64 over each name and value in name order, each followed by the byte 0xFF.
pub fn fingerprint(labels: &Labels) -> u64 {
    const OFFSET: u64 = 14_695_981_039_346_656_037;
    const PRIME: u64 = 1_099_511_628_211;
    let mut h = OFFSET;
    let mut add = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    };
    for l in labels.iter() {
        add(l.name.as_bytes());
        add(&[0xFF]);
        add(l.value.as_bytes());
        add(&[0xFF]);
    }
    h
}

/// What a receiver integration knows about the notification it sends (Alertmanager keeps this
/// in the notify context: receiver name, group key, group labels…).
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyContext {
    /// The receiver's name in alertmanager.yml.
    pub receiver: String,
    /// The aggregation group's key (`Route::group_key`), as webhooks' `groupKey`.
    pub group_key: String,
    /// The labels the group was formed on.
    pub group_labels: Labels,
    /// Alertmanager's external URL (links in templates, webhook `externalURL`).
    pub external_url: String,
    /// Time of the notification, milliseconds since the Unix epoch.
    pub now_ms: i64,
}

/// Why a notification failed, and whether trying again may help (Alertmanager retries with
/// backoff until the group's next flush for retryable errors, e.g. HTTP 5xx or a refused
/// connection, and gives up at once on others, e.g. HTTP 4xx).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct NotifyError {
    /// Whether a retry may succeed.
    pub retryable: bool,
    /// What went wrong, for the log and the self-metrics.
    pub message: String,
}

impl NotifyError {
    /// A failure worth retrying.
    pub fn retry(message: impl Into<String>) -> Self {
        NotifyError { retryable: true, message: message.into() }
    }

    /// A failure no retry will fix.
    pub fn fatal(message: impl Into<String>) -> Self {
        NotifyError { retryable: false, message: message.into() }
    }
}

/// A future returned by [`Integration::notify`].
pub type NotifyFuture<'a> = Pin<Box<dyn Future<Output = Result<(), NotifyError>> + Send + 'a>>;

/// One configured integration of a receiver: one entry of its `email_configs`, `slack_configs`,
/// `pagerduty_configs` or `webhook_configs`.
pub trait Integration: Send + Sync {
    /// The integration's kind as Alertmanager names it: `email`, `slack`, `pagerduty`, `webhook`.
    fn kind(&self) -> &'static str;
    /// Whether resolved alerts are notified (`send_resolved`).
    fn send_resolved(&self) -> bool;
    /// Sends one notification for `alerts` (firing and resolved ones, already filtered by the
    /// pipeline: inhibited, silenced and, without `send_resolved`, resolved alerts are gone).
    fn notify<'a>(&'a self, ctx: &'a NotifyContext, alerts: &'a [Alert]) -> NotifyFuture<'a>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_alertmanagers() {
        // Values from prometheus/common's model package (signature_test.go).
        assert_eq!(fingerprint(&Labels::default()), 14_695_981_039_346_656_037);
        let garland = Labels::from_pairs([("name", "garland, briggs"), ("fear", "love is not enough")]);
        assert_eq!(fingerprint(&garland), 5_799_056_148_416_392_346);
        let l = Labels::from_pairs([("foo", "bar")]);
        assert_ne!(fingerprint(&l), fingerprint(&Labels::from_pairs([("foo", "baz")])));
        // A moved boundary between name and value changes the fingerprint.
        assert_ne!(fingerprint(&Labels::from_pairs([("ab", "c")])), fingerprint(&Labels::from_pairs([("a", "bc")])));
    }
}
