//! Two aggregators for high availability: the agent lists both in `uplink.servers`, each gets
//! every batch from its own position in the one disk buffer. With one of them stopped for a
//! minute, the other has every sample; after it returns, both hold the same samples, and the
//! buffer, which kept everything the stopped one lacked, is trimmed again.
//!
//! Loss is told by a sequence, not by timing: the agent scrapes a target the test serves, whose
//! counter grows by one per scrape, so a lost batch is a missing number whatever the machine's
//! load does to the collection schedule.

use pharos_e2e::sequence::{sequence_holes, SequenceTarget, SEQUENCE_METRIC};
use pharos_e2e::{wait_for, Agent, Aggregator};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The job of the sequence target.
const SEQ_JOB: &str = "ha-seq";

fn now_s() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs_f64()
}

fn gauge(agg: &Aggregator, q: &str) -> Option<f64> {
    agg.query_vector(q).first()?["value"][1].as_str()?.parse().ok()
}

/// Copies `from`'s CA and server certificate into `to`, so one agent certificate and one CA file
/// work with both (as a fleet's two aggregators would share their CA).
fn share_ca(from: &Aggregator, to: &Aggregator) {
    for f in ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"] {
        std::fs::copy(from.tls_dir().join(f), to.tls_dir().join(f)).expect("copy TLS file");
    }
}

#[test]
fn with_one_of_two_aggregators_stopped_for_a_minute_nothing_is_lost_at_either() {
    let mut a = Aggregator::setup();
    let mut b = Aggregator::setup();
    share_ca(&a, &b);
    a.start();
    b.start();
    let agent_name = "ha-host";
    let target = SequenceTarget::start();
    let mut agent = Agent::setup(&a, agent_name, "1s", &target.scrape_config(SEQ_JOB));
    let text = std::fs::read_to_string(&agent.config).expect("read agent config");
    let single = format!("server = \"{}\"", a.quic);
    assert!(text.contains(&single), "agent config changed shape: {text}");
    let text = text.replace(&single, &format!("servers = [\"{}\", \"{}\"]", a.quic, b.quic));
    std::fs::write(&agent.config, text).expect("write agent config");
    agent.start();

    let series = format!("node_time_seconds{{instance=\"{agent_name}\"}}");
    for agg in [&a, &b] {
        wait_for(Duration::from_secs(30), || (!agg.query_vector(&series).is_empty()).then_some(()))
            .unwrap_or_else(|| panic!("no data at {}\nagent log:\n{}", agg.quic, agent.log()));
    }

    // Some history before the outage, so the window below starts before it.
    std::thread::sleep(Duration::from_secs(8));
    let down_from = now_s();
    b.stop();
    std::thread::sleep(Duration::from_secs(60));
    let down_to = now_s();

    // While b is down, a has every sample: one per second, no gap (the newest may be a
    // collection and a push behind).
    let at_a = wait_for(Duration::from_secs(10), || {
        let s = a.raw_samples(&series, down_from - 5.0, down_to);
        (s.last()?.0 >= down_to - 1.5).then_some(s)
    })
    .unwrap_or_else(|| panic!("a lags behind\nagent log:\n{}", agent.log()));
    // Every scrape of the sequence target during the outage is at a: the numbers run on without
    // a hole, but for scrapes that failed (`up` 0 in the same window, a timeout on a loaded
    // machine), which used a number and stored none.
    let seq = format!("{SEQUENCE_METRIC}{{job=\"{SEQ_JOB}\"}}");
    let seq_at_a = wait_for(Duration::from_secs(10), || {
        let s = a.raw_samples(&seq, down_from, down_to);
        (s.last()?.0 >= down_to - 1.5).then_some(s)
    })
    .unwrap_or_else(|| panic!("a lags behind on {seq}\nagent log:\n{}", agent.log()));
    let holes = sequence_holes(&seq_at_a);
    let skipped: u64 = holes.iter().map(|h| h.1).sum();
    let failed =
        a.raw_samples(&format!("up{{job=\"{SEQ_JOB}\"}}"), down_from, down_to).iter().filter(|(_, v)| v == "0").count()
            as u64;
    assert!(
        skipped <= failed,
        "a lacks {skipped} scrapes of the sequence while b was down ({failed} failed): {holes:?}"
    );
    assert!(seq_at_a.len() >= 50, "{} scrapes of the sequence in a 60 s outage", seq_at_a.len());
    let span = at_a.last().map_or(0.0, |l| l.0) - at_a.first().map_or(0.0, |f| f.0);
    assert!(span >= down_to - down_from + 3.0 && at_a.len() >= 60, "a has {} samples over {span:.1} s", at_a.len());
    // The buffer keeps what b lacks, though a has acked it.
    let kept = gauge(&a, &format!("pharos_agent_buffer_records{{instance=\"{agent_name}\"}}")).unwrap_or(0.0);
    assert!(kept >= 40.0, "the buffer must keep b's backlog, holds {kept} records");

    b.start();
    // b catches up: its newest sample is recent and it has the whole outage.
    let at_b = wait_for(Duration::from_secs(90), || {
        let s = b.raw_samples(&series, down_from - 5.0, down_to);
        (s.len() >= at_a.len()).then_some(s)
    })
    .unwrap_or_else(|| {
        panic!(
            "b did not catch up: {} of {} samples\nagent log:\n{}\nb log:\n{}",
            b.raw_samples(&series, down_from - 5.0, down_to).len(),
            at_a.len(),
            agent.log(),
            b.log()
        )
    });
    assert_eq!(at_a, at_b, "a and b must hold the same samples over the outage");
    let seq_at_b = wait_for(Duration::from_secs(30), || {
        let s = b.raw_samples(&seq, down_from, down_to);
        (s.len() >= seq_at_a.len()).then_some(s)
    })
    .unwrap_or_else(|| b.raw_samples(&seq, down_from, down_to));
    assert_eq!(seq_at_a, seq_at_b, "a and b must hold the same sequence over the outage");

    // Another series of the same batches, to be sure whole batches arrived, not one series.
    let acked = format!("pharos_agent_buffer_appended_samples_total{{instance=\"{agent_name}\"}}");
    assert_eq!(a.raw_samples(&acked, down_from, down_to), b.raw_samples(&acked, down_from, down_to));

    // Both have acked: the backlog is trimmed again.
    wait_for(Duration::from_secs(30), || {
        let records = gauge(&a, &format!("pharos_agent_buffer_records{{instance=\"{agent_name}\"}}"))?;
        (records <= 5.0).then_some(())
    })
    .unwrap_or_else(|| panic!("the buffer was not trimmed after b returned\nagent log:\n{}", agent.log()));
    for (agg, server) in [(&a, a.quic), (&b, b.quic)] {
        let connected = format!("pharos_agent_uplink_connected{{instance=\"{agent_name}\",server=\"{server}\"}}");
        wait_for(Duration::from_secs(10), || (gauge(agg, &connected)? == 1.0).then_some(()))
            .unwrap_or_else(|| panic!("{connected} is not 1"));
    }
}
