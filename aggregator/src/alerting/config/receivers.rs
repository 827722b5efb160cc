//! Receivers of `alertmanager.yml`: email, Slack, PagerDuty and webhook configs with all their
//! fields and Alertmanager 0.25's defaults, plus the HTTP client settings they share.
//!
//! The other receiver kinds Alertmanager knows (OpsGenie, VictorOps, Pushover, ...) are accepted
//! and kept as raw YAML so that existing configurations load, but Pharos does not send to them.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use super::types::{self, HostPort, HttpUrl, Secret, SecretUrl};

/// Reads an optional list; null or absent is empty.
pub(crate) fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Reads an optional string map; null or absent is empty, null values are `""`.
pub(crate) fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(Option::<BTreeMap<String, Option<String>>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect())
}

fn yes() -> bool {
    true
}

/// One receiver: a name and the notification integrations it fans out to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receiver {
    /// Unique name referenced by routes.
    #[serde(default, deserialize_with = "types::string")]
    pub name: String,
    /// E-mail integrations.
    #[serde(default, deserialize_with = "list")]
    pub email_configs: Vec<EmailConfig>,
    /// PagerDuty integrations.
    #[serde(default, deserialize_with = "list")]
    pub pagerduty_configs: Vec<PagerdutyConfig>,
    /// Slack integrations.
    #[serde(default, deserialize_with = "list")]
    pub slack_configs: Vec<SlackConfig>,
    /// Webhook integrations.
    #[serde(default, deserialize_with = "list")]
    pub webhook_configs: Vec<WebhookConfig>,
    /// Integrations Pharos does not implement, kept as raw YAML by key (`opsgenie_configs`, ...).
    #[serde(skip)]
    pub unsupported: BTreeMap<String, Vec<yaml_serde::Value>>,
    #[serde(default, deserialize_with = "list")]
    discord_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    opsgenie_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    wechat_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    pushover_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    victorops_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    sns_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    telegram_configs: Vec<yaml_serde::Value>,
    #[serde(default, deserialize_with = "list")]
    webex_configs: Vec<yaml_serde::Value>,
}

impl Receiver {
    /// Moves the integrations Pharos does not implement into [`Receiver::unsupported`].
    pub(crate) fn collect_unsupported(&mut self) {
        let kinds = [
            ("discord_configs", std::mem::take(&mut self.discord_configs)),
            ("opsgenie_configs", std::mem::take(&mut self.opsgenie_configs)),
            ("wechat_configs", std::mem::take(&mut self.wechat_configs)),
            ("pushover_configs", std::mem::take(&mut self.pushover_configs)),
            ("victorops_configs", std::mem::take(&mut self.victorops_configs)),
            ("sns_configs", std::mem::take(&mut self.sns_configs)),
            ("telegram_configs", std::mem::take(&mut self.telegram_configs)),
            ("webex_configs", std::mem::take(&mut self.webex_configs)),
        ];
        for (k, v) in kinds {
            if !v.is_empty() {
                self.unsupported.insert(k.to_string(), v);
            }
        }
    }
}

/// HTTP client settings (Prometheus' common `http_config`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpClientConfig {
    /// HTTP basic authentication.
    #[serde(default)]
    pub basic_auth: Option<BasicAuth>,
    /// `Authorization` header; `bearer_token(_file)` are folded into it on load.
    #[serde(default)]
    pub authorization: Option<Authorization>,
    /// OAuth 2 client credentials.
    #[serde(default)]
    pub oauth2: Option<yaml_serde::Value>,
    /// Deprecated bearer token (moved into `authorization`).
    #[serde(default)]
    pub bearer_token: Secret,
    /// Deprecated bearer token file (moved into `authorization`).
    #[serde(default, deserialize_with = "types::string")]
    pub bearer_token_file: String,
    /// Proxy to use.
    #[serde(default)]
    pub proxy_url: Option<HttpUrl>,
    /// Headers sent to the proxy on CONNECT.
    #[serde(default)]
    pub proxy_connect_header: Option<BTreeMap<String, Vec<Secret>>>,
    /// TLS settings.
    #[serde(default)]
    pub tls_config: TlsConfig,
    /// Whether redirects are followed (default true).
    #[serde(default = "yes", deserialize_with = "types::bool")]
    pub follow_redirects: bool,
    /// Whether HTTP/2 may be used (default true).
    #[serde(default = "yes", deserialize_with = "types::bool")]
    pub enable_http2: bool,
}

