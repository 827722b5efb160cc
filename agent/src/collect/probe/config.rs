//! `[[collect.probe.targets]]`: one table per probe, blackbox_exporter's module settings flattened
//! into it (same key names), checked when the file is read: unknown keys, keys of another
//! prober, bad regexes, rcodes or query types are errors that name the target.

use pharos_protocol::duration::parse_duration;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Timeout of a probe without `timeout`, blackbox's usual module timeout (capped at the interval).
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// `[collect.probe]` settings: the probes to run.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(try_from = "RawProbeConfig")]
pub struct ProbeConfig {
    /// The probes, in file order.
    pub targets: Vec<ProbeTarget>,
}

/// One probe, validated.
#[derive(Debug, Clone)]
pub struct ProbeTarget {
    /// Unique name; the source is `probe/<name>`.
    pub name: String,
    /// What to probe: a URL (http), `host:port` (tcp), a host (icmp), the query name (dns).
    pub target: String,
    /// Time between probes (default: the agent's interval).
    pub interval: Option<Duration>,
    /// Deadline of one probe (default 5s, at most the interval).
    pub timeout: Option<Duration>,
    /// `job` label. Default `blackbox`.
    pub job: String,
    /// Address family choice.
    pub ip: IpProtocol,
    /// Local address to send from (tcp, icmp, dns: blackbox's `source_ip_address`).
    pub source_ip_address: Option<std::net::IpAddr>,
    /// The prober and its settings.
    pub kind: ProbeKind,
}

/// blackbox's `preferred_ip_protocol` and `ip_protocol_fallback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpProtocol {
    /// 4 or 6. Default 6, as in blackbox.
    pub preferred: u8,
    /// Use the other family when the preferred one has no address. Default true.
    pub fallback: bool,
}

/// The prober of a target.
#[derive(Debug, Clone)]
pub enum ProbeKind {
    /// HTTP(S) request.
    Http(Arc<HttpSettings>),
    /// TCP connection, optionally TLS, with an optional dialogue.
    Tcp(Arc<TcpSettings>),
    /// ICMP echo.
    Icmp(Arc<IcmpSettings>),
    /// DNS query.
    Dns(Arc<DnsSettings>),
}

/// TLS settings (blackbox's `tls_config`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsSettings {
    /// CA certificates (PEM) to trust instead of the system's.
    pub ca_file: Option<PathBuf>,
    /// Client certificate (PEM).
    pub cert_file: Option<PathBuf>,
    /// Client key (PEM).
    pub key_file: Option<PathBuf>,
    /// Name to send (SNI) and verify instead of the target's host.
    pub server_name: Option<String>,
    /// Accept any certificate.
    pub insecure_skip_verify: bool,
    /// Lowest TLS version accepted: `TLS12` or `TLS13` (rustls speaks nothing older, and Go's
    /// default is TLS 1.2 too).
    pub min_version: Option<String>,
}

/// One of `fail_if_header_matches` / `fail_if_header_not_matches`.
#[derive(Debug, Clone)]
pub struct HeaderMatch {
    /// Header name (any case).
    pub header: String,
    /// Regex each value is matched against.
    pub regexp: Regex,
    /// A missing header passes instead of failing.
    pub allow_missing: bool,
}

/// The `Authorization` an http probe sends (unless `headers` sets one), as Prometheus'
/// `basic_auth`, `bearer_token(_file)` and `authorization`.
#[derive(Debug, Clone)]
pub enum HttpAuth {
    /// `basic_auth`: the password from `password` or read from `password_file` on every probe.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
        /// File holding the password (whitespace trimmed).
        password_file: Option<PathBuf>,
    },
    /// `bearer_token(_file)` or `authorization`: `<scheme> <credentials>`.
    Credentials {
        /// Scheme, `Bearer` by default.
        scheme: String,
        /// Credentials.
        credentials: String,
        /// File holding the credentials (whitespace trimmed), read on every probe.
        credentials_file: Option<PathBuf>,
    },
}

