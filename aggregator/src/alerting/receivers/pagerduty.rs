//! The PagerDuty integration: Events API v2 (`routing_key`) or the generic Events API v1
//! (`service_key`), as Alertmanager's `notify/pagerduty` sends them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::http::{check_status, go_json, wrap, HttpClient};
use super::templates::{template_data, truncate_in_runes, Renderer, Templates};
use super::ReceiverError;
use crate::alerting::config::receivers::PagerdutyConfig;
use crate::alerting::types::{Alert, Integration, NotifyContext, NotifyError, NotifyFuture};

/// The Events API v1 endpoint (fixed upstream; [`PagerDuty::with_v1_url`] changes it for tests).
pub const V1_URL: &str = "https://events.pagerduty.com/generic/2010-04-15/create_event.json";
/// PagerDuty's limit on an event, in bytes; above it the details are replaced by a note.
const MAX_EVENT_SIZE: usize = 512_000;
/// PagerDuty's limit on v1 descriptions and v2 summaries, in characters.
const MAX_SUMMARY_RUNES: usize = 1024;

/// A configured PagerDuty integration.
pub struct PagerDuty {
    conf: PagerdutyConfig,
    client: HttpClient,
    templates: Arc<Templates>,
    /// The v1 endpoint when the integration uses a service key, else None (v2).
    v1_url: Option<String>,
}

/// The event sent (both API versions share it, as upstream's `pagerDutyMessage`).
#[derive(Debug, Serialize)]
pub struct Message {
    /// v2 routing key.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub routing_key: String,
    /// v1 service key.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub service_key: String,
    /// v2 deduplication key: SHA-256 of the group key, hex.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dedup_key: String,
    /// v1 incident key: SHA-256 of the group key, hex.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub incident_key: String,
    /// v1 event type (`trigger` / `resolve`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event_type: String,
    /// v1 description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// v2 event action (`trigger` / `resolve`); empty (but present) in v1 events, as upstream.
    pub event_action: String,
    /// v2 payload; `null` in v1 events, as upstream.
    pub payload: Option<Payload>,
    /// Client name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client: String,
    /// Client URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub client_url: String,
    /// v1 details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<BTreeMap<String, String>>,
    /// v2 images.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
    /// v2 links.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// The v2 payload.
#[derive(Debug, Serialize)]
pub struct Payload {
    /// Summary (at most 1024 characters).
    pub summary: String,
    /// Source.
    pub source: String,
    /// Severity (`error` by default).
    pub severity: String,
    /// Class.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub class: String,
    /// Component.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub component: String,
    /// Group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Rendered `details`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_details: BTreeMap<String, String>,
}

/// A v2 link.
#[derive(Debug, Serialize)]
pub struct Link {
    /// Target.
    pub href: String,
    /// Text.
    pub text: String,
}

/// A v2 image.
#[derive(Debug, Serialize)]
pub struct Image {
    /// Image URL.
    pub src: String,
    /// Alt text.
    pub alt: String,
    /// Link target.
    pub href: String,
}

/// SHA-256 of `key` in lowercase hex: Alertmanager's `notify.Key.Hash`, used as PagerDuty's
/// deduplication key. The digest comes from rustls' ring provider (no other SHA-256 is linked).
pub fn key_hash(key: &str) -> Result<String, NotifyError> {
    let suite = rustls::crypto::ring::cipher_suite::TLS13_AES_128_GCM_SHA256
        .tls13()
        .ok_or_else(|| NotifyError::fatal("SHA-256 unavailable"))?;
    let digest = suite.common.hash_provider.hash(key.as_bytes());
    Ok(digest.as_ref().iter().map(|b| format!("{b:02x}")).collect())
}

impl PagerDuty {
    /// A PagerDuty integration for `conf` rendering with `templates`.
    pub fn new(conf: &PagerdutyConfig, templates: Arc<Templates>) -> Result<PagerDuty, ReceiverError> {
        let client = HttpClient::new(&conf.http_config.clone().unwrap_or_default())?;
        let v1 = !conf.service_key.is_empty() || !conf.service_key_file.is_empty();
        if !v1 && conf.url.is_none() {
            return Err(ReceiverError::Config("no PagerDuty URL set".into()));
        }
        Ok(PagerDuty { conf: conf.clone(), client, templates, v1_url: v1.then(|| V1_URL.to_string()) })
    }

    /// Sends v1 events to `url` instead of PagerDuty's (for tests); no effect on v2.
    pub fn with_v1_url(mut self, url: &str) -> PagerDuty {
        if self.v1_url.is_some() {
            self.v1_url = Some(url.to_string());
        }
        self
    }

