//! Bytes per sample of the chunk codec (`storage::chunk`) on querybench-shaped data, against
//! Prometheus' Gorilla encoding, raw and after the block compression RocksDB would apply.
//!
//! ```sh
//! cargo run --release -p pharos-aggregator --example chunk_size
//! ```
//!
//! Data (same generator shapes as `benches/promql.rs` and querybench's `gen_data.py`, seeded):
//! 10,000 `node_cpu_seconds_total` counters in 1/100 s, 1,200 classic-histogram counters
//! (buckets, `_count`, `_sum` in ms), 125 `MemAvailable` gauges (4096-byte pages, random walk),
//! 125 constant `MemTotal`; 6 h at 15 s. Chunks of 120 and 480 samples. "lz4" and "deflate"
//! compress the chunks concatenated into 16 KiB blocks (RocksDB's block size here; lz4 is its
//! compression, deflate stands in for the zstd of the bottommost level).

#[path = "../benches/common/synth.rs"]
mod synth;

use pharos_aggregator::storage::chunk::{decode, encode_with, Schemes};
use pharos_protocol::Sample;
use std::io::Write;
use std::time::Instant;
use synth::{cpu_mode_counters, lognormal_bucket_cdf, wave, Rng};

const SCRAPE_MS: i64 = 15_000;
const START_MS: i64 = 1_763_661_600_000;
const FAMILIES: [&str; 4] = ["cpu", "histogram", "mem_avail", "mem_total"];
const BLOCK: usize = 16 * 1024;

/// Value series per family index (see `FAMILIES`), `n` samples each.
fn dataset(n: usize) -> Vec<(usize, Vec<f64>)> {
    let mut rng = Rng(20_261_121);
    let mut out = Vec::new();
    let step_cs = (SCRAPE_MS / 10) as f64;
    let resets = [(3usize, n * 35 / 100), (65usize, n * 65 / 100)];
    for ii in 0..125 {
        let load = rng.uniform(0.3, 2.5);
        let uptime_cs = rng.uniform(86_400.0, 100.0 * 86_400.0) * 100.0;
        let w = wave(&mut rng, n, 0.4);
        let reset = resets.iter().find(|r| r.0 == ii).map(|r| r.1);
        for _cpu in 0..10 {
            let values = cpu_mode_counters(&mut rng, n, load, &w, reset, step_cs, uptime_cs);
            out.extend(values.into_iter().map(|v| (0, v)));
        }
    }
    for _ in 0..100 {
        let rps = rng.uniform(5.0, 200.0);
        let median = rng.uniform(0.02, 0.2);
        let sigma = rng.uniform(0.5, 1.1);
        let cdf = lognormal_bucket_cdf(median, sigma);
        let mean_ms = median * (sigma * sigma / 2.0).exp() * 1000.0;
        let w = wave(&mut rng, n, 0.5);
        let init = rng.uniform(10_000.0, 5_000_000.0).round();
        let mut cum: Vec<f64> = cdf.iter().map(|c| (init * c).round()).collect();
        let mut sum_ms = (init * mean_ms).round();
        let mut buckets: Vec<Vec<f64>> = (0..10).map(|_| Vec::with_capacity(n)).collect();
        let mut sums = Vec::with_capacity(n);
        for &wk in &w {
            // Poisson request counts (normal approximation: λ is 75..6000).
            let lambda = rps * 15.0 * wk;
            let reqs = (lambda + lambda.sqrt() * rng.normal()).round().max(0.0);
            let mut below = 0.0;
            for j in 0..10 {
                let at_most = (reqs * cdf[j] + rng.uniform(-0.5, 0.5)).round().clamp(below, reqs);
                below = at_most;
                cum[j] += if j == 9 { reqs } else { at_most };
                buckets[j].push(cum[j]);
            }
            sum_ms += (reqs * mean_ms * rng.uniform(0.9, 1.1)).round();
            sums.push(sum_ms / 1000.0);
        }
        let count = buckets[9].clone();
        out.extend(buckets.into_iter().map(|v| (1, v)));
        out.push((1, count));
        out.push((1, sums));
    }
    let mut totals = Vec::new();
    for _ in 0..125 {
        let total = ([8.0, 16.0, 32.0, 64.0][(rng.next_u64() % 4) as usize]) * (1u64 << 30) as f64;
        let pages = total / 4096.0;
        let mut walk = pages * rng.uniform(0.3, 0.8);
        let avail: Vec<f64> = (0..n)
            .map(|_| {
                walk = (walk + pages * 0.004 * rng.normal()).clamp(pages * 0.05, pages * 0.95);
                walk.round() * 4096.0
            })
            .collect();
        out.push((2, avail));
        totals.push(total);
    }
    out.extend(totals.into_iter().map(|t| (3, vec![t; n])));
    out
}