impl Default for HttpClientConfig {
    fn default() -> Self {
        HttpClientConfig {
            basic_auth: None,
            authorization: None,
            oauth2: None,
            bearer_token: Secret::default(),
            bearer_token_file: String::new(),
            proxy_url: None,
            proxy_connect_header: None,
            tls_config: TlsConfig::default(),
            follow_redirects: true,
            enable_http2: true,
        }
    }
}

impl HttpClientConfig {
    /// Prometheus common's `Validate`: exclusive auth methods; bearer tokens become an
    /// `Authorization: Bearer` setting.
    pub(crate) fn validate(&mut self) -> Result<(), String> {
        let bearer = !self.bearer_token.is_empty() || !self.bearer_token_file.is_empty();
        if !self.bearer_token.is_empty() && !self.bearer_token_file.is_empty() {
            return Err("at most one of bearer_token & bearer_token_file must be configured".into());
        }
        if (self.basic_auth.is_some() || self.oauth2.is_some()) && bearer {
            return Err("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured".into());
        }
        if let Some(b) = &self.basic_auth {
            if !b.password.is_empty() && !b.password_file.is_empty() {
                return Err("at most one of basic_auth password & password_file must be configured".into());
            }
        }
        if let Some(a) = &mut self.authorization {
            if bearer {
                return Err("authorization is not compatible with bearer_token & bearer_token_file".into());
            }
            if !a.credentials.is_empty() && !a.credentials_file.is_empty() {
                return Err("at most one of authorization credentials & credentials_file must be configured".into());
            }
            a.auth_type = a.auth_type.trim().to_string();
            if a.auth_type.is_empty() {
                a.auth_type = "Bearer".into();
            }
            if a.auth_type.eq_ignore_ascii_case("basic") {
                return Err("authorization type cannot be set to \"basic\", use \"basic_auth\" instead".into());
            }
            if self.basic_auth.is_some() || self.oauth2.is_some() {
                return Err("at most one of basic_auth, oauth2 & authorization must be configured".into());
            }
        } else if bearer {
            self.authorization = Some(Authorization {
                auth_type: "Bearer".into(),
                credentials: std::mem::take(&mut self.bearer_token),
                credentials_file: std::mem::take(&mut self.bearer_token_file),
            });
        }
        if let Some(o) = &self.oauth2 {
            if self.basic_auth.is_some() {
                return Err("at most one of basic_auth, oauth2 & authorization must be configured".into());
            }
            let field = |k: &str| o.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            if field("client_id").is_empty() {
                return Err("oauth2 client_id must be configured".into());
            }
            if field("client_secret").is_empty() && field("client_secret_file").is_empty() {
                return Err("either oauth2 client_secret or client_secret_file must be configured".into());
            }
            if field("token_url").is_empty() {
                return Err("oauth2 token_url must be configured".into());
            }
        }
        if self.proxy_connect_header.as_ref().is_some_and(|h| !h.is_empty()) && self.proxy_url.is_none() {
            return Err("if proxy_connect_header is configured proxy_url must also be configured".into());
        }
        Ok(())
    }
}

/// HTTP basic authentication.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    /// User name.
    #[serde(default, deserialize_with = "types::string")]
    pub username: String,
    /// Password.
    #[serde(default)]
    pub password: Secret,
    /// File holding the password.
    #[serde(default, deserialize_with = "types::string")]
    pub password_file: String,
}

/// An `Authorization: <type> <credentials>` header.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// Scheme, `Bearer` by default.
    #[serde(default, rename = "type", deserialize_with = "types::string")]
    pub auth_type: String,
    /// Credentials.
    #[serde(default)]
    pub credentials: Secret,
    /// File holding the credentials.
    #[serde(default, deserialize_with = "types::string")]
    pub credentials_file: String,
}

