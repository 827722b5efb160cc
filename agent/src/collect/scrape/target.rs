//! One scraped target, as a Prometheus 2.42 scrape loop handles it: the request it sends
//! (Accept, Accept-Encoding, scrape timeout header, credentials), the parser chosen by the
//! response's Content-Type, target labels applied with `honor_labels` semantics, metric
//! relabeling, timestamps kept or not, and the report series `up`, `scrape_duration_seconds`,
//! `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`, `scrape_series_added`.
//!
//! A failed scrape is not an error of the collector: it reports `up 0` (and the other report
//! series), so the scraped series vanish from the collection and the assembler ends them with
//! staleness markers, as Prometheus does. Beside `up 0` it reports
//! `pharos_target_failure_info{reason}` (a short reason from a fixed set; the log has the whole
//! error), which the aggregator's Fleet page shows as the target's last error.

use super::config::TargetConfig;
use super::relabel::relabel;
use crate::collect::{Collection, Collector, Metric, MetricFamily, MetricType};
use pharos_protocol::exposition::Format;
use pharos_protocol::model::{METRIC_NAME_LABEL, TARGET_FAILURE_METRIC, TARGET_FAILURE_REASON};
use pharos_protocol::{Label, Labels};
use std::collections::HashSet;
use std::fmt;
use std::time::{Duration, Instant};
use tracing::{debug, warn};

/// Why a scrape failed: `reason`, a short phrase from a fixed set (a label value, so it must not
/// carry addresses or error text), and `detail`, the whole error for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrapeError {
    /// The short reason: `timeout`, `connection refused`, `HTTP 503`, `parse error`, ...
    pub reason: String,
    /// The error as the log shows it.
    pub detail: String,
}

impl ScrapeError {
    fn new(reason: impl Into<String>, detail: impl Into<String>) -> Self {
        ScrapeError { reason: reason.into(), detail: detail.into() }
    }

    /// A failed request, its reason told from reqwest's error and its causes.
    fn request(e: &reqwest::Error) -> Self {
        let detail = error_chain(e);
        let lower = detail.to_ascii_lowercase();
        let reason = if e.is_timeout() {
            "timeout"
        } else if lower.contains("connection refused") {
            "connection refused"
        } else if lower.contains("dns error") || lower.contains("failed to lookup address") {
            "DNS lookup failed"
        } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            "TLS handshake failed"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_body() || e.is_decode() {
            "reading the body failed"
        } else {
            "request failed"
        };
        ScrapeError::new(reason, detail)
    }
}

impl fmt::Display for ScrapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

/// The Accept header of Prometheus 2.42: OpenMetrics preferred, then the text format.
pub const ACCEPT: &str = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// Scrapes one target.
pub struct ScrapeCollector {
    name: String,
    cfg: TargetConfig,
    timeout: Duration,
    /// `job`, `instance` and the configured labels.
    target_labels: Labels,
    /// Built on first use, and again after a failure to build it (a CA file may appear later).
    client: Option<reqwest::Client>,
    /// Hashes of the series of the last successful scrape, for `scrape_series_added` (a count,
    /// so hashes are enough, and far smaller than the label sets).
    previous: HashSet<u64>,
    /// Whether the last scrape succeeded (`None` before the first), so that only a change of
    /// state is logged as a warning, not every failure of a target that stays down.
    last_up: Option<bool>,
}

