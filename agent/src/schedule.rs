//! Runs every source on its own schedule: one task per source, each with its interval and its
//! deadline, so a hung source (a stuck mount, a black-holed probe target, a slow scrape) delays
//! nothing but itself. What a run produces is assembled into series (target labels, the run's
//! timestamp, staleness markers for vanished series) and handed to the writer, which appends it to
//! the disk buffer as one batch.

use crate::assemble::Assembler;
use crate::collect::{CollectError, Collector};
use crate::uplink::now_ms;
use pharos_protocol::Series;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tracing::{debug, warn};

/// A source and how to run it.
pub struct SourceSpec {
    /// The collector.
    pub collector: Box<dyn Collector>,
    /// Time between the starts of two runs.
    pub interval: Duration,
    /// A run that has not finished after this long is abandoned (and counted).
    pub timeout: Duration,
    /// `job` label of its series (unless the collector sets one).
    pub job: String,
    /// `instance` label of its series (unless the collector sets one).
    pub instance: String,
}

/// The series one run of a source produced.
#[derive(Debug)]
pub struct Collected {
    /// The source's name.
    pub source: String,
    /// Series with one sample each (values or staleness markers).
    pub series: Vec<Series>,
}

/// Figures of one source, for the agent's self-metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceStats {
    /// Seconds the last run took (up to its deadline).
    pub duration_seconds: f64,
    /// Whether the last run produced data.
    pub success: bool,
    /// Runs that failed (errors and timeouts).
    pub errors_total: u64,
    /// Runs abandoned at their deadline.
    pub timeouts_total: u64,
    /// How late the last run started after its scheduled time, in seconds: a source whose runs
    /// outlast its interval falls behind its schedule, and this shows by how much.
    pub late_seconds: f64,
    /// Unix time in ms of the last run that produced data (0: none yet).
    pub last_success_ms: i64,
}

/// Every source's figures by name, shared between the source tasks and the self-metrics.
pub type StatsTable = Arc<Mutex<BTreeMap<String, SourceStats>>>;

/// Starts `spec` on its own task; it runs until `tx` is closed.
pub fn spawn(spec: SourceSpec, tx: mpsc::Sender<Collected>, stats: StatsTable) -> tokio::task::JoinHandle<()> {
    // Listed from the start (a source hung in its first run still shows up), as not successful:
    // `success` means the last run produced data, and there has been none yet.
    let name = spec.collector.name().to_string();
    if let Ok(mut t) = stats.lock() {
        t.insert(name.clone(), SourceStats::default());
    }
    tokio::spawn(run(name, spec, tx, stats))
}

async fn run(name: String, mut spec: SourceSpec, tx: mpsc::Sender<Collected>, stats: StatsTable) {
    let mut assembler = Assembler::new(&spec.job, &spec.instance);
    let start = tokio::time::Instant::now();
    let mut ticker = tokio::time::interval_at(start, spec.interval.max(Duration::from_millis(100)));
    // A run that outlasts the interval delays the next one rather than causing a burst.
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let scheduled = ticker.tick().await;
        // In whole milliseconds: the timer's own jitter (µs) is not lateness, and a gauge of
        // noise would cost more to store than all the rest of the agent's self-metrics.
        let late = (scheduled.elapsed().as_millis() as f64) / 1000.0;
        let ts = now_ms();
        let began = Instant::now();
        let result = match tokio::time::timeout(spec.timeout, spec.collector.collect()).await {
            Ok(r) => r,
            Err(_) => Err(CollectError::Timeout(spec.timeout)),
        };
        let took = began.elapsed().as_secs_f64();
        let ok = result.is_ok();
        let timed_out = matches!(result, Err(CollectError::Timeout(_)));
        match result {
            Ok(families) => {
                let series = assembler.assemble(&families, ts);
                if tx.send(Collected { source: name.clone(), series }).await.is_err() {
                    return;
                }
            }
            Err(CollectError::StillRunning) => debug!(collector = %name, "previous collection still running"),
            Err(e) => warn!(collector = %name, error = %e, "collection failed"),
        }
        if let Ok(mut t) = stats.lock() {
            let s = t.entry(name.clone()).or_default();
            s.duration_seconds = took;
            s.success = ok;
            s.late_seconds = late;
            if ok {
                s.last_success_ms = ts;
            } else {
                s.errors_total += 1;
            }
            if timed_out {
                s.timeouts_total += 1;
            }
        }
        if tx.is_closed() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::{Collection, Metric, MetricFamily, MetricType};
    use pharos_protocol::Labels;

    /// Answers after `delay` with one gauge.
    struct Slow {
        name: &'static str,
        delay: Duration,
    }

    impl Collector for Slow {
        fn name(&self) -> &str {
            self.name
        }
        fn collect(&mut self) -> Collection<'_> {
            let delay = self.delay;
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                Ok(vec![MetricFamily {
                    name: "g".into(),
                    help: None,
                    kind: MetricType::Gauge,
                    metrics: vec![Metric {
                        labels: Labels::from_pairs([("__name__", "g")]),
                        value: 1.0,
                        timestamp_ms: None,
                    }],
                }])
            })
        }
    }

    fn spec(name: &'static str, delay: Duration, interval: Duration, timeout: Duration) -> SourceSpec {
        SourceSpec {
            collector: Box::new(Slow { name, delay }),
            interval,
            timeout,
            job: "j".into(),
            instance: "i".into(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hung_source_delays_nothing_but_itself() {
        let (tx, mut rx) = mpsc::channel(64);
        let stats = StatsTable::default();
        let ms = Duration::from_millis;
        let fast = spawn(spec("fast", ms(1), ms(100), ms(500)), tx.clone(), stats.clone());
        let hung = spawn(spec("hung", Duration::from_secs(3600), ms(100), ms(300)), tx, stats.clone());
        let began = Instant::now();
        let mut fast_runs = Vec::new();
        while began.elapsed() < ms(1000) {
            if let Ok(Some(c)) = tokio::time::timeout(ms(200), rx.recv()).await {
                assert_eq!(c.source, "fast", "the hung source never produced anything");
                fast_runs.push(began.elapsed());
            }
        }
        // Every 100 ms, on time, whatever the hung source does.
        assert!(fast_runs.len() >= 8, "fast ran {} times in 1 s: {fast_runs:?}", fast_runs.len());
        for pair in fast_runs.windows(2) {
            assert!(pair[1] - pair[0] < ms(180), "a gap in the fast source's runs: {fast_runs:?}");
        }
        let t = stats.lock().expect("stats").clone();
        assert!(t["hung"].timeouts_total >= 2, "{t:?}");
        assert!(!t["hung"].success);
        assert!(t["fast"].success && t["fast"].timeouts_total == 0, "{t:?}");
        // The hung source runs at its deadline's pace, behind its schedule, and says so.
        assert!(t["hung"].late_seconds > 0.1, "{t:?}");
        fast.abort();
        hung.abort();
    }
}
