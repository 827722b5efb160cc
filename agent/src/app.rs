//! Wires the agent together: sources (each on its own schedule) → writer → disk buffer → uplink.
//!
//! Collection never waits for the network: each tick's batch is appended to the disk buffer (and
//! fsynced by default) before anything is sent, so a killed agent or an unreachable aggregator
//! loses nothing that was collected.

use crate::assemble::Assembler;
use crate::buffer::{lock_shared, DiskBuffer};
use crate::collect::host::HostCollector;
use crate::collect::Blocking;
use crate::config::AgentConfig;
use crate::schedule::{self, Collected, SourceSpec, StatsTable};
use crate::selfmetrics::{self, BufferedTotals};
use crate::uplink::{now_ms, Uplink};
use pharos_protocol::exposition::MetricFamily;
use pharos_protocol::frame::{encode_frame, Batch, Message};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tracing::{error, info, warn};

/// Errors that stop the agent from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The state directory could not be created.
    #[error("creating {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The buffer could not be opened.
    #[error("opening the disk buffer: {0}")]
    Buffer(#[from] crate::buffer::BufferError),
    /// The uplink could not be set up (certificates).
    #[error("setting up the uplink: {0}")]
    Uplink(#[from] crate::uplink::UplinkError),
    /// The Pushgateway could not start (its address, its store file).
    #[error(transparent)]
    Pushgateway(#[from] crate::pushgateway::StartError),
}

/// The configured sources, each with its schedule and target labels.
pub fn sources(cfg: &AgentConfig) -> Vec<SourceSpec> {
    let mut v = Vec::new();
    if cfg.collect.host.enabled {
        v.push(SourceSpec {
            collector: Box::new(Blocking::new(HostCollector::new(cfg.collect.host.host.clone()))),
            interval: cfg.agent.interval,
            // A stuck mount is handled inside (filesystem_mount_timeout); this bounds the rest.
            timeout: cfg.agent.interval,
            job: cfg.collect.host.job.clone(),
            instance: cfg.agent.name.clone(),
        });
    }
    v.extend(crate::collect::scrape::sources(&cfg.collect.scrape, &cfg.agent));
    v.extend(crate::collect::services::sources(&cfg.collect.services, &cfg.agent));
    v.extend(crate::collect::probe::sources(&cfg.collect.probe, &cfg.agent));
    v.extend(crate::collect::containers::sources(&cfg.collect.containers, &cfg.agent));
    v
}

/// Collects once from every enabled source (each within its deadline) and returns what would be
/// sent (with target labels, without timestamps): the `collect-once` command.
pub async fn collect_once(cfg: &AgentConfig) -> Vec<MetricFamily> {
    let runs = sources(cfg).into_iter().map(|mut s| async move {
        let name = s.collector.name().to_string();
        let started = std::time::Instant::now();
        let result = match tokio::time::timeout(s.timeout, s.collector.collect()).await {
            Ok(r) => r,
            Err(_) => Err(crate::collect::CollectError::Timeout(s.timeout)),
        };
        let stats = schedule::SourceStats {
            duration_seconds: started.elapsed().as_secs_f64(),
            success: result.is_ok(),
            ..Default::default()
        };
        let assembler = Assembler::new(&s.job, &s.instance);
        let families = match result {
            Ok(mut families) => {
                for f in &mut families {
                    for m in &mut f.metrics {
                        m.labels = assembler.target_labels(&m.labels);
                    }
                }
                families
            }
            Err(e) => {
                warn!(collector = %name, error = %e, "collection failed");
                Vec::new()
            }
        };
        (name, stats, families)
    });
    let mut out = Vec::new();
    let mut stats = std::collections::BTreeMap::new();
    for (name, s, families) in futures_join_all(runs).await {
        out.extend(families);
        stats.insert(name, s);
    }
    // Each collector's success and duration too, as the running agent reports them: a
    // collector that could not work shows up as 0, not just as a log line.
    out.extend(selfmetrics::collection_families(&stats));
    out
}

/// Awaits all futures concurrently, results in order.
async fn futures_join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        if let Ok(v) = h.await {
            out.push(v);
        }
    }
    out
}