/// TLS client settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// CA certificate file.
    #[serde(default, deserialize_with = "types::string")]
    pub ca_file: String,
    /// Client certificate file.
    #[serde(default, deserialize_with = "types::string")]
    pub cert_file: String,
    /// Client key file.
    #[serde(default, deserialize_with = "types::string")]
    pub key_file: String,
    /// Server name for verification (SNI).
    #[serde(default, deserialize_with = "types::string")]
    pub server_name: String,
    /// Skip certificate verification.
    #[serde(default, deserialize_with = "types::bool")]
    pub insecure_skip_verify: bool,
    /// Minimum TLS version (`TLS10` .. `TLS13`).
    #[serde(default, deserialize_with = "types::string")]
    pub min_version: String,
    /// Maximum TLS version (`TLS10` .. `TLS13`).
    #[serde(default, deserialize_with = "types::string")]
    pub max_version: String,
}

impl TlsConfig {
    fn validate(&self) -> Result<(), String> {
        for v in [&self.min_version, &self.max_version] {
            if !v.is_empty() && !matches!(v.as_str(), "TLS10" | "TLS11" | "TLS12" | "TLS13") {
                return Err(format!("unknown TLS version: {v}"));
            }
        }
        Ok(())
    }
}

/// An e-mail integration. Unset SMTP fields are filled from `global` on load.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// Whether resolved notifications are sent (default false).
    #[serde(default, deserialize_with = "types::bool")]
    pub send_resolved: bool,
    /// Recipients (required), a template.
    #[serde(default, deserialize_with = "types::string")]
    pub to: String,
    /// Sender (default `global.smtp_from`).
    #[serde(default, deserialize_with = "types::string")]
    pub from: String,
    /// SMTP HELO name (default `global.smtp_hello`).
    #[serde(default, deserialize_with = "types::string")]
    pub hello: String,
    /// SMTP server (default `global.smtp_smarthost`).
    #[serde(default)]
    pub smarthost: HostPort,
    /// SMTP user (default `global.smtp_auth_username`).
    #[serde(default, deserialize_with = "types::string")]
    pub auth_username: String,
    /// SMTP password (default `global.smtp_auth_password`).
    #[serde(default)]
    pub auth_password: Secret,
    /// File holding the SMTP password.
    #[serde(default, deserialize_with = "types::string")]
    pub auth_password_file: String,
    /// CRAM-MD5 secret (default `global.smtp_auth_secret`).
    #[serde(default)]
    pub auth_secret: Secret,
    /// PLAIN identity (default `global.smtp_auth_identity`).
    #[serde(default, deserialize_with = "types::string")]
    pub auth_identity: String,
    /// Extra headers; names are canonicalised (`subject` -> `Subject`).
    #[serde(default, deserialize_with = "string_map")]
    pub headers: BTreeMap<String, String>,
    /// HTML body template.
    #[serde(default = "default_email_html", deserialize_with = "types::string")]
    pub html: String,
    /// Text body template (none by default).
    #[serde(default, deserialize_with = "types::string")]
    pub text: String,
    /// Whether STARTTLS is required (default `global.smtp_require_tls`); always set after load.
    #[serde(default, deserialize_with = "types::opt_bool")]
    pub require_tls: Option<bool>,
    /// TLS settings for the SMTP connection.
    #[serde(default)]
    pub tls_config: TlsConfig,
}

fn default_email_html() -> String {
    r#"{{ template "email.default.html" . }}"#.to_string()
}

/// The subject template used when no `Subject` header is configured.
pub const DEFAULT_EMAIL_SUBJECT: &str = r#"{{ template "email.default.subject" . }}"#;

impl EmailConfig {
    pub(crate) fn validate(&mut self) -> Result<(), String> {
        if self.to.is_empty() {
            return Err("missing to address in email config".into());
        }
        let mut normalized = BTreeMap::new();
        for (k, v) in std::mem::take(&mut self.headers) {
            let key = canonical_mime_header_key(&k);
            if normalized.insert(key.clone(), v).is_some() {
                return Err(format!("duplicate header {key:?} in email config"));
            }
        }
        self.headers = normalized;
        self.tls_config.validate()
    }
}

