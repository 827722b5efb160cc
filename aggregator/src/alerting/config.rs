//! `alertmanager.yml`: the configuration model with Alertmanager 0.25's defaults and
//! validation. Loading is strict (unknown keys are errors) and fills receivers' unset SMTP,
//! Slack, PagerDuty and HTTP settings from `global`, as Alertmanager does.
//!
//! Entry points: [`Config::load`] (text) and [`Config::load_file`] (also resolves `templates`
//! relative to the file's directory). The routing tree is built from [`Config::route`] by
//! [`crate::alerting::route::Route::new`].

pub mod receivers;
pub mod types;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::matcher::{compile_anchored, parse_matchers, MatchType, Matcher, Matchers};
use super::timeinterval::TimeInterval;
use receivers::{list, string_map, validate_http};
pub use receivers::{
    Authorization, BasicAuth, EmailConfig, HttpClientConfig, PagerdutyConfig, PagerdutyImage, PagerdutyLink, Receiver,
    SlackAction, SlackConfig, SlackConfirmationField, SlackField, TlsConfig, WebhookConfig, DEFAULT_EMAIL_SUBJECT,
};
pub use types::{HostPort, HttpUrl, Secret, SecretUrl};

/// Why a configuration was rejected. The messages follow Alertmanager's where it has one.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not YAML, a wrong type, an unknown key, or a value rejected while reading it.
    #[error("{0}")]
    Yaml(#[from] yaml_serde::Error),
    /// The file is empty: there is no root route.
    #[error("no route provided in config")]
    NoRoute,
    /// A semantic check failed.
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(msg.into())
}

/// The whole `alertmanager.yml`, validated, with defaults filled in.
#[derive(Clone)]
pub struct Config {
    /// Global settings (defaults when the block is absent).
    pub global: GlobalConfig,
    /// The root of the routing tree.
    pub route: RouteConfig,
    /// Inhibition rules.
    pub inhibit_rules: Vec<InhibitRuleConfig>,
    /// Receivers, names unique.
    pub receivers: Vec<Receiver>,
    /// Template file globs; absolute after [`Config::load_file`].
    pub templates: Vec<String>,
    /// Deprecated top-level `mute_time_intervals`.
    pub mute_time_intervals: Vec<NamedTimeInterval>,
    /// Top-level `time_intervals`.
    pub time_intervals: Vec<NamedTimeInterval>,
    /// The YAML the configuration was read from (holds secrets: never logged by `Debug`).
    pub original: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("global", &self.global)
            .field("route", &self.route)
            .field("inhibit_rules", &self.inhibit_rules)
            .field("receivers", &self.receivers)
            .field("templates", &self.templates)
            .field("mute_time_intervals", &self.mute_time_intervals)
            .field("time_intervals", &self.time_intervals)
            .field("original", &format_args!("<{} bytes>", self.original.len()))
            .finish()
    }
}

/// Global settings: defaults for receivers and the alert resolve timeout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalConfig {
    /// How long after its last update an alert without `endsAt` is resolved (default 5m).
    #[serde(default = "default_resolve_timeout", deserialize_with = "de_duration")]
    pub resolve_timeout: Duration,
    /// Default HTTP client settings of HTTP-based receivers.
    #[serde(default)]
    pub http_config: Option<HttpClientConfig>,
    /// Default sender address.
    #[serde(default, deserialize_with = "types::string")]
    pub smtp_from: String,
    /// Default HELO name (default `localhost`).
    #[serde(default = "default_hello", deserialize_with = "types::string")]
    pub smtp_hello: String,
    /// Default SMTP server.
    #[serde(default)]
    pub smtp_smarthost: HostPort,
    /// Default SMTP user.
    #[serde(default, deserialize_with = "types::string")]
    pub smtp_auth_username: String,
    /// Default SMTP password.
    #[serde(default)]
    pub smtp_auth_password: Secret,
    /// Default SMTP password file.
    #[serde(default, deserialize_with = "types::string")]
    pub smtp_auth_password_file: String,
    /// Default CRAM-MD5 secret.
    #[serde(default)]
    pub smtp_auth_secret: Secret,
    /// Default PLAIN identity.
    #[serde(default, deserialize_with = "types::string")]
    pub smtp_auth_identity: String,
    /// Default STARTTLS requirement (default true).
    #[serde(default = "yes", deserialize_with = "types::bool")]
    pub smtp_require_tls: bool,
    /// Default Slack webhook URL.
    #[serde(default)]
    pub slack_api_url: Option<SecretUrl>,
    /// Default file holding the Slack webhook URL.
    #[serde(default, deserialize_with = "types::string")]
    pub slack_api_url_file: String,
    /// Default PagerDuty events URL (default `https://events.pagerduty.com/v2/enqueue`).
    #[serde(default = "default_pagerduty_url")]
    pub pagerduty_url: Option<HttpUrl>,
    /// Settings of receivers Pharos does not implement, accepted so configurations load.
    #[serde(default)]
    pub opsgenie_api_url: Option<HttpUrl>,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub opsgenie_api_key: Secret,
    /// See `opsgenie_api_url`.
    #[serde(default, deserialize_with = "types::string")]
    pub opsgenie_api_key_file: String,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub wechat_api_url: Option<HttpUrl>,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub wechat_api_secret: Secret,
    /// See `opsgenie_api_url`.
    #[serde(default, deserialize_with = "types::string")]
    pub wechat_api_corp_id: String,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub victorops_api_url: Option<HttpUrl>,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub victorops_api_key: Secret,
    /// See `opsgenie_api_url`.
    #[serde(default, deserialize_with = "types::string")]
    pub victorops_api_key_file: String,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub telegram_api_url: Option<HttpUrl>,
    /// See `opsgenie_api_url`.
    #[serde(default)]
    pub webex_api_url: Option<HttpUrl>,
}

