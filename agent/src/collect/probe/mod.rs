//! Blackbox probes (http, tcp, icmp, dns) with blackbox_exporter 0.23's metric names.
//!
//! Every `[[collect.probe.targets]]` entry becomes one source (`probe/<name>`) on its own
//! schedule. A probe reports what blackbox_exporter's `/probe?module=..&target=..` would report
//! for the same module and target: the same families, types and labels, registered at the same
//! moments (a family blackbox registers up front is there with 0 even when the probe fails early).
//! Series get `job`, `instance` (the target, as the usual blackbox relabelling sets it) and
//! `agent` (this agent's name, so that agents probing the same target do not collide).
//!
//! A probe has its own deadline (`timeout`), enforced inside the collector, so that a target that
//! never answers still yields `probe_success 0` and the phases measured so far; the scheduler's
//! deadline is set a little later as a backstop.

mod config;
mod dns;
mod dnsmsg;
mod http;
mod icmp;
mod tcp;
#[cfg(test)]
mod tests;
mod tls;

pub use config::{
    DnsSettings, HeaderMatch, HttpAuth, HttpSettings, IcmpSettings, IpProtocol, ProbeConfig, ProbeKind, ProbeTarget,
    QueryResponse, RrValidator, TcpSettings, TlsSettings,
};

use super::{Collection, Collector, Metric, MetricFamily, MetricType};
use crate::config::AgentSection;
use crate::schedule::SourceSpec;
use pharos_protocol::model::{TARGET_FAILURE_METRIC, TARGET_FAILURE_REASON};
use pharos_protocol::Labels;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::debug;

/// Time the scheduler waits beyond a probe's own timeout before abandoning it: the collector
/// enforces the timeout itself and needs a moment to assemble `probe_success 0`.
const SCHEDULER_GRACE: Duration = Duration::from_millis(500);

/// The sources this configuration asks for: one per configured target.
pub fn sources(cfg: &ProbeConfig, agent: &AgentSection) -> Vec<SourceSpec> {
    cfg.targets
        .iter()
        .map(|t| {
            let interval = t.interval.unwrap_or(agent.interval);
            // Like Prometheus' scrape_timeout, a probe may not outlast its interval.
            let timeout = t.timeout.unwrap_or(config::DEFAULT_TIMEOUT).min(interval);
            SourceSpec {
                collector: Box::new(ProbeCollector::new(t.clone(), &agent.name, timeout)),
                interval,
                timeout: timeout + SCHEDULER_GRACE,
                job: t.job.clone(),
                instance: t.target.clone(),
            }
        })
        .collect()
}

/// Runs one configured probe per collection.
pub struct ProbeCollector {
    name: String,
    agent: String,
    target: Arc<ProbeTarget>,
    timeout: Duration,
}

impl ProbeCollector {
    /// A collector for `target`, labelled with `agent`, each probe bounded by `timeout`.
    pub fn new(target: ProbeTarget, agent: &str, timeout: Duration) -> Self {
        ProbeCollector {
            name: format!("probe/{}", target.name),
            agent: agent.to_string(),
            target: Arc::new(target),
            timeout,
        }
    }
}

impl Collector for ProbeCollector {
    fn name(&self) -> &str {
        &self.name
    }

    fn collect(&mut self) -> Collection<'_> {
        Box::pin(async move {
            let mut report = Report::default();
            let started = Instant::now();
            let deadline = tokio::time::Instant::now() + self.timeout;
            let t = self.target.clone();
            let probe = run_probe(&t, &mut report, deadline);
            let success = match tokio::time::timeout_at(deadline, probe).await {
                Ok(ok) => ok,
                Err(_) => {
                    debug!(probe = %self.name, timeout = ?self.timeout, "probe timed out");
                    report.failure = Some("timeout");
                    false
                }
            };
            report.set("probe_success", HELP_SUCCESS, if success { 1.0 } else { 0.0 });
            if !success {
                let reason = report.failure.unwrap_or("probe failed");
                report.set_labeled(TARGET_FAILURE_METRIC, HELP_FAILURE, &[(TARGET_FAILURE_REASON, reason)], 1.0);
            }
            report.set("probe_duration_seconds", HELP_DURATION, started.elapsed().as_secs_f64());
            Ok(report.into_families(&self.agent))
        })
    }
}

const HELP_SUCCESS: &str = "Displays whether or not the probe was a success";
const HELP_FAILURE: &str = "1 while the latest probe of this target failed; reason says why.";
const HELP_DURATION: &str = "Returns how long the probe took to complete in seconds";

