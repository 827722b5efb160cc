//! Round trips (unit and property), scheme choice, and corrupt-input fuzzing of the chunk codec.

use super::values::{self, from_decimal, to_decimal};
use super::*;
use pharos_protocol::model::{stale_nan, STALE_NAN_BITS};
use proptest::prelude::*;

fn samples(ts: &[i64], vs: &[f64]) -> Vec<Sample> {
    ts.iter().zip(vs).map(|(&t, &v)| Sample { timestamp_ms: t, value: v }).collect()
}

fn regular(n: usize, mut vs: impl FnMut(usize) -> f64) -> Vec<Sample> {
    (0..n).map(|i| Sample { timestamp_ms: 1_763_661_600_000 + i as i64 * 15_000, value: vs(i) }).collect()
}

/// Asserts a bit-exact round trip through both schemes and through the streaming decoder.
fn round_trip(s: &[Sample]) -> Vec<u8> {
    let mut best = Vec::new();
    for schemes in [Schemes::Best, Schemes::GorillaOnly] {
        let bytes = encode_with(s, schemes).expect("encode");
        let back = decode(&bytes).expect("decode");
        assert_eq!(back.len(), s.len());
        for (a, b) in s.iter().zip(&back) {
            assert_eq!(a.timestamp_ms, b.timestamp_ms);
            assert_eq!(a.value.to_bits(), b.value.to_bits(), "{} vs {} ({schemes:?})", a.value, b.value);
        }
        if schemes == Schemes::Best {
            best = bytes;
        }
    }
    best
}

fn header(bytes: &[u8]) -> (u8, u8) {
    (bytes[0] & 0b11, (bytes[0] >> 2) & values::V_MASK)
}

const SPECIALS: [u64; 12] = [
    STALE_NAN_BITS,
    0x7ff8_0000_0000_0000, // the usual quiet NaN
    0xfff8_0000_0000_0001, // negative NaN with a payload
    0x7ff0_0000_0000_0001, // signalling NaN
    0x7ff0_0000_0000_0000, // +Inf
    0xfff0_0000_0000_0000, // -Inf
    0x8000_0000_0000_0000, // -0.0
    0x0000_0000_0000_0001, // smallest subnormal
    0x000f_ffff_ffff_ffff, // largest subnormal
    0x7fef_ffff_ffff_ffff, // f64::MAX
    0x0010_0000_0000_0000, // f64::MIN_POSITIVE
    0x3fd3_3333_3333_3334, // 0.30000000000000004
];

#[test]
fn empty_and_single() {
    assert!(decode(&round_trip(&[])).unwrap().is_empty());
    round_trip(&[Sample { timestamp_ms: i64::MIN, value: stale_nan() }]);
    round_trip(&[Sample { timestamp_ms: i64::MAX, value: -0.0 }]);
    round_trip(&[Sample { timestamp_ms: -5, value: 1.5 }]);
}

#[test]
fn extreme_timestamps() {
    round_trip(&samples(&[i64::MIN, -1, 0, i64::MAX], &[1.0, 2.0, 3.0, 4.0]));
    round_trip(&samples(&[i64::MIN, i64::MAX], &[1.0, 2.0]));
    round_trip(&samples(&[i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX], &[0.0; 4]));
}

#[test]
fn rejects_unsorted_and_oversized() {
    let s = samples(&[1, 2, 2], &[0.0; 3]);
    assert_eq!(encode(&s), Err(ChunkError::Unsorted { index: 2 }));
    let s = samples(&[5, 4], &[0.0; 2]);
    assert_eq!(encode(&s), Err(ChunkError::Unsorted { index: 1 }));
    let s = regular(MAX_SAMPLES + 1, |_| 1.0);
    assert_eq!(encode(&s), Err(ChunkError::TooManySamples(MAX_SAMPLES + 1)));
    round_trip(&regular(MAX_SAMPLES, |i| i as f64));
}

#[test]
fn every_special_value() {
    let vs: Vec<f64> = SPECIALS.iter().map(|&b| f64::from_bits(b)).chain([1.5, 2.25, 3.0]).collect();
    let ts: Vec<i64> = (0..vs.len() as i64).map(|i| i * 1000).collect();
    round_trip(&samples(&ts, &vs));
    // One special at a time inside an otherwise decimal series: an exception, not a fallback.
    for &b in &SPECIALS {
        let s = regular(100, |i| if i == 37 { f64::from_bits(b) } else { 100.0 + i as f64 * 0.25 });
        let bytes = round_trip(&s);
        let (_, v) = header(&bytes);
        assert_ne!(v & 0b111, values::V_XOR, "special {b:#x} should be an exception");
        assert!(v & values::F_EXCEPTIONS != 0);
    }
}

#[test]
fn regular_constant_series_costs_almost_nothing() {
    let s = regular(480, |_| 17_179_869_184.0);
    let bytes = round_trip(&s);
    assert_eq!(header(&bytes).0, 0, "regular timestamps");
    assert!(bytes.len() <= 20, "{} bytes", bytes.len());
    let s = regular(480, |_| stale_nan());
    assert!(round_trip(&s).len() <= 20);
    let s = regular(480, |_| 0.0);
    assert!(round_trip(&s).len() <= 16);
}