impl Default for GlobalConfig {
    fn default() -> Self {
        // An empty mapping takes every serde default, so the two cannot drift apart.
        yaml_serde::from_str("{}").unwrap_or_else(|_| unreachable!("empty global block always parses"))
    }
}

fn default_resolve_timeout() -> Duration {
    Duration::from_secs(300)
}
fn default_hello() -> String {
    "localhost".into()
}
fn yes() -> bool {
    true
}
fn default_pagerduty_url() -> Option<HttpUrl> {
    HttpUrl::parse("https://events.pagerduty.com/v2/enqueue").ok()
}

fn de_duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    types::opt_duration(d).map(Option::unwrap_or_default)
}

/// A named list of periods (`time_intervals` / `mute_time_intervals` entries).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedTimeInterval {
    /// Name referenced by routes.
    #[serde(default, deserialize_with = "types::string")]
    pub name: String,
    /// Periods, ORed.
    #[serde(default, deserialize_with = "list")]
    pub time_intervals: Vec<TimeInterval>,
}

/// One node of the routing tree as configured (before inheritance; see
/// [`crate::alerting::route::Route`] for the effective options).
#[derive(Debug, Clone, Default)]
pub struct RouteConfig {
    /// Receiver; `None` inherits the parent's.
    pub receiver: Option<String>,
    /// Named `group_by` labels; `None` when not set (or only `...`), which inherits.
    pub group_by: Option<Vec<String>>,
    /// `group_by: ['...']`: group by all labels.
    pub group_by_all: bool,
    /// Deprecated `match:` (label -> exact value).
    pub match_eq: BTreeMap<String, String>,
    /// Deprecated `match_re:` (label -> regex, anchored).
    pub match_re: BTreeMap<String, String>,
    /// `matchers:`, parsed and sorted.
    pub matchers: Matchers,
    /// Intervals during which notifications are muted (not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Intervals outside which notifications are muted (not inherited).
    pub active_time_intervals: Vec<String>,
    /// Whether matching continues with the next sibling after this route matched.
    pub continue_matching: bool,
    /// Child routes, in order.
    pub routes: Vec<RouteConfig>,
    /// `group_wait`, if set.
    pub group_wait: Option<Duration>,
    /// `group_interval`, if set (never zero).
    pub group_interval: Option<Duration>,
    /// `repeat_interval`, if set (never zero).
    pub repeat_interval: Option<Duration>,
}

impl RouteConfig {
    /// All matchers of this node (`match`, `match_re`, `matchers`) in Alertmanager's sorted order.
    pub fn all_matchers(&self) -> Matchers {
        let mut all = Vec::with_capacity(self.match_eq.len() + self.match_re.len() + self.matchers.len());
        all.extend(eq_matchers(&self.match_eq));
        all.extend(re_matchers(&self.match_re));
        all.extend(self.matchers.iter().cloned());
        let mut m = Matchers(all);
        m.sort();
        m
    }
}

