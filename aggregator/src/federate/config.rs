//! `[[remote_write]]` sections: Prometheus' `remote_write` settings in the aggregator's TOML file.
//!
//! ```toml
//! [[remote_write]]
//! url = "http://victoria:8428/api/v1/write"
//! name = "victoria"                  # names the disk queue and the metrics' remote_name
//! remote_timeout = "30s"
//! headers = { "X-Scope-OrgID" = "team-a" }
//! bearer_token = "..."               # or bearer_token_file, or [remote_write.basic_auth]
//! [remote_write.tls_config]
//! ca_file = "/etc/ssl/victoria-ca.pem"
//! insecure_skip_verify = false
//! [remote_write.queue_config]
//! max_shards = 4
//! [[remote_write.write_relabel_configs]]
//! source_labels = ["__name__"]
//! regex = "go_.*"
//! action = "drop"
//! ```
//!
//! Defaults are Prometheus 2.42's, except where Pharos' queue differs (see [`QueueConfig`]).

use pharos_protocol::duration::serde_str;
use pharos_protocol::relabel::RelabelConfig;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// One remote-write endpoint.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteWriteConfig {
    /// Where the requests go (`http://` or `https://`).
    pub url: String,
    /// Name of the endpoint in metrics and of its queue directory; default: derived from the URL.
    #[serde(default)]
    pub name: Option<String>,
    /// Timeout of one request. Default `30s`.
    #[serde(default = "default_remote_timeout", with = "serde_str")]
    pub remote_timeout: Duration,
    /// Extra headers sent with every request.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Relabeling applied to every series before it is queued; `drop` keeps it from the endpoint.
    #[serde(default)]
    pub write_relabel_configs: Vec<RelabelConfig>,
    /// HTTP basic authentication.
    #[serde(default)]
    pub basic_auth: Option<BasicAuth>,
    /// `Authorization: Bearer <token>`.
    #[serde(default)]
    pub bearer_token: Option<String>,
    /// A file holding the bearer token, read at each request (so a rotated token is picked up).
    #[serde(default)]
    pub bearer_token_file: Option<PathBuf>,
    /// TLS settings for `https://` URLs.
    #[serde(default)]
    pub tls_config: TlsConfig,
    /// The queue and its senders.
    #[serde(default)]
    pub queue_config: QueueConfig,
}

fn default_remote_timeout() -> Duration {
    Duration::from_secs(30)
}

/// HTTP basic authentication.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    /// User name.
    pub username: String,
    /// Password.
    #[serde(default)]
    pub password: Option<String>,
    /// A file holding the password, read at each request.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
}

/// TLS settings of the client.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// CA certificates (PEM) to trust instead of the system's.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Accept any server certificate (the handshake's signatures are still checked).
    #[serde(default)]
    pub insecure_skip_verify: bool,
}

/// The disk queue and the shards that send from it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueConfig {
    /// Samples read ahead of the senders per shard (in memory). Default 2500.
    pub capacity: usize,
    /// Shards: concurrent senders, each owning a fixed subset of the series (by label hash), so
    /// each series is sent in order. Pharos runs `max_shards` shards all the time (no dynamic
    /// resharding). Default 4 (Prometheus: 200, as an upper bound of its resharding).
    pub max_shards: usize,
    /// Accepted for compatibility with Prometheus' configuration; must not exceed `max_shards`.
    pub min_shards: usize,
    /// Most samples in one request. Default 500.
    pub max_samples_per_send: usize,
    /// How long a shard waits for a request to fill before sending it anyway. Default `5s`.
    #[serde(with = "serde_str")]
    pub batch_send_deadline: Duration,
    /// First wait before a retry, doubled at each retry up to `max_backoff`. Default `30ms`.
    #[serde(with = "serde_str")]
    pub min_backoff: Duration,
    /// Longest wait between retries. Default `5s`.
    #[serde(with = "serde_str")]
    pub max_backoff: Duration,
    /// Retry on `429 Too Many Requests` (else such a request is dropped, as other 4xx are).
    /// Default true.
    pub retry_on_http_429: bool,
    /// Cap on the disk queue's bytes; beyond it the oldest unsent data is dropped and counted.
    /// Default 1 GiB.
    pub max_disk_bytes: u64,
    /// `"always"` (every queued write is fsynced before the write that produced it returns) or
    /// an interval such as `"1s"` (a power loss can lose up to that much of the queue; a process
    /// crash loses nothing). Default `"always"`.
    pub fsync: pharos_buffer::FsyncPolicy,
}