    /// Renders the event for `alerts`: `trigger` while any alert fires, else `resolve`.
    pub fn message(&self, ctx: &NotifyContext, alerts: &[Alert]) -> Result<Message, NotifyError> {
        let c = &self.conf;
        let data = template_data(ctx, alerts);
        let mut r = Renderer::new(&self.templates, &data);
        let action = if data.status == "resolved" { "resolve" } else { "trigger" };
        let key = key_hash(&ctx.group_key)?;
        let mut details = BTreeMap::new();
        for (k, v) in &c.details {
            let d = r.try_text(v).map_err(|e| NotifyError::fatal(format!("{k:?}: failed to template {v:?}: {e}")))?;
            details.insert(k.clone(), d);
        }
        let (summary, truncated) = truncate_in_runes(&r.text(&c.description), MAX_SUMMARY_RUNES);
        if truncated {
            tracing::warn!(key = %ctx.group_key, max_runes = MAX_SUMMARY_RUNES, "truncated PagerDuty summary");
        }
        let msg = if self.v1_url.is_some() {
            let service_key = key_or_file(&c.service_key, &c.service_key_file)?;
            let trigger = action == "trigger";
            Message {
                routing_key: String::new(),
                service_key: r.text(&service_key),
                dedup_key: String::new(),
                incident_key: key,
                event_type: action.to_string(),
                description: summary,
                event_action: String::new(),
                payload: None,
                client: if trigger { r.text(&c.client) } else { String::new() },
                client_url: if trigger { r.text(&c.client_url) } else { String::new() },
                details: (!details.is_empty()).then_some(details),
                images: Vec::new(),
                links: Vec::new(),
            }
        } else {
            let routing_key = key_or_file(&c.routing_key, &c.routing_key_file)?;
            let severity = if c.severity.is_empty() { "error" } else { c.severity.as_str() };
            let images = c
                .images
                .iter()
                .map(|i| Image { src: r.text(&i.src), alt: r.text(&i.alt), href: r.text(&i.href) })
                .filter(|i| !i.src.is_empty())
                .collect();
            let links = c
                .links
                .iter()
                .map(|l| Link { href: r.text(&l.href), text: r.text(&l.text) })
                .filter(|l| !l.href.is_empty())
                .collect();
            Message {
                client: r.text(&c.client),
                client_url: r.text(&c.client_url),
                routing_key: r.text(&routing_key),
                service_key: String::new(),
                dedup_key: key,
                incident_key: String::new(),
                event_type: String::new(),
                description: String::new(),
                event_action: action.to_string(),
                payload: Some(Payload {
                    summary,
                    source: r.text(&c.source),
                    severity: r.text(severity),
                    class: r.text(&c.class),
                    component: r.text(&c.component),
                    group: r.text(&c.group),
                    custom_details: details,
                }),
                details: None,
                images,
                links,
            }
        };
        let version = if self.v1_url.is_some() { "v1" } else { "v2" };
        r.finish().map_err(|e| NotifyError::fatal(format!("failed to template PagerDuty {version} message: {e}")))?;
        if msg.routing_key.is_empty() && msg.service_key.is_empty() {
            let which = if self.v1_url.is_some() { "service" } else { "routing" };
            return Err(NotifyError::fatal(format!("{which} key cannot be empty")));
        }
        Ok(msg)
    }

    /// Encodes `msg`; an event over PagerDuty's size limit loses its details, replaced by a
    /// note, as upstream does.
    pub fn encode(&self, mut msg: Message) -> Result<Vec<u8>, NotifyError> {
        let buf = go_json(&msg)?;
        if buf.len() <= MAX_EVENT_SIZE {
            return Ok(buf);
        }
        tracing::warn!(size = buf.len(), limit = MAX_EVENT_SIZE, "truncated PagerDuty details");
        let note = BTreeMap::from([(
            "error".to_string(),
            "Custom details have been removed because the original event exceeds the maximum size of 512kB".to_string(),
        )]);
        match &mut msg.payload {
            Some(p) if self.v1_url.is_none() => p.custom_details = note,
            _ => msg.details = Some(note),
        }
        go_json(&msg)
    }
}

/// A key given inline or in a file (read at each notification, trimmed).
fn key_or_file(inline: &crate::alerting::config::Secret, file: &str) -> Result<String, NotifyError> {
    if !inline.is_empty() {
        return Ok(inline.expose().to_string());
    }
    std::fs::read_to_string(file)
        .map(|s| s.trim().to_string())
        .map_err(|e| NotifyError::fatal(format!("failed to read key from file: {e}")))
}

/// Upstream's error details: only for 400, PagerDuty's `message: errors` from the JSON body.
fn error_details(status: u16, body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct PdError {
        #[serde(default)]
        message: String,
        #[serde(default)]
        errors: Vec<String>,
    }
    if status != 400 {
        return String::new();
    }
    match serde_json::from_str::<PdError>(body) {
        Ok(e) => format!("{}: {}", e.message, e.errors.join(",")),
        Err(_) => String::new(),
    }
}

impl Integration for PagerDuty {
    fn kind(&self) -> &'static str {
        "pagerduty"
    }

    fn send_resolved(&self) -> bool {
        self.conf.send_resolved
    }

    fn notify<'a>(&'a self, ctx: &'a NotifyContext, alerts: &'a [Alert]) -> NotifyFuture<'a> {
        Box::pin(async move {
            let body = self.encode(self.message(ctx, alerts)?)?;
            // v1 retries on 403 (rate limit), v2 on 429; both on 5xx.
            let (url, retry_codes, what): (String, &[u16], &str) = match &self.v1_url {
                Some(u) => (u.clone(), &[403], "failed to post message to PagerDuty v1"),
                None => (
                    self.conf.url.as_ref().map(|u| u.as_str().to_string()).unwrap_or_default(),
                    &[429],
                    "failed to post message to PagerDuty",
                ),
            };
            let resp = self.client.post_json(&url, body).await.map_err(|e| wrap(what, e))?;
            check_status(resp.status, retry_codes, &error_details(resp.status, &resp.body))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hash_is_sha256_hex() {
        // FIPS 180-2 test vectors.
        assert_eq!(key_hash("").unwrap(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(key_hash("abc").unwrap(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn error_details_only_for_bad_requests() {
        let body = r#"{"status":"invalid event","message":"Event object is invalid","errors":["a","b"]}"#;
        assert_eq!(error_details(400, body), "Event object is invalid: a,b");
        assert_eq!(error_details(500, body), "");
        assert_eq!(error_details(400, "nope"), "");
    }
}