/// Go's `textproto.CanonicalMIMEHeaderKey` for ordinary header names: `x-foo` -> `X-Foo`.
fn canonical_mime_header_key(k: &str) -> String {
    if k.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-')) {
        return k.to_string();
    }
    let mut out = String::with_capacity(k.len());
    let mut upper = true;
    for c in k.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
        upper = c == '-';
    }
    out
}

/// A PagerDuty link.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerdutyLink {
    /// Target URL (template).
    #[serde(default, deserialize_with = "types::string")]
    pub href: String,
    /// Link text (template).
    #[serde(default, deserialize_with = "types::string")]
    pub text: String,
}

/// A PagerDuty image.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerdutyImage {
    /// Image URL (template).
    #[serde(default, deserialize_with = "types::string")]
    pub src: String,
    /// Alt text (template).
    #[serde(default, deserialize_with = "types::string")]
    pub alt: String,
    /// Link target (template).
    #[serde(default, deserialize_with = "types::string")]
    pub href: String,
}

/// A PagerDuty integration (Events API v2 with `routing_key`, v1 with `service_key`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagerdutyConfig {
    /// Whether resolved notifications are sent (default true).
    #[serde(default = "yes", deserialize_with = "types::bool")]
    pub send_resolved: bool,
    /// HTTP client settings (default `global.http_config`); always set after load.
    #[serde(default)]
    pub http_config: Option<HttpClientConfig>,
    /// Events API v1 integration key.
    #[serde(default)]
    pub service_key: Secret,
    /// File holding the v1 key.
    #[serde(default, deserialize_with = "types::string")]
    pub service_key_file: String,
    /// Events API v2 routing key.
    #[serde(default)]
    pub routing_key: Secret,
    /// File holding the v2 key.
    #[serde(default, deserialize_with = "types::string")]
    pub routing_key_file: String,
    /// API URL (default `global.pagerduty_url`); always set after load.
    #[serde(default)]
    pub url: Option<HttpUrl>,
    /// Client name template.
    #[serde(default = "default_pd_client", deserialize_with = "types::string")]
    pub client: String,
    /// Client URL template.
    #[serde(default = "default_pd_client_url", deserialize_with = "types::string")]
    pub client_url: String,
    /// Description template.
    #[serde(default = "default_pd_description", deserialize_with = "types::string")]
    pub description: String,
    /// Custom details; the four default keys are added when missing.
    #[serde(default, deserialize_with = "string_map")]
    pub details: BTreeMap<String, String>,
    /// Images.
    #[serde(default, deserialize_with = "list")]
    pub images: Vec<PagerdutyImage>,
    /// Links.
    #[serde(default, deserialize_with = "list")]
    pub links: Vec<PagerdutyLink>,
    /// Event source (defaults to `client`).
    #[serde(default, deserialize_with = "types::string")]
    pub source: String,
    /// Event severity template.
    #[serde(default, deserialize_with = "types::string")]
    pub severity: String,
    /// Event class template.
    #[serde(default, deserialize_with = "types::string")]
    pub class: String,
    /// Event component template.
    #[serde(default, deserialize_with = "types::string")]
    pub component: String,
    /// Event group template.
    #[serde(default, deserialize_with = "types::string")]
    pub group: String,
}

fn default_pd_client() -> String {
    r#"{{ template "pagerduty.default.client" . }}"#.to_string()
}
fn default_pd_client_url() -> String {
    r#"{{ template "pagerduty.default.clientURL" . }}"#.to_string()
}
fn default_pd_description() -> String {
    r#"{{ template "pagerduty.default.description" .}}"#.to_string()
}

