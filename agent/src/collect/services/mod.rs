//! Built-in checks of local services with their exporters' names: Redis (redis_exporter 1.45),
//! PostgreSQL (postgres_exporter 0.11 with its default collectors) and nginx stub_status
//! (nginx-prometheus-exporter 0.11).
//!
//! Each configured (or detected) server is one source on its own schedule. A server that cannot be
//! reached still produces a collection: `redis_up 0`, `pg_up 0` or `nginx_up 0` and nothing else,
//! so alerts on `*_up == 0` fire as they did with the exporters. Series get `job` (`redis`,
//! `postgres`, `nginx` unless configured) and `instance` = the agent's name, so that rules joining
//! several families `on (instance)` keep working per host.
//!
//! Detection (`detect = true`, the default) looks once at start, for each kind with an empty list,
//! for the server at its default local address.

mod nginx;
mod pgvalue;
mod postgres;
mod redis;
mod resp;
#[cfg(test)]
mod tests;

pub use nginx::{NginxCollector, NginxConfig};
pub use postgres::{PostgresCollector, PostgresConfig};
pub use redis::{RedisCollector, RedisConfig};

use super::{Metric, MetricFamily, MetricType};
use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use pharos_protocol::{Label, Labels};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tracing::{info, warn};

/// Default Redis address checked by detection.
pub const DEFAULT_REDIS_ADDRESS: &str = "127.0.0.1:6379";
/// Default PostgreSQL socket directory checked by detection (Debian's).
pub const DEFAULT_POSTGRES_SOCKET_DIR: &str = "/var/run/postgresql";
/// Default nginx stub_status URL checked by detection.
pub const DEFAULT_NGINX_URL: &str = "http://127.0.0.1/stub_status";
/// Default deadline of one check.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// `[collect.services]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServicesConfig {
    /// When a list below is empty, look once at start for the local default server of that kind
    /// and check it if found. Default true.
    pub detect: bool,
    /// `[[collect.services.redis]]`: Redis servers.
    pub redis: Vec<RedisConfig>,
    /// `[[collect.services.postgres]]`: PostgreSQL servers.
    pub postgres: Vec<PostgresConfig>,
    /// `[[collect.services.nginx]]`: nginx stub_status endpoints.
    pub nginx: Vec<NginxConfig>,
}

impl Default for ServicesConfig {
    fn default() -> Self {
        ServicesConfig { detect: true, redis: Vec::new(), postgres: Vec::new(), nginx: Vec::new() }
    }
}

/// Schedule and target label settings shared by every service entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Time between two checks. Default: `agent.interval`.
    pub interval: Option<Duration>,
    /// Deadline of one check. Default 5s (at most the interval).
    pub timeout: Option<Duration>,
    /// `job` label. Default: the kind's name (`redis`, `postgres`, `nginx`).
    pub job: Option<String>,
}

/// Why a service check failed; the check then reports `*_up 0`.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Connecting, reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The check did not finish within its deadline.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The server answered something this client does not understand.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The server refused a command (authentication, permissions).
    #[error("server error: {0}")]
    Server(String),
    /// The password file could not be read.
    #[error("password file {path}: {source}")]
    PasswordFile {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// PostgreSQL client error.
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// The check is not possible as configured (e.g. peer authentication as another user).
    #[error("{0}")]
    NotPossible(String),
}

/// The sources this configuration asks for (and, where nothing is configured, those detected).
pub fn sources(cfg: &ServicesConfig, agent: &AgentSection) -> Vec<SourceSpec> {
    let mut out = Vec::new();
    let mut names = HashSet::new();
    let mut redis = cfg.redis.clone();
    let mut postgres = cfg.postgres.clone();
    let mut nginx = cfg.nginx.clone();
    if cfg.detect {
        if redis.is_empty() {
            redis.extend(redis::detect());
        }
        if postgres.is_empty() {
            postgres.extend(postgres::detect());
        }
        if nginx.is_empty() {
            nginx.extend(nginx::detect());
        }
    }
    for c in redis {
        let name = unique_name(&mut names, &format!("redis/{}", c.address));
        let (interval, timeout, job) = resolve(&c.schedule, agent, "redis");
        out.push(spec(Box::new(RedisCollector::new(name, c, timeout)), interval, timeout, job, agent));
    }
    for c in postgres {
        let name = unique_name(&mut names, &format!("postgres/{}", c.server_label()));
        let (interval, timeout, job) = resolve(&c.schedule, agent, "postgres");
        out.push(spec(Box::new(PostgresCollector::new(name, c, timeout)), interval, timeout, job, agent));
    }
    for c in nginx {
        let name = unique_name(&mut names, &format!("nginx/{}", c.url));
        let (interval, timeout, job) = resolve(&c.schedule, agent, "nginx");
        match NginxCollector::new(name, c, timeout) {
            Ok(col) => out.push(spec(Box::new(col), interval, timeout, job, agent)),
            // A URL this client cannot fetch is a configuration error: say so and go on without it.
            Err(e) => warn!(error = %e, "collect.services.nginx entry skipped"),
        }
    }
    if !out.is_empty() {
        info!(services = ?out.iter().map(|s| s.collector.name().to_string()).collect::<Vec<_>>(), "service checks");
    }
    out
}

fn spec(
    collector: Box<dyn super::Collector>,
    interval: Duration,
    timeout: Duration,
    job: String,
    agent: &AgentSection,
) -> SourceSpec {
    // The collector gives up a little before its own timeout to report `*_up 0`; the scheduler's
    // deadline is a margin later so that this report is not thrown away.
    SourceSpec { collector, interval, timeout: timeout + Duration::from_millis(500), job, instance: agent.name.clone() }
}