impl ScrapeCollector {
    /// A collector for `cfg`, named `name`, whose scrapes give up after `timeout`; `instance` is
    /// the target's instance label.
    pub fn new(name: String, cfg: TargetConfig, timeout: Duration, instance: &str) -> Self {
        let mut pairs: Vec<(String, String)> =
            vec![("job".into(), cfg.job.clone()), ("instance".into(), instance.into())];
        // Configured labels come last, so an explicit `job` or `instance` among them wins.
        pairs.extend(cfg.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
        let target_labels = Labels::from_pairs(pairs);
        ScrapeCollector { name, cfg, timeout, target_labels, client: None, previous: HashSet::new(), last_up: None }
    }

    /// The labels every series of this target carries (unless honor_labels or relabeling say otherwise).
    pub fn target_labels(&self) -> &Labels {
        &self.target_labels
    }

    fn client(&mut self) -> Result<reqwest::Client, ScrapeError> {
        if let Some(c) = &self.client {
            return Ok(c.clone());
        }
        let tls = super::tls::client_config(&self.cfg.tls).map_err(|e| ScrapeError::new("TLS configuration", e))?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            // Prometheus uses no proxy unless configured; neither do we, whatever the environment says.
            .no_proxy()
            .gzip(true)
            .user_agent(concat!("Pharos-Agent/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(1)
            .build()
            .map_err(|e| ScrapeError::new("TLS configuration", format!("building the HTTP client: {e}")))?;
        self.client = Some(client.clone());
        Ok(client)
    }

    /// Fetches the body and its format.
    async fn fetch(&mut self) -> Result<(String, Format), ScrapeError> {
        let client = self.client()?;
        let mut req = client
            .get(self.cfg.url.clone())
            .header(reqwest::header::ACCEPT, ACCEPT)
            .header("X-Prometheus-Scrape-Timeout-Seconds", format!("{}", self.timeout.as_secs_f64()))
            .timeout(self.timeout);
        if let Some(b) = &self.cfg.basic_auth {
            let password = match &b.password {
                Some(p) => Some(p.read().map_err(|e| {
                    ScrapeError::new("credentials file", format!("reading the basic_auth password: {e}"))
                })?),
                None => None,
            };
            req = req.basic_auth(&b.username, password);
        }
        if let Some(t) = &self.cfg.bearer {
            let token =
                t.read().map_err(|e| ScrapeError::new("credentials file", format!("reading the bearer token: {e}")))?;
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.map_err(|e| ScrapeError::request(&e))?;
        if resp.status() != reqwest::StatusCode::OK {
            let status = resp.status();
            return Err(ScrapeError::new(
                format!("HTTP {}", status.as_u16()),
                format!("server returned HTTP status {status}"),
            ));
        }
        let content_type =
            resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = resp.bytes().await.map_err(|e| ScrapeError::request(&e))?;
        let text = String::from_utf8(body.to_vec())
            .map_err(|_| ScrapeError::new("invalid UTF-8", "the response is not valid UTF-8"))?;
        Ok((text, Format::from_content_type(content_type.as_deref())))
    }

    /// Target labels and relabeling applied to the scraped families; returns the families to
    /// keep and the number of samples before relabeling.
    fn process(&self, families: Vec<MetricFamily>) -> Result<(Vec<MetricFamily>, usize), ScrapeError> {
        let mut scraped = 0;
        let mut out = Vec::with_capacity(families.len());
        for mut fam in families {
            scraped += fam.metrics.len();
            let mut kept = Vec::with_capacity(fam.metrics.len());
            for m in fam.metrics {
                let labels = apply_target_labels(&m.labels, &self.target_labels, self.cfg.honor_labels);
                let Some(labels) = relabel(labels, &self.cfg.metric_relabel_configs) else { continue };
                if labels.metric_name().is_none() {
                    // Prometheus fails the whole scrape in this case (errNameLabelMandatory).
                    return Err(ScrapeError::new(
                        "relabeling left no metric name",
                        "a relabeled sample has no metric name (__name__ label)",
                    ));
                }
                let timestamp_ms = if self.cfg.honor_timestamps { m.timestamp_ms } else { None };
                kept.push(Metric { labels, value: m.value, timestamp_ms });
            }
            if !kept.is_empty() {
                fam.metrics = kept;
                out.push(fam);
            }
        }
        Ok((out, scraped))
    }

    async fn scrape(&mut self) -> Vec<MetricFamily> {
        let began = Instant::now();
        let result = match tokio::time::timeout(self.timeout, self.fetch()).await {
            Ok(Ok((text, format))) => format
                .parse(&text)
                .map_err(|e| ScrapeError::new("parse error", format!("parsing the {format:?} response: {e}")))
                .and_then(|f| self.process(f)),
            Ok(Err(e)) => Err(e),
            Err(_) => {
                Err(ScrapeError::new("timeout", format!("no response within the {:?} scrape timeout", self.timeout)))
            }
        };
        let duration = began.elapsed().as_secs_f64();
        let mut failure = None;
        let (mut families, up, scraped, post, added) = match result {
            Ok((families, scraped)) => {
                let mut current = HashSet::new();
                for m in families.iter().flat_map(|f| &f.metrics) {
                    current.insert(series_hash(&m.labels));
                }
                let post: usize = families.iter().map(|f| f.metrics.len()).sum();
                let added = current.difference(&self.previous).count();
                self.previous = current;
                (families, 1.0, scraped, post, added)
            }
            Err(e) => {
                if self.last_up == Some(false) {
                    debug!(target = %self.cfg.url, error = %e, "scrape failed");
                } else {
                    warn!(target = %self.cfg.url, error = %e, "scrape failed");
                }
                failure = Some(e.reason);
                (Vec::new(), 0.0, 0, 0, 0)
            }
        };
        self.last_up = Some(up == 1.0);
        let report = |name: &str, help: &str, value: f64| MetricFamily {
            name: name.to_string(),
            help: Some(help.to_string()),
            kind: MetricType::Gauge,
            metrics: vec![Metric { labels: with_name(&self.target_labels, name), value, timestamp_ms: None }],
        };
        families.push(report("up", "1 if the target was scraped successfully, 0 if not.", up));
        families.push(report("scrape_duration_seconds", "Duration of the scrape.", duration));
        families.push(report("scrape_samples_scraped", "Samples the target exposed.", scraped as f64));
        families.push(report(
            "scrape_samples_post_metric_relabeling",
            "Samples left after metric relabeling.",
            post as f64,
        ));
        families.push(report("scrape_series_added", "Series not present in the previous scrape.", added as f64));
        if let Some(reason) = failure {
            let mut labels = with_name(&self.target_labels, TARGET_FAILURE_METRIC);
            labels.set(TARGET_FAILURE_REASON, &reason);
            families.push(MetricFamily {
                name: TARGET_FAILURE_METRIC.to_string(),
                help: Some("1 while the latest scrape of this target failed; reason says why.".to_string()),
                kind: MetricType::Gauge,
                metrics: vec![Metric { labels, value: 1.0, timestamp_ms: None }],
            });
        }
        families
    }
}

impl Collector for ScrapeCollector {
    fn name(&self) -> &str {
        &self.name
    }

    fn collect(&mut self) -> Collection<'_> {
        Box::pin(async move { Ok(self.scrape().await) })
    }
}

/// `labels` with `__name__` set to `name`.
fn with_name(labels: &Labels, name: &str) -> Labels {
    let mut l = labels.clone();
    l.set(METRIC_NAME_LABEL, name);
    l
}

/// A reqwest error with its causes ("error sending request: connection refused"), which its
/// Display alone does not show.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

/// Prometheus' `mutateSampleLabels` before relabeling: with `honor`, scraped labels win and
/// target labels fill in only what is missing; without it, target labels win and each conflicting
/// scraped label is kept as `exported_<name>` (more `exported_` prefixes while that name is taken).
pub fn apply_target_labels(scraped: &Labels, target: &Labels, honor: bool) -> Labels {
    let mut out = scraped.clone();
    if honor {
        for l in target {
            if scraped.get(&l.name).is_none() {
                out.set(&l.name, &l.value);
            }
        }
        return out;
    }
    let mut conflicts: Vec<Label> = Vec::new();
    for l in target {
        if let Some(v) = scraped.get(&l.name) {
            conflicts.push(Label::new(l.name.clone(), v));
        }
        out.set(&l.name, &l.value);
    }
    // Shorter names first, as Prometheus resolves them, so the result does not depend on order.
    conflicts.sort_by_key(|l| l.name.len());
    let mut taken: Vec<String> = Vec::new();
    for c in &mut conflicts {
        let mut name = c.name.clone();
        loop {
            name = format!("exported_{name}");
            if scraped.get(&name).is_none() && target.get(&name).is_none() && !taken.contains(&name) {
                break;
            }
        }
        taken.push(name.clone());
        c.name = name;
    }
    for c in conflicts {
        out.set(&c.name, &c.value);
    }
    out
}

/// A 64-bit hash of a label set (`DefaultHasher::new` has fixed keys: the same set gives the
/// same hash from one scrape to the next).
fn series_hash(labels: &Labels) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    labels.hash(&mut h);
    h.finish()
}