impl PagerdutyConfig {
    pub(crate) fn validate(&mut self) -> Result<(), String> {
        if self.routing_key.is_empty()
            && self.service_key.is_empty()
            && self.routing_key_file.is_empty()
            && self.service_key_file.is_empty()
        {
            return Err("missing service or routing key in PagerDuty config".into());
        }
        if !self.routing_key.is_empty() && !self.routing_key_file.is_empty() {
            return Err("at most one of routing_key & routing_key_file must be configured".into());
        }
        if !self.service_key.is_empty() && !self.service_key_file.is_empty() {
            return Err("at most one of service_key & service_key_file must be configured".into());
        }
        if self.source.is_empty() {
            self.source = self.client.clone();
        }
        let defaults = [
            ("firing", r#"{{ template "pagerduty.default.instances" .Alerts.Firing }}"#),
            ("resolved", r#"{{ template "pagerduty.default.instances" .Alerts.Resolved }}"#),
            ("num_firing", "{{ .Alerts.Firing | len }}"),
            ("num_resolved", "{{ .Alerts.Resolved | len }}"),
        ];
        for (k, v) in defaults {
            self.details.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        validate_http(&mut self.http_config)
    }
}

/// One field of a Slack attachment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackField {
    /// Title (required).
    #[serde(default, deserialize_with = "types::string")]
    pub title: String,
    /// Value (required).
    #[serde(default, deserialize_with = "types::string")]
    pub value: String,
    /// Whether the field is short (default `short_fields`).
    #[serde(default, deserialize_with = "types::opt_bool")]
    pub short: Option<bool>,
}

/// A Slack confirmation dialog on an action.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackConfirmationField {
    /// Text (required).
    #[serde(default, deserialize_with = "types::string")]
    pub text: String,
    /// Title.
    #[serde(default, deserialize_with = "types::string")]
    pub title: String,
    /// OK button text.
    #[serde(default, deserialize_with = "types::string")]
    pub ok_text: String,
    /// Dismiss button text.
    #[serde(default, deserialize_with = "types::string")]
    pub dismiss_text: String,
}

/// A Slack message action (button).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackAction {
    /// Type (required).
    #[serde(default, rename = "type", deserialize_with = "types::string")]
    pub action_type: String,
    /// Text (required).
    #[serde(default, deserialize_with = "types::string")]
    pub text: String,
    /// Link target; either `url` or `name` is required.
    #[serde(default, deserialize_with = "types::string")]
    pub url: String,
    /// Style.
    #[serde(default, deserialize_with = "types::string")]
    pub style: String,
    /// Name for interactive actions.
    #[serde(default, deserialize_with = "types::string")]
    pub name: String,
    /// Value for interactive actions.
    #[serde(default, deserialize_with = "types::string")]
    pub value: String,
    /// Confirmation dialog.
    #[serde(default, rename = "confirm")]
    pub confirm_field: Option<SlackConfirmationField>,
}

/// A Slack integration (incoming webhook or chat.postMessage URL).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    /// Whether resolved notifications are sent (default false).
    #[serde(default, deserialize_with = "types::bool")]
    pub send_resolved: bool,
    /// HTTP client settings (default `global.http_config`); always set after load.
    #[serde(default)]
    pub http_config: Option<HttpClientConfig>,
    /// Webhook URL (default `global.slack_api_url`).
    #[serde(default)]
    pub api_url: Option<SecretUrl>,
    /// File holding the webhook URL (default `global.slack_api_url_file`).
    #[serde(default, deserialize_with = "types::string")]
    pub api_url_file: String,
    /// Channel.
    #[serde(default, deserialize_with = "types::string")]
    pub channel: String,
    /// User name template.
    #[serde(default = "slack_default::username", deserialize_with = "types::string")]
    pub username: String,
    /// Attachment colour template.
    #[serde(default = "slack_default::color", deserialize_with = "types::string")]
    pub color: String,
    /// Title template.
    #[serde(default = "slack_default::title", deserialize_with = "types::string")]
    pub title: String,
    /// Title link template.
    #[serde(default = "slack_default::title_link", deserialize_with = "types::string")]
    pub title_link: String,
    /// Pretext template.
    #[serde(default = "slack_default::pretext", deserialize_with = "types::string")]
    pub pretext: String,
    /// Text template.
    #[serde(default = "slack_default::text", deserialize_with = "types::string")]
    pub text: String,
    /// Attachment fields.
    #[serde(default, deserialize_with = "list")]
    pub fields: Vec<SlackField>,
    /// Default for fields' `short`.
    #[serde(default, deserialize_with = "types::bool")]
    pub short_fields: bool,
    /// Footer template.
    #[serde(default = "slack_default::footer", deserialize_with = "types::string")]
    pub footer: String,
    /// Fallback template.
    #[serde(default = "slack_default::fallback", deserialize_with = "types::string")]
    pub fallback: String,
    /// Callback id template.
    #[serde(default = "slack_default::callback_id", deserialize_with = "types::string")]
    pub callback_id: String,
    /// Icon emoji template.
    #[serde(default = "slack_default::icon_emoji", deserialize_with = "types::string")]
    pub icon_emoji: String,
    /// Icon URL template.
    #[serde(default = "slack_default::icon_url", deserialize_with = "types::string")]
    pub icon_url: String,
    /// Image URL.
    #[serde(default, deserialize_with = "types::string")]
    pub image_url: String,
    /// Thumbnail URL.
    #[serde(default, deserialize_with = "types::string")]
    pub thumb_url: String,
    /// Whether to link channel and user names.
    #[serde(default, deserialize_with = "types::bool")]
    pub link_names: bool,
    /// Fields rendered as markdown.
    #[serde(default, deserialize_with = "types::string_list")]
    pub mrkdwn_in: Vec<String>,
    /// Actions (buttons).
    #[serde(default, deserialize_with = "list")]
    pub actions: Vec<SlackAction>,
}

