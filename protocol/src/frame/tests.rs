use super::*;
use crate::model::{stale_nan, Label, Labels, Sample, Series, STALE_NAN_BITS};
use proptest::prelude::*;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

fn series(pairs: &[(&str, &str)], samples: &[(i64, f64)]) -> Series {
    Series {
        labels: labels(pairs),
        samples: samples.iter().map(|&(timestamp_ms, value)| Sample { timestamp_ms, value }).collect(),
    }
}

fn small_batch() -> Batch {
    Batch::from_series(
        "host-a",
        7,
        42,
        &[
            series(&[("__name__", "up"), ("job", "node")], &[(1_700_000_000_000, 1.0)]),
            series(&[("__name__", "node_load1")], &[(1_700_000_000_000, stale_nan()), (1_700_000_010_000, f64::NAN)]),
        ],
    )
}

/// A frame body with an arbitrary header, for forging inputs the encoder would never produce.
fn body(version: u16, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut b = version.to_be_bytes().to_vec();
    b.push(flags);
    b.extend_from_slice(payload);
    b
}

fn decode_frame(frame: &[u8], limits: &Limits) -> Result<Message, FrameError> {
    decode_body(&frame[LEN_PREFIX_BYTES..], limits)
}

/// Compares batches bit for bit (NaN != NaN under PartialEq).
fn assert_same_batch(a: &Batch, b: &Batch) {
    assert_eq!(
        (&a.agent, a.buffer_id, a.seq, a.base_timestamp_ms),
        (&b.agent, b.buffer_id, b.seq, b.base_timestamp_ms)
    );
    assert_eq!(a.series, b.series);
    assert_eq!(a.samples.len(), b.samples.len());
    for (x, y) in a.samples.iter().zip(&b.samples) {
        assert_eq!((x.series, x.ts_delta_ms, x.value.to_bits()), (y.series, y.ts_delta_ms, y.value.to_bits()));
    }
}

fn unwrap_batch(m: Message) -> Batch {
    match m {
        Message::Batch(b) => b,
        other => panic!("expected a batch, got {other:?}"),
    }
}

#[test]
fn small_batch_round_trips_uncompressed_with_nan_bits() {
    let limits = Limits::default();
    let b = small_batch();
    let frame = encode_frame(&Message::Batch(b.clone()), &limits).unwrap();
    assert_eq!(u32::from_be_bytes(frame[..4].try_into().unwrap()) as usize, frame.len() - 4);
    assert_eq!(u16::from_be_bytes([frame[4], frame[5]]), PROTOCOL_VERSION);
    assert_eq!(frame[6] & FLAG_LZ4, 0, "small payload must not be compressed");
    let back = unwrap_batch(decode_frame(&frame, &limits).unwrap());
    assert_same_batch(&b, &back);
    let s = back.to_series();
    assert_eq!(s[1].samples[0].value.to_bits(), STALE_NAN_BITS);
    assert_eq!(s[1].samples[1].value.to_bits(), f64::NAN.to_bits());
    // Moving the labels out gives the same series.
    let moved = back.into_series();
    assert_eq!(moved.len(), s.len());
    for (a, b) in moved.iter().zip(&s) {
        assert_eq!(a.labels, b.labels);
        let bits = |x: &Series| x.samples.iter().map(|p| (p.timestamp_ms, p.value.to_bits())).collect::<Vec<_>>();
        assert_eq!(bits(a), bits(b));
    }
}

fn big_batch(n: usize) -> Batch {
    let input: Vec<Series> = (0..n)
        .map(|i| {
            let v = if i % 7 == 0 { stale_nan() } else { i as f64 * 1.5 };
            series(
                &[("__name__", "node_cpu_seconds_total"), ("cpu", &(i % 64).to_string()), ("mode", &format!("m{i}"))],
                &[(1_700_000_000_000 + i as i64, v)],
            )
        })
        .collect();
    Batch::from_series("host-b", 1, 2, &input)
}

