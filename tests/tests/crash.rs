//! Crash: SIGKILL the aggregator while it acknowledges a heavy stream of batches; after a restart
//! every batch it acknowledged is stored, completely, and its checkpoint covers the last ack.

use pharos_e2e::{wait_for, Aggregator};
use pharos_protocol::client::Client;
use pharos_protocol::frame::{Batch, Hello};
use pharos_protocol::{Labels, Sample, Series};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SERIES_PER_BATCH: usize = 1000;

fn batch(seq: u64, base_ms: i64) -> Batch {
    let ts = base_ms + seq as i64 * 1000;
    let series: Vec<Series> = (0..SERIES_PER_BATCH)
        .map(|i| Series {
            labels: Labels::from_pairs([("__name__", "crash_test_seq".to_string()), ("series", i.to_string())]),
            samples: vec![Sample { timestamp_ms: ts, value: seq as f64 }],
        })
        .collect();
    Batch::from_series("crash-agent", 7, seq, &series)
}

#[test]
fn every_acked_batch_survives_sigkill() {
    pharos_protocol::tls::install_default_provider();
    // Checkpoints every second, so the kill lands after some (open chunks written to RocksDB as
    // snapshots, WAL trimmed) and the restart has both snapshots and WAL records to put together.
    let mut agg = Aggregator::setup_with("[storage]\ncheckpoint_interval = \"1s\"\n");
    agg.start();
    let (ca, id) = agg.agent_credentials("crash-agent");
    let base_ms = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64 - 10_000_000;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let acked = Arc::new(AtomicU64::new(0));
    let quic = agg.quic;

    // Stream batches (pipelined, 8 in flight) until the connection dies.
    let acked2 = acked.clone();
    let (ca2, id2) = (ca.clone(), id.clone());
    let mut sender = rt.spawn(async move {
        let mut c = Client::connect(quic, "localhost", &ca2, Some(&id2)).await.expect("connect");
        c.hello(Hello { agent: "crash-agent".into(), agent_version: "test".into(), buffer_id: 7, interval_ms: 1000 })
            .await
            .expect("hello");
        let mut next = 1u64;
        let mut in_flight = 0;
        loop {
            while in_flight < 8 {
                if c.send_batch(batch(next, base_ms)).await.is_err() {
                    return;
                }
                next += 1;
                in_flight += 1;
            }
            match c.recv_ack().await {
                Ok(a) => {
                    acked2.store(a.seq, Ordering::SeqCst);
                    in_flight -= 1;
                }
                Err(_) => return,
            }
        }
    });
    wait_for(Duration::from_secs(30), || (acked.load(Ordering::SeqCst) >= 40).then_some(())).expect("acks flow");
    let checkpoints = || {
        let text = agg.metrics_text();
        let line = text.lines().find(|l| l.starts_with("pharos_storage_checkpoints_total ")).map(str::to_owned);
        line.and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()).unwrap_or(0.0)
    };
    wait_for(Duration::from_secs(30), || (checkpoints() >= 2.0).then_some(())).expect("checkpoints under load");
    agg.proc.as_mut().expect("started").kill();
    // Acks the aggregator sent just before it died may still be in flight to us; after that
    // nothing more can arrive, so stop the sender instead of waiting for QUIC's idle timeout.
    rt.block_on(async {
        if tokio::time::timeout(Duration::from_secs(2), &mut sender).await.is_err() {
            sender.abort();
        }
    });
    let last_acked = acked.load(Ordering::SeqCst);
    assert!(last_acked >= 40);

    agg.start();
    // The checkpoint tells a reconnecting agent at least everything it saw acked.
    let hello_ack = rt.block_on(async {
        let mut c = Client::connect(quic, "localhost", &ca, Some(&id)).await.expect("reconnect");
        c.hello(Hello { agent: "crash-agent".into(), agent_version: "test".into(), buffer_id: 7, interval_ms: 1000 })
            .await
            .expect("hello")
    });
    let stored_seq = hello_ack.last_acked_seq.expect("a checkpoint");
    assert!(stored_seq >= last_acked, "checkpoint {stored_seq} < last ack {last_acked}");

    // Every acked batch is there, with all its series.
    let data = agg.query("count_over_time(crash_test_seq[4h])");
    let result = data["result"].as_array().expect("vector");
    assert_eq!(result.len(), SERIES_PER_BATCH, "every series exists");
    for s in result {
        let n: f64 = s["value"][1].as_str().expect("value").parse().expect("float");
        assert!(n as u64 >= last_acked, "series {} has {n} samples, acked {last_acked}", s["metric"]);
        assert_eq!(n as u64, stored_seq, "a stored batch is stored completely in every series");
    }
}