fn eq_matchers(m: &BTreeMap<String, String>) -> impl Iterator<Item = Matcher> + '_ {
    // Equality matchers cannot fail to build.
    m.iter().filter_map(|(k, v)| Matcher::new(MatchType::Equal, k, v).ok())
}

fn re_matchers(m: &BTreeMap<String, String>) -> impl Iterator<Item = Matcher> + '_ {
    // Upstream builds these matchers from the compiled regex's text, which is the anchored
    // form; route keys therefore read `label=~"^(?:re)$"`, and so do ours. The regexes were
    // compiled during validation, so this cannot drop anything.
    m.iter().filter_map(|(k, v)| Matcher::new(MatchType::Regexp, k, format!("^(?:{v})$")).ok())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    #[serde(default, deserialize_with = "types::string")]
    receiver: String,
    #[serde(default)]
    group_by: Option<Vec<String>>,
    #[serde(default, rename = "match", deserialize_with = "string_map")]
    match_eq: BTreeMap<String, String>,
    #[serde(default)]
    match_re: Option<BTreeMap<String, Option<String>>>,
    #[serde(default, deserialize_with = "types::string_list")]
    matchers: Vec<String>,
    #[serde(default, deserialize_with = "types::string_list")]
    mute_time_intervals: Vec<String>,
    #[serde(default, deserialize_with = "types::string_list")]
    active_time_intervals: Vec<String>,
    #[serde(default, rename = "continue", deserialize_with = "types::bool")]
    continue_matching: bool,
    #[serde(default, deserialize_with = "list")]
    routes: Vec<RouteConfig>,
    #[serde(default, deserialize_with = "types::opt_duration")]
    group_wait: Option<Duration>,
    #[serde(default, deserialize_with = "types::opt_duration")]
    group_interval: Option<Duration>,
    #[serde(default, deserialize_with = "types::opt_duration")]
    repeat_interval: Option<Duration>,
}

/// Validates a `match_re`-style map: label names, non-null values, regexes that compile.
fn check_match_re(m: Option<BTreeMap<String, Option<String>>>) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in m.unwrap_or_default() {
        if !types::is_valid_label_name(&k) {
            return Err(format!("invalid label name {k:?}"));
        }
        let v = v.ok_or_else(|| format!("invalid regexp value for {k:?}"))?;
        compile_anchored(&v).map_err(|e| e.to_string())?;
        out.insert(k, v);
    }
    Ok(out)
}

fn check_match(m: &BTreeMap<String, String>) -> Result<(), String> {
    match m.keys().find(|k| !types::is_valid_label_name(k)) {
        Some(k) => Err(format!("invalid label name {k:?}")),
        None => Ok(()),
    }
}

fn parse_matcher_lines(lines: &[String]) -> Result<Matchers, String> {
    let mut all = Vec::new();
    for line in lines {
        all.extend(parse_matchers(line).map_err(|e| e.to_string())?);
    }
    let mut m = Matchers(all);
    m.sort();
    Ok(m)
}

impl TryFrom<RawRoute> for RouteConfig {
    type Error = String;
    fn try_from(r: RawRoute) -> Result<Self, String> {
        check_match(&r.match_eq)?;
        let match_re = check_match_re(r.match_re)?;
        let matchers = parse_matcher_lines(&r.matchers)?;
        let mut group_by: Option<Vec<String>> = None;
        let mut group_by_all = false;
        for l in r.group_by.unwrap_or_default() {
            if l == "..." {
                group_by_all = true;
            } else if !types::is_valid_label_name(&l) {
                return Err(format!("invalid label name {l:?} in group_by list"));
            } else {
                let names = group_by.get_or_insert_with(Vec::new);
                if names.contains(&l) {
                    return Err(format!("duplicated label {l:?} in group_by"));
                }
                names.push(l);
            }
        }
        if group_by.is_some() && group_by_all {
            return Err("cannot have wildcard group_by (`...`) and other other labels at the same time".into());
        }
        if r.group_interval == Some(Duration::ZERO) {
            return Err("group_interval cannot be zero".into());
        }
        if r.repeat_interval == Some(Duration::ZERO) {
            return Err("repeat_interval cannot be zero".into());
        }
        Ok(RouteConfig {
            receiver: Some(r.receiver).filter(|s| !s.is_empty()),
            group_by,
            group_by_all,
            match_eq: r.match_eq,
            match_re,
            matchers,
            mute_time_intervals: r.mute_time_intervals,
            active_time_intervals: r.active_time_intervals,
            continue_matching: r.continue_matching,
            routes: r.routes,
            group_wait: r.group_wait,
            group_interval: r.group_interval,
            repeat_interval: r.repeat_interval,
        })
    }
}