#[test]
fn big_batch_round_trips_compressed_with_stale_nan_bits() {
    let limits = Limits::default();
    let b = big_batch(2000);
    let frame = encode_frame(&Message::Batch(b.clone()), &limits).unwrap();
    assert_eq!(frame[6] & FLAG_LZ4, FLAG_LZ4, "large payload must be compressed");
    let back = unwrap_batch(decode_frame(&frame, &limits).unwrap());
    assert_same_batch(&b, &back);
    assert!(back.samples.iter().filter(|s| s.series % 7 == 0).all(|s| s.value.to_bits() == STALE_NAN_BITS));
}

#[test]
fn every_message_kind_round_trips() {
    let limits = Limits::default();
    let msgs = [
        Message::Hello(Hello {
            agent: "a".into(),
            agent_version: "0.1.0".into(),
            buffer_id: u64::MAX,
            interval_ms: 10_000,
        }),
        Message::HelloAck(HelloAck { server_version: "0.1.0".into(), last_acked_seq: Some(9) }),
        Message::HelloAck(HelloAck { server_version: String::new(), last_acked_seq: None }),
        Message::Ack(Ack {
            seq: 1,
            accepted_samples: 2,
            rejected_samples: 3,
            rejected: Rejections { out_of_order: 1, too_old: 1, too_far_in_future: 0, series_limit: 1 },
        }),
        Message::Error(ErrorFrame { code: ErrorCode::IdentityMismatch, message: "no".into() }),
        Message::Batch(Batch::from_series("x", 0, 0, &[])),
    ];
    for m in msgs {
        let frame = encode_frame(&m, &limits).unwrap();
        assert_eq!(decode_frame(&frame, &limits).unwrap(), m);
    }
}

#[test]
fn from_series_merges_equal_labels_skips_empty_and_restores_timestamps() {
    let input = [
        series(&[("__name__", "a")], &[(100, 1.0)]),
        series(&[("__name__", "b")], &[]),
        series(&[("__name__", "c")], &[(i64::MIN, 2.0), (i64::MAX, 3.0)]),
        series(&[("__name__", "a")], &[(50, 4.0)]),
    ];
    let b = Batch::from_series("x", 1, 2, &input);
    assert_eq!(b.series.len(), 2);
    assert_eq!(b.sample_count(), 4);
    assert_eq!(b.base_timestamp_ms, i64::MIN);
    b.validate(&Limits::default()).unwrap();
    let out = b.to_series();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].labels, labels(&[("__name__", "a")]));
    assert_eq!(out[0].samples, vec![Sample { timestamp_ms: 100, value: 1.0 }, Sample { timestamp_ms: 50, value: 4.0 }]);
    assert_eq!(
        out[1].samples,
        vec![Sample { timestamp_ms: i64::MIN, value: 2.0 }, Sample { timestamp_ms: i64::MAX, value: 3.0 }]
    );
}

// ---- limits and invariants -------------------------------------------------------------------

/// Mirrors `Message` with raw label vectors, so tests can put on the wire what `Labels` never holds.
#[derive(Serialize)]
enum RawMessage {
    _Hello(Hello),
    _HelloAck(HelloAck),
    Batch(RawBatch),
}

#[derive(Serialize)]
struct RawBatch {
    agent: String,
    buffer_id: u64,
    seq: u64,
    base_timestamp_ms: i64,
    series: Vec<Vec<Label>>,
    samples: Vec<WireSample>,
}

fn raw_batch_body(series: Vec<Vec<(&str, &str)>>, samples: Vec<u32>) -> Vec<u8> {
    let raw = RawMessage::Batch(RawBatch {
        agent: "x".into(),
        buffer_id: 0,
        seq: 0,
        base_timestamp_ms: 0,
        series: series.into_iter().map(|s| s.into_iter().map(|(n, v)| Label::new(n, v)).collect()).collect(),
        samples: samples.into_iter().map(|series| WireSample { series, ts_delta_ms: 0, value: 1.0 }).collect(),
    });
    body(PROTOCOL_VERSION, 0, &bincode::serde::encode_to_vec(&raw, bincode_config()).unwrap())
}

