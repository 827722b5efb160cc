//! Seeded building blocks of the querybench-shaped synthetic data, shared by the PromQL bench
//! (`benches/promql.rs`) and the chunk-size example (`examples/chunk_size.rs`), so both draw the
//! same numbers the same way.

/// Mean share of one cpu per busy mode (idle takes the rest), as in querybench's `gen_data.py`.
pub const MODE_SHARE: [f64; 7] = [0.02, 0.005, 0.01, 0.01, 0.005, 0.06, 0.18];

/// Upper bounds of the classic histogram's buckets.
pub const LE_F: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, f64::INFINITY];

/// SplitMix64: small, seeded, good enough for synthetic data.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// A slow wave around 1 over `n` samples, with a random period and phase.
pub fn wave(rng: &mut Rng, n: usize, depth: f64) -> Vec<f64> {
    let span = std::f64::consts::PI * rng.uniform(0.5, 2.0);
    let phase = rng.uniform(0.0, std::f64::consts::TAU);
    (0..n).map(|k| 1.0 + depth * (span * k as f64 / n.max(2) as f64 + phase).sin()).collect()
}

/// The error function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7): enough for bucket shares.
pub fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t + 0.254_829_592)
            * t
            * (-x * x).exp();
    y.copysign(x)
}

/// Share of a log-normal latency distribution (`median`, `sigma`) at or below each of [`LE_F`].
pub fn lognormal_bucket_cdf(median: f64, sigma: f64) -> Vec<f64> {
    LE_F.iter()
        .map(
            |&le| if le.is_finite() { 0.5 * (1.0 + erf((le.ln() - median.ln()) / (sigma * 2f64.sqrt()))) } else { 1.0 },
        )
        .collect()
}

/// One cpu's `node_cpu_seconds_total` per mode (idle first, then the busy modes of
/// [`MODE_SHARE`]), `n` samples `step_cs` centiseconds apart, in seconds: busy increments follow
/// the load wave `w` (capped at 95 % of the cpu), idle takes the rest, and a reboot at sample
/// `reset` starts every counter again from zero.
pub fn cpu_mode_counters(
    rng: &mut Rng,
    n: usize,
    load: f64,
    w: &[f64],
    reset: Option<usize>,
    step_cs: f64,
    uptime_cs: f64,
) -> Vec<Vec<f64>> {
    let mut inc = vec![[0.0f64; 7]; n];
    for (k, row) in inc.iter_mut().enumerate() {
        for (m, v) in row.iter_mut().enumerate() {
            *v = MODE_SHARE[m] * load * w[k] * rng.uniform(0.4, 1.6);
        }
        let busy: f64 = row.iter().sum();
        let scale = (0.95 / busy).min(1.0);
        row.iter_mut().for_each(|v| *v = (*v * scale * step_cs).round());
    }
    let mut values: Vec<Vec<f64>> = (0..8).map(|_| Vec::with_capacity(n)).collect();
    let mut cum = [0.0f64; 8];
    for (m, c) in cum.iter_mut().enumerate().skip(1) {
        *c = (MODE_SHARE[m - 1] * load * uptime_cs * rng.uniform(0.8, 1.2)).round();
    }
    cum[0] = (uptime_cs - cum[1..].iter().sum::<f64>()).round();
    for (k, row) in inc.iter().enumerate() {
        if Some(k) == reset {
            cum = [0.0; 8];
        }
        cum[0] += step_cs - row.iter().sum::<f64>();
        for m in 1..8 {
            cum[m] += row[m - 1];
        }
        for m in 0..8 {
            values[m].push(cum[m] / 100.0);
        }
    }
    values
}
