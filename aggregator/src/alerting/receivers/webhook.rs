//! The webhook integration: POSTs Alertmanager's webhook payload (version "4") as JSON.

use pharos_template::alertmanager::Data;
use serde::Serialize;
use std::collections::BTreeMap;

use super::http::{check_status, go_json, HttpClient};
use super::templates::template_data;
use super::ReceiverError;
use crate::alerting::config::receivers::WebhookConfig;
use crate::alerting::types::{Alert, Integration, NotifyContext, NotifyError, NotifyFuture};

/// Go's `time.RFC3339Nano`, the JSON form of a `time.Time`.
const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// A configured webhook.
pub struct Webhook {
    url: String,
    max_alerts: u64,
    send_resolved: bool,
    client: HttpClient,
}

/// The JSON body, field for field and in the order of Alertmanager's `webhook.Message`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The receiver's name, regexp-quoted (as Alertmanager's template data has it).
    pub receiver: String,
    /// `firing` if any alert fires, else `resolved`.
    pub status: String,
    /// The alerts sent (at most `max_alerts`).
    pub alerts: Vec<MessageAlert>,
    /// The group's labels.
    pub group_labels: BTreeMap<String, String>,
    /// Labels all alerts share.
    pub common_labels: BTreeMap<String, String>,
    /// Annotations all alerts share.
    pub common_annotations: BTreeMap<String, String>,
    /// Alertmanager's external URL.
    #[serde(rename = "externalURL")]
    pub external_url: String,
    /// The protocol version, "4".
    pub version: String,
    /// The aggregation group's key.
    pub group_key: String,
    /// How many alerts `max_alerts` left out.
    pub truncated_alerts: u64,
}

/// One alert of [`Message`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageAlert {
    /// `firing` or `resolved`.
    pub status: String,
    /// The alert's labels.
    pub labels: BTreeMap<String, String>,
    /// The alert's annotations.
    pub annotations: BTreeMap<String, String>,
    /// Start, RFC 3339 with nanoseconds.
    pub starts_at: String,
    /// End; Go's zero time `0001-01-01T00:00:00Z` while the alert fires.
    pub ends_at: String,
    /// Link to the alert's source.
    #[serde(rename = "generatorURL")]
    pub generator_url: String,
    /// Fingerprint of the labels, 16 hex digits.
    pub fingerprint: String,
}

impl Message {
    /// The message for `data` (already built from the alerts left after truncation).
    pub fn new(data: &Data, group_key: &str, truncated_alerts: u64) -> Message {
        Message {
            receiver: data.receiver.clone(),
            status: data.status.clone(),
            alerts: data
                .alerts
                .0
                .iter()
                .map(|a| MessageAlert {
                    status: a.status.clone(),
                    labels: a.labels.0.clone(),
                    annotations: a.annotations.0.clone(),
                    starts_at: a.starts_at.format(RFC3339_NANO),
                    ends_at: a.ends_at.format(RFC3339_NANO),
                    generator_url: a.generator_url.clone(),
                    fingerprint: a.fingerprint.clone(),
                })
                .collect(),
            group_labels: data.group_labels.0.clone(),
            common_labels: data.common_labels.0.clone(),
            common_annotations: data.common_annotations.0.clone(),
            external_url: data.external_url.clone(),
            version: "4".into(),
            group_key: group_key.to_string(),
            truncated_alerts,
        }
    }
}

impl Webhook {
    /// A webhook integration for `conf`.
    pub fn new(conf: &WebhookConfig) -> Result<Webhook, ReceiverError> {
        let url = conf.url.as_ref().ok_or_else(|| ReceiverError::Config("missing URL in webhook config".into()))?;
        let client = HttpClient::new(&conf.http_config.clone().unwrap_or_default())?;
        Ok(Webhook {
            url: url.as_str().to_string(),
            max_alerts: conf.max_alerts,
            send_resolved: conf.send_resolved,
            client,
        })
    }

    /// The JSON body for a notification of `alerts`.
    pub fn body(&self, ctx: &NotifyContext, alerts: &[Alert]) -> Result<Vec<u8>, NotifyError> {
        let (kept, truncated) = match usize::try_from(self.max_alerts) {
            Ok(max) if max > 0 && alerts.len() > max => (&alerts[..max], (alerts.len() - max) as u64),
            _ => (alerts, 0),
        };
        let data = template_data(ctx, kept);
        go_json(&Message::new(&data, &ctx.group_key, truncated))
    }
}

impl Integration for Webhook {
    fn kind(&self) -> &'static str {
        "webhook"
    }

    fn send_resolved(&self) -> bool {
        self.send_resolved
    }

    fn notify<'a>(&'a self, ctx: &'a NotifyContext, alerts: &'a [Alert]) -> NotifyFuture<'a> {
        Box::pin(async move {
            let body = self.body(ctx, alerts)?;
            let resp = self.client.post_json(&self.url, body).await?;
            // Alertmanager adds the URL and the body to the error.
            check_status(resp.status, &[], &format!("{}: {}", self.url, resp.body))
        })
    }
}
