//! The two servers the parity test compares: Debian's Prometheus 2.42 loaded with
//! `promtool tsdb create-blocks-from openmetrics`, and a Pharos aggregator loaded over the agent
//! protocol. Both listen on 127.0.0.1 only and are stopped by pid when dropped.

use super::data::{self, Family, Layout, STEPS};
use crate::{free_port, wait_for, Aggregator, Proc};
use pharos_protocol::client::Client;
use pharos_protocol::frame::{Batch, Hello};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Steps per pushed batch (10 minutes of every series).
const STEPS_PER_BATCH: i64 = 40;
/// Batches sent ahead of their acks.
const IN_FLIGHT: usize = 4;

/// A Prometheus server over imported blocks.
pub struct Prometheus {
    /// Temp dir with the OpenMetrics file, the TSDB and the log.
    pub dir: tempfile::TempDir,
    /// HTTP address.
    pub addr: SocketAddr,
    /// The process.
    pub proc: Proc,
}

impl Prometheus {
    /// Imports `fams` in `layout` with promtool and starts Prometheus on the blocks.
    pub fn start(fams: &[Family], layout: Layout) -> Prometheus {
        let dir = tempfile::tempdir().expect("tempdir");
        let om = dir.path().join("data.om");
        std::fs::write(&om, data::openmetrics(fams, layout)).expect("write openmetrics");
        let tsdb = dir.path().join("tsdb");
        let out = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics", "--quiet"])
            .arg(&om)
            .arg(&tsdb)
            .output()
            .expect("promtool is installed (Debian package prometheus)");
        assert!(
            out.status.success(),
            "promtool create-blocks-from openmetrics failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let _ = std::fs::remove_file(&om);
        let config = dir.path().join("prometheus.yml");
        std::fs::write(&config, "global:\n  evaluation_interval: 1m\n").expect("write config");
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let log = dir.path().join("prometheus.log");
        let proc = Proc::start(
            Path::new("prometheus"),
            &[
                &format!("--config.file={}", config.display()),
                &format!("--storage.tsdb.path={}", tsdb.display()),
                "--storage.tsdb.retention.time=100y",
                &format!("--web.listen-address={addr}"),
            ],
            &log,
        );
        let url = format!("http://{addr}/-/ready");
        let ready = wait_for(Duration::from_secs(90), || {
            reqwest::blocking::get(&url).ok().filter(|r| r.status().is_success()).map(|_| ())
        });
        let p = Prometheus { dir, addr, proc };
        assert!(ready.is_some(), "prometheus not ready; log:\n{}", p.proc.log_text());
        p
    }
}

/// Starts an aggregator and pushes `fams` in `layout` over QUIC as agent `parity-loader`.
/// Returns the aggregator and the number of samples it acknowledged as accepted.
pub fn start_pharos(fams: &[Family], layout: Layout) -> (Aggregator, u64) {
    pharos_protocol::tls::install_default_provider();
    // The data set is dated 2026-01-01: keep it whatever today is, as Prometheus is told to.
    let mut agg = Aggregator::setup_with("[storage]\nretention = \"0s\"\n");
    agg.start();
    let agent = "parity-loader";
    let (ca, id) = agg.agent_credentials(agent);
    let batches: Vec<Batch> = (0..STEPS)
        .step_by(STEPS_PER_BATCH as usize)
        .enumerate()
        .map(|(i, from)| {
            let series = data::series_for_steps(fams, layout, from, from + STEPS_PER_BATCH);
            Batch::from_series(agent, 1, i as u64 + 1, &series)
        })
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let quic = agg.quic;
    let accepted = rt.block_on(async move {
        let mut c = Client::connect(quic, "localhost", &ca, Some(&id)).await.expect("connect");
        c.hello(Hello { agent: agent.into(), agent_version: "parity".into(), buffer_id: 1, interval_ms: 15_000 })
            .await
            .expect("hello");
        let mut accepted = 0u64;
        let mut in_flight = 0usize;
        let mut it = batches.into_iter();
        loop {
            while in_flight < IN_FLIGHT {
                match it.next() {
                    Some(b) => {
                        c.send_batch(b).await.expect("send batch");
                        in_flight += 1;
                    }
                    None => break,
                }
            }
            if in_flight == 0 {
                break;
            }
            let ack = c.recv_ack().await.expect("ack");
            assert_eq!(ack.rejected_samples, 0, "batch {} had rejected samples", ack.seq);
            accepted += ack.accepted_samples;
            in_flight -= 1;
        }
        accepted
    });
    (agg, accepted)
}

/// The number of samples stored, as the server counts them: the sum over `names` of
/// `sum(count_over_time(NAME{job=~"node|api"}[7h]))` after the window (one query per name, since
/// dropping the metric name would make series of different metrics collide).
pub fn stored_samples(http: &reqwest::blocking::Client, addr: SocketAddr, names: &[String]) -> Result<f64, String> {
    let t = (data::END_S + 1800).to_string();
    let mut total = 0.0;
    for name in names {
        let q = format!("sum(count_over_time({name}{{job=~\"node|api\"}}[7h]))");
        let v: Value = http
            .get(format!("http://{addr}/api/v1/query"))
            .query(&[("query", q.as_str()), ("time", &t)])
            .send()
            .and_then(|r| r.json())
            .map_err(|e| format!("{q}: {e}"))?;
        let n: f64 = v["data"]["result"][0]["value"][1]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("{q}: unexpected answer {v}"))?;
        total += n;
    }
    Ok(total)
}