#[derive(Default, Clone, Copy)]
struct Size {
    samples: usize,
    raw: usize,
    lz4: usize,
    deflate: usize,
}

/// Compressed size of `chunks` packed into ~16 KiB blocks, cut at chunk boundaries.
fn block_sizes(chunks: &[Vec<u8>]) -> (usize, usize) {
    let (mut lz4, mut deflate) = (0, 0);
    let mut block = Vec::with_capacity(BLOCK * 2);
    let mut flush = |block: &mut Vec<u8>| {
        if block.is_empty() {
            return;
        }
        lz4 += lz4_flex::block::compress(block).len();
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(block).expect("deflate");
        deflate += z.finish().expect("deflate").len();
        block.clear();
    };
    for c in chunks {
        block.extend_from_slice(c);
        if block.len() >= BLOCK {
            flush(&mut block);
        }
    }
    flush(&mut block);
    (lz4, deflate)
}

fn main() {
    let n = 6 * 3600 * 1000 / SCRAPE_MS as usize;
    let t = Instant::now();
    let data = dataset(n);
    let total: usize = data.iter().map(|(_, v)| v.len()).sum();
    println!("{} series, {total} samples, generated in {:.1} s", data.len(), t.elapsed().as_secs_f64());
    let series: Vec<(usize, Vec<Sample>)> = data
        .into_iter()
        .map(|(f, vs)| {
            let s = vs
                .into_iter()
                .enumerate()
                .map(|(i, value)| Sample { timestamp_ms: START_MS + i as i64 * SCRAPE_MS, value })
                .collect();
            (f, s)
        })
        .collect();

    println!(
        "\n| chunk | encoding | family | samples | raw B/sample | lz4 B/sample | deflate B/sample | encode Msamples/s | decode Msamples/s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for chunk_len in [120usize, 480] {
        for (name, schemes) in [("pharos", Schemes::Best), ("gorilla", Schemes::GorillaOnly)] {
            let mut chunks: Vec<Vec<Vec<u8>>> = vec![Vec::new(); FAMILIES.len()];
            let mut sizes = [Size::default(); 4];
            let t = Instant::now();
            for (f, s) in &series {
                for c in s.chunks(chunk_len) {
                    let bytes = encode_with(c, schemes).expect("sorted input");
                    sizes[*f].samples += c.len();
                    sizes[*f].raw += bytes.len();
                    chunks[*f].push(bytes);
                }
            }
            let enc = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let mut decoded = 0usize;
            let mut checksum = 0u64;
            for fam in &chunks {
                for c in fam {
                    let d = decode(c).expect("own chunk decodes");
                    decoded += d.len();
                    checksum = checksum.wrapping_add(d.last().map_or(0, |s| s.value.to_bits()));
                }
            }
            let dec = t.elapsed().as_secs_f64();
            assert_eq!(decoded, total);
            std::hint::black_box(checksum);
            // Round trip of everything, outside the timing.
            let mut k = [0usize; 4];
            for (f, s) in &series {
                for c in s.chunks(chunk_len) {
                    let d = decode(&chunks[*f][k[*f]]).expect("decodes");
                    k[*f] += 1;
                    assert!(c
                        .iter()
                        .zip(&d)
                        .all(|(a, b)| a.timestamp_ms == b.timestamp_ms && a.value.to_bits() == b.value.to_bits()));
                }
            }
            let mut all = Size::default();
            for (f, fam) in chunks.iter().enumerate() {
                let (lz4, deflate) = block_sizes(fam);
                sizes[f].lz4 = lz4;
                sizes[f].deflate = deflate;
                all.samples += sizes[f].samples;
                all.raw += sizes[f].raw;
                all.lz4 += lz4;
                all.deflate += deflate;
            }
            let row = |fam: &str, s: &Size, speed: String| {
                let per = |b: usize| b as f64 / s.samples as f64;
                println!(
                    "| {chunk_len} | {name} | {fam} | {} | {:.3} | {:.3} | {:.3} | {speed} |",
                    s.samples,
                    per(s.raw),
                    per(s.lz4),
                    per(s.deflate)
                );
            };
            for (f, s) in sizes.iter().enumerate() {
                row(FAMILIES[f], s, " | ".to_string());
            }
            let speed = format!("{:.1} | {:.1}", total as f64 / enc / 1e6, total as f64 / dec / 1e6);
            row("**all**", &all, speed);
        }
    }
}
