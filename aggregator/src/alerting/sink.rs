//! Hands the alerts of the aggregator's own rules to its Alertmanager, in-process: the path a
//! Prometheus server takes over HTTP (`POST /api/v2/alerts`), without the HTTP.

use super::manager::Handle;
use super::types::Alert;
use crate::rules::{AlertSink, OutgoingAlert};
use tracing::warn;

/// The rules' [`AlertSink`] that feeds a running Alertmanager.
#[derive(Clone)]
pub struct AlertmanagerSink(pub Handle);

/// The alert Alertmanager receives for one the rules send, as Prometheus' notifier converts it.
pub fn to_alert(a: OutgoingAlert) -> Alert {
    Alert {
        labels: a.labels,
        annotations: a.annotations,
        starts_at_ms: a.starts_at_ms,
        ends_at_ms: a.ends_at_ms,
        generator_url: a.generator_url,
        // Set by the Alertmanager when it stores the alert.
        updated_at_ms: 0,
        // The rules always give an end (firing alerts: valid until a few evaluations ahead).
        timeout: false,
    }
}

impl AlertSink for AlertmanagerSink {
    fn send(&self, alerts: Vec<OutgoingAlert>) {
        if alerts.is_empty() {
            return;
        }
        if let Err(e) = self.0.put_alerts(alerts.into_iter().map(to_alert).collect()) {
            warn!(error = %e, "the Alertmanager refused alerts of the rules");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::Labels;

    #[test]
    fn conversion_keeps_identity_times_and_text() {
        let out = OutgoingAlert {
            labels: Labels::from_pairs([("alertname", "ServiceDown"), ("instance", "h1")]),
            annotations: [("summary".to_string(), "down".to_string())].into(),
            starts_at_ms: 1_000,
            ends_at_ms: 241_000,
            generator_url: "http://x/graph?g0.expr=up".into(),
        };
        let a = to_alert(out.clone());
        assert_eq!(a.labels, out.labels);
        assert_eq!(a.annotations, out.annotations);
        assert_eq!((a.starts_at_ms, a.ends_at_ms), (1_000, 241_000));
        assert_eq!(a.generator_url, out.generator_url);
        assert!(!a.timeout);
        assert_eq!(a.name(), "ServiceDown");
    }
}
