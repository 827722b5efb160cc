//! Security and bad input: agents without a certificate, or with one from another CA, are refused
//! at the handshake and nothing of theirs is stored; garbage, oversize and unknown-version frames
//! get a protocol error and a disconnect while a real agent keeps being served.

use pharos_e2e::{wait_for, Agent, Aggregator};
use pharos_protocol::client::{Client, ClientError};
use pharos_protocol::frame::{encode_frame, Batch, ErrorCode, Hello, Limits, Message, PROTOCOL_VERSION};
use pharos_protocol::tls::{self, CertRole, PemPair};
use pharos_protocol::{Labels, Sample, Series};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn hello(agent: &str) -> Hello {
    Hello { agent: agent.into(), agent_version: "test".into(), buffer_id: 1, interval_ms: 1000 }
}

fn intruder_batch(agent: &str) -> Batch {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_millis() as i64;
    let s = Series {
        labels: Labels::from_pairs([("__name__", "intruder_metric"), ("instance", agent)]),
        samples: vec![Sample { timestamp_ms: now, value: 1.0 }],
    };
    Batch::from_series(agent, 1, 1, &[s])
}

/// Connects, says hello and sends one batch; returns the first error on the way.
async fn try_push(agg: &Aggregator, ca: &str, id: Option<&PemPair>, agent: &str) -> Result<(), ClientError> {
    let mut c = Client::connect(agg.quic, "localhost", ca, id).await?;
    c.hello(hello(agent)).await?;
    c.send_batch(intruder_batch(agent)).await?;
    c.recv_ack().await?;
    Ok(())
}

#[test]
fn untrusted_clients_are_refused_at_the_handshake() {
    tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let ca = tls::read_pem_file(&agg.tls_dir().join("ca.pem")).expect("ca");
    let rt = tokio::runtime::Runtime::new().expect("runtime");

    // No client certificate at all.
    let r = rt.block_on(try_push(&agg, &ca, None, "anonymous"));
    assert!(r.is_err(), "a client without a certificate was served");

    // A certificate from another CA, with a name that looks legitimate.
    let other_ca = tls::generate_ca("Other CA").expect("ca");
    let forged = tls::issue(&other_ca, CertRole::Client, "forged-host", &[]).expect("cert");
    let r = rt.block_on(try_push(&agg, &ca, Some(&forged), "forged-host"));
    assert!(r.is_err(), "a client with a foreign certificate was served");

    let log = wait_for(Duration::from_secs(5), || {
        let l = agg.log();
        (l.matches("refused at the TLS handshake").count() >= 2).then_some(l)
    })
    .unwrap_or_else(|| panic!("the aggregator did not log both refusals:\n{}", agg.log()));
    assert!(log.contains("certificate"), "the log says why (certificate):\n{log}");

    for q in ["intruder_metric", "up{instance=~\"anonymous|forged-host\"}", "{instance=\"forged-host\"}"] {
        assert!(agg.query_vector(q).is_empty(), "{q} returned data from a refused client");
    }
}

#[test]
fn bad_frames_get_an_error_and_a_disconnect_while_others_are_served() {
    tls::install_default_provider();
    let mut agg = Aggregator::setup();
    agg.start();
    let mut good = Agent::setup(&agg, "good-host", "1s", "");
    good.start();
    let newest = |agg: &Aggregator| -> f64 {
        agg.query_vector("timestamp(node_time_seconds{instance=\"good-host\"})")
            .first()
            .and_then(|s| s["value"][1].as_str().and_then(|v| v.parse().ok()))
            .unwrap_or(0.0)
    };
    wait_for(Duration::from_secs(30), || (newest(&agg) > 0.0).then_some(())).expect("good agent pushes");

    let (ca, id) = agg.agent_credentials("bad-client");
    let limits = Limits::default();
    let mut version_frame = encode_frame(&Message::Hello(hello("bad-client")), &limits).expect("encode");
    // Bytes 4..6 hold the protocol version.
    version_frame[4..6].copy_from_slice(&(PROTOCOL_VERSION + 98).to_be_bytes());
    // A well-formed header around a payload that is not bincode.
    let mut junk = 12u32.to_be_bytes().to_vec();
    junk.extend_from_slice(&PROTOCOL_VERSION.to_be_bytes());
    junk.push(0);
    junk.extend_from_slice(&[0xff; 9]);
    let cases: Vec<(&str, Vec<u8>, Option<ErrorCode>)> = vec![
        ("garbage payload", junk, Some(ErrorCode::BadFrame)),
        // Its first four bytes read as a length of about 1.2 GB.
        ("HTTP request", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), None),
        (
            "oversize",
            (1u32 << 31).to_be_bytes().iter().copied().chain([0u8; 16]).collect(),
            Some(ErrorCode::FrameTooLarge),
        ),
        ("unknown version", version_frame, Some(ErrorCode::UnsupportedVersion)),
    ];
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    for (what, bytes, code) in cases {
        let got = rt.block_on(async {
            let mut c = Client::connect(agg.quic, "localhost", &ca, Some(&id)).await.expect("connect");
            c.send.write_all(&bytes).await.expect("write");
            let first =
                tokio::time::timeout(Duration::from_secs(10), c.recv_message()).await.expect("an answer in time");
            // After the error frame the stream ends, and then the whole connection.
            let second = tokio::time::timeout(Duration::from_secs(10), c.recv_message()).await.expect("closed in time");
            let closed = tokio::time::timeout(Duration::from_secs(10), c.conn.closed()).await.expect("disconnected in time");
            assert!(
                matches!(&closed, quinn::ConnectionError::ApplicationClosed(a) if a.error_code == quinn::VarInt::from_u32(2)),
                "{what}: closed by the aggregator with a protocol error, got {closed:?}"
            );
            (first, second.is_err())
        });
        match got {
            (Err(ClientError::Server(msg)), true) => {
                if let Some(code) = code {
                    assert!(msg.starts_with(&format!("{code:?}")), "{what}: expected {code:?}, got {msg}")
                }
            }
            other => panic!("{what}: expected an error frame and a disconnect, got {other:?}"),
        }
    }
    // The good agent is still being served after all that.
    let before = newest(&agg);
    let advanced = wait_for(Duration::from_secs(15), || (newest(&agg) > before + 1.5).then_some(()));
    assert!(advanced.is_some(), "the good agent stopped being served\n{}", agg.log());
    assert!(agg.log().contains("refusing agent stream"), "refusals are logged");
}