/// Runs the agent until the process is stopped.
pub async fn run(cfg: AgentConfig) -> Result<(), StartError> {
    let buffer_dir = cfg.agent.data_dir.join("buffer");
    std::fs::create_dir_all(&buffer_dir)
        .map_err(|source| StartError::DataDir { path: buffer_dir.display().to_string(), source })?;
    let buffer = Arc::new(Mutex::new(DiskBuffer::open(&buffer_dir, cfg.buffer.clone())?));
    let uplink = Uplink::new(crate::uplink::settings(&cfg)?, buffer.clone())?;
    let appended = uplink.wake();
    let states = uplink.states();
    {
        let b = lock_shared(&buffer);
        info!(
            agent = %cfg.agent.name, servers = ?cfg.servers(), interval = ?cfg.agent.interval,
            buffer_id = b.buffer_id(), next_seq = b.next_seq(), acked_seq = b.acked_seq(), "pharos-agent starting"
        );
    }
    tokio::spawn(uplink.run());

    // Sources → writer → disk buffer → uplink. Each source runs on its own task and schedule.
    let stats = StatsTable::default();
    let (tx, mut rx) = mpsc::channel::<Collected>(64);
    let specs = sources(&cfg);
    info!(sources = ?specs.iter().map(|s| s.collector.name().to_string()).collect::<Vec<_>>(), "collecting");
    let _tasks: Vec<_> = specs.into_iter().map(|s| schedule::spawn(s, tx.clone(), stats.clone())).collect();
    crate::pushgateway::start(&cfg, tx.clone()).await?;
    drop(tx);

    let mut self_assembler = Assembler::new("pharos-agent", &cfg.agent.name);
    let totals = BufferedTotals::default();
    let mut self_ticker = tokio::time::interval(cfg.agent.interval);
    self_ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let series = tokio::select! {
            got = rx.recv() => match got {
                Some(c) => c.series,
                // No sources at all: only the self-metrics remain.
                None => std::future::pending().await,
            },
            _ = self_ticker.tick() => {
                release_free_memory();
                let per_source = stats.lock().map(|t| t.clone()).unwrap_or_default();
                let buffer_stats = lock_shared(&buffer).stats();
                self_assembler.assemble(&selfmetrics::families(&buffer_stats, &totals, &states, &per_source), now_ms())
            }
        };
        if series.is_empty() {
            continue;
        }
        if let Err(e) = append_batch(&cfg, &buffer, &series, &totals) {
            error!(error = %e, "could not buffer a collection; it is lost");
        } else {
            appended.notify();
        }
    }
}

/// Hands the heap's free pages back to the kernel, once per interval. glibc's malloc only shrinks
/// its heap from the top, so the buffers of one collection (a scrape's body, a container's stats,
/// an encoded batch) freed below a live allocation stay resident until the next collection reuses
/// them; `malloc_trim` releases every whole free page (MADV_DONTNEED). In
/// benches/agent-footprint.sh that is 0.2-0.3 MiB of a 3.5 MiB heap (the rest is live or free
/// in pieces smaller than a page), for a walk of its free lists once per interval.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes the arena locks itself; no memory is touched that is in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Encodes one collection as a batch frame and appends it to the buffer under the next sequence number.
fn append_batch(
    cfg: &AgentConfig,
    buffer: &Mutex<DiskBuffer>,
    series: &[pharos_protocol::Series],
    totals: &BufferedTotals,
) -> Result<(), Box<dyn std::error::Error>> {
    let samples: usize = series.iter().map(|s| s.samples.len()).sum();
    let mut b = lock_shared(buffer);
    let seq = b.next_seq();
    let batch = Batch::from_series(&cfg.agent.name, b.buffer_id(), seq, series);
    let frame = encode_frame(&Message::Batch(batch), &cfg.limits)?;
    b.append(seq, samples.min(u32::MAX as usize) as u32, &frame)?;
    totals.samples.fetch_add(samples as u64, std::sync::atomic::Ordering::Relaxed);
    totals.bytes.fetch_add(crate::buffer::record_disk_bytes(frame.len()), std::sync::atomic::Ordering::Relaxed);
    Ok(())
}