/// Settings of the http prober.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Request method. Default GET.
    pub method: String,
    /// Request headers (a `Host` header sets the request's host).
    pub headers: BTreeMap<String, String>,
    /// Request body.
    pub body: Option<String>,
    /// Accepted status codes; empty: any 2xx.
    pub valid_status_codes: Vec<u16>,
    /// Accepted versions (`HTTP/1.1`); empty: any.
    pub valid_http_versions: Vec<String>,
    /// Fail if the body matches any of these.
    pub fail_if_body_matches_regexp: Vec<regex::bytes::Regex>,
    /// Fail unless the body matches all of these.
    pub fail_if_body_not_matches_regexp: Vec<regex::bytes::Regex>,
    /// Fail if a response header matches.
    pub fail_if_header_matches: Vec<HeaderMatch>,
    /// Fail unless a response header matches.
    pub fail_if_header_not_matches: Vec<HeaderMatch>,
    /// Report redirects instead of following them (`follow_redirects = false`).
    pub no_follow_redirects: bool,
    /// Offer HTTP/2 (ALPN `h2`) on TLS connections. Default true, as in blackbox 0.23.
    pub enable_http2: bool,
    /// Most bytes of body read; a longer body fails the probe. 0: no limit.
    pub body_size_limit: u64,
    /// Credentials sent with every request.
    pub auth: Option<HttpAuth>,
    /// Fail if the final response came over TLS.
    pub fail_if_ssl: bool,
    /// Fail unless the final response came over TLS.
    pub fail_if_not_ssl: bool,
    /// TLS settings.
    pub tls: TlsSettings,
}

/// Settings of the tcp prober.
#[derive(Debug, Clone, Default)]
pub struct TcpSettings {
    /// Whether to do TLS right after connecting.
    pub tls: bool,
    /// TLS settings (for `tls` and `starttls`).
    pub tls_config: TlsSettings,
    /// The dialogue, in order.
    pub query_response: Vec<QueryResponse>,
}

/// One step of a tcp dialogue: as in blackbox, first wait for a line matching `expect` (if
/// any), then send `send` (with `$1`/`${name}` expanded from the match) plus a newline, then
/// upgrade to TLS if `starttls`.
#[derive(Debug, Clone)]
pub struct QueryResponse {
    /// Regex a received line must match.
    pub expect: Option<Regex>,
    /// Line to send.
    pub send: String,
    /// Upgrade the connection to TLS after this step.
    pub starttls: bool,
}

/// Settings of the icmp prober.
#[derive(Debug, Clone, Default)]
pub struct IcmpSettings {
    /// Echo payload length; 0: blackbox's 28-byte text.
    pub payload_size: usize,
    /// TTL / hop limit of the request; 0: the system's.
    pub ttl: u8,
    /// Set the IPv4 DF bit (also on unprivileged sockets, unlike blackbox, which needs a raw one).
    pub dont_fragment: bool,
}

/// Settings of the dns prober.
#[derive(Debug, Clone)]
pub struct DnsSettings {
    /// `host:port` or host of the server. Default: the first `nameserver` of /etc/resolv.conf.
    pub server: Option<String>,
    /// DNS over TLS (needs `transport = "tcp"`; port 853 by default).
    pub dns_over_tls: bool,
    /// TLS settings for `dns_over_tls`.
    pub tls: TlsSettings,
    /// Query type code.
    pub query_type: u16,
    /// Query class code (default IN).
    pub query_class: u16,
    /// `udp` or `tcp`.
    pub tcp: bool,
    /// Set the RD bit. Default true.
    pub recursion_desired: bool,
    /// Accepted rcodes. Default NOERROR.
    pub valid_rcodes: Vec<u16>,
    /// Checks on the answer section.
    pub validate_answer_rrs: RrValidator,
    /// Checks on the authority section.
    pub validate_authority_rrs: RrValidator,
    /// Checks on the additional section.
    pub validate_additional_rrs: RrValidator,
}

