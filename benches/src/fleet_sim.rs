//! Fleet simulator: N simulated agents over real QUIC with mutual TLS, each pushing M series every
//! interval (or as fast as acks allow with `--interval 0s`), against a real `pharos-aggregator`.
//! Prints samples/s acknowledged and ack latency percentiles.
//!
//! By default it starts its own aggregator (from `--aggregator-bin`) in a temp directory, so one
//! command measures everything:
//!
//! ```text
//! cargo build --release --workspace
//! target/release/fleet-sim --agents 10 --series 500 --interval 1s --duration 30s
//! ```

use clap::Parser;
use pharos_protocol::client::Client;
use pharos_protocol::frame::{encode_frame, Batch, Hello, Message};
use pharos_protocol::tls::{self, CertRole, PemPair};
use pharos_protocol::{Labels, Sample, Series};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Simulated agents pushing to a real aggregator.
#[derive(Parser, Debug)]
#[command(name = "fleet-sim", version, about)]
struct Args {
    /// Number of simulated agents (one QUIC connection each).
    #[arg(long, default_value_t = 10)]
    agents: usize,
    /// Series per agent.
    #[arg(long, default_value_t = 500)]
    series: usize,
    /// Consecutive samples per series in each push (1 ms apart): 1 is a live agent, more is an
    /// agent draining its buffer, and the shape of the peers' benchmark requests (10 per series).
    #[arg(long, default_value_t = 1)]
    samples_per_series: usize,
    /// Push interval per agent; `0s` pushes as fast as acks allow (throughput mode).
    #[arg(long, default_value = "1s")]
    interval: String,
    /// How long to measure.
    #[arg(long, default_value = "20s")]
    duration: String,
    /// How long to run before measuring: connections, handshakes and (on a fresh aggregator)
    /// series creation happen in it. One interval or more measures the steady state.
    #[arg(long, default_value = "2s")]
    warmup: String,
    /// Batches in flight per agent in throughput mode.
    #[arg(long, default_value_t = 8)]
    window: usize,
    /// Use a running aggregator at this QUIC address instead of starting one.
    #[arg(long)]
    addr: Option<SocketAddr>,
    /// With --addr: the directory holding its ca.pem and ca-key.pem.
    #[arg(long)]
    ca_dir: Option<PathBuf>,
    /// The aggregator binary to start (default: next to this executable).
    #[arg(long)]
    aggregator_bin: Option<PathBuf>,
    /// Throughput mode: encode this many batches per agent before connecting and send those
    /// bytes, as the peers' remote-write generator sends pre-encoded requests, so the client's
    /// encoding does not compete with the aggregator for the machine's CPU. When they run out,
    /// batches are encoded as they are sent (reported as `live_encoded`).
    #[arg(long, default_value_t = 0)]
    pre_encode: usize,
    /// Also print, to stderr, each second of the run in which some ack took longer than this
    /// many milliseconds: when stalls happen, to line them up with the aggregator's log.
    #[arg(long)]
    timeline_over_ms: Option<f64>,
}