async fn run_probe(t: &ProbeTarget, r: &mut Report, deadline: tokio::time::Instant) -> bool {
    match &t.kind {
        ProbeKind::Http(s) => http::probe(&t.target, t.ip, s, r).await,
        ProbeKind::Tcp(s) => tcp::probe(&t.target, t.ip, t.source_ip_address, s, r).await,
        ProbeKind::Icmp(s) => icmp::probe(&t.target, t.ip, t.source_ip_address, s, r).await,
        ProbeKind::Dns(s) => dns::probe(&t.target, t.ip, t.source_ip_address, s, r, deadline).await,
    }
}

/// The metrics of one probe, gathered as it goes so that a probe cut off by its deadline still
/// reports what it had (blackbox registers most families before doing anything).
#[derive(Debug, Default)]
pub(crate) struct Report {
    families: BTreeMap<&'static str, Family>,
    /// Why the probe failed: the first step that failed says it (`pharos_target_failure_info`).
    failure: Option<&'static str>,
}

#[derive(Debug)]
struct Family {
    help: &'static str,
    samples: Vec<(Vec<(&'static str, String)>, f64)>,
}

impl Report {
    fn family(&mut self, name: &'static str, help: &'static str) -> &mut Family {
        self.families.entry(name).or_insert_with(|| Family { help, samples: Vec::new() })
    }

    /// Registers a plain gauge (value 0 until set), as `registry.MustRegister(gauge)` does.
    pub(crate) fn gauge(&mut self, name: &'static str, help: &'static str) {
        let f = self.family(name, help);
        if f.samples.is_empty() {
            f.samples.push((Vec::new(), 0.0));
        }
    }

    /// Registers a labelled family without children (it shows only once a child is set).
    pub(crate) fn family_only(&mut self, name: &'static str, help: &'static str) {
        self.family(name, help);
    }

    /// Records why the probe failed (the first reason stays) and returns false, so a failing
    /// step can `return r.fail("error dialing TCP")`. Reasons are fixed phrases, never error
    /// text, since they become label values.
    pub(crate) fn fail(&mut self, reason: &'static str) -> bool {
        self.failure.get_or_insert(reason);
        false
    }

    /// Sets a plain gauge, registering it if needed.
    pub(crate) fn set(&mut self, name: &'static str, help: &'static str, v: f64) {
        let f = self.family(name, help);
        f.samples.clear();
        f.samples.push((Vec::new(), v));
    }

    /// Adds to a labelled gauge's child, creating it at 0 first (`WithLabelValues(..).Add`).
    pub(crate) fn add_labeled(
        &mut self,
        name: &'static str,
        help: &'static str,
        labels: &[(&'static str, &str)],
        v: f64,
    ) {
        let key: Vec<(&'static str, String)> = labels.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let f = self.family(name, help);
        match f.samples.iter_mut().find(|(l, _)| *l == key) {
            Some(s) => s.1 += v,
            None => f.samples.push((key, v)),
        }
    }

    /// Sets a labelled gauge's child.
    pub(crate) fn set_labeled(
        &mut self,
        name: &'static str,
        help: &'static str,
        labels: &[(&'static str, &str)],
        v: f64,
    ) {
        let key: Vec<(&'static str, String)> = labels.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let f = self.family(name, help);
        match f.samples.iter_mut().find(|(l, _)| *l == key) {
            Some(s) => s.1 = v,
            None => f.samples.push((key, v)),
        }
    }

    /// Registers the children `phase=<each of phases>` of a phase gauge at 0.
    pub(crate) fn phases(&mut self, name: &'static str, help: &'static str, phases: &[&str]) {
        for p in phases {
            self.add_labeled(name, help, &[("phase", p)], 0.0);
        }
    }

    /// Adds `d` seconds to `phase`.
    pub(crate) fn add_phase(&mut self, name: &'static str, help: &'static str, phase: &str, d: Duration) {
        self.add_labeled(name, help, &[("phase", phase)], d.as_secs_f64());
    }

    /// Whether a family is registered (for tests).
    #[cfg(test)]
    pub(crate) fn has(&self, name: &str) -> bool {
        self.families.contains_key(name)
    }

    /// The families, sorted by name as Prometheus' registry gathers them, each sample labelled
    /// with `agent`.
    fn into_families(self, agent: &str) -> Vec<MetricFamily> {
        self.families
            .into_iter()
            .filter(|(_, f)| !f.samples.is_empty())
            .map(|(name, f)| {
                let mut metrics: Vec<Metric> = f
                    .samples
                    .into_iter()
                    .map(|(labels, value)| {
                        let pairs = labels.into_iter().map(|(k, v)| (k.to_string(), v)).chain([
                            ("__name__".to_string(), name.to_string()),
                            ("agent".to_string(), agent.to_string()),
                        ]);
                        Metric { labels: Labels::from_pairs(pairs), value, timestamp_ms: None }
                    })
                    .collect();
                metrics.sort_by(|a, b| a.labels.cmp(&b.labels));
                MetricFamily {
                    name: name.to_string(),
                    help: Some(f.help.to_string()),
                    kind: MetricType::Gauge,
                    metrics,
                }
            })
            .collect()
    }
}

/// Why a target's address could not be had.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ResolveError {
    /// The resolver failed.
    #[error("resolving {host}: {source}")]
    Lookup {
        /// The name looked up.
        host: String,
        /// The resolver's error.
        source: std::io::Error,
    },
    /// The name has no address of an acceptable family.
    #[error("{0} has no address of the preferred IP protocol and fallback is off")]
    NoAddress(String),
}

/// Resolves `host` as blackbox's `chooseProtocol` does, registering and setting
/// `probe_dns_lookup_time_seconds`, `probe_ip_protocol` and `probe_ip_addr_hash`. Returns the
/// address and the lookup time (also on failure, as the time is reported either way).
pub(crate) async fn choose_protocol(
    host: &str,
    pref: IpProtocol,
    r: &mut Report,
) -> (Result<IpAddr, ResolveError>, Duration) {
    const HELP_PROTO: &str = "Specifies whether probe ip protocol is IP4 or IP6";
    const HELP_HASH: &str = "Specifies the hash of IP address. It's useful to detect if the IP address changes.";
    const HELP_LOOKUP: &str = "Returns the time taken for probe dns lookup in seconds";
    r.gauge("probe_ip_protocol", HELP_PROTO);
    r.gauge("probe_dns_lookup_time_seconds", HELP_LOOKUP);
    r.gauge("probe_ip_addr_hash", HELP_HASH);
    let started = Instant::now();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Result<Vec<IpAddr>, ResolveError> = match bare.parse::<IpAddr>() {
        Ok(ip) => Ok(vec![ip]),
        // tokio resolves on its blocking pool; if the probe is cut off, the lookup's result is
        // simply dropped when it comes.
        Err(_) => tokio::net::lookup_host((bare, 0))
            .await
            .map(|it| it.map(|sa| sa.ip()).collect())
            .map_err(|source| ResolveError::Lookup { host: bare.to_string(), source }),
    };
    let chosen = addrs.and_then(|addrs| {
        let wanted = |ip: &IpAddr| ip.is_ipv6() == (pref.preferred == 6);
        match addrs.iter().find(|ip| wanted(ip)) {
            Some(ip) => Ok(*ip),
            None if pref.fallback => addrs.first().copied().ok_or_else(|| ResolveError::NoAddress(bare.to_string())),
            None => Err(ResolveError::NoAddress(bare.to_string())),
        }
    });
    let took = started.elapsed();
    r.set("probe_dns_lookup_time_seconds", HELP_LOOKUP, took.as_secs_f64());
    if let Ok(ip) = &chosen {
        r.set("probe_ip_protocol", HELP_PROTO, if ip.is_ipv4() { 4.0 } else { 6.0 });
        r.set("probe_ip_addr_hash", HELP_HASH, ip_hash(ip));
        debug!(host, ip = %ip, "resolved target address");
    }
    (chosen, took)
}

/// FNV-1a (32 bit) of the address bytes (4 for IPv4, 16 for IPv6), as blackbox's `ipHash`.
pub(crate) fn ip_hash(ip: &IpAddr) -> f64 {
    let bytes: Vec<u8> = match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => v6.octets().to_vec(),
        },
    };
    let mut h: u32 = 0x811c9dc5;
    for b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    f64::from(h)
}

/// Connects to `addr` over TCP, from `source` if given (port chosen by the system).
pub(crate) async fn tcp_connect(addr: SocketAddr, source: Option<IpAddr>) -> std::io::Result<tokio::net::TcpStream> {
    let Some(src) = source else { return tokio::net::TcpStream::connect(addr).await };
    let sock = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    sock.bind(SocketAddr::new(src, 0))?;
    sock.connect(addr).await
}

/// Splits `host:port` (`[v6]:port` too) into host (without brackets) and port.
pub(crate) fn split_host_port(s: &str) -> Option<(String, u16)> {
    let i = s.rfind(':')?;
    let (host, port) = (&s[..i], &s[i + 1..]);
    let port: u16 = port.parse().ok()?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    if host.is_empty() || (host.contains(':') && !s.starts_with('[')) {
        return None;
    }
    Some((host.to_string(), port))
}
