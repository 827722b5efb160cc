//! Scalar types of `alertmanager.yml`: secrets, URLs, `host:port` addresses, durations, and
//! deserializers that read YAML scalars the way Go's yaml.v2 does for Alertmanager.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// What a secret prints as, in Debug output and in any dump of the configuration.
pub const SECRET_TOKEN: &str = "<secret>";

/// A string that must never be logged: `Debug` and `Display` print `<secret>`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself, for the code that has to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty (unset).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SECRET_TOKEN)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret(string(d)?))
    }
}

/// An `http://` or `https://` URL with a host, validated when the configuration loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Validates like Alertmanager's `parseURL`: scheme `http`/`https` and a non-empty host.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (scheme, rest) = match s.split_once(':') {
            Some((scheme, rest)) if is_scheme(scheme) => (scheme.to_ascii_lowercase(), rest),
            _ => return Err(format!("unsupported scheme \"\" for URL {s:?}")),
        };
        if scheme != "http" && scheme != "https" {
            return Err(format!("unsupported scheme {scheme:?} for URL"));
        }
        let authority = rest.strip_prefix("//").map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        let host = authority.map(|a| a.rsplit_once('@').map_or(a, |(_, h)| h)).unwrap_or("");
        if host.is_empty() {
            return Err("missing host for URL".to_string());
        }
        if s.chars().any(|c| c.is_ascii_control() || c == ' ') {
            return Err(format!("invalid character in URL {s:?}"));
        }
        Ok(HttpUrl(s.to_string()))
    }

    /// The URL as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL with a `/` appended to its path when missing (as Alertmanager does for API
    /// base URLs).
    pub fn with_trailing_slash(&self) -> String {
        if self.0.ends_with('/') {
            self.0.clone()
        } else {
            format!("{}/", self.0)
        }
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HttpUrl::parse(&string(d)?).map_err(serde::de::Error::custom)
    }
}

/// A URL holding a credential (Slack webhook URL): validated like [`HttpUrl`], printed as
/// `<secret>`. The literal `<secret>` is accepted, as upstream does for configs read back
/// from its API.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretUrl(String);

impl SecretUrl {
    /// Validates and wraps a URL.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s == SECRET_TOKEN {
            return Ok(SecretUrl(String::new()));
        }
        HttpUrl::parse(s).map(|u| SecretUrl(u.0))
    }

    /// The URL itself, for the code that has to call it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SECRET_TOKEN)
    }
}

impl<'de> Deserialize<'de> for SecretUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        SecretUrl::parse(&string(d)?).map_err(serde::de::Error::custom)
    }
}

/// A `host:port` address (SMTP smarthost). Empty means unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostPort {
    /// Host name or IP (without brackets).
    pub host: String,
    /// Port (name or number), never empty when the host is set.
    pub port: String,
}

impl HostPort {
    /// Splits like Go's `net.SplitHostPort` and requires a port; `""` gives the unset value.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Ok(HostPort::default());
        }
        let missing_port = || format!("address {s}: missing port in address");
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(|| format!("address {s}: missing ']' in address"))?;
            let port = after.strip_prefix(':').ok_or_else(missing_port)?;
            (host, port)
        } else {
            let (host, port) = s.rsplit_once(':').ok_or_else(missing_port)?;
            if host.contains(':') {
                return Err(format!("address {s}: too many colons in address"));
            }
            (host, port)
        };
        if host.contains(['[', ']']) || port.contains(['[', ']']) {
            return Err(format!("address {s}: unexpected bracket in address"));
        }
        if port.is_empty() {
            return Err(format!("address {s:?}: port cannot be empty"));
        }
        Ok(HostPort { host: host.to_string(), port: port.to_string() })
    }

    /// Whether no address is set.
    pub fn is_empty(&self) -> bool {
        self.host.is_empty() && self.port.is_empty()
    }
}

impl fmt::Display for HostPort {
    /// `host:port`, or nothing when unset (IPv6 hosts are printed without brackets, as upstream).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return Ok(());
        }
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl<'de> Deserialize<'de> for HostPort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        HostPort::parse(&string(d)?).map_err(serde::de::Error::custom)
    }
}

/// Whether `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`).
pub fn is_valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads any YAML scalar as its text and null as `""` (yaml.v2 fills Go strings this way).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Reads a boolean, also in YAML 1.1 spellings (`yes`, `on`, `off`...) as yaml.v2 does; null is
/// `false`.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    // Any scalar arrives as its text, so one string match covers all spellings.
    let Some(s) = Option::<String>::deserialize(d)? else { return Ok(false) };
    match s.as_str() {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => Ok(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => Ok(false),
        _ => Err(serde::de::Error::custom(format!("cannot unmarshal {s:?} into bool"))),
    }
}

/// Like [`bool`] for an optional field: null or absent is `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    bool(d).map(Some)
}

/// Reads a Prometheus duration (`30s`, `1h30m`, `0`); null is `None`.
pub fn opt_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => pharos_protocol::duration::parse_duration(&s)
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("not a valid duration string: {s:?}"))),
    }
}

/// Reads a list of strings; null is an empty list.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct S(#[serde(deserialize_with = "string")] String);
    Ok(Option::<Vec<S>>::deserialize(d)?.unwrap_or_default().into_iter().map(|s| s.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_host_ports() {
        assert!(HttpUrl::parse("http://localhost:9093/x").is_ok());
        assert!(HttpUrl::parse("https://user:pw@example.org").is_ok());
        assert!(HttpUrl::parse("ftp://example.org").is_err());
        assert!(HttpUrl::parse("http://").is_err());
        assert!(HttpUrl::parse("example.org/path").is_err());
        assert!(HttpUrl::parse("http:example.org").is_err());
        assert_eq!(HostPort::parse("localhost:25").unwrap().to_string(), "localhost:25");
        assert_eq!(HostPort::parse("[::1]:25").unwrap().host, "::1");
        assert!(HostPort::parse("localhost").is_err());
        assert!(HostPort::parse("localhost:").is_err());
        assert!(HostPort::parse("::1:25").is_err());
        assert!(HostPort::parse("").unwrap().is_empty());
    }

    #[test]
    fn secrets_do_not_leak_through_debug() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "<secret>");
        assert_eq!(s.expose(), "hunter2");
        let u = SecretUrl::parse("https://hooks.slack.com/services/T/B/X").unwrap();
        assert!(!format!("{u:?}").contains("hooks"));
    }

    #[test]
    fn label_names() {
        assert!(is_valid_label_name("_a1"));
        assert!(!is_valid_label_name("1a"));
        assert!(!is_valid_label_name("a-b"));
        assert!(!is_valid_label_name("a:b"));
        assert!(!is_valid_label_name(""));
    }
}
