//! Receiver integrations: e-mail (SMTP), Slack, PagerDuty and webhook, rendered with
//! Alertmanager-compatible templates, each implementing [`Integration`].
//!
//! [`build`] turns a configuration's receivers into integrations, loading the templates (Pharos'
//! defaults, then the user's `templates` files) once for all of them. Each integration follows
//! Alertmanager 0.25's notifier of the same kind: payloads, defaults, truncation and the
//! retry decision (connection errors and HTTP 5xx are retryable, other HTTP errors not; PagerDuty
//! also retries 429 (v2) and 403 (v1)).

pub mod email;
pub mod http;
pub mod pagerduty;
pub mod slack;
pub mod templates;
pub mod webhook;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::alerting::config::Config;
use crate::alerting::types::Integration;

pub use email::Email;
pub use pagerduty::PagerDuty;
pub use slack::Slack;
pub use templates::Templates;
pub use webhook::Webhook;

/// Why the integrations of a configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReceiverError {
    /// A template file does not parse.
    #[error("template {}: {error}", path.display())]
    Template {
        /// The file (`default.tmpl` for the built-in set).
        path: PathBuf,
        /// The parse error.
        error: pharos_template::TemplateError,
    },
    /// A file (template, CA, certificate, key) could not be read.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// TLS settings are unusable.
    #[error("TLS configuration: {0}")]
    Tls(String),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
    /// A setting Pharos does not implement.
    #[error("not supported: {0}")]
    Unsupported(String),
    /// A setting is missing or invalid.
    #[error("{0}")]
    Config(String),
}

/// The integrations of one receiver, in Alertmanager's order (e-mail, PagerDuty, Slack,
/// webhook), each entry of a `*_configs` list becoming one integration.
pub fn build_receiver(
    receiver: &crate::alerting::config::Receiver,
    templates: &Arc<Templates>,
) -> Result<Vec<Arc<dyn Integration>>, ReceiverError> {
    let mut out: Vec<Arc<dyn Integration>> = Vec::new();
    for c in &receiver.email_configs {
        out.push(Arc::new(Email::new(c, templates.clone())?));
    }
    for c in &receiver.pagerduty_configs {
        out.push(Arc::new(PagerDuty::new(c, templates.clone())?));
    }
    for c in &receiver.slack_configs {
        out.push(Arc::new(Slack::new(c, templates.clone())?));
    }
    for c in &receiver.webhook_configs {
        out.push(Arc::new(Webhook::new(c)?));
    }
    if !receiver.unsupported.is_empty() {
        let kinds: Vec<&str> = receiver.unsupported.keys().map(String::as_str).collect();
        tracing::warn!(receiver = %receiver.name, kinds = ?kinds, "receiver integrations not supported by Pharos are ignored");
    }
    Ok(out)
}

/// All integrations of `config`, keyed by receiver name (receivers without integrations map to
/// an empty list). Templates are loaded once: the defaults, then `config.templates`.
pub fn build(config: &Config) -> Result<HashMap<String, Vec<Arc<dyn Integration>>>, ReceiverError> {
    let templates = Arc::new(Templates::load(&config.templates)?);
    build_with_templates(config, &templates)
}

/// [`build`] with templates loaded by the caller.
pub fn build_with_templates(
    config: &Config,
    templates: &Arc<Templates>,
) -> Result<HashMap<String, Vec<Arc<dyn Integration>>>, ReceiverError> {
    let mut out = HashMap::new();
    for r in &config.receivers {
        let list = build_receiver(r, templates).map_err(|e| match e {
            ReceiverError::Config(m) => ReceiverError::Config(format!("receiver {:?}: {m}", r.name)),
            e => e,
        })?;
        out.insert(r.name.clone(), list);
    }
    Ok(out)
}
