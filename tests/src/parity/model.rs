//! A model of `increase()` in Prometheus 2.42 and in 3.x, computed from the generated samples, to
//! check (not assume) the one function-level change the parity test tolerates besides window
//! edges: where a counter's extrapolated zero point lies before its first sample in the window,
//! 2.x extrapolates to the zero point whenever that is within 1.1 average sample intervals,
//! while 3.x first caps the extrapolation at half an interval when the range starts more than
//! 1.1 intervals before the first sample (upstream's `testcounter_zero_cutoff_total` test).
//! It only matters where a window starts before a counter's first sample or reset.

use super::data::{Family, GenSeries, Kind, Layout};

/// Which engine's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// Prometheus 2.42: closed windows `[t - r, t]`, zero-point limit before the threshold test.
    V2,
    /// Prometheus 3.x: left-open windows `(t - r, t]`, half-interval cap before the zero point.
    V3,
}

/// `increase(series[r])` at `t` (all in ms) under `rules`; `None` with fewer than two samples.
pub fn increase(points: &[(i64, f64)], t: i64, r: i64, rules: Rules) -> Option<f64> {
    let lo = t - r;
    let win: Vec<(i64, f64)> = points
        .iter()
        .copied()
        .filter(|(ts, _)| *ts <= t && if rules == Rules::V2 { *ts >= lo } else { *ts > lo })
        .collect();
    if win.len() < 2 {
        return None;
    }
    let (first_t, first_v) = win[0];
    let (last_t, last_v) = win[win.len() - 1];
    let mut result = last_v - first_v;
    let mut prev = 0.0;
    for (_, v) in &win {
        if *v < prev {
            result += prev;
        }
        prev = *v;
    }
    let mut to_start = (first_t - lo) as f64 / 1000.0;
    let mut to_end = (t - last_t) as f64 / 1000.0;
    let sampled = (last_t - first_t) as f64 / 1000.0;
    let avg = sampled / (win.len() - 1) as f64;
    let threshold = avg * 1.1;
    let zero = (result > 0.0 && first_v >= 0.0).then(|| sampled * (first_v / result));
    match rules {
        Rules::V2 => {
            if let Some(z) = zero.filter(|z| *z < to_start) {
                to_start = z;
            }
            let mut interval = sampled;
            interval += if to_start < threshold { to_start } else { avg / 2.0 };
            interval += if to_end < threshold { to_end } else { avg / 2.0 };
            Some(result * (interval / sampled))
        }
        Rules::V3 => {
            if to_start >= threshold {
                to_start = avg / 2.0;
            }
            if let Some(z) = zero.filter(|z| *z < to_start) {
                to_start = z;
            }
            if to_end >= threshold {
                to_end = avg / 2.0;
            }
            Some(result * ((sampled + to_start + to_end) / sampled))
        }
    }
}

/// The series' samples as `(time ms, value)` in `layout`.
pub fn samples(s: &GenSeries, layout: Layout) -> Vec<(i64, f64)> {
    s.points.iter().map(|(k, v)| (s.time_ms(layout, *k), *v)).collect()
}

/// Times (ms) where some counter starts over: its first sample and every reset. Windows that
/// begin before such a time are the only ones where the 2.x and 3.x extrapolations can differ.
pub fn counter_starts(fams: &[Family], layout: Layout) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for s in fams.iter().filter(|f| f.kind != Kind::Gauge).flat_map(|f| &f.series) {
        let pts = samples(s, layout);
        if let Some((t, _)) = pts.first() {
            out.push(*t);
        }
        out.extend(pts.windows(2).filter(|w| w[1].1 < w[0].1).map(|w| w[1].0));
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Upstream's `testcounter_zero_cutoff_total{start="3m"}` (180+240x10 every 4m), `rate(...[20m])`
    /// at 10m: 3.x answers 0.6; 2.x extrapolated to the zero point (180 s before the first sample)
    /// and answered 0.65. `start="1m"` (zero point 60 s back) is 0.55 in both.
    #[test]
    fn zero_cutoff_matches_upstream() {
        let pts: Vec<(i64, f64)> = (0..=10).map(|i| (i * 240_000, 180.0 + 240.0 * i as f64)).collect();
        let r = 1_200_000;
        let v3 = increase(&pts, 600_000, r, Rules::V3).expect("v3") / 1200.0;
        let v2 = increase(&pts, 600_000, r, Rules::V2).expect("v2") / 1200.0;
        assert!((v3 - 0.6).abs() < 1e-12, "{v3}");
        assert!((v2 - 0.65).abs() < 1e-12, "{v2}");
        let pts: Vec<(i64, f64)> = (0..=10).map(|i| (i * 240_000, 60.0 + 240.0 * i as f64)).collect();
        for rules in [Rules::V2, Rules::V3] {
            let v = increase(&pts, 600_000, r, rules).expect("value") / 1200.0;
            assert!((v - 0.55).abs() < 1e-12, "{rules:?} {v}");
        }
    }
}