/// One sample of `replay_test` at `base + seq` seconds with value `value`.
fn replay_batch(seq: u64, base_ms: i64, value: f64) -> Batch {
    let s = Series {
        labels: Labels::from_pairs([("__name__", "replay_test")]),
        samples: vec![Sample { timestamp_ms: base_ms + seq as i64 * 1000, value }],
    };
    Batch::from_series("replay-agent", 9, seq, &[s])
}

/// The `Hello` of the agent `replay_batch` speaks for.
fn replay_hello() -> Hello {
    Hello { agent: "replay-agent".into(), agent_version: "test".into(), buffer_id: 9, interval_ms: 1000 }
}

#[test]
fn replayed_sequence_numbers_are_acked_but_not_stored_again() {
    pharos_protocol::tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let (ca, id) = agg.agent_credentials("replay-agent");
    let base_ms = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64 - 60_000;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let mut c = Client::connect(agg.quic, "localhost", &ca, Some(&id)).await.expect("connect");
        assert_eq!(c.hello(replay_hello()).await.expect("hello").last_acked_seq, None);
        for seq in 1..=3 {
            c.send_batch(replay_batch(seq, base_ms, seq as f64)).await.expect("send");
            let ack = c.recv_ack().await.expect("ack");
            assert_eq!((ack.seq, ack.accepted_samples), (seq, 1));
        }
        // A new connection, as after an agent restart that lost its acks: the aggregator says
        // what it has, and replays of 2 and 3 (with other values) are acked without being stored.
        let mut c = Client::connect(agg.quic, "localhost", &ca, Some(&id)).await.expect("reconnect");
        assert_eq!(c.hello(replay_hello()).await.expect("hello").last_acked_seq, Some(3));
        for seq in 2..=3 {
            c.send_batch(replay_batch(seq, base_ms, 999.0)).await.expect("send");
            let ack = c.recv_ack().await.expect("ack");
            assert_eq!((ack.seq, ack.accepted_samples), (seq, 0), "a replay is acked and not stored");
        }
        c.send_batch(replay_batch(4, base_ms, 4.0)).await.expect("send");
        assert_eq!(c.recv_ack().await.expect("ack").accepted_samples, 1);
    });
    let data = agg.query("replay_test[5m]");
    let values: Vec<String> = data["result"][0]["values"]
        .as_array()
        .expect("matrix")
        .iter()
        .map(|v| v[1].as_str().expect("value").to_string())
        .collect();
    assert_eq!(values, ["1", "2", "3", "4"], "stored once, with the first values");
}

#[test]
fn pipelined_batches_share_writes_and_are_acked_in_order() {
    pharos_protocol::tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let (ca, id) = agg.agent_credentials("replay-agent");
    let base_ms = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64 - 600_000;
    const LAST: u64 = 200;
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let mut c = Client::connect(agg.quic, "localhost", &ca, Some(&id)).await.expect("connect");
        c.hello(replay_hello()).await.expect("hello");
        for seq in 1..=2 {
            c.send_batch(replay_batch(seq, base_ms, seq as f64)).await.expect("send");
            assert_eq!(c.recv_ack().await.expect("ack").seq, seq);
        }
        // After a reconnect: two replays, then new batches, all sent before any ack is read.
        let mut c = Client::connect(agg.quic, "localhost", &ca, Some(&id)).await.expect("reconnect");
        assert_eq!(c.hello(replay_hello()).await.expect("hello").last_acked_seq, Some(2));
        for seq in 1..=LAST {
            let value = if seq <= 2 { 999.0 } else { seq as f64 };
            c.send_batch(replay_batch(seq, base_ms, value)).await.expect("send");
        }
        for seq in 1..=LAST {
            let ack = c.recv_ack().await.expect("ack");
            let expected = if seq <= 2 { 0 } else { 1 };
            assert_eq!((ack.seq, ack.accepted_samples), (seq, expected), "acks come in order");
        }
    });
    let data = agg.query("count_over_time(replay_test[1h])");
    assert_eq!(data["result"][0]["value"][1], "200", "every batch stored once: {data}");
    let data = agg.query("sum_over_time(replay_test[1h])");
    assert_eq!(data["result"][0]["value"][1], (LAST * (LAST + 1) / 2).to_string(), "first values kept: {data}");
    // Batches queued while a write was being synced joined the next write.
    let metrics = agg.metrics_text();
    let appends: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("pharos_storage_appends_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("pharos_storage_appends_total on /metrics");
    assert!(appends < (LAST as f64) * 0.75, "{appends} writes for {LAST} pipelined batches");
}