fn limit_err(body: &[u8], limits: &Limits) -> LimitError {
    match decode_body(body, limits) {
        Err(FrameError::Limit(e)) => {
            assert_eq!(FrameError::Limit(e.clone()).code(), ErrorCode::LimitExceeded);
            e
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
}

#[test]
fn every_limit_is_enforced_on_decode() {
    let l = Limits::default();
    let ok = raw_batch_body(vec![vec![("__name__", "up"), ("job", "x")]], vec![0]);
    decode_body(&ok, &l).unwrap();

    let strict = Limits { max_series_per_batch: 1, ..l };
    let b = raw_batch_body(vec![vec![("__name__", "a")], vec![("__name__", "b")]], vec![0]);
    assert_eq!(limit_err(&b, &strict), LimitError::TooManySeries { got: 2, max: 1 });

    let strict = Limits { max_samples_per_batch: 2, ..l };
    let b = raw_batch_body(vec![vec![("__name__", "a")]], vec![0, 0, 0]);
    assert_eq!(limit_err(&b, &strict), LimitError::TooManySamples { got: 3, max: 2 });

    let strict = Limits { max_label_name_len: 3, ..l };
    let b = raw_batch_body(vec![vec![("abcd", "v")]], vec![0]);
    assert_eq!(limit_err(&b, &strict), LimitError::LabelNameTooLong { series: 0, len: 4, max: 3 });

    let strict = Limits { max_label_value_len: 3, ..l };
    let b = raw_batch_body(vec![vec![("a", "v")], vec![("a", "vvvv")]], vec![0]);
    assert_eq!(limit_err(&b, &strict), LimitError::LabelValueTooLong { series: 1, name: "a".into(), len: 4, max: 3 });

    let strict = Limits { max_labels_per_series: 1, ..l };
    let b = raw_batch_body(vec![vec![("a", "1"), ("b", "2")]], vec![0]);
    assert_eq!(limit_err(&b, &strict), LimitError::TooManyLabels { series: 0, got: 2, max: 1 });

    let b = raw_batch_body(vec![vec![("a", "1")]], vec![0, 1]);
    assert_eq!(limit_err(&b, &l), LimitError::BadSeriesIndex { index: 1, series: 1 });

    let b = raw_batch_body(vec![vec![("a-b", "1")]], vec![]);
    assert_eq!(limit_err(&b, &l), LimitError::InvalidLabelName("a-b".into()));

    let b = raw_batch_body(vec![vec![("__name__", "1up")]], vec![]);
    assert_eq!(limit_err(&b, &l), LimitError::InvalidMetricName("1up".into()));

    let b = raw_batch_body(vec![vec![("a", "1"), ("a", "2")]], vec![]);
    assert_eq!(limit_err(&b, &l), LimitError::DuplicateLabel { series: 0, name: "a".into() });

    let b = raw_batch_body(vec![vec![("b", "1"), ("a", "2")]], vec![]);
    assert_eq!(limit_err(&b, &l), LimitError::UnsortedLabels { series: 0, name: "a".into() });

    let b = raw_batch_body(vec![vec![("a", "")]], vec![]);
    assert_eq!(limit_err(&b, &l), LimitError::EmptyLabelValue { series: 0, name: "a".into() });
}

#[test]
fn encode_refuses_batches_and_frames_over_the_limits() {
    let strict = Limits { max_series_per_batch: 1, ..Limits::default() };
    let err = encode_frame(&Message::Batch(big_batch(2)), &strict).unwrap_err();
    assert!(matches!(err, FrameError::Limit(LimitError::TooManySeries { got: 2, max: 1 })), "{err}");

    // Incompressible payload of exactly max_frame_bytes: fits as a payload, not as a frame.
    let max = 1000u32;
    let limits = Limits { max_frame_bytes: max, ..Limits::default() };
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut hello = Hello { agent: String::new(), agent_version: String::new(), buffer_id: 0, interval_ms: 0 };
    let fixed = bincode::serde::encode_to_vec(Message::Hello(hello.clone()), bincode_config()).unwrap().len();
    // The string's varint length grows from 1 to 3 bytes once it is >= 251 bytes long.
    hello.agent = (0..max as usize - fixed - 2)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'!' + (x % 90) as u8)
        })
        .collect();
    let err = encode_frame(&Message::Hello(hello.clone()), &limits).unwrap_err();
    assert!(matches!(err, FrameError::TooLarge { len: 1003, max: 1000 }), "{err}");
    assert_eq!(err.code(), ErrorCode::FrameTooLarge);

    hello.agent.push('x');
    let err = encode_frame(&Message::Hello(hello), &limits).unwrap_err();
    assert!(matches!(err, FrameError::PayloadTooLarge { len: 1001, max: 1000 }), "{err}");
}