/// Alertmanager's default Slack templates.
mod slack_default {
    fn t(name: &str) -> String {
        format!("{{{{ template \"slack.default.{name}\" . }}}}")
    }
    pub fn username() -> String {
        t("username")
    }
    pub fn color() -> String {
        r#"{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}"#.to_string()
    }
    pub fn title() -> String {
        t("title")
    }
    pub fn title_link() -> String {
        t("titlelink")
    }
    pub fn pretext() -> String {
        t("pretext")
    }
    pub fn text() -> String {
        t("text")
    }
    pub fn footer() -> String {
        t("footer")
    }
    pub fn fallback() -> String {
        t("fallback")
    }
    pub fn callback_id() -> String {
        t("callbackid")
    }
    pub fn icon_emoji() -> String {
        t("iconemoji")
    }
    pub fn icon_url() -> String {
        t("iconurl")
    }
}

impl SlackConfig {
    pub(crate) fn validate(&mut self) -> Result<(), String> {
        if self.api_url.is_some() && !self.api_url_file.is_empty() {
            return Err("at most one of api_url & api_url_file must be configured".into());
        }
        for f in &self.fields {
            if f.title.is_empty() {
                return Err("missing title in Slack field configuration".into());
            }
            if f.value.is_empty() {
                return Err("missing value in Slack field configuration".into());
            }
        }
        for a in &mut self.actions {
            if a.action_type.is_empty() {
                return Err("missing type in Slack action configuration".into());
            }
            if a.text.is_empty() {
                return Err("missing text in Slack action configuration".into());
            }
            if let Some(c) = &a.confirm_field {
                if c.text.is_empty() {
                    return Err("missing text in Slack confirmation configuration".into());
                }
            }
            if !a.url.is_empty() {
                a.name.clear();
                a.value.clear();
                a.confirm_field = None;
            } else if a.name.is_empty() {
                return Err("missing name or url in Slack action configuration".into());
            }
        }
        validate_http(&mut self.http_config)
    }
}

/// A webhook integration: POSTs Alertmanager's JSON payload (version 4).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// Whether resolved notifications are sent (default true).
    #[serde(default = "yes", deserialize_with = "types::bool")]
    pub send_resolved: bool,
    /// HTTP client settings (default `global.http_config`); always set after load.
    #[serde(default)]
    pub http_config: Option<HttpClientConfig>,
    /// Target URL (required, http or https). Always set after load.
    #[serde(default)]
    pub url: Option<HttpUrl>,
    /// Maximum alerts per message, 0 for all.
    #[serde(default)]
    pub max_alerts: u64,
}

impl WebhookConfig {
    pub(crate) fn validate(&mut self) -> Result<(), String> {
        if self.url.is_none() {
            return Err("missing URL in webhook config".into());
        }
        validate_http(&mut self.http_config)
    }
}

pub(crate) fn validate_http(c: &mut Option<HttpClientConfig>) -> Result<(), String> {
    match c {
        Some(c) => {
            c.validate()?;
            c.tls_config.validate()
        }
        None => Ok(()),
    }
}
