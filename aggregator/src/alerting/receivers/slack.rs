//! The Slack integration: one message with one attachment, POSTed to an incoming webhook (or
//! `chat.postMessage`) URL, as Alertmanager's `notify/slack` does.

use std::sync::Arc;

use serde::Serialize;

use super::http::{check_status, go_json, wrap, HttpClient};
use super::templates::{template_data, truncate_in_runes, Renderer, Templates};
use super::ReceiverError;
use crate::alerting::config::receivers::SlackConfig;
use crate::alerting::types::{Alert, Integration, NotifyContext, NotifyError, NotifyFuture};

/// Slack's limit on attachment titles, in characters.
const MAX_TITLE_RUNES: usize = 1024;

/// A configured Slack integration.
pub struct Slack {
    conf: SlackConfig,
    client: HttpClient,
    templates: Arc<Templates>,
}

/// The request body (Alertmanager's `slack.request`).
#[derive(Debug, Serialize)]
pub struct Request {
    /// Channel override.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub channel: String,
    /// User name shown.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// Emoji icon.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub icon_emoji: String,
    /// Image icon.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub icon_url: String,
    /// Whether names are linked.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub link_names: bool,
    /// The attachment (always one).
    pub attachments: Vec<Attachment>,
}

/// A message attachment (Alertmanager's `slack.attachment`).
#[derive(Debug, Serialize)]
pub struct Attachment {
    /// Title (at most 1024 characters).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Title link.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title_link: String,
    /// Text above the attachment.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pretext: String,
    /// Body text.
    pub text: String,
    /// Plain-text summary.
    pub fallback: String,
    /// Callback id of interactive messages.
    pub callback_id: String,
    /// Fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Buttons.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// Image URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image_url: String,
    /// Thumbnail URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub thumb_url: String,
    /// Footer.
    pub footer: String,
    /// Colour bar.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub color: String,
    /// Fields rendered as markdown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mrkdwn_in: Vec<String>,
}

/// An attachment field.
#[derive(Debug, Serialize)]
pub struct Field {
    /// Title.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Value.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// Whether the field is short (always sent, as Alertmanager resolves the default).
    pub short: bool,
}

/// An attachment action (button).
#[derive(Debug, Serialize)]
pub struct Action {
    /// Type.
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub action_type: String,
    /// Text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Link target.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Style.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub style: String,
    /// Name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Value.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// Confirmation dialog.
    #[serde(rename = "confirm", skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Confirm>,
}

/// A confirmation dialog.
#[derive(Debug, Serialize)]
pub struct Confirm {
    /// Text.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Title.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// OK button.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ok_text: String,
    /// Dismiss button.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dismiss_text: String,
}

impl Slack {
    /// A Slack integration for `conf` rendering with `templates`.
    pub fn new(conf: &SlackConfig, templates: Arc<Templates>) -> Result<Slack, ReceiverError> {
        if conf.api_url.is_none() && conf.api_url_file.is_empty() {
            return Err(ReceiverError::Config("no Slack API URL set either inline or in a file".into()));
        }
        let client = HttpClient::new(&conf.http_config.clone().unwrap_or_default())?;
        Ok(Slack { conf: conf.clone(), client, templates })
    }

    /// Renders the request for `alerts`. Any template error fails the notification for good.
    pub fn request(&self, ctx: &NotifyContext, alerts: &[Alert]) -> Result<Request, NotifyError> {
        let c = &self.conf;
        let data = template_data(ctx, alerts);
        let mut r = Renderer::new(&self.templates, &data);
        let (title, truncated) = truncate_in_runes(&r.text(&c.title), MAX_TITLE_RUNES);
        if truncated {
            tracing::warn!(key = %ctx.group_key, max_runes = MAX_TITLE_RUNES, "truncated Slack title");
        }
        let mrkdwn_in = if c.mrkdwn_in.is_empty() {
            vec!["fallback".to_string(), "pretext".to_string(), "text".to_string()]
        } else {
            c.mrkdwn_in.clone()
        };
        let mut att = Attachment {
            title,
            title_link: r.text(&c.title_link),
            pretext: r.text(&c.pretext),
            text: r.text(&c.text),
            fallback: r.text(&c.fallback),
            callback_id: r.text(&c.callback_id),
            fields: Vec::new(),
            actions: Vec::new(),
            image_url: r.text(&c.image_url),
            thumb_url: r.text(&c.thumb_url),
            footer: r.text(&c.footer),
            color: r.text(&c.color),
            mrkdwn_in,
        };
        for f in &c.fields {
            let field =
                Field { title: r.text(&f.title), value: r.text(&f.value), short: f.short.unwrap_or(c.short_fields) };
            att.fields.push(field);
        }
        for a in &c.actions {
            let confirm = a.confirm_field.as_ref().map(|cf| Confirm {
                title: r.text(&cf.title),
                text: r.text(&cf.text),
                ok_text: r.text(&cf.ok_text),
                dismiss_text: r.text(&cf.dismiss_text),
            });
            att.actions.push(Action {
                action_type: r.text(&a.action_type),
                text: r.text(&a.text),
                url: r.text(&a.url),
                style: r.text(&a.style),
                name: r.text(&a.name),
                value: r.text(&a.value),
                confirm,
            });
        }
        let req = Request {
            channel: r.text(&c.channel),
            username: r.text(&c.username),
            icon_emoji: r.text(&c.icon_emoji),
            icon_url: r.text(&c.icon_url),
            link_names: c.link_names,
            attachments: vec![att],
        };
        r.finish().map_err(|e| NotifyError::fatal(e.to_string()))?;
        Ok(req)
    }

    /// The URL to post to: `api_url`, or the trimmed content of `api_url_file` (read at each
    /// notification, so a rotated URL is picked up).
    fn url(&self) -> Result<String, NotifyError> {
        match &self.conf.api_url {
            Some(u) => Ok(u.expose().to_string()),
            None => std::fs::read_to_string(&self.conf.api_url_file)
                .map(|s| s.trim().to_string())
                .map_err(|e| NotifyError::fatal(format!("reading api_url_file: {e}"))),
        }
    }
}

impl Integration for Slack {
    fn kind(&self) -> &'static str {
        "slack"
    }

    fn send_resolved(&self) -> bool {
        self.conf.send_resolved
    }

    fn notify<'a>(&'a self, ctx: &'a NotifyContext, alerts: &'a [Alert]) -> NotifyFuture<'a> {
        Box::pin(async move {
            let req = self.request(ctx, alerts)?;
            let body = go_json(&req)?;
            let url = self.url()?;
            let resp = self.client.post_json(&url, body).await?;
            check_status(resp.status, &[], &resp.body).map_err(|e| wrap(&format!("channel {:?}", req.channel), e))
        })
    }
}