// ---- malformed input ----------------------------------------------------------------------------

#[test]
fn wrong_version_unknown_flags_short_body_and_garbage_are_rejected() {
    let l = Limits::default();
    let frame = encode_frame(
        &Message::Ack(Ack { seq: 1, accepted_samples: 0, rejected_samples: 0, rejected: Rejections::default() }),
        &l,
    )
    .unwrap();
    let payload = &frame[LEN_PREFIX_BYTES + HEADER_BYTES..];

    let err = decode_body(&body(2, 0, payload), &l).unwrap_err();
    assert!(matches!(err, FrameError::UnsupportedVersion { got: 2 }), "{err}");
    assert_eq!(err.code(), ErrorCode::UnsupportedVersion);

    let err = decode_body(&body(PROTOCOL_VERSION, 0x80, payload), &l).unwrap_err();
    assert!(matches!(err, FrameError::UnknownFlags { flags: 0x80 }), "{err}");

    for short in [&[][..], &[0][..], &[0, 1][..]] {
        let err = decode_body(short, &l).unwrap_err();
        assert!(matches!(err, FrameError::TooShort { .. }), "{err}");
        assert_eq!(err.code(), ErrorCode::BadFrame);
    }

    let err = decode_body(&body(PROTOCOL_VERSION, 0, &[0xFF; 32]), &l).unwrap_err();
    assert!(matches!(err, FrameError::Decode(_)), "{err}");
    let err = decode_body(&body(PROTOCOL_VERSION, 0, &[]), &l).unwrap_err();
    assert!(matches!(err, FrameError::Decode(_)), "{err}");

    let mut trailing = payload.to_vec();
    trailing.push(0);
    let err = decode_body(&body(PROTOCOL_VERSION, 0, &trailing), &l).unwrap_err();
    assert!(err.to_string().contains("trailing"), "{err}");
}

#[test]
fn truncated_bodies_are_decode_errors() {
    let l = Limits::default();
    for frame in [
        encode_frame(&Message::Batch(small_batch()), &l).unwrap(),
        encode_frame(&Message::Batch(big_batch(100)), &l).unwrap(),
    ] {
        let full = &frame[LEN_PREFIX_BYTES..];
        for cut in 0..full.len() {
            let err = decode_body(&full[..cut], &l).unwrap_err();
            assert_eq!(err.code(), ErrorCode::BadFrame, "cut at {cut}: {err}");
        }
    }
}

#[test]
fn forged_string_length_is_refused_before_allocating() {
    // Message::Hello (variant 0), then a string whose varint length says 2^40 bytes.
    let mut payload = vec![0u8, 0xFD];
    payload.extend_from_slice(&(1u64 << 40).to_le_bytes());
    let err = decode_body(&body(PROTOCOL_VERSION, 0, &payload), &Limits::default()).unwrap_err();
    assert!(matches!(err, FrameError::Decode(_)), "{err}");
}

