//! Wires the agent together: collectors → assembler → disk buffer → uplink.
//!
//! Collection never waits for the network: each tick's batch is appended to the disk buffer (and
//! fsynced by default) before anything is sent, so a killed agent or an unreachable aggregator
//! loses nothing that was collected.

use crate::assemble::Assembler;
use crate::buffer::{lock_shared, DiskBuffer};
use crate::collect::host::HostCollector;
use crate::collect::Collector;
use crate::config::AgentConfig;
use crate::selfmetrics::{self, BufferedTotals, CollectorStats};
use crate::uplink::{now_ms, Uplink, UplinkState};
use pharos_protocol::exposition::MetricFamily;
use pharos_protocol::frame::{encode_frame, Batch, Message};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::Notify;
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
}

/// One configured collector with its assembler and bookkeeping.
struct Source {
    collector: Box<dyn Collector>,
    assembler: Assembler,
    stats: CollectorStats,
}

/// The configured collectors (just the host collector for now).
fn sources(cfg: &AgentConfig) -> Vec<Source> {
    let mut v = Vec::new();
    if cfg.collect.host.enabled {
        let c = HostCollector::new(cfg.collect.host.host.clone());
        v.push(Source {
            stats: CollectorStats { name: c.name(), success: true, ..Default::default() },
            collector: Box::new(c),
            assembler: Assembler::new(&cfg.collect.host.job, &cfg.agent.name),
        });
    }
    v
}

/// Collects once from every enabled collector and returns what would be sent (with target labels,
/// without timestamps): the `collect-once` command.
pub fn collect_once(cfg: &AgentConfig) -> Vec<MetricFamily> {
    let mut out = Vec::new();
    for mut s in sources(cfg) {
        match s.collector.collect() {
            Ok(families) => {
                for mut f in families {
                    for m in &mut f.metrics {
                        m.labels = s.assembler.target_labels(&m.labels);
                    }
                    out.push(f);
                }
            }
            Err(e) => warn!(collector = s.collector.name(), error = %e, "collection failed"),
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
    let appended = Arc::new(Notify::new());
    let state = Arc::new(UplinkState::default());
    let uplink = Uplink::new(&cfg, buffer.clone(), appended.clone(), state.clone())?;
    {
        let b = lock_shared(&buffer);
        info!(
            agent = %cfg.agent.name, server = %cfg.uplink.server, interval = ?cfg.agent.interval,
            buffer_id = b.buffer_id(), next_seq = b.next_seq(), acked_seq = b.acked_seq(), "pharos-agent starting"
        );
    }
    tokio::spawn(uplink.run());

    let mut sources = sources(&cfg);
    let mut self_assembler = Assembler::new("pharos-agent", &cfg.agent.name);
    let totals = BufferedTotals::default();
    let mut ticker = tokio::time::interval(cfg.agent.interval);
    // After a stall (e.g. a suspended VM), continue at the normal pace instead of bursting.
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let ts = now_ms();
        let mut series = Vec::new();
        for s in sources.iter_mut() {
            let started = Instant::now();
            // Collectors read /proc and /sys synchronously; that takes a few ms and must not stall
            // the uplink's tasks, hence block_in_place on the multi-threaded runtime.
            let result = tokio::task::block_in_place(|| s.collector.collect());
            s.stats.duration_seconds = started.elapsed().as_secs_f64();
            match result {
                Ok(families) => {
                    s.stats.success = true;
                    series.extend(s.assembler.assemble(&families, ts));
                }
                Err(e) => {
                    s.stats.success = false;
                    s.stats.errors_total += 1;
                    warn!(collector = s.stats.name, error = %e, "collection failed");
                }
            }
        }
        let stats: Vec<CollectorStats> = sources.iter().map(|s| s.stats.clone()).collect();
        let buffer_stats = lock_shared(&buffer).stats();
        series.extend(self_assembler.assemble(&selfmetrics::families(&buffer_stats, &totals, &state, &stats), ts));
        if let Err(e) = append_batch(&cfg, &buffer, &series, &totals) {
            error!(error = %e, "could not buffer a collection; it is lost");
        } else {
            appended.notify_one();
        }
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