impl<'de> Deserialize<'de> for RouteConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RouteConfig::try_from(RawRoute::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// An inhibition rule: a firing alert matching `source_matchers` mutes alerts matching
/// `target_matchers` that have the same values for the `equal` labels.
#[derive(Debug, Clone, Default)]
pub struct InhibitRuleConfig {
    /// All source matchers (`source_match`, `source_match_re`, `source_matchers`).
    pub source_matchers: Matchers,
    /// All target matchers (`target_match`, `target_match_re`, `target_matchers`).
    pub target_matchers: Matchers,
    /// Labels whose values must be equal on source and target (missing on both is equal).
    pub equal: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInhibitRule {
    #[serde(default, deserialize_with = "string_map")]
    source_match: BTreeMap<String, String>,
    #[serde(default)]
    source_match_re: Option<BTreeMap<String, Option<String>>>,
    #[serde(default, deserialize_with = "types::string_list")]
    source_matchers: Vec<String>,
    #[serde(default, deserialize_with = "string_map")]
    target_match: BTreeMap<String, String>,
    #[serde(default)]
    target_match_re: Option<BTreeMap<String, Option<String>>>,
    #[serde(default, deserialize_with = "types::string_list")]
    target_matchers: Vec<String>,
    #[serde(default, deserialize_with = "types::string_list")]
    equal: Vec<String>,
}

impl TryFrom<RawInhibitRule> for InhibitRuleConfig {
    type Error = String;
    fn try_from(r: RawInhibitRule) -> Result<Self, String> {
        let side = |eq: &BTreeMap<String, String>, re: Option<BTreeMap<String, Option<String>>>, lines: &[String]| {
            check_match(eq)?;
            let re = check_match_re(re)?;
            let mut all: Vec<Matcher> = eq_matchers(eq).chain(re_matchers(&re)).collect();
            all.extend(parse_matcher_lines(lines)?.0);
            Ok::<_, String>(Matchers(all))
        };
        let source_matchers = side(&r.source_match, r.source_match_re, &r.source_matchers)?;
        let target_matchers = side(&r.target_match, r.target_match_re, &r.target_matchers)?;
        if let Some(l) = r.equal.iter().find(|l| !types::is_valid_label_name(l)) {
            return Err(format!("{l:?} is not a valid label name"));
        }
        Ok(InhibitRuleConfig { source_matchers, target_matchers, equal: r.equal })
    }
}

impl<'de> Deserialize<'de> for InhibitRuleConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        InhibitRuleConfig::try_from(RawInhibitRule::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    global: Option<GlobalConfig>,
    #[serde(default)]
    route: Option<RouteConfig>,
    #[serde(default, deserialize_with = "list")]
    inhibit_rules: Vec<InhibitRuleConfig>,
    #[serde(default, deserialize_with = "list")]
    receivers: Vec<Receiver>,
    #[serde(default, deserialize_with = "types::string_list")]
    templates: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    mute_time_intervals: Vec<NamedTimeInterval>,
    #[serde(default, deserialize_with = "list")]
    time_intervals: Vec<NamedTimeInterval>,
}

impl Config {
    /// Parses and validates YAML text. `templates` stay as written.
    pub fn load(s: &str) -> Result<Config, ConfigError> {
        // An empty document (or only comments) has no root route, like upstream's Load.
        let is_empty = yaml_serde::from_str::<yaml_serde::Value>(s).map(|v| v.is_null()).unwrap_or(false);
        if is_empty {
            return Err(ConfigError::NoRoute);
        }
        let raw: RawConfig = yaml_serde::from_str(s)?;
        let mut global = raw.global.unwrap_or_default();
        let mut receivers = raw.receivers;
        for r in &mut receivers {
            r.collect_unsupported();
        }
        validate_global(&mut global)?;
        fill_receivers(&global, &mut receivers)?;
        let route = raw.route.ok_or_else(|| invalid("no routes provided"))?;
        if route.receiver.is_none() {
            return Err(invalid("root route must specify a default receiver"));
        }
        if !route.match_eq.is_empty() || !route.match_re.is_empty() || !route.matchers.is_empty() {
            return Err(invalid("root route must not have any matchers"));
        }
        if !route.mute_time_intervals.is_empty() {
            return Err(invalid("root route must not have any mute time intervals"));
        }
        if !route.active_time_intervals.is_empty() {
            return Err(invalid("root route must not have any active time intervals"));
        }
        let names: HashSet<&str> = receivers.iter().map(|r| r.name.as_str()).collect();
        check_receivers(&route, &names)?;
        let mut ti_names = HashSet::new();
        for (kind, list) in [("mute time interval", &raw.mute_time_intervals), ("time interval", &raw.time_intervals)] {
            for ti in list {
                if ti.name.is_empty() {
                    return Err(invalid(format!("missing name in {kind}")));
                }
                if !ti_names.insert(ti.name.as_str()) {
                    return Err(invalid(format!("{kind} {:?} is not unique", ti.name)));
                }
            }
        }
        check_time_intervals(&route, &ti_names)?;
        if route.continue_matching {
            return Err(invalid("cannot have continue in root route"));
        }
        Ok(Config {
            global,
            route,
            inhibit_rules: raw.inhibit_rules,
            receivers,
            templates: raw.templates,
            mute_time_intervals: raw.mute_time_intervals,
            time_intervals: raw.time_intervals,
            original: s.to_string(),
        })
    }

    /// Reads, parses and validates a file; relative `templates` are joined to its directory.
    pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
        let mut cfg = Config::load(&text)?;
        let dir = path.parent().unwrap_or(Path::new(""));
        for t in &mut cfg.templates {
            if !t.is_empty() && !Path::new(t.as_str()).is_absolute() {
                *t = dir.join(&*t).to_string_lossy().into_owned();
            }
        }
        Ok(cfg)
    }

    /// The receiver with this name.
    pub fn receiver(&self, name: &str) -> Option<&Receiver> {
        self.receivers.iter().find(|r| r.name == name)
    }

    /// All named intervals (`time_intervals` and the deprecated `mute_time_intervals`) by name.
    pub fn time_interval_map(&self) -> HashMap<String, Vec<TimeInterval>> {
        self.mute_time_intervals
            .iter()
            .chain(&self.time_intervals)
            .map(|t| (t.name.clone(), t.time_intervals.clone()))
            .collect()
    }
}

fn validate_global(g: &mut GlobalConfig) -> Result<(), ConfigError> {
    if g.slack_api_url.is_some() && !g.slack_api_url_file.is_empty() {
        return Err(invalid("at most one of slack_api_url & slack_api_url_file must be configured"));
    }
    if !g.opsgenie_api_key.is_empty() && !g.opsgenie_api_key_file.is_empty() {
        return Err(invalid("at most one of opsgenie_api_key & opsgenie_api_key_file must be configured"));
    }
    if !g.victorops_api_key.is_empty() && !g.victorops_api_key_file.is_empty() {
        return Err(invalid("at most one of victorops_api_key & victorops_api_key_file must be configured"));
    }
    if !g.smtp_auth_password.is_empty() && !g.smtp_auth_password_file.is_empty() {
        return Err(invalid("at most one of smtp_auth_password & smtp_auth_password_file must be configured"));
    }
    validate_http(&mut g.http_config).map_err(invalid)?;
    if g.http_config.is_none() {
        g.http_config = Some(HttpClientConfig::default());
    }
    Ok(())
}

/// Checks receivers and fills their unset settings from `global`, as Alertmanager's
/// `Config.UnmarshalYAML` does.
fn fill_receivers(g: &GlobalConfig, receivers: &mut [Receiver]) -> Result<(), ConfigError> {
    let mut names = HashSet::new();
    for rcv in receivers.iter_mut() {
        if rcv.name.is_empty() {
            return Err(invalid("missing name in receiver"));
        }
        if !names.insert(rcv.name.clone()) {
            return Err(invalid(format!("notification config name {:?} is not unique", rcv.name)));
        }
        for wh in &mut rcv.webhook_configs {
            wh.validate().map_err(invalid)?;
            wh.http_config.get_or_insert_with(|| g.http_config.clone().unwrap_or_default());
        }
        for ec in &mut rcv.email_configs {
            ec.validate().map_err(invalid)?;
            if ec.smarthost.is_empty() {
                if g.smtp_smarthost.is_empty() {
                    return Err(invalid("no global SMTP smarthost set"));
                }
                ec.smarthost = g.smtp_smarthost.clone();
            }
            if ec.from.is_empty() {
                if g.smtp_from.is_empty() {
                    return Err(invalid("no global SMTP from set"));
                }
                ec.from = g.smtp_from.clone();
            }
            if ec.hello.is_empty() {
                ec.hello = g.smtp_hello.clone();
            }
            if ec.auth_username.is_empty() {
                ec.auth_username = g.smtp_auth_username.clone();
            }
            if ec.auth_password.is_empty() && ec.auth_password_file.is_empty() {
                ec.auth_password = g.smtp_auth_password.clone();
                ec.auth_password_file = g.smtp_auth_password_file.clone();
            }
            if ec.auth_secret.is_empty() {
                ec.auth_secret = g.smtp_auth_secret.clone();
            }
            if ec.auth_identity.is_empty() {
                ec.auth_identity = g.smtp_auth_identity.clone();
            }
            ec.require_tls.get_or_insert(g.smtp_require_tls);
        }
        for sc in &mut rcv.slack_configs {
            sc.validate().map_err(invalid)?;
            sc.http_config.get_or_insert_with(|| g.http_config.clone().unwrap_or_default());
            if sc.api_url.is_none() && sc.api_url_file.is_empty() {
                if g.slack_api_url.is_none() && g.slack_api_url_file.is_empty() {
                    return Err(invalid("no global Slack API URL set either inline or in a file"));
                }
                sc.api_url = g.slack_api_url.clone();
                sc.api_url_file = g.slack_api_url_file.clone();
            }
        }
        for pd in &mut rcv.pagerduty_configs {
            pd.validate().map_err(invalid)?;
            pd.http_config.get_or_insert_with(|| g.http_config.clone().unwrap_or_default());
            if pd.url.is_none() {
                pd.url = Some(g.pagerduty_url.clone().ok_or_else(|| invalid("no global PagerDuty URL set"))?);
            }
        }
    }
    Ok(())
}

fn check_receivers(r: &RouteConfig, names: &HashSet<&str>) -> Result<(), ConfigError> {
    for child in &r.routes {
        check_receivers(child, names)?;
    }
    match &r.receiver {
        Some(name) if !names.contains(name.as_str()) => {
            Err(invalid(format!("undefined receiver {name:?} used in route")))
        }
        _ => Ok(()),
    }
}

fn check_time_intervals(r: &RouteConfig, names: &HashSet<&str>) -> Result<(), ConfigError> {
    for child in &r.routes {
        check_time_intervals(child, names)?;
    }
    match r.active_time_intervals.iter().chain(&r.mute_time_intervals).find(|n| !names.contains(n.as_str())) {
        Some(n) => Err(invalid(format!("undefined time interval {n:?} used in route"))),
        None => Ok(()),
    }
}

/// Expands template globs (`*`, `?` and `[...]` in any path element) to the files they match,
/// sorted per pattern, as Go's `filepath.Glob` does for Alertmanager's `templates`.
pub fn expand_template_globs(patterns: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in patterns {
        let path = Path::new(p);
        let mut current: Vec<PathBuf> = vec![if path.is_absolute() { PathBuf::from("/") } else { PathBuf::new() }];
        for comp in path.components() {
            let part = comp.as_os_str().to_string_lossy();
            if matches!(comp, std::path::Component::RootDir) {
                continue;
            }
            let mut next = Vec::new();
            for dir in &current {
                if !part.contains(['*', '?', '[']) {
                    next.push(dir.join(&*part));
                    continue;
                }
                let list = if dir.as_os_str().is_empty() { Path::new(".") } else { dir.as_path() };
                let Ok(entries) = std::fs::read_dir(list) else { continue };
                let mut names: Vec<String> =
                    entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                names.sort();
                next.extend(names.into_iter().filter(|n| glob_match(&part, n)).map(|n| dir.join(n)));
            }
            current = next;
        }
        out.extend(current.into_iter().filter(|p| p.exists()));
    }
    out
}

/// Shell-style match of one path element: `*`, `?`, `[abc]`, `[a-z]`, `[^a]`.
fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    fn rec(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| rec(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && rec(&p[1..], &n[1..]),
            Some('[') => {
                let Some(close) = p.iter().skip(1).position(|c| *c == ']').map(|i| i + 1) else {
                    return !n.is_empty() && n[0] == '[' && rec(&p[1..], &n[1..]);
                };
                let Some(&c) = n.first() else { return false };
                let class = &p[1..close];
                let (negate, class) = match class.first() {
                    Some('^') | Some('!') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negate && rec(&p[close + 1..], &n[1..])
            }
            Some(&c) => n.first() == Some(&c) && rec(&p[1..], &n[1..]),
        }
    }
    rec(&p, &n)
}