#[test]
fn lz4_bombs_are_refused_before_decompressing() {
    let l = Limits::default();
    // Declared size far over the limit, no data behind it.
    let mut p = (u32::MAX - 1).to_le_bytes().to_vec();
    p.extend_from_slice(&[0; 16]);
    let err = decode_body(&body(PROTOCOL_VERSION, FLAG_LZ4, &p), &l).unwrap_err();
    assert!(matches!(err, FrameError::PayloadTooLarge { .. }), "{err}");
    assert_eq!(err.code(), ErrorCode::FrameTooLarge);

    // A genuine bomb: 64 MiB of zeros compress to ~250 KiB, a frame well within 16 MiB.
    let bomb = lz4_flex::compress_prepend_size(&vec![0u8; 64 << 20]);
    assert!(bomb.len() < (1 << 20));
    let err = decode_body(&body(PROTOCOL_VERSION, FLAG_LZ4, &bomb), &l).unwrap_err();
    assert!(matches!(err, FrameError::PayloadTooLarge { len, .. } if len == 64 << 20), "{err}");

    // Declared size disagreeing with the data either way.
    let ack = bincode::serde::encode_to_vec(
        Message::Ack(Ack { seq: 5, accepted_samples: 1, rejected_samples: 0, rejected: Rejections::default() }),
        bincode_config(),
    )
    .unwrap();
    let mut c = lz4_flex::compress_prepend_size(&ack);
    for declared in [ack.len() as u32 + 10, ack.len() as u32 - 1] {
        c[..4].copy_from_slice(&declared.to_le_bytes());
        let err = decode_body(&body(PROTOCOL_VERSION, FLAG_LZ4, &c), &l).unwrap_err();
        assert!(matches!(err, FrameError::Decompress(_)), "{err}");
    }
    let err = decode_body(&body(PROTOCOL_VERSION, FLAG_LZ4, &[1, 2]), &l).unwrap_err();
    assert!(matches!(err, FrameError::Decompress(_)), "{err}");
}

// ---- streams ----------------------------------------------------------------------------------

#[tokio::test]
async fn frames_stream_through_a_pipe() {
    let l = Limits::default();
    let (mut a, mut b) = tokio::io::duplex(1 << 16);
    let big = Message::Batch(big_batch(500));
    let raw = encode_frame(&Message::Batch(small_batch()), &l).unwrap();
    let writer = async {
        write_frame(
            &mut a,
            &Message::Ack(Ack { seq: 1, accepted_samples: 1, rejected_samples: 0, rejected: Rejections::default() }),
            &l,
        )
        .await
        .unwrap();
        write_raw_frame(&mut a, &raw).await.unwrap();
        write_frame(&mut a, &big, &l).await.unwrap();
        drop(a);
    };
    let reader = async {
        let mut got = Vec::new();
        while let Some(m) = read_frame(&mut b, &l).await.unwrap() {
            got.push(m);
        }
        got
    };
    let ((), got) = tokio::join!(writer, reader);
    assert_eq!(got.len(), 3);
    assert!(matches!(got[0], Message::Ack(Ack { seq: 1, .. })));
    assert_same_batch(&unwrap_batch(got[1].clone()), &small_batch());
    assert_same_batch(&unwrap_batch(got[2].clone()), &unwrap_batch(big));
}

#[tokio::test]
async fn truncated_streams_are_unexpected_eof() {
    let l = Limits::default();
    let frame = encode_frame(&Message::Batch(small_batch()), &l).unwrap();
    assert!(read_frame(&mut &[][..], &l).await.unwrap().is_none());
    for cut in 1..frame.len() {
        let err = read_frame(&mut &frame[..cut], &l).await.unwrap_err();
        assert!(matches!(err, FrameError::UnexpectedEof { .. }), "cut at {cut}: {err}");
        assert_eq!(err.code(), ErrorCode::BadFrame);
    }
}

