//! `[[collect.scrape.targets]]`: one scraped endpoint, with the settings of a Prometheus
//! `scrape_config` that make sense for a single local target. Everything is checked while the
//! file is read (through `RawTarget` and `TryFrom`), so a bad URL, regex or combination of keys
//! fails at start-up with a message naming it, and unknown keys are errors.

use super::relabel::RelabelConfig;
use pharos_protocol::duration::parse_duration;
use pharos_protocol::model::is_valid_label_name;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// One scrape target.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawTarget")]
pub struct TargetConfig {
    /// The URL to scrape (`http` or `https`).
    pub url: reqwest::Url,
    /// The `job` label of its series.
    pub job: String,
    /// Time between scrapes. Default: the agent's interval.
    pub interval: Option<Duration>,
    /// Deadline of one scrape. Default: the interval, at most 10s.
    pub timeout: Option<Duration>,
    /// Extra target labels (an `instance` here replaces the computed one).
    pub labels: BTreeMap<String, String>,
    /// Whether scraped labels win over target labels (`true`) or are renamed `exported_<name>`.
    pub honor_labels: bool,
    /// Whether timestamps in the exposition are kept (`true`) or replaced by the scrape time.
    pub honor_timestamps: bool,
    /// HTTP basic authentication.
    pub basic_auth: Option<BasicAuth>,
    /// `Authorization: Bearer` credentials.
    pub bearer: Option<Secret>,
    /// TLS settings for `https` targets.
    pub tls: TlsConfig,
    /// Relabeling of every scraped sample.
    pub metric_relabel_configs: Vec<RelabelConfig>,
}

/// A secret given inline or as a file that is read again at every scrape (so it can be rotated).
#[derive(Clone)]
pub enum Secret {
    /// The value itself.
    Inline(String),
    /// A file holding it; surrounding whitespace is trimmed, as Prometheus does.
    File(PathBuf),
}

impl std::fmt::Debug for Secret {
    // Never print the secret itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Inline(_) => f.write_str("Inline(<secret>)"),
            Secret::File(p) => write!(f, "File({})", p.display()),
        }
    }
}

impl Secret {
    /// The current value.
    pub fn read(&self) -> std::io::Result<String> {
        match self {
            Secret::Inline(s) => Ok(s.clone()),
            Secret::File(p) => Ok(std::fs::read_to_string(p)?.trim().to_string()),
        }
    }

    fn from_parts(inline: Option<String>, file: Option<PathBuf>, what: &str) -> Result<Option<Secret>, String> {
        match (inline, file) {
            (Some(_), Some(_)) => Err(format!("at most one of {what} and {what}_file may be set")),
            (Some(s), None) => Ok(Some(Secret::Inline(s))),
            (None, Some(p)) => Ok(Some(Secret::File(p))),
            (None, None) => Ok(None),
        }
    }
}

/// `basic_auth = { username = "u", password = "p" }` (or `password_file`).
#[derive(Debug, Clone)]
pub struct BasicAuth {
    /// The user name.
    pub username: String,
    /// The password, if any.
    pub password: Option<Secret>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBasicAuth {
    username: String,
    password: Option<String>,
    password_file: Option<PathBuf>,
}

/// `tls = { ... }`: how an `https` target is verified and how we authenticate to it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsConfig {
    /// CA certificates (PEM) to trust. Default: the system's bundle.
    pub ca_file: Option<PathBuf>,
    /// Client certificate (PEM), with `key_file`.
    pub cert_file: Option<PathBuf>,
    /// Client private key (PEM), with `cert_file`.
    pub key_file: Option<PathBuf>,
    /// Name to verify the server's certificate against instead of the URL's host.
    pub server_name: Option<String>,
    /// Accept any server certificate (the handshake's signatures are still checked).
    pub insecure_skip_verify: bool,
}

/// The file's form of a target, before the checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    url: String,
    job: String,
    #[serde(default, deserialize_with = "opt_duration")]
    interval: Option<Duration>,
    #[serde(default, deserialize_with = "opt_duration")]
    timeout: Option<Duration>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    honor_labels: bool,
    #[serde(default = "yes")]
    honor_timestamps: bool,
    basic_auth: Option<RawBasicAuth>,
    bearer_token: Option<String>,
    bearer_token_file: Option<PathBuf>,
    #[serde(default)]
    tls: TlsConfig,
    #[serde(default)]
    metric_relabel_configs: Vec<RelabelConfig>,
}

fn yes() -> bool {
    true
}

fn opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let s = String::deserialize(d)?;
    parse_duration(&s).map(Some).map_err(serde::de::Error::custom)
}

impl TryFrom<RawTarget> for TargetConfig {
    type Error = String;

    fn try_from(r: RawTarget) -> Result<Self, String> {
        let url = reqwest::Url::parse(&r.url).map_err(|e| format!("invalid url {:?}: {e}", r.url))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("invalid url {:?}: the scheme must be http or https", r.url));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("invalid url {:?}: no host", r.url));
        }
        if r.job.is_empty() {
            return Err("job must not be empty".into());
        }
        for name in r.labels.keys() {
            if !is_valid_label_name(name) || name.starts_with("__") {
                return Err(format!("invalid target label name {name:?}"));
            }
        }
        for (what, d) in [("interval", r.interval), ("timeout", r.timeout)] {
            if d.is_some_and(|d| d < Duration::from_millis(100)) {
                return Err(format!("{what} must be at least 100ms"));
            }
        }
        if let (Some(i), Some(t)) = (r.interval, r.timeout) {
            if t > i {
                return Err(format!("timeout ({t:?}) must not exceed interval ({i:?})"));
            }
        }
        let basic_auth = match r.basic_auth {
            Some(b) => Some(BasicAuth {
                username: b.username,
                password: Secret::from_parts(b.password, b.password_file, "basic_auth.password")?,
            }),
            None => None,
        };
        let bearer = Secret::from_parts(r.bearer_token, r.bearer_token_file, "bearer_token")?;
        if basic_auth.is_some() && bearer.is_some() {
            return Err("at most one of basic_auth and bearer_token may be set".into());
        }
        if r.tls.cert_file.is_some() != r.tls.key_file.is_some() {
            return Err("tls.cert_file and tls.key_file must be set together".into());
        }
        Ok(TargetConfig {
            url,
            job: r.job,
            interval: r.interval,
            timeout: r.timeout,
            labels: r.labels,
            honor_labels: r.honor_labels,
            honor_timestamps: r.honor_timestamps,
            basic_auth,
            bearer,
            tls: r.tls,
            metric_relabel_configs: r.metric_relabel_configs,
        })
    }
}

impl TargetConfig {
    /// The URL's `host:port`, with the scheme's default port when the URL has none, as
    /// Prometheus' `__address__` (and so `instance`) has it.
    pub fn address(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        let port = self.url.port_or_known_default().unwrap_or(80);
        // host_str keeps an IPv6 address's brackets, which host:port needs.
        format!("{host}:{port}")
    }

    /// The `instance` label: an explicit one from `labels`, else the address with a loopback
    /// host replaced by the agent's name. Every host scrapes its own `localhost`, and those
    /// targets must not collide across the fleet.
    pub fn instance(&self, agent_name: &str) -> String {
        if let Some(i) = self.labels.get("instance") {
            return i.clone();
        }
        let port = self.url.port_or_known_default().unwrap_or(80);
        let host = self.url.host_str().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let loopback =
            bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if loopback {
            format!("{agent_name}:{port}")
        } else {
            self.address()
        }
    }
}