/// blackbox's `DNSRRValidator`: regexes on the text form of each record.
#[derive(Debug, Clone, Default)]
pub struct RrValidator {
    /// Fail if any record matches any of these.
    pub fail_if_matches_regexp: Vec<Regex>,
    /// Fail if all records match one of these.
    pub fail_if_all_match_regexp: Vec<Regex>,
    /// Fail if any record does not match one of these (or there are none).
    pub fail_if_not_matches_regexp: Vec<Regex>,
    /// Fail if no record matches one of these (or there are none).
    pub fail_if_none_matches_regexp: Vec<Regex>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawProbeConfig {
    targets: Vec<RawTarget>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: String,
    prober: String,
    target: String,
    interval: Option<String>,
    timeout: Option<String>,
    job: Option<String>,
    preferred_ip_protocol: Option<String>,
    ip_protocol_fallback: Option<bool>,
    source_ip_address: Option<String>,
    tls: Option<toml::Value>,
    tls_config: Option<toml::Value>,
    // http
    method: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    body: Option<String>,
    valid_status_codes: Option<Vec<u16>>,
    valid_http_versions: Option<Vec<String>>,
    fail_if_body_matches_regexp: Option<Vec<String>>,
    fail_if_body_not_matches_regexp: Option<Vec<String>>,
    fail_if_header_matches: Option<Vec<RawHeaderMatch>>,
    fail_if_header_not_matches: Option<Vec<RawHeaderMatch>>,
    no_follow_redirects: Option<bool>,
    follow_redirects: Option<bool>,
    enable_http2: Option<bool>,
    body_size_limit: Option<toml::Value>,
    fail_if_ssl: Option<bool>,
    fail_if_not_ssl: Option<bool>,
    basic_auth: Option<RawBasicAuth>,
    bearer_token: Option<String>,
    bearer_token_file: Option<PathBuf>,
    authorization: Option<RawAuthorization>,
    // tcp
    query_response: Option<Vec<RawQueryResponse>>,
    // icmp
    payload_size: Option<usize>,
    ttl: Option<i64>,
    dont_fragment: Option<bool>,
    // dns
    server: Option<String>,
    query_type: Option<String>,
    query_class: Option<String>,
    #[serde(alias = "transport_protocol")]
    transport: Option<String>,
    dns_over_tls: Option<bool>,
    recursion_desired: Option<bool>,
    valid_rcodes: Option<Vec<String>>,
    validate_answer_rrs: Option<RawRrValidator>,
    validate_authority_rrs: Option<RawRrValidator>,
    validate_additional_rrs: Option<RawRrValidator>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawQueryResponse {
    send: String,
    expect: Option<String>,
    starttls: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeaderMatch {
    header: String,
    regexp: String,
    #[serde(default)]
    allow_missing: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawBasicAuth {
    username: String,
    password: Option<String>,
    password_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawAuthorization {
    #[serde(rename = "type")]
    scheme: Option<String>,
    credentials: Option<String>,
    credentials_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawRrValidator {
    fail_if_matches_regexp: Vec<String>,
    fail_if_all_match_regexp: Vec<String>,
    fail_if_not_matches_regexp: Vec<String>,
    fail_if_none_matches_regexp: Vec<String>,
}

/// Why a `[[collect.probe.targets]]` entry is invalid.
#[derive(Debug, thiserror::Error)]
#[error("collect.probe.targets[{index}] ({name}): {message}")]
pub struct ProbeConfigError {
    index: usize,
    name: String,
    message: String,
}

impl TryFrom<RawProbeConfig> for ProbeConfig {
    type Error = ProbeConfigError;

    fn try_from(raw: RawProbeConfig) -> Result<Self, Self::Error> {
        let mut targets = Vec::with_capacity(raw.targets.len());
        for (index, t) in raw.targets.into_iter().enumerate() {
            let name = t.name.clone();
            let err = |message: String| ProbeConfigError { index, name: name.clone(), message };
            if targets.iter().any(|p: &ProbeTarget| p.name == t.name) {
                return Err(err("duplicate name".into()));
            }
            targets.push(build(t).map_err(err)?);
        }
        Ok(ProbeConfig { targets })
    }
}

fn duration(key: &str, v: Option<String>) -> Result<Option<Duration>, String> {
    v.map(|s| parse_duration(&s).map_err(|e| format!("{key}: {e}"))).transpose()
}

fn regexes(key: &str, v: Vec<String>) -> Result<Vec<Regex>, String> {
    v.iter().map(|s| pharos_goregex::compile(s).map_err(|e| format!("{key}: bad regex {s:?}: {e}"))).collect()
}

fn byte_regexes(key: &str, v: Option<Vec<String>>) -> Result<Vec<regex::bytes::Regex>, String> {
    v.unwrap_or_default()
        .iter()
        .map(|s| pharos_goregex::compile_bytes(s).map_err(|e| format!("{key}: bad regex {s:?}: {e}")))
        .collect()
}

fn tls_table(key: &str, v: toml::Value) -> Result<TlsSettings, String> {
    if !v.is_table() {
        return Err(format!("{key}: must be a table"));
    }
    let t = TlsSettings::deserialize(v).map_err(|e| format!("{key}: {e}"))?;
    match t.min_version.as_deref() {
        None | Some("TLS12") | Some("TLS13") => {}
        Some(v @ ("TLS10" | "TLS11")) => {
            return Err(format!("{key}.min_version: {v} is not supported (only TLS 1.2 and 1.3 are)"))
        }
        Some(v) => return Err(format!("{key}.min_version: {v:?} is not one of TLS12, TLS13")),
    }
    if t.cert_file.is_some() != t.key_file.is_some() {
        return Err(format!("{key}: cert_file and key_file go together"));
    }
    Ok(t)
}

/// The TLS settings of a prober whose `tls` key (if any) is a table: `tls` or blackbox's
/// `tls_config`, not both.
fn tls_settings(tls: Option<toml::Value>, tls_config: Option<toml::Value>) -> Result<TlsSettings, String> {
    match (tls, tls_config) {
        (Some(_), Some(_)) => Err("tls and tls_config: set one of them".into()),
        (Some(v), None) => tls_table("tls", v),
        (None, Some(v)) => tls_table("tls_config", v),
        (None, None) => Ok(TlsSettings::default()),
    }
}

/// blackbox's `body_size_limit` (alecthomas/units base-2 bytes): an integer, or a number with
/// `B`, `KB`/`KiB`, `MB`/`MiB`, `GB`/`GiB` or `TB`/`TiB` (all powers of 1024).
fn byte_size(v: toml::Value) -> Result<u64, String> {
    let s = match v {
        toml::Value::Integer(n) => return u64::try_from(n).map_err(|_| "body_size_limit: must not be negative".into()),
        toml::Value::String(s) => s,
        _ => return Err("body_size_limit: must be an integer or a size such as \"10MB\"".into()),
    };
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("body_size_limit: {s:?} is not a size"))?;
    let shift = match unit {
        "" | "B" => 0,
        "KB" | "KiB" => 10,
        "MB" | "MiB" => 20,
        "GB" | "GiB" => 30,
        "TB" | "TiB" => 40,
        _ => return Err(format!("body_size_limit: unknown unit in {s:?}")),
    };
    n.checked_mul(1 << shift).ok_or_else(|| format!("body_size_limit: {s:?} is too large"))
}

fn header_matches(key: &str, v: Option<Vec<RawHeaderMatch>>) -> Result<Vec<HeaderMatch>, String> {
    v.unwrap_or_default()
        .into_iter()
        .map(|m| {
            if m.header.is_empty() || hyper::header::HeaderName::from_bytes(m.header.as_bytes()).is_err() {
                return Err(format!("{key}: {:?} is not a header name", m.header));
            }
            if m.regexp.is_empty() {
                return Err(format!("{key}: regexp must be set"));
            }
            let regexp =
                pharos_goregex::compile(&m.regexp).map_err(|e| format!("{key}: bad regex {:?}: {e}", m.regexp))?;
            Ok(HeaderMatch { header: m.header, regexp, allow_missing: m.allow_missing })
        })
        .collect()
}

/// Prometheus' rules: at most one of basic_auth, bearer_token(_file) and authorization; a secret
/// and its file not both.
fn http_auth(
    basic: Option<RawBasicAuth>,
    bearer_token: Option<String>,
    bearer_token_file: Option<PathBuf>,
    authorization: Option<RawAuthorization>,
) -> Result<Option<HttpAuth>, String> {
    let bearer = bearer_token.is_some() || bearer_token_file.is_some();
    if [basic.is_some(), bearer, authorization.is_some()].iter().filter(|b| **b).count() > 1 {
        return Err("at most one of basic_auth, bearer_token(_file) and authorization can be set".into());
    }
    if let Some(b) = basic {
        if b.password.is_some() && b.password_file.is_some() {
            return Err("basic_auth: at most one of password and password_file can be set".into());
        }
        return Ok(Some(HttpAuth::Basic {
            username: b.username,
            password: b.password.unwrap_or_default(),
            password_file: b.password_file,
        }));
    }
    if bearer {
        if bearer_token.is_some() && bearer_token_file.is_some() {
            return Err("at most one of bearer_token and bearer_token_file can be set".into());
        }
        return Ok(Some(HttpAuth::Credentials {
            scheme: "Bearer".into(),
            credentials: bearer_token.unwrap_or_default(),
            credentials_file: bearer_token_file,
        }));
    }
    if let Some(a) = authorization {
        if a.credentials.is_some() && a.credentials_file.is_some() {
            return Err("authorization: at most one of credentials and credentials_file can be set".into());
        }
        let scheme =
            a.scheme.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| "Bearer".into());
        if scheme.eq_ignore_ascii_case("basic") {
            return Err("authorization: type cannot be Basic, use basic_auth".into());
        }
        return Ok(Some(HttpAuth::Credentials {
            scheme,
            credentials: a.credentials.unwrap_or_default(),
            credentials_file: a.credentials_file,
        }));
    }
    Ok(None)
}

fn build(t: RawTarget) -> Result<ProbeTarget, String> {
    if t.name.is_empty() || t.target.is_empty() {
        return Err("name and target must not be empty".into());
    }
    let interval = duration("interval", t.interval.clone())?;
    let timeout = duration("timeout", t.timeout.clone())?;
    if interval.is_some_and(|i| i < Duration::from_millis(100)) {
        return Err("interval must be at least 100ms".into());
    }
    if timeout.is_some_and(|d| d.is_zero()) {
        return Err("timeout must not be zero".into());
    }
    if let (Some(i), Some(d)) = (interval, timeout) {
        if d > i {
            return Err("timeout must not exceed interval".into());
        }
    }
    let ip = IpProtocol {
        preferred: match t.preferred_ip_protocol.as_deref() {
            None | Some("ip6") => 6,
            Some("ip4") => 4,
            Some(other) => return Err(format!("preferred_ip_protocol: {other:?} is neither ip4 nor ip6")),
        },
        fallback: t.ip_protocol_fallback.unwrap_or(true),
    };
    let http_keys = [
        ("method", t.method.is_some()),
        ("headers", t.headers.is_some()),
        ("body", t.body.is_some()),
        ("valid_status_codes", t.valid_status_codes.is_some()),
        ("valid_http_versions", t.valid_http_versions.is_some()),
        ("fail_if_body_matches_regexp", t.fail_if_body_matches_regexp.is_some()),
        ("fail_if_body_not_matches_regexp", t.fail_if_body_not_matches_regexp.is_some()),
        ("fail_if_header_matches", t.fail_if_header_matches.is_some()),
        ("fail_if_header_not_matches", t.fail_if_header_not_matches.is_some()),
        ("no_follow_redirects", t.no_follow_redirects.is_some()),
        ("follow_redirects", t.follow_redirects.is_some()),
        ("enable_http2", t.enable_http2.is_some()),
        ("body_size_limit", t.body_size_limit.is_some()),
        ("fail_if_ssl", t.fail_if_ssl.is_some()),
        ("fail_if_not_ssl", t.fail_if_not_ssl.is_some()),
        ("basic_auth", t.basic_auth.is_some()),
        ("bearer_token", t.bearer_token.is_some()),
        ("bearer_token_file", t.bearer_token_file.is_some()),
        ("authorization", t.authorization.is_some()),
    ];
    let tcp_keys = [("query_response", t.query_response.is_some())];
    let icmp_keys = [
        ("payload_size", t.payload_size.is_some()),
        ("ttl", t.ttl.is_some()),
        ("dont_fragment", t.dont_fragment.is_some()),
    ];
    let source_key = [("source_ip_address", t.source_ip_address.is_some())];
    let dns_keys = [
        ("server", t.server.is_some()),
        ("query_type", t.query_type.is_some()),
        ("query_class", t.query_class.is_some()),
        ("transport", t.transport.is_some()),
        ("dns_over_tls", t.dns_over_tls.is_some()),
        ("recursion_desired", t.recursion_desired.is_some()),
        ("valid_rcodes", t.valid_rcodes.is_some()),
        ("validate_answer_rrs", t.validate_answer_rrs.is_some()),
        ("validate_authority_rrs", t.validate_authority_rrs.is_some()),
        ("validate_additional_rrs", t.validate_additional_rrs.is_some()),
    ];
    let tls_key = [("tls", t.tls.is_some()), ("tls_config", t.tls_config.is_some())];
    // Keys of the other probers: set by mistake, they would be silently ignored.
    let others: Vec<&[(&str, bool)]> = match t.prober.as_str() {
        "http" => vec![&tcp_keys, &dns_keys, &icmp_keys, &source_key],
        "tcp" => vec![&http_keys, &dns_keys, &icmp_keys],
        "icmp" => vec![&http_keys, &tcp_keys, &dns_keys, &tls_key],
        "dns" => vec![&http_keys, &tcp_keys, &icmp_keys],
        other => return Err(format!("prober: {other:?} is not one of http, tcp, icmp, dns")),
    };
    for group in others {
        if let Some((key, _)) = group.iter().find(|(_, set)| *set) {
            return Err(format!("{key} does not apply to the {} prober", t.prober));
        }
    }
    let kind = match t.prober.as_str() {
        "http" => {
            let tls = tls_settings(t.tls, t.tls_config)?;
            let no_follow_redirects = match (t.no_follow_redirects, t.follow_redirects) {
                (Some(_), Some(_)) => {
                    return Err("no_follow_redirects and follow_redirects: set one of them".into());
                }
                (Some(no), None) => no,
                (None, Some(follow)) => !follow,
                (None, None) => false,
            };
            if !t.target.starts_with("http://") && !t.target.starts_with("https://") && t.target.contains("://") {
                return Err("target: only http:// and https:// URLs can be probed".into());
            }
            let headers = t.headers.unwrap_or_default();
            for (k, v) in &headers {
                if hyper::header::HeaderName::from_bytes(k.as_bytes()).is_err()
                    || hyper::header::HeaderValue::from_str(v).is_err()
                {
                    return Err(format!("headers: {k:?} = {v:?} is not a valid HTTP header"));
                }
            }
            let method = t.method.unwrap_or_else(|| "GET".into());
            if hyper::Method::from_bytes(method.as_bytes()).is_err() {
                return Err(format!("method: {method:?} is not a valid HTTP method"));
            }
            ProbeKind::Http(Arc::new(HttpSettings {
                method,
                headers,
                body: t.body,
                valid_status_codes: t.valid_status_codes.unwrap_or_default(),
                valid_http_versions: t.valid_http_versions.unwrap_or_default(),
                fail_if_body_matches_regexp: byte_regexes(
                    "fail_if_body_matches_regexp",
                    t.fail_if_body_matches_regexp,
                )?,
                fail_if_body_not_matches_regexp: byte_regexes(
                    "fail_if_body_not_matches_regexp",
                    t.fail_if_body_not_matches_regexp,
                )?,
                fail_if_header_matches: header_matches("fail_if_header_matches", t.fail_if_header_matches)?,
                fail_if_header_not_matches: header_matches("fail_if_header_not_matches", t.fail_if_header_not_matches)?,
                no_follow_redirects,
                enable_http2: t.enable_http2.unwrap_or(true),
                body_size_limit: t.body_size_limit.map(byte_size).transpose()?.unwrap_or(0),
                auth: http_auth(t.basic_auth, t.bearer_token, t.bearer_token_file, t.authorization)?,
                fail_if_ssl: t.fail_if_ssl.unwrap_or(false),
                fail_if_not_ssl: t.fail_if_not_ssl.unwrap_or(false),
                tls,
            }))
        }
        "tcp" => {
            // As blackbox: `tls` (bool) and `tls_config` (also used by `starttls`); `tls` as a
            // table is short for TLS with these settings.
            let (tls, tls_config) = match (t.tls, t.tls_config) {
                (None, None) => (false, TlsSettings::default()),
                (Some(toml::Value::Boolean(b)), cfg) => {
                    (b, cfg.map(|v| tls_table("tls_config", v)).transpose()?.unwrap_or_default())
                }
                (None, Some(v)) => (false, tls_table("tls_config", v)?),
                (Some(v @ toml::Value::Table(_)), None) => (true, tls_table("tls", v)?),
                (Some(toml::Value::Table(_)), Some(_)) => {
                    return Err("tls (as a table) and tls_config: set one of them".into());
                }
                (Some(_), _) => return Err("tls: must be true, false or a table".into()),
            };
            if crate::collect::probe::split_host_port(&t.target).is_none() {
                return Err("target: the tcp prober needs host:port".into());
            }
            let mut query_response = Vec::new();
            for (i, q) in t.query_response.unwrap_or_default().into_iter().enumerate() {
                let expect = q
                    .expect
                    .map(|s| {
                        pharos_goregex::compile(&s)
                            .map_err(|e| format!("query_response[{i}].expect: bad regex {s:?}: {e}"))
                    })
                    .transpose()?;
                query_response.push(QueryResponse { expect, send: q.send, starttls: q.starttls });
            }
            ProbeKind::Tcp(Arc::new(TcpSettings { tls, tls_config, query_response }))
        }
        "icmp" => {
            let ttl = match t.ttl {
                None => 0,
                Some(v) => u8::try_from(v).map_err(|_| format!("ttl: {v} is not in 0..=255"))?,
            };
            ProbeKind::Icmp(Arc::new(IcmpSettings {
                payload_size: t.payload_size.unwrap_or(0),
                ttl,
                dont_fragment: t.dont_fragment.unwrap_or(false),
            }))
        }
        _ => {
            let query_type = match t.query_type.as_deref() {
                None => crate::collect::probe::dnsmsg::TYPE_ANY,
                Some(s) => crate::collect::probe::dnsmsg::type_code(s)
                    .ok_or_else(|| format!("query_type: unknown type {s:?}"))?,
            };
            let query_class = match t.query_class.as_deref() {
                None => 1,
                Some(s) => crate::collect::probe::dnsmsg::class_code(s)
                    .ok_or_else(|| format!("query_class: unknown class {s:?}"))?,
            };
            let tcp = match t.transport.as_deref() {
                None | Some("udp") => false,
                Some("tcp") => true,
                Some(other) => return Err(format!("transport: {other:?} is neither udp nor tcp")),
            };
            let valid_rcodes = match t.valid_rcodes {
                None => vec![0],
                Some(v) => v
                    .iter()
                    .map(|s| {
                        crate::collect::probe::dnsmsg::rcode_code(s)
                            .ok_or_else(|| format!("valid_rcodes: unknown rcode {s:?}"))
                    })
                    .collect::<Result<_, _>>()?,
            };
            let rr = |key: &str, v: Option<RawRrValidator>| -> Result<RrValidator, String> {
                let v = v.unwrap_or_default();
                Ok(RrValidator {
                    fail_if_matches_regexp: regexes(
                        &format!("{key}.fail_if_matches_regexp"),
                        v.fail_if_matches_regexp,
                    )?,
                    fail_if_all_match_regexp: regexes(
                        &format!("{key}.fail_if_all_match_regexp"),
                        v.fail_if_all_match_regexp,
                    )?,
                    fail_if_not_matches_regexp: regexes(
                        &format!("{key}.fail_if_not_matches_regexp"),
                        v.fail_if_not_matches_regexp,
                    )?,
                    fail_if_none_matches_regexp: regexes(
                        &format!("{key}.fail_if_none_matches_regexp"),
                        v.fail_if_none_matches_regexp,
                    )?,
                })
            };
            let dns_over_tls = t.dns_over_tls.unwrap_or(false);
            if dns_over_tls && !tcp {
                return Err("dns_over_tls needs transport = \"tcp\"".into());
            }
            ProbeKind::Dns(Arc::new(DnsSettings {
                server: t.server,
                dns_over_tls,
                tls: tls_settings(t.tls, t.tls_config)?,
                query_type,
                query_class,
                tcp,
                recursion_desired: t.recursion_desired.unwrap_or(true),
                valid_rcodes,
                validate_answer_rrs: rr("validate_answer_rrs", t.validate_answer_rrs)?,
                validate_authority_rrs: rr("validate_authority_rrs", t.validate_authority_rrs)?,
                validate_additional_rrs: rr("validate_additional_rrs", t.validate_additional_rrs)?,
            }))
        }
    };
    let source_ip_address = t
        .source_ip_address
        .as_deref()
        .map(|s| s.parse().map_err(|_| format!("source_ip_address: {s:?} is not an IP address")))
        .transpose()?;
    Ok(ProbeTarget {
        source_ip_address,
        name: t.name,
        target: t.target,
        interval,
        timeout,
        job: t.job.unwrap_or_else(|| "blackbox".into()),
        ip,
        kind,
    })
}