#[tokio::test]
async fn huge_length_prefix_is_refused_before_reading_the_body() {
    let l = Limits::default();
    // Only the prefix is there: TooLarge (rather than UnexpectedEof) proves no body was awaited,
    // let alone allocated.
    let err = read_frame(&mut &u32::MAX.to_be_bytes()[..], &l).await.unwrap_err();
    assert!(matches!(err, FrameError::TooLarge { len, max } if len == u64::from(u32::MAX) && max == l.max_frame_bytes));
    let err = read_frame(&mut &(l.max_frame_bytes + 1).to_be_bytes()[..], &l).await.unwrap_err();
    assert!(matches!(err, FrameError::TooLarge { .. }), "{err}");
    let err = read_frame(&mut &2u32.to_be_bytes()[..], &l).await.unwrap_err();
    assert!(matches!(err, FrameError::TooShort { len: 2, .. }), "{err}");
}

#[tokio::test]
async fn write_raw_frame_rejects_inconsistent_frames() {
    let mut sink = Vec::new();
    for bad in [&[][..], &[0, 0, 0][..], &[0, 0, 0, 5, 0, 1][..], &[0, 0, 0, 1, 0][..]] {
        let err = write_raw_frame(&mut sink, bad).await.unwrap_err();
        assert!(matches!(err, FrameError::BadRawFrame { .. }), "{err}");
    }
    assert!(sink.is_empty());
}

#[test]
fn error_frames_carry_code_and_message() {
    let e = FrameError::UnsupportedVersion { got: 9 };
    let f = ErrorFrame::from(&e);
    assert_eq!(f.code, ErrorCode::UnsupportedVersion);
    assert_eq!(f.message, "unsupported protocol version 9 (this build speaks version 1)");
    assert_eq!(FrameError::Io(std::io::Error::other("x")).code(), ErrorCode::Internal);
}

// ---- size report --------------------------------------------------------------------------------