struct Stats {
    /// Samples sent over the whole run (warm-up included) and the UDP bytes that carried them.
    sent_samples: AtomicU64,
    wire_bytes: AtomicU64,
    samples: AtomicU64,
    batches: AtomicU64,
    /// Batches encoded while sending because the pre-encoded ones ran out.
    live_encoded: AtomicU64,
    /// Agents done pre-encoding (the warm-up starts when all are).
    prepared: AtomicU64,
    /// (second of the run the ack arrived in, latency in µs) of every ack after the warm-up.
    latencies_us: Mutex<Vec<(u32, u64)>>,
    /// When the measured part of the run started.
    start: Mutex<Option<Instant>>,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn free_port() -> u16 {
    loop {
        let Ok(tcp) = std::net::TcpListener::bind("127.0.0.1:0") else { continue };
        let Ok(addr) = tcp.local_addr() else { continue };
        if std::net::UdpSocket::bind(("127.0.0.1", addr.port())).is_ok() {
            return addr.port();
        }
    }
}

/// An aggregator started for the run; killed on drop.
struct OwnAggregator {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for OwnAggregator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_aggregator(bin: PathBuf) -> anyhow::Result<(OwnAggregator, SocketAddr, PathBuf)> {
    let dir = tempfile::tempdir()?;
    let http = format!("127.0.0.1:{}", free_port());
    let quic: SocketAddr = format!("127.0.0.1:{}", free_port()).parse()?;
    let cfg = dir.path().join("aggregator.toml");
    std::fs::write(
        &cfg,
        format!(
            "[server]\nhttp_listen = \"{http}\"\nquic_listen = \"{quic}\"\ndata_dir = \"{}\"\nlog_level = \"warn\"\n",
            dir.path().join("data").display()
        ),
    )?;
    let st =
        Command::new(&bin).arg("--config").arg(&cfg).args(["cert", "init", "--server-name", "localhost"]).output()?;
    anyhow::ensure!(st.status.success(), "cert init: {}", String::from_utf8_lossy(&st.stderr));
    // Its log goes to a file in the temp dir: under overload it warns about late agents, which
    // would drown the figures.
    let log = std::fs::File::create(dir.path().join("aggregator.log"))?;
    let child = Command::new(&bin).arg("--config").arg(&cfg).stdin(Stdio::null()).stderr(log).spawn()?;
    let own = OwnAggregator { child, _dir: dir };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        use std::io::{Read, Write};
        if let Ok(mut s) = std::net::TcpStream::connect(&http) {
            let _ = s.write_all(b"GET /-/ready HTTP/1.0\r\n\r\n");
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.0 200") || buf.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        anyhow::ensure!(Instant::now() < deadline, "aggregator did not become ready");
        std::thread::sleep(Duration::from_millis(200));
    }
    let tls_dir = own._dir.path().join("data/tls");
    Ok((own, quic, tls_dir))
}

fn agent_series(agent: usize, series: usize) -> Vec<Labels> {
    (0..series)
        .map(|i| {
            Labels::from_pairs([
                ("__name__", format!("sim_metric_{}_total", i % 50)),
                ("instance", format!("sim-{agent}")),
                ("job", "sim".to_string()),
                ("device", format!("dev{}", i / 50)),
            ])
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn run_agent(
    idx: usize,
    addr: SocketAddr,
    ca: PemPair,
    series: usize,
    per_series: usize,
    interval: Duration,
    phase: Duration,
    window: usize,
    pre_encode: usize,
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
) -> anyhow::Result<()> {
    let name = format!("sim-{idx}");
    let cert = tls::issue(&ca, CertRole::Client, &name, &[])?;
    let buffer_id = rand_id(idx);
    let labels = agent_series(idx, series);
    let mut gen = Generator {
        name: name.clone(),
        buffer_id,
        labels,
        per_series: per_series.max(1),
        seq: 0,
        value: 0.0,
        last_ts: i64::MIN,
    };
    let limits = pharos_protocol::frame::Limits::default();
    let mut ready: std::collections::VecDeque<(Vec<u8>, usize)> = Default::default();
    if interval.is_zero() {
        for _ in 0..pre_encode {
            let (batch, samples) = gen.next();
            ready.push_back((encode_frame(&Message::Batch(batch), &limits)?, samples));
        }
    }
    stats.prepared.fetch_add(1, Ordering::SeqCst);
    let mut c = Client::connect(addr, "localhost", &ca.cert_pem, Some(&cert)).await?;
    c.hello(Hello { agent: name.clone(), agent_version: "fleet-sim".into(), buffer_id, interval_ms: 1000 }).await?;
    let mut in_flight: std::collections::VecDeque<Instant> = Default::default();
    // Agents started at different times push at different points of the interval; all at once
    // would be a burst every interval that no real fleet produces.
    let mut tick =
        (!interval.is_zero()).then(|| tokio::time::interval_at(tokio::time::Instant::now() + phase, interval));
    while !stop.load(Ordering::Relaxed) {
        let max = if tick.is_some() { 1 } else { window };
        while in_flight.len() < max {
            if let Some(t) = tick.as_mut() {
                t.tick().await;
            }
            let samples = match ready.pop_front() {
                Some((frame, samples)) => {
                    c.send.write_all(&frame).await?;
                    samples
                }
                None => {
                    if pre_encode > 0 {
                        stats.live_encoded.fetch_add(1, Ordering::Relaxed);
                    }
                    let (batch, samples) = gen.next();
                    c.send_batch(batch).await?;
                    samples
                }
            };
            stats.sent_samples.fetch_add(samples as u64, Ordering::Relaxed);
            in_flight.push_back(Instant::now());
        }
        let ack = c.recv_ack().await?;
        let sent = in_flight.pop_front().unwrap_or_else(Instant::now);
        if !stop.load(Ordering::Relaxed) {
            stats.samples.fetch_add(ack.accepted_samples, Ordering::Relaxed);
            stats.batches.fetch_add(1, Ordering::Relaxed);
            let second = stats.start.lock().ok().and_then(|s| *s).map_or(0, |s| s.elapsed().as_secs() as u32);
            if let Ok(mut l) = stats.latencies_us.lock() {
                l.push((second, sent.elapsed().as_micros() as u64));
            }
        }
    }
    stats.wire_bytes.fetch_add(c.conn.stats().udp_tx.bytes, Ordering::Relaxed);
    Ok(())
}

/// Makes an agent's batches: every series, `per_series` consecutive samples each.
struct Generator {
    name: String,
    buffer_id: u64,
    labels: Vec<Labels>,
    per_series: usize,
    seq: u64,
    value: f64,
    /// Each batch's timestamps are later than the previous one's: at full speed several batches
    /// fall in one millisecond, and equal timestamps would overwrite each other in storage.
    last_ts: i64,
}

impl Generator {
    /// The next batch and its sample count.
    fn next(&mut self) -> (Batch, usize) {
        self.seq += 1;
        self.value += 1.0;
        let ts = now_ms().max(self.last_ts.saturating_add(1));
        let per_series = self.per_series;
        self.last_ts = ts + per_series as i64 - 1;
        let value = self.value;
        let data: Vec<Series> = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| Series {
                labels: l.clone(),
                samples: (0..per_series)
                    .map(|k| Sample { timestamp_ms: ts + k as i64, value: (value + k as f64) * (i + 1) as f64 })
                    .collect(),
            })
            .collect();
        self.value += per_series as f64;
        (Batch::from_series(self.name.clone(), self.buffer_id, self.seq, &data), data.len() * per_series)
    }
}

fn rand_id(idx: usize) -> u64 {
    (now_ms() as u64).rotate_left(17) ^ (idx as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// Prints `second=S unix=U acks=N slow=K max_ms=M` for each second (of the run, and Unix
/// time) with an ack slower than `over_ms`.
fn print_timeline(timed: &[(u32, u64)], over_ms: f64, start_unix_s: i64) {
    let mut per_second: std::collections::BTreeMap<u32, (u64, u64, u64)> = Default::default();
    for &(second, us) in timed {
        let e = per_second.entry(second).or_default();
        e.0 += 1;
        if us as f64 / 1000.0 > over_ms {
            e.1 += 1;
        }
        e.2 = e.2.max(us);
    }
    for (second, (acks, slow, max)) in per_second {
        if slow > 0 {
            let unix = start_unix_s + i64::from(second);
            eprintln!("second={second} unix={unix} acks={acks} slow={slow} max_ms={:.1}", max as f64 / 1000.0);
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tls::install_default_provider();
    let interval = pharos_protocol::duration::parse_duration(&args.interval)?;
    let duration = pharos_protocol::duration::parse_duration(&args.duration)?;
    let warmup = pharos_protocol::duration::parse_duration(&args.warmup)?;
    let (_own, addr, ca_dir) = match (args.addr, args.ca_dir.clone()) {
        (Some(a), Some(d)) => (None, a, d),
        (Some(_), None) => anyhow::bail!("--addr needs --ca-dir"),
        _ => {
            let bin = args.aggregator_bin.clone().unwrap_or_else(|| {
                std::env::current_exe()
                    .ok()
                    .and_then(|p| p.parent().map(|d| d.join("pharos-aggregator")))
                    .unwrap_or_else(|| PathBuf::from("pharos-aggregator"))
            });
            let (own, a, d) = start_aggregator(bin)?;
            (Some(own), a, d)
        }
    };
    let ca = PemPair {
        cert_pem: tls::read_pem_file(&ca_dir.join("ca.pem"))?,
        key_pem: tls::read_pem_file(&ca_dir.join("ca-key.pem"))?,
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let stats = Arc::new(Stats {
        sent_samples: AtomicU64::new(0),
        wire_bytes: AtomicU64::new(0),
        samples: AtomicU64::new(0),
        batches: AtomicU64::new(0),
        live_encoded: AtomicU64::new(0),
        prepared: AtomicU64::new(0),
        latencies_us: Mutex::new(Vec::new()),
        start: Mutex::new(None),
    });
    let stop = Arc::new(AtomicBool::new(false));
    let mut start_unix_ms = 0;
    let elapsed = rt.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..args.agents {
            let (ca, stop, stats) = (ca.clone(), stop.clone(), stats.clone());
            tasks.push(tokio::spawn(run_agent(
                i,
                addr,
                ca,
                args.series,
                args.samples_per_series,
                interval,
                interval.mul_f64(i as f64 / args.agents as f64),
                args.window,
                args.pre_encode,
                stop,
                stats,
            )));
        }
        // Pre-encoding is not part of the run.
        while stats.prepared.load(Ordering::SeqCst) < args.agents as u64
            && !tasks.iter().any(|t: &tokio::task::JoinHandle<anyhow::Result<()>>| t.is_finished())
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(warmup).await;
        stats.samples.store(0, Ordering::SeqCst);
        stats.batches.store(0, Ordering::SeqCst);
        if let Ok(mut l) = stats.latencies_us.lock() {
            l.clear();
        }
        let start = Instant::now();
        start_unix_ms = now_ms();
        if let Ok(mut s) = stats.start.lock() {
            *s = Some(start);
        }
        tokio::time::sleep(duration).await;
        let elapsed = start.elapsed();
        stop.store(true, Ordering::SeqCst);
        let samples = stats.samples.load(Ordering::SeqCst);
        for t in tasks {
            match tokio::time::timeout(Duration::from_secs(10), t).await {
                Ok(Ok(Err(e))) => eprintln!("agent error: {e}"),
                Err(_) => eprintln!("agent did not stop in time"),
                _ => {}
            }
        }
        stats.samples.store(samples, Ordering::SeqCst);
        elapsed
    });
    let samples = stats.samples.load(Ordering::SeqCst);
    let batches = stats.batches.load(Ordering::SeqCst);
    let timed = stats.latencies_us.lock().map(|l| l.clone()).unwrap_or_default();
    if let Some(over) = args.timeline_over_ms {
        print_timeline(&timed, over, start_unix_ms / 1000);
    }
    let mut lat: Vec<u64> = timed.iter().map(|&(_, us)| us).collect();
    lat.sort_unstable();
    println!(
        "agents={} series={} interval={} duration={:.1}s batches={} samples={} samples_per_sec={:.0} ack_ms_p50={:.2} ack_ms_p90={:.2} ack_ms_p99={:.2} ack_ms_max={:.2} wire_bytes_per_sample={:.1} live_encoded={}",
        args.agents,
        args.series,
        args.interval,
        elapsed.as_secs_f64(),
        batches,
        samples,
        samples as f64 / elapsed.as_secs_f64(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.9),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0),
        stats.wire_bytes.load(Ordering::SeqCst) as f64 / stats.sent_samples.load(Ordering::SeqCst).max(1) as f64,
        stats.live_encoded.load(Ordering::SeqCst),
    );
    Ok(())
}