#[test]
fn counter_picks_decimal_deltas() {
    // Two-decimal counter with noisy increments: deltas FOR-packed.
    let mut acc = 123_456_789i64;
    let s = regular(240, |i| {
        acc += 1400 + ((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as i64;
        acc as f64 / 100.0
    });
    let bytes = round_trip(&s);
    assert_eq!(header(&bytes).1 & 0b111, values::V_DEC_DELTA);
    // 7 bits per sample plus a small header.
    assert!(bytes.len() < 240 * 7 / 8 + 30, "{} bytes", bytes.len());
}

#[test]
fn linear_gauge_picks_dod() {
    let s = regular(200, |i| 1000.0 + i as f64 * 3.5 + (i % 2) as f64 * 0.0);
    let bytes = round_trip(&s);
    let v = header(&bytes).1;
    // A perfectly linear ramp is width 0 either way; both are fine, the encoder must stay tiny.
    assert!(matches!(v & 0b111, values::V_DEC_DELTA | values::V_DEC_DOD));
    assert!(bytes.len() < 20, "{} bytes", bytes.len());
    // Quadratic: dod is constant, deltas are not.
    let s = regular(200, |i| (i * i) as f64);
    assert_eq!(header(&round_trip(&s)).1 & 0b111, values::V_DEC_DOD);
}

#[test]
fn uniform_noise_is_mixed_radix_packed() {
    use super::bits::{put_for, ByteReader, ForReader};
    // Uniform over 0..450: 8.81 bits of entropy, where plain packing takes 9 bits.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let r: Vec<i64> = (0..479)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            1000 + (x % 450) as i64
        })
        .collect();
    let mut out = Vec::new();
    put_for(&mut out, &r);
    let plain = (479 * 9usize).div_ceil(8);
    assert!(out.len() < plain, "{} bytes, plain packing alone is {plain}", out.len());
    assert_eq!(out[2], 0x41, "mixed-radix marker");
    let mut reader = ByteReader::new(&out);
    let mut f = ForReader::new(&mut reader, r.len()).unwrap();
    assert!(r.iter().all(|&v| f.next().unwrap() == v));
    assert!(f.next().is_err(), "no value past the count");
    assert_eq!(reader.remaining(), 0);
    // And through a whole chunk: a counter with those increments, and jittered timestamps.
    let mut acc = 0i64;
    let s = regular(480, |i| {
        acc += r[i % r.len()];
        acc as f64 / 100.0
    });
    round_trip(&s);
    let mut t = 0i64;
    let ts: Vec<i64> = r
        .iter()
        .map(|&d| {
            t += 14_000 + d;
            t
        })
        .collect();
    let bytes = round_trip(&samples(&ts, &[1.0; 479]));
    assert_eq!(header(&bytes).0, 2, "FOR-packed deltas");
}

#[test]
fn multiples_of_4096_use_the_gcd() {
    let mut walk = 1_000_000i64;
    let s = regular(480, |i| {
        walk += ((i * 2_654_435_761) % 2001) as i64 - 1000;
        (walk * 4096) as f64
    });
    let bytes = round_trip(&s);
    // 2001 distinct steps: 11 bits, not 23.
    assert!(bytes.len() < 480 * 11 / 8 + 40, "{} bytes", bytes.len());
}

#[test]
fn random_floats_fall_back_to_xor() {
    let mut x = 0x1234_5678_9abc_def0u64;
    let s = regular(120, |_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        f64::from_bits(x >> 2) // finite positive, full-precision mantissas
    });
    let bytes = round_trip(&s);
    assert_eq!(header(&bytes).1, values::V_XOR);
}

#[test]
fn irregular_timestamps_pick_a_compact_scheme() {
    // A gap in a regular series: the zero-run varint scheme.
    let mut ts: Vec<i64> = (0..200).map(|i| i * 15_000).collect();
    ts[100..].iter_mut().for_each(|t| *t += 60_000);
    let bytes = round_trip(&samples(&ts, &[1.0; 200]));
    assert_eq!(header(&bytes).0, 1);
    assert!(bytes.len() < 30, "{} bytes", bytes.len());
    // Jitter of a few ms: FOR-packed deltas (or Gorilla), a byte or two per sample at most.
    let ts: Vec<i64> = (0..200).map(|i| i * 15_000 + (i * 7) % 11).collect();
    let bytes = round_trip(&samples(&ts, &[1.0; 200]));
    assert!(matches!(header(&bytes).0, 2 | 3));
    assert!(bytes.len() < 200, "{} bytes", bytes.len());
}