/// A host batch like node_exporter's: ~500 series, one sample each, one timestamp.
pub(crate) fn realistic_host_series(ts: i64) -> Vec<Series> {
    let host = [("instance", "web-01.example.com:9100"), ("job", "node")];
    let mut out = Vec::new();
    let push = |out: &mut Vec<Series>, name: &str, extra: &[(&str, &str)], value: f64| {
        let mut pairs: Vec<(&str, &str)> = vec![("__name__", name)];
        pairs.extend_from_slice(&host);
        pairs.extend_from_slice(extra);
        out.push(Series { labels: Labels::from_pairs(pairs), samples: vec![Sample { timestamp_ms: ts, value }] });
    };
    let modes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];
    for cpu in 0..16 {
        for (m, mode) in modes.iter().enumerate() {
            push(
                &mut out,
                "node_cpu_seconds_total",
                &[("cpu", &cpu.to_string()), ("mode", mode)],
                123456.78 + (cpu * 8 + m) as f64 * 17.31,
            );
        }
    }
    for (i, dev) in ["nvme0n1", "nvme1n1", "sda", "sdb", "dm-0", "dm-1"].iter().enumerate() {
        for name in [
            "node_disk_reads_completed_total",
            "node_disk_writes_completed_total",
            "node_disk_read_bytes_total",
            "node_disk_written_bytes_total",
            "node_disk_io_time_seconds_total",
            "node_disk_read_time_seconds_total",
            "node_disk_write_time_seconds_total",
            "node_disk_io_now",
            "node_disk_discards_completed_total",
            "node_disk_flush_requests_total",
        ] {
            push(&mut out, name, &[("device", dev)], 987654321.0 * (i + 1) as f64 + name.len() as f64);
        }
    }
    for (i, (dev, mp, fs)) in [
        ("/dev/nvme0n1p2", "/", "ext4"),
        ("/dev/nvme0n1p1", "/boot/efi", "vfat"),
        ("/dev/mapper/data", "/var/lib/data", "xfs"),
        ("tmpfs", "/run", "tmpfs"),
        ("tmpfs", "/dev/shm", "tmpfs"),
        ("tmpfs", "/run/user/1000", "tmpfs"),
    ]
    .iter()
    .enumerate()
    {
        for name in [
            "node_filesystem_avail_bytes",
            "node_filesystem_free_bytes",
            "node_filesystem_size_bytes",
            "node_filesystem_files",
            "node_filesystem_files_free",
            "node_filesystem_readonly",
            "node_filesystem_device_error",
        ] {
            push(&mut out, name, &[("device", dev), ("fstype", fs), ("mountpoint", mp)], (i as f64 + 1.0) * 4.2e10);
        }
    }
    for (i, dev) in ["lo", "eth0", "eth1", "docker0", "veth1a2b3c", "wg0"].iter().enumerate() {
        for name in [
            "node_network_receive_bytes_total",
            "node_network_transmit_bytes_total",
            "node_network_receive_packets_total",
            "node_network_transmit_packets_total",
            "node_network_receive_errs_total",
            "node_network_transmit_errs_total",
            "node_network_receive_drop_total",
            "node_network_transmit_drop_total",
            "node_network_up",
            "node_network_mtu_bytes",
            "node_network_speed_bytes",
            "node_network_carrier",
        ] {
            push(&mut out, name, &[("device", dev)], 1.5e9 * (i + 1) as f64 + name.len() as f64);
        }
    }
    let mut i = 0.0;
    while out.len() < 500 {
        i += 1.0;
        let name = format!("node_memory_field{}_bytes", out.len());

        push(&mut out, &name, &[], 8.0e9 - i * 4096.0);
    }
    out
}

#[test]
fn report_bytes_per_sample_for_a_host_batch() {
    let series = realistic_host_series(1_763_700_000_000);
    assert_eq!(series.len(), 500);
    let batch = Batch::from_series("web-01.example.com", 3, 12345, &series);
    let compressed = encode_frame(&Message::Batch(batch.clone()), &Limits::default()).unwrap();
    let plain_limits = Limits { compress_threshold: u32::MAX, ..Limits::default() };
    let plain = encode_frame(&Message::Batch(batch.clone()), &plain_limits).unwrap();
    let n = batch.sample_count() as f64;
    println!(
        "host batch, {} series, 1 sample each: uncompressed {} bytes = {:.1} B/sample; lz4 {} bytes = {:.1} B/sample",
        batch.series.len(),
        plain.len(),
        plain.len() as f64 / n,
        compressed.len(),
        compressed.len() as f64 / n
    );
    assert!(compressed.len() < plain.len());
    assert_same_batch(&unwrap_batch(decode_frame(&compressed, &Limits::default()).unwrap()), &batch);
}

/// The same figure for node_exporter's real output on this machine (every sample line one series).
#[test]
fn report_bytes_per_sample_for_real_node_exporter_output() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/peers/exporters/samples/node_exporter.prom");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("NOTE: {} is missing; skipping", path.display());
        return;
    };
    let ts = 1_763_700_000_000;
    let series: Vec<Series> = crate::exposition::parse(&text)
        .unwrap()
        .into_iter()
        .flat_map(|f| f.metrics)
        .map(|m| {
            let mut labels = m.labels;
            labels.set("instance", "web-01.example.com:9100");
            labels.set("job", "node");
            Series { labels, samples: vec![Sample { timestamp_ms: ts, value: m.value }] }
        })
        .collect();
    let batch = Batch::from_series("web-01.example.com", 3, 12345, &series);
    let lz4 = encode_frame(&Message::Batch(batch.clone()), &Limits::default()).unwrap();
    let plain =
        encode_frame(&Message::Batch(batch.clone()), &Limits { compress_threshold: u32::MAX, ..Limits::default() })
            .unwrap();
    let n = batch.sample_count() as f64;
    println!(
        "node_exporter.prom, {} series, 1 sample each: uncompressed {} bytes = {:.1} B/sample; lz4 {} bytes = {:.1} B/sample (text exposition: {} bytes)",
        batch.series.len(),
        plain.len(),
        plain.len() as f64 / n,
        lz4.len(),
        lz4.len() as f64 / n,
        text.len()
    );
    assert!(lz4.len() < plain.len());
}