/// Interval, timeout and job of one entry, with their defaults.
fn resolve(s: &Schedule, agent: &AgentSection, kind: &str) -> (Duration, Duration, String) {
    let interval = s.interval.unwrap_or(agent.interval).max(Duration::from_millis(100));
    let timeout = s.timeout.unwrap_or(DEFAULT_TIMEOUT.min(interval)).max(Duration::from_millis(10));
    (interval, timeout, s.job.clone().unwrap_or_else(|| kind.to_string()))
}

/// `base`, or `base#2`, `base#3` ... when that name is taken (two entries for the same server).
fn unique_name(taken: &mut HashSet<String>, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base}#{n}");
    }
    name
}

/// Reads a password: the inline one, or the first line of `file` (read at each check, so a
/// rotated secret is picked up without a restart).
pub(crate) fn read_password(inline: &Option<String>, file: &Option<PathBuf>) -> Result<Option<String>, ServiceError> {
    if let Some(p) = inline {
        return Ok(Some(p.clone()));
    }
    let Some(path) = file else { return Ok(None) };
    let text = std::fs::read_to_string(path)
        .map_err(|source| ServiceError::PasswordFile { path: path.to_path_buf(), source })?;
    Ok(Some(text.lines().next().unwrap_or("").to_string()))
}

/// The metric families of one check, built in the order their first sample is added.
#[derive(Debug, Default)]
pub(crate) struct Families {
    fams: Vec<MetricFamily>,
    index: HashMap<String, usize>,
}

impl Families {
    /// Adds a sample named like its family.
    pub(crate) fn add(&mut self, name: &str, help: &str, kind: MetricType, labels: &[(&str, &str)], value: f64) {
        self.add_sample(name, name, help, kind, labels, value);
    }

    /// Adds a sample `sample` (e.g. `x_sum`) to family `family`.
    pub(crate) fn add_sample(
        &mut self,
        family: &str,
        sample: &str,
        help: &str,
        kind: MetricType,
        labels: &[(&str, &str)],
        value: f64,
    ) {
        let i = match self.index.get(family) {
            Some(&i) => i,
            None => {
                self.fams.push(MetricFamily {
                    name: family.to_string(),
                    help: Some(help.to_string()),
                    kind,
                    metrics: Vec::new(),
                });
                self.index.insert(family.to_string(), self.fams.len() - 1);
                self.fams.len() - 1
            }
        };
        let mut v = Vec::with_capacity(labels.len() + 1);
        v.push(Label::new(pharos_protocol::model::METRIC_NAME_LABEL, sample));
        v.extend(labels.iter().map(|(n, val)| Label::new(*n, *val)));
        // Empty label values are dropped, as Prometheus does on ingestion.
        self.fams[i].metrics.push(Metric { labels: Labels::from_vec(v), value, timestamp_ms: None });
    }

    /// The families.
    pub(crate) fn into_vec(self) -> Vec<MetricFamily> {
        self.fams
    }
}

/// The one family a check reports when its server is down.
pub(crate) fn down(name: &str, help: &str) -> Vec<MetricFamily> {
    let mut f = Families::default();
    f.add(name, help, MetricType::Gauge, &[], 0.0);
    f.into_vec()
}

/// Logs a change of a server's state (up → down with the reason, down → up) once, not at every
/// check: a server that stays down would otherwise fill the log.
#[derive(Debug, Default)]
pub(crate) struct UpState {
    up: Option<bool>,
    last_error: String,
}

impl UpState {
    /// Records the outcome of a check of `source`.
    pub(crate) fn record(&mut self, source: &str, result: Result<(), &ServiceError>) {
        match result {
            Ok(()) => {
                if self.up != Some(true) {
                    info!(source, "service is up");
                }
                self.up = Some(true);
                self.last_error.clear();
            }
            Err(e) => {
                let msg = e.to_string();
                if self.up != Some(false) || msg != self.last_error {
                    warn!(source, error = %msg, "service is down");
                }
                self.up = Some(false);
                self.last_error = msg;
            }
        }
    }
}

/// Whether a path exists (a detection helper kept here for the tests).
pub(crate) fn exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

/// Deserializes a service entry: its schedule keys (`interval`, `timeout`, `job`), and the rest
/// of its table as the service's own fields `F`.
pub(crate) fn fields_and_schedule<'de, D, F>(d: D) -> Result<(F, Schedule), D::Error>
where
    D: serde::Deserializer<'de>,
    F: serde::de::DeserializeOwned,
{
    use serde::de::Error;
    use serde::Deserialize;
    let mut table = toml::Table::deserialize(d)?;
    let schedule = take_schedule(&mut table).map_err(D::Error::custom)?;
    let fields = F::deserialize(toml::Value::Table(table)).map_err(D::Error::custom)?;
    Ok((fields, schedule))
}

/// Takes the schedule keys of a service entry out of its table.
fn take_schedule(table: &mut toml::Table) -> Result<Schedule, String> {
    let dur = |v: toml::Value, key: &str| -> Result<Duration, String> {
        let s = v.as_str().ok_or_else(|| format!("{key} must be a duration string like \"10s\""))?;
        pharos_protocol::duration::parse_duration(s).map_err(|e| format!("{key}: {e}"))
    };
    let mut s = Schedule::default();
    if let Some(v) = table.remove("interval") {
        s.interval = Some(dur(v, "interval")?);
    }
    if let Some(v) = table.remove("timeout") {
        s.timeout = Some(dur(v, "timeout")?);
    }
    if let Some(v) = table.remove("job") {
        s.job = Some(v.as_str().ok_or("job must be a string")?.to_string());
    }
    Ok(s)
}
