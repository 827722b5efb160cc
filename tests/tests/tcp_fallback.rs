//! The TCP fallback: with UDP to the aggregator's QUIC port dropped (iptables, on the loopback
//! interface), the agent's data still arrives, over TLS on TCP to the same port number; once UDP
//! is allowed again the agent returns to QUIC and data keeps arriving, without a failed session.
//! The TCP listener authenticates like QUIC: no client certificate, a foreign one, or a client
//! that does not negotiate the `pharos/1` ALPN is refused; a valid one speaks the same frames.
//!
//! Needs root and a working `iptables` (Debian package `iptables`); without them the test fails
//! with a message saying so rather than passing.
//!
//! Run: `cargo build --release --workspace && cargo test --release -p pharos-e2e --test tcp_fallback`.

use pharos_e2e::{wait_for, Agent, Aggregator};
use pharos_protocol::frame::{decode_body, encode_frame, Batch, Hello, Limits, Message, ALPN};
use pharos_protocol::tls::{self, CertRole, PemPair};
use pharos_protocol::{Labels, Sample, Series};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An iptables rule dropping UDP to a port on the loopback interface, deleted when dropped (also
/// when the test fails).
struct UdpBlock {
    port: u16,
    active: bool,
}

impl UdpBlock {
    fn rule(port: u16) -> Vec<String> {
        ["INPUT", "-p", "udp", "--dport", &port.to_string(), "-i", "lo", "-j", "DROP"].map(String::from).to_vec()
    }

    fn iptables(op: &str, port: u16) -> Result<(), String> {
        let out = Command::new("iptables")
            .arg(op)
            .args(Self::rule(port))
            .output()
            .map_err(|e| format!("running iptables: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("iptables {op} failed: {}", String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// Inserts the rule; panics with the reason if iptables is not usable here.
    fn insert(port: u16) -> UdpBlock {
        let check = Command::new("iptables").args(["-L", "INPUT", "-n"]).output();
        match check {
            Ok(o) if o.status.success() => {}
            Ok(o) => panic!(
                "this test needs root and a working iptables (apt-get install iptables): `iptables -L` failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => panic!("this test needs iptables (apt-get install iptables): {e}"),
        }
        Self::iptables("-I", port).unwrap_or_else(|e| panic!("cannot block UDP with iptables: {e}"));
        UdpBlock { port, active: true }
    }

    /// Deletes the rule.
    fn remove(&mut self) {
        if self.active {
            Self::iptables("-D", self.port).unwrap_or_else(|e| panic!("cannot delete the iptables rule: {e}"));
            self.active = false;
        }
    }
}

impl Drop for UdpBlock {
    fn drop(&mut self) {
        if self.active {
            // Never panic in drop (the test may be unwinding already); say so if it fails.
            if let Err(e) = Self::iptables("-D", self.port) {
                eprintln!("WARNING: the iptables rule dropping UDP port {} was not removed: {e}", self.port);
            }
        }
    }
}

fn gauge(agg: &Aggregator, q: &str) -> Option<f64> {
    agg.query_vector(q).first().map(pharos_e2e::sample_value)
}

/// The newest sample time of the agent's `node_load1`, in seconds.
fn newest(agg: &Aggregator) -> f64 {
    gauge(agg, r#"timestamp(node_load1{instance="tcp-host"})"#).unwrap_or(0.0)
}

#[test]
fn agent_falls_back_to_tcp_and_returns_to_quic() {
    tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let mut block = UdpBlock::insert(agg.quic.port());
    let mut agent =
        Agent::setup(&agg, "tcp-host", "1s", "quic_connect_timeout = \"2s\"\nquic_probe_interval = \"3s\"\n");
    agent.start();

    // Over TCP: the data arrives, and the agent says which transport it uses.
    let on_tcp = wait_for(Duration::from_secs(60), || {
        gauge(&agg, r#"pharos_agent_uplink_transport{instance="tcp-host",transport="tcp"}"#).filter(|v| *v == 1.0)
    });
    assert!(
        on_tcp.is_some(),
        "the agent did not report TCP; agent log:\n{}\naggregator log:\n{}",
        agent.log(),
        agg.log()
    );
    let (_, ok) =
        agg.wait_vector(r#"count_over_time(node_load1{instance="tcp-host"}[1m]) >= 5"#, Duration::from_secs(30), |v| {
            !v.is_empty()
        });
    assert!(ok, "five collections did not arrive over TCP; agent log:\n{}", agent.log());
    assert!(agent.log().contains("falling back to tcp"), "the fallback is logged:\n{}", agent.log());
    assert!(agg.log().contains("transport=\"tcp\""), "the aggregator logs the TCP connection:\n{}", agg.log());
    assert_eq!(
        gauge(&agg, r#"pharos_agent_uplink_transport{instance="tcp-host",transport="quic"}"#),
        Some(0.0),
        "QUIC is not in use while UDP is dropped"
    );

    // Probes (every 3 s) fail while UDP is dropped: still on TCP after two of them, and the data
    // keeps coming.
    let t0 = newest(&agg);
    std::thread::sleep(Duration::from_secs(7));
    assert_eq!(
        gauge(&agg, r#"pharos_agent_uplink_transport{instance="tcp-host",transport="tcp"}"#),
        Some(1.0),
        "still on TCP while UDP is dropped; agent log:\n{}",
        agent.log()
    );
    assert!(newest(&agg) > t0 + 4.0, "data stopped arriving over TCP; agent log:\n{}", agent.log());
    assert!(!agent.log().contains("uplink switching transport"), "no switch while UDP is dropped");

    // UDP allowed again: back to QUIC within a probe interval or two, data keeps arriving.
    block.remove();
    let before = newest(&agg);
    let on_quic = wait_for(Duration::from_secs(30), || {
        gauge(&agg, r#"pharos_agent_uplink_transport{instance="tcp-host",transport="quic"}"#).filter(|v| *v == 1.0)
    });
    assert!(on_quic.is_some(), "the agent did not return to QUIC; agent log:\n{}", agent.log());
    assert!(agent.log().contains("uplink switching transport"), "the switch is logged:\n{}", agent.log());
    let after = wait_for(Duration::from_secs(20), || {
        let t = newest(&agg);
        (t > before + 3.0).then_some(t)
    });
    assert!(after.is_some(), "data stopped arriving after the switch to QUIC; agent log:\n{}", agent.log());
    assert_eq!(
        gauge(&agg, r#"pharos_agent_uplink_transport{instance="tcp-host",transport="tcp"}"#),
        Some(0.0),
        "TCP is no longer in use"
    );
    // Neither the fallback nor the return cost a failed session, and nothing stays buffered.
    assert_eq!(
        gauge(&agg, r#"pharos_agent_uplink_send_failures_total{instance="tcp-host"}"#),
        Some(0.0),
        "agent log:\n{}",
        agent.log()
    );
    // Every collection since the start is there: one node_load1 sample per second, none lost in
    // the switch (a little slack for the last second's collection in flight).
    let count = gauge(&agg, r#"count_over_time(node_load1{instance="tcp-host"}[10m])"#).unwrap_or(0.0);
    let first = gauge(&agg, r#"min_over_time(timestamp(node_load1{instance="tcp-host"})[10m:1s])"#).unwrap_or(0.0);
    let last = newest(&agg);
    assert!(
        count >= (last - first) * 0.9,
        "samples went missing: {count} samples over {}s; agent log:\n{}",
        last - first,
        agent.log()
    );
    // The transport changes, for the test's output.
    for line in agent.log().lines().filter(|l| l.contains("uplink") || l.contains("QUIC") || l.contains("falling back"))
    {
        eprintln!("{line}");
    }
    drop(block);
    agent.proc.take();
    agg.stop();
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64
}

/// A TLS client over TCP with the given identity and ALPN protocols (blocking).
fn tls_connect(
    addr: SocketAddr,
    ca: &str,
    id: Option<&PemPair>,
    alpn: &[&[u8]],
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, String> {
    let mut cfg = tls::client_tls(ca, id).map_err(|e| e.to_string())?;
    cfg.alpn_protocols = alpn.iter().map(|a| a.to_vec()).collect();
    let name = rustls::pki_types::ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::new(cfg), name).map_err(|e| e.to_string())?;
    let tcp = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let mut s = rustls::StreamOwned::new(conn, tcp);
    while s.conn.is_handshaking() {
        s.conn.complete_io(&mut s.sock).map_err(|e| e.to_string())?;
    }
    Ok(s)
}

/// Writes one frame and reads the answer; any failure (including a closed connection) is an error.
fn exchange(s: &mut impl ReadWrite, msg: &Message) -> Result<Message, String> {
    let limits = Limits::default();
    s.write_all(&encode_frame(msg, &limits).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    s.flush().map_err(|e| e.to_string())?;
    let mut len = [0u8; 4];
    s.read_exact(&mut len).map_err(|e| e.to_string())?;
    let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
    s.read_exact(&mut body).map_err(|e| e.to_string())?;
    decode_body(&body, &limits).map_err(|e| e.to_string())
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

fn hello(agent: &str) -> Message {
    Message::Hello(Hello { agent: agent.into(), agent_version: "test".into(), buffer_id: 7, interval_ms: 1000 })
}

#[test]
fn tcp_listener_authenticates_like_quic() {
    tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let ca = tls::read_pem_file(&agg.tls_dir().join("ca.pem")).expect("ca");
    let (_, good) = agg.agent_credentials("tcp-client");

    // Refused: no certificate, a foreign CA's certificate, no ALPN.
    let anonymous = tls_connect(agg.quic, &ca, None, &[ALPN]).and_then(|mut s| exchange(&mut s, &hello("anonymous")));
    assert!(anonymous.is_err(), "a client without a certificate was served: {anonymous:?}");
    let other_ca = tls::generate_ca("Other CA").expect("ca");
    let forged = tls::issue(&other_ca, CertRole::Client, "tcp-client", &[]).expect("cert");
    let r = tls_connect(agg.quic, &ca, Some(&forged), &[ALPN]).and_then(|mut s| exchange(&mut s, &hello("tcp-client")));
    assert!(r.is_err(), "a client with a foreign certificate was served: {r:?}");
    let r = tls_connect(agg.quic, &ca, Some(&good), &[]).and_then(|mut s| exchange(&mut s, &hello("tcp-client")));
    assert!(r.is_err(), "a client without the pharos ALPN was served: {r:?}");
    let log = wait_for(Duration::from_secs(5), || {
        let l = agg.log();
        (l.matches("TCP connection refused").count() >= 3).then_some(l)
    });
    assert!(log.is_some(), "the aggregator did not log the three refusals:\n{}", agg.log());

    // Accepted: the same frames as over QUIC, and a Hello naming someone else is refused.
    let mut s = tls_connect(agg.quic, &ca, Some(&good), &[ALPN]).expect("connect");
    match exchange(&mut s, &hello("tcp-client")).expect("hello") {
        Message::HelloAck(a) => assert_eq!(a.last_acked_seq, None),
        other => panic!("expected HelloAck, got {other:?}"),
    }
    let series = Series {
        labels: Labels::from_pairs([("__name__", "tcp_metric"), ("job", "t"), ("instance", "tcp-client")]),
        samples: vec![Sample { timestamp_ms: now_ms(), value: 42.0 }],
    };
    match exchange(&mut s, &Message::Batch(Batch::from_series("tcp-client", 7, 1, &[series]))).expect("batch") {
        Message::Ack(a) => assert_eq!((a.seq, a.accepted_samples), (1, 1)),
        other => panic!("expected Ack, got {other:?}"),
    }
    let v = agg.query_vector("tcp_metric");
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(pharos_e2e::sample_value(&v[0]), 42.0);
    let mut s = tls_connect(agg.quic, &ca, Some(&good), &[ALPN]).expect("connect");
    match exchange(&mut s, &hello("someone-else")) {
        Ok(Message::Error(e)) => assert!(e.message.contains("someone-else"), "{}", e.message),
        other => panic!("expected an error frame, got {other:?}"),
    }
    agg.stop();
}