// ---- properties ---------------------------------------------------------------------------------

fn arb_labels() -> impl Strategy<Value = Labels> {
    ("[a-zA-Z_:][a-zA-Z0-9_:]{0,20}", proptest::collection::vec(("[a-zA-Z_][a-zA-Z0-9_]{0,10}", "\\PC{0,12}"), 0..6))
        .prop_map(|(name, pairs)| {
            let mut v: Vec<(String, String)> = pairs.into_iter().filter(|(n, _)| n != "__name__").collect();
            v.push(("__name__".into(), name));
            Labels::from_pairs(v)
        })
}

fn arb_series() -> impl Strategy<Value = Series> {
    (
        arb_labels(),
        proptest::collection::vec(
            (any::<i64>(), prop_oneof![any::<f64>(), Just(stale_nan()), any::<u64>().prop_map(f64::from_bits)]),
            0..5,
        ),
    )
        .prop_map(|(labels, samples)| Series {
            labels,
            samples: samples.into_iter().map(|(timestamp_ms, value)| Sample { timestamp_ms, value }).collect(),
        })
}

proptest! {
    #[test]
    fn decode_body_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_body(&bytes, &Limits::default());
    }

    #[test]
    fn decode_body_never_panics_behind_a_valid_header(flags in 0u8..2, bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_body(&body(PROTOCOL_VERSION, flags, &bytes), &Limits::default());
    }

    #[test]
    fn decode_body_never_panics_on_mutated_frames(pos in any::<usize>(), byte in any::<u8>(), big in any::<bool>()) {
        let l = Limits::default();
        let frame = encode_frame(&Message::Batch(if big { big_batch(50) } else { small_batch() }), &l).unwrap();
        let mut b = frame[LEN_PREFIX_BYTES..].to_vec();
        let i = pos % b.len();
        b[i] = byte;
        let _ = decode_body(&b, &l);
    }

    #[test]
    fn arbitrary_batches_round_trip(
        agent in "\\PC{0,20}", buffer_id in any::<u64>(), seq in any::<u64>(),
        input in proptest::collection::vec(arb_series(), 0..20), threshold in prop_oneof![Just(0u32), Just(512), Just(u32::MAX)],
    ) {
        let l = Limits { compress_threshold: threshold, ..Limits::default() };
        let b = Batch::from_series(agent, buffer_id, seq, &input);
        let frame = encode_frame(&Message::Batch(b.clone()), &l).unwrap();
        let back = unwrap_batch(decode_frame(&frame, &l).unwrap());
        assert_same_batch(&b, &back);
        // Timestamps and values survive the relative encoding exactly.
        let expect: Vec<(Labels, i64, u64)> = b.to_series().into_iter()
            .flat_map(|s| s.samples.into_iter().map(move |p| (s.labels.clone(), p.timestamp_ms, p.value.to_bits()))).collect();
        let mut from_input: Vec<(Labels, i64, u64)> = input.iter()
            .flat_map(|s| s.samples.iter().map(move |p| (s.labels.clone(), p.timestamp_ms, p.value.to_bits()))).collect();
        let mut got = expect.clone();
        got.sort();
        from_input.sort();
        prop_assert_eq!(got, from_input);
    }
}