impl Default for QueueConfig {
    fn default() -> Self {
        QueueConfig {
            capacity: 2500,
            max_shards: 4,
            min_shards: 1,
            max_samples_per_send: 500,
            batch_send_deadline: Duration::from_secs(5),
            min_backoff: Duration::from_millis(30),
            max_backoff: Duration::from_secs(5),
            retry_on_http_429: true,
            max_disk_bytes: 1 << 30,
            fsync: pharos_buffer::FsyncPolicy::Always,
        }
    }
}

impl RemoteWriteConfig {
    /// The endpoint's name: `name`, else `url-` and a hash of the URL.
    pub fn queue_name(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => {
                use std::hash::Hasher;
                let mut h = twox_hash::XxHash64::with_seed(0);
                h.write(self.url.as_bytes());
                format!("url-{:016x}", h.finish())
            }
        }
    }

    /// Checks what serde cannot: URL scheme, name characters, queue bounds, one auth method.
    pub fn validate(&self) -> Result<(), String> {
        let name = self.queue_name();
        let what = format!("remote_write {name:?}");
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            return Err(format!("{what}: url {:?} must start with http:// or https://", self.url));
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
            return Err(format!("{what}: name may only hold letters, digits, '_', '-' and '.'"));
        }
        let auths = usize::from(self.basic_auth.is_some())
            + usize::from(self.bearer_token.is_some())
            + usize::from(self.bearer_token_file.is_some());
        if auths > 1 {
            return Err(format!("{what}: at most one of basic_auth, bearer_token and bearer_token_file may be set"));
        }
        if let Some(b) = &self.basic_auth {
            if b.password.is_some() && b.password_file.is_some() {
                return Err(format!("{what}: at most one of basic_auth password and password_file may be set"));
            }
        }
        let q = &self.queue_config;
        if q.max_shards == 0 || q.max_samples_per_send == 0 || q.capacity == 0 {
            return Err(format!("{what}: queue_config max_shards, capacity and max_samples_per_send must be positive"));
        }
        if q.max_shards > 1000 {
            return Err(format!("{what}: queue_config max_shards {} is above 1000", q.max_shards));
        }
        if q.min_shards > q.max_shards {
            return Err(format!(
                "{what}: queue_config min_shards {} is above max_shards {}",
                q.min_shards, q.max_shards
            ));
        }
        if q.min_backoff.is_zero() || q.min_backoff > q.max_backoff {
            return Err(format!("{what}: queue_config min_backoff must be positive and at most max_backoff"));
        }
        if self.remote_timeout.is_zero() || q.batch_send_deadline.is_zero() {
            return Err(format!("{what}: remote_timeout and batch_send_deadline must be positive"));
        }
        if q.max_disk_bytes < 1 << 20 {
            return Err(format!("{what}: queue_config max_disk_bytes must be at least 1 MiB"));
        }
        Ok(())
    }
}

/// Validates every endpoint and that their names are unique.
pub fn validate_all(configs: &[RemoteWriteConfig]) -> Result<(), String> {
    let mut names = std::collections::BTreeSet::new();
    for c in configs {
        c.validate()?;
        if !names.insert(c.queue_name()) {
            return Err(format!(
                "remote_write: two endpoints are named {:?}; give each a distinct name",
                c.queue_name()
            ));
        }
    }
    Ok(())
}