#[test]
fn decimal_conversion_is_exact() {
    assert_eq!(to_decimal(1234.56), Some((123_456, -2)));
    assert_eq!(to_decimal(17_179_869_184.0), Some((17_179_869_184, 0)));
    assert_eq!(to_decimal(1e9), Some((1, 9)));
    assert_eq!(to_decimal(-0.0), None);
    assert_eq!(to_decimal(f64::NAN), None);
    assert_eq!(to_decimal(f64::from_bits(1)), None);
    for v in [0.1, 0.2, 0.3, 1e-7, 123.456e10, 0.30000000000000004, -42.125, 9007199254740993.0] {
        if let Some((m, e)) = to_decimal(v) {
            assert_eq!(from_decimal(m, e).to_bits(), v.to_bits(), "{v}");
        }
    }
}

#[test]
fn streaming_decoder_seeks() {
    let s = regular(300, |i| i as f64 * 0.5);
    let bytes = encode(&s).unwrap();
    let mut d = Decoder::new(&bytes).unwrap();
    assert_eq!(d.len(), 300);
    let hit = d.seek(s[100].timestamp_ms - 1).unwrap().unwrap();
    assert_eq!(hit, s[100]);
    assert_eq!(d.next().unwrap().unwrap(), s[101]);
    assert_eq!(d.seek(i64::MAX).unwrap(), None);
    assert!(d.next().is_none());
}

#[test]
fn corrupt_headers_are_errors() {
    assert_eq!(decode(&[]), Err(ChunkError::Truncated));
    assert!(decode(&[0x80, 0]).is_err());
    // n above the cap.
    let mut b = vec![0u8];
    put_varint(&mut b, MAX_SAMPLES as u64 + 1);
    assert!(matches!(decode(&b), Err(ChunkError::TooManySamples(_))));
    // Every truncation of a valid chunk fails or decodes, never panics.
    let s = regular(50, |i| if i % 9 == 0 { stale_nan() } else { i as f64 * 1.25 });
    let bytes = encode(&s).unwrap();
    for len in 0..bytes.len() {
        let _ = decode(&bytes[..len]);
    }
}

/// Values drawn from a mix: decimals of several scales, counters, specials and arbitrary bits.
fn value_strategy() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => (-1_000_000_000i64..1_000_000_000, 0u32..6).prop_map(|(m, k)| m as f64 / 10f64.powi(k as i32)),
        2 => (0i64..1 << 40).prop_map(|m| (m * 4096) as f64),
        1 => prop::sample::select(SPECIALS.to_vec()).prop_map(f64::from_bits),
        1 => any::<u64>().prop_map(f64::from_bits),
        1 => any::<f64>(),
    ]
}

/// Strictly increasing timestamps: a start anywhere and positive gaps, regular or not.
fn timestamps_strategy(n: usize) -> impl Strategy<Value = Vec<i64>> {
    (
        any::<i64>(),
        prop::collection::vec(prop_oneof![4 => Just(15_000i64), 2 => 1i64..100_000, 1 => 1i64..i64::MAX / 4], n),
    )
        .prop_map(|(start, gaps)| {
            let mut t = start;
            let mut out = Vec::with_capacity(gaps.len());
            for g in gaps {
                out.push(t);
                match t.checked_add(g) {
                    Some(n) => t = n,
                    None => break,
                }
            }
            out
        })
}

fn series_strategy() -> impl Strategy<Value = Vec<Sample>> {
    (0usize..300).prop_flat_map(|n| {
        (timestamps_strategy(n), prop::collection::vec(value_strategy(), n), any::<bool>()).prop_map(
            |(ts, mut vs, counter)| {
                if counter {
                    // A counter: cumulative sums of small decimal steps, with the odd special kept.
                    let mut acc = 0.0f64;
                    for v in vs.iter_mut().filter(|v| v.is_finite()) {
                        acc = ((acc * 100.0).round() + (v.abs() % 50.0 * 100.0).round()) / 100.0;
                        *v = acc;
                    }
                }
                samples(&ts, &vs)
            },
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn prop_round_trip(s in series_strategy()) {
        round_trip(&s);
    }

    #[test]
    fn prop_random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(d) = Decoder::new(&bytes) {
            prop_assert!(d.len() <= MAX_SAMPLES);
            let mut prev = None;
            for s in d {
                let Ok(s) = s else { break };
                // Whatever a corrupt chunk decodes to is still strictly increasing.
                prop_assert!(prev.is_none_or(|p| s.timestamp_ms > p));
                prev = Some(s.timestamp_ms);
            }
        }
    }

    #[test]
    fn prop_mutated_chunks_never_panic(s in series_strategy(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4), cut in any::<usize>()) {
        for schemes in [Schemes::Best, Schemes::GorillaOnly] {
            let mut bytes = encode_with(&s, schemes).unwrap();
            for &(pos, x) in &flips {
                if !bytes.is_empty() {
                    let i = pos % bytes.len();
                    bytes[i] ^= x;
                }
            }
            let _ = decode(&bytes);
            let keep = if bytes.is_empty() { 0 } else { cut % bytes.len() };
            let _ = decode(&bytes[..keep]);
        }
    }
}
